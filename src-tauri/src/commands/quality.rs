//! Data quality from the window: the dashboard (completeness and each thing worth fixing,
//! by kind), the duplicate scan, which runs as the background job "duplicates", and merging a
//! duplicate side by side, undoable.

use chrono::Utc;
use rolodeck::contacts::ContactId;
use rolodeck::quality::duplicates::{DuplicatePair, find_duplicates_with};
use rolodeck::quality::merging::{self, MergeRecord};
use rolodeck::quality::pair::{MergeChoices, PairReview, duplicate_pair as review_pair};
use rolodeck::quality::report::{QualityReport, quality_report};
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};

use crate::jobs;
use crate::{AppState, CmdError};

/// How many issues or pairs the window gets at once: enough to work through tonight, without
/// shipping 100,000 rows; the counts cover them all.
const SHOWN: usize = 500;

/// The dashboard, once for all its tabs (see `QualityReport::first`).
#[tauri::command]
pub async fn quality(state: State<'_, AppState>, stale_months: u32) -> Result<QualityReport, CmdError> {
    Ok(state.with_store(|s| quality_report(s.conn(), Utc::now(), stale_months))?.first(SHOWN))
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DuplicateScan {
    total: usize,
    /// The most certain `SHOWN` pairs.
    pairs: Vec<DuplicatePair>,
}

/// Starts the duplicate scan, with progress and cancel; its result (`DuplicateScan`) comes with
/// the job's "done" report.
#[tauri::command]
pub async fn scan_duplicates<R: Runtime>(app: AppHandle<R>) -> Result<(), CmdError> {
    jobs::start(&app, "duplicates", |store, progress| {
        let mut pairs = find_duplicates_with(store.conn(), &mut |d, t| progress.report(d, t), progress.stop_flag())?;
        let total = pairs.len();
        pairs.truncate(SHOWN);
        Ok(DuplicateScan { total, pairs })
    })
}

/// The pair side by side: each field's two values with the suggested one, the merged lists,
/// and what will move from `b` to `a`.
#[tauri::command]
pub async fn duplicate_pair(state: State<'_, AppState>, a: ContactId, b: ContactId) -> Result<PairReview, CmdError> {
    state.with_store(|s| review_pair(s.conn(), a, b))
}

/// Merges `merge` into `keep` with the fields chosen (the suggestion where none is); `merge`
/// goes to the Trash. Undo with `undo_duplicate_merge`.
#[tauri::command]
pub async fn merge_duplicates(
    state: State<'_, AppState>,
    keep: ContactId,
    merge: ContactId,
    choices: MergeChoices,
) -> Result<MergeRecord, CmdError> {
    state.with_store(|s| merging::merge_contacts(s.conn(), keep, merge, &choices))
}

#[tauri::command]
pub async fn undo_duplicate_merge(state: State<'_, AppState>, id: uuid::Uuid) -> Result<MergeRecord, CmdError> {
    state.with_store(|s| merging::undo_merge(s.conn(), id))
}
