//! Policy constraint families of the planning model: the CO2 cap per period, capacity limits
//! of generator groups (targets, committed builds, phase-outs) and annual resource limits
//! (fuel supply).
//!
//! Both are rows over expressions the capacity and dispatch families already made, so they
//! add no columns; each is written out below and in docs/formulation/planning.md.
//!
//! **Capacity limits** (`[[capacity_limits]]`), for each limit `l` and period `y` with
//! `year(y) >= from_year(l)`:
//!
//! ```text
//!   min_mw(l) <= Σ_{g in G(l)} P_{g,y} <= max_mw(l)
//! ```
//!
//! where `P_{g,y}` is the capacity expression of generator `g` in period `y` (existing
//! capacity still in service plus builds still alive). Row names: `Capacity-limit[name,year]`.
//!
//! **Energy limits** (`[[energy_limits]]`), for each limit `l` and period `y` with a finite
//! `max_per_year(l)[y]`:
//!
//! ```text
//!   Σ_{g} u_{l,g} Σ_t w_t p_{g,y,t} <= max_per_year(l)[y]
//! ```
//!
//! with `u_{l,g}` the use of the resource per MWh of generator `g` (e.g. bcm of gas per MWh)
//! and `w_t` the hour weights that make one modelled year annual (as for the CO2 cap).
//! Row names: `Energy-limit[name,year]`.

use super::{Expr, Index, Period};
use crate::lp::LinearProgram;
use crate::planning::options::Options;

fn year_label(period: &Period, y: usize) -> String {
    period.year.map_or_else(|| y.to_string(), |v| v.to_string())
}

/// `min_mw <= Σ P_{g,y} <= max_mw` for every period from `from_year` on.
pub fn add_capacity_limits(lp: &mut LinearProgram, opt: &Options, periods: &[Period], ix: &Index) {
    for resolved in &opt.capacity_limits {
        let limit = resolved.wire;
        let members = &resolved.generators;
        for (y, per) in periods.iter().enumerate() {
            if let (Some(from), Some(year)) = (limit.from_year, per.year) {
                if year < from {
                    continue;
                }
            }
            let mut e = Expr::default();
            for &g in members {
                e.add(&ix.capacity[g][y]);
            }
            let lower = limit.min_mw.map_or(f64::NEG_INFINITY, |v| v - e.constant);
            let upper = limit.max_mw.map_or(f64::INFINITY, |v| v - e.constant);
            lp.row_with(
                format!("Capacity-limit[{},{}]", limit.name, year_label(per, y)),
                lower,
                upper,
                &e.terms,
            );
        }
    }
}

/// `Σ_g u_g Σ_t w_t p_{g,y,t} <= max_per_year[y]` for every period with a finite limit, with
/// `weights[y][t]` the weight that makes hour `t` of period `y` annual (the representative
/// hours' weights of a planning system in every period; the `generators` snapshot weightings of
/// a network's period).
pub fn add_energy_limits(
    lp: &mut LinearProgram,
    opt: &Options,
    periods: &[Period],
    weights: &[Vec<f64>],
    ix: &Index,
) {
    for resolved in &opt.energy_limits {
        let limit = resolved.wire;
        for (y, per) in periods.iter().enumerate() {
            let Some(&cap) = limit.max_per_year.get(y) else {
                continue;
            };
            if !cap.is_finite() {
                continue;
            }
            let mut terms = Vec::new();
            for &(g, use_per_mwh) in &resolved.use_per_mwh {
                if use_per_mwh == 0.0 {
                    continue;
                }
                for (&col, &w) in ix.p[g][y].iter().zip(&weights[y]) {
                    terms.push((col, use_per_mwh * w));
                }
            }
            lp.row_with(
                format!("Energy-limit[{},{}]", limit.name, year_label(per, y)),
                f64::NEG_INFINITY,
                cap,
                &terms,
            );
        }
    }
}

/// The CO2 cap `caps[y]` of each period with one (`investment.co2_cap_t`, t per year), counted with the
/// hour weights `weights[y][t]` that make a period's operating cost annual (the representative
/// hours' weights of a planning system; the `objective` snapshot weightings of a network's
/// period), and `co2[g]` the generator's emissions per MWh of output:
/// $$\sum_g e_g \sum_t w_{y,t}\, p_{g,y,t} \le K_y \qquad (\texttt{CO2-cap\[year\]}).$$
pub fn add_co2_caps(
    lp: &mut LinearProgram,
    caps: Option<&[f64]>,
    periods: &[Period],
    co2: &[f64],
    weights: &[Vec<f64>],
    ix: &Index,
) {
    for (y, per) in periods.iter().enumerate() {
        let Some(&cap) = caps.and_then(|c| c.get(y)) else {
            continue;
        };
        if !cap.is_finite() {
            continue;
        }
        let mut terms = Vec::new();
        for (g, &e) in co2.iter().enumerate() {
            if e != 0.0 {
                for (&col, &w) in ix.p[g][y].iter().zip(&weights[y]) {
                    terms.push((col, e * w));
                }
            }
        }
        let year = per.year.map_or_else(|| y.to_string(), |v| v.to_string());
        lp.row_with(format!("CO2-cap[{year}]"), f64::NEG_INFINITY, cap, &terms);
    }
}
