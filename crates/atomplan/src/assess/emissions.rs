//! Power-sector CO2: the yearly trajectory from generation and emission factors, its cumulative
//! sum, and the gap to the country's targets (yearly caps or reductions from a base year, and a
//! cumulative budget).
//!
//! Factors are inputs in tCO2 per MWh of electricity (direct combustion, or life-cycle if the
//! caller says so); the catalogue gives fuel factors per MWh of fuel, divided by efficiency.
//! See `docs/methods/emissions.md`.

use crate::Error;

#[cfg(test)]
mod tests;

/// Generation of one technology, year by year.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct TechnologySeries {
    pub technology: String,
    /// tCO2 per MWh of electricity.
    pub emission_factor_t_per_mwh: f64,
    /// TWh per year, one value per entry of [`EmissionsInput::years`].
    pub generation_twh: Vec<f64>,
}

/// A target on yearly emissions: an absolute cap, or a reduction from a base-year value.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct EmissionTarget {
    pub year: i32,
    /// Cap, MtCO2 in `year`.
    pub cap_mt: Option<f64>,
    /// Reduction from the base, %.
    pub reduction_pct: Option<f64>,
    /// Base-year emissions, MtCO2 (default: the trajectory's value in `base_year`).
    pub base_mt: Option<f64>,
    pub base_year: Option<i32>,
    /// Free text, e.g. "NDC 2030 (power-sector share assumed)".
    pub label: Option<String>,
}

/// Inputs of the emissions assessment.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct EmissionsInput {
    pub years: Vec<i32>,
    pub technologies: Vec<TechnologySeries>,
    #[serde(default)]
    pub targets: Vec<EmissionTarget>,
    /// Budget on the cumulative emissions over `years`, MtCO2.
    pub cumulative_budget_mt: Option<f64>,
}

/// One target checked against the trajectory.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TargetCheck {
    pub year: i32,
    pub label: Option<String>,
    pub cap_mt: f64,
    pub emissions_mt: f64,
    /// emissions − cap (positive: target missed by this much).
    pub gap_mt: f64,
    pub met: bool,
}

/// The trajectory and the target checks.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct EmissionsReport {
    pub years: Vec<i32>,
    /// MtCO2 per year.
    pub annual_mt: Vec<f64>,
    /// Running sum, MtCO2.
    pub cumulative_mt: Vec<f64>,
    /// Average intensity, gCO2/kWh (0 when there is no generation).
    pub intensity_g_per_kwh: Vec<f64>,
    pub targets: Vec<TargetCheck>,
    pub cumulative_budget_mt: Option<f64>,
    /// First year in which the cumulative sum exceeds the budget.
    pub budget_exceeded_in: Option<i32>,
}

/// Computes the trajectory: `E_y = Σ_t f_t · G_{t,y}` (TWh × t/MWh = Mt).
///
/// # Errors
/// Series of the wrong length, negative generation or factors, targets outside the years or
/// without a cap.
pub fn emissions(input: &EmissionsInput) -> Result<EmissionsReport, Error> {
    let n_years = input.years.len();
    if n_years == 0 {
        return Err(Error::value("years", "at least one year is needed"));
    }
    let mut annual = vec![0.0; n_years];
    let mut generation = vec![0.0; n_years];
    for (tech_idx, series) in input.technologies.iter().enumerate() {
        let key = format!("technologies[{tech_idx}]");
        if series.generation_twh.len() != n_years {
            return Err(Error::shape(
                format!("{key}.generation_twh"),
                format!("{n_years} values (one per year)"),
                series.generation_twh.len(),
            ));
        }
        let factor = series.emission_factor_t_per_mwh;
        if !factor.is_finite() || factor < 0.0 {
            return Err(Error::value(
                format!("{key}.emission_factor_t_per_mwh"),
                "must be a finite number >= 0",
            ));
        }
        for (year_idx, value) in series.generation_twh.iter().enumerate() {
            if !value.is_finite() || *value < 0.0 {
                return Err(Error::value(
                    format!("{key}.generation_twh[{year_idx}]"),
                    "must be a finite number >= 0",
                ));
            }
            annual[year_idx] += factor * value;
            generation[year_idx] += value;
        }
    }
    let mut cumulative = Vec::with_capacity(n_years);
    let mut running = 0.0;
    for value in &annual {
        running += value;
        cumulative.push(running);
    }
    let intensity = annual
        .iter()
        .zip(&generation)
        .map(|(mt, twh)| if *twh > 0.0 { mt / twh * 1_000.0 } else { 0.0 })
        .collect();
    let year_index = |year: i32| input.years.iter().position(|y| *y == year);
    let mut targets = Vec::new();
    for (target_idx, target) in input.targets.iter().enumerate() {
        let key = format!("targets[{target_idx}]");
        let year_idx = year_index(target.year).ok_or_else(|| {
            Error::value(
                format!("{key}.year"),
                format!("{} is not one of `years`", target.year),
            )
        })?;
        let cap = match (target.cap_mt, target.reduction_pct) {
            (Some(cap), _) => cap,
            (None, Some(pct)) => {
                let base = match (target.base_mt, target.base_year) {
                    (Some(base), _) => base,
                    (None, Some(base_year)) => {
                        annual[year_index(base_year).ok_or_else(|| {
                            Error::value(
                                format!("{key}.base_year"),
                                format!("{base_year} is not one of `years`; give `base_mt`"),
                            )
                        })?]
                    }
                    (None, None) => {
                        return Err(Error::value(
                            format!("{key}.base_mt"),
                            "a reduction target needs `base_mt` or `base_year`",
                        ))
                    }
                };
                base * (1.0 - pct / 100.0)
            }
            (None, None) => return Err(Error::value(key, "give `cap_mt` or `reduction_pct`")),
        };
        targets.push(TargetCheck {
            year: target.year,
            label: target.label.clone(),
            cap_mt: cap,
            emissions_mt: annual[year_idx],
            gap_mt: annual[year_idx] - cap,
            met: annual[year_idx] <= cap + 1e-9,
        });
    }
    let budget_exceeded_in = input.cumulative_budget_mt.and_then(|budget| {
        cumulative
            .iter()
            .position(|value| *value > budget)
            .map(|idx| input.years[idx])
    });
    Ok(EmissionsReport {
        years: input.years.clone(),
        annual_mt: annual,
        cumulative_mt: cumulative,
        intensity_g_per_kwh: intensity,
        targets,
        cumulative_budget_mt: input.cumulative_budget_mt,
        budget_exceeded_in,
    })
}
