//! `atomplan study new|check|run` (and the sweep engineer's `sweep|merge|slurm-script`).
//!
//! `run` reads and validates the study file against the catalogue (exit 2 naming the key on
//! any error), then hands it to the report crate's runner, which commits every stage to
//! `results.sqlite` so that a killed run resumes; progress goes to stderr, quiet with `-q`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use atomplan::study::{from_catalogue, template, validate, StudyCatalogue, StudyFile};
use atomplan_catalogue::Catalogue;

use crate::printer::Printer;
use crate::{Format, GlobalArgs};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Write a commented starting study file for a country
    New(NewArgs),
    /// Check a study file against the catalogue without running it
    Check(CheckArgs),
    /// Run a study: economics, planning, assessments, ranking, report
    Run(RunArgs),
    /// Run a scenario sweep of a study
    Sweep(crate::commands::sweep::SweepArgs),
    /// Merge the shards of a sweep
    Merge(crate::commands::sweep::MergeArgs),
    /// Print a Slurm job-array script for a sweep
    SlurmScript(crate::commands::sweep::SlurmScriptArgs),
}

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// Catalogue country code, e.g. KZ
    #[arg(long)]
    pub country: String,
    /// Write here instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Overwrite the `--output` file when it exists
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The study file (TOML)
    pub file: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The study file (TOML)
    pub file: PathBuf,
    /// Output directory (report.html, results.sqlite, csv/, charts/); resumed if it exists
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Write into a folder that holds files atomplan did not write, or another study's run
    /// (which is replaced)
    #[arg(long)]
    pub force: bool,
}

pub fn run(command: Command, global: &GlobalArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    match command {
        Command::New(args) => new(&args, global, printer),
        Command::Check(args) => {
            let Some((_, _, _)) = load(&args.file, global, printer)? else {
                return Ok(ExitCode::from(2));
            };
            printer.info(&format!("{}: valid", args.file.display()));
            Ok(ExitCode::SUCCESS)
        }
        Command::Run(args) => run_study(&args, global, printer),
        Command::Sweep(args) => crate::commands::sweep::run_sweep(args, global, printer),
        Command::Merge(args) => crate::commands::sweep::run_merge(args, global, printer),
        Command::SlurmScript(args) => {
            crate::commands::sweep::run_slurm_script(args, global, printer)
        }
    }
}

fn catalogue_view(
    global: &GlobalArgs,
    printer: &Printer,
) -> anyhow::Result<Option<StudyCatalogue>> {
    let catalogue = match &global.data {
        Some(dir) => Catalogue::load_dir(dir),
        None => Catalogue::builtin(),
    };
    match catalogue {
        Ok(catalogue) => Ok(Some(from_catalogue::study_catalogue(&catalogue))),
        Err(diagnostics) => {
            for diagnostic in diagnostics.iter().filter(|d| d.is_error()) {
                printer.error(&format!("{}: {}", diagnostic.location, diagnostic.message));
            }
            Ok(None)
        }
    }
}

fn new(args: &NewArgs, global: &GlobalArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    let Some(catalogue) = catalogue_view(global, printer)? else {
        return Ok(ExitCode::from(2));
    };
    let Some(text) = template::new_study(&catalogue, &args.country) else {
        printer.error(&format!("--country: unknown country `{}`", args.country));
        let known: Vec<&str> = catalogue
            .countries
            .iter()
            .map(|c| c.code.as_str())
            .collect();
        printer.hint(&format!("countries in the catalogue: {}", known.join(", ")));
        return Ok(ExitCode::from(2));
    };
    match &args.output {
        Some(path) => {
            crate::safe_io::write_new(path, text.as_bytes(), args.force, "--output")?;
            printer.info(&format!("wrote {}", path.display()));
        }
        None => printer.data(&text),
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads, parses and validates; prints every diagnostic. `None` means errors were printed.
fn load(
    path: &Path,
    global: &GlobalArgs,
    printer: &Printer,
) -> anyhow::Result<Option<(String, StudyFile, StudyCatalogue)>> {
    let text = crate::safe_io::read_text(path)?;
    let file = path.display().to_string();
    let study = match validate::parse(&file, &text) {
        Ok(study) => study,
        Err(diagnostics) => {
            for diagnostic in diagnostics {
                print_diagnostic(printer, &diagnostic);
            }
            return Ok(None);
        }
    };
    let Some(catalogue) = catalogue_view(global, printer)? else {
        return Ok(None);
    };
    let diagnostics = validate::validate(&file, &study, &catalogue);
    for diagnostic in &diagnostics {
        print_diagnostic(printer, diagnostic);
    }
    if atomplan_core::diagnostic::has_errors(&diagnostics) {
        return Ok(None);
    }
    Ok(Some((text, study, catalogue)))
}

fn print_diagnostic(printer: &Printer, diagnostic: &atomplan_core::Diagnostic) {
    let text = format!("{}: {}", diagnostic.location, diagnostic.message);
    if diagnostic.is_error() {
        printer.error(&text);
    } else {
        printer.warning(&text);
    }
    if let Some(hint) = &diagnostic.hint {
        printer.hint(hint);
    }
}

fn run_study(args: &RunArgs, global: &GlobalArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    let Some((text, study, catalogue)) = load(&args.file, global, printer)? else {
        return Ok(ExitCode::from(2));
    };
    // Test hook: sleep after committing the named stage, so a test can kill the run there.
    let pause_after = std::env::var("ATOMPLAN_TEST_PAUSE_AFTER_STAGE").ok();
    let progress = |p: &atomplan_report::Progress| {
        match p.event {
            "started" => printer.info(&format!("[{}/{}] {} ...", p.index, p.total, p.stage)),
            "reused" => printer.info(&format!(
                "[{}/{}] {} (done in an earlier run with the same inputs, reused)",
                p.index, p.total, p.stage
            )),
            "failed" => printer.error(&format!(
                "[{}/{}] {} failed after {:.1} s: {}",
                p.index, p.total, p.stage, p.seconds, p.message
            )),
            "working" => printer.info(&format!(
                "[{}/{}] {} at {:.0} s: {}",
                p.index, p.total, p.stage, p.seconds, p.message
            )),
            "removed" => printer.info(&format!(
                "{}: removed from the results ({})",
                p.stage, p.message
            )),
            _ => printer.info(&format!(
                "[{}/{}] {} done in {:.1} s",
                p.index, p.total, p.stage, p.seconds
            )),
        }
        if p.event == "finished" && pause_after.as_deref() == Some(p.stage.as_str()) {
            std::thread::sleep(std::time::Duration::from_secs(600));
        }
    };
    let summary = match crate::heartbeat::with_heartbeat(printer, "study run", || {
        atomplan_report::run_study(
            &args.file,
            &text,
            &study,
            &catalogue,
            &args.out,
            &atomplan_report::RunOptions { force: args.force },
            &progress,
        )
    }) {
        Ok(summary) => summary,
        // The study ran but no plan meets its constraints: a negative answer, exit 1.
        Err(atomplan_report::ReportError::Stage { stage, error }) if error.is_infeasible() => {
            printer.error(&format!("{}: stage {stage}: {error}", args.file.display()));
            printer.hint(
                "finished stages are kept in the output folder; fix the policy and rerun to resume",
            );
            return Ok(ExitCode::from(1));
        }
        Err(error) => return Err(anyhow::anyhow!("{}: {error}", args.file.display())),
    };
    match global.format {
        Format::Json => printer.json(&serde_json::to_value(&summary).unwrap_or_default()),
        Format::Csv => printer.data(&crate::flat_csv::to_field_csv(
            &serde_json::to_value(&summary).unwrap_or_default(),
        )?),
        Format::Text => printer.data(&crate::text_table::run_summary_text(&summary)),
    }
    if !summary.stages_failed.is_empty() {
        for failed in &summary.stages_failed {
            printer.error(&format!(
                "{}: stage `{}` failed: {}",
                args.file.display(),
                failed.stage,
                failed.message
            ));
        }
        printer.hint("failed stages are recorded in results.sqlite (stage_failures), left out of the report, and computed again on the next run");
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}
