//! The one backend: hands a [`LinearProgram`] to HiGHS in one call and reads the solution back.
//!
//! Only the `try_*` methods of the `highs` crate are used (the plain ones panic). The matrix is
//! converted to compressed columns once (`LinearProgram::to_csc`) and passed with the bounds and
//! costs through `Highs_passLp`/`Highs_passMip`; there is no LP-file round trip.
//!
//! Determinism: with `threads = 1` (the default) HiGHS runs serially and returns the same
//! answer on every run. More threads let HiGHS's parallel parts (presolve, HiPO's factorisation,
//! the MIP search) work concurrently; on `kz-1node-8760` two threads gave the same objective to
//! the last bit and the same capacities (docs/benchmarks.md).
//!
//! Linear programs are solved by default with HiGHS's interior-point solver HiPO followed by
//! crossover to a vertex (an optimal basis, so duals and capacities are those of a simplex
//! solution); it was 5–9× faster than dual simplex on the 8,760-hour reference network. When HiPO
//! ends without an optimal answer (infeasible, unbounded, numerical trouble) the LP is solved
//! again with dual simplex, whose verdict the diagnosis of infeasible models builds on.
//! MILPs are solved by HiGHS's branch and bound (its LP relaxations use dual simplex).
//!
//! This is the only file that calls the `highs` crate: the core model and the planning model
//! both hand it a [`LinearProgram`]. It also keeps HiGHS's log of each solve in a private file
//! ([`LogCapture`]) so that a failure is told in HiGHS's own words, and [`latest_line`] lets the
//! CLI show a long solve's progress.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use highs::{ColProblem, HighsModelStatus, Sense};

use crate::lp::LinearProgram;
use crate::Error;

static PROCESS_THREADS: std::sync::OnceLock<i32> = std::sync::OnceLock::new();

/// Solver settings, each default beside its field.
#[derive(Debug, Clone, PartialEq)]
pub struct SolverSettings {
    /// HiGHS `threads`; default 1, which makes results independent of the machine.
    pub threads: u32,
    /// HiGHS options as `key=value` strings, applied after the defaults below, in order.
    /// Defaults (see `default_options`): presolve, HiPO with crossover for an LP, `random_seed=0`.
    pub options: Vec<(String, String)>,
    /// Write HiGHS's log to stderr (through `log_file=/dev/stderr`, as HiGHS's console log would
    /// mix with results on stdout).
    pub log_to_console: bool,
}

impl Default for SolverSettings {
    fn default() -> Self {
        SolverSettings {
            threads: 1,
            options: Vec::new(),
            log_to_console: false,
        }
    }
}

/// Rows from which a MILP's root LP (solved without a basis) goes to HiPO with crossover
/// instead of dual simplex; every later node starts dual simplex from the root's basis, and
/// HiGHS falls back to dual simplex if HiPO fails. Measured on the four flagship studies'
/// planning MILPs (docs/benchmarks.md, "Studies"): at 87,700 rows (Kazakhstan) the scenario
/// stages took 58 s instead of 90 s with the same objectives; at 27,000-48,000 rows
/// (Mongolia, Uzbekistan, Turkey) HiPO's set-up and crossover made them 4-30 s slower, because
/// dual simplex solves those roots in 2-3 s. `--solver-option mip_lp_solver=…` overrides it.
pub const HIPO_ROOT_MIN_ROWS: usize = 64_000;

/// The options atomplan ships, applied before the user's.
///
/// For an LP: presolve, then HiGHS's interior-point solver HiPO with crossover to an optimal
/// basis (measured against dual simplex in docs/benchmarks.md, "Optimiser"); `simplex_strategy=1`
/// makes any simplex clean-up after crossover dual simplex. For a MILP HiGHS ignores `solver`, so
/// it is left to HiGHS (`choose`); the root node's LP of a MILP with at least
/// [`HIPO_ROOT_MIN_ROWS`] rows goes to HiPO with crossover (`mip_lp_solver=hipo`, see there);
/// and the relative MIP gap is 0 (HiGHS's default is 1e-4) so that the objective is PyPSA's to
/// the last digits whatever gap PyPSA was given; `--solver-option mip_rel_gap=…` relaxes it.
/// `random_seed=0` in both.
pub fn default_options(is_mip: bool, rows: usize) -> Vec<(&'static str, &'static str)> {
    let mut options = vec![
        ("solver", if is_mip { "choose" } else { "hipo" }),
        ("run_crossover", "on"),
        ("simplex_strategy", "1"),
        ("presolve", "on"),
        ("random_seed", "0"),
    ];
    if is_mip {
        if rows >= HIPO_ROOT_MIN_ROWS {
            options.push(("mip_lp_solver", "hipo"));
        }
        options.push(("mip_rel_gap", "0"));
    }
    options
}

/// The fallback when HiPO ends an LP without an optimal answer: dual simplex after presolve,
/// the peer harness's setting (and atomplan's default before HiPO).
pub fn simplex_options() -> Vec<(&'static str, &'static str)> {
    vec![
        ("solver", "simplex"),
        ("simplex_strategy", "1"),
        ("presolve", "on"),
        ("random_seed", "0"),
    ]
}

/// How the solve ended: the one status of every solve (core and planning). Serialised as
/// [`SolveStatus::as_str`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SolveStatus {
    Optimal,
    Infeasible,
    Unbounded,
    /// HiGHS could not tell infeasible from unbounded.
    InfeasibleOrUnbounded,
    TimeLimit,
    IterationLimit,
    /// Anything else HiGHS reports (numerical trouble, interrupted, …).
    #[serde(rename = "error")]
    Other,
}

impl SolveStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SolveStatus::Optimal => "optimal",
            SolveStatus::Infeasible => "infeasible",
            SolveStatus::Unbounded => "unbounded",
            SolveStatus::InfeasibleOrUnbounded => "infeasible_or_unbounded",
            SolveStatus::TimeLimit => "time_limit",
            SolveStatus::IterationLimit => "iteration_limit",
            SolveStatus::Other => "error",
        }
    }

    /// Whether the solve gives an answer to use: optimal, or stopped at the time limit (the
    /// caller checks [`LpSolution::has_solution`]).
    pub fn gives_plan(self) -> bool {
        matches!(self, SolveStatus::Optimal | SolveStatus::TimeLimit)
    }
}

/// What HiGHS returned.
#[derive(Debug, Clone, PartialEq)]
pub struct LpSolution {
    pub status: SolveStatus,
    /// HiGHS's model status, verbatim, for messages.
    pub highs_status: String,
    pub objective: f64,
    pub col_values: Vec<f64>,
    pub row_duals: Vec<f64>,
    /// Wall-clock seconds inside `Highs_run`: HiGHS's own time.
    pub highs_s: f64,
    /// Seconds to convert and pass the model.
    pub pass_s: f64,
    pub simplex_iterations: i64,
    pub ipm_iterations: i64,
    /// HiGHS's relative MIP gap for a model with integer columns (0 once proven optimal with
    /// `mip_rel_gap=0`); 0 for an LP; infinite when no integer solution was found.
    pub mip_gap: f64,
    /// True when the model had integer columns.
    pub is_mip: bool,
    /// Whether HiGHS holds a feasible primal solution (`col_values` means something).
    pub has_solution: bool,
    /// HiGHS's own words (from its log) when the solve failed or found no solution; empty
    /// otherwise.
    pub message: String,
}

impl LpSolution {
    /// The answer of a solve that could not run: status [`SolveStatus::Other`], no solution,
    /// `message` saying why. For callers that report a failed solve instead of stopping.
    pub fn failed(lp: &LinearProgram, message: String) -> LpSolution {
        LpSolution {
            status: SolveStatus::Other,
            highs_status: "Error".to_owned(),
            objective: 0.0,
            col_values: vec![0.0; lp.n_cols()],
            row_duals: Vec::new(),
            highs_s: 0.0,
            pass_s: 0.0,
            simplex_iterations: 0,
            ipm_iterations: 0,
            mip_gap: 0.0,
            is_mip: lp.col_integer.iter().any(|integer| *integer),
            has_solution: false,
            message,
        }
    }
}

/// Checks HiGHS options (`key`, `value`) on an empty model: an unknown option or a value of the
/// wrong type is [`Error::SolverOption`], before any model is built.
pub fn check_options(options: &[(String, String)]) -> Result<(), Error> {
    let mut model = ColProblem::default()
        .try_optimise(Sense::Minimise)
        .map_err(|status| Error::Solver(format!("HiGHS refused an empty model: {status:?}")))?;
    model.make_quiet();
    for (key, value) in options {
        apply_option(&mut model, key, value)?;
    }
    Ok(())
}

pub(crate) fn apply_option(model: &mut highs::Model, key: &str, value: &str) -> Result<(), Error> {
    let invalid = || Error::SolverOption {
        key: key.to_owned(),
        value: value.to_owned(),
    };
    if key.contains('\0') || value.contains('\0') {
        return Err(invalid());
    }
    let lowered = value.to_ascii_lowercase();
    if (lowered == "true" || lowered == "false")
        && model.try_set_option(key, lowered == "true").is_ok()
    {
        return Ok(());
    }
    if let Ok(integer) = value.parse::<i32>() {
        if model.try_set_option(key, integer).is_ok() {
            return Ok(());
        }
    }
    if let Ok(real) = value.parse::<f64>() {
        if model.try_set_option(key, real).is_ok() {
            return Ok(());
        }
    }
    model.try_set_option(key, value).map_err(|_| invalid())
}

/// Solves `lp` (minimisation) with HiGHS: HiPO for an LP, falling back to dual simplex when
/// HiPO gives no optimal answer and the user did not choose the solver (see the module doc).
pub fn solve(lp: &LinearProgram, settings: &SolverSettings) -> Result<LpSolution, Error> {
    let is_mip = lp.col_integer.iter().any(|integer| *integer);
    let first = solve_once(lp, settings, is_mip, &default_options(is_mip, lp.n_rows()))?;
    let user_chose_solver = settings.options.iter().any(|(key, _)| key == "solver");
    if is_mip
        || user_chose_solver
        || matches!(first.status, SolveStatus::Optimal | SolveStatus::TimeLimit)
    {
        return Ok(first);
    }
    tracing::info!(
        "HiPO ended with {}; solving again with dual simplex",
        first.highs_status
    );
    let mut second = solve_once(lp, settings, false, &simplex_options())?;
    second.highs_s += first.highs_s;
    second.pass_s += first.pass_s;
    second.ipm_iterations += first.ipm_iterations;
    Ok(second)
}

fn solve_once(
    lp: &LinearProgram,
    settings: &SolverSettings,
    is_mip: bool,
    defaults: &[(&'static str, &'static str)],
) -> Result<LpSolution, Error> {
    let started = Instant::now();
    let (start, index, value) = lp.to_csc();
    let mut problem = ColProblem::default();
    let rows: Vec<highs::Row> = (0..lp.n_rows())
        .map(|row| problem.add_row(lp.row_lower[row]..=lp.row_upper[row]))
        .collect();
    for col in 0..lp.n_cols() {
        let entries = (start[col]..start[col + 1]).map(|k| (rows[index[k] as usize], value[k]));
        problem.add_column_with_integrality(
            lp.col_cost[col],
            lp.col_lower[col]..=lp.col_upper[col],
            entries,
            lp.col_integer[col],
        );
    }
    drop((start, index, value));
    let mut model = problem
        .try_optimise(Sense::Minimise)
        .map_err(|status| Error::Solver(format!("HiGHS refused the model: {status:?}")))?;
    model.make_quiet();
    // HiGHS's log goes to a private file so that a failure can be told in its words.
    let capture = if settings.log_to_console {
        None
    } else {
        LogCapture::attach(&mut model)
    };
    let said = |fallback: String| match capture.as_ref().and_then(|c| c.explanation()) {
        Some(explanation) => format!("{fallback}: {explanation}"),
        None => fallback,
    };
    if settings.log_to_console {
        // HiGHS's console log goes to stdout, which carries our JSON: send it to stderr instead.
        apply_option(&mut model, "output_flag", "true")?;
        apply_option(&mut model, "log_to_console", "false")?;
        apply_option(&mut model, "log_file", "/dev/stderr")?;
    }
    for (key, value) in defaults {
        apply_option(&mut model, key, value)?;
    }
    let threads = i32::try_from(settings.threads.max(1)).unwrap_or(1);
    // HiGHS keeps one thread pool per process, sized by the first solve; a later solve asking
    // for another size fails inside HiGHS, so say so plainly instead.
    let first_threads = *PROCESS_THREADS.get_or_init(|| threads);
    if first_threads != threads {
        return Err(Error::Solver(format!(
            "HiGHS runs one thread pool per process, started with {first_threads} thread(s); this solve asked for {threads}"
        )));
    }
    model
        .try_set_option("threads", threads)
        .map_err(|_| Error::SolverOption {
            key: "threads".to_owned(),
            value: threads.to_string(),
        })?;
    for (key, value) in &settings.options {
        apply_option(&mut model, key, value)?;
    }
    let pass_s = started.elapsed().as_secs_f64();
    let run_started = Instant::now();
    let solved = model
        .try_solve()
        .map_err(|status| Error::Solver(said(format!("HiGHS failed: {status:?}"))))?;
    let highs_s = run_started.elapsed().as_secs_f64();
    let highs_status = solved.status();
    tracing::info!(
        rows = lp.n_rows(),
        columns = lp.n_cols(),
        mip = is_mip,
        status = ?highs_status,
        highs_s,
        "HiGHS solve ended"
    );
    let status = match highs_status {
        HighsModelStatus::Optimal => SolveStatus::Optimal,
        HighsModelStatus::Infeasible => SolveStatus::Infeasible,
        HighsModelStatus::Unbounded => SolveStatus::Unbounded,
        HighsModelStatus::UnboundedOrInfeasible => SolveStatus::InfeasibleOrUnbounded,
        HighsModelStatus::ReachedTimeLimit => SolveStatus::TimeLimit,
        HighsModelStatus::ReachedIterationLimit => SolveStatus::IterationLimit,
        HighsModelStatus::ModelEmpty => SolveStatus::Optimal,
        _ => SolveStatus::Other,
    };
    let has_solution = matches!(
        solved.primal_solution_status(),
        highs::HighsSolutionStatus::Feasible
    ) || (status == SolveStatus::Optimal && lp.n_cols() == 0);
    let message = if status.gives_plan() && has_solution {
        String::new()
    } else {
        capture
            .as_ref()
            .and_then(LogCapture::explanation)
            .unwrap_or_default()
    };
    let solution = solved.get_solution();
    let mip_gap = if is_mip {
        let gap = solved.mip_gap();
        if gap.is_nan() {
            f64::INFINITY
        } else {
            gap.max(0.0)
        }
    } else {
        0.0
    };
    Ok(LpSolution {
        mip_gap,
        is_mip,
        has_solution,
        message,
        status,
        highs_status: if status == SolveStatus::Other {
            said(format!("{highs_status:?}"))
        } else {
            format!("{highs_status:?}")
        },
        objective: solved.objective_value(),
        col_values: solution.columns().to_vec(),
        row_duals: solution.dual_rows().to_vec(),
        highs_s,
        pass_s,
        simplex_iterations: solved
            .int_info_value(c"simplex_iteration_count")
            .unwrap_or(0),
        ipm_iterations: solved.int_info_value(c"ipm_iteration_count").unwrap_or(0),
    })
}

// ---------------------------------------------------------------------------------------------
// What HiGHS said: its log is written to a private temporary file during a solve, so that a
// failure can be reported in HiGHS's own words (out of memory, numerical trouble, a rejected
// model) instead of a bare `Error`.
//
// The file lives only as long as the [`LogCapture`]; nothing is printed. When the user asked
// for HiGHS's log on the console, nothing is captured.

static NEXT: AtomicU64 = AtomicU64::new(0);

/// Log files of the solves running now in this process, oldest first (for [`latest_line`]).
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The last line HiGHS wrote in the newest solve still running in this process, trimmed and
/// with runs of spaces collapsed; `None` when no solve is running or it has written nothing.
/// A caller that shows progress (the CLI) polls this while a long solve runs.
#[must_use]
pub fn latest_line() -> Option<String> {
    let path = LIVE.lock().ok()?.last().cloned()?;
    let text = tail(&path)?;
    let line = text.lines().rev().map(str::trim).find(|l| !l.is_empty())?;
    Some(line.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The most bytes of the log read back (its end is what matters).
const TAIL_BYTES: u64 = 64 * 1024;

/// A HiGHS log file for one solve, removed when dropped.
pub struct LogCapture {
    path: PathBuf,
}

impl LogCapture {
    /// Points `model`'s log at a new temporary file; `None` when HiGHS refuses the options
    /// (the solve then runs quiet, as before).
    pub fn attach(model: &mut highs::Model) -> Option<LogCapture> {
        let path = std::env::temp_dir().join(format!(
            "atomplan-highs-{}-{}.log",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let text = path.to_str()?.to_owned();
        let ok = model.try_set_option("output_flag", true).is_ok()
            && model.try_set_option("log_to_console", false).is_ok()
            && model.try_set_option("log_file", text.as_str()).is_ok();
        let capture = LogCapture { path };
        if ok {
            if let Ok(mut live) = LIVE.lock() {
                live.push(capture.path.clone());
            }
            Some(capture)
        } else {
            let _ = model.try_set_option("output_flag", false);
            None
        }
    }

    /// HiGHS's own words about a failure, e.g. `out of memory (HiGHS: Exception std::bad_alloc
    /// in …)`; `None` when its log says nothing of use.
    pub fn explanation(&self) -> Option<String> {
        explain(&tail(&self.path)?)
    }
}

impl Drop for LogCapture {
    fn drop(&mut self) {
        if let Ok(mut live) = LIVE.lock() {
            live.retain(|p| *p != self.path);
        }
        let _ = std::fs::remove_file(&self.path);
    }
}

fn tail(path: &std::path::Path) -> Option<String> {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = std::fs::File::open(path).ok()?;
    let length = file.metadata().ok()?.len();
    file.seek(SeekFrom::Start(length.saturating_sub(TAIL_BYTES)))
        .ok()?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// Classifies a HiGHS log: the kind of failure, then HiGHS's error and warning lines.
pub fn explain(log: &str) -> Option<String> {
    let lower = log.to_ascii_lowercase();
    let kind = if lower.contains("bad_alloc")
        || lower.contains("out of memory")
        || lower.contains("memory allocation")
    {
        Some("out of memory")
    } else if lower.contains("numerical") || lower.contains("unstable") {
        Some("numerical trouble")
    } else if lower.contains("time limit reached") || lower.contains("reached time limit") {
        Some("time limit")
    } else if lower.contains("infinite cost") || lower.contains("infinite costs") {
        Some("costs too large (HiGHS treats |cost| >= 1e20 as infinite)")
    } else {
        None
    };
    let mut said: Vec<&str> = log
        .lines()
        .map(str::trim)
        .filter(|line| line.starts_with("ERROR") || line.starts_with("WARNING"))
        .collect();
    said.dedup();
    let said: Vec<String> = said
        .iter()
        .rev()
        .take(3)
        .rev()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    match (kind, said.is_empty()) {
        (None, true) => None,
        (Some(kind), true) => Some(kind.to_owned()),
        (None, false) => Some(format!("HiGHS said: {}", said.join(" | "))),
        (Some(kind), false) => Some(format!("{kind} (HiGHS said: {})", said.join(" | "))),
    }
}

#[cfg(test)]
mod log_tests {
    use super::explain;

    #[test]
    fn names_the_failure_in_highs_words() {
        let oom = "Running HiGHS\nERROR:   Exception std::bad_alloc in Highs::run\n";
        let text = explain(oom).unwrap();
        assert!(text.starts_with("out of memory"), "{text}");
        assert!(text.contains("std::bad_alloc"), "{text}");
        let numeric = "WARNING: Numerical trouble: primal infeasibilities after unscaling\n";
        assert!(explain(numeric).unwrap().starts_with("numerical trouble"));
        assert_eq!(explain("Running HiGHS 1.11\nModel status: Optimal\n"), None);
    }
}

#[cfg(test)]
mod option_tests {
    use super::{default_options, HIPO_ROOT_MIN_ROWS};

    fn root_solver(is_mip: bool, rows: usize) -> Option<&'static str> {
        default_options(is_mip, rows)
            .into_iter()
            .find(|(key, _)| *key == "mip_lp_solver")
            .map(|(_, value)| value)
    }

    /// HiPO solves the root LP of a large MILP only; an LP is HiPO's anyway (`solver`).
    #[test]
    fn hipo_takes_the_root_of_large_milps_only() {
        assert_eq!(root_solver(true, HIPO_ROOT_MIN_ROWS), Some("hipo"));
        assert_eq!(root_solver(true, HIPO_ROOT_MIN_ROWS - 1), None);
        assert_eq!(root_solver(false, 10 * HIPO_ROOT_MIN_ROWS), None);
        assert!(default_options(false, 10).contains(&("solver", "hipo")));
        assert!(default_options(true, 10).contains(&("mip_rel_gap", "0")));
    }
}
