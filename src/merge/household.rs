//! One letter per household: recipients linked to the same household (see
//! `workflow::links`), or else whose primary postal address is the same once folded (case,
//! accents, spacing and punctuation don't count), get one letter between them. The
//! first of them in print order is the addressee and the letter names them all: "Anna & Piotr
//! Nowak" when they share a family name, else "Anna Nowak & Bob Smith" (three or more: "Anna,
//! Piotr & Ewa Nowak"). The others are skipped with "same household as <addressee>".

use std::collections::HashMap;

use super::fields::{Fields, address_lines};
use super::letters::Skipped;
use uuid::Uuid;

use crate::contacts::{Address, Contact, ContactId};
use crate::fold::{fold, words};

/// Groups `recipients` into households — by the household each is `linked` to, else by
/// address — each in print order and placed where its first member was; returns them with
/// everyone left out and why.
pub fn group_households<'a>(
    recipients: &[&'a Contact],
    linked: &HashMap<ContactId, Uuid>,
) -> (Vec<Vec<&'a Contact>>, Vec<Skipped>) {
    let mut households: Vec<Vec<&Contact>> = Vec::new();
    let mut by_address: HashMap<String, usize> = HashMap::new();
    let mut skipped = Vec::new();
    for &contact in recipients {
        let key = match linked.get(&contact.id) {
            Some(household) => format!("household {household}"),
            None => contact.draft.primary_address().map(address_key).unwrap_or_default(),
        };
        match by_address.get(&key).filter(|_| !key.is_empty()) {
            Some(&index) => {
                let addressee = &households[index][0].display_name;
                skipped.push(Skipped {
                    name: contact.display_name.clone(),
                    reason: format!("same household as {addressee}"),
                });
                households[index].push(contact);
            }
            None => {
                by_address.insert(key, households.len());
                households.push(vec![contact]);
            }
        }
    }
    (households, skipped)
}

/// An address folded to its words, so "12 Oak Ave." and "12 oak  ave" are one household.
pub fn address_key(a: &Address) -> String {
    [&a.street, &a.extra, &a.postal_code, &a.city, &a.country]
        .iter()
        .flat_map(|part| words(part))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The name a household's letter is addressed to.
pub fn household_name(members: &[&Contact]) -> String {
    let given: Vec<String> = members.iter().map(|c| c.draft.given_name.clone()).collect();
    let family = &members[0].draft.family_name;
    let one_family = !family.is_empty()
        && given.iter().all(|g| !g.is_empty())
        && members.iter().all(|c| fold(&c.draft.family_name) == fold(family));
    if one_family {
        format!("{} {family}", and_list(&given))
    } else {
        and_list(&members.iter().map(|c| c.display_name.clone()).collect::<Vec<_>>())
    }
}

/// Readdresses one letter's fields to the whole household: the address block opens with the
/// household's name (and drops the addressee's company), `full_name` is that name,
/// `first_name` joins the given names, and the greeting says "Dear Anna & Piotr".
pub fn address_to_household(fields: &mut Fields, members: &[&Contact], home_country: &str) {
    if members.len() < 2 {
        return;
    }
    let name = household_name(members);
    let given: Vec<String> = members.iter().map(|c| c.draft.given_name.clone()).collect();
    let address = members[0].draft.primary_address().cloned().unwrap_or_default();
    let mut block = vec![name.clone()];
    block.extend(address_lines(&address, home_country));
    fields.address_block = block.join("\n");
    fields.greeting = if given.iter().all(|g| !g.is_empty()) {
        fields.first_name = and_list(&given);
        format!("Dear {}", fields.first_name)
    } else {
        format!("Dear {name}")
    };
    fields.full_name = name;
}

/// "A", "A & B", "A, B & C".
fn and_list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} & {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contacts::ContactDraft;

    fn contact(given: &str, family: &str, street: &str) -> Contact {
        let draft = ContactDraft {
            given_name: given.into(),
            family_name: family.into(),
            addresses: vec![Address {
                street: street.into(),
                city: "Kraków".into(),
                postal_code: "31-019".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let now = chrono::Utc::now();
        Contact {
            id: uuid::Uuid::now_v7(),
            display_name: format!("{given} {family}"),
            draft,
            created_at: now,
            updated_at: now,
            deleted_at: None,
        }
    }

    #[test]
    fn one_address_written_two_ways_is_one_household() {
        let anna = contact("Anna", "Nowak", "ul. Floriańska 12");
        let piotr = contact("Piotr", "NOWAK", "Ul  Florianska, 12.");
        let bob = contact("Bob", "Smith", "ul. Floriańska 14");
        let (households, skipped) = group_households(&[&anna, &bob, &piotr], &HashMap::new());
        assert_eq!(households.len(), 2);
        assert_eq!(households[0].len(), 2);
        assert_eq!(skipped.len(), 1);
        assert_eq!(
            (skipped[0].name.as_str(), skipped[0].reason.as_str()),
            ("Piotr NOWAK", "same household as Anna Nowak")
        );
    }

    #[test]
    fn a_linked_household_counts_whatever_the_addresses_say() {
        let anna = contact("Anna", "Nowak", "ul. Floriańska 12");
        let piotr = contact("Piotr", "Nowak", "Rynek 1"); // linked to Anna's household, elsewhere
        let bob = contact("Bob", "Smith", "ul. Floriańska 12"); // same address, but his own household
        let (home, other) = (Uuid::now_v7(), Uuid::now_v7());
        let linked = HashMap::from([(anna.id, home), (piotr.id, home), (bob.id, other)]);
        let (households, skipped) = group_households(&[&anna, &bob, &piotr], &linked);
        assert_eq!(households.iter().map(Vec::len).collect::<Vec<_>>(), [2, 1]);
        assert_eq!(skipped[0].reason, "same household as Anna Nowak");
    }

    #[test]
    fn names_share_a_family_name_or_are_listed_whole() {
        let anna = contact("Anna", "Nowak", "x");
        let piotr = contact("Piotr", "Nowak", "x");
        let ewa = contact("Ewa", "Nowak", "x");
        let bob = contact("Bob", "Smith", "x");
        assert_eq!(household_name(&[&anna, &piotr]), "Anna & Piotr Nowak");
        assert_eq!(household_name(&[&anna, &piotr, &ewa]), "Anna, Piotr & Ewa Nowak");
        assert_eq!(household_name(&[&anna, &bob]), "Anna Nowak & Bob Smith");
    }

    #[test]
    fn the_letter_is_addressed_and_greets_the_household() {
        let anna = contact("Anna", "Nowak", "ul. Floriańska 12");
        let piotr = contact("Piotr", "Nowak", "ul. Floriańska 12");
        let mut fields = Fields { company: "Acme".into(), ..Default::default() };
        address_to_household(&mut fields, &[&anna, &piotr], "Poland");
        assert_eq!(fields.address_block, "Anna & Piotr Nowak\nul. Floriańska 12\n31-019 Kraków");
        assert_eq!(fields.greeting, "Dear Anna & Piotr");
        assert_eq!(fields.full_name, "Anna & Piotr Nowak");
    }
}
