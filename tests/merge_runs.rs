//! Whole merge runs through `run_merge`, read back with poppler: fax cover sheets, one letter
//! per household, one PDF per recipient in a folder, the record of runs and re-prints, and a
//! cancelled run that leaves nothing behind; and the live preview.

mod common;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use common::{person, poppler, temp_store, value};
use rolodeck::contacts::{self, Address, Contact, ContactDraft};
use rolodeck::merge::Layout;
use rolodeck::merge::fields::Sender;
use rolodeck::merge::layout::Paper;
use rolodeck::merge::output::Target;
use rolodeck::merge::run::{MergeReport, MergeSpec, preview, reprint_run, run_merge};
use rolodeck::merge::runs::list_runs;
use rolodeck::merge::sheets::LabelSheet;
use rolodeck::workflow::activity::timeline;
use rolodeck::{Result, Store};

fn at(street: &str) -> Vec<Address> {
    vec![Address {
        street: street.into(),
        postal_code: "31-019".into(),
        city: "Kraków".into(),
        country: "Poland".into(),
        ..Default::default()
    }]
}

/// Anna and Piotr Nowak share a flat (written two ways), Bob Smith lives alone; only Anna and
/// Bob have a fax.
fn people(store: &Store) -> Vec<Contact> {
    let drafts = [
        ContactDraft {
            addresses: at("ul. Floriańska 12"),
            phones: vec![value("fax", "+48 12 000 00 01")],
            ..person("Anna", "Nowak")
        },
        ContactDraft { addresses: at("UL. FLORIANSKA  12."), ..person("Piotr", "Nowak") },
        ContactDraft {
            addresses: at("Rynek Główny 3"),
            phones: vec![value("fax", "+48 12 000 00 03")],
            ..person("Bob", "Smith")
        },
    ];
    contacts::create_contacts(store.conn(), drafts).unwrap();
    let rows = contacts::search_contacts(store, "", 0, 100).unwrap().rows;
    rows.iter().map(|r| contacts::get_contact(store.conn(), r.id).unwrap()).collect()
}

fn spec(layout: Layout, template: &str) -> MergeSpec {
    let sender = Sender { phone: "+1 217 555 0100".into(), fax: "+1 217 555 0199".into(), ..common::ann_lee() };
    let mut spec = common::sample_spec(layout, template, sender);
    spec.options.fax_note = "Please pass this on to the owner.".into();
    spec
}

fn run(store: &Store, spec: &MergeSpec, people: &[Contact], target: &Target) -> Result<MergeReport> {
    run_merge(store.conn(), spec, people, target, &mut |_, _| {}, &AtomicBool::new(false))
}

fn page_text(pdf: &Path, page: usize) -> String {
    let page = page.to_string();
    poppler("pdftotext", &["-f", &page, "-l", &page, "-layout"], pdf)
}

fn page_count(pdf: &Path) -> usize {
    let info = poppler("pdfinfo", &[], pdf);
    info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap()
}

#[test]
fn a_fax_opens_with_a_cover_that_counts_itself_and_names_the_fax_numbers() {
    let (dir, store) = temp_store();
    let people = people(&store);
    let pdf = dir.path().join("fax.pdf");
    let report = run(&store, &spec(Layout::Fax, "fax-cover"), &people, &Target::File(pdf.clone())).unwrap();

    assert_eq!((report.printed, report.pages), (2, 4), "Anna and Bob: a cover and one letter page each");
    assert_eq!(page_count(&pdf), 4);
    let skipped: Vec<_> = report.skipped.iter().map(|s| (s.name.as_str(), s.reason.as_str())).collect();
    assert_eq!(skipped, [("Piotr Nowak", "no fax number")]);

    let cover = page_text(&pdf, 1);
    for expected in [
        "FAX",
        "To:",
        "Anna Nowak",
        "+48 12 000 00 01",
        "Ann Lee, Lee Financial Planning",
        "+1 217 555 0199",
        "November 26, 2026",
        "2 (including this cover)",
        "fax-cover",
        "Please pass this on to the owner.",
    ] {
        assert!(cover.contains(expected), "the cover lacks {expected:?}:\n{cover}");
    }
    assert!(!cover.contains("Dear Anna"), "the letter is not on the cover");
    let letter = page_text(&pdf, 2);
    assert!(letter.contains("Dear Anna,") && letter.contains("The cover sheet says how many"), "{letter}");
    assert!(letter.contains("+1 217 555 0100"), "the fax sample gives the sender's phone for missing pages");
    assert!(page_text(&pdf, 3).contains("+48 12 000 00 03"), "Bob's cover comes next");
    assert!(poppler("pdfinfo", &[], &pdf).contains("612 x 792 pts (letter)"), "a US sender faxes US Letter");

    let anna = timeline(store.conn(), people[0].id).unwrap();
    assert_eq!(anna[0].summary, "Fax: fax-cover");

    let pages = preview(store.conn(), &spec(Layout::Fax, "fax-cover"), &people[0]).unwrap().pages;
    assert_eq!(pages.len(), 2, "the preview shows the cover and the letter, as printed");
    assert!(pages[0].contains(">FAX</text>") && pages[0].contains(">+48 12 000 00 01</text>"), "{}", pages[0]);
}

#[test]
fn one_letter_goes_to_a_household_and_the_others_are_reported() {
    let (dir, store) = temp_store();
    let people = people(&store);
    let mut spec = spec(Layout::Letter(Paper::DinB), "prospect-letter");
    spec.options.household = true;
    let pdf = dir.path().join("household.pdf");
    let report = run(&store, &spec, &people, &Target::File(pdf.clone())).unwrap();

    assert_eq!((report.printed, page_count(&pdf)), (2, 2));
    assert_eq!(report.skipped.len(), 1);
    assert_eq!(report.skipped[0].name, "Piotr Nowak");
    assert_eq!(report.skipped[0].reason, "same household as Anna Nowak");
    let first = page_text(&pdf, 1);
    assert!(first.contains("Anna & Piotr Nowak") && first.contains("Dear Anna & Piotr,"), "{first}");
    assert!(page_text(&pdf, 2).contains("Bob Smith"));
}

#[test]
fn a_folder_gets_one_named_pdf_per_recipient_and_nothing_is_overwritten() {
    let (dir, store) = temp_store();
    let people = people(&store);
    let folder = dir.path().join("letters");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("notes.txt"), "mine").unwrap();
    let spec = spec(Layout::Letter(Paper::UsWindow), "welcome-client");
    let report = run(&store, &spec, &people, &Target::Folder(folder.clone())).unwrap();

    let expected = ["0001 Nowak, Anna.pdf", "0002 Nowak, Piotr.pdf", "0003 Smith, Bob.pdf"];
    assert_eq!(report.files, expected.map(|name| folder.join(name)));
    let total: u64 = report.files.iter().map(|f| std::fs::metadata(f).unwrap().len()).sum();
    assert_eq!(report.bytes, total);
    for (file, name) in report.files.iter().zip(["Anna Nowak", "Piotr Nowak", "Bob Smith"]) {
        assert_eq!(page_count(file), 1);
        let text = page_text(file, 1);
        assert!(text.contains(name), "{} lacks {name}:\n{text}", file.display());
        for other in ["Anna Nowak", "Piotr Nowak", "Bob Smith"].iter().filter(|o| *o != &name) {
            assert!(!text.contains(other), "{} also holds {other}", file.display());
        }
    }

    // The same run again would overwrite: refused, and the first run's files stay as they were.
    let before = std::fs::read(&report.files[1]).unwrap();
    let mut changed = spec.clone();
    changed.template_source = "Changed {{ first_name }}".into();
    let err = run(&store, &changed, &people, &Target::Folder(folder.clone())).unwrap_err();
    assert!(err.to_string().contains("0001 Nowak, Anna.pdf already exists; nothing was overwritten"), "{err}");
    assert_eq!(std::fs::read(&report.files[1]).unwrap(), before);
    assert_eq!(std::fs::read_to_string(folder.join("notes.txt")).unwrap(), "mine");
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 4);
    assert_eq!(list_runs(store.conn()).unwrap().len(), 1, "the refused run is not recorded");
}

#[test]
fn a_run_is_listed_and_a_reprint_prints_the_same_text_even_after_the_template_changed() {
    use rolodeck::merge::library::save_template;
    let (dir, store) = temp_store();
    let people = people(&store);
    let source = "{{ greeting }},\n\nOur autumn rates for {{ city }}.\n\n{{ sender.name }}";
    save_template(store.conn(), "autumn", source).unwrap();
    let spec = MergeSpec { template_source: source.into(), ..spec(Layout::Letter(Paper::DinA), "autumn") };
    let first = dir.path().join("first.pdf");
    let report = run(&store, &spec, &people, &Target::File(first.clone())).unwrap();

    let runs = list_runs(store.conn()).unwrap();
    assert_eq!(runs.len(), 1);
    let listed = &runs[0];
    assert_eq!((listed.id, listed.printed, listed.skipped, listed.pages), (report.run_id, 3, 0, 3));
    assert_eq!(listed.spec, spec, "template text, layout and options are kept as printed");
    assert_eq!(Path::new(&listed.output), first.as_path());
    assert_eq!(listed.reprint_of, None);

    save_template(store.conn(), "autumn", "{{ greeting }},\n\nWinter is here.").unwrap();
    let again = dir.path().join("again.pdf");
    let reprint = |pdf: &Path| {
        reprint_run(store.conn(), report.run_id, &Target::File(pdf.into()), &mut |_, _| {}, &AtomicBool::new(false))
    };
    assert_eq!(reprint(&again).unwrap().printed, 3);
    let text = |pdf: &Path| poppler("pdftotext", &["-layout"], pdf);
    assert_eq!(text(&again), text(&first), "a re-print is the same letters");
    assert!(text(&again).contains("Our autumn rates for Kraków."));
    assert_eq!(timeline(store.conn(), people[0].id).unwrap().len(), 1, "a re-print adds no second activity");

    contacts::trash_contact(store.conn(), people[2].id).unwrap();
    let third = reprint(&again).unwrap();
    assert_eq!(third.printed, 2);
    assert_eq!((third.skipped[0].name.as_str(), third.skipped[0].reason.as_str()), ("Bob Smith", "in the Trash"));
    contacts::delete_contact(store.conn(), people[1].id).unwrap();
    let fourth = reprint(&again).unwrap();
    assert_eq!(fourth.printed, 1);
    assert_eq!(fourth.skipped[0].reason, "deleted for good since", "{:?}", fourth.skipped);

    let runs = list_runs(store.conn()).unwrap();
    assert_eq!(runs.len(), 4);
    assert_eq!((runs[1].reprint_of, runs[1].printed, runs[1].skipped), (Some(report.run_id), 2, 1), "newest first");
}

#[test]
fn a_cancelled_run_leaves_no_file_and_no_record() {
    let (dir, store) = temp_store();
    let people = people(&store);
    let spec = spec(Layout::Letter(Paper::UsWindow), "prospect-letter");
    let cancel = AtomicBool::new(false);
    let mut seen = Vec::new();
    let mut progress = |done, total| {
        seen.push((done, total));
        if done == 1 {
            cancel.store(true, Ordering::Relaxed); // as the app's Cancel button does
        }
    };
    let pdf = dir.path().join("letters.pdf");
    let err = run_merge(store.conn(), &spec, &people, &Target::File(pdf.clone()), &mut progress, &cancel).unwrap_err();
    assert_eq!(err.kind(), "cancelled");
    assert_eq!(seen, [(0, 3), (1, 3)], "it stopped after the letter in hand");

    let folder = dir.path().join("one-each");
    cancel.store(false, Ordering::Relaxed);
    let mut stop_after_first = |done, _| cancel.store(done == 1, Ordering::Relaxed);
    let err = run_merge(store.conn(), &spec, &people, &Target::Folder(folder.clone()), &mut stop_after_first, &cancel)
        .unwrap_err();
    assert_eq!(err.kind(), "cancelled");

    let labels = MergeSpec { layout: Layout::Labels(LabelSheet::Avery5160), ..spec.clone() };
    let mut stop_at_the_end = |done, total| cancel.store(done == total, Ordering::Relaxed);
    let target = Target::File(dir.path().join("labels.pdf"));
    let err = run_merge(store.conn(), &labels, &people, &target, &mut stop_at_the_end, &cancel).unwrap_err();
    assert_eq!(err.kind(), "cancelled", "even with the last sheet written");

    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with("contacts.db"))
        .collect();
    assert!(left.is_empty(), "no PDF, no .part file, no folder: {left:?}");
    assert!(list_runs(store.conn()).unwrap().is_empty());
    assert!(timeline(store.conn(), people[0].id).unwrap().is_empty(), "nothing on the timeline");
}

#[test]
fn the_preview_names_unknown_fields_and_why_a_recipient_would_be_skipped() {
    let (_dir, store) = temp_store();
    let people = people(&store);
    let mut letter = spec(Layout::Letter(Paper::DinB), "prospect-letter");
    // A test of a misspelt field renders (as false); printing it would not, so the preview names it.
    letter.template_source = "{% if frist_name %}Hi{% endif %}Dear {{ first_name }},".into();
    let consent = rolodeck::workflow::consent::Consent { do_not_mail: true, ..Default::default() };
    rolodeck::workflow::consent::set_consent(store.conn(), people[0].id, &consent).unwrap();
    let anna = contacts::get_contact(store.conn(), people[0].id).unwrap();

    let shown = preview(store.conn(), &letter, &anna).unwrap();
    assert_eq!(shown.pages.len(), 1);
    assert_eq!(shown.unknown_fields, ["frist_name"]);
    assert!(shown.skip_reason.as_deref().is_some_and(|r| r.contains("do-not-mail")), "{:?}", shown.skip_reason);

    let labels = preview(store.conn(), &spec(Layout::Labels(LabelSheet::Avery5160), ""), &people[2]).unwrap();
    assert!(labels.unknown_fields.is_empty() && labels.skip_reason.is_none(), "labels use no template");
}
