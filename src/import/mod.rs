//! Bringing contacts in from other programs: one module per format, and `batch`, which turns
//! any format's cards into one undoable import.

pub mod batch;
pub mod csv;
pub mod matching;
pub mod vcard;
