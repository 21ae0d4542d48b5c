//! `rolodeck bench duplicates`: one duplicate scan over a file of demo contacts (whose names
//! repeat, as real ones do), as the Duplicates view runs it.

use std::time::Instant;

use rolodeck::quality::duplicates::find_duplicates;
use rolodeck::{Result, Store, demo};

use super::cpu_seconds;

pub fn bench_duplicates(contacts: usize) -> Result<()> {
    let dir = super::tempfile_dir()?;
    let store = Store::open(dir.join("duplicates.db"))?;
    demo::seed_demo(store.conn(), contacts, 1)?;
    let (started, cpu) = (Instant::now(), cpu_seconds());
    let pairs = find_duplicates(store.conn())?;
    println!(
        "duplicate scan of {contacts} contacts: {:.2} s ({:.2} s CPU), {} likely pairs; target < 5 s",
        started.elapsed().as_secs_f64(),
        cpu_seconds() - cpu,
        pairs.len()
    );
    drop(store);
    std::fs::remove_dir_all(dir)?;
    Ok(())
}
