//! Helpers for the acceptance tests: load the bundled scenarios, run them, measure them.

use bonesim::{Readouts, Scenario, Sim};

/// The bundled scenario `name` (from `scenarios/NAME.toml`).
pub fn bundled(name: &str) -> Scenario {
    let path = format!("{}/../scenarios/{name}.toml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Runs `scenario` to its end on `threads` threads, calling `each_day` after every simulated
/// day (and at day 0).
pub fn run_daily(scenario: &Scenario, threads: usize, each_day: impl FnMut(&Sim) + Send) -> Sim {
    let ticks_per_day = (24.0 / scenario.time.tick_hours).round() as u64;
    run_sampled(scenario, threads, ticks_per_day, each_day)
}

/// Runs `scenario` to its end on `threads` threads, calling `sample` at the start and after
/// every `every_ticks` ticks.
pub fn run_sampled(scenario: &Scenario, threads: usize, every_ticks: u64, mut sample: impl FnMut(&Sim) + Send) -> Sim {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("thread pool");
    pool.install(|| {
        let mut sim = Sim::new(scenario, None).expect("scenario sets up");
        sample(&sim);
        while sim.tick() < sim.total_ticks() {
            sim.step();
            if sim.tick().is_multiple_of(every_ticks.max(1)) {
                sample(&sim);
            }
        }
        sim
    })
}

/// The readouts of every day of `scenario` (day 0 first), run on one thread.
pub fn daily_readouts(scenario: &Scenario) -> Vec<Readouts> {
    let mut days = Vec::new();
    run_daily(scenario, 1, |sim| days.push(sim.readouts()));
    days
}

/// `run(seed)` for every seed, each on its own thread; results in seed order.
pub fn for_seeds<T: Send>(seeds: &[u64], run: impl Fn(u64) -> T + Sync) -> Vec<T> {
    std::thread::scope(|scope| {
        let run = &run;
        let handles: Vec<_> = seeds.iter().map(|&seed| scope.spawn(move || run(seed))).collect();
        handles.into_iter().map(|h| h.join().expect("a seed's run panicked")).collect()
    })
}

/// Spearman's rank correlation of two equally long series (ties get their mean rank).
pub fn spearman(a: &[f64], b: &[f64]) -> f64 {
    fn ranks(v: &[f64]) -> Vec<f64> {
        let mut order: Vec<usize> = (0..v.len()).collect();
        order.sort_by(|&i, &j| v[i].total_cmp(&v[j]));
        let mut rank = vec![0.0; v.len()];
        let mut i = 0;
        while i < order.len() {
            let mut j = i;
            while j + 1 < order.len() && v[order[j + 1]] == v[order[i]] {
                j += 1;
            }
            for k in i..=j {
                rank[order[k]] = (i + j) as f64 / 2.0;
            }
            i = j + 1;
        }
        rank
    }
    let (ra, rb) = (ranks(a), ranks(b));
    let (ma, _) = mean_sd(&ra);
    let (mb, _) = mean_sd(&rb);
    let cov: f64 = ra.iter().zip(&rb).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = ra.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = rb.iter().map(|y| (y - mb).powi(2)).sum();
    cov / (va * vb).sqrt()
}

/// Mineralised bone mass (site units) within `radius` sites of `(cx, cy)`.
pub fn bone_within(sim: &Sim, cx: f64, cy: f64, radius: f64) -> f64 {
    let l = sim.lattice();
    (0..l.len()).filter(|&s| l.distance2(s, cx, cy) <= radius * radius).map(|s| l.bone_mass(s) as f64).sum()
}

/// The centre of the bone site nearest the domain's centre: where a centred microdamage
/// event strikes.
pub fn damage_centre(sim: &Sim) -> (f64, f64) {
    let l = sim.lattice();
    let (cx, cy) = (l.width as f64 / 2.0, l.height as f64 / 2.0);
    let site = *l.nearest_first(cx, cy, |s| l.is_solid(s)).first().expect("some bone");
    let (x, y) = l.xy(site);
    (x as f64 + 0.5, y as f64 + 0.5)
}

/// Mean and sample standard deviation.
pub fn mean_sd(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    (mean, var.sqrt())
}

/// Runs every scenario to its end and returns what `measure` makes of its daily readouts
/// (day 0 first), in order. Runs go side by side on two threads; each result is the same as
/// the scenario run alone, on any number of threads.
pub fn run_all<T: Send>(scenarios: &[Scenario], measure: impl Fn(&[Readouts]) -> T + Sync) -> Vec<T> {
    use rayon::prelude::*;
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().expect("thread pool");
    pool.install(|| {
        scenarios
            .par_iter()
            .map(|scenario| {
                let mut days = Vec::new();
                let ticks_per_day = (24.0 / scenario.time.tick_hours).round() as u64;
                let mut sim = Sim::new(scenario, None).expect("scenario sets up");
                days.push(sim.readouts());
                while sim.tick() < sim.total_ticks() {
                    sim.step();
                    if sim.tick().is_multiple_of(ticks_per_day) {
                        days.push(sim.readouts());
                    }
                }
                measure(&days)
            })
            .collect()
    })
}
