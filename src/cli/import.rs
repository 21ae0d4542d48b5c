//! `rolodeck import FILE`: bring contacts in from a vCard (.vcf) or CSV file (Google, Outlook,
//! LinkedIn, any spreadsheet) as one batch, with a preview first (`--dry-run`), and undo any
//! batch later (`--undo ID`).

use std::path::PathBuf;

use clap::Args;
use rolodeck::export::json::restore_json;
use rolodeck::import::batch::{Action, OnMatch, apply_import, list_imports, plan_import, undo_import};
use rolodeck::import::read_file;
use rolodeck::{Error, FieldError, Result, Store};
use uuid::Uuid;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A vCard (.vcf) or CSV (.csv) file; or a full JSON export (.json) into an empty file
    file: Option<PathBuf>,
    /// Show what would happen, write nothing
    #[arg(long)]
    dry_run: bool,
    /// What to do with a card that matches a contact already in the file
    #[arg(long, value_enum, default_value = "merge")]
    on_match: OnMatch,
    /// List past imports
    #[arg(long, conflicts_with_all = ["file", "undo"])]
    list: bool,
    /// Undo an import by its id (from --list)
    #[arg(long, conflicts_with = "file")]
    undo: Option<Uuid>,
}

pub fn run(store: &Store, args: ImportArgs) -> Result<()> {
    if args.list {
        for batch in list_imports(store.conn())? {
            let undone = batch.undone_at.map_or(String::new(), |t| format!(" (undone {})", t.format("%Y-%m-%d %H:%M")));
            println!(
                "{}  {}  {}: {} new, {} merged, {} skipped{undone}",
                batch.id,
                batch.created_at.format("%Y-%m-%d %H:%M"),
                batch.source,
                batch.created,
                batch.merged,
                batch.skipped
            );
        }
        return Ok(());
    }
    if let Some(id) = args.undo {
        let touched = undo_import(store.conn(), id)?;
        println!("undid import {id}: {touched} contacts put back as they were");
        return Ok(());
    }
    let Some(file) = args.file else {
        return Err(Error::Invalid(vec![FieldError::new(
            "file",
            "name a .vcf or .csv file to import (or use --list / --undo ID)",
        )]));
    };
    if file.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
        let bytes = std::fs::read(&file)?;
        let document = serde_json::from_slice(&bytes).map_err(|e| {
            Error::Invalid(vec![FieldError::new("file", format!("{}: not JSON ({e})", file.display()))])
        })?;
        let count = restore_json(store.conn(), &document)?;
        println!("restored {count} contacts and everything else from {}", file.display());
        return Ok(());
    }
    let read = read_file(&file, None)?;
    for warning in &read.warnings {
        println!("  ! {warning}");
    }
    let cards = read.cards;
    let source = file.file_name().map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into_owned());
    let plan = plan_import(store, &source, cards, args.on_match)?;
    for (i, row) in plan.rows.iter().enumerate() {
        let name = rolodeck::contacts::model::display_name(&row.draft);
        match &row.action {
            Action::Create => println!("{:>4}  new      {name}", i + 1),
            Action::Merge { name: into, reason, .. } => println!("{:>4}  merge    {name} → {into} ({reason})", i + 1),
            Action::Skip { reason } => println!("{:>4}  skip     {name}: {reason}", i + 1),
        }
        for warning in &row.warnings {
            println!("        ! {warning}");
        }
    }
    if args.dry_run {
        println!("dry run: {} new, {} to merge, {} to skip; nothing written", plan.creates, plan.merges, plan.skips);
        return Ok(());
    }
    let batch = apply_import(store.conn(), &plan)?;
    println!(
        "imported {}: {} new, {} merged, {} skipped (undo: rolodeck import --undo {})",
        batch.source, batch.created, batch.merged, batch.skipped, batch.id
    );
    Ok(())
}
