//! Any bytes through the CSV reader: encoding, delimiter and header detection, the suggested
//! mapping and the rows as drafts. It must not panic or hang, every draft must be one the store
//! would take, and writing the drafts out as CSV and reading them back must give the same
//! drafts (the circle aside: Google's CSV has no column for it).
#![no_main]

use libfuzzer_sys::fuzz_target;
use rolodeck::contacts::validate::check;
use rolodeck::export::csv::write_csv;
use rolodeck::import::csv::read_csv;

fuzz_target!(|data: &[u8]| {
    let drafts: Vec<_> = read_csv(data).map(|read| read.cards).unwrap_or_default().into_iter().map(|(d, _)| d).collect();
    for draft in &drafts {
        if let Err(e) = check(draft) {
            panic!("a CSV row fails check ({e}): {draft:?}");
        }
    }
    if drafts.is_empty() {
        return;
    }
    let written = write_csv(&drafts);
    let again: Vec<_> = read_csv(written.as_bytes())
        .unwrap_or_else(|e| panic!("our own CSV does not read ({e}):\n{written}"))
        .cards
        .into_iter()
        .map(|(d, _)| d)
        .collect();
    let without_circle = |drafts: &[rolodeck::contacts::ContactDraft]| {
        drafts.iter().map(|d| rolodeck::contacts::ContactDraft { circle: Default::default(), ..d.clone() }).collect::<Vec<_>>()
    };
    assert_eq!(without_circle(&again), without_circle(&drafts), "the CSV written was:\n{written}");
});
