//! Unit commitment, PyPSA 1.4's formulation (`define_operational_constraints_for_committables`,
//! `define_committability_variables_constraints_with_*_upper_limit`, the start-up, shut-down and
//! stand-by cost terms of `define_objective`) for committable generators and links.
//!
//! Per committable unit $g$ and snapshot $t$: status $u_{g,t}$, start-up $su_{g,t}$ and shut-down
//! $sd_{g,t}$ integer columns (binary, or module counts when the unit is modular).
//! Dispatch limits, by kind of unit:
//! - fixed capacity $P$: $p_{min}(t) P\,u_t \le p_t \le p_{max}(t) P\,u_t$;
//! - modular (module $m$): $p_{min}(t) m\,u_t \le p_t \le p_{max}(t) m\,u_t$ with
//!   $u_t \le P/m$ (fixed) or $u_t, su_t, sd_t \le n$ (extendable, $n$ the module count);
//! - extendable (big-M $M$): $p_t \ge p_{min}(t) P - M(1-u_t)$, $p_t \le M u_t$, $p_t \le p_{max}(t) P$,
//!   and $p_t \ge 0$ when $p_{min} \ge 0$ throughout.
//!
//! Transitions: $su_t \ge u_t - u_{t-1}$, $sd_t \ge u_{t-1} - u_t$, with $u_{-1}$ from
//! `up_time_before`/`down_time_before`.
//! Minimum up time $L$: $\sum_{k<L} su_{t-k} - u_t \le -H^{up}_t$, minimum down time $L$:
//! $u_t + \sum_{k<L} sd_{t-k} \le 1 - H^{down}_t$, where $H_t$ counts the start-ups (shut-downs)
//! before the first snapshot that are still within $L$ of $t$.
//! The status before the first snapshot, $k$ snapshots back, is on iff
//! `down_time_before = 0` and $k \le$ `up_time_before`, or `down_time_before > 0` and
//! $k >$ `down_time_before` (PyPSA's `_status_history`).
//! Costs: $\sum_t c^{su}_t su_t + c^{sd}_t sd_t$ (not weighted) and $\sum_t w^{obj}_t c^{sb}_t u_t$.
//! Formulas and hand-checked cases: docs/formulation/commitment.md.

// Loops run over snapshot, row and column indices shared by several arrays.
#![allow(clippy::needless_range_loop)]

use crate::build::variables::ModelIndex;
use crate::lp::{Labels, LinearProgram, Triplets};
use crate::network::{Capacity, Network, Operation, Series};

/// First column of each time-indexed block of a committable unit (snapshots follow).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommitmentColumns {
    pub status: usize,
    pub start_up: usize,
    pub shut_down: usize,
}

/// A generator or a link seen by the commitment and ramping families.
pub(crate) struct Unit<'a> {
    pub name: &'a str,
    pub capacity: &'a Capacity,
    pub p_min_pu: &'a Series,
    pub p_max_pu: &'a Series,
    pub operation: &'a Operation,
    /// Dispatch column of snapshot 0.
    pub dispatch_start: usize,
    pub capacity_col: Option<usize>,
    pub n_mod_col: Option<usize>,
}

/// The generators (`kind == "Generator"`) or links of the network as [`Unit`]s.
pub(crate) fn units<'a>(network: &'a Network, index: &ModelIndex, kind: &str) -> Vec<Unit<'a>> {
    let at = |v: &[Option<usize>], i: usize| v.get(i).copied().flatten();
    if kind == "Generator" {
        network
            .generators
            .iter()
            .enumerate()
            .map(|(g, c)| Unit {
                name: &c.name,
                capacity: &c.capacity,
                p_min_pu: &c.p_min_pu,
                p_max_pu: &c.p_max_pu,
                operation: &c.operation,
                dispatch_start: index.generator_p(g, 0),
                capacity_col: at(&index.generator_p_nom, g),
                n_mod_col: at(&index.generator_n_mod, g),
            })
            .collect()
    } else {
        network
            .links
            .iter()
            .enumerate()
            .map(|(l, c)| Unit {
                name: &c.name,
                capacity: &c.capacity,
                p_min_pu: &c.p_min_pu,
                p_max_pu: &c.p_max_pu,
                operation: &c.operation,
                dispatch_start: index.link_p(l, 0),
                capacity_col: at(&index.link_p_nom, l),
                n_mod_col: at(&index.link_n_mod, l),
            })
            .collect()
    }
}

/// Status $k$ snapshots before the first one (k ≥ 1), 1 for non-committable units.
pub(crate) fn status_before(operation: &Operation, k: usize) -> f64 {
    if !operation.committable {
        return 1.0;
    }
    status_history(operation.up_time_before, operation.down_time_before, k)
}

/// PyPSA's `_status_history`: 1 if a unit with `up_time_before` and `down_time_before` was on
/// `k` snapshots before the first one (k ≥ 1), else 0 (the planning model's switching rows use
/// it too).
pub(crate) fn status_history(up_time_before: usize, down_time_before: usize, k: usize) -> f64 {
    let on = if down_time_before > 0 {
        k > down_time_before
    } else {
        k <= up_time_before
    };
    if on {
        1.0
    } else {
        0.0
    }
}

/// PyPSA's big-M of a committable extendable unit (`get_committable_big_m_values` with
/// `committable_big_m=None`): $P_{max} \cdot \max_t p_{max}(t)$ when $P_{max}$ is finite and
/// positive, else ten times the largest of the peak total load, the largest finite `p_nom` and
/// the largest finite `p_nom_max` of the same kind, times $\max_t p_{max}(t)$.
pub(crate) fn big_m(network: &Network, units: &[Unit<'_>], unit: &Unit<'_>) -> f64 {
    let capacities: Vec<&Capacity> = units.iter().map(|u| u.capacity).collect();
    big_m_of(network, &capacities, unit.capacity, unit.p_max_pu)
}

/// [`big_m`] of a unit with `capacity` and `p_max_pu` among units of the same kind with
/// `capacities` (the planning model's committable, extendable generators use it too).
pub(crate) fn big_m_of(
    network: &Network,
    capacities: &[&Capacity],
    capacity: &Capacity,
    p_max_pu: &Series,
) -> f64 {
    let n_t = network.snapshots.len();
    let max_pu = (0..n_t)
        .map(|t| p_max_pu.at(t))
        .fold(f64::NEG_INFINITY, f64::max);
    let max_pu = if max_pu.is_finite() { max_pu } else { 1.0 };
    let nom_max = capacity.max;
    if nom_max.is_finite() && nom_max > 0.0 {
        return nom_max * max_pu;
    }
    let mut candidates = Vec::new();
    if !network.loads.is_empty() {
        let peak = (0..n_t)
            .map(|t| {
                network
                    .loads
                    .iter()
                    .map(|load| load.p_set.at(t))
                    .sum::<f64>()
                    .abs()
            })
            .fold(0.0, f64::max);
        candidates.push(peak);
    }
    let finite_positive = |values: &mut dyn Iterator<Item = f64>| {
        values
            .filter(|v| v.is_finite() && *v > 0.0)
            .fold(None, |acc: Option<f64>, v| {
                Some(acc.map_or(v, |a| a.max(v)))
            })
    };
    if let Some(v) = finite_positive(&mut capacities.iter().map(|c| c.nominal)) {
        candidates.push(v);
    }
    if let Some(v) = finite_positive(&mut capacities.iter().map(|c| c.max)) {
        candidates.push(v);
    }
    let scale = if candidates.is_empty() {
        1e6
    } else {
        let fallback = candidates.iter().copied().fold(f64::NEG_INFINITY, f64::max) * 10.0;
        if fallback.is_finite() && fallback > 0.0 {
            fallback
        } else {
            1e6
        }
    };
    scale * max_pu
}

/// Rows of one family built row by row: (label index, snapshot), bounds and triplets.
struct RowBlock {
    entries: Vec<(u32, u32)>,
    lower: Vec<f64>,
    upper: Vec<f64>,
    triplets: Triplets,
    start: usize,
}

impl RowBlock {
    fn new() -> Self {
        RowBlock {
            entries: Vec::new(),
            lower: Vec::new(),
            upper: Vec::new(),
            triplets: Triplets::new(),
            start: 0,
        }
    }

    /// Adds `lower ≤ Σ coefficient·column ≤ upper`.
    fn push(&mut self, label: usize, t: usize, terms: &[(usize, f64)], lower: f64, upper: f64) {
        let row = self.entries.len();
        self.entries.push((label as u32, t as u32));
        self.lower.push(lower);
        self.upper.push(upper);
        for &(col, value) in terms {
            self.triplets.push(row, col, value);
        }
    }

    /// Appends the family to the LP (nothing when empty), shifting rows to their place.
    fn commit(mut self, lp: &mut LinearProgram, name: &str, labels: &Labels) {
        if self.entries.is_empty() {
            return;
        }
        self.start = lp.n_rows();
        for row in &mut self.triplets.rows {
            *row += self.start as u32;
        }
        lp.add_sparse_row_family(name, labels.clone(), self.entries, self.lower, self.upper);
        lp.add_triplets(self.triplets);
    }
}

/// Adds the commitment columns, rows and costs for the committable units of one kind.
fn add_for_kind(
    network: &Network,
    index: &ModelIndex,
    kind: &str,
    lp: &mut LinearProgram,
) -> Vec<Option<CommitmentColumns>> {
    let n_t = index.n_snapshots;
    let all = units(network, index, kind);
    let committable: Vec<usize> = (0..all.len())
        .filter(|&u| all[u].operation.committable)
        .collect();
    if committable.is_empty() {
        return vec![None; all.len()];
    }
    let labels: Labels = committable
        .iter()
        .map(|&u| all[u].name.to_owned())
        .collect::<Vec<_>>()
        .into();
    let status_start =
        lp.add_col_family_shared(&format!("{kind}-status"), labels.clone(), n_t, 0.0, 1.0);
    let start_up_start =
        lp.add_col_family_shared(&format!("{kind}-start_up"), labels.clone(), n_t, 0.0, 1.0);
    let shut_down_start =
        lp.add_col_family_shared(&format!("{kind}-shut_down"), labels.clone(), n_t, 0.0, 1.0);
    let mut columns = vec![None; all.len()];
    // Stand-by cost is an operating cost: weighted like marginal cost, with the period's
    // weighting in a multi-period network. Start-up and shut-down costs are not weighted (PyPSA).
    let weights: Vec<f64> = (0..n_t).map(|t| network.objective_weight(t)).collect();

    let mut lower = RowBlock::new();
    let mut upper = RowBlock::new();
    let mut ext_lower = RowBlock::new();
    let mut ext_upper_big_m = RowBlock::new();
    let mut ext_upper_cap = RowBlock::new();
    let mut module_upper = RowBlock::new();
    let mut start_up_rows = RowBlock::new();
    let mut shut_down_rows = RowBlock::new();
    let mut up_time = RowBlock::new();
    let mut down_time = RowBlock::new();

    for (k, &u) in committable.iter().enumerate() {
        let unit = &all[u];
        let op = unit.operation;
        let cols = CommitmentColumns {
            status: status_start + k * n_t,
            start_up: start_up_start + k * n_t,
            shut_down: shut_down_start + k * n_t,
        };
        columns[u] = Some(cols);
        let capacity = unit.capacity;
        let modular = capacity.is_modular();
        // Upper bound of the status (and start-up, shut-down) columns.
        // The importer checks that `p_nom` is a whole number of modules, as PyPSA does.
        let status_upper = if modular && !capacity.extendable {
            (capacity.nominal / capacity.module).round()
        } else if modular {
            f64::INFINITY
        } else {
            1.0
        };
        for t in 0..n_t {
            for col in [cols.status + t, cols.start_up + t, cols.shut_down + t] {
                lp.col_integer[col] = true;
                lp.col_upper[col] = status_upper;
            }
            lp.col_cost[cols.start_up + t] += op.start_up_cost.at(t);
            lp.col_cost[cols.shut_down + t] += op.shut_down_cost.at(t);
            lp.col_cost[cols.status + t] += weights[t] * op.stand_by_cost.at(t);
        }

        // Dispatch limits.
        let p = |t: usize| unit.dispatch_start + t;
        if modular {
            let m = capacity.module;
            for t in 0..n_t {
                let (low, high) = (unit.p_min_pu.at(t) * m, unit.p_max_pu.at(t) * m);
                lower.push(
                    k,
                    t,
                    &[(p(t), 1.0), (cols.status + t, -low)],
                    0.0,
                    f64::INFINITY,
                );
                upper.push(
                    k,
                    t,
                    &[(p(t), 1.0), (cols.status + t, -high)],
                    f64::NEG_INFINITY,
                    0.0,
                );
                lp.col_lower[p(t)] = if low >= 0.0 { 0.0 } else { f64::NEG_INFINITY };
                lp.col_upper[p(t)] = if high <= 0.0 { 0.0 } else { f64::INFINITY };
                if capacity.extendable {
                    if let Some(n_mod) = unit.n_mod_col {
                        for col in [cols.status + t, cols.start_up + t, cols.shut_down + t] {
                            module_upper.push(
                                k,
                                t,
                                &[(col, 1.0), (n_mod, -1.0)],
                                f64::NEG_INFINITY,
                                0.0,
                            );
                        }
                    }
                }
            }
        } else if capacity.extendable {
            let Some(capacity_col) = unit.capacity_col else {
                continue;
            };
            let big_m = big_m(network, &all, unit);
            let nonnegative = (0..n_t).all(|t| unit.p_min_pu.at(t) >= 0.0);
            for t in 0..n_t {
                let (low, high) = (unit.p_min_pu.at(t), unit.p_max_pu.at(t));
                ext_lower.push(
                    k,
                    t,
                    &[(p(t), 1.0), (capacity_col, -low), (cols.status + t, -big_m)],
                    -big_m,
                    f64::INFINITY,
                );
                ext_upper_big_m.push(
                    k,
                    t,
                    &[(p(t), 1.0), (cols.status + t, -big_m)],
                    f64::NEG_INFINITY,
                    0.0,
                );
                ext_upper_cap.push(
                    k,
                    t,
                    &[(p(t), 1.0), (capacity_col, -high)],
                    f64::NEG_INFINITY,
                    0.0,
                );
                lp.col_lower[p(t)] = if nonnegative { 0.0 } else { f64::NEG_INFINITY };
                lp.col_upper[p(t)] = f64::INFINITY;
            }
        } else {
            let nominal = capacity.nominal;
            for t in 0..n_t {
                let (low, high) = (unit.p_min_pu.at(t) * nominal, unit.p_max_pu.at(t) * nominal);
                lower.push(
                    k,
                    t,
                    &[(p(t), 1.0), (cols.status + t, -low)],
                    0.0,
                    f64::INFINITY,
                );
                upper.push(
                    k,
                    t,
                    &[(p(t), 1.0), (cols.status + t, -high)],
                    f64::NEG_INFINITY,
                    0.0,
                );
                // The rows imply these bounds for u ∈ [0, 1].
                lp.col_lower[p(t)] = low.min(0.0);
                lp.col_upper[p(t)] = high.max(0.0);
            }
        }

        // Transitions.
        let before = status_before(op, 1);
        for t in 0..n_t {
            let (su, sd, u_t) = (cols.start_up + t, cols.shut_down + t, cols.status + t);
            if t == 0 {
                start_up_rows.push(k, t, &[(su, 1.0), (u_t, -1.0)], -before, f64::INFINITY);
                shut_down_rows.push(k, t, &[(sd, 1.0), (u_t, 1.0)], before, f64::INFINITY);
            } else {
                let u_prev = cols.status + t - 1;
                start_up_rows.push(
                    k,
                    t,
                    &[(su, 1.0), (u_t, -1.0), (u_prev, 1.0)],
                    0.0,
                    f64::INFINITY,
                );
                shut_down_rows.push(
                    k,
                    t,
                    &[(sd, 1.0), (u_t, 1.0), (u_prev, -1.0)],
                    0.0,
                    f64::INFINITY,
                );
            }
        }

        // Minimum up and down times.
        for (min_time, is_up) in [(op.min_up_time, true), (op.min_down_time, false)] {
            if min_time == 0 {
                continue;
            }
            // Start-ups (shut-downs) k snapshots before the first one, k = 1..L-1.
            let past: Vec<f64> = (0..min_time)
                .map(|lag| {
                    if lag == 0 {
                        return 0.0;
                    }
                    let switch = status_before(op, lag) - status_before(op, lag + 1);
                    if is_up {
                        switch.max(0.0)
                    } else {
                        (-switch).max(0.0)
                    }
                })
                .collect();
            let transition = if is_up { cols.start_up } else { cols.shut_down };
            for t in 0..n_t {
                let mut terms: Vec<(usize, f64)> = (0..min_time.min(t + 1))
                    .map(|lag| (transition + t - lag, 1.0))
                    .collect();
                let history: f64 = (1..min_time)
                    .filter(|lag| lag + t < min_time)
                    .map(|lag| past[lag])
                    .sum();
                if is_up {
                    terms.push((cols.status + t, -1.0));
                    up_time.push(k, t, &terms, f64::NEG_INFINITY, -history);
                } else {
                    terms.push((cols.status + t, 1.0));
                    down_time.push(k, t, &terms, f64::NEG_INFINITY, 1.0 - history);
                }
            }
        }
    }
    lower.commit(lp, &format!("{kind}-com-p-lower"), &labels);
    upper.commit(lp, &format!("{kind}-com-p-upper"), &labels);
    module_upper.commit(lp, &format!("{kind}-status-p_nom-variable-upper"), &labels);
    ext_lower.commit(lp, &format!("{kind}-com-ext-p-lower"), &labels);
    ext_upper_big_m.commit(lp, &format!("{kind}-com-ext-p-upper-bigM"), &labels);
    ext_upper_cap.commit(lp, &format!("{kind}-com-ext-p-upper-cap"), &labels);
    start_up_rows.commit(lp, &format!("{kind}-com-transition-start-up"), &labels);
    shut_down_rows.commit(lp, &format!("{kind}-com-transition-shut-down"), &labels);
    up_time.commit(lp, &format!("{kind}-com-up-time"), &labels);
    down_time.commit(lp, &format!("{kind}-com-down-time"), &labels);
    columns
}

/// Adds unit commitment for committable generators and links.
pub fn add_unit_commitment(network: &Network, index: &mut ModelIndex, lp: &mut LinearProgram) {
    index.generator_commitment = add_for_kind(network, index, "Generator", lp);
    index.link_commitment = add_for_kind(network, index, "Link", lp);
}
