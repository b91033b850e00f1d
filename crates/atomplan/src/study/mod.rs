//! Studies: one file names a country, candidate designs with financing offers, scenarios and
//! criteria; this module turns it, with the catalogue, into economics, planning and assessment
//! runs whose results the report crate writes.
//!
//! Data flow: `file` (wire structs) → `validate` (against the catalogue view in `inputs`) →
//! `system` (the power system per scenario and period, with `profiles`) → the stages in
//! `pipeline`, each returning plain, serialisable results, run in order by `runner` (the one
//! study runner: `study run`, sweeps and screening all go through it).
//! Nothing here prints or writes files; the report crate owns the database and the report.

pub mod decision;
pub mod file;
#[doc(hidden)]
pub mod fixture;
pub mod from_catalogue;
pub mod guard;
pub mod inputs;
pub mod pipeline;
pub mod profiles;
pub mod runner;
pub mod scenario;
pub mod system;
pub mod template;
pub mod validate;
pub mod validate_policy;

pub use file::StudyFile;
pub use inputs::StudyCatalogue;

#[cfg(test)]
mod tests;
