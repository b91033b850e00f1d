//! Integration tests of the optimiser, one module per concern.

mod components;
mod malformed;
mod parity;
mod planning;
