//! Envelopes and address labels, laid out by the same engine as letters: every address is
//! an `address_block` inside a frame (the envelope's address zone, a label cell), so the
//! tests and preflight check the same boxes the printer gets.
//!
//! Label geometry is the manufacturers' (Avery 5160/5163 on US Letter, L7160 on A4); a
//! calibration offset shifts everything for a printer that feeds a little off.

use std::ops::ControlFlow;

use serde::{Deserialize, Serialize};

use super::fonts::Face;
use super::layout::{Page, Rect, block_height};

const IN: f32 = 25.4;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
pub enum Envelope {
    /// US #10, 9.5 × 4.125 in
    #[value(name = "envelope-10")]
    #[serde(rename = "envelope-10")]
    No10,
    /// DL, 220 × 110 mm
    #[value(name = "envelope-dl")]
    #[serde(rename = "envelope-dl")]
    Dl,
    /// C5, 229 × 162 mm
    #[value(name = "envelope-c5")]
    #[serde(rename = "envelope-c5")]
    C5,
    /// C6, 162 × 114 mm
    #[value(name = "envelope-c6")]
    #[serde(rename = "envelope-c6")]
    C6,
}

impl Envelope {
    /// Width and height in mm, landscape as it goes through the printer.
    pub fn size(self) -> (f32, f32) {
        match self {
            Envelope::No10 => (9.5 * IN, 4.125 * IN),
            Envelope::Dl => (220.0, 110.0),
            Envelope::C5 => (229.0, 162.0),
            Envelope::C6 => (162.0, 114.0),
        }
    }
}

/// One envelope per recipient: return address top left, recipient in the address zone
/// (right of centre, below the middle, clear of the stamp corner).
pub fn layout_envelopes(
    envelope: Envelope,
    return_address: &[String],
    recipients: &[Vec<String>],
    offset: (f32, f32),
) -> Vec<Page> {
    let (w, h) = envelope.size();
    let zone = Rect { x: w * 0.40 + offset.0, y: h * 0.45 + offset.1, w: w * 0.55, h: h * 0.45 };
    recipients
        .iter()
        .map(|lines| {
            let mut page = Page::new(w, h);
            let mut y = 12.0 + offset.1;
            for (i, line) in return_address.iter().enumerate() {
                page.text(12.0 + offset.0, y, 8.0, if i == 0 { Face::Bold } else { Face::Regular }, line);
                y += 3.8;
            }
            let size = fitting_size(lines, zone.w - 4.0, zone.h - 4.0, 12.0);
            page.address_block(zone, zone.x + 2.0, zone.y + 2.0, size, lines);
            page
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
pub enum LabelSheet {
    /// Avery 5160: US Letter, 3 × 10 labels of 2.625 × 1 in
    #[value(name = "avery-5160")]
    #[serde(rename = "avery-5160")]
    Avery5160,
    /// Avery 5163: US Letter, 2 × 5 labels of 4 × 2 in
    #[value(name = "avery-5163")]
    #[serde(rename = "avery-5163")]
    Avery5163,
    /// Avery L7160: A4, 3 × 7 labels of 63.5 × 38.1 mm
    #[value(name = "avery-l7160")]
    #[serde(rename = "avery-l7160")]
    AveryL7160,
}

/// A sheet's geometry in mm: paper, grid, label size, first label's corner, and pitch.
pub struct SheetGeometry {
    pub paper: (f32, f32),
    pub columns: usize,
    pub rows: usize,
    pub label: (f32, f32),
    pub origin: (f32, f32),
    pub pitch: (f32, f32),
}

impl LabelSheet {
    pub fn geometry(self) -> SheetGeometry {
        match self {
            LabelSheet::Avery5160 => SheetGeometry {
                paper: (8.5 * IN, 11.0 * IN),
                columns: 3,
                rows: 10,
                label: (2.625 * IN, 1.0 * IN),
                origin: (0.1875 * IN, 0.5 * IN),
                pitch: (2.75 * IN, 1.0 * IN),
            },
            LabelSheet::Avery5163 => SheetGeometry {
                paper: (8.5 * IN, 11.0 * IN),
                columns: 2,
                rows: 5,
                label: (4.0 * IN, 2.0 * IN),
                origin: (0.15625 * IN, 0.5 * IN),
                pitch: (4.1875 * IN, 2.0 * IN),
            },
            LabelSheet::AveryL7160 => SheetGeometry {
                paper: (210.0, 297.0),
                columns: 3,
                rows: 7,
                label: (63.5, 38.1),
                origin: (7.2, 15.15),
                pitch: (66.04, 38.1),
            },
        }
    }
}

impl SheetGeometry {
    /// The cell of label `index` (0-based, across then down) on its sheet.
    pub fn cell(&self, index: usize, offset: (f32, f32)) -> Rect {
        let (column, row) = (index % self.columns, (index / self.columns) % self.rows);
        Rect {
            x: self.origin.0 + column as f32 * self.pitch.0 + offset.0,
            y: self.origin.1 + row as f32 * self.pitch.1 + offset.1,
            w: self.label.0,
            h: self.label.1,
        }
    }
}

/// Address labels, filling sheets across then down, starting at label `start` (1-based) of
/// the first sheet so a partly used sheet can go back in the printer.
pub fn layout_labels(sheet: LabelSheet, recipients: &[Vec<String>], start: usize, offset: (f32, f32)) -> Vec<Page> {
    let g = sheet.geometry();
    let per_sheet = g.columns * g.rows;
    let first = start.clamp(1, per_sheet) - 1;
    let mut pages: Vec<Page> = Vec::new();
    for (i, lines) in recipients.iter().enumerate() {
        let slot = first + i;
        if slot.is_multiple_of(per_sheet) || pages.is_empty() {
            pages.push(Page::new(g.paper.0, g.paper.1));
        }
        let cell = g.cell(slot, offset);
        // A small inset keeps text clear of die-cut edges that drift by a millimetre.
        let inset = if cell.h < 30.0 { 2.5 } else { 4.0 };
        let size = fitting_size(lines, cell.w - 2.0 * inset, cell.h - 2.0 * inset, 10.0);
        let top = cell.y + (cell.h - block_height(lines.len(), size)) / 2.0;
        pages.last_mut().expect("a page").address_block(cell, cell.x + inset, top, size, lines);
    }
    pages
}

/// A run of address labels: the sheet, the first free label on a partly used one (1 = top
/// left), and the printer's calibration offset (mm right, mm down).
#[derive(Debug, Clone, Copy)]
pub(super) struct LabelRun {
    pub sheet: LabelSheet,
    pub start_at: usize,
    pub offset: (f32, f32),
}

/// Lays out `recipients`' labels a sheet at a time, handing each sheet to `emit` (and asking
/// `blocks` for only that sheet's addresses), so a big run never holds more than a sheet.
/// Stops when `emit` says so (a cancelled run).
pub(super) fn layout_label_sheets<T>(
    recipients: &[T],
    blocks: impl Fn(&[T]) -> Vec<Vec<String>>,
    run: LabelRun,
    mut emit: impl FnMut(Vec<Page>) -> ControlFlow<()>,
) {
    // The first sheet may be partly used: it takes only the labels from `start_at` on.
    let g = run.sheet.geometry();
    let per_sheet = g.columns * g.rows;
    let free_on_first = per_sheet + 1 - run.start_at.clamp(1, per_sheet);
    let (first, rest) = recipients.split_at(free_on_first.min(recipients.len()));
    for (i, batch) in std::iter::once(first).chain(rest.chunks(per_sheet)).enumerate() {
        let start = if i == 0 { run.start_at } else { 1 };
        if emit(layout_labels(run.sheet, &blocks(batch), start, run.offset)).is_break() {
            return;
        }
    }
}

/// The largest size up to `max` (and not below 6 pt) at which `lines` fit in `w` × `h` mm.
fn fitting_size(lines: &[String], w: f32, h: f32, max: f32) -> f32 {
    let mut size = max;
    while size > 6.0 {
        let widest = lines.iter().map(|l| Face::Regular.width_mm(l, size)).fold(0.0, f32::max);
        if widest <= w && block_height(lines.len(), size) <= h {
            break;
        }
        size -= 0.5;
    }
    size
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addresses(n: usize) -> Vec<Vec<String>> {
        (0..n)
            .map(|i| {
                vec![
                    format!("Person {i}"),
                    "Acme Consulting".into(),
                    "1234 Lakeview Blvd, Suite 400".into(),
                    "Springfield, IL 62701".into(),
                ]
            })
            .collect()
    }

    #[test]
    fn labels_fill_sheets_across_then_down_from_the_start_label() {
        let pages = layout_labels(LabelSheet::Avery5160, &addresses(40), 5, (0.0, 0.0));
        assert_eq!(pages.len(), 2, "26 on the first sheet (labels 5–30), 14 on the next");
        assert_eq!(pages[0].targets.len(), 26);
        let first = pages[0].targets[0].frame;
        let g = LabelSheet::Avery5160.geometry();
        assert_eq!((first.x, first.y), (g.origin.0 + g.pitch.0, g.origin.1 + g.pitch.1), "label 5 is row 2, column 2");
    }

    #[test]
    fn labels_printed_sheet_by_sheet_match_the_whole_run_laid_out_at_once() {
        let sheet = LabelSheet::Avery5160;
        for count in [0, 1, 29, 30, 31, 65] {
            for start_at in [0, 1, 2, 30, 31] {
                let run = LabelRun { sheet, start_at, offset: (0.5, -0.5) };
                let mut streamed = Vec::new();
                layout_label_sheets(&addresses(count), <[_]>::to_vec, run, |pages| {
                    streamed.extend(pages);
                    ControlFlow::Continue(())
                });
                let whole = layout_labels(sheet, &addresses(count), start_at, (0.5, -0.5));
                assert_eq!(streamed, whole, "{count} labels from {start_at}");
            }
        }
    }

    #[test]
    fn a_cancelled_label_run_stops_after_the_sheet_it_is_on() {
        let run = LabelRun { sheet: LabelSheet::Avery5160, start_at: 1, offset: (0.0, 0.0) };
        let mut sheets = 0;
        layout_label_sheets(&addresses(65), <[_]>::to_vec, run, |_| {
            sheets += 1;
            ControlFlow::Break(())
        });
        assert_eq!(sheets, 1);
    }

    #[test]
    fn every_label_fits_its_cell_on_every_sheet() {
        for sheet in [LabelSheet::Avery5160, LabelSheet::Avery5163, LabelSheet::AveryL7160] {
            for page in layout_labels(sheet, &addresses(50), 1, (0.0, 0.0)) {
                for t in &page.targets {
                    assert!(t.frame.contains(&t.content), "{sheet:?}: {t:?}");
                    assert!(
                        t.frame.x + t.frame.w <= page.width && t.frame.y + t.frame.h <= page.height,
                        "{sheet:?}: cell off the sheet"
                    );
                }
            }
        }
    }

    #[test]
    fn calibration_shifts_every_label() {
        let plain = layout_labels(LabelSheet::AveryL7160, &addresses(1), 1, (0.0, 0.0));
        let shifted = layout_labels(LabelSheet::AveryL7160, &addresses(1), 1, (1.5, -0.5));
        let (a, b) = (plain[0].targets[0].content, shifted[0].targets[0].content);
        assert!((b.x - a.x - 1.5).abs() < 1e-4 && (b.y - a.y + 0.5).abs() < 1e-4);
    }

    #[test]
    fn envelope_addresses_sit_in_the_address_zone() {
        for envelope in [Envelope::No10, Envelope::Dl, Envelope::C5, Envelope::C6] {
            let pages = layout_envelopes(envelope, &["Ann Lee".into(), "1 Main St".into()], &addresses(2), (0.0, 0.0));
            assert_eq!(pages.len(), 2);
            let t = pages[0].targets[0];
            assert!(t.frame.contains(&t.content), "{envelope:?}: {t:?}");
            assert_eq!((pages[0].width, pages[0].height), envelope.size());
        }
    }
}
