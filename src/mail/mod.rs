//! Email and fax from the user's own mailbox, through a persistent outbox.
//!
//! `compose` merges a template per recipient (and says who is skipped, and why) and queues the
//! result in the `outbox`; `run` hands queued messages to the server one at a time, throttled,
//! and records each outcome so that nothing is ever sent twice; `send` is the SMTP side
//! (lettre); `settings` and `password` hold the server details and keep the password out of
//! the file; `suppress` is the list of addresses that must get no more mail.

pub mod compose;
mod error;
pub mod outbox;
pub mod password;
pub mod run;
pub mod send;
pub mod settings;
pub mod suppress;

pub use error::MailError;
