//! Bytes to a table, the lowest layer: the encoding settled, the delimiter found, and the header
//! row found below any preamble (LinkedIn's notes, Excel's `sep=` line, a title). Cells stay as
//! the file wrote them, line breaks aside; what they mean is decided a layer up.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};
use serde::Serialize;

use super::CsvError;
use super::mapping::is_known_header;

/// The delimiters people meet: Excel writes `;` where the comma is the decimal mark.
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// How many rows the delimiter and header guesses look at.
const SAMPLE_ROWS: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CsvTable {
    pub headers: Vec<String>,
    /// The rows below the header, ragged ones as they are.
    pub rows: Vec<CsvRow>,
    pub delimiter: char,
    /// "UTF-8", "UTF-16LE", "UTF-16BE" or "windows-1252".
    pub encoding: &'static str,
    /// Rows above the header, blank ones included.
    pub skipped_preamble: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CsvRow {
    /// The row's number as a spreadsheet shows it: the header and blank rows count, and a cell
    /// spanning several lines does not push the rows below it down.
    pub number: usize,
    pub cells: Vec<String>,
}

/// The table in a CSV file, whatever wrote it.
///
/// # Errors
/// When the file holds no row at all, or is a spreadsheet workbook (which would otherwise
/// decode as a screenful of Windows-1252 noise).
pub fn read_table(bytes: &[u8]) -> Result<CsvTable, CsvError> {
    let text = decode_csv(bytes)?;
    let (mut table, rest) = text.table()?;
    table.rows.extend(rest);
    Ok(table)
}

/// A CSV file's text, decoded, with one kind of line break.
pub struct CsvText {
    text: String,
    encoding: &'static str,
}

/// Decodes a CSV file (see `decode`).
///
/// # Errors
/// When the file is a spreadsheet workbook.
pub fn decode_csv(bytes: &[u8]) -> Result<CsvText, CsvError> {
    if is_workbook(bytes) {
        return Err(CsvError::Workbook);
    }
    let (text, encoding) = decode(bytes);
    // One kind of line break: multi-line cells read back with `\n`, and the line numbers the
    // CSV reader counts (by `\n`) stay right in old Mac files that end lines with CR alone.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    Ok(CsvText { text, encoding })
}

impl CsvText {
    /// The table with only the rows read to find its header, and the rest of its rows, read
    /// as they are asked for: a big file's rows need not all be held at once.
    ///
    /// # Errors
    /// When the file holds no row at all.
    pub fn table(&self) -> Result<(CsvTable, impl Iterator<Item = CsvRow> + Send + '_), CsvError> {
        let (hint, body, lines_above) = match separator_hint(&self.text) {
            Some((delimiter, body)) => (Some(delimiter), body, 1),
            None => (None, self.text.as_str(), 0),
        };
        let delimiter = hint.unwrap_or_else(|| guess_delimiter(body));
        let mut rows = records(body, delimiter, lines_above);
        let mut sample: Vec<CsvRow> = rows.by_ref().take(SAMPLE_ROWS).collect();
        let data = sample.split_off((header_index(&sample) + 1).min(sample.len()));
        let header = sample.pop().ok_or(CsvError::Empty)?;
        let table = CsvTable {
            headers: header.cells.iter().map(|cell| cell.trim().to_string()).collect(),
            rows: data,
            delimiter: char::from(delimiter),
            encoding: self.encoding,
            skipped_preamble: header.number.saturating_sub(1),
        };
        Ok((table, rows))
    }
}

/// Zip containers (.xlsx, .ods) and the OLE2 container of old .xls files, by their first bytes.
fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
}

/// The text, and the name of the encoding it was in. A byte-order mark settles it (Outlook
/// writes UTF-16 with one); else UTF-16 shows by the zero byte beside the first character; else
/// UTF-8 if the bytes are valid UTF-8, and Windows-1252 if not, since that is what Excel saves
/// as plain "CSV" across western Europe and the Americas.
fn decode(bytes: &[u8]) -> (String, &'static str) {
    let (encoding, bom_len): (&'static Encoding, usize) = match bytes {
        [0xEF, 0xBB, 0xBF, ..] => (UTF_8, 3),
        [0xFF, 0xFE, ..] => (UTF_16LE, 2),
        [0xFE, 0xFF, ..] => (UTF_16BE, 2),
        [b, 0, ..] if *b != 0 => (UTF_16LE, 0),
        [0, b, ..] if *b != 0 => (UTF_16BE, 0),
        _ if std::str::from_utf8(bytes).is_ok() => (UTF_8, 0),
        _ => (WINDOWS_1252, 0),
    };
    let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
    (text.into_owned(), encoding.name())
}

/// Excel's `sep=;` first line, which names the delimiter and is no row of the table.
fn separator_hint(text: &str) -> Option<(u8, &str)> {
    let (line, body) = text.split_once('\n').unwrap_or((text, ""));
    match line.strip_prefix("sep=")?.as_bytes() {
        [delimiter] if DELIMITERS.contains(delimiter) => Some((*delimiter, body)),
        _ => None,
    }
}

/// The delimiter that splits the first rows most evenly: the largest share of rows with one
/// width above a single cell, then the most such rows, then the wider split. A semicolon file
/// whose streets hold commas splits evenly only on semicolons; a comma file whose notes run
/// over lines full of semicolons splits unevenly on them, since those lines are not rows of
/// their own; LinkedIn's one-cell notes count for no delimiter. Ties go to the comma.
fn guess_delimiter(text: &str) -> u8 {
    DELIMITERS
        .into_iter()
        .rev()
        .max_by_key(|&delimiter| {
            let sample = reader(text, delimiter).into_byte_records().take(SAMPLE_ROWS).map_while(Result::ok);
            evenness(&sample.map(|record| record.len()).collect::<Vec<_>>())
        })
        .unwrap_or(b',')
}

/// For the most common width above one cell: (per mille of rows that have it, how many rows
/// that is, the width); (0, 0, 1) if every row is one cell.
fn evenness(widths: &[usize]) -> (usize, usize, usize) {
    let rows_of = |width: usize| widths.iter().filter(|&&w| w == width).count();
    let (rows, width) = widths.iter().filter(|&&w| w > 1).map(|&w| (rows_of(w), w)).max().unwrap_or((0, 1));
    (rows * 1000 / widths.len().max(1), rows, width)
}

fn reader(text: &str, delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes())
}

/// Every row, numbered as a spreadsheet numbers it. The reader skips blank lines, and gives
/// each row the position where it began looking for it, before any blank lines; the row's own
/// line is past those, and taking away the line breaks inside earlier cells gives its number.
fn records(text: &str, delimiter: u8, lines_above: usize) -> impl Iterator<Item = CsvRow> + Send + '_ {
    let mut breaks_inside = 0;
    let start_line = move |position: &csv::Position| {
        let from = usize::try_from(position.byte()).unwrap_or(usize::MAX);
        let blank_lines = text.as_bytes().get(from..).unwrap_or_default().iter().take_while(|&&b| b == b'\n').count();
        usize::try_from(position.line()).unwrap_or(usize::MAX).saturating_add(blank_lines)
    };
    // Reading from memory into byte records cannot fail: there is no I/O and no UTF-8 check.
    let records = reader(text, delimiter).into_byte_records().map_while(Result::ok);
    records.map(move |record| {
        let line = record.position().map_or(1, start_line);
        let cells: Vec<String> = record.iter().map(|cell| String::from_utf8_lossy(cell).into_owned()).collect();
        let number = lines_above.saturating_add(line).saturating_sub(breaks_inside);
        breaks_inside += cells.iter().map(|cell| cell.matches('\n').count()).sum::<usize>();
        CsvRow { number, cells }
    })
}

/// The header is the first row of the sample naming known columns, failing that the first row
/// with two cells filled in, and in a file of one column the first row. LinkedIn's notes above
/// its header, or a spreadsheet's title row, fill one cell and never qualify.
fn header_index(rows: &[CsvRow]) -> usize {
    let sample = &rows[..rows.len().min(SAMPLE_ROWS)];
    let filled = |row: &CsvRow| row.cells.iter().filter(|cell| !cell.trim().is_empty()).count();
    let names_columns = |row: &CsvRow| {
        let known = row.cells.iter().filter(|cell| is_known_header(cell)).count();
        known >= 2 || known * 2 >= filled(row)
    };
    sample
        .iter()
        .position(|row| filled(row) >= 2 && names_columns(row))
        .or_else(|| sample.iter().position(|row| filled(row) >= 2))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> CsvTable {
        read_table(text.as_bytes()).unwrap()
    }

    fn cells(table: &CsvTable) -> Vec<Vec<&str>> {
        table.rows.iter().map(|row| row.cells.iter().map(String::as_str).collect()).collect()
    }

    #[test]
    fn reads_every_encoding_and_says_which() {
        let text = "Name,Stadt\nJörg,Köln\n";
        let utf16le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let utf16be: Vec<u8> = [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect();
        let bare16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let bom8 = [b"\xEF\xBB\xBF", text.as_bytes()].concat();
        let cases: [(&[u8], &str); 6] = [
            (text.as_bytes(), "UTF-8"),
            (&bom8, "UTF-8"),
            (&utf16le, "UTF-16LE"),
            (&utf16be, "UTF-16BE"),
            (&bare16, "UTF-16LE"),
            (b"Name,Stadt\nJ\xF6rg,K\xF6ln\n", "windows-1252"),
        ];
        for (bytes, encoding) in cases {
            let table = read_table(bytes).unwrap();
            assert_eq!((table.encoding, table.headers[0].as_str()), (encoding, "Name"), "{encoding}");
            assert_eq!(cells(&table), [["Jörg", "Köln"]], "{encoding}");
        }
    }

    #[test]
    fn finds_the_delimiter_by_even_splits_respecting_quotes() {
        let semicolon = table("Name;Straße;Ort\nAnn;\"Weg 1, Hinterhaus\";Köln\nBob;Gasse 2, 1. OG;Bonn\n");
        assert_eq!((semicolon.delimiter, cells(&semicolon)[1][1]), (';', "Gasse 2, 1. OG"));
        assert_eq!(table("a\tb\tc\n1\t\"x\ty\"\t3\n").delimiter, '\t');
        assert_eq!(table("a|b\n1|2\n").delimiter, '|');
        assert_eq!(table("name,notes\nAnn,\"semi; colons; here\"\n").delimiter, ',');
        let notes = "Name,Notes\nAnn,\"a;b;c\nd;e;f\ng;h;i\"\n";
        assert_eq!(table(notes).delimiter, ',', "the lines inside a quoted cell are no rows");
        assert_eq!(table("email\nann@lee.example\n").delimiter, ',', "one column: the comma");
    }

    #[test]
    fn excel_sep_line_names_the_delimiter_and_is_skipped() {
        let table = table("sep=;\nName;Notes\nAnn;a,b,c\n");
        assert_eq!((table.delimiter, table.skipped_preamble), (';', 1));
        assert_eq!(table.rows[0].number, 3);
    }

    #[test]
    fn skips_linkedin_notes_and_title_rows_above_the_header() {
        let linkedin = table(
            "Notes:\n\"When exporting, you may notice, that some emails are missing.\"\n\n\
             First Name,Last Name,URL,Email Address,Company,Position,Connected On\nAnn,Lee,,,,,01 Jan 2024\n",
        );
        assert_eq!((linkedin.headers[0].as_str(), linkedin.skipped_preamble), ("First Name", 3));
        assert_eq!(linkedin.rows[0].number, 5);
        let titled = table("Kundenliste 2024;;\n;;\nKunde;Ansprechpartner;Umsatz\nAcme;Ann;12\n");
        assert_eq!((titled.headers[0].as_str(), titled.skipped_preamble), ("Kunde", 2));
    }

    #[test]
    fn numbers_rows_as_a_spreadsheet_does() {
        let table = table("Name,Notes\r\nAnn,\"two\r\nlines\"\r\n\r\nBob,x\rCy,y\n");
        assert_eq!(table.rows.iter().map(|r| r.number).collect::<Vec<_>>(), [2, 4, 5]);
        assert_eq!(cells(&table), [vec!["Ann", "two\nlines"], vec!["Bob", "x"], vec!["Cy", "y"]]);
    }

    #[test]
    fn keeps_quoted_quotes_trailing_empty_cells_and_ragged_rows() {
        let table = table("a,b,\n\"say \"\"hi\"\"\",2,\n1\n1,2,3,4\n");
        assert_eq!(table.headers, ["a", "b", ""]);
        assert_eq!(cells(&table), [vec!["say \"hi\"", "2", ""], vec!["1"], vec!["1", "2", "3", "4"]]);
    }
}
