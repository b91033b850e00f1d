//! Storage in the planning model: power capacity per period (PyPSA's `p_nom_opt` in one
//! period; builds with lifetimes over several) and the operation of each unit in each period:
//! charge, discharge and a state of charge that runs through the snapshots, wraps around each
//! representative period, or is linked across the year's sequence of representative periods.
//! The formulation: docs/formulation/planning-storage.md.

// Index loops mirror the formulation (g, y, t).
#![allow(clippy::needless_range_loop)]

use super::*;

/// Power capacity of a storage unit in each period, and what is built in each period.
/// Single period: PyPSA's `p_nom_opt` in [`p_nom_min`, `p_nom_max`] at `capital_cost`.
/// Multi-period: builds per period, each costed at `capital_cost` per year over the periods in
/// which it is alive (`storage.<name>.lifetime_years`), on top of the existing `p_nom`.
pub(super) fn storage_capacity(
    lp: &mut LinearProgram,
    st: &StorageUnit,
    opt: &Options,
    k: usize,
) -> (Vec<Expr>, Vec<Expr>) {
    let periods = &opt.periods;
    let ny = periods.len();
    if !opt.multi_period {
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
    let lifetime = opt.storage[k]
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
pub(super) fn limit_by_capacity(
    lp: &mut LinearProgram,
    col: Col,
    k: f64,
    cap: &Expr,
    name: String,
) {
    if cap.terms.is_empty() || k == 0.0 {
        lp.col_upper[col] = lp.col_upper[col].min((k * cap.constant).max(0.0));
        return;
    }
    let mut terms = vec![(col, 1.0)];
    terms.extend(cap.terms.iter().map(|&(c, v)| (c, -k * v)));
    lp.row_with(name, f64::NEG_INFINITY, k * cap.constant, &terms);
}

/// How the state of charge of one unit runs through the snapshots.
pub(super) enum SocMode {
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

pub(super) fn soc_mode(sys: &System, linking: StorageLinking) -> SocMode {
    match &sys.chronology {
        Chronology::Sequential => SocMode::Sequential,
        Chronology::Wrap => SocMode::CyclicPerBlock,
        Chronology::Linked {
            sequence,
            last_hours,
        } => {
            if linking == StorageLinking::Cyclic {
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
/// discharge and charge columns per snapshot, and the state of charge at the last snapshot when
/// the year is one sequence. Formulas: docs/formulation/planning-storage.md.
/// The columns of one storage unit's operation in one period.
pub(super) struct OperationColumns {
    pub dispatch: Vec<Col>,
    pub store: Vec<Col>,
    /// State of charge per hour (empty when representative periods are linked: the state is
    /// then an intra- and an inter-period part).
    pub soc: Vec<Col>,
    pub spill: Vec<Option<Col>>,
    /// The state of charge at the last snapshot, when the year is one sequence.
    pub last_soc: Option<Col>,
}

pub(super) fn storage_operation(
    lp: &mut LinearProgram,
    sys: &System,
    linking: StorageLinking,
    st: &StorageUnit,
    cap: &Expr,
    y: usize,
    period_weight: f64,
) -> OperationColumns {
    let nt = sys.hours();
    let mut last_soc = None;
    let name = &st.name;
    let mut pd = Vec::with_capacity(nt);
    let mut ps = Vec::with_capacity(nt);
    let mut spill = vec![None; nt];
    for t in 0..nt {
        let d = lp.col(
            format!("StorageUnit-p_dispatch[{name},{y},{t}]"),
            st.marginal_cost_at(t) * sys.weights[t] * period_weight,
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
            st.p_max_pu_at(t),
            cap,
            format!("StorageUnit-p_dispatch-upper[{name},{y},{t}]"),
        );
        limit_by_capacity(
            lp,
            c,
            -st.p_min_pu_at(t),
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
    let mode = soc_mode(sys, linking);
    let mut soc_columns = Vec::new();
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
            if matches!(mode, SocMode::Sequential) {
                last_soc = soc.last().copied();
            }
            soc_columns.clone_from(&soc);
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
    OperationColumns {
        dispatch: pd,
        store: ps,
        soc: soc_columns,
        spill,
        last_soc,
    }
}
