//! `rolodeck duplicates`: likely duplicate pairs, most certain first, with the reasons.

use clap::Args;
use rolodeck::quality::duplicates::find_duplicates;
use rolodeck::{Result, Store};

#[derive(Debug, Args)]
pub struct DuplicatesArgs {
    /// Show at most this many pairs
    #[arg(long, default_value_t = 50)]
    limit: usize,
}

pub fn run(store: &Store, args: DuplicatesArgs) -> Result<()> {
    let pairs = find_duplicates(store.conn())?;
    for pair in pairs.iter().take(args.limit) {
        println!("{:>4.0} %  {}  ~  {}: {}", pair.score * 100.0, pair.a_name, pair.b_name, pair.reasons.join("; "));
        println!("         {}  {}", pair.a, pair.b);
    }
    println!("{} likely duplicate pairs", pairs.len());
    Ok(())
}
