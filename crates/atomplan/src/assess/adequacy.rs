//! Resource adequacy by sequential hourly Monte Carlo: loss-of-load expectation (LOLE, h/yr),
//! expected unserved energy (EUE, MWh/yr) and loss-of-load probability (LOLP), with two-state
//! units (exponential times to failure and repair) and planned or refuelling outages; before and
//! after adding a candidate plant.
//!
//! Reproducible whatever the thread count: sample `k` of unit `u` draws from its own ChaCha8
//! stream, seeded from (seed, u) with stream k, and samples are summed in order. Units keep their
//! streams when candidates are appended, so before/after use common random numbers.
//! Method: Billinton & Li (1994), *Reliability Assessment of Electric Power Systems Using Monte Carlo Methods* (sequential
//! Monte Carlo). See `docs/methods/adequacy.md`.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::Error;

#[cfg(test)]
mod tests;

/// A planned (maintenance or refuelling) outage: hours `[start_hour, start_hour + duration_h)`.
#[derive(Debug, Clone, Copy, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct PlannedOutage {
    pub start_hour: usize,
    pub duration_h: usize,
}

/// A generating unit (or an interconnector) with two states, up and down.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct AdequacyUnit {
    pub name: String,
    pub capacity_mw: f64,
    /// Mean time to failure, h. Give either this or `forced_outage_rate`.
    pub mttf_h: Option<f64>,
    /// Mean time to repair, h.
    pub mttr_h: f64,
    /// Forced-outage rate `MTTR / (MTTF + MTTR)`; used when `mttf_h` is absent.
    pub forced_outage_rate: Option<f64>,
    #[serde(default)]
    pub planned_outages: Vec<PlannedOutage>,
    /// How many identical units this row stands for (default 1).
    #[serde(default = "one")]
    pub count: usize,
}

/// Upper bound on the number of samples, to keep memory bounded.
pub const MAX_SAMPLES: usize = 1_000_000;

fn one() -> usize {
    1
}

impl AdequacyUnit {
    /// Mean time to failure, from `mttf_h` or from the forced-outage rate:
    /// `MTTF = MTTR (1 − FOR) / FOR`; infinite for FOR = 0.
    ///
    /// # Errors
    /// Neither given, or values out of range.
    pub fn mttf(&self, key: &str) -> Result<f64, Error> {
        if !(self.mttr_h.is_finite() && self.mttr_h > 0.0) {
            return Err(Error::value(
                format!("{key}.mttr_h"),
                format!("must be > 0, found {}", self.mttr_h),
            ));
        }
        match (self.mttf_h, self.forced_outage_rate) {
            (Some(mttf), _) if mttf.is_finite() && mttf > 0.0 => Ok(mttf),
            (Some(mttf), _) => Err(Error::value(
                format!("{key}.mttf_h"),
                format!("must be > 0, found {mttf}"),
            )),
            (None, Some(rate)) if (0.0..1.0).contains(&rate) => {
                if rate == 0.0 {
                    Ok(f64::INFINITY)
                } else {
                    Ok(self.mttr_h * (1.0 - rate) / rate)
                }
            }
            (None, Some(rate)) => Err(Error::value(
                format!("{key}.forced_outage_rate"),
                format!("must be in [0, 1), found {rate}"),
            )),
            (None, None) => Err(Error::value(key, "give `mttf_h` or `forced_outage_rate`")),
        }
    }
}

/// The system: units and an hourly load (any length; 8,760 for a year).
#[derive(Debug, Clone, PartialEq)]
pub struct AdequacyInput {
    pub units: Vec<AdequacyUnit>,
    pub load_mw: Vec<f64>,
}

/// Storage that serves load when capacity falls short: greedy dispatch, charged from any
/// surplus, starting full. Several devices are pooled (power and energy add up).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct AdequacyStorage {
    pub power_mw: f64,
    pub energy_mwh: f64,
    /// Round-trip efficiency in (0, 1]; split evenly between charging and discharging.
    pub round_trip_efficiency: f64,
}

/// Monte Carlo settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AdequacySettings {
    /// Simulated years (default 1,000).
    pub n_samples: usize,
    /// Master seed (default 42).
    pub seed: u64,
}

impl Default for AdequacySettings {
    fn default() -> Self {
        AdequacySettings {
            n_samples: 1_000,
            seed: 42,
        }
    }
}

/// Adequacy indices, per simulated period (a year when the load has 8,760 hours).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AdequacyReport {
    pub n_samples: usize,
    pub hours: usize,
    /// Loss-of-load expectation, hours per period.
    pub lole_h: f64,
    /// Standard error of `lole_h`.
    pub lole_std_error_h: f64,
    /// Expected unserved energy, MWh per period.
    pub eue_mwh: f64,
    pub eue_std_error_mwh: f64,
    /// Loss-of-load probability: share of hours with load above available capacity.
    pub lolp: f64,
    /// Loss-of-load events (runs of consecutive loss hours) per period.
    pub lolf_per_period: f64,
    /// Share of simulated periods with at least one loss-of-load hour.
    pub share_of_periods_with_loss: f64,
    /// EUE as a share of the energy demanded.
    pub eue_share_of_demand: f64,
}

struct SampleOutcome {
    loss_hours: f64,
    unserved_mwh: f64,
    events: f64,
}

fn unit_seed(seed: u64, unit_idx: usize) -> u64 {
    // SplitMix64 of (seed, unit): distinct, well-mixed seeds per unit.
    let mut z = seed
        ^ (unit_idx as u64)
            .wrapping_add(1)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn exponential_hours(rng: &mut ChaCha8Rng, mean_h: f64) -> usize {
    let u: f64 = rng.gen::<f64>().max(f64::MIN_POSITIVE);
    let draw = -mean_h * u.ln();
    // Hourly resolution: at least one hour in each state.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let hours = draw.round().clamp(1.0, 1e12) as usize;
    hours
}

struct PreparedUnit {
    capacity_mw: f64,
    mttf_h: f64,
    mttr_h: f64,
    planned: Vec<PlannedOutage>,
}

fn prepare(input: &AdequacyInput) -> Result<Vec<PreparedUnit>, Error> {
    if input.load_mw.is_empty() {
        return Err(Error::value(
            "load_mw",
            "at least one hour of load is needed",
        ));
    }
    if let Some(idx) = input
        .load_mw
        .iter()
        .position(|load| !load.is_finite() || *load < 0.0)
    {
        return Err(Error::value(
            format!("load_mw[{idx}]"),
            "must be a finite number >= 0",
        ));
    }
    let mut prepared = Vec::new();
    for (unit_idx, unit) in input.units.iter().enumerate() {
        let key = format!("units[{unit_idx}]");
        if !(unit.capacity_mw.is_finite() && unit.capacity_mw >= 0.0) {
            return Err(Error::value(
                format!("{key}.capacity_mw"),
                "must be a finite number >= 0",
            ));
        }
        let mttf_h = unit.mttf(&key)?;
        for (outage_idx, outage) in unit.planned_outages.iter().enumerate() {
            if outage.start_hour >= input.load_mw.len() {
                return Err(Error::value(
                    format!("{key}.planned_outages[{outage_idx}].start_hour"),
                    format!("beyond the {} hours of load", input.load_mw.len()),
                ));
            }
        }
        for _ in 0..unit.count {
            prepared.push(PreparedUnit {
                capacity_mw: unit.capacity_mw,
                mttf_h,
                mttr_h: unit.mttr_h,
                planned: unit.planned_outages.clone(),
            });
        }
    }
    Ok(prepared)
}

fn simulate_sample(
    units: &[PreparedUnit],
    load_mw: &[f64],
    storage: Option<AdequacyStorage>,
    seed: u64,
    sample_idx: u64,
) -> SampleOutcome {
    let hours = load_mw.len();
    let total: f64 = units.iter().map(|unit| unit.capacity_mw).sum();
    let mut available = vec![total; hours];
    let mut intervals: Vec<(usize, usize)> = Vec::new();
    for (unit_idx, unit) in units.iter().enumerate() {
        // Hours down, as half-open intervals: planned outages, then forced outages.
        intervals.clear();
        for outage in &unit.planned {
            let end = outage
                .start_hour
                .saturating_add(outage.duration_h)
                .min(hours);
            if end > outage.start_hour {
                intervals.push((outage.start_hour, end));
            }
        }
        if unit.mttf_h.is_finite() {
            let mut rng = ChaCha8Rng::seed_from_u64(unit_seed(seed, unit_idx));
            rng.set_stream(sample_idx);
            // Initial state from the stationary availability MTTF / (MTTF + MTTR).
            let availability = unit.mttf_h / (unit.mttf_h + unit.mttr_h);
            let mut is_up = rng.gen::<f64>() < availability;
            let mut hour = 0;
            while hour < hours {
                let duration =
                    exponential_hours(&mut rng, if is_up { unit.mttf_h } else { unit.mttr_h });
                let end = hour.saturating_add(duration).min(hours);
                if !is_up {
                    intervals.push((hour, end));
                }
                hour = end;
                is_up = !is_up;
            }
        }
        // Merge overlaps so that a unit is never subtracted twice in one hour.
        intervals.sort_unstable();
        let mut merged_end = 0;
        for &(start, end) in intervals.iter() {
            let start = start.max(merged_end);
            if end > start {
                available[start..end]
                    .iter_mut()
                    .for_each(|capacity| *capacity -= unit.capacity_mw);
                merged_end = end;
            }
        }
    }
    let mut outcome = SampleOutcome {
        loss_hours: 0.0,
        unserved_mwh: 0.0,
        events: 0.0,
    };
    let mut in_loss = false;
    let leg = storage.map_or(1.0, |s| s.round_trip_efficiency.clamp(1e-6, 1.0).sqrt());
    let mut soc = storage.map_or(0.0, |s| s.energy_mwh);
    for (load, capacity) in load_mw.iter().zip(&available) {
        // A small tolerance keeps round-off of the subtraction from creating phantom losses.
        let mut shortfall = load - capacity;
        if let Some(store) = storage {
            if shortfall > 0.0 {
                let discharge = shortfall.min(store.power_mw).min(soc * leg);
                soc -= discharge / leg;
                shortfall -= discharge;
            } else {
                let charge = (-shortfall)
                    .min(store.power_mw)
                    .min((store.energy_mwh - soc) / leg);
                soc += charge.max(0.0) * leg;
            }
        }
        if shortfall > 1e-9 {
            outcome.loss_hours += 1.0;
            outcome.unserved_mwh += shortfall;
            if !in_loss {
                outcome.events += 1.0;
            }
            in_loss = true;
        } else {
            in_loss = false;
        }
    }
    outcome
}

/// Sequential hourly Monte Carlo of the system's adequacy.
///
/// # Errors
/// Empty or negative load, invalid unit data, zero samples.
pub fn adequacy(
    input: &AdequacyInput,
    settings: &AdequacySettings,
) -> Result<AdequacyReport, Error> {
    adequacy_with_storage(input, &[], settings)
}

/// [`adequacy`] with storage pooled and dispatched greedily against shortfalls.
///
/// # Errors
/// See [`adequacy`]; also negative storage figures.
pub fn adequacy_with_storage(
    input: &AdequacyInput,
    storage: &[AdequacyStorage],
    settings: &AdequacySettings,
) -> Result<AdequacyReport, Error> {
    for (index, store) in storage.iter().enumerate() {
        if !(store.power_mw.is_finite()
            && store.power_mw >= 0.0
            && store.energy_mwh.is_finite()
            && store.energy_mwh >= 0.0
            && store.round_trip_efficiency > 0.0
            && store.round_trip_efficiency <= 1.0)
        {
            return Err(Error::value(
                format!("storage[{index}]"),
                "power and energy must be >= 0 and the efficiency in (0, 1]",
            ));
        }
    }
    let pooled = (!storage.is_empty()).then(|| {
        let power: f64 = storage.iter().map(|s| s.power_mw).sum();
        let energy: f64 = storage.iter().map(|s| s.energy_mwh).sum();
        let efficiency = if power > 0.0 {
            storage
                .iter()
                .map(|s| s.round_trip_efficiency * s.power_mw)
                .sum::<f64>()
                / power
        } else {
            1.0
        };
        AdequacyStorage {
            power_mw: power,
            energy_mwh: energy,
            round_trip_efficiency: efficiency,
        }
    });
    if settings.n_samples == 0 || settings.n_samples > MAX_SAMPLES {
        return Err(Error::value(
            "samples",
            format!("must be between 1 and {MAX_SAMPLES}"),
        ));
    }
    let units = prepare(input)?;
    let outcomes: Vec<SampleOutcome> = (0..settings.n_samples)
        .into_par_iter()
        .map(|sample_idx| {
            simulate_sample(
                &units,
                &input.load_mw,
                pooled,
                settings.seed,
                sample_idx as u64,
            )
        })
        .collect();
    #[allow(clippy::cast_precision_loss)]
    let n = settings.n_samples as f64;
    let mean =
        |values: &dyn Fn(&SampleOutcome) -> f64| outcomes.iter().map(values).sum::<f64>() / n;
    let std_error = |values: &dyn Fn(&SampleOutcome) -> f64, mean: f64| {
        if outcomes.len() < 2 {
            return 0.0;
        }
        let variance = outcomes
            .iter()
            .map(|outcome| (values(outcome) - mean).powi(2))
            .sum::<f64>()
            / (n - 1.0);
        (variance / n).sqrt()
    };
    let lole = mean(&|outcome| outcome.loss_hours);
    let eue = mean(&|outcome| outcome.unserved_mwh);
    let demand: f64 = input.load_mw.iter().sum();
    #[allow(clippy::cast_precision_loss)]
    let hours = input.load_mw.len() as f64;
    Ok(AdequacyReport {
        n_samples: settings.n_samples,
        hours: input.load_mw.len(),
        lole_h: lole,
        lole_std_error_h: std_error(&|outcome| outcome.loss_hours, lole),
        eue_mwh: eue,
        eue_std_error_mwh: std_error(&|outcome| outcome.unserved_mwh, eue),
        lolp: lole / hours,
        lolf_per_period: mean(&|outcome| outcome.events),
        share_of_periods_with_loss: mean(&|outcome| {
            if outcome.loss_hours > 0.0 {
                1.0
            } else {
                0.0
            }
        }),
        eue_share_of_demand: if demand > 0.0 { eue / demand } else { 0.0 },
    })
}

/// Adequacy before and after adding candidate units.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AdequacyComparison {
    pub before: AdequacyReport,
    pub after: AdequacyReport,
    pub lole_change_h: f64,
    pub eue_change_mwh: f64,
}

/// Runs [`adequacy`] on the system and on the system plus `candidates` (appended, so existing
/// units keep their random streams: common random numbers make the difference precise).
///
/// # Errors
/// See [`adequacy`].
pub fn adequacy_before_after(
    input: &AdequacyInput,
    candidates: &[AdequacyUnit],
    settings: &AdequacySettings,
) -> Result<AdequacyComparison, Error> {
    let before = adequacy(input, settings)?;
    let mut extended = input.clone();
    extended.units.extend_from_slice(candidates);
    let after = adequacy(&extended, settings)?;
    Ok(AdequacyComparison {
        lole_change_h: after.lole_h - before.lole_h,
        eue_change_mwh: after.eue_mwh - before.eue_mwh,
        before,
        after,
    })
}
