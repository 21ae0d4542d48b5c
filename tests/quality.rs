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
        found.iter().any(|(x, y, reasons)| ((x == a && y == b) || (x == b && y == a)) && reasons.iter().any(|r| r.contains(reason)))
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
    let ids = contacts::create_contacts(conn, vec![
        ContactDraft { emails: vec![value("", "a@b.example")], ..person("Ann", "Lee") },
        ContactDraft { emails: vec![value("", "a@b.example")], ..person("Ann", "Lee") },
    ])
    .unwrap();
    assert_eq!(find_duplicates(conn).unwrap().len(), 1);
    contacts::trash_contact(conn, ids[1]).unwrap();
    assert!(find_duplicates(conn).unwrap().is_empty());
}
