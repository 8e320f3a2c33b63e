//! Workloads for timing the engine, shared by `bonesim bench` and the criterion benches so
//! that both measure the same thing.
//!
//! [`SolverWorkload`] is the field solve of a run without the rest of the tick: a trabecular
//! section (bone fraction 0.2, bone passing a tenth of marrow's diffusion) with point
//! sources at every 101st site, and fields with the transports of the model's first fields
//! (RANKL, OPG, M-CSF, …). Every step moves the sources by one site, so each solve starts
//! warm but away from its answer, as a field does in a run after cells have moved.

use crate::diffusion::{
    Boundary, DiffusionProblem, DiffusionSolver, Permeability, SiteRates, SolveStats, SolverSettings,
};
use crate::field::{Concentrations, FieldId, FieldTransport};
use crate::lattice::Lattice;

/// The sources every field gets, pM/s per source site.
const SOURCE_PM_S: f64 = 0.1;
/// The permeability of fully filled bone matrix (the model's default `bone.permeability`).
const BONE_PERMEABILITY: f64 = 0.1;
/// SiteRates sit at every this many sites.
const SOURCE_SPACING: usize = 101;

/// Several fields on one `n × n` section, stepped one after another by one solver as a run
/// steps them (see the module docs).
pub struct SolverWorkload {
    n: usize,
    /// The section's bone matrix, which the permeability is made from as a run's is.
    matrix: Vec<f32>,
    /// The sources, and the same moved one site along.
    sources: [Vec<f64>; 2],
    transports: Vec<FieldTransport>,
    /// In the solver's number type, as a run keeps its fields.
    values: Concentrations,
    solver: DiffusionSolver,
    step_s: f64,
    turn: usize,
}

impl SolverWorkload {
    /// `fields` fields on an `n × n` section, each stepped by `step_hours` at a time; the
    /// fields take the transports of the model's fields in order (cycling through them past
    /// the last). Every field is stepped twice here, `together` (as
    /// [`SolverWorkload::step_all`] will) or not (as [`SolverWorkload::step_each`]), so the
    /// caches are built and the fields are near their steady state before anything is timed.
    pub fn new(n: usize, fields: usize, step_hours: f64, settings: SolverSettings, together: bool) -> Self {
        assert!(n >= 2 && fields >= 1 && step_hours > 0.0, "a workload needs a grid, a field and a step");
        let mut lattice = Lattice::new(n, n, 10.0);
        crate::geometry::trabecular(&mut lattice, 0.2, 1);
        let mut source = vec![0.0; n * n];
        for site in (0..n * n).step_by(SOURCE_SPACING) {
            source[site] = SOURCE_PM_S;
        }
        let moved = source.iter().cycle().skip(1).take(n * n).copied().collect();
        let factors: Vec<FieldId> = FieldId::ALL.into_iter().filter(|f| !f.is_drug()).collect();
        let transports = (0..fields).map(|i| factors[i % factors.len()].default_transport()).collect();
        let mut workload = SolverWorkload {
            n,
            matrix: lattice.matrix,
            sources: [source, moved],
            transports,
            values: Concentrations::with_sizes(settings.precision, std::iter::repeat_n(n * n, fields)),
            solver: DiffusionSolver::new(n, n, settings),
            step_s: step_hours * 3600.0,
            turn: 0,
        };
        for _ in 0..2 {
            if together {
                workload.step_all();
            } else {
                workload.step_each();
            }
        }
        workload
    }

    /// Sites of the lattice.
    pub fn sites(&self) -> usize {
        self.n * self.n
    }

    /// Fields stepped by [`SolverWorkload::step_all`].
    pub fn fields(&self) -> usize {
        self.transports.len()
    }

    /// Moves the sources and steps every field once, all together
    /// ([`DiffusionSolver::step_together`]); returns the V-cycles run, summed over the fields.
    pub fn step_all(&mut self) -> u32 {
        self.turn ^= 1;
        let (permeability, source) = (permeability(&self.matrix), &self.sources[self.turn]);
        let problems: Vec<DiffusionProblem> =
            self.transports.iter().map(|t| problem(t, permeability, source, self.step_s)).collect();
        let mut stats = vec![SolveStats::default(); problems.len()];
        self.values.step_all(&mut self.solver, &problems, &mut stats);
        stats.iter().map(|s| s.cycles).sum()
    }

    /// Moves the sources and steps every field once, one after another
    /// ([`DiffusionSolver::step`]); returns the V-cycles run, summed over the fields.
    pub fn step_each(&mut self) -> u32 {
        self.turn ^= 1;
        let mut cycles = 0;
        for (key, t) in self.transports.iter().enumerate() {
            let problem = problem(t, permeability(&self.matrix), &self.sources[self.turn], self.step_s);
            cycles += self.values.step(key, &mut self.solver, &problem).cycles;
        }
        cycles
    }

    /// Bytes the solver's loops stream from and to memory in one [`SolverWorkload::step_all`]
    /// that ran `cycles` V-cycles summed over the fields and factorised the systems of
    /// `factorised` of them (see [`DiffusionSolver::streamed_bytes`]).
    pub fn streamed_bytes(&self, cycles: u32, factorised: u32) -> f64 {
        let blocks = DiffusionSolver::blocks_of(self.fields());
        // The workload's fields have no sinks and no fixed edge: their steps are plain.
        self.solver.streamed_bytes(self.fields() as u32, blocks as u32, cycles, factorised, true)
    }

    /// How many field steps so far factorised their systems afresh
    /// ([`DiffusionSolver::factorised_fields`]).
    pub fn factorised_fields(&self) -> u64 {
        self.solver.factorised_fields()
    }
}

/// The permeability of a section of bone `matrix`, with bone's default permeability.
fn permeability(matrix: &[f32]) -> Permeability<'_> {
    Permeability::Matrix { matrix, bone: BONE_PERMEABILITY }
}

/// The step of a field of transport `t` in a workload.
fn problem<'a>(
    t: &FieldTransport,
    permeability: Permeability<'a>,
    source: &'a [f64],
    dt_s: f64,
) -> DiffusionProblem<'a> {
    DiffusionProblem {
        diffusion_um2_s: t.diffusion_um2_s,
        decay_per_s: t.decay_per_s(),
        site_um: 10.0,
        dt_s,
        permeability,
        // Named, as runs name theirs: the workload's never changes.
        permeability_version: Some(0),
        sinks: SiteRates::None,
        sources: SiteRates::PerSite(source),
        boundary: Boundary::NoFlux,
    }
}
