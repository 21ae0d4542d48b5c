//! Backups of the one file: `VACUUM INTO` writes a consistent, compact copy while the file
//! stays open. Automatic backups rotate in a folder beside the database, newest kept; a
//! restore checks the backup opens before it replaces anything, and keeps the replaced file.

use std::path::{Path, PathBuf};

use chrono::Utc;

use super::Store;
use crate::Result;

/// Writes a consistent copy of the open file to `dest` (which must not exist yet).
pub fn backup_to(store: &Store, dest: &Path) -> Result<()> {
    if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    store.conn().execute("VACUUM INTO ?1", [dest.to_string_lossy()])?;
    Ok(())
}

/// The folder automatic backups go to: `backups/` beside the database.
pub fn backup_dir(store: &Store) -> PathBuf {
    store.path().parent().unwrap_or(Path::new(".")).join("backups")
}

/// Makes a timestamped backup if the newest one is older than `min_age_hours`, then keeps
/// only the `keep` newest. Returns the new backup's path, if one was made.
pub fn rotate_backups(store: &Store, keep: usize, min_age_hours: i64) -> Result<Option<PathBuf>> {
    let dir = backup_dir(store);
    let stem = store.path().file_stem().map_or("rolodeck".into(), |s| s.to_string_lossy().into_owned());
    let mut existing = list_backups(&dir, &stem)?;
    let fresh_enough = existing
        .last()
        .and_then(|p| std::fs::metadata(p).ok()?.modified().ok())
        .is_some_and(|t| t.elapsed().map_or(true, |age| age.as_secs() < (min_age_hours.max(0) as u64) * 3600));
    let made = if fresh_enough {
        None
    } else {
        let dest = dir.join(format!("{stem}-{}.db", Utc::now().format("%Y%m%d-%H%M%S%.3f")));
        backup_to(store, &dest)?;
        existing.push(dest.clone());
        Some(dest)
    };
    while existing.len() > keep.max(1) {
        std::fs::remove_file(existing.remove(0))?;
    }
    Ok(made)
}

/// Backups of the file named `stem` in `dir`, oldest first (their names sort by time).
pub fn list_backups(dir: &Path, stem: &str) -> Result<Vec<PathBuf>> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(Vec::new()) };
    let prefix = format!("{stem}-");
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|e| e == "db")
                && p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(&prefix))
        })
        .collect();
    found.sort();
    Ok(found)
}

/// Replaces the database at `db` with `backup`, after checking the backup opens. The file it
/// replaces is kept beside it as `<name>.before-restore-<time>.db`. Returns that path.
pub fn restore_backup(backup: &Path, db: &Path) -> Result<PathBuf> {
    drop(Store::open(backup)?); // a damaged or too-new backup fails here, before anything moves
    let kept = db.with_file_name(format!(
        "{}.before-restore-{}.db",
        db.file_stem().map_or("rolodeck".into(), |s| s.to_string_lossy().into_owned()),
        Utc::now().format("%Y%m%d-%H%M%S")
    ));
    if db.exists() {
        // Its WAL goes with it, so the kept copy is complete even if it was never checkpointed.
        for suffix in ["", "-wal", "-shm"] {
            let from = PathBuf::from(format!("{}{suffix}", db.display()));
            if from.exists() {
                std::fs::rename(&from, format!("{}{suffix}", kept.display()))?;
            }
        }
    }
    std::fs::copy(backup, db)?;
    Ok(kept)
}
