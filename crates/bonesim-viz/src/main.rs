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
    if let Err(why) = display_reachable() {
        return fail(&why, 1);
    }
    let worker = match worker::Worker::new(config.lanes.clone(), &config.worker) {
        Ok(w) => w,
        Err(e) => return fail(&e.to_string(), 2),
    };
    // bevy panics when it finds no GPU adapter (and on other failures of its own): that is
    // exit code 1 with a hint, not a crash's 101. The panic's own message is already printed.
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut app = app::viewer_app(&config, worker.spawn());
        app.run()
    }));
    match run {
        Ok(bevy::app::AppExit::Success) => ExitCode::SUCCESS,
        Ok(bevy::app::AppExit::Error(code)) => ExitCode::from(code.get()),
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied())
                .unwrap_or_default();
            let hint = if message.contains("GPU") {
                "no graphics adapter: install a Vulkan driver (without a GPU, Mesa's software one: Debian \
                 mesa-vulkan-drivers libvulkan1)"
            } else {
                "the viewer stopped on the error above"
            };
            fail(hint, 1)
        }
    }
}

/// The viewer draws on an X11 display (it is built without Wayland): `DISPLAY` must name
/// one that accepts a connection.
fn display_reachable() -> Result<(), String> {
    let display = std::env::var("DISPLAY").unwrap_or_default();
    if display.trim().is_empty() {
        return Err("no display to open a window on (DISPLAY is not set). On a machine without one, run under a \
                    virtual display: xvfb-run -a bonesim-viz …"
            .into());
    }
    match x11rb::connect(None) {
        Ok(_) => Ok(()),
        Err(e) => Err(format!(
            "cannot open the display DISPLAY={display}: {e}. Without a display, run under a virtual one: xvfb-run \
             -a bonesim-viz …"
        )),
    }
}

#[allow(clippy::print_stderr, reason = "the one place errors reach the user")]
fn fail(message: &str, code: u8) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(code)
}
