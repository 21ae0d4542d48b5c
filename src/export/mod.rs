//! Sending contacts out to other programs: one module per format, the mirror of `import`.

pub mod csv;
pub mod json;
pub mod vcard;
