//! `bonesim run`: load, simulate in a rayon pool of the chosen size, write the outputs.
//!
//! Everything that can be wrong with the input is checked before the output folder is
//! created: the scenario, the overrides, the image, the engine's own checks (building the
//! [`Sim`]) and an existing destination.

use crate::cli::RunArgs;
use crate::output::{OutputDir, Summary, Timeseries, check_destination, number};
use crate::snapshot::Snapshots;
use anyhow::{Context, Result};
use bonesim::Sim;
use bonesim::pharmacology::Drug;
use bonesim::scenario::{GeometryKind, Scenario};
use bonesim::sim::Phase;
use bonesim_scenario::{Loaded, Override, Source, load};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Tolerance of the output schedules, relative, so that rounding never drops a row.
const SCHEDULE_EPS: f64 = 1e-9;

/// What a finished run reports.
struct Report {
    destination: PathBuf,
    files: Vec<String>,
    rows: usize,
    days: f64,
    ticks: u64,
    threads: usize,
    wall_seconds: f64,
    days_per_second: f64,
}

/// Runs `bonesim run`.
pub fn run(args: RunArgs) -> Result<()> {
    let started = Instant::now();
    let source = Source::open(&args.scenario)?;
    let mut overrides = args.sets.set.iter().map(|(k, v)| Override::from_set(k, v)).collect::<Result<Vec<_>, _>>()?;
    if let Some(days) = args.days {
        overrides.push(Override::days(days));
    }
    let loaded = load(source, overrides, args.seed)?;
    warn(&loaded.scenario);
    let destination = args.out.clone().unwrap_or_else(|| default_destination(&loaded.scenario));
    check_destination(&destination, args.force)?;
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(n) = args.threads {
        pool = pool.num_threads(n.into());
    }
    let pool = pool.build().context("cannot start the worker threads")?;
    let report = pool.install(|| simulate(&loaded, &destination, args.force, started))?;
    print_report(&report)
}

/// Tells the user what the scenario asks for that will not happen as they may expect: a
/// therapy after the end of the run, or a drug whose effect the engine does not model yet
/// (its plasma level is still computed and written).
#[allow(clippy::print_stderr, reason = "warnings for the user")]
pub fn warn(scenario: &Scenario) {
    for w in scenario.warnings() {
        eprintln!("warning: {w}");
    }
    let mut inert: Vec<&str> = Vec::new();
    for th in &scenario.therapy {
        if !th.drug.info().effect_modelled && !inert.contains(&th.drug.name()) {
            inert.push(th.drug.name());
        }
    }
    if !inert.is_empty() {
        eprintln!(
            "warning: the effect of {} is not modelled yet: the run computes plasma levels (plasma_* columns) \
             but the tissue does not respond",
            inert.join(", ")
        );
    }
}

/// `runs/<name>-seed<seed>`, with characters that do not belong in a folder name replaced.
fn default_destination(scenario: &Scenario) -> PathBuf {
    let name: String =
        scenario.name.chars().map(|c| if c.is_alphanumeric() || "-_.".contains(c) { c } else { '-' }).collect();
    let name = if name.trim_matches('.').is_empty() { "unnamed".to_string() } else { name };
    Path::new("runs").join(format!("{name}-seed{}", scenario.seed))
}

/// When the next output of a schedule is due: `every` units apart, counted from 0.
struct Schedule {
    every: f64,
    next: u64,
    last_tick: u64,
}

impl Schedule {
    fn new(every: f64) -> Schedule {
        Schedule { every, next: 1, last_tick: 0 }
    }

    /// Whether an output is due at time `now` (tick `tick`); if so, books it.
    fn due(&mut self, now: f64, tick: u64) -> bool {
        if self.every <= 0.0 || now + SCHEDULE_EPS * now.max(1.0) < self.next as f64 * self.every {
            return false;
        }
        self.next = (now / self.every + SCHEDULE_EPS).floor() as u64 + 1;
        self.last_tick = tick;
        true
    }
}

fn simulate(loaded: &Loaded, destination: &Path, replace: bool, started: Instant) -> Result<Report> {
    let scenario = &loaded.scenario;
    let mut sim = loaded.build()?;
    let out = OutputDir::create(destination, replace)?;
    let mut timeseries = Timeseries::create(&out.file("timeseries.csv"))?;
    let mut snapshots = Snapshots::new(&sim, &scenario.output.snapshot_fields);
    timeseries.write(&sim.readouts())?;
    snapshots.take(&sim, out.path())?;

    let total = sim.total_ticks();
    let tick_hours = scenario.time.tick_hours;
    let mut rows = Schedule::new(scenario.time.output_every_hours);
    let mut pictures = Schedule::new(scenario.output.snapshot_every_days);
    let progress = progress_bar(total)?;
    let ticking = Instant::now();
    while sim.tick() < total {
        sim.step();
        let tick = sim.tick();
        let hours = tick as f64 * tick_hours;
        if rows.due(hours, tick) {
            timeseries.write(&sim.readouts())?;
        }
        if pictures.due(hours / 24.0, tick) {
            snapshots.take(&sim, out.path())?;
        }
        progress.set_position(tick);
        let elapsed = ticking.elapsed().as_secs_f64();
        progress.set_message(format!(
            "day {:.1}/{} · {:.2} days/s",
            sim.day(),
            number(scenario.time.days),
            sim.day() / elapsed.max(1e-9)
        ));
    }
    // The last state, unless a scheduled output has just recorded it.
    if rows.last_tick != total {
        timeseries.write(&sim.readouts())?;
    }
    if pictures.last_tick != total {
        snapshots.take(&sim, out.path())?;
    }
    progress.finish_and_clear();
    let tick_seconds = ticking.elapsed().as_secs_f64();
    let row_count = timeseries.rows;
    timeseries.finish()?;

    let legend = snapshots.legend() + &plasma_legend(scenario);
    std::fs::write(out.file("legend.txt"), legend).context("cannot write legend.txt")?;
    std::fs::write(out.file("scenario.toml"), resolved_scenario(loaded)?).context("cannot write scenario.toml")?;
    let mut files: Vec<String> =
        ["timeseries.csv", "summary.json", "legend.txt", "scenario.toml"].map(String::from).to_vec();
    files.extend(snapshots.files.iter().cloned());
    let days = sim.day();
    let days_per_second = if tick_seconds > 0.0 { days / tick_seconds } else { 0.0 };
    let wall_seconds = started.elapsed().as_secs_f64();
    summary(loaded, &sim, &files, wall_seconds, days_per_second).write(&out.file("summary.json"))?;
    let destination = out.commit()?;
    Ok(Report {
        destination,
        files,
        rows: row_count,
        days,
        ticks: total,
        threads: rayon::current_num_threads(),
        wall_seconds,
        days_per_second,
    })
}

/// The units of the `plasma_<drug>` columns of `timeseries.csv`, for `legend.txt`.
fn plasma_legend(scenario: &Scenario) -> String {
    let mut drugs: Vec<Drug> = scenario.therapy.iter().map(|t| t.drug).collect();
    drugs.sort();
    drugs.dedup();
    if drugs.is_empty() {
        return String::new();
    }
    let mut text = String::from(
        "\ntimeseries.csv plasma_<drug> columns: the drug's mean plasma concentration over the last tick \
         (linear pharmacokinetics of the patient's species; `bonesim drugs` lists the models and sources):\n",
    );
    for drug in drugs {
        let info = drug.info();
        text.push_str(&format!("  plasma_{}: {}, {}\n", drug.name(), info.plasma_unit.label(), info.what));
    }
    text
}

fn progress_bar(total: u64) -> Result<ProgressBar> {
    // Draws on stderr, and hides itself when stderr is not a terminal (cluster logs).
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {msg} (eta {eta})")?
            .progress_chars("=> "),
    );
    Ok(bar)
}

fn summary(loaded: &Loaded, sim: &Sim, files: &[String], wall_seconds: f64, days_per_second: f64) -> Summary {
    let scenario = sim.scenario();
    let readouts = sim.readouts();
    Summary {
        scenario: scenario.name.clone(),
        description: scenario.description.clone(),
        source: match &loaded.source.bundled {
            Some(name) => format!("bundled:{name}"),
            None => loaded.source.label.clone(),
        },
        overrides: loaded.overrides.iter().map(|o| o.origin.clone()).collect(),
        seed: scenario.seed,
        version: bonesim::VERSION,
        days: sim.day(),
        ticks: sim.tick(),
        tick_hours: scenario.time.tick_hours,
        width: scenario.domain.width,
        height: scenario.domain.height,
        threads: rayon::current_num_threads(),
        lesion: readouts.lesion(),
        final_readouts: crate::output::Ordered(readouts.columns()),
        wall_seconds,
        sim_days_per_second: days_per_second,
        phase_seconds: crate::output::Ordered(
            Phase::ALL.iter().map(|&p| (p.name().to_string(), sim.timings().get(p).as_secs_f64())).collect(),
        ),
        parameters_overridden: scenario.parameters.clone(),
        files: files.to_vec(),
    }
}

/// The scenario as run (file plus overrides), as TOML; an image path is made absolute so the
/// copy runs from its new folder.
fn resolved_scenario(loaded: &Loaded) -> Result<String> {
    let mut scenario = loaded.scenario.clone();
    if let Some(GeometryKind::Image(file)) = scenario.domain.geometry_kind() {
        let path = loaded.image_path(&file);
        let path = std::fs::canonicalize(&path).unwrap_or(path);
        scenario.domain.geometry = format!("image:{}", path.display());
    }
    let mut text = String::from("# The scenario as run: the file with every command-line override applied.\n");
    text.push_str(&toml::to_string(&scenario).context("cannot write the scenario as TOML")?);
    Ok(text)
}

fn print_report(r: &Report) -> Result<()> {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "simulated {} days ({} ticks) in {:.1} s: {:.2} simulated days/s on {}",
        number((r.days * 1e4).round() / 1e4),
        r.ticks,
        r.wall_seconds,
        r.days_per_second,
        plural(r.threads, "thread"),
    )?;
    let pngs: Vec<&String> = r.files.iter().filter(|f| f.ends_with(".png")).collect();
    let range = match (pngs.first(), pngs.last()) {
        (Some(first), Some(last)) => format!(" ({first} … {last})"),
        _ => String::new(),
    };
    writeln!(
        out,
        "results in {}: timeseries.csv ({}), summary.json, legend.txt, scenario.toml, {}{range}",
        r.destination.display(),
        plural(r.rows, "row"),
        plural(pngs.len(), "PNG snapshot"),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_fire_on_their_grid() {
        let mut s = Schedule::new(24.0);
        let fired: Vec<u64> = (1..=60).filter(|&t| s.due(t as f64, t)).collect();
        assert_eq!(fired, vec![24, 48]);
        assert_eq!(s.last_tick, 48);
        let mut s = Schedule::new(0.0);
        assert!(!(1..=60).any(|t| s.due(t as f64, t)));
        // A tick of 0.7 h against a 1 h grid: one row per crossing, never two.
        let mut s = Schedule::new(1.0);
        let fired = (1..=10).filter(|&t| s.due(t as f64 * 0.7, t)).count();
        assert_eq!(fired, 7);
    }

    #[test]
    fn default_folder_is_named_after_scenario_and_seed() {
        let s = Scenario { name: "bone / test".into(), seed: 3, ..Default::default() };
        assert_eq!(default_destination(&s), Path::new("runs/bone---test-seed3"));
    }
}
