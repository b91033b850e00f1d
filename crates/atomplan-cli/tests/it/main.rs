//! The one integration-test binary of the CLI; one module per command.

mod common;
mod assess;
mod solve;
mod catalogue;
mod econ;
mod sweep;
mod study;
mod planning;
