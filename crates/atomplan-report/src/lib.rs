//! The HTML report, its charts, and the CSV/SQLite writers; and `run`, which runs a study
//! through `atomplan::study::runner` with the run database as its stage cache (so that an
//! interrupted run resumes where it stopped), then writes the results.
//!
//! Architecture Invariant: the report crate stores and writes; it does not sequence stages.
//!
//! Architecture Invariant: the report is self-contained (inline SVG, inline CSS, no script, no
//! network), so it reads offline and prints.

pub mod alternatives;
pub mod answer;
pub mod assumptions;
pub mod charts;
pub mod columnar;
pub mod decision_view;
pub mod html;
pub mod raster;
pub mod run;
pub mod security_view;
pub mod sources;
pub mod store;
pub mod tables;

pub use run::{run_study, FailedStage, Progress, RunOptions, RunSummary};

use std::path::Path;

/// Why a run or a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A study stage failed; `error` says why ([`atomplan::Error::is_infeasible`]: no plan
    /// meets the study's constraints).
    #[error("stage `{stage}`: {error}")]
    Stage {
        stage: String,
        error: atomplan::Error,
    },
    /// Every planning scenario failed, so the stages after planning cannot run; `reason` is
    /// the first failure.
    #[error("stage `{stage}`: no planning scenario solved, so nothing can be assessed ({reason}); the failed stages are recorded in results.sqlite (stage_failures) and are computed again on the next run")]
    NoPlan { stage: String, reason: String },
    /// An SVG chart could not be rasterised to PNG.
    #[error("{0}")]
    Raster(String),
    /// The output folder is unsafe or holds something else (see `run::RunOptions::force`).
    #[error("{0}")]
    Refused(String),
    #[error("results database: {0}")]
    Database(String),
    #[error("{path}: {message}")]
    Io { path: String, message: String },
}

impl ReportError {
    pub(crate) fn io(path: &Path, error: &std::io::Error) -> Self {
        ReportError::Io {
            path: path.display().to_string(),
            message: error.to_string(),
        }
    }
}
