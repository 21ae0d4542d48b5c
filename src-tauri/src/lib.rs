//! Rolodeck's desktop shell: opens the database, registers the commands and runs the window.
//! Everything it shows comes from the `rolodeck` core through `commands`; this crate holds no
//! SQL and no domain rules.

mod commands;
mod error;
mod jobs;
mod links;
mod state;

use std::path::PathBuf;

use tauri::{Runtime, generate_handler};

pub use error::CmdError;
pub use state::AppState;

/// Registers the plugins and every command on `builder`: the real one in `run`, tauri's mock
/// builder in tests.
pub fn setup<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    // Managed here rather than in `run` so the mock-runtime tests get it too.
    let builder = builder.manage(commands::PendingImport::default()).manage(jobs::Jobs::default());
    builder.plugin(tauri_plugin_dialog::init()).plugin(links::guard()).invoke_handler(generate_handler![
        commands::app_info,
        commands::search_contacts,
        commands::get_contact,
        commands::create_contact,
        commands::update_contact,
        commands::trash_contact,
        commands::restore_contact,
        commands::list_trash,
        commands::empty_trash,
        commands::choose_database,
        commands::merge_templates,
        commands::save_template,
        commands::delete_template,
        commands::merge_preview,
        commands::merge_print,
        commands::merge_preflight,
        commands::merge_runs,
        commands::merge_reprint,
        commands::merge_calibration,
        commands::set_merge_calibration,
        commands::get_sender,
        commands::set_sender,
        commands::add_image,
        commands::get_image,
        commands::choose_image_file,
        commands::today,
        commands::contact_workflow,
        commands::log_activity,
        commands::set_stage,
        commands::set_consent,
        commands::set_keep_in_touch,
        commands::set_next_action,
        commands::correct_activity,
        commands::delete_activity,
        commands::restore_activity,
        commands::set_grade,
        commands::set_referred_by,
        commands::add_purchase,
        commands::set_company,
        commands::set_household,
        commands::households,
        commands::tags,
        commands::set_tag_color,
        commands::set_tag_keep_in_touch,
        commands::import_preview,
        commands::import_apply,
        commands::import_undo,
        commands::import_list,
        commands::choose_import_file,
        commands::mail_settings,
        commands::save_mail_settings,
        commands::send_test_mail,
        commands::email_preview,
        commands::queue_email,
        commands::outbox,
        commands::outbox_send,
        commands::outbox_retry,
        commands::outbox_drop,
        commands::suppress_email,
        commands::filter_contacts,
        commands::smart_lists,
        commands::save_smart_list,
        commands::delete_smart_list,
        commands::quality,
        commands::scan_duplicates,
        commands::duplicate_pair,
        commands::merge_duplicates,
        commands::undo_duplicate_merge,
        commands::custom_fields,
        commands::create_custom_field,
        commands::rename_custom_field,
        commands::reorder_custom_fields,
        commands::delete_custom_field,
        jobs::cancel_job,
    ])
}

pub fn run() {
    let path = rolodeck::store::resolve_path(db_flag(std::env::args().skip(1)));
    setup(tauri::Builder::default())
        .manage(AppState::open(path))
        .run(tauri::generate_context!())
        .expect("the Rolodeck window could not start");
}

/// `--db PATH` or `--db=PATH` on the command line.
fn db_flag(mut args: impl Iterator<Item = String>) -> Option<PathBuf> {
    while let Some(arg) = args.next() {
        if arg == "--db" {
            return args.next().map(PathBuf::from);
        }
        if let Some(path) = arg.strip_prefix("--db=") {
            return Some(PathBuf::from(path));
        }
    }
    None
}
