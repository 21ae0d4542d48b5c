//! The quality dashboard: how complete the file is, and each thing worth fixing, every item
//! naming its contact so the app can open it. Checks: emails that aren't valid, phone numbers
//! that can't be real (fewer than 7 or more than 15 digits), addresses without a postal code,
//! missing key fields, and contacts nobody has touched for months.

use std::collections::HashMap;

use chrono::{DateTime, Months, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::Result;
use crate::contacts::ContactId;
use crate::contacts::validate::{email_problem, phone_problem};
use crate::store::parse_timestamp;

/// The fields a complete contact has: a full name, an email, a phone and a postal address.
const KEY_FIELDS: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum IssueKind {
    InvalidEmail,
    ImplausiblePhone,
    NoPostalCode,
    MissingFields,
    Stale,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Issue {
    pub contact_id: ContactId,
    pub name: String,
    pub kind: IssueKind,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QualityReport {
    pub contacts: usize,
    /// The share of key fields filled in, over all contacts (0–1).
    pub completeness: f64,
    pub counts: HashMap<IssueKind, usize>,
    pub issues: Vec<Issue>,
}

#[derive(Default)]
struct Facts {
    name: String,
    has_full_name: bool,
    emails: Vec<String>,
    phones: Vec<String>,
    /// (street, postal code) of each address.
    addresses: Vec<(String, String)>,
    last_touched: Option<DateTime<Utc>>,
}

impl QualityReport {
    /// The report with only the first `n` issues, and the first `n` of each kind, kept in
    /// order: every tab of the dashboard can show its own without 100,000 rows going to the
    /// window. The counts still cover them all.
    pub fn first(mut self, n: usize) -> QualityReport {
        let mut of_kind: HashMap<IssueKind, usize> = HashMap::new();
        let mut at = 0;
        self.issues.retain(|issue| {
            let seen = of_kind.entry(issue.kind).or_default();
            *seen += 1;
            at += 1;
            at <= n || *seen <= n
        });
        self
    }
}

/// The report as of `now`; a contact is stale after `stale_months` without an edit or activity.
pub fn quality_report(conn: &Connection, now: DateTime<Utc>, stale_months: u32) -> Result<QualityReport> {
    let facts = load_facts(conn)?;
    let stale_before = now.checked_sub_months(Months::new(stale_months)).unwrap_or(now);
    let mut issues = Vec::new();
    let mut filled = 0;
    for (id, f) in &facts {
        let mut issue =
            |kind, detail: String| issues.push(Issue { contact_id: *id, name: f.name.clone(), kind, detail });
        for email in &f.emails {
            if let Some(problem) = email_problem(email) {
                issue(IssueKind::InvalidEmail, problem);
            }
        }
        for phone in &f.phones {
            let digits = phone.chars().filter(char::is_ascii_digit).count();
            if phone_problem(phone).is_some() || !(7..=15).contains(&digits) {
                issue(IssueKind::ImplausiblePhone, format!("“{phone}” has {digits} digits; a real number has 7 to 15"));
            }
        }
        for (street, postal) in &f.addresses {
            if postal.trim().is_empty() {
                issue(IssueKind::NoPostalCode, format!("the address “{street}” has no postal code"));
            }
        }
        let present = [f.has_full_name, !f.emails.is_empty(), !f.phones.is_empty(), !f.addresses.is_empty()];
        filled += present.iter().filter(|p| **p).count();
        let missing: Vec<&str> = ["full name", "email", "phone", "postal address"]
            .iter()
            .zip(present)
            .filter(|(_, p)| !p)
            .map(|(n, _)| *n)
            .collect();
        if !missing.is_empty() {
            issue(IssueKind::MissingFields, format!("no {}", missing.join(", no ")));
        }
        if f.last_touched.is_some_and(|t| t < stale_before) {
            issue(IssueKind::Stale, format!("not updated or contacted for over {stale_months} months"));
        }
    }
    issues.sort_by(|a, b| a.name.cmp(&b.name).then(a.detail.cmp(&b.detail)));
    let mut counts = HashMap::new();
    for issue in &issues {
        *counts.entry(issue.kind).or_insert(0) += 1;
    }
    let completeness = if facts.is_empty() { 1.0 } else { filled as f64 / (facts.len() * KEY_FIELDS) as f64 };
    Ok(QualityReport { contacts: facts.len(), completeness, counts, issues })
}

/// What the checks need of every live contact, in one scan per table.
fn load_facts(conn: &Connection) -> Result<HashMap<ContactId, Facts>> {
    let mut facts: HashMap<ContactId, Facts> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT c.id, c.display_name, c.given_name <> '' AND c.family_name <> '',
                max(c.updated_at, coalesce(c.last_contacted_at, ''))
         FROM contacts c WHERE c.deleted_at IS NULL",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let Ok(id) = id.parse() else { continue };
        let touched: String = r.get(3)?;
        facts.insert(
            id,
            Facts {
                name: r.get(1)?,
                has_full_name: r.get(2)?,
                last_touched: parse_timestamp(&touched).ok(),
                ..Default::default()
            },
        );
    }
    let mut add = |sql: &str, put: &dyn Fn(&mut Facts, String, String)| -> Result<()> {
        let mut stmt = conn.prepare(sql)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            if let Some(f) = id.parse().ok().and_then(|id: ContactId| facts.get_mut(&id)) {
                put(f, r.get(1)?, r.get(2)?);
            }
        }
        Ok(())
    };
    add("SELECT contact_id, value, '' FROM contact_emails", &|f, v, _| f.emails.push(v))?;
    add("SELECT contact_id, value, '' FROM contact_phones", &|f, v, _| f.phones.push(v))?;
    add("SELECT contact_id, street, postal_code FROM contact_addresses", &|f, street, postal| {
        f.addresses.push((street, postal))
    })?;
    Ok(facts)
}
