//! The cost of a financing offer to the host state, year by year.
//!
//! A ministry weighing a vendor's offer needs more than a levelised cost. It needs to know what
//! the budget pays and what it stands behind:
//! - the service of a loan the state borrows itself (an intergovernmental export loan);
//! - the debt it guarantees for the project company, a contingent liability that is called
//!   only if the project defaults;
//! - a take-or-pay PPA in which a state off-taker buys a share of output at a fixed price,
//!   whose exposure is the part of the payment that the output's market value does not cover.
//!
//! All amounts are for the whole plant, in money of the day by year from financial close, on
//! the time axis of [`crate::charge`]. Present values are taken at the state's real discount
//! rate, converted to nominal through [`crate::finance::nominal_from_real`].

use serde::{Deserialize, Serialize};

use crate::cashflow::Ppa;
use crate::charge::{offer_loan_schedule, BuildCost, FinancingOffer};
use crate::error::{check, EconError};
use crate::finance::{nominal_from_real, price_index};

/// Inputs of the cost-to-the-state view of one offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateViewInputs {
    pub cost: BuildCost,
    /// Net capacity of the plant, MW.
    pub capacity_mw: f64,
    /// Net capacity factor, in (0, 1].
    pub capacity_factor: f64,
    pub offer: FinancingOffer,
    /// Share of the offer's loan that the state borrows and services from its budget, in
    /// [0, 1] (an intergovernmental export loan: 1; a loan to the project company: 0).
    pub state_borrowed_share: f64,
    /// Share of the rest of the loan (borrowed by the project company) that the state
    /// guarantees, in [0, 1].
    pub guaranteed_share: f64,
    /// A take-or-pay PPA with a state off-taker, if any.
    pub ppa: Option<Ppa>,
    /// Market value of the output in the first operating year, money of the day, USD/MWh.
    pub market_value_usd_per_mwh: f64,
    /// Annual escalation of the market value.
    pub market_value_escalation: f64,
    /// The state's real discount rate, for present values at financial close.
    pub real_discount_rate: f64,
}

/// One year of the state's exposure, whole plant, money of the day.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct StateYear {
    /// Years from financial close at the end of this year (0: financial close).
    pub year: usize,
    /// Interest the state pays on the loan it borrowed.
    pub loan_interest_usd: f64,
    /// Principal the state repays.
    pub loan_principal_usd: f64,
    /// `loan_interest_usd + loan_principal_usd`.
    pub loan_service_usd: f64,
    /// The state's own loan outstanding at the end of the year (a direct liability).
    pub state_debt_usd: f64,
    /// Guaranteed project debt outstanding at the end of the year (a contingent liability).
    pub guaranteed_debt_usd: f64,
    /// Energy bought under the PPA.
    pub ppa_volume_mwh: f64,
    /// PPA price, money of the day, USD/MWh (0 outside the contract).
    pub ppa_price_usd_per_mwh: f64,
    /// Market value of the output, money of the day, USD/MWh (0 before operation).
    pub market_value_usd_per_mwh: f64,
    /// `volume × max(PPA price − market value, 0)`: what the off-taker pays above the
    /// output's market value.
    pub take_or_pay_exposure_usd: f64,
    /// `(1 + inflation)^year`: divide by it for real money of financial close.
    pub price_index: f64,
}

/// The cost of an offer to the host state: the years and their totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostToState {
    pub years: Vec<StateYear>,
    /// Sum of the loan service, money of the day.
    pub loan_service_usd: f64,
    /// Present value at financial close of the loan service, at the state's discount rate.
    pub pv_loan_service_usd: f64,
    /// Largest guaranteed debt outstanding at any year end.
    pub peak_guaranteed_debt_usd: f64,
    /// Largest own loan outstanding at any year end.
    pub peak_state_debt_usd: f64,
    /// Sum of the take-or-pay exposure, money of the day.
    pub take_or_pay_exposure_usd: f64,
    /// Present value at financial close of the take-or-pay exposure.
    pub pv_take_or_pay_exposure_usd: f64,
    /// The nominal rate of the present values, `(1 + ρ)(1 + i) − 1`.
    pub discount_rate_nominal: f64,
}

impl StateViewInputs {
    /// Checks every input; names the first bad one.
    ///
    /// # Errors
    /// [`EconError::InvalidInput`] naming the field.
    pub fn validate(&self) -> Result<(), EconError> {
        self.cost.validate()?;
        self.offer.validate()?;
        check::positive("capacity_mw", self.capacity_mw)?;
        check::capacity_factor("capacity_factor", self.capacity_factor)?;
        check::fraction("state_borrowed_share", self.state_borrowed_share)?;
        check::fraction("guaranteed_share", self.guaranteed_share)?;
        check::finite("market_value_usd_per_mwh", self.market_value_usd_per_mwh)?;
        check::rate("market_value_escalation", self.market_value_escalation)?;
        check::rate("real_discount_rate", self.real_discount_rate)?;
        if let Some(ppa) = &self.ppa {
            check::finite("ppa.price_usd_per_mwh", ppa.price_usd_per_mwh)?;
            check::fraction("ppa.share_of_output", ppa.share_of_output)?;
            check::years("ppa.years", ppa.years)?;
            check::years("ppa.start_operating_year", ppa.start_operating_year)?;
            check::rate("ppa.escalation", ppa.escalation)?;
        }
        Ok(())
    }
}

/// The cost of an offer to the host state, by year.
///
/// Loan flows come from [`offer_loan_schedule`] scaled to the plant: the state's part is
/// `state_borrowed_share` of the loan (its interest paid and principal are budget outflows;
/// capitalised interest is not a flow), the guaranteed part `guaranteed_share` of the rest.
/// PPA year y (operating year `start + y − 1`, paid at its end) buys
/// `share · capacity · 8760 · CF` MWh at `P(1 + e)^(y − 1)`; the market value of operating year
/// m is `M(1 + g)^(m − 1)`.
///
/// # Errors
/// Invalid inputs.
pub fn cost_to_state(inputs: &StateViewInputs) -> Result<CostToState, EconError> {
    inputs.validate()?;
    let n_construction =
        check::years_or_zero("construction_years", inputs.cost.construction_years)?;
    let capacity_kw = inputs.capacity_mw * 1000.0;
    let loan = offer_loan_schedule(&inputs.cost, &inputs.offer)?;
    let project_share = 1.0 - inputs.state_borrowed_share;
    let mut ppa_last_year = 0;
    let mut ppa_first_operating_year = 0;
    let mut ppa_years = 0;
    if let Some(ppa) = &inputs.ppa {
        ppa_first_operating_year =
            check::years("ppa.start_operating_year", ppa.start_operating_year)?;
        ppa_years = check::years("ppa.years", ppa.years)?;
        ppa_last_year = n_construction + ppa_first_operating_year + ppa_years - 1;
    }
    let n_rows = loan.len().max(ppa_last_year + 1);
    let annual_energy_mwh = inputs.capacity_mw * 8760.0 * inputs.capacity_factor;
    let discount_rate_nominal =
        nominal_from_real(inputs.real_discount_rate, inputs.offer.inflation);
    let mut years = Vec::with_capacity(n_rows);
    let mut totals = CostToState {
        years: Vec::new(),
        loan_service_usd: 0.0,
        pv_loan_service_usd: 0.0,
        peak_guaranteed_debt_usd: 0.0,
        peak_state_debt_usd: 0.0,
        take_or_pay_exposure_usd: 0.0,
        pv_take_or_pay_exposure_usd: 0.0,
        discount_rate_nominal,
    };
    for year in 0..n_rows {
        #[allow(clippy::cast_precision_loss)]
        let time = year as f64;
        let mut row = StateYear {
            year,
            price_index: price_index(inputs.offer.inflation, time),
            ..StateYear::default()
        };
        if let Some(loan_year) = loan.get(year) {
            let state = inputs.state_borrowed_share * capacity_kw;
            row.loan_interest_usd = state * loan_year.interest_paid_usd_per_kw;
            row.loan_principal_usd = state * loan_year.principal_usd_per_kw;
            row.loan_service_usd = row.loan_interest_usd + row.loan_principal_usd;
            row.state_debt_usd = state * loan_year.balance_usd_per_kw;
            row.guaranteed_debt_usd = project_share
                * inputs.guaranteed_share
                * capacity_kw
                * loan_year.balance_usd_per_kw;
        }
        if year > n_construction {
            let operating_year = year - n_construction;
            #[allow(clippy::cast_precision_loss)]
            let elapsed = (operating_year - 1) as f64;
            row.market_value_usd_per_mwh = inputs.market_value_usd_per_mwh
                * (1.0 + inputs.market_value_escalation).powf(elapsed);
            if let Some(ppa) = &inputs.ppa {
                if operating_year >= ppa_first_operating_year
                    && operating_year < ppa_first_operating_year + ppa_years
                {
                    #[allow(clippy::cast_precision_loss)]
                    let contract_elapsed = (operating_year - ppa_first_operating_year) as f64;
                    row.ppa_volume_mwh = ppa.share_of_output * annual_energy_mwh;
                    row.ppa_price_usd_per_mwh =
                        ppa.price_usd_per_mwh * (1.0 + ppa.escalation).powf(contract_elapsed);
                    row.take_or_pay_exposure_usd = row.ppa_volume_mwh
                        * (row.ppa_price_usd_per_mwh - row.market_value_usd_per_mwh).max(0.0);
                }
            }
        }
        let discount = (1.0 + discount_rate_nominal).powf(-time);
        totals.loan_service_usd += row.loan_service_usd;
        totals.pv_loan_service_usd += row.loan_service_usd * discount;
        totals.take_or_pay_exposure_usd += row.take_or_pay_exposure_usd;
        totals.pv_take_or_pay_exposure_usd += row.take_or_pay_exposure_usd * discount;
        totals.peak_guaranteed_debt_usd =
            totals.peak_guaranteed_debt_usd.max(row.guaranteed_debt_usd);
        totals.peak_state_debt_usd = totals.peak_state_debt_usd.max(row.state_debt_usd);
        years.push(row);
    }
    totals.years = years;
    Ok(totals)
}
