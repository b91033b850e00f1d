//! Seeded Monte Carlo and one-at-a-time (tornado) sensitivity over any case input.
//!
//! "How sure are we?" is the second question after "what does a MWh cost?", and the answer
//! must be reproducible: sample i draws from a ChaCha8 stream keyed by (seed, i) alone, so the
//! same seed gives bit-identical results for any number of threads and any chunking.

use rand::RngCore;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::case::{Case, ParamId};
use crate::error::EconError;

/// A probability distribution of an input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "distribution", rename_all = "kebab-case")]
pub enum Distribution {
    Normal {
        mean: f64,
        sd: f64,
    },
    /// `exp(N(mu, sigma))`: `mu` and `sigma` of the logarithm (numpy's `lognormal`).
    LogNormal {
        mu: f64,
        sigma: f64,
    },
    Triangular {
        min: f64,
        mode: f64,
        max: f64,
    },
    /// Beta-PERT with shape `lambda` (4 is the classic PERT).
    Pert {
        min: f64,
        mode: f64,
        max: f64,
        lambda: f64,
    },
    Uniform {
        min: f64,
        max: f64,
    },
    /// Resampling of observed values (each equally likely).
    Empirical {
        values: Vec<f64>,
    },
}

/// How a drawn value is applied to the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Apply {
    /// The input takes the drawn value.
    #[default]
    Set,
    /// The input is multiplied by the drawn value (e.g. an overrun factor).
    Scale,
    /// The drawn value is added to the input.
    Add,
}

/// One uncertain input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UncertainInput {
    /// Input name, as in the case file.
    pub name: String,
    pub distribution: Distribution,
    pub apply: Apply,
}

/// Monte Carlo settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonteCarloSettings {
    pub samples: usize,
    pub seed: u64,
    /// Bins of the histogram (default 20).
    pub histogram_bins: usize,
}

/// Histogram of the LCOE samples: `counts[k]` samples in `[edges[k], edges[k+1])` (the last
/// bin includes its upper edge).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    pub edges: Vec<f64>,
    pub counts: Vec<usize>,
}

/// Monte Carlo summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonteCarloResult {
    pub samples: usize,
    pub seed: u64,
    /// Samples whose drawn inputs were invalid (e.g. a capacity factor above 1); excluded.
    pub failed: usize,
    /// The LCOE with every input at its base value.
    pub deterministic: f64,
    pub mean: f64,
    pub sd: f64,
    pub min: f64,
    pub max: f64,
    /// (percentile in %, value) for 1, 5, 10, 25, 50, 75, 90, 95, 99; linear interpolation
    /// between order statistics (numpy's default).
    pub percentiles: Vec<(f64, f64)>,
    pub histogram: Histogram,
    /// The valid samples, in sample order.
    pub values: Vec<f64>,
}

impl Distribution {
    /// Checks the parameters.
    ///
    /// # Errors
    /// Names the bad parameter.
    pub fn validate(&self, name: &str) -> Result<(), EconError> {
        let bad = |reason: &str| Err(EconError::invalid(name, reason.to_owned()));
        let finite = |values: &[f64]| values.iter().all(|value| value.is_finite());
        match self {
            Distribution::Normal { mean, sd } => {
                if !finite(&[*mean, *sd]) || *sd < 0.0 {
                    return bad("normal needs a finite `mean` and `sd` >= 0");
                }
            }
            Distribution::LogNormal { mu, sigma } => {
                if !finite(&[*mu, *sigma]) || *sigma < 0.0 {
                    return bad("lognormal needs a finite `mu` and `sigma` >= 0");
                }
            }
            Distribution::Triangular { min, mode, max } => {
                if !finite(&[*min, *mode, *max]) || !(min <= mode && mode <= max) {
                    return bad("triangular needs finite `min` <= `mode` <= `max`");
                }
            }
            Distribution::Pert {
                min,
                mode,
                max,
                lambda,
            } => {
                if !finite(&[*min, *mode, *max, *lambda])
                    || !(min <= mode && mode <= max)
                    || *lambda < 0.0
                {
                    return bad("pert needs finite `min` <= `mode` <= `max` and `lambda` >= 0");
                }
            }
            Distribution::Uniform { min, max } => {
                if !finite(&[*min, *max]) || min > max {
                    return bad("uniform needs finite `min` <= `max`");
                }
            }
            Distribution::Empirical { values } => {
                if values.is_empty() || !finite(values) {
                    return bad("empirical needs a non-empty list of finite `values`");
                }
            }
        }
        Ok(())
    }

    /// Draws one value.
    pub fn sample(&self, rng: &mut impl RngCore) -> f64 {
        match self {
            Distribution::Normal { mean, sd } => mean + sd * standard_normal(rng),
            Distribution::LogNormal { mu, sigma } => (mu + sigma * standard_normal(rng)).exp(),
            Distribution::Triangular { min, mode, max } => {
                triangular_quantile(*min, *mode, *max, open_unit(rng))
            }
            Distribution::Pert {
                min,
                mode,
                max,
                lambda,
            } => {
                let range = max - min;
                if range == 0.0 {
                    return *mode;
                }
                let alpha = 1.0 + lambda * (mode - min) / range;
                let beta = 1.0 + lambda * (max - mode) / range;
                let x = gamma(alpha, rng);
                let y = gamma(beta, rng);
                min + range * x / (x + y)
            }
            Distribution::Uniform { min, max } => min + (max - min) * open_unit(rng),
            Distribution::Empirical { values } => {
                #[allow(
                    clippy::cast_possible_truncation,
                    clippy::cast_sign_loss,
                    clippy::cast_precision_loss
                )]
                let idx = ((open_unit(rng) * values.len() as f64) as usize).min(values.len() - 1);
                values[idx]
            }
        }
    }

    /// Quantile `q` in (0, 1), where it has a closed form or a cheap numeric one.
    #[must_use]
    pub fn quantile(&self, q: f64) -> f64 {
        match self {
            Distribution::Normal { mean, sd } => mean + sd * inverse_normal_cdf(q),
            Distribution::LogNormal { mu, sigma } => (mu + sigma * inverse_normal_cdf(q)).exp(),
            Distribution::Triangular { min, mode, max } => {
                triangular_quantile(*min, *mode, *max, q)
            }
            Distribution::Pert {
                min,
                mode,
                max,
                lambda,
            } => {
                let range = max - min;
                if range == 0.0 {
                    return *mode;
                }
                let alpha = 1.0 + lambda * (mode - min) / range;
                let beta = 1.0 + lambda * (max - mode) / range;
                min + range * inverse_beta_cdf(q, alpha, beta)
            }
            Distribution::Uniform { min, max } => min + (max - min) * q,
            Distribution::Empirical { values } => {
                let mut sorted = values.clone();
                sorted.sort_by(f64::total_cmp);
                percentile_sorted(&sorted, q * 100.0)
            }
        }
    }
}

/// A uniform draw in (0, 1) from 53 random bits.
fn open_unit(rng: &mut impl RngCore) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    let bits = (rng.next_u64() >> 11) as f64;
    (bits + 0.5) / 9_007_199_254_740_992.0
}

fn standard_normal(rng: &mut impl RngCore) -> f64 {
    inverse_normal_cdf(open_unit(rng))
}

fn triangular_quantile(min: f64, mode: f64, max: f64, q: f64) -> f64 {
    let range = max - min;
    if range == 0.0 {
        return mode;
    }
    let split = (mode - min) / range;
    if q < split {
        min + (q * range * (mode - min)).sqrt()
    } else {
        max - ((1.0 - q) * range * (max - mode)).sqrt()
    }
}

/// Acklam's rational approximation of the standard normal quantile (relative error
/// < 1.2e-9), refined by one Halley step on `erfc`.
#[must_use]
pub fn inverse_normal_cdf(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    let p_low = 0.02425;
    if p < p_low {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - p_low {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    }
}

/// Gamma(shape, 1) by Marsaglia and Tsang (2000); shapes below 1 use the `u^(1/a)` boost.
fn gamma(shape: f64, rng: &mut impl RngCore) -> f64 {
    if shape < 1.0 {
        return gamma(shape + 1.0, rng) * open_unit(rng).powf(1.0 / shape);
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x = standard_normal(rng);
        let v = 1.0 + c * x;
        if v <= 0.0 {
            continue;
        }
        let v = v * v * v;
        let u = open_unit(rng);
        if u < 1.0 - 0.0331 * x * x * x * x || u.ln() < 0.5 * x * x + d * (1.0 - v + v.ln()) {
            return d * v;
        }
    }
}

fn ln_gamma(x: f64) -> f64 {
    // Lanczos approximation (g = 7, n = 9).
    const COEFFICIENTS: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = COEFFICIENTS[0];
    for (idx, coefficient) in COEFFICIENTS.iter().enumerate().skip(1) {
        #[allow(clippy::cast_precision_loss)]
        let term = coefficient / (x + idx as f64);
        sum += term;
    }
    let t = x + 7.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

/// Regularised incomplete beta function by Lentz's continued fraction.
fn incomplete_beta(x: f64, a: f64, b: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    if x > (a + 1.0) / (a + b + 2.0) {
        return 1.0 - incomplete_beta(1.0 - x, b, a);
    }
    let front =
        (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln()).exp() / a;
    let tiny = 1e-300;
    let mut f = 1.0;
    let mut c = 1.0;
    let mut d = 0.0;
    for i in 0..400 {
        let m = f64::from(i / 2);
        let numerator = if i == 0 {
            1.0
        } else if i % 2 == 0 {
            m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m))
        } else {
            -(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0))
        };
        d = 1.0 + numerator * d;
        if d.abs() < tiny {
            d = tiny;
        }
        d = 1.0 / d;
        c = 1.0 + numerator / c;
        if c.abs() < tiny {
            c = tiny;
        }
        let cd = c * d;
        f *= cd;
        if (1.0 - cd).abs() < 1e-14 {
            break;
        }
    }
    front * (f - 1.0)
}

fn inverse_beta_cdf(q: f64, a: f64, b: f64) -> f64 {
    let (mut lo, mut hi) = (0.0, 1.0);
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if incomplete_beta(mid, a, b) < q {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// Percentile `p` (0–100) of sorted values, linear interpolation (numpy's default).
#[must_use]
pub fn percentile_sorted(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    #[allow(clippy::cast_precision_loss)]
    let position = p / 100.0 * (sorted.len() - 1) as f64;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let lower = position.floor() as usize;
    let upper = (lower + 1).min(sorted.len() - 1);
    #[allow(clippy::cast_precision_loss)]
    let weight = position - lower as f64;
    sorted[lower] + (sorted[upper] - sorted[lower]) * weight
}

/// The stream of sample `sample_idx`: a ChaCha8 generator keyed by `seed`, stream = index.
fn sample_rng(base: &ChaCha8Rng, sample_idx: usize) -> ChaCha8Rng {
    let mut rng = base.clone();
    rng.set_stream(sample_idx as u64);
    rng.set_word_pos(0);
    rng
}

/// Resolved uncertain inputs.
struct Resolved<'a> {
    ids: Vec<ParamId>,
    base_values: Vec<f64>,
    inputs: &'a [UncertainInput],
}

fn resolve<'a>(case: &Case, inputs: &'a [UncertainInput]) -> Result<Resolved<'a>, EconError> {
    let mut ids = Vec::with_capacity(inputs.len());
    for input in inputs {
        input.distribution.validate(&input.name)?;
        ids.push(case.param_id(&input.name)?);
    }
    let base_values = ids.iter().map(|id| case.get(*id)).collect();
    Ok(Resolved {
        ids,
        base_values,
        inputs,
    })
}

fn apply(apply: Apply, base: f64, drawn: f64) -> f64 {
    match apply {
        Apply::Set => drawn,
        Apply::Scale => base * drawn,
        Apply::Add => base + drawn,
    }
}

/// Samples evaluated per rayon task; results do not depend on it.
const CHUNK: usize = 4096;

/// Runs the Monte Carlo: draws every uncertain input for each sample, evaluates the LCOE, and
/// summarises the valid samples. Uses the current rayon pool (install a pool to fix the
/// thread count); the result does not depend on the number of threads.
///
/// # Errors
/// An unknown input name, bad distribution parameters, an invalid base case, or no valid
/// sample.
pub fn monte_carlo(
    case: &Case,
    inputs: &[UncertainInput],
    settings: MonteCarloSettings,
) -> Result<MonteCarloResult, EconError> {
    let deterministic = case.lcoe()?;
    if settings.samples == 0 {
        return Err(EconError::input("samples", 0.0, "must be at least 1"));
    }
    let resolved = resolve(case, inputs)?;
    let base_rng = ChaCha8Rng::seed_from_u64(settings.seed);
    let n_chunks = settings.samples.div_ceil(CHUNK);
    let chunks: Vec<Vec<Option<f64>>> = (0..n_chunks)
        .into_par_iter()
        .map_init(
            || case.clone(),
            |work_case, chunk_idx| {
                let start = chunk_idx * CHUNK;
                let end = (start + CHUNK).min(settings.samples);
                (start..end)
                    .map(|sample_idx| {
                        let mut rng = sample_rng(&base_rng, sample_idx);
                        for (input_idx, input) in resolved.inputs.iter().enumerate() {
                            let drawn = input.distribution.sample(&mut rng);
                            let value = apply(input.apply, resolved.base_values[input_idx], drawn);
                            work_case.set(resolved.ids[input_idx], value);
                        }
                        work_case.lcoe().ok()
                    })
                    .collect()
            },
        )
        .collect();
    let values: Vec<f64> = chunks.into_iter().flatten().flatten().collect();
    let failed = settings.samples - values.len();
    if values.is_empty() {
        return Err(EconError::NoSolution(
            "every Monte Carlo sample had invalid inputs".to_owned(),
        ));
    }
    Ok(summarise(values, settings, failed, deterministic))
}

fn summarise(
    values: Vec<f64>,
    settings: MonteCarloSettings,
    failed: usize,
    deterministic: f64,
) -> MonteCarloResult {
    let mut sorted = values.clone();
    sorted.sort_by(f64::total_cmp);
    #[allow(clippy::cast_precision_loss)]
    let n = sorted.len() as f64;
    // Summed in sample order, so the result is independent of threads.
    let mean = values.iter().sum::<f64>() / n;
    let variance = if sorted.len() > 1 {
        values
            .iter()
            .map(|value| (value - mean).powi(2))
            .sum::<f64>()
            / (n - 1.0)
    } else {
        0.0
    };
    let min = sorted[0];
    let max = sorted[sorted.len() - 1];
    let percentiles = [1.0, 5.0, 10.0, 25.0, 50.0, 75.0, 90.0, 95.0, 99.0]
        .iter()
        .map(|p| (*p, percentile_sorted(&sorted, *p)))
        .collect();
    let bins = settings.histogram_bins.max(1);
    #[allow(clippy::cast_precision_loss)]
    let width = (max - min) / bins as f64;
    #[allow(clippy::cast_precision_loss)]
    let edges: Vec<f64> = (0..=bins).map(|idx| min + width * idx as f64).collect();
    let mut counts = vec![0usize; bins];
    for value in &sorted {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let idx = if width > 0.0 {
            ((value - min) / width) as usize
        } else {
            0
        };
        counts[idx.min(bins - 1)] += 1;
    }
    MonteCarloResult {
        samples: settings.samples,
        seed: settings.seed,
        failed,
        deterministic,
        mean,
        sd: variance.sqrt(),
        min,
        max,
        percentiles,
        histogram: Histogram { edges, counts },
        values,
    }
}

/// One input of a tornado, with its low and high values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TornadoInput {
    pub name: String,
    pub low: f64,
    pub high: f64,
}

/// One bar of a tornado.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TornadoBar {
    pub name: String,
    pub base_value: f64,
    pub low: f64,
    pub high: f64,
    pub lcoe_at_low: f64,
    pub lcoe_at_high: f64,
    /// |lcoe_at_high − lcoe_at_low|.
    pub swing: f64,
}

/// Tornado result: bars sorted by swing, largest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TornadoResult {
    pub base_lcoe_usd_per_mwh: f64,
    pub bars: Vec<TornadoBar>,
}

/// One-at-a-time sensitivity: each input is set to its low and its high value with all others
/// at base.
///
/// # Errors
/// An unknown input, or a low/high value that makes the case invalid (named).
pub fn tornado(case: &Case, inputs: &[TornadoInput]) -> Result<TornadoResult, EconError> {
    let base = case.lcoe()?;
    let mut bars = Vec::with_capacity(inputs.len());
    for input in inputs {
        let id = case.param_id(&input.name)?;
        let base_value = case.get(id);
        let evaluate = |value: f64| -> Result<f64, EconError> {
            let mut work_case = case.clone();
            work_case.set(id, value);
            work_case.lcoe()
        };
        let lcoe_at_low = evaluate(input.low)?;
        let lcoe_at_high = evaluate(input.high)?;
        bars.push(TornadoBar {
            name: input.name.clone(),
            base_value,
            low: input.low,
            high: input.high,
            lcoe_at_low,
            lcoe_at_high,
            swing: (lcoe_at_high - lcoe_at_low).abs(),
        });
    }
    bars.sort_by(|a, b| {
        b.swing
            .total_cmp(&a.swing)
            .then_with(|| a.name.cmp(&b.name))
    });
    Ok(TornadoResult {
        base_lcoe_usd_per_mwh: base,
        bars,
    })
}

/// Tornado inputs from uncertain inputs: each at its `low_quantile` and `1 − low_quantile`
/// (e.g. 0.1 for P10/P90), applied to the base value like the Monte Carlo draw.
///
/// # Errors
/// An unknown input or bad distribution parameters.
pub fn tornado_inputs_from_distributions(
    case: &Case,
    inputs: &[UncertainInput],
    low_quantile: f64,
) -> Result<Vec<TornadoInput>, EconError> {
    let resolved = resolve(case, inputs)?;
    Ok(inputs
        .iter()
        .enumerate()
        .map(|(idx, input)| {
            let base = resolved.base_values[idx];
            TornadoInput {
                name: input.name.clone(),
                low: apply(input.apply, base, input.distribution.quantile(low_quantile)),
                high: apply(
                    input.apply,
                    base,
                    input.distribution.quantile(1.0 - low_quantile),
                ),
            }
        })
        .collect())
}

/// [`monte_carlo`] on a dedicated pool of `threads` threads (`None`: rayon's default pool).
///
/// # Errors
/// As [`monte_carlo`], or when the thread pool cannot be created.
pub fn monte_carlo_on_threads(
    case: &Case,
    inputs: &[UncertainInput],
    settings: MonteCarloSettings,
    threads: Option<usize>,
) -> Result<MonteCarloResult, EconError> {
    match threads {
        None => monte_carlo(case, inputs, settings),
        Some(threads) => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads.max(1))
                .build()
                .map_err(|error| {
                    EconError::NoSolution(format!("cannot start {threads} threads: {error}"))
                })?;
            pool.install(|| monte_carlo(case, inputs, settings))
        }
    }
}
