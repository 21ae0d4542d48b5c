//! The `rolodeck` command: the core, from a shell.

use std::process::ExitCode;

use clap::Parser;

mod cli;

fn main() -> ExitCode {
    let args = cli::Args::parse();
    match cli::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("rolodeck: {err}");
            for field in err.fields().iter().skip(1) {
                eprintln!("  {}: {}", field.field, field.message);
            }
            ExitCode::from(2)
        }
    }
}
