//! The apply phase: intents take effect one cell at a time in id order, so conflicts (two
//! cells wanting one site) go to the older cell; the tissue changes they make (resorption,
//! deposition) go through [`crate::biology::bone`].

use super::Sim;
use crate::biology::{self, Action, TissueAction};
use crate::cells::{CellKind, NewCell};
use crate::field::FieldId;
use crate::lattice::Site;
use crate::rng::{Purpose, stream};

impl Sim {
    /// Phase 7: intents take effect in id order; the dead are removed at the end.
    pub(super) fn apply(&mut self) {
        let n = self.cells.len();
        self.order.clear();
        self.order.extend(0..n as u32);
        let ids = &self.cells.id;
        self.order.sort_unstable_by_key(|&s| ids[s as usize]);
        self.dead.clear();
        self.dead.resize(n, false);
        for k in 0..n {
            let slot = self.order[k] as usize;
            if self.dead[slot] {
                continue;
            }
            let intent = self.intents[slot];
            self.apply_tissue(slot, intent.tissue);
            self.apply_action(slot, intent.action);
        }
        // Collected in an array kept from tick to tick: a tick allocates nothing here.
        let mut gone = std::mem::take(&mut self.gone);
        gone.clear();
        gone.extend((0..n).filter(|&s| self.dead[s]));
        self.remove_cells(&mut gone);
        self.gone = gone;
    }

    /// Cells born or changed this tick sense now, so that every cell's signals are its own
    /// when it next secretes.
    pub(super) fn sense_newcomers(&mut self) {
        let mut signals = std::mem::take(&mut self.signals);
        {
            let ctx = self.context();
            super::room_for(&mut signals, self.cells.len());
            for slot in 0..self.cells.len() {
                if slot >= signals.len() {
                    signals.push(biology::sense(slot, &ctx));
                } else if self.cells.since_tick[slot] == self.tick && self.tick > 0 {
                    signals[slot] = biology::sense(slot, &ctx);
                }
            }
        }
        self.signals = signals;
    }

    /// Removes the cells in `slots`, keeping each cell's signals with it.
    pub(super) fn remove_cells(&mut self, slots: &mut [usize]) {
        self.sense_newcomers();
        slots.sort_unstable_by(|a, b| b.cmp(a));
        for &mut slot in slots {
            self.cells.remove(slot);
            if slot < self.signals.len() {
                self.signals.swap_remove(slot);
            }
        }
    }

    pub(super) fn apply_action(&mut self, slot: usize, action: Action) {
        let tick = self.tick;
        match action {
            Action::Stay => {}
            Action::Move { to } => {
                let to = to.index();
                if self.lattice.is_open(to) && self.cells.is_free(to) {
                    self.cells.move_to(slot, to);
                }
            }
            Action::Advance { to } => {
                let to = to.index();
                if self.lattice.is_open(to) && self.cells.is_free(to) {
                    self.cells.move_to(slot, to);
                    self.cells.divisions_left[slot] = self.cells.divisions_left[slot].saturating_sub(1);
                }
            }
            Action::Die => {
                self.dead[slot] = true;
                if self.cells.kind[slot] == CellKind::Osteocyte {
                    self.alarm_neighbours(self.cells.site[slot] as usize);
                }
            }
            Action::Divide { to, daughter } => {
                let mut to = to.index();
                if !(self.lattice.is_open(to) && self.cells.is_free(to)) {
                    // An older cell took the chosen site earlier in this tick: the daughter
                    // goes to any other free site beside its parent, as a dividing cell
                    // pushes into whatever room it has. Were the division lost instead,
                    // crowded tissue would lose more divisions in long ticks, in which more
                    // cells divide and move at once.
                    let mut rng = stream(self.scenario.seed, tick, self.cells.id[slot].0, Purpose::Crowding);
                    to = self.free_site_beside(self.cells.site[slot] as usize, &mut rng).unwrap_or(to);
                }
                if self.lattice.is_open(to) && self.cells.is_free(to) {
                    let parent = self.cells.kind[slot];
                    let divisions_left = match parent {
                        CellKind::PreOsteoblast => {
                            self.cells.divisions_left[slot] -= 1;
                            self.cells.divisions_left[slot]
                        }
                        _ => self.params.osteoblast.preosteoblast_divisions as u8,
                    };
                    if parent == CellKind::Stroma {
                        let rest = (self.params.stroma.refractory_hours / self.dt_h).round() as u64;
                        self.cells.until_tick[slot] = tick + rest;
                    }
                    let mut cell = NewCell::new(daughter, to, tick);
                    cell.divisions_left = divisions_left;
                    self.cells.add(cell);
                }
            }
            Action::Become { kind: CellKind::Osteocyte } => self.become_osteocyte(slot),
            Action::Become { kind } => self.cells.change_kind(slot, kind, tick),
            Action::BecomeAt { kind, to } => {
                self.cells.change_kind(slot, kind, tick);
                let to = to.index();
                if !kind.takes_site() || self.cells.is_free(to) {
                    self.cells.move_to(slot, to);
                }
            }
            Action::Fuse { with } => self.fuse(slot, with),
        }
    }

    /// The pre-osteoclast in `slot` joins the lineage cell on site `with`, if it is still
    /// there: an osteoclast gains its nucleus; two pre-osteoclasts make an osteoclast.
    pub(super) fn fuse(&mut self, slot: usize, with: Site) {
        let Some(partner) = self.cells.occupant(with.index()) else {
            return;
        };
        if partner == slot || self.dead[partner] {
            return;
        }
        let max = self.params.osteoclast.max_nuclei as u16;
        let nuclei = self.cells.nuclei[slot];
        match self.cells.kind[partner] {
            CellKind::Osteoclast if self.cells.nuclei[partner] + nuclei <= max => {}
            CellKind::PreOsteoclast => {
                self.cells.change_kind(partner, CellKind::Osteoclast, self.tick);
                self.cells.divisions_left[partner] = self.params.osteoclast.pit_advances as u8;
            }
            _ => return,
        }
        self.cells.nuclei[partner] += nuclei;
        self.dead[slot] = true;
    }

    /// A dying osteocyte makes the osteocytes around it raise RANKL for a while.
    pub(super) fn alarm_neighbours(&mut self, site: usize) {
        let p = &self.params.osteocyte;
        let radius = (p.alarm_radius_um / self.lattice.site_um).round() as i64;
        let until = self.tick + (p.alarm_days * self.ticks_per_day()).round() as u64;
        for (dx, dy, s) in self.lattice.window(site, radius) {
            if dx * dx + dy * dy > radius * radius {
                continue;
            }
            if let Some(other) = self.cells.occupant(s)
                && self.cells.kind[other] == CellKind::Osteocyte
                && !self.dead[other]
            {
                self.cells.until_tick[other] = self.cells.until_tick[other].max(until);
            }
        }
    }

    pub(super) fn apply_tissue(&mut self, slot: usize, action: TissueAction) {
        match action {
            TissueAction::None => {}
            TissueAction::Resorb { site, amount } => self.resorb(slot, site.index(), amount),
            TissueAction::Deposit { amount, woven } => {
                let site = self.cells.site[slot] as usize;
                if self.deposit(site, amount, woven) {
                    let ctx = self.context();
                    if biology::osteoblast::embeds(slot, &ctx) {
                        self.become_osteocyte(slot);
                    }
                }
            }
        }
    }

    /// An osteoclast resorbs `amount` of matrix, starting at `site`. Work left over when a site
    /// clears goes on to the next site in its reach within the same tick, so that how fast
    /// it resorbs does not depend on the tick length (with one site per tick, a long tick
    /// wastes the work past each cleared site).
    pub(super) fn resorb(&mut self, slot: usize, site: usize, amount: f32) {
        // A 20-nucleus osteoclast at full support does 10 sites' work a day, enough to clear
        // about 20 (each clears halfway): the longest tick, a day, stays well inside this.
        const MOST_SITES_PER_TICK: usize = 64;
        let (mut site, mut left) = (site, amount);
        for _ in 0..MOST_SITES_PER_TICK {
            let Some(work) = self.resorb_site(slot, site, left) else { return };
            left -= work;
            if left <= 0.0 {
                return;
            }
            let at = self.cells.site[slot] as usize;
            let Some(next) = biology::osteoclast::resorption_target(at, &self.context()) else { return };
            site = next;
        }
    }

    /// An osteoclast removes matrix from `site`, freeing the TGF-β and BMPs stored in it at
    /// the osteoclast; an osteocyte inside a site that is cleared dies with it. Returns the
    /// work it took (`None` if the site was not solid).
    fn resorb_site(&mut self, slot: usize, site: usize, amount: f32) -> Option<f32> {
        // What a drug bound to this matrix is set free in the lacuna (taken up by the
        // osteoclast, which decided knowing it).
        if self.lattice.is_solid(site) {
            let share = biology::bone::resorbed_share(&self.lattice, site, amount);
            crate::pharmacology::bisphosphonate::release(self.pharmacology.targets_mut(), site, share);
        }
        let resorbed = biology::bone::resorb(&mut self.lattice, site, amount)?;
        if resorbed.cleared
            && let Some(osteocyte) = self.cells.occupant(site)
            && self.cells.kind[osteocyte] == CellKind::Osteocyte
        {
            self.dead[osteocyte] = true;
        }
        self.turnover.record_resorbed(resorbed.mineral);
        let at = self.cells.site[slot];
        let bone = &self.params.bone;
        self.released.push((FieldId::Tgfb, at, resorbed.mineral * bone.tgfb_molecules_per_site));
        self.released.push((FieldId::Osteoblastic, at, resorbed.mineral * bone.bmp_molecules_per_site));
        Some(resorbed.work)
    }

    /// An osteoblast lays down osteoid on its own site, which starts mineralising. Returns
    /// whether this deposit filled the site.
    pub(super) fn deposit(&mut self, site: usize, amount: f32, woven: bool) -> bool {
        let Some(formed) = biology::bone::deposit(&mut self.lattice, site, amount, woven) else { return false };
        self.turnover.record_formed(formed.matrix);
        if !self.is_mineralising[site] {
            self.is_mineralising[site] = true;
            self.mineralising.push(site as u32);
        }
        formed.filled
    }

    /// The cell in `slot` becomes an osteocyte where it is, presenting RANKL at its outlet.
    pub(super) fn become_osteocyte(&mut self, slot: usize) {
        self.cells.change_kind(slot, CellKind::Osteocyte, self.tick);
        let reach = (self.params.osteocyte.dendrite_reach_um / self.lattice.site_um).round() as usize;
        let site = self.cells.site[slot] as usize;
        self.cells.outlet[slot] = biology::osteocyte::outlet(site, reach, &self.lattice) as u32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    /// Matrix removed, in sites, by one osteoclast of 5 nuclei at full activity given a day's
    /// work in ticks of `tick_h` hours, from the bone-surface site with most bone in reach.
    fn resorbed_in_a_day(tick_h: f64) -> f64 {
        let path = format!("{}/../../scenarios/homeostasis.toml", env!("CARGO_MANIFEST_DIR"));
        let mut s: Scenario = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        (s.domain.width, s.domain.height) = (80, 80);
        let mut sim = Sim::new(&s, None).unwrap();
        let l = &sim.lattice;
        let bone_in_reach = |site: usize| l.window(site, 2).filter(|&(_, _, n)| l.is_solid(n)).count();
        let site = (0..l.len())
            .filter(|&s| l.is_open(s) && l.is_surface(s) && sim.cells.is_free(s))
            .max_by_key(|&s| (bone_in_reach(s), std::cmp::Reverse(s)))
            .unwrap();
        assert!(bone_in_reach(site) >= 8, "enough bone in reach for a day's work");
        sim.cells.add(NewCell { nuclei: 5, ..NewCell::new(CellKind::Osteoclast, site, sim.tick) });
        let slot = sim.cells.len() - 1;
        let matrix = |sim: &Sim| sim.lattice.matrix.iter().map(|&m| m as f64).sum::<f64>();
        let before = matrix(&sim);
        // Half a site of work per nucleus-day (fixed here, whatever the parameter's value).
        let work = (5.0 * 0.5 * tick_h / 24.0) as f32;
        for _ in 0..(24.0 / tick_h).round() as usize {
            let Some(target) = biology::osteoclast::resorption_target(site, &sim.context()) else { break };
            sim.resorb(slot, target, work);
        }
        before - matrix(&sim)
    }

    #[test]
    fn an_osteoclast_resorbs_as_much_in_long_ticks_as_in_short_ones() {
        // 2.5 sites of work a day clears about 5 sites (a site clears once below half full).
        // Were the work left over after a site clears lost, 4-hour ticks (0.42 sites of work
        // each, two per site) would clear 3 sites where 1-hour ticks clear nearly 5.
        let (one, four) = (resorbed_in_a_day(1.0), resorbed_in_a_day(4.0));
        assert!(one > 4.0, "a day's work clears about 5 sites: {one:.2}");
        assert!((one - four).abs() < 1.0, "1-hour ticks {one:.2} sites, 4-hour ticks {four:.2}");
    }
}
