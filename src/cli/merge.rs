//! `rolodeck merge`: print a letter for everyone a search finds, into one PDF.

use std::path::PathBuf;
use std::time::Instant;

use chrono::Local;
use clap::{Args, ValueEnum};
use rolodeck::merge::fields::{DateStyle, Sender};
use rolodeck::merge::layout::Paper;
use rolodeck::merge::letters::{LetterRun, SAMPLE_TEMPLATES, merge_letters};
use rolodeck::merge::template::Template;
use rolodeck::{Error, FieldError, Result, Store, contacts};

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// A sample template's name (prospect-letter, proposal-cover, referral-thank-you,
    /// welcome-client) or a template file
    #[arg(long)]
    template: String,
    /// Who gets a letter: a search, as in the app ("" for everyone)
    #[arg(long, default_value = "")]
    to: String,
    #[arg(long, value_enum, default_value_t = PaperArg::UsWindow)]
    layout: PaperArg,
    /// How the date is written [default: us for us-window, german for din-a/din-b]
    #[arg(long, value_enum)]
    date_style: Option<DateArg>,
    #[arg(long, value_enum, default_value_t = SortArg::Name)]
    sort: SortArg,
    /// The sender's details as JSON (name, company, street, city, region, postal_code,
    /// country, phone, email, website)
    #[arg(long)]
    sender: Option<PathBuf>,
    #[arg(long, default_value = "letters.pdf")]
    out: PathBuf,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum PaperArg {
    UsWindow,
    DinA,
    DinB,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum DateArg {
    Us,
    International,
    German,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SortArg {
    Name,
    PostalCode,
}

pub fn run(store: &Store, args: MergeArgs) -> Result<()> {
    let started = Instant::now();
    let (name, source) = template_source(&args.template)?;
    let template = Template::parse(&name, &source)?;
    let sender: Sender = match &args.sender {
        Some(path) => serde_json::from_str(&std::fs::read_to_string(path)?)
            .map_err(|e| invalid("sender", format!("{}: {e}", path.display())))?,
        None => Sender::default(),
    };
    let paper = match args.layout {
        PaperArg::UsWindow => Paper::UsWindow,
        PaperArg::DinA => Paper::DinA,
        PaperArg::DinB => Paper::DinB,
    };
    let date_style = match (args.date_style, paper) {
        (Some(DateArg::Us), _) | (None, Paper::UsWindow) => DateStyle::Us,
        (Some(DateArg::International), _) => DateStyle::International,
        (Some(DateArg::German), _) | (None, _) => DateStyle::German,
    };

    let page = contacts::search_contacts(store, &args.to, 0, usize::MAX)?;
    let mut recipients =
        page.rows.iter().map(|row| contacts::get_contact(store.conn(), row.id)).collect::<Result<Vec<_>>>()?;
    if let SortArg::PostalCode = args.sort {
        let key = |c: &contacts::Contact| c.draft.addresses.iter().find(|a| a.primary).map(|a| a.postal_code.clone()).unwrap_or_default();
        recipients.sort_by_cached_key(key);
    }

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
