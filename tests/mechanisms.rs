//! Every mechanism of the seed review's Figures 1–3 and text acts: switching it off (its
//! parameter to zero, or its source removed) changes the outcome it is responsible for, in
//! the direction the review (or the measurement cited with the parameter) states: the mean
//! over a fixed set of four seeds moves by at least a stated share, and every seed but at
//! most one moves that way (one seed of a small section may have no remodeling event, or no
//! tumour cell, where the mechanism acts). `docs/model.md` lists these
//! knock-outs beside the rules they test.
//!
//! The runs are the bundled scenarios cut to small domains and a few weeks (a mouse host spins
//! up for three weeks instead of six), so that the whole panel fits in the test suite. Each
//! knock-out is compared with its own baseline seed by seed: the same seed, the same tissue,
//! the mechanism on or off.

use bonesim::field::FieldId;
use bonesim::scenario::Species;
use bonesim::{Readouts, Scenario};
use bonesim_acceptance::{bundled, mean_sd, run_all};

/// Seeds of every comparison (fixed, so the tests are deterministic).
const SEEDS: [u64; 4] = [1, 2, 3, 4];

/// The direction the review states.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    Lower,
    Higher,
}

/// A mechanism switched off, and what must follow.
struct Knockout {
    /// The mechanism, and where the review (or a cited measurement) states its effect.
    mechanism: &'static str,
    /// Switches it off in a scenario.
    off: fn(&mut Scenario),
    /// The outcome it is responsible for (a name in [`readout`]).
    readout: &'static str,
    /// Which way switching it off moves that outcome.
    expect: Expect,
    /// Smallest change of the seeds' mean accepted, as a share of the baseline's mean.
    min_change: f64,
}

/// Sets model parameters.
fn set(s: &mut Scenario, values: &[(&str, f64)]) {
    for &(name, value) in values {
        s.parameters.insert(name.to_string(), value);
    }
}

/// A readout of a run's daily readouts (day 0 first).
fn readout(name: &str, days: &[Readouts]) -> f64 {
    let mean_over = |from: usize, f: &dyn Fn(&Readouts) -> f64| {
        mean_sd(&days[from.min(days.len() - 1)..].iter().map(f).collect::<Vec<_>>()).0
    };
    let end = days.last().expect("a day");
    let field = |r: &Readouts, f: FieldId| r.field_means_pm[f.index()];
    match name {
        "bone at the end" => end.bone_rel,
        "bone resorbed" => end.resorbed_mm2,
        "bone formed" => end.formed_mm2,
        "osteoclasts" => mean_over(7, &|r| r.osteoclasts as f64),
        "osteoblasts" => mean_over(7, &|r| r.osteoblasts as f64),
        "osteocytes at the end" => end.osteocytes as f64,
        "tumour cells at the end" => end.tumor_cells as f64,
        "serum IL-6" => mean_over(1, &|r| r.serum_il6_pg_ml),
        "peak serum IL-6" => days.iter().map(|r| r.serum_il6_pg_ml).fold(0.0, f64::max),
        "serum sIL-6R at the end" => end.serum_sil6r_ng_ml,
        "marrow IL-6" => mean_over(1, &|r| field(r, FieldId::Il6)),
        "marrow IL-1β" => mean_over(1, &|r| field(r, FieldId::Il1b)),
        "marrow TNF-α" => mean_over(1, &|r| field(r, FieldId::Tnf)),
        "marrow RANKL" => mean_over(1, &|r| field(r, FieldId::Rankl)),
        "woven bone gained" => end.blastic_area_mm2,
        other => panic!("no readout {other}"),
    }
}

/// Runs the baseline and every knock-out over [`SEEDS`], prints the table and checks each
/// knock-out. Returns nothing: a failed check panics with the whole table.
fn check(group: &str, base: fn(u64) -> Scenario, knockouts: &[Knockout]) {
    let mut scenarios = Vec::new();
    for &seed in &SEEDS {
        scenarios.push(base(seed));
    }
    for k in knockouts {
        for &seed in &SEEDS {
            let mut s = base(seed);
            (k.off)(&mut s);
            scenarios.push(s);
        }
    }
    let runs = run_all(&scenarios, |days| days.to_vec());
    let n = SEEDS.len();
    let mut table = vec![format!("{group}: mechanism off → outcome (baseline → knocked out, mean of seeds {SEEDS:?})")];
    let mut failures = Vec::new();
    for (i, k) in knockouts.iter().enumerate() {
        let base_values: Vec<f64> = runs[..n].iter().map(|d| readout(k.readout, d)).collect();
        let off_values: Vec<f64> = runs[n * (i + 1)..n * (i + 2)].iter().map(|d| readout(k.readout, d)).collect();
        let (b, o) = (mean_sd(&base_values).0, mean_sd(&off_values).0);
        let change = (o - b) / b.abs().max(f64::MIN_POSITIVE);
        let seeds_agreeing = base_values
            .iter()
            .zip(&off_values)
            .filter(|(b, o)| match k.expect {
                Expect::Lower => o < b,
                Expect::Higher => o > b,
            })
            .count();
        let most_seeds = seeds_agreeing + 1 >= n;
        let big_enough = match k.expect {
            Expect::Lower => change <= -k.min_change,
            Expect::Higher => change >= k.min_change,
        };
        let verdict = if most_seeds && big_enough { "ok" } else { "FAILS" };
        table.push(format!(
            "  [{verdict}] {}: {} {:.4} → {:.4} ({:+.0} %; expected {} by ≥ {:.0} % of the mean, in all seeds but at most one; per seed {})",
            k.mechanism,
            k.readout,
            b,
            o,
            100.0 * change,
            if k.expect == Expect::Lower { "lower" } else { "higher" },
            100.0 * k.min_change,
            base_values.iter().zip(&off_values).map(|(b, o)| format!("{b:.3}→{o:.3}")).collect::<Vec<_>>().join(", ")
        ));
        if verdict != "ok" {
            failures.push(k.mechanism);
        }
    }
    let table = table.join("\n");
    eprintln!("{table}");
    assert!(failures.is_empty(), "mechanisms without their effect: {failures:?}\n{table}");
}

/// A bundled scenario cut to `size` × `size` sites and `days`, without snapshots.
fn small(name: &str, seed: u64, size: usize, days: f64) -> Scenario {
    let mut s = bundled(name);
    s.seed = seed;
    s.domain.width = size;
    s.domain.height = size;
    s.time.days = days;
    s.output.snapshot_fields.clear();
    s
}

/// A mouse scenario with a three-week spin-up.
fn small_mouse(name: &str, seed: u64, size: usize, days: f64) -> Scenario {
    let mut s = small(name, seed, size, days);
    set(&mut s, &[("host.spinup_days", 21.0)]);
    s
}

#[test]
fn figure_1a_remodeling_mechanisms_act() {
    check(
        "Figure 1A: one remodeling event (remodeling-event, 150 × 150, 40 days)",
        |seed| small("remodeling-event", seed, 150, 40.0),
        &[
            Knockout {
                mechanism: "RANKL from osteocytes, osteoblasts and stroma drives osteoclasts (Fig. 1A)",
                off: |s| {
                    set(
                        s,
                        &[
                            ("osteocyte.rankl_molecules_per_h", 0.0),
                            ("osteoblast.rankl_molecules_per_h", 0.0),
                            ("stroma.rankl_molecules_per_h", 0.0),
                        ],
                    )
                },
                readout: "bone resorbed",
                expect: Expect::Lower,
                min_change: 0.3,
            },
            Knockout {
                mechanism: "M-CSF keeps precursors alive and lets them commit (Fig. 1A)",
                off: |s| set(s, &[("stroma.mcsf_molecules_per_h", 0.0), ("osteoblast.mcsf_molecules_per_h", 0.0)]),
                readout: "bone resorbed",
                expect: Expect::Lower,
                min_change: 0.2,
            },
            Knockout {
                mechanism: "OPG, the decoy receptor, holds RANKL back (Fig. 1A)",
                off: |s| set(s, &[("stroma.opg_molecules_per_h", 0.0), ("osteoblast.opg_molecules_per_h", 0.0)]),
                readout: "bone resorbed",
                expect: Expect::Higher,
                min_change: 0.2,
            },
            Knockout {
                mechanism: "TGF-β freed by resorption recruits osteoblasts: coupling (seed, vicious-cycle section; Tang et al. 2009)",
                off: |s| set(s, &[("bone.tgfb_molecules_per_site", 0.0)]),
                readout: "bone formed",
                expect: Expect::Lower,
                min_change: 0.1,
            },
        ],
    );
}

#[test]
fn figure_1b_and_vicious_cycle_mechanisms_act_in_a_breast_cancer_lesion() {
    check(
        "Figure 1B and the vicious cycle: breast-osteolytic (150 × 150, 21 days)",
        |seed| small_mouse("breast-osteolytic", seed, 150, 21.0),
        &[
            Knockout {
                mechanism: "tumour IL-6 reaches the blood (seed: serum IL-6 rises with metastatic burden)",
                off: |s| set(s, &[("breast.il6_molecules_per_h", 0.0)]),
                readout: "serum IL-6",
                expect: Expect::Lower,
                min_change: 0.2,
            },
            Knockout {
                mechanism: "tumour PTHrP raises RANKL and lowers OPG: more osteoclasts (Fig. 1B)",
                off: |s| set(s, &[("breast.pthrp_molecules_per_h", 0.0)]),
                readout: "osteoclasts",
                expect: Expect::Lower,
                min_change: 0.05,
            },
            Knockout {
                mechanism: "PTHrP → RANKL in the osteoblast lineage and osteocytes (Fig. 1B; Ben-awadh et al. 2014)",
                off: |s| set(s, &[("osteoblast.rankl_pthrp_gain", 0.0), ("osteocyte.rankl_pthrp_gain", 0.0)]),
                readout: "osteoclasts",
                expect: Expect::Lower,
                min_change: 0.05,
            },
            Knockout {
                mechanism: "IL-6 → STAT3 → RANKL in the osteoblast lineage and osteocytes (Fig. 3, refs 53–54; Wu et al. 2017)",
                off: |s| set(s, &[("osteoblast.rankl_stat3_gain", 0.0), ("osteocyte.rankl_stat3_gain", 0.0)]),
                readout: "marrow RANKL",
                expect: Expect::Lower,
                min_change: 0.15,
            },
            Knockout {
                mechanism: "matrix TGF-β and IGF feed tumour growth: the vicious cycle (refs 38–39)",
                off: |s| set(s, &[("cancer.tgfb_growth_gain", 0.0), ("cancer.tgfb_survival", 0.0)]),
                readout: "tumour cells at the end",
                expect: Expect::Lower,
                min_change: 0.1,
            },
            Knockout {
                mechanism: "TGF-β raises tumour PTHrP (Yin et al. 1999)",
                off: |s| set(s, &[("cancer.tgfb_pthrp_gain", 0.0)]),
                readout: "osteoclasts",
                expect: Expect::Lower,
                min_change: 0.05,
            },
            Knockout {
                mechanism: "tumour DKK1 suppresses osteoblasts: osteolytic lesions uncouple (ref 74)",
                off: |s| set(s, &[("breast.dkk1_molecules_per_h", 0.0)]),
                readout: "osteoblasts",
                expect: Expect::Higher,
                min_change: 0.2,
            },
            Knockout {
                mechanism: "DKK1 (Wnt blockade) makes osteoblasts die (Almeida et al. 2005)",
                off: |s| set(s, &[("osteoblast.dkk1_apoptosis_gain", 0.0)]),
                readout: "osteoblasts",
                expect: Expect::Higher,
                min_change: 0.2,
            },
        ],
    );
}

#[test]
fn tumour_pge2_drives_resorption_where_pthrp_and_il6_do_not_already() {
    // In the breast lesion the tumour's IL-6 (hundreds of pM against STAT3's half at 10 pM)
    // saturates STAT3 in the lineage and the osteocytes, and its PTHrP saturates PTH1R, so
    // the RANKL the tumour's PGE2 adds is redundant there (measured: osteoclasts and bone
    // resorbed within 1 %), as the review says IL-6 has redundant routes to bone destruction
    // (refs 78–80). Its route shows in a lesion of breast cells that make neither, as in
    // PTHrP-poor tumours and IL-6-knockdown cells.
    check(
        "Tumour PGE2: breast-osteolytic cells making no PTHrP and no IL-6 (150 × 150, 21 days)",
        lesion_without_pthrp_or_il6,
        &[
            Knockout {
                mechanism: "tumour PGE2 raises RANKL in the lineage and osteocytes (ref 82)",
                off: |s| set(s, &[("breast.pge2_molecules_per_h", 0.0)]),
                readout: "marrow RANKL",
                expect: Expect::Lower,
                min_change: 0.05,
            },
            Knockout {
                mechanism: "PGE2 → EP → RANKL in the lineage and osteocytes (ref 82; Kitase et al. 2010)",
                off: |s| set(s, &[("osteoblast.rankl_pge2_gain", 0.0), ("osteocyte.rankl_pge2_gain", 0.0)]),
                readout: "marrow RANKL",
                expect: Expect::Lower,
                min_change: 0.05,
            },
        ],
    );
}

/// A breast lesion whose tumour cells make neither PTHrP nor IL-6 (see
/// [`tumour_pge2_drives_resorption_where_pthrp_and_il6_do_not_already`]).
fn lesion_without_pthrp_or_il6(seed: u64) -> Scenario {
    let mut s = small_mouse("breast-osteolytic", seed, 150, 21.0);
    set(&mut s, &[("breast.pthrp_molecules_per_h", 0.0), ("breast.il6_molecules_per_h", 0.0)]);
    s
}

#[test]
fn tumour_pge2_raises_bone_resorbed() {
    // Ref 82: tumour PGE2 drives osteoclasts. In the lesion of breast cells making no PTHrP
    // and no IL-6 the effect on resorption is small, because resorption here is set more by
    // how fast precursors arrive than by RANKL, and one seed scatters by ±10–20 %: four seeds
    // measured −5.1 % (f64 solver), −1.7 % (f32) and anything from +1.6 % to −16.7 % over
    // other sets of four. Twenty-four seeds, paired: switching the tumour's PGE2 off must
    // lower bone resorbed by at least 4 % on the mean, with a paired t of at most −2.07
    // (p < 0.05, two-sided). Measured 2026-12-04: −6.8 % (t −2.49, 18 of 24 seeds lower)
    // with the f64 solver, −6.0 % (t −2.28, 18 of 24) with the f32 solver, −6.4 % (t −2.39,
    // 18 of 24) with the fields in f32 as well (the default). The mean of 24
    // seeds carries a standard error of about 2.7 points, so the bar is 4 %, under one
    // standard error below either measurement, rather than the four-seed panel's 5 %.
    let paired = paired_over_seeds(&PAIRED_SEEDS, lesion_without_pthrp_or_il6, |s| {
        set(s, &[("breast.pge2_molecules_per_h", 0.0)]);
    });
    let report = paired.report("bone resorbed by day 21 with → without the tumour's PGE2 (mm²)");
    eprintln!("{report}");
    assert!(paired.mean <= -0.04 && paired.t <= -2.07, "{report}");
}

/// Seeds of the paired comparisons of small effects.
const PAIRED_SEEDS: [u64; 24] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24];

/// Bone resorbed with a mechanism on and off, seed by seed, and the relative changes' mean
/// and paired t.
struct Paired {
    seeds: Vec<u64>,
    pairs: Vec<(f64, f64)>,
    mean: f64,
    t: f64,
}

impl Paired {
    fn report(&self, what: &str) -> String {
        format!(
            "{what}, seeds {:?}: {}; mean change {:+.1} %, paired t {:.2}, lower in {} of {}",
            self.seeds,
            self.pairs.iter().map(|(a, b)| format!("{a:.4}→{b:.4}")).collect::<Vec<_>>().join(", "),
            100.0 * self.mean,
            self.t,
            self.pairs.iter().filter(|(on, off)| off < on).count(),
            self.pairs.len()
        )
    }
}

/// Runs `base` and `base` with `off` applied for every seed and compares bone resorbed at
/// the end, seed by seed.
fn paired_over_seeds(seeds: &[u64], base: fn(u64) -> Scenario, off: fn(&mut Scenario)) -> Paired {
    let mut scenarios = Vec::new();
    for &seed in seeds {
        let on = base(seed);
        let mut knocked_out = on.clone();
        off(&mut knocked_out);
        scenarios.extend([on, knocked_out]);
    }
    let resorbed: Vec<f64> = run_all(&scenarios, |days| readout("bone resorbed", days));
    let pairs: Vec<(f64, f64)> = resorbed.chunks(2).map(|p| (p[0], p[1])).collect();
    let changes: Vec<f64> = pairs.iter().map(|&(on, off)| (off - on) / on).collect();
    let (mean, sd) = mean_sd(&changes);
    let t = mean / (sd / (changes.len() as f64).sqrt());
    Paired { seeds: seeds.to_vec(), pairs, mean, t }
}

#[test]
fn figure_2_inflammation_mechanisms_act() {
    check(
        "Figure 2: an LPS infection (inflammation, 150 × 150, 26 days, LPS daily from day 10)",
        |seed| small("inflammation", seed, 150, 26.0),
        &[
            Knockout {
                mechanism: "LPS → NF-κB → IL-6 (Fig. 2)",
                off: |s| set(s, &[("osteoblast.il6_nfkb_gain", 0.0)]),
                readout: "marrow IL-6",
                expect: Expect::Lower,
                min_change: 0.2,
            },
            Knockout {
                mechanism: "the infection itself: LPS switches on NF-κB (Fig. 2)",
                off: |s| s.inflammation.clear(),
                readout: "osteoclasts",
                expect: Expect::Lower,
                min_change: 0.2,
            },
            Knockout {
                // Its drive of osteoclasts is a few per cent beside TNF-α's in an infection
                // (−4 % over seeds 1–12), as TNFR1 carries LPS-induced osteoclastogenesis
                // (Abu-Amer et al. 1997); its RANKL-independent drive is tested where
                // RANKL is blocked, with the other drives (`rankl_independent_drives…`).
                mechanism: "macrophage IL-1β raises NF-κB and so IL-6 (Fig. 2; ref 84)",
                off: |s| set(s, &[("immune.macrophage_il1b_molecules_per_h", 0.0)]),
                readout: "marrow IL-6",
                expect: Expect::Lower,
                min_change: 0.03,
            },
            Knockout {
                mechanism: "IL-6 induces IL-1β (ref 83)",
                off: |s| set(s, &[("immune.il6_il1b_gain", 0.0)]),
                readout: "marrow IL-1β",
                expect: Expect::Lower,
                min_change: 0.05,
            },
            Knockout {
                mechanism: "NF-κB → COX-2 → PGE2 → IL-6, the NF-κB-independent route (Fig. 2; ref 81)",
                off: |s| {
                    set(
                        s,
                        &[
                            ("stroma.pge2_molecules_per_h", 0.0),
                            ("osteoblast.pge2_molecules_per_h", 0.0),
                            ("immune.macrophage_pge2_molecules_per_h", 0.0),
                        ],
                    )
                },
                readout: "marrow IL-6",
                expect: Expect::Lower,
                min_change: 0.01,
            },
            Knockout {
                mechanism: "TNF-α from macrophages drives osteoclasts (Kobayashi et al. 2000)",
                off: |s| {
                    set(
                        s,
                        &[
                            ("immune.macrophage_tnf_molecules_per_h", 0.0),
                            ("immune.macrophage_lps_tnf_molecules_per_h", 0.0),
                            ("immune.t_cell_tnf_molecules_per_h", 0.0),
                        ],
                    )
                },
                readout: "osteoclasts",
                expect: Expect::Lower,
                min_change: 0.05,
            },
            Knockout {
                mechanism: "IL-6 makes Th17 cells whose IL-17 raises RANKL (refs 55–57; small in an infection: T cells are few)",
                off: |s| set(s, &[("immune.t_cell_il17_molecules_per_h", 0.0)]),
                readout: "marrow RANKL",
                expect: Expect::Lower,
                min_change: 0.005,
            },
            Knockout {
                mechanism: "TGF-β induces IL-6, NF-κB-independent (Fig. 2)",
                off: |s| set(s, &[("osteoblast.il6_tgfb_gain", 0.0)]),
                readout: "marrow IL-6",
                expect: Expect::Lower,
                min_change: 0.01,
            },
            Knockout {
                mechanism: "PGE2 induces IL-6, NF-κB-independent (Fig. 2)",
                off: |s| set(s, &[("osteoblast.il6_pge2_gain", 0.0)]),
                readout: "marrow IL-6",
                expect: Expect::Lower,
                min_change: 0.01,
            },
            Knockout {
                mechanism: "cells with IL-6 receptors take IL-6 up (Castell et al. 1988)",
                off: |s| set(s, &[("signalling.il6_uptake_per_h", 0.0)]),
                readout: "marrow IL-6",
                expect: Expect::Higher,
                min_change: 0.05,
            },
            // Estradiol's PIAS3 damping acts on STAT3, so it shows where IL-6 drives STAT3
            // across the marrow, as in an infection. In a breast lesion the tumour's PTHrP
            // sets the lineage's RANKL and the seeds scatter by ±10 %, which hides it.
            Knockout {
                mechanism: "estradiol damps STAT3 through PIAS3 (ref 67)",
                off: |s| set(s, &[("signalling.estrogen_stat3_damping", 0.0)]),
                readout: "marrow RANKL",
                expect: Expect::Higher,
                min_change: 0.02,
            },
            Knockout {
                mechanism: "IL-6 knockout hosts are protected from inflammatory osteolysis (ref 55)",
                off: |s| s.patient.il6_knockout = true,
                readout: "osteoclasts",
                expect: Expect::Lower,
                min_change: 0.1,
            },
        ],
    );
}

#[test]
fn rankl_independent_drives_make_osteoclasts_when_rankl_is_blocked() {
    // Seed refs 78–83: RANKL inhibitors fail to stop IL-6-driven osteoclastogenesis. With RANK
    // nearly unable to bind RANKL (its half-occupancy raised 500-fold), an infection still
    // makes osteoclasts through IL-1β, TNF-α, PGE2, IL-6 and IL-17; without those drives it
    // makes far fewer.
    check(
        "RANKL blocked: an LPS infection with RANK's half occupancy at 10 nM",
        |seed| {
            let mut s = small("inflammation", seed, 150, 26.0);
            set(&mut s, &[("osteoclast.rank_half_pm", 10_000.0)]);
            s
        },
        &[Knockout {
            mechanism: "IL-1β, TNF-α, PGE2, IL-6 and IL-17 support osteoclasts without RANKL (refs 78–83)",
            off: |s| {
                set(
                    s,
                    &[
                        ("osteoclast.il1b_drive", 0.0),
                        ("osteoclast.tnf_drive", 0.0),
                        ("osteoclast.pge2_drive", 0.0),
                        ("osteoclast.il6_drive", 0.0),
                        ("osteoclast.il17_drive", 0.0),
                    ],
                )
            },
            readout: "bone resorbed",
            expect: Expect::Lower,
            min_change: 0.3,
        }],
    );
}

#[test]
fn hormone_mechanisms_act_after_estrogen_loss() {
    check(
        "Hormones: an ovariectomised young mouse (estrogen-deprivation, 150 × 150, 90 days, estrogen 0)",
        // The measurements these knock-outs stand on are ovariectomised mice (Poli et al.
        // 1994; Hughes et al. 1996); their high turnover also gives a small section enough
        // remodeling events in 90 days.
        ovariectomised_mouse,
        &[
            Knockout {
                mechanism: "the basal inflammatory tone that estradiol damps (Pacifici et al. 1991)",
                off: |s| set(s, &[("signalling.basal_nfkb", 0.0)]),
                readout: "serum IL-6",
                expect: Expect::Lower,
                min_change: 0.1,
            },
            Knockout {
                mechanism: "IL-6 knockout mice are protected from estrogen-loss bone loss (Poli et al. 1994)",
                off: |s| s.patient.il6_knockout = true,
                readout: "bone resorbed",
                expect: Expect::Lower,
                min_change: 0.1,
            },
            Knockout {
                mechanism: "TNF-α makes precursors answer RANKL (Cenci et al. 2000; Lam et al. 2000)",
                off: |s| set(s, &[("osteoclast.tnf_rankl_potentiation", 0.0)]),
                readout: "bone resorbed",
                expect: Expect::Lower,
                min_change: 0.1,
            },
            Knockout {
                mechanism: "estradiol shortens osteoclast life (Hughes et al. 1996)",
                off: |s| set(s, &[("osteoclast.estrogen_loss_survival", 0.0)]),
                readout: "bone resorbed",
                expect: Expect::Lower,
                min_change: 0.1,
            },
            Knockout {
                mechanism: "estradiol keeps osteocytes alive (Tomkinson et al. 1997)",
                off: |s| set(s, &[("osteocyte.estrogen_loss_apoptosis_gain", 0.0)]),
                readout: "bone resorbed",
                expect: Expect::Lower,
                min_change: 0.05,
            },
        ],
    );
}

#[test]
fn il6_raises_m_csf_and_so_resorption_in_a_breast_cancer_lesion() {
    // Seed Figure 1B: IL-6 through STAT3 raises M-CSF in the osteoblast lineage, and M-CSF
    // keeps precursors alive and drives their commitment. Its share of a breast lesion's
    // resorption is a few per cent, and one seed's resorption scatters by ±6–9 %, so four
    // seeds cannot tell it (in the Figure 1B panel it passed or failed with small model
    // changes). Twenty-four seeds, paired: switching the M-CSF gain off must lower bone
    // resorbed by at least 2 % on the mean, with a paired t of at most −2.07 (p < 0.05,
    // two-sided, 23 degrees of freedom). Measured 2026-12-02: −4.0 % (t −2.68, 16 of 24
    // seeds lower) once osteocyte RANKL answered STAT3; twelve seeds gave −3.0 % (t −1.69).
    let paired = paired_over_seeds(
        &PAIRED_SEEDS,
        |seed| small_mouse("breast-osteolytic", seed, 150, 21.0),
        |s| set(s, &[("osteoblast.mcsf_stat3_gain", 0.0)]),
    );
    let report = paired.report("bone resorbed by day 21 with → without IL-6's M-CSF gain (mm²)");
    eprintln!("{report}");
    assert!(paired.mean <= -0.02 && paired.t <= -2.07, "{report}");
}

/// An ovariectomised young mouse as in [`hormone_mechanisms_act_after_estrogen_loss`].
fn ovariectomised_mouse(seed: u64) -> Scenario {
    let mut s = small_mouse("estrogen-deprivation", seed, 150, 90.0);
    s.patient.species = Species::Mouse;
    s
}

#[test]
fn tnf_is_needed_for_the_bone_loss_of_estrogen_deficiency() {
    // TNF-deficient mice, and mice given TNF binding protein, do not lose bone after
    // ovariectomy (Roggia et al. 2001, PNAS 98:13960; Kimble et al. 1997): T cells of
    // estrogen-deficient mice make more TNF-α, which makes precursors answer RANKL (Lam et
    // al. 2000). So without TNF-α most of what estrogen loss adds to resorption is gone:
    // asked here, at least half of it, on the mean of eight seeds.
    const OVX_SEEDS: [u64; 8] = [1, 2, 3, 4, 5, 6, 7, 8];
    let mut scenarios = Vec::new();
    for &seed in &OVX_SEEDS {
        let deprived = ovariectomised_mouse(seed);
        let mut replete = deprived.clone();
        replete.patient.estrogen = 1.0;
        let mut no_tnf = deprived.clone();
        set(
            &mut no_tnf,
            &[
                ("immune.macrophage_tnf_molecules_per_h", 0.0),
                ("immune.macrophage_lps_tnf_molecules_per_h", 0.0),
                ("immune.t_cell_tnf_molecules_per_h", 0.0),
            ],
        );
        scenarios.extend([deprived, replete, no_tnf]);
    }
    let resorbed: Vec<f64> = run_all(&scenarios, |days| readout("bone resorbed", days));
    let arm = |a: usize| mean_sd(&resorbed.iter().skip(a).step_by(3).copied().collect::<Vec<_>>()).0;
    let (deprived, replete, no_tnf) = (arm(0), arm(1), arm(2));
    let report = format!(
        "bone resorbed by day 90 (mm², mean of seeds {OVX_SEEDS:?}): estrogen 0 {deprived:.4}, \
         estrogen 1 {replete:.4}, estrogen 0 without TNF-α {no_tnf:.4}; TNF-α's share of the loss's extra \
         resorption {:.0} %",
        100.0 * (deprived - no_tnf) / (deprived - replete)
    );
    eprintln!("{report}");
    assert!(deprived > replete, "{report}");
    assert!(deprived - no_tnf >= 0.5 * (deprived - replete), "{report}");
}

#[test]
fn hormone_damping_mechanisms_act_in_a_healthy_host() {
    check(
        "Hormones: healthy bone (estrogen-deprivation with normal estrogen, 150 × 150, 90 days)",
        |seed| {
            let mut s = small("estrogen-deprivation", seed, 150, 90.0);
            s.patient.estrogen = 1.0;
            s
        },
        &[
            Knockout {
                mechanism: "17β-estradiol damps NF-κB and so IL-6 (refs 60, 65)",
                off: |s| set(s, &[("signalling.estrogen_nfkb_damping", 0.0)]),
                readout: "serum IL-6",
                expect: Expect::Higher,
                min_change: 0.1,
            },
            Knockout {
                mechanism: "testosterone damps NF-κB in the osteoblast lineage (refs 68–70)",
                off: |s| set(s, &[("signalling.testosterone_nfkb_damping", 0.0)]),
                readout: "marrow IL-6",
                expect: Expect::Higher,
                min_change: 0.05,
            },
            Knockout {
                mechanism: "a dying osteocyte's neighbours raise RANKL, which calls remodeling to it (Kennedy et al. 2012)",
                off: |s| set(s, &[("osteocyte.alarm_rankl_fold", 1.0)]),
                readout: "marrow RANKL",
                expect: Expect::Lower,
                min_change: 0.05,
            },
            Knockout {
                mechanism: "androgen deprivation costs bone (seed ref 71)",
                off: |s| s.patient.testosterone = 0.0,
                readout: "bone resorbed",
                expect: Expect::Higher,
                min_change: 0.1,
            },
        ],
    );
}

#[test]
fn myeloma_mechanisms_act() {
    check(
        "Myeloma (150 × 150, 35 days)",
        |seed| small_mouse("myeloma", seed, 150, 35.0),
        &[
            Knockout {
                mechanism: "classic IL-6 signalling through membrane IL-6R: AKT and MAPK (Fig. 3)",
                off: |s| set(s, &[("myeloma.il6r", 0.0)]),
                readout: "tumour cells at the end",
                expect: Expect::Lower,
                min_change: 0.1,
            },
            Knockout {
                mechanism: "IL-6 trans-signalling drives survival and proliferation without AKT and MAPK (Fig. 3)",
                off: |s| set(s, &[("cancer.trans_weight", 0.0)]),
                readout: "tumour cells at the end",
                expect: Expect::Lower,
                min_change: 0.05,
            },
            Knockout {
                mechanism: "myeloma sheds sIL-6R into serum (SCIENCE §6)",
                off: |s| set(s, &[("myeloma.sil6r_molecules_per_h", 0.0)]),
                readout: "serum sIL-6R at the end",
                expect: Expect::Lower,
                min_change: 0.05,
            },
            Knockout {
                mechanism: "myeloma lives on the host's IL-6 (ref 72)",
                off: |s| s.patient.il6_knockout = true,
                readout: "tumour cells at the end",
                expect: Expect::Lower,
                min_change: 0.3,
            },
        ],
    );
}

#[test]
fn myeloma_adhesion_raises_the_stromas_il6_where_il1b_does_not_already() {
    // Myeloma IL-1β and adhesion both switch on the stroma's NF-κB, and at the phenotype's
    // IL-1β the stroma around the tumour is already near full NF-κB, so adhesion adds nothing
    // there (measured: marrow IL-6 within 1 %). Its route shows in a lesion of myeloma cells
    // that make no IL-1β, as the plasma cells of MGUS and Waldenström's do not (Donovan et
    // al. 2002, Leukemia 16:382).
    check(
        "Myeloma adhesion: myeloma cells making no IL-1β (150 × 150, 35 days)",
        |seed| {
            let mut s = small_mouse("myeloma", seed, 150, 35.0);
            set(&mut s, &[("myeloma.il1b_molecules_per_h", 0.0)]);
            s
        },
        &[Knockout {
            mechanism: "adhesion to stroma (VLA-4/VCAM-1) switches on the stroma's IL-6 (Chauhan et al. 1996)",
            off: |s| set(s, &[("myeloma.stroma_contact_nfkb", 0.0)]),
            readout: "marrow IL-6",
            expect: Expect::Lower,
            min_change: 0.03,
        }],
    );
}

#[test]
fn osteoblastic_mechanisms_act_in_a_prostate_cancer_lesion() {
    check(
        "Osteoblastic lesions: prostate-osteoblastic (150 × 150, 45 days)",
        |seed| small_mouse("prostate-osteoblastic", seed, 150, 45.0),
        &[
            Knockout {
                mechanism: "tumour ET-1 and BMPs drive woven bone (seed, Frequency section; Yin et al. 2003)",
                off: |s| set(s, &[("prostate.osteoblastic_molecules_per_h", 0.0)]),
                readout: "woven bone gained",
                expect: Expect::Lower,
                min_change: 0.5,
            },
            Knockout {
                mechanism: "DKK1 from the tumour switches the lesion towards osteolytic (Hall et al. 2005)",
                off: |s| set(s, &[("prostate.dkk1_molecules_per_h", 3000.0)]),
                readout: "woven bone gained",
                expect: Expect::Lower,
                min_change: 0.3,
            },
            Knockout {
                mechanism: "BMPs commit mesenchymal progenitors to osteoblasts (Introduction)",
                off: |s| set(s, &[("stroma.osteoblastic_commitment", 0.0)]),
                readout: "woven bone gained",
                expect: Expect::Lower,
                min_change: 0.05,
            },
        ],
    );
}

#[test]
fn homing_mechanisms_decide_how_many_circulating_cells_settle() {
    check(
        "Homing: 300 lung cancer cells arriving through vessels (150 × 150, 4 days)",
        |seed| {
            // Many arriving cells, so that the share that settles is measured well.
            let mut s = small_mouse("lung", seed, 150, 4.0);
            s.tumor.seed_cells = 300;
            s
        },
        &[
            Knockout {
                mechanism: "CXCR4 on CXCL12 holds arriving cells (refs 31–35; Müller et al. 2001)",
                off: |s| set(s, &[("lung.cxcr4", 0.0)]),
                readout: "tumour cells at the end",
                expect: Expect::Lower,
                min_change: 0.3,
            },
            Knockout {
                mechanism: "IL-6 → STAT3 raises CXCR4 (ref 36)",
                off: |s| set(s, &[("cancer.stat3_cxcr4_gain", 0.0)]),
                readout: "tumour cells at the end",
                expect: Expect::Lower,
                min_change: 0.05,
            },
            Knockout {
                mechanism: "stroma and osteoblasts make the CXCL12 that attracts CXCR4⁺ cells (ref 31)",
                off: |s| set(s, &[("stroma.cxcl12_molecules_per_h", 0.0), ("osteoblast.cxcl12_molecules_per_h", 0.0)]),
                readout: "tumour cells at the end",
                expect: Expect::Lower,
                min_change: 0.3,
            },
        ],
    );
}

#[test]
fn tnf_makes_osteoblasts_die_in_an_infected_young_mouse() {
    check(
        "TNF-α and osteoblasts: an LPS infection in a young mouse (inflammation, 150 × 150, 26 days)",
        |seed| {
            // A young mouse's bone, where many osteoblasts are at work when the infection
            // raises TNF-α.
            let mut s = small_mouse("inflammation", seed, 150, 26.0);
            s.patient.species = Species::Mouse;
            s
        },
        &[Knockout {
            mechanism: "TNF-α makes osteoblasts die (Jilka et al. 1998)",
            off: |s| set(s, &[("osteoblast.tnf_apoptosis_gain", 0.0)]),
            readout: "osteoblasts",
            expect: Expect::Higher,
            min_change: 0.05,
        }],
    );
}
