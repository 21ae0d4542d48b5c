//! Contacts written as CSV in Google Contacts' import format, which Google, Outlook and
//! spreadsheets read, and which Rolodeck's CSV importer reads back unchanged. UTF-8 with a BOM,
//! or Excel takes it for the ANSI code page; CRLF line ends; and cells a spreadsheet would run
//! as a formula are defused with a leading `'`. The circle, which Google has no column for, is
//! not written.

use crate::contacts::model::{Address, ContactDraft, LabeledValue};

/// What a spreadsheet takes as the start of a formula (OWASP's list for CSV injection). The
/// importer strips the guard this module puts before them.
pub(crate) const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

const NAME_COLUMNS: [&str; 11] = [
    "Name Prefix",
    "First Name",
    "Middle Name",
    "Last Name",
    "Name Suffix",
    "Nickname",
    "Organization Name",
    "Organization Title",
    "Birthday",
    "Notes",
    "Labels",
];

const ADDRESS_PARTS: [&str; 7] = ["Label", "Street", "Extended Address", "City", "Region", "Postal Code", "Country"];

/// Every contact as one row, under as many email, phone, address and website columns as the
/// contact with the most of them needs (at least one of each).
pub fn write_csv(contacts: &[ContactDraft]) -> String {
    let shape = Shape::of(contacts);
    let mut out = String::from("\u{FEFF}");
    push_row(&mut out, &shape.headers());
    for draft in contacts {
        push_row(&mut out, &shape.row(draft));
    }
    out
}

/// How many slots of each kind the header has.
struct Shape {
    emails: usize,
    phones: usize,
    addresses: usize,
    websites: usize,
}

impl Shape {
    fn of(contacts: &[ContactDraft]) -> Self {
        let most = |count: fn(&ContactDraft) -> usize| contacts.iter().map(count).max().unwrap_or(0).max(1);
        Shape {
            emails: most(|d| d.emails.len()),
            phones: most(|d| d.phones.len()),
            addresses: most(|d| d.addresses.len()),
            websites: most(|d| d.websites.len()),
        }
    }

    fn headers(&self) -> Vec<String> {
        let mut headers: Vec<String> = NAME_COLUMNS.iter().map(|name| name.to_string()).collect();
        for n in 1..=self.emails {
            headers.extend([format!("E-mail {n} - Label"), format!("E-mail {n} - Value")]);
        }
        for n in 1..=self.phones {
            headers.extend([format!("Phone {n} - Label"), format!("Phone {n} - Value")]);
        }
        for n in 1..=self.addresses {
            headers.extend(ADDRESS_PARTS.iter().map(|part| format!("Address {n} - {part}")));
        }
        headers.extend((1..=self.websites).map(|n| format!("Website {n} - Value")));
        headers
    }

    fn row(&self, d: &ContactDraft) -> Vec<String> {
        let birthday = d.birthday.map(|b| b.to_text()).unwrap_or_default();
        let names = [
            &d.prefix,
            &d.given_name,
            &d.middle_name,
            &d.family_name,
            &d.suffix,
            &d.nickname,
            &d.company,
            &d.job_title,
        ];
        let mut row: Vec<String> = names.into_iter().cloned().collect();
        row.extend([birthday, d.notes.clone(), tags_cell(&d.tags)]);
        row.extend(slots(&d.emails, self.emails, |e| e.primary, labeled_cells));
        row.extend(slots(&d.phones, self.phones, |p| p.primary, labeled_cells));
        row.extend(slots(&d.addresses, self.addresses, |a| a.primary, address_cells));
        row.extend(slots(&d.websites, self.websites, |_| false, |url| [url.clone()]));
        row
    }
}

/// `count` slots of `N` cells: the primary row first, since most programs take the first email
/// or phone as the main one, then the others in order, then empty slots.
fn slots<T, const N: usize>(
    rows: &[T],
    count: usize,
    primary: fn(&T) -> bool,
    cells: fn(&T) -> [String; N],
) -> Vec<String> {
    let (first, rest): (Vec<&T>, Vec<&T>) = rows.iter().partition(|row| primary(row));
    let mut rows = first.into_iter().chain(rest).map(cells);
    (0..count).flat_map(|_| rows.next().unwrap_or_else(|| std::array::from_fn(|_| String::new()))).collect()
}

fn labeled_cells(row: &LabeledValue) -> [String; 2] {
    [google_label(&row.label, row.primary), row.value.clone()]
}

fn address_cells(a: &Address) -> [String; 7] {
    [
        google_label(&a.label, a.primary),
        a.street.clone(),
        a.extra.clone(),
        a.city.clone(),
        a.region.clone(),
        a.postal_code.clone(),
        a.country.clone(),
    ]
}

/// Google's words for the stock labels ("Work Fax" is its fax), the user's own as they are,
/// and Google's `* ` before the primary one.
fn google_label(label: &str, primary: bool) -> String {
    let label = match label {
        "work" => "Work",
        "home" => "Home",
        "mobile" => "Mobile",
        "fax" => "Work Fax",
        "other" => "Other",
        custom => custom,
    };
    if primary { format!("* {label}") } else { label.to_string() }
}

/// Tags joined by Google's " ::: ". A lone tag holding `;` or `,` gets a trailing separator,
/// or a reader would split it as an Outlook or spreadsheet list.
fn tags_cell(tags: &[String]) -> String {
    match tags {
        [tag] if tag.contains([';', ',']) => format!("{tag} ::: "),
        tags => tags.join(" ::: "),
    }
}

fn push_row(out: &mut String, cells: &[String]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_cell(out, &defuse(cell));
    }
    out.push_str("\r\n");
}

/// Quoted when it holds a comma, a quote or a line break, with quotes doubled (RFC 4180).
fn push_cell(out: &mut String, cell: &str) {
    if cell.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&cell.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(cell);
    }
}

/// Puts a `'` before a cell a spreadsheet would run as a formula, so that `=HYPERLINK(…)` in a
/// contact's notes stays text when the file is opened. Phone numbers and dates are left alone:
/// "+1 555 0100" or "--05-17" must import into Google or Outlook as they are, and made of digits
/// and `+-()./` only (an extension aside) they can call no function; the worst a spreadsheet
/// can do with them is arithmetic on screen. A value that already starts with `'` and a formula
/// character gets one more, since the importer takes exactly one off.
fn defuse(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.trim_start_matches('\'').starts_with(FORMULA_STARTS) && !is_number_like(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Digits and `+-()./ ` only, with at least one digit, and perhaps an extension ("x 12", "ext. 12").
fn is_number_like(cell: &str) -> bool {
    let lower = cell.to_ascii_lowercase();
    let (number, extension) = lower.split_once("ext").or_else(|| lower.split_once('x')).unwrap_or((&lower, ""));
    number.chars().all(|c| c.is_ascii_digit() || " +-()./".contains(c))
        && number.chars().any(|c| c.is_ascii_digit())
        && extension.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ' ')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contacts::model::Birthday;
    use crate::contacts::validate::tidy;
    use crate::import::csv::{read_table, rows_to_cards, suggest_mapping};

    fn row(label: &str, value: &str, primary: bool) -> LabeledValue {
        LabeledValue { label: label.into(), value: value.into(), primary }
    }

    fn read_back(text: &str) -> Vec<(ContactDraft, Vec<String>)> {
        let table = read_table(text.as_bytes()).expect("our own output reads");
        rows_to_cards(&table, &suggest_mapping(&table.headers)).cards
    }

    fn full_draft() -> ContactDraft {
        tidy(ContactDraft {
            prefix: "Dr.".into(),
            given_name: "Łukasz".into(),
            middle_name: "J.".into(),
            family_name: "Wróbel-Żak; Jr, III".into(),
            suffix: "PhD".into(),
            nickname: "Luke, \"the\" one".into(),
            company: "Acme; Sons, Ltd.".into(),
            job_title: "Founder, CEO".into(),
            emails: vec![row("work", "lukasz@acme.example", true), row("Private box", "luke@mail.example", false)],
            phones: vec![
                row("mobile", "+48 601 234 567", true),
                row("fax", "+48 12 000 00 00 x 12", false),
                row("Main", "-12 34", false),
            ],
            addresses: vec![
                Address {
                    label: "home".into(),
                    street: "ul. Floriańska 12\nm. 4".into(),
                    extra: "Oficyna; II p.".into(),
                    city: "Kraków".into(),
                    postal_code: "31-019".into(),
                    country: "Polska".into(),
                    primary: true,
                    ..Default::default()
                },
                Address { label: "work".into(), city: "Warszawa".into(), ..Default::default() },
            ],
            websites: vec!["https://acme.example/a,b;c".into(), "luke.example".into()],
            birthday: Some(Birthday { year: None, month: 2, day: 29 }),
            tags: vec!["VIP".into(), "golf, tennis".into()],
            notes: "- met at the Kraków fair; loves \"jazz\"\n=SUM(A1) is his joke\n\nSecond paragraph.".into(),
            ..Default::default()
        })
    }

    #[test]
    fn round_trips_through_the_importer() {
        let drafts = [
            full_draft(),
            tidy(ContactDraft { company: "Solo GmbH".into(), tags: vec!["a;b".into()], ..Default::default() }),
            tidy(ContactDraft {
                given_name: "Ann".into(),
                birthday: Some(Birthday { year: Some(1980), month: 5, day: 17 }),
                notes: "\tindented".into(),
                nickname: "'=quoted".into(),
                ..Default::default()
            }),
        ];
        let cards = read_back(&write_csv(&drafts));
        assert!(cards.iter().all(|(_, warnings)| warnings.is_empty()), "{cards:?}");
        let back: Vec<ContactDraft> = cards.into_iter().map(|(draft, _)| draft).collect();
        assert_eq!(back, drafts);
    }

    #[test]
    fn the_primary_is_written_first_and_starred() {
        let draft = tidy(ContactDraft {
            given_name: "Ann".into(),
            emails: vec![row("home", "ann@home.example", false), row("work", "ann@work.example", true)],
            ..Default::default()
        });
        let text = write_csv(std::slice::from_ref(&draft));
        assert!(text.contains(",* Work,ann@work.example,Home,ann@home.example,"), "{text}");
        let (back, _) = read_back(&text).remove(0);
        assert_eq!(back.emails, [row("work", "ann@work.example", true), row("home", "ann@home.example", false)]);
    }

    #[test]
    fn writes_a_bom_crlf_and_google_headers_sized_to_the_contacts() {
        let text = write_csv(&[full_draft()]);
        assert!(text.starts_with("\u{FEFF}Name Prefix,First Name,Middle Name,Last Name,"));
        let header = text.lines().next().unwrap();
        assert!(
            header.contains(",E-mail 2 - Value,Phone 1 - Label,")
                && header.ends_with(",Website 1 - Value,Website 2 - Value")
        );
        assert!(
            header.contains(",Address 2 - Label,Address 2 - Street,Address 2 - Extended Address,Address 2 - City,")
        );
        assert!(text.ends_with("\r\n") && !text.replace("\r\n", "").contains("\r"));
        assert!(text.contains(",\"Luke, \"\"the\"\" one\",\"Acme; Sons, Ltd.\",\"Founder, CEO\",--02-29,"));
        assert_eq!(
            write_csv(&[]),
            "\u{FEFF}Name Prefix,First Name,Middle Name,Last Name,Name Suffix,Nickname,Organization Name,\
            Organization Title,Birthday,Notes,Labels,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,\
            Address 1 - Label,Address 1 - Street,Address 1 - Extended Address,Address 1 - City,Address 1 - Region,\
            Address 1 - Postal Code,Address 1 - Country,Website 1 - Value\r\n"
        );
    }

    #[test]
    fn formulas_are_defused_but_phones_and_dates_are_not() {
        for (cell, written) in [
            ("=HYPERLINK(\"http://x.example\",\"y\")", "'=HYPERLINK(\"http://x.example\",\"y\")"),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
            ("@SUM(1,2)", "'@SUM(1,2)"),
            ("\tx", "'\tx"),
            ("- bullet", "'- bullet"),
            ("+1 (555) 123-4567", "+1 (555) 123-4567"),
            ("+44 20 7946 0958 ext. 12", "+44 20 7946 0958 ext. 12"),
            ("--05-17", "--05-17"),
            ("+1 555 x(2)", "'+1 555 x(2)"),
            ("Ann", "Ann"),
            ("'=A1", "''=A1"),
            ("'tis", "'tis"),
        ] {
            assert_eq!(defuse(cell), written, "{cell}");
        }
    }
}
