//! The host species: what a dose in mg/kg or mg/m² amounts to, and the body the section sits
//! in.
//!
//! The tumour scenarios are mouse experiments (human cancer cells grown in immunodeficient
//! mice); homeostasis, estrogen loss, inflammation and the clinical questions are human.
//! Pharmacokinetics follow the species, and so, in the lead's serum compartment, do plasma
//! volume and the marrow the section stands for.

use serde::{Deserialize, Serialize};

/// `patient.species`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Species {
    /// An adult patient.
    #[default]
    Human,
    /// An adult laboratory mouse (the host of the xenograft tumour scenarios).
    Mouse,
}

/// The body of a species' reference adult.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Body {
    /// Body weight, kg: what a dose in mg/kg is multiplied by.
    pub weight_kg: f64,
    /// Body surface area, m²: what a dose in mg/m² is multiplied by.
    pub surface_m2: f64,
    /// Plasma volume, mL.
    pub plasma_volume_ml: f64,
}

impl Species {
    /// Every species, in the order of the scenario docs.
    pub const ALL: [Species; 2] = [Species::Human, Species::Mouse];

    /// The name in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            Species::Human => "human",
            Species::Mouse => "mouse",
        }
    }

    /// The reference adult of the species.
    ///
    /// - Human: 70 kg (ICRP Publication 89, 2002, reference adult male 73 kg, female 60 kg;
    ///   70 kg is the usual pharmacokinetic reference), body surface 1.8 m² (DuBois & DuBois
    ///   1916 for 70 kg and 170 cm: 1.81 m²), plasma volume 3.0 L (about 43 mL/kg; blood
    ///   about 70 mL/kg at a haematocrit of 0.4).
    /// - Mouse: 25 g (an adult nude or C57BL/6 mouse of the xenograft studies is 20–30 g),
    ///   body surface 0.0084 m² from Meeh's formula `k · W^(2/3)` with k ≈ 9.8 for mice (the
    ///   FDA's 2005 starting-dose guidance lists 0.007 m² for 20 g, the same formula), plasma
    ///   volume 1.0 mL (blood 72 mL/kg, Diehl
    ///   et al. 2001, J Appl Toxicol 21:15, at a haematocrit of 0.45).
    pub fn body(self) -> Body {
        match self {
            Species::Human => Body { weight_kg: 70.0, surface_m2: 1.8, plasma_volume_ml: 3000.0 },
            Species::Mouse => Body { weight_kg: 0.025, surface_m2: 0.0084, plasma_volume_ml: 1.0 },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mouse_surface_follows_meeh_and_plasma_follows_blood_volume() {
        let m = Species::Mouse.body();
        let meeh_cm2 = 9.82 * (m.weight_kg * 1000.0).powf(2.0 / 3.0);
        assert!((m.surface_m2 - meeh_cm2 / 1e4).abs() < 0.0002, "{meeh_cm2} cm²");
        let blood_ml = 72.0 * m.weight_kg;
        assert!((m.plasma_volume_ml - blood_ml * 0.55).abs() < 0.05);
        // The usual human/mouse dose conversion (FDA 2005: Km 37 vs 3) follows from the
        // surfaces: mg/kg × (weight / surface) is mg/m².
        let km = |s: Species| s.body().weight_kg / s.body().surface_m2;
        assert!((km(Species::Human) - 37.0).abs() < 2.0 && (km(Species::Mouse) - 3.0).abs() < 0.1);
    }

    #[test]
    fn the_serum_compartment_has_the_species_plasma_volume() {
        for species in Species::ALL {
            let serum = crate::params::ModelParams::for_species(species).serum.plasma_volume_ml;
            assert_eq!(serum, species.body().plasma_volume_ml, "{}", species.name());
        }
    }
}
