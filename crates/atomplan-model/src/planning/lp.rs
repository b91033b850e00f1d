//! A small solver-neutral MILP in triplet form, and its HiGHS backend, for the planning model.
//!
//! Columns and rows are pushed with their bounds; coefficients go into one triplet array that
//! each constraint family fills as a block; the matrix is built column-wise once at the end.
//! Names are structured (`Family[key]`) so that an MPS file can be searched.

// Index loops mirror the formulation (g, y, t); iterators would hide the indices.
#![allow(clippy::needless_range_loop)]

use std::fmt::Write as _;
use std::time::Instant;

/// Column index.
pub type Col = usize;
/// Row index.
pub type Row = usize;

#[derive(Debug, Default, Clone)]
pub struct Lp {
    pub col_cost: Vec<f64>,
    pub col_lower: Vec<f64>,
    pub col_upper: Vec<f64>,
    pub col_integer: Vec<bool>,
    pub col_names: Vec<String>,
    pub row_lower: Vec<f64>,
    pub row_upper: Vec<f64>,
    pub row_names: Vec<String>,
    /// (row, col, value)
    pub triplets: Vec<(Row, Col, f64)>,
}

impl Lp {
    pub fn col(
        &mut self,
        name: impl Into<String>,
        cost: f64,
        lower: f64,
        upper: f64,
        integer: bool,
    ) -> Col {
        self.col_cost.push(cost);
        self.col_lower.push(lower);
        self.col_upper.push(upper);
        self.col_integer.push(integer);
        self.col_names.push(name.into());
        self.col_cost.len() - 1
    }

    pub fn row(&mut self, name: impl Into<String>, lower: f64, upper: f64) -> Row {
        self.row_lower.push(lower);
        self.row_upper.push(upper);
        self.row_names.push(name.into());
        self.row_lower.len() - 1
    }

    /// A row with its coefficients.
    pub fn row_with(
        &mut self,
        name: impl Into<String>,
        lower: f64,
        upper: f64,
        terms: &[(Col, f64)],
    ) -> Row {
        let r = self.row(name, lower, upper);
        // A column named twice in one row (e.g. a capacity in a sum and again subtracted) is
        // one entry with the summed coefficient: HiGHS refuses duplicate entries.
        let mut merged: Vec<(Col, f64)> = terms.to_vec();
        crate::lp::merge_duplicate_columns(&mut merged);
        for (c, v) in merged {
            self.triplets.push((r, c, v));
        }
        r
    }

    pub fn push(&mut self, row: Row, col: Col, value: f64) {
        self.triplets.push((row, col, value));
    }

    pub fn num_cols(&self) -> usize {
        self.col_cost.len()
    }
    pub fn num_rows(&self) -> usize {
        self.row_lower.len()
    }
    pub fn num_integer(&self) -> usize {
        self.col_integer.iter().filter(|&&b| b).count()
    }

    /// The problem in free MPS format (minimisation); infinite bounds are left out.
    pub fn to_mps(&self, name: &str) -> String {
        let mut by_col: Vec<Vec<(Row, f64)>> = vec![Vec::new(); self.num_cols()];
        for &(r, c, v) in &self.triplets {
            by_col[c].push((r, v));
        }
        let mut s = String::new();
        let _ = writeln!(s, "NAME {name}\nROWS\n N obj");
        let mut kinds = Vec::with_capacity(self.num_rows());
        for r in 0..self.num_rows() {
            let (lo, up) = (self.row_lower[r], self.row_upper[r]);
            let k = if lo == up {
                "E"
            } else if lo.is_finite() {
                // A ranged row is a G row with a RANGES entry.
                "G"
            } else {
                "L"
            };
            kinds.push(k);
            let _ = writeln!(s, " {k} {}", self.row_names[r]);
        }
        let _ = writeln!(s, "COLUMNS");
        let mut in_int = false;
        for c in 0..self.num_cols() {
            if self.col_integer[c] != in_int {
                let tag = if self.col_integer[c] {
                    "INTORG"
                } else {
                    "INTEND"
                };
                let _ = writeln!(s, " MARKER 'MARKER' '{tag}'");
                in_int = self.col_integer[c];
            }
            let n = &self.col_names[c];
            if self.col_cost[c] != 0.0 {
                let _ = writeln!(s, " {n} obj {:e}", self.col_cost[c]);
            }
            for &(r, v) in &by_col[c] {
                let _ = writeln!(s, " {n} {} {v:e}", self.row_names[r]);
            }
            if self.col_cost[c] == 0.0 && by_col[c].is_empty() {
                let _ = writeln!(s, " {n} obj 0");
            }
        }
        if in_int {
            let _ = writeln!(s, " MARKER 'MARKER' 'INTEND'");
        }
        let _ = writeln!(s, "RHS");
        for r in 0..self.num_rows() {
            let (lo, up) = (self.row_lower[r], self.row_upper[r]);
            let rhs = if kinds[r] == "L" { up } else { lo };
            if rhs != 0.0 {
                let _ = writeln!(s, " RHS {} {rhs:e}", self.row_names[r]);
            }
        }
        let ranged: Vec<usize> = (0..self.num_rows())
            .filter(|&r| {
                let (lo, up) = (self.row_lower[r], self.row_upper[r]);
                lo != up && lo.is_finite() && up.is_finite()
            })
            .collect();
        if !ranged.is_empty() {
            let _ = writeln!(s, "RANGES");
            for r in ranged {
                let _ = writeln!(
                    s,
                    " RNG {} {:e}",
                    self.row_names[r],
                    self.row_upper[r] - self.row_lower[r]
                );
            }
        }
        let _ = writeln!(s, "BOUNDS");
        for c in 0..self.num_cols() {
            let (lo, up) = (self.col_lower[c], self.col_upper[c]);
            let n = &self.col_names[c];
            if lo == up {
                let _ = writeln!(s, " FX BND {n} {lo:e}");
                continue;
            }
            if lo == f64::NEG_INFINITY {
                let _ = writeln!(s, " MI BND {n}");
            } else if lo != 0.0 || self.col_integer[c] {
                let _ = writeln!(s, " LO BND {n} {lo:e}");
            }
            if up.is_finite() {
                let _ = writeln!(s, " UP BND {n} {up:e}");
            } else if self.col_integer[c] {
                let _ = writeln!(s, " PL BND {n}");
            }
        }
        let _ = writeln!(s, "ENDATA");
        s
    }
}

/// Options passed to HiGHS.
#[derive(Debug, Clone, PartialEq)]
pub struct SolveOptions {
    pub mip_rel_gap: f64,
    pub time_limit: Option<f64>,
    pub threads: u32,
    /// HiGHS options (`key`, `value`) applied after the defaults, as `--solver-option`.
    pub highs_options: Vec<(String, String)>,
}

/// How a solve ended. Serialised as its variant name (`"Optimal"`, `"TimeLimit"`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Status {
    Optimal,
    Infeasible,
    /// Stopped at the time limit; a solution is returned when one was found.
    TimeLimit,
    Unbounded,
    Error,
}

impl Status {
    /// The variant's name, as it is serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Optimal => "Optimal",
            Status::Infeasible => "Infeasible",
            Status::TimeLimit => "TimeLimit",
            Status::Unbounded => "Unbounded",
            Status::Error => "Error",
        }
    }

    /// Whether the solve gives a plan to use: optimal, or stopped at the time limit (the
    /// caller checks that a solution was found).
    pub fn gives_plan(self) -> bool {
        matches!(self, Status::Optimal | Status::TimeLimit)
    }
}

#[derive(Debug, Clone)]
pub struct Solved {
    pub status: Status,
    pub objective: f64,
    /// Relative MIP gap at the end (0 for an LP).
    pub mip_gap: f64,
    pub columns: Vec<f64>,
    /// Row duals (empty for a MILP, whose duals HiGHS does not define).
    pub row_duals: Vec<f64>,
    pub solve_s: f64,
    pub has_solution: bool,
    /// HiGHS's own words when the solve failed (see `highs_log`); empty otherwise.
    pub message: String,
}

/// Solve with HiGHS, using only its `try_*` methods.
pub fn solve(lp: &Lp, opts: &SolveOptions) -> Solved {
    let start = Instant::now();
    let mut pb = highs::ColProblem::new();
    let rows: Vec<highs::Row> = (0..lp.num_rows())
        .map(|r| pb.add_row(lp.row_lower[r]..=lp.row_upper[r]))
        .collect();
    let mut by_col: Vec<Vec<(highs::Row, f64)>> = vec![Vec::new(); lp.num_cols()];
    for &(r, c, v) in &lp.triplets {
        by_col[c].push((rows[r], v));
    }
    for (c, entries) in by_col.into_iter().enumerate() {
        pb.add_column_with_integrality(
            lp.col_cost[c],
            lp.col_lower[c]..=lp.col_upper[c],
            entries,
            lp.col_integer[c],
        );
    }
    let failed = |start: Instant, message: String| Solved {
        status: Status::Error,
        objective: 0.0,
        mip_gap: 0.0,
        columns: vec![0.0; lp.num_cols()],
        row_duals: Vec::new(),
        solve_s: start.elapsed().as_secs_f64(),
        has_solution: false,
        message,
    };
    let Ok(mut model) = pb.try_optimise(highs::Sense::Minimise) else {
        return failed(start, "HiGHS refused the model".to_owned());
    };
    model.make_quiet();
    let capture = crate::highs_log::LogCapture::attach(&mut model);
    let said = |fallback: &str| {
        capture
            .as_ref()
            .and_then(crate::highs_log::LogCapture::explanation)
            .unwrap_or_else(|| fallback.to_owned())
    };
    let threads = i32::try_from(opts.threads.max(1)).unwrap_or(1);
    let ok = model
        .try_set_option("mip_rel_gap", opts.mip_rel_gap)
        .is_ok()
        && model.try_set_option("threads", threads).is_ok()
        && model.try_set_option("random_seed", 0).is_ok()
        && opts
            .time_limit
            .is_none_or(|t| model.try_set_option("time_limit", t).is_ok());
    if !ok {
        return failed(start, "HiGHS refused an option".to_owned());
    }
    for (key, value) in &opts.highs_options {
        if crate::highs_backend::apply_option(&mut model, key, value).is_err() {
            return failed(
                start,
                format!("HiGHS refused the option `{key}` = `{value}`"),
            );
        }
    }
    let Ok(solved) = model.try_solve() else {
        return failed(start, said("HiGHS returned an error"));
    };
    let status = match solved.status() {
        highs::HighsModelStatus::Optimal => Status::Optimal,
        highs::HighsModelStatus::Infeasible => Status::Infeasible,
        highs::HighsModelStatus::ReachedTimeLimit => Status::TimeLimit,
        highs::HighsModelStatus::Unbounded | highs::HighsModelStatus::UnboundedOrInfeasible => {
            Status::Unbounded
        }
        _ => Status::Error,
    };
    tracing::info!(
        rows = lp.num_rows(),
        columns = lp.num_cols(),
        integers = lp.num_integer(),
        status = ?solved.status(),
        seconds = start.elapsed().as_secs_f64(),
        "planning solve ended"
    );
    let has_solution = matches!(
        solved.primal_solution_status(),
        highs::HighsSolutionStatus::Feasible
    );
    let (columns, row_duals) = if has_solution {
        let solution = solved.get_solution();
        let duals = if lp.num_integer() == 0 && status == Status::Optimal {
            solution.dual_rows().to_vec()
        } else {
            Vec::new()
        };
        (solution.columns().to_vec(), duals)
    } else {
        (vec![0.0; lp.num_cols()], Vec::new())
    };
    let objective = if has_solution {
        solved.objective_value()
    } else {
        0.0
    };
    let gap = if lp.num_integer() > 0 {
        solved.mip_gap()
    } else {
        0.0
    };
    let message = if matches!(status, Status::Error) || !has_solution {
        capture
            .as_ref()
            .and_then(crate::highs_log::LogCapture::explanation)
            .unwrap_or_default()
    } else {
        String::new()
    };
    Solved {
        message,
        status,
        objective,
        mip_gap: if gap.is_finite() { gap } else { 1.0 },
        columns,
        row_duals,
        solve_s: start.elapsed().as_secs_f64(),
        has_solution,
    }
}

impl Lp {
    /// The same problem with every integer column fixed at `values` (rounded) and made
    /// continuous: the LP whose duals price a MILP's solution.
    pub fn with_integers_fixed(&self, values: &[f64]) -> Lp {
        let mut fixed = self.clone();
        for c in 0..fixed.num_cols() {
            if fixed.col_integer[c] {
                let v = values.get(c).copied().unwrap_or(0.0).round();
                fixed.col_lower[c] = v;
                fixed.col_upper[c] = v;
                fixed.col_integer[c] = false;
            }
        }
        fixed
    }

    /// The elastic version used to explain infeasibility: every row whose name starts with one
    /// of `families` gets slack columns (cost 1) on the sides it bounds, and every other cost is
    /// zero. Returns the problem and, per slack column, the row it relaxes.
    pub fn elastic(&self, families: &[&str]) -> (Lp, Vec<(Col, Row)>) {
        let mut lp = self.clone();
        lp.col_cost.iter_mut().for_each(|c| *c = 0.0);
        lp.col_integer.iter_mut().for_each(|i| *i = false);
        let mut slacks = Vec::new();
        for r in 0..self.num_rows() {
            if !families.iter().any(|f| self.row_names[r].starts_with(f)) {
                continue;
            }
            if self.row_lower[r].is_finite() {
                let s = lp.col(
                    format!("slack-up[{}]", self.row_names[r]),
                    1.0,
                    0.0,
                    f64::INFINITY,
                    false,
                );
                lp.push(r, s, 1.0);
                slacks.push((s, r));
            }
            if self.row_upper[r].is_finite() {
                let s = lp.col(
                    format!("slack-down[{}]", self.row_names[r]),
                    1.0,
                    0.0,
                    f64::INFINITY,
                    false,
                );
                lp.push(r, s, -1.0);
                slacks.push((s, r));
            }
        }
        (lp, slacks)
    }
}
