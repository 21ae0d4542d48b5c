//! `rolodeck backup` and `rolodeck restore`: a consistent copy of the file now, and putting a
//! copy back (the replaced file is kept).

use std::path::PathBuf;

use chrono::Utc;
use clap::Args;
use rolodeck::store::backup::{backup_dir, backup_to, restore_backup};
use rolodeck::{Result, Store};

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the copy [default: backups/ beside the database, timestamped]
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup to put back
    backup: PathBuf,
}

pub fn backup(store: &Store, args: BackupArgs) -> Result<()> {
    let stem = store.path().file_stem().map_or("rolodeck".into(), |s| s.to_string_lossy().into_owned());
    let dest = args
        .out
        .unwrap_or_else(|| backup_dir(store).join(format!("{stem}-{}.db", Utc::now().format("%Y%m%d-%H%M%S%.3f"))));
    backup_to(store, &dest)?;
    println!("backed up {} to {}", store.path().display(), dest.display());
    Ok(())
}

pub fn restore(db: &std::path::Path, args: RestoreArgs) -> Result<()> {
    let kept = restore_backup(&args.backup, db)?;
    println!(
        "restored {} from {}; the file it replaced is kept as {}",
        db.display(),
        args.backup.display(),
        kept.display()
    );
    Ok(())
}
