//! The crate's one error type. Its Display text is written for the user: it says what went
//! wrong and, where there is one, what to do next. `kind()` gives the UI a stable word to branch on.

use serde::Serialize;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One invalid input, named by its path in the draft (`emails.1.value`, `birthday`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}", invalid_summary(.0))]
    Invalid(Vec<FieldError>),

    #[error("no {what} with id {id}; it may have been deleted for good")]
    NotFound { what: &'static str, id: String },

    /// Something looked up by name or search that isn't there; the text says what to try.
    #[error("{0}")]
    Missing(String),

    #[error(
        "{path} was written by a newer Rolodeck (schema {found}, this build knows {known}); \
         update Rolodeck to open it"
    )]
    NewerSchema { path: String, found: i64, known: i64 },

    #[error("{path} failed SQLite's integrity check ({detail}); restore it from a backup")]
    Corrupt { path: String, detail: String },

    #[error("migration {name} failed: {source}")]
    Migration { name: &'static str, source: rusqlite::Error },

    #[error("could not open {path}: {source}")]
    Open { path: String, source: rusqlite::Error },

    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),

    #[error("{0}")]
    Io(#[from] std::io::Error),

    #[error("{0}")]
    Template(#[from] crate::merge::template::TemplateError),

    #[error("{0}")]
    Vcard(#[from] crate::import::vcard::VcardError),

    #[error("{0}")]
    Csv(#[from] crate::import::csv::CsvError),

    #[error("{0}")]
    Mail(#[from] crate::mail::MailError),

    /// The user stopped a long run; it wrote and recorded nothing.
    #[error("cancelled: nothing was written")]
    Cancelled,
}

fn invalid_summary(fields: &[FieldError]) -> String {
    match fields {
        [one] => one.message.clone(),
        many => format!("{} fields need attention: {}", many.len(), many[0].message),
    }
}

impl Error {
    /// No contact with this id (never created, or deleted for good).
    pub fn no_contact(id: impl ToString) -> Error {
        Error::NotFound { what: "contact", id: id.to_string() }
    }

    /// A stable word for the UI and scripts: `invalid`, `not_found`, `cancelled`, `database` or `io`.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Invalid(_) | Error::Template(_) | Error::Vcard(_) | Error::Csv(_) => "invalid",
            Error::NotFound { .. } | Error::Missing(_) => "not_found",
            Error::Io(_) => "io",
            Error::Cancelled => "cancelled",
            Error::Mail(err) => err.kind(),
            _ => "database",
        }
    }

    /// The per-field messages of a validation failure (empty for other errors).
    pub fn fields(&self) -> &[FieldError] {
        match self {
            Error::Invalid(fields) => fields,
            _ => &[],
        }
    }
}
