//! Pure finance for nuclear projects: finance primitives, the NREL ATB and NEA/IEA PCGE
//! levelised costs, a project cash-flow model with real export-loan and PPA structures,
//! capital charges on one real basis for planning, the cost of an offer to the host state,
//! learning and scale, and seeded Monte Carlo and tornado sensitivity.
//!
//! Architecture Invariant: no IO, no printing; inputs are validated settings structs,
//! outputs are plain data. Case files are parsed by the CLI, not here.
//! Architecture Invariant: the finance formulas of the workspace live here and nowhere else:
//! the capital recovery factor ([`capital_recovery_factor`], [`crf`]), interest during
//! construction ([`idc_factor_uniform`], [`construction_finance_factor`]), annuities
//! ([`annuity_factor`], [`pmt`]) and the nominal/real conversion ([`real_from_nominal`],
//! [`nominal_from_real`], [`price_index`]). Other crates call them.

pub mod atb;
pub mod case;
pub mod case_file;
pub mod cashflow;
pub mod charge;
pub mod depreciation;
pub mod error;
pub mod finance;
pub mod learning;
pub mod mc;
pub mod pcge;
pub mod spend;
pub mod state;

pub use atb::{atb_lcoe, AtbInputs, AtbResult};
pub use cashflow::{
    cashflow, cashflow_lcoe, CashflowInputs, CashflowResult, CashflowRow, DebtTerms, DebtTranche,
    GraceInterest, Ppa, RateStep, Repayment, TaxLosses,
};
pub use charge::{
    capital_charge, lcoe_at_wacc, offer_loan_schedule, ppa_host_cost, ppa_lifetime_charge,
    wacc_sensitivity, BuildCost, CapitalCharge, Financing, FinancingOffer, LoanYear, PpaHostCost,
    PpaHostInputs, PpaHostYear, SimpleLcoeInputs, WaccPoint, WaccSensitivity,
};
pub use depreciation::Depreciation;
pub use error::EconError;
pub use finance::{
    annuity_factor, capital_recovery_factor, crf, fv, ipmt, irr, irr_all, mirr, nominal_from_real,
    nominal_growth, nper, npv, npv_with, pmt, ppmt, price_index, pv, real_from_nominal, to_nominal,
    to_real, FirstPeriod, When,
};
pub use pcge::{pcge_lcoe, PcgeInputs, PcgeResult, Refurbishment, Timing};
pub use spend::{construction_finance_factor, idc_factor_uniform, SpendProfile};
pub use state::{cost_to_state, CostToState, StateViewInputs, StateYear};

pub use case::{Case, ParamId};
pub use mc::{
    monte_carlo, monte_carlo_on_threads, tornado, Apply, Distribution, MonteCarloResult,
    MonteCarloSettings, TornadoInput, TornadoResult, UncertainInput,
};

#[cfg(test)]
mod charge_tests;
#[cfg(test)]
mod tests;
