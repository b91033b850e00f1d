//! Studies: `atomplan study run` as a function, through the library's `run_study`.

use std::path::PathBuf;

use atomplan::study::{from_catalogue, validate};
use atomplan_catalogue::Catalogue;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;

/// Runs the study file at `path` into the folder `out` (resuming finished stages, as the CLI
/// does) and returns the run summary as JSON text. Invalid studies raise `ValueError` with every
/// diagnostic.
#[pyfunction]
#[pyo3(signature = (path, out, force=false))]
fn study_run(py: Python<'_>, path: PathBuf, out: PathBuf, force: bool) -> PyResult<String> {
    let text = atomplan_core::input::read_to_string(&path)
        .map_err(|error| PyValueError::new_err(format!("{}: {error}", path.display())))?;
    let file = path.display().to_string();
    let study = validate::parse(&file, &text)
        .map_err(|d| PyValueError::new_err(crate::diagnostics_text(&d)))?;
    let catalogue =
        Catalogue::builtin().map_err(|d| PyRuntimeError::new_err(crate::diagnostics_text(&d)))?;
    let view = from_catalogue::study_catalogue(&catalogue);
    let diagnostics = validate::validate(&file, &study, &view);
    if atomplan_core::diagnostic::has_errors(&diagnostics) {
        return Err(PyValueError::new_err(crate::diagnostics_text(&diagnostics)));
    }
    let summary = py
        .allow_threads(|| {
            atomplan_report::run_study(
                &path,
                &text,
                &study,
                &view,
                &out,
                &atomplan_report::RunOptions { force },
                &|_| {},
            )
        })
        .map_err(|error| PyRuntimeError::new_err(format!("{file}: {error}")))?;
    serde_json::to_string(&summary).map_err(|error| PyRuntimeError::new_err(error.to_string()))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(study_run, m)?)
}
