//! Mail merge: letters, faxes, envelopes and labels printed straight to PDF. One layout engine
//! (`layout`) positions every run of text; `pdf` and `svg` draw the same pages.

pub mod fields;
pub mod fonts;
pub mod layout;
pub mod letters;
pub mod library;
pub mod markup;
pub mod pdf;
pub mod preflight;
pub mod recipients;
pub mod sheets;
pub mod svg;
pub mod template;

use clap::ValueEnum;

use layout::Paper;
use sheets::{Envelope, LabelSheet};

/// Everything Rolodeck prints on, by the names the CLI and the app use (`us-window`,
/// `envelope-dl`, `avery-5160` …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Letter(Paper),
    Envelope(Envelope),
    Labels(LabelSheet),
}

impl Layout {
    pub fn name(self) -> String {
        let value = match self {
            Layout::Letter(p) => p.to_possible_value(),
            Layout::Envelope(e) => e.to_possible_value(),
            Layout::Labels(l) => l.to_possible_value(),
        };
        value.expect("every layout has a name").get_name().to_string()
    }

    pub fn all() -> impl Iterator<Item = Layout> {
        let letters = Paper::value_variants().iter().map(|&p| Layout::Letter(p));
        let envelopes = Envelope::value_variants().iter().map(|&e| Layout::Envelope(e));
        letters.chain(envelopes).chain(LabelSheet::value_variants().iter().map(|&l| Layout::Labels(l)))
    }
}

impl std::str::FromStr for Layout {
    type Err = String;

    fn from_str(name: &str) -> Result<Layout, String> {
        Layout::all().find(|l| l.name() == name).ok_or_else(|| {
            format!(
                "unknown layout “{name}”; use one of: {}",
                Layout::all().map(Layout::name).collect::<Vec<_>>().join(", ")
            )
        })
    }
}
