//! API Boundary. Studies and assessments: turns the catalogue and a study file into model
//! and econ runs, and computes the assessments (`assess`).
pub mod assess;
pub mod study;
pub mod sweep;
