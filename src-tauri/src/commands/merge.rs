//! Printing from the window: the templates, a live preview of one recipient in any layout,
//! preflight, and the print itself — a background job ("print") with progress and cancel that
//! writes one PDF or one PDF per recipient to Documents/Rolodeck and opens it — plus the
//! recorded runs, each printable again; and "My details" with its logo and signature images.

use std::path::PathBuf;

use chrono::Local;
use rolodeck::Store;
use rolodeck::contacts::{self, ContactId};
use rolodeck::merge::Layout;
use rolodeck::merge::fields::{DateStyle, Sender, save_sender, saved_sender};
use rolodeck::merge::images::{self, ImageId, ImageInfo};
use rolodeck::merge::letters::{self, RecipientOrder};
use rolodeck::merge::library::{self, StoredTemplate, list_templates};
use rolodeck::merge::output::Target;
use rolodeck::merge::preflight::Problem;
use rolodeck::merge::recipients::Recipients;
use rolodeck::merge::run::{
    self, MergeOptions, MergeReport, MergeSpec, Preview, preflight_run, reprint_run, run_merge,
};
use rolodeck::merge::runs::{MergeRun, list_runs};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use crate::jobs;
use crate::{AppState, CmdError};

/// How many preflight problems the window lists; the count covers them all.
const PROBLEMS_SHOWN: usize = 200;

/// The templates: the user's saved ones, then the samples they haven't replaced.
#[tauri::command]
pub async fn merge_templates(state: State<'_, AppState>) -> Result<Vec<StoredTemplate>, CmdError> {
    state.with_store(|s| list_templates(s.conn()))
}

/// Saves a template (checked first: a broken one is refused with its line).
#[tauri::command]
pub async fn save_template(
    state: State<'_, AppState>,
    name: String,
    source: String,
) -> Result<StoredTemplate, CmdError> {
    state.with_store(|s| library::save_template(s.conn(), &name, &source))
}

#[tauri::command]
pub async fn delete_template(state: State<'_, AppState>, name: String) -> Result<bool, CmdError> {
    state.with_store(|s| library::delete_template(s.conn(), &name))
}

/// A merge as set up in the window; the date, "My details" and the printer's offset are
/// added from the file.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MergeRequest {
    layout: Layout,
    #[serde(default)]
    template_name: String,
    #[serde(default)]
    template_source: String,
    #[serde(default)]
    date_style: Option<DateStyle>,
    #[serde(default)]
    household: bool,
    #[serde(default = "first_label")]
    start_at: usize,
    #[serde(default)]
    fax_subject: String,
    #[serde(default)]
    fax_note: String,
}

fn first_label() -> usize {
    1
}

impl MergeRequest {
    fn spec(self, store: &Store) -> rolodeck::Result<MergeSpec> {
        let saved = MergeOptions::saved(store.conn(), self.layout)?;
        Ok(MergeSpec {
            layout: self.layout,
            template_name: self.template_name,
            template_source: self.template_source,
            options: MergeOptions {
                date_style: self.date_style,
                household: self.household,
                start_at: self.start_at,
                fax_subject: self.fax_subject,
                fax_note: self.fax_note,
                ..saved
            },
        })
    }
}

#[tauri::command]
pub async fn merge_preview(
    state: State<'_, AppState>,
    request: MergeRequest,
    contact_id: ContactId,
) -> Result<Preview, CmdError> {
    state.with_store(|store| {
        let spec = request.spec(store)?;
        run::preview(store.conn(), &spec, &contacts::get_contact(store.conn(), contact_id)?)
    })
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Preflight {
    total: usize,
    /// The first `PROBLEMS_SHOWN`.
    problems: Vec<Problem>,
}

/// What to fix before printing letters or faxes for `recipients`.
#[tauri::command]
pub async fn merge_preflight(
    state: State<'_, AppState>,
    request: MergeRequest,
    recipients: Recipients,
    order: RecipientOrder,
) -> Result<Preflight, CmdError> {
    state.with_store(|store| {
        let mut problems = preflight_run(store.conn(), &request.spec(store)?, &recipients.resolve(store, order)?)?;
        let total = problems.len();
        problems.truncate(PROBLEMS_SHOWN);
        Ok(Preflight { total, problems })
    })
}

/// Prints `request` for `recipients` as the job "print" (progress per letter, `cancel_job`
/// stops it and leaves no file): one PDF, or with `folder` one PDF per recipient, in
/// Documents/Rolodeck, opened when done. The job's result is the `MergeReport`.
#[tauri::command]
pub async fn merge_print<R: Runtime>(
    app: AppHandle<R>,
    request: MergeRequest,
    recipients: Recipients,
    order: RecipientOrder,
    folder: bool,
) -> Result<(), CmdError> {
    jobs::start(&app, "print", move |store, progress| {
        let spec = request.spec(store)?;
        let chosen = recipients.resolve(store, order)?;
        let target = target_for(&title_of(&spec), folder)?;
        let report =
            run_merge(store.conn(), &spec, &chosen, &target, &mut |d, t| progress.report(d, t), progress.stop_flag())?;
        open(&target);
        Ok(report)
    })
}

/// The recorded runs, newest first.
#[tauri::command]
pub async fn merge_runs(state: State<'_, AppState>) -> Result<Vec<MergeRun>, CmdError> {
    state.with_store(|s| list_runs(s.conn()))
}

/// Prints run `id` again into one new PDF, as the job "print" (see `merge_print`).
#[tauri::command]
pub async fn merge_reprint<R: Runtime>(app: AppHandle<R>, id: i64) -> Result<(), CmdError> {
    jobs::start(&app, "print", move |store, progress| -> rolodeck::Result<MergeReport> {
        let run = rolodeck::merge::runs::get_run(store.conn(), id)?;
        let target = target_for(&title_of(&run.spec), false)?;
        let report = reprint_run(store.conn(), id, &target, &mut |d, t| progress.report(d, t), progress.stop_flag())?;
        open(&target);
        Ok(report)
    })
}

/// The printer's saved offset for an envelope or label layout: `[mm right, mm down]`.
#[tauri::command]
pub async fn merge_calibration(state: State<'_, AppState>, layout: Layout) -> Result<(f32, f32), CmdError> {
    state.with_store(|s| run::calibration(s.conn(), layout))
}

/// Remembers how far this printer feeds `layout` off; later prints and previews shift back.
#[tauri::command]
pub async fn set_merge_calibration(
    state: State<'_, AppState>,
    layout: Layout,
    offset: (f32, f32),
) -> Result<(), CmdError> {
    if !(offset.0.abs() <= 20.0 && offset.1.abs() <= 20.0) {
        return Err(CmdError::new(
            "invalid",
            "A printer is rarely more than a few millimetres off: enter −20 to 20 mm.",
        ));
    }
    state.with_store(|s| run::set_calibration(s.conn(), layout, offset))
}

#[tauri::command]
pub async fn get_sender(state: State<'_, AppState>) -> Result<Sender, CmdError> {
    state.with_store(|store| saved_sender(store.conn()))
}

/// Saves "My details"; the logo and signature it names must have come from `add_image`.
#[tauri::command]
pub async fn set_sender(state: State<'_, AppState>, sender: Sender) -> Result<(), CmdError> {
    state.with_store(|store| save_sender(store.conn(), &sender))
}

/// Checks and stores the PNG or JPEG file at `path` (at most 2 MB) for the logo or signature;
/// "My details" names it once the form is saved. A bad file is refused with the reason.
#[tauri::command]
pub async fn add_image(state: State<'_, AppState>, path: PathBuf) -> Result<ImageInfo, CmdError> {
    state.with_store(|store| images::add_image_file(store.conn(), &path))
}

/// A stored image with its data: URL, for the form's thumbnails.
#[tauri::command]
pub async fn get_image(state: State<'_, AppState>, id: ImageId) -> Result<ImageInfo, CmdError> {
    state.with_store(|store| images::image_info(store.conn(), id))
}

/// Shows the native Open dialog for a PNG or JPEG; resolves to its path, or `null` when the
/// user cancels. The dialog runs here so the window needs no file-system permission.
#[tauri::command]
pub async fn choose_image_file<R: Runtime>(app: AppHandle<R>) -> Result<Option<PathBuf>, CmdError> {
    let picked = app
        .dialog()
        .file()
        .set_title("Choose an image")
        .add_filter("PNG or JPEG image", &["png", "jpg", "jpeg"])
        .blocking_pick_file();
    picked.map(|p| p.into_path().map_err(|e| CmdError::new("io", e.to_string()))).transpose()
}

fn title_of(spec: &MergeSpec) -> String {
    if spec.layout.uses_template() { spec.template_name.clone() } else { spec.layout.name() }
}

/// `Documents/Rolodeck/<title>-<time>.pdf`, or that folder without `.pdf` for one PDF each.
fn target_for(title: &str, folder: bool) -> rolodeck::Result<Target> {
    let dir = letters::output_dir();
    std::fs::create_dir_all(&dir)?;
    let stem = format!("{}-{}", file_stem(title), Local::now().format("%Y-%m-%d-%H%M%S"));
    Ok(if folder { Target::Folder(dir.join(stem)) } else { Target::File(dir.join(format!("{stem}.pdf"))) })
}

/// Opens the PDF (or the folder) in the desktop's viewer. The path is in the job's result
/// either way, so a desktop without a viewer still shows where it went.
fn open(target: &Target) {
    let path: PathBuf = target.path().to_path_buf();
    let _ = tauri_plugin_opener::open_path(&path, None::<&str>);
}

/// A template name made safe for a file name.
fn file_stem(name: &str) -> String {
    let stem: String = name.chars().map(|c| if c.is_alphanumeric() || c == '-' { c } else { '-' }).collect();
    if stem.trim_matches('-').is_empty() { "letters".into() } else { stem }
}
