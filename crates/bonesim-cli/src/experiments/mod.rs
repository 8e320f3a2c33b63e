//! `bonesim experiments`: the seed review's claims as virtual experiments.
//!
//! Each experiment ([`suite`]) is a claim with its source, arms of bundled scenarios with
//! overrides, run over several seeds; each check reduces every run to one number, compares
//! arms ([`stats`]) and gives a verdict by rules written into the report ([`analysis`]). The
//! runs go in parallel, one thread each, with a progress bar; the folder gets `report.md`,
//! `results.json` and one figure per experiment ([`plot`]), written under a temporary name
//! and renamed when complete.

pub mod analysis;
pub mod plot;
pub mod report;
pub mod stats;
pub mod suite;

use crate::cli::ExperimentsArgs;
use crate::error::input;
use crate::output::{RunFolder, check_destination};
use analysis::{CheckResult, Rules, Verdict};
use anyhow::{Context, Result, anyhow};
use bonesim::field::FieldId;
use bonesim::pharmacology::Drug;
use bonesim::{Readouts, Sim};
use bonesim_scenario::{Loaded, Override, Source, load};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;
use suite::{Experiment, Summary};

/// Side of the domain in `--quick` mode, sites (1 × 1 mm).
pub const QUICK_SIDE: usize = 100;
/// Seeds per arm in full mode.
pub const FULL_SEEDS: usize = 5;
/// Seeds per arm with `--quick`.
pub const QUICK_SEEDS: usize = 3;

/// How a suite is run.
#[derive(Clone, Debug)]
pub struct Plan {
    /// Quick mode: small domains, few seeds, α = 0.1.
    pub quick: bool,
    /// The experiments to run.
    pub experiments: Vec<Experiment>,
    /// Seeds per arm (overrides the defaults).
    pub seeds: Option<usize>,
    /// Worker threads.
    pub threads: usize,
    /// The command as typed, for the report.
    pub command: String,
}

impl Plan {
    /// Seeds of `experiment`'s arms.
    pub fn seeds_of(&self, experiment: &Experiment) -> Vec<u64> {
        let n = self.seeds.unwrap_or(if self.quick {
            experiment.seeds_quick.unwrap_or(QUICK_SEEDS).max(QUICK_SEEDS)
        } else {
            experiment.seeds_full.unwrap_or(FULL_SEEDS).max(FULL_SEEDS)
        });
        (1..=n as u64).collect()
    }

    /// Days of `experiment`'s runs.
    pub fn days_of(&self, experiment: &Experiment) -> f64 {
        if self.quick { experiment.days.1 } else { experiment.days.0 }
    }

    /// The verdict rules.
    pub fn rules(&self) -> Rules {
        if self.quick { Rules::QUICK } else { Rules::FULL }
    }
}

/// One run: an arm of an experiment with one seed.
struct Job {
    experiment: usize,
    arm: usize,
    seed: u64,
    loaded: Loaded,
    /// Site-ticks, for the progress bar.
    work: u64,
    /// What makes the run: scenario, overrides, seed. Arms of different experiments that
    /// are the same run (an untreated control shared by several claims) run once.
    key: String,
}

/// Daily series of the readouts a run records, in the experiment's readout order.
type Series = Vec<Vec<f64>>;

/// The recorded runs of one experiment: `runs[arm][seed index]`.
pub struct ExperimentRuns {
    /// Readout names, in series order.
    pub readouts: Vec<&'static str>,
    /// Seeds, in order.
    pub seeds: Vec<u64>,
    /// `runs[arm][seed]` = daily series per readout.
    pub runs: Vec<Vec<Series>>,
}

impl ExperimentRuns {
    /// The daily series of `readout` for every seed of arm `arm`.
    pub fn series(&self, arm: usize, readout: &str) -> Vec<&[f64]> {
        let i = self.readouts.iter().position(|r| *r == readout).expect("a recorded readout");
        self.runs[arm].iter().map(|s| s[i].as_slice()).collect()
    }
}

/// The outcome of one experiment.
#[derive(Serialize)]
pub struct ExperimentResult {
    /// Name.
    pub name: String,
    /// The claim.
    pub claim: String,
    /// Its source.
    pub source: String,
    /// Scenario of the arms.
    pub scenario: String,
    /// What the claim rests on in the model.
    pub mechanism: String,
    /// Simulated days.
    pub days: f64,
    /// Seeds per arm.
    pub seeds: Vec<u64>,
    /// Arms and their overrides.
    pub arms: Vec<ArmInfo>,
    /// Every check.
    pub checks: Vec<CheckResult>,
    /// The experiment's verdict.
    pub verdict: Verdict,
    /// Its figure, relative to the folder.
    pub figure: String,
    /// Daily median and quartiles per arm and readout, as drawn.
    pub time_courses: Vec<TimeCourse>,
}

/// An arm as run.
#[derive(Serialize)]
pub struct ArmInfo {
    /// Name.
    pub name: String,
    /// Overrides, as `--set` takes them.
    pub overrides: Vec<String>,
}

/// One arm's daily course of one readout over the seeds.
#[derive(Serialize)]
pub struct TimeCourse {
    /// The arm.
    pub arm: String,
    /// The readout.
    pub readout: String,
    /// Days.
    pub day: Vec<f64>,
    /// First quartile over seeds, per day.
    pub q1: Vec<f64>,
    /// Median.
    pub median: Vec<f64>,
    /// Third quartile.
    pub q3: Vec<f64>,
}

/// The whole suite's outcome (`results.json`).
#[derive(Serialize)]
pub struct SuiteResult {
    /// Engine version.
    pub version: &'static str,
    /// `full` or `quick`.
    pub mode: &'static str,
    /// The command that produced it.
    pub command: String,
    /// Worker threads.
    pub threads: usize,
    /// Wall time of the whole suite, seconds.
    pub wall_seconds: f64,
    /// Runs made.
    pub runs: usize,
    /// Seeds per arm set by `--seeds` for every experiment, if it was given.
    pub seeds_per_arm: Option<usize>,
    /// The verdict rules.
    pub rules: Rules,
    /// Every experiment.
    pub experiments: Vec<ExperimentResult>,
}

/// `bonesim experiments`.
pub fn command(args: ExperimentsArgs) -> Result<()> {
    let all = suite::suite();
    if args.list {
        let mut out = std::io::stdout().lock();
        for e in &all {
            writeln!(out, "{:30} {}", e.name, e.claim.split_whitespace().collect::<Vec<_>>().join(" "))?;
        }
        return Ok(());
    }
    let experiments = select(all, &args.only)?;
    let threads = match args.threads {
        Some(n) => n as usize,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let out = args.out.clone().ok_or_else(|| input("--out DIR is required (where report.md and the figures go)"))?;
    let mut command = String::from("bonesim experiments");
    if args.quick {
        command.push_str(" --quick");
    }
    for o in &args.only {
        command.push_str(&format!(" --only {o}"));
    }
    if let Some(s) = args.seeds {
        command.push_str(&format!(" --seeds {s}"));
    }
    command.push_str(&format!(" --out {}", out.display()));
    let plan = Plan { quick: args.quick, experiments, seeds: args.seeds.map(|s| s as usize), threads, command };
    let result = run(&plan, &out, args.force)?;
    print_verdicts(&result, &out)
}

/// The experiments named by `--only` (all if none), or an input error naming the known ones.
pub fn select(all: Vec<Experiment>, only: &[String]) -> Result<Vec<Experiment>> {
    if only.is_empty() {
        return Ok(all);
    }
    let names: Vec<&str> = all.iter().map(|e| e.name).collect();
    for o in only {
        if !names.contains(&o.as_str()) {
            return Err(input(format!("--only {o}: no such experiment (there are: {})", names.join(", "))));
        }
    }
    Ok(all.into_iter().filter(|e| only.iter().any(|o| o == e.name)).collect())
}

/// Runs `plan` and writes its folder at `destination`.
pub fn run(plan: &Plan, destination: &Path, replace: bool) -> Result<SuiteResult> {
    let started = Instant::now();
    check_readouts(&plan.experiments)?;
    let jobs = jobs(plan)?;
    check_destination(destination, replace)?;
    let out = RunFolder::open(destination, replace, &|_| {})?;
    // Each distinct run once, recording every readout any experiment asks of it.
    let mut unique: Vec<usize> = Vec::new();
    let mut run_of: Vec<usize> = Vec::with_capacity(jobs.len());
    for (i, job) in jobs.iter().enumerate() {
        match unique.iter().position(|&u| jobs[u].key == job.key) {
            Some(k) => run_of.push(k),
            None => {
                run_of.push(unique.len());
                unique.push(i);
            }
        }
    }
    let mut all_readouts: Vec<&'static str> = plan.experiments.iter().flat_map(|e| e.readouts()).collect();
    all_readouts.sort();
    all_readouts.dedup();
    let total: u64 = unique.iter().map(|&u| jobs[u].work).sum();
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {percent:>3}% {msg} (eta {eta})")?
            .progress_chars("=> "),
    );
    bar.set_message(format!("{} runs", unique.len()));
    let pool =
        rayon::ThreadPoolBuilder::new().num_threads(plan.threads).build().context("cannot start the worker threads")?;
    let readouts: Vec<Vec<&'static str>> = plan.experiments.iter().map(|e| e.readouts()).collect();
    let simulated: Vec<Result<Series>> =
        pool.install(|| unique.par_iter().with_max_len(1).map(|&u| simulate(&jobs[u], &all_readouts, &bar)).collect());
    bar.finish_and_clear();
    // Each job takes its experiment's readouts from its run.
    let results = jobs.iter().zip(&run_of).map(|(job, &k)| match &simulated[k] {
        Ok(series) => Ok(readouts[job.experiment]
            .iter()
            .map(|r| series[all_readouts.iter().position(|a| a == r).expect("recorded")].clone())
            .collect::<Series>()),
        Err(e) => Err(anyhow!("{e:#}")),
    });
    let mut runs: Vec<ExperimentRuns> = plan
        .experiments
        .iter()
        .zip(&readouts)
        .map(|(e, r)| ExperimentRuns {
            readouts: r.clone(),
            seeds: plan.seeds_of(e),
            runs: vec![Vec::new(); e.arms.len()],
        })
        .collect();
    // Jobs are grouped by experiment, then arm, then seed, so pushing keeps seed order.
    for (job, series) in jobs.iter().zip(results) {
        let e = &plan.experiments[job.experiment];
        let series =
            series.with_context(|| format!("{} arm \"{}\" seed {}", e.name, e.arms[job.arm].name, job.seed))?;
        runs[job.experiment].runs[job.arm].push(series);
    }
    plot::register_font();
    let mut experiments = Vec::new();
    for (e, r) in plan.experiments.iter().zip(&runs) {
        let result = analyse(plan, e, r);
        plot::figure(e, &result, &out.file(&result.figure))
            .with_context(|| format!("cannot draw {}", result.figure))?;
        experiments.push(result);
    }
    let result = SuiteResult {
        version: bonesim::VERSION,
        mode: if plan.quick { "quick" } else { "full" },
        command: plan.command.clone(),
        threads: plan.threads,
        wall_seconds: started.elapsed().as_secs_f64(),
        runs: unique.len(),
        seeds_per_arm: plan.seeds,
        rules: plan.rules(),
        experiments,
    };
    std::fs::write(out.file("report.md"), report::markdown(&result)).context("cannot write report.md")?;
    let mut json = serde_json::to_string_pretty(&result)?;
    json.push('\n');
    std::fs::write(out.file("results.json"), json).context("cannot write results.json")?;
    out.commit()?;
    Ok(result)
}

/// Every readout the suite names must be a column of `timeseries.csv`.
fn check_readouts(experiments: &[Experiment]) -> Result<()> {
    let known = known_columns();
    for e in experiments {
        for r in e.readouts() {
            if !known.iter().any(|k| k == r) {
                return Err(anyhow!("experiment {}: {r} is not a readout", e.name));
            }
        }
    }
    Ok(())
}

/// The columns a run can have.
pub fn known_columns() -> Vec<String> {
    let readouts = Readouts { field_means_pm: vec![0.0; FieldId::ALL.len()], ..Readouts::default() };
    let mut known: Vec<String> = readouts.columns().into_iter().map(|(n, _)| n).collect();
    known.extend(Drug::ALL.iter().map(|d| format!("plasma_{}", d.name())));
    known.extend(FieldId::ALL.iter().filter(|f| f.is_drug()).map(|f| format!("{}_pm", f.name())));
    known
}

/// Every run of the plan, loaded and checked before anything runs.
fn jobs(plan: &Plan) -> Result<Vec<Job>> {
    let mut jobs = Vec::new();
    for (ei, e) in plan.experiments.iter().enumerate() {
        let days = plan.days_of(e);
        for (ai, arm) in e.arms.iter().enumerate() {
            for seed in plan.seeds_of(e) {
                let mut overrides = Vec::new();
                for (k, v) in e.common.iter().chain(&arm.sets) {
                    overrides.push(Override::from_set(k, v)?);
                }
                if plan.quick {
                    overrides.push(Override::from_set("domain.width", &QUICK_SIDE.to_string())?);
                    overrides.push(Override::from_set("domain.height", &QUICK_SIDE.to_string())?);
                }
                overrides.push(Override::days(days));
                let source = Source::open(e.scenario)?;
                let loaded = load(source, overrides, Some(seed))
                    .with_context(|| format!("experiment {} arm \"{}\"", e.name, arm.name))?;
                let s = &loaded.scenario;
                let work = s.ticks() * (s.domain.width * s.domain.height) as u64;
                let mut sets: Vec<String> = e.common.iter().chain(&arm.sets).map(|(k, v)| format!("{k}={v}")).collect();
                sets.sort();
                let key = format!("{} {} seed {seed} days {days} quick {}", e.scenario, sets.join(" "), plan.quick);
                jobs.push(Job { experiment: ei, arm: ai, seed, loaded, work, key });
            }
        }
    }
    Ok(jobs)
}

/// Runs one job on a thread of its own, recording `readouts` every simulated day.
fn simulate(job: &Job, readouts: &[&str], bar: &ProgressBar) -> Result<Series> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().context("cannot start a run's thread")?;
    pool.install(|| {
        let mut sim = job.loaded.build()?;
        let scenario = sim.scenario();
        let ticks_per_day = (24.0 / scenario.time.tick_hours).round().max(1.0) as u64;
        let sites = (scenario.domain.width * scenario.domain.height) as u64;
        let total = sim.total_ticks();
        let mut series: Series = vec![Vec::new(); readouts.len()];
        record(&sim, readouts, &mut series)?;
        while sim.tick() < total {
            sim.step();
            if sim.tick() % ticks_per_day == 0 || sim.tick() == total {
                record(&sim, readouts, &mut series)?;
            }
            bar.inc(sites);
        }
        Ok(series)
    })
}

fn record(sim: &Sim, readouts: &[&str], series: &mut Series) -> Result<()> {
    let columns = sim.readouts().columns();
    for (i, name) in readouts.iter().enumerate() {
        // A plasma column exists only in arms that give the drug: elsewhere it is zero.
        let value = columns.iter().find(|(n, _)| n == name).map_or(0.0, |c| c.1);
        if !value.is_finite() {
            return Err(anyhow!("{name} is {value} on day {}", sim.day()));
        }
        series[i].push(value);
    }
    Ok(())
}

/// The checks, the verdict and the time courses of one experiment.
fn analyse(plan: &Plan, e: &Experiment, runs: &ExperimentRuns) -> ExperimentResult {
    let days = plan.days_of(e);
    let arm_index = |name: &str| e.arms.iter().position(|a| a.name == name).expect("checked arm");
    let values = |arm: &str, readout: &str, summary: Summary| -> Vec<f64> {
        runs.series(arm_index(arm), readout).into_iter().map(|s| summary.apply(s)).collect()
    };
    let checks: Vec<CheckResult> =
        e.checks.iter().map(|c| analysis::judge(e, c, days, plan.rules(), &values)).collect();
    let mut time_courses = Vec::new();
    for (ai, arm) in e.arms.iter().enumerate() {
        for &readout in &e.plots {
            let series = runs.series(ai, readout);
            let n = series.iter().map(|s| s.len()).min().unwrap_or(0);
            let mut course = TimeCourse {
                arm: arm.name.into(),
                readout: readout.into(),
                day: vec![],
                q1: vec![],
                median: vec![],
                q3: vec![],
            };
            for d in 0..n {
                let v: Vec<f64> = series.iter().map(|s| s[d]).collect();
                let s = stats::spread(&v);
                course.day.push(d as f64);
                course.q1.push(s.q1);
                course.median.push(s.median);
                course.q3.push(s.q3);
            }
            time_courses.push(course);
        }
    }
    ExperimentResult {
        name: e.name.into(),
        claim: one_line(e.claim),
        source: one_line(e.source),
        scenario: e.scenario.into(),
        mechanism: one_line(e.mechanism),
        days,
        seeds: runs.seeds.clone(),
        arms: e
            .arms
            .iter()
            .map(|a| ArmInfo {
                name: a.name.into(),
                overrides: e.common.iter().chain(&a.sets).map(|(k, v)| format!("{k}={v}")).collect(),
            })
            .collect(),
        verdict: Verdict::combine(checks.iter().map(|c| c.verdict)),
        checks,
        figure: format!("{}.png", e.name),
        time_courses,
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The verdicts on stdout, one line per experiment.
fn print_verdicts(result: &SuiteResult, out: &Path) -> Result<()> {
    let mut o = std::io::stdout().lock();
    for e in &result.experiments {
        writeln!(o, "{:30} {}", e.name, e.verdict.word())?;
    }
    writeln!(
        o,
        "{} runs in {:.0} s on {} threads ({} mode); report in {}",
        result.runs,
        result.wall_seconds,
        result.threads,
        result.mode,
        PathBuf::from(out).join("report.md").display()
    )?;
    Ok(())
}

#[cfg(test)]
mod tests;
