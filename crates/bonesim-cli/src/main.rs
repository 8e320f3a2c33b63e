//! `bonesim`, the command line of the bonesim engine: run, validate and list scenarios, run
//! the virtual experiments.
//!
//! `main` only parses the flags, calls [`commands::dispatch`] and turns the outcome into an
//! exit code: 0 success, 2 bad input (scenario, flags, files, images), 1 anything else.

mod bench;
mod checkpoint;
mod cli;
mod collect;
mod commands;
mod error;
mod experiments;
mod output;
mod run;
mod signals;
mod slurm;
mod snapshot;
mod sweep;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Clap prints its own usage errors and exits with 2 (0 for --help and --version).
    let cli = cli::Cli::parse();
    // A panic is a bug, not bad input: the default hook has printed it; exit 1. Unwinding
    // runs the output folder's guard, so no half-written folder is left behind.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| commands::dispatch(cli)));
    match outcome {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(err)) if error::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Ok(Err(err)) => {
            report(&err);
            ExitCode::from(error::exit_code(&err))
        }
        Err(_) => ExitCode::from(1),
    }
}

#[allow(clippy::print_stderr, reason = "the one place errors reach the user")]
fn report(err: &anyhow::Error) {
    eprintln!("error: {err:#}");
}
