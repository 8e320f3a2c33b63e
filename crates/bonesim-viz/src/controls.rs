//! The controls: every button and every key becomes a [`ViewerAction`], and one system
//! carries the actions out (by commands to the simulation thread, or by changing what is
//! shown). The keyboard shortcuts are listed once, in [`SHORTCUTS`], which the help window
//! (`?`) shows.

use crate::camera::{FitRequested, InputFree};
use crate::classroom::Captions;
use crate::setup::{LaneSource, lane_specs};
use crate::state::{Current, History, Link, Log, Overlay, Selected, next_speed};
use crate::worker::{Command, LaneSpec};
use bevy::app::AppExit;
use bevy::input::keyboard::{Key, KeyboardInput};
use bevy::prelude::*;
use bonesim::field::FieldId;
use bonesim::intervention::Intervention;
use bonesim::pharmacology::Species;
use bonesim::scenario::{Drug, InflammationEvent, InflammatoryAgent, ParameterChange, TherapySchedule};
use bonesim_scenario::{Override, load};
use std::path::PathBuf;

/// Something the user asked for, by key or by button.
#[derive(Message, Clone, Debug, PartialEq)]
pub enum ViewerAction {
    /// Play or pause.
    TogglePlay,
    /// Pause and step this many ticks.
    Step(u64),
    /// Pause and step one simulated day.
    StepDay,
    /// Next speed up.
    Faster,
    /// Next speed down.
    Slower,
    /// This speed, simulated days per second.
    SetSpeed(f64),
    /// Next (+1) or previous (-1) field overlay.
    CycleField(i32),
    /// This field overlay, or none.
    SetField(Option<FieldId>),
    /// Hold the colour bar's top where it is now, or let it follow the largest value again.
    ToggleHoldScale,
    /// Lesion outlines on or off.
    ToggleOutlines,
    /// A window or panel shown or hidden.
    Toggle(Panel),
    /// Fit every lane in the view.
    Fit,
    /// Save a screenshot into the output folder.
    Screenshot,
    /// Write the readouts so far and the scenario as run into the output folder.
    Export,
    /// Start the lanes again from day 0, without interventions.
    Restart,
    /// Start the lanes again from day 0 with the scenarios as run, interventions included.
    Replay,
    /// An inflammatory challenge now, in the chosen lanes, with the panel's settings.
    Inflame,
    /// A drug schedule from now, in the chosen lanes, with the panel's settings.
    Treat,
    /// A parameter change from now on, in the chosen lanes.
    ChangeParameter {
        /// Dotted name.
        name: String,
        /// New value.
        value: f64,
    },
    /// Start again from day 0 with a parameter set (as `--set NAME=VALUE`).
    RestartWith {
        /// Dotted name.
        name: String,
        /// Value, as typed.
        value: String,
    },
    /// Open other scenarios (file or bundled name): one, or two side by side.
    Open(Vec<LaneSource>),
    /// Open a scenario beside the first lane on screen (as it was loaded).
    OpenBeside(LaneSource),
    /// Tell the user something (in the log).
    Say(String),
    /// Next (+1) or previous (-1) caption.
    Caption(i32),
    /// Clear the selection, close the help.
    Escape,
    /// Close the viewer.
    Quit,
}

/// Windows and panels that can be shown or hidden.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Panel {
    /// The keyboard shortcuts.
    Help,
    /// The colour legend.
    Legend,
    /// The live plots.
    Plots,
    /// Interventions and parameters.
    Interventions,
    /// Opening scenarios.
    Open,
}

/// What is shown, and the settings of the intervention forms.
#[derive(Resource, Clone, Debug)]
pub struct UiState {
    /// Classroom mode: large type, legend always shown, captions.
    pub classroom: bool,
    /// Help window.
    pub help: bool,
    /// Legend.
    pub legend: bool,
    /// Plots.
    pub plots: bool,
    /// Interventions panel.
    pub interventions: bool,
    /// Open-scenario window.
    pub open: bool,
    /// The inflammation the `I` key gives.
    pub inflammation: InflammationEvent,
    /// The therapy the `T` key starts.
    pub therapy: TherapySchedule,
    /// Which lanes interventions go to (side by side): each lane's flag.
    pub target_lanes: Vec<bool>,
}

impl Default for UiState {
    fn default() -> Self {
        UiState {
            classroom: false,
            help: false,
            legend: true,
            plots: true,
            interventions: true,
            open: false,
            inflammation: InflammationEvent { agent: InflammatoryAgent::Lps, ..Default::default() },
            therapy: TherapySchedule { drug: Drug::Denosumab, dose: 60.0, every_days: 28.0, doses: 3, start_day: 0.0 },
            target_lanes: vec![true],
        }
    }
}

impl UiState {
    /// The lanes chosen for interventions, of `n`.
    pub fn lanes(&self, n: usize) -> Vec<usize> {
        (0..n).filter(|&i| self.target_lanes.get(i).copied().unwrap_or(i == 0)).collect()
    }
}

/// The drugs the therapy form offers: every drug the engine knows.
pub const DRUGS: [Drug; Drug::ALL.len()] = Drug::ALL;

/// A drug as people name it.
pub fn drug_name(d: Drug) -> &'static str {
    match d {
        Drug::Tocilizumab => "tocilizumab",
        Drug::Mr16_1 => "MR16-1",
        Drug::Siltuximab => "siltuximab",
        Drug::Amg220 => "AMG-220",
        Drug::Denosumab => "denosumab",
        Drug::OpgFc => "OPG-Fc",
        Drug::ZoledronicAcid => "zoledronic acid",
        Drug::Docetaxel => "docetaxel",
        Drug::Paclitaxel => "paclitaxel",
        Drug::Cxcr4Antagonist => "CXCR4 antagonist",
        Drug::Estradiol => "estradiol",
        Drug::Testosterone => "testosterone",
        Drug::NfkbInhibitor => "NF-κB inhibitor",
        Drug::Degarelix => "degarelix",
    }
}

/// The unit of a drug's dose as the engine reads `[[therapy]]`: one unit where the human and
/// mouse regimens share it, else each with its species (a drug given to the wrong species is
/// refused by the engine, and the log says why).
pub fn drug_unit(d: Drug) -> String {
    match (dose_unit(d, Species::Human), dose_unit(d, Species::Mouse)) {
        (Some(h), Some(m)) if h == m => h.to_string(),
        (Some(h), Some(m)) => format!("{h} (human), {m} (mouse)"),
        (Some(h), None) => format!("{h} (human only)"),
        (None, Some(m)) => format!("{m} (mouse only)"),
        (None, None) => String::new(),
    }
}

/// The unit of a drug's dose for a `species` patient (`None` if not given to that species).
fn dose_unit(d: Drug, species: Species) -> Option<&'static str> {
    d.info().regimen(species).ok().map(|r| r.dose_unit.label())
}

/// An inflammatory agent as people name it.
pub fn agent_name(a: InflammatoryAgent) -> &'static str {
    match a {
        InflammatoryAgent::Lps => "LPS",
        InflammatoryAgent::Il1b => "IL-1β",
        InflammatoryAgent::Pge2 => "PGE2",
    }
}

/// One line for the log: what an intervention did, to a `species` patient.
pub fn describe(intervention: &Intervention, species: Species) -> String {
    match intervention {
        Intervention::Inflammation(e) if e.doses > 1 => {
            format!("{} challenge, dose {}, × {} every {} d", agent_name(e.agent), e.dose, e.doses, e.every_days)
        }
        Intervention::Inflammation(e) => format!("{} challenge, dose {}", agent_name(e.agent), e.dose),
        Intervention::Therapy(t) => {
            let unit = dose_unit(t.drug, species).unwrap_or("");
            format!("{} {} {unit}, × {} every {} d", drug_name(t.drug), t.dose, t.doses, t.every_days)
        }
        Intervention::Parameter(c) => format!("{} = {} from now on", c.name, c.value),
    }
}

/// What the lanes were loaded from (for restarts and parameter changes).
#[derive(Resource, Clone, Debug, Default)]
pub struct Specs(pub Vec<LaneSpec>);

/// Where screenshots and exports go, and the screenshots asked for and not yet taken.
#[derive(Resource, Clone, Debug, Default)]
pub struct Outputs {
    /// Output folder.
    pub dir: PathBuf,
    /// Screenshots to take, by path.
    pub screenshots: Vec<PathBuf>,
    /// Files written so far.
    pub written: Vec<PathBuf>,
}

/// One keyboard shortcut: the keys as shown, and what they do.
pub struct Shortcut {
    /// Keys.
    pub keys: &'static str,
    /// Effect.
    pub does: &'static str,
}

/// Every keyboard shortcut, as the help window lists them.
pub const SHORTCUTS: [Shortcut; 23] = [
    Shortcut { keys: "Space", does: "play / pause" },
    Shortcut { keys: "N", does: "step one day (Shift+N: one tick)" },
    Shortcut { keys: "] [", does: "faster / slower (simulated days per second)" },
    Shortcut { keys: "arrows, WASD", does: "pan" },
    Shortcut { keys: "+ -, wheel", does: "zoom" },
    Shortcut { keys: "drag", does: "pan" },
    Shortcut { keys: "click", does: "inspect a cell" },
    Shortcut { keys: "Home, 0", does: "fit the tissue in view" },
    Shortcut { keys: "F", does: "next field overlay (Shift+F: previous; after the last, none)" },
    Shortcut { keys: "M", does: "hold the colour bar's top (again: follow the largest value)" },
    Shortcut { keys: "B", does: "lytic and blastic outlines on / off" },
    Shortcut { keys: "L", does: "legend" },
    Shortcut { keys: "G", does: "plots" },
    Shortcut { keys: "P", does: "interventions and parameters panel" },
    Shortcut { keys: "I", does: "inflammation now (panel's agent and dose)" },
    Shortcut { keys: "T", does: "start the panel's therapy now" },
    Shortcut { keys: "O", does: "open another scenario, or two side by side" },
    Shortcut { keys: "R", does: "restart from day 0 (Shift+R: replay with the interventions)" },
    Shortcut { keys: "C", does: "next caption (Shift+C: previous)" },
    Shortcut { keys: "F12", does: "screenshot (into the output folder)" },
    Shortcut { keys: "E", does: "export readouts (CSV) and the scenario as run (TOML)" },
    Shortcut { keys: "Esc", does: "clear the selection, close windows" },
    Shortcut { keys: "? H F1  Ctrl+Q", does: "this help;  quit" },
];

/// The controls.
pub fn controls_plugin(app: &mut App) {
    app.add_message::<ViewerAction>().init_resource::<UiState>().init_resource::<Specs>().init_resource::<Outputs>();
}

/// Turns key presses into actions (unless a text field has the keyboard). Keys are read
/// by position (`KeyCode`), except `?`, read by the character it types on any layout.
pub fn read_keys(
    keys: Res<ButtonInput<KeyCode>>,
    mut typed: MessageReader<KeyboardInput>,
    free: Res<InputFree>,
    mut actions: MessageWriter<ViewerAction>,
) {
    let question =
        typed.read().any(|k| k.state.is_pressed() && matches!(&k.logical_key, Key::Character(c) if c.as_str() == "?"));
    if !free.keyboard {
        return;
    }
    if question {
        actions.write(ViewerAction::Toggle(Panel::Help));
    }
    // A modifier counts if it is held or was let go this frame: at a low frame rate
    // (software rendering) a quick Shift+N can press and release Shift within one frame.
    let held = |pair: [KeyCode; 2]| keys.any_pressed(pair) || keys.any_just_released(pair);
    let shift = held([KeyCode::ShiftLeft, KeyCode::ShiftRight]);
    let ctrl = held([KeyCode::ControlLeft, KeyCode::ControlRight]);
    let sign = if shift { -1 } else { 1 };
    for &key in keys.get_just_pressed() {
        let action = match key {
            KeyCode::KeyQ if ctrl => ViewerAction::Quit,
            _ if ctrl => continue,
            KeyCode::Space => ViewerAction::TogglePlay,
            KeyCode::KeyN if shift => ViewerAction::Step(1),
            KeyCode::KeyN => ViewerAction::StepDay,
            KeyCode::BracketRight => ViewerAction::Faster,
            KeyCode::BracketLeft => ViewerAction::Slower,
            KeyCode::Home | KeyCode::Digit0 | KeyCode::Numpad0 => ViewerAction::Fit,
            KeyCode::KeyF => ViewerAction::CycleField(sign),
            KeyCode::KeyM => ViewerAction::ToggleHoldScale,
            KeyCode::KeyB => ViewerAction::ToggleOutlines,
            KeyCode::KeyL => ViewerAction::Toggle(Panel::Legend),
            KeyCode::KeyG => ViewerAction::Toggle(Panel::Plots),
            KeyCode::KeyP => ViewerAction::Toggle(Panel::Interventions),
            KeyCode::KeyO => ViewerAction::Toggle(Panel::Open),
            KeyCode::KeyI => ViewerAction::Inflame,
            KeyCode::KeyT => ViewerAction::Treat,
            KeyCode::KeyR if shift => ViewerAction::Replay,
            KeyCode::KeyR => ViewerAction::Restart,
            KeyCode::KeyC => ViewerAction::Caption(sign),
            KeyCode::F12 => ViewerAction::Screenshot,
            KeyCode::KeyE => ViewerAction::Export,
            KeyCode::Escape => ViewerAction::Escape,
            // Shift+/ types `?` on a US layout (handled above when it does).
            KeyCode::Slash if shift && !question => ViewerAction::Toggle(Panel::Help),
            KeyCode::KeyH | KeyCode::F1 => ViewerAction::Toggle(Panel::Help),
            _ => continue,
        };
        actions.write(action);
    }
}

/// Carries out the actions of this frame.
#[allow(clippy::too_many_arguments, reason = "a system takes what it reads")]
pub fn apply_actions(
    mut actions: MessageReader<ViewerAction>,
    link: Res<Link>,
    current: Res<Current>,
    history: Res<History>,
    mut ui: ResMut<UiState>,
    mut overlay: ResMut<Overlay>,
    mut selected: ResMut<Selected>,
    mut fit: ResMut<FitRequested>,
    mut specs: ResMut<Specs>,
    mut outputs: ResMut<Outputs>,
    mut captions: ResMut<Captions>,
    mut log: ResMut<Log>,
    mut exit: MessageWriter<AppExit>,
) {
    let status = &current.shown.status;
    let lanes = ui.lanes(status.labels.len().max(1));
    for action in actions.read() {
        match action.clone() {
            ViewerAction::TogglePlay => link.send(Command::SetPlaying(!status.playing)),
            ViewerAction::Step(ticks) => link.send(Command::Step { ticks }),
            ViewerAction::StepDay => link.send(Command::Step { ticks: current.tick_of_day(1.0).max(1) }),
            ViewerAction::Faster => link.send(Command::SetSpeed(next_speed(status.speed_days_per_s, 1))),
            ViewerAction::Slower => link.send(Command::SetSpeed(next_speed(status.speed_days_per_s, -1))),
            ViewerAction::SetSpeed(s) => link.send(Command::SetSpeed(s)),
            ViewerAction::CycleField(step) => {
                let next = overlay.cycled(step);
                set_field(&link, &mut overlay, next);
            }
            ViewerAction::SetField(field) => set_field(&link, &mut overlay, field),
            ViewerAction::ToggleHoldScale => {
                overlay.fixed_max_pm = match overlay.fixed_max_pm {
                    Some(_) => None,
                    None => Some(overlay.scale_max_pm(&current.shown.frames)),
                };
            }
            ViewerAction::ToggleOutlines => overlay.outlines = !overlay.outlines,
            ViewerAction::Toggle(panel) => {
                let flag = match panel {
                    Panel::Help => &mut ui.help,
                    Panel::Legend if ui.classroom => continue,
                    Panel::Legend => &mut ui.legend,
                    Panel::Plots => &mut ui.plots,
                    Panel::Interventions => &mut ui.interventions,
                    Panel::Open => &mut ui.open,
                };
                *flag = !*flag;
            }
            ViewerAction::Fit => fit.0 = true,
            ViewerAction::Screenshot => {
                let path = outputs.dir.join(format!("{}.png", file_stem(&current)));
                outputs.screenshots.push(path);
            }
            ViewerAction::Export => match export(&outputs.dir, &current, &history) {
                Ok(files) => {
                    log.say(format!(
                        "exported {}",
                        files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join(", ")
                    ));
                    outputs.written.extend(files);
                }
                Err(e) => log.say(format!("export failed: {e}")),
            },
            ViewerAction::Restart => {
                selected.0 = None;
                link.send(Command::Load(specs.0.clone()));
            }
            ViewerAction::Replay => {
                selected.0 = None;
                let replay: Vec<LaneSpec> = specs
                    .0
                    .iter()
                    .zip(&status.scenarios)
                    .map(|(spec, run)| {
                        let mut spec = spec.clone();
                        spec.loaded.scenario = run.clone();
                        spec
                    })
                    .collect();
                link.send(Command::Load(replay));
            }
            ViewerAction::Inflame => {
                let intervention = Intervention::Inflammation(ui.inflammation.clone());
                link.send(Command::Intervene { lanes: lanes.clone(), intervention });
            }
            ViewerAction::Treat => {
                let intervention = Intervention::Therapy(ui.therapy.clone());
                link.send(Command::Intervene { lanes: lanes.clone(), intervention });
            }
            ViewerAction::ChangeParameter { name, value } => {
                let intervention = Intervention::Parameter(ParameterChange { day: 0.0, name, value });
                link.send(Command::Intervene { lanes: lanes.clone(), intervention });
            }
            ViewerAction::RestartWith { name, value } => match restart_with(&specs.0, &lanes, &name, &value) {
                Ok(new) => {
                    log.say(format!("restarting with {name} = {value}"));
                    specs.0.clone_from(&new);
                    selected.0 = None;
                    link.send(Command::Load(new));
                }
                Err(e) => log.say(format!("refused: {e}")),
            },
            ViewerAction::Say(line) => log.say(line),
            ViewerAction::OpenBeside(source) => match lane_specs(std::slice::from_ref(&source)) {
                Ok(new) => {
                    let mut lanes: Vec<LaneSpec> = specs.0.first().cloned().into_iter().collect();
                    lanes.extend(new);
                    specs.0.clone_from(&lanes);
                    ui.target_lanes = vec![true; lanes.len()];
                    selected.0 = None;
                    captions.scenario_changed();
                    link.send(Command::Load(lanes));
                    ui.open = false;
                }
                Err(e) => log.say(format!("cannot open: {e}")),
            },
            ViewerAction::Open(sources) => match lane_specs(&sources) {
                Ok(new) => {
                    specs.0.clone_from(&new);
                    ui.target_lanes = vec![true; new.len()];
                    selected.0 = None;
                    captions.scenario_changed();
                    link.send(Command::Load(new));
                    ui.open = false;
                }
                Err(e) => log.say(format!("cannot open: {e}")),
            },
            ViewerAction::Caption(step) => captions.step(step, current.day()),
            ViewerAction::Escape => {
                selected.0 = None;
                ui.help = false;
                ui.open = false;
            }
            ViewerAction::Quit => {
                exit.write(AppExit::Success);
            }
        }
    }
}

fn set_field(link: &Link, overlay: &mut Overlay, field: Option<FieldId>) {
    if overlay.field != field {
        overlay.field = field;
        overlay.fixed_max_pm = None;
        link.send(Command::SetField(field));
    }
}

/// The lanes restarted from day 0 with `name` set to `value` in the chosen ones, checked
/// as `--set NAME=VALUE` is.
fn restart_with(specs: &[LaneSpec], lanes: &[usize], name: &str, value: &str) -> Result<Vec<LaneSpec>, String> {
    specs
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            if !lanes.contains(&i) {
                return Ok(spec.clone());
            }
            let mut overrides = spec.loaded.overrides.clone();
            overrides.push(Override::from_set(name, value).map_err(|e| e.to_string())?);
            let seed = Some(spec.loaded.scenario.seed);
            let loaded = load(spec.loaded.source.clone(), overrides, seed).map_err(|e| e.to_string())?;
            Ok(LaneSpec { label: format!("{} ({name}={value})", spec.label), loaded })
        })
        .collect()
}

/// `<scenario>-day<NNNN>` for file names.
pub fn file_stem(current: &Current) -> String {
    let name = current.shown.status.scenarios.first().map_or("bonesim", |s| s.name.as_str());
    let name: String = name.chars().map(|c| if c.is_alphanumeric() || "-_".contains(c) { c } else { '-' }).collect();
    let day = current.day();
    let compare = if current.shown.frames.len() > 1 { "-side-by-side" } else { "" };
    if (day - day.round()).abs() < 1e-9 {
        format!("{name}{compare}-day{:04}", day.round() as u64)
    } else {
        format!("{name}{compare}-day{day:07.2}")
    }
}

/// Writes each lane's readout rows (the columns of `timeseries.csv`, numbers as `bonesim
/// run` writes them) and its scenario as run into `dir`. Returns the files written.
pub fn export(dir: &std::path::Path, current: &Current, history: &History) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let stem = file_stem(current);
    let mut written = Vec::new();
    let n = history.lanes.len();
    for (i, rows) in history.lanes.iter().enumerate() {
        let lane = if n > 1 { format!("-lane{}", i + 1) } else { String::new() };
        let csv_path = dir.join(format!("{stem}{lane}-readouts.csv"));
        let mut text = String::new();
        if let Some(first) = rows.first() {
            let names: Vec<String> = first.columns().into_iter().map(|(n, _)| n).collect();
            text.push_str(&names.join(","));
            text.push('\n');
            for row in rows {
                let values: Vec<String> = row.columns().into_iter().map(|(_, v)| format!("{v}")).collect();
                text.push_str(&values.join(","));
                text.push('\n');
            }
        }
        write_atomically(&csv_path, text.as_bytes())?;
        written.push(csv_path);
        if let Some(scenario) = current.shown.status.scenarios.get(i) {
            let toml_path = dir.join(format!("{stem}{lane}-scenario.toml"));
            let text = toml::to_string(scenario).map_err(|e| format!("{}: {e}", toml_path.display()))?;
            let note = "# The scenario as run in bonesim-viz, interventions included: `bonesim run` on it\n\
                        # (same seed) gives the same run.\n";
            write_atomically(&toml_path, format!("{note}{text}").as_bytes())?;
            written.push(toml_path);
        }
    }
    Ok(written)
}

/// Writes `bytes` to a temporary name beside `path`, then renames it: never a half-written file.
pub fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> Result<(), String> {
    let tmp = path.with_extension("partial");
    std::fs::write(&tmp, bytes).map_err(|e| format!("{}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_therapy_form_offers_every_drug_a_scenario_may_name() {
        // serde lists every name `[[therapy]] drug` accepts when it meets an unknown one.
        let err = toml::from_str::<TherapySchedule>("drug = \"?\"").unwrap_err().to_string();
        let (_, names) = err.split_once("expected one of").expect(&err);
        let names: Vec<&str> = names.split('`').skip(1).step_by(2).collect();
        assert_eq!(names.len(), DRUGS.len(), "{err}");
        for name in names {
            let t: TherapySchedule = toml::from_str(&format!("drug = \"{name}\"")).unwrap();
            assert!(DRUGS.contains(&t.drug), "{name} is missing from the form");
        }
    }

    #[test]
    fn the_log_names_interventions_as_people_do() {
        let t = TherapySchedule { drug: Drug::ZoledronicAcid, dose: 4.0, every_days: 28.0, doses: 3, start_day: 0.0 };
        assert_eq!(describe(&Intervention::Therapy(t.clone()), Species::Human), "zoledronic acid 4 mg, × 3 every 28 d");
        assert_eq!(describe(&Intervention::Therapy(t), Species::Mouse), "zoledronic acid 4 mg/kg, × 3 every 28 d");
        let e = InflammationEvent { agent: InflammatoryAgent::Il1b, dose: 2.0, ..Default::default() };
        assert_eq!(describe(&Intervention::Inflammation(e), Species::Human), "IL-1β challenge, dose 2");
    }
}
