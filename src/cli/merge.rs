//! `rolodeck merge`: print letters, faxes, envelopes or labels for everyone a search finds,
//! into one PDF or one per recipient; list the recorded runs and print one again.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use chrono::Local;
use clap::Args;
use rolodeck::merge::Layout;
use rolodeck::merge::fields::DateStyle;
use rolodeck::merge::letters::{RecipientOrder, recipients};
use rolodeck::merge::library::{find_template, list_templates};
use rolodeck::merge::output::Target;
use rolodeck::merge::run::{MergeOptions, MergeSpec, preflight_run, reprint_run, run_merge};
use rolodeck::merge::runs::{get_run, list_runs};
use rolodeck::{Error, FieldError, Result, Store};

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// For letters and faxes: a saved or sample template (prospect-letter, proposal-cover,
    /// referral-thank-you, welcome-client, fax-cover) or a template file
    #[arg(long)]
    template: Option<String>,
    /// Who gets a letter: a search, as in the app ("" for everyone)
    #[arg(long, default_value = "")]
    to: String,
    /// us-window, din-a, din-b (letters); fax (a cover sheet, then the letter);
    /// envelope-10, envelope-dl, envelope-c5, envelope-c6; avery-5160, avery-5163,
    /// avery-l7160 (labels)
    #[arg(long, default_value = "us-window")]
    layout: Layout,
    /// For labels: the first free label on a partly used sheet (1 = top left)
    #[arg(long, default_value_t = 1)]
    start_at: usize,
    /// How the date is written [default: us on US Letter, german on A4]
    #[arg(long, value_enum)]
    date_style: Option<DateStyle>,
    #[arg(long, value_enum, default_value = "name")]
    sort: RecipientOrder,
    /// People at the same address get one letter (envelope, label) addressed to them all
    #[arg(long)]
    one_per_household: bool,
    /// For faxes: the cover's subject [default: the template's name]
    #[arg(long, default_value = "")]
    fax_subject: String,
    /// For faxes: a note on the cover
    #[arg(long, default_value = "")]
    fax_note: String,
    /// The sender's details as a JSON file [default: those saved with `rolodeck sender set`]
    #[arg(long)]
    sender: Option<PathBuf>,
    /// The PDF to write
    #[arg(long, default_value = "letters.pdf")]
    out: PathBuf,
    /// Instead of one PDF, one per recipient in this folder ("0001 Nowak, Anna.pdf"); files
    /// already there are never overwritten
    #[arg(long, conflicts_with = "out")]
    out_dir: Option<PathBuf>,
    /// For letters and faxes: list what to fix (unknown fields, blanks, missing characters,
    /// overflows) and print nothing
    #[arg(long)]
    preflight: bool,
    /// List the recorded runs, newest first
    #[arg(long, conflicts_with_all = ["reprint", "preflight"])]
    runs: bool,
    /// Print a recorded run again (see --runs): the same recipients, with the template text,
    /// sender and date it had; to --out or --out-dir
    #[arg(long, value_name = "RUN_ID")]
    reprint: Option<i64>,
}

pub fn run(store: &Store, args: MergeArgs) -> Result<()> {
    if args.runs {
        return print_runs(store);
    }
    let started = Instant::now();
    let target = match &args.out_dir {
        Some(dir) => Target::Folder(dir.clone()),
        None => Target::File(args.out.clone()),
    };
    // The CLI has no Cancel button: Ctrl-C ends the process, and the `.part` file with it.
    let (never, mut quiet) = (AtomicBool::new(false), |_, _| {});
    let (report, layout) = match args.reprint {
        Some(id) => {
            (reprint_run(store.conn(), id, &target, &mut quiet, &never)?, get_run(store.conn(), id)?.spec.layout)
        }
        None => {
            let spec = merge_spec(store, &args)?;
            let recipients = recipients(store, &args.to, args.sort)?;
            if args.preflight {
                return print_preflight(store, &spec, &recipients);
            }
            (run_merge(store.conn(), &spec, &recipients, &target, &mut quiet, &never)?, spec.layout)
        }
    };
    let what = match layout {
        Layout::Letter(_) => "letters",
        Layout::Fax => "faxes",
        Layout::Envelope(_) => "envelopes",
        Layout::Labels(_) => "labels",
    };
    println!(
        "{} {what}, {} skipped, {} pages, {} bytes, {:.2} s → {} (run {})",
        report.printed,
        report.skipped.len(),
        report.pages,
        report.bytes,
        started.elapsed().as_secs_f64(),
        target.path().display(),
        report.run_id
    );
    for skipped in &report.skipped {
        println!("  skipped {}: {}", skipped.name, skipped.reason);
    }
    Ok(())
}

/// The run the arguments ask for, with today's date and the sender's details.
fn merge_spec(store: &Store, args: &MergeArgs) -> Result<MergeSpec> {
    let (template_name, template_source) = match (&args.template, args.layout.uses_template()) {
        (Some(template), true) => template_source(store, template)?,
        (None, true) => {
            return Err(invalid("template", "letters and faxes need --template (a sample's name or a file)".into()));
        }
        (_, false) => Default::default(),
    };
    let saved = MergeOptions::saved(store.conn(), args.layout)?;
    Ok(MergeSpec {
        layout: args.layout,
        template_name,
        template_source,
        options: MergeOptions {
            date_style: args.date_style,
            sender: match &args.sender {
                Some(path) => super::sender::read_sender(path, &saved.sender)?,
                None => saved.sender,
            },
            household: args.one_per_household,
            start_at: args.start_at,
            fax_subject: args.fax_subject.clone(),
            fax_note: args.fax_note.clone(),
            ..saved
        },
    })
}

fn print_runs(store: &Store) -> Result<()> {
    let runs = list_runs(store.conn())?;
    for run in &runs {
        let again = run.reprint_of.map_or(String::new(), |id| format!(" (re-print of {id})"));
        println!(
            "{:>4}  {}  {:<11}  {}  {} printed, {} skipped, {} pages → {}{again}",
            run.id,
            run.created_at.with_timezone(&Local).format("%Y-%m-%d %H:%M"),
            run.spec.layout.name(),
            if run.spec.template_name.is_empty() { "-" } else { &run.spec.template_name },
            run.printed,
            run.skipped,
            run.pages,
            run.output
        );
    }
    println!("{} runs", runs.len());
    Ok(())
}

fn print_preflight(store: &Store, spec: &MergeSpec, recipients: &[rolodeck::contacts::Contact]) -> Result<()> {
    let problems = preflight_run(store.conn(), spec, recipients)?;
    for p in &problems {
        let line = p.line.map_or(String::new(), |l| format!("line {l}: "));
        println!("{line}{}", p.message);
    }
    println!("{} problems in {} letters", problems.len(), recipients.len());
    Ok(())
}

/// A saved template's or a sample's name, or a file to read.
fn template_source(store: &Store, name: &str) -> Result<(String, String)> {
    if let Some(found) = find_template(store.conn(), name)? {
        return Ok((found.name, found.source));
    }
    let path = PathBuf::from(name);
    if !path.exists() {
        let names: Vec<String> = list_templates(store.conn())?.into_iter().map(|t| t.name).collect();
        return Err(invalid("template", format!("no template “{name}”: use a file or one of {}", names.join(", "))));
    }
    let stem = path.file_stem().map_or(name.to_string(), |s| s.to_string_lossy().into_owned());
    Ok((stem, std::fs::read_to_string(&path)?))
}

fn invalid(field: &str, message: String) -> Error {
    Error::Invalid(vec![FieldError::new(field, message)])
}
