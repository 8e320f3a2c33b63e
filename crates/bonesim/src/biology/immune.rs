//! Immune cells of the marrow: macrophages, which answer infection and injury through NF-κB
//! with IL-1β, IL-6 and PGE2 (seed Figure 2, ref 42), and CD4⁺ T cells, which IL-6 with
//! TGF-β turns into Th17 cells making IL-17, a pro-osteoclastic cytokine (seed refs 55–57).
//! Both are resident and sessile here.
//!
//! A macrophage releases IL-1β only with two signals: NF-κB makes pro-IL-1β, and the
//! inflammasome, set off by microbial products such as LPS, cleaves and releases it (Netea et
//! al. 2009, Blood 113:2324). IL-1β therefore raises NF-κB without feeding its own release,
//! and inflammation resolves once the challenge is gone, as the seed says it does (Figure 1B
//! legend: in injury and inflammation the rise of IL-6, RANKL and M-CSF is transient).

use super::{Context, Signals};
use crate::field::FieldId;
use crate::params::parameter_group;

parameter_group! {
    /// Marrow macrophages and T cells.
    pub struct ImmuneParams {
        /// Macrophages per marrow site at the start.
        macrophage_density: 0.004, range 0.0 => 0.5;
        /// IL-1β released by a macrophage at full NF-κB and full inflammasome activation
        /// (TLR4 occupancy by LPS), molecules/h. Tuned.
        macrophage_il1b_molecules_per_h: 3000.0, range 0.0 => 1e8;
        /// IL-6 made by a resting macrophage, molecules/h (raised by NF-κB like other host
        /// cells; none in an IL-6 knockout).
        macrophage_il6_molecules_per_h: 10.0, range 0.0 => 1e7;
        /// PGE2 made by a macrophage at full NF-κB (COX-2), molecules/h. Tuned.
        macrophage_pge2_molecules_per_h: 3000.0, range 0.0 => 1e8;
        /// CD4⁺ T cells per marrow site at the start.
        t_cell_density: 0.002, range 0.0 => 0.5;
        /// IL-17 made by a Th17 cell at full STAT3 and TGF-β signal, molecules/h. Tuned.
        t_cell_il17_molecules_per_h: 2000.0, range 0.0 => 1e8;
        /// TGF-β signal a T cell has without resorption nearby (Th17 polarisation needs
        /// IL-6 with TGF-β; marrow holds some latent TGF-β everywhere).
        t_cell_basal_tgfb: 0.2, range 0.0 => 1.0;
    }
}

/// What a macrophage secretes: IL-1β when NF-κB is on and LPS sets off the inflammasome,
/// PGE2 when NF-κB is on, and IL-6.
pub fn secrete_macrophage(slot: usize, s: &Signals, ctx: &Context, emit: &mut super::Emit) {
    let (p, ob) = (&ctx.params.immune, &ctx.params.osteoblast);
    let site = ctx.cells.site[slot] as usize;
    emit(FieldId::Il1b, site, p.macrophage_il1b_molecules_per_h * s.nfkb * ctx.host.exposure.lps);
    emit(FieldId::Pge2, site, p.macrophage_pge2_molecules_per_h * s.nfkb);
    let il6 = p.macrophage_il6_molecules_per_h * super::osteoblast::il6_induction(s, ob, ctx.il6_knockout);
    emit(FieldId::Il6, site, il6);
}

/// What a T cell secretes: IL-17 as a Th17 cell, in proportion to STAT3 (from IL-6) and to
/// TGF-β.
pub fn secrete_t_cell(slot: usize, s: &Signals, ctx: &Context, emit: &mut super::Emit) {
    let p = &ctx.params.immune;
    let site = ctx.cells.site[slot] as usize;
    let tgfb = s.tgfb.max(p.t_cell_basal_tgfb);
    emit(FieldId::Il17, site, p.t_cell_il17_molecules_per_h * s.stat3 * tgfb);
}
