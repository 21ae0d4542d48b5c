//! Letter merges printed to real PDFs through `run_merge` and read back with poppler
//! (pdftotext, pdffonts, pdfinfo): every name and address where it belongs, inside the envelope
//! window, with the fonts embedded.

mod common;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use common::{person, poppler, temp_store};
use rolodeck::Store;
use rolodeck::contacts::{self, Address, Contact, ContactDraft};
use rolodeck::merge::Layout;
use rolodeck::merge::fields::{DateStyle, Sender};
use rolodeck::merge::layout::Paper;
use rolodeck::merge::output::Target;
use rolodeck::merge::preflight::ProblemKind;
use rolodeck::merge::run::{MergeReport, MergeSpec, preflight_run, run_merge};
use rolodeck::merge::runs::list_runs;
use rolodeck::merge::sheets::{Envelope, LabelSheet};
use rolodeck::merge::template::Template;

fn address(street: &str, postal: &str, city: &str, region: &str, country: &str) -> Vec<Address> {
    vec![Address {
        street: street.into(),
        postal_code: postal.into(),
        city: city.into(),
        region: region.into(),
        country: country.into(),
        ..Default::default()
    }]
}

/// A store holding five people with an address in five scripts and one without, and those
/// contacts in list order.
fn recipients() -> (tempfile::TempDir, Store, Vec<Contact>) {
    let (dir, store) = temp_store();
    let drafts = vec![
        ContactDraft {
            prefix: "Mr.".into(),
            company: "Acme Inc.".into(),
            addresses: address("12 Oak Ave", "97201", "Portland", "OR", "United States"),
            ..person("John", "Smith")
        },
        ContactDraft {
            addresses: address("Hauptstraße 5", "10115", "Berlin", "", "Germany"),
            ..person("Jürgen", "Müller")
        },
        ContactDraft {
            addresses: address("ul. Floriańska 12", "31-019", "Kraków", "", "Poland"),
            ..person("Łukasz", "Wróbel")
        },
        ContactDraft {
            addresses: address("Οδός Ερμού 15", "105 63", "Αθήνα", "", "Greece"),
            ..person("Σοφία", "Παπαδοπούλου")
        },
        ContactDraft {
            addresses: address("ул. Тверская, 7", "125009", "Москва", "", "Russia"),
            ..person("Ирина", "Смирнова")
        },
        ContactDraft { emails: vec![common::value("work", "nomail@example.com")], ..person("Nora", "Noaddress") },
    ];
    contacts::create_contacts(store.conn(), drafts).unwrap();
    let rows = contacts::search_contacts(&store, "", 0, 100).unwrap().rows;
    let all = rows.iter().map(|r| contacts::get_contact(store.conn(), r.id).unwrap()).collect();
    (dir, store, all)
}

fn sender() -> Sender {
    Sender { country: "United States".into(), ..common::ann_lee() }
}

/// `template` (a sample's name; none for envelopes and labels) in `layout`, dated November 26,
/// 2026 in the US style, from Ann Lee.
fn spec(layout: Layout, template: &str) -> MergeSpec {
    let mut spec = common::sample_spec(layout, template, sender());
    spec.options.date_style = Some(DateStyle::Us);
    spec
}

fn run(store: &Store, spec: &MergeSpec, people: &[Contact], pdf: &Path) -> rolodeck::Result<MergeReport> {
    let target = Target::File(pdf.to_path_buf());
    run_merge(store.conn(), spec, people, &target, &mut |_, _| {}, &AtomicBool::new(false))
}

/// Prints `spec` for the recipients into one PDF file in a temp dir; returns the report and the file.
fn merge(spec: &MergeSpec) -> (tempfile::TempDir, MergeReport, PathBuf) {
    let (dir, store, people) = recipients();
    let pdf = dir.path().join("merged.pdf");
    let report = run(&store, spec, &people, &pdf).unwrap();
    assert_eq!(report.files, std::slice::from_ref(&pdf));
    (dir, report, pdf)
}

fn letters(paper: Paper, template: &str) -> (tempfile::TempDir, MergeReport, PathBuf) {
    merge(&spec(Layout::Letter(paper), template))
}

#[test]
fn every_recipient_gets_a_page_with_their_name_and_address_intact() {
    let (_dir, report, pdf) = letters(Paper::UsWindow, "prospect-letter");
    assert_eq!(report.printed, 5);
    assert_eq!(report.pages, 5);
    assert!(poppler("pdfinfo", &[], &pdf).contains("Pages:           5"));
    // In list order: by folded family name, Latin before Greek before Cyrillic.
    let expected = [
        ["Jürgen Müller", "Hauptstraße 5", "10115 Berlin", "GERMANY"],
        ["Mr. John Smith", "Acme Inc.", "Portland, OR 97201", "Dear Mr. Smith,"],
        ["Łukasz Wróbel", "ul. Floriańska 12", "31-019 Kraków", "POLAND"],
        ["Σοφία Παπαδοπούλου", "Οδός Ερμού 15", "105 63 Αθήνα", "GREECE"],
        ["Ирина Смирнова", "ул. Тверская, 7", "125009 Москва", "RUSSIA"],
    ];
    for (i, lines) in expected.iter().enumerate() {
        let page = (i + 1).to_string();
        let text = poppler("pdftotext", &["-f", &page, "-l", &page, "-layout"], &pdf);
        for line in lines {
            assert!(text.contains(line), "page {page} lacks {line:?}:\n{text}");
        }
        assert!(text.contains("November 26, 2026") && text.contains("Ann Lee"), "page {page}:\n{text}");
    }
}

#[test]
fn those_who_cannot_get_a_letter_are_listed_with_the_reason() {
    let (_dir, report, _pdf) = letters(Paper::UsWindow, "prospect-letter");
    assert_eq!(report.skipped.len(), 1);
    assert_eq!(report.skipped[0].name, "Nora Noaddress");
    assert!(report.skipped[0].reason.contains("no postal address"));
}

#[test]
fn fonts_are_embedded_and_subset_and_metadata_is_set() {
    let (_dir, report, pdf) = letters(Paper::DinA, "prospect-letter");
    let fonts = poppler("pdffonts", &[], &pdf);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty());
    for row in rows {
        assert!(row.contains("DejaVuSans"), "{row}");
        assert!(row.contains(" yes yes yes "), "not embedded+subset+unicode: {row}");
    }
    let info = poppler("pdfinfo", &[], &pdf);
    assert!(info.contains("Title:           prospect-letter"), "the template's name: {info}");
    assert!(info.contains("Author:          Ann Lee"), "{info}");
    assert!(!info.contains("1970"), "a real creation date: {info}");
    assert!(info.contains("595.276 x 841.89 pts (A4)"), "{info}");
    assert_eq!(std::fs::metadata(&pdf).unwrap().len(), report.bytes);
    assert!(report.bytes / (report.printed as u64) < 40_000);
}

/// Word boxes on a page from `pdftotext -bbox`, in mm from the top-left corner.
fn word_boxes(pdf: &Path, page: usize) -> Vec<(String, [f32; 4])> {
    let page = page.to_string();
    let html = poppler("pdftotext", &["-f", &page, "-l", &page, "-bbox"], pdf);
    let attr = |line: &str, name: &str| -> f32 {
        let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        line[start..].split('"').next().unwrap().parse::<f32>().unwrap() * 25.4 / 72.0
    };
    html.lines()
        .filter(|l| l.trim_start().starts_with("<word"))
        .map(|l| {
            let word = l.split('>').nth(1).unwrap().split('<').next().unwrap().to_string();
            (word, [attr(l, "xMin"), attr(l, "yMin"), attr(l, "xMax"), attr(l, "yMax")])
        })
        .collect()
}

#[test]
fn the_address_block_prints_inside_the_envelope_window() {
    // Window rectangles (x, y, w, h in mm): #10 window, DIN 5008 form A and B.
    let cases = [
        (Paper::UsWindow, [22.225, 50.8, 114.3, 28.575]),
        (Paper::DinA, [20.0, 27.0, 85.0, 45.0]),
        (Paper::DinB, [20.0, 45.0, 85.0, 45.0]),
    ];
    for (paper, [x, y, w, h]) in cases {
        let (_dir, _report, pdf) = letters(paper, "welcome-client");
        let boxes = word_boxes(&pdf, 2); // John Smith's letter
        for word in ["Mr.", "John", "Smith", "Acme", "Oak", "Portland,", "97201"] {
            let (_, [x0, y0, x1, y1]) =
                boxes.iter().find(|(w, _)| w == word).unwrap_or_else(|| panic!("{paper:?}: no {word}"));
            let inside = *x0 >= x && *x1 <= x + w && *y0 >= y && *y1 <= y + h;
            assert!(inside, "{paper:?}: {word} at {x0:.1},{y0:.1}–{x1:.1},{y1:.1} is outside the window");
        }
    }
}

#[test]
fn a_template_with_a_typo_is_refused_before_anything_prints() {
    let mut typo = spec(Layout::Letter(Paper::UsWindow), "typo");
    typo.template_source = "Dear {{ frist_name }},".into();
    let template = Template::parse("typo", &typo.template_source).unwrap();
    assert_eq!(template.unknown_fields(), ["frist_name"]);
    let (dir, store, people) = recipients();
    let pdf = dir.path().join("letters.pdf");
    let err = run(&store, &typo, &people, &pdf).unwrap_err();
    assert_eq!(err.kind(), "invalid");
    assert!(err.to_string().contains("frist_name"), "{err}");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(left.iter().all(|name| !name.to_string_lossy().contains("letters.pdf")), "a file was left: {left:?}");
    assert!(list_runs(store.conn()).unwrap().is_empty(), "a refused run is not recorded");
}

#[test]
fn labels_print_inside_their_cells_from_the_start_label() {
    for sheet in [LabelSheet::Avery5160, LabelSheet::Avery5163, LabelSheet::AveryL7160] {
        let mut labels = spec(Layout::Labels(sheet), "");
        labels.options.start_at = 2;
        let (_dir, report, pdf) = merge(&labels);
        assert_eq!((report.printed, report.skipped.len()), (5, 1));
        let boxes = word_boxes(&pdf, 1);
        let g = sheet.geometry();
        // Label 1 stays empty; the recipients fill labels 2 to 6 in list order.
        for (slot, name) in [(1, "Müller"), (2, "Smith"), (3, "Wróbel"), (4, "Παπαδοπούλου"), (5, "Смирнова")]
        {
            let cell = g.cell(slot, (0.0, 0.0));
            let (_, [x0, y0, x1, y1]) =
                boxes.iter().find(|(w, _)| w == name).unwrap_or_else(|| panic!("{sheet:?}: no {name}"));
            assert!(
                *x0 >= cell.x && *x1 <= cell.x + cell.w && *y0 >= cell.y && *y1 <= cell.y + cell.h,
                "{sheet:?}: {name} outside label {}",
                slot + 1
            );
        }
        let first = g.cell(0, (0.0, 0.0));
        assert!(
            !boxes.iter().any(|(_, [x0, y0, ..])| *x0 >= first.x
                && *x0 <= first.x + first.w
                && *y0 >= first.y
                && *y0 <= first.y + first.h),
            "label 1 was used"
        );
    }
}

#[test]
fn envelopes_have_one_page_each_in_the_right_size() {
    let (_dir, report, pdf) = merge(&spec(Layout::Envelope(Envelope::Dl), ""));
    assert_eq!((report.printed, report.pages), (5, 5));
    let info = poppler("pdfinfo", &[], &pdf);
    assert!(info.contains("Pages:           5"), "{info}");
    assert!(info.contains("623.622 x 311.811 pts"), "DL is 220 × 110 mm: {info}");
    let text = poppler("pdftotext", &["-f", "2", "-l", "2", "-layout"], &pdf);
    assert!(
        text.contains("Ann Lee") && text.contains("Mr. John Smith") && text.contains("Portland, OR 97201"),
        "{text}"
    );
}

#[test]
fn preflight_finds_a_planted_unknown_field_a_blank_a_missing_glyph_and_an_overflow() {
    let (_dir, store, mut people) = recipients();
    people.retain(|c| !c.draft.addresses.is_empty());
    people.truncate(2);
    people[0].draft.company.clear();
    people[1].display_name = "王小明".into();
    people[1].draft.given_name = "王小明".into();
    people[1].draft.addresses[0].street =
        "An extraordinarily long street name that no envelope window could ever hold 12".into();
    let us_letter = |name: &str, source: &str| {
        let mut spec = spec(Layout::Letter(Paper::UsWindow), name);
        spec.template_source = source.into();
        spec
    };
    let typo = us_letter("typo", "Dear {{ first_name }},\n\nYour {{ compnay }} matters.");
    let problems = preflight_run(store.conn(), &typo, &people).unwrap();
    assert_eq!(problems.len(), 1);
    assert_eq!((problems[0].kind, problems[0].line), (ProblemKind::UnknownField, Some(3)));
    assert!(problems[0].message.contains("compnay"));

    let fine = us_letter("fine", "{{ greeting }},\n\nAt {{ company }} you deserve better.\n\n{{ sender.name }}");
    let problems = preflight_run(store.conn(), &fine, &people).unwrap();
    let kinds: Vec<_> = problems.iter().map(|p| (p.kind, p.contact_id)).collect();
    assert!(kinds.contains(&(ProblemKind::BlankField, Some(people[0].id))), "{problems:?}");
    assert!(kinds.contains(&(ProblemKind::MissingGlyph, Some(people[1].id))), "{problems:?}");
    assert!(kinds.contains(&(ProblemKind::AddressOverflow, Some(people[1].id))), "{problems:?}");
    let blank = problems.iter().find(|p| p.kind == ProblemKind::BlankField).unwrap();
    assert_eq!(blank.line, Some(3));
}

#[test]
fn saved_templates_live_in_the_file_and_can_replace_a_sample() {
    use rolodeck::merge::library::{delete_template, find_template, list_templates, save_template};
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let samples = list_templates(conn).unwrap();
    assert!(samples.iter().all(|t| t.sample) && samples.iter().any(|t| t.name == "prospect-letter"));

    save_template(conn, "Seminar invite", "Dear {{ first_name | fallback(\"friend\") }},\n\nJoin us.").unwrap();
    save_template(conn, "prospect-letter", "{{ greeting }},\n\nMy own words.").unwrap();
    let all = list_templates(conn).unwrap();
    assert_eq!(all.len(), samples.len() + 1);
    let mine = find_template(conn, "PROSPECT-LETTER").unwrap().unwrap();
    assert!(!mine.sample && mine.source.contains("My own words"));

    let broken = save_template(conn, "broken", "{% if company %}never closed").unwrap_err();
    assert_eq!(broken.kind(), "invalid");
    assert!(find_template(conn, "broken").unwrap().is_none(), "nothing half-saved");

    assert!(delete_template(conn, "prospect-letter").unwrap());
    assert!(find_template(conn, "prospect-letter").unwrap().unwrap().sample, "the sample is back");
}
