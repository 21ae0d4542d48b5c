//! Tags as a list of their own: each with its colour (the app draws tag chips in it), its
//! keep-in-touch cadence and how many live contacts carry it. Tags are created by putting them
//! on a contact; colours are `#rrggbb`.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::{Error, FieldError, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Tag {
    pub name: String,
    /// `#rrggbb`, or none for the app's default.
    pub color: Option<String>,
    pub keep_in_touch_days: Option<u32>,
    /// Live contacts with the tag.
    pub contacts: usize,
}

const TAG_SELECT: &str = "SELECT t.name, t.color, t.keep_in_touch_days,
    (SELECT count(*) FROM contact_tags ct JOIN contacts c ON c.id = ct.contact_id
     WHERE ct.tag_id = t.id AND c.deleted_at IS NULL)
    FROM tags t";

/// Every tag, by name.
pub fn list_tags(conn: &Connection) -> Result<Vec<Tag>> {
    Ok(conn
        .prepare_cached(&format!("{TAG_SELECT} ORDER BY t.name COLLATE NOCASE"))?
        .query_map([], tag_row)?
        .collect::<rusqlite::Result<_>>()?)
}

pub fn get_tag(conn: &Connection, name: &str) -> Result<Tag> {
    conn.prepare_cached(&format!("{TAG_SELECT} WHERE t.name = ?1"))?
        .query_row([name.trim()], tag_row)
        .optional()?
        .ok_or_else(|| Error::Missing(format!("there is no tag “{}”; a tag exists once a contact has it", name.trim())))
}

fn tag_row(r: &rusqlite::Row) -> rusqlite::Result<Tag> {
    Ok(Tag { name: r.get(0)?, color: r.get(1)?, keep_in_touch_days: r.get(2)?, contacts: r.get::<_, i64>(3)? as usize })
}

/// Sets a tag's colour (`#rgb` or `#rrggbb`, any case), or clears it with `None`.
pub fn set_tag_color(conn: &Connection, name: &str, color: Option<&str>) -> Result<Tag> {
    let color = color.map(parse_color).transpose()?;
    let tag = get_tag(conn, name)?;
    conn.execute("UPDATE tags SET color = ?2 WHERE name = ?1", params![tag.name, color])?;
    get_tag(conn, &tag.name)
}

/// `#3B82F6` → `#3b82f6`, `#abc` → `#aabbcc`; anything else is refused with an example.
fn parse_color(text: &str) -> Result<String> {
    let hex = text.trim().strip_prefix('#').unwrap_or("");
    let full = match hex.len() {
        3 => hex.chars().flat_map(|c| [c, c]).collect(),
        6 => hex.to_string(),
        _ => String::new(),
    };
    if full.is_empty() || !full.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(Error::Invalid(vec![FieldError::new(
            "color",
            format!("“{}” is not a colour; write it as # and six hex digits, e.g. #3b82f6", text.trim()),
        )]));
    }
    Ok(format!("#{}", full.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_hex_and_come_out_in_one_form() {
        assert_eq!(parse_color(" #3B82F6 ").unwrap(), "#3b82f6");
        assert_eq!(parse_color("#aBc").unwrap(), "#aabbcc");
        for bad in ["red", "3b82f6", "#3b82f", "#ggg", "#1234567", ""] {
            assert!(parse_color(bad).is_err(), "{bad}");
        }
    }
}
