use crate::build::lines::cycle_basis;
use crate::lp::{LinearProgram, Triplets};

#[test]
fn cycle_basis_of_a_triangle_has_one_oriented_cycle() {
    // 0→1, 1→2, 0→2: walking the cycle 0→1→2→0 uses line 2 backwards.
    let cycles = cycle_basis(3, &[(0, 1), (1, 2), (0, 2)]);
    assert_eq!(cycles.len(), 1);
    let mut cycle = cycles[0].clone();
    cycle.sort_by_key(|(line, _)| *line);
    let signs: Vec<f64> = cycle.iter().map(|(_, sign)| *sign).collect();
    // Either orientation of the same cycle is fine; lines 0 and 1 agree, line 2 opposes.
    assert_eq!(signs[0], signs[1]);
    assert_eq!(signs[0], -signs[2]);
}

#[test]
fn cycle_basis_counts_parallel_lines_and_trees() {
    assert_eq!(cycle_basis(2, &[(0, 1), (0, 1)]).len(), 1);
    assert_eq!(cycle_basis(4, &[(0, 1), (1, 2), (2, 3)]).len(), 0);
    // Two squares sharing an edge: 6 lines, 5 buses... 4 buses + 1: cycles = m − n + components.
    let lines = [(0, 1), (1, 2), (2, 3), (3, 0), (1, 4), (4, 2)];
    assert_eq!(cycle_basis(5, &lines).len(), 2);
}

#[test]
fn csc_sums_duplicates_and_drops_zeros() {
    let mut lp = LinearProgram::new();
    lp.add_col_family("x", &["a", "b"], 0, 0.0, 1.0);
    lp.add_row_family("r", &["r0", "r1"], 0, vec![0.0, 0.0], vec![1.0, 1.0]);
    let mut block = Triplets::new();
    block.push(0, 0, 1.0);
    block.push(1, 0, 2.0);
    block.push(0, 0, 0.5);
    block.push(1, 1, 3.0);
    block.push(1, 1, -3.0);
    lp.add_triplets(block);
    let (start, index, value) = lp.to_csc();
    assert_eq!(start, vec![0, 2, 2]);
    assert_eq!(index, vec![0, 1]);
    assert_eq!(value, vec![1.5, 2.0]);
}

#[test]
fn csc_keeps_an_entry_after_a_dropped_zero_in_the_previous_column() {
    // Column 0 has an explicit zero in row 0 and 1.0 in row 1; column 1 has 2.0 in row 1.
    // Dropping the zero moves column 0's row-1 entry; column 1's row-1 entry must stay its own.
    let mut lp = LinearProgram::new();
    lp.add_col_family("x", &["a", "b"], 0, 0.0, 1.0);
    lp.add_row_family("r", &["r0", "r1"], 0, vec![0.0, 0.0], vec![1.0, 1.0]);
    let mut block = Triplets::new();
    block.push(0, 0, 0.0);
    block.push(1, 0, 1.0);
    block.push(1, 1, 2.0);
    lp.add_triplets(block);
    let (start, index, value) = lp.to_csc();
    assert_eq!(start, vec![0, 1, 2]);
    assert_eq!(index, vec![1, 1]);
    assert_eq!(value, vec![1.0, 2.0]);
}

#[test]
fn structured_names_locate_entries() {
    let mut lp = LinearProgram::new();
    lp.add_col_family("Generator-p", &["coal", "wind"], 3, 0.0, 1.0);
    assert_eq!(lp.col_name(4), "Generator-p[wind,1]");
    lp.add_row_family("GlobalConstraint", &["CO2Limit"], 0, vec![0.0], vec![1.0]);
    assert_eq!(lp.row_name(0), "GlobalConstraint[CO2Limit]");
}

// PyPSA's MILP attributes on tiny hand-checkable networks (one bus, hourly snapshots).
mod milp {
    use crate::network::{Capacity, Generator, Load, Network, Series, Snapshots};
    use crate::{build, solve_network, SolveStatus, SolverSettings};

    fn one_bus(load: Vec<f64>) -> Network {
        let mut network = Network {
            snapshots: Snapshots::hourly(load.len()),
            ..Network::default()
        };
        network.add_bus("bus");
        network.loads.push(Load {
            name: "load".to_owned(),
            bus: 0,
            p_set: Series::Varying(load),
            sign: -1.0,
        });
        network
    }

    fn generator(name: &str, capacity: Capacity, marginal_cost: f64) -> Generator {
        let mut generator = Generator::new(name, 0, "");
        generator.capacity = capacity;
        generator.marginal_cost = Series::Static(marginal_cost);
        generator
    }

    fn objective(network: &Network) -> f64 {
        let settings = SolverSettings {
            options: vec![("mip_rel_gap".to_owned(), "0".to_owned())],
            ..SolverSettings::default()
        };
        let (_, _, results) = solve_network(network, &settings).unwrap();
        assert_eq!(results.status, SolveStatus::Optimal);
        results.objective
    }

    /// Load 100 then 60 MW; a 60 MW unit at 20/MWh and a committable 100 MW unit at 30/MWh with
    /// `p_min_pu` 0.5 that was off before (`up_time_before` 0).
    fn coal_and_cheap(min_up_time: usize) -> Network {
        let mut network = one_bus(vec![100.0, 60.0]);
        network
            .generators
            .push(generator("cheap", Capacity::fixed(60.0), 20.0));
        let mut coal = generator("coal", Capacity::fixed(100.0), 30.0);
        coal.p_min_pu = Series::Static(0.5);
        coal.operation.committable = true;
        coal.operation.up_time_before = 0;
        coal.operation.min_up_time = min_up_time;
        network.generators.push(coal);
        network
    }

    #[test]
    fn min_up_time_keeps_a_unit_on() {
        // Hour 0: coal must run (60 < 100) at ≥ 50 MW: 50·20 + 50·30 = 2500.
        // Hour 1 free: the cheap unit alone, 60·20 = 1200; total 3700.
        assert!((objective(&coal_and_cheap(1)) - 3700.0).abs() < 1e-6);
        // With min_up_time 2 coal stays on at 50 MW in hour 1: 10·20 + 50·30 = 1700; total 4200.
        assert!((objective(&coal_and_cheap(2)) - 4200.0).abs() < 1e-6);
    }

    #[test]
    fn start_up_and_shut_down_costs_are_paid_once_each() {
        // 3700 of energy (see above) + 500 to start coal in hour 0 + 100 to shut it in hour 1
        // (cheaper than running on: 4200 − 3700 = 500 > 100).
        let mut network = coal_and_cheap(0);
        network.generators[1].operation.start_up_cost = Series::Static(500.0);
        network.generators[1].operation.shut_down_cost = Series::Static(100.0);
        assert!((objective(&network) - 4300.0).abs() < 1e-6);
        // Already on before (`up_time_before` 1): no start-up cost, the shut-down still pays.
        network.generators[1].operation.up_time_before = 1;
        assert!((objective(&network) - 3800.0).abs() < 1e-6);
    }

    #[test]
    fn ramp_limit_up_of_a_non_committable_unit() {
        // Load 20 then 60 MW; the 100 MW unit at 10/MWh may rise by 0.2·100 = 20 MW an hour, the
        // peaker at 50/MWh covers the rest: 20·10 + 40·10 + 20·50 = 1600.
        let mut network = one_bus(vec![20.0, 60.0]);
        let mut base = generator("base", Capacity::fixed(100.0), 10.0);
        base.operation.ramp_limit_up = Some(Series::Static(0.2));
        network.generators.push(base);
        network
            .generators
            .push(generator("peaker", Capacity::fixed(100.0), 50.0));
        assert!((objective(&network) - 1600.0).abs() < 1e-6);
        // With `p_init` 0 the first hour is limited too: 20 from base, nothing else changes.
        network.generators[0].operation.p_init = Some(0.0);
        assert!((objective(&network) - 1600.0).abs() < 1e-6);
        // With `p_init` 0 and 30 MW in hour 0: base ≤ 20 then 10 from the peaker: +400 more.
        network.loads[0].p_set = Series::Varying(vec![30.0, 60.0]);
        // Hour 0: 20·10 + 10·50 = 700; hour 1: 40·10 + 20·50 = 1400.
        assert!((objective(&network) - 2100.0).abs() < 1e-6);
    }

    #[test]
    fn modules_are_built_whole() {
        // 50 MW of load; modules of 30 MW at 100 per MW: two modules (6000) beat one module
        // plus 20 MW from a 1000/MWh peaker (3000 + 20000).
        let mut network = one_bus(vec![50.0]);
        let mut smr = generator("smr", Capacity::extendable(0.0, f64::INFINITY, 100.0), 0.0);
        smr.capacity.module = 30.0;
        network.generators.push(smr);
        network
            .generators
            .push(generator("peaker", Capacity::fixed(100.0), 1000.0));
        assert!((objective(&network) - 6000.0).abs() < 1e-6);
    }

    #[test]
    fn a_network_without_milp_attributes_has_no_integer_columns() {
        let mut network = one_bus(vec![50.0]);
        network
            .generators
            .push(generator("g", Capacity::extendable(0.0, 100.0, 1.0), 1.0));
        let model = build(&network).unwrap();
        assert!(!model.lp.col_integer.iter().any(|integer| *integer));
        let names: Vec<&str> = model
            .lp
            .col_families
            .iter()
            .chain(&model.lp.row_families)
            .map(|family| family.name.as_str())
            .collect();
        assert!(
            !names.iter().any(|name| name.contains("status")
                || name.contains("n_mod")
                || name.contains("ramp")),
            "{names:?}"
        );
    }
}
