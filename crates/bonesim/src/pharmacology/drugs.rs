//! The drugs: who they are, what they bind, how they are dosed, and their pharmacokinetics in
//! each species, with sources.
//!
//! Every number here carries its provenance in [`Provenance`] and its source in the `source`
//! strings, which `bonesim drugs` prints and `docs/therapies.md` reproduces (a test keeps the
//! two in step). Pharmacokinetics are *measured* where a population model or a label gives
//! them; *allometric* where only another species was measured, scaled by body weight
//! (clearances by W^0.75, or W^0.85 for antibodies after Deng et al. 2011, mAbs 3:61;
//! volumes by W^1; rate constants by W^−0.25); and *assumed* where nothing was found, with
//! the reasoning written down.
//!
//! The linear closed forms leave out what is not linear: the target-mediated clearance of
//! the antibodies at low concentrations (tocilizumab, denosumab) and paclitaxel's saturable
//! distribution. Their constants are listed so the effects can use them.

use super::pk::{Disposition, Exponential, PkError, Route};
use super::species::Species;
use crate::biology::targets::Mechanism;
use serde::{Deserialize, Serialize};

/// The drugs a `[[therapy]]` entry can give (`drug = "..."`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Drug {
    /// Humanised anti-IL-6 receptor antibody (membrane and soluble IL-6R).
    Tocilizumab,
    /// Rat anti-mouse IL-6 receptor antibody: tocilizumab's mouse surrogate.
    #[serde(rename = "mr16_1")]
    Mr16_1,
    /// Chimeric anti-IL-6 antibody.
    Siltuximab,
    /// Anti-IL-6 avimer (C326).
    Amg220,
    /// Human anti-RANKL antibody.
    Denosumab,
    /// Osteoprotegerin–Fc fusion: the RANKL decoy, denosumab's mouse analogue.
    OpgFc,
    /// Nitrogen-containing bisphosphonate.
    ZoledronicAcid,
    /// Taxane.
    Docetaxel,
    /// Taxane.
    Paclitaxel,
    /// CXCR4 antagonist (plerixafor, AMD3100).
    Cxcr4Antagonist,
    /// NF-κB inhibitor (methylseleninic acid).
    NfkbInhibitor,
    /// 17β-estradiol replacement.
    Estradiol,
    /// Testosterone replacement.
    Testosterone,
    /// GnRH antagonist: androgen deprivation.
    Degarelix,
}

impl Drug {
    /// Every drug.
    pub const ALL: [Drug; 14] = [
        Drug::Tocilizumab,
        Drug::Mr16_1,
        Drug::Siltuximab,
        Drug::Amg220,
        Drug::Denosumab,
        Drug::OpgFc,
        Drug::ZoledronicAcid,
        Drug::Docetaxel,
        Drug::Paclitaxel,
        Drug::Cxcr4Antagonist,
        Drug::NfkbInhibitor,
        Drug::Estradiol,
        Drug::Testosterone,
        Drug::Degarelix,
    ];

    /// The name in scenario files and in the `plasma_<name>` column.
    pub fn name(self) -> &'static str {
        match self {
            Drug::Tocilizumab => "tocilizumab",
            Drug::Mr16_1 => "mr16_1",
            Drug::Siltuximab => "siltuximab",
            Drug::Amg220 => "amg220",
            Drug::Denosumab => "denosumab",
            Drug::OpgFc => "opg_fc",
            Drug::ZoledronicAcid => "zoledronic_acid",
            Drug::Docetaxel => "docetaxel",
            Drug::Paclitaxel => "paclitaxel",
            Drug::Cxcr4Antagonist => "cxcr4_antagonist",
            Drug::NfkbInhibitor => "nfkb_inhibitor",
            Drug::Estradiol => "estradiol",
            Drug::Testosterone => "testosterone",
            Drug::Degarelix => "degarelix",
        }
    }

    /// The drug named `name` in scenario files.
    pub fn from_name(name: &str) -> Option<Drug> {
        Drug::ALL.into_iter().find(|d| d.name() == name)
    }

    /// Everything known about the drug.
    pub fn info(self) -> DrugInfo {
        info(self)
    }
}

/// What a drug acts on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// IL-6 receptor, membrane and soluble: classic and trans-signalling blocked.
    Il6Receptor,
    /// IL-6 itself, sequestered.
    Il6,
    /// RANKL, sequestered.
    Rankl,
    /// Bone mineral, then the farnesyl diphosphate synthase of the osteoclasts that resorb it.
    BoneMineral,
    /// Microtubules of dividing cells.
    Microtubules,
    /// The chemokine receptor CXCR4, blocked.
    Cxcr4,
    /// NF-κB activity, suppressed.
    NfKappaB,
    /// The estrogen receptor (replacing the host's estradiol).
    EstrogenReceptor,
    /// The androgen receptor (replacing the host's testosterone).
    AndrogenReceptor,
    /// The pituitary GnRH receptor, blocked: the testes stop making testosterone.
    GnrhReceptor,
}

impl Target {
    /// In words.
    pub fn describe(self) -> &'static str {
        match self {
            Target::Il6Receptor => "IL-6R, membrane and soluble (classic and trans-signalling blocked)",
            Target::Il6 => "IL-6 (sequestered)",
            Target::Rankl => "RANKL (sequestered)",
            Target::BoneMineral => "bone mineral; released when that bone is resorbed, it kills the osteoclast",
            Target::Microtubules => "microtubules of cycling cells (less under high AKT)",
            Target::Cxcr4 => "CXCR4 (homing on CXCL12 blocked)",
            Target::NfKappaB => "NF-κB activity",
            Target::EstrogenReceptor => "estrogen receptor (host estradiol level)",
            Target::AndrogenReceptor => "androgen receptor (host testosterone level)",
            Target::GnrhReceptor => "pituitary GnRH receptor (host testosterone production)",
        }
    }
}

/// The unit a `[[therapy]]` dose is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DoseUnit {
    /// mg per kg of body weight.
    MgPerKg,
    /// mg per m² of body surface.
    MgPerM2,
    /// mg, a fixed dose.
    Mg,
    /// mg per day released by a patch or pellet, lasting until the next dose (`every_days`).
    MgPerDay,
}

impl DoseUnit {
    /// As written in messages and docs.
    pub fn label(self) -> &'static str {
        match self {
            DoseUnit::MgPerKg => "mg/kg",
            DoseUnit::MgPerM2 => "mg/m²",
            DoseUnit::Mg => "mg",
            DoseUnit::MgPerDay => "mg/day",
        }
    }
}

/// A unit of plasma concentration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConcentrationUnit {
    /// µg/mL (= mg/L), for antibodies.
    UgPerMl,
    /// ng/mL, for small molecules.
    NgPerMl,
    /// pg/mL, for estradiol.
    PgPerMl,
}

impl ConcentrationUnit {
    /// As written in legends.
    pub fn label(self) -> &'static str {
        match self {
            ConcentrationUnit::UgPerMl => "µg/mL",
            ConcentrationUnit::NgPerMl => "ng/mL",
            ConcentrationUnit::PgPerMl => "pg/mL",
        }
    }

    /// This unit's value of a concentration in mg/L.
    pub fn from_mg_l(self, mg_l: f64) -> f64 {
        match self {
            ConcentrationUnit::UgPerMl => mg_l,
            ConcentrationUnit::NgPerMl => mg_l * 1e3,
            ConcentrationUnit::PgPerMl => mg_l * 1e6,
        }
    }
}

/// How a drug acts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Effect {
    /// Its local concentration in the tissue acts at a target through `Mechanism`, with its
    /// binding constant as the half-effect concentration ([`crate::biology::targets`]).
    Agent(Mechanism),
    /// It binds bone mineral and kills the osteoclasts that resorb it
    /// ([`super::bisphosphonate`]).
    BoneBinding,
    /// It changes the host's hormone levels ([`super::hormones`]).
    Hormone,
}

impl Effect {
    /// In words, for the docs.
    pub fn describe(self) -> &'static str {
        match self {
            Effect::Agent(Mechanism::Il6rBlockade) => {
                "occupies IL-6R, membrane and soluble: classic and trans-signalling and receptor uptake of IL-6 \
                 fall with the free share 1/(1 + [D]/Kd), in tissue and, for serum IL-6's clearance, in plasma"
            }
            Effect::Agent(Mechanism::Il6Sequestration) => {
                "holds IL-6: only the free share 1/(1 + [D]/Kd) signals or is taken up by receptors, in tissue \
                 and plasma"
            }
            Effect::Agent(Mechanism::RanklDecoy) => {
                "holds RANKL like OPG: free RANKL = RANKL / (1 + [OPG]/Kd_OPG + [D]/Kd)"
            }
            Effect::Agent(Mechanism::Cxcr4Antagonism) => {
                "competes with CXCL12 at CXCR4: CXCL12's half-occupancy rises by 1 + [D]/Ki, so homing and \
                 retention of arriving tumour cells fall"
            }
            Effect::Agent(Mechanism::NfkbSuppression { .. }) => {
                "suppresses NF-κB in every cell by a share up to its maximum, half at the IC50"
            }
            Effect::Agent(Mechanism::MitoticArrest { il6_gain }) if il6_gain > 0.0 => {
                "a dividing tumour cell dies in mitosis with chance [D]/([D] + IC50), less under AKT; \
                 raises tumour IL-6"
            }
            Effect::Agent(Mechanism::MitoticArrest { .. }) => {
                "a dividing tumour cell dies in mitosis with chance [D]/([D] + IC50), less under AKT"
            }
            Effect::BoneBinding => {
                "binds bone surfaces from the tissue; released where that bone is resorbed, it may kill the \
                 osteoclast resorbing it"
            }
            Effect::Hormone => "changes the host's hormone level (systemic)",
        }
    }
}

/// How a drug reaches the marrow: exchange across the vessel wall, and the share of plasma
/// drug free to cross it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TissueDelivery {
    /// Exchange between plasma and tissue per tissue volume (the permeability–surface product
    /// over volume, PS/V), per hour; the lattice concentrates it at its vessel sites.
    pub exchange_per_h: f64,
    /// Why that exchange.
    pub exchange_source: &'static str,
    /// Share of the plasma concentration not bound to plasma proteins: what crosses and
    /// acts.
    pub unbound_fraction: f64,
    /// Where that share comes from.
    pub unbound_source: &'static str,
}

/// How an antibody or Fc fusion (100–150 kDa) reaches the marrow.
pub const IGG_DELIVERY: TissueDelivery = TissueDelivery {
    exchange_per_h: 0.0116,
    exchange_source: "IgG crosses the vessel wall slowly, through its few large pores (Rippe & Haraldsson 1994, \
                      Physiol Rev 74:163). With the tissue loss of the drug's field (lymph drainage, half-life \
                      15 h), this exchange gives tissue IgG at 20 % of plasma, reached with a half-time of 12 h; \
                      antibody PBPK models (Baxter et al. 1994, Cancer Res 54:1517; Shah & Betts 2012, \
                      J Pharmacokinet Pharmacodyn 39:67) put interstitial IgG at 10–50 % of plasma in most \
                      tissues, reached within a day or two [approx]",
    unbound_fraction: 1.0,
    unbound_source: "an antibody's plasma level is its own (the share bound to targets is negligible)",
};

/// How a small molecule (under 1 kDa) reaches the marrow.
pub const SMALL_MOLECULE_DELIVERY: TissueDelivery = TissueDelivery {
    exchange_per_h: 7.0,
    exchange_source: "flow-limited: a small molecule crosses marrow sinusoids as fast as blood brings it; \
                      marrow blood flow is about 0.1–0.2 mL/min per g, 6–12 volumes an hour [approx]: tissue \
                      follows unbound plasma within minutes",
    unbound_fraction: 1.0,
    unbound_source: "not known: taken as unbound",
};

/// How the AMG-220 avimer (4 kDa) reaches the marrow.
pub const AVIMER_DELIVERY: TissueDelivery = TissueDelivery {
    exchange_per_h: 3.0,
    exchange_source: "a 4 kDa protein (radius ~1.4 nm) passes the capillary wall's small pores (radius ~4.5 nm; \
                      Rippe & Haraldsson 1994) somewhat hindered: taken as under half the flow limit of a small \
                      molecule, tissue following plasma within 15 minutes [approx]",
    unbound_fraction: 1.0,
    unbound_source: "a binding protein's plasma level is its own",
};

/// Fold rise of a tumour cell's IL-6 at a saturating paclitaxel concentration, minus one:
/// paclitaxel induced IL-6 in cancer cells through JNK (seed ref 110). The fold is not
/// given there; taken as a doubling, half-maximal at the cytotoxic IC50 [assumption].
pub const PACLITAXEL_IL6_GAIN: f64 = 1.0;

/// Share of NF-κB activity methylseleninic acid removes at saturation: it suppressed NF-κB
/// and the cytokines osteoblasts made in answer to cancer cells at 1–5 µM (seed, refs 74–77)
/// [approx: near-complete at the top of that range].
pub const MSA_MAX_NFKB_SUPPRESSION: f64 = 0.9;

/// How a binding constant was measured.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Binding {
    /// `"Kd"`, `"IC50"` or `"Ki"`.
    pub kind: &'static str,
    /// Value, nM.
    pub nm: f64,
    /// Where it comes from.
    pub source: &'static str,
}

/// Where a species' pharmacokinetics come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provenance {
    /// A population model or label of this species.
    Measured,
    /// The human model scaled to the species' body weight.
    Allometric,
    /// No measurement found: an assumption, reasoned in the source text.
    Assumed,
}

impl Provenance {
    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            Provenance::Measured => "measured",
            Provenance::Allometric => "allometric",
            Provenance::Assumed => "assumed",
        }
    }
}

/// A linear disposition as published: compartments, or exponentials.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DispositionSpec {
    /// Central compartment cleared at `cl_l_per_h`, exchanging with `(Q L/h, V L)`
    /// peripherals.
    Compartments {
        /// Clearance, L/h.
        cl_l_per_h: f64,
        /// Central volume, L.
        v1_l: f64,
        /// Peripheral compartments, `(Q L/h, V L)`.
        peripherals: &'static [(f64, f64)],
    },
    /// Concentration per mg of a bolus, `(coefficient 1/L, half-life h)` per phase.
    Exponentials(&'static [(f64, f64)]),
}

impl DispositionSpec {
    /// The impulse response.
    pub fn build(self) -> Result<Disposition, PkError> {
        match self {
            DispositionSpec::Compartments { cl_l_per_h, v1_l, peripherals } => {
                Disposition::mammillary(cl_l_per_h, v1_l, peripherals)
            }
            DispositionSpec::Exponentials(phases) => {
                let terms: Vec<Exponential> = phases
                    .iter()
                    .map(|&(c, h)| Exponential { coefficient_per_l: c, rate_per_h: std::f64::consts::LN_2 / h })
                    .collect();
                Disposition::exponentials(&terms)
            }
        }
    }
}

/// A drug's pharmacokinetics in one species.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PkSpec {
    /// Given for this species.
    Direct {
        /// How a dose enters plasma.
        route: Route,
        /// Distribution and elimination.
        disposition: DispositionSpec,
        /// Measured or assumed.
        provenance: Provenance,
    },
    /// A human disposition (this drug's, or that of the drug it stands in for) scaled to this
    /// species' body weight.
    ScaledFromHuman {
        /// The drug whose human model is scaled.
        model_of: Drug,
        /// How a dose enters plasma in this species (first-order absorption rate constants
        /// are scaled too).
        route: Route,
        /// Exponent of clearance with body weight (0.75; 0.85 for antibodies).
        clearance_exponent: f64,
    },
}

/// How a drug is given to one species, and what happens to it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Regimen {
    /// The unit of `dose`.
    pub dose_unit: DoseUnit,
    /// Smallest and largest plausible dose, in `dose_unit`.
    pub plausible: (f64, f64),
    /// Why that range.
    pub dose_basis: &'static str,
    /// Pharmacokinetics.
    pub pk: PkSpec,
    /// Where the pharmacokinetics come from.
    pub pk_source: &'static str,
}

/// A number the drug's effect needs besides its binding constant.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DrugConstant {
    /// What it is.
    pub name: &'static str,
    /// Its value.
    pub value: f64,
    /// Its unit.
    pub unit: &'static str,
    /// Where it comes from.
    pub source: &'static str,
}

/// Everything about one drug.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DrugInfo {
    /// The drug.
    pub drug: Drug,
    /// What it is, in a few words.
    pub what: &'static str,
    /// Molar mass, g/mol.
    pub molar_mass_g_per_mol: f64,
    /// What it acts on.
    pub target: Target,
    /// How tightly.
    pub binding: Binding,
    /// Unit of its `plasma_<drug>` column.
    pub plasma_unit: ConcentrationUnit,
    /// Human regimen, or why a human is not given it.
    pub human: Result<Regimen, &'static str>,
    /// Mouse regimen, or why a mouse is not given it (naming the surrogate).
    pub mouse: Result<Regimen, &'static str>,
    /// How it acts.
    pub effect: Effect,
    /// How it reaches the marrow from plasma (`None` for the hormones, which act on the host
    /// as a whole).
    pub tissue: Option<TissueDelivery>,
    /// Further constants for its effect.
    pub constants: &'static [DrugConstant],
}

impl Regimen {
    /// Half-lives of the disposition phases, hours, fastest first (for directly given
    /// models; empty for scaled ones).
    pub fn pk_half_lives(&self) -> Vec<f64> {
        match self.pk {
            PkSpec::Direct { disposition, .. } => disposition.build().map(|d| d.half_lives_h()).unwrap_or_default(),
            PkSpec::ScaledFromHuman { .. } => Vec::new(),
        }
    }
}

impl DrugInfo {
    /// The regimen for `species`, or why there is none.
    pub fn regimen(&self, species: Species) -> Result<Regimen, &'static str> {
        match species {
            Species::Human => self.human,
            Species::Mouse => self.mouse,
        }
    }

    /// Plasma concentration in nM of `mg_l` mg/L of this drug.
    pub fn nanomolar(&self, mg_l: f64) -> f64 {
        mg_l / self.molar_mass_g_per_mol * 1e6
    }
}

/// The route and disposition of `drug` in `species`.
pub fn resolve_pk(drug: Drug, species: Species) -> Result<(Route, Disposition, Provenance), String> {
    let info = drug.info();
    let regimen = info.regimen(species).map_err(str::to_string)?;
    match regimen.pk {
        PkSpec::Direct { route, disposition, provenance } => {
            Ok((route, disposition.build().map_err(|e| e.to_string())?, provenance))
        }
        PkSpec::ScaledFromHuman { model_of, route, clearance_exponent } => {
            let human =
                model_of.info().human.map_err(|_| format!("{} has no human model to scale", model_of.name()))?;
            let PkSpec::Direct { disposition, .. } = human.pk else {
                return Err(format!("{}: the human model is itself scaled", drug.name()));
            };
            let ratio = species.body().weight_kg / Species::Human.body().weight_kg;
            let scaled = scale(disposition, ratio, clearance_exponent).map_err(|e| e.to_string())?;
            let route = match route {
                Route::FirstOrder { ka_per_h, bioavailability } => {
                    Route::FirstOrder { ka_per_h: ka_per_h * ratio.powf(-0.25), bioavailability }
                }
                other => other,
            };
            Ok((route, scaled, Provenance::Allometric))
        }
    }
}

/// A disposition scaled by body weight: clearances × r^b, volumes × r, so rate constants ×
/// r^(b−1) and concentrations per mg × r^−1.
fn scale(spec: DispositionSpec, ratio: f64, exponent: f64) -> Result<Disposition, PkError> {
    match spec {
        DispositionSpec::Compartments { cl_l_per_h, v1_l, peripherals } => {
            let p: Vec<(f64, f64)> = peripherals.iter().map(|&(q, v)| (q * ratio.powf(exponent), v * ratio)).collect();
            Disposition::mammillary(cl_l_per_h * ratio.powf(exponent), v1_l * ratio, &p)
        }
        DispositionSpec::Exponentials(_) => {
            let human = spec.build()?;
            let terms: Vec<Exponential> = human
                .terms()
                .iter()
                .map(|t| Exponential {
                    coefficient_per_l: t.coefficient_per_l / ratio,
                    rate_per_h: t.rate_per_h * ratio.powf(exponent - 1.0),
                })
                .collect();
            Disposition::exponentials(&terms)
        }
    }
}

/// Hours per day.
const H: f64 = 24.0;

/// The normal plasma level of the host's own estradiol, mg/L: 1 on the `patient.estrogen`
/// scale. Human: about 100 pg/mL, the mean over a premenopausal cycle (follicular 30–100,
/// mid-cycle 200–400, postmenopausal below 20) [approx]. Mouse: about 10 pg/mL (cycling
/// females, 5–40 pg/mL by immunoassay) [approx].
pub fn normal_estradiol_mg_l(species: Species) -> f64 {
    match species {
        Species::Human => 100e-6,
        Species::Mouse => 10e-6,
    }
}

/// The normal plasma level of the host's own testosterone, mg/L: 1 on the
/// `patient.testosterone` scale. Human: 5.5 ng/mL (19 nmol/L, mid-range adult male;
/// castrate is below 0.5 ng/mL). Mouse: about 2 ng/mL (adult males, very pulsatile,
/// 0.5–10 ng/mL) [approx].
pub fn normal_testosterone_mg_l(species: Species) -> f64 {
    match species {
        Species::Human => 5.5e-3,
        Species::Mouse => 2.0e-3,
    }
}

/// Share of a man's estradiol made from testosterone (by aromatase in fat, bone and the
/// testes) rather than from adrenal precursors: about 80 % (Longcope et al. 1969, J Clin
/// Invest 48:2191, from the conversion rates of blood androgens); so castration or a GnRH
/// antagonist takes most of a man's estradiol with his testosterone, and estradiol is what
/// restrains bone resorption in men (Falahati-Nini et al. 2000, J Clin Invest 106:1553).
pub const MALE_ESTRADIOL_FROM_TESTOSTERONE: f64 = 0.8;

/// Degarelix concentration that halves the pituitary drive of testosterone production, mg/L.
pub const DEGARELIX_IC50_MG_L: f64 = 1.0e-3;

/// Half-life with which the host's testosterone production follows a change in pituitary
/// drive, hours.
pub const TESTOSTERONE_AXIS_HALF_LIFE_H: f64 = 12.0;

fn info(drug: Drug) -> DrugInfo {
    match drug {
        Drug::Tocilizumab => DrugInfo {
            drug,
            what: "humanised IgG1 anti-IL-6R antibody",
            molar_mass_g_per_mol: 148_000.0,
            target: Target::Il6Receptor,
            binding: Binding {
                kind: "Kd",
                nm: 2.5,
                source: "soluble IL-6R, about 1–3 nM as reviews report; binds membrane and soluble IL-6R \
                         alike (Mihara et al. 2005, Int Immunopharmacol 5:1731) [approx]",
            },
            plasma_unit: ConcentrationUnit::UgPerMl,
            human: Ok(Regimen {
                dose_unit: DoseUnit::MgPerKg,
                plausible: (1.0, 20.0),
                dose_basis: "label: 4–8 mg/kg IV every 4 weeks (12 mg/kg in children under 30 kg); at most \
                             800 mg a dose",
                pk: PkSpec::Direct {
                    route: Route::Infusion { hours: 1.0 },
                    disposition: DispositionSpec::Compartments {
                        cl_l_per_h: 0.3 / H,
                        v1_l: 3.5,
                        peripherals: &[(0.2 / H, 2.9)],
                    },
                    provenance: Provenance::Measured,
                },
                pk_source: "Frey et al. 2010, J Clin Pharmacol 50:754 (1793 RA patients, 1-h infusions): linear \
                            part CL 0.3 L/day, V1 3.5 L, Q 0.2 L/day, V2 2.9 L. The Michaelis–Menten \
                            target-mediated clearance (Vmax 7.5 mg/day, Km 2.7 µg/mL) is left out: the \
                            closed form matches Cmax but overstates the trough (see tests)",
            }),
            mouse: Err("tocilizumab does not bind mouse IL-6R; give its mouse surrogate, drug = \"mr16_1\" \
                        (rat anti-mouse IL-6R), or set patient.species = \"human\""),
            effect: Effect::Agent(Mechanism::Il6rBlockade),
            tissue: Some(IGG_DELIVERY),
            constants: &[
                DrugConstant { name: "target-mediated Vmax", value: 7.5, unit: "mg/day", source: "Frey et al. 2010" },
                DrugConstant { name: "target-mediated Km", value: 2.7, unit: "µg/mL", source: "Frey et al. 2010" },
            ],
        },
        Drug::Mr16_1 => DrugInfo {
            drug,
            what: "rat IgG1 anti-mouse IL-6R antibody (tocilizumab's surrogate in mice)",
            molar_mass_g_per_mol: 150_000.0,
            target: Target::Il6Receptor,
            binding: Binding {
                kind: "Kd",
                nm: 2.5,
                source: "not found for mouse IL-6R: assumed equal to tocilizumab's for human IL-6R",
            },
            plasma_unit: ConcentrationUnit::UgPerMl,
            human: Err("MR16-1 is a rat antibody against mouse IL-6R; a patient is given drug = \"tocilizumab\""),
            mouse: Ok(Regimen {
                dose_unit: DoseUnit::MgPerKg,
                plausible: (1.0, 100.0),
                dose_basis: "mouse studies give 0.5–2 mg a mouse (20–80 mg/kg), often a loading dose then \
                             weekly",
                pk: PkSpec::ScaledFromHuman {
                    model_of: Drug::Tocilizumab,
                    route: Route::Bolus,
                    clearance_exponent: 0.85,
                },
                pk_source: "no usable mouse PK found: tocilizumab's linear human model scaled to 25 g \
                            (allometric; intraperitoneal absorption, hours, taken as a bolus against \
                            elimination over days)",
            }),
            effect: Effect::Agent(Mechanism::Il6rBlockade),
            tissue: Some(IGG_DELIVERY),
            constants: &[],
        },
        Drug::Siltuximab => DrugInfo {
            drug,
            what: "chimeric IgG1 anti-IL-6 antibody",
            molar_mass_g_per_mol: 145_000.0,
            target: Target::Il6,
            binding: Binding {
                kind: "Kd",
                nm: 0.03,
                source: "human IL-6, tens of picomolar as reviews of CNTO 328 report [approx]; it does not \
                         bind mouse IL-6",
            },
            plasma_unit: ConcentrationUnit::UgPerMl,
            human: Ok(Regimen {
                dose_unit: DoseUnit::MgPerKg,
                plausible: (0.1, 30.0),
                dose_basis: "label: 11 mg/kg IV every 3 weeks; trials 0.15–15.6 mg/kg",
                pk: PkSpec::Direct {
                    route: Route::Infusion { hours: 1.0 },
                    disposition: DispositionSpec::Compartments {
                        cl_l_per_h: 0.214 / H,
                        v1_l: 3.66,
                        peripherals: &[(0.624 / H, 3.13)],
                    },
                    provenance: Provenance::Measured,
                },
                pk_source: "Nikanjam et al. 2019, Cancer Chemother Pharmacol 84:993 (460 subjects, 73 kg \
                            reference patient): CL 0.214 L/day, V1 3.66 L, Q 0.624 L/day, V2 3.13 L; \
                            linear over the doses studied",
            }),
            mouse: Err("siltuximab binds human IL-6 only, and the model's IL-6 field does not tell a \
                        xenograft's human IL-6 from the host's mouse IL-6; set patient.species = \"human\""),
            effect: Effect::Agent(Mechanism::Il6Sequestration),
            tissue: Some(IGG_DELIVERY),
            constants: &[],
        },
        Drug::Amg220 => DrugInfo {
            drug,
            what: "anti-IL-6 avimer (C326), a small non-antibody protein",
            molar_mass_g_per_mol: 4_000.0,
            target: Target::Il6,
            binding: Binding {
                kind: "IC50",
                nm: 0.001,
                source: "picomolar IC50 (seed refs 132–133; Silverman et al. 2005, Nat Biotechnol 23:1556) \
                         [approx]",
            },
            plasma_unit: ConcentrationUnit::NgPerMl,
            human: Ok(Regimen {
                dose_unit: DoseUnit::MgPerKg,
                plausible: (0.01, 10.0),
                dose_basis: "no clinical dose published; a range around antibody doses scaled by molar mass \
                             and affinity (assumption)",
                pk: PkSpec::Direct {
                    route: Route::Infusion { hours: 1.0 },
                    disposition: DispositionSpec::Compartments { cl_l_per_h: 7.5, v1_l: 15.0, peripherals: &[] },
                    provenance: Provenance::Assumed,
                },
                pk_source: "no PK published (SCIENCE §7): a ~4 kDa protein (seed) is filtered freely by the \
                            kidney, so CL is taken as the glomerular filtration rate (125 mL/min = 7.5 L/h) \
                            and V as extracellular fluid (15 L): half-life 1.4 h. Half-life-extended \
                            avimers clear more slowly; this is the unextended case",
            }),
            mouse: Err("binding of AMG-220 to mouse IL-6 is not reported, and the model's IL-6 field does not \
                        tell human IL-6 from mouse IL-6; set patient.species = \"human\""),
            effect: Effect::Agent(Mechanism::Il6Sequestration),
            tissue: Some(AVIMER_DELIVERY),
            constants: &[],
        },
        Drug::Denosumab => DrugInfo {
            drug,
            what: "human IgG2 anti-RANKL antibody",
            molar_mass_g_per_mol: 147_000.0,
            target: Target::Rankl,
            binding: Binding {
                kind: "Kd",
                nm: 0.003,
                source: "human RANKL, 3 pM (Kostenuik et al. 2009, J Bone Miner Res 24:182)",
            },
            plasma_unit: ConcentrationUnit::UgPerMl,
            human: Ok(Regimen {
                dose_unit: DoseUnit::Mg,
                plausible: (1.0, 240.0),
                dose_basis: "labels: 60 mg SC every 6 months (osteoporosis), 120 mg SC every 4 weeks (bone \
                             metastases); studied 6–210 mg",
                pk: PkSpec::Direct {
                    route: Route::FirstOrder { ka_per_h: std::f64::consts::LN_2 / (2.7 * H), bioavailability: 0.61 },
                    disposition: DispositionSpec::Compartments { cl_l_per_h: 3.25e-3, v1_l: 2.62, peripherals: &[] },
                    provenance: Provenance::Measured,
                },
                pk_source: "Gibiansky et al. 2012, Clin Pharmacokinet 51:247 (bone metastases, 66 kg): \
                            bioavailability 61 %, absorption half-life 2.7 days, V 2.62 L, linear CL \
                            3.25 mL/h; the peripheral compartment and the RANKL-mediated clearance are left \
                            out (half-life 23 days against the label's 28)",
            }),
            mouse: Err("denosumab does not bind mouse RANKL; give its mouse analogue, drug = \"opg_fc\", or set \
                        patient.species = \"human\""),
            effect: Effect::Agent(Mechanism::RanklDecoy),
            tissue: Some(IGG_DELIVERY),
            constants: &[],
        },
        Drug::OpgFc => DrugInfo {
            drug,
            what: "osteoprotegerin–Fc fusion protein (RANKL decoy), denosumab's analogue in mice",
            molar_mass_g_per_mol: 100_000.0,
            target: Target::Rankl,
            binding: Binding {
                kind: "Kd",
                nm: 1.0,
                source: "the model's own OPG–RANKL constant (osteoclast.opg_kd_pm = 1000 pM; Lemaire et al. \
                         2004)",
            },
            plasma_unit: ConcentrationUnit::UgPerMl,
            human: Err("OPG-Fc is given here as denosumab's mouse analogue; a patient is given drug = \"denosumab\""),
            mouse: Ok(Regimen {
                dose_unit: DoseUnit::MgPerKg,
                plausible: (0.1, 30.0),
                dose_basis: "mouse bone-metastasis studies give 1–10 mg/kg SC several times a week (e.g. Morony \
                             et al. 2001, Cancer Res 61:4432)",
                pk: PkSpec::ScaledFromHuman {
                    model_of: Drug::Denosumab,
                    route: Route::FirstOrder { ka_per_h: std::f64::consts::LN_2 / (2.7 * H), bioavailability: 0.61 },
                    clearance_exponent: 0.85,
                },
                pk_source: "no usable mouse PK found: denosumab's linear human model scaled to 25 g \
                            (allometric; Fc fusions clear faster than antibodies, so this overstates \
                            exposure)",
            }),
            effect: Effect::Agent(Mechanism::RanklDecoy),
            tissue: Some(IGG_DELIVERY),
            constants: &[],
        },
        Drug::ZoledronicAcid => DrugInfo {
            drug,
            what: "nitrogen-containing bisphosphonate",
            molar_mass_g_per_mol: 272.09,
            target: Target::BoneMineral,
            binding: Binding {
                kind: "Kd",
                nm: 320.0,
                source: "hydroxyapatite, affinity constant 3.1 × 10⁶ M⁻¹ (Nancollas et al. 2006, Bone 38:617)",
            },
            plasma_unit: ConcentrationUnit::NgPerMl,
            human: Ok(Regimen {
                dose_unit: DoseUnit::Mg,
                plausible: (0.5, 16.0),
                dose_basis: "label: 4 mg IV over 15 min every 3–4 weeks (5 mg yearly for osteoporosis); \
                             studied 2–16 mg",
                pk: PkSpec::Direct {
                    route: Route::Infusion { hours: 0.25 },
                    disposition: DispositionSpec::Exponentials(&[(0.11975, 0.24), (0.015375, 1.87), (0.00039, 146.0)]),
                    provenance: Provenance::Measured,
                },
                pk_source: "label (Zometa): triphasic, half-lives 0.24, 1.87 and 146 h, below 1 % of Cmax at \
                            24 h; AUC0–24 0.37 mg·h/L at 4 mg from Chen et al. 2002, J Clin Pharmacol 42:1228 \
                            (38 % of the dose in urine by 24 h at a renal clearance of 69 mL/min); AUC0–∞ \
                            0.66 mg·h/L (the label's dose-adjustment target) fixes the 146 h phase; the α \
                            and β phases are given equal areas (their split is not published)",
            }),
            mouse: Ok(Regimen {
                dose_unit: DoseUnit::MgPerKg,
                plausible: (0.001, 1.0),
                dose_basis: "mouse studies give 0.02–0.1 mg/kg SC, once or weekly (e.g. 0.1 mg/kg in the \
                             breast cancer bone models)",
                pk: PkSpec::ScaledFromHuman {
                    model_of: Drug::ZoledronicAcid,
                    route: Route::Bolus,
                    clearance_exponent: 0.75,
                },
                pk_source: "human phases scaled to 25 g (allometric); SC absorption of a bisphosphonate \
                            takes under an hour, taken as a bolus",
            }),
            effect: Effect::BoneBinding,
            tissue: Some(TissueDelivery {
                unbound_fraction: 0.6,
                unbound_source: "label (Zometa): 28–53 % bound to plasma proteins",
                ..SMALL_MOLECULE_DELIVERY
            }),
            constants: &[
                DrugConstant {
                    name: "share of a dose bound to bone",
                    value: 0.62,
                    unit: "",
                    source: "Chen et al. 2002: 38 % in urine over 24 h, traces after; the rest binds bone",
                },
                DrugConstant {
                    name: "FPPS IC50 (osteoclast target)",
                    value: 3.0,
                    unit: "nM",
                    source: "Dunford et al. 2001, J Pharmacol Exp Ther 296:235 [approx]",
                },
            ],
        },
        Drug::Docetaxel => DrugInfo {
            drug,
            what: "taxane: stabilises microtubules, kills cells in mitosis",
            molar_mass_g_per_mol: 807.88,
            target: Target::Microtubules,
            binding: Binding {
                kind: "IC50",
                nm: 2.0,
                source: "cytotoxicity of prostate and breast cancer lines in vitro, low nanomolar [approx]",
            },
            plasma_unit: ConcentrationUnit::NgPerMl,
            human: Ok(Regimen {
                dose_unit: DoseUnit::MgPerM2,
                plausible: (10.0, 100.0),
                dose_basis: "label: 60–100 mg/m² IV over 1 h every 3 weeks (75 mg/m² in prostate cancer); \
                             weekly 30–40 mg/m²",
                pk: PkSpec::Direct {
                    route: Route::Infusion { hours: 1.0 },
                    disposition: DispositionSpec::Compartments {
                        cl_l_per_h: 35.7,
                        v1_l: 6.94,
                        peripherals: &[(5.58, 7.39), (12.5, 225.0)],
                    },
                    provenance: Provenance::Measured,
                },
                pk_source: "Ozawa et al. 2007, Cancer Sci 98:1985 (three compartments as in Bruno et al. 1996, \
                            J Pharmacokinet Biopharm 24:153): CL 35.7 L/h, V1 6.94 L, Q2 5.58 L/h, V2 \
                            7.39 L, Q3 12.5 L/h, V3 225 L",
            }),
            mouse: Ok(Regimen {
                dose_unit: DoseUnit::MgPerKg,
                plausible: (1.0, 40.0),
                dose_basis: "mouse xenograft studies give 5–20 mg/kg IV weekly (maximum tolerated about 30 mg/kg)",
                pk: PkSpec::ScaledFromHuman {
                    model_of: Drug::Docetaxel,
                    route: Route::Bolus,
                    clearance_exponent: 0.75,
                },
                pk_source: "human model scaled to 25 g (allometric); IV bolus",
            }),
            effect: Effect::Agent(Mechanism::MitoticArrest { il6_gain: 0.0 }),
            tissue: Some(TissueDelivery {
                unbound_fraction: 0.06,
                unbound_source: "label (Taxotere): 94–97 % bound to plasma proteins",
                ..SMALL_MOLECULE_DELIVERY
            }),
            constants: &[],
        },
        Drug::Paclitaxel => DrugInfo {
            drug,
            what: "taxane: stabilises microtubules, kills cells in mitosis; induces IL-6 (seed ref 110)",
            molar_mass_g_per_mol: 853.9,
            target: Target::Microtubules,
            binding: Binding {
                kind: "IC50",
                nm: 5.0,
                source: "2.5–7.5 nM for 24 h exposure in eight human tumour lines (Liebmann et al. 1993, \
                         Br J Cancer 68:1104)",
            },
            plasma_unit: ConcentrationUnit::NgPerMl,
            human: Ok(Regimen {
                dose_unit: DoseUnit::MgPerM2,
                plausible: (20.0, 250.0),
                dose_basis: "80 mg/m² IV over 1 h weekly, or 175 mg/m² over 3 h every 3 weeks (label)",
                pk: PkSpec::Direct {
                    route: Route::Infusion { hours: 1.0 },
                    disposition: DispositionSpec::Compartments {
                        cl_l_per_h: 26.04,
                        v1_l: 34.08,
                        peripherals: &[(4.2, 67.67)],
                    },
                    provenance: Provenance::Measured,
                },
                pk_source: "Sun et al. 2025, Clin Transl Sci 18:e70404 (60 women, 80 mg/m² weekly 1-h \
                            infusions): CL 26.04 L/h, V1 34.08 L, Q 4.2 L/h, V2 67.67 L. Saturable \
                            distribution at 3-h 175 mg/m² doses is left out",
            }),
            mouse: Ok(Regimen {
                dose_unit: DoseUnit::MgPerKg,
                plausible: (2.0, 60.0),
                dose_basis: "mouse xenograft studies give 10–30 mg/kg IV or IP",
                pk: PkSpec::ScaledFromHuman {
                    model_of: Drug::Paclitaxel,
                    route: Route::Bolus,
                    clearance_exponent: 0.75,
                },
                pk_source: "human model scaled to 25 g (allometric); IV bolus",
            }),
            effect: Effect::Agent(Mechanism::MitoticArrest { il6_gain: PACLITAXEL_IL6_GAIN }),
            tissue: Some(TissueDelivery {
                unbound_fraction: 0.07,
                unbound_source: "label (Taxol): 89–98 % bound to plasma proteins",
                ..SMALL_MOLECULE_DELIVERY
            }),
            constants: &[],
        },
        Drug::Cxcr4Antagonist => DrugInfo {
            drug,
            what: "plerixafor (AMD3100), a small-molecule CXCR4 antagonist",
            molar_mass_g_per_mol: 502.8,
            target: Target::Cxcr4,
            binding: Binding {
                kind: "IC50",
                nm: 50.0,
                source: "inhibition of CXCL12 binding and signalling, tens to hundreds of nanomolar depending on \
                         the assay (Hatse et al. 2002, FEBS Lett 527:255) [approx]",
            },
            plasma_unit: ConcentrationUnit::NgPerMl,
            human: Ok(Regimen {
                dose_unit: DoseUnit::MgPerKg,
                plausible: (0.02, 1.0),
                dose_basis: "label: 0.24 mg/kg SC daily for stem-cell mobilisation",
                pk: PkSpec::Direct {
                    route: Route::FirstOrder { ka_per_h: 5.0, bioavailability: 1.0 },
                    disposition: DispositionSpec::Compartments { cl_l_per_h: 4.04, v1_l: 21.0, peripherals: &[] },
                    provenance: Provenance::Measured,
                },
                pk_source: "label (Mozobil): peak 30–60 min after SC injection, half-life 3–5 h, volume \
                            0.3 L/kg: V 21 L, CL 4.04 L/h (half-life 3.6 h), ka 5 /h (peak at 0.7 h); \
                            complete SC absorption assumed",
            }),
            mouse: Ok(Regimen {
                dose_unit: DoseUnit::MgPerKg,
                plausible: (0.5, 20.0),
                dose_basis: "5 mg/kg SC is the usual mobilising dose in mice",
                pk: PkSpec::ScaledFromHuman {
                    model_of: Drug::Cxcr4Antagonist,
                    route: Route::FirstOrder { ka_per_h: 5.0, bioavailability: 1.0 },
                    clearance_exponent: 0.75,
                },
                pk_source: "human model scaled to 25 g (allometric)",
            }),
            effect: Effect::Agent(Mechanism::Cxcr4Antagonism),
            tissue: Some(TissueDelivery {
                unbound_fraction: 0.5,
                unbound_source: "label (Mozobil): up to 58 % bound to plasma proteins",
                ..SMALL_MOLECULE_DELIVERY
            }),
            constants: &[],
        },
        Drug::NfkbInhibitor => DrugInfo {
            drug,
            what: "methylseleninic acid, which suppresses NF-κB (seed)",
            molar_mass_g_per_mol: 127.0,
            target: Target::NfKappaB,
            binding: Binding {
                kind: "IC50",
                nm: 2500.0,
                source: "suppression of NF-κB activity in cultured cells at 1–5 µM (seed, section on IL-6 \
                         production by cancer cells) [approx]",
            },
            plasma_unit: ConcentrationUnit::NgPerMl,
            human: Err("methylseleninic acid has no clinical dose or human pharmacokinetics; give it to a mouse \
                        (patient.species = \"mouse\")"),
            mouse: Ok(Regimen {
                dose_unit: DoseUnit::MgPerKg,
                plausible: (0.1, 10.0),
                dose_basis: "mouse studies give about 1–5 mg/kg a day by gavage (assumption from published \
                             designs)",
                pk: PkSpec::Direct {
                    route: Route::FirstOrder { ka_per_h: 2.0, bioavailability: 0.5 },
                    disposition: DispositionSpec::Compartments { cl_l_per_h: 0.0121, v1_l: 0.0175, peripherals: &[] },
                    provenance: Provenance::Assumed,
                },
                pk_source: "no plasma PK found: a small, rapidly metabolised selenium compound taken to spread \
                            in body water (0.7 L/kg) with a 1 h half-life, absorbed from the gut at 2 /h with \
                            half of it reaching plasma (assumptions)",
            }),
            effect: Effect::Agent(Mechanism::NfkbSuppression { max_share: MSA_MAX_NFKB_SUPPRESSION }),
            tissue: Some(SMALL_MOLECULE_DELIVERY),
            constants: &[],
        },
        Drug::Estradiol => DrugInfo {
            drug,
            what: "17β-estradiol replacement (a transdermal patch in women, a slow-release pellet in mice)",
            molar_mass_g_per_mol: 272.38,
            target: Target::EstrogenReceptor,
            binding: Binding { kind: "Kd", nm: 0.1, source: "estrogen receptor α, about 0.1 nM [approx]" },
            plasma_unit: ConcentrationUnit::PgPerMl,
            human: Ok(Regimen {
                dose_unit: DoseUnit::MgPerDay,
                plausible: (0.01, 0.3),
                dose_basis: "patches deliver 0.025–0.1 mg/day and are changed every 3.5 or 7 days",
                pk: PkSpec::Direct {
                    route: Route::Release,
                    disposition: DispositionSpec::Compartments {
                        cl_l_per_h: 1000.0 / H,
                        v1_l: 120.0,
                        peripherals: &[],
                    },
                    provenance: Provenance::Measured,
                },
                pk_source: "metabolic clearance of estradiol about 1,000 L/day (600–1,400 in the isotope studies \
                            of Longcope and colleagues) [approx], so a 0.05 mg/day patch gives \
                            50 pg/mL, as patch labels report (30–65 pg/mL); half-life 2 h (V 120 L) \
                            [approx]",
            }),
            mouse: Ok(Regimen {
                dose_unit: DoseUnit::MgPerDay,
                plausible: (0.00005, 0.03),
                dose_basis: "pellets and silastic capsules release 0.1–30 µg/day; physiological replacement \
                             is below 1 µg/day (Ingberg et al. 2012, Gen Comp Endocrinol 175:188)",
                pk: PkSpec::ScaledFromHuman {
                    model_of: Drug::Estradiol,
                    route: Route::Release,
                    clearance_exponent: 0.75,
                },
                pk_source: "human clearance scaled to 25 g (allometric: 2.2 L/day), which puts a 1.7 µg/day \
                            pellet at about 750 pg/mL, in the supraphysiological range Ingberg et al. 2012 \
                            measured",
            }),
            effect: Effect::Hormone,
            tissue: None,
            constants: &[],
        },
        Drug::Testosterone => DrugInfo {
            drug,
            what: "testosterone replacement (transdermal patch or gel, systemic dose)",
            molar_mass_g_per_mol: 288.42,
            target: Target::AndrogenReceptor,
            binding: Binding { kind: "Kd", nm: 0.5, source: "androgen receptor, about 0.5 nM [approx]" },
            plasma_unit: ConcentrationUnit::NgPerMl,
            human: Ok(Regimen {
                dose_unit: DoseUnit::MgPerDay,
                plausible: (0.5, 15.0),
                dose_basis: "patches deliver 2–6 mg/day, changed daily; production in men is 5–7 mg/day",
                pk: PkSpec::Direct {
                    route: Route::Release,
                    disposition: DispositionSpec::Compartments { cl_l_per_h: 1000.0 / H, v1_l: 60.0, peripherals: &[] },
                    provenance: Provenance::Measured,
                },
                pk_source: "metabolic clearance of testosterone about 1,000 L/day in men [approx], so normal \
                            production (5–7 mg/day) gives 5–7 ng/mL; half-life about 1 h (V 60 L) [approx]",
            }),
            mouse: Ok(Regimen {
                dose_unit: DoseUnit::MgPerDay,
                plausible: (0.001, 1.0),
                dose_basis: "implants in castrated mice release 5–100 µg/day",
                pk: PkSpec::ScaledFromHuman {
                    model_of: Drug::Testosterone,
                    route: Route::Release,
                    clearance_exponent: 0.75,
                },
                pk_source: "human clearance scaled to 25 g (allometric)",
            }),
            effect: Effect::Hormone,
            tissue: None,
            constants: &[],
        },
        Drug::Degarelix => DrugInfo {
            drug,
            what: "GnRH antagonist: androgen deprivation (chemical castration)",
            molar_mass_g_per_mol: 1632.3,
            target: Target::GnrhReceptor,
            binding: Binding {
                kind: "IC50",
                nm: DEGARELIX_IC50_MG_L * 1e6 / 1632.3,
                source: "in vivo IC50 of 1 ng/mL for the pituitary drive of testosterone, chosen so that \
                         240 mg brings testosterone below 10 % of normal by day 3, as in 96 % of patients \
                         (label); fitted, not measured",
            },
            plasma_unit: ConcentrationUnit::NgPerMl,
            human: Ok(Regimen {
                dose_unit: DoseUnit::Mg,
                plausible: (20.0, 320.0),
                dose_basis: "label: 240 mg SC to start, then 80 mg every 28 days",
                pk: PkSpec::Direct {
                    route: Route::FirstOrder { ka_per_h: std::f64::consts::LN_2 / (53.0 * H), bioavailability: 1.0 },
                    disposition: DispositionSpec::Compartments { cl_l_per_h: 228.0 / H, v1_l: 70.0, peripherals: &[] },
                    provenance: Provenance::Measured,
                },
                pk_source: "label (Firmagon) [approx]: after 240 mg, AUC 1054 ng·day/mL (CL/F 228 L/day, 9.5 L/h) and \
                            half-life 53 days, set by slow release from the SC depot (flip-flop: ka = ln 2 / \
                            53 days); V/F 70 L assumed. The label's Cmax of 26 ng/mL at 2 days comes from a \
                            faster first release this single depot leaves out (it gives about 14 ng/mL)",
            }),
            mouse: Ok(Regimen {
                dose_unit: DoseUnit::MgPerKg,
                plausible: (0.5, 50.0),
                dose_basis: "rodent studies give 2–10 mg/kg SC every few weeks",
                pk: PkSpec::ScaledFromHuman {
                    model_of: Drug::Degarelix,
                    route: Route::FirstOrder { ka_per_h: std::f64::consts::LN_2 / (53.0 * H), bioavailability: 1.0 },
                    clearance_exponent: 0.75,
                },
                pk_source: "human model scaled to 25 g (allometric)",
            }),
            effect: Effect::Hormone,
            tissue: None,
            constants: &[
                DrugConstant {
                    name: "IC50 for the drive of testosterone production",
                    value: DEGARELIX_IC50_MG_L * 1e6,
                    unit: "ng/mL",
                    source: "fitted to the label (castrate by day 3)",
                },
                DrugConstant {
                    name: "half-life of testosterone production following its drive",
                    value: TESTOSTERONE_AXIS_HALF_LIFE_H,
                    unit: "h",
                    source: "fitted to the label (castrate by day 3 after 240 mg)",
                },
            ],
        },
    }
}
