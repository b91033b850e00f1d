//! How robust a ranking is: one-at-a-time weight sweeps with proportional renormalisation,
//! rank-reversal checks (remove or add an alternative) and seeded Monte Carlo on weights.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::{normalized_weights, score, Method, Problem};
use crate::assess::rank_descending;
use crate::Error;

/// Number of grid steps of the weight sweep before crossings are refined by bisection.
pub const SWEEP_STEPS: usize = 1000;
/// Bisection stops when the bracket on the weight is narrower than this.
pub const CROSSING_TOLERANCE: f64 = 1e-10;

/// Weights with criterion `criterion_idx` set to `x` and the others scaled to keep their ratios:
/// `w_j' = w_j (1 − x)/(1 − w_k)`. If the others are all zero they share `1 − x` equally.
#[must_use]
pub fn reweighted(base_weights: &[f64], criterion_idx: usize, x: f64) -> Vec<f64> {
    let others: f64 = base_weights
        .iter()
        .enumerate()
        .filter(|(idx, _)| *idx != criterion_idx)
        .map(|(_, weight)| weight)
        .sum();
    #[allow(clippy::cast_precision_loss)]
    let n_others = (base_weights.len() - 1).max(1) as f64;
    base_weights
        .iter()
        .enumerate()
        .map(|(idx, weight)| {
            if idx == criterion_idx {
                x
            } else if others > 0.0 {
                weight * (1.0 - x) / others
            } else {
                (1.0 - x) / n_others
            }
        })
        .collect()
}

/// A weight at which the order of two alternatives changes.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Crossing {
    /// Weight of the swept criterion at the crossing.
    pub weight: f64,
    /// The alternative ahead just below `weight`.
    pub above_before: usize,
    /// The alternative ahead just above `weight`.
    pub above_after: usize,
    /// Whether the crossing changes the top-ranked alternative.
    pub changes_winner: bool,
    /// The alternatives ranked first just below and just above `weight`.
    pub winner_before: usize,
    pub winner_after: usize,
}

/// Sensitivity of the ranking to one criterion's weight.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct WeightSensitivity {
    pub criterion_idx: usize,
    /// The criterion's (normalised) current weight.
    pub current_weight: f64,
    /// Interval of this weight, containing the current one, over which the full ranking holds.
    pub ranking_interval: (f64, f64),
    /// Interval over which the current winner stays first.
    pub winner_interval: (f64, f64),
    /// Smallest absolute change of the weight that changes the winner (`None` if none in [0, 1]).
    pub smallest_change_to_flip_winner: Option<f64>,
    /// Every crossing in [0, 1], in increasing weight.
    pub crossings: Vec<Crossing>,
}

fn ranking_at(
    problem: &Problem,
    method: &Method,
    criterion_idx: usize,
    x: f64,
) -> Result<Vec<usize>, Error> {
    let weights = reweighted(&problem.weights, criterion_idx, x);
    let scores = score(&problem.with_weights(weights), method)?;
    Ok(rank_descending(&scores))
}

/// One-at-a-time sweep of every criterion weight over [0, 1] (grid of [`SWEEP_STEPS`], each change
/// refined by bisection to [`CROSSING_TOLERANCE`]).
///
/// For the weighted sum the scores are linear in the weight, so each bracket holds one crossing of
/// a pair; for other methods two crossings closer than one grid step can be missed.
///
/// # Errors
/// Whatever the method returns for some weight vector on the sweep.
pub fn weight_sensitivity(
    problem: &Problem,
    method: &Method,
) -> Result<Vec<WeightSensitivity>, Error> {
    problem.validate()?;
    let base_weights = normalized_weights(&problem.weights)?;
    let problem = problem.with_weights(base_weights.clone());
    let mut results = Vec::with_capacity(base_weights.len());
    for (criterion_idx, &current_weight) in base_weights.iter().enumerate() {
        let mut crossings = Vec::new();
        #[allow(clippy::cast_precision_loss)]
        let grid: Vec<f64> = (0..=SWEEP_STEPS)
            .map(|step| step as f64 / SWEEP_STEPS as f64)
            .collect();
        let mut previous = ranking_at(&problem, method, criterion_idx, grid[0])?;
        for window in grid.windows(2) {
            let next = ranking_at(&problem, method, criterion_idx, window[1])?;
            if next != previous {
                let (mut low, mut high) = (window[0], window[1]);
                let mut high_ranking = next.clone();
                while high - low > CROSSING_TOLERANCE {
                    let middle = 0.5 * (low + high);
                    let middle_ranking = ranking_at(&problem, method, criterion_idx, middle)?;
                    if middle_ranking == previous {
                        low = middle;
                    } else {
                        high = middle;
                        high_ranking = middle_ranking;
                    }
                }
                // Name the first pair whose relative order differs.
                let position_after: Vec<usize> = inverse(&high_ranking);
                let mut pair = (previous[0], high_ranking[0]);
                'search: for (rank, &a) in previous.iter().enumerate() {
                    for &b in &previous[rank + 1..] {
                        if position_after[a] > position_after[b] {
                            pair = (a, b);
                            break 'search;
                        }
                    }
                }
                crossings.push(Crossing {
                    weight: 0.5 * (low + high),
                    above_before: pair.0,
                    above_after: pair.1,
                    changes_winner: previous[0] != high_ranking[0],
                    winner_before: previous[0],
                    winner_after: high_ranking[0],
                });
            }
            previous = next;
        }
        let interval = |filter: &dyn Fn(&Crossing) -> bool| -> (f64, f64) {
            let lower = crossings
                .iter()
                .filter(|crossing| filter(crossing) && crossing.weight <= current_weight)
                .map(|crossing| crossing.weight)
                .fold(0.0, f64::max);
            let upper = crossings
                .iter()
                .filter(|crossing| filter(crossing) && crossing.weight > current_weight)
                .map(|crossing| crossing.weight)
                .fold(1.0, f64::min);
            (lower, upper)
        };
        let ranking_interval = interval(&|_| true);
        let winner_interval = interval(&|crossing| crossing.changes_winner);
        let smallest_change_to_flip_winner = crossings
            .iter()
            .filter(|crossing| crossing.changes_winner)
            .map(|crossing| (crossing.weight - current_weight).abs())
            .min_by(f64::total_cmp);
        results.push(WeightSensitivity {
            criterion_idx,
            current_weight,
            ranking_interval,
            winner_interval,
            smallest_change_to_flip_winner,
            crossings,
        });
    }
    Ok(results)
}

/// A winner is flagged fragile when some criterion's weight needs to move by no more than this
/// (absolute, on weights summing to 1) for another alternative to come first.
///
/// This is a chosen reporting threshold, not a published one: five percentage points of weight
/// is a smaller change than two analysts' weights for the same criterion commonly differ by.
pub const FRAGILE_WEIGHT_CHANGE: f64 = 0.05;

/// Where, along one criterion's weight, the current winner stops being first, and who takes over.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WinnerSwitch {
    pub criterion: String,
    /// The criterion's current (normalised) weight.
    pub weight: f64,
    /// Below this weight another alternative is first (`None`: the winner holds down to 0).
    pub lower: Option<f64>,
    /// Who is first just below `lower`.
    pub lower_winner: Option<String>,
    /// Above this weight another alternative is first (`None`: the winner holds up to 1).
    pub upper: Option<f64>,
    /// Who is first just above `upper`.
    pub upper_winner: Option<String>,
}

impl WinnerSwitch {
    /// The smallest absolute change of this weight that changes the winner, if any.
    #[must_use]
    pub fn nearest_change(&self) -> Option<f64> {
        [
            self.lower.map(|w| self.weight - w),
            self.upper.map(|w| w - self.weight),
        ]
        .into_iter()
        .flatten()
        .min_by(f64::total_cmp)
    }

    /// Whether a change of at most [`FRAGILE_WEIGHT_CHANGE`] changes the winner.
    #[must_use]
    pub fn is_fragile(&self) -> bool {
        self.nearest_change()
            .is_some_and(|change| change <= FRAGILE_WEIGHT_CHANGE)
    }
}

/// The weights at which the winner changes, one entry per criterion, from a
/// [`weight_sensitivity`] result; `criteria` and `alternatives` name the indices.
#[must_use]
pub fn winner_switches(
    sensitivities: &[WeightSensitivity],
    criteria: &[String],
    alternatives: &[String],
) -> Vec<WinnerSwitch> {
    let name = |idx: usize| alternatives.get(idx).cloned().unwrap_or_default();
    sensitivities
        .iter()
        .map(|item| {
            let winner_changes = item.crossings.iter().filter(|c| c.changes_winner);
            let lower = winner_changes
                .clone()
                .filter(|c| c.weight <= item.current_weight)
                .max_by(|a, b| a.weight.total_cmp(&b.weight));
            let upper = winner_changes
                .filter(|c| c.weight > item.current_weight)
                .min_by(|a, b| a.weight.total_cmp(&b.weight));
            WinnerSwitch {
                criterion: criteria
                    .get(item.criterion_idx)
                    .cloned()
                    .unwrap_or_default(),
                weight: item.current_weight,
                lower: lower.map(|c| c.weight),
                lower_winner: lower.map(|c| name(c.winner_before)),
                upper: upper.map(|c| c.weight),
                upper_winner: upper.map(|c| name(c.winner_after)),
            }
        })
        .collect()
}

fn inverse(ranking: &[usize]) -> Vec<usize> {
    let mut position = vec![0; ranking.len()];
    for (rank, &alternative_idx) in ranking.iter().enumerate() {
        position[alternative_idx] = rank;
    }
    position
}

/// A change in the relative order of two alternatives after the set of alternatives changed.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RankReversal {
    /// What was changed: `"remove"` or `"add"`.
    pub change: &'static str,
    /// The alternative removed or added (index in the original problem; added = `matrix.len()`).
    pub alternative_idx: usize,
    /// Pairs `(a, b)`, indices in the original problem, with `a` ahead of `b` before the change
    /// and behind after it.
    pub reversed_pairs: Vec<(usize, usize)>,
}

fn reversed_pairs(before: &[usize], after: &[usize], kept: &[usize]) -> Vec<(usize, usize)> {
    // `before` and `after` are rankings; `kept` maps indices of `after`'s problem to original ones.
    let original_after: Vec<usize> = after.iter().map(|&idx| kept[idx]).collect();
    let position_after = |alternative_idx: usize| {
        original_after
            .iter()
            .position(|&idx| idx == alternative_idx)
    };
    let mut pairs = Vec::new();
    for (rank, &a) in before.iter().enumerate() {
        for &b in &before[rank + 1..] {
            if let (Some(position_a), Some(position_b)) = (position_after(a), position_after(b)) {
                if position_a > position_b {
                    pairs.push((a, b));
                }
            }
        }
    }
    pairs
}

/// Removes each alternative in turn and, if given, adds `extra` (one row of criteria values);
/// reports every change in the relative order of the others. Ties keep input order, so a strict
/// reversal of two tied alternatives is not reported.
///
/// # Errors
/// Whatever the method returns on the reduced or extended problem.
pub fn rank_reversal(
    problem: &Problem,
    method: &Method,
    extra: Option<&[f64]>,
) -> Result<Vec<RankReversal>, Error> {
    let (n_alternatives, _) = problem.validate()?;
    let base_ranking = rank_descending(&score(problem, method)?);
    let mut reversals = Vec::new();
    if n_alternatives > 2 {
        for removed_idx in 0..n_alternatives {
            let reduced = problem.without_alternative(removed_idx);
            let ranking = rank_descending(&score(&reduced, method)?);
            let kept: Vec<usize> = (0..n_alternatives)
                .filter(|&idx| idx != removed_idx)
                .collect();
            let pairs = reversed_pairs(&base_ranking, &ranking, &kept);
            if !pairs.is_empty() {
                reversals.push(RankReversal {
                    change: "remove",
                    alternative_idx: removed_idx,
                    reversed_pairs: pairs,
                });
            }
        }
    }
    if let Some(extra_row) = extra {
        let mut extended = problem.clone();
        extended.matrix.push(extra_row.to_vec());
        let ranking = rank_descending(&score(&extended, method)?);
        let kept: Vec<usize> = (0..=n_alternatives).collect();
        let pairs = reversed_pairs(&base_ranking, &ranking, &kept);
        if !pairs.is_empty() {
            reversals.push(RankReversal {
                change: "add",
                alternative_idx: n_alternatives,
                reversed_pairs: pairs,
            });
        }
    }
    Ok(reversals)
}

/// A row that is worst on every criterion of `problem` (min of benefit, max of cost columns):
/// the classic dominated alternative for a rank-reversal test.
#[must_use]
pub fn dominated_alternative(problem: &Problem) -> Vec<f64> {
    problem
        .directions
        .iter()
        .enumerate()
        .map(|(criterion_idx, direction)| {
            let column = problem.matrix.iter().map(|row| row[criterion_idx]);
            match direction {
                super::Direction::Max => column.fold(f64::INFINITY, f64::min),
                super::Direction::Min => column.fold(f64::NEG_INFINITY, f64::max),
            }
        })
        .collect()
}

/// How weight vectors are drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WeightSampling {
    /// Uniform on the simplex (Dirichlet(1, …, 1)), ignoring the given weights (SMAA).
    UniformSimplex,
    /// Dirichlet centred on the given weights: `α_j = concentration · w_j` (larger = tighter).
    AroundWeights { concentration: f64 },
}

/// Settings of the weight Monte Carlo.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MonteCarloSettings {
    /// Number of weight samples (default 10,000).
    pub n_samples: usize,
    /// Master seed; sample `k` uses its own ChaCha8 stream `k`, so results do not depend on the
    /// number of threads.
    pub seed: u64,
    pub sampling: WeightSampling,
}

impl Default for MonteCarloSettings {
    fn default() -> Self {
        MonteCarloSettings {
            n_samples: 10_000,
            seed: 42,
            sampling: WeightSampling::UniformSimplex,
        }
    }
}

/// Rank acceptability from the weight Monte Carlo.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MonteCarloResult {
    pub n_samples: usize,
    /// `rank_acceptability[i][r]` = share of samples in which alternative `i` takes rank `r`
    /// (0 = first).
    pub rank_acceptability: Vec<Vec<f64>>,
    /// Mean score of each alternative.
    pub mean_scores: Vec<f64>,
    /// Samples the method could not score (e.g. TOPSIS undefined), excluded from the shares.
    pub n_failed: usize,
}

/// Gamma(shape, 1) by Marsaglia & Tsang (2000), with the `shape < 1` boost.
fn sample_gamma(rng: &mut ChaCha8Rng, shape: f64) -> f64 {
    if shape < 1.0 {
        let u: f64 = rng.gen::<f64>().max(f64::MIN_POSITIVE);
        return sample_gamma(rng, shape + 1.0) * u.powf(1.0 / shape);
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        // Standard normal by Box–Muller.
        let u1: f64 = rng.gen::<f64>().max(f64::MIN_POSITIVE);
        let u2: f64 = rng.gen();
        let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
        let v = (1.0 + c * z).powi(3);
        if v <= 0.0 {
            continue;
        }
        let u: f64 = rng.gen::<f64>().max(f64::MIN_POSITIVE);
        if u.ln() < 0.5 * z * z + d - d * v + d * v.ln() {
            return d * v;
        }
    }
}

/// Draws one weight vector for sample `sample_idx`.
#[must_use]
pub fn sample_weights(
    base_weights: &[f64],
    settings: &MonteCarloSettings,
    sample_idx: u64,
) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(settings.seed);
    rng.set_stream(sample_idx);
    let draws: Vec<f64> = base_weights
        .iter()
        .map(|weight| match settings.sampling {
            WeightSampling::UniformSimplex => -rng.gen::<f64>().max(f64::MIN_POSITIVE).ln(),
            WeightSampling::AroundWeights { concentration } => {
                let shape = (concentration * weight).max(1e-6);
                sample_gamma(&mut rng, shape)
            }
        })
        .collect();
    let sum: f64 = draws.iter().sum();
    if sum > 0.0 {
        draws.iter().map(|draw| draw / sum).collect()
    } else {
        base_weights.to_vec()
    }
}

/// Monte Carlo on weights: rank-acceptability indices (Lahdelma et al. SMAA), in parallel and
/// identical for any thread count.
///
/// # Errors
/// Invalid problem or settings (`n_samples` = 0, non-positive concentration).
pub fn weight_monte_carlo(
    problem: &Problem,
    method: &Method,
    settings: &MonteCarloSettings,
) -> Result<MonteCarloResult, Error> {
    let (n_alternatives, _) = problem.validate()?;
    if settings.n_samples == 0 || settings.n_samples > 10_000_000 {
        return Err(Error::value(
            "analysis.monte_carlo_samples",
            "must be between 1 and 10,000,000",
        ));
    }
    if let WeightSampling::AroundWeights { concentration } = settings.sampling {
        if !(concentration.is_finite() && concentration > 0.0) {
            return Err(Error::value("concentration", "must be a finite number > 0"));
        }
    }
    let base_weights = normalized_weights(&problem.weights)?;
    let outcomes: Vec<Option<Vec<f64>>> = (0..settings.n_samples)
        .into_par_iter()
        .map(|sample_idx| {
            let weights = sample_weights(&base_weights, settings, sample_idx as u64);
            score(&problem.with_weights(weights), method).ok()
        })
        .collect();
    let mut counts = vec![vec![0_usize; n_alternatives]; n_alternatives];
    let mut score_sums = vec![0.0; n_alternatives];
    let mut n_failed = 0;
    for outcome in &outcomes {
        match outcome {
            Some(scores) => {
                for (rank, &alternative_idx) in rank_descending(scores).iter().enumerate() {
                    counts[alternative_idx][rank] += 1;
                }
                for (sum, value) in score_sums.iter_mut().zip(scores) {
                    *sum += value;
                }
            }
            None => n_failed += 1,
        }
    }
    let n_ok = settings.n_samples - n_failed;
    #[allow(clippy::cast_precision_loss)]
    let denominator = n_ok.max(1) as f64;
    Ok(MonteCarloResult {
        n_samples: settings.n_samples,
        rank_acceptability: counts
            .iter()
            .map(|row| {
                #[allow(clippy::cast_precision_loss)]
                row.iter()
                    .map(|&count| count as f64 / denominator)
                    .collect()
            })
            .collect(),
        mean_scores: score_sums.iter().map(|sum| sum / denominator).collect(),
        n_failed,
    })
}
