//! Integration tests of the optimiser, one module per concern.

mod components;
mod malformed;
mod milp_parity;
mod parity;
mod planning;
