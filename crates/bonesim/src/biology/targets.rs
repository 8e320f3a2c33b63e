//! The targets drugs act on, as the cells see them: where a binder holds IL-6, an
//! antagonist occupies IL-6R or CXCR4, a decoy holds RANKL, NF-κB is suppressed, mitosis is
//! poisoned, or the bone matrix carries something toxic to the osteoclast that resorbs it.
//!
//! The biology knows these mechanisms, not the drugs: a run's [`Targets`] lists *agents*
//! (a field of the table whose local concentration acts through one [`Mechanism`] with a
//! half-effect constant), and [`Targets::at`] turns the concentrations at a site into the
//! shares the signalling uses ([`SiteTargets`]). The pharmacology fills the list from the
//! drugs a scenario gives (`crate::pharmacology::action`).
//!
//! Binding is taken at equilibrium within a tick. Drugs are in vast molar excess over their
//! targets (nM against pM of IL-6 or RANKL), so a target's free share is `1 / (1 + [D]/Kd)`,
//! and a competitive antagonist raises the agonist's half-occupancy constant by
//! `1 + [A]/Ki` (the Gaddum–Schild relation).

use crate::field::{FieldId, Fields};
use serde::{Deserialize, Serialize};

/// How an agent acts.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Mechanism {
    /// Binds IL-6 and holds it from its receptors (half-effect constant: its Kd).
    Il6Sequestration,
    /// Occupies IL-6R, membrane and soluble: classic and trans-signalling blocked, and IL-6
    /// no longer taken up by its receptor (half-effect constant: its Kd).
    Il6rBlockade,
    /// A decoy receptor of RANKL, like OPG (half-effect constant: its Kd).
    RanklDecoy,
    /// Competes with CXCL12 for CXCR4 (half-effect constant: its Ki).
    Cxcr4Antagonism,
    /// Suppresses NF-κB activity, at most by `max_share` (half-effect constant: its IC50).
    NfkbSuppression {
        /// Share of NF-κB activity removed at a saturating concentration.
        max_share: f64,
    },
    /// Arrests mitosis: a dividing cell dies rather than divides (half-effect constant: the
    /// concentration at which half of the mitoses fail), and stressed tumour cells make more
    /// IL-6 (`il6_gain`-fold more at a saturating concentration; 0 for none).
    MitoticArrest {
        /// Fold rise of tumour IL-6 at a saturating concentration.
        il6_gain: f64,
    },
}

/// One agent: a field whose concentration acts through a mechanism.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Agent {
    /// The field holding the agent's local concentration.
    pub field: FieldId,
    /// What it does.
    pub mechanism: Mechanism,
    /// Concentration of half effect, pM (Kd, Ki or IC50).
    pub half_pm: f64,
}

/// What the targets look like at one site.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SiteTargets {
    /// Share of IL-6 not held by binders.
    pub il6_free: f64,
    /// Share of IL-6R (membrane and soluble) not occupied by antagonists.
    pub il6r_free: f64,
    /// Decoys holding RANKL besides OPG, as concentration over Kd (added to OPG's).
    pub rankl_decoy: f64,
    /// Factor by which CXCR4 antagonists raise CXCL12's half-occupancy constant.
    pub cxcr4_shift: f64,
    /// Share of NF-κB activity left.
    pub nfkb_left: f64,
    /// Share of mitoses that end in death (before AKT's protection).
    pub mitotic_arrest: f64,
    /// Fold rise of tumour IL-6 production from mitotic stress, minus one.
    pub il6_induction: f64,
}

impl Default for SiteTargets {
    /// No agent: every target as it is.
    fn default() -> Self {
        SiteTargets {
            il6_free: 1.0,
            il6r_free: 1.0,
            rankl_decoy: 0.0,
            cxcr4_shift: 1.0,
            nfkb_left: 1.0,
            mitotic_arrest: 0.0,
            il6_induction: 0.0,
        }
    }
}

/// The agents of a run and what bone matrix holds for the osteoclasts that resorb it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Targets {
    agents: Vec<Agent>,
    /// Per site, the antiresorptive bound in the matrix, as the concentration it makes in
    /// the resorption lacuna (the site's volume) when the whole site is resorbed, µM. Empty
    /// when no antiresorptive binds bone.
    matrix_toxin_um: Vec<f32>,
    /// Lacunar concentration at which resorbing it kills an osteoclast with a hazard of 1,
    /// µM.
    lethal_um: f64,
}

impl Targets {
    /// No agents.
    pub fn none() -> Targets {
        Targets::default()
    }

    /// Adds `agent`.
    pub fn add(&mut self, agent: Agent) {
        self.agents.push(agent);
    }

    /// The agents.
    pub fn agents(&self) -> &[Agent] {
        &self.agents
    }

    /// Whether any agent acts, or bone holds a toxin.
    pub fn is_empty(&self) -> bool {
        self.agents.is_empty() && self.matrix_toxin_um.is_empty()
    }

    /// The targets at `site`.
    pub fn at(&self, fields: &Fields, site: usize) -> SiteTargets {
        let mut t = SiteTargets::default();
        if self.agents.is_empty() {
            return t;
        }
        let (mut il6_bound, mut il6r_bound, mut cxcr4) = (0.0, 0.0, 0.0);
        for a in &self.agents {
            let x = fields.at(a.field, site).max(0.0) / a.half_pm;
            let occupancy = x / (1.0 + x);
            match a.mechanism {
                Mechanism::Il6Sequestration => il6_bound += x,
                Mechanism::Il6rBlockade => il6r_bound += x,
                Mechanism::RanklDecoy => t.rankl_decoy += x,
                Mechanism::Cxcr4Antagonism => cxcr4 += x,
                Mechanism::NfkbSuppression { max_share } => t.nfkb_left *= 1.0 - max_share * occupancy,
                Mechanism::MitoticArrest { il6_gain } => {
                    t.mitotic_arrest = 1.0 - (1.0 - t.mitotic_arrest) * (1.0 - occupancy);
                    t.il6_induction += il6_gain * occupancy;
                }
            }
        }
        // Binders of one target compete for it: their concentrations over Kd add.
        t.il6_free = 1.0 / (1.0 + il6_bound);
        t.il6r_free = 1.0 / (1.0 + il6r_bound);
        t.cxcr4_shift = 1.0 + cxcr4;
        t
    }

    /// Makes bone matrix able to hold an osteoclast toxin on a lattice of `sites`, with
    /// `lethal_um` the lacunar concentration whose resorption kills with a hazard of 1.
    pub fn hold_matrix_toxin(&mut self, sites: usize, lethal_um: f64) {
        self.matrix_toxin_um = vec![0.0; sites];
        self.lethal_um = lethal_um;
    }

    /// The toxin held by the matrix of every site (empty if none can be), µM in the site's
    /// volume.
    pub fn matrix_toxin_um(&self) -> &[f32] {
        &self.matrix_toxin_um
    }

    /// The toxin held by the matrix of every site, to bind or release it.
    pub fn matrix_toxin_um_mut(&mut self) -> &mut [f32] {
        &mut self.matrix_toxin_um
    }

    /// Chance that an osteoclast resorbing `share` of the matrix of `site` dies of what it
    /// takes up: `1 − exp(−released / lethal)`, additive over the resorption of a site however
    /// it is divided between ticks (osteoclasts take up the bisphosphonate set free in their
    /// resorption lacuna; Sato et al. 1991, J Clin Invest 88:2095).
    pub fn resorption_kill_chance(&self, site: usize, share: f64) -> f64 {
        match self.matrix_toxin_um.get(site) {
            Some(&c) if c > 0.0 => 1.0 - (-(c as f64) * share.clamp(0.0, 1.0) / self.lethal_um).exp(),
            _ => 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::SolverParams;

    fn fields_with(field: FieldId, pm: f64) -> Fields {
        let mut fields = Fields::new(1, 1, &SolverParams::default());
        fields.activate(field, 0.0, 0, 1);
        fields.set_uniform(field, pm);
        fields
    }

    #[test]
    fn free_shares_follow_concentration_over_kd() {
        let mut t = Targets::none();
        t.add(Agent { field: FieldId::Siltuximab, mechanism: Mechanism::Il6Sequestration, half_pm: 30.0 });
        let f = fields_with(FieldId::Siltuximab, 270.0);
        let s = t.at(&f, 0);
        assert!((s.il6_free - 0.1).abs() < 1e-12, "{}", s.il6_free);
        assert_eq!((s.il6r_free, s.nfkb_left, s.rankl_decoy), (1.0, 1.0, 0.0));
    }

    #[test]
    fn a_competitive_antagonist_shifts_the_agonist_by_one_plus_its_occupancy_ratio() {
        let mut t = Targets::none();
        t.add(Agent { field: FieldId::Cxcr4Antagonist, mechanism: Mechanism::Cxcr4Antagonism, half_pm: 50_000.0 });
        let f = fields_with(FieldId::Cxcr4Antagonist, 150_000.0);
        assert!((t.at(&f, 0).cxcr4_shift - 4.0).abs() < 1e-12);
    }

    #[test]
    fn matrix_toxin_kills_in_proportion_to_what_is_released_however_it_is_split() {
        let mut t = Targets::none();
        t.hold_matrix_toxin(2, 10.0);
        t.matrix_toxin_um_mut()[1] = 10.0;
        assert_eq!(t.resorption_kill_chance(0, 1.0), 0.0, "bone without toxin is safe");
        let whole = t.resorption_kill_chance(1, 1.0);
        assert!((whole - (1.0 - (-1.0f64).exp())).abs() < 1e-9);
        // Two halves, survived in turn, give the same chance as the whole.
        let half = t.resorption_kill_chance(1, 0.5);
        assert!((1.0 - (1.0 - half) * (1.0 - half) - whole).abs() < 1e-9);
    }
}
