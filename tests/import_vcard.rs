//! The vCard importer against files that real address books exported (../shared/fixtures/vcard,
//! read in place; see SOURCE.md there), each file's names, emails, phones and birthdays stated
//! by hand from the file itself; then every fixture card through a real store and the writer.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use rolodeck::contacts::{self, ContactDraft, validate};
use rolodeck::export::vcard::write_vcards;
use rolodeck::import::vcard::{ParsedCard, parse_vcards};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fixtures/vcard");

fn fixtures_present() -> bool {
    let present = Path::new(FIXTURES).is_dir();
    if !present {
        println!("skipped: ../shared/fixtures/vcard not found");
    }
    present
}

/// The cards of one fixture file, or `None` when the fixtures are not there.
fn fixture(name: &str) -> Option<Vec<ParsedCard>> {
    if !fixtures_present() {
        return None;
    }
    let bytes = fs::read(Path::new(FIXTURES).join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    Some(parse_vcards(&bytes).unwrap_or_else(|e| panic!("{name}: {e}")))
}

fn all_fixture_paths() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = fs::read_dir(FIXTURES)
        .expect("fixture dir")
        .map(|entry| entry.expect("dir entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "vcf"))
        .collect();
    paths.sort();
    paths
}

/// What each test states about a card: its given and family name, its emails and phones as
/// "label: value" (a leading `*` marks the primary one), and its birthday as vCard writes it.
#[derive(Debug, PartialEq)]
struct Seen {
    given: String,
    family: String,
    emails: Vec<String>,
    phones: Vec<String>,
    birthday: Option<String>,
}

fn seen(cards: &[ParsedCard]) -> Vec<Seen> {
    let rows = |rows: &[contacts::LabeledValue]| {
        rows.iter().map(|r| format!("{}{}: {}", if r.primary { "*" } else { "" }, r.label, r.value)).collect()
    };
    cards
        .iter()
        .map(|card| Seen {
            given: card.draft.given_name.clone(),
            family: card.draft.family_name.clone(),
            emails: rows(&card.draft.emails),
            phones: rows(&card.draft.phones),
            birthday: card.draft.birthday.map(contacts::Birthday::to_text),
        })
        .collect()
}

fn card(given: &str, family: &str, emails: &[&str], phones: &[&str], birthday: Option<&str>) -> Seen {
    let strings = |items: &[&str]| items.iter().map(ToString::to_string).collect();
    Seen {
        given: given.into(),
        family: family.into(),
        emails: strings(emails),
        phones: strings(phones),
        birthday: birthday.map(str::to_string),
    }
}

fn name_parts(draft: &ContactDraft) -> [&str; 5] {
    [&draft.prefix, &draft.given_name, &draft.middle_name, &draft.family_name, &draft.suffix].map(String::as_str)
}

#[test]
fn every_fixture_parses_and_every_draft_passes_check() {
    if !fixtures_present() {
        return;
    }
    for path in all_fixture_paths() {
        let cards = parse_vcards(&fs::read(&path).expect("readable")).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        assert!(!cards.is_empty(), "{path:?} gave no cards");
        for card in cards {
            assert!(validate::check(&card.draft).is_ok(), "{path:?}: {:?}", card.draft);
        }
    }
}

#[test]
fn android_21_with_quoted_printable_utf8_and_cards_without_names() {
    let Some(cards) = fixture("John_Doe_ANDROID.vcf") else { return };
    let ñ = |n: usize| vec!["Ñ"; n].join(" ");
    assert_eq!(
        seen(&cards),
        [
            card("", "", &["*other: john.doe@company.com"], &[], None),
            card("", "", &["*other: jane.doe@company.com"], &[], None),
            card("", &ñ(4), &[], &["*mobile: 123456789"], None),
            card("", &ñ(11), &[], &["*mobile: 123456", "home: 234567", "mobile: 3456789", "home: 45678901"], None),
            card(&ñ(3), &ñ(2), &["*work: bob@company.com"], &["*mobile: 123456", "work: 123456", "fax: 123456"], None),
            card("", "ÑÑÑÑ", &["*other: henry@company.com"], &["*mobile: 55556666"], None),
        ]
    );
    // No name at all: the email stands in as the nickname, and the user is told.
    assert_eq!(cards[0].draft.nickname, "john.doe@company.com");
    assert_eq!(cards[0].draft.tags, ["My Contacts"]);
    assert_eq!(cards[0].warnings, ["no name or company; “john.doe@company.com” is used as the nickname"]);
    // An email of Ñs is no email: it waits in the notes.
    assert_eq!(cards[4].draft.company, "Ñ".repeat(12));
    assert_eq!(cards[4].draft.notes, format!("—\nEMAIL (other): {}", "Ñ".repeat(14)));
    assert_eq!(cards[4].draft.websites, ["www.company.com", "http://www.company.com"]);
    // The second ORG ends in a stray =80, which is no UTF-8: kept in the notes, with a warning.
    assert_eq!(cards[5].draft.company, "Ñ".repeat(44));
    assert_eq!(cards[5].draft.notes, format!("—\nORG: {}\u{FFFD}", "Ñ".repeat(44)));
    assert!(cards[5].warnings.contains(&"line 82: ORG isn’t valid UTF-8; the unreadable bytes became �".to_string()));
}

#[test]
fn blackberry_21_with_an_unindented_base64_photo() {
    let Some(cards) = fixture("John_Doe_BLACK_BERRY.vcf") else { return };
    assert_eq!(seen(&cards), [card("john", "Doe", &[], &["*mobile: +96123456789"], None)]);
    assert_eq!(cards[0].draft.company, "Acme Solutions");
    assert_eq!(
        cards[0].warnings,
        ["line 7: PHOTO not imported (Rolodeck keeps no pictures, sounds, keys or other binary data)"]
    );
}

#[test]
fn evolution_30_with_folded_values_and_vendor_properties() {
    let Some(cards) = fixture("John_Doe_EVOLUTION.vcf") else { return };
    assert_eq!(
        seen(&cards),
        [card(
            "John",
            "Doe",
            &["*work: john.doe@ibm.com"],
            &["*mobile: 905-666-1234", "work: 905-555-1234"],
            Some("1980-03-22")
        )]
    );
    let d = &cards[0].draft;
    assert_eq!(name_parts(d), ["Mr.", "John", "Richter, James", "Doe", "Sr."]);
    assert_eq!((d.nickname.as_str(), d.company.as_str(), d.job_title.as_str()), ("Johny", "IBM", "Money Counter"));
    assert_eq!(d.addresses[0].street, "ASB-123\n15 Crescent moon drive");
    assert_eq!(d.addresses[0].country, "United States of America");
    assert_eq!(
        (d.websites.as_slice(), d.tags.as_slice()),
        (&["http://www.ibm.com".to_string()][..], &["VIP".to_string()][..])
    );
    assert!(d.notes.starts_with("THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS \"AS IS\" AND"));
    assert!(d.notes.ends_with(
        "—\nX-AIM (home): johnny5@aol.com\nX-EVOLUTION-SPOUSE: Maria\nDepartment: Accounting; Dungeon\n\
         X-EVOLUTION-MANAGER: Big Blue\nX-EVOLUTION-ASSISTANT: Little Red\nX-EVOLUTION-ANNIVERSARY: 1980-03-22"
    ));
    assert_eq!(cards[0].uid.as_deref(), Some("477343c8e6bf375a9bac1f96a5000837"));
}

#[test]
fn gmail_30_with_apple_style_groups() {
    let Some(cards) = fixture("John_Doe_GMAIL.vcf") else { return };
    assert_eq!(
        seen(&cards),
        [card(
            "John",
            "Doe",
            &["*home: john.doe@ibm.com"],
            &["*mobile: 905-555-1234", "home: 905-666-1234"],
            Some("1980-03-22")
        )]
    );
    let notes = &cards[0].draft.notes;
    assert!(notes.contains("EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.\nFavotire Color: Blue\n\n—\n"));
    assert!(notes.ends_with("X-ABDATE (anniversary): 1975-03-01\nX-ABRELATEDNAMES (spouse): Jenny"));
}

#[test]
fn iphone_30_with_cr_cr_lf_line_ends() {
    let Some(cards) = fixture("John_Doe_IPHONE.vcf") else { return };
    let phones = [
        "*mobile: 905-555-1234",
        "home: 905-666-1234",
        "work: 905-777-1234",
        "fax: 905-888-1234",
        "fax: 905-999-1234",
        "other: 905-111-1234",
        "assistantphone: 905-222-1234",
    ];
    assert_eq!(seen(&cards), [card("John", "Doe", &["*other: john.doe@ibm.com"], &phones, Some("2012-06-06"))]);
    let d = &cards[0].draft;
    assert_eq!(name_parts(d), ["Mr.", "John", "Richter,James", "Doe", "Sr."]);
    let streets: Vec<_> = d.addresses.iter().map(|a| (a.label.as_str(), a.street.as_str(), a.primary)).collect();
    assert_eq!(streets, [("home", "Silicon Alley 5,", true), ("work", "Street4\nBuilding 6\nFloor 8", false)]);
    assert_eq!(d.notes, "—\nDepartment: Accounting");
}

#[test]
fn lotus_notes_30_keeps_its_many_extra_properties() {
    let Some(cards) = fixture("John_Doe_LOTUS_NOTES.vcf") else { return };
    assert_eq!(
        seen(&cards),
        [card(
            "John",
            "Doe",
            &["*work: john.doe@ibm.com", "work: billy_bob@gmail.com"],
            &["*mobile: +1 (212) 204-34456", "fax: 00-1-212-555-7777"],
            Some("1980-05-21")
        )]
    );
    let d = &cards[0].draft;
    assert_eq!(name_parts(d), ["Mr.", "John", "Johny", "Doe", "I"]);
    assert_eq!(d.nickname, "Johny,JayJay");
    for kept in ["Department: SUN", "GEO: -2.600000; 3.400000", "ROLE: Counting Money", "X-GENERATOR: Cardme Generator"]
    {
        assert!(d.notes.contains(kept), "{kept}");
    }
}

#[test]
fn mac_address_book_30_with_a_users_own_label() {
    let Some(cards) = fixture("John_Doe_MAC_ADDRESS_BOOK.vcf") else { return };
    let phones = [
        "*work: 905-777-1234",
        "home: 905-666-1234",
        "mobile: 905-555-1234",
        "fax: 905-888-1234",
        "fax: 905-999-1234",
        "other: 905-111-1234",
        "AssistantPhone: 905-222-1234",
    ];
    assert_eq!(seen(&cards), [card("John", "Doe", &["*work: john.doe@ibm.com"], &phones, Some("2012-06-06"))]);
    assert!(cards[0].draft.notes.ends_with("Favotire Color: Blue\n\n—\nX-PHONETIC-FIRST-NAME: Jon\nX-PHONETIC-LAST-NAME: Dow\nDepartment: Accounting\nX-ABRELATEDNAMES (Spouse): Jenny"));
}

#[test]
fn ms_outlook_21() {
    let Some(cards) = fixture("John_Doe_MS_OUTLOOK.vcf") else { return };
    assert_eq!(
        seen(&cards),
        [card(
            "John",
            "Doe",
            &["*other: john.doe@ibm.cm"],
            &["*work: (905) 555-1234", "home: (905) 666-1234"],
            Some("1980-03-22")
        )]
    );
    let labels: Vec<_> = cards[0].draft.addresses.iter().map(|a| (a.label.as_str(), a.primary)).collect();
    assert_eq!(labels, [("work", true), ("home", false)]);
    assert!(
        cards[0].draft.notes.ends_with("X-MS-IMADDRESS: johny5@aol.com\nX-MS-MANAGER: Big Blue\nX-MS-ASSISTANT: Jenny")
    );
}

#[test]
fn fullcontact_40_with_duplicate_single_fields() {
    let Some(cards) = fixture("fullcontact.vcf") else { return };
    let emails = [
        "*home: home@example.com",
        "work: work@example.com",
        "other: school@example.com",
        "other: other@example.com",
        "other: custom@example.com",
    ];
    let phones = [
        "*home: 555-555-1111",
        "work: 555-555-1112",
        "mobile: 555-555-1113",
        "mobile: 555-555-1114",
        "other: 555-555-1115",
        "fax: 555-555-1116",
        "fax: 555-555-1117",
        "other: 555-555-1118",
        "other: 555-555-1119",
    ];
    assert_eq!(seen(&cards), [card("FirstName", "LastName", &emails, &phones, Some("2016-08-01"))]);
    let d = &cards[0].draft;
    assert_eq!(name_parts(d), ["Prefix", "FirstName", "MiddleName", "LastName", "Suffix"]);
    assert_eq!((d.company.as_str(), d.job_title.as_str()), ("Organization1", "Title1"));
    assert!(d.notes.starts_with(
        "Notes line 1\nNotes line 2\n\n—\nDepartment: Department1\nORG: Organization2; Department2\nTITLE: Title2\n"
    ));
    assert!(d.notes.ends_with("IMPP (CustomTYPE): customtype:custom"));
    assert_eq!(d.addresses.len(), 4);
}

#[test]
fn gmail_list_30() {
    let Some(cards) = fixture("gmail-list.vcf") else { return };
    assert_eq!(
        seen(&cards),
        [
            card("Arnold", "Smith", &["*other: asmithk@gmail.com"], &[], None),
            card("Chris", "Beatle", &["*other: chrisy55d@yahoo.com"], &[], None),
            card("Doug", "White", &["*other: dwhite@gmail.com"], &[], None),
        ]
    );
}

#[test]
fn gmail_single_30() {
    let Some(cards) = fixture("gmail-single.vcf") else { return };
    assert_eq!(
        seen(&cards),
        [card(
            "Greg",
            "Dartmouth",
            &["*other: gdartmouth@hotmail.com"],
            &["*mobile: 555 555 1111", "GRAND_CENTRAL: 555 555 2222"],
            Some("1960-09-10")
        )]
    );
    let d = &cards[0].draft;
    assert_eq!(d.addresses[1].label, "CustomAdrType");
    assert_eq!(d.websites, ["http://TheProfile.com"]);
}

#[test]
fn gmail_single2_30_with_every_kind_of_label() {
    let Some(cards) = fixture("gmail-single2.vcf") else { return };
    let emails = [
        "*other: email@example.com",
        "home: homeemail@example.com",
        "work: workemail@example.com",
        "other: otheremail@example.com",
        "CustomEmailCategory: customcategory@example.com",
    ];
    let phones = [
        "*other: 5555551111",
        "home: 5555551112",
        "work: 5555551113",
        "other: 5555551114",
        "mobile: 5555551115",
        "other: 5555551116",
        "fax: 5555551117",
        "fax: 5555551118",
        "GRAND_CENTRAL: 5555551119",
        "other: 5555551120",
        "CustomePhoneCategory: 5555551121",
    ];
    assert_eq!(seen(&cards), [card("VCard", "Test", &emails, &phones, Some("1912-06-23"))]);
    assert_eq!(cards[0].draft.websites.len(), 6);
    assert!(cards[0].draft.notes.contains("X-ABDATE: 1776-07-04\n"));
}

#[test]
fn issue114_40_with_a_colon_in_an_unquoted_parameter() {
    let Some(cards) = fixture("issue114.vcf") else { return };
    assert_eq!(
        seen(&cards),
        [card(
            "Dummy",
            "Dummy",
            &["*home: dummy.dummy@dummy.com"],
            &["*mobile: +49 1234 56789", "work: +49 9876 54321"],
            None
        )]
    );
    // The LABEL parameter holds an unquoted `:`, so the value starts early; nothing is lost.
    let a = &cards[0].draft.addresses[0];
    assert_eq!((a.city.as_str(), a.postal_code.as_str(), a.country.as_str()), ("Bad Homburg", "61352", "Germany"));
    assert!(a.street.ends_with("Dummy-Dummy-Strasse 1"));
}

#[test]
fn outlook_2003_21_keeps_phones_that_are_words_in_the_notes() {
    let Some(cards) = fixture("outlook-2003.vcf") else { return };
    assert_eq!(seen(&cards), [card("John", "Doe", &["*other: jdoe@hotmail.com"], &[], Some("1980-03-21"))]);
    let d = &cards[0].draft;
    assert_eq!(d.company, "Company, The");
    assert!(d.notes.starts_with("This is the note field!!\nSecond line\n\nThird line is empty\n\n—\n"));
    assert!(d.notes.ends_with(
        "TEL (work): BusinessPhone\nTEL (home): HomePhone\nTEL (mobile): MobilePhone\nTEL (fax): BusinessFaxPhone"
    ));
    assert_eq!(cards[0].warnings.len(), 5);
}

#[test]
fn outlook_2007_21() {
    let Some(cards) = fixture("outlook-2007.vcf") else { return };
    let phones = ["*work: (111) 555-1111", "home: (111) 555-2222", "mobile: (111) 555-4444", "fax: (111) 555-3333"];
    assert_eq!(
        seen(&cards),
        [card("Michael", "Angstadt", &["*other: mike.angstadt@gmail.com"], &phones, Some("1922-03-10"))]
    );
    assert!(
        cards[0]
            .draft
            .notes
            .starts_with("This is the NOTE field\t\nI assume it encodes this text inside a NOTE vCard type.\n")
    );
}

#[test]
fn rfc2426_example_30_takes_names_from_fn() {
    let Some(cards) = fixture("rfc2426-example.vcf") else { return };
    assert_eq!(
        seen(&cards),
        [
            card(
                "Frank",
                "Dawson",
                &["*other: Frank_Dawson@Lotus.com", "other: fdawson@earthlink.net"],
                &["*work: +1-919-676-9515", "fax: +1-919-676-9564"],
                None
            ),
            card(
                "Tim",
                "Howes",
                &["*other: howes@netscape.com"],
                &["*work: +1-415-937-3419", "fax: +1-415-528-4164"],
                None
            ),
        ]
    );
    assert_eq!(cards[1].draft.addresses[0].postal_code, "94043");
}

#[test]
fn rfc6350_example_40_with_tel_uris_and_a_birthday_without_year() {
    let Some(cards) = fixture("rfc6350-example.vcf") else { return };
    assert_eq!(
        seen(&cards),
        [card(
            "Simon",
            "Perreault",
            &["*work: simon.perreault@viagenie.ca"],
            &["*work: +1-418-656-9254 x 102", "mobile: +1-418-262-6501"],
            Some("--02-03")
        )]
    );
    assert_eq!(cards[0].draft.suffix, "ing. jr,M.Sc.");
}

#[test]
fn thunderbird_30_with_escaped_commas_in_categories() {
    let Some(cards) = fixture("thunderbird-MoreFunctionsForAddressBook-extension.vcf") else { return };
    let emails = [
        "*other: doe.john@hotmail.com",
        "other: additional-email@company.com",
        "other: additional-email1@company.com",
        "other: additional-email2@company.com",
        "other: additional-email3@company.com",
    ];
    let phones = [
        "*work: 555-555-1111",
        "home: 555-555-2222",
        "mobile: 555-555-5555",
        "fax: 555-555-3333",
        "other: 555-555-4444",
    ];
    assert_eq!(seen(&cards), [card("John", "Doe", &emails, &phones, Some("1970-09-21"))]);
    assert_eq!(cards[0].draft.tags, ["category1, category2, category3"]);
}

/// Every fixture card goes into a real store, comes back, goes out through the writer and is
/// read again: what the store holds is what the vCard says.
#[test]
fn fixtures_round_trip_through_the_store_and_the_writer() {
    if !fixtures_present() {
        return;
    }
    let drafts: Vec<ContactDraft> = all_fixture_paths()
        .iter()
        .flat_map(|path| parse_vcards(&fs::read(path).expect("readable")).expect("parses"))
        .map(|card| card.draft)
        .collect();
    let (_dir, store) = common::temp_store();
    assert_eq!(contacts::create_contacts(store.conn(), drafts.clone()).expect("stored").len(), drafts.len());
    let rows = contacts::search_contacts(&store, "", 0, drafts.len()).expect("listed").rows;
    let stored: Vec<ContactDraft> =
        rows.iter().map(|row| contacts::get_contact(store.conn(), row.id).expect("read back").draft).collect();
    let written = write_vcards(&stored);
    let reread: Vec<ContactDraft> =
        parse_vcards(written.as_bytes()).expect("parses").into_iter().map(|c| c.draft).collect();
    assert_eq!(reread, stored);
    assert_eq!(sorted(stored), sorted(drafts));
}

fn sorted(mut drafts: Vec<ContactDraft>) -> Vec<ContactDraft> {
    drafts.sort_by_key(|d| format!("{d:?}"));
    drafts
}
