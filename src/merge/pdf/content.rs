//! A page's content stream: all its text in one text object, then its rules, then its images. Each run is
//! placed with a `Td` relative to the run before, from positions rounded to 0.01 pt (3.5 µm),
//! so the sum of the moves lands exactly on each run's rounded position, and a body line's
//! move (`0 -14.85 Td`) repeats word for word, which deflate codes in a few bits. Glyphs are
//! 2-byte CIDs in literal strings: half the bytes of hex before compression, and smaller after.

use super::PT_PER_MM;
use super::embed::{FontSet, resource_name};
use super::image::ImageSet;
use super::syntax::{push_decimal, push_escaped, push_scaled, scaled};
use crate::merge::fonts::Face;
use crate::merge::layout::{Item, Page, TextRun};

/// Decimal places of positions in points.
const PLACES: u32 = 2;

/// Appends the operators that draw `page` to `out`, recording the glyphs used in `fonts`;
/// its images must be in `images` already.
pub fn page_content(page: &Page, fonts: &mut FontSet, images: &ImageSet, out: &mut Vec<u8>) {
    write_text(page, fonts, out);
    write_rules(page, out);
    write_images(page, images, out);
}

/// A point in the page's mm from the top-left, as hundredths of a point from the bottom-left.
fn position(page: &Page, x: f32, y: f32) -> (i64, i64) {
    (scaled(x as f64 * PT_PER_MM, PLACES), scaled((page.height - y) as f64 * PT_PER_MM, PLACES))
}

fn write_text(page: &Page, fonts: &mut FontSet, out: &mut Vec<u8>) {
    let mut runs =
        page.items.iter().filter_map(|item| if let Item::Text(t) = item { Some(t) } else { None }).peekable();
    if runs.peek().is_none() {
        return;
    }
    out.extend_from_slice(b"BT\n");
    let mut font: Option<(Face, f32)> = None;
    // BT starts the line matrix at the origin, so the first move is absolute.
    let mut line_start = (0, 0);
    for run in runs {
        if font != Some((run.face, run.size)) {
            out.extend_from_slice(resource_name(run.face));
            out.push(b' ');
            push_decimal(out, run.size as f64, PLACES);
            out.extend_from_slice(b" Tf\n");
            font = Some((run.face, run.size));
        }
        let at = position(page, run.x, run.y);
        push_scaled(out, at.0 - line_start.0, PLACES);
        out.push(b' ');
        push_scaled(out, at.1 - line_start.1, PLACES);
        out.extend_from_slice(b" Td(");
        write_glyphs(run, fonts, out);
        out.extend_from_slice(b")Tj\n");
        line_start = at;
    }
    out.extend_from_slice(b"ET\n");
}

/// The run's text as big-endian CIDs (Identity-H), escaped for a literal string.
fn write_glyphs(run: &TextRun, fonts: &mut FontSet, out: &mut Vec<u8>) {
    let glyphs = fonts.glyphs(run.face);
    for c in run.text.chars() {
        push_escaped(out, &glyphs.cid(c).to_be_bytes());
    }
}

fn write_rules(page: &Page, out: &mut Vec<u8>) {
    let mut current_width = None;
    for item in &page.items {
        if let Item::Rule { x1, y1, x2, y2, width_pt } = *item {
            if current_width != Some(width_pt) {
                push_decimal(out, width_pt as f64, PLACES);
                out.extend_from_slice(b" w\n");
                current_width = Some(width_pt);
            }
            for ((x, y), op) in [(position(page, x1, y1), b" m "), (position(page, x2, y2), b" l ")] {
                push_scaled(out, x, PLACES);
                out.push(b' ');
                push_scaled(out, y, PLACES);
                out.extend_from_slice(op);
            }
            out.extend_from_slice(b"S\n");
        }
    }
}

/// Each image scaled from its unit square onto its rectangle: `q w 0 0 h x y cm /I0 Do Q`.
fn write_images(page: &Page, images: &ImageSet, out: &mut Vec<u8>) {
    for item in &page.items {
        if let Item::Image { rect, image } = item {
            let (x, y) = position(page, rect.x, rect.y + rect.h);
            out.extend_from_slice(b"q ");
            push_decimal(out, rect.w as f64 * PT_PER_MM, PLACES);
            out.extend_from_slice(b" 0 0 ");
            push_decimal(out, rect.h as f64 * PT_PER_MM, PLACES);
            for n in [x, y] {
                out.push(b' ');
                push_scaled(out, n, PLACES);
            }
            out.extend_from_slice(b" cm ");
            out.extend_from_slice(&images.name(image));
            out.extend_from_slice(b" Do Q\n");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(page: &Page) -> String {
        let mut out = Vec::new();
        page_content(page, &mut FontSet::default(), &ImageSet::default(), &mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn runs_move_relative_to_the_one_before_and_fonts_change_only_when_needed() {
        let mut page = Page::new(215.9, 279.4);
        page.text(25.4, 241.3, 11.0, Face::Regular, "a");
        page.text(25.4, 254.0, 11.0, Face::Regular, "b");
        page.text(50.8, 254.0, 11.0, Face::Bold, "c");
        page.rule((12.7, 25.4), (38.1, 25.4), 0.3);
        assert_eq!(
            content(&page),
            "BT\n/F0 11 Tf\n72 108 Td(\0\x01)Tj\n0 -36 Td(\0\x02)Tj\n/F1 11 Tf\n72 0 Td(\0\x01)Tj\nET\n\
             0.3 w\n36 720 m 108 720 l S\n"
        );
    }
}
