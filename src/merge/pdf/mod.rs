//! The PDF backend: a streaming writer for laid-out pages. Each page's content stream and page
//! object go out as soon as the page is added, so besides its output a 10,000-letter merge
//! holds one letter at a time, a few bytes per page (object offsets) and the set of glyphs
//! used. An image goes out the first time a page shows it (see `image`). At the end the fonts
//! are written (DejaVu Sans, subset to those glyphs), then the page tree, catalog,
//! cross-reference table and trailer.
//!
//! Hand-written rather than printpdf because printpdf kept the whole document in memory,
//! compressed at zlib's slowest level and wrote glyphs as hex text: on the bench letter
//! (`rolodeck bench merge`) it ran at a sixth of this writer's speed, in files a third larger,
//! with memory growing by some 40 KB a letter.

mod content;
mod embed;
mod image;
mod objects;
mod subset;
mod syntax;

use std::io::{self, Write};

use chrono::{DateTime, Utc};
use flate2::Compression;

use super::layout::{Item, Page};
use embed::FontSet;
use image::ImageSet;
use objects::{Deflater, ObjectId, Objects};
use syntax::{date_string, push_decimal, push_uint, text_string};

/// Title, author and time written into the PDF's document information.
pub struct DocInfo<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub created: DateTime<Utc>,
}

/// Pages are laid out in millimetres; PDF speaks points.
const PT_PER_MM: f64 = 72.0 / 25.4;

/// Flate level for page content. Measured on the bench letter (miniz_oxide): level 1 gives
/// 1,683 bytes/letter, 2 gives 1,424 at the same speed, 6 gives 1,375 at two thirds of it.
const CONTENT_COMPRESSION: Compression = Compression::new(2);

/// Writes a PDF to `W` page by page. Give it a buffered writer when `W` is a file: each page
/// is a handful of writes.
pub struct PdfWriter<W: Write> {
    objects: Objects<W>,
    catalog: ObjectId,
    page_tree: ObjectId,
    info: ObjectId,
    pages: Vec<ObjectId>,
    fonts: FontSet,
    images: ImageSet,
    /// The page being encoded and the compressor, both reused from page to page.
    content: Vec<u8>,
    deflater: Deflater,
}

impl<W: Write> PdfWriter<W> {
    /// Starts the file: header and document information.
    pub fn new(out: W, info: &DocInfo) -> io::Result<PdfWriter<W>> {
        let mut objects = Objects::new(out)?;
        let (catalog, page_tree, info_id) = (objects.reserve(), objects.reserve(), objects.reserve());
        objects.object(info_id, &info_dict(info))?;
        Ok(PdfWriter {
            objects,
            catalog,
            page_tree,
            info: info_id,
            pages: Vec::new(),
            fonts: FontSet::default(),
            images: ImageSet::default(),
            content: Vec::with_capacity(16 * 1024),
            deflater: Deflater::new(CONTENT_COMPRESSION),
        })
    }

    /// Writes `page`'s content stream and page object, and any image it is the first to show.
    pub fn add_page(&mut self, page: &Page) -> io::Result<()> {
        for item in &page.items {
            if let Item::Image { image, .. } = item {
                self.images.add(&mut self.objects, image)?;
            }
        }
        self.content.clear();
        content::page_content(page, &mut self.fonts, &self.images, &mut self.content);
        let (page_id, content_id) = (self.objects.reserve(), self.objects.reserve());
        self.objects.stream(content_id, b"", self.deflater.deflate(&self.content))?;
        self.objects.object(page_id, &page_dict(page, self.page_tree, content_id))?;
        self.pages.push(page_id);
        Ok(())
    }

    /// How many pages have been added.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Writes the fonts, page tree, catalog, cross-reference table and trailer; returns the
    /// output.
    pub fn finish(mut self) -> io::Result<W> {
        let fonts = self.fonts.write(&mut self.objects)?;
        let tree = page_tree_dict(&self.pages, &fonts, self.images.resources().as_deref());
        self.objects.object(self.page_tree, &tree)?;
        let catalog = format!("<</Type/Catalog/Pages {} 0 R>>", self.page_tree);
        self.objects.object(self.catalog, catalog.as_bytes())?;
        self.objects.finish(self.catalog, self.info)
    }
}

/// Why a `PdfWriter<Vec<u8>>` can be trusted not to fail: writes to memory cannot, so only a
/// broken bundled font could.
const WRITING_TO_MEMORY: &str = "writing a PDF to memory fails only if the bundled font is broken";

/// The whole document in memory, for callers that have their pages at hand.
pub fn write_pdf(pages: &[Page], info: &DocInfo) -> Vec<u8> {
    let mut writer = PdfWriter::new(Vec::new(), info).expect(WRITING_TO_MEMORY);
    for page in pages {
        writer.add_page(page).expect(WRITING_TO_MEMORY);
    }
    writer.finish().expect(WRITING_TO_MEMORY)
}

fn info_dict(info: &DocInfo) -> Vec<u8> {
    let date = date_string(info.created);
    let producer = format!("(Rolodeck {})", env!("CARGO_PKG_VERSION"));
    let entries: [(&[u8], &[u8]); 6] = [
        (b"/Title", &text_string(info.title)),
        (b"/Author", &text_string(info.author)),
        (b"/Creator", b"(Rolodeck)"),
        (b"/Producer", producer.as_bytes()),
        (b"/CreationDate", &date),
        (b"/ModDate", &date),
    ];
    let mut dict = b"<<".to_vec();
    for (key, value) in entries {
        dict.extend_from_slice(key);
        dict.extend_from_slice(value);
    }
    dict.extend_from_slice(b">>");
    dict
}

/// A page's object. Its fonts and images come from the page tree (resources are inherited), so pages
/// need not wait for the fonts, which are only written at the end.
fn page_dict(page: &Page, parent: ObjectId, content: ObjectId) -> Vec<u8> {
    let mut dict = b"<</Type/Page/Parent ".to_vec();
    push_uint(&mut dict, parent);
    // Three decimals: A4 is 595.276 × 841.89 pt, as printers and pdfinfo expect.
    dict.extend_from_slice(b" 0 R/MediaBox[0 0 ");
    push_decimal(&mut dict, page.width as f64 * PT_PER_MM, 3);
    dict.push(b' ');
    push_decimal(&mut dict, page.height as f64 * PT_PER_MM, 3);
    dict.extend_from_slice(b"]/Contents ");
    push_uint(&mut dict, content);
    dict.extend_from_slice(b" 0 R>>");
    dict
}

fn page_tree_dict(pages: &[ObjectId], fonts: &[u8], images: Option<&[u8]>) -> Vec<u8> {
    let mut dict = b"<</Type/Pages/Count ".to_vec();
    push_uint(&mut dict, pages.len() as u64);
    dict.extend_from_slice(b"/Resources<</Font");
    dict.extend_from_slice(fonts);
    if let Some(images) = images {
        dict.extend_from_slice(b"/XObject");
        dict.extend_from_slice(images);
    }
    dict.extend_from_slice(b">>/Kids[");
    for (i, &page) in pages.iter().enumerate() {
        if i > 0 {
            dict.push(b' ');
        }
        push_uint(&mut dict, page);
        dict.extend_from_slice(b" 0 R");
    }
    dict.extend_from_slice(b"]>>");
    dict
}

#[cfg(test)]
mod tests {
    use std::io::BufWriter;
    use std::path::Path;
    use std::process::Command;

    use super::*;
    use crate::merge::fonts::Face;

    /// Names in three scripts, then every printable ASCII character, so that over 92 glyphs
    /// are used and the CIDs include the bytes a literal string must escape: ( ) \ and CR.
    fn samples() -> [String; 5] {
        let names = ["Łukasz Wróbel, Straße 5", "Σοφία Παπαδοπούλου", "Ирина Смирнова"].map(String::from);
        let [a, b, c] = names;
        [a, b, c, ('!'..='O').collect(), ('P'..='~').collect()]
    }

    /// One line per sample, faces in turn, 20 mm from the left, and a rule.
    fn sample_page(width: f32, height: f32) -> Page {
        let mut page = Page::new(width, height);
        for (i, text) in samples().iter().enumerate() {
            page.text(20.0, 30.0 + 10.0 * i as f32, 10.0, Face::ALL[i % 4], text);
        }
        page.rule((20.0, 80.0), (100.0, 80.0), 0.4);
        page
    }

    fn info() -> DocInfo<'static> {
        DocInfo { title: "Tests", author: "Łukasz", created: "2026-11-26T10:00:00Z".parse().unwrap() }
    }

    fn write_temp(pdf: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.pdf");
        std::fs::write(&path, pdf).unwrap();
        (dir, path)
    }

    /// A tool's standard output, or None (and the test says it skipped) if it isn't installed.
    fn run(tool: &str, args: &[&str], pdf: &Path) -> Option<String> {
        let Ok(out) =
            Command::new(tool).args(args).arg(pdf).args(if tool == "pdftotext" { &["-"][..] } else { &[] }).output()
        else {
            eprintln!("skipped: {tool} is not installed (poppler-utils, qpdf)");
            return None;
        };
        assert!(
            out.status.success(),
            "{tool}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        Some(String::from_utf8(out.stdout).unwrap())
    }

    #[test]
    fn text_in_every_script_and_face_reads_back_exactly() {
        let (_dir, pdf) = write_temp(&write_pdf(&[sample_page(210.0, 297.0)], &info()));
        let Some(text) = run("pdftotext", &["-raw", "-enc", "UTF-8"], &pdf) else { return };
        for expected in samples() {
            assert!(text.lines().any(|l| l == expected), "{expected:?} not in:\n{text}");
        }
    }

    #[test]
    fn each_face_is_an_embedded_unicode_subset_of_dejavu() {
        let (_dir, pdf) = write_temp(&write_pdf(&[sample_page(210.0, 297.0)], &info()));
        let Some(fonts) = run("pdffonts", &[], &pdf) else { return };
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert_eq!(rows.len(), 4, "{fonts}");
        for (row, name) in
            rows.iter().zip(["DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique"])
        {
            let (tag, rest) = row.split_once('+').unwrap();
            assert!(tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()), "{row}");
            assert!(rest.starts_with(&format!("{name} ")), "{row}");
            assert!(row.contains("CID TrueType      Identity-H       yes yes yes"), "{row}");
        }
    }

    #[test]
    fn qpdf_finds_no_errors() {
        let mixed = [sample_page(215.9, 279.4), sample_page(210.0, 297.0), Page::new(220.0, 110.0)];
        for pages in [&mixed[..], &[]] {
            let (_dir, pdf) = write_temp(&write_pdf(pages, &info()));
            let Some(report) = run("qpdf", &["--check"], &pdf) else { return };
            assert!(report.contains("No syntax or stream encoding errors"), "{report}");
        }
    }

    #[test]
    fn xref_offsets_point_at_their_objects() {
        let pdf = write_pdf(&[sample_page(210.0, 297.0), sample_page(210.0, 297.0)], &info());
        let at = pdf.windows(10).rposition(|w| w == b"startxref\n").unwrap() + 10;
        let start: usize = std::str::from_utf8(&pdf[at..]).unwrap().lines().next().unwrap().parse().unwrap();
        let table = std::str::from_utf8(&pdf[start..]).unwrap();
        assert!(table.starts_with("xref\n0 "), "startxref points at the table");
        let lines: Vec<&str> = table.lines().collect();
        let count: usize = lines[1].split(' ').nth(1).unwrap().parse().unwrap();
        assert_eq!(count, 2 * 2 + 3 + 4 * 5 + 1, "two pages, catalog, tree, info, four fonts, entry 0");
        assert_eq!(lines[2], "0000000000 65535 f ");
        for (id, entry) in lines[3..2 + count].iter().enumerate().map(|(i, l)| (i + 1, l)) {
            assert_eq!(entry.len(), 19, "plus its newline, 20 bytes: {entry:?}");
            let offset: usize = entry[..10].parse().unwrap();
            assert!(pdf[offset..].starts_with(format!("{id} 0 obj\n").as_bytes()), "object {id} is not at {offset}");
        }
        assert!(table.contains(&format!("trailer\n<</Size {count}/Root 1 0 R/Info 3 0 R>>")));
    }

    #[test]
    fn page_sizes_are_exact_in_points() {
        let pdf = write_pdf(&[sample_page(215.9, 279.4), sample_page(210.0, 297.0)], &info());
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/MediaBox[0 0 612 792]"), "US Letter");
        assert!(text.contains("/MediaBox[0 0 595.276 841.89]"), "A4");
    }

    #[test]
    fn text_starts_where_the_page_puts_it() {
        let (_dir, pdf) = write_temp(&write_pdf(&[sample_page(210.0, 297.0)], &info()));
        let Some(html) = run("pdftotext", &["-bbox"], &pdf) else { return };
        let mm = |line: &str, name: &str| -> f32 {
            let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            line[start..].split('"').next().unwrap().parse::<f32>().unwrap() * 25.4 / 72.0
        };
        for (i, first_word) in ["Łukasz", "Σοφία", "Ирина"].iter().enumerate() {
            let line = html
                .lines()
                .find(|l| l.contains(&format!(">{first_word}<")))
                .unwrap_or_else(|| panic!("{first_word}: {html}"));
            let baseline = 30.0 + 10.0 * i as f32;
            assert!((mm(line, "xMin") - 20.0).abs() < 0.01, "{line}");
            assert!(mm(line, "yMin") < baseline && mm(line, "yMax") > baseline, "{line}");
        }
    }

    #[test]
    fn a_writer_over_a_file_writes_what_write_pdf_returns() {
        let pages = [sample_page(215.9, 279.4), sample_page(215.9, 279.4)];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("streamed.pdf");
        let mut writer = PdfWriter::new(BufWriter::new(std::fs::File::create(&path).unwrap()), &info()).unwrap();
        for page in &pages {
            writer.add_page(page).unwrap();
        }
        assert_eq!(writer.page_count(), 2);
        writer.finish().unwrap().flush().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), write_pdf(&pages, &info()));
    }

    #[test]
    fn document_information_has_real_dates_and_unicode_names() {
        let pdf = write_pdf(&[], &info());
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/Title(Tests)/Author<FEFF01410075006B00610073007A>"), "{text}");
        assert!(text.contains("/CreationDate(D:20261126100000Z)/ModDate(D:20261126100000Z)"), "{text}");
    }
}
