//! Weighted sum (simple additive weighting): `S_i = Σ_j w_j r_ij`.

use super::normalize::{normalize_matrix, Normalization};
use super::{normalized_weights, Direction, Problem};
use crate::Error;

/// Weighted-sum scores, higher is better.
///
/// With [`Normalization::Vector`] a cost criterion enters as `1 − r_ij`; every other
/// normalisation handles the direction itself. Default in case files: linear-max.
///
/// # Errors
/// See [`Problem::validate`] and [`super::normalize::normalize_column`].
pub fn weighted_sum(problem: &Problem, normalization: Normalization) -> Result<Vec<f64>, Error> {
    problem.validate()?;
    let weights = normalized_weights(&problem.weights)?;
    let normalized = normalize_matrix(&problem.matrix, &problem.directions, normalization)?;
    let scores = normalized
        .iter()
        .map(|row| {
            row.iter()
                .zip(&weights)
                .zip(&problem.directions)
                .map(|((value, weight), direction)| {
                    let oriented =
                        if !normalization.handles_direction() && *direction == Direction::Min {
                            1.0 - value
                        } else {
                            *value
                        };
                    weight * oriented
                })
                .sum()
        })
        .collect();
    Ok(scores)
}
