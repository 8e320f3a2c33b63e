//! A live view of a running simulation: what a viewer draws, written into a [`Frame`] the
//! caller owns and reuses, so drawing a frame allocates nothing once the buffers have
//! grown to the run's size.
//!
//! A frame holds the tissue of every site (with the lesion it belongs to), every cell with
//! the state an inspector shows (type, age, nuclei, STAT3, AKT, MAPK and NF-κB), and one
//! chosen field in pM. It is a copy: the simulation can step on while a render thread draws
//! the last frame. The readouts are not part of it: [`Sim::readouts`] costs more than the
//! whole frame (it sums every field), and a viewer wants numbers a few times a second, not
//! sixty.
//!
//! ```
//! use bonesim::field::FieldId;
//! use bonesim::view::Frame;
//! use bonesim::{Scenario, Sim};
//!
//! let mut scenario = Scenario::default();
//! (scenario.domain.width, scenario.domain.height) = (32, 24);
//! let sim = Sim::new(&scenario, None).unwrap();
//! let mut frame = Frame::default();
//! sim.view_into(Some(FieldId::Il6), &mut frame);
//! assert_eq!(frame.sites.len(), 32 * 24);
//! assert_eq!(frame.cells.len(), sim.cells().len());
//! assert_eq!(frame.field_pm.len(), 32 * 24);
//! ```

use crate::Sim;
use crate::cells::{CellId, CellKind};
use crate::field::FieldId;
use crate::palette::SiteLook;
use crate::readout::{LesionSite, lesion_sites};

/// One site as drawn.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SiteView {
    /// Tissue, bone mass, quality and history.
    pub look: SiteLook,
    /// The lesion the site is part of.
    pub lesion: LesionSite,
}

/// A cell's intracellular signalling, each pathway's activity 0–1.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Signalling {
    /// STAT3 (IL-6 classic and trans-signalling).
    pub stat3: f32,
    /// PI3K/AKT (survival, drug resistance).
    pub akt: f32,
    /// MAPK (proliferation).
    pub mapk: f32,
    /// NF-κB (IL-1β, LPS, PGE2).
    pub nfkb: f32,
}

/// One cell as drawn and inspected.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CellView {
    /// Identity, stable for the cell's life: a viewer keeps its selection by it.
    pub id: CellId,
    /// Type.
    pub kind: CellKind,
    /// Column of its site.
    pub x: u32,
    /// Row of its site.
    pub y: u32,
    /// Nuclei (osteoclasts fuse from several precursors).
    pub nuclei: u16,
    /// Days since the cell became what it is (born, arrived or differentiated).
    pub age_days: f32,
    /// Its signalling as it last sensed.
    pub signalling: Signalling,
}

/// What a viewer draws at one moment. Create one with `Frame::default()` and refill it with
/// [`Sim::view_into`].
#[derive(Clone, Debug, Default)]
pub struct Frame {
    /// Sites across.
    pub width: usize,
    /// Sites down.
    pub height: usize,
    /// Edge of a site, µm.
    pub site_um: f64,
    /// Ticks done.
    pub tick: u64,
    /// Simulated day.
    pub day: f64,
    /// Every site, row-major (`y * width + x`).
    pub sites: Vec<SiteView>,
    /// Every cell.
    pub cells: Vec<CellView>,
    /// The field in `field_pm`, if one was asked for.
    pub field: Option<FieldId>,
    /// Its concentration at every site, pM (empty when no field was asked for).
    pub field_pm: Vec<f32>,
    /// Its largest value, pM.
    pub field_max_pm: f32,
    /// Scratch for the lesion classification.
    lesions: Vec<LesionSite>,
}

impl Sim {
    /// Writes what a viewer draws now into `frame`, reusing its buffers, with the field
    /// `field` (or none).
    pub fn view_into(&self, field: Option<FieldId>, frame: &mut Frame) {
        let lattice = self.lattice();
        frame.width = lattice.width;
        frame.height = lattice.height;
        frame.site_um = lattice.site_um;
        frame.tick = self.tick();
        frame.day = self.day();

        lesion_sites(lattice, self.cells(), &mut frame.lesions);
        frame.sites.clear();
        frame
            .sites
            .extend((0..lattice.len()).map(|s| SiteView { look: SiteLook::of(lattice, s), lesion: frame.lesions[s] }));

        let cells = self.cells();
        let signals = self.signals();
        let tick_days = self.scenario().time.tick_hours / 24.0;
        frame.cells.clear();
        frame.cells.extend((0..cells.len()).map(|slot| {
            let (x, y) = lattice.xy(cells.site[slot] as usize);
            let s = signals.get(slot).copied().unwrap_or_default();
            CellView {
                id: cells.id[slot],
                kind: cells.kind[slot],
                x: x as u32,
                y: y as u32,
                nuclei: cells.nuclei[slot],
                age_days: (self.tick().saturating_sub(cells.since_tick[slot]) as f64 * tick_days) as f32,
                signalling: Signalling {
                    stat3: s.stat3 as f32,
                    akt: s.akt as f32,
                    mapk: s.mapk as f32,
                    nfkb: s.nfkb as f32,
                },
            }
        }));

        frame.field = field;
        frame.field_pm.clear();
        frame.field_max_pm = 0.0;
        if let Some(f) = field {
            frame.field_pm.extend(self.fields().values(f).iter().map(|v| v as f32));
            frame.field_max_pm = frame.field_pm.iter().copied().filter(|v| v.is_finite()).fold(0.0, f32::max);
        }
    }
}

impl Frame {
    /// The cell nearest the point `(x, y)` (in sites, fractional) within `radius` sites.
    pub fn cell_near(&self, x: f64, y: f64, radius: f64) -> Option<&CellView> {
        self.cells
            .iter()
            .map(|c| (c, (c.x as f64 + 0.5 - x).powi(2) + (c.y as f64 + 0.5 - y).powi(2)))
            .filter(|&(_, d2)| d2 <= radius * radius)
            .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.id.cmp(&b.0.id)))
            .map(|(c, _)| c)
    }

    /// The cell with identity `id`, if it is alive.
    pub fn cell(&self, id: CellId) -> Option<&CellView> {
        self.cells.iter().find(|c| c.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scenario;
    use crate::lattice::TissueKind;
    use crate::scenario::TumorType;

    fn small(kind: TumorType) -> Scenario {
        let mut s = Scenario::default();
        (s.domain.width, s.domain.height) = (60, 50);
        s.tumor.kind = kind;
        s.tumor.seed_cells = 30;
        s
    }

    #[test]
    fn a_frame_mirrors_the_simulation() {
        let mut sim = Sim::new(&small(TumorType::Breast), None).unwrap();
        for _ in 0..30 {
            sim.step();
        }
        let mut frame = Frame::default();
        sim.view_into(Some(FieldId::Rankl), &mut frame);
        let l = sim.lattice();
        assert_eq!((frame.width, frame.height, frame.tick), (60, 50, 30));
        assert_eq!(frame.day, 30.0 / 24.0);
        for s in 0..l.len() {
            assert_eq!(frame.sites[s].look.kind, l.kind(s));
            assert_eq!(frame.sites[s].look.bone_mass, l.bone_mass(s));
        }
        let counts = sim.cells().counts();
        for kind in CellKind::ALL {
            assert_eq!(frame.cells.iter().filter(|c| c.kind == kind).count(), counts[kind as usize]);
        }
        let tumour = frame.cells.iter().find(|c| c.kind == CellKind::Tumor).expect("tumour cells");
        let slot = sim.cells().id.iter().position(|&id| id == tumour.id).unwrap();
        assert_eq!(l.site(tumour.x as usize, tumour.y as usize), sim.cells().site[slot] as usize);
        assert_eq!(tumour.signalling.stat3, sim.signals()[slot].stat3 as f32);
        assert!(tumour.age_days > 0.0 && tumour.age_days <= frame.day as f32);
        let rankl = sim.fields().values(FieldId::Rankl);
        assert_eq!(frame.field_pm[123], rankl.get(123) as f32);
        assert_eq!(frame.field_max_pm, rankl.iter().fold(0.0_f64, f64::max) as f32);
    }

    #[test]
    fn refilling_a_frame_reuses_its_buffers() {
        let mut sim = Sim::new(&small(TumorType::None), None).unwrap();
        let mut frame = Frame::default();
        sim.view_into(Some(FieldId::Il6), &mut frame);
        let (sites, field) = (frame.sites.as_ptr(), frame.field_pm.as_ptr());
        sim.step();
        sim.view_into(Some(FieldId::Tgfb), &mut frame);
        assert_eq!((frame.sites.as_ptr(), frame.field_pm.as_ptr()), (sites, field));
        assert_eq!(frame.field, Some(FieldId::Tgfb));
        sim.view_into(None, &mut frame);
        assert!(frame.field_pm.is_empty() && frame.field_max_pm == 0.0);
    }

    #[test]
    fn lesions_in_the_frame_add_up_to_the_readouts() {
        let mut s = small(TumorType::Breast);
        s.seed = 3;
        let mut sim = Sim::new(&s, None).unwrap();
        let mut frame = Frame::default();
        // Until some bone near the tumour has gone.
        for _ in 0..40 {
            for _ in 0..24 {
                sim.step();
            }
            if sim.readouts().lytic_area_mm2 > 0.0 {
                break;
            }
        }
        sim.view_into(None, &mut frame);
        let area = sim.lattice().site_area_mm2();
        let lytic = frame.sites.iter().filter(|s| s.lesion == LesionSite::Lytic).count() as f64 * area;
        assert!(lytic > 0.0, "no lytic lesion in 40 days of breast cancer");
        assert!((lytic - sim.readouts().lytic_area_mm2).abs() < 1e-12);
        let lytic_site = frame.sites.iter().find(|s| s.lesion == LesionSite::Lytic).unwrap();
        assert_ne!(lytic_site.look.kind, TissueKind::Bone, "a lytic site has lost its bone");
    }

    #[test]
    fn the_nearest_cell_is_found_within_reach_only() {
        let sim = Sim::new(&small(TumorType::None), None).unwrap();
        let mut frame = Frame::default();
        sim.view_into(None, &mut frame);
        let c = frame.cells[frame.cells.len() / 2];
        let found = frame.cell_near(c.x as f64 + 0.6, c.y as f64 + 0.4, 0.8).unwrap();
        assert_eq!(found.id, c.id);
        assert_eq!(frame.cell(c.id), Some(&c));
        assert!(frame.cell_near(-50.0, -50.0, 2.0).is_none());
    }
}
