//! Sweeps: one base scenario, axes over any scenario key or model parameter, expanded to a
//! numbered run list, run locally in parallel, as one shard of a job array, or as a SLURM
//! job array ([`crate::slurm`]).
//!
//! A sweep file (`scenarios/sweeps/*.toml`):
//!
//! ```toml
//! name = "breast-dose"
//! base = "breast-osteolytic"          # a bundled scenario, or a file beside this one
//! set = { "time.days" = 21 }          # applied to every run, as --set
//! checkpoint_every_days = 30          # optional
//!
//! [[axis]]
//! key = "tumor.seed_cells"
//! values = [5, 10, 20]                # a list …
//! [[axis]]
//! key = "patient.estrogen"
//! range = { from = 0.0, to = 1.0, steps = 5 }   # … evenly spaced (log = true: geometric)
//! [[axis]]
//! seeds = 4                           # … seeds 1..=4
//! [[axis]]
//! [axis.latin_hypercube]              # … or a Latin hypercube over several keys at once
//! samples = 20
//! seed = 7
//! ranges = { "osteoclast.lifespan_days" = "declared", "tumor.seed_cells" = [5, 50] }
//! ```
//!
//! The runs are every combination of the axes' points, the first axis outermost, numbered
//! from 0. Each point is applied exactly as `--set KEY=VALUE` would be, through
//! `bonesim-scenario`, so an axis accepts what `--set` accepts with the same errors. Every
//! run is checked before any is started.

use crate::error::input;
use crate::output::number;
use crate::run::{self, Listener, Outcome, Start};
use crate::signals::{Signal, StopRequest};
use anyhow::{Context, Result};
use bonesim::ModelParams;
use bonesim_scenario::{Loaded, Override, Source, load};
use indicatif::{ProgressBar, ProgressStyle};
use rand::{Rng, SeedableRng};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// A sweep file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepFile {
    /// Short name.
    #[serde(default)]
    pub name: String,
    /// What the sweep asks.
    #[serde(default)]
    pub description: String,
    /// The base scenario: a file (relative to the sweep file) or a bundled scenario's name.
    pub base: String,
    /// Overrides for every run, by key, as `--set` takes them.
    #[serde(default)]
    pub set: BTreeMap<String, toml::Value>,
    /// Checkpoint every run every N simulated days.
    pub checkpoint_every_days: Option<f64>,
    /// The axes.
    #[serde(default)]
    pub axis: Vec<AxisSpec>,
}

/// One axis of a sweep: exactly one of `values`, `range`, `seeds`, `latin_hypercube`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AxisSpec {
    /// The scenario key or parameter (not for `seeds` and `latin_hypercube`).
    pub key: Option<String>,
    /// The values, as written.
    pub values: Option<Vec<toml::Value>>,
    /// Evenly spaced values.
    pub range: Option<RangeSpec>,
    /// Seeds 1..=N.
    pub seeds: Option<u64>,
    /// A Latin hypercube over several keys.
    pub latin_hypercube: Option<HypercubeSpec>,
}

/// `range = { from, to, steps, log }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RangeSpec {
    from: toml::Value,
    to: toml::Value,
    steps: usize,
    #[serde(default)]
    log: bool,
}

/// `[axis.latin_hypercube]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HypercubeSpec {
    samples: usize,
    seed: u64,
    /// Per key: `"declared"` (a model parameter's own range) or `[min, max]`; integer
    /// bounds give integer samples.
    ranges: BTreeMap<String, toml::Value>,
    /// Keys sampled on a log scale.
    #[serde(default)]
    log: Vec<String>,
}

/// One axis point: the keys it sets, with values as `--set` text.
type Point = Vec<(String, String)>;

/// One run of the sweep.
#[derive(Clone, Debug, PartialEq)]
pub struct RunSpec {
    /// Its number, from 0.
    pub index: usize,
    /// What it sets beyond the base, in axis order.
    pub settings: Vec<(String, String)>,
}

/// A sweep, expanded.
pub struct Sweep {
    /// The file, as read.
    pub file: SweepFile,
    /// Where it was read from (absolute).
    pub path: PathBuf,
    /// The base scenario.
    pub source: Source,
    /// The keys of the run table's axis columns, in order.
    pub columns: Vec<String>,
    /// Every run.
    pub runs: Vec<RunSpec>,
}

impl Sweep {
    /// Reads and expands a sweep file.
    pub fn read(path: &Path) -> Result<Sweep> {
        let text = fs::read_to_string(path)
            .map_err(|e| input(format!("{}: cannot read the sweep file: {e}", path.display())))?;
        let label = path.display().to_string();
        let file: SweepFile = toml::from_str(&text).map_err(|e| located(&label, &text, &e))?;
        let path = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        let beside = dir.join(&file.base);
        let source = if beside.is_file() {
            Source::open(&beside.display().to_string())?
        } else {
            Source::open(&file.base).map_err(|e| input(format!("{label}: base: {e}")))?
        };
        let mut axes: Vec<Vec<Point>> = Vec::new();
        let mut columns: Vec<String> = Vec::new();
        for (i, axis) in file.axis.iter().enumerate() {
            let (keys, points) = expand_axis(axis).map_err(|why| input(format!("{label}: axis {}: {why}", i + 1)))?;
            for k in keys {
                if columns.contains(&k) || file.set.contains_key(&k) {
                    return Err(input(format!("{label}: axis {}: {k} is set twice in this sweep", i + 1)));
                }
                columns.push(k);
            }
            axes.push(points);
        }
        let mut runs = vec![Vec::new()];
        for points in &axes {
            let mut next = Vec::with_capacity(runs.len() * points.len());
            for run in &runs {
                for p in points {
                    let mut settings: Point = run.clone();
                    settings.extend(p.iter().cloned());
                    next.push(settings);
                }
            }
            runs = next;
        }
        let runs: Vec<RunSpec> =
            runs.into_iter().enumerate().map(|(index, settings)| RunSpec { index, settings }).collect();
        Ok(Sweep { file, path, source, columns, runs })
    }

    /// The folder name of run `index`: zero-padded to the width of the largest number.
    pub fn folder_name(&self, index: usize) -> String {
        let width = (self.runs.len().saturating_sub(1)).to_string().len().max(4);
        format!("{index:0width$}")
    }

    /// Loads run `spec`: the base, the sweep's `set`, then the run's axis points.
    pub fn load_run(&self, spec: &RunSpec) -> Result<Loaded> {
        let label = self.path.display();
        let mut overrides = Vec::new();
        for (key, value) in &self.file.set {
            let text = value_text(value);
            let mut o = Override::from_set(key, &text).map_err(|e| input(format!("{label}: set: {e}")))?;
            o.origin = format!("sweep set {key}={text}");
            overrides.push(o);
        }
        for (key, text) in &spec.settings {
            let mut o = Override::from_set(key, text)
                .map_err(|e| input(format!("{label}: run {} ({key}={text}): {e}", spec.index)))?;
            o.origin = format!("sweep axis {key}={text}");
            overrides.push(o);
        }
        load(self.source.clone(), overrides, None).map_err(|e| input(format!("{label}: run {}: {e}", spec.index)))
    }

    /// `runs.csv`: run number, folder, and each axis value.
    pub fn run_table(&self) -> Result<String> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut header = vec!["run".to_string(), "folder".to_string()];
        header.extend(self.columns.iter().cloned());
        w.write_record(&header)?;
        for run in &self.runs {
            let mut row = vec![run.index.to_string(), format!("runs/{}", self.folder_name(run.index))];
            for c in &self.columns {
                row.push(run.settings.iter().find(|(k, _)| k == c).map(|(_, v)| v.clone()).unwrap_or_default());
            }
            w.write_record(&row)?;
        }
        Ok(String::from_utf8(w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?)?)
    }
}

/// A TOML value as `--set` text.
fn value_text(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => toml::Value::String(s.clone()).to_string(),
        toml::Value::Float(f) => float_text(*f),
        other => other.to_string(),
    }
}

/// A float as TOML text that reads back to the same number (`7.0`, not `7`, so it stays a float).
fn float_text(f: f64) -> String {
    let text = number(f);
    if text.contains(['.', 'e', 'E', 'n', 'i']) { text } else { format!("{text}.0") }
}

/// An error of the sweep file with its line and column.
fn located(label: &str, text: &str, e: &toml::de::Error) -> anyhow::Error {
    match e.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            let column = span.start - text[..span.start.min(text.len())].rfind('\n').map_or(0, |p| p + 1) + 1;
            input(format!("{label}:{line}:{column}: {}", e.message().trim_end()))
        }
        None => input(format!("{label}: {}", e.message().trim_end())),
    }
}

/// The keys an axis sets and its points.
fn expand_axis(axis: &AxisSpec) -> Result<(Vec<String>, Vec<Point>), String> {
    let kinds = [axis.values.is_some(), axis.range.is_some(), axis.seeds.is_some(), axis.latin_hypercube.is_some()];
    if kinds.iter().filter(|&&k| k).count() != 1 {
        return Err("give exactly one of values, range, seeds or latin_hypercube".into());
    }
    let need_key =
        || axis.key.clone().ok_or_else(|| "needs a key (the scenario key or parameter it varies)".to_string());
    if let Some(values) = &axis.values {
        let key = need_key()?;
        if values.is_empty() {
            return Err(format!("{key}: values is empty"));
        }
        return Ok((vec![key.clone()], values.iter().map(|v| vec![(key.clone(), value_text(v))]).collect()));
    }
    if let Some(r) = &axis.range {
        let key = need_key()?;
        let as_f64 = |v: &toml::Value| match v {
            toml::Value::Integer(i) => Some(*i as f64),
            toml::Value::Float(f) => Some(*f),
            _ => None,
        };
        let (Some(from), Some(to)) = (as_f64(&r.from), as_f64(&r.to)) else {
            return Err(format!("{key}: range from and to must be numbers"));
        };
        if r.steps < 2 {
            return Err(format!("{key}: range steps must be 2 or more (use values for one)"));
        }
        if r.log && !(from > 0.0 && to > 0.0) {
            return Err(format!("{key}: a log range needs from and to above 0"));
        }
        let integers = r.from.is_integer() && r.to.is_integer();
        let points = (0..r.steps)
            .map(|i| {
                let t = i as f64 / (r.steps - 1) as f64;
                let v = if r.log { from * (to / from).powf(t) } else { from + (to - from) * t };
                let text = if integers { format!("{}", v.round() as i64) } else { float_text(v) };
                vec![(key.clone(), text)]
            })
            .collect::<Vec<_>>();
        return Ok((vec![key], dedup(points)));
    }
    if let Some(n) = axis.seeds {
        if axis.key.as_deref().is_some_and(|k| k != "seed") {
            return Err("seeds sets the key seed; leave key out".into());
        }
        if n == 0 {
            return Err("seeds must be 1 or more".into());
        }
        return Ok((vec!["seed".into()], (1..=n).map(|s| vec![("seed".to_string(), s.to_string())]).collect()));
    }
    let h = axis.latin_hypercube.as_ref().ok_or("no axis kind")?;
    if axis.key.is_some() {
        return Err("a latin_hypercube names its keys in ranges; leave key out".into());
    }
    latin_hypercube(h)
}

fn dedup(points: Vec<Point>) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::new();
    for p in points {
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// A Latin hypercube: each key's range cut into `samples` equal strata, one sample drawn in
/// each, the strata of different keys paired by independent random permutations (McKay,
/// Beckman & Conover 1979, Technometrics 21:239). Deterministic in `seed`.
fn latin_hypercube(h: &HypercubeSpec) -> Result<(Vec<String>, Vec<Point>), String> {
    if h.samples == 0 {
        return Err("latin_hypercube samples must be 1 or more".into());
    }
    if h.ranges.is_empty() {
        return Err("latin_hypercube ranges is empty".into());
    }
    for k in &h.log {
        if !h.ranges.contains_key(k) {
            return Err(format!("latin_hypercube log names {k}, which is not in ranges"));
        }
    }
    let catalogue = ModelParams::catalogue();
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(h.seed);
    let keys: Vec<String> = h.ranges.keys().cloned().collect();
    let mut columns: Vec<Vec<String>> = Vec::new();
    for key in &keys {
        let spec = &h.ranges[key];
        let (min, max, integer) = match spec {
            toml::Value::String(s) if s == "declared" => {
                let info = catalogue.iter().find(|p| p.dotted() == *key).ok_or_else(|| {
                    format!(
                        "{key}: \"declared\" needs a model parameter (`bonesim params` lists them); give [min, max]"
                    )
                })?;
                (info.min, info.max, false)
            }
            toml::Value::Array(a) if a.len() == 2 => {
                let num = |v: &toml::Value| v.as_float().or_else(|| v.as_integer().map(|i| i as f64));
                match (num(&a[0]), num(&a[1])) {
                    (Some(lo), Some(hi)) if lo < hi && lo.is_finite() && hi.is_finite() => {
                        (lo, hi, a[0].is_integer() && a[1].is_integer())
                    }
                    _ => return Err(format!("{key}: the range must be [min, max] with min < max")),
                }
            }
            _ => return Err(format!("{key}: give \"declared\" or [min, max]")),
        };
        let log = h.log.contains(key);
        if log && min <= 0.0 {
            return Err(format!("{key}: a log scale needs a range above 0"));
        }
        let mut strata: Vec<usize> = (0..h.samples).collect();
        // Fisher–Yates with the sweep's own stream: the design depends on `seed` alone.
        for i in (1..strata.len()).rev() {
            strata.swap(i, rng.random_range(0..=i));
        }
        let values = strata
            .iter()
            .map(|&s| {
                let u = (s as f64 + rng.random::<f64>()) / h.samples as f64;
                let v = if log { (min.ln() + (max.ln() - min.ln()) * u).exp() } else { min + (max - min) * u };
                if integer { format!("{}", v.round().clamp(min, max) as i64) } else { float_text(v) }
            })
            .collect();
        columns.push(values);
    }
    let points =
        (0..h.samples).map(|i| keys.iter().cloned().zip(columns.iter().map(|c| c[i].clone())).collect()).collect();
    Ok((keys, points))
}

/// The run numbers of shard `i` of `n`: every `n`-th run from `i`, so that runs of every
/// kind spread evenly over the shards.
pub fn shard_runs(total: usize, shard: Option<(usize, usize)>) -> Vec<usize> {
    match shard {
        Some((i, n)) => (i..total).step_by(n).collect(),
        None => (0..total).collect(),
    }
}

/// Writes `text` to `path` unless it holds it already; refuses a different one.
fn write_or_match(path: &Path, text: &str, what: &str) -> Result<()> {
    match fs::read_to_string(path) {
        Ok(existing) if existing == text => Ok(()),
        Ok(_) => Err(input(format!(
            "{} holds {what} of another sweep (or another version of this one): choose another --out, or remove it",
            path.display()
        ))),
        Err(_) => {
            let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
            fs::write(&tmp, text).with_context(|| format!("cannot write {}", tmp.display()))?;
            fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
            Ok(())
        }
    }
}

/// Sets up the sweep folder (shared by every shard): the run list, checked against one
/// already there.
pub fn prepare_folder(sweep: &Sweep, out: &Path) -> Result<()> {
    fs::create_dir_all(out.join("runs"))
        .map_err(|e| input(format!("--out {}: cannot create it: {e}", out.display())))?;
    write_or_match(&out.join("runs.csv"), &sweep.run_table()?, "the run list")?;
    let sweep_text =
        fs::read_to_string(&sweep.path).with_context(|| format!("cannot read {}", sweep.path.display()))?;
    write_or_match(&out.join("sweep.toml"), &sweep_text, "the sweep file")
}

/// Runs `bonesim sweep`.
pub fn sweep(args: crate::cli::SweepArgs) -> Result<()> {
    if args.slurm {
        crate::slurm::check_options(&args.slurm_options)?;
    }
    let sweep = Sweep::read(&args.sweep)?;
    let checkpoint_every = args.checkpoint_every_days.or(sweep.file.checkpoint_every_days);
    if let Some(days) = checkpoint_every.filter(|d| !(d.is_finite() && *d > 0.0)) {
        return Err(input(format!("checkpoint_every_days {days}: must be a number of days above 0")));
    }
    // Every run is checked before anything starts: one bad axis value fails the sweep now,
    // not after hours.
    let selected = shard_runs(sweep.runs.len(), args.shard);
    let check: Vec<usize> = if args.slurm || args.dry_run { (0..sweep.runs.len()).collect() } else { selected.clone() };
    let mut loaded: BTreeMap<usize, Loaded> = BTreeMap::new();
    for &i in &check {
        loaded.insert(i, sweep.load_run(&sweep.runs[i])?);
    }
    let out = std::path::absolute(&args.out).unwrap_or(args.out.clone());
    prepare_folder(&sweep, &out)?;
    let mut stdout = std::io::stdout().lock();
    if args.dry_run {
        writeln!(
            stdout,
            "{}: {}",
            sweep.file.name,
            sweep.file.description.split_whitespace().collect::<Vec<_>>().join(" ")
        )?;
        writeln!(stdout, "{} runs, all valid; run list in {}", sweep.runs.len(), out.join("runs.csv").display())?;
        return Ok(());
    }
    if args.slurm {
        let largest = loaded.values().map(|l| l.scenario.domain.width * l.scenario.domain.height).max().unwrap_or(0);
        return crate::slurm::write_and_submit(&sweep, &out, &args, largest, checkpoint_every);
    }
    drop(stdout);
    run_local(&sweep, &out, &selected, loaded, args.threads, checkpoint_every, args.shard)
}

/// How the runs of one local sweep ended.
#[derive(Default)]
struct Tally {
    finished: usize,
    skipped: usize,
    failed: Vec<(usize, String)>,
    errors: Vec<(usize, String)>,
    interrupted: Vec<usize>,
    signal: Option<Signal>,
}

/// Runs `selected` runs in parallel: as many at once as threads, each on one thread.
fn run_local(
    sweep: &Sweep,
    out: &Path,
    selected: &[usize],
    mut loaded: BTreeMap<usize, Loaded>,
    threads: Option<u16>,
    checkpoint_every: Option<f64>,
    shard: Option<(usize, usize)>,
) -> Result<()> {
    let started = Instant::now();
    let stop = StopRequest::install()?;
    let threads =
        threads.map(usize::from).unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let workers = threads.min(selected.len()).max(1);
    let per_run = (threads / workers).max(1);
    let total_ticks: u64 = selected.iter().map(|i| loaded[i].scenario.ticks()).sum();
    let bar = ProgressBar::new(total_ticks.max(1));
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {msg} (eta {eta})")?
            .progress_chars("=> "),
    );
    let queue: Mutex<Vec<(usize, Loaded)>> =
        Mutex::new(selected.iter().rev().filter_map(|i| loaded.remove(i).map(|l| (*i, l))).collect());
    let tally = Mutex::new(Tally::default());
    let done = AtomicUsize::new(0);
    let shard_text = shard.map(|(i, n)| format!(" (shard {i}/{n})")).unwrap_or_default();
    let message = |tally: &Tally| {
        format!(
            "runs {}/{}{shard_text} · {} failed",
            tally.finished + tally.skipped + tally.failed.len() + tally.errors.len(),
            selected.len(),
            tally.failed.len() + tally.errors.len()
        )
    };
    bar.set_message(message(&Tally::default()));
    let lock = |m: &'static str| -> Result<std::sync::MutexGuard<'_, Tally>> {
        tally.lock().map_err(|_| anyhow::anyhow!("a worker panicked ({m})"))
    };
    std::thread::scope(|scope| -> Result<()> {
        let mut handles = Vec::new();
        for _ in 0..workers {
            handles.push(scope.spawn(|| -> Result<()> {
                let pool = rayon::ThreadPoolBuilder::new().num_threads(per_run).build()?;
                loop {
                    if stop.requested().is_some() {
                        return Ok(());
                    }
                    let Some((index, run)) = queue.lock().map_err(|_| anyhow::anyhow!("queue poisoned"))?.pop() else {
                        return Ok(());
                    };
                    let ticks = run.scenario.ticks();
                    let destination = out.join("runs").join(sweep.folder_name(index));
                    let error_file = out.join("errors").join(format!("{}.txt", sweep.folder_name(index)));
                    if crate::collect::finished(&destination) {
                        bar.inc(ticks);
                        let mut t = lock("tally")?;
                        t.skipped += 1;
                        bar.set_message(message(&t));
                        continue;
                    }
                    let listener = SweepListener { bar: &bar, last: std::sync::atomic::AtomicU64::new(0) };
                    let start =
                        Start::Fresh { loaded: Box::new(run), destination: destination.clone(), replace: false };
                    let outcome =
                        pool.install(|| run::execute(start, checkpoint_every, &stop, &listener, Instant::now()));
                    bar.inc(ticks.saturating_sub(listener.last.load(Ordering::Relaxed)));
                    done.fetch_add(1, Ordering::Relaxed);
                    let mut t = lock("tally")?;
                    match outcome {
                        Ok(Outcome::Finished(_)) => {
                            let _ = fs::remove_file(&error_file);
                            t.finished += 1;
                        }
                        Ok(Outcome::Failed { error, .. }) => t.failed.push((index, error.to_string())),
                        Ok(Outcome::Interrupted { signal, .. }) => {
                            t.signal = Some(signal);
                            t.interrupted.push(index);
                        }
                        Err(e) => {
                            let why = format!("{e:#}");
                            let _ = fs::create_dir_all(out.join("errors"));
                            let _ = fs::write(&error_file, format!("{why}\n"));
                            bar.suspend(|| say(&format!("run {index}: error: {why}")));
                            t.errors.push((index, why));
                        }
                    }
                    bar.set_message(message(&t));
                }
            }));
        }
        for h in handles {
            h.join().map_err(|_| anyhow::anyhow!("a sweep worker panicked"))??;
        }
        Ok(())
    })?;
    bar.finish_and_clear();
    let t = tally.into_inner().map_err(|_| anyhow::anyhow!("a worker panicked"))?;
    let mut stdout = std::io::stdout().lock();
    writeln!(
        stdout,
        "sweep {}{shard_text}: {} finished, {} already done, {} failed, {} errors, {} interrupted in {:.1} s; results in {}",
        sweep.file.name,
        plural(t.finished, "run"),
        t.skipped,
        t.failed.len(),
        t.errors.len(),
        t.interrupted.len(),
        started.elapsed().as_secs_f64(),
        out.display()
    )?;
    for (i, why) in &t.failed {
        writeln!(stdout, "  run {i} failed: {why}")?;
    }
    if let Some(signal) = t.signal.or(stop.requested()) {
        say(&format!(
            "stopped by {}: {} checkpointed. Run the same command again (or requeue the task) to go on",
            signal.name(),
            plural(t.interrupted.len(), "run")
        ));
        std::process::exit(signal.exit_code().into());
    }
    if !t.errors.is_empty() {
        let list: Vec<String> = t.errors.iter().map(|(i, _)| i.to_string()).collect();
        anyhow::bail!(
            "{} runs could not run (runs {}): see {}",
            t.errors.len(),
            list.join(", "),
            out.join("errors").display()
        );
    }
    Ok(())
}

/// `n word` or `n words`.
fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

#[allow(clippy::print_stderr, reason = "messages for the user")]
fn say(message: &str) {
    eprintln!("{message}");
}

/// Adds a run's ticks to the sweep's bar as they are done.
struct SweepListener<'a> {
    bar: &'a ProgressBar,
    last: std::sync::atomic::AtomicU64,
}

impl Listener for SweepListener<'_> {
    fn note(&self, message: String) {
        self.bar.suspend(|| say(&format!("note: {message}")));
    }

    fn ticked(&self, tick: u64, _total: u64, _day: f64) {
        let last = self.last.swap(tick, Ordering::Relaxed);
        self.bar.inc(tick.saturating_sub(last));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sweep_from(text: &str) -> Result<Sweep> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.toml");
        fs::write(&path, text).unwrap();
        Sweep::read(&path)
    }

    #[test]
    fn axes_expand_to_every_combination_first_axis_outermost() {
        let s = sweep_from(
            "base = \"homeostasis\"\n[[axis]]\nseeds = 2\n[[axis]]\nkey = \"patient.estrogen\"\nrange = { from = 0.0, to = 1.0, steps = 3 }\n",
        )
        .unwrap();
        let got: Vec<Vec<(String, String)>> = s.runs.iter().map(|r| r.settings.clone()).collect();
        let p = |seed: &str, e: &str| {
            vec![("seed".to_string(), seed.to_string()), ("patient.estrogen".to_string(), e.to_string())]
        };
        assert_eq!(got, vec![p("1", "0.0"), p("1", "0.5"), p("1", "1.0"), p("2", "0.0"), p("2", "0.5"), p("2", "1.0")]);
        assert_eq!(s.columns, vec!["seed", "patient.estrogen"]);
        assert_eq!(s.folder_name(3), "0003");
        let loaded = s.load_run(&s.runs[4]).unwrap();
        assert_eq!((loaded.scenario.seed, loaded.scenario.patient.estrogen), (2, 0.5));
    }

    #[test]
    fn shards_partition_the_runs() {
        let mut all: Vec<usize> = (0..4).flat_map(|i| shard_runs(10, Some((i, 4)))).collect();
        all.sort();
        assert_eq!(all, (0..10).collect::<Vec<_>>());
        assert_eq!(shard_runs(10, Some((1, 4))), vec![1, 5, 9]);
    }

    #[test]
    fn a_latin_hypercube_puts_one_sample_in_every_stratum_of_every_key() {
        let text = "base = \"homeostasis\"\n[[axis]]\n[axis.latin_hypercube]\nsamples = 10\nseed = 3\nranges = { \"osteoclast.lifespan_days\" = \"declared\", \"tumor.seed_cells\" = [0, 99] }\n";
        let s = sweep_from(text).unwrap();
        assert_eq!(s.runs.len(), 10);
        let info = ModelParams::catalogue().into_iter().find(|p| p.dotted() == "osteoclast.lifespan_days").unwrap();
        let mut strata: Vec<usize> = s
            .runs
            .iter()
            .map(|r| {
                let v: f64 =
                    r.settings.iter().find(|(k, _)| k == "osteoclast.lifespan_days").unwrap().1.parse().unwrap();
                assert!((info.min..=info.max).contains(&v));
                ((v - info.min) / (info.max - info.min) * 10.0) as usize
            })
            .collect();
        strata.sort();
        assert_eq!(strata, (0..10).collect::<Vec<_>>(), "one sample per tenth of the declared range");
        let cells: Vec<i64> = s
            .runs
            .iter()
            .map(|r| r.settings.iter().find(|(k, _)| k == "tumor.seed_cells").unwrap().1.parse().unwrap())
            .collect();
        let mut tenths: Vec<i64> = cells.iter().map(|c| c / 10).collect();
        tenths.sort();
        assert_eq!(tenths, (0..10).collect::<Vec<_>>());
        // The same seed gives the same design; another seed another.
        assert_eq!(sweep_from(text).unwrap().runs, s.runs);
        assert_ne!(sweep_from(&text.replace("seed = 3", "seed = 4")).unwrap().runs, s.runs);
        // Every run loads.
        for r in &s.runs {
            s.load_run(r).unwrap();
        }
    }

    #[test]
    fn bad_axes_are_refused_with_the_axis_and_key() {
        let e = |t: &str| format!("{:#}", sweep_from(&format!("base = \"homeostasis\"\n{t}")).err().unwrap());
        assert!(e("[[axis]]\nkey = \"x\"\n").contains("axis 1: give exactly one of values"));
        assert!(e("[[axis]]\nvalues = [1]\n").contains("needs a key"));
        assert!(e("[[axis]]\nseeds = 2\n[[axis]]\nseeds = 3\n").contains("seed is set twice"));
        assert!(e("[[axis]]\nkey = \"a\"\nrange = { from = 1, to = 2, steps = 1 }\n").contains("steps must be 2"));
        assert!(e("[[axis]]\n[axis.latin_hypercube]\nsamples = 3\nseed = 1\nranges = { \"tumor.seed_cells\" = \"declared\" }\n")
            .contains("\"declared\" needs a model parameter"));
        assert!(e("[[axis]]\nkey = \"a\"\nvalues = [1]\nbogus = 1\n").contains(":5:1: unknown field `bogus`"));
        let s = sweep_from("base = \"homeostasis\"\n[[axis]]\nkey = \"patient.estrogn\"\nvalues = [1]\n").unwrap();
        let err = format!("{:#}", s.load_run(&s.runs[0]).unwrap_err());
        assert!(err.contains("run 0 (patient.estrogn=1)") && err.contains("did you mean patient.estrogen"), "{err}");
        let s = sweep_from("base = \"homeostasis\"\n[[axis]]\nkey = \"patient.estrogen\"\nvalues = [5.0]\n").unwrap();
        let err = format!("{:#}", s.load_run(&s.runs[0]).unwrap_err());
        assert!(err.contains("sweep axis patient.estrogen=5.0: patient.estrogen: 5 is out of range"), "{err}");
    }

    #[test]
    fn the_shipped_sweeps_expand_and_every_run_loads() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/sweeps");
        let mut seen = 0;
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let sweep = Sweep::read(&path).unwrap_or_else(|e| panic!("{}: {e:#}", path.display()));
            assert!(sweep.runs.len() >= 10, "{}: {} runs", path.display(), sweep.runs.len());
            for run in &sweep.runs {
                sweep.load_run(run).unwrap_or_else(|e| panic!("{}: {e:#}", path.display()));
            }
            seen += 1;
        }
        assert!(seen >= 3, "seed replicates, dose-response and sensitivity sweeps are shipped");
    }

    #[test]
    fn floats_stay_floats_and_strings_stay_quoted() {
        assert_eq!(float_text(7.0), "7.0");
        assert_eq!(float_text(0.1), "0.1");
        assert_eq!(float_text(1e-20), "0.00000000000000000001");
        assert_eq!(value_text(&toml::Value::String("image:a b.png".into())), "\"image:a b.png\"");
    }
}
