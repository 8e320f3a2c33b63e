//! The virtual experiments: the seed review's claims, each as arms of scenarios, a readout,
//! its statistic and the direction the claim expects.
//!
//! An arm is a bundled scenario plus overrides written exactly as `--set` takes them
//! (`bonesim_scenario::Override`), so any scenario key, `[[therapy]]` entry or model parameter
//! can be set. Every arm of an experiment runs on the same seeds, so a seed's bone and vessels
//! are the same in every arm.

/// Where a day in a statistic lies: a day number, or the run's last day.
pub const END: f64 = f64::INFINITY;

/// How one run's daily series of a readout is reduced to one number.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Summary {
    /// The value on a day.
    At(f64),
    /// The mean over days `from..=to`.
    Mean(f64, f64),
    /// The share lost between two days, `(x_from − x_to) / x_from` (bone lost).
    Loss(f64, f64),
    /// The relative change between two days, `x_to / x_from − 1`.
    Change(f64, f64),
}

impl Summary {
    /// In words, with `days` the run's length.
    pub fn describe(self, days: f64) -> String {
        let d = |x: f64| if x.is_infinite() { format!("{days}") } else { format!("{x}") };
        match self {
            Summary::At(x) => format!("on day {}", d(x)),
            Summary::Mean(a, b) => format!("mean over days {}–{}", d(a), d(b)),
            Summary::Loss(a, b) => format!("share lost from day {} to day {}", d(a), d(b)),
            Summary::Change(a, b) => format!("change from day {} to day {}", d(a), d(b)),
        }
    }

    /// The number of a run whose readout on day `i` is `series[i]` (day 0 first).
    pub fn apply(self, series: &[f64]) -> f64 {
        let last = series.len().saturating_sub(1);
        let day = |x: f64| if x.is_infinite() { last } else { (x.round() as usize).min(last) };
        match self {
            Summary::At(x) => series[day(x)],
            Summary::Mean(a, b) => {
                let window = &series[day(a)..=day(b).max(day(a))];
                window.iter().sum::<f64>() / window.len() as f64
            }
            Summary::Loss(a, b) => {
                let from = series[day(a)];
                if from != 0.0 { (from - series[day(b)]) / from } else { 0.0 }
            }
            Summary::Change(a, b) => {
                let from = series[day(a)];
                if from != 0.0 { series[day(b)] / from - 1.0 } else { 0.0 }
            }
        }
    }
}

/// Which way the claim expects the treated arm to move.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Lower than the control.
    Lower,
    /// Higher than the control.
    Higher,
}

impl Direction {
    /// +1 for higher, −1 for lower.
    pub fn sign(self) -> f64 {
        match self {
            Direction::Lower => -1.0,
            Direction::Higher => 1.0,
        }
    }

    /// In words.
    pub fn word(self) -> &'static str {
        match self {
            Direction::Lower => "lower",
            Direction::Higher => "higher",
        }
    }
}

/// What a check tests.
#[derive(Clone, Debug, PartialEq)]
pub enum Test {
    /// `treated` against `control`: the claim holds if `treated` moves in `expect` by at
    /// least `smallest_effect` (relative to the control's median) — the smallest change the
    /// claim would care about.
    Compare {
        /// The reference arm.
        control: &'static str,
        /// The arm expected to differ.
        treated: &'static str,
        /// Which way.
        expect: Direction,
        /// Smallest relative change that matters.
        smallest_effect: f64,
    },
    /// An arm against a published value: it holds if the arm's median is within `tolerance`
    /// of `value`.
    Reference {
        /// The arm.
        arm: &'static str,
        /// The published value.
        value: f64,
        /// How far from it still agrees (the published spread).
        tolerance: f64,
    },
    /// Runs of `arm` split by their response (the `response` readout's summary below
    /// `responder_below` is a responder): the check's readout should fall in responders and
    /// rise in the others.
    ByResponse {
        /// The arm.
        arm: &'static str,
        /// The readout that defines response.
        response: &'static str,
        /// Its summary.
        response_summary: Summary,
        /// Responders are below this.
        responder_below: f64,
    },
}

/// One testable statement of an experiment.
#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    /// The statement, as the claim puts it.
    pub statement: &'static str,
    /// The readout (a `timeseries.csv` column).
    pub readout: &'static str,
    /// How each run's series becomes one number.
    pub summary: Summary,
    /// What is tested.
    pub test: Test,
}

/// One arm: a scenario with overrides.
#[derive(Clone, Debug, PartialEq)]
pub struct Arm {
    /// Short name, used in checks and figures.
    pub name: &'static str,
    /// `--set` overrides, `(key, value)`.
    pub sets: Vec<(String, String)>,
}

/// One virtual experiment.
#[derive(Clone, Debug, PartialEq)]
pub struct Experiment {
    /// Name, for `--only` and file names.
    pub name: &'static str,
    /// The claim, as the review (or the study) states it.
    pub claim: &'static str,
    /// Where the claim comes from.
    pub source: &'static str,
    /// The bundled scenario every arm starts from.
    pub scenario: &'static str,
    /// Overrides of every arm (species, domain).
    pub common: Vec<(String, String)>,
    /// Simulated days in full mode, and with `--quick`.
    pub days: (f64, f64),
    /// Seeds per arm in full mode, if more than the suite's default.
    pub seeds_full: Option<usize>,
    /// Seeds per arm with `--quick`, if more than its default (a noisy readout on a small
    /// section needs more runs to show a direction).
    pub seeds_quick: Option<usize>,
    /// The arms.
    pub arms: Vec<Arm>,
    /// What is tested.
    pub checks: Vec<Check>,
    /// Readouts drawn in the figure.
    pub plots: Vec<&'static str>,
    /// What in the model the claim rests on, for the report.
    pub mechanism: &'static str,
}

impl Experiment {
    /// The arm named `name`.
    #[cfg(test)]
    pub fn arm(&self, name: &str) -> Option<&Arm> {
        self.arms.iter().find(|a| a.name == name)
    }

    /// Every readout a run of this experiment must record.
    pub fn readouts(&self) -> Vec<&'static str> {
        let mut r: Vec<&'static str> = self.plots.clone();
        for c in &self.checks {
            r.push(c.readout);
            if let Test::ByResponse { response, .. } = c.test {
                r.push(response);
            }
        }
        r.sort();
        r.dedup();
        r
    }
}

/// `--set` pairs of a `[[therapy]]` entry at index `i`.
fn therapy(i: usize, drug: &str, dose: f64, every_days: f64, doses: u32, start_day: f64) -> Vec<(String, String)> {
    [
        ("drug", drug.to_string()),
        ("dose", dose.to_string()),
        ("every_days", every_days.to_string()),
        ("doses", doses.to_string()),
        ("start_day", start_day.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (format!("therapy[{i}].{k}"), v))
    .collect()
}

fn set(key: &str, value: &str) -> (String, String) {
    (key.to_string(), value.to_string())
}

fn arm(name: &'static str, sets: Vec<(String, String)>) -> Arm {
    Arm { name, sets }
}

fn compare(
    statement: &'static str,
    readout: &'static str,
    summary: Summary,
    control: &'static str,
    treated: &'static str,
    expect: Direction,
    smallest_effect: f64,
) -> Check {
    Check { statement, readout, summary, test: Test::Compare { control, treated, expect, smallest_effect } }
}

/// The suite, in report order.
pub fn suite() -> Vec<Experiment> {
    use Direction::{Higher, Lower};
    let human = || vec![set("patient.species", "human")];
    // The anti-IL-6 arms: clinical doses and schedules for a patient.
    let anti_il6_arms = |days: u32| {
        vec![
            arm("none", vec![]),
            arm("siltuximab", therapy(0, "siltuximab", 11.0, 21.0, days.div_ceil(21), 0.0)),
            arm("amg220", therapy(0, "amg220", 1.0, 1.0, days, 0.0)),
            arm("tocilizumab", therapy(0, "tocilizumab", 8.0, 28.0, days.div_ceil(28), 0.0)),
        ]
    };
    let anti_il6_checks = || {
        let mut checks = Vec::new();
        for drug in ["siltuximab", "amg220", "tocilizumab"] {
            checks.push(compare("less bone destroyed", "lytic_area_mm2", Summary::At(END), "none", drug, Lower, 0.1));
            checks.push(compare("fewer osteoclasts", "osteoclasts", Summary::Mean(7.0, END), "none", drug, Lower, 0.1));
            checks.push(compare("smaller tumour", "tumor_cells", Summary::At(END), "none", drug, Lower, 0.1));
        }
        checks
    };
    vec![
        Experiment {
            name: "zoledronic-acid-bone-volume",
            claim: "Zoledronic acid preserves, even raises, bone volume in mice with MDA-MB-231 bone tumours \
                    (76 % of day 0 without it, 128 % with it, 127 % without a tumour, at day 28) and leaves \
                    2.4 times less tumour",
            source: "Johnson et al. 2011 (SCIENCE §3): µCT of MDA-MB-231 in mouse tibia, standard error 13–19 %",
            scenario: "breast-osteolytic",
            common: vec![],
            days: (28.0, 28.0),
            seeds_full: None,
            seeds_quick: None,
            arms: vec![
                arm("tumour", vec![]),
                arm("tumour + zoledronic acid", therapy(0, "zoledronic_acid", 0.1, 7.0, 4, 0.0)),
                arm("zoledronic acid, no tumour", {
                    let mut s = therapy(0, "zoledronic_acid", 0.1, 7.0, 4, 0.0);
                    s.push(set("tumor.type", "none"));
                    s
                }),
            ],
            checks: vec![
                Check {
                    statement: "bone volume at day 28 with the tumour: 76 % of day 0",
                    readout: "bone_rel",
                    summary: Summary::At(28.0),
                    test: Test::Reference { arm: "tumour", value: 0.76, tolerance: 0.16 },
                },
                Check {
                    statement: "bone volume at day 28 with tumour and zoledronic acid: 128 %",
                    readout: "bone_rel",
                    summary: Summary::At(28.0),
                    test: Test::Reference { arm: "tumour + zoledronic acid", value: 1.28, tolerance: 0.16 },
                },
                Check {
                    statement: "bone volume at day 28 with zoledronic acid and no tumour: 127 %",
                    readout: "bone_rel",
                    summary: Summary::At(28.0),
                    test: Test::Reference { arm: "zoledronic acid, no tumour", value: 1.27, tolerance: 0.16 },
                },
                compare(
                    "less tumour under zoledronic acid",
                    "tumor_cells",
                    Summary::At(28.0),
                    "tumour",
                    "tumour + zoledronic acid",
                    Lower,
                    0.2,
                ),
            ],
            plots: vec!["bone_rel", "tumor_cells", "osteoclasts", "plasma_zoledronic_acid"],
            mechanism: "zoledronic acid reaching the marrow from plasma, binding mineralised surfaces, and set free \
                        where that bone is resorbed, killing the osteoclast that takes it up; fewer osteoclasts \
                        free less matrix TGF-β for the tumour (the vicious cycle)",
        },
        Experiment {
            name: "anti-il6-osteolytic",
            claim: "Blocking IL-6 (siltuximab, the AMG-220 avimer) or its receptor (tocilizumab) reduces \
                    osteolysis, osteoclasts and tumour burden in an IL-6-driven osteolytic lesion",
            source: "seed, \"IL-6 as a target for therapy\" and Table 1 (refs 120–137)",
            scenario: "breast-osteolytic",
            common: human(),
            days: (28.0, 28.0),
            seeds_full: None,
            seeds_quick: None,
            arms: anti_il6_arms(28),
            checks: anti_il6_checks(),
            plots: vec!["lytic_area_mm2", "osteoclasts", "tumor_cells", "serum_il6_pg_ml"],
            mechanism: "IL-6 held by siltuximab or AMG-220 and IL-6R (membrane and soluble) occupied by \
                        tocilizumab, in proportion to each drug's tissue level over its Kd: less STAT3, AKT and \
                        MAPK in the tumour, the stroma and the osteoclast lineage; human species because none of \
                        the three binds the mouse target",
        },
        Experiment {
            name: "anti-il6-myeloma",
            claim: "Blocking IL-6 or IL-6R reduces osteolysis, osteoclasts and tumour burden in myeloma, whose cells \
                    live on the stroma's IL-6",
            source: "seed, \"IL-6 as a target for therapy\" (siltuximab in myeloma, refs 124–127)",
            scenario: "myeloma",
            common: human(),
            days: (60.0, 30.0),
            seeds_full: None,
            seeds_quick: None,
            arms: anti_il6_arms(60),
            checks: anti_il6_checks(),
            plots: vec!["lytic_area_mm2", "osteoclasts", "tumor_cells", "serum_il6_pg_ml"],
            mechanism: "IL-6 held by siltuximab or AMG-220 and IL-6R occupied by tocilizumab; myeloma cells live on \
                        the stroma's IL-6 (IL-6 dependence 0.7)",
        },
        Experiment {
            name: "docetaxel-zoledronic-serum-il6",
            claim: "Under docetaxel with zoledronic acid, serum IL-6 falls in patients whose tumour responds \
                    (−35 %) and rises in those whose tumour resists (+76 %)",
            source: "seed, \"Serum IL-6 levels may predict response to cancer therapy\" (ref 109)",
            scenario: "prostate-osteoblastic",
            common: human(),
            days: (90.0, 60.0),
            seeds_full: Some(8),
            seeds_quick: None,
            arms: vec![
                arm("untreated", vec![]),
                arm("docetaxel + zoledronic acid", {
                    let mut s = therapy(0, "docetaxel", 75.0, 21.0, 3, 30.0);
                    s.extend(therapy(1, "zoledronic_acid", 4.0, 21.0, 3, 30.0));
                    s
                }),
            ],
            checks: vec![Check {
                statement: "serum IL-6 falls in responders and rises in non-responders",
                readout: "serum_il6_pg_ml",
                summary: Summary::Change(30.0, END),
                test: Test::ByResponse {
                    arm: "docetaxel + zoledronic acid",
                    response: "tumor_cells",
                    response_summary: Summary::Change(30.0, END),
                    responder_below: 0.0,
                },
            }],
            plots: vec!["tumor_cells", "serum_il6_pg_ml", "plasma_docetaxel", "plasma_zoledronic_acid"],
            mechanism: "docetaxel killing tumour cells in mitosis (less under AKT, which IL-6 raises), zoledronic \
                        acid on bone; serum IL-6 follows the tumour's IL-6 and the marrow's",
        },
        Experiment {
            name: "vicious-cycle",
            claim: "Blocking resorption slows tumour growth in bone: resorption frees matrix TGF-β, which feeds the \
                    tumour",
            source: "seed, Figure 1 and \"the vicious cycle\"; OPG-Fc in mice: Morony et al. 2001, Cancer Res 61:4432",
            scenario: "breast-osteolytic",
            common: vec![],
            days: (28.0, 28.0),
            seeds_full: None,
            seeds_quick: None,
            arms: vec![
                arm("none", vec![]),
                arm("resorption knocked out", vec![set("osteoclast.resorption_sites_per_nucleus_day", "0")]),
                arm("no TGF-β in matrix", vec![set("bone.tgfb_molecules_per_site", "0")]),
                arm("zoledronic acid", therapy(0, "zoledronic_acid", 0.1, 7.0, 4, 0.0)),
                arm("opg-fc", therapy(0, "opg_fc", 3.0, 2.0, 14, 0.0)),
            ],
            checks: vec![
                compare(
                    "no resorption: smaller tumour",
                    "tumor_cells",
                    Summary::At(END),
                    "none",
                    "resorption knocked out",
                    Lower,
                    0.1,
                ),
                compare(
                    "no matrix TGF-β: smaller tumour",
                    "tumor_cells",
                    Summary::At(END),
                    "none",
                    "no TGF-β in matrix",
                    Lower,
                    0.1,
                ),
                compare(
                    "zoledronic acid: smaller tumour",
                    "tumor_cells",
                    Summary::At(END),
                    "none",
                    "zoledronic acid",
                    Lower,
                    0.1,
                ),
                compare("OPG-Fc: smaller tumour", "tumor_cells", Summary::At(END), "none", "opg-fc", Lower, 0.1),
            ],
            plots: vec!["tumor_cells", "resorbed_mm2", "tgfb_pm", "bone_rel"],
            mechanism: "resorption releasing matrix TGF-β that raises tumour growth; zoledronic acid killing \
                        resorbing osteoclasts, OPG-Fc holding RANKL (osteoclasts also run on RANKL-independent \
                        support: IL-1β, TNF-α, PGE2, IL-6, IL-17)",
        },
        Experiment {
            name: "denosumab-vs-zoledronic",
            claim: "Denosumab suppresses resorption and preserves bone at least as well as zoledronic acid (skeletal \
                    events risk ratio 0.84 in favour of denosumab)",
            source: "SCIENCE §7: six trials, 6,142 patients",
            scenario: "breast-osteolytic",
            common: human(),
            days: (28.0, 28.0),
            seeds_full: None,
            seeds_quick: None,
            arms: vec![
                arm("none", vec![]),
                arm("denosumab", therapy(0, "denosumab", 120.0, 28.0, 1, 0.0)),
                arm("zoledronic acid", therapy(0, "zoledronic_acid", 4.0, 28.0, 1, 0.0)),
            ],
            checks: vec![
                compare(
                    "denosumab: less resorption than none",
                    "resorbed_mm2",
                    Summary::At(END),
                    "none",
                    "denosumab",
                    Lower,
                    0.1,
                ),
                compare(
                    "zoledronic acid: less resorption than none",
                    "resorbed_mm2",
                    Summary::At(END),
                    "none",
                    "zoledronic acid",
                    Lower,
                    0.1,
                ),
                compare(
                    "denosumab: less resorption than zoledronic acid",
                    "resorbed_mm2",
                    Summary::At(END),
                    "zoledronic acid",
                    "denosumab",
                    Lower,
                    0.1,
                ),
                compare(
                    "denosumab: less bone lost than zoledronic acid",
                    "bone_rel",
                    Summary::Loss(0.0, END),
                    "zoledronic acid",
                    "denosumab",
                    Lower,
                    0.1,
                ),
            ],
            plots: vec!["resorbed_mm2", "bone_rel", "osteoclasts", "plasma_denosumab"],
            mechanism: "denosumab holding RANKL (Kd 3 pM) against zoledronic acid killing the osteoclasts that resorb \
                        bound bone; in this lesion osteoclasts also run on RANKL-independent support; human species \
                        because denosumab does not bind mouse RANKL",
        },
        Experiment {
            name: "cxcr4-homing",
            claim: "A CXCR4 antagonist reduces how many circulating tumour cells settle in bone",
            source: "seed, \"CXCR4/CXCL12 axis\" (therapeutics designed to block it)",
            scenario: "lung",
            common: vec![],
            days: (28.0, 14.0),
            seeds_full: None,
            seeds_quick: None,
            arms: vec![
                arm("none", vec![]),
                arm("plerixafor", therapy(0, "cxcr4_antagonist", 5.0, 1.0, 28, 0.0)),
                arm("CXCR4 knocked out", vec![set("lung.cxcr4", "0"), set("cancer.stat3_cxcr4_gain", "0")]),
            ],
            checks: vec![
                compare(
                    "plerixafor: fewer tumour cells settled by day 7",
                    "tumor_cells",
                    Summary::At(7.0),
                    "none",
                    "plerixafor",
                    Lower,
                    0.1,
                ),
                compare(
                    "no CXCR4: fewer tumour cells settled by day 7",
                    "tumor_cells",
                    Summary::At(7.0),
                    "none",
                    "CXCR4 knocked out",
                    Lower,
                    0.1,
                ),
                compare(
                    "no CXCR4: smaller tumour at the end",
                    "tumor_cells",
                    Summary::At(END),
                    "none",
                    "CXCR4 knocked out",
                    Lower,
                    0.1,
                ),
            ],
            plots: vec!["tumor_cells", "cxcl12_pm", "lytic_area_mm2", "plasma_cxcr4_antagonist"],
            mechanism: "arriving cells held by CXCR4 on CXCL12 while they extravasate, and homing up CXCL12; \
                        plerixafor competing with CXCL12 at CXCR4 (its tissue level over its Ki raises CXCL12's \
                        half-occupancy)",
        },
        Experiment {
            name: "nfkb-suppression",
            claim: "Suppressing NF-κB (methylseleninic acid) reduces the cytokines osteoblasts make in answer to \
                    cancer cells, and so bone destruction",
            source: "seed, \"IL-6 production by cancer cells\" (methylseleninic acid, refs 74–77)",
            scenario: "breast-osteolytic",
            common: vec![],
            days: (28.0, 28.0),
            seeds_full: None,
            seeds_quick: None,
            arms: vec![
                arm("none", vec![]),
                arm("methylseleninic acid", therapy(0, "nfkb_inhibitor", 3.0, 1.0, 28, 0.0)),
            ],
            checks: vec![
                compare(
                    "less IL-6 in the marrow",
                    "il6_pm",
                    Summary::Mean(7.0, END),
                    "none",
                    "methylseleninic acid",
                    Lower,
                    0.1,
                ),
                compare(
                    "less RANKL in the marrow",
                    "rankl_pm",
                    Summary::Mean(7.0, END),
                    "none",
                    "methylseleninic acid",
                    Lower,
                    0.1,
                ),
                compare(
                    "less bone destroyed",
                    "lytic_area_mm2",
                    Summary::At(END),
                    "none",
                    "methylseleninic acid",
                    Lower,
                    0.1,
                ),
            ],
            plots: vec!["il6_pm", "rankl_pm", "lytic_area_mm2", "plasma_nfkb_inhibitor"],
            mechanism: "methylseleninic acid scaling down NF-κB in every cell (at most 90 %, half at 2.5 µM), and so \
                        the IL-6, RANKL and PGE2 that NF-κB drives",
        },
        Experiment {
            name: "paclitaxel-il6",
            claim: "Paclitaxel raises IL-6, and paclitaxel with an IL-6 inhibitor does better than paclitaxel alone",
            source: "seed, \"IL-6 promotes chemotherapy resistance\" (refs 110, 115)",
            scenario: "breast-osteolytic",
            common: human(),
            days: (28.0, 28.0),
            seeds_full: None,
            seeds_quick: None,
            arms: vec![
                arm("none", vec![]),
                arm("paclitaxel", therapy(0, "paclitaxel", 80.0, 7.0, 4, 0.0)),
                arm("paclitaxel + siltuximab", {
                    let mut s = therapy(0, "paclitaxel", 80.0, 7.0, 4, 0.0);
                    s.extend(therapy(1, "siltuximab", 11.0, 21.0, 2, 0.0));
                    s
                }),
            ],
            checks: vec![
                compare(
                    "paclitaxel raises IL-6 in the marrow",
                    "il6_pm",
                    Summary::Mean(1.0, END),
                    "none",
                    "paclitaxel",
                    Higher,
                    0.1,
                ),
                compare(
                    "paclitaxel shrinks the tumour",
                    "tumor_cells",
                    Summary::At(END),
                    "none",
                    "paclitaxel",
                    Lower,
                    0.1,
                ),
                compare(
                    "with siltuximab, a smaller tumour than paclitaxel alone",
                    "tumor_cells",
                    Summary::At(END),
                    "paclitaxel",
                    "paclitaxel + siltuximab",
                    Lower,
                    0.1,
                ),
            ],
            plots: vec!["il6_pm", "tumor_cells", "serum_il6_pg_ml", "plasma_paclitaxel"],
            mechanism: "paclitaxel killing tumour cells in mitosis (less under AKT) and doubling a stressed tumour \
                        cell's IL-6 at saturation; siltuximab holding IL-6, and so the AKT that protects",
        },
        Experiment {
            name: "estradiol-replacement",
            claim: "Replacing 17β-estradiol after estrogen loss reduces bone turnover and bone loss",
            source: "seed, \"17-β-estradiol is known for its bone-preserving effects\" (refs 59–67)",
            scenario: "estrogen-deprivation",
            common: vec![],
            days: (180.0, 90.0),
            seeds_full: None,
            seeds_quick: Some(5),
            arms: vec![
                arm("estrogen loss", vec![]),
                arm("estrogen loss + estradiol", therapy(0, "estradiol", 0.1, 3.5, 52, 0.0)),
                arm("normal estrogen", vec![set("patient.estrogen", "1")]),
            ],
            checks: vec![
                compare(
                    "less bone lost",
                    "bone_rel",
                    Summary::Loss(0.0, END),
                    "estrogen loss",
                    "estrogen loss + estradiol",
                    Lower,
                    0.2,
                ),
                compare(
                    "less bone resorbed",
                    "resorbed_mm2",
                    Summary::At(END),
                    "estrogen loss",
                    "estrogen loss + estradiol",
                    Lower,
                    0.2,
                ),
                compare(
                    "lower resorption marker (CTX)",
                    "ctx",
                    Summary::Mean(7.0, END),
                    "estrogen loss",
                    "estrogen loss + estradiol",
                    Lower,
                    0.2,
                ),
            ],
            plots: vec!["bone_rel", "ctx", "osteoclasts", "plasma_estradiol"],
            mechanism: "estradiol damping NF-κB and STAT3, shortening osteoclast life and keeping osteocytes alive; \
                        the patch's pharmacokinetics",
        },
        Experiment {
            name: "androgen-deprivation",
            claim: "Androgen deprivation (testosterone suppression) increases bone resorption and bone loss",
            source: "seed, sex hormones section (\"bone density decreases significantly with these therapies\", ref 71)",
            scenario: "homeostasis",
            // Men: their estradiol, made mostly from testosterone, falls with it.
            common: vec![set("domain.width", "200"), set("domain.height", "200"), set("patient.sex", "male")],
            days: (180.0, 90.0),
            seeds_full: None,
            seeds_quick: None,
            arms: vec![
                arm("none", vec![]),
                arm("degarelix", {
                    let mut s = therapy(0, "degarelix", 240.0, 28.0, 1, 0.0);
                    s.extend(therapy(1, "degarelix", 80.0, 28.0, 6, 28.0));
                    s
                }),
            ],
            checks: vec![
                compare("more bone resorbed", "resorbed_mm2", Summary::At(END), "none", "degarelix", Higher, 0.1),
                compare("more bone lost", "bone_rel", Summary::Loss(0.0, END), "none", "degarelix", Higher, 0.1),
            ],
            plots: vec!["resorbed_mm2", "bone_rel", "ctx", "plasma_degarelix"],
            mechanism: "degarelix suppressing testosterone and, in a man, the estradiol made from it: testosterone \
                        damping NF-κB in the osteoblast lineage on the basal NF-κB tone of healthy marrow, and \
                        estradiol restraining osteoclasts, osteocyte death and NF-κB",
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_reduce_a_series() {
        let s = [10.0, 9.0, 8.0, 6.0];
        assert_eq!(Summary::At(END).apply(&s), 6.0);
        assert_eq!(Summary::At(1.0).apply(&s), 9.0);
        assert_eq!(Summary::Mean(1.0, END).apply(&s), 23.0 / 3.0);
        assert_eq!(Summary::Loss(0.0, END).apply(&s), 0.4);
        assert_eq!(Summary::Change(1.0, 2.0).apply(&s), 8.0 / 9.0 - 1.0);
    }

    #[test]
    fn every_check_names_arms_of_its_experiment_and_names_are_unique() {
        let suite = suite();
        let mut names: Vec<&str> = suite.iter().map(|e| e.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), suite.len());
        for e in &suite {
            for c in &e.checks {
                let arms: Vec<&str> = match c.test {
                    Test::Compare { control, treated, .. } => vec![control, treated],
                    Test::Reference { arm, .. } | Test::ByResponse { arm, .. } => vec![arm],
                };
                for a in arms {
                    assert!(e.arm(a).is_some(), "{}: no arm {a}", e.name);
                }
            }
        }
    }
}
