//! Who belongs together: people at a company, and households. A company is a contact of its
//! own (its page lists its people); a person links to at most one. A household is a named
//! group ("The Lee family") of the people one letter can go to. Links are one level deep: a
//! company does not belong to another company, so a company page never has to walk a tree.

use std::collections::HashMap;

use chrono::Utc;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use uuid::Uuid;

use super::require_contact;
use crate::contacts::ContactId;
use crate::store::{atomically, parse_id, timestamp};
use crate::{Error, FieldError, Result};

/// A linked contact, as a company page or a household lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    pub contact_id: ContactId,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Household {
    pub id: Uuid,
    pub name: String,
    /// Its live members, in list order.
    pub members: Vec<Member>,
}

/// Everything a contact's page shows about its links.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactLinks {
    /// The company this contact works at.
    pub company: Option<Member>,
    /// The people at this contact, when it is a company.
    pub people: Vec<Member>,
    pub household: Option<Household>,
}

pub fn contact_links(conn: &Connection, id: ContactId) -> Result<ContactLinks> {
    require_contact(conn, id)?;
    let (company, household): (Option<String>, Option<String>) =
        conn.query_row("SELECT company_id, household_id FROM contacts WHERE id = ?1", [id.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    Ok(ContactLinks {
        company: company.map(|c| member(conn, &c)).transpose()?,
        people: company_people(conn, id)?,
        household: household.map(|h| get_household(conn, parse_id(&h)?)).transpose()?,
    })
}

/// Links `person` to `company` (a contact standing for the company), or unlinks with `None`.
pub fn set_company(conn: &Connection, person: ContactId, company: Option<ContactId>) -> Result<()> {
    atomically(conn, |conn| {
        require_contact(conn, person)?;
        if let Some(company) = company {
            require_contact(conn, company)?;
            let invalid = |message: String| Err(Error::Invalid(vec![FieldError::new("company", message)]));
            if company == person {
                return invalid("A contact can’t work at itself.".into());
            }
            if let Some(parent) = company_of(conn, company)? {
                let (name, parent) = (member(conn, &company.to_string())?.name, member(conn, &parent)?.name);
                return invalid(format!("{name} belongs to {parent} itself; link to {parent} instead."));
            }
            let people = company_people(conn, person)?.len();
            if people > 0 {
                let name = member(conn, &person.to_string())?.name;
                return invalid(format!("{name} is a company with {people} people; it can’t belong to another."));
            }
        }
        conn.execute(
            "UPDATE contacts SET company_id = ?2 WHERE id = ?1",
            params![person.to_string(), company.map(|c| c.to_string())],
        )?;
        Ok(())
    })
}

/// The live people linked to `company`, in list order.
pub fn company_people(conn: &Connection, company: ContactId) -> Result<Vec<Member>> {
    members_where(conn, "company_id", &company.to_string())
}

fn company_of(conn: &Connection, id: ContactId) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT company_id FROM contacts WHERE id = ?1", [id.to_string()], |r| r.get(0))?)
}

/// A new, empty household.
pub fn create_household(conn: &Connection, name: &str) -> Result<Household> {
    let name = household_name(name)?;
    let id = Uuid::now_v7();
    conn.execute(
        "INSERT INTO households (id, name, created_at) VALUES (?1, ?2, ?3)",
        params![id.to_string(), name, timestamp(Utc::now())],
    )?;
    get_household(conn, id)
}

pub fn rename_household(conn: &Connection, id: Uuid, name: &str) -> Result<Household> {
    let name = household_name(name)?;
    get_household(conn, id)?;
    conn.execute("UPDATE households SET name = ?2 WHERE id = ?1", params![id.to_string(), name])?;
    get_household(conn, id)
}

/// Deletes a household; its members stay, belonging to none.
pub fn delete_household(conn: &Connection, id: Uuid) -> Result<()> {
    get_household(conn, id)?;
    conn.execute("DELETE FROM households WHERE id = ?1", [id.to_string()])?;
    Ok(())
}

/// Puts a contact in a household (moving it out of any other), or out of it with `None`.
pub fn set_household(conn: &Connection, contact: ContactId, household: Option<Uuid>) -> Result<()> {
    require_contact(conn, contact)?;
    if let Some(household) = household {
        get_household(conn, household)?;
    }
    conn.execute(
        "UPDATE contacts SET household_id = ?2 WHERE id = ?1",
        params![contact.to_string(), household.map(|h| h.to_string())],
    )?;
    Ok(())
}

/// The household each of `contacts` is linked to, for those in one.
pub fn households_of(conn: &Connection, contacts: &[ContactId]) -> Result<HashMap<ContactId, Uuid>> {
    let mut stmt =
        conn.prepare_cached("SELECT household_id FROM contacts WHERE id = ?1 AND household_id IS NOT NULL")?;
    let mut found = HashMap::new();
    for id in contacts {
        if let Some(household) = stmt.query_row([id.to_string()], |r| r.get::<_, String>(0)).optional()? {
            found.insert(*id, parse_id(&household)?);
        }
    }
    Ok(found)
}

pub fn get_household(conn: &Connection, id: Uuid) -> Result<Household> {
    let name: String = conn
        .query_row("SELECT name FROM households WHERE id = ?1", [id.to_string()], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::NotFound { what: "household", id: id.to_string() })?;
    Ok(Household { id, name, members: members_where(conn, "household_id", &id.to_string())? })
}

/// Every household, by name, with its members.
pub fn list_households(conn: &Connection) -> Result<Vec<Household>> {
    let ids: Vec<String> = conn
        .prepare("SELECT id FROM households ORDER BY name COLLATE NOCASE, id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.iter().map(|id| get_household(conn, parse_id(id)?)).collect()
}

fn household_name(name: &str) -> Result<String> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(Error::Invalid(vec![FieldError::new("name", "Give the household a name (e.g. The Lee family).")]));
    }
    Ok(name)
}

pub(super) fn member(conn: &Connection, id: &str) -> Result<Member> {
    Ok(conn.query_row("SELECT id, display_name FROM contacts WHERE id = ?1", [id], |r| {
        Ok(Member { contact_id: parse_id(&r.get::<_, String>(0)?)?, name: r.get(1)? })
    })?)
}

/// The live contacts whose `column` (company_id or household_id) is `value`, in list order.
pub(super) fn members_where(conn: &Connection, column: &str, value: &str) -> Result<Vec<Member>> {
    let sql = format!(
        "SELECT id, display_name FROM contacts WHERE {column} = ?1 AND deleted_at IS NULL ORDER BY sort_key, seq"
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_map([value], |r| Ok(Member { contact_id: parse_id(&r.get::<_, String>(0)?)?, name: r.get(1)? }))?
        .collect::<rusqlite::Result<_>>()?)
}
