//! The error a command rejects with: `{ kind, message, fields }`, so the UI can branch on a
//! stable `kind`, show `message` as written, and point at each invalid field.

use rolodeck::FieldError;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct CmdError {
    pub kind: &'static str,
    pub message: String,
    pub fields: Vec<FieldError>,
}

impl CmdError {
    pub fn new(kind: &'static str, message: impl Into<String>) -> Self {
        Self { kind, message: message.into(), fields: Vec::new() }
    }
}

impl From<rolodeck::Error> for CmdError {
    fn from(err: rolodeck::Error) -> Self {
        Self { kind: err.kind(), message: err.to_string(), fields: err.fields().to_vec() }
    }
}
