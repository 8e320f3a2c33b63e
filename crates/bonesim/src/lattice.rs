//! The lattice: a 2D section through bone, one tissue state per site.
//!
//! Each site is a square of `site_um` (10 µm by default) and holds some bone matrix
//! (`matrix`, the filled volume fraction, osteoid or mineralised), how mineralised that
//! matrix is (`mineral`), its quality (lamellar or woven) and whether it is a vessel. Sites
//! are stored row-major (`site = y * width + x`) in contiguous arrays.

use serde::{Deserialize, Serialize};

/// What a site is, derived from its state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TissueKind {
    /// Bone marrow: free space for cells and diffusion.
    Marrow,
    /// Unmineralised matrix laid down by osteoblasts.
    Osteoid,
    /// Mineralised bone.
    Bone,
    /// A blood vessel: where precursors and drugs enter and factors leave.
    Vessel,
}

/// A lattice site, as intents name it: distinct from a cell's slot in the
/// [`crate::cells::CellStore`], so that the compiler keeps the two apart (row-major index,
/// `y * width + x`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize)]
pub struct Site(pub u32);

impl Site {
    /// The row-major index of the site.
    #[inline]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl From<usize> for Site {
    #[inline]
    fn from(index: usize) -> Site {
        Site(index as u32)
    }
}

/// A site is solid (bone or osteoid, closed to cells) above this matrix fraction.
pub const SOLID_MATRIX: f32 = 0.5;
/// Matrix counts as mineralised bone above this degree of mineralisation.
pub const MINERALISED: f32 = 0.5;

/// The tissue of every site.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Lattice {
    /// Sites across.
    pub width: usize,
    /// Sites down.
    pub height: usize,
    /// Edge of a site, µm.
    pub site_um: f64,
    /// Volume fraction filled with bone matrix, 0–1.
    pub matrix: Vec<f32>,
    /// Degree of mineralisation of that matrix, 0–1.
    pub mineral: Vec<f32>,
    /// Woven (disorganised) rather than lamellar matrix.
    pub woven: Vec<bool>,
    /// Blood vessel sites.
    pub vessel: Vec<bool>,
    /// Marrow left by resorption and not yet refilled: the cavity osteoblasts fill.
    pub eroded: Vec<bool>,
    /// Mineralised bone mass of each site at the start (matrix × mineral).
    pub initial_bone: Vec<f32>,
}

impl Lattice {
    /// All marrow.
    pub fn new(width: usize, height: usize, site_um: f64) -> Self {
        let n = width * height;
        Lattice {
            width,
            height,
            site_um,
            matrix: vec![0.0; n],
            mineral: vec![0.0; n],
            woven: vec![false; n],
            vessel: vec![false; n],
            eroded: vec![false; n],
            initial_bone: vec![0.0; n],
        }
    }

    /// Number of sites.
    pub fn len(&self) -> usize {
        self.width * self.height
    }

    /// Whether the lattice has no sites.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Area of one site, mm².
    pub fn site_area_mm2(&self) -> f64 {
        (self.site_um * 1e-3).powi(2)
    }

    /// `(x, y)` of a site.
    #[inline]
    pub fn xy(&self, site: usize) -> (usize, usize) {
        (site % self.width, site / self.width)
    }

    /// Site at `(x, y)`.
    #[inline]
    pub fn site(&self, x: usize, y: usize) -> usize {
        y * self.width + x
    }

    /// The four edge neighbours of a site that lie inside the lattice.
    #[inline]
    pub fn neighbours(&self, site: usize) -> impl Iterator<Item = usize> + use<> {
        let (w, h) = (self.width, self.height);
        let (x, y) = (site % w, site / w);
        let candidates = [
            (x > 0).then(|| site - 1),
            (x + 1 < w).then(|| site + 1),
            (y > 0).then(|| site - w),
            (y + 1 < h).then(|| site + w),
        ];
        candidates.into_iter().flatten()
    }

    /// The eight neighbours (edges and corners) of a site that lie inside the lattice.
    #[inline]
    pub fn neighbours8(&self, site: usize) -> impl Iterator<Item = usize> + use<> {
        let (w, h) = (self.width as i64, self.height as i64);
        let (x, y) = ((site as i64) % w, (site as i64) / w);
        (-1..=1)
            .flat_map(move |dy| (-1..=1).map(move |dx| (x + dx, y + dy)))
            .filter(move |&(nx, ny)| (nx, ny) != (x, y) && nx >= 0 && ny >= 0 && nx < w && ny < h)
            .map(move |(nx, ny)| (ny * w + nx) as usize)
    }

    /// The sites of the square of half-width `reach` around `site` that lie inside the
    /// lattice, as `(dx, dy, site)`, row by row (`dy` outer, `dx` inner), `site` itself
    /// included.
    pub fn window(&self, site: usize, reach: i64) -> impl Iterator<Item = (i64, i64, usize)> + use<> {
        let (w, h) = (self.width as i64, self.height as i64);
        let (x0, y0) = ((site as i64) % w, (site as i64) / w);
        (-reach..=reach)
            .flat_map(move |dy| (-reach..=reach).map(move |dx| (dx, dy)))
            .filter(move |&(dx, dy)| {
                let (x, y) = (x0 + dx, y0 + dy);
                x >= 0 && y >= 0 && x < w && y < h
            })
            .map(move |(dx, dy)| (dx, dy, ((y0 + dy) * w + x0 + dx) as usize))
    }

    /// Squared distance, in sites, from the centre of `site` to the point `(cx, cy)` (in
    /// site units, from the lattice's corner).
    pub fn distance2(&self, site: usize, cx: f64, cy: f64) -> f64 {
        let (x, y) = self.xy(site);
        (x as f64 + 0.5 - cx).powi(2) + (y as f64 + 0.5 - cy).powi(2)
    }

    /// The sites that `accept` allows, nearest `(cx, cy)` first (ties in site order).
    pub fn nearest_first(&self, cx: f64, cy: f64, accept: impl Fn(usize) -> bool) -> Vec<usize> {
        let mut sites: Vec<(f64, usize)> =
            (0..self.len()).filter(|&s| accept(s)).map(|s| (self.distance2(s, cx, cy), s)).collect();
        sites.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        sites.into_iter().map(|(_, s)| s).collect()
    }

    /// Whether a site is closed to cells: bone or osteoid. A resorption cavity stays open
    /// until osteoblasts have filled it completely, so that another can finish what one
    /// left half done.
    #[inline]
    pub fn is_solid(&self, site: usize) -> bool {
        let m = self.matrix[site];
        m >= SOLID_MATRIX && !(self.eroded[site] && m < 1.0)
    }

    /// Whether a cell can sit on the site: marrow, not a vessel.
    #[inline]
    pub fn is_open(&self, site: usize) -> bool {
        !self.is_solid(site) && !self.vessel[site]
    }

    /// Whether an open site touches solid matrix: a bone surface.
    #[inline]
    pub fn is_surface(&self, site: usize) -> bool {
        self.is_open(site) && self.neighbours(site).any(|n| self.is_solid(n))
    }

    /// Mineralised bone mass of a site (matrix × mineral), 0–1.
    #[inline]
    pub fn bone_mass(&self, site: usize) -> f32 {
        self.matrix[site] * self.mineral[site]
    }

    /// What a site is.
    pub fn kind(&self, site: usize) -> TissueKind {
        if self.vessel[site] {
            TissueKind::Vessel
        } else if !self.is_solid(site) {
            TissueKind::Marrow
        } else if self.mineral[site] >= MINERALISED {
            TissueKind::Bone
        } else {
            TissueKind::Osteoid
        }
    }

    /// Total mineralised bone mass, in site units.
    pub fn total_bone_mass(&self) -> f64 {
        self.matrix.iter().zip(&self.mineral).map(|(m, q)| (*m as f64) * (*q as f64)).sum()
    }

    /// Records the current bone as the starting geometry.
    pub fn mark_initial(&mut self) {
        for site in 0..self.len() {
            self.initial_bone[site] = self.bone_mass(site);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbours_stay_inside() {
        let l = Lattice::new(5, 4, 10.0);
        assert_eq!(l.neighbours(0).collect::<Vec<_>>(), vec![1, 5]);
        assert_eq!(l.neighbours(l.site(2, 2)).count(), 4);
        assert_eq!(l.neighbours8(0).count(), 3);
        assert_eq!(l.neighbours8(l.site(2, 2)).count(), 8);
        assert_eq!(l.neighbours8(l.site(4, 3)).count(), 3);
        assert_eq!(l.window(0, 1).map(|(_, _, s)| s).collect::<Vec<_>>(), vec![0, 1, 5, 6]);
        assert_eq!(l.window(l.site(2, 2), 2).count(), 20);
    }

    #[test]
    fn surface_is_open_marrow_touching_bone() {
        let mut l = Lattice::new(5, 5, 10.0);
        let centre = l.site(2, 2);
        l.matrix[centre] = 1.0;
        l.mineral[centre] = 1.0;
        assert_eq!(l.kind(centre), TissueKind::Bone);
        assert!(l.is_surface(l.site(2, 1)));
        assert!(!l.is_surface(l.site(0, 0)));
        assert!(!l.is_surface(centre));
    }
}
