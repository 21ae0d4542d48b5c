//! The full JSON export: everything in one document that restores into an empty file as the
//! very same rows.

mod common;

use chrono::{NaiveDate, TimeZone, Utc};
use common::{person, temp_store, value};
use rolodeck::contacts::{self, Birthday, ContactDraft};
use rolodeck::export::json::{export_json, restore_json};
use rolodeck::import::batch::{OnMatch, apply_import, plan_import, undo_import};
use rolodeck::merge::fields::Sender;
use rolodeck::settings::{SENDER, set_setting};
use rolodeck::workflow::activity::{ActivityKind, NextAction, NextStep, WrapUp, log_activity};
use rolodeck::workflow::consent::{Consent, set_consent};
use rolodeck::workflow::lists::{Filter, save_list};
use rolodeck::workflow::purchases::{Purchase, add_purchase, set_referred_by};
use rolodeck::workflow::stage::{Stage, set_stage};

#[test]
fn everything_round_trips_into_an_empty_file_identically() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let ids = contacts::create_contacts(
        conn,
        [
            ContactDraft {
                emails: vec![value("work", "ann@lee.example")],
                birthday: Some(Birthday { year: None, month: 2, day: 29 }),
                tags: vec!["vip".into()],
                notes: "Line one\nŁine two".into(),
                ..person("Ann", "Lee")
            },
            person("Rita", "Referrer"),
            person("Gone", "Away"),
        ],
    )
    .unwrap();
    let at = Utc.with_ymd_and_hms(2026, 3, 1, 9, 30, 0).unwrap();
    set_referred_by(conn, ids[0], Some(ids[1])).unwrap();
    set_stage(conn, ids[0], Stage::Client, at).unwrap();
    let next = NextAction {
        kind: ActivityKind::Call,
        text: "Review".into(),
        due_on: NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
    };
    log_activity(
        conn,
        ids[0],
        &WrapUp {
            kind: ActivityKind::Meeting,
            summary: "Signed".into(),
            happened_at: at,
            next: NextStep::Action(next),
        },
    )
    .unwrap();
    let plan = Purchase {
        purchased_on: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        item: "Plan".into(),
        amount_cents: 120_000,
        currency: "USD".into(),
        repeat_after_months: Some(12),
    };
    add_purchase(conn, ids[0], &plan).unwrap();
    set_consent(conn, ids[1], &Consent { do_not_mail: true, ..Default::default() }).unwrap();
    contacts::trash_contact(conn, ids[2]).unwrap();
    set_setting(conn, SENDER, &Sender { name: "Me".into(), ..Default::default() }).unwrap();
    save_list(conn, "Clients", &Filter { stages: vec![Stage::Client], ..Default::default() }).unwrap();
    let ivy = plan_import(&store, "ivy.vcf", vec![(person("Ivy", "Import"), vec![])], OnMatch::Merge).unwrap();
    let import = apply_import(conn, &ivy).unwrap();

    let exported = export_json(conn).unwrap();
    let text = serde_json::to_string(&exported).unwrap();

    let (_dir2, fresh) = temp_store();
    assert_eq!(restore_json(fresh.conn(), &serde_json::from_str(&text).unwrap()).unwrap(), 4);
    assert_eq!(export_json(fresh.conn()).unwrap(), exported, "the same rows, column for column");
    assert_eq!(undo_import(fresh.conn(), import.id).unwrap(), 1, "the restored import still knows whom it created");
    assert_eq!(contacts::search_contacts(&fresh, "line", 0, 5).unwrap().total, 1, "search works after the restore");
    assert_eq!(contacts::search_contacts(&fresh, "gone", 0, 5).unwrap().total, 0, "the Trash stays out of search");
    assert_eq!(contacts::get_contact(fresh.conn(), ids[0]).unwrap(), contacts::get_contact(conn, ids[0]).unwrap());

    // Restoring twice, or into a file that has contacts, is refused and changes nothing.
    let again = restore_json(fresh.conn(), &exported).unwrap_err().to_string();
    assert!(again.contains("already holds 3 contacts"), "{again}");
    let other = restore_json(fresh.conn(), &serde_json::json!({"name": "x"})).unwrap_err().to_string();
    assert!(other.contains("not a Rolodeck JSON export"), "{other}");
}

#[test]
fn an_export_from_an_older_rolodeck_restores_and_a_newer_one_is_refused() {
    let (_dir, store) = temp_store();
    let id = contacts::create_contact(store.conn(), person("Ann", "Lee")).unwrap().id;
    let mut older = export_json(store.conn()).unwrap();
    // As an earlier schema wrote it: no images table yet, no merge runs, contacts without a household.
    older["schema"] = serde_json::json!(rolodeck::store::SCHEMA_VERSION - 2);
    let tables = older["tables"].as_object_mut().unwrap();
    tables.remove("images");
    tables.remove("merge_runs");
    tables["contacts"][0].as_object_mut().unwrap().remove("household_id");

    let (_dir2, fresh) = temp_store();
    assert_eq!(restore_json(fresh.conn(), &older).unwrap(), 1);
    assert_eq!(contacts::get_contact(fresh.conn(), id).unwrap(), contacts::get_contact(store.conn(), id).unwrap());
    assert_eq!(contacts::search_contacts(&fresh, "ann", 0, 5).unwrap().total, 1);

    let mut newer = export_json(store.conn()).unwrap();
    newer["schema"] = serde_json::json!(rolodeck::store::SCHEMA_VERSION + 1);
    let (_dir3, empty) = temp_store();
    let refused = restore_json(empty.conn(), &newer).unwrap_err().to_string();
    assert!(refused.contains("newer than this Rolodeck") && refused.contains("update Rolodeck"), "{refused}");
    assert_eq!(contacts::count_contacts(empty.conn()).unwrap(), 0);
}
