//! A card's properties made into a `ContactDraft` that passes `validate::check`. The fields the
//! model has are filled in, with labels from TYPE or from an Apple `X-ABLabel` in the same group.
//! Everything else a person may want, vendor X- properties included, goes to the end of the
//! notes as "NAME (label): value" lines, and so does any value `check` refuses, with a warning:
//! one bad phone number never costs the whole card.

use std::collections::{HashMap, HashSet};

use super::ParsedCard;
use super::property::{Garbled, Property};
use crate::contacts::model::{Address, Birthday, Circle, ContactDraft, LabeledValue, display_name};
use crate::contacts::validate::{check, tidy};

pub(super) type Item = Result<Property, Garbled>;

/// Properties nobody would miss: versions, revisions and ids, the formatted LABEL that ADR
/// already holds, and vendors' layout and sync bookkeeping. (X-ABLabel is read per group.)
const SKIPPED: [&str; 14] = [
    "VERSION",
    "PRODID",
    "REV",
    "PROFILE",
    "SORT-STRING",
    "LABEL",
    "X-ABLABEL",
    "X-ABUID",
    "X-ABADR",
    "X-ABSHOWAS",
    "X-EVOLUTION-FILE-AS",
    "X-COUCHDB-APPLICATION-ANNOTATIONS",
    "X-MS-OL-DESIGN",
    "X-MS-OL-DEFAULT-POSTAL-ADDRESS",
];

/// Pictures, sounds and keys: Rolodeck has no place for them, so each one skipped is a warning.
const MEDIA: [&str; 4] = ["PHOTO", "LOGO", "SOUND", "KEY"];

pub(super) fn build_card(items: Vec<Item>) -> Option<ParsedCard> {
    let mut card = CardBuilder { labels: group_labels(&items), ..CardBuilder::default() };
    for item in items {
        match item {
            Ok(property) => card.add(&property),
            Err(garbled) => card.keep_garbled(garbled),
        }
    }
    card.finish()
}

#[derive(Default)]
struct CardBuilder {
    draft: ContactDraft,
    formatted_name: String,
    /// "NAME (label): value" lines for the end of the notes.
    extras: Vec<String>,
    warnings: Vec<String>,
    uid: Option<String>,
    /// Each group's X-ABLabel, unwrapped.
    labels: HashMap<String, String>,
}

impl CardBuilder {
    fn add(&mut self, p: &Property) {
        self.warnings.extend(p.problem.clone());
        match p.name.as_str() {
            "N" => self.add_name(p),
            "FN" => self.fill(p, &p.text(), |card| &mut card.formatted_name),
            "NICKNAME" => p.list().iter().for_each(|nickname| append(&mut self.draft.nickname, ", ", nickname.trim())),
            "ORG" => self.add_org(p),
            "TITLE" => self.fill(p, &p.text(), |card| &mut card.draft.job_title),
            "EMAIL" => self.draft.emails.push(self.labeled(p, strip_scheme(&p.text(), "mailto:"))),
            "TEL" => self.draft.phones.push(self.labeled(p, &phone_text(&p.text()))),
            "ADR" => self.draft.addresses.push(self.address(p)),
            "URL" => self.draft.websites.push(p.text()),
            "BDAY" => self.add_birthday(p),
            "NOTE" => append(&mut self.draft.notes, "\n", &p.text()),
            "CATEGORIES" => self.draft.tags.extend(p.list()),
            "X-ROLODECK-CIRCLE" => match Circle::parse(p.text().trim()) {
                Some(circle) => self.draft.circle = circle,
                None => self.keep(p),
            },
            "UID" => self.uid = self.uid.take().or_else(|| Some(p.text())),
            name if MEDIA.contains(&name) || p.is_base64() => self.warnings.push(format!(
                "line {}: {name} not imported (Rolodeck keeps no pictures, sounds, keys or other binary data)",
                p.line
            )),
            name if SKIPPED.contains(&name) => {}
            _ => self.keep(p),
        }
    }

    /// A single-valued field takes its first property; a later, different one goes to the notes.
    fn fill(&mut self, p: &Property, value: &str, field: fn(&mut Self) -> &mut String) {
        let slot = field(self);
        let value = value.trim();
        if slot.is_empty() {
            *slot = value.to_string();
        } else if slot != value {
            self.keep(p);
        }
    }

    fn add_name(&mut self, p: &Property) {
        let parts: [String; 5] = padded(&p.components());
        let d = &mut self.draft;
        let name = [&mut d.family_name, &mut d.given_name, &mut d.middle_name, &mut d.prefix, &mut d.suffix];
        if name.iter().all(|slot| slot.is_empty()) {
            name.into_iter().zip(parts).for_each(|(slot, part)| *slot = part);
        } else if name.iter().zip(&parts).any(|(slot, part)| **slot != *part) {
            self.keep(p);
        }
    }

    /// The first unit is the company; the rest (departments) go to the notes.
    fn add_org(&mut self, p: &Property) {
        let mut units = p.components().into_iter().map(|unit| unit.trim().to_string());
        let company = units.next().unwrap_or_default();
        if !self.draft.company.is_empty() {
            if self.draft.company != company {
                self.keep(p);
            }
            return;
        }
        self.draft.company = company;
        let departments: Vec<String> = units.filter(|unit| !unit.is_empty()).collect();
        if !departments.is_empty() {
            self.extras.push(format!("Department: {}", departments.join("; ")));
        }
    }

    fn add_birthday(&mut self, p: &Property) {
        let text = p.text();
        if text.trim().is_empty() {
            return;
        }
        match (parse_birthday(&text), self.draft.birthday) {
            (Some(day), None) => self.draft.birthday = Some(day),
            (Some(day), Some(known)) if day == known => {}
            (Some(_), Some(_)) => self.keep(p),
            (None, _) => {
                self.warnings.push(format!(
                    "line {}: BDAY “{}” isn’t a date Rolodeck can read; kept in the notes",
                    p.line,
                    text.trim()
                ));
                self.keep(p);
            }
        }
    }

    fn labeled(&self, p: &Property, value: &str) -> LabeledValue {
        LabeledValue { label: self.label(p), value: value.to_string(), primary: p.is_preferred() }
    }

    /// ADR's post office box, extended address, street, locality, region, postal code, country.
    fn address(&self, p: &Property) -> Address {
        let [po_box, extra, street, city, region, postal_code, country] = padded(&p.components());
        let street = [po_box, street].into_iter().filter(|line| !line.is_empty()).collect::<Vec<_>>().join("\n");
        Address { label: self.label(p), street, extra, city, region, postal_code, country, primary: p.is_preferred() }
    }

    fn label(&self, p: &Property) -> String {
        self.group_label(p).map_or_else(|| label_from_types(&p.types()).to_string(), str::to_string)
    }

    fn group_label(&self, p: &Property) -> Option<&str> {
        self.labels.get(p.group.as_ref()?).map(String::as_str)
    }

    /// Keeps a property for the notes as "NAME (label): value"; an empty one holds nothing.
    fn keep(&mut self, p: &Property) {
        let mut components = p.components();
        while components.last().is_some_and(|c| c.trim().is_empty()) {
            components.pop();
        }
        if components.is_empty() {
            return;
        }
        let types = p.types().join(",");
        let qualifier = self.group_label(p).or(p.param("X-SERVICE-TYPE")).or((!types.is_empty()).then_some(&*types));
        let name = match qualifier {
            Some(qualifier) => format!("{} ({qualifier})", p.name),
            None => p.name.clone(),
        };
        self.extras.push(format!("{name}: {}", components.join("; ")));
    }

    fn keep_garbled(&mut self, garbled: Garbled) {
        let preview = super::preview(&garbled.text);
        self.warnings.push(format!("line {}: “{preview}” isn’t a vCard property; kept in the notes", garbled.line));
        self.extras.push(garbled.text);
    }

    /// FN stands in for an empty N, unless it only repeats the nickname, company or email that
    /// the name shown falls back to anyway (a company's card has FN = ORG).
    fn name_from_formatted_name(&mut self) {
        let d = &mut self.draft;
        let named = [&d.family_name, &d.given_name, &d.middle_name, &d.prefix, &d.suffix].iter().any(|s| !s.is_empty());
        let full = self.formatted_name.as_str();
        if named || full.is_empty() || full == display_name(d) {
            return;
        }
        let (given, family) = match full.split_once(',') {
            Some((family, given)) => (given, family),
            None => full.rsplit_once(' ').unwrap_or((full, "")),
        };
        (d.given_name, d.family_name) = (given.trim().to_string(), family.trim().to_string());
    }

    fn finish(mut self) -> Option<ParsedCard> {
        self.name_from_formatted_name();
        let mut draft = tidy(self.draft);
        let mut seen = HashSet::new();
        self.extras.retain(|line| seen.insert(line.clone()));
        if draft == ContactDraft::default() && self.extras.is_empty() {
            return None;
        }
        move_refused_values(&mut draft, &mut self.extras, &mut self.warnings);
        ensure_named(&mut draft, &mut self.warnings);
        draft.notes = crate::import::notes_with_extras(&draft.notes, &self.extras);
        Some(ParsedCard { draft: tidy(draft), warnings: self.warnings, uid: self.uid })
    }
}

fn group_labels(items: &[Item]) -> HashMap<String, String> {
    items
        .iter()
        .flatten()
        .filter(|p| p.name == "X-ABLABEL")
        .filter_map(|p| Some((p.group.clone()?, apple_label(&p.text()))))
        .collect()
}

/// Apple writes its stock labels as `_$!<Home>!$_`; a label the user typed comes as it is.
fn apple_label(text: &str) -> String {
    let text = text.trim();
    match text.strip_prefix("_$!<").and_then(|t| t.strip_suffix(">!$_")) {
        Some(stock) => stock.to_lowercase(),
        None => text.to_string(),
    }
}

/// Rolodeck's label for a TYPE list; "pref", "voice", "internet" and the like say nothing of it.
fn label_from_types(types: &[String]) -> &'static str {
    const LABELS: [(&[&str], &str); 4] =
        [(&["fax"], "fax"), (&["cell", "mobile"], "mobile"), (&["work"], "work"), (&["home"], "home")];
    LABELS
        .iter()
        .find(|(names, _)| types.iter().any(|t| names.contains(&t.as_str())))
        .map_or("other", |(_, label)| label)
}

/// The first `N` components, trimmed; the last takes any surplus (joined back with `;`).
fn padded<const N: usize>(components: &[String]) -> [String; N] {
    let mut parts: [String; N] = std::array::from_fn(|_| String::new());
    for (i, component) in components.iter().enumerate() {
        let Some(slot) = parts.get_mut(i.min(N.saturating_sub(1))) else { break };
        if i >= N {
            slot.push(';');
        }
        slot.push_str(component.trim());
    }
    parts
}

fn append(text: &mut String, separator: &str, more: &str) {
    if more.trim().is_empty() {
        return;
    }
    if !text.is_empty() {
        text.push_str(separator);
    }
    text.push_str(more);
}

fn strip_scheme<'a>(text: &'a str, scheme: &str) -> &'a str {
    let text = text.trim();
    match text.get(..scheme.len()) {
        Some(head) if head.eq_ignore_ascii_case(scheme) => &text[scheme.len()..],
        _ => text,
    }
}

/// A 4.0 `tel:+1-418-656-9254;ext=102` as people write it: `+1-418-656-9254 x 102`. An
/// extension is digits; anything else stays as written (and the check decides on it), so a
/// second import of the number gives the same number.
fn phone_text(text: &str) -> String {
    let number = strip_scheme(text, "tel:");
    match number.split_once(";ext=") {
        Some((number, extension)) if extension.chars().all(|c| c.is_ascii_digit()) => {
            format!("{number} x {extension}")
        }
        _ => number.to_string(),
    }
}

/// `1980-05-17`, `19800517`, `--05-17` or `--0517`, with any time after a `T` ignored.
fn parse_birthday(text: &str) -> Option<Birthday> {
    let date = text.trim().split('T').next()?;
    let (year, month_day) = match date.strip_prefix("--") {
        Some(month_day) => (None, month_day),
        None => {
            let rest = date.get(4..)?;
            (Some(i32::try_from(digits(date.get(..4)?)?).ok()?), rest.strip_prefix('-').unwrap_or(rest))
        }
    };
    let (month, day) = month_day.split_once('-').or_else(|| Some((month_day.get(..2)?, month_day.get(2..)?)))?;
    if month.len() != 2 || day.len() != 2 {
        return None;
    }
    Some(Birthday { year, month: digits(month)?, day: digits(day)? })
}

fn digits(text: &str) -> Option<u32> {
    text.bytes().all(|b| b.is_ascii_digit()).then(|| text.parse().ok())?
}

/// Moves each value `check` refuses to the notes, with a warning, so that the draft passes. A
/// missing name is not a value to move; `ensure_named` settles it.
fn move_refused_values(draft: &mut ContactDraft, extras: &mut Vec<String>, warnings: &mut Vec<String>) {
    let Err(error) = check(draft) else { return };
    let mut refused = HashSet::new();
    for field in error.fields() {
        // The paths are check's contract with the form: `emails.1.value`, `websites.0`, `birthday`.
        let mut path = field.field.split('.');
        let (group, index) = (path.next().unwrap_or_default(), path.next().and_then(|i| i.parse::<usize>().ok()));
        let kept = match (group, index) {
            ("emails", Some(i)) => draft.emails.get(i).map(|e| format!("EMAIL ({}): {}", e.label, e.value)),
            ("phones", Some(i)) => draft.phones.get(i).map(|p| format!("TEL ({}): {}", p.label, p.value)),
            ("websites", Some(i)) => draft.websites.get(i).map(|url| format!("URL: {url}")),
            ("birthday", _) => draft.birthday.map(|b| format!("BDAY: {}", b.to_text())),
            _ => None,
        };
        if let Some(line) = kept {
            extras.push(line);
            warnings.push(format!("{} Kept in the notes instead.", field.message));
            refused.insert((group, index));
        }
    }
    drop_refused(&mut draft.emails, "emails", &refused);
    drop_refused(&mut draft.phones, "phones", &refused);
    drop_refused(&mut draft.websites, "websites", &refused);
    if refused.contains(&("birthday", None)) {
        draft.birthday = None;
    }
}

fn drop_refused<T>(rows: &mut Vec<T>, group: &str, refused: &HashSet<(&str, Option<usize>)>) {
    let mut index = 0;
    rows.retain(|_| {
        index += 1;
        !refused.contains(&(group, Some(index - 1)))
    });
}

/// `check` wants a name or a company. Failing both, the first email, phone or website stands
/// in as the nickname (the rest stays where it is), else "(no name)".
fn ensure_named(draft: &mut ContactDraft, warnings: &mut Vec<String>) {
    let unnamed = check(draft).is_err_and(|error| error.fields().iter().any(|f| f.field == "name"));
    if !unnamed {
        return;
    }
    let values = draft.emails.iter().chain(&draft.phones).map(|row| &row.value);
    let stand_in = values.chain(&draft.websites).next().map_or("(no name)", String::as_str).to_string();
    warnings.push(format!("no name or company; “{stand_in}” is used as the nickname"));
    draft.nickname = stand_in;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::vcard::lines::ContentLine;
    use crate::import::vcard::property::parse_property;

    fn card(lines: &[&str]) -> ParsedCard {
        let items = lines
            .iter()
            .enumerate()
            .map(|(i, line)| parse_property(&ContentLine { number: i + 2, bytes: line.as_bytes().to_vec() }, false))
            .collect();
        build_card(items).expect("a card with content")
    }

    fn labels_and_values(rows: &[LabeledValue]) -> Vec<(&str, &str, bool)> {
        rows.iter().map(|r| (r.label.as_str(), r.value.as_str(), r.primary)).collect()
    }

    #[test]
    fn maps_types_to_labels_and_pref_to_primary() {
        let parsed = card(&[
            "N:Doe;Jo;;;",
            "TEL;CELL;PREF:1 111",
            "TEL;TYPE=work,voice:2 222",
            "TEL;TYPE=HOME;TYPE=FAX:3 333",
            "TEL;TYPE=PAGER:4 444",
            "EMAIL;TYPE=INTERNET;TYPE=HOME:jo@home.example",
            "EMAIL;TYPE=work;PREF=1:jo@work.example",
        ]);
        let d = &parsed.draft;
        assert_eq!(
            labels_and_values(&d.phones),
            [("mobile", "1 111", true), ("work", "2 222", false), ("fax", "3 333", false), ("other", "4 444", false)]
        );
        assert_eq!(
            labels_and_values(&d.emails),
            [("home", "jo@home.example", false), ("work", "jo@work.example", true)]
        );
    }

    #[test]
    fn a_group_label_names_the_value_beside_it() {
        let parsed = card(&[
            "N:Doe;Jo;;;",
            "item1.EMAIL;type=INTERNET:jo@example.com",
            "item1.X-ABLabel:_$!<Home>!$_",
            "item2.TEL:555 1234",
            "ITEM2.X-ABLabel:GRAND_CENTRAL",
            "item3.X-ABRELATEDNAMES:Jenny",
            "item3.X-ABLabel:_$!<Spouse>!$_",
        ]);
        assert_eq!(parsed.draft.emails[0].label, "home");
        assert_eq!(parsed.draft.phones[0].label, "GRAND_CENTRAL");
        assert_eq!(parsed.draft.notes, "—\nX-ABRELATEDNAMES (spouse): Jenny");
    }

    #[test]
    fn reads_every_birthday_form() {
        let forms = [
            ("1980-05-17", Some(1980), 5, 17),
            ("19800517", Some(1980), 5, 17),
            ("--0517", None, 5, 17),
            ("--05-17", None, 5, 17),
            ("1980-05-17T00:00:00Z", Some(1980), 5, 17),
        ];
        for (text, year, month, day) in forms {
            assert_eq!(parse_birthday(text), Some(Birthday { year, month, day }), "{text}");
        }
        for text in ["1980", "1980-05", "17.05.1980", "--5-17", "---17", "１９８０-05-17", ""] {
            assert_eq!(parse_birthday(text), None, "{text}");
        }
    }

    #[test]
    fn an_unreadable_or_impossible_birthday_is_kept_in_the_notes_with_a_warning() {
        let parsed = card(&["FN:Jo Doe", "BDAY:circa 1980"]);
        assert_eq!(parsed.draft.birthday, None);
        assert_eq!(parsed.draft.notes, "—\nBDAY: circa 1980");
        assert_eq!(parsed.warnings, ["line 3: BDAY “circa 1980” isn’t a date Rolodeck can read; kept in the notes"]);
        let parsed = card(&["FN:Jo Doe", "BDAY:--0230"]);
        assert_eq!((parsed.draft.birthday, parsed.draft.notes.as_str()), (None, "—\nBDAY: --02-30"));
        assert_eq!(parsed.warnings, ["That day doesn’t exist in that month. Kept in the notes instead."]);
    }

    #[test]
    fn notes_undo_escapes_and_categories_respect_escaped_commas() {
        let parsed =
            card(&[r"FN:Jo Doe", r"NOTE:one\ntwo\Nthree\, four\; five\\", r"CATEGORIES:VIP,golf\, tennis,vip"]);
        assert_eq!(parsed.draft.notes, "one\ntwo\nthree, four; five\\");
        assert_eq!(parsed.draft.tags, ["VIP", "golf, tennis"]);
    }

    #[test]
    fn unknown_properties_are_kept_at_the_end_of_the_notes() {
        let parsed = card(&[
            "FN:Jo Doe",
            "NOTE:Met in Lyon.",
            "X-SKYPE:joe.doe",
            "IMPP;X-SERVICE-TYPE=Skype:skype:joe",
            "X-AIM;TYPE=HOME:jo5",
            "GEO:-2.6;3.4",
            "ORG:IBM;Accounting;;",
            "PRODID:-//Apple Inc.//iOS 5.0.1//EN",
            "UID:abc-123",
        ]);
        assert_eq!(
            parsed.draft.notes,
            "Met in Lyon.\n\n—\nX-SKYPE: joe.doe\nIMPP (Skype): skype:joe\nX-AIM (home): jo5\nGEO: -2.6; 3.4\nDepartment: Accounting"
        );
        assert_eq!(parsed.uid.as_deref(), Some("abc-123"));
        assert!(parsed.warnings.is_empty());
    }

    #[test]
    fn a_second_different_value_of_a_single_field_goes_to_the_notes() {
        let parsed =
            card(&["N:Doe;Jo;;;", "N:Doe;Jo;;;", "TITLE:Boss", "TITLE:Owner", "BDAY:2016-08-01", "BDAY:20160801"]);
        assert_eq!(parsed.draft.job_title, "Boss");
        assert_eq!(parsed.draft.notes, "—\nTITLE: Owner");
    }

    #[test]
    fn refused_values_move_to_the_notes_and_the_draft_passes_check() {
        let parsed = card(&[
            "N:Doe;Jo;;;",
            "EMAIL;PREF:not an email",
            "EMAIL:jo@example.com",
            "TEL;WORK:BusinessPhone",
            "URL:nowhere",
        ]);
        let d = &parsed.draft;
        assert_eq!(labels_and_values(&d.emails), [("other", "jo@example.com", true)]);
        assert!(d.phones.is_empty() && d.websites.is_empty());
        assert_eq!(d.notes, "—\nEMAIL (other): not an email\nTEL (work): BusinessPhone\nURL: nowhere");
        assert_eq!(parsed.warnings.len(), 3);
        assert!(check(d).is_ok());
    }

    #[test]
    fn without_a_name_fn_is_split_else_the_email_becomes_the_nickname() {
        assert_eq!(card(&["FN:Ann Marie Lee"]).draft.given_name, "Ann Marie");
        let parsed = card(&["N:;;;;", "FN:Lee, Ann"]);
        assert_eq!((parsed.draft.given_name.as_str(), parsed.draft.family_name.as_str()), ("Ann", "Lee"));
        let company = card(&["N:;;;;", "FN:Acme Inc.", "ORG:Acme Inc."]).draft;
        assert_eq!((company.given_name.as_str(), company.company.as_str()), ("", "Acme Inc."));
        let parsed = card(&["EMAIL;PREF:jo@example.com"]);
        assert_eq!(parsed.draft.nickname, "jo@example.com");
        assert_eq!(parsed.warnings, ["no name or company; “jo@example.com” is used as the nickname"]);
    }

    #[test]
    fn reads_addresses_with_the_po_box_before_the_street() {
        let parsed = card(&["FN:Jo Doe", "ADR;TYPE=HOME:Box 12;Apt 3;1 Main St;Albany;NY;12345;USA"]);
        let a = &parsed.draft.addresses[0];
        assert_eq!(
            [&a.label, &a.street, &a.extra, &a.city, &a.region, &a.postal_code, &a.country],
            ["home", "Box 12\n1 Main St", "Apt 3", "Albany", "NY", "12345", "USA"]
        );
    }

    #[test]
    fn reads_tel_uris_and_mailto() {
        let parsed = card(&["FN:Jo Doe", "TEL;VALUE=uri:tel:+1-418-656-9254;ext=102", "EMAIL:mailto:jo@example.com"]);
        assert_eq!(parsed.draft.phones[0].value, "+1-418-656-9254 x 102");
        assert_eq!(parsed.draft.emails[0].value, "jo@example.com");
    }

    #[test]
    fn skipped_photos_are_warned_about_and_an_empty_card_is_no_card() {
        let parsed = card(&["FN:Jo Doe", "PHOTO;ENCODING=b:AAAA"]);
        assert_eq!(
            parsed.warnings,
            ["line 3: PHOTO not imported (Rolodeck keeps no pictures, sounds, keys or other binary data)"]
        );
        let items = vec![parse_property(&ContentLine { number: 2, bytes: b"VERSION:3.0".to_vec() }, false)];
        assert_eq!(build_card(items), None);
    }
}
