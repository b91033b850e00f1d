//! Runs a study into a folder: `atomplan::study::runner` runs the stages in order, with the run
//! database as its stage cache (each stage committed as it finishes); then this module writes
//! `decision.json`, the CSV and Parquet files, the charts and `report.html`.
//!
//! Resuming is keyed on content: each stage is stored with the hash the runner gives it (the
//! SHA-256 of everything it read: the atomplan version, the study file's text, the catalogue
//! view, and for planning the scenario's whole system with its profile series, whichever file
//! they came from); a stage is read back only when that hash is unchanged, so a run killed
//! with SIGKILL continues where it stopped and an edit to the study, the catalogue or a profile
//! recomputes what it touches. Results are stored as JSON with exact float round trips, so the
//! CSV files of a resumed run are byte-identical to a fresh run's. Stages of scenarios no
//! longer in the study are removed.
//!
//! The output folder is checked first: a symbolic link is refused, and so are files atomplan
//! did not write and a folder holding another study's run, unless `force` is set.
//!
//! A planning stage whose solver ends without a plan is recorded as failed (never as
//! finished); the run carries on with the other scenarios and the report shows the failure.

use std::path::{Path, PathBuf};
use std::time::Instant;

use atomplan::study::runner::{self, Stage, StageCache, StageOutput, StudyRunner, Working};
use atomplan::study::{StudyCatalogue, StudyFile};
use serde::Serialize;

use crate::store::{Store, Table, Value};
use crate::{columnar, html, tables, ReportError};

/// What the caller is told as the run goes.
#[derive(Debug, Clone)]
pub struct Progress {
    pub stage: String,
    pub index: usize,
    pub total: usize,
    /// `started`, `reused` (finished in an earlier run with the same inputs), `finished`,
    /// `failed` (ran, no usable result; `message` says why), `removed` (a stage of a
    /// scenario no longer in the study, deleted from the database) or `working` (a long stage
    /// says what it has done so far; `seconds` since it started).
    pub event: &'static str,
    pub seconds: f64,
    pub message: String,
}

/// How to run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Write into a folder holding files atomplan did not write or another study's run
    /// (replacing that run).
    pub force: bool,
}

/// A stage that ran without a usable result.
#[derive(Debug, Clone, Serialize)]
pub struct FailedStage {
    pub stage: String,
    pub message: String,
}

/// What a finished run produced.
#[derive(Debug, Clone, Serialize)]
pub struct RunSummary {
    pub out_dir: PathBuf,
    pub report: PathBuf,
    pub database: PathBuf,
    pub stages_computed: Vec<String>,
    pub stages_reused: Vec<String>,
    pub stages_failed: Vec<FailedStage>,
    /// Stages of scenarios no longer in the study, removed from the database.
    pub stages_removed: Vec<String>,
    pub charts: Vec<PathBuf>,
    pub csv: Vec<PathBuf>,
    pub parquet: Vec<PathBuf>,
    pub ranking: Vec<String>,
    pub total_s: f64,
}

/// The run database as the runner's stage cache, telling the caller what happens.
struct SqliteCache<'a> {
    store: Store,
    progress: &'a (dyn Fn(&Progress) + Sync),
    total: usize,
    index: usize,
    computed: Vec<String>,
    reused: Vec<String>,
    failed: Vec<FailedStage>,
}

impl SqliteCache<'_> {
    fn report(&self, stage: &str, event: &'static str, seconds: f64, message: String) {
        (self.progress)(&Progress {
            stage: stage.to_owned(),
            index: self.index,
            total: self.total,
            event,
            seconds,
            message,
        });
    }
}

/// The flat tables of one stage's result.
fn stage_tables(output: StageOutput<'_>) -> Vec<Table> {
    match output {
        StageOutput::Economics(economics) => tables::economics(economics),
        StageOutput::Planning(plan) => tables::planning(plan),
        StageOutput::Assessments(assessments) => tables::assessments(assessments),
        StageOutput::Mcda(mcda) => tables::mcda(mcda),
        StageOutput::Decision(decision) => tables::decision(decision),
    }
}

impl StageCache for SqliteCache<'_> {
    type Error = ReportError;

    fn begin<T: Stage>(&mut self, name: &str, hash: &str) -> Result<Option<T>, ReportError> {
        self.index += 1;
        if let Some(json) = self.store.finished(name, hash)? {
            if let Ok(value) = serde_json::from_str::<T>(&json) {
                self.reused.push(name.to_owned());
                self.report(name, "reused", 0.0, String::new());
                return Ok(Some(value));
            }
        }
        Ok(None)
    }

    fn started(&mut self, name: &str) -> Result<(), ReportError> {
        self.report(name, "started", 0.0, String::new());
        self.store.log_start(name)
    }

    fn finished<T: Stage>(
        &mut self,
        name: &str,
        hash: &str,
        value: &T,
        seconds: f64,
    ) -> Result<(), ReportError> {
        let json =
            serde_json::to_string(value).map_err(|e| ReportError::Database(e.to_string()))?;
        self.store
            .commit_stage(name, hash, &json, &stage_tables(value.output()), seconds)?;
        self.computed.push(name.to_owned());
        self.report(name, "finished", seconds, String::new());
        Ok(())
    }

    fn failed(&mut self, name: &str, message: &str, seconds: f64) -> Result<(), ReportError> {
        self.store.fail_stage(name, message)?;
        self.failed.push(FailedStage {
            stage: name.to_owned(),
            message: message.to_owned(),
        });
        self.report(name, "failed", seconds, message.to_owned());
        Ok(())
    }

    fn errored(&mut self, name: &str, error: &atomplan::Error) -> Result<(), ReportError> {
        self.store.fail_stage(name, &error.to_string())
    }
}

/// The names atomplan writes into an output folder.
const OUR_FILES: &[&str] = &[
    "report.html",
    "decision.json",
    "results.sqlite",
    "results.sqlite-wal",
    "results.sqlite-shm",
    "results.sqlite-journal",
];

fn refuse(out_dir: &Path, why: &str) -> ReportError {
    ReportError::Refused(format!("--out {}: {why}", out_dir.display()))
}

/// Checks the output folder before anything is written to it (see the module doc); with
/// `force`, what atomplan did not write is left alone and a foreign `results.sqlite` removed.
fn check_out_dir(out_dir: &Path, force: bool) -> Result<(), ReportError> {
    let metadata = match std::fs::symlink_metadata(out_dir) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(ReportError::io(out_dir, &error)),
    };
    if metadata.file_type().is_symlink() {
        return Err(refuse(
            out_dir,
            "is a symbolic link; give a real folder (the link is not followed)",
        ));
    }
    if !metadata.is_dir() {
        return Err(refuse(out_dir, "exists and is not a folder"));
    }
    let entries = std::fs::read_dir(out_dir).map_err(|e| ReportError::io(out_dir, &e))?;
    let mut foreign = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| ReportError::io(out_dir, &e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let kind = entry.file_type().map_err(|e| ReportError::io(&path, &e))?;
        if kind.is_symlink() {
            // Never written through, even with --force.
            return Err(refuse(
                out_dir,
                &format!("`{name}` is a symbolic link; atomplan does not write through links"),
            ));
        }
        let ours = match name.as_str() {
            "csv" | "charts" | "parquet" if kind.is_dir() => {
                let extensions: &[&str] = match name.as_str() {
                    "csv" => &["csv"],
                    "parquet" => &["parquet"],
                    _ => &["svg", "png"],
                };
                let inner = std::fs::read_dir(&path).map_err(|e| ReportError::io(&path, &e))?;
                for file in inner {
                    let file = file.map_err(|e| ReportError::io(&path, &e))?;
                    let file_kind = file
                        .file_type()
                        .map_err(|e| ReportError::io(&file.path(), &e))?;
                    if file_kind.is_symlink() {
                        return Err(refuse(
                            out_dir,
                            &format!(
                                "`{name}/{}` is a symbolic link; atomplan does not write through links",
                                file.file_name().to_string_lossy()
                            ),
                        ));
                    }
                    let file_name = file.file_name().to_string_lossy().into_owned();
                    if !(file_kind.is_file()
                        && Path::new(&file_name)
                            .extension()
                            .is_some_and(|e| extensions.iter().any(|x| e == *x)))
                    {
                        foreign.push(format!("{name}/{file_name}"));
                    }
                }
                true
            }
            "results.sqlite" => kind.is_file() && Store::is_run_database(&path),
            other => kind.is_file() && OUR_FILES.contains(&other),
        };
        if !ours {
            foreign.push(name);
        }
    }
    if foreign.is_empty() {
        return Ok(());
    }
    foreign.sort();
    if !force {
        return Err(refuse(
            out_dir,
            &format!(
                "holds files atomplan did not write ({}); choose a new or empty folder, or pass --force to write beside them",
                foreign.join(", ")
            ),
        ));
    }
    let database = out_dir.join("results.sqlite");
    if database.is_file() && !Store::is_run_database(&database) {
        for name in OUR_FILES.iter().filter(|n| n.starts_with("results.sqlite")) {
            let path = out_dir.join(name);
            if path.exists() {
                std::fs::remove_file(&path).map_err(|e| ReportError::io(&path, &e))?;
            }
        }
    }
    Ok(())
}

/// Refuses a database made from another study: both its path and its title or country differ.
fn check_same_study(
    store: &Store,
    out_dir: &Path,
    study_path: &Path,
    study: &StudyFile,
) -> Result<bool, ReportError> {
    let canonical = std::fs::canonicalize(study_path)
        .unwrap_or_else(|_| study_path.to_path_buf())
        .display()
        .to_string();
    let stored_path = store.input("study_path")?;
    let stored_title = store.input("study_title")?;
    let stored_country = store.input("study_country")?;
    let other_path = stored_path.as_deref().is_some_and(|p| p != canonical);
    let other_study = stored_title.as_deref().is_some_and(|t| t != study.title)
        || stored_country
            .as_deref()
            .is_some_and(|c| c != study.country);
    if other_path && other_study {
        return Err(refuse(
            out_dir,
            &format!(
                "holds the run of another study (`{}`, {}, from {}); choose another --out, or pass --force to replace it",
                stored_title.unwrap_or_default(),
                stored_country.unwrap_or_default(),
                stored_path.unwrap_or_default()
            ),
        ));
    }
    Ok(other_path && other_study)
}

/// Runs (or resumes) a study into `out_dir`.
pub fn run_study(
    study_path: &Path,
    study_text: &str,
    study: &StudyFile,
    catalogue: &StudyCatalogue,
    out_dir: &Path,
    options: &RunOptions,
    progress: &(dyn Fn(&Progress) + Sync),
) -> Result<RunSummary, ReportError> {
    let start = Instant::now();
    check_out_dir(out_dir, options.force)?;
    std::fs::create_dir_all(out_dir).map_err(|e| ReportError::io(out_dir, &e))?;
    let database = out_dir.join("results.sqlite");
    let mut store = Store::open(&database)?;
    let other_study = match check_same_study(&store, out_dir, study_path, study) {
        Ok(other) => other,
        Err(error) if options.force => {
            let _ = error;
            true
        }
        Err(error) => return Err(error),
    };
    if other_study {
        store.reset()?;
    }
    let catalogue_json =
        serde_json::to_string(catalogue).map_err(|e| ReportError::Database(e.to_string()))?;
    let version = env!("CARGO_PKG_VERSION");
    let base_hash = runner::base_hash(study_text, &catalogue_json);
    let canonical = std::fs::canonicalize(study_path)
        .unwrap_or_else(|_| study_path.to_path_buf())
        .display()
        .to_string();
    store.write_inputs(
        &[
            ("fingerprint", base_hash.clone()),
            ("study_file", study_path.display().to_string()),
            ("study_path", canonical),
            ("study_title", study.title.clone()),
            ("study_country", study.country.clone()),
            ("study_toml", study_text.to_owned()),
            ("catalogue_view_json", catalogue_json),
        ],
        &[
            ("atomplan_version", version.to_owned()),
            ("catalogue_version", catalogue.version.clone()),
            ("seed", study.options.seed.to_string()),
            ("data_notes", catalogue.data_notes.join("\n")),
        ],
    )?;
    let study_dir = study_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let stage_names = runner::stage_names(study);
    let removed = store.prune(&stage_names)?;
    let mut cache = SqliteCache {
        store,
        progress,
        total: stage_names.len(),
        index: 0,
        computed: Vec::new(),
        reused: Vec::new(),
        failed: Vec::new(),
    };
    for stage in &removed {
        cache.report(
            stage,
            "removed",
            0.0,
            "its scenario is no longer in the study".to_owned(),
        );
    }
    // The decision's searches re-plan the study many times: say what each evaluation found.
    // The decision is the last stage, so its index is the total.
    let total = cache.total;
    let working = |working: &Working| {
        progress(&Progress {
            stage: working.stage.to_owned(),
            index: total,
            total,
            event: "working",
            seconds: working.seconds,
            message: working.message.to_owned(),
        });
    };
    let results = StudyRunner::new(study, catalogue, &study_dir, &mut cache)
        .with_base_hash(base_hash)
        .with_working(&working)
        .run()
        .map_err(|error| match error {
            atomplan::Error::Stage { stage, error } => ReportError::Stage {
                stage,
                error: *error,
            },
            atomplan::Error::NoPlan { stage, reason } => ReportError::NoPlan { stage, reason },
            // The cache is this crate's database, so its error is a `ReportError`.
            atomplan::Error::Cache(error) => match error.downcast::<ReportError>() {
                Ok(error) => *error,
                Err(other) => ReportError::Database(other.to_string()),
            },
            other => ReportError::Stage {
                stage: "run".to_owned(),
                error: other,
            },
        })?;
    let decision_path = out_dir.join("decision.json");
    let decision_json = serde_json::to_string_pretty(&results.decision)
        .map_err(|e| ReportError::Database(e.to_string()))?;
    std::fs::write(&decision_path, decision_json + "\n")
        .map_err(|e| ReportError::io(&decision_path, &e))?;

    // Outputs, always rebuilt from the stage results (cheap and deterministic).
    let system = &results.main_system;
    let mut all_tables = tables::economics(&results.economics);
    for plan in &results.plans {
        for mut table in tables::planning(plan) {
            table.columns.insert(0, "scenario".to_owned());
            for row in &mut table.rows {
                row.insert(0, Value::from(plan.scenario.clone()));
            }
            match all_tables.iter_mut().find(|t| t.name == table.name) {
                Some(existing) => existing.rows.extend(table.rows),
                None => all_tables.push(table),
            }
        }
    }
    all_tables.extend(tables::assessments(&results.assessments));
    all_tables.extend(tables::mcda(&results.mcda));
    all_tables.extend(tables::decision(&results.decision));
    all_tables.push(tables::profiles(system));
    let (csv, parquet) =
        columnar::write_tables(&out_dir.join("csv"), &out_dir.join("parquet"), &all_tables)?;
    let charts_dir = out_dir.join("charts");
    std::fs::create_dir_all(&charts_dir).map_err(|e| ReportError::io(&charts_dir, &e))?;
    let report = html::write_report(out_dir, &charts_dir, study, catalogue, &results, system)?;
    let ranking = results.mcda.ranking.clone();
    Ok(RunSummary {
        out_dir: out_dir.to_path_buf(),
        report: report.path,
        database,
        stages_computed: cache.computed,
        stages_reused: cache.reused,
        stages_failed: cache.failed,
        stages_removed: removed,
        charts: report.charts,
        csv,
        parquet,
        ranking,
        total_s: start.elapsed().as_secs_f64(),
    })
}
