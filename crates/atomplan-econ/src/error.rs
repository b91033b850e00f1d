//! The one error type of the economics crate.
//!
//! Every function that takes user inputs validates them and returns [`EconError`] naming the
//! input (by the same name the case files use), so callers can point at the offending key.

/// An economics input or computation that cannot give a finite answer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EconError {
    /// An input is outside its valid range.
    #[error("`{field}` is {value}: {reason}")]
    InvalidInput {
        field: String,
        value: f64,
        reason: String,
    },
    /// A structural problem with the inputs (e.g. an empty cash-flow vector).
    #[error("`{field}`: {reason}")]
    Invalid { field: String, reason: String },
    /// No internal rate of return exists (all flows of one sign, or no real root).
    #[error("no internal rate of return exists for these cash flows")]
    NoIrr,
    /// A solver could not find a finite answer.
    #[error("{0}")]
    NoSolution(String),
}

impl EconError {
    #[cold]
    #[inline(never)]
    pub(crate) fn input(field: impl Into<String>, value: f64, reason: impl Into<String>) -> Self {
        EconError::InvalidInput {
            field: field.into(),
            value,
            reason: reason.into(),
        }
    }

    pub(crate) fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        EconError::Invalid {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// The input name the error is about, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            EconError::InvalidInput { field, .. } | EconError::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }
}

/// Checks shared by all models.
pub(crate) mod check {
    use super::EconError;

    /// The range rule of a scalar input. [`Rule::holds`] is the one definition of each rule;
    /// the checking functions below add the error message, and Monte Carlo applies
    /// [`Rule::holds`] to whole columns of drawn values.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Rule {
        /// Finite.
        Finite,
        /// Finite and greater than -1.
        Rate,
        /// Finite and at least 0.
        NonNegative,
        /// Finite and greater than 0.
        Positive,
        /// Finite and in [0, 1].
        Fraction,
        /// Finite and in (0, 1].
        CapacityFactor,
        /// Finite and in [0, 1).
        TaxRate,
    }

    impl Rule {
        /// Whether `value` satisfies the rule (branch-free, so loops over columns vectorise).
        #[inline(always)]
        #[must_use]
        pub fn holds(self, value: f64) -> bool {
            let finite = value.is_finite();
            finite
                & match self {
                    Rule::Finite => true,
                    Rule::Rate => value > -1.0,
                    Rule::NonNegative => value >= 0.0,
                    Rule::Positive => value > 0.0,
                    Rule::Fraction => (0.0..=1.0).contains(&value),
                    Rule::CapacityFactor => (value > 0.0) & (value <= 1.0),
                    Rule::TaxRate => (0.0..1.0).contains(&value),
                }
        }

        /// Checks `value` of `field`; the error names the field.
        ///
        /// # Errors
        /// [`EconError::InvalidInput`] when the rule does not hold.
        #[inline]
        pub fn check(self, field: &str, value: f64) -> Result<f64, EconError> {
            if self.holds(value) {
                return Ok(value);
            }
            finite(field, value)?;
            let reason = match self {
                Rule::Finite => "must be a finite number",
                Rule::Rate => "a rate must be greater than -1",
                Rule::NonNegative => "must not be negative",
                Rule::Positive => "must be greater than 0",
                Rule::Fraction => "must be between 0 and 1",
                Rule::CapacityFactor => "a capacity factor must be in (0, 1]",
                Rule::TaxRate => "a tax rate must be in [0, 1)",
            };
            Err(EconError::input(field, value, reason))
        }
    }

    #[inline]
    pub fn finite(field: &str, value: f64) -> Result<f64, EconError> {
        if value.is_finite() {
            Ok(value)
        } else {
            Err(EconError::input(field, value, "must be a finite number"))
        }
    }

    /// A rate per period: finite and greater than -1.
    #[inline]
    pub fn rate(field: &str, value: f64) -> Result<f64, EconError> {
        Rule::Rate.check(field, value)
    }

    #[inline]
    pub fn non_negative(field: &str, value: f64) -> Result<f64, EconError> {
        Rule::NonNegative.check(field, value)
    }

    #[inline]
    pub fn positive(field: &str, value: f64) -> Result<f64, EconError> {
        Rule::Positive.check(field, value)
    }

    /// A fraction in [0, 1].
    #[inline]
    pub fn fraction(field: &str, value: f64) -> Result<f64, EconError> {
        Rule::Fraction.check(field, value)
    }

    /// A capacity factor in (0, 1].
    #[inline]
    pub fn capacity_factor(field: &str, value: f64) -> Result<f64, EconError> {
        Rule::CapacityFactor.check(field, value)
    }

    /// A tax rate in [0, 1).
    #[inline]
    pub fn tax_rate(field: &str, value: f64) -> Result<f64, EconError> {
        Rule::TaxRate.check(field, value)
    }

    /// A whole, positive number of years no larger than 1000.
    pub fn years(field: &str, value: f64) -> Result<usize, EconError> {
        finite(field, value)?;
        if value <= 0.0 {
            return Err(EconError::input(
                field,
                value,
                "must be a positive number of years",
            ));
        }
        if value.fract() != 0.0 || value > 1000.0 {
            return Err(EconError::input(
                field,
                value,
                "must be a whole number of years (at most 1000)",
            ));
        }
        // Checked above: a positive whole number no larger than 1000.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Ok(value as usize)
    }

    /// A whole number of years that may be 0.
    pub fn years_or_zero(field: &str, value: f64) -> Result<usize, EconError> {
        if value == 0.0 {
            return Ok(0);
        }
        years(field, value)
    }
}
