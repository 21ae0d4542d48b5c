//! Two likely duplicates side by side, before a merge: every field both ways with the side
//! Rolodeck suggests keeping, what the merged lists will hold, and how many rows will move.
//! A field is one or more columns of the contacts row that travel together (an opt-in with its
//! source, a next step's kind, text and date), so the merge copies the chosen side as a unit.

use std::collections::BTreeMap;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::merging::{live_pair, moving_counts};
use crate::contacts::{Address, Contact, ContactDraft, ContactId, LabeledValue};
use crate::import::matching::merge_drafts;
use crate::workflow::stage::Stage;
use crate::{Error, FieldError, Result};

/// Which contact of the pair a value comes from: A is kept, B is merged into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    A,
    B,
}

/// The fields a merge chooses one side of. Lists (emails, phones, addresses, websites, tags)
/// are not here: the merged contact keeps both sides' entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum MergeField {
    Prefix,
    GivenName,
    MiddleName,
    FamilyName,
    Suffix,
    Nickname,
    Company,
    JobTitle,
    Birthday,
    Circle,
    Notes,
    Stage,
    Grade,
    LeadSource,
    ReferredBy,
    KeepInTouchDays,
    EmailOptIn,
    DoNotMail,
    DoNotCall,
    DoNotEmail,
    DoNotFax,
    NextStep,
}

/// The side to keep per field; a field left out takes the suggested side.
pub type MergeChoices = BTreeMap<MergeField, Side>;

/// How the suggestion picks between two different values when both are filled in (a blank
/// never wins over a value).
#[derive(Debug, Clone, Copy)]
enum Rule {
    /// The longer text: "Jonathan" over "Jon", a birthday with its year over one without.
    Longer,
    /// The value of the contact edited last.
    Recent,
    /// The stage further along the ladder.
    Further,
    /// A do-not-contact flag that is set (blank when clear): the merge must not reach someone
    /// who refused.
    Blocking,
    /// The next step due first, so nothing slips.
    Sooner,
}

struct Spec {
    field: MergeField,
    /// The name in JSON and on the command line (`--take givenName=b`).
    name: &'static str,
    label: &'static str,
    columns: &'static [&'static str],
    rule: Rule,
}

const fn spec(
    field: MergeField,
    name: &'static str,
    label: &'static str,
    columns: &'static [&'static str],
    rule: Rule,
) -> Spec {
    Spec { field, name, label, columns, rule }
}

const SPECS: [Spec; 22] = [
    spec(MergeField::Prefix, "prefix", "Prefix", &["prefix"], Rule::Longer),
    spec(MergeField::GivenName, "givenName", "Given name", &["given_name"], Rule::Longer),
    spec(MergeField::MiddleName, "middleName", "Middle name", &["middle_name"], Rule::Longer),
    spec(MergeField::FamilyName, "familyName", "Family name", &["family_name"], Rule::Longer),
    spec(MergeField::Suffix, "suffix", "Suffix", &["suffix"], Rule::Longer),
    spec(MergeField::Nickname, "nickname", "Nickname", &["nickname"], Rule::Longer),
    spec(MergeField::Company, "company", "Company", &["company"], Rule::Recent),
    spec(MergeField::JobTitle, "jobTitle", "Job title", &["job_title"], Rule::Recent),
    spec(MergeField::Birthday, "birthday", "Birthday", &["birthday"], Rule::Longer),
    spec(MergeField::Circle, "circle", "Circle", &["circle"], Rule::Recent),
    spec(MergeField::Notes, "notes", "Notes", &["notes"], Rule::Longer),
    spec(MergeField::Stage, "stage", "Stage", &["stage"], Rule::Further),
    spec(MergeField::Grade, "grade", "Grade", &["grade"], Rule::Recent),
    spec(MergeField::LeadSource, "leadSource", "Lead source", &["lead_source"], Rule::Recent),
    spec(MergeField::ReferredBy, "referredBy", "Referred by", &["referred_by"], Rule::Recent),
    spec(MergeField::KeepInTouchDays, "keepInTouchDays", "Keep in touch", &["keep_in_touch_days"], Rule::Recent),
    spec(
        MergeField::EmailOptIn,
        "emailOptIn",
        "Email opt-in",
        &["email_opt_in_at", "email_opt_in_source"],
        Rule::Recent,
    ),
    spec(MergeField::DoNotMail, "doNotMail", "Do not mail", &["do_not_mail"], Rule::Blocking),
    spec(MergeField::DoNotCall, "doNotCall", "Do not call", &["do_not_call"], Rule::Blocking),
    spec(MergeField::DoNotEmail, "doNotEmail", "Do not email", &["do_not_email"], Rule::Blocking),
    spec(MergeField::DoNotFax, "doNotFax", "Do not fax", &["do_not_fax"], Rule::Blocking),
    spec(MergeField::NextStep, "nextStep", "Next step", &["next_kind", "next_text", "next_due_on"], Rule::Sooner),
];

impl MergeField {
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// The contacts columns this field is stored in.
    pub(super) fn columns(self) -> &'static [&'static str] {
        self.spec().columns
    }

    /// A field by its name, in any case and with or without dashes (`given-name`, `givenName`).
    ///
    /// # Errors
    /// An unknown name, with the list of known ones.
    pub fn parse(text: &str) -> Result<MergeField> {
        let squash = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase();
        SPECS.iter().find(|s| squash(s.name) == squash(text)).map(|s| s.field).ok_or_else(|| {
            let known = SPECS.iter().map(|s| s.name).collect::<Vec<_>>().join(", ");
            Error::Invalid(vec![FieldError::new(
                "take",
                format!("“{text}” is no field a merge chooses; use one of {known}"),
            )])
        })
    }

    fn spec(self) -> &'static Spec {
        SPECS.iter().find(|s| s.field == self).expect("every field has a spec")
    }
}

/// One field both ways, as the side-by-side shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldChoice {
    pub field: MergeField,
    pub label: &'static str,
    /// The value as shown ("" when blank).
    pub a: String,
    pub b: String,
    pub same: bool,
    pub suggested: Side,
}

/// What the merged contact's lists will hold: A's entries, then those of B's that A lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MergedLists {
    pub emails: Vec<LabeledValue>,
    pub phones: Vec<LabeledValue>,
    pub addresses: Vec<Address>,
    pub websites: Vec<String>,
    pub tags: Vec<String>,
}

/// Two contacts side by side, for the merge dialog.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PairReview {
    pub a: Contact,
    pub b: Contact,
    pub fields: Vec<FieldChoice>,
    pub lists: MergedLists,
    /// B's rows that will move to A, by kind: activities, purchases, outbox, referrals, stageChanges.
    pub moving: BTreeMap<&'static str, usize>,
}

/// The side-by-side view of `a` (to keep) and `b` (to merge into it).
///
/// # Errors
/// When either id is unknown, both are the same contact, or one is in the Trash.
pub fn duplicate_pair(conn: &Connection, a: ContactId, b: ContactId) -> Result<PairReview> {
    let (a, b) = live_pair(conn, a, b)?;
    let merged = merge_drafts(&a.draft, &b.draft);
    Ok(PairReview {
        fields: compare(conn, &a, &b)?,
        lists: MergedLists {
            emails: merged.emails,
            phones: merged.phones,
            addresses: merged.addresses,
            websites: merged.websites,
            tags: merged.tags,
        },
        moving: moving_counts(conn, b.id)?,
        a,
        b,
    })
}

/// The draft A ends up with: `chosen`'s fields (A's row after the chosen columns were copied
/// over) and both sides' list entries.
pub(super) fn with_both_lists(chosen: ContactDraft, other: &ContactDraft) -> ContactDraft {
    let lists = merge_drafts(&chosen, other);
    // A custom field A leaves blank takes B's value.
    let mut custom = chosen.custom.clone();
    for (key, value) in &other.custom {
        if custom.get(key).is_none_or(|v| v.is_null()) && !value.is_null() {
            custom.insert(key.clone(), value.clone());
        }
    }
    ContactDraft {
        emails: lists.emails,
        phones: lists.phones,
        addresses: lists.addresses,
        websites: lists.websites,
        tags: lists.tags,
        custom,
        ..chosen
    }
}

/// Every field of the pair with its suggestion.
pub(super) fn compare(conn: &Connection, a: &Contact, b: &Contact) -> Result<Vec<FieldChoice>> {
    let (values_a, values_b) = (stored_values(conn, a.id)?, stored_values(conn, b.id)?);
    let a_is_newer = a.updated_at >= b.updated_at;
    SPECS
        .iter()
        .zip(values_a.iter().zip(&values_b))
        .map(|(spec, (va, vb))| {
            Ok(FieldChoice {
                field: spec.field,
                label: spec.label,
                a: shown(conn, spec.field, va)?,
                b: shown(conn, spec.field, vb)?,
                same: va == vb,
                suggested: suggest(spec.rule, va, vb, a_is_newer),
            })
        })
        .collect()
}

/// Each field's columns as text (None when blank, and for a cleared flag), in `SPECS` order.
fn stored_values(conn: &Connection, id: ContactId) -> Result<Vec<Vec<Option<String>>>> {
    let columns: Vec<&str> = SPECS.iter().flat_map(|s| s.columns.iter().copied()).collect();
    let sql = format!("SELECT {} FROM contacts WHERE id = ?1", columns.join(", "));
    let flat: Vec<Option<String>> = conn.query_row(&sql, [id.to_string()], |r| {
        (0..columns.len())
            .map(|i| {
                Ok(match r.get_ref(i)? {
                    ValueRef::Integer(n) => Some(n.to_string()),
                    ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
                    _ => None,
                })
            })
            .collect()
    })?;
    let mut flat = flat.into_iter();
    Ok(SPECS
        .iter()
        .map(|spec| {
            let values = flat.by_ref().take(spec.columns.len());
            let blank = |v: &String| v.is_empty() || (matches!(spec.rule, Rule::Blocking) && v == "0");
            values.map(|v| v.filter(|v| !blank(v))).collect()
        })
        .collect())
}

fn suggest(rule: Rule, a: &[Option<String>], b: &[Option<String>], a_is_newer: bool) -> Side {
    let filled = |values: &[Option<String>]| values.iter().any(Option::is_some);
    let recent = if a_is_newer { Side::A } else { Side::B };
    if a == b || !filled(b) {
        return Side::A;
    }
    if !filled(a) {
        return Side::B;
    }
    let first = |values: &[Option<String>], i: usize| values.get(i).cloned().flatten().unwrap_or_default();
    let pick = |a_wins: std::cmp::Ordering| match a_wins {
        std::cmp::Ordering::Greater => Side::A,
        std::cmp::Ordering::Less => Side::B,
        std::cmp::Ordering::Equal => recent,
    };
    match rule {
        Rule::Longer => pick(first(a, 0).chars().count().cmp(&first(b, 0).chars().count())),
        Rule::Recent | Rule::Blocking => recent,
        Rule::Further => pick(Stage::parse(&first(a, 0)).cmp(&Stage::parse(&first(b, 0)))),
        // Both have a next step: the one due first (a step without a date counts as later).
        Rule::Sooner => {
            let due = |values: &[Option<String>]| Some(first(values, 2)).filter(|d| !d.is_empty());
            match (due(a), due(b)) {
                (Some(x), Some(y)) => pick(y.cmp(&x)),
                (Some(_), None) => Side::A,
                (None, Some(_)) => Side::B,
                (None, None) => recent,
            }
        }
    }
}

/// A field's value as the side-by-side shows it.
fn shown(conn: &Connection, field: MergeField, values: &[Option<String>]) -> Result<String> {
    let text = |i: usize| values.get(i).cloned().flatten().unwrap_or_default();
    if values.iter().all(Option::is_none) {
        return Ok(String::new());
    }
    Ok(match field {
        MergeField::ReferredBy => conn
            .query_row("SELECT display_name FROM contacts WHERE id = ?1", [text(0)], |r| r.get(0))
            .optional()?
            .unwrap_or_default(),
        MergeField::KeepInTouchDays => format!("every {} days", text(0)),
        MergeField::EmailOptIn => {
            let date = text(0).chars().take(10).collect::<String>();
            if text(1).is_empty() { date } else { format!("{date} ({})", text(1)) }
        }
        MergeField::DoNotMail | MergeField::DoNotCall | MergeField::DoNotEmail | MergeField::DoNotFax => "yes".into(),
        MergeField::NextStep => {
            let due = if text(2).is_empty() { String::new() } else { format!(", due {}", text(2)) };
            format!("{}: {}{due}", text(0), text(1))
        }
        MergeField::Stage => text(0).replace('_', " "),
        _ => text(0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(texts: &[&str]) -> Vec<Option<String>> {
        texts.iter().map(|t| Some(t.to_string()).filter(|t| !t.is_empty())).collect()
    }

    #[test]
    fn every_field_has_one_spec_named_as_in_json() {
        for spec in &SPECS {
            assert_eq!(serde_json::to_value(spec.field).unwrap(), spec.name);
            assert_eq!(MergeField::parse(spec.name).unwrap(), spec.field);
        }
        assert_eq!(MergeField::parse("given-name").unwrap(), MergeField::GivenName);
        assert_eq!(MergeField::parse("DO_NOT_MAIL").unwrap(), MergeField::DoNotMail);
        let unknown = MergeField::parse("shoe size").unwrap_err().to_string();
        assert!(unknown.contains("“shoe size”") && unknown.contains("givenName"), "{unknown}");
    }

    #[test]
    fn a_blank_never_wins_and_filled_values_follow_the_rule() {
        assert_eq!(suggest(Rule::Recent, &values(&[""]), &values(&["Acme"]), true), Side::B);
        assert_eq!(suggest(Rule::Recent, &values(&["Acme"]), &values(&[""]), false), Side::A);
        assert_eq!(suggest(Rule::Recent, &values(&["Acme"]), &values(&["Beta"]), false), Side::B);
        assert_eq!(suggest(Rule::Longer, &values(&["Jon"]), &values(&["Jonathan"]), true), Side::B);
        assert_eq!(suggest(Rule::Longer, &values(&["1980-05-17"]), &values(&["--05-17"]), false), Side::A);
        assert_eq!(suggest(Rule::Further, &values(&["client"]), &values(&["prospect"]), false), Side::A);
        assert_eq!(suggest(Rule::Further, &values(&["suspect"]), &values(&["prospect"]), true), Side::B);
        assert_eq!(suggest(Rule::Blocking, &values(&[""]), &values(&["1"]), true), Side::B);
        let (soon, late) = (values(&["call", "x", "2026-04-01"]), values(&["task", "y", "2026-05-01"]));
        assert_eq!(suggest(Rule::Sooner, &late, &soon, true), Side::B);
        assert_eq!(suggest(Rule::Sooner, &soon, &late, false), Side::A);
    }
}
