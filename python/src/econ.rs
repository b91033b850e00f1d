//! Economics: filled in once the econ case-file parser lives in `atomplan-econ`.

use pyo3::prelude::*;

pub fn register(_m: &Bound<'_, PyModule>) -> PyResult<()> {
    Ok(())
}
