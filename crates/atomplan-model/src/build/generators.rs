//! Generator constraint families: dispatch limits of extendable generators and their balance terms.

use crate::build::variables::ModelIndex;
use crate::lp::{Labels, LinearProgram, Triplets};
use crate::network::{Capacity, Network, Series};

/// One extendable asset for [`add_extendable_dispatch_rows`].
pub(crate) struct ExtendableDispatch<'a> {
    pub name: &'a str,
    pub capacity: &'a Capacity,
    pub p_min_pu: &'a Series,
    pub p_max_pu: &'a Series,
    pub capacity_col: Option<usize>,
    /// Column of snapshot 0; snapshots follow.
    pub dispatch_start: usize,
}

/// Adds the rows `p_t − p_max_pu(t)·P ≤ 0` (family `<family>-upper`) and
/// `p_t − p_min_pu(t)·P ≥ 0` (`<family>-lower`) for the extendable assets of one kind.
///
/// Rows whose per-unit limit is 0 are left out: the column bound (set in `variables.rs`) already
/// says `p ≤ 0` or `p ≥ 0`.
/// $$p_{min}(t)\,P \le p_t \le p_{max}(t)\,P \qquad \forall t$$
pub(crate) fn add_extendable_dispatch_rows(
    network: &Network,
    lp: &mut LinearProgram,
    family: &str,
    n_snapshots: usize,
    assets: &[ExtendableDispatch<'_>],
) {
    let labels: Labels = assets
        .iter()
        .map(|asset| asset.name.to_owned())
        .collect::<Vec<_>>()
        .into();
    for is_upper in [true, false] {
        let mut entries: Vec<(u32, u32)> = Vec::new();
        let mut block = Triplets::new();
        let start = lp.n_rows();
        for (asset_idx, asset) in assets.iter().enumerate() {
            let Some(capacity_col) = asset.capacity_col else {
                continue;
            };
            for t in 0..n_snapshots {
                // Outside its investment periods the asset's columns are 0 and it has no rows.
                if !network.is_active(asset.capacity, t) {
                    continue;
                }
                let per_unit = if is_upper {
                    asset.p_max_pu.at(t)
                } else {
                    asset.p_min_pu.at(t)
                };
                let bound_suffices = if is_upper {
                    per_unit == 0.0
                } else {
                    per_unit == 0.0 && asset.capacity.min >= 0.0
                };
                if bound_suffices {
                    continue;
                }
                let row = start + entries.len();
                entries.push((asset_idx as u32, t as u32));
                block.push(row, asset.dispatch_start + t, 1.0);
                block.push(row, capacity_col, -per_unit);
            }
        }
        let n_rows = entries.len();
        let (lower, upper, suffix) = if is_upper {
            (vec![f64::NEG_INFINITY; n_rows], vec![0.0; n_rows], "upper")
        } else {
            (vec![0.0; n_rows], vec![f64::INFINITY; n_rows], "lower")
        };
        lp.add_sparse_row_family(
            &format!("{family}-{suffix}"),
            labels.clone(),
            entries,
            lower,
            upper,
        );
        lp.add_triplets(block);
    }
}

/// $$p_{min,g}(t)\,P_g \le p_{g,t} \le p_{max,g}(t)\,P_g$$ for extendable generators.
pub fn add_dispatch_limits_for_extendable_generators(
    network: &Network,
    index: &ModelIndex,
    lp: &mut LinearProgram,
) {
    let assets: Vec<_> = network
        .generators
        .iter()
        .enumerate()
        .map(|(g, generator)| ExtendableDispatch {
            name: &generator.name,
            capacity: &generator.capacity,
            p_min_pu: &generator.p_min_pu,
            p_max_pu: &generator.p_max_pu,
            // Committable extendable generators get their limits in `commitment.rs`.
            capacity_col: index.generator_p_nom[g].filter(|_| !generator.operation.committable),
            dispatch_start: index.generator_p(g, 0),
        })
        .collect();
    add_extendable_dispatch_rows(network, lp, "Generator-ext-p", index.n_snapshots, &assets);
}

/// Adds `sign_g · p_{g,t}` to the balance row of the generator's bus.
pub fn add_generators_to_nodal_balance(
    network: &Network,
    index: &ModelIndex,
    balance_start: usize,
    lp: &mut LinearProgram,
) {
    let n_t = index.n_snapshots;
    let mut block = Triplets::with_capacity(network.generators.len() * n_t);
    for (g, generator) in network.generators.iter().enumerate() {
        for t in 0..n_t {
            block.push(
                balance_start + generator.bus * n_t + t,
                index.generator_p(g, t),
                generator.sign,
            );
        }
    }
    lp.add_triplets(block);
}
