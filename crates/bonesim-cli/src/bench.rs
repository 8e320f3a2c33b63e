//! `bonesim bench`: how fast the engine is on this machine. Everything is measured in one
//! run (the memory bandwidth included), so its figures can be compared with each other;
//! docs/performance.md gives the method and the figures of the project's machines.
//!
//! Every timing is the median of `--repeats`, with the one-thread and the all-threads
//! measurements interleaved so that a noisy neighbour hits both alike. Work runs inside a
//! rayon pool of the stated size, as `bonesim run` runs it.

use crate::cli::BenchArgs;
use crate::error::input;
use anyhow::Result;
use bonesim::benchmark::SolverWorkload;
use bonesim::diffusion::{Precision, SolverSettings};
use bonesim::sim::Phase;
use bonesim_scenario::{Override, Source, load};
use rayon::ThreadPool;
use rayon::prelude::*;
use serde::Serialize;
use std::io::Write;
use std::time::Instant;

/// Elements of each array of the copy kernel: 256 MiB of f64, far beyond any cache.
const COPY_ELEMENTS: usize = 32 << 20;
/// Elements per task of the copy kernel.
const COPY_CHUNK: usize = 1 << 16;
/// The memory target of the speed work (issue 10): bytes per lattice site and per agent.
const BUDGET_BYTES_PER_SITE: f64 = 150.0;
const BUDGET_BYTES_PER_AGENT: f64 = 300.0;

#[derive(Serialize)]
struct Report {
    bonesim: &'static str,
    threads: usize,
    repeats: usize,
    /// Copy bandwidth, GB/s (bytes read plus bytes written, as STREAM counts them).
    bandwidth: Bandwidth,
    solver: Vec<SolverRow>,
    scenario: Option<ScenarioReport>,
}

#[derive(Serialize)]
struct Bandwidth {
    array_mib: usize,
    one_thread_gb_s: f64,
    all_threads_gb_s: f64,
}

#[derive(Serialize)]
struct SolverRow {
    size: usize,
    fields: usize,
    step_hours: f64,
    /// Bits of the numbers the cycles work in (`solver.float_bits`).
    float_bits: u8,
    /// One step of every field, all together, milliseconds.
    one_thread_ms: f64,
    all_threads_ms: f64,
    /// One step of every field, one field after another, on all threads, milliseconds.
    all_threads_apart_ms: f64,
    speedup: f64,
    /// Site × field updates per second.
    one_thread_updates_per_s: f64,
    all_threads_updates_per_s: f64,
    v_cycles_per_field_step: f64,
    /// Bytes the solver's loops stream in one step of every field
    /// (`DiffusionSolver::streamed_bytes`).
    streamed_mb_per_step: f64,
    /// The time those bytes take at the measured bandwidth, over the time measured.
    one_thread_roofline_fraction: f64,
    all_threads_roofline_fraction: f64,
}

#[derive(Serialize)]
struct ScenarioReport {
    name: String,
    width: usize,
    height: usize,
    /// Agents at the end of the first timed run.
    agents: usize,
    days: f64,
    ticks: u64,
    /// Building the simulation, the host's spin-up included, on all threads, s.
    setup_s: f64,
    one_thread: RunTiming,
    all_threads: RunTiming,
    speedup: f64,
    /// Peak resident memory above the process's before the first run was built, bytes
    /// (Linux only).
    peak_memory_bytes: Option<f64>,
    peak_bytes_per_site: Option<f64>,
    budget_bytes: f64,
    /// Share of a tick's time per phase, on all threads.
    phases: Vec<PhaseShare>,
}

#[derive(Serialize)]
struct RunTiming {
    wall_s: f64,
    ticks_per_s: f64,
    days_per_s: f64,
    year_s: f64,
}

#[derive(Serialize)]
struct PhaseShare {
    phase: &'static str,
    share: f64,
    ms_per_tick: f64,
}

/// `bonesim bench`.
pub fn bench(args: BenchArgs) -> Result<()> {
    let repeats = args.repeats.map_or(if args.quick { 3 } else { 5 }, usize::from);
    let days = args.days.unwrap_or(if args.quick { 5.0 } else { 30.0 });
    if !(days > 0.0 && days <= 3650.0) {
        return Err(input(format!("--days {days}: expected more than 0 and at most 3650")));
    }
    if !(args.step_hours > 0.0 && args.step_hours <= 24.0 * 365.0) {
        return Err(input(format!("--step-hours {}: expected more than 0 and at most a year", args.step_hours)));
    }
    let sizes: Vec<usize> = match (&args.sizes[..], args.quick) {
        ([], false) => vec![256, 512, 1024, 2048],
        ([], true) => vec![256, 512],
        (given, _) => given.iter().map(|&s| s as usize).collect(),
    };
    let field_counts: Vec<usize> = match (&args.fields[..], args.quick) {
        ([], false) => vec![1, 8, 14],
        ([], true) => vec![1, 8],
        (given, _) => given.iter().map(|&f| f as usize).collect(),
    };
    let threads = args.threads.map_or_else(rayon::current_num_threads, usize::from);
    let pool = |n: usize| rayon::ThreadPoolBuilder::new().num_threads(n).build();
    let pools = [pool(1)?, pool(threads)?];

    // The scenario first: its memory is measured before anything else has grown the process.
    let overrides = args.sets.set.iter().map(|(k, v)| Override::from_set(k, v)).collect::<Result<Vec<_>, _>>()?;
    let scenario =
        if args.no_scenario { None } else { Some(time_scenario(&args.scenario, overrides, days, repeats, &pools)?) };
    progress("memory bandwidth (copy kernel)");
    let bandwidth = measure_bandwidth(repeats, &pools);
    let mut solver = Vec::new();
    if !args.no_solver {
        let total = sizes.len() * field_counts.len() * args.float_bits.len();
        for &size in &sizes {
            for &fields in &field_counts {
                for &bits in &args.float_bits {
                    let n = solver.len() + 1;
                    progress(&format!("solver {size}² × {fields} fields, {bits}-bit ({n} of {total})"));
                    solver.push(time_solver(size, fields, bits, args.step_hours, repeats, &pools, &bandwidth));
                }
            }
        }
    }
    let report = Report { bonesim: bonesim::VERSION, threads, repeats, bandwidth, solver, scenario };
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        out.write_all(tables(&report).as_bytes())?;
    }
    Ok(())
}

fn progress(what: &str) {
    let _ = writeln!(std::io::stderr(), "bench: {what}…");
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 { values[n / 2] } else { 0.5 * (values[n / 2 - 1] + values[n / 2]) }
}

/// STREAM's copy kernel (`b = a`) over arrays far larger than the caches.
fn measure_bandwidth(repeats: usize, pools: &[ThreadPool; 2]) -> Bandwidth {
    let source: Vec<f64> = (0..COPY_ELEMENTS).map(|i| i as f64).collect();
    let mut target = vec![0.0; COPY_ELEMENTS];
    let bytes = 2.0 * 8.0 * COPY_ELEMENTS as f64;
    let mut seconds = [Vec::new(), Vec::new()];
    // One round more than asked: the first only warms up.
    for round in 0..=repeats {
        for (pool, times) in pools.iter().zip(&mut seconds) {
            let start = Instant::now();
            pool.install(|| {
                target.par_chunks_mut(COPY_CHUNK).zip(source.par_chunks(COPY_CHUNK)).for_each(|(t, s)| {
                    t.copy_from_slice(s);
                })
            });
            std::hint::black_box(&mut target);
            if round > 0 {
                times.push(start.elapsed().as_secs_f64());
            }
        }
    }
    let [one, all] = seconds.map(|t| bytes / median(t) / 1e9);
    Bandwidth { array_mib: (COPY_ELEMENTS * 8) >> 20, one_thread_gb_s: one, all_threads_gb_s: all }
}

fn time_solver(
    size: usize,
    fields: usize,
    float_bits: u8,
    step_hours: f64,
    repeats: usize,
    pools: &[ThreadPool; 2],
    bandwidth: &Bandwidth,
) -> SolverRow {
    let precision = Precision::from_bits(f64::from(float_bits)).expect("--float-bits takes 32 or 64");
    let settings =
        SolverSettings { absolute_tolerance: bonesim::field::NEGLIGIBLE_PM, precision, ..Default::default() };
    let mut workload = pools[1].install(|| SolverWorkload::new(size, fields, step_hours, settings, true));
    let mut seconds = [Vec::new(), Vec::new()];
    let mut cycles = 0u64;
    let factorised_before = workload.factorised_fields();
    for _ in 0..repeats {
        for (pool, times) in pools.iter().zip(&mut seconds) {
            let start = Instant::now();
            cycles += u64::from(pool.install(|| workload.step_all()));
            times.push(start.elapsed().as_secs_f64());
        }
    }
    let per_step = |total: u64| (total as f64 / (2 * repeats) as f64).round() as u32;
    let factorised = per_step(workload.factorised_fields() - factorised_before);
    let (sites, streamed) = (workload.sites(), workload.streamed_bytes(per_step(cycles), factorised));
    // The same fields one after another, on a workload of their own (its caches would double
    // the memory of this one).
    drop(workload);
    let mut workload = pools[1].install(|| SolverWorkload::new(size, fields, step_hours, settings, false));
    let mut apart = Vec::new();
    for _ in 0..repeats {
        let start = Instant::now();
        pools[1].install(|| workload.step_each());
        apart.push(start.elapsed().as_secs_f64());
    }
    let [one, all] = seconds.map(median);
    let cycles_per_step = cycles as f64 / (2 * repeats) as f64;
    let updates = (sites * fields) as f64;
    SolverRow {
        size,
        fields,
        step_hours,
        float_bits,
        one_thread_ms: 1e3 * one,
        all_threads_ms: 1e3 * all,
        all_threads_apart_ms: 1e3 * median(apart),
        speedup: one / all,
        one_thread_updates_per_s: updates / one,
        all_threads_updates_per_s: updates / all,
        v_cycles_per_field_step: cycles_per_step / fields as f64,
        streamed_mb_per_step: streamed / 1e6,
        one_thread_roofline_fraction: streamed / (bandwidth.one_thread_gb_s * 1e9) / one,
        all_threads_roofline_fraction: streamed / (bandwidth.all_threads_gb_s * 1e9) / all,
    }
}

fn time_scenario(
    name: &str,
    overrides: Vec<Override>,
    days: f64,
    repeats: usize,
    pools: &[ThreadPool; 2],
) -> Result<ScenarioReport> {
    let loaded = load(Source::open(name)?, overrides, None)?;
    let scenario = &loaded.scenario;
    let ticks = (days * 24.0 / scenario.time.tick_hours).round() as u64;
    if ticks == 0 {
        return Err(input(format!("--days {days}: shorter than one tick of the scenario")));
    }
    let (width, height) = (scenario.domain.width, scenario.domain.height);
    let sites = (width * height) as f64;
    let mut seconds = [Vec::new(), Vec::new()];
    let mut setup = Vec::new();
    let mut phase_s = [0.0; Phase::ALL.len()];
    let (mut peak_memory_bytes, mut agents) = (None, 0);
    for round in 0..repeats {
        for (p, (pool, times)) in pools.iter().zip(&mut seconds).enumerate() {
            progress(&format!(
                "scenario {name}, {days} days on {} thread(s) ({} of {})",
                pool.current_num_threads(),
                2 * round + p + 1,
                2 * repeats
            ));
            let first = round == 0 && p == 0;
            let baseline = if first { memory::reset_peak() } else { None };
            let start = Instant::now();
            let mut sim = pool.install(|| loaded.build())?;
            if p == 1 {
                setup.push(start.elapsed().as_secs_f64());
            }
            let before = sim.timings().clone();
            let start = Instant::now();
            pool.install(|| {
                for _ in 0..ticks {
                    sim.step();
                }
            });
            times.push(start.elapsed().as_secs_f64());
            if first {
                peak_memory_bytes = baseline.and_then(|b| memory::peak().map(|peak| (peak - b).max(0.0)));
                agents = sim.cells().len();
            }
            if p == 1 {
                for (total, phase) in phase_s.iter_mut().zip(Phase::ALL) {
                    *total += (sim.timings().get(phase) - before.get(phase)).as_secs_f64();
                }
            }
            let readouts = sim.readouts();
            if !readouts.bone_rel.is_finite() {
                anyhow::bail!("the scenario's bone readout is not finite after {days} days: the run is broken");
            }
        }
    }
    let timing = |wall_s: f64| {
        let days_per_s = days / wall_s;
        RunTiming { wall_s, ticks_per_s: ticks as f64 / wall_s, days_per_s, year_s: 365.0 / days_per_s }
    };
    let [one, all] = seconds.map(median);
    let phase_total: f64 = phase_s.iter().sum();
    let phases = Phase::ALL
        .iter()
        .zip(phase_s)
        .map(|(phase, s)| PhaseShare {
            phase: phase.name(),
            share: if phase_total > 0.0 { s / phase_total } else { 0.0 },
            ms_per_tick: 1e3 * s / (repeats as f64 * ticks as f64),
        })
        .collect();
    Ok(ScenarioReport {
        name: scenario.name.clone(),
        width,
        height,
        agents,
        days,
        ticks,
        setup_s: median(setup),
        one_thread: timing(one),
        all_threads: timing(all),
        speedup: one / all,
        peak_memory_bytes,
        peak_bytes_per_site: peak_memory_bytes.map(|b| b / sites),
        budget_bytes: BUDGET_BYTES_PER_SITE * sites + BUDGET_BYTES_PER_AGENT * agents as f64,
        phases,
    })
}

/// The process's resident memory, from Linux's /proc (elsewhere: not measured).
mod memory {
    fn status_kib(key: &str) -> Option<f64> {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|l| l.starts_with(key))?;
        line[key.len()..].trim().trim_end_matches("kB").trim().parse::<f64>().ok()
    }

    /// Resets the peak (Linux's `clear_refs` 5) and returns the present resident size,
    /// bytes, which the next peak is measured from.
    pub fn reset_peak() -> Option<f64> {
        std::fs::write("/proc/self/clear_refs", "5").ok()?;
        status_kib("VmRSS:").map(|k| k * 1024.0)
    }

    /// Peak resident size since the last reset, bytes.
    pub fn peak() -> Option<f64> {
        status_kib("VmHWM:").map(|k| k * 1024.0)
    }
}

fn tables(r: &Report) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let t = r.threads;
    let all = if t == 1 { "1 thread".to_string() } else { format!("{t} threads") };
    let medians = if r.repeats == 1 { "one run each".to_string() } else { format!("medians of {} repeats", r.repeats) };
    if t == 1 {
        let _ = writeln!(
            s,
            "bonesim {} bench: 1 thread only (--threads or RAYON_NUM_THREADS allows no more, or the machine has \
             one core), so every \"all threads\" figure is a second run on 1 thread; {}\n",
            r.bonesim, medians
        );
    } else {
        let _ = writeln!(s, "bonesim {} bench: 1 thread and {all}, {medians}\n", r.bonesim);
    }
    let b = &r.bandwidth;
    let _ = writeln!(
        s,
        "memory bandwidth (copy, 2 × {} MiB): {:.1} GB/s on 1 thread, {:.1} GB/s on {all}\n",
        b.array_mib, b.one_thread_gb_s, b.all_threads_gb_s
    );
    if !r.solver.is_empty() {
        let step = r.solver[0].step_hours;
        let _ = writeln!(s, "field solver: one {step} h step of every field, warm, just after the sources moved");
        let _ = writeln!(
            s,
            "{:>6} {:>6} {:>4} {:>11} {:>11} {:>7} {:>11} {:>11} {:>12} {:>8} {:>10} {:>9} {:>9}",
            "size",
            "fields",
            "bits",
            "1 thr ms",
            format!("{t} thr ms"),
            "speedup",
            "apart ms",
            "ms/field",
            "Mupdates/s",
            "cycles",
            "MB moved",
            "roof 1",
            format!("roof {t}")
        );
        for row in &r.solver {
            let _ = writeln!(
                s,
                "{:>5}² {:>6} {:>4} {:>11.2} {:>11.2} {:>6.2}× {:>11.2} {:>11.2} {:>12.1} {:>8.2} {:>10.1} {:>8.0}% {:>8.0}%",
                row.size,
                row.fields,
                row.float_bits,
                row.one_thread_ms,
                row.all_threads_ms,
                row.speedup,
                row.all_threads_apart_ms,
                row.all_threads_ms / row.fields as f64,
                row.all_threads_updates_per_s / 1e6,
                row.v_cycles_per_field_step,
                row.streamed_mb_per_step,
                100.0 * row.one_thread_roofline_fraction,
                100.0 * row.all_threads_roofline_fraction
            );
        }
        let _ = writeln!(
            s,
            "(the fields step together, in blocks of up to four; apart: one after another, on {all};\n\
             ms/field and Mupdates/s on {all}; cycles: V-cycles per field step; roof: the time the\n\
             bytes the solver's loops stream take at the measured bandwidth, over the time measured)\n"
        );
    }
    if let Some(sc) = &r.scenario {
        let _ = writeln!(
            s,
            "scenario {} ({} × {}, {} agents): {} day{} after the host's spin-up (set-up {:.1} s)",
            sc.name,
            sc.width,
            sc.height,
            sc.agents,
            sc.days,
            if sc.days == 1.0 { "" } else { "s" },
            sc.setup_s
        );
        let _ = writeln!(s, "{:>12} {:>9} {:>9} {:>9} {:>12}", "", "wall s", "ticks/s", "days/s", "a year, s");
        for (label, run) in [("1 thread", &sc.one_thread), (&*all, &sc.all_threads)] {
            let _ = writeln!(
                s,
                "{label:>12} {:>9.2} {:>9.1} {:>9.2} {:>12.1}",
                run.wall_s, run.ticks_per_s, run.days_per_s, run.year_s
            );
        }
        let _ = writeln!(s, "speedup from 1 to {all}: {:.2}×", sc.speedup);
        match (sc.peak_memory_bytes, sc.peak_bytes_per_site) {
            (Some(bytes), Some(per_site)) => {
                let _ = writeln!(
                    s,
                    "peak memory: {:.1} MB above the process's start, {:.0} B per site (target 150 B per site + \
                     300 B per agent: {:.1} MB)",
                    bytes / 1e6,
                    per_site,
                    sc.budget_bytes / 1e6
                );
            }
            _ => {
                let _ = writeln!(s, "peak memory: not measured (needs Linux's /proc)");
            }
        }
        let _ = writeln!(s, "where a tick's time goes on {all}:");
        for p in &sc.phases {
            let _ = writeln!(s, "  {:<17} {:>5.1} %  {:>8.3} ms per tick", p.phase, 100.0 * p.share, p.ms_per_tick);
        }
    }
    s
}
