//! Bringing contacts in from other programs: one module per format, and `batch`, which turns
//! any format's cards into one undoable import.

pub mod batch;
pub mod csv;
pub mod matching;
pub mod vcard;

use std::path::Path;

use serde::Serialize;

use crate::contacts::ContactDraft;
use crate::{Error, FieldError, Store};
use batch::{ImportBatch, OnMatch, PlannedRow};

/// How many values of each column the import screen shows beside the column's name.
const SAMPLES: usize = 3;

/// Cards read from a file, each with its warnings, and warnings about the file as a whole.
pub struct FileCards {
    pub cards: Vec<(ContactDraft, Vec<String>)>,
    pub warnings: Vec<String>,
    /// For a CSV file: its columns and what each was read as.
    pub columns: Option<CsvColumns>,
}

/// A CSV file's columns as the import screen shows them, for the user to change what a
/// column means: its header, a few of its values, and its target in `mapping`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CsvColumns {
    pub headers: Vec<String>,
    /// Up to three non-blank values per column.
    pub samples: Vec<Vec<String>>,
    pub mapping: csv::ColumnMapping,
}

/// Reads a vCard or CSV file (CSV by its `.csv`/`.tsv` name, vCard otherwise). A CSV file's
/// columns are read through `mapping` when one is given, else as `suggest_mapping` reads them.
pub fn read_file(path: &Path, mapping: Option<csv::ColumnMapping>) -> crate::Result<FileCards> {
    let bytes = read_bytes(path)?;
    if !is_csv(path) {
        let cards = vcard::parse_vcards(&bytes)?.into_iter().map(|c| (c.draft, c.warnings)).collect();
        return Ok(FileCards { cards, warnings: Vec::new(), columns: None });
    }
    let table = csv::read_table(&bytes)?;
    let mapping = match mapping {
        Some(m) if m.columns.len() != table.headers.len() => {
            return Err(Error::Invalid(vec![FieldError::new(
                "mapping",
                format!(
                    "the file now has {} columns, not {}: it changed since it was previewed; preview it again",
                    table.headers.len(),
                    m.columns.len()
                ),
            )]));
        }
        Some(m) => m,
        None => csv::suggest_mapping(&table.headers),
    };
    let read = csv::rows_to_cards(&table, &mapping);
    let samples = (0..table.headers.len())
        .map(|i| {
            let values =
                table.rows.iter().filter_map(|row| row.cells.get(i).map(|c| c.trim()).filter(|c| !c.is_empty()));
            values.take(SAMPLES).map(String::from).collect()
        })
        .collect();
    let columns = CsvColumns { headers: table.headers, samples, mapping };
    Ok(FileCards { cards: read.cards, warnings: read.warnings, columns: Some(columns) })
}

/// Imports a vCard or CSV file in one pass, with no preview first (the CLI's import): each
/// card is planned as it is read, while the ones before it are written (see
/// `batch::import_cards`). `each` sees every row as it is planned. Returns the batch and the
/// warnings about the file as a whole.
pub fn import_file(
    store: &Store,
    path: &Path,
    on_match: OnMatch,
    each: impl FnMut(&PlannedRow) + Send,
) -> crate::Result<(ImportBatch, Vec<String>)> {
    let bytes = read_bytes(path)?;
    let source = source_name(path);
    if !is_csv(path) {
        let cards = vcard::parse_vcards(&bytes)?.into_iter().map(|c| (c.draft, c.warnings));
        return Ok((batch::import_cards(store, &source, cards, on_match, each)?, Vec::new()));
    }
    // The rows are read as they are planned, on the thread that plans them.
    let text = csv::decode_csv(&bytes)?;
    let (csv::CsvTable { headers, rows, .. }, rest) = text.table()?;
    let mapping = csv::suggest_mapping(&headers);
    let mut skipped = Vec::new();
    let cards = csv::row_cards(&headers, &mapping, rows.into_iter().chain(rest));
    let cards = cards.filter_map(|card| card.map_err(|row| skipped.push(row)).ok());
    let batch = batch::import_cards(store, &source, cards, on_match, each)?;
    Ok((batch, csv::skipped_rows(&skipped)))
}

/// What an import is listed by: the name of its file.
pub fn source_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

fn read_bytes(path: &Path) -> crate::Result<Vec<u8>> {
    Ok(std::fs::read(path).map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?)
}

fn is_csv(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("tsv"))
}

/// A card's or row's own notes, then a "—" line and one line per value kept for lack of a
/// field: nothing an importer can't place is dropped.
fn notes_with_extras(notes: &str, extras: &[String]) -> String {
    if extras.is_empty() {
        return notes.to_string();
    }
    let block = format!("—\n{}", extras.join("\n"));
    match notes.trim_end() {
        "" => block,
        notes => format!("{notes}\n\n{block}"),
    }
}

/// Damaged copies of `sample` (and random bytes from `alphabet`) for the importers'
/// never-panic tests: deterministic, so a failure reproduces.
#[cfg(test)]
fn damaged_inputs(sample: &[u8], alphabet: &[u8], rounds: usize) -> Vec<Vec<u8>> {
    let mut seed = 0x2545_F491_4F6C_DD1D_u64;
    let mut random = |below: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % below as u64) as usize
    };
    (0..rounds)
        .map(|round| {
            let mut bytes = sample.to_vec();
            if round % 3 == 0 {
                bytes = (0..random(200)).map(|_| alphabet[random(alphabet.len())]).collect();
            }
            for _ in 0..random(8) {
                let at = random(bytes.len() + 1);
                match random(3) {
                    0 if at < bytes.len() => {
                        bytes.remove(at);
                    }
                    1 => bytes.insert(at, alphabet[random(alphabet.len())]),
                    _ => bytes.truncate(at),
                }
            }
            bytes
        })
        .collect()
}
