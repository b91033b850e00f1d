//! From the core's [`Network`] (a PyPSA folder) to the planning [`System`], and the folder-level
//! entry point used by `atomplan solve <folder> --planning FILE.toml` and by studies.
//!
//! The planning model covers every component and attribute the core reads: generators (with
//! time-varying marginal costs, `p_min_pu`, commitment costs and ramp limits, `p_init`, either
//! `sign`, a negative `p_min_pu`), committable generators and links of every kind PyPSA has
//! (fixed, modular fixed or extendable, extendable with big-M), ramp-limited ones, storage
//! units (time-varying limits and costs, either `sign`), loads, links and lines, fixed or
//! extendable, with time-varying limits and costs (lines also obey Kirchhoff's voltage law, on
//! the core's cycle basis), and the network's CO2 limits (generator weighting, non-cyclic
//! emitting storage). A plan that cannot take a network feature says so ([`super::plan`]):
//! extendable branches or network CO2 limits in a multi-period plan, and non-cyclic emitting
//! storage under a CO2 limit with representative periods.

use std::path::Path;

use atomplan_core::{Diagnostic, Location};

use super::file::PlanningFile;
use super::system::{
    Chronology, EmissionLimit, Generator, Link, LinkExpansion, LinkOperation, Load, StorageUnit,
    System, VaryingOperation,
};
use super::PlanResult;
use crate::network::{ConstraintSense, Network, Series};
use crate::pypsa::Imported;

fn series(s: &Series, n: usize) -> Vec<f64> {
    match s {
        Series::Static(v) => vec![*v],
        Series::Varying(_) => (0..n).map(|t| s.at(t)).collect(),
    }
}

/// Convert a network: every component and attribute the core reads has its planning form.
pub fn system_from_network(network: &Network) -> System {
    let n = network.snapshots.objective.len();
    let mut storage_units = Vec::with_capacity(network.storage_units.len());
    for su in &network.storage_units {
        // A constant, and the series when it varies.
        let split = |series: &Series| match series {
            Series::Static(v) => (*v, Vec::new()),
            Series::Varying(_) => (series.at(0), self::series(series, n)),
        };
        let (marginal_cost, marginal_cost_t) = split(&su.marginal_cost);
        let (p_max_pu, p_max_pu_t) = split(&su.p_max_pu);
        let (p_min_pu, p_min_pu_t) = split(&su.p_min_pu);
        storage_units.push(StorageUnit {
            name: su.name.clone(),
            bus: su.bus,
            p_nom: su.capacity.nominal,
            extendable: su.capacity.extendable,
            p_nom_min: su.capacity.min,
            p_nom_max: su.capacity.max,
            capital_cost: su.capacity.capital_cost,
            marginal_cost,
            marginal_cost_t,
            max_hours: su.max_hours,
            p_max_pu,
            p_min_pu,
            p_max_pu_t,
            p_min_pu_t,
            efficiency_store: su.efficiency_store,
            efficiency_dispatch: su.efficiency_dispatch,
            standing_loss: su.standing_loss,
            cyclic_state_of_charge: su.cyclic_state_of_charge,
            state_of_charge_initial: su.state_of_charge_initial,
            inflow: series(&su.inflow, n),
            sign: su.sign,
            module: if su.capacity.extendable {
                su.capacity.module
            } else {
                0.0
            },
        });
    }
    // The network's global constraints: PyPSA's `primary_energy` limits on a carrier attribute
    // (`co2_emissions`), counted on generators' output and non-cyclic storage units' final
    // state of charge, as the core's `build::global` does.
    let mut emission_limits = Vec::new();
    for c in &network.global_constraints {
        let attribute = c.carrier_attribute.as_str();
        let mut lower_upper = match c.sense {
            ConstraintSense::LessEqual => (f64::NEG_INFINITY, c.constant),
            ConstraintSense::GreaterEqual => (c.constant, f64::INFINITY),
            ConstraintSense::Equal => (c.constant, c.constant),
        };
        let storage_units: Vec<f64> = network
            .storage_units
            .iter()
            .map(|su| {
                let a = network.carrier_attribute(&su.carrier, attribute);
                if su.cyclic_state_of_charge || a == 0.0 {
                    return 0.0;
                }
                // The initial state of charge moves to the bounds.
                lower_upper.0 -= a * su.state_of_charge_initial;
                lower_upper.1 -= a * su.state_of_charge_initial;
                a
            })
            .collect();
        emission_limits.push(EmissionLimit {
            name: c.name.clone(),
            lower: lower_upper.0,
            upper: lower_upper.1,
            generators: network
                .generators
                .iter()
                .map(|g| {
                    let a = network.carrier_attribute(&g.carrier, attribute);
                    if a == 0.0 || g.efficiency == 0.0 {
                        0.0
                    } else {
                        a / g.efficiency
                    }
                })
                .collect(),
            storage_units,
        });
    }
    let mut generators = Vec::with_capacity(network.generators.len());
    let capacities: Vec<&crate::network::Capacity> =
        network.generators.iter().map(|g| &g.capacity).collect();
    for g in &network.generators {
        let (mc, mc_t) = match &g.marginal_cost {
            Series::Static(v) => (*v, Vec::new()),
            Series::Varying(values) => (values.first().copied().unwrap_or(0.0), values.clone()),
        };
        let op = &g.operation;
        // Time-varying commitment costs and ramp limits; constant ones go into the unit.
        let varying = |s: &Series| match s {
            Series::Static(_) => Vec::new(),
            Series::Varying(_) => series(s, n),
        };
        let varying_ramp = |s: &Option<Series>| s.as_ref().map_or_else(Vec::new, varying);
        let committable = op.committable;
        generators.push(Generator {
            name: g.name.clone(),
            bus: g.bus,
            p_nom: g.capacity.nominal,
            extendable: g.capacity.extendable,
            p_nom_min: g.capacity.min,
            p_nom_max: g.capacity.max,
            capital_cost: g.capacity.capital_cost,
            marginal_cost: mc,
            marginal_cost_t: mc_t,
            p_min_pu: series(&g.p_min_pu, n),
            p_max_pu: series(&g.p_max_pu, n),
            // Carrier emissions are per MWh of primary energy; divide by efficiency for output.
            co2_t_per_mwh: if g.efficiency > 0.0 {
                network.carrier_attribute(&g.carrier, "co2_emissions") / g.efficiency
            } else {
                0.0
            },
            sign: g.sign,
            p_init: op.p_init,
            varying: VaryingOperation {
                start_up_cost: if committable {
                    varying(&op.start_up_cost)
                } else {
                    Vec::new()
                },
                shut_down_cost: if committable {
                    varying(&op.shut_down_cost)
                } else {
                    Vec::new()
                },
                stand_by_cost: if committable {
                    varying(&op.stand_by_cost)
                } else {
                    Vec::new()
                },
                ramp_limit_up: varying_ramp(&op.ramp_limit_up),
                ramp_limit_down: varying_ramp(&op.ramp_limit_down),
            },
            history_units: committable.then_some(1.0),
            ramp_unit_mw: (committable && !g.capacity.extendable).then_some(g.capacity.nominal),
            big_m: (committable && g.capacity.extendable && !g.capacity.is_modular()).then(|| {
                crate::build::commitment::big_m_of(network, &capacities, &g.capacity, &g.p_max_pu)
            }),
        });
    }
    let mut links = Vec::new();
    let link_capacities: Vec<&crate::network::Capacity> =
        network.links.iter().map(|l| &l.capacity).collect();
    for l in &network.links {
        let op = &l.operation;
        let operation = (op.committable || op.has_ramp_limits()).then(|| {
            let ramp = |s: &Option<Series>| s.as_ref().map(|s| series(s, n));
            LinkOperation {
                committable: op.committable,
                module: if op.committable {
                    l.capacity.module
                } else {
                    0.0
                },
                min_up_time: op.min_up_time,
                min_down_time: op.min_down_time,
                up_time_before: op.up_time_before,
                down_time_before: op.down_time_before,
                start_up_cost: series(&op.start_up_cost, n),
                shut_down_cost: series(&op.shut_down_cost, n),
                stand_by_cost: series(&op.stand_by_cost, n),
                // A limit given only for start-ups (shut-downs) leaves the other at 1 p.u.
                ramp_limit_up: ramp(&op.ramp_limit_up)
                    .or_else(|| op.ramp_limit_start_up.map(|_| vec![1.0])),
                ramp_limit_down: ramp(&op.ramp_limit_down)
                    .or_else(|| op.ramp_limit_shut_down.map(|_| vec![1.0])),
                ramp_limit_start_up: op.ramp_limit_start_up,
                ramp_limit_shut_down: op.ramp_limit_shut_down,
                p_init: op.p_init,
                big_m: (op.committable && l.capacity.extendable && !l.capacity.is_modular()).then(
                    || {
                        crate::build::commitment::big_m_of(
                            network,
                            &link_capacities,
                            &l.capacity,
                            &l.p_max_pu,
                        )
                    },
                ),
            }
        });
        links.push(Link {
            name: l.name.clone(),
            bus0: l.bus0,
            bus1: l.bus1,
            p_nom: l.capacity.nominal,
            efficiency: l.efficiency,
            bidirectional: l.p_min_pu.at(0) < 0.0,
            p_max_pu: series(&l.p_max_pu, n),
            p_min_pu: series(&l.p_min_pu, n),
            marginal_cost: l.marginal_cost.at(0),
            marginal_cost_t: match &l.marginal_cost {
                Series::Static(_) => Vec::new(),
                varying => series(varying, n),
            },
            expansion: l.capacity.extendable.then_some(LinkExpansion {
                p_nom_min: l.capacity.min,
                p_nom_max: l.capacity.max,
                capital_cost: l.capacity.capital_cost,
                module: l.capacity.module,
            }),
            operation,
            is_line: false,
        });
    }
    let first_line = links.len();
    for l in &network.lines {
        let s_max_pu = series(&l.s_max_pu, n);
        links.push(Link {
            name: l.name.clone(),
            bus0: l.bus0,
            bus1: l.bus1,
            p_nom: l.capacity.nominal,
            efficiency: 1.0,
            bidirectional: true,
            p_min_pu: s_max_pu.iter().map(|v| -v).collect(),
            p_max_pu: s_max_pu,
            marginal_cost: 0.0,
            marginal_cost_t: Vec::new(),
            expansion: l.capacity.extendable.then_some(LinkExpansion {
                p_nom_min: l.capacity.min,
                p_nom_max: l.capacity.max,
                capital_cost: l.capacity.capital_cost,
                module: l.capacity.module,
            }),
            operation: None,
            is_line: true,
        });
    }
    // Kirchhoff's voltage law on the lines, with the core's cycle basis and per-unit impedances.
    let kvl_cycles = {
        let branches: Vec<(usize, usize)> =
            network.lines.iter().map(|l| (l.bus0, l.bus1)).collect();
        crate::build::lines::cycle_basis(network.buses.len(), &branches)
            .into_iter()
            .map(|cycle| {
                cycle
                    .into_iter()
                    .map(|(l, orientation)| {
                        let line = &network.lines[l];
                        let bus0 = &network.buses[line.bus0];
                        let impedance = if bus0.carrier == "DC" { line.r } else { line.x };
                        let v_nom = if bus0.v_nom > 0.0 { bus0.v_nom } else { 1.0 };
                        (first_line + l, orientation * impedance / (v_nom * v_nom))
                    })
                    .collect()
            })
            .collect()
    };
    System {
        buses: network.buses.iter().map(|b| b.name.clone()).collect(),
        loads: network
            .loads
            .iter()
            .map(|l| Load {
                name: l.name.clone(),
                bus: l.bus,
                p_set: series(&l.p_set, n).iter().map(|v| -l.sign * v).collect(),
            })
            .collect(),
        generators,
        storage_units,
        links,
        weights: network.snapshots.objective.clone(),
        store_weights: network.snapshots.stores.clone(),
        generator_weights: network.snapshots.generators.clone(),
        block_hours: n.max(1),
        chronology: Chronology::Sequential,
        kvl_cycles,
        emission_limits,
    }
}

/// Check the plan against the network: every generator, storage unit and bus it names must
/// exist (all of them are listed, by the rules [`super::options::Options::resolve`] applies;
/// vendors are the file's own check), and unit
/// commitment on a long horizon without aggregation is slow.
pub fn check_names(plan: &PlanningFile, system: &System, file: &str) -> Vec<Diagnostic> {
    check_names_in(plan, &system.into(), system.hours(), file)
}

/// [`check_names`] against the components `names` lists, on a model of `hours` snapshots.
pub(crate) fn check_names_in(
    plan: &PlanningFile,
    names: &super::options::Names<'_>,
    hours: usize,
    file: &str,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for error in super::options::unknown_names(names, plan) {
        match &error {
            // The file's own check has already refused a vendor missing from `[vendors]`.
            crate::Error::UnknownName {
                kind: super::NameKind::Vendor,
                ..
            } => {}
            crate::Error::UnknownName { key, name, kind } => out.push(Diagnostic::error(
                Location::file(file).with_field(key.clone()),
                format!("no {kind} `{name}` in the network"),
            )),
            _ => {}
        }
    }
    if plan
        .units
        .values()
        .any(|u| u.refuelling.is_some() || u.committable || u.ramp_rate.is_some())
        && plan.aggregation.is_none()
        && hours > 24 * 31
    {
        out.push(
            Diagnostic::warning(
                Location::file(file),
                format!("unit commitment on {hours} snapshots without `[aggregation]` can be slow"),
            )
            .with_hint("add `[aggregation]` with `representatives = 12` for representative days"),
        );
    }
    out
}

/// What [`solve_folder`] returns: the result, or the diagnostics that stopped it.
#[derive(Debug)]
pub enum FolderOutcome {
    Solved {
        result: Box<PlanResult>,
        warnings: Vec<Diagnostic>,
        /// The network as read (with PyPSA's MILP attributes moved into planning units), for
        /// writing results in PyPSA's layout.
        network: Box<crate::Network>,
    },
    Invalid(Vec<Diagnostic>),
}

/// What the caller sets over a planning file's `[solver]` (`atomplan solve`'s `--threads` and
/// `--solver-option`).
#[derive(Debug, Clone, Default)]
pub struct SolverOverrides {
    pub threads: Option<u32>,
    /// HiGHS options applied after the defaults; check them with
    /// [`crate::highs_backend::check_options`] first for an input error before any solve.
    pub highs_options: Vec<(String, String)>,
    /// Write the planning model in CPLEX LP format here before solving.
    pub write_lp: Option<std::path::PathBuf>,
    /// HiGHS's log on stderr.
    pub log_to_console: bool,
}

/// Read a PyPSA folder and a planning file's text, validate both, and solve.
pub fn solve_folder(folder: &Path, plan_text: &str, plan_file: &str) -> FolderOutcome {
    solve_folder_with(folder, plan_text, plan_file, &SolverOverrides::default())
}

/// [`solve_folder`] with the caller's solver settings over the file's: the library form of
/// `atomplan solve <folder> --planning FILE.toml [--threads N] [--solver-option K=V]`.
pub fn solve_folder_with(
    folder: &Path,
    plan_text: &str,
    plan_file: &str,
    overrides: &SolverOverrides,
) -> FolderOutcome {
    // A file that does not parse fails before the folder is read; its values are checked
    // against the network's periods in `solve_network`.
    if let Err(diagnostics) = super::file::parse(plan_text, plan_file) {
        return FolderOutcome::Invalid(diagnostics);
    }
    let imported = match crate::pypsa::read_folder(folder) {
        Ok(i) => i,
        Err(crate::Error::Input(d)) => return FolderOutcome::Invalid(vec![*d]),
        Err(e) => {
            return FolderOutcome::Invalid(vec![Diagnostic::error(
                Location::file(folder.display().to_string()),
                e.to_string(),
            )])
        }
    };
    solve_network(imported, plan_text, plan_file, overrides)
}

/// Validate a planning file's text against an imported network (a CSV folder or in-memory
/// tables) and solve. A network with investment periods is solved by the core's builder with
/// the planning families added (`multi_period.rs`); its per-period lists in the file must have
/// one value per period of the network.
pub fn solve_network(
    imported: Imported,
    plan_text: &str,
    plan_file: &str,
    overrides: &SolverOverrides,
) -> FolderOutcome {
    let mut plan = match super::file::parse(plan_text, plan_file) {
        Ok(plan) => plan,
        Err(diagnostics) => return FolderOutcome::Invalid(diagnostics),
    };
    if let Some(threads) = overrides.threads {
        plan.solver.threads = threads;
    }
    plan.solver.highs_options = overrides.highs_options.clone();
    plan.solver.write_lp = overrides.write_lp.clone();
    plan.solver.log_to_console = overrides.log_to_console;
    let Imported {
        mut network,
        warnings,
    } = imported;
    // Over the file's own periods, or on representative periods of one, the network's own units
    // (modules, commitment, ramps) are the file's units: their switching and ramps then wrap
    // within each representative period, as the core's (which runs in sequence) would not.
    if (plan.investment.is_some() || plan.aggregation.is_some()) && !network.is_multi_period() {
        super::vintages::with_network_units(&mut network, &mut plan);
    }
    // A plan of one period that only adds rows over the network's own columns (policy limits,
    // reserve margins, N-1 on the network's units, refuelling) is the core's model with the
    // planning families, as a network with investment periods is; the rest (the planning file's
    // own unit sizes, operating modes, storage, representative periods or periods) goes through
    // the planning system.
    let on_core = network.is_multi_period()
        || (plan.investment.is_none()
            && super::multi_period::unsupported(&plan, &network, plan_file).is_empty());
    let mut diags = if network.is_multi_period() {
        let periods = network.investment_periods.len();
        let mut diags = super::file::validate_for_network_periods(&plan, plan_file, periods);
        diags.extend(super::multi_period::unsupported(&plan, &network, plan_file));
        diags
    } else if on_core {
        super::file::validate_for_network_periods(&plan, plan_file, 1)
    } else {
        super::file::validate(&plan, plan_file)
    };
    if diags.iter().any(Diagnostic::is_error) {
        return FolderOutcome::Invalid(diags);
    }
    diags.extend(warnings);
    // The system first (it reads the generators' time-varying commitment costs and ramp
    // limits); the network's own plans check names against the network.
    let system = system_from_network(&network);
    // A plan over the network's own snapshots that only adds rows (`multi_period.rs`); one of
    // one period that sizes its own units (`one_period.rs`); one over the planning file's own
    // periods, on the network itself, lines and extendable links included (`vintages.rs`).
    // What none of them takes is named, as an error.
    let route = if on_core {
        Route::Network
    } else if plan.investment.is_none() {
        let why = super::one_period::unsupported(&plan, &network);
        if !why.is_empty() {
            return refused(diags, plan_file, &why);
        }
        Route::OnePeriod
    } else {
        let why = super::vintages::unsupported(&plan, &network);
        if !why.is_empty() {
            return refused(diags, plan_file, &why);
        }
        Route::Vintages
    };
    diags.extend(match route {
        Route::Network => check_names_in(
            &plan,
            &(&network).into(),
            network.snapshots.len(),
            plan_file,
        ),
        Route::OnePeriod | Route::Vintages => check_names(&plan, &system, plan_file),
    });
    if diags.iter().any(Diagnostic::is_error) {
        return FolderOutcome::Invalid(diags);
    }
    let result = match route {
        Route::Network => super::multi_period::plan(&network, &plan),
        Route::OnePeriod => super::one_period::plan(&network, &plan, Some(&system)),
        Route::Vintages => super::vintages::plan(&network, &plan, Some(&system)),
    };
    match result {
        Ok(result) => FolderOutcome::Solved {
            result: Box::new(result),
            warnings: diags,
            network: Box::new(network),
        },
        Err(e) => {
            diags.push(Diagnostic::error(Location::file(plan_file), e.to_string()));
            FolderOutcome::Invalid(diags)
        }
    }
}

/// Which model [`solve_network`] plans a network on.
enum Route {
    Network,
    OnePeriod,
    Vintages,
}

/// A plan the planning model does not take: every reason, as one error on the planning file,
/// after the diagnostics so far.
fn refused(mut diags: Vec<Diagnostic>, plan_file: &str, why: &[String]) -> FolderOutcome {
    diags.push(Diagnostic::error(
        Location::file(plan_file),
        format!(
            "the planning model does not take this plan: {}",
            why.join("; ")
        ),
    ));
    FolderOutcome::Invalid(diags)
}

/// A planning series as the core's: empty is `default`, one value is static, more vary.
fn core_series(values: &[f64], default: f64) -> Series {
    match values {
        [] => Series::Static(default),
        [value] => Series::Static(*value),
        _ => Series::Varying(values.to_vec()),
    }
}

/// The core network of a planning system that has only what a network with investment
/// periods takes from the planning file's own periods (`vintages.rs`): sequential snapshots, or
/// blocks that each wrap around (`Network::representative`, each block standing for itself), no
/// lines, extendable or committable links, commitment or ramp attributes, or network CO2
/// limits; `None` otherwise. Each generator gets a carrier of its own name whose
/// `co2_emissions` is the generator's emissions per MWh (at efficiency 1), so the core counts
/// the same CO2.
pub(crate) fn network_from_system(sys: &System) -> Option<Network> {
    let plain_generators = sys.generators.iter().all(|g| {
        g.varying == VaryingOperation::default()
            && g.p_init.is_none()
            && g.big_m.is_none()
            && g.history_units.is_none()
            && g.ramp_unit_mw.is_none()
    });
    let plain_links = sys
        .links
        .iter()
        .all(|l| !l.is_line && l.expansion.is_none() && l.operation.is_none());
    if matches!(sys.chronology, Chronology::Linked { .. })
        || !sys.kvl_cycles.is_empty()
        || !sys.emission_limits.is_empty()
        || !plain_generators
        || !plain_links
        || sys.storage_units.iter().any(|s| s.module > 0.0)
    {
        return None;
    }
    let n_t = sys.hours();
    let mut network = Network {
        name: "planning system".to_owned(),
        snapshots: crate::network::Snapshots {
            names: (0..n_t).map(|t| t.to_string()).collect(),
            objective: sys.weights.clone(),
            stores: (0..n_t).map(|t| sys.store_weight(t)).collect(),
            generators: (0..n_t).map(|t| sys.generator_weight(t)).collect(),
            periods: Vec::new(),
        },
        ..Network::default()
    };
    for bus in &sys.buses {
        network.add_bus(bus);
    }
    for load in &sys.loads {
        network.loads.push(crate::network::Load {
            name: load.name.clone(),
            bus: load.bus,
            p_set: core_series(&load.p_set, 0.0),
            sign: -1.0,
        });
    }
    for g in &sys.generators {
        network.carriers.push(crate::network::Carrier {
            name: g.name.clone(),
            co2_emissions: g.co2_t_per_mwh,
        });
        network.generators.push(crate::network::Generator {
            capacity: crate::network::Capacity {
                nominal: g.p_nom,
                extendable: g.extendable,
                min: g.p_nom_min,
                max: g.p_nom_max,
                capital_cost: g.capital_cost,
                ..crate::network::Capacity::fixed(g.p_nom)
            },
            p_min_pu: core_series(&g.p_min_pu, 0.0),
            p_max_pu: core_series(&g.p_max_pu, 1.0),
            marginal_cost: core_series(&g.marginal_cost_t, g.marginal_cost),
            sign: g.sign,
            ..crate::network::Generator::new(&g.name, g.bus, &g.name)
        });
    }
    for s in &sys.storage_units {
        network.storage_units.push(crate::network::StorageUnit {
            capacity: crate::network::Capacity {
                nominal: s.p_nom,
                extendable: s.extendable,
                min: s.p_nom_min,
                max: s.p_nom_max,
                capital_cost: s.capital_cost,
                ..crate::network::Capacity::fixed(s.p_nom)
            },
            p_min_pu: core_series(&s.p_min_pu_t, s.p_min_pu),
            p_max_pu: core_series(&s.p_max_pu_t, s.p_max_pu),
            marginal_cost: core_series(&s.marginal_cost_t, s.marginal_cost),
            max_hours: s.max_hours,
            efficiency_store: s.efficiency_store,
            efficiency_dispatch: s.efficiency_dispatch,
            standing_loss: s.standing_loss,
            cyclic_state_of_charge: s.cyclic_state_of_charge,
            state_of_charge_initial: s.state_of_charge_initial,
            inflow: core_series(&s.inflow, 0.0),
            sign: s.sign,
            ..crate::network::StorageUnit::new(&s.name, s.bus, "storage")
        });
    }
    // Blocks that each wrap around (representative periods without linking): the core's
    // representative blocks, each standing for itself, no storage linked across them.
    if sys.chronology == Chronology::Wrap && sys.block_hours > 0 && n_t > 0 {
        let block = sys.block_hours;
        network.representative = Some(crate::network::Representative {
            block_snapshots: block,
            sequence: (0..n_t.div_ceil(block)).collect(),
            last_snapshots: n_t - (n_t.div_ceil(block) - 1) * block,
            linked: vec![false; sys.storage_units.len()],
        });
    }
    for l in &sys.links {
        network.links.push(crate::network::Link {
            capacity: crate::network::Capacity::fixed(l.p_nom),
            efficiency: l.efficiency,
            p_min_pu: core_series(&l.p_min_pu, if l.bidirectional { -1.0 } else { 0.0 }),
            p_max_pu: core_series(&l.p_max_pu, 1.0),
            marginal_cost: core_series(&l.marginal_cost_t, l.marginal_cost),
            ..crate::network::Link::new(&l.name, l.bus0, l.bus1)
        });
    }
    Some(network)
}
