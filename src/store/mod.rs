//! The one SQLite file: where it lives, how it is opened, and the few helpers every query uses.
//!
//! `Store::open` sets the pragmas that make the file crash-safe (WAL, `synchronous=FULL`),
//! turns on foreign keys, runs `quick_check`, and migrates before it returns, so no caller ever
//! holds an unchecked or unmigrated file.

pub mod backup;
mod migrations;

use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OpenFlags};

use crate::contacts::ListOrder;
use crate::{Error, Result};

pub use migrations::SCHEMA_VERSION;

/// The environment variable that overrides the default database path.
pub const DB_ENV: &str = "ROLODECK_DB";

pub struct Store {
    conn: Connection,
    path: PathBuf,
    list_order: ListOrder,
}

impl Store {
    /// Opens (creating if needed) the database at `path`, checks it, and brings it up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref().to_path_buf();
        let shown = path.display().to_string();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let conn = Connection::open(&path).map_err(cannot_open(&path))?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // A new file gets 16 KiB pages (an existing one keeps its own). Against 4 KiB, at 100,000
        // contacts: an import writes a sixth faster, Today and smart lists read a third faster,
        // an edit costs the same, and a search 0.4 ms more. A file that is not SQLite fails here,
        // on the first read, with "file is not a database".
        conn.pragma_update(None, "page_size", 16_384).map_err(cannot_open(&path))?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(cannot_open(&path))?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // 32 MiB of page cache keeps a 100,000-contact file's indexes in memory.
        conn.pragma_update(None, "cache_size", -32768)?;
        // Savepoints (see `atomically`) journal the pages they change; in memory, not in a temp file.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        let check: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        if check != "ok" {
            return Err(Error::Corrupt { path: shown, detail: check });
        }
        migrations::migrate(&conn, &shown)?;
        Ok(Store { conn, path, list_order: ListOrder::default() })
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// A second, read-only connection to the file, to read on another thread while this one
    /// writes (WAL lets both go on at once). It sees only what has been committed.
    pub fn reader(&self) -> Result<Connection> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&self.path, flags).map_err(cannot_open(&self.path))?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        Ok(conn)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The contact list's order, cached for search (see `contacts::ListOrder`).
    pub fn list_order(&self) -> &ListOrder {
        &self.list_order
    }
}

/// Where the database lives: `--db` first, then `ROLODECK_DB`, then the OS app-data dir
/// (`~/.local/share/rolodeck/rolodeck.db` on Linux).
pub fn resolve_path(flag: Option<PathBuf>) -> PathBuf {
    flag.or_else(|| std::env::var_os(DB_ENV).filter(|v| !v.is_empty()).map(PathBuf::from)).unwrap_or_else(default_path)
}

pub fn default_path() -> PathBuf {
    directories::ProjectDirs::from("", "", "rolodeck")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from("."))
        .join("rolodeck.db")
}

/// The error for a file SQLite cannot open or read, naming the file.
fn cannot_open(path: &Path) -> impl Fn(rusqlite::Error) -> Error + '_ {
    move |source| Error::Open { path: path.display().to_string(), source }
}

/// Runs `f` atomically: a savepoint works both on its own and inside a caller's transaction,
/// so a multi-row write is one unit whether or not it is part of a bigger one.
pub fn atomically<T>(conn: &Connection, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
    conn.execute_batch("SAVEPOINT rolodeck_write")?;
    match f(conn) {
        Ok(value) => {
            conn.execute_batch("RELEASE rolodeck_write")?;
            Ok(value)
        }
        Err(err) => {
            conn.execute_batch("ROLLBACK TO rolodeck_write; RELEASE rolodeck_write")?;
            Err(err)
        }
    }
}

/// Timestamps are stored as RFC 3339 UTC text with milliseconds, which sorts as it reads.
pub fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub fn parse_timestamp(text: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).map_err(conversion_error)
}

/// Ids are stored as UUID text; a row whose id doesn't parse is a damaged row, not a nil id.
pub fn parse_id(text: &str) -> rusqlite::Result<uuid::Uuid> {
    text.parse().map_err(conversion_error)
}

fn conversion_error(e: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
}
