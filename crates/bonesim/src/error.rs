//! Errors the engine reports. The engine never prints; the caller decides what a user sees.

use crate::params::ParamError;
use crate::scenario::ScenarioError;
use crate::sim::Runaway;

/// Why a simulation could not be set up, or could not go on.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum EngineError {
    /// A scenario value is out of range.
    Scenario(ScenarioError),
    /// A parameter is unknown or out of range.
    Param(ParamError),
    /// The geometry names an image but none was given.
    MissingImage(String),
    /// Values that are each allowed but do not fit together.
    Inconsistent(String),
    /// A value stopped being a finite number, or left what biology allows
    /// ([`crate::Sim::check_health`]).
    Runaway(Runaway),
}

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EngineError::Scenario(e) => write!(f, "{e}"),
            EngineError::Param(e) => write!(f, "{e}"),
            EngineError::MissingImage(path) => {
                write!(f, "domain.geometry: the image \"{path}\" was not loaded")
            }
            EngineError::Inconsistent(why) => write!(f, "{why}"),
            EngineError::Runaway(r) => write!(f, "{r}"),
        }
    }
}

impl std::error::Error for EngineError {}

impl From<ScenarioError> for EngineError {
    fn from(e: ScenarioError) -> Self {
        EngineError::Scenario(e)
    }
}

impl From<ParamError> for EngineError {
    fn from(e: ParamError) -> Self {
        EngineError::Param(e)
    }
}
