//! Scenario sweeps and Monte Carlo at scale: thousands of study runs on every core of one
//! machine, or split into shards for Slurm job arrays and other engines.
//!
//! A study file may carry a `[sweep]` table: grid dimensions (lists of values for dotted paths
//! into any study input) and sampled dimensions (distributions drawn `samples` times).
//! [`Sweep`] expands it into [`Scenario`]s in one canonical order; a scenario's id is its index in
//! that order, its seed is derived from (sweep seed, id), and its content hash names its inputs.
//! Results therefore do not depend on how the work is split: by threads, by `--shard I/N`, or by
//! re-running after a crash.
//!
//! Pieces: `spec` (the `[sweep]` wire types, validation and expansion), `exec` (running the
//! scenarios of one shard in parallel through a runner closure), `store` (the durable shard
//! result files, manifests and the merge), `summary` (statistics, regret and SVG charts over a
//! merged sweep), `stages` (the per-scenario function: a stop point of the one study runner,
//! `study::runner`, screening, economics or the first plan), `screening` (its screening stop).
//!
//! Decision: unlike the rest of this crate, `store` writes files (SQLite, JSON, CSV).
//! Resumability is the sweep engine's contract ("a finished scenario is never recomputed or
//! lost"), and it can only be kept by the code that also decides what to run next; the CLI, the
//! server and tests share it through this one module.

pub mod exec;
pub mod screening;
pub mod spec;
pub mod stages;
pub mod store;
pub mod summary;

pub use exec::{run_shard, RunOptions, RunReport};
pub use spec::{Dimension, Distribution, Override, Scenario, Shard, Sweep};
pub use stages::{run_scenario, Through};
pub use store::{merge, MergeOutcome, ShardManifest, ShardStore};
pub use summary::{summarize, Summary};

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// How a scenario ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Ran; metrics are valid.
    Ok,
    /// Ran, and the answer is negative (e.g. no feasible plan); recorded, not retried.
    Infeasible,
    /// Could not run (bad input for this combination, solver error); recorded, not retried.
    Failed,
    /// The scenario's study, with its overrides, fails the checks of `study check`; recorded,
    /// not run.
    Invalid,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Infeasible => "infeasible",
            Status::Failed => "failed",
            Status::Invalid => "invalid",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        match text {
            "ok" => Some(Status::Ok),
            "infeasible" => Some(Status::Infeasible),
            "failed" => Some(Status::Failed),
            "invalid" => Some(Status::Invalid),
            _ => None,
        }
    }
}

/// The flat record one scenario produces: named numbers and named labels.
///
/// Metric names follow `<quantity>_<unit>[.<option>]`, e.g. `lcoe_usd_per_mwh.bwrx-300`,
/// `system_cost_usd`, `co2_t`, `capacity_mw.bwrx-300`; labels name discrete outcomes such as
/// `chosen_design`. Non-finite numbers are never stored (see [`ScenarioResult::metric`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioResult {
    pub status: Status,
    /// Why the scenario is infeasible or failed; empty when ok.
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub metrics: BTreeMap<String, f64>,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}

impl ScenarioResult {
    pub fn ok() -> Self {
        ScenarioResult {
            status: Status::Ok,
            message: String::new(),
            metrics: BTreeMap::new(),
            labels: BTreeMap::new(),
        }
    }

    pub fn failed(status: Status, message: impl Into<String>) -> Self {
        ScenarioResult {
            status,
            message: message.into(),
            metrics: BTreeMap::new(),
            labels: BTreeMap::new(),
        }
    }

    /// Adds a metric; a NaN or infinite value is left out and noted in `message`.
    pub fn metric(&mut self, name: impl Into<String>, value: f64) -> &mut Self {
        let name = name.into();
        if value.is_finite() {
            self.metrics.insert(name, value);
        } else {
            if !self.message.is_empty() {
                self.message.push_str("; ");
            }
            self.message
                .push_str(&format!("`{name}` is not a finite number"));
        }
        self
    }

    pub fn label(&mut self, name: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.labels.insert(name.into(), value.into());
        self
    }
}

/// 64-bit FNV-1a: a small, stable content hash (not cryptographic) for scenario and sweep ids.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// SplitMix64 finaliser: spreads nearby inputs (ids 0, 1, 2…) over the whole 64-bit range.
pub fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The seed of scenario `scenario_id` in a sweep with seed `sweep_seed`.
///
/// Depends only on these two numbers, never on shards or threads.
/// Kept below 2^63 so it fits SQLite's signed 64-bit integers unchanged.
pub fn scenario_seed(sweep_seed: u64, scenario_id: u64) -> u64 {
    splitmix64(sweep_seed ^ splitmix64(scenario_id)) >> 1
}

#[cfg(test)]
mod tests;
