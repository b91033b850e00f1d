//! Storage linked across representative periods (Kotzur et al. 2018), on the core's columns.
//!
//! When a network's snapshots are representative blocks (days or weeks) standing for a year
//! (`Network::representative`), a unit that is `linked` keeps its state of charge across the
//! year's real sequence of blocks. Its `StorageUnit-state_of_charge` columns are then the state
//! *within* a block, $e^{intra}_{b,h}$, which starts from 0 at the block's first snapshot
//! ([`super::periods::Previous::BlockStart`] in the energy balance) and may be negative. Per
//! investment period, for every real period $i$ of the year (represented by block $b = \sigma_i$,
//! with $H_i$ its snapshots: all of the block's, or the first `last_snapshots` for a partial last
//! period), an inter-period state $S_i \ge 0$ carries the state from one real period to the next:
//! $$S_{i+1} = \delta_{b,H_i} S_i + e^{intra}_{b,H_i-1} \qquad (\texttt{StorageUnit-soc\_inter-balance}),$$
//! with $\delta_{b,H}$ the standing efficiency over the block's first $H$ snapshots, and the
//! state stays within $[0, h P]$ at every snapshot of the real period, through the block's
//! highest and lowest intra state $\overline{e}_b \ge \max(0, e^{intra}_{b,\cdot})$ and
//! $\underline{e}_b \le \min(0, e^{intra}_{b,\cdot})$:
//! $$S_i + \overline{e}_b \le h P \quad (\texttt{StorageUnit-soc-upper}), \qquad
//!   \delta_{b,H_i} S_i + \underline{e}_b \ge 0 \quad (\texttt{StorageUnit-soc-lower}).$$
//! A cyclic unit closes the sequence ($S_{n} = S_0$); a unit that is not starts at
//! `state_of_charge_initial` and ends at most full. This was the planning builder's linked mode,
//! written over the core's columns; docs/formulation/planning-storage.md has the derivation.

use std::ops::Range;

use crate::build::variables::{LinkedStates, ModelIndex};
use crate::lp::{Col, LinearProgram};
use crate::network::Network;

/// The inter-period states, extremes and rows of every linked storage unit, in every period
/// it is active in.
pub fn add_linked_state_of_charge(
    network: &Network,
    index: &mut ModelIndex,
    lp: &mut LinearProgram,
) {
    let Some(representative) = &network.representative else {
        return;
    };
    let size = representative.block_snapshots.max(1);
    let ranges = period_ranges(network);
    for (s, unit) in network.storage_units.iter().enumerate() {
        if !representative.linked.get(s).copied().unwrap_or(false) {
            continue;
        }
        let name = &unit.name;
        let cyclic = if network.is_multi_period()
            && (unit.cyclic_state_of_charge_per_period || unit.state_of_charge_initial_per_period)
        {
            unit.cyclic_state_of_charge_per_period
        } else {
            unit.cyclic_state_of_charge
        };
        // h · P: the most energy the unit holds.
        let (e_max_col, e_max_constant) = match index.storage_p_nom[s] {
            Some(col) => (Some((col, unit.max_hours)), 0.0),
            None => (None, unit.max_hours * unit.capacity.nominal),
        };
        let standing = |t: usize| (1.0 - unit.standing_loss).powf(network.snapshots.stores[t]);
        for (y, range) in ranges.iter().enumerate() {
            if range.is_empty() || !network.is_active(&unit.capacity, range.start) {
                continue;
            }
            let first = range.start;
            let mut states = LinkedStates {
                unit: s,
                period: y,
                upper: Vec::new(),
            };
            let intra =
                |block: usize, h: usize| index.storage_state_of_charge(s, first + block * size + h);
            // Highest and lowest intra state over the first `hours` snapshots of `block`.
            let mut extremes = |block: usize, hours: usize, key: String| -> (Col, Col) {
                let high = lp.col(
                    format!("StorageUnit-soc_intra-max[{name},{y},{key}]"),
                    0.0,
                    0.0,
                    f64::INFINITY,
                    false,
                );
                let low = lp.col(
                    format!("StorageUnit-soc_intra-min[{name},{y},{key}]"),
                    0.0,
                    f64::NEG_INFINITY,
                    0.0,
                    false,
                );
                for h in 0..hours {
                    let t = first + block * size + h;
                    lp.row_with(
                        format!("StorageUnit-soc_intra-max-def[{name},{y},{key},{t}]"),
                        f64::NEG_INFINITY,
                        0.0,
                        &[(intra(block, h), 1.0), (high, -1.0)],
                    );
                    lp.row_with(
                        format!("StorageUnit-soc_intra-min-def[{name},{y},{key},{t}]"),
                        0.0,
                        f64::INFINITY,
                        &[(intra(block, h), 1.0), (low, -1.0)],
                    );
                }
                (high, low)
            };
            let blocks = range.len() / size;
            let whole: Vec<(Col, Col)> = (0..blocks)
                .map(|b| extremes(b, size, b.to_string()))
                .collect();
            let sequence = &representative.sequence;
            let n_real = sequence.len();
            let last = representative.last_snapshots.min(size);
            let partial = match sequence.last() {
                Some(&b) if last < size => Some(extremes(b, last, format!("{b},first{last}"))),
                _ => None,
            };
            let decay = |block: usize, hours: usize| -> f64 {
                (0..hours)
                    .map(|h| standing(first + block * size + h))
                    .product()
            };
            let n_inter = if cyclic { n_real } else { n_real + 1 };
            let inter: Vec<Col> = (0..n_inter)
                .map(|i| {
                    let fixed = !cyclic && i == 0;
                    let value = if fixed {
                        unit.state_of_charge_initial
                    } else {
                        0.0
                    };
                    lp.col(
                        format!("StorageUnit-soc_inter[{name},{y},{i}]"),
                        0.0,
                        value,
                        if fixed { value } else { f64::INFINITY },
                        false,
                    )
                })
                .collect();
            // A unit whose capacity is beyond any bound (its capacity per period is the
            // planning layer's, `vintages.rs`) gets no row here.
            let at_most_full =
                |lp: &mut LinearProgram, key: String, terms: &mut Vec<(Col, f64)>| {
                    if e_max_col.is_none() && e_max_constant >= 1e20 {
                        return;
                    }
                    if let Some((col, hours)) = e_max_col {
                        terms.push((col, -hours));
                    }
                    lp.row_with(key, f64::NEG_INFINITY, e_max_constant, terms);
                };
            if !cyclic {
                at_most_full(
                    lp,
                    format!("StorageUnit-soc_inter-upper[{name},{y},{n_real}]"),
                    &mut vec![(inter[n_real], 1.0)],
                );
                states.upper.push((inter[n_real], None));
            }
            for (i, &b) in sequence.iter().enumerate() {
                let hours = if i + 1 == n_real { last } else { size };
                let next = inter[(i + 1) % n_inter];
                lp.row_with(
                    format!("StorageUnit-soc_inter-balance[{name},{y},{i}]"),
                    0.0,
                    0.0,
                    &[
                        (next, 1.0),
                        (inter[i], -decay(b, hours)),
                        (intra(b, hours - 1), -1.0),
                    ],
                );
                let (high, low) = match partial {
                    Some(p) if i + 1 == n_real => p,
                    _ => whole[b],
                };
                at_most_full(
                    lp,
                    format!("StorageUnit-soc-upper[{name},{y},{i}]"),
                    &mut vec![(inter[i], 1.0), (high, 1.0)],
                );
                states.upper.push((inter[i], Some(high)));
                lp.row_with(
                    format!("StorageUnit-soc-lower[{name},{y},{i}]"),
                    0.0,
                    f64::INFINITY,
                    &[(inter[i], decay(b, hours)), (low, 1.0)],
                );
            }
            index.linked_storage.push(states);
        }
    }
}

/// The snapshots of each investment period (all snapshots in one period).
fn period_ranges(network: &Network) -> Vec<Range<usize>> {
    let n_t = network.snapshots.len();
    let mut ranges = Vec::new();
    if !network.is_multi_period() {
        ranges.push(0..n_t);
        return ranges;
    }
    let mut start = 0;
    for t in 1..=n_t {
        if t == n_t || network.period_index(t) != network.period_index(start) {
            ranges.push(start..t);
            start = t;
        }
    }
    ranges
}
