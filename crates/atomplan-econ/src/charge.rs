//! Capital charges on one basis, for planning models that compare builds by an annual cost.
//!
//! A capacity-expansion model charges every build a cost per kW-yr. The comparison is fair only
//! if every charge is on the same basis. Here that basis is real money of the price year of the
//! overnight cost (taken as money of financial close), levelised over the operating life, and
//! covering the overnight cost plus interest during construction. A build financed at a plain
//! real WACC gets `overnight · CFF(w) · CRF(w, life)`. A vendor's financing offer is stated in
//! nominal terms: a loan with its rate, tenor and grace, equity with its nominal return, and
//! inflation. It is turned into the same real charge by asking what constant real payment,
//! indexed to inflation, repays the loan and gives equity its nominal return. Under
//! build-own-operate with a PPA, the host's cost is the PPA price ([`ppa_host_cost`]).
//!
//! Time axis: t in years from financial close (t = 0, the start of construction and the date
//! of the price year's money). Construction year k (from 0) spends its share of the overnight
//! cost at mid-year, t = k + ½; commissioning (COD) is at t = C; operating year y ends at
//! t = C + y, where each year's charge is paid. A build with C = 0 is spent at once at t = 0.
//! These are the conventions of [`construction_finance_factor`], so a plain WACC and an offer
//! give the same charge when the offer's loan costs what its equity costs (tested).
//! Nominal and real money are converted only through [`crate::finance`].

use serde::{Deserialize, Serialize};

use crate::cashflow::{GraceInterest, Ppa, Repayment};
use crate::error::{check, EconError};
use crate::finance::{annuity_factor, capital_recovery_factor, price_index, real_from_nominal};
use crate::spend::{construction_finance_factor, SpendProfile};

/// What a build costs to put in service, per kW of net capacity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BuildCost {
    /// Overnight cost, real USD per kW in money of the price year (no interest during
    /// construction).
    pub overnight_cost_usd_per_kw: f64,
    /// Whole construction years from financial close to commissioning (0: spent at once).
    pub construction_years: f64,
    /// How the overnight cost is spread over the construction years.
    #[serde(default)]
    pub spend_profile: SpendProfile,
    /// Operating life over which the charge is levelised, years (> 0, may be fractional).
    pub life_years: f64,
}

impl BuildCost {
    /// Checks every input; names the first bad one.
    ///
    /// # Errors
    /// [`EconError::InvalidInput`] naming the field.
    pub fn validate(&self) -> Result<(), EconError> {
        check::non_negative("overnight_cost_usd_per_kw", self.overnight_cost_usd_per_kw)?;
        check::years_or_zero("construction_years", self.construction_years)?;
        check::positive("life_years", self.life_years)?;
        self.fractions().map(|_| ())
    }

    fn n_construction(&self) -> Result<usize, EconError> {
        check::years_or_zero("construction_years", self.construction_years)
    }

    /// Shares of the overnight cost spent in each construction year (empty when C = 0).
    fn fractions(&self) -> Result<Vec<f64>, EconError> {
        self.spend_profile.fractions(self.n_construction()?)
    }
}

/// A financing offer in its own nominal terms, with the inflation that relates them to real
/// money. Instalments are annual.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FinancingOffer {
    /// Share of each construction spend that the loan finances, in [0, 1].
    pub debt_fraction: f64,
    /// Annual nominal interest rate of the loan.
    pub debt_rate: f64,
    /// Whole years of annual instalments (required when `debt_fraction > 0`).
    pub debt_tenor_years: f64,
    /// Whole years after commissioning before the first instalment falls due: the first
    /// instalment is at the end of operating year `grace_years + 1`. Default 0.
    #[serde(default)]
    pub grace_years: f64,
    /// Level instalments or equal principal. Default annuity.
    #[serde(default)]
    pub repayment: Repayment,
    /// Interest before the first instalment (construction and grace) is added to the loan
    /// (`capitalised`, the default) or paid as it falls due by the owner (`paid`).
    #[serde(default)]
    pub grace_interest: GraceInterest,
    /// Equity's target return, annual, nominal.
    pub cost_of_equity: f64,
    /// General inflation, annual: what turns the nominal terms into real ones. Default 0.
    #[serde(default)]
    pub inflation: f64,
}

impl FinancingOffer {
    /// Checks every input; names the first bad one.
    ///
    /// # Errors
    /// [`EconError::InvalidInput`] naming the field.
    pub fn validate(&self) -> Result<(), EconError> {
        check::fraction("debt_fraction", self.debt_fraction)?;
        check::rate("debt_rate", self.debt_rate)?;
        if self.debt_fraction > 0.0 {
            check::years("debt_tenor_years", self.debt_tenor_years)?;
        }
        check::years_or_zero("grace_years", self.grace_years)?;
        check::rate("cost_of_equity", self.cost_of_equity)?;
        check::rate("inflation", self.inflation)?;
        Ok(())
    }

    /// Equity's target return in real terms (Fisher): the rate at which an offer's charge is
    /// levelised.
    #[must_use]
    pub fn real_cost_of_equity(&self) -> f64 {
        real_from_nominal(self.cost_of_equity, self.inflation)
    }
}

/// How a build is financed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Financing {
    /// One real weighted average cost of capital (a study's social discount rate, or a
    /// technology's real WACC).
    RealWacc(f64),
    /// A financing offer with nominal terms and inflation.
    Offer(FinancingOffer),
}

/// A build's annual capital charge on the common basis.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CapitalCharge {
    /// Level real payment at the end of each operating year, USD per kW-yr in money of the
    /// price year, that recovers the overnight cost plus the financing costs.
    pub charge_usd_per_kw_yr: f64,
    /// Real rate at which the charge is levelised: the WACC, or an offer's real cost of equity.
    pub levelising_rate_real: f64,
    /// Present value at commissioning, at the levelising rate, of the charges: the overnight
    /// cost plus interest during construction at a plain WACC; under an offer, the overnight
    /// cost plus every financing cost beyond equity's return. Real USD per kW.
    pub capital_at_cod_usd_per_kw: f64,
    /// `capital_at_cod_usd_per_kw − overnight_cost_usd_per_kw`.
    pub idc_usd_per_kw: f64,
    /// The real WACC at which the plain formula gives the same charge: the offer's cost of
    /// capital in real terms (the WACC itself for [`Financing::RealWacc`]). `None` when the
    /// overnight cost is 0 or no rate in (−0.9, 10) matches.
    pub equivalent_real_wacc: Option<f64>,
}

/// The plain charge `overnight · CFF(w) · CRF(w, life)` of a validated build.
fn plain_charge(cost: &BuildCost, fractions: &[f64], wacc_real: f64) -> f64 {
    cost.overnight_cost_usd_per_kw
        * construction_finance_factor(fractions, wacc_real)
        * capital_recovery_factor(wacc_real, cost.life_years)
}

/// The annual capital charge of a build, real and levelised, in USD per kW-yr of money of the
/// price year.
///
/// - [`Financing::RealWacc`] `w`: `charge = overnight · CFF(w) · CRF(w, life)`, with
///   `CFF = Σ_k f_k (1 + w)^(C − k − ½)` ([`construction_finance_factor`]) and
///   `CRF(w, n) = w / (1 − (1 + w)^−n)` ([`capital_recovery_factor`]).
/// - [`Financing::Offer`]: spend of year k is `S_k = overnight · f_k · (1 + i)^(k + ½)` in money
///   of the day; the loan finances `d·S_k` ([`offer_loan_schedule`]); equity pays the rest and
///   receives the charge `R·(1 + i)^(C + y)` at the end of operating year y = 1..life. R is the
///   real charge at which equity earns exactly its nominal cost `k_e`:
///
///   ```text
///   R = [ Σ_k (1 − d)·S_k (1 + k_e)^−t_k + Σ_t (interest paid_t + principal_t)(1 + k_e)^−t ]
///       / [ (1 + ρ)^−C · AF(ρ, life) ],     ρ = (1 + k_e)/(1 + i) − 1,  AF = 1/CRF
///   ```
///
///   When the loan costs what equity costs (`debt_rate = k_e`), the loan's flows are worth
///   what it lent and R reduces to the plain charge at `w = ρ`.
///
/// # Errors
/// Invalid inputs (see [`BuildCost::validate`] and [`FinancingOffer::validate`]), a WACC not
/// above −1, or no finite charge.
pub fn capital_charge(cost: &BuildCost, financing: &Financing) -> Result<CapitalCharge, EconError> {
    cost.validate()?;
    let fractions = cost.fractions()?;
    let (charge, levelising_rate_real, equivalent_real_wacc) = match financing {
        Financing::RealWacc(wacc_real) => {
            let wacc_real = check::rate("wacc_real", *wacc_real)?;
            (
                plain_charge(cost, &fractions, wacc_real),
                wacc_real,
                Some(wacc_real),
            )
        }
        Financing::Offer(offer) => {
            offer.validate()?;
            let charge = offer_charge(cost, &fractions, offer)?;
            (
                charge,
                offer.real_cost_of_equity(),
                equivalent_wacc(cost, &fractions, charge),
            )
        }
    };
    if !charge.is_finite() {
        return Err(EconError::NoSolution(
            "the capital charge is not finite for these inputs".to_owned(),
        ));
    }
    let capital_at_cod_usd_per_kw =
        charge / capital_recovery_factor(levelising_rate_real, cost.life_years);
    Ok(CapitalCharge {
        charge_usd_per_kw_yr: charge,
        levelising_rate_real,
        capital_at_cod_usd_per_kw,
        idc_usd_per_kw: capital_at_cod_usd_per_kw - cost.overnight_cost_usd_per_kw,
        equivalent_real_wacc,
    })
}

/// Time of construction spend k, years from financial close.
#[allow(clippy::cast_precision_loss)]
fn spend_time(n_construction: usize, spend_idx: usize) -> f64 {
    if n_construction == 0 {
        0.0
    } else {
        spend_idx as f64 + 0.5
    }
}

/// Construction spend in money of the day, per kW: `overnight · f_k · (1 + i)^t_k`.
fn nominal_spend(cost: &BuildCost, fractions: &[f64], inflation: f64) -> Vec<(f64, f64)> {
    let n_construction = fractions.len();
    if n_construction == 0 {
        return vec![(0.0, cost.overnight_cost_usd_per_kw)];
    }
    fractions
        .iter()
        .enumerate()
        .map(|(spend_idx, fraction)| {
            let time = spend_time(n_construction, spend_idx);
            (
                time,
                cost.overnight_cost_usd_per_kw * fraction * price_index(inflation, time),
            )
        })
        .collect()
}

fn offer_charge(
    cost: &BuildCost,
    fractions: &[f64],
    offer: &FinancingOffer,
) -> Result<f64, EconError> {
    let discount = |time: f64| (1.0 + offer.cost_of_equity).powf(-time);
    let equity_share = 1.0 - offer.debt_fraction;
    let mut pv_cost = 0.0;
    for (time, amount) in nominal_spend(cost, fractions, offer.inflation) {
        pv_cost += equity_share * amount * discount(time);
    }
    for year in loan_rows(cost, fractions, offer) {
        #[allow(clippy::cast_precision_loss)]
        let time = year.year as f64;
        pv_cost += (year.interest_paid_usd_per_kw + year.principal_usd_per_kw) * discount(time);
    }
    let real_rate = offer.real_cost_of_equity();
    #[allow(clippy::cast_precision_loss)]
    let n_construction = fractions.len() as f64;
    let pv_of_one_real_per_year =
        (1.0 + real_rate).powf(-n_construction) * annuity_factor(real_rate, cost.life_years);
    Ok(pv_cost / pv_of_one_real_per_year)
}

/// The real WACC whose plain charge equals `charge`, by bisection (the plain charge rises
/// with the rate: CFF and CRF both do).
fn equivalent_wacc(cost: &BuildCost, fractions: &[f64], charge: f64) -> Option<f64> {
    if cost.overnight_cost_usd_per_kw <= 0.0 || !charge.is_finite() {
        return None;
    }
    let gap = |rate: f64| plain_charge(cost, fractions, rate) - charge;
    let (mut lo, mut hi) = (-0.9, 10.0);
    if gap(lo) > 0.0 || gap(hi) < 0.0 {
        return None;
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if gap(mid) < 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo < 1e-15 {
            break;
        }
    }
    Some(0.5 * (lo + hi))
}

/// One year of an offer's loan, per kW of plant, in money of the day.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct LoanYear {
    /// Years from financial close at the end of this year; its flows sit at that time, its
    /// draws at mid-year. Row 0 is financial close itself and holds only the draw of a build
    /// spent at once.
    pub year: usize,
    pub drawn_usd_per_kw: f64,
    /// Interest added to the balance (construction and grace, when capitalised).
    pub interest_capitalised_usd_per_kw: f64,
    /// Interest paid in cash.
    pub interest_paid_usd_per_kw: f64,
    pub principal_usd_per_kw: f64,
    /// Balance at the end of the year.
    pub balance_usd_per_kw: f64,
}

impl LoanYear {
    /// Interest and principal paid in the year.
    #[must_use]
    pub fn service_usd_per_kw(&self) -> f64 {
        self.interest_paid_usd_per_kw + self.principal_usd_per_kw
    }
}

/// The offer's loan year by year, per kW of plant, in money of the day.
///
/// Draws are `debt_fraction` of each construction spend, at mid-year (at t = 0 for a build
/// spent at once). Interest compounds annually at `debt_rate`; a draw at mid-year accrues
/// `(1 + r)^½ − 1` in its first year. Before the first instalment (construction and
/// `grace_years` after COD) interest is capitalised or paid as the offer says. Then
/// `debt_tenor_years` annual instalments: level payments `B·CRF(r, n)` on the balance B at the
/// end of grace, or equal principal `B/n` plus interest; the last instalment clears the
/// balance. Empty without debt.
///
/// # Errors
/// Invalid inputs.
pub fn offer_loan_schedule(
    cost: &BuildCost,
    offer: &FinancingOffer,
) -> Result<Vec<LoanYear>, EconError> {
    cost.validate()?;
    offer.validate()?;
    Ok(loan_rows(cost, &cost.fractions()?, offer))
}

/// The loan schedule of validated inputs.
#[allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]
fn loan_rows(cost: &BuildCost, fractions: &[f64], offer: &FinancingOffer) -> Vec<LoanYear> {
    if offer.debt_fraction <= 0.0 {
        return Vec::new();
    }
    let rate = offer.debt_rate;
    let n_construction = fractions.len();
    // Validated whole numbers of years.
    let n_grace = offer.grace_years as usize;
    let n_instalments = (offer.debt_tenor_years as usize).max(1);
    let first_instalment_year = n_construction + n_grace + 1;
    let last_year = n_construction + n_grace + n_instalments;
    let spend = nominal_spend(cost, fractions, offer.inflation);
    let half_year_growth = (1.0 + rate).sqrt() - 1.0;
    let mut rows = Vec::with_capacity(last_year + 1);
    let mut balance = 0.0;
    let mut row_zero = LoanYear::default();
    if n_construction == 0 {
        row_zero.drawn_usd_per_kw = offer.debt_fraction * spend[0].1;
        balance = row_zero.drawn_usd_per_kw;
        row_zero.balance_usd_per_kw = balance;
    }
    rows.push(row_zero);
    let mut level_payment = 0.0;
    let mut straight_principal = 0.0;
    for year in 1..=last_year {
        let mut row = LoanYear {
            year,
            ..LoanYear::default()
        };
        let opening = balance;
        let mut interest = opening * rate;
        if year <= n_construction {
            let draw = offer.debt_fraction * spend[year - 1].1;
            row.drawn_usd_per_kw = draw;
            interest += draw * half_year_growth;
            balance += draw;
        }
        if year < first_instalment_year {
            match offer.grace_interest {
                GraceInterest::Capitalised => {
                    row.interest_capitalised_usd_per_kw = interest;
                    balance += interest;
                }
                GraceInterest::Paid => row.interest_paid_usd_per_kw = interest,
            }
        } else {
            if year == first_instalment_year {
                level_payment = opening * capital_recovery_factor(rate, n_instalments as f64);
                straight_principal = opening / n_instalments as f64;
            }
            let principal = if year == last_year {
                opening
            } else {
                match offer.repayment {
                    Repayment::Annuity => level_payment - interest,
                    Repayment::StraightLine => straight_principal,
                }
                .min(opening)
            };
            row.interest_paid_usd_per_kw = interest;
            row.principal_usd_per_kw = principal;
            balance = opening - principal;
        }
        row.balance_usd_per_kw = balance;
        rows.push(row);
    }
    rows
}

// ------------------------------------------------------------------ build-own-operate + PPA

/// Inputs of the host's cost under a build-own-operate PPA.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PpaHostInputs {
    /// The contract: price in money of the day of its first year, escalation, share of output,
    /// years and first operating year.
    pub ppa: Ppa,
    /// Net capacity factor of the plant, in (0, 1].
    pub capacity_factor: f64,
    /// Whole years from financial close (the price year's money) to commissioning.
    pub construction_years: f64,
    /// Real rate at which the host discounts, for the levelised price.
    pub real_discount_rate: f64,
    /// General inflation, annual.
    pub inflation: f64,
}

/// One contract year of a PPA as the host pays it, per kW of plant.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PpaHostYear {
    /// Operating year (1 = first year of operation).
    pub operating_year: usize,
    /// Years from financial close at the end of the operating year, when the payment falls.
    pub year: usize,
    /// Contract price in money of the day, `P·(1 + e)^(contract year − 1)`.
    pub price_usd_per_mwh: f64,
    /// The same price in real money of the price year.
    pub price_real_usd_per_mwh: f64,
    /// Contracted energy, `share · CF · 8.76` MWh per kW.
    pub energy_mwh_per_kw: f64,
    /// Payment in money of the day, USD per kW of plant.
    pub payment_usd_per_kw: f64,
    /// Payment in real money of the price year, USD per kW of plant.
    pub payment_real_usd_per_kw: f64,
}

/// The host's cost of a build-own-operate plant: what it pays under the PPA.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PpaHostCost {
    pub years: Vec<PpaHostYear>,
    /// Real levelised price over the contract at the host's real rate, USD/MWh of contracted
    /// energy in money of the price year: `Σ payment_real·(1+ρ)^−t / Σ energy·(1+ρ)^−t`.
    pub levelised_price_real_usd_per_mwh: f64,
    /// Contracted energy a year, MWh per kW of plant.
    pub contracted_mwh_per_kw_yr: f64,
    /// Level real payment per kW of plant in each contract year with the same present value
    /// as the contract: `levelised price × contracted MWh per kW-yr`. The host's annual cost
    /// per kW of a BOO candidate while the contract runs.
    pub charge_usd_per_kw_yr: f64,
}

/// The host's cost of a build-own-operate plant under its PPA, year by year and levelised.
///
/// Under BOO the vendor owns the plant and its financing; the host pays the contract price for
/// the contracted share of output, take-or-pay on the expected output. The price of contract
/// year y (operating year `start + y − 1`) is `P·(1 + e)^(y − 1)` in money of the day, paid at
/// the end of its operating year (t = C + operating year), and `price / (1 + i)^t` in real
/// money of the price year. Output outside the contract (the uncontracted share, and all
/// output after the contract ends) is not part of this cost; the caller prices it.
///
/// # Errors
/// Invalid inputs (price, share, years, rates, capacity factor).
pub fn ppa_host_cost(inputs: &PpaHostInputs) -> Result<PpaHostCost, EconError> {
    let ppa = &inputs.ppa;
    check::finite("price_usd_per_mwh", ppa.price_usd_per_mwh)?;
    check::fraction("share_of_output", ppa.share_of_output)?;
    let n_years = check::years("years", ppa.years)?;
    let start = check::years("start_operating_year", ppa.start_operating_year)?;
    check::rate("escalation", ppa.escalation)?;
    check::capacity_factor("capacity_factor", inputs.capacity_factor)?;
    let n_construction = check::years_or_zero("construction_years", inputs.construction_years)?;
    let real_rate = check::rate("real_discount_rate", inputs.real_discount_rate)?;
    check::rate("inflation", inputs.inflation)?;
    let energy_mwh_per_kw = ppa.share_of_output * inputs.capacity_factor * 8.76;
    let mut years = Vec::with_capacity(n_years);
    let (mut pv_payments, mut pv_energy) = (0.0, 0.0);
    for contract_year in 1..=n_years {
        let operating_year = start + contract_year - 1;
        let year = n_construction + operating_year;
        #[allow(clippy::cast_precision_loss)]
        let (time, escalation_years) = (year as f64, (contract_year - 1) as f64);
        let price_usd_per_mwh =
            ppa.price_usd_per_mwh * (1.0 + ppa.escalation).powf(escalation_years);
        let price_real_usd_per_mwh = price_usd_per_mwh / price_index(inputs.inflation, time);
        let row = PpaHostYear {
            operating_year,
            year,
            price_usd_per_mwh,
            price_real_usd_per_mwh,
            energy_mwh_per_kw,
            payment_usd_per_kw: price_usd_per_mwh * energy_mwh_per_kw,
            payment_real_usd_per_kw: price_real_usd_per_mwh * energy_mwh_per_kw,
        };
        let discount = (1.0 + real_rate).powf(-time);
        pv_payments += row.payment_real_usd_per_kw * discount;
        pv_energy += row.energy_mwh_per_kw * discount;
        years.push(row);
    }
    // With no contracted energy the levelised price is the discounted average price.
    let levelised_price_real_usd_per_mwh = if pv_energy > 0.0 {
        pv_payments / pv_energy
    } else {
        let (mut pv_price, mut pv_weight) = (0.0, 0.0);
        for row in &years {
            #[allow(clippy::cast_precision_loss)]
            let discount = (1.0 + real_rate).powf(-(row.year as f64));
            pv_price += row.price_real_usd_per_mwh * discount;
            pv_weight += discount;
        }
        pv_price / pv_weight
    };
    Ok(PpaHostCost {
        years,
        levelised_price_real_usd_per_mwh,
        contracted_mwh_per_kw_yr: energy_mwh_per_kw,
        charge_usd_per_kw_yr: levelised_price_real_usd_per_mwh * energy_mwh_per_kw,
    })
}

/// The host's real levelised cost per kW-yr of a build-own-operate plant over its whole life:
/// the PPA payments for the contracted share while the contract runs, and
/// `other_output_charge_usd_per_kw_yr` (real, per kW of plant, e.g. the plant's own
/// [`capital_charge`] plus fixed O&M at the host's rate) for the rest of the output: the
/// uncontracted share during the contract and all of it in the other operating years.
/// Levelised at the host's real rate over operating years 1..=`life_years`:
///
/// ```text
/// charge = Σ_y [payment_real_y + (1 − s_y)·other]·(1 + ρ)^−(C + y) / Σ_y (1 + ρ)^−(C + y)
/// ```
///
/// with `s_y` the contracted share in year y (0 outside the contract). This is one number a
/// planning model can charge a BOO candidate for every year of its life. Contract years
/// beyond the life are ignored.
///
/// # Errors
/// Invalid inputs (see [`ppa_host_cost`]), a life that is not a whole number of years, or a
/// non-finite other-output charge.
pub fn ppa_lifetime_charge(
    inputs: &PpaHostInputs,
    life_years: f64,
    other_output_charge_usd_per_kw_yr: f64,
) -> Result<f64, EconError> {
    let host = ppa_host_cost(inputs)?;
    let n_life = check::years("life_years", life_years)?;
    check::finite(
        "other_output_charge_usd_per_kw_yr",
        other_output_charge_usd_per_kw_yr,
    )?;
    let n_construction = check::years_or_zero("construction_years", inputs.construction_years)?;
    let real_rate = inputs.real_discount_rate;
    let (mut pv_cost, mut pv_years) = (0.0, 0.0);
    for operating_year in 1..=n_life {
        #[allow(clippy::cast_precision_loss)]
        let discount = (1.0 + real_rate).powf(-((n_construction + operating_year) as f64));
        let contract = host
            .years
            .iter()
            .find(|row| row.operating_year == operating_year);
        let (payment, share) = contract.map_or((0.0, 0.0), |row| {
            (row.payment_real_usd_per_kw, inputs.ppa.share_of_output)
        });
        pv_cost += (payment + (1.0 - share) * other_output_charge_usd_per_kw_yr) * discount;
        pv_years += discount;
    }
    Ok(pv_cost / pv_years)
}

// ------------------------------------------------------------------ WACC sensitivity

/// A build with its running costs, for a levelised cost at a plain real WACC.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimpleLcoeInputs {
    pub cost: BuildCost,
    /// Fixed O&M, real USD per kW-yr.
    pub fixed_om_usd_per_kw_yr: f64,
    /// Fuel, variable O&M and any other cost per MWh, real USD/MWh.
    pub variable_cost_usd_per_mwh: f64,
    /// Net capacity factor in (0, 1].
    pub capacity_factor: f64,
}

/// Charge and levelised cost at one real WACC.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WaccPoint {
    pub wacc_real: f64,
    /// [`capital_charge`] at this WACC, USD per kW-yr.
    pub charge_usd_per_kw_yr: f64,
    /// `(charge + fixed O&M) / (8.76 · CF) + variable cost`, USD/MWh.
    pub lcoe_usd_per_mwh: f64,
}

/// A build's capital charge and levelised cost at a low, central and high real WACC.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WaccSensitivity {
    pub low: WaccPoint,
    pub central: WaccPoint,
    pub high: WaccPoint,
}

/// The charge and levelised cost of a build at one real WACC.
///
/// # Errors
/// Invalid inputs.
pub fn lcoe_at_wacc(inputs: &SimpleLcoeInputs, wacc_real: f64) -> Result<WaccPoint, EconError> {
    check::finite("fixed_om_usd_per_kw_yr", inputs.fixed_om_usd_per_kw_yr)?;
    check::finite(
        "variable_cost_usd_per_mwh",
        inputs.variable_cost_usd_per_mwh,
    )?;
    check::capacity_factor("capacity_factor", inputs.capacity_factor)?;
    let charge = capital_charge(&inputs.cost, &Financing::RealWacc(wacc_real))?;
    Ok(WaccPoint {
        wacc_real,
        charge_usd_per_kw_yr: charge.charge_usd_per_kw_yr,
        lcoe_usd_per_mwh: (charge.charge_usd_per_kw_yr + inputs.fixed_om_usd_per_kw_yr)
            / (8.76 * inputs.capacity_factor)
            + inputs.variable_cost_usd_per_mwh,
    })
}

/// The charge and levelised cost at a low, central and high real WACC (e.g. PCGE's 3, 7 and
/// 10 %). The three rates need not be ordered; each point is computed on its own.
///
/// # Errors
/// Invalid inputs; the error names `wacc_real` for a rate not above −1.
pub fn wacc_sensitivity(
    inputs: &SimpleLcoeInputs,
    low: f64,
    central: f64,
    high: f64,
) -> Result<WaccSensitivity, EconError> {
    Ok(WaccSensitivity {
        low: lcoe_at_wacc(inputs, low)?,
        central: lcoe_at_wacc(inputs, central)?,
        high: lcoe_at_wacc(inputs, high)?,
    })
}
