//! End to end: the real `bonesim-viz` binary, under a virtual X display (Xvfb) with Mesa's
//! software Vulkan, plays bundled scenarios for a few simulated days, takes screenshots
//! through bevy's screenshot API, and the test reads their pixels: bone, marrow, cells and
//! legend in their colours where the viewer says it drew them, the picture changing as the
//! lesion forms, the classroom caption on screen, two lanes side by side, a field overlay
//! with its colour bar; and the numbers the viewer exports are those `bonesim run` writes
//! for the same scenario and seed.
//!
//! It needs `xvfb-run` and a Vulkan driver (Debian: xvfb xauth mesa-vulkan-drivers
//! libvulkan1). Without them it says so loudly and passes, so the test suite still runs on a
//! machine with only Rust installed; with `BONESIM_REQUIRE_DISPLAY=1` (as CI sets it) their
//! absence fails the test instead.
#![allow(clippy::print_stderr, reason = "tests report what they measured and why they skip")]

use bonesim::palette::{self, Rgb};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Seconds a viewer run may take (software rendering on a slow, shared machine).
const TIMEOUT_S: u64 = 420;

/// Whether the virtual display and a Vulkan driver are installed; if not, why not.
fn display_missing() -> Option<String> {
    let on_path =
        |exe: &str| std::env::var_os("PATH").is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(exe).is_file()));
    if !on_path("xvfb-run") {
        return Some("xvfb-run is not installed (Debian: xvfb xauth)".into());
    }
    let icd_dirs = ["/usr/share/vulkan/icd.d", "/etc/vulkan/icd.d"];
    let has_icd = icd_dirs.iter().any(|d| std::fs::read_dir(d).is_ok_and(|mut e| e.next().is_some()));
    if !has_icd {
        return Some("no Vulkan driver is installed (Debian: mesa-vulkan-drivers libvulkan1)".into());
    }
    None
}

/// `None` (and a loud message) when the test cannot run here and is not required to.
fn require_display(test: &str) -> Option<()> {
    let Some(why) = display_missing() else { return Some(()) };
    if std::env::var("BONESIM_REQUIRE_DISPLAY").is_ok_and(|v| v == "1") {
        panic!("{test}: BONESIM_REQUIRE_DISPLAY=1 but {why}");
    }
    eprintln!("\n*** SKIPPED {test}: {why}. The viewer's end-to-end test needs a virtual display;");
    eprintln!("*** install xvfb xauth mesa-vulkan-drivers libvulkan1 (CI does, and sets BONESIM_REQUIRE_DISPLAY=1).\n");
    None
}

/// Runs the viewer under Xvfb with `args`, screenshots into `out`; panics with its output
/// if it fails or hangs.
fn run_viewer(out: &Path, args: &[&str]) {
    let exe = env!("CARGO_BIN_EXE_bonesim-viz");
    let log = out.join("viewer.log");
    let mut child = Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1280x800x24", exe])
        .args(args)
        .args(["--out", out.to_str().unwrap(), "--window", "1280x800", "--threads", "1"])
        .env("WGPU_BACKEND", "vulkan")
        .env("RUST_LOG", "warn,bonesim_viz=info")
        .stdout(Stdio::from(std::fs::File::create(&log).unwrap()))
        .stderr(Stdio::from(std::fs::File::create(out.join("viewer.err")).unwrap()))
        .spawn()
        .expect("xvfb-run starts");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(TIMEOUT_S) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the viewer did not finish in {TIMEOUT_S} s: {}", tail(out));
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    eprintln!("viewer {args:?}: {:.1} s", start.elapsed().as_secs_f64());
    assert!(status.success(), "the viewer failed ({status}): {}", tail(out));
}

fn tail(out: &Path) -> String {
    let err = std::fs::read_to_string(out.join("viewer.err")).unwrap_or_default();
    let lines: Vec<&str> = err.lines().collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}

/// A screenshot and its layout record.
struct Shot {
    width: usize,
    rgb: Vec<u8>,
    layout: Value,
}

impl Shot {
    fn open(png_path: &Path) -> Shot {
        let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(png_path).unwrap()));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!(info.color_type, png::ColorType::Rgb);
        buf.truncate(info.buffer_size());
        let layout = serde_json::from_str(&std::fs::read_to_string(png_path.with_extension("json")).unwrap()).unwrap();
        Shot { width: info.width as usize, rgb: buf, layout }
    }

    fn rect(&self, key: &str) -> [usize; 4] {
        rect(&self.layout[key])
    }

    fn pixels(&self, r: [usize; 4]) -> impl Iterator<Item = Rgb> + '_ {
        (r[1]..r[3]).flat_map(move |y| {
            (r[0]..r[2]).map(move |x| {
                let i = (y * self.width + x) * 3;
                [self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]]
            })
        })
    }

    /// Pixels of `r` within `tolerance` (each channel) of `c`.
    fn count(&self, r: [usize; 4], c: Rgb, tolerance: u8) -> usize {
        self.pixels(r).filter(|p| near(*p, c, tolerance)).count()
    }

    /// Share of pixels of `r` that `test` accepts.
    fn share(&self, r: [usize; 4], test: impl Fn(Rgb) -> bool) -> f64 {
        let n = (r[2] - r[0]) * (r[3] - r[1]);
        self.pixels(r).filter(|p| test(*p)).count() as f64 / n.max(1) as f64
    }
}

fn rect(v: &Value) -> [usize; 4] {
    let a: Vec<f64> = v.as_array().expect("a rectangle").iter().map(|x| x.as_f64().unwrap()).collect();
    [a[0].round() as usize, a[1].round() as usize, a[2].round() as usize, a[3].round() as usize]
}

fn near(p: Rgb, c: Rgb, tolerance: u8) -> bool {
    (0..3).all(|i| p[i].abs_diff(c[i]) <= tolerance)
}

/// Lamellar bone: grey, between the palette's least and most mineralised.
fn is_bone(p: Rgb) -> bool {
    p[0].abs_diff(p[1]) <= 2
        && p[1].abs_diff(p[2]) <= 2
        && (palette::BONE_GREY_MIN - 2..=palette::BONE_GREY_MAX + 2).contains(&p[0])
}

fn is_marrow(p: Rgb) -> bool {
    near(p, palette::MARROW, 4) || near(p, palette::ERODED, 4)
}

fn screenshots(out: &Path) -> Vec<PathBuf> {
    let mut shots: Vec<PathBuf> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "png"))
        .collect();
    shots.sort();
    shots
}

#[test]
fn the_viewer_shows_a_lesion_forming_and_exports_the_engine_s_numbers() {
    if require_display("the_viewer_shows_a_lesion_forming").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    let sets = ["--set", "domain.width=120", "--set", "domain.height=120", "--set", "tumor.seed_cells=60"];
    let mut args = vec!["breast-osteolytic", "--speed", "max", "--screenshot-days", "0,3", "--exit-after-screenshots"];
    args.extend_from_slice(&sets);
    run_viewer(out, &args);
    let shots = screenshots(out);
    assert_eq!(shots.len(), 2, "{shots:?}");
    let (day0, day3) = (Shot::open(&shots[0]), Shot::open(&shots[1]));
    assert_eq!(day0.layout["day"].as_f64(), Some(0.0));
    assert_eq!(day3.layout["day"].as_f64(), Some(3.0));
    let lane = rect(&day3.layout["lanes"][0]);
    assert!(lane[2] - lane[0] > 300 && lane[3] - lane[1] > 300, "the tissue fills the view: {lane:?}");
    for (name, shot) in [("day 0", &day0), ("day 3", &day3)] {
        let bone = shot.share(lane, is_bone);
        let marrow = shot.share(lane, is_marrow);
        eprintln!("{name}: bone {:.1} %, marrow {:.1} % of the tissue's pixels", bone * 100.0, marrow * 100.0);
        // 12 % bone by volume, partly covered by osteocytes and lining cells.
        assert!(bone > 0.03, "{name}: bone {bone}");
        assert!(marrow > 0.25, "{name}: marrow {marrow}");
    }
    // Cells in their types' colours: tumour cells where they were injected, osteocytes.
    let tumour = day3.count(lane, palette::cell_colour(bonesim::cells::CellKind::Tumor), 6);
    let osteocytes = day3.count(lane, palette::cell_colour(bonesim::cells::CellKind::Osteocyte), 6);
    let stroma = day3.count(lane, palette::cell_colour(bonesim::cells::CellKind::Stroma), 6);
    eprintln!("day 3 pixels: tumour {tumour}, osteocyte {osteocytes}, stroma {stroma}");
    assert!(tumour > 200 && osteocytes > 50 && stroma > 50);
    // The tumour sits at the centre, where it was injected.
    let (cx, cy) = ((lane[0] + lane[2]) / 2, (lane[1] + lane[3]) / 2);
    let w = (lane[2] - lane[0]) / 4;
    let centre = [cx - w, cy - w, cx + w, cy + w];
    let tumour_colour = palette::cell_colour(bonesim::cells::CellKind::Tumor);
    assert!(day3.count(centre, tumour_colour, 6) * 2 > tumour, "most tumour pixels lie at the centre");
    // Legend: every cell type's colour and the tissue's, in the legend's box.
    let legend = day3.rect("legend");
    for kind in bonesim::cells::CellKind::ALL {
        let c = palette::cell_colour(kind);
        assert!(day3.count(legend, c, 3) >= 50, "{kind:?} {c:?} is not in the legend");
    }
    for c in [palette::OSTEOID, palette::VESSEL, palette::MARROW, palette::ERODED, palette::LYTIC_OUTLINE] {
        assert!(day3.count(legend, c, 3) >= 50, "{c:?} is not in the legend");
    }
    // The picture changes as the simulation runs.
    let changed = day0.pixels(lane).zip(day3.pixels(lane)).filter(|(a, b)| !near(*a, *b, 8)).count();
    let share = changed as f64 / ((lane[2] - lane[0]) * (lane[3] - lane[1])) as f64;
    let tumour_day0 = day0.count(lane, tumour_colour, 6);
    eprintln!(
        "day 0 to day 3: {:.1} % of the tissue's pixels changed; tumour pixels {tumour_day0} to {tumour}",
        share * 100.0
    );
    assert!(share > 0.005);
    assert!(tumour as f64 > 1.3 * tumour_day0 as f64, "the tumour grows on screen");
    // The readouts the viewer exports are those `bonesim run` writes for the same scenario
    // and seed, byte for byte (the viewer ran on one thread, the command line on two).
    let csv: Vec<PathBuf> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with("-readouts.csv"))
        .collect();
    let viewer = std::fs::read_to_string(&csv[0]).unwrap();
    assert_eq!(viewer.lines().count(), 1 + 4, "a header and days 0 to 3: {viewer}");
    let run = out.join("cli-run");
    let mut cli = vec!["run", "breast-osteolytic", "--days", "3", "--threads", "2", "--out", run.to_str().unwrap()];
    cli.extend_from_slice(&sets);
    let output = Command::new(cli_binary()).args(&cli).output().expect("bonesim runs");
    assert!(output.status.success(), "bonesim run: {}", String::from_utf8_lossy(&output.stderr));
    let command_line = std::fs::read_to_string(run.join("timeseries.csv")).unwrap();
    assert_eq!(viewer, command_line, "the viewer's readouts differ from `bonesim run`'s");
}

/// The command line's `bonesim`, built from this source into the same target folder (a
/// no-op when `cargo test --workspace` has built it already), so it is never a stale one.
fn cli_binary() -> PathBuf {
    let viewer = Path::new(env!("CARGO_BIN_EXE_bonesim-viz"));
    let profile_dir = viewer.parent().expect("the viewer lies in a profile folder");
    let target_dir = profile_dir.parent().expect("the profile folder lies in a target folder");
    let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
        Some("debug") => "dev",
        Some(other) => other,
        None => "release",
    };
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--quiet", "-p", "bonesim-cli", "--bin", "bonesim", "--profile", profile])
        .env("CARGO_TARGET_DIR", target_dir)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("cargo runs");
    assert!(status.success(), "cannot build the command line to compare with");
    let exe = profile_dir.join(format!("bonesim{}", std::env::consts::EXE_SUFFIX));
    assert!(exe.is_file(), "{} was not built", exe.display());
    exe
}

#[test]
fn a_field_overlay_lays_the_field_over_the_tissue_with_its_colour_bar() {
    if require_display("a_field_overlay_lays_the_field_over_the_tissue").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    let args = [
        "breast-osteolytic",
        "--field",
        "il6",
        "--set",
        "domain.width=120",
        "--set",
        "domain.height=120",
        "--set",
        "tumor.seed_cells=60",
        "--speed",
        "max",
        "--screenshot-days",
        "2",
        "--exit-after-screenshots",
    ];
    run_viewer(out, &args);
    let shots = screenshots(out);
    assert_eq!(shots.len(), 1, "{shots:?}");
    let shot = Shot::open(&shots[0]);
    let lane = rect(&shot.layout["lanes"][0]);
    // The strip of the colour bar: viridis from its dark purple end to its yellow end.
    let bar = shot.rect("colour_bar");
    let row = (bar[1] + bar[3]) / 2;
    let at = |x: usize| shot.pixels([x, row, x + 1, row + 1]).next().unwrap();
    let (low, high) = (at(bar[0] + 2), at(bar[2] - 3));
    eprintln!("colour bar ends: {low:?} {high:?}");
    assert!(near(low, palette::viridis(0.0), 12) && near(high, palette::viridis(1.0), 12), "{low:?} {high:?}");
    // The overlay covers the tissue: hardly a pixel of bare marrow or bone is left.
    let bare = shot.share(lane, |p| is_marrow(p) || is_bone(p));
    eprintln!("bare tissue under the IL-6 overlay: {:.1} %", bare * 100.0);
    assert!(bare < 0.05, "{bare}");
    // IL-6 is made by the tumour at the centre: the overlay is brighter (towards viridis
    // yellow) there than at the corners.
    let green =
        |r: [usize; 4]| shot.pixels(r).map(|p| p[1] as f64).sum::<f64>() / ((r[2] - r[0]) * (r[3] - r[1])) as f64;
    let (w, h) = (lane[2] - lane[0], lane[3] - lane[1]);
    let (cx, cy) = (lane[0] + w / 2, lane[1] + h / 2);
    let centre = green([cx - w / 10, cy - h / 10, cx + w / 10, cy + h / 10]);
    let corner = green([lane[0], lane[1], lane[0] + w / 10, lane[1] + h / 10]);
    eprintln!("mean green under the IL-6 overlay: centre {centre:.0}, corner {corner:.0}");
    assert!(centre > corner + 40.0, "centre {centre}, corner {corner}");
}

#[test]
fn classroom_captions_and_two_scenarios_side_by_side() {
    if require_display("classroom_captions_and_two_scenarios_side_by_side").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    let args = [
        "estrogen-deprivation",
        "--compare-set",
        "patient.estrogen=1",
        "--classroom",
        "--set",
        "domain.width=100",
        "--set",
        "domain.height=100",
        "--speed",
        "max",
        "--screenshot-days",
        "1",
        "--exit-after-screenshots",
    ];
    run_viewer(out, &args);
    let shots = screenshots(out);
    assert_eq!(shots.len(), 1, "{shots:?}");
    let shot = Shot::open(&shots[0]);
    let lanes = shot.layout["lanes"].as_array().unwrap().clone();
    assert_eq!(lanes.len(), 2);
    let (left, right) = (rect(&lanes[0]), rect(&lanes[1]));
    assert!(right[0] > left[2], "side by side: {left:?} {right:?}");
    for r in [left, right] {
        assert!(shot.share(r, is_bone) > 0.03 && shot.share(r, is_marrow) > 0.25, "{r:?}");
    }
    // The caption: its box in its colour, with text in it, saying what the file says.
    let caption = shot.rect("caption");
    let fill = [16, 36, 72];
    let box_share = shot.share(caption, |p| near(p, fill, 3));
    let text_share = shot.share(caption, |p| p.iter().all(|&c| c > 170));
    eprintln!("caption box: {:.0} % fill, {:.1} % text", box_share * 100.0, text_share * 100.0);
    assert!(box_share > 0.5 && text_share > 0.01);
    let said = shot.layout["caption_text"].as_str().unwrap_or_default();
    let file = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/captions/estrogen-deprivation-vs-estrogen.toml"
    ))
    .unwrap();
    assert!(!said.is_empty() && file.contains(said.lines().next().unwrap()), "caption {said:?}");
    // The legend is there without asking, in classroom mode.
    let legend = shot.rect("legend");
    let osteoclast = palette::cell_colour(bonesim::cells::CellKind::Osteoclast);
    assert!(shot.count(legend, osteoclast, 3) >= 50);
}
