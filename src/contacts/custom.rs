//! Custom fields: the user's own fields (text, number, date, yes/no, choice list), shown on the
//! contact form in their order, checked by kind, found by search (text and choices), filtered
//! in smart lists and merged into templates as `{{ custom.<key> }}`.
//!
//! A contact carries its values in `ContactDraft::custom`, keyed by the field's `key` and
//! written with the rest of the contact. Values are JSON: text, choices and dates (YYYY-MM-DD)
//! are strings, numbers are numbers, yes/no is a boolean, and `null` is blank. A form may send
//! every value as text ("1200", "yes"); storing turns it into its kind or says why it can't.

use std::collections::BTreeMap;

use chrono::{NaiveDate, Utc};
use rusqlite::types::Value as Sql;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::ContactId;
use crate::fold::words;
use crate::store::{atomically, timestamp};
use crate::{Error, FieldError, Result};

pub type FieldId = i64;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    #[default]
    Text,
    Number,
    /// A calendar date, YYYY-MM-DD.
    Date,
    YesNo,
    /// One of the field's options.
    Choice,
}

impl FieldKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::Text => "text",
            FieldKind::Number => "number",
            FieldKind::Date => "date",
            FieldKind::YesNo => "yes_no",
            FieldKind::Choice => "choice",
        }
    }

    fn parse(text: &str) -> FieldKind {
        [FieldKind::Number, FieldKind::Date, FieldKind::YesNo, FieldKind::Choice]
            .into_iter()
            .find(|k| k.as_str() == text)
            .unwrap_or(FieldKind::Text)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomField {
    pub id: FieldId,
    /// The name in templates and in `ContactDraft::custom`; fixed when the field is created.
    pub key: String,
    pub name: String,
    pub kind: FieldKind,
    /// A choice list's options, in order (empty for other kinds).
    pub options: Vec<String>,
    pub position: i64,
}

/// A field to create: its name, kind and (for a choice list) options.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NewField {
    pub name: String,
    pub kind: FieldKind,
    pub options: Vec<String>,
}

/// Every field, in form order.
pub fn list_fields(conn: &Connection) -> Result<Vec<CustomField>> {
    Ok(conn
        .prepare_cached(&format!("{FIELD_SELECT} ORDER BY position, id"))?
        .query_map([], field_row)?
        .collect::<rusqlite::Result<_>>()?)
}

pub fn get_field(conn: &Connection, id: FieldId) -> Result<CustomField> {
    conn.prepare_cached(&format!("{FIELD_SELECT} WHERE id = ?1"))?
        .query_row([id], field_row)
        .optional()?
        .ok_or_else(|| Error::NotFound { what: "custom field", id: id.to_string() })
}

/// The field called `name` (any case) or with that key, for the CLI and saved filters.
pub fn find_field<'a>(fields: &'a [CustomField], name: &str) -> Result<&'a CustomField> {
    let name = name.trim();
    fields.iter().find(|f| f.name.to_lowercase() == name.to_lowercase() || f.key == name).ok_or_else(|| {
        let known: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
        Error::Missing(match known.as_slice() {
            [] => format!("there is no custom field “{name}”; there are none yet (rolodeck fields add)"),
            _ => format!("there is no custom field “{name}”; the fields are: {}", known.join(", ")),
        })
    })
}

const FIELD_SELECT: &str = "SELECT id, key, name, kind, options, position FROM custom_fields";

fn field_row(r: &rusqlite::Row) -> rusqlite::Result<CustomField> {
    let options: String = r.get(4)?;
    Ok(CustomField {
        id: r.get(0)?,
        key: r.get(1)?,
        name: r.get(2)?,
        kind: FieldKind::parse(&r.get::<_, String>(3)?),
        options: serde_json::from_str(&options).unwrap_or_default(),
        position: r.get(5)?,
    })
}

/// Adds a field at the end of the form.
pub fn create_field(conn: &Connection, field: &NewField) -> Result<CustomField> {
    let name = checked_name(conn, &field.name, None)?;
    let options = checked_options(field.kind, &field.options)?;
    atomically(conn, |conn| {
        let key = unused_key(conn, &name)?;
        conn.execute(
            "INSERT INTO custom_fields (key, name, kind, options, position, created_at)
             VALUES (?1, ?2, ?3, ?4, (SELECT coalesce(max(position), 0) + 1 FROM custom_fields), ?5)",
            params![key, name, field.kind.as_str(), options, timestamp(Utc::now())],
        )?;
        get_field(conn, conn.last_insert_rowid())
    })
}

/// Renames a field; its key, and so every template that uses it, stays as it was.
pub fn rename_field(conn: &Connection, id: FieldId, name: &str) -> Result<CustomField> {
    get_field(conn, id)?;
    let name = checked_name(conn, name, Some(id))?;
    conn.execute("UPDATE custom_fields SET name = ?2 WHERE id = ?1", params![id, name])?;
    get_field(conn, id)
}

/// Puts the fields in the order of `ids`; fields left out keep their place after them.
pub fn reorder_fields(conn: &Connection, ids: &[FieldId]) -> Result<Vec<CustomField>> {
    atomically(conn, |conn| {
        let mut order: Vec<FieldId> = ids.to_vec();
        for field in list_fields(conn)? {
            if !order.contains(&field.id) {
                order.push(field.id);
            }
        }
        for (position, id) in (1_i64..).zip(&order) {
            get_field(conn, *id)?;
            conn.execute("UPDATE custom_fields SET position = ?2 WHERE id = ?1", params![id, position])?;
        }
        list_fields(conn)
    })
}

/// Deletes a field and every contact's value for it; says how many values went. When search
/// found contacts by the field (text and choices), they are re-indexed without it.
pub fn delete_field(conn: &Connection, id: FieldId) -> Result<usize> {
    let field = get_field(conn, id)?;
    atomically(conn, |conn| {
        let holders: Vec<ContactId> = conn
            .prepare("SELECT contact_id FROM contact_custom_values WHERE field_id = ?1")?
            .query_map([id], |r| crate::store::parse_id(&r.get::<_, String>(0)?))?
            .collect::<rusqlite::Result<_>>()?;
        let delete = |conn: &Connection| -> Result<()> {
            conn.execute("DELETE FROM custom_fields WHERE id = ?1", [id])?;
            Ok(())
        };
        if searchable(field.kind) {
            super::queries::reindex_after(conn, &holders, delete)?;
        } else {
            delete(conn)?;
        }
        Ok(holders.len())
    })
}

fn checked_name(conn: &Connection, name: &str, except: Option<FieldId>) -> Result<String> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let invalid = |message: String| Error::Invalid(vec![FieldError::new("name", message)]);
    if name.is_empty() {
        return Err(invalid("Give the field a name.".into()));
    }
    let taken: Option<FieldId> = conn
        .query_row("SELECT id FROM custom_fields WHERE name = ?1", [&name], |r| r.get(0))
        .optional()?
        .filter(|found| Some(*found) != except);
    match taken {
        Some(_) => Err(invalid(format!("There is already a field called “{name}”."))),
        None => Ok(name),
    }
}

/// The options as stored (a JSON array), after checking they suit the kind.
fn checked_options(kind: FieldKind, options: &[String]) -> Result<String> {
    let invalid = |message: &str| Error::Invalid(vec![FieldError::new("options", message)]);
    let mut kept: Vec<String> = Vec::new();
    for option in options.iter().map(|o| o.trim()).filter(|o| !o.is_empty()) {
        if kept.iter().any(|k| k.to_lowercase() == option.to_lowercase()) {
            return Err(invalid(&format!("The option “{option}” is listed twice.")));
        }
        kept.push(option.to_string());
    }
    match (kind, kept.is_empty()) {
        (FieldKind::Choice, true) => Err(invalid("A choice list needs at least one option.")),
        (FieldKind::Choice, false) | (_, true) => Ok(serde_json::to_string(&kept).expect("strings serialise")),
        (_, false) => Err(invalid("Only a choice list has options.")),
    }
}

/// A template-friendly key from the name ("Annual budget (€)" → `annual_budget`), made
/// unique with a number when another field has it.
fn unused_key(conn: &Connection, name: &str) -> Result<String> {
    let ascii: Vec<String> =
        words(name).into_iter().map(|w| w.chars().filter(char::is_ascii_alphanumeric).collect()).collect();
    let mut base = ascii.into_iter().filter(|w: &String| !w.is_empty()).collect::<Vec<_>>().join("_");
    if !base.starts_with(|c: char| c.is_ascii_alphabetic()) {
        base = format!("field_{base}").trim_end_matches('_').to_string();
    }
    let taken = |key: &str| -> Result<bool> {
        Ok(conn.query_row("SELECT count(*) FROM custom_fields WHERE key = ?1", [key], |r| r.get::<_, i64>(0))? > 0)
    };
    let mut key = base.clone();
    for n in 2.. {
        if !taken(&key)? {
            break;
        }
        key = format!("{base}_{n}");
    }
    Ok(key)
}

/// The draft's values in their stored form: each turned into its field's kind, blanks
/// dropped. Every value that can't be, and every key that names no field, is an error.
pub(crate) fn normalise(
    fields: &[CustomField],
    values: &BTreeMap<String, Value>,
) -> std::result::Result<BTreeMap<String, Value>, Vec<FieldError>> {
    let (mut kept, mut errors) = (BTreeMap::new(), Vec::new());
    for (key, value) in values {
        let Some(field) = fields.iter().find(|f| &f.key == key) else {
            // A blank for a field deleted since the form was opened is harmless.
            if !value.is_null() {
                errors.push(FieldError::new(format!("custom.{key}"), format!("There is no custom field “{key}”.")));
            }
            continue;
        };
        match typed(field, value) {
            Ok(Some(value)) => {
                kept.insert(key.clone(), value);
            }
            Ok(None) => {}
            Err(message) => errors.push(FieldError::new(format!("custom.{key}"), message)),
        }
    }
    if errors.is_empty() { Ok(kept) } else { Err(errors) }
}

/// `value` as `field`'s kind (`None` for a blank), or what is wrong with it.
fn typed(field: &CustomField, value: &Value) -> std::result::Result<Option<Value>, String> {
    let text = match value {
        Value::Null => return Ok(None),
        Value::String(s) if s.trim().is_empty() => return Ok(None),
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        _ => return Err(format!("“{}” can’t hold a list or an object.", field.name)),
    };
    let name = &field.name;
    match field.kind {
        FieldKind::Text => Ok(Some(Value::String(text))),
        FieldKind::Number => text
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(|n| Some(number(n)))
            .ok_or_else(|| format!("“{name}” must be a number (like 1200 or 99.50), not “{text}”.")),
        FieldKind::Date => NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .map(|d| Some(Value::String(d.to_string())))
            .map_err(|_| format!("“{name}” must be a date (YYYY-MM-DD), not “{text}”.")),
        FieldKind::YesNo => match text.to_lowercase().as_str() {
            "yes" | "y" | "true" | "1" => Ok(Some(Value::Bool(true))),
            "no" | "n" | "false" | "0" => Ok(Some(Value::Bool(false))),
            _ => Err(format!("“{name}” must be yes or no, not “{text}”.")),
        },
        FieldKind::Choice => field
            .options
            .iter()
            .find(|o| o.to_lowercase() == text.to_lowercase())
            .map(|o| Some(Value::String(o.clone())))
            .ok_or_else(|| format!("“{name}” must be one of {}, not “{text}”.", field.options.join(", "))),
    }
}

/// Whole numbers stay integers, so 1200 is stored and shown as 1200, not 1200.0.
fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9e15 { Value::from(n as i64) } else { Value::from(n) }
}

/// Stores a contact's (normalised) values.
pub(crate) fn write_values(
    conn: &Connection,
    fields: &[CustomField],
    contact: ContactId,
    values: &BTreeMap<String, Value>,
) -> Result<()> {
    if values.is_empty() {
        return Ok(()); // the common case in a large import: nothing to prepare
    }
    let mut insert =
        conn.prepare_cached("INSERT INTO contact_custom_values (contact_id, field_id, value) VALUES (?1, ?2, ?3)")?;
    for field in fields {
        if let Some(value) = values.get(&field.key) {
            insert.execute(params![contact.to_string(), field.id, to_sql(value)])?;
        }
    }
    Ok(())
}

/// A JSON value as SQLite stores it: numbers as numbers, yes/no as 1/0, the rest as text.
pub(crate) fn to_sql(value: &Value) -> Sql {
    match value {
        Value::Bool(b) => Sql::Integer(i64::from(*b)),
        Value::Number(n) => n.as_i64().map_or_else(|| Sql::Real(n.as_f64().unwrap_or(0.0)), Sql::Integer),
        Value::String(s) => Sql::Text(s.clone()),
        other => Sql::Text(other.to_string()),
    }
}

/// Every field's value for a contact, keyed by field key; `null` where it is blank, so a form
/// and a template see every field.
pub(crate) fn read_values(conn: &Connection, contact: ContactId) -> Result<BTreeMap<String, Value>> {
    let rows = conn
        .prepare_cached(
            "SELECT f.key, f.kind, v.value FROM custom_fields f
             LEFT JOIN contact_custom_values v ON v.field_id = f.id AND v.contact_id = ?1",
        )?
        .query_map([contact.to_string()], |r| {
            let kind = FieldKind::parse(&r.get::<_, String>(1)?);
            let value = match r.get::<_, Sql>(2)? {
                Sql::Null => Value::Null,
                Sql::Integer(i) if kind == FieldKind::YesNo => Value::Bool(i != 0),
                Sql::Integer(i) => Value::from(i),
                Sql::Real(f) => Value::from(f),
                Sql::Text(t) => Value::String(t),
                Sql::Blob(_) => Value::Null,
            };
            Ok((r.get::<_, String>(0)?, value))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The words search finds a contact by: those of its text and choice values (numbers, dates
/// and yes/no would only make searches noisy).
pub(crate) fn search_words(fields: &[CustomField], values: &BTreeMap<String, Value>) -> Vec<String> {
    fields.iter().filter(|f| searchable(f.kind)).filter_map(|f| values.get(&f.key)?.as_str()).flat_map(words).collect()
}

/// A smart-list condition on a custom field. As JSON: `{"field": "budget", "op": "atLeast",
/// "value": 1000}`; `field` is the key or the name, and the tests without a value
/// (`isYes`, `isNo`, `isEmpty`, `isSet`) leave `value` out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Condition {
    pub field: String,
    pub op: Op,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Op {
    /// The same value (text and choices in any case).
    Equals,
    /// Text or a choice that contains the value.
    Contains,
    /// Numbers and dates: greater (later) than the value.
    Above,
    /// Numbers and dates: less (earlier) than the value.
    Below,
    AtLeast,
    AtMost,
    IsYes,
    /// Not yes: no, or blank (an unticked box).
    IsNo,
    IsEmpty,
    IsSet,
}

impl Op {
    fn label(self) -> &'static str {
        match self {
            Op::Equals => "equals",
            Op::Contains => "contains",
            Op::Above => "above",
            Op::Below => "below",
            Op::AtLeast => "at least",
            Op::AtMost => "at most",
            Op::IsYes => "is yes",
            Op::IsNo => "is no",
            Op::IsEmpty => "is empty",
            Op::IsSet => "is set",
        }
    }
}

impl Condition {
    /// The condition as SQL over `contacts c`, with its bound values; a field that doesn't
    /// exist, a test that doesn't suit the field's kind or a value of the wrong kind is an error.
    pub(crate) fn to_sql(&self, fields: &[CustomField]) -> Result<(String, Vec<Sql>)> {
        let field = find_field(fields, &self.field)?;
        let invalid = |message: String| Error::Invalid(vec![FieldError::new("custom", message)]);
        let (kind, name) = (field.kind, &field.name);
        let suits = match self.op {
            Op::Equals | Op::IsEmpty | Op::IsSet => true,
            Op::Contains => matches!(kind, FieldKind::Text | FieldKind::Choice),
            Op::Above | Op::Below | Op::AtLeast | Op::AtMost => matches!(kind, FieldKind::Number | FieldKind::Date),
            Op::IsYes | Op::IsNo => kind == FieldKind::YesNo,
        };
        if !suits {
            let kind = kind.as_str().replace('_', "/");
            return Err(invalid(format!("“{name}” is a {kind} field: “{}” doesn’t apply to it", self.op.label())));
        }
        let with_value = |sql_op: &str| -> Result<(String, Vec<Sql>)> {
            let given = self.value.clone().unwrap_or(Value::Null);
            let value = match (self.op, typed(field, &given)) {
                // "Contains" looks for a piece of text, which need not be a whole option.
                (Op::Contains, _) => Some(Value::String(display_value(&given))).filter(|v| v != ""),
                (_, Ok(value)) => value,
                (_, Err(message)) => return Err(invalid(message)),
            };
            let value = value.ok_or_else(|| invalid(format!("Give a value to compare “{name}” with.")))?;
            let sql = format!("c.id IN (SELECT contact_id FROM contact_custom_values WHERE field_id = ? AND {sql_op})");
            Ok((sql, vec![Sql::Integer(field.id), to_sql(&value)]))
        };
        let holders = |negate: &str, extra: &str| {
            let sql =
                format!("c.id {negate}IN (SELECT contact_id FROM contact_custom_values WHERE field_id = ?{extra})");
            Ok((sql, vec![Sql::Integer(field.id)]))
        };
        // A yes/no field equals "no" when it isn't ticked, blank or not.
        let yes_no = (kind == FieldKind::YesNo && self.op == Op::Equals)
            .then(|| typed(field, self.value.as_ref().unwrap_or(&Value::Null)))
            .and_then(|v| v.ok().flatten());
        match (self.op, yes_no) {
            (_, Some(Value::Bool(true))) | (Op::IsYes, _) => holders("", " AND value = 1"),
            (_, Some(_)) | (Op::IsNo, _) => holders("NOT ", " AND value = 1"),
            (Op::Equals, _) => with_value("value = ? COLLATE NOCASE"),
            (Op::Contains, _) => with_value("instr(lower(value), lower(?)) > 0"),
            (Op::Above, _) => with_value("value > ?"),
            (Op::Below, _) => with_value("value < ?"),
            (Op::AtLeast, _) => with_value("value >= ?"),
            (Op::AtMost, _) => with_value("value <= ?"),
            (Op::IsEmpty, _) => holders("NOT ", ""),
            (Op::IsSet, _) => holders("", ""),
        }
    }
}

fn searchable(kind: FieldKind) -> bool {
    matches!(kind, FieldKind::Text | FieldKind::Choice)
}

/// A value as a letter prints it: text as it is, numbers as typed, yes/no as "yes"/"no",
/// a blank as nothing.
pub fn display_value(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field(name: &str, kind: FieldKind, options: &[&str]) -> CustomField {
        CustomField {
            id: 1,
            key: name.to_lowercase(),
            name: name.into(),
            kind,
            options: options.iter().map(|o| o.to_string()).collect(),
            position: 1,
        }
    }

    #[test]
    fn values_become_their_kind_and_blanks_go() {
        let fields = [
            field("Budget", FieldKind::Number, &[]),
            field("Renewal", FieldKind::Date, &[]),
            field("Newsletter", FieldKind::YesNo, &[]),
            field("Size", FieldKind::Choice, &["Small", "Large"]),
            field("Note", FieldKind::Text, &[]),
        ];
        let given = BTreeMap::from([
            ("budget".to_string(), json!(" 1200 ")),
            ("renewal".to_string(), json!("2027-01-31")),
            ("newsletter".to_string(), json!("Yes")),
            ("size".to_string(), json!("large")),
            ("note".to_string(), json!("  ")),
        ]);
        let stored = normalise(&fields, &given).unwrap();
        assert_eq!(
            stored,
            BTreeMap::from([
                ("budget".to_string(), json!(1200)),
                ("renewal".to_string(), json!("2027-01-31")),
                ("newsletter".to_string(), json!(true)),
                ("size".to_string(), json!("Large")),
            ])
        );
        assert_eq!(normalise(&fields, &BTreeMap::from([("budget".to_string(), json!(99.5))])).unwrap()["budget"], 99.5);
    }

    #[test]
    fn each_bad_value_is_named_with_its_field() {
        let fields = [field("Budget", FieldKind::Number, &[]), field("Size", FieldKind::Choice, &["S", "M"])];
        let given = BTreeMap::from([
            ("budget".to_string(), json!("lots")),
            ("size".to_string(), json!("XL")),
            ("gone".to_string(), json!("x")),
            ("gone_blank".to_string(), Value::Null),
        ]);
        let errors = normalise(&fields, &given).unwrap_err();
        let got: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.message.as_str())).collect();
        assert_eq!(
            got,
            [
                ("custom.budget", "“Budget” must be a number (like 1200 or 99.50), not “lots”."),
                ("custom.gone", "There is no custom field “gone”."),
                ("custom.size", "“Size” must be one of S, M, not “XL”."),
            ]
        );
    }

    #[test]
    fn only_text_and_choices_are_searchable() {
        let fields = [field("Budget", FieldKind::Number, &[]), field("Hobby", FieldKind::Text, &[])];
        let values = BTreeMap::from([("budget".to_string(), json!(1200)), ("hobby".to_string(), json!("Sailing"))]);
        assert_eq!(search_words(&fields, &values), ["sailing"]);
    }
}
