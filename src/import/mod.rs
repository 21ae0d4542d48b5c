//! Bringing contacts in from other programs: one module per format.

pub mod vcard;
