//! One content line taken apart: `group.NAME;PARAM=a,b;BARE:value`. The value is decoded here,
//! once, from its own bytes: quoted-printable first, then its CHARSET (or UTF-8, falling back to
//! Windows-1252), since a vCard 2.1 file is rarely in one encoding from top to bottom. The text
//! helpers at the end undo vCard's backslash escapes and split structured and list values.

use encoding_rs::{Encoding, WINDOWS_1252};

use super::lines::ContentLine;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Property {
    pub line: usize,
    /// The `item1` of `item1.EMAIL`, lower-cased.
    pub group: Option<String>,
    /// Upper-cased.
    pub name: String,
    /// (upper-cased name, value) pairs, one per value: `TYPE=work,voice` gives two.
    params: Vec<(String, String)>,
    /// The decoded value, line breaks as `\n`, escapes still in place; empty for base64 data.
    pub value: String,
    /// A warning about the decoding, ready to show.
    pub problem: Option<String>,
}

/// A line with no `:`, which is no property at all; kept so that nothing goes missing silently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Garbled {
    pub line: usize,
    pub text: String,
}

/// `transcoded` says the whole file was re-encoded from UTF-16, so CHARSET only applies to the
/// bytes inside quoted-printable values.
pub(super) fn parse_property(line: &ContentLine, transcoded: bool) -> Result<Property, Garbled> {
    let garbled = || Garbled { line: line.number, text: printable(String::from_utf8_lossy(&line.bytes).trim()) };
    let (header, raw_value) = split_header(&line.bytes).ok_or_else(garbled)?;
    // The header's junk goes too: an unknown property is kept in the notes under its name.
    let header = printable(&String::from_utf8_lossy(header));
    let mut parts = split_outside_quotes(&header, ';').into_iter();
    let full_name = parts.next().unwrap_or_default();
    let (group, name) = match full_name.rsplit_once('.') {
        Some((group, name)) => (Some(group.trim().to_lowercase()), name),
        None => (None, full_name),
    };
    let mut property = Property {
        line: line.number,
        group,
        name: name.trim().to_ascii_uppercase(),
        params: parts.flat_map(parse_param).collect(),
        value: String::new(),
        problem: None,
    };
    let (value, problem) = property.decode(raw_value, transcoded);
    property.value = value;
    property.problem = problem.map(|p| format!("line {}: {} {p}", line.number, property.name));
    Ok(property)
}

/// The header and the value either side of the first `:` outside a quoted parameter value
/// (or simply the first `:` when the quotes never close).
pub(super) fn split_header(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let colon = colon_outside_quotes(bytes).or_else(|| bytes.iter().position(|&b| b == b':'))?;
    Some((&bytes[..colon], &bytes[colon + 1..]))
}

fn colon_outside_quotes(bytes: &[u8]) -> Option<usize> {
    let (mut in_params, mut quoted) = (false, false);
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b';' if !quoted => in_params = true,
            b'"' if in_params => quoted = !quoted,
            b':' if !quoted => return Some(i),
            _ => {}
        }
    }
    None
}

fn split_outside_quotes(text: &str, separator: char) -> Vec<&str> {
    let mut quoted = false;
    text.split(|c: char| {
        quoted ^= c == '"';
        c == separator && !quoted
    })
    .collect()
}

/// `TYPE=work,voice` → two TYPE pairs. vCard 2.1's bare `CELL` is a TYPE, and its bare
/// `QUOTED-PRINTABLE` or `BASE64` an ENCODING.
fn parse_param(param: &str) -> Vec<(String, String)> {
    let (name, values) = match param.split_once('=') {
        Some((name, values)) => (name.trim().to_ascii_uppercase(), values),
        None if is_encoding(param.trim()) => ("ENCODING".to_string(), param),
        None => ("TYPE".to_string(), param),
    };
    values
        .split(',')
        .map(|v| decode_caret(v.trim().trim_matches('"')))
        .filter(|v| !v.is_empty())
        .map(|v| (name.clone(), v))
        .collect()
}

fn is_encoding(word: &str) -> bool {
    ["QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"].iter().any(|e| e.eq_ignore_ascii_case(word))
}

/// RFC 6868: `^n` is a newline, `^'` a double quote and `^^` a caret inside parameter values.
fn decode_caret(value: &str) -> String {
    value.replace("^n", "\n").replace("^'", "\"").replace("^^", "^")
}

impl Property {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The TYPE values, lower-cased.
    pub fn types(&self) -> Vec<String> {
        self.params.iter().filter(|(n, _)| n == "TYPE").map(|(_, v)| v.to_lowercase()).collect()
    }

    /// `PREF` in 2.1, `TYPE=pref` in 3.0, `PREF=1` in 4.0.
    pub fn is_preferred(&self) -> bool {
        self.types().iter().any(|t| t == "pref") || self.param("PREF") == Some("1")
    }

    pub fn is_base64(&self) -> bool {
        matches!(self.param("ENCODING").map(str::to_ascii_uppercase).as_deref(), Some("BASE64" | "B"))
    }

    fn is_quoted_printable(&self) -> bool {
        self.param("ENCODING").is_some_and(|e| e.eq_ignore_ascii_case("QUOTED-PRINTABLE"))
    }

    /// The value as plain text, escapes undone.
    pub fn text(&self) -> String {
        unescape(&self.value)
    }

    /// A structured value (N, ADR, ORG) split at its unescaped `;`s.
    pub fn components(&self) -> Vec<String> {
        split_unescaped(&self.value, ';').into_iter().map(unescape).collect()
    }

    /// A list value (CATEGORIES, NICKNAME) split at its unescaped `,`s.
    pub fn list(&self) -> Vec<String> {
        split_unescaped(&self.value, ',').into_iter().map(unescape).collect()
    }

    fn decode(&self, raw: &[u8], transcoded: bool) -> (String, Option<String>) {
        if self.is_base64() {
            return (String::new(), None);
        }
        let quoted_printable = self.is_quoted_printable();
        let bytes = if quoted_printable { decode_quoted_printable(raw) } else { raw.to_vec() };
        let charset = self.param("CHARSET").filter(|_| quoted_printable || !transcoded);
        let (text, problem) = decode_charset(&bytes, charset);
        (printable(&text.replace("\r\n", "\n").replace('\r', "\n")), problem)
    }
}

/// Control characters other than line breaks and tabs are junk (Outlook's form feeds, NULs).
fn printable(text: &str) -> String {
    text.chars().filter(|&c| !c.is_control() || c == '\n' || c == '\t').collect()
}

fn decode_charset(bytes: &[u8], charset: Option<&str>) -> (String, Option<String>) {
    let Some(label) = charset else { return (utf8_or_windows_1252(bytes), None) };
    match Encoding::for_label(label.trim().as_bytes()) {
        Some(encoding) => {
            let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
            let problem = had_errors.then(|| format!("isn’t valid {label}; the unreadable bytes became �"));
            (text.into_owned(), problem)
        }
        None => (utf8_or_windows_1252(bytes), Some(format!("names an unknown charset “{label}”; read as UTF-8"))),
    }
}

/// Undeclared bytes are UTF-8 when they can be, else what Windows clients wrote: Windows-1252.
fn utf8_or_windows_1252(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

/// `=XX` is a byte; an `=` that starts no such pair is kept as written, and one left at the
/// very end (a soft break with no line after it) is dropped.
fn decode_quoted_printable(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut rest = raw;
    while let Some((&b, tail)) = rest.split_first() {
        match (b, tail.get(..2).and_then(hex_byte)) {
            (b'=', Some(byte)) => {
                out.push(byte);
                rest = &tail[2..];
            }
            (b'=', None) if tail.is_empty() => rest = tail,
            _ => {
                out.push(b);
                rest = tail;
            }
        }
    }
    out
}

fn hex_byte(pair: &[u8]) -> Option<u8> {
    u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()
}

/// `\n` and `\N` are line breaks; `\,` `\;` `\:` `\\` and the `\"` Gmail writes stand for the
/// character. Any other backslash is kept, so a Windows path survives.
pub(super) fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(c @ (',' | ';' | ':' | '\\' | '"')) => out.push(c),
            Some(other) => out.extend(['\\', other]),
            None => out.push('\\'),
        }
    }
    out
}

/// Splits at each `separator` not escaped by a backslash; the parts keep their escapes.
pub(super) fn split_unescaped(text: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut escaped) = (0, false);
    for (i, c) in text.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == separator {
            parts.push(&text[start..i]);
            start = i + c.len_utf8();
        }
    }
    parts.push(&text[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &[u8]) -> Property {
        parse_property(&ContentLine { number: 7, bytes: line.to_vec() }, false).expect("a property")
    }

    #[test]
    fn reads_group_name_and_every_style_of_type() {
        let p = parse(b"item1.tel;type=WORK;TYPE=\"cell,voice\";PREF:+1 555");
        assert_eq!((p.group.as_deref(), p.name.as_str(), p.value.as_str()), (Some("item1"), "TEL", "+1 555"));
        assert_eq!(p.types(), ["work", "cell", "voice", "pref"]);
        assert!(p.is_preferred());
        assert!(parse(b"TEL;TYPE=cell;PREF=1:1").is_preferred());
        assert!(!parse(b"TEL;PREF=2:1").is_preferred());
    }

    #[test]
    fn a_quoted_parameter_may_hold_a_colon_and_carets_are_decoded() {
        let p = parse(b"ADR;LABEL=\"Main St: 1^nTown\";TYPE=home:;;Main St");
        assert_eq!(p.param("LABEL"), Some("Main St: 1\nTown"));
        assert_eq!(p.value, ";;Main St");
    }

    #[test]
    fn a_line_without_colon_is_garbled_not_lost() {
        let line = ContentLine { number: 3, bytes: b"just some text".to_vec() };
        assert_eq!(parse_property(&line, false), Err(Garbled { line: 3, text: "just some text".into() }));
    }

    #[test]
    fn decodes_quoted_printable_in_its_charset() {
        let p = parse(b"NOTE;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:M=FCller=0D=0Aline 2 a=b");
        assert_eq!(p.value, "Müller\nline 2 a=b");
        assert_eq!(parse(b"FBURL;ENCODING=QUOTED-PRINTABLE:a=0Cb=00").value, "ab");
        let p = parse(b"N;CHARSET=UTF-8;QUOTED-PRINTABLE:=C3=91=20x");
        assert_eq!(p.value, "Ñ x");
    }

    #[test]
    fn undeclared_bytes_are_utf8_else_windows_1252() {
        assert_eq!(parse("FN:Zoë".as_bytes()).value, "Zoë");
        assert_eq!(parse(b"FN:Zo\xEB \x80").value, "Zoë €");
        assert_eq!(parse(b"FN;CHARSET=windows-1250:\x8Aafr\xE1nek").value, "Šafránek");
    }

    #[test]
    fn a_bad_byte_in_a_declared_charset_is_replaced_with_a_warning() {
        let p = parse(b"ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:A=80");
        assert_eq!(p.value, "A\u{FFFD}");
        assert_eq!(p.problem.as_deref(), Some("line 7: ORG isn’t valid UTF-8; the unreadable bytes became �"));
        assert!(parse(b"FN;CHARSET=klingon:x").problem.unwrap().contains("unknown charset “klingon”"));
    }

    #[test]
    fn a_utf16_file_ignores_charset_except_inside_quoted_printable() {
        let line = |bytes: &[u8]| ContentLine { number: 1, bytes: bytes.to_vec() };
        let plain = parse_property(&line("FN;CHARSET=ISO-8859-1:Zoë".as_bytes()), true).unwrap();
        assert_eq!(plain.value, "Zoë");
        let qp = parse_property(&line(b"FN;CHARSET=ISO-8859-1;QUOTED-PRINTABLE:Zo=EB"), true).unwrap();
        assert_eq!(qp.value, "Zoë");
    }

    #[test]
    fn base64_data_is_not_decoded_as_text() {
        let p = parse(b"PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD");
        assert!(p.is_base64());
        assert_eq!(p.value, "");
    }

    #[test]
    fn undoes_escapes_and_keeps_stray_backslashes() {
        assert_eq!(unescape(r#"a\nb\Nc\,d\;e\\f\:g \"q\" C:\Users"#), "a\nb\nc,d;e\\f:g \"q\" C:\\Users");
    }

    #[test]
    fn splits_only_at_unescaped_separators() {
        let p = parse(br"N:Doe;John;Richter\, James;Mr.;Sr.");
        assert_eq!(p.components(), ["Doe", "John", "Richter, James", "Mr.", "Sr."]);
        let p = parse(br"CATEGORIES:a\, b,c\\,d");
        assert_eq!(p.list(), ["a, b", "c\\", "d"]);
    }
}
