//! Results of a solve, per component and snapshot, in PyPSA's terms.
//!
//! It exists so that callers never index the LP solution themselves: capacities (`p_nom_opt`),
//! dispatch, state of charge, flows, nodal prices, the CO2 total and price, and curtailment.

use crate::build::{CommitmentColumns, ModelIndex};
use crate::highs_backend::{LpSolution, SolveStatus};
use crate::network::{GlobalConstraint, Network};

/// Per-component results; every time series has one value per snapshot.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneratorResult {
    pub p_nom_opt: f64,
    /// MW.
    pub p: Vec<f64>,
    /// Available minus dispatched energy, MWh weighted by the `generators` weighting
    /// (PyPSA's `statistics.curtailment`); non-zero only for time-varying `p_max_pu`.
    pub curtailment_mwh: f64,
    /// Weighted energy, MWh.
    pub energy_mwh: f64,
    /// Commitment status per snapshot (units or modules on); empty when not committable.
    pub status: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StorageUnitResult {
    pub p_nom_opt: f64,
    pub p_dispatch: Vec<f64>,
    pub p_store: Vec<f64>,
    /// `p_dispatch − p_store`.
    pub p: Vec<f64>,
    pub state_of_charge: Vec<f64>,
    pub spill: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LinkResult {
    pub p_nom_opt: f64,
    /// Withdrawn at bus0.
    pub p0: Vec<f64>,
    /// `−efficiency · p0`: negative when delivering at bus1.
    pub p1: Vec<f64>,
    /// Commitment status per snapshot; empty when not committable.
    pub status: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LineResult {
    pub s_nom_opt: f64,
    pub p0: Vec<f64>,
    pub p1: Vec<f64>,
}

/// One of the network's emission limits after a solve: core and planning results share it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GlobalConstraintResult {
    pub name: String,
    /// Value of the constrained quantity (t CO2).
    pub value: f64,
    /// Dual of the row, PyPSA's `mu` (≤ 0 for a binding `<=` cap in a minimisation).
    pub mu: f64,
}

/// Everything a solve produced. Vectors follow the network's component order.
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    pub status: SolveStatus,
    pub objective: f64,
    pub generators: Vec<GeneratorResult>,
    pub storage_units: Vec<StorageUnitResult>,
    pub links: Vec<LinkResult>,
    pub lines: Vec<LineResult>,
    /// Nodal prices, currency per MWh: balance dual divided by the objective weighting,
    /// `[bus][snapshot]`.
    pub marginal_price: Vec<Vec<f64>>,
    pub global_constraints: Vec<GlobalConstraintResult>,
    /// Total emissions with PyPSA's primary-energy rule (generators only), t.
    pub co2_t: f64,
    /// HiGHS's relative MIP gap when the model had integer columns; 0 for an LP.
    /// Duals (prices, `mu`) of a MILP are not meaningful and read 0 when HiGHS gives none.
    pub mip_gap: f64,
    /// True when the model had integer columns (`committable`, `p_nom_mod`).
    pub is_mip: bool,
}

fn slice(values: &[f64], start: usize, len: usize) -> Vec<f64> {
    values
        .get(start..start + len)
        .map_or_else(|| vec![0.0; len], <[f64]>::to_vec)
}

fn capacity_opt(values: &[f64], col: Option<usize>, nominal: f64) -> f64 {
    let value = col
        .and_then(|col| values.get(col).copied())
        .unwrap_or(nominal);
    // Crossover can leave a capacity at -0.0; report it as 0.
    if value == 0.0 {
        0.0
    } else {
        value
    }
}

/// Reads the results of an optimal (or any) solution back into network terms.
pub fn extract(network: &Network, index: &ModelIndex, solution: &LpSolution) -> Results {
    let x = &solution.col_values;
    let n_t = index.n_snapshots;
    let generators = network
        .generators
        .iter()
        .enumerate()
        .map(|(g, generator)| {
            let p = slice(x, index.generator_p(g, 0), n_t);
            let p_nom_opt = capacity_opt(x, index.generator_p_nom[g], generator.capacity.nominal);
            let mut curtailment_mwh = 0.0;
            let mut energy_mwh = 0.0;
            for (t, p_t) in p.iter().enumerate() {
                let weight = network.snapshots.generators[t];
                energy_mwh += weight * p_t;
                if generator.p_max_pu.is_varying() {
                    let available = generator.p_max_pu.at(t) * p_nom_opt;
                    curtailment_mwh += weight * (available - p_t).max(0.0);
                }
            }
            GeneratorResult {
                p_nom_opt,
                p,
                curtailment_mwh,
                energy_mwh,
                status: status_of(x, index.generator_commitment.get(g), n_t),
            }
        })
        .collect();
    let storage_units = network
        .storage_units
        .iter()
        .enumerate()
        .map(|(s, unit)| {
            let p_dispatch = slice(x, index.storage_p_dispatch(s, 0), n_t);
            let p_store = slice(x, index.storage_p_store(s, 0), n_t);
            let p = p_dispatch
                .iter()
                .zip(&p_store)
                .map(|(dispatch, store)| dispatch - store)
                .collect();
            StorageUnitResult {
                p_nom_opt: capacity_opt(x, index.storage_p_nom[s], unit.capacity.nominal),
                p,
                p_dispatch,
                p_store,
                state_of_charge: slice(x, index.storage_state_of_charge(s, 0), n_t),
                spill: index.storage_spill[s]
                    .map_or_else(|| vec![0.0; n_t], |start| slice(x, start, n_t)),
            }
        })
        .collect();
    let links = network
        .links
        .iter()
        .enumerate()
        .map(|(l, link)| {
            let p0 = slice(x, index.link_p(l, 0), n_t);
            let p1 = p0.iter().map(|p| -link.efficiency * p).collect();
            LinkResult {
                p_nom_opt: capacity_opt(x, index.link_p_nom[l], link.capacity.nominal),
                p0,
                p1,
                status: status_of(x, index.link_commitment.get(l), n_t),
            }
        })
        .collect();
    let lines = network
        .lines
        .iter()
        .enumerate()
        .map(|(l, line)| {
            let p0 = slice(x, index.line_s(l, 0), n_t);
            let p1 = p0.iter().map(|p| -p).collect();
            LineResult {
                s_nom_opt: capacity_opt(x, index.line_s_nom[l], line.capacity.nominal),
                p0,
                p1,
            }
        })
        .collect();
    let duals = &solution.row_duals;
    let marginal_price = (0..network.buses.len())
        .map(|b| {
            (0..n_t)
                .map(|t| {
                    // PyPSA divides by the objective weighting, times the period's in a
                    // multi-period network.
                    let weight = network.objective_weight(t);
                    let dual = duals.get(index.balance_row(b, t)).copied().unwrap_or(0.0);
                    if weight != 0.0 {
                        dual / weight
                    } else {
                        0.0
                    }
                })
                .collect()
        })
        .collect();
    let co2_t = co2_of(network, x, index);
    let global_constraints = network
        .global_constraints
        .iter()
        .zip(&index.global_constraint_rows)
        .map(|(constraint, row)| GlobalConstraintResult {
            name: constraint.name.clone(),
            value: primary_energy_of(network, x, index, constraint),
            mu: duals.get(*row).copied().unwrap_or(0.0),
        })
        .collect();
    Results {
        status: solution.status,
        objective: solution.objective,
        generators,
        storage_units,
        links,
        lines,
        marginal_price,
        global_constraints,
        co2_t,
        mip_gap: solution.mip_gap,
        is_mip: solution.is_mip,
    }
}

fn status_of(x: &[f64], columns: Option<&Option<CommitmentColumns>>, n_t: usize) -> Vec<f64> {
    match columns.copied().flatten() {
        Some(columns) => slice(x, columns.status, n_t),
        None => Vec::new(),
    }
}

/// The generators' part of a global constraint's row, at the solution.
fn primary_energy_of(
    network: &Network,
    x: &[f64],
    index: &ModelIndex,
    constraint: &GlobalConstraint,
) -> f64 {
    let n_t = index.n_snapshots;
    let mut total = 0.0;
    for (g, generator) in network.generators.iter().enumerate() {
        let emission = network.carrier_attribute(&generator.carrier, &constraint.carrier_attribute);
        if emission == 0.0 || generator.efficiency == 0.0 {
            continue;
        }
        for t in 0..n_t {
            let p = x.get(index.generator_p(g, t)).copied().unwrap_or(0.0);
            total +=
                network.primary_energy_weight(constraint, t) * p / generator.efficiency * emission;
        }
    }
    total
}

/// CO2 of generators with PyPSA's rule: `Σ w_gen · p / efficiency · co2_emissions` (times the
/// periods' `years` in a multi-period network: the horizon's total).
fn co2_of(network: &Network, x: &[f64], index: &ModelIndex) -> f64 {
    let whole_horizon = GlobalConstraint {
        name: String::new(),
        carrier_attribute: "co2_emissions".to_owned(),
        sense: crate::network::ConstraintSense::LessEqual,
        constant: 0.0,
        investment_period: None,
    };
    primary_energy_of(network, x, index, &whole_horizon)
}
