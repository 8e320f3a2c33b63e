//! # bonesim-scenario
//!
//! One way to load a scenario, shared by every front end of the engine (the `bonesim`
//! command line and the `bonesim-viz` viewer), so both accept the same files with the same
//! errors:
//!
//! - [`Source::open`] reads a scenario file, or a bundled scenario by name ([`bundled`]);
//! - [`Override`] is a value from the command line (`--set key=value`, `--days N`);
//! - [`load`] parses the text, applies the overrides, makes every check of the engine and
//!   decodes a geometry image; [`Loaded::build`] sets up the [`bonesim::Sim`].
//!
//! Every error is an [`InputError`] naming the file, line and column (or the `--set`
//! argument), the key, and what is allowed.
//!
//! ```
//! use bonesim_scenario::{Override, Source, load};
//!
//! let source = Source::open("homeostasis").unwrap(); // a bundled scenario
//! let overrides = vec![Override::from_set("domain.width", "40").unwrap(), Override::days(1.0)];
//! let loaded = load(source, overrides, Some(7)).unwrap();
//! assert_eq!(loaded.scenario.domain.width, 40);
//! let bad = Override::from_set("patient.estrogn", "0").unwrap_err();
//! assert!(bad.to_string().contains("did you mean patient.estrogen"));
//! ```
#![warn(missing_docs)]

pub mod bundled;
pub mod error;
pub mod image;
pub mod keypath;
mod load;

pub use error::{InputError, input};
pub use load::{Loaded, Override, Source, load, split_set_arg};
