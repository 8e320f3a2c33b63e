//! Scheduled and stochastic events of a tick's first phase (`arrive`): parameter changes,
//! monocyte precursors entering from vessels, the scenario's events (precursor bursts,
//! microdamage, the tumour's arrival) and the systemic exposures of inflammatory challenges.

use super::Sim;
use crate::biology::signalling::{self, Exposure};
use crate::cells::{CellKind, NewCell};
use crate::intervention;
use crate::rng::{Purpose, stream};
use crate::scenario::{InflammatoryAgent, TumorPlacement};
use rand::Rng;
use rand_distr::Distribution;

impl Sim {
    /// Phase 2: parameter changes due now; precursors from vessels, and the scenario's
    /// events (none while the host spins up before day 0).
    pub(super) fn arrive(&mut self) {
        self.change_parameters();
        // Arrivals at a vessel are a Poisson process: a tick gets however many its length
        // holds, so the inflow does not depend on the tick length.
        let rate = self.params.osteoclast.precursor_arrival_per_vessel_day;
        // (`Poisson` refuses a mean of 0: no arrivals then.)
        if let Ok(arrivals) = rand_distr::Poisson::new(rate * self.dt_h / 24.0) {
            let seed = self.scenario.seed;
            for i in 0..self.vessels.len() {
                let vessel = self.vessels[i] as usize;
                let mut rng = stream(seed, self.tick, vessel as u64, Purpose::Arrival);
                let n = arrivals.sample(&mut rng) as usize;
                for _ in 0..n {
                    let Some(site) = self.free_site_beside(vessel, &mut rng) else { break };
                    self.cells.add(NewCell::new(CellKind::Precursor, site, self.tick));
                }
            }
        }
        self.arrive_events();
    }

    /// The scenario's events of this tick (none while the host spins up before day 0).
    fn arrive_events(&mut self) {
        if self.spinning_up {
            return;
        }
        let bursts: Vec<_> = self.scenario.precursor_burst.iter().filter(|b| self.is_due(b.day)).cloned().collect();
        for burst in bursts {
            self.place_burst(&burst);
        }
        let damage: Vec<_> = self.scenario.microdamage.iter().filter(|m| self.is_due(m.day)).cloned().collect();
        for m in damage {
            self.damage(&m);
        }
        if self.phenotype.is_some() && self.is_due(self.scenario.tumor.seed_day) {
            self.seed_tumor();
        }
        self.set_exposure(self.exposure_now());
    }

    /// `[[parameter_change]]` entries due this tick take effect, with what the simulation
    /// derives from the parameters (the tumour's phenotype, the vessels' exchange).
    fn change_parameters(&mut self) {
        if self.scenario.parameter_change.is_empty() {
            return;
        }
        let mut params = std::mem::take(&mut self.params);
        let changed = intervention::apply_due(&self.scenario.parameter_change, |day| self.is_due(day), &mut params);
        self.params = params;
        if !changed {
            return;
        }
        self.phenotype = self.params.phenotype(self.scenario.tumor.kind);
        let exchange = self.params.serum.vessel_exchange_per_h / 3600.0;
        self.fields.set_vessels(&self.vessels, exchange);
    }

    /// Whether an event scheduled on `day` happens this tick.
    pub(super) fn is_due(&self, day: f64) -> bool {
        (day * self.ticks_per_day()).round() as u64 + self.origin == self.tick
    }

    /// A free open site beside `site`, picked at random: where a cell from the blood enters
    /// beside a vessel, or where a daughter goes.
    pub(super) fn free_site_beside(&self, site: usize, rng: &mut crate::rng::Stream) -> Option<usize> {
        let (mut free, mut n) = ([0usize; 4], 0);
        for s in self.lattice.neighbours(site) {
            if self.lattice.is_open(s) && self.cells.is_free(s) {
                free[n] = s;
                n += 1;
            }
        }
        (n > 0).then(|| free[rng.random_range(0..n)])
    }

    /// Sets the systemic exposures, and the rest of the body's IL-6 answer to them.
    pub(super) fn set_exposure(&mut self, exposure: Exposure) {
        self.host.exposure = exposure;
        self.body_il6_fold = signalling::body_il6_fold(&self.host, &self.params, self.scenario.patient.il6_knockout);
    }

    /// Places the scenario's tumour cells: as an intratibial injection, a cluster in the
    /// marrow nearest the domain's centre; or arriving from the circulation at random
    /// vessels, from where they home up CXCL12.
    pub(super) fn seed_tumor(&mut self) {
        let t = self.scenario.tumor.clone();
        match t.placement {
            TumorPlacement::Injection => {
                let (cx, cy) = (self.lattice.width as f64 / 2.0, self.lattice.height as f64 / 2.0);
                let l = &self.lattice;
                let mut free = l.nearest_first(cx, cy, |s| l.is_open(s) && self.cells.is_free(s));
                // The bolus spreads the cells through the marrow around the needle: they
                // take a random share of the free sites nearest the centre.
                let n = t.seed_cells as usize;
                let spread = self.params.cancer.injection_sites_per_cell.max(1.0);
                let bolus = ((n as f64 * spread).ceil() as usize).min(free.len());
                let mut rng = stream(self.scenario.seed, self.tick, 0, Purpose::Arrival);
                for i in 0..n.min(bolus) {
                    let j = rng.random_range(i..bolus);
                    free.swap(i, j);
                    self.cells.add(NewCell::new(CellKind::Tumor, free[i], self.tick));
                }
            }
            TumorPlacement::Vessels => {
                let mut rng = stream(self.scenario.seed, self.tick, 0, Purpose::Arrival);
                for _ in 0..t.seed_cells {
                    if self.vessels.is_empty() {
                        break;
                    }
                    let vessel = self.vessels[rng.random_range(0..self.vessels.len())] as usize;
                    if let Some(site) = self.free_site_beside(vessel, &mut rng) {
                        self.cells.add(NewCell::new(CellKind::Tumor, site, self.tick));
                        let settled =
                            self.tick + (self.params.cancer.extravasation_days * self.ticks_per_day()).round() as u64;
                        let slot = self.cells.len() - 1;
                        self.cells.until_tick[slot] = settled;
                    }
                }
            }
        }
    }

    /// The systemic exposures of this tick: every inflammatory challenge given so far,
    /// decaying with its half-life, as receptor occupancies.
    pub(super) fn exposure_now(&self) -> Exposure {
        let p = &self.params.inflammation;
        let day = self.day();
        let mut dose = [0.0; 3];
        for e in &self.scenario.inflammation {
            let i = match e.agent {
                InflammatoryAgent::Lps => 0,
                InflammatoryAgent::Il1b => 1,
                InflammatoryAgent::Pge2 => 2,
            };
            // Doses given more than 40 half-lives ago have left no trace.
            let gone = day - 40.0 * p.half_life_h / 24.0;
            for given in e.days().skip_while(|&given| given < gone).take_while(|&given| given <= day) {
                dose[i] += e.dose * (-(day - given) * 24.0 * std::f64::consts::LN_2 / p.half_life_h).exp();
            }
        }
        let occupancy = |d: f64| d / (d + p.half_dose);
        Exposure { lps: occupancy(dose[0]), il1b: occupancy(dose[1]), pge2: occupancy(dose[2]) }
    }

    /// The centre of a scheduled event, in sites (negative coordinates mean the centre).
    pub(super) fn event_centre(&self, x_um: f64, y_um: f64) -> (f64, f64) {
        let l = &self.lattice;
        let cx = if x_um >= 0.0 { x_um / l.site_um } else { l.width as f64 / 2.0 };
        let cy = if y_um >= 0.0 { y_um / l.site_um } else { l.height as f64 / 2.0 };
        (cx, cy)
    }

    /// Microdamage: the osteocytes within its radius of the bone nearest its centre die, and
    /// their neighbours are alarmed.
    pub(super) fn damage(&mut self, m: &crate::scenario::Microdamage) {
        let (cx, cy) = self.event_centre(m.x_um, m.y_um);
        let l = &self.lattice;
        let nearest_bone = (0..l.len())
            .filter(|&s| l.is_solid(s))
            .min_by(|&a, &b| l.distance2(a, cx, cy).total_cmp(&l.distance2(b, cx, cy)).then(a.cmp(&b)));
        let Some(centre) = nearest_bone else { return };
        let (cx, cy) = (l.xy(centre).0 as f64 + 0.5, l.xy(centre).1 as f64 + 0.5);
        let r = m.radius_um / l.site_um;
        let mut victims: Vec<usize> = (0..self.cells.len())
            .filter(|&slot| self.cells.kind[slot] == CellKind::Osteocyte)
            .filter(|&slot| l.distance2(self.cells.site[slot] as usize, cx, cy) <= r * r)
            .collect();
        self.dead.clear();
        self.dead.resize(self.cells.len(), false);
        for &slot in &victims {
            self.dead[slot] = true;
        }
        for &slot in &victims {
            self.alarm_neighbours(self.cells.site[slot] as usize);
        }
        self.remove_cells(&mut victims);
    }

    /// Places a burst of committed pre-osteoclasts on the free bone-surface sites nearest
    /// its centre.
    pub(super) fn place_burst(&mut self, burst: &crate::scenario::PrecursorBurst) {
        let (cx, cy) = self.event_centre(burst.x_um, burst.y_um);
        let l = &self.lattice;
        let candidates = l.nearest_first(cx, cy, |s| l.is_surface(s) && self.cells.is_free(s));
        for &site in candidates.iter().take(burst.count as usize) {
            self.cells.add(NewCell::new(CellKind::PreOsteoclast, site, self.tick));
        }
    }
}
