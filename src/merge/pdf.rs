//! The PDF backend: draws laid-out pages with printpdf, embedding a subset of DejaVu Sans for
//! each face used, so every name prints as typed on any printer.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use printpdf::{
    Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, TextItem,
};

use super::fonts::Face;
use super::layout::{Item, Page};

/// Title, author and time written into the PDF's document information.
pub struct DocInfo<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub created: DateTime<Utc>,
}

pub fn write_pdf(pages: &[Page], info: &DocInfo) -> Vec<u8> {
    let mut doc = PdfDocument::new(info.title);
    set_info(&mut doc, info);
    let mut fonts = BTreeMap::new();
    for face in faces_used(pages) {
        let parsed = ParsedFont::from_bytes(face.bytes(), 0, &mut Vec::new()).expect("the bundled DejaVu font parses");
        fonts.insert(face, doc.add_font(&parsed));
    }
    let pdf_pages = pages
        .iter()
        .map(|page| {
            let height = page.height;
            let point = |x: f32, y: f32| Point { x: Mm(x).into(), y: Mm(height - y).into() };
            let mut ops = Vec::with_capacity(page.items.len() * 3 + 4);
            let mut current: Option<(Face, f32)> = None;
            ops.push(Op::StartTextSection);
            for item in &page.items {
                if let Item::Text(t) = item {
                    if current != Some((t.face, t.size)) {
                        ops.push(Op::SetFont { font: PdfFontHandle::External(fonts[&t.face].clone()), size: Pt(t.size) });
                        current = Some((t.face, t.size));
                    }
                    ops.push(Op::SetTextCursor { pos: point(t.x, t.y) });
                    ops.push(Op::ShowText { items: vec![TextItem::Text(t.text.clone())] });
                    // Cursor moves are relative inside a text section; restart it per run.
                    ops.push(Op::EndTextSection);
                    ops.push(Op::StartTextSection);
                }
            }
            ops.push(Op::EndTextSection);
            for item in &page.items {
                if let Item::Rule { x1, y1, x2, y2, width_pt } = item {
                    ops.push(Op::SetOutlineThickness { pt: Pt(*width_pt) });
                    let points = [point(*x1, *y1), point(*x2, *y2)].map(|p| LinePoint { p, bezier: false }).to_vec();
                    ops.push(Op::DrawLine { line: Line { points, is_closed: false } });
                }
            }
            PdfPage::new(Mm(page.width), Mm(page.height), ops)
        })
        .collect();
    doc.with_pages(pdf_pages);
    doc.save(&PdfSaveOptions::default(), &mut Vec::new())
}

fn faces_used(pages: &[Page]) -> Vec<Face> {
    let mut faces: Vec<Face> =
        pages.iter().flat_map(|p| &p.items).filter_map(|i| if let Item::Text(t) = i { Some(t.face) } else { None }).collect();
    faces.sort();
    faces.dedup();
    faces
}

fn set_info(doc: &mut PdfDocument, info: &DocInfo) {
    let meta = &mut doc.metadata.info;
    meta.document_title = info.title.to_string();
    meta.author = info.author.to_string();
    meta.creator = "Rolodeck".to_string();
    meta.producer = format!("Rolodeck {}", env!("CARGO_PKG_VERSION"));
    // printpdf defaults to 1970; a real date lets people sort their printouts.
    if let Ok(when) = printpdf::OffsetDateTime::from_unix_timestamp(info.created.timestamp()) {
        meta.creation_date = when;
        meta.modification_date = when;
        meta.metadata_date = when;
    }
}
