//! What a search can find, and how a typed query becomes an FTS5 match.
//!
//! Each contact stores `search_text`: the folded words of its names, company, title, emails,
//! phone digits, streets and cities, tags, notes, and text and choice custom fields. A query is folded the same way and every word must
//! match as a prefix, so "mul ber" finds "Anna Müller, Berlin".

use super::custom::{CustomField, search_words};
use super::model::ContactDraft;
use crate::fold::{fold, runs, words};

/// The folded words a contact can be found by, space-separated; `fields` are the custom
/// fields its `custom` values belong to. Written straight into one string: an import computes
/// it for every row.
pub fn search_text(draft: &ContactDraft, fields: &[CustomField]) -> String {
    let mut text = String::with_capacity(256);
    let plain = [
        &draft.prefix,
        &draft.given_name,
        &draft.middle_name,
        &draft.family_name,
        &draft.suffix,
        &draft.nickname,
        &draft.company,
        &draft.job_title,
        &draft.notes,
    ];
    for field in plain.into_iter().chain(&draft.tags).chain(draft.emails.iter().map(|e| &e.value)) {
        push_words(&mut text, field);
    }
    for address in &draft.addresses {
        for part in [&address.street, &address.city, &address.region, &address.postal_code] {
            push_words(&mut text, part);
        }
    }
    for phone in &draft.phones {
        push_phone_tails(&mut text, &phone.value);
    }
    for word in search_words(fields, &draft.custom) {
        push_word(&mut text, &word);
    }
    text
}

fn push_word(text: &mut String, word: &str) {
    if !text.is_empty() {
        text.push(' ');
    }
    text.push_str(word);
}

fn push_words(text: &mut String, field: &str) {
    if field.is_empty() {
        return;
    }
    for word in runs(&fold(field)) {
        push_word(text, word);
    }
}

/// The digit strings a phone can be found by: every tail that starts at a digit group, so
/// "+1 (555) 123-4567" is found by 1555…, 555…, 123… and 4567 typed without separators.
fn push_phone_tails(text: &mut String, phone: &str) {
    let groups: Vec<&str> = phone.split(|c: char| !c.is_ascii_digit()).filter(|g| !g.is_empty()).collect();
    for start in 0..groups.len() {
        push_word(text, groups[start]);
        groups[start + 1..].iter().for_each(|g| text.push_str(g));
    }
}

/// The list order: family name, then given and middle name; companies without a person's
/// name sort by the company. The separator sorts before any letter.
pub fn sort_key(draft: &ContactDraft) -> String {
    let first = [&draft.family_name, &draft.given_name, &draft.nickname, &draft.company]
        .into_iter()
        .find(|s| !s.trim().is_empty())
        .map_or("", |s| s.as_str());
    fold(&[first, &draft.given_name, &draft.middle_name, &draft.company].join("\u{1}"))
}

/// The FTS5 expression for a typed query (every word as a quoted prefix), or `None` when the
/// query has no words and everyone matches.
pub fn match_expression(query: &str) -> Option<String> {
    let words = words(query);
    (!words.is_empty()).then(|| words.iter().map(|w| format!("\"{w}\"*")).collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contacts::model::LabeledValue;

    #[test]
    fn phone_is_findable_by_any_tail_of_digit_groups() {
        let mut tails = String::new();
        push_phone_tails(&mut tails, "+1 (555) 123-4567");
        assert_eq!(tails, "15551234567 5551234567 1234567 4567");
    }

    #[test]
    fn query_words_become_quoted_prefixes() {
        assert_eq!(match_expression("  Łukasz  O'Brien "), Some("\"lukasz\"* \"o\"* \"brien\"*".into()));
        assert_eq!(match_expression(" -- "), None);
    }

    #[test]
    fn search_text_holds_folded_fields() {
        let draft = ContactDraft {
            given_name: "Jürgen".into(),
            family_name: "Straße".into(),
            emails: vec![LabeledValue { value: "J.Strasse@Example.de".into(), ..Default::default() }],
            tags: vec!["VIP".into()],
            ..Default::default()
        };
        assert_eq!(search_text(&draft, &[]), "jurgen strasse vip j strasse example de");
        assert!(sort_key(&draft).starts_with("strasse\u{1}jurgen"));
    }
}
