//! Explains an infeasible or unbounded model: which constraint family, and where.
//!
//! A solver status alone ("infeasible") does not tell an analyst what to fix. These checks do,
//! from the cheapest to the most general:
//! 1. bounds that contradict each other (`p_min_pu > p_max_pu` on a fixed asset);
//! 2. per bus and snapshot, whether the most that could be supplied (generators, storage
//!    discharge, imports over links and lines, each at its largest possible capacity) meets the
//!    load, and whether must-run output can be absorbed;
//! 3. for each primary-energy (CO2) cap, the least emissions the rest of the model allows,
//!    found by a second LP that minimises emissions;
//! 4. if none of these finds the cause, each constraint family is relaxed in turn and the
//!    families whose relaxation makes the model feasible are named.
//!
//! Unbounded models are checked for extendable assets with a negative cost and no upper limit.

use crate::build::Model;
use crate::highs_backend::{self, SolveStatus, SolverSettings};
use crate::lp::LinearProgram;
use crate::network::{ConstraintSense, Network};

/// One cause found.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Finding {
    /// Constraint family, e.g. `Bus-balance`, `GlobalConstraint`, `Generator-p`, `CO2-cap`.
    pub family: String,
    pub bus: Option<String>,
    /// Snapshot label as in `snapshots.csv` (core), or the modelled hour's index.
    pub snapshot: Option<String>,
    /// The row's entity: a component, or a planning row's key and year (`2030`,
    /// `nuclear-min,2035`).
    pub component: Option<String>,
    pub message: String,
    /// How much the row had to be relaxed for a solution to exist, in the row's own unit (MW,
    /// t, fuel unit), when the elastic re-solve ([`elastic`]) found it.
    pub amount: Option<f64>,
}

/// The causes found for a non-optimal status, most specific first.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Diagnosis {
    pub status: SolveStatus,
    pub findings: Vec<Finding>,
}

impl Diagnosis {
    /// One line per finding, or a fallback sentence when no cause was found.
    pub fn lines(&self) -> Vec<String> {
        if self.findings.is_empty() {
            return vec![format!(
                "the model is {}, and no single constraint family explains it",
                self.status.as_str()
            )];
        }
        self.findings
            .iter()
            .map(|finding| format!("{}: {}", finding.family, finding.message))
            .collect()
    }
}

const TOLERANCE: f64 = 1e-6;
const DIAGNOSTIC_TIME_LIMIT_S: &str = "60";

/// Runs the checks for `status` on a built model.
pub fn diagnose(
    network: &Network,
    model: &Model,
    status: SolveStatus,
    settings: &SolverSettings,
) -> Diagnosis {
    let mut findings = Vec::new();
    // Each auxiliary LP gets at most a minute, so that a diagnosis never outlasts the solve by much.
    let mut settings = settings.clone();
    settings
        .options
        .push(("time_limit".to_owned(), DIAGNOSTIC_TIME_LIMIT_S.to_owned()));
    let settings = &settings;
    if matches!(
        status,
        SolveStatus::Unbounded | SolveStatus::InfeasibleOrUnbounded
    ) {
        check_unbounded(network, &mut findings);
    }
    if matches!(
        status,
        SolveStatus::Infeasible | SolveStatus::InfeasibleOrUnbounded
    ) || (status == SolveStatus::Unbounded && findings.is_empty())
    {
        check_bounds(network, &mut findings);
        check_bus_supply(network, &mut findings);
        if findings.is_empty() {
            check_primary_energy(network, model, settings, &mut findings);
        }
        if findings.is_empty() {
            check_by_relaxing_families(&model.lp, settings, &mut findings);
        }
    }
    Diagnosis { status, findings }
}

fn check_unbounded(network: &Network, findings: &mut Vec<Finding>) {
    let mut check = |family: &str, name: &str, capital_cost: f64, extendable: bool, max: f64| {
        if extendable && capital_cost < 0.0 && max == f64::INFINITY {
            findings.push(Finding {
                amount: None,
                family: family.to_owned(),
                bus: None,
                snapshot: None,
                component: Some(name.to_owned()),
                message: format!(
                    "`{name}` has a negative capital cost ({capital_cost}) and no upper capacity limit (`p_nom_max = inf`), so building more always lowers the cost"
                ),
            });
        }
    };
    let capacities = (network
        .generators
        .iter()
        .map(|c| ("Generator-p_nom", &c.name, &c.capacity)))
    .chain(
        network
            .storage_units
            .iter()
            .map(|c| ("StorageUnit-p_nom", &c.name, &c.capacity)),
    )
    .chain(
        network
            .links
            .iter()
            .map(|c| ("Link-p_nom", &c.name, &c.capacity)),
    )
    .chain(
        network
            .lines
            .iter()
            .map(|c| ("Line-s_nom", &c.name, &c.capacity)),
    );
    for (family, name, capacity) in capacities {
        check(
            family,
            name,
            capacity.capital_cost,
            capacity.extendable,
            capacity.max,
        );
    }
}

fn check_bounds(network: &Network, findings: &mut Vec<Finding>) {
    let n_t = network.snapshots.len();
    for generator in &network.generators {
        for t in 0..n_t {
            let (low, high) = (generator.p_min_pu.at(t), generator.p_max_pu.at(t));
            if low > high + TOLERANCE {
                findings.push(Finding {
                    amount: None,
                    family: "Generator-p".to_owned(),
                    bus: Some(network.buses[generator.bus].name.clone()),
                    snapshot: Some(network.snapshots.names[t].clone()),
                    component: Some(generator.name.clone()),
                    message: format!(
                        "`p_min_pu` ({low}) exceeds `p_max_pu` ({high}) for generator `{}` at snapshot {}",
                        generator.name, network.snapshots.names[t]
                    ),
                });
                break;
            }
        }
    }
}

/// Most a bus can receive and must absorb in a snapshot, each asset at its largest capacity.
fn check_bus_supply(network: &Network, findings: &mut Vec<Finding>) {
    let n_t = network.snapshots.len();
    let n_buses = network.buses.len();
    let mut max_supply = vec![0.0f64; n_buses * n_t];
    let mut max_absorb = vec![0.0f64; n_buses * n_t];
    let mut must_run = vec![0.0f64; n_buses * n_t];
    // A committable generator that `min_up_time` keeps on, per bus and snapshot (the first one).
    let mut kept_on: Vec<Option<&crate::network::Generator>> = vec![None; n_buses * n_t];
    let mut demand = vec![0.0f64; n_buses * n_t];
    let cap_min = |c: &crate::network::Capacity| {
        if c.extendable {
            c.min.max(0.0)
        } else {
            c.nominal
        }
    };
    for generator in &network.generators {
        let upper = generator.capacity.upper();
        for t in 0..n_t {
            // Outside its investment periods an asset neither supplies nor absorbs.
            if !network.is_active(&generator.capacity, t) {
                continue;
            }
            let k = generator.bus * n_t + t;
            let high = generator.p_max_pu.at(t) * upper * generator.sign;
            let low = generator.p_min_pu.at(t) * cap_min(&generator.capacity) * generator.sign;
            if high > 0.0 {
                max_supply[k] += high;
            } else {
                max_absorb[k] -= high;
            }
            // A committable unit may be off, so its `p_min_pu` is no must-run, unless its
            // minimum up time keeps it on from before the first snapshot.
            let forced_on =
                generator.operation.committable && kept_on_by_history(&generator.operation, t);
            if low > 0.0 && (!generator.operation.committable || forced_on) {
                must_run[k] += low;
                if forced_on && kept_on[k].is_none() {
                    kept_on[k] = Some(generator);
                }
            }
        }
    }
    for unit in &network.storage_units {
        let upper = unit.capacity.upper();
        for t in 0..n_t {
            if !network.is_active(&unit.capacity, t) {
                continue;
            }
            let k = unit.bus * n_t + t;
            max_supply[k] += (unit.p_max_pu.at(t) * upper).max(0.0);
            max_absorb[k] += (-unit.p_min_pu.at(t) * upper).max(0.0);
        }
    }
    for link in &network.links {
        let upper = link.capacity.upper();
        for t in 0..n_t {
            if !network.is_active(&link.capacity, t) {
                continue;
            }
            let forward = (link.p_max_pu.at(t) * upper).max(0.0);
            let backward = (-link.p_min_pu.at(t) * upper).max(0.0);
            max_supply[link.bus1 * n_t + t] += forward * link.efficiency.max(0.0);
            max_absorb[link.bus0 * n_t + t] += forward;
            max_supply[link.bus0 * n_t + t] += backward;
            max_absorb[link.bus1 * n_t + t] += backward * link.efficiency.max(0.0);
        }
    }
    for line in &network.lines {
        let upper = line.capacity.upper();
        for t in 0..n_t {
            let limit = (line.s_max_pu.at(t) * upper).abs();
            for bus in [line.bus0, line.bus1] {
                max_supply[bus * n_t + t] += limit;
                max_absorb[bus * n_t + t] += limit;
            }
        }
    }
    for load in &network.loads {
        for t in 0..n_t {
            demand[load.bus * n_t + t] -= load.sign * load.p_set.at(t);
        }
    }
    for (b, bus) in network.buses.iter().enumerate() {
        let mut short: Vec<(usize, f64)> = Vec::new();
        let mut surplus: Vec<(usize, f64)> = Vec::new();
        for t in 0..n_t {
            let k = b * n_t + t;
            let scale = 1.0 + demand[k].abs();
            if demand[k] > max_supply[k] + TOLERANCE * scale {
                short.push((t, demand[k] - max_supply[k]));
            }
            if must_run[k] > demand[k] + max_absorb[k] + TOLERANCE * scale {
                surplus.push((t, must_run[k] - demand[k] - max_absorb[k]));
            }
        }
        if let Some(&(worst_t, _)) = short
            .iter()
            .max_by(|a, b| a.1.partial_cmp(&b.1).unwrap_or(std::cmp::Ordering::Equal))
        {
            let k = b * n_t + worst_t;
            findings.push(Finding {
                amount: None,
                family: "Bus-balance".to_owned(),
                bus: Some(bus.name.clone()),
                snapshot: Some(network.snapshots.names[worst_t].clone()),
                component: None,
                message: format!(
                    "demand {:.1} MW exceeds the maximum available supply {:.1} MW (generation, storage discharge and imports at their largest possible capacity) at bus `{}`, snapshot {} (index {worst_t}); {} snapshot(s) short at this bus",
                    demand[k], max_supply[k], bus.name, network.snapshots.names[worst_t], short.len()
                ),
            });
        }
        if let Some(&(worst_t, _)) = surplus
            .iter()
            .max_by(|a, b| a.1.partial_cmp(&b.1).unwrap_or(std::cmp::Ordering::Equal))
        {
            let k = b * n_t + worst_t;
            if let Some(unit) = kept_on[k] {
                let op = &unit.operation;
                findings.push(Finding {
                    amount: None,
                    family: "Generator-com-up-time".to_owned(),
                    bus: Some(bus.name.clone()),
                    snapshot: Some(network.snapshots.names[worst_t].clone()),
                    component: Some(unit.name.clone()),
                    message: format!(
                        "committable generator `{}` must stay on at snapshot {} (index {worst_t}) because of `min_up_time` {} and its status before the first snapshot (`up_time_before` {}, `down_time_before` {}); with `p_min_pu` its output and other must-run output, {:.1} MW, exceed demand plus all possible storage charging and exports, {:.1} MW, at bus `{}`",
                        unit.name,
                        network.snapshots.names[worst_t],
                        op.min_up_time,
                        op.up_time_before,
                        op.down_time_before,
                        must_run[k],
                        demand[k] + max_absorb[k],
                        bus.name
                    ),
                });
                continue;
            }
            findings.push(Finding {
                amount: None,
                family: "Bus-balance".to_owned(),
                bus: Some(bus.name.clone()),
                snapshot: Some(network.snapshots.names[worst_t].clone()),
                component: None,
                message: format!(
                    "must-run output {:.1} MW (`p_min_pu`) exceeds demand plus all possible storage charging and exports {:.1} MW at bus `{}`, snapshot {} (index {worst_t}); {} snapshot(s) affected",
                    must_run[k], demand[k] + max_absorb[k], bus.name, network.snapshots.names[worst_t], surplus.len()
                ),
            });
        }
    }
}

/// True when a committable unit's start-ups before the first snapshot (`up_time_before`,
/// `down_time_before`) and `min_up_time` force it on at snapshot `t` (see `build::commitment`).
fn kept_on_by_history(operation: &crate::network::Operation, t: usize) -> bool {
    let before = |k: usize| crate::build::commitment::status_before(operation, k);
    (1..operation.min_up_time)
        .filter(|lag| lag + t < operation.min_up_time)
        .any(|lag| before(lag) - before(lag + 1) > 0.0)
}

/// Least emissions the other constraints allow, by an LP that minimises the constraint's row.
fn check_primary_energy(
    network: &Network,
    model: &Model,
    settings: &SolverSettings,
    findings: &mut Vec<Finding>,
) {
    for (constraint, &row) in network
        .global_constraints
        .iter()
        .zip(&model.index.global_constraint_rows)
    {
        let mut lp = model.lp.clone();
        lp.col_cost.iter_mut().for_each(|cost| *cost = 0.0);
        for global_row in &model.index.global_constraint_rows {
            lp.row_lower[*global_row] = f64::NEG_INFINITY;
            lp.row_upper[*global_row] = f64::INFINITY;
        }
        for ((triplet_row, col), value) in lp
            .triplet_rows
            .iter()
            .zip(&lp.triplet_cols)
            .zip(&lp.triplet_values)
        {
            if *triplet_row as usize == row {
                lp.col_cost[*col as usize] += value;
            }
        }
        let minimise = constraint.sense != ConstraintSense::GreaterEqual;
        if !minimise {
            lp.col_cost.iter_mut().for_each(|cost| *cost = -*cost);
        }
        let Ok(solution) = highs_backend::solve(&lp, settings) else {
            continue;
        };
        if solution.status != SolveStatus::Optimal {
            continue;
        }
        let extreme = if minimise {
            solution.objective
        } else {
            -solution.objective
        };
        let rhs = if minimise {
            model.lp.row_upper[row]
        } else {
            model.lp.row_lower[row]
        };
        let scale = 1.0 + rhs.abs();
        let violated = if minimise {
            extreme > rhs + TOLERANCE * scale
        } else {
            extreme < rhs - TOLERANCE * scale
        };
        if violated {
            let what = if minimise { "minimum" } else { "maximum" };
            findings.push(Finding {
                amount: None,
                family: "GlobalConstraint".to_owned(),
                bus: None,
                snapshot: None,
                component: Some(constraint.name.clone()),
                message: format!(
                    "`{}`: the {what} possible emissions, {extreme:.1} t CO2, cannot meet the limit {} {:.1} t",
                    constraint.name,
                    constraint.sense.as_str(),
                    constraint.constant
                ),
            });
        }
    }
}

/// Relaxes each row family in turn and names those whose relaxation restores feasibility.
fn check_by_relaxing_families(
    lp: &LinearProgram,
    settings: &SolverSettings,
    findings: &mut Vec<Finding>,
) {
    let mut names: Vec<&str> = lp.row_families.iter().map(|f| f.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    for name in names {
        let mut relaxed = lp.clone();
        relaxed.col_cost.iter_mut().for_each(|cost| *cost = 0.0);
        for family in lp.row_families.iter().filter(|f| f.name == name) {
            for row in family.start..family.start + family.len {
                relaxed.row_lower[row] = f64::NEG_INFINITY;
                relaxed.row_upper[row] = f64::INFINITY;
            }
        }
        if let Ok(solution) = highs_backend::solve(&relaxed, settings) {
            if solution.status == SolveStatus::Optimal {
                findings.push(Finding {
                    amount: None,
                    family: name.to_owned(),
                    bus: None,
                    snapshot: None,
                    component: None,
                    message: format!(
                        "the model becomes feasible when the `{name}` constraints are dropped; check the data they are built from"
                    ),
                });
            }
        }
    }
}

/// Explains an infeasible model by its policy rows: every row of `families` gets slack columns
/// of cost 1 (all other costs zero, integers relaxed), the elastic model is solved, and each row
/// whose slack is positive is a finding with the amount it had to be relaxed, largest first.
/// Empty when the elastic model has no solution either.
pub fn elastic(lp: &LinearProgram, families: &[&str], settings: &SolverSettings) -> Vec<Finding> {
    let (elastic, slacks) = lp.elastic(families);
    let Ok(relaxed) = highs_backend::solve(&elastic, settings) else {
        return Vec::new();
    };
    if !relaxed.has_solution {
        return Vec::new();
    }
    let mut findings: Vec<Finding> = slacks
        .into_iter()
        .filter_map(|(col, row)| {
            let amount = relaxed.col_values[col];
            if amount <= 1e-6 {
                return None;
            }
            let family = lp.row_family(row)?;
            let (label, snapshot) = family.locate(row);
            Some(Finding {
                amount: Some(amount),
                family: family.name.clone(),
                bus: None,
                snapshot: snapshot.map(|t| t.to_string()),
                component: (!label.is_empty()).then(|| label.to_owned()),
                message: format!(
                    "`{}` had to be relaxed by {amount} for a solution to exist",
                    lp.row_name(row)
                ),
            })
        })
        .collect();
    findings.sort_by(|a, b| b.amount.unwrap_or(0.0).total_cmp(&a.amount.unwrap_or(0.0)));
    findings
}
