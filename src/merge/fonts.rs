//! The one typeface letters are set in (DejaVu Sans, which covers Latin-extended, Greek and
//! Cyrillic; MIT/Bitstream-Vera licence in the `dejavu` crate) and its glyph metrics. Layout
//! measures with these metrics and the PDF embeds the same bytes, so what is measured is what
//! is printed.

use std::sync::OnceLock;

use serde::Serialize;
use ttf_parser::Face as TtfFace;

/// Regular, bold, italic or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Face {
    Regular,
    Bold,
    Italic,
    BoldItalic,
}

impl Face {
    pub const ALL: [Face; 4] = [Face::Regular, Face::Bold, Face::Italic, Face::BoldItalic];

    pub fn with(bold: bool, italic: bool) -> Face {
        match (bold, italic) {
            (false, false) => Face::Regular,
            (true, false) => Face::Bold,
            (false, true) => Face::Italic,
            (true, true) => Face::BoldItalic,
        }
    }

    pub fn is_bold(self) -> bool {
        matches!(self, Face::Bold | Face::BoldItalic)
    }

    pub fn is_italic(self) -> bool {
        matches!(self, Face::Italic | Face::BoldItalic)
    }

    /// The TrueType file for this face.
    pub fn bytes(self) -> &'static [u8] {
        match self {
            Face::Regular => dejavu::sans::regular(),
            Face::Bold => dejavu::sans::bold(),
            Face::Italic => dejavu::sans::oblique(),
            Face::BoldItalic => dejavu::sans::bold_oblique(),
        }
    }

    fn metrics(self) -> &'static Metrics {
        static METRICS: OnceLock<[Metrics; 4]> = OnceLock::new();
        &METRICS.get_or_init(|| Face::ALL.map(Metrics::load))[self as usize]
    }

    /// The width of `text` at `size_pt`, in millimetres.
    pub fn width_mm(self, text: &str, size_pt: f32) -> f32 {
        let m = self.metrics();
        let units: f32 = text.chars().map(|c| m.advance(c)).sum();
        units / m.units_per_em * size_pt * MM_PER_PT
    }

    /// Whether the face has a glyph for `c` (else the PDF would print an empty box).
    pub fn can_draw(self, c: char) -> bool {
        c.is_whitespace() || self.metrics().face.glyph_index(c).is_some()
    }
}

pub const MM_PER_PT: f32 = 25.4 / 72.0;

struct Metrics {
    face: TtfFace<'static>,
    units_per_em: f32,
    /// Advances of the first 0x0600 code points (Latin, Greek, Cyrillic), looked up on every
    /// character of every letter; others go to the font's tables.
    common: Vec<f32>,
}

impl Metrics {
    fn load(face: Face) -> Metrics {
        let ttf = TtfFace::parse(face.bytes(), 0).expect("the bundled DejaVu font parses");
        let mut metrics = Metrics { units_per_em: ttf.units_per_em() as f32, face: ttf, common: Vec::new() };
        metrics.common = (0..0x0600u32).map(|c| char::from_u32(c).map_or(0.0, |c| metrics.lookup(c))).collect();
        metrics
    }

    fn advance(&self, c: char) -> f32 {
        self.common.get(c as usize).copied().unwrap_or_else(|| self.lookup(c))
    }

    fn lookup(&self, c: char) -> f32 {
        let glyph = self.face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
        self.face.glyph_hor_advance(glyph).unwrap_or(0) as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bold_is_wider_and_width_scales_with_size() {
        let regular = Face::Regular.width_mm("Rolodeck", 10.0);
        assert!(Face::Bold.width_mm("Rolodeck", 10.0) > regular);
        assert!((Face::Regular.width_mm("Rolodeck", 20.0) - 2.0 * regular).abs() < 1e-3);
        assert!(regular > 10.0 && regular < 25.0, "{regular} mm");
    }

    #[test]
    fn covers_european_scripts_but_not_cjk() {
        for c in "ŁłßØæŒĐÞ ΣΩ ЖЯ €".chars() {
            assert!(Face::Regular.can_draw(c), "{c}");
        }
        assert!(!Face::Regular.can_draw('漢'));
    }
}
