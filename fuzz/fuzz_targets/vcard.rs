//! Any bytes through the vCard parser: it must not panic or hang, and every card it accepts
//! must be a draft the store would take.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rolodeck::contacts::validate::check;
use rolodeck::import::vcard::parse_vcards;

fuzz_target!(|data: &[u8]| {
    for card in parse_vcards(data).unwrap_or_default() {
        if let Err(e) = check(&card.draft) {
            panic!("a parsed card fails check ({e}): {:?}", card.draft);
        }
    }
});
