//! Data quality: finding the same person entered twice (and, later, the completeness and
//! staleness dashboard).

pub mod duplicates;
