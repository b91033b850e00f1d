//! Modular expansion, PyPSA's `p_nom_mod` (`s_nom_mod` for lines): an extendable asset with a
//! module size is built in whole modules.
//!
//! One integer column $n_a \ge 0$ per extendable modular asset (family `<Kind>-n_mod`) and one row
//! (family `<Kind>-p_nom_modularity`), as PyPSA 1.4's `define_modular_variables` and
//! `define_modular_constraints`:
//! $$P_a - m_a\, n_a = 0$$
//! Non-extendable modular assets get nothing here (PyPSA ignores `p_nom_mod` for them unless they
//! are committable, see `commitment.rs`).

use crate::build::variables::ModelIndex;
use crate::lp::{Labels, LinearProgram, Triplets};
use crate::network::{Capacity, Network};

/// Adds the module-count columns and rows of one kind of asset; returns each asset's column.
fn add_for_kind(
    lp: &mut LinearProgram,
    kind: &str,
    attribute: &str,
    assets: &[(&String, &Capacity, Option<usize>)],
) -> Vec<Option<usize>> {
    let modular: Vec<usize> = (0..assets.len())
        .filter(|&a| assets[a].1.extendable && assets[a].1.is_modular() && assets[a].2.is_some())
        .collect();
    if modular.is_empty() {
        return vec![None; assets.len()];
    }
    let labels: Labels = modular
        .iter()
        .map(|&a| assets[a].0.clone())
        .collect::<Vec<_>>()
        .into();
    let start = lp.add_col_family_shared(
        &format!("{kind}-n_mod"),
        labels.clone(),
        0,
        0.0,
        f64::INFINITY,
    );
    let row_start = lp.add_row_family_shared(
        &format!("{kind}-{attribute}_modularity"),
        labels,
        0,
        vec![0.0; modular.len()],
        vec![0.0; modular.len()],
    );
    let mut columns = vec![None; assets.len()];
    let mut block = Triplets::with_capacity(2 * modular.len());
    for (k, &a) in modular.iter().enumerate() {
        let (_, capacity, capacity_col) = assets[a];
        let col = start + k;
        lp.col_integer[col] = true;
        // n ≤ P_max / m, so that HiGHS sees a bounded integer (same feasible set).
        if capacity.max.is_finite() {
            lp.col_upper[col] = (capacity.max / capacity.module + 1e-9).floor();
        }
        columns[a] = Some(col);
        if let Some(capacity_col) = capacity_col {
            block.push(row_start + k, capacity_col, 1.0);
            block.push(row_start + k, col, -capacity.module);
        }
    }
    lp.add_triplets(block);
    columns
}

/// $$P_a = m_a\, n_a,\quad n_a \in \mathbb{Z}_{\ge 0}$$ for every extendable asset with `p_nom_mod > 0`.
pub fn add_module_counts(network: &Network, index: &mut ModelIndex, lp: &mut LinearProgram) {
    let generators: Vec<_> = network
        .generators
        .iter()
        .zip(&index.generator_p_nom)
        .map(|(c, col)| (&c.name, &c.capacity, *col))
        .collect();
    index.generator_n_mod = add_for_kind(lp, "Generator", "p_nom", &generators);
    let storage: Vec<_> = network
        .storage_units
        .iter()
        .zip(&index.storage_p_nom)
        .map(|(c, col)| (&c.name, &c.capacity, *col))
        .collect();
    index.storage_n_mod = add_for_kind(lp, "StorageUnit", "p_nom", &storage);
    let links: Vec<_> = network
        .links
        .iter()
        .zip(&index.link_p_nom)
        .map(|(c, col)| (&c.name, &c.capacity, *col))
        .collect();
    index.link_n_mod = add_for_kind(lp, "Link", "p_nom", &links);
    let lines: Vec<_> = network
        .lines
        .iter()
        .zip(&index.line_s_nom)
        .map(|(c, col)| (&c.name, &c.capacity, *col))
        .collect();
    index.line_n_mod = add_for_kind(lp, "Line", "s_nom", &lines);
}
