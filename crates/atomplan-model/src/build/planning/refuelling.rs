//! Refuelling outages of nuclear units: which blocks of a period hold the refuelling season
//! (fixed, or chosen by the optimiser), and how a season removes available capacity: one unit
//! at a time when outages are staggered, every unit when simultaneous.
//! The formulation: docs/formulation/planning.md, section "Refuelling".

// Index loops mirror the formulation (g, y, t).
#![allow(clippy::needless_range_loop)]

use super::*;
use crate::lp::LinearProgram;
use crate::planning::file::RefuellingSchedule;
use crate::planning::file::RefuellingWire;

/// Which blocks hold the refuelling season of generator `g` in period `y`.
pub enum Season {
    /// Fixed set of blocks in the season; staggered (one unit out) or not (all out).
    Fixed { blocks: Vec<bool>, staggered: bool },
    /// Season chosen by the optimiser: one binary per block.
    Chosen { cols: Vec<Col>, staggered: bool },
}

/// Which blocks (of [`SEASON_HOURS`] hours, weighted `blocks[b]` hours) hold the refuelling
/// season of a unit of `units_max` units in period `y`: the season lasts `season_days`, by
/// default the yearly outage days ($\text{outage\_days} \cdot 12 / \text{cycle\_months}$) times
/// the units when staggered; fixed, it is the lowest-load blocks (`block_load`) until covered;
/// optimised, one binary per block with $\sum_b w_b s_b \ge$ the season's hours.
#[allow(clippy::too_many_arguments)]
pub(crate) fn season(
    lp: &mut LinearProgram,
    name: &str,
    r: &RefuellingWire,
    units_max: f64,
    y: usize,
    blocks: &[f64],
    block_load: &[f64],
    season_y: &mut Vec<Vec<Col>>,
) -> Season {
    let staggered = r.schedule != RefuellingSchedule::Simultaneous;
    let outage_days_per_year = r.outage_days * 12.0 / r.cycle_months;
    let season_days = r
        .season_days
        .unwrap_or(if staggered {
            outage_days_per_year * units_max
        } else {
            outage_days_per_year
        })
        .min(365.0);
    let season_hours = season_days * 24.0;
    let nb = blocks.len();
    if r.optimise {
        let cols: Vec<Col> = (0..nb)
            .map(|b| {
                lp.col(
                    format!("Generator-refuelling-season[{name},{y},{b}]"),
                    0.0,
                    0.0,
                    1.0,
                    true,
                )
            })
            .collect();
        let terms: Vec<(Col, f64)> = cols.iter().zip(blocks).map(|(&c, &w)| (c, w)).collect();
        lp.row_with(
            format!("Generator-refuelling-hours[{name},{y}]"),
            season_hours,
            f64::INFINITY,
            &terms,
        );
        season_y.push(cols.clone());
        return Season::Chosen { cols, staggered };
    }
    // Fixed: the lowest-load blocks until the season's hours are covered.
    let mut order: Vec<usize> = (0..nb).collect();
    order.sort_by(|&a, &b| block_load[a].total_cmp(&block_load[b]).then(a.cmp(&b)));
    let mut in_season = vec![false; nb];
    let mut covered = 0.0;
    for b in order {
        if covered >= season_hours - 1e-9 {
            break;
        }
        in_season[b] = true;
        covered += blocks[b];
    }
    Season::Fixed {
        blocks: in_season,
        staggered,
    }
}

/// Reduce the available expression `a` in block `block` for a refuelling season:
/// staggered removes one unit (`per_unit` MW) if any is built, simultaneous removes all.
#[allow(clippy::too_many_arguments)]
pub(crate) fn apply_season(
    lp: &mut LinearProgram,
    season: &Season,
    block: usize,
    per_unit: f64,
    big: f64,
    units: &Option<Expr>,
    any_built: &Option<Expr>,
    a: &mut Expr,
    key: String,
) {
    let one_if_built = any_built.clone().unwrap_or_else(|| {
        // Not a contingency design: derive "any built" from the units count directly when fixed.
        units.as_ref().map_or(Expr::constant(0.0), |n| {
            if n.terms.is_empty() {
                Expr::constant(if n.constant > 0.5 { 1.0 } else { 0.0 })
            } else {
                Expr::constant(1.0)
            }
        })
    });
    match season {
        Season::Fixed { blocks, staggered } => {
            if !blocks[block] {
                return;
            }
            if *staggered {
                a.add(&one_if_built.scaled(-per_unit));
            } else {
                *a = Expr::constant(0.0);
            }
        }
        Season::Chosen { cols, staggered } => {
            let s = cols[block];
            if *staggered {
                // w >= z + s - 1, A -= per_unit · w
                let w = lp.col(
                    format!("Generator-refuelling-out[{key}]"),
                    0.0,
                    0.0,
                    1.0,
                    false,
                );
                let mut terms = vec![(w, 1.0), (s, -1.0)];
                terms.extend(one_if_built.terms.iter().map(|&(c, v)| (c, -v)));
                lp.row_with(
                    format!("Generator-refuelling-out-def[{key}]"),
                    one_if_built.constant - 1.0,
                    f64::INFINITY,
                    &terms,
                );
                a.terms.push((w, -per_unit));
            } else {
                // A <= big_m (1 - s): add a separate upper expression via a helper column.
                let cap = lp.col(
                    format!("Generator-refuelling-cap[{key}]"),
                    0.0,
                    f64::NEG_INFINITY,
                    f64::INFINITY,
                    false,
                );
                // cap <= A
                let mut terms = vec![(cap, 1.0)];
                terms.extend(a.terms.iter().map(|&(c, v)| (c, -v)));
                lp.row_with(
                    format!("Generator-refuelling-cap-a[{key}]"),
                    f64::NEG_INFINITY,
                    a.constant,
                    &terms,
                );
                // cap <= M (1 - s)
                let m = big;
                lp.row_with(
                    format!("Generator-refuelling-cap-s[{key}]"),
                    f64::NEG_INFINITY,
                    m,
                    &[(cap, 1.0), (s, m)],
                );
                *a = Expr {
                    terms: vec![(cap, 1.0)],
                    constant: 0.0,
                };
            }
        }
    }
}
