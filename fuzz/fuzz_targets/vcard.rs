//! Any bytes through the vCard parser: it must not panic or hang, every card it accepts must be
//! a draft the store would take, and writing those drafts out as vCard and reading them back
//! must give the same drafts (an export loses nothing an import kept).
#![no_main]

use libfuzzer_sys::fuzz_target;
use rolodeck::contacts::validate::check;
use rolodeck::export::vcard::write_vcards;
use rolodeck::import::vcard::parse_vcards;

fuzz_target!(|data: &[u8]| {
    let drafts: Vec<_> = parse_vcards(data).unwrap_or_default().into_iter().map(|card| card.draft).collect();
    for draft in &drafts {
        if let Err(e) = check(draft) {
            panic!("a parsed card fails check ({e}): {draft:?}");
        }
    }
    let written = write_vcards(&drafts);
    let again: Vec<_> = parse_vcards(written.as_bytes())
        .unwrap_or_else(|e| panic!("our own vCard does not parse ({e}):\n{written}"))
        .into_iter()
        .map(|card| card.draft)
        .collect();
    assert_eq!(again, drafts, "the vCard written was:\n{written}");
});
