//! LCOE of the non-nuclear alternatives (coal, gas, wind, solar) on the same basis as the nuclear
//! offers' social LCOE: the econ crate's cash-flow model, all equity at the study's discount rate,
//! the fuel price times the heat rate, and CO2 at the study's price as a variable cost.
//!
//! The result splits into capital and fixed costs, fuel, and CO2, so a reader sees why a gas
//! plant's LCOE moves with the gas price and a wind farm's does not. Variable renewables are
//! costed at their own capacity factor without firming; the report says so beside the numbers.

use atomplan_econ as econ;

use crate::Error;

/// One alternative technology as the LCOE needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct AlternativeInput {
    pub technology: String,
    pub capex_usd_per_kw: f64,
    pub fixed_om_usd_per_kw_yr: f64,
    pub variable_om_usd_per_mwh: f64,
    pub fuel_usd_per_mmbtu: f64,
    /// MMBtu of fuel per MWh of electricity (0 for wind and solar).
    pub heat_rate_mmbtu_per_mwh: f64,
    /// tCO2 per MWh of electricity.
    pub emission_t_per_mwh: f64,
    pub co2_usd_per_t: f64,
    pub capacity_factor: f64,
    pub life_years: f64,
    /// Construction years (spend spread over them, S-curve, as for nuclear).
    pub construction_years: f64,
}

/// The LCOE of one alternative and its parts, USD/MWh.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AlternativeLcoe {
    pub technology: String,
    pub lcoe_usd_per_mwh: f64,
    /// Capital, fixed and variable O&M.
    pub capital_and_om_usd_per_mwh: f64,
    pub fuel_usd_per_mwh: f64,
    pub co2_usd_per_mwh: f64,
    pub capacity_factor: f64,
}

/// LCOE of `input`, all equity at `discount_rate`.
///
/// # Errors
/// A capacity factor outside (0, 1], a non-positive life, negative costs, or a case the cash-flow
/// model cannot levelise.
pub fn alternative_lcoe(
    input: &AlternativeInput,
    discount_rate: f64,
) -> Result<AlternativeLcoe, Error> {
    let key = |field: &str| format!("{}.{field}", input.technology);
    if !(input.capacity_factor > 0.0 && input.capacity_factor <= 1.0) {
        return Err(Error::value(
            key("capacity_factor"),
            format!("must be in (0, 1], got {}", input.capacity_factor),
        ));
    }
    if !(input.life_years.is_finite() && input.life_years >= 1.0) {
        return Err(Error::value(
            key("life_years"),
            format!("must be at least 1, got {}", input.life_years),
        ));
    }
    for (field, value) in [
        ("capex_usd_per_kw", input.capex_usd_per_kw),
        ("fixed_om_usd_per_kw_yr", input.fixed_om_usd_per_kw_yr),
        ("variable_om_usd_per_mwh", input.variable_om_usd_per_mwh),
        ("fuel_usd_per_mmbtu", input.fuel_usd_per_mmbtu),
        ("heat_rate_mmbtu_per_mwh", input.heat_rate_mmbtu_per_mwh),
        ("emission_t_per_mwh", input.emission_t_per_mwh),
        ("co2_usd_per_t", input.co2_usd_per_t),
        ("construction_years", input.construction_years),
    ] {
        if !(value.is_finite() && value >= 0.0) {
            return Err(Error::value(
                key(field),
                format!("must be a finite number >= 0, got {value}"),
            ));
        }
    }
    let fuel_usd_per_mwh = input.fuel_usd_per_mmbtu * input.heat_rate_mmbtu_per_mwh;
    let co2_usd_per_mwh = input.emission_t_per_mwh * input.co2_usd_per_t;
    let mut cashflow = econ::CashflowInputs::with_defaults(
        100.0,
        input.capex_usd_per_kw,
        input.fixed_om_usd_per_kw_yr,
        input.variable_om_usd_per_mwh + co2_usd_per_mwh,
        input.fuel_usd_per_mmbtu,
        input.heat_rate_mmbtu_per_mwh,
        input.capacity_factor,
        input.life_years.round(),
    );
    cashflow.cost_of_equity = discount_rate;
    cashflow.construction_years = input.construction_years.round();
    cashflow.spend_profile = econ::SpendProfile::SCurve;
    let lcoe = econ::cashflow_lcoe(&cashflow)
        .map_err(|error| Error::value(key("lcoe"), error.to_string()))?;
    Ok(AlternativeLcoe {
        technology: input.technology.clone(),
        lcoe_usd_per_mwh: lcoe,
        capital_and_om_usd_per_mwh: lcoe - fuel_usd_per_mwh - co2_usd_per_mwh,
        fuel_usd_per_mwh,
        co2_usd_per_mwh,
        capacity_factor: input.capacity_factor,
    })
}

#[cfg(test)]
mod tests;
