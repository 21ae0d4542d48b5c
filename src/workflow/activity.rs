//! The timeline and the 3-step wrap-up. Logging what happened always settles what happens
//! next: a next action with its date, or an explicit "no next step" (which puts the contact
//! on the No next step list). System events (a letter printed, an email sent) go on the
//! timeline without touching the next step.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::require_contact;
use crate::contacts::ContactId;
use crate::store::{atomically, parse_id, parse_timestamp, timestamp};
use crate::{Error, FieldError, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ActivityKind {
    Call,
    Meeting,
    Letter,
    Email,
    Fax,
    Note,
    Purchase,
    Task,
}

impl ActivityKind {
    const ALL: [ActivityKind; 8] = [
        ActivityKind::Call,
        ActivityKind::Meeting,
        ActivityKind::Letter,
        ActivityKind::Email,
        ActivityKind::Fax,
        ActivityKind::Note,
        ActivityKind::Purchase,
        ActivityKind::Task,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::Call => "call",
            ActivityKind::Meeting => "meeting",
            ActivityKind::Letter => "letter",
            ActivityKind::Email => "email",
            ActivityKind::Fax => "fax",
            ActivityKind::Note => "note",
            ActivityKind::Purchase => "purchase",
            ActivityKind::Task => "task",
        }
    }

    pub fn parse(text: &str) -> Option<ActivityKind> {
        ActivityKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Activity {
    pub id: Uuid,
    pub contact_id: ContactId,
    pub kind: ActivityKind,
    pub happened_at: DateTime<Utc>,
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NextAction {
    pub kind: ActivityKind,
    pub text: String,
    pub due_on: NaiveDate,
}

/// The third step of the wrap-up: a next action, or an explicit decision that there is none.
/// As JSON: `{"step": "action", "kind": "call", "text": …, "dueOn": …}` or `{"step": "noNextStep"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "camelCase")]
pub enum NextStep {
    Action(NextAction),
    NoNextStep,
}

/// The wrap-up: what happened, and what's next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WrapUp {
    pub kind: ActivityKind,
    pub summary: String,
    pub happened_at: DateTime<Utc>,
    pub next: NextStep,
}

/// Logs an activity and settles the next step, as one unit.
pub fn log_activity(conn: &Connection, contact: ContactId, wrap_up: &WrapUp) -> Result<Activity> {
    check_wrap_up(wrap_up)?;
    atomically(conn, |conn| {
        let activity = record_activity(conn, contact, wrap_up.kind, &wrap_up.summary, wrap_up.happened_at)?;
        match &wrap_up.next {
            NextStep::Action(next) => set_next_action(conn, contact, next)?,
            NextStep::NoNextStep => {
                conn.execute(
                    "UPDATE contacts SET next_kind = NULL, next_text = '', next_due_on = NULL WHERE id = ?1",
                    [contact.to_string()],
                )?;
            }
        }
        Ok(activity)
    })
}

fn check_wrap_up(wrap_up: &WrapUp) -> Result<()> {
    let mut errors = Vec::new();
    if wrap_up.summary.trim().is_empty() {
        errors.push(FieldError::new("summary", "Say in a few words what happened."));
    }
    if let NextStep::Action(next) = &wrap_up.next {
        if next.text.trim().is_empty() {
            errors.push(FieldError::new("next.text", "Say what the next step is, or choose “No next step”."));
        }
        // Dates are the user's local ones and the time is UTC: allow a day either way so an
        // evening in the Americas may still set a follow-up for "today".
        if next.due_on < (wrap_up.happened_at - chrono::Duration::days(1)).date_naive() {
            errors.push(FieldError::new("next.dueOn", "The next step can’t be due before the activity happened."));
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(Error::Invalid(errors)) }
}

/// Puts an event on the timeline without changing the next step (letters printed, emails
/// sent, imports).
pub fn record_activity(
    conn: &Connection,
    contact: ContactId,
    kind: ActivityKind,
    summary: &str,
    at: DateTime<Utc>,
) -> Result<Activity> {
    require_contact(conn, contact)?;
    let activity = Activity {
        id: Uuid::now_v7(),
        contact_id: contact,
        kind,
        happened_at: at,
        summary: summary.trim().to_string(),
    };
    conn.prepare_cached(
        "INSERT INTO activities (id, contact_id, kind, happened_at, summary, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        activity.id.to_string(),
        contact.to_string(),
        kind.as_str(),
        timestamp(at),
        activity.summary,
        timestamp(Utc::now())
    ])?;
    conn.prepare_cached(
        "UPDATE contacts SET last_contacted_at = ?2 WHERE id = ?1 AND (last_contacted_at IS NULL OR last_contacted_at < ?2)",
    )?
    .execute(params![contact.to_string(), timestamp(at)])?;
    Ok(activity)
}

/// Replaces the contact's next step.
pub(super) fn set_next_action(conn: &Connection, contact: ContactId, next: &NextAction) -> Result<()> {
    conn.execute(
        "UPDATE contacts SET next_kind = ?2, next_text = ?3, next_due_on = ?4 WHERE id = ?1",
        params![contact.to_string(), next.kind.as_str(), next.text.trim(), next.due_on.to_string()],
    )?;
    Ok(())
}

/// The contact's open next action, if any.
pub fn next_action(conn: &Connection, contact: ContactId) -> Result<Option<NextAction>> {
    require_contact(conn, contact)?;
    let row = conn
        .query_row(
            "SELECT next_kind, next_text, next_due_on FROM contacts WHERE id = ?1 AND next_due_on IS NOT NULL",
            [contact.to_string()],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)),
        )
        .optional()?;
    Ok(row.and_then(|(kind, text, due)| {
        Some(NextAction { kind: ActivityKind::parse(&kind)?, text, due_on: due.parse().ok()? })
    }))
}

/// The timeline, newest first.
pub fn timeline(conn: &Connection, contact: ContactId) -> Result<Vec<Activity>> {
    require_contact(conn, contact)?;
    let rows = conn
        .prepare_cached(
            "SELECT id, kind, happened_at, summary FROM activities WHERE contact_id = ?1 ORDER BY happened_at DESC, id DESC",
        )?
        .query_map([contact.to_string()], |r| {
            let id: String = r.get(0)?;
            let kind: String = r.get(1)?;
            Ok(Activity {
                id: parse_id(&id)?,
                contact_id: contact,
                kind: ActivityKind::parse(&kind).unwrap_or(ActivityKind::Note),
                happened_at: parse_timestamp(&r.get::<_, String>(2)?)?,
                summary: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// When anything last happened with the contact.
pub fn last_contacted(conn: &Connection, contact: ContactId) -> Result<Option<DateTime<Utc>>> {
    require_contact(conn, contact)?;
    let text: Option<String> =
        conn.query_row("SELECT last_contacted_at FROM contacts WHERE id = ?1", [contact.to_string()], |r| r.get(0))?;
    Ok(text.as_deref().map(parse_timestamp).transpose()?)
}
