//! The duplicate finder over a real file.

mod common;

use common::{person, temp_store, value};
use rolodeck::contacts::{self, Address, ContactDraft};
use rolodeck::quality::duplicates::find_duplicates;

fn in_city(city: &str) -> Vec<Address> {
    vec![Address { street: "1 Main St".into(), city: city.into(), ..Default::default() }]
}

#[test]
fn shared_emails_phones_and_near_names_are_found_with_reasons() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let drafts = vec![
        ContactDraft { emails: vec![value("work", "Ann@Lee.example")], ..person("Ann", "Lee") },
        ContactDraft { emails: vec![value("home", "ann@lee.example")], ..person("Annie", "Lee-Smith") },
        ContactDraft { phones: vec![value("work", "+1 (555) 123-4567")], ..person("Bo", "Chen") },
        ContactDraft { phones: vec![value("mobile", "555.123.4567")], ..person("Robert", "Chen") },
        ContactDraft { company: "Acme".into(), ..person("Jon", "Smith") },
        ContactDraft { company: "ACME".into(), ..person("John", "Smith") },
        ContactDraft { addresses: in_city("Kraków"), ..person("Łukasz", "Wróbel") },
        ContactDraft { addresses: in_city("Krakow"), ..person("Lukasz", "Wrobel") },
        ContactDraft { company: "Other Co".into(), ..person("John", "Smyth") },
        ContactDraft { addresses: in_city("Oslo"), ..person("Lukasz", "Wrobel") },
    ];
    contacts::create_contacts(conn, drafts).unwrap();
    let found: Vec<(String, String, Vec<String>)> =
        find_duplicates(conn).unwrap().into_iter().map(|p| (p.a_name, p.b_name, p.reasons)).collect();
    let has = |a: &str, b: &str, reason: &str| {
        found.iter().any(|(x, y, reasons)| {
            ((x == a && y == b) || (x == b && y == a)) && reasons.iter().any(|r| r.contains(reason))
        })
    };
    assert!(has("Ann Lee", "Annie Lee-Smith", "same email ann@lee.example"), "{found:?}");
    assert!(has("Bo Chen", "Robert Chen", "same phone 5551234567"), "{found:?}");
    assert!(has("Jon Smith", "John Smith", "in the same company"), "{found:?}");
    assert!(has("Łukasz Wróbel", "Lukasz Wrobel", "in the same city"), "{found:?}");
    assert_eq!(found.len(), 4, "same name elsewhere or another company is not a duplicate: {found:?}");
}

#[test]
fn trashed_contacts_are_not_duplicates() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let ids = contacts::create_contacts(
        conn,
        vec![
            ContactDraft { emails: vec![value("", "a@b.example")], ..person("Ann", "Lee") },
            ContactDraft { emails: vec![value("", "a@b.example")], ..person("Ann", "Lee") },
        ],
    )
    .unwrap();
    assert_eq!(find_duplicates(conn).unwrap().len(), 1);
    contacts::trash_contact(conn, ids[1]).unwrap();
    assert!(find_duplicates(conn).unwrap().is_empty());
}

#[test]
fn the_dashboard_names_each_problem_and_scores_completeness() {
    use rolodeck::quality::report::{IssueKind, quality_report};
    use rolodeck::workflow::activity::{ActivityKind, record_activity};
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let complete = ContactDraft {
        emails: vec![value("work", "ann@lee.example")],
        phones: vec![value("work", "+1 (555) 123-4567")],
        addresses: vec![Address {
            street: "1 Main St".into(),
            city: "Salem".into(),
            postal_code: "01970".into(),
            ..Default::default()
        }],
        ..person("Ann", "Lee")
    };
    let ann = contacts::create_contact(conn, complete).unwrap().id;
    let sparse = ContactDraft {
        phones: vec![value("work", "555-0100")],
        addresses: vec![Address { street: "2 Oak Ave".into(), city: "Salem".into(), ..Default::default() }],
        ..person("Bo", "")
    };
    contacts::create_contact(conn, sparse).unwrap();
    let short = ContactDraft { phones: vec![value("work", "12-34-5")], ..person("Cy", "Dee") };
    contacts::create_contact(conn, short).unwrap();

    let now = chrono::Utc::now();
    let report = quality_report(conn, now, 12).unwrap();
    assert_eq!(report.contacts, 3);
    let kinds = |name: &str| report.issues.iter().filter(|i| i.name == name).map(|i| i.kind).collect::<Vec<_>>();
    assert!(kinds("Ann Lee").is_empty(), "{:?}", report.issues);
    assert!(kinds("Bo").contains(&IssueKind::NoPostalCode) && kinds("Bo").contains(&IssueKind::MissingFields));
    assert!(kinds("Cy Dee").contains(&IssueKind::ImplausiblePhone));
    assert!((report.completeness - 8.0 / 12.0).abs() < 1e-9, "Ann 4 of 4, Bo 2, Cy 2: {}", report.completeness);

    // A year and a day later everyone is stale, except whoever was contacted since.
    let later = now + chrono::Duration::days(367);
    record_activity(conn, ann, ActivityKind::Call, "Caught up", later - chrono::Duration::days(1)).unwrap();
    let report = quality_report(conn, later, 12).unwrap();
    let stale: Vec<&str> =
        report.issues.iter().filter(|i| i.kind == IssueKind::Stale).map(|i| i.name.as_str()).collect();
    assert_eq!(stale, ["Bo", "Cy Dee"]);

    // Cut for the window: the first issue of all, and the first of each kind, still in order.
    let all = report.issues.clone();
    let first = report.first(1);
    let named = |issues: &mut dyn Iterator<Item = &rolodeck::quality::report::Issue>| {
        issues.map(|i| (i.name.clone(), i.kind)).collect::<Vec<_>>()
    };
    let expected = all.iter().enumerate().filter(|(at, i)| *at == 0 || !all[..*at].iter().any(|e| e.kind == i.kind));
    assert_eq!(named(&mut first.issues.iter()), named(&mut expected.map(|(_, i)| i)));
    assert!(first.issues.len() < all.len(), "something was cut: {all:?}");
    assert_eq!(first.counts[&IssueKind::Stale], 2, "the counts cover everything");
}

#[test]
fn a_duplicate_scan_reports_progress_and_stops_when_asked() {
    use rolodeck::quality::duplicates::find_duplicates_with;
    use std::sync::atomic::{AtomicBool, Ordering};
    let (_dir, store) = temp_store();
    let drafts = (0..600)
        .map(|i| ContactDraft { addresses: in_city(&format!("Town {i}")), ..person("Ann", &format!("Lee{i}")) });
    contacts::create_contacts(store.conn(), drafts).unwrap();
    let mut seen = Vec::new();
    let all = find_duplicates_with(store.conn(), &mut |d, t| seen.push((d, t)), &AtomicBool::new(false)).unwrap();
    assert!(all.is_empty());
    assert_eq!(seen, [(0, 600), (256, 600), (512, 600)], "one report per 256 of the 600 name buckets");

    let cancel = AtomicBool::new(false);
    let stopped = find_duplicates_with(store.conn(), &mut |_, _| cancel.store(true, Ordering::Relaxed), &cancel);
    assert_eq!(stopped.unwrap_err().kind(), "cancelled");
}
