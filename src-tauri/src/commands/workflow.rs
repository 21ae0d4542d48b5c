//! Workflow commands: the Today view, one contact's workflow (stage, timeline, next step,
//! consent, cadence), and the one-click changes to them. Each change returns the contact's
//! whole workflow so the window can redraw from one answer.

use chrono::{Local, NaiveDate, Utc};
use rolodeck::contacts::ContactId;
use rolodeck::contacts::tags::{self, Tag, list_tags};
use rolodeck::workflow::activity::{self, Activity, ActivityEdit, NextStep, WrapUp, log_activity as log};
use rolodeck::workflow::consent::{Consent, set_consent as save_consent};
use rolodeck::workflow::links::{self, Household};
use rolodeck::workflow::lists::set_grade_and_source;
use rolodeck::workflow::purchases::{self, Purchase};
use rolodeck::workflow::stage::{Stage, set_stage as move_stage};
use rolodeck::workflow::today::{
    TodayView, set_keep_in_touch as save_cadence, set_tag_keep_in_touch as save_tag_cadence, today as today_view,
};
use rolodeck::workflow::{ContactWorkflow, contact_workflow as workflow_of};
use serde::Serialize;
use tauri::State;
use uuid::Uuid;

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

/// Runs `change` on contact `id`, then answers with its whole workflow.
fn then_workflow(
    state: &AppState,
    id: ContactId,
    change: impl FnOnce(&rolodeck::Connection) -> rolodeck::Result<()>,
) -> Result<ContactWorkflow, CmdError> {
    state.with_store(|s| {
        change(s.conn())?;
        workflow_of(s.conn(), id)
    })
}

/// The 3-step wrap-up: what happened, the next step and its date (or no next step).
#[tauri::command]
pub async fn log_activity(
    state: State<'_, AppState>,
    id: ContactId,
    wrap_up: WrapUp,
) -> Result<ContactWorkflow, CmdError> {
    then_workflow(&state, id, |c| log(c, id, &wrap_up).map(drop))
}

#[tauri::command]
pub async fn set_stage(state: State<'_, AppState>, id: ContactId, stage: Stage) -> Result<ContactWorkflow, CmdError> {
    then_workflow(&state, id, |c| move_stage(c, id, stage, Utc::now()).map(drop))
}

#[tauri::command]
pub async fn set_consent(
    state: State<'_, AppState>,
    id: ContactId,
    consent: Consent,
) -> Result<ContactWorkflow, CmdError> {
    then_workflow(&state, id, |c| save_consent(c, id, &consent))
}

/// Sets how often to be in touch (`null` for never).
#[tauri::command]
pub async fn set_keep_in_touch(
    state: State<'_, AppState>,
    id: ContactId,
    every_days: Option<u32>,
) -> Result<ContactWorkflow, CmdError> {
    then_workflow(&state, id, |c| save_cadence(c, id, every_days))
}

/// Sets or drops the next step without logging anything.
#[tauri::command]
pub async fn set_next_action(
    state: State<'_, AppState>,
    id: ContactId,
    next: NextStep,
) -> Result<ContactWorkflow, CmdError> {
    then_workflow(&state, id, |c| activity::set_next_action(c, id, &next))
}

/// Corrects what an activity says (kind, text, time); the contact's workflow answers.
#[tauri::command]
pub async fn correct_activity(
    state: State<'_, AppState>,
    id: ContactId,
    activity: Uuid,
    edit: ActivityEdit,
) -> Result<ContactWorkflow, CmdError> {
    then_workflow(&state, id, |c| activity::correct_activity(c, activity, &edit).map(drop))
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Deleted {
    /// What was deleted, for `restore_activity` to put back (Undo).
    activity: Activity,
    workflow: ContactWorkflow,
}

#[tauri::command]
pub async fn delete_activity(state: State<'_, AppState>, id: ContactId, activity: Uuid) -> Result<Deleted, CmdError> {
    state.with_store(|s| {
        let activity = activity::delete_activity(s.conn(), activity)?;
        Ok(Deleted { activity, workflow: workflow_of(s.conn(), id)? })
    })
}

#[tauri::command]
pub async fn restore_activity(state: State<'_, AppState>, activity: Activity) -> Result<ContactWorkflow, CmdError> {
    then_workflow(&state, activity.contact_id, |c| activity::restore_activity(c, &activity))
}

/// Grade (A–D or none) and lead source.
#[tauri::command]
pub async fn set_grade(
    state: State<'_, AppState>,
    id: ContactId,
    grade: Option<String>,
    lead_source: String,
) -> Result<ContactWorkflow, CmdError> {
    then_workflow(&state, id, |c| set_grade_and_source(c, id, grade.as_deref(), &lead_source))
}

#[tauri::command]
pub async fn set_referred_by(
    state: State<'_, AppState>,
    id: ContactId,
    referrer: Option<ContactId>,
) -> Result<ContactWorkflow, CmdError> {
    then_workflow(&state, id, |c| purchases::set_referred_by(c, id, referrer))
}

#[tauri::command]
pub async fn add_purchase(
    state: State<'_, AppState>,
    id: ContactId,
    purchase: Purchase,
) -> Result<ContactWorkflow, CmdError> {
    then_workflow(&state, id, |c| purchases::add_purchase(c, id, &purchase))
}

/// Links the contact to a company (a contact standing for it), or unlinks with `null`.
#[tauri::command]
pub async fn set_company(
    state: State<'_, AppState>,
    id: ContactId,
    company: Option<ContactId>,
) -> Result<ContactWorkflow, CmdError> {
    then_workflow(&state, id, |c| links::set_company(c, id, company))
}

/// Puts the contact in household `household`, in a new one named `new_household`, or in none.
#[tauri::command]
pub async fn set_household(
    state: State<'_, AppState>,
    id: ContactId,
    household: Option<Uuid>,
    new_household: Option<String>,
) -> Result<ContactWorkflow, CmdError> {
    then_workflow(&state, id, |c| {
        let household = match new_household {
            Some(name) => Some(links::create_household(c, &name)?.id),
            None => household,
        };
        links::set_household(c, id, household)
    })
}

#[tauri::command]
pub async fn households(state: State<'_, AppState>) -> Result<Vec<Household>, CmdError> {
    state.with_store(|s| links::list_households(s.conn()))
}

#[tauri::command]
pub async fn tags(state: State<'_, AppState>) -> Result<Vec<Tag>, CmdError> {
    state.with_store(|s| list_tags(s.conn()))
}

/// How often to be in touch with everyone carrying the tag (`null` for never).
#[tauri::command]
pub async fn set_tag_keep_in_touch(
    state: State<'_, AppState>,
    name: String,
    every_days: Option<u32>,
) -> Result<Tag, CmdError> {
    state.with_store(|s| {
        save_tag_cadence(s.conn(), &name, every_days)?;
        tags::get_tag(s.conn(), &name)
    })
}

/// A tag's colour (`#rrggbb`), or `null` for the default.
#[tauri::command]
pub async fn set_tag_color(state: State<'_, AppState>, name: String, color: Option<String>) -> Result<Tag, CmdError> {
    state.with_store(|s| tags::set_tag_color(s.conn(), &name, color.as_deref()))
}
