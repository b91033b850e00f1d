//! Generator capacity and investment: what each generator has in each period, and what new
//! capacity is built when, at what cost.
//!
//! **One period** (no `[investment]`), PyPSA's semantics: an extendable generator's capacity is
//! one column `P_g` in [`p_nom_min`, `p_nom_max`] costed at `capital_cost` per MW; with a unit
//! size `S_g` it is `S_g · N_g` with `N_g` an integer number of units in
//! [`ceil(p_nom_min / S)`, `min(max_units, floor(p_nom_max / S))`] costed at `capital_cost · S`.
//! A fixed generator's capacity is a constant (`p_nom`, or `round(p_nom / S)` units).
//!
//! **Several periods** `y` (years `Y_y`, weights `W_y` = the sum of the discount factors of the
//! years the period stands for): new capacity is built in period `y` by a column `b_{g,y}`
//! (units, or MW without a unit size), allowed from the first year the lead time permits
//! (`decision_year + ceil(lead_time_years)`, and not before `earliest_year`) and bounded by
//! `max_units_per_period`, `max_units` and the build rate (`max_build_mw_per_year` times the
//! years since the previous period). A build lives `lifetime_years`, so capacity is
//! $$P_{g,y} = E_{g,y} + S_g \sum_{y' \le y,\ Y_y - Y_{y'} < L_g} b_{g,y'}$$
//! with `E_{g,y}` the existing capacity still in service (`online_year <= Y_y < retire_year`),
//! or, with `retirable`, a column `k_{g,y} \in [0, E_{g,y}]` that never rises again
//! (`Generator-retire-once`). With a finite `p_nom_max`, $P_{g,y} \le$ `p_nom_max` in every
//! period (`Generator-p_nom-max`, over the builds and the kept column). A build pays its annual
//! charge in every period it is alive:
//! $$c_{g,y} = a_g \cdot S_g \sum_{y' \ge y,\ Y_{y'} - Y_y < L_g} W_{y'},
//! \qquad a_g = 1000\,(o_g \cdot \mathrm{IDC}_g \cdot \mathrm{CRF}(r, L_g) + \mathrm{FOM}_g)$$
//! with `o_g` the overnight cost per kW (`overnight_cost_usd_per_kw`, else `a_g` is the
//! generator's `capital_cost`), interest during construction and the capital recovery factor
//! from atomplan-econ. With a vendor's learning steps, a build has one column per step at the
//! step's cost (`learning.rs` orders the steps). Existing capacity kept pays its fixed O&M,
//! a constant of the objective unless it can retire. Row names: `Generator-max-units`,
//! `Generator-p_nom-max`, `Generator-build-limit`, `Generator-retire-once`.
//! docs/formulation/planning.md has the derivations and the hand-checked cases.

// Index loops mirror the formulation (g, y).
#![allow(clippy::needless_range_loop)]

use super::*;

/// Capacity, units and builds of every generator in every period (`ix.capacity`, `ix.units`,
/// `ix.built`, and learning-step columns in `ix.learning`); returns the fixed O&M of existing
/// capacity that must be kept, a constant of the objective (USD).
pub(super) fn generator_capacity(
    lp: &mut LinearProgram,
    sys: &System,
    opt: &Options,
    ix: &mut Index,
) -> f64 {
    let plan = opt.file;
    let periods = &opt.periods;
    let ny = periods.len();
    let relax = plan.solver.relax_integers;
    let multi = opt.multi_period;
    let rate = plan.investment.as_ref().map_or(0.0, |i| i.discount_rate);
    let mut fixed_cost = 0.0;
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
                                gen.p_nom_max - c.constant,
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
    fixed_cost
}
