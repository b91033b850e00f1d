//! `atomplan assess`: the assessment methods of `atomplan::assess` on case files.
//!
//! Each subcommand reads one TOML case file, runs one pure method and prints its result.
//! Bad input (unknown keys, wrong shapes, non-reciprocal AHP matrices, …) exits 2 with the file
//! and the key in the message; warnings (e.g. weights normalised to sum 1) go to stderr.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use atomplan::assess::case::mcda::{parse_case, run_case, McdaReport};
use atomplan::assess::AssessError;

use crate::printer::Printer;
use crate::{Format, GlobalArgs};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Multi-criteria partner choice: weighted sum, TOPSIS, AHP, PROMETHEE II
    Mcda(CaseArgs),
}

#[derive(Debug, clap::Args)]
pub struct CaseArgs {
    /// The case file (TOML)
    #[arg(long, value_name = "FILE.toml")]
    pub case: PathBuf,
}

pub fn run(command: Command, global: &GlobalArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    match command {
        Command::Mcda(args) => run_mcda(&args, global, printer),
    }
}

fn read_case(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).map_err(|error| anyhow::anyhow!("cannot read case file {}: {error}", path.display()))
}

/// Prints an assessment error naming the file and the key, and returns exit code 2.
fn bad_input(printer: &Printer, path: &Path, error: &AssessError) -> ExitCode {
    printer.error(&format!("{}: {error}", path.display()));
    ExitCode::from(2)
}

fn run_mcda(args: &CaseArgs, global: &GlobalArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    let text = read_case(&args.case)?;
    let report = match parse_case(&text).and_then(|case| run_case(&case)) {
        Ok(report) => report,
        Err(error) => return Ok(bad_input(printer, &args.case, &error)),
    };
    for warning in &report.warnings {
        printer.warning(&format!("{}: {warning}", args.case.display()));
    }
    match global.format {
        Format::Json => printer.json(&serde_json::to_value(&report)?),
        Format::Csv => printer.data(&mcda_csv(&report)),
        Format::Text => printer.data(&mcda_text(&report)),
    }
    Ok(ExitCode::SUCCESS)
}

fn mcda_csv(report: &McdaReport) -> String {
    let mut out = String::from("rank,alternative,score\n");
    for (rank, name) in report.ranking.iter().enumerate() {
        let score = report.scores.get(name).copied().unwrap_or(f64::NAN);
        out.push_str(&format!("{},{},{}\n", rank + 1, csv_field(name), finite_or_empty(score)));
    }
    out
}

fn mcda_text(report: &McdaReport) -> String {
    let mut out = format!("method: {}", report.method);
    if let Some(normalization) = &report.normalization {
        out.push_str(&format!(" ({normalization} normalisation)"));
    }
    out.push('\n');
    let width = report.ranking.iter().map(String::len).max().unwrap_or(0).max(11);
    out.push_str(&format!("{:>4}  {:<width$}  {:>12}\n", "rank", "alternative", "score"));
    for (rank, name) in report.ranking.iter().enumerate() {
        let score = report.scores.get(name).copied().unwrap_or(f64::NAN);
        out.push_str(&format!("{:>4}  {name:<width$}  {:>12}\n", rank + 1, finite_or_empty(score)));
    }
    if let (Some(lambda_max), Some(ci)) = (report.lambda_max, report.ci) {
        out.push_str(&format!(
            "criteria: lambda_max {lambda_max:.6}, CI {ci:.6}, CR {}\n",
            report.cr.map_or_else(|| "n/a".to_owned(), |cr| format!("{cr:.6}"))
        ));
    }
    out
}

fn finite_or_empty(value: f64) -> String {
    if value.is_finite() {
        format!("{value:.6}")
    } else {
        String::new()
    }
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}
