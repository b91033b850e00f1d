//! The one integration-test binary of the CLI; one module per command.

mod common;
mod assess;
mod econ;
mod catalogue;
mod study;
mod solve;
