//! The planning model: capacity expansion and dispatch over investment periods and
//! representative hours, with the nuclear-aware constraint families. It builds the core's
//! [`LinearProgram`] and is solved by the core's backend (`highs_backend`), like every model.
//!
//! [`build`] is a flat sequence; each family is a module of its own with its mathematics in its
//! doc comment (and in docs/formulation/planning.md):
//!
//! | family | where |
//! |---|---|
//! | capacity and build variables: integer units, existing fleet and retirement, multi-period builds with lead times | [`build`] (this file) |
//! | learning from first-of-a-kind to n-th-of-a-kind | `learning.rs` |
//! | dispatch, availability, unit commitment over periods, ramping | [`build`] (this file) |
//! | refuelling outages (staggered or simultaneous, fixed or optimised season) | `refuelling.rs` |
//! | N-1 contingency reserve tied to the largest unit built | `contingency.rs` |
//! | planning reserve margin | `reserve_margin.rs` |
//! | storage: capacity per period, state of charge linked across representative periods | `storage.rs` |
//! | start-ups, shut-downs, minimum up and down times, ramps (generators and links) | `switching.rs` |
//! | links and lines (Kirchhoff's voltage law, commitment), the network's CO2 limits | `branches.rs` |
//! | CO2 cap per period, capacity targets and limits, fuel-supply limits | [`policy`] |
//! | nodal balance and objective | [`build`] (this file) |

// Index loops mirror the formulation (g, y, t); iterators would hide the indices.
#![allow(clippy::needless_range_loop)]

mod branches;
pub(crate) mod contingency;
mod dispatch;
mod investment;
pub(crate) mod learning;
pub mod policy;
pub(crate) mod refuelling;
pub(crate) mod reserve_margin;
mod storage;
pub(crate) mod switching;

use branches::{emission_limits, kirchhoff_voltage_law, links};
use learning::add_learning;
use refuelling::{apply_season, refuelling_season};
use storage::{storage_capacity, storage_operation};
use switching::Switching;

use atomplan_econ::{capital_recovery_factor, idc_factor_uniform};

use crate::lp::{Col, LinearProgram, Row};
use crate::planning::file::{Operation, RefuellingSchedule, StorageLinking};
use crate::planning::options::Options;
use crate::planning::system::{Chronology, StorageUnit, System, VaryingOperation};

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

/// Index of columns the result reads back.
#[derive(Debug, Default)]
pub struct Index {
    /// `[g][y]` capacity expression (MW).
    pub capacity: Vec<Vec<Expr>>,
    /// `[g][y]` units online expression (unit-sized generators only).
    pub units: Vec<Vec<Option<Expr>>>,
    /// `[g][y]` new units or MW built in period y.
    pub built: Vec<Vec<Expr>>,
    /// `[g][y][t]` dispatch column.
    pub p: Vec<Vec<Vec<Col>>>,
    /// `[g][y]` "at least one unit built" binary, when the design sets the N-1 reserve.
    pub any_built: Vec<Vec<Option<Expr>>>,
    /// `[a][y][t]` interconnector reserve column.
    pub reserve_import: Vec<Vec<Vec<Col>>>,
    /// (generator, period, step) learning build columns.
    pub learning: Vec<(usize, usize, usize, Col)>,
    /// `[g][y]` season choice columns per block, if optimised refuelling.
    pub season: Vec<Vec<Vec<Col>>>,
    /// `[s][y]` storage power capacity expression (MW).
    pub storage_capacity: Vec<Vec<Expr>>,
    /// `[s][y]` storage MW built in period y.
    pub storage_built: Vec<Vec<Expr>>,
    /// `[s][y][t]` storage discharge column.
    pub storage_dispatch: Vec<Vec<Vec<Col>>>,
    /// `[s][y][t]` storage charge column.
    pub storage_store: Vec<Vec<Vec<Col>>>,
    /// `[s][y]` state of charge at the last snapshot, when the year is one sequence.
    pub storage_final_soc: Vec<Vec<Option<Col>>>,
    /// (bus, period, hour, row) of every nodal balance row, for prices.
    pub balance: Vec<(usize, usize, usize, Row)>,
    /// `[l]` capacity of each link or line, MW (a column when extendable).
    pub link_capacity: Vec<Expr>,
    /// `[l][y][t]` flow column of each link or line, MW out of `bus0`.
    pub link_flow: Vec<Vec<Vec<Col>>>,
    /// Row of each of the network's emission limits (`System::emission_limits`), in order.
    pub emission_rows: Vec<Row>,
    /// `[g][y][t]` commitment status column of a committable generator (empty otherwise).
    pub status: Vec<Vec<Vec<Col>>>,
    /// `[l][y][t]` commitment status column of a committable link (empty otherwise).
    pub link_status: Vec<Vec<Vec<Col>>>,
    /// `[s][y][t]` state of charge column of a storage unit, where each hour has one (empty
    /// with the intra- and inter-period states of linked representative periods).
    pub storage_soc: Vec<Vec<Vec<Col>>>,
    /// `[s][y][t]` spill column of a storage unit with inflow in that hour.
    pub storage_spill: Vec<Vec<Vec<Option<Col>>>>,
}

pub struct Built {
    pub lp: LinearProgram,
    pub index: Index,
    pub periods: Vec<Period>,
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

/// Builds the planning model of `sys` with the resolved options `opt`.
pub fn build(sys: &System, opt: &Options) -> Built {
    let plan = opt.file;
    let mut lp = LinearProgram::default();
    let periods = opt.periods.clone();
    let ny = periods.len();
    let nt = sys.hours();
    let relax = plan.solver.relax_integers;
    let multi = opt.multi_period;
    let mut ix = Index::default();
    // Costs that no decision changes (fixed O&M of capacity that must be kept), USD.
    let mut fixed_cost = 0.0;

    // ---- capacity, units and builds per period (investment.rs) ----
    fixed_cost += investment::generator_capacity(&mut lp, sys, opt, &mut ix);
    if multi {
        add_learning(
            &mut lp,
            &opt.vendors,
            periods.len(),
            plan.solver.relax_integers,
            &ix.learning,
        );
    }

    // ---- storage capacity per period ----
    for (k, st) in sys.storage_units.iter().enumerate() {
        let (cap_y, built_y) = storage_capacity(&mut lp, st, opt, k);
        ix.storage_capacity.push(cap_y);
        ix.storage_built.push(built_y);
    }

    // ---- "at least one unit built" binaries for contingency designs (contingency.rs) ----
    let designs = contingency::Designs::of_system(sys, opt);
    contingency::any_built(&mut lp, &designs, &mut ix, relax);

    // ---- dispatch, availability, commitment, refuelling, ramping, reserves (dispatch.rs) ----
    let reserve = dispatch::generator_operation(&mut lp, sys, opt, &mut ix);

    // ---- N-1 contingency reserve per area, period and hour (contingency.rs) ----
    contingency::area_rows(&mut lp, opt, &designs, &mut ix, &reserve, &vec![nt; ny]);

    // ---- planning reserve margin (reserve_margin.rs) ----
    let peaks = reserve_margin::modelled_peaks(sys, opt, &periods);
    let areas = reserve_margin::Areas {
        generator_bus: sys.generators.iter().map(|g| g.bus).collect(),
        storage_bus: sys.storage_units.iter().map(|s| s.bus).collect(),
        modelled_peak: peaks,
    };
    reserve_margin::add(&mut lp, opt, &periods, &ix, &areas);

    // ---- links and lines ----
    links(&mut lp, sys, &periods, &mut ix, relax);
    let flows = ix.link_flow.clone();

    // ---- storage operation: charge, discharge, state of charge ----
    for (k, st) in sys.storage_units.iter().enumerate() {
        let mut pd_y = Vec::with_capacity(ny);
        let mut ps_y = Vec::with_capacity(ny);
        let mut final_y = Vec::with_capacity(ny);
        let mut soc_y = Vec::with_capacity(ny);
        let mut spill_y = Vec::with_capacity(ny);
        for (y, per) in periods.iter().enumerate() {
            let columns = storage_operation(
                &mut lp,
                sys,
                opt.linking[k],
                st,
                &ix.storage_capacity[k][y],
                y,
                per.weight,
            );
            pd_y.push(columns.dispatch);
            ps_y.push(columns.store);
            final_y.push(columns.last_soc);
            soc_y.push(columns.soc);
            spill_y.push(columns.spill);
        }
        ix.storage_dispatch.push(pd_y);
        ix.storage_store.push(ps_y);
        ix.storage_final_soc.push(final_y);
        ix.storage_soc.push(soc_y);
        ix.storage_spill.push(spill_y);
    }

    // ---- nodal balance ----
    for (y, per) in periods.iter().enumerate() {
        for (b, bus) in sys.buses.iter().enumerate() {
            for t in 0..nt {
                let load = sys.bus_load(b, t) * per.load_scale;
                let r: Row = lp.row(format!("Bus-balance[{bus},{y},{t}]"), load, load);
                ix.balance.push((b, y, t, r));
                for (g, gen) in sys.generators.iter().enumerate() {
                    if gen.bus == b {
                        lp.push(r, ix.p[g][y][t], gen.sign);
                    }
                }
                for (k, st) in sys.storage_units.iter().enumerate() {
                    if st.bus == b {
                        lp.push(r, ix.storage_dispatch[k][y][t], st.sign);
                        lp.push(r, ix.storage_store[k][y][t], -st.sign);
                    }
                }
                for (l, link) in sys.links.iter().enumerate() {
                    if link.bus0 == b {
                        lp.push(r, flows[l][y][t], -1.0);
                    }
                    if link.bus1 == b {
                        lp.push(r, flows[l][y][t], link.efficiency);
                    }
                }
            }
        }
    }

    kirchhoff_voltage_law(&mut lp, sys, ny, &flows);
    emission_limits(&mut lp, sys, &mut ix);

    // ---- policy rows (policy.rs): CO2 cap per period, capacity and energy limits ----
    let co2: Vec<f64> = sys.generators.iter().map(|g| g.co2_t_per_mwh).collect();
    let caps = plan
        .investment
        .as_ref()
        .and_then(|i| i.co2_cap_t.as_deref());
    policy::add_co2_caps(
        &mut lp,
        caps,
        &periods,
        &co2,
        &vec![sys.weights.clone(); ny],
        &ix,
    );
    policy::add_capacity_limits(&mut lp, opt, &periods, &ix);
    policy::add_energy_limits(&mut lp, opt, &periods, &vec![sys.weights.clone(); ny], &ix);

    // Constant costs enter the objective through one column fixed at 1.
    if fixed_cost != 0.0 {
        lp.col("Fixed-costs", fixed_cost, 1.0, 1.0, false);
    }

    Built {
        lp,
        index: ix,
        periods,
    }
}

/// The capacity of an extendable storage unit, link or line in a single-period plan, PyPSA's
/// way: one column `Kind-p_nom[name]` in `[p_nom_min, p_nom_max]` at `capital_cost` per MW, or,
/// with a module size $m > 0$ (`p_nom_mod`), an integer number of modules `Kind-n_mod[name]` in
/// $[\lceil p^{min}/m \rceil, \lfloor p^{max}/m \rfloor]$ at $m$ times the capital cost, the
/// capacity being $m\,n$.
fn expansion_capacity(
    lp: &mut LinearProgram,
    kind: &str,
    name: &str,
    capital_cost: f64,
    (p_nom_min, p_nom_max): (f64, f64),
    module: f64,
) -> Expr {
    if module > 0.0 {
        let lo = (p_nom_min / module - 1e-9).ceil().max(0.0);
        let hi = (p_nom_max / module + 1e-9).floor();
        let n = lp.col(
            format!("{kind}-n_mod[{name}]"),
            capital_cost * module,
            lo,
            if hi.is_finite() {
                hi.max(lo)
            } else {
                f64::INFINITY
            },
            true,
        );
        return Expr {
            terms: vec![(n, module)],
            constant: 0.0,
        };
    }
    let c = lp.col(
        format!("{kind}-p_nom[{name}]"),
        capital_cost,
        p_nom_min,
        p_nom_max,
        false,
    );
    Expr {
        terms: vec![(c, 1.0)],
        constant: 0.0,
    }
}
