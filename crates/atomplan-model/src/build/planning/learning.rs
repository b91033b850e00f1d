//! Learning from first-of-a-kind to n-th-of-a-kind: a vendor's units are built in cost steps
//! shared across its designs and periods, each step opening only when the one before is full.
//! The formulation: docs/formulation/planning.md, section "Learning".

// Index loops mirror the formulation (g, y, t).
#![allow(clippy::needless_range_loop)]

use super::*;
use crate::lp::LinearProgram;
use crate::planning::options::Vendor;

/// FOAK → NOAK learning: each vendor's steps hold a number of units across all its designs
/// and periods, and a step opens only when the previous one is full. `learning` lists the build
/// columns by (generator, period, step, column), in units, over `n_periods` periods.
pub(crate) fn add_learning(
    lp: &mut LinearProgram,
    vendors: &[Vendor],
    n_periods: usize,
    relax: bool,
    learning: &[(usize, usize, usize, Col)],
) {
    for vendor in vendors {
        let vname = vendor.name;
        let nsteps = vendor.wire.learning.len();
        for (k, step) in vendor.wire.learning.iter().enumerate() {
            let cols_in = |kk: usize, upto: usize| -> Vec<Col> {
                learning
                    .iter()
                    .filter(|&&(g, y, s, _)| s == kk && y <= upto && vendor.generators.contains(&g))
                    .map(|&(_, _, _, c)| c)
                    .collect()
            };
            let all = cols_in(k, n_periods);
            if all.is_empty() {
                continue;
            }
            if let Some(units) = step.units {
                let terms: Vec<(Col, f64)> = all.iter().map(|&c| (c, 1.0)).collect();
                lp.row_with(
                    format!("Vendor-step-size[{vname},{k}]"),
                    f64::NEG_INFINITY,
                    f64::from(units),
                    &terms,
                );
                if k + 1 < nsteps {
                    for y in 0..n_periods {
                        // full_{k,y} binary: Σ_{y'<=y} b_k >= units · full ; Σ_{y'<=y} b_{k+1} <= BIG · full
                        let full = lp.col(
                            format!("Vendor-step-full[{vname},{k},{y}]"),
                            0.0,
                            0.0,
                            1.0,
                            !relax,
                        );
                        let mut terms: Vec<(Col, f64)> =
                            cols_in(k, y).iter().map(|&c| (c, 1.0)).collect();
                        terms.push((full, -f64::from(units)));
                        lp.row_with(
                            format!("Vendor-step-full-def[{vname},{k},{y}]"),
                            0.0,
                            f64::INFINITY,
                            &terms,
                        );
                        let mut terms: Vec<(Col, f64)> =
                            cols_in(k + 1, y).iter().map(|&c| (c, 1.0)).collect();
                        terms.push((full, -BIG_UNITS));
                        lp.row_with(
                            format!("Vendor-step-order[{vname},{k},{y}]"),
                            f64::NEG_INFINITY,
                            0.0,
                            &terms,
                        );
                    }
                }
            }
        }
    }
}
