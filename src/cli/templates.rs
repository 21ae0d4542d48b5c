//! `rolodeck templates`: the letter templates in the file (samples and your own).

use std::path::PathBuf;

use clap::Subcommand;
use rolodeck::merge::library::{delete_template, find_template, list_templates, save_template};
use rolodeck::{Error, Result, Store};

#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// List the templates (samples are marked)
    List,
    /// Print a template's text
    Show { name: String },
    /// Save a template from a file (replacing one of the same name; a sample's name replaces
    /// the sample)
    Save { name: String, file: PathBuf },
    /// Delete a saved template (a sample it replaced comes back)
    Delete { name: String },
}

pub fn run(store: &Store, command: TemplatesCommand) -> Result<()> {
    let conn = store.conn();
    match command {
        TemplatesCommand::List => {
            for t in list_templates(conn)? {
                println!("{}{}", t.name, if t.sample { "  (sample)" } else { "" });
            }
        }
        TemplatesCommand::Show { name } => {
            let found = find_template(conn, &name)?
                .ok_or_else(|| Error::Missing(format!("no template “{name}”; see `rolodeck templates list`")))?;
            print!("{}", found.source);
        }
        TemplatesCommand::Save { name, file } => {
            let saved = save_template(conn, &name, &std::fs::read_to_string(&file)?)?;
            println!("saved template “{}”", saved.name);
        }
        TemplatesCommand::Delete { name } => {
            let existed = delete_template(conn, &name)?;
            println!("{}", if existed { format!("deleted “{name}”") } else { format!("no saved template “{name}”") });
        }
    }
    Ok(())
}
