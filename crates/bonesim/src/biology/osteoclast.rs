//! The osteoclast lineage (seed Figure 1A): monocyte precursors enter from vessels; M-CSF
//! keeps them alive; on a bone surface, RANKL not held by the decoy OPG commits them to
//! pre-osteoclasts; pre-osteoclasts fuse into multinucleated osteoclasts, which resorb the
//! bone beside them while RANKL supports them and die after about two weeks.
//!
//! RANKL is not the only support: IL-6, IL-1β, TNF-α, IL-17 and PGE2 drive osteoclast
//! formation *and* resorption where RANKL is limited (seed refs 78–83: RANKL inhibitors fail
//! to stop IL-6-driven osteoclastogenesis and resorption). Their drives join RANK's signal in
//! one "support" signal that commits precursors, sets an osteoclast's activity and lengthens
//! its life. They cannot stand in for RANKL entirely: together they give at most about half
//! of full support, and RANKL stays limiting wherever it is (TNF-α needs permissive RANKL
//! to make osteoclasts efficiently; Lam et al. 2000).

use super::{Action, Context, Intent, Signals, TissueAction};
use crate::cells::CellKind;
use crate::field::FieldId;
use crate::lattice::Site;
use crate::params::parameter_group;
use crate::rng::Purpose;
use rand::Rng;

parameter_group! {
    /// Osteoclast lineage.
    pub struct OsteoclastParams {
        /// Precursors entering the marrow from one vessel per day. Tuned so that about a
        /// thousand are in a 4 × 4 mm section at any time; osteoclast nuclei turn over about
        /// 8 %/day from circulating precursors (Parfitt 1994, SCIENCE §4).
        precursor_arrival_per_vessel_day: 1.5, range 0.0 => 100.0;
        /// Mean life of a precursor with full M-CSF support, days; without M-CSF it is half
        /// as long (M-CSF is the survival factor of the lineage, seed Figure 1A).
        precursor_lifespan_days: 4.0, range 0.1 => 100.0;
        /// M-CSF at which c-Fms is half occupied, pM (of the order of its Kd, 10–100 pM).
        mcsf_half_pm: 20.0, range 0.001 => 10000.0;
        /// Free RANKL at which RANK is half occupied, pM (RANKL–RANK K_A ≈ 0.03/pM,
        /// Lemaire et al. 2004).
        rank_half_pm: 20.0, range 0.001 => 10000.0;
        /// Dissociation constant of RANKL from OPG, pM (K_A ≈ 1e-3/pM, Lemaire et al. 2004,
        /// SCIENCE §2).
        opg_kd_pm: 1000.0, range 0.001 => 1e6;
        /// Commitment of a precursor on a bone surface per day at full RANK and c-Fms
        /// signal (RANKL drives the late, M-CSF the early stages; seed Figure 1).
        commitment_per_day: 8.0, range 0.0 => 100.0;
        /// Steepness of commitment in RANK occupancy (Hill coefficient): RANK signalling
        /// switches on NFATc1, which amplifies its own expression (Takayanagi et al. 2002,
        /// Dev Cell 3:889), so commitment rises steeply where RANKL is high.
        commitment_hill: 2.0, range 1.0 => 8.0;
        /// Commitment drive of IL-1β at full IL-1R1 occupancy, as a share of full RANK
        /// signal: IL-6 induces pro-osteoclastic factors that act without RANKL, IL-1β among
        /// them (seed refs 78–79, 83), so RANKL inhibitors do not stop IL-6-driven
        /// osteoclastogenesis.
        il1b_drive: 0.3, range 0.0 => 10.0;
        /// Commitment drive of PGE2 at full EP receptor occupancy (seed ref 82).
        pge2_drive: 0.2, range 0.0 => 10.0;
        /// Commitment drive of IL-6 on precursors themselves at full STAT3 (seed refs 78–79).
        il6_drive: 0.2, range 0.0 => 10.0;
        /// Commitment drive of IL-17 at full IL-17R occupancy: IL-17 from IL-6-activated T
        /// cells is pro-osteoclastogenic (seed refs 55–57), also on monocytes without
        /// osteoblasts (Yago et al. 2009, J Cell Biochem 108:947).
        il17_drive: 0.2, range 0.0 => 10.0;
        /// Drive of TNF-α at full TNFR1 occupancy, as a share of full RANK signal: TNF-α
        /// makes osteoclasts that resorb without RANKL (Kobayashi et al. 2000, J Exp Med
        /// 191:275) and strongly with permissive RANKL (Lam et al. 2000, J Clin Invest
        /// 106:1481). Tuned. (Each `*_drive` acts on commitment, activity and survival.)
        tnf_drive: 0.4, range 0.0 => 10.0;
        /// Rise of the RANKL a precursor or osteoclast answers at saturating TNF-α, as a
        /// share: TNF-α through TNFR1 (p55) augments RANKL-induced osteoclastogenesis, and
        /// estrogen loss acts on bone through it (Cenci et al. 2000, J Clin Invest 106:1229);
        /// TNF-α synergises with permissive RANKL (Lam et al. 2000). A cell answers RANKL as
        /// if there were `1 + this × TNF / (TNF + tnf_potentiation_half_pm)` times as much.
        /// Tuned with the half to the ovariectomy knock-outs: TNF-deficient mice do not lose
        /// bone (Roggia et al. 2001, PNAS 98:13960); at 2 (with a half of 2 pM) TNF-α took
        /// a fifth of estrogen loss's extra resorption, at 4 (half 1 pM) about three fifths.
        tnf_rankl_potentiation: 4.0, range 0.0 => 100.0;
        /// TNF-α at which its potentiation of RANKL is half full, pM. Tuned with the
        /// potentiation: at 1 pM the healthy marrow's 0.25 pM potentiates RANKL 1.8-fold, an
        /// ovariectomised mouse's 0.5 pM 2.3-fold and an infection's tens of pM about 5-fold.
        tnf_potentiation_half_pm: 1.0, range 1e-3 => 1e6;
        /// Rise of osteoclast life with full estrogen loss, as a share: 17β-estradiol raised
        /// osteoclast apoptosis two- to threefold (Hughes et al. 1996, Nat Med 2:1132), so
        /// without it osteoclasts live about twice as long and dig deeper. A route from
        /// estrogen to bone that needs no IL-6 (SCIENCE §8).
        estrogen_loss_survival: 1.0, range 0.0 => 10.0;
        /// Share of a precursor's or osteoclast's steps taken up the free-RANKL gradient
        /// rather than at random.
        chemotaxis: 0.5, range 0.0 => 1.0;
        /// Steps (to a neighbouring 10 µm site) per hour of a cell of the lineage: monocytes
        /// crawl several µm a minute, but wander rather than run; 0.8 sites an hour.
        motility_steps_per_h: 0.8, range 0.0 => 100.0;
        /// Fusion of a pre-osteoclast with a touching lineage cell, per day.
        fusion_per_day: 6.0, range 0.0 => 100.0;
        /// Mean life of an unfused pre-osteoclast, days.
        preosteoclast_lifespan_days: 4.0, range 0.1 => 100.0;
        /// Nuclei an osteoclast needs to resorb.
        min_nuclei: 3.0, range 1.0 => 50.0;
        /// Most nuclei an osteoclast holds (5–20, SCIENCE §4).
        max_nuclei: 20.0, range 1.0 => 100.0;
        /// Resorption work per nucleus per day at full RANK signal, in sites (10 µm cubes)
        /// of matrix removed. A site clears once it is below half full and the rest falls
        /// into the cavity, so a full site takes half a site of work and a nucleus clears
        /// twice this volume a day. A(BM)² resorbs one 20.8 µm site (9000 µm³) every
        /// 36–72 h (SCIENCE §3): 3–6 of these sites a day for an osteoclast of ~8 nuclei,
        /// 0.375–0.75 sites cleared per nucleus-day. Tuned: 0.42 clears 0.84, a tenth above
        /// that range, which keeps the resorption the lesions and the infection were
        /// calibrated with (at 0.5, when work past a cleared site was lost: 0.6–1.0 sites
        /// cleared per nucleus-day at 1-hour ticks).
        resorption_sites_per_nucleus_day: 0.42, range 0.0 => 10.0;
        /// How far from its centre an osteoclast resorbs, µm: half the width of a cell of
        /// 40–100 µm (SCIENCE §4).
        reach_um: 20.0, range 5.0 => 100.0;
        /// Rate per hour at which an osteoclast with no bone left within reach advances into
        /// the pit it has opened, where that goes deeper into the bone, rather than moving
        /// along the surface.
        pit_advance_per_h: 0.7, range 0.0 => 100.0;
        /// How many sites an osteoclast advances into its own pit. With its reach this sets
        /// the erosion depth: 2 sites of reach plus 3 advances is about 50 µm (erosion depth
        /// 40–60 µm, SCIENCE §4).
        pit_advances: 3.0, range 0.0 => 50.0;
        /// Share of the resorption rate kept without support (RANKL and the cytokines that
        /// can stand in for it drive activity as well as formation; seed Figure 1A).
        basal_activity: 0.3, range 0.0 => 1.0;
        /// Mean life of an osteoclast at half support, days (about two weeks, SCIENCE §4).
        /// RANKL prolongs it, its absence shortens it (Lacey et al. 2000); IL-1 keeps
        /// osteoclasts alive too (Jimi et al. 1999, Exp Cell Res 247:84), and so does the rest
        /// of the support.
        lifespan_days: 14.0, range 0.5 => 365.0;
        /// Shape of the osteoclast life-span distribution (Weibull): 1 is memoryless;
        /// higher values make lives cluster around the mean, as a programmed life of about
        /// two weeks does.
        lifespan_shape: 3.0, range 1.0 => 10.0;
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
    if ctx.lattice.is_surface(site) && rng.random::<f64>() < ctx.chance(commitment_per_day(s, p)) {
        return Intent::act(Action::Become { kind: CellKind::PreOsteoclast });
    }
    wander(site, &mut rng, ctx, |_| true).map_or(Intent::STAY, |to| Intent::act(Action::Move { to: Site::from(to) }))
}

/// The support of the osteoclast lineage, 0–1: RANKL through RANK, or the RANKL-independent
/// drives of IL-1β, TNF-α, PGE2, IL-6 and IL-17 (they converge on NF-κB and NFATc1). The
/// drives' sum `D` acts as a signal `D / (1 + D)` (0.57 with every drive at its full value),
/// combined with RANK's occupancy `R` as either of two: `R + (1 − R) D / (1 + D)`.
/// So the drives make osteoclasts where RANKL is blocked, yet never saturate support on their
/// own, and less RANKL means less support wherever the drives are.
pub fn support(s: &Signals, p: &OsteoclastParams) -> f64 {
    let drives = p.il1b_drive * s.il1b
        + p.tnf_drive * s.tnf
        + p.pge2_drive * s.pge2
        + p.il6_drive * s.stat3
        + p.il17_drive * s.il17;
    let independent = drives / (1.0 + drives);
    s.rank + (1.0 - s.rank) * independent
}

/// How many times the free RANKL a cell of the lineage answers TNF-α at `tnf_pm` makes it
/// seem (Cenci et al. 2000; Lam et al. 2000): 1 without TNF-α.
pub fn tnf_rankl_fold(tnf_pm: f64, p: &OsteoclastParams) -> f64 {
    1.0 + p.tnf_rankl_potentiation * super::signalling::occupancy(tnf_pm, p.tnf_potentiation_half_pm)
}

/// Commitment rate of a precursor on a bone surface, per day: the support through one
/// switch; M-CSF throughout.
fn commitment_per_day(s: &Signals, p: &OsteoclastParams) -> f64 {
    p.commitment_per_day * support(s, p).powf(p.commitment_hill) * s.c_fms
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
            return Intent::act(Action::Fuse { with: Site::from(partner) });
        }
        return Intent::STAY;
    }
    let on_surface = |s: usize| ctx.lattice.is_surface(s);
    wander(site, &mut rng, ctx, on_surface).map_or(Intent::STAY, |to| Intent::act(Action::Move { to: Site::from(to) }))
}

/// The cell a pre-osteoclast can fuse into, within `FUSION_REACH` sites (pre-osteoclasts
/// reach out and migrate to each other): the osteoclast with the most nuclei that has room
/// for more, else the nearest pre-osteoclast with a higher id (so that of two pre-osteoclasts
/// only one moves into the other). Ties go to the first in site order.
fn fusion_partner(slot: usize, site: usize, ctx: &Context) -> Option<usize> {
    const FUSION_REACH: i64 = 2;
    let max = ctx.params.osteoclast.max_nuclei as u16;
    let cells = ctx.cells;
    let mut osteoclast: Option<(u16, usize)> = None;
    let mut pre: Option<(i64, usize)> = None;
    for (dx, dy, n) in ctx.lattice.window(site, FUSION_REACH) {
        let Some(other) = cells.occupant(n).filter(|_| (dx, dy) != (0, 0)) else { continue };
        match cells.kind[other] {
            CellKind::Osteoclast
                if cells.nuclei[other] < max && osteoclast.is_none_or(|(k, _)| cells.nuclei[other] > k) =>
            {
                osteoclast = Some((cells.nuclei[other], n));
            }
            CellKind::PreOsteoclast if cells.id[other] > cells.id[slot] => {
                let d2 = dx * dx + dy * dy;
                if pre.is_none_or(|(d, _)| d2 < d) {
                    pre = Some((d2, n));
                }
            }
            _ => {}
        }
    }
    osteoclast.map(|(_, n)| n).or(pre.map(|(_, n)| n))
}

/// An osteoclast: resorb the bone beside it; follow the bone surface up the RANKL gradient
/// when nothing is left in reach; die at the end of a life that RANKL lengthens.
pub fn decide(slot: usize, s: &Signals, ctx: &Context) -> Intent {
    let p = &ctx.params.osteoclast;
    let site = ctx.cells.site[slot] as usize;
    let mut rng = ctx.rng(slot, Purpose::Decide);
    let life = 1.0 + p.estrogen_loss_survival * ctx.host.estrogen_loss();
    if rng.random::<f64>() < ctx.chance(death_per_day(ctx.days_in_kind(slot) / life, s, p) / life) {
        return Intent::act(Action::Die);
    }
    let nuclei = ctx.cells.nuclei[slot] as f64;
    if nuclei >= p.min_nuclei {
        if let Some(target) = resorption_target(site, ctx) {
            let rate = resorption_per_day(nuclei, s, p);
            let amount = (rate * ctx.dt_h / 24.0) as f32;
            let tissue = TissueAction::Resorb { site: Site::from(target), amount };
            // What the matrix held is set free in the lacuna and taken up: a toxin there
            // (a bisphosphonate) may kill the osteoclast as it resorbs.
            let share = super::bone::resorbed_share(ctx.lattice, target, amount);
            let kill = ctx.targets.resorption_kill_chance(target, share);
            if kill > 0.0 && rng.random::<f64>() < kill {
                return Intent { action: Action::Die, tissue };
            }
            return Intent { action: Action::Stay, tissue };
        }
        // Its footprint is cleared: advance into the pit, deeper into the bone, as long as it
        // has advances left (erosion stops at a depth).
        let pit = ctx.lattice.neighbours(site).find(|&n| {
            ctx.lattice.eroded[n] && ctx.lattice.is_open(n) && ctx.cells.is_free(n) && touches_more_bone(n, site, ctx)
        });
        if let Some(to) = pit
            && ctx.cells.divisions_left[slot] > 0
            && rng.random::<f64>() < ctx.chance(24.0 * p.pit_advance_per_h)
        {
            return Intent::act(Action::Advance { to: Site::from(to) });
        }
    }
    let on_surface = |s: usize| ctx.lattice.is_surface(s);
    wander(site, &mut rng, ctx, on_surface).map_or(Intent::STAY, |to| Intent::act(Action::Move { to: Site::from(to) }))
}

/// Death rate of an osteoclast of `age_days`, per day: the hazard of a Weibull life whose
/// mean is `lifespan_days` at half support, stretched by support (a third longer at full
/// support, a third shorter with none).
fn death_per_day(age_days: f64, s: &Signals, p: &OsteoclastParams) -> f64 {
    let k = p.lifespan_shape;
    let mean = p.lifespan_days * (2.0 + 2.0 * support(s, p)) / 3.0;
    let scale = mean / gamma_one_plus(1.0 / k);
    (k / scale) * (age_days.max(0.0) / scale).powf(k - 1.0)
}

/// Γ(1 + x) for 0 ≤ x ≤ 1 (Lanczos-free: a 5-term fit, error below 5e-5 on that range,
/// Abramowitz & Stegun 6.1.35).
fn gamma_one_plus(x: f64) -> f64 {
    let c = [-0.5748646, 0.9512363, -0.6998588, 0.4245549, -0.1010678];
    1.0 + x * (c[0] + x * (c[1] + x * (c[2] + x * (c[3] + x * c[4]))))
}

/// Whether open site `n` touches more bone than `site` does: stepping there goes deeper.
fn touches_more_bone(n: usize, site: usize, ctx: &Context) -> bool {
    let solid = |s: usize| ctx.lattice.neighbours8(s).filter(|&m| ctx.lattice.is_solid(m)).count();
    solid(n) > solid(site)
}

/// Bone resorbed per day, in sites: activity rises with support.
pub fn resorption_per_day(nuclei: f64, s: &Signals, p: &OsteoclastParams) -> f64 {
    nuclei * p.resorption_sites_per_nucleus_day * (p.basal_activity + (1.0 - p.basal_activity) * support(s, p))
}

/// The site to resorb: the solid site within the osteoclast's reach nearest to it (an
/// osteoclast is 40–100 µm across, SCIENCE §4, so it works the bone beneath all of its
/// footprint and digs a broad, rounded pit); among equals the most enclosed (most bone
/// around it), then the one with most RANKL, then the first in site order.
pub fn resorption_target(site: usize, ctx: &Context) -> Option<usize> {
    let l = ctx.lattice;
    let rankl = ctx.fields.values(FieldId::Rankl);
    let reach = (ctx.params.osteoclast.reach_um / l.site_um).round().max(1.0) as i64;
    let mut best: Option<((i64, usize, u64), usize)> = None;
    for (dx, dy, n) in l.window(site, reach) {
        let d2 = dx * dx + dy * dy;
        if d2 == 0 || d2 > reach * reach || !l.is_solid(n) || l.vessel[n] {
            continue;
        }
        let enclosed = l.neighbours8(n).filter(|&m| l.is_solid(m)).count();
        // Lower is better: nearest, then most enclosed, then most RANKL.
        let key = (d2, 8 - enclosed, u64::MAX - rankl.get(n).max(0.0).to_bits());
        if best.is_none_or(|(k, _)| key < k) {
            best = Some((key, n));
        }
    }
    best.map(|(_, n)| n)
}

/// Where a marrow cell of the lineage wanders this tick: each step up the free-RANKL gradient
/// with probability `chemotaxis`, otherwise to a random free neighbour; only onto sites
/// where `accept` holds.
fn wander(
    site: usize,
    rng: &mut crate::rng::Stream,
    ctx: &Context,
    accept: impl Fn(usize) -> bool + Copy,
) -> Option<usize> {
    let p = &ctx.params.osteoclast;
    let steps = ctx.steps(p.motility_steps_per_h, rng);
    ctx.walk(site, steps, |at| {
        if rng.random::<f64>() < p.chemotaxis {
            let free_rankl = |s: usize| {
                let decoy = ctx.targets.at(ctx.fields, s).rankl_decoy;
                super::signalling::free_rankl(ctx.fields, s, ctx.params, decoy)
            };
            if let Some(to) = ctx.uphill_neighbour(at, free_rankl, accept) {
                return Some(to);
            }
        }
        ctx.free_neighbour(at, rng, accept)
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gamma_fit_matches_known_values() {
        // Γ(1) = 1, Γ(1.5) = √π/2, Γ(4/3) = 0.8929795, Γ(2) = 1.
        for (x, g) in [(0.0, 1.0), (0.5, 0.886_226_9), (1.0 / 3.0, 0.892_979_5), (1.0, 1.0)] {
            assert!((gamma_one_plus(x) - g).abs() < 1e-4, "Γ(1 + {x})");
        }
    }

    #[test]
    fn cytokines_support_osteoclasts_without_rankl_but_rankl_stays_limiting() {
        // Every RANKL-independent drive at its full value: support without RANKL, but less
        // than RANKL gives, and more RANKL still means more support (so a RANKL blocker acts
        // in an inflamed lesion too).
        let p = OsteoclastParams::default();
        let inflamed =
            |rank| Signals { rank, il1b: 1.0, tnf: 1.0, pge2: 1.0, stat3: 1.0, il17: 1.0, ..Default::default() };
        let without_rankl = support(&inflamed(0.0), &p);
        assert!(without_rankl > 0.3 && without_rankl < 0.7, "{without_rankl}");
        assert!(support(&inflamed(0.6), &p) > support(&inflamed(0.3), &p) + 0.1);
        assert!(support(&inflamed(1.0), &p) <= 1.0);
    }

    #[test]
    fn mean_osteoclast_life_is_the_lifespan_at_half_rank() {
        // Integrate survival S(t) = exp(−∫h) numerically: its integral is the mean life.
        let p = OsteoclastParams::default();
        let s = Signals { rank: 0.5, ..Default::default() };
        assert_eq!(support(&s, &p), 0.5);
        let dt = 0.01;
        let (mut survival, mut mean, mut t) = (1.0, 0.0, 0.0);
        while survival > 1e-9 {
            mean += survival * dt;
            survival *= (-death_per_day(t + dt / 2.0, &s, &p) * dt).exp();
            t += dt;
        }
        assert!((mean - p.lifespan_days).abs() < 0.05, "mean life {mean}");
    }
}
