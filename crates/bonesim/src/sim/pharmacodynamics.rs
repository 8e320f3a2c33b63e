//! Phase 5 of the tick: the drugs at their targets ([`crate::pharmacology`]).

use super::Sim;
use crate::field::FieldId;
use crate::pharmacology::{bisphosphonate, delivery};

impl Sim {
    /// Makes each drug given that acts in the tissue a field, exchanging with plasma at the
    /// vessel sites as its size allows.
    pub(super) fn deliver_drugs_through_vessels(&mut self) {
        let (sites, vessels) = (self.lattice.len(), self.vessels.len());
        let drugs: Vec<_> = self.pharmacology.drugs().collect();
        for drug in drugs {
            if let (Some(field), Some(tissue)) = (delivery::tissue_field(drug), drug.info().tissue) {
                self.fields.activate(field, delivery::vessel_exchange_per_s(&tissue, sites, vessels));
            }
        }
    }

    /// Phase 5: zoledronic acid in the tissue binds the mineralised surfaces beside it (and
    /// is taken up from the field as it does). The other drugs act through the shares of
    /// their targets they leave free, which the cells read as they sense.
    pub(super) fn pharmacodynamics(&mut self) {
        if self.pharmacology.targets().matrix_toxin_um().is_empty() {
            return;
        }
        let mut rates = std::mem::take(&mut self.bone_uptake);
        bisphosphonate::surface_uptake_per_s(&self.lattice, &mut rates);
        let tick_s = self.dt_h * 3600.0;
        bisphosphonate::bind(self.pharmacology.targets_mut(), &self.lattice, &self.fields, &rates, tick_s);
        self.fields.set_uptake(FieldId::ZoledronicAcid, &rates);
        self.bone_uptake = rates;
    }
}
