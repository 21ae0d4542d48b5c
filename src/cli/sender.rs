//! `rolodeck sender`: the "My details" that letterheads and return addresses print, and the
//! logo and signature images letters carry.

use std::io::Read;
use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use rolodeck::merge::fields::{Sender, save_sender, saved_sender};
use rolodeck::merge::images::add_image_file;
use rolodeck::{Error, FieldError, Result, Store};

#[derive(Debug, Subcommand)]
pub enum SenderCommand {
    /// Print the saved details as JSON
    Show,
    /// Save details from a JSON file ("-" for standard input) with any of: name, company,
    /// street, extra, city, region, postal_code, country, phone, email, website (the logo and
    /// signature stay as they are unless the file names them)
    Set { file: PathBuf },
    /// Set the letterhead logo or the signature from a PNG or JPEG file (at most 2 MB), or
    /// remove it with --remove
    Image {
        which: Which,
        #[arg(required_unless_present = "remove")]
        file: Option<PathBuf>,
        #[arg(long, conflicts_with = "file")]
        remove: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Which {
    Logo,
    Signature,
}

pub fn run(store: &Store, command: SenderCommand) -> Result<()> {
    let conn = store.conn();
    match command {
        SenderCommand::Show => {
            println!("{}", serde_json::to_string_pretty(&saved_sender(conn)?).expect("sender serialises"));
        }
        SenderCommand::Set { file } => {
            let sender = read_sender(&file, &saved_sender(conn)?)?;
            save_sender(conn, &sender)?;
            println!("saved the sender details for {}", sender.name);
        }
        SenderCommand::Image { which, file, .. } => {
            let mut sender = saved_sender(conn)?;
            let added = file.map(|path| add_image_file(conn, &path)).transpose()?;
            let slot = match which {
                Which::Logo => &mut sender.logo,
                Which::Signature => &mut sender.signature,
            };
            *slot = added.as_ref().map(|image| image.id);
            save_sender(conn, &sender)?;
            let what = format!("{which:?}").to_lowercase();
            match added {
                Some(image) => {
                    println!("saved the {what}: {} × {} pixels, {}", image.width, image.height, image.format.mime())
                }
                None => println!("removed the {what}"),
            }
        }
    }
    Ok(())
}

/// Reads sender details from a JSON file, or standard input for "-"; a logo or signature the
/// file does not name is kept from `saved`.
pub fn read_sender(file: &PathBuf, saved: &Sender) -> Result<Sender> {
    let text = if file.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        text
    } else {
        std::fs::read_to_string(file)?
    };
    let invalid =
        |e: serde_json::Error| Error::Invalid(vec![FieldError::new("sender", format!("{}: {e}", file.display()))]);
    let json: serde_json::Value = serde_json::from_str(&text).map_err(invalid)?;
    let mut sender: Sender = serde_json::from_value(json.clone()).map_err(invalid)?;
    if json.get("logo").is_none() {
        sender.logo = saved.logo;
    }
    if json.get("signature").is_none() {
        sender.signature = saved.signature;
    }
    Ok(sender)
}
