//! What each column means. `suggest_mapping` knows the names Google Contacts, Outlook (in
//! English, German and French), LinkedIn and everyday spreadsheets give their columns, in any
//! case, spacing or accents; the import screen shows the mapping and lets the user change it.
//! Columns no field fits are kept in the notes rather than dropped, except for known noise.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::fold::words;

/// Where a column's values go. Columns that describe one value together (an address's parts,
/// Google's "E-mail 1 - Label" beside "E-mail 1 - Value") share a `group`; 0 is a column of its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "field", rename_all = "camelCase")]
pub enum Target {
    Ignore,
    Prefix,
    GivenName,
    MiddleName,
    FamilyName,
    Suffix,
    /// "Ann Lee" or "Lee, Ann", split into given and family name when the row has neither.
    FullName,
    Nickname,
    Company,
    JobTitle,
    /// Google writes several values to a cell, separated by " ::: ".
    Email {
        label: String,
        group: u32,
    },
    Phone {
        label: String,
        group: u32,
    },
    /// Parts with the same group and label make one address.
    Address {
        label: String,
        group: u32,
        part: AddressPart,
    },
    /// The label of the group's values, overriding theirs; Google marks the primary one "* Work".
    Label {
        group: u32,
    },
    Website,
    /// `1980-05-17`, `--05-17`, `5/17/1980` or `17.05.1980`.
    Birthday,
    /// Split on Google's " ::: ", else Outlook's ";", else ",".
    Tags,
    Notes,
    /// No field fits: kept at the end of the notes as "Column name: value".
    KeepInNotes {
        group: u32,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AddressPart {
    Street,
    /// Apartment, suite, building: Outlook's "Street 2" and "Street 3", Google's "Extended Address".
    Extra,
    PoBox,
    City,
    Region,
    PostalCode,
    Country,
    /// The whole address in one cell, used only when the other parts are empty.
    Formatted,
}

/// One target per header, in order. Columns past its end are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMapping {
    pub columns: Vec<Target>,
}

/// Rolodeck's best reading of a header row.
pub fn suggest_mapping(headers: &[String]) -> ColumnMapping {
    let mut groups = Groups::default();
    let mut columns: Vec<Target> = headers.iter().map(|header| classify(header, &mut groups)).collect();
    settle_ambiguous(headers, &mut columns);
    ColumnMapping { columns }
}

/// Whether a cell reads as a column name Rolodeck knows, for telling the header row from a
/// preamble above it.
pub(super) fn is_known_header(cell: &str) -> bool {
    !matches!(classify(cell, &mut Groups::default()), Target::KeepInNotes { .. })
}

/// Numbers for Google's slots ("E-mail 1", "Address 2" …), from 1, in the order they appear.
#[derive(Default)]
struct Groups(HashMap<String, u32>);

impl Groups {
    fn of(&mut self, slot: String) -> u32 {
        let next = u32::try_from(self.0.len() + 1).unwrap_or(u32::MAX);
        *self.0.entry(slot).or_insert(next)
    }
}

fn classify(header: &str, groups: &mut Groups) -> Target {
    let words = words(header);
    if let Some(target) = google_slot(header, groups) {
        return target;
    }
    named(&words.join(" ")).unwrap_or_else(|| by_keywords(&words))
}

/// Google's numbered columns, "<Kind> <n> - <Part>": "E-mail 1 - Value", "Address 2 - City",
/// "Relation 1 - Label". Kinds the model has no field for are kept in the notes, labelled.
fn google_slot(header: &str, groups: &mut Groups) -> Option<Target> {
    let (slot, part) = header.split_once(" - ")?;
    let slot = words(slot);
    let (number, kind) = slot.split_last()?;
    if !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let group = groups.of(slot.join(" "));
    let other = || "other".to_string();
    Some(match (kind.join(" ").as_str(), words(part).join(" ").as_str()) {
        ("website", "label" | "type") => Target::Ignore,
        (_, "label" | "type" | "service") => Target::Label { group },
        ("e mail" | "email", "value") => Target::Email { label: other(), group },
        ("phone", "value") => Target::Phone { label: other(), group },
        ("website", "value") => Target::Website,
        ("organization", "name") => Target::Company,
        ("organization", "title") => Target::JobTitle,
        ("address", "formatted") => Target::Address { label: other(), group, part: AddressPart::Formatted },
        ("address", "extended address") => Target::Address { label: other(), group, part: AddressPart::Extra },
        ("address", part) => match address_part(&words(part)) {
            Some(part) => Target::Address { label: other(), group, part },
            None => Target::KeepInNotes { group },
        },
        _ => Target::KeepInNotes { group },
    })
}

/// Whole column names, folded ("Prénom" is "prenom", "Straße" is "strasse").
fn named(name: &str) -> Option<Target> {
    Some(match name {
        "name prefix" | "prefix" | "salutation" | "anrede" | "titel" | "civilite" => Target::Prefix,
        "first name" | "firstname" | "given name" | "forename" | "vorname" | "prenom" | "nombre" | "nome" => {
            Target::GivenName
        }
        "middle name" | "middle names" | "additional name" | "weitere vornamen" | "zweiter vorname"
        | "deuxieme prenom" => Target::MiddleName,
        "last name" | "lastname" | "family name" | "surname" | "nachname" | "familienname" | "nom"
        | "nom de famille" | "apellido" | "apellidos" | "cognome" => Target::FamilyName,
        "suffix" | "name suffix" | "suffixe" | "namenszusatz" => Target::Suffix,
        "name" | "full name" | "fullname" | "display name" | "contact" | "contact name" | "nom complet"
        | "vollstandiger name" => Target::FullName,
        "nickname" | "nick name" | "spitzname" | "rufname" | "surnom" => Target::Nickname,
        "company" | "company name" | "organization" | "organisation" | "organization name" | "firma" | "firmenname"
        | "unternehmen" | "societe" | "entreprise" | "employer" | "empresa" => Target::Company,
        // "title" may yet turn out to be Outlook's honorific; see `settle_ambiguous`.
        "title" | "titre" | "job title" | "jobtitle" | "position" | "organization title" | "role" | "job"
        | "berufsbezeichnung" | "fonction" | "poste" | "cargo" => Target::JobTitle,
        "web page" | "webpage" | "website" | "web site" | "url" | "homepage" | "home page" | "webseite"
        | "internet" | "page web" | "site web" | "site internet" | "linkedin" | "profile url" => Target::Website,
        "birthday"
        | "birth date"
        | "birthdate"
        | "date of birth"
        | "dob"
        | "geburtstag"
        | "geburtsdatum"
        | "anniversaire"
        | "date de naissance"
        | "fecha de nacimiento" => Target::Birthday,
        "labels" | "tags" | "tag" | "categories" | "category" | "groups" | "group membership" | "kategorien"
        | "kategorie" | "gruppen" | "etiquettes" => Target::Tags,
        "notes" | "note" | "notizen" | "notiz" | "comments" | "comment" | "remarks" | "bemerkungen" | "bemerkung"
        | "kommentar" | "commentaires" | "description" => Target::Notes,
        // Derived from other columns, bookkeeping, or Outlook defaults on every row ("Unspecified",
        // "Normal", "False") that would only clutter the notes.
        "initials"
        | "initialen"
        | "file as"
        | "gender"
        | "geschlecht"
        | "sensitivity"
        | "vertraulichkeit"
        | "priority"
        | "prioritat"
        | "private"
        | "privat"
        | "photo"
        | "internet free busy"
        | "phonetic first name"
        | "phonetic middle name"
        | "phonetic last name"
        | "yomi name"
        | "given name yomi"
        | "additional name yomi"
        | "family name yomi" => Target::Ignore,
        _ => return None,
    })
}

const EMAIL_WORDS: &[&str] = &["email", "mail", "courriel", "messagerie", "correo"];
/// Outlook's "E-mail Type" (always SMTP) and "E-mail Display Name" beside each address.
const EMAIL_NOISE: &[&str] = &["type", "typ", "display", "angezeigter", "affiche"];
const PHONE_WORDS: &[&str] = &[
    "phone",
    "telephone",
    "telefon",
    "tel",
    "telefono",
    "mobile",
    "mobil",
    "mobiltelefon",
    "handy",
    "cell",
    "fax",
    "telefax",
    "telecopie",
    "pager",
    "callback",
    "isdn",
    "telex",
];

/// Columns named by what they hold and whose it is: "Business Phone", "Telefon privat",
/// "E-Mail 2: Adresse", "Home Street 2", "Code postal (bureau)".
fn by_keywords(words: &[String]) -> Target {
    let has = |list: &[&str]| list.iter().any(|phrase| has_phrase(words, phrase));
    let label = label_from(words).to_string();
    if has(EMAIL_WORDS) {
        return if has(EMAIL_NOISE) { Target::Ignore } else { Target::Email { label, group: 0 } };
    }
    if has(PHONE_WORDS) {
        return Target::Phone { label, group: 0 };
    }
    match address_part(words) {
        Some(part) => Target::Address { label, group: 0, part },
        None => Target::KeepInNotes { group: 0 },
    }
}

/// Checked in order: "Country/Region" is a country, "Home Address PO Box" a post office box.
const ADDRESS_PARTS: [(AddressPart, &[&str]); 6] = [
    (AddressPart::PoBox, &["po box", "p o box", "pobox", "postfach"]),
    (AddressPart::Country, &["country", "land", "pays", "nation"]),
    (AddressPart::PostalCode, &["postal code", "postcode", "zip", "plz", "postleitzahl", "code postal"]),
    (AddressPart::Region, &["state", "region", "province", "county", "bundesland", "provinz", "kanton"]),
    (AddressPart::City, &["city", "town", "locality", "ort", "wohnort", "stadt", "ville"]),
    (AddressPart::Street, &["street", "strasse", "str", "rue", "address", "adresse", "anschrift", "calle"]),
];

/// A street column numbered 2 or more ("Business Street 2", "Address Line 2") holds the extra line.
fn address_part(words: &[String]) -> Option<AddressPart> {
    let (part, _) = ADDRESS_PARTS.iter().find(|(_, names)| names.iter().any(|name| has_phrase(words, name)))?;
    let line = words.last().and_then(|word| word.parse::<u32>().ok()).unwrap_or(1);
    Some(if *part == AddressPart::Street && line >= 2 { AddressPart::Extra } else { *part })
}

/// Rolodeck's stock label for a column's words, "other" when they name none.
fn label_from(words: &[String]) -> &'static str {
    const LABELS: [(&str, &[&str]); 4] = [
        ("fax", &["fax", "telefax", "telecopie"]),
        ("mobile", &["mobile", "mobil", "mobiltelefon", "handy", "cell", "cellular", "portable"]),
        ("work", &["work", "business", "office", "company", "geschaftlich", "dienstlich", "buro", "bureau", "travail"]),
        ("home", &["home", "private", "privat", "personal", "personnel", "domicile"]),
    ];
    LABELS
        .iter()
        .find(|(_, names)| names.iter().any(|name| has_phrase(words, name)))
        .map_or("other", |(label, _)| label)
}

/// Whether the words hold the phrase's words one after another.
fn has_phrase(words: &[String], phrase: &str) -> bool {
    let phrase: Vec<&str> = phrase.split(' ').collect();
    words.windows(phrase.len()).any(|run| run.iter().zip(&phrase).all(|(word, part)| word == part))
}

/// Two names mean different things by context. "Title" is the honorific in Outlook, which has
/// a "Job Title" beside it, and the job title in most spreadsheets. German lists often call the
/// family name "Name", next to "Vorname".
fn settle_ambiguous(headers: &[String], columns: &mut [Target]) {
    let job_titles = columns.iter().filter(|target| **target == Target::JobTitle).count();
    let given_only = columns.contains(&Target::GivenName) && !columns.contains(&Target::FamilyName);
    for (header, target) in headers.iter().zip(columns.iter_mut()) {
        match words(header).join(" ").as_str() {
            "title" | "titre" if job_titles > 1 => *target = Target::Prefix,
            "name" if given_only => *target = Target::FamilyName,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapping(headers: &[&str]) -> Vec<Target> {
        suggest_mapping(&headers.iter().map(|h| h.to_string()).collect::<Vec<_>>()).columns
    }

    fn email(label: &str, group: u32) -> Target {
        Target::Email { label: label.into(), group }
    }

    fn phone(label: &str) -> Target {
        Target::Phone { label: label.into(), group: 0 }
    }

    fn address(label: &str, group: u32, part: AddressPart) -> Target {
        Target::Address { label: label.into(), group, part }
    }

    #[test]
    fn reads_google_slots_and_ties_labels_to_their_values() {
        let columns = mapping(&[
            "First Name",
            "Organization Name",
            "E-mail 1 - Label",
            "E-mail 1 - Value",
            "E-mail 2 - Label",
            "E-mail 2 - Value",
            "Phone 1 - Value",
            "Address 1 - Label",
            "Address 1 - Street",
            "Address 1 - Extended Address",
            "Address 1 - Postal Code",
            "Website 1 - Label",
            "Website 1 - Value",
            "Relation 1 - Label",
            "Relation 1 - Value",
            "Labels",
        ]);
        assert_eq!(
            columns,
            [
                Target::GivenName,
                Target::Company,
                Target::Label { group: 1 },
                email("other", 1),
                Target::Label { group: 2 },
                email("other", 2),
                Target::Phone { label: "other".into(), group: 3 },
                Target::Label { group: 4 },
                address("other", 4, AddressPart::Street),
                address("other", 4, AddressPart::Extra),
                address("other", 4, AddressPart::PostalCode),
                Target::Ignore,
                Target::Website,
                Target::Label { group: 6 },
                Target::KeepInNotes { group: 6 },
                Target::Tags,
            ]
        );
    }

    #[test]
    fn reads_outlook_columns_with_their_labels() {
        let columns = mapping(&[
            "Title",
            "Job Title",
            "Business Street",
            "Business Street 2",
            "Business Country/Region",
            "Home Address PO Box",
            "Home Postal Code",
            "Business Phone",
            "Mobile Phone",
            "Business Fax",
            "Primary Phone",
            "E-mail Address",
            "E-mail Type",
            "E-mail 2 Display Name",
            "Gender",
            "Spouse",
        ]);
        assert_eq!(
            columns,
            [
                Target::Prefix,
                Target::JobTitle,
                address("work", 0, AddressPart::Street),
                address("work", 0, AddressPart::Extra),
                address("work", 0, AddressPart::Country),
                address("home", 0, AddressPart::PoBox),
                address("home", 0, AddressPart::PostalCode),
                phone("work"),
                phone("mobile"),
                phone("fax"),
                phone("other"),
                email("other", 0),
                Target::Ignore,
                Target::Ignore,
                Target::Ignore,
                Target::KeepInNotes { group: 0 },
            ]
        );
    }

    #[test]
    fn reads_german_and_french_names_whatever_the_case_and_accents() {
        let columns = mapping(&[
            "VORNAME",
            "nachname",
            "Firma",
            "Straße",
            "PLZ",
            "Ort",
            "Land",
            "Telefon geschäftlich",
            "Mobil",
            "E-Mail-Adresse",
            "Geburtstag",
            "Prénom",
            "Société",
            "Code postal (bureau)",
            "Adresse de messagerie",
        ]);
        assert_eq!(
            columns,
            [
                Target::GivenName,
                Target::FamilyName,
                Target::Company,
                address("other", 0, AddressPart::Street),
                address("other", 0, AddressPart::PostalCode),
                address("other", 0, AddressPart::City),
                address("other", 0, AddressPart::Country),
                phone("work"),
                phone("mobile"),
                email("other", 0),
                Target::Birthday,
                Target::GivenName,
                Target::Company,
                address("work", 0, AddressPart::PostalCode),
                email("other", 0),
            ]
        );
    }

    #[test]
    fn title_and_name_follow_the_columns_beside_them() {
        assert_eq!(mapping(&["Name", "Title"]), [Target::FullName, Target::JobTitle]);
        assert_eq!(mapping(&["Vorname", "Name"]), [Target::GivenName, Target::FamilyName]);
        assert_eq!(mapping(&["Titre", "Prénom", "Nom", "Fonction"])[0], Target::Prefix);
    }

    #[test]
    fn unknown_columns_are_kept_and_linkedin_is_known() {
        assert_eq!(
            mapping(&["First Name", "URL", "Email Address", "Position", "Connected On", ""]),
            [
                Target::GivenName,
                Target::Website,
                email("other", 0),
                Target::JobTitle,
                Target::KeepInNotes { group: 0 },
                Target::KeepInNotes { group: 0 },
            ]
        );
    }

    #[test]
    fn the_mapping_travels_as_json_for_the_import_screen() {
        let mapping = ColumnMapping { columns: vec![Target::GivenName, address("work", 2, AddressPart::PostalCode)] };
        let json = serde_json::to_string(&mapping).unwrap();
        assert_eq!(
            json,
            r#"{"columns":[{"field":"givenName"},{"field":"address","label":"work","group":2,"part":"postalCode"}]}"#
        );
        assert_eq!(serde_json::from_str::<ColumnMapping>(&json).unwrap(), mapping);
    }
}
