//! How the tissue, the cells and the fields are coloured: one palette shared by every front
//! end (the command line's PNG snapshots and the viewer), so a student who learns the
//! colours once can read both.
//!
//! Cell types take the Okabe–Ito colours, chosen to stay distinct under the common forms of
//! colour blindness (Okabe & Ito 2008, "Color Universal Design"; Wong 2011, Nat Methods
//! 8:441, doi:10.1038/nmeth.1618), with lighter tints for the three rarer types. Tissue takes
//! muted tones the cells stand out on: bone grey, brighter with more mineral; woven bone
//! sand; osteoid pink; marrow dark. Heat maps use viridis, which is perceptually uniform and
//! colour-blind safe.
//!
//! This is presentation, not biology: nothing in the model reads it.

use crate::cells::CellKind;
use crate::lattice::TissueKind;

/// An sRGB colour, 8 bits a channel.
pub type Rgb = [u8; 3];

/// Marrow: dark, so cells stand out on it.
pub const MARROW: Rgb = [28, 22, 30];
/// Marrow in a cavity left by resorption and not yet refilled.
pub const ERODED: Rgb = [92, 52, 110];
/// Unmineralised osteoid.
pub const OSTEOID: Rgb = [226, 122, 160];
/// Blood vessels.
pub const VESSEL: Rgb = [150, 16, 24];
/// Fully mineralised woven bone (darker with less mineral).
pub const WOVEN: Rgb = [236, 204, 112];
/// Lamellar bone is grey from this level (least mineral) ...
pub const BONE_GREY_MIN: u8 = 140;
/// ... to this one (fully mineralised).
pub const BONE_GREY_MAX: u8 = 235;
/// Outline of an osteolytic region: starting bone lost near the tumour (now marrow, so a
/// light line on dark).
pub const LYTIC_OUTLINE: Rgb = [240, 228, 66];
/// Outline of an osteoblastic region: new woven bone near the tumour (light, so a dark
/// line on it).
pub const BLASTIC_OUTLINE: Rgb = [0, 0, 0];

/// The colour of a cell type.
pub fn cell_colour(kind: CellKind) -> Rgb {
    match kind {
        // Okabe–Ito.
        CellKind::Osteoclast => [213, 94, 0],      // vermillion
        CellKind::PreOsteoclast => [230, 159, 0],  // orange
        CellKind::Osteoblast => [0, 114, 178],     // blue
        CellKind::PreOsteoblast => [86, 180, 233], // sky blue
        CellKind::Stroma => [0, 158, 115],         // bluish green
        CellKind::Tumor => [204, 121, 167],        // reddish purple
        CellKind::Osteocyte => [0, 0, 0],          // black, on bone
        // Rarer types: tints and greys, told apart by shape in the viewer.
        CellKind::LiningCell => [166, 206, 227],
        CellKind::Precursor => [187, 187, 187],
        CellKind::Macrophage => [153, 153, 51],
        CellKind::TCell => [255, 255, 255],
    }
}

/// What a site shows: its tissue, how much mineralised bone it holds, and its history.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SiteLook {
    /// The tissue.
    pub kind: TissueKind,
    /// Mineralised bone mass (matrix × mineral), 0–1.
    pub bone_mass: f32,
    /// Woven rather than lamellar matrix.
    pub woven: bool,
    /// Marrow of a resorption cavity not yet refilled.
    pub eroded: bool,
}

impl Default for SiteLook {
    /// Plain marrow.
    fn default() -> Self {
        SiteLook { kind: TissueKind::Marrow, bone_mass: 0.0, woven: false, eroded: false }
    }
}

impl SiteLook {
    /// How `site` of `lattice` looks now.
    pub fn of(lattice: &crate::lattice::Lattice, site: usize) -> SiteLook {
        SiteLook {
            kind: lattice.kind(site),
            bone_mass: lattice.bone_mass(site),
            woven: lattice.woven[site],
            eroded: lattice.eroded[site],
        }
    }
}

/// The colour of a site.
pub fn tissue_colour(site: SiteLook) -> Rgb {
    match site.kind {
        TissueKind::Vessel => VESSEL,
        TissueKind::Marrow if site.eroded => ERODED,
        TissueKind::Marrow => MARROW,
        TissueKind::Osteoid => OSTEOID,
        TissueKind::Bone => {
            let mass = site.bone_mass.clamp(0.0, 1.0);
            if site.woven {
                WOVEN.map(|c| (c as f32 * (0.55 + 0.45 * mass)) as u8)
            } else {
                let (lo, hi) = (BONE_GREY_MIN as f32, BONE_GREY_MAX as f32);
                let g = (lo + (hi - lo) * mass) as u8;
                [g, g, g]
            }
        }
    }
}

/// Viridis (matplotlib), sampled at nine points and interpolated linearly.
pub const VIRIDIS: [Rgb; 9] = [
    [68, 1, 84],
    [71, 44, 122],
    [59, 81, 139],
    [44, 113, 142],
    [33, 144, 141],
    [39, 173, 129],
    [92, 200, 99],
    [170, 220, 50],
    [253, 231, 37],
];

/// The viridis colour of `t` in 0..=1 (clamped; NaN is 0).
pub fn viridis(t: f64) -> Rgb {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let x = t * (VIRIDIS.len() - 1) as f64;
    let i = (x.floor() as usize).min(VIRIDIS.len() - 2);
    let f = x - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    [0, 1, 2].map(|c| (a[c] as f64 + (b[c] as f64 - a[c] as f64) * f).round() as u8)
}

/// `#rrggbb`.
pub fn hex(c: Rgb) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_map_ends_and_middle() {
        assert_eq!(viridis(0.0), VIRIDIS[0]);
        assert_eq!(viridis(1.0), VIRIDIS[8]);
        assert_eq!(viridis(0.5), VIRIDIS[4]);
        assert_eq!(viridis(f64::NAN), VIRIDIS[0]);
        assert_eq!(viridis(7.0), VIRIDIS[8]);
    }

    #[test]
    fn every_cell_kind_has_a_distinct_colour() {
        let mut colours: Vec<Rgb> = CellKind::ALL.iter().map(|&k| cell_colour(k)).collect();
        colours.sort();
        colours.dedup();
        assert_eq!(colours.len(), CellKind::ALL.len());
    }

    #[test]
    fn bone_brightens_with_mineral_and_woven_differs_from_lamellar() {
        let bone =
            |bone_mass, woven| tissue_colour(SiteLook { kind: TissueKind::Bone, bone_mass, woven, eroded: false });
        assert!(bone(1.0, false)[0] > bone(0.5, false)[0]);
        assert_eq!(bone(1.0, false), [BONE_GREY_MAX; 3]);
        assert_ne!(bone(1.0, true), bone(1.0, false));
        let marrow = |eroded| tissue_colour(SiteLook { kind: TissueKind::Marrow, eroded, ..Default::default() });
        assert_ne!(marrow(true), marrow(false));
    }

    #[test]
    fn cells_stand_out_on_the_tissue_they_sit_on() {
        // Minimum channel distance between a marrow cell and marrow, and an osteocyte and bone.
        let distance = |a: Rgb, b: Rgb| (0..3).map(|i| a[i].abs_diff(b[i]) as u32).sum::<u32>();
        for kind in CellKind::ALL.into_iter().filter(|&k| k != CellKind::Osteocyte) {
            assert!(distance(cell_colour(kind), MARROW) > 150, "{kind:?} on marrow");
        }
        assert!(distance(cell_colour(CellKind::Osteocyte), [BONE_GREY_MIN; 3]) > 300);
    }
}
