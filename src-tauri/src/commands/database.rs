//! Which file is open: its facts for the title bar, and File ▸ New / Open.

use rolodeck::{contacts, store};
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use crate::{AppState, CmdError};

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    db_path: String,
    schema_version: i64,
    contact_count: usize,
    trash_count: usize,
    version: &'static str,
}

#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfo, CmdError> {
    state.with_store(|s| {
        Ok(AppInfo {
            db_path: s.path().display().to_string(),
            schema_version: store::SCHEMA_VERSION,
            contact_count: contacts::count_contacts(s.conn())?,
            trash_count: contacts::list_trash(s.conn())?.len(),
            version: env!("CARGO_PKG_VERSION"),
        })
    })
}

/// Shows the native Open or Save dialog (`mode` is "open" or "new") and switches to the
/// chosen file. Resolves to `null` when the user cancels. The dialog runs here, in Rust, so
/// the window needs no file-system or dialog permission of its own.
#[tauri::command]
pub async fn choose_database<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    mode: String,
) -> Result<Option<AppInfo>, CmdError> {
    let dialog = app.dialog().file().add_filter("Rolodeck database", &["db", "sqlite", "rolodeck"]);
    let picked = match mode.as_str() {
        "open" => dialog.set_title("Open a Rolodeck database").blocking_pick_file(),
        "new" => dialog.set_title("New Rolodeck database").set_file_name("contacts.db").blocking_save_file(),
        other => return Err(CmdError::new("invalid", format!("unknown mode “{other}”: use “open” or “new”"))),
    };
    let Some(picked) = picked else { return Ok(None) };
    let path = picked.into_path().map_err(|e| CmdError::new("io", e.to_string()))?;
    state.switch_to(path)?;
    app_info(state).await.map(Some)
}
