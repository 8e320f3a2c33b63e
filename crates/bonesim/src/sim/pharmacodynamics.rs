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
        let (tick, every) = (self.tick, self.field_step_ticks());
        for drug in drugs {
            if let (Some(field), Some(tissue)) = (delivery::tissue_field(drug), drug.info().tissue) {
                let exchange = delivery::vessel_exchange_per_s(&tissue, sites, vessels);
                self.fields.activate(field, exchange, tick, every);
            }
        }
    }

    /// Phase 5: zoledronic acid in the tissue binds the mineralised surfaces beside it: what
    /// the field's last step took up there (its implicit step removes `uptake × value` over
    /// the step's length) goes onto the bone, and the uptake follows the bone's surface for
    /// the next step. The other drugs act through the shares of their targets they leave
    /// free, which the cells read as they sense.
    pub(super) fn pharmacodynamics(&mut self) {
        if self.pharmacology.targets().matrix_toxin_um().is_empty() {
            return;
        }
        let stepped_s = self.fields.stepped_s(FieldId::ZoledronicAcid);
        if stepped_s > 0.0 {
            let used = self.fields.uptake(FieldId::ZoledronicAcid);
            bisphosphonate::bind(self.pharmacology.targets_mut(), &self.lattice, &self.fields, used, stepped_s);
        }
        let mut rates = std::mem::take(&mut self.bone_uptake);
        bisphosphonate::surface_uptake_per_s(&self.lattice, &mut rates);
        self.fields.set_uptake(FieldId::ZoledronicAcid, &rates);
        self.bone_uptake = rates;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pharmacology::{Drug, Species};
    use crate::scenario::{Scenario, TherapySchedule};

    /// Matrix resorbed on each half of the domain (left, right) over `days`, `prepare`
    /// having its say before every tick from day 2 on.
    fn resorbed_by_half(seed: u64, zoledronic_acid: bool, days: u64, prepare: impl Fn(&mut Sim)) -> (f64, f64) {
        let path = format!("{}/../../scenarios/breast-osteolytic.toml", env!("CARGO_MANIFEST_DIR"));
        let mut s: Scenario = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        (s.seed, s.domain.width, s.domain.height, s.time.days) = (seed, 100, 100, days as f64);
        s.patient.species = Species::Human;
        if zoledronic_acid {
            s.therapy.push(TherapySchedule {
                drug: Drug::ZoledronicAcid,
                start_day: 0.0,
                every_days: 28.0,
                doses: 1,
                dose: 4.0,
            });
        }
        let mut sim = Sim::new(&s, None).unwrap();
        let (mut left, mut right) = (0.0, 0.0);
        let mut before = sim.lattice.matrix.clone();
        for tick in 0..days * 24 {
            if tick >= 48 {
                prepare(&mut sim);
            }
            sim.step();
            for (site, (now, was)) in sim.lattice.matrix.iter().zip(&before).enumerate() {
                let lost = (was - now).max(0.0) as f64;
                if site % 100 < 50 { left += lost } else { right += lost }
            }
            before.clone_from(&sim.lattice.matrix);
        }
        (left, right)
    }

    #[test]
    #[allow(clippy::print_stderr, reason = "the test reports its measured figures")]
    fn zoledronic_acid_stops_resorption_only_where_it_is_bound() {
        // Zoledronic acid binds bone everywhere within two days of a 4 mg dose; from then on
        // the left half of the bone is kept stripped of it. Over the next four weeks,
        // resorption on the left goes on much as without the drug, while on the right, where
        // the bone holds it, it stops: the effect is where the drug is bound.
        let strip_left = |sim: &mut Sim| {
            let bound = sim.pharmacology.targets_mut().matrix_toxin_um_mut();
            assert!(bound.iter().any(|&b| b > 10.0), "bone has bound the drug");
            for (site, b) in bound.iter_mut().enumerate() {
                if site % 100 < 50 {
                    *b = 0.0;
                }
            }
        };
        let (mut ratio_left, mut ratio_right) = (Vec::new(), Vec::new());
        for seed in [1, 2, 3] {
            let (cl, cr) = resorbed_by_half(seed, false, 28, |_| {});
            let (tl, tr) = resorbed_by_half(seed, true, 28, strip_left);
            ratio_left.push(tl / cl);
            ratio_right.push(tr / cr);
        }
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        eprintln!(
            "resorption with zoledronic acid over without: stripped half {ratio_left:.2?}, bound half {ratio_right:.2?}"
        );
        assert!(mean(&ratio_right) < 0.4, "bound bone is spared: {ratio_right:?}");
        assert!(
            mean(&ratio_left) > 0.7 && mean(&ratio_left) > mean(&ratio_right) + 0.4,
            "stripped bone is not: {ratio_left:?}"
        );
    }
}
