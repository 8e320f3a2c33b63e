//! From runs to verdicts: each check's numbers per arm, its statistic, and the rule that
//! turns them into *supported*, *not supported* or *inconclusive*.
//!
//! The rules, written into every report:
//!
//! - **Arms compared** (`treated` against `control`): the effect is the change of the median
//!   relative to the control's median, with a 95 % percentile bootstrap interval (10,000
//!   resamples of each arm, fixed seed), and a two-sided Mann–Whitney test (exact).
//!   The bootstrap resamples seeds, keeping each seed's pair of runs together, since every arm
//!   runs the same seeds and a seed fixes the bone and vessels.
//!   *Supported* if p ≤ α and the effect goes the claimed way; *not supported* if p ≤ α and it
//!   goes the other way, or if the whole interval lies short of the smallest effect the claim
//!   cares about (the model shows no effect of that size); *inconclusive* otherwise.
//! - **Against a published value**: *supported* if the median is within the published spread
//!   of the value; *not supported* if the whole bootstrap interval of the median lies outside
//!   it; *inconclusive* otherwise.
//! - **By response**: runs whose response readout falls below the threshold are responders.
//!   *Supported* if the readout falls in responders and rises in the others (medians) and the
//!   groups differ (Mann–Whitney p ≤ α); *not supported* if they differ the other way;
//!   *inconclusive* otherwise, or when a group is empty.
//!
//! α is 0.05 in full mode (at least five seeds per arm). With `--quick`'s three seeds per
//! arm an exact two-sided test cannot go below p = 0.1 (all three of one arm beyond all
//! three of the other), so quick mode uses α = 0.1: its *supported* means complete
//! separation of three runs against three, a screen, not significance at 5 %.

use super::stats::{self, Spread};
use super::suite::{Check, Experiment, Summary, Test};
use serde::Serialize;

/// A check's or an experiment's outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Verdict {
    /// The model does what the claim says.
    #[serde(rename = "supported")]
    Supported,
    /// The model does something else, clearly.
    #[serde(rename = "not supported")]
    NotSupported,
    /// The runs cannot tell.
    #[serde(rename = "inconclusive")]
    Inconclusive,
}

impl Verdict {
    /// In words.
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::NotSupported => "not supported",
            Verdict::Inconclusive => "inconclusive",
        }
    }

    /// An experiment's verdict from its checks': supported if all are, not supported if any
    /// is not, inconclusive otherwise.
    pub fn combine(verdicts: impl IntoIterator<Item = Verdict>) -> Verdict {
        let all: Vec<Verdict> = verdicts.into_iter().collect();
        if all.contains(&Verdict::NotSupported) {
            Verdict::NotSupported
        } else if !all.is_empty() && all.iter().all(|&v| v == Verdict::Supported) {
            Verdict::Supported
        } else {
            Verdict::Inconclusive
        }
    }
}

/// How strict the verdicts are.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Rules {
    /// Significance level of the rank tests.
    pub alpha: f64,
    /// Bootstrap resamples.
    pub resamples: usize,
}

impl Rules {
    /// Full mode: α = 0.05.
    pub const FULL: Rules = Rules { alpha: 0.05, resamples: 10_000 };
    /// Quick mode: α = 0.1, the smallest p three runs against three can give.
    pub const QUICK: Rules = Rules { alpha: 0.1, resamples: 10_000 };
}

/// One arm's numbers in a check: one per seed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ArmValues {
    /// The arm.
    pub arm: String,
    /// One value per seed, in seed order.
    pub values: Vec<f64>,
    /// Their median and quartiles (none for an empty group).
    pub spread: Option<Spread>,
}

/// A change and its interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Effect {
    /// The estimate (relative change of medians, or for a reference check the median).
    pub estimate: f64,
    /// 95 % bootstrap interval.
    pub ci95: (f64, f64),
}

/// What kind of test a check is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Two arms compared.
    Compare,
    /// An arm against a published value.
    Reference,
    /// Runs split by response.
    ByResponse,
}

/// The outcome of one check.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CheckResult {
    /// The statement.
    pub statement: String,
    /// The kind of test.
    pub kind: Kind,
    /// The readout.
    pub readout: String,
    /// How runs are summarised.
    pub summary: String,
    /// What is tested, in words.
    pub test: String,
    /// Numbers per arm (for a by-response check: responders and the others).
    pub arms: Vec<ArmValues>,
    /// The effect, if arms are compared.
    pub effect: Option<Effect>,
    /// Two-sided p-value of the rank test, if any.
    pub p_value: Option<f64>,
    /// The verdict.
    pub verdict: Verdict,
    /// Why, in words: what the model did.
    pub reason: String,
}

fn arm_values(name: &str, values: Vec<f64>) -> ArmValues {
    ArmValues { arm: name.to_string(), spread: (!values.is_empty()).then(|| stats::spread(&values)), values }
}

/// A short number for reports.
pub fn num(x: f64) -> String {
    if x == 0.0 {
        "0".into()
    } else if x.abs() >= 100.0 {
        format!("{x:.0}")
    } else if x.abs() >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    }
}

/// A relative change as a signed percentage.
pub fn pct(x: f64) -> String {
    format!("{:+.0} %", 100.0 * x)
}

/// Judges `check` of `experiment` given each arm's per-seed numbers (`values(arm)`).
pub fn judge(
    experiment: &Experiment,
    check: &Check,
    days: f64,
    rules: Rules,
    values: &dyn Fn(&str, &str, Summary) -> Vec<f64>,
) -> CheckResult {
    let seed = check_seed(experiment.name, check.statement);
    let kind = match check.test {
        Test::Compare { .. } => Kind::Compare,
        Test::Reference { .. } => Kind::Reference,
        Test::ByResponse { .. } => Kind::ByResponse,
    };
    let base = |test: String, arms: Vec<ArmValues>| CheckResult {
        statement: check.statement.to_string(),
        kind,
        readout: check.readout.to_string(),
        summary: check.summary.describe(days),
        test,
        arms,
        effect: None,
        p_value: None,
        verdict: Verdict::Inconclusive,
        reason: String::new(),
    };
    match check.test {
        Test::Compare { control, treated, expect, smallest_effect } => {
            let (c, t) = (values(control, check.readout, check.summary), values(treated, check.readout, check.summary));
            let mut r = base(
                format!("{treated} against {control}: {} by at least {:.0} %", expect.word(), 100.0 * smallest_effect),
                vec![arm_values(control, c.clone()), arm_values(treated, t.clone())],
            );
            let change = |a: &[f64], b: &[f64]| stats::relative_change(stats::median(a), stats::median(b));
            let estimate = change(&c, &t);
            // Arms run the same seeds, so run i of each shares its bone: resample the pairs.
            let ci95 = stats::bootstrap_paired_interval(&c, &t, rules.resamples, seed, change);
            let p = stats::mann_whitney_p(&c, &t);
            let s = expect.sign();
            let claimed = estimate * s;
            let claimed_upper = (ci95.0 * s).max(ci95.1 * s);
            r.effect = Some(Effect { estimate, ci95 });
            r.p_value = Some(p);
            let measured = format!("{} (95 % CI {} to {}), p = {}", pct(estimate), pct(ci95.0), pct(ci95.1), num(p));
            (r.verdict, r.reason) = if p <= rules.alpha && claimed > 0.0 {
                (Verdict::Supported, format!("{treated} {} than {control}: {measured}", expect.word()))
            } else if p <= rules.alpha && claimed < 0.0 {
                (Verdict::NotSupported, format!("{treated} went the other way: {measured}"))
            } else if claimed_upper < smallest_effect {
                let what = if c == t {
                    format!("every seed gave the same value in both arms: {treated} changed nothing in the model")
                } else {
                    format!("no {} change of {:.0} % or more: {measured}", expect.word(), 100.0 * smallest_effect)
                };
                (Verdict::NotSupported, what)
            } else {
                (Verdict::Inconclusive, format!("{measured}: neither significant nor excluded"))
            };
            r
        }
        Test::Reference { arm, value, tolerance } => {
            let v = values(arm, check.readout, check.summary);
            let mut r = base(
                format!("{arm} against the published {} ± {}", num(value), num(tolerance)),
                vec![arm_values(arm, v.clone())],
            );
            let m = stats::median(&v);
            let ci95 = stats::bootstrap_interval(&v, &v, rules.resamples, seed, |_, b| stats::median(b));
            r.effect = Some(Effect { estimate: m, ci95 });
            let (lo, hi) = (value - tolerance, value + tolerance);
            let measured = format!(
                "median {} (95 % CI {} to {}) against {} ± {}",
                num(m),
                num(ci95.0),
                num(ci95.1),
                num(value),
                num(tolerance)
            );
            (r.verdict, r.reason) = if (m - value).abs() <= tolerance {
                (Verdict::Supported, format!("consistent: {measured}"))
            } else if ci95.1 < lo || ci95.0 > hi {
                (Verdict::NotSupported, format!("the model gives {}: {measured}", if m < lo { "less" } else { "more" }))
            } else {
                (Verdict::Inconclusive, format!("{measured}: the interval straddles the published range"))
            };
            r
        }
        Test::ByResponse { arm, response, response_summary, responder_below } => {
            let change = values(arm, check.readout, check.summary);
            let resp = values(arm, response, response_summary);
            let (mut responders, mut others) = (Vec::new(), Vec::new());
            for (c, r) in change.iter().zip(&resp) {
                if *r < responder_below { responders.push(*c) } else { others.push(*c) }
            }
            let mut r = base(
                format!(
                    "{arm}: runs whose {response} ({}) is below {} respond; {} should fall in them and rise in the others",
                    response_summary.describe(days),
                    num(responder_below),
                    check.readout
                ),
                vec![arm_values("responders", responders.clone()), arm_values("non-responders", others.clone())],
            );
            if responders.is_empty() || others.is_empty() {
                let (empty, full) = if responders.is_empty() {
                    ("no run responded", &others)
                } else {
                    ("every run responded", &responders)
                };
                r.verdict = Verdict::Inconclusive;
                r.reason = format!(
                    "{empty}, so the groups cannot be compared; {} changed by a median {} in the {} runs",
                    check.readout,
                    pct(stats::median(full)),
                    full.len()
                );
                return r;
            }
            let (mr, mo) = (stats::median(&responders), stats::median(&others));
            let p = stats::mann_whitney_p(&responders, &others);
            r.p_value = Some(p);
            r.effect = Some(Effect {
                estimate: mo - mr,
                ci95: stats::bootstrap_interval(&responders, &others, rules.resamples, seed, |a, b| {
                    stats::median(b) - stats::median(a)
                }),
            });
            let measured = format!(
                "responders {} (n = {}), others {} (n = {}), p = {}",
                pct(mr),
                responders.len(),
                pct(mo),
                others.len(),
                num(p)
            );
            (r.verdict, r.reason) = if p <= rules.alpha && mr < 0.0 && mo > 0.0 {
                (Verdict::Supported, measured)
            } else if p <= rules.alpha && mr > mo {
                (Verdict::NotSupported, format!("the other way round: {measured}"))
            } else {
                (Verdict::Inconclusive, measured)
            };
            r
        }
    }
}

/// A fixed bootstrap seed per check, so reports are reproducible.
fn check_seed(experiment: &str, statement: &str) -> u64 {
    // FNV-1a.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in experiment.bytes().chain([0]).chain(statement.bytes()) {
        h ^= b as u64;
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::super::suite::{Arm, Direction};
    use super::*;

    fn experiment(test: Test) -> Experiment {
        Experiment {
            name: "t",
            claim: "",
            source: "",
            scenario: "homeostasis",
            common: vec![],
            days: (10.0, 10.0),
            seeds_full: None,
            seeds_quick: None,
            arms: vec![Arm { name: "a", sets: vec![] }, Arm { name: "b", sets: vec![] }],
            checks: vec![Check { statement: "s", readout: "x", summary: Summary::At(10.0), test }],
            plots: vec![],
            mechanism: "",
        }
    }

    fn run(test: Test, a: Vec<f64>, b: Vec<f64>, rules: Rules) -> CheckResult {
        let e = experiment(test);
        let values = move |arm: &str, _: &str, _: Summary| if arm == "a" { a.clone() } else { b.clone() };
        judge(&e, &e.checks[0], 10.0, rules, &values)
    }

    fn compare(expect: Direction) -> Test {
        Test::Compare { control: "a", treated: "b", expect, smallest_effect: 0.1 }
    }

    #[test]
    fn a_clear_effect_the_claimed_way_is_supported_and_the_other_way_is_not() {
        let (a, b) = (vec![10.0, 11.0, 12.0, 10.5, 11.5], vec![5.0, 6.0, 5.5, 6.5, 4.5]);
        let r = run(compare(Direction::Lower), a.clone(), b.clone(), Rules::FULL);
        assert_eq!(r.verdict, Verdict::Supported, "{}", r.reason);
        assert!((r.p_value.unwrap() - 2.0 / 252.0).abs() < 1e-12);
        let r = run(compare(Direction::Higher), a, b, Rules::FULL);
        assert_eq!(r.verdict, Verdict::NotSupported, "{}", r.reason);
    }

    #[test]
    fn identical_arms_are_not_supported_and_say_why() {
        let a = vec![3.0, 4.0, 5.0];
        let r = run(compare(Direction::Lower), a.clone(), a, Rules::QUICK);
        assert_eq!(r.verdict, Verdict::NotSupported);
        assert!(r.reason.contains("changed nothing"), "{}", r.reason);
    }

    #[test]
    fn overlapping_noisy_arms_are_inconclusive() {
        let r = run(compare(Direction::Lower), vec![1.0, 5.0, 9.0], vec![2.0, 4.0, 8.0], Rules::QUICK);
        assert_eq!(r.verdict, Verdict::Inconclusive, "{}", r.reason);
        // Three against three reach p = 0.1 only with complete separation.
        let r = run(compare(Direction::Lower), vec![5.0, 6.0, 7.0], vec![1.0, 2.0, 3.0], Rules::QUICK);
        assert_eq!(r.verdict, Verdict::Supported);
        let r = run(compare(Direction::Lower), vec![5.0, 6.0, 7.0], vec![1.0, 2.0, 3.0], Rules::FULL);
        assert_ne!(r.verdict, Verdict::Supported, "p = 0.1 is not significant at 5 %");
    }

    #[test]
    fn a_reference_within_its_spread_is_supported() {
        let reference = Test::Reference { arm: "a", value: 0.76, tolerance: 0.16 };
        let r = run(reference.clone(), vec![0.7, 0.8, 0.75], vec![], Rules::QUICK);
        assert_eq!(r.verdict, Verdict::Supported);
        let r = run(reference, vec![1.0, 1.01, 0.99], vec![], Rules::QUICK);
        assert_eq!(r.verdict, Verdict::NotSupported);
        assert!(r.reason.contains("more"), "{}", r.reason);
    }

    #[test]
    fn experiments_combine_their_checks() {
        use Verdict::*;
        assert_eq!(Verdict::combine([Supported, Supported]), Supported);
        assert_eq!(Verdict::combine([Supported, Inconclusive]), Inconclusive);
        assert_eq!(Verdict::combine([Inconclusive, NotSupported]), NotSupported);
    }
}
