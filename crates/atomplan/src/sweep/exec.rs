//! Running the scenarios of one shard on a rayon pool, writing each result as it finishes.
//!
//! Workers run scenarios and send finished rows over a channel; one writer (the calling thread)
//! commits each row to the shard's SQLite file in its own transaction.
//! Scenarios already in the file are skipped, so a re-run after a crash only does what is left.
//! The runner sees one scenario at a time and must use one solver thread
//! ([`RunOptions::solver_threads_per_scenario`]): parallelism comes from running scenarios side by
//! side, which scales better than HiGHS's own threads on small models and never oversubscribes
//! the cores.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Instant;

use rayon::prelude::*;

use super::spec::{Scenario, Shard, Sweep};
use super::store::{ResultRow, ShardManifest, ShardStore, FORMAT};
use super::{ScenarioResult, Status};
use crate::Error;

/// How to run a shard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunOptions {
    pub shard: Shard,
    /// Worker threads (scenarios run side by side); at least 1.
    pub threads: usize,
}

impl RunOptions {
    /// Threads each scenario's solver may use: always 1, see the module comment.
    pub const fn solver_threads_per_scenario(&self) -> u32 {
        1
    }
}

/// Progress after each finished scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Finished in this run.
    pub done: u64,
    /// To run in this run (the shard's scenarios not finished before).
    pub total: u64,
    /// Finished in this run and not ok.
    pub not_ok: u64,
}

/// What a run of one shard did.
#[derive(Debug, Clone, PartialEq)]
pub struct RunReport {
    pub shard: Shard,
    pub n_scenarios: u64,
    pub n_in_shard: u64,
    /// Finished in earlier runs, skipped now.
    pub n_skipped: u64,
    /// Run now.
    pub n_run: u64,
    pub n_ok: u64,
    pub n_infeasible: u64,
    pub n_failed: u64,
    /// Scenarios whose study fails `study check` after the overrides.
    pub n_invalid: u64,
    pub attempt: u64,
    pub elapsed_s: f64,
}

/// Renders one override value as result text.
pub fn param_text(value: &toml::Value) -> String {
    match value {
        toml::Value::String(text) => text.clone(),
        toml::Value::Integer(number) => number.to_string(),
        toml::Value::Float(number) => number.to_string(),
        toml::Value::Boolean(flag) => flag.to_string(),
        toml::Value::Datetime(date) => date.to_string(),
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

fn run_one<R, E>(sweep: &Sweep, id: u64, attempt: u64, runner: &R) -> ResultRow
where
    R: Fn(&Scenario) -> Result<ScenarioResult, E> + Sync,
    E: std::fmt::Display,
{
    let started = Instant::now();
    let (scenario, result) = match sweep.scenario(id) {
        Ok(scenario) => {
            let outcome = catch_unwind(AssertUnwindSafe(|| runner(&scenario)));
            let result = match outcome {
                Ok(Ok(result)) => result,
                Ok(Err(error)) => ScenarioResult::failed(Status::Failed, error.to_string()),
                Err(_) => ScenarioResult::failed(
                    Status::Failed,
                    "the runner panicked (a bug: please report it)",
                ),
            };
            (Some(scenario), result)
        }
        Err(error) => (
            None,
            ScenarioResult::failed(Status::Failed, error.to_string()),
        ),
    };
    let overrides = sweep.overrides(id);
    ResultRow {
        id,
        hash: scenario
            .as_ref()
            .map_or_else(String::new, |s| s.hash.clone()),
        seed: super::scenario_seed(sweep.seed, id),
        grid_index: id / sweep.samples,
        sample_index: id % sweep.samples,
        params: overrides
            .iter()
            .map(|item| (item.path.clone(), param_text(&item.value)))
            .collect(),
        result,
        elapsed_s: started.elapsed().as_secs_f64(),
        attempt,
    }
}

fn manifest(
    sweep: &Sweep,
    store: &ShardStore,
    options: &RunOptions,
    elapsed_s: f64,
) -> ShardManifest {
    let n_in_shard = options.shard.ids(sweep.len()).count() as u64;
    let n_done = store.done().len() as u64;
    let file_name = store
        .path()
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    ShardManifest {
        format: FORMAT.to_owned(),
        study_file: sweep.file.clone(),
        definition_hash: sweep.definition_hash.clone(),
        shard: options.shard.to_string(),
        shard_index: options.shard.index,
        shard_count: options.shard.count,
        n_scenarios: sweep.len(),
        n_in_shard,
        n_done,
        complete: n_done == n_in_shard,
        paths: sweep.paths(),
        threads: options.threads,
        attempt: store.attempt,
        elapsed_s,
        result_file: file_name,
        atomplan_version: env!("CARGO_PKG_VERSION").to_owned(),
    }
}

/// Runs every scenario of `options.shard` not yet in `store`, `options.threads` at a time.
///
/// `runner` turns one scenario into its result; an `Err` (its message) or a panic is recorded as a failed
/// scenario (and not retried), so one bad combination never stops a sweep.
/// `progress` is called on the calling thread after each committed result.
pub fn run_shard<R, E, P>(
    sweep: &Sweep,
    store: &mut ShardStore,
    options: &RunOptions,
    runner: &R,
    mut progress: P,
) -> Result<RunReport, Error>
where
    R: Fn(&Scenario) -> Result<ScenarioResult, E> + Sync,
    E: std::fmt::Display,
    P: FnMut(Progress),
{
    let started = Instant::now();
    let shard_ids: Vec<u64> = options.shard.ids(sweep.len()).collect();
    let todo: Vec<u64> = shard_ids
        .iter()
        .copied()
        .filter(|id| !store.done().contains(id))
        .collect();
    let n_skipped = (shard_ids.len() - todo.len()) as u64;
    store.write_manifest(&manifest(sweep, store, options, 0.0))?;
    let threads = options.threads.max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|index| format!("sweep-{index}"))
        .build()
        .map_err(|error| Error::ThreadPool(error.to_string()))?;
    let attempt = store.attempt;
    let cancel = AtomicBool::new(false);
    let mut counts = [0_u64; 4];
    let mut write_error = None;
    std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::channel::<ResultRow>();
        let todo = &todo;
        let cancel = &cancel;
        scope.spawn(move || {
            pool.install(|| {
                todo.par_iter()
                    .with_max_len(1)
                    .for_each_with(sender, |sender, &id| {
                        if cancel.load(Ordering::Relaxed) {
                            return;
                        }
                        let row = run_one(sweep, id, attempt, runner);
                        if sender.send(row).is_err() {
                            cancel.store(true, Ordering::Relaxed);
                        }
                    });
            });
        });
        let mut done = 0;
        for row in receiver {
            if write_error.is_some() {
                continue;
            }
            let status = row.result.status;
            if let Err(error) = store.insert(&row) {
                cancel.store(true, Ordering::Relaxed);
                write_error = Some(error);
                continue;
            }
            counts[status as usize] += 1;
            done += 1;
            progress(Progress {
                done,
                total: todo.len() as u64,
                not_ok: counts[1] + counts[2] + counts[3],
            });
        }
    });
    if let Some(error) = write_error {
        return Err(error);
    }
    let elapsed_s = started.elapsed().as_secs_f64();
    store.write_manifest(&manifest(sweep, store, options, elapsed_s))?;
    Ok(RunReport {
        shard: options.shard,
        n_scenarios: sweep.len(),
        n_in_shard: shard_ids.len() as u64,
        n_skipped,
        n_run: counts.iter().sum(),
        n_ok: counts[0],
        n_infeasible: counts[1],
        n_failed: counts[2],
        n_invalid: counts[3],
        attempt,
        elapsed_s,
    })
}
