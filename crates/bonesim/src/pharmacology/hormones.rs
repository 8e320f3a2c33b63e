//! The host's sex hormones under therapy.
//!
//! 17β-estradiol and testosterone damp NF-κB (and estradiol STAT3) in the signalling
//! ([`crate::biology::signalling::Host`]), on a scale where 1 is the normal level of the
//! species. A replacement adds its plasma level on that scale to what the patient makes
//! (`patient.estrogen`, `patient.testosterone`). Androgen deprivation with a GnRH antagonist
//! (degarelix) blocks the pituitary drive of the testes: the patient's own testosterone falls
//! towards what the unblocked drive keeps, following the drive with a half-life of
//! [`TESTOSTERONE_AXIS_HALF_LIFE_H`] (an indirect-response model; castrate within three days
//! of 240 mg, as the label reports).

use super::drugs::{
    DEGARELIX_IC50_MG_L, MALE_ESTRADIOL_FROM_TESTOSTERONE, TESTOSTERONE_AXIS_HALF_LIFE_H, normal_estradiol_mg_l,
    normal_testosterone_mg_l,
};
use super::species::Species;
use crate::scenario::{PatientSettings, Sex};
use serde::{Deserialize, Serialize};

/// The pituitary–testis axis: how much of the patient's own testosterone is still made.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TestosteroneAxis {
    production: f64,
}

impl Default for TestosteroneAxis {
    fn default() -> Self {
        TestosteroneAxis { production: 1.0 }
    }
}

impl TestosteroneAxis {
    /// Share of the patient's own testosterone production left, 0–1.
    pub fn production(&self) -> f64 {
        self.production
    }

    /// Follows the drive left by `degarelix_mg_l` of the GnRH antagonist over `dt_h` hours
    /// (exact for a drive held constant over the step).
    pub fn step(&mut self, degarelix_mg_l: f64, dt_h: f64) {
        let drive = 1.0 - degarelix_mg_l / (degarelix_mg_l + DEGARELIX_IC50_MG_L);
        let k = std::f64::consts::LN_2 / TESTOSTERONE_AXIS_HALF_LIFE_H;
        self.production = drive + (self.production - drive) * (-k * dt_h).exp();
    }
}

/// Estradiol and testosterone of the host (1 = normal for `species`): the patient's own, plus
/// the replacements' plasma levels (mg/L) on the same scale. A man's own estradiol follows his
/// testosterone (own and replaced) for [`MALE_ESTRADIOL_FROM_TESTOSTERONE`] of it, so androgen
/// deprivation lowers it; a woman's does not.
pub fn host_levels(
    patient: &PatientSettings,
    species: Species,
    estradiol_mg_l: f64,
    testosterone_mg_l: f64,
    own_testosterone_production: f64,
) -> (f64, f64) {
    let testosterone =
        patient.testosterone * own_testosterone_production + testosterone_mg_l / normal_testosterone_mg_l(species);
    let own_estrogen = match patient.sex {
        Sex::Female => patient.estrogen,
        Sex::Male => {
            let share = MALE_ESTRADIOL_FROM_TESTOSTERONE;
            patient.estrogen * (1.0 - share + share * testosterone)
        }
    };
    let estrogen = own_estrogen + estradiol_mg_l / normal_estradiol_mg_l(species);
    (estrogen, testosterone)
}
