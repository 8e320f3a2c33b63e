//! Marrow stroma and mesenchymal progenitors (MSCs): the resident cells that make M-CSF and
//! OPG, and that TGF-β released from resorbed matrix draws to the resorption site and
//! commits to the osteoblast lineage (Tang et al. 2009, Nat Med 15:757; the coupling of
//! formation to resorption, seed "vicious cycle" section).

use super::osteoblast::{self, is_cavity_surface};
use super::{Action, Context, Intent, Signals};
use crate::cells::CellKind;
use crate::field::FieldId;
use crate::lattice::Site;
use crate::params::parameter_group;
use crate::rng::Purpose;
use rand::Rng;

parameter_group! {
    /// Marrow stroma and mesenchymal progenitors.
    pub struct StromaParams {
        /// Stromal cells per marrow site at the start (reticular stroma and MSCs).
        density: 0.01, range 0.0 => 0.5;
        /// Active TGF-β at which its receptor is half occupied, pM. Tuned: released TGF-β
        /// reaches about a picomolar at a resorbing osteoclast in this model.
        tgfb_half_pm: 0.3, range 1e-6 => 1e5;
        /// Asymmetric divisions per day that give a pre-osteoblast, at full TGF-β signal.
        commitment_per_day: 0.3, range 0.0 => 100.0;
        /// Commitment signal of an eroded surface with no TGF-β left, as a share of full
        /// signal: reversal cells keep recruiting osteoprogenitors to an uncovered eroded
        /// surface (Delaisse et al. 2020, Bone 141:115628).
        reversal_signal: 0.4, range 0.0 => 1.0;
        /// Hours between two commitments of one stromal cell (a cell cycle).
        refractory_hours: 24.0, range 0.0 => 10000.0;
        /// Steps per hour up the TGF-β gradient where TGF-β is sensed (TGF-β released by
        /// resorption draws MSCs to the remodeling site; Tang et al. 2009).
        chemotaxis_steps_per_h: 0.1, range 0.0 => 100.0;
        /// Random steps per hour. Resting marrow stroma is a sessile reticular network;
        /// stromal cells move when TGF-β calls them (`chemotaxis_steps_per_h`).
        motility_steps_per_h: 0.0, range 0.0 => 100.0;
        /// M-CSF secreted by a stromal cell, molecules/h. Tuned to give M-CSF of tens of pM.
        mcsf_molecules_per_h: 700.0, range 0.0 => 1e7;
        /// OPG secreted by a stromal cell, molecules/h. Tuned to give OPG of a few hundred pM.
        opg_molecules_per_h: 400.0, range 0.0 => 1e7;
        /// RANKL shed by a stromal cell, molecules/h (low at rest; seed Figure 1B). Tuned
        /// like the osteocytes' (5 scaled by 1/1.8 for TNF-α's potentiation).
        rankl_molecules_per_h: 2.78, range 0.0 => 1e7;
        /// IL-6 made by a resting stromal cell, molecules/h. Tuned with `serum.*` so that a
        /// healthy run's serum IL-6 lies in 1–5 pg/mL (SCIENCE §6).
        il6_molecules_per_h: 30.0, range 0.0 => 1e7;
        /// CXCL12 made by a stromal cell, molecules/h: CXCL12-abundant reticular cells are
        /// the marrow's main source (seed ref 31).
        cxcl12_molecules_per_h: 300.0, range 0.0 => 1e7;
        /// PGE2 made by a stromal cell at full NF-κB (COX-2), molecules/h. Tuned.
        pge2_molecules_per_h: 2000.0, range 0.0 => 1e8;
        /// DKK1 made by a reactive stromal cell at full NF-κB, molecules/h: tumour cells in
        /// bone raise stromal DKK1 (seed ref 73).
        dkk1_molecules_per_h: 300.0, range 0.0 => 1e7;
        /// Weight of the formation drive (ET-1 and BMPs, less what DKK1 blocks) in the
        /// commitment signal: BMPs commit mesenchymal progenitors to the osteoblast lineage
        /// (seed Introduction: BMPs induce Runx2).
        osteoblastic_commitment: 1.0, range 0.0 => 10.0;
    }
}

/// What a stromal cell secretes: M-CSF, OPG, RANKL (raised by STAT3, PTHrP, PGE2, IL-17),
/// IL-6 (by NF-κB, TGF-β and PGE2), CXCL12, and, when reactive, PGE2 and DKK1.
pub fn secrete(slot: usize, s: &Signals, ctx: &Context, emit: &mut crate::biology::Emit) {
    let (p, ob) = (&ctx.params.stroma, &ctx.params.osteoblast);
    let site = ctx.cells.site[slot] as usize;
    emit(FieldId::Mcsf, site, p.mcsf_molecules_per_h * (1.0 + ob.mcsf_stat3_gain * s.stat3));
    emit(FieldId::Opg, site, p.opg_molecules_per_h * osteoblast::opg_kept(s, ob));
    emit(FieldId::Rankl, site, p.rankl_molecules_per_h * osteoblast::rankl_induction(s, ob));
    emit(FieldId::Il6, site, p.il6_molecules_per_h * osteoblast::il6_induction(s, ob, ctx.il6_knockout));
    emit(FieldId::Cxcl12, site, p.cxcl12_molecules_per_h);
    emit(FieldId::Pge2, site, p.pge2_molecules_per_h * s.nfkb);
    emit(FieldId::Dkk1, site, p.dkk1_molecules_per_h * s.nfkb);
}

/// A stromal cell: commit a daughter to the osteoblast lineage where TGF-β or an eroded
/// surface calls for one; drift towards TGF-β.
pub fn decide(slot: usize, s: &Signals, ctx: &Context) -> Intent {
    let p = &ctx.params.stroma;
    let site = ctx.cells.site[slot] as usize;
    let mut rng = ctx.rng(slot, Purpose::Decide);
    // A resorption cavity is for the osteoblast lineage: no stromal cell steps into one,
    // and one found inside steps out, or, with no way out, differentiates where it is (the
    // osteoprogenitors of the reversal surface; Delaisse et al. 2020).
    let off_cavity = |n: usize| !ctx.lattice.eroded[n];
    if ctx.lattice.eroded[site] {
        let way_out =
            ctx.lattice.neighbours(site).any(|n| off_cavity(n) && ctx.lattice.is_open(n) && ctx.cells.is_free(n));
        if !way_out {
            return Intent::act(Action::Become { kind: CellKind::PreOsteoblast });
        }
        let steps = ctx.steps(ctx.params.osteoblast.migration_steps_per_h, &mut rng);
        let out = ctx.walk(site, steps.min(1), |at| ctx.free_neighbour(at, &mut rng, off_cavity));
        return out.map_or(Intent::STAY, |to| Intent::act(Action::Move { to: Site::from(to) }));
    }
    let near_cavity = ctx.lattice.neighbours(site).chain([site]).any(|n| is_cavity_surface(n, ctx));
    let signal = s
        .tgfb
        .max(if near_cavity { p.reversal_signal } else { 0.0 })
        .max(p.osteoblastic_commitment * osteoblast::formation_drive(s, &ctx.params.osteoblast));
    let rested = ctx.tick >= ctx.cells.until_tick[slot];
    if rested
        && signal > 0.0
        && rng.random::<f64>() < ctx.chance(p.commitment_per_day * signal)
        && let Some(to) = osteoblast::daughter_site(slot, ctx)
    {
        return Intent::act(Action::Divide { to: Site::from(to), daughter: CellKind::PreOsteoblast });
    }
    let tgfb = ctx.fields.values(FieldId::Tgfb);
    let directed = if s.tgfb > 0.2 { ctx.steps(p.chemotaxis_steps_per_h, &mut rng) } else { 0 };
    let random = ctx.steps(p.motility_steps_per_h, &mut rng);
    let mut taken = 0;
    let to = ctx.walk(site, directed + random, |at| {
        taken += 1;
        if taken <= directed {
            ctx.uphill_neighbour(at, |n| tgfb.get(n), off_cavity)
        } else {
            ctx.free_neighbour(at, &mut rng, off_cavity)
        }
    });
    to.map_or(Intent::STAY, |to| Intent::act(Action::Move { to: Site::from(to) }))
}
