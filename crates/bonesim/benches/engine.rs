//! Benchmarks of the engine's hot paths: one field step of the diffusion solver at a few
//! lattice sizes and field counts, and whole ticks of the homeostasis scenario (`bonesim
//! bench` measures the same and more in one command).
//!
//! `cargo bench -p bonesim` (criterion). Compare figures from one run only: the machines are
//! shared and noisy.
#![allow(missing_docs, reason = "criterion's macros generate undocumented items")]

use bonesim::benchmark::SolverWorkload;
use bonesim::diffusion::SolverSettings;
use bonesim::{Scenario, Sim};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

/// One 12-hour step of 1 and of 8 fields, warm-started with the sources moved, the workload
/// `bonesim bench` times. Called inside a rayon pool, as runs call the solver: from outside
/// one, every parallel loop pays for waking the workers.
fn field_step(c: &mut Criterion) {
    let pool = rayon::ThreadPoolBuilder::new().build().expect("thread pool");
    let mut group = c.benchmark_group("field_step");
    for (n, fields) in [(256, 1), (512, 1), (512, 8)] {
        let mut workload = pool.install(|| SolverWorkload::new(n, fields, 12.0, SolverSettings::default(), true));
        group.bench_with_input(BenchmarkId::new(format!("{fields}_fields"), n), &n, |b, _| {
            b.iter(|| pool.install(|| workload.step_all()))
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
    let pool = rayon::ThreadPoolBuilder::new().build().expect("thread pool");
    group.bench_function("day_200x200", |b| {
        b.iter(|| {
            pool.install(|| {
                for _ in 0..24 {
                    sim.step();
                }
            })
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
