//! The whole file as JSON: every row of every table (contacts with all their columns,
//! child rows, tags, custom fields and values, households, stage history, activities,
//! purchases, imports, duplicate merges, outbox, settings, smart lists, templates, images,
//! merge runs), so nothing is lost and the data outlives the app. `restore_json` loads such a
//! document into an empty file and gives back the same rows; the search index is rebuilt.

use rusqlite::Connection;
use rusqlite::types::{Value as Sql, ValueRef};
use serde_json::{Map, Value, json};

use crate::contacts;
use crate::store::{SCHEMA_VERSION, atomically};
use crate::{Error, FieldError, Result};

/// Parents before children, so foreign keys hold as rows go in.
const TABLES: &[&str] = &[
    "tags",
    "custom_fields",
    "households",
    "contacts",
    "contact_emails",
    "contact_phones",
    "contact_addresses",
    "contact_websites",
    "contact_tags",
    "contact_custom_values",
    "stage_changes",
    "activities",
    "purchases",
    "imports",
    "import_changes",
    "outbox_attachments",
    "outbox",
    "suppressions",
    "settings",
    "smart_lists",
    "templates",
    "images",
    "merge_runs",
    "merge_run_recipients",
    "merges",
    "merge_moves",
];

/// Every row of every table, with the schema version it was written under.
pub fn export_json(conn: &Connection) -> Result<Value> {
    let mut tables = Map::new();
    for &table in TABLES {
        let columns = stored_columns(conn, table)?;
        let sql = format!("SELECT {} FROM {table} ORDER BY rowid", columns.join(", "));
        let sql = if without_rowid(conn, table)? { sql.replace(" ORDER BY rowid", " ORDER BY 1, 2") } else { sql };
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt
            .query_map([], |r| {
                let mut row = Map::new();
                for (i, column) in columns.iter().enumerate() {
                    row.insert(column.clone(), to_json(r.get_ref(i)?));
                }
                Ok(Value::Object(row))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        tables.insert(table.to_string(), Value::Array(rows));
    }
    Ok(json!({ "format": "rolodeck", "schema": SCHEMA_VERSION, "tables": tables }))
}

/// Loads an export into this file, which must hold no contacts yet. Returns how many
/// contacts came in.
pub fn restore_json(conn: &Connection, document: &Value) -> Result<usize> {
    let invalid = |message: String| Error::Invalid(vec![FieldError::new("file", message)]);
    if document.get("format").and_then(Value::as_str) != Some("rolodeck") {
        return Err(invalid("this is not a Rolodeck JSON export (no \"format\": \"rolodeck\")".into()));
    }
    // An older export lacks only the tables and columns added since, which take their defaults.
    let schema = document.get("schema").and_then(Value::as_i64).unwrap_or(0);
    if !(1..=SCHEMA_VERSION).contains(&schema) {
        return Err(invalid(format!(
            "this export is from schema {schema}, newer than this Rolodeck (schema {SCHEMA_VERSION}); update Rolodeck and restore it again"
        )));
    }
    let existing: i64 = conn.query_row("SELECT count(*) FROM contacts", [], |r| r.get(0))?;
    if existing > 0 {
        return Err(invalid(format!("this file already holds {existing} contacts; restore into a new, empty file")));
    }
    let tables =
        document.get("tables").and_then(Value::as_object).ok_or_else(|| invalid("the export has no tables".into()))?;
    atomically(conn, |conn| {
        // A contact may name a referrer that comes later in the file: check at the end.
        conn.execute_batch("PRAGMA defer_foreign_keys = ON")?;
        for &table in TABLES {
            let columns = stored_columns(conn, table)?;
            for row in tables.get(table).and_then(Value::as_array).into_iter().flatten() {
                // Columns the export lacks take their defaults.
                let present: Vec<&String> = columns.iter().filter(|c| row.get(c.as_str()).is_some()).collect();
                let names = present.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ");
                let placeholders = vec!["?"; present.len()].join(", ");
                let values: Vec<Sql> = present.iter().map(|c| from_json(&row[c.as_str()])).collect();
                conn.prepare_cached(&format!("INSERT INTO {table} ({names}) VALUES ({placeholders})"))?
                    .execute(rusqlite::params_from_iter(values))?;
            }
        }
        // The file held no contacts, so every one is new to the search index.
        contacts::index_new_rows(conn, i64::MIN)?;
        Ok(conn.query_row("SELECT count(*) FROM contacts", [], |r| r.get::<_, i64>(0))? as usize)
    })
}

/// The columns that hold data (generated columns are left out: SQLite computes them).
pub(crate) fn stored_columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA table_xinfo({table})"))?;
    let columns = stmt
        .query_map([], |r| Ok((r.get::<_, String>(1)?, r.get::<_, i64>(6)?)))?
        .filter_map(|c| c.map(|(name, hidden)| (hidden == 0).then_some(name)).transpose())
        .collect::<rusqlite::Result<_>>()?;
    Ok(columns)
}

fn without_rowid(conn: &Connection, table: &str) -> Result<bool> {
    let sql: String =
        conn.query_row("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1", [table], |r| r.get(0))?;
    Ok(sql.contains("WITHOUT ROWID"))
}

/// Text, numbers and NULL map to JSON directly; blobs become `{"hex": "…"}`.
pub(crate) fn to_json(value: ValueRef) -> Value {
    match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => json!(i),
        ValueRef::Real(f) => json!(f),
        ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => json!({ "hex": b.iter().map(|byte| format!("{byte:02x}")).collect::<String>() }),
    }
}

pub(crate) fn from_json(value: &Value) -> Sql {
    match value {
        Value::Null => Sql::Null,
        Value::Bool(b) => Sql::Integer(i64::from(*b)),
        Value::Number(n) => n.as_i64().map_or_else(|| Sql::Real(n.as_f64().unwrap_or(0.0)), Sql::Integer),
        Value::String(s) => Sql::Text(s.clone()),
        Value::Object(o) => match o.get("hex").and_then(Value::as_str) {
            Some(hex) => Sql::Blob(
                (0..hex.len() / 2).filter_map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()).collect(),
            ),
            None => Sql::Text(value.to_string()),
        },
        Value::Array(_) => Sql::Text(value.to_string()),
    }
}
