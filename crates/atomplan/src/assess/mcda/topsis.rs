//! TOPSIS (Hwang & Yoon 1981): closeness to the ideal point relative to the anti-ideal point.

use super::normalize::{normalize_matrix, Normalization};
use super::{normalized_weights, Direction, Problem};
use crate::Error;

/// Closeness coefficients `C_i = S_i− / (S_i+ + S_i−)` in [0, 1], higher is better.
///
/// Classic TOPSIS uses [`Normalization::Vector`], with the ideal taking the max of benefit and the
/// min of cost criteria. Normalisations that handle the direction themselves (min–max as in
/// pymcdm, linear-max) take the max of every column as the ideal.
///
/// # Errors
/// [`Error::Undefined`] when an alternative coincides with both the ideal and the anti-ideal
/// point (`S+ = S− = 0`, e.g. all alternatives identical); see also [`Problem::validate`].
pub fn topsis(problem: &Problem, normalization: Normalization) -> Result<Vec<f64>, Error> {
    problem.validate()?;
    let weights = normalized_weights(&problem.weights)?;
    let normalized = normalize_matrix(&problem.matrix, &problem.directions, normalization)?;
    let weighted: Vec<Vec<f64>> = normalized
        .iter()
        .map(|row| {
            row.iter()
                .zip(&weights)
                .map(|(value, weight)| value * weight)
                .collect()
        })
        .collect();
    let n_criteria = weights.len();
    let mut ideal = vec![0.0; n_criteria];
    let mut anti_ideal = vec![0.0; n_criteria];
    for criterion_idx in 0..n_criteria {
        let column = weighted.iter().map(|row| row[criterion_idx]);
        let max = column.clone().fold(f64::NEG_INFINITY, f64::max);
        let min = column.fold(f64::INFINITY, f64::min);
        let benefit = normalization.handles_direction()
            || problem.directions[criterion_idx] == Direction::Max;
        (ideal[criterion_idx], anti_ideal[criterion_idx]) =
            if benefit { (max, min) } else { (min, max) };
    }
    let distance = |row: &[f64], point: &[f64]| -> f64 {
        row.iter()
            .zip(point)
            .map(|(value, target)| (value - target).powi(2))
            .sum::<f64>()
            .sqrt()
    };
    weighted
        .iter()
        .enumerate()
        .map(|(alternative_idx, row)| {
            let to_ideal = distance(row, &ideal);
            let to_anti_ideal = distance(row, &anti_ideal);
            let total = to_ideal + to_anti_ideal;
            if total == 0.0 {
                Err(Error::Undefined {
                    method: "TOPSIS".to_owned(),
                    reason: format!(
                        "alternative {alternative_idx} is both the ideal and the anti-ideal point (all alternatives identical on every weighted criterion)"
                    ),
                })
            } else {
                Ok(to_anti_ideal / total)
            }
        })
        .collect()
}
