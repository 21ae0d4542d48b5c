//! `rolodeck bench import` and `rolodeck bench export`: a 100,000-row CSV in Google Contacts'
//! format imported in one pass as `rolodeck import` does it, and again as the window does it
//! (a preview, then Import); and 100,000 demo contacts exported to one vCard file as
//! `rolodeck export` does.

use std::time::Instant;

use rolodeck::contacts::ContactDraft;
use rolodeck::export::contacts_to_export;
use rolodeck::export::csv::write_csv;
use rolodeck::export::vcard::write_vcards;
use rolodeck::import::batch::{OnMatch, apply_import, plan_import};
use rolodeck::import::{import_file, read_file};
use rolodeck::{Result, Store, demo};

use super::cpu_seconds;

pub fn bench_import(rows: usize) -> Result<()> {
    let dir = super::tempfile_dir()?;
    let csv = dir.join("contacts.csv");
    // Demo names repeat (the duplicate finder needs some), and the importer rightly skips a
    // second Ann Lee at Acme: a double-barrelled family name makes each row someone new.
    let drafts: Vec<_> = demo::demo_contacts(rows, 7)
        .enumerate()
        .map(|(i, d)| ContactDraft { family_name: format!("{}-{}", d.family_name, surname(i)), ..d })
        .collect();
    std::fs::write(&csv, write_csv(&drafts))?;
    let megabytes = std::fs::metadata(&csv)?.len() as f64 / 1e6;

    // As `rolodeck import` does it: read, plan and write in one pass.
    let store = Store::open(dir.join("one-pass.db"))?;
    let started = Instant::now();
    let (batch, _) = import_file(&store, &csv, OnMatch::Merge, |_| {})?;
    let total = started.elapsed().as_secs_f64();
    println!(
        "import {rows}-row CSV ({megabytes:.1} MB) in one pass: {total:.2} s, {:.0} rows/s; {} new, {} merged, {} \
         skipped; target < 3 s",
        rows as f64 / total,
        batch.created,
        batch.merged,
        batch.skipped
    );

    // As the window does it: a preview (read and plan), then Import writes the plan.
    let store = Store::open(dir.join("preview-then-import.db"))?;
    let started = Instant::now();
    let read = read_file(&csv, None)?;
    let plan = plan_import(&store, "contacts.csv", read.cards, OnMatch::Merge)?;
    let previewed = started.elapsed().as_secs_f64();
    apply_import(store.conn(), &plan)?;
    println!(
        "the same in the window: preview (read and plan) {previewed:.2} s, then Import {:.2} s",
        started.elapsed().as_secs_f64() - previewed
    );
    drop(store);
    std::fs::remove_dir_all(dir)?;
    Ok(())
}

pub fn bench_export(contacts: usize) -> Result<()> {
    let dir = super::tempfile_dir()?;
    let store = Store::open(dir.join("export.db"))?;
    demo::seed_demo(store.conn(), contacts, 1)?;
    let out = dir.join("contacts.vcf");

    let (started, cpu) = (Instant::now(), cpu_seconds());
    let drafts = contacts_to_export(&store, true)?;
    let read_at = started.elapsed();
    std::fs::write(&out, write_vcards(&drafts))?;
    let total = started.elapsed();
    println!(
        "export {} contacts to vCard ({:.1} MB): {:.2} s ({:.2} s CPU), {:.0} contacts/s (read {:.2} s, write {:.2} s); \
         target < 2 s",
        drafts.len(),
        std::fs::metadata(&out)?.len() as f64 / 1e6,
        total.as_secs_f64(),
        cpu_seconds() - cpu,
        drafts.len() as f64 / total.as_secs_f64(),
        read_at.as_secs_f64(),
        (total - read_at).as_secs_f64()
    );
    drop(store);
    std::fs::remove_dir_all(dir)?;
    Ok(())
}

/// A made-up second family name, different for every `i` below 20^4.
fn surname(mut i: usize) -> String {
    const SYLLABLES: [&str; 20] = [
        "ba", "ren", "lo", "mi", "tor", "sa", "ven", "di", "ka", "mor", "ne", "pa", "ril", "so", "ta", "vel", "wi",
        "za", "ho", "lin",
    ];
    let mut name = String::new();
    for _ in 0..4 {
        name.push_str(SYLLABLES[i % SYLLABLES.len()]);
        i /= SYLLABLES.len();
    }
    let mut letters = name.chars();
    letters.next().map(|first| first.to_uppercase().chain(letters).collect()).unwrap_or_default()
}
