//! Tags with colours, people at companies and households, over a real file.

mod common;

use common::{person, temp_store};
use rolodeck::contacts::tags::{list_tags, set_tag_color};
use rolodeck::contacts::{self, ContactDraft};
use rolodeck::export::json::{export_json, restore_json};
use rolodeck::workflow::links::{
    company_people, contact_links, create_household, delete_household, get_household, list_households,
    rename_household, set_company, set_household,
};

#[test]
fn tags_list_with_their_colour_and_live_count() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let tagged = |given: &str, tags: &[&str]| ContactDraft {
        tags: tags.iter().map(|t| t.to_string()).collect(),
        ..person(given, "Lee")
    };
    let ids = contacts::create_contacts(conn, [tagged("Ann", &["VIP", "golf"]), tagged("Bo", &["golf"])]).unwrap();
    contacts::trash_contact(conn, ids[1]).unwrap();

    assert_eq!(set_tag_color(conn, "vip", Some("#F5A")).unwrap().color.as_deref(), Some("#ff55aa"));
    let listed: Vec<_> = list_tags(conn).unwrap().into_iter().map(|t| (t.name, t.color, t.contacts)).collect();
    assert_eq!(
        listed,
        [("golf".to_string(), None, 1), ("VIP".to_string(), Some("#ff55aa".to_string()), 1)],
        "by name in any case; the trashed contact is not counted"
    );

    let bad = set_tag_color(conn, "golf", Some("green")).unwrap_err();
    assert_eq!(bad.to_string(), "“green” is not a colour; write it as # and six hex digits, e.g. #3b82f6");
    assert!(set_tag_color(conn, "tennis", Some("#000000")).unwrap_err().to_string().contains("no tag “tennis”"));
    assert_eq!(set_tag_color(conn, "VIP", None).unwrap().color, None);
}

#[test]
fn a_company_page_lists_its_people_and_links_stay_one_level_deep() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let company = |name: &str| ContactDraft { company: name.into(), ..Default::default() };
    let ids =
        contacts::create_contacts(conn, [company("Acme"), person("Bo", "Chen"), person("Ann", "Lee"), company("Big")])
            .unwrap();
    let (acme, bo, ann, big) = (ids[0], ids[1], ids[2], ids[3]);
    set_company(conn, ann, Some(acme)).unwrap();
    set_company(conn, bo, Some(acme)).unwrap();
    let names = |people: Vec<rolodeck::workflow::links::Member>| -> Vec<String> {
        people.into_iter().map(|m| m.name).collect()
    };
    assert_eq!(names(company_people(conn, acme).unwrap()), ["Bo Chen", "Ann Lee"]);
    assert_eq!(contact_links(conn, ann).unwrap().company.map(|c| c.name), Some("Acme".into()));

    let refused = |person, company| set_company(conn, person, Some(company)).unwrap_err().to_string();
    assert_eq!(refused(acme, acme), "A contact can’t work at itself.");
    assert_eq!(refused(big, ann), "Ann Lee belongs to Acme itself; link to Acme instead.");
    assert_eq!(refused(acme, big), "Acme is a company with 2 people; it can’t belong to another.");

    contacts::trash_contact(conn, bo).unwrap();
    assert_eq!(names(company_people(conn, acme).unwrap()), ["Ann Lee"], "the Trash is not on the page");
    set_company(conn, ann, None).unwrap();
    assert_eq!(contact_links(conn, ann).unwrap().company, None);
    contacts::delete_contact(conn, acme).unwrap();
    assert_eq!(contact_links(conn, bo).unwrap().company, None, "deleting the company unlinks its people");
}

#[test]
fn households_group_people_and_survive_the_json_export() {
    let (_dir, store) = temp_store();
    let conn = store.conn();
    let ids =
        contacts::create_contacts(conn, [person("Ann", "Lee"), person("Ben", "Lee"), person("Cy", "Dee")]).unwrap();
    let lees = create_household(conn, "  The Lee   family ").unwrap();
    assert_eq!(lees.name, "The Lee family");
    set_household(conn, ids[0], Some(lees.id)).unwrap();
    set_household(conn, ids[1], Some(lees.id)).unwrap();
    let members: Vec<_> = get_household(conn, lees.id).unwrap().members.into_iter().map(|m| m.contact_id).collect();
    assert_eq!(members, [ids[0], ids[1]]);
    assert_eq!(contact_links(conn, ids[1]).unwrap().household.map(|h| h.name), Some("The Lee family".into()));
    assert_eq!(create_household(conn, " ").unwrap_err().kind(), "invalid");
    assert_eq!(set_household(conn, ids[2], Some(uuid::Uuid::now_v7())).unwrap_err().kind(), "not_found");
    rename_household(conn, lees.id, "Ann & Ben Lee").unwrap();

    let (_dir2, fresh) = temp_store();
    restore_json(fresh.conn(), &export_json(conn).unwrap()).unwrap();
    assert_eq!(list_households(fresh.conn()).unwrap(), list_households(conn).unwrap());
    assert_eq!(list_households(conn).unwrap()[0].members.len(), 2);

    delete_household(conn, lees.id).unwrap();
    assert!(list_households(conn).unwrap().is_empty());
    assert_eq!(contact_links(conn, ids[0]).unwrap().household, None, "its people stay, in no household");
    assert_eq!(contacts::count_contacts(conn).unwrap(), 3);
}
