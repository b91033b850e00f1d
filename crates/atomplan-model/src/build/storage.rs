//! Storage-unit constraint families: power and energy limits of extendable units, the
//! state-of-charge balance, and their nodal-balance terms.

use crate::build::periods::{self, Previous};
use crate::build::variables::ModelIndex;
use crate::lp::{Labels, LinearProgram, Triplets};
use crate::network::Network;

/// For extendable units, with capacity $P_s$:
/// $$p^{dis}_{s,t} \le p_{max}(t) P_s,\quad p^{sto}_{s,t} \le -p_{min}(t) P_s,\quad
///   e_{s,t} \le h_s P_s$$
/// A per-unit limit of 0 is left to the column bound (`p ≥ 0` and a zero upper bound).
pub fn add_power_and_energy_limits_for_extendable_storage(
    network: &Network,
    index: &ModelIndex,
    lp: &mut LinearProgram,
) {
    let n_t = index.n_snapshots;
    let labels: Labels = network
        .storage_units
        .iter()
        .map(|unit| unit.name.clone())
        .collect::<Vec<_>>()
        .into();
    // (family, column of (s, t), coefficient of P at (s, t)).
    type Limit<'a> = (
        &'a str,
        fn(&ModelIndex, usize, usize) -> usize,
        fn(&crate::network::StorageUnit, usize) -> f64,
    );
    let limits: [Limit<'_>; 3] = [
        (
            "StorageUnit-ext-p_dispatch-upper",
            ModelIndex::storage_p_dispatch,
            |unit, t| unit.p_max_pu.at(t),
        ),
        (
            "StorageUnit-ext-p_store-upper",
            ModelIndex::storage_p_store,
            |unit, t| -unit.p_min_pu.at(t),
        ),
        (
            "StorageUnit-ext-state_of_charge-upper",
            ModelIndex::storage_state_of_charge,
            |unit, _| unit.max_hours,
        ),
    ];
    for (family, column, per_unit) in limits {
        let mut entries: Vec<(u32, u32)> = Vec::new();
        let mut block = Triplets::new();
        let start = lp.n_rows();
        for (s, unit) in network.storage_units.iter().enumerate() {
            let Some(capacity_col) = index.storage_p_nom[s] else {
                continue;
            };
            // The state of a linked unit is bounded across blocks (`linked_storage.rs`).
            if family == "StorageUnit-ext-state_of_charge-upper" && network.is_linked_storage(s) {
                continue;
            }
            for t in 0..n_t {
                if !network.is_active(&unit.capacity, t) {
                    continue;
                }
                let coefficient = per_unit(unit, t);
                let col = column(index, s, t);
                if coefficient == 0.0 {
                    lp.col_upper[col] = 0.0;
                    continue;
                }
                let row = start + entries.len();
                entries.push((s as u32, t as u32));
                block.push(row, col, 1.0);
                block.push(row, capacity_col, -coefficient);
            }
        }
        let n_rows = entries.len();
        lp.add_sparse_row_family(
            family,
            labels.clone(),
            entries,
            vec![f64::NEG_INFINITY; n_rows],
            vec![0.0; n_rows],
        );
        lp.add_triplets(block);
    }
}

/// The state-of-charge balance, PyPSA's `StorageUnit-energy_balance`, with $w_t$ the `stores`
/// weighting and $\eta$ the standing efficiency $(1-\text{standing\_loss})^{w_t}$:
/// $$e_{s,t} = \eta\, e_{s,t-1} + w_t\Big(\eta^{sto} p^{sto}_{s,t} - \frac{p^{dis}_{s,t}}{\eta^{dis}} +
///   \text{inflow}_{s,t} - \text{spill}_{s,t}\Big)$$
/// where $e_{s,-1}$ is $e_{s,T-1}$ for cyclic units; for the others the first row has no previous
/// term and `state_of_charge_initial` on its right-hand side (without standing loss, as PyPSA).
/// In a multi-period network the chain runs over the unit's active snapshots, per period or over
/// the horizon ([`periods::state_of_charge_chain`]); an inactive snapshot's row is empty (0 = 0).
pub fn add_state_of_charge_balance(network: &Network, index: &ModelIndex, lp: &mut LinearProgram) {
    let n_t = index.n_snapshots;
    let n_units = network.storage_units.len();
    let labels: Vec<&str> = network
        .storage_units
        .iter()
        .map(|unit| unit.name.as_str())
        .collect();
    let mut rhs = vec![0.0; n_units * n_t];
    let mut block = Triplets::with_capacity(n_units * n_t * 4);
    let start = lp.n_rows();
    let weights = &network.snapshots.stores;
    for (s, unit) in network.storage_units.iter().enumerate() {
        let chain = periods::state_of_charge_chain(network, s);
        let dispatch_factor = if unit.efficiency_dispatch != 0.0 {
            1.0 / unit.efficiency_dispatch
        } else {
            f64::INFINITY
        };
        for t in 0..n_t {
            if chain[t] == Previous::Inactive {
                continue;
            }
            let row = start + s * n_t + t;
            let hours = weights[t];
            block.push(row, index.storage_state_of_charge(s, t), 1.0);
            if dispatch_factor.is_finite() {
                block.push(row, index.storage_p_dispatch(s, t), hours * dispatch_factor);
            }
            block.push(
                row,
                index.storage_p_store(s, t),
                -hours * unit.efficiency_store,
            );
            if let Some(spill_start) = index.storage_spill[s] {
                block.push(row, spill_start + t, hours);
            }
            rhs[s * n_t + t] = hours * unit.inflow.at(t);
            match chain[t] {
                Previous::Snapshot(previous_t) => {
                    let standing = (1.0 - unit.standing_loss).powf(hours);
                    block.push(row, index.storage_state_of_charge(s, previous_t), -standing);
                }
                Previous::Initial => rhs[s * n_t + t] += unit.state_of_charge_initial,
                Previous::BlockStart | Previous::Inactive => {}
            }
        }
    }
    lp.add_row_family("StorageUnit-energy_balance", &labels, n_t, rhs.clone(), rhs);
    lp.add_triplets(block);
}

/// Adds `sign · (p_dispatch − p_store)` to the balance row of the unit's bus.
pub fn add_storage_to_nodal_balance(
    network: &Network,
    index: &ModelIndex,
    balance_start: usize,
    lp: &mut LinearProgram,
) {
    let n_t = index.n_snapshots;
    let mut block = Triplets::with_capacity(network.storage_units.len() * n_t * 2);
    for (s, unit) in network.storage_units.iter().enumerate() {
        for t in 0..n_t {
            let row = balance_start + unit.bus * n_t + t;
            block.push(row, index.storage_p_dispatch(s, t), unit.sign);
            block.push(row, index.storage_p_store(s, t), -unit.sign);
        }
    }
    lp.add_triplets(block);
}
