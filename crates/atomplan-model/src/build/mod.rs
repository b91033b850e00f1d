//! Builds the capacity-expansion and dispatch LP of a [`Network`], PyPSA's way.
//!
//! [`build`] is a flat sequence of `add_*` calls: the variables, then one constraint family per
//! file, then the nodal balance (rows created once; each component adds its own coefficients),
//! then the objective.
//! Extensions (integer modules, N-1 reserves, multi-period) add their families in new files and one
//! more call here; they find every column through [`ModelIndex`].
//!
//! Tighter than PyPSA's LP, same feasible set: limits of non-extendable assets are column bounds,
//! not rows; a per-unit limit of 0 on an extendable asset becomes a bound of 0 instead of a row, and
//! the lower dispatch row is left out when `p_min_pu` is 0 (then `p ≥ 0` is a bound).
//!
//! Investment periods are a level of the snapshot axis (`periods.rs`, PyPSA's multi-investment
//! optimisation): an asset outside its active periods has its columns fixed at 0 and no rows.
//!
//! PyPSA's MILP attributes add three families after everything else: `modular.rs` (`p_nom_mod`),
//! `commitment.rs` (`committable`) and `ramping.rs` (ramp limits, committable or not); integer
//! columns make HiGHS solve a MILP.

mod balance;
pub(crate) mod commitment;
mod generators;
mod global;
pub mod lines;
mod linked_storage;
mod links;
mod modular;
mod objective;
pub mod periods;
pub mod planning;
mod ramping;
mod storage;
mod variables;

use crate::lp::LinearProgram;
use crate::network::Network;
use crate::Error;

pub use commitment::CommitmentColumns;
pub use variables::ModelIndex;

/// A built model: the LP and where each component's columns and rows are.
#[derive(Debug, Clone)]
pub struct Model {
    pub lp: LinearProgram,
    pub index: ModelIndex,
}

/// Builds the LP. Fails only when the network is too large for 32-bit solver indices.
///
/// The objective is PyPSA's with `include_objective_constant=False`:
/// $$\min \sum_{a \in ext} c_a P_a + \sum_t w^{obj}_t \Big(\sum_g o_g p_{g,t} + \sum_s o_s p^{dis}_{s,t} + \sum_l o_l p_{l,t}\Big)$$
pub fn build(network: &Network) -> Result<Model, Error> {
    periods::check(network)?;
    let mut lp = LinearProgram::new();
    let mut index = variables::add_variables(network, &mut lp);
    periods::fix_inactive_columns(network, &index, &mut lp);
    generators::add_dispatch_limits_for_extendable_generators(network, &index, &mut lp);
    storage::add_power_and_energy_limits_for_extendable_storage(network, &index, &mut lp);
    storage::add_state_of_charge_balance(network, &index, &mut lp);
    links::add_flow_limits_for_extendable_links(network, &index, &mut lp);
    lines::add_flow_limits_for_extendable_lines(network, &index, &mut lp);
    lines::add_kirchhoff_voltage_law(network, &index, &mut lp);
    index.global_constraint_rows = global::add_primary_energy_limits(network, &index, &mut lp);
    let balance_start = balance::add_nodal_balance_rows(network, &mut lp);
    generators::add_generators_to_nodal_balance(network, &index, balance_start, &mut lp);
    storage::add_storage_to_nodal_balance(network, &index, balance_start, &mut lp);
    links::add_links_to_nodal_balance(network, &index, balance_start, &mut lp);
    lines::add_lines_to_nodal_balance(network, &index, balance_start, &mut lp);
    objective::add_objective(network, &index, &mut lp);
    index.balance_start = balance_start;
    // PyPSA's MILP attributes: their columns and rows come last, so that a network without them
    // gives exactly the LP above.
    modular::add_module_counts(network, &mut index, &mut lp);
    commitment::add_unit_commitment(network, &mut index, &mut lp);
    ramping::add_ramp_limits(network, &index, &mut lp);
    // Representative blocks only (set by a plan with `[aggregation]`).
    linked_storage::add_linked_state_of_charge(network, &mut index, &mut lp);
    check_size(&lp)?;
    Ok(Model { lp, index })
}

fn check_size(lp: &LinearProgram) -> Result<(), Error> {
    let limit = i32::MAX as usize;
    if lp.n_cols() > limit || lp.n_rows() > limit || lp.n_nonzeros() > limit {
        return Err(Error::TooLarge {
            rows: lp.n_rows(),
            cols: lp.n_cols(),
            nnz: lp.n_nonzeros(),
        });
    }
    Ok(())
}
