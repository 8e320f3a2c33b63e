//! The cells present at the start of a run.

use super::Sim;
use crate::biology;
use crate::cells::{CellKind, NewCell};
use crate::rng::{Purpose, stream};
use rand::Rng;

impl Sim {
    /// Cells present at the start: osteocytes in bone, stroma in marrow, and the precursors
    /// that arrivals and lifespan would keep in circulation.
    pub(super) fn place_initial_cells(&mut self) {
        let p = &self.params;
        let seed = self.scenario.seed;
        let marrow_sites = (0..self.lattice.len()).filter(|&s| self.lattice.is_open(s)).count().max(1);
        let precursor_density = p.osteoclast.precursor_arrival_per_vessel_day
            * p.osteoclast.precursor_lifespan_days
            * self.vessels.len() as f64
            / marrow_sites as f64;
        let marrow = [
            (CellKind::Stroma, p.stroma.density),
            (CellKind::Precursor, precursor_density),
            (CellKind::Macrophage, p.immune.macrophage_density),
            (CellKind::TCell, p.immune.t_cell_density),
        ];
        for site in 0..self.lattice.len() {
            let mut rng = stream(seed, 0, site as u64, Purpose::Placement);
            let draw: f64 = rng.random();
            let kind = if self.lattice.is_solid(site) {
                (draw < p.osteocyte.density).then_some(CellKind::Osteocyte)
            } else if self.lattice.is_open(site) {
                // Each marrow kind takes the next slice of [0, 1) as wide as its density.
                let mut upper = 0.0;
                marrow
                    .iter()
                    .find(|&&(_, density)| {
                        upper += density;
                        draw < upper
                    })
                    .map(|&(kind, _)| kind)
            } else {
                None
            };
            if let Some(kind) = kind {
                self.cells.add(NewCell::new(kind, site, 0));
            }
        }
    }

    /// Sets the outlet of every osteocyte (`all`) or of those that have none yet.
    pub(super) fn find_outlets(&mut self, all: bool) {
        let reach = (self.params.osteocyte.dendrite_reach_um / self.lattice.site_um).round() as usize;
        for slot in 0..self.cells.len() {
            if self.cells.kind[slot] == CellKind::Osteocyte && (all || self.cells.outlet[slot] == self.cells.site[slot])
            {
                let site = self.cells.site[slot] as usize;
                self.cells.outlet[slot] = biology::osteocyte::outlet(site, reach, &self.lattice) as u32;
            }
        }
    }
}
