//! The outbox against a real SMTP server on 127.0.0.1 (a small one written below): merges that
//! arrive once each, a server that goes away and comes back, a sender killed mid-run, consent,
//! header injection, a password that never reaches the database file or the output, and real
//! TLS (STARTTLS and implicit) with a certificate that is trusted or not.

mod common;
#[path = "common/smtp.rs"]
mod smtp;
#[path = "common/tls.rs"]
mod tls;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use rolodeck::contacts::{self, Contact, ContactDraft, LabeledValue};
use rolodeck::mail::compose::{EmailRun, Queued, queue_merge};
use rolodeck::mail::outbox::{Attachment, MessageKind, State, list_outbox};
use rolodeck::mail::password::{Password, PasswordStore};
use rolodeck::mail::run::{RunOptions, RunReport, run_outbox};
use rolodeck::mail::send::{SmtpConnector, send_test_email};
use rolodeck::mail::settings::{MailSettings, Security, set_mail_settings};
use rolodeck::mail::suppress::{SuppressionReason, suppress_address};
use rolodeck::merge::fields::Sender;
use rolodeck::merge::images::SenderImages;
use rolodeck::merge::template::Template;
use rolodeck::workflow::consent::{Consent, OptIn, get_consent, set_consent};
use rolodeck::{Error, Store};
use smtp::{Behaviour, Received, SmtpServer};
use tempfile::TempDir;
use tls::TestCa;

const SUBJECT: &str = "Hello {{ first_name }} at {{ company }}";
const BODY: &str = "{{ greeting }},\n\nA short note for **{{ company }}**.\n\nBest,\n{{ sender.name }}";

// ---------------------------------------------------------------------------------------------
// The scenarios

#[test]
fn a_200_recipient_merge_arrives_once_each_personalised() {
    let (dir, store) = common::temp_store();
    let server = SmtpServer::start(Behaviour::default());
    let people = seed(&store, 200);
    let pdf = sample_pdf();
    let queued = queue(&store, &settings(server.port()), &people, Some(&pdf), true);
    assert_eq!((queued.queued, queued.skipped.len()), (200, 0));

    let started = Instant::now();
    let report = run(&store, &settings(server.port()), &dir, 60_000);
    let elapsed = started.elapsed();
    eprintln!("200 messages sent to the loopback server in {:.2} s", elapsed.as_secs_f64());
    assert_eq!((report.sent, report.failed, report.uncertain, report.waiting), (200, 0, 0, 0), "{report:?}");
    assert!(elapsed >= Duration::from_millis(199), "the throttle spaces them at least 1 ms apart");

    let received = server.received();
    assert_eq!(received.len(), 200);
    let stored = list_outbox(store.conn(), None).unwrap();
    assert_once_each(&received, stored.iter().map(|e| e.message_id.as_str()));
    for (i, person) in people.iter().enumerate() {
        let name = format!("Ann{i:03}");
        let m =
            received.iter().find(|m| m.rcpt_to == [address_of(person)]).unwrap_or_else(|| panic!("nothing for {name}"));
        assert_eq!(m.mail_from, "bo@berg.example");
        assert_eq!(m.header("Subject").as_deref(), Some(format!("Hello {name} at Company {i}").as_str()));
        assert_eq!(m.header("List-Unsubscribe").as_deref(), Some("<mailto:bo@berg.example?subject=unsubscribe>"));
        let text = m.part("text/plain");
        assert!(
            text.starts_with(&format!("Dear {name},\r\n\r\nA short note for Company {i}.\r\n\r\nBest,\r\nBo Berg")),
            "{text}"
        );
        assert!(text.contains("reply with “unsubscribe” or write to bo@berg.example"), "the footer line: {text}");
        assert!(m.part("text/html").contains(&format!("<strong>Company {i}</strong>")));
        assert_eq!(m.attachment("sample.pdf"), pdf.bytes, "the PDF arrives intact");
    }
    let emails: i64 =
        store.conn().query_row("SELECT count(*) FROM activities WHERE kind = 'email'", [], |r| r.get(0)).unwrap();
    assert_eq!(emails, 200, "every sent message is an Email activity");
    let summary = rolodeck::workflow::activity::timeline(store.conn(), people[7].id).unwrap()[0].summary.clone();
    assert_eq!(summary, "Email sent: Hello Ann007 at Company 7");
}

#[test]
fn the_throttle_spaces_messages_by_the_per_minute_limit() {
    let (dir, store) = common::temp_store();
    let server = SmtpServer::start(Behaviour::default());
    queue(&store, &settings(server.port()), &seed(&store, 6), None, false);
    let started = Instant::now();
    assert_eq!(run(&store, &settings(server.port()), &dir, 1_200).sent, 6);
    // 1,200 a minute is one every 50 ms: the sixth starts 250 ms after the first.
    assert!(started.elapsed() >= Duration::from_millis(250), "{:?}", started.elapsed());
}

#[test]
fn with_the_server_down_messages_wait_and_go_when_it_returns() {
    let (dir, store) = common::temp_store();
    let mut server = SmtpServer::start(Behaviour::default());
    let settings = settings(server.port());
    server.stop();
    queue(&store, &settings, &seed(&store, 5), None, false);

    let before = Utc::now();
    let report = run(&store, &settings, &dir, 600);
    assert_eq!((report.sent, report.deferred, report.waiting), (0, 5, 5), "{report:?}");
    let stopped_by = report.stopped_by.unwrap().to_string();
    assert!(stopped_by.contains("refused the connection on port"), "{stopped_by}");
    for entry in list_outbox(store.conn(), None).unwrap() {
        assert_eq!((entry.state, entry.attempts), (State::Queued, 1));
        assert!(entry.next_attempt_at > before + chrono::TimeDelta::seconds(30), "retried later, not at once");
        assert!(entry.last_error.as_deref().unwrap().contains("refused the connection"));
    }

    server.restart(Behaviour::default());
    assert_eq!(run(&store, &settings, &dir, 600).sent, 0, "not due yet: the backoff holds");
    let report = run_with(&store, &settings, &dir, 600, true);
    assert_eq!((report.sent, report.waiting), (5, 0), "“Send now” after coming back online");
    let stored = list_outbox(store.conn(), None).unwrap();
    assert_once_each(&server.received(), stored.iter().map(|e| e.message_id.as_str()));
}

#[test]
fn a_sender_killed_mid_run_sends_nothing_twice() {
    let (dir, store) = common::temp_store();
    let server = SmtpServer::start(Behaviour::default());
    let settings = settings(server.port());
    set_mail_settings(store.conn(), &settings).unwrap();
    queue(&store, &settings, &seed(&store, 40), None, false);

    let mut child =
        cli(store.path(), &dir, &["outbox", "run", "--per-minute", "600"]).stdout(Stdio::null()).spawn().unwrap();
    wait_until(Duration::from_secs(30), || server.received().len() >= 10);
    child.kill().unwrap(); // SIGKILL: no chance to tidy up
    child.wait().unwrap();
    let arrived_before_kill = server.received().len();

    let out = cli(store.path(), &dir, &["outbox", "run", "--per-minute", "6000"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let received = server.received();
    let entries = list_outbox(store.conn(), None).unwrap();
    let uncertain: Vec<_> = entries.iter().filter(|e| e.state == State::Uncertain).collect();
    assert!(uncertain.len() <= 1, "only the message in hand at the kill can be uncertain: {uncertain:?}");
    let sent = entries.iter().filter(|e| e.state == State::Sent);
    assert_eq!(sent.clone().count() + uncertain.len(), 40, "every message is sent or uncertain");
    // Every sent message arrived exactly once; an uncertain one at most once; nothing twice.
    assert_once_each(
        &received
            .iter()
            .filter(|m| !uncertain.iter().any(|u| m.message_id() == u.message_id))
            .cloned()
            .collect::<Vec<_>>(),
        sent.map(|e| e.message_id.as_str()),
    );
    for u in &uncertain {
        assert!(received.iter().filter(|m| m.message_id() == u.message_id).count() <= 1);
    }
    eprintln!("killed after {arrived_before_kill} of 40 had arrived; {} uncertain", uncertain.len());
}

#[test]
fn a_message_the_server_may_have_taken_is_uncertain_and_never_resent_on_its_own() {
    let (dir, store) = common::temp_store();
    // The third message is taken but never confirmed: the sender hangs waiting for the "250".
    let mut server = SmtpServer::start(Behaviour { swallow_nth: Some(3), ..Default::default() });
    let settings = settings(server.port());
    set_mail_settings(store.conn(), &settings).unwrap();
    queue(&store, &settings, &seed(&store, 6), None, false);

    let mut child = cli(store.path(), &dir, &["outbox", "run"]).stdout(Stdio::null()).spawn().unwrap();
    wait_until(Duration::from_secs(30), || server.received().len() == 3 && states(&store).contains(&State::Sending));
    child.kill().unwrap();
    child.wait().unwrap();
    server.restart(Behaviour::default());

    let out = stdout(cli(store.path(), &dir, &["outbox", "run"]).output().unwrap());
    assert!(out.contains("1 message(s) were being sent when Rolodeck last stopped"), "{out}");
    let entries = list_outbox(store.conn(), None).unwrap();
    let swallowed = &entries[2];
    assert_eq!(swallowed.state, State::Uncertain);
    assert!(swallowed.last_error.as_deref().unwrap().contains("may have been sent"));
    assert_eq!(entries.iter().filter(|e| e.state == State::Sent).count(), 5);
    let received = server.received();
    assert_eq!(received.len(), 6, "the other five once each, and the swallowed one once");
    assert_once_each(&received, entries.iter().map(|e| e.message_id.as_str()));

    // Retrying all waiting messages leaves it alone; only an explicit retry by id resends it.
    stdout(cli(store.path(), &dir, &["outbox", "retry", "--all"]).output().unwrap());
    stdout(cli(store.path(), &dir, &["outbox", "run"]).output().unwrap());
    assert_eq!(server.received().len(), 6);
    let id = swallowed.id.to_string();
    stdout(cli(store.path(), &dir, &["outbox", "retry", &id]).output().unwrap());
    stdout(cli(store.path(), &dir, &["outbox", "run"]).output().unwrap());
    let copies = server.received().iter().filter(|m| m.message_id() == swallowed.message_id).count();
    assert_eq!(copies, 2, "the user chose to resend it, with the same Message-ID");

    let dropped = cli(store.path(), &dir, &["outbox", "drop", &id]).output().unwrap();
    assert_eq!(dropped.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&dropped.stderr).contains("it was sent already"));
}

#[test]
fn a_connection_that_breaks_after_the_content_leaves_the_message_uncertain() {
    let (dir, store) = common::temp_store();
    let server = SmtpServer::start(Behaviour { hang_up_nth: Some(2), ..Default::default() });
    queue(&store, &settings(server.port()), &seed(&store, 4), None, false);
    let report = run(&store, &settings(server.port()), &dir, 6_000);
    assert_eq!((report.sent, report.uncertain), (3, 1), "{report:?}");
    let again = run_with(&store, &settings(server.port()), &dir, 6_000, true);
    assert_eq!(again.sent, 0, "an uncertain message is not resent by a later run");
    let entries = list_outbox(store.conn(), None).unwrap();
    assert_eq!(entries[1].state, State::Uncertain);
    assert!(entries[1].last_error.as_deref().unwrap().contains("connection broke before the server confirmed"));
    assert_once_each(&server.received(), entries.iter().map(|e| e.message_id.as_str()));
}

#[test]
fn a_session_the_server_closed_while_idle_is_reopened_without_costing_a_try() {
    let (dir, store) = common::temp_store();
    let server = SmtpServer::start(Behaviour { idle_limit: Some(Duration::from_millis(100)), ..Default::default() });
    queue(&store, &settings(server.port()), &seed(&store, 3), None, false);
    // One message every 300 ms: the server hangs up between them.
    let report = run(&store, &settings(server.port()), &dir, 200);
    assert_eq!((report.sent, report.deferred), (3, 0), "{report:?}");
    assert!(list_outbox(store.conn(), None).unwrap().iter().all(|e| e.attempts == 1));
}

#[test]
fn consent_and_the_suppression_list_are_respected_with_reasons() {
    let (dir, store) = common::temp_store();
    let server = SmtpServer::start(Behaviour::default());
    let conn = store.conn();
    let add = |given: &str, email: Option<&str>, opted_in: bool, do_not_email: bool| {
        let emails = email
            .map(|e| vec![LabeledValue { label: "work".into(), value: e.into(), primary: true }])
            .unwrap_or_default();
        let contact = contacts::create_contact(
            conn,
            ContactDraft { given_name: given.into(), family_name: "Test".into(), emails, ..Default::default() },
        )
        .unwrap();
        let opt_in = opted_in.then(|| OptIn { at: Utc::now(), source: "signup form".into() });
        set_consent(conn, contact.id, &Consent { email_opt_in: opt_in, do_not_email, ..Default::default() }).unwrap();
        contact
    };
    // A bounce recorded before Cy was added (say, from an earlier import) still holds.
    suppress_address(conn, "cy@x.example", SuppressionReason::Bounced, "550 no such user", Utc::now()).unwrap();
    let people = vec![
        add("Ann", Some("ann@x.example"), true, false),
        add("Bo", Some("bo@x.example"), true, true),
        add("Cy", Some("cy@x.example"), true, false),
        add("Di", Some("di@x.example"), false, false),
        add("Ed", None, true, false),
        add("Flo", Some("ANN@x.example"), true, false),
        add("Gus", Some("gus@x.example"), true, false),
    ];
    let settings = MailSettings { require_opt_in: true, ..settings(server.port()) };
    let queued = queue(&store, &settings, &people, None, false);

    let reasons: Vec<(String, String)> = queued.skipped.iter().map(|s| (s.name.clone(), s.reason.clone())).collect();
    let expected = [
        ("Bo Test", "Bo Test is marked do-not-email"),
        ("Cy Test", "cy@x.example is on the suppression list (bounced on"),
        ("Di Test", "Di Test has not opted in to email"),
        ("Ed Test", "Ed Test has no email address"),
        ("Flo Test", "ANN@x.example already gets this message (as Ann Test)"),
    ];
    assert_eq!(reasons.len(), expected.len(), "{reasons:?}");
    for ((name, reason), (want_name, want_reason)) in reasons.iter().zip(expected) {
        assert_eq!(name, want_name);
        assert!(reason.starts_with(want_reason), "{name}: {reason}");
    }
    assert_eq!(queued.queued, 2);

    // Ann unsubscribes while her message waits: it is not sent, and she is do-not-email now.
    assert_eq!(suppress_address(conn, "Ann@X.example", SuppressionReason::Unsubscribed, "", Utc::now()).unwrap(), 2);
    assert!(get_consent(conn, people[0].id).unwrap().do_not_email);
    let report = run(&store, &settings, &dir, 6_000);
    assert_eq!((report.sent, report.cancelled), (1, 1), "{report:?}");
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].rcpt_to, ["gus@x.example"]);
    let ann = list_outbox(conn, Some(State::Cancelled)).unwrap();
    assert!(ann[0].last_error.as_deref().unwrap().contains("Ann Test is marked do-not-email"), "{ann:?}");
}

#[test]
fn a_fax_goes_to_the_gateway_with_its_pdf_and_is_logged_as_a_fax() {
    let (dir, store) = common::temp_store();
    let server = SmtpServer::start(Behaviour::default());
    let settings = MailSettings { fax_gateway: "{fax_digits}@fax.example".into(), ..settings(server.port()) };
    set_mail_settings(store.conn(), &settings).unwrap();
    let fax = |given: &str, number: Option<&str>| ContactDraft {
        given_name: given.into(),
        family_name: "Fax".into(),
        phones: number
            .map(|n| vec![LabeledValue { label: "fax".into(), value: n.into(), primary: false }])
            .unwrap_or_default(),
        ..Default::default()
    };
    let ann = contacts::create_contact(store.conn(), fax("Ann", Some("+1 (555) 010-9999"))).unwrap();
    contacts::create_contact(store.conn(), fax("Bo", None)).unwrap();
    let cy = contacts::create_contact(store.conn(), fax("Cy", Some("+49 30 1234567"))).unwrap();
    set_consent(store.conn(), cy.id, &Consent { do_not_fax: true, ..Default::default() }).unwrap();
    let pdf = dir.path().join("offer.pdf");
    std::fs::write(&pdf, &sample_pdf().bytes).unwrap();
    let body = dir.path().join("cover.txt");
    std::fs::write(&body, "Cover sheet for {{ full_name }}").unwrap();

    let args = [
        "send",
        "--fax",
        "--subject-template",
        "Offer for {{ first_name }}",
        "--body-template",
        body.to_str().unwrap(),
        "--attach",
        pdf.to_str().unwrap(),
    ];
    let out = stdout(cli(store.path(), &dir, &args).output().unwrap());
    assert!(out.contains("queued 1 fax"), "{out}");
    assert!(out.contains("skipped Bo Fax: Bo Fax has no fax number"), "{out}");
    assert!(out.contains("skipped Cy Fax: Cy Fax is marked do-not-fax"), "{out}");
    assert!(out.contains("sent 1,"), "{out}");

    let m = &server.received()[0];
    assert_eq!(m.rcpt_to, ["15550109999@fax.example"]);
    assert_eq!(m.attachment("offer.pdf"), sample_pdf().bytes);
    assert_eq!(m.header("List-Unsubscribe"), None, "a fax has no unsubscribe header");
    assert!(m.part("text/plain").starts_with("Cover sheet for Ann Fax"));
    let timeline = rolodeck::workflow::activity::timeline(store.conn(), ann.id).unwrap();
    assert_eq!(
        (timeline[0].kind, timeline[0].summary.as_str()),
        (rolodeck::workflow::activity::ActivityKind::Fax, "Fax sent: Offer for Ann")
    );
}

#[test]
fn a_fax_without_a_document_carries_its_cover_sheet_and_the_letter() {
    let (dir, store) = common::temp_store();
    let server = SmtpServer::start(Behaviour::default());
    let settings = MailSettings { fax_gateway: "{fax_digits}@fax.example".into(), ..settings(server.port()) };
    let ann = ContactDraft {
        given_name: "Ann".into(),
        family_name: "Fax".into(),
        company: "Acme".into(),
        phones: vec![LabeledValue { label: "fax".into(), value: "+1 (555) 010-9999".into(), primary: false }],
        ..Default::default()
    };
    let ann = contacts::create_contact(store.conn(), ann).unwrap();
    let (subject, body) = (Template::parse("subject", SUBJECT).unwrap(), Template::parse("body", BODY).unwrap());
    let sender = Sender { name: "Bo Berg".into(), fax: "+1 555 010 0000".into(), ..Default::default() };
    let fax = EmailRun {
        kind: MessageKind::Fax,
        subject: &subject,
        body: &body,
        html: false,
        attachment: None,
        letter: None,
        sender: &sender,
        images: &SenderImages::default(),
        today: "November 26, 2026",
        settings: &settings,
    };
    assert_eq!(queue_merge(store.conn(), &fax, &[ann], Utc::now()).unwrap().queued, 1);
    assert_eq!(run(&store, &settings, &dir, 6_000).sent, 1);

    let pdf = dir.path().join("fax.pdf");
    std::fs::write(&pdf, server.received()[0].attachment("fax.pdf")).unwrap();
    assert!(common::poppler("pdfinfo", &[], &pdf).contains("Pages:           2"));
    let cover = common::poppler("pdftotext", &["-f", "1", "-l", "1", "-layout"], &pdf);
    for expected in [
        "FAX",
        "Ann Fax, Acme",
        "+1 (555) 010-9999",
        "+1 555 010 0000",
        "2 (including this cover)",
        "Hello Ann at Acme",
    ] {
        assert!(cover.contains(expected), "the cover lacks {expected:?}:\n{cover}");
    }
    let letter = common::poppler("pdftotext", &["-f", "2", "-l", "2", "-layout"], &pdf);
    assert!(letter.contains("Dear Ann,") && letter.contains("A short note for Acme."), "{letter}");
}

#[test]
fn an_email_can_carry_its_recipients_own_letter_as_a_pdf() {
    use rolodeck::mail::compose::LetterAttachment;
    use rolodeck::merge::layout::Paper;
    let (dir, store) = common::temp_store();
    let server = SmtpServer::start(Behaviour::default());
    let settings = settings(server.port());
    let people = seed(&store, 3);
    let (subject, body) = (Template::parse("subject", SUBJECT).unwrap(), Template::parse("body", BODY).unwrap());
    let letter = Template::parse("offer", "{{ greeting }},\n\nHere is the offer for {{ company }}.").unwrap();
    let sender = Sender { name: "Bo Berg".into(), ..Default::default() };
    let run_spec = EmailRun {
        kind: MessageKind::Email,
        subject: &subject,
        body: &body,
        html: false,
        attachment: None,
        letter: Some(&LetterAttachment { template: &letter, name: "offer", paper: Paper::DinA }),
        sender: &sender,
        images: &SenderImages::default(),
        today: "November 26, 2026",
        settings: &settings,
    };
    assert_eq!(queue_merge(store.conn(), &run_spec, &people, Utc::now()).unwrap().queued, 3);
    assert_eq!(run(&store, &settings, &dir, 6_000).sent, 3);
    for (i, person) in people.iter().enumerate() {
        let m = server.received().into_iter().find(|m| m.rcpt_to == [address_of(person)]).unwrap();
        let pdf = dir.path().join(format!("offer-{i}.pdf"));
        std::fs::write(&pdf, m.attachment("offer.pdf")).unwrap();
        let text = common::poppler("pdftotext", &[], &pdf);
        assert!(
            text.contains(&format!("Dear Ann{i:03},")) && text.contains(&format!("offer for Company {i}.")),
            "{text}"
        );
        assert!(!text.contains(&format!("Company {}", (i + 1) % 3)), "only their own letter");
        assert!(common::poppler("pdfinfo", &[], &pdf).contains("595.276 x 841.89 pts (A4)"));
    }
}

#[test]
fn a_merged_subject_cannot_inject_a_header() {
    let (dir, store) = common::temp_store();
    let server = SmtpServer::start(Behaviour::default());
    let evil = ContactDraft {
        given_name: "Eve".into(),
        company: "Acme\r\nBcc: evil@x.example".into(),
        emails: vec![LabeledValue { label: "work".into(), value: "eve@acme.example".into(), primary: true }],
        ..Default::default()
    };
    let contact = contacts::create_contact(store.conn(), evil).unwrap();
    queue(&store, &settings(server.port()), &[contact], None, false);
    assert_eq!(run(&store, &settings(server.port()), &dir, 6_000).sent, 1);

    let m = &server.received()[0];
    assert_eq!(m.rcpt_to, ["eve@acme.example"], "nobody else is told to the server");
    assert_eq!(m.header("Subject").as_deref(), Some("Hello Eve at Acme Bcc: evil@x.example"));
    let names: Vec<String> = m.headers().into_iter().map(|(name, _)| name.to_ascii_lowercase()).collect();
    assert!(!names.contains(&"bcc".to_string()), "{names:?}");
    assert_eq!(names.iter().filter(|n| *n == "subject").count(), 1);
}

#[test]
fn the_password_never_reaches_the_database_file_or_the_output() {
    const SECRET: &str = "Tr0ub4dor&3-only-in-the-keyring";
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("mail.db");
    let server = SmtpServer::start(Behaviour { login: Some(("ann".into(), SECRET.into())), ..Default::default() });
    let port = server.port().to_string();
    let body = dir.path().join("body.txt");
    std::fs::write(&body, BODY).unwrap();
    let mut output = String::new();
    let mut rolodeck = |args: &[&str], stdin: Option<&str>| -> Output {
        let out = run_cli(&db, &dir, args, stdin);
        output.push_str(&String::from_utf8_lossy(&out.stdout));
        output.push_str(&String::from_utf8_lossy(&out.stderr));
        out
    };
    let setup = [
        "outbox",
        "setup",
        "--host",
        "127.0.0.1",
        "--security",
        "none",
        "--port",
        &port,
        "--user",
        "ann",
        "--from",
        "ann@berg.example",
        "--per-minute",
        "6000",
    ];
    stdout(rolodeck(&setup, None));
    let saved = stdout(rolodeck(&["outbox", "password"], Some(&format!("{SECRET}\n"))));
    assert!(saved.contains("readable only by you"), "{saved}");
    let store = Store::open(&db).unwrap();
    let people = seed(&store, 3);
    drop(store);
    stdout(rolodeck(&["outbox", "show"], None));
    let sent = stdout(rolodeck(
        &["send", "--subject-template", SUBJECT, "--body-template", body.to_str().unwrap(), "--to", ""],
        None,
    ));
    assert!(sent.contains("queued 3 emails") && sent.contains("sent 3,"), "{sent}");
    stdout(rolodeck(&["outbox", "test", "--to", "bo@x.example"], None));
    stdout(rolodeck(&["outbox", "list", "--json"], None));
    assert_eq!(server.logins(), ["ann", "ann"], "one login for the merge's session, one for the test email");

    // A wrong password: a clear error, and that password is not shown either.
    rolodeck(&["outbox", "password"], Some("not-the-password\n"));
    let failed = rolodeck(&["outbox", "test", "--to", "bo@x.example"], None);
    assert_eq!(failed.status.code(), Some(2));
    let err = String::from_utf8_lossy(&failed.stderr);
    assert!(
        err.contains("127.0.0.1 refused the login for ann: check the user name and password in Settings ▸ Email"),
        "{err}"
    );

    // ROLODECK_SMTP_PASSWORD overrides the saved (wrong) one, for scripts.
    let overridden = cli(&db, &dir, &["outbox", "test", "--to", "bo@x.example"])
        .env("ROLODECK_SMTP_PASSWORD", SECRET)
        .output()
        .unwrap();
    output.push_str(&String::from_utf8_lossy(&overridden.stdout));
    output.push_str(&String::from_utf8_lossy(&overridden.stderr));
    assert!(overridden.status.success() && server.logins().len() == 3, "{output}");

    assert!(!output.contains(SECRET) && !output.contains("not-the-password"), "a password was printed:\n{output}");
    for file in std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_file()) {
        let bytes = std::fs::read(&file).unwrap();
        let found = bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes());
        assert!(!found, "the password is in {}", file.display());
    }
    assert_eq!(people.len(), 3);
}

#[test]
fn without_a_keyring_the_password_goes_to_a_private_file() {
    if has_session_bus() {
        eprintln!(
            "skipped: this machine has a D-Bus session (and maybe a real keyring), which this test must not touch"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    stdout(run_cli(
        &db,
        &dir,
        &["outbox", "setup", "--host", "smtp.example.com", "--user", "ann", "--from", "ann@example.com"],
        None,
    ));
    let saved = stdout(run_cli_keyring(&db, &dir, &["outbox", "password"], "hunter2-abc\n"));
    let file = config_dir(&dir).join("rolodeck/smtp-ann@smtp.example.com.password");
    assert!(saved.contains(&file.display().to_string()), "the keyring was tried, then the file: {saved}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let store = PasswordStore::files_in(config_dir(&dir).join("rolodeck"));
    assert_eq!(store.load("ann@smtp.example.com").unwrap().unwrap().0, Password::new("hunter2-abc"));
}

#[test]
fn connection_problems_say_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let server = SmtpServer::start(Behaviour {
        login: Some(("ann".into(), "right".into())),
        reject_rcpt: vec!["nobody@x.example".into()],
        ..Default::default()
    });
    let passwords = PasswordStore::files_in(dir.path());
    passwords.save("ann@127.0.0.1", &Password::new("right")).unwrap();
    let test = |settings: MailSettings, to: &str| -> String {
        let connector = SmtpConnector::new(settings, &passwords).unwrap();
        match send_test_email(&connector, to) {
            Ok(()) => "ok".into(),
            Err(Error::Mail(err)) => err.to_string(),
            Err(other) => panic!("not a mail error: {other}"),
        }
    };
    let login = MailSettings { user: "ann".into(), ..settings(server.port()) };
    assert_eq!(test(login.clone(), "bo@x.example"), "ok");

    let closed = SmtpServer::start(Behaviour::default());
    let closed_port = closed.port();
    drop(closed);
    let refused = test(settings(closed_port), "bo@x.example");
    assert!(refused.contains(&format!("127.0.0.1 refused the connection on port {closed_port}")), "{refused}");

    let tls = test(MailSettings { security: Security::Tls, ..login.clone() }, "bo@x.example");
    assert!(tls.starts_with("could not set up a secure connection with 127.0.0.1"), "{tls}");
    let starttls = test(MailSettings { security: Security::Starttls, ..login.clone() }, "bo@x.example");
    assert!(starttls.contains("STARTTLS") && starttls.contains("check the security setting"), "{starttls}");

    passwords.save("ann@127.0.0.1", &Password::new("wrong")).unwrap();
    let refused_login = test(login.clone(), "bo@x.example");
    assert!(
        refused_login.starts_with("127.0.0.1 refused the login for ann: check the user name and password"),
        "{refused_login}"
    );

    passwords.save("ann@127.0.0.1", &Password::new("right")).unwrap();
    let rejected = test(login, "nobody@x.example");
    assert!(
        rejected.starts_with("the test message to nobody@x.example was not taken: 127.0.0.1: permanent error (550)"),
        "{rejected}"
    );

    let missing =
        SmtpConnector::new(MailSettings { user: "cy".into(), ..settings(server.port()) }, &passwords).err().unwrap();
    assert!(missing.to_string().starts_with("no password is saved for cy@127.0.0.1"), "{missing}");
}

#[test]
fn starttls_with_a_trusted_certificate_sends_a_merge_encrypted() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tls.db");
    let ca = TestCa::new("Rolodeck test CA");
    let trusted = dir.path().join("ca.pem");
    ca.write_pem(&trusted);
    let login = ("bo".to_string(), "s3cret-over-tls".to_string());
    let server = SmtpServer::start(Behaviour { tls: Some(ca.starttls()), login: Some(login), ..Default::default() });
    setup_mail(&db, &dir, "starttls", server.port(), "bo");
    stdout(run_cli(&db, &dir, &["outbox", "password"], Some("s3cret-over-tls\n")));
    seed(&Store::open(&db).unwrap(), 3);
    let body = dir.path().join("body.txt");
    std::fs::write(&body, BODY).unwrap();

    let args = ["send", "--subject-template", SUBJECT, "--body-template", body.to_str().unwrap(), "--to", ""];
    let out = stdout(trusting(&trusted, cli(&db, &dir, &args)).output().unwrap());
    assert!(out.contains("queued 3 emails") && out.contains("sent 3,"), "{out}");

    let received = server.received();
    assert_eq!(received.len(), 3);
    assert!(received.iter().all(|m| m.encrypted), "every message came after the TLS upgrade");
    assert_eq!(server.logins(), ["bo"], "one login, which the server takes only over TLS");
    let store = Store::open(&db).unwrap();
    assert_once_each(&received, list_outbox(store.conn(), None).unwrap().iter().map(|e| e.message_id.as_str()));
    assert_eq!(received[0].header("Subject").as_deref(), Some("Hello Ann000 at Company 0"));
}

#[test]
fn implicit_tls_with_a_trusted_certificate_sends() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tls.db");
    let ca = TestCa::new("Rolodeck test CA");
    let trusted = dir.path().join("ca.pem");
    ca.write_pem(&trusted);
    let server = SmtpServer::start(Behaviour { tls: Some(ca.implicit()), ..Default::default() });
    setup_mail(&db, &dir, "tls", server.port(), "");

    let out = stdout(trusting(&trusted, cli(&db, &dir, &["outbox", "test", "--to", "cy@x.example"])).output().unwrap());
    assert!(out.contains("sent a test email to cy@x.example"), "{out}");
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].rcpt_to, ["cy@x.example"]);
    assert!(received[0].encrypted, "it came over TLS");
    assert_eq!(received[0].header("Subject").as_deref(), Some("Rolodeck test email"));
}

#[test]
fn an_untrusted_certificate_stops_the_run_says_what_to_do_and_keeps_the_messages() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tls.db");
    let ca = TestCa::new("The server's own CA");
    // The sender trusts only some other authority, so the server's certificate is unknown to it.
    let trusted = dir.path().join("other-ca.pem");
    TestCa::new("Someone else's CA").write_pem(&trusted);
    let mut server = SmtpServer::start(Behaviour { tls: Some(ca.starttls()), ..Default::default() });
    setup_mail(&db, &dir, "starttls", server.port(), "");
    seed(&Store::open(&db).unwrap(), 2);
    let body = dir.path().join("body.txt");
    std::fs::write(&body, BODY).unwrap();

    let args = ["send", "--subject-template", SUBJECT, "--body-template", body.to_str().unwrap(), "--to", ""];
    let out = trusting(&trusted, cli(&db, &dir, &args)).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stdout));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_untrusted(&err);
    assert!(String::from_utf8_lossy(&out.stdout).contains("queued 2 emails"));
    let store = Store::open(&db).unwrap();
    for entry in list_outbox(store.conn(), None).unwrap() {
        assert_eq!(entry.state, State::Queued, "it waits for the certificate to be trusted: {entry:?}");
        assert_untrusted(entry.last_error.as_deref().unwrap());
    }
    assert!(server.received().is_empty(), "nothing was sent");

    // The same over implicit TLS, where the handshake comes before the greeting.
    server.restart(Behaviour { tls: Some(ca.implicit()), ..Default::default() });
    setup_mail(&db, &dir, "tls", server.port(), "");
    let out = trusting(&trusted, cli(&db, &dir, &["outbox", "test", "--to", "cy@x.example"])).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_untrusted(&String::from_utf8_lossy(&out.stderr));
    assert!(server.received().is_empty(), "nothing was sent");
}

#[test]
fn a_login_refused_for_want_of_starttls_says_to_turn_it_on() {
    let dir = tempfile::tempdir().unwrap();
    let login = ("bo".to_string(), "right".to_string());
    let server = SmtpServer::start(Behaviour {
        tls: Some(TestCa::new("Rolodeck test CA").starttls()),
        login: Some(login),
        ..Default::default()
    });
    let passwords = PasswordStore::files_in(dir.path());
    passwords.save("bo@127.0.0.1", &Password::new("right")).unwrap();
    let plain = MailSettings { user: "bo".into(), ..settings(server.port()) };
    let err = send_test_email(&SmtpConnector::new(plain, &passwords).unwrap(), "cy@x.example").unwrap_err();
    assert_eq!(
        err.to_string(),
        "127.0.0.1 takes a login only over an encrypted connection: set the security to STARTTLS in \
         Settings ▸ Email (port 587)"
    );
    assert!(server.received().is_empty() && server.logins().is_empty());
}

/// The app's message for an unknown certificate: what happened, and what to do, which is not to
/// change the (right) security setting.
fn assert_untrusted(message: &str) {
    for expected in [
        "127.0.0.1 showed a certificate this computer does not trust",
        "UnknownIssuer",
        "add that certificate to this computer's trusted ones; nothing was sent",
    ] {
        assert!(message.contains(expected), "{expected} missing in: {message}");
    }
    assert!(!message.contains("check the security setting"), "{message}");
}

// ---------------------------------------------------------------------------------------------
// Helpers

fn settings(port: u16) -> MailSettings {
    MailSettings {
        host: "127.0.0.1".into(),
        port,
        security: Security::None,
        from_name: "Bo Berg".into(),
        from_address: "bo@berg.example".into(),
        per_minute: 6_000,
        timeout_seconds: 30,
        ..Default::default()
    }
}

/// Sets the mail settings through the CLI, as a user would: `security` is starttls, tls or none.
fn setup_mail(db: &Path, dir: &TempDir, security: &str, port: u16, user: &str) {
    let port = port.to_string();
    let args = ["outbox", "setup", "--host", "127.0.0.1", "--security", security, "--port", &port, "--user", user];
    stdout(run_cli(db, dir, &[&args[..], &["--from", "bo@berg.example", "--per-minute", "6000"]].concat(), None));
}

/// Trusts the certificates in `ca_file` only (rustls-native-certs reads `SSL_CERT_FILE` in place
/// of the system's store), in the child process alone.
fn trusting(ca_file: &Path, mut command: Command) -> Command {
    command.env("SSL_CERT_FILE", ca_file).env_remove("SSL_CERT_DIR");
    command
}

fn seed(store: &Store, count: usize) -> Vec<Contact> {
    let drafts = (0..count).map(|i| ContactDraft {
        given_name: format!("Ann{i:03}"),
        family_name: "Lee".into(),
        company: format!("Company {i}"),
        emails: vec![LabeledValue { label: "work".into(), value: format!("ann{i:03}@lee.example"), primary: true }],
        ..Default::default()
    });
    let ids = contacts::create_contacts(store.conn(), drafts).unwrap();
    ids.into_iter().map(|id| contacts::get_contact(store.conn(), id).unwrap()).collect()
}

fn address_of(contact: &Contact) -> String {
    contact.draft.emails[0].value.clone()
}

fn sample_pdf() -> Attachment {
    // Every byte value, so a mangled transfer encoding shows.
    let mut bytes = b"%PDF-1.4\n".to_vec();
    bytes.extend((0..=255u8).cycle().take(3000));
    Attachment { file_name: "sample.pdf".into(), content_type: "application/pdf".into(), bytes }
}

fn queue(
    store: &Store,
    settings: &MailSettings,
    people: &[Contact],
    attachment: Option<&Attachment>,
    html: bool,
) -> Queued {
    let (subject, body) = (Template::parse("subject", SUBJECT).unwrap(), Template::parse("body", BODY).unwrap());
    let sender = Sender { name: "Bo Berg".into(), ..Default::default() };
    let run = EmailRun {
        kind: MessageKind::Email,
        subject: &subject,
        body: &body,
        html,
        attachment,
        letter: None,
        sender: &sender,
        images: &SenderImages::default(),
        today: "November 26, 2026",
        settings,
    };
    queue_merge(store.conn(), &run, people, Utc::now()).unwrap()
}

fn run(store: &Store, settings: &MailSettings, dir: &TempDir, per_minute: u32) -> RunReport {
    run_with(store, settings, dir, per_minute, false)
}

fn run_with(
    store: &Store,
    settings: &MailSettings,
    dir: &TempDir,
    per_minute: u32,
    ignore_schedule: bool,
) -> RunReport {
    let connector = SmtpConnector::new(settings.clone(), &PasswordStore::files_in(dir.path().join("config"))).unwrap();
    let options = RunOptions { per_minute, ignore_schedule, stop: None };
    run_outbox(store, &connector, &options, &mut |_| {}).unwrap()
}

/// Each expected Message-ID arrived exactly once, and nothing else arrived.
fn assert_once_each<'a>(received: &[Received], expected: impl Iterator<Item = &'a str>) {
    let mut arrived: Vec<String> = received.iter().map(Received::message_id).collect();
    let mut expected: Vec<String> = expected.map(str::to_string).collect();
    arrived.sort();
    expected.sort();
    assert_eq!(arrived, expected);
}

fn states(store: &Store) -> Vec<State> {
    list_outbox(store.conn(), None).unwrap().into_iter().map(|e| e.state).collect()
}

fn wait_until(limit: Duration, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < limit, "gave up waiting after {limit:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn config_dir(dir: &TempDir) -> PathBuf {
    dir.path().join("config")
}

/// The real binary on `db`, its config (and password file) in the temp dir, never a keyring.
fn cli(db: &Path, dir: &TempDir, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rolodeck"));
    command
        .arg("--db")
        .arg(db)
        .args(args)
        .env("XDG_CONFIG_HOME", config_dir(dir))
        .env("ROLODECK_PASSWORD_STORE", "file")
        .env_remove("ROLODECK_DB")
        .env_remove("ROLODECK_SMTP_PASSWORD")
        .stdin(Stdio::null());
    command
}

fn run_cli(db: &Path, dir: &TempDir, args: &[&str], stdin: Option<&str>) -> Output {
    let mut command = cli(db, dir, args);
    feed(&mut command, stdin.unwrap_or(""))
}

/// As `cli`, but letting the keyring be tried (only where there is none to touch).
fn run_cli_keyring(db: &Path, dir: &TempDir, args: &[&str], stdin: &str) -> Output {
    let mut command = cli(db, dir, args);
    command.env_remove("ROLODECK_PASSWORD_STORE");
    feed(&mut command, stdin)
}

fn feed(command: &mut Command, stdin: &str) -> Output {
    use std::io::Write;
    let mut child: Child = command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(out: Output) -> String {
    assert!(
        out.status.success(),
        "failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn has_session_bus() -> bool {
    let uid = std::fs::metadata("/proc/self").map(|m| std::os::unix::fs::MetadataExt::uid(&m)).unwrap_or(0);
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() || Path::new(&format!("/run/user/{uid}/bus")).exists()
}
