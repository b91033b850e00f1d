//! Construction spending profiles and interest during construction (IDC).
//!
//! How overnight cost is spread over the build years drives IDC, so every model that has a
//! construction period takes a [`SpendProfile`] rather than a fixed IDC percentage.

use serde::{Deserialize, Serialize};

use crate::error::EconError;

/// How the overnight cost is spread over the construction periods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum SpendProfile {
    /// Equal spend in every period.
    #[default]
    Uniform,
    /// Cosine S-curve: cumulative share `F(x) = (1 − cos(πx))/2` of the elapsed fraction x of
    /// the construction period; slow start, peak in the middle, slow finish.
    SCurve,
    /// Explicit shares per period (normalised to sum to 1); must have one entry per period.
    Explicit(Vec<f64>),
}

impl SpendProfile {
    /// The fractions spent in each of `n_periods` periods (sum 1). `n_periods = 0` gives an
    /// empty vector (everything spent at once, at commissioning).
    ///
    /// # Errors
    /// An explicit profile whose length differs from `n_periods`, with a negative or
    /// non-finite entry, or summing to 0.
    pub fn fractions(&self, n_periods: usize) -> Result<Vec<f64>, EconError> {
        if n_periods == 0 {
            return Ok(Vec::new());
        }
        #[allow(clippy::cast_precision_loss)]
        let n = n_periods as f64;
        match self {
            SpendProfile::Uniform => Ok(vec![1.0 / n; n_periods]),
            SpendProfile::SCurve => {
                let cumulative = |x: f64| 0.5 * (1.0 - (std::f64::consts::PI * x).cos());
                Ok((0..n_periods)
                    .map(|period_idx| {
                        #[allow(clippy::cast_precision_loss)]
                        let start = period_idx as f64 / n;
                        #[allow(clippy::cast_precision_loss)]
                        let end = (period_idx + 1) as f64 / n;
                        cumulative(end) - cumulative(start)
                    })
                    .collect())
            }
            SpendProfile::Explicit(shares) => {
                if shares.len() != n_periods {
                    return Err(EconError::invalid(
                        "spend_profile",
                        format!(
                            "has {} entries but the construction period has {n_periods} periods",
                            shares.len()
                        ),
                    ));
                }
                if shares
                    .iter()
                    .any(|share| !share.is_finite() || *share < 0.0)
                {
                    return Err(EconError::invalid(
                        "spend_profile",
                        "entries must be finite and not negative",
                    ));
                }
                let total: f64 = shares.iter().sum();
                if total <= 0.0 {
                    return Err(EconError::invalid("spend_profile", "entries sum to 0"));
                }
                Ok(shares.iter().map(|share| share / total).collect())
            }
        }
    }
}

/// Construction finance factor with spend at mid-period and interest compounded to
/// commissioning (the end of the last period): `CFF = Σ_y f_y (1 + i)^(T − y − 0.5)`.
///
/// `rate_per_period` is the financing rate per period. IDC = (CFF − 1) × overnight cost.
/// An empty profile gives 1.
#[must_use]
pub fn construction_finance_factor(spend_fractions: &[f64], rate_per_period: f64) -> f64 {
    if spend_fractions.is_empty() {
        return 1.0;
    }
    #[allow(clippy::cast_precision_loss)]
    let n_periods = spend_fractions.len() as f64;
    spend_fractions
        .iter()
        .enumerate()
        .map(|(period_idx, fraction)| {
            #[allow(clippy::cast_precision_loss)]
            let periods_to_cod = n_periods - period_idx as f64 - 0.5;
            fraction * (1.0 + rate_per_period).powf(periods_to_cod)
        })
        .sum()
}

/// Continuous uniform-spend construction finance factor `((1+i)^T − 1)/(T·ln(1+i))`.
#[must_use]
pub fn construction_finance_factor_continuous(rate: f64, years: f64) -> f64 {
    if rate == 0.0 || years <= 0.0 {
        return 1.0;
    }
    ((1.0 + rate).powf(years) - 1.0) / (years * (1.0 + rate).ln())
}

/// Interest during construction as a factor on overnight cost, atomplan's one convention for
/// planning models: the overnight cost is spent evenly over `ceil(construction_years)` whole
/// years, each year's spend at mid-year and compounded to commissioning at `rate`:
/// `CFF = (1/T) Σ_{k=1..T} (1 + r)^(k − 1/2)` ([`construction_finance_factor`] of a
/// [`SpendProfile::Uniform`] profile). IDC = (CFF − 1) × overnight cost.
///
/// Edge cases: a construction time of zero or less (or NaN) gives 1 (built at once); a zero
/// rate gives 1 (to rounding); a fractional time is rounded up to whole years, as planning
/// models round lead times; times beyond 1,000 years are capped there.
#[must_use]
pub fn idc_factor_uniform(rate: f64, construction_years: f64) -> f64 {
    let whole_years = construction_years.ceil();
    if whole_years.is_nan() || whole_years < 1.0 {
        return 1.0;
    }
    // Checked above: a whole number of at least 1, capped at 1000.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let n_years = whole_years.min(1000.0) as usize;
    match SpendProfile::Uniform.fractions(n_years) {
        Ok(fractions) => construction_finance_factor(&fractions, rate),
        Err(_) => 1.0,
    }
}
