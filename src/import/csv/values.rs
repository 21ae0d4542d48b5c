//! Reading single cells: undoing the export's formula guard, splitting Google's multi-value
//! cells, and the labels, tags, names and birthdays as each exporter writes them.

use crate::contacts::model::Birthday;
use crate::export::csv::FORMULA_STARTS;

/// The cell as its writer meant it. A `'` before a formula character is the guard a careful
/// exporter (ours included) adds against spreadsheet formula injection; ours also adds one
/// before a value that itself starts with `'` and a formula character, so exactly one `'`
/// comes off here. Outlook writes `0/0/00` for a date it doesn't have.
pub(super) fn clean(cell: &str) -> &str {
    let cell = match cell.strip_prefix('\'') {
        Some(rest) if rest.trim_start_matches('\'').starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    };
    if cell.trim() == "0/0/00" { "" } else { cell }
}

/// Google's " ::: " between several values in one cell.
pub(super) fn split_multi(text: &str) -> impl Iterator<Item = &str> {
    text.split(":::").map(str::trim).filter(|value| !value.is_empty())
}

/// A label cell in Rolodeck's words: the stock labels lower-cased (any kind of fax is "fax"),
/// the user's own as written. Google marks the primary value with a leading `*`.
pub(super) fn parse_label(text: &str) -> (String, bool) {
    let text = text.trim();
    let (text, primary) = match text.strip_prefix('*') {
        Some(rest) => (rest.trim(), true),
        None => (text, false),
    };
    let lower = text.to_lowercase();
    let label = match lower.as_str() {
        "work" | "home" | "mobile" | "other" => lower,
        "fax" | "work fax" | "home fax" | "other fax" => "fax".to_string(),
        _ => text.to_string(),
    };
    (label, primary)
}

/// Tags split on Google's ":::", else Outlook's ";", else ",". Google's system groups lose
/// their `* ` ("* starred" is a tag like any other), and "myContacts", which every contact
/// Google exports is in, says nothing.
pub(super) fn split_tags(text: &str) -> impl Iterator<Item = String> {
    let separator = [":::", ";", ","].into_iter().find(|s| text.contains(s)).unwrap_or(":::");
    text.split(separator)
        .map(|tag| tag.trim())
        .map(|tag| tag.strip_prefix("* ").unwrap_or(tag).trim())
        .filter(|tag| !tag.is_empty() && !tag.eq_ignore_ascii_case("myContacts"))
        .map(str::to_string)
}

/// "Lee, Ann" or "Ann Marie Lee" as (given, family), split as the vCard importer splits FN.
pub(super) fn split_full_name(full: &str) -> (&str, &str) {
    match full.split_once(',') {
        Some((family, given)) => (given.trim(), family.trim()),
        None => full.rsplit_once(' ').map_or((full, ""), |(given, family)| (given.trim(), family.trim())),
    }
}

/// Birthdays as exporters write them: Google's `1980-05-17` and `--05-17`, Outlook's
/// `5/17/1980` (US order, unless the first number can only be a day), and the German
/// `17.05.1980` or, without the year, `17.05.`. A time after the date is ignored. Whether the
/// day exists is `check`'s business; this only reads.
pub(super) fn parse_birthday(text: &str) -> Option<Birthday> {
    let date = text.trim().split(['T', ' ']).next()?;
    if let Some(month_day) = date.strip_prefix("--") {
        let (month, day) = month_day.split_once('-')?;
        return birthday(None, month, day);
    }
    let separator = date.chars().find(|c| "-/.".contains(*c))?;
    let parts: Vec<&str> = date.split(separator).collect();
    match (separator, parts.as_slice()) {
        ('-', &[year, month, day]) if year.len() == 4 => birthday(Some(year), month, day),
        ('/', &[first, second, year]) if year.len() == 4 => match number(first)? {
            13.. => birthday(Some(year), second, first),
            _ => birthday(Some(year), first, second),
        },
        ('.', &[day, month, year]) if year.len() == 4 => birthday(Some(year), month, day),
        ('.', &[day, month, ""]) => birthday(None, month, day),
        _ => None,
    }
}

fn birthday(year: Option<&str>, month: &str, day: &str) -> Option<Birthday> {
    let year = match year {
        Some(year) => Some(i32::try_from(number(year)?).ok()?),
        None => None,
    };
    let short = |text: &str| if text.len() <= 2 { number(text) } else { None };
    Some(Birthday { year, month: short(month)?, day: short(day)? })
}

/// One to four ASCII digits.
fn number(text: &str) -> Option<u32> {
    let digits = !text.is_empty() && text.len() <= 4 && text.bytes().all(|b| b.is_ascii_digit());
    if digits { text.parse().ok() } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_exporters_birthday() {
        let forms = [
            ("1980-05-17", Some(1980), 5, 17),
            ("--05-17", None, 5, 17),
            ("5/17/1980", Some(1980), 5, 17),
            ("17/5/1980", Some(1980), 5, 17),
            ("3/4/1971", Some(1971), 3, 4),
            ("17.05.1980", Some(1980), 5, 17),
            ("7.5.", None, 5, 7),
            ("1980-05-17T00:00:00Z", Some(1980), 5, 17),
            ("5/17/1980 12:00:00 AM", Some(1980), 5, 17),
        ];
        for (text, year, month, day) in forms {
            assert_eq!(parse_birthday(text), Some(Birthday { year, month, day }), "{text}");
        }
        for text in ["", "circa 1980", "1980", "5/17/80", "1980/05/17", "17.05", "--0517", "١٩٨٠-05-17", "2020-123-1"]
        {
            assert_eq!(parse_birthday(text), None, "{text}");
        }
    }

    #[test]
    fn labels_speak_rolodeck_and_star_the_primary() {
        assert_eq!(parse_label("* Work"), ("work".to_string(), true));
        assert_eq!(parse_label("Home Fax"), ("fax".to_string(), false));
        assert_eq!(parse_label("MOBILE"), ("mobile".to_string(), false));
        assert_eq!(parse_label("Grand Central"), ("Grand Central".to_string(), false));
        assert_eq!(parse_label("*"), (String::new(), true));
    }

    #[test]
    fn tags_split_by_the_writers_separator() {
        let tags = |text| split_tags(text).collect::<Vec<_>>();
        assert_eq!(tags("Clients ::: * myContacts ::: * starred"), ["Clients", "starred"]);
        assert_eq!(tags("golf, tennis ::: VIP"), ["golf, tennis", "VIP"]);
        assert_eq!(tags("Kunden;VIP"), ["Kunden", "VIP"]);
        assert_eq!(tags("vip, golf"), ["vip", "golf"]);
        assert_eq!(tags("* myContacts"), Vec::<String>::new());
    }

    #[test]
    fn the_export_guard_and_outlooks_empty_date_are_undone() {
        assert_eq!(clean("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(clean("'- first point"), "- first point");
        assert_eq!(clean("'tis the season"), "'tis the season");
        assert_eq!(clean("''=A1"), "'=A1");
        assert_eq!(clean("0/0/00"), "");
        assert_eq!(split_multi(" a@x.io ::: b@x.io ::: ").collect::<Vec<_>>(), ["a@x.io", "b@x.io"]);
    }

    #[test]
    fn full_names_split_like_fn() {
        assert_eq!(split_full_name("Lee, Ann"), ("Ann", "Lee"));
        assert_eq!(split_full_name("Ann Marie Lee"), ("Ann Marie", "Lee"));
        assert_eq!(split_full_name("Madonna"), ("Madonna", ""));
    }
}
