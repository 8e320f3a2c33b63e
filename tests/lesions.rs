//! Tumours in bone: the bundled cancer scenarios over several seeds, checked against the
//! figures they are calibrated to (SCIENCE §3 and §6, and the sources named in each test). The
//! lesion's kind is never set by a label: it is read from the bone lost and the woven bone
//! gained near the tumour, and a phenotype parameter moves it from osteolytic to osteoblastic.

use bonesim::{Readouts, Scenario};
use bonesim_acceptance::{bundled, daily_readouts, for_seeds, mean_sd, run_all, spearman};

/// Seeds of the statistical checks (fixed, so the tests are deterministic).
const SEEDS: [u64; 3] = [1, 2, 3];

/// The bundled scenario `name` with `seed`, and no snapshots.
fn scenario(name: &str, seed: u64) -> Scenario {
    let mut s = bundled(name);
    s.seed = seed;
    s.output.snapshot_fields.clear();
    s
}

fn summary(name: &str, seed: u64, r: &Readouts) -> String {
    format!(
        "{name} seed {seed} day {:.0}: bone {:.1} % (lesion region {:.1} %), lesion {} (lytic {:.3}, blastic {:.3} mm²), \
         woven {:.1} %, osteoclasts {}, osteoblasts {}, tumour {}, serum IL-6 {:.1} pg/mL, sIL-6R {:.0} ng/mL",
        r.day,
        100.0 * r.bone_rel,
        100.0 * r.lesion_bone_rel,
        r.lesion(),
        r.lytic_area_mm2,
        r.blastic_area_mm2,
        100.0 * r.woven_fraction,
        r.osteoclasts,
        r.osteoblasts,
        r.tumor_cells,
        r.serum_il6_pg_ml,
        r.serum_sil6r_ng_ml
    )
}

/// Mean of `f` over days `from..` of a run.
fn mean_from(days: &[Readouts], from: usize, f: fn(&Readouts) -> f64) -> f64 {
    mean_sd(&days[from..].iter().map(f).collect::<Vec<_>>()).0
}

#[test]
fn breast_cancer_makes_an_uncoupled_osteolytic_lesion_within_four_weeks() {
    // Johnson et al. 2011 (SCIENCE §3): MDA-MB-231 in mouse tibia leave 76 % of the bone at
    // day 28 (standard error 13–19 %); accept 60–90 % of day 0.
    let runs = for_seeds(&SEEDS, |seed| {
        let with_tumour = daily_readouts(&scenario("breast-osteolytic", seed));
        let mut healthy = scenario("breast-osteolytic", seed);
        healthy.tumor.kind = bonesim::scenario::TumorType::None;
        (with_tumour, daily_readouts(&healthy))
    });
    let osteoclasts = |d: &[Readouts]| mean_from(d, 7, |r| r.osteoclasts as f64);
    let osteoblasts = |d: &[Readouts]| mean_from(d, 7, |r| r.osteoblasts as f64);
    let report: Vec<String> = runs
        .iter()
        .zip(SEEDS)
        .map(|((t, h), s)| {
            format!(
                "{}; days 7–28: osteoclasts {:.1}, osteoblasts {:.1} (without tumour {:.1}, {:.1})",
                summary("breast", s, t.last().unwrap()),
                osteoclasts(t),
                osteoblasts(t),
                osteoclasts(h),
                osteoblasts(h)
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
        // a tumour (the host is a young mouse, with tens of its own; SCIENCE §3 and the mouse
        // defaults).
        assert!(osteoclasts(tumour) >= 2.0 * osteoclasts(healthy), "{report}");
        // ...and formation does not follow: osteolytic lesions uncouple (DKK1 raised in breast
        // cancer bone metastases, seed ref 74). Osteoblasts per osteoclast fall to less than
        // half of the healthy bone's.
        let coupling = |d: &[Readouts]| osteoblasts(d) / osteoclasts(d).max(1e-9);
        assert!(coupling(tumour) < 0.5 * coupling(healthy), "{report}");
    }
}

#[test]
fn serum_il6_follows_the_lesion_across_seeds_and_tumour_sizes() {
    // Seed refs 95–96: serum IL-6 correlates with the extent and size of bone metastases. At a
    // fixed day, across seeds and across injected doses of breast cancer cells (25 to 200),
    // serum IL-6 rises with the lytic area, a correlation significant at p < 0.01 (Spearman
    // ρ ≥ 0.52, the two-sided critical value for 24 runs; the review claims a correlation, not
    // its strength), and the largest dose gives higher serum IL-6 than the smallest in every
    // seed. Six seeds, not three: at day 21 the lytic areas of neighbouring doses overlap, so
    // ρ over 12 runs moved between 0.67 and 0.93 with the seeds and small model changes
    // (for seeds 1–3 and 4–6, 2026-12-02), where over 24 runs it held 0.77–0.88.
    const DOSES: [u32; 4] = [25, 50, 100, 200];
    const SERUM_SEEDS: [u64; 6] = [1, 2, 3, 4, 5, 6];
    let mut scenarios = Vec::new();
    for &dose in &DOSES {
        for &seed in &SERUM_SEEDS {
            let mut s = scenario("breast-osteolytic", seed);
            s.domain.width = 150;
            s.domain.height = 150;
            s.time.days = 21.0;
            s.tumor.seed_cells = dose;
            s.parameters.insert("host.spinup_days".into(), 21.0);
            scenarios.push(s);
        }
    }
    let ends: Vec<Readouts> = run_all(&scenarios, |days| days.last().unwrap().clone());
    let serum: Vec<f64> = ends.iter().map(|r| r.serum_il6_pg_ml).collect();
    let lytic: Vec<f64> = ends.iter().map(|r| r.lytic_area_mm2).collect();
    let rho = spearman(&lytic, &serum);
    let report = DOSES
        .iter()
        .enumerate()
        .map(|(i, dose)| {
            let runs = &ends[i * SERUM_SEEDS.len()..(i + 1) * SERUM_SEEDS.len()];
            format!(
                "{dose} cells: lytic {} mm², serum IL-6 {} pg/mL",
                runs.iter().map(|r| format!("{:.3}", r.lytic_area_mm2)).collect::<Vec<_>>().join(", "),
                runs.iter().map(|r| format!("{:.2}", r.serum_il6_pg_ml)).collect::<Vec<_>>().join(", ")
            )
        })
        .chain([format!("Spearman (lytic area, serum IL-6) = {rho:.2}")])
        .collect::<Vec<_>>()
        .join("\n");
    eprintln!("{report}");
    assert!(rho >= 0.52, "{report}");
    let last = (DOSES.len() - 1) * SERUM_SEEDS.len();
    for k in 0..SERUM_SEEDS.len() {
        assert!(serum[last + k] > serum[k], "{report}");
    }
}

#[test]
fn prostate_cancer_lays_down_woven_bone_like_osteoblastic_metastases_and_grows_like_c4_2b() {
    // C4-2B in mouse tibia (SCIENCE §3): fold change 7.1, 16.1, 29, 46 at days 5, 8, 12, 15
    // (PC3 grows a little faster). Accept the seeds' mean within a factor of two of each.
    const C4_2B: [(usize, f64); 4] = [(5, 7.1), (8, 16.1), (12, 29.0), (15, 46.0)];
    let runs = for_seeds(&SEEDS, |seed| daily_readouts(&scenario("prostate-osteoblastic", seed)));
    let seeded = bundled("prostate-osteoblastic").tumor.seed_cells as f64;
    let fold =
        |day: usize| -> f64 { mean_sd(&runs.iter().map(|d| d[day].tumor_cells as f64 / seeded).collect::<Vec<_>>()).0 };
    let mut report: Vec<String> =
        runs.iter().zip(SEEDS).map(|(d, s)| summary("prostate", s, d.last().unwrap())).collect();
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
        // Woven bone accumulates: more at day 90 than at day 45 (its amount, in units of the
        // day-0 bone), and over a tenth of all bone.
        let woven = |r: &Readouts| r.woven_fraction * r.bone_rel;
        assert!(woven(end) > woven(mid) && end.woven_fraction > 0.1, "{report}");
        // Bone where the tumour is, relative to what that region held at the start: prostate
        // cancer bone metastases hold BV/TV 25.7 % against 14.7 % in age-matched normal bone
        // (1.75×; 19.3 % in patients without bisphosphonates, 1.3×), the new bone essentially
        // woven (Morrissey et al. 2013, J Bone Miner Res 28:333; Roudier et al. 2008, J Urol
        // 180:1154). No µCT figure of a C4-2B tibia was found to calibrate to, so the human
        // histomorphometry bounds it: accept 1.3–2.2×.
        assert!((1.3..=2.2).contains(&end.lesion_bone_rel), "{report}");
    }
}

#[test]
fn myeloma_is_lytic_and_starves_in_an_il6_knockout_host() {
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
                summary("myeloma", s, n.last().unwrap()),
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
        // Myeloma cells make no IL-6 and depend on the stroma's (seed ref 72): without host
        // IL-6 the tumour burden at day 60 is at least halved.
        assert!((k.tumor_cells as f64) <= 0.5 * n.tumor_cells as f64, "{report}");
        // Myeloma sheds sIL-6R (SCIENCE §6: up to ~160 ng/mL in patients, whose disease
        // fills many bones; here one tibia of a mouse): serum sIL-6R rises with the tumour,
        // by more than in the knockout host's smaller one.
        let rise = |days: &[Readouts]| days.last().unwrap().serum_sil6r_ng_ml - days[0].serum_sil6r_ng_ml;
        assert!(rise(normal) > 0.05 * normal[0].serum_sil6r_ng_ml && rise(normal) > rise(knockout), "{report}");
    }
}

#[test]
fn lung_and_renal_cancer_arriving_through_vessels_make_osteolytic_lesions() {
    // Seed ("Frequency…" section): lung and kidney carcinomas make mostly osteolytic lesions.
    // Cells arriving through vessels do not always take: after intracardiac injection most
    // mice, not all, develop bone metastases, and a 2 × 2 mm section holds one site or none.
    // So over six seeds per phenotype: at least four runs make an osteolytic lesion, none an
    // osteoblastic or mixed one, and every lesion costs bone and lifts serum IL-6.
    const SEEDS_EACH: u64 = 6;
    let runs = for_seeds(&(1..=2 * SEEDS_EACH).collect::<Vec<_>>(), |i| {
        let name = if i <= SEEDS_EACH { "lung" } else { "renal" };
        let seed = (i - 1) % SEEDS_EACH + 1;
        (name, seed, daily_readouts(&scenario(name, seed)))
    });
    let report: Vec<String> = runs.iter().map(|(n, s, d)| summary(n, *s, d.last().unwrap())).collect();
    let report = report.join("\n");
    eprintln!("{report}");
    for name in ["lung", "renal"] {
        let ends: Vec<(&Readouts, f64)> = runs
            .iter()
            .filter(|(n, _, _)| *n == name)
            .map(|(_, _, d)| (d.last().unwrap(), d[0].serum_il6_pg_ml))
            .collect();
        assert!(ends.iter().all(|(end, _)| matches!(end.lesion(), "osteolytic" | "none")), "{name}: {report}");
        let lesions: Vec<_> = ends.iter().filter(|(end, _)| end.lesion() == "osteolytic").collect();
        assert!(lesions.len() >= 4, "{name}: {} of {SEEDS_EACH} osteolytic\n{report}", lesions.len());
        for (end, serum_at_start) in lesions {
            assert!(end.bone_rel < 0.95, "{report}");
            // Serum IL-6 rises with the lesion (SCIENCE §6: healthy 1–5 pg/mL).
            assert!(end.serum_il6_pg_ml > *serum_at_start, "{report}");
        }
    }
}

#[test]
fn lesion_kind_is_a_spectrum_that_a_phenotype_parameter_moves_across() {
    // Seed ("Frequency…" section): lung, kidney and thyroid carcinomas are mostly osteolytic,
    // but osteoblastic lesions occur occasionally; prostate cancer is mostly osteoblastic. The
    // osteoblastic response comes from mechanisms any phenotype can have in any amount:
    // osteoblastic factors (ET-1, BMPs) against DKK1, which blocks them (Clines et al. 2007)
    // and which switched C4-2B prostate lesions from osteoblastic to osteolytic (Hall et al.
    // 2005). So (1) sweeping the DKK1 a prostate cancer cell makes moves its lesion from
    // osteoblastic (net bone gained) through mixed to osteolytic (net bone lost), the woven
    // bone falling at every step; (2) a lung cancer cell given osteoblastic factors makes a
    // mixed lesion (or, occasionally, an osteoblastic one: the factors move it along the
    // spectrum) where without them it makes an osteolytic one. Lung cells arrive through
    // vessels and do not always take (see the test above): one of six seeds may grow too
    // few cells by day 42 for its lesion to show its kind, so the lung arms run six seeds
    // and ask it of five.
    const DKK1: [f64; 3] = [0.0, 30.0, 300.0];
    const LUNG_FACTORS: [f64; 2] = [0.0, 10_000.0];
    const LUNG_SEEDS: [u64; 6] = [1, 2, 3, 4, 5, 6];
    let small = |name: &str, seed: u64, days: f64| {
        let mut s = scenario(name, seed);
        s.domain.width = 150;
        s.domain.height = 150;
        s.time.days = days;
        s.parameters.insert("host.spinup_days".into(), 21.0);
        s
    };
    let mut scenarios = Vec::new();
    for &rate in &DKK1 {
        for &seed in &SEEDS {
            let mut s = small("prostate-osteoblastic", seed, 70.0);
            s.parameters.insert("prostate.dkk1_molecules_per_h".into(), rate);
            scenarios.push(s);
        }
    }
    for &rate in &LUNG_FACTORS {
        for &seed in &LUNG_SEEDS {
            let mut s = small("lung", seed, 42.0);
            s.parameters.insert("lung.osteoblastic_molecules_per_h".into(), rate);
            s.parameters.insert("lung.dkk1_molecules_per_h".into(), 0.0);
            scenarios.push(s);
        }
    }
    let ends: Vec<Readouts> = run_all(&scenarios, |days| days.last().unwrap().clone());
    // Arm i: the prostate DKK1 rates, then the lung arms of six seeds each.
    let arm = |i: usize| {
        let n = SEEDS.len();
        let start = if i < DKK1.len() { i * n } else { DKK1.len() * n + (i - DKK1.len()) * LUNG_SEEDS.len() };
        let len = if i < DKK1.len() { n } else { LUNG_SEEDS.len() };
        &ends[start..start + len]
    };
    let mean = |i: usize, f: fn(&Readouts) -> f64| mean_sd(&arm(i).iter().map(f).collect::<Vec<_>>()).0;
    let kinds = |i: usize| arm(i).iter().map(|r| r.lesion()).collect::<Vec<_>>();
    let line = |i: usize, what: String| {
        format!(
            "{what}: bone {:.2}, blastic {:.3} mm², lytic {:.3} mm² (means), lesions {:?}",
            mean(i, |r| r.lesion_bone_rel),
            mean(i, |r| r.blastic_area_mm2),
            mean(i, |r| r.lytic_area_mm2),
            kinds(i)
        )
    };
    let mut report: Vec<String> =
        DKK1.iter().enumerate().map(|(i, r)| line(i, format!("prostate DKK1 {r} molecules/h, day 70"))).collect();
    report.extend(
        LUNG_FACTORS
            .iter()
            .enumerate()
            .map(|(i, r)| line(DKK1.len() + i, format!("lung osteoblastic factors {r} molecules/h, day 42"))),
    );
    let report = report.join("\n");
    eprintln!("{report}");
    // (1) Prostate: woven bone falls with every step of DKK1; from net bone gained and no
    // osteolytic lesion, through a mixed lesion, to net bone lost in osteolytic lesions.
    for i in 1..DKK1.len() {
        assert!(mean(i, |r| r.blastic_area_mm2) < mean(i - 1, |r| r.blastic_area_mm2), "{report}");
    }
    assert!(arm(0).iter().all(|r| r.lesion_bone_rel > 1.15 && r.lesion() != "osteolytic"), "{report}");
    assert!(kinds(1).contains(&"mixed"), "{report}");
    assert!(arm(DKK1.len() - 1).iter().all(|r| r.lesion_bone_rel < 0.9 && r.lesion() == "osteolytic"), "{report}");
    // (2) Lung: osteoblastic factors turn osteolytic lesions mixed.
    let (lytic, factors) = (DKK1.len(), DKK1.len() + 1);
    let count = |i: usize, kind: &str| kinds(i).iter().filter(|k| **k == kind).count();
    let least = LUNG_SEEDS.len() - 1;
    assert!(
        count(lytic, "osteolytic") >= least && count(lytic, "mixed") + count(lytic, "osteoblastic") == 0,
        "{report}"
    );
    assert!(
        count(factors, "mixed") + count(factors, "osteoblastic") >= least
            && count(factors, "mixed") > count(factors, "osteoblastic"),
        "{report}"
    );
    assert!(mean(factors, |r| r.blastic_area_mm2) > 10.0 * mean(lytic, |r| r.blastic_area_mm2).max(1e-3), "{report}");
}
