//! The one error type of the `atomplan` crate.
//!
//! Study stages, the sweep engine and the assessments all return [`Error`] at the crate's
//! boundary. The assessment modules and the sweep engine keep their own detailed errors
//! ([`AssessError`], [`SweepError`]) as variants, so callers of those modules can still match
//! on them; the study pipeline's variants are here. Messages are written for users and name the
//! study key, file and line, or candidate they are about.

use std::path::PathBuf;

use atomplan_econ::EconError;
use atomplan_model::planning::Status;

use crate::assess::AssessError;
use crate::sweep::SweepError;

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
    /// An hourly profile CSV cannot be read.
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
    Adequacy(AssessError),
    /// The MCDA ranking failed.
    #[error("MCDA: {0}")]
    Mcda(AssessError),
    /// An assessment (case file or computation) failed.
    #[error(transparent)]
    Assess(#[from] AssessError),
    /// A stage's inputs could not be serialised to be hashed (see `study::runner`).
    #[error("cannot hash the stage inputs: {0}")]
    Hash(serde_json::Error),
    /// A sweep scenario's study, with its overrides, is not a study file; says why.
    #[error("the scenario's study is invalid: {0}")]
    ScenarioStudy(String),
    /// The sweep engine failed (definition, shard, result files).
    #[error(transparent)]
    Sweep(#[from] SweepError),
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

    /// Whether the error is a negative answer (no feasible plan) rather than a failure: the
    /// CLI exits 1 on it, and 2 on every other error.
    #[must_use]
    pub fn is_infeasible(&self) -> bool {
        matches!(self, Error::Infeasible { .. })
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
