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
use crate::error::{check::Rule, EconError};
use crate::finance::{crf, crf_lanes, nominal_growth, real_from_nominal};

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

/// Number of scalar inputs of [`AtbInputs`] (all but the depreciation schedule).
pub(crate) const ATB_FIELDS: usize = 15;

/// The name and range rule of each scalar input, in the order of [`AtbInputs::values`] (and of
/// the `[atb]` table): the one source of truth for [`AtbInputs::validate`] and for the checks
/// Monte Carlo applies to drawn inputs ([`AtbInputs::field_rule`]).
const ATB_RULES: [(&str, Rule); ATB_FIELDS] = [
    ("overnight_cost_usd_per_kw", Rule::NonNegative),
    ("grid_connection_cost_usd_per_kw", Rule::NonNegative),
    ("construction_finance_factor", Rule::Positive),
    ("fixed_om_usd_per_kw_yr", Rule::Finite),
    ("variable_om_usd_per_mwh", Rule::Finite),
    ("fuel_price_usd_per_mmbtu", Rule::Finite),
    ("heat_rate_mmbtu_per_mwh", Rule::NonNegative),
    ("capacity_factor", Rule::CapacityFactor),
    ("cost_recovery_period_years", Rule::Positive),
    ("debt_fraction", Rule::Fraction),
    ("interest_rate_nominal", Rule::Rate),
    ("rate_of_return_on_equity_nominal", Rule::Rate),
    ("tax_rate", Rule::TaxRate),
    ("inflation", Rule::Rate),
    ("itc", Rule::Fraction),
];

/// Column of each scalar input in [`AtbInputs::values`] and in the tiles of
/// [`atb_fcr_tile`] and [`atb_lcoe_tile`].
pub(crate) mod col {
    pub const OCC: usize = 0;
    pub const GCC: usize = 1;
    pub const CFF: usize = 2;
    pub const FOM: usize = 3;
    pub const VOM: usize = 4;
    pub const FUEL_PRICE: usize = 5;
    pub const HEAT_RATE: usize = 6;
    pub const CF: usize = 7;
    pub const CRP: usize = 8;
    pub const DEBT: usize = 9;
    pub const INTEREST: usize = 10;
    pub const ROE: usize = 11;
    pub const TAX: usize = 12;
    pub const INFLATION: usize = 13;
    pub const ITC: usize = 14;
}

impl AtbInputs {
    /// Checks every input; names the first bad one.
    ///
    /// # Errors
    /// [`EconError::InvalidInput`] naming the field.
    #[inline]
    pub fn validate(&self) -> Result<(), EconError> {
        for ((name, rule), value) in ATB_RULES.iter().zip(self.values()) {
            rule.check(name, value)?;
        }
        Ok(())
    }

    /// The scalar inputs in the order of the `[atb]` table (see [`ATB_RULES`]).
    #[must_use]
    pub fn values(&self) -> [f64; ATB_FIELDS] {
        [
            self.overnight_cost_usd_per_kw,
            self.grid_connection_cost_usd_per_kw,
            self.construction_finance_factor,
            self.fixed_om_usd_per_kw_yr,
            self.variable_om_usd_per_mwh,
            self.fuel_price_usd_per_mmbtu,
            self.heat_rate_mmbtu_per_mwh,
            self.capacity_factor,
            self.cost_recovery_period_years,
            self.debt_fraction,
            self.interest_rate_nominal,
            self.rate_of_return_on_equity_nominal,
            self.tax_rate,
            self.inflation,
            self.itc,
        ]
    }

    /// The column of the named scalar input in [`AtbInputs::values`].
    #[must_use]
    pub fn field_index(name: &str) -> Option<usize> {
        ATB_RULES.iter().position(|(field, _)| *field == name)
    }

    /// The rule [`AtbInputs::validate`] applies to the named input alone (`None` for an
    /// unknown name). Monte Carlo checks only the drawn inputs with it.
    #[must_use]
    pub(crate) fn field_rule(name: &str) -> Option<Rule> {
        Self::field_index(name).map(|idx| ATB_RULES[idx].1)
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
    let wacc_real = real_from_nominal(wacc_nominal, inputs.inflation);
    let crf = crf(wacc_real, inputs.cost_recovery_period_years);
    // ATB discounts depreciation at (1 + WACC_real)(1 + i), i.e. the nominal WACC.
    let discount = 1.0 / nominal_growth(wacc_real, inputs.inflation);
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

/// Lanes of the grouped ATB evaluation: samples are evaluated four at a time, each group's
/// intermediates held in vector registers.
pub(crate) const GROUP: usize = 4;

/// The fixed charge rate of samples `start..start + W` of a tile whose input `c` is the column
/// `cols[c]` (columns as in [`col`]), with the depreciation fractions of the case.
///
/// Decision: the operations of [`atb_finance_unchecked`] for `W` samples side by side, so the
/// compiler can use vector instructions (and keep the depreciation sum in registers). Each
/// lane performs the same IEEE operations in the same order as the scalar formula, so the
/// result equals `crf·pff` of [`atb_finance_unchecked`] bit for bit (tested).
#[inline(always)]
pub(crate) fn atb_fcr_lanes<const W: usize>(
    cols: &[&[f64]; ATB_FIELDS],
    start: usize,
    fractions: &[f64],
) -> [f64; W] {
    let lanes = |column: usize| -> [f64; W] { lanes_of(cols[column], start) };
    let (debt, interest, roe, tax) = (
        lanes(col::DEBT),
        lanes(col::INTEREST),
        lanes(col::ROE),
        lanes(col::TAX),
    );
    let (inflation, itc, period) = (lanes(col::INFLATION), lanes(col::ITC), lanes(col::CRP));
    let mut wacc_real = [0.0; W];
    let mut discount = [0.0; W];
    for lane in 0..W {
        let wacc_nominal =
            debt[lane] * interest[lane] * (1.0 - tax[lane]) + (1.0 - debt[lane]) * roe[lane];
        wacc_real[lane] = real_from_nominal(wacc_nominal, inflation[lane]);
        discount[lane] = 1.0 / nominal_growth(wacc_real[lane], inflation[lane]);
    }
    let mut factor = [1.0; W];
    let mut pvd = [0.0; W];
    for fraction in fractions {
        for lane in 0..W {
            factor[lane] *= discount[lane];
            pvd[lane] += fraction * factor[lane];
        }
    }
    let mut fcr = crf_lanes(wacc_real, period);
    for lane in 0..W {
        let pff =
            (1.0 - tax[lane] * pvd[lane] * (1.0 - itc[lane] / 2.0) - itc[lane]) / (1.0 - tax[lane]);
        fcr[lane] *= pff;
    }
    fcr
}

/// `column[start..start + W]` as an array (one bounds check).
#[inline(always)]
fn lanes_of<const W: usize>(column: &[f64], start: usize) -> [f64; W] {
    let mut lanes = [0.0; W];
    lanes.copy_from_slice(&column[start..start + W]);
    lanes
}

/// The LCOE of samples `start..start + W` of a tile from their fixed charge rates and inputs
/// `cols[c]`: the operations of [`atb_lcoe_from_fcr`] side by side, bit for bit.
#[inline(always)]
pub(crate) fn atb_lcoe_lanes<const W: usize>(
    cols: &[&[f64]; ATB_FIELDS],
    start: usize,
    fcr: [f64; W],
) -> [f64; W] {
    let lanes = |column: usize| -> [f64; W] { lanes_of(cols[column], start) };
    let (occ, gcc, cff, fom) = (
        lanes(col::OCC),
        lanes(col::GCC),
        lanes(col::CFF),
        lanes(col::FOM),
    );
    let (vom, fuel_price, heat_rate, cf) = (
        lanes(col::VOM),
        lanes(col::FUEL_PRICE),
        lanes(col::HEAT_RATE),
        lanes(col::CF),
    );
    let mut lcoe = [0.0; W];
    for lane in 0..W {
        let capex_usd_per_kw = cff[lane] * (occ[lane] + gcc[lane]);
        let fuel_usd_per_mwh = fuel_price[lane] * heat_rate[lane];
        lcoe[lane] = (fcr[lane] * capex_usd_per_kw + fom[lane]) * 1000.0 / (cf[lane] * 8760.0)
            + vom[lane]
            + fuel_usd_per_mwh;
    }
    lcoe
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
