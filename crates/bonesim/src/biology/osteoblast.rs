//! The osteoblast lineage after commitment: pre-osteoblasts proliferate while TGF-β lasts and
//! settle on the eroded surface left by osteoclasts; osteoblasts refill that cavity one
//! site at a time, at the mineral apposition rate; when a site is full an osteoblast stays
//! in it as an osteocyte, moves on to the next eroded site, or, when the cavity is full,
//! becomes a lining cell or dies (SCIENCE §4).

use super::{Action, Context, Intent, Signals, TissueAction};
use crate::cells::CellKind;
use crate::field::FieldId;
use crate::lattice::Site;
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
        /// Steps per hour of a cell of the osteoblast lineage on its way (a pre-osteoblast
        /// looking for the cavity, an osteoblast moving along it): about a 10 µm site an hour.
        migration_steps_per_h: 1.0, range 0.0 => 100.0;
        /// Mean life of a pre-osteoblast that finds no eroded surface, days.
        preosteoblast_lifespan_days: 5.0, range 0.1 => 1000.0;
        /// Days to fill one 10 µm site with osteoid: 10 µm at a mineral apposition rate of
        /// 0.5 µm/day (SCIENCE §4: 0.5–1 µm/day).
        fill_days: 20.0, range 0.1 => 1000.0;
        /// Apoptosis of an active osteoblast per day, before DKK1 and TNF-α raise it. Small:
        /// osteoblasts are active for about three months and most finish their cavity
        /// (SCIENCE §4). 0.0012 with healthy marrow's TNF-α (TNFR1 about 1 % occupied, ×1.7
        /// through `tnf_apoptosis_gain`) gives the 0.002 a day this was before TNF-α acted.
        apoptosis_per_day: 0.0012, range 0.0 => 10.0;
        /// Fold rise of osteoblast apoptosis at full DKK1 blockade: Wnt signalling keeps
        /// osteoblasts and their progenitors alive (Almeida et al. 2005, J Biol Chem
        /// 280:41342), so DKK1, raised in the marrow of breast cancer bone metastases (seed
        /// ref 74), uncouples formation from resorption. Tuned.
        dkk1_apoptosis_gain: 100.0, range 0.0 => 1000.0;
        /// Fold rise of osteoblast apoptosis at full TNFR1 occupancy: TNF-α induces
        /// osteoblast apoptosis (Jilka et al. 1998, J Bone Miner Res 13:793). The fold in vivo
        /// is not measured; tuned so that two weeks of LPS infection in a young mouse thins
        /// the osteoblasts by about a tenth (10 left no visible effect; the TNF test in
        /// tests/mechanisms.rs measures it).
        tnf_apoptosis_gain: 60.0, range 0.0 => 1000.0;
        /// How strongly embedding answers the osteocytes around. An osteoblast stays embedded
        /// in a site it has just filled, becoming an osteocyte, with chance `d (1 + g (1 − n /
        /// d))` (within 0–1): `d` the normal osteocyte density (`osteocyte.density`), `n` the
        /// density of osteocytes in the bone within `osteocyte.network_reach_um`, `g` this
        /// gain. New bone gets the normal density where the bone around has it, more where
        /// osteocytes were lost, fewer where there are many. Which osteoblasts are buried is
        /// thought to be signalled by the osteocytes already embedded nearby (Marotti's
        /// hypothesis, reviewed by Franz-Odendaal et al. 2006, Dev Dyn 235:176), and osteocyte
        /// density stays about constant through life, so new bone replaces the osteocytes lost
        /// with resorbed bone and by apoptosis. Tuned so that the osteocyte population holds
        /// over a decade of remodeling (homeostasis, 120 × 120, seeds 21–22: at 10 it fell
        /// 15–25 % in ten years; at 100 it overshot by up to 27 % and, with so many
        /// osteoblasts buried, cavities were left short of bone; at 30 it stayed within
        /// 90–105 % over five years); 5–20 % of osteoblasts become osteocytes over their
        /// working life (SCIENCE §4).
        embedding_gain: 30.0, range 0.0 => 1000.0;
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
        /// Tuned like the osteocytes' (20 scaled by 1/1.8 for TNF-α's potentiation).
        rankl_molecules_per_h: 11.1, range 0.0 => 1e7;
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
        /// Osteocytes answer it too (`osteocyte.rankl_pthrp_gain`).
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
        /// Median formation drive (osteoblastic-factor signal left by DKK1) at which a cell
        /// of the osteoblast lineage answers it by forming bone on any bone surface, not only
        /// in resorption cavities (prostate cancer's ET-1 and BMPs drive new, disorganised
        /// bone; seed "Frequency…" section). Cells differ: each has its own threshold, spread
        /// evenly from 0 to twice this, so the share of cells that answer rises smoothly with
        /// the drive and lesion kind is a spectrum rather than a switch.
        osteoblastic_threshold: 0.3, range 0.0 => 1.0;
        /// Share of the formation drive that DKK1 blocks at full LRP5/6 blockade: endothelin-1
        /// drives new bone by lowering DKK1 in osteoblasts, and DKK1 stops it (Clines et al.
        /// 2007, Mol Endocrinol 21:486); DKK1 from a tumour switches a lesion from osteoblastic
        /// to osteolytic (Hall et al. 2005, Cancer Res 65:7554).
        dkk1_formation_block: 0.9, range 0.0 => 1.0;
        /// How much faster woven bone is laid down than lamellar at full formation drive:
        /// woven bone is deposited several times faster than lamellar bone (Shapiro and Wu
        /// 2019, Eur Cell Mater 38:137). The rate scales with the drive.
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

/// Apoptosis of an active osteoblast per day: Wnt blockade by DKK1 and TNF-α raise it.
pub fn apoptosis_per_day(s: &Signals, p: &OsteoblastParams) -> f64 {
    p.apoptosis_per_day * (1.0 + p.dkk1_apoptosis_gain * s.dkk1 + p.tnf_apoptosis_gain * s.tnf)
}

/// The formation drive, 0–1: the osteoblastic factors' signal (ET-1, BMPs, from tumour
/// cells or from resorbed matrix) less what DKK1 blocks of it.
pub fn formation_drive(s: &Signals, p: &OsteoblastParams) -> f64 {
    s.osteoblastic * (1.0 - p.dkk1_formation_block * s.dkk1)
}

/// Whether the cell in `slot` answers the formation drive here by forming bone on any
/// surface: the drive exceeds the cell's own threshold (uniform on 0 to twice
/// `osteoblastic_threshold`, fixed for the cell's life).
fn driven_to_form(slot: usize, s: &Signals, ctx: &Context) -> bool {
    let p = &ctx.params.osteoblast;
    let drive = formation_drive(s, p);
    drive > 0.0 && drive > 2.0 * p.osteoblastic_threshold * ctx.trait_draw(slot)
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
    let on_driven_surface = ctx.lattice.is_surface(site) && driven_to_form(slot, s, ctx);
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
        return Intent::act(Action::Divide { to: Site::from(to), daughter: CellKind::PreOsteoblast });
    }
    if settled {
        return Intent::STAY;
    }
    // Walk towards the cavity, stopping on it.
    let steps = ctx.steps(p.migration_steps_per_h, &mut rng);
    let to = ctx.walk(site, steps, |at| {
        if at != site && is_cavity_surface(at, ctx) { None } else { step_towards_cavity(at, &mut rng, ctx) }
    });
    to.map_or(Intent::STAY, |to| Intent::act(Action::Move { to: Site::from(to) }))
}

/// An osteoblast: fill the cavity site it sits on; when it is full, embed, move on, or end.
pub fn decide(slot: usize, s: &Signals, ctx: &Context) -> Intent {
    let p = &ctx.params.osteoblast;
    let site = ctx.cells.site[slot] as usize;
    let mut rng = ctx.rng(slot, Purpose::Decide);
    if rng.random::<f64>() < ctx.chance(apoptosis_per_day(s, p)) {
        return Intent::act(Action::Die);
    }
    let fillable = ctx.lattice.matrix[site] < 1.0 && touches_solid(site, ctx);
    if fillable && ctx.lattice.eroded[site] {
        // Refilling a resorption cavity: lamellar bone at the apposition rate.
        let amount = (ctx.dt_h / 24.0 / p.fill_days) as f32;
        return Intent { action: Action::Stay, tissue: TissueAction::Deposit { amount, woven: false } };
    }
    let driven = driven_to_form(slot, s, ctx);
    if fillable && driven && !ctx.lattice.vessel[site] {
        // Driven by osteoblastic factors: fast, disorganised woven bone on any surface, the
        // faster the stronger the drive.
        let speed = 1.0 + (p.woven_speedup - 1.0) * formation_drive(s, p);
        let amount = (ctx.dt_h / 24.0 / p.fill_days * speed) as f32;
        return Intent { action: Action::Stay, tissue: TissueAction::Deposit { amount, woven: true } };
    }
    // The site is full (whether it stays in it as an osteocyte was settled as it filled;
    // see `embeds`), or was never part of a cavity: move on along the cavity, wait for a
    // neighbour to make room, or end.
    let cavity = |n: usize| is_cavity_surface(n, ctx);
    let surface = |n: usize| ctx.lattice.is_surface(n);
    let steps = ctx.steps(p.migration_steps_per_h, &mut rng).min(1);
    let moved = ctx.walk(site, steps, |at| {
        ctx.free_neighbour(at, &mut rng, cavity)
            .or_else(|| if driven { ctx.free_neighbour(at, &mut rng, surface) } else { None })
    });
    if let Some(to) = moved {
        return Intent::act(Action::Move { to: Site::from(to) });
    }
    if ctx.lattice.neighbours(site).any(cavity) && rng.random::<f64>() >= ctx.chance(p.give_up_per_day) {
        return Intent::STAY;
    }
    end_of_formation(site, &mut ctx.rng(slot, Purpose::Fate), ctx)
}

/// Whether the osteoblast in `slot`, whose site has just filled, stays embedded in it as an
/// osteocyte: at the normal density where the bone around has it, likelier where it has
/// fewer. Drawn once per filled site.
pub fn embeds(slot: usize, ctx: &Context) -> bool {
    let site = ctx.cells.site[slot] as usize;
    let d = ctx.params.osteocyte.density;
    let deficit = if d > 0.0 { 1.0 - osteocyte_density_around(site, ctx) / d } else { 0.0 };
    let chance = d * (1.0 + ctx.params.osteoblast.embedding_gain * deficit);
    ctx.rng(slot, Purpose::Fate).random::<f64>() < chance
}

/// Osteocytes per solid site within `osteocyte.network_reach_um` of `site`.
fn osteocyte_density_around(site: usize, ctx: &Context) -> f64 {
    let l = ctx.lattice;
    let r = (ctx.params.osteocyte.network_reach_um / l.site_um).round().max(1.0) as i64;
    let (mut solid, mut osteocytes) = (0usize, 0usize);
    for (dx, dy, s) in l.window(site, r) {
        if dx * dx + dy * dy <= r * r && l.is_solid(s) {
            solid += 1;
            osteocytes += usize::from(ctx.cells.occupant(s).is_some_and(|o| ctx.cells.kind[o] == CellKind::Osteocyte));
        }
    }
    if solid == 0 { 0.0 } else { osteocytes as f64 / solid as f64 }
}

/// An osteoblast with nothing left to fill: a lining cell on the nearest open site, or
/// apoptosis (SCIENCE §4: 50–70 % die). Buried with no way out, it dies.
fn end_of_formation(site: usize, fate: &mut crate::rng::Stream, ctx: &Context) -> Intent {
    let p = &ctx.params.osteoblast;
    let open = ctx.lattice.neighbours(site).chain([site]).find(|&n| ctx.lattice.is_open(n));
    match open {
        Some(to) if fate.random::<f64>() < p.lining_share => {
            Intent::act(Action::BecomeAt { kind: CellKind::LiningCell, to: Site::from(to) })
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
    if let Some(to) = ctx.uphill_neighbour(site, |n| tgfb.get(n), |_| true) {
        return Some(to);
    }
    // Eroded marrow beside the cell leads towards the cavity floor.
    let eroded = |n: usize| ctx.lattice.eroded[n];
    ctx.free_neighbour(site, rng, eroded).or_else(|| ctx.free_neighbour(site, rng, |_| true))
}
