//! `rolodeck fields …`: the user's custom fields (add, list, rename, delete) and setting a
//! contact's values with `NAME=VALUE`, which `rolodeck contacts add --field` shares.

use std::collections::BTreeMap;

use clap::Subcommand;
use rolodeck::contacts::custom::{self, CustomField, FieldKind, NewField};
use rolodeck::contacts::{self};
use rolodeck::{Error, FieldError, Result, Store};
use serde_json::Value;

#[derive(Debug, Subcommand)]
pub enum FieldsCommand {
    /// The fields in form order, with the name templates use for each
    List,
    /// Add a field
    Add {
        name: String,
        #[arg(long, value_enum, default_value = "text")]
        kind: FieldKind,
        /// An option of a choice list (repeat, in order)
        #[arg(long = "option")]
        options: Vec<String>,
    },
    /// Rename a field (templates keep working: the key stays)
    Rename { name: String, new_name: String },
    /// Delete a field and every contact's value for it
    Delete { name: String },
    /// Set a contact's values: NAME=VALUE (an empty VALUE clears it)
    Set {
        /// The contact: an id, or a search that finds exactly one
        contact: String,
        #[arg(required = true, value_name = "NAME=VALUE")]
        values: Vec<String>,
    },
}

pub fn run(store: &Store, command: FieldsCommand) -> Result<()> {
    let conn = store.conn();
    let fields = custom::list_fields(conn)?;
    match command {
        FieldsCommand::List => {
            for field in &fields {
                let options =
                    if field.options.is_empty() { String::new() } else { format!(": {}", field.options.join(", ")) };
                println!("{}  ({}{options})  {{{{ custom.{} }}}}", field.name, field.kind.as_str(), field.key);
            }
            println!("{} fields", fields.len());
        }
        FieldsCommand::Add { name, kind, options } => {
            let field = custom::create_field(conn, &NewField { name, kind, options })?;
            println!("added “{}”; templates say {{{{ custom.{} }}}}", field.name, field.key);
        }
        FieldsCommand::Rename { name, new_name } => {
            let field = custom::rename_field(conn, custom::find_field(&fields, &name)?.id, &new_name)?;
            println!("renamed to “{}” (templates still say {{{{ custom.{} }}}})", field.name, field.key);
        }
        FieldsCommand::Delete { name } => {
            let field = custom::find_field(&fields, &name)?;
            let removed = custom::delete_field(conn, field.id)?;
            println!("deleted “{}” and {removed} values", field.name);
        }
        FieldsCommand::Set { contact, values } => {
            let id = super::workflow::resolve_contact(store, &contact)?;
            let mut draft = contacts::get_contact(conn, id)?.draft;
            assign(&fields, &values, &mut draft.custom)?;
            let saved = contacts::update_contact(conn, id, draft)?;
            print_values(&fields, &saved.draft.custom);
        }
    }
    Ok(())
}

/// Applies `NAME=VALUE` assignments (the name in any case, or the key) to a contact's values;
/// the values are checked when the contact is saved.
pub fn assign(fields: &[CustomField], assignments: &[String], values: &mut BTreeMap<String, Value>) -> Result<()> {
    for assignment in assignments {
        let (name, value) = assignment.split_once('=').ok_or_else(|| {
            Error::Invalid(vec![FieldError::new(
                "field",
                format!("“{assignment}” is not NAME=VALUE (e.g. --field Budget=1200)"),
            )])
        })?;
        let field = custom::find_field(fields, name)?;
        values.insert(field.key.clone(), Value::String(value.to_string()));
    }
    Ok(())
}

/// One line per field: its name and the contact's value (blank when unset).
pub fn print_values(fields: &[CustomField], values: &BTreeMap<String, Value>) {
    for field in fields {
        let value = values.get(&field.key).map(custom::display_value).unwrap_or_default();
        println!("{}: {value}", field.name);
    }
}
