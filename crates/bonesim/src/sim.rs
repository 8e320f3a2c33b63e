//! The simulation: state, and the tick.
//!
//! [`Sim::step`] is the whole tick, one phase a line:
//!
//! 1. `pharmacology`: every scheduled drug's plasma level over the tick; the host's hormones
//!    under the hormone therapies;
//! 2. `arrive`: precursors enter from vessels; scheduled cells are placed;
//! 3. `secrete`: cells (and resorbed matrix) put their factors into the fields' sources;
//! 4. `diffuse`: the fields whose turn it is take one implicit step (every field steps every
//!    `solver.field_step_hours`, in turns);
//! 5. `sense`: each cell reads its receptors' signals (parallel, read-only);
//! 6. `decide`: each cell chooses an intent (parallel, read-only);
//! 7. `apply`: intents take effect one cell at a time in id order, so conflicts (two cells
//!    wanting one site) go to the older cell;
//! 8. `remodel`: osteoid mineralises; the transport geometry is refreshed on its schedule.

use crate::biology::signalling::{self, Exposure};
use crate::biology::{
    self, Action, Context, Host, Intent, Signals, TissueAction, TumorPhenotype, molecules_per_h_to_pm_s,
};
use crate::cells::{CellKind, CellStore, NewCell};
use crate::error::EngineError;
use crate::field::{FieldId, Fields};
use crate::geometry::{self, GreyImage};
use crate::lattice::{Lattice, SOLID_MATRIX};
use crate::params::ModelParams;
use crate::pharmacology::{Drug, Pharmacology};
use crate::readout::{Extras, Readouts, TurnoverLog};
use crate::rng::{Purpose, stream};
use crate::scenario::{GeometryKind, InflammatoryAgent, Scenario, TumorPlacement};
use crate::systemic::Serum;
use rand::Rng;
use rayon::prelude::*;
use serde::Serialize;
use std::time::{Duration, Instant};

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
    pub const ALL: [Phase; 8] = [
        Phase::Pharmacology,
        Phase::Arrive,
        Phase::Secrete,
        Phase::Diffuse,
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
#[derive(Clone, Debug)]
pub struct Sim {
    scenario: Scenario,
    params: ModelParams,
    lattice: Lattice,
    cells: CellStore,
    fields: Fields,
    /// Ticks done.
    tick: u64,
    dt_h: f64,
    /// The host's hormones and systemic exposures this tick.
    host: Host,
    /// Blood serum.
    serum: Serum,
    /// Drugs in plasma, and the hormone axis.
    pharmacology: Pharmacology,
    /// The tumour's phenotype, if the scenario has a tumour.
    phenotype: Option<TumorPhenotype>,
    /// This tick's secretions (kept to reuse the allocation).
    sources: Vec<(FieldId, usize, f64)>,
    /// Relative diffusivity of each site as the fields last saw it, and its version.
    permeability: Vec<f64>,
    geometry_version: u64,
    /// Sites whose osteoid is mineralising, and a flag per site to keep the list unique.
    mineralising: Vec<u32>,
    is_mineralising: Vec<bool>,
    /// TGF-β released by resorption in the last apply, molecules per site, secreted next.
    released_tgfb: Vec<(u32, f64)>,
    /// Bone resorbed and formed, for the turnover markers.
    turnover: TurnoverLog,
    initial_bone_mass: f64,
    signals: Vec<Signals>,
    intents: Vec<Intent>,
    order: Vec<u32>,
    dead: Vec<bool>,
    vessels: Vec<u32>,
    timings: PhaseTimings,
}

impl Sim {
    /// Sets up `scenario`. `image` is the decoded slice when the geometry is an image.
    pub fn new(scenario: &Scenario, image: Option<&GreyImage>) -> Result<Sim, EngineError> {
        scenario.validate()?;
        let params = ModelParams::with_overrides(&scenario.parameters)?;
        let pharmacology = Pharmacology::new(scenario)?;
        let phenotype = params.phenotype(scenario.tumor.kind);
        if let Some(problem) = params.osteoclast.inconsistency() {
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
        let mut permeability = Vec::new();
        lattice.permeability_into(params.bone.permeability, &mut permeability);
        let dt_h = scenario.time.tick_hours;
        let mut sim = Sim {
            scenario: scenario.clone(),
            fields: Fields::new(d.width, d.height, &params.solver),
            params,
            cells: CellStore::new(n),
            tick: 0,
            dt_h,
            permeability,
            geometry_version: 0,
            host: Host {
                estrogen: scenario.patient.estrogen,
                testosterone: scenario.patient.testosterone,
                exposure: Exposure::default(),
            },
            serum: Serum::default(),
            pharmacology,
            phenotype,
            sources: Vec::new(),
            mineralising: Vec::new(),
            is_mineralising: vec![false; n],
            released_tgfb: Vec::new(),
            turnover: TurnoverLog::new((24.0 / dt_h).round().max(1.0) as usize),
            initial_bone_mass: lattice.total_bone_mass(),
            signals: Vec::new(),
            intents: Vec::new(),
            order: Vec::new(),
            dead: Vec::new(),
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
        // Start from a settled tissue: signals of the starting cells, their secretion, and
        // the fields' steady state.
        sim.sense();
        sim.secrete();
        let params = &sim.params;
        let transport = |f: FieldId| params.transport(f);
        sim.fields.settle(sim.lattice.site_um, &sim.permeability, &transport);
        sim.sense();
        Ok(sim)
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

    /// Ticks done.
    pub fn tick(&self) -> u64 {
        self.tick
    }

    /// Simulated days done.
    pub fn day(&self) -> f64 {
        self.tick as f64 * self.dt_h / 24.0
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

    /// Wall time spent in each phase.
    pub fn timings(&self) -> &PhaseTimings {
        &self.timings
    }

    /// The drugs in plasma and the hormone axis.
    pub fn pharmacology(&self) -> &Pharmacology {
        &self.pharmacology
    }

    /// `drug`'s mean plasma concentration over the last tick, mg/L (= µg/mL); 0 if the
    /// scenario does not give it.
    pub fn plasma_concentration(&self, drug: Drug) -> f64 {
        self.pharmacology.concentration_mg_l(drug)
    }

    /// The host's hormones and systemic exposures this tick.
    pub fn host(&self) -> &Host {
        &self.host
    }

    /// The readouts of the current state.
    pub fn readouts(&self) -> Readouts {
        let p = &self.params.serum;
        let extras = Extras {
            day: self.day(),
            turnover: &self.turnover,
            initial_bone_mass: self.initial_bone_mass,
            serum_il6_pg_ml: self.serum.il6_pg_ml(p),
            serum_sil6r_ng_ml: self.serum.sil6r_ng_ml(p),
            plasma: self.pharmacology.levels(),
        };
        Readouts::measure(&self.lattice, &self.cells, &self.fields, extras)
    }

    /// The ticks per day.
    fn ticks_per_day(&self) -> f64 {
        24.0 / self.dt_h
    }

    /// Cells present at the start: osteocytes in bone, stroma in marrow, and the precursors
    /// that arrivals and lifespan would keep in circulation.
    fn place_initial_cells(&mut self) {
        let p = &self.params;
        let seed = self.scenario.seed;
        let marrow_sites = (0..self.lattice.len()).filter(|&s| self.lattice.is_open(s)).count().max(1);
        let precursor_density = p.osteoclast.precursor_arrival_per_vessel_day
            * p.osteoclast.precursor_lifespan_days
            * self.vessels.len() as f64
            / marrow_sites as f64;
        let marrow = [
            (CellKind::Stroma, p.stroma.density),
            (CellKind::Precursor, precursor_density),
            (CellKind::Macrophage, p.immune.macrophage_density),
            (CellKind::TCell, p.immune.t_cell_density),
        ];
        for site in 0..self.lattice.len() {
            let mut rng = stream(seed, 0, site as u64, Purpose::Placement);
            let draw: f64 = rng.random();
            let kind = if self.lattice.is_solid(site) {
                (draw < p.osteocyte.density).then_some(CellKind::Osteocyte)
            } else if self.lattice.is_open(site) {
                // Each marrow kind takes the next slice of [0, 1) as wide as its density.
                let mut upper = 0.0;
                marrow
                    .iter()
                    .find(|&&(_, density)| {
                        upper += density;
                        draw < upper
                    })
                    .map(|&(kind, _)| kind)
            } else {
                None
            };
            if let Some(kind) = kind {
                self.cells.add(NewCell::new(kind, site, 0));
            }
        }
    }

    /// Sets the outlet of every osteocyte (`all`) or of those that have none yet.
    fn find_outlets(&mut self, all: bool) {
        let reach = (self.params.osteocyte.dendrite_reach_um / self.lattice.site_um).round() as usize;
        for slot in 0..self.cells.len() {
            if self.cells.kind[slot] == CellKind::Osteocyte && (all || self.cells.outlet[slot] == self.cells.site[slot])
            {
                let site = self.cells.site[slot] as usize;
                self.cells.outlet[slot] = biology::osteocyte::outlet(site, reach, &self.lattice) as u32;
            }
        }
    }

    /// Phase 1: every scheduled drug's mean plasma level over this tick, and the host's
    /// estradiol and testosterone under the hormone therapies.
    fn pharmacokinetics(&mut self) {
        let t0_h = self.tick as f64 * self.dt_h;
        self.pharmacology.step(t0_h, t0_h + self.dt_h);
        (self.host.estrogen, self.host.testosterone) = self.pharmacology.host_hormones(&self.scenario.patient);
    }

    /// Phase 2: precursors from vessels, and scheduled bursts.
    fn arrive(&mut self) {
        let rate = self.params.osteoclast.precursor_arrival_per_vessel_day;
        let chance = 1.0 - (-rate * self.dt_h / 24.0).exp();
        let seed = self.scenario.seed;
        for i in 0..self.vessels.len() {
            let vessel = self.vessels[i] as usize;
            let mut rng = stream(seed, self.tick, vessel as u64, Purpose::Arrival);
            if rng.random::<f64>() < chance
                && let Some(site) = self.free_site_beside(vessel, &mut rng)
            {
                self.cells.add(NewCell::new(CellKind::Precursor, site, self.tick));
            }
        }
        let bursts: Vec<_> = self.scenario.precursor_burst.iter().filter(|b| self.is_due(b.day)).cloned().collect();
        for burst in bursts {
            self.place_burst(&burst);
        }
        let damage: Vec<_> = self.scenario.microdamage.iter().filter(|m| self.is_due(m.day)).cloned().collect();
        for m in damage {
            self.damage(&m);
        }
        if self.phenotype.is_some() && self.is_due(self.scenario.tumor.seed_day) {
            self.seed_tumor();
        }
        self.set_exposure(self.exposure_now());
    }

    /// Whether an event scheduled on `day` happens this tick.
    fn is_due(&self, day: f64) -> bool {
        (day * self.ticks_per_day()).round() as u64 == self.tick
    }

    /// A free open site beside `vessel`, picked at random, where a cell from the blood enters.
    fn free_site_beside(&self, vessel: usize, rng: &mut crate::rng::Stream) -> Option<usize> {
        let free: Vec<usize> =
            self.lattice.neighbours(vessel).filter(|&s| self.lattice.is_open(s) && self.cells.is_free(s)).collect();
        (!free.is_empty()).then(|| free[rng.random_range(0..free.len())])
    }

    /// Sets the systemic exposures, and the rest of the body's IL-6 answer to them.
    fn set_exposure(&mut self, exposure: Exposure) {
        self.host.exposure = exposure;
        self.serum.body_il6_fold =
            signalling::body_il6_fold(&self.host, &self.params, self.scenario.patient.il6_knockout);
    }

    /// Places the scenario's tumour cells: as an intratibial injection, a cluster in the
    /// marrow nearest the domain's centre; or arriving from the circulation at random
    /// vessels, from where they home up CXCL12.
    fn seed_tumor(&mut self) {
        let t = self.scenario.tumor.clone();
        match t.placement {
            TumorPlacement::Injection => {
                let (cx, cy) = (self.lattice.width as f64 / 2.0, self.lattice.height as f64 / 2.0);
                let l = &self.lattice;
                let mut free = l.nearest_first(cx, cy, |s| l.is_open(s) && self.cells.is_free(s));
                // The bolus spreads the cells through the marrow around the needle: they
                // take a random share of the free sites nearest the centre.
                let n = t.seed_cells as usize;
                let spread = self.params.cancer.injection_sites_per_cell.max(1.0);
                let bolus = ((n as f64 * spread).ceil() as usize).min(free.len());
                let mut rng = stream(self.scenario.seed, self.tick, 0, Purpose::Arrival);
                for i in 0..n.min(bolus) {
                    let j = rng.random_range(i..bolus);
                    free.swap(i, j);
                    self.cells.add(NewCell::new(CellKind::Tumor, free[i], self.tick));
                }
            }
            TumorPlacement::Vessels => {
                let mut rng = stream(self.scenario.seed, self.tick, 0, Purpose::Arrival);
                for _ in 0..t.seed_cells {
                    if self.vessels.is_empty() {
                        break;
                    }
                    let vessel = self.vessels[rng.random_range(0..self.vessels.len())] as usize;
                    if let Some(site) = self.free_site_beside(vessel, &mut rng) {
                        self.cells.add(NewCell::new(CellKind::Tumor, site, self.tick));
                    }
                }
            }
        }
    }

    /// The systemic exposures of this tick: every inflammatory challenge given so far,
    /// decaying with its half-life, as receptor occupancies.
    fn exposure_now(&self) -> Exposure {
        let p = &self.params.inflammation;
        let day = self.day();
        let mut dose = [0.0; 3];
        for e in &self.scenario.inflammation {
            let i = match e.agent {
                InflammatoryAgent::Lps => 0,
                InflammatoryAgent::Il1b => 1,
                InflammatoryAgent::Pge2 => 2,
            };
            // Doses given more than 40 half-lives ago have left no trace.
            let gone = day - 40.0 * p.half_life_h / 24.0;
            for given in e.days().skip_while(|&given| given < gone).take_while(|&given| given <= day) {
                dose[i] += e.dose * (-(day - given) * 24.0 * std::f64::consts::LN_2 / p.half_life_h).exp();
            }
        }
        let occupancy = |d: f64| d / (d + p.half_dose);
        Exposure { lps: occupancy(dose[0]), il1b: occupancy(dose[1]), pge2: occupancy(dose[2]) }
    }

    /// The centre of a scheduled event, in sites (negative coordinates mean the centre).
    fn event_centre(&self, x_um: f64, y_um: f64) -> (f64, f64) {
        let l = &self.lattice;
        let cx = if x_um >= 0.0 { x_um / l.site_um } else { l.width as f64 / 2.0 };
        let cy = if y_um >= 0.0 { y_um / l.site_um } else { l.height as f64 / 2.0 };
        (cx, cy)
    }

    /// Microdamage: the osteocytes within its radius of the bone nearest its centre die, and
    /// their neighbours are alarmed.
    fn damage(&mut self, m: &crate::scenario::Microdamage) {
        let (cx, cy) = self.event_centre(m.x_um, m.y_um);
        let l = &self.lattice;
        let nearest_bone = (0..l.len())
            .filter(|&s| l.is_solid(s))
            .min_by(|&a, &b| l.distance2(a, cx, cy).total_cmp(&l.distance2(b, cx, cy)).then(a.cmp(&b)));
        let Some(centre) = nearest_bone else { return };
        let (cx, cy) = (l.xy(centre).0 as f64 + 0.5, l.xy(centre).1 as f64 + 0.5);
        let r = m.radius_um / l.site_um;
        let victims: Vec<usize> = (0..self.cells.len())
            .filter(|&slot| self.cells.kind[slot] == CellKind::Osteocyte)
            .filter(|&slot| l.distance2(self.cells.site[slot] as usize, cx, cy) <= r * r)
            .collect();
        self.dead.clear();
        self.dead.resize(self.cells.len(), false);
        for &slot in &victims {
            self.dead[slot] = true;
        }
        for &slot in &victims {
            self.alarm_neighbours(self.cells.site[slot] as usize);
        }
        self.remove_cells(victims);
    }

    /// Places a burst of committed pre-osteoclasts on the free bone-surface sites nearest
    /// its centre.
    fn place_burst(&mut self, burst: &crate::scenario::PrecursorBurst) {
        let (cx, cy) = self.event_centre(burst.x_um, burst.y_um);
        let l = &self.lattice;
        let candidates = l.nearest_first(cx, cy, |s| l.is_surface(s) && self.cells.is_free(s));
        for &site in candidates.iter().take(burst.count as usize) {
            self.cells.add(NewCell::new(CellKind::PreOsteoclast, site, self.tick));
        }
    }

    /// Phase 3: what every cell secretes, what resorbed matrix releases, and what serum
    /// brings in at the vessels.
    fn secrete(&mut self) {
        let um = self.lattice.site_um;
        let mut sources: Vec<(FieldId, usize, f64)> = std::mem::take(&mut self.sources);
        sources.clear();
        {
            let ctx = self.context();
            let mut emit = |field: FieldId, site: usize, molecules_per_h: f64| {
                if molecules_per_h > 0.0 {
                    sources.push((field, site, molecules_per_h_to_pm_s(molecules_per_h, um)));
                }
            };
            for slot in 0..self.cells.len() {
                // Cells that arrived this tick have not sensed yet: they do so now.
                let signals = self.signals.get(slot).copied().unwrap_or_else(|| biology::sense(slot, &ctx));
                biology::secrete(slot, &signals, &ctx, &mut emit);
            }
            // Released TGF-β: the molecules freed during the last tick, spread over this one.
            for &(site, molecules) in &self.released_tgfb {
                emit(FieldId::Tgfb, site as usize, molecules / self.dt_h);
            }
        }
        self.released_tgfb.clear();
        for &(field, site, rate) in &sources {
            self.fields.add_source(field, site, rate);
        }
        self.sources = sources;
        let p = &self.params.serum;
        self.fields.add_serum_supply(FieldId::Il6, self.serum.il6_pm(p));
        self.fields.add_serum_supply(FieldId::Sil6r, self.serum.sil6r_pm(p));
    }

    /// Phase 4: the fields whose turn it is take one implicit step; serum follows what the
    /// tissue releases into blood.
    fn diffuse(&mut self) {
        let params = &self.params;
        let transport = |f: FieldId| params.transport(f);
        let every = (params.solver.field_step_hours / self.dt_h).round().max(1.0) as u64;
        let tick_s = self.dt_h * 3600.0;
        let (um, version) = (self.lattice.site_um, self.geometry_version);
        self.fields.end_tick(self.tick, every, tick_s, um, &self.permeability, version, &transport);
        let il6 = self.fields.release_into_blood_mol_s(FieldId::Il6, um);
        let sil6r = self.fields.release_into_blood_mol_s(FieldId::Sil6r, um);
        let section_ml = self.lattice.len() as f64 * (um * 1e-4).powi(3);
        self.serum.step(il6, sil6r, tick_s, section_ml, &self.params.serum);
    }

    /// Phase 5: receptor signals and pathway activities of every cell.
    fn sense(&mut self) {
        let mut signals = std::mem::take(&mut self.signals);
        {
            let ctx = self.context();
            (0..self.cells.len()).into_par_iter().map(|slot| biology::sense(slot, &ctx)).collect_into_vec(&mut signals);
        }
        self.signals = signals;
    }

    /// Phase 6: every cell's intent.
    fn decide(&mut self) {
        let mut intents = std::mem::take(&mut self.intents);
        {
            let ctx = self.context();
            let signals = &self.signals;
            (0..self.cells.len())
                .into_par_iter()
                .map(|slot| biology::decide(slot, &signals[slot], &ctx))
                .collect_into_vec(&mut intents);
        }
        self.intents = intents;
    }

    /// Phase 7: intents take effect in id order; the dead are removed at the end.
    fn apply(&mut self) {
        let n = self.cells.len();
        self.order.clear();
        self.order.extend(0..n as u32);
        let ids = &self.cells.id;
        self.order.sort_unstable_by_key(|&s| ids[s as usize]);
        self.dead.clear();
        self.dead.resize(n, false);
        for k in 0..n {
            let slot = self.order[k] as usize;
            if self.dead[slot] {
                continue;
            }
            let intent = self.intents[slot];
            self.apply_tissue(slot, intent.tissue);
            self.apply_action(slot, intent.action);
        }
        let gone: Vec<usize> = (0..n).filter(|&s| self.dead[s]).collect();
        self.remove_cells(gone);
    }

    /// Cells born or changed this tick sense now, so that every cell's signals are its own
    /// when it next secretes.
    fn sense_newcomers(&mut self) {
        let mut signals = std::mem::take(&mut self.signals);
        {
            let ctx = self.context();
            for slot in 0..self.cells.len() {
                if slot >= signals.len() {
                    signals.push(biology::sense(slot, &ctx));
                } else if self.cells.since_tick[slot] == self.tick && self.tick > 0 {
                    signals[slot] = biology::sense(slot, &ctx);
                }
            }
        }
        self.signals = signals;
    }

    /// Removes the cells in `slots`, keeping each cell's signals with it.
    fn remove_cells(&mut self, mut slots: Vec<usize>) {
        self.sense_newcomers();
        slots.sort_unstable_by(|a, b| b.cmp(a));
        for slot in slots {
            self.cells.remove(slot);
            if slot < self.signals.len() {
                self.signals.swap_remove(slot);
            }
        }
    }

    fn apply_action(&mut self, slot: usize, action: Action) {
        let tick = self.tick;
        match action {
            Action::Stay => {}
            Action::Move { to } => {
                let to = to as usize;
                if self.lattice.is_open(to) && self.cells.is_free(to) {
                    self.cells.move_to(slot, to);
                }
            }
            Action::Advance { to } => {
                let to = to as usize;
                if self.lattice.is_open(to) && self.cells.is_free(to) {
                    self.cells.move_to(slot, to);
                    self.cells.divisions_left[slot] = self.cells.divisions_left[slot].saturating_sub(1);
                }
            }
            Action::Die => {
                self.dead[slot] = true;
                if self.cells.kind[slot] == CellKind::Osteocyte {
                    self.alarm_neighbours(self.cells.site[slot] as usize);
                }
            }
            Action::Divide { to, daughter } => {
                let to = to as usize;
                if self.lattice.is_open(to) && self.cells.is_free(to) {
                    let parent = self.cells.kind[slot];
                    let divisions_left = match parent {
                        CellKind::PreOsteoblast => {
                            self.cells.divisions_left[slot] -= 1;
                            self.cells.divisions_left[slot]
                        }
                        _ => self.params.osteoblast.preosteoblast_divisions as u8,
                    };
                    if parent == CellKind::Stroma {
                        let rest = (self.params.stroma.refractory_hours / self.dt_h).round() as u64;
                        self.cells.until_tick[slot] = tick + rest;
                    }
                    let mut cell = NewCell::new(daughter, to, tick);
                    cell.divisions_left = divisions_left;
                    self.cells.add(cell);
                }
            }
            Action::Become { kind: CellKind::Osteocyte } => self.become_osteocyte(slot),
            Action::Become { kind } => self.cells.change_kind(slot, kind, tick),
            Action::BecomeAt { kind, to } => {
                self.cells.change_kind(slot, kind, tick);
                let to = to as usize;
                if !kind.takes_site() || self.cells.is_free(to) {
                    self.cells.move_to(slot, to);
                }
            }
            Action::Fuse { with } => self.fuse(slot, with as usize),
        }
    }

    /// The pre-osteoclast in `slot` joins the lineage cell on site `with`, if it is still
    /// there: an osteoclast gains its nucleus; two pre-osteoclasts make an osteoclast.
    fn fuse(&mut self, slot: usize, with: usize) {
        let Some(partner) = self.cells.occupant(with) else {
            return;
        };
        if partner == slot || self.dead[partner] {
            return;
        }
        let max = self.params.osteoclast.max_nuclei as u16;
        let nuclei = self.cells.nuclei[slot];
        match self.cells.kind[partner] {
            CellKind::Osteoclast if self.cells.nuclei[partner] + nuclei <= max => {}
            CellKind::PreOsteoclast => {
                self.cells.change_kind(partner, CellKind::Osteoclast, self.tick);
                self.cells.divisions_left[partner] = self.params.osteoclast.pit_advances as u8;
            }
            _ => return,
        }
        self.cells.nuclei[partner] += nuclei;
        self.dead[slot] = true;
    }

    /// A dying osteocyte makes the osteocytes around it raise RANKL for a while.
    fn alarm_neighbours(&mut self, site: usize) {
        let p = &self.params.osteocyte;
        let radius = (p.alarm_radius_um / self.lattice.site_um).round() as i64;
        let until = self.tick + (p.alarm_days * self.ticks_per_day()).round() as u64;
        for (dx, dy, s) in self.lattice.window(site, radius) {
            if dx * dx + dy * dy > radius * radius {
                continue;
            }
            if let Some(other) = self.cells.occupant(s)
                && self.cells.kind[other] == CellKind::Osteocyte
                && !self.dead[other]
            {
                self.cells.until_tick[other] = self.cells.until_tick[other].max(until);
            }
        }
    }

    fn apply_tissue(&mut self, slot: usize, action: TissueAction) {
        match action {
            TissueAction::None => {}
            TissueAction::Resorb { site, amount } => self.resorb(slot, site as usize, amount),
            TissueAction::Deposit { amount, woven } => {
                let site = self.cells.site[slot] as usize;
                if self.deposit(site, amount, woven) {
                    let ctx = self.context();
                    if biology::osteoblast::embeds(slot, &ctx) {
                        self.become_osteocyte(slot);
                    }
                }
            }
        }
    }

    /// An osteoclast removes matrix from `site`, freeing the TGF-β stored in it. A site that
    /// is no longer solid is cleared entirely and becomes part of the resorption cavity; an
    /// osteocyte inside dies with it.
    fn resorb(&mut self, slot: usize, site: usize, amount: f32) {
        let l = &mut self.lattice;
        if !l.is_solid(site) {
            return;
        }
        let mut removed = amount.min(l.matrix[site]);
        l.matrix[site] -= removed;
        if l.matrix[site] < SOLID_MATRIX {
            removed += l.matrix[site];
            l.matrix[site] = 0.0;
            l.eroded[site] = true;
            l.woven[site] = false;
            if let Some(osteocyte) = self.cells.occupant(site)
                && self.cells.kind[osteocyte] == CellKind::Osteocyte
            {
                self.dead[osteocyte] = true;
            }
        }
        let mass = removed as f64 * l.mineral[site] as f64;
        if l.matrix[site] == 0.0 {
            l.mineral[site] = 0.0;
        }
        self.turnover.record_resorbed(mass);
        let molecules = mass * self.params.bone.tgfb_molecules_per_site;
        self.released_tgfb.push((self.cells.site[slot], molecules));
    }

    /// An osteoblast lays down osteoid on its own site. A full site leaves the cavity.
    /// Returns whether this deposit filled the site.
    fn deposit(&mut self, site: usize, amount: f32, woven: bool) -> bool {
        let l = &mut self.lattice;
        let before = l.matrix[site];
        let after = (before + amount).min(1.0);
        if after <= before {
            return false;
        }
        // New matrix is unmineralised: the site's degree of mineralisation is diluted.
        l.mineral[site] = if after > 0.0 { l.mineral[site] * before / after } else { 0.0 };
        l.matrix[site] = after;
        l.woven[site] |= woven;
        if after >= 1.0 {
            l.eroded[site] = false;
        }
        self.turnover.record_formed((after - before) as f64);
        if !self.is_mineralising[site] {
            self.is_mineralising[site] = true;
            self.mineralising.push(site as u32);
        }
        after >= 1.0
    }

    /// The cell in `slot` becomes an osteocyte where it is, presenting RANKL at its outlet.
    fn become_osteocyte(&mut self, slot: usize) {
        self.cells.change_kind(slot, CellKind::Osteocyte, self.tick);
        let reach = (self.params.osteocyte.dendrite_reach_um / self.lattice.site_um).round() as usize;
        let site = self.cells.site[slot] as usize;
        self.cells.outlet[slot] = biology::osteocyte::outlet(site, reach, &self.lattice) as u32;
    }

    /// The read-only view cells decide in.
    fn context(&self) -> Context<'_> {
        Context {
            lattice: &self.lattice,
            fields: &self.fields,
            cells: &self.cells,
            params: &self.params,
            host: &self.host,
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
            let s = s as usize;
            l.mineral[s] = (l.mineral[s] + step).min(1.0);
            let done = l.mineral[s] >= 1.0 && l.matrix[s] >= 1.0 || l.matrix[s] == 0.0;
            if done {
                flags[s] = false;
            }
            !done
        });
        self.turnover.end_tick();
        let every = (self.params.bone.transport_refresh_hours / self.dt_h).round().max(1.0) as u64;
        if (self.tick + 1).is_multiple_of(every) {
            self.lattice.permeability_into(self.params.bone.permeability, &mut self.permeability);
            self.geometry_version += 1;
            self.find_outlets(false);
        }
    }
}
