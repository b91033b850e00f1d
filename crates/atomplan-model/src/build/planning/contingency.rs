//! The N-1 contingency reserve, tied to the largest unit built.
//!
//! In a small grid the reserve must cover the sudden loss of the largest unit on line, so a
//! 1,200 MWe reactor and 22 modules of 55 MWe are not alike. Per N-1 area $a$ (`[[areas]]` with
//! `n1_reserve = true`), period $y$ and hour $t$:
//!
//! * $z_{c,y} \in \{0, 1\}$ says whether any unit of design $c$ (a generator with a
//!   `unit_size_mw` whose `contingency` is not false) is online in the period:
//!   $n_{c,y} \le N^{max}_c\, z_{c,y}$ (row `Generator-any-built-link`); a fixed fleet gives a
//!   constant $z$;
//! * each generator that can hold reserve has a reserve column $r_{g,y,t} \ge 0$, limited by its
//!   reserve ramp $\rho_g$ (`reserve_ramp`): $r_{g,y,t} \le \rho_g P_{g,y}$
//!   (`Generator-reserve-ramp`), and sharing its available capacity with dispatch,
//!   $p_{g,y,t} + r_{g,y,t} \le A_{g,y,t}$ (built with the availability rows in `mod.rs`);
//! * the area's reserve total $R_{a,y,t} = \sum_{g \in a} r_{g,y,t}$
//!   (`Area-reserve-total-def`), and the interconnector's contribution
//!   $0 \le m_{a,y,t} \le M_a$ (`interconnector_reserve_mw`);
//! * for every contingency design $c$ in the area, the reserve held by the other units and the
//!   import cover the loss of one unit of size $S_c$:
//!   $$R_{a,y,t} - r_{c,y,t} + m_{a,y,t} \ge S_c\, z_{c,y} \qquad (\texttt{Area-contingency}).$$
//!
//! Writing the total once per hour keeps each contingency row at four entries however many
//! generators the area has. The same mathematics, with the hand-derived test cases:
//! docs/formulation/planning.md, section "N-1 reserve".

// Index loops mirror the formulation (g, y, t).
#![allow(clippy::needless_range_loop)]

use super::*;
use crate::lp::LinearProgram;
use crate::planning::options::Options;

/// What the N-1 rows need to know of each generator, whichever builder made the columns: its
/// name and bus, its unit size $S_c$ when it is a contingency design (`None` otherwise), and the
/// most units it can have ($N^{max}_c$).
pub(crate) struct Designs<'a> {
    pub names: Vec<&'a str>,
    pub bus: Vec<usize>,
    pub unit_size: Vec<Option<f64>>,
    pub max_units: Vec<f64>,
}

/// The "at least one unit built" expression $z_{g,y}$ of every generator that sets the N-1
/// reserve (`ix.any_built[g][y]`; `None` for the others and where it has no units).
pub(crate) fn any_built(lp: &mut LinearProgram, designs: &Designs, ix: &mut Index, relax: bool) {
    let ny = ix.units.first().map_or(0, Vec::len);
    for (g, name) in designs.names.iter().enumerate() {
        let sets_n1 = designs.unit_size[g].is_some();
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
                format!("Generator-any-built[{name},{y}]"),
                0.0,
                0.0,
                1.0,
                !relax,
            );
            // n <= N_max · z
            let mut terms = n.terms.clone();
            terms.push((z, -designs.max_units[g]));
            lp.row_with(
                format!("Generator-any-built-link[{name},{y}]"),
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
}

/// The reserve column $r_{g,y,t}$ of one generator in one hour, with its ramp limit
/// $r \le \rho\, P$ when $\rho < 1$ (`cap` is the generator's capacity expression $P_{g,y}$).
pub(crate) fn reserve_column(
    lp: &mut LinearProgram,
    name: &str,
    y: usize,
    t: usize,
    cap: &Expr,
    reserve_ramp: f64,
) -> Col {
    let rc = lp.col(
        format!("Generator-reserve[{name},{y},{t}]"),
        0.0,
        0.0,
        f64::INFINITY,
        false,
    );
    if reserve_ramp < 1.0 {
        let mut terms = vec![(rc, 1.0)];
        terms.extend(cap.terms.iter().map(|&(c, v)| (c, -v * reserve_ramp)));
        lp.row_with(
            format!("Generator-reserve-ramp[{name},{y},{t}]"),
            f64::NEG_INFINITY,
            cap.constant * reserve_ramp,
            &terms,
        );
    }
    rc
}

/// The area rows: the reserve total, the interconnector's reserve and one contingency row per
/// contingency design, area, period and hour (`reserve[g][y][t]` from [`reserve_column`]);
/// period `y` has `hours[y]` hours.
pub(crate) fn area_rows(
    lp: &mut LinearProgram,
    opt: &Options,
    designs: &Designs,
    ix: &mut Index,
    reserve: &[Vec<Vec<Option<Col>>>],
    hours: &[usize],
) {
    let area_of_bus = &opt.area_of_bus;
    for (a, area) in opt.areas.iter().enumerate() {
        let mut imp_y = Vec::with_capacity(hours.len());
        for (y, &nt) in hours.iter().enumerate() {
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
                for (g, &bus) in designs.bus.iter().enumerate() {
                    if area_of_bus[bus] == Some(a) {
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
                for (c, &bus) in designs.bus.iter().enumerate() {
                    if area_of_bus[bus] != Some(a) {
                        continue;
                    }
                    let Some(z) = &ix.any_built[c][y] else {
                        continue;
                    };
                    let size = designs.unit_size[c].unwrap_or(0.0);
                    // Σ_{g in a, g != c} r_g + imp - size_c · z_c >= 0
                    // R - r_c + imp - size_c · z_c >= 0, constants on the right.
                    let mut terms = vec![(imp, 1.0), (total, 1.0)];
                    if let Some(r) = reserve[c][y][t] {
                        terms.push((r, -1.0));
                    }
                    terms.extend(z.terms.iter().map(|&(col, v)| (col, -v * size)));
                    lp.row_with(
                        format!(
                            "Area-contingency[{},{},{y},{t}]",
                            area.name, designs.names[c]
                        ),
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
}
