//! The SVG backend: draws laid-out pages for the live preview in the app. It draws the same
//! `Page`s the PDF does, plus a dashed outline of each address frame (window, label) — preview only.

use std::fmt::Write;

use super::fonts::MM_PER_PT;
use super::layout::{Item, Page};

pub fn page_svg(page: &Page) -> String {
    let mut svg = String::with_capacity(4096);
    let (w, h) = (page.width, page.height);
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}mm" height="{h}mm" viewBox="0 0 {w} {h}" font-family="DejaVu Sans, sans-serif" text-rendering="geometricPrecision">"#
    );
    let _ = write!(svg, r##"<rect width="{w}" height="{h}" fill="#fff"/>"##);
    for r in page.targets.iter().map(|t| t.frame) {
        let _ = write!(
            svg,
            r##"<rect class="window" x="{}" y="{}" width="{}" height="{}" rx="2" fill="none" stroke="#8aa4e8" stroke-width="0.3" stroke-dasharray="1.5 1"/>"##,
            r.x, r.y, r.w, r.h
        );
    }
    for item in &page.items {
        match item {
            Item::Text(t) => {
                let weight = if t.face.is_bold() { r#" font-weight="bold""# } else { "" };
                let style = if t.face.is_italic() { r#" font-style="italic""# } else { "" };
                let _ = write!(
                    svg,
                    r#"<text x="{:.2}" y="{:.2}" font-size="{:.3}"{weight}{style} xml:space="preserve">{}</text>"#,
                    t.x,
                    t.y,
                    t.size * MM_PER_PT,
                    escape(&t.text)
                );
            }
            Item::Rule { x1, y1, x2, y2, width_pt } => {
                let _ = write!(
                    svg,
                    r##"<line x1="{x1:.2}" y1="{y1:.2}" x2="{x2:.2}" y2="{y2:.2}" stroke="#000" stroke-width="{:.3}"/>"##,
                    width_pt * MM_PER_PT
                );
            }
        }
    }
    svg.push_str("</svg>");
    svg
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merge::fonts::Face;
    use crate::merge::layout::TextRun;

    #[test]
    fn text_is_escaped_and_positioned_in_millimetres() {
        let page = Page {
            width: 210.0,
            height: 297.0,
            items: vec![Item::Text(TextRun { x: 20.0, y: 30.5, size: 10.0, face: Face::Bold, text: "<img src=x> & Łukasz".into() })],
            targets: Vec::new(),
        };
        let svg = page_svg(&page);
        assert!(svg.contains(r#"viewBox="0 0 210 297""#));
        assert!(svg.contains(r#"<text x="20.00" y="30.50" font-size="3.528" font-weight="bold" xml:space="preserve">&lt;img src=x&gt; &amp; Łukasz</text>"#), "{svg}");
    }
}
