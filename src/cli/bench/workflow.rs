//! `rolodeck bench workflow`: the Today view, a five-condition smart list and one on a custom
//! field, on a file of 100,000 contacts with a million activities, as p50/p95 over repeated runs.

use std::time::{Duration, Instant};

use chrono::{Duration as Days, NaiveDate, TimeZone, Utc};
use rolodeck::contacts::Circle;
use rolodeck::contacts::custom::{Condition, FieldKind, NewField, Op, create_field};
use rolodeck::store::timestamp;
use rolodeck::workflow::lists::{Filter, list_matching};
use rolodeck::workflow::stage::Stage;
use rolodeck::workflow::today::today;
use rolodeck::{Result, Store, demo};
use rusqlite::params;

pub fn bench_workflow(contacts: usize, activities_per_contact: usize, rounds: usize) -> Result<()> {
    let dir = super::tempfile_dir()?;
    let store = Store::open(dir.join("workflow.db"))?;
    let started = Instant::now();
    demo::seed_demo(store.conn(), contacts, 1)?;
    seed_workflow(&store, activities_per_contact)?;
    println!(
        "seeded {contacts} contacts and {} activities in {:.1} s",
        contacts * activities_per_contact,
        started.elapsed().as_secs_f64()
    );

    let day = NaiveDate::from_ymd_opt(2026, 11, 26).expect("a date");
    let times = repeat(rounds, || today(store.conn(), day).map(drop))?;
    report("Today view", &times);

    let filter = Filter {
        stages: vec![Stage::Prospect, Stage::Client],
        circles: vec![Circle::Business],
        tags: vec!["golf".into()],
        has_next_action: Some(false),
        last_contacted_before: NaiveDate::from_ymd_opt(2026, 6, 1),
        ..Default::default()
    };
    let count = list_matching(&store, &filter, 0, 0)?.total;
    let times = repeat(rounds, || list_matching(&store, &filter, 0, 100).map(drop))?;
    report(&format!("5-condition smart list ({count} matches; count + first 100)"), &times);

    // A custom number field set on every contact, filtered together with two workflow facts.
    let budget = NewField { name: "Budget".into(), kind: FieldKind::Number, options: vec![] };
    let budget = create_field(store.conn(), &budget)?;
    store.conn().execute(
        "INSERT INTO contact_custom_values (contact_id, field_id, value) SELECT id, ?1, seq * 7919 % 10000 FROM contacts",
        [budget.id],
    )?;
    let filter = Filter {
        stages: vec![Stage::Prospect, Stage::Client],
        has_next_action: Some(false),
        custom: vec![Condition { field: budget.key, op: Op::AtLeast, value: Some(9000.into()) }],
        ..Default::default()
    };
    let count = list_matching(&store, &filter, 0, 0)?.total;
    let times = repeat(rounds, || list_matching(&store, &filter, 0, 100).map(drop))?;
    report(&format!("smart list on a custom number field ({count} matches; count + first 100)"), &times);
    drop(store);
    std::fs::remove_dir_all(dir)?;
    Ok(())
}

/// Stages, grades, next actions, cadences and activities spread over three years, written
/// straight into the tables in one transaction (this is data for a benchmark, not a user's).
fn seed_workflow(store: &Store, per_contact: usize) -> Result<()> {
    let conn = store.conn();
    conn.execute_batch("BEGIN")?;
    conn.execute_batch(
        "UPDATE contacts SET stage = CASE seq % 7 WHEN 0 THEN 'stranger' WHEN 1 THEN 'suspect' WHEN 2 THEN 'contact'
             WHEN 3 THEN 'connection' WHEN 4 THEN 'prospect' WHEN 5 THEN 'client' ELSE 'former_client' END,
           grade = CASE seq % 4 WHEN 0 THEN 'A' WHEN 1 THEN 'B' WHEN 2 THEN 'C' ELSE 'D' END,
           keep_in_touch_days = CASE WHEN seq % 10 = 0 THEN 90 END;",
    )?;
    let ids: Vec<String> =
        conn.prepare("SELECT id FROM contacts")?.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let start = Utc.with_ymd_and_hms(2023, 12, 1, 9, 0, 0).single().expect("a time");
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).expect("a date");
    let mut activity = conn.prepare(
        "INSERT INTO activities (id, contact_id, kind, happened_at, summary, created_at) VALUES (?1, ?2, 'call', ?3, 'Checked in', ?3)",
    )?;
    let mut next = conn
        .prepare("UPDATE contacts SET next_kind = 'call', next_text = 'Follow up', next_due_on = ?2 WHERE id = ?1")?;
    for (i, id) in ids.iter().enumerate() {
        for k in 0..per_contact {
            let at = start + Days::hours(((i * 7919 + k * 104_729) % (3 * 365 * 24)) as i64);
            activity.execute(params![uuid::Uuid::now_v7().to_string(), id, timestamp(at)])?;
        }
        if i % 3 == 0 {
            let due = today + Days::days((i % 61) as i64 - 30);
            next.execute(params![id, due.to_string()])?;
        }
    }
    conn.execute_batch(
        "UPDATE contacts SET last_contacted_at = (SELECT max(happened_at) FROM activities a WHERE a.contact_id = contacts.id);
         COMMIT; PRAGMA optimize;",
    )?;
    Ok(())
}

fn repeat(rounds: usize, mut run: impl FnMut() -> Result<()>) -> Result<Vec<Duration>> {
    (0..rounds.max(1))
        .map(|_| {
            let started = Instant::now();
            run().map(|()| started.elapsed())
        })
        .collect()
}

fn report(what: &str, times: &[Duration]) {
    let mut sorted = times.to_vec();
    sorted.sort();
    let at = |q: f64| sorted[((sorted.len() - 1) as f64 * q).round() as usize];
    println!("{what}: p50 {} ms, p95 {} ms", super::ms(at(0.5)), super::ms(at(0.95)));
}
