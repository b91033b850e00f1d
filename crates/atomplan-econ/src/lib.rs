//! Pure finance for nuclear projects.
//!
//! Architecture Invariant: no IO, no printing; inputs are validated settings structs,
//! outputs are plain data.
