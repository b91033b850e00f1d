//! Nuclear-aware planning on top of the optimiser: integer modules, unit commitment, the N-1
//! reserve tied to the largest unit built, planning reserve margin, nuclear operations and
//! refuelling, multi-period investment with lead times and learning, and representative periods
//! with storage linked across them.
//!
//! General capacity-expansion models treat a 1,200 MWe reactor and 22 modules of 55 MWe alike;
//! in a small grid they are not, because the reserve must cover the loss of the largest unit.
//! This module reads a planning file ([`mod@file`]), resolves it against a network's names
//! ([`options`]), and plans on the core's model with the planning families added over its
//! columns ([`model`], `multi_period.rs`), solved by the one HiGHS backend
//! ([`crate::highs_backend`]).
//! Call [`plan`] from a library, or `atomplan solve <folder> --planning FILE.toml`.

pub mod file;
mod multi_period;
pub mod network;
mod one_period;
pub mod options;
pub mod system;
mod vintages;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use atomplan_core::Diagnostic;
use serde::Serialize;

/// The planning families, one module each under `build/planning/`.
pub use crate::build::planning as model;
pub use crate::build::planning::policy;
/// How a planning solve ended: the core's status, one enum for every solve.
pub use crate::highs_backend::SolveStatus as Status;
pub use file::PlanningFile;
pub use network::{
    solve_folder, solve_folder_with, solve_network, system_from_network, FolderOutcome,
    SolverOverrides,
};
pub use options::NameKind;
pub use system::{Chronology, StorageUnit, System};

use crate::aggregate;
use crate::highs_backend::{self, LpSolution, SolverSettings};
use crate::lp::LinearProgram;
use crate::Error;

/// Read and validate a planning file. Errors and warnings come back together; the caller
/// stops on any error.
pub fn load(text: &str, file: &str) -> (Option<PlanningFile>, Vec<Diagnostic>) {
    match file::parse(text, file) {
        Ok(plan) => {
            let diags = file::validate(&plan, file);
            (Some(plan), diags)
        }
        Err(d) => (None, d),
    }
}

/// Capacity of one generator in one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CapacityResult {
    pub generator: String,
    pub period: Option<i32>,
    pub p_nom_opt_mw: f64,
    /// Units online (unit-sized generators only).
    pub units: Option<f64>,
    /// New units (or MW without a unit size) built in this period.
    pub built: f64,
    /// Energy produced in the period's year, MWh (weighted).
    pub energy_mwh: f64,
    /// CO2 emitted in the period's year, t (`energy_mwh` times the generator's emission factor).
    pub co2_t: f64,
    /// Energy available but not produced in the period's year, MWh (weighted), for generators
    /// with a time-varying `p_max_pu` (wind, solar); 0 for the others, as PyPSA counts it.
    pub curtailment_mwh: f64,
}

/// Power capacity and energy of one storage unit in one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StorageResult {
    pub storage_unit: String,
    pub period: Option<i32>,
    pub p_nom_opt_mw: f64,
    /// MW built in this period.
    pub built_mw: f64,
    /// Energy discharged and charged in the period's year, MWh (weighted).
    pub dispatch_mwh: f64,
    pub store_mwh: f64,
}

/// Capacity of one link or line (the same in every period; PyPSA's `p_nom_opt` / `s_nom_opt`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BranchResult {
    pub name: String,
    /// True for a PyPSA line, false for a link.
    pub is_line: bool,
    pub p_nom_opt_mw: f64,
}

/// One of the network's emission limits: tonnes emitted and the dual of its row (PyPSA's `mu`,
/// ≤ 0 for a binding `<=` limit; 0 when no prices were computed). The core's type.
pub use crate::results::GlobalConstraintResult;

pub use crate::diagnose::{Diagnosis, Finding};

/// Time-series aggregation report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AggregationReport {
    pub period_hours: usize,
    pub representatives: usize,
    /// Error of the first load's rebuilt year against the full one.
    pub load_nrmse: f64,
    pub load_energy_rel: f64,
    pub load_peak_rel: f64,
}

impl AggregationReport {
    /// The error of the year rebuilt from `agg` against the full `load`.
    pub(crate) fn of(agg: &aggregate::Aggregation, load: &[f64]) -> Self {
        let e = agg.error(load);
        AggregationReport {
            period_hours: agg.period_hours,
            representatives: agg.len(),
            load_nrmse: clean(e.nrmse),
            load_energy_rel: clean(e.energy_rel),
            load_peak_rel: clean(e.peak_rel),
        }
    }
}

/// The clustering settings of `[aggregation]`.
pub(crate) fn aggregation_settings(a: &file::AggregationWire) -> aggregate::Settings {
    aggregate::Settings {
        period_hours: a.period.hours(),
        representatives: a.representatives,
        method: match a.method {
            file::AggregationMethod::Ward => aggregate::Method::Ward,
            file::AggregationMethod::Kmedoids => aggregate::Method::KMedoids { seed: a.seed },
        },
    }
}

/// Marginal prices of one bus in one period, from the LP with the MILP's integers fixed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BusPrices {
    pub bus: String,
    pub period: Option<i32>,
    /// Load-weighted average marginal price over the year, USD/MWh.
    pub average_usd_per_mwh: f64,
    /// Marginal price per modelled hour, USD/MWh (weights in `PlanResult::hour_weights`).
    pub hourly_usd_per_mwh: Vec<f64>,
}

/// What a planning solve returns (serialised as the JSON of `atomplan solve --planning`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanResult {
    pub status: Status,
    /// Objective, USD (discounted over the periods in a multi-period run).
    pub objective: f64,
    /// Relative MIP gap at the end (0 for an LP).
    pub mip_gap: f64,
    pub has_solution: bool,
    /// HiGHS's own words when the solve failed or found no solution; empty otherwise.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub solver_message: String,
    pub variables: usize,
    pub integer_variables: usize,
    pub constraints: usize,
    pub nonzeros: usize,
    pub build_s: f64,
    /// Passing the model to HiGHS and HiGHS's run, seconds (plus the price and infeasibility
    /// re-solves when they run).
    pub solve_s: f64,
    /// HiGHS's own run time of the main solve, seconds.
    pub highs_s: f64,
    /// Simplex and interior-point iterations of the main solve (which of HiGHS's solvers ran).
    pub simplex_iterations: i64,
    pub ipm_iterations: i64,
    pub capacities: Vec<CapacityResult>,
    pub storage: Vec<StorageResult>,
    /// Links and lines.
    pub branches: Vec<BranchResult>,
    /// The network's own emission limits (`global_constraints.csv`).
    pub global_constraints: Vec<GlobalConstraintResult>,
    pub aggregation: Option<AggregationReport>,
    /// Hours each modelled hour stands for in one year (1 each for a full year).
    pub hour_weights: Vec<f64>,
    /// Marginal prices per bus and period (empty when the solve found no optimum).
    pub prices: Vec<BusPrices>,
    /// When infeasible: the policy rows (CO2 cap, capacity and energy limits, reserve margin,
    /// unit limits) that had to be relaxed for a plan to exist, largest first, each with its
    /// amount; the core's diagnosis type ([`crate::diagnose::elastic`]).
    pub diagnosis: Option<Diagnosis>,
    /// Dispatch per generator, period and modelled hour, MW (`[g][y][t]`, generators in the
    /// system's order; empty without a solution). Written by `--out`, not serialised.
    #[serde(skip)]
    pub generator_p: Vec<Vec<Vec<f64>>>,
    /// Storage output per unit, period and hour, MW, discharge minus charge (`[s][y][t]`).
    #[serde(skip)]
    pub storage_p: Vec<Vec<Vec<f64>>>,
    /// The solution's value of every column of the model (empty without a solution), for
    /// [`prices`] after the fact.
    #[serde(skip)]
    pub col_values: Vec<f64>,
    /// The core's results, in the network's component order and on its snapshot axis, when the
    /// model was the core's with the planning families added (a network with investment
    /// periods, `multi_period.rs`); `--out` writes them in PyPSA's layout.
    #[serde(skip)]
    pub network_results: Option<Box<crate::results::Results>>,
}

impl PlanResult {
    /// Capacity of `generator` in the first period, MW.
    pub fn p_nom_opt(&self, generator: &str) -> Option<f64> {
        self.capacities
            .iter()
            .find(|c| c.generator == generator)
            .map(|c| c.p_nom_opt_mw)
    }
    /// Units of `generator` in the first period.
    pub fn units(&self, generator: &str) -> Option<f64> {
        self.capacities
            .iter()
            .find(|c| c.generator == generator)
            .and_then(|c| c.units)
    }
    /// Capacities by generator and period.
    pub fn by_period(&self) -> BTreeMap<(String, Option<i32>), f64> {
        self.capacities
            .iter()
            .map(|c| ((c.generator.clone(), c.period), c.p_nom_opt_mw))
            .collect()
    }
}

/// The core backend's settings for a planning file's `[solver]`: its gap and time limit, then
/// the caller's HiGHS options. The backend's defaults apply first (HiPO with crossover for an
/// LP, branch and bound for a MILP), as for every core solve.
fn solver_settings(plan: &PlanningFile) -> SolverSettings {
    let mut options = Vec::new();
    if let Some(gap) = plan.solver.mip_rel_gap {
        options.push(("mip_rel_gap".to_owned(), format!("{gap:e}")));
    }
    if let Some(limit) = plan.solver.time_limit {
        options.push(("time_limit".to_owned(), format!("{limit:e}")));
    }
    options.extend(plan.solver.highs_options.iter().cloned());
    SolverSettings {
        threads: plan.solver.threads,
        options,
        log_to_console: plan.solver.log_to_console,
    }
}

/// Solves with the one backend; a solve that cannot run is a failed answer with HiGHS's (or
/// the backend's) words, so that the caller reports it like any other status.
fn solve(lp: &LinearProgram, settings: &SolverSettings) -> LpSolution {
    highs_backend::solve(lp, settings)
        .unwrap_or_else(|error| LpSolution::failed(lp, error.to_string()))
}

/// Families relaxed by the elastic re-solve that explains an infeasible plan.
const POLICY_FAMILIES: &[&str] = &[
    "CO2-cap",
    "Capacity-limit",
    "Energy-limit",
    "Area-reserve-margin",
    "Generator-max-units",
    "Generator-p_nom-max",
    "Generator-build-limit",
];

/// The core network a plan of `system` runs on, and everything that keeps it off the core's
/// snapshot axis (empty when the whole plan is built there).
fn on_core(system: &System, plan: &PlanningFile) -> (Option<crate::network::Network>, Vec<String>) {
    match network::network_from_system(system) {
        Some(network) => {
            let why = if plan.investment.is_some() {
                vintages::unsupported(plan, &network)
            } else {
                one_period::unsupported(plan, &network)
            };
            (Some(network), why)
        }
        None => (
            None,
            vec![
                "a planning system with lines, extendable or committable links, commitment or \
                  ramp attributes, representative periods of its own or CO2 limits"
                    .to_owned(),
            ],
        ),
    }
}

/// What the planning model does not take of `system` and `plan`, named (empty when [`plan`]
/// builds it).
pub fn unsupported(system: &System, plan: &PlanningFile) -> Vec<String> {
    on_core(system, plan).1
}

/// Plans `system` with `plan` on the core's builder: over the planning file's periods, the
/// network gets those periods on its snapshot axis (representative periods with linked storage
/// too), each generator and storage unit runs on a capacity per period made of parts of the
/// planning layer (existing fleets, retirement parts, one build per period), and the planning
/// families are added over the core's columns (`vintages.rs`, docs/formulation/vintages.md); in
/// one period, the file's unit-sized designs are written onto the network as modules
/// (`one_period.rs`).
///
/// # Errors
/// [`Error::Unsupported`] naming everything in the plan or the system the model does not take
/// ([`unsupported`]); a name the system does not have; a `--write-lp` file that cannot be
/// written.
pub fn plan(system: &System, plan: &PlanningFile) -> Result<PlanResult, Error> {
    match on_core(system, plan) {
        (Some(network), why) if why.is_empty() => core_plan(&network, plan, system),
        (_, why) => Err(Error::Unsupported(why.join("; "))),
    }
}

/// The plan of `network` (made from `system`) on the core's builder: over the planning file's
/// periods (`vintages.rs`), or in one period with the file's own units (`one_period.rs`).
fn core_plan(
    network: &crate::network::Network,
    plan: &PlanningFile,
    system: &System,
) -> Result<PlanResult, Error> {
    if plan.investment.is_some() {
        vintages::plan(network, plan, Some(system))
    } else {
        one_period::plan(network, plan, Some(system))
    }
}

/// HiGHS's relative gap; with no integer solution found it is unknown, reported as 100 %.
fn reported_gap(solved: &LpSolution) -> f64 {
    clean(if solved.mip_gap.is_finite() {
        solved.mip_gap
    } else {
        1.0
    })
}

impl PlanResult {
    /// The solver's part of a plan of `lp` (status, objective, gap, size, times, the column
    /// values), with every result block empty for the builder to fill.
    fn of_solve(lp: &LinearProgram, solved: &LpSolution, build_s: f64, solve_s: f64) -> Self {
        PlanResult {
            status: solved.status,
            objective: if solved.has_solution {
                clean(solved.objective)
            } else {
                0.0
            },
            mip_gap: reported_gap(solved),
            has_solution: solved.has_solution,
            solver_message: solved.message.clone(),
            variables: lp.n_cols(),
            integer_variables: lp.n_integer(),
            constraints: lp.n_rows(),
            nonzeros: lp.n_nonzeros(),
            build_s,
            solve_s,
            highs_s: solved.highs_s,
            simplex_iterations: solved.simplex_iterations,
            ipm_iterations: solved.ipm_iterations,
            capacities: Vec::new(),
            storage: Vec::new(),
            branches: Vec::new(),
            global_constraints: Vec::new(),
            aggregation: None,
            hour_weights: Vec::new(),
            prices: Vec::new(),
            diagnosis: None,
            generator_p: Vec::new(),
            storage_p: Vec::new(),
            col_values: if solved.has_solution {
                solved.col_values.clone()
            } else {
                Vec::new()
            },
            network_results: None,
        }
    }
}

/// The marginal prices per bus and period of `result` (what [`PlanResult::prices`] holds when
/// the plan is solved with them), for a plan [`plan`] solved from the same `system` and `plan`
/// without prices (`solver.prices = false`): the model is built again (the same aggregation
/// and columns) and its LP with the integers fixed at the result's solution is solved. A
/// caller that solves several plans and keeps one (the study's reliability loop) prices only
/// that one. Empty when the result has no solution.
///
/// # Errors
/// What [`plan`] refuses, and [`Error::Unsupported`] when `result` has another number of
/// columns than the model built now (it came from another system or file).
pub fn prices(
    system: &System,
    plan: &PlanningFile,
    result: &PlanResult,
) -> Result<Vec<BusPrices>, Error> {
    if !result.has_solution {
        return Ok(Vec::new());
    }
    match on_core(system, plan) {
        (Some(network), why) if why.is_empty() => {
            if plan.investment.is_some() {
                vintages::prices(&network, plan, Some(system), result)
            } else {
                one_period::prices(&network, plan, Some(system), &result.col_values)
            }
        }
        (_, why) => Err(Error::Unsupported(why.join("; "))),
    }
}

/// Round away solver noise and never return NaN.
fn clean(v: f64) -> f64 {
    if !v.is_finite() {
        return 0.0;
    }
    let r = (v * 1e6).round() / 1e6;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}
