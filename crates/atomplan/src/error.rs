//! The one error type of the `atomplan` crate.
//!
//! Study stages, the study runner, the sweep engine and the assessments all return [`Error`].
//! Messages are written for users and name the study key, file and line, case-file key, or
//! candidate they are about.

use std::path::PathBuf;

use atomplan_econ::EconError;
use atomplan_model::planning::Status;

/// Why a study stage, a sweep scenario or an assessment could not give an answer.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A study input is invalid; `key` is its path in the study file (e.g.
    /// `commitments[0].mw`).
    #[error("{key}: {message}")]
    Invalid { key: String, message: String },
    /// The study names a catalogue entry (`kind`: design, country) that does not exist.
    #[error("unknown {kind} `{id}`")]
    Unknown { kind: &'static str, id: String },
    /// Something every study run has is missing (`no periods`, `no demand scenario`).
    #[error("no {0}")]
    Missing(&'static str),
    /// A scenario index past the study's resolved scenarios.
    #[error("no scenario {0}")]
    NoScenario(usize),
    /// The study has no candidates (screening runner).
    #[error("the study has no `candidates`")]
    NoCandidates,
    /// The study's `candidates` do not parse (screening runner).
    #[error("`candidates`: {0}")]
    Candidates(toml::de::Error),
    /// A figure of one candidate is missing or out of range.
    #[error("candidate `{candidate}`: {message}")]
    Candidate { candidate: String, message: String },
    /// A catalogue design's figure is out of range.
    #[error("design `{design}`: {message}")]
    Design { design: String, message: String },
    /// The economics of one candidate have no finite answer.
    #[error("candidate `{candidate}`: {error}")]
    Economics { candidate: String, error: EconError },
    /// The Monte Carlo of one candidate has no finite answer.
    #[error("candidate `{candidate}` Monte Carlo: {error}")]
    MonteCarlo { candidate: String, error: EconError },
    /// A file cannot be read or written (an hourly profile CSV, a sweep result file).
    #[error("{}: {error}", .path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// A cell of an hourly profile CSV is not a number (at most 16 characters are quoted).
    #[error("{}:{line}: `{}` is not a number", .path.display(), quoted(.cell))]
    NotANumber {
        path: PathBuf,
        line: usize,
        cell: String,
    },
    /// A value of an hourly profile CSV is negative or not finite.
    #[error("{}:{line}: value must be finite and >= 0, got {cell}", .path.display())]
    BadValue {
        path: PathBuf,
        line: usize,
        cell: String,
    },
    /// An hourly profile CSV has the wrong number of rows.
    #[error("{}: expected {expected} hourly rows, found {found}", .path.display())]
    HourlyRows {
        path: PathBuf,
        expected: usize,
        found: usize,
    },
    /// The planning model could not be built.
    #[error(transparent)]
    Planning(#[from] atomplan_model::Error),
    /// No plan meets the study's constraints: a negative answer, not a failure of the run.
    /// `explanation` names the policy rows that are short.
    #[error("infeasible plan in scenario `{scenario}`: {explanation}. Families: CO2-cap = [policy].co2_cap_mt, Capacity-limit = [[targets]], [[commitments]] or a coal phase-out, Energy-limit = [policy].gas_supply_bcm, Area-reserve-margin = the reserve margin")]
    Infeasible {
        scenario: String,
        explanation: String,
    },
    /// The planning solver ended without a plan (time limit with no solution, error,
    /// unbounded).
    #[error("planning of scenario `{scenario}` failed: the solver ended without a plan (status {status:?}{})", said(.solver_message))]
    SolverFailed {
        scenario: String,
        status: Status,
        solver_message: String,
    },
    /// The adequacy Monte Carlo of a plan failed.
    #[error("adequacy: {0}")]
    Adequacy(Box<Error>),
    /// The MCDA ranking failed.
    #[error("MCDA: {0}")]
    Mcda(Box<Error>),
    /// An assessment input (matrix or vector) has the wrong size.
    #[error("`{key}` has the wrong shape: expected {expected}, found {found}")]
    Shape {
        key: String,
        expected: String,
        found: String,
    },
    /// An assessment input is missing, negative, not finite, or outside its allowed range.
    #[error("`{key}` is invalid: {reason}")]
    Value { key: String, reason: String },
    /// A pairwise-comparison matrix is not reciprocal (`a_ji = 1/a_ij`).
    #[error("`{key}` is not reciprocal: entry ({row}, {col}) is {value} but ({col}, {row}) is {transposed}, expected about {expected}")]
    NonReciprocal {
        key: String,
        row: usize,
        col: usize,
        value: f64,
        transposed: f64,
        expected: f64,
    },
    /// An assessment case file is not valid TOML or has unknown or mistyped keys.
    #[error("{location}: {message}")]
    Toml { location: String, message: String },
    /// A method has no defined answer for this input (e.g. all alternatives identical in
    /// TOPSIS).
    #[error("{method} is undefined for this input: {reason}")]
    Undefined { method: String, reason: String },
    /// A stage of a study run failed; `error` says why ([`Error::is_infeasible`] on it: no
    /// plan meets the study's constraints).
    #[error("stage `{stage}`: {error}")]
    Stage { stage: String, error: Box<Error> },
    /// Every planning scenario of a study run failed, so the stages after planning cannot
    /// run; `stage` and `reason` are the first failure.
    #[error("stage `{stage}`: no planning scenario solved ({reason})")]
    NoPlan { stage: String, reason: String },
    /// The study runner's stage cache failed (the report crate's cache is the run's SQLite
    /// database; its own error type is inside).
    #[error("{0}")]
    Cache(Box<dyn std::error::Error + Send + Sync>),
    /// A stage's inputs could not be serialised to be hashed (see `study::runner`).
    #[error("cannot hash the stage inputs: {0}")]
    Hash(serde_json::Error),
    /// A sweep scenario's study, with its overrides, is not a study file; says why.
    #[error("the scenario's study is invalid: {0}")]
    ScenarioStudy(String),
    /// The `[sweep]` table or the study file of a sweep is malformed; names the file and the
    /// key.
    #[error("{file}: `{key}`: {message}")]
    Definition {
        file: String,
        key: String,
        message: String,
    },
    /// A sweep definition's TOML does not parse.
    #[error("{file}: {message}")]
    Parse { file: String, message: String },
    /// `--shard` is not `I/N` with `0 <= I < N`.
    #[error("`--shard {0}`: expected I/N with 0 <= I < N, e.g. `3/8`")]
    BadShard(String),
    /// Sweep results already in the output folder were made from a different sweep.
    #[error("{path}: made by a different sweep (definition hash {found}, this one is {expected}); use a new output folder")]
    Mismatch {
        path: String,
        found: String,
        expected: String,
    },
    /// SQLite error on a sweep result file.
    #[error("{path}: {error}")]
    Sqlite {
        path: String,
        error: rusqlite::Error,
    },
    /// A sweep result file has content this version cannot read.
    #[error("{path}: {message}")]
    Corrupt { path: String, message: String },
    /// The sweep's worker threads could not be started.
    #[error("cannot start the worker threads: {0}")]
    ThreadPool(String),
}

impl Error {
    pub(crate) fn invalid(key: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid {
            key: key.into(),
            message: message.into(),
        }
    }

    pub(crate) fn candidate(candidate: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Candidate {
            candidate: candidate.into(),
            message: message.into(),
        }
    }

    pub(crate) fn value(key: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Value {
            key: key.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn shape(
        key: impl Into<String>,
        expected: impl std::fmt::Display,
        found: impl std::fmt::Display,
    ) -> Self {
        Error::Shape {
            key: key.into(),
            expected: expected.to_string(),
            found: found.to_string(),
        }
    }

    /// The assessment input key (field path) the error is about, if any.
    #[must_use]
    pub fn key(&self) -> Option<&str> {
        match self {
            Error::Shape { key, .. }
            | Error::Value { key, .. }
            | Error::NonReciprocal { key, .. } => Some(key),
            _ => None,
        }
    }

    /// Whether the error is a negative answer (no feasible plan, also inside a failed stage)
    /// rather than a failure: the CLI exits 1 on it, and 2 on every other error.
    #[must_use]
    pub fn is_infeasible(&self) -> bool {
        match self {
            Error::Infeasible { .. } => true,
            Error::Stage { error, .. } => error.is_infeasible(),
            _ => false,
        }
    }
}

/// A cell quoted back in a message: at most 16 characters, escaped.
fn quoted(cell: &str) -> String {
    let shown: String = cell.chars().take(16).collect();
    let more = if cell.chars().count() > 16 { "…" } else { "" };
    format!("{}{more}", shown.escape_default())
}

/// `; HiGHS: <message>`, or nothing when the solver said nothing.
fn said(solver_message: &str) -> String {
    if solver_message.is_empty() {
        String::new()
    } else {
        format!("; HiGHS: {solver_message}")
    }
}
