//! Global constraints: PyPSA's `primary_energy` limit (a CO2 cap).

use crate::build::variables::ModelIndex;
use crate::lp::{LinearProgram, Triplets};
use crate::network::{ConstraintSense, Network};

/// For each global constraint $k$ with carrier attribute $a$ (t CO2 per MWh primary):
/// $$\sum_t w^{gen}_t \sum_g \frac{a_{carrier(g)}}{\eta_g}\, p_{g,t} -
///   \sum_{s\,\text{non-cyclic}} a_{carrier(s)}\, e_{s,T-1} \;\lessgtr\; K -
///   \sum_{s\,\text{non-cyclic}} a_{carrier(s)}\, e^{init}_s$$
/// Links are not counted (PyPSA puts fuel emissions on generators or stores at the fuel bus).
/// In a multi-period network $w^{gen}_t$ also carries the period's `years`, and a limit with an
/// `investment_period` sums that period's snapshots only (`Network::primary_energy_weight`);
/// emitting non-cyclic storage is refused there (`periods::check`).
/// Returns the row of each constraint.
pub fn add_primary_energy_limits(
    network: &Network,
    index: &ModelIndex,
    lp: &mut LinearProgram,
) -> Vec<usize> {
    let n_t = index.n_snapshots;
    let mut rows = Vec::new();
    for constraint in &network.global_constraints {
        let attribute = constraint.carrier_attribute.as_str();
        let row = lp.n_rows();
        let mut block = Triplets::new();
        let mut constant = constraint.constant;
        for (g, generator) in network.generators.iter().enumerate() {
            let emission = network.carrier_attribute(&generator.carrier, attribute);
            if emission == 0.0 || generator.efficiency == 0.0 {
                continue;
            }
            let per_mwh = emission / generator.efficiency;
            for t in 0..n_t {
                let coefficient = network.primary_energy_weight(constraint, t) * per_mwh;
                if coefficient != 0.0 {
                    block.push(row, index.generator_p(g, t), coefficient);
                }
            }
        }
        for (s, unit) in network.storage_units.iter().enumerate() {
            let emission = network.carrier_attribute(&unit.carrier, attribute);
            if emission == 0.0 || unit.cyclic_state_of_charge || n_t == 0 {
                continue;
            }
            block.push(row, index.storage_state_of_charge(s, n_t - 1), -emission);
            constant -= emission * unit.state_of_charge_initial;
        }
        let (lower, upper) = match constraint.sense {
            ConstraintSense::LessEqual => (f64::NEG_INFINITY, constant),
            ConstraintSense::GreaterEqual => (constant, f64::INFINITY),
            ConstraintSense::Equal => (constant, constant),
        };
        lp.add_row_family(
            "GlobalConstraint",
            &[constraint.name.as_str()],
            0,
            vec![lower],
            vec![upper],
        );
        lp.add_triplets(block);
        rows.push(row);
    }
    rows
}
