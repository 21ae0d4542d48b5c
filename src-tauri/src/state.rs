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
        AppState { store: Mutex::new(Store::open(&path).map_err(|e| e.to_string())) }
    }

    /// Runs `f` on the open store, or says why there is none.
    pub fn with_store<T>(&self, f: impl FnOnce(&Store) -> rolodeck::Result<T>) -> Result<T, CmdError> {
        let guard = self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match &*guard {
            Ok(store) => Ok(f(store)?),
            Err(why) => Err(CmdError::new("no_database", why.clone())),
        }
    }

    /// Switches to the file at `path`; on failure the current file stays open.
    pub fn switch_to(&self, path: PathBuf) -> Result<(), CmdError> {
        let store = Store::open(&path)?;
        *self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Ok(store);
        Ok(())
    }
}
