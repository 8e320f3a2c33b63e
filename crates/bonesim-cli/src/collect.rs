//! `bonesim collect DIR`: one table of every run of a sweep folder.
//!
//! One row per run of `runs.csv`, in run order: the run's number and status, its axis
//! values, seed, lesion and the chosen final readouts, and for a run that is not complete
//! the reason. The table holds only what the simulation decides (no wall times, no thread
//! counts), so a sweep run on a cluster and the same sweep run on a laptop give the same
//! bytes.

use crate::cli::CollectArgs;
use crate::error::input;
use crate::output::{CHECKPOINT, number, partial_path};
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::Path;

/// Whether the run folder `dir` holds a run that ended (complete or failed): its
/// `summary.json` reads and has a status.
pub fn finished(dir: &Path) -> bool {
    read_summary(dir).is_ok()
}

fn read_summary(dir: &Path) -> Result<serde_json::Value, String> {
    let path = dir.join("summary.json");
    let text = fs::read_to_string(&path).map_err(|e| format!("no summary.json ({e})"))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("summary.json is not valid JSON ({e})"))?;
    match value.get("status").and_then(|s| s.as_str()) {
        Some("complete" | "failed") => Ok(value),
        _ => Err("summary.json has no status".into()),
    }
}

/// What became of one run.
struct RunState {
    status: &'static str,
    seed: String,
    lesion: String,
    finals: BTreeMap<String, f64>,
    reason: String,
}

fn state_of(sweep_dir: &Path, folder: &str) -> RunState {
    let dir = sweep_dir.join(folder);
    let blank = |status, reason: String| RunState {
        status,
        seed: String::new(),
        lesion: String::new(),
        finals: BTreeMap::new(),
        reason,
    };
    match read_summary(&dir) {
        Ok(summary) => {
            let status = if summary["status"] == "complete" { "complete" } else { "failed" };
            let finals = summary["final"]
                .as_object()
                .map(|o| o.iter().filter_map(|(k, v)| v.as_f64().map(|v| (k.clone(), v))).collect())
                .unwrap_or_default();
            RunState {
                status,
                seed: summary["seed"].as_u64().map(|s| s.to_string()).unwrap_or_default(),
                lesion: if status == "complete" {
                    summary["lesion"].as_str().unwrap_or_default().to_string()
                } else {
                    String::new()
                },
                finals,
                reason: summary["error"].as_str().unwrap_or_default().to_string(),
            }
        }
        Err(why) if dir.exists() => blank("broken", format!("{}: {why}", dir.display())),
        Err(_) => {
            let name = Path::new(folder).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let error_file = sweep_dir.join("errors").join(format!("{name}.txt"));
            let partial = partial_path(&dir);
            if let Ok(text) = fs::read_to_string(&error_file) {
                blank("error", text.trim().to_string())
            } else if partial.join(CHECKPOINT).is_file() {
                blank(
                    "interrupted",
                    "stopped with a checkpoint: run the sweep (or its shard) again to finish it".into(),
                )
            } else if partial.is_dir() {
                blank("running", "being written, or stopped before its first checkpoint".into())
            } else {
                blank("missing", "not run yet".into())
            }
        }
    }
}

/// Runs `bonesim collect`.
pub fn collect(args: CollectArgs) -> Result<()> {
    let list_path = args.dir.join("runs.csv");
    let mut reader = csv::Reader::from_path(&list_path)
        .map_err(|e| input(format!("{}: not a sweep folder: cannot read runs.csv ({e})", args.dir.display())))?;
    let header = reader.headers().with_context(|| format!("cannot read {}", list_path.display()))?.clone();
    if header.get(0) != Some("run") || header.get(1) != Some("folder") {
        return Err(input(format!("{}: not a run list of bonesim sweep", list_path.display())));
    }
    let axes: Vec<String> = header.iter().skip(2).map(String::from).collect();
    let mut runs = Vec::new();
    for record in reader.records() {
        let record = record.with_context(|| format!("cannot read {}", list_path.display()))?;
        let values: Vec<String> = record.iter().map(String::from).collect();
        let state = state_of(&args.dir, &values[1]);
        runs.push((values, state));
    }
    // The readout columns: as chosen, or every one the complete runs report, in their order.
    let known: Vec<String> = {
        let mut names: Vec<String> = Vec::new();
        for (values, s) in &runs {
            if s.status == "complete"
                && let Ok(summary) = read_summary(&args.dir.join(&values[1]))
                && let Some(o) = summary["final"].as_object()
            {
                names = o.keys().cloned().collect();
                break;
            }
        }
        names
    };
    let columns = if args.columns.is_empty() {
        known.clone()
    } else {
        for c in &args.columns {
            if !known.is_empty() && !known.contains(c) {
                return Err(input(format!("--columns {c}: no such readout (readouts: {})", known.join(", "))));
            }
        }
        args.columns.clone()
    };

    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head = vec!["run".to_string(), "status".to_string()];
    head.extend(axes.iter().cloned());
    // The seed, unless an axis already gives it.
    let seed_column = !axes.iter().any(|a| a == "seed");
    if seed_column {
        head.push("seed".to_string());
    }
    head.push("lesion".to_string());
    head.extend(columns.iter().map(|c| format!("final_{c}")));
    head.push("reason".to_string());
    w.write_record(&head)?;
    for (values, s) in &runs {
        let mut row = vec![values[0].clone(), s.status.to_string()];
        row.extend(values.iter().skip(2).cloned());
        if seed_column {
            row.push(s.seed.clone());
        }
        row.push(s.lesion.clone());
        for c in &columns {
            row.push(match (s.status, s.finals.get(c)) {
                ("complete", Some(v)) => number(*v),
                _ => String::new(),
            });
        }
        row.push(s.reason.replace('\n', " "));
        w.write_record(&row)?;
    }
    let table = w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;

    let destination = args.out.clone().unwrap_or_else(|| args.dir.join("results.csv"));
    if destination.as_os_str() == "-" {
        std::io::stdout().lock().write_all(&table)?;
    } else {
        let tmp = destination.with_extension(format!("tmp-{}", std::process::id()));
        fs::write(&tmp, &table).with_context(|| format!("cannot write {}", tmp.display()))?;
        fs::rename(&tmp, &destination).with_context(|| format!("cannot write {}", destination.display()))?;
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, s) in &runs {
        *counts.entry(s.status).or_default() += 1;
    }
    let summary: Vec<String> = counts.iter().map(|(k, v)| format!("{v} {k}")).collect();
    let report = format!(
        "collected {} runs ({}){}",
        runs.len(),
        summary.join(", "),
        if destination.as_os_str() == "-" { String::new() } else { format!(" into {}", destination.display()) }
    );
    let mut err = std::io::stderr().lock();
    writeln!(err, "{report}")?;
    let incomplete: Vec<_> = runs.iter().filter(|(_, s)| s.status != "complete").collect();
    for (values, s) in &incomplete {
        writeln!(err, "  run {} {}: {}", values[0], s.status, s.reason.lines().next().unwrap_or_default())?;
    }
    if args.strict && !incomplete.is_empty() {
        anyhow::bail!("{} of {} runs are not complete", incomplete.len(), runs.len());
    }
    Ok(())
}
