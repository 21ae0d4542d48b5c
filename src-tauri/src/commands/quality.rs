//! Data quality from the window: the dashboard (completeness and each thing worth fixing,
//! by kind) and the duplicate scan, which runs as the background job "duplicates".

use std::collections::HashMap;

use chrono::Utc;
use rolodeck::quality::duplicates::{DuplicatePair, find_duplicates};
use rolodeck::quality::report::{Issue, IssueKind, quality_report};
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};

use crate::jobs;
use crate::{AppState, CmdError};

/// How many issues or pairs the window gets at once: enough to work through tonight, without
/// shipping 100,000 rows; the counts cover them all.
const SHOWN: usize = 500;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QualitySummary {
    contacts: usize,
    completeness: f64,
    counts: HashMap<IssueKind, usize>,
    /// The first `SHOWN` issues of the kind asked for (of every kind when none was).
    issues: Vec<Issue>,
}

#[tauri::command]
pub async fn quality(
    state: State<'_, AppState>,
    kind: Option<IssueKind>,
    stale_months: u32,
) -> Result<QualitySummary, CmdError> {
    let report = state.with_store(|s| quality_report(s.conn(), Utc::now(), stale_months))?;
    Ok(QualitySummary {
        contacts: report.contacts,
        completeness: report.completeness,
        counts: report.counts,
        issues: report.issues.into_iter().filter(|i| kind.is_none_or(|k| i.kind == k)).take(SHOWN).collect(),
    })
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DuplicateScan {
    total: usize,
    /// The most certain `SHOWN` pairs.
    pairs: Vec<DuplicatePair>,
}

/// Starts the duplicate scan; its result (`DuplicateScan`) comes with the job's "done" report.
#[tauri::command]
pub async fn scan_duplicates<R: Runtime>(app: AppHandle<R>) -> Result<(), CmdError> {
    jobs::start(&app, "duplicates", |store, _| {
        let mut pairs = find_duplicates(store.conn())?;
        let total = pairs.len();
        pairs.truncate(SHOWN);
        Ok(DuplicateScan { total, pairs })
    })
}
