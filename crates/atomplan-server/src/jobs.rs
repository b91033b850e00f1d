//! Study jobs: a table in SQLite (`JOBS_DIR/jobs.sqlite`), a bounded queue, and a pool of worker
//! threads that run each study through `atomplan_report::run_study`, the runner of `study run`.
//!
//! Each job has a folder `JOBS_DIR/<id>/` with the posted `study.toml` and the run's output in
//! `out/` (`report.html`, `decision.json`, `results.sqlite`, …). A server killed with SIGKILL
//! finds its running jobs marked `running` on restart; they are queued again, before the jobs
//! still queued, and the study runner resumes from `out/results.sqlite` without redoing the
//! stages it had committed.
//!
//! Decision: workers are plain threads, not tokio tasks, because a study is seconds to hours of
//! CPU (HiGHS and rayon) that must not block the request threads.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use atomplan::study::{validate, StudyCatalogue};
use rand::RngCore as _;
use rusqlite::{params, Connection, OptionalExtension as _};
use serde::Serialize;
use serde_json::{json, Value};

use crate::ServerError;

/// The file name a job's study is stored under; diagnostics name it.
pub const STUDY_FILE: &str = "study.toml";

/// True for ids this server makes: 32 lowercase hex digits. Only such ids become paths.
pub fn is_job_id(id: &str) -> bool {
    id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn new_job_id() -> String {
    let mut bytes = [0_u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn now_s() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// A job as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct JobInfo {
    pub id: String,
    pub title: String,
    pub country: String,
    /// `queued`, `running`, `done` or `failed`.
    pub status: String,
    /// Share of the run's stages finished, 0 to 1.
    pub progress: f64,
    /// The stage running or last finished.
    pub stage: Option<String>,
    /// Why it failed, or what the last stage said.
    pub message: Option<String>,
    pub created_unix_s: i64,
    pub updated_unix_s: i64,
}

impl JobInfo {
    pub fn is_finished(&self) -> bool {
        self.status == "done" || self.status == "failed"
    }
}

/// The job table, the queue and the live progress events of jobs run since start.
pub struct Jobs {
    dir: PathBuf,
    db: Mutex<Connection>,
    queue: Mutex<VecDeque<String>>,
    wake: Condvar,
    /// Progress events (JSON) of each job run by this process, for the event streams.
    events: Mutex<HashMap<String, Vec<Value>>>,
    catalogue: Arc<StudyCatalogue>,
    max_queued: usize,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A worker that panicked while holding a lock leaves consistent data behind (each write is
    // one statement), so a poisoned lock is still usable.
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Jobs {
    /// Opens or creates `dir/jobs.sqlite`, marks interrupted jobs queued and queues them first.
    pub(crate) fn open(
        dir: &Path,
        catalogue: Arc<StudyCatalogue>,
        max_queued: usize,
    ) -> Result<Jobs, ServerError> {
        let store_error = |message: String| ServerError::Jobs {
            path: dir.display().to_string(),
            message,
        };
        std::fs::create_dir_all(dir).map_err(|e| store_error(e.to_string()))?;
        let db =
            Connection::open(dir.join("jobs.sqlite")).map_err(|e| store_error(e.to_string()))?;
        db.execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE IF NOT EXISTS jobs (
                 seq INTEGER PRIMARY KEY AUTOINCREMENT,
                 id TEXT NOT NULL UNIQUE,
                 title TEXT NOT NULL,
                 country TEXT NOT NULL,
                 status TEXT NOT NULL,
                 progress REAL NOT NULL DEFAULT 0,
                 stage TEXT,
                 message TEXT,
                 created_unix_s INTEGER NOT NULL,
                 updated_unix_s INTEGER NOT NULL
             );",
        )
        .map_err(|e| store_error(e.to_string()))?;
        let mut pending: Vec<String> = Vec::new();
        {
            // Interrupted first (they were started earlier), then the queued, each in order.
            let mut statement = db
                .prepare(
                    "SELECT id FROM jobs WHERE status IN ('running', 'queued')
                     ORDER BY status = 'queued', seq",
                )
                .map_err(|e| store_error(e.to_string()))?;
            let rows = statement
                .query_map([], |row| row.get::<_, String>(0))
                .map_err(|e| store_error(e.to_string()))?;
            for id in rows {
                pending.push(id.map_err(|e| store_error(e.to_string()))?);
            }
        }
        db.execute(
            "UPDATE jobs SET status = 'queued', updated_unix_s = ?1 WHERE status = 'running'",
            params![now_s()],
        )
        .map_err(|e| store_error(e.to_string()))?;
        Ok(Jobs {
            dir: dir.to_path_buf(),
            db: Mutex::new(db),
            queue: Mutex::new(pending.into_iter().filter(|id| is_job_id(id)).collect()),
            wake: Condvar::new(),
            events: Mutex::new(HashMap::new()),
            catalogue,
            max_queued,
        })
    }

    /// The folder of a job; `None` unless `id` has the shape of the ids this server makes.
    pub fn job_dir(&self, id: &str) -> Option<PathBuf> {
        is_job_id(id).then(|| self.dir.join(id))
    }

    /// Stores a checked study and queues it.
    pub(crate) fn submit(
        &self,
        text: &str,
        title: &str,
        country: &str,
    ) -> Result<String, ServerError> {
        let mut queue = lock(&self.queue);
        if queue.len() >= self.max_queued {
            return Err(ServerError::QueueFull {
                max_queued: self.max_queued,
            });
        }
        let id = new_job_id();
        let dir = self.dir.join(&id);
        std::fs::create_dir_all(&dir).map_err(|e| ServerError::Submit(e.to_string()))?;
        std::fs::write(dir.join(STUDY_FILE), text)
            .map_err(|e| ServerError::Submit(e.to_string()))?;
        let now = now_s();
        lock(&self.db)
            .execute(
                "INSERT INTO jobs (id, title, country, status, created_unix_s, updated_unix_s)
                 VALUES (?1, ?2, ?3, 'queued', ?4, ?4)",
                params![id, title, country, now],
            )
            .map_err(|e| ServerError::Submit(e.to_string()))?;
        queue.push_back(id.clone());
        drop(queue);
        self.wake.notify_one();
        Ok(id)
    }

    /// Number of jobs waiting to run.
    pub fn queued(&self) -> usize {
        lock(&self.queue).len()
    }

    /// One job, if it exists.
    pub fn get(&self, id: &str) -> Option<JobInfo> {
        if !is_job_id(id) {
            return None;
        }
        let db = lock(&self.db);
        db.query_row(
            "SELECT id, title, country, status, progress, stage, message, created_unix_s,
                    updated_unix_s FROM jobs WHERE id = ?1",
            params![id],
            row_to_info,
        )
        .optional()
        .ok()
        .flatten()
    }

    /// Every job, newest first.
    pub fn list(&self) -> Vec<JobInfo> {
        let db = lock(&self.db);
        let Ok(mut statement) = db.prepare(
            "SELECT id, title, country, status, progress, stage, message, created_unix_s,
                    updated_unix_s FROM jobs ORDER BY seq DESC",
        ) else {
            return Vec::new();
        };
        statement
            .query_map([], row_to_info)
            .map(|rows| rows.filter_map(Result::ok).collect())
            .unwrap_or_default()
    }

    /// Progress events of a job from index `from` on (only jobs run by this process have any).
    pub fn events_since(&self, id: &str, from: usize) -> Vec<Value> {
        lock(&self.events)
            .get(id)
            .map(|events| events.get(from..).unwrap_or_default().to_vec())
            .unwrap_or_default()
    }

    fn push_event(&self, id: &str, event: Value) {
        lock(&self.events)
            .entry(id.to_owned())
            .or_default()
            .push(event);
    }

    fn update(
        &self,
        id: &str,
        status: &str,
        progress: f64,
        stage: Option<&str>,
        message: Option<&str>,
    ) {
        let result = lock(&self.db).execute(
            "UPDATE jobs SET status = ?2, progress = ?3, stage = ?4, message = ?5,
                    updated_unix_s = ?6 WHERE id = ?1",
            params![id, status, progress, stage, message, now_s()],
        );
        if let Err(error) = result {
            tracing::error!("job {id}: cannot record status `{status}`: {error}");
        }
    }

    /// Blocks until a job is queued, then takes it and marks it `running`, while holding the
    /// queue: the table's `queued` jobs are always those of the queue, so the queue bound holds
    /// for what clients see too.
    fn next(&self) -> String {
        let mut queue = lock(&self.queue);
        loop {
            if let Some(id) = queue.pop_front() {
                self.update(&id, "running", 0.0, None, None);
                return id;
            }
            queue = self
                .wake
                .wait(queue)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
    }

    /// Runs one job to its end and records the outcome.
    fn run(&self, id: &str) {
        let Some(dir) = self.job_dir(id) else {
            return;
        };
        self.push_event(id, json!({ "event": "status", "status": "running" }));
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.run_study(id, &dir)))
                .unwrap_or(Err(ServerError::JobPanicked));
        match outcome {
            Ok(()) => {
                self.update(id, "done", 1.0, None, None);
                self.push_event(
                    id,
                    json!({ "event": "status", "status": "done", "progress": 1.0 }),
                );
            }
            Err(error) => {
                let message = error.to_string();
                let progress = self.get(id).map_or(0.0, |info| info.progress);
                self.update(id, "failed", progress, None, Some(&message));
                self.push_event(
                    id,
                    json!({ "event": "status", "status": "failed", "message": message }),
                );
            }
        }
    }

    fn run_study(&self, id: &str, dir: &Path) -> Result<(), ServerError> {
        let study_path = dir.join(STUDY_FILE);
        let text = std::fs::read_to_string(&study_path).map_err(ServerError::JobRead)?;
        let study = validate::parse(STUDY_FILE, &text).map_err(ServerError::JobInvalid)?;
        let diagnostics = validate::validate(STUDY_FILE, &study, &self.catalogue);
        if atomplan_core::diagnostic::has_errors(&diagnostics) {
            return Err(ServerError::JobInvalid(diagnostics));
        }
        // Test hook, as in `study run`: sleep after committing the named stage, so a test can
        // kill the server there.
        let pause_after = std::env::var("ATOMPLAN_TEST_PAUSE_AFTER_STAGE").ok();
        let progress = |p: &atomplan_report::Progress| {
            let fraction = match p.event {
                "finished" | "reused" | "failed" => p.index as f64 / p.total.max(1) as f64,
                _ => p.index.saturating_sub(1) as f64 / p.total.max(1) as f64,
            };
            if p.event != "working" {
                self.update(id, "running", fraction, Some(&p.stage), None);
            }
            self.push_event(
                id,
                json!({
                    "event": p.event, "stage": p.stage, "index": p.index, "total": p.total,
                    "seconds": p.seconds, "message": p.message, "progress": fraction,
                }),
            );
            if p.event == "finished" && pause_after.as_deref() == Some(p.stage.as_str()) {
                std::thread::sleep(std::time::Duration::from_secs(600));
            }
        };
        let summary = atomplan_report::run_study(
            &study_path,
            &text,
            &study,
            &self.catalogue,
            &dir.join("out"),
            &atomplan_report::RunOptions { force: false },
            &progress,
        )?;
        if summary.stages_failed.is_empty() {
            Ok(())
        } else {
            Err(ServerError::JobStages(summary.stages_failed))
        }
    }
}

/// The failed stages of a run, in one line.
pub(crate) fn failed_stages_text(stages: &[atomplan_report::FailedStage]) -> String {
    stages
        .iter()
        .map(|f| format!("stage `{}` failed: {}", f.stage, f.message))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The errors among `diagnostics`, in one line.
pub(crate) fn diagnostics_text(diagnostics: &[atomplan_core::Diagnostic]) -> String {
    diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {}", d.location, d.message))
        .collect::<Vec<_>>()
        .join("; ")
}

fn row_to_info(row: &rusqlite::Row<'_>) -> rusqlite::Result<JobInfo> {
    Ok(JobInfo {
        id: row.get(0)?,
        title: row.get(1)?,
        country: row.get(2)?,
        status: row.get(3)?,
        progress: row.get(4)?,
        stage: row.get(5)?,
        message: row.get(6)?,
        created_unix_s: row.get(7)?,
        updated_unix_s: row.get(8)?,
    })
}

/// Starts `n_workers` threads that take jobs from the queue for as long as the process runs.
pub(crate) fn start_workers(jobs: &Arc<Jobs>, n_workers: usize) {
    for worker_idx in 0..n_workers {
        let jobs = Arc::clone(jobs);
        let spawned = std::thread::Builder::new()
            .name(format!("atomplan-job-{worker_idx}"))
            .spawn(move || loop {
                let id = jobs.next();
                jobs.run(&id);
            });
        if let Err(error) = spawned {
            tracing::error!("cannot start job worker {worker_idx}: {error}");
        }
    }
}
