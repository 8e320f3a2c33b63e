//! Zoledronic acid on bone: bound from the tissue onto mineral surfaces, held there, set
//! free where that bone is resorbed, and taken up by the osteoclast that resorbs it, which
//! it may kill (Sato et al. 1991, J Clin Invest 88:2095: bisphosphonate concentrates under
//! resorbing osteoclasts; Hughes et al. 1995, J Bone Miner Res 10:1478: they die by
//! apoptosis). What is bound outlasts the plasma levels by months: the effect follows the
//! bone, not the plasma.
//!
//! The bound amount is per site, held as the concentration it makes in the site's volume
//! once set free (µM, [`crate::biology::targets::Targets::matrix_toxin_um`]); it is part of
//! the simulation's state and its checkpoints.

use crate::biology::targets::Targets;
use crate::field::{FieldId, Fields};
use crate::lattice::Lattice;

/// Uptake of zoledronic acid by mineralised bone surface from the fluid beside it, as a
/// surface permeability, µm/h. From the whole body: 62 % of a 4 mg dose (2.5 mg) binds bone
/// within 24 h while plasma holds an AUC0–24 of 0.37 mg·h/L (Chen et al. 2002, J Clin
/// Pharmacol 42:1228), a skeletal uptake clearance of 6.7 L/h; over ~10 m² of skeletal
/// surface (trabecular ~7 m², the rest intracortical and endosteal; Parfitt [approx]) and
/// 60 % of plasma drug unbound, 6.7 L/h / (0.6 × 10 m²) ≈ 1100 µm/h. Where delivery cannot
/// keep up the tissue near bone falls below plasma and less binds: uptake is flow-limited,
/// as that of bone-seeking tracers is.
pub const BONE_UPTAKE_UM_PER_H: f64 = 1100.0;

/// Concentration of zoledronic acid set free in a resorption lacuna (the volume of the site
/// resorbed) at which resorbing it kills an osteoclast with a hazard of 1, µM: the chance of
/// dying is `1 − exp(−released / this)`. Sato et al. 1991 estimated 0.1–1 mM of alendronate
/// under osteoclasts at doses that stopped resorption in rats; zoledronic acid is about ten
/// times as potent an antiresorptive in vivo (Green et al. 1994, J Bone Miner Res 9:745), so
/// 10–100 µM; taken as 100 µM [approx]. (A 4 mg dose leaves 60–85 µM on the surface sites
/// of a human breast lesion over the first ten days, 0.1 mg/kg about 20 µM in a mouse's.)
pub const LETHAL_LACUNAR_UM: f64 = 100.0;

/// First-order uptake onto bone per site, 1/s, into `rates`: each open site takes up through
/// every face it shares with mineralised bone (weighted by how mineralised it is).
pub fn surface_uptake_per_s(lattice: &Lattice, rates: &mut Vec<f64>) {
    rates.clear();
    rates.resize(lattice.len(), 0.0);
    let per_face = BONE_UPTAKE_UM_PER_H / lattice.site_um / 3600.0;
    for (site, rate) in rates.iter_mut().enumerate() {
        if lattice.is_open(site) {
            let mineral: f64 =
                lattice.neighbours(site).filter(|&n| lattice.is_solid(n)).map(|n| lattice.mineral[n] as f64).sum();
            *rate = per_face * mineral;
        }
    }
}

/// Binds what `rates` take up from the zoledronic acid in the tissue over `dt_s` onto the
/// bone beside each site, shared by how mineralised each face is. Called after the field's
/// implicit step with the rates and length that step used, it binds exactly what the step
/// took out of the tissue.
pub fn bind(targets: &mut Targets, lattice: &Lattice, fields: &Fields, rates: &[f64], dt_s: f64) {
    let free = fields.values(FieldId::ZoledronicAcid);
    let bound = targets.matrix_toxin_um_mut();
    if free.is_empty() || bound.is_empty() || rates.len() != free.len() {
        return;
    }
    for (site, &rate) in rates.iter().enumerate() {
        let c = free.get(site);
        if rate <= 0.0 || c <= 0.0 {
            continue;
        }
        let taken_um = rate * c * 1e-6 * dt_s;
        let mineral: f64 =
            lattice.neighbours(site).filter(|&n| lattice.is_solid(n)).map(|n| lattice.mineral[n] as f64).sum();
        for n in lattice.neighbours(site).filter(|&n| lattice.is_solid(n)) {
            bound[n] += (taken_um * lattice.mineral[n] as f64 / mineral) as f32;
        }
    }
}

/// Sets free (into the osteoclast) `share` of what the matrix of `site` holds.
pub fn release(targets: &mut Targets, site: usize, share: f64) {
    if let Some(b) = targets.matrix_toxin_um_mut().get_mut(site) {
        *b *= (1.0 - share.clamp(0.0, 1.0)) as f32;
    }
}
