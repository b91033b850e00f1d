//! The optimiser: network model, PyPSA CSV import/export, sparse LP/MILP assembly and the
//! HiGHS backend.
//!
//! It exists to give PyPSA's answers on PyPSA's own networks (least-cost capacity expansion and
//! hourly dispatch), faster and leaner, and to be the base that the nuclear-planning extensions
//! (integer modules, N-1 reserves, multi-period) build on.
//!
//! # Flow
//!
//! ```text
//! pypsa::read_folder ─► Network ─► build::build ─► Model { LinearProgram, ModelIndex }
//!        ─► highs_backend::solve ─► LpSolution ─► results::extract ─► Results ─► pypsa::write_results
//! ```
//! [`solve_folder`] runs the whole chain and times each stage. With a planning file
//! (`atomplan solve --planning`, the studies):
//!
//! ```text
//! pypsa::read_folder, or planning::network_from_system (a study's planning system) ─► Network ─┐
//! planning::load (file) ─► PlanningFile ─► planning::options::Options::resolve_names ─────────┤
//!   over the network's own snapshots, the file only adding rows (planning/multi_period.rs),
//!   over the file's own periods (planning/vintages.rs: the network with those periods on its
//!   snapshot axis, capacity per period made of parts), or in one period with the file's own
//!   units (planning/one_period.rs: the units written onto the network as modules):
//!        ─► build::build ─► the planning families over its columns (build/planning/)
//!        ─► highs_backend::solve ─► results::extract ─► PlanResult
//! ```
//!
//! There is one model: the planning families are rows and columns added to the core's
//! `LinearProgram` over its columns, solved by the same backend. What the planning model does
//! not take is named, as an error ([`planning::unsupported`]).
//!
//! # The LP assembly types (for extensions)
//!
//! [`LinearProgram`] holds a minimisation problem as arrays: per column `col_cost`, `col_lower`,
//! `col_upper`, `col_integer`; per row `row_lower`, `row_upper` (equal for equalities, ±∞ for
//! one-sided rows); and the matrix as three parallel triplet vectors `triplet_rows`,
//! `triplet_cols`, `triplet_values` (duplicates are summed by the backend).
//! Columns and rows come in named [`lp::Family`] blocks (`Generator-p`, `Bus-balance`,
//! `GlobalConstraint`) that give every entry a structured name for `--write-lp` and diagnostics.
//!
//! To add a constraint family to the plain network model (say a reserve rule PyPSA has): write
//! `build/<family>.rs` with one function
//! that appends its columns with [`LinearProgram::add_col_family`] (set `col_integer` for integer
//! unit counts), its rows with [`LinearProgram::add_row_family`] or
//! [`LinearProgram::add_sparse_row_family`], and its coefficients as one [`lp::Triplets`] block
//! built from arrays; find existing columns through [`build::ModelIndex`] (for example
//! `index.generator_p(g, t)`, `index.generator_p_nom[g]`, `index.balance_row(bus, t)`), then call
//! it from the flat sequence in [`build::build`]. Integer columns make HiGHS solve a MILP; nothing
//! else changes. A nuclear-planning family goes into `build/planning/` instead, one module with
//! its mathematics in the doc comment, over the planning layer's expressions of the core's
//! columns (`Expr`, `Index`, filled by `planning/multi_period.rs`): the N-1 reserve tied to the
//! largest unit is `build/planning/contingency.rs`.

pub mod aggregate;
pub mod build;
pub mod diagnose;
pub mod highs_backend;
pub mod lp;
pub mod network;
pub mod planning;
pub mod pypsa;
pub mod results;

#[cfg(test)]
mod tests;

use std::path::Path;
use std::time::Instant;

use atomplan_core::Diagnostic;

pub use build::{build, Model, ModelIndex};
pub use highs_backend::{LpSolution, SolveStatus, SolverSettings};
pub use lp::{LinearProgram, Triplets};
pub use network::Network;
pub use results::Results;

/// Everything that can stop a solve from running, the one error type of the crate (core solve,
/// planning model, time-series aggregation). An infeasible model is not an error: it is a
/// [`SolveStatus`] with a [`diagnose::Diagnosis`] (core checks, or for planning the elastic
/// re-solve over its policy rows, `PlanResult::diagnosis`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// A malformed input folder: names the file, line and column.
    #[error("{}", .0.location_and_message())]
    Input(Box<Diagnostic>),
    #[error("the model is too large for HiGHS ({rows} rows, {cols} columns, {nnz} non-zeros)")]
    TooLarge {
        rows: usize,
        cols: usize,
        nnz: usize,
    },
    #[error(
        "the solve would need about {:.1} GiB ({nnz} non-zeros; {basis}) but {:.1} GiB of memory are available",
        *.estimate_bytes as f64 / GIB,
        *.available_bytes as f64 / GIB
    )]
    Memory {
        nnz: usize,
        estimate_bytes: u64,
        available_bytes: u64,
        basis: &'static str,
    },
    #[error("HiGHS rejected the option `{key}={value}`")]
    SolverOption { key: String, value: String },
    #[error("{0}")]
    Solver(String),
    #[error("cannot write results: {0}")]
    Output(String),
    /// A planning-file key names a component the system does not have.
    #[error("`{key}` names `{name}`, which is not a {kind} of the system")]
    UnknownName {
        key: String,
        name: String,
        kind: planning::NameKind,
    },
    #[error("cannot write the LP to `{path}`: {message}")]
    WriteLp { path: String, message: String },
    /// A combination of the network and the plan that the planning model cannot take.
    #[error("{0} is not supported by the planning model")]
    Unsupported(String),
    /// Time-series aggregation: no profiles to cluster.
    #[error("time-series aggregation failed: no profiles given")]
    NoProfiles,
    #[error(
        "time-series aggregation failed: profile {index} has {len} hours, profile 0 has {expected}"
    )]
    ProfileLength {
        index: usize,
        len: usize,
        expected: usize,
    },
    #[error("time-series aggregation failed: profile {index} has a value that is not finite at hour {hour}")]
    ProfileNotFinite { index: usize, hour: usize },
    #[error("time-series aggregation failed: `period_hours` is {period_hours} but the profiles hold only {hours} hours")]
    ProfilesTooShort { period_hours: usize, hours: usize },
    #[error("time-series aggregation failed: `{field}` must be at least 1")]
    AggregationZero { field: &'static str },
}

trait LocationAndMessage {
    fn location_and_message(&self) -> String;
}

impl LocationAndMessage for Diagnostic {
    fn location_and_message(&self) -> String {
        format!("{}: {}", self.location, self.message)
    }
}

/// Seconds spent in each stage of [`solve_folder`].
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Timings {
    pub read_s: f64,
    pub build_s: f64,
    /// Passing the model to HiGHS plus HiGHS's run plus reading the solution back.
    pub solve_s: f64,
    /// HiGHS's own run time (inside `solve_s`).
    pub highs_s: f64,
    pub write_s: f64,
    pub total_s: f64,
}

/// Size of the LP handed to HiGHS.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Size {
    pub rows: usize,
    pub cols: usize,
    pub nnz: usize,
}

/// What [`solve_folder`] returns.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub network: Network,
    pub warnings: Vec<Diagnostic>,
    pub results: Results,
    pub size: Size,
    pub timings: Timings,
    /// Present when the solve was not optimal.
    pub diagnosis: Option<diagnose::Diagnosis>,
    pub simplex_iterations: i64,
    pub ipm_iterations: i64,
}

const GIB: f64 = 1024.0 * 1024.0 * 1024.0;

/// Rough peak memory of a HiGHS solve of an LP of `size`, in bytes, and how it was estimated.
///
/// Calibrated on the measured peak RSS of `kz-1node-8760` (329,630 non-zeros: 404 MiB with the
/// default HiPO and crossover, 196 MiB with dual simplex) and its 4-bus tiling (1,563,800
/// non-zeros: 1,459 MiB with HiPO), docs/benchmarks.md: about 128 MiB plus 900 bytes per
/// non-zero with HiPO, 600 bytes per non-zero with simplex. HiPO's factorisation fills in faster
/// than the LP grows on meshed networks, so for large meshed networks this is a floor.
#[must_use]
pub fn estimated_peak_bytes(size: &Size, settings: &SolverSettings) -> (u64, &'static str) {
    let simplex = settings
        .options
        .iter()
        .any(|(k, v)| k == "solver" && v.contains("simplex"));
    let nnz = size.nnz as f64;
    if simplex {
        ((600.0 * nnz) as u64, "600 bytes per non-zero with simplex")
    } else {
        (
            (128.0 * 1024.0 * 1024.0 + 900.0 * nnz) as u64,
            "128 MiB plus 900 bytes per non-zero with HiPO and crossover",
        )
    }
}

/// Options of [`solve_folder`].
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Refuse to start HiGHS when [`estimated_peak_bytes`] exceeds this (e.g. the machine's
    /// available memory); `None` never refuses.
    pub memory_limit_bytes: Option<u64>,
    pub solver: SolverSettings,
    /// Write results in PyPSA's layout here.
    pub out_dir: Option<std::path::PathBuf>,
    /// Write the LP with structured names here before solving.
    pub write_lp: Option<std::path::PathBuf>,
}

/// Builds and solves a network held in memory (no files); for tests and library callers.
pub fn solve_network(
    network: &Network,
    settings: &SolverSettings,
) -> Result<(Model, LpSolution, Results), Error> {
    let model = build(network)?;
    let solution = highs_backend::solve(&model.lp, settings)?;
    let results = results::extract(network, &model.index, &solution);
    Ok((model, solution, results))
}

/// Reads a PyPSA folder, builds and solves the LP, diagnoses a failure and writes results.
pub fn solve_folder(folder: &Path, options: &RunOptions) -> Result<Outcome, Error> {
    let started = Instant::now();
    let imported = pypsa::read_folder(folder)?;
    let read_s = started.elapsed().as_secs_f64();
    let network = imported.network;

    let build_started = Instant::now();
    let model = build(&network)?;
    let build_s = build_started.elapsed().as_secs_f64();
    if let Some(path) = &options.write_lp {
        let file = std::fs::File::create(path)
            .map_err(|error| Error::Output(format!("{}: {error}", path.display())))?;
        model
            .lp
            .write_lp(file)
            .map_err(|error| Error::Output(format!("{}: {error}", path.display())))?;
    }
    let size = Size {
        rows: model.lp.n_rows(),
        cols: model.lp.n_cols(),
        nnz: model.lp.n_nonzeros(),
    };

    if let Some(limit) = options.memory_limit_bytes {
        let (estimate, basis) = estimated_peak_bytes(&size, &options.solver);
        if estimate > limit {
            return Err(Error::Memory {
                nnz: size.nnz,
                estimate_bytes: estimate,
                available_bytes: limit,
                basis,
            });
        }
    }
    let solve_started = Instant::now();
    let solution = highs_backend::solve(&model.lp, &options.solver)?;
    let results = results::extract(&network, &model.index, &solution);
    let solve_s = solve_started.elapsed().as_secs_f64();

    let diagnosis = if solution.status == SolveStatus::Optimal {
        None
    } else {
        Some(diagnose::diagnose(
            &network,
            &model,
            solution.status,
            &options.solver,
        ))
    };

    let write_started = Instant::now();
    if let (Some(out_dir), SolveStatus::Optimal) = (&options.out_dir, solution.status) {
        pypsa::write_results(folder, out_dir, &network, &results)?;
    }
    let write_s = write_started.elapsed().as_secs_f64();
    Ok(Outcome {
        network,
        warnings: imported.warnings,
        results,
        size,
        timings: Timings {
            read_s,
            build_s,
            solve_s,
            highs_s: solution.highs_s,
            write_s,
            total_s: started.elapsed().as_secs_f64(),
        },
        diagnosis,
        simplex_iterations: solution.simplex_iterations,
        ipm_iterations: solution.ipm_iterations,
    })
}
