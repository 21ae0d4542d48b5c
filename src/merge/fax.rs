//! Faxes: a cover sheet (to, from, fax numbers, date, pages including the cover, subject and a
//! note), then the letter exactly as the letter layout sets it. The cover is made of the same
//! pages and runs as everything else, so the preview and the PDF both show it.
//!
//! The logo, if the sender has one, stands at the top left of the cover.
//!
//! The subject is the run's own (`--fax-subject`), or the template's name when it has none.
//! Fax pages are US Letter when the sender is in the US or Canada, A4 (DIN 5008 B) elsewhere.

use std::sync::Arc;

use super::fields::{Fields, Sender, uses_us_letter};
use super::fonts::{Face, MM_PER_PT};
use super::images::Image;
use super::layout::{IMAGE_GAP, LOGO_MAX, Page, Paper, Rect, fit, line_height, paper_size, wrap};
use super::letters::{LetterRun, letter_pages_for};
use super::markup::Span;
use crate::Result;

/// What a cover sheet says besides the recipient and the sender.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CoverText<'a> {
    pub subject: &'a str,
    pub note: &'a str,
}

/// The paper faxes from this sender are laid out on.
pub fn fax_paper(sender: &Sender) -> Paper {
    if uses_us_letter(&sender.country) { Paper::UsWindow } else { Paper::DinB }
}

/// One recipient's fax: the cover sheet, counting itself, then the letter's pages. `run.paper`
/// should be `fax_paper(run.sender)`.
pub fn fax_pages_for(run: &LetterRun, fields: &Fields, text: &CoverText) -> Result<Vec<Page>> {
    let letter = letter_pages_for(run, fields)?;
    let logo = run.images.logo.as_ref();
    let mut pages = vec![cover_page(run.paper, run.sender, logo, fields, text, letter.len() + 1)];
    pages.extend(letter);
    Ok(pages)
}

const MARGIN_LEFT: f32 = 25.0;
const MARGIN_RIGHT: f32 = 20.0;
const ROW_PT: f32 = 12.0;
const LOGO_TOP: f32 = 12.0;
/// Where the values start, right of the labels ("Subject:" is the widest).
const VALUE_X: f32 = MARGIN_LEFT + 30.0;

fn cover_page(
    paper: Paper,
    sender: &Sender,
    logo: Option<&Arc<Image>>,
    fields: &Fields,
    text: &CoverText,
    total_pages: usize,
) -> Page {
    let (width, height) = paper_size(paper);
    let right = width - MARGIN_RIGHT;
    let mut page = Page::new(width, height);

    // The sender's letterhead small at the top right, the word FAX large at the left.
    let mut y = 18.0;
    let mut letterhead_left = right;
    for (i, line) in sender.letterhead().iter().enumerate() {
        let face = if i == 0 { Face::Bold } else { Face::Regular };
        let x = right - face.width_mm(line, 9.0);
        page.text(x, y, 9.0, face, line);
        letterhead_left = letterhead_left.min(x);
        y += line_height(9.0);
    }
    let title_baseline = y.max(30.0) + 12.0;
    if let Some(logo) = logo {
        // Left of the letterhead and clear of the title's capitals below.
        let title_top = title_baseline - 0.76 * 32.0 * MM_PER_PT;
        let room =
            ((letterhead_left - IMAGE_GAP - MARGIN_LEFT).min(LOGO_MAX.0), (title_top - 4.0 - LOGO_TOP).min(LOGO_MAX.1));
        let (w, h) = fit(logo, room);
        page.image(Rect { x: MARGIN_LEFT, y: LOGO_TOP, w, h }, logo);
    }
    page.text(MARGIN_LEFT, title_baseline, 32.0, Face::Bold, "FAX");
    let mut y = title_baseline + 6.0;
    page.rule((MARGIN_LEFT, y), (right, y), 1.2);
    y += 12.0;

    let to = join(&[&fields.full_name, &fields.company]);
    let from = join(&[&sender.name, &sender.company]);
    let pages = format!("{total_pages} (including this cover)");
    let groups: [&[(&str, &str)]; 3] = [
        &[("To:", &to), ("Fax:", &fields.fax)],
        &[("From:", &from), ("Fax:", &sender.fax), ("Phone:", &sender.phone)],
        &[("Date:", &fields.today), ("Pages:", &pages), ("Subject:", text.subject)],
    ];
    let step = line_height(ROW_PT) * 1.15;
    for group in groups {
        for &(label, value) in group.iter().filter(|(_, value)| !value.is_empty()) {
            page.text(MARGIN_LEFT, y, ROW_PT, Face::Bold, label);
            for line in plain_lines(value, ROW_PT, right - VALUE_X) {
                page.text(VALUE_X, y, ROW_PT, Face::Regular, &line);
                y += step;
            }
        }
        y += step * 0.6;
    }

    page.rule((MARGIN_LEFT, y - step * 0.4), (right, y - step * 0.4), 0.5);
    y += step * 0.6;
    for line in text.note.lines().flat_map(|l| plain_lines(l, 11.0, right - MARGIN_LEFT)) {
        page.text(MARGIN_LEFT, y, 11.0, Face::Regular, &line);
        y += line_height(11.0);
    }

    if !sender.phone.is_empty() {
        let footer = format!("If you did not receive all {total_pages} pages, please call {}.", sender.phone);
        page.text(MARGIN_LEFT, height - 20.0 - 9.0 * MM_PER_PT, 9.0, Face::Italic, &footer);
    }
    page
}

/// `text` wrapped to `width` mm at `size`, as plain lines (a blank line stays one line).
fn plain_lines(text: &str, size: f32, width: f32) -> Vec<String> {
    let spans = [Span { face: Face::Regular, text: text.to_string() }];
    wrap(&spans, size, width).iter().map(|line| line.iter().map(|s| s.text.as_str()).collect()).collect()
}

fn join(parts: &[&str]) -> String {
    parts.iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merge::layout::Item;

    fn texts(page: &Page) -> Vec<&str> {
        page.items
            .iter()
            .filter_map(|item| if let Item::Text(t) = item { Some(t.text.as_str()) } else { None })
            .collect()
    }

    fn fields() -> Fields {
        Fields {
            full_name: "Anna Nowak".into(),
            company: "Nowak Sp. z o.o.".into(),
            fax: "+48 12 000 00 00".into(),
            today: "26 November 2026".into(),
            ..Default::default()
        }
    }

    #[test]
    fn the_cover_names_both_ends_and_counts_itself() {
        let sender = Sender { name: "Ann Lee".into(), phone: "+1 217 555 0100".into(), ..Default::default() };
        let text = CoverText { subject: "Proposal", note: "Please pass this to Anna.\n\nThanks!" };
        let page = cover_page(Paper::DinB, &sender, None, &fields(), &text, 3);
        let all = texts(&page);
        for expected in [
            "FAX",
            "Anna Nowak, Nowak Sp. z o.o.",
            "+48 12 000 00 00",
            "Ann Lee",
            "+1 217 555 0100",
            "3 (including this cover)",
            "Proposal",
            "Please pass this to Anna.",
            "Thanks!",
        ] {
            assert!(all.contains(&expected), "{expected:?} not in {all:?}");
        }
        assert_eq!(all.iter().filter(|t| **t == "Fax:").count(), 1, "the sender has no fax: no empty row");
    }

    #[test]
    fn a_long_note_wraps_inside_the_margins() {
        let note = "word ".repeat(200);
        let page = cover_page(
            Paper::UsWindow,
            &Sender::default(),
            None,
            &fields(),
            &CoverText { subject: "", note: &note },
            2,
        );
        for item in &page.items {
            if let Item::Text(t) = item {
                assert!(t.x + t.face.width_mm(&t.text, t.size) <= page.width - MARGIN_RIGHT + 0.01, "{t:?}");
            }
        }
    }
}
