//! The planning reserve margin: in each area and period, firm capacity (each generator's
//! capacity times its `capacity_credit`, storage power times its credit) covers the peak load
//! plus the margin:
//! $$\sum_{g \in a} \kappa_g P_{g,y} + \sum_{s \in a} \kappa_s P_{s,y} \ge (1 + m_{a,y})\, \hat{L}_{a,y}$$
//! with $\hat{L}$ the area's `peak_mw` for the period when given, else the modelled peak times the
//! period's load scale (row `Area-reserve-margin[area,year]`).

use super::*;
use crate::lp::LinearProgram;
use crate::planning::options::Options;

/// Where the reserve margin's terms are: the bus of each generator and storage unit, and the
/// modelled peak load of each area in each period (`[a][y]`, MW), from the model's own hours.
pub(crate) struct Areas {
    pub generator_bus: Vec<usize>,
    pub storage_bus: Vec<usize>,
    pub modelled_peak: Vec<Vec<f64>>,
}

/// Adds one reserve-margin row per area with a margin and per period.
pub(crate) fn add(
    lp: &mut LinearProgram,
    opt: &Options,
    periods: &[Period],
    ix: &Index,
    areas: &Areas,
) {
    let area_of_bus = &opt.area_of_bus;
    for (a, area) in opt.areas.iter().enumerate() {
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
            let peak = area
                .peak_mw
                .as_ref()
                .and_then(|p| p.get(y).copied())
                .unwrap_or(areas.modelled_peak[a][y]);
            let mut e = Expr::default();
            for (g, &bus) in areas.generator_bus.iter().enumerate() {
                if area_of_bus[bus] == Some(a) {
                    let credit = opt.units[g].and_then(|u| u.capacity_credit).unwrap_or(1.0);
                    e.add(&ix.capacity[g][y].scaled(credit));
                }
            }
            for (k, &bus) in areas.storage_bus.iter().enumerate() {
                if area_of_bus[bus] == Some(a) {
                    let credit = opt.storage[k]
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
}
