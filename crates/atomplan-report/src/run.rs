//! Runs a study: every stage in order, each committed to the run database as it finishes,
//! then the CSV files, the charts and `report.html`.
//!
//! Resuming: a stage already in the database's `stage_log` is read back instead of recomputed,
//! so a run killed with SIGKILL continues where it stopped. The study text and the catalogue
//! version are fingerprinted; when they changed, the old stages are discarded.

use std::path::{Path, PathBuf};
use std::time::Instant;

use atomplan::study::pipeline::{self, Assessments, Economics, McdaResult, Planning};
use atomplan::study::{StudyCatalogue, StudyFile};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::store::{Store, Table, Value};
use crate::{html, tables, ReportError};

/// What the caller is told as the run goes.
#[derive(Debug, Clone)]
pub struct Progress {
    pub stage: String,
    pub index: usize,
    pub total: usize,
    /// `started`, `reused` (finished in an earlier run) or `finished`.
    pub event: &'static str,
    pub seconds: f64,
}

/// What a finished run produced.
#[derive(Debug, Clone, Serialize)]
pub struct RunSummary {
    pub out_dir: PathBuf,
    pub report: PathBuf,
    pub database: PathBuf,
    pub stages_computed: Vec<String>,
    pub stages_reused: Vec<String>,
    pub charts: Vec<PathBuf>,
    pub csv: Vec<PathBuf>,
    pub ranking: Vec<String>,
    pub total_s: f64,
}

/// Everything the report needs, in memory.
#[derive(Debug, Clone)]
pub struct Results {
    pub economics: Economics,
    pub plans: Vec<Planning>,
    pub assessments: Assessments,
    pub mcda: McdaResult,
    pub decision: atomplan::study::decision::Decision,
}

fn fingerprint(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

struct Runner<'a> {
    store: Store,
    progress: &'a mut dyn FnMut(&Progress),
    total: usize,
    index: usize,
    computed: Vec<String>,
    reused: Vec<String>,
}

impl Runner<'_> {
    fn stage<T: Serialize + DeserializeOwned>(
        &mut self,
        name: &str,
        compute: impl FnOnce() -> Result<T, String>,
        to_tables: impl Fn(&T) -> Vec<Table>,
    ) -> Result<T, ReportError> {
        self.index += 1;
        if let Some(json) = self.store.finished(name)? {
            if let Ok(value) = serde_json::from_str::<T>(&json) {
                self.reused.push(name.to_owned());
                (self.progress)(&Progress {
                    stage: name.to_owned(),
                    index: self.index,
                    total: self.total,
                    event: "reused",
                    seconds: 0.0,
                });
                return Ok(value);
            }
        }
        (self.progress)(&Progress {
            stage: name.to_owned(),
            index: self.index,
            total: self.total,
            event: "started",
            seconds: 0.0,
        });
        self.store.log_start(name)?;
        let start = Instant::now();
        let value = compute().map_err(|message| ReportError::Stage {
            stage: name.to_owned(),
            message,
        })?;
        let seconds = start.elapsed().as_secs_f64();
        let json =
            serde_json::to_string(&value).map_err(|e| ReportError::Database(e.to_string()))?;
        self.store
            .commit_stage(name, &json, &to_tables(&value), seconds)?;
        self.computed.push(name.to_owned());
        (self.progress)(&Progress {
            stage: name.to_owned(),
            index: self.index,
            total: self.total,
            event: "finished",
            seconds,
        });
        Ok(value)
    }
}

/// Runs (or resumes) a study into `out_dir`.
pub fn run_study(
    study_path: &Path,
    study_text: &str,
    study: &StudyFile,
    catalogue: &StudyCatalogue,
    out_dir: &Path,
    progress: &mut dyn FnMut(&Progress),
) -> Result<RunSummary, ReportError> {
    let start = Instant::now();
    std::fs::create_dir_all(out_dir).map_err(|e| ReportError::io(out_dir, &e))?;
    let database = out_dir.join("results.sqlite");
    let mut store = Store::open(&database)?;
    let catalogue_json = serde_json::to_string(catalogue).unwrap_or_default();
    let print = fingerprint(&format!("{study_text}\u{0}{}", catalogue.version));
    if store.input("fingerprint")?.as_deref() != Some(print.as_str()) {
        store.reset()?;
    }
    store.write_inputs(
        &[
            ("fingerprint", print),
            ("study_file", study_path.display().to_string()),
            ("study_toml", study_text.to_owned()),
            ("catalogue_view_json", catalogue_json),
        ],
        &[
            ("atomplan_version", env!("CARGO_PKG_VERSION").to_owned()),
            ("catalogue_version", catalogue.version.clone()),
            ("seed", study.options.seed.to_string()),
            ("data_notes", catalogue.data_notes.join("\n")),
        ],
    )?;
    let study_dir = study_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let scenarios = atomplan::study::scenario::resolve(study);
    let n_scenarios = scenarios.len();
    let mut runner = Runner {
        store,
        progress,
        total: 4 + n_scenarios,
        index: 0,
        computed: Vec::new(),
        reused: Vec::new(),
    };

    let economics = runner.stage(
        "economics",
        || pipeline::economics(study, catalogue),
        tables::economics,
    )?;
    let mut plans = Vec::new();
    let mut systems = Vec::new();
    let mut first_system = None;
    for (index, scenario) in scenarios.iter().enumerate() {
        let name = format!("planning/{}", scenario.name);
        let system = pipeline::scenario_system(study, catalogue, &economics, index, &study_dir)
            .map_err(|message| ReportError::Stage {
                stage: name.clone(),
                message,
            })?;
        let plan = runner.stage(
            &name,
            || pipeline::plan_scenario(study, catalogue, &system),
            tables::planning,
        )?;
        if first_system.is_none() {
            first_system = Some(system.clone());
        }
        systems.push(system);
        plans.push(plan);
    }
    let system = first_system.ok_or_else(|| ReportError::Stage {
        stage: "planning".to_owned(),
        message: "no scenario".to_owned(),
    })?;
    let assessments = runner.stage(
        "assessments",
        || pipeline::assessments(study, catalogue, &economics, &plans[0], &system),
        tables::assessments,
    )?;
    let mcda = runner.stage(
        "mcda",
        || pipeline::mcda(study, catalogue, &economics, &assessments),
        tables::mcda,
    )?;
    let decision = runner.stage(
        "decision",
        || atomplan::study::decision::decide(study, catalogue, &study_dir, &scenarios, &plans),
        tables::decision,
    )?;
    let decision_path = out_dir.join("decision.json");
    let decision_json = serde_json::to_string_pretty(&decision)
        .map_err(|e| ReportError::Database(e.to_string()))?;
    std::fs::write(&decision_path, decision_json + "\n")
        .map_err(|e| ReportError::io(&decision_path, &e))?;

    // Outputs, always rebuilt from the stage results (cheap and deterministic).
    let results = Results {
        economics,
        plans,
        assessments,
        mcda,
        decision,
    };
    let mut csv = Vec::new();
    let csv_dir = out_dir.join("csv");
    std::fs::create_dir_all(&csv_dir).map_err(|e| ReportError::io(&csv_dir, &e))?;
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
    all_tables.push(tables::profiles(&system));
    for table in &all_tables {
        let path = csv_dir.join(format!("{}.csv", table.name));
        std::fs::write(&path, runner.store.table_csv(table))
            .map_err(|e| ReportError::io(&path, &e))?;
        csv.push(path);
    }
    let charts_dir = out_dir.join("charts");
    std::fs::create_dir_all(&charts_dir).map_err(|e| ReportError::io(&charts_dir, &e))?;
    let report = html::write_report(out_dir, &charts_dir, study, catalogue, &results, &system)?;
    let ranking = results.mcda.ranking.clone();
    Ok(RunSummary {
        out_dir: out_dir.to_path_buf(),
        report: report.path,
        database,
        stages_computed: runner.computed,
        stages_reused: runner.reused,
        charts: report.charts,
        csv,
        ranking,
        total_s: start.elapsed().as_secs_f64(),
    })
}
