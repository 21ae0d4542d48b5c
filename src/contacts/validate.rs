//! Tidying and checking a draft before it is stored. Tidying never refuses anything (blank
//! rows go, whitespace is trimmed, exactly one primary per group); checking names every field
//! that is wrong, by its path in the draft, so the form can point at each one.

use chrono::{Datelike, NaiveDate, Utc};

use super::model::{Address, Birthday, ContactDraft, LabeledValue};
use crate::{Error, FieldError, Result};

/// Trims, drops blank rows, de-duplicates tags and settles the primary flags.
pub fn tidy(mut draft: ContactDraft) -> ContactDraft {
    for field in [
        &mut draft.prefix,
        &mut draft.given_name,
        &mut draft.middle_name,
        &mut draft.family_name,
        &mut draft.suffix,
        &mut draft.nickname,
        &mut draft.company,
        &mut draft.job_title,
    ] {
        trim(field);
    }
    draft.notes.truncate(draft.notes.trim_end().len());
    for row in draft.emails.iter_mut().chain(draft.phones.iter_mut()) {
        trim(&mut row.label);
        trim(&mut row.value);
    }
    draft.emails.retain(|e| !e.value.is_empty());
    draft.phones.retain(|p| !p.value.is_empty());
    for a in &mut draft.addresses {
        for part in
            [&mut a.label, &mut a.street, &mut a.extra, &mut a.city, &mut a.region, &mut a.postal_code, &mut a.country]
        {
            trim(part);
        }
    }
    draft.addresses.retain(|a| {
        ![&a.street, &a.extra, &a.city, &a.region, &a.postal_code, &a.country].iter().all(|p| p.is_empty())
    });
    draft.websites = draft.websites.iter().map(|w| w.trim().to_string()).filter(|w| !w.is_empty()).collect();
    let mut seen = Vec::<String>::new();
    draft.tags.retain_mut(|t| {
        *t = t.trim().to_string();
        let key = t.to_lowercase();
        let fresh = !t.is_empty() && !seen.contains(&key);
        seen.push(key);
        fresh
    });
    settle_primary(&mut draft.emails, |e| &mut e.primary);
    settle_primary(&mut draft.phones, |p| &mut p.primary);
    settle_primary(&mut draft.addresses, |a: &mut Address| &mut a.primary);
    draft
}

/// Trims in place, allocating only when there is something to trim (an import tidies every
/// field of every row).
fn trim(text: &mut String) {
    if text.trim().len() != text.len() {
        *text = text.trim().to_string();
    }
}

/// Keeps the first row marked primary (or the first row if none is) as the only primary.
fn settle_primary<T>(rows: &mut [T], flag: impl Fn(&mut T) -> &mut bool) {
    let chosen = rows.iter_mut().position(|r| *flag(r)).unwrap_or(0);
    for (i, row) in rows.iter_mut().enumerate() {
        *flag(row) = i == chosen;
    }
}

/// Every problem with a tidied draft, or `Ok` if there is none.
pub fn check(draft: &ContactDraft) -> Result<()> {
    let errors = problems(draft);
    if errors.is_empty() { Ok(()) } else { Err(Error::Invalid(errors)) }
}

/// Every problem with a tidied draft's own fields (custom values are checked against their
/// definitions when the draft is stored).
pub fn problems(draft: &ContactDraft) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let named = [&draft.given_name, &draft.family_name, &draft.nickname, &draft.company].iter().any(|s| !s.is_empty());
    if !named {
        errors.push(FieldError::new("name", "A contact needs a name or a company."));
    }
    check_values(&draft.emails, "emails", email_problem, &mut errors);
    check_values(&draft.phones, "phones", phone_problem, &mut errors);
    for (i, url) in draft.websites.iter().enumerate() {
        if url.contains(char::is_whitespace) || !url.contains('.') {
            errors.push(FieldError::new(
                format!("websites.{i}"),
                format!("“{url}” doesn’t look like a web address (e.g. example.com)."),
            ));
        }
    }
    if let Some(problem) = draft.birthday.and_then(birthday_problem) {
        errors.push(FieldError::new("birthday", problem));
    }
    errors
}

fn check_values(rows: &[LabeledValue], group: &str, problem: fn(&str) -> Option<String>, errors: &mut Vec<FieldError>) {
    for (i, row) in rows.iter().enumerate() {
        if let Some(message) = problem(&row.value) {
            errors.push(FieldError::new(format!("{group}.{i}.value"), message));
        }
    }
}

pub fn email_problem(email: &str) -> Option<String> {
    let ok = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && !email.contains(char::is_whitespace)
                && domain.split('.').count() >= 2
                && domain.split('.').all(|label| !label.is_empty())
        }
        None => false,
    };
    (!ok).then(|| format!("“{email}” isn’t a valid email address (expected name@example.com)."))
}

pub fn phone_problem(phone: &str) -> Option<String> {
    // Extensions are written "x 12" or "ext. 12"; everything else must be dialling characters.
    let number = phone.split(['x', 'X']).next().unwrap_or(phone);
    let number = number.trim_end_matches(|c: char| "ext. ".contains(c));
    let digits = number.chars().filter(char::is_ascii_digit).count();
    let allowed = number.chars().all(|c| c.is_ascii_digit() || " +-()./".contains(c));
    (!allowed || digits < 3).then(|| format!("“{phone}” isn’t a phone number (digits, spaces and + ( ) - only)."))
}

fn birthday_problem(b: Birthday) -> Option<String> {
    let this_year = Utc::now().year();
    if let Some(year) = b.year.filter(|y| !(1850..=this_year).contains(y)) {
        return Some(format!("The birth year {year} must be between 1850 and {this_year}."));
    }
    // Without a year, 29 February is a real birthday: check it against a leap year.
    let valid = NaiveDate::from_ymd_opt(b.year.unwrap_or(2000), b.month, b.day).is_some();
    (!valid).then(|| "That day doesn’t exist in that month.".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email(value: &str) -> LabeledValue {
        LabeledValue { value: value.into(), ..Default::default() }
    }

    #[test]
    fn tidy_drops_blank_rows_and_keeps_one_primary() {
        let draft = tidy(ContactDraft {
            given_name: "  Ann ".into(),
            emails: vec![
                email(" "),
                email("a@x.io"),
                LabeledValue { primary: true, ..email("b@x.io") },
                LabeledValue { primary: true, ..email("c@x.io") },
            ],
            tags: vec!["VIP".into(), " vip".into(), "".into(), "Golf".into()],
            ..Default::default()
        });
        assert_eq!(draft.given_name, "Ann");
        let primaries: Vec<_> = draft.emails.iter().map(|e| (e.value.as_str(), e.primary)).collect();
        assert_eq!(primaries, [("a@x.io", false), ("b@x.io", true), ("c@x.io", false)]);
        assert_eq!(draft.tags, ["VIP", "Golf"]);
    }

    #[test]
    fn check_names_each_bad_field() {
        let draft = ContactDraft {
            emails: vec![email("ann@example.com"), email("ann@example")],
            phones: vec![email("call me")],
            birthday: Some(Birthday { year: None, month: 2, day: 30 }),
            ..Default::default()
        };
        let errors = problems(&draft);
        let fields: Vec<_> = errors.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["name", "emails.1.value", "phones.0.value", "birthday"]);
    }

    #[test]
    fn accepts_real_world_phones_and_leap_day_without_year() {
        for phone in ["+1 (555) 123-4567", "030 12345678", "+44 20 7946 0958 x 12", "555.123.4567 ext. 9"] {
            assert_eq!(phone_problem(phone), None, "{phone}");
        }
        assert_eq!(birthday_problem(Birthday { year: None, month: 2, day: 29 }), None);
        assert!(birthday_problem(Birthday { year: Some(2001), month: 2, day: 29 }).is_some());
    }
}
