//! Where a relationship stands: Stranger → Suspect → Contact → Connection → Prospect →
//! Client (and Former client). Moving is one call, and every move is kept with its date.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::purchases::{ThankYou, owe_thank_you};
use super::require_contact;
use crate::Result;
use crate::contacts::ContactId;
use crate::store::{atomically, parse_timestamp, timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Stranger,
    Suspect,
    Contact,
    Connection,
    Prospect,
    Client,
    FormerClient,
}

impl Stage {
    pub const ALL: [Stage; 7] = [
        Stage::Stranger,
        Stage::Suspect,
        Stage::Contact,
        Stage::Connection,
        Stage::Prospect,
        Stage::Client,
        Stage::FormerClient,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Stranger => "stranger",
            Stage::Suspect => "suspect",
            Stage::Contact => "contact",
            Stage::Connection => "connection",
            Stage::Prospect => "prospect",
            Stage::Client => "client",
            Stage::FormerClient => "former_client",
        }
    }

    pub fn parse(text: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StageChange {
    pub from: Option<Stage>,
    pub to: Stage,
    pub at: DateTime<Utc>,
}

pub fn get_stage(conn: &Connection, id: ContactId) -> Result<Stage> {
    require_contact(conn, id)?;
    let text: String = conn.query_row("SELECT stage FROM contacts WHERE id = ?1", [id.to_string()], |r| r.get(0))?;
    Ok(Stage::parse(&text).unwrap_or(Stage::Contact))
}

/// A stage move: where the contact came from, and the thank-you their referrer is now owed
/// (when a referral became a client).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StageMove {
    pub from: Stage,
    pub thank_you: Option<ThankYou>,
}

/// Moves a contact to `stage` at `at`, recording the move; moving to the current stage is a
/// no-op.
pub fn set_stage(conn: &Connection, id: ContactId, stage: Stage, at: DateTime<Utc>) -> Result<StageMove> {
    atomically(conn, |conn| {
        let from = get_stage(conn, id)?;
        if from == stage {
            return Ok(StageMove { from, thank_you: None });
        }
        conn.execute("UPDATE contacts SET stage = ?2 WHERE id = ?1", params![id.to_string(), stage.as_str()])?;
        conn.execute(
            "INSERT INTO stage_changes (contact_id, changed_at, from_stage, to_stage) VALUES (?1, ?2, ?3, ?4)",
            params![id.to_string(), timestamp(at), from.as_str(), stage.as_str()],
        )?;
        let thank_you = if stage == Stage::Client { owe_thank_you(conn, id, at.date_naive())? } else { None };
        Ok(StageMove { from, thank_you })
    })
}

/// Every move, oldest first.
pub fn stage_history(conn: &Connection, id: ContactId) -> Result<Vec<StageChange>> {
    require_contact(conn, id)?;
    let rows = conn
        .prepare_cached("SELECT from_stage, to_stage, changed_at FROM stage_changes WHERE contact_id = ?1 ORDER BY changed_at, rowid")?
        .query_map([id.to_string()], |r| {
            let from: Option<String> = r.get(0)?;
            let to: String = r.get(1)?;
            Ok(StageChange {
                from: from.as_deref().and_then(Stage::parse),
                to: Stage::parse(&to).unwrap_or(Stage::Contact),
                at: parse_timestamp(&r.get::<_, String>(2)?)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// When the contact entered its current stage (its creation, if it never moved).
pub fn in_stage_since(conn: &Connection, id: ContactId) -> Result<DateTime<Utc>> {
    require_contact(conn, id)?;
    let text: String = conn.query_row(
        "SELECT coalesce((SELECT max(changed_at) FROM stage_changes WHERE contact_id = ?1),
                         (SELECT created_at FROM contacts WHERE id = ?1))",
        [id.to_string()],
        |r| r.get(0),
    )?;
    Ok(parse_timestamp(&text)?)
}
