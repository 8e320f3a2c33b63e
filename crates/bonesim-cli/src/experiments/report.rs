//! `report.md`: the claims, what the model measured, and the verdicts, read like a paper's
//! results table.

use super::SuiteResult;
use super::analysis::{CheckResult, Kind, Verdict, num, pct};

/// The Markdown report of a suite.
pub fn markdown(r: &SuiteResult) -> String {
    let mut md = String::new();
    md.push_str("# Virtual experiments: the seed review's claims in bonesim\n\n");
    md.push_str(&format!(
        "Produced by `{}` (bonesim {}, {} mode): {} runs on {} threads in {:.0} s ({:.1} min). Seeds are \
         1, 2, … per arm, the same in every arm of an experiment (a seed fixes the bone and vessels). \
         `results.json` holds every number below and the time courses the figures draw.\n\n",
        r.command,
        r.version,
        r.mode,
        r.runs,
        r.threads,
        r.wall_seconds,
        r.wall_seconds / 60.0
    ));
    if let (Some(n), "full") = (r.seeds_per_arm, r.mode) {
        md.push_str(&format!(
            "**Fewer seeds than the full suite.** This run set `--seeds {n}`: {n} seeds per arm in every \
             experiment instead of the full suite's {} (8 for the docetaxel experiment), to fit the time it \
             had; with {n} runs against {n} the smallest two-sided p is {}.\n\n",
            super::FULL_SEEDS,
            num(super::stats::smallest_p(n, n))
        ));
    }
    md.push_str("## Verdict rules\n\n");
    md.push_str(&format!(
        "- **Arms compared**: the effect is the change of the treated arm's median relative to the \
         control's, with a 95 % bootstrap interval ({} resamples of the seeds, each seed's pair of runs \
         kept together, fixed bootstrap seed), and a two-sided exact \
         Mann–Whitney test. *Supported*: p ≤ {} and the effect goes the claimed way. *Not supported*: \
         p ≤ {} the other way, or the whole interval falls short of the smallest effect the claim cares \
         about (stated per check). *Inconclusive*: otherwise.\n\
         - **Against a published value**: *supported* if the median lies within the published spread; \
         *not supported* if the whole bootstrap interval of the median lies outside it; *inconclusive* \
         otherwise.\n\
         - **By response**: runs whose tumour shrank are responders; *supported* if the readout falls in \
         them and rises in the others and the two groups differ (p ≤ {}); *inconclusive* if a group is \
         empty or they do not differ.\n\
         - An experiment is *supported* if all its checks are, *not supported* if any is not, \
         *inconclusive* otherwise.\n",
        r.rules.resamples, r.rules.alpha, r.rules.alpha, r.rules.alpha
    ));
    if r.mode == "quick" {
        md.push_str(&format!(
            "- **Quick mode** runs 1 × 1 mm sections with three seeds per arm (five where a readout is noisy \
             on so small a section). Three runs against three \
             cannot go below p = {} in an exact two-sided test, so quick mode uses α = {}: its *supported* \
             means every treated run beat every control run. It is a screen of the direction of an \
             effect, not a test at 5 %; run the full suite for that.\n",
            super::stats::smallest_p(3, 3),
            r.rules.alpha
        ));
    }
    md.push_str(
        "\nEvery drug is given with its pharmacokinetics (the `plasma_*` time courses), reaches the marrow \
         through the vessels as a field, and acts at its target (`docs/therapies.md`). The drugs' \
         constants come from their sources, not from these claims: a claim the model does not bear out \
         is reported *not supported*, with what the model did instead.\n\n",
    );
    md.push_str("## Results\n\n| experiment | claim (source) | check | measured | verdict |\n|---|---|---|---|---|\n");
    for e in &r.experiments {
        for (i, c) in e.checks.iter().enumerate() {
            let (name, claim) = if i == 0 {
                (format!("[{}](#{}) ({})", e.name, e.name, e.verdict.word()), format!("{} ({})", e.claim, e.source))
            } else {
                (String::new(), String::new())
            };
            md.push_str(&format!(
                "| {name} | {claim} | {}: {} {} | {} | **{}** |\n",
                c.statement,
                c.readout,
                c.summary,
                measured(c),
                c.verdict.word()
            ));
        }
    }
    md.push_str("\n## The experiments\n");
    for e in &r.experiments {
        md.push_str(&format!("\n### {}\n\n", e.name));
        md.push_str(&format!("**Claim.** {} *Source:* {}.\n\n", e.claim, e.source));
        md.push_str(&format!(
            "**Design.** Scenario `{}`, {} days, seeds {} per arm. Arms:\n",
            e.scenario,
            e.days,
            e.seeds.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", ")
        ));
        for a in &e.arms {
            let sets = if a.overrides.is_empty() {
                "the scenario as bundled".to_string()
            } else {
                a.overrides.iter().map(|o| format!("`--set {o}`")).collect::<Vec<_>>().join(" ")
            };
            md.push_str(&format!("- *{}*: {sets}\n", a.name));
        }
        md.push_str(&format!("\n**What it rests on in the model.** {}", e.mechanism));
        md.push_str(&format!("\n\n**Verdict: {}.**\n\n", e.verdict.word()));
        for c in &e.checks {
            md.push_str(&format!(
                "- {} ({}, {}; {}): **{}**. {}",
                c.statement,
                c.readout,
                c.summary,
                c.test,
                c.verdict.word(),
                c.reason
            ));
            if c.verdict == Verdict::NotSupported {
                md.push_str(" *What the model did instead:* ");
                md.push_str(&instead(c));
            }
            md.push('\n');
        }
        md.push_str(&format!("\n![{}]({})\n", e.name, e.figure));
    }
    md
}

/// Each arm's median and interquartile range, then the effect.
fn measured(c: &CheckResult) -> String {
    let arms: Vec<String> = c
        .arms
        .iter()
        .map(|a| match a.spread {
            Some(s) => format!("{} {} [{}–{}]", a.arm, num(s.median), num(s.q1), num(s.q3)),
            None => format!("{}: none", a.arm),
        })
        .collect();
    let mut s = arms.join("; ");
    match (c.kind, c.effect, c.p_value) {
        (Kind::Compare, Some(e), Some(p)) => s.push_str(&format!(
            "; change {} (95 % CI {} to {}), p = {}",
            pct(e.estimate),
            pct(e.ci95.0),
            pct(e.ci95.1),
            num(p)
        )),
        (Kind::Reference, Some(e), _) => s.push_str(&format!("; 95 % CI {} to {}", num(e.ci95.0), num(e.ci95.1))),
        (Kind::ByResponse, _, Some(p)) => s.push_str(&format!("; p = {}", num(p))),
        _ => {}
    }
    s
}

/// For a check that is not supported: the arms' medians as the model gave them.
fn instead(c: &CheckResult) -> String {
    let arms: Vec<String> = c
        .arms
        .iter()
        .map(|a| match a.spread {
            Some(s) => format!("{} gave a median {} (IQR {}–{})", a.arm, num(s.median), num(s.q1), num(s.q3)),
            None => format!("{}: no runs", a.arm),
        })
        .collect();
    format!("{} {}.", arms.join(", "), c.readout)
}
