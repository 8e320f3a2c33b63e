//! The implicit diffusion–decay solver for the cytokine fields.
//!
//! # The equation
//!
//! Every field `u` (a concentration per lattice site) obeys
//!
//! ```text
//! ∂u/∂t = ∇·(D(x) ∇u) − k u − U(x) u + s(x)
//! ```
//!
//! with `D` the diffusion coefficient (µm²/s, reduced inside mineralised bone, see
//! [`DiffusionProblem::permeability`]), `k` the decay rate (1/s, from the half-life), `U` a
//! first-order sink per site (uptake by cells, exchange with vessels) and `s` a source per site
//! (secretion). Space is discretised with the 5-point finite-volume stencil on the lattice; a
//! face between two sites conducts with the harmonic mean of their diffusivities.
//!
//! # The scheme: exponentially fitted backward Euler
//!
//! With `E = e^{−k dt}` and `τ = (1 − E)/k` (`τ = dt` when `k = 0`) one step solves
//!
//! ```text
//! (I + τ (L + U)) u¹ = E u⁰ + τ s
//! ```
//!
//! where `L` is the (positive semi-definite) diffusion operator. It is backward Euler in which
//! the decay factor `1/(1 + k dt)` is replaced by the exact `e^{−k dt}`, which gives:
//!
//! * a uniform field with no sources decays exactly as `e^{−kt}`, for any `dt`;
//! * the fixed point is the exact steady state of the discrete equation, `(k + L + U) u = s`,
//!   whatever `dt` (plain locally-one-dimensional splitting, as in BioFVM, is off by O(dt)
//!   there, which at a one-hour tick is tens of percent near a source);
//! * the matrix is an M-matrix for every `dt`, so the exact step maps non-negative data to
//!   non-negative fields and is unconditionally stable;
//! * with `k = 0`, no sink and no-flux walls, the total amount is conserved.
//!
//! # Solving it: multigrid with alternating zebra line relaxation
//!
//! At a one-hour tick `D dt / Δx²` is in the thousands, so the system is close to a Poisson
//! problem and needs a multigrid solve. Each V-cycle, on every level:
//!
//! 1. relaxes along rows, then along columns: tridiagonal (Thomas) solves of every other line,
//!    then of the lines between (zebra order), parallel over lines with rayon. Line
//!    relaxation stays a good smoother where bone makes the coefficients jump;
//! 2. restricts the residual to a grid of 2 × 2 aggregates (their sum);
//! 3. solves the coarse correction recursively (the coarsest grid by line relaxation and an
//!    exact balance correction) and adds it back, constant over each aggregate.
//!
//! Coarse operators sum the reaction part of their four sites and take half the sum of the
//! fine couplings across each coarse face (the coarse gradient spans twice the distance).
//! Because every cycle *ends* with a coarse correction and the coarse reaction terms are exact
//! sums, the discrete balance `Σ (I + τU) u¹ = Σ (E u⁰ + τ s)` holds to round-off after every
//! cycle, however loosely the solve has converged. Cycles repeat, warm-started from the last
//! tick, until the residual is below [`SolverSettings::tolerance`].
//!
//! An unfinished iteration may leave round-off-sized negative values where the true solution
//! is near zero; the last step removes them and takes their (tiny) amount from the positive
//! sites in proportion, so the balance is kept. [`SolveStats::clipped_fraction`] reports how
//! much that moved; the tests pin it near zero for time steps from a second to a year.

use rayon::prelude::*;

/// Below this many sites a level is processed serially: rayon's overhead would dominate.
const PARALLEL_MIN_SITES: usize = 16_384;
/// The coarsest level has at most this many sites.
const COARSEST_MAX_SITES: usize = 64;
/// Relaxation sweeps on the coarsest level (it has at most a few dozen sites).
const COARSEST_SWEEPS: usize = 40;
/// Rows solved in lockstep, so that their recurrences overlap in the pipeline.
const LOCKSTEP_ROWS: usize = 4;

/// A number type the solver works in, `f64` or `f32` (see [`Precision`]), and that fields
/// handed to it may be stored in: a run keeps its fields in the type of its solver's cycles.
/// Inputs and the balance stay `f64`. Implemented for `f64` and `f32` only.
pub trait Real:
    sealed::Sealed
    + Copy
    + PartialEq
    + Send
    + Sync
    + std::fmt::Debug
    + std::ops::Add<Output = Self>
    + std::ops::Sub<Output = Self>
    + std::ops::Mul<Output = Self>
    + std::ops::Div<Output = Self>
    + std::ops::AddAssign
    + std::ops::MulAssign
    + 'static
{
    /// Zero.
    const ZERO: Self;
    /// One.
    const ONE: Self;
    /// The nearest value to `v`.
    fn of(v: f64) -> Self;
    /// The value as an `f64` (exact).
    fn wide(self) -> f64;
    /// The absolute value.
    fn abs(self) -> Self;
    /// The larger of the two; a NaN `other` leaves `self`, as `f64::max` does. (One compare
    /// and select, where `f64::max` also handles a NaN `self`, which no caller has: they
    /// start from zero.)
    fn max(self, other: Self) -> Self;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for f64 {}
    impl Sealed for f32 {}
}

impl Real for f64 {
    const ZERO: Self = 0.0;
    const ONE: Self = 1.0;
    #[inline(always)]
    fn of(v: f64) -> Self {
        v
    }
    #[inline(always)]
    fn wide(self) -> f64 {
        self
    }
    #[inline(always)]
    fn abs(self) -> Self {
        f64::abs(self)
    }
    #[inline(always)]
    fn max(self, other: Self) -> Self {
        if other > self { other } else { self }
    }
}

impl Real for f32 {
    const ZERO: Self = 0.0;
    const ONE: Self = 1.0;
    #[inline(always)]
    fn of(v: f64) -> Self {
        v as f32
    }
    #[inline(always)]
    fn wide(self) -> f64 {
        f64::from(self)
    }
    #[inline(always)]
    fn abs(self) -> Self {
        f32::abs(self)
    }
    #[inline(always)]
    fn max(self, other: Self) -> Self {
        if other > self { other } else { self }
    }
}

/// What bounds the domain, for one field.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Boundary {
    /// Nothing crosses the domain's edge (a closed piece of tissue).
    NoFlux,
    /// The edge is held at a fixed concentration (tissue beyond acts as a reservoir).
    Fixed(f64),
}

/// Settings of the iterative solve.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SolverSettings {
    /// Stop when the error left, estimated from the last cycle's change and the contraction
    /// per cycle, is below this fraction of the field's largest value. (default: 1e-2)
    pub tolerance: f64,
    /// Never run more V-cycles than this in one step. (default: 20)
    pub max_cycles: u32,
    /// Also stop when the error left is below this absolute amount (for a field that is all
    /// but gone, where a relative criterion means nothing). (default: 0)
    pub absolute_tolerance: f64,
    /// The number type the multigrid works in. (default: [`Precision::Double`])
    #[serde(default)]
    pub precision: Precision,
}

/// The number type the multigrid cycles work in. The fields, the right-hand side, the
/// stopping rule and the discrete balance stay in `f64` either way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Precision {
    /// `f64` throughout: a solve can be driven to round-off (about 10⁻¹⁵ of the field).
    #[default]
    Double,
    /// `f32` inside the cycles (geometry, factorisations, work arrays; the residuals are
    /// summed in f64): half the bytes per pass. A solve stops where a cycle changes nothing
    /// f32 resolves, about 10⁻⁷ of the field, far below the 10⁻² a run asks for.
    Single,
}

impl Precision {
    /// The precision of numbers `bits` wide (32 or 64), if there is one.
    pub fn from_bits(bits: f64) -> Option<Precision> {
        match bits {
            32.0 => Some(Precision::Single),
            64.0 => Some(Precision::Double),
            _ => None,
        }
    }

    /// Bytes per number.
    pub fn bytes(self) -> f64 {
        match self {
            Precision::Double => 8.0,
            Precision::Single => 4.0,
        }
    }

    /// The smallest tolerance a run may ask of this precision: for f32, about ten times
    /// its relative round-off, so that the stopping rule is not asked to see changes
    /// below what f32 resolves.
    pub fn smallest_tolerance(self) -> f64 {
        match self {
            Precision::Double => 1e-12,
            Precision::Single => 1e-6,
        }
    }
}

impl Default for SolverSettings {
    fn default() -> Self {
        Self { tolerance: 1e-2, max_cycles: 20, absolute_tolerance: 0.0, precision: Precision::Double }
    }
}

/// The relative diffusivity of each site (1 in open marrow).
#[derive(Clone, Copy, Debug)]
pub enum Permeability<'a> {
    /// Given site by site.
    Sites(&'a [f64]),
    /// Made from how much bone matrix fills each site (0–1): 1 where none does, `bone` where
    /// it fills the site, linear between ([`permeability_of`]). A run keeps the matrix the
    /// fields last saw in f32 (4 bytes per site) rather than the permeability in f64 (8).
    Matrix {
        /// The fraction of each site that bone matrix fills.
        matrix: &'a [f32],
        /// The permeability of bone matrix filling a site.
        bone: f64,
    },
}

impl Permeability<'_> {
    /// Sites.
    pub fn len(&self) -> usize {
        match self {
            Permeability::Sites(p) => p.len(),
            Permeability::Matrix { matrix, .. } => matrix.len(),
        }
    }

    /// Whether there are no sites.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The permeability of site `i`.
    #[inline]
    pub fn at(&self, i: usize) -> f64 {
        match *self {
            Permeability::Sites(p) => p[i],
            Permeability::Matrix { matrix, bone } => permeability_of(matrix[i], bone),
        }
    }

    /// Whether `self` and `other` give every site the same permeability.
    fn same_as(&self, other: &Permeability, parallel: bool) -> bool {
        match (*self, *other) {
            (Permeability::Sites(a), Permeability::Sites(b)) => std::ptr::eq(a, b) || same(a, b, parallel),
            (Permeability::Matrix { matrix: a, bone: x }, Permeability::Matrix { matrix: b, bone: y }) if x == y => {
                std::ptr::eq(a, b) || same(a, b, parallel)
            }
            _ => self.len() == other.len() && (0..self.len()).all(|i| self.at(i) == other.at(i)),
        }
    }

    /// Every site's permeability.
    fn to_vec(self) -> Vec<f64> {
        (0..self.len()).map(|i| self.at(i)).collect()
    }
}

/// The permeability of a site whose fraction `fill` (0–1) is bone matrix of permeability
/// `bone`: 1 in open marrow, linear in the fill.
#[inline]
pub fn permeability_of(fill: f32, bone: f64) -> f64 {
    1.0 - (1.0 - bone) * fill as f64
}

/// One diffusion–decay step to take: everything but the field itself.
#[derive(Clone, Copy, Debug)]
pub struct DiffusionProblem<'a> {
    /// Diffusion coefficient in free tissue (marrow), µm²/s.
    pub diffusion_um2_s: f64,
    /// First-order decay rate, 1/s (ln 2 / half-life).
    pub decay_per_s: f64,
    /// Lattice spacing, µm.
    pub site_um: f64,
    /// Time step, s.
    pub dt_s: f64,
    /// Relative diffusivity of each site, 0 < p ≤ 1 (1 in marrow; lower in mineralised bone,
    /// whose matrix leaves only the lacuno-canalicular porosity free).
    pub permeability: Permeability<'a>,
    /// The caller's name for `permeability`, if it keeps one: steps that give the same
    /// `Some(version)` promise the same permeability, so the solver neither compares it nor
    /// keeps a copy of it (8 bytes per site); a new version rebuilds the geometry. `None`: the
    /// solver keeps a copy and compares every step's against it.
    pub permeability_version: Option<u64>,
    /// First-order sink, 1/s (uptake by cells, loss into vessels).
    pub sinks: SiteRates<'a>,
    /// Sources, concentration per s.
    pub sources: SiteRates<'a>,
    /// What happens at the domain's edge.
    pub boundary: Boundary,
}

/// A rate at each site of the lattice, for a field's sources (concentration per s) or its
/// first-order sink (1/s), in whichever form is smallest for it.
#[derive(Clone, Copy, Debug, Default)]
pub enum SiteRates<'a> {
    /// Zero everywhere.
    #[default]
    None,
    /// A rate for every site, row-major.
    PerSite(&'a [f64]),
    /// Rates at the listed sites only, `(site, rate)` sorted by site, each site once: a
    /// field's sources sit where its cells are, a few thousand sites of the lattice, and
    /// blood takes factors up only at vessels.
    AtSites(&'a [(u32, f64)]),
    /// The sum of the two (uptake by cells everywhere, and vessels).
    PerSitePlus(&'a [f64], &'a [(u32, f64)]),
}

impl SiteRates<'_> {
    /// Where the listed sites of row `y` (of width `w`) start (0 without a list).
    fn row_start(&self, y: usize, w: usize) -> usize {
        match self {
            SiteRates::AtSites(list) | SiteRates::PerSitePlus(_, list) => {
                list.partition_point(|&(site, _)| (site as usize) < y * w)
            }
            _ => 0,
        }
    }

    /// The rate at site `i`, for sites visited in increasing order; `next` is where the
    /// visit has got to in the list.
    #[inline]
    fn at(&self, i: usize, next: &mut usize) -> f64 {
        let listed = |list: &[(u32, f64)], next: &mut usize| match list.get(*next) {
            Some(&(site, rate)) if site as usize == i => {
                *next += 1;
                rate
            }
            _ => 0.0,
        };
        match self {
            SiteRates::None => 0.0,
            SiteRates::PerSite(rates) => rates[i],
            SiteRates::AtSites(list) => listed(list, next),
            SiteRates::PerSitePlus(rates, list) => rates[i] + listed(list, next),
        }
    }
}

/// What one solve did.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SolveStats {
    /// V-cycles run.
    pub cycles: u32,
    /// Error estimated to be left by the last cycle, relative to the largest value of the
    /// field.
    pub relative_change: f64,
    /// Largest change over the whole step, relative to the largest value of the field.
    pub step_change: f64,
    /// Amount moved by the final non-negativity step, as a fraction of the total.
    pub clipped_fraction: f64,
    /// Whether the tolerance was reached within the allowed cycles.
    pub converged: bool,
}

/// The transport geometry of one grid level for a unit diffusion coefficient: couplings
/// between neighbouring sites, row-major (`index = y * w + x`).
#[derive(Clone, Debug)]
struct GeometryLevel<R = f64> {
    w: usize,
    h: usize,
    /// Coupling between (x, y) and (x + 1, y); zero in the last column.
    cx: Vec<R>,
    /// Coupling between (x, y) and (x, y + 1); zero in the last row.
    cy: Vec<R>,
    /// Sum of the couplings of each site.
    csum: Vec<R>,
    /// Coupling of each site to a fixed-value edge; finest level only.
    edge: EdgeCouplings<R>,
    /// Interpolation from the next coarser level: the weight each site takes from its own
    /// aggregate along x and along y (the rest comes from the neighbouring aggregate on its
    /// side). Empty on the coarsest level.
    own_x: Vec<R>,
    own_y: Vec<R>,
}

/// The transport geometry of every level, finest first, in the solver's number type, from
/// the permeability of each site. Every coupling, sum and weight is worked out in f64 from
/// the f64 couplings of its level and rounded once; a level's f64 couplings are made only
/// as the next coarser level needs them (the finest level's from the permeability, a block
/// of rows at a time), so building it holds no f64 copy of the finest level (a fifth of a
/// run's peak memory at 400² when it did).
fn geometry_levels<R: Real>(level_dims: &[(usize, usize)], permeability: Permeability) -> Vec<GeometryLevel<R>> {
    let p = |i: usize| permeability.at(i);
    let (w, h) = level_dims[0];
    // A face conducts with the harmonic mean of its two sites.
    let cx = |y: usize, out: &mut [f64]| {
        for (x, c) in out.iter_mut().enumerate() {
            let i = y * w + x;
            *c = if x + 1 < w { harmonic_mean(p(i), p(i + 1)) } else { 0.0 };
        }
    };
    let cy = |y: usize, out: &mut [f64]| {
        for (x, c) in out.iter_mut().enumerate() {
            let i = y * w + x;
            *c = if y + 1 < h { harmonic_mean(p(i), p(i + w)) } else { 0.0 };
        }
    };
    // A fixed edge value sits half a site beyond the boundary sites: coupling 2p per face.
    // It enters the coarse levels through the restricted reaction terms, so only the finest
    // level keeps its edge couplings.
    let edge = |i: usize| {
        let (x, y) = (i % w, i / w);
        let faces = (x == 0) as u32 + (x + 1 == w) as u32 + (y == 0) as u32 + (y + 1 == h) as u32;
        2.0 * p(i) * faces as f64
    };
    let coarser = level_dims.len() > 1;
    let mut levels = vec![GeometryLevel::from_couplings((w, h), &cx, &cy, Some(&edge), coarser)];
    let mut next = coarser.then(|| coarse_couplings((w, h), &cx, &cy));
    for (l, &(w, h)) in level_dims.iter().enumerate().skip(1) {
        let (cx, cy) = next.take().expect("each coarse level's couplings are made by the level above");
        let cx = |y: usize, out: &mut [f64]| out.copy_from_slice(&cx[y * w..(y + 1) * w]);
        let cy = |y: usize, out: &mut [f64]| out.copy_from_slice(&cy[y * w..(y + 1) * w]);
        let coarser = l + 1 < level_dims.len();
        levels.push(GeometryLevel::from_couplings((w, h), &cx, &cy, None, coarser));
        next = coarser.then(|| coarse_couplings((w, h), &cx, &cy));
    }
    levels
}

/// A level's f64 couplings along x or y, handed over a row at a time: `faces(y, out)` writes
/// row `y`'s (the coupling of each site to its right or lower neighbour; zero in the last
/// column or row).
trait RowFaces: Fn(usize, &mut [f64]) + Sync {}
impl<F: Fn(usize, &mut [f64]) + Sync> RowFaces for F {}

/// Rows of a level built together by one task: each face's coupling is worked out once per
/// block where it is used (a site's sum and interpolation weights use faces up to two rows
/// away), not once per use.
const GEOMETRY_BLOCK_ROWS: usize = 16;

/// Rows `from .. to` (cut to `0 .. h`) of a `w`-wide level's couplings from `faces`, in one
/// array; `at(y, x)` reads one.
struct FaceRows {
    from: usize,
    w: usize,
    values: Vec<f64>,
}

impl FaceRows {
    fn new(faces: &impl RowFaces, (w, h): (usize, usize), from: usize, to: usize) -> Self {
        let to = to.min(h).max(from);
        let mut values = vec![0.0; (to - from) * w];
        for (y, row) in (from..to).zip(values.chunks_mut(w.max(1))) {
            faces(y, row);
        }
        FaceRows { from, w, values }
    }

    #[inline]
    fn at(&self, y: usize, x: usize) -> f64 {
        self.values[(y - self.from) * self.w + x]
    }

    #[inline]
    fn row(&self, y: usize) -> &[f64] {
        &self.values[(y - self.from) * self.w..(y - self.from + 1) * self.w]
    }
}

/// The couplings (along x, along y) of the level of 2 × 2 aggregates below a `w × h` level
/// with couplings `cx`, `cy`. A fine line crossing a coarse face is a path from one coarse
/// centre to the next through half a face, a full face and half a face, in series; the two
/// lines of an aggregate pair conduct in parallel. With uniform coefficients this is half
/// the sum of the crossing faces (the coarse gradient spans twice the distance); across bone
/// it keeps the bottleneck.
fn coarse_couplings((w, h): (usize, usize), cx: &impl RowFaces, cy: &impl RowFaces) -> (Vec<f64>, Vec<f64>) {
    let (wc, hc) = (w.div_ceil(2), h.div_ceil(2));
    let mut coarse_x = vec![0.0; wc * hc];
    let mut coarse_y = vec![0.0; wc * hc];
    // A coarse row takes the faces along x of its two fine rows and those along y of the
    // three fine rows from its first.
    let block = |(j, (block_x, block_y)): RowsOf<f64, f64>| {
        let (yc0, yc1) = (j * GEOMETRY_BLOCK_ROWS, j * GEOMETRY_BLOCK_ROWS + block_x.len() / wc);
        let along_x = FaceRows::new(cx, (w, h), 2 * yc0, 2 * yc1);
        let along_y = FaceRows::new(cy, (w, h), 2 * yc0, 2 * yc1 + 1);
        for (yc, (row_x, row_y)) in (yc0..yc1).zip(block_x.chunks_mut(wc).zip(block_y.chunks_mut(wc))) {
            for (xc, (to_x, to_y)) in row_x.iter_mut().zip(row_y).enumerate() {
                if xc + 1 < wc {
                    *to_x = (2 * yc..(2 * yc + 2).min(h)).map(|y| series_path(|i| along_x.row(y)[i], 2 * xc, w)).sum();
                }
                if yc + 1 < hc {
                    *to_y = (2 * xc..(2 * xc + 2).min(w)).map(|x| series_path(|i| along_y.at(i, x), 2 * yc, h)).sum();
                }
            }
        }
    };
    // Each value is worked out the same way whichever thread makes it.
    let rows = GEOMETRY_BLOCK_ROWS * wc;
    if w * h >= PARALLEL_MIN_SITES {
        coarse_x.par_chunks_mut(rows).zip(coarse_y.par_chunks_mut(rows)).enumerate().for_each(block);
    } else {
        coarse_x.chunks_mut(rows).zip(coarse_y.chunks_mut(rows)).enumerate().for_each(block);
    }
    (coarse_x, coarse_y)
}

impl<R: Real> GeometryLevel<R> {
    /// A `w × h` level from its couplings in f64 (`cx(i)` between site `i` and its right
    /// neighbour, `cy(i)` its lower one), its edge couplings (finest level only), and, if a
    /// coarser level follows, its interpolation weights: a site takes from each neighbouring
    /// coarse centre in proportion to the conductance of its path to that centre (half a
    /// face to its own aggregate's centre, a face and a half to the other's). With uniform
    /// coefficients that is bilinear interpolation (3/4 and 1/4); across bone, a site leans
    /// on the side it is connected to.
    fn from_couplings(
        (w, h): (usize, usize),
        cx: &impl RowFaces,
        cy: &impl RowFaces,
        edge: Option<&dyn Fn(usize) -> f64>,
        coarser: bool,
    ) -> Self {
        let n = w * h;
        let (mut along_x, mut along_y, mut csum) = (vec![R::ZERO; n], vec![R::ZERO; n], vec![R::ZERO; n]);
        // The coarsest level has no interpolation weights: its arrays are only there for the
        // blocks to be cut from (it has at most a few dozen sites), left at zero, and dropped.
        let (mut own_x, mut own_y) = (vec![R::ZERO; n], vec![R::ZERO; n]);
        type Block<'a, R> = (usize, ((&'a mut [R], &'a mut [R]), (&'a mut [R], (&'a mut [R], &'a mut [R]))));
        let block = |(j, ((to_x, to_y), (to_sum, (to_own_x, to_own_y)))): Block<R>| {
            let (y0, y1) = (j * GEOMETRY_BLOCK_ROWS, j * GEOMETRY_BLOCK_ROWS + to_x.len() / w);
            // Faces along y from two rows above the block to one below it.
            let faces_y = FaceRows::new(cy, (w, h), y0.saturating_sub(2), y1 + 1);
            let mut faces_x = vec![0.0; w];
            for y in y0..y1 {
                cx(y, &mut faces_x);
                let r = (y - y0) * w;
                for x in 0..w {
                    let (right, below) = (faces_x[x], faces_y.at(y, x));
                    let left = if x > 0 { faces_x[x - 1] } else { 0.0 };
                    let up = if y > 0 { faces_y.at(y - 1, x) } else { 0.0 };
                    to_x[r + x] = R::of(right);
                    to_y[r + x] = R::of(below);
                    to_sum[r + x] = R::of(right + below + left + up);
                    if coarser {
                        to_own_x[r + x] = R::of(own_weight(|k| faces_x[k], x, w));
                        to_own_y[r + x] = R::of(own_weight(|k| faces_y.at(k, x), y, h));
                    }
                }
            }
        };
        // Each value is worked out the same way whichever thread makes it.
        let rows = GEOMETRY_BLOCK_ROWS * w;
        if n >= PARALLEL_MIN_SITES {
            let owns = own_x.par_chunks_mut(rows).zip(own_y.par_chunks_mut(rows));
            let sums = csum.par_chunks_mut(rows).zip(owns);
            along_x.par_chunks_mut(rows).zip(along_y.par_chunks_mut(rows)).zip(sums).enumerate().for_each(block);
        } else {
            let owns = own_x.chunks_mut(rows).zip(own_y.chunks_mut(rows));
            let sums = csum.chunks_mut(rows).zip(owns);
            along_x.chunks_mut(rows).zip(along_y.chunks_mut(rows)).zip(sums).enumerate().for_each(block);
        }
        if !coarser {
            (own_x, own_y) = (Vec::new(), Vec::new());
        }
        GeometryLevel {
            w,
            h,
            cx: along_x,
            cy: along_y,
            csum,
            edge: edge.map_or_else(EdgeCouplings::none, |e| EdgeCouplings::new(w, h, e)),
            own_x,
            own_y,
        }
    }
}

/// The coupling of each site of a `w × h` level to a fixed-value edge, kept for the sites of
/// the boundary only (every other site's is zero).
#[derive(Clone, Debug)]
struct EdgeCouplings<R> {
    /// The first row's sites, then the last row's.
    rows: Vec<R>,
    /// The first column's sites, then the last column's (the corners are the rows').
    columns: Vec<R>,
}

impl<R: Real> EdgeCouplings<R> {
    fn new(w: usize, h: usize, edge: &dyn Fn(usize) -> f64) -> Self {
        let rows = (0..w).chain((0..w).map(|x| (h - 1) * w + x));
        let columns = (0..h).map(|y| y * w).chain((0..h).map(|y| y * w + w - 1));
        EdgeCouplings {
            rows: rows.map(|i| R::of(edge(i))).collect(),
            columns: columns.map(|i| R::of(edge(i))).collect(),
        }
    }

    /// None kept (a coarse level's).
    fn none() -> Self {
        EdgeCouplings { rows: Vec::new(), columns: Vec::new() }
    }

    /// The coupling of site (x, y) of a `w × h` level.
    #[inline]
    fn at(&self, x: usize, y: usize, w: usize, h: usize) -> R {
        if y == 0 {
            self.rows[x]
        } else if y + 1 == h {
            self.rows[w + x]
        } else if x == 0 {
            self.columns[y]
        } else if x + 1 == w {
            self.columns[h + y]
        } else {
            R::ZERO
        }
    }
}

impl<R> GeometryLevel<R> {
    fn parallel(&self) -> bool {
        self.w * self.h >= PARALLEL_MIN_SITES
    }

    /// Where the column solves keep site (x, y): the even columns first, then the odd ones,
    /// each row-major over its own columns. A zebra pass over the columns of one parity then
    /// streams only its half of the pivots, gains and forward values.
    #[inline]
    fn column_site(&self, x: usize, y: usize) -> usize {
        let parity = x % 2;
        parity * self.h * self.w.div_ceil(2) + y * self.parity_width(parity) + x / 2
    }

    /// How many columns of parity `parity` (of `x`'s parity, for any `x`) there are.
    #[inline]
    fn parity_width(&self, parity: usize) -> usize {
        if parity.is_multiple_of(2) { self.w.div_ceil(2) } else { self.w / 2 }
    }
}

/// Weight that site `f` of a line of `n` sites takes from its own aggregate's centre; `face(k)`
/// couples sites `k` and `k + 1`.
fn own_weight(face: impl Fn(usize) -> f64, f: usize, n: usize) -> f64 {
    let face = |k: usize| if k + 1 < n { face(k) } else { 0.0 };
    let conductance = |r: f64| {
        if r.is_finite() && r > 0.0 { 1.0 / r } else { 0.0 }
    };
    let (own, side) = if f.is_multiple_of(2) {
        // Own centre on the face to the right (if the aggregate is two wide); the other
        // aggregate's centre one and a half faces to the left.
        if f + 1 >= n {
            return 1.0;
        }
        let own = 0.5 / face(f);
        let side = if f >= 2 { 1.0 / face(f - 1) + 0.5 / face(f - 2) } else { f64::INFINITY };
        (own, side)
    } else {
        let own = 0.5 / face(f - 1);
        let side = if f + 2 < n {
            1.0 / face(f) + 0.5 / face(f + 1)
        } else if f + 1 < n {
            1.0 / face(f)
        } else {
            f64::INFINITY
        };
        (own, side)
    };
    let (g_own, g_side) = (conductance(own), conductance(side));
    if g_own + g_side > 0.0 { g_own / (g_own + g_side) } else { 1.0 }
}

/// The aggregate a fine index leans towards besides its own (its own at the domain's edge).
#[inline]
fn side_of(f: usize, n_coarse: usize) -> usize {
    let c = f / 2;
    if f.is_multiple_of(2) { c.saturating_sub(1) } else { (c + 1).min(n_coarse - 1) }
}

/// Conductance along one fine line from the centre of the aggregate starting at `start` to
/// the centre of the next; `face(i)` couples sites `i` and `i + 1` of a line of `n` sites.
fn series_path(face: impl Fn(usize) -> f64, start: usize, n: usize) -> f64 {
    let face = |i: usize| if i + 1 < n { face(i) } else { 0.0 };
    let mut resistance = 1.0 / face(start + 1);
    if start + 1 < n {
        resistance += 0.5 / face(start);
    }
    if start + 3 < n {
        resistance += 0.5 / face(start + 2);
    }
    if resistance.is_finite() && resistance > 0.0 { 1.0 / resistance } else { 0.0 }
}

fn harmonic_mean(a: f64, b: f64) -> f64 {
    if a + b > 0.0 { 2.0 * a * b / (a + b) } else { 0.0 }
}

/// The values of `K` fields at one site, side by side: the fields solved together share one
/// pass over the lattice per sweep (the geometry is read once for all of them), and their
/// arithmetic fills the lanes of a SIMD register. One field is `K = 1`.
type Lanes<R, const K: usize> = [R; K];

/// The diagonal of a site's row of `A`: its reaction terms and its couplings' sum scaled by
/// `g`, in the solver's type (as the factorisations take it).
#[inline(always)]
fn diagonal<R: Real, const K: usize>(react: Lanes<R, K>, g: Lanes<R, K>, csum: R) -> Lanes<R, K> {
    std::array::from_fn(|k| react[k] + g[k] * csum)
}

/// [`diagonal`] from a site's reaction terms, which are not read where `UNIT` says they are
/// all 1 (the finest level of a plain step, [`FieldSystems::plain`]): the same value, one
/// array fewer streamed by the passes that make the diagonal.
#[inline(always)]
fn diagonal_of<R: Real, const K: usize, const UNIT: bool>(react: &Lanes<R, K>, g: Lanes<R, K>, csum: R) -> Lanes<R, K> {
    diagonal(if UNIT { [R::ONE; K] } else { *react }, g, csum)
}

/// Row `y` of two arrays, as parallel loops over rows hand it to a closure.
type RowsOf<'a, A, B> = (usize, (&'a mut [A], &'a mut [B]));

/// The per-field systems of one level, `K` fields side by side: `A = diag − g·(couplings)`,
/// with the factorisations of its row and column tridiagonals. The diagonal
/// `react + g·csum` is made where it is used ([`diagonal`]): storing it would save an add and
/// a multiply per site and read, at 4–8 bytes per site and field.
#[derive(Clone, Debug)]
struct LevelSystem<R: Real, const K: usize> {
    /// Everything on the diagonal but the internal couplings: `1 + τU` (plus a fixed edge's
    /// coupling) on the finest level, their restriction below.
    react: Vec<Lanes<R, K>>,
    /// Thomas factors of each row: inverse pivots (the gains `x_i = f_i + gain_i x_{i+1}`,
    /// `gain_i = g·cx_i·inv_pivot_i`, are made as a row is solved, from data in cache).
    row_inv_pivot: Vec<Lanes<R, K>>,
    /// Inverse pivots of each column (recurrence along y), the columns of each parity apart
    /// ([`GeometryLevel::column_site`]); the gains `g·cy_i·inv_pivot_i` are made as a column
    /// is solved, as the rows' are.
    col_inv_pivot: Vec<Lanes<R, K>>,
}

impl<R: Real, const K: usize> LevelSystem<R, K> {
    fn new(n: usize) -> Self {
        LevelSystem {
            react: vec![[R::ZERO; K]; n],
            row_inv_pivot: vec![[R::ZERO; K]; n],
            col_inv_pivot: vec![[R::ZERO; K]; n],
        }
    }

    /// Recomputes both factorisations from `react` (all 1 if `unit_react`, and then not
    /// read), `g` and the geometry. Couplings are non-negative and the diagonal dominates, so
    /// every pivot is positive.
    fn factorise(&mut self, geo: &GeometryLevel<R>, g: Lanes<R, K>, unit_react: bool) {
        if unit_react {
            self.factorise_with::<true>(geo, g);
        } else {
            self.factorise_with::<false>(geo, g);
        }
    }

    /// [`LevelSystem::factorise`], the reaction terms all 1 (`UNIT`) or as stored.
    fn factorise_with<const UNIT: bool>(&mut self, geo: &GeometryLevel<R>, g: Lanes<R, K>) {
        let w = geo.w;
        let react = &self.react;
        let diag = |i: usize| diagonal_of::<R, K, UNIT>(&react[i], g, geo.csum[i]);
        // Rows: each pivot waits on a division by the one before, so `LOCKSTEP_ROWS` rows are
        // factorised side by side for their divisions to overlap.
        let factor_rows = |(j, inv): (usize, &mut [Lanes<R, K>])| {
            let (y0, rows) = (j * LOCKSTEP_ROWS, inv.len() / w);
            let mut previous_gain = [[R::ZERO; K]; LOCKSTEP_ROWS];
            if rows == LOCKSTEP_ROWS {
                // The rows' divisions side by side, in SIMD lanes.
                let row = |r: usize| (y0 + r) * w..(y0 + r + 1) * w;
                let c: [&[R]; LOCKSTEP_ROWS] = std::array::from_fn(|r| &geo.cx[row(r)]);
                let re: [&[Lanes<R, K>]; LOCKSTEP_ROWS] = std::array::from_fn(|r| &react[row(r)]);
                let cs: [&[R]; LOCKSTEP_ROWS] = std::array::from_fn(|r| &geo.csum[row(r)]);
                for x in 0..w {
                    let mut den = [[R::ZERO; K]; LOCKSTEP_ROWS];
                    for r in 0..LOCKSTEP_ROWS {
                        let d = diagonal_of::<R, K, UNIT>(&re[r][x], g, cs[r][x]);
                        for k in 0..K {
                            den[r][k] = if x > 0 { d[k] - g[k] * c[r][x - 1] * previous_gain[r][k] } else { d[k] };
                        }
                    }
                    for v in den.as_flattened_mut() {
                        *v = R::ONE / *v;
                    }
                    for r in 0..LOCKSTEP_ROWS {
                        inv[r * w + x] = den[r];
                        for k in 0..K {
                            previous_gain[r][k] = g[k] * c[r][x] * den[r][k];
                        }
                    }
                }
                return;
            }
            for x in 0..w {
                for (r, previous) in previous_gain.iter_mut().enumerate().take(rows) {
                    let (i, d) = ((y0 + r) * w + x, &mut inv[r * w + x]);
                    let lower_c = if x > 0 { geo.cx[i - 1] } else { R::ZERO };
                    for k in 0..K {
                        let lower = if x > 0 { g[k] * lower_c } else { R::ZERO };
                        d[k] = R::ONE / (diag(i)[k] - lower * previous[k]);
                        previous[k] = g[k] * geo.cx[i] * d[k];
                    }
                }
            }
        };
        for_each_chunk(&mut self.row_inv_pivot, LOCKSTEP_ROWS * w, geo.parallel(), factor_rows);
        // Columns: the recurrence runs along y, so whole rows are processed at once. Stored
        // column-parity apart (see GeometryLevel::column_site): the two parities are
        // independent halves, factorised side by side.
        let split = geo.h * geo.parity_width(0);
        let (even_inv, odd_inv) = self.col_inv_pivot.split_at_mut(split);
        let factor_columns = |parity: usize, inv: &mut [Lanes<R, K>]| {
            let width = geo.parity_width(parity);
            // Row by row, the row's sites of this parity as slices (every other site of the
            // lattice's arrays, a run of the parity-apart pivots): no branch or bounds check
            // inside a row.
            for y in 0..geo.h {
                let row = y * w + parity..(y + 1) * w;
                let (react, csum) = (react[row.clone()].iter().step_by(2), geo.csum[row].iter().step_by(2));
                let (done, rest) = inv.split_at_mut(y * width);
                let sites = rest[..width].iter_mut().zip(react).zip(csum);
                if y == 0 {
                    for ((inv, r), s) in sites {
                        let d = diagonal_of::<R, K, UNIT>(r, g, *s);
                        for k in 0..K {
                            inv[k] = R::ONE / d[k];
                        }
                    }
                } else {
                    let above = &done[(y - 1) * width..];
                    let cy = geo.cy[(y - 1) * w + parity..y * w].iter().step_by(2);
                    for ((((inv, r), s), c), a) in sites.zip(cy).zip(above) {
                        let d = diagonal_of::<R, K, UNIT>(r, g, *s);
                        for k in 0..K {
                            let gain_above = g[k] * *c * a[k];
                            inv[k] = R::ONE / (d[k] - g[k] * *c * gain_above);
                        }
                    }
                }
            }
        };
        if geo.parallel() {
            rayon::join(|| factor_columns(0, even_inv), || factor_columns(1, odd_inv));
        } else {
            factor_columns(0, even_inv);
            factor_columns(1, odd_inv);
        }
    }
}

/// The work arrays of one level, `K` fields side by side.
#[derive(Clone, Debug)]
struct WorkLevel<R: Real, const K: usize> {
    /// Solution (finest level) or correction (coarser levels).
    u: Vec<Lanes<R, K>>,
    /// Right-hand side.
    b: Vec<Lanes<R, K>>,
    /// What each pass needs for a while, in turn: the relaxation's right-hand side rows and
    /// the column solver's forward values (the first `w × h`), the half-width rows of the
    /// restriction (two halves of `h × coarse w`, see [`WorkLevel::half_rows`]), the
    /// interpolated coarse correction (the first `w × h`).
    scratch: Vec<Lanes<R, K>>,
    /// The residual before the coarse correction (the correction's step needs `c·r`).
    residual: Vec<Lanes<R, K>>,
    /// Row partial sums, for sums in a fixed order (in `f64` whatever the solver's type).
    partials: Vec<[f64; K]>,
    /// The solution before the current cycle (finest level only; empty below).
    previous: Vec<Lanes<R, K>>,
    /// Sites in one half-width restriction array (`h × coarse w`).
    half: usize,
}

impl<R: Real, const K: usize> WorkLevel<R, K> {
    fn new(w: usize, h: usize, finest: bool) -> Self {
        let (n, half) = (w * h, h * w.div_ceil(2));
        WorkLevel {
            u: vec![[R::ZERO; K]; n],
            b: vec![[R::ZERO; K]; n],
            scratch: vec![[R::ZERO; K]; n.max(2 * half)],
            residual: vec![[R::ZERO; K]; n],
            partials: vec![[0.0; K]; 2 * h],
            previous: if finest { vec![[R::ZERO; K]; n] } else { Vec::new() },
            half,
        }
    }

    /// The scratch as the two half-width row arrays of a restriction (`to_own`, `to_side`).
    fn half_rows(scratch: &mut [Lanes<R, K>], half: usize) -> (&mut [Lanes<R, K>], &mut [Lanes<R, K>]) {
        scratch[..2 * half].split_at_mut(half)
    }
}

/// One level's operator: geometry, the fields' systems and their coupling scales `g = τD/Δx²`.
#[derive(Clone, Copy)]
struct LevelOperator<'a, R: Real, const K: usize> {
    geo: &'a GeometryLevel<R>,
    sys: &'a LevelSystem<R, K>,
    g: Lanes<R, K>,
    /// The reaction terms are all 1 (the finest level of a plain step): not read.
    unit_react: bool,
}

impl<R: Real, const K: usize> LevelOperator<'_, R, K> {
    /// `out = b − A u` on row `y`.
    #[inline]
    fn residual_row(&self, u: &[Lanes<R, K>], b: &[Lanes<R, K>], y: usize, out: &mut [Lanes<R, K>]) {
        let b = &b[y * self.geo.w..(y + 1) * self.geo.w];
        self.row_of(u, y, |x0, a| {
            for ((o, b), a) in out[x0..x0 + a.len()].iter_mut().zip(&b[x0..]).zip(a) {
                for k in 0..K {
                    o[k] = R::of(b[k].wide() - a[k]);
                }
            }
        });
    }

    /// `A u` on row `y`, handed to `emit` in runs of neighbouring sites in x order:
    /// `emit(x0, a)` with `a[j]` the value at `x0 + j`, in f64. One pass over the row, each
    /// site's terms taken in the same order (diagonal, left, right, above, below) at every
    /// site.
    #[inline]
    fn row_of(&self, u: &[Lanes<R, K>], y: usize, emit: impl FnMut(usize, &[[f64; K]])) {
        match (y > 0, y + 1 < self.geo.h, self.unit_react) {
            (true, true, false) => self.row_with::<true, true, false>(u, y, emit),
            (true, false, false) => self.row_with::<true, false, false>(u, y, emit),
            (false, true, false) => self.row_with::<false, true, false>(u, y, emit),
            (false, false, false) => self.row_with::<false, false, false>(u, y, emit),
            (true, true, true) => self.row_with::<true, true, true>(u, y, emit),
            (true, false, true) => self.row_with::<true, false, true>(u, y, emit),
            (false, true, true) => self.row_with::<false, true, true>(u, y, emit),
            (false, false, true) => self.row_with::<false, false, true>(u, y, emit),
        }
    }

    /// [`LevelOperator::row_of`] for a row with (`UP`) or without a row above and (`DOWN`)
    /// below, its reaction terms all 1 (`UNIT`, not read) or as stored. The sums are taken
    /// in f64 whatever the solver's type: with long steps the diagonal and the couplings are
    /// thousands of times the result, and f32 sums would lose the residual in their
    /// round-off.
    #[inline(always)]
    fn row_with<const UP: bool, const DOWN: bool, const UNIT: bool>(
        &self,
        u: &[Lanes<R, K>],
        y: usize,
        mut emit: impl FnMut(usize, &[[f64; K]]),
    ) {
        let (w, g, g_r) = (self.geo.w, self.g.map(R::wide), self.g);
        let i0 = y * w;
        let row = i0..i0 + w;
        let (ur, cr) = (&u[row.clone()], &self.geo.cx[row.clone()]);
        let (react, csum) = (&self.sys.react[row.clone()], &self.geo.csum[row]);
        // Above and below: the row itself stands in where there is none (never read).
        let (up, cy_up) = if UP { (&u[i0 - w..i0], &self.geo.cy[i0 - w..i0]) } else { (ur, cr) };
        let (down, cy_down) = if DOWN { (&u[i0 + w..i0 + 2 * w], &self.geo.cy[i0..i0 + w]) } else { (ur, cr) };
        let site = |x: usize, left: bool, right: bool| {
            let d = diagonal_of::<R, K, UNIT>(&react[x], g_r, csum[x]);
            let mut o = [0.0; K];
            for k in 0..K {
                let mut v = d[k].wide() * ur[x][k].wide();
                if left {
                    v -= g[k] * cr[x - 1].wide() * ur[x - 1][k].wide();
                }
                if right {
                    v -= g[k] * cr[x].wide() * ur[x + 1][k].wide();
                }
                if UP {
                    v -= g[k] * cy_up[x].wide() * up[x][k].wide();
                }
                if DOWN {
                    v -= g[k] * cy_down[x].wide() * down[x][k].wide();
                }
                o[k] = v;
            }
            o
        };
        if w == 1 {
            emit(0, &[site(0, false, false)]);
            return;
        }
        emit(0, &[site(0, false, true)]);
        // Inside the row, in runs that stay in L1: every slice of a run cut to its length, so
        // the loop runs without bounds checks and vectorises.
        const RUN: usize = 64;
        let mut run = [[0.0; K]; RUN];
        let mut x0 = 1;
        while x0 < w - 1 {
            let len = RUN.min(w - 1 - x0);
            let at = x0..x0 + len;
            let (r, s, u0) = (&react[at.clone()], &csum[at.clone()], &ur[at.clone()]);
            let (u_left, u_right) = (&ur[x0 - 1..x0 - 1 + len], &ur[x0 + 1..x0 + 1 + len]);
            let (c_left, c_right) = (&cr[x0 - 1..x0 - 1 + len], &cr[at.clone()]);
            let (u_up, c_up, u_down, c_down) = (&up[at.clone()], &cy_up[at.clone()], &down[at.clone()], &cy_down[at]);
            for (i, out) in run[..len].iter_mut().enumerate() {
                let d = diagonal_of::<R, K, UNIT>(&r[i], g_r, s[i]);
                for k in 0..K {
                    let mut v = d[k].wide() * u0[i][k].wide();
                    v -= g[k] * c_left[i].wide() * u_left[i][k].wide();
                    v -= g[k] * c_right[i].wide() * u_right[i][k].wide();
                    if UP {
                        v -= g[k] * c_up[i].wide() * u_up[i][k].wide();
                    }
                    if DOWN {
                        v -= g[k] * c_down[i].wide() * u_down[i][k].wide();
                    }
                    out[k] = v;
                }
            }
            emit(x0, &run[..len]);
            x0 += len;
        }
        emit(w - 1, &[site(w - 1, true, false)]);
    }

    /// One relaxation: zebra line relaxation along the rows, then along the columns. Each
    /// line is solved exactly (Thomas, with the cached factors) with its neighbour lines held
    /// at their current values. With couplings non-negative, both map non-negative data to
    /// non-negative values.
    fn relax(&self, work: &mut WorkLevel<R, K>) {
        let n = work.u.len();
        self.relax_rows(&mut work.u, &work.b, &mut work.scratch[..n]);
        self.relax_columns(&mut work.u, &work.b, &mut work.scratch[..n]);
    }

    /// The rows of one parity, then of the other, `LOCKSTEP_ROWS` at a time, in parallel.
    fn relax_rows(&self, u: &mut [Lanes<R, K>], b: &[Lanes<R, K>], rhs: &mut [Lanes<R, K>]) {
        let (w, h, g) = (self.geo.w, self.geo.h, self.g);
        let cy = &self.geo.cy;
        for parity in 0..2 {
            // Right-hand sides: b plus the pull of the rows above and below.
            let fill = |(y, row): (usize, &mut [Lanes<R, K>])| {
                if y % 2 != parity {
                    return;
                }
                let i0 = y * w;
                row.copy_from_slice(&b[i0..i0 + w]);
                if y > 0 {
                    for ((r, c), v) in row.iter_mut().zip(&cy[i0 - w..i0]).zip(&u[i0 - w..i0]) {
                        for k in 0..K {
                            r[k] += g[k] * *c * v[k];
                        }
                    }
                }
                if y + 1 < h {
                    for ((r, c), v) in row.iter_mut().zip(&cy[i0..i0 + w]).zip(&u[i0 + w..i0 + 2 * w]) {
                        for k in 0..K {
                            r[k] += g[k] * *c * v[k];
                        }
                    }
                }
            };
            for_each_chunk(rhs, w, self.geo.parallel(), fill);
            let rhs: &[Lanes<R, K>] = rhs;
            // Blocks of 2·LOCKSTEP_ROWS rows hold LOCKSTEP_ROWS rows of this parity.
            let block = 2 * LOCKSTEP_ROWS;
            let solve = |(j, ub): (usize, &mut [Lanes<R, K>])| {
                let y0 = j * block;
                let full = ub.len() == block * w;
                let mut lines = ub.chunks_exact_mut(w).enumerate().skip(parity).step_by(2);
                if full {
                    let picked: [(usize, &mut [Lanes<R, K>]); LOCKSTEP_ROWS] =
                        std::array::from_fn(|_| lines.next().map(|(r, l)| (y0 + r, l)).expect("row"));
                    self.thomas_rows(picked, rhs);
                } else {
                    for (r, line) in lines {
                        self.thomas_rows([(y0 + r, line)], rhs);
                    }
                }
            };
            for_each_chunk(u, block * w, self.geo.parallel(), solve);
        }
    }

    /// Solves `R` rows side by side (their recurrences are independent, so they overlap in
    /// the pipeline), each `(y, line)`: forward `f_i = (rhs_i + g·cx_{i−1} f_{i−1}) / pivot_i`,
    /// then back `x_i = f_i + gain_i x_{i+1}`.
    #[inline]
    fn thomas_rows<const N: usize>(&self, rows: [(usize, &mut [Lanes<R, K>]); N], rhs: &[Lanes<R, K>]) {
        let (w, g) = (self.geo.w, self.g);
        let range = |y: usize| y * w..(y + 1) * w;
        let ys = rows.each_ref().map(|(y, _)| *y);
        let inv = ys.map(|y| &self.sys.row_inv_pivot[range(y)]);
        let cx = ys.map(|y| &self.geo.cx[range(y)]);
        let r = ys.map(|y| &rhs[range(y)]);
        let u = rows.map(|(_, line)| line);
        let mut f = [[R::ZERO; K]; N];
        for j in 0..N {
            for k in 0..K {
                f[j][k] = r[j][0][k] * inv[j][0][k];
            }
            u[j][0] = f[j];
        }
        for i in 1..w {
            for j in 0..N {
                let c = cx[j][i - 1];
                for k in 0..K {
                    f[j][k] = (r[j][i][k] + g[k] * c * f[j][k]) * inv[j][i][k];
                }
                u[j][i] = f[j];
            }
        }
        for i in (0..w - 1).rev() {
            for j in 0..N {
                let (next, c) = (u[j][i + 1], cx[j][i]);
                for k in 0..K {
                    let gain = g[k] * c * inv[j][i][k];
                    u[j][i][k] += gain * next[k];
                }
            }
        }
    }

    /// Zebra line relaxation along the columns: the columns of one parity, then of the
    /// other, each solved exactly from the current values of its left and right neighbours.
    /// The recurrence runs along y, so each step sweeps a whole row (every other site); blocks
    /// of columns are swept in parallel.
    fn relax_columns(&self, u: &mut [Lanes<R, K>], b: &[Lanes<R, K>], forward: &mut [Lanes<R, K>]) {
        let w = self.geo.w;
        let blocks = if self.geo.parallel() { rayon::current_num_threads().min(w / 32).max(1) } else { 1 };
        // Blocks start on even columns, so that no block writes a column another reads.
        let width = (w.div_ceil(blocks) + 1) & !1;
        for parity in 0..2 {
            let (u, forward) = (SharedLines::new(&mut *u), SharedLines::new(&mut *forward));
            let sweep = |j: usize| {
                let x0 = j * width;
                if x0 < w {
                    self.relax_column_block((&u, &forward), b, parity, x0, (x0 + width).min(w));
                }
            };
            if blocks > 1 {
                (0..blocks).into_par_iter().for_each(sweep);
            } else {
                sweep(0);
            }
        }
    }

    /// The columns `x0..x1` of one parity (see [`LevelOperator::relax_columns`]), a row at a
    /// time: the block's sites of a row are every other site of the lattice's row and a run of
    /// the parity-apart arrays, swept as slices (the edge columns of the lattice apart) so the
    /// loop has no branch and no bounds check inside a row.
    fn relax_column_block(
        &self,
        (grid_u, forward): (&SharedLines<Lanes<R, K>>, &SharedLines<Lanes<R, K>>),
        b: &[Lanes<R, K>],
        parity: usize,
        x0: usize,
        x1: usize,
    ) {
        let (w, h, g) = (self.geo.w, self.geo.h, self.g);
        let (cx, cy) = (&self.geo.cx, &self.geo.cy);
        let start = x0 + (x0 + parity) % 2;
        if start >= x1 {
            return;
        }
        let count = (x1 - start).div_ceil(2);
        let last = start + 2 * (count - 1);
        // The block's sites in the parity-apart arrays: `count` from `first_at` in row 0.
        let stride = self.geo.parity_width(parity);
        let first_at = self.geo.column_site(start, 0);
        // The lattice columns the forward sweep reads: the block's and its neighbours'.
        let (lo, hi) = (start.saturating_sub(1), (last + 2).min(w));
        for y in 0..h {
            let (i0, at) = (y * w, first_at + y * stride);
            // SAFETY: the block's sites of row y in `forward` (and of row y − 1, a row apart)
            // are this task's alone; no task writes the solution in this pass at the columns
            // `lo..hi`, which are the block's and the other parity's beside them (see
            // `SharedLines`), and this task writes the solution only in the back sweep.
            let (u, out) = unsafe { (grid_u.run(i0 + lo, hi - lo), forward.run_mut(at, count)) };
            let row = ColumnRow {
                b: &b[i0 + start..=i0 + last],
                u,
                cx: &cx[i0 + lo..i0 + hi],
                off: start - lo,
                inv: &self.sys.col_inv_pivot[at..at + count],
            };
            if y == 0 {
                row.forward::<false>(g, (&[], &[]), out);
            } else {
                // SAFETY: as above, row y − 1 of the block in `forward`, written before.
                let above = unsafe { forward.run(at - stride, count) };
                row.forward::<true>(g, (&cy[i0 - w + start..=i0 - w + last], above), out);
            }
        }
        // Back: x_i = f_i + gain_i x_{i+1} along each column, from the last row up.
        let last_row = first_at + (h - 1) * stride;
        // SAFETY: the block's columns of the last row, this task's alone in this pass, and
        // the block's forward values of that row, written above.
        let (u_last, f_last) =
            unsafe { (grid_u.run_mut((h - 1) * w + start, last - start + 1), forward.run(last_row, count)) };
        for (u, f) in u_last.iter_mut().step_by(2).zip(f_last) {
            *u = *f;
        }
        for y in (0..h - 1).rev() {
            let (i0, at) = (y * w, first_at + y * stride);
            // SAFETY: the lattice columns start..=last of rows y and y + 1 hold the block's
            // columns and the other parity's between them: no other task reads or writes
            // them in this pass, and this task reads the other parity's only in its forward
            // sweep, which is over.
            let (u, below, f) = unsafe {
                (
                    grid_u.run_mut(i0 + start, last - start + 1),
                    grid_u.run(i0 + w + start, last - start + 1),
                    forward.run(at, count),
                )
            };
            let (c, inv) = (&cy[i0 + start..=i0 + last], &self.sys.col_inv_pivot[at..at + count]);
            for ((((u, below), c), f), inv) in
                u.iter_mut().step_by(2).zip(below.iter().step_by(2)).zip(c.iter().step_by(2)).zip(f).zip(inv)
            {
                let mut v = [R::ZERO; K];
                for k in 0..K {
                    let gain = g[k] * *c * inv[k];
                    v[k] = f[k] + gain * below[k];
                }
                *u = v;
            }
        }
    }
}

/// One row of a block of columns, as the forward sweep of the column relaxation reads it.
struct ColumnRow<'a, R: Real, const K: usize> {
    /// The right-hand sides of the lattice's row from the block's first site to its last
    /// (the block's sites every other entry).
    b: &'a [Lanes<R, K>],
    /// The row's values and x couplings from the site before the block's first (from the
    /// first where it is at x = 0), to the site after its last (or the last).
    u: &'a [Lanes<R, K>],
    cx: &'a [R],
    /// Where the block's first site is in `u` and `cx`.
    off: usize,
    /// The block's inverse pivots in this row.
    inv: &'a [Lanes<R, K>],
}

impl<R: Real, const K: usize> ColumnRow<'_, R, K> {
    /// The forward values `f = (b + g·cx·u_left + g·cx·u_right + g·cy·f_above) / pivot` of the
    /// block's sites into `out`; `above` holds the couplings to the row above (every other
    /// entry) and that row's forward values, where `UP`. A site at the lattice's edge (the
    /// first, where `u` starts at it; the last, where `u` ends at it) has its missing
    /// neighbour's term left out; the others, inside, go through a loop with both.
    #[inline(always)]
    fn forward<const UP: bool>(&self, g: Lanes<R, K>, above: (&[R], &[Lanes<R, K>]), out: &mut [Lanes<R, K>]) {
        let count = out.len();
        let neighbours = |j: usize| {
            let x = self.off + 2 * j;
            (x > 0, x + 1 < self.u.len())
        };
        let inner = usize::from(!neighbours(0).0)..count - usize::from(!neighbours(count - 1).1);
        for j in [0, count - 1].into_iter().filter(|j| !inner.contains(j)) {
            let (left, right) = neighbours(j);
            out[j] = self.site::<UP>(g, above, j, left, right);
        }
        for j in inner {
            out[j] = self.site::<UP>(g, above, j, true, true);
        }
    }

    /// The forward value of the block's site `j`, its terms in the same order at every site:
    /// left, right, above, then the pivot.
    #[inline(always)]
    fn site<const UP: bool>(
        &self,
        g: Lanes<R, K>,
        above: (&[R], &[Lanes<R, K>]),
        j: usize,
        left: bool,
        right: bool,
    ) -> Lanes<R, K> {
        let x = self.off + 2 * j;
        let mut f = self.b[2 * j];
        if left {
            let (c, v) = (self.cx[x - 1], self.u[x - 1]);
            for k in 0..K {
                f[k] += g[k] * c * v[k];
            }
        }
        if right {
            let (c, v) = (self.cx[x], self.u[x + 1]);
            for k in 0..K {
                f[k] += g[k] * c * v[k];
            }
        }
        if UP {
            let (c, v) = (above.0[2 * j], above.1[j]);
            for k in 0..K {
                f[k] += g[k] * c * v[k];
            }
        }
        let inv = self.inv[j];
        for k in 0..K {
            f[k] *= inv[k];
        }
        f
    }
}

/// A level's array shared by the tasks of one pass of the column relaxation, each borrowing
/// its own runs of it (its block's sites of a row, or the lattice columns from just before
/// its block's first to just after its last).
///
/// Safe Rust cannot hand several threads interleaved columns of one row-major array, so this
/// holds a raw pointer. It is sound because of how zebra line relaxation uses it: in one
/// pass every task writes only columns of the pass's parity inside its own block, and reads
/// only those and, beside them, columns of the other parity, which no task writes in that
/// pass. The borrows it hands out say which runs each task may take ([`SharedLines::run`],
/// [`SharedLines::run_mut`]); the borrow of the array lasts as long as the value.
struct SharedLines<'a, T> {
    at: *mut T,
    len: usize,
    _array: std::marker::PhantomData<&'a mut [T]>,
}

// SAFETY: see the type's documentation: tasks touch disjoint elements, or read elements no
// task writes, so sharing the pointer between threads cannot cause a data race.
unsafe impl<T: Send> Send for SharedLines<'_, T> {}
unsafe impl<T: Send> Sync for SharedLines<'_, T> {}

impl<'a, T> SharedLines<'a, T> {
    fn new(array: &'a mut [T]) -> Self {
        SharedLines { at: array.as_mut_ptr(), len: array.len(), _array: std::marker::PhantomData }
    }

    /// `len` elements from `i`, to read.
    ///
    /// # Safety
    /// No task may write them while the slice lives (see the type's documentation).
    #[inline]
    unsafe fn run(&self, i: usize, len: usize) -> &[T] {
        assert!(i + len <= self.len);
        // SAFETY: in bounds; unwritten while borrowed (the caller's promise).
        unsafe { std::slice::from_raw_parts(self.at.add(i), len) }
    }

    /// `len` elements from `i`, to write.
    ///
    /// # Safety
    /// No other task may read or write them while the slice lives.
    #[inline]
    #[allow(clippy::mut_from_ref, reason = "tasks borrow disjoint runs of one array; see the type")]
    unsafe fn run_mut(&self, i: usize, len: usize) -> &mut [T] {
        assert!(i + len <= self.len);
        // SAFETY: in bounds; this task's alone while borrowed (the caller's promise).
        unsafe { std::slice::from_raw_parts_mut(self.at.add(i), len) }
    }
}

/// `coarse = Pᵀ fine`, with the interpolation weights of `level` (the fine level), in two
/// passes: along each fine row into half-width rows bound for the row's own aggregate row
/// (`to_own`) and for the one on its side (`to_side`, see [`restrict_row`]), then across rows
/// ([`restrict_across`]). Rows of `P` sum to one, so sums are kept.
fn restrict_into<R: Real, const K: usize>(
    fine: &[Lanes<R, K>],
    level: &GeometryLevel<R>,
    to_own: &mut [Lanes<R, K>],
    to_side: &mut [Lanes<R, K>],
    coarse: &mut [Lanes<R, K>],
) {
    let (w, wc) = (level.w, level.w.div_ceil(2));
    let along_x = |(y, (own, side)): RowsOf<Lanes<R, K>, Lanes<R, K>>| {
        restrict_row(&fine[y * w..(y + 1) * w], level, y, own, side);
    };
    if level.parallel() {
        to_own.par_chunks_mut(wc).zip(to_side.par_chunks_mut(wc)).enumerate().for_each(along_x);
    } else {
        to_own.chunks_mut(wc).zip(to_side.chunks_mut(wc)).enumerate().for_each(along_x);
    }
    restrict_across(to_own, to_side, level, coarse);
}

/// Fine row `y` (`f`) of a restriction along x, into the half-width rows `own` and `side`
/// (see [`restrict_into`]).
#[inline]
fn restrict_row<'a, R: Real, const K: usize>(
    f: &[Lanes<R, K>],
    level: &'a GeometryLevel<R>,
    y: usize,
    own: &mut [Lanes<R, K>],
    side: &mut [Lanes<R, K>],
) {
    // Each coarse entry gathers from the fine sites that give to it (at most four: its own
    // two and the nearer of each neighbour's), in the order of x and, within a site, its
    // own aggregate's share before its side's, so the sums are those of a scatter in x.
    let (w, wc) = (level.w, level.w.div_ceil(2));
    let row = y * w..(y + 1) * w;
    let (wxs, wys) = (&level.own_x[row.clone()], &level.own_y[row]);
    let gather = |c: usize, xs: std::ops::Range<usize>| {
        let (mut to_own, mut to_side) = ([R::ZERO; K], [R::ZERO; K]);
        for x in xs {
            let (wx, wy) = (wxs[x], wys[x]);
            if x / 2 == c {
                for k in 0..K {
                    let to_cx = wx * f[x][k];
                    to_own[k] += wy * to_cx;
                    to_side[k] += (R::ONE - wy) * to_cx;
                }
            }
            if side_of(x, wc) == c {
                for k in 0..K {
                    let to_sx = (R::ONE - wx) * f[x][k];
                    to_own[k] += wy * to_sx;
                    to_side[k] += (R::ONE - wy) * to_sx;
                }
            }
        }
        (to_own, to_side)
    };
    let edges = |c: usize| (2 * c).saturating_sub(1)..(2 * c + 3).min(w);
    (own[0], side[0]) = gather(0, edges(0));
    // Inside, aggregate c takes the side share of 2c − 1 and 2c + 2 and the own share of
    // 2c and 2c + 1.
    let inner = 1..wc.saturating_sub(1).max(1);
    if !inner.is_empty() {
        // The four fine sites 2c − 1 … 2c + 2 of each inner aggregate, as windows of every
        // slice, so the loop runs without bounds checks.
        let quads = |v: &'a [R]| v[1..].windows(4).step_by(2);
        let sites = f[1..].windows(4).step_by(2).zip(quads(wxs)).zip(quads(wys));
        let outs = own[inner.clone()].iter_mut().zip(&mut side[inner.clone()]);
        for (((f, wx), wy), (own, side)) in sites.zip(outs) {
            let (mut to_own, mut to_side) = ([R::ZERO; K], [R::ZERO; K]);
            for (j, own_share) in [(0, false), (1, true), (2, true), (3, false)] {
                for k in 0..K {
                    let to_c = if own_share { wx[j] * f[j][k] } else { (R::ONE - wx[j]) * f[j][k] };
                    to_own[k] += wy[j] * to_c;
                    to_side[k] += (R::ONE - wy[j]) * to_c;
                }
            }
            *own = to_own;
            *side = to_side;
        }
    }
    if inner.end < wc {
        (own[wc - 1], side[wc - 1]) = gather(wc - 1, edges(wc - 1));
    }
}

/// The second pass of [`restrict_into`]: half-width rows added across rows into `coarse`.
fn restrict_across<R: Real, const K: usize>(
    to_own: &[Lanes<R, K>],
    to_side: &[Lanes<R, K>],
    level: &GeometryLevel<R>,
    coarse: &mut [Lanes<R, K>],
) {
    let h = level.h;
    let (wc, hc) = (level.w.div_ceil(2), h.div_ceil(2));
    let across = |(yc, out): (usize, &mut [Lanes<R, K>])| {
        out.iter_mut().for_each(|c| *c = [R::ZERO; K]);
        for y in (2 * yc).saturating_sub(1)..(2 * yc + 3).min(h) {
            let add = |out: &mut [Lanes<R, K>], from: &[Lanes<R, K>]| {
                for (o, v) in out.iter_mut().zip(from) {
                    for k in 0..K {
                        o[k] += v[k];
                    }
                }
            };
            if y / 2 == yc {
                add(out, &to_own[y * wc..(y + 1) * wc]);
            }
            if side_of(y, hc) == yc {
                add(out, &to_side[y * wc..(y + 1) * wc]);
            }
        }
    };
    for_each_chunk(coarse, wc, level.parallel(), across);
}

/// `u = P coarse`, with the interpolation weights of `level` (the fine level).
fn prolong<R: Real, const K: usize>(coarse: &[Lanes<R, K>], level: &GeometryLevel<R>, u: &mut [Lanes<R, K>]) {
    let (w, h) = (level.w, level.h);
    let (wc, hc) = (w.div_ceil(2), h.div_ceil(2));
    let row = |(y, out): (usize, &mut [Lanes<R, K>])| {
        let (own_row, side_row) = (y / 2, side_of(y, hc));
        let (own, side) = (&coarse[own_row * wc..(own_row + 1) * wc], &coarse[side_row * wc..(side_row + 1) * wc]);
        let (wxs, wys) = (&level.own_x[y * w..(y + 1) * w], &level.own_y[y * w..(y + 1) * w]);
        // Site x takes from its own aggregate (cx) and the one on its side (sx).
        let site = |wx: R, wy: R, cx: usize, sx: usize| {
            let mut v = [R::ZERO; K];
            for k in 0..K {
                let from_own_row = wx * own[cx][k] + (R::ONE - wx) * own[sx][k];
                let from_side_row = wx * side[cx][k] + (R::ONE - wx) * side[sx][k];
                // As added to zero, so that a −0.0 becomes +0.0 as it did.
                v[k] = R::ZERO + (wy * from_own_row + (R::ONE - wy) * from_side_row);
            }
            v
        };
        // Inside the row, the sites come in pairs 2c, 2c + 1 whose side aggregates are c − 1
        // and c + 1, so no site needs `side_of`.
        let pairs = wc.saturating_sub(2);
        for x in (0..2.min(w)).chain(2 + 2 * pairs..w) {
            out[x] = site(wxs[x], wys[x], x / 2, side_of(x, wc));
        }
        // Slices cut to the loop's length: without bounds checks the pairs go in SIMD lanes.
        let (out, wxs, wys) = (&mut out[..2 * pairs + 2], &wxs[..2 * pairs + 2], &wys[..2 * pairs + 2]);
        let (own, side) = (&own[..pairs + 2], &side[..pairs + 2]);
        for c in 1..=pairs {
            let x = 2 * c;
            let (wx0, wx1, wy0, wy1) = (wxs[x], wxs[x + 1], wys[x], wys[x + 1]);
            let (mut left, mut right) = ([R::ZERO; K], [R::ZERO; K]);
            for k in 0..K {
                let (oc, ol, or) = (own[c][k], own[c - 1][k], own[c + 1][k]);
                let (sc, sl, sr) = (side[c][k], side[c - 1][k], side[c + 1][k]);
                left[k] = R::ZERO
                    + (wy0 * (wx0 * oc + (R::ONE - wx0) * ol) + (R::ONE - wy0) * (wx0 * sc + (R::ONE - wx0) * sl));
                right[k] = R::ZERO
                    + (wy1 * (wx1 * oc + (R::ONE - wx1) * or) + (R::ONE - wy1) * (wx1 * sc + (R::ONE - wx1) * sr));
            }
            out[x] = left;
            out[x + 1] = right;
        }
    };
    for_each_chunk(u, w, level.parallel(), row);
}

/// `Pᵀ (b − A u)` into `coarse_b`; the residual stays in `work.residual`.
fn restrict_residual<R: Real, const K: usize>(
    op: &LevelOperator<R, K>,
    work: &mut WorkLevel<R, K>,
    coarse_b: &mut [Lanes<R, K>],
) {
    let (w, wc) = (op.geo.w, op.geo.w.div_ceil(2));
    let (u, b) = (&work.u, &work.b);
    // Each residual row is restricted along x while it is in cache.
    type HalfRows<'a, R, const K: usize> = (&'a mut [Lanes<R, K>], &'a mut [Lanes<R, K>]);
    let row = |(y, (out, (own, side))): (usize, (&mut [Lanes<R, K>], HalfRows<R, K>))| {
        op.residual_row(u, b, y, out);
        restrict_row(out, op.geo, y, own, side);
    };
    let residual = &mut work.residual;
    let (to_own, to_side) = WorkLevel::half_rows(&mut work.scratch, work.half);
    if op.geo.parallel() {
        let halves = to_own.par_chunks_mut(wc).zip(to_side.par_chunks_mut(wc));
        residual.par_chunks_mut(w).zip(halves).enumerate().for_each(row);
    } else {
        residual.chunks_mut(w).zip(to_own.chunks_mut(wc).zip(to_side.chunks_mut(wc))).enumerate().for_each(row);
    }
    restrict_across(to_own, to_side, op.geo, coarse_b);
}

/// Adds the coarse correction to `work.u`: its interpolation `c = P e`, scaled by the step
/// `α = (c·r)/(c·A c)` (per field) that minimises the error in the energy norm. A coarse
/// operator that is not the exact Galerkin product can overshoot where bone makes the
/// coefficients jump; with the scaling no correction makes the error larger.
///
/// On the finest level (`track`) the same pass measures the cycle's change: it returns the
/// largest change from `work.previous` and the largest value per field, and `previous`
/// takes the new values (see [`largest_change`]).
fn correct_from_coarse<R: Real, const K: usize>(
    op: &LevelOperator<R, K>,
    coarse: &[Lanes<R, K>],
    work: &mut WorkLevel<R, K>,
    track: bool,
) -> Option<(Lanes<R, K>, Lanes<R, K>)> {
    let (w, n) = (op.geo.w, work.u.len());
    // The interpolation goes to the scratch, free now; its image `A c` is consumed site by
    // site as it is made, never stored.
    prolong(coarse, op.geo, &mut work.scratch[..n]);
    let (c, r) = (&work.scratch[..n], &work.residual);
    let row_dots = |(y, sums): (usize, &mut [[f64; K]])| {
        let row = y * w..(y + 1) * w;
        let (c_row, r_row) = (&c[row.clone()], &r[row]);
        // Started from −0.0, as `Iterator::sum` is.
        let (mut cr, mut ca) = ([-0.0; K], [-0.0; K]);
        op.row_of(c, y, |x0, image| {
            for ((c, r), a) in c_row[x0..].iter().zip(&r_row[x0..]).zip(image) {
                for k in 0..K {
                    cr[k] += c[k].wide() * r[k].wide();
                    // The image as stored in the solver's type before it was consumed so.
                    ca[k] += c[k].wide() * R::of(a[k]).wide();
                }
            }
        });
        sums[0] = cr;
        sums[1] = ca;
    };
    for_each_chunk(&mut work.partials, 2, op.geo.parallel(), row_dots);
    // Summed in row order, so the step does not depend on the number of threads.
    let (mut numerator, mut denominator) = ([0.0; K], [0.0; K]);
    for s in work.partials.chunks(2) {
        for k in 0..K {
            numerator[k] += s[0][k];
            denominator[k] += s[1][k];
        }
    }
    let alpha: Lanes<R, K> =
        std::array::from_fn(|k| R::of(if denominator[k] > 0.0 { numerator[k] / denominator[k] } else { 0.0 }));
    let correction = &work.scratch[..n];
    if track {
        let row = |(y, (row, before)): RowsOf<Lanes<R, K>, Lanes<R, K>>| {
            let (mut change, mut size): (Lanes<R, K>, Lanes<R, K>) = no_change();
            for ((u, c), b) in row.iter_mut().zip(&correction[y * w..(y + 1) * w]).zip(before.iter_mut()) {
                for k in 0..K {
                    u[k] += alpha[k] * c[k];
                    change[k] = change[k].max((u[k] - b[k]).abs());
                    size[k] = size[k].max(u[k].abs());
                }
                *b = *u;
            }
            (change, size)
        };
        let (u, previous) = (&mut work.u, &mut work.previous);
        return Some(if op.geo.parallel() {
            u.par_chunks_mut(w).zip(previous.par_chunks_mut(w)).enumerate().map(row).reduce(no_change, larger_of)
        } else {
            u.chunks_mut(w).zip(previous.chunks_mut(w)).enumerate().map(row).fold(no_change(), larger_of)
        });
    }
    for_each_chunk(&mut work.u, w, op.geo.parallel(), |(y, row)| {
        for (u, c) in row.iter_mut().zip(&correction[y * w..(y + 1) * w]) {
            for k in 0..K {
                u[k] += alpha[k] * c[k];
            }
        }
    });
    None
}

/// Backward-Euler diffusion–decay solver on a fixed grid (see the module docs).
///
/// One solver serves any number of fields on the same lattice, each named by a key: one at a
/// time ([`DiffusionSolver::step`]) or several together ([`DiffusionSolver::step_together`]),
/// in blocks that share every pass over the lattice. It keeps the transport geometry (rebuilt
/// only when the permeability changes), the factorised line systems of the field or block
/// of fields it stepped last (reused when that field steps again with the same
/// coefficients; any other step factorises its own in the same arrays) and all work arrays,
/// so a step allocates nothing once every block size has been used.
#[derive(Clone, Debug)]
pub struct DiffusionSolver {
    settings: SolverSettings,
    /// `(w, h)` of each level, finest first.
    level_dims: Vec<(usize, usize)>,
    /// The permeability the geometry was built from, and how often it was built.
    built_from: BuiltFrom,
    geometry_generation: u64,
    /// The geometry and work arrays, in the number type of `settings.precision`.
    engine: Engine,
}

/// What a solver's geometry was built from.
#[derive(Clone, Debug)]
enum BuiltFrom {
    /// Nothing yet.
    Nothing,
    /// The permeability its caller named so ([`DiffusionProblem::permeability_version`]).
    Version(u64),
    /// A copy of a permeability given without a version.
    Copy(Vec<f64>),
}

/// A solver's geometry and workspaces in its number type.
#[derive(Clone, Debug)]
enum Engine {
    Double(Box<Levels<f64>>),
    Single(Box<Levels<f32>>),
}

/// The transport geometry of every level, and the work arrays and cached systems for one
/// field at a time and for blocks of two and of four fields (made on first use).
#[derive(Clone, Debug)]
struct Levels<R: Real> {
    geometry: Vec<GeometryLevel<R>>,
    single: Workspace<R, 1>,
    pairs: Option<Box<Workspace<R, 2>>>,
    quads: Option<Box<Workspace<R, 4>>>,
}

impl<R: Real> Levels<R> {
    fn new(level_dims: &[(usize, usize)]) -> Self {
        Levels { geometry: Vec::new(), single: Workspace::new(level_dims), pairs: None, quads: None }
    }

    fn factorised_fields(&self) -> u64 {
        self.single.factorised
            + self.pairs.as_ref().map_or(0, |w| w.factorised)
            + self.quads.as_ref().map_or(0, |w| w.factorised)
    }

    /// See [`DiffusionSolver::step_together`].
    fn step_together<S: Real>(
        &mut self,
        (settings, level_dims, generation): (SolverSettings, &[(usize, usize)], u64),
        keys: &[usize],
        fields: &mut [&mut [S]],
        problems: &[DiffusionProblem],
        stats: &mut [SolveStats],
    ) {
        let grid = Grid { settings, level_dims, geometry: &self.geometry, generation };
        let n = fields.len();
        let mut start = 0;
        while start < n {
            let take = match n - start {
                left if left >= BLOCK_FIELDS => BLOCK_FIELDS,
                left if left >= 2 => 2,
                _ => 1,
            };
            let r = start..start + take;
            let (f, p, s) = (&mut fields[r.clone()], &problems[r.clone()], &mut stats[r.clone()]);
            match take {
                4 => {
                    let ws = self.quads.get_or_insert_with(|| Box::new(Workspace::new(grid.level_dims)));
                    step_block(&grid, ws, [keys[start], keys[start + 1], keys[start + 2], keys[start + 3]], f, p, s);
                }
                2 => {
                    let ws = self.pairs.get_or_insert_with(|| Box::new(Workspace::new(grid.level_dims)));
                    step_block(&grid, ws, [keys[start], keys[start + 1]], f, p, s);
                }
                _ => step_block(&grid, &mut self.single, [keys[start]], f, p, s),
            }
            start += take;
        }
    }
}

/// Fields solved together in one pass at most: four f64 fill a 256-bit SIMD register.
const BLOCK_FIELDS: usize = 4;

/// Everything a step of `K` fields together works in.
#[derive(Clone, Debug)]
struct Workspace<R: Real, const K: usize> {
    work: Vec<WorkLevel<R, K>>,
    /// The systems of the field (or block) stepped last, by its keys: reused when it steps
    /// again with the same coefficients, their arrays refilled for any other. Runs step their
    /// fields in turns, so a cache of several fields' systems would hit only if it held all
    /// of them, at about 85 bytes per site per field; refactorising costs about a tenth of a
    /// step.
    systems: Option<([usize; K], FieldSystems<R, K>)>,
    /// Fields whose systems were factorised afresh, in all.
    factorised: u64,
}

impl<R: Real, const K: usize> Workspace<R, K> {
    fn new(level_dims: &[(usize, usize)]) -> Self {
        Workspace {
            work: level_dims.iter().enumerate().map(|(l, &(w, h))| WorkLevel::new(w, h, l == 0)).collect(),
            systems: None,
            factorised: 0,
        }
    }
}

/// What a solver is, without its caches: a checkpoint stores this, and a restored solver
/// rebuilds its geometry, factorisations and work arrays on its first step, to the bit as
/// they were (they are functions of the step's inputs alone: the field, its sources and
/// coefficients, and the permeability).
#[derive(serde::Serialize, serde::Deserialize)]
struct SolverShape {
    width: usize,
    height: usize,
    settings: SolverSettings,
}

impl serde::Serialize for DiffusionSolver {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (width, height) = self.level_dims[0];
        SolverShape { width, height, settings: self.settings }.serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for DiffusionSolver {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let shape = SolverShape::deserialize(deserializer)?;
        if shape.width == 0 || shape.height == 0 {
            return Err(serde::de::Error::custom("a diffusion solver of an empty grid"));
        }
        Ok(DiffusionSolver::new(shape.width, shape.height, shape.settings))
    }
}

/// The factorised systems of `K` fields on all levels, and what they were built from.
#[derive(Clone, Debug)]
struct FieldSystems<R: Real, const K: usize> {
    g: Lanes<R, K>,
    geometry_generation: u64,
    /// The finest level's reaction terms are all 1 (no sink, no fixed edge): a step of a
    /// field without either finds them so and need not write or compare them.
    plain: bool,
    levels: Vec<LevelSystem<R, K>>,
}

/// The grid and its transport geometry, shared by every block size.
struct Grid<'a, R> {
    settings: SolverSettings,
    level_dims: &'a [(usize, usize)],
    geometry: &'a [GeometryLevel<R>],
    generation: u64,
}

impl DiffusionSolver {
    /// A solver for a `w × h` lattice.
    pub fn new(w: usize, h: usize, settings: SolverSettings) -> Self {
        assert!(w > 0 && h > 0, "empty grid");
        let mut level_dims = vec![(w, h)];
        while let Some(&(lw, lh)) = level_dims.last() {
            if lw * lh <= COARSEST_MAX_SITES || (lw <= 2 && lh <= 2) {
                break;
            }
            level_dims.push((lw.div_ceil(2), lh.div_ceil(2)));
        }
        let engine = match settings.precision {
            Precision::Double => Engine::Double(Box::new(Levels::new(&level_dims))),
            Precision::Single => Engine::Single(Box::new(Levels::new(&level_dims))),
        };
        DiffusionSolver { settings, level_dims, built_from: BuiltFrom::Nothing, geometry_generation: 0, engine }
    }

    /// The solver's settings.
    pub fn settings(&self) -> SolverSettings {
        self.settings
    }

    /// How many field steps so far had to factorise their systems afresh (a block of `K`
    /// fields counts `K`), for [`DiffusionSolver::streamed_bytes`].
    pub fn factorised_fields(&self) -> u64 {
        match &self.engine {
            Engine::Double(e) => e.factorised_fields(),
            Engine::Single(e) => e.factorised_fields(),
        }
    }

    /// Bytes the loops of `fields` field steps, taken in `blocks` blocks (1 block per field for
    /// [`DiffusionSolver::step`]; see [`DiffusionSolver::blocks_of`]), running `cycles`
    /// V-cycles summed over the fields and refactorising the systems of `factorised` of them
    /// ([`DiffusionSolver::factorised_fields`]), stream from and to memory if every pass reads
    /// each array it touches once (what a cache too small for the grid allows at best): the
    /// solver's side of a roofline. Counted from the loops, in words per site of a level of the
    /// solver's number type (8 bytes in f64, 4 in f32), the fields' own values included: they
    /// are counted in that type, as runs keep them (a field handed over in f64 to an f32 solver
    /// moves 4 words per step more than counted). Per field: rows 6 (b, u of the other parity,
    /// rhs written and read, pivots, u; the gains are made from the pivots in cache), zebra
    /// columns 11 (each parity strides over every cache line of b and u, and streams its own
    /// half of the pivots and forward values), residual 4 (the reaction terms stand for the
    /// diagonal), restriction 3.25, coarse correction 7.25 (the interpolation written, then
    /// read with the residual and the reaction terms as its image is made and consumed, then
    /// added to u), and on the finest level 2 more for the change between cycles
    /// (the values before the cycle, read and written in the correction's pass); 16 per step
    /// outside the cycles (the reaction terms compared as they are written, the right-hand
    /// side, copies, balance; the balance shift and the search for negatives ride on the copy
    /// back). Per block, shared by its fields: the geometry (couplings, their sums and the
    /// interpolation weights), 19 words per cycle: rows 3, columns 6 (each parity strides over
    /// the couplings across it twice, forward and back, for the gains made there), residual
    /// 3, restriction 2, correction 5; none per step outside the cycles (the permeability is
    /// named by its version, not compared). A factorisation: 4 per field and level (the
    /// reaction terms read for the rows and for the columns, the row pivots, the column
    /// pivots) and 4 of geometry per block (the sums twice, the couplings along and across);
    /// the restriction of reaction terms that differ from the last factorisation's (fields
    /// with sinks) is left out. Steps that are all `plain` (no sink, no fixed edge, after a
    /// step that was plain too) read no reaction terms on the finest level: 2 words fewer per
    /// field and cycle there (residual and correction), 2 fewer per factorisation there, and
    /// 3 fewer per step (the terms neither compared nor written, the balance without them).
    pub fn streamed_bytes(&self, fields: u32, blocks: u32, cycles: u32, factorised: u32, plain: bool) -> f64 {
        const FIELD_WORDS_PER_LEVEL: f64 = 6.0 + 11.0 + 4.0 + 3.25 + 7.25;
        const FIELD_WORDS_FACTORISED: f64 = 4.0;
        const GEOMETRY_WORDS_FACTORISED: f64 = 4.0;
        const GEOMETRY_WORDS_PER_LEVEL: f64 = 3.0 + 6.0 + 3.0 + 2.0 + 5.0;
        const FIELD_WORDS_FINEST: f64 = 2.0;
        const FIELD_WORDS_PER_STEP: f64 = 16.0;
        let (last, fine) = (self.level_dims.len() - 1, self.level_dims[0]);
        // What a plain step does not read of the finest level's reaction terms (with one
        // level only there is no residual or correction to spare them from).
        let (unit_cycle, unit_factorised, unit_step) = match plain {
            true => (if last > 0 { 2.0 } else { 0.0 }, 2.0, 3.0),
            false => (0.0, 0.0, 0.0),
        };
        let sites = |&(w, h): &(usize, usize)| (w * h) as f64;
        let levels: f64 = self.level_dims[..last].iter().map(sites).sum();
        // The coarsest level is relaxed COARSEST_SWEEPS times instead (rows and columns).
        let coarsest = sites(&self.level_dims[last]) * COARSEST_SWEEPS as f64;
        let field_cycle =
            levels * FIELD_WORDS_PER_LEVEL + coarsest * 18.0 + sites(&fine) * (FIELD_WORDS_FINEST - unit_cycle);
        let geometry_cycle = levels * GEOMETRY_WORDS_PER_LEVEL + coarsest * 9.0;
        let all_levels = levels + sites(&self.level_dims[last]);
        let (fields, blocks, cycles, factorised) =
            (f64::from(fields), f64::from(blocks), f64::from(cycles), f64::from(factorised));
        // A block runs as many cycles as its fields (each field reports the block's count).
        let per_block = |per_field: f64| if fields > 0.0 { per_field * blocks / fields } else { 0.0 };
        self.settings.precision.bytes()
            * (field_cycle * cycles
                + geometry_cycle * per_block(cycles)
                + all_levels
                    * (FIELD_WORDS_FACTORISED * factorised + GEOMETRY_WORDS_FACTORISED * per_block(factorised))
                - sites(&fine) * unit_factorised * factorised
                + sites(&fine) * (FIELD_WORDS_PER_STEP - unit_step) * fields)
    }

    /// How many blocks [`DiffusionSolver::step_together`] takes `fields` fields in.
    pub fn blocks_of(fields: usize) -> usize {
        let (quads, rest) = (fields / BLOCK_FIELDS, fields % BLOCK_FIELDS);
        quads + rest / 2 + rest % 2
    }

    /// Advances field `u` (row-major, `w × h`) by one step of `problem`. `key` names the
    /// field (0, 1, 2, …): when the last step was of the same field with the same
    /// coefficients, its factorised systems are reused.
    pub fn step<S: Real>(&mut self, key: usize, u: &mut [S], problem: &DiffusionProblem) -> SolveStats {
        let mut stats = [SolveStats::default()];
        self.step_together(&[key], &mut [u], std::slice::from_ref(problem), &mut stats);
        stats[0]
    }

    /// Advances several fields by one step each: `fields[i]` by `problems[i]`, its systems
    /// cached under `keys[i]` (distinct keys). They go through the multigrid in blocks of up
    /// to four that share every pass over the lattice, so a step of four fields costs far
    /// less than four steps of one. Every problem must have the same permeability. A block
    /// runs V-cycles until its last field has converged; the others converge further, so the
    /// fields agree with separate steps to within the tolerance, not to the bit.
    pub fn step_together<S: Real>(
        &mut self,
        keys: &[usize],
        fields: &mut [&mut [S]],
        problems: &[DiffusionProblem],
        stats: &mut [SolveStats],
    ) {
        let n = fields.len();
        assert!(keys.len() == n && problems.len() == n && stats.len() == n, "one key, problem and stats per field");
        let Some(first) = problems.first() else { return };
        for p in problems {
            assert!(
                p.permeability_version == first.permeability_version
                    && p.permeability.same_as(&first.permeability, false),
                "fields stepped together share their permeability"
            );
        }
        self.prepare(first.permeability, first.permeability_version);
        let (settings, dims, generation) = (self.settings, &self.level_dims, self.geometry_generation);
        match &mut self.engine {
            Engine::Double(e) => e.step_together((settings, dims, generation), keys, fields, problems, stats),
            Engine::Single(e) => e.step_together((settings, dims, generation), keys, fields, problems, stats),
        }
    }

    /// Rebuilds the geometry if `permeability` (named `version` by the caller, if it names
    /// it) is not the one it was built from.
    fn prepare(&mut self, permeability: Permeability, version: Option<u64>) {
        let (w, h) = self.level_dims[0];
        assert_eq!(permeability.len(), w * h, "permeability size does not match");
        let built = match (&self.built_from, version) {
            (BuiltFrom::Version(built), Some(version)) => *built == version,
            (BuiltFrom::Copy(copy), None) => {
                Permeability::Sites(copy).same_as(&permeability, w * h >= PARALLEL_MIN_SITES)
            }
            _ => false,
        };
        if !built {
            self.built_from = match version {
                Some(version) => BuiltFrom::Version(version),
                None => BuiltFrom::Copy(permeability.to_vec()),
            };
            self.rebuild_geometry(permeability);
        }
    }

    fn rebuild_geometry(&mut self, permeability: Permeability) {
        // The old geometry goes before the new one is built, not after.
        let dims = &self.level_dims;
        match &mut self.engine {
            Engine::Double(e) => {
                e.geometry = Vec::new();
                e.geometry = geometry_levels(dims, permeability);
            }
            Engine::Single(e) => {
                e.geometry = Vec::new();
                e.geometry = geometry_levels(dims, permeability);
            }
        }
        self.geometry_generation += 1;
    }
}

/// One step of `K` fields together (see [`DiffusionSolver::step_together`]); with `K = 1`
/// exactly the step of one field.
fn step_block<R: Real, S: Real, const K: usize>(
    grid: &Grid<R>,
    ws: &mut Workspace<R, K>,
    keys: [usize; K],
    fields: &mut [&mut [S]],
    problems: &[DiffusionProblem],
    stats: &mut [SolveStats],
) {
    let (w, h) = grid.level_dims[0];
    let n = w * h;
    for u in fields.iter() {
        assert_eq!(u.len(), n, "field size does not match the solver's grid");
    }
    let (mut decay, mut tau, mut g, mut fixed, mut edge_value) = ([0.0; K], [0.0; K], [0.0; K], [false; K], [0.0; K]);
    for (k, p) in problems.iter().enumerate() {
        (decay[k], tau[k]) = decay_factor_and_tau(p.decay_per_s, p.dt_s);
        g[k] = tau[k] * p.diffusion_um2_s / (p.site_um * p.site_um);
        if let Boundary::Fixed(v) = p.boundary {
            (fixed[k], edge_value[k]) = (true, v);
        }
    }
    let sinks: [SiteRates; K] = std::array::from_fn(|k| problems[k].sinks);
    let edge = &grid.geometry[0].edge;
    let parallel = n >= PARALLEL_MIN_SITES;
    let plain = sinks.iter().all(|s| matches!(s, SiteRates::None)) && !fixed.contains(&true);
    // This step's reaction terms, written over row `y` of those of the systems held; whether
    // any differs.
    let react_row = |(y, row): (usize, &mut [Lanes<R, K>])| {
        let mut next: [usize; K] = std::array::from_fn(|k| sinks[k].row_start(y, w));
        let mut differs = false;
        for (x, r) in row.iter_mut().enumerate() {
            let i = y * w + x;
            let mut now = [R::ZERO; K];
            for k in 0..K {
                now[k] = R::of(if plain {
                    1.0
                } else {
                    1.0 + tau[k] * sinks[k].at(i, &mut next[k])
                        + if fixed[k] { g[k] * edge.at(x, y, w, h).wide() } else { 0.0 }
                });
            }
            differs |= *r != now;
            *r = now;
        }
        differs
    };
    let systems = take_systems(grid, ws, keys, g.map(R::of), plain, react_row);

    // Right-hand side E u⁰ + τ s (+ inflow from a fixed edge), its sum and its largest
    // entry; warm start from u⁰.
    let fine = &mut ws.work[0];
    let sources: [SiteRates; K] = std::array::from_fn(|k| problems[k].sources);
    let start: [&[S]; K] = std::array::from_fn(|k| &*fields[k]);
    let fill = |(y, (b, sums)): RowsOf<Lanes<R, K>, [f64; K]>| {
        let (mut sum, mut max) = ([0.0_f64; K], [0.0_f64; K]);
        let mut next: [usize; K] = std::array::from_fn(|k| sources[k].row_start(y, w));
        for (x, b) in b.iter_mut().enumerate() {
            let i = y * w + x;
            for k in 0..K {
                let s = sources[k].at(i, &mut next[k]);
                let v = decay[k] * start[k][i].wide()
                    + tau[k] * s
                    + if fixed[k] { g[k] * edge.at(x, y, w, h).wide() * edge_value[k] } else { 0.0 };
                b[k] = R::of(v);
                sum[k] += v;
                max[k] = Real::max(max[k], v.abs());
            }
        }
        sums[0] = sum;
        sums[1] = max;
    };
    let warm = |(y, (u, previous)): RowsOf<Lanes<R, K>, Lanes<R, K>>| {
        for (x, (u, p)) in u.iter_mut().zip(previous).enumerate() {
            for k in 0..K {
                u[k] = R::of(start[k][y * w + x].wide());
            }
            *p = *u;
        }
    };
    if parallel {
        fine.b.par_chunks_mut(w).zip(fine.partials.par_chunks_mut(2)).enumerate().for_each(fill);
        fine.u.par_chunks_mut(w).zip(fine.previous.par_chunks_mut(w)).enumerate().for_each(warm);
    } else {
        fine.b.chunks_mut(w).zip(fine.partials.chunks_mut(2)).enumerate().for_each(fill);
        fine.u.chunks_mut(w).zip(fine.previous.chunks_mut(w)).enumerate().for_each(warm);
    }
    // Row sums added in row order: the total does not depend on the number of threads.
    let (mut b_sum, mut b_max) = ([0.0; K], [0.0_f64; K]);
    for p in fine.partials.chunks(2) {
        for k in 0..K {
            b_sum[k] += p[0][k];
            b_max[k] = b_max[k].max(p[1][k]);
        }
    }

    // Cycle until the error left is estimated below the tolerance, for every field: a cycle
    // that changed a field by c, at a contraction ρ per cycle, leaves about c ρ / (1 − ρ).
    // ρ is measured from the last two changes (assumed 0.25 after the first cycle, more
    // than the 0.1–0.25 the tests measure).
    let mut block = [SolveStats::default(); K];
    let untouched: [bool; K] = std::array::from_fn(|k| b_max[k] == 0.0);
    let mut done = untouched;
    let mut last_change = [f64::INFINITY; K];
    let mut cycles = 0;
    while !done.iter().all(|&d| d) && cycles < grid.settings.max_cycles {
        let (change, size) = v_cycle(grid, &systems, &mut ws.work, 0).expect("the finest level tracks its change");
        let (change, size) = (change.map(R::wide), size.map(R::wide));
        cycles += 1;
        for k in (0..K).filter(|&k| !untouched[k]) {
            let contraction = if last_change[k].is_finite() { (change[k] / last_change[k]).min(0.9) } else { 0.25 };
            last_change[k] = change[k];
            let left = change[k] * contraction / (1.0 - contraction);
            let s = &mut block[k];
            s.cycles = cycles;
            s.relative_change = if size[k] > 0.0 { left / size[k] } else { left };
            if s.relative_change <= grid.settings.tolerance || left <= grid.settings.absolute_tolerance {
                s.converged = true;
                done[k] = true;
            }
        }
    }
    for k in 0..K {
        block[k].converged |= untouched[k];
    }

    // Restore the discrete balance Σ react·u = Σ b exactly (the couplings cancel in the
    // sum), then remove round-off negatives without disturbing it.
    let fine = &mut ws.work[0];
    let react = &systems.levels[0].react;
    let (solution, partials) = (&fine.u, &mut fine.partials);
    let weigh = |(y, sums): (usize, &mut [[f64; K]])| {
        let row = y * w..(y + 1) * w;
        // Started from −0.0, as `Iterator::sum` is.
        let (mut weighted, mut total) = ([-0.0; K], [-0.0; K]);
        if systems.plain {
            // Every reaction term is 1: the same sums without reading them (the row's width,
            // exactly, for theirs).
            for v in &solution[row] {
                for k in 0..K {
                    weighted[k] += v[k].wide();
                }
            }
            total = [w as f64; K];
        } else {
            for (r, v) in react[row.clone()].iter().zip(&solution[row]) {
                for k in 0..K {
                    weighted[k] += r[k].wide() * v[k].wide();
                    total[k] += r[k].wide();
                }
            }
        }
        sums[0] = weighted;
        sums[1] = total;
    };
    for_each_chunk(partials, 2, parallel, weigh);
    let (mut weighted, mut react_sum) = ([0.0; K], [0.0; K]);
    for p in partials.chunks(2) {
        for k in 0..K {
            weighted[k] += p[0][k];
            react_sum[k] += p[1][k];
        }
    }
    let shift: [f64; K] = std::array::from_fn(|k| (b_sum[k] - weighted[k]) / react_sum[k]);
    let handed = hand_back(&fine.u, shift, fields, w, parallel);
    for (k, u) in fields.iter_mut().enumerate() {
        let s = &mut block[k];
        let (change, size) = (handed.change[k], handed.size[k]);
        s.step_change = if size > 0.0 { change / size } else { change };
        s.clipped_fraction = if handed.negative[k] { remove_negatives(u, react, k) } else { 0.0 };
    }
    stats.copy_from_slice(&block);
    ws.systems = Some((keys, systems));
}

/// The systems of `keys` for reaction terms `react_row` writes row by row (returning whether
/// the row it wrote over differs), and `g`: the workspace's if it holds them and they still
/// hold; otherwise rebuilt in the workspace's arrays: reaction terms restricted with `Pᵀ`
/// (which keeps their sums, and so the balance of each coarse correction), then factorised.
/// The reaction terms go straight into the systems' own array, compared as they are written,
/// so no second array of them is kept; a `plain` step (every term 1) after a plain one
/// writes nothing.
fn take_systems<R: Real, const K: usize>(
    grid: &Grid<R>,
    ws: &mut Workspace<R, K>,
    keys: [usize; K],
    g: Lanes<R, K>,
    plain: bool,
    react_row: impl Fn((usize, &mut [Lanes<R, K>])) -> bool + Sync + Send,
) -> FieldSystems<R, K> {
    let fine = &grid.geometry[0];
    // Every row is written, so no `any` that stops at the first that differs.
    let write_react = |react: &mut [Lanes<R, K>]| -> bool {
        if fine.parallel() {
            react.par_chunks_mut(fine.w).enumerate().map(&react_row).reduce(|| false, |a, b| a | b)
        } else {
            let mut differs = false;
            for row in react.chunks_mut(fine.w).enumerate() {
                differs |= react_row(row);
            }
            differs
        }
    };
    // The coarse reaction terms follow from the fine ones and the geometry alone: when those
    // are what the held systems were built from (fields without sinks all have 1), only the
    // factorisations change.
    let (mut levels, coarse_hold) = match ws.systems.take() {
        Some((held_keys, mut held)) => {
            // All 1 already where this step wants all 1: nothing to write.
            let differs = !(plain && held.plain) && write_react(&mut held.levels[0].react);
            let same_react = held.geometry_generation == grid.generation && !differs;
            if held_keys == keys && held.g == g && same_react {
                return held;
            }
            (held.levels, same_react)
        }
        None => {
            let mut levels: Vec<LevelSystem<R, K>> =
                grid.level_dims.iter().map(|&(w, h)| LevelSystem::new(w * h)).collect();
            write_react(&mut levels[0].react);
            (levels, false)
        }
    };
    if !coarse_hold {
        for l in 1..levels.len() {
            let (fine, coarse) = levels.split_at_mut(l);
            let work = &mut ws.work[l - 1];
            let (to_own, to_side) = WorkLevel::half_rows(&mut work.scratch, work.half);
            restrict_into(&fine[l - 1].react, &grid.geometry[l - 1], to_own, to_side, &mut coarse[0].react);
        }
    }
    debug_assert!(!plain || levels[0].react.iter().flatten().all(|&r| r == R::ONE), "a plain step's terms are 1");
    for (l, (sys, geo)) in levels.iter_mut().zip(grid.geometry).enumerate() {
        sys.factorise(geo, g, l == 0 && plain);
    }
    ws.factorised += K as u64;
    FieldSystems { g, geometry_generation: grid.generation, plain, levels }
}

/// Whether `a` and `b` hold the same values, compared over rayon's threads if `parallel`.
fn same<T: PartialEq + Sync>(a: &[T], b: &[T], parallel: bool) -> bool {
    const CHUNK: usize = 4096;
    a.len() == b.len()
        && if parallel { a.par_chunks(CHUNK).zip(b.par_chunks(CHUNK)).all(|(a, b)| a == b) } else { a == b }
}

/// One V(1,0) cycle from level `l` on `work[l].u` and `work[l].b`: relax, then correct from
/// the coarser level. From the finest level, returns the cycle's largest change and the
/// largest value per field ([`largest_change`]), and `work[0].previous` takes the new values.
fn v_cycle<R: Real, const K: usize>(
    grid: &Grid<R>,
    systems: &FieldSystems<R, K>,
    work: &mut [WorkLevel<R, K>],
    l: usize,
) -> Option<(Lanes<R, K>, Lanes<R, K>)> {
    let op = LevelOperator {
        geo: &grid.geometry[l],
        sys: &systems.levels[l],
        g: systems.g,
        unit_react: l == 0 && systems.plain,
    };
    if l == work.len() - 1 {
        for _ in 0..COARSEST_SWEEPS {
            op.relax(&mut work[l]);
        }
        if l == 0 {
            // One level only: nothing to correct from.
            let fine = &mut work[0];
            return Some(largest_change(&fine.u, &mut fine.previous, op.geo.w, op.geo.parallel()));
        }
        return None;
    }
    {
        let (fine, coarse) = work.split_at_mut(l + 1);
        op.relax(&mut fine[l]);
        restrict_residual(&op, &mut fine[l], &mut coarse[0].b);
        let coarse_geo = &grid.geometry[l + 1];
        for_each_chunk(&mut coarse[0].u, coarse_geo.w, coarse_geo.parallel(), |(_, row)| row.fill([R::ZERO; K]));
    }
    v_cycle(grid, systems, work, l + 1);
    let (fine, coarse) = work.split_at_mut(l + 1);
    correct_from_coarse(&op, &coarse[0].u, &mut fine[l], l == 0)
}

/// The largest change from `previous` to `now` and the largest value of `now`, per field,
/// row by row; `previous` takes the values of `now`. (Maxima are exact in any order, so the
/// threads do not change them.)
fn largest_change<R: Real, const K: usize>(
    now: &[Lanes<R, K>],
    previous: &mut [Lanes<R, K>],
    w: usize,
    parallel: bool,
) -> (Lanes<R, K>, Lanes<R, K>) {
    let row = |(y, before): (usize, &mut [Lanes<R, K>])| {
        let (mut change, mut size) = ([R::ZERO; K], [R::ZERO; K]);
        for (n, b) in now[y * w..(y + 1) * w].iter().zip(before.iter_mut()) {
            for k in 0..K {
                change[k] = change[k].max((n[k] - b[k]).abs());
                size[k] = size[k].max(n[k].abs());
            }
            *b = *n;
        }
        (change, size)
    };
    if parallel {
        previous.par_chunks_mut(w).enumerate().map(row).reduce(no_change, larger_of)
    } else {
        previous.chunks_mut(w).enumerate().map(row).fold(no_change(), larger_of)
    }
}

/// (largest change, largest value) per field, before any row is seen.
fn no_change<R: Real, const K: usize>() -> (Lanes<R, K>, Lanes<R, K>) {
    ([R::ZERO; K], [R::ZERO; K])
}

/// The larger of two (largest change, largest value) per field, lane by lane.
fn larger_of<R: Real, const K: usize>(
    a: (Lanes<R, K>, Lanes<R, K>),
    b: (Lanes<R, K>, Lanes<R, K>),
) -> (Lanes<R, K>, Lanes<R, K>) {
    (std::array::from_fn(|k| a.0[k].max(b.0[k])), std::array::from_fn(|k| a.1[k].max(b.1[k])))
}

/// What handing a solution back found, per field.
#[derive(Clone, Copy)]
struct HandedBack<const K: usize> {
    /// Largest change against what the field held.
    change: [f64; K],
    /// Largest value (absolute).
    size: [f64; K],
    /// Whether any value is negative (round-off for [`remove_negatives`] to clear).
    negative: [bool; K],
}

impl<const K: usize> HandedBack<K> {
    fn nothing() -> Self {
        let (change, size) = no_change();
        HandedBack { change, size, negative: [false; K] }
    }

    fn and(self, other: Self) -> Self {
        let (change, size) = larger_of((self.change, self.size), (other.change, other.size));
        HandedBack { change, size, negative: std::array::from_fn(|k| self.negative[k] || other.negative[k]) }
    }
}

/// Copies each field's solution, the interleaved `now` plus `shift` (the balance
/// correction), into `fields` (rounded to their type), in one pass that also finds what
/// [`HandedBack`] reports of the values stored.
fn hand_back<R: Real, S: Real, const K: usize>(
    now: &[Lanes<R, K>],
    shift: [f64; K],
    fields: &mut [&mut [S]],
    w: usize,
    parallel: bool,
) -> HandedBack<K> {
    let out = FieldRows::<S, K>::new(fields);
    let row = |y: usize| {
        let mut found = HandedBack::nothing();
        for (x, n) in now[y * w..(y + 1) * w].iter().enumerate() {
            for k in 0..K {
                let stored = S::of(n[k].wide() + shift[k]);
                // SAFETY: each task takes whole rows, so no element is shared (FieldRows).
                let before = unsafe { out.swap(k, y * w + x, stored) }.wide();
                let v = stored.wide();
                found.change[k] = Real::max(found.change[k], (v - before).abs());
                found.size[k] = Real::max(found.size[k], v.abs());
                found.negative[k] |= v < 0.0;
            }
        }
        found
    };
    let rows = now.len() / w;
    if parallel {
        (0..rows).into_par_iter().map(row).reduce(HandedBack::nothing, HandedBack::and)
    } else {
        (0..rows).map(row).fold(HandedBack::nothing(), HandedBack::and)
    }
}

/// Calls `f((j, chunk))` for each chunk of `len` elements of `v` (a row, or a block of rows),
/// over rayon's threads if `parallel`.
fn for_each_chunk<T: Send>(v: &mut [T], len: usize, parallel: bool, f: impl Fn((usize, &mut [T])) + Sync + Send) {
    if parallel {
        v.par_chunks_mut(len).enumerate().for_each(f);
    } else {
        v.chunks_mut(len).enumerate().for_each(f);
    }
}

/// The `K` fields a block hands its solution back to, written row by row from several
/// threads. Safe Rust cannot split `K` slices by rows in one parallel loop, so this holds raw
/// pointers; it is sound because every task writes whole rows no other task touches, and
/// the borrow of the slices lasts as long as the value.
struct FieldRows<'a, S, const K: usize> {
    fields: [*mut S; K],
    len: usize,
    _fields: std::marker::PhantomData<&'a mut [S]>,
}

// SAFETY: tasks write disjoint rows (see the type's documentation).
unsafe impl<S: Send, const K: usize> Send for FieldRows<'_, S, K> {}
unsafe impl<S: Send, const K: usize> Sync for FieldRows<'_, S, K> {}

impl<'a, S, const K: usize> FieldRows<'a, S, K> {
    fn new(fields: &'a mut [&mut [S]]) -> Self {
        assert_eq!(fields.len(), K);
        let len = fields[0].len();
        assert!(fields.iter().all(|f| f.len() == len));
        FieldRows { fields: std::array::from_fn(|k| fields[k].as_mut_ptr()), len, _fields: std::marker::PhantomData }
    }

    /// Writes `v` at site `i` of field `k` and returns what was there.
    ///
    /// # Safety
    /// No other thread may touch site `i` of field `k` meanwhile.
    #[inline]
    unsafe fn swap(&self, k: usize, i: usize, v: S) -> S {
        assert!(i < self.len);
        // SAFETY: in bounds; exclusive by the caller's contract.
        unsafe { std::ptr::replace(self.fields[k].add(i), v) }
    }
}

/// `(e^{−k dt}, (1 − e^{−k dt})/k)`, the latter `dt` when `k = 0`.
pub fn decay_factor_and_tau(decay_per_s: f64, dt_s: f64) -> (f64, f64) {
    let kdt = decay_per_s * dt_s;
    if kdt == 0.0 { (1.0, dt_s) } else { ((-kdt).exp(), -(-kdt).exp_m1() / decay_per_s) }
}

/// Zeroes negative values and takes their amount (weighted by lane `k` of `weight`, the
/// reaction diagonal, so that the discrete balance is kept) from the positive sites in
/// proportion. Returns the amount moved as a fraction of the positive total.
fn remove_negatives<R: Real, S: Real, const K: usize>(u: &mut [S], weight: &[Lanes<R, K>], k: usize) -> f64 {
    let mut negative = 0.0;
    let mut positive = 0.0;
    for (v, w) in u.iter().zip(weight) {
        let v = v.wide();
        if v < 0.0 {
            negative -= v * w[k].wide();
        } else {
            positive += v * w[k].wide();
        }
    }
    let keep = if positive > negative { (positive - negative) / positive } else { 0.0 };
    for v in u.iter_mut() {
        let wide = v.wide();
        *v = if wide < 0.0 { S::ZERO } else { S::of(wide * keep) };
    }
    negative / positive.max(f64::MIN_POSITIVE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_xoshiro::Xoshiro256PlusPlus;

    const HOUR_S: f64 = 3600.0;

    /// Every test of the solver's numbers runs in both of its number types.
    const PRECISIONS: [Precision; 2] = [Precision::Double, Precision::Single];

    /// The default settings in `precision`.
    fn settings_in(precision: Precision) -> SolverSettings {
        SolverSettings { precision, ..Default::default() }
    }

    fn default_f64() -> SolverSettings {
        settings_in(Precision::Double)
    }

    fn problem<'a>(permeability: &'a [f64], decay_per_s: f64, dt_s: f64) -> DiffusionProblem<'a> {
        let permeability = Permeability::Sites(permeability);
        DiffusionProblem {
            diffusion_um2_s: 50.0,
            decay_per_s,
            site_um: 10.0,
            dt_s,
            permeability,
            permeability_version: None,
            sinks: SiteRates::None,
            sources: SiteRates::None,
            boundary: Boundary::NoFlux,
        }
    }

    /// Marrow with random blocks of bone (permeability 0.05), as the lattice will have.
    fn porous(w: usize, h: usize, seed: u64) -> Vec<f64> {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut p = vec![1.0; w * h];
        for _ in 0..(w * h / 200) {
            let (x0, y0) = (rng.random_range(0..w), rng.random_range(0..h));
            for y in y0..(y0 + 6).min(h) {
                for x in x0..(x0 + 6).min(w) {
                    p[y * w + x] = 0.05;
                }
            }
        }
        p
    }

    /// K0 from Abramowitz & Stegun 9.8.5–9.8.6 (relative error below 1e-7).
    fn bessel_k0(x: f64) -> f64 {
        if x <= 2.0 {
            let t = x / 3.75;
            let t2 = t * t;
            let i0 = 1.0
                + t2 * (3.5156229
                    + t2 * (3.0899424 + t2 * (1.2067492 + t2 * (0.2659732 + t2 * (0.0360768 + t2 * 0.0045813)))));
            let y = x * x / 4.0;
            -(x / 2.0).ln() * i0
                + (-0.57721566
                    + y * (0.42278420
                        + y * (0.23069756 + y * (0.03488590 + y * (0.00262698 + y * (0.00010750 + y * 0.0000074))))))
        } else {
            let y = 2.0 / x;
            (-x).exp() / x.sqrt()
                * (1.25331414
                    + y * (-0.07832358
                        + y * (0.02189568 + y * (-0.01062446 + y * (0.00587872 + y * (-0.00251540 + y * 0.00053208))))))
        }
    }

    #[test]
    fn bessel_k0_matches_tabulated_values() {
        // Abramowitz & Stegun table 9.8.
        for (x, k0) in [(0.5, 0.9244190712), (1.0, 0.4210244382), (3.0, 0.0347395), (5.0, 0.0036911)] {
            assert!((bessel_k0(x) - k0).abs() / k0 < 1e-5, "K0({x})");
        }
    }

    #[test]
    fn mass_is_conserved_without_decay_behind_no_flux_walls() {
        let (w, h) = (120, 90);
        let perm = porous(w, h, 1);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(2);
        let mut u = vec![0.0; w * h];
        for y in 30..50 {
            for x in 40..70 {
                u[y * w + x] = rng.random_range(0.0..10.0);
            }
        }
        let (total0, start): (f64, _) = (u.iter().sum(), u);
        for precision in PRECISIONS {
            let mut u = start.clone();
            let mut solver = DiffusionSolver::new(w, h, settings_in(precision));
            for dt in [HOUR_S; 48].into_iter().chain([60.0, 86_400.0]) {
                let stats = solver.step(0, &mut u, &problem(&perm, 0.0, dt));
                let total: f64 = u.iter().sum();
                assert!(
                    ((total - total0) / total0).abs() < 1e-6,
                    "{precision:?}: mass drifted to {total} from {total0} (dt {dt} s, {stats:?})"
                );
            }
            // And it really spread: the blob is no longer where it started.
            let inside: f64 = (30..50).flat_map(|y| (40..70).map(move |x| (x, y))).map(|(x, y)| u[y * w + x]).sum();
            assert!(inside < 0.5 * total0, "{precision:?}: the field did not diffuse ({inside} of {total0} left)");
        }
        // A field kept in f32, as runs keep theirs with the f32 solver: each step's balance
        // then holds to f32's rounding of the stored values, and that must not add up.
        let mut u: Vec<f32> = start.iter().map(|&v| v as f32).collect();
        let total0: f64 = u.iter().map(|&v| f64::from(v)).sum();
        let mut solver = DiffusionSolver::new(w, h, settings_in(Precision::Single));
        for dt in [HOUR_S; 48].into_iter().chain([60.0, 86_400.0]) {
            let stats = solver.step(0, &mut u, &problem(&perm, 0.0, dt));
            let total: f64 = u.iter().map(|&v| f64::from(v)).sum();
            assert!(
                ((total - total0) / total0).abs() < 1e-6,
                "f32 storage: mass drifted to {total} from {total0} (dt {dt} s, {stats:?})"
            );
        }
        let inside: f64 =
            (30..50).flat_map(|y| (40..70).map(move |x| (x, y))).map(|(x, y)| f64::from(u[y * w + x])).sum();
        assert!(inside < 0.5 * total0, "f32 storage: the field did not diffuse ({inside} of {total0} left)");
    }

    #[test]
    fn balance_holds_after_every_cycle_even_when_not_converged() {
        // One V-cycle per step: far from converged, yet the amount must still balance exactly.
        let (w, h) = (64, 64);
        let perm = porous(w, h, 3);
        for precision in PRECISIONS {
            let mut u = vec![0.0; w * h];
            u[32 * w + 20] = 1000.0;
            let settings = SolverSettings { tolerance: 1e-300, max_cycles: 1, absolute_tolerance: 0.0, precision };
            let mut solver = DiffusionSolver::new(w, h, settings);
            for _ in 0..10 {
                let stats = solver.step(0, &mut u, &problem(&perm, 0.0, 86_400.0));
                assert!(!stats.converged);
                let total: f64 = u.iter().sum();
                assert!((total - 1000.0).abs() < 1e-9 * 1000.0, "{precision:?}: total {total}");
            }
        }
    }

    /// Largest relative error, over 72 hourly steps, of a uniform field against `e^{−kt}`.
    fn uniform_decay_error(settings: SolverSettings) -> f64 {
        let (w, h) = (50, 40);
        let perm = porous(w, h, 4);
        let half_life_h = 2.0;
        let k = std::f64::consts::LN_2 / (half_life_h * HOUR_S);
        let mut u = vec![3.0; w * h];
        let mut solver = DiffusionSolver::new(w, h, settings);
        let mut worst: f64 = 0.0;
        for tick in 1..=72 {
            solver.step(0, &mut u, &problem(&perm, k, HOUR_S));
            let expected = 3.0 * (-k * tick as f64 * HOUR_S).exp();
            worst = u.iter().fold(worst, |m, v| m.max(((v - expected) / expected).abs()));
        }
        worst
    }

    #[test]
    fn uniform_field_decays_exactly_exponentially() {
        for precision in PRECISIONS {
            // The scheme's decay is exact: with the linear solve converged, to 1e-4 (in fact
            // to round-off, or to what f32 resolves).
            let tolerance = precision.smallest_tolerance().max(1e-8);
            let converged = SolverSettings { tolerance, ..settings_in(precision) };
            let error = uniform_decay_error(converged);
            assert!(error < 1e-4, "{precision:?}, converged solve: relative error {error:e}");
            // The default stops when the error left is estimated below 1 %; what it leaves
            // stays below that, and the next step works it off rather than adding to it.
            let default = settings_in(precision);
            let error = uniform_decay_error(default);
            assert!(error < default.tolerance, "{precision:?}, default solve: relative error {error:e}");
        }
    }

    /// Steady state around a constant point source at the default one-hour tick, against the
    /// 2D analytic profile u(r) = q Δx² / (2π D) · K0(r / L), L = √(D/k).
    fn check_point_source_steady_state(decay_length_sites: f64, precision: Precision) {
        let d = 50.0;
        let site_um = 10.0;
        let l_um = decay_length_sites * site_um;
        let k = d / (l_um * l_um);
        let half = (5.0 * decay_length_sites) as usize;
        let (w, h) = (2 * half + 1, 2 * half + 1);
        let centre = half * w + half;
        let perm = vec![1.0; w * h];
        let q = 1.0; // concentration per second at the source site
        let mut source = vec![0.0; w * h];
        source[centre] = q;
        let p = DiffusionProblem { sources: SiteRates::PerSite(&source), ..problem(&perm, k, HOUR_S) };
        let mut u = vec![0.0; w * h];
        let mut solver = DiffusionSolver::new(w, h, settings_in(precision));
        let mut ticks = 0;
        // Steady once a step changes the value by less than the number type resolves.
        let steady = (precision.smallest_tolerance() / 10.0).max(1e-9);
        loop {
            let before = u[centre + 10];
            solver.step(0, &mut u, &p);
            ticks += 1;
            if ((u[centre + 10] - before) / u[centre + 10]).abs() < steady || ticks > 2000 {
                break;
            }
        }
        let scale = q * site_um * site_um / (2.0 * std::f64::consts::PI * d);
        let mut worst: f64 = 0.0;
        for r in 3..=20 {
            // Along an axis and along the diagonal.
            for (dx, dy) in [(r as i64, 0i64), (0, -(r as i64)), ((r * 7 / 10) as i64, (r * 7 / 10) as i64)] {
                let dist = ((dx * dx + dy * dy) as f64).sqrt();
                let i = (centre as i64 + dy * w as i64 + dx) as usize;
                let analytic = scale * bessel_k0(dist * site_um / l_um);
                worst = worst.max(((u[i] - analytic) / analytic).abs());
            }
        }
        assert!(worst < 0.05, "{precision:?}, L = {decay_length_sites} sites: worst relative error {worst:.4}");
    }

    #[test]
    fn point_source_reaches_the_analytic_steady_state_at_a_one_hour_tick() {
        // Decay lengths of 20 and 40 sites (half-lives of 9 and 37 minutes at D = 50 µm²/s):
        // k·dt is 4.5 and 1.1, the regime where LOD splitting is tens of percent off.
        for precision in PRECISIONS {
            check_point_source_steady_state(20.0, precision);
            check_point_source_steady_state(40.0, precision);
        }
    }

    /// Runs sharp data through five steps of every combination of time step, decay and
    /// boundary, and returns the largest share of the total that the non-negativity step
    /// had to move.
    fn largest_clipped_share(settings: SolverSettings) -> f64 {
        let (w, h) = (80, 72);
        let perm = porous(w, h, 5);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(6);
        // Sharp data: a spike, a checkerboard patch and a step, plus sparse point sources.
        let mut u0 = vec![0.0; w * h];
        u0[10 * w + 10] = 1e6;
        for y in 30..46 {
            for x in 30..46 {
                u0[y * w + x] = if (x + y) % 2 == 0 { 5.0 } else { 0.0 };
            }
        }
        for y in 0..h {
            u0[y * w + w - 1] = 2.0;
        }
        let mut source = vec![0.0; w * h];
        let mut sink = vec![0.0; w * h];
        for _ in 0..20 {
            source[rng.random_range(0..w * h)] = rng.random_range(0.0..1.0);
            sink[rng.random_range(0..w * h)] = rng.random_range(0.0..1e-2);
        }
        let sixty_days = 60.0 * 86_400.0;
        let mut largest: f64 = 0.0;
        for dt in [1.0, 60.0, HOUR_S, 86_400.0, sixty_days] {
            for decay in [0.0, 1e-5, 1e-2] {
                for boundary in [Boundary::NoFlux, Boundary::Fixed(0.0)] {
                    let p = DiffusionProblem {
                        sources: SiteRates::PerSite(&source),
                        sinks: SiteRates::PerSite(&sink),
                        boundary,
                        ..problem(&perm, decay, dt)
                    };
                    let mut u = u0.clone();
                    let mut solver = DiffusionSolver::new(w, h, settings);
                    for _ in 0..5 {
                        let stats = solver.step(0, &mut u, &p);
                        assert!(stats.converged, "dt {dt}: {stats:?}");
                        let min = u.iter().cloned().fold(f64::INFINITY, f64::min);
                        assert!(min >= 0.0, "dt {dt}: negative value {min}");
                        largest = largest.max(stats.clipped_fraction);
                    }
                }
            }
        }
        largest
    }

    #[test]
    fn fields_never_go_negative_for_any_time_step() {
        // The exact step is non-negative (an M-matrix); what an unfinished iteration leaves
        // below zero is of the order of the solver tolerance, and vanishes as it tightens.
        for precision in PRECISIONS {
            let default = settings_in(precision);
            let share = largest_clipped_share(default);
            assert!(share <= default.tolerance, "{precision:?}: moved {share:e} at tolerance {:e}", default.tolerance);
        }
        // Tightened, what is moved vanishes with the tolerance. (Only in f64: f32 cannot be
        // asked for 1e-10, and at tolerances between the two, 1e-4 to 1e-7, the share stays
        // at 8e-3 in f64 as well, on the case of decaying point sources where the share of
        // the total is far larger than the share of the peak.)
        let tight = SolverSettings { tolerance: 1e-10, max_cycles: 200, absolute_tolerance: 0.0, ..default_f64() };
        let share = largest_clipped_share(tight);
        assert!(share <= 1e-10, "moved {share:e} at tolerance 1e-10");
    }

    #[test]
    fn fixed_edge_fills_an_empty_domain_to_its_value() {
        let (w, h) = (40, 30);
        let perm = vec![1.0; w * h];
        let p = DiffusionProblem { boundary: Boundary::Fixed(2.5), ..problem(&perm, 0.0, 86_400.0) };
        for precision in PRECISIONS {
            let mut u = vec![0.0; w * h];
            let mut solver = DiffusionSolver::new(w, h, settings_in(precision));
            for _ in 0..30 {
                solver.step(0, &mut u, &p);
            }
            for &v in &u {
                assert!((v - 2.5).abs() < 1e-3, "{precision:?}: {v}");
            }
        }
    }

    #[test]
    fn bone_slows_diffusion_through_it() {
        // A wall of bone across the middle: the far side fills more slowly than without it.
        let (w, h) = (60, 20);
        let mut wall = vec![1.0; w * h];
        for y in 0..h {
            for x in 28..32 {
                wall[y * w + x] = 0.05;
            }
        }
        let open = vec![1.0; w * h];
        let far_side = |perm: &[f64], precision: Precision| {
            let mut u = vec![0.0; w * h];
            for y in 0..h {
                for x in 0..10 {
                    u[y * w + x] = 1.0;
                }
            }
            let mut solver = DiffusionSolver::new(w, h, settings_in(precision));
            for _ in 0..3 {
                solver.step(0, &mut u, &problem(perm, 0.0, 600.0));
            }
            (0..h).flat_map(|y| (32..w).map(move |x| y * w + x)).map(|i| u[i]).sum::<f64>()
        };
        for precision in PRECISIONS {
            let (through_wall, through_marrow) = (far_side(&wall, precision), far_side(&open, precision));
            assert!(through_wall < 0.5 * through_marrow, "{precision:?}: {through_wall} vs {through_marrow}");
        }
    }

    #[test]
    fn a_solver_follows_the_permeability_whether_named_or_compared() {
        // One solver through a wall, open marrow, the wall again: named by versions, or by
        // value (None), each step lands where a fresh solver for that permeability lands.
        let (w, h) = (40, 24);
        let wall = porous(w, h, 7);
        let open = vec![1.0; w * h];
        let start: Vec<f64> = (0..w * h).map(|i| if i % w < 8 { 1.0 } else { 0.0 }).collect();
        let step = |solver: &mut DiffusionSolver, perm: &[f64], version: Option<u64>| {
            let mut u = start.clone();
            solver.step(0, &mut u, &DiffusionProblem { permeability_version: version, ..problem(perm, 0.0, 600.0) });
            u
        };
        for precision in PRECISIONS {
            let fresh = |perm: &[f64]| step(&mut DiffusionSolver::new(w, h, settings_in(precision)), perm, None);
            let (through_wall, through_marrow) = (fresh(&wall), fresh(&open));
            assert_ne!(through_wall, through_marrow, "{precision:?}: the wall must matter for this test");
            let mut solver = DiffusionSolver::new(w, h, settings_in(precision));
            let turns = [(&wall, Some(1)), (&open, Some(2)), (&open, None), (&wall, None), (&wall, Some(3))];
            for (turn, (perm, version)) in turns.into_iter().enumerate() {
                let expected = if std::ptr::eq(perm, &wall) { &through_wall } else { &through_marrow };
                assert_eq!(&step(&mut solver, perm, version), expected, "{precision:?}, turn {turn}");
            }
        }
    }

    /// The exact solution of one step's discrete system `A u = b` from zero, by banded Gaussian
    /// elimination (no pivoting: `A` is strictly diagonally dominant): `A = 1 + τ·sink +
    /// g·Σc − g·c` with the couplings `c` the harmonic means of neighbouring sites'
    /// permeabilities, nothing across the lattice's edges, and `b = τ·s`.
    fn exact_step(
        w: usize,
        h: usize,
        p: &[f64],
        sources: &[f64],
        sinks: &[f64],
        problem: &DiffusionProblem,
    ) -> Vec<f64> {
        let (n, band) = (w * h, w);
        let (_, tau) = decay_factor_and_tau(problem.decay_per_s, problem.dt_s);
        let g = tau * problem.diffusion_um2_s / (problem.site_um * problem.site_um);
        // Row i holds columns i − band ..= i + band at offsets 0 ..= 2·band.
        let mut a = vec![vec![0.0; 2 * band + 1]; n];
        let mut b: Vec<f64> = sources.iter().map(|s| tau * s).collect();
        for i in 0..n {
            a[i][band] = 1.0 + tau * sinks[i];
        }
        let mut couple = |i: usize, j: usize| {
            let c = g * harmonic_mean(p[i], p[j]);
            a[i][band] += c;
            a[j][band] += c;
            a[i][band + j - i] -= c;
            a[j][band + i - j] -= c;
        };
        for y in 0..h {
            for x in 0..w {
                let i = y * w + x;
                if x + 1 < w {
                    couple(i, i + 1);
                }
                if y + 1 < h {
                    couple(i, i + w);
                }
            }
        }
        for k in 0..n {
            for i in k + 1..(k + band + 1).min(n) {
                let factor = a[i][band + k - i] / a[k][band];
                if factor != 0.0 {
                    for j in k..(k + band + 1).min(n) {
                        a[i][band + j - i] -= factor * a[k][band + j - k];
                    }
                    b[i] -= factor * b[k];
                }
            }
        }
        let mut u = vec![0.0; n];
        for k in (0..n).rev() {
            let tail: f64 = (k + 1..(k + band + 1).min(n)).map(|j| a[k][band + j - k] * u[j]).sum();
            u[k] = (b[k] - tail) / a[k][band];
        }
        u
    }

    #[test]
    fn steps_solve_the_discrete_system_on_thin_odd_and_parallel_lattices() {
        // Lines of one site, odd sides (a lone column or row at an edge of a line
        // relaxation), several levels, and a lattice large enough for the parallel blocks
        // of columns on two threads. Each against the exact solution of the same system.
        let sizes = [(1, 1), (1, 6), (6, 1), (2, 3), (3, 2), (5, 7), (9, 4), (23, 17), (131, 127)];
        for (w, h) in sizes {
            let n = w * h;
            let mut rng = Xoshiro256PlusPlus::seed_from_u64((w * 1000 + h) as u64);
            let perm: Vec<f64> = (0..n).map(|_| if rng.random::<f64>() < 0.2 { 0.05 } else { 1.0 }).collect();
            let mut sources: Vec<f64> =
                (0..n).map(|_| if rng.random::<f64>() < 0.1 { rng.random::<f64>() } else { 0.0 }).collect();
            sources[n / 2] += 0.5;
            let sinks: Vec<f64> =
                (0..n).map(|_| if rng.random::<f64>() < 0.1 { 1e-3 * rng.random::<f64>() } else { 0.0 }).collect();
            let problem = DiffusionProblem {
                sources: SiteRates::PerSite(&sources),
                sinks: SiteRates::PerSite(&sinks),
                ..problem(&perm, 1e-4, HOUR_S)
            };
            let exact = exact_step(w, h, &perm, &sources, &sinks, &problem);
            let peak = exact.iter().fold(0.0f64, |m, &v| m.max(v));
            for (precision, tolerance, threads) in
                [(Precision::Double, 1e-10, 1), (Precision::Double, 1e-10, 2), (Precision::Single, 1e-6, 2)]
            {
                let settings = SolverSettings { tolerance, max_cycles: 200, absolute_tolerance: 0.0, precision };
                let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
                let (u, stats) = pool.install(|| {
                    let mut u = vec![0.0_f64; n];
                    let stats = DiffusionSolver::new(w, h, settings).step(0, &mut u, &problem);
                    (u, stats)
                });
                assert!(stats.converged, "{w}×{h} {precision:?}: {stats:?}");
                let worst = u.iter().zip(&exact).fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
                // f32 stores each value to 6e-8 of itself; its sums run in f64.
                let allowed = if precision == Precision::Double { 1e-8 } else { 1e-5 };
                assert!(
                    peak > 0.0 && worst <= allowed * peak,
                    "{w}×{h} {precision:?} on {threads}: {worst:e} of {peak:e}"
                );
            }
        }
    }

    #[test]
    fn result_is_identical_on_one_and_two_threads() {
        let (w, h) = (200, 150); // large enough for the parallel paths
        let perm = porous(w, h, 7);
        let mut source = vec![0.0; w * h];
        for i in (0..w * h).step_by(97) {
            source[i] = 0.3;
        }
        let run = |threads: usize, precision: Precision| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| {
                let p = DiffusionProblem { sources: SiteRates::PerSite(&source), ..problem(&perm, 1e-4, HOUR_S) };
                let mut u = vec![0.0_f64; w * h];
                let mut solver = DiffusionSolver::new(w, h, settings_in(precision));
                for _ in 0..4 {
                    solver.step(0, &mut u, &p);
                }
                u
            })
        };
        for precision in PRECISIONS {
            let (one, two) = (run(1, precision), run(2, precision));
            assert!(one.iter().zip(&two).all(|(a, b)| a.to_bits() == b.to_bits()), "{precision:?}");
        }
    }

    #[test]
    fn sources_listed_at_their_sites_give_what_a_rate_per_site_gives() {
        // Fields pass the sites that have a source, not a rate for every site; every field of
        // a block of four reads its own list, rows split across threads.
        let (w, h) = (200, 150);
        let perm = porous(w, h, 5);
        type Rates = Vec<Vec<f64>>;
        type Listed = Vec<Vec<(u32, f64)>>;
        let (per_site, listed): (Rates, Listed) = (0..4)
            .map(|f| {
                let mut rates = vec![0.0; w * h];
                let mut list = Vec::new();
                // The first and last sites too, and a run of neighbours in one row.
                for i in (0..w * h).step_by(61 + 17 * f).chain([w * h - 1]).chain(3 * w + 5..3 * w + 12) {
                    rates[i] = 0.1 + 0.05 * (i % 7) as f64;
                }
                for (i, &r) in rates.iter().enumerate().filter(|(_, r)| **r != 0.0) {
                    list.push((i as u32, r));
                }
                (rates, list)
            })
            .unzip();
        let solve = |sources: Vec<SiteRates>, precision: Precision| {
            let problems: Vec<_> = sources
                .into_iter()
                .enumerate()
                .map(|(f, s)| DiffusionProblem { sources: s, ..problem(&perm, 1e-4 * (f + 1) as f64, HOUR_S) })
                .collect();
            let mut u = vec![vec![0.0; w * h]; 4];
            let mut solver = DiffusionSolver::new(w, h, settings_in(precision));
            for _ in 0..2 {
                let mut fields: Vec<&mut [f64]> = u.iter_mut().map(|u| &mut u[..]).collect();
                solver.step_together(&[0, 1, 2, 3], &mut fields, &problems, &mut [SolveStats::default(); 4]);
            }
            u
        };
        for precision in PRECISIONS {
            let dense = solve(per_site.iter().map(|r| SiteRates::PerSite(r)).collect(), precision);
            let sparse = solve(listed.iter().map(|l| SiteRates::AtSites(l)).collect(), precision);
            assert!(dense.iter().flatten().any(|&v| v > 0.0));
            for (a, b) in dense.iter().flatten().zip(sparse.iter().flatten()) {
                assert_eq!(a.to_bits(), b.to_bits(), "{precision:?}");
            }
        }
    }

    #[test]
    fn sinks_listed_at_vessels_give_what_a_rate_per_site_gives() {
        // Blood takes factors up only at vessels, given as a list, alone or on top of an
        // uptake by cells at every site: the same as the sums site by site.
        let (w, h) = (200, 150);
        let perm = porous(w, h, 9);
        let source: Vec<f64> = (0..w * h).map(|i| if i % 83 == 0 { 0.4 } else { 0.0 }).collect();
        let uptake: Vec<f64> = (0..w * h).map(|i| if i % 5 == 0 { 2e-4 } else { 0.0 }).collect();
        let vessels: Vec<(u32, f64)> = (0..w * h).step_by(211).map(|i| (i as u32, 1e-3)).collect();
        let mut at_vessels = vec![0.0; w * h];
        for &(v, rate) in &vessels {
            at_vessels[v as usize] = rate;
        }
        let both: Vec<f64> = uptake.iter().zip(&at_vessels).map(|(u, v)| u + v).collect();
        for precision in PRECISIONS {
            let solve = |sinks: SiteRates| {
                let p =
                    DiffusionProblem { sinks, sources: SiteRates::PerSite(&source), ..problem(&perm, 1e-4, HOUR_S) };
                let mut u = vec![0.0; w * h];
                let mut solver = DiffusionSolver::new(w, h, settings_in(precision));
                for _ in 0..2 {
                    solver.step(0, &mut u, &p);
                }
                u
            };
            let bits = |u: Vec<f64>| u.into_iter().map(f64::to_bits).collect::<Vec<_>>();
            let (listed, dense) = (solve(SiteRates::AtSites(&vessels)), solve(SiteRates::PerSite(&at_vessels)));
            assert!(listed.iter().sum::<f64>() < solve(SiteRates::None).iter().sum::<f64>());
            assert_eq!(bits(listed), bits(dense));
            assert_eq!(bits(solve(SiteRates::PerSitePlus(&uptake, &vessels))), bits(solve(SiteRates::PerSite(&both))));
        }
    }

    /// Five different fields on a porous section: a block of four and one left over, with
    /// their own diffusion, decay, sink, sources and edges.
    fn five_fields(w: usize, h: usize) -> (Vec<f64>, Vec<Vec<f64>>, Vec<f64>) {
        let perm = porous(w, h, 11);
        let sources = (0..5)
            .map(|f| {
                let mut s = vec![0.0; w * h];
                for i in (f * 13..w * h).step_by(89 + 10 * f) {
                    s[i] = 0.2 + 0.1 * f as f64;
                }
                s
            })
            .collect();
        let sink = (0..w * h).map(|i| if i % 7 == 0 { 1e-3 } else { 0.0 }).collect();
        (perm, sources, sink)
    }

    fn five_problems<'a>(perm: &'a [f64], sources: &'a [Vec<f64>], sink: &'a [f64]) -> Vec<DiffusionProblem<'a>> {
        let transport = [(37.0, 1.6), (30.0, 48.0), (200.0, 0.02), (50.0, 1.0), (73.0, 0.5)];
        transport
            .iter()
            .zip(sources)
            .enumerate()
            .map(|(f, (&(d, half_life_h), s))| DiffusionProblem {
                diffusion_um2_s: d,
                sinks: if f == 3 { SiteRates::PerSite(sink) } else { SiteRates::None },
                sources: SiteRates::PerSite(s),
                boundary: if f == 1 { Boundary::Fixed(0.5) } else { Boundary::NoFlux },
                ..problem(perm, std::f64::consts::LN_2 / (half_life_h * HOUR_S), 6.0 * HOUR_S)
            })
            .collect()
    }

    #[test]
    fn a_solver_shared_by_fields_in_turns_gives_each_what_its_own_solver_gives() {
        // Fields in turns refactorise in shared arrays and reuse the coarse reaction terms of
        // the field before when theirs are the same: neither may leak one field's system into
        // another's step. Five fields (a sink, a fixed edge, three plain) and a sink that
        // changes between rounds, on a grid large enough for the parallel paths.
        let (w, h) = (200, 150);
        let (perm, sources, sink) = five_fields(w, h);
        let other_sink: Vec<f64> = sink.iter().map(|s| 2.0 * s).collect();
        for precision in PRECISIONS {
            let settings = settings_in(precision);
            let mut shared = DiffusionSolver::new(w, h, settings);
            let mut own: Vec<DiffusionSolver> = (0..5).map(|_| DiffusionSolver::new(w, h, settings)).collect();
            let (mut a, mut b) = (vec![vec![0.0_f64; w * h]; 5], vec![vec![0.0_f64; w * h]; 5]);
            for round in 0..4 {
                let sink = if round % 2 == 0 { &sink } else { &other_sink };
                let problems = five_problems(&perm, &sources, sink);
                // The third round repeats a field at once, so its systems are reused.
                let order: &[usize] = if round == 2 { &[3, 3, 0, 2, 1, 4] } else { &[0, 1, 2, 3, 4] };
                for &f in order {
                    shared.step(f, &mut a[f], &problems[f]);
                    own[f].step(f, &mut b[f], &problems[f]);
                }
            }
            for f in 0..5 {
                assert!(a[f].iter().any(|&v| v > 0.0), "field {f} is empty");
                assert!(a[f].iter().zip(&b[f]).all(|(x, y)| x.to_bits() == y.to_bits()), "field {f} differs");
            }
            // Every turn but the repeat refactorised; each own solver only when its sink changed.
            assert_eq!(shared.factorised_fields(), 4 * 5);
            assert!(
                own.iter().all(|s| s.factorised_fields() <= 4),
                "{:?}",
                own.iter().map(|s| s.factorised_fields()).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn fields_stepped_together_agree_with_fields_stepped_alone() {
        let (w, h) = (96, 80);
        let (perm, sources, sink) = five_fields(w, h);
        let problems = five_problems(&perm, &sources, &sink);
        for precision in PRECISIONS {
            let settings = settings_in(precision);
            let (mut alone, mut together) = (vec![vec![0.0; w * h]; 5], vec![vec![0.0; w * h]; 5]);
            let (mut solo, mut joint) = (DiffusionSolver::new(w, h, settings), DiffusionSolver::new(w, h, settings));
            let keys = [0, 1, 2, 3, 4];
            let mut stats = [SolveStats::default(); 5];
            for _ in 0..3 {
                for (f, p) in problems.iter().enumerate() {
                    solo.step(f, &mut alone[f], p);
                }
                let mut fields: Vec<&mut [f64]> = together.iter_mut().map(|v| v.as_mut_slice()).collect();
                joint.step_together(&keys, &mut fields, &problems, &mut stats);
            }
            for f in 0..5 {
                let peak = alone[f].iter().fold(0.0f64, |m, &v| m.max(v));
                let worst = alone[f].iter().zip(&together[f]).fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
                // Each is within the tolerance of the exact step, so within twice it of each other.
                assert!(peak > 0.0 && worst <= 2.0 * settings.tolerance * peak, "field {f}: {worst} of {peak}");
                assert!(stats[f].converged && stats[f].cycles >= 1, "field {f}: {:?}", stats[f]);
            }
            // The fields differ, so a mix-up of lanes would show.
            assert!(together[2].iter().sum::<f64>() < 0.1 * together[1].iter().sum::<f64>());
        }
    }

    #[test]
    fn fields_stepped_together_keep_their_balance_and_do_not_depend_on_threads() {
        let (w, h) = (200, 150); // large enough for the parallel paths
        let (perm, sources, sink) = five_fields(w, h);
        let problems = five_problems(&perm, &sources, &sink);
        for precision in PRECISIONS {
            let run = |threads: usize| {
                let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
                pool.install(|| {
                    let mut solver = DiffusionSolver::new(w, h, settings_in(precision));
                    let mut values = vec![vec![0.0; w * h]; 5];
                    let mut stats = [SolveStats::default(); 5];
                    let mut fields: Vec<&mut [f64]> = values.iter_mut().map(|v| v.as_mut_slice()).collect();
                    solver.step_together(&[0, 1, 2, 3, 4], &mut fields, &problems, &mut stats);
                    values
                })
            };
            let (one, two) = (run(1), run(2));
            for (a, b) in one.iter().zip(&two) {
                assert!(a.iter().zip(b).all(|(a, b)| a.to_bits() == b.to_bits()));
            }
            // Field 0 (no sink, no-flux edges): what decay leaves of one step's secretion, from
            // zero: Σ u = τ Σ s exactly, whatever the solve did.
            let (_, tau) = decay_factor_and_tau(problems[0].decay_per_s, problems[0].dt_s);
            let secreted = tau * sources[0].iter().sum::<f64>();
            let held = one[0].iter().sum::<f64>();
            assert!((held - secreted).abs() <= 1e-9 * secreted, "{precision:?}: {held} vs {secreted}");
        }
    }

    #[test]
    fn both_number_types_solve_to_the_tolerance() {
        // Five fields through six steps in f64 and in f32 (kept in f64 here, to compare): each
        // within the tolerance of the exact steps, so within twice it of each other.
        let (w, h) = (120, 100);
        let (perm, sources, sink) = five_fields(w, h);
        let problems = five_problems(&perm, &sources, &sink);
        let solve = |precision: Precision| {
            let mut solver = DiffusionSolver::new(w, h, settings_in(precision));
            let mut values = vec![vec![0.0_f64; w * h]; 5];
            for _ in 0..6 {
                for (f, p) in problems.iter().enumerate() {
                    solver.step(f, &mut values[f], p);
                }
            }
            values
        };
        let (double, single) = (solve(Precision::Double), solve(Precision::Single));
        let tolerance = SolverSettings::default().tolerance;
        for f in 0..5 {
            let peak = double[f].iter().fold(0.0f64, |m, &v| m.max(v));
            let worst = double[f].iter().zip(&single[f]).fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
            assert!(peak > 0.0 && worst <= 2.0 * tolerance * peak, "field {f}: {worst} of {peak}");
            // Not the same numbers: the f32 path really ran.
            assert!(worst > 0.0, "field {f}: f32 gave the f64 values to the bit");
        }
    }

    /// The geometry of every level made site by site, each coupling worked out where it is
    /// used (as the solver did before it built levels in blocks of rows).
    fn geometry_site_by_site(level_dims: &[(usize, usize)], p: &[f64]) -> Vec<GeometryLevel<f64>> {
        fn level(
            (w, h): (usize, usize),
            cx: &dyn Fn(usize) -> f64,
            cy: &dyn Fn(usize) -> f64,
            coarser: bool,
        ) -> GeometryLevel<f64> {
            let all = |f: &dyn Fn(usize) -> f64| (0..w * h).map(f).collect::<Vec<f64>>();
            let csum = |i: usize| {
                let left = if !i.is_multiple_of(w) { cx(i - 1) } else { 0.0 };
                let up = if i >= w { cy(i - w) } else { 0.0 };
                cx(i) + cy(i) + left + up
            };
            let (own_x, own_y) = if coarser {
                (
                    all(&|i| own_weight(|k| cx((i / w) * w + k), i % w, w)),
                    all(&|i| own_weight(|k| cy(k * w + i % w), i / w, h)),
                )
            } else {
                (Vec::new(), Vec::new())
            };
            let edge = EdgeCouplings::none();
            GeometryLevel { w, h, cx: all(cx), cy: all(cy), csum: all(&csum), edge, own_x, own_y }
        }
        fn coarse(
            (w, h): (usize, usize),
            cx: &dyn Fn(usize) -> f64,
            cy: &dyn Fn(usize) -> f64,
        ) -> (Vec<f64>, Vec<f64>) {
            let (wc, hc) = (w.div_ceil(2), h.div_ceil(2));
            let (mut coarse_x, mut coarse_y) = (vec![0.0; wc * hc], vec![0.0; wc * hc]);
            for yc in 0..hc {
                for xc in 0..wc {
                    let ic = yc * wc + xc;
                    if xc + 1 < wc {
                        coarse_x[ic] =
                            (2 * yc..(2 * yc + 2).min(h)).map(|y| series_path(|i| cx(y * w + i), 2 * xc, w)).sum();
                    }
                    if yc + 1 < hc {
                        coarse_y[ic] =
                            (2 * xc..(2 * xc + 2).min(w)).map(|x| series_path(|i| cy(i * w + x), 2 * yc, h)).sum();
                    }
                }
            }
            (coarse_x, coarse_y)
        }
        let (w, h) = level_dims[0];
        let cx = |i: usize| if i % w + 1 < w { harmonic_mean(p[i], p[i + 1]) } else { 0.0 };
        let cy = |i: usize| if i + w < w * h { harmonic_mean(p[i], p[i + w]) } else { 0.0 };
        let mut levels = vec![level((w, h), &cx, &cy, level_dims.len() > 1)];
        let mut next = (level_dims.len() > 1).then(|| coarse((w, h), &cx, &cy));
        for (l, &dims) in level_dims.iter().enumerate().skip(1) {
            let (cx, cy) = next.take().unwrap();
            let (cx, cy) = (|i: usize| cx[i], |i: usize| cy[i]);
            levels.push(level(dims, &cx, &cy, l + 1 < level_dims.len()));
            next = (l + 1 < level_dims.len()).then(|| coarse(dims, &cx, &cy));
        }
        levels
    }

    #[test]
    fn the_geometry_built_in_blocks_of_rows_is_the_one_built_site_by_site() {
        // Sizes whose rows are not a whole number of blocks, odd widths and heights, one
        // level built serially and one over the threads; bone-like jumps in permeability.
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(17);
        for (w, h) in [(37, 53), (203, 131), (64, 17)] {
            let p: Vec<f64> =
                (0..w * h).map(|_| if rng.random::<f64>() < 0.3 { 0.05 } else { rng.random_range(0.5..1.0) }).collect();
            let solver = DiffusionSolver::new(w, h, settings_in(Precision::Double));
            let dims = &solver.level_dims;
            assert!(dims.len() > 2, "{w}×{h}: several coarse levels");
            let blocked = geometry_levels::<f64>(dims, Permeability::Sites(&p));
            let reference = geometry_site_by_site(dims, &p);
            for (l, (a, b)) in blocked.iter().zip(&reference).enumerate() {
                let same = |x: &[f64], y: &[f64]| {
                    x.len() == y.len() && x.iter().zip(y).all(|(x, y)| x.to_bits() == y.to_bits())
                };
                assert!(same(&a.cx, &b.cx) && same(&a.cy, &b.cy), "{w}×{h} level {l}: couplings");
                assert!(same(&a.csum, &b.csum), "{w}×{h} level {l}: sums");
                assert!(same(&a.own_x, &b.own_x) && same(&a.own_y, &b.own_y), "{w}×{h} level {l}: weights");
            }
        }
    }
}
