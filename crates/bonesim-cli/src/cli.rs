//! The command line: commands and flags, each with the doc string `--help` shows.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Agent-based simulation of bone remodeling and cancer metastasis around IL-6.
///
/// Exit codes: 0 success, 2 bad input (scenario, flags, files, images), 1 anything else.
#[derive(Debug, Parser)]
#[command(name = "bonesim", version, about, long_about, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario and write timeseries.csv, summary.json and PNG snapshots to a folder.
    Run(RunArgs),
    /// Check a scenario as `run` would, without running it: prints "ok" or the first error.
    Validate(ValidateArgs),
    /// Run a sweep (seeds, parameter grids, Latin hypercubes): all of it, one shard of it, or
    /// as a SLURM job array.
    Sweep(SweepArgs),
    /// Merge the runs of a sweep folder into one table (results.csv), one row per run, and
    /// list the runs that are missing or failed.
    Collect(CollectArgs),
    /// List the bundled scenarios with one-line descriptions, or print one of them.
    Scenarios(ScenariosArgs),
    /// Print the table of model parameters (Markdown): names, defaults, allowed ranges.
    Params,
    /// Run the virtual experiments of the seed review's claims and write report.md,
    /// results.json and one figure per experiment.
    Experiments(ExperimentsArgs),
    /// Print the table of drugs (Markdown): target, dose unit and plausible range per species,
    /// pharmacokinetics, sources.
    Drugs,
    /// Measure the engine's speed: the field solver at several lattice sizes and field counts
    /// on one thread and on all, the memory bandwidth beside it, and a scenario's ticks per
    /// second, memory and time per phase. Takes a few minutes; `--quick` for a glance.
    Bench(BenchArgs),
}

/// `bonesim bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Lattice sizes for the solver, sites along each side, comma-separated [default:
    /// 256,512,1024,2048; 256,512 with --quick].
    #[arg(long, value_name = "N,...", value_delimiter = ',',
          value_parser = clap::value_parser!(u32).range(8..=8192))]
    pub sizes: Vec<u32>,
    /// Field counts for the solver: that many fields stepped together, comma-separated
    /// [default: 1,8,14; 1,8 with --quick].
    #[arg(long, value_name = "N,...", value_delimiter = ',',
          value_parser = clap::value_parser!(u32).range(1..=64))]
    pub fields: Vec<u32>,
    /// Length of one field step, hours (the fields' default `solver.field_step_hours` is 12).
    #[arg(long, value_name = "H", default_value_t = 12.0)]
    pub step_hours: f64,
    /// Number types of the solver's cycles to time, 32 and/or 64 bits, comma-separated
    /// (`solver.float_bits`, 32 in runs by default; the timed scenario takes `--set
    /// solver.float_bits=64`).
    #[arg(long, value_name = "BITS,...", value_delimiter = ',', default_value = "32",
          value_parser = clap::builder::TypedValueParser::map(
              clap::builder::PossibleValuesParser::new(["32", "64"]), |s| s.parse::<u8>().expect("32 or 64")))]
    pub float_bits: Vec<u8>,
    /// Times each measurement is repeated; the median is reported [default: 5, 3 with --quick].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub repeats: Option<u16>,
    /// Threads for "all threads" [default: all cores].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// Scenario to time (file or bundled name).
    #[arg(long, value_name = "SCENARIO", default_value = "homeostasis")]
    pub scenario: String,
    /// Simulated days of each timed scenario run (after the host's spin-up) [default: 30, 5 with --quick].
    #[arg(long, value_name = "N")]
    pub days: Option<f64>,
    /// A glance in about a minute: sizes 256 and 512, 1 and 8 fields, 3 repeats, 5 days.
    #[arg(long)]
    pub quick: bool,
    /// Leave out the solver measurements.
    #[arg(long, conflicts_with = "no_scenario")]
    pub no_solver: bool,
    /// Leave out the scenario measurements.
    #[arg(long)]
    pub no_scenario: bool,
    /// Print the results as JSON on standard output instead of tables.
    #[arg(long)]
    pub json: bool,
    /// Change the timed scenario (`--set domain.width=2048`), as for `run`.
    #[command(flatten)]
    pub sets: SetArgs,
}

/// `bonesim run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario file (TOML), or the name of a bundled scenario (`bonesim scenarios`).
    #[arg(value_name = "SCENARIO", required_unless_present = "resume")]
    pub scenario: Option<String>,
    /// Output folder [default: runs/<scenario name>-seed<seed>]. Written as .NAME.partial
    /// next to it and renamed when the run has succeeded. An interrupted run of the same
    /// scenario left there is resumed from its checkpoint; other leftovers are removed.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Replace the output folder if it already exists (after the run has succeeded).
    #[arg(long)]
    pub force: bool,
    /// Seed of every random stream (overrides the scenario's `seed`).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Simulated days (overrides the scenario's `time.days`, also one given with --set).
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub days: Option<f64>,
    /// Worker threads [default: all cores]. Results do not depend on it.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// Write a checkpoint of the whole simulation every N simulated days (atomically:
    /// temporary file, fsync, rename). SIGTERM, SIGINT and SIGUSR1 write one anyway.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub checkpoint_every_days: Option<f64>,
    /// Continue the interrupted run whose output folder is DIR from its last checkpoint.
    /// The files it ends with are byte-identical to those of a run never interrupted.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["scenario", "out", "force", "seed", "days", "set"])]
    pub resume: Option<PathBuf>,
    #[command(flatten)]
    pub sets: SetArgs,
}

/// `bonesim sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Sweep file (TOML; see scenarios/sweeps/).
    #[arg(value_name = "SWEEP")]
    pub sweep: PathBuf,
    /// Sweep folder: runs.csv (the numbered run list) and runs/NNNN/, one folder per run.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Run only shard I of N (I from 0 to N−1): the runs whose number is I modulo N. A
    /// SLURM array task runs `--shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT`. Runs
    /// already finished are skipped; interrupted ones resume from their checkpoints.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub shard: Option<(usize, usize)>,
    /// Worker threads [default: all cores]: runs go in parallel, one thread each.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// Checkpoint every run every N simulated days [default: the sweep file's
    /// `checkpoint_every_days`, else only when stopped by a signal].
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub checkpoint_every_days: Option<f64>,
    /// List the runs (runs.csv) and check every one of them, without running anything.
    #[arg(long, conflicts_with_all = ["slurm", "shard"])]
    pub dry_run: bool,
    /// Write a SLURM job-array script (DIR/slurm/sweep.sbatch) instead of running.
    #[arg(long)]
    pub slurm: bool,
    /// With --slurm: submit the script with sbatch and print the job id.
    #[arg(long, requires = "slurm")]
    pub submit: bool,
    #[command(flatten)]
    pub slurm_options: SlurmArgs,
}

/// The job array's resources (with `--slurm`).
#[derive(Debug, Args)]
pub struct SlurmArgs {
    /// Partition [default: the cluster's default].
    #[arg(long, value_name = "NAME", requires = "slurm")]
    pub partition: Option<String>,
    /// Time limit of each array task (SLURM's format: MINUTES, HH:MM:SS, D-HH:MM:SS).
    #[arg(long, value_name = "TIME", default_value = "04:00:00", requires = "slurm")]
    pub time: String,
    /// Memory of each array task (SLURM's format: 4G, 500M) [default: estimated from the
    /// largest domain of the sweep, at least 1G].
    #[arg(long, value_name = "SIZE", requires = "slurm")]
    pub mem: Option<String>,
    /// Array tasks [default: one per run, at most 1000]. Each runs its shard of the runs.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100_000), requires = "slurm")]
    pub tasks: Option<u32>,
    /// Threads of each array task (--cpus-per-task).
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..), requires = "slurm")]
    pub cpus_per_task: u16,
    /// At most this many array tasks at once (the `%N` of --array) [default: no limit].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..), requires = "slurm")]
    pub max_running: Option<u32>,
    /// Seconds before the time limit at which a task checkpoints and requeues itself.
    #[arg(long, value_name = "S", default_value_t = 300, requires = "slurm")]
    pub warn_seconds: u32,
    /// Extra `#SBATCH` lines, e.g. --sbatch=--account=lab42 (repeatable).
    #[arg(long = "sbatch", value_name = "OPTION", allow_hyphen_values = true, requires = "slurm")]
    pub extra: Vec<String>,
}

/// `bonesim collect`.
#[derive(Debug, Args)]
pub struct CollectArgs {
    /// Sweep folder (what `bonesim sweep --out` wrote).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Final readouts to include, comma-separated [default: all of them].
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    pub columns: Vec<String>,
    /// Where to write the table [default: DIR/results.csv]; `-` for standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Exit with 1 when any run is missing, failed or unfinished.
    #[arg(long)]
    pub strict: bool,
}

/// `bonesim validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Scenario file (TOML), or the name of a bundled scenario (`bonesim scenarios`).
    #[arg(value_name = "SCENARIO")]
    pub scenario: String,
    #[command(flatten)]
    pub sets: SetArgs,
}

/// `--set`, shared by `run`, `validate` and `bench`.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// Override a scenario key by its dotted path (`patient.estrogen=0`, `therapy[0].dose=4`,
    /// `domain.geometry=cortical`) or set a model parameter by its dotted name
    /// (`osteoclast.lifespan_days=10`, see `bonesim params`). The value is read as TOML
    /// (`1.5`, `true`, `"text"`, `[1, 2]`); a bare word is a string. Repeatable; later ones win.
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_set)]
    pub set: Vec<(String, String)>,
}

/// `bonesim experiments`.
#[derive(Debug, Args)]
pub struct ExperimentsArgs {
    /// Small (1 × 1 mm) domains and three seeds per arm: a screen that fits in the test suite.
    #[arg(long)]
    pub quick: bool,
    /// Run only this experiment (repeatable; `--list` names them).
    #[arg(long, value_name = "NAME")]
    pub only: Vec<String>,
    /// Output folder (report.md, results.json, NAME.png); written under a temporary name and
    /// renamed when complete.
    #[arg(long, value_name = "DIR", required_unless_present = "list")]
    pub out: Option<PathBuf>,
    /// Replace the output folder if it exists.
    #[arg(long)]
    pub force: bool,
    /// Seeds per arm [default: 5, or 3 with --quick; some experiments ask for more].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(2..))]
    pub seeds: Option<u16>,
    /// Runs at once [default: all cores]; each run uses one thread. Results do not depend on it.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// List the experiments with their claims.
    #[arg(long)]
    pub list: bool,
}

/// `bonesim scenarios`.
#[derive(Debug, Args)]
pub struct ScenariosArgs {
    /// Print this bundled scenario's TOML (to copy and edit) instead of the list.
    #[arg(value_name = "NAME")]
    pub name: Option<String>,
}

/// `I/N` with 0 ≤ I < N.
fn parse_shard(arg: &str) -> Result<(usize, usize), String> {
    let bad = || format!("expected I/N with 0 ≤ I < N (shards count from 0), e.g. 0/4; got \"{arg}\"");
    let (i, n) = arg.split_once('/').ok_or_else(bad)?;
    let (i, n): (usize, usize) = (i.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
    if n == 0 || i >= n {
        return Err(bad());
    }
    Ok((i, n))
}

/// Splits `KEY=VALUE` at the first `=` (the same rule as the viewer's).
fn parse_set(arg: &str) -> Result<(String, String), String> {
    bonesim_scenario::split_set_arg(arg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn definitions_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn set_splits_at_the_first_equals_sign() {
        assert_eq!(parse_set("name=a=b"), Ok(("name".into(), "a=b".into())));
        assert!(parse_set("novalue").is_err());
        assert!(parse_set("=3").is_err());
    }

    #[test]
    fn threads_must_be_positive() {
        assert!(Cli::try_parse_from(["bonesim", "run", "x.toml", "--threads", "0"]).is_err());
        assert_eq!(parse_shard("3/4"), Ok((3, 4)));
        assert!(parse_shard("4/4").is_err() && parse_shard("1/0").is_err() && parse_shard("x").is_err());
        assert!(Cli::try_parse_from(["bonesim", "run", "--resume", "d", "x.toml"]).is_err());
        assert!(Cli::try_parse_from(["bonesim", "run", "--resume", "d"]).is_ok());
        assert!(Cli::try_parse_from(["bonesim", "run"]).is_err());
        let cli = Cli::try_parse_from(["bonesim", "run", "x.toml", "--threads", "2", "--days", "-1"]).unwrap();
        match cli.command {
            Command::Run(r) => {
                assert_eq!(r.threads, Some(2));
                assert_eq!(r.days, Some(-1.0));
            }
            other => panic!("{other:?}"),
        }
    }
}
