//! readiness (in progress).
