//! `rolodeck quality`: how complete the file is and what to fix, contact by contact.

use chrono::Utc;
use clap::Args;
use rolodeck::quality::report::quality_report;
use rolodeck::{Result, Store};

#[derive(Debug, Args)]
pub struct QualityArgs {
    /// Months without an edit or an activity before a contact counts as stale
    #[arg(long, default_value_t = 12)]
    stale_months: u32,
    /// Show at most this many items
    #[arg(long, default_value_t = 50)]
    limit: usize,
}

pub fn run(store: &Store, args: QualityArgs) -> Result<()> {
    let report = quality_report(store.conn(), Utc::now(), args.stale_months)?;
    println!("{} contacts, {:.0} % complete", report.contacts, report.completeness * 100.0);
    let mut counts: Vec<_> = report.counts.iter().collect();
    counts.sort_by_key(|(kind, _)| format!("{kind:?}"));
    for (kind, count) in counts {
        println!("  {kind:?}: {count}");
    }
    for issue in report.issues.iter().take(args.limit) {
        println!("{}  {}: {}", issue.contact_id, issue.name, issue.detail);
    }
    Ok(())
}
