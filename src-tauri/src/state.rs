//! The open database behind the window. A file that fails to open (too new, damaged, not a
//! database) does not stop the app: the window starts, says why, and offers to open another.

use std::path::PathBuf;
use std::sync::Mutex;

use rolodeck::Store;

use crate::CmdError;

pub struct AppState {
    store: Mutex<Result<Store, String>>,
}

impl AppState {
    pub fn open(path: PathBuf) -> AppState {
        let store = Store::open(&path).map_err(|e| e.to_string());
        if store.is_ok() {
            back_up_in_background(path);
        }
        AppState { store: Mutex::new(store) }
    }

    /// Runs `f` on the open store, or says why there is none.
    pub fn with_store<T>(&self, f: impl FnOnce(&Store) -> rolodeck::Result<T>) -> Result<T, CmdError> {
        let guard = self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match &*guard {
            Ok(store) => Ok(f(store)?),
            Err(why) => Err(CmdError::new("no_database", why.clone())),
        }
    }

    /// The open file's path, for work that opens a connection of its own (`jobs`).
    pub fn path(&self) -> Result<PathBuf, CmdError> {
        self.with_store(|store| Ok(store.path().to_path_buf()))
    }

    /// Switches to the file at `path`; on failure the current file stays open.
    pub fn switch_to(&self, path: PathBuf) -> Result<(), CmdError> {
        let store = Store::open(&path)?;
        *self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Ok(store);
        back_up_in_background(path);
        Ok(())
    }
}

/// The daily automatic backup (seven kept, in `backups/` beside the file), on its own
/// connection and thread so a large file never delays the window.
fn back_up_in_background(path: PathBuf) {
    std::thread::spawn(move || {
        if let Ok(store) = Store::open(&path)
            && let Err(err) = rolodeck::store::backup::rotate_backups(&store, 7, 24)
        {
            eprintln!("rolodeck: automatic backup of {} failed: {err}", path.display());
        }
    });
}
