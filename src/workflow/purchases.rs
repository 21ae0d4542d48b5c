//! Purchases and what they tell: recency, frequency and monetary value (RFM) and lifetime
//! value per contact, referrals and the Centers of Influence they reveal, and reminders for
//! repeat business ("service due 12 months after purchase").

use chrono::{Months, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::activity::{ActivityKind, NextAction, NextStep, next_action, record_activity, write_next_step};
use super::links::{Member, member, members_where};
use super::require_contact;
use crate::contacts::ContactId;
use crate::store::{atomically, parse_id, timestamp};
use crate::{Error, FieldError, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Purchase {
    pub purchased_on: NaiveDate,
    pub item: String,
    /// In cents (or the currency's smallest unit).
    pub amount_cents: i64,
    pub currency: String,
    /// Remind about repeat business this many months later.
    pub repeat_after_months: Option<u32>,
}

/// Records a purchase (and puts it on the timeline as a purchase activity).
pub fn add_purchase(conn: &Connection, contact: ContactId, purchase: &Purchase) -> Result<()> {
    if purchase.item.trim().is_empty() || purchase.amount_cents < 0 {
        return Err(Error::Invalid(vec![FieldError::new(
            "purchase",
            "A purchase needs what was bought and an amount of 0 or more.",
        )]));
    }
    atomically(conn, |conn| {
        require_contact(conn, contact)?;
        conn.execute(
            "INSERT INTO purchases (id, contact_id, purchased_on, item, amount_cents, currency, repeat_after_months, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                Uuid::now_v7().to_string(),
                contact.to_string(),
                purchase.purchased_on.to_string(),
                purchase.item.trim(),
                purchase.amount_cents,
                purchase.currency.trim().to_uppercase(),
                purchase.repeat_after_months,
                timestamp(Utc::now())
            ],
        )?;
        let at = purchase.purchased_on.and_hms_opt(12, 0, 0).expect("noon exists").and_utc();
        let summary =
            format!("Bought {} for {}", purchase.item.trim(), money(purchase.amount_cents, &purchase.currency));
        record_activity(conn, contact, ActivityKind::Purchase, &summary, at)?;
        Ok(())
    })
}

/// A contact's business side, for its page: how good a prospect or client they are, where they
/// came from, who referred them and whom they referred, and what they bought.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Business {
    pub grade: Option<String>,
    pub lead_source: String,
    pub referred_by: Option<Member>,
    /// The people this contact referred, in list order.
    pub referrals: Vec<Member>,
    /// Newest first.
    pub purchases: Vec<Purchase>,
    pub rfm: Rfm,
}

pub fn business(conn: &Connection, contact: ContactId, today: NaiveDate) -> Result<Business> {
    let (grade, lead_source, referrer): (Option<String>, String, Option<String>) = conn.query_row(
        "SELECT grade, lead_source, referred_by FROM contacts WHERE id = ?1",
        [contact.to_string()],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let purchases = conn
        .prepare_cached(
            "SELECT purchased_on, item, amount_cents, currency, repeat_after_months FROM purchases
             WHERE contact_id = ?1 ORDER BY purchased_on DESC, created_at DESC",
        )?
        .query_map([contact.to_string()], |r| {
            let on: String = r.get(0)?;
            Ok(Purchase {
                purchased_on: on.parse().unwrap_or_default(),
                item: r.get(1)?,
                amount_cents: r.get(2)?,
                currency: r.get(3)?,
                repeat_after_months: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Business {
        grade,
        lead_source,
        referred_by: referrer.map(|id| member(conn, &id)).transpose()?,
        referrals: members_where(conn, "referred_by", &contact.to_string())?,
        purchases,
        rfm: rfm(conn, contact, today)?,
    })
}

/// Recency, frequency and monetary value for one contact, as of `today`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rfm {
    /// Days since the last purchase (`None`: never bought).
    pub recency_days: Option<i64>,
    pub frequency: usize,
    /// The total spent, which is also the lifetime value so far, in cents.
    pub monetary_cents: i64,
}

pub fn rfm(conn: &Connection, contact: ContactId, today: NaiveDate) -> Result<Rfm> {
    require_contact(conn, contact)?;
    let (count, total, last): (i64, i64, Option<String>) = conn.query_row(
        "SELECT count(*), coalesce(sum(amount_cents), 0), max(purchased_on) FROM purchases WHERE contact_id = ?1",
        [contact.to_string()],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let last: Option<NaiveDate> = last.and_then(|d| d.parse().ok());
    Ok(Rfm { recency_days: last.map(|d| (today - d).num_days()), frequency: count as usize, monetary_cents: total })
}

/// Records who referred a contact (`None` to clear).
pub fn set_referred_by(conn: &Connection, contact: ContactId, referrer: Option<ContactId>) -> Result<()> {
    require_contact(conn, contact)?;
    if let Some(r) = referrer {
        require_contact(conn, r)?;
        if r == contact {
            return Err(Error::Invalid(vec![FieldError::new("referredBy", "A contact can’t refer themselves.")]));
        }
    }
    conn.execute(
        "UPDATE contacts SET referred_by = ?2 WHERE id = ?1",
        params![contact.to_string(), referrer.map(|r| r.to_string())],
    )?;
    Ok(())
}

/// The thank-you a referrer is owed when someone they referred becomes a client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ThankYou {
    pub referrer_id: ContactId,
    pub referrer_name: String,
    pub text: String,
}

/// Sets the referrer's next action to a thank-you letter (due `on`), unless they already have
/// a next step, in which case the thank-you goes on their timeline as a task to see.
pub(super) fn owe_thank_you(conn: &Connection, client: ContactId, on: NaiveDate) -> Result<Option<ThankYou>> {
    let found: Option<(String, String, String)> = conn
        .query_row(
            "SELECT r.id, r.display_name, c.display_name FROM contacts c JOIN contacts r ON r.id = c.referred_by
             WHERE c.id = ?1 AND r.deleted_at IS NULL",
            [client.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((referrer, referrer_name, client_name)) = found else { return Ok(None) };
    let referrer_id = parse_id(&referrer)?;
    let text = format!("Send a thank-you: {client_name}, whom {referrer_name} referred, is now a client");
    if next_action(conn, referrer_id)?.is_some() {
        record_activity(
            conn,
            referrer_id,
            ActivityKind::Task,
            &text,
            on.and_hms_opt(9, 0, 0).expect("9am exists").and_utc(),
        )?;
    } else {
        let thank = NextAction { kind: ActivityKind::Letter, text: text.clone(), due_on: on };
        write_next_step(conn, referrer_id, &NextStep::Action(thank))?;
    }
    Ok(Some(ThankYou { referrer_id, referrer_name, text }))
}

/// A Center of Influence: someone whose referrals became business.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CenterOfInfluence {
    pub contact_id: ContactId,
    pub name: String,
    pub referrals: usize,
    pub clients: usize,
    /// What the people they referred have spent, in cents.
    pub referred_revenue_cents: i64,
}

/// Everyone who referred anyone, ranked by the revenue their referrals brought, then by
/// how many they referred.
pub fn centers_of_influence(conn: &Connection) -> Result<Vec<CenterOfInfluence>> {
    let mut stmt = conn.prepare(
        "SELECT r.id, r.display_name, count(*),
                sum(c.stage = 'client'),
                coalesce(sum((SELECT sum(amount_cents) FROM purchases p WHERE p.contact_id = c.id)), 0)
         FROM contacts c JOIN contacts r ON r.id = c.referred_by
         WHERE c.deleted_at IS NULL AND r.deleted_at IS NULL
         GROUP BY r.id ORDER BY 5 DESC, 3 DESC, r.sort_key",
    )?;
    let rows = stmt
        .query_map([], |r| {
            let id: String = r.get(0)?;
            Ok(CenterOfInfluence {
                contact_id: parse_id(&id)?,
                name: r.get(1)?,
                referrals: r.get::<_, i64>(2)? as usize,
                clients: r.get::<_, i64>(3)? as usize,
                referred_revenue_cents: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// A purchase whose repeat-business reminder falls on or before `today`, with no purchase
/// of anything since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RepeatDue {
    pub contact_id: ContactId,
    pub name: String,
    pub item: String,
    pub purchased_on: NaiveDate,
    pub due_on: NaiveDate,
}

pub fn repeat_business_due(conn: &Connection, today: NaiveDate) -> Result<Vec<RepeatDue>> {
    let mut stmt = conn.prepare(
        "SELECT p.contact_id, c.display_name, p.item, p.purchased_on, p.repeat_after_months FROM purchases p
         JOIN contacts c ON c.id = p.contact_id
         WHERE c.deleted_at IS NULL AND p.repeat_after_months IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM purchases q WHERE q.contact_id = p.contact_id AND q.purchased_on > p.purchased_on)",
    )?;
    let mut due: Vec<RepeatDue> = stmt
        .query_map([], |r| {
            let id: String = r.get(0)?;
            let on: String = r.get(3)?;
            let months: u32 = r.get(4)?;
            let purchased_on: NaiveDate = on.parse().unwrap_or(NaiveDate::MIN);
            Ok(RepeatDue {
                contact_id: parse_id(&id)?,
                name: r.get(1)?,
                item: r.get(2)?,
                purchased_on,
                due_on: purchased_on.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX),
            })
        })?
        .filter(|d| d.as_ref().map_or(true, |d| d.due_on <= today))
        .collect::<rusqlite::Result<_>>()?;
    due.sort_by_key(|d| d.due_on);
    Ok(due)
}

/// "$1,250.00"-style amounts for summaries: symbol for the common currencies, code otherwise.
pub fn money(cents: i64, currency: &str) -> String {
    let units = cents / 100;
    let mut grouped = String::new();
    for (i, c) in units.to_string().chars().rev().enumerate() {
        if i > 0 && i % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let amount = format!("{}.{:02}", grouped.chars().rev().collect::<String>(), cents % 100);
    match currency.trim().to_uppercase().as_str() {
        "USD" => format!("${amount}"),
        "EUR" => format!("€{amount}"),
        "GBP" => format!("£{amount}"),
        other => format!("{amount} {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::money;

    #[test]
    fn money_groups_thousands() {
        assert_eq!(money(125_000, "usd"), "$1,250.00");
        assert_eq!(money(99, "EUR"), "€0.99");
        assert_eq!(money(100_000_005, "PLN"), "1,000,000.05 PLN");
    }
}
