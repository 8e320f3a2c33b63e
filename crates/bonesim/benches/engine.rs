//! Benchmarks of the engine's hot paths: one field step of the diffusion solver at a few
//! lattice sizes, and whole ticks of the homeostasis scenario.
//!
//! `cargo bench -p bonesim` (criterion). Compare figures from one run only: the machines are
//! shared and noisy.
#![allow(missing_docs, reason = "criterion's macros generate undocumented items")]

use bonesim::diffusion::{Boundary, DiffusionProblem, DiffusionSolver, SolverSettings};
use bonesim::lattice::Lattice;
use bonesim::{Scenario, Sim};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

/// A trabecular section of `n × n` sites with its permeability and sparse point sources.
fn setup(n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut lattice = Lattice::new(n, n, 10.0);
    bonesim::geometry::trabecular(&mut lattice, 0.2, 1);
    let mut permeability = Vec::new();
    lattice.permeability_into(0.1, &mut permeability);
    let mut source = vec![0.0; n * n];
    for site in (0..n * n).step_by(101) {
        source[site] = 0.1;
    }
    (permeability, source)
}

/// One 6-hour step of a RANKL-like field, warm-started from the previous step with the
/// sources moved: what a field step costs in a run.
fn field_step(c: &mut Criterion) {
    let mut group = c.benchmark_group("field_step");
    for n in [100, 200, 400] {
        let (permeability, source) = setup(n);
        let moved: Vec<f64> = source.iter().cycle().skip(1).take(n * n).copied().collect();
        let mut solver = DiffusionSolver::new(n, n, SolverSettings::default());
        let mut u = vec![0.0; n * n];
        let step = |solver: &mut DiffusionSolver, u: &mut Vec<f64>, source: &[f64]| {
            let p = DiffusionProblem {
                diffusion_um2_s: 37.0,
                decay_per_s: std::f64::consts::LN_2 / (1.6 * 3600.0),
                site_um: 10.0,
                dt_s: 6.0 * 3600.0,
                permeability: &permeability,
                sink_per_s: None,
                source_per_s: Some(source),
                boundary: Boundary::NoFlux,
            };
            solver.step(0, u, &p)
        };
        step(&mut solver, &mut u, &source);
        let mut flip = false;
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| {
                flip = !flip;
                step(&mut solver, &mut u, if flip { &moved } else { &source })
            })
        });
    }
    group.finish();
}

/// A day (24 ticks) of the homeostasis scenario on a 200 × 200 window, after 30 days.
fn homeostasis_day(c: &mut Criterion) {
    let text = include_str!("../../../scenarios/homeostasis.toml");
    let mut scenario: Scenario = toml::from_str(text).expect("bundled scenario");
    scenario.domain.width = 200;
    scenario.domain.height = 200;
    let mut sim = Sim::new(&scenario, None).expect("scenario");
    for _ in 0..30 * 24 {
        sim.step();
    }
    let mut group = c.benchmark_group("homeostasis");
    group.sample_size(10);
    group.bench_function("day_200x200", |b| {
        b.iter(|| {
            for _ in 0..24 {
                sim.step();
            }
        })
    });
    group.finish();
}

/// A viewer's frame (tissue, cells, one field) of the default 400 × 400 homeostasis
/// scenario, written into a reused frame, and the readouts: what the viewer's simulation
/// thread pays per frame it hands over, and per refresh of its numbers.
fn view_frame(c: &mut Criterion) {
    let text = include_str!("../../../scenarios/homeostasis.toml");
    let scenario: Scenario = toml::from_str(text).expect("bundled scenario");
    let mut sim = Sim::new(&scenario, None).expect("scenario");
    for _ in 0..5 * 24 {
        sim.step();
    }
    let mut frame = bonesim::view::Frame::default();
    let mut group = c.benchmark_group("view");
    group.sample_size(20);
    group.bench_function("frame_400x400", |b| b.iter(|| sim.view_into(Some(bonesim::field::FieldId::Il6), &mut frame)));
    group.bench_function("readouts_400x400", |b| b.iter(|| sim.readouts()));
    group.finish();
}

criterion_group!(benches, field_step, homeostasis_day, view_frame);
criterion_main!(benches);
