//! Helpers shared by the integration tests: a fresh database file in a temp dir, and drafts.
#![allow(dead_code)] // each test binary uses its own subset

use std::path::Path;
use std::process::Command;

use rolodeck::Store;
use rolodeck::contacts::{ContactDraft, LabeledValue};
use rolodeck::merge::Layout;
use rolodeck::merge::fields::Sender;
use rolodeck::merge::letters::SAMPLE_TEMPLATES;
use rolodeck::merge::run::{MergeOptions, MergeSpec};
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

/// Runs the `rolodeck` binary on the file `db` (never the user's `ROLODECK_DB`).
pub fn rolodeck(db: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_rolodeck"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("ROLODECK_DB")
        .output()
        .expect("run rolodeck")
}

/// What a run that must succeed printed.
pub fn stdout(output: &std::process::Output) -> String {
    assert!(output.status.success(), "failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// A merge of the sample `template` (none for envelopes and labels) in `layout`, dated
/// November 26, 2026, from `sender`.
pub fn sample_spec(layout: Layout, template: &str, sender: Sender) -> MergeSpec {
    let source = SAMPLE_TEMPLATES.iter().find(|(n, _)| *n == template).map_or("", |(_, s)| *s);
    MergeSpec {
        layout,
        template_name: template.into(),
        template_source: source.into(),
        options: MergeOptions {
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
            date_style: None,
            sender,
            household: false,
            start_at: 1,
            offset: (0.0, 0.0),
            fax_subject: String::new(),
            fax_note: String::new(),
        },
    }
}

/// Ann Lee of Lee Financial Planning, Springfield IL: the sender the merge tests print from.
pub fn ann_lee() -> Sender {
    Sender {
        name: "Ann Lee".into(),
        company: "Lee Financial Planning".into(),
        street: "1 Main St".into(),
        city: "Springfield".into(),
        region: "IL".into(),
        postal_code: "62701".into(),
        phone: "+1 (217) 555-0100".into(),
        ..Default::default()
    }
}
