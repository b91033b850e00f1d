//! Analytic Hierarchy Process (Saaty 1980): priorities from pairwise comparisons by the principal
//! eigenvector, consistency (λmax, CI, CR) and synthesis down a hierarchy of criteria.

use crate::Error;

/// Tolerance on `|a_ij · a_ji − 1|` (and `|a_ii − 1|`) before a matrix counts as non-reciprocal.
///
/// It accepts judgments typed as rounded decimals (`0.333` for 1/3, `0.14` for 1/7) and rejects
/// any real disagreement (the closest Saaty-scale confusion, 1/8 vs 1/9, is off by 12.5 %).
pub const RECIPROCITY_TOLERANCE: f64 = 0.03;

/// Power-iteration convergence threshold on the L1 change of the priority vector.
pub const POWER_ITERATION_TOLERANCE: f64 = 1e-12;

const MAX_POWER_ITERATIONS: usize = 100_000;

/// Random-index table used for the consistency ratio `CR = CI / RI(n)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RandomIndexTable {
    /// Saaty (1980), *The Analytic Hierarchy Process*, n = 1..15 (default).
    #[default]
    Saaty1980,
    /// Saaty's later table (Saaty 2005, as used by ahpy `'saaty'`), n = 3..15.
    SaatyLater,
    /// Donegan & Dodd (1991), n = 3..15 (ahpy default `'dd'`).
    DoneganDodd,
}

impl RandomIndexTable {
    /// Parses `"saaty1980"`, `"saaty-later"` (or `"saaty2005"`) and `"donegan-dodd"` (or `"dd"`).
    #[must_use]
    pub fn parse(text: &str) -> Option<RandomIndexTable> {
        match text.to_ascii_lowercase().replace('_', "-").as_str() {
            "saaty1980" | "saaty-1980" | "saaty" => Some(RandomIndexTable::Saaty1980),
            "saaty-later" | "saaty2005" | "saaty-2005" => Some(RandomIndexTable::SaatyLater),
            "donegan-dodd" | "dd" | "donegan-dodd-1991" => Some(RandomIndexTable::DoneganDodd),
            _ => None,
        }
    }

    /// The name recorded in results.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            RandomIndexTable::Saaty1980 => "saaty1980",
            RandomIndexTable::SaatyLater => "saaty-later",
            RandomIndexTable::DoneganDodd => "donegan-dodd",
        }
    }

    /// `RI(n)`; 0 for n ≤ 2; `None` beyond the table (n > 15).
    #[must_use]
    pub fn random_index(self, n: usize) -> Option<f64> {
        const SAATY_1980: [f64; 15] = [
            0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59,
        ];
        const SAATY_LATER: [f64; 15] = [
            0.0, 0.0, 0.52, 0.89, 1.11, 1.25, 1.35, 1.40, 1.45, 1.49, 1.52, 1.54, 1.56, 1.58, 1.59,
        ];
        const DONEGAN_DODD: [f64; 15] = [
            0.0, 0.0, 0.4914, 0.8286, 1.0591, 1.1797, 1.2519, 1.3171, 1.3733, 1.4055, 1.4213,
            1.4497, 1.4643, 1.4822, 1.4969,
        ];
        if n == 0 {
            return Some(0.0);
        }
        let table = match self {
            RandomIndexTable::Saaty1980 => &SAATY_1980,
            RandomIndexTable::SaatyLater => &SAATY_LATER,
            RandomIndexTable::DoneganDodd => &DONEGAN_DODD,
        };
        table.get(n - 1).copied()
    }
}

/// Priorities and consistency of one pairwise-comparison matrix.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PairwiseResult {
    /// Principal eigenvector normalised to sum 1.
    pub priorities: Vec<f64>,
    /// Principal eigenvalue, mean of `(A w)_i / w_i`.
    pub lambda_max: f64,
    /// Consistency index `(λmax − n)/(n − 1)`; 0 for n ≤ 2.
    pub ci: f64,
    /// Consistency ratio `CI / RI(n)`; 0 for n ≤ 2; `None` when the table has no RI for n.
    pub cr: Option<f64>,
}

/// Checks that `matrix` is square (`n`×`n`), positive, with unit diagonal and reciprocal within
/// [`RECIPROCITY_TOLERANCE`], and returns a repaired copy: for each pair the entry ≥ 1 is kept and
/// the other set to its exact reciprocal (so `0.333` becomes `1/3`).
///
/// # Errors
/// [`Error::Shape`], [`Error::Value`] or [`Error::NonReciprocal`] naming `key`.
pub fn check_pairwise(matrix: &[Vec<f64>], n: usize, key: &str) -> Result<Vec<Vec<f64>>, Error> {
    if matrix.len() != n {
        return Err(Error::shape(
            key,
            format!("{n}×{n} matrix"),
            format!("{} rows", matrix.len()),
        ));
    }
    for (row_idx, row) in matrix.iter().enumerate() {
        if row.len() != n {
            return Err(Error::shape(
                format!("{key}[{row_idx}]"),
                format!("{n} columns"),
                format!("{} columns", row.len()),
            ));
        }
        for (col_idx, value) in row.iter().enumerate() {
            if !value.is_finite() || *value <= 0.0 {
                return Err(Error::value(
                    format!("{key}[{row_idx}][{col_idx}]"),
                    format!("pairwise judgments must be finite and > 0, found {value}"),
                ));
            }
        }
        if (row[row_idx] - 1.0).abs() > RECIPROCITY_TOLERANCE {
            return Err(Error::value(
                format!("{key}[{row_idx}][{row_idx}]"),
                format!("diagonal entries must be 1, found {}", row[row_idx]),
            ));
        }
    }
    let mut repaired = matrix.to_vec();
    for row_idx in 0..n {
        repaired[row_idx][row_idx] = 1.0;
        for col_idx in row_idx + 1..n {
            let value = matrix[row_idx][col_idx];
            let transposed = matrix[col_idx][row_idx];
            if (value * transposed - 1.0).abs() > RECIPROCITY_TOLERANCE {
                return Err(Error::NonReciprocal {
                    key: key.to_owned(),
                    row: row_idx,
                    col: col_idx,
                    value,
                    transposed,
                    expected: 1.0 / value,
                });
            }
            if value >= transposed {
                repaired[col_idx][row_idx] = 1.0 / value;
            } else {
                repaired[row_idx][col_idx] = 1.0 / transposed;
            }
        }
    }
    Ok(repaired)
}

/// Principal eigenvector, λmax, CI and CR of a pairwise matrix.
///
/// Power iteration `w ← A w / ‖A w‖₁` from the uniform vector until the L1 change is below
/// [`POWER_ITERATION_TOLERANCE`]; a positive matrix has a unique Perron vector, so this converges.
/// `λmax` is the mean of `(A w)_i / w_i`. `CR = 0` for n ≤ 2.
///
/// # Errors
/// See [`check_pairwise`]; [`Error::Undefined`] if the iteration does not converge.
pub fn pairwise_priorities(
    matrix: &[Vec<f64>],
    table: RandomIndexTable,
    key: &str,
) -> Result<PairwiseResult, Error> {
    let n = matrix.len();
    if n == 0 {
        return Err(Error::value(
            key,
            "a pairwise matrix needs at least one row",
        ));
    }
    let matrix = check_pairwise(matrix, n, key)?;
    let multiply = |vector: &[f64]| -> Vec<f64> {
        matrix
            .iter()
            .map(|row| row.iter().zip(vector).map(|(a, w)| a * w).sum())
            .collect()
    };
    #[allow(clippy::cast_precision_loss)]
    let mut priorities = vec![1.0 / n as f64; n];
    let mut converged = false;
    for _ in 0..MAX_POWER_ITERATIONS {
        let product = multiply(&priorities);
        let sum: f64 = product.iter().sum();
        let next: Vec<f64> = product.iter().map(|value| value / sum).collect();
        let change: f64 = next
            .iter()
            .zip(&priorities)
            .map(|(a, b)| (a - b).abs())
            .sum();
        priorities = next;
        if change < POWER_ITERATION_TOLERANCE {
            converged = true;
            break;
        }
    }
    if !converged {
        return Err(Error::Undefined {
            method: "AHP".to_owned(),
            reason: format!("power iteration on `{key}` did not converge"),
        });
    }
    let product = multiply(&priorities);
    #[allow(clippy::cast_precision_loss)]
    let n_float = n as f64;
    let lambda_max = product
        .iter()
        .zip(&priorities)
        .map(|(aw, w)| aw / w)
        .sum::<f64>()
        / n_float;
    let (ci, cr) = if n <= 2 {
        (0.0, Some(0.0))
    } else {
        let ci = (lambda_max - n_float) / (n_float - 1.0);
        let cr = table.random_index(n).map(|ri| ci / ri);
        (ci, cr)
    };
    Ok(PairwiseResult {
        priorities,
        lambda_max,
        ci,
        cr,
    })
}

/// What a node of the hierarchy compares.
#[derive(Debug, Clone, PartialEq)]
pub enum AhpChildren {
    /// Sub-criteria, in the order of the node's pairwise matrix.
    Criteria(Vec<AhpNode>),
    /// The alternatives, compared pairwise (`pairwise` is m×m).
    Alternatives,
    /// The alternatives, rated directly (one positive value per alternative) and sum-normalised:
    /// benefit `x/Σx`, cost `(1/x)/Σ(1/x)`. `pairwise` is ignored.
    Ratings {
        values: Vec<f64>,
        direction: super::Direction,
    },
}

/// A node of an AHP hierarchy: the goal or a criterion.
#[derive(Debug, Clone, PartialEq)]
pub struct AhpNode {
    pub name: String,
    /// Pairwise comparisons of the children (row compared with column).
    pub pairwise: Vec<Vec<f64>>,
    pub children: AhpChildren,
}

/// Result of one node.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AhpNodeResult {
    /// Node name (the goal node is named by the caller, e.g. `"goal"`).
    pub name: String,
    /// Path from the goal, e.g. `["goal", "Cost"]`.
    pub path: Vec<String>,
    /// Names of what this node compares (criteria names, or the alternatives).
    pub compares: Vec<String>,
    /// Local priorities of the children (sum 1).
    pub priorities: Vec<f64>,
    /// Global weight of this node (product of local weights from the goal).
    pub global_weight: f64,
    pub lambda_max: Option<f64>,
    pub ci: Option<f64>,
    pub cr: Option<f64>,
}

/// Result of a whole hierarchy.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AhpResult {
    /// Global priority of each alternative (sum 1 in distributive mode).
    pub scores: Vec<f64>,
    /// Every node, goal first, depth-first.
    pub nodes: Vec<AhpNodeResult>,
    /// Global weights of the leaf criteria, depth-first order, with their names.
    pub leaf_weights: Vec<(String, f64)>,
    pub random_index_table: &'static str,
}

/// How leaf priorities are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Synthesis {
    /// Local priorities sum to 1 (default; what published examples use).
    #[default]
    Distributive,
    /// Each leaf's alternative priorities divided by their maximum.
    Ideal,
}

/// Evaluates an AHP hierarchy over `alternatives`.
///
/// # Errors
/// Any pairwise matrix of the wrong size, non-positive or non-reciprocal (named by node path).
pub fn evaluate(
    goal: &AhpNode,
    alternatives: &[String],
    table: RandomIndexTable,
    synthesis: Synthesis,
) -> Result<AhpResult, Error> {
    let mut result = AhpResult {
        scores: vec![0.0; alternatives.len()],
        nodes: Vec::new(),
        leaf_weights: Vec::new(),
        random_index_table: table.name(),
    };
    visit(goal, &[], 1.0, alternatives, table, synthesis, &mut result)?;
    Ok(result)
}

fn visit(
    node: &AhpNode,
    parent_path: &[String],
    global_weight: f64,
    alternatives: &[String],
    table: RandomIndexTable,
    synthesis: Synthesis,
    result: &mut AhpResult,
) -> Result<(), Error> {
    let mut path = parent_path.to_vec();
    path.push(node.name.clone());
    let key = if parent_path.is_empty() {
        "ahp.criteria_pairwise".to_owned()
    } else {
        format!("ahp.alternatives_pairwise.{}", node.name)
    };
    match &node.children {
        AhpChildren::Criteria(children) => {
            let key = if parent_path.is_empty() {
                key
            } else {
                format!("ahp.subcriteria.{}.pairwise", node.name)
            };
            if children.is_empty() {
                return Err(Error::value(
                    key,
                    "a criteria node needs at least one child",
                ));
            }
            if node.pairwise.len() != children.len() {
                return Err(Error::shape(
                    key,
                    format!("{0}×{0} matrix (one row per child)", children.len()),
                    format!("{} rows", node.pairwise.len()),
                ));
            }
            let local = pairwise_priorities(&node.pairwise, table, &key)?;
            result.nodes.push(AhpNodeResult {
                name: node.name.clone(),
                path: path.clone(),
                compares: children.iter().map(|child| child.name.clone()).collect(),
                priorities: local.priorities.clone(),
                global_weight,
                lambda_max: Some(local.lambda_max),
                ci: Some(local.ci),
                cr: local.cr,
            });
            for (child, priority) in children.iter().zip(&local.priorities) {
                visit(
                    child,
                    &path,
                    global_weight * priority,
                    alternatives,
                    table,
                    synthesis,
                    result,
                )?;
            }
        }
        AhpChildren::Alternatives | AhpChildren::Ratings { .. } => {
            let (mut priorities, lambda_max, ci, cr) = match &node.children {
                AhpChildren::Ratings { values, direction } => {
                    let key = format!("matrix[..][{}]", node.name);
                    if values.len() != alternatives.len() {
                        return Err(Error::shape(key, alternatives.len(), values.len()));
                    }
                    let column: Vec<Vec<f64>> = values.iter().map(|value| vec![*value]).collect();
                    let priorities = super::normalize::normalize_column(
                        &column,
                        0,
                        *direction,
                        super::Normalization::Sum,
                    )
                    .map_err(|_| Error::value(key, "AHP ratings need values > 0"))?;
                    (priorities, None, None, None)
                }
                _ => {
                    if node.pairwise.len() != alternatives.len() {
                        return Err(Error::shape(
                            key,
                            format!(
                                "{0}×{0} matrix (one row per alternative)",
                                alternatives.len()
                            ),
                            format!("{} rows", node.pairwise.len()),
                        ));
                    }
                    let local = pairwise_priorities(&node.pairwise, table, &key)?;
                    (
                        local.priorities,
                        Some(local.lambda_max),
                        Some(local.ci),
                        local.cr,
                    )
                }
            };
            result.nodes.push(AhpNodeResult {
                name: node.name.clone(),
                path,
                compares: alternatives.to_vec(),
                priorities: priorities.clone(),
                global_weight,
                lambda_max,
                ci,
                cr,
            });
            if synthesis == Synthesis::Ideal {
                let max = priorities.iter().copied().fold(0.0, f64::max);
                if max > 0.0 {
                    priorities.iter_mut().for_each(|priority| *priority /= max);
                }
            }
            for (score, priority) in result.scores.iter_mut().zip(&priorities) {
                *score += global_weight * priority;
            }
            result.leaf_weights.push((node.name.clone(), global_weight));
        }
    }
    Ok(())
}
