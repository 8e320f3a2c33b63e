//! End-to-end tests of the `bonesim` binary on tiny runs (48 × 48 sites, 2 days).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const CONTRACT_COLUMNS: [&str; 14] = [
    "day",
    "bv_tv",
    "bone_rel",
    "osteoclasts",
    "osteoblasts",
    "osteocytes",
    "tumor_cells",
    "serum_il6_pg_ml",
    "serum_sil6r_ng_ml",
    "lytic_area_mm2",
    "blastic_area_mm2",
    "woven_fraction",
    "ctx",
    "p1np",
];

/// A small, fast run.
const TINY: [&str; 6] = ["--set", "domain.width=48", "--set", "domain.height=48", "--days", "2"];

/// Runs `bonesim args…` in `dir`.
fn bonesim(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bonesim")).args(args).current_dir(dir).output().expect("start bonesim")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn repo_scenarios() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

fn decode_png(path: &Path) -> (u32, u32) {
    let decoder = png::Decoder::new(fs::File::open(path).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    (info.width, info.height)
}

#[test]
fn a_run_writes_timeseries_summary_and_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    let o = bonesim(dir.path(), &[&["run", "homeostasis", "--out", "out", "--seed", "5"][..], &TINY].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("results in out") && stdout(&o).contains("days/s"), "{}", stdout(&o));
    let out = dir.path().join("out");

    let csv = fs::read_to_string(out.join("timeseries.csv")).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    for c in CONTRACT_COLUMNS {
        assert!(header.contains(&c), "column {c} missing from {header:?}");
    }
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let days: Vec<&str> = rows.iter().map(|r| r[0]).collect();
    assert_eq!(days, ["0", "1", "2"], "a row at day 0 and one per day");
    assert!(rows.iter().all(|r| r.len() == header.len() && r.iter().all(|v| v.parse::<f64>().unwrap().is_finite())));

    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    for key in [
        "scenario",
        "description",
        "seed",
        "version",
        "days",
        "ticks",
        "threads",
        "lesion",
        "final",
        "wall_seconds",
        "sim_days_per_second",
        "phase_seconds",
        "parameters_overridden",
        "files",
    ] {
        assert!(summary.get(key).is_some(), "summary.json lacks {key}");
    }
    assert_eq!(summary["scenario"], "homeostasis");
    assert_eq!(summary["seed"], 5);
    assert_eq!(summary["ticks"], 48);
    assert!(["none", "osteolytic", "osteoblastic", "mixed"].contains(&summary["lesion"].as_str().unwrap()));
    for c in CONTRACT_COLUMNS {
        assert!(summary["final"][c].is_number(), "final.{c}");
    }
    assert!(summary["phase_seconds"].as_object().unwrap().len() >= 5);

    let files: Vec<String> =
        summary["files"].as_array().unwrap().iter().map(|f| f.as_str().unwrap().to_string()).collect();
    assert_eq!(names_in(&out), {
        let mut f = files.clone();
        f.sort();
        f
    });
    let pngs: Vec<&String> = files.iter().filter(|f| f.ends_with(".png")).collect();
    for day in ["0000", "0002"] {
        assert!(pngs.iter().any(|f| **f == format!("tissue_day{day}.png")), "{pngs:?}");
        assert!(pngs.iter().any(|f| **f == format!("rankl_day{day}.png")), "{pngs:?}");
    }
    for f in pngs {
        let (w, h) = decode_png(&out.join(f));
        assert!(w >= 48 && h >= 48, "{f}: {w}x{h}");
    }
    assert!(fs::read_to_string(out.join("legend.txt")).unwrap().contains("osteoclasts"));
    assert_eq!(names_in(dir.path()), ["out"], "no temporary folder left");
}

#[test]
fn one_and_two_threads_give_identical_files() {
    let dir = tempfile::tempdir().unwrap();
    for (threads, out) in [("1", "t1"), ("2", "t2")] {
        let o = bonesim(
            dir.path(),
            &[&["run", "remodeling-event", "--threads", threads, "--out", out][..], &TINY].concat(),
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    for file in ["timeseries.csv", "tissue_day0002.png", "rankl_day0002.png"] {
        let a = fs::read(dir.path().join("t1").join(file)).unwrap();
        let b = fs::read(dir.path().join("t2").join(file)).unwrap();
        assert!(a == b, "{file} differs between 1 and 2 threads");
    }
}

#[test]
fn rows_follow_the_output_interval_and_the_end() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = "name = \"grid\"\n[time]\ndays = 1.5\noutput_every_hours = 12\n\
                    [domain]\nwidth = 32\nheight = 32\n[output]\nsnapshot_every_days = 1\nsnapshot_fields = []\n";
    fs::write(dir.path().join("grid.toml"), scenario).unwrap();
    let o = bonesim(dir.path(), &["run", "grid.toml", "--out", "a"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = fs::read_to_string(dir.path().join("a/timeseries.csv")).unwrap();
    let days: Vec<&str> = csv.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(days, ["0", "0.5", "1", "1.5"]);
    let o = bonesim(dir.path(), &["run", "grid.toml", "--out", "b", "--set", "time.output_every_hours=24"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = fs::read_to_string(dir.path().join("b/timeseries.csv")).unwrap();
    let days: Vec<&str> = csv.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(days, ["0", "1", "1.5"], "the end is written although off the grid");
    let pngs: Vec<String> = names_in(&dir.path().join("b")).into_iter().filter(|f| f.ends_with(".png")).collect();
    assert_eq!(pngs, ["tissue_day0000.png", "tissue_day0001.50.png", "tissue_day0001.png"]);
}

#[test]
fn an_image_geometry_is_read_relative_to_the_scenario_file() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("sc")).unwrap();
    // An RGB slice: a bright band of bone across a dark marrow.
    let (w, h) = (40u32, 40u32);
    let mut data = Vec::new();
    for y in 0..h {
        for _x in 0..w {
            let v = if (15..25).contains(&y) { 230 } else { 20 };
            data.extend_from_slice(&[v, v, v]);
        }
    }
    let mut encoder = png::Encoder::new(fs::File::create(dir.path().join("sc/slice.png")).unwrap(), w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.write_header().unwrap().write_image_data(&data).unwrap();
    let scenario =
        "name = \"slice\"\n[time]\ndays = 1\n[domain]\nwidth = 40\nheight = 40\ngeometry = \"image:slice.png\"\n";
    fs::write(dir.path().join("sc/slice.toml"), scenario).unwrap();
    let o = bonesim(dir.path(), &["run", "sc/slice.toml", "--out", "out"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = fs::read_to_string(dir.path().join("out/timeseries.csv")).unwrap();
    let bv_tv: f64 = csv.lines().nth(1).unwrap().split(',').nth(1).unwrap().parse().unwrap();
    assert!((bv_tv - 0.25).abs() < 0.05, "bone where the image is bright: bv_tv = {bv_tv}");
}

/// A bad input: the scenario text (if any), the arguments after the command and scenario,
/// and what the message must contain.
struct Bad {
    what: &'static str,
    scenario: Option<&'static str>,
    args: &'static [&'static str],
    expect: &'static [&'static str],
}

const BAD: &[Bad] = &[
    Bad {
        what: "unknown key",
        scenario: Some("name = \"x\"\n[time]\ndayz = 3\n"),
        args: &[],
        expect: &["bad.toml:3:1", "time.dayz", "unknown field", "days"],
    },
    Bad {
        what: "wrong type",
        scenario: Some("name = \"x\"\n[time]\ndays = \"ten\"\n"),
        args: &[],
        expect: &["bad.toml:3:8", "time.days", "expected a number"],
    },
    Bad {
        what: "out-of-range value",
        scenario: Some("[patient]\nestrogen = 5.0\n"),
        args: &[],
        expect: &["bad.toml:2:12", "patient.estrogen", "allowed 0 to 2"],
    },
    Bad {
        what: "out-of-range value in a list of tables",
        scenario: Some(
            "[[therapy]]\ndrug = \"denosumab\"\n\n[[therapy]]\ndrug = \"tocilizumab\"\ndoses = 3\nevery_days = 0\n",
        ),
        args: &[],
        expect: &["bad.toml:7:14", "therapy[1].every_days", "allowed"],
    },
    Bad {
        what: "a drug the species is not given",
        scenario: Some("[patient]\nspecies = \"mouse\"\n\n[[therapy]]\ndrug = \"tocilizumab\"\n"),
        args: &[],
        expect: &["bad.toml:5:8", "therapy[0].drug", "mr16_1"],
    },
    Bad {
        what: "an implausible dose",
        scenario: Some("[[therapy]]\ndrug = \"zoledronic_acid\"\ndose = 400\n"),
        args: &[],
        expect: &["bad.toml:3:8", "therapy[0].dose", "allowed 0.5 to 16 mg"],
    },
    Bad {
        what: "unknown enum value",
        scenario: Some("[tumor]\ntype = \"pancreas\"\n"),
        args: &[],
        expect: &["bad.toml:2:8", "tumor.type", "breast"],
    },
    Bad {
        what: "unknown --set key",
        scenario: Some("name = \"x\"\n"),
        args: &["--set", "patient.no_such_key=1"],
        expect: &["--set patient.no_such_key=1", "patient.no_such_key", "estrogen"],
    },
    Bad {
        what: "unknown --set key, neither scenario nor parameter",
        scenario: Some("name = \"x\"\n"),
        args: &["--set", "osteoclast.lifespan_dayz=10"],
        expect: &["--set osteoclast.lifespan_dayz=10", "did you mean osteoclast.lifespan_days"],
    },
    Bad {
        what: "bad --set value type",
        scenario: Some("name = \"x\"\n"),
        args: &["--set", "patient.estrogen=abc"],
        expect: &["--set patient.estrogen=abc", "patient.estrogen", "expected a number"],
    },
    Bad {
        what: "out-of-range --set value",
        scenario: Some("[time]\ndays = 3\n"),
        args: &["--set", "time.days=-5"],
        expect: &["--set time.days=-5", "time.days", "allowed 0 to"],
    },
    Bad {
        what: "out-of-range --days",
        scenario: Some("name = \"x\"\n"),
        args: &["--days", "-1"],
        expect: &["--days -1", "time.days", "allowed"],
    },
    Bad {
        what: "unknown parameter",
        scenario: Some("name = \"x\"\n\n[parameters]\n\"osteoclast.lifespan_dayz\" = 10\n"),
        args: &[],
        expect: &["bad.toml:4:1", "osteoclast.lifespan_dayz", "did you mean"],
    },
    Bad {
        what: "out-of-range parameter",
        scenario: Some("name = \"x\"\n\n[parameters]\n\"osteoclast.lifespan_days\" = 1e9\n"),
        args: &[],
        expect: &["bad.toml:4:30", "osteoclast.lifespan_days", "allowed"],
    },
    Bad {
        what: "out-of-range parameter from --set",
        scenario: Some("name = \"x\"\n"),
        args: &["--set", "osteoclast.lifespan_days=1e9"],
        expect: &["--set osteoclast.lifespan_days=1e9", "osteoclast.lifespan_days", "allowed"],
    },
    Bad {
        what: "a solver number type that is not 32 or 64 bits",
        scenario: Some("name = \"x\"\n"),
        args: &["--set", "solver.float_bits=48"],
        expect: &["solver.float_bits is 48", "allowed 32 or 64"],
    },
    Bad {
        what: "a tolerance the default f32 solver cannot reach",
        scenario: Some("name = \"x\"\n\n[parameters]\n\"solver.tolerance\" = 1e-8\n"),
        args: &[],
        expect: &["solver.tolerance (1e-8)", "solver.float_bits = 32", "set solver.float_bits = 64"],
    },
    Bad { what: "missing scenario file", scenario: None, args: &[], expect: &["bad.toml", "no such scenario file"] },
    Bad {
        what: "missing image",
        scenario: Some("[domain]\ngeometry = \"image:nothere.png\"\n"),
        args: &[],
        expect: &["bad.toml:2:12", "domain.geometry", "nothere.png"],
    },
    Bad {
        what: "image that is not a PNG",
        scenario: Some("[domain]\ngeometry = \"image:fake.png\"\n"),
        args: &[],
        expect: &["bad.toml:2:12", "domain.geometry", "fake.png is not a PNG image"],
    },
    Bad {
        what: "NaN event coordinate",
        scenario: Some("[[microdamage]]\nday = 1.0\nx_um = nan\n"),
        args: &[],
        expect: &["bad.toml:3:8", "microdamage[0].x_um", "NaN is out of range"],
    },
    Bad {
        what: "infinite event coordinate from --set",
        scenario: Some("name = \"x\"\n"),
        args: &["--set", "precursor_burst[0].y_um=-inf"],
        expect: &["--set precursor_burst[0].y_um=-inf", "-inf is out of range"],
    },
    Bad {
        what: "seed beyond what a scenario file can hold",
        scenario: Some("name = \"x\"\n"),
        args: &["--set", "seed=9223372036854775808"],
        expect: &["seed", "9223372036854775808"],
    },
    Bad {
        what: "seed flag beyond what a scenario file can hold",
        scenario: Some("name = \"x\"\n"),
        args: &["--days", "1", "--seed", "18446744073709551615"],
        expect: &["--seed 18446744073709551615", "out of range", "2^63"],
    },
    Bad {
        what: "TOML syntax error",
        scenario: Some("name = \"x\"\n[time\ndays = 3\n"),
        args: &[],
        expect: &["bad.toml:2:", "TOML syntax error"],
    },
];

#[test]
fn bad_input_exits_2_with_its_place_and_writes_nothing() {
    for bad in BAD {
        let dir = tempfile::tempdir().unwrap();
        if let Some(text) = bad.scenario {
            fs::write(dir.path().join("bad.toml"), text).unwrap();
        }
        fs::write(dir.path().join("fake.png"), "this is text, not an image\n").unwrap();
        let before = names_in(dir.path());
        for command in [&["run", "bad.toml", "--out", "out"][..], &["validate", "bad.toml"]] {
            let args = [command, bad.args].concat();
            // validate takes no --days.
            if command[0] == "validate" && bad.args.contains(&"--days") {
                continue;
            }
            let o = bonesim(dir.path(), &args);
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(2), "{}: {args:?} exit {:?}\n{err}", bad.what, o.status.code());
            assert!(err.starts_with("error: "), "{}: {err}", bad.what);
            for needle in bad.expect {
                assert!(err.contains(needle), "{}: message lacks {needle:?}:\n{err}", bad.what);
            }
            assert_eq!(names_in(dir.path()), before, "{}: something was written", bad.what);
        }
    }
}

#[test]
fn bad_flags_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["run", "homeostasis", "--threads", "0"][..],
        &["run", "homeostasis", "--set", "novalue"],
        &["run", "homeostasis", "--no-such-flag"],
        &["frobnicate"],
    ] {
        let o = bonesim(dir.path(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    }
    assert!(names_in(dir.path()).is_empty());
}

#[test]
fn every_bundled_scenario_validates_by_name_and_by_path() {
    let dir = tempfile::tempdir().unwrap();
    for path in repo_scenarios() {
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        for arg in [name.clone(), path.display().to_string()] {
            let o = bonesim(dir.path(), &["validate", &arg]);
            assert!(o.status.success(), "{arg}: {}", stderr(&o));
            assert_eq!(stdout(&o).trim(), "ok");
        }
    }
}

#[test]
fn scenarios_lists_every_bundled_scenario_with_its_description() {
    let dir = tempfile::tempdir().unwrap();
    let o = bonesim(dir.path(), &["scenarios"]);
    assert!(o.status.success());
    let list = stdout(&o);
    for path in repo_scenarios() {
        let name = path.file_stem().unwrap().to_str().unwrap();
        let line = list.lines().find(|l| l.split_whitespace().next() == Some(name));
        let line = line.unwrap_or_else(|| panic!("{name} not listed:\n{list}"));
        assert!(line.len() > name.len() + 10, "{name} has no description: {line}");
        let shown = bonesim(dir.path(), &["scenarios", name]);
        assert_eq!(stdout(&shown), fs::read_to_string(&path).unwrap());
    }
    assert_eq!(bonesim(dir.path(), &["scenarios", "no-such"]).status.code(), Some(2));
}

#[test]
fn an_existing_output_folder_is_kept_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("out")).unwrap();
    fs::write(dir.path().join("out/mine.txt"), "precious").unwrap();
    let args = [&["run", "homeostasis", "--out", "out"][..], &TINY].concat();
    let o = bonesim(dir.path(), &args);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("already exists") && stderr(&o).contains("--force"), "{}", stderr(&o));
    assert!(dir.path().join("out/mine.txt").exists());
    assert_eq!(names_in(dir.path()), ["out"]);

    let o = bonesim(dir.path(), &[&args[..], &["--force"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!dir.path().join("out/mine.txt").exists());
    assert!(dir.path().join("out/timeseries.csv").exists());
    assert_eq!(names_in(dir.path()), ["out"]);
}

#[test]
fn the_default_folder_is_named_after_the_scenario_and_seed() {
    let dir = tempfile::tempdir().unwrap();
    let o = bonesim(dir.path(), &[&["run", "homeostasis", "--seed", "7"][..], &TINY].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir.path().join("runs/homeostasis-seed7/summary.json").exists());
    assert_eq!(names_in(&dir.path().join("runs")), ["homeostasis-seed7"]);
}

#[test]
fn set_reaches_scenario_keys_and_parameters() {
    let dir = tempfile::tempdir().unwrap();
    let o = bonesim(
        dir.path(),
        &[
            &["run", "homeostasis", "--out", "o"][..],
            &TINY,
            &["--set", "osteoclast.lifespan_days=10", "--set", "patient.estrogen=0.5", "--set", "name=renamed"],
            &["--set", "domain.geometry=cortical", "--set", "output.snapshot_fields=[\"opg\"]"],
        ]
        .concat(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("o/summary.json")).unwrap()).unwrap();
    assert_eq!(summary["parameters_overridden"]["osteoclast.lifespan_days"], 10.0);
    assert_eq!(summary["scenario"], "renamed");
    let used = fs::read_to_string(dir.path().join("o/scenario.toml")).unwrap();
    assert!(used.contains("estrogen = 0.5") && used.contains("geometry = \"cortical\""), "{used}");
    assert!(dir.path().join("o/opg_day0002.png").exists());
    assert!(!dir.path().join("o/rankl_day0002.png").exists());
}

#[test]
fn params_prints_the_parameter_table() {
    let dir = tempfile::tempdir().unwrap();
    let o = bonesim(dir.path(), &["params"]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("`osteoclast.lifespan_days`"));
}

#[test]
fn a_therapy_adds_its_plasma_column_and_drugs_that_act_are_not_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = "name = \"treated\"\n[patient]\nestrogen = 0.0\n\n[[therapy]]\ndrug = \"estradiol\"\n\
                    every_days = 3.5\ndoses = 2\ndose = 0.1\n\n[[therapy]]\ndrug = \"zoledronic_acid\"\n\
                    start_day = 1.0\ndose = 4.0\n";
    fs::write(dir.path().join("t.toml"), scenario).unwrap();
    let o = bonesim(dir.path(), &[&["run", "t.toml", "--out", "out"][..], &TINY].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Both drugs act at their targets now: neither is warned about.
    let warning = stderr(&o);
    assert!(!warning.contains("not modelled"), "{warning}");
    assert!(!warning.contains("estradiol") && !warning.contains("zoledronic"), "both act: {warning}");
    let text = fs::read_to_string(dir.path().join("out/timeseries.csv")).unwrap();
    let mut rows = text.lines().map(|l| l.split(',').collect::<Vec<_>>());
    let header = rows.next().unwrap();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap_or_else(|| panic!("no {name}"));
    let (e2, za) = (col("plasma_estradiol"), col("plasma_zoledronic_acid"));
    let values: Vec<(f64, f64)> = rows.map(|r| (r[e2].parse().unwrap(), r[za].parse().unwrap())).collect();
    // Day 0: nothing given yet; day 1: the patch at about 100 pg/mL, the bisphosphonate not yet
    // (due at the end of day 1); day 2: both.
    assert_eq!(values[0], (0.0, 0.0));
    assert!((90.0..110.0).contains(&values[1].0) && values[1].1 == 0.0, "{values:?}");
    assert!(values[2].1 > 0.0, "{values:?}");
    let legend = fs::read_to_string(dir.path().join("out/legend.txt")).unwrap();
    assert!(legend.contains("plasma_estradiol: pg/mL") && legend.contains("plasma_zoledronic_acid: ng/mL"));
}

#[test]
fn drugs_prints_the_drug_table() {
    let o = bonesim(Path::new("."), &["drugs"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    for name in ["tocilizumab", "mr16_1", "opg_fc", "zoledronic_acid", "degarelix"] {
        assert!(out.contains(&format!("`{name}`")), "{name}");
    }
}

#[test]
fn bench_measures_the_solver_and_a_scenario_and_reports_json() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("small.toml");
    let text = fs::read_to_string(repo_scenarios().into_iter().find(|p| p.ends_with("homeostasis.toml")).unwrap());
    fs::write(&scenario, text.unwrap().replace("width = 400", "width = 64").replace("height = 400", "height = 64"))
        .unwrap();
    let o = bonesim(
        dir.path(),
        &[
            "bench",
            "--sizes",
            "32,64",
            "--fields",
            "1,3",
            "--repeats",
            "1",
            "--days",
            "1",
            "--scenario",
            scenario.to_str().unwrap(),
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON on stdout");
    let positive = |v: &serde_json::Value, what: &str| {
        let x = v.as_f64().unwrap_or_else(|| panic!("{what} missing: {report}"));
        assert!(x.is_finite() && x > 0.0, "{what} = {x}");
        x
    };
    positive(&report["bandwidth"]["one_thread_gb_s"], "bandwidth");
    let rows = report["solver"].as_array().unwrap();
    assert_eq!(rows.len(), 4, "every size with every field count");
    for row in rows {
        for key in
            ["one_thread_ms", "all_threads_ms", "speedup", "streamed_mb_per_step", "all_threads_roofline_fraction"]
        {
            positive(&row[key], key);
        }
        // Every step of a field after its sources moved takes at least one V-cycle.
        assert!(positive(&row["v_cycles_per_field_step"], "cycles") >= 1.0);
    }
    // Three fields stream three times the bytes of one, within what their cycles differ by.
    let (one, three) = (&rows[2], &rows[3]);
    let ratio = positive(&three["streamed_mb_per_step"], "MB") / positive(&one["streamed_mb_per_step"], "MB");
    assert!((2.0..=4.5).contains(&ratio), "3 fields stream {ratio}× one field's bytes");
    let sc = &report["scenario"];
    assert_eq!(sc["width"], 64);
    assert_eq!(sc["ticks"], 24, "a day of one-hour ticks");
    assert!(sc["agents"].as_u64().unwrap() > 0);
    positive(&sc["all_threads"]["ticks_per_s"], "ticks per second");
    let shares: f64 = sc["phases"].as_array().unwrap().iter().map(|p| p["share"].as_f64().unwrap()).sum();
    assert!((shares - 1.0).abs() < 1e-9, "phase shares sum to {shares}");
    let diffuse = sc["phases"].as_array().unwrap().iter().find(|p| p["phase"] == "diffuse").unwrap();
    positive(&diffuse["ms_per_tick"], "diffuse time");

    // --set changes the timed scenario as it does a run's.
    let o = bonesim(
        dir.path(),
        &[
            "bench",
            "--no-solver",
            "--repeats",
            "1",
            "--days",
            "1",
            "--set",
            "domain.width=40",
            "--set",
            "domain.height=30",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("(40 × 30,"), "{}", stdout(&o));

    let bad = bonesim(dir.path(), &["bench", "--days", "0", "--no-solver"]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("--days"), "{}", stderr(&bad));
}
