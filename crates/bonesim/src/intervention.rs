//! Interventions in a running simulation: an inflammatory challenge or a drug schedule
//! started now, or a model parameter changed from now on.
//!
//! A live front end (the viewer) makes them between ticks with [`Sim::intervene`]. Each is
//! recorded in the run's scenario as the event it amounts to, dated today: an
//! `[[inflammation]]`, a `[[therapy]]` or a `[[parameter_change]]` entry. The tick acts on
//! the scenario's events only, so the scenario of a run ([`Sim::scenario`]) says everything
//! that happened to it: run again from the start with the same seed, it gives the same run,
//! bit for bit.
//!
//! ```
//! use bonesim::intervention::Intervention;
//! use bonesim::scenario::{InflammationEvent, InflammatoryAgent};
//! use bonesim::{Scenario, Sim};
//!
//! let mut scenario = Scenario::default();
//! (scenario.domain.width, scenario.domain.height, scenario.time.days) = (32, 32, 2.0);
//! let mut sim = Sim::new(&scenario, None).unwrap();
//! for _ in 0..24 {
//!     sim.step();
//! }
//! let lps = InflammationEvent { agent: InflammatoryAgent::Lps, ..Default::default() };
//! sim.intervene(&Intervention::Inflammation(lps)).unwrap();
//! assert_eq!(sim.scenario().inflammation[0].day, 1.0); // recorded as a challenge on day 1
//! ```
//!
//! [`Sim`]: crate::Sim
//! [`Sim::intervene`]: crate::Sim::intervene
//! [`Sim::scenario`]: crate::Sim::scenario

use crate::params::{ModelParams, ParamError};
use crate::scenario::{InflammationEvent, ParameterChange, Scenario, ScenarioError, TherapySchedule};

/// Something done to a running simulation. Its date (`day`, `start_day`) is ignored: an
/// intervention happens now.
#[derive(Clone, Debug, PartialEq)]
pub enum Intervention {
    /// An inflammatory challenge (once, or repeated).
    Inflammation(InflammationEvent),
    /// A drug schedule whose first dose is given now.
    Therapy(TherapySchedule),
    /// A model parameter takes a new value.
    Parameter(ParameterChange),
}

impl Intervention {
    /// Adds this intervention to `scenario` as an event on `day`, if the scenario stays
    /// valid; otherwise leaves it unchanged and says why.
    pub fn record(&self, scenario: &mut Scenario, day: f64) -> Result<(), ScenarioError> {
        let mut next = scenario.clone();
        match self {
            Intervention::Inflammation(e) => next.inflammation.push(InflammationEvent { day, ..e.clone() }),
            Intervention::Therapy(t) => next.therapy.push(TherapySchedule { start_day: day, ..t.clone() }),
            Intervention::Parameter(c) => next.parameter_change.push(ParameterChange { day, ..c.clone() }),
        }
        next.validate()?;
        *scenario = next;
        Ok(())
    }
}

/// Parameters that only shape the tissue a run starts from: changing them later would do
/// nothing, so a change is refused rather than silently ignored.
pub const START_ONLY: [&str; 4] =
    ["stroma.density", "immune.macrophage_density", "immune.t_cell_density", "osteocyte.density"];

/// Whether parameter `name` may change during a run: not the field solver's (it is set up
/// once) nor the starting densities ([`START_ONLY`]).
pub fn changes_during_run(name: &str) -> bool {
    !name.starts_with("solver.") && !START_ONLY.contains(&name)
}

/// Checks every `[[parameter_change]]`: its day, its name, its value, and that the
/// parameters stay consistent after each change, applied in the order the run applies
/// them.
pub(crate) fn check_parameter_changes(scenario: &Scenario) -> Result<(), ScenarioError> {
    if scenario.parameter_change.is_empty() {
        return Ok(());
    }
    let key = |i: usize, part: &str| format!("parameter_change[{i}].{part}");
    for (i, c) in scenario.parameter_change.iter().enumerate() {
        crate::scenario::check_range(&key(i, "day"), c.day, 0.0, 36_500.0, " days")?;
        if !changes_during_run(&c.name) {
            return Err(ScenarioError {
                key: key(i, "name"),
                message: format!(
                    "\"{}\" sets up the start of a run and cannot change during it: set it under [parameters]",
                    c.name
                ),
            });
        }
    }
    // The starting parameters are checked (and reported) when the simulation is set up.
    let Ok(mut params) = ModelParams::with_overrides(scenario.patient.species, &scenario.parameters) else {
        return Ok(());
    };
    let tick_of = |day: f64| (day * 24.0 / scenario.time.tick_hours).round() as u64;
    let mut order: Vec<usize> = (0..scenario.parameter_change.len()).collect();
    order.sort_by_key(|&i| tick_of(scenario.parameter_change[i].day));
    for i in order {
        let c = &scenario.parameter_change[i];
        params.set(&c.name, c.value).map_err(|e| {
            let part = if matches!(e, ParamError::Unknown { .. }) { "name" } else { "value" };
            ScenarioError { key: key(i, part), message: e.to_string() }
        })?;
        if let Some(problem) = params.osteoclast.inconsistency() {
            return Err(ScenarioError { key: key(i, "value"), message: problem });
        }
    }
    Ok(())
}

/// Applies to `params` the changes of `changes` that `is_due`, in list order. Returns
/// whether any was.
pub(crate) fn apply_due(changes: &[ParameterChange], is_due: impl Fn(f64) -> bool, params: &mut ModelParams) -> bool {
    let mut any = false;
    for c in changes.iter().filter(|c| is_due(c.day)) {
        // Checked by `check_parameter_changes` when the scenario was validated.
        params.set(&c.name, c.value).expect("a validated parameter change");
        any = true;
    }
    any
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Drug, InflammatoryAgent};

    #[test]
    fn interventions_are_dated_today_and_bad_ones_change_nothing() {
        let mut s = Scenario::default();
        let lps = InflammationEvent { day: 99.0, agent: InflammatoryAgent::Lps, ..Default::default() };
        Intervention::Inflammation(lps).record(&mut s, 3.5).unwrap();
        assert_eq!(s.inflammation[0].day, 3.5);
        let drug = TherapySchedule { drug: Drug::Denosumab, dose: 60.0, ..Default::default() };
        Intervention::Therapy(drug).record(&mut s, 4.0).unwrap();
        assert_eq!(s.therapy[0].start_day, 4.0);
        let before = s.clone();
        let bad = ParameterChange { name: "osteoclast.lifespan_dayz".into(), value: 3.0, day: 0.0 };
        let err = Intervention::Parameter(bad).record(&mut s, 5.0).unwrap_err();
        assert_eq!(err.key, "parameter_change[0].name");
        assert!(err.message.contains("osteoclast.lifespan_days"), "{}", err.message);
        let huge = ParameterChange { name: "osteoclast.lifespan_days".into(), value: 1e9, day: 0.0 };
        let err = Intervention::Parameter(huge).record(&mut s, 5.0).unwrap_err();
        assert_eq!(err.key, "parameter_change[0].value");
        let solver = ParameterChange { name: "solver.field_step_hours".into(), value: 6.0, day: 0.0 };
        let err = Intervention::Parameter(solver).record(&mut s, 5.0).unwrap_err();
        assert!(err.message.contains("[parameters]"), "{}", err.message);
        assert_eq!(s, before, "a refused intervention leaves the scenario as it was");
    }

    /// A fingerprint of the whole state: tissue, cells, signals, fields and readouts.
    fn fingerprint(sim: &crate::Sim) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        let l = sim.lattice();
        l.matrix.iter().chain(&l.mineral).for_each(|v| v.to_bits().hash(&mut h));
        (&l.eroded, &l.woven).hash(&mut h);
        let c = sim.cells();
        (&c.id, &c.kind, &c.site, &c.nuclei, &c.since_tick, &c.until_tick).hash(&mut h);
        sim.signals().iter().for_each(|s| [s.stat3, s.akt, s.mapk, s.nfkb].map(f64::to_bits).hash(&mut h));
        // A drug not given and a drug given later, at zero until then, are the same state.
        for f in crate::field::FieldId::ALL {
            let values = sim.fields().values(f);
            if values.iter().any(|v| v != 0.0) {
                f.hash(&mut h);
                values.iter().for_each(|v| v.to_bits().hash(&mut h));
            }
        }
        let columns = sim.readouts().columns();
        let present = columns.iter().filter(|(_, v)| *v != 0.0);
        present.for_each(|(name, v)| (name, v.to_bits()).hash(&mut h));
        h.finish()
    }

    /// Runs `scenario` to its end, making each intervention of `plan` before its tick;
    /// returns the fingerprint after every tick and the scenario as recorded.
    fn run(scenario: &Scenario, plan: &[(u64, Intervention)]) -> (Vec<u64>, Scenario) {
        let mut sim = crate::Sim::new(scenario, None).unwrap();
        let mut prints = Vec::new();
        while sim.tick() < sim.total_ticks() {
            let now = sim.tick();
            for (_, i) in plan.iter().filter(|(tick, _)| *tick == now) {
                sim.intervene(i).unwrap();
            }
            sim.step();
            prints.push(fingerprint(&sim));
        }
        (prints, sim.scenario().clone())
    }

    #[test]
    fn a_run_with_interventions_replays_bit_for_bit_from_its_recorded_scenario() {
        let mut s = Scenario::default();
        (s.domain.width, s.domain.height, s.time.days, s.seed) = (64, 64, 4.0, 11);
        s.tumor.kind = crate::scenario::TumorType::Breast;
        s.tumor.seed_cells = 20;
        let lps = InflammationEvent { agent: InflammatoryAgent::Lps, dose: 2.0, ..Default::default() };
        let drug = TherapySchedule { drug: Drug::Denosumab, dose: 120.0, every_days: 28.0, doses: 2, start_day: 0.0 };
        let faster = ParameterChange { name: "breast.doubling_days".into(), value: 0.7, day: 0.0 };
        let plan = [
            (24, Intervention::Inflammation(lps)),
            (37, Intervention::Therapy(drug)),
            (50, Intervention::Parameter(faster)),
        ];
        let (live, recorded) = run(&s, &plan);
        // The record is what a user would save: through a TOML file and back.
        let recorded: Scenario = toml::from_str(&toml::to_string(&recorded).unwrap()).unwrap();
        assert_eq!(recorded.inflammation[0].day, 1.0);
        assert_eq!(recorded.therapy[0].start_day, 37.0 / 24.0);
        assert_eq!(recorded.parameter_change[0].day, 50.0 / 24.0);
        let (replay, _) = run(&recorded, &[]);
        assert_eq!(live.len(), 96);
        let parted = live.iter().zip(&replay).position(|(a, b)| a != b);
        assert_eq!(parted, None, "the replay parts from the live run after that many ticks");
        // And the interventions did change the run, from the first one's tick on.
        let (untouched, _) = run(&s, &[]);
        let parted = live.iter().zip(&untouched).position(|(a, b)| a != b);
        assert_eq!(parted, Some(24), "the first intervention acts in the tick after it");
        // The drug given mid-run acts from its tick on: without it the run is the same until
        // then and differs after.
        let mut without_drug = recorded.clone();
        without_drug.therapy.clear();
        let (undrugged, _) = run(&without_drug, &[]);
        let parted = live.iter().zip(&undrugged).position(|(a, b)| a != b);
        assert_eq!(parted, Some(37), "the therapy acts in the tick after it is given");
        // The faster tumour: more tumour cells by the end than with the challenge alone.
        let mut without_change = recorded.clone();
        without_change.parameter_change.clear();
        let tumour_at_end = |s: &Scenario| {
            let mut sim = crate::Sim::new(s, None).unwrap();
            while sim.tick() < sim.total_ticks() {
                sim.step();
            }
            sim.readouts().tumor_cells
        };
        assert!(tumour_at_end(&recorded) > tumour_at_end(&without_change));
    }

    #[test]
    fn changes_apply_on_their_day_in_list_order() {
        let change = |day: f64, value: f64| ParameterChange { day, name: "osteoclast.lifespan_days".into(), value };
        let changes = [change(2.0, 10.0), change(1.0, 12.0), change(2.0, 11.0)];
        let mut params = ModelParams::default();
        let default = params.osteoclast.lifespan_days;
        assert!(!apply_due(&changes, |d| d == 3.0, &mut params));
        assert_eq!(params.osteoclast.lifespan_days, default);
        assert!(apply_due(&changes, |d| d == 2.0, &mut params));
        assert_eq!(params.osteoclast.lifespan_days, 11.0, "the later entry of the same day wins");
    }
}
