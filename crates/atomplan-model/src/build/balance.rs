//! The nodal balance: one equality row per bus and snapshot, created once.
//!
//! Every component module adds its own coefficients to these rows; the loads are the right-hand
//! side. The dual of a row, divided by the snapshot's objective weighting, is the nodal price.

use crate::lp::LinearProgram;
use crate::network::Network;

/// Creates the rows $\sum_c \text{sign}_c\, p_{c,b,t} = -\sum_{d \in loads(b)} \text{sign}_d\,
/// p^{set}_{d,t}$ (with PyPSA's load sign −1, the load) and returns the first row's index.
/// The row of bus `b` at snapshot `t` is `start + b · n_snapshots + t`.
pub fn add_nodal_balance_rows(network: &Network, lp: &mut LinearProgram) -> usize {
    let n_t = network.snapshots.len();
    let mut rhs = vec![0.0; network.buses.len() * n_t];
    for load in &network.loads {
        for t in 0..n_t {
            rhs[load.bus * n_t + t] -= load.sign * load.p_set.at(t);
        }
    }
    let labels: Vec<&str> = network.buses.iter().map(|bus| bus.name.as_str()).collect();
    lp.add_row_family("Bus-balance", &labels, n_t, rhs.clone(), rhs)
}
