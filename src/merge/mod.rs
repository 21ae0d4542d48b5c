//! Mail merge: letters, faxes, envelopes and labels printed straight to PDF. One layout engine
//! (`layout`) positions every run of text; `pdf` and `svg` draw the same pages.

pub mod fax;
pub mod fields;
pub mod fonts;
pub mod household;
pub mod images;
pub mod layout;
pub mod letters;
pub mod library;
pub mod markup;
pub mod output;
pub mod pdf;
pub mod preflight;
pub mod recipients;
pub mod run;
pub mod runs;
pub mod sheets;
pub mod svg;
pub mod template;

use clap::ValueEnum;
use serde::{Deserialize, Serialize};

use layout::Paper;
use sheets::{Envelope, LabelSheet};

/// Everything Rolodeck prints on, by the names the CLI and the app use (`us-window`, `fax`,
/// `envelope-dl`, `avery-5160` …); serialised as that name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Layout {
    Letter(Paper),
    /// A cover sheet, then the letter (see `fax`).
    Fax,
    Envelope(Envelope),
    Labels(LabelSheet),
}

impl Layout {
    pub fn name(self) -> String {
        let value = match self {
            Layout::Letter(p) => p.to_possible_value(),
            Layout::Fax => return "fax".to_string(),
            Layout::Envelope(e) => e.to_possible_value(),
            Layout::Labels(l) => l.to_possible_value(),
        };
        value.expect("every layout has a name").get_name().to_string()
    }

    pub fn all() -> impl Iterator<Item = Layout> {
        let letters = Paper::value_variants().iter().map(|&p| Layout::Letter(p));
        let envelopes = Envelope::value_variants().iter().map(|&e| Layout::Envelope(e));
        let labels = LabelSheet::value_variants().iter().map(|&l| Layout::Labels(l));
        letters.chain([Layout::Fax]).chain(envelopes).chain(labels)
    }

    /// Whether the layout merges a template (letters and faxes) rather than printing addresses.
    pub fn uses_template(self) -> bool {
        matches!(self, Layout::Letter(_) | Layout::Fax)
    }
}

impl From<Layout> for String {
    fn from(layout: Layout) -> String {
        layout.name()
    }
}

impl TryFrom<String> for Layout {
    type Error = String;

    fn try_from(name: String) -> Result<Layout, String> {
        name.parse()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layout_goes_by_its_name_and_back() {
        for layout in Layout::all() {
            let json = serde_json::to_string(&layout).unwrap();
            assert_eq!(json, format!("\"{}\"", layout.name()));
            assert_eq!(serde_json::from_str::<Layout>(&json).unwrap(), layout);
        }
        assert_eq!("fax".parse(), Ok(Layout::Fax));
        assert!("telex".parse::<Layout>().unwrap_err().contains("us-window, din-a, din-b, fax, envelope-10"));
    }
}
