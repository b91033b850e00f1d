//! The catalogue's error type, for callers who want `?` instead of a list of diagnostics.

use atomplan_core::Diagnostic;

/// Why a catalogue could not be used.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    /// The catalogue has errors; every one is listed.
    #[error("the catalogue has {} error(s); run `atomplan catalogue check`", .0.iter().filter(|d| d.is_error()).count())]
    Invalid(Vec<Diagnostic>),
    /// A lookup by id found nothing.
    #[error("no {kind} `{id}` in the catalogue")]
    NotFound { kind: &'static str, id: String },
}
