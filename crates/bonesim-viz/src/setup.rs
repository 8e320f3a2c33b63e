//! From the command line to what the viewer runs: the scenarios (loaded by
//! `bonesim-scenario`, exactly as `bonesim run` loads them, with the same errors), the
//! simulation thread's settings, and where assets and outputs are.

use crate::cli::Args;
use crate::worker::{LaneSpec, WorkerSettings};
use bonesim::field::FieldId;
use bonesim_scenario::{InputError, Override, Source, input, load};
use std::path::PathBuf;

/// One lane to open: a scenario (file or bundled name) and its `--set` overrides.
#[derive(Clone, Debug, PartialEq)]
pub struct LaneSource {
    /// File or bundled name.
    pub scenario: String,
    /// `--set KEY=VALUE` pairs, in order.
    pub sets: Vec<(String, String)>,
    /// `--seed`.
    pub seed: Option<u64>,
    /// `--days`.
    pub days: Option<f64>,
}

/// Loads each source as `bonesim run` would. Lanes get the scenario's name as label, with
/// the overrides that set them apart from the first lane.
pub fn lane_specs(sources: &[LaneSource]) -> Result<Vec<LaneSpec>, InputError> {
    let mut specs = Vec::new();
    for (i, s) in sources.iter().enumerate() {
        let mut overrides = s.sets.iter().map(|(k, v)| Override::from_set(k, v)).collect::<Result<Vec<_>, _>>()?;
        if let Some(days) = s.days {
            overrides.push(Override::days(days));
        }
        let loaded = load(Source::open(&s.scenario)?, overrides, s.seed)?;
        let mut label = loaded.scenario.name.clone();
        let own: Vec<String> = match sources.first() {
            Some(first) if i > 0 => {
                s.sets.iter().filter(|kv| !first.sets.contains(kv)).map(|(k, v)| format!("{k}={v}")).collect()
            }
            _ => Vec::new(),
        };
        if !own.is_empty() {
            label = format!("{label} ({})", own.join(", "));
        }
        specs.push(LaneSpec { label, loaded });
    }
    Ok(specs)
}

/// Everything the viewer starts with.
#[derive(Clone, Debug)]
pub struct Config {
    /// The lanes, loaded.
    pub lanes: Vec<LaneSpec>,
    /// The simulation thread's settings.
    pub worker: WorkerSettings,
    /// Classroom mode.
    pub classroom: bool,
    /// Folder of the assets (captions); `None`: the built-in copies.
    pub assets: Option<PathBuf>,
    /// Screenshots and exports go here.
    pub out: PathBuf,
    /// Window size, pixels.
    pub window: (u32, u32),
    /// Zoom on the centre at start.
    pub zoom: f32,
    /// `--bench-frames`.
    pub bench_frames: Option<u32>,
    /// `--screenshot-days`.
    pub screenshot_days: Vec<f64>,
    /// `--exit-after-screenshots`.
    pub exit_after_screenshots: bool,
}

/// The repository's `assets/`, when the viewer runs from a source checkout.
fn repository_assets() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets"))
}

impl Config {
    /// Reads the command line: every problem is an [`InputError`] (exit 2).
    pub fn from_args(args: &Args) -> Result<Config, InputError> {
        let mut sources = vec![LaneSource {
            scenario: args.scenario.clone(),
            sets: args.set.clone(),
            seed: args.seed,
            days: args.days,
        }];
        if args.compare.is_some() || !args.compare_set.is_empty() {
            let scenario = args.compare.clone().unwrap_or_else(|| args.scenario.clone());
            // The same --set as the first lane when it is the same scenario, then its own.
            let mut sets = if args.compare.is_none() { args.set.clone() } else { Vec::new() };
            sets.extend(args.compare_set.iter().cloned());
            sources.push(LaneSource { scenario, sets, seed: args.seed, days: args.days });
        }
        let lanes = lane_specs(&sources)?;
        let field = match &args.field {
            Some(name) => Some(FieldId::from_name(name).ok_or_else(|| {
                input(format!("--field {name}: not a field; allowed {}", FieldId::names().join(", ")))
            })?),
            None => None,
        };
        let assets = match &args.assets {
            Some(dir) if dir.is_dir() => Some(dir.clone()),
            Some(dir) => return Err(input(format!("--assets {}: no such folder", dir.display()))),
            None => std::env::var_os("BONESIM_ASSETS")
                .map(PathBuf::from)
                .filter(|d| d.is_dir())
                .or_else(|| Some(repository_assets()).filter(|d| d.is_dir())),
        };
        if let Some(day) = args.screenshot_days.iter().find(|d| !d.is_finite() || **d < 0.0) {
            return Err(input(format!("--screenshot-days: {day} is not a day (allowed: 0 or more)")));
        }
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let threads = args.threads.map_or((cores.saturating_sub(1)).max(1), usize::from);
        let scripted = !args.screenshot_days.is_empty();
        let speed = if args.bench_frames.is_some() { f64::INFINITY } else { args.speed };
        Ok(Config {
            lanes,
            worker: WorkerSettings { threads, speed_days_per_s: speed, playing: !args.paused && !scripted, field },
            classroom: args.classroom,
            assets,
            out: args.out.clone(),
            window: args.window,
            zoom: args.zoom,
            bench_frames: args.bench_frames,
            screenshot_days: args.screenshot_days.clone(),
            exit_after_screenshots: args.exit_after_screenshots,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn config(args: &[&str]) -> Result<Config, InputError> {
        Config::from_args(&Args::try_parse_from(std::iter::once("bonesim-viz").chain(args.iter().copied())).unwrap())
    }

    #[test]
    fn scenarios_load_with_the_command_lines_errors() {
        let c = config(&["breast-osteolytic", "--set", "tumor.seed_cells=7", "--days", "3"]).unwrap();
        assert_eq!(c.lanes[0].loaded.scenario.tumor.seed_cells, 7);
        assert_eq!(c.lanes[0].loaded.scenario.time.days, 3.0);
        // The same message `bonesim run` gives, word for word (it comes from the same loader).
        let viewer = config(&["homeostasis", "--set", "patient.estrogn=0"]).unwrap_err().to_string();
        let loader = Override::from_set("patient.estrogn", "0").unwrap_err().to_string();
        assert_eq!(viewer, loader);
        assert!(viewer.contains("did you mean patient.estrogen"), "{viewer}");
        let missing = config(&["no-such-scenario"]).unwrap_err().to_string();
        assert!(missing.contains("no bundled scenario of that name"), "{missing}");
        let field = config(&["--field", "il7"]).unwrap_err().to_string();
        assert!(field.contains("il6"), "{field}");
    }

    #[test]
    fn compare_makes_a_second_lane_labelled_by_what_differs() {
        let c = config(&["estrogen-deprivation", "--compare-set", "patient.estrogen=1"]).unwrap();
        assert_eq!(c.lanes.len(), 2);
        assert_eq!(c.lanes[0].loaded.scenario.patient.estrogen, 0.0);
        assert_eq!(c.lanes[1].loaded.scenario.patient.estrogen, 1.0);
        assert_eq!(c.lanes[1].label, "estrogen-deprivation (patient.estrogen=1)");
        let c = config(&["homeostasis", "--compare", "estrogen-deprivation"]).unwrap();
        assert_eq!(c.lanes[1].loaded.scenario.name, "estrogen-deprivation");
    }

    #[test]
    fn scripted_screenshots_start_paused_and_benchmarks_run_flat_out() {
        let c = config(&["--screenshot-days", "0,2"]).unwrap();
        assert!(!c.worker.playing);
        let c = config(&["--bench-frames", "10"]).unwrap();
        assert!(c.worker.speed_days_per_s.is_infinite() && c.worker.playing);
        assert!(config(&["--screenshot-days", "-1"]).is_err());
    }
}
