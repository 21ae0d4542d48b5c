//! Folding text for search and sorting: lower case, accents stripped, and the letters that
//! Unicode does not decompose (Ł, ß, Ø, Æ, Đ, Þ …) spelled the way people type them without
//! the key, so `lukasz` finds "Łukasz" and `strasse` finds "Straße" (and the other way round,
//! since queries are folded the same way).

use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    if text.is_ascii() {
        out.extend(text.chars().map(|c| c.to_ascii_lowercase()));
        return out;
    }
    for c in text.nfd().filter(|c| !is_combining_mark(*c)) {
        match c {
            'ß' | 'ẞ' => out.push_str("ss"),
            'Æ' | 'æ' => out.push_str("ae"),
            'Œ' | 'œ' => out.push_str("oe"),
            'Þ' | 'þ' => out.push_str("th"),
            'Ł' | 'ł' | 'Ŀ' | 'ŀ' => out.push('l'),
            'Ø' | 'ø' => out.push('o'),
            'Đ' | 'đ' | 'Ð' | 'ð' => out.push('d'),
            'Ħ' | 'ħ' => out.push('h'),
            'Ŧ' | 'ŧ' => out.push('t'),
            'ı' => out.push('i'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The searchable words of `text`, folded: runs of letters and digits.
pub fn words(text: &str) -> Vec<String> {
    runs(&fold(text)).map(str::to_string).collect()
}

/// The words of text already folded, borrowed from it (see `words`).
pub fn runs(folded: &str) -> impl Iterator<Item = &str> {
    folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_letters_unicode_does_not_decompose() {
        assert_eq!(fold("Łukasz"), "lukasz");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Øystein Ærø"), "oystein aero");
        assert_eq!(fold("Đorđe Þór"), "dorde thor");
    }

    #[test]
    fn strips_accents_and_case() {
        assert_eq!(fold("MÜLLER"), "muller");
        assert_eq!(fold("José Ñúñez"), "jose nunez");
        assert_eq!(fold("Ångström"), "angstrom");
    }

    #[test]
    fn keeps_other_scripts_lower_cased() {
        assert_eq!(fold("Ирина Σοφία"), "ирина σοφια");
    }

    #[test]
    fn splits_words_on_punctuation() {
        assert_eq!(
            words("Ann.Lee@Example.com, +1 (555) 123-4567"),
            ["ann", "lee", "example", "com", "1", "555", "123", "4567"]
        );
    }
}
