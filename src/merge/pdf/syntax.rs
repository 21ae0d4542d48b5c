//! PDF lexical pieces written straight into byte buffers: decimal numbers, strings and dates.
//! Numbers go through fixed-point integers rather than `format!`, because a letter page holds
//! hundreds of them and because deltas of rounded integers are exact (see `content`).

use chrono::{DateTime, Utc};

/// `value` rounded to `places` decimals, as a whole number of 10^-places.
pub fn scaled(value: f64, places: u32) -> i64 {
    (value * 10f64.powi(places as i32)).round() as i64
}

/// Writes `n` × 10^-places with trailing zeros dropped: (1500, 2) → `15`, (-1485, 2) → `-14.85`.
pub fn push_scaled(out: &mut Vec<u8>, n: i64, places: u32) {
    if n < 0 {
        out.push(b'-');
    }
    let pow = 10u64.pow(places);
    let (whole, mut fraction) = (n.unsigned_abs() / pow, n.unsigned_abs() % pow);
    push_digits(out, whole, 1);
    if fraction != 0 {
        let mut digits = places as usize;
        while fraction % 10 == 0 {
            fraction /= 10;
            digits -= 1;
        }
        out.push(b'.');
        push_digits(out, fraction, digits);
    }
}

/// Writes `value` rounded to `places` decimals.
pub fn push_decimal(out: &mut Vec<u8>, value: f64, places: u32) {
    push_scaled(out, scaled(value, places), places);
}

/// Writes a whole number.
pub fn push_uint(out: &mut Vec<u8>, n: u64) {
    push_digits(out, n, 1);
}

/// Writes `n` in decimal, zero-padded to at least `width` digits.
fn push_digits(out: &mut Vec<u8>, mut n: u64, width: usize) {
    let mut buf = [b'0'; 20];
    let mut start = buf.len();
    while n > 0 || buf.len() - start < width {
        start -= 1;
        buf[start] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    out.extend_from_slice(&buf[start..]);
}

/// Writes `bytes` as the inside of a literal string: only the delimiters, the escape
/// character and CR need escaping (a bare CR in a string would be read back as LF).
pub fn push_escaped(out: &mut Vec<u8>, bytes: &[u8]) {
    for &b in bytes {
        match b {
            b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', b]),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(b),
        }
    }
}

/// A text string for the document information: a literal in plain ASCII, else UTF-16BE with
/// a byte-order mark (what PDF 1.4 readers understand for names like Łukasz).
pub fn text_string(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() * 4 + 6);
    if text.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        out.push(b'(');
        push_escaped(&mut out, text.as_bytes());
        out.push(b')');
    } else {
        out.extend_from_slice(b"<FEFF");
        for unit in text.encode_utf16() {
            out.extend_from_slice(format!("{unit:04X}").as_bytes());
        }
        out.push(b'>');
    }
    out
}

/// A PDF date string, `(D:YYYYMMDDHHmmSSZ)`.
pub fn date_string(when: DateTime<Utc>) -> Vec<u8> {
    when.format("(D:%Y%m%d%H%M%SZ)").to_string().into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scaled_text(n: i64, places: u32) -> String {
        let mut out = Vec::new();
        push_scaled(&mut out, n, places);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn numbers_are_short_and_exact() {
        assert_eq!(scaled_text(1500, 2), "15");
        assert_eq!(scaled_text(-1485, 2), "-14.85");
        assert_eq!(scaled_text(-50, 2), "-0.5");
        assert_eq!(scaled_text(0, 2), "0");
        assert_eq!(scaled_text(595_276, 3), "595.276");
        assert_eq!(scaled_text(841_890, 3), "841.89");
        assert_eq!(scaled_text(1_005, 3), "1.005");
        assert_eq!(scaled(210.0 * 72.0 / 25.4, 3), 595_276);
    }

    #[test]
    fn strings_escape_what_a_reader_would_misread() {
        let mut out = Vec::new();
        push_escaped(&mut out, b"a(b)c\\d\re\n");
        assert_eq!(out, b"a\\(b\\)c\\\\d\\re\n");
        assert_eq!(text_string("Ann (Lee)"), b"(Ann \\(Lee\\))");
        assert_eq!(text_string("Łu"), b"<FEFF01410075>");
    }
}
