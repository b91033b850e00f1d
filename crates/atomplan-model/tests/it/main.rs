//! Integration tests of the optimiser, one module per concern.

mod components;
mod malformed;
mod milp_parity;
mod multi_period;
mod parity;
mod planning;
mod pypsa_reference;
mod reference;
mod vintages;
