//! Merging a duplicate into the contact that stays, over a real file: nothing either side held
//! is lost, everything that pointed at the duplicate follows it, and undo puts back every row.

mod common;

use chrono::{NaiveDate, TimeZone, Utc};
use common::{person, temp_store, value};
use rolodeck::contacts::custom::{FieldKind, NewField, create_field};
use rolodeck::contacts::{self, Address, Birthday, ContactDraft, ContactId};
use rolodeck::export::json::export_json;
use rolodeck::mail::outbox::{Attachments, MessageKind, Outgoing, enqueue};
use rolodeck::merge::output::Target;
use rolodeck::merge::run::{MergeOptions, MergeSpec, run_merge};
use rolodeck::merge::runs::run_recipients;
use rolodeck::quality::duplicates::find_duplicates;
use rolodeck::quality::merging::{list_merges, merge_contacts, undo_merge};
use rolodeck::quality::pair::{MergeChoices, MergeField, Side, duplicate_pair};
use rolodeck::workflow::activity::{ActivityKind, record_activity, timeline};
use rolodeck::workflow::consent::{Consent, get_consent, set_consent};
use rolodeck::workflow::links::{company_people, set_company};
use rolodeck::workflow::purchases::{Purchase, add_purchase, set_referred_by};
use rolodeck::workflow::stage::{Stage, get_stage, set_stage, stage_history};
use rusqlite::Connection;
use serde_json::Value;
use std::sync::atomic::AtomicBool;

/// Ann Lee (A) and her duplicate Annie Lee (B), each with a history, and Cy, whom B referred.
struct Pair {
    a: ContactId,
    b: ContactId,
    referred: ContactId,
}

fn seed_pair(conn: &Connection) -> Pair {
    let ids = contacts::create_contacts(
        conn,
        [
            ContactDraft {
                emails: vec![value("work", "ann@lee.example")],
                phones: vec![value("work", "+1 (555) 123-4567")],
                tags: vec!["golf".into()],
                notes: "Met at the fair.".into(),
                ..person("Ann", "Lee")
            },
            ContactDraft {
                company: "Acme".into(),
                emails: vec![value("home", "ANN@lee.example"), value("home", "annie@home.example")],
                phones: vec![value("mobile", "555.123.4567"), value("mobile", "+1 555 999 0000")],
                addresses: vec![Address {
                    street: "1 Main St".into(),
                    city: "Salem".into(),
                    postal_code: "01970".into(),
                    ..Default::default()
                }],
                websites: vec!["annie.example".into()],
                birthday: Some(Birthday { year: Some(1980), month: 5, day: 17 }),
                tags: vec!["Golf".into(), "vip".into()],
                ..person("Annie", "Lee")
            },
            person("Cy", "Referred"),
        ],
    )
    .unwrap();
    let (a, b, referred) = (ids[0], ids[1], ids[2]);
    let at = |day| Utc.with_ymd_and_hms(2026, 3, day, 9, 0, 0).unwrap();
    record_activity(conn, a, ActivityKind::Call, "A's own call", at(1)).unwrap();
    record_activity(conn, b, ActivityKind::Meeting, "Met B", at(2)).unwrap();
    record_activity(conn, b, ActivityKind::Email, "Wrote B", at(3)).unwrap();
    set_stage(conn, b, Stage::Prospect, at(4)).unwrap();
    let purchase = Purchase {
        purchased_on: NaiveDate::from_ymd_opt(2026, 3, 5).unwrap(),
        item: "Plan".into(),
        amount_cents: 50_000,
        currency: "USD".into(),
        repeat_after_months: None,
    };
    add_purchase(conn, b, &purchase).unwrap();
    set_referred_by(conn, referred, Some(b)).unwrap();
    set_consent(conn, b, &Consent { do_not_mail: true, ..Default::default() }).unwrap();
    let message = Outgoing {
        kind: MessageKind::Email,
        contact_id: Some(b),
        from_name: "Me".into(),
        from_address: "me@example.com".into(),
        to_name: "Annie Lee".into(),
        to_address: "annie@home.example".into(),
        subject: "Hello".into(),
        body_text: "Hi".into(),
        body_html: None,
        list_unsubscribe: None,
        message_id: "<m1@example.com>".into(),
    };
    enqueue(conn, &[message], Attachments::None, at(6)).unwrap();
    Pair { a, b, referred }
}

/// How many rows point at `id` in each table that references contacts.
fn rows_of(conn: &Connection, id: ContactId) -> [i64; 6] {
    let count = |sql: &str| conn.query_row(sql, [id.to_string()], |r| r.get(0)).unwrap();
    [
        count("SELECT count(*) FROM contact_emails WHERE contact_id = ?1"),
        count("SELECT count(*) FROM activities WHERE contact_id = ?1"),
        count("SELECT count(*) FROM purchases WHERE contact_id = ?1"),
        count("SELECT count(*) FROM stage_changes WHERE contact_id = ?1"),
        count("SELECT count(*) FROM outbox WHERE contact_id = ?1"),
        count("SELECT count(*) FROM contacts WHERE referred_by = ?1"),
    ]
}

/// Every table of the file except the merge log itself, which an undo adds to.
fn everything_but_merges(conn: &Connection) -> Value {
    let mut document = export_json(conn).unwrap();
    let tables = document["tables"].as_object_mut().unwrap();
    tables.remove("merges");
    tables.remove("merge_moves");
    document
}

#[test]
fn merge_keeps_every_child_row_and_points_everything_at_the_kept_contact() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let Pair { a, b, referred } = seed_pair(conn);
    let (before_a, before_b) = (rows_of(conn, a), rows_of(conn, b));
    assert_eq!(before_b, [2, 3, 1, 1, 1, 1], "B's history as seeded (the purchase is on the timeline too)");

    let record = merge_contacts(conn, a, b, &MergeChoices::new()).unwrap();
    assert_eq!((record.kept_id, record.merged_id, record.moved_rows), (a, b, 7));
    assert_eq!((record.kept_name.as_str(), record.merged_name.as_str()), ("Annie Lee", "Annie Lee"));

    let after_a = rows_of(conn, a);
    assert_eq!(after_a[0], 2, "ann@lee.example once, annie@home.example added");
    for (i, what) in ["activities", "purchases", "stage changes", "outbox", "referrals"].iter().enumerate() {
        assert_eq!(after_a[i + 1], before_a[i + 1] + before_b[i + 1], "{what} all on A");
    }
    assert_eq!(rows_of(conn, b)[1..], [0, 0, 0, 0, 0], "nothing points at B any more");

    let merged = contacts::get_contact(conn, a).unwrap().draft;
    let emails: Vec<&str> = merged.emails.iter().map(|e| e.value.as_str()).collect();
    let phones: Vec<&str> = merged.phones.iter().map(|p| p.value.as_str()).collect();
    assert_eq!(emails, ["ann@lee.example", "annie@home.example"]);
    assert_eq!(phones, ["+1 (555) 123-4567", "+1 555 999 0000"], "the same number in another format once");
    assert_eq!((merged.addresses.len(), merged.websites.len()), (1, 1));
    assert_eq!(merged.tags, ["golf", "vip"], "tags de-duplicated whatever their case");
    // The suggestions: the longer given name, B's company and birthday (A had none), A's notes.
    assert_eq!((merged.given_name.as_str(), merged.company.as_str()), ("Annie", "Acme"));
    assert_eq!(
        (merged.birthday.map(|b| b.to_text()), merged.notes.as_str()),
        (Some("1980-05-17".into()), "Met at the fair.")
    );
    assert_eq!(get_stage(conn, a).unwrap(), Stage::Prospect, "the stage further along");
    assert!(get_consent(conn, a).unwrap().do_not_mail, "a do-not-mail flag is never dropped by default");
    assert_eq!(timeline(conn, a).unwrap().len(), 4);
    assert_eq!(stage_history(conn, a).unwrap().len(), 1);

    let cy: String =
        conn.query_row("SELECT referred_by FROM contacts WHERE id = ?1", [referred.to_string()], |r| r.get(0)).unwrap();
    assert_eq!(cy, a.to_string(), "Cy, referred by B, is now referred by A");
    assert!(contacts::get_contact(conn, b).unwrap().deleted_at.is_some(), "B is in the Trash");
    assert_eq!(contacts::list_trash(conn).unwrap()[0].id, b);
    assert!(find_duplicates(conn).unwrap().is_empty());
    assert_eq!(contacts::search_contacts(&store, "annie", 0, 10).unwrap().total, 1);
    assert_eq!(list_merges(conn).unwrap(), [record]);
}

#[test]
fn undo_puts_back_every_row_of_the_file_exactly() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let Pair { a, b, .. } = seed_pair(conn);
    set_referred_by(conn, a, Some(b)).unwrap(); // A referred by B: the merge clears it, undo restores it
    contacts::trash_contact(conn, contacts::create_contact(conn, person("Old", "Friend")).unwrap().id).unwrap();
    // B holds a custom value A lacks, employs Dee (B stands for a company too), and was printed a label.
    let budget =
        create_field(conn, &NewField { name: "Budget".into(), kind: FieldKind::Number, options: vec![] }).unwrap();
    let mut b_draft = contacts::get_contact(conn, b).unwrap().draft;
    b_draft.custom.insert(budget.key.clone(), 1200.into());
    b_draft.addresses = vec![Address { street: "1 Main St".into(), city: "Springfield".into(), ..Default::default() }];
    contacts::update_contact(conn, b, b_draft).unwrap();
    let at_home = vec![Address { street: "2 Elm St".into(), city: "Springfield".into(), ..Default::default() }];
    let dee = contacts::create_contact(conn, ContactDraft { addresses: at_home, ..person("Dee", "Ng") }).unwrap().id;
    set_company(conn, dee, Some(b)).unwrap();
    let labels = MergeSpec {
        layout: "avery-5160".parse().unwrap(),
        template_name: String::new(),
        template_source: String::new(),
        options: MergeOptions::saved(conn, "avery-5160".parse().unwrap()).unwrap(),
    };
    let pdf = Target::File(_dir.path().join("labels.pdf"));
    // B is do-not-mail, so only Dee's label prints, but the run records both.
    let asked = [contacts::get_contact(conn, dee).unwrap(), contacts::get_contact(conn, b).unwrap()];
    let run = run_merge(conn, &labels, &asked, &pdf, &mut |_, _| {}, &AtomicBool::new(false)).unwrap().run_id;
    let before = everything_but_merges(conn);
    let search_before = contacts::search_contacts(&store, "lee", 0, 10).unwrap().rows;

    let choices = MergeChoices::from([(MergeField::Notes, Side::B), (MergeField::GivenName, Side::A)]);
    let record = merge_contacts(conn, a, b, &choices).unwrap();
    let merged = contacts::get_contact(conn, a).unwrap();
    assert_eq!((merged.draft.given_name.as_str(), merged.draft.notes.as_str()), ("Ann", ""));
    let a_referrer: Option<String> =
        conn.query_row("SELECT referred_by FROM contacts WHERE id = ?1", [a.to_string()], |r| r.get(0)).unwrap();
    assert_eq!(a_referrer, None, "A can't refer itself");
    assert_eq!(merged.draft.custom[&budget.key], 1200, "A takes B's value where it had none");
    assert_eq!(company_people(conn, a).unwrap().iter().map(|m| m.contact_id).collect::<Vec<_>>(), [dee]);
    assert_eq!(run_recipients(conn, run).unwrap(), [Some(dee), Some(a)], "a re-print goes to A");
    assert_ne!(everything_but_merges(conn), before);

    let undone = undo_merge(conn, record.id).unwrap();
    assert!(undone.undone_at.is_some());
    assert_eq!(everything_but_merges(conn), before, "every table, row for row and column for column");
    assert_eq!(contacts::search_contacts(&store, "lee", 0, 10).unwrap().rows, search_before, "and the search index");
    assert_eq!(find_duplicates(conn).unwrap().len(), 1, "the pair is a duplicate again");

    let again = undo_merge(conn, record.id).unwrap_err().to_string();
    assert!(again.contains("already undone"), "{again}");
    assert_eq!(everything_but_merges(conn), before, "a second undo changes nothing");
}

#[test]
fn undo_works_days_later_after_new_activity_and_restores_both_in_order() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let Pair { a, b, .. } = seed_pair(conn);
    let c = contacts::create_contact(conn, person("Ann", "Lee-Smith")).unwrap().id;
    let first = merge_contacts(conn, a, b, &MergeChoices::new()).unwrap();
    let later_call = Utc.with_ymd_and_hms(2026, 4, 1, 9, 0, 0).unwrap();
    let call = record_activity(conn, a, ActivityKind::Call, "After the merge", later_call).unwrap();
    let second = merge_contacts(conn, c, a, &MergeChoices::new()).unwrap();

    let refused = undo_merge(conn, first.id).unwrap_err().to_string();
    assert!(refused.contains(&second.id.to_string()) && refused.contains("undo it first"), "{refused}");
    undo_merge(conn, second.id).unwrap();
    undo_merge(conn, first.id).unwrap();
    let owner: String =
        conn.query_row("SELECT contact_id FROM activities WHERE id = ?1", [call.id.to_string()], |r| r.get(0)).unwrap();
    assert_eq!(owner, a.to_string(), "what happened to A after the merge stays with A");
    assert_eq!(rows_of(conn, b), [2, 3, 1, 1, 1, 1], "B has its own history back");
    assert!(contacts::get_contact(conn, b).unwrap().deleted_at.is_none());
}

#[test]
fn the_side_by_side_shows_both_values_and_suggests_the_filled_one() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let Pair { a, b, .. } = seed_pair(conn);
    let review = duplicate_pair(conn, a, b).unwrap();
    let field = |f: MergeField| review.fields.iter().find(|c| c.field == f).unwrap();
    let company = field(MergeField::Company);
    assert_eq!((company.a.as_str(), company.b.as_str(), company.suggested), ("", "Acme", Side::B));
    let given = field(MergeField::GivenName);
    assert_eq!((given.a.as_str(), given.b.as_str(), given.suggested, given.same), ("Ann", "Annie", Side::B, false));
    assert!(field(MergeField::FamilyName).same);
    assert_eq!(field(MergeField::Notes).suggested, Side::A);
    assert_eq!((field(MergeField::DoNotMail).b.as_str(), field(MergeField::DoNotMail).suggested), ("yes", Side::B));
    assert_eq!(field(MergeField::Stage).b, "prospect");
    assert_eq!(review.lists.emails.len(), 2);
    assert_eq!(review.moving["activities"], 3);
    assert_eq!(review.moving["referrals"], 1);
    let json = serde_json::to_value(&review).unwrap();
    assert_eq!(json["fields"][1]["field"], "givenName", "camelCase for the app");
    assert_eq!(json["fields"][1]["suggested"], "b");
}

#[test]
fn bad_ids_self_merges_and_trashed_contacts_get_clear_errors_and_change_nothing() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let Pair { a, b, .. } = seed_pair(conn);
    let before = export_json(conn).unwrap();
    let nobody = uuid::Uuid::now_v7();
    let none = MergeChoices::new();

    let itself = merge_contacts(conn, a, a, &none).unwrap_err();
    assert_eq!(itself.to_string(), "Ann Lee can’t be merged with itself; pick two different contacts");
    assert_eq!(itself.kind(), "invalid");
    let unknown = merge_contacts(conn, a, nobody, &none).unwrap_err();
    assert_eq!((unknown.kind(), unknown.to_string().contains(&nobody.to_string())), ("not_found", true));
    assert_eq!(duplicate_pair(conn, nobody, a).unwrap_err().kind(), "not_found");
    let unknown_merge = undo_merge(conn, nobody).unwrap_err();
    assert_eq!(unknown_merge.to_string(), format!("no merge with id {nobody}; it may have been deleted for good"));

    // Taking the blank side of the only name-like field each has leaves nothing to call A by.
    let c = contacts::create_contact(conn, ContactDraft { company: "Solo GmbH".into(), ..Default::default() }).unwrap();
    let d = contacts::create_contact(conn, ContactDraft { nickname: "Shorty".into(), ..Default::default() }).unwrap();
    let nameless = MergeChoices::from([(MergeField::Company, Side::B), (MergeField::Nickname, Side::A)]);
    let invalid = merge_contacts(conn, c.id, d.id, &nameless).unwrap_err();
    assert_eq!(invalid.to_string(), "A contact needs a name or a company.");
    contacts::delete_contact(conn, c.id).unwrap();
    contacts::delete_contact(conn, d.id).unwrap();

    contacts::trash_contact(conn, b).unwrap();
    let trashed = merge_contacts(conn, a, b, &none).unwrap_err().to_string();
    assert_eq!(trashed, "Annie Lee is in the Trash; restore it before merging");
    contacts::restore_contact(conn, b).unwrap();
    assert_eq!(export_json(conn).unwrap(), before, "a refused merge writes nothing");
    assert!(list_merges(conn).unwrap().is_empty());
}

#[test]
fn a_merge_whose_duplicate_was_deleted_for_good_says_it_cannot_be_undone() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let Pair { a, b, .. } = seed_pair(conn);
    let record = merge_contacts(conn, a, b, &MergeChoices::new()).unwrap();
    assert_eq!(contacts::empty_trash(conn).unwrap(), 1);
    let kept = export_json(conn).unwrap();
    let message = undo_merge(conn, record.id).unwrap_err().to_string();
    assert_eq!(message, "Annie Lee was deleted for good after the merge, so it can no longer be undone");
    assert_eq!(export_json(conn).unwrap(), kept);
}
