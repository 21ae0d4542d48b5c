//! Preflight: everything worth fixing before 300 letters go to the printer, as a list the
//! user can click through. It checks the template (fields that don't exist), each
//! recipient's letter (blank fields printed without a fallback, characters the font cannot
//! draw, an address that spills out of the window) and flags letters that run long, and a
//! signature image with no line of the sender's name to stand above.

use serde::Serialize;

use super::layout::Item;
use super::letters::{LetterRun, letter_pages_for};
use crate::Result;
use crate::contacts::{Contact, ContactId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ProblemKind {
    UnknownField,
    BlankField,
    MissingGlyph,
    AddressOverflow,
    LongLetter,
    NoPlaceForSignature,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    pub kind: ProblemKind,
    /// Whose letter it is about (none for template problems).
    pub contact_id: Option<ContactId>,
    /// The template line, where there is one.
    pub line: Option<usize>,
    pub message: String,
}

/// Every problem the run would print, template first, then recipient by recipient.
pub fn preflight(run: &LetterRun, source: &str, recipients: &[Contact]) -> Result<Vec<Problem>> {
    let mut problems: Vec<Problem> = run
        .template
        .unknown_fields()
        .into_iter()
        .map(|field| Problem {
            kind: ProblemKind::UnknownField,
            contact_id: None,
            line: line_of(source, &field),
            message: format!("“{field}” is not a merge field; check the spelling (e.g. first_name, company, city)"),
        })
        .collect();
    if !problems.is_empty() {
        return Ok(problems); // every letter would fail the same way
    }
    let bare = bare_fields(source);
    let mut signature_checked = run.images.signature.is_none();
    for contact in recipients {
        let fields = run.fields(contact);
        let values = serde_json::to_value(&fields).expect("fields serialise");
        let name = &contact.display_name;
        let mut problem = |kind, line, message: String| {
            problems.push(Problem { kind, contact_id: Some(contact.id), line, message });
        };
        for (field, line) in &bare {
            if values.get(field).and_then(|v| v.as_str()).is_some_and(|v| v.trim().is_empty()) {
                problem(
                    ProblemKind::BlankField,
                    Some(*line),
                    format!("{name}: {field} is blank here; add | fallback(\"…\") or fill it in"),
                );
            }
        }
        let pages = letter_pages_for(run, &fields)?;
        let mut missing: Vec<char> = pages
            .iter()
            .flat_map(|p| &p.items)
            .filter_map(|item| if let Item::Text(t) = item { Some((t.face, &t.text)) } else { None })
            .flat_map(|(face, text)| text.chars().filter(move |c| !face.can_draw(*c)))
            .collect();
        missing.sort();
        missing.dedup();
        if !missing.is_empty() {
            let chars: String = missing.iter().collect();
            problem(
                ProblemKind::MissingGlyph,
                None,
                format!("{name}: the font has no {chars}; those would print as boxes"),
            );
        }
        if pages.iter().flat_map(|p| &p.targets).any(|t| !t.frame.contains(&t.content)) {
            problem(
                ProblemKind::AddressOverflow,
                None,
                format!("{name}: the address does not fit the envelope window"),
            );
        }
        if pages.len() > 1 {
            problem(ProblemKind::LongLetter, None, format!("{name}: the letter runs to {} pages", pages.len()));
        }
        if !signature_checked {
            signature_checked = true;
            if !pages
                .iter()
                .flat_map(|p| &p.items)
                .any(|item| matches!(item, Item::Image { image, .. } if run.images.signature.as_ref() == Some(image)))
            {
                problems.push(Problem {
                    kind: ProblemKind::NoPlaceForSignature,
                    contact_id: None,
                    line: None,
                    message: format!(
                        "your signature prints above a line that is your name ({}) alone, and this letter has none; \
                         end it with {{{{ sender.name }}}} on its own line",
                        run.sender.name
                    ),
                });
            }
        }
    }
    Ok(problems)
}

/// Fields printed as `{{ field }}` with no filter and no `{% if field %}` around them, with
/// their line (once per line): these print blank when the contact has no value.
fn bare_fields(source: &str) -> Vec<(String, usize)> {
    let guarded =
        |field: &str| source.contains(&format!("{{% if {field} ")) || source.contains(&format!("{{% if {field}%}}"));
    let mut found: Vec<(String, usize)> = Vec::new();
    for (i, line) in source.lines().enumerate() {
        let mut rest = line;
        while let Some(start) = rest.find("{{") {
            let Some(end) = rest[start..].find("}}") else { break };
            let inner = rest[start + 2..start + end].trim();
            let plain = !inner.is_empty() && inner.chars().all(|c| c.is_alphanumeric() || c == '_');
            if plain && !guarded(inner) && !found.iter().any(|(f, l)| f == inner && *l == i + 1) {
                found.push((inner.to_string(), i + 1));
            }
            rest = &rest[start + end + 2..];
        }
    }
    found
}

/// The first line that mentions `field`.
fn line_of(source: &str, field: &str) -> Option<usize> {
    source.lines().position(|l| l.contains(field)).map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_fields_are_those_without_a_filter() {
        let source = "Dear {{ first_name }},\n{{ company | fallback(\"your firm\") }} in {{city}} {{ sender.name }} {{ city }}\n\
                      {% if phone %}Call {{ phone }}{% endif %}";
        assert_eq!(bare_fields(source), [("first_name".to_string(), 1), ("city".to_string(), 2)]);
    }
}
