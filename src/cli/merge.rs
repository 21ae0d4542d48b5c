//! `rolodeck merge`: print a letter for everyone a search finds, into one PDF.

use std::path::PathBuf;
use std::time::Instant;

use chrono::Local;
use clap::Args;
use rolodeck::merge::fields::{DateStyle, Sender};
use rolodeck::merge::layout::Paper;
use rolodeck::merge::letters::{LetterRun, RecipientOrder, SAMPLE_TEMPLATES, merge_letters, recipients};
use rolodeck::merge::template::Template;
use rolodeck::settings::{SENDER, get_setting};
use rolodeck::{Error, FieldError, Result, Store};

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// A sample template's name (prospect-letter, proposal-cover, referral-thank-you,
    /// welcome-client) or a template file
    #[arg(long)]
    template: String,
    /// Who gets a letter: a search, as in the app ("" for everyone)
    #[arg(long, default_value = "")]
    to: String,
    #[arg(long, value_enum, default_value = "us-window")]
    layout: Paper,
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
}

pub fn run(store: &Store, args: MergeArgs) -> Result<()> {
    let started = Instant::now();
    let (name, source) = template_source(&args.template)?;
    let template = Template::parse(&name, &source)?;
    let sender: Sender = match &args.sender {
        Some(path) => super::sender::read_sender(path)?,
        None => get_setting(store.conn(), SENDER)?.unwrap_or_default(),
    };
    let paper = args.layout;
    let date_style = args.date_style.unwrap_or(DateStyle::default_for(paper));

    let recipients = recipients(store, &args.to, args.sort)?;

    let run = LetterRun { template: &template, paper, date_style, sender: &sender, today: Local::now().date_naive(), title: &name };
    let outcome = merge_letters(&run, &recipients)?;
    std::fs::write(&args.out, &outcome.pdf)?;
    println!(
        "{} letters, {} skipped, {} pages, {} bytes, {:.2} s → {}",
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

/// A sample's name, or a file to read.
fn template_source(name: &str) -> Result<(String, String)> {
    if let Some((_, source)) = SAMPLE_TEMPLATES.iter().find(|(n, _)| *n == name) {
        return Ok((name.to_string(), source.to_string()));
    }
    let path = PathBuf::from(name);
    if !path.exists() {
        let names: Vec<&str> = SAMPLE_TEMPLATES.iter().map(|(n, _)| *n).collect();
        return Err(invalid("template", format!("no template “{name}”: use a file or one of {}", names.join(", "))));
    }
    let stem = path.file_stem().map_or(name.to_string(), |s| s.to_string_lossy().into_owned());
    Ok((stem, std::fs::read_to_string(&path)?))
}

fn invalid(field: &str, message: String) -> Error {
    Error::Invalid(vec![FieldError::new(field, message)])
}
