//! grid (in progress).
