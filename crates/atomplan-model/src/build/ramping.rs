//! Ramp limits of generators and links, committable or not, PyPSA 1.4's formulation
//! (`define_ramp_limit_constraints` and `_define_ramp_limit_big_m`).
//!
//! With $\Delta_t = p_t - p_{t-1}$ (at $t = 0$, $p_{-1}$ is `p_init`; the first snapshot is
//! limited only when `p_init` is known, or when a committable unit was off before, then
//! $p_{-1} = 0$), limits per unit of capacity $r^{up}, r^{down}$ (1 when only the start-up or
//! shut-down limit is given), $r^{su}, r^{sd}$:
//! - fixed capacity $P$, not committable: $-r^{down} P \le \Delta_t \le r^{up} P$;
//! - extendable, not committable: the same with the capacity column;
//! - committable with fixed capacity (or modular, with the module size $m$ for $P$ when extendable):
//!   $\Delta_t \le r^{up} P u_{t-1} + r^{su} P (u_t - u_{t-1})$ and
//!   $\Delta_t \ge -r^{down} P u_t - r^{sd} P (u_{t-1} - u_t)$;
//! - committable and extendable (big-M $M$): $\Delta_t \le r^{up} P + M(1-u_{t-1})$,
//!   $\Delta_t \le r^{su} P + M(1-su_t)$, $\Delta_t \ge -r^{down} P - M(1-u_t)$,
//!   $\Delta_t \ge -r^{sd} P - M(1-sd_t)$.
//!
//! In a multi-period network (non-committable units only, `periods.rs`) there is no row at a
//! snapshot where the unit is not active, nor at the first snapshot of each period after the
//! first: a period does not ramp from the last hour of the one before.

use crate::build::commitment::{big_m, status_before, units, CommitmentColumns, Unit};
use crate::build::variables::ModelIndex;
use crate::lp::{Labels, LinearProgram, Triplets};
use crate::network::Network;

/// Rows `lower ≤ terms ≤ upper` of one family.
#[derive(Default)]
struct Rows {
    entries: Vec<(u32, u32)>,
    lower: Vec<f64>,
    upper: Vec<f64>,
    terms: Vec<Vec<(usize, f64)>>,
}

impl Rows {
    /// `terms + constant ≤ 0` when `is_upper`, else `terms + constant ≥ 0`.
    fn push(
        &mut self,
        label: usize,
        t: usize,
        terms: Vec<(usize, f64)>,
        constant: f64,
        is_upper: bool,
    ) {
        self.entries.push((label as u32, t as u32));
        if is_upper {
            self.lower.push(f64::NEG_INFINITY);
            self.upper.push(-constant);
        } else {
            self.lower.push(-constant);
            self.upper.push(f64::INFINITY);
        }
        self.terms.push(terms);
    }

    fn commit(self, lp: &mut LinearProgram, name: &str, labels: &Labels) {
        if self.entries.is_empty() {
            return;
        }
        let start = lp.n_rows();
        let mut block = Triplets::new();
        for (k, terms) in self.terms.iter().enumerate() {
            for &(col, value) in terms {
                block.push(start + k, col, value);
            }
        }
        lp.add_sparse_row_family(name, labels.clone(), self.entries, self.lower, self.upper);
        lp.add_triplets(block);
    }
}

/// Ramp rows of one unit, added to the four (or, big-M, eight) families.
#[allow(clippy::too_many_arguments)]
fn add_unit(
    network: &Network,
    n_t: usize,
    label: usize,
    unit: &Unit<'_>,
    commitment: Option<CommitmentColumns>,
    big_m: f64,
    up: &mut Rows,
    down: &mut Rows,
    big_m_rows: &mut [Rows; 4],
) {
    let op = unit.operation;
    let has_up = op.ramp_limit_up.is_some() || op.ramp_limit_start_up.is_some();
    let has_down = op.ramp_limit_down.is_some() || op.ramp_limit_shut_down.is_some();
    if !has_up && !has_down {
        return;
    }
    let limit_up = |t: usize| op.ramp_limit_up.as_ref().map_or(1.0, |s| s.at(t));
    let limit_down = |t: usize| op.ramp_limit_down.as_ref().map_or(1.0, |s| s.at(t));
    let limit_start = op.ramp_limit_start_up.unwrap_or(1.0);
    let limit_shut = op.ramp_limit_shut_down.unwrap_or(1.0);
    let capacity = unit.capacity;
    let (is_ext, is_com, is_mod) = (
        capacity.extendable,
        op.committable && commitment.is_some(),
        capacity.is_modular(),
    );
    let com_ext = is_com && is_ext && !is_mod;
    let com_ext_mod = is_com && is_ext && is_mod;
    let com_fix = is_com && !com_ext;
    let p_nom = if com_ext_mod {
        capacity.module
    } else if is_ext {
        0.0
    } else {
        capacity.nominal
    };
    let ext_main = is_ext && !is_com;
    let s_init = if is_com { status_before(op, 1) } else { 1.0 };
    let p_init = if s_init > 0.0 { op.p_init } else { Some(0.0) };
    let p = |t: usize| unit.dispatch_start + t;
    for t in 0..n_t {
        // Multi-period: no row where the unit is not active, nor at the start of a period
        // after the first (PyPSA masks both).
        if network.is_multi_period()
            && (!network.is_active(capacity, t)
                || (t > 0 && network.period_index(t) != network.period_index(t - 1)))
        {
            continue;
        }
        // Δ_t = p_t − p_{t−1} as terms and a constant.
        let mut delta = vec![(p(t), 1.0)];
        let mut constant = 0.0;
        if t == 0 {
            let Some(initial) = p_init else {
                continue;
            };
            constant -= initial;
        } else {
            delta.push((p(t - 1), -1.0));
        }
        if com_ext {
            let (Some(cols), Some(capacity_col)) = (commitment, unit.capacity_col) else {
                continue;
            };
            if has_up {
                // Δ − r_up P + M u_{t−1} ≤ M
                let mut terms = delta.clone();
                terms.push((capacity_col, -limit_up(t)));
                let mut c = constant - big_m;
                if t == 0 {
                    c += big_m * s_init;
                } else {
                    terms.push((cols.status + t - 1, big_m));
                }
                big_m_rows[0].push(label, t, terms, c, true);
                // Δ − r_su P + M su_t ≤ M
                let mut terms = delta.clone();
                terms.push((capacity_col, -limit_start));
                terms.push((cols.start_up + t, big_m));
                big_m_rows[1].push(label, t, terms, constant - big_m, true);
            }
            if has_down {
                // Δ + r_down P − M u_t ≥ −M
                let mut terms = delta.clone();
                terms.push((capacity_col, limit_down(t)));
                terms.push((cols.status + t, -big_m));
                big_m_rows[2].push(label, t, terms, constant + big_m, false);
                // Δ + r_sd P − M sd_t ≥ −M
                let mut terms = delta.clone();
                terms.push((capacity_col, limit_shut));
                terms.push((cols.shut_down + t, -big_m));
                big_m_rows[3].push(label, t, terms, constant + big_m, false);
            }
            continue;
        }
        if has_up {
            // Δ − r_up P u_{t−1} − r_su P (u_t − u_{t−1}) − r_up P_ext ≤ 0
            let mut terms = delta.clone();
            let mut c = constant;
            let (lu, ls) = (limit_up(t), limit_start);
            match (com_fix, commitment) {
                (true, Some(cols)) => {
                    terms.push((cols.status + t, -ls * p_nom));
                    if t == 0 {
                        c += -lu * p_nom * s_init + ls * p_nom * s_init;
                    } else {
                        terms.push((cols.status + t - 1, -lu * p_nom + ls * p_nom));
                    }
                }
                _ => c -= lu * p_nom,
            }
            if ext_main {
                if let Some(capacity_col) = unit.capacity_col {
                    terms.push((capacity_col, -lu));
                }
            }
            up.push(label, t, terms, c, true);
        }
        if has_down {
            // Δ + r_down P u_t + r_sd P (u_{t−1} − u_t) + r_down P_ext ≥ 0
            let mut terms = delta.clone();
            let mut c = constant;
            let (ld, lsh) = (limit_down(t), limit_shut);
            match (com_fix, commitment) {
                (true, Some(cols)) => {
                    terms.push((cols.status + t, ld * p_nom - lsh * p_nom));
                    if t == 0 {
                        c += lsh * p_nom * s_init;
                    } else {
                        terms.push((cols.status + t - 1, lsh * p_nom));
                    }
                }
                _ => c += ld * p_nom,
            }
            if ext_main {
                if let Some(capacity_col) = unit.capacity_col {
                    terms.push((capacity_col, ld));
                }
            }
            down.push(label, t, terms, c, false);
        }
    }
}

/// Adds the ramp rows of generators and links that have any ramp limit.
pub fn add_ramp_limits(network: &Network, index: &ModelIndex, lp: &mut LinearProgram) {
    let n_t = index.n_snapshots;
    for kind in ["Generator", "Link"] {
        let all = units(network, index, kind);
        if !all.iter().any(|unit| unit.operation.has_ramp_limits()) {
            continue;
        }
        let commitment = if kind == "Generator" {
            &index.generator_commitment
        } else {
            &index.link_commitment
        };
        let labels: Labels = all
            .iter()
            .map(|unit| unit.name.to_owned())
            .collect::<Vec<_>>()
            .into();
        let mut up = Rows::default();
        let mut down = Rows::default();
        let mut big_m_rows: [Rows; 4] = Default::default();
        for (u, unit) in all.iter().enumerate() {
            let cols = commitment.get(u).copied().flatten();
            let needs_big_m = unit.operation.committable
                && unit.capacity.extendable
                && !unit.capacity.is_modular();
            let m = if needs_big_m {
                big_m(network, &all, unit)
            } else {
                0.0
            };
            add_unit(
                network,
                n_t,
                u,
                unit,
                cols,
                m,
                &mut up,
                &mut down,
                &mut big_m_rows,
            );
        }
        up.commit(lp, &format!("{kind}-p-ramp_limit_up"), &labels);
        down.commit(lp, &format!("{kind}-p-ramp_limit_down"), &labels);
        let [run_up, start_up, run_down, shut_down] = big_m_rows;
        run_up.commit(lp, &format!("{kind}-p-ramp_limit_up-run-bigM"), &labels);
        start_up.commit(lp, &format!("{kind}-p-ramp_limit_up-start-bigM"), &labels);
        run_down.commit(lp, &format!("{kind}-p-ramp_limit_down-run-bigM"), &labels);
        shut_down.commit(lp, &format!("{kind}-p-ramp_limit_down-shut-bigM"), &labels);
    }
}
