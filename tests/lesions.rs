//! Tumours in bone: the bundled cancer scenarios over several seeds, checked against the
//! figures they are calibrated to (SCIENCE §3 and §6). The lesion's kind is never set by a
//! label: it is read from the bone lost and the woven bone gained near the tumour.

use bonesim::{ModelParams, Readouts, Scenario};
use bonesim_acceptance::{bundled, daily_readouts, for_seeds, mean_sd, spearman};

/// Seeds of the statistical checks (fixed, so the tests are deterministic).
const SEEDS: [u64; 3] = [1, 2, 3];

/// The bundled scenario `name` with `seed`, and no snapshots.
fn scenario(name: &str, seed: u64) -> Scenario {
    let mut s = bundled(name);
    s.seed = seed;
    s.output.snapshot_fields.clear();
    s
}

/// Serum IL-6 against tumour burden over a run: the day-by-day rank correlation.
fn serum_follows_burden(days: &[Readouts]) -> f64 {
    let burden: Vec<f64> = days.iter().map(|r| r.tumor_cells as f64).collect();
    let serum: Vec<f64> = days.iter().map(|r| r.serum_il6_pg_ml).collect();
    spearman(&burden, &serum)
}

fn summary(name: &str, seed: u64, r: &Readouts, days: &[Readouts]) -> String {
    format!(
        "{name} seed {seed} day {:.0}: bone {:.1} %, lesion {} (lytic {:.3}, blastic {:.3} mm²), woven {:.1} %, \
         osteoclasts {}, tumour {}, serum IL-6 {:.1} pg/mL (rank correlation with burden {:.2}), sIL-6R {:.0} ng/mL",
        r.day,
        100.0 * r.bone_rel,
        r.lesion(),
        r.lytic_area_mm2,
        r.blastic_area_mm2,
        100.0 * r.woven_fraction,
        r.osteoclasts,
        r.tumor_cells,
        r.serum_il6_pg_ml,
        serum_follows_burden(days),
        r.serum_sil6r_ng_ml
    )
}

/// Serum IL-6 of a metastatic run: 5–60 pg/mL at the end (SCIENCE §6: metastatic disease
/// about 5–20 with a tail to 60), rising with tumour burden (rank correlation ≥ 0.9).
fn assert_metastatic_serum(days: &[Readouts], report: &str) {
    let end = days.last().expect("days");
    assert!((5.0..=60.0).contains(&end.serum_il6_pg_ml), "{report}");
    assert!(serum_follows_burden(days) >= 0.9, "{report}");
}

#[test]
fn breast_cancer_makes_an_osteolytic_lesion_within_four_weeks() {
    // Johnson et al. 2011 (SCIENCE §3): MDA-MB-231 in mouse tibia leave 76 % of the bone at
    // day 28 (standard error 13–19 %); accept 60–90 % of day 0.
    let runs = for_seeds(&SEEDS, |seed| {
        let with_tumour = daily_readouts(&scenario("breast-osteolytic", seed));
        let mut healthy = scenario("breast-osteolytic", seed);
        healthy.tumor.kind = bonesim::scenario::TumorType::None;
        (with_tumour, daily_readouts(&healthy))
    });
    let mean_osteoclasts =
        |days: &[Readouts]| mean_sd(&days[7..].iter().map(|r| r.osteoclasts as f64).collect::<Vec<_>>()).0;
    let report: Vec<String> = runs
        .iter()
        .zip(SEEDS)
        .map(|((t, h), s)| {
            format!(
                "{}; osteoclasts days 7–28 {:.1} vs {:.1} without tumour",
                summary("breast", s, t.last().unwrap(), t),
                mean_osteoclasts(t),
                mean_osteoclasts(h)
            )
        })
        .collect();
    let report = report.join("\n");
    eprintln!("{report}");
    for (tumour, healthy) in &runs {
        let end = tumour.last().unwrap();
        assert_eq!(end.day, 28.0);
        assert!((0.60..=0.90).contains(&end.bone_rel), "{report}");
        assert_eq!(end.lesion(), "osteolytic", "{report}");
        // Osteoclasts up: at least twice as many over weeks 2–4 as in the same bone without
        // a tumour.
        assert!(mean_osteoclasts(tumour) >= 2.0 * mean_osteoclasts(healthy), "{report}");
        assert_metastatic_serum(tumour, &report);
    }
}

#[test]
fn prostate_cancer_lays_down_woven_bone_and_grows_like_c4_2b() {
    // C4-2B in mouse tibia (SCIENCE §3): fold change 7.1, 16.1, 29, 46 at days 5, 8, 12, 15
    // (PC3 grows a little faster). Accept the seeds' mean within a factor of two of each.
    const C4_2B: [(usize, f64); 4] = [(5, 7.1), (8, 16.1), (12, 29.0), (15, 46.0)];
    let runs = for_seeds(&SEEDS, |seed| daily_readouts(&scenario("prostate-osteoblastic", seed)));
    let seeded = bundled("prostate-osteoblastic").tumor.seed_cells as f64;
    let fold =
        |day: usize| -> f64 { mean_sd(&runs.iter().map(|d| d[day].tumor_cells as f64 / seeded).collect::<Vec<_>>()).0 };
    let mut report: Vec<String> =
        runs.iter().zip(SEEDS).map(|(d, s)| summary("prostate", s, d.last().unwrap(), d)).collect();
    report.push(
        C4_2B
            .iter()
            .map(|&(day, c4)| format!("day {day}: {:.1}× (C4-2B {c4}×)", fold(day)))
            .collect::<Vec<_>>()
            .join(", "),
    );
    let report = report.join("\n");
    eprintln!("{report}");
    for &(day, c4) in &C4_2B {
        assert!((c4 / 2.0..=c4 * 2.0).contains(&fold(day)), "{report}");
    }
    for days in &runs {
        let (mid, end) = (&days[45], days.last().unwrap());
        assert_eq!(end.day, 90.0);
        assert_eq!(end.lesion(), "osteoblastic", "{report}");
        // Woven bone accumulates: more at day 90 than at day 45, and over a tenth of all bone.
        assert!(end.woven_fraction > mid.woven_fraction && end.woven_fraction > 0.1, "{report}");
        // New bone outweighs what is lost: the section ends with more bone than it began.
        assert!(end.bone_rel > 1.0, "{report}");
        assert_metastatic_serum(days, &report);
    }
}

#[test]
fn myeloma_is_lytic_without_making_il6_and_starves_in_an_il6_knockout_host() {
    let params = ModelParams::default();
    assert_eq!(params.myeloma.il6_molecules_per_h, 0.0, "myeloma cells make no IL-6 (seed ref 72)");
    let runs = for_seeds(&SEEDS, |seed| {
        let normal = daily_readouts(&scenario("myeloma", seed));
        let mut knockout = scenario("myeloma", seed);
        knockout.patient.il6_knockout = true;
        (normal, daily_readouts(&knockout))
    });
    let report: Vec<String> = runs
        .iter()
        .zip(SEEDS)
        .map(|((n, k), s)| {
            format!(
                "{}; IL-6 knockout host: tumour {}, bone {:.1} %",
                summary("myeloma", s, n.last().unwrap(), n),
                k.last().unwrap().tumor_cells,
                100.0 * k.last().unwrap().bone_rel
            )
        })
        .collect();
    let report = report.join("\n");
    eprintln!("{report}");
    for (normal, knockout) in &runs {
        let (n, k) = (normal.last().unwrap(), knockout.last().unwrap());
        assert_eq!(n.day, 60.0);
        assert_eq!(n.lesion(), "osteolytic", "{report}");
        assert!(n.bone_rel < 0.9, "{report}");
        // Without host IL-6 the tumour burden at day 60 is at least halved.
        assert!((k.tumor_cells as f64) <= 0.5 * n.tumor_cells as f64, "{report}");
        // Myeloma sheds sIL-6R: serum sIL-6R rises above its healthy 40–80 ng/mL towards
        // the up-to-160 of myeloma (SCIENCE §6).
        assert!(n.serum_sil6r_ng_ml > normal[0].serum_sil6r_ng_ml + 10.0, "{report}");
    }
}

#[test]
fn lung_and_renal_cancer_arriving_through_vessels_make_osteolytic_lesions() {
    let runs = for_seeds(&[1, 2, 3, 4, 5, 6], |i| {
        let name = if i <= 3 { "lung" } else { "renal" };
        let seed = (i - 1) % 3 + 1;
        (name, seed, daily_readouts(&scenario(name, seed)))
    });
    let report: Vec<String> = runs.iter().map(|(n, s, d)| summary(n, *s, d.last().unwrap(), d)).collect();
    let report = report.join("\n");
    eprintln!("{report}");
    for (_, _, days) in &runs {
        let end = days.last().unwrap();
        assert_eq!(end.lesion(), "osteolytic", "{report}");
        assert!(end.bone_rel < 0.95, "{report}");
        assert_eq!(end.blastic_area_mm2, 0.0, "{report}");
        assert_metastatic_serum(days, &report);
    }
}
