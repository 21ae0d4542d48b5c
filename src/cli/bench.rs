//! `rolodeck bench …`: performance figures, printed. The targets live here rather than in
//! timed tests, which would fail on a busy machine without saying anything about the code.

use std::time::{Duration, Instant};

use clap::Subcommand;
use rolodeck::{Result, Store, contacts, demo};

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Search latency over a fixed set of queries on a fresh demo file
    Search {
        /// How many demo contacts the file holds
        #[arg(long, default_value_t = 100_000)]
        contacts: usize,
        /// How many times each query runs
        #[arg(long, default_value_t = 20)]
        rounds: usize,
    },
}

/// First keystrokes, half names, folded names, emails, phone digits, cities and tags.
const QUERIES: &[&str] = &[
    "a", "sm", "smi", "john", "mar", "lukasz", "muller", "weiss", "oystein", "acme", "summit fin", "555", "2065",
    "portland", "golf", "vip", "o'brien", "ann lee", "kra", "ирина", "chamber", "zzzz",
];

pub fn run(command: BenchCommand) -> Result<()> {
    match command {
        BenchCommand::Search { contacts, rounds } => bench_search(contacts, rounds),
    }
}

fn bench_search(count: usize, rounds: usize) -> Result<()> {
    let dir = tempfile_dir()?;
    let store = Store::open(dir.join("bench.db"))?;
    let started = Instant::now();
    demo::seed_demo(store.conn(), count, 1)?;
    println!("demo --count {count}: {:.2} s", started.elapsed().as_secs_f64());

    let mut timings = Vec::new();
    for _ in 0..rounds {
        for query in QUERIES {
            // What the list does on a keystroke: the count and the first screenful.
            let started = Instant::now();
            contacts::search_contacts(&store, query, 0, 100)?;
            timings.push(started.elapsed());
        }
    }
    timings.sort();
    let at = |q: f64| timings[((timings.len() - 1) as f64 * q).round() as usize];
    println!(
        "search over {count} contacts, {} queries × {rounds}: p50 {} ms, p95 {} ms, max {} ms",
        QUERIES.len(),
        ms(at(0.50)),
        ms(at(0.95)),
        ms(at(1.0))
    );
    for query in QUERIES {
        let started = Instant::now();
        let page = contacts::search_contacts(&store, query, 0, 100)?;
        println!("  {query:>12}  {:>7} matches  {} ms", page.total, ms(started.elapsed()));
    }
    drop(store);
    std::fs::remove_dir_all(dir)?;
    Ok(())
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

/// A fresh directory under the system temp dir for the benchmark's file.
fn tempfile_dir() -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("rolodeck-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
