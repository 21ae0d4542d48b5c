//! Rows made into drafts through a mapping. Each row is read in two passes: its label columns
//! first, so that Google's "E-mail 1 - Label" can name the value beside it, then its values.
//! As in the vCard importer, a value `check` refuses, a second value for a single field and a
//! column with no field of its own all go to the end of the notes: no row loses anything, and
//! every draft passes `check`. Rows with nothing to import make no draft and are reported.

use std::borrow::Borrow;
use std::collections::HashMap;

use super::mapping::{AddressPart, ColumnMapping, Target};
use super::table::{CsvRow, CsvTable};
use super::values::{clean, parse_birthday, parse_label, split_full_name, split_multi, split_tags};
use crate::contacts::model::{Address, ContactDraft, LabeledValue, display_name};
use crate::contacts::validate::{check, tidy};

/// A table's cards, ready for `batch::plan_import`, and what to say about the file as a whole.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CsvCards {
    /// One draft per row with anything in it, each with its warnings ("row 12: …").
    pub cards: Vec<(ContactDraft, Vec<String>)>,
    /// "rows 7, 12–14: nothing to import; skipped".
    pub warnings: Vec<String>,
}

/// Every row of the table as a draft, read through `mapping`.
pub fn rows_to_cards(table: &CsvTable, mapping: &ColumnMapping) -> CsvCards {
    let mut cards = Vec::new();
    let mut skipped = Vec::new();
    for card in row_cards(&table.headers, mapping, table.rows.iter()) {
        match card {
            Ok(card) => cards.push(card),
            Err(row) => skipped.push(row),
        }
    }
    CsvCards { cards, warnings: skipped_rows(&skipped) }
}

/// Each of `rows` (below `headers`) as a draft, read as it is asked for; a row with nothing to
/// import gives its number instead (see `skipped_rows`).
pub fn row_cards<'a, R: Borrow<CsvRow>>(
    headers: &'a [String],
    mapping: &'a ColumnMapping,
    rows: impl Iterator<Item = R> + Send + 'a,
) -> impl Iterator<Item = Result<(ContactDraft, Vec<String>), usize>> + Send + 'a {
    rows.map(|row| {
        let row = row.borrow();
        read_row(headers, mapping, row).ok_or(row.number)
    })
}

/// The warning about rows with nothing to import, by their numbers; none when there are none.
pub fn skipped_rows(rows: &[usize]) -> Vec<String> {
    if rows.is_empty() { vec![] } else { vec![format!("{}: nothing to import; skipped", row_ranges(rows))] }
}

/// One cell with its header and where it goes.
struct Column<'a> {
    index: usize,
    header: &'a str,
    target: &'a Target,
    value: &'a str,
}

fn read_row(headers: &[String], mapping: &ColumnMapping, row: &CsvRow) -> Option<(ContactDraft, Vec<String>)> {
    let columns: Vec<Column> = (headers.iter().enumerate())
        .map(|(index, header)| Column {
            index,
            header,
            target: mapping.columns.get(index).unwrap_or(&Target::Ignore),
            value: clean(row.cells.get(index).map_or("", String::as_str)),
        })
        .collect();
    let mut card = RowReader { row: row.number, ..RowReader::default() };
    card.check_width(headers, &row.cells);
    for column in &columns {
        if let Target::Label { group } = column.target {
            card.add_label(*group, column.value.trim());
        }
    }
    for column in &columns {
        card.add(column);
    }
    card.finish()
}

#[derive(Default)]
struct RowReader {
    /// The row's number, for warnings.
    row: usize,
    draft: ContactDraft,
    full_name: String,
    /// Each group's label text, from its label columns.
    labels: HashMap<u32, String>,
    addresses: Vec<PendingAddress>,
    /// "Column name: value" lines for the end of the notes.
    extras: Vec<String>,
    warnings: Vec<String>,
}

/// An address being gathered from its columns, found again by (group, label).
struct PendingAddress {
    key: (u32, String),
    address: Address,
    po_box: String,
    formatted: String,
}

impl RowReader {
    fn warn(&mut self, message: impl std::fmt::Display) {
        self.warnings.push(format!("row {}: {message}", self.row));
    }

    /// A row the wrong width is read as far as it goes: missing cells are empty, and cells
    /// past the header, which no column names, go to the notes.
    fn check_width(&mut self, headers: &[String], cells: &[String]) {
        let named = headers.iter().rposition(|header| !header.is_empty()).map_or(0, |last| last + 1);
        let extra: Vec<String> = (cells.iter().enumerate().skip(headers.len()))
            .map(|(index, cell)| (index, clean(cell).trim()))
            .filter(|(_, cell)| !cell.is_empty())
            .map(|(index, cell)| format!("Column {}: {cell}", index + 1))
            .collect();
        if !extra.is_empty() {
            self.warn(format_args!(
                "{} cells where the header has {}; the extra ones are kept in the notes",
                cells.len(),
                headers.len()
            ));
            self.extras.extend(extra);
        } else if cells.len() < named {
            self.warn(format_args!(
                "{} cells where the header has {named}; the missing ones are taken as empty",
                cells.len()
            ));
        }
    }

    fn add_label(&mut self, group: u32, text: &str) {
        if !text.is_empty() {
            self.labels.entry(group).and_modify(|label| append(label, ", ", text)).or_insert_with(|| text.to_string());
        }
    }

    fn add(&mut self, column: &Column) {
        let value = column.value.trim();
        if value.is_empty() {
            return;
        }
        match column.target {
            Target::Ignore | Target::Label { .. } => {}
            Target::Prefix => self.fill(column, |card| &mut card.draft.prefix),
            Target::GivenName => self.fill(column, |card| &mut card.draft.given_name),
            Target::MiddleName => self.fill(column, |card| &mut card.draft.middle_name),
            Target::FamilyName => self.fill(column, |card| &mut card.draft.family_name),
            Target::Suffix => self.fill(column, |card| &mut card.draft.suffix),
            Target::FullName => self.fill(column, |card| &mut card.full_name),
            Target::Nickname => self.fill(column, |card| &mut card.draft.nickname),
            Target::Company => self.fill(column, |card| &mut card.draft.company),
            Target::JobTitle => self.fill(column, |card| &mut card.draft.job_title),
            Target::Email { label, group } => {
                let emails = self.labeled_values(*group, label, value);
                self.draft.emails.extend(emails);
            }
            Target::Phone { label, group } => {
                let phones = self.labeled_values(*group, label, value);
                self.draft.phones.extend(phones);
            }
            Target::Address { label, group, part } => self.add_address(*group, label, *part, value),
            Target::Website => self.draft.websites.extend(split_multi(value).map(str::to_string)),
            Target::Birthday => self.add_birthday(column, value),
            Target::Tags => self.draft.tags.extend(split_tags(value)),
            // Only the end is trimmed, as `tidy` does: an indented first line is the writer's choice.
            Target::Notes => append(&mut self.draft.notes, "\n", column.value.trim_end()),
            Target::KeepInNotes { .. } => self.keep(column, value),
        }
    }

    /// A single-valued field takes the first column's value; another, different one goes to the notes.
    fn fill(&mut self, column: &Column, field: fn(&mut Self) -> &mut String) {
        let value = column.value.trim();
        let slot = field(self);
        if slot.is_empty() {
            *slot = value.to_string();
        } else if slot != value {
            self.keep(column, value);
        }
    }

    /// "Spouse: Dan"; for Google's numbered kinds, with their label, "Relation (Spouse): Dan".
    fn keep(&mut self, column: &Column, value: &str) {
        let name = match column.header.split_once(" - ") {
            Some((slot, _)) => slot.trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ').to_string(),
            None if column.header.is_empty() => format!("Column {}", column.index + 1),
            None => column.header.to_string(),
        };
        let label = match column.target {
            Target::KeepInNotes { group } => self.labels.get(group),
            _ => None,
        };
        self.extras.push(match label {
            Some(label) => format!("{name} ({label}): {value}"),
            None => format!("{name}: {value}"),
        });
    }

    /// The group's label (and primary mark) from its label column, else the column's own label.
    fn label(&self, group: u32, default: &str) -> (String, bool) {
        let (label, primary) = self.labels.get(&group).map(|text| parse_label(text)).unwrap_or_default();
        match (label.is_empty(), default.is_empty()) {
            (false, _) => (label, primary),
            (true, false) => (default.to_string(), primary),
            (true, true) => ("other".to_string(), primary),
        }
    }

    fn labeled_values(&self, group: u32, default: &str, value: &str) -> Vec<LabeledValue> {
        let (label, primary) = self.label(group, default);
        split_multi(value)
            .map(|value| LabeledValue { label: label.clone(), value: value.to_string(), primary })
            .collect()
    }

    fn add_address(&mut self, group: u32, default: &str, part: AddressPart, value: &str) {
        let (label, primary) = self.label(group, default);
        let key = (group, label.clone());
        let index = match self.addresses.iter().position(|pending| pending.key == key) {
            Some(index) => index,
            None => {
                let address = Address { label, ..Address::default() };
                self.addresses.push(PendingAddress { key, address, po_box: String::new(), formatted: String::new() });
                self.addresses.len() - 1
            }
        };
        let pending = &mut self.addresses[index];
        pending.address.primary |= primary;
        let a = &mut pending.address;
        let (slot, separator) = match part {
            AddressPart::Street => (&mut a.street, "\n"),
            AddressPart::Extra => (&mut a.extra, ", "),
            AddressPart::PoBox => (&mut pending.po_box, ", "),
            AddressPart::City => (&mut a.city, ", "),
            AddressPart::Region => (&mut a.region, ", "),
            AddressPart::PostalCode => (&mut a.postal_code, ", "),
            AddressPart::Country => (&mut a.country, ", "),
            AddressPart::Formatted => (&mut pending.formatted, "\n"),
        };
        append(slot, separator, value);
    }

    fn add_birthday(&mut self, column: &Column, value: &str) {
        match (parse_birthday(value), self.draft.birthday) {
            (Some(day), None) => self.draft.birthday = Some(day),
            (Some(day), Some(known)) if day == known => {}
            (Some(_), Some(_)) => self.keep(column, value),
            (None, _) => {
                self.warn(format_args!(
                    "{} “{value}” isn’t a date Rolodeck can read; kept in the notes",
                    column.header
                ));
                self.keep(column, value);
            }
        }
    }

    /// A full name stands in for empty name columns, unless it only repeats the nickname or
    /// company that the name shown falls back to anyway.
    fn name_from_full_name(&mut self) {
        let d = &mut self.draft;
        let named =
            [&d.prefix, &d.given_name, &d.middle_name, &d.family_name, &d.suffix].iter().any(|part| !part.is_empty());
        if named || self.full_name.is_empty() || self.full_name == display_name(d) {
            return;
        }
        let (given, family) = split_full_name(&self.full_name);
        (d.given_name, d.family_name) = (given.to_string(), family.to_string());
    }

    fn finish(mut self) -> Option<(ContactDraft, Vec<String>)> {
        self.name_from_full_name();
        self.draft.addresses =
            std::mem::take(&mut self.addresses).into_iter().map(PendingAddress::into_address).collect();
        prefer_callable_phone(&mut self.draft.phones);
        let mut draft = tidy(std::mem::take(&mut self.draft));
        if draft == ContactDraft::default() && self.extras.is_empty() {
            return None;
        }
        for (line, message) in set_aside_refused(&mut draft) {
            self.extras.push(line);
            self.warn(format_args!("{message} Kept in the notes instead."));
        }
        if let Some(stand_in) = ensure_named(&mut draft) {
            self.warn(format_args!("no name or company; “{stand_in}” is used as the nickname"));
        }
        draft.notes = crate::import::notes_with_extras(&draft.notes, &self.extras);
        let mut draft = tidy(draft);
        primary_first(&mut draft.emails, |email| email.primary);
        primary_first(&mut draft.phones, |phone| phone.primary);
        primary_first(&mut draft.addresses, |address| address.primary);
        Some((draft, self.warnings))
    }
}

impl PendingAddress {
    /// The post office box goes above the street, as the vCard importer puts it; the formatted
    /// address stands in only when there are no parts.
    fn into_address(self) -> Address {
        let mut a = self.address;
        a.street = [self.po_box, a.street].into_iter().filter(|line| !line.is_empty()).collect::<Vec<_>>().join("\n");
        if [&a.street, &a.extra, &a.city, &a.region, &a.postal_code, &a.country].iter().all(|part| part.is_empty()) {
            a.street = self.formatted;
        }
        a
    }
}

/// Outlook's columns run alphabetically, "Business Fax" before "Business Phone". With no
/// primary marked, the first number that is no fax becomes the one to call, not the first one.
fn prefer_callable_phone(phones: &mut [LabeledValue]) {
    if !phones.iter().any(|phone| phone.primary)
        && let Some(phone) = phones.iter_mut().find(|phone| phone.label != "fax")
    {
        phone.primary = true;
    }
}

/// Moves the primary row to the front, the others keeping their order. The export writes the
/// primary first, as most programs take the first email or phone for the main one; reading
/// the same way means a file read, written and read again comes back unchanged.
fn primary_first<T>(rows: &mut [T], primary: fn(&T) -> bool) {
    if let Some(index) = rows.iter().position(primary) {
        rows[..=index].rotate_right(1);
    }
}

/// Takes each value `check` refuses out of the draft, as a line for the notes with the reason.
/// `check` names fields by path (`emails.1.value`); taking from the last path back keeps the
/// earlier ones pointing at the right rows.
fn set_aside_refused(draft: &mut ContactDraft) -> Vec<(String, String)> {
    let Err(error) = check(draft) else { return Vec::new() };
    let mut refused = Vec::new();
    for field in error.fields().iter().rev() {
        let mut path = field.field.split('.');
        let (group, index) = (path.next().unwrap_or_default(), path.next().and_then(|i| i.parse().ok()));
        let line = match (group, index) {
            ("emails", Some(i)) => take(&mut draft.emails, i).map(|e| format!("Email ({}): {}", e.label, e.value)),
            ("phones", Some(i)) => take(&mut draft.phones, i).map(|p| format!("Phone ({}): {}", p.label, p.value)),
            ("websites", Some(i)) => take(&mut draft.websites, i).map(|url| format!("Website: {url}")),
            ("birthday", _) => draft.birthday.take().map(|b| format!("Birthday: {}", b.to_text())),
            _ => None,
        };
        refused.extend(line.map(|line| (line, field.message.clone())));
    }
    refused.reverse();
    refused
}

fn take<T>(rows: &mut Vec<T>, index: usize) -> Option<T> {
    (index < rows.len()).then(|| rows.remove(index))
}

/// `check` wants a name or a company. Failing both, the first email, phone or website stands
/// in as the nickname (and stays where it is), else "(no name)". Returns the stand-in.
fn ensure_named(draft: &mut ContactDraft) -> Option<String> {
    let unnamed = check(draft).is_err_and(|error| error.fields().iter().any(|f| f.field == "name"));
    if !unnamed {
        return None;
    }
    let values = draft.emails.iter().chain(&draft.phones).map(|row| &row.value);
    draft.nickname = values.chain(&draft.websites).next().map_or("(no name)", String::as_str).to_string();
    Some(draft.nickname.clone())
}

fn append(text: &mut String, separator: &str, more: &str) {
    if !text.is_empty() {
        text.push_str(separator);
    }
    text.push_str(more);
}

/// "row 7" or "rows 7, 12–14": runs of consecutive rows as ranges.
fn row_ranges(rows: &[usize]) -> String {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &row in rows {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == row => *end = row,
            _ => runs.push((row, row)),
        }
    }
    let text: Vec<String> = runs
        .iter()
        .map(|&(start, end)| if start == end { start.to_string() } else { format!("{start}–{end}") })
        .collect();
    format!("{} {}", if rows.len() == 1 { "row" } else { "rows" }, text.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contacts::model::Birthday;
    use crate::import::csv::{read_table, suggest_mapping};

    fn read(text: &str) -> CsvCards {
        let table = read_table(text.as_bytes()).unwrap();
        rows_to_cards(&table, &suggest_mapping(&table.headers))
    }

    fn only(text: &str) -> (ContactDraft, Vec<String>) {
        let mut read = read(text);
        assert_eq!(read.cards.len(), 1, "{read:?}");
        read.cards.remove(0)
    }

    fn labels_and_values(rows: &[LabeledValue]) -> Vec<(&str, &str, bool)> {
        rows.iter().map(|r| (r.label.as_str(), r.value.as_str(), r.primary)).collect()
    }

    #[test]
    fn google_labels_name_their_values_and_star_the_primary() {
        let (draft, warnings) = only(
            "First Name,E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,Phone 1 - Label,Phone 1 - Value\n\
             Ann,Home,ann@home.example,* Work,ann@work.example ::: ann@lee.example,Work Fax,+1 555 0100\n",
        );
        assert_eq!(
            labels_and_values(&draft.emails),
            [
                ("work", "ann@work.example", true),
                ("home", "ann@home.example", false),
                ("work", "ann@lee.example", false)
            ]
        );
        assert_eq!(labels_and_values(&draft.phones), [("fax", "+1 555 0100", true)]);
        assert!(warnings.is_empty());
    }

    #[test]
    fn without_a_primary_the_first_number_that_is_no_fax_is_primary_and_goes_first() {
        let (draft, _) = only("Company,Business Fax,Business Phone,Mobile Phone\nAcme,555 0199,555 0100,555 0142\n");
        assert_eq!(
            labels_and_values(&draft.phones),
            [("work", "555 0100", true), ("fax", "555 0199", false), ("mobile", "555 0142", false)]
        );
    }

    #[test]
    fn address_parts_gather_by_group_and_label() {
        let (draft, _) = only(
            "Name,Business Street,Business Street 2,Business City,Home Street,Home Address PO Box,Home City,\
             Address 1 - Label,Address 1 - Formatted,Address 1 - Street\n\
             Ann Lee,1 Main St,Suite 4,Springfield,9 Elm Rd,PO Box 12,Shelbyville,Holiday,\"Villa Sol\nMarbella\",\n",
        );
        let rows: Vec<_> = draft
            .addresses
            .iter()
            .map(|a| (a.label.as_str(), a.street.as_str(), a.extra.as_str(), a.city.as_str()))
            .collect();
        assert_eq!(
            rows,
            [
                ("work", "1 Main St", "Suite 4", "Springfield"),
                ("home", "PO Box 12\n9 Elm Rd", "", "Shelbyville"),
                ("Holiday", "Villa Sol\nMarbella", "", "")
            ]
        );
    }

    #[test]
    fn a_full_name_fills_empty_name_columns_only() {
        let read = read("Name,First Name,Last Name,Company\n\"Lee, Ann\",,,\nAnn Lee,Annie,Lee,\nAcme,,,Acme\n");
        let names: Vec<_> = read
            .cards
            .iter()
            .map(|(d, _)| (d.given_name.as_str(), d.family_name.as_str(), d.company.as_str()))
            .collect();
        assert_eq!(names, [("Ann", "Lee", ""), ("Annie", "Lee", ""), ("", "", "Acme")]);
    }

    #[test]
    fn refused_values_and_unreadable_dates_move_to_the_notes_with_warnings() {
        let (draft, warnings) = only(
            "First Name,Email,Mobile Phone,Web Page,Birthday,Notes,Spouse\n\
             Ann,ann at lee,call reception,nowhere,circa 1980,Met in Lyon.,Dan\n",
        );
        assert!(
            draft.emails.is_empty() && draft.phones.is_empty() && draft.websites.is_empty() && draft.birthday.is_none()
        );
        assert_eq!(
            draft.notes,
            "Met in Lyon.\n\n—\nBirthday: circa 1980\nSpouse: Dan\nEmail (other): ann at lee\nPhone (mobile): call reception\nWebsite: nowhere"
        );
        assert_eq!(warnings.len(), 4);
        assert_eq!(warnings[0], "row 2: Birthday “circa 1980” isn’t a date Rolodeck can read; kept in the notes");
        assert!(
            warnings[1].starts_with("row 2: “ann at lee” isn’t a valid email address")
                && warnings[1].ends_with("Kept in the notes instead.")
        );
        assert!(check(&draft).is_ok());
        let (draft, warnings) = only("First Name,Birthday\nAnn,2019-02-30\n");
        assert_eq!((draft.birthday, draft.notes.as_str()), (None, "—\nBirthday: 2019-02-30"));
        assert_eq!(warnings, ["row 2: That day doesn’t exist in that month. Kept in the notes instead."]);
    }

    #[test]
    fn a_second_different_value_for_a_single_field_goes_to_the_notes() {
        let (draft, _) = only(
            "Company,Organization Name,Job Title,Position,Birthday,Geburtstag\nAcme,Acme Inc.,Boss,Boss,--05-17,17.05.\n",
        );
        assert_eq!((draft.company.as_str(), draft.job_title.as_str()), ("Acme", "Boss"));
        assert_eq!(draft.birthday, Some(Birthday { year: None, month: 5, day: 17 }));
        assert_eq!(draft.notes, "—\nOrganization Name: Acme Inc.");
    }

    #[test]
    fn google_kinds_without_a_field_keep_their_label_in_the_notes() {
        let (draft, _) = only(
            "First Name,Relation 1 - Label,Relation 1 - Value,Event 1 - Label,Event 1 - Value,Labels\n\
             Ann,Spouse,Dan,Anniversary,2010-06-12,Clients ::: * myContacts\n",
        );
        assert_eq!(draft.notes, "—\nRelation (Spouse): Dan\nEvent (Anniversary): 2010-06-12");
        assert_eq!(draft.tags, ["Clients"]);
    }

    #[test]
    fn ragged_rows_are_read_as_far_as_they_go_with_a_warning() {
        let read = read("First Name,Last Name,Email\nAnn,Lee\nBob,Ray,bob@ray.example,VIP,\n");
        let (ann, ann_warnings) = &read.cards[0];
        assert_eq!((ann.family_name.as_str(), ann.emails.len()), ("Lee", 0));
        assert_eq!(ann_warnings, &["row 2: 2 cells where the header has 3; the missing ones are taken as empty"]);
        let (bob, bob_warnings) = &read.cards[1];
        assert_eq!((bob.emails[0].value.as_str(), bob.notes.as_str()), ("bob@ray.example", "—\nColumn 4: VIP"));
        assert_eq!(bob_warnings, &["row 3: 5 cells where the header has 3; the extra ones are kept in the notes"]);
    }

    #[test]
    fn rows_with_nothing_to_import_are_skipped_and_reported_as_ranges() {
        let read = read("First Name,Gender,Email\nAnn,,\n,,\n,Unspecified,\n,,\nBob,,\n\"\",,\n");
        assert_eq!(read.cards.len(), 2);
        assert_eq!(read.warnings, ["rows 3–5, 7: nothing to import; skipped"]);
        assert_eq!(row_ranges(&[4]), "row 4");
    }

    #[test]
    fn a_row_without_a_name_borrows_its_email_as_nickname() {
        let (draft, warnings) = only("Email,Phone\nann@lee.example,555 0100\n");
        assert_eq!(draft.nickname, "ann@lee.example");
        assert_eq!(warnings, ["row 2: no name or company; “ann@lee.example” is used as the nickname"]);
        let (draft, _) = only("Connected On\n01 Jan 2024\n");
        assert_eq!((draft.nickname.as_str(), draft.notes.as_str()), ("(no name)", "—\nConnected On: 01 Jan 2024"));
    }

    #[test]
    fn a_user_mapping_wins_and_a_short_mapping_ignores_the_rest() {
        let table = read_table(b"Kunde,Kontakt,Notes\nAcme,ann@acme.example,x\n").unwrap();
        let mapping =
            ColumnMapping { columns: vec![Target::Company, Target::Email { label: "work".into(), group: 0 }] };
        let (draft, _) = rows_to_cards(&table, &mapping).cards.remove(0);
        assert_eq!(
            (draft.company.as_str(), labels_and_values(&draft.emails)),
            ("Acme", vec![("work", "ann@acme.example", true)])
        );
        assert_eq!(draft.notes, "");
    }
}
