//! Contacts over a real file: create, read, update, trash, restore, and refusals that lose nothing.

mod common;

use common::{person, temp_store, value};
use rolodeck::contacts::{self, Address, Birthday, Circle, ContactDraft, LabeledValue};
use rusqlite::Connection;

fn full_draft() -> ContactDraft {
    ContactDraft {
        prefix: "Dr.".into(),
        given_name: "Łukasz".into(),
        middle_name: "J.".into(),
        family_name: "Wróbel".into(),
        suffix: "PhD".into(),
        nickname: "Luke".into(),
        company: "Acme Consulting".into(),
        job_title: "Founder".into(),
        emails: vec![
            value("work", "lukasz@acme.example"),
            LabeledValue { primary: true, ..value("home", "luke@mail.example") },
        ],
        phones: vec![value("mobile", "+48 601 234 567")],
        addresses: vec![Address {
            label: "work".into(),
            street: "ul. Floriańska 12".into(),
            city: "Kraków".into(),
            postal_code: "31-019".into(),
            country: "Poland".into(),
            ..Default::default()
        }],
        websites: vec!["acme.example".into()],
        birthday: Some(Birthday { year: None, month: 5, day: 17 }),
        circle: Circle::Both,
        tags: vec!["vip".into(), "golf".into()],
        notes: "Met at the Kraków fair.\nPrefers email.".into(),
        // No custom fields are defined here; tests/custom_fields.rs covers them.
        custom: Default::default(),
    }
}

fn child_rows(conn: &Connection, table: &str) -> i64 {
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap()
}

#[test]
fn a_created_contact_reads_back_with_every_child_row() {
    let (_dir, store) = temp_store();
    let created = contacts::create_contact(store.conn(), full_draft()).unwrap();
    assert_eq!(created.id.get_version_num(), 7, "ids are UUIDv7");
    assert_eq!(created.display_name, "Dr. Łukasz J. Wróbel PhD");
    assert_eq!(created.created_at, created.updated_at);
    assert_eq!(created.deleted_at, None);

    let read = contacts::get_contact(store.conn(), created.id).unwrap();
    let mut expected = full_draft();
    expected.phones[0].primary = true; // the only phone becomes primary
    expected.addresses[0].primary = true;
    assert_eq!(read.draft, expected);
    assert_eq!(read, created);
}

#[test]
fn an_update_replaces_child_rows_in_order_and_moves_updated_at() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let created = contacts::create_contact(conn, full_draft()).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(5));

    let mut draft = created.draft.clone();
    draft.emails = vec![value("other", "z@z.example"), value("work", "a@a.example")];
    draft.tags = vec!["client".into()];
    draft.birthday = Some(Birthday { year: Some(1980), month: 2, day: 29 });
    let updated = contacts::update_contact(conn, created.id, draft).unwrap();

    let emails: Vec<_> = updated.draft.emails.iter().map(|e| (e.value.as_str(), e.primary)).collect();
    assert_eq!(emails, [("z@z.example", true), ("a@a.example", false)]);
    assert_eq!(updated.draft.tags, ["client"]);
    assert_eq!(updated.draft.birthday, Some(Birthday { year: Some(1980), month: 2, day: 29 }));
    assert!(updated.updated_at > created.updated_at);
    assert_eq!(updated.created_at, created.created_at);
    assert_eq!(child_rows(conn, "contact_emails"), 2);
}

#[test]
fn trash_hides_a_contact_and_restore_brings_it_back_whole() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let keep = contacts::create_contact(conn, person("Ann", "Lee")).unwrap();
    let gone = contacts::create_contact(conn, full_draft()).unwrap();

    contacts::trash_contact(conn, gone.id).unwrap();
    assert_eq!(contacts::count_contacts(conn).unwrap(), 1);
    assert_eq!(contacts::search_contacts(&store, "lukasz", 0, 10).unwrap().total, 0);
    let trash = contacts::list_trash(conn).unwrap();
    assert_eq!(trash.iter().map(|r| r.id).collect::<Vec<_>>(), [gone.id]);
    assert!(trash[0].deleted_at.is_some());

    let restored = contacts::restore_contact(conn, gone.id).unwrap();
    assert_eq!(restored.draft, gone.draft);
    assert_eq!(restored.deleted_at, None);
    assert_eq!(contacts::search_contacts(&store, "lukasz", 0, 10).unwrap().total, 1);
    assert_eq!(contacts::get_contact(conn, keep.id).unwrap().deleted_at, None);
}

#[test]
fn emptying_the_trash_deletes_the_contact_and_its_child_rows() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let gone = contacts::create_contact(conn, full_draft()).unwrap();
    contacts::create_contact(conn, person("Ann", "Lee")).unwrap();
    contacts::trash_contact(conn, gone.id).unwrap();
    assert_eq!(contacts::empty_trash(conn).unwrap(), 1);
    assert_eq!(contacts::get_contact(conn, gone.id).unwrap_err().kind(), "not_found");
    for table in ["contact_emails", "contact_phones", "contact_addresses", "contact_websites", "contact_tags"] {
        assert_eq!(child_rows(conn, table), 0, "{table}");
    }
    assert_eq!(contacts::count_contacts(conn).unwrap(), 1);
}

#[test]
fn an_invalid_draft_names_its_fields_and_writes_nothing() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let mut draft = full_draft();
    draft.emails.push(value("work", "ann@example"));
    let err = contacts::create_contact(conn, draft).unwrap_err();
    assert_eq!(err.kind(), "invalid");
    assert_eq!(err.fields()[0].field, "emails.2.value");
    assert!(err.to_string().contains("ann@example"));
    assert_eq!(contacts::count_contacts(conn).unwrap(), 0);
}

#[test]
fn a_failed_update_keeps_the_stored_contact() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let created = contacts::create_contact(conn, full_draft()).unwrap();
    let mut draft = created.draft.clone();
    draft.given_name = "Changed".into();
    draft.phones = vec![value("mobile", "call me maybe")];
    assert!(contacts::update_contact(conn, created.id, draft).is_err());
    assert_eq!(contacts::get_contact(conn, created.id).unwrap(), created);
}

#[test]
fn a_batch_is_all_or_nothing() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let batch = vec![person("Ann", "Lee"), person("", ""), person("Bo", "Chen")];
    assert_eq!(contacts::create_contacts(conn, batch).unwrap_err().kind(), "invalid");
    assert_eq!(contacts::count_contacts(conn).unwrap(), 0);
    assert_eq!(contacts::create_contacts(conn, vec![person("Ann", "Lee"), person("Bo", "Chen")]).unwrap().len(), 2);
}

#[test]
fn a_batch_leaves_the_check_constraints_on() {
    // Batches write with SQLite's CHECKs off (see insert_batch); they must come back on
    // whether the batch is stored or refused.
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let bogus_circle = || conn.execute("UPDATE contacts SET circle = 'bogus'", []).unwrap_err().to_string();
    contacts::create_contacts(conn, vec![person("Ann", "Lee")]).unwrap();
    assert!(bogus_circle().contains("CHECK constraint failed"), "{}", bogus_circle());
    contacts::create_contacts(conn, vec![person("", "")]).unwrap_err();
    assert!(bogus_circle().contains("CHECK constraint failed"), "{}", bogus_circle());
}

#[test]
fn a_batch_shares_each_tag_whatever_its_case() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let tagged = |given: &str, tags: &[&str]| ContactDraft {
        tags: tags.iter().map(|t| t.to_string()).collect(),
        ..person(given, "Lee")
    };
    let batch = vec![tagged("Ann", &["VIP", "golf"]), tagged("Bo", &["vip"]), tagged("Cy", &["Golf", "VIP"])];
    let ids = contacts::create_contacts(conn, batch).unwrap();
    let tags: i64 = conn.query_row("SELECT count(*) FROM tags", [], |r| r.get(0)).unwrap();
    assert_eq!(tags, 2, "VIP and golf, once each");
    let read = |i: usize| contacts::get_contact(conn, ids[i]).unwrap().draft.tags;
    assert_eq!(
        (read(0), read(1), read(2)),
        (vec!["VIP".into(), "golf".into()], vec!["VIP".into()], vec!["golf".to_string(), "VIP".into()])
    );
}

#[test]
fn an_unknown_id_is_not_found() {
    let (_dir, store) = temp_store();
    let id = uuid::Uuid::now_v7();
    let err = contacts::update_contact(store.conn(), id, person("Ann", "Lee")).unwrap_err();
    assert_eq!(err.kind(), "not_found");
    assert_eq!(contacts::trash_contact(store.conn(), id).unwrap_err().kind(), "not_found");
}

#[test]
fn markup_in_a_name_is_stored_as_plain_text() {
    let (_dir, store) = temp_store();
    let evil = "<img src=x onerror=alert(1)>";
    let created = contacts::create_contact(store.conn(), person(evil, "")).unwrap();
    assert_eq!(created.display_name, evil);
    assert_eq!(contacts::search_contacts(&store, "img", 0, 5).unwrap().rows[0].display_name, evil);
}

#[test]
fn live_drafts_read_every_live_contact_whole_in_list_order() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let ids = contacts::create_contacts(conn, rolodeck::demo::demo_contacts(300, 5)).unwrap();
    contacts::trash_contact(conn, ids[7]).unwrap();
    let listed = contacts::search_contacts(&store, "", 0, usize::MAX).unwrap().rows;
    let one_by_one: Vec<_> = listed.iter().map(|row| contacts::get_contact(conn, row.id).unwrap().draft).collect();
    assert_eq!(one_by_one.len(), 299);
    assert!(one_by_one.iter().any(|d| d.tags.len() > 1 && d.emails.len() > 1), "the sample has lists to read");
    assert_eq!(contacts::live_drafts(&store).unwrap(), one_by_one);
}
