//! Grid fit of a nuclear unit: unit size against the system (the IAEA rule of thumb), the N-1
//! reserve the unit calls for against the reserve available, frequency after losing it (RoCoF and
//! quasi-steady-state deviation) and the load-following it would have to do.
//!
//! Sources: IAEA NES NG-T-3.8 (2012) *Electric Grid Reliability and Interface with Nuclear Power
//! Plants* and TRS-224 (1983) for the ≈10 % rule; ENTSO-E SOGL (Regulation (EU) 2017/1485) for N-1
//! and reference-incident reserve sizing; the swing equation for RoCoF. See `docs/methods/grid-fit.md`.

use crate::Error;

#[cfg(test)]
mod tests;

/// Share of the system above which a unit fails the rule of thumb (default 10 %).
pub const DEFAULT_UNIT_SHARE_LIMIT: f64 = 0.10;
/// Share above which a warning is given (default 5 %).
pub const DEFAULT_UNIT_SHARE_WARNING: f64 = 0.05;

/// Frequency-response data of the system after the loss of the unit.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct FrequencyInput {
    /// Nominal frequency, Hz (50 or 60).
    pub nominal_hz: f64,
    /// Inertia constant of the synchronous system that remains after the trip, s, on `system_base_mva`.
    pub inertia_h_s: f64,
    /// Rating of the synchronous machines online after the trip, MVA.
    pub system_base_mva: f64,
    /// Capacity providing governor (primary) response, MW.
    pub responsive_capacity_mw: f64,
    /// Governor droop, per unit (e.g. 0.05 for 5 %).
    pub droop_pu: f64,
    /// Load damping, MW per Hz (0 if unknown).
    #[serde(default)]
    pub load_damping_mw_per_hz: f64,
    /// Under-frequency load-shedding threshold as a deviation, Hz (e.g. 1.0 for 49.0 Hz on 50 Hz).
    pub ufls_deviation_hz: Option<f64>,
    /// RoCoF relay setting, Hz/s (e.g. 1.0).
    pub rocof_limit_hz_per_s: Option<f64>,
}

/// Load-following data: the net load the plant would follow and its ramp capability.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct RampInput {
    /// Hourly net load (load minus variable renewables), MW.
    pub net_load_mw: Vec<f64>,
    /// Design ramp rate, % of rated power per minute (EUR: 3–5 %/min between 50 and 100 %).
    pub design_ramp_pct_per_min: f64,
    /// Minimum stable load, % of rated power (EUR daily cycling floor: 50 %).
    pub min_stable_load_pct: f64,
}

/// Inputs of the grid-fit check.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct GridFitInput {
    /// Net electrical output of one new unit, MW.
    pub unit_mw: f64,
    /// New units of this size to be built (for load-following capability).
    #[serde(default = "one")]
    pub n_units: u32,
    /// Units that can trip together (common connection or site): the dimensioning infeed is
    /// `unit_mw × units_lost_together`.
    #[serde(default = "one")]
    pub units_lost_together: u32,
    /// System peak load, MW.
    pub peak_load_mw: f64,
    /// System minimum load, MW (ratio skipped when unknown).
    pub min_load_mw: Option<f64>,
    /// Installed capacity of the system (before the unit), MW; the basis of the IAEA rule. When
    /// unknown the rule is applied to the peak load instead (stricter), and the report says so.
    pub installed_capacity_mw: Option<f64>,
    /// Largest unit already in the system, MW (its loss is the current dimensioning incident).
    #[serde(default)]
    pub largest_existing_unit_mw: f64,
    /// Contingency (frequency containment / spinning) reserve available, MW.
    pub available_reserve_mw: Option<f64>,
    /// Limit on unit share of installed capacity (default 0.10).
    pub unit_share_limit: Option<f64>,
    /// Warning level (default 0.05).
    pub unit_share_warning: Option<f64>,
    pub frequency: Option<FrequencyInput>,
    pub ramp: Option<RampInput>,
}

fn one() -> u32 {
    1
}

/// A ratio of the unit to one system quantity.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SizeRatio {
    /// What the unit is compared with: `installed_capacity`, `peak_load` or `min_load`.
    pub basis: &'static str,
    pub system_mw: f64,
    pub ratio: f64,
    /// `ok`, `warning` (above the warning level) or `exceeds` (above the limit).
    pub status: &'static str,
}

/// N-1 reserve need against what is available.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ReserveCheck {
    /// Dimensioning incident after the unit is built: max(unit × units lost together, largest existing).
    pub reserve_need_mw: f64,
    /// Before the unit: the largest existing unit.
    pub reserve_need_before_mw: f64,
    pub available_reserve_mw: Option<f64>,
    /// available − need (negative: short).
    pub margin_mw: Option<f64>,
    pub sufficient: Option<bool>,
}

/// Frequency after losing the dimensioning infeed.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FrequencyCheck {
    pub lost_mw: f64,
    /// Initial rate of change of frequency `ΔP f0 / (2 H S)`, Hz/s (magnitude).
    pub rocof_hz_per_s: f64,
    /// Quasi-steady-state deviation `−ΔP / (P_g/(R f0) + D)`, Hz (negative: under-frequency).
    pub steady_state_deviation_hz: f64,
    /// Frequency settled at, Hz.
    pub steady_state_frequency_hz: f64,
    /// Whether governor response is enough to cover the loss (`P_g ≥ ΔP`).
    pub response_covers_loss: bool,
    pub rocof_within_limit: Option<bool>,
    pub deviation_within_ufls: Option<bool>,
}

/// Load-following needs against the plant's capability.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RampCheck {
    /// Largest hour-to-hour rise and fall of the net load, MW/h.
    pub max_net_load_ramp_up_mw_per_h: f64,
    pub max_net_load_ramp_down_mw_per_h: f64,
    /// The new units' ramp capability, MW/h (`n · unit · ramp%/min · 60`).
    pub plant_ramp_capability_mw_per_h: f64,
    /// Hours whose net-load change exceeds that capability, as a share of all hour steps.
    pub share_of_steps_beyond_capability: f64,
    /// The new units' minimum stable output, MW.
    pub plant_min_stable_output_mw: f64,
    /// Hours in which the net load is below that minimum (the plant cannot be absorbed without
    /// curtailment, export or storage), as a share of hours.
    pub share_of_hours_below_min_output: f64,
    /// Lowest net load, MW.
    pub min_net_load_mw: f64,
}

/// Result of the grid-fit check.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GridFitReport {
    pub unit_mw: f64,
    pub unit_share_limit: f64,
    pub unit_share_warning: f64,
    pub size: Vec<SizeRatio>,
    /// `ok`, `warning` or `exceeds` on the rule's basis.
    pub rule_status: &'static str,
    /// `installed_capacity` (the IAEA basis) or `peak_load` when installed capacity is unknown.
    pub rule_basis: &'static str,
    /// Largest unit size that meets the limit on the rule's basis, MW.
    pub max_unit_mw_within_limit: f64,
    pub reserve: ReserveCheck,
    pub frequency: Option<FrequencyCheck>,
    pub ramp: Option<RampCheck>,
}

fn positive(value: f64, key: &str) -> Result<f64, Error> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(Error::value(
            key,
            format!("must be a finite number > 0, found {value}"),
        ))
    }
}

fn non_negative(value: f64, key: &str) -> Result<f64, Error> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(Error::value(
            key,
            format!("must be a finite number >= 0, found {value}"),
        ))
    }
}

/// Runs every grid-fit check the input allows.
///
/// # Errors
/// Non-positive sizes or loads, `min_load_mw > peak_load_mw`, invalid frequency or ramp data.
pub fn grid_fit(input: &GridFitInput) -> Result<GridFitReport, Error> {
    let unit_mw = positive(input.unit_mw, "unit_mw")?;
    let peak = positive(input.peak_load_mw, "peak_load_mw")?;
    let min_load = input
        .min_load_mw
        .map(|value| positive(value, "min_load_mw"))
        .transpose()?;
    let installed = input
        .installed_capacity_mw
        .map(|value| positive(value, "installed_capacity_mw"))
        .transpose()?;
    non_negative(input.largest_existing_unit_mw, "largest_existing_unit_mw")?;
    if let Some(min_load) = min_load {
        if min_load > peak {
            return Err(Error::value(
                "min_load_mw",
                format!("{min_load} exceeds peak_load_mw {peak}"),
            ));
        }
    }
    let limit = input.unit_share_limit.unwrap_or(DEFAULT_UNIT_SHARE_LIMIT);
    let warning = input
        .unit_share_warning
        .unwrap_or(DEFAULT_UNIT_SHARE_WARNING);
    positive(limit, "unit_share_limit")?;
    positive(warning, "unit_share_warning")?;
    if warning > limit {
        return Err(Error::value(
            "unit_share_warning",
            "must not exceed unit_share_limit",
        ));
    }
    let status = |ratio: f64| {
        if ratio > limit {
            "exceeds"
        } else if ratio > warning {
            "warning"
        } else {
            "ok"
        }
    };
    let size: Vec<SizeRatio> = [
        ("installed_capacity", installed),
        ("peak_load", Some(peak)),
        ("min_load", min_load),
    ]
    .into_iter()
    .filter_map(|(basis, system_mw)| Some((basis, system_mw?)))
    .map(|(basis, system_mw)| SizeRatio {
        basis,
        system_mw,
        ratio: unit_mw / system_mw,
        status: status(unit_mw / system_mw),
    })
    .collect();
    if input.units_lost_together == 0 {
        return Err(Error::value("units_lost_together", "must be at least 1"));
    }
    let lost_mw = unit_mw * f64::from(input.units_lost_together);
    let need = lost_mw.max(input.largest_existing_unit_mw);
    let available = match input.available_reserve_mw {
        Some(value) => Some(non_negative(value, "available_reserve_mw")?),
        None => None,
    };
    let reserve = ReserveCheck {
        reserve_need_mw: need,
        reserve_need_before_mw: input.largest_existing_unit_mw,
        available_reserve_mw: available,
        margin_mw: available.map(|available| available - need),
        sufficient: available.map(|available| available >= need),
    };
    let frequency = match &input.frequency {
        Some(frequency) => Some(frequency_check(frequency, lost_mw)?),
        None => None,
    };
    let ramp = match &input.ramp {
        Some(ramp) => Some(ramp_check(ramp, unit_mw, input.n_units)?),
        None => None,
    };
    Ok(GridFitReport {
        unit_mw,
        unit_share_limit: limit,
        unit_share_warning: warning,
        rule_status: size[0].status,
        rule_basis: size[0].basis,
        max_unit_mw_within_limit: limit * size[0].system_mw,
        size,
        reserve,
        frequency,
        ramp,
    })
}

/// RoCoF and quasi-steady-state deviation after losing `lost_mw`.
///
/// `RoCoF = ΔP f0 / (2 H S)` (swing equation at t = 0+, before any response);
/// `Δf_ss = −ΔP / (P_g / (R f0) + D)` (governors with droop `R` on `P_g`, load damping `D`).
///
/// # Errors
/// Non-positive frequency, inertia, base or droop.
pub fn frequency_check(input: &FrequencyInput, lost_mw: f64) -> Result<FrequencyCheck, Error> {
    let f0 = positive(input.nominal_hz, "frequency.nominal_hz")?;
    let h = positive(input.inertia_h_s, "frequency.inertia_h_s")?;
    let s = positive(input.system_base_mva, "frequency.system_base_mva")?;
    let droop = positive(input.droop_pu, "frequency.droop_pu")?;
    let responsive = non_negative(
        input.responsive_capacity_mw,
        "frequency.responsive_capacity_mw",
    )?;
    let damping = non_negative(
        input.load_damping_mw_per_hz,
        "frequency.load_damping_mw_per_hz",
    )?;
    let stiffness = responsive / (droop * f0) + damping;
    if stiffness <= 0.0 {
        return Err(Error::value(
            "frequency.responsive_capacity_mw",
            "no governor response and no load damping: the deviation is unbounded",
        ));
    }
    let rocof = lost_mw * f0 / (2.0 * h * s);
    let deviation = -lost_mw / stiffness;
    Ok(FrequencyCheck {
        lost_mw,
        rocof_hz_per_s: rocof,
        steady_state_deviation_hz: deviation,
        steady_state_frequency_hz: f0 + deviation,
        response_covers_loss: responsive >= lost_mw,
        rocof_within_limit: input.rocof_limit_hz_per_s.map(|limit| rocof <= limit),
        deviation_within_ufls: input.ufls_deviation_hz.map(|limit| deviation.abs() < limit),
    })
}

/// Net-load ramps against the new units' ramp capability and minimum output.
///
/// # Errors
/// Fewer than two hours, non-finite loads, ramp or minimum load out of range.
pub fn ramp_check(input: &RampInput, unit_mw: f64, n_units: u32) -> Result<RampCheck, Error> {
    if input.net_load_mw.len() < 2 {
        return Err(Error::value(
            "ramp.net_load_mw",
            "at least two hours are needed",
        ));
    }
    if let Some(idx) = input
        .net_load_mw
        .iter()
        .position(|value| !value.is_finite())
    {
        return Err(Error::value(
            format!("ramp.net_load_mw[{idx}]"),
            "not a finite number",
        ));
    }
    let ramp_pct = positive(
        input.design_ramp_pct_per_min,
        "ramp.design_ramp_pct_per_min",
    )?;
    let min_pct = non_negative(input.min_stable_load_pct, "ramp.min_stable_load_pct")?;
    if min_pct > 100.0 {
        return Err(Error::value(
            "ramp.min_stable_load_pct",
            "must be at most 100",
        ));
    }
    let fleet_mw = unit_mw * f64::from(n_units.max(1));
    let capability = fleet_mw * ramp_pct / 100.0 * 60.0;
    let min_output = fleet_mw * min_pct / 100.0;
    let steps: Vec<f64> = input
        .net_load_mw
        .windows(2)
        .map(|pair| pair[1] - pair[0])
        .collect();
    let beyond = steps.iter().filter(|step| step.abs() > capability).count();
    let below = input
        .net_load_mw
        .iter()
        .filter(|load| **load < min_output)
        .count();
    #[allow(clippy::cast_precision_loss)]
    Ok(RampCheck {
        max_net_load_ramp_up_mw_per_h: steps.iter().copied().fold(0.0, f64::max),
        max_net_load_ramp_down_mw_per_h: -steps.iter().copied().fold(0.0, f64::min),
        plant_ramp_capability_mw_per_h: capability,
        share_of_steps_beyond_capability: beyond as f64 / steps.len() as f64,
        plant_min_stable_output_mw: min_output,
        share_of_hours_below_min_output: below as f64 / input.net_load_mw.len() as f64,
        min_net_load_mw: input
            .net_load_mw
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min),
    })
}
