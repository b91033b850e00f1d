//! Resolves the study's named scenarios: which demand and price scenario each uses, and which
//! commitments, targets and policies it switches on.
//!
//! A study without `[[scenarios]]` runs one scenario per demand x price pair, named
//! `<demand>/<prices>`, with the commitments and targets that apply to every scenario and the
//! CO2 cap whenever `[policy].co2_cap_mt` is given (the behaviour of studies written before
//! named scenarios existed).

use serde::{Deserialize, Serialize};

use super::file::StudyFile;

/// The scenario the break-even searches and the tornado start from, and the basis of
/// `cost_vs_least_cost_usd`.
pub const LEAST_COST: &str = "least-cost";

/// One scenario, resolved against the study's lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResolvedScenario {
    pub name: String,
    pub description: String,
    pub demand_idx: usize,
    pub price_idx: usize,
    pub co2_cap: bool,
    pub coal_phase_out_year: Option<i32>,
    /// Indices into `StudyFile::commitments` that apply.
    pub commitments: Vec<usize>,
    /// Indices into `StudyFile::targets` that apply.
    pub targets: Vec<usize>,
}

fn applies(scenarios: &[String], name: &str) -> bool {
    scenarios.is_empty() || scenarios.iter().any(|s| s == name)
}

/// Every scenario of the study, in file order. Names that do not resolve (unknown demand or
/// price scenario) fall back to the first; `validate` reports them as errors beforehand.
pub fn resolve(study: &StudyFile) -> Vec<ResolvedScenario> {
    let with = |name: String,
                description: String,
                demand_idx: usize,
                price_idx: usize,
                co2_cap: bool,
                coal_phase_out_year: Option<i32>| {
        let commitments = study
            .commitments
            .iter()
            .enumerate()
            .filter(|(_, c)| applies(&c.scenarios, &name))
            .map(|(i, _)| i)
            .collect();
        let targets = study
            .targets
            .iter()
            .enumerate()
            .filter(|(_, t)| applies(&t.scenarios, &name))
            .map(|(i, _)| i)
            .collect();
        ResolvedScenario {
            name,
            description,
            demand_idx,
            price_idx,
            co2_cap,
            coal_phase_out_year,
            commitments,
            targets,
        }
    };
    if study.scenarios.is_empty() {
        let mut out = Vec::new();
        for (d, demand) in study.demand_scenarios.iter().enumerate() {
            for (p, prices) in study.price_scenarios.iter().enumerate() {
                out.push(with(
                    format!("{}/{}", demand.name, prices.name),
                    String::new(),
                    d,
                    p,
                    !study.policy.co2_cap_mt.is_empty(),
                    None,
                ));
            }
        }
        return out;
    }
    study
        .scenarios
        .iter()
        .map(|s| {
            let demand_idx = s
                .demand
                .as_ref()
                .and_then(|n| study.demand_scenarios.iter().position(|d| &d.name == n))
                .unwrap_or(0);
            let price_idx = s
                .prices
                .as_ref()
                .and_then(|n| study.price_scenarios.iter().position(|p| &p.name == n))
                .unwrap_or(0);
            with(
                s.name.clone(),
                s.description.clone(),
                demand_idx,
                price_idx,
                s.co2_cap,
                s.coal_phase_out_year,
            )
        })
        .collect()
}
