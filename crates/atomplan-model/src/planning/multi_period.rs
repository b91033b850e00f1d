//! The planning model on a network whose snapshots have investment periods (PyPSA's
//! multi-investment optimisation, `build/periods.rs`).
//!
//! Such a network is built by the core's one builder ([`crate::build::build`]): activity by
//! `build_year` and `lifetime`, the periods' objective weightings and years, storage per period
//! and PyPSA's own MILP attributes (`committable`, `p_nom_mod`, ramp limits). The planning file's
//! families that are rows over capacities and dispatch are then added over the core's columns,
//! through [`Index`], the planning layer's expressions of those columns, so the mathematics is in
//! one place (`build/planning/`):
//!
//! - `[[capacity_limits]]` (`build/planning/policy.rs`): for each period $y$ from `from_year` on,
//!   $\underline{K} \le \sum_{g} P_{g,y} \le \overline{K}$, where $P_{g,y}$ is the generator's
//!   capacity (column or constant) when it is active in $y$ and 0 otherwise;
//! - `[[energy_limits]]` (`policy.rs`): $\sum_g u_g \sum_{t \in y} w^{gen}_t p_{g,t} \le E_y$, with
//!   the `generators` snapshot weightings that make a period's snapshots one year;
//! - `[[areas]]` with `reserve_margin` or `reserve_margin_by_period` (`reserve_margin.rs`):
//!   $\sum_{g \in a} \kappa_g P_{g,y} + \sum_{s \in a} \kappa_s P_{s,y} \ge (1 + m_{a,y}) \hat L_{a,y}$,
//!   with the modelled peak $\hat L_{a,y}$ the largest hourly load of the area in period $y$'s
//!   snapshots, and the credits $\kappa$ from `[units.<name>] capacity_credit` (default 1) and
//!   `[storage.<name>] capacity_credit` (default 0);
//! - `[[areas]]` with `n1_reserve` (`contingency.rs`, written out in
//!   [`units_reserve_and_refuelling`]): the N-1 reserve tied to the largest unit, where a unit
//!   is the network's own module (`p_nom_mod`, with the integer module count the core already
//!   has) or the whole `p_nom` of a fixed committable generator, with
//!   `interconnector_reserve_mw`, and `[units.<name>]` `contingency` and `reserve_ramp`;
//! - `[units.<name>] refuelling` (`refuelling.rs`): a season per period on blocks of 24 of the
//!   period's snapshots, taking one unit (staggered) or all (simultaneous) out of the available
//!   capacity, or out of the units online of a committable unit;
//! - on the planning file's own periods (`vintages.rs`), the operation of its units: one it does
//!   not make committable runs at least at must-run ($p \ge A$) or its minimum stable load
//!   ($p \ge m A$) of the available capacity $A$ after refuelling ([`least_output`]); a
//!   committable unit-sized design gets a status of at most its units built and not in
//!   refuelling, with $m \bar p S u \le p$, $p + r \le \bar p S u$; start-ups, shut-downs,
//!   minimum up and down times and ramps of either are `build/planning/switching.rs`'s rows
//!   ([`units_reserve_and_refuelling`]).
//!
//! With a planning file that sets none of them, the LP is the core's LP, so the answer is the
//! core's answer (and PyPSA's). What is built on the planning model's own periods only
//! (`[investment]`: lead times, learning, retirement; unit sizes of the planning file, operating
//! modes, representative periods, storage linking, vendors) is refused by its key in
//! [`unsupported`], never ignored.

use std::ops::Range;

use atomplan_core::{Diagnostic, Location};

use super::file::{Operation, PlanningFile, StorageWire, UnitWire};
use super::options::{Names, Options};
use super::{
    clean, solve, solver_settings, BranchResult, BusPrices, CapacityResult, PlanResult,
    StorageResult, POLICY_FAMILIES,
};
use crate::build::planning::contingency::{self, Designs};
use crate::build::planning::refuelling::{self, Season};
use crate::build::planning::switching::{Clock, Switching};
use crate::build::planning::{
    policy, reserve_margin, Expr, Index, Period, BIG_UNITS, SEASON_HOURS,
};
use crate::diagnose::Diagnosis;
use crate::lp::{Col, LinearProgram};
use crate::network::{Capacity, Network};
use crate::{highs_backend::SolveStatus, results, Error, ModelIndex};

/// Every key of `plan` that the planning model does not build on a network with investment
/// periods yet, as an error naming the key.
pub(crate) fn unsupported(plan: &PlanningFile, network: &Network, file: &str) -> Vec<Diagnostic> {
    let mut keys: Vec<(String, &str)> = Vec::new();
    for (name, unit) in &plan.units {
        let sized = network
            .generators
            .iter()
            .find(|g| &g.name == name)
            .is_none_or(|g| unit_size_of(g).is_some());
        if unit.refuelling.is_some() && !sized {
            keys.push((
                format!("units.{name}.refuelling"),
                "refuelling needs units: on a network with investment periods they are the generator's `p_nom_mod` modules (extendable, or committable) or the whole `p_nom` of a committable generator",
            ));
        }
    }
    if plan.investment.is_some() {
        keys.push((
            "investment".to_owned(),
            "the network has investment periods of its own (`snapshots.csv` column `period`, `investment_periods.csv`): they are the plan's periods, so `[investment]` must go",
        ));
    }
    if plan.aggregation.is_some() {
        keys.push((
            "aggregation".to_owned(),
            "representative periods are not built on a network with investment periods yet: the model runs on the network's own snapshots",
        ));
    }
    for (name, unit) in &plan.units {
        if !unit.annotates_only() {
            keys.push((
                format!("units.{name}"),
                "on a network with investment periods only `capacity_credit`, `contingency`, `reserve_ramp` and `refuelling` are taken yet: a unit is the network's module (`p_nom_mod`, or the whole `p_nom` of a committable generator), its commitment and ramps are the network's, and unit sizes, operating modes, lead times and learning are built on the planning file's own periods (`[investment]`) only",
            ));
        }
    }
    for (name, storage) in &plan.storage {
        let credit_only = StorageWire {
            capacity_credit: None,
            ..storage.clone()
        } == StorageWire::default();
        if !credit_only {
            keys.push((
                format!("storage.{name}"),
                "on a network with investment periods only `capacity_credit` is taken yet: the state of charge follows the network's `cyclic_state_of_charge_per_period` and `state_of_charge_initial_per_period`, and lifetimes its `build_year` and `lifetime`",
            ));
        }
    }
    if !plan.vendors.is_empty() {
        keys.push((
            "vendors".to_owned(),
            "learning is built on the planning file's own periods (`[investment]`) only",
        ));
    }
    keys.into_iter()
        .map(|(key, why)| {
            Diagnostic::error(
                Location::file(file).with_field(key),
                format!("not supported with a network that has investment periods: {why}"),
            )
        })
        .collect()
}

/// The plan's periods on `network`: its investment periods, weighted by their `objective`
/// weighting, or one period without a year (weight 1) for a network without periods, whose
/// plan is then a plan of one period on the network's own snapshots.
fn periods_of(network: &Network) -> Vec<Period> {
    if network.investment_periods.is_empty() {
        return vec![Period {
            year: None,
            weight: 1.0,
            load_scale: 1.0,
        }];
    }
    network
        .investment_periods
        .iter()
        .map(|p| Period {
            year: Some(p.period),
            weight: p.objective,
            load_scale: 1.0,
        })
        .collect()
}

/// Whether an asset of `capacity` is active in `period` (always, in the one period of a network
/// without periods).
fn active(capacity: &Capacity, period: &Period) -> bool {
    period.year.is_none_or(|year| capacity.active_in(year))
}

/// The snapshots of each period of [`periods_of`] (snapshots are in period order: the reader
/// and `periods::check` refuse anything else).
fn period_ranges(network: &Network) -> Vec<Range<usize>> {
    let n_t = network.snapshots.len();
    if network.investment_periods.is_empty() {
        return std::iter::once(0..n_t).collect();
    }
    let mut ranges = vec![0..0; network.investment_periods.len()];
    let mut t = 0;
    while t < n_t {
        let y = network.period_index(t);
        let start = t;
        while t < n_t && network.period_index(t) == y {
            t += 1;
        }
        ranges[y] = start..t;
    }
    ranges
}

/// The capacity expression of an asset in each period: its column (or constant capacity) where
/// it is active, 0 elsewhere.
fn capacity_by_period(network: &Network, capacity: &Capacity, column: Option<usize>) -> Vec<Expr> {
    periods_of(network)
        .iter()
        .map(|period| match (active(capacity, period), column) {
            (false, _) => Expr::constant(0.0),
            (true, Some(col)) => Expr {
                terms: vec![(col, 1.0)],
                constant: 0.0,
            },
            (true, None) => Expr::constant(capacity.nominal),
        })
        .collect()
}

/// The planning [`Index`] of the core's columns: capacities per period, dispatch per period and
/// snapshot of the period.
fn index_of(network: &Network, index: &ModelIndex, ranges: &[Range<usize>]) -> Index {
    Index {
        capacity: network
            .generators
            .iter()
            .zip(&index.generator_p_nom)
            .map(|(g, &col)| capacity_by_period(network, &g.capacity, col))
            .collect(),
        storage_capacity: network
            .storage_units
            .iter()
            .zip(&index.storage_p_nom)
            .map(|(s, &col)| capacity_by_period(network, &s.capacity, col))
            .collect(),
        p: (0..network.generators.len())
            .map(|g| {
                ranges
                    .iter()
                    .map(|r| r.clone().map(|t| index.generator_p(g, t)).collect())
                    .collect()
            })
            .collect(),
        ..Index::default()
    }
}

/// Builds the core model of `network` with the planning families of `plan`, solves it with the
/// one backend and reports it as a [`PlanResult`] (one row per generator and period), with the
/// core's [`results::Results`] in [`PlanResult::network_results`] for PyPSA's layout.
///
/// # Errors
/// A name of `plan` the network does not have ([`Error::UnknownName`]), what
/// [`crate::build::build`] refuses, and a `--write-lp` file that cannot be written.
pub(crate) fn plan(network: &Network, plan: &PlanningFile) -> Result<PlanResult, Error> {
    plan_with(network, plan, |_, _, _, _| None, |_, _, _| {})
}

#[cfg(test)]
thread_local! {
    /// The model [`plan_with`] built last on this thread, for unit tests that read its rows.
    pub(crate) static LAST_LP: std::cell::RefCell<Option<LinearProgram>> =
        const { std::cell::RefCell::new(None) };
}

/// [`plan`], with two hooks for a caller whose planning generators are not the network's one
/// by one (the planning file's own periods, `vintages.rs`): `pool` runs before the planning
/// families and may set the capacity and unit expressions of [`Index`] itself, adding what
/// rows it needs and returning the contingency designs it made ([`Pooled`]); `extra` adds rows
/// or constant costs over the core's columns after the families.
pub(crate) fn plan_with(
    network: &Network,
    plan: &PlanningFile,
    pool: impl FnOnce(&mut LinearProgram, &ModelIndex, &mut Index, &[Range<usize>]) -> Option<Pooled>,
    extra: impl FnOnce(&mut LinearProgram, &ModelIndex, &Index),
) -> Result<PlanResult, Error> {
    let started = std::time::Instant::now();
    let (model, ranges) = build_with(network, plan, pool, extra)?;
    #[cfg(test)]
    LAST_LP.with(|last| *last.borrow_mut() = Some(model.lp.clone()));
    if let Some(path) = &plan.solver.write_lp {
        let written = std::fs::File::create(path).and_then(|file| model.lp.write_lp(file));
        if let Err(error) = written {
            return Err(Error::WriteLp {
                path: path.display().to_string(),
                message: error.to_string(),
            });
        }
    }
    solve_built(
        network,
        plan,
        &model,
        &ranges,
        started.elapsed().as_secs_f64(),
    )
}

/// The marginal prices per bus and period of a plan [`plan_with`] solved without them
/// (`solver.prices = false`), from the same inputs: the model is built again and its LP, with
/// the integers fixed at the plan's solution, solved for the balance rows' duals.
///
/// # Errors
/// What [`build_with`] refuses, and [`Error::Unsupported`] when `col_values` has another number
/// of columns than the model built now.
pub(crate) fn prices_with(
    network: &Network,
    plan: &PlanningFile,
    pool: impl FnOnce(&mut LinearProgram, &ModelIndex, &mut Index, &[Range<usize>]) -> Option<Pooled>,
    extra: impl FnOnce(&mut LinearProgram, &ModelIndex, &Index),
    col_values: &[f64],
) -> Result<Vec<BusPrices>, Error> {
    let (model, ranges) = build_with(network, plan, pool, extra)?;
    if model.lp.n_cols() != col_values.len() {
        return Err(Error::Unsupported(format!(
            "pricing a plan of {} columns on a model of {}",
            col_values.len(),
            model.lp.n_cols()
        )));
    }
    let lp = if model.lp.n_integer() > 0 {
        model.lp.with_integers_fixed(col_values)
    } else {
        model.lp.clone()
    };
    let solved = solve(&lp, &solver_settings(plan));
    if solved.status != SolveStatus::Optimal {
        return Ok(Vec::new());
    }
    let core = results::extract(network, &model.index, &solved);
    Ok(bus_prices(network, &core, &ranges))
}

/// The core's model of `network` with the planning families of `plan` and `extra`, and each
/// period's snapshots.
fn build_with(
    network: &Network,
    plan: &PlanningFile,
    pool: impl FnOnce(&mut LinearProgram, &ModelIndex, &mut Index, &[Range<usize>]) -> Option<Pooled>,
    extra: impl FnOnce(&mut LinearProgram, &ModelIndex, &Index),
) -> Result<(crate::build::Model, Vec<Range<usize>>), Error> {
    let mut options = Options::resolve_names(&Names::from(network), plan)?;
    options.periods = periods_of(network);
    let mut model = crate::build::build(network)?;
    let ranges = period_ranges(network);
    let mut ix = index_of(network, &model.index, &ranges);
    let pooled = pool(&mut model.lp, &model.index, &mut ix, &ranges);
    let weights: Vec<Vec<f64>> = ranges
        .iter()
        .map(|r| network.snapshots.generators[r.clone()].to_vec())
        .collect();
    let areas = reserve_margin::Areas {
        generator_bus: network.generators.iter().map(|g| g.bus).collect(),
        storage_bus: network.storage_units.iter().map(|s| s.bus).collect(),
        modelled_peak: (0..options.areas.len())
            .map(|a| {
                ranges
                    .iter()
                    .map(|r| {
                        r.clone()
                            .map(|t| {
                                network
                                    .loads
                                    .iter()
                                    .filter(|l| options.area_of_bus[l.bus] == Some(a))
                                    .map(|l| -l.sign * l.p_set.at(t))
                                    .sum::<f64>()
                            })
                            .fold(0.0, f64::max)
                    })
                    .collect()
            })
            .collect(),
    };
    let lp = &mut model.lp;
    policy::add_capacity_limits(lp, &options, &options.periods, &ix);
    policy::add_energy_limits(lp, &options, &options.periods, &weights, &ix);
    reserve_margin::add(lp, &options, &options.periods, &ix, &areas);
    units_reserve_and_refuelling(
        lp,
        network,
        &model.index,
        &options,
        &ranges,
        &mut ix,
        pooled.as_ref(),
    );
    extra(lp, &model.index, &ix);
    if plan.solver.relax_integers {
        lp.col_integer
            .iter_mut()
            .for_each(|integer| *integer = false);
    }
    Ok((model, ranges))
}

/// Solves a model of [`build_with`] and reports it.
fn solve_built(
    network: &Network,
    plan: &PlanningFile,
    model: &crate::build::Model,
    ranges: &[Range<usize>],
    build_s: f64,
) -> Result<PlanResult, Error> {
    let settings = solver_settings(plan);
    let solve_started = std::time::Instant::now();
    let solved = solve(&model.lp, &settings);
    // Prices are the core's: the balance rows' duals over the objective weighting, for a MILP
    // those HiGHS gives with the integers fixed, as for a plain solve.
    let mut core = results::extract(network, &model.index, &solved);
    // An infeasible plan is explained by its policy rows first (as in the planning model), then
    // by the core's diagnosis of the network.
    let diagnosis = (solved.status != SolveStatus::Optimal && !solved.has_solution).then(|| {
        let findings = if solved.status == SolveStatus::Infeasible {
            crate::diagnose::elastic(&model.lp, POLICY_FAMILIES, &settings)
        } else {
            Vec::new()
        };
        if findings.is_empty() {
            crate::diagnose::diagnose(network, model, solved.status, &settings)
        } else {
            Diagnosis {
                status: solved.status,
                findings,
            }
        }
    });
    let solve_s = solve_started.elapsed().as_secs_f64();
    let has_solution = solved.has_solution;
    let mut result = PlanResult {
        hour_weights: network.snapshots.generators.clone(),
        diagnosis,
        ..PlanResult::of_solve(&model.lp, &solved, build_s, solve_s)
    };
    if has_solution {
        by_period(
            network,
            &model.index,
            &solved.col_values,
            &core,
            ranges,
            &mut result,
        );
        if plan.solver.prices {
            // A MILP's prices come from its LP with the integers fixed at the solution, as in
            // the planning builder (HiGHS gives a MILP no duals).
            result.prices = if model.lp.n_integer() > 0 {
                let fixed = solve(&model.lp.with_integers_fixed(&solved.col_values), &settings);
                if fixed.status == SolveStatus::Optimal {
                    let priced = results::extract(network, &model.index, &fixed);
                    bus_prices(network, &priced, ranges)
                } else {
                    Vec::new()
                }
            } else {
                bus_prices(network, &core, ranges)
            };
        }
        core.objective = result.objective;
        result.network_results = Some(Box::new(core));
    }
    Ok(result)
}

/// What a caller that sets the capacity of the network's generators itself (`vintages.rs`: each
/// generator runs on capacity parts of the planning layer) tells the N-1 and refuelling
/// families, which then take `Index::units` as the caller set it.
pub(crate) struct Pooled {
    /// Per network generator: its unit size, when it is a unit-sized design.
    pub unit_size: Vec<Option<f64>>,
    /// Per network generator: the most units it can have (the big-M of "any unit built").
    pub max_units: Vec<f64>,
    /// Per network generator: the units a refuelling season is planned for (a staggered
    /// season lasts one outage per unit) and the most an outage takes out.
    pub refuelling_units: Vec<f64>,
}

/// The share of its capacity a generator may hold as N-1 reserve: `[units.<name>]
/// reserve_ramp`, else its `ramp_rate`, else its network's smallest `ramp_limit_up`, else 1;
/// 0 for a must-run unit, which runs at its available output.
pub(crate) fn reserve_ramp(unit: Option<&UnitWire>, generator: &crate::network::Generator) -> f64 {
    if unit.and_then(|u| u.operation) == Some(Operation::MustRun) {
        return 0.0;
    }
    unit.and_then(|u| u.reserve_ramp.or(u.ramp_rate))
        .or_else(|| {
            generator
                .operation
                .ramp_limit_up
                .as_ref()
                .map(|series| match series {
                    crate::network::Series::Static(value) => *value,
                    crate::network::Series::Varying(values) => {
                        values.iter().copied().fold(f64::INFINITY, f64::min)
                    }
                })
        })
        .unwrap_or(1.0)
}

/// The least output of a unit the planning file does not make committable, per MW of its
/// available capacity: 1 when must-run, else its `min_stable_load` (0 without either).
pub(crate) fn least_output(unit: Option<&UnitWire>) -> f64 {
    match unit {
        Some(u) if !u.committable => {
            if u.operation == Some(Operation::MustRun) {
                1.0
            } else {
                u.min_stable_load
            }
        }
        _ => 0.0,
    }
}

/// The unit size of a generator on the core's columns, the network's own unit: the module
/// (`p_nom_mod`) of an extendable modular generator, or of a committable one; the whole `p_nom`
/// of a fixed committable generator without modules; `None` otherwise.
pub(crate) fn unit_size_of(generator: &crate::network::Generator) -> Option<f64> {
    let capacity = &generator.capacity;
    let committable = generator.operation.committable;
    if capacity.is_modular() && (capacity.extendable || committable) {
        Some(capacity.module)
    } else if committable && !capacity.extendable && capacity.nominal > 0.0 {
        Some(capacity.nominal)
    } else {
        None
    }
}

/// The most units a unit-sized generator of the network can have (the big-M of "any unit
/// built"): the modules of its `p_nom_max` when extendable, its modules (at least one) when
/// fixed, else [`BIG_UNITS`].
pub(crate) fn max_units_of(generator: &crate::network::Generator) -> f64 {
    let capacity = &generator.capacity;
    match unit_size_of(generator) {
        Some(size) if capacity.extendable && capacity.max.is_finite() => {
            (capacity.max / size + 1e-9).floor()
        }
        Some(size) if !capacity.extendable => (capacity.nominal / size).round().max(1.0),
        _ => BIG_UNITS,
    }
}

/// The unit size of a contingency design: [`unit_size_of`], where a committable unit is no
/// contingency unless `[units.<name>] contingency = true` (as in the planning model) and
/// `contingency = false` exempts any design.
fn contingency_size(
    generator: &crate::network::Generator,
    options: &Options,
    g: usize,
) -> Option<f64> {
    let contingency = options.units[g].and_then(|u| u.contingency);
    if contingency.unwrap_or(!generator.operation.committable) {
        unit_size_of(generator)
    } else {
        None
    }
}

/// The units $n_{g,y}$ of a unit-sized generator in a period it is active in: its module count
/// (the core's `n_mod` column, or $P/m$ when fixed), or one for a fixed committable unit.
fn units_in(network: &Network, index: &ModelIndex, g: usize, period: &Period) -> Option<Expr> {
    let generator = &network.generators[g];
    unit_size_of(generator)?;
    let capacity = &generator.capacity;
    if !active(capacity, period) {
        return None;
    }
    Some(match index.generator_n_mod.get(g).copied().flatten() {
        Some(col) => Expr {
            terms: vec![(col, 1.0)],
            constant: 0.0,
        },
        None if capacity.is_modular() => {
            Expr::constant((capacity.nominal / capacity.module).round())
        }
        None => Expr::constant(1.0),
    })
}

/// The N-1 reserve of `build/planning/contingency.rs` and the refuelling outages of
/// `build/planning/refuelling.rs` over the core's columns, in every period and snapshot of the
/// period.
///
/// A contingency design's units $n_{c,y}$ are [`units_in`]. Each generator in an area with
/// `n1_reserve` and a positive reserve ramp $\rho_g$ (`[units.<name>] reserve_ramp`, else the
/// smallest `ramp_limit_up`, else 1) holds $r_{g,t} \ge 0$ with $r_{g,t} \le \rho_g P_{g,y}$ and
/// $p_{g,t} + r_{g,t} \le A_{g,t}$, where $A_{g,t} = \bar p_{g,t} P_{g,y}$, or $\bar p_{g,t} S_g u_{g,t}$
/// for a committable unit with a status (modules or one unit) (`Generator-p-reserve-upper`).
/// A unit-sized generator with `[units.<name>] refuelling` has a season per period on blocks of
/// 24 of the period's snapshots, weighted by their `objective` weightings: in a season block a
/// staggered outage takes one unit $S_g$ out of $A$ (if any is built), a simultaneous one all;
/// for a committable unit the outage bounds the units online, $u_t \le n_{g,y} - z_{g,y}$
/// (`Generator-status-refuelling`).
fn units_reserve_and_refuelling(
    lp: &mut LinearProgram,
    network: &Network,
    index: &ModelIndex,
    options: &Options,
    ranges: &[Range<usize>],
    ix: &mut Index,
    pooled: Option<&Pooled>,
) {
    let relax = options.file.solver.relax_integers;
    let periods = periods_of(network);
    let n1_areas: Vec<bool> = options.areas.iter().map(|a| a.n1_reserve).collect();
    let generators = &network.generators;
    // The unit size of each generator: the pool's designs, else the network's own units.
    let size_of = |g: usize| match pooled {
        Some(pool) => pool.unit_size[g],
        None => unit_size_of(&generators[g]),
    };
    let refuels =
        |g: usize| size_of(g).is_some() && options.units[g].is_some_and(|u| u.refuelling.is_some());
    // The operation the planning file gives a unit it does not make committable: its least
    // output per MW available, and its ramp limits per MW of capacity (up, down).
    let least: Vec<f64> = (0..generators.len())
        .map(|g| least_output(options.units[g]))
        .collect();
    let ramps: Vec<(Option<f64>, Option<f64>)> = (0..generators.len())
        .map(|g| match options.units[g] {
            Some(u) => (u.ramp_rate, u.ramp_rate_down.or(u.ramp_rate)),
            None => (None, None),
        })
        .collect();
    // A unit-sized design the planning file makes committable (`vintages.rs`): its status is a
    // column of the planning layer over the core's dispatch.
    let committed = |g: usize| {
        pooled.is_some_and(|pool| pool.unit_size[g].is_some())
            && options.units[g].is_some_and(|u| u.committable)
    };
    if !n1_areas.iter().any(|&n1| n1)
        && !(0..generators.len()).any(refuels)
        && least.iter().all(|&l| l == 0.0)
        && ramps.iter().all(|r| *r == (None, None))
        && !(0..generators.len()).any(committed)
    {
        return;
    }
    let max_units: Vec<f64> = match pooled {
        Some(pool) => pool.max_units.clone(),
        None => generators.iter().map(max_units_of).collect(),
    };
    let season_units = match pooled {
        Some(pool) => pool.refuelling_units.clone(),
        None => max_units.clone(),
    };
    let designs = Designs {
        names: generators.iter().map(|g| g.name.as_str()).collect(),
        bus: generators.iter().map(|g| g.bus).collect(),
        unit_size: generators
            .iter()
            .enumerate()
            .map(|(g, gen)| match pooled {
                // A pooled design is a contingency unless `contingency = false`, or, for the
                // network's own committable unit, unless `contingency = true` ([`contingency_size`]).
                Some(pool) => pool.unit_size[g].filter(|_| {
                    options.units[g]
                        .and_then(|u| u.contingency)
                        .unwrap_or(!gen.operation.committable)
                }),
                None => contingency_size(gen, options, g),
            })
            .collect(),
        max_units: max_units.clone(),
    };
    if pooled.is_none() {
        ix.units = (0..generators.len())
            .map(|g| {
                periods_of(network)
                    .iter()
                    .map(|period| units_in(network, index, g, period))
                    .collect()
            })
            .collect();
    }
    contingency::any_built(lp, &designs, ix, relax);
    let mut reserve: Vec<Vec<Vec<Option<Col>>>> = Vec::with_capacity(generators.len());
    for (g, gen) in generators.iter().enumerate() {
        let in_n1 = options.area_of_bus[gen.bus].is_some_and(|a| n1_areas[a]);
        let rho = reserve_ramp(options.units[g], gen);
        // A big-M unit (extendable without modules) is bounded by its capacity instead.
        let core_status = index
            .generator_commitment
            .get(g)
            .copied()
            .flatten()
            .filter(|_| !gen.capacity.extendable || gen.capacity.is_modular());
        let size = size_of(g).unwrap_or(0.0);
        let unit = options.units[g];
        let planned = committed(g);
        let refuelling = options.units[g]
            .and_then(|u| u.refuelling.as_ref())
            .filter(|_| size > 0.0);
        let mut by_period = Vec::with_capacity(ranges.len());
        let mut seasons = Vec::new();
        for (y, range) in ranges.iter().enumerate() {
            let active = active(&gen.capacity, &periods[y]);
            let holds = in_n1 && rho > 0.0 && active;
            // The units online in each snapshot of the period: the core's status columns, or
            // the planning layer's for a committable design (`Generator-status`, up to its units
            // built, at its stand-by cost).
            let status: Option<Vec<Col>> = if planned && active {
                let u = unit.expect("a committable design has its unit");
                let bound = ix.units[g][y].as_ref().map_or(0.0, |n| {
                    if n.terms.is_empty() {
                        n.constant
                    } else {
                        season_units[g].max(max_units[g])
                    }
                });
                Some(
                    range
                        .clone()
                        .enumerate()
                        .map(|(local, t)| {
                            lp.col(
                                format!("Generator-status[{},{y},{local}]", gen.name),
                                u.stand_by_cost.unwrap_or(0.0)
                                    * network.snapshots.objective[t]
                                    * periods[y].weight,
                                0.0,
                                bound,
                                !relax,
                            )
                        })
                        .collect(),
                )
            } else {
                core_status.map(|columns| range.clone().map(|t| columns.status + t).collect())
            };
            let season = refuelling.filter(|_| active).map(|r| {
                let snapshots: Vec<usize> = range.clone().collect();
                let chunks: Vec<&[usize]> = snapshots.chunks(SEASON_HOURS).collect();
                let blocks: Vec<f64> = chunks
                    .iter()
                    .map(|c| c.iter().map(|&t| network.snapshots.objective[t]).sum())
                    .collect();
                let block_load: Vec<f64> = chunks
                    .iter()
                    .map(|c| {
                        c.iter()
                            .map(|&t| {
                                network
                                    .loads
                                    .iter()
                                    .map(|l| -l.sign * l.p_set.at(t))
                                    .sum::<f64>()
                            })
                            .sum()
                    })
                    .collect();
                refuelling::season(
                    lp,
                    &gen.name,
                    r,
                    season_units[g],
                    y,
                    &blocks,
                    &block_load,
                    &mut seasons,
                )
            });
            let mut columns = Vec::with_capacity(range.len());
            for (local, t) in range.clone().enumerate() {
                let block = local / SEASON_HOURS;
                let outage = season.as_ref().filter(|s| match s {
                    Season::Fixed { blocks, .. } => blocks[block],
                    Season::Chosen { .. } => true,
                });
                let key = format!("{},{y},{local}", gen.name);
                let cap = &ix.capacity[g][y];
                let max_pu = gen.p_max_pu.at(t);
                let u_t = status.as_ref().map(|columns| columns[local]);
                // The units online of a committable unit: at most those built and not in
                // refuelling (`Generator-status-max` for a committable design of the planning
                // file, which bounds its status only here; `Generator-status-refuelling` over the
                // core's status, which the core already bounds by the units built).
                if let Some(u_t) = u_t.filter(|_| planned || outage.is_some()) {
                    let mut online = ix.units[g][y].clone().unwrap_or_default();
                    if let Some(s) = outage {
                        refuelling::apply_season(
                            lp,
                            s,
                            block,
                            1.0,
                            season_units[g],
                            &ix.units[g][y],
                            &ix.any_built[g][y],
                            &mut online,
                            format!("{key},units"),
                        );
                    }
                    let mut terms = vec![(u_t, 1.0)];
                    terms.extend(online.terms.iter().map(|&(c, v)| (c, -v)));
                    let family = if planned {
                        "Generator-status-max"
                    } else {
                        "Generator-status-refuelling"
                    };
                    lp.row_with(
                        format!("{family}[{key}]"),
                        f64::NEG_INFINITY,
                        online.constant,
                        &terms,
                    );
                    if planned {
                        let u = unit.expect("a committable design has its unit");
                        // p >= low · S · u: the minimum stable load of what is available, or
                        // PyPSA's `p_min_pu`, whichever is higher.
                        let p_min_pu = gen.p_min_pu.at(t);
                        let low = if u.min_stable_load > 0.0 {
                            (u.min_stable_load * max_pu).max(p_min_pu)
                        } else {
                            p_min_pu
                        };
                        if low != 0.0 {
                            lp.row_with(
                                format!("Generator-p-lower[{key}]"),
                                0.0,
                                f64::INFINITY,
                                &[(index.generator_p(g, t), 1.0), (u_t, -low * size)],
                            );
                        }
                        if u.operation == Some(Operation::MustRun) {
                            // Every unit that is not in refuelling is on: u >= online.
                            lp.row_with(
                                format!("Generator-must-run[{key}]"),
                                online.constant,
                                f64::INFINITY,
                                &terms,
                            );
                        }
                    }
                }
                let r =
                    holds.then(|| contingency::reserve_column(lp, &gen.name, y, local, cap, rho));
                columns.push(r);
                let p = index.generator_p(g, t);
                let mut terms = vec![(p, 1.0)];
                if let Some(r) = r {
                    terms.push((r, 1.0));
                }
                if let Some(u_t) = u_t {
                    // p + r <= p_max · S · u (for the core's status, only where it holds reserve:
                    // the core has p <= p_max · S · u)
                    if r.is_some() || planned {
                        terms.push((u_t, -max_pu * size));
                        lp.row_with(
                            format!("Generator-p-reserve-upper[{key}]"),
                            f64::NEG_INFINITY,
                            0.0,
                            &terms,
                        );
                    }
                    continue;
                }
                let lower = if active { least[g] } else { 0.0 };
                if r.is_none() && outage.is_none() && lower == 0.0 {
                    continue;
                }
                // A: the available capacity less the units in refuelling.
                let mut available = cap.scaled(max_pu);
                if let Some(s) = outage {
                    refuelling::apply_season(
                        lp,
                        s,
                        block,
                        size * max_pu,
                        season_units[g] * size,
                        &ix.units[g][y],
                        &ix.any_built[g][y],
                        &mut available,
                        key.clone(),
                    );
                }
                // p >= least · A (must-run: all of it; else the minimum stable load)
                if lower > 0.0 {
                    let mut low = vec![(p, 1.0)];
                    low.extend(available.terms.iter().map(|&(c, v)| (c, -v * lower)));
                    lp.row_with(
                        format!("Generator-p-lower[{key}]"),
                        available.constant * lower,
                        f64::INFINITY,
                        &low,
                    );
                }
                // p + r <= A
                if r.is_some() || outage.is_some() {
                    terms.extend(available.terms.iter().map(|&(c, v)| (c, -v)));
                    lp.row_with(
                        format!("Generator-p-reserve-upper[{key}]"),
                        f64::NEG_INFINITY,
                        available.constant,
                        &terms,
                    );
                }
            }
            // Start-ups, shut-downs, minimum up and down times and ramps of the planning file's
            // units (`build/planning/switching.rs`, over the core's dispatch of the period): a
            // committable design with its status, else ramps per MW of capacity.
            let ramped = ramps[g] != (None, None);
            if active && (planned || (core_status.is_none() && ramped)) {
                let u = unit.expect("a unit with ramps or commitment");
                let n_t = range.len();
                let block_hours = network
                    .representative
                    .as_ref()
                    .map_or(n_t, |rep| rep.block_snapshots);
                let clock = Clock {
                    hours: n_t,
                    sequential: network.representative.is_none(),
                    block_hours,
                    weights: &network.snapshots.objective[range.clone()],
                };
                let n_built = ix.units[g][y].clone().unwrap_or_default();
                let switching = Switching {
                    kind: "Generator",
                    name: &gen.name,
                    period: y,
                    period_weight: periods[y].weight,
                    committable: planned,
                    big_m: None,
                    size,
                    bounded_by: None,
                    history_units: n_built,
                    min_up: u.min_up_time as usize,
                    min_down: u.min_down_time as usize,
                    up_before: u.up_time_before.unwrap_or(1) as usize,
                    down_before: u.down_time_before as usize,
                    start_up_cost: vec![u.start_up_cost.unwrap_or(0.0); n_t],
                    shut_down_cost: vec![u.shut_down_cost.unwrap_or(0.0); n_t],
                    ramp_up: ramps[g].0.map(|r| vec![r; n_t]),
                    ramp_down: ramps[g].1.map(|r| vec![r; n_t]),
                    ramp_start_up: u.ramp_rate_start_up.unwrap_or(1.0),
                    ramp_shut_down: u.ramp_rate_shut_down.unwrap_or(1.0),
                    p_init: None,
                    capacity: ix.capacity[g][y].clone(),
                };
                let u_prev: Vec<Option<Col>> = match &status {
                    Some(columns) if planned => columns.iter().map(|&c| Some(c)).collect(),
                    _ => vec![None; n_t],
                };
                let p: Vec<Col> = range.clone().map(|t| index.generator_p(g, t)).collect();
                let (su, sd) = switching.switches(lp, &clock, &u_prev);
                switching.ramps(lp, &clock, &p, &u_prev, (&su, &sd));
            }
            by_period.push(columns);
        }
        reserve.push(by_period);
    }
    let hours: Vec<usize> = ranges.iter().map(Range::len).collect();
    contingency::area_rows(lp, options, &designs, ix, &reserve, &hours);
}

/// Fills the per-period rows of `result` from the core's results.
fn by_period(
    network: &Network,
    index: &ModelIndex,
    x: &[f64],
    core: &results::Results,
    ranges: &[Range<usize>],
    result: &mut PlanResult,
) {
    let periods = periods_of(network);
    let weight = |t: usize| network.snapshots.generators[t];
    let first_active = |capacity: &Capacity| periods.iter().position(|p| active(capacity, p));
    for (g, gen) in network.generators.iter().enumerate() {
        let solved = &core.generators[g];
        let co2 = if gen.efficiency != 0.0 {
            network.carrier_attribute(&gen.carrier, "co2_emissions") / gen.efficiency
        } else {
            0.0
        };
        let first = first_active(&gen.capacity);
        let mut hourly = Vec::with_capacity(periods.len());
        for (y, period) in periods.iter().enumerate() {
            let active = active(&gen.capacity, period);
            let capacity = if active { solved.p_nom_opt } else { 0.0 };
            let range = ranges[y].clone();
            let energy: f64 = range.clone().map(|t| weight(t) * solved.p[t]).sum();
            let curtailment: f64 = if gen.p_max_pu.is_varying() {
                range
                    .clone()
                    .map(|t| weight(t) * (gen.p_max_pu.at(t) * capacity - solved.p[t]).max(0.0))
                    .sum()
            } else {
                0.0
            };
            let units = index
                .generator_n_mod
                .get(g)
                .copied()
                .flatten()
                .filter(|_| active)
                .map(|col| clean(x[col]));
            result.capacities.push(CapacityResult {
                generator: gen.name.clone(),
                period: period.year,
                p_nom_opt_mw: clean(capacity),
                units,
                built: if gen.capacity.extendable && first == Some(y) {
                    clean(solved.p_nom_opt)
                } else {
                    0.0
                },
                energy_mwh: clean(energy),
                co2_t: clean(energy * co2),
                curtailment_mwh: clean(curtailment),
            });
            hourly.push(range.map(|t| clean(solved.p[t])).collect());
        }
        result.generator_p.push(hourly);
    }
    for (k, unit) in network.storage_units.iter().enumerate() {
        let solved = &core.storage_units[k];
        let first = first_active(&unit.capacity);
        let mut hourly = Vec::with_capacity(periods.len());
        for (y, period) in periods.iter().enumerate() {
            let active = active(&unit.capacity, period);
            let range = ranges[y].clone();
            let energy =
                |series: &[f64]| -> f64 { range.clone().map(|t| weight(t) * series[t]).sum() };
            result.storage.push(StorageResult {
                storage_unit: unit.name.clone(),
                period: period.year,
                p_nom_opt_mw: clean(if active { solved.p_nom_opt } else { 0.0 }),
                built_mw: if unit.capacity.extendable && first == Some(y) {
                    clean(solved.p_nom_opt)
                } else {
                    0.0
                },
                dispatch_mwh: clean(energy(&solved.p_dispatch)),
                store_mwh: clean(energy(&solved.p_store)),
            });
            hourly.push(range.map(|t| clean(solved.p[t])).collect());
        }
        result.storage_p.push(hourly);
    }
    result.branches = network
        .links
        .iter()
        .zip(&core.links)
        .map(|(link, solved)| BranchResult {
            name: link.name.clone(),
            is_line: false,
            p_nom_opt_mw: clean(solved.p_nom_opt),
        })
        .chain(
            network
                .lines
                .iter()
                .zip(&core.lines)
                .map(|(line, solved)| BranchResult {
                    name: line.name.clone(),
                    is_line: true,
                    p_nom_opt_mw: clean(solved.s_nom_opt),
                }),
        )
        .collect();
    result.global_constraints = core
        .global_constraints
        .iter()
        .map(|c| results::GlobalConstraintResult {
            name: c.name.clone(),
            value: clean(c.value),
            mu: clean(c.mu),
        })
        .collect();
}

/// Prices per bus and period: the core's marginal prices over the period's snapshots, and
/// their load-weighted average.
fn bus_prices(
    network: &Network,
    core: &results::Results,
    ranges: &[Range<usize>],
) -> Vec<BusPrices> {
    let mut prices = Vec::new();
    for (y, period) in periods_of(network).iter().enumerate() {
        for (b, bus) in network.buses.iter().enumerate() {
            let hourly: Vec<f64> = ranges[y]
                .clone()
                .map(|t| clean(core.marginal_price[b][t]))
                .collect();
            let (mut num, mut den) = (0.0, 0.0);
            for (t, price) in ranges[y].clone().zip(&hourly) {
                let load: f64 = network
                    .loads
                    .iter()
                    .filter(|l| l.bus == b)
                    .map(|l| -l.sign * l.p_set.at(t))
                    .sum::<f64>()
                    * network.snapshots.generators[t];
                num += load * price;
                den += load;
            }
            prices.push(BusPrices {
                bus: bus.name.clone(),
                period: period.year,
                average_usd_per_mwh: if den > 0.0 { clean(num / den) } else { 0.0 },
                hourly_usd_per_mwh: hourly,
            });
        }
    }
    prices
}
