//! Cytokine fields: what diffuses, how fast, how long it lasts, and the container that
//! holds every field's concentrations and steps them with the implicit solver.
//!
//! Concentrations are in pM throughout. A site is a cube of `site_um`³ (1 pL at 10 µm), so
//! one molecule per second secreted into a 10 µm site adds 1.66 pM/s.

use crate::diffusion::{Boundary, DiffusionProblem, DiffusionSolver, SolveStats, SolverSettings};
use crate::params::{ParamInfo, parameter_group};
use serde::Serialize;

/// Concentrations below this are nothing to any receptor in the model (every half-occupancy
/// constant is far above it): a solve need not resolve them, and a field with no source that
/// has decayed below it everywhere is set to zero and left alone.
pub const NEGLIGIBLE_PM: f64 = 1e-6;

/// The diffusing species.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldId {
    /// Soluble RANKL (receptor activator of NF-κB ligand).
    Rankl,
    /// Osteoprotegerin, the decoy receptor of RANKL.
    Opg,
    /// Macrophage colony-stimulating factor.
    Mcsf,
    /// Active TGF-β.
    Tgfb,
}

impl FieldId {
    /// Every field, in index order.
    pub const ALL: [FieldId; 4] = [FieldId::Rankl, FieldId::Opg, FieldId::Mcsf, FieldId::Tgfb];

    /// Index into per-field arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Name used in scenarios, parameters and output columns.
    pub fn name(self) -> &'static str {
        match self {
            FieldId::Rankl => "rankl",
            FieldId::Opg => "opg",
            FieldId::Mcsf => "mcsf",
            FieldId::Tgfb => "tgfb",
        }
    }

    /// A readable label with unit.
    pub fn label(self) -> &'static str {
        match self {
            FieldId::Rankl => "soluble RANKL (pM)",
            FieldId::Opg => "OPG (pM)",
            FieldId::Mcsf => "M-CSF (pM)",
            FieldId::Tgfb => "active TGF-β (pM)",
        }
    }

    /// The field called `name`.
    pub fn from_name(name: &str) -> Option<FieldId> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Every field name.
    pub fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|f| f.name()).collect()
    }

    /// What bounds this field at the domain's edge. The domain is a window into a larger
    /// piece of the same tissue, so nothing is gained or lost there.
    pub fn boundary(self) -> Boundary {
        Boundary::NoFlux
    }
}

/// How one field moves and disappears.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct FieldTransport {
    /// Diffusion coefficient in marrow, µm²/s.
    pub diffusion_um2_s: f64,
    /// Half-life, hours.
    pub half_life_h: f64,
}

impl FieldTransport {
    /// sRANKL: tissue D ≈ 37 µm²/s (SCIENCE §5, Young–Carroad–Bell estimate at 0.4× free
    /// solution); half-life 1.6 h from the degradation constant of Lemaire et al. 2004
    /// (SCIENCE §2).
    pub const RANKL: FieldTransport = FieldTransport { diffusion_um2_s: 37.0, half_life_h: 1.6 };
    /// OPG: tissue D ≈ 30 µm²/s (SCIENCE §5); half-life 2.0 days (Lemaire 2004, SCIENCE §2).
    pub const OPG: FieldTransport = FieldTransport { diffusion_um2_s: 30.0, half_life_h: 48.0 };
    /// M-CSF: tissue D ≈ 35 µm²/s (SCIENCE §5); half-life "hours" (SCIENCE §5), taken as 3 h.
    pub const MCSF: FieldTransport = FieldTransport { diffusion_um2_s: 35.0, half_life_h: 3.0 };
    /// Active TGF-β: tissue D ≈ 50 µm²/s; active TGF-β lasts minutes (SCIENCE §5), taken as
    /// 15 min, a decay length of about 250 µm, so the signal stays with its remodeling site.
    /// (The 17 h of Pivonka et al. 2008 lumps the latent, matrix-bound pool, which this model
    /// keeps in the bone itself until an osteoclast releases it.)
    pub const TGFB: FieldTransport = FieldTransport { diffusion_um2_s: 50.0, half_life_h: 0.25 };

    /// Decay rate, 1/s.
    pub fn decay_per_s(&self) -> f64 {
        std::f64::consts::LN_2 / (self.half_life_h * 3600.0)
    }

    /// Decay length √(D/k), µm.
    pub fn decay_length_um(&self) -> f64 {
        (self.diffusion_um2_s / self.decay_per_s()).sqrt()
    }

    /// Calls `f` with both parameters, under the group name `group` (a field name).
    pub fn visit(&mut self, group: &'static str, f: &mut dyn FnMut(ParamInfo, &mut f64)) {
        let default = match FieldId::from_name(group) {
            Some(FieldId::Rankl) => Self::RANKL,
            Some(FieldId::Opg) => Self::OPG,
            Some(FieldId::Mcsf) => Self::MCSF,
            Some(FieldId::Tgfb) | None => Self::TGFB,
        };
        f(
            ParamInfo {
                group,
                name: "diffusion_um2_s",
                min: 0.01,
                max: 2000.0,
                default: default.diffusion_um2_s,
                doc: "Diffusion coefficient in marrow, µm²/s (SCIENCE §5: molecular-weight estimate, tissue value).",
            },
            &mut self.diffusion_um2_s,
        );
        f(
            ParamInfo {
                group,
                name: "half_life_h",
                min: 0.001,
                max: 10_000.0,
                default: default.half_life_h,
                doc: "Half-life, hours (SCIENCE §2 and §5).",
            },
            &mut self.half_life_h,
        );
    }
}

parameter_group! {
    /// The field solver.
    pub struct SolverParams {
        /// A field's solve stops when a multigrid cycle changes no value by more than this
        /// share of the field's largest value. 1 % of a field's peak is far below every
        /// half-occupancy constant in the model, and what is left over is carried into the
        /// next step, not lost. Numerical, not biological.
        tolerance: 1e-2, range 1e-12 => 1e-1;
        /// Most multigrid cycles per field step. Numerical, not biological.
        max_cycles: 20.0, range 1.0 => 200.0;
        /// Hours between two steps of a field (a named schedule). Each field takes one
        /// implicit step of this length with the sources averaged over it, the fields taking
        /// turns tick by tick; cells act every tick. The step's fixed point is the exact
        /// steady state and it is stable for any length, so a longer step only slows how a
        /// field relaxes: RANKL, M-CSF and active TGF-β settle within an hour or two anyway,
        /// OPG (half-life 2 days) barely notices. Set it to the tick to solve every tick.
        field_step_hours: 12.0, range 0.0 => 48.0;
    }
}

/// Every field's concentrations and sources, and the solver that steps them.
#[derive(Clone, Debug)]
pub struct Fields {
    width: usize,
    height: usize,
    values: Vec<Vec<f64>>,
    /// Sources summed over the ticks since the field's last step, pM/s per tick.
    sources: Vec<Vec<f64>>,
    /// Sites with a non-zero source, per field, so clearing is cheap.
    touched: Vec<Vec<u32>>,
    /// Ticks of sources gathered since each field's last step.
    gathered_ticks: Vec<u32>,
    /// What each field's last step used: its sources (site, pM/s), step and geometry.
    last_inputs: Vec<StepInputs>,
    solver: DiffusionSolver,
    last_stats: Vec<SolveStats>,
    tolerance: f64,
}

/// What a field's step depended on, to tell when a field can be left as it is.
#[derive(Clone, Debug, Default, PartialEq)]
struct StepInputs {
    sources: Vec<(u32, f64)>,
    dt_s: f64,
    geometry: u64,
    /// The step changed the field by less than the tolerance.
    stationary: bool,
}

impl Fields {
    /// All fields at zero on a `width × height` lattice.
    pub fn new(width: usize, height: usize, solver: &SolverParams) -> Self {
        let n = width * height;
        let count = FieldId::ALL.len();
        let settings = SolverSettings {
            tolerance: solver.tolerance,
            max_cycles: solver.max_cycles as u32,
            absolute_tolerance: NEGLIGIBLE_PM,
        };
        Fields {
            width,
            height,
            values: vec![vec![0.0; n]; count],
            sources: vec![vec![0.0; n]; count],
            touched: vec![Vec::new(); count],
            gathered_ticks: vec![0; count],
            last_inputs: vec![StepInputs::default(); count],
            solver: DiffusionSolver::new(width, height, settings),
            last_stats: vec![SolveStats::default(); count],
            tolerance: solver.tolerance,
        }
    }

    /// Concentrations of `field`, pM, row-major.
    pub fn values(&self, field: FieldId) -> &[f64] {
        &self.values[field.index()]
    }

    /// Concentration of `field` at `site`, pM.
    #[inline]
    pub fn at(&self, field: FieldId, site: usize) -> f64 {
        self.values[field.index()][site]
    }

    /// Mean concentration of `field` over the domain, pM.
    pub fn mean(&self, field: FieldId) -> f64 {
        let v = &self.values[field.index()];
        v.iter().sum::<f64>() / v.len() as f64
    }

    /// Adds a source of `rate_pm_s` (pM/s) at `site` for this tick.
    #[inline]
    pub fn add_source(&mut self, field: FieldId, site: usize, rate_pm_s: f64) {
        let f = field.index();
        if self.sources[f][site] == 0.0 {
            self.touched[f].push(site as u32);
        }
        self.sources[f][site] += rate_pm_s;
    }

    /// What the last solve of `field` did.
    pub fn last_stats(&self, field: FieldId) -> SolveStats {
        self.last_stats[field.index()]
    }

    /// Ends a tick: every field whose turn it is takes one step covering the ticks gathered
    /// since its last, with their averaged sources. `every` is the number of ticks between
    /// steps of a field; field `i` steps when `(tick + i) % every == 0`. `geometry` changes
    /// whenever `permeability` does.
    #[allow(clippy::too_many_arguments, reason = "the tick's transport inputs, spelled out")]
    pub fn end_tick(
        &mut self,
        tick: u64,
        every: u64,
        tick_s: f64,
        site_um: f64,
        permeability: &[f64],
        geometry: u64,
        transport: &dyn Fn(FieldId) -> FieldTransport,
    ) {
        for field in FieldId::ALL {
            let f = field.index();
            self.gathered_ticks[f] += 1;
            if !(tick + f as u64).is_multiple_of(every.max(1)) {
                continue;
            }
            let ticks = self.gathered_ticks[f] as f64;
            if ticks > 1.0 {
                for &site in &self.touched[f] {
                    self.sources[f][site as usize] /= ticks;
                }
            }
            self.step_one(field, ticks * tick_s, site_um, permeability, geometry, &transport(field));
            self.clear_sources_of(f);
        }
    }

    /// Brings every field to the steady state of the current sources (one implicit step 50
    /// half-lives long lands on it: the scheme's fixed point is the exact steady state), then
    /// clears the sources. Used to start a run from a settled tissue.
    pub fn settle(&mut self, site_um: f64, permeability: &[f64], transport: &dyn Fn(FieldId) -> FieldTransport) {
        for field in FieldId::ALL {
            let long = 50.0 * transport(field).half_life_h * 3600.0;
            self.step_one(field, long, site_um, permeability, u64::MAX, &transport(field));
            self.clear_sources_of(field.index());
        }
    }

    /// One step of one field. A field is left as it is when its sources, step and geometry
    /// are those of its last step and that step barely changed it (it is at its steady
    /// state), or when it is zero with no source.
    fn step_one(
        &mut self,
        field: FieldId,
        dt_s: f64,
        site_um: f64,
        permeability: &[f64],
        geometry: u64,
        t: &FieldTransport,
    ) {
        let f = field.index();
        let mut sources: Vec<(u32, f64)> = self.touched[f].iter().map(|&s| (s, self.sources[f][s as usize])).collect();
        sources.sort_unstable_by_key(|&(s, _)| s);
        let inputs = StepInputs { sources, dt_s, geometry, stationary: true };
        let gone = inputs.sources.is_empty() && self.values[f].iter().all(|&v| v < NEGLIGIBLE_PM);
        if gone {
            self.values[f].iter_mut().for_each(|v| *v = 0.0);
        }
        if gone || inputs == self.last_inputs[f] {
            self.last_stats[f] = SolveStats { converged: true, ..Default::default() };
            return;
        }
        let problem = DiffusionProblem {
            diffusion_um2_s: t.diffusion_um2_s,
            decay_per_s: t.decay_per_s(),
            site_um,
            dt_s,
            permeability,
            sink_per_s: None,
            source_per_s: Some(&self.sources[f]),
            boundary: field.boundary(),
        };
        let stats = self.solver.step(f, &mut self.values[f], &problem);
        self.last_stats[f] = stats;
        self.last_inputs[f] = StepInputs { stationary: stats.step_change <= self.tolerance, ..inputs };
    }

    fn clear_sources_of(&mut self, f: usize) {
        for &site in &self.touched[f] {
            self.sources[f][site as usize] = 0.0;
        }
        self.touched[f].clear();
        self.gathered_ticks[f] = 0;
    }

    /// Lattice width and height.
    pub fn dims(&self) -> (usize, usize) {
        (self.width, self.height)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decay_lengths_are_hundreds_of_micrometres_as_science_section_5_says() {
        // SCIENCE §5: decay lengths of a few hundred µm for RANKL and active TGF-β, and
        // millimetres for OPG.
        let rankl = FieldTransport::RANKL.decay_length_um();
        let opg = FieldTransport::OPG.decay_length_um();
        let tgfb = FieldTransport::TGFB.decay_length_um();
        assert!((200.0..1000.0).contains(&rankl), "RANKL {rankl}");
        assert!((1000.0..10_000.0).contains(&opg), "OPG {opg}");
        assert!((200.0..3000.0).contains(&tgfb), "TGF-β {tgfb}");
    }

    #[test]
    fn names_round_trip() {
        for f in FieldId::ALL {
            assert_eq!(FieldId::from_name(f.name()), Some(f));
        }
    }
}
