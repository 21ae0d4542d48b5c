//! The `rolodeck` command: the core, from a shell.

use std::process::ExitCode;

use clap::Parser;

mod cli;

fn main() -> ExitCode {
    // `rolodeck contacts search … | head` ends quietly when `head` has seen enough, as Unix
    // tools do; Rust would otherwise panic on the closed pipe.
    #[cfg(unix)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
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
