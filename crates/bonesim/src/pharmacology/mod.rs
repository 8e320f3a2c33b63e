//! Pharmacology: every drug a scenario gives, as a plasma concentration over time, a
//! delivery into the tissue, and an effect at its target.
//!
//! A `[[therapy]]` entry is a dose schedule in the units clinicians and mouse studies use
//! (mg/kg, mg/m², mg, or mg/day for hormone patches and pellets). Each tick:
//!
//! - the `pharmacology` phase of [`crate::sim::Sim::step`] computes every scheduled drug's
//!   mean plasma concentration over the tick from its linear pharmacokinetics in closed form
//!   ([`pk`]), using the constants of the patient's species ([`drugs`], [`species`]); sets the
//!   host's hormone levels from the hormone therapies ([`hormones`]); and supplies each
//!   drug's unbound plasma level to its field at the vessels ([`delivery`]);
//! - the fields' solve carries the drugs through the marrow like any factor;
//! - the `pharmacodynamics` phase binds zoledronic acid to bone ([`bisphosphonate`]); every
//!   other drug acts where it is through [`crate::biology::targets`]: the cells' signalling
//!   reads, at their site, the shares of IL-6, IL-6R, RANKL, CXCR4 and NF-κB the drugs leave
//!   free, and the chance that a mitosis fails ([`action`]).
//!
//! Constants, with their sources, are in [`DrugInfo`]: molar mass, target, binding constant,
//! [`drugs::Effect`], [`drugs::TissueDelivery`].

pub mod action;
pub mod bisphosphonate;
pub mod delivery;
pub mod drugs;
pub mod hormones;
pub mod pk;
pub mod species;

pub use drugs::{ConcentrationUnit, DoseUnit, Drug, DrugInfo, Effect, Provenance, Target, TissueDelivery};
pub use species::{Body, Species};

use crate::biology::targets::Targets;
use crate::scenario::{PatientSettings, Scenario, ScenarioError, TherapySchedule};
use pk::{Administration, PlasmaCurve, Route};
use serde::{Deserialize, Serialize};

/// The mean plasma concentration of one drug over the last tick.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlasmaLevel {
    /// The drug.
    pub drug: Drug,
    /// Concentration, mg/L (= µg/mL).
    pub mg_l: f64,
}

impl PlasmaLevel {
    /// Concentration, nM.
    pub fn nanomolar(&self) -> f64 {
        self.drug.info().nanomolar(self.mg_l)
    }

    /// Concentration in the unit of the drug's `plasma_<drug>` column.
    pub fn in_plasma_unit(&self) -> f64 {
        self.drug.info().plasma_unit.from_mg_l(self.mg_l)
    }
}

/// Every scheduled drug's plasma curve, its level over the last tick, the host hormone axis
/// the hormone therapies act on, and what the drugs do at their targets (zoledronic acid
/// bound to bone included).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Pharmacology {
    species: Species,
    curves: Vec<(Drug, PlasmaCurve)>,
    levels: Vec<PlasmaLevel>,
    axis: hormones::TestosteroneAxis,
    targets: Targets,
}

/// The administrations of one `[[therapy]]` entry for `species`: when, how much (mg), and over
/// how long for zero-order inputs.
pub fn administrations(schedule: &TherapySchedule, species: Species, route: Route) -> Vec<Administration> {
    let body = species.body();
    let Ok(regimen) = schedule.drug.info().regimen(species) else {
        return Vec::new();
    };
    let interval_h = schedule.every_days * 24.0;
    let amount_mg = match regimen.dose_unit {
        DoseUnit::MgPerKg => schedule.dose * body.weight_kg,
        DoseUnit::MgPerM2 => schedule.dose * body.surface_m2,
        DoseUnit::Mg => schedule.dose,
        DoseUnit::MgPerDay => schedule.dose * schedule.every_days,
    };
    let input_h = match route {
        Route::Infusion { hours } => hours,
        Route::Release => interval_h,
        Route::Bolus | Route::FirstOrder { .. } => 0.0,
    };
    (0..schedule.doses)
        .map(|i| Administration { at_h: schedule.start_day * 24.0 + i as f64 * interval_h, amount_mg, input_h })
        .collect()
}

impl Pharmacology {
    /// The plasma curves of `scenario`'s therapies. Every entry of one drug adds to the same
    /// curve (superposition).
    pub fn new(scenario: &Scenario) -> Result<Pharmacology, ScenarioError> {
        let species = scenario.patient.species;
        let mut curves: Vec<(Drug, PlasmaCurve)> = Vec::new();
        for (i, schedule) in scenario.therapy.iter().enumerate() {
            let (route, disposition, _) = drugs::resolve_pk(schedule.drug, species)
                .map_err(|message| ScenarioError { key: format!("therapy[{i}].drug"), message })?;
            let doses = administrations(schedule, species, route);
            match curves.iter_mut().find(|(d, _)| *d == schedule.drug) {
                Some((_, curve)) => curve.doses.extend(doses),
                None => curves.push((schedule.drug, PlasmaCurve { route, disposition, doses })),
            }
        }
        for (_, curve) in &mut curves {
            curve.doses.sort_by(|a, b| a.at_h.total_cmp(&b.at_h));
        }
        curves.sort_by_key(|(d, _)| *d);
        let levels = curves.iter().map(|&(drug, _)| PlasmaLevel { drug, mg_l: 0.0 }).collect();
        let drugs: Vec<Drug> = curves.iter().map(|&(d, _)| d).collect();
        let sites = scenario.domain.width * scenario.domain.height;
        let targets = action::targets(&drugs, sites);
        Ok(Pharmacology { species, curves, levels, axis: hormones::TestosteroneAxis::default(), targets })
    }

    /// Takes `scenario`'s therapies as they now stand, during a run (a therapy given
    /// between ticks): every drug's plasma curve follows its whole schedule, so a dose given
    /// today adds to what came before; a drug new to the run gets its targets, and what the
    /// drugs already given hold (bone-bound zoledronic acid) stays. Returns the new drugs.
    pub fn reschedule(&mut self, scenario: &Scenario) -> Result<Vec<Drug>, ScenarioError> {
        let next = Pharmacology::new(scenario)?;
        let new: Vec<Drug> = next.drugs().filter(|&d| self.curve(d).is_none()).collect();
        action::add_targets(&mut self.targets, &new, scenario.domain.width * scenario.domain.height);
        let level = |drug: Drug| PlasmaLevel { drug, mg_l: self.concentration_mg_l(drug) };
        self.levels = next.curves.iter().map(|&(drug, _)| level(drug)).collect();
        self.curves = next.curves;
        Ok(new)
    }

    /// The drugs given.
    pub fn drugs(&self) -> impl Iterator<Item = Drug> + '_ {
        self.curves.iter().map(|&(d, _)| d)
    }

    /// What the drugs do at their targets.
    pub fn targets(&self) -> &Targets {
        &self.targets
    }

    /// What the drugs do at their targets, to bind and release what bone holds.
    pub fn targets_mut(&mut self) -> &mut Targets {
        &mut self.targets
    }

    /// Share of serum IL-6's receptor-mediated clearance left by the drugs in plasma: IL-6R
    /// free of antagonists times IL-6 free of binders (only free IL-6 reaches a free
    /// receptor).
    pub fn il6_receptor_clearance_left(&self) -> f64 {
        action::plasma_il6_receptor_clearance_left(&self.levels)
    }

    /// Advances to the tick from `t0_h` to `t1_h`: every drug's mean level over it, and the
    /// host's testosterone production.
    pub fn step(&mut self, t0_h: f64, t1_h: f64) {
        for (level, (_, curve)) in self.levels.iter_mut().zip(&self.curves) {
            level.mg_l = curve.mean_mg_l(t0_h, t1_h);
        }
        let degarelix = self.concentration_mg_l(Drug::Degarelix);
        self.axis.step(degarelix, t1_h - t0_h);
    }

    /// The species the curves are for.
    pub fn species(&self) -> Species {
        self.species
    }

    /// Every scheduled drug's level over the last tick, in [`Drug::ALL`] order.
    pub fn levels(&self) -> &[PlasmaLevel] {
        &self.levels
    }

    /// `drug`'s mean plasma concentration over the last tick, mg/L (0 if not scheduled).
    pub fn concentration_mg_l(&self, drug: Drug) -> f64 {
        self.levels.iter().find(|l| l.drug == drug).map_or(0.0, |l| l.mg_l)
    }

    /// `drug`'s plasma curve, if scheduled.
    pub fn curve(&self, drug: Drug) -> Option<&PlasmaCurve> {
        self.curves.iter().find(|(d, _)| *d == drug).map(|(_, c)| c)
    }

    /// The host's estradiol and testosterone (1 = normal) with the therapies: the patient's
    /// own levels (`patient.estrogen`, and `patient.testosterone` times what the GnRH axis
    /// still makes), plus what the replacements bring.
    pub fn host_hormones(&self, patient: &PatientSettings) -> (f64, f64) {
        hormones::host_levels(
            patient,
            self.species,
            self.concentration_mg_l(Drug::Estradiol),
            self.concentration_mg_l(Drug::Testosterone),
            self.axis.production(),
        )
    }
}

/// Checks one `[[therapy]]` entry (index `i`) for `species`: a drug the species can be given,
/// a plausible dose, a schedule that can happen. Errors name the key and what is allowed.
pub fn check_therapy(i: usize, schedule: &TherapySchedule, species: Species) -> Result<(), ScenarioError> {
    let key = |k: &str| format!("therapy[{i}].{k}");
    let drug = schedule.drug;
    let regimen = drug.info().regimen(species).map_err(|why| ScenarioError {
        key: key("drug"),
        message: format!("not for a {} patient: {why}", species.name()),
    })?;
    let (min, max) = regimen.plausible;
    let unit = regimen.dose_unit.label();
    if !(schedule.dose.is_finite() && (min..=max).contains(&schedule.dose)) {
        return Err(ScenarioError {
            key: key("dose"),
            message: format!(
                "{} {unit} is not a plausible dose of {} for a {} patient: allowed {min} to {max} {unit} ({})",
                schedule.dose,
                drug.name(),
                species.name(),
                regimen.dose_basis
            ),
        });
    }
    if !(1..=10_000).contains(&schedule.doses) {
        return Err(ScenarioError {
            key: key("doses"),
            message: format!(
                "{} doses: a schedule gives 1 to 10000 doses (leave out the [[therapy]] entry for no drug)",
                schedule.doses
            ),
        });
    }
    let released = regimen.dose_unit == DoseUnit::MgPerDay;
    let needs_interval = schedule.doses > 1 || released;
    let e = schedule.every_days;
    if !(0.0..=3650.0).contains(&e) || (needs_interval && e <= 0.0) {
        let why = if released {
            format!("{} is released over every_days, so it must be above 0", drug.name())
        } else if needs_interval {
            "with more than one dose, doses must be at least some time apart".to_string()
        } else {
            "a single dose may leave it at 0".to_string()
        };
        return Err(ScenarioError {
            key: key("every_days"),
            message: format!("{e} days is not an interval between doses: allowed above 0 to 3650 days ({why})"),
        });
    }
    if !(schedule.start_day.is_finite() && (0.0..=36_500.0).contains(&schedule.start_day)) {
        return Err(ScenarioError {
            key: key("start_day"),
            message: format!("{} is out of range: allowed 0 to 36500 days", schedule.start_day),
        });
    }
    Ok(())
}

/// The table of drugs for `docs/therapies.md` and `bonesim drugs` (Markdown).
pub fn markdown() -> String {
    let mut out = String::from(
        "| drug | what it is | target | binding | species | dose unit (plausible range) | route | PK (provenance) | in the marrow |\n\
         |---|---|---|---|---|---|---|---|---|\n",
    );
    for drug in Drug::ALL {
        let info = drug.info();
        for species in Species::ALL {
            let Ok(regimen) = info.regimen(species) else { continue };
            let pk = match drugs::resolve_pk(drug, species) {
                Ok((route, disposition, provenance)) => {
                    let half: Vec<String> = disposition.half_lives_h().iter().map(|h| format_hours(*h)).collect();
                    (describe_route(route), format!("half-lives {} ({})", half.join(", "), provenance.label()))
                }
                Err(e) => ("—".into(), e),
            };
            out.push_str(&format!(
                "| `{}` | {} | {} | {} {} nM | {} | {} ({}–{}) | {} | {} | {} |\n",
                drug.name(),
                info.what,
                info.target.describe(),
                info.binding.kind,
                significant(info.binding.nm),
                species.name(),
                regimen.dose_unit.label(),
                significant(regimen.plausible.0),
                significant(regimen.plausible.1),
                pk.0,
                pk.1,
                describe_delivery(drug)
            ));
        }
    }
    out.push_str("\nSources, by drug and species:\n\n");
    for drug in Drug::ALL {
        let info = drug.info();
        out.push_str(&format!(
            "- `{}`: binding: {}. Effect: {}.",
            drug.name(),
            info.binding.source,
            info.effect.describe()
        ));
        if let Some(t) = info.tissue {
            out.push_str(&format!(
                " Delivery: exchange {} per hour per tissue volume ({}); unbound in plasma {} ({}).",
                significant(t.exchange_per_h),
                t.exchange_source,
                significant(t.unbound_fraction),
                t.unbound_source
            ));
        }
        for species in Species::ALL {
            match info.regimen(species) {
                Ok(r) => out.push_str(&format!(
                    " {}: dose: {}; PK: {}.",
                    capitalised(species.name()),
                    r.dose_basis,
                    r.pk_source
                )),
                Err(why) => out.push_str(&format!(" {}: not given ({why}).", capitalised(species.name()))),
            }
        }
        for c in info.constants {
            out.push_str(&format!(" {}: {} {} ({}).", c.name, significant(c.value), c.unit, c.source));
        }
        out.push('\n');
    }
    out
}

/// How the drug settles in the marrow, well mixed: `K / (K + k)` of unbound plasma with a
/// half-time of `ln 2 / (K + k)`, for exchange `K` and the field's loss `k`.
fn describe_delivery(drug: Drug) -> String {
    let (Some(t), Some(field)) = (drug.info().tissue, delivery::tissue_field(drug)) else {
        return "acts on the host (systemic)".into();
    };
    let loss_per_h = field.default_transport().decay_per_s() * 3600.0;
    let total = t.exchange_per_h + loss_per_h;
    let ratio = t.exchange_per_h / total * t.unbound_fraction;
    format!(
        "{} % of plasma, half-time {}; D {} µm²/s",
        significant(100.0 * ratio),
        format_hours(std::f64::consts::LN_2 / total),
        significant(field.default_transport().diffusion_um2_s)
    )
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

fn describe_route(route: Route) -> String {
    match route {
        Route::Bolus => "bolus".into(),
        Route::Infusion { hours } => format!("IV infusion over {}", format_hours(hours)),
        Route::FirstOrder { ka_per_h, bioavailability } => format!(
            "first-order absorption (half-life {}, {} % reaching plasma)",
            format_hours(std::f64::consts::LN_2 / ka_per_h),
            significant(bioavailability * 100.0)
        ),
        Route::Release => "zero-order release until the next dose".into(),
    }
}

fn format_hours(h: f64) -> String {
    if h >= 48.0 { format!("{} d", significant(h / 24.0)) } else { format!("{} h", significant(h)) }
}

/// Three significant figures, without trailing zeros.
fn significant(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let digits = 3 - 1 - x.abs().log10().floor() as i32;
    let rounded = if digits > 0 {
        let f = 10f64.powi(digits);
        (x * f).round() / f
    } else {
        let f = 10f64.powi(-digits);
        (x / f).round() * f
    };
    format!("{rounded}")
}

#[cfg(test)]
mod tests;
