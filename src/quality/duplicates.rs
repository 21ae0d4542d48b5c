//! The duplicate finder. Two contacts are candidates when they share an email address or a
//! phone number, or when their names are nearly the same (Jaro-Winkler on the folded name) at
//! the same company or in the same city. Names are only compared inside small buckets (same
//! company or city, same first letters of the family name), so a scan of 100,000 contacts
//! takes seconds, not hours.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::Connection;
use serde::Serialize;

use crate::contacts::ContactId;
use crate::fold::fold;
use crate::import::matching::phone_key;
use crate::store::parse_id;
use crate::{Error, Result};

/// How alike two names must be to be called a likely duplicate.
const NAME_THRESHOLD: f64 = 0.92;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DuplicatePair {
    pub a: ContactId,
    pub a_name: String,
    pub b: ContactId,
    pub b_name: String,
    /// 0–1: 1 for a shared email or phone, the name similarity otherwise.
    pub score: f64,
    pub reasons: Vec<String>,
}

struct Person {
    id: ContactId,
    name: String,
    /// The folded "given family" name, as characters for the similarity measure.
    folded: Vec<char>,
    family: String,
    company: String,
    city: String,
}

/// Every likely duplicate pair among live contacts, most certain first.
pub fn find_duplicates(conn: &Connection) -> Result<Vec<DuplicatePair>> {
    find_duplicates_with(conn, &mut |_, _| {}, &AtomicBool::new(false))
}

/// `find_duplicates` for the window: `progress(done, total)` counts the name buckets compared
/// (the slow part), and setting `cancel` stops it with `Error::Cancelled`.
pub fn find_duplicates_with(
    conn: &Connection,
    progress: &mut dyn FnMut(usize, usize),
    cancel: &AtomicBool,
) -> Result<Vec<DuplicatePair>> {
    let people = load_people(conn)?;
    let index: HashMap<ContactId, usize> = people.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
    let mut pairs: BTreeMap<(usize, usize), (f64, Vec<String>)> = BTreeMap::new();
    let mut add = |a: usize, b: usize, score: f64, reason: String| {
        let entry = pairs.entry((a.min(b), a.max(b))).or_insert((0.0, Vec::new()));
        entry.0 = entry.0.max(score);
        if !entry.1.contains(&reason) {
            entry.1.push(reason);
        }
    };

    for (sql, what) in [
        (
            "SELECT e.contact_id, lower(e.value) FROM contact_emails e JOIN contacts c ON c.id = e.contact_id WHERE c.deleted_at IS NULL",
            "email",
        ),
        (
            "SELECT p.contact_id, p.value FROM contact_phones p JOIN contacts c ON c.id = p.contact_id WHERE c.deleted_at IS NULL",
            "phone",
        ),
    ] {
        let mut by_value: HashMap<String, Vec<usize>> = HashMap::new();
        let mut stmt = conn.prepare(sql)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let value: String = r.get(1)?;
            let key = if what == "phone" { phone_key(&value) } else { Some(value) };
            if let (Some(key), Some(&i)) = (key, id.parse().ok().and_then(|id: ContactId| index.get(&id))) {
                by_value.entry(key).or_default().push(i);
            }
        }
        for (value, group) in by_value {
            for (x, &a) in group.iter().enumerate() {
                for &b in &group[x + 1..] {
                    if a != b {
                        add(a, b, 1.0, format!("same {what} {value}"));
                    }
                }
            }
        }
    }

    let mut scratch = Vec::new();
    let buckets = name_buckets(&people);
    for (done, bucket) in buckets.values().enumerate() {
        if done % 256 == 0 {
            progress(done, buckets.len());
            if cancel.load(Ordering::Relaxed) {
                return Err(Error::Cancelled);
            }
        }
        for (x, &a) in bucket.iter().enumerate() {
            for &b in &bucket[x + 1..] {
                let (pa, pb) = (&people[a], &people[b]);
                let score = similarity(&pa.folded, &pb.folded, &mut scratch);
                if score >= NAME_THRESHOLD {
                    let place = if !pa.company.is_empty() && pa.company == pb.company { "company" } else { "city" };
                    add(a, b, score, format!("similar names ({:.0} %) in the same {place}", score * 100.0));
                }
            }
        }
    }

    let mut out: Vec<DuplicatePair> = pairs
        .into_iter()
        .map(|((a, b), (score, reasons))| DuplicatePair {
            a: people[a].id,
            a_name: people[a].name.clone(),
            b: people[b].id,
            b_name: people[b].name.clone(),
            score,
            reasons,
        })
        .collect();
    out.sort_by(|x, y| y.score.total_cmp(&x.score).then_with(|| x.a_name.cmp(&y.a_name)));
    Ok(out)
}

fn load_people(conn: &Connection) -> Result<Vec<Person>> {
    let mut stmt = conn.prepare(
        "SELECT c.id, c.display_name, c.given_name, c.family_name, c.company,
                (SELECT city FROM contact_addresses a WHERE a.contact_id = c.id AND a.is_primary)
         FROM contacts c WHERE c.deleted_at IS NULL",
    )?;
    let people = stmt
        .query_map([], |r| {
            let id: String = r.get(0)?;
            let given: String = r.get(2)?;
            let family: String = r.get(3)?;
            Ok(Person {
                id: parse_id(&id)?,
                name: r.get(1)?,
                folded: fold(&format!("{given} {family}"))
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .chars()
                    .collect(),
                family: fold(&family),
                company: fold(&r.get::<_, String>(4)?).trim().to_string(),
                city: fold(&r.get::<_, Option<String>>(5)?.unwrap_or_default()).trim().to_string(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(people)
}

/// Buckets of people worth comparing by name: same company (or, without one, same city) and
/// the same first two letters of the family name.
fn name_buckets(people: &[Person]) -> HashMap<(String, String), Vec<usize>> {
    let mut buckets: HashMap<(String, String), Vec<usize>> = HashMap::new();
    for (i, p) in people.iter().enumerate() {
        let place = if p.company.is_empty() { &p.city } else { &p.company };
        if place.is_empty() || p.folded.is_empty() {
            continue;
        }
        let initials: String = p.family.chars().take(2).collect();
        buckets.entry((place.clone(), initials)).or_default().push(i);
    }
    buckets
}

/// Jaro-Winkler similarity (1.0 = identical), the usual measure for short names.
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    similarity(&a, &b, &mut Vec::new())
}

/// Jaro-Winkler on characters, with a reusable scratch buffer: the scan calls it millions of
/// times.
fn similarity(a: &[char], b: &[char], b_used: &mut Vec<bool>) -> f64 {
    if a == b {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    b_used.clear();
    b_used.resize(b.len(), false);
    let mut a_matches = Vec::with_capacity(a.len());
    for (i, &ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        if let Some(j) = (lo..hi).find(|&j| !b_used[j] && b[j] == ca) {
            b_used[j] = true;
            a_matches.push(ca);
        }
    }
    if a_matches.is_empty() {
        return 0.0;
    }
    let b_matches: Vec<char> = b.iter().zip(b_used.iter()).filter(|(_, used)| **used).map(|(c, _)| *c).collect();
    let transpositions = a_matches.iter().zip(&b_matches).filter(|(x, y)| x != y).count() as f64 / 2.0;
    let m = a_matches.len() as f64;
    let jaro = (m / a.len() as f64 + m / b.len() as f64 + (m - transpositions) / m) / 3.0;
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count() as f64;
    jaro + prefix * 0.1 * (1.0 - jaro)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jaro_winkler_matches_the_textbook_values() {
        assert!((jaro_winkler("martha", "marhta") - 0.961).abs() < 0.001);
        assert!((jaro_winkler("dwayne", "duane") - 0.84).abs() < 0.001);
        assert_eq!(jaro_winkler("ann lee", "ann lee"), 1.0);
        assert!(jaro_winkler("jon smith", "john smith") > NAME_THRESHOLD);
        assert!(jaro_winkler("ann lee", "bo chen") < 0.6);
    }
}
