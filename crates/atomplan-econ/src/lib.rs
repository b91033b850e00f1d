//! Pure finance for nuclear projects: finance primitives, the NREL ATB and NEA/IEA PCGE
//! levelised costs, a project cash-flow model with real export-loan and PPA structures,
//! learning and scale, and seeded Monte Carlo and tornado sensitivity.
//!
//! Architecture Invariant: no IO, no printing; inputs are validated settings structs,
//! outputs are plain data. Case files are parsed by the CLI, not here.

pub mod atb;
pub mod case;
pub mod cashflow;
pub mod depreciation;
pub mod error;
pub mod finance;
pub mod learning;
pub mod mc;
pub mod pcge;
pub mod spend;

pub use atb::{atb_lcoe, AtbInputs, AtbResult};
pub use cashflow::{
    cashflow, cashflow_lcoe, CashflowInputs, CashflowResult, CashflowRow, DebtTerms, DebtTranche,
    GraceInterest, Ppa, RateStep, Repayment, TaxLosses,
};
pub use depreciation::Depreciation;
pub use error::EconError;
pub use finance::{
    crf, fv, ipmt, irr, irr_all, mirr, nper, npv, npv_with, pmt, ppmt, pv, FirstPeriod, When,
};
pub use pcge::{pcge_lcoe, PcgeInputs, PcgeResult, Refurbishment, Timing};
pub use spend::SpendProfile;

pub use case::{Case, ParamId};
pub use mc::{
    monte_carlo, monte_carlo_on_threads, tornado, Apply, Distribution, MonteCarloResult,
    MonteCarloSettings, TornadoInput, TornadoResult, UncertainInput,
};

#[cfg(test)]
mod tests;
