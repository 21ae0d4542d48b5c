//! Email and fax from the window: the server settings (the password goes to the keyring, never
//! the file), a test email, a merged message previewed per recipient, queueing a merge, and the
//! outbox — listed, sent by a background job that can be paused, retried or dropped per message.

use chrono::{Local, Utc};
use rolodeck::Store;
use rolodeck::contacts::{self, ContactId};
use rolodeck::mail::compose::{EmailRun, LetterAttachment, Queued, compose_message, queue_merge};
use rolodeck::mail::outbox::{
    MessageKind, OutboxCounts, OutboxEntry, drop_messages, list_outbox, outbox_counts, retry_message,
};
use rolodeck::mail::password::{Password, PasswordLocation, PasswordStore};
use rolodeck::mail::run::{RunOptions, RunReport, run_outbox};
use rolodeck::mail::send::{SmtpConnector, send_test_email};
use rolodeck::mail::settings::{MailSettings, get_mail_settings, set_mail_settings};
use rolodeck::mail::suppress::{SuppressionReason, suppress_address};
use rolodeck::merge::fields::{DateStyle, Sender, format_date, saved_sender};
use rolodeck::merge::images::SenderImages;
use rolodeck::merge::layout::Paper;
use rolodeck::merge::letters::RecipientOrder;
use rolodeck::merge::library::find_template;
use rolodeck::merge::recipients::Recipients;
use rolodeck::merge::template::Template;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime, State};
use uuid::Uuid;

use crate::jobs;
use crate::{AppState, CmdError};

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MailSetup {
    settings: MailSettings,
    /// Where the password is kept, or `None` when none is saved.
    password: Option<PasswordLocation>,
}

#[tauri::command]
pub async fn mail_settings(state: State<'_, AppState>) -> Result<MailSetup, CmdError> {
    let settings = state.with_store(|s| get_mail_settings(s.conn()))?;
    setup_of(settings)
}

/// Saves the settings and, when one is given, the password (to the keyring).
#[tauri::command]
pub async fn save_mail_settings(
    state: State<'_, AppState>,
    settings: MailSettings,
    password: Option<String>,
) -> Result<MailSetup, CmdError> {
    state.with_store(|s| set_mail_settings(s.conn(), &settings))?;
    if let Some(password) = password.filter(|p| !p.is_empty()) {
        PasswordStore::from_env().save(&settings.account(), &Password::new(password))?;
    }
    setup_of(settings)
}

fn setup_of(settings: MailSettings) -> Result<MailSetup, CmdError> {
    let password = PasswordStore::from_env().load(&settings.account())?.map(|(_, location)| location);
    Ok(MailSetup { settings, password })
}

/// Sends one plain test message to `to` with the saved settings; the error says what failed
/// (the name, the connection, TLS, the login, or the server's refusal).
#[tauri::command]
pub async fn send_test_mail(state: State<'_, AppState>, to: String) -> Result<(), CmdError> {
    let settings = state.with_store(|s| get_mail_settings(s.conn()))?;
    // The network may take its full timeout: wait for it off the async workers.
    tauri::async_runtime::spawn_blocking(move || -> rolodeck::Result<()> {
        let connector = SmtpConnector::new(settings, &PasswordStore::from_env())?;
        send_test_email(&connector, &to)
    })
    .await
    .map_err(|e| CmdError::new("internal", e.to_string()))??;
    Ok(())
}

/// An email (or fax) merge as written in the window.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmailDraft {
    subject: String,
    body: String,
    /// Also send an HTML version made from the body's markup.
    #[serde(default)]
    html: bool,
    #[serde(default)]
    fax: bool,
    date_style: DateStyle,
    /// Email only: attach each recipient's letter, merged from this saved or sample template.
    #[serde(default)]
    letter: Option<String>,
    #[serde(default = "us_window")]
    paper: Paper,
}

fn us_window() -> Paper {
    Paper::UsWindow
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EmailPreview {
    to: Option<String>,
    subject: String,
    text: String,
    /// Why this contact would get no message (no address, do-not-email, suppressed…).
    skip_reason: Option<String>,
    unknown_fields: Vec<String>,
}

#[tauri::command]
pub async fn email_preview(
    state: State<'_, AppState>,
    draft: EmailDraft,
    contact_id: ContactId,
) -> Result<EmailPreview, CmdError> {
    state.with_store(|store| {
        let contact = contacts::get_contact(store.conn(), contact_id)?;
        let merge = Merge::new(store, &draft)?;
        let letter = merge.letter(&draft);
        let unknown_fields = merge.unknown_fields();
        Ok(match compose_message(store.conn(), &merge.run(&draft, letter.as_ref()), &contact)? {
            Ok(m) => EmailPreview {
                to: Some(m.to_address),
                subject: m.subject,
                text: m.body_text,
                skip_reason: None,
                unknown_fields,
            },
            Err(reason) => EmailPreview {
                to: None,
                subject: String::new(),
                text: String::new(),
                skip_reason: Some(reason),
                unknown_fields,
            },
        })
    })
}

/// Merges the message for every recipient and queues it; `outbox_send` then sends it.
#[tauri::command]
pub async fn queue_email(
    state: State<'_, AppState>,
    draft: EmailDraft,
    recipients: Recipients,
) -> Result<Queued, CmdError> {
    state.with_store(|store| {
        let merge = Merge::new(store, &draft)?;
        let letter = merge.letter(&draft);
        let chosen = recipients.resolve(store, RecipientOrder::Name)?;
        queue_merge(store.conn(), &merge.run(&draft, letter.as_ref()), &chosen, Utc::now())
    })
}

/// What an email merge needs besides its recipients: the parsed templates (subject, body and
/// the letter to attach, if any), the server settings, "My details" with its logo and
/// signature (for the PDFs a fax or an attached letter carries) and today's date.
struct Merge {
    subject: Template,
    body: Template,
    letter: Option<(Template, String)>,
    settings: MailSettings,
    sender: Sender,
    images: SenderImages,
    today: String,
}

impl Merge {
    fn new(store: &Store, draft: &EmailDraft) -> rolodeck::Result<Merge> {
        let letter = match &draft.letter {
            Some(name) => {
                let found = find_template(store.conn(), name)?
                    .ok_or_else(|| rolodeck::Error::Missing(format!("no letter template “{name}”")))?;
                Some((Template::parse(&found.name, &found.source)?, found.name))
            }
            None => None,
        };
        let sender = saved_sender(store.conn())?;
        let pdfs = draft.fax || letter.is_some();
        Ok(Merge {
            subject: Template::parse("subject", &draft.subject)?,
            body: Template::parse("body", &draft.body)?,
            images: if pdfs { SenderImages::load(store.conn(), &sender)? } else { SenderImages::default() },
            letter,
            settings: get_mail_settings(store.conn())?,
            sender,
            today: format_date(Local::now().date_naive(), draft.date_style),
        })
    }

    fn letter(&self, draft: &EmailDraft) -> Option<LetterAttachment<'_>> {
        self.letter.as_ref().map(|(template, name)| LetterAttachment { template, name, paper: draft.paper })
    }

    fn run<'a>(&'a self, draft: &EmailDraft, letter: Option<&'a LetterAttachment<'a>>) -> EmailRun<'a> {
        EmailRun {
            kind: if draft.fax { MessageKind::Fax } else { MessageKind::Email },
            subject: &self.subject,
            body: &self.body,
            html: draft.html,
            attachment: None,
            letter,
            sender: &self.sender,
            images: &self.images,
            today: &self.today,
            settings: &self.settings,
        }
    }

    fn unknown_fields(&self) -> Vec<String> {
        let mut fields = self.subject.unknown_fields();
        fields.extend(self.body.unknown_fields());
        fields.sort();
        fields.dedup();
        fields
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Outbox {
    counts: OutboxCounts,
    /// Newest first.
    messages: Vec<OutboxEntry>,
}

#[tauri::command]
pub async fn outbox(state: State<'_, AppState>) -> Result<Outbox, CmdError> {
    state.with_store(|s| {
        let mut messages = list_outbox(s.conn(), None)?;
        messages.reverse();
        Ok(Outbox { counts: outbox_counts(s.conn())?, messages })
    })
}

/// Starts sending what is due (`now`: also what waits for a later retry) as the job "outbox";
/// progress comes one message at a time, and `cancel_job("outbox")` pauses after the message
/// in hand. The report (`RunReport`) is the job's result.
#[tauri::command]
pub async fn outbox_send<R: Runtime>(app: AppHandle<R>, now: bool) -> Result<(), CmdError> {
    jobs::start(&app, "outbox", move |store, progress| -> rolodeck::Result<RunReport> {
        let settings = get_mail_settings(store.conn())?;
        let connector = SmtpConnector::new(settings.clone(), &PasswordStore::from_env())?;
        let total = outbox_counts(store.conn())?.queued;
        let options =
            RunOptions { per_minute: settings.per_minute, ignore_schedule: now, stop: Some(progress.stop_flag()) };
        let mut done = 0;
        progress.report(0, total);
        run_outbox(store, &connector, &options, &mut |_| {
            done += 1;
            progress.report(done, total.max(done));
        })
    })
}

/// Puts a failed, uncertain or waiting message back in the queue, due now.
#[tauri::command]
pub async fn outbox_retry(state: State<'_, AppState>, id: Uuid) -> Result<(), CmdError> {
    state.with_store(|s| retry_message(s.conn(), id, Utc::now()))
}

/// Drops messages that have not gone out (all of them, or none): they are never sent.
#[tauri::command]
pub async fn outbox_drop(state: State<'_, AppState>, ids: Vec<Uuid>) -> Result<(), CmdError> {
    state.with_store(|s| drop_messages(s.conn(), &ids, Utc::now()))
}

/// Records an unsubscribe or a bounce: the address gets no more mail, and its contact is
/// marked do-not-email.
#[tauri::command]
pub async fn suppress_email(
    state: State<'_, AppState>,
    address: String,
    reason: SuppressionReason,
    note: String,
) -> Result<(), CmdError> {
    state.with_store(|s| suppress_address(s.conn(), &address, reason, &note, Utc::now()).map(drop))
}
