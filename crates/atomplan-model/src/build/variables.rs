//! All columns of the model, with bounds: dispatch, state of charge, flows and capacities.
//!
//! Non-extendable assets get their whole operating range as column bounds
//! ($p_{min,t} P \le p_t \le p_{max,t} P$), so they need no rows at all.
//! Extendable assets get a capacity column $P \in [P_{min}, P_{max}]$ and rows elsewhere.

use std::sync::Arc;

pub use crate::build::commitment::CommitmentColumns;
use crate::lp::{Labels, LinearProgram};
use crate::network::{Capacity, Network, Series};

/// Where each component's columns (and the shared rows) are in the LP.
///
/// Time-indexed blocks are entity-major: the column of entity `e` at snapshot `t` is
/// `start + e · n_snapshots + t`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModelIndex {
    pub n_snapshots: usize,
    pub generator_p: usize,
    /// Capacity column of each generator, `None` when not extendable.
    pub generator_p_nom: Vec<Option<usize>>,
    pub storage_p_dispatch: usize,
    pub storage_p_store: usize,
    pub storage_state_of_charge: usize,
    /// First spill column of each storage unit with inflow (its snapshots follow).
    pub storage_spill: Vec<Option<usize>>,
    pub storage_p_nom: Vec<Option<usize>>,
    pub link_p: usize,
    pub link_p_nom: Vec<Option<usize>>,
    pub line_s: usize,
    pub line_s_nom: Vec<Option<usize>>,
    /// First nodal-balance row; the row of bus `b` at snapshot `t` is `balance_start + b · n_snapshots + t`.
    pub balance_start: usize,
    /// Row of each global constraint, in the network's order.
    pub global_constraint_rows: Vec<usize>,
    /// Integer module-count column of each extendable modular asset (`p_nom_mod > 0`); empty or
    /// `None` otherwise (see `modular.rs`).
    pub generator_n_mod: Vec<Option<usize>>,
    pub storage_n_mod: Vec<Option<usize>>,
    pub link_n_mod: Vec<Option<usize>>,
    pub line_n_mod: Vec<Option<usize>>,
    /// Status, start-up and shut-down columns of each committable generator (see `commitment.rs`).
    pub generator_commitment: Vec<Option<CommitmentColumns>>,
    pub link_commitment: Vec<Option<CommitmentColumns>>,
    /// The states of each linked storage unit that its energy capacity bounds, per period
    /// (`linked_storage.rs`).
    pub linked_storage: Vec<LinkedStates>,
}

/// A linked storage unit's states in one period that must stay within its energy capacity
/// $hP$: each real period's start state with its block's highest state within, and the end
/// state when the unit is not cyclic (`high` `None`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LinkedStates {
    pub unit: usize,
    pub period: usize,
    /// `(inter, high)`: $S_i + \overline{e}_b \le hP$, or $S_n \le hP$ without `high`.
    pub upper: Vec<(usize, Option<usize>)>,
}

impl ModelIndex {
    #[inline]
    pub fn generator_p(&self, generator_idx: usize, snapshot_idx: usize) -> usize {
        self.generator_p + generator_idx * self.n_snapshots + snapshot_idx
    }
    #[inline]
    pub fn storage_p_dispatch(&self, storage_idx: usize, snapshot_idx: usize) -> usize {
        self.storage_p_dispatch + storage_idx * self.n_snapshots + snapshot_idx
    }
    #[inline]
    pub fn storage_p_store(&self, storage_idx: usize, snapshot_idx: usize) -> usize {
        self.storage_p_store + storage_idx * self.n_snapshots + snapshot_idx
    }
    #[inline]
    pub fn storage_state_of_charge(&self, storage_idx: usize, snapshot_idx: usize) -> usize {
        self.storage_state_of_charge + storage_idx * self.n_snapshots + snapshot_idx
    }
    #[inline]
    pub fn link_p(&self, link_idx: usize, snapshot_idx: usize) -> usize {
        self.link_p + link_idx * self.n_snapshots + snapshot_idx
    }
    #[inline]
    pub fn line_s(&self, line_idx: usize, snapshot_idx: usize) -> usize {
        self.line_s + line_idx * self.n_snapshots + snapshot_idx
    }
    #[inline]
    pub fn balance_row(&self, bus_idx: usize, snapshot_idx: usize) -> usize {
        self.balance_start + bus_idx * self.n_snapshots + snapshot_idx
    }
}

fn names<'a>(items: impl Iterator<Item = &'a String>) -> Labels {
    Arc::new(items.cloned().collect())
}

/// Adds one capacity column per extendable asset; returns each asset's column.
fn add_capacity_columns(
    lp: &mut LinearProgram,
    family: &str,
    assets: &[(&String, &Capacity)],
) -> Vec<Option<usize>> {
    let extendable: Vec<&String> = assets
        .iter()
        .filter(|(_, capacity)| capacity.extendable)
        .map(|(name, _)| *name)
        .collect();
    let start = lp.add_col_family_shared(family, names(extendable.into_iter()), 0, 0.0, 0.0);
    let mut next = start;
    assets
        .iter()
        .map(|(_, capacity)| {
            if capacity.extendable {
                lp.col_lower[next] = capacity.min;
                lp.col_upper[next] = capacity.max;
                next += 1;
                Some(next - 1)
            } else {
                None
            }
        })
        .collect()
}

/// Bounds of a dispatch column of an extendable asset whose rows are
/// `p ≥ p_min_pu · P` and `p ≤ p_max_pu · P` with `P ≥ 0`: a zero per-unit limit is a bound.
pub(crate) fn extendable_dispatch_bounds(
    p_min_pu: f64,
    p_max_pu: f64,
    min_capacity: f64,
) -> (f64, f64) {
    let lower = if p_min_pu >= 0.0 && min_capacity >= 0.0 {
        0.0
    } else {
        f64::NEG_INFINITY
    };
    let upper = if p_max_pu == 0.0 { 0.0 } else { f64::INFINITY };
    (lower, upper)
}

fn set_dispatch_bounds(
    lp: &mut LinearProgram,
    start: usize,
    n_snapshots: usize,
    capacity: &Capacity,
    p_min_pu: &Series,
    p_max_pu: &Series,
) {
    for t in 0..n_snapshots {
        let (lower, upper) = if capacity.extendable {
            extendable_dispatch_bounds(p_min_pu.at(t), p_max_pu.at(t), capacity.min)
        } else {
            (
                p_min_pu.at(t) * capacity.nominal,
                p_max_pu.at(t) * capacity.nominal,
            )
        };
        lp.col_lower[start + t] = lower;
        lp.col_upper[start + t] = upper;
    }
}

/// Adds every column of the model.
pub fn add_variables(network: &Network, lp: &mut LinearProgram) -> ModelIndex {
    let n_t = network.snapshots.len();
    let mut index = ModelIndex {
        n_snapshots: n_t,
        ..ModelIndex::default()
    };

    // Generators.
    let generator_names = names(network.generators.iter().map(|g| &g.name));
    index.generator_p = lp.add_col_family_shared("Generator-p", generator_names, n_t, 0.0, 0.0);
    for (g, generator) in network.generators.iter().enumerate() {
        set_dispatch_bounds(
            lp,
            index.generator_p(g, 0),
            n_t,
            &generator.capacity,
            &generator.p_min_pu,
            &generator.p_max_pu,
        );
    }

    // Storage units: dispatch, store, state of charge (all ≥ 0), spill where there is inflow.
    let storage_names = names(network.storage_units.iter().map(|s| &s.name));
    index.storage_p_dispatch = lp.add_col_family_shared(
        "StorageUnit-p_dispatch",
        storage_names.clone(),
        n_t,
        0.0,
        f64::INFINITY,
    );
    index.storage_p_store = lp.add_col_family_shared(
        "StorageUnit-p_store",
        storage_names.clone(),
        n_t,
        0.0,
        f64::INFINITY,
    );
    index.storage_state_of_charge = lp.add_col_family_shared(
        "StorageUnit-state_of_charge",
        storage_names,
        n_t,
        0.0,
        f64::INFINITY,
    );
    for (s, unit) in network.storage_units.iter().enumerate() {
        if unit.capacity.extendable {
            continue;
        }
        let p_nom = unit.capacity.nominal;
        for t in 0..n_t {
            lp.col_upper[index.storage_p_dispatch(s, t)] = (unit.p_max_pu.at(t) * p_nom).max(0.0);
            lp.col_upper[index.storage_p_store(s, t)] = (-unit.p_min_pu.at(t) * p_nom).max(0.0);
            lp.col_upper[index.storage_state_of_charge(s, t)] = unit.max_hours * p_nom;
        }
    }
    // A unit linked across representative blocks: its state-of-charge columns are the state
    // within a block, free in sign and bounded through `linked_storage.rs`.
    for s in (0..network.storage_units.len()).filter(|&s| network.is_linked_storage(s)) {
        for t in 0..n_t {
            lp.col_lower[index.storage_state_of_charge(s, t)] = f64::NEG_INFINITY;
            lp.col_upper[index.storage_state_of_charge(s, t)] = f64::INFINITY;
        }
    }
    let with_inflow: Vec<usize> = (0..network.storage_units.len())
        .filter(|&s| {
            let inflow = &network.storage_units[s].inflow;
            (0..n_t).any(|t| inflow.at(t) > 0.0)
        })
        .collect();
    let spill_start = lp.add_col_family_shared(
        "StorageUnit-spill",
        names(with_inflow.iter().map(|&s| &network.storage_units[s].name)),
        n_t,
        0.0,
        0.0,
    );
    index.storage_spill = vec![None; network.storage_units.len()];
    for (k, &s) in with_inflow.iter().enumerate() {
        let first = spill_start + k * n_t;
        index.storage_spill[s] = Some(first);
        for t in 0..n_t {
            lp.col_upper[first + t] = network.storage_units[s].inflow.at(t).max(0.0);
        }
    }

    // Links.
    let link_names = names(network.links.iter().map(|l| &l.name));
    index.link_p = lp.add_col_family_shared("Link-p", link_names, n_t, 0.0, 0.0);
    for (l, link) in network.links.iter().enumerate() {
        set_dispatch_bounds(
            lp,
            index.link_p(l, 0),
            n_t,
            &link.capacity,
            &link.p_min_pu,
            &link.p_max_pu,
        );
    }

    // Lines: |s| ≤ s_max_pu · s_nom.
    let line_names = names(network.lines.iter().map(|l| &l.name));
    index.line_s =
        lp.add_col_family_shared("Line-s", line_names, n_t, f64::NEG_INFINITY, f64::INFINITY);
    for (l, line) in network.lines.iter().enumerate() {
        if line.capacity.extendable {
            continue;
        }
        for t in 0..n_t {
            let limit = line.s_max_pu.at(t) * line.capacity.nominal;
            lp.col_lower[index.line_s(l, t)] = -limit;
            lp.col_upper[index.line_s(l, t)] = limit;
        }
    }

    // Capacities last, so that time-indexed blocks stay contiguous.
    let generator_assets: Vec<_> = network
        .generators
        .iter()
        .map(|g| (&g.name, &g.capacity))
        .collect();
    index.generator_p_nom = add_capacity_columns(lp, "Generator-p_nom", &generator_assets);
    let storage_assets: Vec<_> = network
        .storage_units
        .iter()
        .map(|s| (&s.name, &s.capacity))
        .collect();
    index.storage_p_nom = add_capacity_columns(lp, "StorageUnit-p_nom", &storage_assets);
    let link_assets: Vec<_> = network
        .links
        .iter()
        .map(|l| (&l.name, &l.capacity))
        .collect();
    index.link_p_nom = add_capacity_columns(lp, "Link-p_nom", &link_assets);
    let line_assets: Vec<_> = network
        .lines
        .iter()
        .map(|l| (&l.name, &l.capacity))
        .collect();
    index.line_s_nom = add_capacity_columns(lp, "Line-s_nom", &line_assets);
    index
}
