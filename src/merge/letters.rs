//! The parts of a merge that `run` puts together: the sample templates, one recipient's letter
//! merged and laid out, who can get post and in what order, the return address, and the note
//! each printed letter leaves on a timeline.

use std::path::PathBuf;

use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::fields::{DateStyle, Fields, Sender, address_lines, format_date};
use super::images::SenderImages;
use super::layout::{Letter, Page, Paper, layout_letter};
use super::template::Template;
use crate::contacts::{self, Contact, ContactId};
use crate::workflow::activity::{ActivityKind, record_activity};
use crate::{Result, Store};

/// The sample templates shipped with Rolodeck, by name.
pub const SAMPLE_TEMPLATES: &[(&str, &str)] = &[
    ("prospect-letter", include_str!("../../assets/templates/prospect-letter.txt")),
    ("proposal-cover", include_str!("../../assets/templates/proposal-cover.txt")),
    ("referral-thank-you", include_str!("../../assets/templates/referral-thank-you.txt")),
    ("welcome-client", include_str!("../../assets/templates/welcome-client.txt")),
    // The message after a fax's cover sheet (the cover itself is drawn by the fax layout).
    ("fax-cover", include_str!("../../assets/templates/fax-cover.txt")),
];

pub struct LetterRun<'a> {
    pub template: &'a Template,
    pub paper: Paper,
    pub date_style: DateStyle,
    pub sender: &'a Sender,
    /// The sender's logo and signature, loaded for the run (`SenderImages::load`).
    pub images: &'a SenderImages,
    pub today: NaiveDate,
    pub title: &'a str,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Skipped {
    pub name: String,
    pub reason: String,
}

/// Why a contact can't get a printed letter, if it can't.
pub fn postal_problem(contact: &Contact) -> Option<&'static str> {
    let deliverable =
        |a: &crate::contacts::Address| !a.street.is_empty() && (!a.city.is_empty() || !a.postal_code.is_empty());
    let has_address = contact.draft.addresses.iter().any(deliverable);
    (!has_address).then_some("no postal address (street and city or postal code)")
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
        images: run.images.clone(),
        signer: run.sender.name.clone(),
    };
    Ok(layout_letter(run.paper, &letter))
}

impl LetterRun<'_> {
    /// The merge fields for one recipient of this run.
    pub fn fields(&self, contact: &Contact) -> Fields {
        Fields::new(contact, self.sender, &format_date(self.today, self.date_style))
    }
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
    order.sort(&mut found);
    Ok(found)
}

impl RecipientOrder {
    /// Sorts contacts already in name (or picked) order; a stable sort keeps that order
    /// within one postal code.
    pub fn sort(self, contacts: &mut [Contact]) {
        if self == RecipientOrder::PostalCode {
            contacts
                .sort_by_cached_key(|c| c.draft.primary_address().map(|a| a.postal_code.clone()).unwrap_or_default());
        }
    }
}

/// Where printed PDFs go: `Documents/Rolodeck` in the user's home.
pub fn output_dir() -> PathBuf {
    directories::UserDirs::new()
        .and_then(|dirs| dirs.document_dir().map(PathBuf::from).or_else(|| Some(dirs.home_dir().join("Documents"))))
        .unwrap_or_else(|| PathBuf::from("."))
        .join("Rolodeck")
}

pub(super) fn return_address(sender: &Sender) -> Vec<String> {
    let mut lines = vec![sender.name.clone(), sender.company.clone()];
    lines.extend(address_lines(&sender.address(), &sender.country));
    lines.retain(|l| !l.is_empty());
    lines
}

/// Puts "what" on the timeline of each of `ids`, as one write.
pub(super) fn record_on_timelines(
    conn: &rusqlite::Connection,
    ids: &[ContactId],
    kind: ActivityKind,
    what: &str,
) -> Result<()> {
    let now = Utc::now();
    crate::store::atomically(conn, |conn| {
        for &id in ids {
            record_activity(conn, id, kind, what, now)?;
        }
        Ok(())
    })
}
