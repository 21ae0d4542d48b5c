//! Importing a vCard or CSV file from the window: preview what each card will do, apply
//! exactly that preview as one batch, and list or undo past batches. The plan itself is made
//! by the core (`rolodeck::import::batch`); this file only reads the file and keeps the
//! previewed plan between the two calls.

use std::path::PathBuf;
use std::sync::Mutex;

use rolodeck::contacts::model::display_name;
use rolodeck::import::batch::{
    Action, ImportBatch, ImportPlan, OnMatch, apply_import_with, list_imports, plan_import, undo_import,
};
use rolodeck::import::csv::ColumnMapping;
use rolodeck::import::{CsvColumns, FileCards, read_file, source_name};
use serde::Serialize;
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use crate::jobs;
use crate::{AppState, CmdError};

/// How many planned rows the preview sends: enough to judge the file by, without shipping a
/// 20,000-row table to the window.
const PREVIEW_ROWS: usize = 200;

/// The plan last previewed, kept so `import_apply` writes exactly what the user saw rather
/// than re-planning against a file that may have changed since. Managed by `setup`.
#[derive(Default)]
pub struct PendingImport(Mutex<Option<Pending>>);

struct Pending {
    /// The database the plan was made against: its merges name contacts of that file only.
    db: PathBuf,
    plan: ImportPlan,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreview {
    source: String,
    creates: usize,
    merges: usize,
    skips: usize,
    /// The first `PREVIEW_ROWS` of the plan; the counts above cover every row.
    rows: Vec<PreviewRow>,
    /// What the CSV reader noticed about the file as a whole (columns it could not place…).
    file_warnings: Vec<String>,
    /// For a CSV file, its columns and what each is read as, for the user to change.
    columns: Option<CsvColumns>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PreviewRow {
    name: String,
    action: Action,
    warnings: Vec<String>,
}

/// Plans importing the file at `path` and keeps the plan for `import_apply`. CSV is known by
/// its .csv or .tsv extension, and its columns are read through `mapping` when the user
/// changed what one means; anything else is read as vCard, whose reader says plainly when a
/// file is neither.
#[tauri::command]
pub async fn import_preview(
    state: State<'_, AppState>,
    pending: State<'_, PendingImport>,
    path: PathBuf,
    on_match: OnMatch,
    mapping: Option<ColumnMapping>,
) -> Result<ImportPreview, CmdError> {
    let FileCards { cards, warnings: file_warnings, columns } = read_file(&path, mapping)?;
    let source = source_name(&path);
    let (db, plan) = state.with_store(|s| Ok((s.path().to_path_buf(), plan_import(s, &source, cards, on_match)?)))?;
    let preview = ImportPreview {
        source: plan.source.clone(),
        creates: plan.creates,
        merges: plan.merges,
        skips: plan.skips,
        rows: plan
            .rows
            .iter()
            .take(PREVIEW_ROWS)
            .map(|row| PreviewRow {
                name: display_name(&row.draft),
                action: row.action.clone(),
                warnings: row.warnings.clone(),
            })
            .collect(),
        file_warnings,
        columns,
    };
    *pending.lock() = Some(Pending { db, plan });
    Ok(preview)
}

/// Writes the previewed plan as one batch, as the job "import" (progress per contact,
/// `cancel_job("import")` stops it having written nothing). The job's result is the
/// `ImportBatch`. The plan is used up when it succeeds; after a failure or a cancel it is kept,
/// so Import can be pressed again.
#[tauri::command]
pub async fn import_apply<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    pending: State<'_, PendingImport>,
) -> Result<(), CmdError> {
    let Some(Pending { db, plan }) = pending.lock().take() else {
        return Err(CmdError::new("invalid", "nothing to import: preview a file first"));
    };
    if state.path()? != db {
        return Err(CmdError::new("invalid", "that preview was of another database; preview the file again"));
    }
    let handle = app.clone();
    jobs::start(&app, "import", move |store, progress| {
        let applied = apply_import_with(store.conn(), &plan, &mut |d, t| progress.report(d, t), progress.stop_flag());
        if applied.is_err() {
            *handle.state::<PendingImport>().lock() = Some(Pending { db, plan });
        }
        applied
    })
}

/// Puts back everything batch `id` did; returns how many contacts that touched (0 when it
/// was undone already).
#[tauri::command]
pub async fn import_undo(state: State<'_, AppState>, id: String) -> Result<usize, CmdError> {
    let id = id.parse().map_err(|_| CmdError::new("not_found", format!("no import “{id}”")))?;
    state.with_store(|s| undo_import(s.conn(), id))
}

/// Past imports, newest first.
#[tauri::command]
pub async fn import_list(state: State<'_, AppState>) -> Result<Vec<ImportBatch>, CmdError> {
    state.with_store(|s| list_imports(s.conn()))
}

/// Shows the native Open dialog for a vCard or CSV file; resolves to its path, or `null` when
/// the user cancels. As with `choose_database`, the dialog runs here so the window needs no
/// file-system permission.
#[tauri::command]
pub async fn choose_import_file<R: Runtime>(app: AppHandle<R>) -> Result<Option<PathBuf>, CmdError> {
    let picked = app
        .dialog()
        .file()
        .set_title("Import contacts")
        .add_filter("vCard", &["vcf", "vcard"])
        .add_filter("CSV", &["csv", "tsv"])
        .blocking_pick_file();
    picked.map(|p| p.into_path().map_err(|e| CmdError::new("io", e.to_string()))).transpose()
}

impl PendingImport {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Pending>> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
