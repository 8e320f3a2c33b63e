//! The osteoblast lineage after commitment: pre-osteoblasts proliferate while TGF-β lasts and
//! settle on the eroded surface left by osteoclasts; osteoblasts refill that cavity one
//! site at a time, at the mineral apposition rate; when a site is full an osteoblast stays
//! in it as an osteocyte, moves on to the next eroded site, or, when the cavity is full,
//! becomes a lining cell or dies (SCIENCE §4).

use super::{Action, Context, Intent, Signals, TissueAction};
use crate::cells::CellKind;
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
    }
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
    if !in_cavity && rng.random::<f64>() < ctx.chance(1.0 / p.preosteoblast_lifespan_days) {
        return Intent::act(Action::Die);
    }
    if in_cavity && ctx.days_in_kind(slot) >= p.maturation_days {
        return Intent::act(Action::Become { kind: CellKind::Osteoblast });
    }
    if ctx.cells.divisions_left[slot] > 0 && rng.random::<f64>() < ctx.chance(p.division_per_day * s.tgfb) {
        let mut place = ctx.rng(slot, Purpose::Division);
        let cavity = |n: usize| is_cavity_surface(n, ctx);
        let to =
            ctx.free_neighbour(site, &mut place, cavity).or_else(|| ctx.free_neighbour(site, &mut place, |_| true));
        if let Some(to) = to {
            return Intent::act(Action::Divide { to: to as u32, daughter: CellKind::PreOsteoblast });
        }
    }
    if in_cavity {
        return Intent::STAY;
    }
    step_towards_cavity(site, &mut rng, ctx).map_or(Intent::STAY, |to| Intent::act(Action::Move { to: to as u32 }))
}

/// An osteoblast: fill the cavity site it sits on; when it is full, embed, move on, or end.
pub fn decide(slot: usize, _s: &Signals, ctx: &Context) -> Intent {
    let p = &ctx.params.osteoblast;
    let site = ctx.cells.site[slot] as usize;
    let mut rng = ctx.rng(slot, Purpose::Decide);
    if rng.random::<f64>() < ctx.chance(p.apoptosis_per_day) {
        return Intent::act(Action::Die);
    }
    if ctx.lattice.eroded[site] && ctx.lattice.matrix[site] < 1.0 && touches_solid(site, ctx) {
        let amount = (ctx.dt_h / 24.0 / p.fill_days) as f32;
        return Intent { action: Action::Stay, tissue: TissueAction::Deposit { amount, woven: false } };
    }
    // The site is full (whether it stays in it as an osteocyte was settled as it filled;
    // see `embeds`), or was never part of a cavity: move on along the cavity, wait for a
    // neighbour to make room, or end.
    let cavity = |n: usize| is_cavity_surface(n, ctx);
    if let Some(to) = ctx.free_neighbour(site, &mut rng, cavity) {
        return Intent::act(Action::Move { to: to as u32 });
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
