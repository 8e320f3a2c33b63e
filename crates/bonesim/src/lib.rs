//! # bonesim
//!
//! An agent-based simulation of the bone microenvironment in cancer metastasis, built around
//! interleukin-6. Cells are agents on a 2D lattice cut through trabecular bone; cytokines are
//! continuous fields that cells secrete, that diffuse and decay, and that cells sense.
//!
//! The engine reads like the model:
//!
//! - [`lattice`] and [`geometry`]: the section of bone, site by site;
//! - [`field`] and [`diffusion`]: the cytokine fields and their implicit solver;
//! - [`cells`]: the agents and their store;
//! - [`biology`]: one module per lineage, each rule a small named function;
//! - [`sim`]: the tick, phase by phase;
//! - [`pharmacology`]: drugs as plasma concentrations over time, and the hormone therapies;
//! - [`readout`]: what a run reports;
//! - [`params`] and [`scenario`]: what a user can set;
//! - [`view`], [`intervention`] and [`palette`]: for live front ends, a frame of what to
//!   draw, interventions between ticks that keep a run reproducible, and the colours.
//!
//! ```
//! use bonesim::{Scenario, Sim};
//!
//! let mut scenario = Scenario::default();
//! scenario.domain.width = 64;
//! scenario.domain.height = 64;
//! scenario.time.days = 1.0;
//! let mut sim = Sim::new(&scenario, None).unwrap();
//! while sim.tick() < sim.total_ticks() {
//!     sim.step();
//! }
//! assert!(sim.readouts().bone_rel > 0.9);
//! ```
#![warn(missing_docs)]

pub mod benchmark;
pub mod biology;
pub mod cells;
pub mod diffusion;
pub mod error;
pub mod field;
pub mod geometry;
pub mod intervention;
pub mod lattice;
pub mod palette;
pub mod params;
pub mod pharmacology;
mod prefetch;
pub mod readout;
pub mod rng;
pub mod scenario;
pub mod sim;
pub mod systemic;
pub mod view;

pub use error::EngineError;
pub use geometry::GreyImage;
pub use params::ModelParams;
pub use readout::Readouts;
pub use scenario::Scenario;
pub use sim::Sim;

/// The engine's version, recorded in every run's summary.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
