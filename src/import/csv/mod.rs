//! CSV files from Google Contacts, Outlook, LinkedIn and everyday spreadsheets, read into drafts
//! that pass `validate::check`. Three layers, low to high: `table` turns bytes into a header and
//! rows (encoding, delimiter, any preamble above the header), `mapping` suggests what each column
//! means (the user may change it before importing), and `cards` makes each row a draft. As with
//! vCard, a value Rolodeck cannot keep goes to the notes with a warning; only a file with nothing
//! in it, or a spreadsheet workbook that is no CSV at all, is an error.

mod cards;
mod mapping;
mod table;
mod values;

pub use cards::{CsvCards, row_cards, rows_to_cards, skipped_rows};
pub use mapping::{AddressPart, ColumnMapping, Target, suggest_mapping};
pub use table::{CsvRow, CsvTable, CsvText, decode_csv, read_table};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CsvError {
    #[error("the file is empty")]
    Empty,
    #[error(
        "this is a spreadsheet workbook (.xlsx, .xls or .ods), not a CSV file; \
         save it from the spreadsheet as “CSV UTF-8” and import that"
    )]
    Workbook,
}

/// A whole file with the suggested mapping: what an import that asks nothing of the user does.
///
/// # Errors
/// When the file is empty, or is a spreadsheet workbook rather than CSV.
pub fn read_csv(bytes: &[u8]) -> Result<CsvCards, CsvError> {
    let table = read_table(bytes)?;
    Ok(rows_to_cards(&table, &suggest_mapping(&table.headers)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contacts::validate::check;

    #[test]
    fn a_file_reads_with_the_suggested_mapping() {
        let read = read_csv(b"First Name;Last Name;E-Mail\r\nAnn;Lee;ann@lee.example\r\n").unwrap();
        let (draft, warnings) = &read.cards[0];
        assert_eq!((draft.given_name.as_str(), draft.emails[0].value.as_str()), ("Ann", "ann@lee.example"));
        assert!(warnings.is_empty() && read.warnings.is_empty());
    }

    #[test]
    fn workbooks_and_empty_files_are_refused_with_what_to_do() {
        assert_eq!(read_csv(b"PK\x03\x04\x14\x00\x06\x00").unwrap_err(), CsvError::Workbook);
        assert_eq!(read_csv(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1").unwrap_err(), CsvError::Workbook);
        assert_eq!(read_csv(b"").unwrap_err(), CsvError::Empty);
        assert_eq!(read_csv(b"\xEF\xBB\xBF\r\n\r\n").unwrap_err(), CsvError::Empty);
        assert!(CsvError::Workbook.to_string().contains("CSV UTF-8"));
    }

    /// A small stand-in for the fuzzer: random bytes, and random damage to a real-looking file,
    /// must never panic, and every draft that comes out must pass `check`.
    #[test]
    fn never_panics_and_every_draft_passes_check() {
        let sample: &[u8] = b"Notes:\n\"x, y\"\n\nName,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Value,Birthday,Labels,\
            Address 1 - Street,Business City,Title,Job Title\r\n\"Lee, Ann\",* Work,a@b.c ::: x,'+1 555,--02-29,* myContacts ::: A,\
            \"1 Main\nSt\",Town,Dr.,Boss\r\n,,,,0/0/00,,,,,\r\nBob;x|y\t\"q\"\"\",,,,31.02.1990\n";
        let alphabet: &[u8] = b",;\t|\"\r\n :'*=-+@0123456789/.\xC3\xA4\xFF\x00NameE-mail";
        for bytes in crate::import::damaged_inputs(sample, alphabet, 3000) {
            for (draft, _) in read_csv(&bytes).map(|read| read.cards).unwrap_or_default() {
                assert!(check(&draft).is_ok(), "{:?} gave {draft:?}", String::from_utf8_lossy(&bytes));
            }
        }
    }
}
