//! Cytokine fields: what diffuses, how fast, how long it lasts, and the container that
//! holds every field's concentrations and steps them with the implicit solver.
//!
//! Concentrations are in pM throughout. A site is a cube of `site_um`³ (1 pL at 10 µm), so
//! one molecule per second secreted into a 10 µm site adds 1.66 pM/s.

use crate::diffusion::{
    Boundary, DiffusionProblem, DiffusionSolver, Permeability, Precision, SiteRates, SolveStats, SolverSettings,
};
use crate::params::{ParamInfo, parameter_group};
use crate::prefetch::prefetch;
use serde::{Deserialize, Serialize};

/// Concentrations below this are nothing to any receptor in the model (every half-occupancy
/// constant is far above it): a solve need not resolve them, and a field with no source that
/// has decayed below it everywhere is set to zero and left alone.
pub const NEGLIGIBLE_PM: f64 = 1e-6;

/// Volume of a site of `site_um`, litres.
#[inline]
pub fn site_litres(site_um: f64) -> f64 {
    (site_um * 1e-6).powi(3) * 1e3 // m³ → L
}

/// Declares the fields, one entry each: the variant of [`FieldId`], its name (in scenarios,
/// parameters and output columns), a label with unit, its default transport in marrow and the
/// source of those numbers, and whether it exchanges with blood at vessel sites (the factors
/// whose serum level the model reports, and the drugs). A field marked `drug` is a drug in
/// the tissue: it takes memory and time only in runs that give the drug
/// ([`Fields::activate`]). Everything else about a field derives from this table:
/// [`FieldId::ALL`], the `<name>.diffusion_um2_s` and `<name>.half_life_h` parameters with
/// their sources in `bonesim params`, and the output columns.
macro_rules! fields {
    ( $(
        $(#[doc = $doc:literal])+
        $id:ident: $name:literal, $label:literal, D $d:literal um2/s, half-life $hl:literal h,
            blood $blood:literal, $(drug $drug:literal,)? source $source:literal;
    )* ) => {
        /// The diffusing species.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "lowercase")]
        pub enum FieldId {
            $( $(#[doc = $doc])+ $id, )*
        }

        impl FieldId {
            /// Every field, in index order.
            pub const ALL: [FieldId; [$(FieldId::$id),*].len()] = [$(FieldId::$id),*];
        }

        /// The fields' defining data, in [`FieldId::ALL`] order.
        const SPECS: [FieldSpec; FieldId::ALL.len()] = [$(
            FieldSpec {
                name: $name,
                label: $label,
                with_blood: $blood,
                drug: false $(|| $drug)?,
                transport: FieldTransport::new($d, $hl),
                diffusion_doc: concat!("Diffusion coefficient in marrow, µm²/s. ", $source),
                half_life_doc: concat!("Half-life in marrow, hours. ", $source),
            },
        )*];
    };
}

/// What defines a field (one row of the `fields!` table).
struct FieldSpec {
    name: &'static str,
    label: &'static str,
    transport: FieldTransport,
    with_blood: bool,
    drug: bool,
    diffusion_doc: &'static str,
    half_life_doc: &'static str,
}

// Diffusion coefficients are tissue values, about 0.4× free solution, estimated from molecular
// weight (Young–Carroad–Bell, anchored by IGF-I; SCIENCE §5).
fields! {
    /// Soluble RANKL (receptor activator of NF-κB ligand).
    Rankl: "rankl", "soluble RANKL (pM)", D 37.0 um2/s, half-life 1.6 h, blood false,
        source "D from molecular weight (SCIENCE §5); half-life 1.6 h from the degradation rate of Lemaire et al. 2004 (SCIENCE §2).";
    /// Osteoprotegerin, the decoy receptor of RANKL.
    Opg: "opg", "OPG (pM)", D 30.0 um2/s, half-life 48.0 h, blood false,
        source "D from molecular weight (SCIENCE §5); half-life 2 days from Lemaire et al. 2004 (SCIENCE §2).";
    /// Macrophage colony-stimulating factor.
    Mcsf: "mcsf", "M-CSF (pM)", D 35.0 um2/s, half-life 3.0 h, blood false,
        source "D from molecular weight (SCIENCE §5); half-life \"hours\" (SCIENCE §5), taken as 3 h.";
    /// Active TGF-β.
    Tgfb: "tgfb", "active TGF-β (pM)", D 50.0 um2/s, half-life 0.25 h, blood false,
        source "D from molecular weight (SCIENCE §5). Active TGF-β lasts minutes (SCIENCE §5), taken as 15 min: a decay length of ~250 µm, so the signal stays with its remodeling site. (The 17 h of Pivonka et al. 2008 lumps the latent, matrix-bound pool, which this model keeps in the bone until resorbed.)";
    /// Interleukin-6.
    Il6: "il6", "IL-6 (pM)", D 50.0 um2/s, half-life 1.0 h, blood true,
        source "D from molecular weight (SCIENCE §5). Half-life minutes to hours (0.38 h in plasma; SCIENCE §5), taken as 1 h in tissue for the losses other than uptake by IL-6 receptors and exchange with blood, which the model has as their own terms.";
    /// Soluble IL-6 receptor.
    Sil6r: "sil6r", "soluble IL-6 receptor (pM)", D 40.0 um2/s, half-life 24.0 h, blood true,
        source "D from molecular weight (SCIENCE §5). Lasts long (SCIENCE §5), taken as 1 day in tissue, where vessels also bring it from serum (~1 nM).";
    /// Prostaglandin E2.
    Pge2: "pge2", "PGE2 (pM)", D 200.0 um2/s, half-life 0.016666666666666666 h, blood false,
        source "D and half-life of about a minute from SCIENCE §5.";
    /// Interleukin-1β.
    Il1b: "il1b", "IL-1β (pM)", D 56.0 um2/s, half-life 0.5 h, blood false,
        source "D from molecular weight (SCIENCE §5); half-life tens of minutes (SCIENCE §5), taken as 30 min.";
    /// Tumour necrosis factor α (the soluble trimer).
    Tnf: "tnf", "TNF-α (pM)", D 38.0 um2/s, half-life 0.5 h, blood false,
        source "D of the 52 kDa soluble trimer from molecular weight like the others (free ~96 µm²/s, ×0.4 in tissue; SCIENCE §5). Half-life: 15–20 min in human plasma (Oliver et al. 1993, Am J Physiol 264:R49); taken as 30 min in tissue like IL-1β.";
    /// CXCL12 (SDF-1), the chemokine of CXCR4.
    Cxcl12: "cxcl12", "CXCL12 (pM)", D 73.0 um2/s, half-life 0.5 h, blood false,
        source "CXCL12 binds matrix: tissue D ~73 µm²/s (SCIENCE §5); half-life tens of minutes, taken as 30 min.";
    /// Parathyroid hormone-related protein.
    Pthrp: "pthrp", "PTHrP (pM)", D 58.0 um2/s, half-life 0.2 h, blood false,
        source "D from molecular weight and half-life ~12 min (SCIENCE §5).";
    /// Dickkopf-1, a Wnt inhibitor.
    Dkk1: "dkk1", "DKK1 (pM)", D 45.0 um2/s, half-life 2.0 h, blood false,
        source "D from molecular weight (SCIENCE §5); half-life unknown (SCIENCE §5), taken as 2 h.";
    /// Interleukin-17.
    Il17: "il17", "IL-17 (pM)", D 50.0 um2/s, half-life 1.0 h, blood false,
        source "IL-17A, a ~35 kDa dimer: D estimated like IL-6's (SCIENCE §5); half-life taken as 1 h.";
    /// Osteoblastic factors: endothelin-1 and BMPs, lumped.
    Osteoblastic: "osteoblastic", "osteoblastic factors, ET-1 and BMPs (pM)", D 60.0 um2/s, half-life 1.0 h, blood false,
        source "Endothelin-1 (small, fast) with BMPs (bigger, longer-lived, also stored in matrix), lumped: taken as D 60 µm²/s and 1 h.";
    // The drugs in the tissue (`crate::pharmacology::delivery`): each reaches the marrow from
    // plasma through the vessels. D from molar mass like the factors' (Young–Carroad–Bell at
    // 37 °C, × 0.4 in tissue; a test checks each against the drug's molar mass). The half-life
    // is the loss from the tissue other than back into blood: lymph drainage for the large
    // proteins, none to speak of for the small molecules and the avimer (1000 h).
    /// Tocilizumab in the tissue.
    Tocilizumab: "tocilizumab", "tocilizumab in tissue (pM)", D 28.3 um2/s, half-life 15.0 h, blood true, drug true,
        source "D from 148 kDa. Interstitial IgG drains with lymph: antibody PBPK models (Baxter et al. 1994, Cancer Res 54:1517; Shah & Betts 2012, J Pharmacokinet Pharmacodyn 39:67) keep tissue IgG at 10–50 % of plasma, reached within a day or two; with the exchange of `pharmacology::delivery` (marrow sinusoids are leaky) the 15 h here gives 20 %, reached with a half-time of 12 h [approx].";
    /// MR16-1 in the tissue.
    Mr16_1: "mr16_1", "MR16-1 in tissue (pM)", D 28.2 um2/s, half-life 15.0 h, blood true, drug true,
        source "D from 150 kDa; lymph drainage as for every IgG (see tocilizumab).";
    /// Siltuximab in the tissue.
    Siltuximab: "siltuximab", "siltuximab in tissue (pM)", D 28.5 um2/s, half-life 15.0 h, blood true, drug true,
        source "D from 145 kDa; lymph drainage as for every IgG (see tocilizumab).";
    /// The AMG-220 avimer in the tissue.
    Amg220: "amg220", "AMG-220 in tissue (pM)", D 94.4 um2/s, half-life 1000.0 h, blood true, drug true,
        source "D from 4 kDa. A protein this small passes the capillary wall's small pores and spreads through the extracellular fluid within minutes, as inulin (5 kDa) does; it leaves the tissue back into blood, not by lymph, so no other loss.";
    /// Denosumab in the tissue.
    Denosumab: "denosumab", "denosumab in tissue (pM)", D 28.4 um2/s, half-life 15.0 h, blood true, drug true,
        source "D from 147 kDa; lymph drainage as for every IgG (see tocilizumab).";
    /// OPG-Fc in the tissue.
    OpgFc: "opg_fc", "OPG-Fc in tissue (pM)", D 32.3 um2/s, half-life 15.0 h, blood true, drug true,
        source "D from 100 kDa; an Fc fusion drains with lymph like an IgG (see tocilizumab).";
    /// Zoledronic acid in the tissue (free, not yet bound to bone).
    ZoledronicAcid: "zoledronic_acid", "free zoledronic acid in tissue (pM)", D 231.0 um2/s, half-life 1000.0 h, blood true, drug true,
        source "D from 272 Da. Small molecules cross marrow sinusoids within minutes and leave the tissue back into blood; zoledronic acid's other loss, binding to bone, is its own term (`pharmacology::bisphosphonate`).";
    /// Docetaxel in the tissue (unbound).
    Docetaxel: "docetaxel", "docetaxel in tissue (pM, unbound)", D 161.0 um2/s, half-life 1000.0 h, blood true, drug true,
        source "D from 808 Da; a small molecule follows plasma (see zoledronic acid).";
    /// Paclitaxel in the tissue (unbound).
    Paclitaxel: "paclitaxel", "paclitaxel in tissue (pM, unbound)", D 158.0 um2/s, half-life 1000.0 h, blood true, drug true,
        source "D from 854 Da; a small molecule follows plasma (see zoledronic acid).";
    /// Plerixafor in the tissue (unbound).
    Cxcr4Antagonist: "cxcr4_antagonist", "plerixafor in tissue (pM, unbound)", D 188.0 um2/s, half-life 1000.0 h, blood true, drug true,
        source "D from 503 Da; a small molecule follows plasma (see zoledronic acid).";
    /// Methylseleninic acid in the tissue.
    NfkbInhibitor: "nfkb_inhibitor", "methylseleninic acid in tissue (pM)", D 298.0 um2/s, half-life 1000.0 h, blood true, drug true,
        source "D from 127 Da; a small molecule follows plasma (see zoledronic acid).";
}

impl FieldId {
    /// Index into per-field arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Name used in scenarios, parameters and output columns.
    pub fn name(self) -> &'static str {
        SPECS[self.index()].name
    }

    /// A readable label with unit.
    pub fn label(self) -> &'static str {
        SPECS[self.index()].label
    }

    /// Whether this field exchanges with blood at vessel sites.
    pub fn with_blood(self) -> bool {
        SPECS[self.index()].with_blood
    }

    /// Whether this field is a drug in the tissue (present only in runs that give it).
    pub fn is_drug(self) -> bool {
        SPECS[self.index()].drug
    }

    /// The default transport of this field.
    pub fn default_transport(self) -> FieldTransport {
        SPECS[self.index()].transport
    }

    /// The field called `name`.
    pub fn from_name(name: &str) -> Option<FieldId> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Every field name.
    pub fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|f| f.name()).collect()
    }

    /// What bounds this field at the domain's edge. The domain is a window into a larger
    /// piece of the same tissue, so nothing is gained or lost there.
    pub fn boundary(self) -> Boundary {
        Boundary::NoFlux
    }
}

/// How one field moves and disappears.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldTransport {
    /// Diffusion coefficient in marrow, µm²/s.
    pub diffusion_um2_s: f64,
    /// Half-life, hours.
    pub half_life_h: f64,
}

impl FieldTransport {
    /// A transport of `diffusion_um2_s` and `half_life_h`.
    pub const fn new(diffusion_um2_s: f64, half_life_h: f64) -> Self {
        FieldTransport { diffusion_um2_s, half_life_h }
    }

    /// Decay rate, 1/s.
    pub fn decay_per_s(&self) -> f64 {
        std::f64::consts::LN_2 / (self.half_life_h * 3600.0)
    }

    /// Decay length √(D/k), µm.
    pub fn decay_length_um(&self) -> f64 {
        (self.diffusion_um2_s / self.decay_per_s()).sqrt()
    }
}

/// The transport of every field, indexed by [`FieldId::index`]: the parameters
/// `<field>.diffusion_um2_s` and `<field>.half_life_h`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldTransports(pub [FieldTransport; FieldId::ALL.len()]);

impl Default for FieldTransports {
    fn default() -> Self {
        FieldTransports(FieldId::ALL.map(FieldId::default_transport))
    }
}

impl FieldTransports {
    /// The transport of `field`.
    pub fn get(&self, field: FieldId) -> FieldTransport {
        self.0[field.index()]
    }

    /// Calls `f` with both parameters of every field, under the field's name as group.
    pub fn visit(&mut self, _group: &'static str, f: &mut dyn FnMut(ParamInfo, &mut f64)) {
        for field in FieldId::ALL {
            let (spec, t) = (&SPECS[field.index()], &mut self.0[field.index()]);
            let group = spec.name;
            let info = |name, min, max, default, doc| ParamInfo { group, name, min, max, default, doc };
            f(
                info("diffusion_um2_s", 0.01, 2000.0, spec.transport.diffusion_um2_s, spec.diffusion_doc),
                &mut t.diffusion_um2_s,
            );
            f(info("half_life_h", 0.001, 10_000.0, spec.transport.half_life_h, spec.half_life_doc), &mut t.half_life_h);
        }
    }
}

parameter_group! {
    /// The field solver.
    pub struct SolverParams {
        /// A field's solve stops when a multigrid cycle changes no value by more than this
        /// share of the field's largest value. 1 % of a field's peak is far below every
        /// half-occupancy constant in the model, and what is left over is carried into the
        /// next step, not lost. Numerical, not biological.
        tolerance: 1e-2, range 1e-12 => 1e-1;
        /// Most multigrid cycles per field step. Numerical, not biological.
        max_cycles: 20.0, range 1.0 => 200.0;
        /// Hours between two steps of a field (a named schedule). Each field takes one
        /// implicit step of this length with the sources averaged over it, the fields taking
        /// turns tick by tick; cells act every tick. The step's fixed point is the exact
        /// steady state and it is stable for any length, so a longer step only slows how a
        /// field relaxes: RANKL, M-CSF and active TGF-β settle within an hour or two anyway,
        /// OPG (half-life 2 days) barely notices. Set it to the tick to solve every tick.
        field_step_hours: 12.0, range 0.0 => 48.0;
        /// Bits of the numbers the solver's multigrid cycles work in, and the fields are kept
        /// in: 32 (f32) or 64 (f64). With 32 every pass over the lattice moves half the
        /// bytes, so a field step takes about 0.55–0.9 of the time in f64 (less at larger
        /// sizes), and the fields and the solver's arrays take half the memory; a solve then
        /// stops where a cycle changes nothing f32 resolves, about 10⁻⁷ of a field
        /// (`solver.tolerance` at least 1e-6), far below the 1 % a run asks for. Sources,
        /// residual sums, the stopping rule and each step's balance stay in f64 (the balance
        /// then holds to f32's rounding of the stored values). Runs with 32 and 64 agree
        /// within the statistical spread of their seeds, not to the bit; 64 is for a
        /// tolerance below 1e-6. Numerical, not biological.
        float_bits: 32.0, range 32.0 => 64.0;
    }
}

impl SolverParams {
    /// What the solver's settings cannot do together, if anything.
    pub fn inconsistency(&self) -> Option<String> {
        let bits = self.float_bits;
        let Some(precision) = Precision::from_bits(bits) else {
            return Some(format!("solver.float_bits is {bits}: allowed 32 or 64"));
        };
        let smallest = precision.smallest_tolerance();
        (self.tolerance < smallest).then(|| {
            format!(
                "solver.tolerance ({:e}) is below what solver.float_bits = {bits} can reach ({smallest:e}): \
                 raise the tolerance or set solver.float_bits = 64",
                self.tolerance
            )
        })
    }

    /// The number type of `float_bits` (f64 for a width [`SolverParams::inconsistency`]
    /// refuses).
    pub fn precision(&self) -> Precision {
        Precision::from_bits(self.float_bits).unwrap_or_default()
    }
}

/// One field's concentrations, pM, row-major, in the number type the run keeps its fields
/// in ([`Fields::values`]); read as `f64`.
#[derive(Clone, Copy, Debug)]
pub enum FieldValues<'a> {
    /// Kept in `f64` (`solver.float_bits = 64`).
    Double(&'a [f64]),
    /// Kept in `f32` (`solver.float_bits = 32`, the default).
    Single(&'a [f32]),
}

impl<'a> FieldValues<'a> {
    /// The concentration at `site`, pM.
    #[inline]
    pub fn get(self, site: usize) -> f64 {
        match self {
            FieldValues::Double(v) => v[site],
            FieldValues::Single(v) => f64::from(v[site]),
        }
    }

    /// Asks for the value at `site` to be brought into cache, if there is one (see
    /// [`crate::prefetch`]); changes nothing.
    #[inline]
    pub(crate) fn prefetch(self, site: usize) {
        match self {
            FieldValues::Double(v) => v.get(site).map(prefetch),
            FieldValues::Single(v) => v.get(site).map(prefetch),
        };
    }

    /// Sites of the field (0 for a drug field not present).
    pub fn len(self) -> usize {
        match self {
            FieldValues::Double(v) => v.len(),
            FieldValues::Single(v) => v.len(),
        }
    }

    /// Whether the field is absent (a drug not given).
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// The concentrations in site order, pM.
    pub fn iter(self) -> impl Iterator<Item = f64> + 'a {
        let (double, single): (&[f64], &[f32]) = match self {
            FieldValues::Double(v) => (v, &[]),
            FieldValues::Single(v) => (&[], v),
        };
        double.iter().copied().chain(single.iter().map(|&v| f64::from(v)))
    }
}

/// Every field's concentrations, in the number type of the solver's cycles: a solver that
/// works in f32 hands back f32 values (plus a uniform shift that restores the balance, which
/// then holds to f32's rounding, about 1e-7 of the total), so keeping them in f64 held no
/// more information, at twice the memory (8 of a run's 14 arrays per site were the fields)
/// and twice the bytes for every pass that reads them.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) enum Concentrations {
    Double(Vec<Vec<f64>>),
    Single(Vec<Vec<f32>>),
}

impl Concentrations {
    /// Every field at zero on `sites` sites, drug fields absent.
    fn new(precision: Precision, sites: usize) -> Self {
        Self::with_sizes(precision, FieldId::ALL.iter().map(|f| if f.is_drug() { 0 } else { sites }))
    }

    /// Arrays of zeros of the given sizes, in `precision`'s type.
    pub(crate) fn with_sizes(precision: Precision, sizes: impl Iterator<Item = usize>) -> Self {
        match precision {
            Precision::Double => Concentrations::Double(sizes.map(|n| vec![0.0; n]).collect()),
            Precision::Single => Concentrations::Single(sizes.map(|n| vec![0.0; n]).collect()),
        }
    }

    #[inline]
    fn get(&self, f: usize) -> FieldValues<'_> {
        match self {
            Concentrations::Double(v) => FieldValues::Double(&v[f]),
            Concentrations::Single(v) => FieldValues::Single(&v[f]),
        }
    }

    /// The sum of each array's values in f64 (0 for an empty one). Each is added in site
    /// order as [`Iterator::sum`] adds one array alone, so the sums are the same to the bit;
    /// but the arrays are walked side by side, eight at a time, so that no sum waits on the
    /// one before it (one array after another, every add waits on the last: 3 ms for the 14
    /// fields of a 400 × 400 run).
    fn sums(&self) -> Vec<f64> {
        fn side_by_side<T: Copy + Into<f64>>(arrays: &[Vec<T>]) -> Vec<f64> {
            let mut sums = vec![0.0; arrays.len()];
            let present: Vec<usize> = (0..arrays.len()).filter(|&f| !arrays[f].is_empty()).collect();
            let mut rest = &present[..];
            while !rest.is_empty() {
                let (group, after) = rest.split_at([8, 4, 2, 1].into_iter().find(|&g| g <= rest.len()).unwrap_or(1));
                match group.len() {
                    8 => sum_group::<T, 8>(arrays, group, &mut sums),
                    4 => sum_group::<T, 4>(arrays, group, &mut sums),
                    2 => sum_group::<T, 2>(arrays, group, &mut sums),
                    _ => sum_group::<T, 1>(arrays, group, &mut sums),
                }
                rest = after;
            }
            sums
        }
        /// Puts the sum of each array `arrays[f]`, `f` in `group` (`G` of them), in `sums[f]`.
        fn sum_group<T: Copy + Into<f64>, const G: usize>(arrays: &[Vec<T>], group: &[usize], sums: &mut [f64]) {
            let n = arrays[group[0]].len();
            let lanes: [&[T]; G] = std::array::from_fn(|g| &arrays[group[g]][..n]);
            // The neutral element `Iterator::sum` starts from (−0 in today's Rust).
            let mut acc = [std::iter::empty::<f64>().sum::<f64>(); G];
            for i in 0..n {
                for (sum, lane) in acc.iter_mut().zip(lanes) {
                    *sum += lane[i].into();
                }
            }
            for (&f, sum) in group.iter().zip(acc) {
                sums[f] = sum;
            }
        }
        match self {
            Concentrations::Double(v) => side_by_side(v),
            Concentrations::Single(v) => side_by_side(v),
        }
    }

    /// Makes field `f` present, at zero on `sites` sites.
    fn make_present(&mut self, f: usize, sites: usize) {
        match self {
            Concentrations::Double(v) => v[f] = vec![0.0; sites],
            Concentrations::Single(v) => v[f] = vec![0.0; sites],
        }
    }

    /// Sets field `f` to `value_pm` everywhere.
    fn fill(&mut self, f: usize, value_pm: f64) {
        match self {
            Concentrations::Double(v) => v[f].fill(value_pm),
            Concentrations::Single(v) => v[f].fill(value_pm as f32),
        }
    }

    /// One step of field `f`, cached under its index (see [`DiffusionSolver::step`]).
    pub(crate) fn step(&mut self, f: usize, solver: &mut DiffusionSolver, problem: &DiffusionProblem) -> SolveStats {
        match self {
            Concentrations::Double(v) => solver.step(f, &mut v[f], problem),
            Concentrations::Single(v) => solver.step(f, &mut v[f], problem),
        }
    }

    /// One step of every array `i` by `problems[i]` together, each cached under its index
    /// (see [`DiffusionSolver::step_together`]).
    pub(crate) fn step_all(
        &mut self,
        solver: &mut DiffusionSolver,
        problems: &[DiffusionProblem],
        stats: &mut [SolveStats],
    ) {
        fn together<S: crate::diffusion::Real>(
            solver: &mut DiffusionSolver,
            arrays: &mut [Vec<S>],
            problems: &[DiffusionProblem],
            stats: &mut [SolveStats],
        ) {
            let keys: Vec<usize> = (0..arrays.len()).collect();
            let mut fields: Vec<&mut [S]> = arrays.iter_mut().map(|v| v.as_mut_slice()).collect();
            solver.step_together(&keys, &mut fields, problems, stats);
        }
        match self {
            Concentrations::Double(v) => together(solver, v, problems, stats),
            Concentrations::Single(v) => together(solver, v, problems, stats),
        }
    }
}

/// Every field's concentrations and sources, and the solver that steps them.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Fields {
    /// Concentrations per field, pM; empty for a drug field not activated.
    values: Concentrations,
    /// Sources summed over the ticks since each field's last step, pM/s per tick, at the
    /// sites that have one.
    sources: GatheredSources,
    /// Sites with a non-zero source, per field, in the order they got it.
    touched: Vec<Vec<u32>>,
    /// Ticks of sources gathered since each field's last step.
    gathered_ticks: Vec<u32>,
    /// What each field's last step used: its sources (site, pM/s), step and geometry.
    last_inputs: Vec<StepInputs>,
    /// An array for the next step's list of sources.
    #[serde(skip)]
    spare_sources: Vec<(u32, f64)>,
    solver: DiffusionSolver,
    last_stats: Vec<SolveStats>,
    tolerance: f64,
    /// Vessel sites, and the first-order loss into blood there (1/s) of the factors that
    /// exchange with blood.
    vessels: Vec<u32>,
    /// That loss at each vessel site, sorted by site.
    vessel_sinks: Vec<(u32, f64)>,
    exchange_per_s: f64,
    /// Sites of the lattice.
    sites: usize,
    /// The drug fields' own exchange at vessel sites (1/s; 0 for other fields).
    drug_exchange_per_s: Vec<f64>,
    /// Uptake by cells of each field, first-order per site (1/s; empty: none), and a count
    /// of its changes.
    uptake: Vec<Vec<f64>>,
    /// Or kept at the sites that have one, sorted by site.
    uptake_at: Vec<Vec<(u32, f64)>>,
    uptake_version: Vec<u64>,
    /// How long each field's step at the end of this tick was, s (0: none); read in the
    /// same tick, so not part of the state.
    #[serde(skip)]
    stepped_s: Vec<f64>,
    /// A drug field's sink, vessels and uptake together (empty until a drug steps).
    sink: Vec<f64>,
    /// A sink kept at the sites that have one, vessels and uptake together.
    #[serde(skip)]
    sink_at: Vec<(u32, f64)>,
}

/// The sources every field has gathered since its last step, kept only at the sites that
/// have one: cells secrete at a few thousand sites of a lattice of a hundred thousand or
/// more, so a rate per site and field would be nearly all zeros (8 bytes per site for each
/// field). A site with a source of any field holds a slot of one rate per field until every
/// field with a source there has stepped.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct GatheredSources {
    /// Each site's slot, or `NO_SLOT`.
    slot_of: Vec<u32>,
    slots: Vec<SourceSlot>,
    /// Slots no site holds, to be handed out again.
    free: Vec<u32>,
}

/// The rates gathered at one site.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct SourceSlot {
    /// The fields with a rate here, one bit per field.
    holders: u32,
    /// Each field's rate, pM/s summed over ticks.
    rates: [f64; FIELD_COUNT],
}

const NO_SLOT: u32 = u32::MAX;
const FIELD_COUNT: usize = FieldId::ALL.len();
const _: () = assert!(FIELD_COUNT <= 32, "a slot marks its fields in the bits of a u32");

impl GatheredSources {
    fn new(sites: usize) -> Self {
        GatheredSources { slot_of: vec![NO_SLOT; sites], slots: Vec::new(), free: Vec::new() }
    }

    /// The rate `f` has gathered at `site`, pM/s (0 where it has none).
    fn rate(&self, f: usize, site: usize) -> f64 {
        match self.slot_of[site] {
            NO_SLOT => 0.0,
            slot => self.slots[slot as usize].rates[f],
        }
    }

    /// Asks for `site`'s slot number.
    #[inline]
    fn prefetch_slot_number(&self, site: usize) {
        if let Some(slot) = self.slot_of.get(site) {
            prefetch(slot);
        }
    }

    /// Asks for the rate of `f` at `site` and the slot's holders, if `site` has a slot.
    #[inline]
    fn prefetch_rate(&self, f: usize, site: usize) {
        if let Some(slot) = self.slot_of.get(site).and_then(|&slot| self.slots.get(slot as usize)) {
            prefetch(&slot.rates[f]);
            prefetch(&slot.holders);
        }
    }

    /// The rate of `f` at `site`, to add to, and whether `f` had none there; `site` gets a
    /// slot if it has none.
    #[inline]
    fn rate_mut(&mut self, f: usize, site: usize) -> (&mut f64, bool) {
        let slot = match self.slot_of[site] {
            NO_SLOT => {
                let slot = self.free.pop().unwrap_or_else(|| {
                    self.slots.push(SourceSlot::default());
                    self.slots.len() as u32 - 1
                });
                self.slot_of[site] = slot;
                slot
            }
            slot => slot,
        };
        let slot = &mut self.slots[slot as usize];
        let new = slot.holders & (1 << f) == 0;
        slot.holders |= 1 << f;
        (&mut slot.rates[f], new)
    }

    /// Removes the rates of `f` at `sites` (the sites where it has one); a slot no field
    /// holds any more is freed.
    fn clear(&mut self, f: usize, sites: &[u32]) {
        for &site in sites {
            let index = self.slot_of[site as usize];
            let slot = &mut self.slots[index as usize];
            slot.rates[f] = 0.0;
            slot.holders &= !(1 << f);
            if slot.holders == 0 {
                self.slot_of[site as usize] = NO_SLOT;
                self.free.push(index);
            }
        }
    }
}

/// What a field's step depended on, to tell when a field can be left as it is.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct StepInputs {
    sources: Vec<(u32, f64)>,
    dt_s: f64,
    geometry: u64,
    uptake: u64,
    /// The step changed the field by less than the tolerance.
    stationary: bool,
}

impl StepInputs {
    /// Whether a step with these inputs may be skipped after a step with `last`, because the
    /// field it would give differs from the present one by at most `tolerance` of the
    /// field's peak. That holds when the last step left the field at its steady state, with
    /// the same step length and geometry, and the sources changed little: split each
    /// change into a share `ε` of the old source plus a rest `r`; the steady state is linear
    /// and positive in its sources, so it moves by at most `ε` of itself plus `Σ r` times
    /// the peak response to a unit source, which is at most (peak) / (largest source). So
    /// `ε + Σ r / largest ≤ tolerance` suffices. `last` is the last step actually taken, so
    /// skipped changes cannot add up.
    fn same_as(&self, last: &StepInputs, tolerance: f64) -> bool {
        if !last.stationary || self.dt_s != last.dt_s || self.geometry != last.geometry || self.uptake != last.uptake {
            return false;
        }
        let largest = last.sources.iter().fold(0.0f64, |m, &(_, s)| m.max(s.abs()));
        if largest == 0.0 {
            return self.sources == last.sources;
        }
        let share = 0.5 * tolerance;
        let budget = (tolerance - share) * largest;
        // Both lists are sorted by site: walk them together.
        let (mut i, mut j, mut rest) = (0, 0, 0.0);
        loop {
            let (new, old) = match (self.sources.get(i), last.sources.get(j)) {
                (None, None) => break,
                (Some(&(a, x)), Some(&(b, y))) if a == b => {
                    i += 1;
                    j += 1;
                    (x, y)
                }
                (Some(&(a, x)), Some(&(b, _))) if a < b => {
                    i += 1;
                    (x, 0.0)
                }
                (Some(&(_, x)), None) => {
                    i += 1;
                    (x, 0.0)
                }
                (_, Some(&(_, y))) => {
                    j += 1;
                    (0.0, y)
                }
            };
            rest += ((new - old).abs() - share * old.abs()).max(0.0);
            if rest > budget {
                return false;
            }
        }
        true
    }
}

/// The first-order sink of `field` for a step: loss into vessels (fields that exchange with
/// blood, `vessel_sinks`) and uptake by cells, at every site or at the listed ones. Vessels
/// and listed uptake are added up in the list `sum_at`. A drug field leaves at its own rate,
/// `drug_exchange_per_s` at every vessel of `vessels`, added up with its uptake in `sum` (made
/// the size of the lattice on a drug's first step).
fn sink_of<'a>(
    field: FieldId,
    (uptake, uptake_at): (&'a [f64], &'a [(u32, f64)]),
    vessel_sinks: &'a [(u32, f64)],
    (vessels, drug_exchange_per_s): (&[u32], f64),
    (sum, sum_at): (&'a mut Vec<f64>, &'a mut Vec<(u32, f64)>),
    sites: usize,
) -> SiteRates<'a> {
    if field.is_drug() {
        sum.clear();
        sum.resize(sites, 0.0);
        if !uptake.is_empty() {
            sum.copy_from_slice(uptake);
        }
        for &(site, rate) in uptake_at {
            sum[site as usize] += rate;
        }
        for &v in vessels {
            sum[v as usize] += drug_exchange_per_s;
        }
        return SiteRates::PerSite(sum);
    }
    let vessel_sinks: &[(u32, f64)] = if field.with_blood() { vessel_sinks } else { &[] };
    let listed = match (vessel_sinks.is_empty(), uptake_at.is_empty()) {
        (true, true) => None,
        (false, true) => Some(vessel_sinks),
        (true, false) => Some(uptake_at),
        (false, false) => {
            // Merged by site; a site in both lists takes the sum.
            sum_at.clear();
            let (mut a, mut b) = (uptake_at.iter().peekable(), vessel_sinks.iter().peekable());
            loop {
                let next = match (a.peek(), b.peek()) {
                    (Some(&&(i, u)), Some(&&(j, v))) if i == j => {
                        a.next();
                        b.next();
                        (i, u + v)
                    }
                    (Some(&&(i, u)), Some(&&(j, _))) if i < j => {
                        a.next();
                        (i, u)
                    }
                    (Some(&&(i, u)), None) => {
                        a.next();
                        (i, u)
                    }
                    (_, Some(&&(j, v))) => {
                        b.next();
                        (j, v)
                    }
                    (None, None) => break,
                };
                sum_at.push(next);
            }
            Some(&sum_at[..])
        }
    };
    match (uptake.is_empty(), listed) {
        (true, None) => SiteRates::None,
        (true, Some(list)) => SiteRates::AtSites(list),
        (false, None) => SiteRates::PerSite(uptake),
        (false, Some(list)) => SiteRates::PerSitePlus(uptake, list),
    }
}

impl Fields {
    /// All fields at zero on a `width × height` lattice; the drug fields are left out until
    /// activated ([`Fields::activate`]).
    pub fn new(width: usize, height: usize, solver: &SolverParams) -> Self {
        let n = width * height;
        let count = FieldId::ALL.len();
        let settings = SolverSettings {
            tolerance: solver.tolerance,
            max_cycles: solver.max_cycles as u32,
            absolute_tolerance: NEGLIGIBLE_PM,
            precision: solver.precision(),
        };
        Fields {
            values: Concentrations::new(solver.precision(), n),
            sources: GatheredSources::new(n),
            touched: vec![Vec::new(); count],
            gathered_ticks: vec![0; count],
            last_inputs: vec![StepInputs::default(); count],
            spare_sources: Vec::new(),
            solver: DiffusionSolver::new(width, height, settings),
            last_stats: vec![SolveStats::default(); count],
            tolerance: solver.tolerance,
            vessels: Vec::new(),
            vessel_sinks: Vec::new(),
            sites: n,
            exchange_per_s: 0.0,
            drug_exchange_per_s: vec![0.0; count],
            uptake: vec![Vec::new(); count],
            uptake_at: vec![Vec::new(); count],
            uptake_version: vec![0; count],
            stepped_s: vec![0.0; count],
            sink: Vec::new(),
            sink_at: Vec::new(),
        }
    }

    /// Makes drug field `field` present (at zero everywhere), exchanging with blood at
    /// `exchange_per_s` at every vessel site. Fields that are not drugs are always present.
    ///
    /// A field made present before `tick` (fields stepping every `every` ticks) joins the
    /// schedule as if it had been present at zero all along: it has gathered the ticks since
    /// its last turn, so its next step is as long as it would have been.
    pub fn activate(&mut self, field: FieldId, exchange_per_s: f64, tick: u64, every: u64) {
        let (f, n) = (field.index(), self.sites);
        if !self.is_active(field) {
            self.values.make_present(f, n);
            let every = every.max(1);
            let since_turn = ((tick + field.index() as u64) % every + every - 1) % every;
            self.gathered_ticks[f] = since_turn.min(tick) as u32;
        }
        self.drug_exchange_per_s[f] = exchange_per_s;
    }

    /// Whether `field` is present in this run (a drug field only when the drug is given).
    pub fn is_active(&self, field: FieldId) -> bool {
        !self.values(field).is_empty()
    }

    /// Concentrations of `field`, pM, row-major (empty for a drug field not present).
    pub fn values(&self, field: FieldId) -> FieldValues<'_> {
        self.values.get(field.index())
    }

    /// Asks for every present field's value at `site` to be brought into cache (see
    /// [`crate::prefetch`]); changes nothing.
    #[inline]
    pub(crate) fn prefetch(&self, site: usize) {
        for field in FieldId::ALL {
            self.values(field).prefetch(site);
        }
    }

    /// Asks for `site`'s slot of gathered sources to be brought into cache (see
    /// [`crate::prefetch`]): the first of two hints for adding a source there, given some
    /// sources before [`Fields::prefetch_source_rate`] so that the slot number has arrived.
    #[inline]
    pub(crate) fn prefetch_source_slot(&self, site: usize) {
        self.sources.prefetch_slot_number(site);
    }

    /// Asks for the rate of `field` gathered at `site`, and its slot's holders, to be brought
    /// into cache; changes nothing.
    #[inline]
    pub(crate) fn prefetch_source_rate(&self, field: FieldId, site: usize) {
        self.sources.prefetch_rate(field.index(), site);
    }

    /// Concentration of `field` at `site`, pM.
    #[inline]
    pub fn at(&self, field: FieldId, site: usize) -> f64 {
        self.values.get(field.index()).get(site)
    }

    /// Every field's mean over the lattice, pM, in the order of [`FieldId::ALL`] (0 for a
    /// drug field not activated): what [`Fields::mean`] gives each, in one pass.
    pub fn means(&self) -> Vec<f64> {
        let sums = self.values.sums();
        let mean = |(&f, sum): (&FieldId, f64)| match self.values(f).len() {
            0 => 0.0,
            n => sum / n as f64,
        };
        FieldId::ALL.iter().zip(sums).map(mean).collect()
    }

    /// Mean concentration of `field` over the domain, pM (0 for a drug field not present).
    pub fn mean(&self, field: FieldId) -> f64 {
        let v = self.values(field);
        if v.is_empty() {
            return 0.0;
        }
        v.iter().sum::<f64>() / v.len() as f64
    }

    /// Adds a source of `rate_pm_s` (pM/s) at `site` for this tick.
    #[inline]
    pub fn add_source(&mut self, field: FieldId, site: usize, rate_pm_s: f64) {
        let f = field.index();
        let (rate, new) = self.sources.rate_mut(f, site);
        *rate += rate_pm_s;
        if new {
            self.touched[f].push(site as u32);
        }
    }

    /// What the last solve of `field` did.
    pub fn last_stats(&self, field: FieldId) -> SolveStats {
        self.last_stats[field.index()]
    }

    /// Ends a tick: every field whose turn it is takes one step covering the ticks gathered
    /// since its last, with their averaged sources. `every` is the number of ticks between
    /// steps of a field; field `i` steps when `(tick + i) % every == 0`. `geometry` changes
    /// whenever `permeability` does.
    #[allow(clippy::too_many_arguments, reason = "the tick's transport inputs, spelled out")]
    pub fn end_tick(
        &mut self,
        tick: u64,
        every: u64,
        tick_s: f64,
        site_um: f64,
        permeability: Permeability,
        geometry: u64,
        transport: &dyn Fn(FieldId) -> FieldTransport,
    ) {
        self.stepped_s.clear();
        self.stepped_s.resize(FieldId::ALL.len(), 0.0);
        for field in FieldId::ALL {
            let f = field.index();
            if !self.is_active(field) {
                continue;
            }
            self.gathered_ticks[f] += 1;
            if !Self::is_due(field, tick, every) {
                continue;
            }
            let ticks = self.gathered_ticks[f] as f64;
            if ticks > 1.0 {
                for &site in &self.touched[f] {
                    *self.sources.rate_mut(f, site as usize).0 /= ticks;
                }
            }
            self.step_one(field, ticks * tick_s, site_um, (permeability, geometry), geometry, &transport(field));
            self.stepped_s[f] = ticks * tick_s;
            self.clear_sources_of(f);
        }
    }

    /// How long a step `field` took at the end of this tick, s (0 if it was not its turn):
    /// over that time its uptake took `uptake × value` per second from each site.
    pub fn stepped_s(&self, field: FieldId) -> f64 {
        self.stepped_s.get(field.index()).copied().unwrap_or(0.0)
    }

    /// Whether `field` takes its step at the end of `tick` when fields step every `every`
    /// ticks (in turns: field `i` when `(tick + i) % every == 0`).
    pub fn is_due(field: FieldId, tick: u64, every: u64) -> bool {
        (tick + field.index() as u64).is_multiple_of(every.max(1))
    }

    /// The uptake of `field` its steps use, first-order per site (1/s; empty: none).
    pub fn uptake(&self, field: FieldId) -> &[f64] {
        &self.uptake[field.index()]
    }

    /// Sets the uptake of `field` by cells, first-order (1/s), at the listed sites (sorted by
    /// site, each once, no zeros) and nowhere else, for its next steps.
    pub fn set_uptake_at(&mut self, field: FieldId, per_s: &[(u32, f64)]) {
        debug_assert!(per_s.windows(2).all(|p| p[0].0 < p[1].0) && per_s.iter().all(|&(_, r)| r != 0.0));
        let f = field.index();
        // The first call counts as a change, as it does for `set_uptake`.
        if self.uptake_at[f] != per_s || self.uptake_version[f] == 0 {
            self.uptake_at[f].clear();
            self.uptake_at[f].extend_from_slice(per_s);
            self.uptake_version[f] += 1;
        }
    }

    /// Sets the uptake of `field` by cells, first-order per site (1/s), for its next steps.
    pub fn set_uptake(&mut self, field: FieldId, per_s: &[f64]) {
        let f = field.index();
        if self.uptake[f] != per_s {
            self.uptake[f].clear();
            self.uptake[f].extend_from_slice(per_s);
            self.uptake_version[f] += 1;
        }
    }

    /// Brings every field to the steady state of the current sources (one implicit step 50
    /// half-lives long lands on it: the scheme's fixed point is the exact steady state), then
    /// clears the sources. Used to start a run from a settled tissue. `geometry` names the
    /// permeability as [`Fields::end_tick`]'s does.
    pub fn settle(
        &mut self,
        site_um: f64,
        permeability: Permeability,
        geometry: u64,
        transport: &dyn Fn(FieldId) -> FieldTransport,
    ) {
        for field in FieldId::ALL {
            if !self.is_active(field) {
                continue;
            }
            let long = 50.0 * transport(field).half_life_h * 3600.0;
            // No last step to be the same as: u64::MAX is no geometry's version.
            self.step_one(field, long, site_um, (permeability, geometry), u64::MAX, &transport(field));
            self.clear_sources_of(field.index());
        }
    }

    /// One step of one field, through a permeability and its version. A field is left as it
    /// is when its sources, step and `geometry` are those of its last step and that step
    /// barely changed it (it is at its steady state), or when it is zero with no source.
    fn step_one(
        &mut self,
        field: FieldId,
        dt_s: f64,
        site_um: f64,
        (permeability, permeability_version): (Permeability, u64),
        geometry: u64,
        t: &FieldTransport,
    ) {
        let f = field.index();
        // The list is made in the array of the step before last, so steps allocate nothing.
        let mut sources = std::mem::take(&mut self.spare_sources);
        sources.clear();
        sources.extend(self.touched[f].iter().map(|&s| (s, self.sources.rate(f, s as usize))));
        sources.sort_unstable_by_key(|&(s, _)| s);
        let inputs = StepInputs { sources, dt_s, geometry, uptake: self.uptake_version[f], stationary: true };
        let gone = inputs.sources.is_empty() && self.values.get(f).iter().all(|v| v < NEGLIGIBLE_PM);
        if gone {
            self.values.fill(f, 0.0);
        }
        if gone || inputs.same_as(&self.last_inputs[f], self.tolerance) {
            self.last_stats[f] = SolveStats { converged: true, ..Default::default() };
            self.spare_sources = inputs.sources;
            return;
        }
        let problem = DiffusionProblem {
            diffusion_um2_s: t.diffusion_um2_s,
            decay_per_s: t.decay_per_s(),
            site_um,
            dt_s,
            permeability,
            permeability_version: Some(permeability_version),
            sinks: sink_of(
                field,
                (&self.uptake[f], &self.uptake_at[f]),
                &self.vessel_sinks,
                (&self.vessels, self.drug_exchange_per_s[f]),
                (&mut self.sink, &mut self.sink_at),
                self.sites,
            ),
            sources: SiteRates::AtSites(&inputs.sources),
            boundary: field.boundary(),
        };
        let stats = self.values.step(f, &mut self.solver, &problem);
        self.last_stats[f] = stats;
        let last = StepInputs { stationary: stats.step_change <= self.tolerance, ..inputs };
        self.spare_sources = std::mem::replace(&mut self.last_inputs[f], last).sources;
    }

    fn clear_sources_of(&mut self, f: usize) {
        self.sources.clear(f, &self.touched[f]);
        self.touched[f].clear();
        self.gathered_ticks[f] = 0;
    }

    /// Makes `vessels` the sites where fields that exchange with blood leave the tissue at
    /// `exchange_per_s`, and where serum levels enter (see [`Fields::add_serum_supply`]).
    pub fn set_vessels(&mut self, vessels: &[u32], exchange_per_s: f64) {
        self.vessels = vessels.to_vec();
        self.exchange_per_s = exchange_per_s;
        self.vessel_sinks = vessels.iter().map(|&v| (v, exchange_per_s)).collect();
        self.vessel_sinks.sort_unstable_by_key(|&(v, _)| v);
        self.vessel_sinks.dedup_by_key(|&mut (v, _)| v);
    }

    /// Adds this tick's supply from blood at every vessel site: the serum (or, for a drug,
    /// unbound plasma) concentration `serum_pm` times the field's exchange rate.
    pub fn add_serum_supply(&mut self, field: FieldId, serum_pm: f64) {
        let exchange = if field.is_drug() { self.drug_exchange_per_s[field.index()] } else { self.exchange_per_s };
        let rate = exchange * serum_pm;
        if rate > 0.0 {
            for i in 0..self.vessels.len() {
                self.add_source(field, self.vessels[i] as usize, rate);
            }
        }
    }

    /// What the tissue loses into blood of `field` per second, mol/s, for sites of
    /// `site_um`.
    pub fn release_into_blood_mol_s(&self, field: FieldId, site_um: f64) -> f64 {
        let v = self.values(field);
        let total_pm: f64 = self.vessels.iter().map(|&s| v.get(s as usize)).sum();
        self.exchange_per_s * total_pm * 1e-12 * site_litres(site_um)
    }

    /// Sets `field` at `site` to `value_pm`.
    #[cfg(test)]
    pub(crate) fn poke(&mut self, field: FieldId, site: usize, value_pm: f64) {
        match &mut self.values {
            Concentrations::Double(v) => v[field.index()][site] = value_pm,
            Concentrations::Single(v) => v[field.index()][site] = value_pm as f32,
        }
    }

    /// Sets `field` to `value_pm` everywhere.
    #[cfg(test)]
    pub(crate) fn set_uniform(&mut self, field: FieldId, value_pm: f64) {
        self.values.fill(field.index(), value_pm);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decay_lengths_are_those_science_section_5_gives() {
        // SCIENCE §5: decay lengths of a few hundred µm for IL-6, RANKL, PTHrP and active
        // TGF-β, and millimetres for OPG.
        let length = |f: FieldId| f.default_transport().decay_length_um();
        for f in [FieldId::Il6, FieldId::Rankl, FieldId::Pthrp, FieldId::Tgfb] {
            assert!((100.0..1000.0).contains(&length(f)), "{}: {} µm", f.name(), length(f));
        }
        assert!((1000.0..10_000.0).contains(&length(FieldId::Opg)), "OPG {}", length(FieldId::Opg));
    }

    #[test]
    fn gathered_sources_are_averaged_over_each_step_and_their_sites_let_go() {
        // Sources move every tick (as cells do), for two fields stepping in turns every
        // three ticks. Each IL-6 step must be the solver's step with the sources averaged
        // over the ticks it covers; and a site holds a slot only while a field has a source
        // there that has not yet stepped.
        let (w, h, every, tick_s) = (40, 30, 3, 3600.0);
        let n = w * h;
        let mut fields = Fields::new(w, h, &SolverParams::default());
        let permeability = vec![1.0; n];
        let transport = |f: FieldId| f.default_transport();
        let t = transport(FieldId::Il6);
        let settings = fields.solver.settings();
        let mut reference = DiffusionSolver::new(w, h, settings);
        // Fields keep the type of the solver's cycles: f32 by default.
        let (mut expected, mut gathered, mut since) = (vec![0.0_f32; n], vec![0.0; n], 0);
        let mut most_slots = 0;
        for tick in 0..8 * every {
            for k in 0..5 {
                let site = (tick as usize * 37 + k * 101) % n;
                fields.add_source(FieldId::Il6, site, 0.5 + k as f64);
                fields.add_source(FieldId::Rankl, (site + 7) % n, 1.0);
                gathered[site] += 0.5 + k as f64;
            }
            since += 1;
            let held = |f: &Fields| f.sources.slot_of.iter().filter(|&&s| s != NO_SLOT).count();
            most_slots = most_slots.max(held(&fields));
            fields.end_tick(tick, every, tick_s, 10.0, Permeability::Sites(&permeability), 1, &transport);
            if Fields::is_due(FieldId::Il6, tick, every) {
                let averaged: Vec<f64> =
                    gathered.iter().map(|&g| if since > 1 { g / since as f64 } else { g }).collect();
                let problem = DiffusionProblem {
                    diffusion_um2_s: t.diffusion_um2_s,
                    decay_per_s: t.decay_per_s(),
                    site_um: 10.0,
                    dt_s: since as f64 * tick_s,
                    permeability: Permeability::Sites(&permeability),
                    permeability_version: None,
                    sinks: SiteRates::None,
                    sources: SiteRates::PerSite(&averaged),
                    boundary: FieldId::Il6.boundary(),
                };
                reference.step(0, &mut expected, &problem);
                assert!(
                    fields
                        .values(FieldId::Il6)
                        .iter()
                        .zip(&expected)
                        .all(|(a, &b)| a.to_bits() == f64::from(b).to_bits())
                );
                gathered.iter_mut().for_each(|g| *g = 0.0);
                since = 0;
            }
            let mut pending: Vec<u32> = fields.touched.iter().flatten().copied().collect();
            pending.sort_unstable();
            pending.dedup();
            assert_eq!(held(&fields), pending.len(), "tick {tick}");
        }
        assert!(fields.mean(FieldId::Il6) > 0.0);
        // Freed slots are handed out again: no more are made than were ever held at once
        // (five sites per field and tick, over three ticks, minus what steps let go).
        assert_eq!(fields.sources.slots.len(), most_slots);
        assert!(most_slots < 30, "{most_slots}");
    }

    #[test]
    fn uptake_at_cells_and_loss_at_vessels_add_up_site_by_site() {
        // IL-6 is taken up by cells with receptors (a list of sites) and lost into blood at
        // vessels (another): where both are, the sink is their sum. Its step must be the
        // solver's step with the two added up at every site.
        let (w, h) = (50, 40);
        let n = w * h;
        let mut fields = Fields::new(w, h, &SolverParams::default());
        let permeability = vec![1.0; n];
        let vessels: Vec<u32> = (7..n as u32).step_by(97).collect();
        fields.set_vessels(&vessels, 2e-3);
        // Every third vessel has a cell beside it on the same site.
        let uptake: Vec<(u32, f64)> = (0..n as u32)
            .filter(|s| s % 13 == 0 || vessels.iter().step_by(3).any(|v| v == s))
            .map(|s| (s, 5e-4))
            .collect();
        fields.set_uptake_at(FieldId::Il6, &uptake);
        let mut dense = vec![0.0; n];
        for &(s, r) in &uptake {
            dense[s as usize] += r;
        }
        for &v in &vessels {
            dense[v as usize] += 2e-3;
        }
        for site in (0..n).step_by(31) {
            fields.add_source(FieldId::Il6, site, 1.0);
        }
        let source: Vec<f64> = (0..n).map(|i| if i % 31 == 0 { 1.0 } else { 0.0 }).collect();
        let transport = |f: FieldId| f.default_transport();
        fields.end_tick(0, 1, 3600.0, 10.0, Permeability::Sites(&permeability), 1, &transport);
        let t = transport(FieldId::Il6);
        let mut expected = vec![0.0_f32; n];
        let problem = DiffusionProblem {
            diffusion_um2_s: t.diffusion_um2_s,
            decay_per_s: t.decay_per_s(),
            site_um: 10.0,
            dt_s: 3600.0,
            permeability: Permeability::Sites(&permeability),
            permeability_version: None,
            sinks: SiteRates::PerSite(&dense),
            sources: SiteRates::PerSite(&source),
            boundary: FieldId::Il6.boundary(),
        };
        DiffusionSolver::new(w, h, fields.solver.settings()).step(0, &mut expected, &problem);
        assert!(expected.iter().any(|&v| v > 0.0));
        assert!(fields.values(FieldId::Il6).iter().zip(&expected).all(|(a, &b)| a.to_bits() == f64::from(b).to_bits()));
    }

    #[test]
    fn the_means_in_one_pass_are_each_fields_own_mean_to_the_bit() {
        let (w, h) = (37, 23);
        // Values over nine orders of magnitude, so that adding them in any order but site
        // order changes the last bits of a sum.
        let value = |f: usize, i: usize| {
            let x = ((i * 7919 + f * 104_729) % 1000) as f64;
            10f64.powi(((i + f) % 9) as i32 - 4) * (1.0 + x / 997.0)
        };
        for float_bits in [32.0, 64.0] {
            let mut fields = Fields::new(w, h, &SolverParams { float_bits, ..SolverParams::default() });
            match &mut fields.values {
                Concentrations::Double(v) => v.iter_mut().enumerate().for_each(|(f, a)| {
                    a.iter_mut().enumerate().for_each(|(i, x)| *x = value(f, i));
                }),
                Concentrations::Single(v) => v.iter_mut().enumerate().for_each(|(f, a)| {
                    a.iter_mut().enumerate().for_each(|(i, x)| *x = value(f, i) as f32);
                }),
            }
            let present = FieldId::ALL.iter().filter(|&&f| fields.is_active(f)).count();
            assert!(present > 8 && present < FieldId::ALL.len(), "groups of 8 and fewer, and absent drug fields");
            let means = fields.means();
            for f in FieldId::ALL {
                assert_eq!(means[f.index()].to_bits(), fields.mean(f).to_bits(), "{f:?} in f{float_bits}");
            }
            // The test can tell a different order: backwards, some sum differs.
            let backwards = |f: FieldId| {
                let v: Vec<f64> = fields.values(f).iter().collect();
                v.iter().rev().sum::<f64>() / v.len() as f64
            };
            assert!(FieldId::ALL.iter().any(|&f| fields.is_active(f) && backwards(f) != fields.mean(f)));
        }
    }

    #[test]
    fn names_round_trip() {
        for f in FieldId::ALL {
            assert_eq!(FieldId::from_name(f.name()), Some(f));
        }
    }
}
