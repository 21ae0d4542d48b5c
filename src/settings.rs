//! Settings the user sets once and Rolodeck remembers in the file: each a small JSON document
//! under a key, so a setting can grow fields without a migration.

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{Error, FieldError, Result};

/// The sender's details for letterheads and return addresses (`merge::fields::Sender`).
pub const SENDER: &str = "sender";

/// The setting under `key`, or `None` if it was never set.
pub fn get_setting<T: DeserializeOwned>(conn: &Connection, key: &str) -> Result<Option<T>> {
    let text: Option<String> =
        conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?;
    text.map(|t| {
        serde_json::from_str(&t).map_err(|e| {
            Error::Invalid(vec![FieldError::new(key, format!("the saved {key} setting is unreadable: {e}"))])
        })
    })
    .transpose()
}

pub fn set_setting<T: Serialize>(conn: &Connection, key: &str, value: &T) -> Result<()> {
    let text = serde_json::to_string(value).expect("settings serialise");
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2",
        [key, &text],
    )?;
    Ok(())
}
