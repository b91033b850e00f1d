//! The one study runner: the stages of a study in order, each typed, each named and hashed so
//! that a cache can hand back a stage finished earlier from the same inputs.
//!
//! Stages, in order: `economics`, then `planning/<scenario>` for every scenario (its system is
//! built from the economics, then planned), then `assessments` on the main plan (the first
//! one that solved), `mcda` and `decision` (break-evens and the tornado, which re-plan).
//! [`StudyRunner::run`] runs them all; the typed stage methods let a caller stop earlier (a
//! sweep stops after `economics` or after the first scenario's plan), and [`screening`] is
//! the capital and fixed O&M stage that a sweep may run instead of `economics`.
//!
//! Stage identity: each stage's hash covers everything it reads (the atomplan version, the
//! layout of stored results, the study, the catalogue view and, for planning, the scenario's
//! whole system with its profile series, whichever file they came from), chained through the
//! hashes of the stages it reads. A cache that keeps nothing ([`NoCache`]) is never asked to
//! hash, so a sweep of thousands of scenarios pays for none of it.
//!
//! Decision: the runner owns the order and the hashes; the cache ([`StageCache`]) only keeps
//! and hands back typed values. The report crate keeps them in SQLite (a killed run resumes
//! there), [`MemoryCache`] keeps them in memory, [`NoCache`] keeps nothing.

use std::any::Any;
use std::collections::HashMap;
use std::convert::Infallible;
use std::path::Path;
use std::time::Instant;

use atomplan_econ::{capital_recovery_factor, idc_factor_uniform};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::decision::{self, Decision};
use super::file::{Candidate, StudyFile};
use super::inputs::StudyCatalogue;
use super::pipeline::{self, Assessments, Economics, McdaResult, Planning};
use super::scenario::{self, ResolvedScenario};
use super::system::StudySystem;
use crate::Error;

/// Bumped when a stored stage's shape changes, so that a result kept by an older build is
/// computed again instead of read back wrongly (2: capacity rows carry their candidate id,
/// plans a typed status; 3: that status is the core's `SolveStatus`, stored as `optimal`,
/// `time_limit`, ...).
pub const RESULTS_SCHEMA: &str = "results-schema-3";

/// SHA-256 of the parts, each prefixed by its length (so parts cannot run into each other).
pub fn digest(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The hash every stage's hash starts from: the atomplan version, [`RESULTS_SCHEMA`], the
/// study's text and the catalogue view as JSON.
pub fn base_hash(study_text: &str, catalogue_json: &str) -> String {
    digest(&[
        env!("CARGO_PKG_VERSION").as_bytes(),
        RESULTS_SCHEMA.as_bytes(),
        study_text.as_bytes(),
        catalogue_json.as_bytes(),
    ])
}

/// Why a plan is not usable, if it is not: the solver ended without a plan.
pub fn plan_failure(plan: &Planning) -> Option<String> {
    match plan.status {
        status if status.gives_plan() => None,
        status => Some(format!(
            "the planning solver ended with status {} and no plan{}",
            status.as_str(),
            plan.notes
                .iter()
                .find_map(|n| n.strip_prefix("solver: "))
                .map_or_else(String::new, |said| format!(": {said}"))
        )),
    }
}

/// A stage's result, borrowed with its kind, for a cache that writes it out per kind.
#[derive(Debug, Clone, Copy)]
pub enum StageOutput<'a> {
    Economics(&'a Economics),
    Planning(&'a Planning),
    Assessments(&'a Assessments),
    Mcda(&'a McdaResult),
    Decision(&'a Decision),
}

/// The result type of a stage.
pub trait Stage: Clone + Serialize + DeserializeOwned + Send + 'static {
    /// The value with its kind.
    fn output(&self) -> StageOutput<'_>;

    /// Why the stage ran without a usable result (recorded as failed, not finished).
    fn failure(&self) -> Option<String> {
        None
    }
}

impl Stage for Economics {
    fn output(&self) -> StageOutput<'_> {
        StageOutput::Economics(self)
    }
}

impl Stage for Planning {
    fn output(&self) -> StageOutput<'_> {
        StageOutput::Planning(self)
    }

    fn failure(&self) -> Option<String> {
        plan_failure(self)
    }
}

impl Stage for Assessments {
    fn output(&self) -> StageOutput<'_> {
        StageOutput::Assessments(self)
    }
}

impl Stage for McdaResult {
    fn output(&self) -> StageOutput<'_> {
        StageOutput::Mcda(self)
    }
}

impl Stage for Decision {
    fn output(&self) -> StageOutput<'_> {
        StageOutput::Decision(self)
    }
}

/// Keeps finished stages between runs. The runner calls, per stage: [`StageCache::begin`]
/// once; when that gives nothing, [`StageCache::started`], the computation, then one of
/// [`StageCache::finished`], [`StageCache::failed`] (a result the stage rejects) or
/// [`StageCache::errored`] (the computation returned an error).
pub trait StageCache {
    /// The cache's own failure; the runner hands it back as [`Error::Cache`].
    type Error: std::error::Error + Send + Sync + 'static;

    /// False when the cache keeps nothing: the runner then computes no hashes (and passes
    /// empty ones).
    fn keeps(&self) -> bool {
        true
    }

    /// A stage begins: its result finished earlier from inputs hashed to `hash`, if kept.
    fn begin<T: Stage>(&mut self, name: &str, hash: &str) -> Result<Option<T>, Self::Error>;

    /// The stage is computed now.
    fn started(&mut self, name: &str) -> Result<(), Self::Error> {
        let _ = name;
        Ok(())
    }

    /// The stage computed `value` in `seconds`.
    fn finished<T: Stage>(
        &mut self,
        name: &str,
        hash: &str,
        value: &T,
        seconds: f64,
    ) -> Result<(), Self::Error>;

    /// The stage ran, but its result is not usable (`message` says why); the run carries on.
    fn failed(&mut self, name: &str, message: &str, seconds: f64) -> Result<(), Self::Error> {
        let _ = (name, message, seconds);
        Ok(())
    }

    /// The stage's computation returned `error`; the run stops.
    fn errored(&mut self, name: &str, error: &Error) -> Result<(), Self::Error> {
        let _ = (name, error);
        Ok(())
    }
}

/// A cache that keeps nothing: every stage is computed, nothing is hashed.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoCache;

impl StageCache for NoCache {
    type Error = Infallible;

    fn keeps(&self) -> bool {
        false
    }

    fn begin<T: Stage>(&mut self, _name: &str, _hash: &str) -> Result<Option<T>, Infallible> {
        Ok(None)
    }

    fn finished<T: Stage>(
        &mut self,
        _name: &str,
        _hash: &str,
        _value: &T,
        _seconds: f64,
    ) -> Result<(), Infallible> {
        Ok(())
    }
}

/// A cache of typed values in memory (no serialisation), keyed by stage name and hash; it
/// lists what it computed and what it handed back.
#[derive(Default)]
pub struct MemoryCache {
    stages: HashMap<String, (String, Box<dyn Any + Send>)>,
    /// Stages computed, in order, over every run through this cache.
    pub computed: Vec<String>,
    /// Stages handed back instead of computed, in order.
    pub reused: Vec<String>,
    /// Stages that ran without a usable result, in order.
    pub failed: Vec<String>,
}

impl StageCache for MemoryCache {
    type Error = Infallible;

    fn begin<T: Stage>(&mut self, name: &str, hash: &str) -> Result<Option<T>, Infallible> {
        let kept = self
            .stages
            .get(name)
            .filter(|(kept_hash, _)| kept_hash == hash)
            .and_then(|(_, value)| value.downcast_ref::<T>())
            .cloned();
        if kept.is_some() {
            self.reused.push(name.to_owned());
        }
        Ok(kept)
    }

    fn finished<T: Stage>(
        &mut self,
        name: &str,
        hash: &str,
        value: &T,
        _seconds: f64,
    ) -> Result<(), Infallible> {
        self.stages
            .insert(name.to_owned(), (hash.to_owned(), Box::new(value.clone())));
        self.computed.push(name.to_owned());
        Ok(())
    }

    fn failed(&mut self, name: &str, _message: &str, _seconds: f64) -> Result<(), Infallible> {
        self.stages.remove(name);
        self.failed.push(name.to_owned());
        Ok(())
    }

    fn errored(&mut self, name: &str, _error: &Error) -> Result<(), Infallible> {
        self.stages.remove(name);
        Ok(())
    }
}

/// A cache's failure as the runner's error.
fn cache_error<E: std::error::Error + Send + Sync + 'static>(error: E) -> Error {
    Error::Cache(Box::new(error))
}

/// A stage's result and the hash of its inputs (empty when the cache keeps nothing).
#[derive(Debug, Clone, PartialEq)]
pub struct Staged<T> {
    pub value: T,
    pub hash: String,
}

/// One scenario planned: its plan, the system it was planned on, and why the plan is not
/// usable (`None`: it solved).
#[derive(Debug, Clone)]
pub struct PlannedScenario {
    pub plan: Staged<Planning>,
    pub system: StudySystem,
    pub failure: Option<String>,
}

/// Everything a whole run produced, typed.
#[derive(Debug, Clone)]
pub struct StudyResults {
    pub economics: Economics,
    pub plans: Vec<Planning>,
    /// Why each plan failed (`None`: it solved), in the order of `plans`.
    pub plan_failures: Vec<Option<String>>,
    /// The plan the assessments are made on: the first one that solved.
    pub main_plan: usize,
    /// The system of the main plan.
    pub main_system: StudySystem,
    pub assessments: Assessments,
    pub mcda: McdaResult,
    pub decision: Decision,
}

/// A long stage saying what it has done so far.
#[derive(Debug, Clone, Copy)]
pub struct Working<'a> {
    pub stage: &'a str,
    /// Since the stage started.
    pub seconds: f64,
    pub message: &'a str,
}

fn say_nothing(_: &Working) {}

/// Runs the stages of one study through a cache.
pub struct StudyRunner<'a, C: StageCache> {
    study: &'a StudyFile,
    catalogue: &'a StudyCatalogue,
    study_dir: &'a Path,
    cache: &'a mut C,
    base_hash: Option<String>,
    working: &'a (dyn Fn(&Working) + Sync),
}

impl<'a, C: StageCache> StudyRunner<'a, C> {
    /// A runner for `study` (profile files are read relative to `study_dir`).
    pub fn new(
        study: &'a StudyFile,
        catalogue: &'a StudyCatalogue,
        study_dir: &'a Path,
        cache: &'a mut C,
    ) -> Self {
        StudyRunner {
            study,
            catalogue,
            study_dir,
            cache,
            base_hash: None,
            working: &say_nothing,
        }
    }

    /// Starts the stage hashes from `hash` (see [`base_hash`]) instead of from the study
    /// and catalogue serialised as JSON.
    #[must_use]
    pub fn with_base_hash(mut self, hash: String) -> Self {
        self.base_hash = Some(hash);
        self
    }

    /// Tells `working` what long stages (the decision's searches) have done so far.
    #[must_use]
    pub fn with_working(mut self, working: &'a (dyn Fn(&Working) + Sync)) -> Self {
        self.working = working;
        self
    }

    fn base(&mut self, stage: &str) -> Result<String, Error> {
        if let Some(hash) = &self.base_hash {
            return Ok(hash.clone());
        }
        let json = |value: Result<String, serde_json::Error>| {
            value.map_err(|error| Error::Stage {
                stage: stage.to_owned(),
                error: Box::new(Error::Hash(error)),
            })
        };
        let hash = base_hash(
            &json(serde_json::to_string(self.study))?,
            &json(serde_json::to_string(self.catalogue))?,
        );
        self.base_hash = Some(hash.clone());
        Ok(hash)
    }

    /// The hash of `parts`, or an empty one when the cache keeps nothing.
    fn hash(&self, parts: &[&[u8]]) -> String {
        if self.cache.keeps() {
            digest(parts)
        } else {
            String::new()
        }
    }

    /// Hands back the stage kept under `hash`, or computes it and gives it to the cache.
    fn stage<T: Stage>(
        &mut self,
        name: &str,
        hash: &str,
        compute: impl FnOnce(&(dyn Fn(&str) + Sync)) -> Result<T, Error>,
    ) -> Result<T, Error> {
        if let Some(value) = self.cache.begin::<T>(name, hash).map_err(cache_error)? {
            return Ok(value);
        }
        self.cache.started(name).map_err(cache_error)?;
        let start = Instant::now();
        let working = self.working;
        let say = |message: &str| {
            working(&Working {
                stage: name,
                seconds: start.elapsed().as_secs_f64(),
                message,
            });
        };
        let value = match compute(&say) {
            Ok(value) => value,
            Err(error) => {
                self.cache.errored(name, &error).map_err(cache_error)?;
                return Err(Error::Stage {
                    stage: name.to_owned(),
                    error: Box::new(error),
                });
            }
        };
        let seconds = start.elapsed().as_secs_f64();
        match value.failure() {
            Some(message) => self.cache.failed(name, &message, seconds),
            None => self.cache.finished(name, hash, &value, seconds),
        }
        .map_err(cache_error)?;
        Ok(value)
    }

    /// The `economics` stage: cash-flow LCOE per candidate under its offer, and Monte Carlo.
    pub fn economics(&mut self) -> Result<Staged<Economics>, Error> {
        let hash = if self.cache.keeps() {
            let base = self.base("economics")?;
            digest(&[b"economics", base.as_bytes()])
        } else {
            String::new()
        };
        let (study, catalogue) = (self.study, self.catalogue);
        let value = self.stage("economics", &hash, |_| {
            pipeline::economics(study, catalogue)
        })?;
        Ok(Staged { value, hash })
    }

    /// The `planning/<scenario>` stage of scenario `scenario_idx` (an index into
    /// [`scenario::resolve`]): its system, built from `economics`, then its plan.
    pub fn plan(
        &mut self,
        economics: &Staged<Economics>,
        scenario_idx: usize,
    ) -> Result<PlannedScenario, Error> {
        let (study, catalogue) = (self.study, self.catalogue);
        let scenarios = scenario::resolve(study);
        let name = scenarios.get(scenario_idx).map_or_else(
            || format!("planning/{scenario_idx}"),
            |s| planning_stage(&s.name),
        );
        let system = pipeline::scenario_system(
            study,
            catalogue,
            &economics.value,
            scenario_idx,
            self.study_dir,
        )
        .map_err(|error| Error::Stage {
            stage: name.clone(),
            error: Box::new(error),
        })?;
        let hash = if self.cache.keeps() {
            // The system holds every series the stage reads (profile files included).
            let system_json = serde_json::to_string(&system).map_err(|error| Error::Stage {
                stage: name.clone(),
                error: Box::new(Error::Hash(error)),
            })?;
            self.hash(&[
                name.as_bytes(),
                economics.hash.as_bytes(),
                system_json.as_bytes(),
            ])
        } else {
            String::new()
        };
        let value = self.stage(&name, &hash, |_| {
            pipeline::plan_scenario(study, catalogue, &system)
        })?;
        Ok(PlannedScenario {
            failure: value.failure(),
            plan: Staged { value, hash },
            system,
        })
    }

    /// The `assessments` stage on one (usable) plan.
    pub fn assessments(
        &mut self,
        economics: &Staged<Economics>,
        planned: &PlannedScenario,
    ) -> Result<Staged<Assessments>, Error> {
        let hash = self.hash(&[
            b"assessments",
            economics.hash.as_bytes(),
            planned.plan.hash.as_bytes(),
        ]);
        let (study, catalogue) = (self.study, self.catalogue);
        let value = self.stage("assessments", &hash, |_| {
            pipeline::assessments(
                study,
                catalogue,
                &economics.value,
                &planned.plan.value,
                &planned.system,
            )
        })?;
        Ok(Staged { value, hash })
    }

    /// The `mcda` stage: the candidates ranked on the study's criteria.
    pub fn mcda(
        &mut self,
        economics: &Staged<Economics>,
        assessments: &Staged<Assessments>,
    ) -> Result<Staged<McdaResult>, Error> {
        let hash = self.hash(&[b"mcda", assessments.hash.as_bytes()]);
        let (study, catalogue) = (self.study, self.catalogue);
        let value = self.stage("mcda", &hash, |_| {
            pipeline::mcda(study, catalogue, &economics.value, &assessments.value)
        })?;
        Ok(Staged { value, hash })
    }

    /// The `decision` stage over every scenario's plan, in the order of `scenarios`.
    pub fn decision(
        &mut self,
        scenarios: &[ResolvedScenario],
        plans: &[Staged<Planning>],
    ) -> Result<Staged<Decision>, Error> {
        // The break-even and tornado searches re-plan the study: they read everything the
        // base hash covers, and the plans they compare against.
        let hash = if self.cache.keeps() {
            let base = self.base("decision")?;
            let mut parts: Vec<&[u8]> = vec![b"decision", base.as_bytes()];
            parts.extend(plans.iter().map(|p| p.hash.as_bytes()));
            digest(&parts)
        } else {
            String::new()
        };
        let (study, catalogue, study_dir) = (self.study, self.catalogue, self.study_dir);
        let value = self.stage("decision", &hash, |say| {
            let plans: Vec<Planning> = plans.iter().map(|p| p.value.clone()).collect();
            decision::decide(study, catalogue, study_dir, scenarios, &plans, say)
        })?;
        Ok(Staged { value, hash })
    }

    /// Every stage, in order (see the module doc). A scenario whose plan fails is recorded
    /// and the run carries on; when none solves, the run stops with [`Error::NoPlan`].
    pub fn run(&mut self) -> Result<StudyResults, Error> {
        let economics = self.economics()?;
        let scenarios = scenario::resolve(self.study);
        let mut planned = Vec::with_capacity(scenarios.len());
        for scenario_idx in 0..scenarios.len() {
            planned.push(self.plan(&economics, scenario_idx)?);
        }
        let Some(main_plan) = planned.iter().position(|p| p.failure.is_none()) else {
            let first_failure = scenarios.iter().zip(&planned).find_map(|(s, p)| {
                p.failure
                    .clone()
                    .map(|reason| (planning_stage(&s.name), reason))
            });
            let (stage, reason) =
                first_failure.unwrap_or_else(|| ("planning".to_owned(), "no scenario".to_owned()));
            return Err(Error::NoPlan { stage, reason });
        };
        let assessments = self.assessments(&economics, &planned[main_plan])?;
        let mcda = self.mcda(&economics, &assessments)?;
        let mut plan_failures = Vec::with_capacity(planned.len());
        let mut plans = Vec::with_capacity(planned.len());
        let mut systems = Vec::with_capacity(planned.len());
        for p in planned {
            plan_failures.push(p.failure);
            plans.push(p.plan);
            systems.push(p.system);
        }
        let main_system = systems.swap_remove(main_plan);
        let decision = self.decision(&scenarios, &plans)?;
        Ok(StudyResults {
            economics: economics.value,
            plans: plans.into_iter().map(|p| p.value).collect(),
            plan_failures,
            main_plan,
            main_system,
            assessments: assessments.value,
            mcda: mcda.value,
            decision: decision.value,
        })
    }
}

/// The names of every stage of a whole run of `study`, in order.
pub fn stage_names(study: &StudyFile) -> Vec<String> {
    let mut names = vec!["economics".to_owned()];
    names.extend(
        scenario::resolve(study)
            .iter()
            .map(|s| planning_stage(&s.name)),
    );
    names.extend(["assessments", "mcda", "decision"].map(str::to_owned));
    names
}

/// The stage name of a scenario's plan.
pub fn planning_stage(scenario_name: &str) -> String {
    format!("planning/{scenario_name}")
}

// ---------------------------------------------------------------- screening

/// The screening LCOE of one candidate: capital and fixed O&M only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScreeningRow {
    pub candidate: String,
    /// Pre-tax nominal WACC of the offer.
    pub wacc: f64,
    /// Overnight cost with interest during construction, USD/kWe.
    pub capex_usd_per_kwe: f64,
    pub lcoe_usd_per_mwh: f64,
}

/// The screening stage: a fast LCOE of each candidate on capital and fixed costs, which a
/// sweep may run instead of `economics` (it reads only the candidates, so it also takes a
/// partial study).
///
/// Per candidate: a pre-tax nominal WACC from the financing offer
/// (`debt_fraction · debt_rate + (1 − debt_fraction) · cost_of_equity`); interest during
/// construction with the economics crate's convention (`atomplan_econ::idc_factor_uniform`:
/// even spend over the construction time rounded up to whole years, at mid-year, compounded to
/// commissioning); the capital recovery factor over the design life; and
/// `LCOE = (capex_with_idc · CRF + fixed O&M) / (8.76 · capacity factor)` in USD/MWh.
/// Fuel, variable O&M, decommissioning and taxes are left out, so it ranks designs on capital
/// and fixed costs only; it does no system planning.
///
/// Errors name the candidate and the missing or bad figure.
pub fn screening(
    candidates: &[Candidate],
    catalogue: &StudyCatalogue,
) -> Result<Vec<ScreeningRow>, Error> {
    if candidates.is_empty() {
        return Err(Error::NoCandidates);
    }
    let mut rows = Vec::with_capacity(candidates.len());
    for candidate in candidates {
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
        rows.push(ScreeningRow {
            candidate: candidate.id.clone(),
            wacc,
            capex_usd_per_kwe: capex,
            lcoe_usd_per_mwh: lcoe,
        });
    }
    Ok(rows)
}
