//! Data quality: finding the same person entered twice, merging the two (undoably), and the
//! dashboard of what to fix.

pub mod duplicates;
pub mod merging;
pub mod pair;
pub mod report;
