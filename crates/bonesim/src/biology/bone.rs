//! The bone matrix: osteoid laid down by osteoblasts mineralises over weeks; matrix stores
//! latent TGF-β that osteoclasts release and activate as they resorb; and mineralised
//! matrix hinders diffusion. The rules here change the tissue of one site; the simulation
//! does the bookkeeping around them (turnover markers, released factors, cells inside).

use crate::lattice::{Lattice, SOLID_MATRIX};
use crate::params::parameter_group;

parameter_group! {
    /// The host's state at the start of a run.
    pub struct HostParams {
        /// Days the host's tissue runs alone before day 0 (no tumour, challenge or other
        /// event), so that a run starts in the host's own remodeling state rather than from
        /// bone with no remodeling under way; readouts count from its end. 0 for an adult
        /// human, whose slow remodeling starts up within the run; two mouse remodeling cycles
        /// (6 weeks) for a mouse, whose high-turnover metaphysis would otherwise start with a
        /// wave of resorption.
        spinup_days: 0.0, range 0.0 => 3650.0;
    }
}

parameter_group! {
    /// Bone matrix.
    pub struct BoneParams {
        /// Relative diffusivity of fully filled matrix. Mineralised bone leaves proteins
        /// only the lacuno-canalicular porosity (a few %); in a 2D section the marrow
        /// spaces also connect out of the plane. 0.1 stands for both.
        permeability: 0.1, range 0.001 => 1.0;
        /// Days for new osteoid to mineralise fully (mineralisation lag time of about
        /// 15–20 days in adult human bone; Parfitt 1983).
        mineralisation_days: 18.0, range 0.1 => 1000.0;
        /// Latent TGF-β released and activated when one site of bone is resorbed,
        /// molecules. Bone holds about 200–400 ng TGF-β per g (Seyedin et al. 1985): ~2 ng
        /// in a 10 µm cube of 2 mg/mm³ bone is about 20 000 dimers (25 kDa).
        tgfb_molecules_per_site: 20000.0, range 0.0 => 1e9;
        /// BMPs released when one site of bone is resorbed, molecules, into the osteoblastic
        /// factors' field: resorbed matrix frees BMPs with TGF-β and IGFs (seed, vicious-cycle
        /// section). Demineralised human bone holds ~110 ng of BMP-2, -4 and -7 per g
        /// (Pietrzak et al. 2006, J Craniofac Surg 17:84), ~45 ng per g of bone: about a sixth
        /// of its TGF-β, so a sixth of `tgfb_molecules_per_site`.
        bmp_molecules_per_site: 3000.0, range 0.0 => 1e9;
        /// Hours between updates of the transport geometry the fields see. Bone changes by
        /// a few sites a day at a remodeling site, so a daily update is ample.
        transport_refresh_hours: 48.0, range 1.0 => 8760.0;
    }
}

/// What resorbing a site removed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Resorbed {
    /// Mineralised bone removed, site units (what frees stored growth factors and counts for
    /// the resorption marker).
    pub mineral: f64,
    /// The site is no longer solid and was cleared into the resorption cavity.
    pub cleared: bool,
    /// Of the `amount` asked for, what clearing the site took: all of it, unless the site
    /// cleared with work to spare (the rest falls away once it is below the solid threshold).
    pub work: f32,
}

/// Share of the matrix of solid site `site` that resorbing `amount` removes: a site left
/// below the solid threshold goes entirely ([`resorb`]).
pub fn resorbed_share(l: &Lattice, site: usize, amount: f32) -> f64 {
    let matrix = l.matrix[site];
    if matrix <= 0.0 || matrix - amount.min(matrix) < SOLID_MATRIX { 1.0 } else { (amount / matrix) as f64 }
}

/// Removes `amount` of matrix from the solid site `site`. A site left below the solid
/// threshold is cleared entirely and becomes part of the eroded cavity that osteoblasts
/// refill. `None` if the site was not solid.
pub fn resorb(l: &mut Lattice, site: usize, amount: f32) -> Option<Resorbed> {
    if !l.is_solid(site) {
        return None;
    }
    let before = l.matrix[site];
    let mut removed = amount.min(before);
    l.matrix[site] -= removed;
    let cleared = l.matrix[site] < SOLID_MATRIX;
    // Work spent: just enough to bring the site below the solid threshold if it cleared.
    let work = if cleared { (before - SOLID_MATRIX).clamp(0.0, amount) } else { amount };
    if cleared {
        removed += l.matrix[site];
        l.matrix[site] = 0.0;
        l.eroded[site] = true;
        l.woven[site] = false;
    }
    let mineral = removed as f64 * l.mineral[site] as f64;
    if l.matrix[site] == 0.0 {
        l.mineral[site] = 0.0;
    }
    Some(Resorbed { mineral, cleared, work })
}

/// What depositing osteoid on a site laid down.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Deposited {
    /// Matrix added, site units.
    pub matrix: f64,
    /// The site is now full: it leaves the cavity.
    pub filled: bool,
}

/// Lays down `amount` of osteoid on `site`, woven (disorganised) or lamellar. New matrix is
/// unmineralised, so the site's degree of mineralisation is diluted. `None` if the site was
/// already full.
pub fn deposit(l: &mut Lattice, site: usize, amount: f32, woven: bool) -> Option<Deposited> {
    let before = l.matrix[site];
    let after = (before + amount).min(1.0);
    if after <= before {
        return None;
    }
    l.mineral[site] = if after > 0.0 { l.mineral[site] * before / after } else { 0.0 };
    l.matrix[site] = after;
    l.woven[site] |= woven;
    if after >= 1.0 {
        l.eroded[site] = false;
    }
    Some(Deposited { matrix: (after - before) as f64, filled: after >= 1.0 })
}

/// Mineralises the osteoid of `site` by `step` (a share of full mineral); returns whether the
/// site is done (fully mineralised and full, or emptied meanwhile).
pub fn mineralise(l: &mut Lattice, site: usize, step: f32) -> bool {
    l.mineral[site] = (l.mineral[site] + step).min(1.0);
    l.mineral[site] >= 1.0 && l.matrix[site] >= 1.0 || l.matrix[site] == 0.0
}
