//! `rolodeck contacts …`: the contact verbs. Output is a readable table, or JSON with `--json`
//! for scripts.

use clap::{Args, Subcommand};
use rolodeck::contacts::{self, ContactDraft, ContactId, ContactRow, LabeledValue, custom};
use rolodeck::{Result, Store};
use serde::Serialize;

#[derive(Debug, Subcommand)]
pub enum ContactsCommand {
    /// Add a contact
    Add(AddArgs),
    /// List contacts in family-name order
    List(PageArgs),
    /// Show one contact in full (its custom fields last)
    Show {
        id: ContactId,
        #[arg(long)]
        json: bool,
    },
    /// Find contacts by the start of any word: name, company, email, phone digits, city, tag, note
    Search {
        query: String,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Move a contact to the Trash
    Trash { id: ContactId },
    /// Bring a contact back from the Trash
    Restore { id: ContactId },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    #[arg(long)]
    given: Option<String>,
    #[arg(long)]
    family: Option<String>,
    #[arg(long)]
    company: Option<String>,
    #[arg(long)]
    title: Option<String>,
    /// An email address (repeat for more; the first is primary)
    #[arg(long)]
    email: Vec<String>,
    /// A phone number (repeat for more; the first is primary)
    #[arg(long)]
    phone: Vec<String>,
    /// A tag (repeat for more)
    #[arg(long)]
    tag: Vec<String>,
    #[arg(long)]
    notes: Option<String>,
    /// A custom field's value: NAME=VALUE (repeat; see `rolodeck fields list`)
    #[arg(long = "field", value_name = "NAME=VALUE")]
    fields: Vec<String>,
    /// Print the stored contact as JSON
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct PageArgs {
    #[arg(long, default_value_t = 50)]
    limit: usize,
    #[arg(long, default_value_t = 0)]
    offset: usize,
    #[arg(long)]
    json: bool,
}

pub fn run(store: &Store, command: ContactsCommand) -> Result<()> {
    let conn = store.conn();
    match command {
        ContactsCommand::Add(mut args) => {
            let json = args.json;
            let assignments = std::mem::take(&mut args.fields);
            let mut draft = args.into_draft();
            super::fields::assign(&custom::list_fields(conn)?, &assignments, &mut draft.custom)?;
            let contact = contacts::create_contact(conn, draft)?;
            if json {
                print_json(&contact);
            } else {
                println!("added {} ({})", contact.display_name, contact.id);
            }
        }
        ContactsCommand::List(page) => {
            print_page(contacts::search_contacts(store, "", page.offset, page.limit)?, page.json)
        }
        ContactsCommand::Search { query, page } => {
            print_page(contacts::search_contacts(store, &query, page.offset, page.limit)?, page.json)
        }
        ContactsCommand::Show { id, json } => {
            let contact = contacts::get_contact(conn, id)?;
            if json {
                print_json(&contact);
            } else {
                // The JSON is already the complete, readable record; indent it for people, with
                // the custom fields by name rather than by key.
                let mut record = contact.clone();
                record.draft.custom.clear();
                println!("{}", serde_json::to_string_pretty(&record).expect("contacts serialise"));
                super::fields::print_values(&custom::list_fields(conn)?, &contact.draft.custom);
            }
        }
        ContactsCommand::Trash { id } => {
            contacts::trash_contact(conn, id)?;
            println!("moved {id} to the Trash (undo: rolodeck contacts restore {id})");
        }
        ContactsCommand::Restore { id } => {
            let contact = contacts::restore_contact(conn, id)?;
            println!("restored {}", contact.display_name);
        }
    }
    Ok(())
}

impl AddArgs {
    fn into_draft(self) -> ContactDraft {
        let values = |values: Vec<String>| {
            values.into_iter().map(|value| LabeledValue { value, ..Default::default() }).collect()
        };
        ContactDraft {
            given_name: self.given.unwrap_or_default(),
            family_name: self.family.unwrap_or_default(),
            company: self.company.unwrap_or_default(),
            job_title: self.title.unwrap_or_default(),
            emails: values(self.email),
            phones: values(self.phone),
            tags: self.tag,
            notes: self.notes.unwrap_or_default(),
            ..Default::default()
        }
    }
}

fn print_page(page: contacts::SearchPage, json: bool) {
    if json {
        return print_json(&page);
    }
    for row in &page.rows {
        println!("{}", row_line(row));
    }
    println!("({} shown of {})", page.rows.len(), page.total);
}

/// One contact as the CLI lists it: id, then name, company, email, phone and city.
pub(super) fn row_line(row: &ContactRow) -> String {
    let cells = [
        row.display_name.as_str(),
        &row.company,
        row.primary_email.as_deref().unwrap_or(""),
        row.primary_phone.as_deref().unwrap_or(""),
        row.city.as_deref().unwrap_or(""),
    ];
    format!("{}  {}", row.id, cells.iter().filter(|c| !c.is_empty()).copied().collect::<Vec<_>>().join(" · "))
}

fn print_json(value: &impl Serialize) {
    println!("{}", serde_json::to_string(value).expect("contacts serialise"));
}
