//! PROMETHEE II (Brans & Vincke 1985; Brans, Vincke & Mareschal 1986): net outranking flows from
//! per-criterion preference functions.

use super::{normalized_weights, Direction, Problem};
use crate::Error;

/// A PROMETHEE preference function `P(d)`, with `P(d) = 0` for `d ≤ 0`; thresholds are in the
/// criterion's own units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PreferenceFunction {
    /// Type I: 1 for any `d > 0`.
    Usual,
    /// Type II (quasi-criterion): 0 if `d ≤ q`, else 1.
    UShape { q: f64 },
    /// Type III: `d/p` up to `p`, then 1.
    VShape { p: f64 },
    /// Type IV: 0 if `d ≤ q`, 1/2 if `q < d ≤ p`, 1 if `d > p`.
    Level { q: f64, p: f64 },
    /// Type V (V-shape with indifference): 0 if `d ≤ q`, `(d − q)/(p − q)` up to `p`, then 1.
    Linear { q: f64, p: f64 },
    /// Type VI: `1 − exp(−d²/(2 s²))`.
    Gaussian { s: f64 },
}

impl PreferenceFunction {
    /// Builds a function from its case-file name and thresholds, checking that the thresholds it
    /// needs are present, finite and ordered (`0 ≤ q ≤ p`, `p > 0`, `s > 0`).
    ///
    /// Names: `usual`, `u-shape`, `v-shape`, `level`, `linear`, `gaussian` (also `type1`..`type6`,
    /// `t1`..`t6`, `ushape`, `vshape`, `quasi`, `v-shape-indifference`).
    ///
    /// # Errors
    /// [`Error::Value`] naming `{key}.preference`, `{key}.q`, `{key}.p` or `{key}.s`.
    pub fn from_parts(
        name: &str,
        q: Option<f64>,
        p: Option<f64>,
        s: Option<f64>,
        key: &str,
    ) -> Result<PreferenceFunction, Error> {
        let need = |value: Option<f64>, field: &str| -> Result<f64, Error> {
            match value {
                Some(value) if value.is_finite() && value >= 0.0 => Ok(value),
                Some(value) => Err(Error::value(
                    format!("{key}.{field}"),
                    format!("must be a finite number >= 0, found {value}"),
                )),
                None => Err(Error::value(
                    format!("{key}.{field}"),
                    format!("preference function `{name}` needs `{field}`"),
                )),
            }
        };
        let positive = |value: f64, field: &str| -> Result<f64, Error> {
            if value > 0.0 {
                Ok(value)
            } else {
                Err(Error::value(format!("{key}.{field}"), "must be > 0"))
            }
        };
        let ordered = |q: f64, p: f64| -> Result<(), Error> {
            if q > p {
                Err(Error::value(
                    format!("{key}.q"),
                    format!("indifference threshold q = {q} exceeds preference threshold p = {p}"),
                ))
            } else {
                Ok(())
            }
        };
        let canonical = name.to_ascii_lowercase().replace(['_', ' '], "-");
        match canonical.as_str() {
            "usual" | "type1" | "type-1" | "t1" | "i" => Ok(PreferenceFunction::Usual),
            "u-shape" | "ushape" | "quasi" | "quasi-criterion" | "type2" | "type-2" | "t2" | "ii" => {
                Ok(PreferenceFunction::UShape { q: need(q, "q")? })
            }
            "v-shape" | "vshape" | "type3" | "type-3" | "t3" | "iii" => Ok(PreferenceFunction::VShape {
                p: positive(need(p, "p")?, "p")?,
            }),
            "level" | "type4" | "type-4" | "t4" | "iv" => {
                let (q, p) = (need(q, "q")?, need(p, "p")?);
                ordered(q, p)?;
                Ok(PreferenceFunction::Level { q, p })
            }
            "linear" | "v-shape-indifference" | "vshape-2" | "v-shape-2" | "type5" | "type-5" | "t5"
            | "v" => {
                let (q, p) = (need(q, "q")?, need(p, "p")?);
                ordered(q, p)?;
                if p == q {
                    return Err(Error::value(
                        format!("{key}.p"),
                        "linear preference needs p > q",
                    ));
                }
                Ok(PreferenceFunction::Linear { q, p })
            }
            "gaussian" | "gauss" | "type6" | "type-6" | "t6" | "vi" => Ok(PreferenceFunction::Gaussian {
                s: positive(need(s, "s")?, "s")?,
            }),
            _ => Err(Error::value(
                format!("{key}.preference"),
                format!(
                    "unknown preference function `{name}`; expected one of usual, u-shape, v-shape, level, linear, gaussian"
                ),
            )),
        }
    }

    /// The case-file name.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            PreferenceFunction::Usual => "usual",
            PreferenceFunction::UShape { .. } => "u-shape",
            PreferenceFunction::VShape { .. } => "v-shape",
            PreferenceFunction::Level { .. } => "level",
            PreferenceFunction::Linear { .. } => "linear",
            PreferenceFunction::Gaussian { .. } => "gaussian",
        }
    }

    /// `P(d)` for a difference `d` already oriented so that positive means "better".
    #[must_use]
    pub fn preference(&self, d: f64) -> f64 {
        if d <= 0.0 {
            return 0.0;
        }
        match *self {
            PreferenceFunction::Usual => 1.0,
            PreferenceFunction::UShape { q } => {
                if d <= q {
                    0.0
                } else {
                    1.0
                }
            }
            PreferenceFunction::VShape { p } => (d / p).min(1.0),
            PreferenceFunction::Level { q, p } => {
                if d <= q {
                    0.0
                } else if d <= p {
                    0.5
                } else {
                    1.0
                }
            }
            PreferenceFunction::Linear { q, p } => {
                if d <= q {
                    0.0
                } else if d <= p {
                    (d - q) / (p - q)
                } else {
                    1.0
                }
            }
            PreferenceFunction::Gaussian { s } => 1.0 - (-d * d / (2.0 * s * s)).exp(),
        }
    }
}

/// Flows of every alternative.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PrometheeResult {
    /// Leaving flows `φ+`.
    pub positive_flows: Vec<f64>,
    /// Entering flows `φ−`.
    pub negative_flows: Vec<f64>,
    /// Net flows `φ = φ+ − φ−` (PROMETHEE II score; sums to 0).
    pub net_flows: Vec<f64>,
}

impl PrometheeResult {
    /// PROMETHEE I relation of `a` to `b`: `Some(Ordering::Greater)` if `a` outranks `b`,
    /// `Some(Equal)` if indifferent, `Some(Less)` if `b` outranks `a`, `None` if incomparable.
    #[must_use]
    pub fn promethee1(&self, a: usize, b: usize) -> Option<std::cmp::Ordering> {
        use std::cmp::Ordering;
        let plus = self.positive_flows[a].total_cmp(&self.positive_flows[b]);
        let minus = self.negative_flows[b].total_cmp(&self.negative_flows[a]);
        match (plus, minus) {
            (Ordering::Equal, Ordering::Equal) => Some(Ordering::Equal),
            (Ordering::Less, Ordering::Greater) | (Ordering::Greater, Ordering::Less) => None,
            (Ordering::Greater | Ordering::Equal, Ordering::Greater | Ordering::Equal) => {
                Some(Ordering::Greater)
            }
            _ => Some(Ordering::Less),
        }
    }
}

/// PROMETHEE II flows. With one alternative every flow is 0.
///
/// # Errors
/// One preference function per criterion is needed; see also [`Problem::validate`].
#[allow(clippy::needless_range_loop)] // Pairwise (a, b) indexing reads like the formula.
pub fn promethee2(
    problem: &Problem,
    functions: &[PreferenceFunction],
) -> Result<PrometheeResult, Error> {
    let (n_alternatives, n_criteria) = problem.validate()?;
    if functions.len() != n_criteria {
        return Err(Error::shape(
            "criteria.preference",
            format!("{n_criteria} preference functions"),
            functions.len(),
        ));
    }
    let weights = normalized_weights(&problem.weights)?;
    let mut positive_flows = vec![0.0; n_alternatives];
    let mut negative_flows = vec![0.0; n_alternatives];
    for a in 0..n_alternatives {
        for b in 0..n_alternatives {
            if a == b {
                continue;
            }
            let mut pi_ab = 0.0;
            for criterion_idx in 0..n_criteria {
                let raw = problem.matrix[a][criterion_idx] - problem.matrix[b][criterion_idx];
                let d = match problem.directions[criterion_idx] {
                    Direction::Max => raw,
                    Direction::Min => -raw,
                };
                pi_ab += weights[criterion_idx] * functions[criterion_idx].preference(d);
            }
            positive_flows[a] += pi_ab;
            negative_flows[b] += pi_ab;
        }
    }
    if n_alternatives > 1 {
        #[allow(clippy::cast_precision_loss)]
        let denominator = (n_alternatives - 1) as f64;
        positive_flows
            .iter_mut()
            .for_each(|flow| *flow /= denominator);
        negative_flows
            .iter_mut()
            .for_each(|flow| *flow /= denominator);
    }
    let net_flows = positive_flows
        .iter()
        .zip(&negative_flows)
        .map(|(plus, minus)| plus - minus)
        .collect();
    Ok(PrometheeResult {
        positive_flows,
        negative_flows,
        net_flows,
    })
}
