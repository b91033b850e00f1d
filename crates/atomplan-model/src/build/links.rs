//! Link constraint families: flow limits of extendable links and their nodal-balance terms.

use crate::build::generators::{add_extendable_dispatch_rows, ExtendableDispatch};
use crate::build::variables::ModelIndex;
use crate::lp::{LinearProgram, Triplets};
use crate::network::Network;

/// $$p_{min,l}(t)\,P_l \le p_{l,t} \le p_{max,l}(t)\,P_l$$ for extendable links
/// (bidirectional links have `p_min_pu = −1`).
pub fn add_flow_limits_for_extendable_links(
    network: &Network,
    index: &ModelIndex,
    lp: &mut LinearProgram,
) {
    let assets: Vec<_> = network
        .links
        .iter()
        .enumerate()
        .map(|(l, link)| ExtendableDispatch {
            name: &link.name,
            capacity: &link.capacity,
            p_min_pu: &link.p_min_pu,
            p_max_pu: &link.p_max_pu,
            // Committable extendable links get their limits in `commitment.rs`.
            capacity_col: index.link_p_nom[l].filter(|_| !link.operation.committable),
            dispatch_start: index.link_p(l, 0),
        })
        .collect();
    add_extendable_dispatch_rows(network, lp, "Link-ext-p", index.n_snapshots, &assets);
}

/// A link withdraws $p_{l,t}$ at `bus0` and delivers $\eta_l\,p_{l,t}$ at `bus1`
/// (PyPSA: `p0 = p`, `p1 = −efficiency · p`), in both directions.
pub fn add_links_to_nodal_balance(
    network: &Network,
    index: &ModelIndex,
    balance_start: usize,
    lp: &mut LinearProgram,
) {
    let n_t = index.n_snapshots;
    let mut block = Triplets::with_capacity(network.links.len() * n_t * 2);
    for (l, link) in network.links.iter().enumerate() {
        for t in 0..n_t {
            let col = index.link_p(l, t);
            block.push(balance_start + link.bus0 * n_t + t, col, -1.0);
            block.push(balance_start + link.bus1 * n_t + t, col, link.efficiency);
        }
    }
    lp.add_triplets(block);
}
