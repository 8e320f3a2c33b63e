//! The commands other than `run`, and the dispatch.

use crate::cli::{Cli, Command, ScenariosArgs, ValidateArgs};
use crate::error::input;
use crate::run;
use anyhow::Result;
use bonesim::ModelParams;
use bonesim_scenario::{Override, Source, bundled, load};
use std::io::Write;

/// Runs the command the user chose.
pub fn dispatch(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run(args) => run::run(args),
        Command::Validate(args) => validate(args),
        Command::Sweep(args) => crate::sweep::sweep(args),
        Command::Collect(args) => crate::collect::collect(args),
        Command::Scenarios(args) => scenarios(args),
        Command::Params => {
            std::io::stdout().lock().write_all(ModelParams::markdown().as_bytes())?;
            Ok(())
        }
        Command::Experiments(args) => crate::experiments::command(args),
        Command::Bench(args) => crate::bench::bench(args),
        Command::Drugs => {
            std::io::stdout().lock().write_all(bonesim::pharmacology::markdown().as_bytes())?;
            Ok(())
        }
    }
}

/// `bonesim validate`: every check of `run`, including building the simulation, then "ok".
fn validate(args: ValidateArgs) -> Result<()> {
    let source = Source::open(&args.scenario)?;
    let overrides = args.sets.set.iter().map(|(k, v)| Override::from_set(k, v)).collect::<Result<Vec<_>, _>>()?;
    let loaded = load(source, overrides, None)?;
    loaded.build()?;
    let mut err = std::io::stderr().lock();
    for note in loaded.notes() {
        writeln!(err, "note: {note}")?;
    }
    for warning in run::warnings(&loaded.scenario) {
        writeln!(err, "{warning}")?;
    }
    writeln!(std::io::stdout().lock(), "ok")?;
    Ok(())
}

/// `bonesim scenarios [NAME]`.
fn scenarios(args: ScenariosArgs) -> Result<()> {
    let mut out = std::io::stdout().lock();
    if let Some(name) = args.name {
        let text = bundled::find(&name).ok_or_else(|| {
            input(format!("no bundled scenario \"{name}\" (bundled: {})", bundled::names().join(", ")))
        })?;
        out.write_all(text.as_bytes())?;
        return Ok(());
    }
    let width = bundled::BUNDLED.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    for (name, text) in bundled::BUNDLED {
        let description = bundled::description(text);
        let description = if description.is_empty() { "(no description)".to_string() } else { description };
        writeln!(out, "{name:width$}  {}", description.split_whitespace().collect::<Vec<_>>().join(" "))?;
    }
    writeln!(out, "\nrun one with `bonesim run NAME`; print one to copy and edit with `bonesim scenarios NAME`")?;
    Ok(())
}
