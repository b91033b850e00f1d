//! A plan of one period whose planning file sizes its own units (`[units.<name>]`
//! `unit_size_mw`, `existing_units`, `max_units`, operating modes, commitment, refuelling), on the
//! core's builder: the network as one period of `multi_period.rs`, with the units written onto it
//! and the planning families added over its columns.
//!
//! PyPSA's one-period convention, as the planning builder (deleted) had it: an extendable
//! unit-sized design is a modular generator of `unit_size_mw` modules (the core's integer module count
//! $n_g$), with $\max(E_g, \lceil \underline P_g / S_g \rceil) \le n_g \le
//! \min(M_g, \lfloor \overline P_g / S_g \rfloor)$ for `existing_units` $E_g$ and `max_units`
//! $M_g$, all of it costed at `capital_cost`; a fixed one is $\max(\mathrm{round}(P_g/S_g), E_g)$
//! units. Its units $C_g/S_g$ are the N-1, refuelling and commitment families' units
//! ([`super::multi_period::Pooled`]); its operation is `multi_period::units_reserve_and_refuelling`'s.
//! Lead times, lifetimes, retirement and learning have no meaning in one period and are
//! ignored. The network's own units (modules, or a committable generator's `p_nom`) keep the
//! core's modules, commitment and ramps and are units of the N-1 and refuelling families as on
//! the plain path (a committable one is no contingency unless `contingency = true`).

use super::file::PlanningFile;
use super::multi_period::{max_units_of, unit_size_of, Pooled};
use crate::build::planning::BIG_UNITS;
use crate::network::{Network, Series};

/// What keeps a one-period plan that sizes its own units off the core's builder (empty when
/// [`network`] takes it): `[investment]`; `[aggregation]` on blocks of the system's own, with
/// non-cyclic storage that a network CO2 limit counts, or with a generator's own commitment or
/// ramps that could not be the file's units; a `[units.<name>]` that does more than annotate a
/// generator with modules, commitment or ramps of its own; and a committable unit without a
/// size, or on a generator whose `p_min_pu` or `p_max_pu` varies.
pub(crate) fn unsupported(plan: &PlanningFile, network: &Network) -> Vec<String> {
    let mut why = Vec::new();
    if plan.investment.is_some() {
        why.push("`[investment]` (the planning file's own periods)".to_owned());
    }
    if plan.aggregation.is_some() && network.representative.is_some() {
        why.push("`[aggregation]` on representative periods of the system's own".to_owned());
    }
    // Representative periods have no last snapshot whose state of charge a limit could count.
    if plan.aggregation.is_some() {
        for limit in &network.global_constraints {
            for unit in &network.storage_units {
                let emits =
                    network.carrier_attribute(&unit.carrier, &limit.carrier_attribute) != 0.0;
                if emits && !unit.cyclic_state_of_charge {
                    why.push(format!(
                        "the non-cyclic storage unit `{}` under the limit `{}` with `[aggregation]`",
                        unit.name, limit.name
                    ));
                }
            }
        }
    }
    for g in &network.generators {
        let unit = plan.units.get(&g.name);
        // The network's own units keep their modules, commitment and ramps (the core's rows,
        // read by the families as units, as on the plain path); the file may only annotate
        // them. With `[aggregation]` they are the file's units (`vintages::with_network_units`,
        // in `solve_network`), so what is left here could not be (the core's commitment runs in
        // sequence, not within representative blocks).
        let own_operation = g.operation.committable || g.operation.has_ramp_limits();
        if (g.capacity.is_modular() || own_operation) && unit.is_some_and(|u| !u.annotates_only()) {
            why.push(format!(
                "`[units.{}]` beyond `capacity_credit`, `contingency`, `reserve_ramp` and `refuelling` on a generator with modules, commitment or ramps of its own",
                g.name
            ));
        }
        if own_operation && plan.aggregation.is_some() {
            why.push(format!(
                "the generator `{}` with commitment or ramps of its own with `[aggregation]` (an initial output `p_init`, varying costs or ramp limits, or committable and extendable without `p_nom_mod`)",
                g.name
            ));
        }
        let Some(unit) = unit else {
            continue;
        };
        // A committable design's least output becomes its minimum stable load ([`operated`]),
        // which needs constant limits.
        let own_min = g.p_min_pu != Series::Static(0.0);
        let constant = matches!(
            (&g.p_min_pu, &g.p_max_pu),
            (Series::Static(low), Series::Static(high)) if *low >= 0.0 && *high > 0.0
        );
        if unit.committable && own_min && !constant {
            why.push(format!(
                "`[units.{}]` committable on a generator whose `p_min_pu` or `p_max_pu` varies or is not positive",
                g.name
            ));
        }
        if unit.committable && unit.unit_size_mw.is_none() {
            why.push(format!(
                "`[units.{}]` committable without `unit_size_mw` (a status under big-M)",
                g.name
            ));
        }
    }
    why
}

/// The file's operation of its units over the network's own limits, as the planning model had
/// it: a unit that is not committable with `operation = "must_run"` or a `min_stable_load`
/// runs at least at that share of what is available, in place of its `p_min_pu`; a committable
/// design as [`committed_least_output`]; and `marginal_cost_by_period` (one value, the one
/// period's) replaces the marginal cost.
fn operated(network: &Network, plan: &PlanningFile) -> (Network, PlanningFile) {
    let (mut network, mut plan) = committed_least_output(network, plan);
    for g in &mut network.generators {
        let Some(unit) = plan.units.get_mut(&g.name) else {
            continue;
        };
        if let Some(cost) = unit
            .marginal_cost_by_period
            .as_ref()
            .and_then(|c| c.first())
        {
            g.marginal_cost = Series::Static(*cost);
        }
        if !unit.committable
            && (unit.min_stable_load > 0.0
                || unit.operation == Some(super::file::Operation::MustRun))
        {
            g.p_min_pu = Series::Static(0.0);
        }
    }
    (network, plan)
}

/// A committable design of the file on a generator with a constant `p_min_pu` $\underline\pi$
/// and `p_max_pu` $\pi > 0$ runs at least at $\max(m \pi, \underline\pi)$ of each unit online
/// (its `min_stable_load` $m$ of what is available, or the generator's own `p_min_pu`, whichever
/// is higher, as the planning model had it): a minimum stable load of
/// $\max(m, \underline\pi / \pi)$, the generator's `p_min_pu` then 0 (the core's row would
/// hold it with every unit off). A varying limit is refused by the callers.
pub(crate) fn committed_least_output(
    network: &Network,
    plan: &PlanningFile,
) -> (Network, PlanningFile) {
    let mut network = network.clone();
    let mut plan = plan.clone();
    for g in &mut network.generators {
        let Some(unit) = plan.units.get_mut(&g.name).filter(|u| u.committable) else {
            continue;
        };
        if let (Series::Static(low), Series::Static(high)) = (&g.p_min_pu, &g.p_max_pu) {
            if *low > 0.0 && *high > 0.0 {
                unit.min_stable_load = unit.min_stable_load.max(low / high);
                g.p_min_pu = Series::Static(0.0);
            }
        }
    }
    (network, plan)
}

/// `network` with the plan's unit-sized designs written onto it, and what the N-1, refuelling and
/// commitment families read of them.
pub(crate) fn network(network: &Network, plan: &PlanningFile) -> (Network, Pooled) {
    let mut out = network.clone();
    let n = network.generators.len();
    let mut pooled = Pooled {
        unit_size: vec![None; n],
        max_units: vec![BIG_UNITS; n],
        refuelling_units: vec![1.0; n],
    };
    for (g, generator) in out.generators.iter_mut().enumerate() {
        let size = plan.units.get(&generator.name).and_then(|u| u.unit_size_mw);
        let (Some(unit), Some(size)) = (plan.units.get(&generator.name), size) else {
            // The network's own unit (modules, or a committable unit of its `p_nom`), as the
            // plain path reads it.
            pooled.unit_size[g] = unit_size_of(generator);
            pooled.max_units[g] = max_units_of(generator);
            pooled.refuelling_units[g] = pooled.max_units[g];
            continue;
        };
        let existing = f64::from(unit.existing_units);
        let capacity = &mut generator.capacity;
        if capacity.extendable {
            let lo = ((capacity.min / size - 1e-9).ceil()).max(existing);
            let most = (capacity.max / size + 1e-9).floor();
            let hi = unit.max_units.map_or(most, |m| f64::from(m).min(most));
            capacity.module = size;
            capacity.min = lo * size;
            capacity.max = if hi.is_finite() {
                hi.max(lo) * size
            } else {
                f64::INFINITY
            };
        } else {
            capacity.nominal = (capacity.nominal / size).round().max(existing) * size;
        }
        pooled.unit_size[g] = Some(size);
        pooled.max_units[g] = unit.max_units.map_or(BIG_UNITS, f64::from);
        pooled.refuelling_units[g] =
            f64::from(unit.max_units.unwrap_or(unit.existing_units.max(1)));
    }
    (out, pooled)
}

/// Plans `network` with `plan` (of one period, sizing its own units) on the core's builder.
///
/// # Errors
/// As [`super::multi_period::plan_with`].
pub(crate) fn plan(
    network: &Network,
    plan: &PlanningFile,
    system: Option<&super::System>,
) -> Result<super::PlanResult, crate::Error> {
    let (network, plan) = operated(network, plan);
    let plan = &plan;
    // Representative periods first (`[aggregation]`, clustered as a planning system is, storage
    // linked across the year where `linking` says so).
    let (network, report) = super::vintages::representative(&network, plan, system)?;
    let (network, pooled) = self::network(&network, plan);
    let sizes = pooled.unit_size.clone();
    let mut result = super::multi_period::plan_with(&network, plan, pool(pooled), |_, _, _| {})?;
    result.aggregation = report;
    // The units of every unit-sized design, fixed ones too (the core reports its module counts).
    for (c, size) in result.capacities.iter_mut().zip(&sizes) {
        if let (None, Some(size)) = (c.units, size) {
            c.units = Some(super::clean(c.p_nom_opt_mw / size));
        }
    }
    Ok(result)
}

/// The marginal prices of a plan [`plan`] solved without them.
///
/// # Errors
/// As [`super::multi_period::prices_with`].
pub(crate) fn prices(
    network: &Network,
    plan: &PlanningFile,
    system: Option<&super::System>,
    col_values: &[f64],
) -> Result<Vec<super::BusPrices>, crate::Error> {
    let (network, plan) = operated(network, plan);
    let plan = &plan;
    let (network, _) = super::vintages::representative(&network, plan, system)?;
    let (network, pooled) = self::network(&network, plan);
    super::multi_period::prices_with(&network, plan, pool(pooled), |_, _, _| {}, col_values)
}

/// The pool hook: a design's units are its capacity over its unit size.
fn pool(
    pooled: Pooled,
) -> impl FnOnce(
    &mut crate::lp::LinearProgram,
    &crate::ModelIndex,
    &mut crate::build::planning::Index,
    &[std::ops::Range<usize>],
) -> Option<Pooled> {
    move |_, _, ix, ranges| {
        ix.units = (0..pooled.unit_size.len())
            .map(|g| {
                (0..ranges.len())
                    .map(|y| pooled.unit_size[g].map(|s| ix.capacity[g][y].scaled(1.0 / s)))
                    .collect()
            })
            .collect();
        Some(pooled)
    }
}
