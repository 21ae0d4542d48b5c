//! Seeded, realistic demo contacts: the same seed always gives the same people, so a demo file,
//! a benchmark and a bug report can all be reproduced. About one contact in ten has a name or an
//! address from outside the English-speaking world (Łukasz in Kraków, Müller in Berlin, Øystein
//! in Oslo …), so folding, sorting and printing are exercised on every run.

use rusqlite::Connection;

use crate::Result;
use crate::contacts::{Address, Birthday, Circle, ContactDraft, LabeledValue, create_contacts};

const GIVEN: &[&str] = &[
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Chris",
    "Karen",
    "Daniel",
    "Nancy",
    "Matthew",
    "Lisa",
    "Anthony",
    "Betty",
    "Mark",
    "Sandra",
    "Paul",
    "Ashley",
    "Steven",
    "Emily",
    "Andrew",
    "Donna",
    "Kevin",
    "Michelle",
    "Brian",
    "Carol",
    "George",
    "Amanda",
    "Ann",
    "Grace",
    "Henry",
    "Olivia",
    "Noah",
    "Emma",
];
const FAMILY: &[&str] = &[
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Thompson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Hill",
    "Green",
    "Adams",
    "Baker",
    "Nelson",
    "Carter",
    "Mitchell",
    "Roberts",
    "Turner",
    "Phillips",
    "Campbell",
    "Parker",
    "Evans",
    "Edwards",
    "Collins",
    "Stewart",
    "Morris",
    "Murphy",
    "Cook",
    "Rogers",
    "O'Brien",
    "Reed",
    "Bailey",
];
/// International people: given name, family name, street, postal code, city, region, country.
const ABROAD: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
    ("Łukasz", "Wróbel", "ul. Floriańska 12", "31-019", "Kraków", "", "Poland"),
    ("Anna", "Müller", "Hauptstraße 5", "10115", "Berlin", "", "Germany"),
    ("Jürgen", "Weiß", "Schloßstraße 17", "70173", "Stuttgart", "", "Germany"),
    ("Øystein", "Bjørnstad", "Karl Johans gate 22", "0159", "Oslo", "", "Norway"),
    ("Søren", "Kierkegård", "Nørregade 7", "1165", "København K", "", "Denmark"),
    ("Zoë", "Dubois", "12 rue de la Paix", "75002", "Paris", "", "France"),
    ("José", "Núñez", "Calle de Alcalá 45", "28014", "Madrid", "", "Spain"),
    ("Françoise", "Lefèvre", "8 place Bellecour", "69002", "Lyon", "", "France"),
    ("Ólafur", "Þórsson", "Laugavegur 31", "101", "Reykjavík", "", "Iceland"),
    ("Đorđe", "Petrović", "Knez Mihailova 9", "11000", "Beograd", "", "Serbia"),
    ("Ирина", "Смирнова", "ул. Тверская, 7", "125009", "Москва", "", "Russia"),
    ("Σοφία", "Παπαδοπούλου", "Οδός Ερμού 15", "105 63", "Αθήνα", "", "Greece"),
    ("Björn", "Åström", "Drottninggatan 53", "111 21", "Stockholm", "", "Sweden"),
    ("Chiara", "Ferrari", "Via del Corso 101", "00186", "Roma", "RM", "Italy"),
    ("Siobhán", "Ó Súilleabháin", "14 Grafton Street", "D02 VF65", "Dublin", "", "Ireland"),
    ("Tomáš", "Dvořák", "Václavské náměstí 28", "110 00", "Praha", "", "Czech Republic"),
];
/// US cities with a ZIP prefix and state.
const CITIES: &[(&str, &str, &str)] = &[
    ("Springfield", "IL", "627"),
    ("Portland", "OR", "972"),
    ("Austin", "TX", "787"),
    ("Denver", "CO", "802"),
    ("Madison", "WI", "537"),
    ("Boise", "ID", "837"),
    ("Raleigh", "NC", "276"),
    ("Tucson", "AZ", "857"),
    ("Burlington", "VT", "054"),
    ("Savannah", "GA", "314"),
    ("Omaha", "NE", "681"),
    ("Salem", "MA", "019"),
];
const STREETS: &[&str] =
    &["Main St", "Oak Ave", "Maple Dr", "Cedar Ln", "Park Rd", "Elm St", "Lakeview Blvd", "Hillside Ct"];
const COMPANIES: &[&str] = &[
    "Acme Consulting",
    "Blue Harbor Realty",
    "Summit Financial",
    "Greenleaf Landscaping",
    "Northwind Traders",
    "Brightside Dental",
    "Keystone Insurance",
    "Riverbend Bakery",
    "Pioneer Accounting",
    "Silverline Design",
    "Oakridge Law",
    "Harbor & Finch",
    "Cobalt IT Services",
    "Evergreen Wellness",
    "Lumen Photography",
];
const TITLES: &[&str] =
    &["Owner", "Managing Partner", "Office Manager", "CFO", "Director", "Consultant", "Founder", "Accountant"];
const TAGS: &[&str] = &["prospect", "client", "referral", "newsletter", "golf", "vip", "seminar-2026", "board"];
const NOTES: &[&str] = &[
    "Met at the chamber of commerce breakfast.",
    "Prefers calls after 4 pm.",
    "Asked about retirement planning for next spring.",
    "Referred by a neighbour; send the welcome letter.",
    "",
    "",
];

/// A small deterministic generator (xorshift64*): demo data needs repeatability, not security.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// The `n` demo contacts for `seed`.
pub fn demo_contacts(n: usize, seed: u64) -> impl Iterator<Item = ContactDraft> {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    (0..n).map(move |i| demo_contact(&mut rng, i))
}

/// Adds `n` demo contacts to the file in one transaction.
pub fn seed_demo(conn: &Connection, n: usize, seed: u64) -> Result<usize> {
    Ok(create_contacts(conn, demo_contacts(n, seed))?.len())
}

fn demo_contact(rng: &mut Rng, i: usize) -> ContactDraft {
    let abroad = rng.chance(10);
    let (given, family, address) = if abroad {
        let &(given, family, street, postal, city, region, country) = rng.pick(ABROAD);
        let address = Address {
            street: street.into(),
            postal_code: postal.into(),
            city: city.into(),
            region: region.into(),
            country: country.into(),
            ..Default::default()
        };
        (given, family, address)
    } else {
        let &(city, state, zip) = rng.pick(CITIES);
        let address = Address {
            street: format!("{} {}", 100 + rng.below(9800), rng.pick(STREETS)),
            extra: if rng.chance(15) { format!("Suite {}", 100 + rng.below(400)) } else { String::new() },
            city: city.into(),
            region: state.into(),
            postal_code: format!("{zip}{:02}", rng.below(100)),
            country: "United States".into(),
            ..Default::default()
        };
        (*rng.pick(GIVEN), *rng.pick(FAMILY), address)
    };
    let company = if rng.chance(70) { rng.pick(COMPANIES).to_string() } else { String::new() };
    let domain = if company.is_empty() { "example.com".to_string() } else { format!("{}.example", slug(&company)) };
    let local = format!("{}.{}{}", slug(given), slug(family), i);
    let mut emails = vec![LabeledValue { label: "work".into(), value: format!("{local}@{domain}"), primary: true }];
    if rng.chance(30) {
        emails.push(LabeledValue { label: "home".into(), value: format!("{local}@mail.example"), primary: false });
    }
    let area = 200 + rng.below(700);
    let phones = vec![LabeledValue {
        label: if rng.chance(60) { "mobile" } else { "work" }.into(),
        value: format!("+1 ({area}) {:03}-{:04}", 200 + rng.below(800), rng.below(10_000)),
        primary: true,
    }];
    let tags = (0..rng.below(3)).map(|_| rng.pick(TAGS).to_string()).collect();
    let birthday = rng.chance(40).then(|| Birthday {
        year: rng.chance(70).then(|| 1950 + rng.below(55) as i32),
        month: 1 + rng.below(12) as u32,
        day: 1 + rng.below(28) as u32,
    });
    ContactDraft {
        given_name: given.into(),
        family_name: family.into(),
        middle_name: if rng.chance(10) { format!("{}.", (b'A' + rng.below(26) as u8) as char) } else { String::new() },
        job_title: if company.is_empty() { String::new() } else { rng.pick(TITLES).to_string() },
        company,
        emails,
        phones,
        addresses: vec![Address { label: "work".into(), primary: true, ..address }],
        birthday,
        circle: *rng.pick(&[Circle::Business, Circle::Business, Circle::Business, Circle::Personal, Circle::Both]),
        tags,
        notes: rng.pick(NOTES).to_string(),
        ..Default::default()
    }
}

/// Lower-case ASCII letters of a name, for made-up email addresses ("contact" for names in
/// other scripts).
fn slug(text: &str) -> String {
    let slug: String = crate::fold::fold(text).chars().filter(char::is_ascii_alphanumeric).collect();
    if slug.is_empty() { "contact".into() } else { slug }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_people() {
        let a: Vec<_> = demo_contacts(50, 7).collect();
        let b: Vec<_> = demo_contacts(50, 7).collect();
        assert_eq!(a, b);
        assert_ne!(a, demo_contacts(50, 8).collect::<Vec<_>>());
    }

    #[test]
    fn about_one_in_ten_is_international() {
        let abroad = demo_contacts(2000, 1)
            .filter(|c| {
                !c.given_name.is_ascii() || !c.family_name.is_ascii() || c.addresses[0].country != "United States"
            })
            .count();
        assert!((120..=300).contains(&abroad), "{abroad} of 2000");
    }
}
