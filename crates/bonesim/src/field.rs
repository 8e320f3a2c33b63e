//! Cytokine fields: what diffuses, how fast, how long it lasts, and the container that
//! holds every field's concentrations and steps them with the implicit solver.
//!
//! Concentrations are in pM throughout. A site is a cube of `site_um`³ (1 pL at 10 µm), so
//! one molecule per second secreted into a 10 µm site adds 1.66 pM/s.

use crate::diffusion::{Boundary, DiffusionProblem, DiffusionSolver, SolveStats, SolverSettings};
use crate::params::{ParamInfo, parameter_group};
use serde::Serialize;

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
        /// Relative residual at which a field's solve stops (largest residual over largest
        /// right-hand side). Numerical, not biological.
        tolerance: 1e-4, range 1e-12 => 1e-2;
        /// Most multigrid cycles per field per tick. Numerical, not biological.
        max_cycles: 20.0, range 1.0 => 200.0;
    }
}

/// Every field's concentrations and sources, and the solver that steps them.
#[derive(Clone, Debug)]
pub struct Fields {
    width: usize,
    height: usize,
    values: Vec<Vec<f64>>,
    sources: Vec<Vec<f64>>,
    /// Sites with a non-zero source this tick, per field, so clearing is cheap.
    touched: Vec<Vec<u32>>,
    solver: DiffusionSolver,
    last_stats: Vec<SolveStats>,
}

impl Fields {
    /// All fields at zero on a `width × height` lattice.
    pub fn new(width: usize, height: usize, solver: &SolverParams) -> Self {
        let n = width * height;
        let count = FieldId::ALL.len();
        let settings = SolverSettings { tolerance: solver.tolerance, max_cycles: solver.max_cycles as u32 };
        Fields {
            width,
            height,
            values: vec![vec![0.0; n]; count],
            sources: vec![vec![0.0; n]; count],
            touched: vec![Vec::new(); count],
            solver: DiffusionSolver::new(width, height, settings),
            last_stats: vec![SolveStats::default(); count],
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

    /// Advances every field by `dt_s` with this tick's sources, then clears the sources.
    /// A field that is zero everywhere and has no source is skipped: it stays zero.
    pub fn step(&mut self, dt_s: f64, site_um: f64, permeability: &[f64], transport: &dyn Fn(FieldId) -> FieldTransport) {
        for field in FieldId::ALL {
            let f = field.index();
            let idle = self.touched[f].is_empty() && self.values[f].iter().all(|&v| v == 0.0);
            if idle {
                self.last_stats[f] = SolveStats { converged: true, ..Default::default() };
                continue;
            }
            let t = transport(field);
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
            self.last_stats[f] = self.solver.step(f, &mut self.values[f], &problem);
            for &site in &self.touched[f] {
                self.sources[f][site as usize] = 0.0;
            }
            self.touched[f].clear();
        }
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
