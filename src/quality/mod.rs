//! Data quality: finding the same person entered twice, and the dashboard of what to fix.

pub mod duplicates;
pub mod report;
