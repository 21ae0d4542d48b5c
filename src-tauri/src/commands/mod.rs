//! The commands the window calls. Each is a few lines: take plain serde arguments, call one
//! core function on the open store, return a serde type. They are async so the work runs off
//! the UI thread.

mod contacts;
mod database;
mod fields;
mod import;
mod lists;
mod mail;
mod merge;
mod quality;
mod workflow;

pub use contacts::*;
pub use database::*;
pub use fields::*;
pub use import::*;
pub use lists::*;
pub use mail::*;
pub use merge::*;
pub use quality::*;
pub use workflow::*;
