//! API Boundary. Studies and assessments: turns the catalogue and a study file into model
//! and econ runs, and computes the assessments (`assess`).
pub mod assess;
mod error;
pub mod study;
pub mod sweep;

pub use error::Error;
