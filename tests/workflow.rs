//! The workflow's rules over a real file, with the clock set by the test.

mod common;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use common::{person, temp_store};
use rolodeck::contacts::{self, Birthday, ContactDraft};
use rolodeck::workflow::activity::{
    ActivityEdit, ActivityKind, NextAction, NextStep, WrapUp, correct_activity, delete_activity, last_contacted,
    log_activity, next_action, record_activity, restore_activity, set_next_action, timeline,
};
use rolodeck::workflow::consent::{Channel, Consent, OptIn, get_consent, set_consent};
use rolodeck::workflow::stage::{Stage, get_stage, in_stage_since, set_stage, stage_history};
use rolodeck::workflow::today::{set_keep_in_touch, set_tag_keep_in_touch, today};

fn at(y: i32, m: u32, d: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 10, 0, 0).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn call(summary: &str, when: chrono::DateTime<Utc>, next: NextStep) -> WrapUp {
    WrapUp { kind: ActivityKind::Call, summary: summary.into(), happened_at: when, next }
}

fn follow_up(text: &str, due_on: NaiveDate) -> NextStep {
    NextStep::Action(NextAction { kind: ActivityKind::Call, text: text.into(), due_on })
}

#[test]
fn every_stage_move_is_recorded_with_its_date() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let ann = contacts::create_contact(conn, person("Ann", "Lee")).unwrap().id;
    assert_eq!(get_stage(conn, ann).unwrap(), Stage::Contact);
    set_stage(conn, ann, Stage::Prospect, at(2026, 3, 1)).unwrap();
    set_stage(conn, ann, Stage::Prospect, at(2026, 3, 5)).unwrap();
    set_stage(conn, ann, Stage::Client, at(2026, 6, 1)).unwrap();
    let history: Vec<_> = stage_history(conn, ann).unwrap().into_iter().map(|c| (c.from, c.to, c.at)).collect();
    assert_eq!(
        history,
        [
            (Some(Stage::Contact), Stage::Prospect, at(2026, 3, 1)),
            (Some(Stage::Prospect), Stage::Client, at(2026, 6, 1))
        ]
    );
    assert_eq!(in_stage_since(conn, ann).unwrap(), at(2026, 6, 1));
    assert_eq!(get_stage(conn, ann).unwrap(), Stage::Client);
}

#[test]
fn a_logged_call_with_a_next_action_shows_up_on_today_when_due() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let ann = contacts::create_contact(conn, person("Ann", "Lee")).unwrap().id;
    log_activity(
        conn,
        ann,
        &call("Left a voicemail", at(2026, 11, 26), follow_up("Call back about the proposal", day(2026, 11, 27))),
    )
    .unwrap();

    assert!(today(conn, day(2026, 11, 26)).unwrap().due_today.is_empty());
    let tomorrow = today(conn, day(2026, 11, 27)).unwrap();
    assert_eq!(tomorrow.due_today.len(), 1);
    assert_eq!(tomorrow.due_today[0].text, "Call back about the proposal");
    assert_eq!(tomorrow.no_next_step_count, 0);
    let later = today(conn, day(2026, 12, 2)).unwrap();
    assert_eq!((later.overdue.len(), later.due_today.len()), (1, 0));
    assert_eq!(timeline(conn, ann).unwrap()[0].summary, "Left a voicemail");
}

#[test]
fn the_wrap_up_is_enforced_and_no_next_step_lands_on_the_list() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let ann = contacts::create_contact(conn, person("Ann", "Lee")).unwrap().id;
    let bo = contacts::create_contact(conn, person("Bo", "Chen")).unwrap().id;
    set_stage(conn, bo, Stage::Stranger, at(2026, 1, 1)).unwrap();

    let err = log_activity(conn, ann, &call(" ", at(2026, 11, 26), follow_up("", day(2026, 11, 20)))).unwrap_err();
    let fields: Vec<_> = err.fields().iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["summary", "next.text", "next.dueOn"]);
    assert!(timeline(conn, ann).unwrap().is_empty(), "nothing half-logged");

    log_activity(conn, ann, &call("Talked", at(2026, 11, 26), follow_up("Send brochure", day(2026, 11, 30)))).unwrap();
    log_activity(conn, ann, &call("Sent it", at(2026, 11, 30), NextStep::NoNextStep)).unwrap();
    assert_eq!(next_action(conn, ann).unwrap(), None);
    let view = today(conn, day(2026, 12, 1)).unwrap();
    assert_eq!(
        view.no_next_step.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        ["Ann Lee"],
        "strangers are not on it"
    );
}

#[test]
fn keep_in_touch_is_due_after_the_cadence_and_any_activity_resets_it() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let ann = contacts::create_contact(conn, person("Ann", "Lee")).unwrap().id;
    set_keep_in_touch(conn, ann, Some(30)).unwrap();
    record_activity(conn, ann, ActivityKind::Meeting, "Lunch", at(2026, 1, 10)).unwrap();
    assert!(today(conn, day(2026, 2, 8)).unwrap().keep_in_touch.is_empty());
    let due = today(conn, day(2026, 2, 9)).unwrap().keep_in_touch;
    assert_eq!((due.len(), due[0].due_on, due[0].every_days), (1, day(2026, 2, 9), 30));
    record_activity(conn, ann, ActivityKind::Email, "Sent article", at(2026, 2, 9)).unwrap();
    assert!(today(conn, day(2026, 2, 10)).unwrap().keep_in_touch.is_empty(), "the email reset the clock");
}

#[test]
fn a_tag_cadence_applies_to_everyone_with_the_tag() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let ann = contacts::create_contact(conn, ContactDraft { tags: vec!["clients".into()], ..person("Ann", "Lee") })
        .unwrap()
        .id;
    contacts::create_contact(conn, person("Bo", "Chen")).unwrap();
    assert_eq!(set_tag_keep_in_touch(conn, "Clients", Some(90)).unwrap(), 1);
    let later = Utc::now().date_naive() + Duration::days(91);
    let due = today(conn, later).unwrap().keep_in_touch;
    assert_eq!(due.iter().map(|k| k.contact_id).collect::<Vec<_>>(), [ann]);
}

#[test]
fn birthdays_this_week_cross_the_new_year_and_know_the_age() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let born = |month, day, year| ContactDraft { birthday: Some(Birthday { year, month, day }), ..person("X", "Y") };
    contacts::create_contact(conn, ContactDraft { given_name: "Newyear".into(), ..born(1, 2, Some(1990)) }).unwrap();
    contacts::create_contact(conn, ContactDraft { given_name: "Eve".into(), ..born(12, 31, None) }).unwrap();
    contacts::create_contact(conn, ContactDraft { given_name: "Later".into(), ..born(1, 10, None) }).unwrap();
    let soon = today(conn, day(2026, 12, 28)).unwrap().birthdays;
    let got: Vec<_> = soon.iter().map(|b| (b.name.as_str(), b.on, b.turns)).collect();
    assert_eq!(got, [("Eve Y", day(2026, 12, 31), None), ("Newyear Y", day(2027, 1, 2), Some(37))]);
}

#[test]
fn consent_flags_block_their_channel_with_a_reason_and_keep_the_opt_in_proof() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let ann = contacts::create_contact(conn, person("Ann", "Lee")).unwrap().id;
    let consent = Consent {
        email_opt_in: Some(OptIn { at: at(2026, 5, 4), source: "seminar sign-up sheet".into() }),
        do_not_mail: true,
        ..Default::default()
    };
    set_consent(conn, ann, &consent).unwrap();
    let saved = get_consent(conn, ann).unwrap();
    assert_eq!(saved, consent);
    assert_eq!(saved.blocked(Channel::Mail, "Ann Lee").as_deref(), Some("Ann Lee is marked do-not-mail"));
    assert_eq!(saved.blocked(Channel::Email, "Ann Lee"), None);
}

#[test]
fn deleting_an_activity_moves_last_contacted_back_keeps_the_next_step_and_can_be_undone() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let ann = contacts::create_contact(conn, person("Ann", "Lee")).unwrap().id;
    log_activity(conn, ann, &call("Intro", at(2026, 3, 1), NextStep::NoNextStep)).unwrap();
    let wrong =
        log_activity(conn, ann, &call("Wrong contact", at(2026, 3, 9), follow_up("Demo", day(2026, 3, 20)))).unwrap();
    assert_eq!(last_contacted(conn, ann).unwrap(), Some(at(2026, 3, 9)));

    let deleted = delete_activity(conn, wrong.id).unwrap();
    assert_eq!(deleted, wrong);
    assert_eq!(last_contacted(conn, ann).unwrap(), Some(at(2026, 3, 1)), "back to the intro call");
    assert_eq!(next_action(conn, ann).unwrap().map(|n| n.text), Some("Demo".into()), "the next step stays");
    assert_eq!(timeline(conn, ann).unwrap().len(), 1);

    restore_activity(conn, &deleted).unwrap();
    assert_eq!(timeline(conn, ann).unwrap()[0], wrong, "undo puts it back as it was");
    assert_eq!(last_contacted(conn, ann).unwrap(), Some(at(2026, 3, 9)));

    for activity in timeline(conn, ann).unwrap() {
        delete_activity(conn, activity.id).unwrap();
    }
    assert_eq!(last_contacted(conn, ann).unwrap(), None, "an empty timeline: never contacted");
    assert_eq!(delete_activity(conn, wrong.id).unwrap_err().kind(), "not_found");
}

#[test]
fn correcting_an_activity_changes_what_was_logged_and_last_contacted_follows_its_time() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let ann = contacts::create_contact(conn, person("Ann", "Lee")).unwrap().id;
    log_activity(conn, ann, &call("Intro", at(2026, 3, 1), NextStep::NoNextStep)).unwrap();
    let typo =
        log_activity(conn, ann, &call("Lunhc", at(2026, 3, 9), follow_up("Send deck", day(2026, 3, 12)))).unwrap();
    let edit = ActivityEdit { kind: ActivityKind::Meeting, summary: " Lunch ".into(), happened_at: at(2026, 2, 20) };
    let fixed = correct_activity(conn, typo.id, &edit).unwrap();
    assert_eq!(
        (fixed.kind, fixed.summary.as_str(), fixed.happened_at),
        (ActivityKind::Meeting, "Lunch", at(2026, 2, 20))
    );
    assert_eq!(last_contacted(conn, ann).unwrap(), Some(at(2026, 3, 1)), "the lunch was earlier after all");
    assert_eq!(next_action(conn, ann).unwrap().map(|n| n.due_on), Some(day(2026, 3, 12)));

    let blank = ActivityEdit { summary: "  ".into(), ..edit.clone() };
    assert_eq!(correct_activity(conn, typo.id, &blank).unwrap_err().fields()[0].field, "summary");
    let purchase = ActivityEdit { kind: ActivityKind::Purchase, ..edit };
    assert_eq!(correct_activity(conn, typo.id, &purchase).unwrap_err().kind(), "invalid");
    assert_eq!(timeline(conn, ann).unwrap()[1], fixed, "refused corrections change nothing");
}

#[test]
fn a_purchase_entry_changes_only_with_its_purchase() {
    use rolodeck::workflow::purchases::{Purchase, add_purchase};
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let ann = contacts::create_contact(conn, person("Ann", "Lee")).unwrap().id;
    let plan = Purchase {
        purchased_on: day(2026, 3, 1),
        item: "Plan".into(),
        amount_cents: 100,
        currency: "USD".into(),
        repeat_after_months: None,
    };
    add_purchase(conn, ann, &plan).unwrap();
    let entry = timeline(conn, ann).unwrap()[0].id;
    let err = delete_activity(conn, entry).unwrap_err().to_string();
    assert!(err.contains("belongs to a purchase"), "{err}");
    assert_eq!(timeline(conn, ann).unwrap().len(), 1);
}

#[test]
fn the_next_step_can_be_set_or_dropped_on_its_own() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let ann = contacts::create_contact(conn, person("Ann", "Lee")).unwrap().id;
    assert_eq!(today(conn, day(2026, 5, 1)).unwrap().no_next_step_count, 1);
    set_next_action(conn, ann, &follow_up("Check in", day(2026, 5, 1))).unwrap();
    let view = today(conn, day(2026, 5, 1)).unwrap();
    assert_eq!((view.due_today.len(), view.no_next_step_count), (1, 0));
    assert!(timeline(conn, ann).unwrap().is_empty(), "setting a next step logs nothing");

    let err = set_next_action(conn, ann, &follow_up(" ", day(2026, 5, 2))).unwrap_err();
    assert_eq!(err.fields()[0].field, "next.text");
    assert_eq!(next_action(conn, ann).unwrap().unwrap().text, "Check in", "a refused step changes nothing");

    set_next_action(conn, ann, &NextStep::NoNextStep).unwrap();
    let view = today(conn, day(2026, 5, 1)).unwrap();
    assert_eq!((view.due_today.len(), view.no_next_step_count), (0, 1));
    assert_eq!(set_next_action(conn, uuid::Uuid::now_v7(), &NextStep::NoNextStep).unwrap_err().kind(), "not_found");
}

#[test]
fn a_follow_up_on_a_blocked_channel_carries_the_reason() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let ids =
        contacts::create_contacts(conn, [person("Ann", "Lee"), person("Bo", "Chen"), person("Cy", "Dee")]).unwrap();
    let due = day(2026, 5, 1);
    let next = |kind| NextStep::Action(NextAction { kind, text: "Follow up".into(), due_on: due });
    set_next_action(conn, ids[0], &next(ActivityKind::Call)).unwrap();
    set_next_action(conn, ids[1], &next(ActivityKind::Letter)).unwrap();
    set_next_action(conn, ids[2], &next(ActivityKind::Meeting)).unwrap();
    let blocked = Consent { do_not_call: true, do_not_mail: true, ..Default::default() };
    for &id in &ids {
        set_consent(conn, id, &blocked).unwrap();
    }
    let reasons: Vec<_> = today(conn, due).unwrap().due_today.into_iter().map(|f| (f.name, f.blocked)).collect();
    assert_eq!(
        reasons,
        [
            ("Bo Chen".to_string(), Some("Bo Chen is marked do-not-mail".to_string())),
            ("Cy Dee".to_string(), None),
            ("Ann Lee".to_string(), Some("Ann Lee is marked do-not-call".to_string())),
        ],
        "a meeting is no call or letter"
    );
    set_consent(conn, ids[0], &Consent::default()).unwrap();
    let ann = today(conn, due).unwrap().due_today.into_iter().find(|f| f.contact_id == ids[0]).unwrap();
    assert_eq!(ann.blocked, None, "lifting the flag lifts the block");
}

#[test]
fn workflow_calls_on_an_unknown_contact_say_not_found() {
    let (_dir, store) = temp_store();
    let nobody = uuid::Uuid::now_v7();
    assert_eq!(get_stage(store.conn(), nobody).unwrap_err().kind(), "not_found");
    assert_eq!(
        record_activity(store.conn(), nobody, ActivityKind::Note, "x", Utc::now()).unwrap_err().kind(),
        "not_found"
    );
}

mod money {
    use super::*;
    use rolodeck::workflow::purchases::{
        Purchase, add_purchase, centers_of_influence, repeat_business_due, rfm, set_referred_by,
    };

    fn bought(item: &str, on: NaiveDate, cents: i64, repeat: Option<u32>) -> Purchase {
        Purchase {
            purchased_on: on,
            item: item.into(),
            amount_cents: cents,
            currency: "USD".into(),
            repeat_after_months: repeat,
        }
    }

    #[test]
    fn rfm_on_a_known_purchase_set() {
        let (_dir, store) = temp_store();
        let conn = store.conn();
        let ann = contacts::create_contact(conn, person("Ann", "Lee")).unwrap().id;
        assert_eq!(rfm(conn, ann, day(2026, 6, 1)).unwrap().frequency, 0);
        add_purchase(conn, ann, &bought("Financial plan", day(2026, 1, 15), 120_000, None)).unwrap();
        add_purchase(conn, ann, &bought("Annual review", day(2026, 4, 1), 35_000, None)).unwrap();
        add_purchase(conn, ann, &bought("Tax prep", day(2026, 5, 2), 25_050, None)).unwrap();
        let r = rfm(conn, ann, day(2026, 6, 1)).unwrap();
        assert_eq!((r.recency_days, r.frequency, r.monetary_cents), (Some(30), 3, 180_050));
        assert_eq!(timeline(conn, ann).unwrap()[0].summary, "Bought Tax prep for $250.50");
    }

    #[test]
    fn a_contacts_business_side_shows_grade_source_referrals_and_purchases() {
        use rolodeck::workflow::lists::set_grade_and_source;
        use rolodeck::workflow::purchases::business;
        let (_dir, store) = temp_store();
        let conn = store.conn();
        let ids = contacts::create_contacts(conn, [person("Ann", "Lee"), person("Bo", "Chen"), person("Cy", "Diaz")])
            .unwrap();
        let (ann, bo, cy) = (ids[0], ids[1], ids[2]);
        set_grade_and_source(conn, ann, Some("b"), "Seminar").unwrap();
        set_referred_by(conn, bo, Some(ann)).unwrap();
        set_referred_by(conn, cy, Some(ann)).unwrap();
        set_referred_by(conn, ann, Some(cy)).unwrap();
        add_purchase(conn, ann, &bought("Plan", day(2026, 1, 15), 90_000, Some(12))).unwrap();
        add_purchase(conn, ann, &bought("Review", day(2026, 3, 1), 10_000, None)).unwrap();

        let b = business(conn, ann, day(2026, 3, 11)).unwrap();
        assert_eq!((b.grade.as_deref(), b.lead_source.as_str()), (Some("B"), "Seminar"));
        assert_eq!(b.referred_by.map(|m| m.name).as_deref(), Some("Cy Diaz"));
        assert_eq!(b.referrals.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(), ["Bo Chen", "Cy Diaz"]);
        assert_eq!(b.purchases.iter().map(|p| p.item.as_str()).collect::<Vec<_>>(), ["Review", "Plan"]);
        assert_eq!((b.rfm.recency_days, b.rfm.frequency, b.rfm.monetary_cents), (Some(10), 2, 100_000));
        contacts::delete_contact(conn, bo).unwrap();
        assert_eq!(business(conn, ann, day(2026, 3, 11)).unwrap().referrals.len(), 1, "the Trash is left out");
    }

    #[test]
    fn centers_of_influence_rank_by_referred_revenue_and_a_new_client_owes_a_thank_you() {
        let (_dir, store) = temp_store();
        let conn = store.conn();
        let ids = contacts::create_contacts(
            conn,
            [
                person("Rita", "Referrer"),
                person("Sam", "Source"),
                person("Ann", "Lee"),
                person("Bo", "Chen"),
                person("Cy", "Dee"),
            ],
        )
        .unwrap();
        let (rita, sam, ann, bo, cy) = (ids[0], ids[1], ids[2], ids[3], ids[4]);
        set_referred_by(conn, ann, Some(rita)).unwrap();
        set_referred_by(conn, bo, Some(sam)).unwrap();
        set_referred_by(conn, cy, Some(sam)).unwrap();
        add_purchase(conn, ann, &bought("Plan", day(2026, 2, 1), 500_000, None)).unwrap();
        add_purchase(conn, bo, &bought("Review", day(2026, 2, 1), 40_000, None)).unwrap();
        assert_eq!(set_referred_by(conn, ann, Some(ann)).unwrap_err().kind(), "invalid");

        let moved = set_stage(conn, ann, Stage::Client, at(2026, 2, 2)).unwrap();
        let thanks = moved.thank_you.expect("Rita is owed a thank-you");
        assert_eq!(thanks.referrer_id, rita);
        let due = today(conn, day(2026, 2, 2)).unwrap().due_today;
        assert_eq!((due[0].name.as_str(), due[0].kind), ("Rita Referrer", ActivityKind::Letter));
        assert!(due[0].text.contains("Ann Lee"), "{}", due[0].text);

        let ranking: Vec<_> = centers_of_influence(conn)
            .unwrap()
            .into_iter()
            .map(|c| (c.name, c.referrals, c.clients, c.referred_revenue_cents))
            .collect();
        assert_eq!(ranking, [("Rita Referrer".to_string(), 1, 1, 500_000), ("Sam Source".to_string(), 2, 0, 40_000)]);
    }

    #[test]
    fn repeat_business_is_due_after_its_months_unless_they_bought_again() {
        let (_dir, store) = temp_store();
        let conn = store.conn();
        let ids = contacts::create_contacts(conn, [person("Ann", "Lee"), person("Bo", "Chen")]).unwrap();
        add_purchase(conn, ids[0], &bought("Boiler service", day(2025, 11, 20), 15_000, Some(12))).unwrap();
        add_purchase(conn, ids[1], &bought("Boiler service", day(2025, 11, 1), 15_000, Some(12))).unwrap();
        add_purchase(conn, ids[1], &bought("Radiator", day(2026, 3, 1), 30_000, None)).unwrap();
        assert!(repeat_business_due(conn, day(2026, 11, 19)).unwrap().is_empty());
        let due = today(conn, day(2026, 11, 20)).unwrap().repeat_business;
        assert_eq!(
            due.iter().map(|d| (d.name.as_str(), d.due_on)).collect::<Vec<_>>(),
            [("Ann Lee", day(2026, 11, 20))]
        );
    }
}

mod smart_lists {
    use super::*;
    use rolodeck::contacts::{Address, Circle};
    use rolodeck::merge::letters::RecipientOrder;
    use rolodeck::merge::recipients::Recipients;
    use rolodeck::workflow::lists::{
        Filter, all_lists, delete_list, get_list, list_matching, save_list, set_grade_and_source,
    };
    use rolodeck::workflow::purchases::{Purchase, add_purchase};

    #[test]
    fn a_five_condition_list_counts_and_lists_exactly_the_matches_and_can_be_saved() {
        let (_dir, store) = temp_store();
        let conn = store.conn();
        let in_city =
            |city: &str| vec![Address { street: "1 Main St".into(), city: city.into(), ..Default::default() }];
        let ids = contacts::create_contacts(
            conn,
            [
                ContactDraft { tags: vec!["golf".into()], addresses: in_city("Portland"), ..person("Ann", "Lee") },
                ContactDraft { tags: vec!["golf".into()], addresses: in_city("Portland"), ..person("Bo", "Chen") },
                ContactDraft { tags: vec!["golf".into()], addresses: in_city("Austin"), ..person("Cy", "Dee") },
                ContactDraft { addresses: in_city("Portland"), circle: Circle::Personal, ..person("Di", "Eve") },
            ],
        )
        .unwrap();
        for &id in &ids {
            set_stage(conn, id, Stage::Prospect, at(2026, 1, 1)).unwrap();
        }
        set_grade_and_source(conn, ids[0], Some("a"), "seminar").unwrap();
        set_grade_and_source(conn, ids[1], Some("B"), "seminar").unwrap();
        assert_eq!(set_grade_and_source(conn, ids[2], Some("Z"), "").unwrap_err().kind(), "invalid");
        add_purchase(
            conn,
            ids[0],
            &Purchase {
                purchased_on: day(2026, 3, 1),
                item: "Plan".into(),
                amount_cents: 90_000,
                currency: "USD".into(),
                repeat_after_months: None,
            },
        )
        .unwrap();

        let filter = Filter {
            stages: vec![Stage::Prospect, Stage::Client],
            circles: vec![Circle::Business],
            tags: vec!["golf".into()],
            city: Some("portland".into()),
            has_next_action: Some(false),
            ..Default::default()
        };
        let page = list_matching(&store, &filter, 0, 10).unwrap();
        assert_eq!(page.total, 2);
        let names: Vec<_> = page.rows.into_iter().map(|r| r.display_name).collect();
        assert_eq!(names, ["Bo Chen", "Ann Lee"]);

        let spenders = Filter {
            grades: vec!["A".into()],
            min_spent_cents: Some(50_000),
            lead_source: Some("Seminar".into()),
            ..filter.clone()
        };
        assert_eq!(list_matching(&store, &spenders, 0, 10).unwrap().total, 1);
        let recent = |since| Filter { bought_since: Some(since), ..Default::default() };
        assert_eq!(list_matching(&store, &recent(day(2026, 2, 1)), 0, 10).unwrap().total, 1, "bought in March");
        assert_eq!(list_matching(&store, &recent(day(2026, 3, 2)), 0, 10).unwrap().total, 0);
        let never_contacted = Filter { last_contacted_before: Some(day(2026, 1, 1)), ..Default::default() };
        assert_eq!(
            list_matching(&store, &never_contacted, 0, 10).unwrap().total,
            3,
            "Ann's purchase in March counts as contact"
        );

        save_list(conn, "Golfing prospects", &filter).unwrap();
        save_list(conn, "golfing prospects", &spenders).unwrap();
        assert_eq!(all_lists(conn).unwrap().len(), 1, "same name (any case) replaces");
        assert_eq!(get_list(conn, "Golfing prospects").unwrap().unwrap().filter, spenders);

        // Words from the search box narrow a list, and a list (saved or not) is a merge's recipients.
        let chen = Filter { text: Some("che".into()), ..filter.clone() };
        let by_filter = Recipients::Filter { filter: Box::new(chen) }.resolve(&store, RecipientOrder::Name).unwrap();
        assert_eq!(by_filter.iter().map(|c| c.display_name.as_str()).collect::<Vec<_>>(), ["Bo Chen"]);
        let by_name = Recipients::List { name: "golfing prospects".into() }.resolve(&store, RecipientOrder::Name);
        assert_eq!(by_name.unwrap().len(), 1);
        assert!(delete_list(conn, "Golfing prospects").unwrap());
        let gone = Recipients::List { name: "Golfing prospects".into() }.resolve(&store, RecipientOrder::Name);
        assert_eq!(gone.unwrap_err().kind(), "not_found");
    }
}
