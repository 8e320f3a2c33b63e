//! Cell agents: kinds, stable ids, and the dense store with its occupancy index.
//!
//! Cells live in parallel arrays (structure of arrays) indexed by a dense slot; a slot
//! changes when another cell is removed, an id never does. Ids are handed out from a counter
//! and never reused, so an old id cannot alias a new cell. An occupancy index gives the cell
//! on a site in O(1). Lining cells are thin cells flattened on the bone surface: they do not
//! take a site, so they are kept out of the occupancy index.

use serde::{Deserialize, Serialize};

/// A cell's identity, stable for its whole life and never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CellId(pub u64);

/// Cell types of the bone microenvironment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CellKind {
    /// Marrow stromal cell / mesenchymal progenitor (MSC): the source of osteoblasts.
    Stroma,
    /// Committed pre-osteoblast: proliferating, migrating to the eroded surface.
    PreOsteoblast,
    /// Matrix-depositing osteoblast on a bone surface.
    Osteoblast,
    /// Quiescent lining cell flattened on a bone surface.
    LiningCell,
    /// Osteocyte embedded in bone.
    Osteocyte,
    /// Monocyte/macrophage osteoclast precursor (RANK⁺ c-Fms⁺), from the blood.
    Precursor,
    /// Committed mononuclear pre-osteoclast, waiting to fuse.
    PreOsteoclast,
    /// Multinucleated osteoclast resorbing bone.
    Osteoclast,
    /// Marrow macrophage: IL-1β, IL-6 and PGE2 when NF-κB is on.
    Macrophage,
    /// CD4⁺ T cell: IL-17 when IL-6 and TGF-β make it a Th17 cell.
    TCell,
    /// Tumour cell, with the phenotype of the scenario's cancer type.
    Tumor,
}

impl CellKind {
    /// Every kind.
    pub const ALL: [CellKind; 11] = [
        CellKind::Stroma,
        CellKind::PreOsteoblast,
        CellKind::Osteoblast,
        CellKind::LiningCell,
        CellKind::Osteocyte,
        CellKind::Precursor,
        CellKind::PreOsteoclast,
        CellKind::Osteoclast,
        CellKind::Macrophage,
        CellKind::TCell,
        CellKind::Tumor,
    ];

    /// Name used in outputs.
    pub fn name(self) -> &'static str {
        match self {
            CellKind::Stroma => "stroma",
            CellKind::PreOsteoblast => "preosteoblasts",
            CellKind::Osteoblast => "osteoblasts",
            CellKind::LiningCell => "lining_cells",
            CellKind::Osteocyte => "osteocytes",
            CellKind::Precursor => "precursors",
            CellKind::PreOsteoclast => "preosteoclasts",
            CellKind::Osteoclast => "osteoclasts",
            CellKind::Macrophage => "macrophages",
            CellKind::TCell => "t_cells",
            CellKind::Tumor => "tumor_cells",
        }
    }

    /// Whether the cell takes a site of its own in the occupancy index.
    pub fn takes_site(self) -> bool {
        self != CellKind::LiningCell
    }
}

/// Marks a free site in the occupancy index.
const FREE: u32 = u32::MAX;

/// All cells, as parallel arrays indexed by slot.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct CellStore {
    /// Identity of each cell.
    pub id: Vec<CellId>,
    /// Kind of each cell.
    pub kind: Vec<CellKind>,
    /// Site of each cell.
    pub site: Vec<u32>,
    /// Tick the cell entered its current kind.
    pub since_tick: Vec<u64>,
    /// Nuclei (osteoclasts; 1 for other cells).
    pub nuclei: Vec<u16>,
    /// Divisions left before the cell stops proliferating (pre-osteoblasts), or advances
    /// left into its pit (osteoclasts).
    pub divisions_left: Vec<u8>,
    /// Tick until which the cell is in a special state (osteocyte RANKL alarm; stromal
    /// division refractory period; a tumour cell from the circulation extravasating).
    pub until_tick: Vec<u64>,
    /// A site the cell acts on besides its own (an osteocyte's outlet on the bone surface,
    /// where its dendrites present RANKL); its own site if none.
    pub outlet: Vec<u32>,
    next_id: u64,
    /// Slot of the cell on each site, or FREE.
    occupant: Vec<u32>,
}

/// A new cell's state.
#[derive(Clone, Copy, Debug)]
pub struct NewCell {
    /// Kind.
    pub kind: CellKind,
    /// Site.
    pub site: usize,
    /// Tick it is born or changes kind.
    pub tick: u64,
    /// Nuclei.
    pub nuclei: u16,
    /// Divisions left.
    pub divisions_left: u8,
}

impl NewCell {
    /// A mononuclear cell of `kind` at `site`.
    pub fn new(kind: CellKind, site: usize, tick: u64) -> Self {
        NewCell { kind, site, tick, nuclei: 1, divisions_left: 0 }
    }
}

impl CellStore {
    /// An empty store for a lattice of `sites` sites.
    pub fn new(sites: usize) -> Self {
        CellStore { occupant: vec![FREE; sites], ..Default::default() }
    }

    /// Number of cells.
    pub fn len(&self) -> usize {
        self.id.len()
    }

    /// Whether there are no cells.
    pub fn is_empty(&self) -> bool {
        self.id.is_empty()
    }

    /// The slot of the cell occupying `site`.
    #[inline]
    pub fn occupant(&self, site: usize) -> Option<usize> {
        let s = self.occupant[site];
        (s != FREE).then_some(s as usize)
    }

    /// Asks for `site`'s occupant to be brought into cache (see [`crate::prefetch`]).
    #[inline]
    pub(crate) fn prefetch_occupant(&self, site: usize) {
        crate::prefetch::prefetch(&self.occupant[site]);
    }

    /// Whether `site` holds no site-taking cell.
    #[inline]
    pub fn is_free(&self, site: usize) -> bool {
        self.occupant[site] == FREE
    }

    /// Adds a cell; its site must be free if it takes one. Returns its id.
    pub fn add(&mut self, cell: NewCell) -> CellId {
        let slot = self.id.len() as u32;
        if cell.kind.takes_site() {
            debug_assert!(self.is_free(cell.site), "site {} is taken", cell.site);
            self.occupant[cell.site] = slot;
        }
        let id = CellId(self.next_id);
        self.next_id += 1;
        self.id.push(id);
        self.kind.push(cell.kind);
        self.site.push(cell.site as u32);
        self.since_tick.push(cell.tick);
        self.nuclei.push(cell.nuclei);
        self.divisions_left.push(cell.divisions_left);
        self.until_tick.push(0);
        self.outlet.push(cell.site as u32);
        id
    }

    /// Removes the cell in `slot`; the last cell moves into the slot.
    pub fn remove(&mut self, slot: usize) {
        if self.kind[slot].takes_site() {
            self.occupant[self.site[slot] as usize] = FREE;
        }
        let last = self.id.len() - 1;
        if slot != last && self.kind[last].takes_site() {
            self.occupant[self.site[last] as usize] = slot as u32;
        }
        self.id.swap_remove(slot);
        self.kind.swap_remove(slot);
        self.site.swap_remove(slot);
        self.since_tick.swap_remove(slot);
        self.nuclei.swap_remove(slot);
        self.divisions_left.swap_remove(slot);
        self.until_tick.swap_remove(slot);
        self.outlet.swap_remove(slot);
    }

    /// Moves the cell in `slot` to the free site `to`.
    pub fn move_to(&mut self, slot: usize, to: usize) {
        if self.kind[slot].takes_site() {
            debug_assert!(self.is_free(to), "site {to} is taken");
            self.occupant[self.site[slot] as usize] = FREE;
            self.occupant[to] = slot as u32;
        }
        self.site[slot] = to as u32;
    }

    /// Changes the kind of the cell in `slot` (differentiation), at `tick`.
    pub fn change_kind(&mut self, slot: usize, kind: CellKind, tick: u64) {
        let (was, site) = (self.kind[slot].takes_site(), self.site[slot] as usize);
        match (was, kind.takes_site()) {
            (true, false) => self.occupant[site] = FREE,
            (false, true) => {
                debug_assert!(self.is_free(site));
                self.occupant[site] = slot as u32;
            }
            _ => {}
        }
        self.kind[slot] = kind;
        self.since_tick[slot] = tick;
    }

    /// The slot of the cell with `id`, by binary search (slots are not ordered by id, so
    /// this scans; used only outside hot loops).
    pub fn slot_of(&self, id: CellId) -> Option<usize> {
        self.id.iter().position(|&i| i == id)
    }

    /// Number of cells of each kind, in [`CellKind::ALL`] order.
    pub fn counts(&self) -> [usize; CellKind::ALL.len()] {
        let mut counts = [0; CellKind::ALL.len()];
        for &k in &self.kind {
            counts[k as usize] += 1;
        }
        counts
    }

    /// Number of cells of `kind`.
    pub fn count(&self, kind: CellKind) -> usize {
        self.counts()[kind as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removal_keeps_the_occupancy_index_right() {
        let mut cells = CellStore::new(10);
        let a = cells.add(NewCell::new(CellKind::Stroma, 1, 0));
        let b = cells.add(NewCell::new(CellKind::Osteoblast, 2, 0));
        let c = cells.add(NewCell::new(CellKind::Precursor, 3, 0));
        cells.remove(0);
        assert!(cells.is_free(1));
        assert_eq!(cells.id[cells.occupant(3).unwrap()], c);
        assert_eq!(cells.id[cells.occupant(2).unwrap()], b);
        cells.move_to(cells.occupant(3).unwrap(), 7);
        assert!(cells.is_free(3));
        assert_eq!(cells.id[cells.occupant(7).unwrap()], c);
        let d = cells.add(NewCell::new(CellKind::Stroma, 1, 0));
        assert!(d > c && a < b, "ids are never reused");
    }

    #[test]
    fn lining_cells_do_not_take_sites() {
        let mut cells = CellStore::new(4);
        cells.add(NewCell::new(CellKind::Osteoblast, 0, 0));
        cells.change_kind(0, CellKind::LiningCell, 5);
        assert!(cells.is_free(0));
        cells.add(NewCell::new(CellKind::Precursor, 0, 5));
        assert_eq!(cells.count(CellKind::LiningCell), 1);
    }
}
