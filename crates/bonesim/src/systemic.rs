//! The systemic compartment: blood serum, and challenges that reach every cell at once.
//!
//! IL-6 and soluble IL-6R leave the tissue into blood at vessel sites, and serum factors
//! enter it there. Serum holds what the rest of the body keeps there (a healthy baseline)
//! plus what the bone adds: the section simulated stands for `serum.represented_marrow_ml`
//! of marrow like it, and plasma clears each factor with its plasma half-life:
//!
//! ```text
//! dC/dt = J · (represented volume / section volume) / plasma volume − k C
//! ```
//!
//! with `J` the amount leaving the section through its vessels per second. Healthy serum
//! IL-6 is 1–5 pg/mL, metastatic disease 5–20 with a tail to 60 (SCIENCE §6).

use crate::params::parameter_group;
use serde::{Deserialize, Serialize};

parameter_group! {
    /// Blood serum and the exchange with it.
    pub struct SerumParams {
        /// Exchange between tissue and blood at a vessel site, per hour: how fast IL-6 and
        /// sIL-6R at a vessel site leave into blood, and serum levels enter. Marrow sinusoids
        /// are leaky, so vessels drain most of the IL-6 made near them. Tuned.
        vessel_exchange_per_h: 20.0, range 0.0 => 10000.0;
        /// Plasma volume, mL (an adult's ~3 L).
        plasma_volume_ml: 3000.0, range 1.0 => 1e5;
        /// Marrow the simulated section stands for, mL: the serum sees every section of the
        /// body like it. Tuned so that healthy and metastatic serum IL-6 fall in their
        /// ranges (SCIENCE §6).
        represented_marrow_ml: 200.0, range 0.0 => 1e5;
        /// Serum IL-6 from the rest of the body, pg/mL.
        il6_baseline_pg_ml: 1.5, range 0.0 => 1000.0;
        /// Plasma half-life of IL-6, hours (SCIENCE §5: 0.38 h).
        il6_half_life_h: 0.38, range 0.01 => 1000.0;
        /// Serum sIL-6R from the rest of the body, ng/mL (healthy 40–80; SCIENCE §6).
        sil6r_baseline_ng_ml: 50.0, range 0.0 => 10000.0;
        /// Plasma half-life of sIL-6R, hours (long; taken as a day).
        sil6r_half_life_h: 24.0, range 0.01 => 10000.0;
    }
}

parameter_group! {
    /// Acute inflammatory challenges (`[[inflammation]]` in a scenario).
    pub struct InflammationParams {
        /// Half-life of a challenge in the body, hours: circulating LPS is cleared within
        /// hours, and so is an injected cytokine.
        half_life_h: 3.0, range 0.01 => 1000.0;
        /// Dose of a challenge at which its receptors are half occupied (dose 1 is a standard
        /// challenge).
        half_dose: 0.25, range 1e-6 => 1000.0;
    }
}

/// Molecular weight of IL-6, g/mol (21 kDa).
pub const IL6_G_PER_MOL: f64 = 21_000.0;
/// Molecular weight of soluble IL-6R, g/mol (~50 kDa).
pub const SIL6R_G_PER_MOL: f64 = 50_000.0;

/// Blood serum: the bone's contribution to each factor, on top of what the rest of the body
/// keeps there.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Serum {
    /// The rest of the body's IL-6 relative to its healthy baseline: it answers a systemic
    /// challenge as the marrow's host cells do, and is 0 in an IL-6 knockout host.
    pub body_il6_fold: f64,
    /// IL-6 added by bone, M.
    pub il6_from_bone_m: f64,
    /// sIL-6R added by bone, M.
    pub sil6r_from_bone_m: f64,
}

/// Molar concentration from pg/mL (or ng/mL with `scale` 1e-3) of a factor of `g_per_mol`.
fn molar(mass_per_ml: f64, g_per_mol: f64, grams_per_unit: f64) -> f64 {
    mass_per_ml * grams_per_unit * 1000.0 / g_per_mol
}

impl Default for Serum {
    fn default() -> Self {
        Serum { body_il6_fold: 1.0, il6_from_bone_m: 0.0, sil6r_from_bone_m: 0.0 }
    }
}

impl Serum {
    /// Advances by `dt_s` with the bone releasing `il6_mol_s` and `sil6r_mol_s` into blood.
    pub fn step(&mut self, il6_mol_s: f64, sil6r_mol_s: f64, dt_s: f64, section_ml: f64, p: &SerumParams) {
        let scale = if section_ml > 0.0 { p.represented_marrow_ml / section_ml } else { 0.0 };
        let plasma_l = p.plasma_volume_ml / 1000.0;
        let relax = |c: &mut f64, release: f64, half_life_h: f64| {
            let k = std::f64::consts::LN_2 / (half_life_h * 3600.0);
            let steady = release * scale / plasma_l / k;
            *c = steady + (*c - steady) * (-k * dt_s).exp();
        };
        relax(&mut self.il6_from_bone_m, il6_mol_s, p.il6_half_life_h);
        relax(&mut self.sil6r_from_bone_m, sil6r_mol_s, p.sil6r_half_life_h);
    }

    /// Serum IL-6, pg/mL.
    pub fn il6_pg_ml(&self, p: &SerumParams) -> f64 {
        p.il6_baseline_pg_ml * self.body_il6_fold + self.il6_from_bone_m * IL6_G_PER_MOL * 1e9
    }

    /// Serum sIL-6R, ng/mL.
    pub fn sil6r_ng_ml(&self, p: &SerumParams) -> f64 {
        p.sil6r_baseline_ng_ml + self.sil6r_from_bone_m * SIL6R_G_PER_MOL * 1e6
    }

    /// Serum IL-6, pM.
    pub fn il6_pm(&self, p: &SerumParams) -> f64 {
        molar(self.il6_pg_ml(p), IL6_G_PER_MOL, 1e-12) * 1e12
    }

    /// Serum sIL-6R, pM.
    pub fn sil6r_pm(&self, p: &SerumParams) -> f64 {
        molar(self.sil6r_ng_ml(p), SIL6R_G_PER_MOL, 1e-9) * 1e12
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn healthy_serum_sil6r_is_about_one_nanomolar() {
        // SCIENCE §6: 40–80 ng/mL is about 1 nM.
        let p = SerumParams::default();
        let pm = Serum::default().sil6r_pm(&p);
        assert!((800.0..1200.0).contains(&pm), "{pm} pM");
    }

    #[test]
    fn serum_relaxes_to_release_over_clearance() {
        let p = SerumParams::default();
        let mut serum = Serum::default();
        for _ in 0..200 {
            serum.step(1e-18, 0.0, 3600.0, 1.0, &p);
        }
        // Steady state: release × scale / (plasma volume × k).
        let k = std::f64::consts::LN_2 / (p.il6_half_life_h * 3600.0);
        let expected = 1e-18 * p.represented_marrow_ml / 3.0 / k;
        assert!((serum.il6_from_bone_m / expected - 1.0).abs() < 1e-9);
    }
}
