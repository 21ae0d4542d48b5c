//! The `rolodeck` binary run for real against a temp file, checked through the core.

mod common;

use common::{rolodeck, stdout};
use std::path::Path;
use std::process::Command;

use rolodeck::{Store, contacts};

#[test]
fn demo_fills_the_file_with_seeded_contacts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = stdout(&rolodeck(&db, &["demo", "--count", "300", "--seed", "3"]));
    assert!(out.starts_with("added 300 demo contacts"), "{out}");
    let store = Store::open(&db).unwrap();
    assert_eq!(contacts::count_contacts(store.conn()).unwrap(), 300);
    let international = contacts::search_contacts(&store, "", 0, 300)
        .unwrap()
        .rows
        .iter()
        .filter(|r| !r.display_name.is_ascii())
        .count();
    assert!(international >= 10, "only {international} non-ASCII names in 300");
}

#[test]
fn add_search_show_trash_restore() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let out = stdout(&rolodeck(
        &db,
        &[
            "contacts",
            "add",
            "--given",
            "Øystein",
            "--family",
            "Bjørnstad",
            "--company",
            "Fjord AS",
            "--email",
            "oy@fjord.example",
            "--email",
            "o@home.example",
            "--phone",
            "+47 22 33 44 55",
            "--tag",
            "vip",
            "--json",
        ],
    ));
    let added: serde_json::Value = serde_json::from_str(&out).unwrap();
    let id = added["id"].as_str().unwrap().to_string();
    assert_eq!(added["emails"].as_array().unwrap().len(), 2);

    let found = stdout(&rolodeck(&db, &["contacts", "search", "oyst", "--json"]));
    let page: serde_json::Value = serde_json::from_str(&found).unwrap();
    assert_eq!(page["total"], 1);
    assert_eq!(page["rows"][0]["id"], id.as_str());

    let shown = stdout(&rolodeck(&db, &["contacts", "show", &id]));
    assert!(shown.contains("\"familyName\": \"Bjørnstad\""), "{shown}");

    let trashed = stdout(&rolodeck(&db, &["contacts", "trash", &id]));
    assert!(trashed.contains("rolodeck contacts restore"), "the message says how to undo: {trashed}");
    assert!(stdout(&rolodeck(&db, &["contacts", "list"])).contains("(0 shown of 0)"));
    stdout(&rolodeck(&db, &["contacts", "restore", &id]));
    assert!(stdout(&rolodeck(&db, &["contacts", "list"])).contains("Øystein Bjørnstad · Fjord AS"));
}

#[cfg(unix)]
#[test]
fn a_reader_that_stops_early_ends_the_listing_quietly() {
    use std::io::{BufRead, BufReader};
    use std::os::unix::process::ExitStatusExt;
    use std::process::{Command, Stdio};

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pipe.db");
    stdout(&rolodeck(&db, &["demo", "--count", "3000"]));
    // As `rolodeck contacts list --limit 3000 | head -1`: read one line, then close the pipe.
    let mut child = Command::new(env!("CARGO_BIN_EXE_rolodeck"))
        .args([
            "--db".as_ref(),
            db.as_os_str(),
            "contacts".as_ref(),
            "list".as_ref(),
            "--limit".as_ref(),
            "3000".as_ref(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(!first.is_empty());
    assert_eq!(out.status.signal(), Some(libc::SIGPIPE), "stopped by the closed pipe, as Unix tools are");
    assert!(out.stderr.is_empty(), "no panic: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn bad_input_gets_a_clear_error_and_a_nonzero_exit() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bad.db");
    let out = rolodeck(&db, &["contacts", "add", "--given", "Ann", "--email", "ann@example"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("rolodeck: “ann@example” isn’t a valid email address"), "{err}");
    assert_eq!(contacts::count_contacts(Store::open(&db).unwrap().conn()).unwrap(), 0);
}

#[test]
fn the_environment_variable_picks_the_file_when_no_flag_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("env.db");
    let out = Command::new(env!("CARGO_BIN_EXE_rolodeck"))
        .args(["demo", "--count", "5"])
        .env("ROLODECK_DB", &db)
        .output()
        .unwrap();
    assert!(stdout(&out).contains(&db.display().to_string()));
    assert_eq!(contacts::count_contacts(Store::open(&db).unwrap().conn()).unwrap(), 5);
}

#[test]
fn a_newer_file_is_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("newer.db");
    rusqlite::Connection::open(&db).unwrap().pragma_update(None, "user_version", 999).unwrap();
    let out = rolodeck(&db, &["contacts", "list"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("newer Rolodeck (schema 999") && err.contains("update Rolodeck to open it"), "{err}");
}

#[test]
fn merge_prints_a_pdf_and_says_who_was_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("merge.db");
    stdout(&rolodeck(&db, &["demo", "--count", "20"]));
    stdout(&rolodeck(
        &db,
        &["contacts", "add", "--given", "Nora", "--family", "Noaddress", "--email", "nora@example.com"],
    ));
    let sender = dir.path().join("sender.json");
    std::fs::write(&sender, r#"{"name": "Ann Lee", "street": "1 Main St", "city": "Springfield", "region": "IL", "postal_code": "62701", "country": "US"}"#).unwrap();
    stdout(&rolodeck(&db, &["sender", "set", sender.to_str().unwrap()]));

    // One of the twenty asked for no post.
    let (quiet, printed) = {
        let store = Store::open(&db).unwrap();
        let rows = contacts::search_contacts(&store, "", 0, 2).unwrap().rows;
        let consent = rolodeck::workflow::consent::Consent { do_not_mail: true, ..Default::default() };
        rolodeck::workflow::consent::set_consent(store.conn(), rows[0].id, &consent).unwrap();
        (rows[0].display_name.clone(), rows[1].id)
    };

    let pdf = dir.path().join("out.pdf");
    let out = stdout(&rolodeck(&db, &["merge", "--template", "prospect-letter", "--out", pdf.to_str().unwrap()]));
    assert!(out.starts_with("19 letters, 2 skipped, 19 pages,"), "{out}");
    assert!(out.contains("skipped Nora Noaddress: no postal address"), "{out}");
    assert!(out.contains(&format!("skipped {quiet}: {quiet} is marked do-not-mail")), "{out}");
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    let timeline = rolodeck::workflow::activity::timeline(Store::open(&db).unwrap().conn(), printed).unwrap();
    assert_eq!(timeline[0].summary, "Letter: prospect-letter", "every letter goes on the recipient's timeline");

    let labels = stdout(&rolodeck(&db, &["merge", "--layout", "avery-5160", "--out", pdf.to_str().unwrap()]));
    assert!(labels.starts_with("19 labels, 2 skipped, 1 pages,"), "{labels}");

    let bad = rolodeck(&db, &["merge", "--template", "no-such-letter", "--out", pdf.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad.stderr)
            .contains("no template “no-such-letter”: use a file or one of prospect-letter")
    );
}

#[test]
fn merge_into_a_folder_then_list_the_runs_and_print_one_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("runs.db");
    stdout(&rolodeck(&db, &["demo", "--count", "3"]));
    let folder = dir.path().join("letters");
    let out = stdout(&rolodeck(&db, &["merge", "--template", "welcome-client", "--out-dir", folder.to_str().unwrap()]));
    assert!(out.starts_with("3 letters, 0 skipped, 3 pages,") && out.trim_end().ends_with("(run 1)"), "{out}");
    let mut files: Vec<String> =
        std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    files.sort();
    assert_eq!(files.iter().map(|f| &f[..5]).collect::<Vec<_>>(), ["0001 ", "0002 ", "0003 "], "{files:?}");
    assert!(files.iter().all(|f| f.ends_with(".pdf") && f.contains(", ")), "{files:?}");

    let again = dir.path().join("again.pdf");
    let out = stdout(&rolodeck(&db, &["merge", "--reprint", "1", "--out", again.to_str().unwrap()]));
    assert!(out.starts_with("3 letters, 0 skipped, 3 pages,") && out.trim_end().ends_with("(run 2)"), "{out}");
    let runs = stdout(&rolodeck(&db, &["merge", "--runs"]));
    let lines: Vec<&str> = runs.lines().collect();
    assert_eq!(lines.len(), 3, "{runs}");
    assert!(lines[0].starts_with("   2  ") && lines[0].ends_with("again.pdf (re-print of 1)"), "{runs}");
    assert!(lines[1].contains("us-window    welcome-client  3 printed, 0 skipped, 3 pages"), "{runs}");

    let nowhere = dir.path().join("never.pdf");
    let nowhere = nowhere.to_str().unwrap();
    let fax = rolodeck(&db, &["merge", "--layout", "fax", "--template", "prospect-letter", "--out", nowhere]);
    assert_eq!(fax.status.code(), Some(2));
    let err = String::from_utf8_lossy(&fax.stderr);
    assert!(err.contains("nothing to print: all 3 were skipped (") && err.contains(": no fax number"), "{err}");
    let missing = rolodeck(&db, &["merge", "--reprint", "9", "--out", nowhere]);
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no merge run with id 9"));
}

#[test]
fn log_today_stage_and_list_from_the_shell() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("workflow.db");
    stdout(&rolodeck(&db, &["contacts", "add", "--given", "Ann", "--family", "Lee", "--tag", "golf"]));
    stdout(&rolodeck(&db, &["contacts", "add", "--given", "Bo", "--family", "Chen", "--tag", "golf"]));

    let refused = rolodeck(&db, &["log", "ann lee", "--summary", "Intro call"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--next TEXT --due YYYY-MM-DD, or --no-next-step"));

    let logged = stdout(&rolodeck(
        &db,
        &["log", "ann lee", "--summary", "Intro call", "--next", "Send brochure", "--due", "2030-01-02"],
    ));
    assert_eq!(logged.trim(), "logged for Ann Lee; next: Send brochure on 2030-01-02");
    let today = stdout(&rolodeck(&db, &["today", "--date", "2030-01-02"]));
    assert!(today.contains("Due today (1)\n  2030-01-02  call     Ann Lee — Send brochure"), "{today}");
    assert!(today.contains("No next step (1)\n  Bo Chen"), "{today}");

    assert!(stdout(&rolodeck(&db, &["stage", "bo", "prospect"])).contains("Bo Chen: contact → prospect"));
    let listed = stdout(&rolodeck(&db, &["list", "--tag", "golf", "--stage", "prospect", "--save", "Golf prospects"]));
    assert!(
        listed.contains("Bo Chen") && !listed.contains("Ann Lee") && listed.ends_with("1 contacts match\n"),
        "{listed}"
    );
    assert!(stdout(&rolodeck(&db, &["list", "--saved", "golf prospects"])).contains("Bo Chen"));

    let ambiguous = rolodeck(&db, &["stage", "golf", "client"]);
    assert!(String::from_utf8_lossy(&ambiguous.stderr).contains("“golf” matches 2 contacts"));
}

#[test]
fn today_shows_why_a_call_is_blocked() {
    use rolodeck::workflow::activity::{ActivityKind, NextAction, NextStep, set_next_action};
    use rolodeck::workflow::consent::{Consent, set_consent};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("today.db");
    {
        let store = Store::open(&db).unwrap();
        let ann = contacts::create_contact(store.conn(), common::person("Ann", "Lee")).unwrap().id;
        let due_on = chrono::NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
        let call = NextAction { kind: ActivityKind::Call, text: "Ask about renewal".into(), due_on };
        set_next_action(store.conn(), ann, &NextStep::Action(call)).unwrap();
        set_consent(store.conn(), ann, &Consent { do_not_call: true, ..Default::default() }).unwrap();
    }
    let out = stdout(&rolodeck(&db, &["today", "--date", "2026-05-01"]));
    assert!(out.contains("call     Ann Lee — Ask about renewal  [blocked: Ann Lee is marked do-not-call]"), "{out}");
}

#[test]
fn duplicates_compare_merge_and_undo_from_the_shell() {
    use rolodeck::contacts::{ContactDraft, LabeledValue};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dupes.db");
    let (a, b) = {
        let store = Store::open(&db).unwrap();
        let email = |v: &str| vec![LabeledValue { value: v.into(), ..Default::default() }];
        let ids = contacts::create_contacts(
            store.conn(),
            [
                ContactDraft {
                    given_name: "Jon".into(),
                    family_name: "Smith".into(),
                    emails: email("jon@acme.example"),
                    ..Default::default()
                },
                ContactDraft {
                    given_name: "Jonathan".into(),
                    family_name: "Smith".into(),
                    company: "Acme".into(),
                    emails: email("JON@acme.example"),
                    ..Default::default()
                },
            ],
        )
        .unwrap();
        (ids[0].to_string(), ids[1].to_string())
    };
    let listed = stdout(&rolodeck(&db, &["duplicates"]));
    assert!(
        listed.contains("same email jon@acme.example") && listed.ends_with("1 likely duplicate pairs\n"),
        "{listed}"
    );
    let compared = stdout(&rolodeck(&db, &["duplicates", "compare", &a, &b]));
    let given = compared.lines().find(|l| l.starts_with("Given name")).unwrap();
    assert!(given.contains("Jon") && given.contains("Jonathan") && given.ends_with(" b"), "{compared}");
    assert!(compared.contains("kept together: 1 emails"), "{compared}");

    for (args, message) in [
        (vec!["duplicates", "merge", &a, &a], "rolodeck: Jon Smith can’t be merged with itself"),
        (vec!["duplicates", "merge", &a, &b, "--take", "shoe=b"], "rolodeck: “shoe” is no field a merge chooses"),
        (vec!["duplicates", "merge", &a, &b, "--take", "company"], "rolodeck: “--take company” needs a side"),
        (vec!["duplicates", "merge", &a, "not-an-id"], "invalid value 'not-an-id'"),
    ] {
        let out = rolodeck(&db, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(message),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    let merged =
        stdout(&rolodeck(&db, &["duplicates", "merge", &a, &b, "--take", "given-name=a", "--take", "company=a"]));
    assert!(merged.starts_with("merged Jonathan Smith into Jon Smith: 0 rows moved"), "{merged}");
    let store = Store::open(&db).unwrap();
    let kept = contacts::get_contact(store.conn(), a.parse().unwrap()).unwrap();
    assert_eq!(
        (kept.draft.given_name.as_str(), kept.draft.company.as_str()),
        ("Jon", ""),
        "--take a wins over a value"
    );
    assert_eq!(contacts::count_contacts(store.conn()).unwrap(), 1);

    let merge_id = merged.trim_end().rsplit(' ').next().unwrap().trim_end_matches(')').to_string();
    assert!(stdout(&rolodeck(&db, &["duplicates", "merges"])).contains(&merge_id));
    let undone = stdout(&rolodeck(&db, &["duplicates", "undo", &merge_id]));
    assert!(undone.contains("are back as they were"), "{undone}");
    assert_eq!(contacts::count_contacts(store.conn()).unwrap(), 2);
    let again = rolodeck(&db, &["duplicates", "undo", &merge_id]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("already undone"));
}

#[test]
fn sender_image_sets_and_removes_the_logo_and_keeps_it_through_sender_set() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("images.db");
    let fixture = |name: &str| Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/images").join(name);
    let out = stdout(&rolodeck(&db, &["sender", "image", "logo", fixture("logo.jpg").to_str().unwrap()]));
    assert_eq!(out, "saved the logo: 400 × 160 pixels, image/jpeg\n");
    let logo = rolodeck::merge::fields::saved_sender(Store::open(&db).unwrap().conn()).unwrap().logo;
    assert!(logo.is_some());

    // Details set from a file that doesn't name the logo leave it in place.
    let details = dir.path().join("me.json");
    std::fs::write(&details, r#"{"name": "Ann Lee"}"#).unwrap();
    stdout(&rolodeck(&db, &["sender", "set", details.to_str().unwrap()]));
    let saved = rolodeck::merge::fields::saved_sender(Store::open(&db).unwrap().conn()).unwrap();
    assert_eq!((saved.name.as_str(), saved.logo), ("Ann Lee", logo));

    let bad = rolodeck(&db, &["sender", "image", "signature", details.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("me.json is not a PNG or JPEG image"), "{bad:?}");

    assert_eq!(stdout(&rolodeck(&db, &["sender", "image", "logo", "--remove"])), "removed the logo\n");
    assert_eq!(rolodeck::merge::fields::saved_sender(Store::open(&db).unwrap().conn()).unwrap().logo, None);
}

#[test]
fn import_previews_then_writes_a_csv_in_one_pass_and_undoes_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("import.db");
    let csv = dir.path().join("people.csv");
    std::fs::write(&csv, "First Name,Last Name,E-mail\nAnn,Lee,ann@lee.example\n,,\nBo,Chan,bo@chan.example\nAnnie,Lee,ANN@lee.example\n")
        .unwrap();
    let file = csv.to_str().unwrap();

    let dry = stdout(&rolodeck(&db, &["import", file, "--dry-run"]));
    assert!(dry.contains("   1  new      Ann Lee") && dry.contains("   3  skip     Annie Lee: same email"), "{dry}");
    assert!(dry.contains("row 3: nothing to import; skipped"), "{dry}");
    assert!(dry.contains("dry run: 2 new, 0 to merge, 1 to skip; nothing written"), "{dry}");
    assert_eq!(contacts::count_contacts(Store::open(&db).unwrap().conn()).unwrap(), 0);

    let out = stdout(&rolodeck(&db, &["import", file]));
    assert!(out.contains("   2  new      Bo Chan") && out.contains("row 3: nothing to import; skipped"), "{out}");
    assert!(out.contains("imported people.csv: 2 new, 0 merged, 1 skipped"), "{out}");
    assert_eq!(contacts::count_contacts(Store::open(&db).unwrap().conn()).unwrap(), 2);
    let again = stdout(&rolodeck(&db, &["import", file]));
    assert!(again.contains("imported people.csv: 0 new, 0 merged, 3 skipped"), "{again}");

    let id = out.rsplit("--undo ").next().unwrap().trim_end_matches([')', '\n']);
    let undone = stdout(&rolodeck(&db, &["import", "--undo", id]));
    assert!(undone.contains("2 contacts put back"), "{undone}");
    assert_eq!(contacts::count_contacts(Store::open(&db).unwrap().conn()).unwrap(), 0);
}
