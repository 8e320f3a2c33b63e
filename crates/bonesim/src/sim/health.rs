//! Whether a running simulation still holds true numbers.
//!
//! Every parameter may be within its range and a combination still drive the model out of
//! biology: a serum that stands for a hundred litres of marrow in one millilitre of plasma,
//! with a half-life of weeks, feeds IL-6 back into the tissue faster than it can leave, and
//! grows without bound until it overflows. [`Sim::check_health`] finds such a run before it
//! reports anything: a value that is not a finite number, or one no tissue or serum can hold.

use super::Sim;
use crate::error::EngineError;
use crate::field::FieldId;
use crate::params::ModelParams;

/// The most of any one factor the model accepts, pM (1 µM). Cytokines, receptors and growth
/// factors act at pM to low nM in tissue and serum (SCIENCE §5–6: serum IL-6 is tens of
/// pg/mL, about 1 pM, in metastatic disease; sIL-6R about 1 nM); the bundled scenarios stay
/// below 10 nM everywhere. A micromolar cytokine is a run that has left biology.
pub const MAX_CONCENTRATION_PM: f64 = 1e6;

/// The most of a drug the tissue accepts, pM (1 mM): drugs act at nM to µM, and no dose in
/// its plausible range brings more than tens of µM to plasma.
pub const MAX_DRUG_PM: f64 = 1e9;

/// A quantity that is not a finite number or has run away.
#[derive(Clone, Debug, PartialEq)]
pub struct Runaway {
    /// What went wrong, in words: `serum IL-6`, `the IL-6 field (site 12, 40)`.
    pub quantity: String,
    /// Its value (NaN or ±inf if not finite).
    pub value: f64,
    /// The unit of `value`.
    pub unit: &'static str,
    /// The simulated day it was found.
    pub day: f64,
    /// The parameters that set this quantity, with their values in this run.
    pub parameters: Vec<(String, f64)>,
}

impl std::fmt::Display for Runaway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = if self.value.is_nan() {
            "is not a number (NaN)".to_string()
        } else if self.value.is_infinite() {
            format!("is {}infinite", if self.value < 0.0 { "negative " } else { "" })
        } else {
            format!(
                "ran away to {:.3e} {} (more than the {:.0e} pM any factor can reach in tissue or serum)",
                self.value, self.unit, MAX_CONCENTRATION_PM
            )
        };
        write!(f, "{} {what} on day {}", self.quantity, trim(self.day))?;
        if !self.parameters.is_empty() {
            let list: Vec<String> = self.parameters.iter().map(|(n, v)| format!("{n} = {v}")).collect();
            write!(f, "; parameters involved: {}", list.join(", "))?;
        }
        Ok(())
    }
}

/// A day as a short number: whole days without a fraction.
fn trim(day: f64) -> String {
    let rounded = (day * 1e4).round() / 1e4;
    format!("{rounded}")
}

impl Sim {
    /// Checks that every field, the serum and the tissue hold finite values within what
    /// biology allows ([`MAX_CONCENTRATION_PM`]). The error names the quantity, the day and
    /// the parameters that set it. One pass over the fields: cheap next to a tick (a field
    /// step touches each value tens of times), so a caller may check every simulated day.
    pub fn check_health(&self) -> Result<(), EngineError> {
        let day = self.day();
        let p = &self.params.serum;
        let serum = [
            ("serum IL-6", self.serum.il6_pm(), "pM", FieldId::Il6),
            ("serum sIL-6R", self.serum.sil6r_pm(p), "pM", FieldId::Sil6r),
        ];
        for (name, value, unit, field) in serum {
            if !value.is_finite() || value > MAX_CONCENTRATION_PM {
                return Err(self.runaway(name.to_string(), value, unit, day, Some(field), true));
            }
        }
        for field in FieldId::ALL {
            let values = self.fields.values(field);
            let max = if field.is_drug() { MAX_DRUG_PM } else { MAX_CONCENTRATION_PM };
            // A branch-free scan (NaN and ±inf fail the comparison); the position only on failure.
            let healthy = values.iter().fold(true, |ok, v| ok & (v.abs() <= max));
            let bad = (!healthy).then(|| values.iter().position(|v| !v.is_finite() || v.abs() > max)).flatten();
            if let Some(site) = bad {
                let (x, y) = (site % self.lattice.width, site / self.lattice.width);
                let name = field.label().split(" (").next().unwrap_or_default();
                let quantity = format!("the {name} field at site ({x}, {y})");
                return Err(self.runaway(quantity, values.get(site), "pM", day, Some(field), field.with_blood()));
            }
        }
        let l = &self.lattice;
        let finite = l.matrix.iter().chain(&l.mineral).fold(true, |ok, v| ok & v.is_finite());
        let bad_matrix = (!finite)
            .then(|| l.matrix.iter().zip(&l.mineral).position(|(m, n)| !m.is_finite() || !n.is_finite()))
            .flatten();
        if let Some(site) = bad_matrix {
            let (x, y) = (site % l.width, site / l.width);
            let value = if l.matrix[site].is_finite() { l.mineral[site] } else { l.matrix[site] };
            return Err(self.runaway(format!("bone matrix at site ({x}, {y})"), value as f64, "", day, None, false));
        }
        Ok(())
    }

    /// The error for `quantity`, with the parameters of its groups: the field's transport,
    /// and the serum's when the factor exchanges with blood.
    fn runaway(
        &self,
        quantity: String,
        value: f64,
        unit: &'static str,
        day: f64,
        field: Option<FieldId>,
        with_serum: bool,
    ) -> EngineError {
        let mut groups: Vec<&str> = field.map(|f| f.name()).into_iter().collect();
        if with_serum {
            groups.push("serum");
        }
        let parameters = involved(&self.params, &groups, &self.scenario.parameters);
        EngineError::Runaway(Runaway { quantity, value, unit, day, parameters })
    }
}

/// The parameters of `groups` with their values: those set away from their defaults first;
/// if none is, all of them.
fn involved(
    params: &ModelParams,
    groups: &[&str],
    set: &std::collections::BTreeMap<String, f64>,
) -> Vec<(String, f64)> {
    let mut all = Vec::new();
    params.clone().visit(&mut |info, value| {
        if groups.contains(&info.group) {
            all.push((info.dotted(), *value));
        }
    });
    let changed: Vec<(String, f64)> = all.iter().filter(|(name, _)| set.contains_key(name)).cloned().collect();
    if changed.is_empty() { all } else { changed }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scenario;

    fn small() -> Scenario {
        let mut s = Scenario::default();
        s.domain.width = 32;
        s.domain.height = 32;
        s.time.days = 1.0;
        s
    }

    #[test]
    fn a_healthy_run_passes() {
        let mut sim = Sim::new(&small(), None).unwrap();
        for _ in 0..24 {
            sim.step();
        }
        assert_eq!(sim.check_health(), Ok(()));
    }

    #[test]
    fn a_nan_in_a_field_is_named_with_its_site_day_and_parameters() {
        let mut sim = Sim::new(&small(), None).unwrap();
        for _ in 0..36 {
            sim.step();
        }
        let site = 5 * 32 + 7;
        sim.fields.poke(FieldId::Il6, site, f64::NAN);
        let Err(EngineError::Runaway(r)) = sim.check_health() else { panic!("NaN not found") };
        assert!(r.value.is_nan());
        assert_eq!(r.day, 1.5);
        assert!(r.quantity.contains("IL-6") && r.quantity.contains("(7, 5)"), "{}", r.quantity);
        let names: Vec<&str> = r.parameters.iter().map(|(n, _)| n.as_str()).collect();
        assert!(names.contains(&"il6.half_life_h") && names.contains(&"serum.plasma_volume_ml"), "{names:?}");
        let text = EngineError::Runaway(r).to_string();
        assert!(text.contains("is not a number (NaN) on day 1.5"), "{text}");
    }

    #[test]
    fn a_value_beyond_biology_is_a_runaway_and_names_the_parameters_set() {
        let mut s = small();
        s.parameters.insert("opg.half_life_h".into(), 100.0);
        let mut sim = Sim::new(&s, None).unwrap();
        sim.fields.poke(FieldId::Opg, 0, 2.0 * MAX_CONCENTRATION_PM);
        let Err(EngineError::Runaway(r)) = sim.check_health() else { panic!("runaway not found") };
        assert_eq!(r.parameters, vec![("opg.half_life_h".to_string(), 100.0)]);
        assert!(EngineError::Runaway(r).to_string().contains("ran away to 2.000e6 pM"));
        let mut sim = Sim::new(&small(), None).unwrap();
        sim.serum.il6_m = f64::INFINITY;
        let Err(EngineError::Runaway(r)) = sim.check_health() else { panic!("serum not checked") };
        assert_eq!(r.quantity, "serum IL-6");
    }
}
