//! `atomplan econ`: levelised cost, cash flows, Monte Carlo and tornado from a case file.
//!
//! The case-file format and its checks are `atomplan_econ::case_file` (the HTTP API and the
//! Python package use the same parser); this module reads the file and prints the results.
//! Every error names the file, the line where possible, and the key.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, Context};
use atomplan_econ::case_file::{finite_only, header, lcoe_json, parse_case, LoadedCase, Source};
use atomplan_econ::cashflow::CashflowRow;
use atomplan_econ::{EconError, MonteCarloSettings};
use serde_json::{json, Map, Value};

use crate::printer::Printer;
use crate::{Format, GlobalArgs};

mod design;
#[cfg(test)]
mod fuzz;
mod offer;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Levelised cost of a case file (method "atb", "pcge" or "cashflow")
    Lcoe(LcoeArgs),
    /// Monte Carlo over the `[[mc.input]]` distributions of a case file
    Mc(McArgs),
    /// One-at-a-time (tornado) sensitivity of a case file
    Tornado(TornadoArgs),
    /// LCOE of a catalogue design in a country under a financing preset
    Design(design::DesignArgs),
    /// A financing offer on the common real basis: capital charge, loan, WACC sensitivity,
    /// host cost under a PPA, cost to the state
    Offer(offer::OfferArgs),
}

#[derive(Debug, clap::Args)]
pub struct LcoeArgs {
    /// Case file (TOML)
    #[arg(long, value_name = "FILE")]
    pub case: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct McArgs {
    /// Case file (TOML) with `[[mc.input]]` entries
    #[arg(long, value_name = "FILE")]
    pub case: PathBuf,
    /// Number of samples (at most 100,000,000: every sample's LCOE is kept in memory)
    #[arg(long, default_value_t = 10_000,
          value_parser = clap::value_parser!(u64).range(1..=atomplan_econ::mc::MAX_SAMPLES as u64))]
    pub samples: u64,
    /// Seed; the same seed gives the same result for any thread count
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Worker threads (default: all cores)
    #[arg(long)]
    pub threads: Option<usize>,
    /// Histogram bins (at most 100,000)
    #[arg(long, default_value_t = 20,
          value_parser = clap::value_parser!(u64).range(1..=atomplan_econ::mc::MAX_HISTOGRAM_BINS as u64))]
    pub bins: u64,
    /// Include every sample value in the JSON output
    #[arg(long)]
    pub values: bool,
}

#[derive(Debug, clap::Args)]
pub struct TornadoArgs {
    /// Case file (TOML) with `[[tornado.input]]` (key, low, high) or `[[mc.input]]` entries
    #[arg(long, value_name = "FILE")]
    pub case: PathBuf,
    /// Quantile for low/high values taken from `[[mc.input]]` distributions (0.1 = P10/P90)
    #[arg(long, default_value_t = 0.1)]
    pub quantile: f64,
}

pub fn run(command: Command, global: &GlobalArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    match command {
        Command::Lcoe(args) => run_lcoe(&args, global, printer),
        Command::Mc(args) => run_mc(&args, global, printer),
        Command::Tornado(args) => run_tornado(&args, global, printer),
        Command::Design(args) => design::run(&args, global, printer),
        Command::Offer(args) => offer::run(&args, global, printer),
    }
}

// ---------------------------------------------------------------------------------------------
// Case files: the format and its checks live in `atomplan_econ::case_file`; reading is here.

pub(crate) fn load_case(path: &Path) -> anyhow::Result<LoadedCase> {
    let text = atomplan_core::input::read_to_string(path)
        .with_context(|| format!("cannot read case file {}", path.display()))?;
    Ok(parse_case(path, &text)?)
}

fn format_number(value: f64) -> String {
    if value.is_finite() {
        if value.abs() >= 1e6 {
            format!("{value:.0}")
        } else {
            format!("{value:.6}")
        }
    } else {
        "-".to_owned()
    }
}

fn print_scalars_text(printer: &Printer, value: &Value) {
    if let Value::Object(map) = value {
        let mut lines = Vec::new();
        for (key, item) in map {
            let shown = match item {
                Value::Number(number) => number.as_f64().map_or_else(String::new, format_number),
                Value::String(text) => text.clone(),
                Value::Null => "-".to_owned(),
                Value::Bool(flag) => flag.to_string(),
                _ => continue,
            };
            lines.push(format!("{key:<40} {shown}"));
        }
        printer.data(&lines.join("\n"));
    }
}

fn print_scalars_csv(printer: &Printer, value: &Value) -> anyhow::Result<()> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(["key", "value"])?;
    if let Value::Object(map) = value {
        for (key, item) in map {
            let shown = match item {
                Value::Number(number) => number.to_string(),
                Value::String(text) => text.clone(),
                Value::Null => String::new(),
                Value::Bool(flag) => flag.to_string(),
                _ => continue,
            };
            writer.write_record([key.as_str(), shown.as_str()])?;
        }
    }
    printer.data(&String::from_utf8(writer.into_inner()?)?);
    Ok(())
}

fn print_rows_csv(printer: &Printer, rows: &[CashflowRow]) -> anyhow::Result<()> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer.serialize(row)?;
    }
    printer.data(&String::from_utf8(writer.into_inner()?)?);
    Ok(())
}

fn run_lcoe(args: &LcoeArgs, global: &GlobalArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    let loaded = load_case(&args.case)?;
    let (value, rows) = lcoe_json(&loaded, &args.case)?;
    match global.format {
        Format::Json => printer.json(&value),
        Format::Text => {
            print_scalars_text(printer, &value);
            if rows.is_some() {
                printer.hint("`--format csv` prints the cash-flow table; `--format json` has it as `cash_flow_table`");
            }
        }
        Format::Csv => match rows {
            Some(rows) => print_rows_csv(printer, &rows)?,
            None => print_scalars_csv(printer, &value)?,
        },
    }
    Ok(ExitCode::SUCCESS)
}

fn run_mc(args: &McArgs, global: &GlobalArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    let loaded = load_case(&args.case)?;
    if loaded.mc_inputs.is_empty() {
        return Err(anyhow!(
            "{}: no `[[mc.input]]` entries; add at least one uncertain input",
            args.case.display()
        ));
    }
    if args.samples == 0 {
        return Err(anyhow!("`--samples` must be at least 1"));
    }
    if args.threads == Some(0) {
        return Err(anyhow!("`--threads` must be at least 1"));
    }
    if args.threads.is_some_and(|n| n > crate::MAX_THREADS) {
        return Err(anyhow!(
            "`--threads` must be at most {}",
            crate::MAX_THREADS
        ));
    }
    let settings = MonteCarloSettings {
        samples: usize::try_from(args.samples)?,
        seed: args.seed,
        histogram_bins: usize::try_from(args.bins)?.max(1),
    };
    let started = std::time::Instant::now();
    let result = atomplan_econ::monte_carlo_on_threads(
        &loaded.case,
        &loaded.mc_inputs,
        settings,
        args.threads,
    )
    .map_err(|error| anyhow!("{}: {error}", args.case.display()))?;
    printer.debug(&format!(
        "{} samples in {:.3} s",
        args.samples,
        started.elapsed().as_secs_f64()
    ));
    if result.failed > 0 {
        printer.warning(&format!(
            "{} of {} samples drew invalid inputs and were left out",
            result.failed, result.samples
        ));
    }
    let mut map = header(&loaded, &args.case);
    map.insert("samples".to_owned(), json!(result.samples));
    map.insert("seed".to_owned(), json!(result.seed));
    map.insert("failed".to_owned(), json!(result.failed));
    map.insert(
        "uncertain_inputs".to_owned(),
        serde_json::to_value(&loaded.mc_inputs)?,
    );
    map.insert("lcoe_usd_per_mwh".to_owned(), json!(result.deterministic));
    map.insert("mean_usd_per_mwh".to_owned(), json!(result.mean));
    map.insert("sd_usd_per_mwh".to_owned(), json!(result.sd));
    map.insert("min_usd_per_mwh".to_owned(), json!(result.min));
    map.insert("max_usd_per_mwh".to_owned(), json!(result.max));
    let mut percentiles = Map::new();
    for (percentile, value) in &result.percentiles {
        percentiles.insert(format!("p{percentile}"), json!(value));
    }
    map.insert(
        "percentiles_usd_per_mwh".to_owned(),
        Value::Object(percentiles),
    );
    map.insert(
        "histogram".to_owned(),
        serde_json::to_value(&result.histogram)?,
    );
    if args.values {
        map.insert("values".to_owned(), json!(result.values));
    }
    let value = finite_only(Value::Object(map));
    match global.format {
        Format::Json => printer.json(&value),
        Format::Csv => {
            let mut flat = value.clone();
            if let Value::Object(object) = &mut flat {
                if let Some(Value::Object(percentiles)) = object.remove("percentiles_usd_per_mwh") {
                    for (key, item) in percentiles {
                        object.insert(format!("{key}_usd_per_mwh"), item);
                    }
                }
            }
            print_scalars_csv(printer, &flat)?;
        }
        Format::Text => {
            let mut lines = vec![
                format!(
                    "LCOE Monte Carlo, {} samples, seed {}",
                    result.samples, result.seed
                ),
                format!(
                    "{:<24} {}",
                    "deterministic",
                    format_number(result.deterministic)
                ),
                format!("{:<24} {}", "mean", format_number(result.mean)),
                format!("{:<24} {}", "sd", format_number(result.sd)),
            ];
            for (percentile, item) in &result.percentiles {
                lines.push(format!(
                    "{:<24} {}",
                    format!("P{percentile}"),
                    format_number(*item)
                ));
            }
            printer.data(&lines.join("\n"));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn run_tornado(
    args: &TornadoArgs,
    global: &GlobalArgs,
    printer: &Printer,
) -> anyhow::Result<ExitCode> {
    let loaded = load_case(&args.case)?;
    if !(args.quantile > 0.0 && args.quantile < 0.5) {
        return Err(anyhow!(
            "`--quantile` must be in (0, 0.5), got {}",
            args.quantile
        ));
    }
    let inputs = if loaded.tornado_inputs.is_empty() {
        atomplan_econ::mc::tornado_inputs_from_distributions(
            &loaded.case,
            &loaded.mc_inputs,
            args.quantile,
        )
        .map_err(|error| anyhow!("{}: {error}", args.case.display()))?
    } else {
        loaded.tornado_inputs.clone()
    };
    if inputs.is_empty() {
        return Err(anyhow!(
            "{}: no `[[tornado.input]]` (key, low, high) or `[[mc.input]]` entries",
            args.case.display()
        ));
    }
    let result = atomplan_econ::tornado(&loaded.case, &inputs).map_err(|error| {
        let source_text = atomplan_core::input::read_to_string(&args.case).unwrap_or_default();
        let source = Source {
            path: &args.case,
            text: &source_text,
        };
        match &error {
            EconError::InvalidInput { field, .. } => source
                .error(
                    "tornado.input",
                    "key",
                    &format!("`{field}` at its low or high value: {error}"),
                )
                .into(),
            _ => anyhow!("{}: {error}", args.case.display()),
        }
    })?;
    let mut map = header(&loaded, &args.case);
    map.insert(
        "lcoe_usd_per_mwh".to_owned(),
        json!(result.base_lcoe_usd_per_mwh),
    );
    map.insert("bars".to_owned(), serde_json::to_value(&result.bars)?);
    let value = finite_only(Value::Object(map));
    match global.format {
        Format::Json => printer.json(&value),
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(Vec::new());
            for bar in &result.bars {
                writer.serialize(bar)?;
            }
            printer.data(&String::from_utf8(writer.into_inner()?)?);
        }
        Format::Text => {
            let mut lines = vec![format!(
                "base LCOE {} $/MWh",
                format_number(result.base_lcoe_usd_per_mwh)
            )];
            lines.push(format!(
                "{:<36} {:>14} {:>14} {:>12} {:>12} {:>10}",
                "input", "low", "high", "LCOE low", "LCOE high", "swing"
            ));
            for bar in &result.bars {
                lines.push(format!(
                    "{:<36} {:>14.4} {:>14.4} {:>12.3} {:>12.3} {:>10.3}",
                    bar.name, bar.low, bar.high, bar.lcoe_at_low, bar.lcoe_at_high, bar.swing
                ));
            }
            printer.data(&lines.join("\n"));
        }
    }
    Ok(ExitCode::SUCCESS)
}
