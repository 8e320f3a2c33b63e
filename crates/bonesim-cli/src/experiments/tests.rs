//! The suite end to end in quick mode, and its definitions.
#![allow(clippy::print_stderr, reason = "tests report their measured figures")]

use super::analysis::Verdict;
use super::suite::{Summary, Test, suite};
use super::*;

#[test]
fn every_readout_of_the_suite_is_a_column_and_every_arm_loads() {
    check_readouts(&suite()).unwrap();
    let plan = Plan { quick: true, experiments: suite(), seeds: Some(2), threads: 1, command: String::new() };
    let jobs = jobs(&plan).unwrap();
    assert_eq!(jobs.len(), suite().iter().map(|e| e.arms.len() * 2).sum::<usize>());
    assert!(jobs.iter().all(|j| j.loaded.scenario.domain.width == QUICK_SIDE));
}

#[test]
fn only_names_known_experiments() {
    let e = select(suite(), &["no-such".into()]).unwrap_err();
    assert!(crate::error::exit_code(&e) == 2 && e.to_string().contains("vicious-cycle"), "{e}");
    assert_eq!(select(suite(), &["vicious-cycle".into()]).unwrap().len(), 1);
}

#[test]
fn the_quick_suite_gives_every_experiment_a_verdict_a_figure_and_consistent_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("quick");
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(4);
    let plan = Plan {
        quick: true,
        experiments: suite(),
        seeds: None,
        threads,
        command: "bonesim experiments --quick --out quick".into(),
    };
    let result = run(&plan, &out, false).unwrap();
    eprintln!("quick suite: {} runs in {:.0} s on {threads} threads", result.runs, result.wall_seconds);
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("results.json")).unwrap()).unwrap();
    assert_eq!(json["mode"], "quick");
    assert_eq!(json["experiments"].as_array().unwrap().len(), suite().len());
    for (e, def) in result.experiments.iter().zip(suite()) {
        eprintln!("{:32} {}", e.name, e.verdict.word());
        for c in &e.checks {
            eprintln!("    {:60} {:14} {}", c.statement, c.verdict.word(), c.reason);
        }
        // A figure: a PNG with something drawn in it.
        let png = std::fs::read(out.join(&e.figure)).unwrap();
        assert!(png.starts_with(b"\x89PNG") && png.len() > 20_000, "{}: {} bytes", e.figure, png.len());
        // The report names the experiment, its figure and its verdict.
        assert!(report.contains(&format!("### {}", e.name)) && report.contains(&format!("({})", e.figure)));
        assert!(report.contains(&format!("({})", e.verdict.word())), "{}", e.name);
        // Numbers agree with themselves: each arm's spread is that of its values, and a check
        // of a drawn readout on the last day has the median the figure draws there.
        for (c, cd) in e.checks.iter().zip(&def.checks) {
            for a in &c.arms {
                assert_eq!(
                    a.spread,
                    (!a.values.is_empty()).then(|| stats::spread(&a.values)),
                    "{} {}",
                    e.name,
                    c.statement
                );
                assert!(a.values.iter().all(|v| v.is_finite()));
            }
            if let (Test::Compare { treated, .. }, Summary::At(day)) = (&cd.test, cd.summary)
                && let Some(course) = e.time_courses.iter().find(|t| t.readout == cd.readout && t.arm == *treated)
            {
                let i = if day.is_infinite() { course.median.len() - 1 } else { day as usize };
                let median = c.arms[1].spread.map(|s| s.median).unwrap_or(f64::NAN);
                assert_eq!(course.median[i], median, "{} {}", e.name, c.statement);
            }
            if let (Some(p), Test::Compare { .. }) = (c.p_value, &cd.test) {
                assert_eq!(p, stats::mann_whitney_p(&c.arms[0].values, &c.arms[1].values));
            }
        }
        assert_eq!(e.verdict, Verdict::combine(e.checks.iter().map(|c| c.verdict)));
    }
    // Claims the model bears out with large effects hold even in the quick screen: hormones,
    // the vicious cycle, and drugs at their targets (each verdict against its own figures
    // above).
    let by_name = |n: &str| result.experiments.iter().find(|e| e.name == n).unwrap();
    let check = |experiment: &str, statement: &str| {
        let e = by_name(experiment);
        let c = e.checks.iter().find(|c| c.statement.starts_with(statement)).unwrap();
        (c.verdict, c.reason.clone())
    };
    for (experiment, statement) in [
        ("denosumab-vs-zoledronic", "zoledronic acid: less resorption than none"),
        ("anti-il6-myeloma", "smaller tumour"),
        ("anti-il6-osteolytic", "less bone destroyed"),
        ("paclitaxel-il6", "with siltuximab, a smaller tumour than paclitaxel alone"),
    ] {
        let (verdict, reason) = check(experiment, statement);
        assert_eq!(verdict, Verdict::Supported, "{experiment}: {statement}: {reason}");
    }
    let estradiol = by_name("estradiol-replacement");
    assert_eq!(
        estradiol.verdict,
        Verdict::Supported,
        "{:#?}",
        estradiol.checks.iter().map(|c| &c.reason).collect::<Vec<_>>()
    );
    let vicious = by_name("vicious-cycle");
    let knocked_out = vicious.checks.iter().find(|c| c.statement.starts_with("no resorption")).unwrap();
    assert_eq!(knocked_out.verdict, Verdict::Supported, "{}", knocked_out.reason);
}
