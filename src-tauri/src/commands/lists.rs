//! Smart lists from the window: the contacts a filter finds (page by page, for the list in
//! the sidebar, counted live while it is built), and saving, listing and deleting lists.

use rolodeck::contacts::SearchPage;
use rolodeck::workflow::lists::{self, Filter, SmartList, list_matching};
use tauri::State;

use crate::{AppState, CmdError};

#[tauri::command]
pub async fn filter_contacts(
    state: State<'_, AppState>,
    filter: Filter,
    offset: usize,
    limit: usize,
) -> Result<SearchPage, CmdError> {
    state.with_store(|s| list_matching(s, &filter, offset, limit))
}

#[tauri::command]
pub async fn smart_lists(state: State<'_, AppState>) -> Result<Vec<SmartList>, CmdError> {
    state.with_store(|s| lists::all_lists(s.conn()))
}

/// Saves `filter` as `name`, replacing a list of that name.
#[tauri::command]
pub async fn save_smart_list(state: State<'_, AppState>, name: String, filter: Filter) -> Result<SmartList, CmdError> {
    state.with_store(|s| lists::save_list(s.conn(), &name, &filter))
}

#[tauri::command]
pub async fn delete_smart_list(state: State<'_, AppState>, name: String) -> Result<bool, CmdError> {
    state.with_store(|s| lists::delete_list(s.conn(), &name))
}
