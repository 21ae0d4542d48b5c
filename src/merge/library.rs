//! The template library: the samples shipped in `assets/templates/`, and the user's own
//! templates saved in the file. A saved template with a sample's name takes its place.

use chrono::Utc;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::letters::SAMPLE_TEMPLATES;
use super::template::Template;
use crate::store::timestamp;
use crate::{Error, FieldError, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredTemplate {
    pub name: String,
    pub source: String,
    /// Shipped with Rolodeck and not changed by the user.
    pub sample: bool,
}

/// Every template by name: the user's, then the samples they haven't replaced.
pub fn list_templates(conn: &Connection) -> Result<Vec<StoredTemplate>> {
    let mut templates: Vec<StoredTemplate> = conn
        .prepare("SELECT name, source FROM templates ORDER BY name")?
        .query_map([], |r| Ok(StoredTemplate { name: r.get(0)?, source: r.get(1)?, sample: false }))?
        .collect::<rusqlite::Result<_>>()?;
    for &(name, source) in SAMPLE_TEMPLATES {
        if !templates.iter().any(|t| t.name.eq_ignore_ascii_case(name)) {
            templates.push(StoredTemplate { name: name.into(), source: source.into(), sample: true });
        }
    }
    Ok(templates)
}

/// The template called `name`, if there is one.
pub fn find_template(conn: &Connection, name: &str) -> Result<Option<StoredTemplate>> {
    let saved = conn
        .query_row("SELECT name, source FROM templates WHERE name = ?1", [name], |r| {
            Ok(StoredTemplate { name: r.get(0)?, source: r.get(1)?, sample: false })
        })
        .optional()?;
    Ok(saved.or_else(|| {
        SAMPLE_TEMPLATES.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|&(n, source)| StoredTemplate {
            name: n.into(),
            source: source.into(),
            sample: true,
        })
    }))
}

/// Saves a template under `name` after checking it parses (a broken one is refused with the
/// line, and nothing is saved).
pub fn save_template(conn: &Connection, name: &str, source: &str) -> Result<StoredTemplate> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::Invalid(vec![FieldError::new("name", "Give the template a name.")]));
    }
    Template::parse(name, source)?;
    conn.execute(
        "INSERT INTO templates (name, source, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (name) DO UPDATE SET source = ?2, updated_at = ?3",
        params![name, source, timestamp(Utc::now())],
    )?;
    Ok(StoredTemplate { name: name.into(), source: source.into(), sample: false })
}

/// Deletes a saved template (a sample it replaced comes back). Returns whether one existed.
pub fn delete_template(conn: &Connection, name: &str) -> Result<bool> {
    Ok(conn.execute("DELETE FROM templates WHERE name = ?1", [name])? > 0)
}
