//! Seeded Monte Carlo and one-at-a-time (tornado) sensitivity over any case input.
//!
//! "How sure are we?" is the second question after "what does a MWh cost?", and the answer
//! must be reproducible: samples are drawn in fixed blocks of [`BLOCK`], and in block b input
//! k is drawn for the block's samples, in order, from its own generator keyed by (seed, b, k)
//! alone ([`SampleRng::for_block`]). So the same seed gives bit-identical results for any
//! number of threads, the first k samples of a run are the same whatever the total, and adding
//! an input leaves the draws of the others unchanged.
//!
//! Decision: the generator is xoshiro256++ seeded through SplitMix64 from a hash of the key
//! ([`SampleRng`]), not a ChaCha8 stream. A fresh ChaCha8 stream per sample was measured at
//! about 270 ns (rand_chacha computes four blocks per refill, SSE2 only), three times the cost
//! of the whole LCOE evaluation; xoshiro256++ costs about 1 ns a draw and passes BigCrush, and
//! SplitMix64 is its authors' recommended seeder.
//!
//! Decision: one generator per block and input rather than per sample (seeding cost six
//! SplitMix64 rounds a sample), and a column of draws per input, so each distribution's loop
//! is chosen once per column and the ATB formula is evaluated over columns, four samples side
//! by side in vector registers.
//! Measured in `bench/econ_mc_numpy.py` (see `docs/benchmarks.md`).

use rand::RngCore;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::atb::{
    atb_fcr_lanes, atb_finance_unchecked, atb_lcoe_lanes, AtbInputs, ATB_FIELDS, GROUP,
};
use crate::case::{Case, ParamId};
use crate::error::{check::Rule, EconError};

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

/// The most samples one run takes: every sample's LCOE is kept (8 bytes each, 800 MB here).
pub const MAX_SAMPLES: usize = 100_000_000;
/// The most histogram bins.
pub const MAX_HISTOGRAM_BINS: usize = 100_000;

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
                if !finite(&[*min, *mode, *max]) || min > mode || mode > max {
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
                    || min > mode
                    || mode > max
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
        Sampler::new(self).sample(rng)
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
#[inline(always)]
fn open_unit(rng: &mut impl RngCore) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    let bits = (rng.next_u64() >> 11) as f64;
    (bits + 0.5) / 9_007_199_254_740_992.0
}

/// A distribution with its per-draw constants computed once (PERT shapes, gamma constants,
/// triangular split), so the per-sample work is only the draw.
#[derive(Debug, Clone, Copy)]
enum Sampler<'a> {
    Constant(f64),
    Normal {
        mean: f64,
        sd: f64,
    },
    LogNormal {
        mu: f64,
        sigma: f64,
    },
    /// Triangular with `split = (mode − min)/(max − min)`, `low = (max − min)(mode − min)`
    /// and `high = (max − min)(max − mode)` precomputed.
    Triangular {
        min: f64,
        max: f64,
        split: f64,
        low: f64,
        high: f64,
    },
    Pert {
        min: f64,
        range: f64,
        alpha: Gamma,
        beta: Gamma,
    },
    Uniform {
        min: f64,
        width: f64,
    },
    Empirical(&'a [f64]),
}

impl<'a> Sampler<'a> {
    fn new(distribution: &'a Distribution) -> Self {
        match distribution {
            Distribution::Normal { mean, sd } => Sampler::Normal {
                mean: *mean,
                sd: *sd,
            },
            Distribution::LogNormal { mu, sigma } => Sampler::LogNormal {
                mu: *mu,
                sigma: *sigma,
            },
            Distribution::Triangular { min, mode, max } => {
                if max - min == 0.0 {
                    Sampler::Constant(*mode)
                } else {
                    let range = max - min;
                    Sampler::Triangular {
                        min: *min,
                        max: *max,
                        split: (mode - min) / range,
                        low: range * (mode - min),
                        high: range * (max - mode),
                    }
                }
            }
            Distribution::Pert {
                min,
                mode,
                max,
                lambda,
            } => {
                let range = max - min;
                if range == 0.0 {
                    return Sampler::Constant(*mode);
                }
                Sampler::Pert {
                    min: *min,
                    range,
                    alpha: Gamma::new(1.0 + lambda * (mode - min) / range),
                    beta: Gamma::new(1.0 + lambda * (max - mode) / range),
                }
            }
            Distribution::Uniform { min, max } => Sampler::Uniform {
                min: *min,
                width: max - min,
            },
            Distribution::Empirical { values } => Sampler::Empirical(values),
        }
    }

    /// Fills `out` with draws, in order: the same values as calling [`Sampler::sample`] once
    /// per slot, with the choice of distribution made once for the whole column.
    fn fill(&self, rng: &mut SampleRng, out: &mut [f64]) {
        macro_rules! fill {
            ($draw:expr) => {
                for slot in out.iter_mut() {
                    *slot = $draw;
                }
            };
        }
        let zig = ziggurat();
        match *self {
            Sampler::Constant(value) => out.fill(value),
            Sampler::Normal { mean, sd } => fill!(mean + sd * normal_with(zig, rng)),
            Sampler::LogNormal { mu, sigma } => {
                fill!((mu + sigma * normal_with(zig, rng)).exp());
            }
            Sampler::Triangular {
                min,
                max,
                split,
                low,
                high,
            } => fill!(triangular(rng, min, max, split, low, high)),
            Sampler::Pert {
                min,
                range,
                alpha,
                beta,
            } => fill!({
                let x = alpha.sample_with(zig, rng);
                let y = beta.sample_with(zig, rng);
                min + range * x / (x + y)
            }),
            Sampler::Uniform { min, width } => fill!(min + width * open_unit(rng)),
            Sampler::Empirical(_) => fill!(self.sample(rng)),
        }
    }

    #[inline(always)]
    fn sample(&self, rng: &mut impl RngCore) -> f64 {
        match *self {
            Sampler::Constant(value) => value,
            Sampler::Normal { mean, sd } => mean + sd * standard_normal(rng),
            Sampler::LogNormal { mu, sigma } => (mu + sigma * standard_normal(rng)).exp(),
            Sampler::Triangular {
                min,
                max,
                split,
                low,
                high,
            } => triangular(rng, min, max, split, low, high),
            Sampler::Pert {
                min,
                range,
                alpha,
                beta,
            } => {
                let x = alpha.sample(rng);
                let y = beta.sample(rng);
                min + range * x / (x + y)
            }
            Sampler::Uniform { min, width } => min + width * open_unit(rng),
            Sampler::Empirical(values) => {
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
}

/// A triangular draw by inversion, with one square root and no branch on the side of the mode
/// (the side is a coin flip the processor cannot predict).
#[inline(always)]
fn triangular(rng: &mut impl RngCore, min: f64, max: f64, split: f64, low: f64, high: f64) -> f64 {
    let q = open_unit(rng);
    let below = q < split;
    let root = if below { q * low } else { (1.0 - q) * high }.sqrt();
    if below {
        min + root
    } else {
        max - root
    }
}

/// Layers of the ziggurat.
const ZIGGURAT_LAYERS: usize = 128;
/// Start of the tail and area of each layer for 128 layers (Marsaglia and Tsang 2000;
/// Doornik 2005, "An improved ziggurat method to generate normal random samples").
const ZIGGURAT_R: f64 = 3.442_619_855_899;
const ZIGGURAT_V: f64 = 9.912_563_035_262_17e-3;

/// Layer edges `x` and ratios `x[i+1]/x[i]` of the standard normal ziggurat.
struct Ziggurat {
    x: [f64; ZIGGURAT_LAYERS + 1],
    ratio: [f64; ZIGGURAT_LAYERS],
}

fn ziggurat() -> &'static Ziggurat {
    static TABLES: std::sync::OnceLock<Ziggurat> = std::sync::OnceLock::new();
    TABLES.get_or_init(|| {
        let mut x = [0.0; ZIGGURAT_LAYERS + 1];
        let mut f = (-0.5 * ZIGGURAT_R * ZIGGURAT_R).exp();
        x[0] = ZIGGURAT_V / f;
        x[1] = ZIGGURAT_R;
        for idx in 2..ZIGGURAT_LAYERS {
            x[idx] = (-2.0 * (ZIGGURAT_V / x[idx - 1] + f).ln()).sqrt();
            f = (-0.5 * x[idx] * x[idx]).exp();
        }
        let mut ratio = [0.0; ZIGGURAT_LAYERS];
        for idx in 0..ZIGGURAT_LAYERS {
            ratio[idx] = x[idx + 1] / x[idx];
        }
        Ziggurat { x, ratio }
    })
}

/// A standard normal draw by the ziggurat method (Doornik's ZIGNOR variant): one 64-bit draw
/// and one comparison in about 98.8 % of cases, exact (rejection) in the others.
/// Decision: this replaced the inverse-CDF draw, which cost a rational function (and a
/// logarithm in the tails) per draw and was the largest part of the Monte Carlo time.
#[inline]
fn standard_normal(rng: &mut impl RngCore) -> f64 {
    normal_with(ziggurat(), rng)
}

/// [`standard_normal`] with the tables fetched once by the caller.
#[inline(always)]
fn normal_with(zig: &Ziggurat, rng: &mut impl RngCore) -> f64 {
    loop {
        let bits = rng.next_u64();
        let layer = (bits & 0x7f) as usize;
        #[allow(clippy::cast_precision_loss)]
        let u = (bits >> 11) as f64 * (2.0 / 9_007_199_254_740_992.0) - 1.0;
        if u.abs() < zig.ratio[layer] {
            return u * zig.x[layer];
        }
        if layer == 0 {
            // The tail beyond R (Marsaglia 1964).
            loop {
                let x = open_unit(rng).ln() / ZIGGURAT_R;
                let y = open_unit(rng).ln();
                if -2.0 * y >= x * x {
                    return if u < 0.0 {
                        x - ZIGGURAT_R
                    } else {
                        ZIGGURAT_R - x
                    };
                }
            }
        }
        let x = u * zig.x[layer];
        let f0 = (-0.5 * (zig.x[layer] * zig.x[layer] - x * x)).exp();
        let f1 = (-0.5 * (zig.x[layer + 1] * zig.x[layer + 1] - x * x)).exp();
        if f1 + open_unit(rng) * (f0 - f1) < 1.0 {
            return x;
        }
    }
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

/// Gamma(shape, 1) by Marsaglia and Tsang (2000) with its constants precomputed; shapes
/// below 1 use the `u^(1/a)` boost.
#[derive(Debug, Clone, Copy)]
struct Gamma {
    d: f64,
    c: f64,
    /// `1/shape` when shape < 1 (boosted), else 0.
    boost: f64,
}

impl Gamma {
    fn new(shape: f64) -> Self {
        let (shape, boost) = if shape < 1.0 {
            (shape + 1.0, 1.0 / shape)
        } else {
            (shape, 0.0)
        };
        let d = shape - 1.0 / 3.0;
        Gamma {
            d,
            c: 1.0 / (9.0 * d).sqrt(),
            boost,
        }
    }

    #[inline(always)]
    fn sample(self, rng: &mut impl RngCore) -> f64 {
        self.sample_with(ziggurat(), rng)
    }

    /// [`Gamma::sample`] with the normal tables fetched once by the caller.
    #[inline(always)]
    fn sample_with(self, zig: &Ziggurat, rng: &mut impl RngCore) -> f64 {
        let Gamma { d, c, boost } = self;
        let value = loop {
            let x = normal_with(zig, rng);
            let v = 1.0 + c * x;
            if v <= 0.0 {
                continue;
            }
            let v = v * v * v;
            let u = open_unit(rng);
            let x2 = x * x;
            if u < 1.0 - 0.0331 * x2 * x2 || accept_without_logs(u, v, x2, d) {
                break d * v;
            }
            if u.ln() < 0.5 * x2 + d * (1.0 - v + v.ln()) {
                break d * v;
            }
        };
        if boost > 0.0 {
            value * open_unit(rng).powf(boost)
        } else {
            value
        }
    }
}

/// Whether the Marsaglia–Tsang test `ln u < x²/2 + d(1 − v + ln v)` holds, decided without
/// logarithms where bounds suffice: `ln u ≤ 2(u − 1)/(u + 1)` for `0 < u ≤ 1`, and
/// `ln v ≥ 2(v − 1)/(v + 1)` for `v ≥ 1`, `ln v ≥ (v − 1/v)/2` for `0 < v ≤ 1`. If the upper
/// bound of the left side is below the lower bound of the right side (d > 0), the exact test
/// holds too, so the draw is the same; otherwise the caller evaluates the logarithms.
/// Decision: this settles most of the draws the squeeze leaves (about one gamma draw in ten
/// for PERT shapes), which cost two `ln` calls each.
#[inline(always)]
pub(crate) fn accept_without_logs(u: f64, v: f64, x2: f64, d: f64) -> bool {
    let ln_u_at_most = 2.0 * (u - 1.0) / (u + 1.0);
    let ln_v_at_least = if v >= 1.0 {
        2.0 * (v - 1.0) / (v + 1.0)
    } else {
        0.5 * (v - 1.0 / v)
    };
    ln_u_at_most < 0.5 * x2 + d * (1.0 - v + ln_v_at_least)
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

/// SplitMix64's output function (Steele, Lea and Flood 2014).
#[inline(always)]
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The generator of one Monte Carlo sample: xoshiro256++ (Blackman and Vigna 2019) whose state
/// is four SplitMix64 outputs started from a hash of (seed, sample index).
#[derive(Debug, Clone)]
pub struct SampleRng {
    state: [u64; 4],
}

impl SampleRng {
    /// The generator of sample `sample_idx` of a run seeded with `seed`.
    #[must_use]
    #[inline(always)]
    pub fn new(seed: u64, sample_idx: u64) -> Self {
        const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut splitmix = mix64(seed ^ 0x6A09_E667_F3BC_C909)
            ^ mix64(sample_idx.wrapping_mul(GOLDEN).wrapping_add(GOLDEN));
        let mut state = [0u64; 4];
        for word in &mut state {
            splitmix = splitmix.wrapping_add(GOLDEN);
            *word = mix64(splitmix);
        }
        SampleRng { state }
    }
}

impl SampleRng {
    /// The generator of input `input_idx` in block `block_idx` (see [`BLOCK`]) of a run seeded
    /// with `seed`: [`SampleRng::new`] with the stream `block_idx·2^16 + input_idx` (distinct
    /// for fewer than 65,536 inputs).
    #[must_use]
    #[inline]
    pub fn for_block(seed: u64, block_idx: u64, input_idx: u64) -> Self {
        SampleRng::new(seed, (block_idx << 16).wrapping_add(input_idx))
    }
}

impl RngCore for SampleRng {
    fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }

    #[inline(always)]
    fn next_u64(&mut self) -> u64 {
        let [s0, s1, s2, s3] = &mut self.state;
        let result = s0.wrapping_add(*s3).rotate_left(23).wrapping_add(*s0);
        let t = *s1 << 17;
        *s2 ^= *s0;
        *s3 ^= *s1;
        *s1 ^= *s2;
        *s0 ^= *s3;
        *s2 ^= t;
        *s3 = s3.rotate_left(45);
        result
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for chunk in dest.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
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

#[inline(always)]
fn apply(apply: Apply, base: f64, drawn: f64) -> f64 {
    match apply {
        Apply::Set => drawn,
        Apply::Scale => base * drawn,
        Apply::Add => base + drawn,
    }
}

/// The ATB evaluation of a Monte Carlo over columns of drawn inputs: one range check per drawn
/// input, the fixed charge rate of the base case when no financing input is drawn, and the
/// formula evaluated for groups of samples side by side ([`atb_fcr_lanes`],
/// [`atb_lcoe_lanes`]). Gives the same
/// value as [`Case::lcoe`], bit for bit, and a value that is not finite where it fails.
struct AtbFast {
    /// Column in [`AtbInputs::values`] and rule of each drawn input.
    drawn: Vec<(usize, Rule)>,
    /// The base value of every input, one tile long each, for the inputs not drawn.
    base_tiles: Vec<Vec<f64>>,
    /// The fixed charge rate of the base case when no financing input is drawn.
    fixed_fcr: Option<f64>,
    /// Depreciation fractions of the base case (depreciation is not a drawn input).
    fractions: Vec<f64>,
}

/// Samples per evaluation tile of the ATB fast path (the base-value columns are a tile long).
const TILE: usize = 256;

impl AtbFast {
    fn new(case: &Case, inputs: &[UncertainInput]) -> Option<Self> {
        let Case::Atb(base) = case else {
            return None;
        };
        let drawn = inputs
            .iter()
            .map(|input| {
                Some((
                    AtbInputs::field_index(&input.name)?,
                    AtbInputs::field_rule(&input.name)?,
                ))
            })
            .collect::<Option<Vec<_>>>()?;
        let fixed_fcr = if inputs
            .iter()
            .any(|input| AtbInputs::is_financing_field(&input.name))
        {
            None
        } else {
            let finance = atb_finance_unchecked(base);
            Some(finance.crf * finance.pff)
        };
        Some(AtbFast {
            drawn,
            base_tiles: base
                .values()
                .iter()
                .map(|value| vec![*value; TILE])
                .collect(),
            fixed_fcr,
            fractions: base.depreciation.fractions().into_owned(),
        })
    }

    /// The LCOE of each sample of a block into `out`, from the drawn columns (`drawn[k·BLOCK..]`
    /// holds input k of the block's samples); not finite where a drawn input breaks its rule.
    ///
    /// Decision: an invalid drawn value is replaced by NaN in its column, one vectorised pass
    /// per drawn input; every input enters the formula through arithmetic that propagates NaN
    /// (no comparison, minimum or maximum swallows it), so the sample's LCOE is NaN and counts
    /// as failed, without a check per sample. A test compares every value and failure with
    /// [`Case::lcoe`].
    fn evaluate(&self, drawn: &mut [f64], out: &mut [f64]) {
        for (k, (_, rule)) in self.drawn.iter().enumerate() {
            mark_invalid(*rule, &mut drawn[k * BLOCK..k * BLOCK + out.len()]);
        }
        for tile_start in (0..out.len()).step_by(TILE) {
            let n = TILE.min(out.len() - tile_start);
            let out = &mut out[tile_start..tile_start + n];
            let mut cols: [&[f64]; ATB_FIELDS] = std::array::from_fn(|c| &self.base_tiles[c][..n]);
            for (k, (column, _)) in self.drawn.iter().enumerate() {
                cols[*column] = &drawn[k * BLOCK + tile_start..][..n];
            }
            let mut groups = out.chunks_exact_mut(GROUP);
            for (group_idx, group) in (&mut groups).enumerate() {
                let values = self.lanes::<GROUP>(&cols, group_idx * GROUP);
                group.copy_from_slice(&values);
            }
            let rest = groups.into_remainder();
            let rest_start = n - rest.len();
            for (offset, slot) in rest.iter_mut().enumerate() {
                *slot = self.lanes::<1>(&cols, rest_start + offset)[0];
            }
        }
    }

    /// The LCOE of samples `start..start + W` of a tile.
    #[inline(always)]
    fn lanes<const W: usize>(&self, cols: &[&[f64]; ATB_FIELDS], start: usize) -> [f64; W] {
        let fcr = match self.fixed_fcr {
            Some(fixed) => [fixed; W],
            None => atb_fcr_lanes::<W>(cols, start, &self.fractions),
        };
        atb_lcoe_lanes::<W>(cols, start, fcr)
    }
}

/// Replaces the values that break `rule` by NaN, with the rule chosen outside the loop so it
/// vectorises.
fn mark_invalid(rule: Rule, values: &mut [f64]) {
    macro_rules! mark {
        ($rule:expr) => {
            for value in values.iter_mut() {
                *value = if $rule.holds(*value) {
                    *value
                } else {
                    f64::NAN
                };
            }
        };
    }
    match rule {
        Rule::Finite => mark!(Rule::Finite),
        Rule::Rate => mark!(Rule::Rate),
        Rule::NonNegative => mark!(Rule::NonNegative),
        Rule::Positive => mark!(Rule::Positive),
        Rule::Fraction => mark!(Rule::Fraction),
        Rule::CapacityFactor => mark!(Rule::CapacityFactor),
        Rule::TaxRate => mark!(Rule::TaxRate),
    }
}

/// Samples per block. Block `b` of a run (samples `b·BLOCK ..`) draws input `k` for its samples
/// in sample order from its own generator, [`SampleRng::for_block`]`(seed, b, k)`. Part of the
/// reproducibility contract: changing it changes every sampled value.
pub const BLOCK: usize = 2048;

/// Draws input `k` of the samples of block `block_idx` into `out` (one value per sample), with
/// the input's `apply` rule and base value.
#[inline]
fn draw_column(
    sampler: &Sampler,
    apply_rule: Apply,
    base: f64,
    rng: &mut SampleRng,
    out: &mut [f64],
) {
    sampler.fill(rng, out);
    match apply_rule {
        Apply::Set => {}
        Apply::Scale => out.iter_mut().for_each(|value| *value *= base),
        Apply::Add => out.iter_mut().for_each(|value| *value += base),
    }
}

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
    monte_carlo_with(case, inputs, settings, true)
}

/// [`monte_carlo`], with the ATB fast path switched off when `fast` is false (tests compare the
/// two).
pub(crate) fn monte_carlo_with(
    case: &Case,
    inputs: &[UncertainInput],
    settings: MonteCarloSettings,
    fast: bool,
) -> Result<MonteCarloResult, EconError> {
    let deterministic = case.lcoe()?;
    if settings.samples == 0 {
        return Err(EconError::input("samples", 0.0, "must be at least 1"));
    }
    if settings.samples > MAX_SAMPLES {
        return Err(EconError::input(
            "samples",
            settings.samples as f64,
            format!("must be at most {MAX_SAMPLES}"),
        ));
    }
    if settings.histogram_bins > MAX_HISTOGRAM_BINS {
        return Err(EconError::input(
            "histogram_bins",
            settings.histogram_bins as f64,
            format!("must be at most {MAX_HISTOGRAM_BINS}"),
        ));
    }
    let resolved = resolve(case, inputs)?;
    let samplers: Vec<Sampler> = inputs
        .iter()
        .map(|input| Sampler::new(&input.distribution))
        .collect();
    let width = samplers.len();
    // Every block of samples: draw each input's column from the block's generators (`drawn[k]`
    // holds input k), then evaluate. Every sample writes its own slot (NaN when its drawn
    // inputs are invalid), so the order of the values never depends on the scheduling.
    let draw_block = |block_idx: usize, len: usize, drawn: &mut Vec<f64>| {
        drawn.resize(BLOCK * width, 0.0);
        for (k, sampler) in samplers.iter().enumerate() {
            let mut rng = SampleRng::for_block(settings.seed, block_idx as u64, k as u64);
            draw_column(
                sampler,
                resolved.inputs[k].apply,
                resolved.base_values[k],
                &mut rng,
                &mut drawn[k * BLOCK..k * BLOCK + len],
            );
        }
    };
    // Zeroed memory comes from fresh pages without a pass over them; every slot is written.
    let mut values = vec![0.0; settings.samples];
    let atb = if fast {
        AtbFast::new(case, inputs)
    } else {
        None
    };
    // Each block also returns the count, sum, minimum and maximum of its valid values, combined
    // in block order below: no separate pass, and no dependence on the threads.
    let blocks: Vec<BlockStats> = if let Some(fast) = atb {
        values
            .par_chunks_mut(BLOCK)
            .enumerate()
            .map_init(Vec::new, |drawn, (block_idx, slots)| {
                draw_block(block_idx, slots.len(), drawn);
                fast.evaluate(drawn, slots);
                BlockStats::of(slots)
            })
            .collect()
    } else {
        values
            .par_chunks_mut(BLOCK)
            .enumerate()
            .map_init(
                || (Vec::new(), case.clone()),
                |(drawn, work_case), (block_idx, slots)| {
                    draw_block(block_idx, slots.len(), drawn);
                    for (offset, slot) in slots.iter_mut().enumerate() {
                        for (k, id) in resolved.ids.iter().enumerate() {
                            work_case.set(*id, drawn[k * BLOCK + offset]);
                        }
                        *slot = work_case.lcoe().unwrap_or(f64::NAN);
                    }
                    BlockStats::of(slots)
                },
            )
            .collect()
    };
    let stats = BlockStats::combine(&blocks);
    let failed = settings.samples - stats.count;
    if stats.count == 0 {
        return Err(EconError::NoSolution(
            "every Monte Carlo sample had invalid inputs".to_owned(),
        ));
    }
    if failed > 0 {
        values.retain(|value| value.is_finite());
    }
    Ok(summarise(values, stats, settings, failed, deterministic))
}

/// Lanes of the fixed-pattern sums: value `i` of a block goes to lane `i % LANES`, so the sums
/// vectorise and still do not depend on the threads.
const LANES: usize = 8;

/// Count, sum, minimum and maximum of the valid (finite) values of one block of samples.
#[derive(Debug, Clone, Copy)]
struct BlockStats {
    count: usize,
    sum: f64,
    min: f64,
    max: f64,
}

impl BlockStats {
    /// The statistics of the finite values of `values`; the sum adds value `i` to lane
    /// `i % LANES` and then the lanes in order.
    fn of(values: &[f64]) -> Self {
        let mut count = [0u32; LANES];
        let mut sum = [-0.0f64; LANES];
        let mut min = [f64::INFINITY; LANES];
        let mut max = [f64::NEG_INFINITY; LANES];
        let mut rows = values.chunks_exact(LANES);
        for row in &mut rows {
            for lane in 0..LANES {
                let value = row[lane];
                let finite = value.is_finite();
                count[lane] += u32::from(finite);
                // −0 leaves every sum unchanged; ±∞ leave min and max unchanged.
                sum[lane] += if finite { value } else { -0.0 };
                let low = if finite { value } else { f64::INFINITY };
                let high = if finite { value } else { f64::NEG_INFINITY };
                min[lane] = if low < min[lane] { low } else { min[lane] };
                max[lane] = if high > max[lane] { high } else { max[lane] };
            }
        }
        for (lane, value) in rows.remainder().iter().enumerate() {
            if value.is_finite() {
                count[lane] += 1;
                sum[lane] += value;
                min[lane] = min[lane].min(*value);
                max[lane] = max[lane].max(*value);
            }
        }
        BlockStats {
            count: count.iter().map(|lane| *lane as usize).sum(),
            sum: sum.iter().fold(-0.0, |total, lane| total + lane),
            min: min.iter().fold(f64::INFINITY, |low, lane| low.min(*lane)),
            max: max
                .iter()
                .fold(f64::NEG_INFINITY, |high, lane| high.max(*lane)),
        }
    }

    /// The statistics of consecutive blocks, combined in block order.
    fn combine(blocks: &[BlockStats]) -> Self {
        blocks.iter().fold(
            BlockStats {
                count: 0,
                sum: -0.0,
                min: f64::INFINITY,
                max: f64::NEG_INFINITY,
            },
            |total, block| BlockStats {
                count: total.count + block.count,
                sum: total.sum + block.sum,
                min: total.min.min(block.min),
                max: total.max.max(block.max),
            },
        )
    }
}

/// Values per task of the summary passes; results do not depend on it or on the threads.
const SUMMARY_CHUNK: usize = 1 << 16;

/// Buckets (at least) of the order-statistics pre-pass: their counts (16 KiB) stay in the L1
/// cache while every value increments one, and a wanted bucket holds about n/4096 values.
const BUCKETS: usize = 1 << 12;

/// Equal-width slots between `min` and `max`: the slot index is monotone in the value.
#[derive(Debug, Clone, Copy)]
struct Slots {
    min: f64,
    scale: f64,
    last: usize,
}

impl Slots {
    fn new(min: f64, max: f64, count: usize) -> Self {
        #[allow(clippy::cast_precision_loss)]
        let scale = if max > min {
            count as f64 / (max - min)
        } else {
            0.0
        };
        Slots {
            min,
            scale,
            last: count - 1,
        }
    }

    #[inline(always)]
    fn of(self, value: f64) -> usize {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let slot = ((value - self.min) * self.scale) as usize;
        slot.min(self.last)
    }
}

/// Order statistics `ranks` (ascending, distinct, below `values.len()`) of `values`, given the
/// counts per bucket of `buckets`.
///
/// Decision: one counting pass over equal-width buckets between the minimum and the maximum
/// (the bucket index is monotone in the value, so the k-th smallest value lies in the bucket
/// where the running count passes k), then a selection among the few values of the wanted
/// buckets only, instead of successive selections over a copy of all the values. Exact, O(n).
/// The counting is fused with the histogram and the variance ([`summarise`]).
fn order_statistics(values: &[f64], ranks: &[usize], buckets: Slots, counts: &[usize]) -> Vec<f64> {
    // For each rank: its bucket and its rank within the bucket.
    let mut wanted = Vec::with_capacity(ranks.len());
    let mut below = 0usize;
    let mut bucket_idx = 0usize;
    for rank in ranks {
        while below + counts[bucket_idx] <= *rank {
            below += counts[bucket_idx];
            bucket_idx += 1;
        }
        wanted.push((bucket_idx, rank - below));
    }
    // Slot of each wanted bucket in the member lists.
    // At most 18 ranks, so at most 18 wanted buckets: a byte per bucket (4 KiB, in L1).
    let mut slot = vec![u8::MAX; counts.len()];
    let mut wanted_buckets = 0u8;
    for (bucket_idx, _) in &wanted {
        if slot[*bucket_idx] == u8::MAX {
            slot[*bucket_idx] = wanted_buckets;
            wanted_buckets += 1;
        }
    }
    // The members of the wanted buckets, gathered per chunk in parallel and joined in order.
    let parts: Vec<Vec<Vec<f64>>> = values
        .par_chunks(SUMMARY_CHUNK)
        .map(|chunk| {
            let mut members = vec![Vec::new(); wanted_buckets as usize];
            for value in chunk {
                let member_slot = slot[buckets.of(*value)];
                if member_slot != u8::MAX {
                    members[member_slot as usize].push(*value);
                }
            }
            members
        })
        .collect();
    let mut members: Vec<Vec<f64>> = vec![Vec::new(); wanted_buckets as usize];
    for part in parts {
        for (all, some) in members.iter_mut().zip(part) {
            all.extend(some);
        }
    }
    wanted
        .iter()
        .map(|(bucket_idx, rank_in_bucket)| {
            let bucket_values = &mut members[slot[*bucket_idx] as usize];
            let (_, nth, _) = bucket_values.select_nth_unstable_by(*rank_in_bucket, f64::total_cmp);
            *nth
        })
        .collect()
}

/// Percentiles (0–100) with linear interpolation (numpy's default), by selection.
fn percentiles_by_selection(
    values: &[f64],
    percentiles: &[f64],
    buckets: Slots,
    counts: &[usize],
) -> Vec<f64> {
    let n = values.len();
    let positions: Vec<(usize, usize, f64)> = percentiles
        .iter()
        .map(|p| {
            #[allow(clippy::cast_precision_loss)]
            let position = p / 100.0 * (n - 1) as f64;
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let lower = position.floor() as usize;
            #[allow(clippy::cast_precision_loss)]
            let weight = position - lower as f64;
            (lower, (lower + 1).min(n - 1), weight)
        })
        .collect();
    let mut ranks: Vec<usize> = positions
        .iter()
        .flat_map(|(lower, upper, _)| [*lower, *upper])
        .collect();
    ranks.sort_unstable();
    ranks.dedup();
    let statistics = order_statistics(values, &ranks, buckets, counts);
    let at = |rank: usize| statistics[ranks.binary_search(&rank).unwrap_or(0)];
    positions
        .iter()
        .map(|(lower, upper, weight)| at(*lower) + (at(*upper) - at(*lower)) * weight)
        .collect()
}

/// The summary of the valid `values` (in sample order), whose count, sum, minimum and maximum
/// are `stats` (gathered while evaluating, [`BlockStats`]).
fn summarise(
    values: Vec<f64>,
    stats: BlockStats,
    settings: MonteCarloSettings,
    failed: usize,
    deterministic: f64,
) -> MonteCarloResult {
    #[allow(clippy::cast_precision_loss)]
    let n = values.len() as f64;
    let BlockStats { sum, min, max, .. } = stats;
    let mean = sum / n;
    let bins = settings.histogram_bins.max(1);
    #[allow(clippy::cast_precision_loss)]
    let width = (max - min) / bins as f64;
    #[allow(clippy::cast_precision_loss)]
    let edges: Vec<f64> = (0..=bins).map(|idx| min + width * idx as f64).collect();
    // Decision: the order-statistics buckets split each histogram bin into `per_bin` equal
    // parts, so the histogram is the sum of its buckets' counts and needs no pass of its own
    // (a value's bin is `floor(bucket / per_bin)` instead of `floor((value − min)/width)`, the
    // same up to the rounding of a value within an ulp of an edge).
    let per_bin = BUCKETS.div_ceil(bins);
    let buckets = Slots::new(min, max, bins * per_bin);
    // One pass for the order-statistics buckets and the variance. Chunks are fixed by the
    // number of values and combined in order; counts are integers.
    let chunks: Vec<(Vec<u32>, f64)> = values
        .par_chunks(SUMMARY_CHUNK)
        .map(|chunk| {
            let mut counts = vec![0u32; bins * per_bin];
            for value in chunk {
                counts[buckets.of(*value)] += 1;
            }
            let mut squares = [-0.0f64; LANES];
            let mut rows = chunk.chunks_exact(LANES);
            for row in &mut rows {
                for lane in 0..LANES {
                    squares[lane] += (row[lane] - mean) * (row[lane] - mean);
                }
            }
            for (lane, value) in rows.remainder().iter().enumerate() {
                squares[lane] += (value - mean) * (value - mean);
            }
            (
                counts,
                squares.iter().fold(-0.0, |total, lane| total + lane),
            )
        })
        .collect();
    let mut bucket_counts = vec![0usize; bins * per_bin];
    let mut squares = -0.0;
    for (chunk_counts, chunk_squares) in &chunks {
        for (total, count) in bucket_counts.iter_mut().zip(chunk_counts) {
            *total += *count as usize;
        }
        squares += chunk_squares;
    }
    let counts: Vec<usize> = bucket_counts
        .chunks_exact(per_bin)
        .map(|bin| bin.iter().sum())
        .collect();
    let variance = if values.len() > 1 {
        squares / (n - 1.0)
    } else {
        0.0
    };
    const PERCENTILES: [f64; 9] = [1.0, 5.0, 10.0, 25.0, 50.0, 75.0, 90.0, 95.0, 99.0];
    let percentile_values =
        percentiles_by_selection(&values, &PERCENTILES, buckets, &bucket_counts);
    let percentiles = PERCENTILES.iter().copied().zip(percentile_values).collect();
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
