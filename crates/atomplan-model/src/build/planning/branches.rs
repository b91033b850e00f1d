//! Links and lines in the planning model, as the core builds them (`build::links`,
//! `build::lines`): flows bounded by a fixed or extendable capacity, Kirchhoff's voltage law on
//! the lines' cycle basis, and the network's own CO2 limits (`build::global`).

// Index loops mirror the formulation (g, y, t).
#![allow(clippy::needless_range_loop)]

use super::*;

/// Links and lines: one flow column per period and hour, between `p_min_pu_t · P` and
/// `p_max_pu_t · P` (`-s_max_pu_t P ≤ f ≤ s_max_pu_t P` for a line), at the link's marginal cost
/// per MWh out of `bus0`. A fixed branch bounds its flow columns directly; an extendable one
/// (single-period plans, as in PyPSA) has a capacity column `Link-p_nom[name]` in
/// `[p_nom_min, p_nom_max]` costed at `capital_cost` per MW, and two rows per hour:
/// $$f_{l,t} - \bar{p}_{l,t} P_l \le 0, \qquad f_{l,t} - \underline{p}_{l,t} P_l \ge 0.$$
pub(super) fn links(lp: &mut LinearProgram, sys: &System, periods: &[Period], ix: &mut Index) {
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
                    let cost = link.marginal_cost_at(t) * sys.weights[t] * per.weight;
                    let (low, high) = (link.p_min_pu_at(t), link.p_max_pu_at(t));
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
