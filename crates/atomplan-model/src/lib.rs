//! The optimiser: network model, PyPSA CSV import/export, sparse LP/MILP assembly and the
//! HiGHS backend.

pub mod aggregate;
