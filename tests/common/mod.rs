//! Helpers shared by the integration tests: a fresh database file in a temp dir, and drafts.
#![allow(dead_code)] // each test binary uses its own subset

use std::path::Path;
use std::process::Command;

use rolodeck::Store;
use rolodeck::contacts::{ContactDraft, LabeledValue};
use tempfile::TempDir;

/// A store on a real file in a fresh temp dir (kept alive by the returned `TempDir`).
pub fn temp_store() -> (TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path().join("contacts.db")).expect("open store");
    (dir, store)
}

pub fn person(given: &str, family: &str) -> ContactDraft {
    ContactDraft { given_name: given.into(), family_name: family.into(), ..Default::default() }
}

pub fn value(label: &str, value: &str) -> LabeledValue {
    LabeledValue { label: label.into(), value: value.into(), primary: false }
}

/// A poppler tool's output for `pdf` (pdftotext writes to stdout).
pub fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(if tool == "pdftotext" { &["-"][..] } else { &[][..] })
        .output()
        .unwrap_or_else(|e| panic!("{tool} not found ({e}): install poppler-utils (./dev test does)"));
    assert!(out.status.success(), "{tool} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}
