//! Model parameters: one typed set, grouped by concept, every value with its unit in its
//! name, its allowed range and its source.
//!
//! A parameter is addressed by its dotted name, `group.name` (`osteoclast.lifespan_days`),
//! from a scenario's `[parameters]` table or from `--set` on the command line. The numbers
//! live once, in the group tables below; `docs/parameters.md` is generated from them
//! (`bonesim params`) and a test keeps it in step.

use serde::{Deserialize, Serialize};

/// What is known about one parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParamInfo {
    /// Group, the part of the dotted name before the dot.
    pub group: &'static str,
    /// Name within the group.
    pub name: &'static str,
    /// Smallest allowed value.
    pub min: f64,
    /// Largest allowed value.
    pub max: f64,
    /// Default value.
    pub default: f64,
    /// What it does, and where the number comes from.
    pub doc: &'static str,
}

impl ParamInfo {
    /// `group.name`.
    pub fn dotted(&self) -> String {
        format!("{}.{}", self.group, self.name)
    }
}

/// A parameter that cannot be set.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamError {
    /// No parameter has this name.
    Unknown {
        /// The name given.
        name: String,
        /// The closest known name, if one is close.
        suggestion: Option<String>,
    },
    /// The value is outside the allowed range.
    OutOfRange {
        /// The parameter.
        name: String,
        /// The value given.
        value: f64,
        /// Smallest allowed value.
        min: f64,
        /// Largest allowed value.
        max: f64,
    },
}

impl std::fmt::Display for ParamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParamError::Unknown { name, suggestion: Some(s) } => {
                write!(f, "unknown parameter \"{name}\" (did you mean \"{s}\"?)")
            }
            ParamError::Unknown { name, suggestion: None } => {
                write!(f, "unknown parameter \"{name}\" (`bonesim params` lists them)")
            }
            ParamError::OutOfRange { name, value, min, max } => {
                write!(f, "{name} = {value} is out of range: allowed {min} to {max}")
            }
        }
    }
}

impl std::error::Error for ParamError {}

/// Declares a parameter group: the struct with documented fields, its `Default`, and a
/// visitor that lists every field with its range and doc.
macro_rules! parameter_group {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[doc = $doc:literal])+
                $field:ident: $default:expr, range $min:expr => $max:expr;
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct $name {
            $( $(#[doc = $doc])+ pub $field: f64, )*
        }

        impl Default for $name {
            fn default() -> Self {
                Self { $( $field: $default, )* }
            }
        }

        impl $name {
            /// Calls `f` with every parameter of the group, under the group name `group`.
            pub fn visit(&mut self, group: &'static str, f: &mut dyn FnMut($crate::params::ParamInfo, &mut f64)) {
                $(
                    f(
                        $crate::params::ParamInfo {
                            group,
                            name: stringify!($field),
                            min: $min,
                            max: $max,
                            default: $default,
                            doc: concat!($($doc, "\n"),+),
                        },
                        &mut self.$field,
                    );
                )*
            }
        }
    };
}

pub(crate) use parameter_group;

/// Declares [`ModelParams`] from its groups.
macro_rules! model_params {
    ( $( $(#[doc = $doc:literal])+ $group:ident: $ty:ty = $default:expr; )* ) => {
        /// Every parameter of the model, by group.
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        pub struct ModelParams {
            $( $(#[doc = $doc])+ pub $group: $ty, )*
        }

        impl Default for ModelParams {
            fn default() -> Self {
                Self { $( $group: $default, )* }
            }
        }

        impl ModelParams {
            /// Calls `f` with every parameter.
            pub fn visit(&mut self, f: &mut dyn FnMut(ParamInfo, &mut f64)) {
                $( self.$group.visit(stringify!($group), f); )*
            }
        }
    };
}

use crate::biology::{
    bone::{BoneParams, HostParams},
    immune::ImmuneParams,
    osteoblast::OsteoblastParams,
    osteoclast::OsteoclastParams,
    osteocyte::OsteocyteParams,
    signalling::SignallingParams,
    stroma::StromaParams,
    tumor::{CancerParams, TumorPhenotype},
};
use crate::field::{FieldId, FieldTransport, FieldTransports, SolverParams};
use crate::scenario::Species;

/// Parameters whose defaults differ in a mouse, with the reason: `(name, value, why)`. The
/// tumour models are young mice, whose tibial metaphysis is high-turnover bone; a scenario's
/// own `[parameters]` apply on top.
pub const MOUSE_DEFAULTS: &[(&str, f64, &str)] = &[
    (
        "host.spinup_days",
        42.0,
        "Two remodeling cycles of young rodent trabecular bone (Baron et al. 1984: formation takes \
         weeks, not months), so that day 0 finds the metaphysis remodeling at its own pace.",
    ),
    (
        "osteocyte.rankl_molecules_per_h",
        95.7,
        "Young growing bone makes more RANKL than adult bone, so more of its surface is remodeled \
         without a targeting signal. Tuned so that a tumour-free 2 × 2 mm mouse section keeps \
         tens of osteoclasts (Baron et al. 1984: young rodent trabecular bone has five times the \
         osteoclasts of adult bone). 200 before TNF-α potentiated RANKL: the tumour-free mouse section's \
         TNF-α (0.29 pM) makes precursors answer RANKL 1.9-fold, so 200/1.9 = 106; then 106/1.108 when \
         osteocytes came to answer STAT3 and PGE2 (the mouse section's IL-6 and PGE2 raise their \
         RANKL 1.108-fold at the outlets: STAT3 0.047, EP occupancy 0.0047, days 60–120 of a \
         200 × 200 mouse `homeostasis`, seed 1).",
    ),
    (
        "osteocyte.apoptosis_per_year",
        0.15,
        "Five times the adult human rate: the trabecular bone of young (8-week) rats has five times \
         the osteoclasts and the bone formation of 12-week rats, whose turnover matches adult human \
         iliac crest (Baron et al. 1984, Anat Rec 208:137); targeted remodeling starts five times as \
         often.",
    ),
    (
        "osteoblast.fill_days",
        13.0,
        "Mineral apposition 1.5 times the adult rate in young rodents (Baron et al. 1984): 10 µm in \
         ~13 days.",
    ),
    (
        "serum.plasma_volume_ml",
        1.0,
        "A 25 g mouse has ~72 mL of blood per kg (Diehl et al. 2001, J Appl Toxicol 21:15), ~1.8 mL, \
         a little over half of it plasma.",
    ),
    (
        "serum.represented_marrow_ml",
        0.01,
        "The section stands for the marrow of the injected tibia, ~10 µL (a cavity under 1 mm across \
         and ~15 mm long).",
    ),
];
use crate::systemic::{InflammationParams, SerumParams};

model_params! {
    /// The host's state at the start of a run.
    host: HostParams = HostParams::default();
    /// Bone matrix: mineralisation, stored growth factors, how matrix hinders diffusion.
    bone: BoneParams = BoneParams::default();
    /// Osteoclast lineage: precursors, commitment, fusion, resorption, survival.
    osteoclast: OsteoclastParams = OsteoclastParams::default();
    /// Osteoblast lineage: pre-osteoblasts, matrix deposition, fates, and what the lineage
    /// (stroma included) makes in answer to its signals.
    osteoblast: OsteoblastParams = OsteoblastParams::default();
    /// Osteocytes: RANKL, turnover, targeting of remodeling.
    osteocyte: OsteocyteParams = OsteocyteParams::default();
    /// Marrow stroma and mesenchymal progenitors.
    stroma: StromaParams = StromaParams::default();
    /// Marrow macrophages and T cells.
    immune: ImmuneParams = ImmuneParams::default();
    /// Receptors and intracellular signalling (IL-6, NF-κB, hormones).
    signalling: SignallingParams = SignallingParams::default();
    /// What tumour cells of every type share.
    cancer: CancerParams = CancerParams::default();
    /// Breast cancer cells.
    breast: TumorPhenotype = TumorPhenotype::BREAST;
    /// Prostate cancer cells.
    prostate: TumorPhenotype = TumorPhenotype::PROSTATE;
    /// Multiple myeloma cells.
    myeloma: TumorPhenotype = TumorPhenotype::MYELOMA;
    /// Lung cancer cells.
    lung: TumorPhenotype = TumorPhenotype::LUNG;
    /// Renal cell carcinoma cells.
    renal: TumorPhenotype = TumorPhenotype::RENAL;
    /// Blood serum and the exchange with it.
    serum: SerumParams = SerumParams::default();
    /// Acute inflammatory challenges.
    inflammation: InflammationParams = InflammationParams::default();
    /// Every field's diffusion and half-life, each under the field's name.
    fields: FieldTransports = FieldTransports::default();
    /// The field solver.
    solver: SolverParams = SolverParams::default();
}

impl ModelParams {
    /// How `field` moves and decays.
    pub fn transport(&self, field: FieldId) -> FieldTransport {
        self.fields.get(field)
    }

    /// The phenotype of `kind`'s tumour cells, with any parameters set.
    pub fn phenotype(&self, kind: crate::scenario::TumorType) -> Option<TumorPhenotype> {
        use crate::scenario::TumorType;
        match kind {
            TumorType::None => None,
            TumorType::Breast => Some(self.breast),
            TumorType::Prostate => Some(self.prostate),
            TumorType::Myeloma => Some(self.myeloma),
            TumorType::Lung => Some(self.lung),
            TumorType::Renal => Some(self.renal),
        }
    }

    /// Every parameter's description, in declaration order.
    pub fn catalogue() -> Vec<ParamInfo> {
        let mut list = Vec::new();
        ModelParams::default().visit(&mut |info, _| list.push(info));
        list
    }

    /// Whether `name` is a parameter.
    pub fn has(name: &str) -> bool {
        Self::catalogue().iter().any(|p| p.dotted() == name)
    }

    /// The value of parameter `name`.
    pub fn get(&self, name: &str) -> Option<f64> {
        let mut found = None;
        self.clone().visit(&mut |info, v| {
            if info.dotted() == name {
                found = Some(*v);
            }
        });
        found
    }

    /// Sets parameter `name` to `value`, checking its range.
    pub fn set(&mut self, name: &str, value: f64) -> Result<(), ParamError> {
        let mut result = None;
        self.visit(&mut |info, v| {
            if result.is_none() && info.dotted() == name {
                result = Some(if value.is_finite() && (info.min..=info.max).contains(&value) {
                    *v = value;
                    Ok(())
                } else {
                    Err(ParamError::OutOfRange { name: name.into(), value, min: info.min, max: info.max })
                });
            }
        });
        result.unwrap_or_else(|| Err(ParamError::Unknown { name: name.into(), suggestion: closest_name(name) }))
    }

    /// The defaults for a host of `species`: [`MOUSE_DEFAULTS`] for a mouse.
    pub fn for_species(species: Species) -> ModelParams {
        let mut params = ModelParams::default();
        if species == Species::Mouse {
            for &(name, value, _) in MOUSE_DEFAULTS {
                params.set(name, value).expect("the mouse defaults are valid parameters");
            }
        }
        params
    }

    /// The defaults for `species` with every entry of `overrides` applied.
    pub fn with_overrides<'a>(
        species: Species,
        overrides: impl IntoIterator<Item = (&'a String, &'a f64)>,
    ) -> Result<ModelParams, ParamError> {
        let mut params = ModelParams::for_species(species);
        for (name, value) in overrides {
            params.set(name, *value)?;
        }
        Ok(params)
    }

    /// The parameter table as Markdown (what `docs/parameters.md` holds).
    pub fn markdown() -> String {
        let mut out = String::from(
            "# Model parameters\n\nGenerated by `bonesim params`; set any of them from a scenario's \
             `[parameters]` table or with `--set name=value`.\n",
        );
        let mut group = "";
        for p in Self::catalogue() {
            if p.group != group {
                group = p.group;
                out.push_str(&format!(
                    "\n## {group}\n\n| name | default | allowed | meaning and source |\n|---|---|---|---|\n"
                ));
            }
            let doc = p.doc.split_whitespace().collect::<Vec<_>>().join(" ");
            out.push_str(&format!("| `{}` | {} | {} – {} | {} |\n", p.dotted(), p.default, p.min, p.max, doc));
        }
        out.push_str(
            "\n## Mouse defaults\n\nWith `patient.species = \"mouse\"` these defaults replace the ones \
             above (a scenario's `[parameters]` still apply on top):\n\n| name | mouse | why |\n|---|---|---|\n",
        );
        for (name, value, why) in MOUSE_DEFAULTS {
            let why = why.split_whitespace().collect::<Vec<_>>().join(" ");
            out.push_str(&format!("| `{name}` | {value} | {why} |\n"));
        }
        out
    }
}

/// The known name closest to `name` by edit distance, if it is close enough to be a typo.
fn closest_name(name: &str) -> Option<String> {
    closest(name, ModelParams::catalogue().iter().map(|p| p.dotted()), 3.max(name.len() / 4))
}

/// The candidate nearest `name` by edit distance, if within `max_distance` (ties go to the
/// first in sort order).
pub fn closest(name: &str, candidates: impl IntoIterator<Item = String>, max_distance: usize) -> Option<String> {
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(name, &candidate), candidate))
        .filter(|(d, _)| *d <= max_distance)
        .min()
        .map(|(_, c)| c)
}

/// Levenshtein distance between `a` and `b`, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_lies_in_its_range_and_names_are_unique() {
        let list = ModelParams::catalogue();
        let mut names: Vec<String> = list.iter().map(|p| p.dotted()).collect();
        for p in &list {
            assert!(p.min <= p.default && p.default <= p.max, "{} default outside its range", p.dotted());
            assert!(!p.doc.trim().is_empty(), "{} has no doc", p.dotted());
        }
        names.sort();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len(), "duplicate parameter names");
    }

    #[test]
    fn set_checks_names_and_ranges() {
        let mut p = ModelParams::default();
        p.set("osteoclast.lifespan_days", 10.0).unwrap();
        assert_eq!(p.osteoclast.lifespan_days, 10.0);
        assert_eq!(p.get("osteoclast.lifespan_days"), Some(10.0));
        match p.set("osteoclast.lifespan_dayz", 10.0) {
            Err(ParamError::Unknown { suggestion, .. }) => {
                assert_eq!(suggestion.as_deref(), Some("osteoclast.lifespan_days"))
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(p.set("osteoclast.lifespan_days", -1.0), Err(ParamError::OutOfRange { .. })));
        assert!(matches!(p.set("osteoclast.lifespan_days", f64::NAN), Err(ParamError::OutOfRange { .. })));
    }

    #[test]
    fn generated_parameter_docs_are_up_to_date() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/parameters.md");
        let on_disk = std::fs::read_to_string(path).unwrap_or_default();
        if on_disk != ModelParams::markdown() {
            if std::env::var_os("BONESIM_BLESS").is_some() {
                std::fs::write(path, ModelParams::markdown()).unwrap();
            } else {
                panic!("docs/parameters.md is stale: rerun with BONESIM_BLESS=1 to regenerate it");
            }
        }
    }
}
