//! Classroom captions: a guided sequence of short texts, each tied to a simulated day,
//! read from `assets/captions/*.toml` (a teacher can edit them or add one for any
//! scenario), with copies built in for when the viewer runs away from the repository.
//!
//! A caption file names the scenario it goes with (its `name`), and for a side-by-side
//! comparison the second one too:
//!
//! ```toml
//! scenario = "breast-osteolytic"
//! # compare = "…"            # only for a side-by-side pair
//! [[caption]]
//! day = 0
//! text = "Breast cancer cells have just been injected into the marrow."
//! ```
//!
//! The caption shown is the last one whose day has come; `C` and `Shift+C` step through
//! them by hand until the simulation reaches the next caption's day. In classroom mode the
//! simulation pauses at each caption's day, so the class can read it (Space goes on).

use crate::state::{Current, Link, Log};
use crate::worker::Command;
use bevy::prelude::*;
use serde::Deserialize;
use std::path::Path;

/// One caption.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Caption {
    /// Simulated day from which it is shown.
    pub day: f64,
    /// A few words in bold above the text.
    #[serde(default)]
    pub title: String,
    /// What it says.
    pub text: String,
}

/// A caption file.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CaptionFile {
    /// The scenario's `name`.
    pub scenario: String,
    /// The second scenario's `name`, for a side-by-side pair.
    #[serde(default)]
    pub compare: Option<String>,
    /// The captions, in order of day.
    #[serde(rename = "caption")]
    pub captions: Vec<Caption>,
    /// Where it came from (set on loading).
    #[serde(skip)]
    pub origin: String,
}

/// The caption files built into the binary: the repository's `assets/captions/`.
const BUILT_IN: [(&str, &str); 7] = [
    ("breast-osteolytic.toml", include_str!("../../../assets/captions/breast-osteolytic.toml")),
    ("homeostasis.toml", include_str!("../../../assets/captions/homeostasis.toml")),
    ("prostate-osteoblastic.toml", include_str!("../../../assets/captions/prostate-osteoblastic.toml")),
    ("remodeling-event.toml", include_str!("../../../assets/captions/remodeling-event.toml")),
    ("inflammation.toml", include_str!("../../../assets/captions/inflammation.toml")),
    ("myeloma.toml", include_str!("../../../assets/captions/myeloma.toml")),
    (
        "estrogen-deprivation-vs-estrogen.toml",
        include_str!("../../../assets/captions/estrogen-deprivation-vs-estrogen.toml"),
    ),
];

/// Parses one caption file.
pub fn parse(text: &str, origin: &str) -> Result<CaptionFile, String> {
    let mut file: CaptionFile = toml::from_str(text).map_err(|e| format!("{origin}: {e}"))?;
    if let Some(c) = file.captions.iter().find(|c| !c.day.is_finite() || c.day < 0.0) {
        return Err(format!("{origin}: caption day {} is not a day (allowed: 0 or more)", c.day));
    }
    file.captions.sort_by(|a, b| a.day.total_cmp(&b.day));
    file.origin = origin.to_string();
    Ok(file)
}

/// Every caption file: those in `assets/captions/` if there is an assets folder, else the
/// built-in ones. Files that do not parse are reported, not fatal.
pub fn load_library(assets: Option<&Path>) -> (Vec<CaptionFile>, Vec<String>) {
    let (mut files, mut problems) = (Vec::new(), Vec::new());
    match assets {
        Some(dir) => {
            let dir = dir.join("captions");
            let mut paths: Vec<_> = std::fs::read_dir(&dir)
                .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
                .unwrap_or_default();
            paths.retain(|p: &std::path::PathBuf| p.extension().is_some_and(|x| x == "toml"));
            paths.sort();
            for path in paths {
                let origin = path.display().to_string();
                match std::fs::read_to_string(&path)
                    .map_err(|e| format!("{origin}: {e}"))
                    .and_then(|t| parse(&t, &origin))
                {
                    Ok(f) => files.push(f),
                    Err(e) => problems.push(e),
                }
            }
        }
        None => {
            for (name, text) in BUILT_IN {
                match parse(text, &format!("{name} (built in)")) {
                    Ok(f) => files.push(f),
                    Err(e) => problems.push(e),
                }
            }
        }
    }
    (files, problems)
}

/// The captions of the scenarios on screen, and which one is shown.
#[derive(Resource, Clone, Debug, Default)]
pub struct Captions {
    /// Every caption file found.
    pub library: Vec<CaptionFile>,
    /// The file for the scenarios on screen, if there is one.
    pub active: Option<CaptionFile>,
    /// The generation of lanes `active` was chosen for.
    matched_generation: u64,
    /// Caption chosen by key, until the simulation reaches the next one's day.
    manual: Option<usize>,
    /// The last caption whose day has come.
    auto: Option<usize>,
    /// Pause the simulation at each caption's day.
    pub pause_at_each: bool,
    /// Captions whose pause has been asked for.
    stops_sent: Vec<usize>,
}

impl Captions {
    /// Captions from `library`, pausing at each if `pause_at_each`.
    pub fn new(library: Vec<CaptionFile>, pause_at_each: bool) -> Captions {
        Captions { library, pause_at_each, ..Default::default() }
    }

    /// The index of the caption shown.
    pub fn shown_index(&self) -> Option<usize> {
        self.manual.or(self.auto)
    }

    /// The caption shown.
    pub fn shown(&self) -> Option<&Caption> {
        self.active.as_ref()?.captions.get(self.shown_index()?)
    }

    /// Steps the caption shown by `step` (±1) by hand.
    pub fn step(&mut self, step: i32, _day: f64) {
        let Some(active) = &self.active else { return };
        if active.captions.is_empty() {
            return;
        }
        let now = self.shown_index().map_or(-1, |i| i as i64);
        let next = (now + step as i64).clamp(0, active.captions.len() as i64 - 1);
        self.manual = Some(next as usize);
    }

    /// The lanes changed: choose the file again, start from the first caption.
    pub fn scenario_changed(&mut self) {
        self.matched_generation = 0;
    }

    /// The file for the scenarios `names` (the first lane, then the second).
    fn choose(&self, names: &[&str]) -> Option<CaptionFile> {
        let pair =
            |f: &&CaptionFile| names.len() == 2 && f.scenario == names[0] && f.compare.as_deref() == Some(names[1]);
        let single = |f: &&CaptionFile| f.scenario == names[0] && f.compare.is_none();
        self.library.iter().find(pair).or_else(|| self.library.iter().find(single)).cloned()
    }

    /// Follows the simulated day `day` of lanes `names` (generation `generation`).
    /// Returns the ticks at which the simulation should pause for a new caption.
    pub fn follow(&mut self, generation: u64, names: &[&str], day: f64, tick_of: impl Fn(f64) -> u64) -> Vec<u64> {
        if names.is_empty() {
            return Vec::new();
        }
        if self.matched_generation != generation {
            self.active = self.choose(names);
            self.matched_generation = generation;
            self.manual = None;
            self.auto = None;
            self.stops_sent.clear();
        }
        let Some(active) = &self.active else { return Vec::new() };
        // A little slack: a caption for day 3 shows at the tick that ends day 3.
        let auto = active.captions.iter().rposition(|c| c.day <= day + 1e-9);
        if auto != self.auto {
            self.auto = auto;
            self.manual = None;
        }
        let mut stops = Vec::new();
        if self.pause_at_each {
            for (i, c) in active.captions.iter().enumerate() {
                if c.day > day + 1e-9 && !self.stops_sent.contains(&i) {
                    self.stops_sent.push(i);
                    stops.push(tick_of(c.day));
                }
            }
        }
        stops
    }
}

/// Keeps the caption in step with the simulation, and asks for the classroom's pauses.
pub fn follow_captions(current: Res<Current>, link: Res<Link>, mut captions: ResMut<Captions>) {
    let status = &current.shown.status;
    let names: Vec<&str> = status.scenarios.iter().map(|s| s.name.as_str()).collect();
    for tick in captions.follow(status.generation, &names, current.day(), |d| current.tick_of_day(d)) {
        link.send(Command::StopAt(tick));
    }
}

/// Loads the caption files at start-up and reports any that do not parse.
pub fn report_caption_problems(mut problems: Vec<String>) -> impl FnMut(ResMut<Log>) {
    move |mut log: ResMut<Log>| {
        for p in problems.drain(..) {
            log.say(format!("caption file skipped: {p}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library() -> Vec<CaptionFile> {
        let text = r#"
            scenario = "a"
            [[caption]]
            day = 0
            text = "zero"
            [[caption]]
            day = 5
            text = "five"
            [[caption]]
            day = 2.5
            text = "two and a half"
        "#;
        let pair = "scenario = \"a\"\ncompare = \"b\"\n[[caption]]\nday = 1\ntext = \"pair\"\n";
        vec![parse(text, "a.toml").unwrap(), parse(pair, "ab.toml").unwrap()]
    }

    #[test]
    fn every_built_in_file_parses_and_is_the_assets_folder_s() {
        let (built_in, problems) = load_library(None);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(built_in.len(), BUILT_IN.len());
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets");
        let (on_disk, problems) = load_library(Some(&dir));
        assert!(problems.is_empty(), "{problems:?}");
        let names = |files: &[CaptionFile]| {
            let mut n: Vec<_> =
                files.iter().map(|f| (f.scenario.clone(), f.compare.clone(), f.captions.clone())).collect();
            n.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
            n
        };
        assert_eq!(names(&built_in), names(&on_disk), "a caption file of assets/ is not built in");
        // Each names a bundled scenario.
        for f in &built_in {
            for name in std::iter::once(&f.scenario).chain(&f.compare) {
                let found = bonesim_scenario::bundled::names().iter().any(|n| {
                    bonesim_scenario::bundled::find(n)
                        .and_then(|t| toml::from_str::<toml::Table>(t).ok())
                        .is_some_and(|t| t.get("name").and_then(|v| v.as_str()) == Some(name))
                });
                assert!(found, "{}: no bundled scenario is named {name}", f.origin);
            }
        }
    }

    #[test]
    fn captions_follow_the_day_and_keys_step_until_the_next_one_comes() {
        let mut c = Captions::new(library(), false);
        c.follow(1, &["a"], 0.0, |d| (d * 24.0) as u64);
        assert_eq!(c.shown().unwrap().text, "zero");
        c.follow(1, &["a"], 2.6, |d| (d * 24.0) as u64);
        assert_eq!(c.shown().unwrap().text, "two and a half", "sorted by day");
        c.step(1, 2.6);
        assert_eq!(c.shown().unwrap().text, "five");
        c.follow(1, &["a"], 3.0, |d| (d * 24.0) as u64);
        assert_eq!(c.shown().unwrap().text, "five", "a key's choice holds");
        c.step(-1, 3.0);
        c.step(-1, 3.0);
        c.step(-1, 3.0);
        assert_eq!(c.shown().unwrap().text, "zero", "and stops at the first");
        c.follow(1, &["a"], 5.0, |d| (d * 24.0) as u64);
        assert_eq!(c.shown().unwrap().text, "five", "until the simulation reaches a new one");
    }

    #[test]
    fn a_pair_has_its_own_captions_and_pauses_are_asked_once() {
        let mut c = Captions::new(library(), true);
        let stops = c.follow(1, &["a", "b"], 0.0, |d| (d * 24.0) as u64);
        assert_eq!(c.active.as_ref().unwrap().origin, "ab.toml");
        assert_eq!(stops, vec![24]);
        assert!(c.shown().is_none(), "before the first caption's day");
        assert!(c.follow(1, &["a", "b"], 0.5, |d| (d * 24.0) as u64).is_empty());
        let stops = c.follow(2, &["a"], 0.0, |d| (d * 24.0) as u64);
        assert_eq!(c.active.as_ref().unwrap().origin, "a.toml");
        assert_eq!(stops, vec![60, 120]);
    }
}
