//! Signalling inside each cell (seed Figures 2 and 3): receptor occupancies from the fields at
//! the cell's site, and the activities of STAT3, PI3K/AKT, MAPK and NF-κB they set.
//!
//! - IL-6 signals through membrane IL-6R + gp130 (classic signalling, only on cells with
//!   IL-6R) or as the IL-6/sIL-6R complex through gp130 alone (trans-signalling, on any
//!   cell). Both activate STAT3; classic signalling also PI3K/AKT and MAPK, while trans-
//!   signalling's survival and proliferation signals run independently of AKT and MAPK
//!   (seed Figure 3 legend), kept here as a separate `trans` share.
//! - NF-κB integrates IL-1β and LPS (seed Figure 2) and TNF-α (the review names it with IL-1β
//!   among the NF-κB-dependent drivers), on top of a basal inflammatory tone that healthy
//!   marrow keeps. 17β-estradiol damps NF-κB (by keeping IκBα, seed refs 60, 65) and STAT3
//!   (through PIAS3, ref 67); testosterone damps NF-κB in the osteoblast lineage (refs
//!   68–70). PGE2 is not an NF-κB input: seed Figure 2 places it, downstream of COX-2, on the
//!   NF-κB-independent route to IL-6 (through EP2/EP4 and cAMP), so NF-κB → COX-2 → PGE2 is
//!   a one-way street here.
//!
//! Pathway activities follow their inputs within a tick: phosphorylation takes minutes, the
//! gene expression it drives hours.
//!
//! Drugs reach these signals through their targets ([`super::targets`]): IL-6 held by a
//! binder and IL-6R occupied by an antagonist do not signal, a RANKL decoy adds to OPG, a
//! CXCR4 antagonist competes with CXCL12, NF-κB can be suppressed.

use super::targets::SiteTargets;
use crate::cells::CellKind;
use crate::field::{FieldId, Fields};
use crate::params::{ModelParams, parameter_group};

parameter_group! {
    /// Receptors and intracellular signalling.
    pub struct SignallingParams {
        /// IL-6 at which the IL-6/IL-6R/gp130 complex is half formed on a cell with full
        /// IL-6R, pM (the high-affinity hexameric complex; Kd ~10 pM).
        il6_half_pm: 10.0, range 1e-3 => 1e5;
        /// Uptake of IL-6 by a cell with full membrane IL-6R, as a first-order loss of the
        /// IL-6 at its site per hour, at IL-6 far below `il6_half_pm`; it saturates as the
        /// receptors fill (× 1 / (1 + IL-6 / il6_half_pm)). Receptor-mediated endocytosis is a
        /// main route of IL-6 clearance (Castell et al. 1988, Eur J Biochem 177:357); the rate
        /// is tuned so that uptake takes about as much IL-6 out of healthy marrow as its
        /// other losses.
        il6_uptake_per_h: 20.0, range 0.0 => 1e5;
        /// Soluble IL-6R at which IL-6 is half bound to it, pM (IL-6–IL-6R Kd ~1 nM).
        sil6r_kd_pm: 1000.0, range 1e-3 => 1e6;
        /// IL-6/sIL-6R complex at which gp130 is half occupied (trans-signalling), pM.
        complex_half_pm: 10.0, range 1e-3 => 1e5;
        /// IL-1β at which IL-1R1 is half occupied, pM (IL-1 acts at picomolar levels).
        il1b_half_pm: 5.0, range 1e-3 => 1e5;
        /// PGE2 at which its EP2/EP4 receptors are half occupied, pM. Tuned to the levels
        /// COX-2 activity reaches in this model.
        pge2_half_pm: 20.0, range 1e-3 => 1e6;
        /// PTHrP at which PTH1R is half occupied, pM. Tuned like PGE2.
        pthrp_half_pm: 20.0, range 1e-3 => 1e6;
        /// DKK1 at which LRP5/6 is half blocked, pM (Kd ~0.5 nM; tuned to the model's levels).
        dkk1_half_pm: 20.0, range 1e-3 => 1e6;
        /// IL-17 at which IL-17R is half occupied, pM.
        il17_half_pm: 10.0, range 1e-3 => 1e6;
        /// Osteoblastic factor (ET-1/BMPs) at half occupancy of their receptors, pM.
        osteoblastic_half_pm: 10.0, range 1e-3 => 1e6;
        /// CXCL12 at which CXCR4 is half occupied, pM. Tuned to the stromal levels of the model.
        cxcl12_half_pm: 50.0, range 1e-3 => 1e6;
        /// TNF-α at which TNFR1 is half occupied, pM (TNFR1 binds the trimer with a Kd of
        /// tens of pM; Grell et al. 1998, J Immunol 161:6536, report ~20 pM on intact cells).
        tnf_half_pm: 20.0, range 1e-3 => 1e6;
        /// Basal NF-κB drive of host cells, before hormones damp it: the tonic inflammatory
        /// stimuli of healthy marrow. Blood monocytes of healthy women release IL-1 and TNF
        /// without any challenge, and more after menopause or ovariectomy, which estrogen
        /// replacement reverses (Pacifici et al. 1991, PNAS 88:5134); this tone is what
        /// estradiol and testosterone act on in healthy bone. Tuned: low enough that healthy
        /// serum IL-6 stays in 1–5 pg/mL (SCIENCE §6).
        basal_nfkb: 0.1, range 0.0 => 1.0;
        /// Share of NF-κB activity removed by normal 17β-estradiol (IκBα kept; seed refs 60, 65).
        estrogen_nfkb_damping: 0.5, range 0.0 => 1.0;
        /// Share of STAT3 activity removed by normal 17β-estradiol (PIAS3; seed ref 67).
        estrogen_stat3_damping: 0.3, range 0.0 => 1.0;
        /// Share of NF-κB activity removed by normal testosterone in the osteoblast lineage
        /// (seed refs 68–70).
        testosterone_nfkb_damping: 0.4, range 0.0 => 1.0;
        /// Membrane IL-6R of stromal cells relative to full (marrow stroma respond to IL-6).
        il6r_stroma: 1.0, range 0.0 => 1.0;
        /// Membrane IL-6R of osteoblasts and osteocytes: low, so they rely on trans-signalling
        /// (seed, IL-6 and its soluble receptor section).
        il6r_osteoblast: 0.1, range 0.0 => 1.0;
        /// Membrane IL-6R of monocytes, macrophages and the osteoclast lineage.
        il6r_myeloid: 1.0, range 0.0 => 1.0;
        /// Membrane IL-6R of T cells (CD4⁺ T cells express IL-6R).
        il6r_tcell: 1.0, range 0.0 => 1.0;
    }
}

/// Systemic exposures every cell feels at once (an inflammatory challenge), as receptor
/// occupancies 0–1.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Exposure {
    /// TLR4 occupancy by circulating LPS.
    pub lps: f64,
    /// Extra IL-1R1 occupancy from a systemic IL-1β challenge.
    pub il1b: f64,
    /// Extra EP receptor occupancy from a systemic PGE2 challenge.
    pub pge2: f64,
}

/// The host, as far as a cell's signalling sees it.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Host {
    /// 17β-estradiol, 0 (deprived) to 1 (normal).
    pub estrogen: f64,
    /// Testosterone, 0 (deprived) to 1 (normal).
    pub testosterone: f64,
    /// Systemic exposures.
    pub exposure: Exposure,
}

impl Default for Host {
    fn default() -> Self {
        Host { estrogen: 1.0, testosterone: 1.0, exposure: Exposure::default() }
    }
}

impl Host {
    /// How far estradiol is below normal: 0 (normal or above) to 1 (fully deprived).
    pub fn estrogen_loss(&self) -> f64 {
        (1.0 - self.estrogen).max(0.0)
    }

    /// How far testosterone is below normal: 0 (normal or above) to 1 (fully deprived).
    pub fn testosterone_loss(&self) -> f64 {
        (1.0 - self.testosterone).max(0.0)
    }

    /// The share of a pathway's activity left when `hormone` (0–2, 1 normal) damps it by
    /// `share` at its normal level.
    fn damping(share: f64, hormone: f64) -> f64 {
        (1.0 - share * hormone.clamp(0.0, 2.0)).max(0.0)
    }
}

/// NF-κB activity of a host cell from its inputs (occupancies 0–1: IL-1R1, TLR4 by LPS,
/// TNFR1) on top of the basal tone, before hormones damp it (seed Figure 2).
fn nfkb_inputs(il1b: f64, lps: f64, tnf: f64, s: &SignallingParams) -> f64 {
    either(either(either(il1b, lps), tnf), s.basal_nfkb)
}

/// The innate (pattern-recognition) drive of a host cell: the basal tone and LPS on TLR4,
/// damped by estradiol. What makes macrophages and T cells release TNF-α and IL-1β: the
/// cytokines themselves raise NF-κB in the cells around, but the release of the cells that
/// make them is set by these upstream stimuli (resolution of the loop by the negative
/// feedback of A20, IL-10 and tolerance, which the model does not represent otherwise).
pub fn innate_drive(host: &Host, s: &SignallingParams) -> f64 {
    either(s.basal_nfkb, host.exposure.lps) * Host::damping(s.estrogen_nfkb_damping, host.estrogen)
}

/// What a cell reads from its site this tick: receptor occupancies (0–1) and pathway
/// activities (0–1).
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Signals {
    /// RANKL not held by the decoy OPG, pM.
    pub free_rankl_pm: f64,
    /// RANK occupancy by free RANKL.
    pub rank: f64,
    /// c-Fms occupancy by M-CSF.
    pub c_fms: f64,
    /// TGF-β receptor occupancy.
    pub tgfb: f64,
    /// Classic IL-6 signalling (membrane IL-6R + gp130).
    pub il6_classic: f64,
    /// IL-6 trans-signalling (IL-6/sIL-6R complex on gp130).
    pub il6_trans: f64,
    /// STAT3 activity.
    pub stat3: f64,
    /// PI3K/AKT activity.
    pub akt: f64,
    /// MAPK activity.
    pub mapk: f64,
    /// NF-κB activity.
    pub nfkb: f64,
    /// TNFR1 occupancy by TNF-α.
    pub tnf: f64,
    /// IL-1R1 occupancy (field and systemic challenge).
    pub il1b: f64,
    /// EP receptor occupancy by PGE2 (field and systemic challenge).
    pub pge2: f64,
    /// PTH1R occupancy by PTHrP.
    pub pthrp: f64,
    /// LRP5/6 blockade by DKK1.
    pub dkk1: f64,
    /// IL-17R occupancy.
    pub il17: f64,
    /// Occupancy of the receptors of the osteoblastic factors (ET-1, BMPs).
    pub osteoblastic: f64,
    /// CXCR4 occupancy by CXCL12 (before the cell's CXCR4 level).
    pub cxcl12: f64,
    /// Share of this cell's mitoses that a mitotic poison turns into death (before AKT's
    /// protection).
    pub mitotic_arrest: f64,
    /// Rise of a tumour cell's IL-6 production from mitotic stress (fold − 1).
    pub il6_induction: f64,
}

/// Occupancy of a receptor by a ligand at `concentration` with half-occupancy at `half`:
/// `c / (c + K)`.
#[inline]
pub fn occupancy(concentration: f64, half: f64) -> f64 {
    let c = concentration.max(0.0);
    c / (c + half)
}

/// Either of two independent signals: `1 − (1 − a)(1 − b)`.
#[inline]
fn either(a: f64, b: f64) -> f64 {
    1.0 - (1.0 - a) * (1.0 - b)
}

/// RANKL on `site` not held by OPG or by other decoys (`decoy`: their concentration over Kd,
/// [`SiteTargets::rankl_decoy`]), pM. OPG is a decoy receptor: RANKL bound to it cannot
/// reach RANK. With decoys in excess and fast binding, the free share is
/// 1 / (1 + [OPG]/K_d + Σ [D]/K_D) (Lemaire et al. 2004).
pub fn free_rankl(fields: &Fields, site: usize, params: &ModelParams, decoy: f64) -> f64 {
    fields.at(FieldId::Rankl, site) / (1.0 + fields.at(FieldId::Opg, site) / params.osteoclast.opg_kd_pm + decoy)
}

/// IL-6 a cell with membrane IL-6R `il6r` takes up at IL-6 `il6_pm`, as a first-order loss
/// rate of its site, 1/s.
pub fn il6_uptake_per_s(il6r: f64, il6_pm: f64, s: &SignallingParams) -> f64 {
    s.il6_uptake_per_h / 3600.0 * il6r / (1.0 + il6_pm.max(0.0) / s.il6_half_pm)
}

/// Membrane IL-6R of a cell of `kind` relative to full (tumour cells: their phenotype's).
pub fn membrane_il6r(kind: CellKind, params: &ModelParams, tumor_il6r: f64) -> f64 {
    let s = &params.signalling;
    match kind {
        CellKind::Stroma => s.il6r_stroma,
        CellKind::PreOsteoblast | CellKind::Osteoblast | CellKind::LiningCell | CellKind::Osteocyte => {
            s.il6r_osteoblast
        }
        CellKind::Precursor | CellKind::PreOsteoclast | CellKind::Osteoclast | CellKind::Macrophage => s.il6r_myeloid,
        CellKind::TCell => s.il6r_tcell,
        CellKind::Tumor => tumor_il6r,
    }
}

/// Whether NF-κB in a cell of `kind` is damped by testosterone (the osteoblast lineage).
fn testosterone_responsive(kind: CellKind) -> bool {
    matches!(kind, CellKind::Stroma | CellKind::PreOsteoblast | CellKind::Osteoblast | CellKind::Osteocyte)
}

/// What a cell of `kind` with membrane IL-6R `il6r` senses on `site`; `contact_nfkb` is the
/// NF-κB activity that adhesion to a tumour cell adds (myeloma cells binding stroma through
/// VLA-4/VCAM-1; Chauhan et al. 1996, Blood 87:1104); `targets` are the drugs' hold on the
/// targets there.
#[allow(clippy::too_many_arguments, reason = "a cell's inputs, spelled out")]
pub fn sense(
    kind: CellKind,
    il6r: f64,
    site: usize,
    contact_nfkb: f64,
    fields: &Fields,
    params: &ModelParams,
    host: &Host,
    targets: &SiteTargets,
) -> Signals {
    let (oc, s) = (&params.osteoclast, &params.signalling);
    let at = |f: FieldId| fields.at(f, site);
    let free_rankl = free_rankl(fields, site, params, targets.rankl_decoy);
    // Only IL-6 free of binders signals, and only through receptors free of antagonists,
    // soluble ones included.
    let il6 = at(FieldId::Il6) * targets.il6_free;
    let il6_classic = il6r * targets.il6r_free * occupancy(il6, s.il6_half_pm);
    let complex = il6 * occupancy(at(FieldId::Sil6r) * targets.il6r_free, s.sil6r_kd_pm);
    let il6_trans = occupancy(complex, s.complex_half_pm);
    let stat3 = either(il6_classic, il6_trans) * Host::damping(s.estrogen_stat3_damping, host.estrogen);
    let il1b = either(occupancy(at(FieldId::Il1b), s.il1b_half_pm), host.exposure.il1b);
    let pge2 = either(occupancy(at(FieldId::Pge2), s.pge2_half_pm), host.exposure.pge2);
    let tnf_pm = at(FieldId::Tnf);
    let tnf = occupancy(tnf_pm, s.tnf_half_pm);
    let host_cell = kind != CellKind::Tumor;
    let mut nfkb = if host_cell {
        either(nfkb_inputs(il1b, host.exposure.lps, tnf, s), contact_nfkb)
    } else {
        either(either(il1b, host.exposure.lps), tnf)
    };
    nfkb *= Host::damping(s.estrogen_nfkb_damping, host.estrogen) * targets.nfkb_left;
    if testosterone_responsive(kind) {
        nfkb *= Host::damping(s.testosterone_nfkb_damping, host.testosterone);
    }
    Signals {
        free_rankl_pm: free_rankl,
        rank: occupancy(free_rankl * super::osteoclast::tnf_rankl_fold(tnf_pm, oc), oc.rank_half_pm),
        c_fms: occupancy(at(FieldId::Mcsf), oc.mcsf_half_pm),
        tgfb: occupancy(at(FieldId::Tgfb), params.stroma.tgfb_half_pm),
        il6_classic,
        il6_trans,
        stat3,
        akt: il6_classic,
        mapk: il6_classic,
        nfkb,
        tnf,
        il1b,
        pge2,
        pthrp: occupancy(at(FieldId::Pthrp), s.pthrp_half_pm),
        dkk1: occupancy(at(FieldId::Dkk1), s.dkk1_half_pm),
        il17: occupancy(at(FieldId::Il17), s.il17_half_pm),
        osteoblastic: occupancy(at(FieldId::Osteoblastic), s.osteoblastic_half_pm),
        cxcl12: occupancy(at(FieldId::Cxcl12), s.cxcl12_half_pm * targets.cxcr4_shift),
        mitotic_arrest: targets.mitotic_arrest,
        il6_induction: targets.il6_induction,
    }
}

/// IL-6 made by the rest of the body relative to a healthy host's (normal hormones, no
/// challenge, the model's default parameters). The body's IL-6 comes mostly from monocytes
/// and macrophages: their NF-κB follows the basal tone and a systemic challenge (LPS, IL-1β),
/// damped by estradiol (seed: 17β-estradiol reduces IL-6 production by monocytes), and
/// raises IL-6 `serum.body_il6_nfkb_gain`-fold at full activity; PGE2 adds through the
/// NF-κB-independent route. An IL-6 knockout host makes none.
///
/// The reference is the default model's healthy host, not the run's parameters: switching
/// off the basal tone or estradiol's damping then changes the body's IL-6 as it changes the
/// marrow's, rather than being calibrated away.
pub fn body_il6_fold(host: &Host, params: &ModelParams, il6_knockout: bool) -> f64 {
    if il6_knockout {
        return 0.0;
    }
    let production = |host: &Host, params: &ModelParams| {
        let s = &params.signalling;
        let e = &host.exposure;
        let nfkb = nfkb_inputs(e.il1b, e.lps, 0.0, s) * Host::damping(s.estrogen_nfkb_damping, host.estrogen);
        1.0 + params.serum.body_il6_nfkb_gain * nfkb + params.osteoblast.il6_pge2_gain * e.pge2
    };
    production(host, params) / production(&Host::default(), &ModelParams::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields_with(values: &[(FieldId, f64)]) -> Fields {
        let mut fields = Fields::new(1, 1, &crate::field::SolverParams::default());
        for &(f, v) in values {
            fields.set_uniform(f, v);
        }
        fields
    }

    #[test]
    fn trans_signalling_reaches_cells_without_il6r() {
        let p = ModelParams::default();
        let host = Host::default();
        let with_sil6r = fields_with(&[(FieldId::Il6, 20.0), (FieldId::Sil6r, 1000.0)]);
        let without = fields_with(&[(FieldId::Il6, 20.0)]);
        let a = sense(CellKind::Osteoblast, 0.0, 0, 0.0, &with_sil6r, &p, &host, &SiteTargets::default());
        let b = sense(CellKind::Osteoblast, 0.0, 0, 0.0, &without, &p, &host, &SiteTargets::default());
        assert_eq!(a.il6_classic, 0.0);
        assert!(a.stat3 > 0.3 && b.stat3 == 0.0, "{} vs {}", a.stat3, b.stat3);
        // Trans-signalling gives no AKT or MAPK (seed Figure 3).
        assert_eq!((a.akt, a.mapk), (0.0, 0.0));
    }

    #[test]
    fn estrogen_damps_nfkb_and_stat3() {
        let p = ModelParams::default();
        let fields = fields_with(&[(FieldId::Il6, 20.0), (FieldId::Il1b, 10.0)]);
        let normal = sense(CellKind::Stroma, 1.0, 0, 0.0, &fields, &p, &Host::default(), &SiteTargets::default());
        let deprived = sense(
            CellKind::Stroma,
            1.0,
            0,
            0.0,
            &fields,
            &p,
            &Host { estrogen: 0.0, ..Host::default() },
            &SiteTargets::default(),
        );
        assert!(deprived.nfkb > 1.5 * normal.nfkb && deprived.stat3 > normal.stat3);
    }

    #[test]
    fn drugs_act_through_the_shares_of_their_targets_they_leave_free() {
        let p = ModelParams::default();
        let host = Host::default();
        let fields = fields_with(&[
            (FieldId::Il6, 20.0),
            (FieldId::Sil6r, 1000.0),
            (FieldId::Rankl, 10.0),
            (FieldId::Cxcl12, 50.0),
            (FieldId::Il1b, 10.0),
        ]);
        let none = SiteTargets::default();
        let sense_with = |t: &SiteTargets| sense(CellKind::Stroma, 1.0, 0, 0.0, &fields, &p, &host, t);
        let before = sense_with(&none);
        // IL-6R blocked (tocilizumab): classic and trans-signalling both fall.
        let blocked = sense_with(&SiteTargets { il6r_free: 0.05, ..none });
        assert!(blocked.il6_classic < 0.1 * before.il6_classic && blocked.il6_trans < 0.2 * before.il6_trans);
        assert!(blocked.stat3 < 0.2 * before.stat3, "{} vs {}", blocked.stat3, before.stat3);
        // IL-6 held (siltuximab, AMG-220): the same, from the ligand's side.
        let held = sense_with(&SiteTargets { il6_free: 0.01, ..none });
        assert!(held.il6_classic < 0.05 * before.il6_classic && held.stat3 < 0.05 * before.stat3);
        // A RANKL decoy (denosumab, OPG-Fc) adds to OPG's hold.
        let decoy = sense_with(&SiteTargets { rankl_decoy: 99.0, ..none });
        assert!(decoy.free_rankl_pm < 0.02 * before.free_rankl_pm && decoy.rank < before.rank);
        // A CXCR4 antagonist shifts CXCL12's occupancy: at its Ki (shift 2), 1/2 → 1/3.
        let antagonised = sense_with(&SiteTargets { cxcr4_shift: 2.0, ..none });
        assert!((before.cxcl12 - 0.5).abs() < 1e-12 && (antagonised.cxcl12 - 1.0 / 3.0).abs() < 1e-12);
        // NF-κB suppression scales the activity.
        let suppressed = sense_with(&SiteTargets { nfkb_left: 0.4, ..none });
        assert!((suppressed.nfkb - 0.4 * before.nfkb).abs() < 1e-12);
        // No drug, nothing changes: the default shares leave every signal as it was.
        assert_eq!(sense_with(&SiteTargets::default()), before);
    }

    #[test]
    fn lps_switches_on_nfkb() {
        let p = ModelParams::default();
        let fields = fields_with(&[]);
        let calm = sense(CellKind::Macrophage, 1.0, 0, 0.0, &fields, &p, &Host::default(), &SiteTargets::default());
        let host = Host { exposure: Exposure { lps: 0.8, ..Exposure::default() }, ..Host::default() };
        let challenged = sense(CellKind::Macrophage, 1.0, 0, 0.0, &fields, &p, &host, &SiteTargets::default());
        assert!(calm.nfkb > 0.0 && calm.nfkb < 0.1, "a low basal tone: {}", calm.nfkb);
        assert!(challenged.nfkb > 0.3);
    }
}
