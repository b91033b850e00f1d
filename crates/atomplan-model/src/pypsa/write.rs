//! Writes results in PyPSA's CSV-folder layout, so `pypsa.Network(folder)` reads them back.
//!
//! The input folder's files are copied, the static tables gain the optimised capacity column
//! (`p_nom_opt`, `s_nom_opt`; `mu` for global constraints), and the output time series are
//! written beside them (`generators-p.csv`, `storage_units-state_of_charge.csv`, `links-p0.csv`,
//! `lines-p0.csv`, `buses-marginal_price.csv`, …), indexed by snapshot position like the inputs.

use std::io::Write;
use std::path::Path;

use crate::network::Network;
use crate::results::Results;
use crate::Error;

fn io_error(path: &Path, error: impl std::fmt::Display) -> Error {
    Error::Output(format!("{}: {error}", path.display()))
}

fn fmt(value: f64) -> String {
    if value.is_nan() {
        String::new()
    } else if value == f64::INFINITY {
        "inf".to_owned()
    } else if value == f64::NEG_INFINITY {
        "-inf".to_owned()
    } else {
        // Clean tiny solver noise so that files read well.
        let cleaned = if value.abs() < 1e-9 { 0.0 } else { value };
        format!("{cleaned}")
    }
}

/// Copies the files of `input` to `output` (creating it).
fn copy_folder(input: &Path, output: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(output).map_err(|error| io_error(output, error))?;
    let entries = std::fs::read_dir(input).map_err(|error| io_error(input, error))?;
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_file() {
            let target = output.join(entry.file_name());
            if target != path {
                std::fs::copy(&path, &target).map_err(|error| io_error(&target, error))?;
            }
        }
    }
    Ok(())
}

/// Copies `input` to `output` (creating it) and adds a planning solve's results in PyPSA's
/// layout. When the plan has the core's shape (`PlanResult::network_results`: the network's
/// own snapshots in one period, or a network with investment periods), they are written as a
/// plain solve's ([`write_results`]: capacities, dispatch, commitment status, state of charge,
/// flows, prices, `mu`). Otherwise (the planning file's own periods, or representative periods):
/// `p_nom_opt` of generators and storage units in the last period, of links and `s_nom_opt` of
/// lines. Every period's capacities, units, builds, energy and CO2 go to
/// `planning-capacities.csv` in both cases.
pub fn write_planning_results(
    input: &Path,
    output: &Path,
    network: &Network,
    result: &crate::planning::PlanResult,
) -> Result<(), Error> {
    if let Some(core) = &result.network_results {
        write_results(input, output, network, core)?;
        return write_planning_capacities(output, result);
    }
    copy_folder(input, output)?;
    let last = |name: &str| -> f64 {
        result
            .capacities
            .iter()
            .rfind(|c| c.generator == name)
            .map_or(0.0, |c| c.p_nom_opt_mw)
    };
    let branch = |name: &str, is_line: bool| -> f64 {
        result
            .branches
            .iter()
            .find(|b| b.name == name && b.is_line == is_line)
            .map_or(0.0, |b| b.p_nom_opt_mw)
    };
    write_static_columns(
        output,
        network,
        &StaticColumns {
            generators: network.generators.iter().map(|g| last(&g.name)).collect(),
            storage_units: network
                .storage_units
                .iter()
                .map(|su| {
                    result
                        .storage
                        .iter()
                        .rfind(|s| s.storage_unit == su.name)
                        .map_or(0.0, |s| s.p_nom_opt_mw)
                })
                .collect(),
            links: network
                .links
                .iter()
                .map(|l| branch(&l.name, false))
                .collect(),
            lines: network
                .lines
                .iter()
                .map(|l| branch(&l.name, true))
                .collect(),
            global_mu: network
                .global_constraints
                .iter()
                .map(|c| {
                    result
                        .global_constraints
                        .iter()
                        .find(|r| r.name == c.name)
                        .map_or(0.0, |r| r.mu)
                })
                .collect(),
        },
    )?;
    write_planning_capacities(output, result)
}

/// `planning-capacities.csv`: every period's capacity, units, builds, energy and CO2 of each
/// generator.
fn write_planning_capacities(
    output: &Path,
    result: &crate::planning::PlanResult,
) -> Result<(), Error> {
    let path = output.join("planning-capacities.csv");
    let mut writer = csv::Writer::from_path(&path).map_err(|error| io_error(&path, error))?;
    writer
        .write_record([
            "generator",
            "period",
            "p_nom_opt",
            "units",
            "built",
            "energy_mwh",
            "co2_t",
        ])
        .map_err(|error| io_error(&path, error))?;
    for c in &result.capacities {
        writer
            .write_record([
                c.generator.clone(),
                c.period.map_or_else(String::new, |y| y.to_string()),
                fmt(c.p_nom_opt_mw),
                c.units.map_or_else(String::new, fmt),
                fmt(c.built),
                fmt(c.energy_mwh),
                fmt(c.co2_t),
            ])
            .map_err(|error| io_error(&path, error))?;
    }
    writer.flush().map_err(|error| io_error(&path, error))
}

/// Copies `input` to `output` (creating it) and adds the results.
pub fn write_results(
    input: &Path,
    output: &Path,
    network: &Network,
    results: &Results,
) -> Result<(), Error> {
    copy_folder(input, output)?;
    write_static_columns(
        output,
        network,
        &StaticColumns {
            generators: results.generators.iter().map(|r| r.p_nom_opt).collect(),
            storage_units: results.storage_units.iter().map(|r| r.p_nom_opt).collect(),
            links: results.links.iter().map(|r| r.p_nom_opt).collect(),
            lines: results.lines.iter().map(|r| r.s_nom_opt).collect(),
            global_mu: results.global_constraints.iter().map(|r| r.mu).collect(),
        },
    )?;

    let n_t = network.snapshots.len();
    let gen_names = names(network.generators.iter().map(|c| &c.name));
    write_series(output, "generators-p.csv", &gen_names, n_t, |k, t| {
        results.generators[k].p[t]
    })?;
    // Commitment status of committable units (PyPSA's `-status` series), rounded to integers.
    let committed: Vec<usize> = (0..results.generators.len())
        .filter(|&g| !results.generators[g].status.is_empty())
        .collect();
    write_series(
        output,
        "generators-status.csv",
        &committed
            .iter()
            .map(|&g| network.generators[g].name.clone())
            .collect::<Vec<_>>(),
        n_t,
        |k, t| results.generators[committed[k]].status[t].round(),
    )?;
    let committed_links: Vec<usize> = (0..results.links.len())
        .filter(|&l| !results.links[l].status.is_empty())
        .collect();
    write_series(
        output,
        "links-status.csv",
        &committed_links
            .iter()
            .map(|&l| network.links[l].name.clone())
            .collect::<Vec<_>>(),
        n_t,
        |k, t| results.links[committed_links[k]].status[t].round(),
    )?;
    let su_names = names(network.storage_units.iter().map(|c| &c.name));
    write_series(output, "storage_units-p.csv", &su_names, n_t, |k, t| {
        results.storage_units[k].p[t]
    })?;
    write_series(
        output,
        "storage_units-p_dispatch.csv",
        &su_names,
        n_t,
        |k, t| results.storage_units[k].p_dispatch[t],
    )?;
    write_series(
        output,
        "storage_units-p_store.csv",
        &su_names,
        n_t,
        |k, t| results.storage_units[k].p_store[t],
    )?;
    write_series(
        output,
        "storage_units-state_of_charge.csv",
        &su_names,
        n_t,
        |k, t| results.storage_units[k].state_of_charge[t],
    )?;
    let link_names = names(network.links.iter().map(|c| &c.name));
    write_series(output, "links-p0.csv", &link_names, n_t, |k, t| {
        results.links[k].p0[t]
    })?;
    write_series(output, "links-p1.csv", &link_names, n_t, |k, t| {
        results.links[k].p1[t]
    })?;
    let line_names = names(network.lines.iter().map(|c| &c.name));
    write_series(output, "lines-p0.csv", &line_names, n_t, |k, t| {
        results.lines[k].p0[t]
    })?;
    write_series(output, "lines-p1.csv", &line_names, n_t, |k, t| {
        results.lines[k].p1[t]
    })?;
    let bus_names = names(network.buses.iter().map(|c| &c.name));
    write_series(
        output,
        "buses-marginal_price.csv",
        &bus_names,
        n_t,
        |k, t| results.marginal_price[k][t],
    )?;
    Ok(())
}

/// The static result columns of both writers, each in the network's component order.
struct StaticColumns {
    generators: Vec<f64>,
    storage_units: Vec<f64>,
    links: Vec<f64>,
    lines: Vec<f64>,
    global_mu: Vec<f64>,
}

/// `p_nom_opt` of generators, storage units and links, `s_nom_opt` of lines and `mu` of global
/// constraints, added to the copied static files.
fn write_static_columns(
    output: &Path,
    network: &Network,
    columns: &StaticColumns,
) -> Result<(), Error> {
    for (file, column, labels, values) in [
        (
            "generators.csv",
            "p_nom_opt",
            names(network.generators.iter().map(|c| &c.name)),
            &columns.generators,
        ),
        (
            "storage_units.csv",
            "p_nom_opt",
            names(network.storage_units.iter().map(|c| &c.name)),
            &columns.storage_units,
        ),
        (
            "links.csv",
            "p_nom_opt",
            names(network.links.iter().map(|c| &c.name)),
            &columns.links,
        ),
        (
            "lines.csv",
            "s_nom_opt",
            names(network.lines.iter().map(|c| &c.name)),
            &columns.lines,
        ),
        (
            "global_constraints.csv",
            "mu",
            names(network.global_constraints.iter().map(|c| &c.name)),
            &columns.global_mu,
        ),
    ] {
        add_static_column(output, file, column, &labels, values)?;
    }
    Ok(())
}

fn names<'a>(items: impl Iterator<Item = &'a String>) -> Vec<String> {
    items.cloned().collect()
}

/// Rewrites `file` in `folder` with `column` set to `values` (matched by the `name` column).
fn add_static_column(
    folder: &Path,
    file: &str,
    column: &str,
    component_names: &[String],
    values: &[f64],
) -> Result<(), Error> {
    let path = folder.join(file);
    if component_names.is_empty() || !path.is_file() {
        return Ok(());
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(&path)
        .map_err(|error| io_error(&path, error))?;
    let mut headers: Vec<String> = reader
        .headers()
        .map_err(|error| io_error(&path, error))?
        .iter()
        .map(str::to_owned)
        .collect();
    let name_idx = headers.iter().position(|h| h == "name").unwrap_or(0);
    let existing = headers.iter().position(|h| h == column);
    let column_idx = existing.unwrap_or_else(|| {
        headers.push(column.to_owned());
        headers.len() - 1
    });
    let mut rows: Vec<Vec<String>> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|error| io_error(&path, error))?;
        let mut row: Vec<String> = record.iter().map(str::to_owned).collect();
        row.resize(headers.len(), String::new());
        let name = row.get(name_idx).cloned().unwrap_or_default();
        if let Some(position) = component_names.iter().position(|n| *n == name) {
            row[column_idx] = fmt(values[position]);
        }
        rows.push(row);
    }
    let mut writer = csv::Writer::from_path(&path).map_err(|error| io_error(&path, error))?;
    writer
        .write_record(&headers)
        .map_err(|error| io_error(&path, error))?;
    for row in rows {
        writer
            .write_record(&row)
            .map_err(|error| io_error(&path, error))?;
    }
    writer.flush().map_err(|error| io_error(&path, error))
}

fn write_series(
    folder: &Path,
    file: &str,
    component_names: &[String],
    n_snapshots: usize,
    value: impl Fn(usize, usize) -> f64,
) -> Result<(), Error> {
    if component_names.is_empty() {
        return Ok(());
    }
    let path = folder.join(file);
    let handle = std::fs::File::create(&path).map_err(|error| io_error(&path, error))?;
    let mut out = std::io::BufWriter::new(handle);
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    let mut header = vec![String::new()];
    header.extend(component_names.iter().cloned());
    writer
        .write_record(&header)
        .map_err(|error| io_error(&path, error))?;
    let header_bytes = writer
        .into_inner()
        .map_err(|error| io_error(&path, error))?;
    out.write_all(&header_bytes)
        .map_err(|error| io_error(&path, error))?;
    let mut line = String::new();
    for t in 0..n_snapshots {
        line.clear();
        line.push_str(&t.to_string());
        for k in 0..component_names.len() {
            line.push(',');
            line.push_str(&fmt(value(k, t)));
        }
        line.push('\n');
        out.write_all(line.as_bytes())
            .map_err(|error| io_error(&path, error))?;
    }
    out.flush().map_err(|error| io_error(&path, error))
}
