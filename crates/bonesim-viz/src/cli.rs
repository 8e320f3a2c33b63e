//! The command line of `bonesim-viz`: the scenario (as `bonesim run` takes it) and how to
//! show it.

use clap::Parser;
use std::path::PathBuf;

/// Watch a bonesim scenario run: the bone, the cells, the cytokine fields; intervene with a
/// drug, an inflammation or a parameter; compare two scenarios side by side; teach with
/// captions.
///
/// Keys: Space play/pause, N step a day, ? every shortcut. Exit codes: 0 success, 2 bad
/// input (scenario, flags, files), 1 anything else.
#[derive(Debug, Parser)]
#[command(name = "bonesim-viz", version, about, long_about, max_term_width = 100)]
pub struct Args {
    /// Scenario file (TOML), or the name of a bundled scenario (`bonesim scenarios`).
    #[arg(value_name = "SCENARIO", default_value = "homeostasis")]
    pub scenario: String,
    /// Override a scenario key by its dotted path or set a model parameter by its dotted
    /// name, as `bonesim run --set` does. Repeatable; later ones win.
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = bonesim_scenario::split_set_arg)]
    pub set: Vec<(String, String)>,
    /// Seed of every random stream (overrides the scenario's `seed`).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Simulated days (overrides `time.days`): play pauses there.
    #[arg(long, value_name = "N")]
    pub days: Option<f64>,
    /// Show a second scenario beside the first, stepping in lockstep with one set of
    /// controls (file or bundled name; with only --compare-set, the first scenario again).
    #[arg(long, value_name = "SCENARIO")]
    pub compare: Option<String>,
    /// `--set` for the second scenario only (e.g. `patient.estrogen=1` to set a healthy
    /// host beside an estrogen-deprived one).
    #[arg(long = "compare-set", value_name = "KEY=VALUE", value_parser = bonesim_scenario::split_set_arg)]
    pub compare_set: Vec<(String, String)>,
    /// Classroom mode: large type, the legend always shown, and captions that follow the
    /// simulation (from assets/captions/).
    #[arg(long)]
    pub classroom: bool,
    /// Start paused.
    #[arg(long)]
    pub paused: bool,
    /// Simulated days per second (`max`: as fast as the machine allows).
    #[arg(long, value_name = "DAYS", default_value = "2", value_parser = parse_speed)]
    pub speed: f64,
    /// Field overlay at start (il6, rankl, opg, tgfb, …; `bonesim params` lists their
    /// transport).
    #[arg(long, value_name = "FIELD")]
    pub field: Option<String>,
    /// Simulation threads [default: all cores but one, at least one]. Results do not depend
    /// on it.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// Zoom in on the centre of the tissue at start (1: the whole tissue in view).
    #[arg(long, value_name = "FACTOR", default_value = "1", value_parser = parse_zoom)]
    pub zoom: f32,
    /// Folder for screenshots and exports [default: the current folder].
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub out: PathBuf,
    /// Folder of the viewer's assets (captions) [default: the repository's assets/, or the
    /// copies built in].
    #[arg(long, value_name = "DIR")]
    pub assets: Option<PathBuf>,
    /// Window size in pixels, WIDTHxHEIGHT.
    #[arg(long, value_name = "WxH", default_value = "1280x800", value_parser = parse_size)]
    pub window: (u32, u32),
    /// Play as fast as possible for N rendered frames, then print frames per second and
    /// simulated days per second, and exit.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub bench_frames: Option<u32>,
    /// Take a screenshot (into --out) when the simulation reaches each of these days; play
    /// pauses there until it is taken. Comma-separated.
    #[arg(long, value_name = "DAYS", value_delimiter = ',', allow_negative_numbers = true)]
    pub screenshot_days: Vec<f64>,
    /// After the last --screenshot-days screenshot, export the readouts and the scenario as
    /// run (into --out) and exit.
    #[arg(long, requires = "screenshot_days")]
    pub exit_after_screenshots: bool,
}

/// Simulated days per second: a positive number, or `max`.
fn parse_speed(arg: &str) -> Result<f64, String> {
    if arg == "max" {
        return Ok(f64::INFINITY);
    }
    match arg.parse::<f64>() {
        Ok(v) if v > 0.0 && v.is_finite() => Ok(v),
        _ => Err(format!("expected simulated days per second (a number above 0) or \"max\"; got \"{arg}\"")),
    }
}

/// A zoom factor from 1 to 50.
fn parse_zoom(arg: &str) -> Result<f32, String> {
    match arg.parse::<f32>() {
        Ok(z) if (1.0..=50.0).contains(&z) => Ok(z),
        _ => Err(format!("expected a zoom factor from 1 to 50; got \"{arg}\"")),
    }
}

/// `WIDTHxHEIGHT`, each at least 320 × 240.
fn parse_size(arg: &str) -> Result<(u32, u32), String> {
    let parsed = arg.split_once(['x', 'X']).and_then(|(w, h)| Some((w.trim().parse().ok()?, h.trim().parse().ok()?)));
    match parsed {
        Some((w, h)) if w >= 320 && h >= 240 => Ok((w, h)),
        _ => Err(format!("expected WIDTHxHEIGHT of at least 320x240, e.g. 1280x800; got \"{arg}\"")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn definitions_are_consistent() {
        Args::command().debug_assert();
    }

    #[test]
    fn flags_parse_as_documented() {
        let a = Args::try_parse_from(["bonesim-viz"]).unwrap();
        assert_eq!((a.scenario.as_str(), a.speed, a.window), ("homeostasis", 2.0, (1280, 800)));
        let a = Args::try_parse_from([
            "bonesim-viz",
            "breast-osteolytic",
            "--speed",
            "max",
            "--set",
            "tumor.seed_cells=20",
            "--screenshot-days",
            "0,3.5",
            "--exit-after-screenshots",
        ])
        .unwrap();
        assert!(a.speed.is_infinite());
        assert_eq!(a.set, vec![("tumor.seed_cells".to_string(), "20".to_string())]);
        assert_eq!(a.screenshot_days, vec![0.0, 3.5]);
        assert!(Args::try_parse_from(["bonesim-viz", "--speed", "0"]).is_err());
        assert!(Args::try_parse_from(["bonesim-viz", "--window", "100x100"]).is_err());
        assert!(Args::try_parse_from(["bonesim-viz", "--set", "novalue"]).is_err());
        assert!(Args::try_parse_from(["bonesim-viz", "--exit-after-screenshots"]).is_err());
    }
}
