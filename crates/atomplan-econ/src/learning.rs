//! Learning and scale: FOAK→NOAK cost by learning rate, economy-of-scale scaling, and the
//! effect of construction delay and overrun on cost and interest during construction.
//!
//! SMR economics hinge on whether series learning offsets the loss of scale, so these are
//! explicit, documented functions with every factor a user input.

use serde::{Deserialize, Serialize};

use crate::error::{check, EconError};
use crate::spend::{construction_finance_factor, SpendProfile};

/// Which quantity follows the power law.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LearningForm {
    /// Wright/Crawford unit form: the N-th unit costs `C1·N^(−b)`.
    #[default]
    Unit,
    /// Cumulative-average form: the average of units 1..N is `C1·N^(−b)`.
    CumulativeAverage,
}

/// Learning exponent `b = −log2(1 − LR)` for a learning rate LR per doubling.
///
/// LR = 0 gives 0; a negative LR (cost escalation, as in the French and US programmes) gives a
/// negative exponent.
///
/// # Errors
/// LR not below 1.
pub fn learning_exponent(learning_rate: f64) -> Result<f64, EconError> {
    check::finite("learning_rate", learning_rate)?;
    if learning_rate >= 1.0 {
        return Err(EconError::input(
            "learning_rate",
            learning_rate,
            "must be below 1",
        ));
    }
    Ok(-(1.0 - learning_rate).log2())
}

/// Cost of the `unit_number`-th unit (from 1) given the first unit's cost.
///
/// # Errors
/// LR not below 1, or `unit_number` 0.
pub fn unit_cost(
    first_unit_cost: f64,
    learning_rate: f64,
    unit_number: u32,
    form: LearningForm,
) -> Result<f64, EconError> {
    if unit_number == 0 {
        return Err(EconError::input("unit_number", 0.0, "units count from 1"));
    }
    let exponent = learning_exponent(learning_rate)?;
    let n = f64::from(unit_number);
    Ok(match form {
        LearningForm::Unit => first_unit_cost * n.powf(-exponent),
        LearningForm::CumulativeAverage => {
            // Unit cost = N·avg(N) − (N − 1)·avg(N − 1).
            let average = |count: f64| first_unit_cost * count.powf(-exponent);
            n * average(n) - (n - 1.0) * if n > 1.0 { average(n - 1.0) } else { 0.0 }
        }
    })
}

/// FOAK→NOAK learning with separate vendor (global fleet) and country (local supply chain,
/// regulator) effects, and a floor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearningSchedule {
    /// Overnight cost of a first-of-a-kind unit, $/kW.
    pub foak_cost_usd_per_kw: f64,
    /// Learning rate per doubling of the vendor's units of this design, worldwide.
    pub vendor_learning_rate: f64,
    /// Learning rate per doubling of this design's units in the country.
    pub country_learning_rate: f64,
    /// Units of the design the vendor has already completed anywhere.
    pub vendor_units_built: u32,
    /// Units of the design already completed in the country.
    pub country_units_built: u32,
    /// NOAK floor, $/kW (costs stop falling there); 0 for none.
    pub noak_floor_usd_per_kw: f64,
}

impl LearningSchedule {
    /// Overnight cost of each of the next `n_units` units of a programme in the country, $/kW:
    /// `FOAK · (v+k)^(−b_v) · (c+k)^(−b_c)` for the k-th new unit (from 1), floored at NOAK.
    ///
    /// # Errors
    /// A learning rate not below 1, or a negative cost.
    pub fn programme_costs(&self, n_units: u32) -> Result<Vec<f64>, EconError> {
        check::non_negative("foak_cost_usd_per_kw", self.foak_cost_usd_per_kw)?;
        check::non_negative("noak_floor_usd_per_kw", self.noak_floor_usd_per_kw)?;
        let vendor_exponent = learning_exponent(self.vendor_learning_rate)?;
        let country_exponent = learning_exponent(self.country_learning_rate)?;
        Ok((1..=n_units)
            .map(|unit| {
                let vendor_n = f64::from(self.vendor_units_built + unit);
                let country_n = f64::from(self.country_units_built + unit);
                let cost = self.foak_cost_usd_per_kw
                    * vendor_n.powf(-vendor_exponent)
                    * country_n.powf(-country_exponent);
                cost.max(self.noak_floor_usd_per_kw)
            })
            .collect())
    }
}

/// Economy of scale: cost per kW of a plant of `size_mw` from a reference plant,
/// `c(P) = c(P0)·(P/P0)^(n−1)` with total cost ∝ P^n (n ≈ 0.6 is conventional).
///
/// # Errors
/// Non-positive sizes or an exponent outside [0, 1.5].
pub fn scaled_cost_per_kw(
    reference_cost_usd_per_kw: f64,
    reference_size_mw: f64,
    size_mw: f64,
    scaling_exponent: f64,
) -> Result<f64, EconError> {
    check::positive("reference_size_mw", reference_size_mw)?;
    check::positive("size_mw", size_mw)?;
    check::finite("scaling_exponent", scaling_exponent)?;
    if !(0.0..=1.5).contains(&scaling_exponent) {
        return Err(EconError::input(
            "scaling_exponent",
            scaling_exponent,
            "must be in [0, 1.5]",
        ));
    }
    Ok(reference_cost_usd_per_kw * (size_mw / reference_size_mw).powf(scaling_exponent - 1.0))
}

/// Construction cost and interest during construction, before and after a delay and overrun.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ConstructionOutcome {
    pub overnight_cost_usd_per_kw: f64,
    pub construction_years: u32,
    pub construction_finance_factor: f64,
    pub idc_usd_per_kw: f64,
    /// Overnight cost plus IDC, $/kW.
    pub total_cost_usd_per_kw: f64,
}

/// Applies a construction delay (the spend profile stretched over the longer period, as the
/// economics reference recommends, not a fixed percentage) and a cost overrun (fraction of the
/// overnight cost), and recomputes IDC at `interest_rate`.
/// Returns the outcomes without and with the delay and overrun.
///
/// # Errors
/// Invalid inputs (named).
pub fn construction_with_delay(
    overnight_cost_usd_per_kw: f64,
    construction_years: u32,
    profile: &SpendProfile,
    interest_rate: f64,
    delay_years: u32,
    overrun_fraction: f64,
) -> Result<(ConstructionOutcome, ConstructionOutcome), EconError> {
    check::non_negative("overnight_cost_usd_per_kw", overnight_cost_usd_per_kw)?;
    check::rate("interest_rate", interest_rate)?;
    check::finite("cost_overrun", overrun_fraction)?;
    if overrun_fraction <= -1.0 {
        return Err(EconError::input(
            "cost_overrun",
            overrun_fraction,
            "must be greater than -1",
        ));
    }
    let outcome = |cost: f64, years: u32| -> Result<ConstructionOutcome, EconError> {
        let profile = match profile {
            SpendProfile::Explicit(_) if years != construction_years => SpendProfile::Uniform,
            other => other.clone(),
        };
        let fractions = profile.fractions(years as usize)?;
        let factor = construction_finance_factor(&fractions, interest_rate);
        Ok(ConstructionOutcome {
            overnight_cost_usd_per_kw: cost,
            construction_years: years,
            construction_finance_factor: factor,
            idc_usd_per_kw: cost * (factor - 1.0),
            total_cost_usd_per_kw: cost * factor,
        })
    };
    Ok((
        outcome(overnight_cost_usd_per_kw, construction_years)?,
        outcome(
            overnight_cost_usd_per_kw * (1.0 + overrun_fraction),
            construction_years + delay_years,
        )?,
    ))
}
