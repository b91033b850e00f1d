//! The screening runner of a sweep: the study runner's screening stage
//! (`study::runner::screening`, capital and fixed O&M LCOE per candidate) through
//! [`super::stages::run_scenario`]; a fast per-scenario function for benchmarks of the sweep
//! engine itself. It does no system planning (no `system_cost_usd`, no `co2_mt`).

use std::path::Path;

use super::spec::Scenario;
use super::stages::{run_scenario, Through};
use super::ScenarioResult;
use crate::study::inputs::StudyCatalogue;
use crate::Error;

/// Runs the screening for one scenario against `catalogue`.
///
/// Errors (recorded as a failed scenario) name the candidate and the missing or bad figure.
pub fn run(scenario: &Scenario, catalogue: &StudyCatalogue) -> Result<ScenarioResult, Error> {
    run_scenario(scenario, catalogue, Path::new(""), Through::Screening)
}
