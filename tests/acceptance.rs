//! Acceptance tests: the bundled scenarios, run through the engine's public API, checked
//! against the published behaviour they are calibrated to. Stochastic results are checked
//! over a fixed set of seeds with stated tolerances, so the tests are not flaky.
#![allow(clippy::print_stderr, reason = "tests report their measured figures")]

mod determinism;
mod homeostasis;
mod host;
mod lesions;
mod mechanisms;
mod remodeling_event;
mod therapies;
mod tick_length;
