//! The same scenario and seed give the same result to the bit on one thread or two: every
//! random draw comes from a stream keyed by seed, tick, cell and purpose, and every parallel
//! reduction is ordered.

use bonesim::Sim;
use bonesim_acceptance::{bundled, run_daily};

/// A fingerprint of the whole state: tissue, cells, fields and readouts, bit for bit.
fn fingerprint(sim: &Sim) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let l = sim.lattice();
    l.matrix.iter().for_each(|v| v.to_bits().hash(&mut h));
    l.mineral.iter().for_each(|v| v.to_bits().hash(&mut h));
    l.eroded.hash(&mut h);
    let c = sim.cells();
    c.id.hash(&mut h);
    c.kind.hash(&mut h);
    c.site.hash(&mut h);
    c.nuclei.hash(&mut h);
    for f in bonesim::field::FieldId::ALL {
        sim.fields().values(f).iter().for_each(|v| v.to_bits().hash(&mut h));
    }
    for (name, value) in sim.readouts().columns() {
        name.hash(&mut h);
        value.to_bits().hash(&mut h);
    }
    h.finish()
}

#[test]
fn one_and_two_threads_give_identical_states() {
    // The remodeling event exercises every phase and lineage; 60 days, on a window large
    // enough for the solver's parallel paths.
    let mut scenario = bundled("remodeling-event");
    scenario.time.days = 60.0;
    let states = [1, 2].map(|threads| {
        let mut daily = Vec::new();
        run_daily(&scenario, threads, |sim| daily.push(fingerprint(sim)));
        daily
    });
    assert_eq!(states[0].len(), 61);
    let first_difference = states[0].iter().zip(&states[1]).position(|(a, b)| a != b);
    assert_eq!(first_difference, None, "the runs part ways on that day");
}
