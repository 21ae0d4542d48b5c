//! Recognising a contact the file already has: the same email, the same phone number, or the
//! same name at the same company. And folding an incoming card into an existing contact
//! without losing anything either side holds.

use crate::contacts::{Address, ContactDraft};
use crate::fold::fold;

/// The keys a draft is recognised by, strongest first, each with the reason shown to the user.
pub fn match_keys(draft: &ContactDraft) -> Vec<(String, String)> {
    let mut keys = Vec::new();
    for email in &draft.emails {
        keys.push((format!("email:{}", email.value.to_lowercase()), format!("same email {}", email.value)));
    }
    for phone in &draft.phones {
        if let Some(digits) = phone_key(&phone.value) {
            keys.push((format!("phone:{digits}"), format!("same phone {}", phone.value)));
        }
    }
    let name =
        fold(&format!("{} {}", draft.given_name, draft.family_name)).split_whitespace().collect::<Vec<_>>().join(" ");
    if !name.is_empty() {
        let company = fold(&draft.company);
        keys.push((format!("name:{name}|{}", company.trim()), format!("same name and company ({})", name)));
    }
    keys
}

/// The last ten digits: "+1 (555) 123-4567" and "555.123.4567" are the same line. Numbers
/// shorter than seven digits are too ambiguous to match on.
pub fn phone_key(phone: &str) -> Option<String> {
    let digits: String = phone.split(['x', 'X']).next().unwrap_or("").chars().filter(char::is_ascii_digit).collect();
    (digits.len() >= 7).then(|| digits[digits.len().saturating_sub(10)..].to_string())
}

/// `existing` with whatever `incoming` adds: blank fields filled, new emails, phones,
/// addresses, websites and tags appended, new notes appended. Nothing is overwritten.
pub fn merge_drafts(existing: &ContactDraft, incoming: &ContactDraft) -> ContactDraft {
    let mut merged = existing.clone();
    for (mine, theirs) in [
        (&mut merged.prefix, &incoming.prefix),
        (&mut merged.given_name, &incoming.given_name),
        (&mut merged.middle_name, &incoming.middle_name),
        (&mut merged.family_name, &incoming.family_name),
        (&mut merged.suffix, &incoming.suffix),
        (&mut merged.nickname, &incoming.nickname),
        (&mut merged.company, &incoming.company),
        (&mut merged.job_title, &incoming.job_title),
    ] {
        if mine.trim().is_empty() {
            mine.clone_from(theirs);
        }
    }
    merged.birthday = merged.birthday.or(incoming.birthday);
    append_new(&mut merged.emails, &incoming.emails, |e| e.value.to_lowercase());
    append_new(&mut merged.phones, &incoming.phones, |p| phone_key(&p.value).unwrap_or_else(|| p.value.clone()));
    append_new(&mut merged.addresses, &incoming.addresses, address_key);
    append_new(&mut merged.websites, &incoming.websites, |w| w.to_lowercase());
    append_new(&mut merged.tags, &incoming.tags, |t| t.to_lowercase());
    let notes = incoming.notes.trim();
    if !notes.is_empty() && !merged.notes.contains(notes) {
        merged.notes = if merged.notes.trim().is_empty() {
            notes.to_string()
        } else {
            format!("{}\n\n{notes}", merged.notes.trim_end())
        };
    }
    for row in merged.emails.iter_mut().skip(existing.emails.len()) {
        row.primary = false;
    }
    for row in merged.phones.iter_mut().skip(existing.phones.len()) {
        row.primary = false;
    }
    for row in merged.addresses.iter_mut().skip(existing.addresses.len()) {
        row.primary = false;
    }
    merged
}

fn append_new<T: Clone>(mine: &mut Vec<T>, theirs: &[T], key: impl Fn(&T) -> String) {
    for item in theirs {
        if !mine.iter().any(|m| key(m) == key(item)) {
            mine.push(item.clone());
        }
    }
}

fn address_key(a: &Address) -> String {
    fold(&format!("{}|{}", a.street, a.postal_code)).split_whitespace().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contacts::LabeledValue;

    fn value(v: &str) -> LabeledValue {
        LabeledValue { value: v.into(), ..Default::default() }
    }

    #[test]
    fn phones_match_on_their_last_ten_digits() {
        assert_eq!(phone_key("+1 (555) 123-4567"), phone_key("555.123.4567"));
        assert_eq!(phone_key("123"), None);
    }

    #[test]
    fn merging_fills_blanks_and_appends_without_overwriting() {
        let existing = ContactDraft {
            given_name: "Ann".into(),
            company: "Acme".into(),
            emails: vec![LabeledValue { primary: true, ..value("ann@acme.example") }],
            notes: "Met at the fair.".into(),
            ..Default::default()
        };
        let incoming = ContactDraft {
            given_name: "Annie".into(),
            family_name: "Lee".into(),
            emails: vec![
                LabeledValue { primary: true, ..value("ANN@acme.example") },
                LabeledValue { primary: true, ..value("ann@home.example") },
            ],
            tags: vec!["vip".into()],
            notes: "Prefers email.".into(),
            ..Default::default()
        };
        let merged = merge_drafts(&existing, &incoming);
        assert_eq!((merged.given_name.as_str(), merged.family_name.as_str()), ("Ann", "Lee"));
        let emails: Vec<_> = merged.emails.iter().map(|e| (e.value.as_str(), e.primary)).collect();
        assert_eq!(emails, [("ann@acme.example", true), ("ann@home.example", false)]);
        assert_eq!(merged.notes, "Met at the fair.\n\nPrefers email.");
        assert_eq!(merge_drafts(&merged, &incoming), merged, "merging the same card again changes nothing");
    }
}
