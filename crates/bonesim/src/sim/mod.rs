//! The simulation: state, and the tick.
//!
//! [`Sim::step`] is the whole tick, one phase a line:
//!
//! 1. `pharmacology`: every scheduled drug's plasma level over the tick; the host's hormones
//!    under the hormone therapies; each drug's supply to its tissue field at the vessels
//!    ([`pharmacokinetics`]);
//! 2. `arrive`: precursors enter from vessels; the scenario's events happen ([`events`]);
//! 3. `secrete`: cells (and resorbed matrix) put their factors into the fields' sources;
//! 4. `diffuse`: the fields whose turn it is take one implicit step (every field steps every
//!    `solver.field_step_hours`, in turns), the drugs' fields among them;
//! 5. `pharmacodynamics`: the drugs at their targets: zoledronic acid binds bone
//!    ([`pharmacodynamics`]); the other drugs' hold on their targets is read by the cells as
//!    they sense;
//! 6. `sense`: each cell reads its receptors' signals (parallel, read-only);
//! 7. `decide`: each cell chooses an intent (parallel, read-only);
//! 8. `apply`: intents take effect one cell at a time in id order, so conflicts (two cells
//!    wanting one site) go to the older cell ([`apply`]); the tissue changes go through
//!    [`crate::biology::bone`];
//! 9. `remodel`: osteoid mineralises; the transport geometry is refreshed on its schedule.
//!
//! The cells present at the start are placed by [`placement`].

use crate::biology::signalling::{self, Exposure};
use crate::biology::{self, Context, Host, Intent, Signals, TumorPhenotype, molecules_per_h_to_pm_s};
use crate::cells::CellStore;
use crate::diffusion::Permeability;
use crate::error::EngineError;
use crate::field::{FieldId, Fields};
use crate::geometry::{self, GreyImage};
use crate::lattice::Lattice;
use crate::params::ModelParams;
use crate::pharmacology::Pharmacology;
use crate::prefetch::{CELLS_AHEAD, SOURCES_AHEAD};
use crate::readout::{Extras, Readouts, TurnoverLog};
use crate::scenario::{GeometryKind, Scenario};
use crate::systemic::{Serum, SerumInputs};

mod apply;
mod events;
mod health;
mod pharmacodynamics;
mod pharmacokinetics;
mod placement;

pub use health::{MAX_CONCENTRATION_PM, Runaway};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

/// Cells per task of the secrete phase: enough that a task outweighs rayon's overhead.
const SECRETING_CELLS_PER_TASK: usize = 256;

/// The phases of a tick, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Drug levels and hormones.
    Pharmacology,
    /// Cells entering the tissue.
    Arrive,
    /// Secretion into the fields.
    Secrete,
    /// The field solve.
    Diffuse,
    /// The drugs at their targets.
    Pharmacodynamics,
    /// Receptor signals.
    Sense,
    /// Cell decisions.
    Decide,
    /// Applying decisions.
    Apply,
    /// Matrix maturation and geometry refresh.
    Remodel,
}

impl Phase {
    /// Every phase, in tick order.
    pub const ALL: [Phase; 9] = [
        Phase::Pharmacology,
        Phase::Arrive,
        Phase::Secrete,
        Phase::Diffuse,
        Phase::Pharmacodynamics,
        Phase::Sense,
        Phase::Decide,
        Phase::Apply,
        Phase::Remodel,
    ];

    /// Name in outputs.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Pharmacology => "pharmacology",
            Phase::Arrive => "arrive",
            Phase::Secrete => "secrete",
            Phase::Diffuse => "diffuse",
            Phase::Pharmacodynamics => "pharmacodynamics",
            Phase::Sense => "sense",
            Phase::Decide => "decide",
            Phase::Apply => "apply",
            Phase::Remodel => "remodel",
        }
    }
}

/// Wall time spent in each phase so far.
#[derive(Clone, Debug, Default)]
pub struct PhaseTimings {
    spent: [Duration; Phase::ALL.len()],
}

impl PhaseTimings {
    /// Time spent in `phase`.
    pub fn get(&self, phase: Phase) -> Duration {
        self.spent[phase as usize]
    }

    /// Time spent in all phases.
    pub fn total(&self) -> Duration {
        self.spent.iter().sum()
    }
}

/// A running simulation.
///
/// All of it is state and serializable (a checkpoint is the whole `Sim`), except the wall
/// times of the phases; a resumed run continues to the bit as if never stopped.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Sim {
    scenario: Scenario,
    params: ModelParams,
    lattice: Lattice,
    cells: CellStore,
    fields: Fields,
    /// Ticks done, the host's spin-up included: what keys random streams and dates cells.
    tick: u64,
    /// The tick of day 0: the end of the host's spin-up.
    origin: u64,
    /// The host is spinning up before day 0: no scenario events yet.
    spinning_up: bool,
    dt_h: f64,
    /// The host's hormones and systemic exposures this tick.
    host: Host,
    /// Blood serum.
    serum: Serum,
    /// Drugs in plasma, and the hormone axis.
    pharmacology: Pharmacology,
    /// The rest of the body's IL-6 production relative to a healthy host's.
    body_il6_fold: f64,
    /// Scratch for the cells' IL-6 uptake per site.
    uptake_scratch: Vec<(u32, f64)>,
    /// Scratch for bone's uptake of a bisphosphonate per site (recomputed every tick).
    #[serde(skip)]
    bone_uptake: Vec<f64>,
    /// The tumour's phenotype, if the scenario has a tumour.
    phenotype: Option<TumorPhenotype>,
    /// This tick's sources (field, site, pM/s): those of each parallel task of the secrete
    /// phase, then those of the released growth factors (scratch).
    #[serde(skip)]
    secretions_by_task: Vec<Vec<(FieldId, u32, f64)>>,
    /// The bone matrix as the fields last saw it, which their permeability is made from
    /// (f32 as the lattice keeps it: 4 bytes per site, against 8 for the permeability), and
    /// its version.
    transport_matrix: Vec<f32>,
    geometry_version: u64,
    /// Sites whose osteoid is mineralising, and a flag per site to keep the list unique.
    mineralising: Vec<u32>,
    is_mineralising: Vec<bool>,
    /// Growth factors released from matrix by resorption in the last apply (field, site,
    /// molecules), secreted next.
    released: Vec<(FieldId, u32, f64)>,
    /// Bone resorbed and formed, for the turnover markers.
    turnover: TurnoverLog,
    initial_bone_mass: f64,
    signals: Vec<Signals>,
    intents: Vec<Intent>,
    order: Vec<u32>,
    dead: Vec<bool>,
    /// Scratch for the slots of the cells that died in an apply phase.
    #[serde(skip)]
    gone: Vec<usize>,
    vessels: Vec<u32>,
    /// Wall time, not state: a resumed run counts from zero.
    #[serde(skip)]
    timings: PhaseTimings,
}

impl Sim {
    /// Sets up `scenario`. `image` is the decoded slice when the geometry is an image.
    pub fn new(scenario: &Scenario, image: Option<&GreyImage>) -> Result<Sim, EngineError> {
        scenario.validate()?;
        let params = ModelParams::with_overrides(scenario.patient.species, &scenario.parameters)?;
        let pharmacology = Pharmacology::new(scenario)?;
        let phenotype = params.phenotype(scenario.tumor.kind);
        if let Some(problem) = params.osteoclast.inconsistency().or_else(|| params.solver.inconsistency()) {
            return Err(EngineError::Inconsistent(problem));
        }
        let d = &scenario.domain;
        let mut lattice = Lattice::new(d.width, d.height, d.site_um);
        match d.geometry_kind() {
            Some(GeometryKind::Trabecular) => geometry::trabecular(&mut lattice, d.bone_fraction, scenario.seed),
            Some(GeometryKind::Cortical) => geometry::cortical(&mut lattice, d.bone_fraction, scenario.seed),
            Some(GeometryKind::Image(path)) => {
                let image = image.ok_or_else(|| EngineError::MissingImage(path.clone()))?;
                geometry::from_image(&mut lattice, image);
            }
            None => unreachable!("validated"),
        }
        geometry::place_vessels(&mut lattice, scenario.seed);
        lattice.mark_initial();
        let n = lattice.len();
        let transport_matrix = lattice.matrix.clone();
        let dt_h = scenario.time.tick_hours;
        let mut sim = Sim {
            scenario: scenario.clone(),
            fields: Fields::new(d.width, d.height, &params.solver),
            params,
            cells: CellStore::new(n),
            tick: 0,
            origin: 0,
            spinning_up: false,
            dt_h,
            transport_matrix,
            geometry_version: 0,
            host: Host {
                estrogen: scenario.patient.estrogen,
                testosterone: scenario.patient.testosterone,
                exposure: Exposure::default(),
            },
            serum: Serum::default(),
            pharmacology,
            body_il6_fold: 1.0,
            uptake_scratch: Vec::new(),
            bone_uptake: Vec::new(),
            phenotype,
            secretions_by_task: Vec::new(),
            mineralising: Vec::new(),
            is_mineralising: vec![false; n],
            released: Vec::new(),
            turnover: TurnoverLog::new((24.0 / dt_h).round().max(1.0) as usize),
            initial_bone_mass: lattice.total_bone_mass(),
            signals: Vec::new(),
            intents: Vec::new(),
            order: Vec::new(),
            dead: Vec::new(),
            gone: Vec::new(),
            vessels: (0..n).filter(|&s| lattice.vessel[s]).map(|s| s as u32).collect(),
            lattice,
            timings: PhaseTimings::default(),
        };
        // The tissue settles before any challenge: a challenge on day 0 arrives with the
        // first tick.
        sim.set_exposure(Exposure::default());
        sim.place_initial_cells();
        sim.find_outlets(true);
        let exchange = sim.params.serum.vessel_exchange_per_h / 3600.0;
        sim.fields.set_vessels(&sim.vessels, exchange);
        sim.deliver_drugs_through_vessels();
        // Start from a settled tissue and serum: serum at the body's own level, signals of
        // the starting cells, their secretion, the fields' steady state, then serum with what
        // the section adds.
        sim.serum = Serum::steady(&sim.serum_inputs(), &sim.params.serum);
        sim.sense();
        sim.secrete();
        let params = &sim.params;
        let transport = |f: FieldId| params.transport(f);
        let permeability = transport_permeability(&sim.transport_matrix, params);
        sim.fields.settle(sim.lattice.site_um, permeability, sim.geometry_version, &transport);
        sim.serum = Serum::steady(&sim.serum_inputs(), &sim.params.serum);
        sim.sense();
        sim.spin_up();
        Ok(sim)
    }

    /// Runs the host alone for `host.spinup_days` before day 0, so that a run starts in the
    /// host's own remodeling state rather than from bone with no remodeling under way; day 0
    /// (the start of the readouts, bone mass relative to start included) is its end.
    fn spin_up(&mut self) {
        let ticks = self.spinup_ticks();
        if ticks == 0 {
            return;
        }
        self.spinning_up = true;
        for _ in 0..ticks {
            self.step();
        }
        self.spinning_up = false;
        self.origin = self.tick;
        self.lattice.mark_initial();
        self.initial_bone_mass = self.lattice.total_bone_mass();
        self.turnover.restart();
        self.timings = PhaseTimings::default();
    }

    /// Ticks of the host's spin-up before day 0.
    fn spinup_ticks(&self) -> u64 {
        (self.params.host.spinup_days * self.ticks_per_day()).round() as u64
    }

    /// Advances the simulation by one tick.
    pub fn step(&mut self) {
        // NOTE: drug levels and hormones come first: every later phase of the tick, the
        // exposures set on arrival included, sees this tick's.
        self.timed(Phase::Pharmacology, Sim::pharmacokinetics);
        self.timed(Phase::Arrive, Sim::arrive);
        // NOTE: secretion reads the cells as the last tick left them, and the fields are
        // solved before anyone senses them, so every cell acts on fields that already
        // include this tick's secretion.
        self.timed(Phase::Secrete, Sim::secrete);
        self.timed(Phase::Diffuse, Sim::diffuse);
        // NOTE: after the solve, so that bone binds the drug the tissue now holds, and
        // before sensing, so that every cell senses the targets as the drugs left them.
        self.timed(Phase::Pharmacodynamics, Sim::pharmacodynamics);
        self.timed(Phase::Sense, Sim::sense);
        self.timed(Phase::Decide, Sim::decide);
        self.timed(Phase::Apply, Sim::apply);
        self.timed(Phase::Remodel, Sim::remodel);
        self.tick += 1;
    }

    fn timed(&mut self, phase: Phase, f: fn(&mut Sim)) {
        let start = Instant::now();
        f(self);
        self.timings.spent[phase as usize] += start.elapsed();
    }

    /// Ticks done since day 0.
    pub fn tick(&self) -> u64 {
        self.tick - self.origin
    }

    /// Simulated days done since day 0.
    pub fn day(&self) -> f64 {
        self.tick() as f64 * self.dt_h / 24.0
    }

    /// Ticks the scenario runs for.
    pub fn total_ticks(&self) -> u64 {
        self.scenario.ticks()
    }

    /// The scenario being run.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The parameters in force.
    pub fn params(&self) -> &ModelParams {
        &self.params
    }

    /// The tissue.
    pub fn lattice(&self) -> &Lattice {
        &self.lattice
    }

    /// The cells.
    pub fn cells(&self) -> &CellStore {
        &self.cells
    }

    /// The fields.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// Every cell's signals as it last sensed them, by slot (the order of [`Sim::cells`]).
    pub fn signals(&self) -> &[Signals] {
        &self.signals
    }

    /// Makes `intervention` between ticks: it takes effect from the next tick on and is
    /// recorded in [`Sim::scenario`] as an event of today, so that running that scenario
    /// from the start gives this run again, bit for bit (see [`crate::intervention`]).
    pub fn intervene(&mut self, intervention: &crate::intervention::Intervention) -> Result<(), EngineError> {
        let today = self.day();
        intervention.record(&mut self.scenario, today)?;
        if matches!(intervention, crate::intervention::Intervention::Therapy(_)) {
            self.pharmacology.reschedule(&self.scenario)?;
            self.deliver_drugs_through_vessels();
        }
        Ok(())
    }

    /// Wall time spent in each phase.
    pub fn timings(&self) -> &PhaseTimings {
        &self.timings
    }

    /// The readouts of the current state.
    pub fn readouts(&self) -> Readouts {
        let p = &self.params.serum;
        let extras = Extras {
            day: self.day(),
            turnover: &self.turnover,
            initial_bone_mass: self.initial_bone_mass,
            serum_il6_pg_ml: self.serum.il6_pg_ml(),
            serum_sil6r_ng_ml: self.serum.sil6r_ng_ml(p),
            plasma: self.pharmacology.levels(),
        };
        Readouts::measure(&self.lattice, &self.cells, &self.fields, extras)
    }

    /// The ticks per day.
    fn ticks_per_day(&self) -> f64 {
        24.0 / self.dt_h
    }

    /// Phase 3: what every cell secretes, what resorbed matrix releases, and what serum
    /// brings in at the vessels.
    fn secrete(&mut self) {
        let um = self.lattice.site_um;
        let mut by_task = std::mem::take(&mut self.secretions_by_task);
        {
            let ctx = self.context();
            let n = self.cells.len();
            // Cells secrete in parallel, in fixed runs of slots whose secretions are then
            // added in slot order: the sums per site do not depend on the threads. One more
            // list, last, holds the released growth factors.
            let tasks = n.div_ceil(SECRETING_CELLS_PER_TASK);
            by_task.resize_with(tasks + 1, Vec::new);
            let signals = &self.signals;
            by_task[..tasks].par_iter_mut().enumerate().for_each(|(task, out)| {
                out.clear();
                let mut emit = |field: FieldId, site: usize, molecules_per_h: f64| {
                    if molecules_per_h > 0.0 {
                        out.push((field, site as u32, molecules_per_h_to_pm_s(molecules_per_h, um)));
                    }
                };
                let first = task * SECRETING_CELLS_PER_TASK;
                for slot in first..(first + SECRETING_CELLS_PER_TASK).min(n) {
                    // Cells that arrived this tick have not sensed yet: they do so now.
                    let signals = signals.get(slot).copied().unwrap_or_else(|| biology::sense(slot, &ctx));
                    biology::secrete(slot, &signals, &ctx, &mut emit);
                }
            });
            // Released TGF-β: the molecules freed during the last tick, spread over this one.
            let released = &mut by_task[tasks];
            released.clear();
            for &(field, site, molecules) in &self.released {
                if molecules > 0.0 {
                    released.push((field, site, molecules_per_h_to_pm_s(molecules / self.dt_h, um)));
                }
            }
        }
        self.released.clear();
        // Sources land at scattered sites: each asks ahead for what the ones after it read.
        let sources = || by_task.iter().flatten();
        let (mut ahead, mut further) = (sources().skip(SOURCES_AHEAD), sources().skip(2 * SOURCES_AHEAD));
        for &(field, site, rate) in sources() {
            if let Some(&(_, site, _)) = further.next() {
                self.fields.prefetch_source_slot(site as usize);
            }
            if let Some(&(field, site, _)) = ahead.next() {
                self.fields.prefetch_source_rate(field, site as usize);
            }
            self.fields.add_source(field, site as usize, rate);
        }
        self.secretions_by_task = by_task;
        let p = &self.params.serum;
        self.fields.add_serum_supply(FieldId::Il6, self.serum.il6_pm());
        self.fields.add_serum_supply(FieldId::Sil6r, self.serum.sil6r_pm(p));
    }

    /// Phase 4: the fields whose turn it is take one implicit step; serum follows what the
    /// tissue releases into blood.
    fn diffuse(&mut self) {
        let every = self.field_step_ticks();
        let tick_s = self.dt_h * 3600.0;
        if Fields::is_due(FieldId::Il6, self.tick, every) {
            self.update_il6_uptake();
        }
        let params = &self.params;
        let transport = |f: FieldId| params.transport(f);
        let (um, version) = (self.lattice.site_um, self.geometry_version);
        let permeability = transport_permeability(&self.transport_matrix, params);
        self.fields.end_tick(self.tick, every, tick_s, um, permeability, version, &transport);
        let inputs = self.serum_inputs();
        self.serum.step(&inputs, tick_s, &self.params.serum);
    }

    /// Ticks between two steps of a field.
    fn field_step_ticks(&self) -> u64 {
        (self.params.solver.field_step_hours / self.dt_h).round().max(1.0) as u64
    }

    /// The IL-6 that cells with IL-6 receptors take up, at their sites, for IL-6's next step.
    fn update_il6_uptake(&mut self) {
        let mut rates = std::mem::take(&mut self.uptake_scratch);
        rates.clear();
        let s = &self.params.signalling;
        let il6 = self.fields.values(FieldId::Il6);
        let tumor_il6r = self.phenotype.map_or(0.0, |t| t.il6r);
        let targets = self.pharmacology.targets();
        for slot in 0..self.cells.len() {
            let il6r = signalling::membrane_il6r(self.cells.kind[slot], &self.params, tumor_il6r);
            if il6r > 0.0 {
                let site = self.cells.site[slot];
                // Only free IL-6 on free receptors is taken up (the drugs' hold on both).
                let t = targets.at(&self.fields, site as usize);
                let rate = t.il6_free
                    * signalling::il6_uptake_per_s(il6r * t.il6r_free, il6.get(site as usize) * t.il6_free, s);
                rates.push((site, rate));
            }
        }
        // Cells sharing a site add up, in the order of their slots (a stable sort keeps it).
        rates.sort_by_key(|&(site, _)| site);
        let mut merged = 0;
        for i in 0..rates.len() {
            let (site, rate) = rates[i];
            if merged > 0 && rates[merged - 1].0 == site {
                rates[merged - 1].1 += rate;
            } else {
                rates[merged] = (site, 0.0 + rate);
                merged += 1;
            }
        }
        rates.truncate(merged);
        rates.retain(|&(_, rate)| rate != 0.0);
        self.fields.set_uptake_at(FieldId::Il6, &rates);
        self.uptake_scratch = rates;
    }

    /// What drives serum now: the section's release into blood, the rest of the body's
    /// production, the free IL-6 receptors.
    fn serum_inputs(&self) -> SerumInputs {
        let um = self.lattice.site_um;
        SerumInputs {
            il6_from_bone_mol_s: self.fields.release_into_blood_mol_s(FieldId::Il6, um),
            sil6r_from_bone_mol_s: self.fields.release_into_blood_mol_s(FieldId::Sil6r, um),
            body_il6_fold: self.body_il6_fold,
            il6_receptors_free: self.pharmacology.il6_receptor_clearance_left(),
            section_ml: self.lattice.len() as f64 * (um * 1e-4).powi(3),
        }
    }

    /// Phase 5: receptor signals and pathway activities of every cell.
    fn sense(&mut self) {
        let mut signals = std::mem::take(&mut self.signals);
        {
            let ctx = self.context();
            room_for(&mut signals, self.cells.len());
            let n = self.cells.len();
            (0..n)
                .into_par_iter()
                .map(|slot| {
                    if slot + CELLS_AHEAD < n {
                        ctx.fields.prefetch(biology::sensing_site(slot + CELLS_AHEAD, &ctx));
                    }
                    biology::sense(slot, &ctx)
                })
                .collect_into_vec(&mut signals);
        }
        self.signals = signals;
    }

    /// Phase 6: every cell's intent.
    fn decide(&mut self) {
        let mut intents = std::mem::take(&mut self.intents);
        {
            let ctx = self.context();
            let signals = &self.signals;
            let n = self.cells.len();
            room_for(&mut intents, n);
            (0..n)
                .into_par_iter()
                .map(|slot| {
                    if slot + CELLS_AHEAD < n {
                        biology::prefetch_decision(slot + CELLS_AHEAD, &ctx);
                    }
                    biology::decide(slot, &signals[slot], &ctx)
                })
                .collect_into_vec(&mut intents);
        }
        self.intents = intents;
    }

    /// The read-only view cells decide in.
    fn context(&self) -> Context<'_> {
        Context {
            lattice: &self.lattice,
            fields: &self.fields,
            cells: &self.cells,
            params: &self.params,
            host: &self.host,
            targets: self.pharmacology.targets(),
            tumor: self.phenotype.as_ref(),
            il6_knockout: self.scenario.patient.il6_knockout,
            tick: self.tick,
            dt_h: self.dt_h,
            seed: self.scenario.seed,
        }
    }

    /// Phase 8: osteoid mineralises; the fields see the new geometry on schedule.
    fn remodel(&mut self) {
        let step = (self.dt_h / 24.0 / self.params.bone.mineralisation_days) as f32;
        let l = &mut self.lattice;
        let flags = &mut self.is_mineralising;
        self.mineralising.retain(|&s| {
            let done = biology::bone::mineralise(l, s as usize, step);
            if done {
                flags[s as usize] = false;
            }
            !done
        });
        self.turnover.end_tick();
        let every = (self.params.bone.transport_refresh_hours / self.dt_h).round().max(1.0) as u64;
        if (self.tick + 1).is_multiple_of(every) {
            self.transport_matrix.copy_from_slice(&self.lattice.matrix);
            self.geometry_version += 1;
            self.find_outlets(false);
        }
    }
}

/// The permeability the fields diffuse through: made from the bone matrix they last saw
/// (`Sim::transport_matrix`).
fn transport_permeability<'a>(matrix: &'a [f32], params: &ModelParams) -> Permeability<'a> {
    Permeability::Matrix { matrix, bone: params.bone.permeability }
}

/// Makes room in `v` (one entry per cell) for `n` entries, with an eighth more to grow into.
/// A `Vec` left to grow by itself doubles, and a population that just outgrew its array
/// would hold up to twice its size until the run ends (signals are 160 bytes a cell); an
/// array outgrown again is reallocated, rarely, as the population settles.
fn room_for<T>(v: &mut Vec<T>, n: usize) {
    if v.capacity() < n {
        v.reserve_exact(n + n / 8 - v.len());
    }
}
