//! Osteocytes: embedded in bone, the main source of RANKL in adult bone (Nakashima et al.
//! 2011, Nat Med 17:1231; Xiong et al. 2011, Nat Med 17:1235), and the cells that choose
//! where bone is remodeled. When an osteocyte dies (ageing, microdamage) its neighbours
//! raise RANKL for a while (Kennedy et al. 2012, Bone 50:1115), which calls osteoclasts to
//! that spot: targeted remodeling. Osteocytes inside bone that is resorbed die with it.

use super::{Action, Context, Intent};
use crate::params::parameter_group;
use crate::rng::Purpose;
use rand::Rng;

parameter_group! {
    /// Osteocytes.
    pub struct OsteocyteParams {
        /// Osteocytes per bone site at the start: about 25 000/mm³ (SCIENCE §4: 90–95 % of
        /// bone cells) in a slice one site thick.
        density: 0.033, range 0.0 => 1.0;
        /// RANKL made by a resting osteocyte and reaching the marrow, molecules/h. Tuned so
        /// that resting bone surfaces see free RANKL well below RANK's half occupancy.
        rankl_molecules_per_h: 40.0, range 0.0 => 1e7;
        /// Fold rise of RANKL in osteocytes near a dying one (Kennedy et al. 2012; the fold
        /// is not measured in vivo and is tuned to start a remodeling event).
        alarm_rankl_fold: 40.0, range 1.0 => 1e4;
        /// Reach of the signal from a dying osteocyte to its neighbours, µm (through the
        /// lacuno-canalicular network; Kennedy et al. 2012 saw RANKL within ~100 µm).
        alarm_radius_um: 60.0, range 0.0 => 1000.0;
        /// How long the neighbours keep RANKL raised, days.
        alarm_days: 10.0, range 0.0 => 365.0;
        /// Apoptosis per osteocyte per year. Sets how often remodeling starts; tuned to an
        /// adult turnover of about 10 % of bone a year (SCIENCE §4).
        apoptosis_per_year: 0.03, range 0.0 => 100.0;
    }
}

/// An osteocyte: it lives for decades, or dies by apoptosis.
pub fn decide(slot: usize, ctx: &Context) -> Intent {
    let per_day = ctx.params.osteocyte.apoptosis_per_year / 365.25;
    let mut rng = ctx.rng(slot, Purpose::Decide);
    if rng.random::<f64>() < ctx.chance(per_day) {
        return Intent::act(Action::Die);
    }
    Intent::STAY
}

/// RANKL made by the osteocyte in `slot` this tick, molecules/h.
pub fn rankl_molecules_per_h(slot: usize, ctx: &Context) -> f64 {
    let p = &ctx.params.osteocyte;
    let alarmed = ctx.tick < ctx.cells.until_tick[slot];
    p.rankl_molecules_per_h * if alarmed { p.alarm_rankl_fold } else { 1.0 }
}
