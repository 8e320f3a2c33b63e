//! Helpers for the acceptance tests: load the bundled scenarios, run them, measure them.

use bonesim::{Scenario, Sim};

/// The bundled scenario `name` (from `scenarios/NAME.toml`).
pub fn bundled(name: &str) -> Scenario {
    let path = format!("{}/../scenarios/{name}.toml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Runs `scenario` to its end on `threads` threads, calling `each_day` after every simulated
/// day (and at day 0).
pub fn run_daily(scenario: &Scenario, threads: usize, mut each_day: impl FnMut(&Sim) + Send) -> Sim {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("thread pool");
    pool.install(|| {
        let mut sim = Sim::new(scenario, None).expect("scenario sets up");
        let ticks_per_day = (24.0 / scenario.time.tick_hours).round() as u64;
        each_day(&sim);
        while sim.tick() < sim.total_ticks() {
            sim.step();
            if sim.tick().is_multiple_of(ticks_per_day) {
                each_day(&sim);
            }
        }
        sim
    })
}

/// Mineralised bone mass (site units) within `radius` sites of `(cx, cy)`.
pub fn bone_within(sim: &Sim, cx: f64, cy: f64, radius: f64) -> f64 {
    let l = sim.lattice();
    (0..l.len())
        .filter(|&s| {
            let (x, y) = l.xy(s);
            (x as f64 + 0.5 - cx).powi(2) + (y as f64 + 0.5 - cy).powi(2) <= radius * radius
        })
        .map(|s| l.bone_mass(s) as f64)
        .sum()
}

/// The centre of the bone site nearest the domain's centre: where a centred microdamage
/// event strikes.
pub fn damage_centre(sim: &Sim) -> (f64, f64) {
    let l = sim.lattice();
    let (cx, cy) = (l.width as f64 / 2.0, l.height as f64 / 2.0);
    let site = (0..l.len())
        .filter(|&s| l.is_solid(s))
        .min_by(|&a, &b| {
            let d = |s: usize| {
                let (x, y) = l.xy(s);
                (x as f64 + 0.5 - cx).powi(2) + (y as f64 + 0.5 - cy).powi(2)
            };
            d(a).total_cmp(&d(b)).then(a.cmp(&b))
        })
        .expect("some bone");
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
