//! Bytes to content lines, the parser's lowest layer. It settles the file's encoding (UTF-8, or
//! UTF-16 told by its byte-order mark), splits lines whatever their endings, and joins what a
//! client spread over several lines: folds, quoted-printable soft breaks and vCard 2.1's
//! unindented base64 blocks. Values stay bytes here, because a 2.1 file is often in more than
//! one charset and each value is decoded on its own, by its own CHARSET, one layer up.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE};

use super::property::split_header;

/// One logical line, unfolded, numbered by the physical line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ContentLine {
    pub number: usize,
    pub bytes: Vec<u8>,
}

pub(super) struct Source {
    pub lines: Vec<ContentLine>,
    /// The file was UTF-16 and is now UTF-8 as a whole, so a value's CHARSET no longer
    /// describes its bytes (it still describes the bytes a quoted-printable value decodes to).
    pub transcoded: bool,
}

impl ContentLine {
    /// Blank lines carry nothing; a DOS end-of-file mark or stray control bytes count as blank.
    pub fn is_blank(&self) -> bool {
        self.bytes.iter().all(|b| b.is_ascii_whitespace() || b.is_ascii_control())
    }
}

pub(super) fn content_lines(bytes: &[u8]) -> Source {
    let (text, transcoded) = as_utf8(bytes);
    Source { lines: join_lines(physical_lines(&text)), transcoded }
}

/// The file's bytes with any byte-order mark gone, re-encoded as UTF-8 when the file is UTF-16.
fn as_utf8(bytes: &[u8]) -> (Cow<'_, [u8]>, bool) {
    match utf16_encoding(bytes) {
        Some((encoding, bom_len)) => {
            let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
            (Cow::Owned(text.into_owned().into_bytes()), true)
        }
        None => (Cow::Borrowed(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)), false),
    }
}

/// UTF-16 by its BOM, or without one by the zero byte beside the `B` of `BEGIN`.
fn utf16_encoding(bytes: &[u8]) -> Option<(&'static Encoding, usize)> {
    match bytes {
        [0xFF, 0xFE, ..] => Some((UTF_16LE, 2)),
        [0xFE, 0xFF, ..] => Some((UTF_16BE, 2)),
        [b, 0, ..] if *b != 0 => Some((UTF_16LE, 0)),
        [0, b, ..] if *b != 0 => Some((UTF_16BE, 0)),
        _ => None,
    }
}

/// Numbered lines without their ends: CRLF, LF, the CR CR LF some iPhone exports write, or a
/// lone CR from old Mac files. A BOM starting a line is dropped (files joined with `cat`).
fn physical_lines(text: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let end = if text.contains(&b'\n') { b'\n' } else { b'\r' };
    text.split(move |&b| b == end).enumerate().map(|(i, line)| {
        let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
        let kept = line.iter().rposition(|&b| b != b'\r').map_or(0, |last| last + 1);
        (i + 1, &line[..kept])
    })
}

fn join_lines<'a>(lines: impl Iterator<Item = (usize, &'a [u8])>) -> Vec<ContentLine> {
    let mut joined: Vec<ContentLine> = Vec::new();
    for (number, line) in lines {
        match joined.last_mut() {
            Some(current) if continues(current, line) => append(current, line),
            _ => joined.push(ContentLine { number, bytes: line.to_vec() }),
        }
    }
    joined
}

fn continues(current: &ContentLine, line: &[u8]) -> bool {
    let folded = is_folded(line) && !current.bytes.is_empty();
    folded || soft_break_before(current, line) || (is_base64_text(line) && is_base64_block(current))
}

/// Appends a continuation: a fold loses its one leading blank, a soft break its `=`.
fn append(current: &mut ContentLine, line: &[u8]) {
    if soft_break_before(current, line) {
        current.bytes.pop();
    }
    let line = if is_folded(line) { &line[1..] } else { line };
    current.bytes.extend_from_slice(line);
}

fn is_folded(line: &[u8]) -> bool {
    matches!(line.first(), Some(b' ' | b'\t'))
}

/// A quoted-printable value ending in `=` goes on over the next line. A line that closes the
/// card is never taken, so a stray `=` on the last value cannot swallow END:VCARD.
fn soft_break_before(current: &ContentLine, line: &[u8]) -> bool {
    current.bytes.last() == Some(&b'=')
        && header_mentions(current, b"QUOTED-PRINTABLE")
        && !line.trim_ascii().eq_ignore_ascii_case(b"END:VCARD")
}

/// vCard 2.1 lets base64 data run over unindented lines until a blank one.
fn is_base64_block(current: &ContentLine) -> bool {
    header_mentions(current, b"BASE64") || header_mentions(current, b"ENCODING=B")
}

/// Only base64 letters: a property line always has a `:`, so it is never taken for data.
fn is_base64_text(line: &[u8]) -> bool {
    !line.is_empty() && line.iter().all(|&b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
}

fn header_mentions(current: &ContentLine, word: &[u8]) -> bool {
    let Some((header, _)) = split_header(&current.bytes) else { return false };
    header.to_ascii_uppercase().windows(word.len()).any(|w| w == word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(bytes: &[u8]) -> Vec<(usize, String)> {
        content_lines(bytes)
            .lines
            .into_iter()
            .map(|l| (l.number, String::from_utf8_lossy(&l.bytes).into_owned()))
            .collect()
    }

    #[test]
    fn unfolds_crlf_lf_and_tab_continuations() {
        let text = b"NOTE:one\r\n  two\r\nTEL:1\n\t23\nEND:VCARD";
        assert_eq!(lines(text), [(1, "NOTE:one two".into()), (3, "TEL:123".into()), (5, "END:VCARD".into())]);
    }

    #[test]
    fn reads_the_cr_cr_lf_endings_of_iphone_exports_and_lone_cr() {
        assert_eq!(lines(b"FN:A\r\r\n B\r\r\nEND:VCARD\r\r\n")[0], (1, "FN:AB".into()));
        assert_eq!(lines(b"FN:A\r B\rEND:VCARD")[..2], [(1, "FN:AB".into()), (3, "END:VCARD".into())]);
    }

    #[test]
    fn joins_quoted_printable_soft_breaks_even_over_a_blank_line() {
        let text = b"ORG;ENCODING=QUOTED-PRINTABLE:=C3=91=\r\n=C3=91=\r\n\r\nTEL:1";
        assert_eq!(lines(text), [(1, "ORG;ENCODING=QUOTED-PRINTABLE:=C3=91=C3=91".into()), (4, "TEL:1".into())]);
    }

    #[test]
    fn a_soft_break_never_swallows_the_end_of_the_card() {
        let text = b"NOTE;QUOTED-PRINTABLE:oops=\r\nEND:VCARD";
        assert_eq!(lines(text)[1], (2, "END:VCARD".into()));
    }

    #[test]
    fn a_trailing_equals_sign_is_not_a_soft_break_outside_quoted_printable() {
        assert_eq!(lines(b"NOTE:a=\r\nb:c").len(), 2);
    }

    #[test]
    fn takes_unindented_base64_lines_until_a_blank_line() {
        let text = b"PHOTO;ENCODING=BASE64:AAAA\r\nBBB=\r\n\r\nNOTE:x";
        let got = lines(text);
        assert_eq!(got[0], (1, "PHOTO;ENCODING=BASE64:AAAABBB=".into()));
        assert_eq!(got.last(), Some(&(4, "NOTE:x".into())));
    }

    #[test]
    fn decodes_utf16_by_its_bom_or_its_zero_bytes_and_drops_a_utf8_bom() {
        let text = "FN:Zoë\r\n";
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect();
        for bytes in [le, be] {
            let source = content_lines(&bytes);
            assert!(source.transcoded);
            assert_eq!(source.lines[0].bytes, "FN:Zoë".as_bytes());
        }
        let bare: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(content_lines(&bare).lines[0].bytes, "FN:Zoë".as_bytes());
        assert_eq!(lines(b"\xEF\xBB\xBFFN:A")[0], (1, "FN:A".into()));
    }
}
