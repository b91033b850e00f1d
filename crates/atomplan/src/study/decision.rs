//! The decision numbers of a study (`decision.json`): every scenario's cost, emissions, gas,
//! prices, adequacy and capacities side by side; for every candidate the overnight cost, CO2
//! price and gas price at which the `least-cost` scenario first builds one of its units; and a
//! tornado of the least-cost system cost.
//!
//! Break-evens are found by bisection on the same function a rerun of the study evaluates
//! (`pipeline::reliable_plan` on a rebuilt system, weather seed fixed), so that a rerun 3 %
//! below a reported overnight break-even builds the candidate and 3 % above does not. The
//! bisection stops when the bracket is narrower than `options.breakeven_tolerance` (relative)
//! and reports its geometric middle. Each search is independent and deterministic, so running
//! them in parallel gives the same numbers on any thread count. Methods:
//! docs/methods/decision.md.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::file::StudyFile;
use super::inputs::StudyCatalogue;
use super::pipeline::{self, is_nuclear, Planning};
use super::scenario::{ResolvedScenario, LEAST_COST};
use crate::Error;

/// One scenario's decision numbers. Year-keyed maps use the period's first year as key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioDecision {
    pub name: String,
    pub description: String,
    /// Net present value of the plan's costs (investment annuities, fixed and variable costs,
    /// unserved energy) over the horizon, USD of the catalogue price year.
    pub system_cost_usd: f64,
    /// `system_cost_usd` minus that of `least-cost` (0 for `least-cost` itself).
    pub cost_vs_least_cost_usd: f64,
    pub co2_mt: BTreeMap<String, f64>,
    pub gas_bcm: BTreeMap<String, f64>,
    pub gas_import_bill_usd: BTreeMap<String, f64>,
    pub price_usd_per_mwh: BTreeMap<String, f64>,
    pub lole_h: f64,
    pub lole_standard_h: f64,
    pub meets_standard: bool,
    /// How the plan was brought to the standard (or by how much it misses it).
    pub reliability_note: String,
    pub nuclear_mw: BTreeMap<String, f64>,
    /// Technology (or candidate id, for nuclear candidates) -> year -> MW.
    pub capacity_mw: BTreeMap<String, BTreeMap<String, f64>>,
}

impl ScenarioDecision {
    /// Every number of the scenario by its dotted name, as it appears in `decision.json`
    /// (`system_cost_usd`, `co2_mt.2030`, `capacity_mw.wind.2035`): what two runs are compared
    /// on. Text, `meets_standard` and values that are not finite (written as `null`) are left
    /// out.
    pub fn numbers(&self) -> BTreeMap<String, f64> {
        let mut out = BTreeMap::from([
            ("system_cost_usd".to_owned(), self.system_cost_usd),
            (
                "cost_vs_least_cost_usd".to_owned(),
                self.cost_vs_least_cost_usd,
            ),
            ("lole_h".to_owned(), self.lole_h),
            ("lole_standard_h".to_owned(), self.lole_standard_h),
        ]);
        let by_year = [
            ("co2_mt", &self.co2_mt),
            ("gas_bcm", &self.gas_bcm),
            ("gas_import_bill_usd", &self.gas_import_bill_usd),
            ("price_usd_per_mwh", &self.price_usd_per_mwh),
            ("nuclear_mw", &self.nuclear_mw),
        ];
        for (field, years) in by_year {
            for (year, &value) in years {
                out.insert(format!("{field}.{year}"), value);
            }
        }
        for (technology, years) in &self.capacity_mw {
            for (year, &value) in years {
                out.insert(format!("capacity_mw.{technology}.{year}"), value);
            }
        }
        out.retain(|_, value| value.is_finite());
        out
    }
}

/// Values at which the least-cost plan first builds a unit of a candidate.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Breakeven {
    /// Highest overnight cost (USD per kWe, the study's `overnight_cost_usd_per_kwe`) at which
    /// it is built.
    pub overnight_usd_per_kw: Option<f64>,
    /// Lowest flat CO2 price (USD/t, every period) at which it is built.
    pub co2_usd_per_t: Option<f64>,
    /// Lowest flat gas price (USD/MMBtu) at which it is built.
    pub gas_usd_per_mmbtu: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateDecision {
    pub id: String,
    /// Whether `least-cost` builds it as the study stands.
    pub built_in_least_cost: bool,
    pub breakeven: Breakeven,
    pub breakeven_notes: Vec<String>,
}

/// One input of the tornado at its low and high value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TornadoBar {
    /// Which input the bar moves, typed (the report explains a bar by it, never by its label).
    /// Decisions cached before it existed read back as `Other`.
    #[serde(default)]
    pub lever: TornadoLever,
    pub input: String,
    pub unit: String,
    pub low_value: f64,
    pub high_value: f64,
    pub low_system_cost_usd: Option<f64>,
    pub high_system_cost_usd: Option<f64>,
    pub basis: String,
}

/// The inputs the tornado moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TornadoLever {
    GasPrice,
    Co2Price,
    NuclearOvernightCost,
    Wacc,
    DemandGrowth,
    #[default]
    Other,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub scenarios: Vec<ScenarioDecision>,
    pub candidates: Vec<CandidateDecision>,
    pub tornado: Vec<TornadoBar>,
    /// System cost of `least-cost` the tornado moves from.
    pub tornado_base_usd: Option<f64>,
    pub notes: Vec<String>,
}

fn by_year(
    plan: &Planning,
    value: impl Fn(&pipeline::PeriodSummary) -> f64,
) -> BTreeMap<String, f64> {
    plan.periods
        .iter()
        .map(|p| (p.year.to_string(), value(p)))
        .collect()
}

fn scenario_decision(plan: &Planning, least_cost: Option<f64>) -> ScenarioDecision {
    let mut capacity: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();
    for row in &plan.capacities {
        if matches!(
            row.kind,
            super::system::AssetKind::Shedding | super::system::AssetKind::Import
        ) {
            continue;
        }
        let key = match &row.candidate {
            Some(candidate) if row.kind == super::system::AssetKind::Nuclear => candidate.clone(),
            _ => row.technology.clone(),
        };
        *capacity
            .entry(key)
            .or_default()
            .entry(row.year.to_string())
            .or_insert(0.0) += row.capacity_mw;
    }
    ScenarioDecision {
        name: plan.scenario.clone(),
        description: plan.description.clone(),
        system_cost_usd: plan.objective_usd,
        cost_vs_least_cost_usd: least_cost.map_or(0.0, |base| plan.objective_usd - base),
        co2_mt: by_year(plan, |p| p.emissions_mt),
        gas_bcm: by_year(plan, |p| p.gas_bcm),
        gas_import_bill_usd: by_year(plan, |p| p.gas_import_bill_usd),
        price_usd_per_mwh: by_year(plan, |p| p.price_usd_per_mwh),
        lole_h: plan.reliability.lole_h,
        lole_standard_h: plan.reliability.lole_standard_h,
        meets_standard: plan.reliability.meets_standard,
        reliability_note: plan.reliability.method.clone(),
        nuclear_mw: by_year(plan, |p| p.nuclear_mw),
        capacity_mw: capacity,
    }
}

/// Whether a plan builds at least one unit of `candidate`.
fn builds(rows: &[pipeline::CapacityRow], candidate: &str) -> bool {
    rows.iter()
        .any(|r| r.candidate.as_deref() == Some(candidate) && is_nuclear(r) && r.capacity_mw > 0.5)
}

/// Evaluates the least-cost scenario of a changed study: the candidates it builds and its cost.
struct Evaluator<'a> {
    catalogue: &'a StudyCatalogue,
    study_dir: &'a Path,
    scenario_idx: usize,
    /// Where each search says what an evaluation found (progress for the caller).
    say: &'a (dyn Fn(&str) + Sync),
}

impl Evaluator<'_> {
    /// Re-plans and reports `what` with the answer and the time it took.
    fn run_said(
        &self,
        study: &StudyFile,
        what: &str,
        answer: impl Fn(&(f64, Vec<pipeline::CapacityRow>)) -> String,
    ) -> Result<(f64, Vec<pipeline::CapacityRow>), Error> {
        let start = std::time::Instant::now();
        let result = self.run(study);
        let seconds = start.elapsed().as_secs_f64();
        match &result {
            Ok(found) => (self.say)(&format!("{what}: {} ({seconds:.0} s)", answer(found))),
            Err(error) => (self.say)(&format!("{what}: failed after {seconds:.0} s: {error}")),
        }
        result
    }

    fn run(&self, study: &StudyFile) -> Result<(f64, Vec<pipeline::CapacityRow>), Error> {
        let mut quick = study.clone();
        // Capital charges do not depend on the Monte Carlo: keep it minimal.
        quick.options.monte_carlo_samples = quick.options.monte_carlo_samples.min(16);
        let economics = pipeline::economics(&quick, self.catalogue)?;
        let system = pipeline::scenario_system(
            &quick,
            self.catalogue,
            &economics,
            self.scenario_idx,
            self.study_dir,
        )?;
        let plan = pipeline::reliable_plan(&quick, &system, false)?;
        Ok((plan.result.objective, plan.rows))
    }
}

/// Bisection for the boundary of a monotone yes/no function on [lo, hi]; `yes_at_low` says
/// which end answers yes. Returns the geometric (or arithmetic, from 0) middle of the final
/// bracket, or `None` when the yes end does not answer yes.
fn boundary(
    lo: f64,
    hi: f64,
    yes_at_low: bool,
    tolerance: f64,
    absolute: f64,
    mut test: impl FnMut(f64) -> Result<bool, Error>,
) -> Result<Option<f64>, Error> {
    let (mut yes, mut no) = if yes_at_low { (lo, hi) } else { (hi, lo) };
    if !test(yes)? {
        return Ok(None);
    }
    if test(no)? {
        return Ok(Some(no));
    }
    for _ in 0..60 {
        let (a, b) = if yes < no { (yes, no) } else { (no, yes) };
        if b - a <= (tolerance * b).max(absolute) {
            break;
        }
        let mid = if a > 0.0 {
            (a * b).sqrt()
        } else {
            0.5 * (a + b)
        };
        if test(mid)? {
            yes = mid;
        } else {
            no = mid;
        }
    }
    let (a, b) = if yes < no { (yes, no) } else { (no, yes) };
    Ok(Some(if a > 0.0 {
        (a * b).sqrt()
    } else {
        0.5 * (a + b)
    }))
}

/// Search ranges (documented in docs/methods/decision.md).
const OVERNIGHT_RANGE: (f64, f64) = (300.0, 30_000.0);
const CO2_RANGE: (f64, f64) = (0.0, 500.0);
const GAS_RANGE: (f64, f64) = (0.0, 60.0);

#[derive(Clone, Copy)]
enum Quantity {
    Overnight,
    Co2,
    Gas,
}

#[derive(Clone, Copy)]
enum Task {
    Overnight(usize),
    Shared(Quantity),
}

/// The study with a flat CO2 or gas price.
fn with_price(study: &StudyFile, quantity: Quantity, value: f64) -> StudyFile {
    let mut s = study.clone();
    for prices in &mut s.price_scenarios {
        match quantity {
            Quantity::Co2 => {
                prices.co2_usd_per_t =
                    BTreeMap::from([(study.horizon.base_year.to_string(), value)]);
            }
            Quantity::Gas => prices.gas_usd_per_mmbtu = value,
            Quantity::Overnight => {}
        }
    }
    s
}

/// Thresholds of every candidate at once for a price that makes candidates enter as it rises:
/// each evaluation tells which candidates are built, and the next point halves the widest
/// bracket still open. Per candidate, the same answer as its own bisection would give.
fn search_shared(
    study: &StudyFile,
    evaluator: &Evaluator<'_>,
    quantity: Quantity,
) -> Vec<(Option<f64>, Option<String>)> {
    let tolerance = study.options.breakeven_tolerance.clamp(1e-4, 0.2);
    let (range, absolute, what, unit) = match quantity {
        Quantity::Co2 => (CO2_RANGE, 0.25, "flat CO2 price", "USD/t"),
        _ => (GAS_RANGE, 0.02, "flat gas price", "USD/MMBtu"),
    };
    let ids: Vec<&str> = study.candidates.iter().map(|c| c.id.as_str()).collect();
    let built_at = |value: f64| -> Result<Vec<bool>, Error> {
        evaluator
            .run_said(
                &with_price(study, quantity, value),
                &format!("break-even {what} at {value:.2} {unit}"),
                |(_, rows)| {
                    let built: Vec<&str> =
                        ids.iter().copied().filter(|id| builds(rows, id)).collect();
                    if built.is_empty() {
                        "no candidate built".to_owned()
                    } else {
                        format!("builds {}", built.join(", "))
                    }
                },
            )
            .map(|(_, rows)| ids.iter().map(|id| builds(&rows, id)).collect())
    };
    let fail = |error: Error| -> Vec<(Option<f64>, Option<String>)> {
        ids.iter()
            .map(|_| (None, Some(format!("{what}: search failed: {error}"))))
            .collect()
    };
    let high = match built_at(range.1) {
        Ok(b) => b,
        Err(e) => return fail(e),
    };
    let low = match built_at(range.0) {
        Ok(b) => b,
        Err(e) => return fail(e),
    };
    // (no, yes) brackets; `None` once settled.
    let mut brackets: Vec<Option<(f64, f64)>> = (0..ids.len())
        .map(|c| (high[c] && !low[c]).then_some((range.0, range.1)))
        .collect();
    let open = |b: &(f64, f64)| b.1 - b.0 > (tolerance * b.1).max(absolute);
    for _ in 0..200 {
        let Some((c, &(no, yes))) = brackets
            .iter()
            .enumerate()
            .filter_map(|(c, b)| b.as_ref().filter(|b| open(b)).map(|b| (c, b)))
            .max_by(|a, b| (a.1 .1 / a.1 .0.max(1e-9)).total_cmp(&(b.1 .1 / b.1 .0.max(1e-9))))
        else {
            break;
        };
        let _ = c;
        let mid = if no > 0.0 {
            (no * yes).sqrt()
        } else {
            0.5 * (no + yes)
        };
        let built = match built_at(mid) {
            Ok(b) => b,
            Err(e) => return fail(e),
        };
        for (k, bracket) in brackets.iter_mut().enumerate() {
            if let Some((lo, hi)) = bracket {
                if mid > *lo && mid < *hi {
                    if built[k] {
                        *hi = mid;
                    } else {
                        *lo = mid;
                    }
                }
            }
        }
    }
    (0..ids.len())
        .map(|c| {
            if low[c] {
                (
                    Some(range.0),
                    Some(format!(
                        "{what}: the least-cost plan builds `{}` already at {} {unit}, the bottom of the searched range, so the value is that bound",
                        ids[c], range.0
                    )),
                )
            } else if !high[c] {
                (
                    None,
                    Some(format!(
                        "{what}: the least-cost plan does not build `{}` anywhere in the searched range {}-{} {unit}",
                        ids[c], range.0, range.1
                    )),
                )
            } else {
                let (no, yes) = brackets[c].unwrap_or((range.0, range.1));
                (Some(if no > 0.0 { (no * yes).sqrt() } else { 0.5 * (no + yes) }), None)
            }
        })
        .collect()
}

fn search(
    study: &StudyFile,
    evaluator: &Evaluator<'_>,
    candidate: &str,
    quantity: Quantity,
) -> (Option<f64>, Option<String>) {
    let tolerance = study.options.breakeven_tolerance.clamp(1e-4, 0.2);
    let changed = |value: f64| -> StudyFile {
        let mut s = study.clone();
        match quantity {
            Quantity::Overnight => {
                if let Some(c) = s.candidates.iter_mut().find(|c| c.id == candidate) {
                    c.overnight_cost_usd_per_kwe = Some(value);
                }
            }
            Quantity::Co2 => {
                for prices in &mut s.price_scenarios {
                    prices.co2_usd_per_t =
                        BTreeMap::from([(study.horizon.base_year.to_string(), value)]);
                }
            }
            Quantity::Gas => {
                for prices in &mut s.price_scenarios {
                    prices.gas_usd_per_mmbtu = value;
                }
            }
        }
        s
    };
    let (range, yes_at_low, absolute, what, unit) = match quantity {
        Quantity::Overnight => (OVERNIGHT_RANGE, true, 1.0, "overnight cost", "USD/kW"),
        Quantity::Co2 => (CO2_RANGE, false, 0.25, "flat CO2 price", "USD/t"),
        Quantity::Gas => (GAS_RANGE, false, 0.02, "flat gas price", "USD/MMBtu"),
    };
    let test = |value: f64| -> Result<bool, Error> {
        evaluator
            .run_said(
                &changed(value),
                &format!("break-even {what} of `{candidate}` at {value:.1} {unit}"),
                |(_, rows)| {
                    if builds(rows, candidate) {
                        "built".to_owned()
                    } else {
                        "not built".to_owned()
                    }
                },
            )
            .map(|(_, rows)| builds(&rows, candidate))
    };
    match boundary(range.0, range.1, yes_at_low, tolerance, absolute, test) {
        // Built even at the dearest overnight cost searched: no break-even in the range (a
        // build-own-operate offer, whose host pays the PPA price, is one such case).
        Ok(Some(value)) if matches!(quantity, Quantity::Overnight) && value >= range.1 => (
            None,
            Some(format!(
                "{what}: the least-cost plan builds `{candidate}` at every overnight cost up to {} USD/kW (under build-own-operate the host pays the PPA price, not the overnight cost)",
                range.1
            )),
        ),
        Ok(Some(value)) => (Some(value), None),
        Ok(None) => (
            None,
            Some(format!(
                "{what}: the least-cost plan does not build `{candidate}` anywhere in the searched range {}-{} ({})",
                range.0,
                range.1,
                match quantity {
                    Quantity::Overnight => "USD/kW",
                    Quantity::Co2 => "USD/t",
                    Quantity::Gas => "USD/MMBtu",
                }
            )),
        ),
        Err(error) => (None, Some(format!("{what}: search failed: {error}"))),
    }
}

/// The decision numbers of a study run.
pub fn decide(
    study: &StudyFile,
    catalogue: &StudyCatalogue,
    study_dir: &Path,
    scenarios: &[ResolvedScenario],
    plans: &[Planning],
    say: &(dyn Fn(&str) + Sync),
) -> Result<Decision, Error> {
    let least_index = scenarios.iter().position(|s| s.name == LEAST_COST);
    let base = least_index
        .and_then(|i| plans.get(i))
        .map(|p| p.objective_usd);
    let mut notes = Vec::new();
    if least_index.is_none() {
        notes.push(format!(
            "the study has no `{LEAST_COST}` scenario: costs are not compared and no break-evens are searched"
        ));
    }
    let scenario_rows = plans.iter().map(|p| scenario_decision(p, base)).collect();
    let mut candidates = Vec::new();
    let mut tornado = Vec::new();
    if let Some(index) = least_index {
        let evaluator = Evaluator {
            catalogue,
            study_dir,
            scenario_idx: index,
            say,
        };
        let least_rows = &plans[index].capacities;
        if study.options.breakeven {
            // Overnight cost: one search per candidate (only its own cost moves); CO2 and gas
            // price: one shared search each, since one evaluation tells which candidates enter.
            let tasks: Vec<Task> = (0..study.candidates.len())
                .map(Task::Overnight)
                .chain([Task::Shared(Quantity::Co2), Task::Shared(Quantity::Gas)])
                .collect();
            let found: Vec<Vec<(Option<f64>, Option<String>)>> = tasks
                .par_iter()
                .map(|task| match *task {
                    Task::Overnight(c) => vec![search(
                        study,
                        &evaluator,
                        &study.candidates[c].id,
                        Quantity::Overnight,
                    )],
                    Task::Shared(q) => search_shared(study, &evaluator, q),
                })
                .collect();
            let n = study.candidates.len();
            for (c, candidate) in study.candidates.iter().enumerate() {
                let mut breakeven = Breakeven::default();
                let mut breakeven_notes = Vec::new();
                let (overnight, note) = found[c][0].clone();
                breakeven.overnight_usd_per_kw = overnight;
                breakeven_notes.extend(note);
                let (co2, note) = found[n][c].clone();
                breakeven.co2_usd_per_t = co2;
                breakeven_notes.extend(note);
                let (gas, note) = found[n + 1][c].clone();
                breakeven.gas_usd_per_mmbtu = gas;
                breakeven_notes.extend(note);
                candidates.push(CandidateDecision {
                    id: candidate.id.clone(),
                    built_in_least_cost: builds(least_rows, &candidate.id),
                    breakeven,
                    breakeven_notes,
                });
            }
        } else {
            for candidate in &study.candidates {
                candidates.push(CandidateDecision {
                    id: candidate.id.clone(),
                    built_in_least_cost: builds(least_rows, &candidate.id),
                    breakeven: Breakeven::default(),
                    breakeven_notes: vec![
                        "break-even search switched off (options.breakeven = false)".to_owned(),
                    ],
                });
            }
        }
        if study.options.tornado {
            tornado = tornado_bars(study, &evaluator);
        }
    }
    Ok(Decision {
        scenarios: scenario_rows,
        candidates,
        tornado,
        tornado_base_usd: base,
        notes,
    })
}

type Change = Box<dyn Fn(&mut StudyFile, f64) + Sync>;

/// The tornado's step on the cost of capital, either side (2 points).
const WACC_STEP: f64 = 0.02;

fn tornado_bars(study: &StudyFile, evaluator: &Evaluator<'_>) -> Vec<TornadoBar> {
    let prices = &study.price_scenarios[0];
    let demand = &study.demand_scenarios[0];
    let growths: Vec<f64> = study
        .demand_scenarios
        .iter()
        .map(|d| d.growth_per_year)
        .collect();
    let (growth_low, growth_high, growth_basis) = if growths.len() > 1 {
        (
            growths.iter().copied().fold(f64::INFINITY, f64::min),
            growths.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            "lowest and highest demand scenario of the study".to_owned(),
        )
    } else {
        (
            demand.growth_per_year - 0.01,
            demand.growth_per_year + 0.01,
            "assumption: +/- 1 point around the study's growth".to_owned(),
        )
    };
    let co2_now = prices.co2_usd_per_t.values().copied().fold(0.0, f64::max);
    let wacc = study.options.build_wacc();
    let inputs: Vec<(TornadoLever, String, String, f64, f64, String, Change)> = vec![
        (
            TornadoLever::GasPrice,
            "gas price".to_owned(),
            "USD/MMBtu".to_owned(),
            prices.gas_usd_per_mmbtu * 0.7,
            prices.gas_usd_per_mmbtu * 1.3,
            "assumption: -30 % / +30 %".to_owned(),
            Box::new(|s: &mut StudyFile, v: f64| {
                for p in &mut s.price_scenarios {
                    p.gas_usd_per_mmbtu = v;
                }
            }),
        ),
        (
            TornadoLever::Co2Price,
            "CO2 price (highest year)".to_owned(),
            "USD/t".to_owned(),
            co2_now * 0.5,
            co2_now * 1.5,
            "assumption: the path scaled by 0.5 / 1.5".to_owned(),
            Box::new(move |s: &mut StudyFile, v: f64| {
                let scale = if co2_now > 0.0 { v / co2_now } else { 0.0 };
                for p in &mut s.price_scenarios {
                    for value in p.co2_usd_per_t.values_mut() {
                        *value *= scale;
                    }
                }
            }),
        ),
        (
            TornadoLever::NuclearOvernightCost,
            "nuclear overnight cost".to_owned(),
            "x central".to_owned(),
            0.8,
            1.5,
            "assumption: every candidate's overnight cost x 0.8 / x 1.5 (the catalogue's typical low/high spread)".to_owned(),
            Box::new(|s: &mut StudyFile, v: f64| {
                // Scale against the central value each candidate would use.
                for c in &mut s.candidates {
                    c.overnight_cost_usd_per_kwe = Some(c.overnight_cost_usd_per_kwe.unwrap_or(f64::NAN) * v);
                }
            }),
        ),
        (
            TornadoLever::Wacc,
            "WACC (cost of capital of every build)".to_owned(),
            "fraction".to_owned(),
            (wacc - WACC_STEP).max(0.0),
            wacc + WACC_STEP,
            "assumption: +/- 2 points on the cost of capital of every build (the real WACC of builds without an offer, and each offer's debt rate and cost of equity; a PPA's price is a contract and stays); the system cost is discounted at the study's discount rate in both".to_owned(),
            Box::new(move |s: &mut StudyFile, v: f64| {
                let shift = v - wacc;
                s.options.wacc = Some(v);
                for c in &mut s.candidates {
                    c.financing.debt_rate = (c.financing.debt_rate + shift).max(0.0);
                    c.financing.cost_of_equity = (c.financing.cost_of_equity + shift).max(0.0);
                }
            }),
        ),
        (
            TornadoLever::DemandGrowth,
            "demand growth".to_owned(),
            "per year".to_owned(),
            growth_low,
            growth_high,
            growth_basis,
            Box::new(|s: &mut StudyFile, v: f64| {
                for d in &mut s.demand_scenarios {
                    d.growth_per_year = v;
                }
            }),
        ),
    ];
    let centrals: Vec<Option<f64>> = study
        .candidates
        .iter()
        .map(|c| {
            c.overnight_cost_usd_per_kwe.or_else(|| {
                evaluator
                    .catalogue
                    .design(&c.design)
                    .map(|d| d.overnight_cost_usd_per_kwe[1])
            })
        })
        .collect();
    let tasks: Vec<(usize, bool)> = (0..inputs.len())
        .flat_map(|i| [(i, false), (i, true)])
        .collect();
    let costs: Vec<Option<f64>> = tasks
        .par_iter()
        .map(|&(i, high)| {
            let (lever, _, _, low_value, high_value, _, change) = &inputs[i];
            let mut s = study.clone();
            if *lever == TornadoLever::NuclearOvernightCost {
                for (c, central) in s.candidates.iter_mut().zip(&centrals) {
                    c.overnight_cost_usd_per_kwe = *central;
                }
            }
            let value = if high { *high_value } else { *low_value };
            change(&mut s, value);
            evaluator
                .run_said(
                    &s,
                    &format!(
                        "tornado {} {} ({value:.3} {})",
                        inputs[i].1,
                        if high { "high" } else { "low" },
                        inputs[i].2
                    ),
                    |(cost, _)| format!("system cost {:.0} M USD", cost / 1e6),
                )
                .ok()
                .map(|(cost, _)| cost)
        })
        .collect();
    inputs
        .into_iter()
        .enumerate()
        .map(
            |(i, (lever, input, unit, low_value, high_value, basis, _))| TornadoBar {
                lever,
                input,
                unit,
                low_value,
                high_value,
                low_system_cost_usd: costs[2 * i],
                high_system_cost_usd: costs[2 * i + 1],
                basis,
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every number `decision.json` holds for a scenario, found by walking its JSON.
    fn json_numbers(prefix: &str, value: &serde_json::Value, out: &mut BTreeMap<String, f64>) {
        match value {
            serde_json::Value::Number(n) => {
                out.insert(prefix.to_owned(), n.as_f64().unwrap());
            }
            serde_json::Value::Object(map) => {
                for (key, item) in map {
                    let path = if prefix.is_empty() {
                        key.clone()
                    } else {
                        format!("{prefix}.{key}")
                    };
                    json_numbers(&path, item, out);
                }
            }
            _ => {}
        }
    }

    /// `numbers()` names exactly the numbers of the serialised scenario, so a field added to
    /// `ScenarioDecision` without its place in `numbers()` fails here.
    #[test]
    fn scenario_numbers_are_the_numbers_of_its_json() {
        let years = |a: f64, b: f64| BTreeMap::from([("2030".into(), a), ("2040".into(), b)]);
        let scenario = ScenarioDecision {
            name: "least-cost".into(),
            description: "d".into(),
            system_cost_usd: 6.7e10,
            cost_vs_least_cost_usd: 0.0,
            co2_mt: years(90.0, 70.5),
            gas_bcm: years(12.0, 9.0),
            gas_import_bill_usd: years(1e9, 2e9),
            price_usd_per_mwh: years(61.0, f64::NAN),
            lole_h: 0.77,
            lole_standard_h: 3.0,
            meets_standard: true,
            reliability_note: "n".into(),
            nuclear_mw: years(0.0, 1109.0),
            capacity_mw: BTreeMap::from([
                ("wind".into(), years(500.0, 900.0)),
                ("vver".into(), years(0.0, 1109.0)),
            ]),
        };
        let mut expected = BTreeMap::new();
        json_numbers("", &serde_json::to_value(&scenario).unwrap(), &mut expected);
        assert_eq!(scenario.numbers(), expected);
        assert_eq!(expected.len(), 4 + 5 * 2 + 2 * 2 - 1, "{expected:?}");
        assert_eq!(expected["capacity_mw.vver.2040"], 1109.0);
    }
}
