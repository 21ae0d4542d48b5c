//! CSV import over files shaped like what Google Contacts, Outlook, LinkedIn and Excel write
//! (made-up people, real formats and encodings): what each yields, that every draft passes
//! `check`, that the export reads back unchanged and defuses formulas, and that importing a
//! file twice into a real store adds nothing the second time.

mod common;

use common::temp_store;
use rolodeck::contacts::validate::check;
use rolodeck::contacts::{self, Birthday, ContactDraft, LabeledValue};
use rolodeck::export::csv::write_csv;
use rolodeck::import::batch::{OnMatch, apply_import, plan_import};
use rolodeck::import::csv::{CsvCards, CsvTable, read_table, rows_to_cards, suggest_mapping};

const FIXTURES: [(&str, &[u8]); 5] = [
    ("google.csv", include_bytes!("fixtures/csv/google.csv")),
    ("outlook.csv", include_bytes!("fixtures/csv/outlook.csv")),
    ("linkedin.csv", include_bytes!("fixtures/csv/linkedin.csv")),
    ("excel-semicolon-1252.csv", include_bytes!("fixtures/csv/excel-semicolon-1252.csv")),
    ("multiline.csv", include_bytes!("fixtures/csv/multiline.csv")),
];

fn read(name: &str) -> (CsvTable, CsvCards) {
    let (_, bytes) = FIXTURES.iter().find(|(file, _)| *file == name).expect("a fixture");
    read_bytes(bytes)
}

fn read_bytes(bytes: &[u8]) -> (CsvTable, CsvCards) {
    let table = read_table(bytes).expect("a table");
    let cards = rows_to_cards(&table, &suggest_mapping(&table.headers));
    (table, cards)
}

fn drafts(name: &str) -> Vec<ContactDraft> {
    read(name).1.cards.into_iter().map(|(draft, _)| draft).collect()
}

fn names(drafts: &[ContactDraft]) -> Vec<(&str, &str, &str)> {
    drafts.iter().map(|d| (d.given_name.as_str(), d.family_name.as_str(), d.company.as_str())).collect()
}

fn values(rows: &[LabeledValue]) -> Vec<(&str, &str, bool)> {
    rows.iter().map(|r| (r.label.as_str(), r.value.as_str(), r.primary)).collect()
}

fn day(year: Option<i32>, month: u32, day: u32) -> Option<Birthday> {
    Some(Birthday { year, month, day })
}

#[test]
fn google_export_reads_labels_primaries_multi_values_tags_and_birthdays() {
    let (table, read) = read("google.csv");
    assert_eq!((table.encoding, table.delimiter, table.skipped_preamble), ("UTF-8", ',', 0));
    let d = drafts("google.csv");
    assert_eq!(
        names(&d),
        [
            ("Hannah", "Okafor", "Brightline Studio"),
            ("Rafael", "Mendes", "Gráfica Mendes"),
            ("", "", "Northwind Catering"),
            ("Priya", "Raman", "")
        ]
    );
    let hannah = &d[0];
    assert_eq!(
        values(&hannah.emails),
        [("work", "hannah@brightline.example", true), ("home", "hannah.okafor@mailbox.example", false)]
    );
    assert_eq!(
        values(&hannah.phones),
        [("mobile", "+1 415-555-0142", true), ("work", "+1 415 555 0100", false), ("work", "+1 415 555 0101", false)]
    );
    let address = &hannah.addresses[0];
    assert_eq!(
        [
            &address.label,
            &address.street,
            &address.extra,
            &address.city,
            &address.region,
            &address.postal_code,
            &address.country
        ],
        ["work", "500 Howard St", "Suite 300", "San Francisco", "CA", "94105", "US"]
    );
    assert_eq!((hannah.job_title.as_str(), hannah.birthday), ("Creative Director", day(Some(1986), 3, 14)));
    assert_eq!(hannah.tags, ["Clients", "starred"]);
    assert_eq!(hannah.websites, ["https://brightline.example/hannah"]);
    assert_eq!(
        hannah.notes,
        "Met at Lisbon Design Week.\nPrefers calls after 10am, never on Fridays.\n\n—\nOrganization Department: Design\nRelation (Spouse): Tomás Okafor"
    );
    let rafael = &d[1];
    assert_eq!(
        (rafael.nickname.as_str(), rafael.birthday, rafael.tags.as_slice()),
        ("Rafa", day(None, 11, 2), &["Suppliers".to_string()][..])
    );
    assert_eq!(values(&rafael.phones), [("Main", "+55 11 3555-0199", true)]);
    assert_eq!(rafael.notes, "—\nEvent (Anniversary): 2012-06-09");
    assert_eq!(d[2].tags, ["Vendors"]);

    let priya = &d[3];
    assert_eq!(
        (priya.prefix.as_str(), values(&priya.emails)),
        ("Dr.", vec![("home", "priya.raman@mailbox.example", true)])
    );
    assert!(priya.phones.is_empty() && priya.birthday.is_none() && priya.tags.is_empty());
    assert!(priya.notes.ends_with(
        "—\nEmail (work): priya at raman-clinic dot example\nPhone (mobile): ask front desk\nBirthday: 1979-02-30"
    ));
    let warnings = &read.cards[3].1;
    assert_eq!(warnings.len(), 3);
    assert!(
        warnings.iter().all(|w| w.starts_with("row 5: ") && w.ends_with("Kept in the notes instead.")),
        "{warnings:?}"
    );
}

#[test]
fn outlook_utf16_export_reads_without_its_defaults() {
    let (table, read) = read("outlook.csv");
    assert_eq!((table.encoding, table.headers.len(), table.rows.len()), ("UTF-16LE", 92, 3));
    assert!(read.cards.iter().all(|(_, warnings)| warnings.is_empty()) && read.warnings.is_empty());
    let d = drafts("outlook.csv");
    assert_eq!(
        names(&d),
        [("Jürgen", "Weiß", "Weiß & Partner GmbH"), ("Emily", "Carter", "Carter Law PLLC"), ("", "", "Ace Plumbing")]
    );
    let jurgen = &d[0];
    assert_eq!((jurgen.prefix.as_str(), jurgen.job_title.as_str()), ("Dr.", "Geschäftsführer"));
    assert_eq!(values(&jurgen.emails), [("other", "j.weiss@weiss-partner.example", true)]);
    assert_eq!(
        values(&jurgen.phones),
        [
            ("work", "+49 89 5550 1234", true),
            ("fax", "+49 89 5550 1299", false),
            ("mobile", "+49 151 5550 9876", false)
        ]
    );
    let address = &jurgen.addresses[0];
    assert_eq!(
        [
            &address.label,
            &address.street,
            &address.extra,
            &address.city,
            &address.region,
            &address.postal_code,
            &address.country
        ],
        ["work", "Hauptstraße 12", "Hinterhaus", "München", "Bayern", "80331", "Germany"]
    );
    assert_eq!(
        (jurgen.birthday, jurgen.tags.as_slice()),
        (day(Some(1971), 7, 4), &["Customers".to_string(), "VIP".to_string()][..])
    );
    assert_eq!(jurgen.websites, ["www.weiss-partner.example"]);
    // "Male", "Normal", "False", "J.W." and the display name say nothing a person would miss.
    assert_eq!(jurgen.notes, "Prefers German.\nCall before noon.\n\n—\nDepartment: Vertrieb");

    let emily = &d[1];
    assert_eq!(emily.middle_name, "Rose");
    assert_eq!(
        values(&emily.emails),
        [("other", "emily.carter@example.com", true), ("other", "ecarter@carterlaw.example", false)]
    );
    assert_eq!(values(&emily.phones), [("work", "(206) 555-0190 x 12", true), ("home", "(206) 555-0173", false)]);
    assert_eq!(
        (emily.birthday, emily.addresses[0].label.as_str(), emily.addresses[0].city.as_str()),
        (None, "home", "Seattle")
    );
    assert_eq!(emily.notes, "—\nAnniversary: 6/18/2011\nSpouse: Daniel Carter");
    assert_eq!(values(&d[2].phones), [("work", "+1 (503) 555-0110", true)]);
}

#[test]
fn linkedin_connections_skip_the_notes_above_the_header() {
    let (table, read) = read("linkedin.csv");
    assert_eq!(
        table.headers,
        ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
    );
    assert_eq!(table.skipped_preamble, 3);
    assert_eq!(table.rows.iter().map(|row| row.number).collect::<Vec<_>>(), [5, 6, 7]);
    assert!(read.warnings.is_empty());
    let d = drafts("linkedin.csv");
    assert_eq!(
        names(&d),
        [
            ("Sofia", "Lindqvist", "Nordvik AB"),
            ("Marcus", "Oyelaran", "Fischer, Braun & Co."),
            ("Mei", "Tanaka", "Self-employed")
        ]
    );
    assert_eq!(d[0].job_title, "Head of Partnerships");
    assert_eq!(d[0].websites, ["https://www.linkedin.com/in/sofia-lindqvist-4a1b2c"]);
    assert_eq!(d[0].notes, "—\nConnected On: 14 Mar 2023");
    assert_eq!(d.iter().map(|d| d.emails.len()).collect::<Vec<_>>(), [0, 1, 0]);
    assert_eq!(d[1].emails[0].value, "marcus.oyelaran@example.org");
}

#[test]
fn a_semicolon_excel_file_in_windows_1252_reads_umlauts_and_german_dates() {
    let (table, read) = read("excel-semicolon-1252.csv");
    assert_eq!((table.encoding, table.delimiter), ("windows-1252", ';'));
    assert_eq!(table.headers[4], "Straße");
    assert_eq!(read.warnings, ["row 5: nothing to import; skipped"]);
    let d = drafts("excel-semicolon-1252.csv");
    assert_eq!(
        names(&d),
        [("Jörg", "Müller", "Bäckerei Müller"), ("Renée", "Straßburger", "Café Éclair"), ("Klaus", "Weiß", "")]
    );
    let jorg = &d[0];
    assert_eq!(jorg.prefix, "Herr");
    assert_eq!(values(&jorg.phones), [("other", "0711 555123", true), ("mobile", "0170 5551234", false)]);
    let address = &jorg.addresses[0];
    assert_eq!(
        [&address.street, &address.postal_code, &address.city, &address.country],
        ["Königstraße 5", "70173", "Stuttgart", "Deutschland"]
    );
    assert_eq!((jorg.birthday, jorg.notes.as_str()), (day(Some(1968), 5, 17), "Liefert dienstags; zahlt bar"));
    assert_eq!(d[1].tags, ["Kunden", "VIP"]);
    assert_eq!(d[1].notes, "Mag Crème brûlée, aber keine Nüsse.");
    assert_eq!((d[2].birthday, d[2].emails[0].value.as_str()), (day(None, 10, 3), "klaus.weiss@example.de"));
}

#[test]
fn multi_line_cells_quoted_quotes_and_ragged_rows_survive() {
    let (table, read) = read("multiline.csv");
    assert_eq!(table.rows.iter().map(|row| row.number).collect::<Vec<_>>(), [2, 3, 4, 5, 6]);
    assert_eq!(read.warnings, ["row 5: nothing to import; skipped"]);
    let d = drafts("multiline.csv");
    assert_eq!(
        names(&d),
        [("Ann", "Lee", ""), ("Ann Marie", "Delacroix", ""), ("Bob", "Stone", ""), ("Zoë", "Park", "")]
    );
    assert_eq!(d[0].addresses[0].street, "12 Harbour Road\nFlat 3\nBrighton BN1 1AA");
    assert_eq!(d[0].notes, "She said \"call me Annie\".\nSecond line, with a comma.");
    assert_eq!(d[0].tags, ["VIP", "golf"]);
    // Another program's formula guard is undone: the phone is a phone, the formula plain text.
    assert_eq!(d[1].phones[0].value, "+33 1 55 55 01 23");
    assert_eq!(d[1].notes, "=HYPERLINK(\"http://evil.example\",\"click\")");
    assert_eq!(read.cards[2].1, ["row 4: 5 cells where the header has 6; the missing ones are taken as empty"]);
    assert_eq!(d[2].notes, "Short row");
    assert_eq!(read.cards[3].1, ["row 6: 9 cells where the header has 8; the extra ones are kept in the notes"]);
    assert_eq!(d[3].notes, "Owes us a \"thank you\" card\n\n—\nColumn 9: overflow value");
}

#[test]
fn every_draft_of_every_fixture_passes_check() {
    for (name, bytes) in FIXTURES {
        for (draft, _) in read_bytes(bytes).1.cards {
            assert!(check(&draft).is_ok(), "{name}: {draft:?}");
        }
    }
}

#[test]
fn every_fixture_reads_back_unchanged_from_the_csv_export() {
    for (name, bytes) in FIXTURES {
        let drafts: Vec<ContactDraft> = read_bytes(bytes).1.cards.into_iter().map(|(draft, _)| draft).collect();
        let (_, again) = read_bytes(write_csv(&drafts).as_bytes());
        assert!(again.warnings.is_empty() && again.cards.iter().all(|(_, w)| w.is_empty()), "{name}: {again:?}");
        let again: Vec<ContactDraft> = again.cards.into_iter().map(|(draft, _)| draft).collect();
        assert_eq!(again, drafts, "{name}");
    }
}

#[test]
fn the_export_defuses_formulas_but_leaves_phones_and_birthdays_importable() {
    let mut drafts = drafts("multiline.csv");
    drafts[0].notes = "@SUM(1+1)*cmd|' /C calc'!A0".into();
    drafts[2].birthday = day(None, 5, 17);
    let text = write_csv(&drafts);
    assert!(text.contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\","), "{text}");
    assert!(text.contains(",'@SUM(1+1)*cmd|' /C calc'!A0,"));
    assert!(text.contains(",+1 (555) 123-4567,") && text.contains(",+33 1 55 55 01 23,") && text.contains(",--05-17,"));
    for line in text.lines() {
        for cell in line.split(',') {
            assert!(!cell.trim_start_matches('"').starts_with(['=', '@']), "{cell} in {line}");
        }
    }
    let (_, again) = read_bytes(text.as_bytes());
    assert_eq!(again.cards.into_iter().map(|(draft, _)| draft).collect::<Vec<_>>(), drafts);
}

#[test]
fn importing_every_fixture_twice_adds_nothing_the_second_time() {
    let (_dir, store) = temp_store();
    let mut expected = 0;
    for (name, bytes) in FIXTURES {
        let cards = read_bytes(bytes).1.cards;
        expected += cards.len();
        let plan = plan_import(&store, name, cards, OnMatch::Merge).unwrap();
        assert_eq!((plan.merges, plan.skips), (0, 0), "{name}: nobody repeats across or within the files");
        apply_import(store.conn(), &plan).unwrap();
    }
    assert_eq!(contacts::count_contacts(store.conn()).unwrap(), expected);
    for (name, bytes) in FIXTURES {
        let plan = plan_import(&store, name, read_bytes(bytes).1.cards, OnMatch::Merge).unwrap();
        assert_eq!(
            (plan.creates, plan.merges),
            (0, 0),
            "{name}: {:?}",
            plan.rows.iter().map(|r| &r.action).collect::<Vec<_>>()
        );
        apply_import(store.conn(), &plan).unwrap();
    }
    assert_eq!(contacts::count_contacts(store.conn()).unwrap(), expected);
}
