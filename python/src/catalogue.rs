//! The built-in catalogue as JSON lists (one object per record, the view of
//! `atomplan catalogue … --format json` through `atomplan_catalogue::json`).

use atomplan_catalogue::json::{country_json, design_json, project_json};
use atomplan_catalogue::Catalogue;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use serde_json::Value;

fn builtin() -> PyResult<&'static Catalogue> {
    Catalogue::builtin_shared()
        .map_err(|diagnostics| PyRuntimeError::new_err(crate::diagnostics_text(diagnostics)))
}

/// The records of `kind` (`designs`, `projects`, `countries` or `sources`) as a JSON list.
#[pyfunction]
fn catalogue_json(kind: &str) -> PyResult<String> {
    let catalogue = builtin()?;
    let records: Vec<Value> = match kind {
        "designs" => catalogue
            .designs()
            .iter()
            .map(|design| design_json(catalogue, design))
            .collect(),
        "projects" => catalogue
            .projects()
            .iter()
            .map(|project| project_json(catalogue, project))
            .collect(),
        "countries" => catalogue
            .countries()
            .iter()
            .map(|country| country_json(catalogue, country))
            .collect(),
        "sources" => catalogue
            .sources()
            .iter()
            .map(|source| serde_json::to_value(source).unwrap_or(Value::Null))
            .collect(),
        other => {
            return Err(PyValueError::new_err(format!(
                "unknown catalogue table `{other}` (designs, projects, countries or sources)"
            )))
        }
    };
    Ok(Value::Array(records).to_string())
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(catalogue_json, m)?)
}
