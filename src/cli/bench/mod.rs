//! `rolodeck bench …`: performance figures, printed. The targets live here rather than in
//! timed tests, which would fail on a busy machine without saying anything about the code.

use std::io::Write;
use std::time::{Duration, Instant};

use std::path::PathBuf;

use clap::Subcommand;
use rolodeck::contacts::model::display_name;
use rolodeck::contacts::{Address, Contact, ContactDraft};
use rolodeck::merge::fields::{DateStyle, Sender};
use rolodeck::merge::images::SenderImages;
use rolodeck::merge::layout::Paper;
use rolodeck::merge::letters::{LetterRun, letter_pages_for};
use rolodeck::merge::pdf::{DocInfo, PdfWriter};
use rolodeck::merge::template::Template;
use rolodeck::{Result, Store, contacts, demo};

mod duplicates;
mod transfer;
mod workflow;

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Today and a 5-condition smart list on 100,000 contacts with a million activities
    Workflow {
        #[arg(long, default_value_t = 100_000)]
        contacts: usize,
        #[arg(long, default_value_t = 10)]
        activities_per_contact: usize,
        #[arg(long, default_value_t = 20)]
        rounds: usize,
    },
    /// Merge the peer benchmark's one-page Unicode letter into one PDF: letters/s,
    /// bytes/letter and peak memory (compare with ../shared/bench/peers via `./dev bench`)
    Merge {
        #[arg(long, default_value_t = 2000)]
        letters: usize,
        /// The peers' contacts CSV (gen_contacts.py); without it, seeded demo contacts
        #[arg(long)]
        csv: Option<PathBuf>,
        #[arg(long, default_value = "/tmp/rolodeck-bench-merge.pdf")]
        out: PathBuf,
    },
    /// Import a CSV in Google Contacts' format (generated from demo contacts) as one batch
    Import {
        #[arg(long, default_value_t = 100_000)]
        rows: usize,
    },
    /// One duplicate scan over demo contacts
    Duplicates {
        #[arg(long, default_value_t = 100_000)]
        contacts: usize,
    },
    /// Export demo contacts to one vCard 4.0 file
    Export {
        #[arg(long, default_value_t = 100_000)]
        contacts: usize,
    },
    /// Search latency over a fixed set of queries on a fresh demo file
    Search {
        /// How many demo contacts the file holds
        #[arg(long, default_value_t = 100_000)]
        contacts: usize,
        /// How many times each query runs
        #[arg(long, default_value_t = 20)]
        rounds: usize,
    },
}

/// First keystrokes, half names, folded names, emails, phone digits, cities and tags.
const QUERIES: &[&str] = &[
    "a",
    "sm",
    "smi",
    "john",
    "mar",
    "lukasz",
    "muller",
    "weiss",
    "oystein",
    "acme",
    "summit fin",
    "555",
    "2065",
    "portland",
    "golf",
    "vip",
    "o'brien",
    "ann lee",
    "kra",
    "ирина",
    "chamber",
    "zzzz",
];

pub fn run(command: BenchCommand) -> Result<()> {
    match command {
        BenchCommand::Search { contacts, rounds } => bench_search(contacts, rounds),
        BenchCommand::Workflow { contacts, activities_per_contact, rounds } => {
            workflow::bench_workflow(contacts, activities_per_contact, rounds)
        }
        BenchCommand::Merge { letters, csv, out } => bench_merge(letters, csv, &out),
        BenchCommand::Import { rows } => transfer::bench_import(rows),
        BenchCommand::Export { contacts } => transfer::bench_export(contacts),
        BenchCommand::Duplicates { contacts } => duplicates::bench_duplicates(contacts),
    }
}

fn bench_search(count: usize, rounds: usize) -> Result<()> {
    let dir = tempfile_dir()?;
    let store = Store::open(dir.join("bench.db"))?;
    let started = Instant::now();
    demo::seed_demo(store.conn(), count, 1)?;
    println!("demo --count {count}: {:.2} s", started.elapsed().as_secs_f64());

    let mut timings = Vec::new();
    for _ in 0..rounds {
        for query in QUERIES {
            // What the list does on a keystroke: the count and the first screenful.
            let started = Instant::now();
            contacts::search_contacts(&store, query, 0, 100)?;
            timings.push(started.elapsed());
        }
    }
    timings.sort();
    let at = |q: f64| timings[((timings.len() - 1) as f64 * q).round() as usize];
    println!(
        "search over {count} contacts, {} queries × {rounds}: p50 {} ms, p95 {} ms, max {} ms",
        QUERIES.len(),
        ms(at(0.50)),
        ms(at(0.95)),
        ms(at(1.0))
    );
    for query in QUERIES {
        let started = Instant::now();
        let page = contacts::search_contacts(&store, query, 0, 100)?;
        println!("  {query:>12}  {:>7} matches  {} ms", page.total, ms(started.elapsed()));
    }
    drop(store);
    std::fs::remove_dir_all(dir)?;
    Ok(())
}

/// The peers' letter (their letter.py): greeting, three paragraphs, closing, signature.
const PEER_LETTER: &str = "Dear {{ first_name }},

Thank you for taking the time to speak with us on {{ last_contact }}. It was a pleasure to learn more about the work your team is doing at {{ company }}, and we appreciated your candid view of the challenges that lie ahead this year. As promised, this letter summarises the points we discussed and the next steps we proposed.

Our contact management software helps growing organisations keep every relationship in one place, from the first introduction to the most recent follow-up. Teams use it to share notes, schedule reminders and prepare personalised correspondence like this letter in minutes rather than hours. Because all data stays on your own computers, it also fits well with strict privacy and data-residency requirements.

We would be glad to arrange a short demonstration for you and your colleagues at a time that suits you, either in person or online. Please reply to this letter or call our office on +1 503 555 0100, and we will prepare a proposal tailored to your needs. We look forward to continuing the conversation and to working together.

Kind regards,


Alex Morgan
Head of Partnerships
";

fn bench_merge(count: usize, csv: Option<PathBuf>, out: &std::path::Path) -> Result<()> {
    let recipients = match csv {
        Some(path) => peer_contacts(&path, count)?,
        None => demo::demo_contacts(count, 1).map(|draft| (bench_contact(draft), "2026-10-14".to_string())).collect(),
    };
    let sender = Sender {
        company: "Northwind Contacts Ltd.".into(),
        street: "1200 Harbor Way".into(),
        extra: "Suite 400".into(),
        city: "Portland".into(),
        region: "OR".into(),
        postal_code: "97209".into(),
        country: "United States".into(),
        ..Default::default()
    };
    let template = Template::parse("peer-letter", PEER_LETTER)?;
    let run = LetterRun {
        template: &template,
        paper: Paper::UsWindow,
        date_style: DateStyle::International,
        sender: &sender,
        images: &SenderImages::default(),
        today: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).expect("a date"),
        title: "Peer benchmark letter",
    };

    // Each letter goes to the file as it is laid out, as `rolodeck merge` does in memory.
    let started = Instant::now();
    let file = std::io::BufWriter::new(std::fs::File::create(out)?);
    let mut pdf =
        PdfWriter::new(file, &DocInfo { title: run.title, author: "Rolodeck bench", created: chrono::Utc::now() })?;
    for (contact, last_contact) in &recipients {
        let mut fields = run.fields(contact);
        fields.custom.insert("last_contact".into(), last_contact.clone());
        for page in letter_pages_for(&run, &fields)? {
            pdf.add_page(&page)?;
        }
    }
    let pages = pdf.page_count();
    pdf.finish()?.flush()?;
    let seconds = started.elapsed().as_secs_f64();
    let bytes = std::fs::metadata(out)?.len() as usize;
    println!(
        "merge {} letters: {pages} pages, {:.0} letters/s, {} bytes/letter, peak memory {} MiB → {}",
        recipients.len(),
        recipients.len() as f64 / seconds,
        bytes / recipients.len().max(1),
        peak_memory_mib().map_or("?".into(), |m| m.to_string()),
        out.display()
    );
    Ok(())
}

/// Contacts from the peers' CSV, with their `last_contact` column.
fn peer_contacts(path: &std::path::Path, count: usize) -> Result<Vec<(Contact, String)>> {
    let mut reader =
        csv::Reader::from_path(path).map_err(|e| std::io::Error::other(format!("{}: {e}", path.display())))?;
    let mut out = Vec::with_capacity(count);
    for row in reader.deserialize::<std::collections::HashMap<String, String>>().take(count) {
        let row = row.map_err(|e| std::io::Error::other(format!("{}: {e}", path.display())))?;
        let get = |k: &str| row.get(k).cloned().unwrap_or_default();
        let draft = ContactDraft {
            given_name: get("first_name"),
            family_name: get("last_name"),
            company: get("company"),
            addresses: vec![Address {
                street: get("street"),
                city: get("city"),
                region: get("region"),
                postal_code: get("postal_code"),
                country: get("country"),
                primary: true,
                ..Default::default()
            }],
            ..Default::default()
        };
        out.push((bench_contact(draft), get("last_contact")));
    }
    Ok(out)
}

/// An unsaved contact: the benchmark measures merging, not the database.
fn bench_contact(draft: ContactDraft) -> Contact {
    let now = chrono::Utc::now();
    Contact {
        id: uuid::Uuid::now_v7(),
        display_name: display_name(&draft),
        draft,
        created_at: now,
        updated_at: now,
        deleted_at: None,
    }
}

/// The process's peak resident memory (VmHWM), on Linux.
fn peak_memory_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: u64 = status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

/// CPU time this process has used, in seconds (on a shared machine, wall-clock time includes
/// waiting for a core); 0 where /proc/self/schedstat is missing.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/schedstat").unwrap_or_default();
    stat.split_whitespace().next().and_then(|ns| ns.parse::<f64>().ok()).map_or(0.0, |ns| ns / 1e9)
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

/// A fresh directory under the system temp dir for the benchmark's file.
fn tempfile_dir() -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("rolodeck-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
