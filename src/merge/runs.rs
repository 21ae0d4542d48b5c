//! The record of merge runs (`merge_runs`, `merge_run_recipients`): what each run printed
//! (layout, the template's text as it was, the options), for whom in order, when, where to,
//! and the counts. `run::reprint_run` prints a recorded run again from this.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;

use super::run::{MergeOptions, MergeSpec};
use crate::contacts::ContactId;
use crate::store::{parse_id, parse_timestamp, timestamp};
use crate::{Error, Result};

/// One recorded run.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MergeRun {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    #[serde(flatten)]
    pub spec: MergeSpec,
    /// The PDF, or the folder of one PDF per recipient.
    pub output: String,
    pub printed: usize,
    pub skipped: usize,
    pub pages: usize,
    /// The run this one printed again, if it is a re-print.
    pub reprint_of: Option<i64>,
}

/// A run about to be recorded.
pub(super) struct NewRun<'a> {
    pub spec: &'a MergeSpec,
    pub recipients: &'a [Option<ContactId>],
    pub output: &'a str,
    pub printed: usize,
    pub skipped: usize,
    pub pages: usize,
    pub reprint_of: Option<i64>,
}

/// Records a run and its recipients; returns its id.
pub(super) fn record_run(conn: &Connection, run: &NewRun, at: DateTime<Utc>) -> Result<i64> {
    let options = serde_json::to_string(&run.spec.options).expect("options serialise");
    conn.execute(
        "INSERT INTO merge_runs (created_at, layout, template_name, template_source, options, output, printed, skipped,
            pages, reprint_of)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            timestamp(at),
            run.spec.layout.name(),
            run.spec.template_name,
            run.spec.template_source,
            options,
            run.output,
            run.printed as i64,
            run.skipped as i64,
            run.pages as i64,
            run.reprint_of,
        ],
    )?;
    let id = conn.last_insert_rowid();
    let mut insert =
        conn.prepare_cached("INSERT INTO merge_run_recipients (run_id, position, contact_id) VALUES (?1, ?2, ?3)")?;
    for (position, contact) in run.recipients.iter().enumerate() {
        insert.execute(params![id, position as i64, contact.map(|c| c.to_string())])?;
    }
    Ok(id)
}

const RUN_SELECT: &str = "SELECT id, created_at, layout, template_name, template_source, options, output, printed,
    skipped, pages, reprint_of FROM merge_runs";

/// Every recorded run, newest first.
pub fn list_runs(conn: &Connection) -> Result<Vec<MergeRun>> {
    let mut stmt = conn.prepare(&format!("{RUN_SELECT} ORDER BY id DESC"))?;
    let rows = stmt.query_map([], run_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn get_run(conn: &Connection, id: i64) -> Result<MergeRun> {
    conn.query_row(&format!("{RUN_SELECT} WHERE id = ?1"), [id], run_row)
        .optional()?
        .ok_or_else(|| Error::NotFound { what: "merge run", id: id.to_string() })
}

/// Whom a run was asked to print for, in order; `None` for a contact deleted for good since.
pub fn run_recipients(conn: &Connection, id: i64) -> Result<Vec<Option<ContactId>>> {
    let mut stmt = conn.prepare("SELECT contact_id FROM merge_run_recipients WHERE run_id = ?1 ORDER BY position")?;
    let ids = stmt
        .query_map([id], |r| r.get::<_, Option<String>>(0)?.as_deref().map(parse_id).transpose())?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(ids)
}

fn run_row(r: &Row) -> rusqlite::Result<MergeRun> {
    let layout: String = r.get(2)?;
    let options: String = r.get(5)?;
    let damaged = |what: String| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, what.into());
    Ok(MergeRun {
        id: r.get(0)?,
        created_at: parse_timestamp(&r.get::<_, String>(1)?)?,
        spec: MergeSpec {
            layout: layout.parse().map_err(damaged)?,
            template_name: r.get(3)?,
            template_source: r.get(4)?,
            options: serde_json::from_str::<MergeOptions>(&options).map_err(|e| damaged(e.to_string()))?,
        },
        output: r.get(6)?,
        printed: r.get::<_, i64>(7)? as usize,
        skipped: r.get::<_, i64>(8)? as usize,
        pages: r.get::<_, i64>(9)? as usize,
        reprint_of: r.get(10)?,
    })
}
