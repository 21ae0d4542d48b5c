//! Custom fields from the window (File ▸ Custom fields…): list them in form order, add one,
//! rename it (its template key stays), put them in a new order, delete one with its values.

use rolodeck::contacts::custom::{self, CustomField, FieldId, NewField};
use tauri::State;

use crate::{AppState, CmdError};

#[tauri::command]
pub async fn custom_fields(state: State<'_, AppState>) -> Result<Vec<CustomField>, CmdError> {
    state.with_store(|s| custom::list_fields(s.conn()))
}

/// Adds `field` at the end of the form; rejects naming `name` or `options` when they don't do.
#[tauri::command]
pub async fn create_custom_field(state: State<'_, AppState>, field: NewField) -> Result<CustomField, CmdError> {
    state.with_store(|s| custom::create_field(s.conn(), &field))
}

#[tauri::command]
pub async fn rename_custom_field(
    state: State<'_, AppState>,
    id: FieldId,
    name: String,
) -> Result<CustomField, CmdError> {
    state.with_store(|s| custom::rename_field(s.conn(), id, &name))
}

/// Puts the fields in the order of `ids`; answers with every field in its new place.
#[tauri::command]
pub async fn reorder_custom_fields(
    state: State<'_, AppState>,
    ids: Vec<FieldId>,
) -> Result<Vec<CustomField>, CmdError> {
    state.with_store(|s| custom::reorder_fields(s.conn(), &ids))
}

/// Deletes the field and every contact's value for it (there is no undo); answers how many values went.
#[tauri::command]
pub async fn delete_custom_field(state: State<'_, AppState>, id: FieldId) -> Result<usize, CmdError> {
    state.with_store(|s| custom::delete_field(s.conn(), id))
}
