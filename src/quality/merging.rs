//! Merging a duplicate (B) into the contact that stays (A), undoable days later. One unit of
//! work: A takes the chosen side of each field and both sides' list entries, every row that
//! pointed at B (activities, purchases, stage history, outbox, referrals) points at A, and B
//! goes to the Trash. The merge keeps both contacts' rows as they were and the key of every
//! row it moved, so `undo_merge` puts all of it back exactly.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::pair::{MergeChoices, Side, compare, with_both_lists};
use crate::contacts::{self, CHILD_TABLES, Contact, ContactId, index_contact};
use crate::export::json::{from_json, stored_columns, to_json};
use crate::store::{atomically, parse_id, parse_timestamp, timestamp};
use crate::{Error, FieldError, Result};

/// A column elsewhere that points at a contact, and the columns that pick out one of its rows.
/// An import's record (`imports.created_ids`, `import_changes`) is left alone on purpose: it
/// names the contact the import created, and undoing that import must still remove B, not A.
struct Reference {
    /// Names the kind of row in `merge_moves`.
    label: &'static str,
    table: &'static str,
    column: &'static str,
    key: &'static [&'static str],
}

const REFERENCES: [Reference; 7] = [
    Reference { label: "activities", table: "activities", column: "contact_id", key: &["id"] },
    Reference { label: "purchases", table: "purchases", column: "contact_id", key: &["id"] },
    Reference { label: "outbox", table: "outbox", column: "contact_id", key: &["id"] },
    Reference { label: "referrals", table: "contacts", column: "referred_by", key: &["id"] },
    // People who work at B (a company) work at A.
    Reference { label: "companyPeople", table: "contacts", column: "company_id", key: &["id"] },
    // A re-print of a run that went to B goes to A.
    Reference { label: "printRuns", table: "merge_run_recipients", column: "contact_id", key: &["run_id", "position"] },
    // Stage history has no key of its own: a row is its content, and identical rows are
    // interchangeable, so undo moves back one matching row per recorded move.
    Reference {
        label: "stageChanges",
        table: "stage_changes",
        column: "contact_id",
        key: &["changed_at", "from_stage", "to_stage"],
    },
];

/// The contact row and its child rows: what a merge records of both contacts.
fn contact_tables() -> impl Iterator<Item = &'static str> {
    std::iter::once("contacts").chain(CHILD_TABLES)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MergeRecord {
    pub id: Uuid,
    pub kept_id: ContactId,
    pub kept_name: String,
    pub merged_id: ContactId,
    pub merged_name: String,
    pub created_at: DateTime<Utc>,
    /// Rows moved from B to A: activities, purchases, stage changes, outbox, referrals.
    pub moved_rows: usize,
    pub undone_at: Option<DateTime<Utc>>,
}

/// Merges `merge` (B) into `keep` (A): each field from the side `choices` names (the suggested
/// side where it names none), all emails, phones, addresses, websites and tags of both, and
/// every row that pointed at B. B goes to the Trash. Returns the record to undo it by.
///
/// # Errors
/// When either id is unknown, both are the same contact, one is in the Trash, or the chosen
/// fields leave A without a name or company.
pub fn merge_contacts(
    conn: &Connection,
    keep: ContactId,
    merge: ContactId,
    choices: &MergeChoices,
) -> Result<MergeRecord> {
    atomically(conn, |conn| {
        let (a, b) = live_pair(conn, keep, merge)?;
        let before = snapshot(conn, [keep, merge])?;
        for field in compare(conn, &a, &b)? {
            if choices.get(&field.field).copied().unwrap_or(field.suggested) == Side::B {
                let columns = field.field.columns().join(", ");
                conn.execute(
                    &format!(
                        "UPDATE contacts SET ({columns}) = (SELECT {columns} FROM contacts WHERE id = ?2) WHERE id = ?1"
                    ),
                    [keep.to_string(), merge.to_string()],
                )?;
            }
        }
        // A's row now holds the chosen fields; rewriting it through the store adds B's list
        // entries and refreshes the name, sort key and search index.
        let chosen = contacts::get_contact(conn, keep)?;
        contacts::update_contact(conn, keep, with_both_lists(chosen.draft, &b.draft))?;
        // Known since the earlier of the two; last contacted at the later.
        conn.execute(
            "UPDATE contacts SET created_at = min(created_at, ?2),
                last_contacted_at = nullif(max(coalesce(last_contacted_at, ''), coalesce(?3, '')), '')
             WHERE id = ?1",
            params![keep.to_string(), timestamp(b.created_at), last_contacted_at(conn, merge)?],
        )?;

        let id = Uuid::now_v7();
        conn.execute(
            "INSERT INTO merges (id, kept_id, merged_id, created_at, before) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id.to_string(), keep.to_string(), merge.to_string(), timestamp(Utc::now()), before.to_string()],
        )?;
        move_references(conn, id, keep, merge)?;
        // A referred by B (or, through B's chosen referrer, by A) would now refer itself.
        conn.execute(
            "UPDATE contacts SET referred_by = NULL WHERE id = ?1 AND referred_by IN (?1, ?2)",
            [keep.to_string(), merge.to_string()],
        )?;
        contacts::trash_contact(conn, merge)?;
        get_merge(conn, id)
    })
}

/// Puts both contacts back exactly as they were before the merge (every column, child row and
/// Trash state) and moves every moved row back to B.
///
/// # Errors
/// When there is no such merge, it was undone already, a later merge of either contact is
/// still in place (undo that first), or B has since been deleted for good.
pub fn undo_merge(conn: &Connection, id: Uuid) -> Result<MergeRecord> {
    let record = get_merge(conn, id)?;
    if let Some(at) = record.undone_at {
        return refuse(format!("this merge was already undone on {}", at.format("%Y-%m-%d %H:%M")));
    }
    let (a, b) = (record.kept_id.to_string(), record.merged_id.to_string());
    let later: Option<String> = conn
        .query_row(
            "SELECT id FROM merges WHERE undone_at IS NULL AND (created_at, id) > (?1, ?2)
                AND (kept_id IN (?3, ?4) OR merged_id IN (?3, ?4)) ORDER BY created_at DESC, id DESC LIMIT 1",
            params![timestamp(record.created_at), id.to_string(), a, b],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(later) = later {
        return refuse(format!("a later merge ({later}) involves the same contacts; undo it first"));
    }
    atomically(conn, |conn| {
        let before: String =
            conn.query_row("SELECT before FROM merges WHERE id = ?1", [id.to_string()], |r| r.get(0))?;
        let before: Map<String, Value> = serde_json::from_str(&before)
            .or_else(|e| refuse(format!("the saved state of this merge is damaged ({e}); nothing was changed")))?;
        for contact in [record.kept_id, record.merged_id] {
            if contacts::get_contact(conn, contact).is_err() {
                let name = saved_name(&before, contact);
                return refuse(format!("{name} was deleted for good after the merge, so it can no longer be undone"));
            }
        }
        put_back(conn, &before, [record.kept_id, record.merged_id])?;
        let moves: Vec<(String, String)> = conn
            .prepare("SELECT reference, row_key FROM merge_moves WHERE merge_id = ?1 ORDER BY position")?
            .query_map([id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (label, key) in moves {
            let Some(reference) = REFERENCES.iter().find(|r| r.label == label) else {
                return refuse(format!("the merge moved rows this Rolodeck doesn’t know ({label})"));
            };
            conn.prepare_cached(&reference.move_back_sql())?.execute(params![b, a, key])?;
        }
        conn.execute("UPDATE merges SET undone_at = ?2 WHERE id = ?1", params![id.to_string(), timestamp(Utc::now())])?;
        get_merge(conn, id)
    })
}

pub fn get_merge(conn: &Connection, id: Uuid) -> Result<MergeRecord> {
    conn.query_row(&format!("{MERGE_SELECT} WHERE m.id = ?1"), [id.to_string()], merge_row)
        .optional()?
        .ok_or(Error::NotFound { what: "merge", id: id.to_string() })
}

/// Past merges, newest first.
pub fn list_merges(conn: &Connection) -> Result<Vec<MergeRecord>> {
    let sql = format!("{MERGE_SELECT} ORDER BY m.created_at DESC, m.id DESC");
    Ok(conn.prepare(&sql)?.query_map([], merge_row)?.collect::<rusqlite::Result<_>>()?)
}

const MERGE_SELECT: &str = "SELECT m.id, m.kept_id, coalesce(k.display_name, ''), m.merged_id,
    coalesce(d.display_name, ''), m.created_at, (SELECT count(*) FROM merge_moves WHERE merge_id = m.id), m.undone_at
    FROM merges m LEFT JOIN contacts k ON k.id = m.kept_id LEFT JOIN contacts d ON d.id = m.merged_id";

fn merge_row(r: &rusqlite::Row) -> rusqlite::Result<MergeRecord> {
    Ok(MergeRecord {
        id: parse_id(&r.get::<_, String>(0)?)?,
        kept_id: parse_id(&r.get::<_, String>(1)?)?,
        kept_name: r.get(2)?,
        merged_id: parse_id(&r.get::<_, String>(3)?)?,
        merged_name: r.get(4)?,
        created_at: parse_timestamp(&r.get::<_, String>(5)?)?,
        moved_rows: r.get::<_, i64>(6)? as usize,
        undone_at: r.get::<_, Option<String>>(7)?.as_deref().map(parse_timestamp).transpose()?,
    })
}

/// Both contacts, if they are two different live contacts.
pub(super) fn live_pair(conn: &Connection, a: ContactId, b: ContactId) -> Result<(Contact, Contact)> {
    let (a, b) = (contacts::get_contact(conn, a)?, contacts::get_contact(conn, b)?);
    if a.id == b.id {
        return refuse(format!("{} can’t be merged with itself; pick two different contacts", a.display_name));
    }
    if let Some(trashed) = [&a, &b].into_iter().find(|c| c.deleted_at.is_some()) {
        return refuse(format!("{} is in the Trash; restore it before merging", trashed.display_name));
    }
    Ok((a, b))
}

/// How many of B's rows a merge into A would move, by kind.
pub(super) fn moving_counts(conn: &Connection, b: ContactId) -> Result<BTreeMap<&'static str, usize>> {
    REFERENCES
        .iter()
        .map(|r| {
            let sql = format!("SELECT count(*) FROM {} WHERE {} = ?1", r.table, r.column);
            Ok((r.label, conn.query_row(&sql, [b.to_string()], |row| row.get::<_, i64>(0))? as usize))
        })
        .collect()
}

impl Reference {
    /// Binds ?1 = B, ?2 = A, ?3 = the recorded key (a JSON array).
    fn move_back_sql(&self) -> String {
        let (table, column) = (self.table, self.column);
        let matches: Vec<String> =
            self.key.iter().enumerate().map(|(i, k)| format!("{k} IS json_extract(?3, '$[{i}]')")).collect();
        let row = format!("{column} = ?2 AND {}", matches.join(" AND "));
        if self.label == "stageChanges" {
            // Identical stage rows: move back one of them.
            format!("UPDATE {table} SET {column} = ?1 WHERE rowid = (SELECT rowid FROM {table} WHERE {row} LIMIT 1)")
        } else {
            format!("UPDATE {table} SET {column} = ?1 WHERE {row}")
        }
    }
}

/// Points every reference to B at A, recording each moved row's key under the merge.
fn move_references(conn: &Connection, merge_id: Uuid, a: ContactId, b: ContactId) -> Result<usize> {
    let mut record = conn
        .prepare_cached("INSERT INTO merge_moves (merge_id, position, reference, row_key) VALUES (?1, ?2, ?3, ?4)")?;
    let mut position = 0_i64;
    for r in &REFERENCES {
        let keys: Vec<String> = conn
            .prepare(&format!("SELECT json_array({}) FROM {} WHERE {} = ?1", r.key.join(", "), r.table, r.column))?
            .query_map([b.to_string()], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for key in &keys {
            record.execute(params![merge_id.to_string(), position, r.label, key])?;
            position += 1;
        }
        conn.execute(
            &format!("UPDATE {} SET {} = ?2 WHERE {} = ?1", r.table, r.column, r.column),
            [b.to_string(), a.to_string()],
        )?;
    }
    Ok(position as usize)
}

fn last_contacted_at(conn: &Connection, id: ContactId) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT last_contacted_at FROM contacts WHERE id = ?1", [id.to_string()], |r| r.get(0))?)
}

/// Every row of both contacts in `contact_tables`, as the JSON export writes rows.
fn snapshot(conn: &Connection, ids: [ContactId; 2]) -> Result<Value> {
    let mut tables = Map::new();
    for table in contact_tables() {
        let columns = stored_columns(conn, table)?;
        let owner = owner_column(table);
        let sql = format!("SELECT {} FROM {table} WHERE {owner} IN (?1, ?2)", columns.join(", "));
        let rows = conn
            .prepare(&sql)?
            .query_map([ids[0].to_string(), ids[1].to_string()], |r| {
                let row = columns.iter().enumerate().map(|(i, c)| Ok((c.clone(), to_json(r.get_ref(i)?))));
                Ok(Value::Object(row.collect::<rusqlite::Result<_>>()?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        tables.insert(table.to_string(), Value::Array(rows));
    }
    Ok(Value::Object(tables))
}

/// Writes a snapshot back: each contacts row column for column (it is updated in place, since
/// deleting it would take the rows that point at it along), the child rows replaced wholesale.
fn put_back(conn: &Connection, before: &Map<String, Value>, ids: [ContactId; 2]) -> Result<()> {
    let rows = |table: &str| before.get(table).and_then(Value::as_array).cloned().unwrap_or_default();
    for id in ids {
        index_contact(conn, id, false)?;
    }
    for table in CHILD_TABLES {
        conn.execute(
            &format!("DELETE FROM {table} WHERE contact_id IN (?1, ?2)"),
            [ids[0].to_string(), ids[1].to_string()],
        )?;
    }
    for row in rows("contacts") {
        let columns: Vec<&String> =
            row.as_object().into_iter().flat_map(|o| o.keys()).filter(|c| *c != "seq" && *c != "id").collect();
        let set = columns.iter().map(|c| format!("{c} = ?")).collect::<Vec<_>>().join(", ");
        let mut values: Vec<_> = columns.iter().map(|c| from_json(&row[c.as_str()])).collect();
        values.push(from_json(&row["id"]));
        conn.execute(&format!("UPDATE contacts SET {set} WHERE id = ?"), rusqlite::params_from_iter(values))?;
    }
    for table in CHILD_TABLES {
        for row in rows(table) {
            let Some(row) = row.as_object() else { continue };
            let names = row.keys().cloned().collect::<Vec<_>>().join(", ");
            let slots = vec!["?"; row.len()].join(", ");
            conn.prepare_cached(&format!("INSERT INTO {table} ({names}) VALUES ({slots})"))?
                .execute(rusqlite::params_from_iter(row.values().map(from_json)))?;
        }
    }
    for id in ids {
        index_contact(conn, id, true)?;
    }
    Ok(())
}

/// A merge (or its undo) that cannot go ahead, with why.
fn refuse<T>(message: String) -> Result<T> {
    Err(Error::Invalid(vec![FieldError::new("merge", message)]))
}

fn owner_column(table: &str) -> &'static str {
    if table == "contacts" { "id" } else { "contact_id" }
}

/// A contact's display name as the snapshot holds it.
fn saved_name(before: &Map<String, Value>, id: ContactId) -> String {
    let rows = before.get("contacts").and_then(Value::as_array);
    rows.into_iter()
        .flatten()
        .find(|row| row["id"] == id.to_string())
        .and_then(|row| row["display_name"].as_str())
        .unwrap_or("the merged contact")
        .to_string()
}
