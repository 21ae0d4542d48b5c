//! Letter merge commands: the sample templates, a live preview of one recipient's letter, and
//! printing everyone the current search finds to one PDF (which then opens in the viewer).

use chrono::Local;
use rolodeck::contacts::{self, ContactId};
use rolodeck::merge::fields::{DateStyle, Sender};
use rolodeck::merge::layout::Paper;
use rolodeck::merge::letters::{self, LetterRun, RecipientOrder, Skipped};
use rolodeck::merge::library::{self, StoredTemplate, list_templates};
use rolodeck::merge::recipients::Recipients;
use rolodeck::merge::template::Template;
use rolodeck::settings::{SENDER, get_setting, set_setting};
use serde::Serialize;
use tauri::State;

use crate::{AppState, CmdError};

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

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    /// One SVG document per page.
    pages: Vec<String>,
    /// Fields the template uses that don't exist (typos).
    unknown_fields: Vec<String>,
    /// Why this recipient would be skipped, if they would be.
    skip_reason: Option<&'static str>,
}

#[tauri::command]
pub async fn merge_preview(
    state: State<'_, AppState>,
    source: String,
    paper: Paper,
    contact_id: ContactId,
) -> Result<Preview, CmdError> {
    let template = Template::parse("preview", &source).map_err(rolodeck::Error::from)?;
    state.with_store(|store| {
        let sender = saved_sender(store)?;
        let contact = contacts::get_contact(store.conn(), contact_id)?;
        let run = letter_run(&template, paper, &sender, "preview");
        Ok(Preview {
            pages: letters::preview_svg(&run, &contact)?,
            unknown_fields: template.unknown_fields(),
            skip_reason: letters::postal_problem(&contact),
        })
    })
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Printed {
    path: String,
    letters: usize,
    pages: usize,
    bytes: usize,
    skipped: Vec<Skipped>,
}

/// Prints a letter for each recipient into `Documents/Rolodeck/<name>-<time>.pdf`
/// and opens it in the system's PDF viewer.
#[tauri::command]
pub async fn merge_print(
    state: State<'_, AppState>,
    name: String,
    source: String,
    paper: Paper,
    recipients: Recipients,
    order: RecipientOrder,
) -> Result<Printed, CmdError> {
    let template = Template::parse(&name, &source).map_err(rolodeck::Error::from)?;
    let (outcome, path) = state.with_store(|store| {
        let sender = saved_sender(store)?;
        let (recipients, blocked) = letters::without_do_not_mail(store.conn(), recipients.resolve(store, order)?)?;
        let mut outcome = letters::merge_letters(&letter_run(&template, paper, &sender, &name), &recipients)?;
        outcome.skipped.extend(blocked);
        if outcome.letters == 0 {
            // Nothing to print: say so instead of opening an empty PDF.
            return Err(rolodeck::Error::Missing(format!(
                "nobody to print for: {} found, all skipped{}",
                outcome.skipped.len(),
                outcome.skipped.first().map_or(String::new(), |s| format!(" ({}: {})", s.name, s.reason))
            )));
        }
        let dir = letters::output_dir();
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{}-{}.pdf", file_stem(&name), Local::now().format("%Y-%m-%d-%H%M%S")));
        std::fs::write(&path, &outcome.pdf)?;
        letters::record_printed(store.conn(), &outcome, &format!("Letter: {name}"))?;
        Ok((outcome, path))
    })?;
    // The PDF is written either way; if no viewer opens, the path is shown in the window.
    let _ = tauri_plugin_opener::open_path(&path, None::<&str>);
    Ok(Printed {
        path: path.display().to_string(),
        letters: outcome.letters,
        pages: outcome.pages,
        bytes: outcome.pdf.len(),
        skipped: outcome.skipped,
    })
}

#[tauri::command]
pub async fn get_sender(state: State<'_, AppState>) -> Result<Sender, CmdError> {
    state.with_store(saved_sender)
}

#[tauri::command]
pub async fn set_sender(state: State<'_, AppState>, sender: Sender) -> Result<(), CmdError> {
    state.with_store(|store| set_setting(store.conn(), SENDER, &sender))
}

fn saved_sender(store: &rolodeck::Store) -> rolodeck::Result<Sender> {
    Ok(get_setting(store.conn(), SENDER)?.unwrap_or_default())
}

fn letter_run<'a>(template: &'a Template, paper: Paper, sender: &'a Sender, title: &'a str) -> LetterRun<'a> {
    LetterRun {
        template,
        paper,
        date_style: DateStyle::default_for(paper),
        sender,
        today: Local::now().date_naive(),
        title,
    }
}

/// A template name made safe for a file name.
fn file_stem(name: &str) -> String {
    let stem: String = name.chars().map(|c| if c.is_alphanumeric() || c == '-' { c } else { '-' }).collect();
    if stem.trim_matches('-').is_empty() { "letters".into() } else { stem }
}
