//! The native module `atomplan._atomplan` behind the `atomplan` Python package.
//!
//! It is a thin layer: PyPSA's DataFrames come in as typed columns and go through the core
//! importer (`atomplan_model::pypsa::read_frames`, the same defaults and checks as a CSV folder),
//! results go back as numpy arrays, and the catalogue, economics and studies come back as the
//! JSON the CLI prints, which the Python side turns into DataFrames. Bad input is a `ValueError`
//! naming the component (or file) and attribute; nothing here panics on input.

mod catalogue;
mod econ;
mod study;

use atomplan_model::pypsa::{self, Column, Frames};
use atomplan_model::{Error, SolveStatus, SolverSettings};
use numpy::{PyArray1, PyArray2, PyReadonlyArray1, PyReadonlyArray2, PyUntypedArrayMethods};
use pyo3::exceptions::{PyMemoryError, PyOSError, PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// A model error as a Python exception: bad input (a malformed network, an unknown name, an
/// option or combination the model does not take) is a `ValueError`, a model too large for the
/// machine a `MemoryError`, a file that cannot be written an `OSError`, and a solver failure a
/// `RuntimeError`. The match is exhaustive so that a new variant has to be placed.
fn to_py(error: Error) -> PyErr {
    let message = error.to_string();
    match error {
        Error::Input(_)
        | Error::SolverOption { .. }
        | Error::UnknownName { .. }
        | Error::Unsupported(_)
        | Error::NoProfiles
        | Error::ProfileLength { .. }
        | Error::ProfileNotFinite { .. }
        | Error::ProfilesTooShort { .. }
        | Error::AggregationZero { .. } => PyValueError::new_err(message),
        Error::TooLarge { .. } | Error::Memory { .. } => PyMemoryError::new_err(message),
        Error::Output(_) | Error::WriteLp { .. } => PyOSError::new_err(message),
        Error::Solver(_) => PyRuntimeError::new_err(message),
    }
}

/// One column of a static DataFrame: a float64 or bool numpy array, or a list of str.
fn column(table: &str, name: &str, value: &Bound<'_, PyAny>) -> PyResult<Column> {
    if let Ok(array) = value.extract::<PyReadonlyArray1<'_, f64>>() {
        return Ok(Column::Number(array.as_array().to_vec()));
    }
    if let Ok(array) = value.extract::<PyReadonlyArray1<'_, bool>>() {
        return Ok(Column::Bool(array.as_array().to_vec()));
    }
    if let Ok(texts) = value.extract::<Vec<String>>() {
        return Ok(Column::Text(texts));
    }
    Err(PyTypeError::new_err(format!(
        "n.{table}, attribute `{name}`: expected a float64 or bool array or a list of str, got {}",
        value.get_type().name()?
    )))
}

type StaticArg<'py> = (String, Vec<(String, Bound<'py, PyAny>)>);
type SeriesArg<'py> = (String, String, Vec<String>, PyReadonlyArray2<'py, f64>);

fn frames(
    name: String,
    statics: Vec<StaticArg<'_>>,
    series: Vec<SeriesArg<'_>>,
) -> PyResult<Frames> {
    let mut out = Frames {
        name,
        ..Frames::default()
    };
    for (table, columns) in statics {
        let mut typed = Vec::with_capacity(columns.len());
        for (column_name, value) in &columns {
            typed.push((column_name.clone(), column(&table, column_name, value)?));
        }
        out.statics.push((table, typed));
    }
    for (table, attribute, names, values) in series {
        let shape = values.shape();
        if shape[0] != names.len() {
            return Err(PyValueError::new_err(format!(
                "n.{table}_t.{attribute}: {} names for {} rows of values",
                names.len(),
                shape[0]
            )));
        }
        let view = values.as_array();
        let columns = names
            .into_iter()
            .enumerate()
            .map(|(k, component)| (component, view.row(k).to_vec()))
            .collect();
        out.series.push((table, attribute, columns));
    }
    Ok(out)
}

/// PyPSA's `(status, condition)` strings for a solve status.
fn pypsa_status(status: SolveStatus) -> (&'static str, &'static str) {
    match status {
        SolveStatus::Optimal => ("ok", "optimal"),
        SolveStatus::Infeasible => ("warning", "infeasible"),
        SolveStatus::Unbounded => ("warning", "unbounded"),
        SolveStatus::InfeasibleOrUnbounded => ("warning", "infeasible_or_unbounded"),
        SolveStatus::TimeLimit => ("warning", "time_limit"),
        SolveStatus::IterationLimit => ("warning", "iteration_limit"),
        SolveStatus::Other => ("warning", "unknown"),
    }
}

/// `n_t × n` array from per-component series.
fn matrix<'py>(
    py: Python<'py>,
    n_t: usize,
    columns: &[&Vec<f64>],
) -> PyResult<Bound<'py, PyArray2<f64>>> {
    let mut rows = vec![vec![0.0; columns.len()]; n_t];
    for (k, values) in columns.iter().enumerate() {
        for (t, value) in values.iter().enumerate().take(n_t) {
            rows[t][k] = *value;
        }
    }
    PyArray2::from_vec2(py, &rows).map_err(|error| PyRuntimeError::new_err(error.to_string()))
}

/// Reads a network from its DataFrames (see `atomplan._pypsa`), solves it with atomplan's
/// default solver settings and returns the results as numpy arrays in a dict.
///
/// Any setting the importer would ignore (a warning for a CSV folder) is an error here.
#[pyfunction]
#[pyo3(signature = (name, statics, series, threads=1, options=Vec::new()))]
fn solve_frames<'py>(
    py: Python<'py>,
    name: String,
    statics: Vec<StaticArg<'py>>,
    series: Vec<SeriesArg<'py>>,
    threads: u32,
    options: Vec<(String, String)>,
) -> PyResult<Bound<'py, PyDict>> {
    if threads == 0 {
        return Err(PyValueError::new_err("threads must be at least 1"));
    }
    let started = std::time::Instant::now();
    let frames = frames(name, statics, series)?;
    let imported = pypsa::read_frames(frames).map_err(to_py)?;
    if !imported.warnings.is_empty() {
        let lines: Vec<String> = imported
            .warnings
            .iter()
            .map(|w| format!("{}: {}", w.location, w.message.replace("; ignored", "")))
            .collect();
        return Err(PyValueError::new_err(format!(
            "not supported by atomplan (refused rather than ignored):\n  {}",
            lines.join("\n  ")
        )));
    }
    let read_s = started.elapsed().as_secs_f64();
    let network = imported.network;
    let settings = SolverSettings {
        threads,
        options,
        log_to_console: false,
    };
    let solve_started = std::time::Instant::now();
    let (_model, solution, results) = py
        .allow_threads(|| atomplan_model::solve_network(&network, &settings))
        .map_err(to_py)?;
    let solve_s = solve_started.elapsed().as_secs_f64();

    let out = results_dict(py, &network, &results)?;
    out.set_item("highs_status", &solution.highs_status)?;
    out.set_item("read_s", read_s)?;
    out.set_item("solve_s", solve_s)?;
    out.set_item("highs_s", solution.highs_s)?;
    Ok(out)
}

/// The results of a core solve as the dict `_pypsa._write_back` writes into the network: status,
/// objective and, per component, names, optimal capacities and series as `(snapshots, n)`
/// arrays; shared by `solve_frames` and by `plan_frames` on a network with investment periods
/// (the core's model with the planning families).
fn results_dict<'py>(
    py: Python<'py>,
    network: &atomplan_model::Network,
    results: &atomplan_model::Results,
) -> PyResult<Bound<'py, PyDict>> {
    let n_t = network.snapshots.len();
    let out = PyDict::new(py);
    let (status, condition) = pypsa_status(results.status);
    out.set_item("status", status)?;
    out.set_item("condition", condition)?;
    out.set_item("objective", results.objective)?;
    out.set_item("mip_gap", results.mip_gap)?;
    out.set_item("is_mip", results.is_mip)?;
    out.set_item("co2_t", results.co2_t)?;

    let names = |items: Vec<&String>| -> Vec<String> { items.into_iter().cloned().collect() };
    let gens = PyDict::new(py);
    gens.set_item(
        "names",
        names(network.generators.iter().map(|c| &c.name).collect()),
    )?;
    gens.set_item(
        "p_nom_opt",
        PyArray1::from_iter(py, results.generators.iter().map(|r| r.p_nom_opt)),
    )?;
    let p: Vec<&Vec<f64>> = results.generators.iter().map(|r| &r.p).collect();
    gens.set_item("p", matrix(py, n_t, &p)?)?;
    let committed: Vec<usize> = (0..results.generators.len())
        .filter(|&g| !results.generators[g].status.is_empty())
        .collect();
    gens.set_item(
        "status_names",
        committed
            .iter()
            .map(|&g| network.generators[g].name.clone())
            .collect::<Vec<_>>(),
    )?;
    let status_series: Vec<&Vec<f64>> = committed
        .iter()
        .map(|&g| &results.generators[g].status)
        .collect();
    gens.set_item("status", matrix(py, n_t, &status_series)?)?;
    out.set_item("generators", gens)?;

    let units = PyDict::new(py);
    units.set_item(
        "names",
        names(network.storage_units.iter().map(|c| &c.name).collect()),
    )?;
    units.set_item(
        "p_nom_opt",
        PyArray1::from_iter(py, results.storage_units.iter().map(|r| r.p_nom_opt)),
    )?;
    for (key, pick) in [
        ("p", 0usize),
        ("p_dispatch", 1),
        ("p_store", 2),
        ("state_of_charge", 3),
        ("spill", 4),
    ] {
        let series: Vec<&Vec<f64>> = results
            .storage_units
            .iter()
            .map(|r| match pick {
                0 => &r.p,
                1 => &r.p_dispatch,
                2 => &r.p_store,
                3 => &r.state_of_charge,
                _ => &r.spill,
            })
            .collect();
        units.set_item(key, matrix(py, n_t, &series)?)?;
    }
    out.set_item("storage_units", units)?;

    let links = PyDict::new(py);
    links.set_item(
        "names",
        names(network.links.iter().map(|c| &c.name).collect()),
    )?;
    links.set_item(
        "p_nom_opt",
        PyArray1::from_iter(py, results.links.iter().map(|r| r.p_nom_opt)),
    )?;
    let p0: Vec<&Vec<f64>> = results.links.iter().map(|r| &r.p0).collect();
    let p1: Vec<&Vec<f64>> = results.links.iter().map(|r| &r.p1).collect();
    links.set_item("p0", matrix(py, n_t, &p0)?)?;
    links.set_item("p1", matrix(py, n_t, &p1)?)?;
    let committed_links: Vec<usize> = (0..results.links.len())
        .filter(|&l| !results.links[l].status.is_empty())
        .collect();
    links.set_item(
        "status_names",
        committed_links
            .iter()
            .map(|&l| network.links[l].name.clone())
            .collect::<Vec<_>>(),
    )?;
    let link_status: Vec<&Vec<f64>> = committed_links
        .iter()
        .map(|&l| &results.links[l].status)
        .collect();
    links.set_item("status", matrix(py, n_t, &link_status)?)?;
    out.set_item("links", links)?;

    let lines = PyDict::new(py);
    lines.set_item(
        "names",
        names(network.lines.iter().map(|c| &c.name).collect()),
    )?;
    lines.set_item(
        "s_nom_opt",
        PyArray1::from_iter(py, results.lines.iter().map(|r| r.s_nom_opt)),
    )?;
    let l0: Vec<&Vec<f64>> = results.lines.iter().map(|r| &r.p0).collect();
    let l1: Vec<&Vec<f64>> = results.lines.iter().map(|r| &r.p1).collect();
    lines.set_item("p0", matrix(py, n_t, &l0)?)?;
    lines.set_item("p1", matrix(py, n_t, &l1)?)?;
    out.set_item("lines", lines)?;

    let buses = PyDict::new(py);
    buses.set_item(
        "names",
        names(network.buses.iter().map(|c| &c.name).collect()),
    )?;
    let prices: Vec<&Vec<f64>> = results.marginal_price.iter().collect();
    buses.set_item("marginal_price", matrix(py, n_t, &prices)?)?;
    out.set_item("buses", buses)?;

    let constraints = PyDict::new(py);
    constraints.set_item(
        "names",
        results
            .global_constraints
            .iter()
            .map(|c| c.name.clone())
            .collect::<Vec<_>>(),
    )?;
    constraints.set_item(
        "mu",
        PyArray1::from_iter(py, results.global_constraints.iter().map(|c| c.mu)),
    )?;
    constraints.set_item(
        "value",
        PyArray1::from_iter(py, results.global_constraints.iter().map(|c| c.value)),
    )?;
    out.set_item("global_constraints", constraints)?;
    Ok(out)
}

/// Reads a network from its DataFrames (as [`solve_frames`]) and solves it with a planning
/// file's text (as `atomplan solve FOLDER --planning`), without writing any file; returns the
/// planning result as JSON text and, on a network with investment periods (the core's model
/// with the planning families), the core's results as [`results_dict`] gives them, else `None`.
#[pyfunction]
fn plan_frames<'py>(
    py: Python<'py>,
    name: String,
    statics: Vec<StaticArg<'py>>,
    series: Vec<SeriesArg<'py>>,
    plan_text: String,
    plan_file: String,
) -> PyResult<(String, Option<Bound<'py, PyDict>>)> {
    use atomplan_model::planning::{self, FolderOutcome};
    let frames = frames(name.clone(), statics, series)?;
    let imported = pypsa::read_frames(frames).map_err(to_py)?;
    if !imported.warnings.is_empty() {
        return Err(PyValueError::new_err(format!(
            "not supported by atomplan (refused rather than ignored):\n  {}",
            imported
                .warnings
                .iter()
                .map(|w| format!("{}: {}", w.location, w.message.replace("; ignored", "")))
                .collect::<Vec<_>>()
                .join("\n  ")
        )));
    }
    let outcome = py.allow_threads(|| {
        planning::solve_network(
            imported,
            &plan_text,
            &plan_file,
            &planning::SolverOverrides::default(),
        )
    });
    match outcome {
        FolderOutcome::Solved {
            result,
            warnings,
            network,
        } => {
            let mut value = serde_json::to_value(&*result)
                .map_err(|error| PyRuntimeError::new_err(error.to_string()))?;
            value["warnings"] = warnings
                .iter()
                .map(|w| serde_json::Value::String(format!("{}: {}", w.location, w.message)))
                .collect();
            let core = match &result.network_results {
                Some(core) => Some(results_dict(py, &network, core)?),
                None => None,
            };
            Ok((value.to_string(), core))
        }
        FolderOutcome::Invalid(diagnostics) => {
            Err(PyValueError::new_err(diagnostics_text(&diagnostics)))
        }
    }
}

/// Diagnostics as one message, one per line, errors first.
pub(crate) fn diagnostics_text(diagnostics: &[atomplan_core::Diagnostic]) -> String {
    let mut lines: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .chain(diagnostics.iter().filter(|d| !d.is_error()))
        .map(|d| {
            let mut line = format!("{}: {}", d.location, d.message);
            if let Some(hint) = &d.hint {
                line.push_str(&format!(" (hint: {hint})"));
            }
            line
        })
        .collect();
    if lines.is_empty() {
        lines.push("invalid input".to_owned());
    }
    lines.join("\n")
}

/// A dict (as JSON text) as TOML text, for planning files, econ cases and studies given as dicts.
#[pyfunction]
fn json_to_toml(json: &str) -> PyResult<String> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|error| PyValueError::new_err(error.to_string()))?;
    if !value.is_object() {
        return Err(PyTypeError::new_err("expected a dict"));
    }
    toml::to_string(&value)
        .map_err(|error| PyValueError::new_err(format!("cannot write the dict as TOML: {error}")))
}

/// The version of the atomplan crates this module was built from.
#[pyfunction]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

#[pymodule]
fn _atomplan(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(solve_frames, m)?)?;
    m.add_function(wrap_pyfunction!(plan_frames, m)?)?;
    m.add_function(wrap_pyfunction!(json_to_toml, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    catalogue::register(m)?;
    econ::register(m)?;
    study::register(m)?;
    Ok(())
}
