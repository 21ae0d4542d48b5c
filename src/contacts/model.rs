//! The contact as the rest of the program sees it: a `ContactDraft` is what a form, an import
//! or the CLI hands in; a `Contact` is a stored draft with its id and timestamps; a
//! `ContactRow` is the slim line the list shows.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub type ContactId = Uuid;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ContactDraft {
    pub prefix: String,
    pub given_name: String,
    pub middle_name: String,
    pub family_name: String,
    pub suffix: String,
    pub nickname: String,
    pub company: String,
    pub job_title: String,
    pub emails: Vec<LabeledValue>,
    pub phones: Vec<LabeledValue>,
    pub addresses: Vec<Address>,
    pub websites: Vec<String>,
    pub birthday: Option<Birthday>,
    pub circle: Circle,
    pub tags: Vec<String>,
    pub notes: String,
    /// Custom field values by field key (see `contacts::custom`); `null` is blank.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub custom: BTreeMap<String, serde_json::Value>,
}

/// An email or a phone number with its label ("work", "mobile" …).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LabeledValue {
    pub label: String,
    pub value: String,
    pub primary: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Address {
    pub label: String,
    pub street: String,
    pub extra: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub country: String,
    pub primary: bool,
}

/// A birthday, with or without the year (vCard's `--MM-DD`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Birthday {
    pub year: Option<i32>,
    pub month: u32,
    pub day: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Circle {
    #[default]
    Business,
    Personal,
    Both,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    pub id: ContactId,
    pub display_name: String,
    #[serde(flatten)]
    pub draft: ContactDraft,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactRow {
    pub id: ContactId,
    pub display_name: String,
    pub company: String,
    pub job_title: String,
    pub primary_email: Option<String>,
    pub primary_phone: Option<String>,
    pub city: Option<String>,
    pub tags: Vec<String>,
    pub deleted_at: Option<DateTime<Utc>>,
}

impl ContactDraft {
    /// The address letters go to: the one marked primary, else the first.
    pub fn primary_address(&self) -> Option<&Address> {
        self.addresses.iter().find(|a| a.primary).or(self.addresses.first())
    }
}

impl Circle {
    pub fn as_str(self) -> &'static str {
        match self {
            Circle::Business => "business",
            Circle::Personal => "personal",
            Circle::Both => "both",
        }
    }

    pub fn parse(text: &str) -> Option<Circle> {
        match text {
            "business" => Some(Circle::Business),
            "personal" => Some(Circle::Personal),
            "both" => Some(Circle::Both),
            _ => None,
        }
    }
}

impl Birthday {
    /// `1980-05-17`, or `--05-17` without a year, as vCard writes it.
    pub fn to_text(self) -> String {
        match self.year {
            Some(year) => format!("{year:04}-{:02}-{:02}", self.month, self.day),
            None => format!("--{:02}-{:02}", self.month, self.day),
        }
    }

    pub fn parse(text: &str) -> Option<Birthday> {
        let (year, rest) = match text.strip_prefix("--") {
            Some(rest) => (None, rest),
            None => {
                let (year, rest) = text.split_once('-')?;
                (Some(year.parse().ok()?), rest)
            }
        };
        let (month, day) = rest.split_once('-')?;
        Some(Birthday { year, month: month.parse().ok()?, day: day.parse().ok()? })
    }
}

/// "Dr. Ann B. Lee Jr.", falling back to the nickname, the company, then the first email.
pub fn display_name(draft: &ContactDraft) -> String {
    let parts = [&draft.prefix, &draft.given_name, &draft.middle_name, &draft.family_name, &draft.suffix];
    let name = parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ");
    [name.as_str(), draft.nickname.trim(), draft.company.trim()]
        .into_iter()
        .chain(draft.emails.iter().map(|e| e.value.trim()))
        .find(|s| !s.is_empty())
        .unwrap_or("(no name)")
        .to_string()
}
