//! Custom fields over a real file: definitions, values checked by kind, search, smart lists,
//! templates, the JSON export, and the CLI.

mod common;

use std::collections::BTreeMap;

use common::{person, temp_store};
use rolodeck::contacts::custom::{
    Condition, FieldKind, NewField, Op, create_field, delete_field, list_fields, rename_field, reorder_fields,
};
use rolodeck::contacts::{self, ContactDraft};
use rolodeck::export::json::{export_json, restore_json};
use rolodeck::merge::fields::{Fields, Sender};
use rolodeck::merge::template::Template;
use rolodeck::workflow::lists::{Filter, list_matching};
use rolodeck::{Store, contacts::custom::CustomField};
use serde_json::{Value, json};

fn field(store: &Store, name: &str, kind: FieldKind, options: &[&str]) -> CustomField {
    let options = options.iter().map(|o| o.to_string()).collect();
    create_field(store.conn(), &NewField { name: name.into(), kind, options }).unwrap()
}

fn with_values(draft: ContactDraft, values: &[(&str, Value)]) -> ContactDraft {
    ContactDraft { custom: values.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(), ..draft }
}

/// The usual four fields: a number, a date, a yes/no and a choice list.
fn crm_fields(store: &Store) {
    field(store, "Budget (€)", FieldKind::Number, &[]);
    field(store, "Renewal", FieldKind::Date, &[]);
    field(store, "Newsletter", FieldKind::YesNo, &[]);
    field(store, "Size", FieldKind::Choice, &["Small", "Medium", "Large"]);
    field(store, "Hobby", FieldKind::Text, &[]);
}

#[test]
fn fields_keep_their_key_through_a_rename_and_refuse_bad_definitions() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    crm_fields(&store);
    let keys: Vec<_> = list_fields(conn).unwrap().into_iter().map(|f| f.key).collect();
    assert_eq!(keys, ["budget", "renewal", "newsletter", "size", "hobby"]);

    let budget = list_fields(conn).unwrap()[0].clone();
    let renamed = rename_field(conn, budget.id, "Annual budget").unwrap();
    assert_eq!((renamed.name.as_str(), renamed.key.as_str()), ("Annual budget", "budget"));
    assert_eq!(field(&store, "Budget", FieldKind::Text, &[]).key, "budget_2", "a new field gets a free key");

    let problem = |field: NewField| create_field(conn, &field).unwrap_err().to_string();
    assert_eq!(
        problem(NewField { name: "annual BUDGET".into(), ..Default::default() }),
        "There is already a field called “annual BUDGET”."
    );
    assert_eq!(
        problem(NewField { name: "Tier".into(), kind: FieldKind::Choice, options: vec![" ".into()] }),
        "A choice list needs at least one option."
    );
    assert_eq!(
        problem(NewField { name: "Tier".into(), kind: FieldKind::Number, options: vec!["1".into()] }),
        "Only a choice list has options."
    );
    assert_eq!(problem(NewField::default()), "Give the field a name.");

    let ids: Vec<_> = list_fields(conn).unwrap().iter().map(|f| f.id).collect();
    let reordered = reorder_fields(conn, &[ids[4], ids[0]]).unwrap();
    let names: Vec<_> = reordered.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["Hobby", "Annual budget", "Renewal", "Newsletter", "Size", "Budget"]);
}

#[test]
fn values_are_stored_as_their_kind_and_every_contact_shows_every_field() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    crm_fields(&store);
    let ann = contacts::create_contact(
        conn,
        with_values(
            person("Ann", "Lee"),
            &[
                ("budget", json!("1200")),
                ("renewal", json!("2027-01-31")),
                ("newsletter", json!("yes")),
                ("size", json!("large")),
            ],
        ),
    )
    .unwrap();
    assert_eq!(
        ann.draft.custom,
        BTreeMap::from([
            ("budget".to_string(), json!(1200)),
            ("hobby".to_string(), Value::Null),
            ("newsletter".to_string(), json!(true)),
            ("renewal".to_string(), json!("2027-01-31")),
            ("size".to_string(), json!("Large")),
        ])
    );
    // What the form sends back unchanged saves unchanged; a blank clears.
    let mut draft = ann.draft.clone();
    assert_eq!(contacts::update_contact(conn, ann.id, draft.clone()).unwrap().draft, ann.draft);
    draft.custom.insert("budget".into(), json!(""));
    assert_eq!(contacts::update_contact(conn, ann.id, draft).unwrap().draft.custom["budget"], Value::Null);
}

#[test]
fn a_bad_value_is_refused_with_its_field_named_and_nothing_is_stored() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    crm_fields(&store);
    let bad = with_values(
        person("Ann", "Lee"),
        &[
            ("budget", json!("twelve hundred")),
            ("renewal", json!("31.01.2027")),
            ("newsletter", json!("maybe")),
            ("size", json!("XL")),
            ("colour", json!("red")),
        ],
    );
    let err = contacts::create_contact(conn, bad).unwrap_err();
    assert_eq!(err.kind(), "invalid");
    let got: Vec<_> = err.fields().iter().map(|f| (f.field.as_str(), f.message.as_str())).collect();
    assert_eq!(
        got,
        [
            ("custom.budget", "“Budget (€)” must be a number (like 1200 or 99.50), not “twelve hundred”."),
            ("custom.colour", "There is no custom field “colour”."),
            ("custom.newsletter", "“Newsletter” must be yes or no, not “maybe”."),
            ("custom.renewal", "“Renewal” must be a date (YYYY-MM-DD), not “31.01.2027”."),
            ("custom.size", "“Size” must be one of Small, Medium, Large, not “XL”."),
        ]
    );
    assert_eq!(contacts::count_contacts(conn).unwrap(), 0, "nothing half-stored");

    // An update with a bad value leaves the stored contact as it was.
    let ann = contacts::create_contact(conn, with_values(person("Ann", "Lee"), &[("budget", json!(5))])).unwrap();
    let worse = with_values(ann.draft.clone(), &[("budget", json!("lots"))]);
    assert_eq!(contacts::update_contact(conn, ann.id, worse).unwrap_err().fields()[0].field, "custom.budget");
    assert_eq!(contacts::get_contact(conn, ann.id).unwrap(), ann);
}

#[test]
fn search_finds_text_and_choice_values_until_they_change_or_the_field_goes() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    crm_fields(&store);
    let ann = contacts::create_contact(
        conn,
        with_values(person("Ann", "Lee"), &[("hobby", json!("Deep-sea sailing")), ("budget", json!(4711))]),
    )
    .unwrap();
    contacts::create_contact(conn, with_values(person("Bo", "Chen"), &[("size", json!("medium"))])).unwrap();
    let found = |query: &str| -> Vec<String> {
        contacts::search_contacts(&store, query, 0, 10).unwrap().rows.into_iter().map(|r| r.display_name).collect()
    };
    assert_eq!(found("sail"), ["Ann Lee"]);
    assert_eq!(found("medium"), ["Bo Chen"]);
    assert!(found("4711").is_empty(), "numbers are not search words");

    let mut draft = ann.draft.clone();
    draft.custom.insert("hobby".into(), json!("Chess"));
    contacts::update_contact(conn, ann.id, draft).unwrap();
    assert!(found("sail").is_empty());
    assert_eq!(found("chess"), ["Ann Lee"]);

    let hobby = list_fields(conn).unwrap().into_iter().find(|f| f.key == "hobby").unwrap();
    assert_eq!(delete_field(conn, hobby.id).unwrap(), 1);
    assert!(found("chess").is_empty(), "a deleted field's values are no longer found");
    assert_eq!(found("ann"), ["Ann Lee"], "the contact itself still is");
    assert!(!contacts::get_contact(conn, ann.id).unwrap().draft.custom.contains_key("hobby"));
}

#[test]
fn an_import_merged_into_a_contact_keeps_its_values_and_undoes_after_a_field_is_deleted() {
    use rolodeck::import::batch::{OnMatch, apply_import, plan_import, undo_import};
    let (_dir, store) = temp_store();
    let conn = store.conn();
    crm_fields(&store);
    let draft = ContactDraft {
        emails: vec![common::value("work", "ann@lee.example")],
        ..with_values(person("Ann", "Lee"), &[("hobby", json!("Golf")), ("budget", json!(7))])
    };
    let ann = contacts::create_contact(conn, draft).unwrap();
    let card = ContactDraft { job_title: "Owner".into(), ..person("Ann", "Lee") };
    let incoming = vec![(ContactDraft { emails: ann.draft.emails.clone(), ..card }, vec![])];
    let batch = apply_import(conn, &plan_import(&store, "card.vcf", incoming, OnMatch::Merge).unwrap()).unwrap();
    let merged = contacts::get_contact(conn, ann.id).unwrap();
    assert_eq!((merged.draft.job_title.as_str(), &merged.draft.custom), ("Owner", &ann.draft.custom));

    let hobby = list_fields(conn).unwrap().into_iter().find(|f| f.key == "hobby").unwrap();
    delete_field(conn, hobby.id).unwrap();
    undo_import(conn, batch.id).unwrap();
    let back = contacts::get_contact(conn, ann.id).unwrap();
    assert_eq!(back.draft.job_title, "");
    assert_eq!(back.draft.custom.get("budget"), Some(&json!(7)), "the values of fields still there come back");
}

#[test]
fn smart_lists_filter_on_numbers_dates_yes_no_and_text() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    crm_fields(&store);
    contacts::create_contacts(
        conn,
        [
            with_values(
                person("Ann", "Lee"),
                &[("budget", json!(1200)), ("renewal", json!("2027-01-31")), ("newsletter", json!(true))],
            ),
            with_values(
                person("Bo", "Chen"),
                &[("budget", json!("999.5")), ("newsletter", json!(false)), ("hobby", json!("Sailing"))],
            ),
            with_values(person("Cy", "Dee"), &[("budget", json!(80)), ("renewal", json!("2026-12-01"))]),
            person("Di", "Eve"),
        ],
    )
    .unwrap();
    let names = |conditions: Vec<Condition>| -> Vec<String> {
        let filter = Filter { custom: conditions, ..Default::default() };
        list_matching(&store, &filter, 0, 10).unwrap().rows.into_iter().map(|r| r.display_name).collect()
    };
    let on = |field: &str, op: Op, value: Option<Value>| Condition { field: field.into(), op, value };

    assert_eq!(names(vec![on("budget", Op::AtLeast, Some(json!(999.5)))]), ["Bo Chen", "Ann Lee"]);
    assert_eq!(names(vec![on("Budget (€)", Op::Above, Some(json!("1000")))]), ["Ann Lee"], "by name, value as text");
    assert_eq!(names(vec![on("budget", Op::Below, Some(json!(100)))]), ["Cy Dee"], "80 < 100 as numbers, not text");
    assert_eq!(names(vec![on("renewal", Op::Below, Some(json!("2027-01-01")))]), ["Cy Dee"]);
    assert_eq!(names(vec![on("newsletter", Op::IsYes, None)]), ["Ann Lee"]);
    assert_eq!(names(vec![on("newsletter", Op::IsNo, None)]), ["Bo Chen", "Cy Dee", "Di Eve"], "blank is not yes");
    assert_eq!(names(vec![on("newsletter", Op::Equals, Some(json!("no")))]), ["Bo Chen", "Cy Dee", "Di Eve"]);
    assert_eq!(names(vec![on("hobby", Op::Contains, Some(json!("SAIL")))]), ["Bo Chen"]);
    assert_eq!(names(vec![on("renewal", Op::IsEmpty, None)]), ["Bo Chen", "Di Eve"]);
    assert_eq!(
        names(vec![on("renewal", Op::IsSet, None), on("budget", Op::AtMost, Some(json!(1200)))]),
        ["Cy Dee", "Ann Lee"]
    );

    let refused = |condition: Condition| {
        let filter = Filter { custom: vec![condition], ..Default::default() };
        list_matching(&store, &filter, 0, 10).unwrap_err().to_string()
    };
    assert_eq!(
        refused(on("budget", Op::AtLeast, Some(json!("lots")))),
        "“Budget (€)” must be a number (like 1200 or 99.50), not “lots”."
    );
    assert_eq!(
        refused(on("budget", Op::Contains, Some(json!("1")))),
        "“Budget (€)” is a number field: “contains” doesn’t apply to it"
    );
    assert_eq!(refused(on("budget", Op::AtLeast, None)), "Give a value to compare “Budget (€)” with.");
    assert!(refused(on("budgt", Op::IsSet, None)).starts_with("there is no custom field “budgt”"));
}

#[test]
fn templates_print_custom_fields_by_key_and_blanks_as_nothing() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    crm_fields(&store);
    let ann = contacts::create_contact(
        conn,
        with_values(person("Ann", "Lee"), &[("budget", json!("1200")), ("newsletter", json!("y"))]),
    )
    .unwrap();
    let template = Template::parse(
        "offer",
        "Budget {{ custom.budget }}, newsletter {{ custom.newsletter }}, size {{ custom.size | fallback(\"unknown\") }}.",
    )
    .unwrap();
    assert!(template.unknown_fields().is_empty(), "custom is a known field");
    let fields = Fields::new(&ann, &Sender::default(), "");
    assert_eq!(template.render(&fields).unwrap(), "Budget 1200, newsletter yes, size unknown.");

    let typo = Template::parse("typo", "{{ custom.budgte }}").unwrap();
    assert!(typo.render(&fields).unwrap_err().message.contains("unknown field"), "a misspelt key is an error");
}

#[test]
fn the_json_export_carries_fields_and_values_into_a_new_file() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    crm_fields(&store);
    let ann = contacts::create_contact(
        conn,
        with_values(person("Ann", "Lee"), &[("budget", json!(99.5)), ("hobby", json!("Sailing"))]),
    )
    .unwrap();
    let exported = export_json(conn).unwrap();
    let (_dir2, fresh) = temp_store();
    restore_json(fresh.conn(), &exported).unwrap();
    assert_eq!(list_fields(fresh.conn()).unwrap(), list_fields(conn).unwrap());
    assert_eq!(contacts::get_contact(fresh.conn(), ann.id).unwrap(), ann);
    assert_eq!(contacts::search_contacts(&fresh, "sailing", 0, 5).unwrap().total, 1);
}

#[test]
fn the_json_export_names_every_table_in_the_file() {
    let (_dir, store) = temp_store();
    let exported = export_json(store.conn()).unwrap();
    let tables: Vec<String> = store
        .conn()
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'contacts_fts%' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let missing: Vec<_> = tables.iter().filter(|t| exported["tables"].get(t.as_str()).is_none()).collect();
    assert!(missing.is_empty(), "tables the export leaves out: {missing:?}");
}

mod cli {
    use super::*;
    use common::{rolodeck, stdout};

    #[test]
    fn fields_add_set_show_list_rename_delete() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("fields.db");
        let out = stdout(&rolodeck(&db, &["fields", "add", "Budget", "--kind", "number"]));
        assert_eq!(out.trim(), "added “Budget”; templates say {{ custom.budget }}");
        stdout(&rolodeck(&db, &["fields", "add", "Size", "--kind", "choice", "--option", "S", "--option", "M"]));

        let out =
            stdout(&rolodeck(&db, &["contacts", "add", "--given", "Ann", "--family", "Lee", "--field", "budget=1200"]));
        let id = out.trim().rsplit_once('(').unwrap().1.trim_end_matches(')').to_string();
        let bad = rolodeck(&db, &["contacts", "add", "--given", "Bo", "--field", "Budget=lots"]);
        assert!(!bad.status.success());
        let message = String::from_utf8_lossy(&bad.stderr);
        assert!(message.contains("“Budget” must be a number"), "{message}");

        let out = stdout(&rolodeck(&db, &["fields", "set", "Ann", "size=m"]));
        assert_eq!(out, "Budget: 1200\nSize: M\n");
        let out = stdout(&rolodeck(&db, &["contacts", "show", &id]));
        assert!(out.ends_with("Budget: 1200\nSize: M\n"), "{out}");
        let out = stdout(&rolodeck(&db, &["list", "--field", "Budget>=1000", "--field", "Size=M"]));
        assert!(out.contains("Ann Lee") && out.ends_with("1 contacts match\n"), "{out}");

        stdout(&rolodeck(&db, &["fields", "rename", "budget", "Annual budget"]));
        let out = stdout(&rolodeck(&db, &["fields", "list"]));
        assert_eq!(
            out,
            "Annual budget  (number)  {{ custom.budget }}\nSize  (choice: S, M)  {{ custom.size }}\n2 fields\n"
        );
        assert_eq!(stdout(&rolodeck(&db, &["fields", "delete", "Size"])).trim(), "deleted “Size” and 1 values");

        let store = Store::open(&db).unwrap();
        let ann = contacts::get_contact(store.conn(), id.parse().unwrap()).unwrap();
        assert_eq!(ann.draft.custom, BTreeMap::from([("budget".to_string(), json!(1200))]));
    }
}
