//! The relationship workflow: the stage ladder from Stranger to Client, the activity timeline
//! with its enforced wrap-up (what happened, what's next, when), consent per channel, and the
//! Today view that makes sure nobody falls through the cracks. Every function takes the
//! moment it runs at, so tests and "what will tomorrow look like" can set the clock.

pub mod activity;
pub mod consent;
pub mod links;
pub mod lists;
pub mod purchases;
pub mod stage;
pub mod today;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::contacts::ContactId;
use crate::{Error, Result};

/// Everything the workflow knows about one contact, for its page in the app.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactWorkflow {
    pub stage: stage::Stage,
    pub in_stage_since: DateTime<Utc>,
    pub stage_history: Vec<stage::StageChange>,
    pub next_action: Option<activity::NextAction>,
    pub timeline: Vec<activity::Activity>,
    pub last_contacted: Option<DateTime<Utc>>,
    pub keep_in_touch_days: Option<u32>,
    pub consent: consent::Consent,
    pub business: purchases::Business,
    pub links: links::ContactLinks,
}

pub fn contact_workflow(conn: &rusqlite::Connection, id: ContactId) -> Result<ContactWorkflow> {
    Ok(ContactWorkflow {
        stage: stage::get_stage(conn, id)?,
        in_stage_since: stage::in_stage_since(conn, id)?,
        stage_history: stage::stage_history(conn, id)?,
        next_action: activity::next_action(conn, id)?,
        timeline: activity::timeline(conn, id)?,
        last_contacted: activity::last_contacted(conn, id)?,
        keep_in_touch_days: today::get_keep_in_touch(conn, id)?,
        consent: consent::get_consent(conn, id)?,
        business: purchases::business(conn, id, Utc::now().date_naive())?,
        links: links::contact_links(conn, id)?,
    })
}

/// Fails with `NotFound` unless `id` is a contact in the file.
fn require_contact(conn: &rusqlite::Connection, id: ContactId) -> Result<()> {
    let found: i64 = conn.query_row("SELECT count(*) FROM contacts WHERE id = ?1", [id.to_string()], |r| r.get(0))?;
    if found == 0 { Err(Error::no_contact(id)) } else { Ok(()) }
}
