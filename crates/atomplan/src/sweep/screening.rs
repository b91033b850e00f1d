//! A minimal per-scenario runner: a screening LCOE for each candidate of the study.
//!
//! It exists so that sweeps can run, be sharded, merged and tested before the full study
//! pipeline (planning with HiGHS, assessments) exposes its per-scenario function; the CLI uses
//! that function instead once it exists.
//! What it computes, per candidate: a pre-tax nominal WACC from the financing offer
//! (`debt_fraction · debt_rate + (1 − debt_fraction) · cost_of_equity`); interest during
//! construction with the economics crate's convention (`atomplan_econ::idc_factor_uniform`:
//! even spend over the construction time rounded up to whole years, at mid-year, compounded to
//! commissioning); the capital recovery factor over the design life; and
//! `LCOE = (capex_with_idc · CRF + fixed O&M) / (8.76 · capacity factor)` in USD/MWh.
//! Fuel, variable O&M, decommissioning and taxes are left out, so it ranks designs on capital and
//! fixed costs only; it does no system planning (no `system_cost_usd`, no `co2_t`).

use atomplan_econ::{capital_recovery_factor, idc_factor_uniform};

use super::spec::Scenario;
use super::ScenarioResult;
use crate::study::file::Candidate;
use crate::study::inputs::StudyCatalogue;
use crate::Error;

/// Runs the screening for one scenario against `catalogue`.
///
/// Errors (recorded as a failed scenario) name the candidate and the missing or bad figure.
pub fn run(scenario: &Scenario, catalogue: &StudyCatalogue) -> Result<ScenarioResult, Error> {
    let candidates: Vec<Candidate> = match scenario.study.get("candidates") {
        Some(value) => value.clone().try_into().map_err(Error::Candidates)?,
        None => return Err(Error::NoCandidates),
    };
    if candidates.is_empty() {
        return Err(Error::NoCandidates);
    }
    let mut result = ScenarioResult::ok();
    let mut best: Option<(f64, String)> = None;
    for candidate in &candidates {
        let design = catalogue.design(&candidate.design).ok_or_else(|| {
            Error::candidate(
                &candidate.id,
                format!("design `{}` is not in the catalogue", candidate.design),
            )
        })?;
        let overnight = candidate
            .overnight_cost_usd_per_kwe
            .unwrap_or(design.overnight_cost_usd_per_kwe[1]);
        let financing = &candidate.financing;
        let wacc = financing.debt_fraction * financing.debt_rate
            + (1.0 - financing.debt_fraction) * financing.cost_of_equity;
        let capacity_factor = design.capacity_factor;
        let life = design.design_life_years;
        if !(overnight.is_finite() && overnight > 0.0) {
            return Err(Error::candidate(
                &candidate.id,
                format!("overnight cost {overnight} is not a positive number"),
            ));
        }
        if !(capacity_factor > 0.0 && capacity_factor <= 1.0) {
            return Err(Error::Design {
                design: design.id.clone(),
                message: format!("capacity factor {capacity_factor} is not in (0, 1]"),
            });
        }
        if !(life > 0.0 && wacc > -1.0) {
            return Err(Error::candidate(
                &candidate.id,
                format!("life {life} or WACC {wacc} out of range"),
            ));
        }
        let capex = overnight * idc_factor_uniform(wacc, design.construction_months / 12.0);
        let fixed_om = design.fixed_om_usd_per_kw_yr.unwrap_or(0.0);
        let lcoe =
            (capex * capital_recovery_factor(wacc, life) + fixed_om) / (8.76 * capacity_factor);
        result.metric(format!("lcoe_usd_per_mwh.{}", candidate.id), lcoe);
        result.metric(format!("capex_usd_per_kwe.{}", candidate.id), capex);
        result.metric(format!("wacc.{}", candidate.id), wacc);
        if lcoe.is_finite() && best.as_ref().is_none_or(|(b, _)| lcoe < *b) {
            best = Some((lcoe, candidate.id.clone()));
        }
    }
    if let Some((lcoe, id)) = best {
        result.metric("lcoe_min_usd_per_mwh", lcoe);
        result.label("chosen_design", id);
    }
    Ok(result)
}
