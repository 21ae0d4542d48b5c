//! Long work (printing, sending, importing, scanning) runs on a thread of its own with its own
//! connection to the file, so the window never waits and the other commands keep answering.
//! Each job reports through one `job` event — `{ job, state: "progress" | "done" | "failed" |
//! "cancelled", done, total, result, error }` — and `cancel_job` asks it to stop.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rolodeck::Store;
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime, State};

use crate::{AppState, CmdError};

/// The event every job reports on.
pub const JOB_EVENT: &str = "job";

/// Progress is sent at most this often, so a fast job does not flood the window.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// The running jobs by name, each with its stop flag. Managed by `setup`.
#[derive(Default)]
pub struct Jobs(Mutex<HashMap<&'static str, Arc<AtomicBool>>>);

impl Jobs {
    fn running(&self) -> std::sync::MutexGuard<'_, HashMap<&'static str, Arc<AtomicBool>>> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobReport {
    pub job: &'static str,
    pub state: &'static str,
    pub done: usize,
    pub total: usize,
    pub result: Option<serde_json::Value>,
    pub error: Option<CmdError>,
}

/// What a job's work gets: its stop flag and a way to say how far it is.
pub struct Progress<R: Runtime> {
    app: AppHandle<R>,
    job: &'static str,
    stop: Arc<AtomicBool>,
    last: Mutex<Option<Instant>>,
}

impl<R: Runtime> Progress<R> {
    pub fn stop_flag(&self) -> &AtomicBool {
        &self.stop
    }

    pub fn report(&self, done: usize, total: usize) {
        let mut last = self.last.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if done < total && last.is_some_and(|at| at.elapsed() < PROGRESS_EVERY) {
            return;
        }
        *last = Some(Instant::now());
        self.emit("progress", done, total, None, None);
    }

    fn emit(
        &self,
        state: &'static str,
        done: usize,
        total: usize,
        result: Option<serde_json::Value>,
        error: Option<CmdError>,
    ) {
        let report = JobReport { job: self.job, state, done, total, result, error };
        // A window closed meanwhile has nobody to tell; the work itself is already saved.
        let _ = self.app.emit(JOB_EVENT, report);
    }
}

/// Starts `work` as the job `job` on the open file, unless that job is running already.
pub fn start<R, T>(
    app: &AppHandle<R>,
    job: &'static str,
    work: impl FnOnce(&Store, &Progress<R>) -> rolodeck::Result<T> + Send + 'static,
) -> Result<(), CmdError>
where
    R: Runtime,
    T: Serialize,
{
    let path = app.state::<AppState>().path()?;
    let stop = Arc::new(AtomicBool::new(false));
    {
        let jobs = app.state::<Jobs>();
        let mut running = jobs.running();
        if running.contains_key(job) {
            return Err(CmdError::new(
                "busy",
                format!("{} is already running; wait for it or stop it first", label(job)),
            ));
        }
        running.insert(job, stop.clone());
    }
    let progress = Progress { app: app.clone(), job, stop, last: Mutex::new(None) };
    std::thread::spawn(move || {
        let outcome = Store::open(&path).and_then(|store| work(&store, &progress));
        progress.app.state::<Jobs>().running().remove(job);
        let stopped = progress.stop.load(Ordering::Relaxed);
        match outcome {
            Ok(result) => {
                let result = serde_json::to_value(result).ok();
                progress.emit(if stopped { "cancelled" } else { "done" }, 0, 0, result, None);
            }
            Err(err) => progress.emit("failed", 0, 0, None, Some(err.into())),
        }
    });
    Ok(())
}

/// Asks job `job` to stop; answers whether it was running.
#[tauri::command]
pub fn cancel_job(jobs: State<'_, Jobs>, job: String) -> bool {
    jobs.running().get(job.as_str()).map(|stop| stop.store(true, Ordering::Relaxed)).is_some()
}

fn label(job: &str) -> &'static str {
    match job {
        "print" => "Printing",
        "outbox" => "Sending",
        "import" => "An import",
        "duplicates" => "The duplicate scan",
        _ => "That job",
    }
}
