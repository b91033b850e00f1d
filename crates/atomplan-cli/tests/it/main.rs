//! The one integration-test binary of the CLI; one module per command.

mod assess;
mod catalogue;
mod common;
mod econ;
mod planning;
mod reliability;
mod serve;
mod solve;
mod solve_milp;
mod study;
mod sweep;
