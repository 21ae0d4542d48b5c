//! Importing as one undoable batch. `plan_import` decides, before anything is written, what
//! each incoming card will do (create a contact, merge into one the file already has, or be
//! skipped, with the reason); `apply_import` writes the plan in one transaction and records
//! every contact as it was before; `undo_import` puts them all back, days later if need be.

use std::collections::HashMap;

use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::matching::{match_keys, merge_drafts};
use crate::contacts::{self, Contact, ContactDraft, ContactId, LabeledValue, validate};
use crate::store::{atomically, parse_id, parse_timestamp, timestamp};
use crate::{Error, Result, Store};

/// What to do with a card that matches a contact already in the file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum OnMatch {
    /// Add what the card has that the contact lacks.
    #[default]
    Merge,
    /// Leave the existing contact alone.
    Skip,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Action {
    Create,
    Merge { into: ContactId, name: String, reason: String },
    Skip { reason: String },
}

/// One incoming card and what will happen to it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlannedRow {
    pub draft: ContactDraft,
    pub warnings: Vec<String>,
    pub action: Action,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportPlan {
    pub source: String,
    pub rows: Vec<PlannedRow>,
    pub creates: usize,
    pub merges: usize,
    pub skips: usize,
}

/// Where a match key points: a contact in the file, or an earlier row of this import.
#[derive(Debug, Clone, Copy)]
enum Known {
    Stored(ContactId),
    Row(usize),
}

/// Decides what each card does; writes nothing.
pub fn plan_import(
    store: &Store,
    source: &str,
    cards: Vec<(ContactDraft, Vec<String>)>,
    on_match: OnMatch,
) -> Result<ImportPlan> {
    let conn = store.conn();
    let mut known = stored_keys(conn)?;
    let mut rows: Vec<PlannedRow> = Vec::with_capacity(cards.len());
    for (draft, warnings) in cards {
        let draft = validate::tidy(draft);
        let keys = match_keys(&draft);
        let hit = keys.iter().find_map(|(key, reason)| known.get(key).map(|k| (*k, reason.clone())));
        let action = match (hit, on_match) {
            (None, _) => Action::Create,
            (Some((Known::Row(row), reason)), _) => {
                Action::Skip { reason: format!("{reason} as row {} of this file", row + 1) }
            }
            (Some((Known::Stored(id), reason)), OnMatch::Skip) => Action::Skip {
                reason: format!("{reason} as {}, already in Rolodeck", contacts::get_contact(conn, id)?.display_name),
            },
            (Some((Known::Stored(id), reason)), OnMatch::Merge) => {
                let existing = contacts::get_contact(conn, id)?;
                if validate::tidy(merge_drafts(&existing.draft, &draft)) == existing.draft {
                    Action::Skip { reason: format!("{} already has everything this card holds", existing.display_name) }
                } else {
                    Action::Merge { into: id, name: existing.display_name, reason }
                }
            }
        };
        // Later rows that match this one are duplicates within the file.
        if !matches!(action, Action::Skip { .. }) {
            for (key, _) in &keys {
                known.insert(key.clone(), Known::Row(rows.len()));
            }
        }
        rows.push(PlannedRow { draft, warnings, action });
    }
    let count = |f: fn(&Action) -> bool| rows.iter().filter(|r| f(&r.action)).count();
    Ok(ImportPlan {
        source: source.to_string(),
        creates: count(|a| matches!(a, Action::Create)),
        merges: count(|a| matches!(a, Action::Merge { .. })),
        skips: count(|a| matches!(a, Action::Skip { .. })),
        rows,
    })
}

/// Every live contact's match keys, from three scans (names, emails, phones) rather than
/// reading each contact whole, so planning against 100,000 contacts stays quick.
fn stored_keys(conn: &Connection) -> Result<HashMap<String, Known>> {
    let mut drafts: HashMap<String, ContactDraft> = HashMap::new();
    let mut names =
        conn.prepare("SELECT id, given_name, family_name, company FROM contacts WHERE deleted_at IS NULL")?;
    let mut rows = names.query([])?;
    while let Some(r) = rows.next()? {
        let draft =
            ContactDraft { given_name: r.get(1)?, family_name: r.get(2)?, company: r.get(3)?, ..Default::default() };
        drafts.insert(r.get(0)?, draft);
    }
    for table in ["contact_emails", "contact_phones"] {
        let mut stmt = conn.prepare(&format!("SELECT contact_id, value FROM {table}"))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            if let Some(draft) = drafts.get_mut(&r.get::<_, String>(0)?) {
                let value = LabeledValue { value: r.get(1)?, ..Default::default() };
                if table == "contact_emails" { draft.emails.push(value) } else { draft.phones.push(value) }
            }
        }
    }
    let mut known = HashMap::new();
    for (id, draft) in drafts {
        let id = parse_id(&id)?;
        for (key, _) in match_keys(&draft) {
            known.entry(key).or_insert(Known::Stored(id));
        }
    }
    Ok(known)
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportBatch {
    pub id: Uuid,
    pub source: String,
    pub created_at: DateTime<Utc>,
    pub created: usize,
    pub merged: usize,
    pub skipped: usize,
    pub undone_at: Option<DateTime<Utc>>,
}

/// Writes a plan as one batch, all or nothing; returns the batch.
pub fn apply_import(conn: &Connection, plan: &ImportPlan) -> Result<ImportBatch> {
    apply_import_with(conn, plan, &mut |_, _| {}, &AtomicBool::new(false))
}

/// How many new contacts are written between two progress reports.
const CHUNK: usize = 1_000;

/// `apply_import` for the window: `progress(done, total)` follows the rows as they are
/// written, and setting `cancel` stops it with `Error::Cancelled`, having written nothing.
pub fn apply_import_with(
    conn: &Connection,
    plan: &ImportPlan,
    progress: &mut dyn FnMut(usize, usize),
    cancel: &AtomicBool,
) -> Result<ImportBatch> {
    let batch = ImportBatch {
        id: Uuid::now_v7(),
        source: plan.source.clone(),
        created_at: Utc::now(),
        created: plan.creates,
        merged: plan.merges,
        skipped: plan.skips,
        undone_at: None,
    };
    atomically(conn, |conn| {
        conn.execute(
            "INSERT INTO imports (id, source, created_at, created, merged, skipped) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                batch.id.to_string(),
                batch.source,
                timestamp(batch.created_at),
                batch.created as i64,
                batch.merged as i64,
                batch.skipped as i64
            ],
        )?;
        let mut record = conn.prepare_cached(
            "INSERT INTO import_changes (import_id, position, contact_id, before) VALUES (?1, ?2, ?3, ?4)",
        )?;
        let mut position = 0_i64;
        let mut note = |id: ContactId, before: Option<&Contact>| -> Result<()> {
            let before = before.map(|c| serde_json::to_string(c).expect("contacts serialise"));
            record.execute(params![batch.id.to_string(), position, id.to_string(), before])?;
            position += 1;
            Ok(())
        };
        let total = plan.creates + plan.merges;
        let mut done = 0;
        // Counts a contact written, reports progress every `every` contacts and at the end, and
        // stops at a cancel; the savepoint then takes back everything written.
        let mut step = |every: usize| -> Result<()> {
            done += 1;
            if done % every == 0 || done == total {
                progress(done, total);
            }
            if cancel.load(Ordering::Relaxed) { Err(Error::Cancelled) } else { Ok(()) }
        };
        // The new contacts go in as one batch, so the search index is written once.
        let drafts = plan.rows.iter().filter(|r| r.action == Action::Create).map(|r| r.draft.clone());
        for id in contacts::create_contacts_with(conn, drafts, &mut || step(CHUNK))? {
            note(id, None)?;
        }
        for row in &plan.rows {
            if let Action::Merge { into, .. } = row.action {
                let before = contacts::get_contact(conn, into)?;
                contacts::update_contact(conn, into, merge_drafts(&before.draft, &row.draft))?;
                note(into, Some(&before))?;
                step(1)?;
            }
        }
        Ok(())
    })?;
    Ok(batch)
}

/// Puts back everything a batch did: contacts it created are deleted, contacts it merged into
/// are restored exactly as they were. Returns how many contacts were touched.
pub fn undo_import(conn: &Connection, id: Uuid) -> Result<usize> {
    let batch = get_import(conn, id)?;
    if batch.undone_at.is_some() {
        return Ok(0);
    }
    atomically(conn, |conn| {
        let changes: Vec<(String, Option<String>)> = conn
            .prepare("SELECT contact_id, before FROM import_changes WHERE import_id = ?1 ORDER BY position DESC")?
            .query_map([id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (contact_id, before) in &changes {
            match before {
                Some(json) => {
                    let saved: Contact =
                        serde_json::from_str(json).map_err(|e| std::io::Error::other(e.to_string()))?;
                    contacts::put_back_contact(conn, &saved)?;
                }
                None => {
                    let contact_id = parse_id(contact_id)?;
                    // Already emptied from the Trash by hand: nothing left to undo.
                    if contacts::get_contact(conn, contact_id).is_ok() {
                        contacts::delete_contact(conn, contact_id)?;
                    }
                }
            }
        }
        conn.execute(
            "UPDATE imports SET undone_at = ?2 WHERE id = ?1",
            params![id.to_string(), timestamp(Utc::now())],
        )?;
        Ok(changes.len())
    })
}

pub fn get_import(conn: &Connection, id: Uuid) -> Result<ImportBatch> {
    conn.query_row(&format!("{BATCH_SELECT} WHERE id = ?1"), [id.to_string()], batch_row)
        .optional()?
        .ok_or(Error::NotFound { what: "import", id: id.to_string() })
}

/// Past imports, newest first.
pub fn list_imports(conn: &Connection) -> Result<Vec<ImportBatch>> {
    let sql = format!("{BATCH_SELECT} ORDER BY created_at DESC");
    Ok(conn.prepare(&sql)?.query_map([], batch_row)?.collect::<rusqlite::Result<_>>()?)
}

const BATCH_SELECT: &str = "SELECT id, source, created_at, created, merged, skipped, undone_at FROM imports";

fn batch_row(r: &rusqlite::Row) -> rusqlite::Result<ImportBatch> {
    let id: String = r.get(0)?;
    Ok(ImportBatch {
        id: parse_id(&id)?,
        source: r.get(1)?,
        created_at: parse_timestamp(&r.get::<_, String>(2)?)?,
        created: r.get::<_, i64>(3)? as usize,
        merged: r.get::<_, i64>(4)? as usize,
        skipped: r.get::<_, i64>(5)? as usize,
        undone_at: r.get::<_, Option<String>>(6)?.as_deref().map(parse_timestamp).transpose()?,
    })
}
