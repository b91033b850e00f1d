//! What a sweep computes per scenario: a stop point of the one study runner
//! (`study::runner`), with its typed results flattened into a [`ScenarioResult`].
//!
//! [`Through::Screening`] runs the runner's screening stage (capital and fixed O&M LCOE from
//! the candidates alone), [`Through::Economics`] its `economics` stage, [`Through::FirstPlan`]
//! `economics` and then the plan of the first scenario. Nothing is cached: the sweep's shard
//! store keeps finished scenarios instead.
//!
//! Metrics and labels, per stop point (`<id>` is a candidate id):
//! screening: `lcoe_usd_per_mwh.<id>`, `capex_usd_per_kwe.<id>`, `wacc.<id>`,
//! `lcoe_min_usd_per_mwh`, label `chosen_design` (the lowest LCOE);
//! economics: `lcoe_usd_per_mwh.<id>` (under the offer), `lcoe_social_usd_per_mwh.<id>`,
//! `lcoe_p95_usd_per_mwh.<id>`, label `cheapest_design`;
//! first plan: the economics ones and `system_cost_usd`, `co2_mt`, `capacity_mw.<id>` (in the
//! last period), label `chosen_design` (the largest candidate built, or `none`).
//! A plan that no solution meets is the scenario's answer (status `infeasible`, with the
//! economics metrics), not a failure of the run.

use std::path::Path;

use super::spec::Scenario;
use super::{ScenarioResult, Status};
use crate::study::file::{Candidate, StudyFile};
use crate::study::inputs::StudyCatalogue;
use crate::study::pipeline::{Economics, Planning};
use crate::study::runner::{self, NoCache, ScreeningRow, StudyRunner};
use crate::study::system::AssetKind;
use crate::Error;

/// Where the study runner stops for each scenario of a sweep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Through {
    /// The screening stage only (it reads only the candidates, so partial studies run).
    Screening,
    /// The `economics` stage.
    Economics,
    /// `economics`, then the plan of the first scenario.
    FirstPlan,
}

/// Runs one scenario of a sweep through the study runner, up to `through`; profile files are
/// read relative to `study_dir`.
///
/// Errors (recorded as a failed scenario) say which input or stage failed.
pub fn run_scenario(
    scenario: &Scenario,
    catalogue: &StudyCatalogue,
    study_dir: &Path,
    through: Through,
) -> Result<ScenarioResult, Error> {
    if through == Through::Screening {
        let candidates: Vec<Candidate> = match scenario.study.get("candidates") {
            Some(value) => value.clone().try_into().map_err(Error::Candidates)?,
            None => return Err(Error::NoCandidates),
        };
        return Ok(screening_result(&runner::screening(
            &candidates,
            catalogue,
        )?));
    }
    let study: StudyFile =
        scenario
            .study
            .clone()
            .try_into()
            .map_err(|error: toml::de::Error| {
                Error::ScenarioStudy(error.message().trim().to_owned())
            })?;
    let mut cache = NoCache;
    let mut study_runner = StudyRunner::new(&study, catalogue, study_dir, &mut cache);
    let economics = study_runner.economics().map_err(stage_error)?;
    let mut result = economics_result(&economics.value);
    if through == Through::Economics {
        return Ok(result);
    }
    let planned = match study_runner.plan(&economics, 0) {
        Ok(planned) => planned,
        Err(Error::Stage { error, .. }) if error.is_infeasible() => {
            return Ok(with_status(result, Status::Infeasible, error.to_string()));
        }
        Err(error) => return Err(stage_error(error)),
    };
    let plan = &planned.plan.value;
    if plan.status != atomplan_model::planning::Status::Optimal {
        let message = format!("planning: {}", plan.status.as_str());
        return Ok(with_status(result, Status::Infeasible, message));
    }
    add_plan_metrics(&mut result, plan);
    Ok(result)
}

/// The stage's own error (the runner's cache here keeps nothing and cannot fail).
fn stage_error(error: Error) -> Error {
    match error {
        Error::Stage { error, .. } => *error,
        Error::NoPlan { stage, reason } => Error::Invalid {
            key: stage,
            message: reason,
        },
        other => other,
    }
}

/// `result`'s metrics and labels under another status.
fn with_status(result: ScenarioResult, status: Status, message: String) -> ScenarioResult {
    let mut changed = ScenarioResult::failed(status, message);
    changed.metrics = result.metrics;
    changed.labels = result.labels;
    changed
}

fn screening_result(rows: &[ScreeningRow]) -> ScenarioResult {
    let mut result = ScenarioResult::ok();
    let mut best: Option<(f64, &str)> = None;
    for row in rows {
        let id = &row.candidate;
        result.metric(format!("lcoe_usd_per_mwh.{id}"), row.lcoe_usd_per_mwh);
        result.metric(format!("capex_usd_per_kwe.{id}"), row.capex_usd_per_kwe);
        result.metric(format!("wacc.{id}"), row.wacc);
        let lcoe = row.lcoe_usd_per_mwh;
        if lcoe.is_finite() && best.is_none_or(|(b, _)| lcoe < b) {
            best = Some((lcoe, id));
        }
    }
    if let Some((lcoe, id)) = best {
        result.metric("lcoe_min_usd_per_mwh", lcoe);
        result.label("chosen_design", id);
    }
    result
}

fn economics_result(economics: &Economics) -> ScenarioResult {
    let mut result = ScenarioResult::ok();
    let mut cheapest: Option<(f64, &str)> = None;
    for row in &economics.rows {
        let id = &row.candidate;
        result.metric(format!("lcoe_usd_per_mwh.{id}"), row.lcoe_offer_usd_per_mwh);
        result.metric(
            format!("lcoe_social_usd_per_mwh.{id}"),
            row.lcoe_social_usd_per_mwh,
        );
        result.metric(format!("lcoe_p95_usd_per_mwh.{id}"), row.mc_p95);
        let lcoe = row.lcoe_offer_usd_per_mwh;
        if lcoe.is_finite() && cheapest.is_none_or(|(best, _)| lcoe < best) {
            cheapest = Some((lcoe, id));
        }
    }
    if let Some((_, id)) = cheapest {
        result.label("cheapest_design", id);
    }
    result
}

fn add_plan_metrics(result: &mut ScenarioResult, plan: &Planning) {
    result.metric("system_cost_usd", plan.objective_usd);
    result.metric(
        "co2_mt",
        plan.periods.iter().map(|p| p.emissions_mt).sum::<f64>(),
    );
    let last_year = plan.periods.last().map_or(0, |p| p.year);
    let mut chosen: Option<(f64, &str)> = None;
    for row in plan
        .capacities
        .iter()
        .filter(|r| r.kind == AssetKind::Nuclear && r.year == last_year)
    {
        let Some(candidate) = row.candidate.as_deref() else {
            continue;
        };
        result.metric(format!("capacity_mw.{candidate}"), row.capacity_mw);
        if row.capacity_mw > 0.5 && chosen.is_none_or(|(best, _)| row.capacity_mw > best) {
            chosen = Some((row.capacity_mw, candidate));
        }
    }
    result.label("chosen_design", chosen.map_or("none", |(_, id)| id));
}
