//! Mail merge: letters, faxes, envelopes and labels printed straight to PDF. One layout engine
//! (`layout`) positions every run of text; `pdf` and `svg` draw the same pages.

pub mod fields;
pub mod fonts;
pub mod layout;
pub mod letters;
pub mod markup;
pub mod pdf;
pub mod svg;
pub mod template;
