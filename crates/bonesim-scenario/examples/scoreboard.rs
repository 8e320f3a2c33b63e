//! Runs scenarios over several seeds in parallel and prints a line of key readouts per run:
//! a quick look for model development and calibration.
//!
//! `cargo run --release -p bonesim-scenario --example scoreboard -- SCENARIO [--seeds 1,2,3]
//! [--days N] [--set key=value]... [--every N]` (`--every N` also prints every N days).
#![allow(clippy::print_stdout, reason = "an example prints")]

use bonesim::{Readouts, Sim};
use bonesim_scenario::{Override, Source, load};
use rayon::prelude::*;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut scenario = None;
    let (mut seeds, mut sets, mut days, mut every) = (vec![1u64, 2, 3], Vec::new(), None, 0.0f64);
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--seeds" => {
                seeds = args[i + 1].split(',').map(|s| s.parse().expect("seed")).collect();
                i += 1;
            }
            "--set" => {
                sets.push(args[i + 1].clone());
                i += 1;
            }
            "--days" => {
                days = Some(args[i + 1].parse::<f64>().expect("days"));
                i += 1;
            }
            "--every" => {
                every = args[i + 1].parse().expect("every");
                i += 1;
            }
            s => scenario = Some(s.to_string()),
        }
        i += 1;
    }
    let scenario = scenario.expect("a scenario");
    let runs: Vec<(u64, Vec<Readouts>, f64)> = seeds
        .par_iter()
        .map(|&seed| {
            let source = Source::open(&scenario).expect("scenario");
            let mut overrides: Vec<Override> = sets
                .iter()
                .map(|s| s.split_once('=').expect("key=value"))
                .map(|(k, v)| Override::from_set(k, v).expect("override"))
                .collect();
            if let Some(d) = days {
                overrides.push(Override::days(d));
            }
            let loaded = load(source, overrides, Some(seed)).unwrap_or_else(|e| panic!("{e}"));
            let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
            pool.install(|| {
                let started = std::time::Instant::now();
                let mut sim: Sim = loaded.build().unwrap_or_else(|e| panic!("{e}"));
                let per_day = (24.0 / loaded.scenario.time.tick_hours).round() as u64;
                let mut daily = vec![sim.readouts()];
                while sim.tick() < sim.total_ticks() {
                    sim.step();
                    if sim.tick().is_multiple_of(per_day) {
                        daily.push(sim.readouts());
                    }
                }
                (seed, daily, started.elapsed().as_secs_f64())
            })
        })
        .collect();
    let default_cols = "bone_rel,lesion_bone_rel,lytic_area_mm2,blastic_area_mm2,osteoclasts,osteoblasts,osteoblast_surface,tumor_cells,serum_il6_pg_ml,woven_fraction,il6_pm,tnf_pm,dkk1_pm,osteoblastic_pm";
    let cols_text = std::env::var("COLS").unwrap_or_else(|_| default_cols.to_string());
    let cols: Vec<&str> = cols_text.split(',').collect();
    let short = |c: &str| c.trim_end_matches("_pm").trim_end_matches("_mm2").replace("osteo", "o").replace("_area", "");
    println!(
        "{:>4} {:>5} {} {:>10} {:>6} {:>6} {:>6} {:>5}",
        "seed",
        "day",
        cols.iter().map(|c| format!("{:>9}", &short(c)[..short(c).len().min(9)])).collect::<String>(),
        "lesion",
        "OCm7+",
        "OBm7+",
        "ocyte%",
        "sec"
    );
    for (seed, daily, secs) in &runs {
        let oc7 = mean(daily.iter().skip(7).map(|r| r.osteoclasts as f64));
        let ob7 = mean(daily.iter().skip(7).map(|r| r.osteoblasts as f64));
        let ocy0 = daily[0].osteocytes.max(1) as f64;
        let show = |r: &Readouts, last: bool| {
            let values = r.columns();
            let line: String = cols
                .iter()
                .map(|c| values.iter().find(|(n, _)| n == c).map_or(f64::NAN, |(_, v)| *v))
                .map(|v| if v.abs() >= 100.0 || v == v.trunc() { format!("{v:>9.0}") } else { format!("{v:>9.3}") })
                .collect();
            let or_nan = |v: f64| if last { v } else { f64::NAN };
            println!(
                "{:>4} {:>5.0} {} {:>10} {:>6.1} {:>6.1} {:>6.1} {:>5.1}",
                seed,
                r.day,
                line,
                r.lesion(),
                or_nan(oc7),
                or_nan(ob7),
                100.0 * r.osteocytes as f64 / ocy0,
                or_nan(*secs)
            )
        };
        if every > 0.0 {
            for r in daily
                .iter()
                .filter(|r| r.day > 0.0 && (r.day / every).fract() == 0.0 && r.day < daily.last().unwrap().day)
            {
                show(r, false);
            }
        }
        show(daily.last().unwrap(), true);
    }
}

fn mean(v: impl Iterator<Item = f64>) -> f64 {
    let (s, n) = v.fold((0.0, 0), |(s, n), x| (s + x, n + 1));
    if n == 0 { f64::NAN } else { s / n as f64 }
}
