//! The Today view, the app's home: follow-ups that are overdue or due today, contacts with no
//! next step, keep-in-touch cadences that have run out, birthdays this week, and purchases
//! due for repeat business. A follow-up whose channel the contact has blocked (a call to
//! someone marked do-not-call) stays on the list, where it must be dealt with, with the reason.
//!
//! A keep-in-touch cadence (every N days) comes from the contact, or else from the shortest
//! cadence of its tags; any activity resets the clock.

use chrono::{Datelike, Duration, NaiveDate};
use rusqlite::{Connection, params};
use serde::Serialize;

use super::activity::ActivityKind;
use super::consent::Consent;
use super::purchases::{CenterOfInfluence, RepeatDue, centers_of_influence, repeat_business_due};
use super::require_contact;
use crate::Result;
use crate::contacts::{Birthday, ContactId};
use crate::store::{parse_id, parse_timestamp};

/// How many contacts each list shows; the counts are always complete.
const LIST_LIMIT: usize = 50;
/// How many Centers of Influence Today names: the few worth a thank-you call this week.
const TOP_REFERRERS: usize = 5;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TodayView {
    pub date: NaiveDate,
    pub overdue: Vec<FollowUp>,
    pub overdue_count: usize,
    pub due_today: Vec<FollowUp>,
    pub due_today_count: usize,
    pub no_next_step: Vec<Person>,
    pub no_next_step_count: usize,
    pub keep_in_touch: Vec<KeepInTouch>,
    pub keep_in_touch_count: usize,
    pub birthdays: Vec<BirthdaySoon>,
    pub repeat_business: Vec<RepeatDue>,
    /// The referrers who brought the most business, best first (at most `TOP_REFERRERS`).
    pub top_referrers: Vec<CenterOfInfluence>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FollowUp {
    pub contact_id: ContactId,
    pub name: String,
    pub kind: ActivityKind,
    pub text: String,
    pub due_on: NaiveDate,
    /// Why the follow-up must not be done as planned ("Ann Lee is marked do-not-call"), when
    /// the contact's consent blocks its channel.
    pub blocked: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    pub contact_id: ContactId,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeepInTouch {
    pub contact_id: ContactId,
    pub name: String,
    pub every_days: u32,
    pub last_contacted: NaiveDate,
    pub due_on: NaiveDate,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BirthdaySoon {
    pub contact_id: ContactId,
    pub name: String,
    pub on: NaiveDate,
    /// The age they turn, when the year is known.
    pub turns: Option<i32>,
}

pub fn today(conn: &Connection, date: NaiveDate) -> Result<TodayView> {
    let (no_next_step, no_next_step_count) = no_next_step(conn)?;
    let (overdue, overdue_count) = follow_ups(conn, "c.next_due_on < ?1", date)?;
    let (due_today, due_today_count) = follow_ups(conn, "c.next_due_on = ?1", date)?;
    let (keep_in_touch, keep_in_touch_count) = keep_in_touch_due(conn, date)?;
    Ok(TodayView {
        date,
        overdue,
        overdue_count,
        due_today,
        due_today_count,
        no_next_step,
        no_next_step_count,
        keep_in_touch,
        keep_in_touch_count,
        birthdays: birthdays_within_a_week(conn, date)?,
        repeat_business: repeat_business_due(conn, date)?,
        top_referrers: centers_of_influence(conn)?.into_iter().take(TOP_REFERRERS).collect(),
    })
}

/// The first follow-ups matching `condition` in due order, and how many match.
fn follow_ups(conn: &Connection, condition: &str, date: NaiveDate) -> Result<(Vec<FollowUp>, usize)> {
    let count: i64 = conn
        .prepare_cached(&format!(
            "SELECT count(*) FROM contacts c WHERE c.deleted_at IS NULL AND c.next_due_on IS NOT NULL AND {condition}"
        ))?
        .query_row([date.to_string()], |r| r.get(0))?;
    let sql = format!(
        "SELECT c.id, c.display_name, c.next_kind, c.next_text, c.next_due_on,
                c.do_not_mail, c.do_not_call, c.do_not_email, c.do_not_fax FROM contacts c
         WHERE c.deleted_at IS NULL AND c.next_due_on IS NOT NULL AND {condition}
         ORDER BY c.next_due_on, c.sort_key LIMIT {LIST_LIMIT}"
    );
    let rows = conn
        .prepare_cached(&sql)?
        .query_map([date.to_string()], |r| {
            let name: String = r.get(1)?;
            let kind = ActivityKind::parse(&r.get::<_, String>(2)?).unwrap_or(ActivityKind::Task);
            let consent = Consent {
                do_not_mail: r.get(5)?,
                do_not_call: r.get(6)?,
                do_not_email: r.get(7)?,
                do_not_fax: r.get(8)?,
                ..Default::default()
            };
            Ok(FollowUp {
                contact_id: id_at(r, 0)?,
                blocked: kind.channel().and_then(|channel| consent.blocked(channel, &name)),
                name,
                kind,
                text: r.get(3)?,
                due_on: r.get::<_, String>(4)?.parse().unwrap_or(NaiveDate::MIN),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok((rows, count as usize))
}

/// Live contacts we know (past Stranger, not a former client) with no open next action.
fn no_next_step(conn: &Connection) -> Result<(Vec<Person>, usize)> {
    // The same terms as the partial index contacts_no_next_step, so both queries read only it.
    const WHERE: &str =
        "c.deleted_at IS NULL AND c.next_due_on IS NULL AND c.stage NOT IN ('stranger', 'former_client')";
    let count: i64 = conn.query_row(&format!("SELECT count(*) FROM contacts c WHERE {WHERE}"), [], |r| r.get(0))?;
    let people = conn
        .prepare_cached(&format!(
            "SELECT c.id, c.display_name FROM contacts c WHERE {WHERE} ORDER BY c.sort_key LIMIT {LIST_LIMIT}"
        ))?
        .query_map([], |r| Ok(Person { contact_id: id_at(r, 0)?, name: r.get(1)? }))?
        .collect::<rusqlite::Result<_>>()?;
    Ok((people, count as usize))
}

/// Who is due, soonest first (at most `LIST_LIMIT`), and how many are due in all. A cadence of
/// the contact's own comes from an index; tag cadences only look at contacts with such a tag.
fn keep_in_touch_due(conn: &Connection, date: NaiveDate) -> Result<(Vec<KeepInTouch>, usize)> {
    const OWN: &str =
        "FROM contacts WHERE deleted_at IS NULL AND keep_in_touch_days IS NOT NULL AND touch_due_on <= ?1";
    let own_count: i64 =
        conn.prepare_cached(&format!("SELECT count(*) {OWN}"))?.query_row([date.to_string()], |r| r.get(0))?;
    let own = conn
        .prepare_cached(&format!(
            "SELECT id, display_name, keep_in_touch_days, coalesce(last_contacted_at, created_at) {OWN} ORDER BY touch_due_on LIMIT {LIST_LIMIT}"
        ))?
        .query_map([date.to_string()], keep_in_touch_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let by_tag = conn
        .prepare_cached(
            "SELECT c.id, c.display_name, min(t.keep_in_touch_days), coalesce(c.last_contacted_at, c.created_at)
             FROM tags t JOIN contact_tags ct ON ct.tag_id = t.id JOIN contacts c ON c.id = ct.contact_id
             WHERE t.keep_in_touch_days IS NOT NULL AND c.keep_in_touch_days IS NULL AND c.deleted_at IS NULL
             GROUP BY c.id",
        )?
        .query_map([], keep_in_touch_row)?
        .filter(|k| k.as_ref().map_or(true, |k| k.due_on <= date))
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let count = own_count as usize + by_tag.len();
    let mut due: Vec<KeepInTouch> = own.into_iter().chain(by_tag).collect();
    due.sort_by_key(|k| k.due_on);
    due.truncate(LIST_LIMIT);
    Ok((due, count))
}

fn keep_in_touch_row(r: &rusqlite::Row) -> rusqlite::Result<KeepInTouch> {
    let every: u32 = r.get(2)?;
    let last = parse_timestamp(&r.get::<_, String>(3)?)?.date_naive();
    Ok(KeepInTouch {
        contact_id: id_at(r, 0)?,
        name: r.get(1)?,
        every_days: every,
        last_contacted: last,
        due_on: last + Duration::days(every.into()),
    })
}

fn birthdays_within_a_week(conn: &Connection, date: NaiveDate) -> Result<Vec<BirthdaySoon>> {
    // Birthdays are stored as YYYY-MM-DD or --MM-DD: match their last five characters.
    let week: Vec<NaiveDate> = (0..7).map(|d| date + Duration::days(d)).collect();
    let keys: Vec<String> = week.iter().map(|d| format!("{:02}-{:02}", d.month(), d.day())).collect();
    let placeholders = vec!["?"; keys.len()].join(", ");
    let sql = format!(
        "SELECT id, display_name, birthday FROM contacts
         WHERE deleted_at IS NULL AND birthday IS NOT NULL AND substr(birthday, -5) IN ({placeholders})"
    );
    let mut soon: Vec<BirthdaySoon> = conn
        .prepare_cached(&sql)?
        .query_map(rusqlite::params_from_iter(&keys), |r| {
            let birthday = Birthday::parse(&r.get::<_, String>(2)?);
            Ok((id_at(r, 0)?, r.get::<_, String>(1)?, birthday))
        })?
        .filter_map(|row| match row {
            Ok((contact_id, name, Some(b))) => {
                let on = *week.iter().find(|d| d.month() == b.month && d.day() == b.day)?;
                Some(Ok(BirthdaySoon { contact_id, name, on, turns: b.year.map(|y| on.year() - y) }))
            }
            Ok(_) => None,
            Err(e) => Some(Err(e)),
        })
        .collect::<rusqlite::Result<_>>()?;
    soon.sort_by_key(|b| b.on);
    Ok(soon)
}

/// How often to be in touch with one contact (its own cadence, not its tags').
pub fn get_keep_in_touch(conn: &Connection, id: ContactId) -> Result<Option<u32>> {
    require_contact(conn, id)?;
    Ok(conn.query_row("SELECT keep_in_touch_days FROM contacts WHERE id = ?1", [id.to_string()], |r| r.get(0))?)
}

/// Sets (or clears) how often to be in touch with one contact.
pub fn set_keep_in_touch(conn: &Connection, id: ContactId, every_days: Option<u32>) -> Result<()> {
    require_contact(conn, id)?;
    conn.execute("UPDATE contacts SET keep_in_touch_days = ?2 WHERE id = ?1", params![id.to_string(), every_days])?;
    Ok(())
}

/// Sets (or clears) the cadence for everyone with `tag`; says how many tags matched (0 or 1).
pub fn set_tag_keep_in_touch(conn: &Connection, tag: &str, every_days: Option<u32>) -> Result<usize> {
    Ok(conn.execute("UPDATE tags SET keep_in_touch_days = ?2 WHERE name = ?1", params![tag, every_days])?)
}

fn id_at(r: &rusqlite::Row, i: usize) -> rusqlite::Result<ContactId> {
    parse_id(&r.get::<_, String>(i)?)
}
