//! The planning file's own investment periods (`[investment]`) on the core's snapshot axis.
//!
//! A plan over `[investment]` periods of a one-period network (or of a planning system, through
//! [`super::network::network_from_system`]) is solved by the core's builder on the network with
//! those periods on its snapshot axis, with the planning families added over its columns
//! (`multi_period.rs`). The investment itself is a family of the planning layer, so each
//! generator and storage unit keeps one dispatch column per snapshot:
//!
//! - **Periods.** Period $y$ starts in year $Y_y$ and runs to the next period's start (the last
//!   to `end_year`); its `objective` weighting is $W_y = \sum_{k=Y_y}^{Y_{y+1}-1} (1+r)^{-(k -
//!   Y_0)}$ with $Y_0$ = `decision_year`, its `years` the years it stands for. The network's
//!   snapshots (or its representative periods, with `[aggregation]`) are repeated in every
//!   period, with their own weightings; every time series is repeated, and the loads of period
//!   $y$ are scaled by `load_scale[y]`.
//! - **Capacity per period.** Each generator and storage unit of the network keeps its place,
//!   with an unbounded `p_nom` of its own; its capacity in period $y$ is
//!   $C_{g,y} = E_{g,y} + \sum_{v \text{ active in } y} P_v$ over its capacity parts $v$, columns
//!   of the planning layer (`Generator-build`, `Generator-kept`, `StorageUnit-build`), and it
//!   dispatches within it (`Generator-availability`, `StorageUnit-availability-*`).
//! - **Existing capacity** $E_{g,y}$: the generator's `p_nom` (or `existing_units` units of
//!   `unit_size_mw`), from `online_year` until `retire_year`, paying its
//!   `existing_fixed_om_usd_per_kw_year` while active, a constant of the objective. A
//!   `retirable` fleet is one part per last period kept instead, each paying the fixed O&M while
//!   active and together at most the fleet (`Generator-retire-once`).
//! - **New capacity**: one part per period from the first year the lead time allows, alive for
//!   `lifetime_years`, at most the build rate (and for a unit-sized design whole units within
//!   `max_units_per_period` and `max_units`), costing the annual charge
//!   $a_g = 1000\,(o_g \cdot \mathrm{IDC}_g \cdot \mathrm{CRF}(r, L_g) + \mathrm{FOM}_g)$ (or the
//!   generator's `capital_cost`) in every period it is alive.
//! - **Rows over the parts**: `Generator-p_nom-max`, `Generator-max-units`,
//!   `StorageUnit-p_nom-max` per period, and `co2_cap_t` per period (`policy.rs`, `CO2-cap`).
//!
//! [`unsupported`] names what it does not take; docs/formulation/vintages.md has the derivation
//! and the checks.

use atomplan_econ::{capital_recovery_factor, idc_factor_uniform};

use super::file::{PlanningFile, UnitWire};
use super::system::System;
use super::{clean, CapacityResult, PlanResult};
use std::ops::Range;

use super::multi_period::Pooled;
use crate::build::planning::{policy, Expr, Index, Period};
use crate::lp::LinearProgram;
use crate::network::{Capacity, InvestmentPeriod, Network, Series};
use crate::Error;
use crate::ModelIndex;

/// Whether the core's axis takes a unit of the planning file: every key, but a committable
/// unit needs `unit_size_mw` (its status counts units; a status under big-M is not built).
fn vintage_unit(unit: &UnitWire) -> bool {
    !unit.committable || unit.unit_size_mw.is_some()
}

/// What keeps a plan over the planning file's `[investment]` periods on this one-period
/// network off the core's snapshot axis (see the module doc), one sentence each; empty when
/// the whole plan is built there.
pub(crate) fn unsupported(plan: &PlanningFile, network: &Network) -> Vec<String> {
    let mut why = Vec::new();
    if plan.investment.is_none() {
        why.push("a plan of one period (no `[investment]`)".to_owned());
        return why;
    }
    if network.is_multi_period() {
        why.push("a network with investment periods of its own".to_owned());
    }
    if network.representative.is_some() && plan.aggregation.is_some() {
        why.push("`[aggregation]` on representative periods of the system's own".to_owned());
    }
    for (name, unit) in &plan.units {
        if !vintage_unit(unit) {
            why.push(format!(
                "`[units.{name}]` committable without `unit_size_mw` (a status under big-M)"
            ));
        }
    }
    let plain = |operation: &crate::network::Operation| {
        !operation.committable && !operation.has_ramp_limits()
    };
    for s in &network.storage_units {
        if s.capacity.is_modular() {
            why.push(format!("the modular storage unit `{}`", s.name));
        }
    }
    if !network.global_constraints.is_empty() {
        why.push("the network's own CO2 limits".to_owned());
    }
    if network.snapshots.objective != network.snapshots.generators {
        why.push("snapshots whose `objective` and `generators` weightings differ".to_owned());
    }
    for g in &network.generators {
        // A constant `p_min_pu` becomes the design's minimum stable load
        // (`one_period::committed_least_output`).
        let committed = plan.units.get(&g.name).is_some_and(|u| u.committable);
        let constant = matches!(
            (&g.p_min_pu, &g.p_max_pu),
            (Series::Static(low), Series::Static(high)) if *low >= 0.0 && *high > 0.0
        );
        if committed && g.p_min_pu != Series::Static(0.0) && !constant {
            why.push(format!(
                "the committable unit `{}` with a varying or negative `p_min_pu`, or a varying `p_max_pu`",
                g.name
            ));
        }
        // The network's own units are the file's ([`with_network_units`], before this is asked);
        // what is left could not be.
        if g.capacity.is_modular() || !plain(&g.operation) {
            why.push(format!(
                "the generator `{}` with commitment or ramp limits the plan cannot take as units over periods (an initial output `p_init`, varying costs or ramp limits, committable and extendable without `p_nom_mod`, or a `[units]` entry of the file beyond annotations)",
                g.name
            ));
        }
    }
    // An extendable link or line is one capacity over the horizon, from its `build_year` for
    // its `lifetime`, costed in every period it is active: PyPSA's multi-investment
    // optimisation, as the core builds it on the network with the plan's periods.
    for l in &network.links {
        if !plain(&l.operation) || l.capacity.is_modular() {
            why.push(format!(
                "the committable, ramp-limited or modular link `{}`",
                l.name
            ));
        }
    }
    why
}

/// The network with the plan's periods: the base network's generators as operators (in their
/// places), the capacity parts they run on, and its storage units split by build period.
struct Vintages {
    network: Network,
    /// The capacity parts of the base generators: columns of the planning layer, not
    /// generators of the network (`Prepared::pool`).
    parts: Vec<Part>,
    /// The existing capacity of each base generator active in each period, MW (`[g][y]`; a
    /// retirable fleet's is in its parts).
    existing_mw: Vec<Vec<f64>>,
    /// Each base generator's `unit_size_mw` and most units (the big-M of "any unit built").
    unit_size: Vec<Option<f64>>,
    max_units: Vec<f64>,
    /// Each base generator's units a refuelling season is planned for: `max_units`, else its existing units, at least one.
    refuelling_units: Vec<f64>,
    /// Fixed O&M of the existing capacity over the horizon (weighted), USD.
    fixed_cost: f64,
    /// Limits on the new capacity of one base generator or storage unit alive in each period.
    limits: Vec<Limit>,
    /// The builds of the storage units (`generator` is the storage unit), and each unit's
    /// existing power capacity, MW.
    storage_parts: Vec<Part>,
    storage_existing_mw: Vec<f64>,
    /// For each retirable fleet, its parts (indices into `parts`) by retirement period:
    /// together at most the fleet.
    retirable: Vec<(usize, Vec<usize>, f64)>,
}

/// A capacity part of a base generator: a vintage built in a period, or a part of a retirable
/// fleet (`built_in` `None`). `capacity` says when it is active (`build_year`, `lifetime`), its
/// most MW (`max`), module (`module`) and annual cost per MW (`capital_cost`).
struct Part {
    generator: usize,
    built_in: Option<usize>,
    /// The vendor's learning step a build is priced at (`learning.rs`), when it has steps.
    step: Option<usize>,
    /// Its column's name (`Generator-build[<name>,<year>]`, `Generator-kept[<name>,<year>]`).
    label: String,
    capacity: Capacity,
}

impl Part {
    /// The part's column, costed in every period it is active as the core costs an extendable
    /// asset over periods (`Network::capital_cost_weight`): MW, or whole modules of a
    /// unit-sized design (`Generator-build-units`, integer). Returns its capacity, MW.
    fn column(&self, lp: &mut LinearProgram, network: &Network) -> Expr {
        let c = &self.capacity;
        let weight = network.capital_cost_weight(c);
        let (col, mw_per_unit) = if c.module > 0.0 {
            let label = self
                .label
                .replacen("Generator-build", "Generator-build-units", 1);
            let units = (c.max / c.module + 1e-9).floor();
            let cost = c.capital_cost * c.module * weight;
            (lp.col(label, cost, 0.0, units, true), c.module)
        } else {
            let cost = c.capital_cost * weight;
            (lp.col(&self.label, cost, 0.0, c.max, false), 1.0)
        };
        Expr {
            terms: vec![(col, mw_per_unit)],
            constant: 0.0,
        }
    }
}

impl Vintages {
    /// The index (into `parts`) and part of every capacity part of base generator `g`.
    fn parts_of(&self, g: usize) -> impl Iterator<Item = (usize, &Part)> {
        self.parts
            .iter()
            .enumerate()
            .filter(move |(_, part)| part.generator == g)
    }
}

/// The parts of a network generator active in a period are at most `room_mw[y]`: its
/// `p_nom_max`, or `max_units` whole units, less the existing capacity that is a constant then.
struct Limit {
    /// A network generator, or storage unit with `storage`.
    asset: usize,
    storage: bool,
    family: &'static str,
    room_mw: Vec<f64>,
}

/// An operator's own `p_nom`: beyond HiGHS's infinite bound (1e20) once multiplied by any
/// per-unit limit it has, and finite, so that a limit of 0 gives a bound of 0.
const UNBOUNDED_MW: f64 = 1e30;

/// A series repeated over `periods` periods of `n_t` snapshots each.
fn tiled(series: &Series, periods: usize) -> Series {
    match series {
        Series::Static(value) => Series::Static(*value),
        Series::Varying(values) => Series::Varying(values.repeat(periods)),
    }
}

fn expand(network: &Network, plan: &PlanningFile, periods: &[Period]) -> Vintages {
    let investment = plan
        .investment
        .as_ref()
        .expect("applies() checked [investment]");
    let years: Vec<i32> = periods.iter().map(|p| p.year.unwrap_or(0)).collect();
    let ny = years.len();
    let n_t = network.snapshots.len();
    let end = super::options::end_year(investment);
    let mut out = network.clone();
    out.for_each_series(|series| *series = tiled(series, ny));
    let snapshots = &network.snapshots;
    out.snapshots.names = (0..ny)
        .flat_map(|_| snapshots.names.iter().cloned())
        .collect();
    out.snapshots.objective = snapshots.objective.repeat(ny);
    out.snapshots.stores = snapshots.stores.repeat(ny);
    out.snapshots.generators = snapshots.generators.repeat(ny);
    out.snapshots.periods = years
        .iter()
        .flat_map(|&year| std::iter::repeat_n(year, n_t))
        .collect();
    out.investment_periods = periods
        .iter()
        .enumerate()
        .map(|(y, period)| InvestmentPeriod {
            period: years[y],
            objective: period.weight,
            years: f64::from(years.get(y + 1).copied().unwrap_or(end) - years[y]),
        })
        .collect();
    for (load, original) in out.loads.iter_mut().zip(&network.loads) {
        if periods.iter().any(|p| p.load_scale != 1.0) {
            load.p_set = Series::Varying(
                periods
                    .iter()
                    .flat_map(|p| (0..n_t).map(move |t| original.p_set.at(t) * p.load_scale))
                    .collect(),
            );
        }
    }
    let rate = investment.discount_rate;
    let n_g = network.generators.len();
    // The operators, one per network generator in its place: each dispatches for its generator
    // on the capacity of its parts (`Prepared::pool`), so a generator has one dispatch column per
    // snapshot however many vintages it has.
    let mut operators = Vec::with_capacity(n_g);
    let mut parts = Vec::new();
    let mut existing_mw = vec![vec![0.0; ny]; n_g];
    let mut unit_size = Vec::with_capacity(n_g);
    let mut max_units = Vec::with_capacity(n_g);
    let mut refuelling_units = Vec::with_capacity(n_g);
    let mut fixed_cost = 0.0;
    let mut limits = Vec::new();
    let mut retirable = Vec::new();
    for (g, generator) in network.generators.iter().enumerate() {
        let unit = plan.units.get(&generator.name).cloned().unwrap_or_default();
        let size = unit.unit_size_mw;
        unit_size.push(size);
        max_units.push(
            unit.max_units
                .map_or(crate::build::planning::BIG_UNITS, f64::from),
        );
        refuelling_units.push(f64::from(
            unit.max_units.unwrap_or(unit.existing_units.max(1)),
        ));
        let mut operator = out.generators[g].clone();
        if let Some(by_period) = &unit.marginal_cost_by_period {
            operator.marginal_cost = Series::Varying(
                (0..ny)
                    .flat_map(|y| {
                        std::iter::repeat_n(by_period.get(y).copied().unwrap_or(0.0), n_t)
                    })
                    .collect(),
            );
        }
        // Unbounded here: its availability is a row over its parts' capacity.
        let negative = (0..n_t).any(|t| generator.p_min_pu.at(t) < 0.0);
        operator.p_min_pu = Series::Static(if negative { -1.0 } else { 0.0 });
        operator.capacity = Capacity::fixed(UNBOUNDED_MW);
        operators.push(operator);
        // Existing capacity: the generator's `p_nom`, or its `existing_units` of `unit_size_mw`,
        // from `online_year` until `retire_year`.
        let existing = size.map_or(generator.capacity.nominal, |s| {
            f64::from(unit.existing_units) * s
        });
        let online = unit.online_year.map_or(0.0, f64::from);
        let lifetime_existing = unit
            .retire_year
            .map_or(f64::INFINITY, |r| f64::from(r) - online);
        let existing_capacity = Capacity {
            build_year: online,
            lifetime: lifetime_existing,
            ..Capacity::fixed(existing)
        };
        let active_existing: Vec<bool> = years
            .iter()
            .map(|&year| existing_capacity.active_in(year))
            .collect();
        let existing_in = |y: usize| if active_existing[y] { existing } else { 0.0 };
        let alive: Vec<usize> = (0..ny).filter(|&y| active_existing[y]).collect();
        let fom = unit.existing_fixed_om_usd_per_kw_year * 1000.0;
        if unit.retirable && size.is_none() && existing > 0.0 && !alive.is_empty() {
            // Retirable: one part per last period kept, each extendable up to the fleet and
            // paying its fixed O&M (`capital_cost`) in the periods it is kept; together at
            // most the fleet, so what is kept never rises again.
            let mut members = Vec::with_capacity(alive.len());
            for i in 0..alive.len() {
                let lifetime = alive
                    .get(i + 1)
                    .map_or(lifetime_existing, |&next| f64::from(years[next]) - online);
                members.push(parts.len());
                parts.push(Part {
                    generator: g,
                    built_in: None,
                    step: None,
                    label: format!("Generator-kept[{},{}]", generator.name, years[alive[i]]),
                    capacity: Capacity {
                        nominal: 0.0,
                        extendable: true,
                        min: 0.0,
                        max: existing,
                        capital_cost: fom,
                        module: 0.0,
                        build_year: online,
                        lifetime,
                    },
                });
            }
            retirable.push((g, members, existing));
        } else {
            for (y, period) in periods.iter().enumerate() {
                existing_mw[g][y] = existing_in(y);
                fixed_cost += fom * period.weight * existing_in(y);
            }
        }
        if !generator.capacity.extendable {
            continue;
        }
        let lifetime = unit.lifetime_years.unwrap_or(f64::INFINITY);
        let interest = unit.construction_interest_rate.unwrap_or(rate);
        let idc = idc_factor_uniform(interest, unit.lead_time_years);
        let crf = capital_recovery_factor(rate, lifetime.min(1e4));
        let annual_at = |overnight: f64| {
            overnight * 1000.0 * idc * crf + unit.fixed_om_usd_per_kw_year * 1000.0
        };
        let annual = unit
            .overnight_cost_usd_per_kw
            .map_or(generator.capacity.capital_cost, annual_at);
        // The overnight cost of each learning step of the design's vendor (unit-sized designs
        // only).
        let steps: Vec<f64> = unit
            .vendor
            .as_ref()
            .and_then(|v| plan.vendors.get(v))
            .filter(|_| size.is_some())
            .map(|v| {
                v.learning
                    .iter()
                    .map(|s| s.overnight_cost_usd_per_kw)
                    .collect()
            })
            .unwrap_or_default();
        let first_year = (investment.decision_year + unit.lead_time_years.ceil() as i32)
            .max(unit.earliest_year.unwrap_or(i32::MIN));
        let mut builds = false;
        for (y, &year) in years.iter().enumerate() {
            if year < first_year {
                continue;
            }
            let since = if y == 0 {
                year - investment.decision_year
            } else {
                year - years[y - 1]
            };
            let rate_cap = unit
                .max_build_mw_per_year
                .map_or(f64::INFINITY, |r| r * f64::from(since.max(0)));
            // Most new capacity in the period: the build rate, and for unit-sized designs
            // whole units within `max_units_per_period` and `max_units` (the planning
            // builder's bounds; `p_nom_max` bounds the capacity of an unsized generator).
            let max = match size {
                Some(s) => {
                    let units = unit
                        .max_units_per_period
                        .map_or(f64::INFINITY, f64::from)
                        .min(unit.max_units.map_or(f64::INFINITY, f64::from))
                        .min((rate_cap / s + 1e-9).floor());
                    units * s
                }
                None => generator.capacity.max.min(rate_cap),
            };
            if max <= 0.0 {
                continue;
            }
            builds = true;
            let capacity = |capital_cost: f64| Capacity {
                nominal: 0.0,
                extendable: true,
                min: 0.0,
                max,
                capital_cost,
                module: size.unwrap_or(0.0),
                build_year: f64::from(year),
                lifetime,
            };
            if steps.is_empty() {
                parts.push(Part {
                    generator: g,
                    built_in: Some(y),
                    step: None,
                    label: format!("Generator-build[{},{year}]", generator.name),
                    capacity: capacity(annual),
                });
            }
            // With a vendor's learning steps, one build per step at the step's cost, together
            // within the period's most units (`Prepared::pool`, `Generator-build-limit`).
            for (k, &overnight) in steps.iter().enumerate() {
                parts.push(Part {
                    generator: g,
                    built_in: Some(y),
                    step: Some(k),
                    label: format!("Generator-build[{},{year},step{k}]", generator.name),
                    capacity: capacity(annual_at(overnight)),
                });
            }
        }
        if !builds {
            continue;
        }
        match (size, unit.max_units) {
            (Some(s), Some(m)) => limits.push(Limit {
                asset: g,
                storage: false,
                family: "Generator-max-units",
                room_mw: (0..ny).map(|y| f64::from(m) * s - existing_in(y)).collect(),
            }),
            (None, _) if generator.capacity.max.is_finite() => limits.push(Limit {
                asset: g,
                storage: false,
                family: "Generator-p_nom-max",
                // The fleet kept counts against `p_nom_max`: a constant, or the parts of a
                // retirable fleet in the row.
                room_mw: (0..ny)
                    .map(|y| generator.capacity.max - existing_mw[g][y])
                    .collect(),
            }),
            _ => {}
        }
    }
    out.generators = operators;
    // Storage: each unit keeps its place and runs on its existing power capacity and one build
    // per period alive for its `lifetime_years` (no lead time),
    // cycling (or starting from `state_of_charge_initial`) in every period.
    let mut storage_parts = Vec::new();
    for (k, unit) in out.storage_units.iter_mut().enumerate() {
        unit.cyclic_state_of_charge_per_period = unit.cyclic_state_of_charge;
        unit.state_of_charge_initial_per_period = true;
        let base = unit.capacity.clone();
        unit.capacity = Capacity::fixed(UNBOUNDED_MW);
        if !base.extendable {
            continue;
        }
        let lifetime = plan
            .storage
            .get(&unit.name)
            .and_then(|s| s.lifetime_years)
            .unwrap_or(f64::INFINITY);
        for (y, &year) in years.iter().enumerate() {
            storage_parts.push(Part {
                generator: k,
                built_in: Some(y),
                step: None,
                label: format!("StorageUnit-build[{},{year}]", unit.name),
                capacity: Capacity {
                    nominal: 0.0,
                    extendable: true,
                    min: 0.0,
                    max: base.max,
                    capital_cost: base.capital_cost,
                    module: 0.0,
                    build_year: f64::from(year),
                    lifetime,
                },
            });
        }
        if base.max.is_finite() {
            limits.push(Limit {
                asset: k,
                storage: true,
                family: "StorageUnit-p_nom-max",
                room_mw: vec![base.max - base.nominal; ny],
            });
        }
    }
    Vintages {
        network: out,
        parts,
        existing_mw,
        unit_size,
        max_units,
        refuelling_units,
        fixed_cost,
        limits,
        storage_parts,
        storage_existing_mw: network
            .storage_units
            .iter()
            .map(|u| u.capacity.nominal)
            .collect(),
        retirable,
    }
}

/// The planning file for the vintage network: `[investment]` and the keys the vintage network
/// carries are taken out; what the families read stays, on the generators and storage units
/// that keep their names.
fn file_for(plan: &PlanningFile) -> PlanningFile {
    let mut file = plan.clone();
    file.investment = None;
    file.units = plan
        .units
        .iter()
        .map(|(name, unit)| {
            let kept = UnitWire {
                contingency: unit.contingency,
                capacity_credit: unit.capacity_credit,
                reserve_ramp: unit.reserve_ramp,
                operation: unit.operation,
                min_stable_load: unit.min_stable_load,
                ramp_rate: unit.ramp_rate,
                ramp_rate_down: unit.ramp_rate_down,
                refuelling: unit.refuelling.clone(),
                vendor: unit.vendor.clone(),
                committable: unit.committable,
                min_up_time: unit.min_up_time,
                min_down_time: unit.min_down_time,
                up_time_before: unit.up_time_before,
                down_time_before: unit.down_time_before,
                start_up_cost: unit.start_up_cost,
                shut_down_cost: unit.shut_down_cost,
                stand_by_cost: unit.stand_by_cost,
                ramp_rate_start_up: unit.ramp_rate_start_up,
                ramp_rate_shut_down: unit.ramp_rate_shut_down,
                ..UnitWire::default()
            };
            (name.clone(), kept)
        })
        .collect();
    file.storage = plan
        .storage
        .iter()
        .map(|(name, storage)| {
            let kept = super::file::StorageWire {
                capacity_credit: storage.capacity_credit,
                ..super::file::StorageWire::default()
            };
            (name.clone(), kept)
        })
        .collect();
    file
}

/// Everything a plan on the vintage network is built from.
struct Prepared {
    /// The network on its representative periods (or its own snapshots).
    base: Network,
    report: Option<super::AggregationReport>,
    periods: Vec<Period>,
    vintages: Vintages,
    file: PlanningFile,
    co2: Vec<f64>,
    weights: Vec<Vec<f64>>,
    /// The capacity of each part (`vintages.parts`, `vintages.storage_parts`), once the pool
    /// hook has made its column.
    columns: std::cell::RefCell<Vec<Expr>>,
    storage_columns: std::cell::RefCell<Vec<Expr>>,
}

impl Prepared {
    /// `system`, when given, is the planning system the network was made from: its series are
    /// the ones clustered (`System::aggregated`).
    fn new(network: &Network, plan: &PlanningFile, system: Option<&System>) -> Result<Self, Error> {
        super::options::Options::resolve_names(&super::options::Names::from(network), plan)?;
        let (base, report) = representative(network, plan, system)?;
        let periods = super::options::periods(plan);
        let vintages = expand(&base, plan, &periods);
        let file = file_for(plan);
        let expanded = &vintages.network;
        let co2 = expanded
            .generators
            .iter()
            .map(|g| {
                if g.efficiency != 0.0 {
                    expanded.carrier_attribute(&g.carrier, "co2_emissions") / g.efficiency
                } else {
                    0.0
                }
            })
            .collect();
        let weights = vec![base.snapshots.objective.clone(); periods.len()];
        Ok(Prepared {
            base,
            report,
            periods,
            vintages,
            file,
            co2,
            weights,
            columns: std::cell::RefCell::new(Vec::new()),
            storage_columns: std::cell::RefCell::new(Vec::new()),
        })
    }

    /// Before the planning families: each operator's capacity in each period is its parts'
    /// capacity active then plus its existing capacity, $C_{g,y}$, and its units $C_{g,y}/S_g$
    /// for a unit-sized design; the operator dispatches within it,
    /// $\underline{p}_{g,t} C_{g,y} \le p_{g,t} \le \bar p_{g,t} C_{g,y}$
    /// (`Generator-availability`, `Generator-availability-lower` where $\underline p \ne 0$);
    /// a part has no capacity of its own in the families.
    fn pool(
        &self,
    ) -> impl FnOnce(&mut LinearProgram, &ModelIndex, &mut Index, &[Range<usize>]) -> Option<Pooled> + '_
    {
        move |lp, index, ix, ranges| {
            let vintages = &self.vintages;
            let network = &vintages.network;
            let periods = &network.investment_periods;
            // One column per part, costed in every period it is active (as the core costs an
            // extendable asset over periods): MW, or whole modules of a unit-sized design.
            let columns: Vec<Expr> = vintages
                .parts
                .iter()
                .map(|part| part.column(lp, network))
                .collect();
            ix.units = vec![vec![None; ranges.len()]; network.generators.len()];
            for (g, base) in self.base.generators.iter().enumerate() {
                let size = vintages.unit_size[g];
                for (y, period) in periods.iter().enumerate() {
                    let mut capacity = Expr::constant(vintages.existing_mw[g][y]);
                    for (k, part) in vintages.parts_of(g) {
                        if part.capacity.active_in(period.period) {
                            capacity.add(&columns[k]);
                        }
                    }
                    let p = index.generator_p(g, 0);
                    let first = ranges[y].start;
                    // A generator that holds N-1 reserve is held to $p + r \le \bar p C$ by
                    // the contingency family, which implies this row.
                    let holds = self.holds_reserve(g);
                    for t in ranges[y].clone() {
                        let base_t = t - first;
                        if !holds || capacity.terms.is_empty() {
                            at_most(
                                lp,
                                format!("Generator-availability[{},{y},{base_t}]", base.name),
                                p + t,
                                &capacity,
                                base.p_max_pu.at(base_t),
                            );
                        }
                        let lower = if self.least_output(g) > 0.0 || self.committable(g) {
                            0.0
                        } else {
                            base.p_min_pu.at(base_t)
                        };
                        if capacity.terms.is_empty() {
                            lp.col_lower[p + t] = capacity.constant * lower;
                        } else if lower != 0.0 {
                            let mut terms = vec![(p + t, 1.0)];
                            terms.extend(capacity.terms.iter().map(|&(c, v)| (c, -v * lower)));
                            lp.row_with(
                                format!("Generator-availability-lower[{},{y},{base_t}]", base.name),
                                capacity.constant * lower,
                                f64::INFINITY,
                                &terms,
                            );
                        }
                    }
                    ix.units[g][y] = size.map(|s| capacity.scaled(1.0 / s));
                    ix.capacity[g][y] = capacity;
                }
            }
            self.learning(lp, &columns, ranges.len());
            *self.columns.borrow_mut() = columns;
            *self.storage_columns.borrow_mut() = self.pool_storage(lp, index, ix, ranges);
            Some(Pooled {
                unit_size: vintages.unit_size.clone(),
                max_units: vintages.max_units.clone(),
                refuelling_units: vintages.refuelling_units.clone(),
            })
        }
    }

    /// The learning steps of the vendors' designs (`build/planning/learning.rs`) over the build
    /// parts priced at them: a period's builds of one design at its steps together within the
    /// period's most units (`Generator-build-limit`), and the vendors' step sizes and order.
    fn learning(&self, lp: &mut LinearProgram, columns: &[Expr], n_periods: usize) {
        if self.file.vendors.is_empty() {
            return;
        }
        let mut learning = Vec::new();
        let mut by_build: std::collections::BTreeMap<(usize, usize), Vec<usize>> =
            std::collections::BTreeMap::new();
        for (k, part) in self.vintages.parts.iter().enumerate() {
            if let (Some(y), Some(step)) = (part.built_in, part.step) {
                let unit_col = columns[k].terms[0].0;
                learning.push((part.generator, y, step, unit_col));
                by_build.entry((part.generator, y)).or_default().push(k);
            }
        }
        for ((g, y), members) in &by_build {
            let capacity = &self.vintages.parts[members[0]].capacity;
            if members.len() > 1 {
                let terms: Vec<(usize, f64)> = members
                    .iter()
                    .map(|&k| (columns[k].terms[0].0, 1.0))
                    .collect();
                lp.row_with(
                    format!(
                        "Generator-build-limit[{},{}]",
                        self.base.generators[*g].name,
                        self.vintages.network.investment_periods[*y].period
                    ),
                    f64::NEG_INFINITY,
                    (capacity.max / capacity.module + 1e-9).floor(),
                    &terms,
                );
            }
        }
        let names = super::options::Names::from(&self.base);
        let options = super::options::Options::resolve_names(&names, &self.file)
            .expect("the names were checked when the plan was prepared");
        crate::build::planning::learning::add_learning(
            lp,
            &options.vendors,
            n_periods,
            self.file.solver.relax_integers,
            &learning,
        );
    }

    /// Whether base generator `g` holds N-1 reserve (`multi_period.rs`): it is in an area with
    /// `n1_reserve` and its reserve ramp ([`super::multi_period::reserve_ramp`]) is not 0.
    fn holds_reserve(&self, g: usize) -> bool {
        let generator = &self.base.generators[g];
        let bus = &self.base.buses[generator.bus].name;
        let plan = &self.file;
        plan.areas
            .iter()
            .any(|a| a.n1_reserve && a.buses.iter().any(|b| b == bus))
            && super::multi_period::reserve_ramp(plan.units.get(&generator.name), generator) > 0.0
    }

    /// Whether the planning file makes base generator `g` committable: its status bounds its
    /// output, and `p_min_pu` applies per unit online (`multi_period.rs`).
    fn committable(&self, g: usize) -> bool {
        self.file
            .units
            .get(&self.base.generators[g].name)
            .is_some_and(|u| u.committable)
    }

    /// The least output per MW available the planning file gives base generator `g`
    /// ([`super::multi_period::least_output`]); where it is positive it replaces the network's
    /// `p_min_pu`.
    fn least_output(&self, g: usize) -> f64 {
        super::multi_period::least_output(self.file.units.get(&self.base.generators[g].name))
    }

    /// The storage units' capacity in each period, their builds active then plus their
    /// existing power capacity, $C_{s,y}$: dispatch, charge and state of charge within it
    /// (`StorageUnit-availability-dispatch`, `-store`, `-state_of_charge`), and for a unit linked
    /// across representative periods its states (`linked_storage.rs`) within $h C_{s,y}$
    /// (`StorageUnit-availability-linked`). Returns each build's capacity.
    fn pool_storage(
        &self,
        lp: &mut LinearProgram,
        index: &ModelIndex,
        ix: &mut Index,
        ranges: &[Range<usize>],
    ) -> Vec<Expr> {
        let vintages = &self.vintages;
        let network = &vintages.network;
        let periods = &network.investment_periods;
        let columns: Vec<Expr> = vintages
            .storage_parts
            .iter()
            .map(|part| part.column(lp, network))
            .collect();
        for (s, base) in self.base.storage_units.iter().enumerate() {
            let linked = network.is_linked_storage(s);
            for (y, period) in periods.iter().enumerate() {
                let mut capacity = Expr::constant(vintages.storage_existing_mw[s]);
                for (k, part) in vintages.storage_parts.iter().enumerate() {
                    if part.generator == s && part.capacity.active_in(period.period) {
                        capacity.add(&columns[k]);
                    }
                }
                let name = &base.name;
                let first = ranges[y].start;
                let within = |lp: &mut LinearProgram, key: String, col: usize, k: f64| {
                    at_most(lp, key, col, &capacity, k);
                };
                for t in ranges[y].clone() {
                    let base_t = t - first;
                    within(
                        lp,
                        format!("StorageUnit-availability-dispatch[{name},{y},{base_t}]"),
                        index.storage_p_dispatch(s, t),
                        base.p_max_pu.at(base_t).max(0.0),
                    );
                    within(
                        lp,
                        format!("StorageUnit-availability-store[{name},{y},{base_t}]"),
                        index.storage_p_store(s, t),
                        (-base.p_min_pu.at(base_t)).max(0.0),
                    );
                    if !linked {
                        within(
                            lp,
                            format!(
                                "StorageUnit-availability-state_of_charge[{name},{y},{base_t}]"
                            ),
                            index.storage_state_of_charge(s, t),
                            base.max_hours,
                        );
                    }
                }
                let states = index
                    .linked_storage
                    .iter()
                    .filter(|l| l.unit == s && l.period == y);
                for (i, &(inter, high)) in states.flat_map(|l| l.upper.iter()).enumerate() {
                    let mut terms = vec![(inter, 1.0)];
                    terms.extend(high.map(|h| (h, 1.0)));
                    terms.extend(
                        capacity
                            .terms
                            .iter()
                            .map(|&(c, v)| (c, -v * base.max_hours)),
                    );
                    lp.row_with(
                        format!("StorageUnit-availability-linked[{name},{y},{i}]"),
                        f64::NEG_INFINITY,
                        capacity.constant * base.max_hours,
                        &terms,
                    );
                }
                ix.storage_capacity[s][y] = capacity;
            }
        }
        columns
    }

    /// After the planning families: the rows over the parts (limits, retirement), the CO2 caps
    /// and the constant costs.
    fn extra<'a>(
        &'a self,
        plan: &'a PlanningFile,
    ) -> impl FnOnce(&mut LinearProgram, &ModelIndex, &Index) + 'a {
        move |lp, _, ix| {
            let caps = plan
                .investment
                .as_ref()
                .and_then(|i| i.co2_cap_t.as_deref());
            let columns = self.columns.borrow();
            let storage_columns = self.storage_columns.borrow();
            limit_rows(lp, (&columns, &storage_columns), &self.base, &self.vintages);
            retirement_rows(lp, &columns, &self.base, &self.vintages);
            policy::add_co2_caps(lp, caps, &self.periods, &self.co2, &self.weights, ix);
            if self.vintages.fixed_cost != 0.0 {
                lp.col("Fixed-costs", self.vintages.fixed_cost, 1.0, 1.0, false);
            }
        }
    }
}

/// `col <= k · C`: a bound when the capacity $C$ is a constant, else a row named `key`.
fn at_most(lp: &mut LinearProgram, key: String, col: usize, capacity: &Expr, k: f64) {
    if capacity.terms.is_empty() {
        lp.col_upper[col] = lp.col_upper[col].min(capacity.constant * k);
        return;
    }
    let mut terms = vec![(col, 1.0)];
    terms.extend(capacity.terms.iter().map(|&(c, v)| (c, -v * k)));
    lp.row_with(key, f64::NEG_INFINITY, capacity.constant * k, &terms);
}

/// The network's own units as the planning file's, over the file's periods (PyPSA's MILP
/// attributes as the planning model reads them; the generator keeps none of them):
/// - an extendable generator with modules (`p_nom_mod`) is a unit-sized design of its module, so
///   its capacity in every period is whole modules; a fixed one without commitment is its
///   capacity;
/// - a committable generator of a constant `p_nom` (one unit) or of modules (whole modules,
///   `existing_units` of a fixed one) is a committable design with its minimum up and down
///   times, its status before the start, its constant start-up, shut-down and stand-by costs,
///   and no contingency unless the file says so; its `p_min_pu` stays on the generator
///   ([`super::one_period::committed_least_output`]);
/// - constant ramp limits below 1 p.u. per hour are the design's `ramp_rate`, `ramp_rate_down`
///   (1 when absent) and, for a committable one, its start-up and shut-down ramps.
///
/// A generator the file defines itself (beyond `capacity_credit`, `contingency`, `reserve_ramp`
/// and `refuelling`) keeps only its modules, as its unit size unless the file gives one; with
/// commitment or ramps of its own, or committable without a size (big-M), or with varying costs
/// or ramp limits or an initial output, it keeps its attributes and [`unsupported`] names it.
pub(crate) fn with_network_units(network: &mut Network, plan: &mut PlanningFile) {
    let constant = |series: &Series| match series {
        Series::Static(v) => Some(*v),
        Series::Varying(_) => None,
    };
    for g in &mut network.generators {
        let op = &g.operation;
        let capacity = &g.capacity;
        let defined = plan.units.get(&g.name).is_some_and(|u| !u.annotates_only());
        let limit = |series: &Option<Series>| match series {
            None => Some(None),
            Some(Series::Static(v)) => Some((v.is_finite() && *v < 1.0).then_some(*v)),
            Some(Series::Varying(_)) => None,
        };
        let (Some(up), Some(down)) = (limit(&op.ramp_limit_up), limit(&op.ramp_limit_down)) else {
            continue;
        };
        let costs = [&op.start_up_cost, &op.shut_down_cost, &op.stand_by_cost].map(constant);
        let sized = capacity.is_modular() || (!capacity.extendable && capacity.nominal > 0.0);
        // Modules without commitment or ramps: the file's own unit, of the module unless the
        // file gives it a size.
        if defined && !op.committable && !op.has_ramp_limits() {
            if capacity.is_modular() && capacity.extendable {
                if let Some(unit) = plan.units.get_mut(&g.name) {
                    unit.unit_size_mw.get_or_insert(capacity.module);
                }
            }
            g.capacity.module = 0.0;
            continue;
        }
        if defined
            || op.p_init.is_some()
            || (op.committable && (!sized || costs.iter().any(Option::is_none)))
        {
            continue;
        }
        let mut unit = super::file::UnitWire::default();
        if capacity.is_modular() && (capacity.extendable || op.committable) {
            unit.unit_size_mw = Some(capacity.module);
            if !capacity.extendable {
                unit.existing_units =
                    u32::try_from((capacity.nominal / capacity.module).round() as i64).unwrap_or(0);
            }
        }
        if op.committable {
            if !capacity.is_modular() {
                unit.unit_size_mw = Some(capacity.nominal);
                unit.existing_units = 1;
            }
            unit.committable = true;
            unit.min_up_time = u32::try_from(op.min_up_time).unwrap_or(u32::MAX);
            unit.min_down_time = u32::try_from(op.min_down_time).unwrap_or(u32::MAX);
            unit.up_time_before = Some(u32::try_from(op.up_time_before).unwrap_or(u32::MAX));
            unit.down_time_before = u32::try_from(op.down_time_before).unwrap_or(u32::MAX);
            let [start_up, shut_down, stand_by] = costs.map(|c| c.filter(|v| *v > 0.0));
            unit.start_up_cost = start_up;
            unit.shut_down_cost = shut_down;
            unit.stand_by_cost = stand_by;
            unit.contingency = Some(false);
        }
        let switch = |value: Option<f64>| {
            value
                .filter(|_| op.committable)
                .filter(|v| v.is_finite() && *v < 1.0)
        };
        let (start_up, shut_down) = (
            switch(op.ramp_limit_start_up),
            switch(op.ramp_limit_shut_down),
        );
        if up.is_some() || down.is_some() || start_up.is_some() || shut_down.is_some() {
            unit.ramp_rate = Some(up.unwrap_or(1.0));
            unit.ramp_rate_down = Some(down.unwrap_or(1.0));
            unit.ramp_rate_start_up = start_up;
            unit.ramp_rate_shut_down = shut_down;
        }
        if unit == super::file::UnitWire::default() && !capacity.is_modular() {
            continue;
        }
        // The file's annotations stay on the network's unit.
        if let Some(annotations) = plan.units.get(&g.name) {
            unit.capacity_credit = annotations.capacity_credit;
            unit.contingency = annotations.contingency.or(unit.contingency);
            unit.reserve_ramp = annotations.reserve_ramp;
            unit.refuelling = annotations.refuelling.clone();
        }
        if unit != super::file::UnitWire::default() {
            plan.units.insert(g.name.clone(), unit);
        }
        g.operation = crate::network::Operation::default();
        g.capacity.module = 0.0;
    }
}

/// Plans `network` (one period) over the planning file's `[investment]` periods on the core's
/// snapshot axis; the result has one row per network generator and period, and the vintage
/// network's [`crate::results::Results`] in [`PlanResult::network_results`]. `system`, when
/// given, is the planning system the network was made from
/// ([`super::network::network_from_system`]).
///
/// # Errors
/// A name of `plan` the network does not have ([`Error::UnknownName`]), and what
/// [`super::multi_period::plan_with`] refuses.
pub(crate) fn plan(
    network: &Network,
    plan: &PlanningFile,
    system: Option<&System>,
) -> Result<PlanResult, Error> {
    let (network, plan) = super::one_period::committed_least_output(network, plan);
    let (network, plan) = (&network, &plan);
    let prepared = Prepared::new(network, plan, system)?;
    let mut result = super::multi_period::plan_with(
        &prepared.vintages.network,
        &prepared.file,
        prepared.pool(),
        prepared.extra(plan),
    )?;
    let columns = prepared.columns.borrow();
    let storage_columns = prepared.storage_columns.borrow();
    fold(
        &mut result,
        &prepared.base,
        plan,
        &prepared.vintages,
        (&columns, &storage_columns),
    );
    result.aggregation = prepared.report;
    Ok(result)
}

/// The marginal prices of a plan [`plan`] solved without them, from the same inputs
/// ([`super::multi_period::prices_with`]).
///
/// # Errors
/// As [`plan`], and a `result` that does not come from these inputs.
pub(crate) fn prices(
    network: &Network,
    plan: &PlanningFile,
    system: Option<&System>,
    result: &PlanResult,
) -> Result<Vec<super::BusPrices>, Error> {
    let (network, plan) = super::one_period::committed_least_output(network, plan);
    let (network, plan) = (&network, &plan);
    let prepared = Prepared::new(network, plan, system)?;
    super::multi_period::prices_with(
        &prepared.vintages.network,
        &prepared.file,
        prepared.pool(),
        prepared.extra(plan),
        &result.col_values,
    )
}

/// The network on the representative periods of `[aggregation]`, when the plan has it: the same
/// clustering of the same series as a planning system's (`System::aggregated`), every time
/// series reduced to the representatives' snapshots, each weighted by the hours of the year it
/// stands for, and each storage unit linked across the year or cycling within each
/// representative as its `linking` (else `[aggregation].storage`) says.
pub(crate) fn representative(
    network: &Network,
    plan: &PlanningFile,
    system: Option<&System>,
) -> Result<(Network, Option<super::AggregationReport>), Error> {
    let Some(wire) = &plan.aggregation else {
        return Ok((network.clone(), None));
    };
    let own;
    let system = match system {
        Some(system) => system,
        None => {
            own = super::network::system_from_network(network);
            &own
        }
    };
    let (_, agg) = system.aggregated(&super::aggregation_settings(wire))?;
    let report = system
        .loads
        .iter()
        .find(|l| l.p_set.len() > 1)
        .map(|l| super::AggregationReport::of(&agg, &l.p_set));
    let mut out = network.clone();
    out.for_each_series(|series| {
        if let Series::Varying(values) = series {
            *series = Series::Varying(agg.reduce(values));
        }
    });
    let hours: Vec<usize> = (0..agg.len())
        .flat_map(|r| agg.representative_hours(r))
        .collect();
    let snapshots = &network.snapshots;
    out.snapshots.names = hours.iter().map(|&t| snapshots.names[t].clone()).collect();
    out.snapshots.objective = agg.reduced_weights(&snapshots.objective);
    out.snapshots.generators = agg.reduced_weights(&snapshots.generators);
    out.snapshots.stores = agg.reduce(&snapshots.stores);
    out.representative = Some(crate::network::Representative {
        block_snapshots: agg.period_hours,
        sequence: agg.assignment.clone(),
        last_snapshots: agg.hours - (agg.assignment.len() - 1) * agg.period_hours,
        linked: network
            .storage_units
            .iter()
            .map(|unit| {
                plan.storage
                    .get(&unit.name)
                    .and_then(|s| s.linking)
                    .unwrap_or(wire.storage)
                    == super::file::StorageLinking::Linked
            })
            .collect(),
    });
    Ok((out, report))
}

/// `Generator-p_nom-max[<name>,<year>]` and `Generator-max-units[<name>,<year>]`: a
/// generator's parts active in a period (builds, and the kept parts of a retirable fleet) are
/// within its [`Limit`]; and
/// `StorageUnit-p_nom-max[<name>,<year>]` for a storage unit's builds.
fn limit_rows(
    lp: &mut LinearProgram,
    (columns, storage_columns): (&[Expr], &[Expr]),
    network: &Network,
    vintages: &Vintages,
) {
    for limit in &vintages.limits {
        for (y, period) in vintages.network.investment_periods.iter().enumerate() {
            let mut terms = Vec::new();
            let name = if limit.storage {
                for (k, part) in vintages.storage_parts.iter().enumerate() {
                    if part.generator == limit.asset && part.capacity.active_in(period.period) {
                        terms.extend(storage_columns[k].terms.iter().copied());
                    }
                }
                &network.storage_units[limit.asset].name
            } else {
                for (k, part) in vintages.parts_of(limit.asset) {
                    if part.capacity.active_in(period.period) {
                        terms.extend(columns[k].terms.iter().copied());
                    }
                }
                &network.generators[limit.asset].name
            };
            if terms.is_empty() {
                continue;
            }
            lp.row_with(
                format!("{}[{name},{}]", limit.family, period.period),
                f64::NEG_INFINITY,
                limit.room_mw[y],
                &terms,
            );
        }
    }
}

/// `Generator-retire-once[<name>]`: the parts of a retirable fleet, by the period they are
/// retired in, add up to at most the fleet, so that what is kept never rises again.
fn retirement_rows(
    lp: &mut LinearProgram,
    columns: &[Expr],
    network: &Network,
    vintages: &Vintages,
) {
    for (g, members, fleet) in &vintages.retirable {
        let terms: Vec<(crate::lp::Col, f64)> = members
            .iter()
            .flat_map(|&k| columns[k].terms.iter().copied())
            .collect();
        lp.row_with(
            format!("Generator-retire-once[{}]", network.generators[*g].name),
            f64::NEG_INFINITY,
            *fleet,
            &terms,
        );
    }
}

/// The result on the network's own generators: each period's row has the operator's energy,
/// CO2 and dispatch, and as capacity its parts active then plus its existing capacity (units
/// online and units built for a unit-sized design, MW built otherwise); curtailment is counted against that capacity. Storage rows sum a unit's
/// parts. The core's per-asset results are dropped: an operator's `p_nom` is unbounded, so
/// they are not a network's results.
fn fold(
    result: &mut PlanResult,
    network: &Network,
    plan: &PlanningFile,
    vintages: &Vintages,
    (columns, storage_columns): (&[Expr], &[Expr]),
) {
    let ny = vintages.network.investment_periods.len();
    result.network_results = None;
    let value = |e: &Expr| -> f64 {
        e.constant
            + e.terms
                .iter()
                .map(|&(c, v)| v * result.col_values.get(c).copied().unwrap_or(0.0))
                .sum::<f64>()
    };
    let part_mw: Vec<f64> = columns.iter().map(value).collect();
    if result.capacities.len() != vintages.network.generators.len() * ny {
        // No solution: nothing to fold.
        return;
    }
    let rows = std::mem::take(&mut result.capacities);
    let hourly = std::mem::take(&mut result.generator_p);
    let weights = &network.snapshots.generators;
    let mut capacities: Vec<CapacityResult> = Vec::with_capacity(network.generators.len() * ny);
    for (g, generator) in network.generators.iter().enumerate() {
        let size = plan.units.get(&generator.name).and_then(|u| u.unit_size_mw);
        for (y, period) in vintages.network.investment_periods.iter().enumerate() {
            let operator = &rows[g * ny + y];
            let mut capacity = vintages.existing_mw[g][y];
            let mut built = 0.0;
            for (k, part) in vintages.parts_of(g) {
                if part.capacity.active_in(period.period) {
                    capacity += part_mw[k];
                }
                if part.built_in == Some(y) {
                    built += part_mw[k] / size.unwrap_or(1.0);
                }
            }
            let curtailment = if generator.p_max_pu.is_varying() {
                hourly.get(g).and_then(|h| h.get(y)).map_or(0.0, |p| {
                    p.iter()
                        .enumerate()
                        .map(|(t, p_t)| {
                            weights[t] * (generator.p_max_pu.at(t) * capacity - p_t).max(0.0)
                        })
                        .sum()
                })
            } else {
                0.0
            };
            capacities.push(CapacityResult {
                generator: generator.name.clone(),
                period: Some(period.period),
                p_nom_opt_mw: clean(capacity),
                units: size.map(|s| clean(capacity / s)),
                built: clean(built),
                energy_mwh: operator.energy_mwh,
                co2_t: operator.co2_t,
                curtailment_mwh: clean(curtailment),
            });
        }
    }
    result.capacities = capacities;
    if !hourly.is_empty() {
        result.generator_p = hourly;
    }
    let storage_mw: Vec<f64> = storage_columns.iter().map(value).collect();
    for row in &mut result.storage {
        let Some(k) = network
            .storage_units
            .iter()
            .position(|u| u.name == row.storage_unit)
        else {
            continue;
        };
        let y = vintages
            .network
            .investment_periods
            .iter()
            .position(|p| Some(p.period) == row.period)
            .unwrap_or(0);
        let mut capacity = vintages.storage_existing_mw[k];
        let mut built = 0.0;
        for (j, part) in vintages.storage_parts.iter().enumerate() {
            if part.generator != k {
                continue;
            }
            if part
                .capacity
                .active_in(vintages.network.investment_periods[y].period)
            {
                capacity += storage_mw[j];
            }
            if part.built_in == Some(y) {
                built += storage_mw[j];
            }
        }
        row.p_nom_opt_mw = clean(capacity);
        row.built_mw = clean(built);
    }
    result.hour_weights = network.snapshots.objective.clone();
}
