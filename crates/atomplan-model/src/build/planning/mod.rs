//! The planning model: capacity expansion and dispatch over investment periods and
//! representative hours, with the nuclear-aware constraint families.
//!
//! `build` is a flat sequence: capacity and build variables (integer units, learning steps,
//! lead times), dispatch and commitment, availability with refuelling, ramping, N-1 reserve,
//! planning reserve margin, then the nodal balance and the objective.
//! Each family is a function that appends its rows and (row, col, value) triplets to the [`LinearProgram`].
//! The formulation is written out in docs/formulation/planning.md.

// Index loops mirror the formulation (g, y, t); iterators would hide the indices.
#![allow(clippy::needless_range_loop)]

pub mod policy;

use atomplan_econ::{capital_recovery_factor, idc_factor_uniform};

use crate::planning::file::{PlanningFile, UnitWire};
use crate::planning::system::{Chronology, StorageUnit, System};
use crate::lp::{Col, LinearProgram, Row};

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

fn unit_of<'a>(plan: &'a PlanningFile, name: &str) -> Option<&'a UnitWire> {
    plan.units.get(name)
}

fn periods(plan: &PlanningFile) -> Vec<Period> {
    let Some(inv) = &plan.investment else {
        return vec![Period {
            year: None,
            weight: 1.0,
            load_scale: 1.0,
        }];
    };
    let n = inv.periods.len();
    let mean_len = if n > 1 {
        (inv.periods[n - 1] - inv.periods[0]) / (n as i32 - 1)
    } else {
        5
    };
    let end = inv.end_year.unwrap_or(inv.periods[n - 1] + mean_len);
    (0..n)
        .map(|i| {
            let from = inv.periods[i];
            let to = if i + 1 < n { inv.periods[i + 1] } else { end };
            let weight = (from..to)
                .map(|y| (1.0 + inv.discount_rate).powi(-(y - inv.decision_year)))
                .sum();
            Period {
                year: Some(from),
                weight,
                load_scale: inv
                    .load_scale
                    .as_ref()
                    .and_then(|v| v.get(i))
                    .copied()
                    .unwrap_or(1.0),
            }
        })
        .collect()
}

/// Blocks (representative periods) of hours: chronology wraps within each block.
fn prev_hour(t: usize, block_hours: usize) -> usize {
    let start = t - t % block_hours;
    if t == start {
        start + block_hours - 1
    } else {
        t - 1
    }
}

pub fn build(sys: &System, plan: &PlanningFile) -> Built {
    let mut lp = LinearProgram::default();
    let periods = periods(plan);
    let ny = periods.len();
    let nt = sys.hours();
    let ng = sys.generators.len();
    let relax = plan.solver.relax_integers;
    let multi = plan.investment.is_some();
    let mut ix = Index::default();
    let rate = plan.investment.as_ref().map_or(0.0, |i| i.discount_rate);
    // Costs that no decision changes (fixed O&M of capacity that must be kept), USD.
    let mut fixed_cost = 0.0;
    // The snapshot before t: none at the start of a sequential year (initial conditions
    // apply), otherwise the previous hour wrapping around inside the block.
    let sequential = matches!(sys.chronology, Chronology::Sequential);
    let prev = |t: usize| -> Option<usize> {
        if sequential {
            t.checked_sub(1)
        } else {
            Some(prev_hour(t, sys.block_hours))
        }
    };

    // ---- capacity and build variables ----
    for (g, gen) in sys.generators.iter().enumerate() {
        let unit = unit_of(plan, &gen.name);
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
            let steps: Vec<(Option<u32>, f64)> = u
                .vendor
                .as_ref()
                .and_then(|v| plan.vendors.get(v))
                .map(|v| {
                    v.learning
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
        add_learning(&mut lp, sys, plan, &periods, &mut ix);
    }

    // ---- storage capacity per period ----
    for st in &sys.storage_units {
        let (cap_y, built_y) = storage_capacity(&mut lp, st, plan, &periods);
        ix.storage_capacity.push(cap_y);
        ix.storage_built.push(built_y);
    }

    // ---- "at least one unit built" binaries for contingency designs ----
    for (g, gen) in sys.generators.iter().enumerate() {
        let unit = unit_of(plan, &gen.name);
        let sets_n1 =
            unit.is_some_and(|u| u.unit_size_mw.is_some() && u.contingency.unwrap_or(true));
        let mut row = Vec::with_capacity(ny);
        for y in 0..ny {
            let Some(n) = ix.units[g][y].clone().filter(|_| sets_n1) else {
                row.push(None);
                continue;
            };
            if n.terms.is_empty() {
                row.push(Some(Expr::constant(if n.constant > 0.5 {
                    1.0
                } else {
                    0.0
                })));
                continue;
            }
            if n.constant > 0.5 {
                row.push(Some(Expr::constant(1.0)));
                continue;
            }
            let z = lp.col(
                format!("Generator-any-built[{},{y}]", gen.name),
                0.0,
                0.0,
                1.0,
                !relax,
            );
            // n <= N_max · z
            let nmax = unit.and_then(|u| u.max_units).map_or(BIG_UNITS, f64::from);
            let mut terms = n.terms.clone();
            terms.push((z, -nmax));
            lp.row_with(
                format!("Generator-any-built-link[{},{y}]", gen.name),
                f64::NEG_INFINITY,
                -n.constant,
                &terms,
            );
            row.push(Some(Expr {
                terms: vec![(z, 1.0)],
                constant: 0.0,
            }));
        }
        ix.any_built.push(row);
    }

    // ---- dispatch, availability, commitment, refuelling, ramping, reserves ----
    // Refuelling seasons are made of whole days (a representative day is one).
    let blocks: Vec<f64> = sys
        .weights
        .chunks(SEASON_HOURS)
        .map(|c| c.iter().sum())
        .collect();
    let area_of_bus = sys.area_of_bus(plan);
    let n1_areas: Vec<bool> = plan.areas.iter().map(|a| a.n1_reserve).collect();
    // Reserve column of each generator [g][y][t]: the contingency reserve it holds in an hour
    // (none for a unit that cannot hold reserve or lies outside an N-1 area).
    let mut reserve: Vec<Vec<Vec<Option<Col>>>> = vec![vec![vec![None; nt]; ny]; ng];
    for (g, gen) in sys.generators.iter().enumerate() {
        let unit = unit_of(plan, &gen.name);
        let size = unit.and_then(|u| u.unit_size_mw);
        let op = unit
            .and_then(|u| u.operation.as_deref())
            .unwrap_or("flexible");
        let committable = unit.is_some_and(|u| u.committable);
        let msl = unit.map_or(0.0, |u| u.min_stable_load);
        let ramp = unit.and_then(|u| u.ramp_rate);
        let in_n1 = area_of_bus[gen.bus].is_some_and(|a| n1_areas[a]);
        let big_units = unit.map_or(BIG_UNITS, |u| {
            f64::from(u.max_units.unwrap_or(u.existing_units.max(1)))
        });
        let reserve_ramp = unit
            .and_then(|u| u.reserve_ramp.or(u.ramp_rate))
            .unwrap_or(1.0);
        let mut p_y = Vec::with_capacity(ny);
        let mut season_y = Vec::new();
        for y in 0..ny {
            let cap = ix.capacity[g][y].clone();
            let units = ix.units[g][y].clone();
            // Refuelling: which blocks are in the season, and what is off-line there.
            let season = refuelling_season(&mut lp, sys, plan, g, y, &blocks, &mut season_y);
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
                    0.0,
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
                // A unit that cannot hold reserve (reserve_ramp = 0) gets no reserve column.
                let r = if in_n1 && op != "must_run" && reserve_ramp > 0.0 {
                    let rc = lp.col(
                        format!("Generator-reserve[{},{y},{t}]", gen.name),
                        0.0,
                        0.0,
                        f64::INFINITY,
                        false,
                    );
                    // r <= reserve_ramp · cap
                    if reserve_ramp < 1.0 {
                        let mut terms = vec![(rc, 1.0)];
                        terms.extend(cap.terms.iter().map(|&(c, v)| (c, -v * reserve_ramp)));
                        lp.row_with(
                            format!("Generator-reserve-ramp[{},{y},{t}]", gen.name),
                            f64::NEG_INFINITY,
                            cap.constant * reserve_ramp,
                            &terms,
                        );
                    }
                    Some(rc)
                } else {
                    None
                };
                reserve[g][y][t] = r;
                if committable {
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
                        unit.and_then(|u| u.stand_by_cost).unwrap_or(0.0)
                            * sys.weights[t]
                            * periods[y].weight,
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
                    // p + r <= avail · s · u ; p >= msl · avail · s · u
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
                    if msl > 0.0 {
                        lp.row_with(
                            format!("Generator-p-lower[{},{y},{t}]", gen.name),
                            0.0,
                            f64::INFINITY,
                            &[(p, 1.0), (uc, -msl * avail * s)],
                        );
                    }
                    if op == "must_run" {
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
                    // p + r <= A
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
                    let lower = if op == "must_run" { 1.0 } else { msl };
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
                    if gen.p_min_pu > 0.0 && lower == 0.0 {
                        let mut terms = vec![(p, 1.0)];
                        terms.extend(cap.terms.iter().map(|&(c, v)| (c, -v * gen.p_min_pu)));
                        lp.row_with(
                            format!("Generator-p-min-pu[{},{y},{t}]", gen.name),
                            cap.constant * gen.p_min_pu,
                            f64::INFINITY,
                            &terms,
                        );
                    }
                }
            }
            // Start-ups, shut-downs and minimum up and down times, wrapping within each block.
            if committable {
                let su_cost = unit.and_then(|u| u.start_up_cost).unwrap_or(0.0);
                let sd_cost = unit.and_then(|u| u.shut_down_cost).unwrap_or(0.0);
                let min_up = unit.map_or(0, |u| u.min_up_time) as usize;
                let min_down = unit.map_or(0, |u| u.min_down_time) as usize;
                let w_y = periods[y].weight;
                let mut su_t: Vec<Option<Col>> = vec![None; nt];
                let mut sd_t: Vec<Option<Col>> = vec![None; nt];
                let n_units = units.clone().unwrap_or_default();
                // Status before the first snapshot of a sequential year (PyPSA's history):
                // h(L) = 1 if the units were up L hours before it.
                let up_before = unit.and_then(|u| u.up_time_before).unwrap_or(1) as usize;
                let down_before = unit.map_or(0, |u| u.down_time_before) as usize;
                let h = |lag: usize| -> f64 {
                    let up = if down_before > 0 {
                        lag > down_before
                    } else {
                        lag <= up_before
                    };
                    if up {
                        1.0
                    } else {
                        0.0
                    }
                };
                for t in 0..nt {
                    let Some(u_t) = u_prev[t] else { continue };
                    // u_p: the previous status column, or None with the initial status h(1)·N.
                    let u_p = match prev(t) {
                        Some(tp) => match u_prev[tp] {
                            Some(c) => Some(c),
                            None => continue,
                        },
                        None => None,
                    };
                    let before = |sign: f64| -> (Vec<(Col, f64)>, f64) {
                        // sign · u_before as terms and a constant.
                        match u_p {
                            Some(c) => (vec![(c, sign)], 0.0),
                            None => (
                                n_units
                                    .terms
                                    .iter()
                                    .map(|&(c, v)| (c, sign * h(1) * v))
                                    .collect(),
                                sign * h(1) * n_units.constant,
                            ),
                        }
                    };
                    if su_cost > 0.0 || min_up > 1 {
                        let su = lp.col(
                            format!("Generator-start-up[{},{y},{t}]", gen.name),
                            su_cost * sys.weights[t] * w_y,
                            0.0,
                            f64::INFINITY,
                            false,
                        );
                        // su - u_t + u_before >= 0
                        let (mut terms, k) = before(1.0);
                        terms.extend([(su, 1.0), (u_t, -1.0)]);
                        lp.row_with(
                            format!("Generator-start-up-def[{},{y},{t}]", gen.name),
                            -k,
                            f64::INFINITY,
                            &terms,
                        );
                        su_t[t] = Some(su);
                    }
                    if sd_cost > 0.0 || min_down > 1 {
                        let sd = lp.col(
                            format!("Generator-shut-down[{},{y},{t}]", gen.name),
                            sd_cost * sys.weights[t] * w_y,
                            0.0,
                            f64::INFINITY,
                            false,
                        );
                        // sd + u_t - u_before >= 0
                        let (mut terms, k) = before(-1.0);
                        terms.extend([(sd, 1.0), (u_t, 1.0)]);
                        lp.row_with(
                            format!("Generator-shut-down-def[{},{y},{t}]", gen.name),
                            -k,
                            f64::INFINITY,
                            &terms,
                        );
                        sd_t[t] = Some(sd);
                    }
                }
                // Σ_{τ = t-MUT+1..t} su_τ <= u_t ; Σ_{τ = t-MDT+1..t} sd_τ <= N - u_t
                let window = |t: usize, len: usize| -> Vec<usize> {
                    let mut out = vec![t];
                    let mut tau = t;
                    for _ in 1..len.min(sys.block_hours) {
                        let Some(p) = prev(tau) else { break };
                        tau = p;
                        out.push(tau);
                    }
                    out
                };
                // Sequential year: start-ups (shut-downs) before the first snapshot that still
                // bind at t, as a share of N (PyPSA's `past` switches with lag + t < min time).
                let past = |t: usize, len: usize, up: bool| -> f64 {
                    if !sequential {
                        return 0.0;
                    }
                    (1..len)
                        .filter(|&lag| lag + t < len)
                        .map(|lag| {
                            let switch = h(lag) - h(lag + 1);
                            if up {
                                switch.max(0.0)
                            } else {
                                (-switch).max(0.0)
                            }
                        })
                        .sum()
                };
                for t in 0..nt {
                    let Some(u_t) = u_prev[t] else { continue };
                    if min_up > 1 {
                        // Σ su - u_t + past · N <= 0
                        let k = past(t, min_up, true);
                        let mut terms: Vec<(Col, f64)> = window(t, min_up)
                            .iter()
                            .filter_map(|&tau| su_t[tau])
                            .map(|c| (c, 1.0))
                            .collect();
                        terms.push((u_t, -1.0));
                        terms.extend(n_units.terms.iter().map(|&(c, v)| (c, k * v)));
                        lp.row_with(
                            format!("Generator-min-up-time[{},{y},{t}]", gen.name),
                            f64::NEG_INFINITY,
                            -k * n_units.constant,
                            &terms,
                        );
                    }
                    if min_down > 1 {
                        // Σ sd + u_t - (1 - past) · N <= 0
                        let k = 1.0 - past(t, min_down, false);
                        let mut terms: Vec<(Col, f64)> = window(t, min_down)
                            .iter()
                            .filter_map(|&tau| sd_t[tau])
                            .map(|c| (c, 1.0))
                            .collect();
                        terms.push((u_t, 1.0));
                        terms.extend(n_units.terms.iter().map(|&(c, v)| (c, -k * v)));
                        lp.row_with(
                            format!("Generator-min-down-time[{},{y},{t}]", gen.name),
                            f64::NEG_INFINITY,
                            k * n_units.constant,
                            &terms,
                        );
                    }
                }
            }
            if let Some(rr) = ramp {
                for t in 0..nt {
                    // No ramp limit at the first snapshot of a sequential year (PyPSA without
                    // `p_init`).
                    let Some(tp) = prev(t) else { continue };
                    if tp == t {
                        continue;
                    }
                    for (dir, sign) in [("up", 1.0), ("down", -1.0)] {
                        let mut terms = vec![(p_t[t], sign), (p_t[tp], -sign)];
                        terms.extend(cap.terms.iter().map(|&(c, v)| (c, -v * rr)));
                        lp.row_with(
                            format!("Generator-ramp-{dir}[{},{y},{t}]", gen.name),
                            f64::NEG_INFINITY,
                            cap.constant * rr,
                            &terms,
                        );
                    }
                }
            }
            p_y.push(p_t);
        }
        ix.p.push(p_y);
        ix.season.push(season_y);
    }

    // ---- N-1 contingency reserve per area, period and hour ----
    for (a, area) in plan.areas.iter().enumerate() {
        let mut imp_y = Vec::with_capacity(ny);
        for y in 0..ny {
            let mut imp_t = Vec::with_capacity(nt);
            for t in 0..nt {
                if !area.n1_reserve {
                    continue;
                }
                let imp = lp.col(
                    format!("Area-reserve-import[{},{y},{t}]", area.name),
                    0.0,
                    0.0,
                    area.interconnector_reserve_mw,
                    false,
                );
                imp_t.push(imp);
                // R = Σ_{g in a} r_g once per hour, so each contingency row has four terms
                // instead of one per generator: R - r_c + imp - size_c · z_c >= 0.
                let total = lp.col(
                    format!("Area-reserve-total[{},{y},{t}]", area.name),
                    0.0,
                    0.0,
                    f64::INFINITY,
                    false,
                );
                // R - Σ_{g in a} r_g = 0
                let mut sum_terms = vec![(total, 1.0)];
                for (g, gen) in sys.generators.iter().enumerate() {
                    if area_of_bus[gen.bus] == Some(a) {
                        if let Some(r) = reserve[g][y][t] {
                            sum_terms.push((r, -1.0));
                        }
                    }
                }
                lp.row_with(
                    format!("Area-reserve-total-def[{},{y},{t}]", area.name),
                    0.0,
                    0.0,
                    &sum_terms,
                );
                for (c, gen) in sys.generators.iter().enumerate() {
                    if area_of_bus[gen.bus] != Some(a) {
                        continue;
                    }
                    let Some(z) = &ix.any_built[c][y] else {
                        continue;
                    };
                    let size = unit_of(plan, &gen.name)
                        .and_then(|u| u.unit_size_mw)
                        .unwrap_or(0.0);
                    // Σ_{g in a, g != c} r_g + imp - size_c · z_c >= 0
                    // R - r_c + imp - size_c · z_c >= 0, constants on the right.
                    let mut terms = vec![(imp, 1.0), (total, 1.0)];
                    if let Some(r) = reserve[c][y][t] {
                        terms.push((r, -1.0));
                    }
                    terms.extend(z.terms.iter().map(|&(col, v)| (col, -v * size)));
                    lp.row_with(
                        format!("Area-contingency[{},{},{y},{t}]", area.name, gen.name),
                        z.constant * size,
                        f64::INFINITY,
                        &terms,
                    );
                }
            }
            imp_y.push(imp_t);
        }
        ix.reserve_import.push(imp_y);
    }

    // ---- planning reserve margin ----
    for (a, area) in plan.areas.iter().enumerate() {
        if area.reserve_margin.is_none() && area.reserve_margin_by_period.is_none() {
            continue;
        }
        for (y, per) in periods.iter().enumerate() {
            let margin = area
                .reserve_margin_by_period
                .as_ref()
                .and_then(|m| m.get(y).copied())
                .or(area.reserve_margin)
                .unwrap_or(0.0);
            let modelled_peak = (0..nt)
                .map(|t| {
                    sys.loads
                        .iter()
                        .filter(|l| area_of_bus[l.bus] == Some(a))
                        .map(|l| l.p_set_at(t))
                        .sum::<f64>()
                })
                .fold(0.0, f64::max)
                * per.load_scale;
            let peak = area
                .peak_mw
                .as_ref()
                .and_then(|p| p.get(y).copied())
                .unwrap_or(modelled_peak);
            let mut e = Expr::default();
            for (g, gen) in sys.generators.iter().enumerate() {
                if area_of_bus[gen.bus] == Some(a) {
                    let credit = unit_of(plan, &gen.name)
                        .and_then(|u| u.capacity_credit)
                        .unwrap_or(1.0);
                    e.add(&ix.capacity[g][y].scaled(credit));
                }
            }
            for (k, st) in sys.storage_units.iter().enumerate() {
                if area_of_bus[st.bus] == Some(a) {
                    let credit = plan
                        .storage
                        .get(&st.name)
                        .and_then(|s| s.capacity_credit)
                        .unwrap_or(0.0);
                    if credit > 0.0 {
                        e.add(&ix.storage_capacity[k][y].scaled(credit));
                    }
                }
            }
            lp.row_with(
                format!(
                    "Area-reserve-margin[{},{}]",
                    area.name,
                    per.year.map_or_else(|| y.to_string(), |v| v.to_string())
                ),
                (1.0 + margin) * peak - e.constant,
                f64::INFINITY,
                &e.terms,
            );
        }
    }

    // ---- links and lines ----
    links(&mut lp, sys, &periods, &mut ix);
    let flows = ix.link_flow.clone();

    // ---- storage operation: charge, discharge, state of charge ----
    for (k, st) in sys.storage_units.iter().enumerate() {
        let mut pd_y = Vec::with_capacity(ny);
        let mut ps_y = Vec::with_capacity(ny);
        for (y, per) in periods.iter().enumerate() {
            let (pd, ps) = storage_operation(
                &mut lp,
                sys,
                plan,
                st,
                &ix.storage_capacity[k][y],
                y,
                per.weight,
            );
            pd_y.push(pd);
            ps_y.push(ps);
        }
        ix.storage_dispatch.push(pd_y);
        ix.storage_store.push(ps_y);
    }

    // ---- nodal balance ----
    for (y, per) in periods.iter().enumerate() {
        for (b, bus) in sys.buses.iter().enumerate() {
            for t in 0..nt {
                let load: f64 = sys
                    .loads
                    .iter()
                    .filter(|l| l.bus == b)
                    .map(|l| l.p_set_at(t))
                    .sum::<f64>()
                    * per.load_scale;
                let r: Row = lp.row(format!("Bus-balance[{bus},{y},{t}]"), load, load);
                ix.balance.push((b, y, t, r));
                for (g, gen) in sys.generators.iter().enumerate() {
                    if gen.bus == b {
                        lp.push(r, ix.p[g][y][t], 1.0);
                    }
                }
                for (k, st) in sys.storage_units.iter().enumerate() {
                    if st.bus == b {
                        lp.push(r, ix.storage_dispatch[k][y][t], 1.0);
                        lp.push(r, ix.storage_store[k][y][t], -1.0);
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

    // ---- CO2 cap: annual tonnes, with the hour weights that make a period's operating cost annual ----
    let caps = plan.investment.as_ref().and_then(|i| i.co2_cap_t.as_ref());
    for (y, per) in periods.iter().enumerate() {
        let Some(&cap) = caps.and_then(|c| c.get(y)) else {
            continue;
        };
        if !cap.is_finite() {
            continue;
        }
        let mut terms = Vec::new();
        for (g, gen) in sys.generators.iter().enumerate() {
            if gen.co2_t_per_mwh != 0.0 {
                for t in 0..nt {
                    terms.push((ix.p[g][y][t], gen.co2_t_per_mwh * sys.weights[t]));
                }
            }
        }
        let year = per.year.map_or_else(|| y.to_string(), |v| v.to_string());
        lp.row_with(format!("CO2-cap[{year}]"), f64::NEG_INFINITY, cap, &terms);
    }

    policy::add_capacity_limits(&mut lp, sys, plan, &periods, &ix);
    policy::add_energy_limits(&mut lp, sys, plan, &periods, &ix);

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

/// Power capacity of a storage unit in each period, and what is built in each period.
/// Single period: PyPSA's `p_nom_opt` in [`p_nom_min`, `p_nom_max`] at `capital_cost`.
/// Multi-period: builds per period, each costed at `capital_cost` per year over the periods in
/// which it is alive (`storage.<name>.lifetime_years`), on top of the existing `p_nom`.
fn storage_capacity(
    lp: &mut LinearProgram,
    st: &StorageUnit,
    plan: &PlanningFile,
    periods: &[Period],
) -> (Vec<Expr>, Vec<Expr>) {
    let ny = periods.len();
    if plan.investment.is_none() {
        if !st.extendable {
            return (vec![Expr::constant(st.p_nom)], vec![Expr::constant(0.0)]);
        }
        let e = expansion_capacity(
            lp,
            "StorageUnit",
            &st.name,
            st.capital_cost,
            (st.p_nom_min, st.p_nom_max),
            st.module,
        );
        return (vec![e.clone()], vec![e]);
    }
    let lifetime = plan
        .storage
        .get(&st.name)
        .and_then(|s| s.lifetime_years)
        .unwrap_or(f64::INFINITY);
    let alive = |built: i32, year: i32| year >= built && f64::from(year - built) < lifetime;
    let builds: Vec<Option<Col>> = periods
        .iter()
        .map(|per| {
            if !st.extendable {
                return None;
            }
            let yr = per.year.unwrap_or(0);
            let active_weight: f64 = periods
                .iter()
                .filter(|q| alive(yr, q.year.unwrap_or(0)))
                .map(|q| q.weight)
                .sum();
            Some(lp.col(
                format!("StorageUnit-build[{},{yr}]", st.name),
                st.capital_cost * active_weight,
                0.0,
                st.p_nom_max,
                false,
            ))
        })
        .collect();
    let mut cap_y = Vec::with_capacity(ny);
    let mut built_y = Vec::with_capacity(ny);
    for per in periods {
        let yr = per.year.unwrap_or(0);
        let mut cap = Expr::constant(st.p_nom);
        let mut built = Expr::constant(0.0);
        for (yb, col) in builds.iter().enumerate() {
            let Some(c) = *col else { continue };
            let byr = periods[yb].year.unwrap_or(0);
            if alive(byr, yr) {
                cap.terms.push((c, 1.0));
            }
            if byr == yr {
                built.terms.push((c, 1.0));
            }
        }
        if st.extendable && st.p_nom_max.is_finite() && !cap.terms.is_empty() {
            lp.row_with(
                format!("StorageUnit-p_nom-max[{},{yr}]", st.name),
                f64::NEG_INFINITY,
                st.p_nom_max - st.p_nom,
                &cap.terms,
            );
        }
        cap_y.push(cap);
        built_y.push(built);
    }
    (cap_y, built_y)
}

/// `col <= k · cap` as a column bound when the capacity is fixed, else as a row.
fn limit_by_capacity(lp: &mut LinearProgram, col: Col, k: f64, cap: &Expr, name: String) {
    if cap.terms.is_empty() || k == 0.0 {
        lp.col_upper[col] = lp.col_upper[col].min((k * cap.constant).max(0.0));
        return;
    }
    let mut terms = vec![(col, 1.0)];
    terms.extend(cap.terms.iter().map(|&(c, v)| (c, -k * v)));
    lp.row_with(name, f64::NEG_INFINITY, k * cap.constant, &terms);
}

/// How the state of charge of one unit runs through the snapshots.
enum SocMode {
    /// PyPSA's: one sequence, cyclic or from `state_of_charge_initial`.
    Sequential,
    /// Cyclic inside each block.
    CyclicPerBlock,
    /// Intra-period state per representative hour plus an inter-period state per original
    /// period (Kotzur et al. 2018).
    Linked {
        sequence: Vec<usize>,
        last_hours: usize,
    },
}

fn soc_mode(sys: &System, plan: &PlanningFile, st: &StorageUnit) -> SocMode {
    match &sys.chronology {
        Chronology::Sequential => SocMode::Sequential,
        Chronology::Wrap => SocMode::CyclicPerBlock,
        Chronology::Linked {
            sequence,
            last_hours,
        } => {
            let linking = plan
                .storage
                .get(&st.name)
                .and_then(|s| s.linking.as_deref())
                .or(plan.aggregation.as_ref().map(|a| a.storage.as_str()))
                .unwrap_or("linked");
            if linking == "cyclic" {
                SocMode::CyclicPerBlock
            } else {
                SocMode::Linked {
                    sequence: sequence.clone(),
                    last_hours: *last_hours,
                }
            }
        }
    }
}

/// Charge, discharge and state of charge of one storage unit in one period; returns the
/// discharge and charge columns per snapshot. Formulas: docs/formulation/planning-storage.md.
fn storage_operation(
    lp: &mut LinearProgram,
    sys: &System,
    plan: &PlanningFile,
    st: &StorageUnit,
    cap: &Expr,
    y: usize,
    period_weight: f64,
) -> (Vec<Col>, Vec<Col>) {
    let nt = sys.hours();
    let name = &st.name;
    let mut pd = Vec::with_capacity(nt);
    let mut ps = Vec::with_capacity(nt);
    let mut spill = vec![None; nt];
    for t in 0..nt {
        let d = lp.col(
            format!("StorageUnit-p_dispatch[{name},{y},{t}]"),
            st.marginal_cost * sys.weights[t] * period_weight,
            0.0,
            f64::INFINITY,
            false,
        );
        let c = lp.col(
            format!("StorageUnit-p_store[{name},{y},{t}]"),
            0.0,
            0.0,
            f64::INFINITY,
            false,
        );
        limit_by_capacity(
            lp,
            d,
            st.p_max_pu,
            cap,
            format!("StorageUnit-p_dispatch-upper[{name},{y},{t}]"),
        );
        limit_by_capacity(
            lp,
            c,
            -st.p_min_pu,
            cap,
            format!("StorageUnit-p_store-upper[{name},{y},{t}]"),
        );
        if st.efficiency_dispatch <= 0.0 {
            // A unit that cannot discharge.
            lp.col_upper[d] = 0.0;
        }
        if st.inflow_at(t) > 0.0 {
            spill[t] = Some(lp.col(
                format!("StorageUnit-spill[{name},{y},{t}]"),
                0.0,
                0.0,
                f64::INFINITY,
                false,
            ));
        }
        pd.push(d);
        ps.push(c);
    }
    let e_max = cap.scaled(st.max_hours);
    // The net energy put in during snapshot t: terms and constant of
    // w_t (η_s p_s - p_d / η_d - spill + inflow).
    let net = |t: usize| -> (Vec<(Col, f64)>, f64) {
        let w = sys.store_weight(t);
        let mut terms = vec![(ps[t], w * st.efficiency_store)];
        if st.efficiency_dispatch > 0.0 {
            terms.push((pd[t], -w / st.efficiency_dispatch));
        }
        if let Some(sp) = spill[t] {
            terms.push((sp, -w));
        }
        (terms, w * st.inflow_at(t))
    };
    let standing = |t: usize| (1.0 - st.standing_loss).powf(sys.store_weight(t));
    let mode = soc_mode(sys, plan, st);
    let bh = sys.block_hours.max(1);
    match mode {
        SocMode::Sequential | SocMode::CyclicPerBlock => {
            let soc: Vec<Col> = (0..nt)
                .map(|t| {
                    let e = lp.col(
                        format!("StorageUnit-state_of_charge[{name},{y},{t}]"),
                        0.0,
                        0.0,
                        f64::INFINITY,
                        false,
                    );
                    limit_by_capacity(
                        lp,
                        e,
                        st.max_hours,
                        cap,
                        format!("StorageUnit-state_of_charge-upper[{name},{y},{t}]"),
                    );
                    e
                })
                .collect();
            for t in 0..nt {
                // e_t - η e_{t-1} - net_t = inflow_t (+ initial)
                let previous = match mode {
                    SocMode::Sequential => {
                        if t > 0 {
                            Some(t - 1)
                        } else if st.cyclic_state_of_charge {
                            Some(nt - 1)
                        } else {
                            None
                        }
                    }
                    _ => Some(prev_hour(t, bh)),
                };
                let (net_terms, inflow) = net(t);
                let mut terms = vec![(soc[t], 1.0)];
                terms.extend(net_terms.iter().map(|&(c, v)| (c, -v)));
                let mut rhs = inflow;
                match previous {
                    Some(tp) => terms.push((soc[tp], -standing(t))),
                    None => rhs += st.state_of_charge_initial,
                }
                lp.row_with(
                    format!("StorageUnit-energy_balance[{name},{y},{t}]"),
                    rhs,
                    rhs,
                    &terms,
                );
            }
        }
        SocMode::Linked {
            sequence,
            last_hours,
        } => {
            let nb = nt / bh;
            // Intra-period state per representative hour, 0 at the start of each block.
            let intra: Vec<Col> = (0..nt)
                .map(|t| {
                    lp.col(
                        format!("StorageUnit-soc_intra[{name},{y},{t}]"),
                        0.0,
                        f64::NEG_INFINITY,
                        f64::INFINITY,
                        false,
                    )
                })
                .collect();
            for t in 0..nt {
                let (net_terms, inflow) = net(t);
                let mut terms = vec![(intra[t], 1.0)];
                terms.extend(net_terms.iter().map(|&(c, v)| (c, -v)));
                if t % bh != 0 {
                    terms.push((intra[t - 1], -standing(t)));
                }
                lp.row_with(
                    format!("StorageUnit-soc_intra-balance[{name},{y},{t}]"),
                    inflow,
                    inflow,
                    &terms,
                );
            }
            // Highest and lowest intra-period state over the first `hours` hours of block `b`
            // (the block start, 0, included).
            let mut extremes = |b: usize, hours: usize, key: String| -> (Col, Col) {
                let h = lp.col(
                    format!("StorageUnit-soc_intra-max[{name},{y},{key}]"),
                    0.0,
                    0.0,
                    f64::INFINITY,
                    false,
                );
                let l = lp.col(
                    format!("StorageUnit-soc_intra-min[{name},{y},{key}]"),
                    0.0,
                    f64::NEG_INFINITY,
                    0.0,
                    false,
                );
                for t in b * bh..b * bh + hours {
                    lp.row_with(
                        format!("StorageUnit-soc_intra-max-def[{name},{y},{key},{t}]"),
                        f64::NEG_INFINITY,
                        0.0,
                        &[(intra[t], 1.0), (h, -1.0)],
                    );
                    lp.row_with(
                        format!("StorageUnit-soc_intra-min-def[{name},{y},{key},{t}]"),
                        0.0,
                        f64::INFINITY,
                        &[(intra[t], 1.0), (l, -1.0)],
                    );
                }
                (h, l)
            };
            let whole: Vec<(Col, Col)> = (0..nb).map(|b| extremes(b, bh, b.to_string())).collect();
            // A partial last period is bounded over its own hours only.
            let np = sequence.len();
            let partial = match sequence.last() {
                Some(&b) if last_hours < bh => {
                    Some(extremes(b, last_hours, format!("{b},first{last_hours}")))
                }
                _ => None,
            };
            // Standing efficiency over a whole block and over its first `hours` hours.
            let decay = |b: usize, hours: usize| -> f64 {
                (b * bh..b * bh + hours).map(standing).product()
            };
            // Inter-period state at the start of each original period (and at the end of the
            // last one when not cyclic).
            let n_inter = if st.cyclic_state_of_charge {
                np
            } else {
                np + 1
            };
            let inter: Vec<Col> = (0..n_inter)
                .map(|i| {
                    let fixed = !st.cyclic_state_of_charge && i == 0;
                    let v = if fixed {
                        st.state_of_charge_initial
                    } else {
                        0.0
                    };
                    let c = lp.col(
                        format!("StorageUnit-soc_inter[{name},{y},{i}]"),
                        0.0,
                        v,
                        if fixed { v } else { f64::INFINITY },
                        false,
                    );
                    if i == np {
                        limit_by_capacity(
                            lp,
                            c,
                            st.max_hours,
                            cap,
                            format!("StorageUnit-soc_inter-upper[{name},{y},{i}]"),
                        );
                    }
                    c
                })
                .collect();
            for (i, &b) in sequence.iter().enumerate() {
                let hours = if i + 1 == np { last_hours.min(bh) } else { bh };
                let next = inter[(i + 1) % n_inter];
                // S_{i+1} = decay · S_i + e^intra_{b, hours - 1}
                lp.row_with(
                    format!("StorageUnit-soc_inter-balance[{name},{y},{i}]"),
                    0.0,
                    0.0,
                    &[
                        (next, 1.0),
                        (inter[i], -decay(b, hours)),
                        (intra[b * bh + hours - 1], -1.0),
                    ],
                );
                // S_i + max_t e^intra_b <= h · P ;  decay_b · S_i + min_t e^intra_b >= 0
                let (hi, lo) = match partial {
                    Some(p) if i + 1 == np => p,
                    _ => whole[b],
                };
                let mut terms = vec![(inter[i], 1.0), (hi, 1.0)];
                terms.extend(e_max.terms.iter().map(|&(c, v)| (c, -v)));
                lp.row_with(
                    format!("StorageUnit-soc-upper[{name},{y},{i}]"),
                    f64::NEG_INFINITY,
                    e_max.constant,
                    &terms,
                );
                lp.row_with(
                    format!("StorageUnit-soc-lower[{name},{y},{i}]"),
                    0.0,
                    f64::INFINITY,
                    &[(inter[i], decay(b, hours)), (lo, 1.0)],
                );
            }
        }
    }
    (pd, ps)
}

/// Which blocks hold the refuelling season of generator `g` in period `y`.
pub enum Season {
    /// Fixed set of blocks in the season; staggered (one unit out) or not (all out).
    Fixed { blocks: Vec<bool>, staggered: bool },
    /// Season chosen by the optimiser: one binary per block.
    Chosen { cols: Vec<Col>, staggered: bool },
}

fn refuelling_season(
    lp: &mut LinearProgram,
    sys: &System,
    plan: &PlanningFile,
    g: usize,
    y: usize,
    blocks: &[f64],
    season_y: &mut Vec<Vec<Col>>,
) -> Option<Season> {
    let gen = &sys.generators[g];
    let u = plan.units.get(&gen.name)?;
    let r = u.refuelling.as_ref()?;
    u.unit_size_mw?;
    let staggered = r.schedule != "simultaneous";
    let outage_days_per_year = r.outage_days * 12.0 / r.cycle_months;
    let units_max = f64::from(u.max_units.unwrap_or(u.existing_units.max(1)));
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
                    format!("Generator-refuelling-season[{},{y},{b}]", gen.name),
                    0.0,
                    0.0,
                    1.0,
                    true,
                )
            })
            .collect();
        let terms: Vec<(Col, f64)> = cols.iter().zip(blocks).map(|(&c, &w)| (c, w)).collect();
        lp.row_with(
            format!("Generator-refuelling-hours[{},{y}]", gen.name),
            season_hours,
            f64::INFINITY,
            &terms,
        );
        season_y.push(cols.clone());
        return Some(Season::Chosen { cols, staggered });
    }
    // Fixed: the lowest-load blocks until the season's hours are covered.
    let mut order: Vec<usize> = (0..nb).collect();
    let mean_load: Vec<f64> = (0..nb)
        .map(|b| {
            let hours = b * SEASON_HOURS..((b + 1) * SEASON_HOURS).min(sys.hours());
            hours
                .map(|t| sys.loads.iter().map(|l| l.p_set_at(t)).sum::<f64>())
                .sum::<f64>()
        })
        .collect();
    order.sort_by(|&a, &b| mean_load[a].total_cmp(&mean_load[b]).then(a.cmp(&b)));
    let mut in_season = vec![false; nb];
    let mut covered = 0.0;
    for b in order {
        if covered >= season_hours - 1e-9 {
            break;
        }
        in_season[b] = true;
        covered += blocks[b];
    }
    Some(Season::Fixed {
        blocks: in_season,
        staggered,
    })
}

/// Reduce the available expression `a` in block `block` for a refuelling season:
/// staggered removes one unit (`per_unit` MW) if any is built, simultaneous removes all.
#[allow(clippy::too_many_arguments)]
fn apply_season(
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

/// FOAK → NOAK learning: each vendor's steps hold a number of units across all its designs
/// and periods, and a step opens only when the previous one is full.
fn add_learning(
    lp: &mut LinearProgram,
    sys: &System,
    plan: &PlanningFile,
    periods: &[Period],
    ix: &mut Index,
) {
    for (vname, vendor) in &plan.vendors {
        let nsteps = vendor.learning.len();
        for (k, step) in vendor.learning.iter().enumerate() {
            let cols_in = |kk: usize, upto: usize| -> Vec<Col> {
                ix.learning
                    .iter()
                    .filter(|&&(g, y, s, _)| {
                        s == kk
                            && y <= upto
                            && plan
                                .units
                                .get(&sys.generators[g].name)
                                .and_then(|u| u.vendor.as_deref())
                                == Some(vname.as_str())
                    })
                    .map(|&(_, _, _, c)| c)
                    .collect()
            };
            let all = cols_in(k, periods.len());
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
                    for y in 0..periods.len() {
                        // full_{k,y} binary: Σ_{y'<=y} b_k >= units · full ; Σ_{y'<=y} b_{k+1} <= BIG · full
                        let full = lp.col(
                            format!("Vendor-step-full[{vname},{k},{y}]"),
                            0.0,
                            0.0,
                            1.0,
                            !plan.solver.relax_integers,
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

/// Links and lines: one flow column per period and hour, between `p_min_pu · P` and
/// `p_max_pu · P` (`-P ≤ f ≤ P` for a line), at the link's marginal cost per MWh out of `bus0`.
/// A fixed branch bounds its flow columns directly; an extendable one (single-period plans, as
/// in PyPSA) has a capacity column `Link-p_nom[name]` in `[p_nom_min, p_nom_max]` costed at
/// `capital_cost` per MW, and two rows per hour:
/// $$f_{l,t} - \bar{p}_l P_l \le 0, \qquad f_{l,t} - \underline{p}_l P_l \ge 0.$$
fn links(lp: &mut LinearProgram, sys: &System, periods: &[Period], ix: &mut Index) {
    let nt = sys.hours();
    for link in &sys.links {
        let capacity = match &link.expansion {
            Some(x) => expansion_capacity(
                lp,
                "Link",
                &link.name,
                x.capital_cost,
                (x.p_nom_min, x.p_nom_max),
                x.module,
            ),
            None => Expr::constant(link.p_nom),
        };
        let mut f_y = Vec::with_capacity(periods.len());
        for (y, per) in periods.iter().enumerate() {
            let flows: Vec<Col> = (0..nt)
                .map(|t| {
                    let cost = link.marginal_cost * sys.weights[t] * per.weight;
                    match (&link.expansion, capacity.terms.first()) {
                        (Some(x), Some(&(p_nom, per_column))) => {
                            let f = lp.col(
                                format!("Link-p[{},{y},{t}]", link.name),
                                cost,
                                f64::NEG_INFINITY,
                                f64::INFINITY,
                                false,
                            );
                            lp.row_with(
                                format!("Link-p-upper[{},{y},{t}]", link.name),
                                f64::NEG_INFINITY,
                                0.0,
                                &[(f, 1.0), (p_nom, -x.p_max_pu * per_column)],
                            );
                            lp.row_with(
                                format!("Link-p-lower[{},{y},{t}]", link.name),
                                0.0,
                                f64::INFINITY,
                                &[(f, 1.0), (p_nom, -x.p_min_pu * per_column)],
                            );
                            f
                        }
                        _ => {
                            let lo = if link.bidirectional { -link.p_nom } else { 0.0 };
                            lp.col(
                                format!("Link-p[{},{y},{t}]", link.name),
                                cost,
                                lo,
                                link.p_nom,
                                false,
                            )
                        }
                    }
                })
                .collect();
            f_y.push(flows);
        }
        ix.link_capacity.push(capacity);
        ix.link_flow.push(f_y);
    }
}

/// Kirchhoff's voltage law on the lines, one row per independent cycle $c$, period and hour:
/// $$\sum_{l \in c} C_{l,c}\, x^{pu}_l\, f_{l,y,t} = 0$$
/// with the core's cycle basis and per-unit impedances (`System::kvl_cycles`; see
/// `build::lines::add_kirchhoff_voltage_law`).
fn kirchhoff_voltage_law(
    lp: &mut LinearProgram,
    sys: &System,
    n_periods: usize,
    flows: &[Vec<Vec<Col>>],
) {
    for (c, cycle) in sys.kvl_cycles.iter().enumerate() {
        for y in 0..n_periods {
            for t in 0..sys.hours() {
                let terms: Vec<(Col, f64)> = cycle
                    .iter()
                    .map(|&(l, coefficient)| (flows[l][y][t], coefficient))
                    .collect();
                lp.row_with(
                    format!("Kirchhoff-Voltage-Law[cycle{c},{y},{t}]"),
                    0.0,
                    0.0,
                    &terms,
                );
            }
        }
    }
}

/// The network's own CO2 limits (single-period plans): tonnes over the modelled year with the
/// generator hour weights, as the core's `build::global::add_primary_energy_limits`:
/// $$\underline{K} \le \sum_t w_t \sum_g e_g\, p_{g,t} \le \overline{K}.$$
fn emission_limits(lp: &mut LinearProgram, sys: &System, ix: &mut Index) {
    for limit in &sys.emission_limits {
        let mut terms = Vec::new();
        for (g, gen) in sys.generators.iter().enumerate() {
            if gen.co2_t_per_mwh == 0.0 {
                continue;
            }
            for (t, &p) in ix.p[g]
                .first()
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .enumerate()
            {
                terms.push((p, gen.co2_t_per_mwh * sys.weights[t]));
            }
        }
        let row = lp.row_with(
            format!("GlobalConstraint[{}]", limit.name),
            limit.lower,
            limit.upper,
            &terms,
        );
        ix.emission_rows.push(row);
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
