//! One module per subcommand; each owns its clap types and a `run` function.

pub mod assess;
pub mod catalogue;
pub mod econ;
pub mod serve;
pub mod solve;
pub mod study;
pub mod sweep;
