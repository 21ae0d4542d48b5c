//! Importing as one undoable batch. `plan_import` decides, before anything is written, what
//! each incoming card will do (create a contact, merge into one the file already has, or be
//! skipped, with the reason); `apply_import` writes the plan in one transaction and records
//! what it created and every contact it merged into as it was before; `import_cards` does
//! both in one pass, planning while it writes; `undo_import` puts it all back, days later if
//! need be.

use std::borrow::Borrow;
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
    let mut planner = Planner::new(store.conn(), on_match)?;
    let rows = cards.into_iter().map(|(draft, warnings)| planner.plan(draft, warnings)).collect::<Result<Vec<_>>>()?;
    let count = |f: fn(&Action) -> bool| rows.iter().filter(|r| f(&r.action)).count();
    Ok(ImportPlan {
        source: source.to_string(),
        creates: count(|a| matches!(a, Action::Create)),
        merges: count(|a| matches!(a, Action::Merge { .. })),
        skips: count(|a| matches!(a, Action::Skip { .. })),
        rows,
    })
}

/// Plans cards one at a time, each against the contacts stored and the cards before it,
/// reading the stored ones through `conn` (a connection, or a borrowed one).
struct Planner<C> {
    conn: C,
    known: HashMap<String, Known>,
    on_match: OnMatch,
    rows: usize,
}

impl<C: Borrow<Connection>> Planner<C> {
    fn new(conn: C, on_match: OnMatch) -> Result<Self> {
        Ok(Planner { known: stored_keys(conn.borrow())?, conn, on_match, rows: 0 })
    }

    fn plan(&mut self, draft: ContactDraft, warnings: Vec<String>) -> Result<PlannedRow> {
        let draft = validate::tidy(draft);
        let keys = match_keys(&draft);
        let hit = keys.iter().find_map(|(key, reason)| self.known.get(key).map(|k| (*k, reason.clone())));
        let action = match (hit, self.on_match) {
            (None, _) => Action::Create,
            (Some((Known::Row(row), reason)), _) => {
                Action::Skip { reason: format!("{reason} as row {} of this file", row + 1) }
            }
            (Some((Known::Stored(id), reason)), OnMatch::Skip) => Action::Skip {
                reason: format!(
                    "{reason} as {}, already in Rolodeck",
                    contacts::get_contact(self.conn.borrow(), id)?.display_name
                ),
            },
            (Some((Known::Stored(id), reason)), OnMatch::Merge) => {
                let existing = contacts::get_contact(self.conn.borrow(), id)?;
                if validate::tidy(merge_drafts(&existing.draft, &draft)) == existing.draft {
                    Action::Skip { reason: format!("{} already has everything this card holds", existing.display_name) }
                } else {
                    Action::Merge { into: id, name: existing.display_name, reason }
                }
            }
        };
        // Later rows that match this one are duplicates within the file.
        if !matches!(action, Action::Skip { .. }) {
            for (key, _) in keys {
                self.known.insert(key, Known::Row(self.rows));
            }
        }
        self.rows += 1;
        Ok(PlannedRow { draft, warnings, action })
    }
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
    let rows = plan.rows.iter().map(|row| Ok(row.clone()));
    write_planned(conn, &plan.source, rows, plan.creates + plan.merges, progress, cancel)
}

/// Plans and writes `cards` in one pass, with no preview first (the CLI's import): each card
/// is planned, with the new contacts' drafts, on a second thread while this one writes the
/// cards before it, so the import takes about as long as the writing alone. `each` sees every
/// row as it is planned. The plan is made against the file as it was before the import, read
/// through a second connection, which WAL lets read while this one writes.
pub fn import_cards(
    store: &Store,
    source: &str,
    cards: impl Iterator<Item = (ContactDraft, Vec<String>)> + Send,
    on_match: OnMatch,
    mut each: impl FnMut(&PlannedRow) + Send,
) -> Result<ImportBatch> {
    let mut planner = Planner::new(store.reader()?, on_match)?;
    let rows = cards.map(move |(draft, warnings)| planner.plan(draft, warnings).inspect(&mut each));
    write_planned(store.conn(), source, rows, 0, &mut |_, _| {}, &AtomicBool::new(false))
}

/// What a batch holds besides its new contacts, gathered as the rows go by.
#[derive(Default)]
struct Others {
    /// Each contact to merge into, with the draft to merge.
    merges: Vec<(ContactId, ContactDraft)>,
    skipped: usize,
    /// An error met planning, which ends the batch.
    error: Option<Error>,
}

/// Writes planned rows as one batch, all or nothing, as they come: the new contacts first, in
/// one go (so the search index is written once), then the merges.
fn write_planned(
    conn: &Connection,
    source: &str,
    rows: impl Iterator<Item = Result<PlannedRow>> + Send,
    total: usize,
    progress: &mut dyn FnMut(usize, usize),
    cancel: &AtomicBool,
) -> Result<ImportBatch> {
    let id = Uuid::now_v7();
    let created_at = Utc::now();
    atomically(conn, |conn| {
        // The batch's row goes first, since its changes point at it; its counts go in at the end.
        conn.execute(
            "INSERT INTO imports (id, source, created_at, created, merged, skipped) VALUES (?1, ?2, ?3, 0, 0, 0)",
            params![id.to_string(), source, timestamp(created_at)],
        )?;
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
        let others = std::sync::Mutex::new(Others::default());
        let drafts = rows
            .map_while(|row| match row {
                Ok(row) => Some(row),
                Err(err) => {
                    others.lock().expect("not poisoned").error = Some(err);
                    None
                }
            })
            .filter_map(|row| match row.action {
                Action::Create => Some(row.draft),
                Action::Merge { into, .. } => {
                    others.lock().expect("not poisoned").merges.push((into, row.draft));
                    None
                }
                Action::Skip { .. } => {
                    others.lock().expect("not poisoned").skipped += 1;
                    None
                }
            });
        let created = contacts::create_contacts_with(conn, drafts, &mut || step(CHUNK))?;
        let others = others.into_inner().expect("not poisoned");
        if let Some(err) = others.error {
            return Err(err);
        }
        let mut record = conn.prepare_cached(
            "INSERT INTO import_changes (import_id, position, contact_id, before) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (position, (into, draft)) in (0_i64..).zip(&others.merges) {
            let before = contacts::get_contact(conn, *into)?;
            contacts::update_contact(conn, *into, merge_drafts(&before.draft, draft))?;
            let before = serde_json::to_string(&before).expect("contacts serialise");
            record.execute(params![id.to_string(), position, into.to_string(), before])?;
            step(1)?;
        }
        let batch = ImportBatch {
            id,
            source: source.to_string(),
            created_at,
            created: created.len(),
            merged: others.merges.len(),
            skipped: others.skipped,
            undone_at: None,
        };
        let created_ids: Vec<u8> = created.iter().flat_map(|contact| contact.into_bytes()).collect();
        conn.execute(
            "UPDATE imports SET created = ?2, merged = ?3, skipped = ?4, created_ids = ?5 WHERE id = ?1",
            params![id.to_string(), batch.created as i64, batch.merged as i64, batch.skipped as i64, created_ids],
        )?;
        Ok(batch)
    })
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
        let created_ids: Vec<u8> =
            conn.query_row("SELECT created_ids FROM imports WHERE id = ?1", [id.to_string()], |r| r.get(0))?;
        let mut created: Vec<ContactId> = Vec::new();
        for (contact_id, before) in &changes {
            match before {
                Some(json) => {
                    let saved: Contact =
                        serde_json::from_str(json).map_err(|e| std::io::Error::other(e.to_string()))?;
                    contacts::put_back_contact(conn, &saved)?;
                }
                // Created, by an import made before `created_ids`.
                None => created.push(parse_id(contact_id)?),
            }
        }
        let bytes = created_ids.chunks_exact(16).rev().map(|b| Uuid::from_bytes(b.try_into().expect("16 bytes")));
        created.extend(bytes);
        contacts::delete_contacts(conn, &created)?; // passing over any emptied from the Trash since
        conn.execute(
            "UPDATE imports SET undone_at = ?2 WHERE id = ?1",
            params![id.to_string(), timestamp(Utc::now())],
        )?;
        Ok(changes.len() + created_ids.len() / 16)
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
