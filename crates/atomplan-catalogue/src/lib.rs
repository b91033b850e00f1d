//! The sourced catalogue: reading and validating `data/`.
//!
//! Only this crate (and the study/import layers) deserialize files; everything downstream
//! receives validated domain types.
