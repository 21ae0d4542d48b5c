//! The timeline and the 3-step wrap-up. Logging what happened always settles what happens
//! next: a next action with its date, or an explicit "no next step" (which puts the contact
//! on the No next step list). System events (a letter printed, an email sent) go on the
//! timeline without touching the next step.
//!
//! A logged activity can be corrected or deleted (and the deletion undone). Neither touches
//! the next step, which lives on the contact, so the wrap-up still holds; "last contacted" is
//! worked out again from what is left on the timeline.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::consent::Channel;
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

    /// The channel this kind of action reaches the contact by, which consent may block.
    pub fn channel(self) -> Option<Channel> {
        match self {
            ActivityKind::Call => Some(Channel::Call),
            ActivityKind::Letter => Some(Channel::Mail),
            ActivityKind::Email => Some(Channel::Email),
            ActivityKind::Fax => Some(Channel::Fax),
            ActivityKind::Meeting | ActivityKind::Note | ActivityKind::Purchase | ActivityKind::Task => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
        write_next_step(conn, contact, &wrap_up.next)?;
        Ok(activity)
    })
}

fn check_wrap_up(wrap_up: &WrapUp) -> Result<()> {
    let mut errors = summary_problems(&wrap_up.summary);
    errors.extend(next_step_problems(&wrap_up.next));
    if let NextStep::Action(next) = &wrap_up.next {
        // Dates are the user's local ones and the time is UTC: allow a day either way so an
        // evening in the Americas may still set a follow-up for "today".
        if next.due_on < (wrap_up.happened_at - chrono::Duration::days(1)).date_naive() {
            errors.push(FieldError::new("next.dueOn", "The next step can’t be due before the activity happened."));
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(Error::Invalid(errors)) }
}

fn summary_problems(summary: &str) -> Vec<FieldError> {
    let blank = summary.trim().is_empty();
    blank.then(|| FieldError::new("summary", "Say in a few words what happened.")).into_iter().collect()
}

fn next_step_problems(next: &NextStep) -> Vec<FieldError> {
    let blank = matches!(next, NextStep::Action(next) if next.text.trim().is_empty());
    blank
        .then(|| FieldError::new("next.text", "Say what the next step is, or choose “No next step”."))
        .into_iter()
        .collect()
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

/// Sets the contact's next step without logging anything: a new action with its date, or an
/// explicit "no next step" (which puts the contact on the No next step list).
pub fn set_next_action(conn: &Connection, contact: ContactId, next: &NextStep) -> Result<()> {
    let errors = next_step_problems(next);
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    require_contact(conn, contact)?;
    write_next_step(conn, contact, next)
}

pub(super) fn write_next_step(conn: &Connection, contact: ContactId, next: &NextStep) -> Result<()> {
    let (kind, text, due) = match next {
        NextStep::Action(next) => (Some(next.kind.as_str()), next.text.trim(), Some(next.due_on.to_string())),
        NextStep::NoNextStep => (None, "", None),
    };
    conn.execute(
        "UPDATE contacts SET next_kind = ?2, next_text = ?3, next_due_on = ?4 WHERE id = ?1",
        params![contact.to_string(), kind, text, due],
    )?;
    Ok(())
}

/// A correction to a logged activity: what kind it was, when it happened, and what happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityEdit {
    pub kind: ActivityKind,
    pub summary: String,
    pub happened_at: DateTime<Utc>,
}

pub fn get_activity(conn: &Connection, id: Uuid) -> Result<Activity> {
    conn.prepare_cached(&format!("{ACTIVITY_SELECT} WHERE id = ?1"))?
        .query_row([id.to_string()], activity_row)
        .optional()?
        .ok_or_else(|| Error::NotFound { what: "activity", id: id.to_string() })
}

const ACTIVITY_SELECT: &str = "SELECT id, contact_id, kind, happened_at, summary FROM activities";

fn activity_row(r: &rusqlite::Row) -> rusqlite::Result<Activity> {
    Ok(Activity {
        id: parse_id(&r.get::<_, String>(0)?)?,
        contact_id: parse_id(&r.get::<_, String>(1)?)?,
        kind: ActivityKind::parse(&r.get::<_, String>(2)?).unwrap_or(ActivityKind::Note),
        happened_at: parse_timestamp(&r.get::<_, String>(3)?)?,
        summary: r.get(4)?,
    })
}

/// Corrects what was logged; the contact's "last contacted" follows a changed time.
pub fn correct_activity(conn: &Connection, id: Uuid, edit: &ActivityEdit) -> Result<Activity> {
    let mut errors = summary_problems(&edit.summary);
    if edit.kind == ActivityKind::Purchase {
        errors.push(FieldError::new("kind", "A purchase is recorded with its amount: add it as a purchase."));
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    atomically(conn, |conn| {
        let before = editable(conn, id)?;
        conn.execute(
            "UPDATE activities SET kind = ?2, happened_at = ?3, summary = ?4 WHERE id = ?1",
            params![id.to_string(), edit.kind.as_str(), timestamp(edit.happened_at), edit.summary.trim()],
        )?;
        refresh_last_contacted(conn, before.contact_id)?;
        get_activity(conn, id)
    })
}

/// Deletes a logged activity and gives it back, so `restore_activity` can undo the deletion.
pub fn delete_activity(conn: &Connection, id: Uuid) -> Result<Activity> {
    atomically(conn, |conn| {
        let activity = editable(conn, id)?;
        conn.execute("DELETE FROM activities WHERE id = ?1", [id.to_string()])?;
        refresh_last_contacted(conn, activity.contact_id)?;
        Ok(activity)
    })
}

/// Puts a deleted activity back on its contact's timeline, as it was.
pub fn restore_activity(conn: &Connection, activity: &Activity) -> Result<()> {
    atomically(conn, |conn| {
        require_contact(conn, activity.contact_id)?;
        conn.execute(
            "INSERT INTO activities (id, contact_id, kind, happened_at, summary, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (id) DO NOTHING",
            params![
                activity.id.to_string(),
                activity.contact_id.to_string(),
                activity.kind.as_str(),
                timestamp(activity.happened_at),
                activity.summary,
                timestamp(Utc::now())
            ],
        )?;
        refresh_last_contacted(conn, activity.contact_id)
    })
}

/// The activity, unless it is a purchase's entry (which follows the purchase, not the timeline).
fn editable(conn: &Connection, id: Uuid) -> Result<Activity> {
    let activity = get_activity(conn, id)?;
    if activity.kind == ActivityKind::Purchase {
        return Err(Error::Invalid(vec![FieldError::new(
            "kind",
            "This entry belongs to a purchase; it changes with the purchase, not on its own.",
        )]));
    }
    Ok(activity)
}

/// "Last contacted" is the latest activity left on the timeline (none: never contacted).
fn refresh_last_contacted(conn: &Connection, contact: ContactId) -> Result<()> {
    conn.prepare_cached(
        "UPDATE contacts SET last_contacted_at = (SELECT max(happened_at) FROM activities WHERE contact_id = ?1)
         WHERE id = ?1",
    )?
    .execute([contact.to_string()])?;
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
        .prepare_cached(&format!("{ACTIVITY_SELECT} WHERE contact_id = ?1 ORDER BY happened_at DESC, id DESC"))?
        .query_map([contact.to_string()], activity_row)?
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
