//! Imports as undoable batches over a real file: preview first, no duplicates on a second
//! run, merges that add without overwriting, and undo that restores the exact prior state;
//! and the one-pass import of the CLI, which plans while it writes.

mod common;

use common::{person, temp_store, value};
use rolodeck::contacts::{self, ContactDraft};
use rolodeck::import::batch::{Action, OnMatch, apply_import, list_imports, plan_import, undo_import};
use rolodeck::import::import_file;
use rolodeck::import::vcard::parse_vcards;
use rolodeck::{Store, export};

const CLIENTS: &[u8] = include_bytes!("fixtures/clients.vcf");

fn cards(bytes: &[u8]) -> Vec<(ContactDraft, Vec<String>)> {
    parse_vcards(bytes).unwrap().into_iter().map(|c| (c.draft, c.warnings)).collect()
}

fn everyone(store: &Store) -> Vec<rolodeck::contacts::Contact> {
    let rows = contacts::search_contacts(store, "", 0, 1000).unwrap().rows;
    rows.iter().map(|r| contacts::get_contact(store.conn(), r.id).unwrap()).collect()
}

#[test]
fn a_preview_writes_nothing_and_names_duplicates_inside_the_file() {
    let (_dir, store) = temp_store();
    let plan = plan_import(&store, "clients.vcf", cards(CLIENTS), OnMatch::Merge).unwrap();
    assert_eq!((plan.creates, plan.merges, plan.skips), (3, 0, 1));
    match &plan.rows[2].action {
        Action::Skip { reason } => assert_eq!(reason, "same email ANN@lee.example as row 2 of this file"),
        other => panic!("{other:?}"),
    }
    assert_eq!(contacts::count_contacts(store.conn()).unwrap(), 0);
}

#[test]
fn importing_the_same_file_twice_adds_nothing() {
    let (_dir, store) = temp_store();
    apply_import(store.conn(), &plan_import(&store, "clients.vcf", cards(CLIENTS), OnMatch::Merge).unwrap()).unwrap();
    let first = everyone(&store);
    assert_eq!(first.len(), 3);
    let again = plan_import(&store, "clients.vcf", cards(CLIENTS), OnMatch::Merge).unwrap();
    assert_eq!((again.creates, again.merges, again.skips), (0, 0, 4));
    apply_import(store.conn(), &again).unwrap();
    assert_eq!(everyone(&store), first);
}

#[test]
fn a_matching_card_merges_into_the_contact_and_undo_restores_it_exactly() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let ann = contacts::create_contact(
        conn,
        ContactDraft {
            company: "Lee & Co".into(),
            phones: vec![value("work", "555.123.4567")],
            notes: "Met at the fair.".into(),
            ..person("Ann", "Lee")
        },
    )
    .unwrap();
    let before = everyone(&store);

    let plan = plan_import(&store, "clients.vcf", cards(CLIENTS), OnMatch::Merge).unwrap();
    match &plan.rows[1].action {
        Action::Merge { into, reason, .. } => {
            assert_eq!((*into, reason.as_str()), (ann.id, "same phone +1 (555) 123-4567"))
        }
        other => panic!("{other:?}"),
    }
    let batch = apply_import(conn, &plan).unwrap();
    assert_eq!((batch.created, batch.merged), (2, 1));
    let merged = contacts::get_contact(conn, ann.id).unwrap();
    assert_eq!(merged.draft.company, "Lee & Co", "nothing is overwritten");
    assert_eq!(merged.draft.emails[0].value, "ann@lee.example");
    assert_eq!(merged.draft.notes, "Met at the fair.\n\nPrefers email.");
    assert_eq!(contacts::search_contacts(&store, "lukasz", 0, 10).unwrap().total, 1);

    assert_eq!(undo_import(conn, batch.id).unwrap(), 3);
    assert_eq!(everyone(&store), before, "undo puts back the exact previous state");
    assert_eq!(contacts::search_contacts(&store, "lukasz", 0, 10).unwrap().total, 0, "the index forgets them too");
    assert_eq!(contacts::search_contacts(&store, "prefers", 0, 10).unwrap().total, 0);
    assert!(list_imports(conn).unwrap()[0].undone_at.is_some());
    assert_eq!(undo_import(conn, batch.id).unwrap(), 0, "undoing twice does nothing");
}

#[test]
fn skip_mode_leaves_existing_contacts_alone() {
    let (_dir, store) = temp_store();
    contacts::create_contact(
        store.conn(),
        ContactDraft { emails: vec![value("", "zoe@dubois.example")], ..person("Zoe", "Dubois") },
    )
    .unwrap();
    let plan = plan_import(&store, "clients.vcf", cards(CLIENTS), OnMatch::Skip).unwrap();
    assert!(matches!(&plan.rows[3].action, Action::Skip { reason } if reason.contains("already in Rolodeck")));
}

#[test]
fn a_vcard_export_re_imports_into_an_empty_file_identically() {
    let (_dir, store) = temp_store();
    apply_import(store.conn(), &plan_import(&store, "clients.vcf", cards(CLIENTS), OnMatch::Merge).unwrap()).unwrap();
    let drafts: Vec<ContactDraft> = everyone(&store).into_iter().map(|c| c.draft).collect();
    let exported = export::vcard::write_vcards(&drafts);

    let (_dir2, fresh) = temp_store();
    let plan = plan_import(&fresh, "export.vcf", cards(exported.as_bytes()), OnMatch::Merge).unwrap();
    apply_import(fresh.conn(), &plan).unwrap();
    let again: Vec<ContactDraft> = everyone(&fresh).into_iter().map(|c| c.draft).collect();
    assert_eq!(again, drafts);
}

#[test]
fn a_file_that_is_not_a_vcard_is_refused_with_its_line() {
    let err = parse_vcards(b"name,email\nAnn,ann@example.com\n").unwrap_err();
    let message = rolodeck::Error::from(err).to_string();
    assert!(message.starts_with("line 1:") && message.contains("is this a vCard"), "{message}");
}

#[test]
fn a_big_import_reports_progress_and_a_cancel_writes_nothing() {
    use rolodeck::import::batch::apply_import_with;
    use std::sync::atomic::{AtomicBool, Ordering};
    let (_dir, store) = temp_store();
    let rows = (0..2_500).map(|i| {
        (
            ContactDraft { emails: vec![value("work", &format!("p{i}@x.example"))], ..person("P", &format!("N{i}")) },
            vec![],
        )
    });
    let plan = plan_import(&store, "big.csv", rows.collect(), OnMatch::Merge).unwrap();
    assert_eq!(plan.creates, 2_500);

    let cancel = AtomicBool::new(false);
    let mut seen = Vec::new();
    let err = apply_import_with(
        store.conn(),
        &plan,
        &mut |done, total| {
            seen.push((done, total));
            cancel.store(true, Ordering::Relaxed); // the user presses Cancel after the first chunk
        },
        &cancel,
    )
    .unwrap_err();
    assert_eq!((err.kind(), seen), ("cancelled", vec![(1_000, 2_500)]));
    assert_eq!(contacts::count_contacts(store.conn()).unwrap(), 0, "nothing was written");
    assert!(list_imports(store.conn()).unwrap().is_empty(), "and no batch recorded");

    let mut last = (0, 0);
    let batch = apply_import_with(store.conn(), &plan, &mut |d, t| last = (d, t), &AtomicBool::new(false)).unwrap();
    assert_eq!((batch.created, last), (2_500, (2_500, 2_500)));
}

#[test]
fn a_one_pass_import_plans_as_the_preview_does_and_undoes_alike() {
    let (dir, store) = temp_store();
    let conn = store.conn();
    let ann = ContactDraft { phones: vec![value("work", "555.123.4567")], ..person("Ann", "Lee") };
    contacts::create_contact(conn, ann).unwrap();
    let before = everyone(&store);
    let preview = plan_import(&store, "clients.vcf", cards(CLIENTS), OnMatch::Merge).unwrap();
    let path = dir.path().join("clients.vcf");
    std::fs::write(&path, CLIENTS).unwrap();

    let mut seen = Vec::new();
    let (batch, warnings) = import_file(&store, &path, OnMatch::Merge, |row| seen.push(row.action.clone())).unwrap();
    assert_eq!(seen, preview.rows.iter().map(|r| r.action.clone()).collect::<Vec<_>>(), "the same plan, row by row");
    let counts = (batch.created, batch.merged, batch.skipped, batch.source.as_str());
    assert_eq!(counts, (preview.creates, preview.merges, preview.skips, "clients.vcf"));
    assert_eq!((counts.0, counts.1, warnings.len()), (2, 1, 0));
    assert_eq!(contacts::count_contacts(conn).unwrap(), 3);
    assert_eq!(list_imports(conn).unwrap()[0].created, 2, "the stored batch has its counts");

    let (again, _) = import_file(&store, &path, OnMatch::Merge, |_| {}).unwrap();
    assert_eq!((again.created, again.merged, again.skipped), (0, 0, 4), "a second run adds nothing");
    assert_eq!(undo_import(conn, batch.id).unwrap(), 3);
    assert_eq!(everyone(&store), before, "undo puts back the exact previous state");
}

#[test]
fn undo_still_removes_what_an_import_made_before_created_ids_created() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let batch =
        apply_import(conn, &plan_import(&store, "clients.vcf", cards(CLIENTS), OnMatch::Merge).unwrap()).unwrap();
    // Put the record back as earlier versions wrote it: a row per created contact.
    let import = batch.id.to_string();
    let ids: Vec<u8> =
        conn.query_row("SELECT created_ids FROM imports WHERE id = ?1", [&import], |r| r.get(0)).unwrap();
    for (position, id) in ids.chunks(16).enumerate() {
        let id = uuid::Uuid::from_slice(id).unwrap().to_string();
        let sql = "INSERT INTO import_changes (import_id, position, contact_id) VALUES (?1, ?2, ?3)";
        conn.execute(sql, rusqlite::params![import, position as i64, id]).unwrap();
    }
    conn.execute("UPDATE imports SET created_ids = x''", []).unwrap();
    assert_eq!(undo_import(conn, batch.id).unwrap(), 3);
    assert_eq!(contacts::count_contacts(conn).unwrap(), 0);
}

#[test]
fn undo_passes_over_a_created_contact_already_emptied_from_the_trash() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let batch =
        apply_import(conn, &plan_import(&store, "clients.vcf", cards(CLIENTS), OnMatch::Merge).unwrap()).unwrap();
    let gone = everyone(&store)[0].id;
    contacts::trash_contact(conn, gone).unwrap();
    assert_eq!(contacts::empty_trash(conn).unwrap(), 1);
    assert_eq!(undo_import(conn, batch.id).unwrap(), 3);
    assert_eq!(contacts::count_contacts(conn).unwrap(), 0, "the other two went");
    assert!(contacts::get_contact(conn, gone).is_err());
}
