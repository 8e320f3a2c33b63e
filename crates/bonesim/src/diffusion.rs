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
}

impl Default for SolverSettings {
    fn default() -> Self {
        Self { tolerance: 1e-2, max_cycles: 20, absolute_tolerance: 0.0 }
    }
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
    pub permeability: &'a [f64],
    /// First-order sink of each site, 1/s (uptake by cells, loss into vessels); `None` is zero.
    pub sink_per_s: Option<&'a [f64]>,
    /// Source of each site, concentration per s; `None` is zero.
    pub source_per_s: Option<&'a [f64]>,
    /// What happens at the domain's edge.
    pub boundary: Boundary,
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
#[derive(Clone, Debug, Default)]
struct GeometryLevel {
    w: usize,
    h: usize,
    /// Coupling between (x, y) and (x + 1, y); zero in the last column.
    cx: Vec<f64>,
    /// Coupling between (x, y) and (x, y + 1); zero in the last row.
    cy: Vec<f64>,
    /// Sum of the couplings of each site.
    csum: Vec<f64>,
    /// Coupling of each site to a fixed-value edge (zero inside the domain).
    edge: Vec<f64>,
    /// Interpolation from the next coarser level: the weight each site takes from its own
    /// aggregate along x and along y (the rest comes from the neighbouring aggregate on its
    /// side). Empty on the coarsest level.
    own_x: Vec<f64>,
    own_y: Vec<f64>,
}

impl GeometryLevel {
    /// The finest level, from the permeability of each site: a face conducts with the
    /// harmonic mean of its two sites.
    fn fine(w: usize, h: usize, permeability: &[f64]) -> Self {
        let p = permeability;
        let n = w * h;
        let cx = (0..n).map(|i| if i % w + 1 < w { harmonic_mean(p[i], p[i + 1]) } else { 0.0 }).collect();
        let cy = (0..n).map(|i| if i + w < n { harmonic_mean(p[i], p[i + w]) } else { 0.0 }).collect();
        // A fixed edge value sits half a site beyond the boundary sites: coupling 2p per face.
        let edge = (0..n)
            .map(|i| {
                let (x, y) = (i % w, i / w);
                let faces = (x == 0) as u32 + (x + 1 == w) as u32 + (y == 0) as u32 + (y + 1 == h) as u32;
                2.0 * p[i] * faces as f64
            })
            .collect();
        GeometryLevel { w, h, cx, cy, csum: Vec::new(), edge, own_x: Vec::new(), own_y: Vec::new() }
            .with_coupling_sums()
    }

    /// The next coarser level, of 2 × 2 aggregates. A fine line crossing a coarse face is a
    /// path from one coarse centre to the next through half a face, a full face and half a
    /// face, in series; the two lines of an aggregate pair conduct in parallel. With uniform
    /// coefficients this is half the sum of the crossing faces (the coarse gradient spans
    /// twice the distance); across bone it keeps the bottleneck.
    fn coarsen(&mut self) -> Self {
        self.set_interpolation_weights();
        let (w, h) = (self.w, self.h);
        let (wc, hc) = (w.div_ceil(2), h.div_ceil(2));
        let mut cx = vec![0.0; wc * hc];
        let mut cy = vec![0.0; wc * hc];
        for yc in 0..hc {
            for xc in 0..wc {
                let ic = yc * wc + xc;
                if xc + 1 < wc {
                    cx[ic] =
                        (2 * yc..(2 * yc + 2).min(h)).map(|y| series_path(|i| self.cx[y * w + i], 2 * xc, w)).sum();
                }
                if yc + 1 < hc {
                    cy[ic] =
                        (2 * xc..(2 * xc + 2).min(w)).map(|x| series_path(|i| self.cy[i * w + x], 2 * yc, h)).sum();
                }
            }
        }
        let mut edge = vec![0.0; wc * hc];
        restrict(&self.edge, self, &mut edge);
        GeometryLevel { w: wc, h: hc, cx, cy, csum: Vec::new(), edge, own_x: Vec::new(), own_y: Vec::new() }
            .with_coupling_sums()
    }

    /// Interpolation weights that follow the operator: a site takes from each neighbouring
    /// coarse centre in proportion to the conductance of its path to that centre (half a
    /// face to its own aggregate's centre, a face and a half to the other's). With uniform
    /// coefficients that is bilinear interpolation (3/4 and 1/4); across bone, a site leans
    /// on the side it is connected to.
    fn set_interpolation_weights(&mut self) {
        let (w, h) = (self.w, self.h);
        self.own_x = (0..w * h).map(|i| own_weight(|k| self.cx[(i / w) * w + k], i % w, w)).collect();
        self.own_y = (0..w * h).map(|i| own_weight(|k| self.cy[k * w + i % w], i / w, h)).collect();
    }

    fn with_coupling_sums(mut self) -> Self {
        let w = self.w;
        self.csum = (0..w * self.h)
            .map(|i| {
                let left = if i % w > 0 { self.cx[i - 1] } else { 0.0 };
                let up = if i >= w { self.cy[i - w] } else { 0.0 };
                self.cx[i] + self.cy[i] + left + up
            })
            .collect();
        self
    }

    fn parallel(&self) -> bool {
        self.w * self.h >= PARALLEL_MIN_SITES
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

/// The per-field system of one level: `A = diag − g·(couplings)`, with the factorisations
/// of its row and column tridiagonals.
#[derive(Clone, Debug, Default)]
struct LevelSystem {
    /// Everything on the diagonal but the internal couplings: `1 + τU` (plus a fixed edge's
    /// coupling) on the finest level, their restriction below.
    react: Vec<f64>,
    /// Full diagonal, `react + g·csum`.
    diag: Vec<f64>,
    /// Thomas factors of each row: inverse pivots, and gains `x_i = f_i + gain_i x_{i+1}`.
    row_inv_pivot: Vec<f64>,
    row_gain: Vec<f64>,
    /// The same for each column (recurrence along y, stored row-major).
    col_inv_pivot: Vec<f64>,
    col_gain: Vec<f64>,
}

impl LevelSystem {
    fn new(n: usize) -> Self {
        LevelSystem {
            react: vec![0.0; n],
            diag: vec![0.0; n],
            row_inv_pivot: vec![0.0; n],
            row_gain: vec![0.0; n],
            col_inv_pivot: vec![0.0; n],
            col_gain: vec![0.0; n],
        }
    }

    /// Recomputes the diagonal and both factorisations from `react`, `g` and the geometry.
    /// Couplings are non-negative and the diagonal dominates, so every pivot is positive.
    fn factorise(&mut self, geo: &GeometryLevel, g: f64) {
        let w = geo.w;
        for ((d, r), c) in self.diag.iter_mut().zip(&self.react).zip(&geo.csum) {
            *d = r + g * c;
        }
        let diag = &self.diag;
        let factor_row = |(y, (inv, gain)): (usize, (&mut [f64], &mut [f64]))| {
            let (d, c) = (&diag[y * w..(y + 1) * w], &geo.cx[y * w..(y + 1) * w]);
            let mut previous_gain = 0.0;
            for x in 0..w {
                let lower = if x > 0 { g * c[x - 1] } else { 0.0 };
                inv[x] = 1.0 / (d[x] - lower * previous_gain);
                gain[x] = g * c[x] * inv[x];
                previous_gain = gain[x];
            }
        };
        let rows = self.row_inv_pivot.chunks_mut(w).zip(self.row_gain.chunks_mut(w));
        if geo.parallel() {
            let rows = self.row_inv_pivot.par_chunks_mut(w).zip(self.row_gain.par_chunks_mut(w));
            rows.enumerate().for_each(factor_row);
        } else {
            rows.enumerate().for_each(factor_row);
        }
        // Columns: the recurrence runs along y, so whole rows are processed at once.
        for y in 0..geo.h {
            let row = y * w..(y + 1) * w;
            let (above, here) = self.col_gain.split_at_mut(y * w);
            let gain = &mut here[..w];
            let inv = &mut self.col_inv_pivot[row.clone()];
            let (d, c) = (&self.diag[row.clone()], &geo.cy[row]);
            if y == 0 {
                for x in 0..w {
                    inv[x] = 1.0 / d[x];
                    gain[x] = g * c[x] * inv[x];
                }
            } else {
                let (previous, c_above) = (&above[(y - 1) * w..], &geo.cy[(y - 1) * w..y * w]);
                for x in 0..w {
                    inv[x] = 1.0 / (d[x] - g * c_above[x] * previous[x]);
                    gain[x] = g * c[x] * inv[x];
                }
            }
        }
    }
}

/// The work arrays of one level.
#[derive(Clone, Debug, Default)]
struct WorkLevel {
    /// Solution (finest level) or correction (coarser levels).
    u: Vec<f64>,
    /// Right-hand side.
    b: Vec<f64>,
    /// Residual rows, and the column solver's forward values.
    scratch: Vec<f64>,
    /// The residual before the coarse correction, the interpolated correction, and its image.
    residual: Vec<f64>,
    correction: Vec<f64>,
    image: Vec<f64>,
    /// Row partial sums, for sums in a fixed order.
    partials: Vec<f64>,
    /// The solution before the current cycle (finest level).
    previous: Vec<f64>,
    /// Half-width rows of the restriction (`h × coarse w`).
    to_own: Vec<f64>,
    to_side: Vec<f64>,
}

impl WorkLevel {
    fn new(w: usize, h: usize) -> Self {
        let n = w * h;
        WorkLevel {
            u: vec![0.0; n],
            b: vec![0.0; n],
            scratch: vec![0.0; n],
            residual: vec![0.0; n],
            correction: vec![0.0; n],
            image: vec![0.0; n],
            partials: vec![0.0; 2 * h],
            previous: vec![0.0; n],
            to_own: vec![0.0; h * w.div_ceil(2)],
            to_side: vec![0.0; h * w.div_ceil(2)],
        }
    }
}

/// One level's operator: geometry, per-field system and the coupling scale `g = τD/Δx²`.
#[derive(Clone, Copy)]
struct LevelOperator<'a> {
    geo: &'a GeometryLevel,
    sys: &'a LevelSystem,
    g: f64,
}

impl LevelOperator<'_> {
    /// `out = A u` on row `y`.
    #[inline]
    fn apply_row(&self, u: &[f64], y: usize, out: &mut [f64]) {
        let (w, g) = (self.geo.w, self.g);
        let i0 = y * w;
        let row = i0..i0 + w;
        let (ur, dr, cr) = (&u[row.clone()], &self.sys.diag[row.clone()], &self.geo.cx[row]);
        for ((o, d), u) in out.iter_mut().zip(dr).zip(ur) {
            *o = d * u;
        }
        for ((o, c), u) in out[1..].iter_mut().zip(&cr[..w - 1]).zip(&ur[..w - 1]) {
            *o -= g * c * u;
        }
        for ((o, c), u) in out[..w - 1].iter_mut().zip(&cr[..w - 1]).zip(&ur[1..]) {
            *o -= g * c * u;
        }
        if y > 0 {
            for ((o, c), u) in out.iter_mut().zip(&self.geo.cy[i0 - w..i0]).zip(&u[i0 - w..i0]) {
                *o -= g * c * u;
            }
        }
        if y + 1 < self.geo.h {
            for ((o, c), u) in out.iter_mut().zip(&self.geo.cy[i0..i0 + w]).zip(&u[i0 + w..i0 + 2 * w]) {
                *o -= g * c * u;
            }
        }
    }

    /// `out = b − A u` on row `y`.
    #[inline]
    fn residual_row(&self, u: &[f64], b: &[f64], y: usize, out: &mut [f64]) {
        self.apply_row(u, y, out);
        let w = self.geo.w;
        for (o, b) in out.iter_mut().zip(&b[y * w..(y + 1) * w]) {
            *o = b - *o;
        }
    }

    /// One relaxation: zebra line relaxation along the rows, then line Jacobi along the
    /// columns. Each line is solved exactly (Thomas, with the cached factors) with its
    /// neighbour lines held at their current values. With couplings non-negative, both map
    /// non-negative data to non-negative values.
    fn relax(&self, work: &mut WorkLevel) {
        self.relax_rows(&mut work.u, &work.b, &mut work.scratch);
        self.relax_columns(&mut work.u, &work.b, &mut work.scratch);
    }

    /// The rows of one parity, then of the other, `LOCKSTEP_ROWS` at a time, in parallel.
    fn relax_rows(&self, u: &mut [f64], b: &[f64], rhs: &mut [f64]) {
        let (w, h, g) = (self.geo.w, self.geo.h, self.g);
        let cy = &self.geo.cy;
        for parity in 0..2 {
            // Right-hand sides: b plus the pull of the rows above and below.
            let fill = |(y, row): (usize, &mut [f64])| {
                if y % 2 != parity {
                    return;
                }
                let i0 = y * w;
                row.copy_from_slice(&b[i0..i0 + w]);
                if y > 0 {
                    for ((r, c), v) in row.iter_mut().zip(&cy[i0 - w..i0]).zip(&u[i0 - w..i0]) {
                        *r += g * c * v;
                    }
                }
                if y + 1 < h {
                    for ((r, c), v) in row.iter_mut().zip(&cy[i0..i0 + w]).zip(&u[i0 + w..i0 + 2 * w]) {
                        *r += g * c * v;
                    }
                }
            };
            if self.geo.parallel() {
                rhs.par_chunks_mut(w).enumerate().for_each(fill);
            } else {
                rhs.chunks_mut(w).enumerate().for_each(fill);
            }
            let rhs: &[f64] = rhs;
            // Blocks of 2·LOCKSTEP_ROWS rows hold LOCKSTEP_ROWS rows of this parity.
            let block = 2 * LOCKSTEP_ROWS;
            let solve = |(k, ub): (usize, &mut [f64])| {
                let y0 = k * block;
                let full = ub.len() == block * w;
                let mut lines = ub.chunks_exact_mut(w).enumerate().skip(parity).step_by(2);
                if full {
                    let picked: [(usize, &mut [f64]); LOCKSTEP_ROWS] =
                        std::array::from_fn(|_| lines.next().map(|(r, l)| (y0 + r, l)).expect("row"));
                    self.thomas_rows(picked, rhs);
                } else {
                    for (r, line) in lines {
                        self.thomas_rows([(y0 + r, line)], rhs);
                    }
                }
            };
            if self.geo.parallel() {
                u.par_chunks_mut(block * w).enumerate().for_each(solve);
            } else {
                u.chunks_mut(block * w).enumerate().for_each(solve);
            }
        }
    }

    /// Solves `K` rows side by side (their recurrences are independent, so they overlap in
    /// the pipeline), each `(y, line)`: forward `f_i = (rhs_i + g·cx_{i−1} f_{i−1}) / pivot_i`,
    /// then back `x_i = f_i + gain_i x_{i+1}`.
    #[inline]
    fn thomas_rows<const K: usize>(&self, rows: [(usize, &mut [f64]); K], rhs: &[f64]) {
        let (w, g) = (self.geo.w, self.g);
        let range = |y: usize| y * w..(y + 1) * w;
        let ys = rows.each_ref().map(|(y, _)| *y);
        let inv = ys.map(|y| &self.sys.row_inv_pivot[range(y)]);
        let gain = ys.map(|y| &self.sys.row_gain[range(y)]);
        let cx = ys.map(|y| &self.geo.cx[range(y)]);
        let r = ys.map(|y| &rhs[range(y)]);
        let u = rows.map(|(_, line)| line);
        let mut f = [0.0; K];
        for k in 0..K {
            f[k] = r[k][0] * inv[k][0];
            u[k][0] = f[k];
        }
        for i in 1..w {
            for k in 0..K {
                f[k] = (r[k][i] + g * cx[k][i - 1] * f[k]) * inv[k][i];
                u[k][i] = f[k];
            }
        }
        for i in (0..w - 1).rev() {
            for k in 0..K {
                u[k][i] += gain[k][i] * u[k][i + 1];
            }
        }
    }

    /// Zebra line relaxation along the columns: the columns of one parity, then of the
    /// other, each solved exactly from the current values of its left and right neighbours.
    /// The recurrence runs along y, so each step sweeps a whole row (every other site); blocks
    /// of columns are swept in parallel.
    fn relax_columns(&self, u: &mut [f64], b: &[f64], forward: &mut [f64]) {
        let w = self.geo.w;
        let blocks = if self.geo.parallel() { rayon::current_num_threads().min(w / 32).max(1) } else { 1 };
        // Blocks start on even columns, so that no block writes a column another reads.
        let width = (w.div_ceil(blocks) + 1) & !1;
        for parity in 0..2 {
            let shared = ColumnBlocks::new(u, forward);
            let sweep = |k: usize| {
                let x0 = k * width;
                if x0 < w {
                    self.relax_column_block(&shared, b, parity, x0, (x0 + width).min(w));
                }
            };
            if blocks > 1 {
                (0..blocks).into_par_iter().for_each(sweep);
            } else {
                sweep(0);
            }
        }
    }

    /// The columns `x0..x1` of one parity (see [`LevelOperator::relax_columns`]).
    fn relax_column_block(&self, grid: &ColumnBlocks, b: &[f64], parity: usize, x0: usize, x1: usize) {
        let (w, h, g) = (self.geo.w, self.geo.h, self.g);
        let (cx, cy) = (&self.geo.cx, &self.geo.cy);
        let (inv, gain) = (&self.sys.col_inv_pivot, &self.sys.col_gain);
        let start = x0 + (x0 + parity) % 2;
        for y in 0..h {
            let i0 = y * w;
            for x in (start..x1).step_by(2) {
                let i = i0 + x;
                let mut f = b[i];
                if x > 0 {
                    f += g * cx[i - 1] * grid.u(i - 1);
                }
                if x + 1 < w {
                    f += g * cx[i] * grid.u(i + 1);
                }
                if y > 0 {
                    f += g * cy[i - w] * grid.forward(i - w);
                }
                grid.set_forward(i, f * inv[i]);
            }
        }
        for x in (start..x1).step_by(2) {
            let i = (h - 1) * w + x;
            grid.set_u(i, grid.forward(i));
        }
        for y in (0..h - 1).rev() {
            let i0 = y * w;
            for x in (start..x1).step_by(2) {
                let i = i0 + x;
                grid.set_u(i, grid.forward(i) + gain[i] * grid.u(i + w));
            }
        }
    }
}

/// The solution and forward-sweep arrays of a level, shared by the tasks that sweep blocks
/// of columns in parallel.
///
/// Safe Rust cannot hand several threads interleaved columns of one row-major array, so this
/// holds raw pointers. It is sound because of how zebra column relaxation uses it: in one
/// pass every task writes only columns of the pass's parity inside its own block of columns,
/// and reads only those columns and, beside them, columns of the other parity, which no task
/// writes in that pass. No element is written by one task while another reads or writes it,
/// and the borrow of both arrays lasts as long as the value.
struct ColumnBlocks<'a> {
    u: *mut f64,
    forward: *mut f64,
    len: usize,
    _arrays: std::marker::PhantomData<&'a mut [f64]>,
}

// SAFETY: see the type's documentation: tasks touch disjoint elements, so sharing the
// pointers between threads cannot cause a data race.
unsafe impl Send for ColumnBlocks<'_> {}
unsafe impl Sync for ColumnBlocks<'_> {}

impl<'a> ColumnBlocks<'a> {
    fn new(u: &'a mut [f64], forward: &'a mut [f64]) -> Self {
        assert_eq!(u.len(), forward.len());
        ColumnBlocks {
            u: u.as_mut_ptr(),
            forward: forward.as_mut_ptr(),
            len: u.len(),
            _arrays: std::marker::PhantomData,
        }
    }

    #[inline]
    fn u(&self, i: usize) -> f64 {
        debug_assert!(i < self.len);
        // SAFETY: in bounds (the callers index within the level); no task writes this
        // element during the pass (type docs).
        unsafe { self.u.add(i).read() }
    }

    #[inline]
    fn set_u(&self, i: usize, v: f64) {
        debug_assert!(i < self.len);
        // SAFETY: in bounds; only the task owning this column touches it (type docs).
        unsafe { self.u.add(i).write(v) }
    }

    #[inline]
    fn forward(&self, i: usize) -> f64 {
        debug_assert!(i < self.len);
        // SAFETY: in bounds; only the task owning this column touches it (type docs).
        unsafe { self.forward.add(i).read() }
    }

    #[inline]
    fn set_forward(&self, i: usize, v: f64) {
        debug_assert!(i < self.len);
        // SAFETY: in bounds; only the task owning this column touches it (type docs).
        unsafe { self.forward.add(i).write(v) }
    }
}

/// `coarse = Pᵀ fine`, with the interpolation weights of `level` (the fine level), in two
/// passes: along each fine row into half-width rows bound for the row's own aggregate row
/// (`to_own`) and for the one on its side (`to_side`), then across rows. Rows of `P` sum to
/// one, so sums are kept.
fn restrict_into(fine: &[f64], level: &GeometryLevel, to_own: &mut [f64], to_side: &mut [f64], coarse: &mut [f64]) {
    let (w, h) = (level.w, level.h);
    let (wc, hc) = (w.div_ceil(2), h.div_ceil(2));
    let along_x = |(y, (own, side)): (usize, (&mut [f64], &mut [f64]))| {
        own.iter_mut().for_each(|c| *c = 0.0);
        side.iter_mut().for_each(|c| *c = 0.0);
        let row = y * w..(y + 1) * w;
        let (f, wxs, wys) = (&fine[row.clone()], &level.own_x[row.clone()], &level.own_y[row]);
        for x in 0..w {
            let (cx, sx) = (x / 2, side_of(x, wc));
            let (wx, wy) = (wxs[x], wys[x]);
            let (to_cx, to_sx) = (wx * f[x], (1.0 - wx) * f[x]);
            own[cx] += wy * to_cx;
            own[sx] += wy * to_sx;
            side[cx] += (1.0 - wy) * to_cx;
            side[sx] += (1.0 - wy) * to_sx;
        }
    };
    if level.parallel() {
        to_own.par_chunks_mut(wc).zip(to_side.par_chunks_mut(wc)).enumerate().for_each(along_x);
    } else {
        to_own.chunks_mut(wc).zip(to_side.chunks_mut(wc)).enumerate().for_each(along_x);
    }
    let (to_own, to_side): (&[f64], &[f64]) = (to_own, to_side);
    let across = |(yc, out): (usize, &mut [f64])| {
        out.iter_mut().for_each(|c| *c = 0.0);
        for y in (2 * yc).saturating_sub(1)..(2 * yc + 3).min(h) {
            let add = |out: &mut [f64], from: &[f64]| out.iter_mut().zip(from).for_each(|(o, v)| *o += v);
            if y / 2 == yc {
                add(out, &to_own[y * wc..(y + 1) * wc]);
            }
            if side_of(y, hc) == yc {
                add(out, &to_side[y * wc..(y + 1) * wc]);
            }
        }
    };
    if level.parallel() {
        coarse.par_chunks_mut(wc).enumerate().for_each(across);
    } else {
        coarse.chunks_mut(wc).enumerate().for_each(across);
    }
}

/// `coarse = Pᵀ fine`, with scratch of its own (for setting up, not for cycles).
fn restrict(fine: &[f64], level: &GeometryLevel, coarse: &mut [f64]) {
    let half = level.h * level.w.div_ceil(2);
    restrict_into(fine, level, &mut vec![0.0; half], &mut vec![0.0; half], coarse);
}

/// `u += P coarse`, with the interpolation weights of `level` (the fine level).
fn prolong_add(coarse: &[f64], level: &GeometryLevel, u: &mut [f64]) {
    let (w, h) = (level.w, level.h);
    let (wc, hc) = (w.div_ceil(2), h.div_ceil(2));
    let row = |(y, out): (usize, &mut [f64])| {
        let (own_row, side_row) = (y / 2, side_of(y, hc));
        let (own, side) = (&coarse[own_row * wc..(own_row + 1) * wc], &coarse[side_row * wc..(side_row + 1) * wc]);
        for (x, v) in out.iter_mut().enumerate() {
            let i = y * w + x;
            let (wx, wy) = (level.own_x[i], level.own_y[i]);
            let (cx, sx) = (x / 2, side_of(x, wc));
            let from_own_row = wx * own[cx] + (1.0 - wx) * own[sx];
            let from_side_row = wx * side[cx] + (1.0 - wx) * side[sx];
            *v += wy * from_own_row + (1.0 - wy) * from_side_row;
        }
    };
    if level.parallel() {
        u.par_chunks_mut(w).enumerate().for_each(row);
    } else {
        u.chunks_mut(w).enumerate().for_each(row);
    }
}

/// `Pᵀ (b − A u)` into `coarse_b`; the residual stays in `work.residual`.
fn restrict_residual(op: &LevelOperator, work: &mut WorkLevel, coarse_b: &mut [f64]) {
    let w = op.geo.w;
    let (u, b) = (&work.u, &work.b);
    let row = |(y, out): (usize, &mut [f64])| op.residual_row(u, b, y, out);
    if op.geo.parallel() {
        work.residual.par_chunks_mut(w).enumerate().for_each(row);
    } else {
        work.residual.chunks_mut(w).enumerate().for_each(row);
    }
    restrict_into(&work.residual, op.geo, &mut work.to_own, &mut work.to_side, coarse_b);
}

/// Adds the coarse correction to `work.u`: its interpolation `c = P e`, scaled by the step
/// `α = (c·r)/(c·A c)` that minimises the error in the energy norm. A coarse operator that is
/// not the exact Galerkin product can overshoot where bone makes the coefficients jump; with
/// the scaling no correction makes the error larger.
fn correct_from_coarse(op: &LevelOperator, coarse: &[f64], work: &mut WorkLevel) {
    let w = op.geo.w;
    work.correction.iter_mut().for_each(|c| *c = 0.0);
    prolong_add(coarse, op.geo, &mut work.correction);
    let (c, r) = (&work.correction, &work.residual);
    let row_dots = |(y, (image, sums)): (usize, (&mut [f64], &mut [f64]))| {
        op.apply_row(c, y, image);
        let row = y * w..(y + 1) * w;
        sums[0] = c[row.clone()].iter().zip(&r[row.clone()]).map(|(c, r)| c * r).sum();
        sums[1] = c[row].iter().zip(image.iter()).map(|(c, a)| c * a).sum();
    };
    if op.geo.parallel() {
        work.image.par_chunks_mut(w).zip(work.partials.par_chunks_mut(2)).enumerate().for_each(row_dots);
    } else {
        work.image.chunks_mut(w).zip(work.partials.chunks_mut(2)).enumerate().for_each(row_dots);
    }
    // Summed in row order, so the step does not depend on the number of threads.
    let (numerator, denominator) = work.partials.chunks(2).fold((0.0, 0.0), |(n, d), s| (n + s[0], d + s[1]));
    let alpha = if denominator > 0.0 { numerator / denominator } else { 0.0 };
    for (u, c) in work.u.iter_mut().zip(&work.correction) {
        *u += alpha * c;
    }
}

/// Backward-Euler diffusion–decay solver on a fixed grid (see the module docs).
///
/// One solver serves any number of fields on the same lattice, one after another, each
/// named by a key. It keeps the transport geometry (rebuilt only when the permeability
/// changes), each field's factorised line systems (rebuilt only when that field's
/// coefficients change) and all work arrays, so a step allocates nothing once every field
/// has been seen.
#[derive(Clone, Debug)]
pub struct DiffusionSolver {
    settings: SolverSettings,
    /// `(w, h)` of each level, finest first.
    level_dims: Vec<(usize, usize)>,
    /// The permeability the geometry was built from, the geometry, and how often it was built.
    permeability: Vec<f64>,
    geometry: Vec<GeometryLevel>,
    geometry_generation: u64,
    /// The cached systems of each field key.
    systems: Vec<Option<FieldSystems>>,
    /// Reaction terms of the step being taken, to compare against the cache.
    react: Vec<f64>,
    work: Vec<WorkLevel>,
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

/// The factorised systems of one field on all levels, and what they were built from.
#[derive(Clone, Debug)]
struct FieldSystems {
    g: f64,
    geometry_generation: u64,
    levels: Vec<LevelSystem>,
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
        DiffusionSolver {
            settings,
            work: level_dims.iter().map(|&(w, h)| WorkLevel::new(w, h)).collect(),
            level_dims,
            permeability: Vec::new(),
            geometry: Vec::new(),
            geometry_generation: 0,
            systems: Vec::new(),
            react: vec![0.0; w * h],
        }
    }

    /// The solver's settings.
    pub fn settings(&self) -> SolverSettings {
        self.settings
    }

    /// Bytes the loops of `steps` field steps running `cycles` V-cycles in all stream from and
    /// to memory, if every pass reads each array it touches once (what a cache too small for
    /// the grid allows at best): the solver's side of a roofline. Counted from the loops, in
    /// words of 8 bytes per site of a level: rows 10 (fill: b, cy twice, u of the other
    /// parity, rhs; Thomas: rhs, pivots, gains, cx, u), zebra columns 20 (each parity strides
    /// over every cache line: b, cx, u, cy, pivots and forward values down, forward values,
    /// gains and u up), residual 6, restriction 5.25, coarse correction 14.25, and on the
    /// finest level 3 more for the change between cycles. Each step adds 23 words per site
    /// outside the cycles (comparing caches, the right-hand side, copies, balance, clipping).
    pub fn streamed_bytes(&self, steps: u32, cycles: u32) -> f64 {
        const WORDS_PER_LEVEL_CYCLE: f64 = 10.0 + 20.0 + 6.0 + 5.25 + 14.25;
        const WORDS_FINEST_CYCLE: f64 = 3.0;
        const WORDS_PER_STEP: f64 = 23.0;
        let (last, fine) = (self.level_dims.len() - 1, self.level_dims[0]);
        let sites = |&(w, h): &(usize, usize)| (w * h) as f64;
        // The coarsest level is relaxed COARSEST_SWEEPS times instead (rows and columns).
        let per_cycle: f64 = self.level_dims[..last].iter().map(|d| sites(d) * WORDS_PER_LEVEL_CYCLE).sum::<f64>()
            + sites(&self.level_dims[last]) * 30.0 * COARSEST_SWEEPS as f64
            + sites(&fine) * WORDS_FINEST_CYCLE;
        8.0 * (per_cycle * cycles as f64 + sites(&fine) * WORDS_PER_STEP * steps as f64)
    }

    /// Advances field `u` (row-major, `w × h`) by one step of `problem`. `key` names the
    /// field (0, 1, 2, …) so that its factorised systems can be reused from step to step.
    pub fn step(&mut self, key: usize, u: &mut [f64], problem: &DiffusionProblem) -> SolveStats {
        let (w, h) = self.level_dims[0];
        let n = w * h;
        assert_eq!(u.len(), n, "field size does not match the solver's grid");
        assert_eq!(problem.permeability.len(), n, "permeability size does not match");
        if self.permeability != problem.permeability {
            self.rebuild_geometry(problem.permeability);
        }
        let (decay_factor, tau) = decay_factor_and_tau(problem.decay_per_s, problem.dt_s);
        let g = tau * problem.diffusion_um2_s / (problem.site_um * problem.site_um);
        let (fixed, edge_value) = match problem.boundary {
            Boundary::NoFlux => (false, 0.0),
            Boundary::Fixed(v) => (true, v),
        };
        let edge = &self.geometry[0].edge;
        match (problem.sink_per_s, fixed) {
            (None, false) => self.react.iter_mut().for_each(|r| *r = 1.0),
            _ => {
                for (i, r) in self.react.iter_mut().enumerate() {
                    let sink = problem.sink_per_s.map_or(0.0, |s| s[i]);
                    *r = 1.0 + tau * sink + if fixed { g * edge[i] } else { 0.0 };
                }
            }
        }
        let mut systems = self.take_systems(key, g);
        let edge = &self.geometry[0].edge;

        // Right-hand side E u⁰ + τ s (+ inflow from a fixed edge), its sum and its largest
        // entry; warm start from u⁰.
        let fine = &mut self.work[0];
        let parallel = n >= PARALLEL_MIN_SITES;
        let source = problem.source_per_s;
        let fill = |(y, (b, sums)): (usize, (&mut [f64], &mut [f64]))| {
            let row = y * w..(y + 1) * w;
            let (u0, e) = (&u[row.clone()], &edge[row]);
            let (mut sum, mut max) = (0.0_f64, 0.0_f64);
            for x in 0..w {
                let s = source.map_or(0.0, |s| s[y * w + x]);
                let v = decay_factor * u0[x] + tau * s + if fixed { g * e[x] * edge_value } else { 0.0 };
                b[x] = v;
                sum += v;
                max = max.max(v.abs());
            }
            sums[0] = sum;
            sums[1] = max;
        };
        if parallel {
            fine.b.par_chunks_mut(w).zip(fine.partials.par_chunks_mut(2)).enumerate().for_each(fill);
        } else {
            fine.b.chunks_mut(w).zip(fine.partials.chunks_mut(2)).enumerate().for_each(fill);
        }
        fine.u.copy_from_slice(u);
        fine.previous.copy_from_slice(u);
        // Row sums added in row order: the total does not depend on the number of threads.
        let (b_sum, b_max) = fine.partials.chunks(2).fold((0.0, 0.0_f64), |(s, m), p| (s + p[0], m.max(p[1])));

        // Cycle until the error left is estimated below the tolerance: a cycle that changed
        // the field by c, at a contraction ρ per cycle, leaves about c ρ / (1 − ρ). ρ is
        // measured from the last two changes (assumed 0.25 after the first cycle, more than
        // the 0.1–0.25 the tests measure).
        let mut stats = SolveStats::default();
        let untouched = b_max == 0.0;
        let mut last_change = f64::INFINITY;
        while !untouched && stats.cycles < self.settings.max_cycles {
            self.v_cycle(&systems, 0, g);
            stats.cycles += 1;
            let fine = &mut self.work[0];
            let (change, size) = largest_change(&fine.u, &mut fine.previous, w, parallel);
            let contraction = if last_change.is_finite() { (change / last_change).min(0.9) } else { 0.25 };
            last_change = change;
            let left = change * contraction / (1.0 - contraction);
            stats.relative_change = if size > 0.0 { left / size } else { left };
            if stats.relative_change <= self.settings.tolerance || left <= self.settings.absolute_tolerance {
                stats.converged = true;
                break;
            }
        }
        stats.converged |= untouched;

        // Restore the discrete balance Σ react·u = Σ b exactly (the couplings cancel in the
        // sum), then remove round-off negatives without disturbing it.
        let fine = &mut self.work[0];
        let react = &systems.levels[0].react;
        let (solution, partials) = (&fine.u, &mut fine.partials);
        let weigh = |(y, sums): (usize, &mut [f64])| {
            let row = y * w..(y + 1) * w;
            sums[0] = react[row.clone()].iter().zip(&solution[row.clone()]).map(|(r, v)| r * v).sum();
            sums[1] = react[row].iter().sum();
        };
        if parallel {
            partials.par_chunks_mut(2).enumerate().for_each(weigh);
        } else {
            partials.chunks_mut(2).enumerate().for_each(weigh);
        }
        let (weighted, react_sum) = partials.chunks(2).fold((0.0, 0.0), |(a, b), p| (a + p[0], b + p[1]));
        let shift = (b_sum - weighted) / react_sum;
        fine.u.iter_mut().for_each(|v| *v += shift);
        let (change, size) = largest_change(&fine.u, u, w, parallel);
        stats.step_change = if size > 0.0 { change / size } else { change };
        stats.clipped_fraction = remove_negatives(u, react);
        self.systems[key] = Some(std::mem::take(&mut systems).into_field_systems());
        stats
    }

    fn rebuild_geometry(&mut self, permeability: &[f64]) {
        let (w, h) = self.level_dims[0];
        self.permeability.clear();
        self.permeability.extend_from_slice(permeability);
        self.geometry.clear();
        self.geometry.push(GeometryLevel::fine(w, h, permeability));
        for l in 1..self.level_dims.len() {
            let coarse = self.geometry[l - 1].coarsen();
            self.geometry.push(coarse);
        }
        self.geometry_generation += 1;
    }

    /// The field's cached systems if they still hold for `self.react` and `g`; otherwise
    /// rebuilt: reaction terms restricted with `Pᵀ` (which keeps their sums, and so the
    /// balance of each coarse correction), then factorised.
    fn take_systems(&mut self, key: usize, g: f64) -> ActiveSystems {
        if self.systems.len() <= key {
            self.systems.resize(key + 1, None);
        }
        let mut levels = match self.systems[key].take() {
            Some(cached) => {
                let fresh = cached.g == g
                    && cached.geometry_generation == self.geometry_generation
                    && cached.levels[0].react == self.react;
                if fresh {
                    return ActiveSystems { g, generation: self.geometry_generation, levels: cached.levels };
                }
                cached.levels
            }
            None => self.level_dims.iter().map(|&(w, h)| LevelSystem::new(w * h)).collect(),
        };
        levels[0].react.copy_from_slice(&self.react);
        for l in 1..levels.len() {
            let (fine, coarse) = levels.split_at_mut(l);
            restrict(&fine[l - 1].react, &self.geometry[l - 1], &mut coarse[0].react);
        }
        for (sys, geo) in levels.iter_mut().zip(&self.geometry) {
            sys.factorise(geo, g);
        }
        ActiveSystems { g, generation: self.geometry_generation, levels }
    }

    /// One V(1,0) cycle from level `l` on `work[l].u` and `work[l].b`: relax, then correct
    /// from the coarser level.
    fn v_cycle(&mut self, systems: &ActiveSystems, l: usize, g: f64) {
        let last = self.work.len() - 1;
        if l == last {
            let op = LevelOperator { geo: &self.geometry[l], sys: &systems.levels[l], g };
            for _ in 0..COARSEST_SWEEPS {
                op.relax(&mut self.work[l]);
            }
            return;
        }
        {
            let op = LevelOperator { geo: &self.geometry[l], sys: &systems.levels[l], g };
            let (fine, coarse) = self.work.split_at_mut(l + 1);
            op.relax(&mut fine[l]);
            restrict_residual(&op, &mut fine[l], &mut coarse[0].b);
            coarse[0].u.iter_mut().for_each(|e| *e = 0.0);
        }
        self.v_cycle(systems, l + 1, g);
        let op = LevelOperator { geo: &self.geometry[l], sys: &systems.levels[l], g };
        let (fine, coarse) = self.work.split_at_mut(l + 1);
        correct_from_coarse(&op, &coarse[0].u, &mut fine[l]);
    }
}

/// A field's systems while one of its steps is being taken.
#[derive(Debug, Default)]
struct ActiveSystems {
    g: f64,
    generation: u64,
    levels: Vec<LevelSystem>,
}

impl ActiveSystems {
    fn into_field_systems(self) -> FieldSystems {
        FieldSystems { g: self.g, geometry_generation: self.generation, levels: self.levels }
    }
}

/// The largest change from `previous` to `now` and the largest value of `now`, row by row;
/// `previous` takes the values of `now`. (Maxima are exact in any order, so the threads do
/// not change them.)
fn largest_change(now: &[f64], previous: &mut [f64], w: usize, parallel: bool) -> (f64, f64) {
    let row = |(y, before): (usize, &mut [f64])| {
        let (mut change, mut size) = (0.0_f64, 0.0_f64);
        for (n, b) in now[y * w..(y + 1) * w].iter().zip(before.iter_mut()) {
            change = change.max((n - *b).abs());
            size = size.max(n.abs());
            *b = *n;
        }
        (change, size)
    };
    let max2 = |a: (f64, f64), b: (f64, f64)| (a.0.max(b.0), a.1.max(b.1));
    if parallel {
        previous.par_chunks_mut(w).enumerate().map(row).reduce(|| (0.0, 0.0), max2)
    } else {
        previous.chunks_mut(w).enumerate().map(row).fold((0.0, 0.0), max2)
    }
}

/// `(e^{−k dt}, (1 − e^{−k dt})/k)`, the latter `dt` when `k = 0`.
pub fn decay_factor_and_tau(decay_per_s: f64, dt_s: f64) -> (f64, f64) {
    let kdt = decay_per_s * dt_s;
    if kdt == 0.0 { (1.0, dt_s) } else { ((-kdt).exp(), -(-kdt).exp_m1() / decay_per_s) }
}

/// Zeroes negative values and takes their amount (weighted by `weight`, the reaction
/// diagonal, so that the discrete balance is kept) from the positive sites in proportion.
/// Returns the amount moved as a fraction of the positive total.
fn remove_negatives(u: &mut [f64], weight: &[f64]) -> f64 {
    if u.iter().all(|&v| v >= 0.0) {
        return 0.0;
    }
    let mut negative = 0.0;
    let mut positive = 0.0;
    for (v, w) in u.iter().zip(weight) {
        if *v < 0.0 {
            negative -= v * w;
        } else {
            positive += v * w;
        }
    }
    let keep = if positive > negative { (positive - negative) / positive } else { 0.0 };
    for v in u.iter_mut() {
        *v = if *v < 0.0 { 0.0 } else { *v * keep };
    }
    negative / positive.max(f64::MIN_POSITIVE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_xoshiro::Xoshiro256PlusPlus;

    const HOUR_S: f64 = 3600.0;

    fn problem<'a>(permeability: &'a [f64], decay_per_s: f64, dt_s: f64) -> DiffusionProblem<'a> {
        DiffusionProblem {
            diffusion_um2_s: 50.0,
            decay_per_s,
            site_um: 10.0,
            dt_s,
            permeability,
            sink_per_s: None,
            source_per_s: None,
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
        let total0: f64 = u.iter().sum();
        let mut solver = DiffusionSolver::new(w, h, SolverSettings::default());
        for dt in [HOUR_S; 48].into_iter().chain([60.0, 86_400.0]) {
            let stats = solver.step(0, &mut u, &problem(&perm, 0.0, dt));
            let total: f64 = u.iter().sum();
            assert!(
                ((total - total0) / total0).abs() < 1e-6,
                "mass drifted to {total} from {total0} (dt {dt} s, {stats:?})"
            );
        }
        // And it really spread: the blob is no longer where it started.
        let inside: f64 = (30..50).flat_map(|y| (40..70).map(move |x| (x, y))).map(|(x, y)| u[y * w + x]).sum();
        assert!(inside < 0.5 * total0, "the field did not diffuse ({inside} of {total0} left)");
    }

    #[test]
    fn balance_holds_after_every_cycle_even_when_not_converged() {
        // One V-cycle per step: far from converged, yet the amount must still balance exactly.
        let (w, h) = (64, 64);
        let perm = porous(w, h, 3);
        let mut u = vec![0.0; w * h];
        u[32 * w + 20] = 1000.0;
        let settings = SolverSettings { tolerance: 1e-300, max_cycles: 1, absolute_tolerance: 0.0 };
        let mut solver = DiffusionSolver::new(w, h, settings);
        for _ in 0..10 {
            let stats = solver.step(0, &mut u, &problem(&perm, 0.0, 86_400.0));
            assert!(!stats.converged);
            let total: f64 = u.iter().sum();
            assert!((total - 1000.0).abs() < 1e-9 * 1000.0, "total {total}");
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
        // The scheme's decay is exact: with the linear solve converged, to 1e-4 (in fact to
        // round-off).
        let converged = SolverSettings { tolerance: 1e-8, ..Default::default() };
        let error = uniform_decay_error(converged);
        assert!(error < 1e-4, "converged solve: relative error {error:e}");
        // The default stops when the error left is estimated below 1 %; what it leaves stays
        // below that, and the next step works it off rather than adding to it.
        let default = SolverSettings::default();
        let error = uniform_decay_error(default);
        assert!(error < default.tolerance, "default solve: relative error {error:e}");
    }

    /// Steady state around a constant point source at the default one-hour tick, against the
    /// 2D analytic profile u(r) = q Δx² / (2π D) · K0(r / L), L = √(D/k).
    fn check_point_source_steady_state(decay_length_sites: f64) {
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
        let p = DiffusionProblem { source_per_s: Some(&source), ..problem(&perm, k, HOUR_S) };
        let mut u = vec![0.0; w * h];
        let mut solver = DiffusionSolver::new(w, h, SolverSettings::default());
        let mut ticks = 0;
        loop {
            let before = u[centre + 10];
            solver.step(0, &mut u, &p);
            ticks += 1;
            if ((u[centre + 10] - before) / u[centre + 10]).abs() < 1e-9 || ticks > 2000 {
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
        assert!(worst < 0.05, "L = {decay_length_sites} sites: worst relative error {worst:.4}");
    }

    #[test]
    fn point_source_reaches_the_analytic_steady_state_at_a_one_hour_tick() {
        // Decay lengths of 20 and 40 sites (half-lives of 9 and 37 minutes at D = 50 µm²/s):
        // k·dt is 4.5 and 1.1, the regime where LOD splitting is tens of percent off.
        check_point_source_steady_state(20.0);
        check_point_source_steady_state(40.0);
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
                        source_per_s: Some(&source),
                        sink_per_s: Some(&sink),
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
        let default = SolverSettings::default();
        let share = largest_clipped_share(default);
        assert!(share <= default.tolerance, "moved {share:e} at tolerance {:e}", default.tolerance);
        let tight = SolverSettings { tolerance: 1e-10, max_cycles: 200, absolute_tolerance: 0.0 };
        let share = largest_clipped_share(tight);
        assert!(share <= 1e-10, "moved {share:e} at tolerance 1e-10");
    }

    #[test]
    fn fixed_edge_fills_an_empty_domain_to_its_value() {
        let (w, h) = (40, 30);
        let perm = vec![1.0; w * h];
        let p = DiffusionProblem { boundary: Boundary::Fixed(2.5), ..problem(&perm, 0.0, 86_400.0) };
        let mut u = vec![0.0; w * h];
        let mut solver = DiffusionSolver::new(w, h, SolverSettings::default());
        for _ in 0..30 {
            solver.step(0, &mut u, &p);
        }
        for &v in &u {
            assert!((v - 2.5).abs() < 1e-3, "{v}");
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
        let far_side = |perm: &[f64]| {
            let mut u = vec![0.0; w * h];
            for y in 0..h {
                for x in 0..10 {
                    u[y * w + x] = 1.0;
                }
            }
            let mut solver = DiffusionSolver::new(w, h, SolverSettings::default());
            for _ in 0..3 {
                solver.step(0, &mut u, &problem(perm, 0.0, 600.0));
            }
            (0..h).flat_map(|y| (32..w).map(move |x| y * w + x)).map(|i| u[i]).sum::<f64>()
        };
        let (through_wall, through_marrow) = (far_side(&wall), far_side(&open));
        assert!(through_wall < 0.5 * through_marrow, "{through_wall} vs {through_marrow}");
    }

    #[test]
    fn result_is_identical_on_one_and_two_threads() {
        let (w, h) = (200, 150); // large enough for the parallel paths
        let perm = porous(w, h, 7);
        let mut source = vec![0.0; w * h];
        for i in (0..w * h).step_by(97) {
            source[i] = 0.3;
        }
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| {
                let p = DiffusionProblem { source_per_s: Some(&source), ..problem(&perm, 1e-4, HOUR_S) };
                let mut u = vec![0.0; w * h];
                let mut solver = DiffusionSolver::new(w, h, SolverSettings::default());
                for _ in 0..4 {
                    solver.step(0, &mut u, &p);
                }
                u
            })
        };
        let (one, two) = (run(1), run(2));
        assert!(one.iter().zip(&two).all(|(a, b)| a.to_bits() == b.to_bits()));
    }
}
