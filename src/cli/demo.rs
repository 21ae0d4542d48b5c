//! `rolodeck demo --count N`: fill a file with seeded, realistic contacts.

use std::time::Instant;

use clap::Args;
use rolodeck::{Result, Store, demo};

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many contacts to add
    #[arg(long, default_value_t = 500)]
    count: usize,
    /// The seed: the same seed always gives the same people
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub fn run(store: &Store, args: DemoArgs) -> Result<()> {
    let started = Instant::now();
    let added = demo::seed_demo(store.conn(), args.count, args.seed)?;
    println!("added {added} demo contacts to {} in {:.2} s", store.path().display(), started.elapsed().as_secs_f64());
    Ok(())
}
