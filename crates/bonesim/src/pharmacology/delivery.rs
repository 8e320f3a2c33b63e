//! Tissue delivery: how a drug in plasma reaches the marrow, as a field of the fields table.
//!
//! Every drug that acts in the tissue has its own field ([`crate::field::FieldId`]), present
//! only in runs that give it. Vessel sites are its source and its way back: at each one the
//! tissue exchanges with the unbound plasma concentration at a rate set by the drug's size
//! ([`TissueDelivery`]): an antibody crosses the vessel wall slowly and drains with lymph, a
//! small molecule or the AMG-220 avimer follows plasma within minutes. In the tissue the drug
//! diffuses (D from its molar mass) and is lost as its field's half-life says.
//!
//! The exchange is a property of tissue volume (PS/V); the lattice holds it at its vessel
//! sites, so a vessel site exchanges `PS/V × sites / vessel sites`.

use super::PlasmaLevel;
use super::drugs::{Drug, TissueDelivery};
use crate::field::FieldId;

/// The field holding `drug` in the tissue, if it acts there.
pub fn tissue_field(drug: Drug) -> Option<FieldId> {
    Some(match drug {
        Drug::Tocilizumab => FieldId::Tocilizumab,
        Drug::Mr16_1 => FieldId::Mr16_1,
        Drug::Siltuximab => FieldId::Siltuximab,
        Drug::Amg220 => FieldId::Amg220,
        Drug::Denosumab => FieldId::Denosumab,
        Drug::OpgFc => FieldId::OpgFc,
        Drug::ZoledronicAcid => FieldId::ZoledronicAcid,
        Drug::Docetaxel => FieldId::Docetaxel,
        Drug::Paclitaxel => FieldId::Paclitaxel,
        Drug::Cxcr4Antagonist => FieldId::Cxcr4Antagonist,
        Drug::NfkbInhibitor => FieldId::NfkbInhibitor,
        Drug::Estradiol | Drug::Testosterone | Drug::Degarelix => return None,
    })
}

/// The drug whose tissue field is `field`, if any.
pub fn drug_of(field: FieldId) -> Option<Drug> {
    Drug::ALL.into_iter().find(|&d| tissue_field(d) == Some(field))
}

/// The unbound plasma concentration of `level`'s drug, pM: what crosses into the tissue.
pub fn unbound_plasma_pm(level: &PlasmaLevel) -> f64 {
    let fu = level.drug.info().tissue.map_or(1.0, |t| t.unbound_fraction);
    level.nanomolar() * 1e3 * fu
}

/// Exchange at one vessel site, 1/s, for `delivery` on a lattice of `sites` with `vessels`
/// vessel sites.
pub fn vessel_exchange_per_s(delivery: &TissueDelivery, sites: usize, vessels: usize) -> f64 {
    if vessels == 0 {
        return 0.0;
    }
    delivery.exchange_per_h / 3600.0 * sites as f64 / vessels as f64
}

/// Diffusion coefficient in marrow of a molecule of `molar_mass_g_per_mol`, µm²/s: the
/// Young–Carroad–Bell correlation at 37 °C (water 0.69 cP), `D = 8.34e-8 T / (η M^⅓)` cm²/s,
/// times 0.4 for tissue, as for every factor (SCIENCE §5).
pub fn tissue_diffusion_um2_s(molar_mass_g_per_mol: f64) -> f64 {
    let free_cm2_s = 8.34e-8 * 310.15 / (0.69 * molar_mass_g_per_mol.cbrt());
    0.4 * free_cm2_s * 1e8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_drug_field_is_its_drugs_and_diffuses_as_its_molar_mass_says() {
        for field in FieldId::ALL.into_iter().filter(|f| f.is_drug()) {
            let drug = drug_of(field).unwrap_or_else(|| panic!("{} belongs to no drug", field.name()));
            assert_eq!(field.name(), drug.name());
            let d = field.default_transport().diffusion_um2_s;
            let expected = tissue_diffusion_um2_s(drug.info().molar_mass_g_per_mol);
            assert!((d / expected - 1.0).abs() < 0.01, "{}: table {d}, from molar mass {expected}", drug.name());
        }
        // Every drug that is not a hormone has a field and a delivery; the hormones neither.
        for drug in Drug::ALL {
            let hormone = drug.info().effect == super::super::drugs::Effect::Hormone;
            assert_eq!(tissue_field(drug).is_none(), hormone, "{}", drug.name());
            assert_eq!(drug.info().tissue.is_none(), hormone, "{}", drug.name());
        }
        // IL-6 itself, by the same correlation, is SCIENCE §5's 130 µm²/s free.
        assert!((tissue_diffusion_um2_s(21_000.0) / 0.4 - 136.0).abs() < 2.0);
    }

    #[test]
    fn an_antibody_settles_at_a_fifth_of_plasma_within_half_a_day_a_small_molecule_at_once() {
        // Well mixed: dC/dt = K (Cp − C) − k C, so C/Cp → K / (K + k) with half-time
        // ln 2 / (K + k).
        let settle = |drug: Drug| {
            let k_exchange = drug.info().tissue.unwrap().exchange_per_h;
            let k_loss = tissue_field(drug).unwrap().default_transport().decay_per_s() * 3600.0;
            (k_exchange / (k_exchange + k_loss), std::f64::consts::LN_2 / (k_exchange + k_loss))
        };
        let (ratio, half_h) = settle(Drug::Siltuximab);
        assert!((ratio - 0.2).abs() < 0.01 && (half_h - 12.0).abs() < 0.5, "IgG {ratio} in {half_h} h");
        let (ratio, half_h) = settle(Drug::Amg220);
        assert!(ratio > 0.999 && half_h < 0.25, "avimer {ratio} in {half_h} h");
        let (ratio, half_h) = settle(Drug::Docetaxel);
        assert!(ratio > 0.999 && half_h < 0.1, "docetaxel {ratio} in {half_h} h");
    }
}
