//! The persistent outbox: every email and fax is stored here, merged and with its Message-ID,
//! before anything is sent, so quitting, a crash or a week offline loses nothing. This module
//! is the queue the user sees and acts on (list, retry, drop); `run` is the one runner that
//! empties it.
//!
//! States: `queued` → `sending` → `sent`; a "not now" from the server goes back to `queued`
//! (later, with backoff), a "no" to `failed`; a message that may have been delivered but was
//! not confirmed becomes `uncertain`; `queued`, `failed` and `uncertain` messages can be
//! retried (→ `queued`) or dropped (→ `cancelled`). `sent` and `cancelled` are final.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::contacts::ContactId;
use crate::store::{atomically, parse_id, parse_timestamp, timestamp};
use crate::workflow::activity::ActivityKind;
use crate::workflow::consent::Channel;
use crate::{Error, FieldError, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum MessageKind {
    Email,
    Fax,
}

impl MessageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Email => "email",
            MessageKind::Fax => "fax",
        }
    }

    pub(super) fn parse(text: &str) -> MessageKind {
        if text == "fax" { MessageKind::Fax } else { MessageKind::Email }
    }

    pub fn channel(self) -> Channel {
        match self {
            MessageKind::Email => Channel::Email,
            MessageKind::Fax => Channel::Fax,
        }
    }

    pub(super) fn activity(self) -> ActivityKind {
        match self {
            MessageKind::Email => ActivityKind::Email,
            MessageKind::Fax => ActivityKind::Fax,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Queued,
    Sending,
    Sent,
    Failed,
    Uncertain,
    Cancelled,
}

impl State {
    const ALL: [State; 6] =
        [State::Queued, State::Sending, State::Sent, State::Failed, State::Uncertain, State::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            State::Queued => "queued",
            State::Sending => "sending",
            State::Sent => "sent",
            State::Failed => "failed",
            State::Uncertain => "uncertain",
            State::Cancelled => "cancelled",
        }
    }

    fn parse(text: &str) -> State {
        State::ALL.into_iter().find(|s| s.as_str() == text).unwrap_or(State::Failed)
    }
}

/// A merged message, ready to queue: everything the wire format needs except the date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub kind: MessageKind,
    pub contact_id: Option<ContactId>,
    pub from_name: String,
    pub from_address: String,
    pub to_name: String,
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub list_unsubscribe: Option<String>,
    pub message_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// One row of the outbox as the list shows it (the bodies stay in the file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboxEntry {
    pub id: Uuid,
    pub batch_id: Uuid,
    pub kind: MessageKind,
    pub contact_id: Option<ContactId>,
    pub to_name: String,
    pub to_address: String,
    pub subject: String,
    pub message_id: String,
    pub state: State,
    pub attempts: u32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// How many messages are in each state, for the app's badge and the CLI's summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboxCounts {
    pub queued: usize,
    pub sending: usize,
    pub sent: usize,
    pub failed: usize,
    pub uncertain: usize,
    pub cancelled: usize,
}

/// What a batch's messages carry.
#[derive(Debug, Clone, Copy)]
pub enum Attachments<'a> {
    None,
    /// One file for every message, stored once.
    Shared(&'a Attachment),
    /// Each message its own, in the order of the messages (a fax's cover sheet and letter).
    Each(&'a [Attachment]),
}

/// Stores `messages` with their attachments as one batch, due at `at`. All of them are queued,
/// or none is.
pub fn enqueue(conn: &Connection, messages: &[Outgoing], attachments: Attachments, at: DateTime<Utc>) -> Result<Uuid> {
    let batch = Uuid::now_v7();
    atomically(conn, |conn| {
        let shared = match attachments {
            Attachments::Shared(a) => Some(store_attachment(conn, a)?),
            _ => None,
        };
        let mut insert = conn.prepare_cached(
            "INSERT INTO outbox (id, batch_id, kind, contact_id, from_name, from_address, to_name, to_address, subject,
                body_text, body_html, list_unsubscribe, attachment_id, message_id, next_attempt_at, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15, ?15)",
        )?;
        for (i, m) in messages.iter().enumerate() {
            let attachment_id = match attachments {
                Attachments::Each(each) => Some(store_attachment(conn, &each[i])?),
                _ => shared,
            };
            insert.execute(params![
                Uuid::now_v7().to_string(),
                batch.to_string(),
                m.kind.as_str(),
                m.contact_id.map(|c| c.to_string()),
                m.from_name,
                m.from_address,
                m.to_name,
                m.to_address,
                m.subject,
                m.body_text,
                m.body_html,
                m.list_unsubscribe,
                attachment_id,
                m.message_id,
                timestamp(at),
            ])?;
        }
        Ok(batch)
    })
}

fn store_attachment(conn: &Connection, a: &Attachment) -> Result<i64> {
    conn.execute(
        "INSERT INTO outbox_attachments (file_name, content_type, bytes) VALUES (?1, ?2, ?3)",
        params![a.file_name, a.content_type, a.bytes],
    )?;
    Ok(conn.last_insert_rowid())
}

const ENTRY_SELECT: &str =
    "SELECT id, batch_id, kind, contact_id, to_name, to_address, subject, message_id, state, attempts,
    next_attempt_at, last_error, created_at, sent_at FROM outbox";

/// The outbox, oldest first; only messages in `state` when one is given.
pub fn list_outbox(conn: &Connection, state: Option<State>) -> Result<Vec<OutboxEntry>> {
    let rows: rusqlite::Result<Vec<OutboxEntry>> = match state {
        Some(state) => conn
            .prepare(&format!("{ENTRY_SELECT} WHERE state = ?1 ORDER BY seq"))?
            .query_map([state.as_str()], entry_row)?
            .collect(),
        None => conn.prepare(&format!("{ENTRY_SELECT} ORDER BY seq"))?.query_map([], entry_row)?.collect(),
    };
    Ok(rows?)
}

pub fn get_outbox_entry(conn: &Connection, id: Uuid) -> Result<OutboxEntry> {
    conn.query_row(&format!("{ENTRY_SELECT} WHERE id = ?1"), [id.to_string()], entry_row)
        .optional()?
        .ok_or_else(|| Error::NotFound { what: "outbox message", id: id.to_string() })
}

fn entry_row(r: &Row) -> rusqlite::Result<OutboxEntry> {
    let uuid = |i: usize| -> rusqlite::Result<Uuid> { parse_id(&r.get::<_, String>(i)?) };
    Ok(OutboxEntry {
        id: uuid(0)?,
        batch_id: uuid(1)?,
        kind: MessageKind::parse(&r.get::<_, String>(2)?),
        contact_id: r.get::<_, Option<String>>(3)?.as_deref().map(parse_id).transpose()?,
        to_name: r.get(4)?,
        to_address: r.get(5)?,
        subject: r.get(6)?,
        message_id: r.get(7)?,
        state: State::parse(&r.get::<_, String>(8)?),
        attempts: r.get(9)?,
        next_attempt_at: parse_timestamp(&r.get::<_, String>(10)?)?,
        last_error: r.get(11)?,
        created_at: parse_timestamp(&r.get::<_, String>(12)?)?,
        sent_at: r.get::<_, Option<String>>(13)?.as_deref().map(parse_timestamp).transpose()?,
    })
}

pub fn outbox_counts(conn: &Connection) -> Result<OutboxCounts> {
    let mut counts = OutboxCounts::default();
    let mut statement = conn.prepare("SELECT state, count(*) FROM outbox GROUP BY state")?;
    for row in statement.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (state, n) = row?;
        *match State::parse(&state) {
            State::Queued => &mut counts.queued,
            State::Sending => &mut counts.sending,
            State::Sent => &mut counts.sent,
            State::Failed => &mut counts.failed,
            State::Uncertain => &mut counts.uncertain,
            State::Cancelled => &mut counts.cancelled,
        } = n as usize;
    }
    Ok(counts)
}

/// Puts a failed, uncertain or waiting message back in the queue, due at `at`. For an
/// uncertain message this is the user's decision to risk a second copy; the Message-ID stays
/// the same, so mail programs can still tell it is one message.
pub fn retry_message(conn: &Connection, id: Uuid, at: DateTime<Utc>) -> Result<()> {
    change_state(conn, id, &[State::Queued, State::Failed, State::Uncertain], State::Queued, at)
}

/// Makes every failed and every waiting message due at `at` ("Try again now" after coming back
/// online). Uncertain messages are left alone: each needs its own decision.
pub fn retry_waiting(conn: &Connection, at: DateTime<Utc>) -> Result<usize> {
    let t = timestamp(at);
    Ok(conn.execute(
        "UPDATE outbox SET state = 'queued', deferrals = 0, next_attempt_at = ?1, updated_at = ?1
         WHERE state = 'failed' OR (state = 'queued' AND next_attempt_at > ?1)",
        [&t],
    )?)
}

/// Drops messages that have not gone out, all of them or none: they are cancelled and never sent.
pub fn drop_messages(conn: &Connection, ids: &[Uuid], at: DateTime<Utc>) -> Result<()> {
    atomically(conn, |conn| {
        ids.iter().try_for_each(|&id| {
            change_state(conn, id, &[State::Queued, State::Failed, State::Uncertain], State::Cancelled, at)
        })
    })
}

fn change_state(conn: &Connection, id: Uuid, from: &[State], to: State, at: DateTime<Utc>) -> Result<()> {
    let entry = get_outbox_entry(conn, id)?;
    if !from.contains(&entry.state) {
        let why = match entry.state {
            State::Sent => "it was sent already".to_string(),
            State::Sending => "it is being sent right now".to_string(),
            state => format!("it is {}", state.as_str()),
        };
        return Err(Error::Invalid(vec![FieldError::new(
            "state",
            format!("The message to {} can't be {}: {why}.", entry.to_address, verb(to)),
        )]));
    }
    let t = timestamp(at);
    // The state is checked again in the UPDATE: the runner may have claimed it meanwhile.
    let changed = conn.execute(
        "UPDATE outbox SET state = ?2, deferrals = 0, next_attempt_at = ?3, updated_at = ?3 WHERE id = ?1 AND state = ?4",
        params![id.to_string(), to.as_str(), t, entry.state.as_str()],
    )?;
    if changed == 0 { change_state(conn, id, from, to, at) } else { Ok(()) }
}

fn verb(to: State) -> &'static str {
    if to == State::Cancelled { "dropped" } else { "retried" }
}
