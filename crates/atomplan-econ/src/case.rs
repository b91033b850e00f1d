//! One case of any method, with its scalar inputs addressable by name.
//!
//! Monte Carlo and tornado vary "any input", so every scalar input of every method can be read
//! and set by the same name it has in a case file. Names are resolved to a [`ParamId`] once,
//! so hot loops never compare strings.

use serde::{Deserialize, Serialize};

use crate::atb::{atb_lcoe_unchecked, AtbInputs};
use crate::cashflow::{cashflow_lcoe, CashflowInputs};
use crate::error::EconError;
use crate::pcge::{pcge_lcoe, PcgeInputs};

/// A case to evaluate: one of the three LCOE methods with its inputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "lowercase")]
pub enum Case {
    Atb(AtbInputs),
    Pcge(PcgeInputs),
    Cashflow(Box<CashflowInputs>),
}

/// An input of a [`Case`], resolved from its name by [`Case::param_id`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParamId(usize);

macro_rules! params {
    ($names:ident, $get:ident, $set:ident, $ty:ty, [$($field:ident $(: $round:ident)?),* $(,)?]) => {
        const $names: &[&str] = &[$(stringify!($field)),*];
        fn $get(inputs: &$ty, id: usize) -> f64 {
            let mut idx = 0usize;
            $(
                if idx == id { return inputs.$field; }
                idx += 1;
            )*
            let _ = idx;
            f64::NAN
        }
        fn $set(inputs: &mut $ty, id: usize, value: f64) {
            let mut idx = 0usize;
            $(
                if idx == id {
                    inputs.$field = params!(@value value $(, $round)?);
                    return;
                }
                idx += 1;
            )*
            let _ = idx;
        }
    };
    (@value $value:ident) => { $value };
    (@value $value:ident, whole) => { $value.round() };
}

params!(
    ATB_PARAMS,
    atb_get,
    atb_set,
    AtbInputs,
    [
        overnight_cost_usd_per_kw,
        grid_connection_cost_usd_per_kw,
        construction_finance_factor,
        fixed_om_usd_per_kw_yr,
        variable_om_usd_per_mwh,
        fuel_price_usd_per_mmbtu,
        heat_rate_mmbtu_per_mwh,
        capacity_factor,
        cost_recovery_period_years,
        debt_fraction,
        interest_rate_nominal,
        rate_of_return_on_equity_nominal,
        tax_rate,
        inflation,
        itc,
    ]
);

params!(PCGE_PARAMS, pcge_get, pcge_set, PcgeInputs, [
    overnight_cost_usd_per_kw,
    construction_years: whole,
    fixed_om_usd_per_kw_yr,
    variable_om_usd_per_mwh,
    fuel_cost_usd_per_mwh,
    carbon_price_usd_per_tco2,
    emissions_tco2_per_mwh,
    capacity_factor,
    life_years: whole,
    discount_rate,
    decommissioning_fraction,
    decommissioning_years: whole,
]);

params!(CASHFLOW_PARAMS, cashflow_get, cashflow_set, CashflowInputs, [
    capacity_mw,
    total_capital_cost_usd_per_kw,
    fixed_om_usd_per_kw_yr,
    variable_om_usd_per_mwh,
    fuel_price_usd_per_mmbtu,
    heat_rate_mmbtu_per_mwh,
    capacity_factor,
    life_years: whole,
    debt_fraction,
    debt_rate,
    debt_tenor_years: whole,
    cost_of_equity,
    tax_rate,
    om_escalation,
    fuel_escalation,
    construction_years: whole,
    capex_escalation,
    construction_delay_years: whole,
    cost_overrun,
    decommissioning_cost_usd_per_kw,
    tariff_escalation,
    merchant_escalation,
]);

impl Case {
    /// `"atb"`, `"pcge"` or `"cashflow"`.
    #[must_use]
    pub fn method(&self) -> &'static str {
        match self {
            Case::Atb(_) => "atb",
            Case::Pcge(_) => "pcge",
            Case::Cashflow(_) => "cashflow",
        }
    }

    /// Names of the inputs that can be read and set (as in the case file). Inputs named
    /// `*_years` of PCGE and cash-flow cases are rounded to whole years when set.
    #[must_use]
    pub fn param_names(&self) -> &'static [&'static str] {
        match self {
            Case::Atb(_) => ATB_PARAMS,
            Case::Pcge(_) => PCGE_PARAMS,
            Case::Cashflow(_) => CASHFLOW_PARAMS,
        }
    }

    /// Resolves an input name.
    ///
    /// # Errors
    /// When the method has no scalar input of that name.
    pub fn param_id(&self, name: &str) -> Result<ParamId, EconError> {
        self.param_names()
            .iter()
            .position(|candidate| *candidate == name)
            .map(ParamId)
            .ok_or_else(|| {
                EconError::invalid(
                    name,
                    format!(
                        "is not a variable input of a `{}` case; expected one of: {}",
                        self.method(),
                        self.param_names().join(", ")
                    ),
                )
            })
    }

    /// Current value of an input.
    #[must_use]
    pub fn get(&self, id: ParamId) -> f64 {
        match self {
            Case::Atb(inputs) => atb_get(inputs, id.0),
            Case::Pcge(inputs) => pcge_get(inputs, id.0),
            Case::Cashflow(inputs) => cashflow_get(inputs, id.0),
        }
    }

    /// Sets an input.
    pub fn set(&mut self, id: ParamId, value: f64) {
        match self {
            Case::Atb(inputs) => atb_set(inputs, id.0, value),
            Case::Pcge(inputs) => pcge_set(inputs, id.0, value),
            Case::Cashflow(inputs) => cashflow_set(inputs, id.0, value),
        }
    }

    /// Checks the inputs.
    ///
    /// # Errors
    /// The first invalid input.
    pub fn validate(&self) -> Result<(), EconError> {
        match self {
            Case::Atb(inputs) => inputs.validate(),
            Case::Pcge(inputs) => inputs.validate(),
            Case::Cashflow(inputs) => inputs.validate(),
        }
    }

    /// The levelised cost (for cash-flow cases, the levelised tariff), $/MWh.
    ///
    /// # Errors
    /// Invalid inputs, or no finite answer.
    pub fn lcoe(&self) -> Result<f64, EconError> {
        let value = match self {
            Case::Atb(inputs) => {
                inputs.validate()?;
                atb_lcoe_unchecked(inputs).lcoe_usd_per_mwh
            }
            Case::Pcge(inputs) => pcge_lcoe(inputs)?.lcoe_usd_per_mwh,
            Case::Cashflow(inputs) => cashflow_lcoe(inputs)?,
        };
        if value.is_finite() {
            Ok(value)
        } else {
            Err(EconError::NoSolution(
                "the LCOE is not finite for these inputs".to_owned(),
            ))
        }
    }
}
