//! The one error type of the assessment modules.

/// Why an assessment could not run. Messages name the offending key or index.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AssessError {
    /// A matrix or vector has the wrong size.
    #[error("`{key}` has the wrong shape: expected {expected}, found {found}")]
    Shape {
        key: String,
        expected: String,
        found: String,
    },
    /// A value is missing, negative, not finite, or outside its allowed range.
    #[error("`{key}` is invalid: {reason}")]
    Invalid { key: String, reason: String },
    /// A pairwise-comparison matrix is not reciprocal (`a_ji = 1/a_ij`).
    #[error("`{key}` is not reciprocal: entry ({row}, {col}) is {value} but ({col}, {row}) is {transposed}, expected about {expected}")]
    NonReciprocal {
        key: String,
        row: usize,
        col: usize,
        value: f64,
        transposed: f64,
        expected: f64,
    },
    /// The case file is not valid TOML or has unknown or mistyped keys.
    #[error("{location}: {message}")]
    Toml { location: String, message: String },
    /// The method has no defined answer for this input (e.g. all alternatives identical in TOPSIS).
    #[error("{method} is undefined for this input: {reason}")]
    Undefined { method: String, reason: String },
}

impl AssessError {
    pub(crate) fn invalid(key: impl Into<String>, reason: impl Into<String>) -> Self {
        AssessError::Invalid {
            key: key.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn shape(
        key: impl Into<String>,
        expected: impl std::fmt::Display,
        found: impl std::fmt::Display,
    ) -> Self {
        AssessError::Shape {
            key: key.into(),
            expected: expected.to_string(),
            found: found.to_string(),
        }
    }

    /// The key (field path) the error is about, if any.
    #[must_use]
    pub fn key(&self) -> Option<&str> {
        match self {
            AssessError::Shape { key, .. }
            | AssessError::Invalid { key, .. }
            | AssessError::NonReciprocal { key, .. } => Some(key),
            AssessError::Undefined { .. } | AssessError::Toml { .. } => None,
        }
    }
}
