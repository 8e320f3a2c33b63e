//! Readouts: what a run reports at every output interval.
//!
//! The first columns are the public contract (`DESIGN.md`); the rest add detail.

use crate::cells::{CellKind, CellStore};
use crate::field::{FieldId, Fields};
use crate::lattice::{Lattice, TissueKind};
use crate::pharmacology::{Drug, PlasmaLevel};
use serde::{Deserialize, Serialize};

/// Bone resorbed and formed over the last day, from per-tick records.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TurnoverLog {
    resorbed: Vec<f64>,
    formed: Vec<f64>,
    position: usize,
    /// Totals since the start, site units.
    pub resorbed_total: f64,
    /// Matrix laid down since the start, site units.
    pub formed_total: f64,
}

impl TurnoverLog {
    /// A log over the last `ticks_per_day` ticks.
    pub fn new(ticks_per_day: usize) -> Self {
        TurnoverLog {
            resorbed: vec![0.0; ticks_per_day],
            formed: vec![0.0; ticks_per_day],
            position: 0,
            resorbed_total: 0.0,
            formed_total: 0.0,
        }
    }

    /// Records mineralised bone resorbed this tick (site units).
    pub fn record_resorbed(&mut self, mass: f64) {
        self.resorbed[self.position] += mass;
        self.resorbed_total += mass;
    }

    /// Records matrix laid down this tick (site units).
    pub fn record_formed(&mut self, matrix: f64) {
        self.formed[self.position] += matrix;
        self.formed_total += matrix;
    }

    /// Forgets everything recorded: counting starts again.
    pub fn restart(&mut self) {
        *self = TurnoverLog::new(self.resorbed.len());
    }

    /// Closes this tick's record.
    pub fn end_tick(&mut self) {
        self.position = (self.position + 1) % self.resorbed.len();
        self.resorbed[self.position] = 0.0;
        self.formed[self.position] = 0.0;
    }

    /// Bone resorbed and formed over the last day, site units.
    pub fn last_day(&self) -> (f64, f64) {
        (self.resorbed.iter().sum(), self.formed.iter().sum())
    }
}

/// The state of the tissue at one moment.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Readouts {
    /// Simulated day.
    pub day: f64,
    /// Mineralised bone volume over tissue volume (the whole section).
    pub bv_tv: f64,
    /// Mineralised bone mass relative to the start.
    pub bone_rel: f64,
    /// Osteoclasts (multinucleated).
    pub osteoclasts: usize,
    /// Active osteoblasts.
    pub osteoblasts: usize,
    /// Osteocytes.
    pub osteocytes: usize,
    /// Tumour cells.
    pub tumor_cells: usize,
    /// Serum IL-6, pg/mL.
    pub serum_il6_pg_ml: f64,
    /// Serum soluble IL-6 receptor, ng/mL.
    pub serum_sil6r_ng_ml: f64,
    /// Starting bone lost near the tumour, mm².
    pub lytic_area_mm2: f64,
    /// Woven bone gained near the tumour, mm².
    pub blastic_area_mm2: f64,
    /// Share of bone matrix that is woven.
    pub woven_fraction: f64,
    /// Resorption marker: bone resorbed over the last day, as % of the starting bone mass
    /// per year.
    pub ctx: f64,
    /// Formation marker: matrix laid down over the last day, as % of the starting bone mass
    /// per year.
    pub p1np: f64,
    /// Mononuclear pre-osteoclasts.
    pub preosteoclasts: usize,
    /// Osteoclast precursors in the marrow.
    pub precursors: usize,
    /// Nuclei in osteoclasts.
    pub osteoclast_nuclei: usize,
    /// Pre-osteoblasts.
    pub preosteoblasts: usize,
    /// Lining cells.
    pub lining_cells: usize,
    /// Stromal cells and mesenchymal progenitors.
    pub stroma: usize,
    /// Marrow macrophages.
    pub macrophages: usize,
    /// T cells.
    pub t_cells: usize,
    /// Unmineralised osteoid area over tissue area.
    pub osteoid_fraction: f64,
    /// Eroded surface awaiting refill (open cavity sites), mm².
    pub eroded_area_mm2: f64,
    /// Bone resorbed since the start, mm².
    pub resorbed_mm2: f64,
    /// Matrix formed since the start, mm².
    pub formed_mm2: f64,
    /// Mineralised bone within the lesion's reach (the region within [`LESION_REACH_UM`] of a
    /// tumour cell now) relative to the bone that region held at the start; 1 with no tumour.
    pub lesion_bone_rel: f64,
    /// Share of the bone surface (open sites touching bone) covered by osteoblasts: Ob.S/BS.
    pub osteoblast_surface: f64,
    /// Mean concentration of each field, pM, in [`FieldId::ALL`] order (0 for the fields of
    /// drugs not given, which have no column).
    pub field_means_pm: Vec<f64>,
    /// Plasma level of each drug the scenario gives, over the last tick, in the drug's
    /// plasma unit ([`crate::pharmacology::DrugInfo::plasma_unit`]), in [`Drug::ALL`] order.
    pub plasma: Vec<(Drug, f64)>,
}

/// What the readouts need beyond the tissue, the cells and the fields.
#[derive(Clone, Copy, Debug)]
pub struct Extras<'a> {
    /// Simulated day.
    pub day: f64,
    /// Bone resorbed and formed.
    pub turnover: &'a TurnoverLog,
    /// Mineralised bone mass at the start, site units.
    pub initial_bone_mass: f64,
    /// Serum IL-6, pg/mL.
    pub serum_il6_pg_ml: f64,
    /// Serum sIL-6R, ng/mL.
    pub serum_sil6r_ng_ml: f64,
    /// Plasma levels of the drugs given.
    pub plasma: &'a [PlasmaLevel],
}

/// How close to a tumour cell bone lost or gained counts as its lesion, µm: a tumour's
/// reach through the factors it secretes (their decay lengths are a few hundred µm).
pub const LESION_REACH_UM: f64 = 300.0;

/// The lesion: starting bone lost and woven bone gained within [`LESION_REACH_UM`] of a
/// tumour cell, and the bone of that region now and at the start.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Lesion {
    /// Starting bone lost, mm².
    pub lytic_mm2: f64,
    /// Woven bone gained where there was none, mm².
    pub blastic_mm2: f64,
    /// Mineralised bone in the region now, site units.
    pub bone_now: f64,
    /// Mineralised bone the region held at the start, site units.
    pub bone_at_start: f64,
}

/// What a site is part of, as the lesion readouts count it (the viewer outlines these).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LesionSite {
    /// No lesion.
    #[default]
    None,
    /// Starting bone lost within [`LESION_REACH_UM`] of a tumour cell.
    Lytic,
    /// Woven bone gained (where there was none) within [`LESION_REACH_UM`] of a tumour cell.
    Blastic,
}

/// The lesion around the tumour cells now (all zero without tumour cells).
pub fn lesion(lattice: &Lattice, cells: &CellStore) -> Lesion {
    lesion_sites(lattice, cells, &mut Vec::new())
}

/// The lesion around the tumour cells now, with every site classified into `out` (resized
/// to the lattice): lytic, blastic or neither.
pub fn lesion_sites(lattice: &Lattice, cells: &CellStore, out: &mut Vec<LesionSite>) -> Lesion {
    out.clear();
    out.resize(lattice.len(), LesionSite::None);
    let tumour: Vec<usize> =
        (0..cells.len()).filter(|&s| cells.kind[s] == CellKind::Tumor).map(|s| cells.site[s] as usize).collect();
    if tumour.is_empty() {
        return Lesion::default();
    }
    // Distance in steps from the nearest tumour cell, by breadth-first search up to the reach.
    let reach = (LESION_REACH_UM / lattice.site_um).round() as u32;
    let mut distance = vec![u32::MAX; lattice.len()];
    let mut frontier = tumour;
    for &s in &frontier {
        distance[s] = 0;
    }
    let mut step = 0;
    while !frontier.is_empty() && step < reach {
        step += 1;
        let mut next = Vec::new();
        for s in frontier {
            for n in lattice.neighbours(s) {
                if distance[n] == u32::MAX {
                    distance[n] = step;
                    next.push(n);
                }
            }
        }
        frontier = next;
    }
    let (mut lytic, mut blastic, mut bone_now, mut bone_at_start) = (0usize, 0usize, 0.0, 0.0);
    for (s, &d) in distance.iter().enumerate() {
        if d == u32::MAX {
            continue;
        }
        bone_now += lattice.bone_mass(s) as f64;
        bone_at_start += lattice.initial_bone[s] as f64;
        let started_as_bone = lattice.initial_bone[s] >= 0.5;
        if started_as_bone && lattice.bone_mass(s) < 0.5 {
            lytic += 1;
            out[s] = LesionSite::Lytic;
        }
        if !started_as_bone && lattice.woven[s] && lattice.is_solid(s) {
            blastic += 1;
            out[s] = LesionSite::Blastic;
        }
    }
    let area = lattice.site_area_mm2();
    Lesion { lytic_mm2: lytic as f64 * area, blastic_mm2: blastic as f64 * area, bone_now, bone_at_start }
}

impl Readouts {
    /// Measures the current state.
    pub fn measure(lattice: &Lattice, cells: &CellStore, fields: &Fields, extras: Extras) -> Readouts {
        let Extras { day, turnover, initial_bone_mass, .. } = extras;
        let lesion = lesion(lattice, cells);
        let (lytic_area_mm2, blastic_area_mm2) = (lesion.lytic_mm2, lesion.blastic_mm2);
        let n = lattice.len() as f64;
        let area = lattice.site_area_mm2();
        let mass = lattice.total_bone_mass();
        let (mut matrix, mut woven, mut osteoid, mut eroded) = (0.0, 0.0, 0usize, 0usize);
        let (mut surface, mut lined) = (0usize, 0usize);
        for s in 0..lattice.len() {
            if lattice.is_surface(s) {
                surface += 1;
                lined += usize::from(cells.occupant(s).is_some_and(|o| cells.kind[o] == CellKind::Osteoblast));
            }
            let m = lattice.matrix[s] as f64;
            matrix += m;
            if lattice.woven[s] {
                woven += m;
            }
            if lattice.kind(s) == TissueKind::Osteoid {
                osteoid += 1;
            }
            if lattice.eroded[s] && lattice.is_open(s) {
                eroded += 1;
            }
        }
        let counts = cells.counts();
        let count = |k: CellKind| counts[k as usize];
        let nuclei =
            (0..cells.len()).filter(|&s| cells.kind[s] == CellKind::Osteoclast).map(|s| cells.nuclei[s] as usize).sum();
        let (resorbed_day, formed_day) = turnover.last_day();
        let per_year_pct = |x: f64| {
            if initial_bone_mass > 0.0 { x * 365.25 / initial_bone_mass * 100.0 } else { 0.0 }
        };
        Readouts {
            day,
            bv_tv: mass / n,
            bone_rel: if initial_bone_mass > 0.0 { mass / initial_bone_mass } else { 0.0 },
            osteoclasts: count(CellKind::Osteoclast),
            osteoblasts: count(CellKind::Osteoblast),
            osteocytes: count(CellKind::Osteocyte),
            tumor_cells: count(CellKind::Tumor),
            serum_il6_pg_ml: extras.serum_il6_pg_ml,
            serum_sil6r_ng_ml: extras.serum_sil6r_ng_ml,
            lytic_area_mm2,
            blastic_area_mm2,
            woven_fraction: if matrix > 0.0 { woven / matrix } else { 0.0 },
            ctx: per_year_pct(resorbed_day),
            p1np: per_year_pct(formed_day),
            preosteoclasts: count(CellKind::PreOsteoclast),
            precursors: count(CellKind::Precursor),
            osteoclast_nuclei: nuclei,
            preosteoblasts: count(CellKind::PreOsteoblast),
            lining_cells: count(CellKind::LiningCell),
            stroma: count(CellKind::Stroma),
            macrophages: count(CellKind::Macrophage),
            t_cells: count(CellKind::TCell),
            osteoid_fraction: osteoid as f64 / n,
            eroded_area_mm2: eroded as f64 * area,
            resorbed_mm2: turnover.resorbed_total * area,
            formed_mm2: turnover.formed_total * area,
            lesion_bone_rel: if lesion.bone_at_start > 0.0 { lesion.bone_now / lesion.bone_at_start } else { 1.0 },
            osteoblast_surface: if surface > 0 { lined as f64 / surface as f64 } else { 0.0 },
            field_means_pm: fields.means(),
            plasma: extras.plasma.iter().map(|l| (l.drug, l.in_plasma_unit())).collect(),
        }
    }

    /// Column names and values, in output order: the contract columns first.
    pub fn columns(&self) -> Vec<(String, f64)> {
        let mut cols: Vec<(String, f64)> = vec![
            ("day".into(), self.day),
            ("bv_tv".into(), self.bv_tv),
            ("bone_rel".into(), self.bone_rel),
            ("osteoclasts".into(), self.osteoclasts as f64),
            ("osteoblasts".into(), self.osteoblasts as f64),
            ("osteocytes".into(), self.osteocytes as f64),
            ("tumor_cells".into(), self.tumor_cells as f64),
            ("serum_il6_pg_ml".into(), self.serum_il6_pg_ml),
            ("serum_sil6r_ng_ml".into(), self.serum_sil6r_ng_ml),
            ("lytic_area_mm2".into(), self.lytic_area_mm2),
            ("blastic_area_mm2".into(), self.blastic_area_mm2),
            ("woven_fraction".into(), self.woven_fraction),
            ("ctx".into(), self.ctx),
            ("p1np".into(), self.p1np),
            ("preosteoclasts".into(), self.preosteoclasts as f64),
            ("precursors".into(), self.precursors as f64),
            ("osteoclast_nuclei".into(), self.osteoclast_nuclei as f64),
            ("preosteoblasts".into(), self.preosteoblasts as f64),
            ("lining_cells".into(), self.lining_cells as f64),
            ("stroma".into(), self.stroma as f64),
            ("macrophages".into(), self.macrophages as f64),
            ("t_cells".into(), self.t_cells as f64),
            ("osteoid_fraction".into(), self.osteoid_fraction),
            ("eroded_area_mm2".into(), self.eroded_area_mm2),
            ("resorbed_mm2".into(), self.resorbed_mm2),
            ("formed_mm2".into(), self.formed_mm2),
            ("lesion_bone_rel".into(), self.lesion_bone_rel),
            ("osteoblast_surface".into(), self.osteoblast_surface),
        ];
        for (f, v) in FieldId::ALL.iter().zip(&self.field_means_pm) {
            // A drug's tissue level only in runs that give it.
            let given = |d: Drug| self.plasma.iter().any(|&(p, _)| p == d);
            if f.is_drug() && !crate::pharmacology::delivery::drug_of(*f).is_some_and(given) {
                continue;
            }
            cols.push((format!("{}_pm", f.name()), *v));
        }
        for (drug, v) in &self.plasma {
            cols.push((format!("plasma_{}", drug.name()), *v));
        }
        cols
    }

    /// The lesion this state shows: `none`, `osteolytic`, `osteoblastic` or `mixed`.
    pub fn lesion(&self) -> &'static str {
        classify_lesion(self.lytic_area_mm2, self.blastic_area_mm2)
    }
}

/// Lesion kind from the lytic and blastic areas: a kind needs at least 0.01 mm² (100 sites
/// of 10 µm); both above it and neither three times the other is `mixed`.
pub fn classify_lesion(lytic_mm2: f64, blastic_mm2: f64) -> &'static str {
    const MIN_MM2: f64 = 0.01;
    match (lytic_mm2 >= MIN_MM2, blastic_mm2 >= MIN_MM2) {
        (false, false) => "none",
        (true, false) => "osteolytic",
        (false, true) => "osteoblastic",
        (true, true) if lytic_mm2 > 3.0 * blastic_mm2 => "osteolytic",
        (true, true) if blastic_mm2 > 3.0 * lytic_mm2 => "osteoblastic",
        (true, true) => "mixed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lesion_kinds() {
        assert_eq!(classify_lesion(0.0, 0.0), "none");
        assert_eq!(classify_lesion(0.5, 0.0), "osteolytic");
        assert_eq!(classify_lesion(0.5, 0.1), "osteolytic");
        assert_eq!(classify_lesion(0.0, 0.5), "osteoblastic");
        assert_eq!(classify_lesion(0.3, 0.2), "mixed");
    }

    #[test]
    fn turnover_log_keeps_one_day() {
        let mut log = TurnoverLog::new(3);
        for _ in 0..5 {
            log.record_resorbed(1.0);
            log.end_tick();
        }
        assert_eq!(log.last_day().0, 2.0, "the current, fresh slot is empty");
        assert_eq!(log.resorbed_total, 5.0);
    }
}
