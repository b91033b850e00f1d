//! Multi-criteria decision analysis for partner and vendor choice: weighted sum, TOPSIS, AHP and
//! PROMETHEE II, with weight sensitivity, rank-reversal checks and Monte Carlo on weights.
//!
//! All methods are pure functions of a decision matrix (rows = alternatives, columns = criteria),
//! weights and directions; weights are normalised to sum 1 inside every method.
//! Conventions follow `docs/methods/mcda.md` (Hwang & Yoon 1981; Saaty 1980; Brans & Vincke 1985).

pub mod ahp;
pub mod normalize;
pub mod promethee;
pub mod sensitivity;
pub mod template;
pub mod topsis;
pub mod wsm;

#[cfg(test)]
mod tests;

pub use ahp::{AhpChildren, AhpNode, AhpNodeResult, AhpResult, RandomIndexTable};
pub use normalize::Normalization;
pub use promethee::{PreferenceFunction, PrometheeResult};

use crate::Error;

/// Whether more (benefit) or less (cost) of a criterion is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Benefit criterion: more is better.
    Max,
    /// Cost criterion: less is better.
    Min,
}

/// The scoring methods that take a decision matrix.
#[derive(Debug, Clone, PartialEq)]
pub enum Method {
    /// Weighted sum with the given normalisation (default [`Normalization::LinearMax`]).
    WeightedSum(Normalization),
    /// TOPSIS with the given normalisation (default [`Normalization::Vector`]).
    Topsis(Normalization),
    /// PROMETHEE II with one preference function per criterion.
    Promethee2(Vec<PreferenceFunction>),
}

/// A decision problem: alternatives scored on criteria.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Rows = alternatives, columns = criteria.
    pub matrix: Vec<Vec<f64>>,
    /// Criterion weights, non-negative; normalised to sum 1 before use.
    pub weights: Vec<f64>,
    /// Direction of each criterion.
    pub directions: Vec<Direction>,
}

impl Problem {
    /// Checks shapes and values; returns (n_alternatives, n_criteria).
    ///
    /// # Errors
    /// Wrong shapes, non-finite values, negative weights or weights summing to zero.
    pub fn validate(&self) -> Result<(usize, usize), Error> {
        let n_criteria = self.weights.len();
        if n_criteria == 0 {
            return Err(Error::value("criteria", "at least one criterion is needed"));
        }
        if self.directions.len() != n_criteria {
            return Err(Error::shape(
                "criteria.direction",
                format!("{n_criteria} directions"),
                self.directions.len(),
            ));
        }
        validate_matrix(&self.matrix, n_criteria)?;
        normalized_weights(&self.weights)?;
        Ok((self.matrix.len(), n_criteria))
    }

    /// The same problem without alternative `alternative_idx`.
    #[must_use]
    pub fn without_alternative(&self, alternative_idx: usize) -> Problem {
        let mut reduced = self.clone();
        if alternative_idx < reduced.matrix.len() {
            reduced.matrix.remove(alternative_idx);
        }
        reduced
    }

    /// The same problem with different weights.
    #[must_use]
    pub fn with_weights(&self, weights: Vec<f64>) -> Problem {
        Problem {
            matrix: self.matrix.clone(),
            weights,
            directions: self.directions.clone(),
        }
    }
}

/// Scores of every alternative (higher is better) by `method`.
///
/// # Errors
/// See [`Problem::validate`] and each method.
pub fn score(problem: &Problem, method: &Method) -> Result<Vec<f64>, Error> {
    match method {
        Method::WeightedSum(normalization) => wsm::weighted_sum(problem, *normalization),
        Method::Topsis(normalization) => topsis::topsis(problem, *normalization),
        Method::Promethee2(functions) => {
            promethee::promethee2(problem, functions).map(|result| result.net_flows)
        }
    }
}

/// Checks that `matrix` is rectangular with `n_criteria` finite columns and at least one row.
///
/// # Errors
/// [`Error::Shape`] naming `matrix[i]`, or [`Error::Value`] for a non-finite value.
pub fn validate_matrix(matrix: &[Vec<f64>], n_criteria: usize) -> Result<(), Error> {
    if matrix.is_empty() {
        return Err(Error::value("matrix", "at least one alternative is needed"));
    }
    for (row_idx, row) in matrix.iter().enumerate() {
        if row.len() != n_criteria {
            return Err(Error::shape(
                format!("matrix[{row_idx}]"),
                format!("{n_criteria} columns (one per criterion)"),
                format!("{} columns", row.len()),
            ));
        }
        for (col_idx, value) in row.iter().enumerate() {
            if !value.is_finite() {
                return Err(Error::value(
                    format!("matrix[{row_idx}][{col_idx}]"),
                    "value is not a finite number",
                ));
            }
        }
    }
    Ok(())
}

/// Weights divided by their sum.
///
/// # Errors
/// A negative or non-finite weight, or a zero sum.
pub fn normalized_weights(weights: &[f64]) -> Result<Vec<f64>, Error> {
    for (criterion_idx, weight) in weights.iter().enumerate() {
        if !weight.is_finite() || *weight < 0.0 {
            return Err(Error::value(
                format!("criteria[{criterion_idx}].weight"),
                format!("weight must be a finite number >= 0, found {weight}"),
            ));
        }
    }
    let sum: f64 = weights.iter().sum();
    if sum <= 0.0 {
        return Err(Error::value("criteria.weight", "weights sum to zero"));
    }
    Ok(weights.iter().map(|weight| weight / sum).collect())
}

/// Whether weights already sum to 1 within `1e-9`.
#[must_use]
pub fn weights_sum_to_one(weights: &[f64]) -> bool {
    (weights.iter().sum::<f64>() - 1.0).abs() <= 1e-9
}
