//! The shared vocabulary of atomplan.
//!
//! Every other crate speaks in these types: validated ids, unit newtypes whose names carry
//! the unit, money tied to a price year, and the [`Diagnostic`] that reports bad input as a
//! result instead of a panic.
//! This crate has no IO apart from [`input`], the bounded reader of input files every crate
//! uses, and no dependencies beyond serde.

pub mod diagnostic;
pub mod input;
pub mod units;

pub use diagnostic::{Diagnostic, Location, Severity};
pub use units::{Mw, Mwh, Rate, Years};
