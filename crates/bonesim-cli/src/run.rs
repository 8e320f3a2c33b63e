//! `bonesim run`: load, simulate in a rayon pool of the chosen size, write the outputs; and
//! the one function every run goes through, [`execute`], which `bonesim sweep` shares.
//!
//! Everything that can be wrong with the input is checked before any work: the scenario,
//! the overrides, the image, the output folder (created and locked first), then the engine's
//! own checks (building the [`Sim`]).
//!
//! A run either finishes with true numbers or says why not:
//! - every simulated day (and before every row) [`Sim::check_health`] looks for a value
//!   that is not a finite number or has left biology; the run stops there, keeps what it
//!   wrote, marks `summary.json` `failed` with the reason and exits 1;
//! - SIGTERM or SIGINT stop it at the end of the tick with a checkpoint
//!   ([`crate::signals`]); `--resume` or the next run to the same folder goes on from the
//!   checkpoint and gives files byte-identical to a run never stopped.

use crate::checkpoint;
use crate::cli::RunArgs;
use crate::error::input;
use crate::output::{CHECKPOINT, RunFolder, Summary, Timeseries, number, partial_path};
use crate::signals::{Signal, StopRequest};
use crate::snapshot::Snapshots;
use anyhow::{Context, Result};
use bonesim::pharmacology::Drug;
use bonesim::scenario::{GeometryKind, Scenario};
use bonesim::sim::Phase;
use bonesim::{EngineError, Sim};
use bonesim_scenario::{Loaded, Override, Source, load};
use indicatif::{ProgressBar, ProgressStyle};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Tolerance of the output schedules, relative, so that rounding never drops a row.
const SCHEDULE_EPS: f64 = 1e-9;

/// What a run is, as recorded in its checkpoints: enough to finish it and write its
/// summary without the scenario file or the command line that started it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RunMeta {
    /// Where the scenario came from: a file path or `bundled:NAME`.
    pub source: String,
    /// The command-line overrides, as given.
    pub overrides: Vec<String>,
    /// The scenario as run, as written to `scenario.toml`.
    pub scenario_toml: String,
    /// Days between checkpoints, if the run checkpoints on a schedule.
    pub checkpoint_every_days: Option<f64>,
    /// Whether the destination may be replaced.
    pub replace: bool,
}

impl RunMeta {
    /// The meta of a freshly loaded scenario.
    pub fn of(loaded: &Loaded, checkpoint_every_days: Option<f64>, replace: bool) -> Result<RunMeta> {
        Ok(RunMeta {
            source: match &loaded.source.bundled {
                Some(name) => format!("bundled:{name}"),
                None => loaded.source.label.clone(),
            },
            overrides: loaded.overrides.iter().map(|o| o.origin.clone()).collect(),
            scenario_toml: resolved_scenario(loaded)?,
            checkpoint_every_days,
            replace,
        })
    }
}

/// The command line's side of a run's state, kept in every checkpoint beside the engine's.
#[derive(Clone, Serialize, Deserialize)]
struct Progress {
    meta: RunMeta,
    rows: Schedule,
    pictures: Schedule,
    checkpoints: Schedule,
    /// Length of `timeseries.csv` and its rows at the checkpoint.
    timeseries_bytes: u64,
    timeseries_rows: usize,
    timeseries_header: Vec<String>,
    snapshots: Snapshots,
    /// Wall time of the earlier legs of the run, seconds: all of it, the ticks, each phase.
    wall_seconds_before: f64,
    tick_seconds_before: f64,
    phase_seconds_before: Vec<f64>,
    resumed_on_days: Vec<f64>,
}

/// How a run ended.
pub enum Outcome {
    /// Finished with its results in place.
    Finished(Report),
    /// Stopped by a signal, with a checkpoint to resume from.
    Interrupted {
        /// The signal.
        signal: Signal,
        /// The simulated day reached.
        day: f64,
        /// The run's destination.
        destination: PathBuf,
        /// The checkpoint written.
        written: checkpoint::Written,
    },
    /// Stopped by a runaway value: its outputs up to then are in place, marked failed.
    Failed {
        /// Why.
        error: EngineError,
        /// Where the outputs are.
        destination: PathBuf,
    },
}

/// What a finished run reports.
pub struct Report {
    /// Where the results are.
    pub destination: PathBuf,
    files: Vec<String>,
    rows: usize,
    days: f64,
    ticks: u64,
    threads: usize,
    wall_seconds: f64,
    days_per_second: f64,
    resumed_from: Option<f64>,
    /// Checkpoints written by this leg, and the last one's size and time.
    checkpoints: (usize, Option<checkpoint::Written>),
}

/// What a run tells the world as it goes: messages, and its progress in ticks.
pub trait Listener: Sync {
    /// A message for the user (a note, never an error).
    fn note(&self, message: String);
    /// The run has done `tick` of its `total` ticks, and reached `day`.
    fn ticked(&self, tick: u64, total: u64, day: f64);
}

/// Runs `bonesim run`.
pub fn run(args: RunArgs) -> Result<()> {
    let started = Instant::now();
    let stop = StopRequest::install()?;
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(n) = args.threads {
        pool = pool.num_threads(n.into());
    }
    let pool = pool.build().context("cannot start the worker threads")?;
    let checkpoint_every = args.checkpoint_every_days;
    if let Some(days) = checkpoint_every.filter(|d| !(d.is_finite() && *d > 0.0)) {
        return Err(input(format!("--checkpoint-every-days {days}: must be a number of days above 0")));
    }
    let start = if let Some(dir) = &args.resume {
        Start::Resume(resume_point(dir)?)
    } else {
        let scenario = args.scenario.as_deref().unwrap_or_default();
        let source = Source::open(scenario)?;
        let mut overrides =
            args.sets.set.iter().map(|(k, v)| Override::from_set(k, v)).collect::<Result<Vec<_>, _>>()?;
        if let Some(days) = args.days {
            overrides.push(Override::days(days));
        }
        let loaded = load(source, overrides, args.seed)?;
        for note in loaded.notes() {
            say(&format!("note: {note}"));
        }
        for warning in warnings(&loaded.scenario) {
            say(&warning);
        }
        let destination = args.out.clone().unwrap_or_else(|| default_destination(&loaded.scenario));
        Start::Fresh { loaded: Box::new(loaded), destination, replace: args.force }
    };
    let bar = progress_bar()?;
    let listener = TerminalListener { bar: bar.clone() };
    let outcome = pool.install(|| execute(start, checkpoint_every, &stop, &listener, started));
    bar.finish_and_clear();
    match outcome? {
        Outcome::Finished(report) => print_report(&report),
        Outcome::Interrupted { signal, day, destination, written } => {
            say(&format!(
                "stopped by {} on day {}: checkpoint written to {} ({:.1} MB in {:.2} s). Resume with: bonesim run \
                 --resume {}",
                signal.name(),
                number((day * 1e4).round() / 1e4),
                partial_path(&destination).join(CHECKPOINT).display(),
                written.bytes as f64 / 1e6,
                written.seconds,
                destination.display()
            ));
            std::process::exit(signal.exit_code().into());
        }
        Outcome::Failed { error, destination } => Err(anyhow::Error::new(error).context(format!(
            "the run stopped: its outputs up to then are in {}, marked failed in summary.json",
            destination.display()
        ))),
    }
}

#[allow(clippy::print_stderr, reason = "notes and warnings for the user")]
fn say(message: &str) {
    eprintln!("{message}");
}

/// What the scenario asks for that will not happen as the user may expect: a therapy after
/// the end of the run.
pub fn warnings(scenario: &Scenario) -> Vec<String> {
    scenario.warnings().iter().map(|w| format!("warning: {w}")).collect()
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

/// A progress bar on the terminal (hidden when stderr is not one, as in cluster logs).
struct TerminalListener {
    bar: ProgressBar,
}

impl Listener for TerminalListener {
    fn note(&self, message: String) {
        self.bar.suspend(|| say(&format!("note: {message}")));
    }

    fn ticked(&self, tick: u64, total: u64, day: f64) {
        if self.bar.length() != Some(total) {
            self.bar.set_length(total);
        }
        self.bar.set_position(tick);
        self.bar.set_message(format!("day {:.1}", day));
    }
}

/// How a run starts.
pub enum Start {
    /// From a loaded scenario into `destination` (resuming an interrupted run of the same
    /// scenario found there).
    Fresh {
        /// The scenario.
        loaded: Box<Loaded>,
        /// The output folder.
        destination: PathBuf,
        /// Whether an existing destination may be replaced.
        replace: bool,
    },
    /// From a checkpoint found by [`resume_point`].
    Resume(ResumePoint),
}

/// An interrupted run to go on with.
pub struct ResumePoint {
    destination: PathBuf,
}

/// The interrupted run whose destination (or partial folder) is `dir`.
pub fn resume_point(dir: &Path) -> Result<ResumePoint> {
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let destination = match name.strip_prefix('.').and_then(|n| n.strip_suffix(".partial")) {
        Some(real) => dir.with_file_name(real),
        None => dir.to_path_buf(),
    };
    let partial = partial_path(&destination);
    if partial.join(CHECKPOINT).is_file() {
        return Ok(ResumePoint { destination });
    }
    let why = if destination.join("summary.json").is_file() {
        format!("{} is a finished run: there is nothing to resume", destination.display())
    } else if partial.is_dir() {
        format!(
            "{} has no checkpoint: the run was stopped before it wrote one; start it again with bonesim run \
             (the same command removes what it left)",
            partial.display()
        )
    } else {
        format!("no interrupted run to resume at {} (looked for {})", dir.display(), partial.join(CHECKPOINT).display())
    };
    Err(input(format!("--resume {}: {why}", dir.display())))
}

/// Runs one simulation into its folder, from the start or from a checkpoint: the one path
/// of `bonesim run` and of every run of a sweep. The caller owns the rayon pool.
pub fn execute(
    start: Start,
    checkpoint_every: Option<f64>,
    stop: &StopRequest,
    listener: &dyn Listener,
    started: Instant,
) -> Result<Outcome> {
    let note = |m: String| listener.note(m);
    let (folder, state) = match start {
        Start::Fresh { loaded, destination, replace } => {
            let folder = RunFolder::open(&destination, replace, &note)?;
            let meta = RunMeta::of(&loaded, checkpoint_every, replace)?;
            let resumed = match folder.checkpoint() {
                Some(path) => match checkpoint::read::<Progress>(&path) {
                    Ok((progress, sim)) if progress.meta.scenario_toml == meta.scenario_toml => {
                        note(format!(
                            "resuming the interrupted run of this scenario found in {} from its checkpoint on day {}",
                            folder.path().display(),
                            number((sim.day() * 1e4).round() / 1e4)
                        ));
                        Some((progress, sim))
                    }
                    Ok(_) => {
                        note(format!(
                            "removing {}: an interrupted run of another scenario (or other overrides)",
                            folder.path().display()
                        ));
                        None
                    }
                    Err(e) => {
                        note(format!("removing {}: its checkpoint cannot be used: {e:#}", folder.path().display()));
                        None
                    }
                },
                None if folder.has_leftovers() => {
                    note(format!(
                        "removing {}: the outputs of an interrupted run that wrote no checkpoint",
                        folder.path().display()
                    ));
                    None
                }
                None => None,
            };
            match resumed {
                Some(state) => (folder, Leg::Resumed(Box::new(state))),
                None => {
                    folder.clear()?;
                    (folder, Leg::New(loaded, meta))
                }
            }
        }
        Start::Resume(point) => {
            let replace = true; // decided when the run started: read from its checkpoint below
            let folder = RunFolder::open(&point.destination, replace, &note)?;
            let path = folder.checkpoint().ok_or_else(|| input("the checkpoint vanished"))?;
            let (progress, sim): (Progress, Sim) = checkpoint::read(&path)?;
            if !progress.meta.replace && point.destination.exists() {
                return Err(input(format!(
                    "the output folder {} was created while the run was stopped; move it away to resume",
                    point.destination.display()
                )));
            }
            (folder, Leg::Resumed(Box::new((progress, sim))))
        }
    };
    simulate(folder, state, checkpoint_every, stop, listener, started)
}

/// A leg of a run: its first, or one after a checkpoint.
enum Leg {
    New(Box<Loaded>, RunMeta),
    Resumed(Box<(Progress, Sim)>),
}

fn simulate(
    folder: RunFolder,
    leg: Leg,
    checkpoint_every: Option<f64>,
    stop: &StopRequest,
    listener: &dyn Listener,
    started: Instant,
) -> Result<Outcome> {
    let (mut sim, mut progress, mut timeseries, resumed_from) = match leg {
        Leg::New(loaded, meta) => {
            std::fs::write(folder.file("scenario.toml"), &meta.scenario_toml)
                .with_context(|| format!("cannot write {}", folder.file("scenario.toml").display()))?;
            let sim = loaded.build()?;
            let mut timeseries = Timeseries::create(&folder.file("timeseries.csv"))?;
            let every = meta.checkpoint_every_days.unwrap_or(0.0);
            let scenario = sim.scenario();
            let mut progress = Progress {
                rows: Schedule::new(scenario.time.output_every_hours),
                pictures: Schedule::new(scenario.output.snapshot_every_days),
                checkpoints: Schedule::new(every),
                timeseries_bytes: 0,
                timeseries_rows: 0,
                timeseries_header: Vec::new(),
                snapshots: Snapshots::new(&sim, &scenario.output.snapshot_fields),
                wall_seconds_before: 0.0,
                tick_seconds_before: 0.0,
                phase_seconds_before: vec![0.0; Phase::ALL.len()],
                resumed_on_days: Vec::new(),
                meta,
            };
            if let Err(error) = sim.check_health() {
                return fail(folder, progress, &sim, timeseries, error, started);
            }
            timeseries.write(&sim.readouts())?;
            progress.snapshots.take(&sim, folder.path())?;
            (sim, progress, timeseries, None)
        }
        Leg::Resumed(state) => {
            let (mut progress, sim) = *state;
            let timeseries = Timeseries::resume(
                &folder.file("timeseries.csv"),
                progress.timeseries_bytes,
                progress.timeseries_rows,
                progress.timeseries_header.clone(),
            )?;
            progress.resumed_on_days.push(sim.day());
            // A checkpoint schedule given now replaces the one the run started with.
            if let Some(every) = checkpoint_every {
                progress.meta.checkpoint_every_days = Some(every);
                progress.checkpoints = Schedule::new(every);
                progress.checkpoints.skip_to(sim.day());
            }
            let day = sim.day();
            (sim, progress, timeseries, Some(day))
        }
    };

    let total = sim.total_ticks();
    let tick_hours = sim.scenario().time.tick_hours;
    let ticks_per_day = ((24.0 / tick_hours).round() as u64).max(1);
    let ticking = Instant::now();
    let leg_started = Instant::now();
    listener.ticked(sim.tick(), total, sim.day());
    let mut checkpoints = (0, None);
    while sim.tick() < total {
        if let Some(signal) = stop.requested() {
            let written = save(&folder, &mut progress, &sim, &mut timeseries, leg_started, ticking)?;
            let destination = folder.destination().to_path_buf();
            return Ok(Outcome::Interrupted { signal, day: sim.day(), destination, written });
        }
        sim.step();
        let tick = sim.tick();
        let hours = tick as f64 * tick_hours;
        let row_due = progress.rows.due(hours, tick);
        if (row_due || tick.is_multiple_of(ticks_per_day) || tick == total)
            && let Err(error) = sim.check_health()
        {
            return fail(folder, progress, &sim, timeseries, error, started);
        }
        if row_due {
            timeseries.write(&sim.readouts())?;
        }
        if progress.pictures.due(hours / 24.0, tick) {
            progress.snapshots.take(&sim, folder.path())?;
        }
        if progress.checkpoints.due(hours / 24.0, tick) && tick < total {
            let written = save(&folder, &mut progress, &sim, &mut timeseries, leg_started, ticking)?;
            checkpoints = (checkpoints.0 + 1, Some(written));
        }
        listener.ticked(tick, total, sim.day());
    }
    // The last state, unless a scheduled output has just recorded it.
    if progress.rows.last_tick != total {
        timeseries.write(&sim.readouts())?;
    }
    if progress.pictures.last_tick != total {
        progress.snapshots.take(&sim, folder.path())?;
    }
    let tick_seconds = progress.tick_seconds_before + ticking.elapsed().as_secs_f64();
    let row_count = timeseries.rows;
    timeseries.finish()?;

    let legend = folder.file("legend.txt");
    std::fs::write(&legend, progress.snapshots.legend() + &plasma_legend(sim.scenario()))
        .with_context(|| format!("cannot write {}", legend.display()))?;
    let mut files: Vec<String> =
        ["timeseries.csv", "summary.json", "legend.txt", "scenario.toml"].map(String::from).to_vec();
    files.extend(progress.snapshots.files.iter().cloned());
    let days = sim.day();
    let days_per_second = if tick_seconds > 0.0 { days / tick_seconds } else { 0.0 };
    let wall_seconds = progress.wall_seconds_before + started.elapsed().as_secs_f64();
    summary(&progress, &sim, &files, wall_seconds, days_per_second, None).write(&folder.file("summary.json"))?;
    let destination = folder.commit()?;
    Ok(Outcome::Finished(Report {
        destination,
        files,
        rows: row_count,
        days,
        ticks: total,
        threads: rayon::current_num_threads(),
        wall_seconds,
        days_per_second,
        resumed_from,
        checkpoints,
    }))
}

/// Writes a checkpoint of the run as it stands.
fn save(
    folder: &RunFolder,
    progress: &mut Progress,
    sim: &Sim,
    timeseries: &mut Timeseries,
    leg_started: Instant,
    ticking: Instant,
) -> Result<checkpoint::Written> {
    progress.timeseries_bytes = timeseries.sync()?;
    progress.timeseries_rows = timeseries.rows;
    progress.timeseries_header = sim.readouts().columns().into_iter().map(|(n, _)| n).collect();
    // The wall times so far, were the run to be resumed from here.
    let at_checkpoint = Progress {
        wall_seconds_before: progress.wall_seconds_before + leg_started.elapsed().as_secs_f64(),
        tick_seconds_before: progress.tick_seconds_before + ticking.elapsed().as_secs_f64(),
        phase_seconds_before: phase_seconds(progress, sim),
        ..progress.clone()
    };
    checkpoint::write(&folder.file(CHECKPOINT), &at_checkpoint, sim)
}

/// Seconds in each phase over every leg of the run.
fn phase_seconds(progress: &Progress, sim: &Sim) -> Vec<f64> {
    Phase::ALL
        .iter()
        .enumerate()
        .map(|(i, &p)| {
            progress.phase_seconds_before.get(i).copied().unwrap_or(0.0) + sim.timings().get(p).as_secs_f64()
        })
        .collect()
}

/// Ends a run that ran away: what it wrote stays, with a summary marked failed.
fn fail(
    folder: RunFolder,
    progress: Progress,
    sim: &Sim,
    timeseries: Timeseries,
    error: EngineError,
    started: Instant,
) -> Result<Outcome> {
    timeseries.finish()?;
    let mut files: Vec<String> = ["timeseries.csv", "summary.json", "scenario.toml"].map(String::from).to_vec();
    files.extend(progress.snapshots.files.iter().cloned());
    let wall_seconds = progress.wall_seconds_before + started.elapsed().as_secs_f64();
    let mut summary = summary(&progress, sim, &files, wall_seconds, 0.0, Some(error.to_string()));
    // The last readouts written, not the state that ran away.
    summary.final_readouts = crate::output::Ordered(last_row(&folder.file("timeseries.csv")).unwrap_or_default());
    summary.lesion = "none";
    summary.write(&folder.file("summary.json"))?;
    if let Some(path) = folder.checkpoint() {
        std::fs::remove_file(&path).with_context(|| format!("cannot remove {}", path.display()))?;
    }
    let destination = folder.commit()?;
    Ok(Outcome::Failed { error, destination })
}

/// The last row of a timeseries, by column.
fn last_row(path: &Path) -> Option<Vec<(String, f64)>> {
    let mut reader = csv::Reader::from_path(path).ok()?;
    let header = reader.headers().ok()?.clone();
    let last = reader.records().filter_map(|r| r.ok()).last()?;
    Some(header.iter().zip(last.iter()).map(|(h, v)| (h.to_string(), v.parse().unwrap_or(f64::NAN))).collect())
}

/// `runs/<name>-seed<seed>`, with characters that do not belong in a folder name replaced.
fn default_destination(scenario: &Scenario) -> PathBuf {
    let name: String =
        scenario.name.chars().map(|c| if c.is_alphanumeric() || "-_.".contains(c) { c } else { '-' }).collect();
    let name = if name.trim_matches('.').is_empty() { "unnamed".to_string() } else { name };
    Path::new("runs").join(format!("{name}-seed{}", scenario.seed))
}

/// When the next output of a schedule is due: `every` units apart, counted from 0.
#[derive(Clone, Debug, Serialize, Deserialize)]
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

    /// Books everything up to `now` as done.
    fn skip_to(&mut self, now: f64) {
        if self.every > 0.0 {
            self.next = (now / self.every + SCHEDULE_EPS).floor() as u64 + 1;
        }
    }
}

fn progress_bar() -> Result<ProgressBar> {
    // Draws on stderr, and hides itself when stderr is not a terminal (cluster logs).
    let bar = ProgressBar::new(1);
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {msg} (eta {eta})")?
            .progress_chars("=> "),
    );
    Ok(bar)
}

fn summary(
    progress: &Progress,
    sim: &Sim,
    files: &[String],
    wall_seconds: f64,
    days_per_second: f64,
    error: Option<String>,
) -> Summary {
    let scenario = sim.scenario();
    let readouts = sim.readouts();
    Summary {
        status: if error.is_some() { "failed" } else { "complete" },
        error,
        scenario: scenario.name.clone(),
        description: scenario.description.clone(),
        source: progress.meta.source.clone(),
        overrides: progress.meta.overrides.clone(),
        seed: scenario.seed,
        version: bonesim::VERSION,
        days: sim.day(),
        ticks: sim.tick(),
        tick_hours: scenario.time.tick_hours,
        width: scenario.domain.width,
        height: scenario.domain.height,
        threads: rayon::current_num_threads(),
        lesion: readouts.lesion(),
        resumed_on_days: progress.resumed_on_days.clone(),
        final_readouts: crate::output::Ordered(readouts.columns()),
        wall_seconds,
        sim_days_per_second: days_per_second,
        phase_seconds: crate::output::Ordered(
            Phase::ALL.iter().zip(phase_seconds(progress, sim)).map(|(p, s)| (p.name().to_string(), s)).collect(),
        ),
        parameters_overridden: scenario.parameters.clone(),
        files: files.to_vec(),
    }
}

/// The scenario as run (file plus overrides), as TOML; an image path is made absolute so the
/// copy runs from its new folder.
pub fn resolved_scenario(loaded: &Loaded) -> Result<String> {
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
    let resumed = match r.resumed_from {
        Some(day) => format!(" (resumed from day {})", number((day * 1e4).round() / 1e4)),
        None => String::new(),
    };
    writeln!(
        out,
        "simulated {} days ({} ticks){resumed} in {:.1} s: {:.2} simulated days/s on {}",
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
    if let (n, Some(last)) = r.checkpoints {
        writeln!(
            out,
            "{} along the way (the last {:.1} MB, written in {:.2} s)",
            plural(n, "checkpoint"),
            last.bytes as f64 / 1e6,
            last.seconds
        )?;
    }
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
        let mut s = Schedule::new(2.0);
        s.skip_to(5.0);
        assert!(!s.due(5.5, 1) && s.due(6.0, 2));
    }

    #[test]
    fn default_folder_is_named_after_scenario_and_seed() {
        let s = Scenario { name: "bone / test".into(), seed: 3, ..Default::default() };
        assert_eq!(default_destination(&s), Path::new("runs/bone---test-seed3"));
    }
}
