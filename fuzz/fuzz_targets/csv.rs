//! Any bytes through the CSV reader: encoding, delimiter and header detection, the suggested
//! mapping and the rows as drafts. It must not panic or hang, and every draft must be one the
//! store would take.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rolodeck::contacts::validate::check;
use rolodeck::import::csv::read_csv;

fuzz_target!(|data: &[u8]| {
    for (draft, _) in read_csv(data).map(|read| read.cards).unwrap_or_default() {
        if let Err(e) = check(&draft) {
            panic!("a CSV row fails check ({e}): {draft:?}");
        }
    }
});
