//! The systemic compartment: blood serum, and challenges that reach every cell at once.
//!
//! Serum IL-6 is the output of the production and clearance the model represents:
//!
//! ```text
//! dC/dt = P_body + J · (represented marrow / section volume) / plasma volume − k_eff C
//! ```
//!
//! - `P_body`, the rest of the body's production, is a declared compartment of host cells
//!   like the marrow's: it answers the basal inflammatory tone, the hormones and a systemic
//!   challenge exactly as a marrow stromal cell does (NF-κB and PGE2 routes, estradiol
//!   damping), and is zero in an IL-6 knockout host. Its healthy level is set so that a
//!   healthy host's serum holds `serum.il6_healthy_pg_ml` against clearance.
//! - `J` is what the simulated section releases into blood through its vessels; the section
//!   stands for `serum.represented_marrow_ml` of marrow like it.
//! - `k_eff` is plasma clearance (`serum.il6_half_life_h`), of which a share is uptake through
//!   IL-6 receptors (`serum.il6_receptor_clearance_share`): blocking IL-6R slows it.
//!
//! Soluble IL-6R is a healthy baseline plus what the bone sheds, cleared with its plasma
//! half-life. Healthy serum IL-6 is 1–5 pg/mL, metastatic disease 5–20 with a tail to 60
//! (SCIENCE §6).

use crate::params::parameter_group;
use serde::{Deserialize, Serialize};

parameter_group! {
    /// Blood serum and the exchange with it.
    pub struct SerumParams {
        /// Exchange between tissue and blood at a vessel site, per hour: how fast IL-6 and
        /// sIL-6R at a vessel site leave into blood, and serum levels enter. Marrow sinusoids
        /// are leaky, so vessels drain most of the IL-6 made near them. Tuned.
        vessel_exchange_per_h: 20.0, range 0.0 => 10000.0;
        /// Plasma volume, mL (an adult's ~3 L; a mouse's in the mouse defaults).
        plasma_volume_ml: 3000.0, range 1e-3 => 1e5;
        /// Marrow the simulated section stands for, mL: the serum sees every section of the
        /// body like it. Tuned so that metastatic serum IL-6 falls in its range (SCIENCE §6).
        represented_marrow_ml: 200.0, range 0.0 => 1e5;
        /// Serum IL-6 of a healthy host, pg/mL: it sets the rest of the body's IL-6
        /// production, which then rises and falls with what the body's cells feel (SCIENCE §6:
        /// healthy serum IL-6 1–5 pg/mL; many assays report < 5).
        il6_healthy_pg_ml: 1.5, range 0.0 => 1000.0;
        /// Fold rise of the rest of the body's IL-6 production at full NF-κB activity of its
        /// monocytes and macrophages. Tuned so that a standard LPS challenge raises serum IL-6
        /// tens-fold within hours, as endotoxin does in people (plasma IL-6 peaks 2–3 h after
        /// a low dose; van Deventer et al. 1990, Blood 76:2520).
        body_il6_nfkb_gain: 100.0, range 0.0 => 1e5;
        /// Plasma half-life of IL-6, hours (SCIENCE §5: 0.38 h).
        il6_half_life_h: 0.38, range 0.01 => 1000.0;
        /// Share of IL-6's plasma clearance that is uptake through IL-6 receptors:
        /// hepatocytes take up IL-6 through its receptor (Castell et al. 1988, Eur J Biochem
        /// 177:357), and blocking IL-6R raises serum IL-6 (Nishimoto et al. 2008, Blood
        /// 112:3959). The split is not measured; taken as a half.
        il6_receptor_clearance_share: 0.5, range 0.0 => 1.0;
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

/// Molar concentration from a mass concentration `mass_per_ml` in units of `grams_per_unit`
/// grams per mL, of a factor of `g_per_mol`.
fn molar(mass_per_ml: f64, g_per_mol: f64, grams_per_unit: f64) -> f64 {
    mass_per_ml * grams_per_unit * 1000.0 / g_per_mol
}

/// What drives serum this tick besides its own state.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SerumInputs {
    /// IL-6 the section releases into blood, mol/s.
    pub il6_from_bone_mol_s: f64,
    /// sIL-6R the section releases into blood, mol/s.
    pub sil6r_from_bone_mol_s: f64,
    /// The rest of the body's IL-6 production relative to a healthy host's (0 in an IL-6
    /// knockout host).
    pub body_il6_fold: f64,
    /// Share of the IL-6 receptors that clear IL-6 from plasma left free (1 unless blocked).
    pub il6_receptors_free: f64,
    /// Volume of the simulated section, mL.
    pub section_ml: f64,
}

/// Blood serum.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Serum {
    /// IL-6, M.
    pub il6_m: f64,
    /// sIL-6R added by bone to the healthy baseline, M.
    pub sil6r_from_bone_m: f64,
}

impl Serum {
    /// Plasma clearance of IL-6, 1/s, with `free` of its receptors unblocked.
    fn il6_clearance_per_s(p: &SerumParams, free: f64) -> f64 {
        let k = std::f64::consts::LN_2 / (p.il6_half_life_h * 3600.0);
        k * (1.0 - p.il6_receptor_clearance_share * (1.0 - free.clamp(0.0, 1.0)))
    }

    /// The rest of the body's IL-6 production at `fold` of a healthy host's, M/s.
    fn body_production_m_s(p: &SerumParams, fold: f64) -> f64 {
        molar(p.il6_healthy_pg_ml, IL6_G_PER_MOL, 1e-12) * Self::il6_clearance_per_s(p, 1.0) * fold
    }

    /// The serum these inputs hold at steady state.
    pub fn steady(inputs: &SerumInputs, p: &SerumParams) -> Serum {
        let mut serum = Serum::default();
        serum.step(inputs, f64::INFINITY, p);
        serum
    }

    /// Advances by `dt_s` (exactly, for inputs constant over the step).
    pub fn step(&mut self, i: &SerumInputs, dt_s: f64, p: &SerumParams) {
        let scale = if i.section_ml > 0.0 { p.represented_marrow_ml / i.section_ml } else { 0.0 };
        let plasma_l = p.plasma_volume_ml / 1000.0;
        let relax = |c: &mut f64, production_m_s: f64, k: f64| {
            let steady = production_m_s / k;
            *c = steady + (*c - steady) * (-k * dt_s).exp();
        };
        let il6_in = Self::body_production_m_s(p, i.body_il6_fold) + i.il6_from_bone_mol_s * scale / plasma_l;
        relax(&mut self.il6_m, il6_in, Self::il6_clearance_per_s(p, i.il6_receptors_free));
        let k_sil6r = std::f64::consts::LN_2 / (p.sil6r_half_life_h * 3600.0);
        relax(&mut self.sil6r_from_bone_m, i.sil6r_from_bone_mol_s * scale / plasma_l, k_sil6r);
    }

    /// Serum IL-6, pg/mL.
    pub fn il6_pg_ml(&self) -> f64 {
        self.il6_m * IL6_G_PER_MOL * 1e9
    }

    /// Serum sIL-6R, ng/mL.
    pub fn sil6r_ng_ml(&self, p: &SerumParams) -> f64 {
        p.sil6r_baseline_ng_ml + self.sil6r_from_bone_m * SIL6R_G_PER_MOL * 1e6
    }

    /// Serum IL-6, pM.
    pub fn il6_pm(&self) -> f64 {
        self.il6_m * 1e12
    }

    /// Serum sIL-6R, pM.
    pub fn sil6r_pm(&self, p: &SerumParams) -> f64 {
        molar(self.sil6r_ng_ml(p), SIL6R_G_PER_MOL, 1e-9) * 1e12
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn healthy_inputs() -> SerumInputs {
        SerumInputs {
            il6_from_bone_mol_s: 0.0,
            sil6r_from_bone_mol_s: 0.0,
            body_il6_fold: 1.0,
            il6_receptors_free: 1.0,
            section_ml: 1e-3,
        }
    }

    #[test]
    fn healthy_serum_sil6r_is_about_one_nanomolar() {
        // SCIENCE §6: 40–80 ng/mL is about 1 nM.
        let p = SerumParams::default();
        let pm = Serum::default().sil6r_pm(&p);
        assert!((800.0..1200.0).contains(&pm), "{pm} pM");
    }

    #[test]
    fn serum_il6_is_production_over_clearance() {
        let p = SerumParams::default();
        let healthy = Serum::steady(&healthy_inputs(), &p);
        assert!((healthy.il6_pg_ml() - p.il6_healthy_pg_ml).abs() < 1e-9);
        // Twice the body's production, twice the serum level.
        let doubled = Serum::steady(&SerumInputs { body_il6_fold: 2.0, ..healthy_inputs() }, &p);
        assert!((doubled.il6_pg_ml() / healthy.il6_pg_ml() - 2.0).abs() < 1e-9);
        // Bone's release adds release × scale / (plasma volume × k).
        let release = 1e-18;
        let with_bone = Serum::steady(&SerumInputs { il6_from_bone_mol_s: release, ..healthy_inputs() }, &p);
        let k = std::f64::consts::LN_2 / (p.il6_half_life_h * 3600.0);
        let added = release * (p.represented_marrow_ml / 1e-3) / (p.plasma_volume_ml / 1000.0) / k;
        assert!(((with_bone.il6_m - healthy.il6_m) / added - 1.0).abs() < 1e-9);
    }

    #[test]
    fn blocking_receptors_slows_clearance_and_raises_serum_il6() {
        let p = SerumParams::default();
        let blocked = Serum::steady(&SerumInputs { il6_receptors_free: 0.0, ..healthy_inputs() }, &p);
        let expected = p.il6_healthy_pg_ml / (1.0 - p.il6_receptor_clearance_share);
        assert!((blocked.il6_pg_ml() / expected - 1.0).abs() < 1e-9);
    }

    #[test]
    fn serum_relaxes_with_the_plasma_half_life() {
        let p = SerumParams::default();
        let mut serum = Serum::steady(&healthy_inputs(), &p);
        let start = serum.il6_pg_ml();
        let tripled = SerumInputs { body_il6_fold: 3.0, ..healthy_inputs() };
        serum.step(&tripled, p.il6_half_life_h * 3600.0, &p);
        // One half-life covers half the way from 1× to 3×.
        assert!((serum.il6_pg_ml() / start - 2.0).abs() < 1e-9, "{}", serum.il6_pg_ml() / start);
    }
}
