//! The nuclear-aware planning families: rows and columns added to the core's model over its
//! columns, each a module of its own with its mathematics in its doc comment (and in
//! docs/formulation/planning.md). `planning/multi_period.rs` builds the core's model, fills
//! [`Index`] with expressions of its columns (capacity and units per period, dispatch) and calls
//! the families in order; `planning/vintages.rs` adds the capacity per period of the planning
//! file's own periods through its `pool` hook.
//!
//! | family | where |
//! |---|---|
//! | N-1 contingency reserve tied to the largest unit built | `contingency.rs` |
//! | planning reserve margin | `reserve_margin.rs` |
//! | refuelling outages (staggered or simultaneous, fixed or optimised season) | `refuelling.rs` |
//! | start-ups, shut-downs, minimum up and down times, ramps of unit-sized designs over periods | `switching.rs` |
//! | learning from first-of-a-kind to n-th-of-a-kind | `learning.rs` |
//! | CO2 cap per period, capacity targets and limits, fuel-supply limits | [`policy`] |
//! | capacity per period: existing fleets, retirement, builds with lead times, lifetimes and build rates | `planning/vintages.rs` (docs/formulation/vintages.md) |
//! | units, commitment, operating modes, N-1 reserve columns and refuelling over the core's dispatch | `planning/multi_period.rs` (`units_reserve_and_refuelling`) |
//! | storage linked across representative periods | `build/linked_storage.rs` (the core's) |

// Index loops mirror the formulation (g, y, t); iterators would hide the indices.
#![allow(clippy::needless_range_loop)]

pub(crate) mod contingency;
pub(crate) mod learning;
pub mod policy;
pub(crate) mod refuelling;
pub(crate) mod reserve_margin;
pub(crate) mod switching;

use crate::lp::Col;

/// A linear expression: Σ coef · col + constant.
#[derive(Debug, Clone, Default)]
pub struct Expr {
    pub terms: Vec<(Col, f64)>,
    pub constant: f64,
}

impl Expr {
    pub(crate) fn constant(c: f64) -> Self {
        Expr {
            terms: Vec::new(),
            constant: c,
        }
    }
    pub(crate) fn scaled(&self, k: f64) -> Expr {
        Expr {
            terms: self.terms.iter().map(|&(c, v)| (c, v * k)).collect(),
            constant: self.constant * k,
        }
    }
    pub(crate) fn add(&mut self, other: &Expr) {
        self.terms.extend_from_slice(&other.terms);
        self.constant += other.constant;
    }
}

/// One investment period.
#[derive(Debug, Clone)]
pub struct Period {
    pub year: Option<i32>,
    /// Σ over the period's years of the discount factor (1 for a single-period run).
    pub weight: f64,
    pub load_scale: f64,
}

/// The planning layer's expressions of the core's columns, which the families read.
#[derive(Debug, Default)]
pub struct Index {
    /// `[g][y]` capacity expression (MW).
    pub capacity: Vec<Vec<Expr>>,
    /// `[g][y]` units online expression (unit-sized generators only).
    pub units: Vec<Vec<Option<Expr>>>,
    /// `[g][y][t]` dispatch column.
    pub p: Vec<Vec<Vec<Col>>>,
    /// `[g][y]` "at least one unit built" binary, when the design sets the N-1 reserve.
    pub any_built: Vec<Vec<Option<Expr>>>,
    /// `[a][y][t]` interconnector reserve column.
    pub reserve_import: Vec<Vec<Vec<Col>>>,
    /// (generator, period, step) learning build columns.
    pub learning: Vec<(usize, usize, usize, Col)>,
    /// `[s][y]` storage power capacity expression (MW).
    pub storage_capacity: Vec<Vec<Expr>>,
}

pub(crate) const BIG_UNITS: f64 = 1000.0;
/// Granularity of refuelling seasons, hours.
pub(crate) const SEASON_HOURS: usize = 24;

/// Blocks (representative periods) of hours: chronology wraps within each block.
pub(crate) fn prev_hour(t: usize, block_hours: usize) -> usize {
    let start = t - t % block_hours;
    if t == start {
        start + block_hours - 1
    } else {
        t - 1
    }
}
