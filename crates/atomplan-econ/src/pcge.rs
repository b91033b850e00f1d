//! NEA/IEA *Projected Costs of Generating Electricity 2020* (PCGE) discounted-cost LCOE.
//!
//! PCGE is the international reference for plant-level costs: a real, pre-tax LCOE at a single
//! real discount rate (3, 7 or 10 % in the 2020 edition), with construction spend as explicit
//! cash flows before commissioning (so interest during construction emerges from discounting),
//! decommissioning after the end of operation and an optional carbon price:
//!
//! ```text
//! LCOE = Σ_t (Capital_t + O&M_t + Fuel_t + Carbon_t + Decommissioning_t + Refurbishment_t)(1+r)^−t
//!        / Σ_t MWh_t (1+r)^−t
//! ```
//!
//! Time axis: commissioning is at t = 0; construction year k of C occupies (k − C, k − C + 1];
//! operating year y occupies (y − 1, y]; flows sit at the end of their year, or mid-year with
//! [`Timing::MidYear`]. The ratio does not depend on the time origin.

use serde::{Deserialize, Serialize};

use crate::error::{check, EconError};
use crate::spend::SpendProfile;

/// Where annual flows sit within their year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Timing {
    #[default]
    EndOfYear,
    MidYear,
}

/// A refurbishment (e.g. for long-term operation) in a given operating year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Refurbishment {
    /// Operating year (1 = first year of operation) in which it is spent.
    pub operating_year: f64,
    /// Cost, real $/kW.
    pub cost_usd_per_kw: f64,
}

/// Inputs of the PCGE LCOE (real money of one price year, per kW of net capacity).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PcgeInputs {
    /// Overnight cost, $/kW (no interest during construction).
    pub overnight_cost_usd_per_kw: f64,
    /// Construction years (whole number, may be 0: all spent at commissioning).
    pub construction_years: f64,
    /// How overnight cost is spread over the construction years.
    pub spend_profile: SpendProfile,
    /// Fixed O&M, $/kW-yr.
    pub fixed_om_usd_per_kw_yr: f64,
    /// Variable O&M, $/MWh.
    pub variable_om_usd_per_mwh: f64,
    /// Fuel (for nuclear: the whole fuel cycle, front and back end), $/MWh.
    pub fuel_cost_usd_per_mwh: f64,
    /// Carbon price, $/tCO2.
    pub carbon_price_usd_per_tco2: f64,
    /// Direct emissions, tCO2/MWh (0 for nuclear).
    pub emissions_tco2_per_mwh: f64,
    /// Net load factor in (0, 1] (PCGE default for nuclear: 0.85).
    pub capacity_factor: f64,
    /// Operating life, whole years (PCGE default for new nuclear: 60).
    pub life_years: f64,
    /// Real discount rate (PCGE: 0.03, 0.07, 0.10).
    pub discount_rate: f64,
    /// Decommissioning cost as a fraction of overnight cost (PCGE nuclear: 0.15).
    pub decommissioning_fraction: f64,
    /// Years over which decommissioning is spent, uniformly, after the end of operation.
    pub decommissioning_years: f64,
    /// Refurbishments during operation.
    pub refurbishments: Vec<Refurbishment>,
    /// Timing of flows within each year.
    pub timing: Timing,
}

/// PCGE LCOE and its components, each in $/MWh (PV of the cost over PV of generation).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PcgeResult {
    pub capital_usd_per_mwh: f64,
    pub fixed_om_usd_per_mwh: f64,
    pub variable_om_usd_per_mwh: f64,
    pub fuel_usd_per_mwh: f64,
    pub carbon_usd_per_mwh: f64,
    pub decommissioning_usd_per_mwh: f64,
    pub refurbishment_usd_per_mwh: f64,
    /// Overnight cost compounded to commissioning at the discount rate, $/kW.
    pub capital_at_commissioning_usd_per_kw: f64,
    /// Implied interest during construction, $/kW.
    pub idc_usd_per_kw: f64,
    /// Present value at commissioning of one kW's generation, MWh/kW.
    pub pv_generation_mwh_per_kw: f64,
    pub lcoe_usd_per_mwh: f64,
}

impl PcgeInputs {
    /// Checks every input; names the first bad one.
    ///
    /// # Errors
    /// [`EconError::InvalidInput`] naming the field.
    pub fn validate(&self) -> Result<(), EconError> {
        check::non_negative("overnight_cost_usd_per_kw", self.overnight_cost_usd_per_kw)?;
        check::years_or_zero("construction_years", self.construction_years)?;
        check::finite("fixed_om_usd_per_kw_yr", self.fixed_om_usd_per_kw_yr)?;
        check::finite("variable_om_usd_per_mwh", self.variable_om_usd_per_mwh)?;
        check::finite("fuel_cost_usd_per_mwh", self.fuel_cost_usd_per_mwh)?;
        check::finite("carbon_price_usd_per_tco2", self.carbon_price_usd_per_tco2)?;
        check::non_negative("emissions_tco2_per_mwh", self.emissions_tco2_per_mwh)?;
        check::capacity_factor("capacity_factor", self.capacity_factor)?;
        check::years("life_years", self.life_years)?;
        check::rate("discount_rate", self.discount_rate)?;
        check::non_negative("decommissioning_fraction", self.decommissioning_fraction)?;
        check::years_or_zero("decommissioning_years", self.decommissioning_years)?;
        for refurbishment in &self.refurbishments {
            check::finite(
                "refurbishment.cost_usd_per_kw",
                refurbishment.cost_usd_per_kw,
            )?;
            let year = check::years("refurbishment.operating_year", refurbishment.operating_year)?;
            if year as f64 > self.life_years {
                return Err(EconError::input(
                    "refurbishment.operating_year",
                    refurbishment.operating_year,
                    "is after the end of operation",
                ));
            }
        }
        Ok(())
    }
}

/// The PCGE discounted-cost LCOE.
///
/// A zero discount rate gives the undiscounted ratio of total cost to total generation.
///
/// # Errors
/// Invalid inputs (see [`PcgeInputs::validate`]).
pub fn pcge_lcoe(inputs: &PcgeInputs) -> Result<PcgeResult, EconError> {
    inputs.validate()?;
    let construction_years = check::years_or_zero("construction_years", inputs.construction_years)?;
    let life_years = check::years("life_years", inputs.life_years)?;
    let decommissioning_years =
        check::years_or_zero("decommissioning_years", inputs.decommissioning_years)?;
    let spend = inputs.spend_profile.fractions(construction_years)?;
    let rate = inputs.discount_rate;
    let offset = match inputs.timing {
        Timing::EndOfYear => 0.0,
        Timing::MidYear => 0.5,
    };
    // Discount factor of the flow in the year that ends at `year_end` (commissioning = 0).
    let discount = |year_end: f64| (1.0 + rate).powf(-(year_end - offset));

    let mut pv_capital = 0.0;
    for (year_idx, fraction) in spend.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let year_end = year_idx as f64 + 1.0 - construction_years as f64;
        pv_capital += fraction * inputs.overnight_cost_usd_per_kw * discount(year_end);
    }
    if construction_years == 0 {
        pv_capital = inputs.overnight_cost_usd_per_kw;
    }

    let mwh_per_kw_yr = inputs.capacity_factor * 8.76;
    let mut pv_operating_years = 0.0;
    for year in 1..=life_years {
        #[allow(clippy::cast_precision_loss)]
        let factor = discount(year as f64);
        pv_operating_years += factor;
    }
    let pv_generation = mwh_per_kw_yr * pv_operating_years;

    let mut pv_decommissioning = 0.0;
    let decommissioning_total = inputs.decommissioning_fraction * inputs.overnight_cost_usd_per_kw;
    if decommissioning_total != 0.0 {
        let n_years = decommissioning_years.max(1);
        for year_idx in 0..n_years {
            #[allow(clippy::cast_precision_loss)]
            let year_end = (life_years + year_idx + 1) as f64;
            #[allow(clippy::cast_precision_loss)]
            let share = 1.0 / n_years as f64;
            pv_decommissioning += decommissioning_total * share * discount(year_end);
        }
    }
    let pv_refurbishment: f64 = inputs
        .refurbishments
        .iter()
        .map(|refurbishment| refurbishment.cost_usd_per_kw * discount(refurbishment.operating_year))
        .sum();

    let per_mwh = |pv_usd_per_kw: f64| pv_usd_per_kw / pv_generation;
    let capital_usd_per_mwh = per_mwh(pv_capital);
    let fixed_om_usd_per_mwh = per_mwh(inputs.fixed_om_usd_per_kw_yr * pv_operating_years);
    let carbon_usd_per_mwh = inputs.carbon_price_usd_per_tco2 * inputs.emissions_tco2_per_mwh;
    let decommissioning_usd_per_mwh = per_mwh(pv_decommissioning);
    let refurbishment_usd_per_mwh = per_mwh(pv_refurbishment);
    let lcoe_usd_per_mwh = capital_usd_per_mwh
        + fixed_om_usd_per_mwh
        + inputs.variable_om_usd_per_mwh
        + inputs.fuel_cost_usd_per_mwh
        + carbon_usd_per_mwh
        + decommissioning_usd_per_mwh
        + refurbishment_usd_per_mwh;
    if !lcoe_usd_per_mwh.is_finite() {
        return Err(EconError::NoSolution(
            "the PCGE LCOE is not finite for these inputs".to_owned(),
        ));
    }
    // PV at commissioning (t = 0) is the compounded construction spend.
    let capital_at_commissioning_usd_per_kw = pv_capital;
    Ok(PcgeResult {
        capital_usd_per_mwh,
        fixed_om_usd_per_mwh,
        variable_om_usd_per_mwh: inputs.variable_om_usd_per_mwh,
        fuel_usd_per_mwh: inputs.fuel_cost_usd_per_mwh,
        carbon_usd_per_mwh,
        decommissioning_usd_per_mwh,
        refurbishment_usd_per_mwh,
        capital_at_commissioning_usd_per_kw,
        idc_usd_per_kw: capital_at_commissioning_usd_per_kw - inputs.overnight_cost_usd_per_kw,
        pv_generation_mwh_per_kw: pv_generation,
        lcoe_usd_per_mwh,
    })
}
