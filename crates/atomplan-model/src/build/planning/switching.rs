//! Start-ups, shut-downs, minimum up and down times and ramp limits of one committable or
//! ramp-limited unit (a generator or a link) in one period, shared by both: the rows follow
//! PyPSA 1.4 (`define_operational_constraints_for_committables`,
//! `define_ramp_limit_constraints`), as the core's `build::commitment` and `build::ramping` do,
//! with the planning model's units ($N$ units of size $S$ online at most) and chronology
//! (wrapping inside each representative period, or PyPSA's history in a sequential year).
//!
//! With status $u_t \le N$ (a count of units, or a binary under big-M), start-ups $su_t$ and
//! shut-downs $sd_t$:
//! - $su_t \ge u_t - u_{t-1}$, $sd_t \ge u_{t-1} - u_t$, where before the first snapshot of a
//!   sequential year $u_{-1} = h(1) N_h$ ($h(L) = 1$ if the unit was up $L$ snapshots before;
//!   $N_h$ is 1 for a network's unit, as PyPSA counts it, else $N$);
//! - minimum up time $L$: $\sum_{\tau = t-L+1}^{t} su_\tau \le u_t - H^{up}_t N_h$, minimum
//!   down time: $\sum_{\tau} sd_\tau \le (1 - H^{down}_t) N_h - u_t$, with $H_t$ the switches
//!   before the first snapshot that still bind at $t$;
//! - with $\Delta_t = p_t - p_{t-1}$ ($p_{-1}$ = `p_init`, or 0 when a committable unit was off):
//!   not committable, $-r^{down}_t P \le \Delta_t \le r^{up}_t P$; committable with unit size $S$,
//!   $\Delta_t \le r^{up}_t S u_{t-1} + r^{su} S (u_t - u_{t-1})$ and
//!   $\Delta_t \ge -r^{down}_t S u_t - r^{sd} S (u_{t-1} - u_t)$; committable and extendable
//!   (big-M $M$), $\Delta_t \le r^{up}_t P + M(1 - u_{t-1})$, $\Delta_t \le r^{su} P + M(1 - su_t)$,
//!   $\Delta_t \ge -r^{down}_t P - M(1 - u_t)$, $\Delta_t \ge -r^{sd} P - M(1 - sd_t)$.
//!
//! Start-up and shut-down costs count once in a sequential year (PyPSA does not weight them)
//! and once per day a representative day stands for.

use super::{prev_hour, Expr};
use crate::build::commitment::status_history;
use crate::lp::{Col, LinearProgram};

/// One unit in one period, as the switching and ramp families see it.
pub(crate) struct Switching<'a> {
    /// `Generator` or `Link`: the rows' family prefix.
    pub kind: &'a str,
    pub name: &'a str,
    /// Period index (row names) and weight (costs).
    pub period: usize,
    pub period_weight: f64,
    pub committable: bool,
    /// Big-M of a committable unit whose capacity is a continuous decision.
    pub big_m: Option<f64>,
    /// Unit size of the status in the ramp rows of a committable unit.
    pub size: f64,
    /// Units that can be on (the status bound) when they are a decision: start-ups and
    /// shut-downs are bounded by it in a sequential year with a history (PyPSA's modular units).
    pub bounded_by: Option<Expr>,
    /// Units the history and the minimum down time count ($N_h$).
    pub history_units: Expr,
    pub min_up: usize,
    pub min_down: usize,
    pub up_before: usize,
    pub down_before: usize,
    /// Per snapshot.
    pub start_up_cost: Vec<f64>,
    pub shut_down_cost: Vec<f64>,
    /// Per-snapshot ramp limits per unit of capacity; `None` for no rows in that direction.
    pub ramp_up: Option<Vec<f64>>,
    pub ramp_down: Option<Vec<f64>>,
    pub ramp_start_up: f64,
    pub ramp_shut_down: f64,
    pub p_init: Option<f64>,
    /// Capacity $P$ (MW) as an expression.
    pub capacity: Expr,
}

/// The snapshots of one period as the switching and ramp rows see them: a sequential year, or
/// representative blocks that each wrap around.
pub(crate) struct Clock<'a> {
    pub hours: usize,
    pub sequential: bool,
    /// Snapshots per representative block (the whole period when sequential).
    pub block_hours: usize,
    /// Each snapshot's weighting: how often a switch in a representative block counts.
    pub weights: &'a [f64],
}

impl Clock<'_> {
    /// The snapshot before `t`: none at the start of a sequential year, else the previous one
    /// wrapping around inside its block.
    pub(crate) fn previous(&self, t: usize) -> Option<usize> {
        if self.sequential {
            t.checked_sub(1)
        } else {
            Some(prev_hour(t, self.block_hours))
        }
    }
}

impl Switching<'_> {
    /// 1 if the unit was up `lag` snapshots before the first one (PyPSA's status history).
    fn h(&self, lag: usize) -> f64 {
        status_history(self.up_before, self.down_before, lag)
    }

    fn label(&self, t: usize) -> String {
        format!("{},{},{t}", self.name, self.period)
    }

    /// Start-up and shut-down columns (where needed) with their definitions and the minimum up
    /// and down times, for the status columns `status`; returns the start-up and shut-down
    /// columns per snapshot.
    pub fn switches(
        &self,
        lp: &mut LinearProgram,
        clock: &Clock,
        status: &[Option<Col>],
    ) -> (Vec<Option<Col>>, Vec<Option<Col>>) {
        let nt = clock.hours;
        let sequential = clock.sequential;
        let mut su_t: Vec<Option<Col>> = vec![None; nt];
        let mut sd_t: Vec<Option<Col>> = vec![None; nt];
        if !self.committable {
            return (su_t, sd_t);
        }
        let kind = self.kind;
        let n_h = &self.history_units;
        let repeats = |t: usize| if sequential { 1.0 } else { clock.weights[t] };
        // A big-M unit's ramp rows need its start-up and shut-down columns, and so does a
        // bounded unit.
        let ramped = self.ramp_up.is_some() || self.ramp_down.is_some();
        let needed = self.bounded_by.is_some() || self.big_m.is_some() && ramped;
        let with_su = needed || self.min_up > 1 || self.start_up_cost.iter().any(|&c| c > 0.0);
        let with_sd = needed || self.min_down > 1 || self.shut_down_cost.iter().any(|&c| c > 0.0);
        let bound = |lp: &mut LinearProgram, what: &str, col: Col, t: usize| {
            if let Some(n) = &self.bounded_by {
                let mut terms = vec![(col, 1.0)];
                terms.extend(n.terms.iter().map(|&(c, v)| (c, -v)));
                lp.row_with(
                    format!("{kind}-{what}-max[{}]", self.label(t)),
                    f64::NEG_INFINITY,
                    n.constant,
                    &terms,
                );
            }
        };
        for t in 0..nt {
            let Some(u_t) = status[t] else { continue };
            // The previous status column, or None with the initial status h(1)·N_h.
            let u_p = match clock.previous(t) {
                Some(tp) => match status[tp] {
                    Some(c) => Some(c),
                    None => continue,
                },
                None => None,
            };
            let before = |sign: f64| -> (Vec<(Col, f64)>, f64) {
                match u_p {
                    Some(c) => (vec![(c, sign)], 0.0),
                    None => (
                        n_h.terms
                            .iter()
                            .map(|&(c, v)| (c, sign * self.h(1) * v))
                            .collect(),
                        sign * self.h(1) * n_h.constant,
                    ),
                }
            };
            if with_su {
                let su = lp.col(
                    format!("{kind}-start-up[{}]", self.label(t)),
                    self.start_up_cost[t] * repeats(t) * self.period_weight,
                    0.0,
                    f64::INFINITY,
                    false,
                );
                // su - u_t + u_before >= 0
                let (mut terms, k) = before(1.0);
                terms.extend([(su, 1.0), (u_t, -1.0)]);
                lp.row_with(
                    format!("{kind}-start-up-def[{}]", self.label(t)),
                    -k,
                    f64::INFINITY,
                    &terms,
                );
                su_t[t] = Some(su);
                bound(lp, "start-up", su, t);
            }
            if with_sd {
                let sd = lp.col(
                    format!("{kind}-shut-down[{}]", self.label(t)),
                    self.shut_down_cost[t] * repeats(t) * self.period_weight,
                    0.0,
                    f64::INFINITY,
                    false,
                );
                // sd + u_t - u_before >= 0
                let (mut terms, k) = before(-1.0);
                terms.extend([(sd, 1.0), (u_t, 1.0)]);
                lp.row_with(
                    format!("{kind}-shut-down-def[{}]", self.label(t)),
                    -k,
                    f64::INFINITY,
                    &terms,
                );
                sd_t[t] = Some(sd);
                bound(lp, "shut-down", sd, t);
            }
        }
        // The snapshots t-L+1..t, wrapping inside the block.
        let window = |t: usize, len: usize| -> Vec<usize> {
            let mut out = vec![t];
            let mut tau = t;
            for _ in 1..len.min(clock.block_hours) {
                let Some(p) = clock.previous(tau) else { break };
                tau = p;
                out.push(tau);
            }
            out
        };
        // Sequential year: start-ups (shut-downs) before the first snapshot that still bind at
        // t, as a share of N_h (PyPSA's `past` switches with lag + t < min time).
        let past = |t: usize, len: usize, up: bool| -> f64 {
            if !sequential {
                return 0.0;
            }
            (1..len)
                .filter(|&lag| lag + t < len)
                .map(|lag| {
                    let switch = self.h(lag) - self.h(lag + 1);
                    if up {
                        switch.max(0.0)
                    } else {
                        (-switch).max(0.0)
                    }
                })
                .sum()
        };
        for t in 0..nt {
            let Some(u_t) = status[t] else { continue };
            if self.min_up > 1 {
                // Σ su - u_t + past · N_h <= 0
                let k = past(t, self.min_up, true);
                let mut terms: Vec<(Col, f64)> = window(t, self.min_up)
                    .iter()
                    .filter_map(|&tau| su_t[tau])
                    .map(|c| (c, 1.0))
                    .collect();
                terms.push((u_t, -1.0));
                terms.extend(n_h.terms.iter().map(|&(c, v)| (c, k * v)));
                lp.row_with(
                    format!("{kind}-min-up-time[{}]", self.label(t)),
                    f64::NEG_INFINITY,
                    -k * n_h.constant,
                    &terms,
                );
            }
            if self.min_down > 1 {
                // Σ sd + u_t - (1 - past) · N_h <= 0
                let k = 1.0 - past(t, self.min_down, false);
                let mut terms: Vec<(Col, f64)> = window(t, self.min_down)
                    .iter()
                    .filter_map(|&tau| sd_t[tau])
                    .map(|c| (c, 1.0))
                    .collect();
                terms.push((u_t, 1.0));
                terms.extend(n_h.terms.iter().map(|&(c, v)| (c, -k * v)));
                lp.row_with(
                    format!("{kind}-min-down-time[{}]", self.label(t)),
                    f64::NEG_INFINITY,
                    k * n_h.constant,
                    &terms,
                );
            }
        }
        (su_t, sd_t)
    }

    /// Ramp rows of the dispatch columns `p` (with the status and switch columns of a
    /// committable unit).
    pub fn ramps(
        &self,
        lp: &mut LinearProgram,
        clock: &Clock,
        p: &[Col],
        status: &[Option<Col>],
        (su_t, sd_t): (&[Option<Col>], &[Option<Col>]),
    ) {
        if self.ramp_up.is_none() && self.ramp_down.is_none() {
            return;
        }
        let (kind, s, cap) = (self.kind, self.size, &self.capacity);
        let (r_su, r_sd) = (self.ramp_start_up, self.ramp_shut_down);
        // Rows `terms + constant ≤ 0` (upper) or `≥ 0`.
        let mut ramp_row = |dir: &str, t: usize, terms: Vec<(Col, f64)>, k: f64, upper| {
            let (lo, hi) = if upper {
                (f64::NEG_INFINITY, -k)
            } else {
                (-k, f64::INFINITY)
            };
            lp.row_with(
                format!("{kind}-ramp-{dir}[{}]", self.label(t)),
                lo,
                hi,
                &terms,
            );
        };
        for t in 0..clock.hours {
            // Δ = p_t − p_before as terms and a constant, and the status before it.
            let (delta, k, status_before) = match clock.previous(t) {
                Some(tp) if tp == t => continue,
                Some(tp) => (
                    vec![(p[t], 1.0), (p[tp], -1.0)],
                    0.0,
                    status[tp].map_or_else(Expr::default, |c| Expr {
                        terms: vec![(c, 1.0)],
                        constant: 0.0,
                    }),
                ),
                // First snapshot of a sequential year: from `p_init` (PyPSA), or from 0 when a
                // committable unit was off; free otherwise.
                None => {
                    let on_before = if self.committable { self.h(1) } else { 1.0 };
                    let initial = if on_before > 0.0 {
                        self.p_init
                    } else {
                        Some(0.0)
                    };
                    let Some(initial) = initial else { continue };
                    (
                        vec![(p[t], 1.0)],
                        -initial,
                        self.history_units.scaled(on_before),
                    )
                }
            };
            let ru = self.ramp_up.as_ref().map(|r| r[t]);
            let rd = self.ramp_down.as_ref().map(|r| r[t]);
            let with = |extra: &[(Col, f64)], scaled: &[(&Expr, f64)]| {
                let mut terms = delta.clone();
                terms.extend_from_slice(extra);
                let mut constant = k;
                for (e, f) in scaled {
                    terms.extend(e.terms.iter().map(|&(c, v)| (c, v * f)));
                    constant += e.constant * f;
                }
                (terms, constant)
            };
            match (self.committable, self.big_m, status[t]) {
                (true, Some(m), Some(u_t)) => {
                    if let Some(ru) = ru {
                        let (terms, c) = with(&[], &[(cap, -ru), (&status_before, m)]);
                        ramp_row("up", t, terms, c - m, true);
                        if let Some(su) = su_t[t] {
                            let (terms, c) = with(&[(su, m)], &[(cap, -r_su)]);
                            ramp_row("up-start", t, terms, c - m, true);
                        }
                    }
                    if let Some(rd) = rd {
                        let (terms, c) = with(&[(u_t, -m)], &[(cap, rd)]);
                        ramp_row("down", t, terms, c + m, false);
                        if let Some(sd) = sd_t[t] {
                            let (terms, c) = with(&[(sd, -m)], &[(cap, r_sd)]);
                            ramp_row("down-shut", t, terms, c + m, false);
                        }
                    }
                }
                (true, None, Some(u_t)) => {
                    if let Some(ru) = ru {
                        let (terms, c) =
                            with(&[(u_t, -r_su * s)], &[(&status_before, (r_su - ru) * s)]);
                        ramp_row("up", t, terms, c, true);
                    }
                    if let Some(rd) = rd {
                        let (terms, c) =
                            with(&[(u_t, (rd - r_sd) * s)], &[(&status_before, r_sd * s)]);
                        ramp_row("down", t, terms, c, false);
                    }
                }
                _ => {
                    if let Some(ru) = ru {
                        let (terms, c) = with(&[], &[(cap, -ru)]);
                        ramp_row("up", t, terms, c, true);
                    }
                    if let Some(rd) = rd {
                        let (terms, c) = with(&[], &[(cap, rd)]);
                        ramp_row("down", t, terms, c, false);
                    }
                }
            }
        }
    }
}
