//! Starting geometry: where the bone is.
//!
//! Trabecular bone is generated as the struts of a random open-cell foam, the usual picture
//! of cancellous bone: marrow cavities about 0.5–1 mm across (SCIENCE §4: trabeculae 0.5–1 mm
//! apart) around random centres, bone along the walls between neighbouring cavities. A site
//! belongs to a wall when its distances to the nearest and second-nearest cavity centre are
//! close; smooth noise makes the walls uneven, some walls are broken into free-ending rods,
//! and the threshold is taken at the exact quantile that gives the target BV/TV. Vessels
//! (sinusoids and capillaries) are single marrow sites spread about 200 µm apart.

use crate::lattice::Lattice;
use crate::rng::{Purpose, stream};
use rand::Rng;

/// A greyscale image (row-major, 0 = black, 255 = white): bright pixels are bone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GreyImage {
    /// Pixels across.
    pub width: usize,
    /// Pixels down.
    pub height: usize,
    /// One byte per pixel.
    pub pixels: Vec<u8>,
}

/// Mean spacing of marrow cavity centres, µm (SCIENCE §4: trabeculae 0.5–1 mm apart).
const CAVITY_SPACING_UM: f64 = 700.0;
/// Share of walls broken into free-ending rods.
const BROKEN_WALL_SHARE: f64 = 0.15;
/// Amplitude of the unevenness of the walls, µm.
const WALL_NOISE_UM: f64 = 40.0;
/// Mean spacing of vessels in marrow, µm.
pub const VESSEL_SPACING_UM: f64 = 200.0;
/// Share of a cortical section's bone that is in the cortical rim (the rest is trabecular):
/// a metaphyseal section holds about as much bone in its thin cortex as in its trabeculae.
const CORTEX_SHARE_OF_BONE: f64 = 0.5;

/// Fills `lattice` with trabecular bone at BV/TV `bone_fraction`.
pub fn trabecular(lattice: &mut Lattice, bone_fraction: f64, seed: u64) {
    let wall = wall_distance(lattice, seed);
    fill_lowest(lattice, &wall, bone_fraction, |_| true);
}

/// Fills `lattice` with a cortical rim along the top and bottom edges and trabecular bone
/// between them, with BV/TV `bone_fraction` over the whole section: half of the bone in the
/// rim (whole rows, so within a row of the target), half in trabeculae.
pub fn cortical(lattice: &mut Lattice, bone_fraction: f64, seed: u64) {
    let rim = (lattice.height as f64 * bone_fraction * CORTEX_SHARE_OF_BONE / 2.0).round() as usize;
    let rim = rim.min(lattice.height / 2);
    let h = lattice.height;
    let in_rim = |site: usize, width: usize| {
        let y = site / width;
        y < rim || y + rim >= h
    };
    let width = lattice.width;
    for site in 0..lattice.len() {
        if in_rim(site, width) {
            lattice.matrix[site] = 1.0;
            lattice.mineral[site] = 1.0;
        }
    }
    let rim_sites = 2 * rim * width;
    let interior = lattice.len() - rim_sites;
    let wanted = (bone_fraction * lattice.len() as f64 - rim_sites as f64).max(0.0);
    let trabecular = if interior > 0 { (wanted / interior as f64).min(1.0) } else { 0.0 };
    let wall = wall_distance(lattice, seed);
    fill_lowest(lattice, &wall, trabecular, |site| !in_rim(site, width));
}

/// Fills `lattice` from a greyscale image, resampled to the lattice by nearest pixel: a pixel
/// of 128 or brighter is bone.
pub fn from_image(lattice: &mut Lattice, image: &GreyImage) {
    let (w, h) = (lattice.width, lattice.height);
    for y in 0..h {
        let py = (y * image.height / h).min(image.height - 1);
        for x in 0..w {
            let px = (x * image.width / w).min(image.width - 1);
            if image.pixels[py * image.width + px] >= 128 {
                let site = lattice.site(x, y);
                lattice.matrix[site] = 1.0;
                lattice.mineral[site] = 1.0;
            }
        }
    }
}

/// Marks vessel sites: marrow sites at least two sites from bone, about `VESSEL_SPACING_UM`
/// apart (one per cell of a jittered grid).
pub fn place_vessels(lattice: &mut Lattice, seed: u64) {
    let spacing = (VESSEL_SPACING_UM / lattice.site_um).round().max(2.0) as usize;
    let (w, h) = (lattice.width, lattice.height);
    let mut key = 0u64;
    for gy in (0..h).step_by(spacing) {
        for gx in (0..w).step_by(spacing) {
            key += 1;
            let mut rng = stream(seed, 0, key, Purpose::Geometry);
            // A few tries to land in marrow well away from bone.
            for _ in 0..8 {
                let x = (gx + rng.random_range(0..spacing)).min(w - 1);
                let y = (gy + rng.random_range(0..spacing)).min(h - 1);
                let site = lattice.site(x, y);
                let clear = lattice.neighbours8(site).chain([site]).all(|s| !lattice.is_solid(s))
                    && lattice.neighbours(site).flat_map(|n| lattice.neighbours(n)).all(|s| !lattice.is_solid(s));
                if clear {
                    lattice.vessel[site] = true;
                    break;
                }
            }
        }
    }
}

/// For every site, how far it is from the wall between its two nearest cavities, in µm
/// (lower is more wall-like), with smooth noise and broken walls raised out of reach.
fn wall_distance(lattice: &Lattice, seed: u64) -> Vec<f64> {
    let (w, h, um) = (lattice.width, lattice.height, lattice.site_um);
    let (width_um, height_um) = (w as f64 * um, h as f64 * um);
    let mut rng = stream(seed, 0, 0, Purpose::Geometry);
    // Cavity centres on a jittered grid (extended by one cell so the edges look like the
    // middle).
    let cells_x = (width_um / CAVITY_SPACING_UM).ceil() as i64 + 2;
    let cells_y = (height_um / CAVITY_SPACING_UM).ceil() as i64 + 2;
    let grid = CavityGrid::jittered(cells_x, cells_y, &mut rng);
    // Smooth noise: a few random plane waves of wavelength 150–600 µm.
    let waves: Vec<(f64, f64, f64)> = (0..6)
        .map(|_| {
            let angle = rng.random_range(0.0..std::f64::consts::TAU);
            let k = std::f64::consts::TAU / rng.random_range(150.0..600.0);
            (k * angle.cos(), k * angle.sin(), rng.random_range(0.0..std::f64::consts::TAU))
        })
        .collect();
    let broken_seed: u64 = rng.random();
    let mut out = vec![0.0; w * h];
    for y in 0..h {
        for x in 0..w {
            let (px, py) = ((x as f64 + 0.5) * um, (y as f64 + 0.5) * um);
            let ((d1, i1), (d2, i2)) = grid.nearest_two(px, py);
            let noise: f64 = waves.iter().map(|(kx, ky, phase)| (kx * px + ky * py + phase).sin()).sum::<f64>()
                / (waves.len() as f64).sqrt();
            let mut value = (d2 - d1) * 0.5 + WALL_NOISE_UM * noise;
            // Break some walls: the wall between cavities i1 and i2 is broken, except near
            // its ends, if a hash of the pair says so.
            let pair = (i1.min(i2) as u64) << 32 | i1.max(i2) as u64;
            let mut pair_rng = stream(broken_seed, 0, pair, Purpose::Geometry);
            if pair_rng.random::<f64>() < BROKEN_WALL_SHARE {
                value += 1e6;
            }
            out[y * w + x] = value;
        }
    }
    out
}

/// Cavity centres, one per cell of a grid of `CAVITY_SPACING_UM` jittered within the middle
/// 80 % of its cell, row by row from the cell at (−1, −1).
struct CavityGrid {
    centres: Vec<(f64, f64)>,
    cells_x: i64,
}

impl CavityGrid {
    /// `cells_x × cells_y` cells from the cell at (−1, −1), each centre drawn from `rng`.
    fn jittered(cells_x: i64, cells_y: i64, rng: &mut impl Rng) -> Self {
        let mut centres = Vec::new();
        for cy in -1..cells_y - 1 {
            for cx in -1..cells_x - 1 {
                let x = (cx as f64 + rng.random_range(0.1..0.9)) * CAVITY_SPACING_UM;
                let y = (cy as f64 + rng.random_range(0.1..0.9)) * CAVITY_SPACING_UM;
                centres.push((x, y));
            }
        }
        CavityGrid { centres, cells_x }
    }

    /// The nearest and second-nearest centres to (`px`, `py`), µm: their distances and
    /// indices, the lower index first among equals. Only the 7 × 7 cells around the point's
    /// own are searched: its own cell's centre lies within 0.9·√2 cells and a neighbour's
    /// within √(1.9² + 0.9²) = 2.1, while a centre four cells away along x or y is more than
    /// 3.1 cells off, so the two nearest are always among these 49. They are visited in the
    /// order of their indices, so the answer is that of a search through every centre
    /// (`O(sites × centres)`, minutes at 2048² where this takes a second).
    fn nearest_two(&self, px: f64, py: f64) -> ((f64, usize), (f64, usize)) {
        let cells_y = self.centres.len() as i64 / self.cells_x;
        let around = |p: f64, cells: i64| {
            let own = (p / CAVITY_SPACING_UM).floor() as i64;
            (own - 3).max(-1)..=(own + 3).min(cells - 2)
        };
        let mut nearest = ((f64::MAX, 0), (f64::MAX, 0));
        for cy in around(py, cells_y) {
            for cx in around(px, self.cells_x) {
                let i = ((cy + 1) * self.cells_x + cx + 1) as usize;
                nearer(&mut nearest, px, py, self.centres[i], i);
            }
        }
        nearest
    }
}

/// Puts centre `i` at `c` among the two nearest to (`px`, `py`) if it is nearer than either.
#[inline]
fn nearer(nearest: &mut ((f64, usize), (f64, usize)), px: f64, py: f64, (cx, cy): (f64, f64), i: usize) {
    let d = ((px - cx).powi(2) + (py - cy).powi(2)).sqrt();
    let ((d1, _), (d2, _)) = *nearest;
    if d < d1 {
        nearest.1 = nearest.0;
        nearest.0 = (d, i);
    } else if d < d2 {
        nearest.1 = (d, i);
    }
}

/// Makes bone of the sites with the lowest `value` among those where `eligible` holds, so
/// that they are exactly `fraction` of the eligible sites.
fn fill_lowest(lattice: &mut Lattice, value: &[f64], fraction: f64, eligible: impl Fn(usize) -> bool) {
    let mut order: Vec<usize> = (0..lattice.len()).filter(|&s| eligible(s)).collect();
    let target = (fraction * order.len() as f64).round() as usize;
    // Ties go to the lower site, so the order is strict and the lowest `target` sites are
    // one set: picked in linear time, without sorting them all (a second at 2048²).
    if target < order.len() {
        order.select_nth_unstable_by(target, |&a, &b| value[a].total_cmp(&value[b]).then(a.cmp(&b)));
    }
    for &site in &order[..target] {
        lattice.matrix[site] = 1.0;
        lattice.mineral[site] = 1.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bv_tv(l: &Lattice) -> f64 {
        (0..l.len()).filter(|&s| l.is_solid(s)).count() as f64 / l.len() as f64
    }

    #[test]
    fn the_nearest_cavities_among_the_cells_around_are_those_among_all() {
        // Points every 25 µm over a 7 × 7 mm section (144 centres, far more than the 49
        // searched), several seeds, against a search through every centre: the same answer
        // to the bit, ties included.
        let cells = 12;
        for seed in 1..=3 {
            let grid = CavityGrid::jittered(cells, cells, &mut stream(seed, 0, 0, Purpose::Geometry));
            let side = ((cells - 2) as f64 * CAVITY_SPACING_UM / 25.0) as usize;
            for point in 0..side * side {
                let (px, py) = ((point % side) as f64 * 25.0 + 12.5, (point / side) as f64 * 25.0 + 12.5);
                let mut all = ((f64::MAX, 0), (f64::MAX, 0));
                for (i, &c) in grid.centres.iter().enumerate() {
                    nearer(&mut all, px, py, c, i);
                }
                assert_eq!(grid.nearest_two(px, py), all, "seed {seed} at ({px}, {py}) µm");
            }
        }
    }

    #[test]
    fn trabecular_bone_hits_its_target_and_depends_on_the_seed() {
        let mut a = Lattice::new(200, 150, 10.0);
        trabecular(&mut a, 0.2, 1);
        assert!((bv_tv(&a) - 0.2).abs() < 1e-3, "{}", bv_tv(&a));
        let mut b = Lattice::new(200, 150, 10.0);
        trabecular(&mut b, 0.2, 1);
        assert_eq!(a.matrix, b.matrix, "same seed, same bone");
        let mut c = Lattice::new(200, 150, 10.0);
        trabecular(&mut c, 0.2, 2);
        assert_ne!(a.matrix, c.matrix, "another seed, another bone");
    }

    #[test]
    fn trabeculae_are_struts_not_noise() {
        // Struts about 130 µm thick (SCIENCE §4): most bone sites have bone on all four sides,
        // and the marrow is mostly one connected space.
        let mut l = Lattice::new(300, 300, 10.0);
        trabecular(&mut l, 0.2, 3);
        let bone: Vec<usize> = (0..l.len()).filter(|&s| l.is_solid(s)).collect();
        let interior = bone.iter().filter(|&&s| l.neighbours(s).all(|n| l.is_solid(n))).count();
        assert!(interior as f64 > 0.6 * bone.len() as f64, "{interior} of {}", bone.len());
        // Largest connected marrow region.
        let mut seen = vec![false; l.len()];
        let mut largest = 0;
        for start in 0..l.len() {
            if seen[start] || l.is_solid(start) {
                continue;
            }
            let (mut stack, mut size) = (vec![start], 0);
            seen[start] = true;
            while let Some(s) = stack.pop() {
                size += 1;
                for n in l.neighbours(s) {
                    if !seen[n] && !l.is_solid(n) {
                        seen[n] = true;
                        stack.push(n);
                    }
                }
            }
            largest = largest.max(size);
        }
        let marrow = l.len() - bone.len();
        assert!(largest as f64 > 0.5 * marrow as f64, "largest marrow space {largest} of {marrow}");
    }

    #[test]
    fn cortical_geometry_has_a_rim_and_the_bone_fraction_asked_for() {
        let mut l = Lattice::new(100, 100, 10.0);
        cortical(&mut l, 0.15, 4);
        assert!((0..100).all(|x| l.is_solid(l.site(x, 0)) && l.is_solid(l.site(x, 99))));
        for target in [0.0, 0.05, 0.2, 0.4] {
            let mut l = Lattice::new(120, 90, 10.0);
            cortical(&mut l, target, 4);
            assert!((bv_tv(&l) - target).abs() < 0.005, "asked {target}, got {}", bv_tv(&l));
        }
    }

    #[test]
    fn images_map_bright_pixels_to_bone() {
        let image = GreyImage { width: 2, height: 2, pixels: vec![0, 255, 200, 10] };
        let mut l = Lattice::new(4, 4, 10.0);
        from_image(&mut l, &image);
        assert!(l.is_solid(l.site(3, 0)) && l.is_solid(l.site(0, 3)));
        assert!(!l.is_solid(l.site(0, 0)) && !l.is_solid(l.site(3, 3)));
    }

    #[test]
    fn vessels_sit_in_marrow_about_200_um_apart() {
        let mut l = Lattice::new(200, 200, 10.0);
        trabecular(&mut l, 0.2, 5);
        place_vessels(&mut l, 5);
        let vessels = l.vessel.iter().filter(|&&v| v).count();
        // 2 mm × 2 mm at one per (200 µm)² is 100 grid cells; most find marrow.
        assert!((50..=100).contains(&vessels), "{vessels}");
        assert!((0..l.len()).filter(|&s| l.vessel[s]).all(|s| !l.is_solid(s)));
    }
}
