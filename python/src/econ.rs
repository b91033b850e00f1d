//! Economics: `atomplan econ lcoe` and `econ mc` as functions, on a case given as a file,
//! TOML text or a dict (through `atomplan_econ::case_file`, the parser the CLI uses).

use std::path::{Path, PathBuf};

use atomplan_econ::case_file::{header, lcoe_json, parse_case, parse_case_json, LoadedCase};
use atomplan_econ::MonteCarloSettings;
use numpy::PyArray1;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use serde_json::{json, Value};

/// A case and the name it goes by in messages and in `case_file`.
fn load(kind: &str, value: &str) -> PyResult<(LoadedCase, PathBuf)> {
    let bad = |error: atomplan_econ::case_file::CaseFileError| PyValueError::new_err(error.message);
    match kind {
        "path" => {
            let path = PathBuf::from(value);
            let text = atomplan_core::input::read_to_string(&path).map_err(|error| {
                PyValueError::new_err(format!("cannot read case file {}: {error}", path.display()))
            })?;
            Ok((parse_case(&path, &text).map_err(bad)?, path))
        }
        "toml" => {
            let label = Path::new("(case text)");
            Ok((parse_case(label, value).map_err(bad)?, label.to_path_buf()))
        }
        "json" => {
            let parsed: Value = serde_json::from_str(value)
                .map_err(|error| PyValueError::new_err(format!("(case dict): {error}")))?;
            let label = "(case dict)";
            Ok((
                parse_case_json(label, &parsed).map_err(bad)?,
                PathBuf::from(label),
            ))
        }
        other => Err(PyValueError::new_err(format!(
            "unknown case kind `{other}`"
        ))),
    }
}

/// `atomplan econ lcoe --format json` on a case: the result as JSON text.
#[pyfunction]
fn econ_lcoe(kind: &str, value: &str) -> PyResult<String> {
    let (loaded, path) = load(kind, value)?;
    let (result, _rows) =
        lcoe_json(&loaded, &path).map_err(|error| PyValueError::new_err(error.message))?;
    Ok(result.to_string())
}

/// `atomplan econ mc` on a case: the summary as JSON text (the CLI's keys) and the valid
/// samples, in sample order, as a float64 array.
#[pyfunction]
#[pyo3(signature = (kind, value, samples, seed, threads=None, bins=20))]
fn econ_monte_carlo<'py>(
    py: Python<'py>,
    kind: &str,
    value: &str,
    samples: usize,
    seed: u64,
    threads: Option<usize>,
    bins: usize,
) -> PyResult<(String, Bound<'py, PyArray1<f64>>)> {
    let (loaded, path) = load(kind, value)?;
    if loaded.mc_inputs.is_empty() {
        return Err(PyValueError::new_err(format!(
            "{}: no `[[mc.input]]` entries; add at least one uncertain input",
            path.display()
        )));
    }
    if samples == 0 {
        return Err(PyValueError::new_err("samples must be at least 1"));
    }
    if threads == Some(0) {
        return Err(PyValueError::new_err("threads must be at least 1"));
    }
    let settings = MonteCarloSettings {
        samples,
        seed,
        histogram_bins: bins.max(1),
    };
    let result = py
        .allow_threads(|| {
            atomplan_econ::monte_carlo_on_threads(
                &loaded.case,
                &loaded.mc_inputs,
                settings,
                threads,
            )
        })
        .map_err(|error| PyValueError::new_err(format!("{}: {error}", path.display())))?;
    let mut map = header(&loaded, &path);
    map.insert("samples".to_owned(), json!(result.samples));
    map.insert("seed".to_owned(), json!(result.seed));
    map.insert("failed".to_owned(), json!(result.failed));
    map.insert(
        "uncertain_inputs".to_owned(),
        serde_json::to_value(&loaded.mc_inputs)
            .map_err(|error| PyRuntimeError::new_err(error.to_string()))?,
    );
    map.insert("lcoe_usd_per_mwh".to_owned(), json!(result.deterministic));
    map.insert("mean_usd_per_mwh".to_owned(), json!(result.mean));
    map.insert("sd_usd_per_mwh".to_owned(), json!(result.sd));
    map.insert("min_usd_per_mwh".to_owned(), json!(result.min));
    map.insert("max_usd_per_mwh".to_owned(), json!(result.max));
    let percentiles: serde_json::Map<String, Value> = result
        .percentiles
        .iter()
        .map(|(percentile, value)| (format!("p{percentile}"), json!(value)))
        .collect();
    map.insert(
        "percentiles_usd_per_mwh".to_owned(),
        Value::Object(percentiles),
    );
    map.insert(
        "histogram".to_owned(),
        serde_json::to_value(&result.histogram)
            .map_err(|error| PyRuntimeError::new_err(error.to_string()))?,
    );
    let summary = atomplan_econ::case_file::finite_only(Value::Object(map));
    Ok((summary.to_string(), PyArray1::from_vec(py, result.values)))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(econ_lcoe, m)?)?;
    m.add_function(wrap_pyfunction!(econ_monte_carlo, m)?)
}
