//! `rolodeck export --out FILE.vcf|FILE.csv|FILE.json`: every live contact as vCard 4.0, or
//! as CSV with Google Contacts' headers (Personal-circle contacts stay home unless asked for);
//! or, as JSON, everything in the file, for a backup that outlives the app.

use std::path::PathBuf;

use clap::Args;
use rolodeck::export::contacts_to_export;
use rolodeck::export::csv::write_csv;
use rolodeck::export::json::export_json;
use rolodeck::export::vcard::write_vcards;
use rolodeck::{Result, Store};

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The file to write: .vcf (vCard 4.0), .csv (Google's headers) or .json (everything)
    #[arg(long)]
    out: PathBuf,
    /// Include contacts in the Personal circle
    #[arg(long)]
    include_personal: bool,
}

pub fn run(store: &Store, args: ExportArgs) -> Result<()> {
    if args.out.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
        let document = export_json(store.conn())?;
        std::fs::write(&args.out, serde_json::to_string_pretty(&document).expect("JSON serialises"))?;
        println!("exported everything in {} to {}", store.path().display(), args.out.display());
        return Ok(());
    }
    let drafts = contacts_to_export(store, args.include_personal)?;
    let is_csv = args.out.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    std::fs::write(&args.out, if is_csv { write_csv(&drafts) } else { write_vcards(&drafts) })?;
    println!("exported {} contacts to {}", drafts.len(), args.out.display());
    Ok(())
}
