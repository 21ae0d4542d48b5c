//! `rolodeck merge`: print letters, envelopes or labels for everyone a search finds, into
//! one PDF.

use std::path::PathBuf;
use std::time::Instant;

use chrono::Local;
use clap::Args;
use rolodeck::merge::Layout;
use rolodeck::merge::fields::{DateStyle, Sender};
use rolodeck::merge::letters::{
    AddressOutput, LetterRun, RecipientOrder, merge_letters, print_addresses, recipients, record_printed,
    without_do_not_mail,
};
use rolodeck::merge::library::{find_template, list_templates};
use rolodeck::merge::preflight::preflight;
use rolodeck::merge::template::Template;
use rolodeck::settings::{SENDER, get_setting};
use rolodeck::{Error, FieldError, Result, Store};

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// For letters: a saved or sample template (prospect-letter, proposal-cover,
    /// referral-thank-you, welcome-client) or a template file
    #[arg(long)]
    template: Option<String>,
    /// Who gets a letter: a search, as in the app ("" for everyone)
    #[arg(long, default_value = "")]
    to: String,
    /// us-window, din-a, din-b (letters); envelope-10, envelope-dl, envelope-c5,
    /// envelope-c6; avery-5160, avery-5163, avery-l7160 (labels)
    #[arg(long, default_value = "us-window")]
    layout: Layout,
    /// For labels: the first free label on a partly used sheet (1 = top left)
    #[arg(long, default_value_t = 1)]
    start_at: usize,
    /// How the date is written [default: us for us-window, german for din-a/din-b]
    #[arg(long, value_enum)]
    date_style: Option<DateStyle>,
    #[arg(long, value_enum, default_value = "name")]
    sort: RecipientOrder,
    /// The sender's details as a JSON file [default: those saved with `rolodeck sender set`]
    #[arg(long)]
    sender: Option<PathBuf>,
    #[arg(long, default_value = "letters.pdf")]
    out: PathBuf,
    /// For letters: list what to fix (unknown fields, blanks, missing characters, overflows)
    /// and print nothing
    #[arg(long)]
    preflight: bool,
}

pub fn run(store: &Store, args: MergeArgs) -> Result<()> {
    let started = Instant::now();
    let sender: Sender = match &args.sender {
        Some(path) => super::sender::read_sender(path)?,
        None => get_setting(store.conn(), SENDER)?.unwrap_or_default(),
    };
    let (recipients, blocked) = without_do_not_mail(store.conn(), recipients(store, &args.to, args.sort)?)?;
    let offset = calibration(store, args.layout)?;
    let (mut outcome, what, activity) = match args.layout {
        Layout::Letter(paper) => {
            let Some(template) = &args.template else {
                return Err(invalid("template", "letters need --template (a sample's name or a file)".into()));
            };
            let (name, source) = template_source(store, template)?;
            let template = Template::parse(&name, &source)?;
            let date_style = args.date_style.unwrap_or(DateStyle::default_for(paper));
            let run = LetterRun {
                template: &template,
                paper,
                date_style,
                sender: &sender,
                today: Local::now().date_naive(),
                title: &name,
            };
            if args.preflight {
                return print_preflight(&run, &source, &recipients);
            }
            (merge_letters(&run, &recipients)?, "letters", format!("Letter: {name}"))
        }
        Layout::Envelope(envelope) => {
            let output = AddressOutput::Envelopes { envelope, offset };
            (print_addresses(&sender, &recipients, output, "Envelopes"), "envelopes", "Envelope printed".to_string())
        }
        Layout::Labels(sheet) => {
            let output = AddressOutput::Labels { sheet, start_at: args.start_at, offset };
            (
                print_addresses(&sender, &recipients, output, "Address labels"),
                "labels",
                "Address label printed".to_string(),
            )
        }
    };
    outcome.skipped.extend(blocked);
    std::fs::write(&args.out, &outcome.pdf)?;
    record_printed(store.conn(), &outcome, &activity)?;
    println!(
        "{} {what}, {} skipped, {} pages, {} bytes, {:.2} s → {}",
        outcome.letters,
        outcome.skipped.len(),
        outcome.pages,
        outcome.pdf.len(),
        started.elapsed().as_secs_f64(),
        args.out.display()
    );
    for skipped in &outcome.skipped {
        println!("  skipped {}: {}", skipped.name, skipped.reason);
    }
    Ok(())
}

fn print_preflight(run: &LetterRun, source: &str, recipients: &[rolodeck::contacts::Contact]) -> Result<()> {
    let problems = preflight(run, source, recipients)?;
    for p in &problems {
        let line = p.line.map_or(String::new(), |l| format!("line {l}: "));
        println!("{line}{}", p.message);
    }
    println!("{} problems in {} letters", problems.len(), recipients.len());
    Ok(())
}

/// The printer's saved offset for this layout (see `rolodeck calibrate`).
fn calibration(store: &Store, layout: Layout) -> Result<(f32, f32)> {
    Ok(get_setting(store.conn(), &calibration_key(layout))?.unwrap_or((0.0, 0.0)))
}

pub fn calibration_key(layout: Layout) -> String {
    format!("calibration.{}", layout.name())
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
