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
}

/// `bonesim run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario file (TOML), or the name of a bundled scenario (`bonesim scenarios`).
    #[arg(value_name = "SCENARIO")]
    pub scenario: String,
    /// Output folder [default: runs/<scenario name>-seed<seed>]. Written under a temporary
    /// name next to it and renamed when the run has succeeded.
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
    #[command(flatten)]
    pub sets: SetArgs,
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

/// `--set`, shared by `run` and `validate`.
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

/// Splits `KEY=VALUE` at the first `=`.
fn parse_set(arg: &str) -> Result<(String, String), String> {
    match arg.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => Ok((key.trim().to_string(), value.trim().to_string())),
        _ => Err(format!("expected KEY=VALUE, e.g. patient.estrogen=0 or osteoclast.lifespan_days=10; got \"{arg}\"")),
    }
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
