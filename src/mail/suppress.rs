//! The suppression list: addresses that unsubscribed, bounced or complained. Recording one also
//! marks every contact with that address do-not-email, so the letter merge, call lists and the
//! app see it too; the outbox checks both again just before each send.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::Result;
use crate::store::{atomically, parse_timestamp, timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum SuppressionReason {
    Unsubscribed,
    Bounced,
    Complained,
}

impl SuppressionReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SuppressionReason::Unsubscribed => "unsubscribed",
            SuppressionReason::Bounced => "bounced",
            SuppressionReason::Complained => "complained",
        }
    }

    fn parse(text: &str) -> SuppressionReason {
        match text {
            "bounced" => SuppressionReason::Bounced,
            "complained" => SuppressionReason::Complained,
            _ => SuppressionReason::Unsubscribed,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Suppression {
    pub address: String,
    pub reason: SuppressionReason,
    pub note: String,
    pub recorded_at: DateTime<Utc>,
}

impl Suppression {
    /// Why nothing more goes to this address, for a skip list.
    pub fn describe(&self) -> String {
        format!(
            "{} is on the suppression list ({} on {})",
            self.address,
            self.reason.as_str(),
            self.recorded_at.date_naive()
        )
    }
}

/// Puts `address` on the suppression list and marks every contact with it do-not-email.
/// Returns how many contacts were marked. Recording the same address again updates the reason.
pub fn suppress_address(
    conn: &Connection,
    address: &str,
    reason: SuppressionReason,
    note: &str,
    at: DateTime<Utc>,
) -> Result<usize> {
    let address = address.trim();
    atomically(conn, |conn| {
        conn.execute(
            "INSERT INTO suppressions (address, reason, note, recorded_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (address) DO UPDATE SET reason = ?2, note = ?3, recorded_at = ?4",
            params![address, reason.as_str(), note.trim(), timestamp(at)],
        )?;
        Ok(conn.execute(
            "UPDATE contacts SET do_not_email = 1
             WHERE do_not_email = 0 AND id IN (SELECT contact_id FROM contact_emails WHERE value = ?1 COLLATE NOCASE)",
            [address],
        )?)
    })
}

/// The suppression entry for `address`, if it has one (case-insensitive).
pub fn find_suppression(conn: &Connection, address: &str) -> Result<Option<Suppression>> {
    Ok(conn
        .prepare_cached("SELECT address, reason, note, recorded_at FROM suppressions WHERE address = ?1")?
        .query_row([address.trim()], suppression_row)
        .optional()?)
}

pub fn list_suppressions(conn: &Connection) -> Result<Vec<Suppression>> {
    let mut statement =
        conn.prepare("SELECT address, reason, note, recorded_at FROM suppressions ORDER BY recorded_at DESC, address")?;
    let rows = statement.query_map([], suppression_row)?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

fn suppression_row(r: &rusqlite::Row) -> rusqlite::Result<Suppression> {
    Ok(Suppression {
        address: r.get(0)?,
        reason: SuppressionReason::parse(&r.get::<_, String>(1)?),
        note: r.get(2)?,
        recorded_at: parse_timestamp(&r.get::<_, String>(3)?)?,
    })
}
