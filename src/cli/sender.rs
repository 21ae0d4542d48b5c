//! `rolodeck sender`: the "My details" that letterheads and return addresses print.

use std::io::Read;
use std::path::PathBuf;

use clap::Subcommand;
use rolodeck::merge::fields::Sender;
use rolodeck::settings::{SENDER, get_setting, set_setting};
use rolodeck::{Error, FieldError, Result, Store};

#[derive(Debug, Subcommand)]
pub enum SenderCommand {
    /// Print the saved details as JSON
    Show,
    /// Save details from a JSON file ("-" for standard input) with any of: name, company,
    /// street, extra, city, region, postal_code, country, phone, email, website
    Set { file: PathBuf },
}

pub fn run(store: &Store, command: SenderCommand) -> Result<()> {
    match command {
        SenderCommand::Show => {
            let sender: Sender = get_setting(store.conn(), SENDER)?.unwrap_or_default();
            println!("{}", serde_json::to_string_pretty(&sender).expect("sender serialises"));
        }
        SenderCommand::Set { file } => {
            let sender = read_sender(&file)?;
            set_setting(store.conn(), SENDER, &sender)?;
            println!("saved the sender details for {}", sender.name);
        }
    }
    Ok(())
}

/// Reads sender details from a JSON file, or standard input for "-".
pub fn read_sender(file: &PathBuf) -> Result<Sender> {
    let text = if file.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        text
    } else {
        std::fs::read_to_string(file)?
    };
    serde_json::from_str(&text)
        .map_err(|e| Error::Invalid(vec![FieldError::new("sender", format!("{}: {e}", file.display()))]))
}
