//! The one runner that empties the outbox: it hands due messages to the server one at a time,
//! throttled, and writes each outcome down before it starts the next.
//!
//! "Never twice" rests on one rule: a message is marked `sending`, on disk, after the server
//! accepted its envelope and before the first byte of its content goes out, and only the
//! server's "250 OK" to that content makes it `sent`. A message a later run finds in `sending`
//! (a crash, a kill, a pulled plug), or whose connection broke after its content went out, may
//! have been delivered: it becomes `uncertain`, and only the user can send it again.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use chrono::{DateTime, TimeDelta, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use uuid::Uuid;

use super::MailError;
use super::outbox::{Attachment, MessageKind, Outgoing, State};
use super::send::{Connect, Failure, Transport, envelope, mime};
use super::suppress::find_suppression;
use crate::contacts::ContactId;
use crate::store::parse_id;
use crate::store::{atomically, parse_timestamp, timestamp};
use crate::workflow::activity::record_activity;
use crate::workflow::consent::get_consent;
use crate::{Result, Store};

/// After this many "not now" answers from the server for one message, it is marked failed
/// (the backoff below makes that about two hours of trying).
const MAX_DEFERRALS: u32 = 8;
/// The longest wait between two tries of one message.
const MAX_BACKOFF_MINUTES: i64 = 60;

/// How a run behaves.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions<'a> {
    /// The throttle (see `MailSettings::per_minute`).
    pub per_minute: u32,
    /// Try waiting messages now instead of at their scheduled time ("Send now").
    pub ignore_schedule: bool,
    /// Set from another thread to stop after the message in hand (the app's Stop button).
    pub stop: Option<&'a AtomicBool>,
}

/// What happened to one message in a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "camelCase")]
pub enum Outcome {
    Sent,
    /// The server said "not now" (or the connection broke before the content went out).
    Deferred {
        reason: String,
        next_attempt_at: DateTime<Utc>,
    },
    Failed {
        reason: String,
    },
    /// It may have been delivered: the user decides.
    Uncertain {
        reason: String,
    },
    /// Consent changed after it was queued (do-not-email, unsubscribed, bounced).
    Cancelled {
        reason: String,
    },
}

/// Progress, one message at a time.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunEvent {
    pub id: Uuid,
    pub to_address: String,
    pub subject: String,
    #[serde(flatten)]
    pub outcome: Outcome,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunReport {
    pub sent: usize,
    pub deferred: usize,
    pub failed: usize,
    pub uncertain: usize,
    pub cancelled: usize,
    /// Messages left in `sending` by an earlier run that was interrupted, now uncertain.
    pub interrupted: usize,
    /// Why the run stopped early: the server could not be reached or refused the login.
    pub stopped_by: Option<MailError>,
    /// Messages still queued, and when the first of them is due.
    pub waiting: usize,
    pub next_attempt_at: Option<DateTime<Utc>>,
}

/// Sends every message that is due, throttled, until none is due, the server can't be reached,
/// or `options.stop` is set. Only one run per file at a time: a second gets `MailError::Busy`.
pub fn run_outbox(
    store: &Store,
    connector: &dyn Connect,
    options: &RunOptions,
    on_event: &mut dyn FnMut(&RunEvent),
) -> Result<RunReport> {
    let _lock = lock_outbox(store.path())?;
    let conn = store.conn();
    let interrupted = mark_interrupted(conn, Utc::now())?;
    if options.ignore_schedule {
        conn.execute(
            "UPDATE outbox SET next_attempt_at = ?1 WHERE state = 'queued' AND next_attempt_at > ?1",
            [timestamp(Utc::now())],
        )?;
    }
    let mut throttle = Throttle::new(options.per_minute, last_sent_at(conn)?);
    let mut runner = Runner {
        conn,
        connector,
        on_event,
        session: None,
        attachment: None,
        report: RunReport { interrupted, uncertain: interrupted, ..Default::default() },
    };
    while !options.stop.is_some_and(|s| s.load(Ordering::Relaxed)) {
        let Some(message) = next_due(conn, Utc::now())? else { break };
        if let Some(reason) = blocked_now(conn, &message)? {
            runner.record(&message, Outcome::Cancelled { reason }, false)?;
            continue;
        }
        if !throttle.wait(options.stop) || !runner.send(&message)? {
            break;
        }
    }
    runner.hang_up();
    let mut report = runner.report;
    (report.waiting, report.next_attempt_at) = waiting(conn)?;
    Ok(report)
}

/// A run in progress: the open session (kept from one message to the next while all goes
/// well), the last attachment loaded, and the tally so far.
struct Runner<'a> {
    conn: &'a Connection,
    connector: &'a dyn Connect,
    on_event: &'a mut dyn FnMut(&RunEvent),
    session: Option<Box<dyn Transport>>,
    attachment: Option<(i64, Attachment)>,
    report: RunReport,
}

impl Runner<'_> {
    /// Sends one message and records the outcome; false when the server can't be reached, which
    /// ends the run.
    fn send(&mut self, message: &Pending) -> Result<bool> {
        let bytes = match wire_bytes(self.conn, message, &mut self.attachment)? {
            Ok(bytes) => bytes,
            Err(reason) => return self.record(message, Outcome::Failed { reason }, false).map(|()| true),
        };
        let conn = self.conn;
        let Some(transport) = self.connection()? else { return Ok(false) };
        match deliver(conn, transport.as_mut(), message, &bytes)? {
            Delivery::Done { outcome, content_sent } => {
                if outcome != Outcome::Sent {
                    // After any failure the connection's state is unknown: the next message
                    // starts on a fresh one.
                    self.hang_up();
                }
                self.record(message, outcome, !content_sent)?;
            }
            // The user dropped it meanwhile (already recorded); the server is waiting for content
            // that will not come, so that connection is done.
            Delivery::Dropped => self.hang_up(),
        }
        Ok(true)
    }

    /// The open session if it still answers, else a new one; `None` when the server can't be
    /// reached (or refused the login): then every due message waits, with the reason.
    fn connection(&mut self) -> Result<Option<&mut Box<dyn Transport>>> {
        if self.session.as_mut().is_some_and(|s| !s.is_alive()) {
            self.hang_up();
        }
        if self.session.is_none() {
            match self.connector.connect() {
                Ok(transport) => self.session = Some(transport),
                Err(err) => {
                    self.report.deferred += defer_all_due(self.conn, &err, Utc::now())?;
                    self.report.stopped_by = Some(err);
                    return Ok(None);
                }
            }
        }
        Ok(self.session.as_mut())
    }

    fn hang_up(&mut self) {
        if let Some(transport) = self.session.take() {
            transport.close();
        }
    }

    /// Writes the outcome down, counts it, and tells the caller.
    fn record(&mut self, pending: &Pending, outcome: Outcome, count_attempt: bool) -> Result<()> {
        settle(self.conn, pending, &outcome, count_attempt)?;
        let report = &mut self.report;
        match &outcome {
            Outcome::Sent => report.sent += 1,
            Outcome::Deferred { .. } => report.deferred += 1,
            Outcome::Failed { .. } => report.failed += 1,
            Outcome::Uncertain { .. } => report.uncertain += 1,
            Outcome::Cancelled { .. } => report.cancelled += 1,
        }
        let m = &pending.message;
        (self.on_event)(&RunEvent {
            id: pending.id,
            to_address: m.to_address.clone(),
            subject: m.subject.clone(),
            outcome,
        });
        Ok(())
    }
}

/// A queued message as the runner needs it.
struct Pending {
    id: Uuid,
    deferrals: u32,
    attempts: u32,
    attachment_id: Option<i64>,
    message: Outgoing,
}

/// Messages a run left in `sending` may have been delivered: they become `uncertain`. Only
/// called while holding the outbox lock, so no live run can own them.
fn mark_interrupted(conn: &Connection, at: DateTime<Utc>) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE outbox SET state = 'uncertain', updated_at = ?1,
            last_error = 'Rolodeck stopped while handing this message to the server, so it may have been sent. Resend it or drop it.'
         WHERE state = 'sending'",
        [timestamp(at)],
    )?)
}

fn next_due(conn: &Connection, now: DateTime<Utc>) -> Result<Option<Pending>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, deferrals, attempts, attachment_id, kind, contact_id, from_name, from_address, to_name, to_address,
                subject, body_text, body_html, list_unsubscribe, message_id
             FROM outbox WHERE state = 'queued' AND next_attempt_at <= ?1 ORDER BY next_attempt_at, seq LIMIT 1",
        )?
        .query_row([timestamp(now)], |r| {
            Ok(Pending {
                id: parse_id(&r.get::<_, String>(0)?)?,
                deferrals: r.get(1)?,
                attempts: r.get(2)?,
                attachment_id: r.get(3)?,
                message: Outgoing {
                    kind: MessageKind::parse(&r.get::<_, String>(4)?),
                    contact_id: r.get::<_, Option<String>>(5)?.as_deref().map(parse_id).transpose()?,
                    from_name: r.get(6)?,
                    from_address: r.get(7)?,
                    to_name: r.get(8)?,
                    to_address: r.get(9)?,
                    subject: r.get(10)?,
                    body_text: r.get(11)?,
                    body_html: r.get(12)?,
                    list_unsubscribe: r.get(13)?,
                    message_id: r.get(14)?,
                },
            })
        })
        .optional()?)
}

/// Why the message must not go now, though it was fine when queued: the contact became
/// do-not-email (or do-not-fax), or the address unsubscribed or bounced since.
fn blocked_now(conn: &Connection, pending: &Pending) -> Result<Option<String>> {
    let m = &pending.message;
    if let Some(contact) = m.contact_id
        && let Some(reason) = get_consent(conn, contact)?.blocked(m.kind.channel(), &m.to_name)
    {
        return Ok(Some(reason));
    }
    Ok(find_suppression(conn, &m.to_address)?.map(|s| s.describe()))
}

/// The message as it goes on the wire, or why it can't be built (then it never can).
fn wire_bytes(
    conn: &Connection,
    pending: &Pending,
    cache: &mut Option<(i64, Attachment)>,
) -> Result<std::result::Result<Vec<u8>, String>> {
    let attachment = match pending.attachment_id {
        Some(id) => {
            if cache.as_ref().is_none_or(|(cached, _)| *cached != id) {
                *cache = Some((id, load_attachment(conn, id)?));
            }
            cache.as_ref().map(|(_, a)| a)
        }
        None => None,
    };
    Ok(mime(&pending.message, attachment, SystemTime::now()))
}

fn load_attachment(conn: &Connection, id: i64) -> Result<Attachment> {
    Ok(conn.query_row("SELECT file_name, content_type, bytes FROM outbox_attachments WHERE id = ?1", [id], |r| {
        Ok(Attachment { file_name: r.get(0)?, content_type: r.get(1)?, bytes: r.get(2)? })
    })?)
}

enum Delivery {
    /// `content_sent`: whether the content started to go out (only then can it have arrived).
    Done {
        outcome: Outcome,
        content_sent: bool,
    },
    Dropped,
}

/// Hands one message to the server.
fn deliver(conn: &Connection, transport: &mut dyn Transport, pending: &Pending, bytes: &[u8]) -> Result<Delivery> {
    let envelope = match envelope(&pending.message) {
        Ok(envelope) => envelope,
        Err(reason) => return Ok(Delivery::Done { outcome: Outcome::Failed { reason }, content_sent: false }),
    };
    if let Err(failure) = transport.begin(&envelope) {
        // Nothing of the message went out, so whatever happened it is safe to try again.
        return Ok(Delivery::Done { outcome: refusal(pending, failure, false), content_sent: false });
    }
    // The commit point: from here on the message may reach the recipient, so it must be on
    // disk as `sending` first. If the user dropped it meanwhile, stop here instead.
    if !mark_sending(conn, pending.id)? {
        return Ok(Delivery::Dropped);
    }
    let outcome = match transport.finish(bytes) {
        Ok(()) => Outcome::Sent,
        Err(failure) => refusal(pending, failure, true),
    };
    Ok(Delivery::Done { outcome, content_sent: true })
}

/// What a failure means for the message: a "not now" answer (or a break before the content)
/// is retried later, a "no" fails it, and a break after the content leaves it uncertain.
fn refusal(pending: &Pending, failure: Failure, content_sent: bool) -> Outcome {
    match failure {
        Failure::Broken(reason) if content_sent => Outcome::Uncertain {
            reason: format!(
                "the connection broke before the server confirmed the message, so it may have been sent ({reason}); resend it or drop it"
            ),
        },
        Failure::Deferred(reason) | Failure::Broken(reason) if pending.deferrals + 1 < MAX_DEFERRALS => {
            let attempts = pending.attempts + u32::from(!content_sent);
            Outcome::Deferred { reason, next_attempt_at: Utc::now() + backoff(attempts) }
        }
        Failure::Deferred(reason) | Failure::Broken(reason) => Outcome::Failed {
            reason: format!("the server kept putting this message off; the last answer was: {reason}"),
        },
        Failure::Rejected(reason) => Outcome::Failed { reason },
    }
}

/// 1, 2, 4 … minutes after the 1st, 2nd, 3rd … try, at most an hour.
fn backoff(attempts: u32) -> TimeDelta {
    TimeDelta::minutes((1i64 << attempts.saturating_sub(1).min(16)).min(MAX_BACKOFF_MINUTES))
}

/// Claims the message for the wire; false if it is no longer queued (dropped meanwhile).
fn mark_sending(conn: &Connection, id: Uuid) -> Result<bool> {
    let changed = conn.execute(
        "UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ?2 WHERE id = ?1 AND state = 'queued'",
        params![id.to_string(), timestamp(Utc::now())],
    )?;
    Ok(changed == 1)
}

/// Records an outcome. `count_attempt` adds the try to the message's count when it ended
/// before `mark_sending` (which counts it otherwise).
fn settle(conn: &Connection, pending: &Pending, outcome: &Outcome, count_attempt: bool) -> Result<()> {
    let now = Utc::now();
    let (id, extra) = (pending.id.to_string(), i64::from(count_attempt));
    atomically(conn, |conn| {
        match outcome {
            Outcome::Sent => {
                conn.execute(
                    "UPDATE outbox SET state = 'sent', sent_at = ?2, updated_at = ?2, last_error = NULL WHERE id = ?1",
                    params![id, timestamp(now)],
                )?;
                let m = &pending.message;
                // Read again: the contact may have been deleted for good while the message waited.
                if let Some(contact) = contact_of(conn, pending.id)? {
                    record_activity(
                        conn,
                        contact,
                        m.kind.activity(),
                        &format!("{} sent: {}", label(m.kind), m.subject),
                        now,
                    )?;
                }
            }
            Outcome::Deferred { reason, next_attempt_at } => {
                conn.execute(
                    "UPDATE outbox SET state = 'queued', attempts = attempts + ?2, deferrals = deferrals + 1, last_error = ?3,
                        next_attempt_at = ?4, updated_at = ?5 WHERE id = ?1",
                    params![id, extra, reason, timestamp(*next_attempt_at), timestamp(now)],
                )?;
            }
            Outcome::Failed { reason } | Outcome::Uncertain { reason } | Outcome::Cancelled { reason } => {
                let state = match outcome {
                    Outcome::Failed { .. } => State::Failed,
                    Outcome::Uncertain { .. } => State::Uncertain,
                    _ => State::Cancelled,
                };
                conn.execute(
                    "UPDATE outbox SET state = ?2, attempts = attempts + ?3, last_error = ?4, updated_at = ?5 WHERE id = ?1",
                    params![id, state.as_str(), extra, reason, timestamp(now)],
                )?;
            }
        }
        Ok(())
    })
}

fn label(kind: MessageKind) -> &'static str {
    match kind {
        MessageKind::Email => "Email",
        MessageKind::Fax => "Fax",
    }
}

fn contact_of(conn: &Connection, id: Uuid) -> Result<Option<ContactId>> {
    let text: Option<String> =
        conn.query_row("SELECT contact_id FROM outbox WHERE id = ?1", [id.to_string()], |r| r.get(0))?;
    Ok(text.as_deref().map(parse_id).transpose()?)
}

/// The server can't be reached (or refused the login): every due message waits, with the
/// reason, and is tried again after its backoff. Being offline never fails a message.
fn defer_all_due(conn: &Connection, err: &MailError, now: DateTime<Utc>) -> Result<usize> {
    atomically(conn, |conn| {
        let due: Vec<(String, u32)> = conn
            .prepare("SELECT id, attempts FROM outbox WHERE state = 'queued' AND next_attempt_at <= ?1")?
            .query_map([timestamp(now)], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut update = conn.prepare(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3, updated_at = ?4 WHERE id = ?1",
        )?;
        for (id, attempts) in &due {
            update.execute(params![id, err.to_string(), timestamp(now + backoff(attempts + 1)), timestamp(now)])?;
        }
        Ok(due.len())
    })
}

fn last_sent_at(conn: &Connection) -> Result<Option<DateTime<Utc>>> {
    let text: Option<String> = conn.query_row("SELECT max(sent_at) FROM outbox", [], |r| r.get(0))?;
    Ok(text.as_deref().map(parse_timestamp).transpose()?)
}

fn waiting(conn: &Connection) -> Result<(usize, Option<DateTime<Utc>>)> {
    let (count, first): (i64, Option<String>) =
        conn.query_row("SELECT count(*), min(next_attempt_at) FROM outbox WHERE state = 'queued'", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    Ok((count as usize, first.as_deref().map(parse_timestamp).transpose()?))
}

/// Spaces messages `60 s / per_minute` apart, counting from the last one sent (by any run), so
/// stopping and restarting a run does not let a burst through.
struct Throttle {
    interval: Duration,
    next: Instant,
}

impl Throttle {
    fn new(per_minute: u32, last_sent: Option<DateTime<Utc>>) -> Throttle {
        let interval = Duration::from_secs(60) / per_minute.max(1);
        let since_last = last_sent.map_or(interval, |at| (Utc::now() - at).to_std().unwrap_or(Duration::ZERO));
        Throttle { interval, next: Instant::now() + interval.saturating_sub(since_last) }
    }

    /// Waits for the next slot; false if asked to stop meanwhile.
    fn wait(&mut self, stop: Option<&AtomicBool>) -> bool {
        loop {
            if stop.is_some_and(|s| s.load(Ordering::Relaxed)) {
                return false;
            }
            let now = Instant::now();
            if now >= self.next {
                self.next = now + self.interval;
                return true;
            }
            // Short naps, so a stop request is noticed quickly even at one message a minute.
            std::thread::sleep((self.next - now).min(Duration::from_millis(100)));
        }
    }
}

/// One runner per file, across processes: an exclusive lock on a file beside the database.
/// The OS releases it when the process ends, however it ends, so a killed run never leaves a
/// stale lock, and whoever holds it knows any `sending` row is an orphan.
fn lock_outbox(db: &Path) -> Result<File> {
    let mut name = db.as_os_str().to_owned();
    name.push(".outbox-lock");
    let path = PathBuf::from(name);
    let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(MailError::Busy.into()),
        Err(std::fs::TryLockError::Error(err)) => Err(err.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        let minutes: Vec<i64> = (1..=9).map(|a| backoff(a).num_minutes()).collect();
        assert_eq!(minutes, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(backoff(u32::MAX).num_minutes(), 60);
    }

    #[test]
    fn the_throttle_counts_from_the_last_message_sent() {
        let recent = Throttle::new(60, Some(Utc::now()));
        assert!(recent.next > Instant::now() + Duration::from_millis(900), "one a second, and one just went");
        let long_ago = Throttle::new(60, Some(Utc::now() - TimeDelta::hours(1)));
        assert!(long_ago.next <= Instant::now());
    }

    #[test]
    fn a_stop_request_ends_the_wait() {
        let mut throttle = Throttle::new(1, Some(Utc::now()));
        let stop = AtomicBool::new(true);
        let started = Instant::now();
        assert!(!throttle.wait(Some(&stop)));
        assert!(started.elapsed() < Duration::from_secs(1));
    }

    #[test]
    fn a_second_runner_on_the_same_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.db");
        let first = lock_outbox(&db).unwrap();
        assert!(matches!(lock_outbox(&db), Err(Error::Mail(MailError::Busy))));
        drop(first);
        lock_outbox(&db).unwrap();
    }
}
