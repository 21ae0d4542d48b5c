//! The relationship workflow: the stage ladder from Stranger to Client, the activity timeline
//! with its enforced wrap-up (what happened, what's next, when), consent per channel, and the
//! Today view that makes sure nobody falls through the cracks. Every function takes the
//! moment it runs at, so tests and "what will tomorrow look like" can set the clock.

pub mod activity;
pub mod consent;
pub mod stage;
pub mod today;

use crate::contacts::ContactId;
use crate::{Error, Result};

fn not_found(id: ContactId) -> Error {
    Error::NotFound { what: "contact", id: id.to_string() }
}

/// Fails with `NotFound` unless `id` is a contact in the file.
fn require_contact(conn: &rusqlite::Connection, id: ContactId) -> Result<()> {
    let found: i64 = conn.query_row("SELECT count(*) FROM contacts WHERE id = ?1", [id.to_string()], |r| r.get(0))?;
    if found == 0 { Err(not_found(id)) } else { Ok(()) }
}
