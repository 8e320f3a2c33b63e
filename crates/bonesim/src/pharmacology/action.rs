//! Each drug's effect at its target: which field acts through which mechanism, with which
//! half-effect constant ([`crate::biology::targets`]), and the drugs' hold on IL-6's
//! clearance from plasma.

use super::PlasmaLevel;
use super::bisphosphonate::LETHAL_LACUNAR_UM;
use super::delivery::{tissue_field, unbound_plasma_pm};
use super::drugs::{Drug, Effect};
use crate::biology::targets::{Agent, Mechanism, Targets};

/// The targets of a run that gives `drugs`, on a lattice of `sites`.
pub fn targets(drugs: &[Drug], sites: usize) -> Targets {
    let mut targets = Targets::none();
    add_targets(&mut targets, drugs, sites);
    targets
}

/// Adds what `drugs` act on to `targets`.
pub fn add_targets(targets: &mut Targets, drugs: &[Drug], sites: usize) {
    for &drug in drugs {
        let info = drug.info();
        match (info.effect, tissue_field(drug)) {
            (Effect::Agent(mechanism), Some(field)) => {
                targets.add(Agent { field, mechanism, half_pm: info.binding.nm * 1e3 });
            }
            (Effect::BoneBinding, _) => targets.hold_matrix_toxin(sites, LETHAL_LACUNAR_UM),
            _ => {}
        }
    }
}

/// Share of IL-6's receptor-mediated clearance from plasma left by `levels`: IL-6R free of
/// antagonists, times IL-6 free of binders. Tocilizumab blocks the receptors that clear
/// IL-6, so serum IL-6 rises under it (Nishimoto et al. 2008, Blood 112:3959); an antibody
/// holding IL-6 keeps it from them too.
pub fn plasma_il6_receptor_clearance_left(levels: &[PlasmaLevel]) -> f64 {
    let (mut il6r, mut il6) = (0.0, 0.0);
    for level in levels {
        let info = level.drug.info();
        let x = unbound_plasma_pm(level) / (info.binding.nm * 1e3);
        match info.effect {
            Effect::Agent(Mechanism::Il6rBlockade) => il6r += x,
            Effect::Agent(Mechanism::Il6Sequestration) => il6 += x,
            _ => {}
        }
    }
    1.0 / ((1.0 + il6r) * (1.0 + il6))
}
