//! The osteoclast lineage (seed Figure 1A): monocyte precursors enter from vessels; M-CSF
//! keeps them alive; on a bone surface, RANKL not held by the decoy OPG commits them to
//! pre-osteoclasts; pre-osteoclasts fuse into multinucleated osteoclasts, which resorb the
//! bone beside them while RANKL supports them and die after about two weeks.

use super::{Action, Context, Intent, Signals, TissueAction};
use crate::cells::CellKind;
use crate::field::FieldId;
use crate::params::parameter_group;
use crate::rng::Purpose;
use rand::Rng;

parameter_group! {
    /// Osteoclast lineage.
    pub struct OsteoclastParams {
        /// Precursors entering the marrow from one vessel per day. Tuned so that a few hundred
        /// circulate in a 4 × 4 mm section; osteoclast nuclei turn over about 8 %/day from
        /// circulating precursors (Parfitt 1994, SCIENCE §4).
        precursor_arrival_per_vessel_day: 0.4, range 0.0 => 100.0;
        /// Mean life of a precursor with full M-CSF support, days; without M-CSF it is half
        /// as long (M-CSF is the survival factor of the lineage, seed Figure 1A).
        precursor_lifespan_days: 4.0, range 0.1 => 100.0;
        /// M-CSF at which c-Fms is half occupied, pM (of the order of its Kd, 10–100 pM).
        mcsf_half_pm: 20.0, range 0.001 => 10000.0;
        /// Free RANKL at which RANK is half occupied, pM (RANKL–RANK K_A ≈ 0.03/pM,
        /// Lemaire et al. 2004).
        rank_half_pm: 30.0, range 0.001 => 10000.0;
        /// Dissociation constant of RANKL from OPG, pM (K_A ≈ 1e-3/pM, Lemaire et al. 2004,
        /// SCIENCE §2).
        opg_kd_pm: 1000.0, range 0.001 => 1e6;
        /// Commitment of a precursor on a bone surface per day at full RANK and c-Fms
        /// signal (RANKL drives the late, M-CSF the early stages; seed Figure 1).
        commitment_per_day: 3.0, range 0.0 => 100.0;
        /// Chance per tick that a precursor or pre-osteoclast steps up the free-RANKL
        /// gradient rather than at random.
        chemotaxis: 0.5, range 0.0 => 1.0;
        /// Chance per tick that a marrow cell of the lineage moves at all (monocytes crawl
        /// several µm per minute; one 10 µm site per hour at most here).
        motility: 0.8, range 0.0 => 1.0;
        /// Fusion of a pre-osteoclast with a touching lineage cell, per day.
        fusion_per_day: 6.0, range 0.0 => 100.0;
        /// Mean life of an unfused pre-osteoclast, days.
        preosteoclast_lifespan_days: 3.0, range 0.1 => 100.0;
        /// Nuclei an osteoclast needs to resorb.
        min_nuclei: 3.0, range 1.0 => 50.0;
        /// Most nuclei an osteoclast holds (5–20, SCIENCE §4).
        max_nuclei: 20.0, range 1.0 => 100.0;
        /// Bone resorbed per nucleus per day at full RANK signal, in sites (10 µm cubes). An
        /// osteoclast of ~8 nuclei resorbs about two sites a day, of the order of the
        /// A(BM)² rule of one 20.8 µm site every 36–72 h (SCIENCE §3).
        resorption_sites_per_nucleus_day: 0.25, range 0.0 => 10.0;
        /// Share of the resorption rate kept without RANK signal (RANKL drives activity as
        /// well as formation; seed Figure 1A).
        basal_activity: 0.3, range 0.0 => 1.0;
        /// Mean life of an osteoclast at half RANK occupancy, days (about two weeks,
        /// SCIENCE §4). RANKL prolongs it, its absence shortens it.
        lifespan_days: 14.0, range 0.5 => 365.0;
    }
}

/// A precursor: survive on M-CSF, commit on a RANKL-rich bone surface, or wander up the
/// free-RANKL gradient.
pub fn decide_precursor(slot: usize, s: &Signals, ctx: &Context) -> Intent {
    let p = &ctx.params.osteoclast;
    let site = ctx.cells.site[slot] as usize;
    let mut rng = ctx.rng(slot, Purpose::Decide);
    if rng.random::<f64>() < ctx.chance(precursor_death_per_day(s, p)) {
        return Intent::act(Action::Die);
    }
    if ctx.lattice.is_surface(site) && rng.random::<f64>() < ctx.chance(p.commitment_per_day * s.rank * s.c_fms) {
        return Intent::act(Action::Become { kind: CellKind::PreOsteoclast });
    }
    wander(site, &mut rng, ctx, |_| true).map_or(Intent::STAY, |to| Intent::act(Action::Move { to: to as u32 }))
}

/// Death rate of a precursor, per day: M-CSF halves it.
fn precursor_death_per_day(s: &Signals, p: &OsteoclastParams) -> f64 {
    (2.0 - s.c_fms) / p.precursor_lifespan_days
}

/// A pre-osteoclast: fuse with a touching osteoclast or pre-osteoclast, else keep to the
/// bone surface and move up the RANKL gradient to find one; die if it stays alone.
pub fn decide_pre(slot: usize, _s: &Signals, ctx: &Context) -> Intent {
    let p = &ctx.params.osteoclast;
    let site = ctx.cells.site[slot] as usize;
    let mut rng = ctx.rng(slot, Purpose::Decide);
    if rng.random::<f64>() < ctx.chance(1.0 / p.preosteoclast_lifespan_days) {
        return Intent::act(Action::Die);
    }
    if let Some(partner) = fusion_partner(slot, site, ctx) {
        if rng.random::<f64>() < ctx.chance(p.fusion_per_day) {
            return Intent::act(Action::Fuse { with: partner as u32 });
        }
        return Intent::STAY;
    }
    let on_surface = |s: usize| ctx.lattice.is_surface(s);
    wander(site, &mut rng, ctx, on_surface).map_or(Intent::STAY, |to| Intent::act(Action::Move { to: to as u32 }))
}

/// The touching cell a pre-osteoclast can fuse into: an osteoclast with room for another
/// nucleus, else a pre-osteoclast with a higher id (so that of two pre-osteoclasts only
/// one moves into the other). Checked in site order.
fn fusion_partner(slot: usize, site: usize, ctx: &Context) -> Option<usize> {
    let max = ctx.params.osteoclast.max_nuclei as u16;
    let cells = ctx.cells;
    let mut pre = None;
    for n in ctx.lattice.neighbours8(site) {
        if let Some(other) = cells.occupant(n) {
            match cells.kind[other] {
                CellKind::Osteoclast if cells.nuclei[other] < max => return Some(n),
                CellKind::PreOsteoclast if cells.id[other] > cells.id[slot] && pre.is_none() => pre = Some(n),
                _ => {}
            }
        }
    }
    pre
}

/// An osteoclast: resorb the bone beside it; follow the bone surface up the RANKL gradient
/// when nothing is left in reach; die at the end of a life that RANKL lengthens.
pub fn decide(slot: usize, s: &Signals, ctx: &Context) -> Intent {
    let p = &ctx.params.osteoclast;
    let site = ctx.cells.site[slot] as usize;
    let mut rng = ctx.rng(slot, Purpose::Decide);
    if rng.random::<f64>() < ctx.chance(death_per_day(s, p)) {
        return Intent::act(Action::Die);
    }
    let nuclei = ctx.cells.nuclei[slot] as f64;
    if nuclei >= p.min_nuclei {
        if let Some(target) = resorption_target(site, ctx) {
            let rate = resorption_per_day(nuclei, s, p);
            let amount = (rate * ctx.dt_h / 24.0) as f32;
            return Intent { action: Action::Stay, tissue: TissueAction::Resorb { site: target as u32, amount } };
        }
    }
    let on_surface = |s: usize| ctx.lattice.is_surface(s);
    wander(site, &mut rng, ctx, on_surface).map_or(Intent::STAY, |to| Intent::act(Action::Move { to: to as u32 }))
}

/// Death rate of an osteoclast, per day: `1/lifespan` at half RANK occupancy, 1.5× that
/// with none, 0.75× at full.
fn death_per_day(s: &Signals, p: &OsteoclastParams) -> f64 {
    1.5 / (1.0 + s.rank) / p.lifespan_days
}

/// Bone resorbed per day, in sites.
pub fn resorption_per_day(nuclei: f64, s: &Signals, p: &OsteoclastParams) -> f64 {
    nuclei * p.resorption_sites_per_nucleus_day * (p.basal_activity + (1.0 - p.basal_activity) * s.rank)
}

/// The solid neighbour to resorb: the one whose surroundings hold the most RANKL (the
/// signal that targeted the remodeling), ties broken by site order.
fn resorption_target(site: usize, ctx: &Context) -> Option<usize> {
    let rankl = ctx.fields.values(FieldId::Rankl);
    let mut best: Option<(f64, usize)> = None;
    for n in ctx.lattice.neighbours(site) {
        if ctx.lattice.is_solid(n) && !ctx.lattice.vessel[n] {
            let v = rankl[n];
            if best.is_none_or(|(b, _)| v > b) {
                best = Some((v, n));
            }
        }
    }
    best.map(|(_, n)| n)
}

/// A step for a marrow cell of the lineage: up the free-RANKL gradient with probability
/// `chemotaxis`, otherwise to a random free neighbour; only onto sites where `accept` holds.
fn wander(site: usize, rng: &mut crate::rng::Stream, ctx: &Context, accept: impl Fn(usize) -> bool + Copy) -> Option<usize> {
    let p = &ctx.params.osteoclast;
    if rng.random::<f64>() >= p.motility {
        return None;
    }
    if rng.random::<f64>() < p.chemotaxis {
        let free_rankl = |s: usize| super::sense(s, ctx.fields, ctx.params).free_rankl_pm;
        if let Some(to) = ctx.uphill_neighbour(site, free_rankl, accept) {
            return Some(to);
        }
    }
    ctx.free_neighbour(site, rng, accept)
}

/// Parameters are checked for sense here too: `min_nuclei` cannot exceed `max_nuclei`.
impl OsteoclastParams {
    /// A problem with the combination of values, if any.
    pub fn inconsistency(&self) -> Option<String> {
        (self.min_nuclei > self.max_nuclei).then(|| {
            format!("osteoclast.min_nuclei ({}) exceeds osteoclast.max_nuclei ({})", self.min_nuclei, self.max_nuclei)
        })
    }
}
