//! `bonesim-viz`, the viewer of the bonesim engine: a bevy app that runs the same engine as
//! the `bonesim` command line (never a copy of its rules) and shows the bone
//! microenvironment as it changes, for a researcher to explore and a teacher to show.
//!
//! - [`setup`]: the command line to scenarios (loaded by `bonesim-scenario`, as `bonesim
//!   run` loads them, with the same errors);
//! - [`worker`]: the simulation thread and the mailbox it hands frames over by;
//! - [`app`]: the plugins and the order of the systems; [`state`]: what the viewer knows;
//! - [`tissue`], [`cells`], [`camera`]: what is drawn and how one looks at it;
//! - [`controls`], [`ui`], [`classroom`], [`capture`]: keys, panels, captions, screenshots.
//!
//! Exit codes: 0 success, 2 bad input (scenario, flags, files), 1 anything else.

mod app;
mod camera;
mod capture;
mod cells;
mod classroom;
mod cli;
mod controls;
mod setup;
mod state;
mod tissue;
mod ui;
mod worker;

#[cfg(test)]
mod tests;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Clap prints its own usage errors and exits with 2 (0 for --help and --version).
    let args = cli::Args::parse();
    let config = match setup::Config::from_args(&args) {
        Ok(c) => c,
        Err(e) => return fail(&e.to_string(), 2),
    };
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        return fail(
            "no display to open a window on (DISPLAY is not set). On a machine without one, run under a \
             virtual display: xvfb-run -a bonesim-viz …",
            1,
        );
    }
    let worker = match worker::Worker::new(config.lanes.clone(), &config.worker) {
        Ok(w) => w,
        Err(e) => return fail(&e.to_string(), 2),
    };
    let mut app = app::viewer_app(&config, worker.spawn());
    match app.run() {
        bevy::app::AppExit::Success => ExitCode::SUCCESS,
        bevy::app::AppExit::Error(code) => ExitCode::from(code.get()),
    }
}

#[allow(clippy::print_stderr, reason = "the one place errors reach the user")]
fn fail(message: &str, code: u8) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(code)
}
