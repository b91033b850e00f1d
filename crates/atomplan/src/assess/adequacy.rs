//! adequacy (in progress).
