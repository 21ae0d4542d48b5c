//! The SVG backend: draws laid-out pages for the live preview in the app. It draws the same
//! `Page`s the PDF does, plus a dashed outline of each address frame (window, label) — preview only.
//! Images are embedded as data: URLs, so the SVG needs nothing beside it.

use std::fmt::Write;

use super::fonts::MM_PER_PT;
use super::layout::{Item, Page};

/// SVG user units per millimetre. Browsers lay text out at the nominal font size before
/// scaling, so 3.9-unit text (11 pt in mm) gets rounded advances and ragged spacing; tenths of
/// a millimetre keep sizes in the tens.
const UNITS_PER_MM: f32 = 10.0;

pub fn page_svg(page: &Page) -> String {
    let mut svg = String::with_capacity(4096);
    let u = |mm: f32| mm * UNITS_PER_MM;
    let (width, height) = (page.width, page.height);
    let (w, h) = (u(width), u(height));
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}mm" height="{height}mm" viewBox="0 0 {w} {h}" font-family="DejaVu Sans, sans-serif" text-rendering="geometricPrecision">"#
    );
    let _ = write!(svg, r##"<rect width="{w}" height="{h}" fill="#fff"/>"##);
    for r in page.targets.iter().map(|t| t.frame) {
        let _ = write!(
            svg,
            r##"<rect class="window" x="{}" y="{}" width="{}" height="{}" rx="20" fill="none" stroke="#8aa4e8" stroke-width="3" stroke-dasharray="15 10"/>"##,
            u(r.x),
            u(r.y),
            u(r.w),
            u(r.h)
        );
    }
    for item in &page.items {
        match item {
            Item::Text(t) => {
                let weight = if t.face.is_bold() { r#" font-weight="bold""# } else { "" };
                let style = if t.face.is_italic() { r#" font-style="italic""# } else { "" };
                let _ = write!(
                    svg,
                    r#"<text x="{:.1}" y="{:.1}" font-size="{:.2}"{weight}{style} xml:space="preserve">{}</text>"#,
                    u(t.x),
                    u(t.y),
                    u(t.size * MM_PER_PT),
                    escape(&t.text)
                );
            }
            Item::Rule { x1, y1, x2, y2, width_pt } => {
                let _ = write!(
                    svg,
                    r##"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#000" stroke-width="{:.2}"/>"##,
                    u(*x1),
                    u(*y1),
                    u(*x2),
                    u(*y2),
                    u(width_pt * MM_PER_PT)
                );
            }
            Item::Image { rect, image } => {
                // The layout kept the aspect already; "none" stops the viewer fitting it again.
                let _ = write!(
                    svg,
                    r#"<image x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" preserveAspectRatio="none" href="{}"/>"#,
                    u(rect.x),
                    u(rect.y),
                    u(rect.w),
                    u(rect.h),
                    image.data_url()
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
    fn text_is_escaped_and_positioned_in_tenths_of_a_millimetre() {
        let page = Page {
            width: 210.0,
            height: 297.0,
            items: vec![Item::Text(TextRun {
                x: 20.0,
                y: 30.5,
                size: 10.0,
                face: Face::Bold,
                text: "<img src=x> & Łukasz".into(),
            })],
            targets: Vec::new(),
        };
        let svg = page_svg(&page);
        assert!(svg.contains(r#"width="210mm" height="297mm" viewBox="0 0 2100 2970""#), "{svg}");
        assert!(svg.contains(r#"<text x="200.0" y="305.0" font-size="35.28" font-weight="bold" xml:space="preserve">&lt;img src=x&gt; &amp; Łukasz</text>"#), "{svg}");
    }
}
