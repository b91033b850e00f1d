//! The planning file's own investment periods (`[investment]`) on the core's snapshot axis
//! (`planning::plan`, `planning/vintages.rs`): its plan equals, within 1e-7 relative in the
//! objective and 1e-3 MW in every capacity, the recorded plan of the planning builder's
//! multi-period investment (a second assembly of the model, deleted on 7 December 2026;
//! `reference.rs`), whose hand-derived cases are in `planning/tests.rs`.

use std::collections::BTreeMap;
use std::path::Path;

use super::reference::{self, Recorded};

use atomplan_model::planning::{self, PlanResult, Status};
use atomplan_model::pypsa::read_folder;

/// A one-bus network of 48 snapshots that stand for a year (182.5 h each): a load with a daily
/// shape, wind with a varying `p_max_pu`, and generators given as `generators.csv` rows.
fn network(dir: &Path, generators: &str) {
    hourly(dir, 48, 182.5, generators);
}

/// [`network`]'s load and wind over `snapshots` snapshots of `weight` hours each; the load
/// steps up every other day and wind follows a seven-day pattern.
fn hourly(dir: &Path, snapshots_n: u32, weight: f64, generators: &str) {
    let write = |file: &str, text: String| std::fs::write(dir.join(file), text).unwrap();
    let mut snapshots = String::from("snapshot,objective,stores,generators\n");
    let mut load = String::from("snapshot,load\n");
    let mut wind = String::from("snapshot,wind\n");
    for t in 0..snapshots_n {
        let hour = f64::from(t % 24);
        let shape = 1.0 + 0.3 * ((hour - 6.0) * std::f64::consts::PI / 12.0).sin();
        let mw = 400.0 * shape + if (t / 24) % 2 == 1 { 60.0 } else { 0.0 };
        let pu = 0.1 + 0.8 * f64::from((t * 7 + (t / 24) * 3) % 11) / 10.0;
        snapshots.push_str(&format!("{t},{weight},{weight},{weight}\n"));
        load.push_str(&format!("{t},{mw:.3}\n"));
        wind.push_str(&format!("{t},{:.3}\n", pu.min(1.0)));
    }
    write("snapshots.csv", snapshots);
    write("loads-p_set.csv", load);
    write("generators-p_max_pu.csv", wind);
    write("buses.csv", "name\ngrid\n".to_owned());
    write("loads.csv", "name,bus\nload,grid\n".to_owned());
    write(
        "carriers.csv",
        "name,co2_emissions\ncoal,1.0\ngas,0.4\nwind,0\nnuclear,0\n".to_owned(),
    );
    write(
        "generators.csv",
        format!(
            "name,bus,carrier,p_nom,p_nom_extendable,p_nom_max,marginal_cost,capital_cost,efficiency\n{generators}"
        ),
    );
}

/// The plan on the core's axis (`planning::plan`, through the network a planning system
/// becomes), and the planning builder's recorded plan of the same folder and file
/// ([`reference::builder`]).
fn both(dir: &Path, plan: &str) -> (PlanResult, Recorded) {
    let imported = read_folder(dir).unwrap();
    let system = planning::system_from_network(&imported.network);
    let (file, diagnostics) = planning::load(plan, "plan.toml");
    let file = file.unwrap_or_else(|| panic!("{diagnostics:?}"));
    let core = planning::plan(&system, &file).unwrap();
    (core, reference::builder(dir, plan))
}

/// The core's plan equals the planning builder's recorded one: the objective within 1e-7
/// relative, every capacity and what was built within 1e-3 (MW or units), the units of every
/// unit-sized design, and every storage unit's capacity within 1e-3 MW (its dispatch can differ
/// between optimal plans).
fn assert_same(routed: &PlanResult, builder: &Recorded) {
    assert_eq!(routed.status, Status::Optimal, "{:?}", routed.diagnosis);
    let relative = (routed.objective - builder.objective).abs() / builder.objective.abs();
    assert!(
        relative < 1e-7,
        "objective {} on the core's axis vs {} from the planning builder",
        routed.objective,
        builder.objective
    );
    let routed_caps: BTreeMap<_, _> = routed
        .capacities
        .iter()
        .map(|c| ((c.generator.clone(), c.period), c))
        .collect();
    assert_eq!(
        routed_caps.keys().collect::<Vec<_>>(),
        builder.capacities.keys().collect::<Vec<_>>()
    );
    for (key, (mw, built, units)) in &builder.capacities {
        let c = routed_caps[key];
        assert!(
            (c.p_nom_opt_mw - mw).abs() < 1e-3 && (c.built - built).abs() < 1e-3,
            "{key:?}: {} MW, {} built vs {mw} MW, {built} built",
            c.p_nom_opt_mw,
            c.built
        );
        assert_eq!(
            c.units.map(|u| (u * 1e6).round()),
            units.map(|u| (u * 1e6).round()),
            "{key:?} units"
        );
    }
    let routed_storage: BTreeMap<_, _> = routed
        .storage
        .iter()
        .map(|s| ((s.storage_unit.clone(), s.period), s))
        .collect();
    assert_eq!(
        routed_storage.keys().collect::<Vec<_>>(),
        builder.storage.keys().collect::<Vec<_>>()
    );
    for (key, (mw, _)) in &builder.storage {
        let s = routed_storage[key];
        assert!(
            (s.p_nom_opt_mw - mw).abs() < 1e-3,
            "{key:?}: {} MW vs {mw} MW",
            s.p_nom_opt_mw
        );
    }
}

const GENERATORS: &str = "\
coal,grid,coal,300,False,inf,30,0,1.0
gas,grid,gas,200,False,inf,65,0,0.5
committed,grid,nuclear,150,False,inf,12,0,1.0
ccgt,grid,gas,0,True,500,50,90000,0.5
wind,grid,wind,0,True,inf,0,0,1.0
nuclear,grid,nuclear,0,True,inf,10,0,1.0
";

/// Three periods at 5 %, with retirement, a plant commissioned later, lead times, an earliest
/// year, build rates, lifetimes shorter than the horizon, load growth, a CO2 cap that binds,
/// a capacity limit from a year, a fuel limit and a reserve margin.
#[test]
fn investment_periods_on_the_core_axis_equal_the_planning_builder() {
    let dir = tempfile::tempdir().unwrap();
    network(dir.path(), GENERATORS);
    let plan = r#"
[investment]
decision_year = 2025
periods = [2030, 2035, 2045]
discount_rate = 0.05
end_year = 2055
load_scale = [1.0, 1.2, 1.4]
co2_cap_t = [inf, 1.2e6, 0.4e6]

[units.coal]
retire_year = 2040
existing_fixed_om_usd_per_kw_year = 40

[units.gas]
existing_fixed_om_usd_per_kw_year = 20
marginal_cost_by_period = [60, 70, 80]

[units.committed]
online_year = 2035

[units.wind]
overnight_cost_usd_per_kw = 1400
fixed_om_usd_per_kw_year = 30
lifetime_years = 15
lead_time_years = 2
max_build_mw_per_year = 40

[units.nuclear]
overnight_cost_usd_per_kw = 6000
fixed_om_usd_per_kw_year = 120
lifetime_years = 60
lead_time_years = 7
earliest_year = 2035
construction_interest_rate = 0.08

[units.ccgt]
lifetime_years = 30

[[capacity_limits]]
name = "ccgt-cap"
generators = ["ccgt"]
from_year = 2035
max_mw = 300

[[energy_limits]]
name = "gas-supply"
use_per_mwh = { gas = 2.0, ccgt = 2.0 }
max_per_year = [inf, 4.0e6, 3.0e6]

[[areas]]
name = "grid"
buses = ["grid"]
reserve_margin = 0.1
"#;
    let (routed, builder) = both(dir.path(), plan);
    assert_same(&routed, &builder);
    // The families bind, so the comparison exercises them: nuclear is built (its lead time
    // keeps it out of 2030), coal is gone in 2045, the committed plant is absent in 2030.
    let caps = routed.by_period();
    let at = |g: &str, y: i32| caps[&(g.to_owned(), Some(y))];
    assert_eq!(at("nuclear", 2030), 0.0);
    assert!(at("nuclear", 2045) > 1.0, "{caps:?}");
    assert_eq!(at("coal", 2045), 0.0);
    assert_eq!(at("committed", 2030), 0.0);
    assert_eq!(at("committed", 2035), 150.0);
    assert!(at("ccgt", 2045) <= 300.0 + 1e-6);
    // The CO2 cap binds in 2035 and 2045.
    for (year, cap) in [(2035, 1.2e6), (2045, 0.4e6)] {
        let emitted: f64 = routed
            .capacities
            .iter()
            .filter(|c| c.period == Some(year))
            .map(|c| c.co2_t)
            .sum();
        assert!((emitted - cap).abs() < 1.0, "{year}: {emitted} t");
    }
}

/// At a zero discount rate each period weighs its years; without the CO2 cap and limits, and
/// with wind's build rate binding in the first period.
#[test]
fn undiscounted_periods_and_build_rates_equal_the_planning_builder() {
    let dir = tempfile::tempdir().unwrap();
    network(dir.path(), GENERATORS);
    let plan = r#"
[investment]
decision_year = 2028
periods = [2030, 2040]
discount_rate = 0.0

[units.wind]
overnight_cost_usd_per_kw = 1200
lifetime_years = 25
max_build_mw_per_year = 50

[units.nuclear]
overnight_cost_usd_per_kw = 5000
lifetime_years = 60
lead_time_years = 6
"#;
    let (routed, builder) = both(dir.path(), plan);
    assert_same(&routed, &builder);
    let caps = routed.by_period();
    assert!((caps[&("wind".to_owned(), Some(2030))] - 100.0).abs() < 1e-6);
}

/// The generators of [`unit_sizes_and_the_n1_reserve_over_periods_equal_the_planning_builder`]
/// (and of [`pypsa_modules_over_periods_are_units`]).
const UNIT_SIZES_GENERATORS: &str = "\
old,grid,coal,600,False,inf,25,0,1.0
gas,grid,gas,0,True,inf,120,60000,0.5
large,grid,nuclear,0,True,inf,9,0,1.0
smr,grid,nuclear,0,True,inf,11,0,1.0
wind,grid,wind,0,True,500,0,0,1.0
";

/// Its planning file: three periods, unit sizes, an existing fleet retiring, N-1.
const UNIT_SIZES_PLAN: &str = r#"
[solver]
mip_rel_gap = 0.0

[investment]
decision_year = 2025
periods = [2030, 2040, 2050]
discount_rate = 0.04
end_year = 2060
load_scale = [1.0, 1.5, 2.0]

[units.old]
unit_size_mw = 300
existing_units = 2
retire_year = 2040
existing_fixed_om_usd_per_kw_year = 50

[units.large]
unit_size_mw = 1200
overnight_cost_usd_per_kw = 5500
fixed_om_usd_per_kw_year = 110
lifetime_years = 60
lead_time_years = 8
max_units = 1

[units.smr]
unit_size_mw = 60
overnight_cost_usd_per_kw = 1500
fixed_om_usd_per_kw_year = 140
lifetime_years = 60
lead_time_years = 4
max_units_per_period = 8
reserve_ramp = 0.2

[units.wind]
overnight_cost_usd_per_kw = 1500
lifetime_years = 25
capacity_credit = 0.1
reserve_ramp = 0.0

[units.gas]
lifetime_years = 30
reserve_ramp = 0.5

[[areas]]
name = "grid"
buses = ["grid"]
n1_reserve = true
reserve_margin = 0.15
"#;

/// Unit-sized designs over periods: a 1,200 MW unit and 60 MW modules against gas, with an
/// existing fleet of two 300 MW units retiring in 2040, the N-1 reserve tied to the largest
/// unit online, `max_units`, `max_units_per_period` and a reserve margin. The N-1 row of a
/// design leaves out the reserve of all its vintages, as the planning builder's does of the
/// one generator.
#[test]
fn unit_sizes_and_the_n1_reserve_over_periods_equal_the_planning_builder() {
    let dir = tempfile::tempdir().unwrap();
    network(dir.path(), UNIT_SIZES_GENERATORS);
    let plan = UNIT_SIZES_PLAN;

    let (routed, builder) = both(dir.path(), plan);
    assert_same(&routed, &builder);
    // Units are whole and within their limits; the existing units are gone from 2040.
    let units = |g: &str, y: i32| {
        routed
            .capacities
            .iter()
            .find(|c| c.generator == g && c.period == Some(y))
            .and_then(|c| c.units)
            .unwrap()
    };
    assert_eq!(units("old", 2030), 2.0);
    assert_eq!(units("old", 2040), 0.0);
    for y in [2030, 2040, 2050] {
        assert!(units("large", y) <= 1.0);
        assert_eq!(units("smr", y).fract(), 0.0);
    }
    assert!(units("smr", 2050) > 0.0, "{:?}", routed.by_period());
}

/// PyPSA's own modules over the planning file's periods: `large` and `smr` of
/// [`unit_sizes_and_the_n1_reserve_over_periods_equal_the_planning_builder`] given as
/// `p_nom_mod` (1,200 and 60 MW) in the network, not as the file's `unit_size_mw`, plan the same
/// (the modules are units, `vintages::with_network_units`), to 1e-9 in the objective and in
/// every capacity and unit, and as the planning builder (deleted on 7 December 2026) planned the
/// file's unit sizes.
#[test]
fn pypsa_modules_over_periods_are_units() {
    let generators = UNIT_SIZES_GENERATORS;
    let sized = tempfile::tempdir().unwrap();
    network(sized.path(), generators);
    let modular = tempfile::tempdir().unwrap();
    network(modular.path(), generators);
    let csv = std::fs::read_to_string(modular.path().join("generators.csv")).unwrap();
    let mut lines = csv.lines();
    let mut with_modules = format!("{},p_nom_mod\n", lines.next().unwrap());
    for line in lines {
        let module = match line.split(',').next().unwrap() {
            "large" => 1200,
            "smr" => 60,
            _ => 0,
        };
        with_modules.push_str(&format!("{line},{module}\n"));
    }
    std::fs::write(modular.path().join("generators.csv"), with_modules).unwrap();
    let plan = UNIT_SIZES_PLAN;

    // The same plan without `max_units` and `max_units_per_period`: the planning builder's
    // answer with the file's unit sizes was 3,359,627,102.66419 USD (release build of ea8e74d;
    // on the `p_nom_mod` folder it ignored the modules and planned 797.846 MW of SMR in 2050).
    let unlimited = plan
        .replace("max_units = 1\n", "")
        .replace("max_units_per_period = 8\n", "");
    for (plan, builder) in [
        (plan, None),
        (unlimited.as_str(), Some(3_359_627_102.664_19)),
    ] {
        let modules_plan = plan
            .replace("[units.large]\nunit_size_mw = 1200\n", "[units.large]\n")
            .replace("[units.smr]\nunit_size_mw = 60\n", "[units.smr]\n");
        assert_ne!(modules_plan, plan);
        let by_file = solve_folder(sized.path(), plan);
        let by_modules = solve_folder(modular.path(), &modules_plan);
        assert_eq!(
            by_modules.status,
            Status::Optimal,
            "{:?}",
            by_modules.diagnosis
        );
        assert!(
            (by_modules.objective - by_file.objective).abs() <= 1e-9 * by_file.objective,
            "{} vs {}",
            by_modules.objective,
            by_file.objective
        );
        for (a, b) in by_modules.capacities.iter().zip(&by_file.capacities) {
            assert_eq!((&a.generator, a.period), (&b.generator, b.period));
            assert!(
                (a.p_nom_opt_mw - b.p_nom_opt_mw).abs() < 1e-6,
                "{a:?} vs {b:?}"
            );
            assert_eq!(a.units, b.units, "{a:?} vs {b:?}");
        }
        if let Some(builder) = builder {
            assert!(
                (by_modules.objective - builder).abs() <= 1e-9 * builder,
                "{} vs the planning builder's {builder}",
                by_modules.objective
            );
        }
        // Modules are built, in whole units.
        let smr = by_modules
            .capacities
            .iter()
            .filter(|c| c.generator == "smr");
        assert!(smr.clone().any(|c| c.p_nom_opt_mw > 0.0));
        for c in smr {
            assert!(
                (c.p_nom_opt_mw / 60.0 - (c.p_nom_opt_mw / 60.0).round()).abs() < 1e-9,
                "{c:?}"
            );
        }
    }
}

/// A retirable fleet retired in steps (its fixed O&M saved once wind and a battery take over),
/// a retirable and extendable CCGT under `p_nom_max`, and an existing and extendable battery with
/// a lifetime shorter than the horizon, cycling in every period.
#[test]
fn retirement_and_storage_over_periods_equal_the_planning_builder() {
    let dir = tempfile::tempdir().unwrap();
    network(
        dir.path(),
        "\
coal,grid,coal,700,False,inf,45,0,1.0
peaker,grid,gas,300,False,inf,150,0,0.4
wind,grid,wind,0,True,2500,0,0,1.0
ccgt,grid,gas,200,True,350,70,60000,0.5
",
    );
    std::fs::write(
        dir.path().join("storage_units.csv"),
        "name,bus,p_nom,p_nom_extendable,p_nom_max,capital_cost,max_hours,efficiency_store,efficiency_dispatch,cyclic_state_of_charge\n\
         battery,grid,50,True,800,9000,4,0.95,0.95,True\n",
    )
    .unwrap();
    let plan = r#"
[investment]
decision_year = 2025
periods = [2030, 2035, 2040, 2045]
discount_rate = 0.03
end_year = 2050
co2_cap_t = [inf, 1.5e6, 0.8e6, 0.3e6]

[units.coal]
retirable = true
existing_fixed_om_usd_per_kw_year = 60

[units.peaker]
existing_fixed_om_usd_per_kw_year = 15

[units.ccgt]
retirable = true
existing_fixed_om_usd_per_kw_year = 90
lifetime_years = 30

[units.wind]
overnight_cost_usd_per_kw = 1300
lifetime_years = 20
max_build_mw_per_year = 150

[storage.battery]
lifetime_years = 10
capacity_credit = 0.8

[[areas]]
name = "grid"
buses = ["grid"]
reserve_margin = 0.05
"#;
    let (routed, builder) = both(dir.path(), plan);
    assert_same(&routed, &builder);
    // Coal is retired in steps and never comes back.
    let caps = routed.by_period();
    let coal: Vec<f64> = [2030, 2035, 2040, 2045]
        .iter()
        .map(|&y| caps[&("coal".to_owned(), Some(y))])
        .collect();
    assert!(coal.windows(2).all(|w| w[1] <= w[0] + 1e-6), "{coal:?}");
    assert!(coal[3] < coal[0] - 1.0, "{coal:?}");
    // The retirable CCGT fleet (200 MW) is retired and more than p_nom_max less the fleet
    // (350 - 200 MW) is built in its place: the fleet kept, not the fleet there at the start,
    // counts against p_nom_max (it did not in the planning builder before this test).
    let ccgt_2045 = caps[&("ccgt".to_owned(), Some(2045))];
    assert!(
        ccgt_2045 > 150.0 + 1.0 && ccgt_2045 <= 350.0 + 1e-6,
        "{ccgt_2045}"
    );
    // The battery is built late and its p_nom_max holds.
    let battery: Vec<f64> = routed.storage.iter().map(|s| s.p_nom_opt_mw).collect();
    assert!(battery[3] > battery[0] + 1.0, "{battery:?}");
    assert!(battery.iter().all(|&mw| mw <= 800.0 + 1e-6), "{battery:?}");
}

/// Representative days (four of fourteen, k-medoids) with a battery linked across the year's
/// sequence of days and pumped storage cycling within each day, over two periods: the core's
/// linked state of charge (`build/linked_storage.rs`) equals the planning builder's.
#[test]
fn representative_days_and_linked_storage_equal_the_planning_builder() {
    let dir = tempfile::tempdir().unwrap();
    hourly(
        dir.path(),
        14 * 24 + 12,
        1.0,
        "\
coal,grid,coal,450,False,inf,40,0,1.0
peaker,grid,gas,0,True,inf,130,50000,0.4
wind,grid,wind,0,True,1500,0,0,1.0
",
    );
    std::fs::write(
        dir.path().join("storage_units.csv"),
        "name,bus,p_nom,p_nom_extendable,p_nom_max,capital_cost,max_hours,efficiency_store,efficiency_dispatch,cyclic_state_of_charge,standing_loss\n\
         battery,grid,0,True,400,12000,6,0.95,0.95,True,0.001\n\
         pumped,grid,100,False,inf,0,8,0.9,0.9,False,0\n",
    )
    .unwrap();
    let plan = r#"
[aggregation]
representatives = 4
seed = 3

[storage.pumped]
linking = "cyclic"

[investment]
decision_year = 2025
periods = [2030, 2040]
discount_rate = 0.05
end_year = 2050
load_scale = [1.0, 1.3]
co2_cap_t = [inf, 0.9e5]

[units.coal]
retirable = true
existing_fixed_om_usd_per_kw_year = 50

[units.wind]
overnight_cost_usd_per_kw = 1300
lifetime_years = 25
"#;
    let (routed, builder) = both(dir.path(), plan);
    assert_same(&routed, &builder);
    assert_eq!(routed.aggregation.as_ref().unwrap().representatives, 4);
    for s in &routed.storage {
        let (_, dispatch) = builder.storage[&(s.storage_unit.clone(), s.period)];
        assert!(
            (s.dispatch_mwh - dispatch).abs() < 1.0,
            "{} {:?}: {} vs {dispatch} MWh",
            s.storage_unit,
            s.period,
            s.dispatch_mwh
        );
    }
    // Linking matters here: with the battery cycling within each day too (a special case of
    // linking, so never cheaper) both models agree on a dearer plan.
    let cyclic = plan.replace(
        "[storage.pumped]",
        "[storage.battery]\nlinking = \"cyclic\"\n\n[storage.pumped]",
    );
    let (routed_cyclic, builder_cyclic) = both(dir.path(), &cyclic);
    assert_same(&routed_cyclic, &builder_cyclic);
    assert!(
        routed_cyclic.objective > routed.objective * (1.0 + 1e-6),
        "cyclic {} vs linked {}",
        routed_cyclic.objective,
        routed.objective
    );
}

/// Hydro with a reservoir fed by inflow (spilling what it cannot store, no pumping) and a battery that does
/// not cycle, starting each period from its initial state, over two periods: on fourteen and a
/// half sequential days, and on four representative days with the reservoir linked across the
/// year. Inflow and the initial state change the plan's cost.
#[test]
fn storage_inflow_and_initial_state_over_periods_equal_the_planning_builder() {
    let dir = tempfile::tempdir().unwrap();
    let hours = 14 * 24 + 12;
    hourly(
        dir.path(),
        hours,
        1.0,
        "\
coal,grid,coal,450,False,inf,40,0,1.0
peaker,grid,gas,0,True,inf,130,50000,0.4
wind,grid,wind,0,True,1500,0,0,1.0
",
    );
    let storage = |initial: f64| {
        format!(
            "name,bus,p_nom,p_nom_extendable,p_nom_max,capital_cost,max_hours,efficiency_store,efficiency_dispatch,cyclic_state_of_charge,state_of_charge_initial,standing_loss,p_min_pu\n\
             battery,grid,50,True,300,12000,4,0.95,0.95,False,{initial},0,-1\n\
             hydro,grid,120,False,inf,0,48,1,0.9,True,0,0,0\n"
        )
    };
    std::fs::write(dir.path().join("storage_units.csv"), storage(200.0)).unwrap();
    let mut inflow = String::from("snapshot,hydro\n");
    for t in 0..hours {
        let mw = 40.0 + 30.0 * f64::from((t / 24) % 5) / 4.0;
        inflow.push_str(&format!("{t},{mw}\n"));
    }
    std::fs::write(dir.path().join("storage_units-inflow.csv"), inflow).unwrap();
    let plan = r#"
[investment]
decision_year = 2025
periods = [2030, 2040]
discount_rate = 0.05
end_year = 2050
load_scale = [1.0, 1.3]
co2_cap_t = [inf, 1.0e5]

[units.wind]
overnight_cost_usd_per_kw = 1300
lifetime_years = 25
"#;
    let (routed, builder) = both(dir.path(), plan);
    assert_same(&routed, &builder);
    let representative =
        format!("{plan}\n[aggregation]\nrepresentatives = 4\nseed = 3\n\n[storage.hydro]\nlinking = \"linked\"\n");
    let (routed_rep, builder_rep) = both(dir.path(), &representative);
    assert_same(&routed_rep, &builder_rep);
    // Without inflow the reservoir is only a store, and without an initial state the battery
    // starts empty: both plans cost more.
    std::fs::remove_file(dir.path().join("storage_units-inflow.csv")).unwrap();
    let (dry, dry_builder) = both(dir.path(), plan);
    assert_same(&dry, &dry_builder);
    assert!(dry.objective > routed.objective * (1.0 + 1e-6));
    std::fs::write(dir.path().join("storage_units.csv"), storage(0.0)).unwrap();
    let (empty, empty_builder) = both(dir.path(), plan);
    assert_same(&empty, &empty_builder);
    assert!(empty.objective > dry.objective * (1.0 + 1e-9));
}

/// The operation of units that are not committable, over periods: must-run 250 MW units with
/// staggered refuelling (the lowest-load days), SMR modules at a minimum stable load of
/// half their available output with 20 %/h ramps and a season the optimiser chooses, an
/// existing coal fleet with a slower ramp down than up, and the N-1 reserve (which a must-run
/// unit holds none of), on seven sequential days of 52 days each and on four representative
/// days of them (where ramps wrap inside each day, and the days weigh what the days they stand
/// for weigh), and with simultaneous outages.
#[test]
fn must_run_stable_load_ramps_and_refuelling_over_periods_equal_the_planning_builder() {
    let dir = tempfile::tempdir().unwrap();
    hourly(
        dir.path(),
        7 * 24,
        8760.0 / (7.0 * 24.0),
        "\
coal,grid,coal,400,False,inf,40,0,1.0
gas,grid,gas,0,True,inf,120,60000,0.5
large,grid,nuclear,0,True,inf,9,0,1.0
smr,grid,nuclear,0,True,inf,11,0,1.0
wind,grid,wind,0,True,400,0,0,1.0
",
    );
    let units = r#"
[solver]
mip_rel_gap = 0.0

[investment]
decision_year = 2025
periods = [2030, 2040]
discount_rate = 0.05
end_year = 2050
load_scale = [1.0, 1.6]

[[areas]]
name = "grid"
buses = ["grid"]
n1_reserve = true

[units.coal]
unit_size_mw = 200
existing_units = 2
ramp_rate = 0.3
ramp_rate_down = 0.15

[units.large]
unit_size_mw = 250
overnight_cost_usd_per_kw = 3000
fixed_om_usd_per_kw_year = 100
lifetime_years = 60
lead_time_years = 5
max_units = 2
operation = "must_run"
refuelling = { cycle_months = 18, outage_days = 30 }

[units.smr]
unit_size_mw = 60
overnight_cost_usd_per_kw = 1500
fixed_om_usd_per_kw_year = 120
lifetime_years = 60
lead_time_years = 5
max_units = 4
min_stable_load = 0.5
ramp_rate = 0.2
refuelling = { cycle_months = 24, outage_days = 20, optimise = true }

[units.wind]
overnight_cost_usd_per_kw = 1500
fixed_om_usd_per_kw_year = 35
lifetime_years = 25
"#;
    let flexible = units
        .replace("operation = \"must_run\"\n", "")
        .replace("min_stable_load = 0.5\n", "")
        .replace("ramp_rate = 0.2\n", "")
        .replace("ramp_rate = 0.3\nramp_rate_down = 0.15\n", "");
    let representative = format!("{units}\n[aggregation]\nrepresentatives = 4\nseed = 1\n");
    let simultaneous = units.replace(
        "outage_days = 30 }",
        "outage_days = 30, schedule = \"simultaneous\" }",
    );
    let mut objectives = Vec::new();
    for plan in [
        units,
        flexible.as_str(),
        representative.as_str(),
        simultaneous.as_str(),
    ] {
        let (core, builder) = both(dir.path(), plan);
        assert_same(&core, &builder);
        objectives.push(core.objective);
    }
    // The operation costs more than flexible units; the plan has one must-run unit in 2040 and
    // the four SMR modules, so every family is in the model that decides it.
    assert!(
        objectives[0] > objectives[1] * (1.0 + 1e-6),
        "{objectives:?}"
    );
    let (core, _) = both(dir.path(), units);
    let built = core.by_period();
    assert!((built[&("large".to_owned(), Some(2040))] - 250.0).abs() < 1e-6);
    assert!((built[&("smr".to_owned(), Some(2030))] - 240.0).abs() < 1e-6);
}

/// Learning from first-of-a-kind to n-th-of-a-kind over three periods: one vendor's two designs
/// (300 MW units and 60 MW modules) share its steps (two units at 9,000 USD/kW, three more at
/// 7,000, the rest at 5,500), a step opens only when the one before is full, and a period's
/// builds of a design within `max_units_per_period`; a second vendor has one step. The plan
/// builds twelve units of the first vendor (eight modules in 2040, two modules and two 300 MW
/// units in 2050), so every step is in the model that decides it.
#[test]
fn learning_over_periods_equals_the_planning_builder() {
    let dir = tempfile::tempdir().unwrap();
    network(
        dir.path(),
        "\
coal,grid,coal,500,False,inf,30,0,1.0
gas,grid,gas,0,True,inf,90,70000,0.5
large,grid,nuclear,0,True,inf,9,0,1.0
smr,grid,nuclear,0,True,inf,10,0,1.0
other,grid,nuclear,0,True,inf,9,0,1.0
wind,grid,wind,0,True,300,0,0,1.0
",
    );
    let plan = r#"
[solver]
mip_rel_gap = 0.0

[investment]
decision_year = 2025
periods = [2030, 2040, 2050]
discount_rate = 0.03
end_year = 2060
load_scale = [1.0, 1.8, 2.6]
co2_cap_t = [inf, 1.5e6, 0.5e6]

[units.coal]
retire_year = 2045

[units.large]
unit_size_mw = 300
lifetime_years = 60
lead_time_years = 5
max_units_per_period = 2
vendor = "first"

[units.smr]
unit_size_mw = 60
lifetime_years = 60
lead_time_years = 5
vendor = "first"

[units.wind]
overnight_cost_usd_per_kw = 1500
lifetime_years = 25

[units.other]
unit_size_mw = 300
lifetime_years = 60
lead_time_years = 5
vendor = "second"

[vendors.first]
learning = [
  { units = 2, overnight_cost_usd_per_kw = 9000 },
  { units = 3, overnight_cost_usd_per_kw = 7000 },
  { overnight_cost_usd_per_kw = 5500 },
]

[vendors.second]
learning = [{ overnight_cost_usd_per_kw = 8000 }]
"#;
    let (core, builder) = both(dir.path(), plan);
    assert_same(&core, &builder);
    let nuclear: f64 = core
        .capacities
        .iter()
        .filter(|c| ["large", "smr", "other"].contains(&c.generator.as_str()))
        .map(|c| c.built)
        .sum();
    assert!(nuclear >= 6.0, "{:?}", core.capacities);
}

/// A plan over the planning file's periods of a network folder (`planning::solve_folder`).
fn solve_folder(dir: &Path, plan: &str) -> PlanResult {
    match planning::solve_folder(dir, plan, "plan.toml") {
        planning::FolderOutcome::Solved { result, .. } => *result,
        planning::FolderOutcome::Invalid(diagnostics) => panic!("{diagnostics:?}"),
    }
}

/// Three buses meshed by fixed lines under Kirchhoff's voltage law, over two periods with load
/// growth, a CO2 cap that binds in 2040 and wind built at one bus: a network folder's plan runs on the core's axis
/// with its lines (the planning system the builder takes has no lines on that axis), and equals
/// the planning builder's plan of the same folder. The lines bind: with twice their rating the
/// plan is cheaper.
#[test]
fn fixed_lines_over_periods_equal_the_planning_builder() {
    let dir = tempfile::tempdir().unwrap();
    let write = |file: &str, text: &str| std::fs::write(dir.path().join(file), text).unwrap();
    let mut snapshots = String::from("snapshot,objective,stores,generators\n");
    let mut loads = String::from("snapshot,north,south,east\n");
    let mut wind = String::from("snapshot,wind\n");
    for t in 0..24 {
        let shape = 1.0 + 0.3 * ((f64::from(t) - 6.0) * std::f64::consts::PI / 12.0).sin();
        snapshots.push_str(&format!("{t},365,365,365\n"));
        loads.push_str(&format!(
            "{t},{:.3},{:.3},{:.3}\n",
            200.0 * shape,
            300.0 * shape,
            150.0
        ));
        wind.push_str(&format!(
            "{t},{:.3}\n",
            0.2 + 0.6 * f64::from((t * 5) % 7) / 6.0
        ));
    }
    write("snapshots.csv", &snapshots);
    write("loads-p_set.csv", &loads);
    write("generators-p_max_pu.csv", &wind);
    write("buses.csv", "name\nnorth\nsouth\neast\n");
    write(
        "loads.csv",
        "name,bus\nnorth,north\nsouth,south\neast,east\n",
    );
    write(
        "carriers.csv",
        "name,co2_emissions\ncoal,1.0\ngas,0.4\nwind,0\n",
    );
    write(
        "generators.csv",
        "name,bus,carrier,p_nom,p_nom_extendable,p_nom_max,marginal_cost,capital_cost,efficiency\n\
         coal,north,coal,700,False,inf,30,0,1.0\n\
         gas,south,gas,0,True,inf,70,60000,0.5\n\
         wind,east,wind,0,True,900,0,0,1.0\n",
    );
    let lines = |rating: f64| {
        format!(
            "name,bus0,bus1,x,r,s_nom\nnorth-south,north,south,0.1,0.01,{rating}\nsouth-east,south,east,0.1,0.01,{rating}\nnorth-east,north,east,0.2,0.01,{rating}\n"
        )
    };
    write("lines.csv", &lines(150.0));
    let plan = r#"
[investment]
decision_year = 2025
periods = [2030, 2040]
discount_rate = 0.05
end_year = 2050
load_scale = [1.0, 1.4]
co2_cap_t = [inf, 5.0e6]

[units.wind]
overnight_cost_usd_per_kw = 1400
lifetime_years = 25
"#;
    let core = solve_folder(dir.path(), plan);
    let network = read_folder(dir.path()).unwrap().network;
    let system = planning::system_from_network(&network);
    let (file, diagnostics) = planning::load(plan, "plan.toml");
    let file = file.unwrap_or_else(|| panic!("{diagnostics:?}"));
    assert!(!planning::unsupported(&system, &file).is_empty());
    assert_same(&core, &reference::builder(dir.path(), plan));
    write("lines.csv", &lines(300.0));
    let wider = solve_folder(dir.path(), plan);
    assert!(
        wider.objective < core.objective * (1.0 - 1e-6),
        "{} vs {}",
        wider.objective,
        core.objective
    );
}

/// An extendable link over the planning file's periods is one capacity over the horizon, costed
/// in every period it is active, as in PyPSA's multi-investment optimisation. One snapshot of
/// 8,760 h: 100 MW of load at `b` in 2030 and 200 MW in 2040, a 10 USD/MWh plant at `a` and a
/// 100 USD/MWh one at `b`, and a link at 400,000 USD/MW-year. Each MW of link saves
/// 8,760 × 90 = 788,400 USD a year in the periods it carries load: the first 100 MW in both
/// periods (built), the next 100 MW in 2040 only, worth W_2 × 788,400 < (W_1 + W_2) × 400,000
/// (not built). So the link is 100 MW and the objective
/// (W_1 + W_2) 400,000 · 100 + W_1 · 8,760 · 1,000 + W_2 · 8,760 · (1,000 + 10,000), with W_y the
/// period's discount factors at 5 % from 2025.
#[test]
fn an_extendable_link_over_periods_follows_the_hand_derived_case() {
    let dir = tempfile::tempdir().unwrap();
    let write = |file: &str, text: &str| std::fs::write(dir.path().join(file), text).unwrap();
    write(
        "snapshots.csv",
        "snapshot,objective,stores,generators\n0,8760,8760,8760\n",
    );
    write("buses.csv", "name\na\nb\n");
    write("loads.csv", "name,bus,p_set\nload,b,100\n");
    write("carriers.csv", "name,co2_emissions\ncheap,0\ndear,0\n");
    write(
        "generators.csv",
        "name,bus,carrier,p_nom,p_nom_extendable,p_nom_max,marginal_cost,capital_cost,efficiency\n\
         cheap,a,cheap,1000,False,inf,10,0,1.0\n\
         dear,b,dear,1000,False,inf,100,0,1.0\n",
    );
    write(
        "links.csv",
        "name,bus0,bus1,p_nom,p_nom_extendable,capital_cost,efficiency\nab,a,b,0,True,400000,1.0\n",
    );
    let plan = "[investment]\ndecision_year = 2025\nperiods = [2030, 2040]\ndiscount_rate = 0.05\nend_year = 2050\nload_scale = [1.0, 2.0]\n";
    let result = solve_folder(dir.path(), plan);
    assert_eq!(result.status, Status::Optimal);
    let weight =
        |from: i32, to: i32| -> f64 { (from..to).map(|y| 1.05_f64.powi(-(y - 2025))).sum() };
    let (w1, w2) = (weight(2030, 2040), weight(2040, 2050));
    assert!(w2 * 788_400.0 < (w1 + w2) * 400_000.0);
    let objective =
        (w1 + w2) * 400_000.0 * 100.0 + w1 * 8760.0 * 1000.0 + w2 * 8760.0 * (1000.0 + 10_000.0);
    assert!(
        (result.objective - objective).abs() < 1e-9 * objective,
        "{} vs {objective} by hand",
        result.objective
    );
    let link = result.branches.iter().find(|b| b.name == "ab").unwrap();
    assert!((link.p_nom_opt_mw - 100.0).abs() < 1e-6, "{link:?}");
}

/// Unit commitment over periods: an existing coal fleet of two 200 MW units and 60 MW SMR
/// modules, committable, with minimum stable loads, minimum up and down times, start-up,
/// shut-down and stand-by costs, ramps (with start-up and shut-down ramps) and staggered
/// refuelling, a must-run committable 250 MW design with simultaneous refuelling, and the N-1
/// reserve held within the units online; on three sequential days and on two representative
/// days (where switches wrap inside each day and count as often as the day stands for). The
/// plan builds three SMR modules in 2030 and a fourth in 2040 (the must-run design is not
/// built), so the committed modules are in the model that decides it.
#[test]
fn commitment_over_periods_equals_the_planning_builder() {
    let dir = tempfile::tempdir().unwrap();
    hourly(
        dir.path(),
        3 * 24,
        8760.0 / (3.0 * 24.0),
        "\
coal,grid,coal,400,False,inf,40,0,1.0
gas,grid,gas,0,True,inf,120,60000,0.5
large,grid,nuclear,0,True,inf,9,0,1.0
smr,grid,nuclear,0,True,inf,11,0,1.0
wind,grid,wind,0,True,400,0,0,1.0
",
    );
    let plan = r#"
[solver]
mip_rel_gap = 0.0

[investment]
decision_year = 2025
periods = [2030, 2040]
discount_rate = 0.05
end_year = 2050
load_scale = [1.0, 1.6]

[[areas]]
name = "grid"
buses = ["grid"]
n1_reserve = true

[units.coal]
unit_size_mw = 200
existing_units = 2
committable = true
min_stable_load = 0.4
min_up_time = 4
min_down_time = 3
start_up_cost = 8000
shut_down_cost = 1000
ramp_rate = 0.3
ramp_rate_start_up = 0.5

[units.large]
unit_size_mw = 250
overnight_cost_usd_per_kw = 3000
fixed_om_usd_per_kw_year = 100
lifetime_years = 60
lead_time_years = 5
max_units = 2
committable = true
operation = "must_run"
refuelling = { cycle_months = 18, outage_days = 30, schedule = "simultaneous" }

[units.smr]
unit_size_mw = 60
overnight_cost_usd_per_kw = 1500
fixed_om_usd_per_kw_year = 120
lifetime_years = 60
lead_time_years = 5
max_units = 4
committable = true
min_stable_load = 0.5
start_up_cost = 2000
stand_by_cost = 15
ramp_rate = 0.2
refuelling = { cycle_months = 24, outage_days = 20 }

[units.wind]
overnight_cost_usd_per_kw = 1500
fixed_om_usd_per_kw_year = 35
lifetime_years = 25
"#;
    let (core, builder) = both(dir.path(), plan);
    assert_same(&core, &builder);
    let representative = format!("{plan}\n[aggregation]\nrepresentatives = 2\nseed = 1\n");
    let (core_rep, builder_rep) = both(dir.path(), &representative);
    assert_same(&core_rep, &builder_rep);
    let free = plan.replace("committable = true\n", "");
    let (core_free, builder_free) = both(dir.path(), &free);
    assert_same(&core_free, &builder_free);
    // Committed units may switch off: cheaper than minimum stable loads and must-run held at
    // every hour.
    assert!(
        core.objective < core_free.objective * (1.0 - 1e-6),
        "{} vs {}",
        core.objective,
        core_free.objective
    );
    let built = core.by_period();
    assert!(
        (built[&("smr".to_owned(), Some(2040))] - 240.0).abs() < 1e-6,
        "{built:?}"
    );
}

/// What the core's axis does not take yet is named, not ignored: commitment under big-M (no
/// unit size), over periods and in one period.
#[test]
fn what_the_core_axis_does_not_take_is_named() {
    let dir = tempfile::tempdir().unwrap();
    network(dir.path(), GENERATORS);
    let system = planning::system_from_network(&read_folder(dir.path()).unwrap().network);
    let refused = |plan: &str| {
        let (file, diagnostics) = planning::load(plan, "plan.toml");
        let file = file.unwrap_or_else(|| panic!("{diagnostics:?}"));
        planning::plan(&system, &file).unwrap_err().to_string()
    };
    let periods =
        "[investment]\ndecision_year = 2025\nperiods = [2030, 2040]\ndiscount_rate = 0.05\n";
    let commitment = refused(&format!("{periods}[units.gas]\ncommittable = true\n"));
    assert!(
        commitment.contains("`[units.gas]` committable without `unit_size_mw`"),
        "{commitment}"
    );
    let one_period = refused("[units.gas]\ncommittable = true\n");
    assert!(
        one_period.contains("committable without `unit_size_mw`"),
        "{one_period}"
    );
}

/// PyPSA's MILP attributes over the planning file's periods: a network's committable units (one
/// unit of `p_nom`, or modules), their minimum up and down times, status before the start,
/// start-up, shut-down and stand-by costs and `p_min_pu`, and its modules, are the file's units
/// (`vintages::with_network_units`). Two periods on the repository's PyPSA MILP folders, and
/// with N-1 (the committable coal unit made a contingency) and the file's own SMR and nuclear
/// sizes: each equals the planning builder's answer for the same folder and file, recorded
/// before its deletion (`atomplan solve --planning`, release build of ea8e74d), to 1e-9. An
/// initial output (`p_init`) is refused by name.
#[test]
fn pypsa_milp_units_over_periods_equal_the_planning_builder() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let periods = "[solver]\nmip_rel_gap = 0.0\n\n[investment]\ndecision_year = 2025\nperiods = [2030, 2040]\ndiscount_rate = 0.05\nend_year = 2050\nload_scale = [1.0, 1.2]\n";
    let n1 = format!(
        "{periods}\n[[areas]]\nname = \"grid\"\nbuses = [\"bus\"]\nn1_reserve = true\n\n\
         [units.SMR]\nunit_size_mw = 50\novernight_cost_usd_per_kw = 4000\nlifetime_years = 60\nlead_time_years = 4\n\n\
         [units.nuclear]\nunit_size_mw = 300\nmax_units = 1\n\n\
         [units.coal-existing]\ncontingency = true\n"
    );
    for (folder, plan, builder) in [
        ("planning/pypsa-committable", periods, 9_860_204.955_593),
        ("planning/pypsa-initial-up", periods, 73_919.032_789),
        ("planning/pypsa-initial-off", periods, 84_171.724_079),
        ("planning/pypsa-modular", periods, 9_206_777.185_162),
        ("milp/uc-updown", periods, 550_104.130_334),
        (
            "planning/pypsa-committable",
            n1.as_str(),
            10_617_304.691_225,
        ),
        ("planning/pypsa-modular", n1.as_str(), 9_853_513.111_656),
    ] {
        let result = solve_folder(&fixtures.join(folder), plan);
        assert_eq!(result.status, Status::Optimal, "{folder}");
        assert!(
            (result.objective - builder).abs() <= 1e-9 * builder,
            "{folder}: {} vs the planning builder's {builder}",
            result.objective
        );
    }
    let planning::FolderOutcome::Invalid(diagnostics) =
        planning::solve_folder(&fixtures.join("milp/uc-ramp"), periods, "plan.toml")
    else {
        panic!("took an initial output over periods")
    };
    assert!(
        diagnostics
            .iter()
            .any(|d| d.is_error() && d.message.contains("`hydro`")),
        "{diagnostics:?}"
    );
}
