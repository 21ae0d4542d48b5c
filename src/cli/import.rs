//! `rolodeck import FILE`: bring contacts in from a vCard (.vcf) or CSV file (Google, Outlook,
//! LinkedIn, any spreadsheet) as one batch, with a preview first (`--dry-run`), and undo any
//! batch later (`--undo ID`).

use std::path::PathBuf;

use clap::Args;
use rolodeck::export::json::restore_json;
use rolodeck::import::batch::{Action, OnMatch, PlannedRow, list_imports, plan_import, undo_import};
use rolodeck::import::{import_file, read_file, source_name};
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

/// Prints each planned row, numbered, with what will happen to it and its warnings.
fn print_rows() -> impl FnMut(&PlannedRow) {
    let mut number = 0;
    move |row| {
        number += 1;
        let name = rolodeck::contacts::model::display_name(&row.draft);
        match &row.action {
            Action::Create => println!("{number:>4}  new      {name}"),
            Action::Merge { name: into, reason, .. } => println!("{number:>4}  merge    {name} → {into} ({reason})"),
            Action::Skip { reason } => println!("{number:>4}  skip     {name}: {reason}"),
        }
        for warning in &row.warnings {
            println!("        ! {warning}");
        }
    }
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
    if !args.dry_run {
        let (batch, warnings) = import_file(store, &file, args.on_match, print_rows())?;
        warnings.iter().for_each(|warning| println!("  ! {warning}"));
        println!(
            "imported {}: {} new, {} merged, {} skipped (undo: rolodeck import --undo {})",
            batch.source, batch.created, batch.merged, batch.skipped, batch.id
        );
        return Ok(());
    }
    let read = read_file(&file, None)?;
    read.warnings.iter().for_each(|warning| println!("  ! {warning}"));
    let plan = plan_import(store, &source_name(&file), read.cards, args.on_match)?;
    plan.rows.iter().for_each(print_rows());
    println!("dry run: {} new, {} to merge, {} to skip; nothing written", plan.creates, plan.merges, plan.skips);
    Ok(())
}
