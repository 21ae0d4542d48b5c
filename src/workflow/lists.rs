//! Smart lists: a filter over the workflow's facts (stage, grade, circle, tags, lead source,
//! place, last contact, next action, purchases, referrer, custom fields) that counts live, can be saved by
//! name, and feeds the merge and the outbox as recipients. Each condition becomes one SQL
//! clause with bound values, so user text never becomes SQL.

use chrono::{NaiveDate, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::stage::Stage;
use crate::contacts::custom::{self, Condition};
use crate::contacts::search::match_expression;
use crate::contacts::{Circle, ContactId, SearchPage, page_where};
use crate::store::{parse_id, timestamp};
use crate::{Error, FieldError, Result, Store};

/// Every condition is optional; the ones given must all hold. Lists of choices (stages,
/// grades, circles) match any of them; tags must all be present.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Filter {
    /// Words as typed in the search box (names, company, email, notes…).
    pub text: Option<String>,
    pub stages: Vec<Stage>,
    pub grades: Vec<String>,
    pub circles: Vec<Circle>,
    pub tags: Vec<String>,
    pub lead_source: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub last_contacted_before: Option<NaiveDate>,
    pub last_contacted_after: Option<NaiveDate>,
    pub has_next_action: Option<bool>,
    pub min_purchases: Option<u32>,
    pub min_spent_cents: Option<i64>,
    /// Recency: bought something on or after this day.
    pub bought_since: Option<NaiveDate>,
    pub referred_by: Option<ContactId>,
    /// Conditions on custom fields ("Budget at least 1000").
    pub custom: Vec<Condition>,
}

impl Filter {
    /// The SQL condition over `contacts c` and its bound values; `fields` are the custom
    /// fields the custom conditions name.
    fn to_sql(&self, fields: &[custom::CustomField]) -> Result<(String, Vec<Value>)> {
        let mut clauses = vec!["c.deleted_at IS NULL".to_string()];
        let mut values: Vec<Value> = Vec::new();
        if let Some(expr) = self.text.as_deref().and_then(match_expression) {
            clauses.push("c.seq IN (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?)".into());
            values.push(Value::Text(expr));
        }
        fn any_of(column: &str, items: Vec<String>, clauses: &mut Vec<String>, values: &mut Vec<Value>) {
            if !items.is_empty() {
                clauses.push(format!("{column} IN ({})", vec!["?"; items.len()].join(", ")));
                values.extend(items.into_iter().map(Value::Text));
            }
        }
        any_of("c.stage", self.stages.iter().map(|s| s.as_str().to_string()).collect(), &mut clauses, &mut values);
        any_of("c.grade", self.grades.iter().map(|g| g.to_uppercase()).collect(), &mut clauses, &mut values);
        any_of("c.circle", self.circles.iter().map(|c| c.as_str().to_string()).collect(), &mut clauses, &mut values);
        for tag in &self.tags {
            // IN lets SQLite start from the tag's few contacts instead of testing every contact.
            clauses.push(
                "c.id IN (SELECT ct.contact_id FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE t.name = ?)"
                    .into(),
            );
            values.push(Value::Text(tag.clone()));
        }
        if let Some(source) = &self.lead_source {
            clauses.push("c.lead_source = ? COLLATE NOCASE".into());
            values.push(Value::Text(source.clone()));
        }
        for (column, value) in [("city", &self.city), ("country", &self.country)] {
            if let Some(value) = value {
                clauses.push(format!(
                    "EXISTS (SELECT 1 FROM contact_addresses a WHERE a.contact_id = c.id AND a.{column} = ? COLLATE NOCASE)"
                ));
                values.push(Value::Text(value.clone()));
            }
        }
        if let Some(before) = self.last_contacted_before {
            // Never contacted counts as "before" any date.
            clauses.push("coalesce(c.last_contacted_at, '') < ?".into());
            values.push(Value::Text(before.to_string()));
        }
        if let Some(after) = self.last_contacted_after {
            clauses.push("c.last_contacted_at >= ?".into());
            values.push(Value::Text(after.to_string()));
        }
        if let Some(has) = self.has_next_action {
            clauses.push(if has { "c.next_due_on IS NOT NULL" } else { "c.next_due_on IS NULL" }.into());
        }
        if let Some(min) = self.min_purchases {
            clauses.push("(SELECT count(*) FROM purchases p WHERE p.contact_id = c.id) >= ?".into());
            values.push(Value::Integer(min.into()));
        }
        if let Some(min) = self.min_spent_cents {
            clauses
                .push("(SELECT coalesce(sum(amount_cents), 0) FROM purchases p WHERE p.contact_id = c.id) >= ?".into());
            values.push(Value::Integer(min));
        }
        if let Some(since) = self.bought_since {
            clauses.push("EXISTS (SELECT 1 FROM purchases p WHERE p.contact_id = c.id AND p.purchased_on >= ?)".into());
            values.push(Value::Text(since.to_string()));
        }
        if let Some(referrer) = self.referred_by {
            clauses.push("c.referred_by = ?".into());
            values.push(Value::Text(referrer.to_string()));
        }
        for condition in &self.custom {
            let (clause, bound) = condition.to_sql(fields)?;
            clauses.push(clause);
            values.extend(bound);
        }
        Ok((clauses.join(" AND "), values))
    }
}

/// One page of the matching contacts in list order, and how many match in all.
pub fn list_matching(store: &Store, filter: &Filter, offset: usize, limit: usize) -> Result<SearchPage> {
    let (condition, values) = filter.to_sql(&custom::list_fields(store.conn())?)?;
    page_where(store, &format!("SELECT c.seq FROM contacts c WHERE {condition}"), &values, offset, limit)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SmartList {
    pub id: Uuid,
    pub name: String,
    pub filter: Filter,
}

/// Saves a filter under a name (replacing a list of the same name).
pub fn save_list(conn: &Connection, name: &str, filter: &Filter) -> Result<SmartList> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::Invalid(vec![FieldError::new("name", "Give the list a name.")]));
    }
    let id = Uuid::now_v7();
    conn.execute(
        "INSERT INTO smart_lists (id, name, filter, created_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (name) DO UPDATE SET filter = ?3",
        params![id.to_string(), name, serde_json::to_string(filter).expect("filters serialise"), timestamp(Utc::now())],
    )?;
    get_list(conn, name)?.ok_or_else(|| Error::Missing(format!("the list “{name}” was not saved")))
}

pub fn get_list(conn: &Connection, name: &str) -> Result<Option<SmartList>> {
    conn.query_row("SELECT id, name, filter FROM smart_lists WHERE name = ?1", [name], list_row)
        .optional()
        .map_err(Error::from)
}

pub fn all_lists(conn: &Connection) -> Result<Vec<SmartList>> {
    Ok(conn
        .prepare("SELECT id, name, filter FROM smart_lists ORDER BY name")?
        .query_map([], list_row)?
        .collect::<rusqlite::Result<_>>()?)
}

/// Deletes the saved list `name`; answers whether there was one.
pub fn delete_list(conn: &Connection, name: &str) -> Result<bool> {
    Ok(conn.execute("DELETE FROM smart_lists WHERE name = ?1", [name])? > 0)
}

fn list_row(r: &rusqlite::Row) -> rusqlite::Result<SmartList> {
    let id: String = r.get(0)?;
    let filter: String = r.get(2)?;
    Ok(SmartList { id: parse_id(&id)?, name: r.get(1)?, filter: serde_json::from_str(&filter).unwrap_or_default() })
}

/// Sets a contact's grade (A–D, or `None`) and lead source.
pub fn set_grade_and_source(conn: &Connection, id: ContactId, grade: Option<&str>, lead_source: &str) -> Result<()> {
    let grade = grade.map(str::to_uppercase);
    if grade.as_deref().is_some_and(|g| !["A", "B", "C", "D"].contains(&g)) {
        return Err(Error::Invalid(vec![FieldError::new("grade", "The grade is A, B, C or D.")]));
    }
    super::require_contact(conn, id)?;
    conn.execute(
        "UPDATE contacts SET grade = ?2, lead_source = ?3 WHERE id = ?1",
        params![id.to_string(), grade, lead_source.trim()],
    )?;
    Ok(())
}
