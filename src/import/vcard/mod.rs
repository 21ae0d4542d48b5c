//! vCard 2.1, 3.0 and 4.0 as real clients write them, read into drafts that pass
//! `validate::check`. Three layers, low to high: `lines` turns bytes into unfolded content lines,
//! `property` takes each apart and decodes its value, and `card` maps a card's properties onto a
//! `ContactDraft`. This file finds the cards between BEGIN and END. Odd values become warnings
//! and lines in the notes; only a file whose cards cannot be told apart is an error.

mod card;
mod lines;
mod property;

use crate::contacts::ContactDraft;
use card::Item;
use property::parse_property;

/// One card of a file: the draft to store, and what the user should hear about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedCard {
    pub draft: ContactDraft,
    /// "line 12: BDAY “circa 1980” isn’t a date Rolodeck can read; kept in the notes" …
    pub warnings: Vec<String>,
    /// The card's UID. Rolodeck does not store it (its notes would only carry noise), but an
    /// import can use it to spot a card it has seen before.
    pub uid: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {kind}")]
pub struct VcardError {
    pub line: usize,
    pub kind: VcardErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VcardErrorKind {
    #[error("BEGIN:VCARD without END:VCARD")]
    MissingEnd,
    #[error("END:VCARD without BEGIN:VCARD")]
    MissingBegin,
    #[error("expected BEGIN:VCARD but found “{0}”; is this a vCard (.vcf) file?")]
    OutsideCard(String),
}

/// Every card in a file, in order. Cards with nothing in them are left out.
///
/// # Errors
/// When the cards cannot be told apart: a BEGIN:VCARD without its END:VCARD (or the other way
/// round), or text outside any card, as a file that is no vCard at all has.
pub fn parse_vcards(bytes: &[u8]) -> Result<Vec<ParsedCard>, VcardError> {
    let source = lines::content_lines(bytes);
    let mut cards = Vec::new();
    let mut open: Option<(usize, Vec<Item>)> = None;
    for line in source.lines.iter().filter(|line| !line.is_blank()) {
        let item = parse_property(line, source.transcoded);
        match (card_marker(&item), open.take()) {
            (Some(Marker::Begin), None) => open = Some((line.number, Vec::new())),
            (Some(Marker::Begin), Some((begin, _))) => return Err(VcardError::new(begin, VcardErrorKind::MissingEnd)),
            (Some(Marker::End), Some((_, items))) => cards.extend(card::build_card(items)),
            (Some(Marker::End), None) => return Err(VcardError::new(line.number, VcardErrorKind::MissingBegin)),
            (None, Some((begin, mut items))) => {
                items.push(item);
                open = Some((begin, items));
            }
            (None, None) => {
                return Err(VcardError::new(
                    line.number,
                    VcardErrorKind::OutsideCard(preview(&String::from_utf8_lossy(&line.bytes))),
                ));
            }
        }
    }
    match open {
        Some((begin, _)) => Err(VcardError::new(begin, VcardErrorKind::MissingEnd)),
        None => Ok(cards),
    }
}

impl VcardError {
    fn new(line: usize, kind: VcardErrorKind) -> Self {
        Self { line, kind }
    }
}

enum Marker {
    Begin,
    End,
}

/// BEGIN:VCARD or END:VCARD, in any case; a BEGIN of anything else is an ordinary property.
fn card_marker(item: &Item) -> Option<Marker> {
    let property = item.as_ref().ok().filter(|p| p.group.is_none() && p.value.trim().eq_ignore_ascii_case("VCARD"))?;
    match property.name.as_str() {
        "BEGIN" => Some(Marker::Begin),
        "END" => Some(Marker::End),
        _ => None,
    }
}

/// The start of a line as a message quotes it.
fn preview(text: &str) -> String {
    let text = text.trim();
    let mut preview: String = text.chars().take(40).collect();
    if text.chars().nth(40).is_some() {
        preview.push('…');
    }
    preview
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contacts::validate::check;

    fn names(bytes: &[u8]) -> Vec<String> {
        parse_vcards(bytes).unwrap().into_iter().map(|card| card.draft.given_name).collect()
    }

    #[test]
    fn reads_every_card_of_a_file_whatever_the_case_of_begin_and_end() {
        let text = b"BEGIN:VCARD\r\nN:;Ann\r\nEND:VCARD\r\n\r\nbegin:vCard\nN:;Bob\nend:vcard\n";
        assert_eq!(names(text), ["Ann", "Bob"]);
    }

    #[test]
    fn errors_name_the_line_and_the_problem() {
        let cases: [(&[u8], &str); 4] = [
            (b"BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:B\r\n", "line 4: BEGIN:VCARD without END:VCARD"),
            (b"BEGIN:VCARD\nFN:A\nBEGIN:VCARD\nFN:B\nEND:VCARD\n", "line 1: BEGIN:VCARD without END:VCARD"),
            (b"BEGIN:VCARD\nFN:A\nEND:VCARD\nEND:VCARD\n", "line 4: END:VCARD without BEGIN:VCARD"),
            (
                b"\nName,Email\nAnn,ann@example.com\n",
                "line 2: expected BEGIN:VCARD but found “Name,Email”; is this a vCard (.vcf) file?",
            ),
        ];
        for (text, message) in cases {
            assert_eq!(parse_vcards(text).unwrap_err().to_string(), message);
        }
    }

    #[test]
    fn an_empty_file_has_no_cards() {
        assert_eq!(parse_vcards(b""), Ok(vec![]));
        assert_eq!(parse_vcards(b"\r\n \r\n\x1a"), Ok(vec![]));
    }

    #[test]
    fn a_vcard_21_file_mixes_charsets_line_by_line() {
        let text = b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=ISO-8859-1:M\xFCller;J\xFCrgen\r\n\
            ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Caf=C3=A9 =\r\nS.A.\r\nNOTE:na\xEFve\r\nEND:VCARD\r\n";
        let draft = &parse_vcards(text).unwrap()[0].draft;
        assert_eq!((draft.family_name.as_str(), draft.given_name.as_str()), ("Müller", "Jürgen"));
        assert_eq!((draft.company.as_str(), draft.notes.as_str()), ("Café S.A.", "naïve"));
    }

    #[test]
    fn a_utf16_file_is_read_whole() {
        let text = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Wróbel;Łukasz;;;\r\nEND:VCARD\r\n";
        let bytes: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(names(&bytes), ["Łukasz"]);
    }

    /// Found by the fuzzer (fuzz/): control characters in the name of a property Rolodeck keeps
    /// in the notes reached the notes, and a vCard export of the card read back without them.
    #[test]
    fn control_characters_in_a_property_name_stay_out_of_the_notes() {
        let crash: &[u8] = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Arnold Smith\r\nN:Smith;Arnold;;;\r\n\
            \xff\xff\xff\xff\xff\xff\xff\x10EMAIL;TYPE=INTERNET:\x00\x00\x00\x00\x00\x00\x00\x00\x00TYPE=INTE\
            \x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00;;;\r\n\x00EMAIL;TRD\r\nVERSION:6dwhite@gmail.com\r\nEND:VCARD";
        let drafts: Vec<ContactDraft> = parse_vcards(crash).unwrap().into_iter().map(|card| card.draft).collect();
        let notes = &drafts[0].notes;
        assert!(notes.contains("EMAIL") && notes.contains("TRD"), "the odd lines are kept: {notes:?}");
        assert!(!notes.chars().any(|c| c.is_control() && c != '\n'), "{notes:?}");
        let exported = crate::export::vcard::write_vcards(&drafts);
        let again: Vec<ContactDraft> =
            parse_vcards(exported.as_bytes()).unwrap().into_iter().map(|c| c.draft).collect();
        assert_eq!(again, drafts);
    }

    /// Found by the fuzzer (fuzz/), the TEL line of its crashing input: a tel URI whose
    /// extension ran on into more text became "… x 102;PREF=1:tel:…;ext=102", which the next
    /// import turned into "… x 102;PREF=1:tel:… x 102": the number changed on every round trip.
    #[test]
    fn a_tel_uri_extension_is_digits_or_the_value_is_kept_as_written() {
        let crash: &[u8] = b"BEGIN:VCARD\r\nFN:Simon Perreault\r\n\
            TEL;VALUE=uri;TYPE=\"work,voice\";PREF=1:tel:+1-418-656-9254;ext=102;PREF=1:tel:+1-418-656-9254;ext=102\r\n\
            END:VCARD\r\n";
        let drafts: Vec<ContactDraft> = parse_vcards(crash).unwrap().into_iter().map(|card| card.draft).collect();
        let exported = crate::export::vcard::write_vcards(&drafts);
        let again: Vec<ContactDraft> =
            parse_vcards(exported.as_bytes()).unwrap().into_iter().map(|c| c.draft).collect();
        assert_eq!(again, drafts);
        let kept = "TEL (work): +1-418-656-9254;ext=102;PREF=1:tel:+1-418-656-9254;ext=102";
        assert!(drafts[0].phones.is_empty() && drafts[0].notes.ends_with(kept), "{:?}", drafts[0]);
    }

    /// A small stand-in for the fuzzer: random bytes, and random damage to a real-looking file,
    /// must never panic, and every draft that comes out must pass `check`.
    #[test]
    fn never_panics_and_every_draft_passes_check() {
        let sample: &[u8] =
            b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=91;A=\r\n=20B\r\n\
            item1.EMAIL;TYPE=\"work\":a@b.c\r\nitem1.X-ABLabel:_$!<Home>!$_\r\nTEL;CELL;PREF:+1 555\r\nBDAY:--0229\r\n\
            ADR:;;1 Main;Town;;;\r\nPHOTO;ENCODING=BASE64:AAAA\r\nBBBB\r\n\r\nNOTE:x\\ny\r\n X-A:b\r\nEND:VCARD\r\n";
        let alphabet: &[u8] = b"BEGIN:VCARD\r\n;:=.,\\\" \t\xC3\x91\xFF\x00ENDNQ";
        for bytes in crate::import::damaged_inputs(sample, alphabet, 3000) {
            for card in parse_vcards(&bytes).unwrap_or_default() {
                assert!(check(&card.draft).is_ok(), "{:?} gave {:?}", String::from_utf8_lossy(&bytes), card.draft);
            }
        }
    }
}
