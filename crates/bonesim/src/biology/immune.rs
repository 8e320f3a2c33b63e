//! Immune cells of the marrow: macrophages, which answer infection and injury through NF-κB
//! with IL-1β, TNF-α, IL-6 and PGE2 (seed Figure 2, ref 42), and CD4⁺ T cells, which IL-6
//! with TGF-β turns into Th17 cells making IL-17, a pro-osteoclastic cytokine (seed refs
//! 55–57), and which make TNF-α, more so without estrogen (Cenci et al. 2000). Both are
//! resident and sessile here.
//!
//! A macrophage releases IL-1β only with two signals: NF-κB makes pro-IL-1β, and the
//! inflammasome cleaves and releases it, a little at rest and fully when microbial products
//! such as LPS set it off (Netea et al. 2009, Blood 113:2324). What macrophages and T cells
//! release follows the innate drive (the basal tone and LPS), not the IL-1β and TNF-α around
//! them, so inflammation resolves once the challenge is gone, as the seed says it does
//! (Figure 1B legend: in injury and inflammation the rise of IL-6, RANKL and M-CSF is
//! transient).

use super::{Context, Signals};
use crate::field::FieldId;
use crate::params::parameter_group;

parameter_group! {
    /// Marrow macrophages and T cells.
    pub struct ImmuneParams {
        /// Macrophages per marrow site at the start.
        macrophage_density: 0.004, range 0.0 => 0.5;
        /// IL-1β released by a macrophage at full pro-IL-1β synthesis and full inflammasome
        /// activation, molecules/h. Tuned.
        macrophage_il1b_molecules_per_h: 3000.0, range 0.0 => 1e8;
        /// Share of pro-IL-1β that a macrophage releases without a microbial second signal
        /// (the inflammasome's basal activity; LPS on TLR4 raises it to all): healthy
        /// monocytes release some IL-1 without any challenge (Pacifici et al. 1991, PNAS
        /// 88:5134). Tuned to a low basal IL-1β.
        inflammasome_basal: 0.1, range 0.0 => 1.0;
        /// Fold rise of pro-IL-1β synthesis in a macrophage at full STAT3: IL-6 induces
        /// IL-1β, a pro-osteoclastic factor that acts without RANKL (seed ref 83).
        il6_il1b_gain: 1.0, range 0.0 => 100.0;
        /// TNF-α released by a macrophage at full innate drive (basal tone, LPS), molecules/h.
        /// Monocytes and macrophages are the main TNF-α source of the marrow, and release
        /// more after menopause (Pacifici et al. 1991). Tuned.
        macrophage_tnf_molecules_per_h: 1000.0, range 0.0 => 1e8;
        /// TNF-α released by a macrophage at full LPS exposure on top of its innate drive,
        /// molecules/h: TLR4 makes TNF-α the first and largest cytokine of the LPS response.
        /// Blood mononuclear cells given LPS release TNF-α in ng/mL amounts per 10⁶ cells
        /// within hours (Schindler et al. 1990, Blood 75:40): 1 ng/mL from 10⁶ cells in 4 h
        /// is about 3 × 10³ trimers a cell an hour, so several ng/mL is of the order of 10⁴.
        /// Taken as 2 × 10⁴.
        macrophage_lps_tnf_molecules_per_h: 20000.0, range 0.0 => 1e8;
        /// IL-6 made by a resting macrophage, molecules/h (raised by NF-κB like other host
        /// cells; none in an IL-6 knockout).
        macrophage_il6_molecules_per_h: 10.0, range 0.0 => 1e7;
        /// PGE2 made by a macrophage at full NF-κB (COX-2), molecules/h. Tuned.
        macrophage_pge2_molecules_per_h: 3000.0, range 0.0 => 1e8;
        /// CD4⁺ T cells per marrow site at the start.
        t_cell_density: 0.002, range 0.0 => 0.5;
        /// IL-17 made by a Th17 cell at full STAT3 and TGF-β signal, molecules/h. Tuned.
        t_cell_il17_molecules_per_h: 2000.0, range 0.0 => 1e8;
        /// TNF-α made by a T cell at full activation, molecules/h. Estrogen deficiency raises
        /// the marrow's TNF-producing T cells, and T-cell TNF-α is needed for ovariectomy
        /// bone loss (Cenci et al. 2000, J Clin Invest 106:1229); their activation follows
        /// the innate drive, damped by estradiol. Tuned.
        t_cell_tnf_molecules_per_h: 700.0, range 0.0 => 1e8;
        /// TGF-β signal a T cell has without resorption nearby (Th17 polarisation needs
        /// IL-6 with TGF-β; marrow holds some latent TGF-β everywhere).
        t_cell_basal_tgfb: 0.2, range 0.0 => 1.0;
    }
}

/// Pro-IL-1β synthesis of a macrophage, 0–1: the innate drive (NF-κB from the basal tone or
/// LPS), raised by IL-6 through STAT3 (seed ref 83).
fn pro_il1b(innate: f64, s: &Signals, p: &ImmuneParams) -> f64 {
    (innate * (1.0 + p.il6_il1b_gain * s.stat3)).min(1.0)
}

/// What a macrophage secretes: IL-1β as far as pro-IL-1β is made and the inflammasome
/// releases it (two signals: Netea et al. 2009), TNF-α from its innate drive, PGE2 when
/// NF-κB is on, and IL-6.
pub fn secrete_macrophage(slot: usize, s: &Signals, ctx: &Context, emit: &mut super::Emit) {
    let (p, ob) = (&ctx.params.immune, &ctx.params.osteoblast);
    let site = ctx.cells.site[slot] as usize;
    let innate = super::signalling::innate_drive(ctx.host, &ctx.params.signalling);
    let release = p.inflammasome_basal + (1.0 - p.inflammasome_basal) * ctx.host.exposure.lps;
    emit(FieldId::Il1b, site, p.macrophage_il1b_molecules_per_h * pro_il1b(innate, s, p) * release);
    let tnf = p.macrophage_tnf_molecules_per_h * innate + p.macrophage_lps_tnf_molecules_per_h * ctx.host.exposure.lps;
    emit(FieldId::Tnf, site, tnf);
    emit(FieldId::Pge2, site, p.macrophage_pge2_molecules_per_h * s.nfkb);
    let il6 = p.macrophage_il6_molecules_per_h * super::osteoblast::il6_induction(s, ob, ctx.il6_knockout);
    emit(FieldId::Il6, site, il6);
}

/// What a T cell secretes: IL-17 as a Th17 cell, in proportion to STAT3 (from IL-6) and to
/// TGF-β; TNF-α in proportion to its activation.
pub fn secrete_t_cell(slot: usize, s: &Signals, ctx: &Context, emit: &mut super::Emit) {
    let p = &ctx.params.immune;
    let site = ctx.cells.site[slot] as usize;
    let tgfb = s.tgfb.max(p.t_cell_basal_tgfb);
    emit(FieldId::Il17, site, p.t_cell_il17_molecules_per_h * s.stat3 * tgfb);
    let activation = super::signalling::innate_drive(ctx.host, &ctx.params.signalling);
    emit(FieldId::Tnf, site, p.t_cell_tnf_molecules_per_h * activation);
}
