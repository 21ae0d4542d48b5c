//! Contact commands: search, read, create, update, trash and restore.

use rolodeck::contacts::{self, Contact, ContactDraft, ContactId, ContactRow, SearchPage};
use tauri::State;

use crate::{AppState, CmdError};

#[tauri::command]
pub async fn search_contacts(
    state: State<'_, AppState>,
    query: String,
    offset: usize,
    limit: usize,
) -> Result<SearchPage, CmdError> {
    state.with_store(|s| contacts::search_contacts(s, &query, offset, limit))
}

#[tauri::command]
pub async fn get_contact(state: State<'_, AppState>, id: ContactId) -> Result<Contact, CmdError> {
    state.with_store(|s| contacts::get_contact(s.conn(), id))
}

#[tauri::command]
pub async fn create_contact(state: State<'_, AppState>, draft: ContactDraft) -> Result<Contact, CmdError> {
    state.with_store(|s| contacts::create_contact(s.conn(), draft))
}

#[tauri::command]
pub async fn update_contact(
    state: State<'_, AppState>,
    id: ContactId,
    draft: ContactDraft,
) -> Result<Contact, CmdError> {
    state.with_store(|s| contacts::update_contact(s.conn(), id, draft))
}

#[tauri::command]
pub async fn trash_contact(state: State<'_, AppState>, id: ContactId) -> Result<(), CmdError> {
    state.with_store(|s| contacts::trash_contact(s.conn(), id))
}

#[tauri::command]
pub async fn restore_contact(state: State<'_, AppState>, id: ContactId) -> Result<Contact, CmdError> {
    state.with_store(|s| contacts::restore_contact(s.conn(), id))
}

#[tauri::command]
pub async fn list_trash(state: State<'_, AppState>) -> Result<Vec<ContactRow>, CmdError> {
    state.with_store(|s| contacts::list_trash(s.conn()))
}

/// Deletes the trashed contacts for good; returns how many.
#[tauri::command]
pub async fn empty_trash(state: State<'_, AppState>) -> Result<usize, CmdError> {
    state.with_store(|s| contacts::empty_trash(s.conn()))
}
