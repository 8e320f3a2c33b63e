//! Results do not depend on the tick's length: every rate in the model is per unit of time
//! (moves are Poisson steps per hour, events are hazards per day), so a run with 2-hour ticks
//! gives the same outcomes as one with 1-hour ticks, statistically, over a fixed set of seeds.

use bonesim::{Readouts, Scenario};
use bonesim_acceptance::{bundled, mean_sd, run_all};

/// Seeds of each arm (fixed, so the test is deterministic).
const SEEDS: [u64; 6] = [1, 2, 3, 4, 5, 6];

/// The means of two arms agree when they differ by less than three standard errors of the
/// difference, or by less than `floor` of the 1-hour mean (so that an arm whose seeds happen
/// to agree closely is not held to a tighter bound than the outcome's own scale).
fn agree(one_hour: &[f64], two_hours: &[f64], floor: f64) -> (bool, String) {
    let (m1, s1) = mean_sd(one_hour);
    let (m2, s2) = mean_sd(two_hours);
    let n = one_hour.len() as f64;
    let se = ((s1 * s1 + s2 * s2) / n).sqrt();
    let ok = (m1 - m2).abs() <= (3.0 * se).max(floor * m1.abs());
    (ok, format!("{m1:.4} ± {s1:.4} (1 h) vs {m2:.4} ± {s2:.4} (2 h), difference {:.4}, 3 SE {:.4}", m2 - m1, 3.0 * se))
}

/// An outcome of a run: its name, how to read it from the daily readouts, and the floor of
/// [`agree`].
type Outcome<'a> = (&'a str, fn(&[Readouts]) -> f64, f64);

/// Runs `base` over the seeds at 1-hour and 2-hour ticks and compares each outcome.
fn compare(name: &str, base: fn(u64) -> Scenario, outcomes: &[Outcome]) {
    let mut scenarios = Vec::new();
    for tick_hours in [1.0, 2.0] {
        for &seed in &SEEDS {
            let mut s = base(seed);
            s.time.tick_hours = tick_hours;
            scenarios.push(s);
        }
    }
    let runs = run_all(&scenarios, |days| days.to_vec());
    let (one, two) = runs.split_at(SEEDS.len());
    let mut report = vec![name.to_string()];
    let mut all = true;
    for &(outcome, f, floor) in outcomes {
        let a: Vec<f64> = one.iter().map(|d| f(d)).collect();
        let b: Vec<f64> = two.iter().map(|d| f(d)).collect();
        let (ok, text) = agree(&a, &b, floor);
        all &= ok;
        report.push(format!("  [{}] {outcome}: {text}", if ok { "ok" } else { "DIFFERS" }));
    }
    let report = report.join("\n");
    eprintln!("{report}");
    assert!(all, "{report}");
}

#[test]
fn a_remodeling_event_is_the_same_at_one_and_two_hour_ticks() {
    compare(
        "remodeling-event (150 × 150, 60 days)",
        |seed| {
            let mut s = bundled("remodeling-event");
            s.seed = seed;
            s.time.days = 60.0;
            s.output.snapshot_fields.clear();
            s
        },
        &[
            ("bone resorbed, mm²", |d| d.last().unwrap().resorbed_mm2, 0.05),
            ("bone formed, mm²", |d| d.last().unwrap().formed_mm2, 0.05),
            ("peak osteoclasts", |d| d.iter().map(|r| r.osteoclasts as f64).fold(0.0, f64::max), 0.05),
        ],
    );
}

#[test]
fn a_breast_cancer_lesion_is_the_same_at_one_and_two_hour_ticks() {
    compare(
        "breast-osteolytic (150 × 150, 21 days, 3-week spin-up)",
        |seed| {
            let mut s = bundled("breast-osteolytic");
            s.seed = seed;
            s.domain.width = 150;
            s.domain.height = 150;
            s.time.days = 21.0;
            s.output.snapshot_fields.clear();
            s.parameters.insert("host.spinup_days".into(), 21.0);
            s
        },
        &[
            ("bone at the end", |d| d.last().unwrap().bone_rel, 0.01),
            ("tumour cells at the end", |d| d.last().unwrap().tumor_cells as f64, 0.05),
            (
                "osteoclasts, days 7–21",
                |d| mean_sd(&d[7..].iter().map(|r| r.osteoclasts as f64).collect::<Vec<_>>()).0,
                0.05,
            ),
        ],
    );
}
