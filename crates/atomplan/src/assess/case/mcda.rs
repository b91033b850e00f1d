//! The MCDA case file (`atomplan assess mcda --case FILE.toml`).
//!
//! ```toml
//! method = "topsis"            # "wsm", "topsis", "ahp", "promethee2"
//! alternatives = ["A1", "A2"]
//! normalization = "vector"     # optional: "vector", "min-max", "linear-max" (also "sum")
//! matrix = [[4, 4], [1, 5]]    # rows = alternatives, columns = criteria
//! [[criteria]]
//! name = "quality"
//! weight = 0.5
//! direction = "max"            # or "min"
//! preference = "linear"        # PROMETHEE only, with q, p, s as the function needs
//! q = 0.5
//! p = 2.0
//! ```
//!
//! AHP reads `[ahp] criteria_pairwise` and `[ahp.alternatives_pairwise]` (one matrix per criterion
//! name); a criterion without one is rated from its `matrix` column instead. Nested criteria go in
//! `[ahp.subcriteria.NAME]` with `criteria` (names) and `pairwise`.
//! Weights that do not sum to 1 are normalised and a warning is returned (not an error).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{matrix_values, parse_toml, NumberOrFraction};

#[cfg(test)]
mod tests;
use crate::assess::mcda::ahp::{self, AhpChildren, AhpNode, RandomIndexTable, Synthesis};
use crate::assess::mcda::sensitivity::{self, MonteCarloSettings, WeightSampling};
use crate::assess::mcda::{
    self, promethee, weights_sum_to_one, Direction, Method, Normalization, PreferenceFunction,
    Problem,
};
use crate::assess::rank_descending;
use crate::Error;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseWire {
    method: String,
    alternatives: Vec<String>,
    normalization: Option<String>,
    matrix: Option<Vec<Vec<NumberOrFraction>>>,
    #[serde(default)]
    criteria: Vec<CriterionWire>,
    ahp: Option<AhpWire>,
    analysis: Option<AnalysisWire>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CriterionWire {
    name: String,
    weight: Option<f64>,
    direction: Option<String>,
    preference: Option<String>,
    q: Option<f64>,
    p: Option<f64>,
    s: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AhpWire {
    criteria_pairwise: Vec<Vec<NumberOrFraction>>,
    #[serde(default)]
    alternatives_pairwise: BTreeMap<String, Vec<Vec<NumberOrFraction>>>,
    #[serde(default)]
    subcriteria: BTreeMap<String, SubcriteriaWire>,
    random_index: Option<String>,
    synthesis: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SubcriteriaWire {
    criteria: Vec<String>,
    pairwise: Vec<Vec<NumberOrFraction>>,
    direction: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AnalysisWire {
    #[serde(default)]
    weight_sensitivity: bool,
    #[serde(default)]
    rank_reversal: bool,
    monte_carlo_samples: Option<usize>,
    seed: Option<u64>,
    concentration: Option<f64>,
}

/// A validated MCDA case.
#[derive(Debug, Clone, PartialEq)]
pub struct McdaCase {
    pub alternatives: Vec<String>,
    pub criteria_names: Vec<String>,
    pub kind: McdaCaseKind,
    /// Requested robustness analyses (not for AHP).
    pub analysis: Analysis,
    /// Things the user should know (weights normalised, ignored fields).
    pub warnings: Vec<String>,
}

/// The method-specific part of a case.
#[derive(Debug, Clone, PartialEq)]
pub enum McdaCaseKind {
    /// Weighted sum, TOPSIS or PROMETHEE II on a decision matrix.
    Matrix { problem: Problem, method: Method },
    /// An AHP hierarchy.
    Ahp {
        goal: AhpNode,
        table: RandomIndexTable,
        synthesis: Synthesis,
    },
}

/// Optional robustness analyses of a case.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Analysis {
    pub weight_sensitivity: bool,
    pub rank_reversal: bool,
    pub monte_carlo: Option<MonteCarloSettings>,
}

fn parse_direction(text: Option<&str>, key: &str, required: bool) -> Result<Direction, Error> {
    match text.map(str::to_ascii_lowercase).as_deref() {
        Some("max" | "benefit") => Ok(Direction::Max),
        Some("min" | "cost") => Ok(Direction::Min),
        None if !required => Ok(Direction::Max),
        None => Err(Error::value(key, "missing; expected \"max\" or \"min\"")),
        Some(other) => Err(Error::value(
            key,
            format!("`{other}` is not \"max\" or \"min\""),
        )),
    }
}

fn check_unique(names: &[String], key: &str) -> Result<(), Error> {
    let mut seen = BTreeSet::new();
    for (idx, name) in names.iter().enumerate() {
        if name.trim().is_empty() {
            return Err(Error::value(format!("{key}[{idx}]"), "name is empty"));
        }
        if !seen.insert(name.as_str()) {
            return Err(Error::value(
                format!("{key}[{idx}]"),
                format!("duplicate name `{name}`"),
            ));
        }
    }
    Ok(())
}

/// Parses and validates an MCDA case file's text.
///
/// # Errors
/// Unknown keys, wrong shapes, unknown method/normalisation/preference function, missing
/// thresholds, non-reciprocal AHP matrices; each names the key.
pub fn parse_case(text: &str) -> Result<McdaCase, Error> {
    let wire: CaseWire = parse_toml(text)?;
    let mut warnings = Vec::new();
    check_unique(&wire.alternatives, "alternatives")?;
    if wire.alternatives.is_empty() {
        return Err(Error::value(
            "alternatives",
            "at least one alternative is needed",
        ));
    }
    let criteria_names: Vec<String> = wire
        .criteria
        .iter()
        .map(|criterion| criterion.name.clone())
        .collect();
    check_unique(&criteria_names, "criteria.name")?;
    let method_name = wire.method.to_ascii_lowercase().replace('_', "-");
    let n_alternatives = wire.alternatives.len();
    let n_criteria = wire.criteria.len();

    let matrix = match &wire.matrix {
        Some(matrix) => {
            let values = matrix_values(matrix, "matrix")?;
            if values.len() != n_alternatives {
                return Err(Error::shape(
                    "matrix",
                    format!("{n_alternatives} rows (one per alternative)"),
                    format!("{} rows", values.len()),
                ));
            }
            for (row_idx, row) in values.iter().enumerate() {
                if row.len() != n_criteria {
                    return Err(Error::shape(
                        format!("matrix[{row_idx}]"),
                        format!("{n_criteria} columns (one per [[criteria]])"),
                        format!("{} columns", row.len()),
                    ));
                }
                for (col_idx, value) in row.iter().enumerate() {
                    if !value.is_finite() {
                        return Err(Error::value(
                            format!("matrix[{row_idx}][{col_idx}]"),
                            "not a finite number",
                        ));
                    }
                }
            }
            Some(values)
        }
        None => None,
    };

    let analysis = match &wire.analysis {
        None => Analysis::default(),
        Some(analysis) => Analysis {
            weight_sensitivity: analysis.weight_sensitivity,
            rank_reversal: analysis.rank_reversal,
            monte_carlo: analysis
                .monte_carlo_samples
                .map(|n_samples| MonteCarloSettings {
                    n_samples,
                    seed: analysis.seed.unwrap_or(42),
                    sampling: match analysis.concentration {
                        Some(concentration) => WeightSampling::AroundWeights { concentration },
                        None => WeightSampling::UniformSimplex,
                    },
                }),
        },
    };

    if method_name == "ahp" {
        if wire.normalization.is_some() {
            warnings.push("`normalization` is ignored by AHP".to_owned());
        }
        if wire
            .criteria
            .iter()
            .any(|criterion| criterion.weight.is_some())
        {
            warnings.push(
                "`criteria.weight` is ignored by AHP: weights come from `ahp.criteria_pairwise`"
                    .to_owned(),
            );
        }
        if wire.analysis.is_some() {
            warnings.push("`analysis` is not available for AHP and is ignored".to_owned());
        }
        let ahp_wire = wire.ahp.as_ref().ok_or_else(|| {
            Error::value(
                "ahp",
                "method \"ahp\" needs an [ahp] table with `criteria_pairwise`",
            )
        })?;
        if n_criteria == 0 {
            return Err(Error::value(
                "criteria",
                "at least one [[criteria]] is needed",
            ));
        }
        let table = match &ahp_wire.random_index {
            None => RandomIndexTable::default(),
            Some(name) => RandomIndexTable::parse(name).ok_or_else(|| {
                Error::value(
                    "ahp.random_index",
                    format!(
                        "unknown table `{name}`; expected saaty1980, saaty-later or donegan-dodd"
                    ),
                )
            })?,
        };
        let synthesis = match ahp_wire.synthesis.as_deref() {
            None | Some("distributive") => Synthesis::Distributive,
            Some("ideal") => Synthesis::Ideal,
            Some(other) => {
                return Err(Error::value(
                    "ahp.synthesis",
                    format!("`{other}` is not \"distributive\" or \"ideal\""),
                ))
            }
        };
        let mut used_pairwise = BTreeSet::new();
        let mut used_subcriteria = BTreeSet::new();
        let context = AhpContext {
            wire: ahp_wire,
            criteria: &wire.criteria,
            matrix: matrix.as_ref(),
            n_alternatives,
        };
        let children = criteria_names
            .iter()
            .map(|name| context.node(name, None, 0, &mut used_pairwise, &mut used_subcriteria))
            .collect::<Result<Vec<_>, _>>()?;
        for name in ahp_wire.alternatives_pairwise.keys() {
            if !used_pairwise.contains(name) {
                return Err(Error::value(
                    format!("ahp.alternatives_pairwise.{name}"),
                    "no leaf criterion has this name",
                ));
            }
        }
        for name in ahp_wire.subcriteria.keys() {
            if !used_subcriteria.contains(name) {
                return Err(Error::value(
                    format!("ahp.subcriteria.{name}"),
                    "no criterion has this name",
                ));
            }
        }
        let goal = AhpNode {
            name: "goal".to_owned(),
            pairwise: matrix_values(&ahp_wire.criteria_pairwise, "ahp.criteria_pairwise")?,
            children: AhpChildren::Criteria(children),
        };
        return Ok(McdaCase {
            alternatives: wire.alternatives,
            criteria_names,
            kind: McdaCaseKind::Ahp {
                goal,
                table,
                synthesis,
            },
            analysis: Analysis::default(),
            warnings,
        });
    }

    if wire.ahp.is_some() {
        warnings.push(format!(
            "the [ahp] table is ignored by method \"{method_name}\""
        ));
    }
    if n_criteria == 0 {
        return Err(Error::value(
            "criteria",
            "at least one [[criteria]] is needed",
        ));
    }
    let matrix = matrix.ok_or_else(|| {
        Error::value("matrix", format!("method \"{method_name}\" needs `matrix`"))
    })?;
    let mut weights = Vec::with_capacity(n_criteria);
    let mut directions = Vec::with_capacity(n_criteria);
    for (criterion_idx, criterion) in wire.criteria.iter().enumerate() {
        let key = format!("criteria[{criterion_idx}]");
        let weight = criterion.weight.ok_or_else(|| {
            Error::value(
                format!("{key}.weight"),
                format!("missing for criterion `{}`", criterion.name),
            )
        })?;
        if !weight.is_finite() || weight < 0.0 {
            return Err(Error::value(
                format!("{key}.weight"),
                format!(
                    "must be a finite number >= 0, found {weight} (criterion `{}`)",
                    criterion.name
                ),
            ));
        }
        weights.push(weight);
        directions.push(parse_direction(
            criterion.direction.as_deref(),
            &format!("{key}.direction"),
            true,
        )?);
    }
    let weight_sum: f64 = weights.iter().sum();
    if weight_sum <= 0.0 {
        return Err(Error::value("criteria.weight", "weights sum to zero"));
    }
    if !weights_sum_to_one(&weights) {
        warnings.push(format!(
            "criteria weights sum to {weight_sum}, not 1; they were normalised (divided by their sum)"
        ));
        weights.iter_mut().for_each(|weight| *weight /= weight_sum);
    }
    let normalization = match &wire.normalization {
        None => None,
        Some(name) => Some(Normalization::parse(name).ok_or_else(|| {
            Error::value(
                "normalization",
                format!("unknown normalisation `{name}`; expected vector, min-max or linear-max"),
            )
        })?),
    };
    let has_preference = wire
        .criteria
        .iter()
        .any(|criterion| criterion.preference.is_some());
    let method = match method_name.as_str() {
        "wsm" | "weighted-sum" | "saw" => {
            Method::WeightedSum(normalization.unwrap_or(Normalization::LinearMax))
        }
        "topsis" => Method::Topsis(normalization.unwrap_or(Normalization::Vector)),
        "promethee2" | "promethee-ii" | "promethee" => {
            if normalization.is_some() {
                warnings.push("`normalization` is ignored by PROMETHEE II".to_owned());
            }
            let functions = wire
                .criteria
                .iter()
                .enumerate()
                .map(|(criterion_idx, criterion)| {
                    PreferenceFunction::from_parts(
                        criterion.preference.as_deref().unwrap_or("usual"),
                        criterion.q,
                        criterion.p,
                        criterion.s,
                        &format!("criteria[{criterion_idx}]"),
                    )
                })
                .collect::<Result<Vec<_>, _>>()?;
            Method::Promethee2(functions)
        }
        _ => {
            return Err(Error::value(
                "method",
                format!(
                    "unknown method `{}`; expected wsm, topsis, ahp or promethee2",
                    wire.method
                ),
            ))
        }
    };
    if has_preference && !matches!(method, Method::Promethee2(_)) {
        warnings
            .push("`criteria.preference` is used only by PROMETHEE II and is ignored".to_owned());
    }
    Ok(McdaCase {
        alternatives: wire.alternatives,
        criteria_names,
        kind: McdaCaseKind::Matrix {
            problem: Problem {
                matrix,
                weights,
                directions,
            },
            method,
        },
        analysis,
        warnings,
    })
}

struct AhpContext<'a> {
    wire: &'a AhpWire,
    criteria: &'a [CriterionWire],
    matrix: Option<&'a Vec<Vec<f64>>>,
    n_alternatives: usize,
}

impl AhpContext<'_> {
    fn node(
        &self,
        name: &str,
        inherited_direction: Option<&str>,
        depth: usize,
        used_pairwise: &mut BTreeSet<String>,
        used_subcriteria: &mut BTreeSet<String>,
    ) -> Result<AhpNode, Error> {
        if depth > 32 {
            return Err(Error::value(
                format!("ahp.subcriteria.{name}"),
                "hierarchy deeper than 32 levels (a cycle?)",
            ));
        }
        if let Some(sub) = self.wire.subcriteria.get(name) {
            used_subcriteria.insert(name.to_owned());
            let key = format!("ahp.subcriteria.{name}");
            check_unique(&sub.criteria, &format!("{key}.criteria"))?;
            let direction = sub.direction.as_deref().or(inherited_direction);
            let children = sub
                .criteria
                .iter()
                .map(|child| {
                    self.node(child, direction, depth + 1, used_pairwise, used_subcriteria)
                })
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(AhpNode {
                name: name.to_owned(),
                pairwise: matrix_values(&sub.pairwise, &format!("{key}.pairwise"))?,
                children: AhpChildren::Criteria(children),
            });
        }
        if let Some(pairwise) = self.wire.alternatives_pairwise.get(name) {
            used_pairwise.insert(name.to_owned());
            let key = format!("ahp.alternatives_pairwise.{name}");
            return Ok(AhpNode {
                name: name.to_owned(),
                pairwise: matrix_values(pairwise, &key)?,
                children: AhpChildren::Alternatives,
            });
        }
        // Rate the alternatives from the criterion's matrix column (top-level criteria only).
        let criterion_idx = self
            .criteria
            .iter()
            .position(|criterion| criterion.name == name);
        match (criterion_idx, self.matrix) {
            (Some(criterion_idx), Some(matrix)) => {
                let criterion = &self.criteria[criterion_idx];
                let direction = parse_direction(
                    criterion.direction.as_deref().or(inherited_direction),
                    &format!("criteria[{criterion_idx}].direction"),
                    false,
                )?;
                let values: Vec<f64> = matrix.iter().map(|row| row[criterion_idx]).collect();
                debug_assert_eq!(values.len(), self.n_alternatives);
                Ok(AhpNode {
                    name: name.to_owned(),
                    pairwise: Vec::new(),
                    children: AhpChildren::Ratings { values, direction },
                })
            }
            _ => Err(Error::value(
                format!("ahp.alternatives_pairwise.{name}"),
                format!("missing: criterion `{name}` needs a pairwise matrix of the alternatives (or a `matrix` column)"),
            )),
        }
    }
}

/// Result of an MCDA case, ready to serialise as the CLI's JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct McdaReport {
    pub method: String,
    /// Normalisation used (weighted sum and TOPSIS).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub normalization: Option<String>,
    /// Alternative name → score (closeness, net flow or global priority).
    pub scores: BTreeMap<String, f64>,
    /// Alternative names, best first.
    pub ranking: Vec<String>,
    /// Criterion name → weight used (normalised; AHP: global weight of each leaf criterion).
    pub criteria_weights: BTreeMap<String, f64>,
    /// AHP: λmax, CI, CR of the top criteria matrix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lambda_max: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ci: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cr: Option<f64>,
    /// AHP: every node with its priorities and consistency.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub nodes: Vec<NodeReport>,
    /// AHP: node name (`goal` for the criteria matrix) → λmax, CI and CR of its pairwise matrix.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub consistency: BTreeMap<String, Consistency>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub random_index: Option<String>,
    /// PROMETHEE: φ+ and φ− by alternative.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub positive_flows: Option<BTreeMap<String, f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub negative_flows: Option<BTreeMap<String, f64>>,
    /// PROMETHEE I: one line per pair, `"A outranks B"`, `"A indifferent to B"` or
    /// `"A incomparable with B"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub promethee1: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight_sensitivity: Option<Vec<SensitivityReport>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank_reversal: Option<Vec<ReversalReport>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monte_carlo: Option<MonteCarloReport>,
    pub warnings: Vec<String>,
}

/// One AHP node in the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeReport {
    pub node: String,
    pub path: Vec<String>,
    /// Child name → local priority.
    pub priorities: BTreeMap<String, f64>,
    pub global_weight: f64,
    pub lambda_max: Option<f64>,
    pub ci: Option<f64>,
    pub cr: Option<f64>,
}

/// λmax, CI and CR of one pairwise matrix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Consistency {
    pub lambda_max: f64,
    pub ci: f64,
    pub cr: Option<f64>,
}

/// Weight sensitivity of one criterion in the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SensitivityReport {
    pub criterion: String,
    pub weight: f64,
    pub ranking_holds: [f64; 2],
    pub winner_holds: [f64; 2],
    pub smallest_change_to_flip_winner: Option<f64>,
    pub crossings: Vec<CrossingReport>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrossingReport {
    pub weight: f64,
    pub ahead_before: String,
    pub ahead_after: String,
    pub changes_winner: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReversalReport {
    pub change: String,
    pub alternative: String,
    pub reversed_pairs: Vec<[String; 2]>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonteCarloReport {
    pub samples: usize,
    pub seed: u64,
    /// Alternative → share of samples at rank 1, 2, ….
    pub rank_acceptability: BTreeMap<String, Vec<f64>>,
    pub mean_scores: BTreeMap<String, f64>,
    pub failed_samples: usize,
}

/// Runs a parsed case.
///
/// # Errors
/// Whatever the method returns (e.g. TOPSIS undefined, non-reciprocal AHP matrix).
pub fn run_case(case: &McdaCase) -> Result<McdaReport, Error> {
    let names = &case.alternatives;
    let by_name = |values: &[f64]| -> BTreeMap<String, f64> {
        names.iter().cloned().zip(values.iter().copied()).collect()
    };
    let mut warnings = case.warnings.clone();
    match &case.kind {
        McdaCaseKind::Ahp {
            goal,
            table,
            synthesis,
        } => {
            let result = ahp::evaluate(goal, names, *table, *synthesis)?;
            let ranking = rank_descending(&result.scores)
                .into_iter()
                .map(|idx| names[idx].clone())
                .collect();
            let nodes: Vec<NodeReport> = result
                .nodes
                .iter()
                .map(|node| NodeReport {
                    node: node.name.clone(),
                    path: node.path.clone(),
                    priorities: node
                        .compares
                        .iter()
                        .cloned()
                        .zip(node.priorities.iter().copied())
                        .collect(),
                    global_weight: node.global_weight,
                    lambda_max: node.lambda_max,
                    ci: node.ci,
                    cr: node.cr,
                })
                .collect();
            for node in &nodes {
                if let Some(cr) = node.cr {
                    if cr > 0.10 {
                        warnings.push(format!(
                            "AHP node `{}` has CR = {cr:.3} > 0.10: revise its judgments",
                            node.path.join("/")
                        ));
                    }
                } else if node.lambda_max.is_some() {
                    warnings.push(format!(
                        "AHP node `{}` has more than 15 items: no random index, CR not computed",
                        node.path.join("/")
                    ));
                }
            }
            let consistency = nodes
                .iter()
                .filter_map(|node| {
                    Some((
                        node.node.clone(),
                        Consistency {
                            lambda_max: node.lambda_max?,
                            ci: node.ci?,
                            cr: node.cr,
                        },
                    ))
                })
                .collect();
            let top = &result.nodes[0];
            Ok(McdaReport {
                method: "ahp".to_owned(),
                normalization: None,
                scores: by_name(&result.scores),
                ranking,
                criteria_weights: result.leaf_weights.iter().cloned().collect(),
                lambda_max: top.lambda_max,
                ci: top.ci,
                cr: top.cr,
                nodes,
                consistency,
                random_index: Some(result.random_index_table.to_owned()),
                positive_flows: None,
                negative_flows: None,
                promethee1: None,
                weight_sensitivity: None,
                rank_reversal: None,
                monte_carlo: None,
                warnings,
            })
        }
        McdaCaseKind::Matrix { problem, method } => {
            let (method_name, normalization, scores, flows) = match method {
                Method::WeightedSum(normalization) => (
                    "wsm",
                    Some(normalization.name().to_owned()),
                    mcda::wsm::weighted_sum(problem, *normalization)?,
                    None,
                ),
                Method::Topsis(normalization) => (
                    "topsis",
                    Some(normalization.name().to_owned()),
                    mcda::topsis::topsis(problem, *normalization)?,
                    None,
                ),
                Method::Promethee2(functions) => {
                    let result = promethee::promethee2(problem, functions)?;
                    ("promethee2", None, result.net_flows.clone(), Some(result))
                }
            };
            let ranking = rank_descending(&scores)
                .into_iter()
                .map(|idx| names[idx].clone())
                .collect();
            let weight_sensitivity = if case.analysis.weight_sensitivity {
                Some(
                    sensitivity::weight_sensitivity(problem, method)?
                        .into_iter()
                        .map(|item| SensitivityReport {
                            criterion: case.criteria_names[item.criterion_idx].clone(),
                            weight: item.current_weight,
                            ranking_holds: [item.ranking_interval.0, item.ranking_interval.1],
                            winner_holds: [item.winner_interval.0, item.winner_interval.1],
                            smallest_change_to_flip_winner: item.smallest_change_to_flip_winner,
                            crossings: item
                                .crossings
                                .iter()
                                .map(|crossing| CrossingReport {
                                    weight: crossing.weight,
                                    ahead_before: names[crossing.above_before].clone(),
                                    ahead_after: names[crossing.above_after].clone(),
                                    changes_winner: crossing.changes_winner,
                                })
                                .collect(),
                        })
                        .collect(),
                )
            } else {
                None
            };
            let rank_reversal = if case.analysis.rank_reversal {
                let dominated = sensitivity::dominated_alternative(problem);
                Some(
                    sensitivity::rank_reversal(problem, method, Some(&dominated))?
                        .into_iter()
                        .map(|item| ReversalReport {
                            change: item.change.to_owned(),
                            alternative: names.get(item.alternative_idx).cloned().unwrap_or_else(
                                || "dominated (worst on every criterion)".to_owned(),
                            ),
                            reversed_pairs: item
                                .reversed_pairs
                                .iter()
                                .map(|(a, b)| [names[*a].clone(), names[*b].clone()])
                                .collect(),
                        })
                        .collect(),
                )
            } else {
                None
            };
            let monte_carlo = match &case.analysis.monte_carlo {
                Some(settings) => {
                    let result = sensitivity::weight_monte_carlo(problem, method, settings)?;
                    Some(MonteCarloReport {
                        samples: result.n_samples,
                        seed: settings.seed,
                        rank_acceptability: names
                            .iter()
                            .cloned()
                            .zip(result.rank_acceptability)
                            .collect(),
                        mean_scores: by_name(&result.mean_scores),
                        failed_samples: result.n_failed,
                    })
                }
                None => None,
            };
            Ok(McdaReport {
                method: method_name.to_owned(),
                normalization,
                scores: by_name(&scores),
                ranking,
                criteria_weights: case
                    .criteria_names
                    .iter()
                    .cloned()
                    .zip(problem.weights.iter().copied())
                    .collect(),
                lambda_max: None,
                ci: None,
                cr: None,
                nodes: Vec::new(),
                consistency: BTreeMap::new(),
                random_index: None,
                promethee1: flows
                    .as_ref()
                    .map(|result| promethee1_relations(result, names)),
                positive_flows: flows.as_ref().map(|result| by_name(&result.positive_flows)),
                negative_flows: flows.as_ref().map(|result| by_name(&result.negative_flows)),
                weight_sensitivity,
                rank_reversal,
                monte_carlo,
                warnings,
            })
        }
    }
}

fn promethee1_relations(result: &promethee::PrometheeResult, names: &[String]) -> Vec<String> {
    use std::cmp::Ordering;
    let mut relations = Vec::new();
    for a in 0..names.len() {
        for b in a + 1..names.len() {
            let (first, second) = (&names[a], &names[b]);
            relations.push(match result.promethee1(a, b) {
                Some(Ordering::Greater) => format!("{first} outranks {second}"),
                Some(Ordering::Less) => format!("{second} outranks {first}"),
                Some(Ordering::Equal) => format!("{first} indifferent to {second}"),
                None => format!("{first} incomparable with {second}"),
            });
        }
    }
    relations
}
