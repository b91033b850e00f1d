//! NREL Annual Technology Baseline (ATB) fixed-charge-rate LCOE.
//!
//! ATB is the most widely quoted US reference for technology costs, so atomplan reproduces
//! its equations exactly (2023/2024 form, with the investment tax credit):
//!
//! ```text
//! WACC_nom = DF·IR·(1−TR) + (1−DF)·RROE          WACC_real = (1+WACC_nom)/(1+i) − 1
//! CRF      = WACC_real / (1 − (1+WACC_real)^−CRP)
//! PVD      = Σ_y FD_y / (1+WACC_nom)^y            (y = 1 for the first year of depreciation)
//! PFF      = (1 − TR·PVD·(1 − ITC/2) − ITC) / (1 − TR)
//! FCR      = CRF·PFF                              CAPEX = CFF·(OCC + GCC)
//! LCOE     = (FCR·CAPEX + FOM)·1000/(8760·CF) + VOM + fuel price·heat rate
//! ```
//!
//! Source: <https://atb.nrel.gov/electricity/2024/equations_&_variables>.

use serde::{Deserialize, Serialize};

use crate::depreciation::Depreciation;
use crate::error::{check, EconError};
use crate::finance::crf;

/// Inputs of the ATB LCOE, named as in the `[atb]` table of a case file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AtbInputs {
    /// Overnight capital cost, $/kW.
    pub overnight_cost_usd_per_kw: f64,
    /// Grid connection cost, $/kW.
    pub grid_connection_cost_usd_per_kw: f64,
    /// Construction finance factor (CAPEX / (OCC + GCC)), ≥ 1 normally; an input as in ATB.
    pub construction_finance_factor: f64,
    /// Fixed O&M, $/kW-yr.
    pub fixed_om_usd_per_kw_yr: f64,
    /// Variable O&M, $/MWh.
    pub variable_om_usd_per_mwh: f64,
    /// Fuel price, $/MMBtu.
    pub fuel_price_usd_per_mmbtu: f64,
    /// Heat rate, MMBtu/MWh.
    pub heat_rate_mmbtu_per_mwh: f64,
    /// Net capacity factor in (0, 1].
    pub capacity_factor: f64,
    /// Cost recovery period (years; may be fractional), > 0.
    pub cost_recovery_period_years: f64,
    /// Debt fraction of the capital structure in [0, 1].
    pub debt_fraction: f64,
    /// Nominal interest rate on debt.
    pub interest_rate_nominal: f64,
    /// Nominal rate of return on equity.
    pub rate_of_return_on_equity_nominal: f64,
    /// Combined federal and state tax rate in [0, 1).
    pub tax_rate: f64,
    /// Inflation rate.
    pub inflation: f64,
    /// Investment tax credit as a fraction of CAPEX in [0, 1].
    pub itc: f64,
    /// Tax depreciation schedule (ATB 2023/2024 nuclear: MACRS 5-year).
    pub depreciation: Depreciation,
}

/// Every intermediate of the ATB LCOE and the result.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AtbResult {
    pub wacc_nominal: f64,
    pub wacc_real: f64,
    pub crf: f64,
    /// Present value of depreciation (per $ of CAPEX), discounted at the nominal WACC.
    pub pvd: f64,
    /// Project finance factor.
    pub pff: f64,
    /// Fixed charge rate = CRF·PFF.
    pub fcr: f64,
    /// CAPEX = CFF·(OCC + GCC), $/kW.
    pub capex_usd_per_kw: f64,
    /// Capital component FCR·CAPEX·1000/(8760·CF), $/MWh.
    pub capital_usd_per_mwh: f64,
    /// Fixed O&M component FOM·1000/(8760·CF), $/MWh.
    pub fixed_om_usd_per_mwh: f64,
    /// Variable O&M, $/MWh.
    pub variable_om_usd_per_mwh: f64,
    /// Fuel = price·heat rate, $/MWh.
    pub fuel_usd_per_mwh: f64,
    /// The levelised cost, real $/MWh of the cost year.
    pub lcoe_usd_per_mwh: f64,
}

impl AtbInputs {
    /// Checks every input; names the first bad one.
    ///
    /// # Errors
    /// [`EconError::InvalidInput`] naming the field.
    #[inline]
    pub fn validate(&self) -> Result<(), EconError> {
        check::non_negative("overnight_cost_usd_per_kw", self.overnight_cost_usd_per_kw)?;
        check::non_negative(
            "grid_connection_cost_usd_per_kw",
            self.grid_connection_cost_usd_per_kw,
        )?;
        check::positive(
            "construction_finance_factor",
            self.construction_finance_factor,
        )?;
        check::finite("fixed_om_usd_per_kw_yr", self.fixed_om_usd_per_kw_yr)?;
        check::finite("variable_om_usd_per_mwh", self.variable_om_usd_per_mwh)?;
        check::finite("fuel_price_usd_per_mmbtu", self.fuel_price_usd_per_mmbtu)?;
        check::non_negative("heat_rate_mmbtu_per_mwh", self.heat_rate_mmbtu_per_mwh)?;
        check::capacity_factor("capacity_factor", self.capacity_factor)?;
        check::positive(
            "cost_recovery_period_years",
            self.cost_recovery_period_years,
        )?;
        check::fraction("debt_fraction", self.debt_fraction)?;
        check::rate("interest_rate_nominal", self.interest_rate_nominal)?;
        check::rate(
            "rate_of_return_on_equity_nominal",
            self.rate_of_return_on_equity_nominal,
        )?;
        check::tax_rate("tax_rate", self.tax_rate)?;
        check::rate("inflation", self.inflation)?;
        check::fraction("itc", self.itc)?;
        Ok(())
    }
}

/// The ATB fixed-charge-rate LCOE with all intermediates.
///
/// Edge cases: a real WACC of exactly 0 gives CRF = 1/CRP; a WACC at or below −1 is rejected.
///
/// # Errors
/// Invalid inputs (see [`AtbInputs::validate`]), or a WACC that is not above −1.
pub fn atb_lcoe(inputs: &AtbInputs) -> Result<AtbResult, EconError> {
    inputs.validate()?;
    let result = atb_lcoe_unchecked(inputs);
    if result.wacc_real <= -1.0 || result.wacc_nominal <= -1.0 {
        return Err(EconError::input(
            "rate_of_return_on_equity_nominal",
            result.wacc_nominal,
            "the resulting WACC must be greater than -1",
        ));
    }
    if !result.lcoe_usd_per_mwh.is_finite() {
        return Err(EconError::NoSolution(
            "the ATB LCOE is not finite for these inputs".to_owned(),
        ));
    }
    Ok(result)
}

/// The ATB formula without validation, for hot Monte Carlo loops whose inputs were checked.
#[must_use]
#[inline]
pub fn atb_lcoe_unchecked(inputs: &AtbInputs) -> AtbResult {
    let finance = atb_finance_unchecked(inputs);
    let fcr = finance.crf * finance.pff;
    let capex_usd_per_kw = inputs.construction_finance_factor
        * (inputs.overnight_cost_usd_per_kw + inputs.grid_connection_cost_usd_per_kw);
    let mwh_per_kw_yr = inputs.capacity_factor * 8760.0 / 1000.0;
    let capital_usd_per_mwh = fcr * capex_usd_per_kw / mwh_per_kw_yr;
    let fixed_om_usd_per_mwh = inputs.fixed_om_usd_per_kw_yr / mwh_per_kw_yr;
    let fuel_usd_per_mwh = inputs.fuel_price_usd_per_mmbtu * inputs.heat_rate_mmbtu_per_mwh;
    AtbResult {
        wacc_nominal: finance.wacc_nominal,
        wacc_real: finance.wacc_real,
        crf: finance.crf,
        pvd: finance.pvd,
        pff: finance.pff,
        fcr,
        capex_usd_per_kw,
        capital_usd_per_mwh,
        fixed_om_usd_per_mwh,
        variable_om_usd_per_mwh: inputs.variable_om_usd_per_mwh,
        fuel_usd_per_mwh,
        lcoe_usd_per_mwh: atb_lcoe_from_fcr(inputs, fcr),
    }
}

/// The financing part of the ATB formula (WACC, CRF, PVD, PFF), which depends only on
/// [`AtbInputs::is_financing_field`] inputs.
#[derive(Debug, Clone, Copy)]
pub struct AtbFinance {
    pub wacc_nominal: f64,
    pub wacc_real: f64,
    pub crf: f64,
    pub pvd: f64,
    pub pff: f64,
}

/// The financing part of the ATB formula, without validation.
#[must_use]
#[inline]
pub fn atb_finance_unchecked(inputs: &AtbInputs) -> AtbFinance {
    let debt = inputs.debt_fraction;
    let tax = inputs.tax_rate;
    let wacc_nominal = debt * inputs.interest_rate_nominal * (1.0 - tax)
        + (1.0 - debt) * inputs.rate_of_return_on_equity_nominal;
    let wacc_real = (1.0 + wacc_nominal) / (1.0 + inputs.inflation) - 1.0;
    let crf = crf(wacc_real, inputs.cost_recovery_period_years);
    // ATB discounts depreciation at (1 + WACC_real)(1 + i), i.e. the nominal WACC.
    let discount = 1.0 / ((1.0 + wacc_real) * (1.0 + inputs.inflation));
    let fractions = inputs.depreciation.fractions();
    let mut pvd = 0.0;
    let mut factor = 1.0;
    for fraction in fractions.iter() {
        factor *= discount;
        pvd += fraction * factor;
    }
    let itc = inputs.itc;
    let pff = (1.0 - tax * pvd * (1.0 - itc / 2.0) - itc) / (1.0 - tax);
    AtbFinance {
        wacc_nominal,
        wacc_real,
        crf,
        pvd,
        pff,
    }
}

/// The fixed charge rate `CRF·PFF` of [`atb_finance_unchecked`], bit for bit, given the
/// depreciation fractions of `inputs` computed once (`inputs.depreciation.fractions()`), so a
/// Monte Carlo that draws financing inputs does not rebuild them per sample.
#[must_use]
#[inline]
pub fn atb_fcr_with_fractions(inputs: &AtbInputs, fractions: &[f64]) -> f64 {
    let debt = inputs.debt_fraction;
    let tax = inputs.tax_rate;
    let wacc_nominal = debt * inputs.interest_rate_nominal * (1.0 - tax)
        + (1.0 - debt) * inputs.rate_of_return_on_equity_nominal;
    let wacc_real = (1.0 + wacc_nominal) / (1.0 + inputs.inflation) - 1.0;
    let crf = crf(wacc_real, inputs.cost_recovery_period_years);
    let discount = 1.0 / ((1.0 + wacc_real) * (1.0 + inputs.inflation));
    let mut pvd = 0.0;
    let mut factor = 1.0;
    for fraction in fractions {
        factor *= discount;
        pvd += fraction * factor;
    }
    let itc = inputs.itc;
    let pff = (1.0 - tax * pvd * (1.0 - itc / 2.0) - itc) / (1.0 - tax);
    crf * pff
}

/// The LCOE given the fixed charge rate (`CRF·PFF`), without validation: the part of the ATB
/// formula that Monte Carlo re-evaluates when no financing input is drawn.
#[must_use]
#[inline]
pub fn atb_lcoe_from_fcr(inputs: &AtbInputs, fcr: f64) -> f64 {
    let capex_usd_per_kw = inputs.construction_finance_factor
        * (inputs.overnight_cost_usd_per_kw + inputs.grid_connection_cost_usd_per_kw);
    let fuel_usd_per_mwh = inputs.fuel_price_usd_per_mmbtu * inputs.heat_rate_mmbtu_per_mwh;
    // Summed as (FCR·CAPEX + FOM)·1000/(CF·8760), the published grouping.
    (fcr * capex_usd_per_kw + inputs.fixed_om_usd_per_kw_yr) * 1000.0
        / (inputs.capacity_factor * 8760.0)
        + inputs.variable_om_usd_per_mwh
        + fuel_usd_per_mwh
}

impl AtbInputs {
    /// Whether the named input enters the fixed charge rate (WACC, CRF, depreciation, PFF).
    #[must_use]
    pub fn is_financing_field(name: &str) -> bool {
        matches!(
            name,
            "cost_recovery_period_years"
                | "debt_fraction"
                | "interest_rate_nominal"
                | "rate_of_return_on_equity_nominal"
                | "tax_rate"
                | "inflation"
                | "itc"
        )
    }

    /// The check [`AtbInputs::validate`] applies to the named input alone (`None` for an
    /// unknown name). Monte Carlo checks only the drawn inputs with it.
    #[must_use]
    pub fn field_check(name: &str) -> Option<fn(f64) -> bool> {
        let check: fn(f64) -> bool = match name {
            "overnight_cost_usd_per_kw"
            | "grid_connection_cost_usd_per_kw"
            | "heat_rate_mmbtu_per_mwh" => |value| check::non_negative("", value).is_ok(),
            "construction_finance_factor" | "cost_recovery_period_years" => {
                |value| check::positive("", value).is_ok()
            }
            "fixed_om_usd_per_kw_yr" | "variable_om_usd_per_mwh" | "fuel_price_usd_per_mmbtu" => {
                |value| check::finite("", value).is_ok()
            }
            "capacity_factor" => |value| check::capacity_factor("", value).is_ok(),
            "debt_fraction" | "itc" => |value| check::fraction("", value).is_ok(),
            "interest_rate_nominal" | "rate_of_return_on_equity_nominal" | "inflation" => {
                |value| check::rate("", value).is_ok()
            }
            "tax_rate" => |value| check::tax_rate("", value).is_ok(),
            _ => return None,
        };
        Some(check)
    }
}

/// ATB's construction finance factor from a spending profile:
/// `CFF = Σ_{y=0}^{C−1} FC_y·(1 + (1 − TR)·((1 + IDC)^(y + 0.5) − 1))`,
/// where `FC_y` are the fractions of capital spent in each construction year.
///
/// ATB reads the nuclear CFF from its workbook; use this only when building a CFF from your own
/// profile, never mixed with a workbook CFF.
#[must_use]
pub fn atb_construction_finance_factor(
    spend_fractions: &[f64],
    construction_interest_rate_nominal: f64,
    tax_rate: f64,
) -> f64 {
    spend_fractions
        .iter()
        .enumerate()
        .map(|(year_idx, fraction)| {
            #[allow(clippy::cast_precision_loss)]
            let years = year_idx as f64 + 0.5;
            fraction
                * (1.0
                    + (1.0 - tax_rate)
                        * ((1.0 + construction_interest_rate_nominal).powf(years) - 1.0))
        })
        .sum()
}
