//! Phase 1 of the tick: the drugs in plasma, what plasma brings to the tissue, and the
//! host's hormones ([`crate::pharmacology`]).

use super::Sim;
use crate::biology::Host;
use crate::pharmacology::{Drug, Pharmacology, delivery};

impl Sim {
    /// Phase 1: every scheduled drug's mean plasma level over this tick, the host's
    /// estradiol and testosterone under the hormone therapies, and each drug's unbound plasma
    /// level offered to its tissue field at the vessels.
    pub(super) fn pharmacokinetics(&mut self) {
        let t0_h = self.hours_since_day0();
        self.pharmacology.step(t0_h, t0_h + self.dt_h);
        (self.host.estrogen, self.host.testosterone) = self.pharmacology.host_hormones(&self.scenario.patient);
        for level in self.pharmacology.levels() {
            if let Some(field) = delivery::tissue_field(level.drug) {
                self.fields.add_serum_supply(field, delivery::unbound_plasma_pm(level));
            }
        }
    }

    /// Hours from day 0 to the start of this tick: negative while the host spins up, when
    /// no dose has been given yet (schedules count from day 0).
    fn hours_since_day0(&self) -> f64 {
        let origin = if self.spinning_up { self.spinup_ticks() } else { self.origin };
        (self.tick as f64 - origin as f64) * self.dt_h
    }

    /// The drugs in plasma and the hormone axis.
    pub fn pharmacology(&self) -> &Pharmacology {
        &self.pharmacology
    }

    /// `drug`'s mean plasma concentration over the last tick, mg/L (= µg/mL); 0 if the
    /// scenario does not give it.
    pub fn plasma_concentration(&self, drug: Drug) -> f64 {
        self.pharmacology.concentration_mg_l(drug)
    }

    /// The host's hormones and systemic exposures this tick.
    pub fn host(&self) -> &Host {
        &self.host
    }
}
