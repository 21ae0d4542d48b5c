//! Workflow commands: the Today view, one contact's workflow (stage, timeline, next step,
//! consent, cadence), and the one-click changes to them. Each change returns the contact's
//! whole workflow so the window can redraw from one answer.

use chrono::{Local, NaiveDate, Utc};
use rolodeck::contacts::ContactId;
use rolodeck::workflow::activity::{WrapUp, log_activity as log};
use rolodeck::workflow::consent::{Consent, set_consent as save_consent};
use rolodeck::workflow::stage::{Stage, set_stage as move_stage};
use rolodeck::workflow::today::{TodayView, set_keep_in_touch as save_cadence, today as today_view};
use rolodeck::workflow::{ContactWorkflow, contact_workflow as workflow_of};
use tauri::State;

use crate::{AppState, CmdError};

/// Today (or `date`, YYYY-MM-DD, to look ahead).
#[tauri::command]
pub async fn today(state: State<'_, AppState>, date: Option<NaiveDate>) -> Result<TodayView, CmdError> {
    let date = date.unwrap_or_else(|| Local::now().date_naive());
    state.with_store(|s| today_view(s.conn(), date))
}

#[tauri::command]
pub async fn contact_workflow(state: State<'_, AppState>, id: ContactId) -> Result<ContactWorkflow, CmdError> {
    state.with_store(|s| workflow_of(s.conn(), id))
}

/// The 3-step wrap-up: what happened, the next step and its date (or no next step).
#[tauri::command]
pub async fn log_activity(
    state: State<'_, AppState>,
    id: ContactId,
    wrap_up: WrapUp,
) -> Result<ContactWorkflow, CmdError> {
    state.with_store(|s| {
        log(s.conn(), id, &wrap_up)?;
        workflow_of(s.conn(), id)
    })
}

#[tauri::command]
pub async fn set_stage(state: State<'_, AppState>, id: ContactId, stage: Stage) -> Result<ContactWorkflow, CmdError> {
    state.with_store(|s| {
        move_stage(s.conn(), id, stage, Utc::now())?;
        workflow_of(s.conn(), id)
    })
}

#[tauri::command]
pub async fn set_consent(
    state: State<'_, AppState>,
    id: ContactId,
    consent: Consent,
) -> Result<ContactWorkflow, CmdError> {
    state.with_store(|s| {
        save_consent(s.conn(), id, &consent)?;
        workflow_of(s.conn(), id)
    })
}

/// Sets how often to be in touch (`null` for never).
#[tauri::command]
pub async fn set_keep_in_touch(
    state: State<'_, AppState>,
    id: ContactId,
    every_days: Option<u32>,
) -> Result<ContactWorkflow, CmdError> {
    state.with_store(|s| {
        save_cadence(s.conn(), id, every_days)?;
        workflow_of(s.conn(), id)
    })
}
