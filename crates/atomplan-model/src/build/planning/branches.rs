//! Links and lines in the planning model, as the core builds them (`build::links`,
//! `build::lines`): flows bounded by a fixed or extendable capacity, Kirchhoff's voltage law on
//! the lines' cycle basis, and the network's own CO2 limits (`build::global`).

// Index loops mirror the formulation (g, y, t).
#![allow(clippy::needless_range_loop)]

use super::*;

/// Links and lines: one flow column per period and hour, between `p_min_pu · P` and
/// `p_max_pu · P` (`-P ≤ f ≤ P` for a line), at the link's marginal cost per MWh out of `bus0`.
/// A fixed branch bounds its flow columns directly; an extendable one (single-period plans, as
/// in PyPSA) has a capacity column `Link-p_nom[name]` in `[p_nom_min, p_nom_max]` costed at
/// `capital_cost` per MW, and two rows per hour:
/// $$f_{l,t} - \bar{p}_l P_l \le 0, \qquad f_{l,t} - \underline{p}_l P_l \ge 0.$$
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

/// The network's own CO2 limits (single-period plans): tonnes over the modelled year with the
/// generator hour weights, as the core's `build::global::add_primary_energy_limits`:
/// $$\underline{K} \le \sum_t w_t \sum_g e_g\, p_{g,t} \le \overline{K}.$$
pub(super) fn emission_limits(lp: &mut LinearProgram, sys: &System, ix: &mut Index) {
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
