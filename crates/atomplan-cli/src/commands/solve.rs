//! `atomplan solve`: solve a PyPSA CSV-folder network with HiGHS and report capacities, CO2 and
//! timings; optionally write PyPSA-layout results and the LP with structured names.
//! PyPSA's own MILP attributes (`committable`, `p_nom_mod`, ramp limits) are solved by the core
//! model; `--planning FILE` selects the nuclear-aware planning model instead.

use std::process::ExitCode;

use anyhow::Context;
use atomplan_model::{
    solve_folder, Network, Outcome, Results, RunOptions, SolveStatus, SolverSettings,
};
use serde_json::{json, Map, Value};

use crate::printer::Printer;
use crate::{Format, GlobalArgs};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A PyPSA CSV folder (as written by `export_to_csv_folder`)
    pub folder: std::path::PathBuf,
    /// Write results here in PyPSA's layout (static CSVs with `p_nom_opt`, `-p` series)
    #[arg(long, value_name = "DIR")]
    pub out: Option<std::path::PathBuf>,
    /// HiGHS threads; results do not depend on it with the default solver settings
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=256))]
    pub threads: u32,
    /// A HiGHS option, e.g. `--solver-option solver=ipm` (repeatable; applied last)
    #[arg(long = "solver-option", value_name = "KEY=VALUE")]
    pub solver_options: Vec<String>,
    /// Write the LP with structured row and column names to FILE before solving
    #[arg(long, value_name = "FILE")]
    pub write_lp: Option<std::path::PathBuf>,
    /// Overwrite the `--write-lp` file when it exists, and solve even when the memory estimate
    /// exceeds the machine's available memory
    #[arg(long)]
    pub force: bool,
    /// A planning file (TOML, see docs/planning-file.md): integer units, N-1 reserve, refuelling,
    /// multi-period investment, representative days
    #[arg(long, value_name = "FILE.toml")]
    pub planning: Option<std::path::PathBuf>,
}

fn parse_solver_options(options: &[String]) -> anyhow::Result<Vec<(String, String)>> {
    options
        .iter()
        .map(|option| {
            let (key, value) = option
                .split_once('=')
                .with_context(|| format!("`--solver-option {option}` must be KEY=VALUE"))?;
            let key = key.trim();
            if key.is_empty() {
                anyhow::bail!("`--solver-option {option}` has an empty key");
            }
            Ok((key.to_owned(), value.trim().to_owned()))
        })
        .collect()
}

/// A finite number, or JSON null (never NaN).
fn number(value: f64) -> Value {
    if value.is_finite() {
        json!(value)
    } else {
        Value::Null
    }
}

fn round3(value: f64) -> Value {
    number((value * 1000.0).round() / 1000.0)
}

fn capacities<'a>(pairs: impl Iterator<Item = (&'a String, f64)>) -> Value {
    let mut map = Map::new();
    for (name, value) in pairs {
        map.insert(name.clone(), number(value));
    }
    Value::Object(map)
}

/// `name → {value, mu, price}` of global constraints (price = -mu, per unit of the limit).
fn global_constraints<'a>(rows: impl Iterator<Item = (&'a String, f64, f64)>) -> Value {
    let mut map = Map::new();
    for (name, value, mu) in rows {
        map.insert(
            name.clone(),
            json!({ "value": number(value), "mu": number(mu), "price": number(-mu) }),
        );
    }
    Value::Object(map)
}

/// The blocks of a solve's JSON that come from the network's results: capacities of every
/// component, CO2, and when optimal the global constraints and curtailment. Shared by a plain
/// solve and a planning solve on a network with investment periods (the core's model).
fn network_blocks(network: &Network, results: &Results, optimal: bool, value: &mut Value) {
    value["generators"] = capacities(
        network
            .generators
            .iter()
            .map(|c| &c.name)
            .zip(results.generators.iter().map(|r| r.p_nom_opt)),
    );
    value["storage_units"] = capacities(
        network
            .storage_units
            .iter()
            .map(|c| &c.name)
            .zip(results.storage_units.iter().map(|r| r.p_nom_opt)),
    );
    value["links"] = capacities(
        network
            .links
            .iter()
            .map(|c| &c.name)
            .zip(results.links.iter().map(|r| r.p_nom_opt)),
    );
    value["lines"] = capacities(
        network
            .lines
            .iter()
            .map(|c| &c.name)
            .zip(results.lines.iter().map(|r| r.s_nom_opt)),
    );
    value["co2_t"] = if optimal {
        number(results.co2_t)
    } else {
        Value::Null
    };
    if optimal {
        value["global_constraints"] = global_constraints(
            results
                .global_constraints
                .iter()
                .map(|c| (&c.name, c.value, c.mu)),
        );
        value["curtailment_mwh"] = capacities(
            network
                .generators
                .iter()
                .map(|c| &c.name)
                .zip(results.generators.iter().map(|r| r.curtailment_mwh))
                .filter(|(_, curtailed)| *curtailed > 0.0),
        );
    }
}

fn to_json(outcome: &Outcome) -> Value {
    let results = &outcome.results;
    let optimal = results.status == SolveStatus::Optimal;
    let timings = &outcome.timings;
    let mut value = json!({
        "status": results.status.as_str(),
        "objective": if optimal { number(results.objective) } else { Value::Null },
        "mip_gap": number(results.mip_gap),
        "timings": {
            "read_s": round3(timings.read_s),
            "build_s": round3(timings.build_s),
            "solve_s": round3(timings.solve_s),
            "write_s": round3(timings.write_s),
            "total_s": round3(timings.total_s),
            "highs_s": round3(timings.highs_s),
        },
        "size": {
            "rows": outcome.size.rows,
            "cols": outcome.size.cols,
            "nnz": outcome.size.nnz,
        },
    });
    network_blocks(&outcome.network, results, optimal, &mut value);
    if let Some(diagnosis) = &outcome.diagnosis {
        // Plain structs of strings and numbers: serialising them cannot fail.
        value["diagnosis"] = serde_json::to_value(&diagnosis.findings).unwrap_or(Value::Null);
    }
    value
}

fn print_text(outcome: &Outcome, printer: &Printer) {
    let network = &outcome.network;
    let results = &outcome.results;
    let timings = &outcome.timings;
    let mut text = format!("status: {}\n", results.status.as_str());
    if results.status == SolveStatus::Optimal {
        text.push_str(&format!("objective: {:.2}\n", results.objective));
        text.push_str(&format!("co2_t: {:.1}\n", results.co2_t));
        if results.is_mip {
            text.push_str(&format!("mip_gap: {:.6}\n", results.mip_gap));
        }
        for constraint in &results.global_constraints {
            text.push_str(&format!(
                "global constraint {}: {:.1}, price {:.4} per unit\n",
                constraint.name, constraint.value, -constraint.mu
            ));
        }
        let sections: [(&str, Vec<(&String, f64)>); 4] = [
            (
                "generators (MW)",
                network
                    .generators
                    .iter()
                    .map(|c| &c.name)
                    .zip(results.generators.iter().map(|r| r.p_nom_opt))
                    .collect(),
            ),
            (
                "storage units (MW)",
                network
                    .storage_units
                    .iter()
                    .map(|c| &c.name)
                    .zip(results.storage_units.iter().map(|r| r.p_nom_opt))
                    .collect(),
            ),
            (
                "links (MW)",
                network
                    .links
                    .iter()
                    .map(|c| &c.name)
                    .zip(results.links.iter().map(|r| r.p_nom_opt))
                    .collect(),
            ),
            (
                "lines (MVA)",
                network
                    .lines
                    .iter()
                    .map(|c| &c.name)
                    .zip(results.lines.iter().map(|r| r.s_nom_opt))
                    .collect(),
            ),
        ];
        for (title, rows) in sections {
            if rows.is_empty() {
                continue;
            }
            text.push_str(&format!("{title}:\n"));
            for (name, value) in rows {
                text.push_str(&format!("  {name:<24} {value:>14.3}\n"));
            }
        }
    }
    text.push_str(&format!(
        "size: {} rows, {} columns, {} non-zeros\n",
        outcome.size.rows, outcome.size.cols, outcome.size.nnz
    ));
    text.push_str(&format!(
        "time: read {:.3} s, build {:.3} s, solve {:.3} s (HiGHS {:.3} s), write {:.3} s, total {:.3} s",
        timings.read_s, timings.build_s, timings.solve_s, timings.highs_s, timings.write_s, timings.total_s
    ));
    printer.data(&text);
}

pub fn run(args: Args, global: &GlobalArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    if let Some(path) = &args.write_lp {
        crate::safe_io::check_new(path, args.force, "--write-lp")?;
    }
    if let Some(out) = &args.out {
        crate::safe_io::check_out_dir(out, "--out")?;
    }
    if let Some(plan) = &args.planning {
        let options = parse_solver_options(&args.solver_options)?;
        atomplan_model::highs_backend::check_options(&options)
            .with_context(|| format!("cannot solve `{}`", args.folder.display()))?;
        let overrides = atomplan_model::planning::SolverOverrides {
            // `--threads` wins over the file's `[solver] threads` when given (1 is its default).
            threads: (args.threads != 1).then_some(args.threads),
            highs_options: options,
            write_lp: args.write_lp.clone(),
            log_to_console: global.verbose > 1,
        };
        return run_planning(&args, plan, &overrides, global, printer);
    }
    let options = RunOptions {
        memory_limit_bytes: if args.force {
            None
        } else {
            crate::heartbeat::available_memory_bytes()
        },
        solver: SolverSettings {
            threads: args.threads,
            options: parse_solver_options(&args.solver_options)?,
            log_to_console: global.verbose > 1,
        },
        out_dir: args.out.clone(),
        write_lp: args.write_lp.clone(),
    };
    let outcome = crate::heartbeat::with_heartbeat(printer, "solving", || {
        solve_folder(&args.folder, &options)
    })
    .map_err(|error| {
        let hint = matches!(error, atomplan_model::Error::Memory { .. }).then_some(
            "\nhint: fewer snapshots or buses, `--solver-option solver=simplex` (less memory, slower), or `--force` to try anyway",
        );
        anyhow::anyhow!("{error}{}", hint.unwrap_or(""))
    })
    .with_context(|| format!("cannot solve `{}`", args.folder.display()))?;
    for warning in &outcome.warnings {
        printer.warning(&format!("{}: {}", warning.location, warning.message));
    }
    match global.format {
        Format::Json => printer.json(&to_json(&outcome)),
        Format::Csv => printer.data(&crate::flat_csv::to_field_csv(&to_json(&outcome))?),
        Format::Text => print_text(&outcome, printer),
    }
    if outcome.results.status == SolveStatus::Optimal {
        if let Some(out) = &args.out {
            printer.info(&format!("results written to {}", out.display()));
        }
        return Ok(ExitCode::SUCCESS);
    }
    printer.error(&format!(
        "the model is {}",
        outcome.results.status.as_str().replace('_', " ")
    ));
    if let Some(diagnosis) = &outcome.diagnosis {
        for line in diagnosis.lines() {
            printer.error(&line);
        }
    }
    Ok(ExitCode::from(1))
}

/// The JSON of a planning solve: every top-level key of a plain solve's JSON (`to_json`), with
/// the same meaning where the planning model has one value (capacities in the last period, CO2
/// of the last period's year), and the planning model's own blocks under `planning`. On a
/// network with investment periods the model is the core's, and so are those keys' values.
fn planning_json(
    network: &Network,
    result: &atomplan_model::planning::PlanResult,
    read_s: f64,
    write_s: f64,
    total_s: f64,
) -> Result<Value, serde_json::Error> {
    let optimal = result.status == SolveStatus::Optimal && result.has_solution;
    let last_year = result.capacities.iter().filter_map(|c| c.period).max();
    let in_last = |period: Option<i32>| period == last_year;
    let generators = capacities(
        result
            .capacities
            .iter()
            .filter(|c| in_last(c.period))
            .map(|c| (&c.generator, c.p_nom_opt_mw)),
    );
    let storage_units = capacities(
        result
            .storage
            .iter()
            .filter(|s| in_last(s.period))
            .map(|s| (&s.storage_unit, s.p_nom_opt_mw)),
    );
    let co2_t: f64 = result
        .capacities
        .iter()
        .filter(|c| in_last(c.period))
        .map(|c| c.co2_t)
        .sum();
    let mut value = json!({
        "status": result.status.as_str(),
        "objective": if result.has_solution { number(result.objective) } else { Value::Null },
        "generators": generators,
        "storage_units": storage_units,
        "links": capacities(result.branches.iter().filter(|b| !b.is_line).map(|b| (&b.name, b.p_nom_opt_mw))),
        "lines": capacities(result.branches.iter().filter(|b| b.is_line).map(|b| (&b.name, b.p_nom_opt_mw))),
        "co2_t": if result.has_solution { number(co2_t) } else { Value::Null },
        "mip_gap": number(result.mip_gap),
        "timings": {
            "read_s": round3(read_s),
            "build_s": round3(result.build_s),
            "solve_s": round3(result.solve_s),
            "write_s": round3(write_s),
            "total_s": round3(total_s),
            "highs_s": round3(result.highs_s),
        },
        "size": {
            "rows": result.constraints,
            "cols": result.variables,
            "nnz": result.nonzeros,
        },
    });
    if optimal {
        // The network's own CO2 limits (the planning file's caps per period are under
        // `planning`).
        value["global_constraints"] = global_constraints(
            result
                .global_constraints
                .iter()
                .map(|c| (&c.name, c.value, c.mu)),
        );
        value["curtailment_mwh"] = capacities(
            result
                .capacities
                .iter()
                .filter(|c| in_last(c.period) && c.curtailment_mwh > 0.0)
                .map(|c| (&c.generator, c.curtailment_mwh)),
        );
    }
    if let Some(diagnosis) = &result.diagnosis {
        value["diagnosis"] = serde_json::to_value(&diagnosis.findings)?;
    }
    if let Some(core) = &result.network_results {
        network_blocks(network, core, optimal, &mut value);
    }
    value["planning"] = serde_json::to_value(result)?;
    Ok(value)
}

/// `atomplan solve <folder> --planning FILE.toml`: the nuclear-aware planning model
/// (`atomplan_model::planning`), through the same backend as a plain solve.
fn run_planning(
    args: &Args,
    plan: &std::path::Path,
    overrides: &atomplan_model::planning::SolverOverrides,
    global: &GlobalArgs,
    printer: &Printer,
) -> anyhow::Result<ExitCode> {
    use atomplan_model::planning::{self, FolderOutcome};
    let started = std::time::Instant::now();
    let folder = &args.folder;
    let text = atomplan_core::input::read_to_string(plan)
        .with_context(|| format!("cannot read `{}`", plan.display()))?;
    let file = plan.display().to_string();
    let outcome = crate::heartbeat::with_heartbeat(printer, "planning", || {
        planning::solve_folder_with(folder, &text, &file, overrides)
    });
    let (result, warnings, network) = match outcome {
        FolderOutcome::Solved {
            result,
            warnings,
            network,
        } => (*result, warnings, network),
        FolderOutcome::Invalid(diagnostics) => {
            for d in &diagnostics {
                if d.is_error() {
                    printer.error(&format!("{}: {}", d.location, d.message));
                } else {
                    printer.warning(&format!("{}: {}", d.location, d.message));
                }
                if let Some(hint) = &d.hint {
                    printer.hint(hint);
                }
            }
            return Ok(ExitCode::from(2));
        }
    };
    for w in &warnings {
        printer.warning(&format!("{}: {}", w.location, w.message));
    }
    let solved_s = started.elapsed().as_secs_f64();
    let usable = result.status.gives_plan() && result.has_solution;
    let write_started = std::time::Instant::now();
    if let (Some(out), true) = (&args.out, usable) {
        atomplan_model::pypsa::write_planning_results(folder, out, &network, &result)
            .with_context(|| format!("cannot write results to `{}`", out.display()))?;
    }
    let write_s = write_started.elapsed().as_secs_f64();
    let read_s = (solved_s - result.build_s - result.solve_s).max(0.0);
    let total_s = started.elapsed().as_secs_f64();
    match global.format {
        Format::Json => printer.json(&planning_json(&network, &result, read_s, write_s, total_s)?),
        Format::Csv => printer.data(&crate::flat_csv::to_field_csv(&planning_json(
            &network, &result, read_s, write_s, total_s,
        )?)?),
        Format::Text => {
            printer.data(&format!(
                "status: {}\nobjective: {:.2}\nmip_gap: {:.6}",
                result.status.as_str(),
                result.objective,
                result.mip_gap
            ));
            for c in &result.capacities {
                let period = c.period.map_or_else(String::new, |y| format!(" {y}"));
                let units = c
                    .units
                    .map_or_else(String::new, |u| format!(" ({u} units)"));
                printer.data(&format!(
                    "{}{period}: {:.1} MW{units}",
                    c.generator, c.p_nom_opt_mw
                ));
            }
            printer.data(&format!(
                "size: {} rows, {} columns ({} integer), {} non-zeros\ntime: build {:.3} s, solve {:.3} s (HiGHS {:.3} s), write {:.3} s, total {:.3} s",
                result.constraints,
                result.variables,
                result.integer_variables,
                result.nonzeros,
                result.build_s,
                result.solve_s,
                result.highs_s,
                write_s,
                total_s
            ));
        }
    }
    if usable {
        if let Some(out) = &args.out {
            printer.info(&format!("results written to {}", out.display()));
        }
        return Ok(ExitCode::SUCCESS);
    }
    printer.error(&format!(
        "the planning model is {}{}",
        result.status.as_str().replace('_', " "),
        if result.solver_message.is_empty() {
            String::new()
        } else {
            format!(" ({})", result.solver_message)
        }
    ));
    for finding in result.diagnosis.iter().flat_map(|d| &d.findings).take(5) {
        printer.error(&finding.message);
    }
    Ok(ExitCode::from(1))
}
