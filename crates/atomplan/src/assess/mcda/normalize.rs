//! Normalisations of a decision-matrix column, used by the weighted sum and TOPSIS.

use super::Direction;
use crate::Error;

/// How a criterion column is brought to a common scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Normalization {
    /// `x / sqrt(Σ x²)` for both directions; the direction is applied afterwards
    /// (TOPSIS ideal point, or `1 − r` in the weighted sum). Hwang & Yoon (1981).
    Vector,
    /// Benefit `(x − min)/(max − min)`, cost `(max − x)/(max − min)`; a constant column gives 1.
    MinMax,
    /// Benefit `x / max`, cost `min / x`; needs positive values.
    LinearMax,
    /// Benefit `x / Σ x`, cost `(1/x) / Σ (1/x)`; needs positive values.
    Sum,
}

impl Normalization {
    /// Parses `"vector"`, `"min-max"`, `"linear-max"` or `"sum"`.
    #[must_use]
    pub fn parse(text: &str) -> Option<Normalization> {
        match text.to_ascii_lowercase().replace('_', "-").as_str() {
            "vector" => Some(Normalization::Vector),
            "min-max" | "minmax" => Some(Normalization::MinMax),
            "linear-max" | "linear" | "max" => Some(Normalization::LinearMax),
            "sum" => Some(Normalization::Sum),
            _ => None,
        }
    }

    /// The name used in case files and results.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Normalization::Vector => "vector",
            Normalization::MinMax => "min-max",
            Normalization::LinearMax => "linear-max",
            Normalization::Sum => "sum",
        }
    }

    /// Whether the normalised value already points "more is better" for cost criteria.
    #[must_use]
    pub fn handles_direction(self) -> bool {
        !matches!(self, Normalization::Vector)
    }
}

/// Normalises column `criterion_idx` of `matrix`.
///
/// Vector: an all-zero column stays zero. Min–max: a constant column maps to 1 for every
/// alternative (it cannot separate them). Linear-max and sum need strictly positive values.
///
/// # Errors
/// [`Error::Value`] naming the column when the normalisation is undefined.
pub fn normalize_column(
    matrix: &[Vec<f64>],
    criterion_idx: usize,
    direction: Direction,
    normalization: Normalization,
) -> Result<Vec<f64>, Error> {
    // Every normalisation below is unchanged when the column is scaled by a positive factor,
    // so dividing by the largest magnitude first keeps squares and sums of values near
    // f64::MAX (or near the smallest normal number) from overflowing or underflowing.
    let scale = matrix
        .iter()
        .map(|row| row[criterion_idx].abs())
        .fold(0.0, f64::max);
    let scale = if scale > 0.0 && scale.is_finite() {
        scale
    } else {
        1.0
    };
    let column: Vec<f64> = matrix
        .iter()
        .map(|row| row[criterion_idx] / scale)
        .collect();
    let min = column.iter().copied().fold(f64::INFINITY, f64::min);
    let max = column.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let needs_positive = || {
        if min <= 0.0 {
            Err(Error::value(
                format!("matrix[..][{criterion_idx}]"),
                format!(
                    "{} normalisation needs values > 0 in every row of this column",
                    normalization.name()
                ),
            ))
        } else {
            Ok(())
        }
    };
    let normalized = match normalization {
        Normalization::Vector => {
            let norm = column.iter().map(|x| x * x).sum::<f64>().sqrt();
            if norm == 0.0 {
                vec![0.0; column.len()]
            } else {
                column.iter().map(|x| x / norm).collect()
            }
        }
        Normalization::MinMax => {
            let range = max - min;
            if range == 0.0 {
                vec![1.0; column.len()]
            } else {
                match direction {
                    Direction::Max => column.iter().map(|x| (x - min) / range).collect(),
                    Direction::Min => column.iter().map(|x| (max - x) / range).collect(),
                }
            }
        }
        Normalization::LinearMax => {
            needs_positive()?;
            match direction {
                Direction::Max => column.iter().map(|x| x / max).collect(),
                Direction::Min => column.iter().map(|x| min / x).collect(),
            }
        }
        Normalization::Sum => {
            needs_positive()?;
            match direction {
                Direction::Max => {
                    let sum: f64 = column.iter().sum();
                    column.iter().map(|x| x / sum).collect()
                }
                Direction::Min => {
                    let sum: f64 = column.iter().map(|x| 1.0 / x).sum();
                    column.iter().map(|x| (1.0 / x) / sum).collect()
                }
            }
        }
    };
    if normalized.iter().any(|x| !x.is_finite()) {
        return Err(Error::value(
            format!("matrix[..][{criterion_idx}]"),
            "the values span too many orders of magnitude to normalise in double precision"
                .to_owned(),
        ));
    }
    Ok(normalized)
}

/// Normalises every column; returns rows = alternatives.
///
/// # Errors
/// See [`normalize_column`].
pub fn normalize_matrix(
    matrix: &[Vec<f64>],
    directions: &[Direction],
    normalization: Normalization,
) -> Result<Vec<Vec<f64>>, Error> {
    let n_alternatives = matrix.len();
    let mut normalized = vec![vec![0.0; directions.len()]; n_alternatives];
    for (criterion_idx, direction) in directions.iter().enumerate() {
        let column = normalize_column(matrix, criterion_idx, *direction, normalization)?;
        for (alternative_idx, value) in column.into_iter().enumerate() {
            normalized[alternative_idx][criterion_idx] = value;
        }
    }
    Ok(normalized)
}
