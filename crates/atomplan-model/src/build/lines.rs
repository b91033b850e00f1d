//! Line constraint families: flow limits of extendable lines, Kirchhoff's voltage law, and the
//! lines' nodal-balance terms (linearised "DC" power flow, as PyPSA formulates it).

use std::collections::VecDeque;

use crate::build::variables::ModelIndex;
use crate::lp::{Labels, LinearProgram, Triplets};
use crate::network::Network;

/// $$-s_{max}(t)\,S_l \le s_{l,t} \le s_{max}(t)\,S_l$$ for extendable lines.
pub fn add_flow_limits_for_extendable_lines(
    network: &Network,
    index: &ModelIndex,
    lp: &mut LinearProgram,
) {
    let n_t = index.n_snapshots;
    let labels: Labels = network
        .lines
        .iter()
        .map(|line| line.name.clone())
        .collect::<Vec<_>>()
        .into();
    for is_upper in [true, false] {
        let mut entries = Vec::new();
        let mut block = Triplets::new();
        let start = lp.n_rows();
        for (l, line) in network.lines.iter().enumerate() {
            let Some(capacity_col) = index.line_s_nom[l] else {
                continue;
            };
            for t in 0..n_t {
                let row = start + entries.len();
                entries.push((l as u32, t as u32));
                let per_unit = line.s_max_pu.at(t);
                block.push(row, index.line_s(l, t), 1.0);
                block.push(
                    row,
                    capacity_col,
                    if is_upper { -per_unit } else { per_unit },
                );
            }
        }
        let n_rows = entries.len();
        let (lower, upper, name) = if is_upper {
            (
                vec![f64::NEG_INFINITY; n_rows],
                vec![0.0; n_rows],
                "Line-ext-s-upper",
            )
        } else {
            (
                vec![0.0; n_rows],
                vec![f64::INFINITY; n_rows],
                "Line-ext-s-lower",
            )
        };
        lp.add_sparse_row_family(name, labels.clone(), entries, lower, upper);
        lp.add_triplets(block);
    }
}

/// A cycle basis of the line graph: each cycle is a list of (line index, ±1 orientation).
///
/// A spanning forest is grown breadth-first; every line outside it closes one cycle (the line
/// itself, then the tree path back), so parallel lines form cycles too. The basis differs from
/// networkx's (which PyPSA uses), but it spans the same cycle space, so the constraints allow
/// exactly the same flows.
pub fn cycle_basis(n_buses: usize, branches: &[(usize, usize)]) -> Vec<Vec<(usize, f64)>> {
    let mut adjacency: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n_buses];
    for (branch_idx, &(bus0, bus1)) in branches.iter().enumerate() {
        adjacency[bus0].push((bus1, branch_idx));
        adjacency[bus1].push((bus0, branch_idx));
    }
    // parent[bus] = (parent bus, branch used); depth for path finding.
    let mut parent: Vec<Option<(usize, usize)>> = vec![None; n_buses];
    let mut depth = vec![usize::MAX; n_buses];
    let mut in_tree = vec![false; branches.len()];
    for root in 0..n_buses {
        if depth[root] != usize::MAX {
            continue;
        }
        depth[root] = 0;
        let mut queue = VecDeque::from([root]);
        while let Some(bus) = queue.pop_front() {
            for &(next, branch_idx) in &adjacency[bus] {
                if depth[next] == usize::MAX {
                    depth[next] = depth[bus] + 1;
                    parent[next] = Some((bus, branch_idx));
                    in_tree[branch_idx] = true;
                    queue.push_back(next);
                }
            }
        }
    }
    // Orientation of a branch when walked from `from` to the other end.
    let oriented = |branch_idx: usize, from: usize| -> f64 {
        if branches[branch_idx].0 == from {
            1.0
        } else {
            -1.0
        }
    };
    let mut cycles = Vec::new();
    for (branch_idx, &(bus0, bus1)) in branches.iter().enumerate() {
        if in_tree[branch_idx] {
            continue;
        }
        // Walk bus0 → bus1 along the branch, then bus1 → bus0 through the tree.
        let mut cycle = vec![(branch_idx, 1.0)];
        let (mut a, mut b) = (bus1, bus0);
        let mut tail_from_b = Vec::new();
        while a != b {
            if depth[a] >= depth[b] {
                let Some((up, via)) = parent[a] else { break };
                cycle.push((via, oriented(via, a)));
                a = up;
            } else {
                let Some((up, via)) = parent[b] else { break };
                // Walked later in the direction up → b.
                tail_from_b.push((via, oriented(via, up)));
                b = up;
            }
        }
        cycle.extend(tail_from_b.into_iter().rev());
        cycles.push(cycle);
    }
    cycles
}

/// Kirchhoff's voltage law, one row per independent cycle $c$ and snapshot:
/// $$\sum_{l \in c} C_{l,c}\; x^{pu}_l\; s_{l,t} = 0, \qquad x^{pu}_l = x_l / v_{nom,bus0(l)}^2$$
/// ($r$ instead of $x$ for lines between DC buses).
pub fn add_kirchhoff_voltage_law(network: &Network, index: &ModelIndex, lp: &mut LinearProgram) {
    let n_t = index.n_snapshots;
    let branches: Vec<(usize, usize)> = network
        .lines
        .iter()
        .map(|line| (line.bus0, line.bus1))
        .collect();
    let cycles = cycle_basis(network.buses.len(), &branches);
    let labels: Vec<String> = (0..cycles.len()).map(|c| format!("cycle{c}")).collect();
    let start = lp.n_rows();
    let mut block = Triplets::new();
    for (c, cycle) in cycles.iter().enumerate() {
        for t in 0..n_t {
            let row = start + c * n_t + t;
            for &(l, orientation) in cycle {
                let line = &network.lines[l];
                let bus0 = &network.buses[line.bus0];
                let impedance = if bus0.carrier == "DC" { line.r } else { line.x };
                let v_nom = if bus0.v_nom > 0.0 { bus0.v_nom } else { 1.0 };
                let per_unit = impedance / (v_nom * v_nom);
                block.push(row, index.line_s(l, t), orientation * per_unit);
            }
        }
    }
    let n_rows = cycles.len() * n_t;
    lp.add_row_family(
        "Kirchhoff-Voltage-Law",
        &labels,
        n_t,
        vec![0.0; n_rows],
        vec![0.0; n_rows],
    );
    lp.add_triplets(block);
}

/// A line carries $s_{l,t}$ from `bus0` to `bus1` without losses.
pub fn add_lines_to_nodal_balance(
    network: &Network,
    index: &ModelIndex,
    balance_start: usize,
    lp: &mut LinearProgram,
) {
    let n_t = index.n_snapshots;
    let mut block = Triplets::with_capacity(network.lines.len() * n_t * 2);
    for (l, line) in network.lines.iter().enumerate() {
        for t in 0..n_t {
            let col = index.line_s(l, t);
            block.push(balance_start + line.bus0 * n_t + t, col, -1.0);
            block.push(balance_start + line.bus1 * n_t + t, col, 1.0);
        }
    }
    lp.add_triplets(block);
}
