//! Headless tests of the viewer's ECS logic (no window, no GPU): the engine's cells become
//! entities and follow the simulation, the keys drive it, captions follow it, two lanes step
//! in lockstep with one set of controls, and interventions and restarts reach the engine.
//!
//! The simulation thread is replaced by the same worker driven by hand
//! ([`ManualWorker::pump`]), so every test is deterministic.

use crate::app::core_app;
use crate::cells::{CellEntities, CellSprite};
use crate::classroom::Captions;
use crate::cli::Args;
use crate::controls::{Outputs, UiState, ViewerAction};
use crate::setup::Config;
use crate::state::{Current, History, Layout, Log, Overlay};
use crate::tissue::{TissueLayers, paint_tissue};
use crate::worker::{ManualWorker, Worker};
use bevy::platform::collections::HashSet;
use bevy::prelude::*;
use bonesim::cells::CellId;
use bonesim::field::FieldId;
use clap::Parser;

struct Harness {
    app: App,
    worker: ManualWorker,
    _out: tempfile::TempDir,
}

/// A viewer for `args` (after `bonesim-viz`), on a small domain, paused.
fn harness(args: &[&str]) -> Harness {
    let out = tempfile::tempdir().unwrap();
    let mut all = vec!["bonesim-viz", "--paused", "--out", out.path().to_str().unwrap()];
    all.extend_from_slice(args);
    let config = Config::from_args(&Args::try_parse_from(all).unwrap()).unwrap();
    let (link, worker) = Worker::new(config.lanes.clone(), &config.worker).unwrap().manual();
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, AssetPlugin::default()))
        .init_asset::<Image>()
        .init_resource::<ButtonInput<KeyCode>>()
        .add_message::<bevy::input::keyboard::KeyboardInput>();
    core_app(&mut app, &config, link);
    let mut h = Harness { app, worker, _out: out };
    h.frame(0);
    h
}

impl Harness {
    /// The simulation thread's turn (commands, then `ticks` if playing), then a frame.
    fn frame(&mut self, ticks: u64) {
        self.worker.pump(ticks);
        self.app.update();
    }

    /// A key pressed in one frame and released before the next; then the simulation
    /// thread's turn and a frame to show it.
    fn press(&mut self, keys: &[KeyCode]) {
        let mut input = self.app.world_mut().resource_mut::<ButtonInput<KeyCode>>();
        for &k in keys {
            input.press(k);
        }
        self.app.update();
        let mut input = self.app.world_mut().resource_mut::<ButtonInput<KeyCode>>();
        input.release_all();
        input.clear();
        self.frame(0);
    }

    /// Keys pressed and released within one frame (a quick typist at a low frame rate): the
    /// modifiers among `held` are let go before the frame runs.
    fn press_quick(&mut self, held: &[KeyCode], keys: &[KeyCode]) {
        let mut input = self.app.world_mut().resource_mut::<ButtonInput<KeyCode>>();
        for &k in held.iter().chain(keys) {
            input.press(k);
        }
        for &k in held {
            input.release(k);
        }
        self.app.update();
        let mut input = self.app.world_mut().resource_mut::<ButtonInput<KeyCode>>();
        input.release_all();
        input.clear();
        self.frame(0);
    }

    fn act(&mut self, action: ViewerAction) {
        self.app.world_mut().write_message(action);
        self.app.update();
        self.frame(0);
    }

    fn current(&self) -> &Current {
        self.app.world().resource::<Current>()
    }

    fn log(&self) -> Vec<String> {
        self.app.world().resource::<Log>().lines.clone()
    }
}

const SMALL: [&str; 4] = ["--set", "domain.width=60", "--set", "domain.height=48"];

fn args<'a>(scenario: &'a str, more: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![scenario];
    a.extend_from_slice(&SMALL);
    a.extend_from_slice(more);
    a
}

/// Each lane's cell ids on screen, and in the frames.
fn ids(h: &mut Harness) -> (Vec<HashSet<CellId>>, Vec<HashSet<CellId>>) {
    let mut query = h.app.world_mut().query::<&CellSprite>();
    let lanes = h.current().shown.frames.len();
    let mut on_screen = vec![HashSet::default(); lanes];
    for tag in query.iter(h.app.world()) {
        on_screen[tag.lane].insert(tag.id);
    }
    let in_frames = h.current().shown.frames.iter().map(|f| f.cells.iter().map(|c| c.id).collect()).collect();
    (on_screen, in_frames)
}

#[test]
fn the_engine_s_cells_become_entities_that_follow_the_simulation() {
    let mut h = harness(&args("breast-osteolytic", &["--set", "tumor.seed_cells=40"]));
    let (on_screen, in_frames) = ids(&mut h);
    assert!(in_frames[0].len() > 60, "a populated tissue: {} cells", in_frames[0].len());
    assert_eq!(on_screen, in_frames);
    // Four days on: cells have been born, moved and died; the entities followed.
    for _ in 0..4 {
        h.act(ViewerAction::StepDay);
    }
    assert_eq!(h.current().frame(0).unwrap().tick, 96);
    let (on_screen, in_frames) = ids(&mut h);
    assert_eq!(on_screen, in_frames);
    let entities = h.app.world().resource::<CellEntities>();
    assert_eq!(entities.len(), in_frames[0].len(), "no stale entities kept");
    // Every sprite sits on its cell's site, in its type's colour.
    let frame = h.current().frame(0).unwrap().clone();
    let lane = h.app.world().resource::<Layout>().lanes[0];
    let mut query = h.app.world_mut().query::<(&CellSprite, &Transform, &Sprite)>();
    let mut tumour = 0;
    for (tag, transform, sprite) in query.iter(h.app.world()) {
        let cell = frame.cell(tag.id).unwrap();
        assert_eq!(tag.kind, cell.kind);
        assert_eq!(transform.translation.truncate(), lane.site_centre(cell.x as f32, cell.y as f32));
        let c = bonesim::palette::cell_colour(cell.kind);
        assert_eq!(sprite.color, Color::srgb_u8(c[0], c[1], c[2]));
        tumour += usize::from(cell.kind == bonesim::cells::CellKind::Tumor);
    }
    assert_eq!(tumour, h.current().shown.readouts[0].tumor_cells);
    // The tissue texture holds the frame's colours, in place (one image per layer).
    let layers = h.app.world().resource::<TissueLayers>();
    let handle = layers.lanes[0].tissue.clone();
    let image = h.app.world().resource::<Assets<Image>>().get(&handle).unwrap();
    let mut expected = vec![0; frame.sites.len() * 4];
    paint_tissue(&frame, &mut expected);
    assert_eq!(image.data.as_deref(), Some(&expected[..]));
    assert_eq!(h.app.world().resource::<Assets<Image>>().len(), layers.lanes.len() * 3 + art_images());
}

/// Images of the cell shapes.
fn art_images() -> usize {
    7 + crate::cells::MAX_DRAWN_NUCLEI as usize - 1
}

#[test]
fn keys_play_step_speed_up_and_choose_the_overlay() {
    let mut h = harness(&args("homeostasis", &[]));
    assert!(!h.current().shown.status.playing);
    h.press(&[KeyCode::Space]);
    assert!(h.current().shown.status.playing, "Space plays");
    h.frame(5);
    assert_eq!(h.current().frame(0).unwrap().tick, 5);
    h.press(&[KeyCode::Space]);
    assert!(!h.current().shown.status.playing, "Space pauses");
    h.press(&[KeyCode::KeyN]);
    assert_eq!(h.current().frame(0).unwrap().tick, 29, "N steps a day");
    h.press(&[KeyCode::ShiftLeft, KeyCode::KeyN]);
    assert_eq!(h.current().frame(0).unwrap().tick, 30, "Shift+N steps a tick");
    h.press_quick(&[KeyCode::ShiftLeft], &[KeyCode::KeyN]);
    assert_eq!(h.current().frame(0).unwrap().tick, 31, "Shift let go within the frame still counts");
    let speed = h.current().shown.status.speed_days_per_s;
    h.press(&[KeyCode::BracketRight]);
    assert!(h.current().shown.status.speed_days_per_s > speed);
    h.press(&[KeyCode::KeyF]);
    assert_eq!(h.app.world().resource::<Overlay>().field, Some(FieldId::Il6));
    h.frame(0);
    let frame = h.current().frame(0).unwrap();
    assert_eq!((frame.field, frame.field_pm.len()), (Some(FieldId::Il6), 60 * 48), "the frames carry IL-6 now");
    // M holds the colour bar's top at the largest value now; it stays while the field grows.
    h.press(&[KeyCode::KeyM]);
    let held = h.app.world().resource::<Overlay>().fixed_max_pm;
    assert_eq!(held, Some(h.current().frame(0).unwrap().field_max_pm));
    assert!(held.is_some_and(|m| m > 0.0), "IL-6 is somewhere: {held:?}");
    h.press(&[KeyCode::KeyN]);
    assert_eq!(h.app.world().resource::<Overlay>().fixed_max_pm, held);
    h.press(&[KeyCode::KeyM]);
    assert_eq!(h.app.world().resource::<Overlay>().fixed_max_pm, None, "M again lets it follow");
    h.press(&[KeyCode::ShiftLeft, KeyCode::KeyF]);
    assert_eq!(h.app.world().resource::<Overlay>().field, None, "Shift+F goes back");
    h.press(&[KeyCode::KeyL]);
    assert!(!h.app.world().resource::<UiState>().legend, "L hides the legend");
    h.press(&[KeyCode::ShiftLeft, KeyCode::Slash]);
    assert!(h.app.world().resource::<UiState>().help, "? shows the help");
    h.press(&[KeyCode::Escape]);
    assert!(!h.app.world().resource::<UiState>().help);
}

#[test]
fn interventions_from_the_keys_are_recorded_and_exported_for_the_command_line() {
    let mut h = harness(&args("homeostasis", &[]));
    h.press(&[KeyCode::KeyN]);
    h.press(&[KeyCode::KeyI]);
    h.press(&[KeyCode::KeyT]);
    let scenario = &h.current().shown.status.scenarios[0];
    assert_eq!(scenario.inflammation.len(), 1);
    assert_eq!(scenario.inflammation[0].day, 1.0, "recorded on the day it was given");
    assert_eq!(scenario.therapy[0].start_day, 1.0);
    assert!(h.log().iter().any(|l| l.contains("LPS challenge")), "{:?}", h.log());
    h.act(ViewerAction::ChangeParameter { name: "osteoclast.lifespan_days".into(), value: 9.0 });
    h.act(ViewerAction::ChangeParameter { name: "stroma.density".into(), value: 0.2 });
    let scenario = h.current().shown.status.scenarios[0].clone();
    assert_eq!(scenario.parameter_change.len(), 1);
    assert!(h.log().iter().any(|l| l.contains("refused") && l.contains("stroma.density")), "{:?}", h.log());
    h.press(&[KeyCode::KeyN]);
    h.press(&[KeyCode::KeyE]);
    let written = h.app.world().resource::<Outputs>().written.clone();
    assert_eq!(written.len(), 2, "{written:?}");
    let csv = std::fs::read_to_string(&written[0]).unwrap();
    assert_eq!(csv.lines().count(), 1 + 3, "a header and days 0, 1 and 2");
    assert!(csv.starts_with("day,bv_tv,bone_rel,osteoclasts,"));
    // The scenario as run, replayed from scratch by the engine, ends where the viewer is.
    let recorded: bonesim::Scenario = toml::from_str(&std::fs::read_to_string(&written[1]).unwrap()).unwrap();
    assert_eq!(recorded, scenario);
    let mut sim = bonesim::Sim::new(&recorded, None).unwrap();
    for _ in 0..48 {
        sim.step();
    }
    assert_eq!(h.current().shown.readouts[0], sim.readouts());
    let last_row = csv.lines().last().unwrap();
    let engine_row: Vec<String> = sim.readouts().columns().iter().map(|(_, v)| format!("{v}")).collect();
    assert_eq!(last_row, engine_row.join(","), "the numbers `bonesim run` writes");
    h.press(&[KeyCode::F12]);
    let shots = &h.app.world().resource::<Outputs>().screenshots;
    assert!(shots[0].ends_with("homeostasis-day0002.png"), "{shots:?}");
}

#[test]
fn restarts_replay_the_interventions_or_take_a_parameter_checked_like_set() {
    let mut h = harness(&args("homeostasis", &[]));
    h.press(&[KeyCode::KeyN]);
    h.press(&[KeyCode::KeyI]);
    h.press(&[KeyCode::KeyN]);
    let before = h.current().shown.readouts[0].clone();
    h.press(&[KeyCode::ShiftLeft, KeyCode::KeyR]);
    assert_eq!(h.current().frame(0).unwrap().tick, 0);
    assert_eq!(h.current().shown.status.scenarios[0].inflammation.len(), 1, "the replay keeps the challenge");
    h.press(&[KeyCode::KeyN]);
    h.press(&[KeyCode::KeyN]);
    assert_eq!(h.current().shown.readouts[0], before, "and gives the same run");
    assert_eq!(h.app.world().resource::<History>().lanes[0].len(), 3, "plots restart with the run");
    h.press(&[KeyCode::KeyR]);
    assert!(h.current().shown.status.scenarios[0].inflammation.is_empty(), "a restart does not");
    h.act(ViewerAction::RestartWith { name: "osteoclast.lifespan_dayz".into(), value: "9".into() });
    assert!(h.log().iter().any(|l| l.contains("did you mean")), "{:?}", h.log());
    h.act(ViewerAction::RestartWith { name: "osteoclast.lifespan_days".into(), value: "9".into() });
    let s = &h.current().shown.status.scenarios[0];
    assert_eq!(s.parameters.get("osteoclast.lifespan_days"), Some(&9.0));
    assert_eq!(h.current().shown.status.labels[0], "homeostasis (osteoclast.lifespan_days=9)");
}

#[test]
fn captions_follow_the_simulation_pause_it_and_answer_the_keys() {
    let mut h = harness(&args("breast-osteolytic", &["--classroom"]));
    let file = h.app.world().resource::<Captions>().active.clone().expect("breast-osteolytic has captions");
    assert!(file.captions.len() >= 3);
    let first = h.app.world().resource::<Captions>().shown().cloned();
    assert_eq!(first.as_ref().map(|c| c.day), Some(0.0), "the first caption is the injection's");
    h.press(&[KeyCode::KeyC]);
    assert_eq!(h.app.world().resource::<Captions>().shown(), Some(&file.captions[1]), "C shows the next");
    h.press(&[KeyCode::ShiftLeft, KeyCode::KeyC]);
    assert_eq!(h.app.world().resource::<Captions>().shown(), first.as_ref());
    // Playing, the simulation pauses on the next caption's day and shows it.
    h.press(&[KeyCode::Space]);
    h.frame(10_000);
    let tick = h.current().frame(0).unwrap().tick;
    assert_eq!(tick, h.current().tick_of_day(file.captions[1].day));
    assert!(!h.current().shown.status.playing);
    assert_eq!(h.app.world().resource::<Captions>().shown(), Some(&file.captions[1]));
    assert!(h.app.world().resource::<UiState>().legend, "the legend stays in classroom mode");
    h.press(&[KeyCode::KeyL]);
    assert!(h.app.world().resource::<UiState>().legend);
}

#[test]
fn two_lanes_step_in_lockstep_with_one_set_of_controls() {
    let mut h = harness(&args("estrogen-deprivation", &["--compare-set", "patient.estrogen=1"]));
    let layout = h.app.world().resource::<Layout>().clone();
    assert_eq!(layout.lanes.len(), 2);
    assert!(layout.lanes[1].origin.x > layout.lanes[0].size.x, "side by side");
    h.press(&[KeyCode::Space]);
    for ticks in [7, 30, 1] {
        h.frame(ticks);
        let frames = &h.current().shown.frames;
        assert_eq!(frames[0].tick, frames[1].tick, "lockstep");
    }
    let (on_screen, in_frames) = ids(&mut h);
    assert_eq!(on_screen, in_frames, "each lane's cells, in its own lane");
    h.press(&[KeyCode::Space]);
    // Therapy for the right lane only.
    h.app.world_mut().resource_mut::<UiState>().target_lanes = vec![false, true];
    h.press(&[KeyCode::KeyT]);
    let scenarios = &h.current().shown.status.scenarios;
    assert!(scenarios[0].therapy.is_empty());
    assert_eq!(scenarios[1].therapy.len(), 1);
    assert_eq!(h.current().shown.status.labels[1], "estrogen-deprivation (patient.estrogen=1)");
}

#[test]
fn other_scenarios_open_alone_or_beside_the_first_with_errors_in_the_log() {
    let mut h = harness(&args("homeostasis", &[]));
    let source = |name: &str, sets: &[(&str, &str)]| crate::setup::LaneSource {
        scenario: name.into(),
        sets: sets.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        seed: None,
        days: None,
    };
    h.act(ViewerAction::Open(vec![source("myeloma", &[("domain.width", "40"), ("domain.height", "40")])]));
    assert_eq!(h.current().shown.status.labels, vec!["myeloma"]);
    assert_eq!(h.current().frame(0).unwrap().width, 40);
    assert_eq!(h.app.world().resource::<History>().lanes[0].len(), 1, "the plots start again");
    let with = [("domain.width", "40"), ("domain.height", "40"), ("patient.il6_knockout", "true")];
    h.act(ViewerAction::OpenBeside(source("myeloma", &with)));
    assert_eq!(h.current().shown.frames.len(), 2);
    assert!(h.current().shown.status.scenarios[1].patient.il6_knockout);
    h.act(ViewerAction::Open(vec![source("no-such-scenario", &[])]));
    assert!(h.log().iter().any(|l| l.contains("cannot open") && l.contains("no bundled scenario")), "{:?}", h.log());
    assert_eq!(h.current().shown.frames.len(), 2, "what runs goes on");
}

#[test]
fn a_click_picks_the_nearest_cell_in_the_lane_under_the_pointer() {
    let mut h = harness(&args("homeostasis", &["--compare", "homeostasis"]));
    h.frame(0);
    let layout = h.app.world().resource::<Layout>().clone();
    let current = h.app.world().resource::<Current>();
    let cell = current.frame(1).unwrap().cells[10];
    let at = layout.lanes[1].site_centre(cell.x as f32, cell.y as f32) + Vec2::new(0.3, -0.2);
    assert_eq!(crate::camera::pick(&layout, current, at, 1.5), Some((1, cell.id)));
    assert_eq!(crate::camera::pick(&layout, current, Vec2::new(-100.0, 0.0), 1.5), None);
}
