//! Fonts as the PDF sees them. While pages are written, each face remembers the glyphs it has
//! drawn: a glyph gets the next CID the first time it is used, and pages encode text in those
//! CIDs straight away. At the end each face used becomes a Type0 font (Identity-H) over a
//! CIDFontType2 whose TrueType program is subset in CID order, so CID = glyph id; its /W
//! gives the widths layout measured with, and its /ToUnicode CMap maps each CID back to the
//! character, so the text copies and searches as typed.

use std::collections::HashMap;
use std::io::{self, Write};

use flate2::Compression;
use ttf_parser::name_id::POST_SCRIPT_NAME;

use super::objects::{Deflater, ObjectId, Objects};
use super::subset::subset;
use super::syntax::{push_decimal, push_uint};
use crate::merge::fonts::Face;

/// Characters looked up through a flat table rather than a map: Latin, Greek and Cyrillic.
const TABLE_CHARS: usize = 0x0600;

/// The glyphs each face has drawn so far.
#[derive(Default)]
pub struct FontSet {
    faces: [Option<UsedGlyphs>; 4],
}

impl FontSet {
    /// The glyphs `face` has used, to encode more text with.
    pub fn glyphs(&mut self, face: Face) -> &mut UsedGlyphs {
        self.faces[face as usize].get_or_insert_with(|| UsedGlyphs::new(face))
    }

    /// Writes a font for every face drawn with; returns the /Font resource dictionary.
    pub fn write<W: Write>(&self, objects: &mut Objects<W>) -> io::Result<Vec<u8>> {
        let mut resources = b"<<".to_vec();
        for (face, used) in Face::ALL.iter().zip(&self.faces) {
            if let Some(used) = used {
                let font = write_font(objects, used)?;
                resources.extend_from_slice(resource_name(*face));
                resources.push(b' ');
                push_uint(&mut resources, font);
                resources.extend_from_slice(b" 0 R");
            }
        }
        resources.extend_from_slice(b">>");
        Ok(resources)
    }
}

/// The name pages select `face` by (`/F0 11 Tf`).
pub fn resource_name(face: Face) -> &'static [u8] {
    [b"/F0", b"/F1", b"/F2", b"/F3"][face as usize]
}

pub struct UsedGlyphs {
    font: ttf_parser::Face<'static>,
    /// CID by character for the first `TABLE_CHARS` code points (0: not looked up yet).
    table: Vec<u16>,
    others: HashMap<char, u16>,
    by_glyph: HashMap<u16, u16>,
    /// Glyph id and (first) character of each CID; CID 0 is .notdef.
    cids: Vec<(u16, char)>,
}

impl UsedGlyphs {
    fn new(face: Face) -> UsedGlyphs {
        UsedGlyphs {
            font: ttf_parser::Face::parse(face.bytes(), 0).expect("the bundled DejaVu font parses"),
            table: vec![0; TABLE_CHARS],
            others: HashMap::new(),
            by_glyph: HashMap::from([(0, 0)]),
            cids: vec![(0, '\0')],
        }
    }

    /// The CID that draws `c` (0, .notdef, if the face lacks it).
    #[inline]
    pub fn cid(&mut self, c: char) -> u16 {
        match self.table.get(c as usize) {
            Some(&cid) if cid != 0 => cid,
            _ => self.look_up(c),
        }
    }

    #[cold]
    fn look_up(&mut self, c: char) -> u16 {
        if let Some(&cid) = self.others.get(&c) {
            return cid;
        }
        let glyph = self.font.glyph_index(c).map_or(0, |g| g.0);
        let next = self.cids.len() as u16;
        let cid = *self.by_glyph.entry(glyph).or_insert(next);
        if cid == next {
            self.cids.push((glyph, c));
        }
        match self.table.get_mut(c as usize) {
            Some(slot) => *slot = cid,
            None => {
                self.others.insert(c, cid);
            }
        }
        cid
    }
}

/// Writes the five objects of one subset font; returns the Type0 font's number.
fn write_font<W: Write>(objects: &mut Objects<W>, used: &UsedGlyphs) -> io::Result<ObjectId> {
    let glyphs: Vec<u16> = used.cids.iter().map(|&(glyph, _)| glyph).collect();
    let base = postscript_name(&used.font);
    let program = subset(&used.font, &used.cids)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, format!("{base}: malformed glyph tables")))?;
    let name = format!("{}+{base}", subset_tag(&base, &glyphs));
    let [type0, cid_font, descriptor, file, to_unicode] = [(); 5].map(|_| objects.reserve());

    let type0_dict = format!(
        "<</Type/Font/Subtype/Type0/BaseFont/{name}/Encoding/Identity-H/DescendantFonts[{cid_font} 0 R]/ToUnicode {to_unicode} 0 R>>"
    );
    objects.object(type0, type0_dict.as_bytes())?;
    let mut cid_dict = format!(
        "<</Type/Font/Subtype/CIDFontType2/BaseFont/{name}/CIDSystemInfo<</Registry(Adobe)/Ordering(Identity)/Supplement 0>>/FontDescriptor {descriptor} 0 R/CIDToGIDMap/Identity/W"
    )
    .into_bytes();
    cid_dict.extend_from_slice(&widths(&used.font, &glyphs));
    cid_dict.extend_from_slice(b">>");
    objects.object(cid_font, &cid_dict)?;
    objects.object(descriptor, descriptor_dict(&used.font, &name, file).as_bytes())?;

    // Written once per document, so worth the best compression.
    let mut deflater = Deflater::new(Compression::best());
    objects.stream(file, format!("/Length1 {}", program.len()).as_bytes(), deflater.deflate(&program))?;
    objects.stream(to_unicode, b"", deflater.deflate(&to_unicode_cmap(&used.cids)))?;
    Ok(type0)
}

/// The font's PostScript name (`DejaVuSans-Bold`), kept to the characters a PDF name allows.
fn postscript_name(font: &ttf_parser::Face) -> String {
    let name = font.names().into_iter().filter(|n| n.name_id == POST_SCRIPT_NAME).find_map(|n| n.to_string());
    let name: String = name.unwrap_or_default().chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    if name.is_empty() { "Font".to_string() } else { name }
}

/// The six capitals that mark a subset (`ABCDEF+`), derived from the glyphs it holds so the
/// same letters print the same file.
fn subset_tag(base: &str, glyphs: &[u16]) -> String {
    // FNV-1a: stable across builds, unlike the standard library's hasher.
    let bytes = base.bytes().chain(glyphs.iter().flat_map(|g| g.to_be_bytes()));
    let mut hash = bytes.fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3));
    (0..6)
        .map(|_| {
            let letter = (b'A' + (hash % 26) as u8) as char;
            hash /= 26;
            letter
        })
        .collect()
}

/// `[0[w0 w1 …]]`: each CID's advance in thousandths of an em, as layout measured it.
fn widths(font: &ttf_parser::Face, glyphs: &[u16]) -> Vec<u8> {
    let scale = 1000.0 / font.units_per_em() as f64;
    let mut out = b"[0[".to_vec();
    for (i, &glyph) in glyphs.iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        push_decimal(&mut out, font.glyph_hor_advance(ttf_parser::GlyphId(glyph)).unwrap_or(0) as f64 * scale, 2);
    }
    out.extend_from_slice(b"]]");
    out
}

fn descriptor_dict(font: &ttf_parser::Face, name: &str, file: ObjectId) -> String {
    let scale = |v: i16| (v as f64 * 1000.0 / font.units_per_em() as f64).round() as i64;
    let b = font.global_bounding_box();
    // Symbolic (4): the glyphs go beyond the Adobe standard Latin set; italic (64) if slanted.
    let italic = font.italic_angle() != 0.0;
    let flags = 4 + if italic { 64 } else { 0 };
    let stem = if font.is_bold() { 120 } else { 80 };
    format!(
        "<</Type/FontDescriptor/FontName/{name}/Flags {flags}/FontBBox[{} {} {} {}]/ItalicAngle {}/Ascent {}/Descent {}/CapHeight {}/StemV {stem}/FontFile2 {file} 0 R>>",
        scale(b.x_min),
        scale(b.y_min),
        scale(b.x_max),
        scale(b.y_max),
        font.italic_angle(),
        scale(font.ascender()),
        scale(font.descender()),
        scale(font.capital_height().unwrap_or(font.ascender())),
    )
}

/// The /ToUnicode CMap: each CID (but .notdef) to its character, in UTF-16BE.
fn to_unicode_cmap(cids: &[(u16, char)]) -> Vec<u8> {
    let mut cmap = String::from(
        "/CIDInit/ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo<</Registry(Adobe)/Ordering(UCS)/Supplement 0>>def\n\
         /CMapName/Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000><FFFF>\nendcodespacerange\n",
    );
    let mapped: Vec<(usize, char)> = cids.iter().map(|&(_, c)| c).enumerate().skip(1).collect();
    // A bfchar block may hold at most 100 entries.
    for block in mapped.chunks(100) {
        cmap.push_str(&format!("{} beginbfchar\n", block.len()));
        for &(cid, c) in block {
            cmap.push_str(&format!("<{cid:04X}><"));
            for unit in c.encode_utf16(&mut [0; 2]) {
                cmap.push_str(&format!("{unit:04X}"));
            }
            cmap.push_str(">\n");
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict/CMapResource defineresource pop\nend\nend\n");
    cmap.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cids_follow_first_use_and_missing_glyphs_are_notdef() {
        let mut fonts = FontSet::default();
        let glyphs = fonts.glyphs(Face::Regular);
        let cids: Vec<u16> = "abaŁ漢あa".chars().map(|c| glyphs.cid(c)).collect();
        assert_eq!(cids, [1, 2, 1, 3, 0, 0, 1]);
        assert_eq!(glyphs.cids.iter().map(|&(_, c)| c).collect::<String>(), "\0abŁ");
    }

    #[test]
    fn to_unicode_maps_each_cid_to_its_character() {
        let cmap = String::from_utf8(to_unicode_cmap(&[(0, '\0'), (36, 'A'), (1, 'Ł'), (2, '𝄞')])).unwrap();
        assert!(cmap.contains("3 beginbfchar\n<0001><0041>\n<0002><0141>\n<0003><D834DD1E>\nendbfchar"), "{cmap}");
    }

    #[test]
    fn subset_tags_are_six_capitals_and_follow_the_glyphs() {
        let tag = subset_tag("DejaVuSans", &[0, 5, 9]);
        assert!(tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()), "{tag}");
        assert_eq!(tag, subset_tag("DejaVuSans", &[0, 5, 9]));
        assert_ne!(tag, subset_tag("DejaVuSans", &[0, 5, 10]));
    }
}
