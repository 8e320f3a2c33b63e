//! The host without a tumour: an inflammatory challenge and estrogen loss, the bundled
//! `inflammation` and `estrogen-deprivation` scenarios over several seeds.

use bonesim::field::FieldId;
use bonesim::pharmacology::Drug;
use bonesim::scenario::TherapySchedule;
use bonesim::{Readouts, Scenario};
use bonesim_acceptance::{bundled, daily_readouts, for_seeds, mean_sd, run_sampled};
use std::sync::OnceLock;

/// The bundled scenario `name` with `seed`, and no snapshots.
fn scenario(name: &str, seed: u64) -> Scenario {
    let mut s = bundled(name);
    s.seed = seed;
    s.output.snapshot_fields.clear();
    s
}

/// Readouts every six hours.
fn six_hourly(scenario: &Scenario) -> Vec<Readouts> {
    let mut out = Vec::new();
    let every = (6.0 / scenario.time.tick_hours).round() as u64;
    run_sampled(scenario, 1, every, |sim| out.push(sim.readouts()));
    out
}

#[test]
fn an_infection_raises_il6_and_osteoclasts_for_as_long_as_it_lasts() {
    // Seed Figure 1B legend: injury and inflammation raise IL-6, RANKL and M-CSF as cancer
    // does, but transiently; IL-6 knockout mice are protected from inflammatory osteolysis
    // (seed ref 55).
    const SEEDS: [u64; 4] = [1, 2, 3, 4];
    let infection = bundled("inflammation").inflammation[0].clone();
    let (first, last) = (infection.day, infection.days().last().expect("a dose"));
    let runs = for_seeds(&SEEDS, |seed| {
        let infected = scenario("inflammation", seed);
        let mut knockout = infected.clone();
        knockout.patient.il6_knockout = true;
        let mut calm = infected.clone();
        calm.inflammation.clear();
        [infected, knockout, calm].map(|s| six_hourly(&s))
    });
    let window = |rows: &[Readouts], from: f64, to: f64| -> Vec<Readouts> {
        rows.iter().filter(|r| r.day >= from && r.day <= to).cloned().collect()
    };
    let peak = |rows: &[Readouts], f: fn(&Readouts) -> f64| rows.iter().map(f).fold(f64::MIN, f64::max);
    let mean = |rows: &[Readouts], f: fn(&Readouts) -> f64| mean_sd(&rows.iter().map(f).collect::<Vec<_>>()).0;
    let serum = |r: &Readouts| r.serum_il6_pg_ml;
    let osteoclasts = |r: &Readouts| r.osteoclasts as f64;
    let il1b = |r: &Readouts| r.field_means_pm[FieldId::Il1b.index()];
    let bone = |r: &Readouts| r.bone_rel;
    let resorbed_in = |rows: &[Readouts]| {
        let w = window(rows, first, last + 14.0);
        w.last().unwrap().resorbed_mm2 - w[0].resorbed_mm2
    };
    let during = (first + 2.0, last + 2.0);
    let after = (last + 7.0, last + 8.0);
    let oc = |rows: &[Readouts]| mean(&window(rows, during.0, during.1), osteoclasts);
    let report: Vec<String> = runs
        .iter()
        .zip(SEEDS)
        .map(|([sick, ko, calm], s)| {
            format!(
                "seed {s}: serum IL-6 before {:.2}, peak {:.1}, a week after the last dose {:.2} pg/mL; \
                 osteoclasts days {:.0}–{:.0} {:.1} (IL-6 knockout {:.1}, no infection {:.1}); \
                 IL-1β before {:.4}, a week after {:.4} pM; resorbed days {:.0}–{:.0} {:.4} mm² ({:.4}); \
                 lowest bone {:.1} % ({:.1} %), at the end {:.1} % ({:.1} %)",
                peak(&window(sick, first - 1.0, first - 0.1), serum),
                peak(&window(sick, first, last + 1.0), serum),
                peak(&window(sick, after.0, after.1), serum),
                during.0,
                during.1,
                oc(sick),
                oc(ko),
                oc(calm),
                peak(&window(sick, first - 1.0, first - 0.1), il1b),
                peak(&window(sick, after.0, after.1), il1b),
                first,
                last + 14.0,
                resorbed_in(sick),
                resorbed_in(calm),
                100.0 * -peak(sick, |r| -r.bone_rel),
                100.0 * -peak(calm, |r| -r.bone_rel),
                100.0 * bone(sick.last().unwrap()),
                100.0 * bone(calm.last().unwrap()),
            )
        })
        .collect();
    let report = report.join("\n");
    eprintln!("{report}");
    for [sick, ko, calm] in &runs {
        // Serum IL-6 leaves the healthy range within hours of a dose and is back in it a
        // week after the last.
        assert!(peak(&window(sick, first - 1.0, first - 0.1), serum) <= 5.0, "{report}");
        assert!(peak(&window(sick, first, first + 1.0), serum) > 5.0, "{report}");
        assert!(peak(&window(sick, after.0, after.1), serum) <= 5.0, "{report}");
        // NF-κB → IL-1β, PGE2, IL-6 → RANKL: osteoclasts form without any tumour, at least
        // half as many again as without the infection, and fewer in an IL-6 knockout host.
        assert!(oc(sick) >= 1.5 * oc(calm), "{report}");
        assert!(oc(ko) < oc(sick), "{report}");
        // The inflammation resolves: IL-1β is back to its basal level (within a tenth) a
        // week after the last dose...
        let before = peak(&window(sick, first - 1.0, first - 0.1), il1b);
        assert!(peak(&window(sick, after.0, after.1), il1b) <= 1.1 * before, "{report}");
        // ...the infection resorbed more bone than the same weeks without it (at least a
        // third more)...
        assert!(resorbed_in(sick) >= 1.3 * resorbed_in(calm), "{report}");
    }
    // ...and formation then brings bone back to within a percentage point of the uninfected
    // bone's, on the mean of the seeds: one seed's end scatters by about half a point either
    // way (measured 2026-12-04, seeds 1–6: infected 0.4 ± 0.5 points below uninfected with
    // the f64 solver, 0.5 ± 0.4 with the f32, one seed in six 1.06 points below).
    let gaps: Vec<f64> =
        runs.iter().map(|[sick, _, calm]| bone(calm.last().unwrap()) - bone(sick.last().unwrap())).collect();
    assert!(mean_sd(&gaps).0.abs() <= 0.01, "bone below uninfected at the end, per seed {gaps:?}\n{report}");
}

/// Seeds of the estrogen-loss runs.
const ESTROGEN_SEEDS: [u64; 4] = [1, 2, 3, 4];

/// The last day of `estrogen-deprivation` for every seed of [`ESTROGEN_SEEDS`], run once and
/// shared by the tests that compare against it.
fn estrogen_loss_runs() -> &'static [Readouts] {
    static RUNS: OnceLock<Vec<Readouts>> = OnceLock::new();
    RUNS.get_or_init(|| {
        for_seeds(&ESTROGEN_SEEDS, |seed| {
            daily_readouts(&scenario("estrogen-deprivation", seed)).pop().expect("a last day")
        })
    })
}

#[test]
fn estrogen_loss_raises_turnover_and_loses_bone_even_without_il6() {
    // SCIENCE §8: estrogen loss raises IL-6 and osteoclast formation (Jilka 1992), but an
    // anti-IL-6 antibody did not prevent ovariectomy bone loss (Kimble 1997): IL-6 must not be
    // the only route. Compared over four seeds with the same bone at normal estrogen.
    let deprived = estrogen_loss_runs();
    let others = for_seeds(&ESTROGEN_SEEDS, |seed| {
        let deprived = scenario("estrogen-deprivation", seed);
        let mut knockout = deprived.clone();
        knockout.patient.il6_knockout = true;
        let mut normal = deprived.clone();
        normal.patient.estrogen = 1.0;
        [knockout, normal].map(|s| daily_readouts(&s).pop().expect("a last day"))
    });
    let runs: Vec<[Readouts; 3]> = deprived.iter().zip(others).map(|(d, [k, n])| [d.clone(), k, n]).collect();
    let column = |i: usize, f: fn(&Readouts) -> f64| -> Vec<f64> { runs.iter().map(|r| f(&r[i])).collect() };
    let labels = ["estrogen 0", "estrogen 0, IL-6 knockout", "estrogen 1"];
    let (bone, resorbed): (Vec<_>, Vec<_>) =
        (0..3).map(|i| (mean_sd(&column(i, |r| r.bone_rel)).0, mean_sd(&column(i, |r| r.resorbed_mm2)).0)).unzip();
    let report = (0..3)
        .map(|i| {
            format!(
                "{}: bone at day 180 {:.2} % ({}), resorbed {:.4} mm²",
                labels[i],
                100.0 * bone[i],
                column(i, |r| r.bone_rel).iter().map(|b| format!("{:.2}", 100.0 * b)).collect::<Vec<_>>().join(", "),
                resorbed[i]
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    eprintln!("{report}");
    // Estrogen loss: high turnover (at least twice the resorption) and net bone loss (at least
    // a percentage point more than with normal estrogen, as a mean over the seeds).
    assert!(resorbed[0] >= 2.0 * resorbed[2], "{report}");
    assert!(bone[0] <= bone[2] - 0.01, "{report}");
    // Without any IL-6 the loss is smaller but still there: turnover up by half, and bone lost
    // by at least 0.3 points more than with normal estrogen, as a mean over the seeds (single
    // seeds of this 2 × 2 mm section scatter by about half a point).
    assert!(resorbed[1] >= 1.5 * resorbed[2], "{report}");
    assert!(bone[1] <= bone[2] - 0.003, "{report}");
}

#[test]
fn estradiol_replacement_reduces_bone_loss_and_turnover_after_estrogen_loss() {
    // 17β-estradiol is bone-preserving (seed, refs 59–60): replacing it after estrogen loss,
    // with a 0.1 mg/day patch changed twice a week (about 100 pg/mL, the premenopausal mean),
    // must bring turnover and bone loss back towards normal. Same bone and seeds as the
    // untreated runs; the runs without the drug are the control.
    let untreated = estrogen_loss_runs();
    let treated = for_seeds(&ESTROGEN_SEEDS, |seed| {
        let mut s = scenario("estrogen-deprivation", seed);
        let doses = (s.time.days / 3.5).ceil() as u32;
        s.therapy.push(TherapySchedule { drug: Drug::Estradiol, start_day: 0.0, every_days: 3.5, doses, dose: 0.1 });
        daily_readouts(&s).pop().expect("a last day")
    });
    let mean = |runs: &[Readouts], f: fn(&Readouts) -> f64| mean_sd(&runs.iter().map(f).collect::<Vec<_>>()).0;
    let (bone_off, bone_on) = (mean(untreated, |r| r.bone_rel), mean(&treated, |r| r.bone_rel));
    let (resorbed_off, resorbed_on) = (mean(untreated, |r| r.resorbed_mm2), mean(&treated, |r| r.resorbed_mm2));
    let report = format!(
        "estrogen loss: bone at day 180 {:.2} %, resorbed {resorbed_off:.4} mm²; with estradiol \
         {:.2} %, resorbed {resorbed_on:.4} mm²; plasma estradiol {:.0} pg/mL",
        100.0 * bone_off,
        100.0 * bone_on,
        treated[0].plasma.iter().find(|(d, _)| *d == Drug::Estradiol).map_or(0.0, |p| p.1)
    );
    eprintln!("{report}");
    // Every seed: less resorbed with the drug than without, and more bone kept.
    for (off, on) in untreated.iter().zip(&treated) {
        assert!(on.resorbed_mm2 < off.resorbed_mm2 && on.bone_rel > off.bone_rel, "{report}");
    }
    // As means over the seeds: resorption at most half, and bone loss at least a percentage
    // point smaller (estrogen loss costs 2–3 points here, seeds scatter by about half a point).
    assert!(resorbed_on <= 0.5 * resorbed_off, "{report}");
    assert!(bone_on >= bone_off + 0.01, "{report}");
}
