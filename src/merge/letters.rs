//! Running a letter merge: pick who gets a letter (and say who doesn't, and why), merge each
//! one through the template, lay it out, and print all of them into one PDF.

use std::path::PathBuf;

use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::fields::{DateStyle, Fields, Sender, address_lines, format_date};
use super::layout::{Letter, Page, Paper, layout_letter};
use super::pdf::{DocInfo, write_pdf};
use super::sheets::{Envelope, LabelSheet, layout_envelopes, layout_labels};
use super::svg::page_svg;
use super::template::Template;
use crate::contacts::{self, Contact};
use crate::{Result, Store};

/// The sample templates shipped with Rolodeck, by name.
pub const SAMPLE_TEMPLATES: &[(&str, &str)] = &[
    ("prospect-letter", include_str!("../../assets/templates/prospect-letter.txt")),
    ("proposal-cover", include_str!("../../assets/templates/proposal-cover.txt")),
    ("referral-thank-you", include_str!("../../assets/templates/referral-thank-you.txt")),
    ("welcome-client", include_str!("../../assets/templates/welcome-client.txt")),
];

pub struct LetterRun<'a> {
    pub template: &'a Template,
    pub paper: Paper,
    pub date_style: DateStyle,
    pub sender: &'a Sender,
    pub today: NaiveDate,
    pub title: &'a str,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Skipped {
    pub name: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PrintOutcome {
    pub letters: usize,
    pub pages: usize,
    pub skipped: Vec<Skipped>,
    #[serde(skip)]
    pub pdf: Vec<u8>,
}

/// Why a contact can't get a printed letter, if it can't.
pub fn postal_problem(contact: &Contact) -> Option<&'static str> {
    let deliverable = |a: &crate::contacts::Address| !a.street.is_empty() && (!a.city.is_empty() || !a.postal_code.is_empty());
    let has_address = contact.draft.addresses.iter().any(deliverable);
    (!has_address).then_some("no postal address (street and city or postal code)")
}

/// Lays out one recipient's letter: the same pages the PDF prints and the preview shows.
pub fn letter_pages(run: &LetterRun, contact: &Contact) -> Result<Vec<Page>> {
    letter_pages_for(run, &run.fields(contact))
}

/// Lays out the letter for already-gathered merge fields.
pub fn letter_pages_for(run: &LetterRun, fields: &Fields) -> Result<Vec<Page>> {
    let letter = Letter {
        letterhead: run.sender.letterhead(),
        return_line: run.sender.return_line(),
        recipient: fields.address_block.lines().map(str::to_string).collect(),
        date: fields.today.clone(),
        body: run.template.render(fields)?,
        running_head: fields.address_block.lines().next().unwrap_or_default().to_string(),
    };
    Ok(layout_letter(run.paper, &letter))
}

impl LetterRun<'_> {
    /// The merge fields for one recipient of this run.
    pub fn fields(&self, contact: &Contact) -> Fields {
        Fields::new(contact, self.sender, &format_date(self.today, self.date_style))
    }
}

/// Each page of one recipient's letter as SVG, for the live preview.
pub fn preview_svg(run: &LetterRun, contact: &Contact) -> Result<Vec<String>> {
    Ok(letter_pages(run, contact)?.iter().map(page_svg).collect())
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum RecipientOrder {
    #[default]
    Name,
    /// By postal code, for bulk-mail presorting.
    PostalCode,
}

/// Everyone a search finds (everyone for a blank query), in the order asked for.
pub fn recipients(store: &Store, query: &str, order: RecipientOrder) -> Result<Vec<Contact>> {
    let rows = contacts::search_contacts(store, query, 0, usize::MAX)?.rows;
    let mut found = rows.iter().map(|row| contacts::get_contact(store.conn(), row.id)).collect::<Result<Vec<_>>>()?;
    if order == RecipientOrder::PostalCode {
        found.sort_by_cached_key(|c| c.draft.addresses.iter().find(|a| a.primary).map(|a| a.postal_code.clone()).unwrap_or_default());
    }
    Ok(found)
}

/// Where printed PDFs go: `Documents/Rolodeck` in the user's home.
pub fn output_dir() -> PathBuf {
    directories::UserDirs::new()
        .and_then(|dirs| dirs.document_dir().map(PathBuf::from).or_else(|| Some(dirs.home_dir().join("Documents"))))
        .unwrap_or_else(|| PathBuf::from("."))
        .join("Rolodeck")
}

/// Merges `recipients` (in the order given) into one PDF; those who can't receive a letter
/// are listed in `skipped` with the reason.
pub fn merge_letters(run: &LetterRun, recipients: &[Contact]) -> Result<PrintOutcome> {
    let (mailable, skipped) = split_mailable(recipients);
    let mut pages = Vec::new();
    for contact in &mailable {
        pages.extend(letter_pages(run, contact)?);
    }
    Ok(finish(pages, mailable.len(), skipped, run.title, run.sender))
}

/// Envelopes or address labels for `recipients` (no template: the address is the content).
pub fn print_addresses(sender: &Sender, recipients: &[Contact], output: AddressOutput, title: &str) -> PrintOutcome {
    let (mailable, skipped) = split_mailable(recipients);
    let blocks: Vec<Vec<String>> =
        mailable.iter().map(|c| Fields::new(c, sender, "").address_block.lines().map(str::to_string).collect()).collect();
    let pages = match output {
        AddressOutput::Envelopes { envelope, offset } => {
            let mut return_address = vec![sender.name.clone(), sender.company.clone()];
            return_address.extend(address_lines(&sender.address(), &sender.country));
            return_address.retain(|l| !l.is_empty());
            layout_envelopes(envelope, &return_address, &blocks, offset)
        }
        AddressOutput::Labels { sheet, start_at, offset } => layout_labels(sheet, &blocks, start_at, offset),
    };
    finish(pages, mailable.len(), skipped, title, sender)
}

/// What to print addresses on, and the printer's calibration offset (mm right, mm down).
#[derive(Debug, Clone, Copy)]
pub enum AddressOutput {
    Envelopes { envelope: Envelope, offset: (f32, f32) },
    Labels { sheet: LabelSheet, start_at: usize, offset: (f32, f32) },
}

/// Those who can receive mail, and those who can't with the reason.
fn split_mailable(recipients: &[Contact]) -> (Vec<&Contact>, Vec<Skipped>) {
    let mut skipped = Vec::new();
    let mailable = recipients
        .iter()
        .filter(|c| match postal_problem(c) {
            Some(reason) => {
                skipped.push(Skipped { name: c.display_name.clone(), reason: reason.to_string() });
                false
            }
            None => true,
        })
        .collect();
    (mailable, skipped)
}

fn finish(pages: Vec<Page>, letters: usize, skipped: Vec<Skipped>, title: &str, sender: &Sender) -> PrintOutcome {
    let pdf = write_pdf(&pages, &DocInfo { title, author: &sender.name, created: Utc::now() });
    PrintOutcome { letters, pages: pages.len(), skipped, pdf }
}
