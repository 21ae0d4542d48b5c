//! Contacts written as vCard 4.0, for other address books and for files Rolodeck itself reads
//! back unchanged: CRLF line ends, lines folded at 75 octets without splitting a character, and
//! text escaped. Stock labels become TYPE; a label of the user's own travels as an Apple-style
//! `itemN.X-ABLabel`, which Apple, Google and our importer all read. The circle, which vCard has
//! no word for, goes in `X-ROLODECK-CIRCLE`.

use crate::contacts::model::{Address, Birthday, ContactDraft, display_name};

/// Octets per physical line, CRLF not counted (RFC 6350 §3.2).
const LINE_LIMIT: usize = 75;

/// One vCard 4.0 card per draft, in order.
pub fn write_vcards(drafts: &[ContactDraft]) -> String {
    let mut out = String::new();
    for draft in drafts {
        CardWriter { out: &mut out, groups: 0 }.write(draft);
    }
    out
}

struct CardWriter<'a> {
    out: &'a mut String,
    /// Groups used so far for user labels (`item1`, `item2` …).
    groups: usize,
}

impl CardWriter<'_> {
    fn write(&mut self, d: &ContactDraft) {
        self.property("BEGIN", "", "VCARD");
        self.property("VERSION", "", "4.0");
        self.property("PRODID", "", "-//Rolodeck//Rolodeck//EN");
        self.property("FN", "", &escape(&display_name(d)));
        let name = [&d.family_name, &d.given_name, &d.middle_name, &d.prefix, &d.suffix].map(String::as_str);
        self.property("N", "", &structured(&name));
        self.text("NICKNAME", &d.nickname);
        self.text("ORG", &d.company);
        self.text("TITLE", &d.job_title);
        for email in &d.emails {
            self.labeled("EMAIL", &email.label, email.primary, &escape(&email.value));
        }
        for phone in &d.phones {
            self.labeled("TEL", &phone.label, phone.primary, &escape(&phone.value));
        }
        for address in &d.addresses {
            self.labeled("ADR", &address.label, address.primary, &address_value(address));
        }
        if let Some(birthday) = d.birthday {
            self.property("BDAY", "", &birthday_value(birthday));
        }
        for url in &d.websites {
            self.text("URL", url);
        }
        let tags: Vec<String> = d.tags.iter().map(|tag| escape(tag)).collect();
        if !tags.is_empty() {
            self.property("CATEGORIES", "", &tags.join(","));
        }
        self.text("NOTE", &d.notes);
        self.property("X-ROLODECK-CIRCLE", "", d.circle.as_str());
        self.property("END", "", "VCARD");
    }

    fn text(&mut self, name: &str, value: &str) {
        if !value.is_empty() {
            self.property(name, "", &escape(value));
        }
    }

    /// A stock label as TYPE, "other" as nothing (which reads back as "other"), and any other
    /// label as the X-ABLabel of a group of its own.
    fn labeled(&mut self, name: &str, label: &str, primary: bool, value: &str) {
        let pref = if primary { ";PREF=1" } else { "" };
        if label.is_empty() || label == "other" {
            self.property(name, pref, value);
        } else if let Some(kind) = stock_type(label) {
            self.property(name, &format!(";TYPE={kind}{pref}"), value);
        } else {
            self.groups += 1;
            let group = format!("item{}", self.groups);
            self.property(&format!("{group}.{name}"), pref, value);
            self.property(&format!("{group}.X-ABLabel"), "", &escape(label));
        }
    }

    fn property(&mut self, name: &str, params: &str, value: &str) {
        push_folded(self.out, &format!("{name}{params}:{value}"));
    }
}

fn stock_type(label: &str) -> Option<&'static str> {
    match label {
        "mobile" => Some("cell"),
        "work" => Some("work"),
        "home" => Some("home"),
        "fax" => Some("fax"),
        _ => None,
    }
}

/// ADR: post office box (unused: the street holds it), extended, street, city, region, code, country.
fn address_value(a: &Address) -> String {
    structured(&["", &a.extra, &a.street, &a.city, &a.region, &a.postal_code, &a.country])
}

/// `19800517`, or `--0517` without a year.
fn birthday_value(b: Birthday) -> String {
    match b.year {
        Some(year) => format!("{year:04}{:02}{:02}", b.month, b.day),
        None => format!("--{:02}{:02}", b.month, b.day),
    }
}

fn structured(parts: &[&str]) -> String {
    parts.iter().map(|part| escape(part)).collect::<Vec<_>>().join(";")
}

/// Backslash, comma and semicolon escaped, every line break written as `\n`.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.replace("\r\n", "\n").chars() {
        match c {
            '\\' | ',' | ';' => out.extend(['\\', c]),
            '\n' | '\r' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out
}

/// Ends `line` with CRLF, folding it first: no physical line over 75 octets, a continuation
/// line starts with one space (which counts), and a character is never cut in two.
fn push_folded(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > LINE_LIMIT {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contacts::model::{Circle, LabeledValue};
    use crate::contacts::validate::tidy;
    use crate::import::vcard::parse_vcards;

    fn row(label: &str, value: &str, primary: bool) -> LabeledValue {
        LabeledValue { label: label.into(), value: value.into(), primary }
    }

    fn full_draft() -> ContactDraft {
        tidy(ContactDraft {
            prefix: "Dr.".into(),
            given_name: "Łukasz".into(),
            middle_name: "J.".into(),
            family_name: "Wróbel-Żak; Jr, III".into(),
            suffix: "PhD".into(),
            nickname: "Luke, the \\ one".into(),
            company: "Acme; Sons, Ltd.".into(),
            job_title: "Founder, CEO".into(),
            emails: vec![row("work", "lukasz@acme.example", false), row("Private box", "luke@mail.example", true)],
            phones: vec![row("mobile", "+48 601 234 567", true), row("fax", "+48 12 000 00 00", false)],
            addresses: vec![Address {
                label: "home".into(),
                street: "ul. Floriańska 12\nm. 4".into(),
                extra: "Oficyna; II p.".into(),
                city: "Kraków".into(),
                postal_code: "31-019".into(),
                country: "Polska".into(),
                primary: true,
                ..Default::default()
            }],
            websites: vec!["https://acme.example/a,b;c".into()],
            birthday: Some(Birthday { year: None, month: 2, day: 29 }),
            circle: Circle::Both,
            tags: vec!["VIP".into(), "golf, tennis".into()],
            // Custom fields travel in the JSON export; vCard has no place for them.
            custom: Default::default(),
            notes: format!("Met at the Kraków fair; loves \"jazz\".\n\nSecond paragraph: {}", "żółć ".repeat(30)),
        })
    }

    #[test]
    fn round_trips_through_the_importer() {
        let drafts = [
            full_draft(),
            tidy(ContactDraft { company: "Solo GmbH".into(), ..Default::default() }),
            tidy(ContactDraft {
                given_name: "Ann".into(),
                birthday: Some(Birthday { year: Some(1980), month: 5, day: 17 }),
                circle: Circle::Personal,
                ..Default::default()
            }),
        ];
        let parsed = parse_vcards(write_vcards(&drafts).as_bytes()).expect("our own output parses");
        assert!(parsed.iter().all(|card| card.warnings.is_empty()), "{parsed:?}");
        let back: Vec<ContactDraft> = parsed.into_iter().map(|card| card.draft).collect();
        assert_eq!(back, drafts);
    }

    #[test]
    fn writes_types_pref_and_user_labels() {
        let text = write_vcards(&[full_draft()]);
        assert!(text.contains("\r\nEMAIL;TYPE=work:lukasz@acme.example\r\n"));
        assert!(text.contains("\r\nitem1.EMAIL;PREF=1:luke@mail.example\r\nitem1.X-ABLabel:Private box\r\n"));
        assert!(text.contains("\r\nTEL;TYPE=cell;PREF=1:+48 601 234 567\r\n"));
        assert!(text.contains("\r\nN:Wróbel-Żak\\; Jr\\, III;Łukasz;J.;Dr.;PhD\r\n"));
        assert!(text.contains("\r\nBDAY:--0229\r\n"));
        assert!(text.contains("\r\nCATEGORIES:VIP,golf\\, tennis\r\n"));
    }

    #[test]
    fn folds_at_75_octets_without_splitting_a_character() {
        let text = write_vcards(&[full_draft()]);
        assert!(text.ends_with("END:VCARD\r\n"));
        for line in text.split("\r\n") {
            assert!(line.len() <= LINE_LIMIT, "{line:?} is {} octets", line.len());
            assert!(!line.contains('\n') && !line.contains('\r'));
        }
        let mut out = String::new();
        push_folded(&mut out, &format!("NOTE:a{}", "ż".repeat(40)));
        let lines: Vec<&str> = out.split("\r\n").collect();
        assert_eq!(lines.iter().map(|l| l.len()).collect::<Vec<_>>(), [74, 13, 0]);
        assert!(lines[1].starts_with(' '));
    }

    #[test]
    fn escapes_text() {
        assert_eq!(escape("a\\b,c;d\r\ne\nf"), "a\\\\b\\,c\\;d\\ne\\nf");
    }
}
