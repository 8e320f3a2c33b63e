//! `bonesim sweep --slurm`: a SLURM job-array script for a sweep, and `--submit`.
//!
//! Each array task runs `bonesim sweep SWEEP --out DIR --shard $SLURM_ARRAY_TASK_ID/N` under
//! `srun`, so it is the job step SLURM signals. The script asks SLURM for SIGUSR1 a few
//! minutes before the time limit (`--signal=USR1@S`): bonesim checkpoints every run in
//! progress and exits with 138, and the script then requeues its own task. A requeued task
//! (after that, after a preemption, or after a node failure, thanks to `--requeue`) runs the
//! same shard again: finished runs are skipped, interrupted ones resume from their
//! checkpoints. `scancel` sends SIGTERM: the runs checkpoint and the task ends for good.

use crate::cli::{SlurmArgs, SweepArgs};
use crate::error::input;
use crate::sweep::Sweep;
use anyhow::{Context, Result};
use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

/// Largest array SLURM accepts by default (`MaxArraySize` 1001 allows indices 0–1000).
const MAX_DEFAULT_TASKS: usize = 1000;
/// Memory per lattice site of a run, bytes: a 400 × 400 `homeostasis` run peaks at 144 MB
/// resident (900 B per site: fields, their sources and solver, cells); three times that
/// leaves room for tumour growth and a checkpoint being encoded (48 MB at 400 × 400).
const BYTES_PER_SITE: f64 = 3000.0;

/// What the job script is made of.
struct Job<'a> {
    name: String,
    bonesim: String,
    sweep: &'a Path,
    out: &'a Path,
    tasks: usize,
    runs: usize,
    args: &'a SweepArgs,
    mem: String,
    checkpoint_every: Option<f64>,
}

/// Quotes `s` for the shell when it needs it.
fn quote(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+=:,@%".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

fn script(job: &Job) -> String {
    let o = &job.args.slurm_options;
    let mut s = String::from("#!/bin/bash\n");
    let mut sbatch = |line: String| {
        let _ = writeln!(s, "#SBATCH {line}");
    };
    sbatch(format!("--job-name={}", quote(&job.name)));
    let throttle = o.max_running.map(|m| format!("%{m}")).unwrap_or_default();
    sbatch(format!("--array=0-{}{throttle}", job.tasks - 1));
    if let Some(p) = &o.partition {
        sbatch(format!("--partition={}", quote(p)));
    }
    sbatch(format!("--time={}", quote(&o.time)));
    sbatch(format!("--mem={}", quote(&job.mem)));
    sbatch("--ntasks=1".into());
    sbatch(format!("--cpus-per-task={}", o.cpus_per_task));
    sbatch("--requeue".into());
    sbatch(format!("--signal=USR1@{}", o.warn_seconds));
    sbatch("--open-mode=append".into());
    sbatch(format!("--output={}", quote(&job.out.join("slurm/logs/%A_%a.out").display().to_string())));
    for extra in &o.extra {
        sbatch(quote(extra));
    }
    let checkpoint = job
        .checkpoint_every
        .map(|d| format!(" --checkpoint-every-days {}", crate::output::number(d)))
        .unwrap_or_default();
    let _ = write!(
        s,
        r#"
# Written by `bonesim sweep --slurm`: {runs} runs of {sweep} in {tasks} array tasks.
# Each task runs its shard of the runs (every {tasks}th run from its task id). Finished runs
# are skipped and interrupted ones resume from their checkpoints, so a task can be requeued
# (scontrol requeue JOBID_TASK) or resubmitted at any time. Collect with:
#   {bonesim} collect {out}
set -u
echo "task ${{SLURM_ARRAY_TASK_ID}} of job ${{SLURM_ARRAY_JOB_ID}} on $(hostname), restart ${{SLURM_RESTART_COUNT:-0}}"
srun --ntasks=1 --cpus-per-task="${{SLURM_CPUS_PER_TASK:-1}}" \
  {bonesim} sweep {sweep} --out {out} \
  --shard "${{SLURM_ARRAY_TASK_ID}}/{tasks}" --threads "${{SLURM_CPUS_PER_TASK:-1}}"{checkpoint}
status=$?
if [ "$status" -eq 138 ]; then
  # SIGUSR1 before the time limit: every run in progress wrote a checkpoint. Go on later.
  echo "time limit near: requeueing ${{SLURM_ARRAY_JOB_ID}}_${{SLURM_ARRAY_TASK_ID}}"
  scontrol requeue "${{SLURM_ARRAY_JOB_ID}}_${{SLURM_ARRAY_TASK_ID}}"
fi
exit "$status"
"#,
        runs = job.runs,
        sweep = quote(&job.sweep.display().to_string()),
        tasks = job.tasks,
        bonesim = quote(&job.bonesim),
        out = quote(&job.out.display().to_string()),
    );
    s
}

/// Refuses a `--time` SLURM would not read, and a `--warn-seconds` that does not fall inside
/// the time limit: SLURM would send its SIGUSR1 as each task starts, and every task would
/// checkpoint and requeue itself before doing any work, over and over.
pub fn check_options(o: &SlurmArgs) -> Result<()> {
    let Some(limit) = time_limit_seconds(&o.time) else {
        return Err(input(format!(
            "--time {}: not a SLURM time limit (MINUTES, MINUTES:SECONDS, HH:MM:SS, DAYS-HH, \
             DAYS-HH:MM, DAYS-HH:MM:SS or UNLIMITED)",
            o.time
        )));
    };
    if let Some(limit) = limit.filter(|&limit| u64::from(o.warn_seconds) >= limit) {
        return Err(input(format!(
            "--warn-seconds {} is not inside --time {} ({limit} s): SLURM would ask every task to \
             checkpoint and requeue itself as it starts. Give a --warn-seconds below the time \
             limit, leaving the task time to work (a tenth of the limit, say)",
            o.warn_seconds, o.time
        )));
    }
    Ok(())
}

/// A time limit in SLURM's formats, in seconds: `Some(None)` for no limit (`UNLIMITED`,
/// `INFINITE`, or 0 minutes), `None` if it is not one.
fn time_limit_seconds(time: &str) -> Option<Option<u64>> {
    let time = time.trim();
    if ["unlimited", "infinite"].contains(&time.to_ascii_lowercase().as_str()) {
        return Some(None);
    }
    let number = |s: &str| (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<u64>().ok())?;
    let (days, clock) = match time.split_once('-') {
        Some((days, clock)) => (Some(number(days)?), clock),
        None => (None, time),
    };
    let parts = clock.split(':').map(number).collect::<Option<Vec<u64>>>()?;
    let seconds = match (days, parts.as_slice()) {
        // Without days: MINUTES, MINUTES:SECONDS, HOURS:MINUTES:SECONDS.
        (None, [m]) => m * 60,
        (None, [m, s]) => m * 60 + s,
        (None, [h, m, s]) | (Some(_), [h, m, s]) => h * 3600 + m * 60 + s,
        // With days: DAYS-HOURS, DAYS-HOURS:MINUTES.
        (Some(_), [h]) => h * 3600,
        (Some(_), [h, m]) => h * 3600 + m * 60,
        _ => return None,
    } + days.unwrap_or(0) * 86_400;
    Some((seconds > 0).then_some(seconds))
}

/// Writes `DIR/slurm/sweep.sbatch` and, with `--submit`, submits it.
pub fn write_and_submit(
    sweep: &Sweep,
    out: &Path,
    args: &SweepArgs,
    largest_domain_sites: usize,
    checkpoint_every: Option<f64>,
) -> Result<()> {
    let o = &args.slurm_options;
    let runs = sweep.runs.len();
    let tasks = o.tasks.map_or(runs.min(MAX_DEFAULT_TASKS), |t| t as usize).min(runs).max(1);
    let bonesim = std::env::current_exe().context("cannot find the bonesim executable")?;
    let mem = o.mem.clone().unwrap_or_else(|| {
        let gb = (largest_domain_sites as f64 * BYTES_PER_SITE * o.cpus_per_task as f64 / 1e9).ceil().max(1.0);
        format!("{gb}G")
    });
    let name =
        if sweep.file.name.is_empty() { "bonesim-sweep".to_string() } else { format!("bonesim-{}", sweep.file.name) };
    let job = Job {
        name,
        bonesim: bonesim.display().to_string(),
        sweep: &sweep.path,
        out,
        tasks,
        runs,
        args,
        mem,
        checkpoint_every,
    };
    let text = script(&job);
    let dir = out.join("slurm");
    std::fs::create_dir_all(dir.join("logs")).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join("sweep.sbatch");
    std::fs::write(&path, &text).with_context(|| format!("cannot write {}", path.display()))?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "wrote {} ({runs} runs in {tasks} array tasks)", path.display())?;
    if !args.submit {
        writeln!(stdout, "submit it with: sbatch {}", path.display())?;
        return Ok(());
    }
    let output = std::process::Command::new("sbatch").arg("--parsable").arg(&path).output();
    let output = match output {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            anyhow::bail!("sbatch not found: is SLURM installed here? The script is {}", path.display())
        }
        Err(e) => return Err(e).context("cannot run sbatch"),
    };
    if !output.status.success() {
        let why = String::from_utf8_lossy(&output.stderr).trim().to_string();
        return Err(if why.contains("Invalid") || why.contains("invalid") {
            input(format!("sbatch refused {}: {why}", path.display()))
        } else {
            anyhow::anyhow!("sbatch failed on {}: {why}", path.display())
        });
    }
    let id = String::from_utf8_lossy(&output.stdout).trim().split(';').next().unwrap_or_default().to_string();
    writeln!(stdout, "submitted job {id}")?;
    writeln!(
        stdout,
        "follow it with: squeue -j {id}; collect with: {} collect {}",
        quote(&job.bonesim),
        out.display()
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_limits_are_read_in_every_slurm_format() {
        for (time, seconds) in [
            ("5", Some(300)),
            ("5:30", Some(330)),
            ("04:00:00", Some(14_400)),
            ("1-12", Some(129_600)),
            ("1-12:30", Some(131_400)),
            ("2-00:00:10", Some(172_810)),
            ("UNLIMITED", None),
            ("infinite", None),
            ("0", None),
        ] {
            assert_eq!(time_limit_seconds(time), Some(seconds), "{time}");
        }
        for bad in ["", "5h", "1:2:3:4", "-5", "1-", "1-2-3", "a:b", "1-2:3:4:5"] {
            assert_eq!(time_limit_seconds(bad), None, "{bad}");
        }
    }

    #[test]
    fn words_are_quoted_for_the_shell_only_when_needed() {
        assert_eq!(quote("/a/b-c.toml"), "/a/b-c.toml");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote(""), "''");
    }
}
