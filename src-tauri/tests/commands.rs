//! The commands called as the window calls them, through tauri's IPC on the mock runtime, over
//! a real database file.

#[path = "../../tests/common/smtp.rs"]
mod smtp;

use rolodeck_app::AppState;
use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, mock_builder};
use tauri::webview::{InvokeRequest, WebviewWindow, WebviewWindowBuilder};

struct App {
    _dir: tempfile::TempDir,
    _app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
}

fn app_on(path: std::path::PathBuf, dir: tempfile::TempDir) -> App {
    let app = rolodeck_app::setup(mock_builder())
        .manage(AppState::open(path))
        .build(tauri::generate_context!())
        .expect("build the mock app");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("window");
    App { _dir: dir, _app: app, window }
}

fn app() -> App {
    let dir = tempfile::tempdir().unwrap();
    app_on(dir.path().join("app.db"), dir)
}

impl App {
    /// Invokes `cmd` with camelCase `args`, as `api.js` does; `Err` holds the rejection.
    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        tauri::test::get_ipc_response(&self.window, request).map(|body| body.deserialize::<Value>().unwrap())
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args).unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }
}

fn draft() -> Value {
    json!({
        "givenName": "Łukasz", "familyName": "Wróbel", "company": "Acme",
        "emails": [{"label": "work", "value": "lukasz@acme.example", "primary": true},
                   {"label": "home", "value": "luke@mail.example", "primary": false}],
        "birthday": {"year": null, "month": 5, "day": 17},
        "circle": "both", "tags": ["vip"]
    })
}

#[test]
fn create_find_edit_trash_and_restore_through_ipc() {
    let app = app();
    let created = app.ok("create_contact", json!({ "draft": draft() }));
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(created["displayName"], "Łukasz Wróbel");
    assert_eq!(created["emails"].as_array().unwrap().len(), 2);
    assert_eq!(created["birthday"], json!({"year": null, "month": 5, "day": 17}));

    let page = app.ok("search_contacts", json!({ "query": "lukasz", "offset": 0, "limit": 50 }));
    assert_eq!(page["total"], 1);
    assert_eq!(page["rows"][0]["id"], id.as_str());
    assert_eq!(page["rows"][0]["primaryEmail"], "lukasz@acme.example");

    let mut edited = draft();
    edited["familyName"] = json!("Nowak");
    let updated = app.ok("update_contact", json!({ "id": id, "draft": edited }));
    assert_eq!(updated["displayName"], "Łukasz Nowak");
    assert_eq!(app.ok("get_contact", json!({ "id": id }))["familyName"], "Nowak");

    app.ok("trash_contact", json!({ "id": id }));
    assert_eq!(app.ok("search_contacts", json!({ "query": "", "offset": 0, "limit": 50 }))["total"], 0);
    assert_eq!(app.ok("list_trash", json!({}))[0]["id"], id.as_str());
    let info = app.ok("app_info", json!({}));
    assert_eq!((info["contactCount"].clone(), info["trashCount"].clone()), (json!(0), json!(1)));

    app.ok("restore_contact", json!({ "id": id }));
    assert_eq!(app.ok("app_info", json!({}))["contactCount"], 1);
}

#[test]
fn an_invalid_draft_is_rejected_with_each_field_named() {
    let app = app();
    let mut bad = draft();
    bad["emails"][1]["value"] = json!("luke@mail");
    let err = app.call("create_contact", json!({ "draft": bad })).unwrap_err();
    assert_eq!(err["kind"], "invalid");
    assert_eq!(err["fields"][0]["field"], "emails.1.value");
    assert!(err["message"].as_str().unwrap().contains("luke@mail"));
    assert_eq!(app.ok("app_info", json!({}))["contactCount"], 0);
}

#[test]
fn an_unknown_contact_is_not_found() {
    let app = app();
    let err = app.call("get_contact", json!({ "id": "01936f7e-0000-7000-8000-000000000000" })).unwrap_err();
    assert_eq!(err["kind"], "not_found");
}

#[test]
fn a_file_that_cannot_open_leaves_the_window_usable_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newer.db");
    rusqlite_free_newer_file(&path);
    let app = app_on(path, dir);
    let err = app.call("app_info", json!({})).unwrap_err();
    assert_eq!(err["kind"], "no_database");
    assert!(err["message"].as_str().unwrap().contains("newer Rolodeck"), "{err}");
}

/// A SQLite file claiming a future schema, written with the core's own store and then bumped.
fn rusqlite_free_newer_file(path: &std::path::Path) {
    let store = rolodeck::Store::open(path).unwrap();
    store.conn().pragma_update(None, "user_version", rolodeck::store::SCHEMA_VERSION + 1).unwrap();
}

#[test]
fn switching_files_keeps_the_current_one_when_the_new_one_fails() {
    let dir = tempfile::tempdir().unwrap();
    let state = AppState::open(dir.path().join("a.db"));
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"not sqlite at all, just some words ".repeat(100)).unwrap();
    assert!(state.switch_to(junk).is_err());
    assert!(state.with_store(|s| rolodeck::contacts::count_contacts(s.conn())).is_ok());
    state.switch_to(dir.path().join("b.db")).unwrap();
    let path = state.with_store(|s| Ok(s.path().to_path_buf())).unwrap();
    assert!(path.ends_with("b.db"));
}

#[test]
fn the_wrap_up_and_stage_moves_through_ipc_show_on_today() {
    let app = app();
    let id = app.ok("create_contact", json!({ "draft": draft() }))["id"].as_str().unwrap().to_string();
    let due = (chrono::Local::now().date_naive() + chrono::Duration::days(1)).to_string();
    let wrap_up = json!({
        "kind": "call", "summary": "Intro call", "happenedAt": chrono::Utc::now().to_rfc3339(),
        "next": { "step": "action", "kind": "call", "text": "Send the proposal", "dueOn": due }
    });
    let after = app.ok("log_activity", json!({ "id": id, "wrapUp": wrap_up }));
    assert_eq!(after["nextAction"]["text"], "Send the proposal");
    assert_eq!(after["timeline"][0]["summary"], "Intro call");

    let moved = app.ok("set_stage", json!({ "id": id, "stage": "prospect" }));
    assert_eq!(moved["stage"], "prospect");
    assert_eq!(moved["stageHistory"][0]["to"], "prospect");

    let tomorrow = app.ok("today", json!({ "date": due }));
    assert_eq!(tomorrow["dueToday"][0]["name"], "Łukasz Wróbel");
    assert_eq!(tomorrow["noNextStepCount"], 0);

    let bad = json!({ "kind": "call", "summary": "", "happenedAt": chrono::Utc::now().to_rfc3339(), "next": { "step": "noNextStep" } });
    let err = app.call("log_activity", json!({ "id": id, "wrapUp": bad })).unwrap_err();
    assert_eq!((err["kind"].as_str(), err["fields"][0]["field"].as_str()), (Some("invalid"), Some("summary")));
}

#[test]
fn a_letter_preview_is_svg_of_the_same_layout() {
    let app = app();
    let mut with_address = draft();
    with_address["addresses"] =
        json!([{ "street": "ul. Floriańska 12", "postalCode": "31-019", "city": "Kraków", "country": "Poland" }]);
    let id = app.ok("create_contact", json!({ "draft": with_address }))["id"].as_str().unwrap().to_string();
    let letter = |source: &str| json!({ "layout": "din-a", "templateName": "hello", "templateSource": source });
    let typo = letter("{{ greeting }},\n\n{{ frist_name }}");
    let err = app.call("merge_preview", json!({ "request": typo, "contactId": id })).unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("frist_name"), "{err}");

    let request = letter("{{ greeting }},\n\nHello from **Rolodeck**.");
    let ok = app.ok("merge_preview", json!({ "request": request, "contactId": id }));
    let svg = ok["pages"][0].as_str().unwrap();
    assert!(
        svg.starts_with("<svg")
            && svg.contains("Łukasz Wróbel")
            && svg.contains("31-019 Kraków")
            && svg.contains("POLAND")
    );
    assert_eq!(ok["skipReason"], serde_json::Value::Null);

    // The same recipient as a fax has no number to go to, and on a label sheet sits at label 4.
    let fax = json!({ "layout": "fax", "templateName": "hello", "templateSource": "Hello." });
    assert_eq!(app.ok("merge_preview", json!({ "request": fax, "contactId": id }))["skipReason"], "no fax number");
    let labels = json!({ "layout": "avery-5160", "startAt": 4 });
    let sheet = app.ok("merge_preview", json!({ "request": labels, "contactId": id }));
    assert!(sheet["pages"][0].as_str().unwrap().contains("Łukasz Wróbel"));

    // A printer that feeds labels 2 mm left and 1 mm high: saved per layout, and the preview moves.
    assert_eq!(app.ok("merge_calibration", json!({ "layout": "avery-5160" })), json!([0.0, 0.0]));
    app.ok("set_merge_calibration", json!({ "layout": "avery-5160", "offset": [2.0, 1.0] }));
    assert_eq!(app.ok("merge_calibration", json!({ "layout": "avery-5160" })), json!([2.0, 1.0]));
    assert_eq!(app.ok("merge_calibration", json!({ "layout": "avery-5163" })), json!([0.0, 0.0]));
    let shifted = app.ok("merge_preview", json!({ "request": labels, "contactId": id }));
    assert_ne!(shifted["pages"][0], sheet["pages"][0]);
    let wild = app.call("set_merge_calibration", json!({ "layout": "avery-5160", "offset": [50.0, 0.0] }));
    assert_eq!(wild.unwrap_err()["kind"], "invalid");

    // Preflight names the unknown field with its line.
    let everyone = json!({ "by": "search", "query": "" });
    let found = app.ok("merge_preflight", json!({ "request": typo, "recipients": everyone, "order": "name" }));
    let unknown = found["problems"].as_array().unwrap().iter().find(|p| p["kind"] == "unknownField").expect("{found}");
    assert_eq!(unknown["line"], 3);
    assert_eq!(app.ok("merge_runs", json!({})), json!([]));
}

#[test]
fn my_details_take_a_logo_and_a_signature_that_letters_then_show() {
    let app = app();
    let fixture =
        |name: &str| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/images").join(name);
    let logo = app.ok("add_image", json!({ "path": fixture("logo.png") }));
    assert_eq!(
        (logo["format"].as_str(), logo["width"].as_u64(), logo["height"].as_u64()),
        (Some("png"), Some(600), Some(240))
    );
    assert!(logo["dataUrl"].as_str().unwrap().starts_with("data:image/png;base64,iVBORw0KGgo"), "a thumbnail");
    let signature = app.ok("add_image", json!({ "path": fixture("signature.png") }));

    // The form sends what get_sender gave, with the two ids; they come back the same.
    let mut sender = app.ok("get_sender", json!({}));
    sender["name"] = json!("Ann Lee");
    sender["logo"] = logo["id"].clone();
    sender["signature"] = signature["id"].clone();
    app.ok("set_sender", json!({ "sender": sender }));
    let saved = app.ok("get_sender", json!({}));
    assert_eq!((&saved["logo"], &saved["signature"]), (&logo["id"], &signature["id"]));
    assert_eq!(app.ok("get_image", json!({ "id": logo["id"] })), logo, "the thumbnail again, for the form");

    let mut with_address = draft();
    with_address["addresses"] =
        json!([{ "street": "1 Oak Ave", "postalCode": "97201", "city": "Portland", "region": "OR" }]);
    let id = app.ok("create_contact", json!({ "draft": with_address }))["id"].as_str().unwrap().to_string();
    let request =
        json!({ "layout": "us-window", "templateName": "hi", "templateSource": "Dear you,\n\nThanks.\n\nAnn Lee" });
    let preview = app.ok("merge_preview", json!({ "request": request, "contactId": id }));
    assert_eq!(preview["pages"][0].as_str().unwrap().matches("<image ").count(), 2, "logo and signature");

    // Removing the logo saves; the preview then has the signature only.
    sender["logo"] = Value::Null;
    app.ok("set_sender", json!({ "sender": sender }));
    let preview = app.ok("merge_preview", json!({ "request": request, "contactId": id }));
    assert_eq!(preview["pages"][0].as_str().unwrap().matches("<image ").count(), 1);
    assert_eq!(
        app.call("get_image", json!({ "id": logo["id"] })).unwrap_err()["kind"],
        "not_found",
        "nothing names it"
    );

    // A file that is no image is refused with the reason, and My details stay as they were.
    let text = app._dir.path().join("logo.png");
    std::fs::write(&text, "not a picture").unwrap();
    let err = app.call("add_image", json!({ "path": text })).unwrap_err();
    assert_eq!(err["kind"], "invalid");
    assert!(err["message"].as_str().unwrap().contains("logo.png is not a PNG or JPEG image"), "{err}");
    assert_eq!(app.ok("get_sender", json!({}))["signature"], signature["id"]);
}

/// Three cards, one of which (Ann Lee, by email) is already in the file before the import.
const THREE_CARDS: &str = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lee;Ann;;;\r\nFN:Ann Lee\r\nEMAIL:ann@lee.example\r\n\
    TEL:+1 555 0100\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nN:Okafor;Chidi;;;\r\nFN:Chidi Okafor\r\n\
    EMAIL:chidi@okafor.example\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:4.0\r\nFN:Mei Tanaka\r\nN:Tanaka;Mei;;;\r\n\
    BDAY:circa 1980\r\nEND:VCARD\r\n";

#[test]
fn an_import_previews_applies_exactly_that_and_undoes() {
    let app = app();
    app.ok(
        "create_contact",
        json!({ "draft": { "givenName": "Ann", "familyName": "Lee",
        "emails": [{ "label": "work", "value": "ann@lee.example", "primary": true }] } }),
    );
    let file = app._dir.path().join("friends.vcf");
    std::fs::write(&file, THREE_CARDS).unwrap();
    let preview = |on_match: &str| app.ok("import_preview", json!({ "path": file, "onMatch": on_match }));

    let skipping = preview("skip");
    assert_eq!((skipping["creates"].clone(), skipping["skips"].clone()), (json!(2), json!(1)));
    let first = preview("merge");
    assert_eq!(first["source"], "friends.vcf");
    assert_eq!([&first["creates"], &first["merges"], &first["skips"]], [&json!(2), &json!(1), &json!(0)]);
    assert_eq!(first["rows"][0]["name"], "Ann Lee");
    assert_eq!(first["rows"][0]["action"]["kind"], "merge");
    assert_eq!(first["rows"][0]["action"]["name"], "Ann Lee");
    assert_eq!(first["rows"][1]["action"], json!({ "kind": "create" }));
    assert!(first["rows"][2]["warnings"][0].as_str().unwrap().contains("circa 1980"), "{first}");

    // The last preview (merge), not the first (skip), is what gets written, as the job "import".
    let batch = apply_import(&app);
    assert_eq!((batch["created"].clone(), batch["merged"].clone()), (json!(2), json!(1)));
    assert_eq!(app.ok("app_info", json!({}))["contactCount"], 3);
    let merged = app.ok("search_contacts", json!({ "query": "Ann", "offset": 0, "limit": 5 }));
    assert_eq!(merged["total"], 1);
    let err = app.call("import_apply", json!({})).unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("preview a file first"), "{err}");
    assert_eq!(app.ok("cancel_job", json!({ "job": "import" })), json!(false), "the job is over");

    let list = app.ok("import_list", json!({}));
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!((list[0]["id"].clone(), list[0]["undoneAt"].clone()), (batch["id"].clone(), Value::Null));

    let again = preview("merge");
    assert_eq!([&again["creates"], &again["merges"], &again["skips"]], [&json!(0), &json!(0), &json!(3)]);

    assert_eq!(app.ok("import_undo", json!({ "id": batch["id"] })), 3);
    assert_eq!(app.ok("app_info", json!({}))["contactCount"], 1);
    assert!(app.ok("import_list", json!({}))[0]["undoneAt"].is_string());
    assert_eq!(app.ok("import_undo", json!({ "id": batch["id"] })), 0);
}

#[test]
fn a_file_that_is_neither_vcard_nor_csv_is_refused_with_the_reason() {
    let app = app();
    let file = app._dir.path().join("notes.txt");
    std::fs::write(&file, "Shopping list\nmilk\n").unwrap();
    let err = app.call("import_preview", json!({ "path": file, "onMatch": "merge" })).unwrap_err();
    assert_eq!(err["kind"], "invalid");
    assert!(err["message"].as_str().unwrap().contains("is this a vCard (.vcf) file?"), "{err}");
    let missing = app.call("import_preview", json!({ "path": app._dir.path().join("gone.csv"), "onMatch": "merge" }));
    assert_eq!(missing.unwrap_err()["kind"], "io");
}

#[test]
fn templates_are_listed_saved_and_deleted_through_ipc() {
    let app = app();
    let samples = app.ok("merge_templates", json!({}));
    assert!(samples.as_array().unwrap().iter().all(|t| t["sample"] == true));
    let saved = app.ok("save_template", json!({ "name": "Thanks", "source": "Dear {{ first_name }},\n\nThank you." }));
    assert_eq!(saved["sample"], false);
    assert_eq!(app.ok("merge_templates", json!({}))[0]["name"], "Thanks");
    let err = app.call("save_template", json!({ "name": "Bad", "source": "{{ oops" })).unwrap_err();
    assert_eq!(err["kind"], "invalid");
    assert_eq!(app.ok("delete_template", json!({ "name": "Thanks" })), json!(true));
}

#[test]
fn an_email_merge_is_previewed_queued_and_sent_by_a_background_job() {
    let server = smtp::SmtpServer::start(Default::default());
    let app = app();
    let bad = app.call("save_mail_settings", json!({ "settings": { "host": "", "fromAddress": "nope" } })).unwrap_err();
    let fields: Vec<&str> = bad["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["host", "fromAddress"]);
    let settings = json!({ "host": "127.0.0.1", "port": server.port(), "security": "none",
        "fromName": "Bo Berg", "fromAddress": "bo@berg.example", "perMinute": 6000 });
    let saved = app.ok("save_mail_settings", json!({ "settings": settings }));
    assert_eq!((saved["settings"]["port"].clone(), saved["password"].clone()), (json!(server.port()), Value::Null));

    let ids: Vec<String> = ["Ann", "Ben"]
        .iter()
        .map(|name| {
            let draft = json!({ "givenName": name, "familyName": "Lee", "company": "Acme",
                "emails": [{ "label": "work", "value": format!("{}@lee.example", name.to_lowercase()), "primary": true }] });
            app.ok("create_contact", json!({ "draft": draft }))["id"].as_str().unwrap().to_string()
        })
        .collect();
    let nobody = app.ok("create_contact", json!({ "draft": { "givenName": "Cy", "familyName": "Noemail" } }));
    let draft = json!({ "subject": "Hello {{ first_name }}", "body": "{{ greeting }},\n\nA note for {{ company }}.",
        "dateStyle": "us" });
    let preview = app.ok("email_preview", json!({ "draft": draft, "contactId": ids[1] }));
    assert_eq!((preview["to"].as_str(), preview["subject"].as_str()), (Some("ben@lee.example"), Some("Hello Ben")));
    assert!(preview["text"].as_str().unwrap().contains("A note for Acme."), "{preview}");

    let everyone = json!({ "by": "selection", "ids": [ids[0], ids[1], nobody["id"]] });
    let queued = app.ok("queue_email", json!({ "draft": draft, "recipients": everyone }));
    assert_eq!(queued["queued"], 2);
    assert_eq!(queued["skipped"][0]["reason"], "Cy Noemail has no email address");
    assert_eq!(app.ok("outbox", json!({}))["counts"]["queued"], 2);

    let finished = on_job_end(&app, "outbox");
    app.ok("outbox_send", json!({ "now": false }));
    let end = finished.recv_timeout(std::time::Duration::from_secs(30)).expect("the send job ends");
    assert_eq!((end["state"].as_str(), end["result"]["sent"].as_u64()), (Some("done"), Some(2)), "{end}");
    let subjects: Vec<String> = server
        .received()
        .iter()
        .filter_map(|m| m.data.lines().find_map(|l| l.strip_prefix("Subject: ").map(String::from)))
        .collect();
    assert_eq!(subjects, ["Hello Ann", "Hello Ben"]);
    let outbox = app.ok("outbox", json!({}));
    assert_eq!((outbox["counts"]["sent"].clone(), outbox["counts"]["queued"].clone()), (json!(2), json!(0)));
    assert_eq!(outbox["messages"][0]["state"], "sent");
}

#[test]
fn sending_is_one_job_at_a_time_and_pausing_stops_after_the_message_in_hand() {
    let app = app();
    // No server set up: the job fails at once with the reason, and its name is free again.
    let finished = on_job_end(&app, "outbox");
    app.ok("outbox_send", json!({ "now": false }));
    let end = finished.recv_timeout(std::time::Duration::from_secs(10)).unwrap();
    assert_eq!(
        (end["state"].as_str(), end["error"]["kind"].as_str()),
        (Some("failed"), Some("mail_settings")),
        "{end}"
    );

    // A server that takes the first message and never answers: the job is busy with it.
    let server = smtp::SmtpServer::start(smtp::Behaviour { swallow_nth: Some(1), ..Default::default() });
    let settings = json!({ "host": "127.0.0.1", "port": server.port(), "security": "none",
        "fromAddress": "bo@berg.example", "perMinute": 6000, "timeoutSeconds": 2 });
    app.ok("save_mail_settings", json!({ "settings": settings }));
    let ids: Vec<Value> = (0..2)
        .map(|i| {
            let draft = json!({ "givenName": format!("P{i}"), "familyName": "Lee",
                "emails": [{ "label": "work", "value": format!("p{i}@lee.example"), "primary": true }] });
            app.ok("create_contact", json!({ "draft": draft }))["id"].clone()
        })
        .collect();
    let draft = json!({ "subject": "Hi", "body": "Hello.", "dateStyle": "us" });
    app.ok("queue_email", json!({ "draft": draft, "recipients": { "by": "selection", "ids": ids } }));
    let finished = on_job_end(&app, "outbox");
    app.ok("outbox_send", json!({ "now": false }));
    let busy = app.call("outbox_send", json!({ "now": false })).unwrap_err();
    assert_eq!(busy["kind"], "busy", "{busy}");
    // Pause once the server holds the first message, unanswered.
    let started = std::time::Instant::now();
    while server.received().is_empty() {
        assert!(started.elapsed().as_secs() < 10, "the first message never reached the server");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(app.ok("cancel_job", json!({ "job": "outbox" })), json!(true));
    let end = finished.recv_timeout(std::time::Duration::from_secs(30)).unwrap();
    assert_eq!(end["state"], "cancelled", "{end}");
    // The swallowed message may have arrived, so it is uncertain; the other was never tried.
    let counts = &app.ok("outbox", json!({}))["counts"];
    assert_eq!(
        (counts["uncertain"].clone(), counts["queued"].clone(), counts["sent"].clone()),
        (json!(1), json!(1), json!(0))
    );
    assert_eq!(app.ok("cancel_job", json!({ "job": "outbox" })), json!(false));
}

#[test]
fn a_custom_field_is_defined_filled_checked_and_filtered_through_ipc() {
    let app = app();
    let budget = app.ok("create_custom_field", json!({ "field": { "name": "Budget", "kind": "number" } }));
    assert_eq!((budget["key"].as_str(), budget["kind"].as_str()), (Some("budget"), Some("number")));
    let size = json!({ "name": "Size", "kind": "choice", "options": ["Small", "Large"] });
    let size = app.ok("create_custom_field", json!({ "field": size }));
    let no_options = app.call("create_custom_field", json!({ "field": { "name": "Tier", "kind": "choice" } }));
    assert_eq!(no_options.unwrap_err()["fields"][0]["field"], "options");

    app.ok("rename_custom_field", json!({ "id": budget["id"], "name": "Annual budget" }));
    let order = app.ok("reorder_custom_fields", json!({ "ids": [size["id"], budget["id"]] }));
    let named: Vec<(&str, &str)> =
        order.as_array().unwrap().iter().map(|f| (f["name"].as_str().unwrap(), f["key"].as_str().unwrap())).collect();
    assert_eq!(named, [("Size", "size"), ("Annual budget", "budget")], "renamed, moved, same key");
    assert_eq!(app.ok("custom_fields", json!({})), order);

    // The form sends text; the contact comes back with a number, and every field listed.
    let mut rich = draft();
    rich["custom"] = json!({ "budget": "1200", "size": "" });
    let ann = app.ok("create_contact", json!({ "draft": rich }));
    assert_eq!(ann["custom"], json!({ "budget": 1200, "size": null }));
    let mut modest =
        json!({ "givenName": "Bo", "familyName": "Berg", "custom": { "budget": "999.5", "size": "large" } });
    app.ok("create_contact", json!({ "draft": modest }));

    modest["givenName"] = json!("Cy");
    modest["custom"]["budget"] = json!("lots");
    let err = app.call("create_contact", json!({ "draft": modest })).unwrap_err();
    assert_eq!((err["kind"].as_str(), err["fields"][0]["field"].as_str()), (Some("invalid"), Some("custom.budget")));
    assert!(err["fields"][0]["message"].as_str().unwrap().contains("“lots”"), "{err}");
    assert_eq!(app.ok("app_info", json!({}))["contactCount"], 2, "nothing stored");

    let at_least = |value: &str| {
        let filter = json!({ "custom": [{ "field": "budget", "op": "atLeast", "value": value }] });
        app.call("filter_contacts", json!({ "filter": filter, "offset": 0, "limit": 10 }))
    };
    let rich_only = at_least("1000").unwrap();
    assert_eq!(
        (rich_only["total"].clone(), rich_only["rows"][0]["displayName"].clone()),
        (json!(1), json!("Łukasz Wróbel"))
    );
    assert_eq!(at_least("999.5").unwrap()["total"], 2);

    assert_eq!(app.ok("delete_custom_field", json!({ "id": budget["id"] })), 2, "both values went");
    assert!(at_least("1000").unwrap_err()["message"].as_str().unwrap().contains("no custom field"));
    assert_eq!(app.ok("custom_fields", json!({})).as_array().unwrap().len(), 1);
}

/// Applies the previewed import through the job and answers with its batch.
fn apply_import(app: &App) -> Value {
    let finished = on_job_end(app, "import");
    app.ok("import_apply", json!({}));
    let end = finished.recv_timeout(std::time::Duration::from_secs(30)).expect("the import job ends");
    assert_eq!(end["state"], "done", "{end}");
    end["result"].clone()
}

/// The job's last report ("done", "failed" or "cancelled"), once it comes.
fn on_job_end(app: &App, job: &'static str) -> std::sync::mpsc::Receiver<Value> {
    use tauri::Listener;
    let (tx, rx) = std::sync::mpsc::channel();
    app._app.listen_any("job", move |event| {
        let report: Value = serde_json::from_str(event.payload()).unwrap();
        if report["job"] == job && report["state"] != "progress" {
            let _ = tx.send(report);
        }
    });
    rx
}

#[test]
fn the_quality_dashboard_lists_what_to_fix_and_the_duplicate_scan_runs_as_a_job() {
    let app = app();
    let email = |value: &str| json!([{ "label": "work", "value": value, "primary": true }]);
    for (given, address) in [("Ann", "ann@lee.example"), ("Anne", "ANN@lee.example")] {
        app.ok(
            "create_contact",
            json!({ "draft": { "givenName": given, "familyName": "Lee", "emails": email(address) } }),
        );
    }
    let all = app.ok("quality", json!({ "staleMonths": 12 }));
    assert_eq!((all["contacts"].clone(), all["completeness"].clone()), (json!(2), json!(0.5)), "{all}");
    assert_eq!(all["counts"]["missingFields"], 2, "no phone, no postal address");
    let missing = all["issues"].as_array().unwrap().iter().filter(|i| i["kind"] == "missingFields").count();
    assert_eq!(missing, 2, "{all}");
    assert!(app.call("quality", json!({ "staleMonths": "soon" })).is_err());

    let finished = on_job_end(&app, "duplicates");
    app.ok("scan_duplicates", json!({}));
    let end = finished.recv_timeout(std::time::Duration::from_secs(30)).unwrap();
    assert_eq!((end["state"].as_str(), end["result"]["total"].as_u64()), (Some("done"), Some(1)), "{end}");
    let pair = &end["result"]["pairs"][0];
    let mut names = [pair["aName"].as_str().unwrap(), pair["bName"].as_str().unwrap()];
    names.sort();
    assert_eq!(names, ["Ann Lee", "Anne Lee"]);
}

#[test]
fn a_csv_column_read_wrongly_is_remapped_in_the_preview_and_imported_so() {
    let app = app();
    let file = app._dir.path().join("sheet.csv");
    // "Org" is no column name Rolodeck knows: it goes to the notes until the user says "Company".
    std::fs::write(&file, "First Name,Last Name,Org\nAnn,Lee,Acme\nBo,Berg,Initech\n").unwrap();
    let first = app.ok("import_preview", json!({ "path": file, "onMatch": "merge" }));
    let columns = &first["columns"];
    assert_eq!(columns["headers"], json!(["First Name", "Last Name", "Org"]));
    assert_eq!(columns["samples"][2], json!(["Acme", "Initech"]));
    assert_eq!(columns["mapping"]["columns"][2], json!({ "field": "keepInNotes", "group": 0 }));

    let mut mapping = columns["mapping"].clone();
    mapping["columns"][2] = json!({ "field": "company" });
    let remapped = app.ok("import_preview", json!({ "path": file, "onMatch": "merge", "mapping": mapping }));
    assert_eq!(remapped["columns"]["mapping"]["columns"][2], json!({ "field": "company" }));
    apply_import(&app);
    let ann = app.ok("search_contacts", json!({ "query": "ann", "offset": 0, "limit": 1 }))["rows"][0].clone();
    assert_eq!(ann["company"], "Acme");

    let short = json!({ "columns": [{ "field": "givenName" }] });
    let err = app.call("import_preview", json!({ "path": file, "onMatch": "merge", "mapping": short })).unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("preview it again"), "{err}");

    let cards = app._dir.path().join("cards.vcf");
    std::fs::write(&cards, THREE_CARDS).unwrap();
    assert_eq!(app.ok("import_preview", json!({ "path": cards, "onMatch": "merge" }))["columns"], Value::Null);
}

#[test]
fn the_business_side_and_activity_corrections_go_through_ipc() {
    let app = app();
    let create = |given: &str| {
        app.ok("create_contact", json!({ "draft": { "givenName": given, "familyName": "Lee" } }))["id"].clone()
    };
    let (ann, bo, acme) = (create("Ann"), create("Bo"), create("Acme"));
    let w = app.ok("set_grade", json!({ "id": ann, "grade": "a", "leadSource": "Seminar" }));
    assert_eq!((w["business"]["grade"].as_str(), w["business"]["leadSource"].as_str()), (Some("A"), Some("Seminar")));
    let bad = app.call("set_grade", json!({ "id": ann, "grade": "Z", "leadSource": "" })).unwrap_err();
    assert_eq!(bad["kind"], "invalid");

    app.ok("set_referred_by", json!({ "id": bo, "referrer": ann }));
    let purchase = json!({ "purchasedOn": "2026-11-01", "item": "Plan", "amountCents": 90000, "currency": "usd",
        "repeatAfterMonths": 12 });
    let w = app.ok("add_purchase", json!({ "id": ann, "purchase": purchase }));
    assert_eq!(w["business"]["referrals"][0]["name"], "Bo Lee");
    assert_eq!(
        (w["business"]["rfm"]["frequency"].clone(), w["business"]["purchases"][0]["currency"].clone()),
        (json!(1), json!("USD"))
    );

    // A year on, Today reminds of the plan, and ranks Ann among the referrers.
    let next_year = app.ok("today", json!({ "date": "2027-11-01" }));
    assert_eq!(next_year["repeatBusiness"][0]["item"], "Plan");
    assert_eq!(
        (next_year["topReferrers"][0]["name"].as_str(), next_year["topReferrers"][0]["referrals"].as_u64()),
        (Some("Ann Lee"), Some(1))
    );

    let w = app.ok("set_company", json!({ "id": ann, "company": acme }));
    assert_eq!(w["links"]["company"]["name"], "Acme Lee");
    assert_eq!(app.ok("contact_workflow", json!({ "id": acme }))["links"]["people"][0]["name"], "Ann Lee");
    let w = app.ok("set_household", json!({ "id": ann, "household": null, "newHousehold": "The Lees" }));
    let household = w["links"]["household"]["id"].clone();
    app.ok("set_household", json!({ "id": bo, "household": household, "newHousehold": null }));
    assert_eq!(app.ok("households", json!({}))[0]["members"].as_array().unwrap().len(), 2);

    let wrap_up = json!({ "kind": "call", "summary": "Left a message", "happenedAt": "2026-11-20T10:00:00Z",
        "next": { "step": "noNextStep" } });
    let w = app.ok("log_activity", json!({ "id": bo, "wrapUp": wrap_up }));
    let call = w["timeline"][0]["id"].clone();
    let edit = json!({ "kind": "meeting", "summary": "Met for coffee", "happenedAt": "2026-11-21T09:00:00Z" });
    let w = app.ok("correct_activity", json!({ "id": bo, "activity": call, "edit": edit }));
    assert_eq!(
        (w["timeline"][0]["kind"].as_str(), w["lastContacted"].as_str()),
        (Some("meeting"), Some("2026-11-21T09:00:00Z"))
    );
    let deleted = app.ok("delete_activity", json!({ "id": bo, "activity": call }));
    assert_eq!(
        (deleted["workflow"]["timeline"].clone(), deleted["workflow"]["lastContacted"].clone()),
        (json!([]), Value::Null)
    );
    let back = app.ok("restore_activity", json!({ "activity": deleted["activity"] }));
    assert_eq!(back["timeline"][0]["summary"], "Met for coffee");

    let tagged = app.ok("create_contact", json!({ "draft": { "givenName": "Cy", "tags": ["golf"] } }));
    assert!(tagged["id"].is_string());
    assert_eq!(app.ok("set_tag_color", json!({ "name": "golf", "color": "#0A0" }))["color"], "#00aa00");
    assert_eq!(app.ok("tags", json!({}))[0]["contacts"], 1);
    assert_eq!(app.call("set_tag_color", json!({ "name": "golf", "color": "green" })).unwrap_err()["kind"], "invalid");
}
