//! Scenarios: what a user asks the engine to simulate.
//!
//! These are the serde types of the scenario file (`scenarios/*.toml`), part of the public
//! contract (see `DESIGN.md`). Every key has a default, so a scenario file may be two lines
//! long. Reading the file and pointing at lines is the command line's job; this module only
//! defines the shape and checks the ranges ([`Scenario::validate`]), naming each bad key by
//! its dotted path.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use crate::pharmacology::{Drug, Species};

/// A complete scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Scenario {
    /// Short name, used in outputs.
    pub name: String,
    /// One or two sentences a student can read.
    pub description: String,
    /// Seed of every random stream of the run.
    pub seed: u64,
    /// Simulated time and output interval.
    pub time: TimeSettings,
    /// The piece of tissue.
    pub domain: DomainSettings,
    /// The host.
    pub patient: PatientSettings,
    /// The tumour, if any.
    pub tumor: TumorSettings,
    /// Acute inflammatory challenges.
    pub inflammation: Vec<InflammationEvent>,
    /// Drug schedules.
    pub therapy: Vec<TherapySchedule>,
    /// Bursts of osteoclast precursors placed by hand (to start a remodeling event).
    pub precursor_burst: Vec<PrecursorBurst>,
    /// Microdamage: osteocytes killed at a spot, which targets remodeling there.
    pub microdamage: Vec<Microdamage>,
    /// What the run writes besides the contract outputs.
    pub output: OutputSettings,
    /// Model parameters by dotted name, e.g. `"osteoclast.lifespan_days" = 14.0`.
    pub parameters: BTreeMap<String, f64>,
    /// Model parameters changed during the run (see [`crate::intervention`]).
    pub parameter_change: Vec<ParameterChange>,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            name: "unnamed".into(),
            description: String::new(),
            seed: 1,
            time: TimeSettings::default(),
            domain: DomainSettings::default(),
            patient: PatientSettings::default(),
            tumor: TumorSettings::default(),
            inflammation: Vec::new(),
            therapy: Vec::new(),
            precursor_burst: Vec::new(),
            microdamage: Vec::new(),
            output: OutputSettings::default(),
            parameters: BTreeMap::new(),
            parameter_change: Vec::new(),
        }
    }
}

/// `[time]`
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TimeSettings {
    /// Simulated days.
    pub days: f64,
    /// Length of one tick, hours.
    pub tick_hours: f64,
    /// Interval between rows of `timeseries.csv`, hours.
    pub output_every_hours: f64,
}

impl Default for TimeSettings {
    fn default() -> Self {
        TimeSettings { days: 90.0, tick_hours: 1.0, output_every_hours: 24.0 }
    }
}

/// `[domain]`
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DomainSettings {
    /// Sites across.
    pub width: usize,
    /// Sites down.
    pub height: usize,
    /// Edge of one site, µm.
    pub site_um: f64,
    /// `"trabecular"`, `"cortical"`, or `"image:path/to/slice.png"`.
    pub geometry: String,
    /// Target bone volume fraction of a generated geometry (BV/TV).
    pub bone_fraction: f64,
}

impl Default for DomainSettings {
    fn default() -> Self {
        DomainSettings { width: 400, height: 400, site_um: 10.0, geometry: "trabecular".into(), bone_fraction: 0.20 }
    }
}

/// Where the bone geometry comes from, parsed from [`DomainSettings::geometry`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GeometryKind {
    /// Generated trabecular bone: plates and rods with marrow between.
    Trabecular,
    /// Generated trabecular bone inside a cortical rim.
    Cortical,
    /// A greyscale image: bright is bone.
    Image(String),
}

impl DomainSettings {
    /// The geometry kind, or `None` if the string is not one of the allowed forms.
    pub fn geometry_kind(&self) -> Option<GeometryKind> {
        match self.geometry.as_str() {
            "trabecular" => Some(GeometryKind::Trabecular),
            "cortical" => Some(GeometryKind::Cortical),
            g => g
                .strip_prefix("image:")
                .filter(|p| !p.trim().is_empty())
                .map(|p| GeometryKind::Image(p.trim().to_string())),
        }
    }
}

/// `[patient]`
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PatientSettings {
    /// Estrogen level: 0 fully deprived, 1 normal.
    pub estrogen: f64,
    /// Testosterone level: 0 fully deprived, 1 normal.
    pub testosterone: f64,
    /// Host cells make no IL-6 (tumour cells still may).
    pub il6_knockout: bool,
    /// `"human"` or `"mouse"`: the host's remodeling state (a mouse's parameter defaults are
    /// [`crate::params::MOUSE_DEFAULTS`]), the serum compartment, what a dose in mg/kg or
    /// mg/m² amounts to, which drugs can be given, and their pharmacokinetics. The tumour
    /// scenarios are mice (human cancer cells in an immunodeficient host).
    pub species: Species,
    /// `"female"` (the default) or `"male"`. A man makes most of his estradiol from
    /// testosterone, so in a male host androgen deprivation lowers estradiol too
    /// ([`crate::pharmacology::hormones::host_levels`]).
    pub sex: Sex,
}

impl Default for PatientSettings {
    fn default() -> Self {
        PatientSettings {
            estrogen: 1.0,
            testosterone: 1.0,
            il6_knockout: false,
            species: Species::Human,
            sex: Sex::Female,
        }
    }
}

/// The host's sex: where its estradiol comes from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    /// Estradiol from the ovaries (or, after menopause, little of it): it does not follow
    /// testosterone.
    #[default]
    Female,
    /// Estradiol made mostly from testosterone by aromatase.
    Male,
}

/// Cancer types with a tumour-cell phenotype.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TumorType {
    /// No tumour.
    None,
    /// Breast cancer (MDA-MB-231-like): osteolytic.
    Breast,
    /// Prostate cancer (C4-2B-like): osteoblastic.
    Prostate,
    /// Multiple myeloma: osteolytic, makes no IL-6 itself.
    Myeloma,
    /// Lung cancer: mostly osteolytic.
    Lung,
    /// Renal cell carcinoma: osteolytic.
    Renal,
}

/// How tumour cells arrive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TumorPlacement {
    /// Injected into the marrow at the domain's centre (an intratibial injection).
    Injection,
    /// Arriving from the circulation at random vessels, then homing up CXCL12.
    Vessels,
}

/// `[tumor]`
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TumorSettings {
    /// The cancer type.
    #[serde(rename = "type")]
    pub kind: TumorType,
    /// Tumour cells placed at `seed_day`.
    pub seed_cells: u32,
    /// Day the tumour cells arrive.
    pub seed_day: f64,
    /// How they arrive.
    pub placement: TumorPlacement,
}

impl Default for TumorSettings {
    fn default() -> Self {
        TumorSettings { kind: TumorType::None, seed_cells: 0, seed_day: 0.0, placement: TumorPlacement::Injection }
    }
}

/// Inflammatory agents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InflammatoryAgent {
    /// Bacterial lipopolysaccharide (acts through NF-κB).
    Lps,
    /// Interleukin-1β.
    Il1b,
    /// Prostaglandin E2.
    Pge2,
}

/// `[[inflammation]]`: an acute challenge, given once or repeated (a lasting infection).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InflammationEvent {
    /// Day of the (first) challenge.
    pub day: f64,
    /// What is given.
    pub agent: InflammatoryAgent,
    /// Relative dose (1 = a standard challenge).
    pub dose: f64,
    /// Days between repeated challenges (used when `doses` > 1).
    pub every_days: f64,
    /// How many times the challenge is given.
    pub doses: u32,
}

impl Default for InflammationEvent {
    fn default() -> Self {
        InflammationEvent { day: 0.0, agent: InflammatoryAgent::Lps, dose: 1.0, every_days: 1.0, doses: 1 }
    }
}

impl InflammationEvent {
    /// The days on which the challenge is given.
    pub fn days(&self) -> impl Iterator<Item = f64> + '_ {
        (0..self.doses).map(|i| self.day + i as f64 * self.every_days)
    }
}

/// `[[therapy]]`: a dosing schedule. `bonesim drugs` lists each drug's dose unit, plausible
/// range and species.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TherapySchedule {
    /// The drug.
    pub drug: Drug,
    /// Day of the first dose.
    pub start_day: f64,
    /// Days between doses; for patches and pellets (mg/day), how long each one releases.
    pub every_days: f64,
    /// Number of doses.
    pub doses: u32,
    /// Dose in the drug's unit for the species: mg/kg, mg/m², mg, or mg/day released.
    pub dose: f64,
}

impl Default for TherapySchedule {
    fn default() -> Self {
        TherapySchedule { drug: Drug::Tocilizumab, start_day: 0.0, every_days: 28.0, doses: 1, dose: 8.0 }
    }
}

/// `[[precursor_burst]]`: osteoclast precursors placed at one spot, as a bone-marrow
/// injection or a focal recruitment signal would bring them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PrecursorBurst {
    /// Day they arrive.
    pub day: f64,
    /// Centre, µm from the left edge; negative means the domain's centre.
    pub x_um: f64,
    /// Centre, µm from the top edge; negative means the domain's centre.
    pub y_um: f64,
    /// Precursors placed, on the free bone-surface sites nearest the centre.
    pub count: u32,
}

impl Default for PrecursorBurst {
    fn default() -> Self {
        PrecursorBurst { day: 0.0, x_um: -1.0, y_um: -1.0, count: 20 }
    }
}

/// `[[microdamage]]`: a microcrack kills the osteocytes around a spot; their dying calls a
/// remodeling event there (Verborgt et al. 2000, J Bone Miner Res 15:60).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Microdamage {
    /// Day of the damage.
    pub day: f64,
    /// Centre, µm from the left edge; negative means the domain's centre.
    pub x_um: f64,
    /// Centre, µm from the top edge; negative means the domain's centre.
    pub y_um: f64,
    /// Radius within which osteocytes die, µm.
    pub radius_um: f64,
}

impl Default for Microdamage {
    fn default() -> Self {
        Microdamage { day: 0.0, x_um: -1.0, y_um: -1.0, radius_um: 60.0 }
    }
}

/// `[[parameter_change]]`: a model parameter takes a new value from `day` on (an
/// intervention made in the viewer is recorded as one).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ParameterChange {
    /// Day the new value takes effect (at the start of that day's tick).
    pub day: f64,
    /// The parameter's dotted name, as under `[parameters]`.
    pub name: String,
    /// Its new value.
    pub value: f64,
}

impl Default for ParameterChange {
    fn default() -> Self {
        ParameterChange { day: 0.0, name: String::new(), value: 0.0 }
    }
}

/// `[output]`
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OutputSettings {
    /// Days between PNG snapshots (0: only the first and last day).
    pub snapshot_every_days: f64,
    /// Fields drawn as heat maps in each snapshot, by name (see `bonesim fields`).
    pub snapshot_fields: Vec<String>,
}

impl Default for OutputSettings {
    fn default() -> Self {
        OutputSettings { snapshot_every_days: 0.0, snapshot_fields: vec!["rankl".into(), "tgfb".into()] }
    }
}

/// A scenario key whose value is out of range or inconsistent.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioError {
    /// Dotted path of the key, e.g. `time.days` or `therapy[1].dose`.
    pub key: String,
    /// What is wrong, and what is allowed.
    pub message: String,
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.key, self.message)
    }
}

impl std::error::Error for ScenarioError {}

/// Largest lattice side accepted (a 4000 × 4000 lattice is 4 cm at 10 µm).
pub const MAX_SIDE: usize = 4000;

/// Largest seed accepted: 2^63 − 1, the largest integer a TOML file can hold, so that the
/// `scenario.toml` a run writes can be read back.
pub const MAX_SEED: u64 = i64::MAX as u64;

/// An event's centre coordinate: a finite number; negative means the domain's centre.
fn check_centre(key: &str, value: f64, extent_um: f64) -> Result<(), ScenarioError> {
    if value.is_finite() && value < 0.0 {
        return Ok(());
    }
    check_range(key, value, 0.0, extent_um, " µm (inside the domain), or negative for its centre")
}

pub(crate) fn check_range(key: &str, value: f64, min: f64, max: f64, unit: &str) -> Result<(), ScenarioError> {
    if value.is_finite() && (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(ScenarioError {
            key: key.into(),
            message: format!("{value} is out of range: allowed {min} to {max}{unit}"),
        })
    }
}

impl Scenario {
    /// Checks every value against its allowed range. Parameter names and values under
    /// `[parameters]` are checked by [`crate::params::ModelParams::set`].
    pub fn validate(&self) -> Result<(), ScenarioError> {
        if self.seed > MAX_SEED {
            return Err(ScenarioError {
                key: "seed".into(),
                message: format!("{} is out of range: allowed 0 to {MAX_SEED} (2^63 − 1)", self.seed),
            });
        }
        let t = &self.time;
        check_range("time.days", t.days, 0.0, 36_500.0, " days")?;
        check_range("time.tick_hours", t.tick_hours, 1.0 / 60.0, 24.0, " hours")?;
        check_range("time.output_every_hours", t.output_every_hours, t.tick_hours, 24.0 * 3650.0, " hours")?;
        let d = &self.domain;
        check_range("domain.width", d.width as f64, 16.0, MAX_SIDE as f64, " sites")?;
        check_range("domain.height", d.height as f64, 16.0, MAX_SIDE as f64, " sites")?;
        check_range("domain.site_um", d.site_um, 1.0, 100.0, " µm")?;
        check_range("domain.bone_fraction", d.bone_fraction, 0.0, 0.6, "")?;
        if d.geometry_kind().is_none() {
            return Err(ScenarioError {
                key: "domain.geometry".into(),
                message: format!(
                    "\"{}\" is not a geometry: allowed \"trabecular\", \"cortical\" or \"image:path/to/slice.png\"",
                    d.geometry
                ),
            });
        }
        let p = &self.patient;
        check_range("patient.estrogen", p.estrogen, 0.0, 2.0, "")?;
        check_range("patient.testosterone", p.testosterone, 0.0, 2.0, "")?;
        check_range("tumor.seed_cells", self.tumor.seed_cells as f64, 0.0, 100_000.0, " cells")?;
        check_range("tumor.seed_day", self.tumor.seed_day, 0.0, 36_500.0, " days")?;
        for (i, e) in self.inflammation.iter().enumerate() {
            check_range(&format!("inflammation[{i}].day"), e.day, 0.0, 36_500.0, " days")?;
            check_range(&format!("inflammation[{i}].dose"), e.dose, 0.0, 100.0, "")?;
            check_range(&format!("inflammation[{i}].every_days"), e.every_days, 0.01, 36_500.0, " days")?;
            check_range(&format!("inflammation[{i}].doses"), e.doses as f64, 0.0, 10_000.0, "")?;
        }
        for (i, th) in self.therapy.iter().enumerate() {
            crate::pharmacology::check_therapy(i, th, p.species)?;
        }
        for (i, b) in self.precursor_burst.iter().enumerate() {
            check_range(&format!("precursor_burst[{i}].day"), b.day, 0.0, 36_500.0, " days")?;
            check_range(&format!("precursor_burst[{i}].count"), b.count as f64, 1.0, 10_000.0, " cells")?;
            let (wu, hu) = (d.width as f64 * d.site_um, d.height as f64 * d.site_um);
            check_centre(&format!("precursor_burst[{i}].x_um"), b.x_um, wu)?;
            check_centre(&format!("precursor_burst[{i}].y_um"), b.y_um, hu)?;
        }
        for (i, m) in self.microdamage.iter().enumerate() {
            check_range(&format!("microdamage[{i}].day"), m.day, 0.0, 36_500.0, " days")?;
            check_range(&format!("microdamage[{i}].radius_um"), m.radius_um, 0.0, 10_000.0, " µm")?;
            let (wu, hu) = (d.width as f64 * d.site_um, d.height as f64 * d.site_um);
            check_centre(&format!("microdamage[{i}].x_um"), m.x_um, wu)?;
            check_centre(&format!("microdamage[{i}].y_um"), m.y_um, hu)?;
        }
        crate::intervention::check_parameter_changes(self)?;
        check_range("output.snapshot_every_days", self.output.snapshot_every_days, 0.0, 36_500.0, " days")?;
        for (i, name) in self.output.snapshot_fields.iter().enumerate() {
            if crate::field::FieldId::from_name(name).is_none() {
                return Err(ScenarioError {
                    key: format!("output.snapshot_fields[{i}]"),
                    message: format!(
                        "\"{name}\" is not a field: allowed {}",
                        crate::field::FieldId::names().join(", ")
                    ),
                });
            }
        }
        Ok(())
    }

    /// What is allowed but probably not meant: a therapy that starts after the run ends.
    /// Front ends show these; the run goes ahead.
    pub fn warnings(&self) -> Vec<ScenarioError> {
        let mut warnings = Vec::new();
        for (i, th) in self.therapy.iter().enumerate() {
            if th.start_day >= self.time.days {
                warnings.push(ScenarioError {
                    key: format!("therapy[{i}].start_day"),
                    message: format!(
                        "{} starts on day {}, when the run has ended (time.days = {}): it is never given",
                        th.drug.name(),
                        th.start_day,
                        self.time.days
                    ),
                });
            }
        }
        warnings
    }

    /// Number of ticks in the run.
    pub fn ticks(&self) -> u64 {
        (self.time.days * 24.0 / self.time.tick_hours).round() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        assert_eq!(Scenario::default().validate(), Ok(()));
    }

    #[test]
    fn out_of_range_values_name_their_key() {
        let mut s = Scenario::default();
        s.time.days = -3.0;
        assert_eq!(s.validate().unwrap_err().key, "time.days");
        let mut s = Scenario::default();
        s.therapy.push(TherapySchedule { every_days: 0.0, doses: 2, ..Default::default() });
        assert_eq!(s.validate().unwrap_err().key, "therapy[0].every_days");
        let mut s = Scenario::default();
        s.patient.species = Species::Mouse;
        s.therapy.push(TherapySchedule::default());
        assert!(s.validate().unwrap_err().message.contains("mr16_1"));
        let mut s = Scenario::default();
        s.domain.geometry = "spongy".into();
        assert!(s.validate().unwrap_err().message.contains("trabecular"));
    }

    #[test]
    fn a_therapy_after_the_end_is_a_warning_not_an_error() {
        let mut s = Scenario::default();
        s.time.days = 10.0;
        s.therapy.push(TherapySchedule { start_day: 14.0, ..Default::default() });
        assert_eq!(s.validate(), Ok(()));
        let w = s.warnings();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].key, "therapy[0].start_day");
        assert!(w[0].message.contains("never given"));
    }

    #[test]
    fn event_centres_must_be_numbers_and_seeds_fit_a_toml_integer() {
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let mut s = Scenario::default();
            s.microdamage.push(Microdamage { x_um: bad, ..Default::default() });
            assert_eq!(s.validate().unwrap_err().key, "microdamage[0].x_um");
            let mut s = Scenario::default();
            s.precursor_burst.push(PrecursorBurst { y_um: bad, ..Default::default() });
            assert_eq!(s.validate().unwrap_err().key, "precursor_burst[0].y_um");
        }
        let mut s = Scenario::default();
        s.microdamage.push(Microdamage { x_um: -1.0, y_um: 100.0, ..Default::default() });
        assert_eq!(s.validate(), Ok(()));
        s.seed = MAX_SEED;
        assert_eq!(s.validate(), Ok(()));
        s.seed = MAX_SEED + 1;
        let e = s.validate().unwrap_err();
        assert!(e.key == "seed" && e.message.contains("9223372036854775807"), "{e}");
        // What the engine accepts, a TOML file can hold.
        s.seed = MAX_SEED;
        let text = toml::to_string(&s).unwrap();
        assert_eq!(toml::from_str::<Scenario>(&text).unwrap(), s);
    }

    #[test]
    fn geometry_strings_parse() {
        let mut d = DomainSettings::default();
        assert_eq!(d.geometry_kind(), Some(GeometryKind::Trabecular));
        d.geometry = "image:slices/a.png".into();
        assert_eq!(d.geometry_kind(), Some(GeometryKind::Image("slices/a.png".into())));
        d.geometry = "image:".into();
        assert_eq!(d.geometry_kind(), None);
    }
}
