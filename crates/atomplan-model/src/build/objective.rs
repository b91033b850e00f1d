//! The objective, created once: capital cost of extendable capacity plus weighted operating cost.

// Loops run over snapshot, row and column indices shared by several arrays.
#![allow(clippy::needless_range_loop)]

use crate::build::variables::ModelIndex;
use crate::lp::LinearProgram;
use crate::network::Network;

/// Sets every column cost (PyPSA with `include_objective_constant=False`):
/// $$\sum_{a\,ext} c^{cap}_a P_a + \sum_t w^{obj}_t \Big(\sum_g o_{g,t}\, p_{g,t} +
///   \sum_s o_{s,t}\, p^{dis}_{s,t} + \sum_l o_{l,t}\, p_{l,t}\Big)$$
/// Existing non-extendable capacity carries no cost term at all (PyPSA reports it nowhere in the
/// objective either). In a multi-period network $w^{obj}_t$ also carries the period's weighting
/// and $c^{cap}_a$ the sum of the weightings of the periods the asset is active in (`periods.rs`).
pub fn add_objective(network: &Network, index: &ModelIndex, lp: &mut LinearProgram) {
    let n_t = index.n_snapshots;
    let weights: Vec<f64> = (0..n_t).map(|t| network.objective_weight(t)).collect();
    for (g, generator) in network.generators.iter().enumerate() {
        for t in 0..n_t {
            lp.col_cost[index.generator_p(g, t)] = weights[t] * generator.marginal_cost.at(t);
        }
        if let Some(col) = index.generator_p_nom[g] {
            lp.col_cost[col] =
                generator.capacity.capital_cost * network.capital_cost_weight(&generator.capacity);
        }
    }
    for (s, unit) in network.storage_units.iter().enumerate() {
        for t in 0..n_t {
            lp.col_cost[index.storage_p_dispatch(s, t)] = weights[t] * unit.marginal_cost.at(t);
        }
        if let Some(col) = index.storage_p_nom[s] {
            lp.col_cost[col] =
                unit.capacity.capital_cost * network.capital_cost_weight(&unit.capacity);
        }
    }
    for (l, link) in network.links.iter().enumerate() {
        for t in 0..n_t {
            lp.col_cost[index.link_p(l, t)] = weights[t] * link.marginal_cost.at(t);
        }
        if let Some(col) = index.link_p_nom[l] {
            lp.col_cost[col] =
                link.capacity.capital_cost * network.capital_cost_weight(&link.capacity);
        }
    }
    for (l, line) in network.lines.iter().enumerate() {
        if let Some(col) = index.line_s_nom[l] {
            lp.col_cost[col] =
                line.capacity.capital_cost * network.capital_cost_weight(&line.capacity);
        }
    }
}
