//! Tumour cells in bone (seed, "IL-6 production by cancer cells…" and the vicious cycle).
//!
//! Every cancer type has a phenotype: how fast it grows, how much it depends on IL-6, how
//! much IL-6 receptor it carries, and what it secretes (IL-6 or not, PTHrP, DKK1, the
//! osteoblastic factors of prostate cancer, IL-1β, PGE2, shed sIL-6R). What all tumour cells
//! share (`cancer.*`):
//!
//! - they grow from the signals of their niche: MAPK (classic IL-6) and IL-6 trans-
//!   signalling for proliferation, AKT and trans-signalling for survival, in the measure a
//!   phenotype depends on IL-6; TGF-β and IGF freed from resorbed matrix feed growth,
//!   survival and PTHrP (the vicious cycle);
//! - they home up CXCL12 through CXCR4, which IL-6 raises through STAT3 (seed ref 36); cells
//!   arriving from the circulation must be held by CXCR4 on CXCL12 while they extravasate,
//!   or they are carried away, so CXCR4 sets how many settle in bone;
//! - a cell divides only into free marrow beside it.

use super::signalling::Signals;
use super::{Action, Context, Intent};
use crate::cells::CellKind;
use crate::field::FieldId;
use crate::lattice::Site;
use crate::params::{ParamInfo, parameter_group};
use crate::rng::Purpose;
use rand::Rng;
use serde::{Deserialize, Serialize};

parameter_group! {
    /// What tumour cells of every type share.
    pub struct CancerParams {
        /// Fold rise of proliferation at full TGF-β signal: TGF-β and IGF released from
        /// resorbed matrix feed tumour growth (the vicious cycle; seed refs 38–39). Tuned.
        tgfb_growth_gain: 1.0, range 0.0 => 100.0;
        /// Share of apoptosis prevented at full TGF-β signal (matrix factors raise Bcl-2 and
        /// AKT; seed, vicious-cycle section).
        tgfb_survival: 0.5, range 0.0 => 1.0;
        /// Fold rise of PTHrP at full TGF-β signal (TGF-β induces PTHrP in breast cancer
        /// cells; Yin et al. 1999, J Clin Invest 103:197).
        tgfb_pthrp_gain: 4.0, range 0.0 => 100.0;
        /// Fold rise of tumour IL-6 at full NF-κB (NF-κB drives IL-6 in prostate cancer cells;
        /// seed ref 49).
        nfkb_il6_gain: 2.0, range 0.0 => 100.0;
        /// Fold rise of CXCR4 at full STAT3 (IL-6 raises CXCR4 in breast cancer cells through
        /// STAT3; seed ref 36). Tuned: the fold is not given there.
        stat3_cxcr4_gain: 2.0, range 0.0 => 100.0;
        /// CXCR4 signal (CXCR4 level × CXCL12 occupancy) at which half of the cells arriving
        /// from the circulation are held while they extravasate. Tuned.
        retention_half_signal: 0.3, range 1e-6 => 100.0;
        /// Days a cell arriving from the circulation takes to extravasate and settle: most
        /// arrested cells leave the vessel within about three days (Chambers et al. 2002,
        /// Nat Rev Cancer 2:563). It does not divide meanwhile.
        extravasation_days: 2.0, range 0.0 => 30.0;
        /// Loss per day of an arriving cell that nothing holds (back into the circulation,
        /// or dying there). With CXCR4 blocked, far fewer cells settle in bone: CXCR4
        /// antibodies reduce breast cancer metastasis (Müller et al. 2001, Nature 410:50) and
        /// prostate cancer metastasis to bone (Sun et al. 2005, J Bone Miner Res 20:318).
        /// Tuned.
        circulating_loss_per_day: 1.5, range 0.0 => 100.0;
        /// Weight of IL-6 trans-signalling in growth and survival, beside AKT and MAPK (seed
        /// Figure 3: trans-signalling drives survival and proliferation independently of
        /// AKT and MAPK).
        trans_weight: 0.7, range 0.0 => 1.0;
        /// Free marrow sites per injected cell in an injection bolus (`tumor.placement =
        /// "injection"`): injected cells spread through the marrow around the needle rather
        /// than arriving as one packed clump.
        injection_sites_per_cell: 4.0, range 1.0 => 1000.0;
        /// Steps (to a neighbouring site) per hour of a tumour cell.
        motility_steps_per_h: 0.1, range 0.0 => 100.0;
        /// Share of moves made up the CXCL12 gradient at a saturating CXCR4 signal (the rest
        /// are random); at a signal S the share is `homing × S / (1 + S)`.
        homing: 0.8, range 0.0 => 1.0;
        /// Share of mitotic death from a taxane that full AKT activity prevents: IL-6 makes
        /// prostate cancer cells resistant to docetaxel through AKT (seed ref 49; Figure 3),
        /// and high IL-6 in breast metastases goes with paclitaxel resistance (ref 115).
        /// The share is not measured; taken as a half.
        akt_taxane_resistance: 0.5, range 0.0 => 1.0;
    }
}

/// One cancer type's tumour-cell phenotype.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TumorPhenotype {
    /// Doubling time of a cell with full growth signals and room, days.
    pub doubling_days: f64,
    /// Apoptosis per day without survival signals.
    pub apoptosis_per_day: f64,
    /// Share of growth and survival that needs IL-6 signalling (0: none, 1: all).
    pub il6_dependence: f64,
    /// Membrane IL-6R, relative to full.
    pub il6r: f64,
    /// CXCR4 expression relative to a reference cell (before STAT3 raises it).
    pub cxcr4: f64,
    /// IL-6 made, molecules/h.
    pub il6_molecules_per_h: f64,
    /// PTHrP made, molecules/h (before TGF-β raises it).
    pub pthrp_molecules_per_h: f64,
    /// DKK1 made, molecules/h.
    pub dkk1_molecules_per_h: f64,
    /// Osteoblastic factors (ET-1, BMPs) made, molecules/h.
    pub osteoblastic_molecules_per_h: f64,
    /// IL-1β made, molecules/h.
    pub il1b_molecules_per_h: f64,
    /// PGE2 made (COX-2), molecules/h.
    pub pge2_molecules_per_h: f64,
    /// sIL-6R shed, molecules/h.
    pub sil6r_molecules_per_h: f64,
    /// NF-κB activity a tumour cell raises in a stromal or osteoblastic cell it touches
    /// (adhesion through VLA-4/VCAM-1 switches on the stroma's IL-6; Chauhan et al. 1996).
    pub stroma_contact_nfkb: f64,
}

impl TumorPhenotype {
    /// Breast cancer, MDA-MB-231-like: fast, IL-6- and PTHrP-rich, COX-2 high, osteolytic
    /// (seed refs 18, 36; Yin et al. 1999). Secretion rates tuned; MDA-MB-231 make ng of
    /// IL-6 per 10⁶ cells a day, about a thousand molecules a cell an hour; IL-6 tuned
    /// within that so that the four-week tumour's serum IL-6 lies in the metastatic range.
    pub const BREAST: TumorPhenotype = TumorPhenotype {
        doubling_days: 2.0,
        apoptosis_per_day: 0.1,
        il6_dependence: 0.2,
        il6r: 0.5,
        cxcr4: 1.0,
        il6_molecules_per_h: 1500.0,
        pthrp_molecules_per_h: 2000.0,
        dkk1_molecules_per_h: 500.0,
        osteoblastic_molecules_per_h: 0.0,
        il1b_molecules_per_h: 300.0,
        pge2_molecules_per_h: 1000.0,
        sil6r_molecules_per_h: 0.0,
        stroma_contact_nfkb: 0.0,
    };
    /// Prostate cancer, C4-2B-like: osteoblastic factors (ET-1, BMPs), little active PTHrP
    /// (the PSA these cells secrete cleaves PTHrP in its PTH-like domain and inactivates it;
    /// Cramer et al. 1996, J Urol 156:526; 50 molecules/h counts what is left), no
    /// DKK1 (whose loss lets the osteoblastic phenotype show; Hall et al. 2005), sheds some
    /// sIL-6R, and makes less IL-6 than PC3 or DU145 (the LNCaP lineage is a low IL-6
    /// producer). Doubling and apoptosis tuned so that 20 injected cells follow the C4-2B
    /// growth in mouse tibia (7× at day 5, 46× at day 15; SCIENCE §3).
    pub const PROSTATE: TumorPhenotype = TumorPhenotype {
        doubling_days: 1.5,
        apoptosis_per_day: 0.05,
        il6_dependence: 0.2,
        il6r: 0.5,
        cxcr4: 1.0,
        il6_molecules_per_h: 500.0,
        pthrp_molecules_per_h: 50.0,
        dkk1_molecules_per_h: 0.0,
        osteoblastic_molecules_per_h: 3000.0,
        il1b_molecules_per_h: 0.0,
        pge2_molecules_per_h: 300.0,
        sil6r_molecules_per_h: 300.0,
        stroma_contact_nfkb: 0.0,
    };
    /// Multiple myeloma: makes no IL-6 and depends on the stroma's (seed ref 72); IL-6R high;
    /// DKK1 high (Tian et al. 2003, N Engl J Med 349:2483); IL-1β, which drives stromal IL-6;
    /// sheds sIL-6R (serum sIL-6R up to ~160 ng/mL, SCIENCE §6); binds stroma, which
    /// switches on the stroma's IL-6. Apoptosis and IL-6 dependence tuned so that the
    /// stroma's IL-6 in this model keeps a seeded tumour growing while none (an IL-6
    /// knockout host) lets it dwindle, as IL-6-dependent myeloma does (seed ref 72).
    pub const MYELOMA: TumorPhenotype = TumorPhenotype {
        doubling_days: 2.0,
        apoptosis_per_day: 0.15,
        il6_dependence: 0.7,
        il6r: 1.0,
        cxcr4: 1.5,
        il6_molecules_per_h: 0.0,
        pthrp_molecules_per_h: 100.0,
        dkk1_molecules_per_h: 3000.0,
        osteoblastic_molecules_per_h: 0.0,
        il1b_molecules_per_h: 500.0,
        pge2_molecules_per_h: 0.0,
        sil6r_molecules_per_h: 3000.0,
        stroma_contact_nfkb: 0.8,
    };
    /// Lung cancer: IL-6, PTHrP and COX-2 high; mostly osteolytic (seed refs 26, 29).
    /// Doubling and IL-6 tuned so that ten cells arriving through vessels make a lesion
    /// within four weeks with serum IL-6 in the metastatic range (SCIENCE §6).
    pub const LUNG: TumorPhenotype = TumorPhenotype {
        doubling_days: 2.5,
        apoptosis_per_day: 0.1,
        il6_dependence: 0.2,
        il6r: 0.5,
        cxcr4: 1.0,
        il6_molecules_per_h: 2000.0,
        pthrp_molecules_per_h: 3000.0,
        dkk1_molecules_per_h: 300.0,
        osteoblastic_molecules_per_h: 0.0,
        il1b_molecules_per_h: 500.0,
        pge2_molecules_per_h: 1500.0,
        sil6r_molecules_per_h: 0.0,
        stroma_contact_nfkb: 0.0,
    };
    /// Renal cell carcinoma: slower, IL-6 per cell the highest here, PTHrP; osteolytic (seed
    /// refs 26, 124). Doubling and IL-6 tuned like lung cancer's, over six weeks.
    pub const RENAL: TumorPhenotype = TumorPhenotype {
        doubling_days: 4.0,
        apoptosis_per_day: 0.08,
        il6_dependence: 0.2,
        il6r: 0.5,
        cxcr4: 1.0,
        il6_molecules_per_h: 4000.0,
        pthrp_molecules_per_h: 1500.0,
        dkk1_molecules_per_h: 200.0,
        osteoblastic_molecules_per_h: 0.0,
        il1b_molecules_per_h: 200.0,
        pge2_molecules_per_h: 500.0,
        sil6r_molecules_per_h: 0.0,
        stroma_contact_nfkb: 0.0,
    };

    /// Calls `f` with every parameter, under the group name `group` (a cancer type).
    pub fn visit(&mut self, group: &'static str, f: &mut dyn FnMut(ParamInfo, &mut f64)) {
        let default = match group {
            "breast" => Self::BREAST,
            "prostate" => Self::PROSTATE,
            "myeloma" => Self::MYELOMA,
            "lung" => Self::LUNG,
            _ => Self::RENAL,
        };
        let mut entry = |name: &'static str, doc: &'static str, max: f64, value: &mut f64, default: f64| {
            f(ParamInfo { group, name, min: 0.0, max, default, doc }, value);
        };
        entry(
            "doubling_days",
            "Doubling time of a tumour cell with full growth signals and room, days (PC3 and C4-2B double every 2–3 days in mouse tibia; SCIENCE §3).",
            1000.0,
            &mut self.doubling_days,
            default.doubling_days,
        );
        entry(
            "apoptosis_per_day",
            "Apoptosis of a tumour cell per day without survival signals.",
            10.0,
            &mut self.apoptosis_per_day,
            default.apoptosis_per_day,
        );
        entry(
            "il6_dependence",
            "Share of growth and survival that needs IL-6 signalling (myeloma depends on IL-6; seed ref 72).",
            1.0,
            &mut self.il6_dependence,
            default.il6_dependence,
        );
        entry("il6r", "Membrane IL-6R relative to full.", 1.0, &mut self.il6r, default.il6r);
        entry(
            "cxcr4",
            "CXCR4 expression relative to a reference cell, before STAT3 raises it (bone-metastatic breast, prostate and myeloma cells overexpress CXCR4; seed refs 32–35).",
            10.0,
            &mut self.cxcr4,
            default.cxcr4,
        );
        let rate = "made per cell, molecules/h (tuned; see `TumorPhenotype` docs).";
        entry("il6_molecules_per_h", rate, 1e8, &mut self.il6_molecules_per_h, default.il6_molecules_per_h);
        entry("pthrp_molecules_per_h", rate, 1e8, &mut self.pthrp_molecules_per_h, default.pthrp_molecules_per_h);
        entry("dkk1_molecules_per_h", rate, 1e8, &mut self.dkk1_molecules_per_h, default.dkk1_molecules_per_h);
        entry(
            "osteoblastic_molecules_per_h",
            rate,
            1e8,
            &mut self.osteoblastic_molecules_per_h,
            default.osteoblastic_molecules_per_h,
        );
        entry("il1b_molecules_per_h", rate, 1e8, &mut self.il1b_molecules_per_h, default.il1b_molecules_per_h);
        entry("pge2_molecules_per_h", rate, 1e8, &mut self.pge2_molecules_per_h, default.pge2_molecules_per_h);
        entry("sil6r_molecules_per_h", rate, 1e8, &mut self.sil6r_molecules_per_h, default.sil6r_molecules_per_h);
        entry(
            "stroma_contact_nfkb",
            "NF-κB activity (0–1) a tumour cell raises in a stromal or osteoblastic cell it touches: myeloma adhesion to stroma through VLA-4/VCAM-1 switches on NF-κB-dependent IL-6 (Chauhan et al. 1996, Blood 87:1104).",
            1.0,
            &mut self.stroma_contact_nfkb,
            default.stroma_contact_nfkb,
        );
    }
}

/// Survival signal of a tumour cell from IL-6: AKT (classic) or trans-signalling.
fn il6_support(s: &Signals, c: &CancerParams) -> f64 {
    1.0 - (1.0 - s.akt) * (1.0 - c.trans_weight * s.il6_trans)
}

/// Proliferation signal of a tumour cell from IL-6: MAPK (classic) or trans-signalling.
fn il6_growth(s: &Signals, c: &CancerParams) -> f64 {
    1.0 - (1.0 - s.mapk) * (1.0 - c.trans_weight * s.il6_trans)
}

/// Apoptosis of a tumour cell per day.
pub fn death_per_day(s: &Signals, ph: &TumorPhenotype, c: &CancerParams) -> f64 {
    let il6 = ph.il6_dependence * il6_support(s, c);
    let matrix = c.tgfb_survival * s.tgfb;
    ph.apoptosis_per_day * (1.0 - il6) * (1.0 - matrix)
}

/// Divisions of a tumour cell per day, given room.
pub fn division_per_day(s: &Signals, ph: &TumorPhenotype, c: &CancerParams) -> f64 {
    let drive = (1.0 - ph.il6_dependence) + ph.il6_dependence * il6_growth(s, c);
    std::f64::consts::LN_2 / ph.doubling_days * drive * (1.0 + c.tgfb_growth_gain * s.tgfb)
}

/// CXCR4 expression of a tumour cell: its phenotype's, raised by STAT3 (seed ref 36).
pub fn cxcr4_level(s: &Signals, ph: &TumorPhenotype, c: &CancerParams) -> f64 {
    ph.cxcr4 * (1.0 + c.stat3_cxcr4_gain * s.stat3)
}

/// The CXCR4 signal: CXCR4 level × CXCL12 occupancy.
pub fn cxcr4_signal(s: &Signals, ph: &TumorPhenotype, c: &CancerParams) -> f64 {
    cxcr4_level(s, ph, c) * s.cxcl12
}

/// Share of a tumour cell's mitoses that end in death under a mitotic poison (a taxane), less
/// under AKT (seed ref 49).
pub fn mitotic_death(s: &Signals, c: &CancerParams) -> f64 {
    s.mitotic_arrest * (1.0 - c.akt_taxane_resistance * s.akt)
}

/// Share of a cell arriving from the circulation that CXCR4 holds, 0–1.
pub fn retention(s: &Signals, ph: &TumorPhenotype, c: &CancerParams) -> f64 {
    let signal = cxcr4_signal(s, ph, c);
    signal / (signal + c.retention_half_signal)
}

/// A tumour cell: die, divide into free marrow beside it, or move (up CXCL12 through CXCR4,
/// or at random). A cell still extravasating does not divide, and leaves unless CXCR4 holds
/// it.
pub fn decide(slot: usize, s: &Signals, ctx: &Context) -> Intent {
    let Some(ph) = ctx.tumor else { return Intent::act(Action::Die) };
    let c = &ctx.params.cancer;
    let site = ctx.cells.site[slot] as usize;
    let mut rng = ctx.rng(slot, Purpose::Decide);
    if rng.random::<f64>() < ctx.chance(death_per_day(s, ph, c)) {
        return Intent::act(Action::Die);
    }
    let extravasating = ctx.tick < ctx.cells.until_tick[slot];
    if extravasating && rng.random::<f64>() < ctx.chance(c.circulating_loss_per_day * (1.0 - retention(s, ph, c))) {
        return Intent::act(Action::Die);
    }
    if !extravasating && rng.random::<f64>() < ctx.chance(division_per_day(s, ph, c)) {
        let mut place = ctx.rng(slot, Purpose::Division);
        if let Some(to) = ctx.free_neighbour(site, &mut place, |_| true) {
            // A poisoned spindle: the cell dies in mitosis rather than divides.
            let arrest = mitotic_death(s, c);
            if arrest > 0.0 && place.random::<f64>() < arrest {
                return Intent::act(Action::Die);
            }
            return Intent::act(Action::Divide { to: Site::from(to), daughter: CellKind::Tumor });
        }
    }
    let signal = cxcr4_signal(s, ph, c);
    let homing = c.homing * signal / (1.0 + signal);
    let cxcl12 = ctx.fields.values(FieldId::Cxcl12);
    let steps = ctx.steps(c.motility_steps_per_h, &mut rng);
    let to = ctx.walk(site, steps, |at| {
        if rng.random::<f64>() < homing
            && let Some(to) = ctx.uphill_neighbour(at, |n| cxcl12.get(n), |_| true)
        {
            return Some(to);
        }
        ctx.free_neighbour(at, &mut rng, |_| true)
    });
    to.map_or(Intent::STAY, |to| Intent::act(Action::Move { to: Site::from(to) }))
}

/// What a tumour cell secretes.
pub fn secrete(slot: usize, s: &Signals, ctx: &Context, emit: &mut super::Emit) {
    let Some(ph) = ctx.tumor else { return };
    let c = &ctx.params.cancer;
    let site = ctx.cells.site[slot] as usize;
    // Mitotic stress (paclitaxel) raises IL-6 through JNK (seed ref 110).
    emit(FieldId::Il6, site, ph.il6_molecules_per_h * (1.0 + c.nfkb_il6_gain * s.nfkb) * (1.0 + s.il6_induction));
    emit(FieldId::Pthrp, site, ph.pthrp_molecules_per_h * (1.0 + c.tgfb_pthrp_gain * s.tgfb));
    emit(FieldId::Dkk1, site, ph.dkk1_molecules_per_h);
    emit(FieldId::Osteoblastic, site, ph.osteoblastic_molecules_per_h);
    emit(FieldId::Il1b, site, ph.il1b_molecules_per_h);
    emit(FieldId::Pge2, site, ph.pge2_molecules_per_h * (1.0 + s.nfkb));
    emit(FieldId::Sil6r, site, ph.sil6r_molecules_per_h);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn myeloma_needs_il6_and_breast_cancer_does_not() {
        let c = CancerParams::default();
        let none = Signals::default();
        let rich = Signals { akt: 0.8, mapk: 0.8, il6_trans: 0.5, ..Signals::default() };
        let growth = |ph: &TumorPhenotype, s: &Signals| division_per_day(s, ph, &c) - death_per_day(s, ph, &c);
        let myeloma = TumorPhenotype::MYELOMA;
        assert!(growth(&myeloma, &none) < 0.0, "myeloma without IL-6 shrinks");
        assert!(growth(&myeloma, &rich) > 0.0, "myeloma with IL-6 grows");
        assert!(growth(&TumorPhenotype::BREAST, &none) > 0.0, "breast cancer grows without IL-6");
    }

    #[test]
    fn matrix_factors_feed_growth_the_vicious_cycle() {
        let c = CancerParams::default();
        let calm = Signals::default();
        let resorbing = Signals { tgfb: 0.8, ..Signals::default() };
        let ph = TumorPhenotype::BREAST;
        assert!(division_per_day(&resorbing, &ph, &c) > division_per_day(&calm, &ph, &c));
        assert!(death_per_day(&resorbing, &ph, &c) < death_per_day(&calm, &ph, &c));
    }
}
