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
mod contingency;
mod learning;
pub mod policy;
mod refuelling;
mod reserve_margin;
mod storage;
mod switching;

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
    fn scaled(&self, k: f64) -> Expr {
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
    /// [g][y] capacity expression (MW).
    pub capacity: Vec<Vec<Expr>>,
    /// [g][y] units online expression (unit-sized generators only).
    pub units: Vec<Vec<Option<Expr>>>,
    /// [g][y] new units or MW built in period y.
    pub built: Vec<Vec<Expr>>,
    /// [g][y][t] dispatch column.
    pub p: Vec<Vec<Vec<Col>>>,
    /// [g][y] "at least one unit built" binary, when the design sets the N-1 reserve.
    pub any_built: Vec<Vec<Option<Expr>>>,
    /// [a][y][t] interconnector reserve column.
    pub reserve_import: Vec<Vec<Vec<Col>>>,
    /// (generator, period, step) learning build columns.
    pub learning: Vec<(usize, usize, usize, Col)>,
    /// [g][y] season choice columns per block, if optimised refuelling.
    pub season: Vec<Vec<Vec<Col>>>,
    /// [s][y] storage power capacity expression (MW).
    pub storage_capacity: Vec<Vec<Expr>>,
    /// [s][y] storage MW built in period y.
    pub storage_built: Vec<Vec<Expr>>,
    /// [s][y][t] storage discharge column.
    pub storage_dispatch: Vec<Vec<Vec<Col>>>,
    /// [s][y][t] storage charge column.
    pub storage_store: Vec<Vec<Vec<Col>>>,
    /// [s][y] state of charge at the last snapshot, when the year is one sequence.
    pub storage_final_soc: Vec<Vec<Option<Col>>>,
    /// (bus, period, hour, row) of every nodal balance row, for prices.
    pub balance: Vec<(usize, usize, usize, Row)>,
    /// [l] capacity of each link or line, MW (a column when extendable).
    pub link_capacity: Vec<Expr>,
    /// [l][y][t] flow column of each link or line, MW out of `bus0`.
    pub link_flow: Vec<Vec<Vec<Col>>>,
    /// Row of each of the network's emission limits (`System::emission_limits`), in order.
    pub emission_rows: Vec<Row>,
}

pub struct Built {
    pub lp: LinearProgram,
    pub index: Index,
    pub periods: Vec<Period>,
}

const BIG_UNITS: f64 = 1000.0;
/// Granularity of refuelling seasons, hours.
const SEASON_HOURS: usize = 24;

/// Blocks (representative periods) of hours: chronology wraps within each block.
fn prev_hour(t: usize, block_hours: usize) -> usize {
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
    let ng = sys.generators.len();
    let relax = plan.solver.relax_integers;
    let multi = opt.multi_period;
    let mut ix = Index::default();
    let rate = plan.investment.as_ref().map_or(0.0, |i| i.discount_rate);
    // Costs that no decision changes (fixed O&M of capacity that must be kept), USD.
    let mut fixed_cost = 0.0;
    let sequential = matches!(sys.chronology, Chronology::Sequential);

    // ---- capacity and build variables ----
    for (g, gen) in sys.generators.iter().enumerate() {
        let unit = opt.units[g];
        let size = unit.and_then(|u| u.unit_size_mw);
        let mut cap_y = Vec::with_capacity(ny);
        let mut units_y = Vec::with_capacity(ny);
        let mut built_y = Vec::with_capacity(ny);
        // Existing capacity per period (retirement).
        let retire = unit.and_then(|u| u.retire_year);
        let online = unit.and_then(|u| u.online_year);
        let alive = |y: usize| {
            let before_retirement = match (periods[y].year, retire) {
                (Some(yr), Some(r)) => yr < r,
                _ => true,
            };
            let commissioned = match (periods[y].year, online) {
                (Some(yr), Some(o)) => yr >= o,
                _ => true,
            };
            before_retirement && commissioned
        };
        let existing_units = unit.map_or(0, |u| u.existing_units);
        if !multi {
            // Single period, PyPSA semantics: the extendable capacity is one variable
            // p_nom_opt in [p_nom_min, p_nom_max], costed in full at capital_cost.
            match (size, gen.extendable) {
                (Some(s), true) => {
                    let lo = (gen.p_nom_min / s - 1e-9)
                        .ceil()
                        .max(f64::from(existing_units));
                    let hi_cap = (gen.p_nom_max / s + 1e-9).floor();
                    let hi = unit
                        .and_then(|u| u.max_units)
                        .map_or(hi_cap, |m| f64::from(m).min(hi_cap));
                    let hi = if hi.is_finite() { hi } else { BIG_UNITS };
                    let n = lp.col(
                        format!("Generator-units[{}]", gen.name),
                        gen.capital_cost * s,
                        lo,
                        hi.max(lo),
                        !relax,
                    );
                    let e = Expr {
                        terms: vec![(n, 1.0)],
                        constant: 0.0,
                    };
                    cap_y.push(e.scaled(s));
                    units_y.push(Some(e.clone()));
                    built_y.push(e);
                }
                (None, true) => {
                    let c = lp.col(
                        format!("Generator-p_nom[{}]", gen.name),
                        gen.capital_cost,
                        gen.p_nom_min,
                        gen.p_nom_max,
                        false,
                    );
                    let e = Expr {
                        terms: vec![(c, 1.0)],
                        constant: 0.0,
                    };
                    cap_y.push(e.clone());
                    units_y.push(None);
                    built_y.push(e);
                }
                (Some(s), false) => {
                    let n = (gen.p_nom / s).round().max(f64::from(existing_units));
                    cap_y.push(Expr::constant(n * s));
                    units_y.push(Some(Expr::constant(n)));
                    built_y.push(Expr::constant(0.0));
                }
                (None, false) => {
                    cap_y.push(Expr::constant(gen.p_nom));
                    units_y.push(None);
                    built_y.push(Expr::constant(0.0));
                }
            }
        } else {
            // Multi-period: new builds per period, active for their lifetime.
            let u = unit.cloned().unwrap_or_default();
            let lifetime = u.lifetime_years.unwrap_or(f64::INFINITY);
            let ir = u.construction_interest_rate.unwrap_or(rate);
            // Interest during construction and the annuity come from the economics crate: spend
            // even over ceil(lead time) years at mid-year, compounded to commissioning.
            let idc = idc_factor_uniform(ir, u.lead_time_years);
            let fom = u.fixed_om_usd_per_kw_year * 1000.0;
            // Annual fixed cost per MW of a new build, and per MW at each learning step. An
            // unlimited life is annuitised over 10,000 years (not as a perpetuity), as before.
            let crf = capital_recovery_factor(rate, lifetime.min(1e4));
            let annual = |overnight_per_kw: f64| overnight_per_kw * 1000.0 * idc * crf + fom;
            let base_annual = u.overnight_cost_usd_per_kw.map_or(gen.capital_cost, annual);
            let inv = plan.investment.as_ref();
            let first_year = inv.map_or(i32::MIN, |i| {
                let lead = i.decision_year + u.lead_time_years.ceil() as i32;
                lead.max(u.earliest_year.unwrap_or(i32::MIN))
            });
            let existing_mw = match size {
                Some(s) => f64::from(existing_units) * s,
                None => gen.p_nom,
            };
            let steps: Vec<(Option<u32>, f64)> = opt.vendor_of[g]
                .map(|v| {
                    opt.vendors[v]
                        .wire
                        .learning
                        .iter()
                        .map(|s| (s.units, annual(s.overnight_cost_usd_per_kw)))
                        .collect()
                })
                .unwrap_or_default();
            // Build columns per period (per step if learning).
            let mut builds: Vec<Vec<(Col, f64)>> = Vec::with_capacity(ny); // (col, annual cost)
            for (y, per) in periods.iter().enumerate() {
                let yr = per.year.unwrap_or(0);
                let allowed = gen.extendable && yr >= first_year;
                let active_weight: f64 = periods
                    .iter()
                    .filter(|q| {
                        let qy = q.year.unwrap_or(0);
                        qy >= yr && f64::from(qy - yr) < lifetime
                    })
                    .map(|q| q.weight)
                    .sum();
                // Build-rate limit: MW per year times the years since the previous period.
                let since = if y == 0 {
                    inv.map_or(0, |i| yr - i.decision_year)
                } else {
                    yr - periods[y - 1].year.unwrap_or(yr)
                };
                let rate_cap = u
                    .max_build_mw_per_year
                    .map_or(f64::INFINITY, |r| r * f64::from(since.max(0)));
                let ub = if allowed {
                    match size {
                        Some(s) => u
                            .max_units_per_period
                            .map_or(BIG_UNITS, f64::from)
                            .min(u.max_units.map_or(BIG_UNITS, f64::from))
                            .min((rate_cap / s + 1e-9).floor()),
                        None => gen.p_nom_max.min(rate_cap),
                    }
                } else {
                    0.0
                };
                let mut cols = Vec::new();
                let scale = size.unwrap_or(1.0);
                if steps.is_empty() || size.is_none() {
                    let c = lp.col(
                        format!("Generator-build[{},{yr}]", gen.name),
                        base_annual * scale * active_weight,
                        0.0,
                        ub,
                        size.is_some() && !relax,
                    );
                    cols.push((c, base_annual));
                } else {
                    for (k, &(_, cost)) in steps.iter().enumerate() {
                        let c = lp.col(
                            format!("Generator-build[{},{yr},step{k}]", gen.name),
                            cost * scale * active_weight,
                            0.0,
                            ub,
                            !relax,
                        );
                        ix.learning.push((g, y, k, c));
                        cols.push((c, cost));
                    }
                    if ub > 0.0 && steps.len() > 1 {
                        let r = lp.row(
                            format!("Generator-build-limit[{},{yr}]", gen.name),
                            f64::NEG_INFINITY,
                            ub,
                        );
                        for &(c, _) in &cols {
                            lp.push(r, c, 1.0);
                        }
                    }
                }
                builds.push(cols);
            }
            let mut kept_prev: Option<Col> = None;
            for (y, per) in periods.iter().enumerate() {
                let yr = per.year.unwrap_or(0);
                let mut units = Expr::constant(0.0);
                for (yb, cols) in builds.iter().enumerate() {
                    let byr = periods[yb].year.unwrap_or(0);
                    if byr <= yr && f64::from(yr - byr) < lifetime {
                        for &(c, _) in cols {
                            units.terms.push((c, 1.0));
                        }
                    }
                }
                let ex = if alive(y) { existing_mw } else { 0.0 };
                // Existing capacity kept in this period: a constant, or with `retirable` a
                // column k_y in [0, ex] that never rises again once capacity is retired.
                let existing_fom = u.existing_fixed_om_usd_per_kw_year * 1000.0 * per.weight;
                let mut kept = Expr::constant(ex);
                if u.retirable && size.is_none() && ex > 0.0 {
                    let k = lp.col(
                        format!("Generator-kept[{},{yr}]", gen.name),
                        existing_fom,
                        0.0,
                        ex,
                        false,
                    );
                    if let Some(prev) = kept_prev {
                        lp.row_with(
                            format!("Generator-retire-once[{},{yr}]", gen.name),
                            f64::NEG_INFINITY,
                            0.0,
                            &[(k, 1.0), (prev, -1.0)],
                        );
                    }
                    kept_prev = Some(k);
                    kept = Expr {
                        terms: vec![(k, 1.0)],
                        constant: 0.0,
                    };
                } else if ex > 0.0 && existing_fom > 0.0 {
                    fixed_cost += existing_fom * ex;
                }
                let mut built = Expr::constant(0.0);
                for &(c, _) in &builds[y] {
                    built.terms.push((c, 1.0));
                }
                match size {
                    Some(s) => {
                        let mut n = units.clone();
                        n.constant += ex / s;
                        if let Some(m) = u.max_units {
                            let terms: Vec<(Col, f64)> = units.terms.clone();
                            if !terms.is_empty() {
                                lp.row_with(
                                    format!("Generator-max-units[{},{yr}]", gen.name),
                                    f64::NEG_INFINITY,
                                    f64::from(m) - ex / s,
                                    &terms,
                                );
                            }
                        }
                        cap_y.push(n.scaled(s));
                        units_y.push(Some(n));
                    }
                    None => {
                        let mut c = units.clone();
                        c.add(&kept);
                        if gen.extendable && gen.p_nom_max.is_finite() && !c.terms.is_empty() {
                            lp.row_with(
                                format!("Generator-p_nom-max[{},{yr}]", gen.name),
                                f64::NEG_INFINITY,
                                gen.p_nom_max - ex,
                                &c.terms,
                            );
                        }
                        cap_y.push(c);
                        units_y.push(None);
                    }
                }
                built_y.push(built);
            }
            // Learning: vendor-level cumulative caps and ordering are added below.
        }
        ix.capacity.push(cap_y);
        ix.units.push(units_y);
        ix.built.push(built_y);
    }
    if multi {
        add_learning(&mut lp, opt, &periods, &mut ix);
    }

    // ---- storage capacity per period ----
    for (k, st) in sys.storage_units.iter().enumerate() {
        let (cap_y, built_y) = storage_capacity(&mut lp, st, opt, k);
        ix.storage_capacity.push(cap_y);
        ix.storage_built.push(built_y);
    }

    // ---- "at least one unit built" binaries for contingency designs (contingency.rs) ----
    contingency::any_built(&mut lp, sys, opt, &mut ix, relax);

    // ---- dispatch, availability, commitment, refuelling, ramping, reserves ----
    // Refuelling seasons are made of whole days (a representative day is one).
    let blocks: Vec<f64> = sys
        .weights
        .chunks(SEASON_HOURS)
        .map(|c| c.iter().sum())
        .collect();
    let area_of_bus = &opt.area_of_bus;
    let n1_areas: Vec<bool> = opt.areas.iter().map(|a| a.n1_reserve).collect();
    // Reserve column of each generator [g][y][t]: the contingency reserve it holds in an hour
    // (none for a unit that cannot hold reserve or lies outside an N-1 area).
    let mut reserve: Vec<Vec<Vec<Option<Col>>>> = vec![vec![vec![None; nt]; ny]; ng];
    for (g, gen) in sys.generators.iter().enumerate() {
        let unit = opt.units[g];
        let size = unit.and_then(|u| u.unit_size_mw);
        let op = unit.and_then(|u| u.operation).unwrap_or_default();
        let committable = unit.is_some_and(|u| u.committable);
        let msl = unit.map_or(0.0, |u| u.min_stable_load);
        let ramp = unit.and_then(|u| u.ramp_rate);
        let ramp_down = unit.and_then(|u| u.ramp_rate_down.or(u.ramp_rate));
        let ramp_start_up = unit.and_then(|u| u.ramp_rate_start_up).unwrap_or(1.0);
        let ramp_shut_down = unit.and_then(|u| u.ramp_rate_shut_down).unwrap_or(1.0);
        let in_n1 = area_of_bus[gen.bus].is_some_and(|a| n1_areas[a]);
        let big_units = unit.map_or(BIG_UNITS, |u| {
            f64::from(u.max_units.unwrap_or(u.existing_units.max(1)))
        });
        let reserve_ramp = unit
            .and_then(|u| u.reserve_ramp.or(u.ramp_rate))
            .unwrap_or(1.0);
        // A committable unit whose capacity is a continuous decision: binary status, big-M.
        let big_m = (committable && size.is_none() && gen.extendable).then(|| {
            gen.big_m.unwrap_or_else(|| {
                let max_pu = gen.p_max_pu.iter().copied().fold(1.0_f64, f64::max);
                if gen.p_nom_max.is_finite() && gen.p_nom_max > 0.0 {
                    gen.p_nom_max * max_pu
                } else {
                    1e6 * max_pu
                }
            })
        });
        // PyPSA's `p_min_pu` may be negative (a unit that can also draw): the output column is
        // then free below and the `p_min_pu` row (or, committable, the status row) bounds it.
        let negative_min = (0..nt).any(|t| gen.p_min_pu_at(t) < 0.0);
        // Commitment costs and ramp limits in snapshot t (a network's series, or the unit's).
        let v = &gen.varying;
        let cost_at = |series: &[f64], constant: Option<f64>, t: usize| {
            VaryingOperation::at(series, t, constant).unwrap_or(0.0)
        };
        let start_up_cost = |t| cost_at(&v.start_up_cost, unit.and_then(|u| u.start_up_cost), t);
        let shut_down_cost = |t| cost_at(&v.shut_down_cost, unit.and_then(|u| u.shut_down_cost), t);
        let stand_by_cost = |t| cost_at(&v.stand_by_cost, unit.and_then(|u| u.stand_by_cost), t);
        let ramp_up_at = |t| VaryingOperation::at(&v.ramp_limit_up, t, ramp).unwrap_or(1.0);
        let ramp_down_at =
            |t| VaryingOperation::at(&v.ramp_limit_down, t, ramp_down).unwrap_or(1.0);
        let mut p_y = Vec::with_capacity(ny);
        let mut season_y = Vec::new();
        for y in 0..ny {
            let cap = ix.capacity[g][y].clone();
            let units = ix.units[g][y].clone();
            // Refuelling: which blocks are in the season, and what is off-line there.
            let season = refuelling_season(&mut lp, sys, opt, g, y, &blocks, &mut season_y);
            let mut p_t = Vec::with_capacity(nt);
            let mut u_prev: Vec<Option<Col>> = vec![None; nt];
            for t in 0..nt {
                let avail = gen.p_max_pu_at(t);
                let p = lp.col(
                    format!("Generator-p[{},{y},{t}]", gen.name),
                    unit.and_then(|u| u.marginal_cost_by_period.as_ref())
                        .and_then(|m| m.get(y).copied())
                        .unwrap_or_else(|| gen.marginal_cost_at(t))
                        * sys.weights[t]
                        * periods[y].weight,
                    if negative_min { f64::NEG_INFINITY } else { 0.0 },
                    f64::INFINITY,
                    false,
                );
                p_t.push(p);
                // Available capacity A (MW) as an expression.
                let mut a = cap.scaled(avail);
                let block = t / SEASON_HOURS;
                if let Some(s) = &season {
                    apply_season(
                        &mut lp,
                        s,
                        block,
                        size.unwrap_or(0.0) * avail,
                        big_units * size.unwrap_or(0.0),
                        &units,
                        &ix.any_built[g][y],
                        &mut a,
                        format!("{},{y},{t}", gen.name),
                    );
                }
                // The reserve the unit holds for the N-1 contingency (contingency.rs).
                let r = (in_n1 && op != Operation::MustRun && reserve_ramp > 0.0).then(|| {
                    contingency::reserve_column(&mut lp, &gen.name, y, t, &cap, reserve_ramp)
                });
                reserve[g][y][t] = r;
                // p + r <= A, unless the status bounds p (a committable unit with unit size).
                if big_m.is_some() || !committable {
                    let mut terms = vec![(p, 1.0)];
                    if let Some(rc) = r {
                        terms.push((rc, 1.0));
                    }
                    terms.extend(a.terms.iter().map(|&(c, v)| (c, -v)));
                    lp.row_with(
                        format!("Generator-p-upper[{},{y},{t}]", gen.name),
                        f64::NEG_INFINITY,
                        a.constant,
                        &terms,
                    );
                }
                if let (Some(m), true) = (big_m, committable) {
                    // PyPSA's committable extendable unit: status u binary, capacity P,
                    //   p <= M u,  p >= p_min_pu P - M (1 - u)  (and p + r <= p_max_pu P above).
                    let uc = lp.col(
                        format!("Generator-status[{},{y},{t}]", gen.name),
                        stand_by_cost(t) * sys.weights[t] * periods[y].weight,
                        0.0,
                        1.0,
                        !relax,
                    );
                    u_prev[t] = Some(uc);
                    lp.row_with(
                        format!("Generator-p-upper-bigM[{},{y},{t}]", gen.name),
                        f64::NEG_INFINITY,
                        0.0,
                        &[(p, 1.0), (uc, -m)],
                    );
                    let low = gen.p_min_pu_at(t);
                    let mut terms = vec![(p, 1.0), (uc, -m)];
                    terms.extend(cap.terms.iter().map(|&(c, v)| (c, -v * low)));
                    lp.row_with(
                        format!("Generator-p-lower-bigM[{},{y},{t}]", gen.name),
                        cap.constant * low - m,
                        f64::INFINITY,
                        &terms,
                    );
                } else if committable {
                    let s = size.unwrap_or(1.0);
                    let ub = units.as_ref().map_or(0.0, |n| {
                        if n.terms.is_empty() {
                            n.constant
                        } else {
                            BIG_UNITS
                        }
                    });
                    let uc = lp.col(
                        format!("Generator-status[{},{y},{t}]", gen.name),
                        stand_by_cost(t) * sys.weights[t] * periods[y].weight,
                        0.0,
                        ub,
                        !relax,
                    );
                    u_prev[t] = Some(uc);
                    // u <= N (minus units in refuelling outage)
                    let n = units.clone().unwrap_or_default();
                    let mut online = n.clone();
                    if let Some(sea) = &season {
                        apply_season(
                            &mut lp,
                            sea,
                            block,
                            1.0,
                            big_units,
                            &units,
                            &ix.any_built[g][y],
                            &mut online,
                            format!("{},{y},{t},units", gen.name),
                        );
                    }
                    let mut terms = vec![(uc, 1.0)];
                    terms.extend(online.terms.iter().map(|&(c, v)| (c, -v)));
                    lp.row_with(
                        format!("Generator-status-max[{},{y},{t}]", gen.name),
                        f64::NEG_INFINITY,
                        online.constant,
                        &terms,
                    );
                    // p + r <= avail · s · u ; p >= low · s · u with the unit's minimum stable
                    // load (of what is available) or PyPSA's `p_min_pu`, whichever is higher
                    // (a negative one lets the unit draw while it is on).
                    let low = if msl > 0.0 {
                        (msl * avail).max(gen.p_min_pu_at(t))
                    } else {
                        gen.p_min_pu_at(t)
                    };
                    let mut terms = vec![(p, 1.0), (uc, -avail * s)];
                    if let Some(rc) = r {
                        terms.push((rc, 1.0));
                    }
                    lp.row_with(
                        format!("Generator-p-upper[{},{y},{t}]", gen.name),
                        f64::NEG_INFINITY,
                        0.0,
                        &terms,
                    );
                    if low > 0.0 || negative_min {
                        lp.row_with(
                            format!("Generator-p-lower[{},{y},{t}]", gen.name),
                            0.0,
                            f64::INFINITY,
                            &[(p, 1.0), (uc, -low * s)],
                        );
                    }
                    if op == Operation::MustRun {
                        // All available units committed.
                        let mut terms = vec![(uc, 1.0)];
                        terms.extend(online.terms.iter().map(|&(c, v)| (c, -v)));
                        lp.row_with(
                            format!("Generator-must-run[{},{y},{t}]", gen.name),
                            online.constant,
                            f64::INFINITY,
                            &terms,
                        );
                    }
                } else {
                    let lower = if op == Operation::MustRun { 1.0 } else { msl };
                    if lower > 0.0 {
                        let mut terms = vec![(p, 1.0)];
                        terms.extend(a.terms.iter().map(|&(c, v)| (c, -v * lower)));
                        lp.row_with(
                            format!("Generator-p-lower[{},{y},{t}]", gen.name),
                            a.constant * lower,
                            f64::INFINITY,
                            &terms,
                        );
                    }
                    // PyPSA's p_min_pu: p >= p_min_pu · p_nom.
                    let p_min_pu = gen.p_min_pu_at(t);
                    if (p_min_pu > 0.0 || negative_min) && lower == 0.0 {
                        let mut terms = vec![(p, 1.0)];
                        terms.extend(cap.terms.iter().map(|&(c, v)| (c, -v * p_min_pu)));
                        lp.row_with(
                            format!("Generator-p-min-pu[{},{y},{t}]", gen.name),
                            cap.constant * p_min_pu,
                            f64::INFINITY,
                            &terms,
                        );
                    }
                }
            }
            // Units that can be on (N; 1 for a big-M unit) and the status before the first
            // snapshot of a sequential year (PyPSA's history): h(L) = 1 if the units were up L
            // hours before it.
            // Start-ups, shut-downs, minimum up and down times and ramps (switching.rs).
            let n_built = units.clone().unwrap_or_default();
            let switching = Switching {
                kind: "Generator",
                name: &gen.name,
                period: y,
                period_weight: periods[y].weight,
                committable,
                big_m,
                size: gen.ramp_unit_mw.unwrap_or(size.unwrap_or(1.0)),
                // PyPSA bounds the start-ups and shut-downs of a modular unit whose module count
                // is a decision by that count, which matters in a sequential year whose history
                // says the unit was on (a shut-down then needs a module).
                bounded_by: (sequential
                    && gen.history_units.is_some()
                    && !n_built.terms.is_empty())
                .then(|| n_built.clone()),
                // PyPSA counts the history and the minimum down time of a modular unit in
                // single units (`Generator::history_units`).
                history_units: match (big_m, gen.history_units) {
                    (Some(_), _) => Expr::constant(1.0),
                    (None, Some(n)) => Expr::constant(n),
                    (None, None) => n_built,
                },
                min_up: unit.map_or(0, |u| u.min_up_time) as usize,
                min_down: unit.map_or(0, |u| u.min_down_time) as usize,
                up_before: unit.and_then(|u| u.up_time_before).unwrap_or(1) as usize,
                down_before: unit.map_or(0, |u| u.down_time_before) as usize,
                start_up_cost: (0..nt).map(start_up_cost).collect(),
                shut_down_cost: (0..nt).map(shut_down_cost).collect(),
                ramp_up: ramp.map(|_| (0..nt).map(ramp_up_at).collect()),
                ramp_down: ramp_down.map(|_| (0..nt).map(ramp_down_at).collect()),
                ramp_start_up,
                ramp_shut_down,
                p_init: gen.p_init,
                capacity: cap.clone(),
            };
            let (su_t, sd_t) = switching.switches(&mut lp, sys, &u_prev);
            switching.ramps(&mut lp, sys, &p_t, &u_prev, (&su_t, &sd_t));
            p_y.push(p_t);
        }
        ix.p.push(p_y);
        ix.season.push(season_y);
    }

    // ---- N-1 contingency reserve per area, period and hour (contingency.rs) ----
    contingency::area_rows(&mut lp, sys, opt, &mut ix, &reserve, ny);

    // ---- planning reserve margin (reserve_margin.rs) ----
    reserve_margin::add(&mut lp, sys, opt, &periods, &ix);

    // ---- links and lines ----
    links(&mut lp, sys, &periods, &mut ix, relax);
    let flows = ix.link_flow.clone();

    // ---- storage operation: charge, discharge, state of charge ----
    for (k, st) in sys.storage_units.iter().enumerate() {
        let mut pd_y = Vec::with_capacity(ny);
        let mut ps_y = Vec::with_capacity(ny);
        let mut final_y = Vec::with_capacity(ny);
        for (y, per) in periods.iter().enumerate() {
            let (pd, ps, last) = storage_operation(
                &mut lp,
                sys,
                opt.linking[k],
                st,
                &ix.storage_capacity[k][y],
                y,
                per.weight,
            );
            pd_y.push(pd);
            ps_y.push(ps);
            final_y.push(last);
        }
        ix.storage_dispatch.push(pd_y);
        ix.storage_store.push(ps_y);
        ix.storage_final_soc.push(final_y);
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
    policy::add_co2_caps(&mut lp, sys, opt, &periods, &ix);
    policy::add_capacity_limits(&mut lp, opt, &periods, &ix);
    policy::add_energy_limits(&mut lp, sys, opt, &periods, &ix);

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
