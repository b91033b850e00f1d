//! Tiny hand-checkable networks, one per component and constraint family.
//! Each expected number is derived in the comment above its check.

use atomplan_model::diagnose::diagnose;
use atomplan_model::network::{
    Capacity, ConstraintSense, Generator, GlobalConstraint, Line, Link, Load, Network, Series,
    Snapshots, StorageUnit,
};
use atomplan_model::{solve_network, Results, SolveStatus, SolverSettings};

const TOLERANCE: f64 = 1e-6;

fn network(n_snapshots: usize, buses: &[&str]) -> Network {
    let mut network = Network {
        snapshots: Snapshots::hourly(n_snapshots),
        ..Network::default()
    };
    for bus in buses {
        network.add_bus(bus);
    }
    network
}

fn load(network: &mut Network, bus: usize, p_set: Vec<f64>) {
    network.loads.push(Load {
        name: format!("load{}", network.loads.len()),
        bus,
        p_set: Series::Varying(p_set),
        sign: -1.0,
    });
}

fn generator(name: &str, bus: usize, capacity: Capacity, marginal_cost: f64) -> Generator {
    let mut generator = Generator::new(name, bus, "");
    generator.capacity = capacity;
    generator.marginal_cost = Series::Static(marginal_cost);
    generator
}

fn solve(network: &Network) -> Results {
    let (_, _, results) = solve_network(network, &SolverSettings::default()).unwrap();
    assert_eq!(results.status, SolveStatus::Optimal);
    results
}

fn close(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= TOLERANCE * expected.abs().max(1.0),
        "{what}: {actual} != {expected}"
    );
}

#[test]
fn fixed_generator_meets_load_at_its_marginal_cost() {
    let mut n = network(2, &["bus"]);
    n.generators
        .push(generator("g", 0, Capacity::fixed(100.0), 10.0));
    load(&mut n, 0, vec![50.0, 70.0]);
    let results = solve(&n);
    // 10 · (50 + 70) = 1200; the price is the marginal cost.
    close(results.objective, 1200.0, "objective");
    close(results.generators[0].p[1], 70.0, "dispatch");
    close(results.marginal_price[0][0], 10.0, "price");
    close(
        results.generators[0].p_nom_opt,
        100.0,
        "fixed capacity is reported as p_nom",
    );
}

#[test]
fn extendable_generator_is_sized_to_the_peak_scaled_by_availability() {
    let mut n = network(2, &["bus"]);
    let mut wind = generator(
        "wind",
        0,
        Capacity::extendable(0.0, f64::INFINITY, 100.0),
        1.0,
    );
    wind.p_max_pu = Series::Varying(vec![1.0, 0.5]);
    n.generators.push(wind);
    load(&mut n, 0, vec![50.0, 50.0]);
    let results = solve(&n);
    // 50 MW at 0.5 availability needs 100 MW: 100 · 100 + 1 · (50 + 50) = 10,100.
    close(results.generators[0].p_nom_opt, 100.0, "p_nom_opt");
    close(results.objective, 10_100.0, "objective");
    // Curtailed: 100 − 50 = 50 MWh in the first hour.
    close(results.generators[0].curtailment_mwh, 50.0, "curtailment");
}

#[test]
fn extendable_generator_respects_min_and_max_capacity() {
    let mut n = network(1, &["bus"]);
    n.generators.push(generator(
        "cheap",
        0,
        Capacity::extendable(0.0, 30.0, 1.0),
        1.0,
    ));
    n.generators.push(generator(
        "brownfield",
        0,
        Capacity::extendable(40.0, f64::INFINITY, 5.0),
        2.0,
    ));
    load(&mut n, 0, vec![50.0]);
    let results = solve(&n);
    // cheap capped at 30; brownfield at least 40 (its whole p_nom_opt is paid): 30·2 + 40·5 + 20·2.
    close(results.generators[0].p_nom_opt, 30.0, "cheap");
    close(results.generators[1].p_nom_opt, 40.0, "brownfield");
    close(results.objective, 30.0 + 30.0 + 200.0 + 40.0, "objective");
}

#[test]
fn must_run_generator_is_held_above_p_min_pu() {
    let mut n = network(1, &["bus"]);
    let mut nuclear = generator("nuclear", 0, Capacity::fixed(100.0), 10.0);
    nuclear.p_min_pu = Series::Static(0.6);
    n.generators.push(nuclear);
    n.generators
        .push(generator("gas", 0, Capacity::fixed(100.0), 1.0));
    load(&mut n, 0, vec![80.0]);
    let results = solve(&n);
    // nuclear ≥ 60 although gas is cheaper: 60 · 10 + 20 · 1 = 620.
    close(results.generators[0].p[0], 60.0, "nuclear");
    close(results.objective, 620.0, "objective");
}

#[test]
fn cyclic_storage_shifts_cheap_energy_with_losses() {
    let mut n = network(2, &["bus"]);
    let mut cheap = generator("cheap", 0, Capacity::fixed(200.0), 1.0);
    cheap.p_max_pu = Series::Varying(vec![1.0, 0.0]);
    n.generators.push(cheap);
    n.generators
        .push(generator("dear", 0, Capacity::fixed(200.0), 100.0));
    let mut battery = StorageUnit::new("battery", 0, "battery");
    battery.capacity = Capacity::fixed(50.0);
    battery.efficiency_store = 0.9;
    battery.cyclic_state_of_charge = true;
    n.storage_units.push(battery);
    load(&mut n, 0, vec![50.0, 50.0]);
    let results = solve(&n);
    // Charge 50 MW (the power limit) → 45 MWh stored (≤ 50 MWh) → 45 MW out in hour 2,
    // dear covers 5 MW: 100 · 1 + 5 · 100 = 600.
    let battery = &results.storage_units[0];
    close(battery.p_store[0], 50.0, "charge");
    close(battery.p_dispatch[1], 45.0, "discharge");
    close(battery.state_of_charge[0], 45.0, "soc after charging");
    close(battery.state_of_charge[1], 0.0, "soc wraps to the start");
    close(results.objective, 600.0, "objective");
}

#[test]
fn non_cyclic_storage_starts_from_its_initial_state_of_charge() {
    let mut n = network(2, &["bus"]);
    n.generators
        .push(generator("dear", 0, Capacity::fixed(200.0), 100.0));
    let mut battery = StorageUnit::new("battery", 0, "battery");
    battery.capacity = Capacity::fixed(50.0);
    battery.max_hours = 2.0;
    battery.state_of_charge_initial = 30.0;
    battery.standing_loss = 0.5;
    n.storage_units.push(battery);
    load(&mut n, 0, vec![10.0, 10.0]);
    let results = solve(&n);
    // No standing loss on the initial energy (PyPSA): 30 MWh serve hour 1 (10) and, after
    // halving 20 → 10 MWh, hour 2 (10). Nothing is bought.
    close(results.objective, 0.0, "objective");
    close(results.storage_units[0].state_of_charge[0], 20.0, "soc");
}

#[test]
fn extendable_storage_pays_capital_cost_per_mw_with_max_hours() {
    let mut n = network(2, &["bus"]);
    let mut cheap = generator("cheap", 0, Capacity::fixed(200.0), 0.0);
    cheap.p_max_pu = Series::Varying(vec![1.0, 0.0]);
    n.generators.push(cheap);
    let mut battery = StorageUnit::new("battery", 0, "battery");
    battery.capacity = Capacity::extendable(0.0, f64::INFINITY, 10.0);
    battery.max_hours = 4.0;
    battery.cyclic_state_of_charge = true;
    n.storage_units.push(battery);
    load(&mut n, 0, vec![0.0, 40.0]);
    let results = solve(&n);
    // Hour 2 needs 40 MW of discharge: 40 MW (160 MWh ≥ 40 MWh) at 10 = 400.
    close(results.storage_units[0].p_nom_opt, 40.0, "p_nom_opt");
    close(results.objective, 400.0, "objective");
}

#[test]
fn storage_inflow_can_be_spilled() {
    let mut n = network(2, &["bus"]);
    let mut hydro = StorageUnit::new("hydro", 0, "hydro");
    hydro.capacity = Capacity::fixed(20.0);
    hydro.max_hours = 1.0;
    hydro.inflow = Series::Static(30.0);
    hydro.p_min_pu = Series::Static(0.0);
    n.storage_units.push(hydro);
    load(&mut n, 0, vec![10.0, 10.0]);
    let results = solve(&n);
    // 30 MW inflow, 10 MW used, ≤ 20 MWh kept: at least 10 MW spilled each hour after the first fill.
    close(results.objective, 0.0, "objective");
    assert!(results.storage_units[0].spill.iter().sum::<f64>() >= 20.0 - 1e-6);
}

#[test]
fn link_delivers_efficiency_times_its_flow() {
    let mut n = network(1, &["A", "B"]);
    n.generators
        .push(generator("g", 0, Capacity::fixed(100.0), 1.0));
    let mut link = Link::new("A-B", 0, 1);
    link.efficiency = 0.8;
    link.capacity = Capacity::extendable(0.0, f64::INFINITY, 10.0);
    n.links.push(link);
    load(&mut n, 1, vec![50.0]);
    let results = solve(&n);
    // 50 / 0.8 = 62.5 MW withdrawn at A: 62.5 · 1 + 62.5 · 10 = 687.5.
    close(results.links[0].p0[0], 62.5, "p0");
    close(results.links[0].p1[0], -50.0, "p1");
    close(results.links[0].p_nom_opt, 62.5, "p_nom_opt");
    close(results.objective, 687.5, "objective");
    // Price at B is price at A over the efficiency plus capacity cost: (1 + 10) / 0.8.
    close(results.marginal_price[1][0], 11.0 / 0.8, "price at B");
}

#[test]
fn bidirectional_link_flows_backwards() {
    let mut n = network(1, &["A", "B"]);
    n.generators
        .push(generator("g", 1, Capacity::fixed(100.0), 1.0));
    let mut link = Link::new("A-B", 0, 1);
    link.capacity = Capacity::fixed(100.0);
    link.p_min_pu = Series::Static(-1.0);
    n.links.push(link);
    load(&mut n, 0, vec![30.0]);
    let results = solve(&n);
    close(results.links[0].p0[0], -30.0, "reverse flow");
    close(results.objective, 30.0, "objective");
}

#[test]
fn kirchhoff_splits_flow_inversely_to_reactance() {
    let mut n = network(1, &["0", "1", "2"]);
    n.generators
        .push(generator("g", 0, Capacity::fixed(200.0), 1.0));
    for (name, bus0, bus1) in [("01", 0, 1), ("12", 1, 2), ("02", 0, 2)] {
        let mut line = Line::new(name, bus0, bus1, 1.0);
        line.capacity = Capacity::fixed(1000.0);
        n.lines.push(line);
    }
    load(&mut n, 2, vec![90.0]);
    let results = solve(&n);
    // Direct path x = 1, indirect x = 2: 60 MW direct, 30 MW around.
    close(results.lines[2].p0[0], 60.0, "direct");
    close(results.lines[0].p0[0], 30.0, "0→1");
    close(results.lines[1].p0[0], 30.0, "1→2");
}

#[test]
fn kirchhoff_with_a_binding_line_needs_local_generation() {
    let mut n = network(1, &["0", "1", "2"]);
    n.generators
        .push(generator("cheap", 0, Capacity::fixed(200.0), 1.0));
    n.generators
        .push(generator("local", 2, Capacity::fixed(200.0), 10.0));
    for (name, bus0, bus1, s_nom) in [
        ("01", 0, 1, 1000.0),
        ("12", 1, 2, 1000.0),
        ("02", 0, 2, 40.0),
    ] {
        let mut line = Line::new(name, bus0, bus1, 1.0);
        line.capacity = Capacity::fixed(s_nom);
        n.lines.push(line);
    }
    load(&mut n, 2, vec![90.0]);
    let results = solve(&n);
    // Imports from bus 0 split 2:1, so the direct line (40) caps them at 60; local covers 30.
    close(results.generators[0].p[0], 60.0, "cheap");
    close(results.generators[1].p[0], 30.0, "local");
    close(results.objective, 60.0 + 300.0, "objective");
}

#[test]
fn extendable_line_is_built_to_the_flow() {
    let mut n = network(1, &["A", "B"]);
    n.generators
        .push(generator("g", 0, Capacity::fixed(100.0), 1.0));
    let mut line = Line::new("A-B", 0, 1, 1.0);
    line.capacity = Capacity::extendable(0.0, f64::INFINITY, 2.0);
    n.lines.push(line);
    load(&mut n, 1, vec![40.0]);
    let results = solve(&n);
    close(results.lines[0].s_nom_opt, 40.0, "s_nom_opt");
    close(results.objective, 40.0 + 80.0, "objective");
}

fn co2_network(cap_t: f64) -> Network {
    let mut n = network(1, &["bus"]);
    for (name, carrier, co2, marginal_cost) in
        [("coal", "coal", 0.5, 10.0), ("gas", "gas", 0.2, 20.0)]
    {
        n.carriers.push(atomplan_model::network::Carrier {
            name: carrier.to_owned(),
            co2_emissions: co2,
        });
        let mut unit = generator(name, 0, Capacity::fixed(200.0), marginal_cost);
        unit.carrier = carrier.to_owned();
        unit.efficiency = 0.5;
        n.generators.push(unit);
    }
    n.global_constraints.push(GlobalConstraint {
        name: "CO2Limit".to_owned(),
        carrier_attribute: "co2_emissions".to_owned(),
        sense: ConstraintSense::LessEqual,
        constant: cap_t,
        investment_period: None,
    });
    load(&mut n, 0, vec![100.0]);
    n
}

#[test]
fn co2_cap_counts_primary_energy_and_prices_carbon() {
    let results = solve(&co2_network(70.0));
    // coal emits 0.5/0.5 = 1 t/MWh, gas 0.2/0.5 = 0.4: x + 0.4(100 − x) ≤ 70 → x = 50.
    close(results.generators[0].p[0], 50.0, "coal");
    close(results.co2_t, 70.0, "co2");
    close(results.objective, 500.0 + 1000.0, "objective");
    // Swapping coal for gas costs 10 per MWh and saves 0.6 t: 16.67 per t; mu is its negative.
    close(results.global_constraints[0].mu, -10.0 / 0.6, "mu");
}

#[test]
fn weightings_scale_operating_cost_and_emissions() {
    let mut n = co2_network(1e9);
    n.snapshots.objective = vec![3.0];
    n.snapshots.generators = vec![2.0];
    let results = solve(&n);
    close(results.objective, 3.0 * 1000.0, "objective");
    close(results.co2_t, 2.0 * 100.0, "co2");
    close(
        results.marginal_price[0][0],
        10.0,
        "price divided by the objective weighting",
    );
}

#[test]
fn infeasible_demand_is_located_at_bus_and_snapshot() {
    let mut n = network(3, &["north", "south"]);
    n.generators
        .push(generator("g", 0, Capacity::fixed(100.0), 1.0));
    n.generators
        .push(generator("h", 1, Capacity::fixed(100.0), 1.0));
    load(&mut n, 1, vec![50.0, 150.0, 50.0]);
    let settings = SolverSettings::default();
    let (model, solution, _) = solve_network(&n, &settings).unwrap();
    assert_ne!(solution.status, SolveStatus::Optimal);
    let diagnosis = diagnose(&n, &model, solution.status, &settings);
    let finding = &diagnosis.findings[0];
    assert_eq!(finding.family, "Bus-balance");
    assert_eq!(finding.bus.as_deref(), Some("south"));
    assert_eq!(finding.snapshot.as_deref(), Some("1"));
}

#[test]
fn infeasible_co2_cap_reports_minimum_emissions() {
    let n = co2_network(10.0);
    let settings = SolverSettings::default();
    let (model, solution, _) = solve_network(&n, &settings).unwrap();
    assert_ne!(solution.status, SolveStatus::Optimal);
    let diagnosis = diagnose(&n, &model, solution.status, &settings);
    let finding = &diagnosis.findings[0];
    assert_eq!(finding.family, "GlobalConstraint");
    assert_eq!(finding.component.as_deref(), Some("CO2Limit"));
    // All gas: 100 · 0.4 = 40 t at least.
    assert!(finding.message.contains("40.0 t"), "{}", finding.message);
}

#[test]
fn unbounded_model_names_the_asset() {
    let mut n = network(1, &["bus"]);
    n.generators.push(generator(
        "subsidised",
        0,
        Capacity::extendable(0.0, f64::INFINITY, -1.0),
        0.0,
    ));
    load(&mut n, 0, vec![10.0]);
    let settings = SolverSettings::default();
    let (model, solution, _) = solve_network(&n, &settings).unwrap();
    assert_ne!(solution.status, SolveStatus::Optimal);
    let diagnosis = diagnose(&n, &model, solution.status, &settings);
    assert_eq!(
        diagnosis.findings[0].component.as_deref(),
        Some("subsidised")
    );
}
