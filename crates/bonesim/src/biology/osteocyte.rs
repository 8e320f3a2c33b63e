//! Osteocytes: embedded in bone, the main source of RANKL in adult bone (Nakashima et al.
//! 2011, Nat Med 17:1231; Xiong et al. 2011, Nat Med 17:1235), and the cells that choose
//! where bone is remodeled. When an osteocyte dies (ageing, microdamage) its neighbours
//! raise RANKL for a while (Kennedy et al. 2012, Bone 50:1115), which calls osteoclasts to
//! that spot: targeted remodeling. Osteocytes inside bone that is resorbed die with it.

use super::{Action, Context, Intent, Signals};
use crate::field::FieldId;
use crate::params::parameter_group;
use crate::rng::Purpose;
use rand::Rng;

parameter_group! {
    /// Osteocytes.
    pub struct OsteocyteParams {
        /// Osteocytes per bone site at the start: about 25 000/mm³ (SCIENCE §4: 90–95 % of
        /// bone cells) in a slice one site thick.
        density: 0.033, range 0.0 => 1.0;
        /// RANKL made by a resting osteocyte and presented to the marrow, molecules/h. Tuned
        /// so that resting bone surfaces see free RANKL well below RANK's half occupancy (60,
        /// scaled by 1/1.8 when TNF-α's potentiation of RANKL came in: healthy marrow's
        /// TNF-α makes precursors answer RANKL about 1.8-fold, `osteoclast.tnf_rankl_potentiation`;
        /// then by 1/1.057 when osteocytes came to answer STAT3 and PGE2: healthy adult marrow's
        /// IL-6 and PGE2 raise their RANKL 1.057-fold at the outlets (STAT3 0.025, EP
        /// occupancy 0.0024, days 60–120 of `homeostasis`, 200 × 200, seed 1).
        rankl_molecules_per_h: 31.5, range 0.0 => 1e7;
        /// Fold rise of RANKL in osteocytes near a dying one (Kennedy et al. 2012; the fold
        /// is not measured in vivo and is tuned so that an event's surface RANKL reaches
        /// RANK's half occupancy).
        alarm_rankl_fold: 100.0, range 1.0 => 1e5;
        /// Fold rise of an osteocyte's RANKL at full PTH1R occupancy where it presents it:
        /// PTH receptor signalling in osteocytes drives resorption by raising RANKL directly
        /// (Ben-awadh et al. 2014, Endocrinology 155:2797; constitutively active PTH1R in
        /// osteocytes raised RANKL, O'Brien et al. 2008, PLoS One 3:e2942), so a tumour's
        /// PTHrP reaches the skeleton's main RANKL source. The fold in vivo is not measured;
        /// tuned to half the lineage's (`osteoblast.rankl_pthrp_gain`): with it, a breast
        /// lesion's osteoclasts fall by about a fifth without PTHrP, where without it they
        /// did not fall at all (RANKL from stroma is a small share of the marrow's).
        rankl_pthrp_gain: 4.0, range 0.0 => 1000.0;
        /// Fold rise of an osteocyte's RANKL at full STAT3 where it presents it: IL-6 raises
        /// RANKL in osteocytes through JAK2/STAT3 and so their support of osteoclast
        /// formation (Wu et al. 2017, Cell Physiol Biochem 41:1360), and IL-6 trans-signalling
        /// raises osteocyte RANKL in vivo (McGregor et al. 2019, J Biol Chem 294:7850). The
        /// fold in vivo is not measured; taken as half the lineage's
        /// (`osteoblast.rankl_stat3_gain`), as for PTHrP: at the lineage's 4, bone holding
        /// zoledronic acid in a breast lesion lost half as much as untreated bone instead of a
        /// fifth, its osteoclasts replaced faster than the drug kills them.
        rankl_stat3_gain: 2.0, range 0.0 => 1000.0;
        /// Fold rise of an osteocyte's RANKL at full EP receptor occupancy: osteocytes carry
        /// the EP2 and EP4 receptors (Kitase et al. 2010, J Bone Miner Res 25:2657), whose
        /// cAMP–CREB signal binds the RANKL promoter as PTH1R's does (Park et al. 2017, Int J
        /// Mol Sci 18:495). The fold in vivo is not measured; taken as the lineage's
        /// (`osteoblast.rankl_pge2_gain`, seed ref 82).
        rankl_pge2_gain: 3.0, range 0.0 => 1000.0;
        /// Reach of the signal from a dying osteocyte to its neighbours, µm (through the
        /// lacuno-canalicular network; Kennedy et al. 2012 saw RANKL within ~100 µm).
        alarm_radius_um: 80.0, range 0.0 => 1000.0;
        /// Reach of an osteocyte's dendrites, µm: its RANKL is presented on the nearest bone
        /// surface within this distance (dendrites run ~50 µm through the canaliculi to the
        /// surface; Bonewald 2011, J Bone Miner Res 26:229). Deeper osteocytes release it in
        /// the bone around them.
        dendrite_reach_um: 50.0, range 0.0 => 500.0;
        /// Reach of the osteocyte network an osteoblast senses when it is buried or not, µm:
        /// two dendrite lengths, the osteocytes it touches and theirs (see
        /// `osteoblast.embedding_gain`). It takes in the osteocytes lost where remodeling was
        /// called to a dying one (`alarm_radius_um`).
        network_reach_um: 100.0, range 10.0 => 1000.0;
        /// How long the neighbours keep RANKL raised, days.
        alarm_days: 7.0, range 0.0 => 365.0;
        /// Apoptosis per osteocyte per year: a mean life of over 30 years (osteocytes live
        /// for decades; SCIENCE §4). Each death calls for remodeling, so this sets how often
        /// targeted remodeling starts; tuned with `alarm_radius_um` to an adult turnover of
        /// 5–10 % of trabecular bone a year (SCIENCE §4: the skeleton about 10 %/yr) while
        /// the osteocyte population, replenished by osteoblasts embedding in new bone, holds
        /// over a decade.
        apoptosis_per_year: 0.03, range 0.0 => 100.0;
        /// Rise of osteocyte apoptosis with full estrogen loss, as a fold: withdrawal of
        /// estrogen makes osteocytes die 2–3 times as often (Tomkinson et al. 1997, J Clin
        /// Endocrinol Metab 82:3128). A route from estrogen to bone that needs no IL-6
        /// (SCIENCE §8).
        estrogen_loss_apoptosis_gain: 2.0, range 0.0 => 100.0;
        /// Rise of osteocyte apoptosis with full testosterone loss, as a fold: androgens
        /// protect osteocytes and osteoblasts from apoptosis through the same nongenotropic
        /// signalling as estrogens (Kousteni et al. 2001, Cell 104:719), so androgen
        /// deprivation costs bone even where NF-κB is calm. Taken as the estrogen fold.
        testosterone_loss_apoptosis_gain: 2.0, range 0.0 => 100.0;
    }
}

/// An osteocyte: it lives for decades, or dies by apoptosis, more often without estrogen or
/// testosterone.
pub fn decide(slot: usize, ctx: &Context) -> Intent {
    let p = &ctx.params.osteocyte;
    let h = ctx.host;
    let gain =
        p.estrogen_loss_apoptosis_gain * h.estrogen_loss() + p.testosterone_loss_apoptosis_gain * h.testosterone_loss();
    let per_day = p.apoptosis_per_year * (1.0 + gain) / 365.25;
    let mut rng = ctx.rng(slot, Purpose::Decide);
    if rng.random::<f64>() < ctx.chance(per_day) {
        return Intent::act(Action::Die);
    }
    Intent::STAY
}

/// What an osteocyte secretes: RANKL, presented at its outlet on the bone surface, raised
/// when it is alarmed by a dying neighbour and by what it senses there (`s`, read at the
/// outlet): PTHrP, IL-6 through STAT3, and PGE2.
pub fn secrete(slot: usize, s: &Signals, ctx: &Context, emit: &mut crate::biology::Emit) {
    let p = &ctx.params.osteocyte;
    let outlet = ctx.cells.outlet[slot] as usize;
    let alarmed = ctx.tick < ctx.cells.until_tick[slot];
    emit(
        FieldId::Rankl,
        outlet,
        p.rankl_molecules_per_h * if alarmed { p.alarm_rankl_fold } else { 1.0 } * rankl_induction(s, p),
    );
}

/// Fold change of an osteocyte's RANKL with what it senses at its outlet.
pub fn rankl_induction(s: &Signals, p: &OsteocyteParams) -> f64 {
    1.0 + p.rankl_pthrp_gain * s.pthrp + p.rankl_stat3_gain * s.stat3 + p.rankl_pge2_gain * s.pge2
}

/// The open site nearest `site` within `reach` sites (by squared distance, then site order),
/// or `site` itself if there is none: where an osteocyte's dendrites present its RANKL.
pub fn outlet(site: usize, reach: usize, lattice: &crate::lattice::Lattice) -> usize {
    let r = reach as i64;
    let mut best: Option<(i64, usize)> = None;
    for (dx, dy, s) in lattice.window(site, r) {
        let d2 = dx * dx + dy * dy;
        if d2 <= r * r && lattice.is_open(s) && best.is_none_or(|(b, bs)| (d2, s) < (b, bs)) {
            best = Some((d2, s));
        }
    }
    best.map_or(site, |(_, s)| s)
}
