//! The one layout engine: turns a letter's parts into pages of positioned text runs, rules and
//! images, in millimetres from the top-left corner. The PDF and the SVG preview both draw exactly
//! these pages, so the preview is the print.
//!
//! Geometry follows the envelope it must fit: a US #10 window envelope on US Letter, or
//! DIN 5008 form A / B on A4 (address field 85 × 45 mm, 20 mm from the left edge).

use std::sync::Arc;

use serde::Serialize;

use super::fonts::{Face, MM_PER_PT};
use super::images::{Image, SenderImages};
use super::markup::{Span, paragraphs};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Paper {
    /// US Letter for a #10 window envelope.
    UsWindow,
    /// A4, DIN 5008 form A (address field 27 mm from the top).
    DinA,
    /// A4, DIN 5008 form B (address field 45 mm from the top).
    DinB,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Rect {
    pub fn contains(&self, other: &Rect) -> bool {
        other.x >= self.x
            && other.y >= self.y
            && other.x + other.w <= self.x + self.w
            && other.y + other.h <= self.y + self.h
    }
}

/// Text in one face and size; `y` is the baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TextRun {
    pub x: f32,
    pub y: f32,
    pub size: f32,
    pub face: Face,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Item {
    Text(TextRun),
    /// A straight rule (fold and punch marks, the return-address underline).
    Rule {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width_pt: f32,
    },
    /// An image stretched to `rect` (the layout keeps its aspect).
    Image {
        rect: Rect,
        #[serde(serialize_with = "image_id")]
        image: Arc<Image>,
    },
}

fn image_id<S: serde::Serializer>(image: &Arc<Image>, serializer: S) -> Result<S::Ok, S::Error> {
    image.id.serialize(serializer)
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Page {
    pub width: f32,
    pub height: f32,
    pub items: Vec<Item>,
    /// Where addresses must land: envelope windows, label cells, envelope address zones.
    pub targets: Vec<Target>,
}

/// An address's allotted frame (a window, a label) and the box its text really occupies;
/// preflight and the tests check one holds the other, and the preview outlines the frame.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Target {
    pub frame: Rect,
    pub content: Rect,
}

impl Page {
    pub fn new(width: f32, height: f32) -> Page {
        Page { width, height, items: Vec::new(), targets: Vec::new() }
    }

    pub fn text(&mut self, x: f32, y: f32, size: f32, face: Face, text: &str) {
        if !text.is_empty() {
            self.items.push(Item::Text(TextRun { x, y, size, face, text: text.to_string() }));
        }
    }

    pub fn rule(&mut self, (x1, y1): (f32, f32), (x2, y2): (f32, f32), width_pt: f32) {
        self.items.push(Item::Rule { x1, y1, x2, y2, width_pt });
    }

    pub fn image(&mut self, rect: Rect, image: &Arc<Image>) {
        self.items.push(Item::Image { rect, image: Arc::clone(image) });
    }

    /// Sets `lines` as a block whose capitals start at `top`, and records it as a target
    /// of `frame`. Returns the block's box.
    pub fn address_block(&mut self, frame: Rect, x: f32, top: f32, size: f32, lines: &[String]) -> Rect {
        let step = line_height(size) * 0.9;
        let first_baseline = top + ASCENT * size * MM_PER_PT;
        let mut widest: f32 = 0.0;
        for (i, line) in lines.iter().enumerate() {
            self.text(x, first_baseline + i as f32 * step, size, Face::Regular, line);
            widest = widest.max(Face::Regular.width_mm(line, size));
        }
        let last_baseline = first_baseline + lines.len().saturating_sub(1) as f32 * step;
        let content = Rect { x, y: top, w: widest, h: last_baseline + DESCENT * size * MM_PER_PT - top };
        self.targets.push(Target { frame, content });
        content
    }
}

/// The height a block of `lines` takes at `size` (as `address_block` sets it).
pub fn block_height(lines: usize, size: f32) -> f32 {
    let step = line_height(size) * 0.9;
    (ASCENT + DESCENT) * size * MM_PER_PT + lines.saturating_sub(1) as f32 * step
}

/// What a letter says, already merged.
#[derive(Debug, Clone, Default)]
pub struct Letter {
    /// Letterhead: the sender's name, then address and contact lines.
    pub letterhead: Vec<String>,
    /// One line shown small above the recipient (the sender's address), or empty.
    pub return_line: String,
    pub recipient: Vec<String>,
    pub date: String,
    /// The body in light markup (see `markup`).
    pub body: String,
    /// Who the letter is to, for the header of continuation pages.
    pub running_head: String,
    /// The logo beside the letterhead and the signature above the line that is `signer`.
    pub images: SenderImages,
    /// The sender's name, as the letter's last line naming them signs it off.
    pub signer: String,
}

const BODY_PT: f32 = 11.0;
const ADDRESS_PT: f32 = 10.0;
const SMALL_PT: f32 = 7.0;
const LEADING: f32 = 1.35;
/// The most room a logo takes beside the letterhead, and a signature above the name, in mm.
pub(super) const LOGO_MAX: (f32, f32) = (60.0, 25.0);
const SIGNATURE_MAX: (f32, f32) = (55.0, 16.0);
/// A logo squeezed narrower than this by a long letterhead line is left off.
const LOGO_MIN_WIDTH: f32 = 10.0;
/// Clearance between an image and the text beside, above or below it, in mm.
pub(super) const IMAGE_GAP: f32 = 5.0;
const SIGNATURE_GAP: f32 = 1.0;
/// Where the body resumes on a continuation page, below its running head.
const CONTINUATION_TOP: f32 = 30.0;
/// Roughly the height above the baseline of DejaVu's capitals, as a share of the size.
const ASCENT: f32 = 0.76;
const DESCENT: f32 = 0.24;

struct Geometry {
    width: f32,
    height: f32,
    margin_left: f32,
    margin_right: f32,
    margin_bottom: f32,
    letterhead_top: f32,
    letterhead_right_aligned: bool,
    window: Rect,
    /// Top of the first address line's capitals.
    address_top: f32,
    return_line_baseline: f32,
    date_right_aligned: bool,
    marks: Vec<(f32, f32)>,
}

fn geometry(paper: Paper) -> Geometry {
    const IN: f32 = 25.4;
    match paper {
        Paper::UsWindow => Geometry {
            width: 8.5 * IN,
            height: 11.0 * IN,
            margin_left: IN,
            margin_right: IN,
            margin_bottom: IN,
            letterhead_top: 0.5 * IN,
            letterhead_right_aligned: false,
            // #10 window: 4.5 × 1.125 in, 7/8 in from the left, 2 in from the top.
            window: Rect { x: 0.875 * IN, y: 2.0 * IN, w: 4.5 * IN, h: 1.125 * IN },
            address_top: 2.125 * IN + 1.5,
            return_line_baseline: 2.0 * IN + 3.2,
            date_right_aligned: false,
            marks: Vec::new(),
        },
        Paper::DinA | Paper::DinB => {
            let (top, folds) = if paper == Paper::DinA { (27.0, (87.0, 192.0)) } else { (45.0, (105.0, 210.0)) };
            Geometry {
                width: 210.0,
                height: 297.0,
                margin_left: 25.0,
                margin_right: 20.0,
                margin_bottom: 25.0,
                letterhead_top: if paper == Paper::DinA { 8.0 } else { 15.0 },
                letterhead_right_aligned: true,
                window: Rect { x: 20.0, y: top, w: 85.0, h: 45.0 },
                // The field's top 17.7 mm is the endorsement zone (return line at its
                // foot); the address zone below it is 27.3 mm tall.
                address_top: top + 17.7 + 1.0,
                return_line_baseline: top + 15.5,
                date_right_aligned: true,
                marks: vec![(folds.0, 5.0), (folds.1, 5.0), (148.5, 8.0)],
            }
        }
    }
}

/// Width and height of the paper in mm.
pub fn paper_size(paper: Paper) -> (f32, f32) {
    let g = geometry(paper);
    (g.width, g.height)
}

pub(super) fn line_height(size_pt: f32) -> f32 {
    size_pt * LEADING * MM_PER_PT
}

/// Lays out one letter: first page with letterhead, window address and date, then the body,
/// running onto continuation pages (with a header and page numbers) as needed.
pub fn layout_letter(paper: Paper, letter: &Letter) -> Vec<Page> {
    let g = geometry(paper);
    let mut pages = vec![first_page(&g, letter)];
    let body_width = g.width - g.margin_left - g.margin_right;
    let bottom = g.height - g.margin_bottom;
    let step = line_height(BODY_PT);

    // The body starts two lines below the window (or the date, whichever is lower).
    let mut y = g.window.y + g.window.h + 2.0 * step;
    let date_x = if g.date_right_aligned {
        g.width - g.margin_right - Face::Regular.width_mm(&letter.date, BODY_PT)
    } else {
        g.margin_left
    };
    pages[0].text(date_x, y, BODY_PT, Face::Regular, &letter.date);
    let mut last_baseline = y;
    y += 2.0 * step;

    let paragraphs = paragraphs(&letter.body);
    let sign_off =
        letter.images.signature.as_ref().and_then(|s| sign_off(&paragraphs, &letter.signer).map(|at| (at, s)));
    for (i, paragraph) in paragraphs.into_iter().enumerate() {
        // A paragraph gap is 0.6 of a line; each further blank line in the template adds a line.
        if i > 0 {
            y += (0.6 + paragraph.blank_lines_before.saturating_sub(1) as f32) * step;
        }
        for (j, hard_line) in paragraph.lines.into_iter().enumerate() {
            if let Some((_, signature)) = sign_off.filter(|(at, _)| *at == (i, j)) {
                y = place_signature(&g, letter, &mut pages, signature, last_baseline, y);
            }
            for line in wrap(&hard_line, BODY_PT, body_width) {
                if y > bottom {
                    pages.push(continuation_page(&g, letter, pages.len() + 1));
                    y = CONTINUATION_TOP + step;
                }
                let mut x = g.margin_left;
                let page = pages.last_mut().expect("a page");
                for span in line {
                    let w = span.face.width_mm(&span.text, BODY_PT);
                    page.text(x, y, BODY_PT, span.face, &span.text);
                    x += w;
                }
                last_baseline = y;
                y += step;
            }
        }
    }

    let count = pages.len();
    if count > 1 {
        for (i, page) in pages.iter_mut().enumerate() {
            let label = format!("Page {} of {count}", i + 1);
            let x = (g.width - Face::Regular.width_mm(&label, 8.0)) / 2.0;
            page.text(x, g.height - 12.0, 8.0, Face::Regular, &label);
        }
    }
    pages
}

/// The last hard line (paragraph, line) that is the signer's name alone: where the letter
/// signs off, as the sample templates' `{{ sender.name }}` does.
fn sign_off(paragraphs: &[super::markup::Paragraph], signer: &str) -> Option<(usize, usize)> {
    let signer = signer.trim();
    if signer.is_empty() {
        return None;
    }
    let is_signer = |line: &Vec<Span>| line.iter().map(|s| s.text.as_str()).collect::<String>().trim() == signer;
    paragraphs.iter().enumerate().rev().find_map(|(i, p)| p.lines.iter().rposition(is_signer).map(|j| (i, j)))
}

/// Puts the signature just above the name whose baseline would be `y`, moving the name down
/// when the lines left blank above it are too few, and onto a new page (the signature with
/// it) when that passes the foot of the page. Returns the name's baseline.
fn place_signature(
    g: &Geometry,
    letter: &Letter,
    pages: &mut Vec<Page>,
    signature: &Arc<Image>,
    last_baseline: f32,
    y: f32,
) -> f32 {
    let (w, h) = fit(signature, SIGNATURE_MAX);
    let cap = ASCENT * BODY_PT * MM_PER_PT;
    let below_last_line = last_baseline + DESCENT * BODY_PT * MM_PER_PT + SIGNATURE_GAP;
    let mut top = (y - cap - SIGNATURE_GAP - h).max(below_last_line);
    if top + h + SIGNATURE_GAP + cap > g.height - g.margin_bottom {
        pages.push(continuation_page(g, letter, pages.len() + 1));
        top = CONTINUATION_TOP + line_height(BODY_PT) - cap;
    }
    pages.last_mut().expect("a page").image(Rect { x: g.margin_left, y: top, w, h }, signature);
    top + h + SIGNATURE_GAP + cap
}

/// `image`'s size scaled to fit `(w, h)` mm, its aspect kept.
pub(super) fn fit(image: &Image, (w, h): (f32, f32)) -> (f32, f32) {
    let height = h.min(w / image.aspect());
    (height * image.aspect(), height)
}

fn first_page(g: &Geometry, letter: &Letter) -> Page {
    let mut page = Page::new(g.width, g.height);
    let mut y = g.letterhead_top + ASCENT * 14.0 * MM_PER_PT;
    // Where the letterhead's text reaches across the page.
    let (mut text_left, mut text_right) = (g.width - g.margin_right, g.margin_left);
    for (i, line) in letter.letterhead.iter().enumerate() {
        let (size, face) = if i == 0 { (14.0, Face::Bold) } else { (9.0, Face::Regular) };
        let width = face.width_mm(line, size);
        let x = if g.letterhead_right_aligned { g.width - g.margin_right - width } else { g.margin_left };
        page.text(x, y, size, face, line);
        (text_left, text_right) = (text_left.min(x), text_right.max(x + width));
        y += line_height(if i == 0 { 12.0 } else { 9.0 });
    }
    if let Some(logo) = &letter.images.logo {
        // In the corner the letterhead leaves free, its top level with the letterhead's, and
        // clear of the window (and its return line) below.
        let (left, right) = if g.letterhead_right_aligned {
            (g.margin_left, text_left - IMAGE_GAP)
        } else {
            (text_right + IMAGE_GAP, g.width - g.margin_right)
        };
        let (w, h) = fit(logo, ((right - left).min(LOGO_MAX.0), (g.window.y - 3.0 - g.letterhead_top).min(LOGO_MAX.1)));
        let x = if g.letterhead_right_aligned { left } else { right - w };
        if w >= LOGO_MIN_WIDTH {
            page.image(Rect { x, y: g.letterhead_top, w, h }, logo);
        }
    }

    let inset = g.window.x + 5.0;
    if !letter.return_line.is_empty() {
        page.text(inset, g.return_line_baseline, SMALL_PT, Face::Regular, &letter.return_line);
        let underline = g.return_line_baseline + 0.8;
        let end = inset + Face::Regular.width_mm(&letter.return_line, SMALL_PT);
        page.rule((inset, underline), (end, underline), 0.3);
    }
    page.address_block(g.window, inset, g.address_top, ADDRESS_PT, &letter.recipient);

    for &(y, length) in &g.marks {
        page.rule((4.0, y), (4.0 + length, y), 0.4);
    }
    page
}

fn continuation_page(g: &Geometry, letter: &Letter, number: usize) -> Page {
    let mut page = Page::new(g.width, g.height);
    let head = format!("{} · {} · page {number}", letter.running_head, letter.date);
    page.text(g.margin_left, 20.0, 8.0, Face::Regular, &head);
    page.rule((g.margin_left, 22.0), (g.width - g.margin_right, 22.0), 0.3);
    page
}

/// Breaks one hard line into lines no wider than `width` mm, at spaces where possible and
/// inside a word only when the word alone is wider than the line (text is never clipped).
pub fn wrap(spans: &[Span], size: f32, width: f32) -> Vec<Vec<Span>> {
    let mut lines: Vec<Vec<Span>> = vec![Vec::new()];
    let mut used = 0.0;
    for piece in pieces(spans) {
        let w = piece.face.width_mm(&piece.text, size);
        let line_is_empty = lines.last().is_some_and(Vec::is_empty);
        if used + w > width && !line_is_empty {
            let trimmed = piece.text.trim_end().to_string();
            // A trailing space may hang past the margin; only a word forces a break.
            if used + piece.face.width_mm(&trimmed, size) <= width {
                append(lines.last_mut().expect("a line"), Span { face: piece.face, text: trimmed });
                used = width;
                continue;
            }
            trim_line_end(lines.last_mut().expect("a line"));
            lines.push(Vec::new());
            used = 0.0;
        }
        if w > width {
            for c in piece.text.chars() {
                let cw = piece.face.width_mm(&c.to_string(), size);
                if used + cw > width && used > 0.0 {
                    lines.push(Vec::new());
                    used = 0.0;
                }
                append(lines.last_mut().expect("a line"), Span { face: piece.face, text: c.to_string() });
                used += cw;
            }
        } else {
            append(lines.last_mut().expect("a line"), piece);
            used += w;
        }
    }
    if let Some(last) = lines.last_mut() {
        trim_line_end(last);
    }
    lines
}

/// Words with their trailing spaces, each in its span's face.
fn pieces(spans: &[Span]) -> Vec<Span> {
    let mut out = Vec::new();
    for span in spans {
        let mut rest = span.text.as_str();
        while !rest.is_empty() {
            let word_end =
                rest.find(' ').map_or(rest.len(), |i| i + rest[i..].len() - rest[i..].trim_start_matches(' ').len());
            out.push(Span { face: span.face, text: rest[..word_end].to_string() });
            rest = &rest[word_end..];
        }
    }
    out
}

/// Adds a piece to a line, merging it into the last span when the face is the same.
fn append(line: &mut Vec<Span>, piece: Span) {
    match line.last_mut() {
        Some(last) if last.face == piece.face => last.text.push_str(&piece.text),
        _ => line.push(piece),
    }
}

fn trim_line_end(line: &mut [Span]) {
    if let Some(last) = line.last_mut() {
        last.text.truncate(last.text.trim_end().len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Vec<Span> {
        vec![Span { face: Face::Regular, text: text.into() }]
    }

    fn texts(lines: &[Vec<Span>]) -> Vec<String> {
        lines.iter().map(|l| l.iter().map(|s| s.text.as_str()).collect()).collect()
    }

    #[test]
    fn wraps_at_spaces_within_the_width() {
        let text = "The quick brown fox jumps over the lazy dog and keeps on running far away";
        let lines = wrap(&plain(text), 11.0, 60.0);
        assert!(lines.len() > 1);
        for line in &lines {
            let w: f32 = line.iter().map(|s| s.face.width_mm(&s.text, 11.0)).sum();
            assert!(w <= 60.0 + 1e-3, "{w}");
        }
        assert_eq!(texts(&lines).join(" "), text, "no word lost or split");
    }

    #[test]
    fn a_word_wider_than_the_line_is_broken_not_clipped() {
        let word = "Donaudampfschifffahrtsgesellschaftskapitänswitwe";
        let lines = wrap(&plain(word), 11.0, 40.0);
        assert!(lines.len() > 1);
        assert_eq!(texts(&lines).concat(), word);
    }

    #[test]
    fn faces_survive_wrapping() {
        let spans = vec![
            Span { face: Face::Regular, text: "Hello ".into() },
            Span { face: Face::Bold, text: "bold world".into() },
        ];
        let lines = wrap(&spans, 11.0, 200.0);
        assert_eq!(lines[0][1], Span { face: Face::Bold, text: "bold world".into() });
    }

    fn letter(body: &str) -> Letter {
        Letter {
            letterhead: vec!["Ann Lee Consulting".into(), "1 Main St, Springfield, IL 62701".into()],
            return_line: "Ann Lee · 1 Main St · Springfield, IL 62701".into(),
            recipient: vec![
                "Mr. John Smith".into(),
                "Acme Inc.".into(),
                "12 Oak Ave".into(),
                "Portland, OR 97201".into(),
            ],
            date: "November 26, 2026".into(),
            body: body.into(),
            running_head: "Mr. John Smith".into(),
            images: SenderImages::default(),
            signer: "Ann Lee".into(),
        }
    }

    #[test]
    fn the_address_sits_inside_the_window_on_every_paper() {
        for paper in [Paper::UsWindow, Paper::DinA, Paper::DinB] {
            let pages = layout_letter(paper, &letter("Dear John,\n\nHello."));
            let target = pages[0].targets[0];
            assert!(target.frame.contains(&target.content), "{paper:?}: {target:?}");
        }
    }

    #[test]
    fn din_window_geometry_is_exact() {
        let a = layout_letter(Paper::DinA, &letter("Hi"))[0].targets[0].frame;
        let b = layout_letter(Paper::DinB, &letter("Hi"))[0].targets[0].frame;
        assert_eq!((a.x, a.y, a.w, a.h), (20.0, 27.0, 85.0, 45.0));
        assert_eq!((b.x, b.y), (20.0, 45.0));
    }

    #[test]
    fn a_long_body_flows_onto_numbered_continuation_pages() {
        let body = (0..120)
            .map(|i| format!("Paragraph {i} says something worth reading twice."))
            .collect::<Vec<_>>()
            .join("\n\n");
        let pages = layout_letter(Paper::UsWindow, &letter(&body));
        assert!(pages.len() >= 3, "{} pages", pages.len());
        let count = pages.len();
        for (i, page) in pages.iter().enumerate() {
            let label = format!("Page {} of {count}", i + 1);
            assert!(page.items.iter().any(|it| matches!(it, Item::Text(t) if t.text == label)), "{label}");
            for item in &page.items {
                if let Item::Text(t) = item {
                    assert!(t.y < page.height - 10.0 && t.y > 0.0, "text off the page at {}", t.y);
                }
            }
        }
        let all: String = pages
            .iter()
            .flat_map(|p| &p.items)
            .filter_map(|it| match it {
                Item::Text(t) => Some(t.text.as_str()),
                _ => None,
            })
            .collect();
        assert!(all.contains("Paragraph 119 says"), "nothing is lost at the end");
    }
}
