//! Nuclear-aware planning on top of the optimiser: integer modules, unit commitment, the N-1
//! reserve tied to the largest unit built, planning reserve margin, nuclear operations and
//! refuelling, multi-period investment with lead times and learning, and representative periods
//! with storage linked across them.
//!
//! General capacity-expansion models treat a 1,200 MWe reactor and 22 modules of 55 MWe alike;
//! in a small grid they are not, because the reserve must cover the loss of the largest unit.
//! This module reads a planning file ([`mod@file`]), resolves it against a [`System`]
//! ([`options`]), builds the model ([`model`]) and solves it with the one HiGHS backend
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

/// The planning model's constraint families, one module each under `build/planning/`.
pub use crate::build::planning as model;
pub use crate::build::planning::policy;
/// How a planning solve ended: the core's status, one enum for every solve.
pub use crate::highs_backend::SolveStatus as Status;
pub use file::PlanningFile;
pub use network::{
    add_network_units, solve_folder, solve_folder_with, solve_network, system_from_network,
    units_from_network, FolderOutcome, SolverOverrides,
};
pub use options::NameKind;
pub use system::{Chronology, StorageUnit, System};

use crate::aggregate;
use crate::highs_backend::{self, LpSolution, SolverSettings};
use crate::lp::{Col, LinearProgram};
use crate::results::{GeneratorResult, LineResult, LinkResult, Results, StorageUnitResult};
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

/// What keeps a plan of `system` off the core's snapshot axis, so on the planning builder
/// (empty when [`plan`] builds it on the core's builder).
pub fn refusals_on_core(system: &System, plan: &PlanningFile) -> Vec<String> {
    on_core(system, plan).1
}

/// Plans `system`: on the core's builder when the plan is over the planning file's own periods
/// and the core's snapshot axis takes all of it ([`plan_on_core`]), else on the planning builder
/// ([`builder_plan`]). Both give the same objective and capacities on every plan the core's axis
/// takes (`tests/it/vintages.rs`; the four flagship studies' scenarios, docs/benchmarks.md).
///
/// # Errors
/// A name the system does not have, what the builders refuse, and a `--write-lp` file that
/// cannot be written.
pub fn plan(system: &System, plan: &PlanningFile) -> Result<PlanResult, Error> {
    match on_core(system, plan) {
        (Some(network), why) if why.is_empty() => core_plan(&network, plan, system),
        _ => builder_plan(system, plan),
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

/// A plan over the planning file's own periods on the core's builder: the network gets those
/// periods on its snapshot axis (representative periods with linked storage too), each generator
/// and storage unit runs on a capacity per period made of parts of the planning layer (existing
/// fleets, retirement parts, one build per period), and the planning families are added over the
/// core's columns (`vintages.rs`, docs/formulation/vintages.md).
///
/// # Errors
/// [`Error::Unsupported`] naming everything in the plan or the system the core's axis does not
/// take yet; a name the system does not have; a `--write-lp` file that cannot be written.
pub fn plan_on_core(system: &System, plan: &PlanningFile) -> Result<PlanResult, Error> {
    match on_core(system, plan) {
        (Some(network), why) if why.is_empty() => core_plan(&network, plan, system),
        (_, why) => Err(Error::Unsupported(format!(
            "on the core's axis: {}",
            why.join("; ")
        ))),
    }
}

/// Aggregate (if the plan asks for it), build and solve, on the planning builder
/// (`build::planning::build`): the path of the families not yet on the core's snapshot axis
/// (one period, commitment and operating modes, learning, refuelling, lines and extendable
/// links), and the reference the core's path is checked against.
///
/// # Errors
/// As [`plan`].
pub fn builder_plan(system: &System, plan: &PlanningFile) -> Result<PlanResult, Error> {
    if plan.investment.is_some() {
        if let Some(link) = system.links.iter().find(|l| l.expansion.is_some()) {
            return Err(Error::SinglePeriodOnly(format!(
                "the extendable {} `{}`",
                if link.is_line { "line" } else { "link" },
                link.name
            )));
        }
        if let Some(unit) = system.storage_units.iter().find(|s| s.module > 0.0) {
            return Err(Error::SinglePeriodOnly(format!(
                "the modular (`p_nom_mod`) storage unit `{}`",
                unit.name
            )));
        }
        if let Some(limit) = system.emission_limits.first() {
            return Err(Error::SinglePeriodOnly(format!(
                "the network's CO2 limit `{}`",
                limit.name
            )));
        }
    }
    if plan.aggregation.is_some() {
        // Representative periods have no last snapshot whose state of charge could count.
        let emitting = system.emission_limits.iter().find_map(|limit| {
            let s = limit.storage_units.iter().position(|&a| a != 0.0)?;
            Some((limit, &system.storage_units[s]))
        });
        if let Some((limit, unit)) = emitting {
            return Err(Error::Unsupported(format!(
                "the non-cyclic storage unit `{}` under the limit `{}` with `[aggregation]`",
                unit.name, limit.name
            )));
        }
    }
    let (lp, built, agg_report) = build_lp(system, plan)?;
    if let Some(path) = &plan.solver.write_lp {
        let written = std::fs::File::create(path).and_then(|file| lp.write_lp(file));
        if let Err(error) = written {
            return Err(Error::WriteLp {
                path: path.display().to_string(),
                message: error.to_string(),
            });
        }
    }
    let options = solver_settings(plan);
    let solve_started = std::time::Instant::now();
    let solved = solve(&lp, &options);
    let (sys, index, periods, build_s) = built;
    let duals = if plan.solver.prices {
        duals_of(&lp, &solved, &options)
    } else {
        Vec::new()
    };
    let prices = bus_prices(&duals, &sys, &index, &periods);
    let diagnosis = (solved.status == Status::Infeasible).then(|| Diagnosis {
        status: solved.status,
        findings: crate::diagnose::elastic(&lp, POLICY_FAMILIES, &options),
    });
    let value = |e: &model::Expr| -> f64 {
        e.constant
            + e.terms
                .iter()
                .map(|&(c, v)| v * solved.col_values[c])
                .sum::<f64>()
    };
    let hourly = |cols: &[Col]| -> Vec<f64> {
        if solved.has_solution {
            cols.iter().map(|&c| clean(solved.col_values[c])).collect()
        } else {
            Vec::new()
        }
    };
    let mut capacities = Vec::new();
    let mut generator_p = Vec::new();
    for (g, gen) in sys.generators.iter().enumerate() {
        let mut by_period = Vec::new();
        for (y, per) in periods.iter().enumerate() {
            let energy: f64 = index.p[g][y]
                .iter()
                .enumerate()
                .map(|(t, &c)| solved.col_values[c] * sys.weights[t])
                .sum();
            let capacity = value(&index.capacity[g][y]);
            let curtailment: f64 = if gen.p_max_pu.len() > 1 {
                index.p[g][y]
                    .iter()
                    .enumerate()
                    .map(|(t, &c)| {
                        (capacity * gen.p_max_pu_at(t) - solved.col_values[c]).max(0.0)
                            * sys.weights[t]
                    })
                    .sum()
            } else {
                0.0
            };
            capacities.push(CapacityResult {
                generator: gen.name.clone(),
                period: per.year,
                p_nom_opt_mw: clean(value(&index.capacity[g][y])),
                units: index.units[g][y].as_ref().map(|e| clean(value(e))),
                built: clean(value(&index.built[g][y])),
                energy_mwh: clean(energy),
                co2_t: clean(energy * gen.co2_t_per_mwh),
                curtailment_mwh: clean(curtailment),
            });
            by_period.push(hourly(&index.p[g][y]));
        }
        generator_p.push(by_period);
    }
    let storage_p = (0..sys.storage_units.len())
        .map(|k| {
            (0..periods.len())
                .map(|y| {
                    let dispatch = hourly(&index.storage_dispatch[k][y]);
                    let store = hourly(&index.storage_store[k][y]);
                    dispatch
                        .iter()
                        .zip(&store)
                        .map(|(d, s)| clean(d - s))
                        .collect()
                })
                .collect()
        })
        .collect();
    let mut storage = Vec::new();
    for (k, st) in sys.storage_units.iter().enumerate() {
        for (y, per) in periods.iter().enumerate() {
            let energy = |cols: &[Col]| -> f64 {
                cols.iter()
                    .enumerate()
                    .map(|(t, &c)| solved.col_values[c] * sys.weights[t])
                    .sum()
            };
            storage.push(StorageResult {
                storage_unit: st.name.clone(),
                period: per.year,
                p_nom_opt_mw: clean(value(&index.storage_capacity[k][y])),
                built_mw: clean(value(&index.storage_built[k][y])),
                dispatch_mwh: clean(energy(&index.storage_dispatch[k][y])),
                store_mwh: clean(energy(&index.storage_store[k][y])),
            });
        }
    }
    let branches: Vec<BranchResult> = sys
        .links
        .iter()
        .zip(&index.link_capacity)
        .map(|(link, capacity)| BranchResult {
            name: link.name.clone(),
            is_line: link.is_line,
            p_nom_opt_mw: clean(value(capacity)),
        })
        .collect();
    let by_row = if index.emission_rows.is_empty() {
        Vec::new()
    } else {
        lp.row_major()
    };
    let global_constraints: Vec<GlobalConstraintResult> = sys
        .emission_limits
        .iter()
        .zip(&index.emission_rows)
        .map(|(limit, &row)| GlobalConstraintResult {
            name: limit.name.clone(),
            value: clean(
                by_row[row]
                    .iter()
                    .map(|&(c, v)| v * solved.col_values[c])
                    .sum(),
            ),
            mu: clean(duals.get(row).copied().unwrap_or(0.0)),
        })
        .collect();
    // On the network's own snapshots in one period the plan has the core's shape as well.
    let network_results = (periods.len() == 1
        && matches!(sys.chronology, Chronology::Sequential)
        && solved.has_solution)
        .then(|| {
            Box::new(network_results(
                &sys,
                &index,
                &solved,
                (&capacities, &storage, &branches),
                &prices,
                &global_constraints,
                lp.n_integer() > 0,
            ))
        });
    Ok(PlanResult {
        network_results,
        branches,
        global_constraints,
        capacities,
        storage,
        aggregation: agg_report,
        hour_weights: sys.weights.clone(),
        prices,
        diagnosis,
        generator_p,
        storage_p,
        ..PlanResult::of_solve(&lp, &solved, build_s, solve_started.elapsed().as_secs_f64())
    })
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

/// A single-period plan on a system's own sequential snapshots in the core's [`Results`] shape:
/// the system's components are the network's, in its order (links then lines), so `--out` and
/// the Python package write it as a plain solve's results.
fn network_results(
    sys: &System,
    index: &model::Index,
    solved: &LpSolution,
    (capacities, storage, branches): (&[CapacityResult], &[StorageResult], &[BranchResult]),
    prices: &[BusPrices],
    global_constraints: &[GlobalConstraintResult],
    is_mip: bool,
) -> Results {
    let x = &solved.col_values;
    let values = |cols: &[Col]| -> Vec<f64> { cols.iter().map(|&c| clean(x[c])).collect() };
    let nt = sys.hours();
    let generators = sys
        .generators
        .iter()
        .enumerate()
        .map(|(g, _)| {
            let row = &capacities[g];
            GeneratorResult {
                p_nom_opt: row.p_nom_opt_mw,
                p: values(&index.p[g][0]),
                curtailment_mwh: row.curtailment_mwh,
                energy_mwh: row.energy_mwh,
                status: values(&index.status[g][0]),
            }
        })
        .collect();
    let storage_units = (0..sys.storage_units.len())
        .map(|k| {
            let p_dispatch = values(&index.storage_dispatch[k][0]);
            let p_store = values(&index.storage_store[k][0]);
            let soc = values(&index.storage_soc[k][0]);
            StorageUnitResult {
                p_nom_opt: storage[k].p_nom_opt_mw,
                p: p_dispatch
                    .iter()
                    .zip(&p_store)
                    .map(|(d, s)| clean(d - s))
                    .collect(),
                p_dispatch,
                p_store,
                state_of_charge: if soc.is_empty() { vec![0.0; nt] } else { soc },
                spill: index.storage_spill[k][0]
                    .iter()
                    .map(|c| c.map_or(0.0, |c| clean(x[c])))
                    .collect(),
            }
        })
        .collect();
    let mut links = Vec::new();
    let mut lines = Vec::new();
    for (l, link) in sys.links.iter().enumerate() {
        let p0 = values(&index.link_flow[l][0]);
        if link.is_line {
            lines.push(LineResult {
                s_nom_opt: branches[l].p_nom_opt_mw,
                p1: p0.iter().map(|p| -p).collect(),
                p0,
            });
        } else {
            links.push(LinkResult {
                p_nom_opt: branches[l].p_nom_opt_mw,
                p1: p0.iter().map(|p| -link.efficiency * p).collect(),
                p0,
                status: values(&index.link_status[l][0]),
            });
        }
    }
    let marginal_price = (0..sys.buses.len())
        .map(|b| {
            prices
                .iter()
                .find(|p| p.bus == sys.buses[b])
                .map_or_else(|| vec![0.0; nt], |p| p.hourly_usd_per_mwh.clone())
        })
        .collect();
    Results {
        status: solved.status,
        objective: clean(solved.objective),
        generators,
        storage_units,
        links,
        lines,
        marginal_price,
        global_constraints: global_constraints.to_vec(),
        co2_t: capacities.iter().map(|c| c.co2_t).sum(),
        mip_gap: reported_gap(solved),
        is_mip,
    }
}

/// Row duals of a solved plan: the LP's, or for a MILP those of the LP with its integers fixed
/// at the solution; empty without an optimal answer.
fn duals_of(lp: &LinearProgram, solved: &LpSolution, options: &SolverSettings) -> Vec<f64> {
    if !solved.has_solution {
        Vec::new()
    } else if lp.n_integer() == 0 {
        if solved.status == Status::Optimal {
            solved.row_duals.clone()
        } else {
            Vec::new()
        }
    } else {
        let fixed = solve(&lp.with_integers_fixed(&solved.col_values), options);
        if fixed.status == Status::Optimal {
            fixed.row_duals
        } else {
            Vec::new()
        }
    }
}

/// Marginal prices per bus and period from the row duals (nothing without duals): the dual of
/// each balance row over its hour's and period's weight, and the load-weighted average.
fn bus_prices(
    duals: &[f64],
    sys: &System,
    index: &model::Index,
    periods: &[model::Period],
) -> Vec<BusPrices> {
    let mut prices = Vec::new();
    if duals.is_empty() {
        return prices;
    }
    for (y, per) in periods.iter().enumerate() {
        for (b, bus) in sys.buses.iter().enumerate() {
            let mut hourly = vec![0.0; sys.hours()];
            for &(rb, ry, t, r) in &index.balance {
                if rb == b && ry == y {
                    let scale = sys.weights[t] * per.weight;
                    hourly[t] = if scale > 0.0 {
                        clean(duals[r] / scale)
                    } else {
                        0.0
                    };
                }
            }
            let (mut num, mut den) = (0.0, 0.0);
            for (t, price) in hourly.iter().enumerate() {
                let load = sys.bus_load(b, t) * per.load_scale * sys.weights[t];
                num += load * price;
                den += load;
            }
            prices.push(BusPrices {
                bus: bus.clone(),
                period: per.year,
                average_usd_per_mwh: if den > 0.0 { clean(num / den) } else { 0.0 },
                hourly_usd_per_mwh: hourly,
            });
        }
    }
    prices
}

/// The marginal prices per bus and period of `result` (what [`PlanResult::prices`] holds when
/// the plan is solved with them), for a plan [`plan`] solved from the same `system` and `plan`
/// without prices (`solver.prices = false`): the model is built again (the same aggregation
/// and columns) and its LP with the integers fixed at the result's solution is solved. A
/// caller that solves several plans and keeps one (the study's reliability loop) prices only
/// that one. Empty when the result has no solution.
///
/// # Errors
/// What [`build_lp`] returns, and [`Error::Unsupported`] when `result` has another number of
/// columns than the model built now (it came from another system or file).
pub fn prices(
    system: &System,
    plan: &PlanningFile,
    result: &PlanResult,
) -> Result<Vec<BusPrices>, Error> {
    if !result.has_solution {
        return Ok(Vec::new());
    }
    if let (Some(network), why) = on_core(system, plan) {
        if why.is_empty() {
            return if plan.investment.is_some() {
                vintages::prices(&network, plan, Some(system), result)
            } else {
                one_period::prices(&network, plan, Some(system), &result.col_values)
            };
        }
    }
    let (lp, (sys, index, periods, _), _) = build_lp(system, plan)?;
    if lp.n_cols() != result.col_values.len() {
        return Err(Error::Unsupported(format!(
            "pricing a plan of {} columns on a model of {}",
            result.col_values.len(),
            lp.n_cols()
        )));
    }
    let solved = LpSolution {
        status: result.status,
        has_solution: true,
        col_values: result.col_values.clone(),
        ..LpSolution::failed(&lp, String::new())
    };
    // A pure LP keeps no duals in its result: solving it with nothing fixed gives them.
    let solved = if lp.n_integer() == 0 {
        solve(&lp, &solver_settings(plan))
    } else {
        solved
    };
    let duals = duals_of(&lp, &solved, &solver_settings(plan));
    Ok(bus_prices(&duals, &sys, &index, &periods))
}

type BuiltParts = (System, model::Index, Vec<model::Period>, f64);

/// Build the MILP without solving it (for MPS export and tests).
pub fn build_lp(
    system: &System,
    plan: &PlanningFile,
) -> Result<(LinearProgram, BuiltParts, Option<AggregationReport>), Error> {
    let start = std::time::Instant::now();
    // Resolved on the full system, before aggregation, so that a bad name fails fast; the
    // aggregated system keeps every component in its place, so the indices stay valid.
    let options = options::Options::resolve(system, plan)?;
    let (sys, report) = match &plan.aggregation {
        Some(a) => {
            let (sys, agg) = system.aggregated(&aggregation_settings(a))?;
            let report = system
                .loads
                .iter()
                .find(|l| l.p_set.len() > 1)
                .map(|l| AggregationReport::of(&agg, &l.p_set));
            (sys, report)
        }
        None => (system.clone(), None),
    };
    let built = model::build(&sys, &options);
    let build_s = start.elapsed().as_secs_f64();
    Ok((built.lp, (sys, built.index, built.periods, build_s), report))
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
