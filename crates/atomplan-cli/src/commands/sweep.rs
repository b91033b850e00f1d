//! `atomplan study sweep|merge|slurm-script`: scenario sweeps, shards and Slurm job arrays.
//! Reached through `atomplan study`, see commands/study.rs.
//!
//! The sharding contract, which any engine (Slurm, Snakemake, Dask, Ray, a shell loop) can use:
//! `atomplan study sweep FILE --out DIR --shard I/N` runs the scenarios whose id modulo N is I
//! and writes `DIR/shard-I-of-N.sqlite` and its manifest; it can be killed and re-run at any
//! time without losing or recomputing finished scenarios; `atomplan study merge DIR` exits 0 once
//! every scenario is present, else 1 with the missing shards as `--array=…`.
//! See docs/sweeps.md.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use atomplan::study::file::StudyFile;
use atomplan::study::inputs::StudyCatalogue;
use atomplan::sweep::exec::Progress;
use atomplan::sweep::store::{array_spec, MergeOutcome};
use atomplan::sweep::{self, RunOptions, Scenario, ScenarioResult, Shard, ShardStore, Sweep};
use atomplan_catalogue::Catalogue;

use crate::printer::Printer;
use crate::{Format, GlobalArgs};

/// `atomplan study sweep FILE --out DIR [--shard I/N] [--threads N]`.
#[derive(Debug, Clone, clap::Args)]
pub struct SweepArgs {
    /// Study file with a `[sweep]` table
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Folder for the shard result files and manifests (shared by all shards)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Run only the scenarios whose id modulo N is I (0-based), e.g. `--shard 3/8`
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// Worker threads; default `SLURM_CPUS_PER_TASK` when set, else every core
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// What to compute per scenario
    #[arg(long, value_enum, default_value_t = RunnerKind::Economics)]
    pub runner: RunnerKind,
    /// Hide the progress bar
    #[arg(long)]
    pub no_progress: bool,
}

/// The per-scenario function of a sweep: where the study runner stops
/// (`atomplan::sweep::Through`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RunnerKind {
    /// The study's economics stage: cash-flow LCOE under each offer, social LCOE, Monte Carlo
    Economics,
    /// Economics, then the capacity-expansion plan of the first demand and price scenario
    /// (HiGHS, one thread per scenario)
    Plan,
    /// Capital + fixed O&M screening LCOE only (fast; for benchmarks of the engine itself)
    Screening,
}

/// `atomplan study merge DIR`.
#[derive(Debug, Clone, clap::Args)]
pub struct MergeArgs {
    /// Folder the shards wrote into
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

/// `atomplan study slurm-script FILE --shards N`.
#[derive(Debug, Clone, clap::Args)]
pub struct SlurmScriptArgs {
    /// Study file with a `[sweep]` table
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Number of array tasks (shards)
    #[arg(long, value_name = "N")]
    pub shards: usize,
    /// Folder for results
    #[arg(long, value_name = "DIR", default_value = "sweep-out")]
    pub out: PathBuf,
    /// CPUs per array task; also the thread count of each shard
    #[arg(long, value_name = "C", default_value_t = 1)]
    pub cpus_per_task: usize,
    /// Memory per array task, as sbatch takes it (e.g. `2G`)
    #[arg(long, value_name = "MEM", default_value = "2G")]
    pub mem: String,
    /// Wall-time limit per array task (`HH:MM:SS`)
    #[arg(long, value_name = "TIME", default_value = "01:00:00")]
    pub time: String,
    /// Partition to submit to (default: the cluster's default)
    #[arg(long, value_name = "NAME")]
    pub partition: Option<String>,
    /// Path of the atomplan binary on the compute nodes (default: this binary)
    #[arg(long, value_name = "PATH")]
    pub atomplan: Option<String>,
    /// Per-scenario runner passed to each shard
    #[arg(long, value_enum, default_value_t = RunnerKind::Economics)]
    pub runner: RunnerKind,
}

fn read_sweep(file: &Path) -> anyhow::Result<Sweep> {
    let text = atomplan_core::input::read_to_string(file)
        .with_context(|| format!("{}: cannot read", file.display()))?;
    Ok(Sweep::from_toml_str(&file.display().to_string(), &text)?)
}

fn load_study_catalogue(global: &GlobalArgs, printer: &Printer) -> anyhow::Result<StudyCatalogue> {
    let loaded = match &global.data {
        Some(dir) => Catalogue::load_dir(dir),
        None => Catalogue::builtin(),
    };
    match loaded {
        Ok(catalogue) => Ok(atomplan::study::from_catalogue::study_catalogue(&catalogue)),
        Err(diagnostics) => {
            for diagnostic in &diagnostics {
                printer.error(&diagnostic.to_string());
            }
            bail!("the catalogue has errors")
        }
    }
}

/// Worker threads: `--threads`, else `SLURM_CPUS_PER_TASK` (Slurm does not pin processes
/// without a task plugin, so every core would be seen), else every core.
fn thread_count(requested: Option<usize>) -> anyhow::Result<usize> {
    if let Some(threads) = requested {
        if threads == 0 {
            bail!("`--threads`: must be at least 1");
        }
        if threads > crate::MAX_THREADS {
            bail!("`--threads`: must be at most {}", crate::MAX_THREADS);
        }
        return Ok(threads);
    }
    if let Ok(text) = std::env::var("SLURM_CPUS_PER_TASK") {
        return text
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=crate::MAX_THREADS).contains(n))
            .with_context(|| {
                format!(
                    "`SLURM_CPUS_PER_TASK={text}`: not a whole number from 1 to {}",
                    crate::MAX_THREADS
                )
            });
    }
    Ok(std::thread::available_parallelism().map_or(1, std::num::NonZero::get))
}

fn study_of(scenario: &Scenario) -> anyhow::Result<StudyFile> {
    scenario
        .study
        .clone()
        .try_into()
        .map_err(|error: toml::de::Error| {
            anyhow::anyhow!(
                "the scenario's study is invalid: {}",
                error.message().trim()
            )
        })
}

/// The scenario's study with its overrides, checked exactly as `study check` checks a study:
/// `Some` (status `invalid`, every error in the message) when it fails.
fn invalid_scenario(
    file: &str,
    scenario: &Scenario,
    catalogue: &StudyCatalogue,
) -> Option<ScenarioResult> {
    let study = match study_of(scenario) {
        Ok(study) => study,
        Err(error) => {
            return Some(ScenarioResult::failed(
                sweep::Status::Invalid,
                error.to_string(),
            ))
        }
    };
    let errors: Vec<String> = atomplan::study::validate::validate(file, &study, catalogue)
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {}", d.location, d.message))
        .collect();
    (!errors.is_empty()).then(|| ScenarioResult::failed(sweep::Status::Invalid, errors.join("; ")))
}

/// Progress on stderr: a redrawn bar with ETA on a terminal, a line every 10 % elsewhere
/// (Slurm logs).
struct ProgressBar {
    started: Instant,
    terminal: bool,
    enabled: bool,
    last_draw: Option<Instant>,
    last_decile: u64,
}

impl ProgressBar {
    fn new(enabled: bool) -> Self {
        ProgressBar {
            started: Instant::now(),
            terminal: std::io::stderr().is_terminal(),
            enabled,
            last_draw: None,
            last_decile: 0,
        }
    }

    fn update(&mut self, progress: Progress) {
        if !self.enabled || progress.total == 0 {
            return;
        }
        let elapsed = self.started.elapsed().as_secs_f64();
        let rate = progress.done as f64 / elapsed.max(1e-9);
        let remaining = (progress.total - progress.done) as f64 / rate.max(1e-9);
        let eta = format_duration(remaining);
        let finished = progress.done == progress.total;
        let mut stderr = std::io::stderr().lock();
        if self.terminal {
            if !finished
                && self
                    .last_draw
                    .is_some_and(|t| t.elapsed() < Duration::from_millis(100))
            {
                return;
            }
            self.last_draw = Some(Instant::now());
            let width = 30;
            let filled = (progress.done * width / progress.total) as usize;
            let _ = write!(
                stderr,
                "\r[{}{}] {}/{} scenarios, {:.1}/s, ETA {}, {} not ok\x1b[K",
                "=".repeat(filled),
                " ".repeat(width as usize - filled),
                progress.done,
                progress.total,
                rate,
                eta,
                progress.not_ok
            );
            if finished {
                let _ = writeln!(stderr);
            }
        } else {
            let decile = progress.done * 10 / progress.total;
            if decile > self.last_decile || finished {
                self.last_decile = decile;
                let _ = writeln!(
                    stderr,
                    "progress: {}/{} scenarios, {:.1}/s, ETA {}, {} not ok",
                    progress.done, progress.total, rate, eta, progress.not_ok
                );
            }
        }
    }
}

fn format_duration(seconds: f64) -> String {
    let seconds = seconds.max(0.0).round() as u64;
    if seconds >= 3600 {
        format!("{}h{:02}m", seconds / 3600, (seconds % 3600) / 60)
    } else if seconds >= 60 {
        format!("{}m{:02}s", seconds / 60, seconds % 60)
    } else {
        format!("{seconds}s")
    }
}

pub fn run_sweep(
    args: SweepArgs,
    global: &GlobalArgs,
    printer: &Printer,
) -> anyhow::Result<ExitCode> {
    let sweep = read_sweep(&args.file)?;
    let shard = match &args.shard {
        Some(text) => Shard::parse(text)?,
        None => Shard::ALL,
    };
    let threads = thread_count(args.threads)?;
    let catalogue = load_study_catalogue(global, printer)?;
    if args.runner != RunnerKind::Screening {
        // Check the study once, before thousands of scenarios fail the same way.
        let file = args.file.display().to_string();
        let study: StudyFile =
            sweep
                .base
                .clone()
                .try_into()
                .map_err(|error: toml::de::Error| {
                    anyhow::anyhow!("{file}: {}", error.message().trim())
                })?;
        let diagnostics = atomplan::study::validate::validate(&file, &study, &catalogue);
        let errors: Vec<_> = diagnostics
            .iter()
            .filter(|d| d.severity == atomplan_core::Severity::Error)
            .collect();
        if !errors.is_empty() {
            for diagnostic in errors {
                printer.error(&diagnostic.to_string());
            }
            return Ok(ExitCode::from(2));
        }
    }
    let study_dir = args
        .file
        .parent()
        .map_or_else(PathBuf::new, Path::to_path_buf);
    // Test hook (docs/sweeps.md): sleep this long in every scenario, so that tests can kill a
    // shard in the middle of a run.
    let delay = std::env::var("ATOMPLAN_SWEEP_TEST_DELAY_MS")
        .ok()
        .and_then(|text| text.parse::<u64>().ok())
        .map(Duration::from_millis);
    let runner_kind = args.runner;
    let file = args.file.display().to_string();
    // Every scenario is checked after its overrides as `study check` checks a study; the
    // screening runner also takes partial studies, so it is checked when its base is whole.
    let check_scenarios = args.runner != RunnerKind::Screening
        || sweep.base.clone().try_into().is_ok_and(|study: StudyFile| {
            !atomplan_core::diagnostic::has_errors(&atomplan::study::validate::validate(
                &file, &study, &catalogue,
            ))
        });
    let runner = |scenario: &Scenario| -> anyhow::Result<ScenarioResult> {
        if let Some(delay) = delay {
            std::thread::sleep(delay);
        }
        if check_scenarios {
            if let Some(invalid) = invalid_scenario(&file, scenario, &catalogue) {
                return Ok(invalid);
            }
        }
        let through = match runner_kind {
            RunnerKind::Screening => sweep::Through::Screening,
            RunnerKind::Economics => sweep::Through::Economics,
            RunnerKind::Plan => sweep::Through::FirstPlan,
        };
        Ok(sweep::run_scenario(
            scenario, &catalogue, &study_dir, through,
        )?)
    };
    let mut store = ShardStore::open(&args.out, &sweep, shard)?;
    let n_in_shard = shard.ids(sweep.len()).count();
    printer.info(&format!(
        "sweep {}: {} scenarios, shard {shard} has {n_in_shard}, {} already finished; {threads} worker thread(s), 1 solver thread each",
        args.file.display(),
        sweep.len(),
        store.done().iter().filter(|id| shard.contains(**id)).count(),
    ));
    let mut bar = ProgressBar::new(!args.no_progress && !printer.is_quiet());
    let report = sweep::run_shard(
        &sweep,
        &mut store,
        &RunOptions { shard, threads },
        &runner,
        |p| bar.update(p),
    )?;
    let rate = report.n_run as f64 / report.elapsed_s.max(1e-9);
    match global.format {
        Format::Json => printer.json(&serde_json::json!({
            "shard": shard.to_string(),
            "n_scenarios": report.n_scenarios,
            "n_in_shard": report.n_in_shard,
            "n_skipped": report.n_skipped,
            "n_run": report.n_run,
            "n_ok": report.n_ok,
            "n_infeasible": report.n_infeasible,
            "n_failed": report.n_failed,
            "n_invalid": report.n_invalid,
            "attempt": report.attempt,
            "threads": threads,
            "elapsed_s": report.elapsed_s,
            "scenarios_per_s": rate,
            "result_file": store.path().display().to_string(),
        })),
        _ => printer.data(&format!(
            "shard {shard}: {} scenarios ({} finished before, {} run: {} ok, {} infeasible, {} failed, {} invalid) in {:.2} s, {:.1} scenarios/s -> {}",
            report.n_in_shard,
            report.n_skipped,
            report.n_run,
            report.n_ok,
            report.n_infeasible,
            report.n_failed,
            report.n_invalid,
            report.elapsed_s,
            rate,
            store.path().display()
        )),
    }
    if report.n_invalid > 0 {
        printer.warning(&format!(
            "{} scenarios are invalid after their overrides (as `study check` would say); their messages are in the results",
            report.n_invalid
        ));
    }
    if report.n_failed > 0 {
        printer.warning(&format!(
            "{} scenarios failed; their messages are in the results",
            report.n_failed
        ));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run_merge(
    args: MergeArgs,
    global: &GlobalArgs,
    printer: &Printer,
) -> anyhow::Result<ExitCode> {
    match sweep::merge(&args.dir)? {
        MergeOutcome::Complete { n_scenarios, files } => {
            match global.format {
                Format::Json => printer.json(&serde_json::json!({
                    "complete": true,
                    "n_scenarios": n_scenarios,
                    "dir": args.dir.display().to_string(),
                    "files": files,
                })),
                _ => printer.data(&format!(
                    "merged {n_scenarios} scenarios into {}: {}",
                    args.dir.display(),
                    files.join(", ")
                )),
            }
            Ok(ExitCode::SUCCESS)
        }
        MergeOutcome::Missing {
            n_scenarios,
            n_missing,
            shard_count,
            missing_shards,
        } => {
            let array = format!("--array={}", array_spec(&missing_shards));
            printer.error(&format!(
                "{}: {n_missing} of {n_scenarios} scenarios missing, in {} of {shard_count} shards",
                args.dir.display(),
                missing_shards.len()
            ));
            printer.hint(&format!(
                "re-run those shards (finished scenarios are kept), e.g. `sbatch {array} …` or `ARRAY={} bash submit.sh`, then merge again",
                array_spec(&missing_shards)
            ));
            match global.format {
                Format::Json => printer.json(&serde_json::json!({
                    "complete": false,
                    "n_scenarios": n_scenarios,
                    "n_missing": n_missing,
                    "shard_count": shard_count,
                    "missing_shards": missing_shards,
                    "array": array,
                })),
                _ => printer.data(&array),
            }
            Ok(ExitCode::from(1))
        }
    }
}

/// Quotes `text` for a POSIX shell.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map_or_else(|_| path.to_path_buf(), |cwd| cwd.join(path))
    }
}

fn runner_name(kind: RunnerKind) -> &'static str {
    match kind {
        RunnerKind::Economics => "economics",
        RunnerKind::Plan => "plan",
        RunnerKind::Screening => "screening",
    }
}

pub fn run_slurm_script(
    args: SlurmScriptArgs,
    _global: &GlobalArgs,
    printer: &Printer,
) -> anyhow::Result<ExitCode> {
    let sweep = read_sweep(&args.file)?;
    if args.shards == 0 || args.shards > 1001 {
        bail!(
            "`--shards {}`: must be between 1 and 1001 (Slurm's default MaxArraySize is 1001)",
            args.shards
        );
    }
    if args.cpus_per_task == 0 {
        bail!("`--cpus-per-task`: must be at least 1");
    }
    if args.shards as u64 > sweep.len() {
        printer.warning(&format!(
            "{} shards for {} scenarios: {} shards will have nothing to do",
            args.shards,
            sweep.len(),
            args.shards as u64 - sweep.len()
        ));
    }
    let binary = match &args.atomplan {
        Some(path) => path.clone(),
        None => std::env::current_exe()
            .map_or_else(|_| "atomplan".to_owned(), |p| p.display().to_string()),
    };
    let study = absolute(&args.file);
    let out = absolute(&args.out);
    let last = args.shards - 1;
    let partition = args
        .partition
        .as_ref()
        .map_or_else(String::new, |p| format!(" --partition={}", shell_quote(p)));
    let script = format!(
        r#"#!/usr/bin/env bash
# Generated by `atomplan study slurm-script`: a Slurm job array running the sweep in
# {study_name} as {shards} shards, then a merge job that starts once every shard succeeded
# (afterok). It only calls sbatch; nothing here needs to change between clusters except the
# resource lines. Run: bash submit.sh
#   ARRAY=2,5 bash submit.sh   re-runs only shards 2 and 5 (as `atomplan study merge` lists them)
#                              and merges again; finished scenarios are never recomputed.
#   WAIT=1 bash submit.sh      blocks until the jobs end (sbatch --wait), e.g. in CI.
# Paths reach the jobs through their environment (--export=ALL), never pasted into job text, so
# no character in them is run as shell code.
set -euo pipefail
if [ -z "${{ATOMPLAN:-}}" ]; then ATOMPLAN={binary}; fi
STUDY={study}
OUT={out}
SHARDS={shards}
ARRAY=${{ARRAY:-0-{last}}}
export ATOMPLAN STUDY OUT SHARDS
mkdir -p -- "$OUT/logs"
array_job=$(sbatch --parsable ${{WAIT:+--wait}} --export=ALL --job-name=atomplan-sweep --array="$ARRAY" \
  --cpus-per-task={cpus} --mem={mem} --time={time}{partition} \
  --output="$OUT/logs/shard-%a.out" <<'EOF'
#!/bin/bash
set -euo pipefail
# N comes from this script, not from SLURM_ARRAY_TASK_COUNT (which counts only this submission).
# Threads: the sweep reads SLURM_CPUS_PER_TASK.
exec "$ATOMPLAN" study sweep "$STUDY" --out "$OUT" --shard "$SLURM_ARRAY_TASK_ID/$SHARDS" --runner {runner} --no-progress
EOF
)
array_job=${{array_job%%;*}}
merge_job=$(sbatch --parsable ${{WAIT:+--wait}} --export=ALL --job-name=atomplan-merge \
  --dependency=afterok:"$array_job" --kill-on-invalid-dep=yes \
  --cpus-per-task=1 --mem={mem} --time={time}{partition} \
  --output="$OUT/logs/merge.out" \
  --wrap='exec "$ATOMPLAN" study merge "$OUT"')
merge_job=${{merge_job%%;*}}
echo "submitted sweep array $array_job (--array=$ARRAY of $SHARDS shards) and merge $merge_job (afterok)"
echo "results: $OUT/results.csv once merge $merge_job has run; check with: atomplan study merge $OUT"
"#,
        // A comment line: control characters (a newline would end it) are escaped.
        study_name = args.file.display().to_string().escape_debug(),
        shards = args.shards,
        binary = shell_quote(&binary),
        study = shell_quote(&study.display().to_string()),
        out = shell_quote(&out.display().to_string()),
        cpus = args.cpus_per_task,
        mem = shell_quote(&args.mem),
        time = shell_quote(&args.time),
        runner = runner_name(args.runner),
    );
    printer.data(&script);
    Ok(ExitCode::SUCCESS)
}
