//! Project cash-flow model: construction, debt tranches, equity, taxes, PPAs, and the
//! levelised tariff that gives equity its target return (Lazard's method).
//!
//! Real nuclear deals are financed by state export loans with grace periods, semi-annual
//! instalments and stepped rates (El Dabaa, Rooppur, Paks II) or sold under PPAs (Akkuyu), so a
//! fixed-charge rate is not enough: this module builds the nominal cash-flow table period by
//! period and solves for the tariff.
//!
//! Time grid: `periods_per_year` (1 or 2) periods a year; time point j is at j/p years after
//! financial close. Construction spend of period k sits at its start (time point k); commercial
//! operation (COD) is at time point `n_construction`; operating period m (from 1) ends at time
//! point `n_construction + m`. With no construction period, all capital is spent at t = 0
//! (Lazard's convention, capital cost including capitalised financing).

use serde::{Deserialize, Serialize};

use crate::depreciation::Depreciation;
use crate::error::{check, EconError};
use crate::finance::{irr, npv};
use crate::spend::SpendProfile;

/// How a loan is repaid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Repayment {
    /// Level instalments (recomputed on the remaining balance when the rate changes).
    #[default]
    Annuity,
    /// Equal principal instalments ("equal instalments" in export-loan agreements).
    StraightLine,
}

/// What happens to interest before the first instalment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GraceInterest {
    /// Interest is added to the loan balance.
    #[default]
    Capitalised,
    /// Interest is paid as it falls due (by equity during construction).
    Paid,
}

/// A rate that applies from some time after the first instalment.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RateStep {
    /// Years after the first instalment from which the rate applies (may be negative).
    pub from_repayment_year: f64,
    /// Annual nominal rate.
    pub rate: f64,
}

/// Terms of a debt tranche besides its size, rate and tenor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DebtTerms {
    /// Instalments a year: 1 or 2 (semi-annual). Default 1.
    pub instalments_per_year: u32,
    /// Years from financial close (t = 0) to the first instalment. `None`: one instalment
    /// period after commercial operation.
    pub grace_years: Option<f64>,
    pub repayment: Repayment,
    /// Later rates (e.g. Paks II: 4.5 %, 4.8 %, 4.95 % after repayment starts).
    pub rate_steps: Vec<RateStep>,
    /// Cap on the rate (e.g. Rooppur: 4 %).
    pub rate_cap: Option<f64>,
    /// Floor on the rate.
    pub rate_floor: Option<f64>,
    pub grace_interest: GraceInterest,
}

/// One debt tranche.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DebtTranche {
    pub name: String,
    /// Share of each capital spend financed by this tranche (an amount A is the share
    /// A / total capital cost).
    pub share: f64,
    /// Annual nominal rate before any step (the per-instalment rate is rate / instalments).
    pub rate: f64,
    /// Repayment period, years from the first instalment to the last.
    pub tenor_years: f64,
    pub terms: DebtTerms,
}

/// A power-purchase agreement for a share of output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ppa {
    /// Price in the first contract year, $/MWh (nominal).
    pub price_usd_per_mwh: f64,
    /// Share of the plant's output sold under this contract.
    pub share_of_output: f64,
    /// Contract length, years.
    pub years: f64,
    /// First operating year of the contract (1 = first year of operation).
    pub start_operating_year: f64,
    /// Annual escalation of the price.
    pub escalation: f64,
}

/// How tax losses are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TaxLosses {
    /// Negative taxable income gives a tax benefit in the same period (Lazard).
    #[default]
    Benefit,
    /// Losses are carried forward against later profits.
    CarryForward,
}

/// Inputs of the cash-flow model (nominal money).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CashflowInputs {
    /// Net capacity, MW.
    pub capacity_mw: f64,
    /// Capital cost spent over construction, $/kW (include capitalised financing when
    /// `construction_years = 0`, as Lazard does).
    pub total_capital_cost_usd_per_kw: f64,
    /// Fixed O&M in money of the first operating year, $/kW-yr.
    pub fixed_om_usd_per_kw_yr: f64,
    /// Variable O&M in money of the first operating year, $/MWh.
    pub variable_om_usd_per_mwh: f64,
    /// Fuel price in money of the first operating year, $/MMBtu.
    pub fuel_price_usd_per_mmbtu: f64,
    /// Heat rate, MMBtu/MWh.
    pub heat_rate_mmbtu_per_mwh: f64,
    /// Net capacity factor in (0, 1].
    pub capacity_factor: f64,
    /// Operating life, whole years.
    pub life_years: f64,
    /// Share of capital financed by the main tranche.
    pub debt_fraction: f64,
    /// Annual nominal rate of the main tranche.
    pub debt_rate: f64,
    /// Repayment period of the main tranche, years.
    pub debt_tenor_years: f64,
    /// Terms of the main tranche.
    pub debt_terms: DebtTerms,
    /// Further tranches (e.g. a commercial loan beside an export loan).
    pub extra_tranches: Vec<DebtTranche>,
    /// Equity's target return (annual, nominal, after tax).
    pub cost_of_equity: f64,
    /// Combined income tax rate in [0, 1).
    pub tax_rate: f64,
    pub tax_losses: TaxLosses,
    /// Annual escalation of O&M (and decommissioning cost).
    pub om_escalation: f64,
    /// Annual escalation of fuel.
    pub fuel_escalation: f64,
    pub depreciation: Depreciation,
    /// 1 (annual) or 2 (semi-annual).
    pub periods_per_year: u32,
    /// Construction years before commercial operation (whole periods; 0 = spend at t = 0).
    pub construction_years: f64,
    pub spend_profile: SpendProfile,
    /// Escalation of capital spend from financial close.
    pub capex_escalation: f64,
    /// Construction delay, years: the spend profile is stretched over the longer period.
    pub construction_delay_years: f64,
    /// Cost overrun as a fraction of capital cost (0.5 = +50 %).
    pub cost_overrun: f64,
    /// Decommissioning cost in money of the first operating year, $/kW (escalated at O&M
    /// escalation to the end of life).
    pub decommissioning_cost_usd_per_kw: f64,
    /// Earning rate of a sinking fund; with it, level contributions during operation; without,
    /// the cost is paid in the period after the end of operation.
    pub decommissioning_fund_rate: Option<f64>,
    /// Annual escalation of the solved tariff (0 = flat nominal, Lazard).
    pub tariff_escalation: f64,
    /// Contracts; with contracts or a merchant price, reported metrics use that revenue.
    pub ppas: Vec<Ppa>,
    /// Price of uncontracted output in the first operating year, $/MWh.
    pub merchant_price_usd_per_mwh: Option<f64>,
    pub merchant_escalation: f64,
    /// Discount rate of the project NPV; default the after-tax nominal WACC.
    pub discount_rate: Option<f64>,
    /// General inflation, annual. The model stays nominal (escalations are nominal rates of
    /// their own); inflation is the price index that turns its results into real money of
    /// financial close: `lcoe_real_usd_per_mwh`, `real_discount_rate` and each row's
    /// `price_index`. Default 0.
    #[serde(default)]
    pub inflation: f64,
}

impl CashflowInputs {
    /// Inputs with the required values and every optional one at its default: annual periods,
    /// no construction period, one annuity tranche repaid from the year after COD, tax losses
    /// as a benefit, flat nominal tariff, no decommissioning, no contracts.
    #[allow(clippy::too_many_arguments)]
    #[must_use]
    pub fn with_defaults(
        capacity_mw: f64,
        total_capital_cost_usd_per_kw: f64,
        fixed_om_usd_per_kw_yr: f64,
        variable_om_usd_per_mwh: f64,
        fuel_price_usd_per_mmbtu: f64,
        heat_rate_mmbtu_per_mwh: f64,
        capacity_factor: f64,
        life_years: f64,
    ) -> Self {
        CashflowInputs {
            capacity_mw,
            total_capital_cost_usd_per_kw,
            fixed_om_usd_per_kw_yr,
            variable_om_usd_per_mwh,
            fuel_price_usd_per_mmbtu,
            heat_rate_mmbtu_per_mwh,
            capacity_factor,
            life_years,
            debt_fraction: 0.0,
            debt_rate: 0.0,
            debt_tenor_years: life_years,
            debt_terms: DebtTerms {
                instalments_per_year: 1,
                ..DebtTerms::default()
            },
            extra_tranches: Vec::new(),
            cost_of_equity: 0.1,
            tax_rate: 0.0,
            tax_losses: TaxLosses::Benefit,
            om_escalation: 0.0,
            fuel_escalation: 0.0,
            depreciation: Depreciation::None,
            periods_per_year: 1,
            construction_years: 0.0,
            spend_profile: SpendProfile::Uniform,
            capex_escalation: 0.0,
            construction_delay_years: 0.0,
            cost_overrun: 0.0,
            decommissioning_cost_usd_per_kw: 0.0,
            decommissioning_fund_rate: None,
            tariff_escalation: 0.0,
            ppas: Vec::new(),
            merchant_price_usd_per_mwh: None,
            merchant_escalation: 0.0,
            discount_rate: None,
            inflation: 0.0,
        }
    }

    /// All tranches: the main one (when `debt_fraction > 0`) then the extra ones.
    #[must_use]
    pub fn tranches(&self) -> Vec<DebtTranche> {
        let mut tranches = Vec::with_capacity(1 + self.extra_tranches.len());
        if self.debt_fraction > 0.0 {
            tranches.push(DebtTranche {
                name: "main".to_owned(),
                share: self.debt_fraction,
                rate: self.debt_rate,
                tenor_years: self.debt_tenor_years,
                terms: self.debt_terms.clone(),
            });
        }
        tranches.extend(self.extra_tranches.iter().cloned());
        tranches
    }

    /// Checks every input; names the first bad one.
    ///
    /// # Errors
    /// [`EconError::InvalidInput`] naming the field.
    pub fn validate(&self) -> Result<(), EconError> {
        check::positive("capacity_mw", self.capacity_mw)?;
        check::non_negative(
            "total_capital_cost_usd_per_kw",
            self.total_capital_cost_usd_per_kw,
        )?;
        check::finite("fixed_om_usd_per_kw_yr", self.fixed_om_usd_per_kw_yr)?;
        check::finite("variable_om_usd_per_mwh", self.variable_om_usd_per_mwh)?;
        check::finite("fuel_price_usd_per_mmbtu", self.fuel_price_usd_per_mmbtu)?;
        check::non_negative("heat_rate_mmbtu_per_mwh", self.heat_rate_mmbtu_per_mwh)?;
        check::capacity_factor("capacity_factor", self.capacity_factor)?;
        check::years("life_years", self.life_years)?;
        check::fraction("debt_fraction", self.debt_fraction)?;
        check::rate("debt_rate", self.debt_rate)?;
        check::rate("cost_of_equity", self.cost_of_equity)?;
        check::tax_rate("tax_rate", self.tax_rate)?;
        check::rate("om_escalation", self.om_escalation)?;
        check::rate("fuel_escalation", self.fuel_escalation)?;
        if self.periods_per_year != 1 && self.periods_per_year != 2 {
            return Err(EconError::input(
                "periods_per_year",
                f64::from(self.periods_per_year),
                "must be 1 or 2",
            ));
        }
        check::years_or_zero("construction_years", self.construction_years)?;
        check::rate("capex_escalation", self.capex_escalation)?;
        check::years_or_zero("construction_delay_years", self.construction_delay_years)?;
        check::finite("cost_overrun", self.cost_overrun)?;
        if self.cost_overrun <= -1.0 {
            return Err(EconError::input(
                "cost_overrun",
                self.cost_overrun,
                "must be greater than -1",
            ));
        }
        check::non_negative(
            "decommissioning_cost_usd_per_kw",
            self.decommissioning_cost_usd_per_kw,
        )?;
        if let Some(rate) = self.decommissioning_fund_rate {
            check::rate("decommissioning_fund_rate", rate)?;
        }
        check::rate("tariff_escalation", self.tariff_escalation)?;
        check::rate("merchant_escalation", self.merchant_escalation)?;
        if let Some(price) = self.merchant_price_usd_per_mwh {
            check::finite("merchant_price_usd_per_mwh", price)?;
        }
        if let Some(rate) = self.discount_rate {
            check::rate("discount_rate", rate)?;
        }
        check::rate("inflation", self.inflation)?;
        if self.debt_fraction > 0.0 {
            check::years("debt_tenor_years", self.debt_tenor_years)?;
            validate_terms("debt", &self.debt_terms)?;
        }
        let mut total_share = self.debt_fraction;
        for (tranche_idx, tranche) in self.extra_tranches.iter().enumerate() {
            let prefix = format!("tranche[{tranche_idx}]");
            check::fraction(&format!("{prefix}.share"), tranche.share)?;
            check::rate(&format!("{prefix}.rate"), tranche.rate)?;
            check::years(&format!("{prefix}.tenor_years"), tranche.tenor_years)?;
            validate_terms(&prefix, &tranche.terms)?;
            total_share += tranche.share;
        }
        if total_share > 1.0 + 1e-12 {
            return Err(EconError::input(
                "debt_fraction",
                total_share,
                "the debt shares of all tranches sum to more than 1",
            ));
        }
        let mut contract_share = 0.0;
        for (ppa_idx, ppa) in self.ppas.iter().enumerate() {
            let prefix = format!("ppa[{ppa_idx}]");
            check::finite(
                &format!("{prefix}.price_usd_per_mwh"),
                ppa.price_usd_per_mwh,
            )?;
            check::fraction(&format!("{prefix}.share_of_output"), ppa.share_of_output)?;
            check::years(&format!("{prefix}.years"), ppa.years)?;
            check::years(
                &format!("{prefix}.start_operating_year"),
                ppa.start_operating_year,
            )?;
            check::rate(&format!("{prefix}.escalation"), ppa.escalation)?;
            contract_share += ppa.share_of_output;
        }
        if contract_share > 1.0 + 1e-12 {
            return Err(EconError::input(
                "ppa.share_of_output",
                contract_share,
                "contract shares sum to more than 1",
            ));
        }
        Ok(())
    }
}

fn validate_terms(prefix: &str, terms: &DebtTerms) -> Result<(), EconError> {
    if terms.instalments_per_year != 1 && terms.instalments_per_year != 2 {
        return Err(EconError::input(
            format!("{prefix}_instalments_per_year"),
            f64::from(terms.instalments_per_year),
            "must be 1 or 2",
        ));
    }
    if let Some(grace) = terms.grace_years {
        check::non_negative(&format!("{prefix}_grace_years"), grace)?;
        // The schedule has one entry per period up to the last instalment: bound it like every
        // other span of years.
        if grace > 1000.0 {
            return Err(EconError::input(
                format!("{prefix}_grace_years"),
                grace,
                "must be at most 1000 years",
            ));
        }
    }
    for step in &terms.rate_steps {
        check::finite(
            &format!("{prefix}_rate_steps.from_repayment_year"),
            step.from_repayment_year,
        )?;
        check::rate(&format!("{prefix}_rate_steps.rate"), step.rate)?;
    }
    if let Some(cap) = terms.rate_cap {
        check::rate(&format!("{prefix}_rate_cap"), cap)?;
    }
    if let Some(floor) = terms.rate_floor {
        check::rate(&format!("{prefix}_rate_floor"), floor)?;
    }
    Ok(())
}

/// One row of the cash-flow table (one period), all in nominal $.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct CashflowRow {
    /// Time point index.
    pub period: usize,
    /// Years after financial close.
    pub year: f64,
    /// Operating year (0 during construction and after the end of operation).
    pub operating_year: usize,
    pub energy_mwh: f64,
    pub revenue_usd: f64,
    pub om_usd: f64,
    pub fuel_usd: f64,
    pub ebitda_usd: f64,
    pub decommissioning_usd: f64,
    pub capex_usd: f64,
    pub debt_drawn_usd: f64,
    pub interest_paid_usd: f64,
    pub interest_capitalised_usd: f64,
    pub principal_usd: f64,
    pub debt_balance_usd: f64,
    pub depreciation_usd: f64,
    pub taxable_income_usd: f64,
    pub tax_usd: f64,
    pub cfads_usd: f64,
    pub debt_service_usd: f64,
    pub dscr: Option<f64>,
    pub equity_cash_flow_usd: f64,
    pub project_cash_flow_usd: f64,
    /// `(1 + inflation)^year`: divide a nominal amount of this row by it for real money of
    /// financial close.
    pub price_index: f64,
}

/// Results of the cash-flow model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CashflowResult {
    /// Levelised tariff (first operating year; flat nominal unless `tariff_escalation`) that
    /// gives equity exactly its target return, $/MWh.
    pub lcoe_usd_per_mwh: f64,
    /// The levelised tariff in real money of financial close: the constant real price R whose
    /// money of the day `R·(1 + inflation)^t` (t the years from financial close to the end of
    /// each operating period) gives equity exactly its target return. Equal to
    /// `lcoe_usd_per_mwh` with zero inflation and a flat tariff.
    pub lcoe_real_usd_per_mwh: f64,
    /// General inflation of the case.
    pub inflation: f64,
    /// `discount_rate` in real terms (Fisher).
    pub real_discount_rate: f64,
    /// "tariff" when the metrics below use the solved tariff, "contracts" when they use the
    /// PPA and merchant revenue.
    pub revenue_basis: String,
    /// With PPAs and no merchant price: the price of uncontracted output (first operating
    /// year, escalating at `merchant_escalation`) that gives equity its target return; the
    /// metrics then use it.
    pub required_merchant_price_usd_per_mwh: Option<f64>,
    pub total_capital_usd: f64,
    /// Interest accrued before COD (capitalised or paid).
    pub interest_during_construction_usd: f64,
    pub debt_drawn_usd: f64,
    pub equity_invested_usd: f64,
    /// Nominal discount rate of the project NPV.
    pub discount_rate: f64,
    /// After-tax project NPV at `discount_rate`, at financial close.
    pub npv_project_usd: f64,
    /// Equity NPV at the cost of equity, at financial close.
    pub npv_equity_usd: f64,
    /// After-tax unlevered project IRR (annual), if one exists.
    pub project_irr: Option<f64>,
    /// Equity IRR (annual), if one exists.
    pub equity_irr: Option<f64>,
    pub min_dscr: Option<f64>,
    pub average_dscr: Option<f64>,
    /// Years from COD until cumulative project cash flow turns non-negative.
    pub payback_years: Option<f64>,
    pub periods_per_year: u32,
    pub rows: Vec<CashflowRow>,
}

/// Flows of all tranches on the model grid.
#[derive(Debug, Clone, Default)]
struct DebtFlows {
    drawn: Vec<f64>,
    interest_paid: Vec<f64>,
    interest_capitalised: Vec<f64>,
    principal: Vec<f64>,
    balance: Vec<f64>,
}

fn rate_at(tranche: &DebtTranche, years_after_first_instalment: f64) -> f64 {
    let mut rate = tranche.rate;
    let mut best_from = f64::NEG_INFINITY;
    for step in &tranche.terms.rate_steps {
        if years_after_first_instalment >= step.from_repayment_year - 1e-9
            && step.from_repayment_year >= best_from
        {
            rate = step.rate;
            best_from = step.from_repayment_year;
        }
    }
    if let Some(cap) = tranche.terms.rate_cap {
        rate = rate.min(cap);
    }
    if let Some(floor) = tranche.terms.rate_floor {
        rate = rate.max(floor);
    }
    rate
}

/// Simulates one tranche on its own grid (the finer of the model and instalment grids) and
/// adds its flows to `flows`, on the model grid.
#[allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]
fn add_tranche(
    tranche: &DebtTranche,
    spend: &[f64],
    periods_per_year: usize,
    n_construction: usize,
    flows: &mut DebtFlows,
) {
    let instalments_per_year = tranche.terms.instalments_per_year.max(1) as usize;
    let steps_per_year = periods_per_year.max(instalments_per_year);
    let sub_per_model = steps_per_year / periods_per_year;
    let sub_per_instalment = steps_per_year / instalments_per_year;
    let cod_years = n_construction as f64 / periods_per_year as f64;
    let first_instalment_years = tranche
        .terms
        .grace_years
        .unwrap_or(cod_years + 1.0 / instalments_per_year as f64);
    let first_instalment_step =
        ((first_instalment_years * steps_per_year as f64).round() as usize).max(1);
    let n_instalments =
        ((tranche.tenor_years * instalments_per_year as f64).round() as usize).max(1);
    let last_step = first_instalment_step + (n_instalments - 1) * sub_per_instalment;
    let to_model = |sub_step: usize| sub_step.div_ceil(sub_per_model);
    let needed = to_model(last_step) + 1;
    for vector in [
        &mut flows.drawn,
        &mut flows.interest_paid,
        &mut flows.interest_capitalised,
        &mut flows.principal,
        &mut flows.balance,
    ] {
        if vector.len() < needed {
            vector.resize(needed, 0.0);
        }
    }
    let mut balance = 0.0;
    let mut accrued = 0.0;
    let mut instalments_left = n_instalments;
    let mut next_instalment_step = first_instalment_step;
    let mut level_payment: Option<(f64, f64)> = None; // (rate, payment)
    let mut straight_principal = 0.0;
    let mut last_balance_step = 0;
    for sub_step in 0..=last_step {
        let model_idx = to_model(sub_step);
        let years = sub_step as f64 / steps_per_year as f64;
        // Interest over the step that ends at this sub-step, on the opening balance.
        if sub_step > 0 {
            let rate = rate_at(
                tranche,
                years - 1.0 / steps_per_year as f64 - first_instalment_years,
            );
            let interest = balance * rate / steps_per_year as f64;
            if sub_step < first_instalment_step {
                match tranche.terms.grace_interest {
                    GraceInterest::Capitalised => {
                        balance += interest;
                        flows.interest_capitalised[model_idx] += interest;
                    }
                    GraceInterest::Paid => flows.interest_paid[model_idx] += interest,
                }
            } else {
                accrued += interest;
            }
        }
        // Draws at model time points (spend sits at the start of each construction period).
        if sub_step % sub_per_model == 0 {
            let spend_idx = sub_step / sub_per_model;
            if let Some(amount) = spend.get(spend_idx) {
                let draw = amount * tranche.share;
                balance += draw;
                flows.drawn[model_idx] += draw;
            }
        }
        if sub_step == next_instalment_step && instalments_left > 0 {
            next_instalment_step += sub_per_instalment;
            let rate = rate_at(tranche, years - first_instalment_years);
            let rate_per_instalment = rate / instalments_per_year as f64;
            let principal = match tranche.terms.repayment {
                Repayment::Annuity => {
                    let payment = match level_payment {
                        Some((fixed_rate, payment)) if fixed_rate == rate => payment,
                        _ => {
                            let payment = -crate::finance::pmt(
                                rate_per_instalment,
                                instalments_left as f64,
                                balance,
                                0.0,
                                crate::finance::When::End,
                            );
                            level_payment = Some((rate, payment));
                            payment
                        }
                    };
                    (payment - balance * rate_per_instalment).min(balance)
                }
                Repayment::StraightLine => {
                    if instalments_left == n_instalments {
                        straight_principal = balance / n_instalments as f64;
                    }
                    straight_principal.min(balance)
                }
            };
            let principal = if instalments_left == 1 {
                balance
            } else {
                principal
            };
            flows.interest_paid[model_idx] += accrued;
            flows.principal[model_idx] += principal;
            accrued = 0.0;
            balance -= principal;
            instalments_left -= 1;
        }
        if sub_step % sub_per_model == 0 || sub_step == last_step {
            flows.balance[model_idx] += balance;
            last_balance_step = model_idx;
        }
    }
    let _ = last_balance_step;
}

/// The parts of the model that do not depend on the tariff.
struct Skeleton {
    periods_per_year: usize,
    n_construction: usize,
    n_operating: usize,
    n_points: usize,
    spend: Vec<f64>,
    energy: Vec<f64>,
    operating_year: Vec<usize>,
    /// Revenue per $/MWh of first-year tariff.
    tariff_coefficient: Vec<f64>,
    contract_revenue: Vec<f64>,
    /// Uncontracted energy × merchant escalation (revenue per $/MWh of merchant price).
    uncontracted_coefficient: Vec<f64>,
    om: Vec<f64>,
    fuel: Vec<f64>,
    decommissioning: Vec<f64>,
    depreciation: Vec<f64>,
    debt: DebtFlows,
    equity_share: f64,
}

#[allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]
fn build_skeleton(inputs: &CashflowInputs) -> Result<Skeleton, EconError> {
    inputs.validate()?;
    let periods_per_year = inputs.periods_per_year as usize;
    let p = periods_per_year as f64;
    let construction_years = check::years_or_zero("construction_years", inputs.construction_years)?
        + check::years_or_zero("construction_delay_years", inputs.construction_delay_years)?;
    let life_years = check::years("life_years", inputs.life_years)?;
    let n_construction = construction_years * periods_per_year;
    let n_operating = life_years * periods_per_year;
    let capacity_kw = inputs.capacity_mw * 1000.0;
    let total_capital =
        inputs.total_capital_cost_usd_per_kw * capacity_kw * (1.0 + inputs.cost_overrun);
    let fractions = if n_construction == 0 {
        vec![1.0]
    } else {
        inputs.spend_profile.fractions(n_construction)?
    };
    let spend: Vec<f64> = fractions
        .iter()
        .enumerate()
        .map(|(idx, fraction)| {
            fraction * total_capital * (1.0 + inputs.capex_escalation).powf(idx as f64 / p)
        })
        .collect();

    let tranches = inputs.tranches();
    let equity_share = 1.0 - tranches.iter().map(|tranche| tranche.share).sum::<f64>();
    let mut debt = DebtFlows::default();
    for tranche in &tranches {
        add_tranche(tranche, &spend, periods_per_year, n_construction, &mut debt);
    }

    let decommissioning_at_end = capacity_kw
        * inputs.decommissioning_cost_usd_per_kw
        * (1.0 + inputs.om_escalation).powf(life_years as f64);
    let end_of_operation = n_construction + n_operating;
    let has_decommissioning_payment =
        decommissioning_at_end > 0.0 && inputs.decommissioning_fund_rate.is_none();
    let n_points =
        (end_of_operation + 1 + usize::from(has_decommissioning_payment)).max(debt.drawn.len());
    for vector in [
        &mut debt.drawn,
        &mut debt.interest_paid,
        &mut debt.interest_capitalised,
        &mut debt.principal,
        &mut debt.balance,
    ] {
        vector.resize(n_points, 0.0);
    }
    let mut spend_full = spend;
    spend_full.resize(n_points, 0.0);

    let mut energy = vec![0.0; n_points];
    let mut operating_year = vec![0usize; n_points];
    let mut tariff_coefficient = vec![0.0; n_points];
    let mut contract_revenue = vec![0.0; n_points];
    let mut uncontracted_coefficient = vec![0.0; n_points];
    let mut om = vec![0.0; n_points];
    let mut fuel = vec![0.0; n_points];
    let mut decommissioning = vec![0.0; n_points];
    let mut depreciation = vec![0.0; n_points];
    let depreciable_base = total_capital_spent(&spend_full)
        + debt.interest_capitalised[..=n_construction.min(n_points - 1)]
            .iter()
            .sum::<f64>()
        + debt.interest_paid[..=n_construction.min(n_points - 1)]
            .iter()
            .sum::<f64>();
    let energy_per_period = capacity_kw / 1000.0 * 8760.0 / p * inputs.capacity_factor;
    let fund_contribution = match inputs.decommissioning_fund_rate {
        Some(rate) if decommissioning_at_end > 0.0 => {
            let rate_per_period = (1.0 + rate).powf(1.0 / p) - 1.0;
            let n = n_operating as f64;
            if rate_per_period == 0.0 {
                decommissioning_at_end / n
            } else {
                decommissioning_at_end * rate_per_period / ((1.0 + rate_per_period).powf(n) - 1.0)
            }
        }
        _ => 0.0,
    };
    let merchant = inputs.merchant_price_usd_per_mwh.unwrap_or(0.0);
    for period in 1..=n_operating {
        let idx = n_construction + period;
        let year = (period - 1) / periods_per_year + 1;
        let years_elapsed = (year - 1) as f64;
        operating_year[idx] = year;
        energy[idx] = energy_per_period;
        tariff_coefficient[idx] =
            energy_per_period * (1.0 + inputs.tariff_escalation).powf(years_elapsed);
        let om_escalator = (1.0 + inputs.om_escalation).powf(years_elapsed);
        om[idx] = (inputs.fixed_om_usd_per_kw_yr * capacity_kw / p
            + inputs.variable_om_usd_per_mwh * energy_per_period)
            * om_escalator;
        fuel[idx] = inputs.fuel_price_usd_per_mmbtu
            * inputs.heat_rate_mmbtu_per_mwh
            * energy_per_period
            * (1.0 + inputs.fuel_escalation).powf(years_elapsed);
        decommissioning[idx] = fund_contribution;
        depreciation[idx] = depreciable_base * inputs.depreciation.fraction_in_year(year) / p;
        let mut contracted = 0.0;
        let mut revenue = 0.0;
        for ppa in &inputs.ppas {
            let start = ppa.start_operating_year as usize;
            let years = ppa.years as usize;
            if year >= start && year < start + years {
                contracted += ppa.share_of_output;
                revenue += energy_per_period
                    * ppa.share_of_output
                    * ppa.price_usd_per_mwh
                    * (1.0 + ppa.escalation).powf((year - start) as f64);
            }
        }
        let uncontracted = (1.0 - contracted).max(0.0);
        uncontracted_coefficient[idx] = energy_per_period
            * uncontracted
            * (1.0 + inputs.merchant_escalation).powf(years_elapsed);
        revenue += energy_per_period
            * uncontracted
            * merchant
            * (1.0 + inputs.merchant_escalation).powf(years_elapsed);
        contract_revenue[idx] = revenue;
    }
    // Depreciation left beyond the life (long schedules, short lives) is taken in the last period.
    let taken: f64 = depreciation.iter().sum();
    if depreciable_base > 0.0 && n_operating > 0 && inputs.depreciation != Depreciation::None {
        let remaining = depreciable_base - taken;
        if remaining > 1e-9 * depreciable_base {
            depreciation[end_of_operation] += remaining;
        }
    }
    if has_decommissioning_payment {
        decommissioning[end_of_operation + 1] = decommissioning_at_end;
    }
    Ok(Skeleton {
        periods_per_year,
        n_construction,
        n_operating,
        n_points,
        spend: spend_full,
        energy,
        operating_year,
        tariff_coefficient,
        contract_revenue,
        uncontracted_coefficient,
        om,
        fuel,
        decommissioning,
        depreciation,
        debt,
        equity_share,
    })
}

fn total_capital_spent(spend: &[f64]) -> f64 {
    spend.iter().sum()
}

/// Taxes for a revenue vector; `levered` deducts interest.
fn taxes(
    skeleton: &Skeleton,
    revenue: &[f64],
    tax_rate: f64,
    tax_losses: TaxLosses,
    levered: bool,
) -> (Vec<f64>, Vec<f64>) {
    let mut taxable = vec![0.0; skeleton.n_points];
    let mut tax = vec![0.0; skeleton.n_points];
    let mut loss_carried = 0.0;
    for idx in 0..skeleton.n_points {
        let interest = if levered && idx > skeleton.n_construction {
            skeleton.debt.interest_paid[idx]
        } else {
            0.0
        };
        let income = revenue[idx]
            - skeleton.om[idx]
            - skeleton.fuel[idx]
            - skeleton.decommissioning[idx]
            - skeleton.depreciation[idx]
            - interest;
        taxable[idx] = income;
        tax[idx] = match tax_losses {
            TaxLosses::Benefit => tax_rate * income,
            TaxLosses::CarryForward => {
                let net = income - loss_carried;
                if net >= 0.0 {
                    loss_carried = 0.0;
                    tax_rate * net
                } else {
                    loss_carried = -net;
                    0.0
                }
            }
        };
    }
    (taxable, tax)
}

fn equity_flows(skeleton: &Skeleton, revenue: &[f64], tax: &[f64]) -> Vec<f64> {
    (0..skeleton.n_points)
        .map(|idx| {
            -skeleton.spend[idx] * skeleton.equity_share + revenue[idx]
                - skeleton.om[idx]
                - skeleton.fuel[idx]
                - skeleton.decommissioning[idx]
                - tax[idx]
                - skeleton.debt.interest_paid[idx]
                - skeleton.debt.principal[idx]
        })
        .collect()
}

/// Revenue of a tariff-like price: `fixed + price × coefficient`.
#[derive(Clone, Copy)]
struct RevenueBasis<'a> {
    fixed: Option<&'a [f64]>,
    coefficient: &'a [f64],
}

impl RevenueBasis<'_> {
    fn revenue(&self, price: f64) -> Vec<f64> {
        match self.fixed {
            Some(fixed) => fixed
                .iter()
                .zip(self.coefficient)
                .map(|(fixed, coefficient)| fixed + coefficient * price)
                .collect(),
            None => self
                .coefficient
                .iter()
                .map(|coefficient| coefficient * price)
                .collect(),
        }
    }
}

fn revenue_at_tariff(skeleton: &Skeleton, tariff: f64) -> Vec<f64> {
    RevenueBasis {
        fixed: None,
        coefficient: &skeleton.tariff_coefficient,
    }
    .revenue(tariff)
}

fn equity_npv_at_tariff(
    skeleton: &Skeleton,
    inputs: &CashflowInputs,
    basis: RevenueBasis<'_>,
    rate_per_period: f64,
    tariff: f64,
) -> f64 {
    let revenue = basis.revenue(tariff);
    let (_, tax) = taxes(skeleton, &revenue, inputs.tax_rate, inputs.tax_losses, true);
    npv(rate_per_period, &equity_flows(skeleton, &revenue, &tax))
}

/// Solves for the first-year tariff at which the equity NPV at the cost of equity is zero.
fn solve_tariff(skeleton: &Skeleton, inputs: &CashflowInputs) -> Result<f64, EconError> {
    solve_price(
        skeleton,
        inputs,
        RevenueBasis {
            fixed: None,
            coefficient: &skeleton.tariff_coefficient,
        },
    )
}

/// Solves for the price at which the equity NPV at the cost of equity is zero.
fn solve_price(
    skeleton: &Skeleton,
    inputs: &CashflowInputs,
    basis: RevenueBasis<'_>,
) -> Result<f64, EconError> {
    let rate_per_period =
        crate::finance::per_period(inputs.cost_of_equity, inputs.periods_per_year);
    let f = |tariff: f64| equity_npv_at_tariff(skeleton, inputs, basis, rate_per_period, tariff);
    // Equity NPV is affine in the tariff when tax losses are a benefit, and non-decreasing
    // otherwise: take the secant through two points, then bracket and refine.
    let f0 = f(0.0);
    let f1 = f(100.0);
    let slope = (f1 - f0) / 100.0;
    if slope.is_nan() || slope <= 0.0 || !slope.is_finite() {
        return Err(EconError::NoSolution(
            "the equity return does not rise with the tariff (no energy is sold)".to_owned(),
        ));
    }
    let guess = -f0 / slope;
    let f_guess = f(guess);
    if f_guess.abs() <= 1e-9 * (f0.abs() + f1.abs() + 1.0) {
        return Ok(guess);
    }
    let (mut lo, mut hi) = (guess - 1.0, guess + 1.0);
    let mut expand = 1.0;
    while f(lo) > 0.0 {
        expand *= 2.0;
        lo = guess - expand;
        if expand > 1e9 {
            return Err(EconError::NoSolution(
                "no tariff gives equity its target return".to_owned(),
            ));
        }
    }
    expand = 1.0;
    while f(hi) < 0.0 {
        expand *= 2.0;
        hi = guess + expand;
        if expand > 1e9 {
            return Err(EconError::NoSolution(
                "no tariff gives equity its target return".to_owned(),
            ));
        }
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if f(mid) < 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo < 1e-10 * (1.0 + hi.abs()) {
            break;
        }
    }
    Ok(0.5 * (lo + hi))
}

/// Only the levelised tariff (no table, no IRRs), for Monte Carlo loops.
///
/// # Errors
/// Invalid inputs, or no tariff gives equity its target return.
pub fn cashflow_lcoe(inputs: &CashflowInputs) -> Result<f64, EconError> {
    let skeleton = build_skeleton(inputs)?;
    solve_tariff(&skeleton, inputs)
}

/// Runs the cash-flow model: solves the levelised tariff and reports NPV, IRRs, DSCR,
/// payback and the table.
///
/// With PPAs or a merchant price, the table and metrics use that revenue; otherwise they use
/// the solved tariff (so the equity IRR equals the cost of equity).
///
/// # Errors
/// Invalid inputs, or no tariff gives equity its target return.
#[allow(clippy::cast_precision_loss, clippy::too_many_lines)]
pub fn cashflow(inputs: &CashflowInputs) -> Result<CashflowResult, EconError> {
    let skeleton = build_skeleton(inputs)?;
    let tariff = solve_tariff(&skeleton, inputs)?;
    let p = skeleton.periods_per_year as f64;
    let price_index: Vec<f64> = (0..skeleton.n_points)
        .map(|idx| crate::finance::price_index(inputs.inflation, idx as f64 / p))
        .collect();
    // Revenue per unit of real price: energy in money of the day of each period.
    let real_tariff_coefficient: Vec<f64> = skeleton
        .energy
        .iter()
        .zip(&price_index)
        .map(|(energy, index)| energy * index)
        .collect();
    let lcoe_real_usd_per_mwh = solve_price(
        &skeleton,
        inputs,
        RevenueBasis {
            fixed: None,
            coefficient: &real_tariff_coefficient,
        },
    )?;
    let contracts = !inputs.ppas.is_empty() || inputs.merchant_price_usd_per_mwh.is_some();
    // With contracts but no merchant price, solve the price the uncontracted output needs.
    let required_merchant_price_usd_per_mwh =
        if !inputs.ppas.is_empty() && inputs.merchant_price_usd_per_mwh.is_none() {
            let basis = RevenueBasis {
                fixed: Some(&skeleton.contract_revenue),
                coefficient: &skeleton.uncontracted_coefficient,
            };
            Some(solve_price(&skeleton, inputs, basis)?)
        } else {
            None
        };
    let revenue = match (contracts, required_merchant_price_usd_per_mwh) {
        (true, Some(price)) => RevenueBasis {
            fixed: Some(&skeleton.contract_revenue),
            coefficient: &skeleton.uncontracted_coefficient,
        }
        .revenue(price),
        (true, None) => skeleton.contract_revenue.clone(),
        (false, _) => revenue_at_tariff(&skeleton, tariff),
    };
    let (taxable, tax) = taxes(
        &skeleton,
        &revenue,
        inputs.tax_rate,
        inputs.tax_losses,
        true,
    );
    let (_, unlevered_tax) = taxes(
        &skeleton,
        &revenue,
        inputs.tax_rate,
        inputs.tax_losses,
        false,
    );
    let equity = equity_flows(&skeleton, &revenue, &tax);
    let project: Vec<f64> = (0..skeleton.n_points)
        .map(|idx| {
            -skeleton.spend[idx] + revenue[idx]
                - skeleton.om[idx]
                - skeleton.fuel[idx]
                - skeleton.decommissioning[idx]
                - unlevered_tax[idx]
        })
        .collect();
    let tranches = inputs.tranches();
    let debt_share: f64 = tranches.iter().map(|tranche| tranche.share).sum();
    let weighted_debt_rate = if debt_share > 0.0 {
        tranches
            .iter()
            .map(|tranche| tranche.share * tranche.rate)
            .sum::<f64>()
            / debt_share
    } else {
        0.0
    };
    let discount_rate = inputs.discount_rate.unwrap_or(
        debt_share * weighted_debt_rate * (1.0 - inputs.tax_rate)
            + (1.0 - debt_share) * inputs.cost_of_equity,
    );
    let npv_project_usd = npv(
        crate::finance::per_period(discount_rate, inputs.periods_per_year),
        &project,
    );
    let npv_equity_usd = npv(
        crate::finance::per_period(inputs.cost_of_equity, inputs.periods_per_year),
        &equity,
    );
    let annual = |rate: f64| crate::finance::annualise(rate, inputs.periods_per_year);
    let project_irr = irr(&project).ok().map(annual);
    let equity_irr = irr(&equity).ok().map(annual);

    let mut rows = Vec::with_capacity(skeleton.n_points);
    let mut dscrs = Vec::new();
    let mut cumulative = 0.0;
    let mut payback_years = None;
    for idx in 0..skeleton.n_points {
        let ebitda = revenue[idx] - skeleton.om[idx] - skeleton.fuel[idx];
        let cfads = ebitda - skeleton.decommissioning[idx] - tax[idx];
        let operating =
            idx > skeleton.n_construction && idx <= skeleton.n_construction + skeleton.n_operating;
        let debt_service = if idx > skeleton.n_construction {
            skeleton.debt.interest_paid[idx] + skeleton.debt.principal[idx]
        } else {
            0.0
        };
        let dscr = if operating && debt_service > 1e-9 {
            Some(cfads / debt_service)
        } else {
            None
        };
        if let Some(value) = dscr {
            dscrs.push(value);
        }
        cumulative += project[idx];
        if payback_years.is_none() && idx > skeleton.n_construction && cumulative >= 0.0 {
            payback_years = Some((idx - skeleton.n_construction) as f64 / p);
        }
        rows.push(CashflowRow {
            period: idx,
            year: idx as f64 / p,
            operating_year: skeleton.operating_year[idx],
            energy_mwh: skeleton.energy[idx],
            revenue_usd: revenue[idx],
            om_usd: skeleton.om[idx],
            fuel_usd: skeleton.fuel[idx],
            ebitda_usd: ebitda,
            decommissioning_usd: skeleton.decommissioning[idx],
            capex_usd: skeleton.spend[idx],
            debt_drawn_usd: skeleton.debt.drawn[idx],
            interest_paid_usd: skeleton.debt.interest_paid[idx],
            interest_capitalised_usd: skeleton.debt.interest_capitalised[idx],
            principal_usd: skeleton.debt.principal[idx],
            debt_balance_usd: skeleton.debt.balance[idx],
            depreciation_usd: skeleton.depreciation[idx],
            taxable_income_usd: taxable[idx],
            tax_usd: tax[idx],
            cfads_usd: cfads,
            debt_service_usd: debt_service,
            dscr,
            equity_cash_flow_usd: equity[idx],
            project_cash_flow_usd: project[idx],
            price_index: price_index[idx],
        });
    }
    let before_cod = skeleton.n_construction.min(skeleton.n_points - 1);
    let interest_during_construction_usd = skeleton.debt.interest_capitalised[..=before_cod]
        .iter()
        .sum::<f64>()
        + skeleton.debt.interest_paid[..=before_cod]
            .iter()
            .sum::<f64>();
    let total_capital_usd = total_capital_spent(&skeleton.spend);
    let min_dscr = dscrs.iter().copied().reduce(f64::min);
    #[allow(clippy::cast_precision_loss)]
    let average_dscr = if dscrs.is_empty() {
        None
    } else {
        Some(dscrs.iter().sum::<f64>() / dscrs.len() as f64)
    };
    Ok(CashflowResult {
        lcoe_usd_per_mwh: tariff,
        lcoe_real_usd_per_mwh,
        inflation: inputs.inflation,
        real_discount_rate: crate::finance::real_from_nominal(discount_rate, inputs.inflation),
        revenue_basis: if contracts { "contracts" } else { "tariff" }.to_owned(),
        required_merchant_price_usd_per_mwh,
        total_capital_usd,
        interest_during_construction_usd,
        debt_drawn_usd: skeleton.debt.drawn.iter().sum(),
        equity_invested_usd: total_capital_usd * skeleton.equity_share
            + skeleton.debt.interest_paid[..=before_cod]
                .iter()
                .sum::<f64>(),
        discount_rate,
        npv_project_usd,
        npv_equity_usd,
        project_irr,
        equity_irr,
        min_dscr,
        average_dscr,
        payback_years,
        periods_per_year: inputs.periods_per_year,
        rows,
    })
}
