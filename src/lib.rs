//! Rolodeck's core: everything a contact manager knows, with no desktop dependency.
//!
//! The `rolodeck` CLI, the integration tests and the Tauri shell in `src-tauri/` all go through
//! this crate, so a behaviour tested here is the behaviour the window shows. Functions take a
//! `&Connection`; a rusqlite `Transaction` derefs to one, so multi-row writes compose.

pub mod contacts;
pub mod demo;
pub mod error;
pub mod export;
pub mod fold;
pub mod import;
pub mod mail;
pub mod merge;
pub mod quality;
pub mod settings;
pub mod store;
pub mod workflow;

pub use error::{Error, FieldError, Result};
/// The connection the core's functions take, so callers need no rusqlite of their own.
pub use rusqlite::Connection;
pub use store::Store;
