//! Merging an email or a fax for each recipient, and queueing the lot as one batch. Subject and
//! body use the letters' templates and fields; the body's light markup (paragraphs, `**bold**`,
//! `*italic*`) becomes plain text and, if asked for, an HTML alternative. Whoever must not get
//! the message (no address, do-not-email, no opt-in, suppressed, a repeated address) is skipped
//! with the reason, as the letter merge does. A fax sent without a document of its own carries
//! one made for its recipient: the merge's fax cover sheet, then the body set as a letter. An
//! email may carry its recipient's own letter, merged from a letter template, as a PDF.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::Serialize;
use uuid::Uuid;

use super::MailError;
use super::outbox::{Attachment, Attachments, MessageKind, Outgoing, enqueue};
use super::send::message_id;
use super::settings::MailSettings;
use super::suppress::find_suppression;
use crate::contacts::Contact;
use crate::merge::fax::{CoverText, fax_pages_for, fax_paper};
use crate::merge::fields::{DateStyle, Fields, Sender};
use crate::merge::fonts::Face;
use crate::merge::images::SenderImages;
use crate::merge::layout::{Page, Paper};
use crate::merge::letters::{LetterRun, Skipped, letter_pages_for};
use crate::merge::markup::{Paragraph, paragraphs};
use crate::merge::pdf::{DocInfo, write_pdf};
use crate::merge::template::Template;
use crate::workflow::consent::get_consent;
use crate::{Error, FieldError, Result};

/// One merge: what is sent, as what, by whom.
pub struct EmailRun<'a> {
    pub kind: MessageKind,
    pub subject: &'a Template,
    pub body: &'a Template,
    /// Also send an HTML alternative, made from the body's markup.
    pub html: bool,
    /// Sent with every message (for a fax: the document to fax; without one, each fax gets
    /// its cover sheet and the body set as a letter).
    pub attachment: Option<&'a Attachment>,
    /// Email only: attach each recipient's letter, merged from this template, as a PDF.
    pub letter: Option<&'a LetterAttachment<'a>>,
    /// "My details", for the templates' `sender.*` fields.
    pub sender: &'a Sender,
    /// Its logo and signature, for a fax set as a letter.
    pub images: &'a SenderImages,
    /// The date as the templates' `today` prints it.
    pub today: &'a str,
    pub settings: &'a MailSettings,
}

/// The letter an email carries for its recipient.
pub struct LetterAttachment<'a> {
    pub template: &'a Template,
    /// The template's name, which names the PDF ("prospect-letter.pdf").
    pub name: &'a str,
    pub paper: Paper,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Queued {
    /// `None` when nobody could be sent the message.
    pub batch_id: Option<Uuid>,
    pub queued: usize,
    pub skipped: Vec<Skipped>,
}

/// Merges the message for every recipient and queues those that may be sent, as one batch, due
/// at `at`. Nothing is sent here: the outbox runner does that.
pub fn queue_merge(conn: &Connection, run: &EmailRun, recipients: &[Contact], at: DateTime<Utc>) -> Result<Queued> {
    check_run(run)?;
    // Lower-cased address → who already gets this message, so a shared address gets one copy.
    let mut taken: HashMap<String, String> = HashMap::new();
    let (mut messages, mut skipped, mut documents) = (Vec::new(), Vec::new(), Vec::new());
    let own_fax = run.kind == MessageKind::Fax && run.attachment.is_none();
    let own_letter = run.letter.filter(|_| run.kind == MessageKind::Email);
    for contact in recipients {
        let composed =
            compose_message(conn, run, contact)?.and_then(|m| match taken.get(&m.to_address.to_lowercase()) {
                Some(first) => Err(format!("{} already gets this message (as {first})", m.to_address)),
                None => Ok(m),
            });
        match composed {
            Ok(message) => {
                taken.insert(message.to_address.to_lowercase(), contact.display_name.clone());
                if own_fax {
                    documents.push(fax_document(run, contact, &message.subject)?);
                } else if let Some(letter) = own_letter {
                    documents.push(letter_document(run, letter, contact)?);
                }
                messages.push(message);
            }
            Err(reason) => skipped.push(Skipped { name: contact.display_name.clone(), reason }),
        }
    }
    let attachments = match run.attachment {
        Some(shared) => Attachments::Shared(shared),
        None if own_fax || own_letter.is_some() => Attachments::Each(&documents),
        None => Attachments::None,
    };
    let batch_id = if messages.is_empty() { None } else { Some(enqueue(conn, &messages, attachments, at)?) };
    Ok(Queued { batch_id, queued: messages.len(), skipped })
}

/// The merged message for one contact (also the app's preview), or why they get none.
pub fn compose_message(
    conn: &Connection,
    run: &EmailRun,
    contact: &Contact,
) -> Result<std::result::Result<Outgoing, String>> {
    let fields = Fields::new(contact, run.sender, run.today);
    let to_address = match recipient_address(run, contact, &fields) {
        Ok(address) => address,
        Err(reason) => return Ok(Err(reason)),
    };
    if let Some(reason) = consent_problem(conn, run, contact, &to_address)? {
        return Ok(Err(reason));
    }
    let body = run.body.render(&fields)?;
    let email = run.kind == MessageKind::Email;
    let unsubscribe = run.settings.unsubscribe_to();
    let footer = email.then(|| {
        format!("\n\n--\nTo get no more emails like this, reply with “unsubscribe” or write to {unsubscribe}.")
    });
    Ok(Ok(Outgoing {
        kind: run.kind,
        contact_id: Some(contact.id),
        from_name: one_line(if run.settings.from_name.is_empty() { &run.sender.name } else { &run.settings.from_name }),
        from_address: run.settings.from_address.clone(),
        to_name: one_line(&contact.display_name),
        to_address,
        subject: one_line(&plain_text(&run.subject.render(&fields)?)),
        body_text: plain_text(&body) + footer.as_deref().unwrap_or_default(),
        body_html: run.html.then(|| html_document(&body, email.then_some(unsubscribe))),
        list_unsubscribe: email.then(|| format!("<mailto:{unsubscribe}?subject=unsubscribe>")),
        message_id: message_id(&run.settings.from_address),
    }))
}

/// The fax as a PDF: the cover sheet (to, from, pages, `subject`), then the body laid out as
/// the letter merge lays out a letter.
fn fax_document(run: &EmailRun, contact: &Contact, subject: &str) -> Result<Attachment> {
    let letter = letter_run(run, run.body, fax_paper(run.sender), subject);
    let fields = Fields::new(contact, run.sender, run.today);
    let pages = fax_pages_for(&letter, &fields, &CoverText { subject, note: "" })?;
    Ok(pdf_attachment(&pages, subject, run.sender, "fax.pdf"))
}

/// The recipient's letter as a PDF, laid out as the letter merge prints it.
fn letter_document(run: &EmailRun, letter: &LetterAttachment, contact: &Contact) -> Result<Attachment> {
    let layout = letter_run(run, letter.template, letter.paper, letter.name);
    let pages = letter_pages_for(&layout, &Fields::new(contact, run.sender, run.today))?;
    Ok(pdf_attachment(&pages, letter.name, run.sender, &format!("{}.pdf", letter.name)))
}

/// `template` laid out as a letter from the run's sender, with their logo and signature.
fn letter_run<'a>(run: &EmailRun<'a>, template: &'a Template, paper: Paper, title: &'a str) -> LetterRun<'a> {
    LetterRun {
        template,
        paper,
        date_style: DateStyle::default_for(paper),
        sender: run.sender,
        images: run.images,
        // Unused: the fields carry the run's date as written.
        today: Utc::now().date_naive(),
        title,
    }
}

fn pdf_attachment(pages: &[Page], title: &str, sender: &Sender, file_name: &str) -> Attachment {
    let bytes = write_pdf(pages, &DocInfo { title, author: &sender.name, created: Utc::now() });
    Attachment { file_name: file_name.into(), content_type: "application/pdf".into(), bytes }
}

/// Problems that stop the whole merge, not one recipient.
fn check_run(run: &EmailRun) -> Result<()> {
    if !run.settings.is_configured() {
        return Err(MailError::NotConfigured.into());
    }
    if run.kind == MessageKind::Fax && run.settings.fax_gateway.is_empty() {
        return Err(Error::Invalid(vec![FieldError::new(
            "faxGateway",
            "No fax gateway is set up: enter its address pattern, e.g. {fax_digits}@fax.example.com, in Settings ▸ Email.",
        )]));
    }
    Ok(())
}

/// The address the message goes to: the contact's (primary) email, or for a fax their fax
/// number at the gateway.
fn recipient_address(run: &EmailRun, contact: &Contact, fields: &Fields) -> std::result::Result<String, String> {
    let name = &contact.display_name;
    let address = match run.kind {
        MessageKind::Email => {
            let emails = &contact.draft.emails;
            let email =
                emails.iter().find(|e| e.primary).or(emails.first()).ok_or(format!("{name} has no email address"))?;
            email.value.clone()
        }
        MessageKind::Fax if fields.fax.is_empty() => {
            return Err(format!("{name} has no fax number (a phone labelled “fax”)"));
        }
        MessageKind::Fax => run
            .settings
            .fax_address(&fields.fax)
            .ok_or(format!("{name}’s fax number “{}” has no digits", fields.fax))?,
    };
    match address.parse::<lettre::Address>() {
        Ok(_) => Ok(address),
        Err(_) => Err(format!("{name}’s address “{address}” is not a valid email address")),
    }
}

/// Why this contact must not get the message, if they must not.
fn consent_problem(conn: &Connection, run: &EmailRun, contact: &Contact, address: &str) -> Result<Option<String>> {
    let name = &contact.display_name;
    if contact.deleted_at.is_some() {
        return Ok(Some(format!("{name} is in the Trash")));
    }
    let consent = get_consent(conn, contact.id)?;
    if let Some(reason) = consent.blocked(run.kind.channel(), name) {
        return Ok(Some(reason));
    }
    if run.kind == MessageKind::Email && run.settings.require_opt_in && consent.email_opt_in.is_none() {
        return Ok(Some(format!("{name} has not opted in to email, and Settings ▸ Email asks for opt-in")));
    }
    Ok(find_suppression(conn, address)?.map(|s| s.describe()))
}

/// A header value on one line: line breaks and other control characters (a merged
/// "Acme\r\nBcc: …" included) become spaces, so a value can never start a header of its own.
pub fn one_line(text: &str) -> String {
    let spaced: String =
        text.chars().map(|c| if c.is_control() || c == '\u{2028}' || c == '\u{2029}' { ' ' } else { c }).collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The body's markup as plain text: the markers go, escaped characters print as themselves,
/// paragraphs and blank lines stay where they were.
fn plain_text(markup: &str) -> String {
    let mut out = String::new();
    for (i, paragraph) in paragraphs(markup).iter().enumerate() {
        if i > 0 {
            out.push_str(&"\n".repeat(paragraph.blank_lines_before + 1));
        }
        let lines: Vec<String> =
            paragraph.lines.iter().map(|spans| spans.iter().map(|s| s.text.as_str()).collect()).collect();
        out.push_str(&lines.join("\n"));
    }
    out
}

/// The body's markup as a small HTML document, with the unsubscribe line as a mailto link.
fn html_document(markup: &str, unsubscribe: Option<&str>) -> String {
    let mut html = String::from("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n");
    for paragraph in paragraphs(markup) {
        html_paragraph(&mut html, &paragraph);
    }
    if let Some(address) = unsubscribe {
        let address = escape_html(address);
        html.push_str(&format!(
            "<p style=\"color:#666;font-size:small\">To get no more emails like this, \
             <a href=\"mailto:{address}?subject=unsubscribe\">unsubscribe</a>.</p>\n"
        ));
    }
    html.push_str("</body></html>\n");
    html
}

fn html_paragraph(html: &mut String, paragraph: &Paragraph) {
    // More than one blank line before a paragraph leaves room (a signature), as in letters.
    html.push_str(&"<br>".repeat(paragraph.blank_lines_before.saturating_sub(1)));
    html.push_str("<p>");
    for (i, spans) in paragraph.lines.iter().enumerate() {
        if i > 0 {
            html.push_str("<br>\n");
        }
        for span in spans {
            let text = escape_html(&span.text);
            html.push_str(&match span.face {
                Face::Regular => text,
                Face::Bold => format!("<strong>{text}</strong>"),
                Face::Italic => format!("<em>{text}</em>"),
                Face::BoldItalic => format!("<strong><em>{text}</em></strong>"),
            });
        }
    }
    html.push_str("</p>\n");
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values_stay_on_one_line() {
        assert_eq!(one_line("Hello Acme\r\nBcc: evil@x"), "Hello Acme Bcc: evil@x");
        assert_eq!(one_line(" a\u{2028}b\tc\u{0}d  "), "a b c d");
    }

    #[test]
    fn markup_becomes_plain_text_with_its_paragraphs() {
        let markup = "Dear Ann,\n\nWe help **\\*Star\\* Corp** and *you*.\nLine two.\n\n\nBest,\nBo";
        assert_eq!(plain_text(markup), "Dear Ann,\n\nWe help *Star* Corp and you.\nLine two.\n\n\nBest,\nBo");
    }

    #[test]
    fn markup_becomes_html_with_merged_values_escaped() {
        let html = html_document("Hi <b>Ann</b> & **Co**,\n*see* you", Some("bo@x.example"));
        assert!(
            html.contains("<p>Hi &lt;b&gt;Ann&lt;/b&gt; &amp; <strong>Co</strong>,<br>\n<em>see</em> you</p>"),
            "{html}"
        );
        assert!(html.contains("href=\"mailto:bo@x.example?subject=unsubscribe\""), "{html}");
    }
}
