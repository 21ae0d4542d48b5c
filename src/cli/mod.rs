//! Argument parsing and dispatch for the `rolodeck` binary; one module per subcommand.

mod backup;
mod bench;
mod calibrate;
mod contacts;
mod demo;
mod duplicates;
mod export;
mod fields;
mod import;
mod list;
mod merge;
mod outbox;
mod quality;
mod send;
mod sender;
mod templates;
mod workflow;

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use rolodeck::{Result, Store, store};

/// Rolodeck: your contacts in one private SQLite file.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Args {
    /// The database file [default: $ROLODECK_DB, else the app-data dir]
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Add seeded, realistic demo contacts to the file
    Demo(demo::DemoArgs),
    /// Add, list, show, search, trash and restore contacts
    #[command(subcommand)]
    Contacts(contacts::ContactsCommand),
    /// Add, list, rename or delete custom fields; set a contact's values
    #[command(subcommand)]
    Fields(fields::FieldsCommand),
    /// Log what happened with a contact and settle the next step
    Log(workflow::LogArgs),
    /// Follow-ups due, no next step, keep in touch, birthdays
    Today(workflow::TodayArgs),
    /// Move a contact along Stranger → Suspect → Contact → Connection → Prospect → Client
    Stage(workflow::StageArgs),
    /// A smart list: contacts matching all the conditions given (or a saved list)
    List(list::ListArgs),
    /// Import a vCard or CSV file as one undoable batch (--dry-run to preview, --undo ID, --list)
    Import(import::ImportArgs),
    /// List likely duplicate contacts with the reasons; compare, merge and undo merges
    Duplicates(duplicates::DuplicatesArgs),
    /// How complete the file is, and what to fix
    Quality(quality::QualityArgs),
    /// Export contacts as vCard 4.0 or CSV, or everything as JSON (by the file's extension)
    Export(export::ExportArgs),
    /// Print letters, envelopes or labels for everyone a search finds, into one PDF
    Merge(merge::MergeArgs),
    /// Email (or fax through a gateway) everyone a search or smart list finds, via the outbox
    Send(send::SendArgs),
    /// Send what is queued, list, retry or drop messages; set up and test the mail server
    #[command(subcommand)]
    Outbox(outbox::OutboxCommand),
    /// List, show, save or delete letter templates
    #[command(subcommand)]
    Templates(templates::TemplatesCommand),
    /// Save a printer's offset for a layout (mm right, mm down)
    Calibrate(calibrate::CalibrateArgs),
    /// Show or set the sender's details for letterheads
    #[command(subcommand)]
    Sender(sender::SenderCommand),
    /// Write a consistent copy of the file
    Backup(backup::BackupArgs),
    /// Put a backup back in place of the file (the replaced file is kept)
    Restore(backup::RestoreArgs),
    /// Measure performance and print the figures
    #[command(subcommand)]
    Bench(bench::BenchCommand),
}

pub fn run(args: Args) -> Result<()> {
    let path = store::resolve_path(args.db);
    let open = || Store::open(&path);
    match args.command {
        Command::Demo(demo) => demo::run(&open()?, demo),
        Command::Contacts(command) => contacts::run(&open()?, command),
        Command::Fields(command) => fields::run(&open()?, command),
        Command::Log(args) => workflow::log(&open()?, args),
        Command::Today(args) => workflow::show_today(&open()?, args),
        Command::Stage(args) => workflow::stage(&open()?, args),
        Command::List(args) => list::run(&open()?, args),
        Command::Import(args) => import::run(&open()?, args),
        Command::Export(args) => export::run(&open()?, args),
        Command::Duplicates(args) => duplicates::run(&open()?, args),
        Command::Quality(args) => quality::run(&open()?, args),
        Command::Merge(merge) => merge::run(&open()?, merge),
        Command::Send(args) => send::run(&open()?, args),
        Command::Outbox(command) => outbox::run(&open()?, command),
        Command::Sender(command) => sender::run(&open()?, command),
        Command::Templates(command) => templates::run(&open()?, command),
        Command::Calibrate(args) => calibrate::run(&open()?, args),
        Command::Backup(args) => backup::backup(&open()?, args),
        Command::Restore(args) => backup::restore(&path, args),
        Command::Bench(command) => bench::run(command),
    }
}
