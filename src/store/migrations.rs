//! Numbered schema migrations, embedded in the binary and tracked by `PRAGMA user_version`.
//!
//! Each file runs in its own transaction together with the version bump, so a failed
//! migration leaves the file exactly as it was. A shipped migration is never edited: add the
//! next number instead.

use rusqlite::Connection;

use crate::{Error, Result};

const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_init", include_str!("migrations/0001_init.sql")),
    ("0002_settings", include_str!("migrations/0002_settings.sql")),
    ("0003_imports", include_str!("migrations/0003_imports.sql")),
    ("0004_workflow", include_str!("migrations/0004_workflow.sql")),
    ("0005_purchases", include_str!("migrations/0005_purchases.sql")),
    ("0006_smart_lists", include_str!("migrations/0006_smart_lists.sql")),
    ("0007_outbox", include_str!("migrations/0007_outbox.sql")),
    ("0008_templates", include_str!("migrations/0008_templates.sql")),
    ("0009_merge_runs", include_str!("migrations/0009_merge_runs.sql")),
    ("0010_custom_fields", include_str!("migrations/0010_custom_fields.sql")),
    ("0011_links", include_str!("migrations/0011_links.sql")),
    ("0012_merges", include_str!("migrations/0012_merges.sql")),
    ("0013_images", include_str!("migrations/0013_images.sql")),
    ("0014_leaner_search_index", include_str!("migrations/0014_leaner_search_index.sql")),
    ("0015_search_index_merges_less", include_str!("migrations/0015_search_index_merges_less.sql")),
    ("0016_import_created_ids", include_str!("migrations/0016_import_created_ids.sql")),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub(super) fn migrate(conn: &Connection, path: &str) -> Result<()> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(Error::NewerSchema { path: path.to_string(), found, known: SCHEMA_VERSION });
    }
    for (index, (name, sql)) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let version = index as i64 + 1;
        let run = || -> rusqlite::Result<()> {
            conn.execute_batch("BEGIN IMMEDIATE")?;
            conn.execute_batch(sql)?;
            conn.pragma_update(None, "user_version", version)?;
            conn.execute_batch("COMMIT")
        };
        if let Err(source) = run() {
            // Leave the file as it was; the error names the migration.
            let _ = conn.execute_batch("ROLLBACK");
            return Err(Error::Migration { name, source });
        }
    }
    Ok(())
}
