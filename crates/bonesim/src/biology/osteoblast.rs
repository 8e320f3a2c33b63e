//! The osteoblast lineage after commitment: pre-osteoblasts proliferate while TGF-β lasts and
//! settle on the eroded surface left by osteoclasts; osteoblasts refill that cavity one
//! site at a time, at the mineral apposition rate; when a site is full an osteoblast stays
//! in it as an osteocyte, moves on to the next eroded site, or, when the cavity is full,
//! becomes a lining cell or dies (SCIENCE §4).

use super::{Action, Context, Intent, Signals, TissueAction};
use crate::cells::CellKind;
use crate::field::FieldId;
use crate::params::parameter_group;
use crate::rng::Purpose;
use rand::Rng;

parameter_group! {
    /// Osteoblast lineage.
    pub struct OsteoblastParams {
        /// Days for a pre-osteoblast to mature into an osteoblast once on an eroded surface.
        maturation_days: 3.0, range 0.0 => 100.0;
        /// Divisions a new pre-osteoblast can make (transit amplification).
        preosteoblast_divisions: 1.0, range 0.0 => 10.0;
        /// Divisions per day of a pre-osteoblast at full TGF-β signal (TGF-β released by
        /// resorption recruits and expands osteoprogenitors; seed, vicious-cycle section).
        division_per_day: 1.0, range 0.0 => 10.0;
        /// Mean life of a pre-osteoblast that finds no eroded surface, days.
        preosteoblast_lifespan_days: 5.0, range 0.1 => 1000.0;
        /// Days to fill one 10 µm site with osteoid: 10 µm at a mineral apposition rate of
        /// 0.5 µm/day (SCIENCE §4: 0.5–1 µm/day).
        fill_days: 20.0, range 0.1 => 1000.0;
        /// Apoptosis of an active osteoblast per day. Small: osteoblasts are active for about
        /// three months and most finish their cavity (SCIENCE §4).
        apoptosis_per_day: 0.002, range 0.0 => 10.0;
        /// Chance that an osteoblast stays embedded in a site it has just filled, becoming
        /// an osteocyte. New bone must replace the osteocytes lost with resorbed bone and by
        /// apoptosis: at least d (T + a) / T ≈ 0.033 × (0.09 + 0.08) / 0.09 ≈ 0.06 for
        /// osteocyte density d, turnover T and apoptosis a; targeted resorption digs towards
        /// RANKL-making osteocytes and so removes more than the average density. Tuned to 0.1
        /// so that the osteocyte population holds steady in `homeostasis`. It makes 5–20 % of
        /// osteoblasts osteocytes over their working life (SCIENCE §4).
        embed_share: 0.1, range 0.0 => 1.0;
        /// Share of osteoblasts with no cavity left that become lining cells; the rest die
        /// (SCIENCE §4: 50–70 % die by apoptosis).
        lining_share: 0.35, range 0.0 => 1.0;
        /// Rate per day at which an osteoblast waiting for a neighbour to free a cavity site
        /// gives up and ends its work (keeps a crowded cavity from locking up).
        give_up_per_day: 0.1, range 0.0 => 100.0;
        /// Turnover of lining cells per day.
        lining_turnover_per_day: 0.005, range 0.0 => 10.0;
        /// OPG secreted by an osteoblast, molecules/h (osteoblasts are the main OPG source,
        /// seed Figure 1A). Tuned with the stromal rate to give OPG of a few hundred pM.
        opg_molecules_per_h: 2000.0, range 0.0 => 1e7;
        /// M-CSF secreted by an osteoblast, molecules/h (seed Figure 1A).
        mcsf_molecules_per_h: 800.0, range 0.0 => 1e7;
        /// RANKL shed by an osteoblast, molecules/h (seed Figure 1A; low without PTH or IL-6).
        rankl_molecules_per_h: 20.0, range 0.0 => 1e7;
        /// IL-6 made by a resting osteoblast, molecules/h.
        il6_molecules_per_h: 10.0, range 0.0 => 1e7;
        /// CXCL12 made by an osteoblast, molecules/h (osteoblasts attract CXCR4⁺ cells; seed
        /// ref 31).
        cxcl12_molecules_per_h: 100.0, range 0.0 => 1e7;
        /// PGE2 made by an osteoblast at full NF-κB (COX-2), molecules/h. Tuned.
        pge2_molecules_per_h: 2000.0, range 0.0 => 1e8;
        /// Fold rise of RANKL in the osteoblast lineage (stroma included) at full STAT3: IL-6
        /// raises RANKL through JAK/STAT3 (seed Figure 3, refs 53–54). Tuned.
        rankl_stat3_gain: 4.0, range 0.0 => 1000.0;
        /// Fold rise of RANKL at full PTH1R occupancy: PTHrP raises RANKL (seed Figure 1B).
        rankl_pthrp_gain: 8.0, range 0.0 => 1000.0;
        /// Fold rise of RANKL at full EP receptor occupancy (PGE2 through cAMP; seed ref 82).
        rankl_pge2_gain: 3.0, range 0.0 => 1000.0;
        /// Fold rise of RANKL at full IL-17R occupancy (seed refs 56–57).
        rankl_il17_gain: 4.0, range 0.0 => 1000.0;
        /// Share of OPG lost at full PTH1R occupancy (PTH/PTHrP lower OPG).
        opg_pthrp_loss: 0.7, range 0.0 => 1.0;
        /// Share of OPG lost at full DKK1 blockade (Wnt signalling keeps OPG up).
        opg_dkk1_loss: 0.5, range 0.0 => 1.0;
        /// Fold rise of M-CSF at full STAT3 (IL-6 raises M-CSF; seed Figure 1B).
        mcsf_stat3_gain: 1.0, range 0.0 => 1000.0;
        /// Fold rise of IL-6 at full NF-κB (the NF-κB-dependent route; seed Figure 2).
        il6_nfkb_gain: 20.0, range 0.0 => 1000.0;
        /// Fold rise of IL-6 at full TGF-β signal (NF-κB-independent; seed Figure 2).
        il6_tgfb_gain: 3.0, range 0.0 => 1000.0;
        /// Fold rise of IL-6 at full PGE2 signal (COX-2 → PGE2, NF-κB-independent; Figure 2).
        il6_pge2_gain: 8.0, range 0.0 => 1000.0;
        /// Share of a pre-osteoblast's pace of maturation lost at full DKK1 blockade: Wnt
        /// blockade holds osteoblasts back (seed refs 73–74), so 0.9 makes maturation take
        /// ten times longer.
        dkk1_maturation_block: 0.9, range 0.0 => 1.0;
        /// Osteoblastic-factor occupancy above which pre-osteoblasts mature and osteoblasts
        /// lay down bone on any bone surface, not only in resorption cavities (prostate
        /// cancer's ET-1 and BMPs drive new, disorganised bone; seed "Frequency…" section).
        osteoblastic_threshold: 0.3, range 0.0 => 1.0;
        /// How much faster woven bone is laid down than lamellar (woven bone is deposited
        /// several µm a day).
        woven_speedup: 4.0, range 1.0 => 100.0;
    }
}

/// Fold change of RANKL in a cell of the osteoblast lineage: STAT3, PTHrP, PGE2 and IL-17
/// all raise it.
pub fn rankl_induction(s: &Signals, p: &OsteoblastParams) -> f64 {
    1.0 + p.rankl_stat3_gain * s.stat3
        + p.rankl_pthrp_gain * s.pthrp
        + p.rankl_pge2_gain * s.pge2
        + p.rankl_il17_gain * s.il17
}

/// Share of OPG kept in a cell of the osteoblast lineage.
pub fn opg_kept(s: &Signals, p: &OsteoblastParams) -> f64 {
    (1.0 - p.opg_pthrp_loss * s.pthrp) * (1.0 - p.opg_dkk1_loss * s.dkk1)
}

/// Fold change of IL-6 made by a host cell through the NF-κB-dependent (IL-1β, LPS) and
/// -independent (TGF-β, PGE2) routes of seed Figure 2; zero in an IL-6 knockout host.
pub fn il6_induction(s: &Signals, p: &OsteoblastParams, knockout: bool) -> f64 {
    if knockout {
        return 0.0;
    }
    1.0 + p.il6_nfkb_gain * s.nfkb + p.il6_tgfb_gain * s.tgfb + p.il6_pge2_gain * s.pge2
}

/// What an osteoblast secretes: OPG (the main source), M-CSF, RANKL, IL-6, CXCL12 and, with
/// NF-κB on, PGE2.
pub fn secrete(slot: usize, s: &Signals, ctx: &Context, emit: &mut crate::biology::Emit) {
    let p = &ctx.params.osteoblast;
    let site = ctx.cells.site[slot] as usize;
    emit(FieldId::Opg, site, p.opg_molecules_per_h * opg_kept(s, p));
    emit(FieldId::Mcsf, site, p.mcsf_molecules_per_h * (1.0 + p.mcsf_stat3_gain * s.stat3));
    emit(FieldId::Rankl, site, p.rankl_molecules_per_h * rankl_induction(s, p));
    emit(FieldId::Il6, site, p.il6_molecules_per_h * il6_induction(s, p, ctx.il6_knockout));
    emit(FieldId::Cxcl12, site, p.cxcl12_molecules_per_h);
    emit(FieldId::Pge2, site, p.pge2_molecules_per_h * s.nfkb);
}

/// Whether osteoblastic factors are strong enough here to drive bone formation on any
/// surface.
fn driven_to_form(s: &Signals, p: &OsteoblastParams) -> bool {
    s.osteoblastic > p.osteoblastic_threshold
}

/// Whether `site` is part of a resorption cavity an osteoblast can fill: eroded, open, and
/// touching bone.
pub fn is_cavity_surface(site: usize, ctx: &Context) -> bool {
    ctx.lattice.eroded[site] && ctx.lattice.is_surface(site)
}

/// A pre-osteoblast: mature on an eroded surface, divide while TGF-β lasts, otherwise look
/// for the cavity.
pub fn decide_pre(slot: usize, s: &Signals, ctx: &Context) -> Intent {
    let p = &ctx.params.osteoblast;
    let site = ctx.cells.site[slot] as usize;
    let mut rng = ctx.rng(slot, Purpose::Decide);
    let in_cavity = is_cavity_surface(site, ctx);
    let on_driven_surface = driven_to_form(s, p) && ctx.lattice.is_surface(site);
    let settled = in_cavity || on_driven_surface;
    if !settled && rng.random::<f64>() < ctx.chance(1.0 / p.preosteoblast_lifespan_days) {
        return Intent::act(Action::Die);
    }
    let pace = (1.0 - p.dkk1_maturation_block * s.dkk1).max(1e-6);
    if settled && ctx.days_in_kind(slot) * pace >= p.maturation_days {
        return Intent::act(Action::Become { kind: CellKind::Osteoblast });
    }
    if ctx.cells.divisions_left[slot] > 0
        && rng.random::<f64>() < ctx.chance(p.division_per_day * s.tgfb)
        && let Some(to) = daughter_site(slot, ctx)
    {
        return Intent::act(Action::Divide { to: to as u32, daughter: CellKind::PreOsteoblast });
    }
    if settled {
        return Intent::STAY;
    }
    step_towards_cavity(site, &mut rng, ctx).map_or(Intent::STAY, |to| Intent::act(Action::Move { to: to as u32 }))
}

/// An osteoblast: fill the cavity site it sits on; when it is full, embed, move on, or end.
pub fn decide(slot: usize, s: &Signals, ctx: &Context) -> Intent {
    let p = &ctx.params.osteoblast;
    let site = ctx.cells.site[slot] as usize;
    let mut rng = ctx.rng(slot, Purpose::Decide);
    if rng.random::<f64>() < ctx.chance(p.apoptosis_per_day) {
        return Intent::act(Action::Die);
    }
    let fillable = ctx.lattice.matrix[site] < 1.0 && touches_solid(site, ctx);
    if fillable && ctx.lattice.eroded[site] {
        // Refilling a resorption cavity: lamellar bone at the apposition rate.
        let amount = (ctx.dt_h / 24.0 / p.fill_days) as f32;
        return Intent { action: Action::Stay, tissue: TissueAction::Deposit { amount, woven: false } };
    }
    if fillable && driven_to_form(s, p) && !ctx.lattice.vessel[site] {
        // Driven by osteoblastic factors: fast, disorganised woven bone on any surface.
        let amount = (ctx.dt_h / 24.0 / p.fill_days * p.woven_speedup) as f32;
        return Intent { action: Action::Stay, tissue: TissueAction::Deposit { amount, woven: true } };
    }
    // The site is full (whether it stays in it as an osteocyte was settled as it filled;
    // see `embeds`), or was never part of a cavity: move on along the cavity, wait for a
    // neighbour to make room, or end.
    let cavity = |n: usize| is_cavity_surface(n, ctx);
    if let Some(to) = ctx.free_neighbour(site, &mut rng, cavity) {
        return Intent::act(Action::Move { to: to as u32 });
    }
    if driven_to_form(s, p) {
        let surface = |n: usize| ctx.lattice.is_surface(n);
        if let Some(to) = ctx.free_neighbour(site, &mut rng, surface) {
            return Intent::act(Action::Move { to: to as u32 });
        }
    }
    if ctx.lattice.neighbours(site).any(cavity) && rng.random::<f64>() >= ctx.chance(p.give_up_per_day) {
        return Intent::STAY;
    }
    end_of_formation(site, &mut ctx.rng(slot, Purpose::Fate), ctx)
}

/// Whether the osteoblast in `slot`, whose site has just filled, stays embedded in it as an
/// osteocyte. Drawn once per filled site.
pub fn embeds(slot: usize, ctx: &Context) -> bool {
    ctx.rng(slot, Purpose::Fate).random::<f64>() < ctx.params.osteoblast.embed_share
}

/// An osteoblast with nothing left to fill: a lining cell on the nearest open site, or
/// apoptosis (SCIENCE §4: 50–70 % die). Buried with no way out, it dies.
fn end_of_formation(site: usize, fate: &mut crate::rng::Stream, ctx: &Context) -> Intent {
    let p = &ctx.params.osteoblast;
    let open = ctx.lattice.neighbours(site).chain([site]).find(|&n| ctx.lattice.is_open(n));
    match open {
        Some(to) if fate.random::<f64>() < p.lining_share => {
            Intent::act(Action::BecomeAt { kind: CellKind::LiningCell, to: to as u32 })
        }
        _ => Intent::act(Action::Die),
    }
}

/// A lining cell: quiescent, with a slow turnover.
pub fn decide_lining(slot: usize, ctx: &Context) -> Intent {
    let mut rng = ctx.rng(slot, Purpose::Decide);
    if rng.random::<f64>() < ctx.chance(ctx.params.osteoblast.lining_turnover_per_day) {
        return Intent::act(Action::Die);
    }
    Intent::STAY
}

fn touches_solid(site: usize, ctx: &Context) -> bool {
    ctx.lattice.neighbours(site).any(|n| ctx.lattice.is_solid(n))
}

/// Where the cell in `slot` puts a pre-osteoblast daughter: a free cavity surface beside
/// it if there is one, else any free neighbour.
pub fn daughter_site(slot: usize, ctx: &Context) -> Option<usize> {
    let site = ctx.cells.site[slot] as usize;
    let mut place = ctx.rng(slot, Purpose::Division);
    let cavity = |n: usize| is_cavity_surface(n, ctx);
    ctx.free_neighbour(site, &mut place, cavity).or_else(|| ctx.free_neighbour(site, &mut place, |_| true))
}

/// A step for a pre-osteoblast looking for the cavity: onto an eroded surface if one is
/// next door, otherwise up the TGF-β gradient, otherwise at random.
fn step_towards_cavity(site: usize, rng: &mut crate::rng::Stream, ctx: &Context) -> Option<usize> {
    let cavity = |n: usize| is_cavity_surface(n, ctx);
    if let Some(to) = ctx.free_neighbour(site, rng, cavity) {
        return Some(to);
    }
    let tgfb = ctx.fields.values(crate::field::FieldId::Tgfb);
    if let Some(to) = ctx.uphill_neighbour(site, |n| tgfb[n], |_| true) {
        return Some(to);
    }
    // Eroded marrow beside the cell leads towards the cavity floor.
    let eroded = |n: usize| ctx.lattice.eroded[n];
    ctx.free_neighbour(site, rng, eroded).or_else(|| ctx.free_neighbour(site, rng, |_| true))
}
