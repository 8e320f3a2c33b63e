//! The biology: one module per cell lineage and one for the bone matrix.
//!
//! Each tick a cell first *senses* its site (fields → receptor signals, [`Signals`]), then
//! *decides* what to do ([`Intent`]), reading the tissue, the fields and its neighbours but
//! writing nothing. Intents are applied afterwards, one cell at a time in id order, by the
//! simulation ([`crate::sim`]). Every rule is a small named function whose parameters live in
//! its lineage's parameter group.

pub mod bone;
pub mod immune;
pub mod osteoblast;
pub mod osteoclast;
pub mod osteocyte;
pub mod signalling;
pub mod stroma;
pub mod targets;
pub mod tumor;

use crate::cells::{CellKind, CellStore};
use crate::field::{FieldId, Fields};
use crate::lattice::{Lattice, Site};
use crate::params::ModelParams;
use crate::rng::{Purpose, Stream, stream};
use rand::Rng;
use rand_distr::Distribution;
pub use signalling::{Host, Signals, occupancy};
pub use tumor::TumorPhenotype;

/// Most steps a cell takes in one tick.
pub const MAX_STEPS_PER_TICK: u32 = 16;

/// What a cell will do this tick.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Intent {
    /// What happens to the cell.
    pub action: Action,
    /// What the cell does to the bone matrix.
    pub tissue: TissueAction,
}

impl Intent {
    /// Does nothing.
    pub const STAY: Intent = Intent { action: Action::Stay, tissue: TissueAction::None };

    /// Only `action`.
    pub fn act(action: Action) -> Self {
        Intent { action, tissue: TissueAction::None }
    }
}

/// Lifecycle and motion.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Action {
    /// Nothing changes.
    #[default]
    Stay,
    /// Move to a neighbouring site (if it is still free when the move is applied).
    Move {
        /// Target site.
        to: Site,
    },
    /// An osteoclast advances into its own pit (if the site is still free), using up one of
    /// its advances.
    Advance {
        /// Target site.
        to: Site,
    },
    /// Apoptosis (or, for osteoclast lineage cells, loss of support).
    Die,
    /// Divide: a daughter of `daughter` kind goes to site `to` (if still free).
    Divide {
        /// Site of the daughter.
        to: Site,
        /// Kind of the daughter.
        daughter: CellKind,
    },
    /// Differentiate into another kind on the same site.
    Become {
        /// The new kind.
        kind: CellKind,
    },
    /// Differentiate and move at once (an osteoblast leaving a filled site as a lining cell).
    BecomeAt {
        /// The new kind.
        kind: CellKind,
        /// The new site (if still free).
        to: Site,
    },
    /// Fuse into the osteoclast lineage cell on site `with`.
    Fuse {
        /// Site of the cell to fuse with.
        with: Site,
    },
}

/// What a cell does to the matrix this tick.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum TissueAction {
    /// Nothing.
    #[default]
    None,
    /// Remove `amount` of matrix (site units) from site `site` (an osteoclast).
    Resorb {
        /// The site resorbed.
        site: Site,
        /// Matrix removed, 0–1.
        amount: f32,
    },
    /// Lay down `amount` of matrix (osteoid) on the cell's own site (an osteoblast).
    Deposit {
        /// Matrix added, 0–1.
        amount: f32,
        /// Woven (disorganised) rather than lamellar.
        woven: bool,
    },
}

/// Everything a cell may read while it decides.
pub struct Context<'a> {
    /// The tissue.
    pub lattice: &'a Lattice,
    /// The fields.
    pub fields: &'a Fields,
    /// All cells (for neighbours).
    pub cells: &'a CellStore,
    /// Parameters.
    pub params: &'a ModelParams,
    /// The host's hormones and systemic exposures.
    pub host: &'a Host,
    /// What drugs do at their targets.
    pub targets: &'a targets::Targets,
    /// The tumour's phenotype, if the scenario has a tumour.
    pub tumor: Option<&'a TumorPhenotype>,
    /// Host cells make no IL-6 (an IL-6 knockout host).
    pub il6_knockout: bool,
    /// The current tick.
    pub tick: u64,
    /// Length of a tick, hours.
    pub dt_h: f64,
    /// Seed of the run.
    pub seed: u64,
}

impl Context<'_> {
    /// The decision stream of the cell in `slot`.
    pub fn rng(&self, slot: usize, purpose: Purpose) -> Stream {
        stream(self.seed, self.tick, self.cells.id[slot].0, purpose)
    }

    /// Ticks per day.
    pub fn ticks_per_day(&self) -> f64 {
        24.0 / self.dt_h
    }

    /// Probability that an event of rate `per_day` happens within this tick.
    pub fn chance(&self, per_day: f64) -> f64 {
        1.0 - (-per_day.max(0.0) * self.dt_h / 24.0).exp()
    }

    /// A uniform draw on [0, 1) fixed for the life of the cell in `slot`: a trait by which
    /// cells of one kind differ (e.g. how strongly they answer a signal).
    pub fn trait_draw(&self, slot: usize) -> f64 {
        stream(self.seed, u64::MAX, self.cells.id[slot].0, Purpose::Trait).random()
    }

    /// Age in days of the cell in `slot` in its current kind.
    pub fn days_in_kind(&self, slot: usize) -> f64 {
        (self.tick - self.cells.since_tick[slot]) as f64 * self.dt_h / 24.0
    }

    /// How many steps (to a neighbouring site) a cell moving at `per_h` steps an hour takes
    /// this tick: Poisson with mean `per_h × dt_h`, so that movement does not depend on the
    /// tick's length (at most [`MAX_STEPS_PER_TICK`]).
    pub fn steps(&self, per_h: f64, rng: &mut Stream) -> u32 {
        let mean = per_h * self.dt_h;
        if mean <= 0.0 {
            return 0;
        }
        let n: f64 = rand_distr::Poisson::new(mean).map_or(0.0, |p| p.sample(rng));
        (n as u32).min(MAX_STEPS_PER_TICK)
    }

    /// Walks up to `steps` steps from `site`, each to the site `next` picks from where the
    /// cell is (sites free as the tick began); returns where the walk ends if it left `site`.
    pub fn walk(&self, site: usize, steps: u32, mut next: impl FnMut(usize) -> Option<usize>) -> Option<usize> {
        let mut at = site;
        for _ in 0..steps {
            match next(at) {
                Some(n) => at = n,
                None => break,
            }
        }
        (at != site).then_some(at)
    }

    /// A free open neighbour of `site` picked at random, or `None`.
    pub fn free_neighbour(&self, site: usize, rng: &mut Stream, accept: impl Fn(usize) -> bool) -> Option<usize> {
        let mut options = [0usize; 4];
        let mut n = 0;
        for s in self.lattice.neighbours(site) {
            if self.lattice.is_open(s) && self.cells.is_free(s) && accept(s) {
                options[n] = s;
                n += 1;
            }
        }
        (n > 0).then(|| options[rng.random_range(0..n)])
    }

    /// The free open neighbour where `value` is highest, if it beats the current site;
    /// otherwise `None`. Ties are broken by site order, so the choice is deterministic.
    pub fn uphill_neighbour(
        &self,
        site: usize,
        value: impl Fn(usize) -> f64,
        accept: impl Fn(usize) -> bool,
    ) -> Option<usize> {
        let here = value(site);
        let mut best: Option<(f64, usize)> = None;
        for s in self.lattice.neighbours(site) {
            if self.lattice.is_open(s) && self.cells.is_free(s) && accept(s) {
                let v = value(s);
                if v > here && best.is_none_or(|(b, _)| v > b) {
                    best = Some((v, s));
                }
            }
        }
        best.map(|(_, s)| s)
    }
}

/// The site whose fields the cell in `slot` reads. An osteocyte reads the marrow where its
/// dendrites reach the bone surface, where it also presents its RANKL: inside bone there is
/// nothing to sense.
pub fn sensing_site(slot: usize, ctx: &Context) -> usize {
    let cells = ctx.cells;
    (if cells.kind[slot] == CellKind::Osteocyte { cells.outlet[slot] } else { cells.site[slot] }) as usize
}

/// Asks for what the cell in `slot` reads when it decides to be brought into cache (see
/// [`crate::prefetch`]): around its site, the tissue, who sits there, and the fields that
/// guide the moving lineages. Changes nothing.
pub(crate) fn prefetch_decision(slot: usize, ctx: &Context) {
    use crate::prefetch::prefetch;
    let (l, site) = (ctx.lattice, ctx.cells.site[slot] as usize);
    let (rankl, opg) = (ctx.fields.values(FieldId::Rankl), ctx.fields.values(FieldId::Opg));
    for row in [site.saturating_sub(l.width), site, site + l.width] {
        if row < l.len() {
            prefetch(&l.matrix[row]);
            prefetch(&l.eroded[row]);
            prefetch(&l.vessel[row]);
            ctx.cells.prefetch_occupant(row);
            rankl.prefetch(row);
            opg.prefetch(row);
        }
    }
}

/// What the cell in `slot` senses this tick.
pub fn sense(slot: usize, ctx: &Context) -> Signals {
    let kind = ctx.cells.kind[slot];
    let tumor_il6r = ctx.tumor.map_or(0.0, |t| t.il6r);
    let il6r = signalling::membrane_il6r(kind, ctx.params, tumor_il6r);
    let site = sensing_site(slot, ctx);
    let adhesion = ctx.tumor.map_or(0.0, |t| t.stroma_contact_nfkb);
    let touched = adhesion > 0.0
        && matches!(kind, CellKind::Stroma | CellKind::PreOsteoblast | CellKind::Osteoblast)
        && ctx
            .lattice
            .neighbours8(site)
            .any(|n| ctx.cells.occupant(n).is_some_and(|o| ctx.cells.kind[o] == CellKind::Tumor));
    let contact_nfkb = if touched { adhesion } else { 0.0 };
    let targets = ctx.targets.at(ctx.fields, site);
    signalling::sense(kind, il6r, site, contact_nfkb, ctx.fields, ctx.params, ctx.host, &targets)
}

/// Secretion rate in pM/s at a site of `site_um` for `molecules_per_h` molecules per hour.
#[inline]
pub fn molecules_per_h_to_pm_s(molecules_per_h: f64, site_um: f64) -> f64 {
    const AVOGADRO: f64 = 6.022e23;
    molecules_per_h / 3600.0 / AVOGADRO / crate::field::site_litres(site_um) * 1e12
}

/// Where a secreting cell puts what it makes: `emit(field, site, molecules per hour)`.
pub type Emit<'e> = dyn FnMut(FieldId, usize, f64) + 'e;

/// What the cell in `slot` secretes this tick.
pub fn secrete(slot: usize, s: &Signals, ctx: &Context, emit: &mut Emit) {
    match ctx.cells.kind[slot] {
        CellKind::Stroma => stroma::secrete(slot, s, ctx, emit),
        CellKind::Osteoblast => osteoblast::secrete(slot, s, ctx, emit),
        CellKind::Osteocyte => osteocyte::secrete(slot, s, ctx, emit),
        CellKind::Macrophage => immune::secrete_macrophage(slot, s, ctx, emit),
        CellKind::TCell => immune::secrete_t_cell(slot, s, ctx, emit),
        CellKind::Tumor => tumor::secrete(slot, s, ctx, emit),
        CellKind::PreOsteoblast
        | CellKind::LiningCell
        | CellKind::Precursor
        | CellKind::PreOsteoclast
        | CellKind::Osteoclast => {}
    }
}

/// The decision of the cell in `slot`.
pub fn decide(slot: usize, signals: &Signals, ctx: &Context) -> Intent {
    match ctx.cells.kind[slot] {
        CellKind::Stroma => stroma::decide(slot, signals, ctx),
        CellKind::PreOsteoblast => osteoblast::decide_pre(slot, signals, ctx),
        CellKind::Osteoblast => osteoblast::decide(slot, signals, ctx),
        CellKind::LiningCell => osteoblast::decide_lining(slot, ctx),
        CellKind::Osteocyte => osteocyte::decide(slot, ctx),
        CellKind::Precursor => osteoclast::decide_precursor(slot, signals, ctx),
        CellKind::PreOsteoclast => osteoclast::decide_pre(slot, signals, ctx),
        CellKind::Osteoclast => osteoclast::decide(slot, signals, ctx),
        // Resident immune cells stay where they are.
        CellKind::Macrophage | CellKind::TCell => Intent::STAY,
        CellKind::Tumor => tumor::decide(slot, signals, ctx),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_molecule_per_second_in_a_picolitre_is_1_66_pm_per_second() {
        let r = molecules_per_h_to_pm_s(3600.0, 10.0);
        assert!((r - 1.6605).abs() < 1e-3, "{r}");
    }

    #[test]
    fn occupancy_is_half_at_the_half_constant() {
        assert!((occupancy(5.0, 5.0) - 0.5).abs() < 1e-12);
        assert_eq!(occupancy(-1.0, 5.0), 0.0);
    }
}
