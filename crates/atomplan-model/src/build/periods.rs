//! Investment periods as a level of the snapshot axis: PyPSA's multi-investment optimisation
//! (`n.optimize(multi_investment_periods=True)`).
//!
//! The snapshot axis is ordered by period; snapshot $t$ belongs to period $y(t)$ and each period
//! has an `objective` weighting $W_y$ (a discount factor summed over the years it stands for, as
//! the modeller sets it). An asset $a$ is active in period $y$ when
//! $\text{build\_year}_a \le y < \text{build\_year}_a + \text{lifetime}_a$, and an extendable
//! asset has one capacity column $P_a$ for the whole horizon. Then:
//!
//! - outside its active periods an asset's operating columns are fixed at 0 and its rows are left
//!   out (PyPSA masks them), here in `variables.rs` (bounds), `generators.rs` and `links.rs`
//!   (limit rows) and `storage.rs` (limit rows and the state-of-charge chain);
//! - the objective weights operating cost by $w^{obj}_t\,W_{y(t)}$ and capital cost by the sum of
//!   the weightings of the periods the asset is active in:
//!   $$\sum_a c_a P_a \sum_{y:\,a \text{ active}} W_y + \sum_t w^{obj}_t W_{y(t)} \sum_a o_{a,t}\,p_{a,t}$$
//!   (`objective.rs`, through [`Network::objective_weight`] and
//!   [`Network::capital_cost_weight`]);
//! - the state of charge of a storage unit runs over its active snapshots only: one chain over
//!   the horizon (cyclic or from `state_of_charge_initial`), or one chain per period when
//!   `cyclic_state_of_charge_per_period` or `state_of_charge_initial_per_period` is set
//!   ([`state_of_charge_chain`]).
//!
//! Families that need more than activity and weights:
//!
//! - global constraints (`global.rs`): generator energy weighted by the period's `years`, over
//!   the horizon or over the constraint's `investment_period`;
//! - ramp limits of units that are not committable (`ramping.rs`): no row at the first snapshot
//!   of each period after the first;
//! - unit commitment of a unit active in every period (`commitment.rs`): as on one axis, its
//!   status running on over period boundaries as in PyPSA, with stand-by cost weighted by the
//!   period;
//! - `p_nom_mod` as in one period: a module count does not depend on the period.
//!
//! What the core does not yet take in a multi-period network is refused by [`check`], with the
//! component named: a committable unit active in some periods only (PyPSA masks its rows there),
//! a global constraint over a non-cyclic storage unit whose carrier emits (PyPSA counts its
//! drawdown per period) and a line active in some periods only (Kirchhoff's voltage law would
//! need one cycle basis per period).

use crate::network::{Network, StorageUnit};
use crate::Error;

/// Refuses what the core does not take in a multi-period network; a network of one period
/// passes unchanged.
///
/// # Errors
/// `Error::Unsupported`, naming the component and the attribute.
pub fn check(network: &Network) -> Result<(), Error> {
    if !network.is_multi_period() {
        return Ok(());
    }
    let refuse = |what: String| {
        Err(Error::Unsupported(format!(
            "{what} in a multi-period network"
        )))
    };
    let committable = network
        .generators
        .iter()
        .map(|g| ("generator", &g.name, &g.operation, &g.capacity))
        .chain(
            network
                .links
                .iter()
                .map(|l| ("link", &l.name, &l.operation, &l.capacity)),
        )
        .filter(|(_, _, operation, _)| operation.committable);
    for (kind, name, _, capacity) in committable {
        // A committable unit's status runs on over period boundaries in PyPSA, as on one axis;
        // one that is active in some periods only has its rows masked there, not built here.
        if network
            .investment_periods
            .iter()
            .any(|p| !capacity.active_in(p.period))
        {
            return refuse(format!(
                "{kind} `{name}`: `committable` and active in some periods only (`build_year`, `lifetime`)"
            ));
        }
    }
    if let Some(line) = network.lines.iter().find(|line| {
        network
            .investment_periods
            .iter()
            .any(|p| !line.capacity.active_in(p.period))
    }) {
        return refuse(format!(
            "line `{}` active in some periods only (`build_year`, `lifetime`)",
            line.name
        ));
    }
    // PyPSA counts a non-cyclic emitting storage unit's drawdown per period, weighted by the
    // period's years; not built here yet.
    for constraint in &network.global_constraints {
        if let Some(unit) = network.storage_units.iter().find(|unit| {
            !unit.cyclic_state_of_charge
                && network.carrier_attribute(&unit.carrier, &constraint.carrier_attribute) != 0.0
        }) {
            return refuse(format!(
                "global constraint `{}` over the non-cyclic emitting storage unit `{}`",
                constraint.name, unit.name
            ));
        }
    }
    Ok(())
}

/// Where the state-of-charge row of one snapshot takes its previous state from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Previous {
    /// The unit is not active: no row, its columns are 0.
    Inactive,
    /// The state of charge at this snapshot.
    Snapshot(usize),
    /// `state_of_charge_initial` (the first snapshot of a chain that is not cyclic).
    Initial,
    /// The first snapshot of a representative block whose state of charge is linked across the
    /// year (`linked_storage.rs`): the state within the block starts from 0.
    BlockStart,
}

/// For each snapshot, where a storage unit's state of charge comes from (PyPSA's
/// `define_storage_unit_constraints`):
///
/// - one period: $t-1$, and for the first snapshot the last one (cyclic) or the initial state;
/// - several periods: the chain runs over the unit's active snapshots. With
///   `cyclic_state_of_charge_per_period` or `state_of_charge_initial_per_period` there is one
///   chain per period, whose first snapshot wraps to the period's last (cyclic per period, which
///   wins when both are set) or starts from the initial state; otherwise one chain over the
///   horizon, cyclic or not as `cyclic_state_of_charge` says.
pub fn state_of_charge_chain(network: &Network, s: usize) -> Vec<Previous> {
    let n_t = network.snapshots.len();
    let unit = &network.storage_units[s];
    if let Some(representative) = &network.representative {
        let linked = representative.linked.get(s).copied().unwrap_or(false);
        return block_chain(network, unit, representative.block_snapshots, linked);
    }
    let per_period = network.is_multi_period()
        && (unit.cyclic_state_of_charge_per_period || unit.state_of_charge_initial_per_period);
    let cyclic = if per_period {
        unit.cyclic_state_of_charge_per_period
    } else {
        unit.cyclic_state_of_charge
    };
    // The chains: runs of active snapshots, split at period starts when per period.
    let mut chains: Vec<Vec<usize>> = Vec::new();
    for t in (0..n_t).filter(|&t| network.is_active(&unit.capacity, t)) {
        let starts_chain = match chains.last().and_then(|chain| chain.last()) {
            None => true,
            Some(&last) => per_period && network.period_index(last) != network.period_index(t),
        };
        if starts_chain {
            chains.push(vec![t]);
        } else if let Some(chain) = chains.last_mut() {
            chain.push(t);
        }
    }
    let mut previous = vec![Previous::Inactive; n_t];
    for chain in &chains {
        for (k, &t) in chain.iter().enumerate() {
            previous[t] = if k > 0 {
                Previous::Snapshot(chain[k - 1])
            } else if cyclic {
                Previous::Snapshot(chain[chain.len() - 1])
            } else {
                Previous::Initial
            };
        }
    }
    previous
}

/// On representative blocks (`Network::representative`), each block of each period is its own
/// chain: the state wraps from the block's first snapshot to its last (cycling within the
/// block), or, for a unit linked across the year, the state within the block starts from 0
/// ([`Previous::BlockStart`]).
fn block_chain(network: &Network, unit: &StorageUnit, size: usize, linked: bool) -> Vec<Previous> {
    let n_t = network.snapshots.len();
    let size = size.max(1);
    let mut previous = vec![Previous::Inactive; n_t];
    let mut local = 0;
    for (t, previous_t) in previous.iter_mut().enumerate() {
        if t > 0 && network.period_index(t) != network.period_index(t - 1) {
            local = 0;
        }
        if network.is_active(&unit.capacity, t) {
            *previous_t = match (local % size, linked) {
                (0, true) => Previous::BlockStart,
                (0, false) => Previous::Snapshot(t + size - 1),
                _ => Previous::Snapshot(t - 1),
            };
        }
        local += 1;
    }
    previous
}

/// Fixes at 0 the operating columns of every asset at the snapshots of periods it is not active
/// in (PyPSA leaves those variables out).
pub fn fix_inactive_columns(
    network: &Network,
    index: &crate::build::ModelIndex,
    lp: &mut crate::lp::LinearProgram,
) {
    if !network.is_multi_period() {
        return;
    }
    let mut fix = |col: usize| {
        lp.col_lower[col] = 0.0;
        lp.col_upper[col] = 0.0;
    };
    for t in 0..index.n_snapshots {
        for (g, generator) in network.generators.iter().enumerate() {
            if !network.is_active(&generator.capacity, t) {
                fix(index.generator_p(g, t));
            }
        }
        for (l, link) in network.links.iter().enumerate() {
            if !network.is_active(&link.capacity, t) {
                fix(index.link_p(l, t));
            }
        }
        for (s, unit) in network.storage_units.iter().enumerate() {
            if !network.is_active(&unit.capacity, t) {
                fix(index.storage_p_dispatch(s, t));
                fix(index.storage_p_store(s, t));
                fix(index.storage_state_of_charge(s, t));
                if let Some(spill) = index.storage_spill[s] {
                    fix(spill + t);
                }
            }
        }
    }
}
