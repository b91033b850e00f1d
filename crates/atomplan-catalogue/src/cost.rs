//! One cost basis: turning a published cost figure into the overnight cost the economics
//! engine takes.
//!
//! A figure of scope `overnight` or `overnight-plus-owner` in real terms is used as it stands.
//! Any other figure (a total with financing, a contract price, a nominal figure) is converted by
//! removing interest during construction (IDC) and escalation with the figure's own
//! [`Derivation`]: with spend fractions `s_k` over the N years `t_k` of the spend window,
//! escalation index `E` (the currency's GDP deflator, or a constant rate) and IDC rate `i`,
//!
//! ```text
//! factor    = sum_k s_k * (E(t_k) / E(t_ref)) * (1 + i)^(N - k - 0.5)
//! overnight = published / factor          (prices of t_ref)
//! ```
//!
//! With the deflator, `t_ref` is the last spend year; with a constant `escalation_rate` (for
//! spending beyond the deflator table), `t_ref` is the year the figure was stated
//! (`price_year`), so the result converts with published deflators.
//!
//! Spending is taken at mid-year and interest compounds to the end of the last spend year.
//! Real figures skip the escalation term (their price year stays); figures without a
//! derivation are never used as overnight costs. The result is marked `derived`.

use crate::model::{CostEstimate, CostScope, CostTerms, Derivation, OvernightCost, SpendShape};
use crate::money::{Missing, Money};

/// Spend fractions of `n_years` (sum 1); the S-curve is the econ crate's cosine curve
/// `F(x) = (1 - cos(pi x)) / 2`.
pub fn spend_fractions(shape: SpendShape, n_years: usize) -> Vec<f64> {
    if n_years == 0 {
        return Vec::new();
    }
    #[allow(clippy::cast_precision_loss)]
    let n = n_years as f64;
    match shape {
        SpendShape::Uniform => vec![1.0 / n; n_years],
        SpendShape::SCurve => {
            let cumulative = |x: f64| 0.5 * (1.0 - (std::f64::consts::PI * x).cos());
            (0..n_years)
                .map(|year_idx| {
                    #[allow(clippy::cast_precision_loss)]
                    let start = year_idx as f64 / n;
                    #[allow(clippy::cast_precision_loss)]
                    let end = (year_idx + 1) as f64 / n;
                    cumulative(end) - cumulative(start)
                })
                .collect()
        }
    }
}

/// Why an overnight cost could not be derived.
#[derive(Debug, Clone, PartialEq)]
pub enum DerivationProblem {
    /// The figure is not overnight and carries no `[costs.derivation]`.
    NoDerivation,
    /// The spend window is empty or reversed.
    BadWindow { start: i32, end: i32 },
    /// A deflator needed to remove escalation is missing.
    Missing(Missing),
    /// The figure gives no amount.
    NoAmount,
}

impl std::fmt::Display for DerivationProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DerivationProblem::NoDerivation => f.write_str(
                "the figure is not an overnight cost in real terms and has no `[costs.derivation]` to remove IDC and escalation",
            ),
            DerivationProblem::BadWindow { start, end } => {
                write!(f, "spend window {start}-{end} is empty or reversed")
            }
            DerivationProblem::Missing(missing) => write!(f, "{missing}"),
            DerivationProblem::NoAmount => f.write_str("the figure has no amount"),
        }
    }
}

/// The factor by which the published figure exceeds the overnight cost, and the price year
/// of the result.
///
/// # Errors
/// A reversed window or a missing deflator.
pub fn derivation_factor(
    derivation: &Derivation,
    terms: CostTerms,
    currency: &str,
    price_year: i32,
    money: &Money,
) -> Result<(f64, i32), DerivationProblem> {
    let (start, end) = (derivation.spend_start_year, derivation.spend_end_year);
    if end < start {
        return Err(DerivationProblem::BadWindow { start, end });
    }
    let n_years = usize::try_from(end - start + 1).unwrap_or(0);
    let fractions = spend_fractions(derivation.spend_profile, n_years);
    let mut factor = 0.0;
    for (year_idx, fraction) in fractions.iter().enumerate() {
        let year = start + i32::try_from(year_idx).unwrap_or(0);
        let escalation = match (terms, derivation.escalation_rate) {
            (CostTerms::Real, _) => 1.0,
            (CostTerms::Nominal, Some(rate)) => (1.0 + rate).powi(year - price_year),
            (CostTerms::Nominal, None) => money
                .deflate_within(currency, end, year)
                .map_err(DerivationProblem::Missing)?,
        };
        #[allow(clippy::cast_precision_loss)]
        let years_of_interest = (n_years - year_idx) as f64 - 0.5;
        factor += fraction * escalation * (1.0 + derivation.idc_rate).powf(years_of_interest);
    }
    let result_year = match (terms, derivation.escalation_rate) {
        (CostTerms::Real, _) | (CostTerms::Nominal, Some(_)) => price_year,
        (CostTerms::Nominal, None) => end,
    };
    Ok((factor, result_year))
}

/// The entry of `costs` the engine uses: `default = true`, else the only entry, else the
/// first overnight figure in real terms.
pub fn default_index(costs: &[CostEstimate]) -> Option<usize> {
    if let Some(idx) = costs.iter().position(|c| c.default) {
        return Some(idx);
    }
    if costs.len() == 1 {
        return Some(0);
    }
    costs.iter().position(CostEstimate::is_overnight)
}

/// The overnight cost per kW from a design's published costs, `Ok(None)` when it has none.
///
/// # Errors
/// The default figure cannot be turned into an overnight cost (with its index).
pub fn overnight_cost(
    costs: &[CostEstimate],
    money: &Money,
) -> Result<Option<OvernightCost>, (usize, DerivationProblem)> {
    let Some(cost_index) = default_index(costs) else {
        return Ok(None);
    };
    let cost = &costs[cost_index];
    let per_kw = cost
        .per_kw
        .ok_or((cost_index, DerivationProblem::NoAmount))?;
    let (factor, price_year, note) = if cost.is_overnight() {
        (1.0, cost.price_year, None)
    } else {
        let derivation = cost
            .derivation
            .as_ref()
            .ok_or((cost_index, DerivationProblem::NoDerivation))?;
        let (factor, price_year) = derivation_factor(
            derivation,
            cost.terms,
            &cost.currency,
            cost.price_year,
            money,
        )
        .map_err(|problem| (cost_index, problem))?;
        let escalation = match (cost.terms, derivation.escalation_rate) {
            (CostTerms::Real, _) => "no escalation (real terms)".to_owned(),
            (CostTerms::Nominal, Some(rate)) => format!("escalation {:.1} %/yr", rate * 100.0),
            (CostTerms::Nominal, None) => {
                format!("escalation by the {} GDP deflator", cost.currency)
            }
        };
        let note = format!(
            "derived from a {} {} figure: divided by {factor:.3} to remove IDC at {:.1} %/yr and {escalation} over a {} spend from {} to {} (prices of {price_year}); {}",
            cost.terms,
            cost.scope,
            derivation.idc_rate * 100.0,
            derivation.spend_profile,
            derivation.spend_start_year,
            derivation.spend_end_year,
            derivation.note
        );
        (factor, price_year, Some(note))
    };
    let scale = |value: Option<f64>| value.map(|v| v / factor);
    let mut sources = cost.sources.clone();
    if let Some(derivation) = &cost.derivation {
        for source in &derivation.sources {
            if !sources.contains(source) {
                sources.push(source.clone());
            }
        }
    }
    Ok(Some(OvernightCost {
        per_kw: crate::model::Estimate {
            low: scale(per_kw.low),
            central: scale(per_kw.central),
            high: scale(per_kw.high),
        },
        currency: cost.currency.clone(),
        price_year,
        foak_noak: cost.foak_noak,
        basis: cost.basis.clone(),
        verify: cost.verify,
        scope: cost.scope,
        terms: cost.terms,
        derived: note.is_some(),
        derivation_factor: factor,
        derivation_note: note,
        cost_index,
        sources,
    }))
}

/// Cost overrun of a project: latest over earliest estimate of the same scope, both converted
/// to real USD of `target_year` (nominal figures are taken at their stated year, so part of the
/// ratio is escalation; the scopes and terms are returned so the caller can say so).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Overrun {
    pub first_estimate_year: i32,
    pub last_estimate_year: i32,
    pub scope: CostScope,
    /// Latest / earliest, in real USD of `target_year`.
    pub ratio: f64,
}

/// The overrun between the earliest and latest estimates of the most-estimated scope.
///
/// # Errors
/// A conversion that cannot be done.
pub fn overrun(
    costs: &[CostEstimate],
    money: &Money,
    target_year: i32,
) -> Result<Option<Overrun>, crate::Error> {
    let mut best: Option<Overrun> = None;
    for scope in [
        CostScope::Overnight,
        CostScope::OvernightPlusOwner,
        CostScope::TotalWithFinancing,
        CostScope::ContractPrice,
    ] {
        let mut same: Vec<&CostEstimate> = costs.iter().filter(|c| c.scope == scope).collect();
        if same.len() < 2 {
            continue;
        }
        same.sort_by_key(|c| c.estimate_year);
        let value = |c: &CostEstimate| -> Result<Option<f64>, crate::Error> {
            match c.amount().and_then(|e| e.central_or_mid()) {
                Some(v) => money
                    .to_usd_checked(v, &c.currency, c.price_year, target_year)
                    .map(Some),
                None => Ok(None),
            }
        };
        let (Some(first), Some(last)) = (same.first(), same.last()) else {
            continue;
        };
        if let (Some(a), Some(b)) = (value(first)?, value(last)?) {
            if a > 0.0 && best.is_none() {
                best = Some(Overrun {
                    first_estimate_year: first.estimate_year,
                    last_estimate_year: last.estimate_year,
                    scope,
                    ratio: b / a,
                });
            }
        }
    }
    Ok(best)
}
