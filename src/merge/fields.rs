//! Merge fields: what a template can say about the recipient, the sender and the day.
//! The address block follows the destination country's order (postal code before or after
//! the city) and names the country only when the letter goes abroad.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::images::{ImageId, delete_unused_images, image_exists};
use crate::contacts::custom::display_value;
use crate::contacts::{Address, Contact};
use crate::settings::{SENDER, get_setting, set_setting};
use crate::{Error, FieldError, Result};

/// The saved "My details" (blank until first saved).
pub fn saved_sender(conn: &rusqlite::Connection) -> Result<Sender> {
    Ok(get_setting(conn, SENDER)?.unwrap_or_default())
}

/// Saves "My details". Each image it names must be stored (see `images::add_image`); images
/// nothing names any more (replaced, removed) are deleted, except those a recorded run printed.
pub fn save_sender(conn: &rusqlite::Connection, sender: &Sender) -> Result<()> {
    crate::store::atomically(conn, |conn| {
        for (id, field) in [(sender.logo, "logo"), (sender.signature, "signature")] {
            if let Some(id) = id
                && !image_exists(conn, id)?
            {
                let message = format!("the {field} image is no longer in this file; choose it again");
                return Err(Error::Invalid(vec![FieldError::new(field, message)]));
            }
        }
        set_setting(conn, SENDER, sender)?;
        delete_unused_images(conn, sender)?;
        Ok(())
    })
}

/// The sender ("My details"): letterhead, return address, signature name and images. Saved
/// with `save_sender`, which checks the images it names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Sender {
    pub name: String,
    pub company: String,
    pub street: String,
    pub extra: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub country: String,
    pub phone: String,
    /// Printed on fax cover sheets.
    pub fax: String,
    pub email: String,
    pub website: String,
    /// The letterhead's logo (see `images`).
    pub logo: Option<ImageId>,
    /// The signature printed above the sender's name where a letter signs off.
    pub signature: Option<ImageId>,
}

impl Sender {
    pub fn address(&self) -> Address {
        Address {
            street: self.street.clone(),
            extra: self.extra.clone(),
            city: self.city.clone(),
            region: self.region.clone(),
            postal_code: self.postal_code.clone(),
            country: self.country.clone(),
            ..Default::default()
        }
    }

    /// The letterhead: name (or company) first, then the address and contact lines.
    pub fn letterhead(&self) -> Vec<String> {
        let mut lines = vec![first_non_empty(&[&self.company, &self.name]).to_string()];
        if !self.company.is_empty() && !self.name.is_empty() {
            lines.push(self.name.clone());
        }
        let address = address_lines(&self.address(), "");
        lines.push(address.join(" · "));
        let contact: Vec<&str> = [&self.phone, &self.email, &self.website]
            .into_iter()
            .map(String::as_str)
            .filter(|s| !s.is_empty())
            .collect();
        lines.push(contact.join(" · "));
        lines.retain(|l| !l.is_empty());
        lines
    }

    /// The one-line return address printed small above the recipient.
    pub fn return_line(&self) -> String {
        let mut parts = vec![first_non_empty(&[&self.name, &self.company]).to_string()];
        parts.extend(address_lines(&self.address(), ""));
        parts.retain(|p| !p.is_empty());
        if parts.len() < 2 { String::new() } else { parts.join(" · ") }
    }
}

/// How dates are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum DateStyle {
    /// November 26, 2026
    Us,
    /// 26 November 2026
    International,
    /// 26. November 2026
    German,
}

impl DateStyle {
    /// US style on US paper, German on DIN 5008 paper.
    pub fn default_for(paper: super::layout::Paper) -> DateStyle {
        match paper {
            super::layout::Paper::UsWindow => DateStyle::Us,
            super::layout::Paper::DinA | super::layout::Paper::DinB => DateStyle::German,
        }
    }
}

pub fn format_date(date: NaiveDate, style: DateStyle) -> String {
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const DE: [&str; 12] = [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ];
    let (d, m, y) = (date.day(), date.month0() as usize, date.year());
    match style {
        DateStyle::Us => format!("{} {d}, {y}", EN[m]),
        DateStyle::International => format!("{d} {} {y}", EN[m]),
        DateStyle::German => format!("{d}. {} {y}", DE[m]),
    }
}

/// Every field a template may use, named as the template names it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Fields {
    pub prefix: String,
    pub first_name: String,
    pub middle_name: String,
    pub last_name: String,
    pub suffix: String,
    pub nickname: String,
    pub full_name: String,
    pub company: String,
    pub job_title: String,
    pub email: String,
    pub phone: String,
    pub fax: String,
    pub street: String,
    pub extra: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub country: String,
    /// The postal address, one line per row, ready for a window.
    pub address_block: String,
    /// "Dear Ms. Lee", "Dear Ann", or "Dear Friend" when there is no name.
    pub greeting: String,
    pub today: String,
    pub sender: Sender,
    /// The contact's custom fields by key, as printed: `{{ custom.budget }}`.
    #[serde(rename = "custom")]
    pub custom_fields: std::collections::BTreeMap<String, String>,
    /// Fields beyond the built-in ones (columns of an imported list).
    #[serde(flatten)]
    pub custom: std::collections::BTreeMap<String, String>,
}

/// The names templates may use, for preflight's unknown-field check.
pub const FIELD_NAMES: &[&str] = &[
    "prefix",
    "first_name",
    "middle_name",
    "last_name",
    "suffix",
    "nickname",
    "full_name",
    "company",
    "job_title",
    "email",
    "phone",
    "fax",
    "street",
    "extra",
    "city",
    "region",
    "postal_code",
    "country",
    "address_block",
    "greeting",
    "today",
    "sender",
    "custom",
];

impl Fields {
    pub fn new(contact: &Contact, sender: &Sender, today: &str) -> Fields {
        let d = &contact.draft;
        let address = d.primary_address().cloned().unwrap_or_default();
        let primary = |values: &[crate::contacts::LabeledValue]| {
            values.iter().find(|v| v.primary).map(|v| v.value.clone()).unwrap_or_default()
        };
        let full_name = [&d.prefix, &d.given_name, &d.middle_name, &d.family_name, &d.suffix]
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let mut block = Vec::new();
        block.push(full_name.clone());
        block.push(d.company.clone());
        block.extend(address_lines(&address, &sender.country));
        block.retain(|l| !l.is_empty());
        Fields {
            greeting: greeting(&d.prefix, &d.given_name, &d.family_name),
            prefix: d.prefix.clone(),
            first_name: d.given_name.clone(),
            middle_name: d.middle_name.clone(),
            last_name: d.family_name.clone(),
            suffix: d.suffix.clone(),
            nickname: d.nickname.clone(),
            full_name,
            company: d.company.clone(),
            job_title: d.job_title.clone(),
            email: primary(&d.emails),
            phone: primary(&d.phones),
            fax: fax_number(d).unwrap_or_default().to_string(),
            street: address.street.clone(),
            extra: address.extra.clone(),
            city: address.city.clone(),
            region: address.region.clone(),
            postal_code: address.postal_code.clone(),
            country: address.country.clone(),
            address_block: block.join("\n"),
            today: today.to_string(),
            sender: sender.clone(),
            custom_fields: d.custom.iter().map(|(key, value)| (key.clone(), display_value(value))).collect(),
            custom: Default::default(),
        }
    }
}

/// The contact's fax number: the first phone labelled "fax".
pub fn fax_number(draft: &crate::contacts::ContactDraft) -> Option<&str> {
    draft.phones.iter().find(|p| p.label.eq_ignore_ascii_case("fax")).map(|p| p.value.as_str())
}

fn greeting(prefix: &str, given: &str, family: &str) -> String {
    match (prefix.is_empty(), given.is_empty(), family.is_empty()) {
        (false, _, false) => format!("Dear {prefix} {family}"),
        (_, false, _) => format!("Dear {given}"),
        (true, true, false) => format!("Dear {family}"),
        _ => "Dear Friend".to_string(),
    }
}

fn first_non_empty<'a>(values: &[&'a String]) -> &'a str {
    values.iter().find(|v| !v.is_empty()).map_or("", |v| v.as_str())
}

/// The street-to-country lines of an address, in the destination country's order; the
/// country line only when it differs from `home_country`.
pub fn address_lines(a: &Address, home_country: &str) -> Vec<String> {
    let mut lines = vec![a.street.clone(), a.extra.clone()];
    // An address without a country is at home, and a blank home is the US.
    let format = country_code(&a.country).or_else(|| country_code(home_country)).unwrap_or("US");
    match format {
        "US" | "CA" | "AU" => {
            let region = [a.region.as_str(), a.postal_code.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
            lines.push(
                [a.city.as_str(), region.as_str()]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", "),
            );
        }
        "GB" | "IE" => {
            lines.push(a.city.to_uppercase());
            lines.push(a.postal_code.clone());
        }
        _ => lines.push(format!("{} {}", a.postal_code, a.city).trim().to_string()),
    }
    if !a.country.is_empty() && !same_country(&a.country, home_country) {
        lines.push(a.country.to_uppercase());
    }
    lines.retain(|l| !l.is_empty());
    lines
}

/// Whether `country` prints on US Letter (the US and Canada; a blank country is the US).
pub fn uses_us_letter(country: &str) -> bool {
    matches!(country_code(country), None | Some("US" | "CA"))
}

/// Whether two ways of writing a country mean the same one; a blank home country is the US.
fn same_country(country: &str, home: &str) -> bool {
    let home = if home.trim().is_empty() { "US" } else { home };
    match (country_code(country), country_code(home)) {
        (Some(a), Some(b)) if a != "OTHER" || b != "OTHER" => a == b,
        _ => crate::fold::fold(country.trim()) == crate::fold::fold(home.trim()),
    }
}

/// A country's ISO code from the ways people write it; `None` for blank (treated as home)
/// and for countries whose format is the common European one.
fn country_code(country: &str) -> Option<&'static str> {
    let c = crate::fold::fold(country.trim());
    Some(match c.as_str() {
        "" => return None,
        "us" | "usa" | "u.s.a." | "u.s." | "united states" | "united states of america" | "america" => "US",
        "ca" | "canada" => "CA",
        "au" | "australia" => "AU",
        "gb" | "uk" | "united kingdom" | "great britain" | "england" | "scotland" | "wales" | "northern ireland" => {
            "GB"
        }
        "ie" | "ireland" | "eire" => "IE",
        "de" | "germany" | "deutschland" => "DE",
        _ => "OTHER",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(city: &str, postal: &str, region: &str, country: &str) -> Address {
        Address {
            street: "1 Main St".into(),
            city: city.into(),
            postal_code: postal.into(),
            region: region.into(),
            country: country.into(),
            ..Default::default()
        }
    }

    #[test]
    fn postal_code_goes_where_the_country_puts_it() {
        assert_eq!(
            address_lines(&address("Portland", "97201", "OR", "United States"), "US"),
            ["1 Main St", "Portland, OR 97201"]
        );
        assert_eq!(address_lines(&address("Berlin", "10115", "", "Germany"), "Germany"), ["1 Main St", "10115 Berlin"]);
        assert_eq!(
            address_lines(&address("London", "SW1A 1AA", "", "UK"), "United Kingdom"),
            ["1 Main St", "LONDON", "SW1A 1AA"]
        );
    }

    #[test]
    fn the_country_line_appears_only_abroad() {
        assert_eq!(
            address_lines(&address("Berlin", "10115", "", "Germany"), "United States").last().unwrap(),
            "GERMANY"
        );
        assert_eq!(address_lines(&address("Austin", "78701", "TX", "USA"), "").last().unwrap(), "Austin, TX 78701");
        assert_eq!(address_lines(&address("Austin", "78701", "TX", "USA"), "Germany").last().unwrap(), "USA");
        assert_eq!(address_lines(&address("Austin", "78701", "TX", ""), "Germany").last().unwrap(), "78701 Austin");
        assert_eq!(address_lines(&address("Paris", "75002", "", "France"), "Spain").last().unwrap(), "FRANCE");
        assert_eq!(address_lines(&address("Paris", "75002", "", "France"), "france").last().unwrap(), "75002 Paris");
        assert_eq!(
            address_lines(&address("Springfield", "62701", "IL", ""), "").last().unwrap(),
            "Springfield, IL 62701"
        );
    }

    #[test]
    fn dates_in_three_styles() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 26).unwrap();
        assert_eq!(format_date(d, DateStyle::Us), "March 26, 2026");
        assert_eq!(format_date(d, DateStyle::International), "26 March 2026");
        assert_eq!(format_date(d, DateStyle::German), "26. März 2026");
    }

    #[test]
    fn greeting_falls_back_when_the_name_is_missing() {
        assert_eq!(greeting("Ms.", "Ann", "Lee"), "Dear Ms. Lee");
        assert_eq!(greeting("", "Ann", "Lee"), "Dear Ann");
        assert_eq!(greeting("", "", ""), "Dear Friend");
    }
}
