//! A TrueType subsetter for embedding: keeps the glyphs a document used, numbered in the order
//! given (glyph `i` of the subset is `glyphs[i]` of the full font), then the components that
//! composite glyphs (most accented letters) are built from. Because the writer hands out CIDs
//! in that same order, CID = glyph id and the PDF can say `/CIDToGIDMap /Identity`.
//!
//! The tables kept are those a PDF viewer reads from an embedded CIDFontType2 program (head,
//! hhea, maxp, hmtx, loca, glyf, and the hinting tables cvt, fpgm, prep), plus OS/2 and small
//! rebuilt cmap, name and post tables: the PDF itself does not need them (it maps codes to
//! glyphs and text through /ToUnicode), but stricter font loaders refuse a font without them,
//! and they cost a few hundred bytes per document. Kerning, ligature and math tables go.

use std::collections::{HashMap, HashSet};

use ttf_parser::{GlyphId, Tag};

/// The subset of `face` holding `glyphs`, each with the character it draws (the first must be
/// .notdef, glyph 0), as a TrueType file; None if the font's glyph tables are malformed.
pub fn subset(face: &ttf_parser::Face, glyphs: &[(u16, char)]) -> Option<Vec<u8>> {
    debug_assert_eq!(glyphs.first().map(|g| g.0), Some(0), ".notdef comes first");
    let table = |tag: &[u8; 4]| face.raw_face().table(Tag::from_bytes(tag));
    let head = table(b"head")?;
    let outlines = Outlines::parse(head, table(b"loca")?, table(b"glyf")?)?;
    let ids: Vec<u16> = glyphs.iter().map(|&(id, _)| id).collect();
    let order = with_components(&outlines, &ids)?;
    let (glyf, loca) = outlines.rebuild(&order)?;

    let count = u16::try_from(order.len()).ok()?;
    let mut tables = vec![
        (*b"cmap", character_map(glyphs)),
        (*b"glyf", glyf),
        (*b"head", patched(head, &[(8, &[0; 4]), (50, &1u16.to_be_bytes())])?),
        (*b"hhea", patched(table(b"hhea")?, &[(34, &count.to_be_bytes())])?),
        (*b"hmtx", horizontal_metrics(face, &order)),
        (*b"loca", loca),
        (*b"maxp", patched(table(b"maxp")?, &[(4, &count.to_be_bytes())])?),
        (*b"name", names(face)),
        // Version 3: no glyph names, just the header's italic angle and underline metrics.
        (*b"post", patched(table(b"post")?.get(..32)?, &[(0, &0x0003_0000u32.to_be_bytes())])?),
    ];
    for tag in [b"OS/2", b"cvt ", b"fpgm", b"prep"] {
        if let Some(data) = table(tag) {
            tables.push((*tag, data.to_vec()));
        }
    }
    Some(assemble(tables))
}

/// The glyf table, indexed through loca.
struct Outlines<'a> {
    glyf: &'a [u8],
    /// Start of each glyph in `glyf`, and the end of the last.
    offsets: Vec<usize>,
}

impl<'a> Outlines<'a> {
    fn parse(head: &[u8], loca: &[u8], glyf: &'a [u8]) -> Option<Outlines<'a>> {
        let long = read_u16(head, 50)? == 1;
        let offsets: Vec<usize> = if long {
            loca.chunks_exact(4).map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]) as usize).collect()
        } else {
            loca.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]]) as usize * 2).collect()
        };
        let sane = offsets.windows(2).all(|w| w[0] <= w[1]) && offsets.last().is_some_and(|&end| end <= glyf.len());
        sane.then_some(Outlines { glyf, offsets })
    }

    fn glyph(&self, id: u16) -> Option<&'a [u8]> {
        let id = id as usize;
        Some(&self.glyf[*self.offsets.get(id)?..*self.offsets.get(id + 1)?])
    }

    /// New glyf and (long) loca tables holding `order`, composite references renumbered.
    fn rebuild(&self, order: &[u16]) -> Option<(Vec<u8>, Vec<u8>)> {
        let new_id: HashMap<u16, u16> = order.iter().enumerate().map(|(i, &g)| (g, i as u16)).collect();
        let mut glyf = Vec::new();
        let mut loca = Vec::with_capacity((order.len() + 1) * 4);
        for &id in order {
            loca.extend_from_slice(&(glyf.len() as u32).to_be_bytes());
            let (start, data) = (glyf.len(), self.glyph(id)?);
            glyf.extend_from_slice(data);
            for at in component_refs(data)? {
                let renumbered = *new_id.get(&read_u16(data, at)?)?;
                glyf[start + at..start + at + 2].copy_from_slice(&renumbered.to_be_bytes());
            }
            glyf.resize(glyf.len().next_multiple_of(4), 0);
        }
        loca.extend_from_slice(&(glyf.len() as u32).to_be_bytes());
        Some((glyf, loca))
    }
}

/// `glyphs` followed by every glyph a composite among them refers to, directly or not.
fn with_components(outlines: &Outlines, glyphs: &[u16]) -> Option<Vec<u16>> {
    let mut order = glyphs.to_vec();
    let mut seen: HashSet<u16> = order.iter().copied().collect();
    let mut next = 0;
    while let Some(&id) = order.get(next) {
        let data = outlines.glyph(id)?;
        for at in component_refs(data)? {
            let component = read_u16(data, at)?;
            if seen.insert(component) {
                order.push(component);
            }
        }
        next += 1;
    }
    Some(order)
}

/// Where a composite glyph's component glyph ids sit in its data (none for a simple glyph).
fn component_refs(glyph: &[u8]) -> Option<Vec<usize>> {
    const ARGS_ARE_WORDS: u16 = 0x0001;
    const HAS_SCALE: u16 = 0x0008;
    const MORE_COMPONENTS: u16 = 0x0020;
    const HAS_X_AND_Y_SCALE: u16 = 0x0040;
    const HAS_TWO_BY_TWO: u16 = 0x0080;

    let mut refs = Vec::new();
    // An empty glyph (a space) has no header; a simple glyph has a contour count ≥ 0.
    if glyph.is_empty() || (read_u16(glyph, 0)? as i16) >= 0 {
        return Some(refs);
    }
    let mut at = 10; // past the contour count and bounding box
    loop {
        let flags = read_u16(glyph, at)?;
        read_u16(glyph, at + 2)?;
        refs.push(at + 2);
        let args = if flags & ARGS_ARE_WORDS != 0 { 4 } else { 2 };
        let transform = if flags & HAS_SCALE != 0 {
            2
        } else if flags & HAS_X_AND_Y_SCALE != 0 {
            4
        } else if flags & HAS_TWO_BY_TWO != 0 {
            8
        } else {
            0
        };
        at += 4 + args + transform;
        if flags & MORE_COMPONENTS == 0 {
            return Some(refs);
        }
    }
}

/// One full (advance, left side bearing) record per glyph of the subset.
fn horizontal_metrics(face: &ttf_parser::Face, order: &[u16]) -> Vec<u8> {
    let mut hmtx = Vec::with_capacity(order.len() * 4);
    for &id in order {
        hmtx.extend_from_slice(&face.glyph_hor_advance(GlyphId(id)).unwrap_or(0).to_be_bytes());
        hmtx.extend_from_slice(&face.glyph_hor_side_bearing(GlyphId(id)).unwrap_or(0).to_be_bytes());
    }
    hmtx
}

/// A Windows Unicode (3, 1) cmap in format 4, one segment per character: glyph `i` draws
/// `glyphs[i].1`. Characters beyond the BMP are left to /ToUnicode.
fn character_map(glyphs: &[(u16, char)]) -> Vec<u8> {
    let mut pairs: Vec<(u16, u16)> = glyphs
        .iter()
        .enumerate()
        .skip(1)
        .filter_map(|(id, &(_, c))| Some((u16::try_from(c as u32).ok()?, id as u16)))
        .collect();
    pairs.retain(|&(c, _)| c != 0xFFFF);
    pairs.sort_unstable();
    // The format requires a last segment for 0xFFFF, mapped to .notdef.
    pairs.push((0xFFFF, 0));
    let segments = pairs.len() as u16;
    let log2 = 15 - segments.leading_zeros() as u16;
    let search_range = 2u16 << log2;
    let mut table = Vec::with_capacity(12 + 16 + pairs.len() * 8);
    // Version, one subtable: Windows (3), Unicode BMP (1), at offset 12.
    push_u16s(&mut table, [0, 1, 3, 1, 0, 12]);
    push_u16s(&mut table, [4, 16 + 8 * segments, 0, 2 * segments, search_range, log2, 2 * segments - search_range]);
    let codes = pairs.iter().map(|&(c, _)| c);
    push_u16s(&mut table, codes.clone()); // segment ends
    push_u16s(&mut table, [0]); // reserved
    push_u16s(&mut table, codes); // segment starts
    push_u16s(&mut table, pairs.iter().map(|&(c, id)| id.wrapping_sub(c))); // deltas
    push_u16s(&mut table, pairs.iter().map(|_| 0)); // no glyph index array
    table
}

/// A name table with the original's family, style, full and PostScript names.
fn names(face: &ttf_parser::Face) -> Vec<u8> {
    use ttf_parser::name_id::{FAMILY, FULL_NAME, POST_SCRIPT_NAME, SUBFAMILY};
    let records: Vec<(u16, Vec<u8>)> = [FAMILY, SUBFAMILY, FULL_NAME, POST_SCRIPT_NAME]
        .into_iter()
        .filter_map(|id| {
            let name = face.names().into_iter().filter(|n| n.name_id == id).find_map(|n| n.to_string())?;
            Some((id, name.encode_utf16().flat_map(u16::to_be_bytes).collect()))
        })
        .collect();
    let count = records.len() as u16;
    let mut table = Vec::new();
    push_u16s(&mut table, [0, count, 6 + 12 * count]);
    let mut offset = 0u16;
    for (id, text) in &records {
        // Windows, Unicode BMP, US English.
        push_u16s(&mut table, [3, 1, 0x0409, *id, text.len() as u16, offset]);
        offset += text.len() as u16;
    }
    for (_, text) in records {
        table.extend_from_slice(&text);
    }
    table
}

/// A copy of `table` with `bytes` written at each offset.
fn patched(table: &[u8], patches: &[(usize, &[u8])]) -> Option<Vec<u8>> {
    let mut copy = table.to_vec();
    for (at, bytes) in patches {
        copy.get_mut(*at..at + bytes.len())?.copy_from_slice(bytes);
    }
    Some(copy)
}

/// Lays `tables` out as a TrueType file: directory sorted by tag, each table on a 4-byte
/// boundary with its checksum, and head's whole-file checksum adjustment.
fn assemble(mut tables: Vec<([u8; 4], Vec<u8>)>) -> Vec<u8> {
    tables.sort_by_key(|(tag, _)| *tag);
    let count = tables.len() as u16;
    let log2 = 15 - count.leading_zeros() as u16;
    let search_range = 16u16 << log2;
    let mut font = Vec::new();
    push_u16s(&mut font, [0x0001, 0x0000, count, search_range, log2, count * 16 - search_range]);
    let mut offset = 12 + 16 * tables.len();
    for (tag, data) in &tables {
        font.extend_from_slice(tag);
        font.extend_from_slice(&checksum(data).to_be_bytes());
        font.extend_from_slice(&(offset as u32).to_be_bytes());
        font.extend_from_slice(&(data.len() as u32).to_be_bytes());
        offset += data.len().next_multiple_of(4);
    }
    let mut head_at = 0;
    for (tag, data) in &tables {
        if tag == b"head" {
            head_at = font.len();
        }
        font.extend_from_slice(data);
        font.resize(font.len().next_multiple_of(4), 0);
    }
    let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&font));
    font[head_at + 8..head_at + 12].copy_from_slice(&adjustment.to_be_bytes());
    font
}

/// The TrueType checksum: the sum of big-endian 32-bit words, zero-padded.
fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

fn push_u16s(out: &mut Vec<u8>, values: impl IntoIterator<Item = u16>) {
    for value in values {
        out.extend_from_slice(&value.to_be_bytes());
    }
}

fn read_u16(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*data.get(at)?, *data.get(at + 1)?]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merge::fonts::Face;

    /// .notdef, then each distinct glyph of `text` with its character, in first-use order.
    fn used_glyphs(face: &ttf_parser::Face, text: &str) -> Vec<(u16, char)> {
        let mut glyphs = vec![(0, '\0')];
        for c in text.chars() {
            let id = face.glyph_index(c).unwrap().0;
            if !glyphs.iter().any(|&(g, _)| g == id) {
                glyphs.push((id, c));
            }
        }
        glyphs
    }

    #[test]
    fn subset_glyph_i_is_the_ith_glyph_asked_for() {
        let full = ttf_parser::Face::parse(Face::Regular.bytes(), 0).unwrap();
        let glyphs = used_glyphs(&full, "Łukasz Wróbel, Σοφία, Ирина, Straße 5 (é)");
        let bytes = subset(&full, &glyphs).unwrap();
        let small = ttf_parser::Face::parse(&bytes, 0).expect("the subset parses");
        assert!(
            small.number_of_glyphs() as usize > glyphs.len(),
            "accents' components come after the glyphs asked for"
        );
        assert!(bytes.len() < 20_000, "{} bytes", bytes.len());
        for (new, &(old, c)) in glyphs.iter().enumerate() {
            let (new, old) = (GlyphId(new as u16), GlyphId(old));
            assert_eq!(small.glyph_hor_advance(new), full.glyph_hor_advance(old), "{c}");
            assert_eq!(small.glyph_bounding_box(new), full.glyph_bounding_box(old), "{c}");
            if new.0 > 0 {
                assert_eq!(small.glyph_index(c), Some(new), "the subset's own cmap agrees for {c}");
            }
        }
        let names: Vec<String> = small.names().into_iter().filter_map(|n| n.to_string()).collect();
        assert_eq!(names, ["DejaVu Sans", "Book", "DejaVu Sans", "DejaVuSans"]);
    }

    #[test]
    fn the_subset_checksums_add_up() {
        let full = ttf_parser::Face::parse(Face::Bold.bytes(), 0).unwrap();
        let bytes = subset(&full, &used_glyphs(&full, "Ąę")).unwrap();
        assert_eq!(checksum(&bytes), 0xB1B0_AFBA, "the whole file sums to the magic number");
    }
}
