//! Links and lines in the planning model, as the core builds them (`build::links`,
//! `build::lines`): flows bounded by a fixed or extendable capacity, Kirchhoff's voltage law on
//! the lines' cycle basis, and the network's own CO2 limits (`build::global`).

// Index loops mirror the formulation (g, y, t).
#![allow(clippy::needless_range_loop)]

use super::*;
use crate::planning::system::{Link, LinkOperation};

/// Links and lines: one flow column per period and hour, between `p_min_pu_t · P` and
/// `p_max_pu_t · P` (`-s_max_pu_t P ≤ f ≤ s_max_pu_t P` for a line), at the link's marginal cost
/// per MWh out of `bus0`. A fixed branch bounds its flow columns directly; an extendable one
/// (single-period plans, as in PyPSA) has a capacity column `Link-p_nom[name]` in
/// `[p_nom_min, p_nom_max]` costed at `capital_cost` per MW, and two rows per hour:
/// $$f_{l,t} - \bar{p}_{l,t} P_l \le 0, \qquad f_{l,t} - \underline{p}_{l,t} P_l \ge 0.$$
pub(super) fn links(
    lp: &mut LinearProgram,
    sys: &System,
    periods: &[Period],
    ix: &mut Index,
    relax: bool,
) {
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
        let mut status_y = Vec::with_capacity(periods.len());
        for (y, per) in periods.iter().enumerate() {
            let flows: Vec<Col> = (0..nt)
                .map(|t| {
                    let cost = link.marginal_cost_at(t) * sys.weights[t] * per.weight;
                    let (low, high) = (link.p_min_pu_at(t), link.p_max_pu_at(t));
                    if link.operation.as_ref().is_some_and(|o| o.committable) {
                        // Bounded by the status (`link_operation`); only the signs here.
                        return lp.col(
                            format!("Link-p[{},{y},{t}]", link.name),
                            cost,
                            if low >= 0.0 { 0.0 } else { f64::NEG_INFINITY },
                            if high <= 0.0 { 0.0 } else { f64::INFINITY },
                            false,
                        );
                    }
                    match (&link.expansion, capacity.terms.first()) {
                        (Some(_), Some(&(p_nom, per_column))) => {
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
                                &[(f, 1.0), (p_nom, -high * per_column)],
                            );
                            lp.row_with(
                                format!("Link-p-lower[{},{y},{t}]", link.name),
                                0.0,
                                f64::INFINITY,
                                &[(f, 1.0), (p_nom, -low * per_column)],
                            );
                            f
                        }
                        _ => lp.col(
                            format!("Link-p[{},{y},{t}]", link.name),
                            cost,
                            low * link.p_nom,
                            high * link.p_nom,
                            false,
                        ),
                    }
                })
                .collect();
            let status = link_operation(lp, sys, link, &capacity, (y, per.weight), &flows, relax);
            f_y.push(flows);
            status_y.push(status);
        }
        ix.link_capacity.push(capacity);
        ix.link_flow.push(f_y);
        ix.link_status.push(status_y);
    }
}

/// A committable or ramp-limited link in one period (PyPSA 1.4, as the core's
/// `build::commitment` and `build::ramping` treat links): a committable link's status $u_t$
/// bounds its flow $f_t$,
/// - fixed capacity $P$ (binary $u$) or modules $m$ ($u \le P/m$, or $u \le n$ when the module
///   count $n$ is a decision): $\underline{p}_t S u_t \le f_t \le \bar{p}_t S u_t$ with $S$ = $P$ or $m$;
/// - extendable without modules (big-M $M$): $f_t \le M u_t$, $f_t \le \bar{p}_t P$,
///   $f_t \ge \underline{p}_t P - M (1 - u_t)$;
///
/// with stand-by costs on $u_t$; start-ups, shut-downs, minimum times and ramps are
/// `switching.rs`'s.
fn link_operation(
    lp: &mut LinearProgram,
    sys: &System,
    link: &Link,
    capacity: &Expr,
    (y, period_weight): (usize, f64),
    flows: &[Col],
    relax: bool,
) -> Vec<Col> {
    let Some(op) = &link.operation else {
        return Vec::new();
    };
    let nt = sys.hours();
    let name = &link.name;
    let extendable = link.expansion.is_some();
    let modular = op.module > 0.0;
    // Module count as an expression when it is a decision (capacity = m · n).
    let n_mod = (modular && extendable).then(|| capacity.scaled(1.0 / op.module));
    let mut status = vec![None; nt];
    if op.committable {
        let upper = match (modular, extendable) {
            (true, false) => (link.p_nom / op.module).round(),
            (true, true) => f64::INFINITY,
            _ => 1.0,
        };
        for t in 0..nt {
            let u = lp.col(
                format!("Link-status[{name},{y},{t}]"),
                LinkOperation::at(&op.stand_by_cost, t) * sys.weights[t] * period_weight,
                0.0,
                upper,
                !relax,
            );
            status[t] = Some(u);
            let f = flows[t];
            let (low, high) = (link.p_min_pu_at(t), link.p_max_pu_at(t));
            if let Some(n) = &n_mod {
                let mut terms = vec![(u, 1.0)];
                terms.extend(n.terms.iter().map(|&(c, v)| (c, -v)));
                lp.row_with(
                    format!("Link-status-max[{name},{y},{t}]"),
                    f64::NEG_INFINITY,
                    n.constant,
                    &terms,
                );
            }
            match (op.big_m, capacity.terms.first()) {
                (Some(m), Some(&(p_nom, per_column))) => {
                    lp.row_with(
                        format!("Link-p-upper-bigM[{name},{y},{t}]"),
                        f64::NEG_INFINITY,
                        0.0,
                        &[(f, 1.0), (u, -m)],
                    );
                    lp.row_with(
                        format!("Link-p-upper[{name},{y},{t}]"),
                        f64::NEG_INFINITY,
                        0.0,
                        &[(f, 1.0), (p_nom, -high * per_column)],
                    );
                    lp.row_with(
                        format!("Link-p-lower-bigM[{name},{y},{t}]"),
                        -m,
                        f64::INFINITY,
                        &[(f, 1.0), (p_nom, -low * per_column), (u, -m)],
                    );
                }
                _ => {
                    let size = if modular { op.module } else { link.p_nom };
                    lp.row_with(
                        format!("Link-p-upper[{name},{y},{t}]"),
                        f64::NEG_INFINITY,
                        0.0,
                        &[(f, 1.0), (u, -high * size)],
                    );
                    lp.row_with(
                        format!("Link-p-lower[{name},{y},{t}]"),
                        0.0,
                        f64::INFINITY,
                        &[(f, 1.0), (u, -low * size)],
                    );
                }
            }
        }
    }
    let sequential = matches!(sys.chronology, Chronology::Sequential);
    let series = |s: &[f64]| {
        (0..nt)
            .map(|t| LinkOperation::at(s, t))
            .collect::<Vec<f64>>()
    };
    let switching = Switching {
        kind: "Link",
        name,
        period: y,
        period_weight,
        committable: op.committable,
        big_m: op.big_m.filter(|_| op.committable),
        // PyPSA's ramp rows take the module of an extendable modular link, else `p_nom`.
        size: if modular && extendable {
            op.module
        } else {
            link.p_nom
        },
        bounded_by: n_mod.filter(|_| sequential),
        // PyPSA counts a link's history in single units.
        history_units: Expr::constant(1.0),
        min_up: op.min_up_time,
        min_down: op.min_down_time,
        up_before: op.up_time_before,
        down_before: op.down_time_before,
        start_up_cost: series(&op.start_up_cost),
        shut_down_cost: series(&op.shut_down_cost),
        ramp_up: op.ramp_limit_up.as_deref().map(series),
        ramp_down: op.ramp_limit_down.as_deref().map(series),
        ramp_start_up: op.ramp_limit_start_up.unwrap_or(1.0),
        ramp_shut_down: op.ramp_limit_shut_down.unwrap_or(1.0),
        p_init: op.p_init,
        capacity: capacity.clone(),
    };
    let clock = super::switching::Clock::of(sys);
    let (su, sd) = switching.switches(lp, &clock, &status);
    switching.ramps(lp, &clock, flows, &status, (&su, &sd));
    status.into_iter().flatten().collect()
}

/// Kirchhoff's voltage law on the lines, one row per independent cycle $c$, period and hour:
/// $$\sum_{l \in c} C_{l,c}\, x^{pu}_l\, f_{l,y,t} = 0$$
/// with the core's cycle basis and per-unit impedances (`System::kvl_cycles`; see
/// `build::lines::add_kirchhoff_voltage_law`).
pub(super) fn kirchhoff_voltage_law(
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

/// The network's own limits on a carrier attribute (single-period plans), as the core's
/// `build::global::add_primary_energy_limits`: with the generator hour weights $w^{gen}_t$,
/// $$\underline{K} \le \sum_t w^{gen}_t \sum_g a_g\, p_{g,t} - \sum_s a_s\, e_{s,T-1} \le \overline{K}$$
/// where $a_s$ is non-zero for non-cyclic storage units only (their initial state is already
/// in the bounds).
pub(super) fn emission_limits(lp: &mut LinearProgram, sys: &System, ix: &mut Index) {
    for limit in &sys.emission_limits {
        let mut terms = Vec::new();
        for (g, &a) in limit.generators.iter().enumerate() {
            if a == 0.0 {
                continue;
            }
            for (t, &p) in ix.p[g]
                .first()
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .enumerate()
            {
                terms.push((p, a * sys.generator_weight(t)));
            }
        }
        for (s, &a) in limit.storage_units.iter().enumerate() {
            if a == 0.0 {
                continue;
            }
            if let Some(Some(e)) = ix.storage_final_soc.get(s).and_then(|y| y.first()) {
                terms.push((*e, -a));
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
