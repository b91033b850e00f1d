//! Finance primitives with numpy-financial's conventions.
//!
//! Every model in this crate is built on these few functions, and they are tested against
//! numpy-financial 1.0's documented values so that results can be cross-checked in Python.
//! Sign convention (numpy-financial's): cash received is positive, cash paid is negative.
//! `npv` does not discount the first value (it sits at t = 0); Excel's `NPV()` does, and
//! [`npv_with`] offers both.

use serde::{Deserialize, Serialize};

use crate::error::{check, EconError};

/// When payments fall within each period (numpy-financial's `when`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum When {
    /// At the end of each period (`when='end'`, 0).
    #[default]
    End,
    /// At the beginning of each period (`when='begin'`, 1).
    Begin,
}

impl When {
    fn weight(self) -> f64 {
        match self {
            When::End => 0.0,
            When::Begin => 1.0,
        }
    }
}

/// Whether the first value of a cash-flow vector is discounted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FirstPeriod {
    /// `values[0]` sits at t = 0 and is not discounted (numpy-financial `npv`).
    #[default]
    Undiscounted,
    /// `values[0]` sits at t = 1 (Excel `NPV()`).
    Discounted,
}

/// Net present value, numpy-financial convention: `Σ_t values[t] / (1 + rate)^t`, t from 0.
///
/// `rate` must be greater than -1 for a meaningful answer; at `rate = 0` this is the plain sum.
/// An empty vector gives 0.
#[must_use]
pub fn npv(rate: f64, values: &[f64]) -> f64 {
    // Horner in the discount factor keeps one division and is exact for rate = 0.
    let discount = 1.0 / (1.0 + rate);
    values
        .iter()
        .rev()
        .fold(0.0, |acc, value| acc * discount + value)
}

/// Net present value with an explicit convention for the first value.
#[must_use]
pub fn npv_with(rate: f64, values: &[f64], first_period: FirstPeriod) -> f64 {
    match first_period {
        FirstPeriod::Undiscounted => npv(rate, values),
        FirstPeriod::Discounted => npv(rate, values) / (1.0 + rate),
    }
}

/// Capital recovery factor `r / (1 − (1 + r)^−n)`, equal to `−pmt(r, n, 1)`.
///
/// At `r = 0` it is `1 / n`. `n` may be fractional; `n ≤ 0` gives infinity.
#[must_use]
pub fn crf(rate: f64, n_periods: f64) -> f64 {
    crf_lanes([rate], [n_periods])[0]
}

/// Whole numbers of periods up to which [`crf`] raises `1 + r` to the power by squaring.
const SQUARING_MAX_PERIODS: f64 = 1024.0;
/// Rates from which (in absolute value) [`crf`] raises `1 + r` to the power by squaring; below
/// it the rounding of `1 + r` would cost more than 1e-13 of relative accuracy.
const SQUARING_MIN_RATE: f64 = 1e-3;

/// Whether [`crf`] raises `1 + rate` to the whole power `n_periods` by squaring.
#[inline(always)]
fn by_squaring(rate: f64, n_periods: f64) -> bool {
    rate.abs() >= SQUARING_MIN_RATE && whole_period(n_periods)
}

/// A whole number of periods in [1, 1024] (compared through an integer, as `fract` would
/// call the C library's `trunc` on processors without SSE4.1 rounding).
#[inline(always)]
fn whole_period(n_periods: f64) -> bool {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let whole = n_periods as u32;
    (1.0..=SQUARING_MAX_PERIODS).contains(&n_periods) && f64::from(whole) == n_periods
}

/// [`crf`] of `W` lanes at once: `crf_lanes(rates, periods)[l] == crf(rates[l], periods[l])`
/// bit for bit, for any `W`.
///
/// Decision: with a whole number of periods (the usual case) and a rate not close to 0,
/// `(1 + r)^n = P` comes from repeated squaring, then `r·P/(P − 1)`: a few multiplications
/// and one division that vectorise over the lanes of a group of Monte Carlo samples, instead
/// of a `ln_1p` and an `exp` per sample (relative error a few 1e-16 times log2 n, against 1e-6
/// needed by the published cases; tested against the logarithm). Otherwise
/// `−expm1(−n·ln(1 + r))`, accurate for small r and fractional n. Each lane performs the same
/// operations whatever `W` is, so scalar and grouped results are the same bits.
#[inline(always)]
pub(crate) fn crf_lanes<const W: usize>(rates: [f64; W], periods: [f64; W]) -> [f64; W] {
    let first_period = periods[0];
    let mut uniform = whole_period(first_period);
    for lane in 0..W {
        uniform &= (periods[lane] == first_period) & (rates[lane].abs() >= SQUARING_MIN_RATE);
    }
    if !uniform {
        let mut crf = [0.0; W];
        for lane in 0..W {
            crf[lane] = crf_one(rates[lane], periods[lane]);
        }
        return crf;
    }
    // Checked by `whole_period`: a whole number in [1, 1024].
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let mut exponent = first_period as u32;
    // power = (1 + r)^(bits of n seen so far), growth = the running square.
    let mut power = [1.0; W];
    let mut growth = [0.0; W];
    for lane in 0..W {
        growth[lane] = 1.0 + rates[lane];
    }
    loop {
        if exponent & 1 == 1 {
            for lane in 0..W {
                power[lane] *= growth[lane];
            }
        }
        exponent >>= 1;
        if exponent == 0 {
            break;
        }
        for value in &mut growth {
            *value *= *value;
        }
    }
    // r / (1 − 1/P) as r·P/(P − 1), one division; P is capped at 2^60, where both are r to
    // the last bit, so r·P cannot overflow.
    let mut crf = [0.0; W];
    for lane in 0..W {
        let capped = power[lane].min(POWER_CAP);
        crf[lane] = rates[lane] * capped / (capped - 1.0);
    }
    crf
}

/// 2^60: above it `(1 + r)^n` no longer changes the capital recovery factor.
const POWER_CAP: f64 = 1_152_921_504_606_846_976.0;

/// [`crf`] of one rate that is not raised by squaring in a group.
#[inline(never)]
fn crf_one(rate: f64, n_periods: f64) -> f64 {
    if rate == 0.0 {
        1.0 / n_periods
    } else if by_squaring(rate, n_periods) {
        crf_lanes([rate], [n_periods])[0]
    } else {
        // 1 − (1+r)^−n = −expm1(−n·ln(1+r)), accurate for small r (1 − exp(·) would cancel).
        rate / -(-n_periods * rate.ln_1p()).exp_m1()
    }
}

/// Payment per period of a loan or annuity (numpy-financial `pmt`).
///
/// Solves `fv + pv(1+r)^n + pmt(1 + r·w)/r·((1+r)^n − 1) = 0`, with `w = 1` for
/// [`When::Begin`]; at `r = 0` it solves `fv + pv + pmt·n = 0`.
/// `pmt(0.075/12, 180, 200000, 0, End) = −1854.0247200054619`.
#[must_use]
pub fn pmt(rate: f64, nper: f64, pv: f64, fv: f64, when: When) -> f64 {
    let growth = (1.0 + rate).powf(nper);
    let factor = if rate == 0.0 {
        nper
    } else {
        (1.0 + rate * when.weight()) * (growth - 1.0) / rate
    };
    -(fv + pv * growth) / factor
}

/// Future value (numpy-financial `fv`).
#[must_use]
pub fn fv(rate: f64, nper: f64, pmt: f64, pv: f64, when: When) -> f64 {
    if rate == 0.0 {
        return -(pv + pmt * nper);
    }
    let growth = (1.0 + rate).powf(nper);
    -(pv * growth + pmt * (1.0 + rate * when.weight()) / rate * (growth - 1.0))
}

/// Present value (numpy-financial `pv`).
#[must_use]
pub fn pv(rate: f64, nper: f64, pmt: f64, fv: f64, when: When) -> f64 {
    let growth = (1.0 + rate).powf(nper);
    let factor = if rate == 0.0 {
        nper
    } else {
        (1.0 + rate * when.weight()) * (growth - 1.0) / rate
    };
    -(fv + pmt * factor) / growth
}

/// Number of periods (numpy-financial `nper`).
///
/// # Errors
/// When no finite number of periods solves the equation.
pub fn nper(rate: f64, pmt: f64, pv: f64, fv: f64, when: When) -> Result<f64, EconError> {
    let periods = if rate == 0.0 {
        -(fv + pv) / pmt
    } else {
        let z = pmt * (1.0 + rate * when.weight()) / rate;
        ((-fv + z) / (pv + z)).ln() / (1.0 + rate).ln()
    };
    if periods.is_finite() {
        Ok(periods)
    } else {
        Err(EconError::NoSolution(
            "no finite number of periods repays this loan".to_owned(),
        ))
    }
}

/// Interest part of the payment in period `per` (numpy-financial `ipmt`; `per` counts from 1).
///
/// With [`When::Begin`] the interest of period 1 is 0.
///
/// # Errors
/// When `per` is outside `1..=nper`.
pub fn ipmt(
    rate: f64,
    per: f64,
    nper: f64,
    pv: f64,
    fv: f64,
    when: When,
) -> Result<f64, EconError> {
    if !(per >= 1.0 && per <= nper) {
        return Err(EconError::input("per", per, "must be between 1 and nper"));
    }
    let total = pmt(rate, nper, pv, fv, when);
    let interest = self::fv(rate, per - 1.0, total, pv, when) * rate;
    Ok(match when {
        When::End => interest,
        When::Begin if per == 1.0 => 0.0,
        When::Begin => interest / (1.0 + rate),
    })
}

/// Principal part of the payment in period `per` (numpy-financial `ppmt`).
///
/// # Errors
/// When `per` is outside `1..=nper`.
pub fn ppmt(
    rate: f64,
    per: f64,
    nper: f64,
    pv: f64,
    fv: f64,
    when: When,
) -> Result<f64, EconError> {
    Ok(pmt(rate, nper, pv, fv, when) - ipmt(rate, per, nper, pv, fv, when)?)
}

/// Modified internal rate of return (numpy-financial `mirr`).
///
/// # Errors
/// When the flows lack a positive or a negative value.
pub fn mirr(values: &[f64], finance_rate: f64, reinvest_rate: f64) -> Result<f64, EconError> {
    let n_values = values.len();
    let positives: Vec<f64> = values.iter().map(|value| value.max(0.0)).collect();
    let negatives: Vec<f64> = values.iter().map(|value| value.min(0.0)).collect();
    if !positives.iter().any(|value| *value > 0.0) || !negatives.iter().any(|value| *value < 0.0) {
        return Err(EconError::NoIrr);
    }
    #[allow(clippy::cast_precision_loss)]
    let n = n_values as f64;
    let numerator = npv(reinvest_rate, &positives).abs();
    let denominator = npv(finance_rate, &negatives).abs();
    Ok((numerator / denominator).powf(1.0 / (n - 1.0)) * (1.0 + reinvest_rate) - 1.0)
}

/// The scaled polynomial `P(x)/max(1, x)^N` with `x = e^s = 1/(1+r)`: same sign and zeros as
/// the NPV, but no overflow for long vectors or extreme rates.
fn scaled_npv_in_log_discount(values: &[f64], log_discount: f64) -> f64 {
    if log_discount <= 0.0 {
        let discount = log_discount.exp();
        values
            .iter()
            .rev()
            .fold(0.0, |acc, value| acc * discount + value)
    } else {
        let inverse = (-log_discount).exp();
        values.iter().fold(0.0, |acc, value| acc * inverse + value)
    }
}

/// Refines a bracketed root of `f` with the Illinois variant of regula falsi.
fn refine_root(f: impl Fn(f64) -> f64, mut lo: f64, mut hi: f64) -> f64 {
    let mut f_lo = f(lo);
    let mut f_hi = f(hi);
    let mut side = 0i8;
    for _ in 0..200 {
        let mid = if (f_hi - f_lo).abs() > 0.0 {
            (lo * f_hi - hi * f_lo) / (f_hi - f_lo)
        } else {
            0.5 * (lo + hi)
        };
        let mid = if mid.is_finite() && mid > lo.min(hi) && mid < lo.max(hi) {
            mid
        } else {
            0.5 * (lo + hi)
        };
        let f_mid = f(mid);
        if f_mid == 0.0 || (hi - lo).abs() < 1e-15 * (1.0 + mid.abs()) {
            return mid;
        }
        if (f_mid > 0.0) == (f_hi > 0.0) {
            hi = mid;
            f_hi = f_mid;
            if side == 1 {
                f_lo *= 0.5;
            }
            side = 1;
        } else {
            lo = mid;
            f_lo = f_mid;
            if side == -1 {
                f_hi *= 0.5;
            }
            side = -1;
        }
    }
    0.5 * (lo + hi)
}

/// Range of `s = ln(1/(1+r))` scanned for roots: r from about −0.99995 to about 22,000.
const LOG_DISCOUNT_RANGE: f64 = 10.0;
/// Grid steps of the scan when the flows change sign more than once.
const SCAN_STEPS: usize = 4000;

/// Every internal rate of return of `values` (rates r > −1 where the numpy NPV is zero),
/// ascending.
///
/// Roots are searched in `s = ln(1/(1+r))`. When the non-zero flows change sign once there is
/// exactly one root (Descartes' rule of signs) and it is bracketed directly. Otherwise
/// `s ∈ [−10, 10]` (r from −0.99995 to 22,025) is scanned on a 4,000-step grid and every
/// sign change is refined; roots of even multiplicity (where the NPV touches zero without
/// crossing) and pairs of roots closer than one grid step (0.5 % in 1 + r) are not reported.
#[must_use]
pub fn irr_all(values: &[f64]) -> Vec<f64> {
    if values.iter().any(|value| !value.is_finite()) {
        return Vec::new();
    }
    let mut sign_changes = 0usize;
    let mut last_sign = 0.0f64;
    for value in values.iter().filter(|value| **value != 0.0) {
        let sign = value.signum();
        if last_sign != 0.0 && sign != last_sign {
            sign_changes += 1;
        }
        last_sign = sign;
    }
    if sign_changes == 0 {
        return Vec::new();
    }
    let f = |log_discount: f64| scaled_npv_in_log_discount(values, log_discount);
    let to_rate = |log_discount: f64| (-log_discount).exp() - 1.0;
    let mut roots = Vec::new();
    if sign_changes == 1 {
        // Exactly one positive root in x; the end signs are those of the extreme coefficients.
        let (lo, hi) = (-60.0, 60.0);
        if f(lo) == 0.0 {
            return vec![to_rate(lo)];
        }
        if (f(lo) > 0.0) != (f(hi) > 0.0) {
            roots.push(to_rate(refine_root(f, lo, hi)));
        }
    } else {
        #[allow(clippy::cast_precision_loss)]
        let step = 2.0 * LOG_DISCOUNT_RANGE / SCAN_STEPS as f64;
        let mut s_prev = -LOG_DISCOUNT_RANGE;
        let mut f_prev = f(s_prev);
        for step_idx in 1..=SCAN_STEPS {
            #[allow(clippy::cast_precision_loss)]
            let s_next = -LOG_DISCOUNT_RANGE + step * step_idx as f64;
            let f_next = f(s_next);
            if f_prev == 0.0 {
                roots.push(to_rate(s_prev));
            } else if f_next != 0.0 && (f_prev > 0.0) != (f_next > 0.0) {
                roots.push(to_rate(refine_root(f, s_prev, s_next)));
            }
            s_prev = s_next;
            f_prev = f_next;
        }
        if f_prev == 0.0 {
            roots.push(to_rate(s_prev));
        }
    }
    roots.retain(|rate| rate.is_finite() && *rate > -1.0);
    roots.sort_by(f64::total_cmp);
    roots.dedup_by(|a, b| (*a - *b).abs() <= 1e-12 * (1.0 + b.abs()));
    roots
}

/// Internal rate of return: of all roots from [`irr_all`], the one closest to zero
/// (numpy-financial's rule); ties go to the positive root.
///
/// `irr(&[-100., 39., 59., 55., 20.]) = 0.28094842115996066`.
///
/// # Errors
/// [`EconError::NoIrr`] when no root exists (for example all flows have one sign).
pub fn irr(values: &[f64]) -> Result<f64, EconError> {
    irr_all(values)
        .into_iter()
        .min_by(|a, b| a.abs().total_cmp(&b.abs()).then(b.total_cmp(a)))
        .ok_or(EconError::NoIrr)
}

/// Converts a rate per period into an annual effective rate: `(1 + r)^periods_per_year − 1`.
#[must_use]
pub fn annualise(rate_per_period: f64, periods_per_year: u32) -> f64 {
    (1.0 + rate_per_period).powi(i32::try_from(periods_per_year).unwrap_or(1)) - 1.0
}

/// Converts an annual effective rate into the equivalent rate per period.
#[must_use]
pub fn per_period(annual_rate: f64, periods_per_year: u32) -> f64 {
    (1.0 + annual_rate).powf(1.0 / f64::from(periods_per_year)) - 1.0
}

// Nominal and real money. This is the one place where atomplan converts between them; every
// model that has an inflation input calls these functions.

/// Fisher relation: the real rate from a nominal rate and inflation, `(1+n)/(1+i) − 1`
/// (exact, never `n − i`). At zero inflation it returns `nominal` to rounding (`1 + n − 1`).
#[must_use]
#[inline(always)]
pub fn real_from_nominal(nominal: f64, inflation: f64) -> f64 {
    (1.0 + nominal) / (1.0 + inflation) - 1.0
}

/// Fisher relation: the nominal rate from a real rate and inflation, `(1+r)(1+i) − 1`.
#[must_use]
#[inline(always)]
pub fn nominal_from_real(real: f64, inflation: f64) -> f64 {
    nominal_growth(real, inflation) - 1.0
}

/// The nominal growth factor of one year, `(1+r)(1+i)`: what one unit of real money growing at
/// the real rate `r` is worth a year later in money of the day.
#[must_use]
#[inline(always)]
pub fn nominal_growth(real: f64, inflation: f64) -> f64 {
    (1.0 + real) * (1.0 + inflation)
}

/// The price index `(1+i)^t` of `t` years from the base date: an amount of real money of the
/// base date is worth `amount·(1+i)^t` in money of the day at `t` (t may be fractional or
/// negative). Divide by it to turn money of the day into real money ([`to_real`]).
#[must_use]
#[inline]
pub fn price_index(inflation: f64, years: f64) -> f64 {
    (1.0 + inflation).powf(years)
}

/// Money of the day at `years` after the base date, in real money of the base date.
#[must_use]
#[inline]
pub fn to_real(nominal_amount: f64, inflation: f64, years: f64) -> f64 {
    nominal_amount / price_index(inflation, years)
}

/// Real money of the base date, in money of the day at `years` after it.
#[must_use]
#[inline]
pub fn to_nominal(real_amount: f64, inflation: f64, years: f64) -> f64 {
    real_amount * price_index(inflation, years)
}

// Annuities for planning models, with the edge cases a model needs.

/// Capital recovery factor for an investment model: the level annual payment, over
/// `life_years`, that repays 1 at `rate` (the [`crf`] of the life).
///
/// Edge cases, so that planning models need no guard of their own:
/// - `rate = 0` gives `1/life`;
/// - an infinite life gives the perpetuity `rate` (0 at a zero rate, and 0 for a negative rate);
/// - a life of zero or less gives 1: the whole cost is charged once, in the first year;
/// - a NaN rate or life gives NaN.
///
/// Fractional lives are exact (`(1+r)^−n` with fractional n).
#[must_use]
pub fn capital_recovery_factor(rate: f64, life_years: f64) -> f64 {
    if rate.is_nan() || life_years.is_nan() {
        return f64::NAN;
    }
    if life_years <= 0.0 {
        return 1.0;
    }
    if life_years == f64::INFINITY {
        return rate.max(0.0);
    }
    crf(rate, life_years)
}

/// Present value at `rate` of 1 paid at the end of each of `n_years` years, `(1 − (1+r)^−n)/r`,
/// the reciprocal of the capital recovery factor; `n` at a zero rate, 0 for `n ≤ 0`.
#[must_use]
pub fn annuity_factor(rate: f64, n_years: f64) -> f64 {
    if n_years <= 0.0 {
        return 0.0;
    }
    1.0 / crf(rate, n_years)
}

/// Validates a rate input (finite, > −1), for callers that build their own models.
///
/// # Errors
/// When the rate is not finite or not above −1.
pub fn check_rate(field: &str, value: f64) -> Result<f64, EconError> {
    check::rate(field, value)
}
