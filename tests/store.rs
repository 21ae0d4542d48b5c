//! Opening files: pragmas, migrations, and refusing files this build must not touch.

mod common;

use rolodeck::{Store, store::SCHEMA_VERSION};
use rusqlite::Connection;

#[test]
fn a_new_file_is_migrated_and_crash_safe() {
    let (dir, store) = common::temp_store();
    let conn = store.conn();
    let pragma =
        |name: &str| conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get::<_, rusqlite::types::Value>(0)).unwrap();
    assert_eq!(pragma("user_version"), rusqlite::types::Value::Integer(SCHEMA_VERSION));
    assert_eq!(pragma("journal_mode"), rusqlite::types::Value::Text("wal".into()));
    assert_eq!(pragma("synchronous"), rusqlite::types::Value::Integer(2), "synchronous=FULL");
    assert_eq!(pragma("foreign_keys"), rusqlite::types::Value::Integer(1));
    assert_eq!(pragma("page_size"), rusqlite::types::Value::Integer(16_384));
    assert!(dir.path().join("contacts.db").exists());
}

#[test]
fn a_file_with_small_pages_keeps_them_and_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(
        "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE keep (x); INSERT INTO keep VALUES (1);",
    )
    .unwrap();
    drop(conn);

    let store = Store::open(&path).unwrap();
    let conn = store.conn();
    assert_eq!(conn.query_row("PRAGMA page_size", [], |r| r.get::<_, i64>(0)).unwrap(), 4096);
    assert_eq!(conn.query_row("SELECT x FROM keep", [], |r| r.get::<_, i64>(0)).unwrap(), 1);
    rolodeck::contacts::create_contact(conn, common::person("Ann", "Lee")).unwrap();
}

#[test]
fn reopening_a_migrated_file_keeps_its_data() {
    let (dir, store) = common::temp_store();
    rolodeck::contacts::create_contact(store.conn(), common::person("Ann", "Lee")).unwrap();
    drop(store);
    let store = Store::open(dir.path().join("contacts.db")).unwrap();
    assert_eq!(rolodeck::contacts::count_contacts(store.conn()).unwrap(), 1);
}

#[test]
fn a_file_with_the_old_search_index_gets_the_lean_one_and_still_finds_everyone() {
    let (dir, store) = common::temp_store();
    rolodeck::contacts::create_contact(store.conn(), common::person("Łukasz", "Nowak")).unwrap();
    // Put the file back as schema 13 left it: the index with positions and three prefix indexes,
    // and no record of created ids on imports.
    store
        .conn()
        .execute_batch(
            "DROP TABLE contacts_fts;
             CREATE VIRTUAL TABLE contacts_fts USING fts5 (search_text, content = 'contacts', content_rowid = 'seq',
                 tokenize = 'unicode61 remove_diacritics 0', prefix = '1 2 3');
             INSERT INTO contacts_fts (contacts_fts) VALUES ('rebuild');
             ALTER TABLE imports DROP COLUMN created_ids;
             PRAGMA user_version = 13;",
        )
        .unwrap();
    drop(store);

    let store = Store::open(dir.path().join("contacts.db")).unwrap();
    let conn = store.conn();
    let sql: String =
        conn.query_row("SELECT sql FROM sqlite_master WHERE name = 'contacts_fts'", [], |r| r.get(0)).unwrap();
    assert!(sql.contains("detail = none") && sql.contains("prefix = '1'"), "{sql}");
    conn.execute("INSERT INTO contacts_fts (contacts_fts) VALUES ('integrity-check')", []).unwrap();
    let automerge: i64 =
        conn.query_row("SELECT v FROM contacts_fts_config WHERE k = 'automerge'", [], |r| r.get(0)).unwrap();
    assert_eq!(automerge, 8, "a big import merges index segments half as often");
    for query in ["l", "luk", "nowak", "Łukasz N"] {
        let found = rolodeck::contacts::search_contacts(&store, query, 0, 5).unwrap();
        assert_eq!(found.total, 1, "{query}");
    }
}

#[test]
fn a_file_from_a_newer_rolodeck_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.db");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE future (x); INSERT INTO future VALUES (42);").unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
    drop(conn);

    let err = Store::open(&path).err().expect("newer schema must be refused");
    let message = err.to_string();
    assert!(message.contains("newer Rolodeck"), "{message}");
    assert!(message.contains(&format!("schema {}", SCHEMA_VERSION + 1)), "{message}");
    assert!(message.contains("update Rolodeck"), "{message}");

    let conn = Connection::open(&path).unwrap();
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    let tables: i64 =
        conn.query_row("SELECT count(*) FROM sqlite_master WHERE name = 'contacts'", [], |r| r.get(0)).unwrap();
    assert_eq!((version, tables), (SCHEMA_VERSION + 1, 0), "the newer file was not touched");
}

#[test]
fn a_file_that_is_not_a_database_gets_a_clear_error_and_keeps_its_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.db");
    let bytes = b"Dear diary, this is not SQLite. ".repeat(200);
    std::fs::write(&path, &bytes).unwrap();
    let message = Store::open(&path).err().expect("must fail").to_string();
    assert!(message.contains("notes.db") && message.contains("not a database"), "{message}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[test]
fn settings_round_trip_and_survive_reopening() {
    use rolodeck::merge::fields::Sender;
    use rolodeck::settings::{SENDER, get_setting, set_setting};
    let (dir, store) = common::temp_store();
    assert_eq!(get_setting::<Sender>(store.conn(), SENDER).unwrap(), None);
    let sender = Sender { name: "Ann Lee".into(), city: "Kraków".into(), ..Default::default() };
    set_setting(store.conn(), SENDER, &sender).unwrap();
    set_setting(store.conn(), SENDER, &sender).unwrap();
    drop(store);
    let store = Store::open(dir.path().join("contacts.db")).unwrap();
    assert_eq!(get_setting::<Sender>(store.conn(), SENDER).unwrap(), Some(sender));
}

#[test]
fn a_file_with_trashed_contacts_passes_the_check_when_reopened() {
    // Trashed contacts leave the search index on purpose; the open-time check must accept that.
    let (dir, store) = common::temp_store();
    let ids =
        rolodeck::contacts::create_contacts(store.conn(), [common::person("Ann", "Lee"), common::person("Bo", "Chen")])
            .unwrap();
    rolodeck::contacts::trash_contact(store.conn(), ids[0]).unwrap();
    drop(store);
    let store = Store::open(dir.path().join("contacts.db")).unwrap();
    assert_eq!(rolodeck::contacts::count_contacts(store.conn()).unwrap(), 1);
}

#[test]
fn a_backup_restores_the_exact_contacts_and_keeps_the_replaced_file() {
    use rolodeck::contacts;
    use rolodeck::store::backup::{backup_to, list_backups, restore_backup, rotate_backups};
    let (dir, store) = common::temp_store();
    let db = dir.path().join("contacts.db");
    let ann = contacts::create_contact(store.conn(), common::person("Ann", "Lee")).unwrap();
    let backup = dir.path().join("copy.db");
    backup_to(&store, &backup).unwrap();
    contacts::create_contact(store.conn(), common::person("Bo", "Chen")).unwrap();
    drop(store);

    let kept = restore_backup(&backup, &db).unwrap();
    let store = Store::open(&db).unwrap();
    assert_eq!(contacts::count_contacts(store.conn()).unwrap(), 1);
    assert_eq!(contacts::get_contact(store.conn(), ann.id).unwrap(), ann);
    assert_eq!(
        contacts::count_contacts(Store::open(&kept).unwrap().conn()).unwrap(),
        2,
        "the replaced file is kept whole"
    );

    // Rotation: one new backup per interval, only the newest few kept.
    assert!(rotate_backups(&store, 2, 24).unwrap().is_some());
    assert!(rotate_backups(&store, 2, 24).unwrap().is_none(), "the last one is fresh");
    for _ in 0..3 {
        rotate_backups(&store, 2, 0).unwrap();
    }
    assert_eq!(list_backups(&dir.path().join("backups"), "contacts").unwrap().len(), 2);
}

#[test]
fn a_damaged_backup_is_refused_before_anything_is_replaced() {
    use rolodeck::store::backup::restore_backup;
    let (dir, store) = common::temp_store();
    rolodeck::contacts::create_contact(store.conn(), common::person("Ann", "Lee")).unwrap();
    drop(store);
    let bad = dir.path().join("bad.db");
    std::fs::write(&bad, b"this is not a backup at all, just words ".repeat(50)).unwrap();
    assert!(restore_backup(&bad, &dir.path().join("contacts.db")).is_err());
    let store = Store::open(dir.path().join("contacts.db")).unwrap();
    assert_eq!(rolodeck::contacts::count_contacts(store.conn()).unwrap(), 1);
}
