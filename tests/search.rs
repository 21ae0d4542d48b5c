//! Search as the user types: folded prefixes over every field that matters, in list order.

mod common;

use common::{person, temp_store, value};
use rolodeck::contacts::{self, Address, ContactDraft};

fn names(store: &rolodeck::Store, query: &str) -> Vec<String> {
    contacts::search_contacts(store, query, 0, 100).unwrap().rows.into_iter().map(|r| r.display_name).collect()
}

fn seeded() -> (tempfile::TempDir, rolodeck::Store) {
    let (dir, store) = temp_store();
    let conn = store.conn();
    let drafts = vec![
        person("Łukasz", "Wróbel"),
        ContactDraft {
            addresses: vec![Address { street: "Hauptstraße 5".into(), city: "München".into(), ..Default::default() }],
            ..person("Anna", "Straße")
        },
        person("Jürgen", "Müller"),
        person("Øystein", "Bjørnstad"),
        person("Lukasz", "Nowak"),
        person("Hans", "Muller"),
        ContactDraft {
            company: "Summit Financial".into(),
            emails: vec![value("work", "zoe.dubois@summit.example")],
            phones: vec![value("work", "+1 (555) 123-4567")],
            tags: vec!["golf-club".into()],
            notes: "Interested in the retirement seminar".into(),
            ..person("Zoë", "Dubois")
        },
        ContactDraft { company: "Acme Consulting".into(), ..person("", "") },
    ];
    contacts::create_contacts(conn, drafts).unwrap();
    (dir, store)
}

#[test]
fn folded_prefixes_find_letters_unicode_does_not_decompose() {
    let (_dir, store) = seeded();
    assert_eq!(names(&store, "lukasz"), ["Lukasz Nowak", "Łukasz Wróbel"]);
    assert_eq!(names(&store, "strasse"), ["Anna Straße"]);
    assert_eq!(names(&store, "muller"), ["Hans Muller", "Jürgen Müller"]);
    assert_eq!(names(&store, "oystein"), ["Øystein Bjørnstad"]);
}

#[test]
fn folding_works_in_both_directions_and_ignores_case() {
    let (_dir, store) = seeded();
    assert_eq!(names(&store, "ŁUKASZ"), ["Lukasz Nowak", "Łukasz Wróbel"]);
    assert_eq!(names(&store, "Straße"), ["Anna Straße"]);
    assert_eq!(names(&store, "MÜLL"), ["Hans Muller", "Jürgen Müller"]);
    assert_eq!(names(&store, "Øy"), ["Øystein Bjørnstad"]);
}

#[test]
fn prefixes_match_company_email_phone_city_street_tags_and_notes() {
    let (_dir, store) = seeded();
    for query in ["summ", "zoe.dub", "summit.example", "555123", "5551234567", "4567", "golf", "retire", "semin"] {
        assert_eq!(names(&store, query), ["Zoë Dubois"], "query {query:?}");
    }
    assert_eq!(names(&store, "munch"), ["Anna Straße"]);
    assert_eq!(names(&store, "hauptstr"), ["Anna Straße"]);
    assert_eq!(names(&store, "acme"), ["Acme Consulting"]);
}

#[test]
fn every_word_must_match_and_infixes_do_not() {
    let (_dir, store) = seeded();
    assert_eq!(names(&store, "zoe summit"), ["Zoë Dubois"]);
    assert!(names(&store, "zoe acme").is_empty());
    assert!(names(&store, "ukasz").is_empty(), "search is by word prefix, not substring");
}

#[test]
fn the_list_is_sorted_by_family_name_with_companies_by_name() {
    let (_dir, store) = seeded();
    let all = contacts::search_contacts(&store, "", 0, 100).unwrap();
    assert_eq!(all.total, 8);
    let order: Vec<_> = all.rows.iter().map(|r| r.display_name.as_str()).collect();
    assert_eq!(
        order,
        [
            "Acme Consulting",
            "Øystein Bjørnstad",
            "Zoë Dubois",
            "Hans Muller",
            "Jürgen Müller",
            "Lukasz Nowak",
            "Anna Straße",
            "Łukasz Wróbel"
        ]
    );
}

#[test]
fn pages_cover_the_whole_result_without_overlap() {
    let (_dir, store) = seeded();
    let first = contacts::search_contacts(&store, "", 0, 5).unwrap();
    let rest = contacts::search_contacts(&store, "", 5, 5).unwrap();
    assert_eq!((first.total, first.rows.len(), rest.rows.len()), (8, 5, 3));
    assert!(first.rows.iter().all(|r| !rest.rows.iter().any(|s| s.id == r.id)));
}

#[test]
fn an_edit_reindexes_the_contact() {
    let (_dir, store) = seeded();
    let conn = store.conn();
    let id = contacts::search_contacts(&store, "oystein", 0, 1).unwrap().rows[0].id;
    let mut draft = contacts::get_contact(conn, id).unwrap().draft;
    draft.given_name = "Ola".into();
    contacts::update_contact(conn, id, draft).unwrap();
    assert!(names(&store, "oystein").is_empty());
    assert_eq!(names(&store, "ola bjor"), ["Ola Bjørnstad"]);
}

#[test]
fn rows_carry_what_the_list_shows() {
    let (_dir, store) = seeded();
    let row = contacts::search_contacts(&store, "zoe", 0, 1).unwrap().rows.remove(0);
    assert_eq!(row.company, "Summit Financial");
    assert_eq!(row.primary_email.as_deref(), Some("zoe.dubois@summit.example"));
    assert_eq!(row.primary_phone.as_deref(), Some("+1 (555) 123-4567"));
    assert_eq!(row.tags, ["golf-club"]);
}

#[test]
fn a_change_made_through_another_connection_shows_up_in_the_next_search() {
    let (dir, store) = seeded();
    assert_eq!(names(&store, "ada"), Vec::<String>::new());
    let other = rolodeck::Store::open(dir.path().join("contacts.db")).unwrap();
    contacts::create_contact(other.conn(), person("Ada", "Lovelace")).unwrap();
    assert_eq!(names(&store, "ada"), ["Ada Lovelace"]);
    assert_eq!(contacts::search_contacts(&store, "", 0, 100).unwrap().total, 9);
}

#[test]
fn a_page_asking_for_everything_past_an_offset_does_not_overflow() {
    let (_dir, store) = seeded();
    assert_eq!(contacts::search_contacts(&store, "", 3, usize::MAX).unwrap().rows.len(), 5);
    assert_eq!(contacts::search_contacts(&store, "lukasz", 1, usize::MAX).unwrap().rows.len(), 1);
}
