//! Generator operation in every period and modelled hour: output, availability, the
//! operating modes of nuclear units (must-run, load following), unit commitment, refuelling
//! outages, ramps and the contingency reserve each unit holds.
//!
//! For generator `g`, period `y` and hour `t`, with capacity `P_{g,y}` (investment.rs) and
//! availability `p_max_pu_{g,t}`:
//! $$p_{g,y,t} + r_{g,y,t} \le p^{\max}_{g,t} P_{g,y} - \text{(refuelling outage)}$$
//! where `r` is the contingency reserve the unit holds (a column only for a unit in an N-1
//! area that is not must-run and has a positive `reserve_ramp`, bounded by `reserve_ramp`
//! times its capacity when that is below 1; its use is in contingency.rs). A committable unit has a status `u_{g,y,t}` (units online: an integer up
//! to its unit count, a binary with PyPSA's big-M for a continuous committable capacity), with
//! `min_stable_load · S · u <= p` and `p + r <= p_max_pu · S · u`; start-ups, shut-downs,
//! minimum up and down times and ramps are switching.rs's rows, shared with links. A
//! must-run unit produces its available output; refuelling takes a unit's capacity out for its
//! outage days in a season (refuelling.rs). The objective gets the marginal cost of every MWh,
//! weighted by the hour's weight and the period's discounted weight, and the stand-by cost of
//! every unit online. The formulation: docs/formulation/planning.md ("Operation",
//! "Commitment", "Refuelling") and docs/formulation/commitment.md for PyPSA's counting.

// Index loops mirror the formulation (g, y, t).
#![allow(clippy::needless_range_loop)]

use super::*;

/// Output, commitment, refuelling, ramps and reserve columns of every generator (`ix.p`,
/// `ix.season` and the status columns); returns the reserve column of each generator, period
/// and hour (`None` where a unit holds none), which the contingency rows use.
pub(super) fn generator_operation(
    lp: &mut LinearProgram,
    sys: &System,
    opt: &Options,
    ix: &mut Index,
) -> Vec<Vec<Vec<Option<Col>>>> {
    let plan = opt.file;
    let periods = &opt.periods;
    let ny = periods.len();
    let nt = sys.hours();
    let ng = sys.generators.len();
    let relax = plan.solver.relax_integers;
    let sequential = matches!(sys.chronology, Chronology::Sequential);
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
        let mut status_y = Vec::with_capacity(ny);
        let mut season_y = Vec::new();
        for y in 0..ny {
            let cap = ix.capacity[g][y].clone();
            let units = ix.units[g][y].clone();
            // Refuelling: which blocks are in the season, and what is off-line there.
            let season = refuelling_season(lp, sys, opt, g, y, &blocks, &mut season_y);
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
                        lp,
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
                let r = (in_n1 && op != Operation::MustRun && reserve_ramp > 0.0)
                    .then(|| contingency::reserve_column(lp, &gen.name, y, t, &cap, reserve_ramp));
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
                            lp,
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
            let clock = super::switching::Clock::of(sys);
            let (su_t, sd_t) = switching.switches(lp, &clock, &u_prev);
            switching.ramps(lp, &clock, &p_t, &u_prev, (&su_t, &sd_t));
            p_y.push(p_t);
            status_y.push(u_prev.iter().flatten().copied().collect());
        }
        ix.p.push(p_y);
        ix.status.push(status_y);
        ix.season.push(season_y);
    }

    reserve
}
