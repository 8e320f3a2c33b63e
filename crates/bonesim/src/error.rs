//! Errors the engine reports. The engine never prints; the caller decides what a user sees.

use crate::params::ParamError;
use crate::scenario::ScenarioError;

/// Why a simulation could not be set up.
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
