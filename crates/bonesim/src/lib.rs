//! bonesim: an agent-based simulation of the bone microenvironment in cancer metastasis.
#![warn(missing_docs)]

pub mod diffusion;
