//! Investment periods as a level of the snapshot axis (PyPSA's multi-investment optimisation):
//! objective, capacities and prices against PyPSA 1.4's `optimize(multi_investment_periods=True)`
//! with HiGHS, within 1e-6 relative; and the combinations the core refuses, named.
//!
//! The networks and PyPSA's results are written by `tests/fixtures/multi-period/make_fixtures.py`.

use crate::pypsa_reference::{assert_capacities_equal, relative_difference};
use std::path::{Path, PathBuf};

use atomplan_model::planning::{self, FolderOutcome};
use atomplan_model::pypsa::read_folder;
use atomplan_model::{solve_folder, solve_network, RunOptions, SolveStatus, SolverSettings};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/multi-period")
        .join(name)
}

fn check(network: &str) {
    let text = std::fs::read_to_string(fixture(&format!("{network}.pypsa.json"))).unwrap();
    let reference: serde_json::Value = serde_json::from_str(&text).unwrap();
    let outcome = solve_folder(&fixture(network), &RunOptions::default()).unwrap();
    assert!(outcome.network.is_multi_period(), "{network}");
    assert_eq!(outcome.results.status, SolveStatus::Optimal, "{network}");
    let objective = reference["objective"].as_f64().unwrap();
    assert!(
        relative_difference(outcome.results.objective, objective) < 1e-6,
        "{network}: objective {} vs PyPSA {objective}",
        outcome.results.objective
    );
    let results = &outcome.results;
    assert_capacities_equal(network, &outcome, &reference);
    if let Some(mus) = reference
        .get("global_constraints_mu")
        .and_then(|m| m.as_object())
    {
        assert_eq!(mus.len(), results.global_constraints.len(), "{network}");
        for constraint in &results.global_constraints {
            let want = mus[constraint.name.as_str()].as_f64().unwrap();
            assert!(
                relative_difference(constraint.mu, want) < 1e-6,
                "{network}: mu of {} {} vs PyPSA {want}",
                constraint.name,
                constraint.mu
            );
        }
    }
    // Prices are divided by the snapshot's and the period's objective weightings, as PyPSA's.
    let prices: Vec<f64> = reference["marginal_price_first_bus"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert_eq!(prices.len(), results.marginal_price[0].len());
    for (t, (ours, theirs)) in results.marginal_price[0].iter().zip(&prices).enumerate() {
        assert!(
            relative_difference(*ours, *theirs) < 1e-6,
            "{network}: price at snapshot {t}: {ours} vs PyPSA {theirs}"
        );
    }
}

#[test]
fn retirements_vintages_lines_links_and_storage_over_three_periods() {
    check("three-decades");
}

#[test]
fn state_of_charge_per_period_initial_per_period_and_over_the_horizon() {
    check("per-period-storage");
}

/// One CO2 limit over the horizon (energy times each period's `years`) and one on 2050 alone,
/// both binding: their duals equal PyPSA's.
#[test]
fn co2_limits_over_the_horizon_and_on_one_period() {
    check("co2-caps");
}

/// Nuclear in whole 120 MW modules and the interconnector in 50 MW ones: a MILP, solved to a
/// zero gap on both sides.
#[test]
fn modules_over_three_periods() {
    check("modular-periods");
}

/// Ramp limits of units that are not committable (fixed capacity from a known `p_init`,
/// extendable, a link): no ramp row at the first hour of a later period, as in PyPSA.
#[test]
fn ramp_limits_restart_at_each_period() {
    check("ramp-periods");
}

/// Committable units active in every period, one of them extendable (big-M): the status runs
/// on over period boundaries and stand-by cost carries the period's weighting, as in PyPSA.
#[test]
fn commitment_over_three_periods() {
    check("commitment-periods");
}

/// Without the period level the same folder would be one period: the coal plant that retires
/// in 2045 would run in 2050 and nothing would weigh the periods. The reader must not drop it.
#[test]
fn the_period_level_is_read_not_dropped() {
    let network = read_folder(&fixture("three-decades")).unwrap().network;
    assert_eq!(network.investment_periods.len(), 3);
    assert_eq!(network.snapshots.periods.len(), 72);
    let coal = &network.generators[0];
    assert_eq!(coal.name, "coal");
    assert!(network.is_active(&coal.capacity, 24));
    assert!(!network.is_active(&coal.capacity, 48));
    let weights: Vec<f64> = network
        .investment_periods
        .iter()
        .map(|p| p.objective)
        .collect();
    assert!(
        weights[0] > weights[1] && weights[1] > weights[2],
        "{weights:?}"
    );
}

fn copy_fixture(name: &str, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(fixture(name)).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

fn refused(edit: impl Fn(&Path)) -> String {
    let dir = tempfile::tempdir().unwrap();
    copy_fixture("per-period-storage", dir.path());
    edit(dir.path());
    match read_folder(dir.path()) {
        Err(error) => error.to_string(),
        Ok(imported) => match solve_network(&imported.network, &SolverSettings::default()) {
            Err(error) => error.to_string(),
            Ok((_, _, results)) => panic!("solved: {:?}", results.status),
        },
    }
}

fn rewrite(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{}: {from}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn what_the_core_does_not_take_in_several_periods_is_refused_by_name() {
    let message = refused(|dir| {
        rewrite(&dir.join("snapshots.csv"), "\n12,2035,", "\n12,2029,");
    });
    assert!(
        message.contains("snapshots.csv") && message.contains("period") && message.contains("2029"),
        "{message}"
    );
    let message = refused(|dir| {
        rewrite(&dir.join("investment_periods.csv"), "\n2035,", "\n2036,");
    });
    assert!(
        message.contains("investment_periods.csv") && message.contains("2036"),
        "{message}"
    );
    let message = refused(|dir| {
        let path = dir.join("generators.csv");
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        // Committable, and the gas plant retired after 2030.
        lines[0].push_str(",committable");
        for line in &mut lines[1..] {
            line.push_str(",True");
        }
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        rewrite(&path, "gas,70.0,0,inf,", "gas,70.0,0,2032,");
    });
    assert!(
        message.contains("committable")
            && message.contains("some periods only")
            && message.contains("multi-period"),
        "{message}"
    );
    let message = refused(|dir| {
        std::fs::write(
            dir.join("global_constraints.csv"),
            "name,sense,constant,investment_period\nco2,<=,1000,2040\n",
        )
        .unwrap();
    });
    assert!(
        message.contains("global_constraints.csv")
            && message.contains("investment_period")
            && message.contains("2040"),
        "{message}"
    );
    // A non-cyclic storage unit whose carrier emits, under a limit: not built per period yet.
    let message = refused(|dir| {
        std::fs::write(
            dir.join("global_constraints.csv"),
            "name,sense,constant\nco2,<=,1000\n",
        )
        .unwrap();
        rewrite(&dir.join("carriers.csv"), "battery,0.0", "battery,0.5");
    });
    assert!(
        message.contains("global constraint `co2`")
            && message.contains("storage unit `cyclic-per-period`")
            && message.contains("multi-period"),
        "{message}"
    );
}

// ---- the planning model on a network with investment periods (planning/multi_period.rs) ----

const FIXTURES: [&str; 6] = [
    "three-decades",
    "per-period-storage",
    "co2-caps",
    "modular-periods",
    "ramp-periods",
    "commitment-periods",
];

fn plan_of(network: &str, plan: &str) -> atomplan_model::planning::PlanResult {
    match planning::solve_folder(&fixture(network), plan, "plan.toml") {
        FolderOutcome::Solved { result, .. } => *result,
        FolderOutcome::Invalid(diagnostics) => panic!("{network}: {diagnostics:?}"),
    }
}

fn capacity(result: &atomplan_model::planning::PlanResult, name: &str, year: i32) -> f64 {
    result
        .capacities
        .iter()
        .find(|c| c.generator == name && c.period == Some(year))
        .unwrap_or_else(|| panic!("no {name} in {year}"))
        .p_nom_opt_mw
}

/// With an empty planning file the planning model is the core's model: on every multi-period
/// fixture the objective is PyPSA's (within 1e-6), each generator's capacity per period is
/// PyPSA's `p_nom_opt` where it is active and 0 where it is not, and the prices are the core's.
#[test]
fn an_empty_planning_file_gives_pypsas_answer_on_every_multi_period_network() {
    for network in FIXTURES {
        let text = std::fs::read_to_string(fixture(&format!("{network}.pypsa.json"))).unwrap();
        let reference: serde_json::Value = serde_json::from_str(&text).unwrap();
        let result = plan_of(network, "");
        assert_eq!(result.status, SolveStatus::Optimal, "{network}");
        let objective = reference["objective"].as_f64().unwrap();
        assert!(
            relative_difference(result.objective, objective) < 1e-6,
            "{network}: planning objective {} vs PyPSA {objective}",
            result.objective
        );
        let read = read_folder(&fixture(network)).unwrap().network;
        assert_eq!(
            result.capacities.len(),
            read.generators.len() * read.investment_periods.len(),
            "{network}"
        );
        for generator in &read.generators {
            let want = reference["generators_p_nom_opt"][generator.name.as_str()]
                .as_f64()
                .unwrap();
            for period in &read.investment_periods {
                let got = capacity(&result, &generator.name, period.period);
                let expected = if generator.capacity.active_in(period.period) {
                    want
                } else {
                    0.0
                };
                assert!(
                    relative_difference(got, expected) < 1e-6,
                    "{network}: {} in {}: {got} vs {expected}",
                    generator.name,
                    period.period
                );
            }
        }
        let core = solve_folder(&fixture(network), &RunOptions::default()).unwrap();
        let ours = result.network_results.as_ref().expect("core results");
        for (b, prices) in core.results.marginal_price.iter().enumerate() {
            for (t, price) in prices.iter().enumerate() {
                assert!(
                    relative_difference(ours.marginal_price[b][t], *price) < 1e-6,
                    "{network}: price of bus {b} at {t}"
                );
            }
        }
        let first = &result.prices[0];
        assert_eq!(first.period, Some(read.investment_periods[0].period));
        let in_first = (0..read.snapshots.len())
            .filter(|&t| read.period_index(t) == 0)
            .count();
        assert_eq!(first.hourly_usd_per_mwh.len(), in_first, "{network}");
    }
}

/// A capacity limit from 2040 on the two wind vintages: in 2040 both are active (the 2030
/// vintage lives 15 years), so their sum is held to 700 MW, below PyPSA's 994.5 MW, and the
/// plan costs more; in 2030 the limit does not apply.
#[test]
fn a_capacity_limit_holds_in_each_period_from_its_year() {
    let free = plan_of("three-decades", "");
    let plan = r#"
[[capacity_limits]]
name = "wind-cap"
generators = ["wind-2030", "wind-2040"]
from_year = 2040
max_mw = 700
"#;
    let limited = plan_of("three-decades", plan);
    assert_eq!(limited.status, SolveStatus::Optimal);
    let wind = |r: &atomplan_model::planning::PlanResult, year| {
        capacity(r, "wind-2030", year) + capacity(r, "wind-2040", year)
    };
    assert!(wind(&free, 2040) > 900.0, "{}", wind(&free, 2040));
    assert!(
        (wind(&limited, 2040) - 700.0).abs() < 1e-4,
        "{}",
        wind(&limited, 2040)
    );
    assert!(wind(&limited, 2050) <= 700.0 + 1e-4);
    assert!(limited.objective > free.objective * (1.0 + 1e-6));
}

/// An energy limit on gas in the period where the free plan burns most, at half of that: the
/// plan's gas energy there (annual, with the `generators` weighting) is the limit, and the plan
/// costs more.
#[test]
fn an_energy_limit_holds_in_its_period() {
    let free = plan_of("three-decades", "");
    let energy = |r: &atomplan_model::planning::PlanResult, year| {
        r.capacities
            .iter()
            .find(|c| c.generator == "gas" && c.period == Some(year))
            .unwrap()
            .energy_mwh
    };
    let years = [2030, 2040, 2050];
    let most = years
        .into_iter()
        .max_by(|a, b| energy(&free, *a).total_cmp(&energy(&free, *b)))
        .unwrap();
    let half = energy(&free, most) / 2.0;
    assert!(half > 1000.0, "{half}");
    let limits: Vec<String> = years
        .iter()
        .map(|&y| {
            if y == most {
                half.to_string()
            } else {
                "inf".to_owned()
            }
        })
        .collect();
    let plan = format!(
        "[[energy_limits]]\nname = \"gas-supply\"\nuse_per_mwh = {{ gas = 1.0 }}\nmax_per_year = [{}]\n",
        limits.join(", ")
    );
    let limited = plan_of("three-decades", &plan);
    assert_eq!(limited.status, SolveStatus::Optimal);
    assert!(
        relative_difference(energy(&limited, most), half) < 1e-6,
        "{most}: {} vs {half}",
        energy(&limited, most)
    );
    assert!(limited.objective > free.objective * (1.0 + 1e-6));
}

/// A reserve margin of 30 % over both buses with wind at a 10 % credit: in every period firm
/// capacity (coal, gas and nuclear where active, a tenth of the wind) covers 1.3 times the
/// period's peak load, the margin binds in at least one period, and the plan costs more.
#[test]
fn a_reserve_margin_holds_in_every_period() {
    let free = plan_of("three-decades", "");
    let plan = r#"
[[areas]]
name = "all"
buses = ["north", "south"]
reserve_margin = 0.3

[units.wind-2030]
capacity_credit = 0.1

[units.wind-2040]
capacity_credit = 0.1
"#;
    let planned = plan_of("three-decades", plan);
    assert_eq!(planned.status, SolveStatus::Optimal);
    let network = read_folder(&fixture("three-decades")).unwrap().network;
    let mut tight = 0;
    for (y, period) in network.investment_periods.iter().enumerate() {
        let peak = (y * 24..(y + 1) * 24)
            .map(|t| {
                network
                    .loads
                    .iter()
                    .map(|l| -l.sign * l.p_set.at(t))
                    .sum::<f64>()
            })
            .fold(0.0, f64::max);
        let firm: f64 = ["coal", "gas", "nuclear"]
            .iter()
            .map(|g| capacity(&planned, g, period.period))
            .sum::<f64>()
            + 0.1
                * (capacity(&planned, "wind-2030", period.period)
                    + capacity(&planned, "wind-2040", period.period));
        assert!(
            firm >= 1.3 * peak - 1e-4,
            "{}: firm {firm} vs peak {peak}",
            period.period
        );
        if relative_difference(firm, 1.3 * peak) < 1e-6 {
            tight += 1;
        }
    }
    assert!(tight >= 1, "the margin binds somewhere");
    assert!(planned.objective > free.objective * (1.0 + 1e-6));
}

/// What the planning model builds on its own periods only is refused by the file's key, and a
/// per-period list must have one value per period of the network.
#[test]
fn planning_keys_not_built_on_network_periods_are_refused_by_key() {
    let invalid = |plan: &str| -> Vec<String> {
        match planning::solve_folder(&fixture("three-decades"), plan, "plan.toml") {
            FolderOutcome::Solved { .. } => panic!("solved: {plan}"),
            FolderOutcome::Invalid(diagnostics) => diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| format!("{}: {}", d.location, d.message))
                .collect(),
        }
    };
    for (plan, key) in [
        (
            "[investment]\ndecision_year = 2025\nperiods = [2030, 2040]\ndiscount_rate = 0.05\n",
            "investment",
        ),
        ("[units.nuclear]\nunit_size_mw = 120\n", "units.nuclear"),
        (
            "[aggregation]\nrepresentatives = 2\nperiod = \"day\"\n",
            "aggregation",
        ),
        (
            "[storage.battery]\nlinking = \"cyclic\"\n",
            "storage.battery",
        ),
        (
            "[units.gas]\nrefuelling = { cycle_months = 12, outage_days = 30 }\n",
            "units.gas.refuelling",
        ),
    ] {
        let errors = invalid(plan);
        assert!(
            errors
                .iter()
                .any(|e| e.contains(key) && e.contains("investment periods")),
            "{key}: {errors:?}"
        );
    }
    let errors = invalid(
        "[[energy_limits]]\nname = \"gas\"\nuse_per_mwh = { gas = 1.0 }\nmax_per_year = [100.0]\n",
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("energy_limits[0].max_per_year") && e.contains("3 periods")),
        "{errors:?}"
    );
    let errors =
        invalid("[[capacity_limits]]\nname = \"c\"\ngenerators = [\"nope\"]\nmax_mw = 1\n");
    assert!(
        errors
            .iter()
            .any(|e| e.contains("capacity_limits[0].generators") && e.contains("nope")),
        "{errors:?}"
    );
}

/// The network of "N-1 makes small modules win" (docs/formulation/planning.md; the planning
/// model's `n1_makes_55_mwe_modules_beat_one_1200_mwe_unit`) over two investment periods of
/// weight 1: one bus with 1,600 MW of load for 4 snapshots of weight 2,190 h in each period, 500
/// MW of gas at 70 USD/MWh, and, built in 2030 for both periods, a 1,200 MW unit (PyPSA module
/// 1,200 MW, at most one) or 55 MW modules (at most 30), both at 10 USD/MWh, and OCGT. Every
/// cost counts once per period, so each objective is twice the single-period one.
/// Writes a one-bus network to `dir`: `hours` (load MW, weight h) repeated in each of `periods`
/// (weight 1 and 10 years each; no period level when `periods` is empty), and `generators` as
/// the rows of `generators.csv` (`name,bus,p_nom,p_nom_extendable,p_nom_max,p_nom_mod,
/// marginal_cost,capital_cost,build_year,lifetime,committable`).
fn one_bus(dir: &Path, periods: &[i32], hours: &[(f64, f64)], generators: &str) {
    let write = |file: &str, text: String| std::fs::write(dir.join(file), text).unwrap();
    let mut snapshots = String::from(if periods.is_empty() {
        "snapshot,objective,stores,generators\n"
    } else {
        ",period,timestep,objective,stores,generators\n"
    });
    let mut load = String::from(if periods.is_empty() {
        "snapshot,load\n"
    } else {
        ",load\n"
    });
    let labels: Vec<Option<i32>> = if periods.is_empty() {
        vec![None]
    } else {
        periods.iter().copied().map(Some).collect()
    };
    let mut t = 0;
    for period in labels {
        for (step, (mw, weight)) in hours.iter().enumerate() {
            let level = period.map_or_else(String::new, |p| format!("{p},{step},"));
            snapshots.push_str(&format!("{t},{level}{weight},{weight},{weight}\n"));
            load.push_str(&format!("{t},{mw}\n"));
            t += 1;
        }
    }
    write("snapshots.csv", snapshots);
    write("loads-p_set.csv", load);
    if !periods.is_empty() {
        let rows: String = periods.iter().map(|p| format!("{p},1,10\n")).collect();
        write(
            "investment_periods.csv",
            format!("period,objective,years\n{rows}"),
        );
    }
    write("buses.csv", "name\ngrid\n".to_owned());
    write("loads.csv", "name,bus\nload,grid\n".to_owned());
    write(
        "generators.csv",
        format!("name,bus,p_nom,p_nom_extendable,p_nom_max,p_nom_mod,marginal_cost,capital_cost,build_year,lifetime,committable\n{generators}"),
    );
}

fn n1_periods(dir: &Path, periods: &[i32], gas_committable: bool) {
    let generators = format!(
        "gas,grid,500,False,inf,0,70,0,2000,100,{}\n\
         large,grid,0,True,1200,1200,10,500000,2030,50,False\n\
         smr,grid,0,True,1650,55,10,540000,2030,50,False\n\
         ocgt,grid,0,True,inf,0,150,60000,2030,50,False\n",
        if gas_committable { "True" } else { "False" }
    );
    one_bus(dir, periods, &[(1600.0, 2190.0); 4], &generators);
}

const N1_AREA: &str = "[[areas]]\nname = \"grid\"\nbuses = [\"grid\"]\nn1_reserve = true\n";

fn solve_n1(dir: &Path, plan: &str) -> atomplan_model::planning::PlanResult {
    let text = format!("[solver]\nmip_rel_gap = 0.0\n{plan}");
    match planning::solve_folder(dir, &text, "plan.toml") {
        FolderOutcome::Solved { result, .. } => *result,
        FolderOutcome::Invalid(diagnostics) => panic!("{diagnostics:?}"),
    }
}

/// The N-1 reserve on the core's columns (`planning/multi_period.rs` with
/// `build/planning/contingency.rs`): a network's `p_nom_mod` modules are the units. Without the
/// reserve one 1,200 MW unit is cheapest (2 × 950.4 M); with it, 21 modules of 55 MW, whose loss
/// the gas headroom covers (2 × 997.752 M); 1,100 MW of interconnector reserve, or
/// `contingency = false` on the large unit, bring the large unit back (2 × 950.4 M).
#[test]
fn the_n1_reserve_on_network_periods_follows_the_hand_derived_case() {
    let dir = tempfile::tempdir().unwrap();
    n1_periods(dir.path(), &[2030, 2040], false);
    let solve = |plan: &str| solve_n1(dir.path(), plan);
    let area = N1_AREA;
    let with_import = format!("{area}interconnector_reserve_mw = 1100\n");
    let large_exempt = format!("{area}[units.large]\ncontingency = false\n");
    let cases = [
        ("", 2.0 * 950.4e6, "large", 1200.0),
        (area, 2.0 * 997.752e6, "smr", 1155.0),
        (with_import.as_str(), 2.0 * 950.4e6, "large", 1200.0),
        (large_exempt.as_str(), 2.0 * 950.4e6, "large", 1200.0),
    ];
    for (plan, objective, built, mw) in cases {
        let result = solve(plan);
        assert_eq!(result.status, SolveStatus::Optimal, "{plan}");
        assert!(
            relative_difference(result.objective, objective) < 1e-9,
            "{plan}: {} vs {objective}",
            result.objective
        );
        for year in [2030, 2040] {
            assert!(
                (capacity(&result, built, year) - mw).abs() < 1e-6,
                "{plan}: {built} in {year}"
            );
        }
    }
    // The same network in one period (on the core's builder too, as a network with one
    // period): the same contingency family gives half the cost of the two periods.
    let single = tempfile::tempdir().unwrap();
    n1_periods(single.path(), &[], false);
    let one = solve_n1(single.path(), area);
    assert!(
        relative_difference(one.objective, 997.752e6) < 1e-9,
        "{}",
        one.objective
    );
    let modules = solve(area);
    let smr = modules
        .capacities
        .iter()
        .find(|c| c.generator == "smr" && c.period == Some(2040))
        .unwrap();
    assert_eq!(smr.units, Some(21.0));
    assert!(modules.integer_variables > 0);
}

/// The gas plant of the same network made committable and, with `contingency = true` (a
/// committable unit is no contingency by default, as in the planning model), a contingency
/// design of its whole 500 MW (one unit, always there); it holds reserve only within its status,
/// $p + r \le 500\,u$. The plan: the 1,200 MW unit, 7 modules (385 MW) and 715 MW of OCGT, with gas
/// on at 15 MW. By hand, per period: capital 1,200 × 500,000 + 385 × 540,000 + 715 × 60,000 =
/// 850.8 M; energy 1,585 MW × 8,760 h × 10 + 15 × 8,760 × 70 = 148.044 M; 998.844 M in all. The
/// loss of the large unit is covered by 485 MW of gas headroom and the OCGT (485 + 715 = 1,200),
/// the loss of gas by the OCGT.
#[test]
fn a_committable_unit_is_a_contingency_and_holds_reserve_within_its_status() {
    let dir = tempfile::tempdir().unwrap();
    n1_periods(dir.path(), &[2030, 2040], true);
    // Not a contingency by default: the plan of the non-committable network.
    let default = solve_n1(dir.path(), N1_AREA);
    assert!(
        relative_difference(default.objective, 2.0 * 997.752e6) < 1e-9,
        "{}",
        default.objective
    );
    let result = solve_n1(
        dir.path(),
        &format!("{N1_AREA}[units.gas]\ncontingency = true\n"),
    );
    assert_eq!(result.status, SolveStatus::Optimal);
    assert!(
        relative_difference(result.objective, 2.0 * 998.844e6) < 1e-9,
        "{}",
        result.objective
    );
    for (name, mw) in [("large", 1200.0), ("smr", 385.0), ("ocgt", 715.0)] {
        for year in [2030, 2040] {
            assert!(
                (capacity(&result, name, year) - mw).abs() < 1e-6,
                "{name} in {year}: {}",
                capacity(&result, name, year)
            );
        }
    }
}

/// The network of "Staggered refuelling matters" (docs/formulation/planning.md; the planning
/// model's `staggered_refuelling_needs_one_unit_of_backup`) over two periods of weight 1: one
/// bus, a day of 1,000 MW standing for 300 days and a day of 900 MW standing for 65, 1,200 MW
/// of nuclear in two 600 MW units at 10 USD/MWh and gas at 50,000 USD/MW and 80 USD/MWh. The
/// nuclear units are a committable fixed plant of two `p_nom_mod` modules, or an extendable
/// modular plant of at most two free modules (the same plan).
fn refuelling_periods(dir: &Path, committable: bool) {
    refuelling_network(dir, &[2030, 2040], committable);
}

/// [`refuelling_periods`] over `periods` (none: one period on the network's own snapshots).
fn refuelling_network(dir: &Path, periods: &[i32], committable: bool) {
    let mut day = vec![(1000.0, 300.0); 24];
    day.extend([(900.0, 65.0); 24]);
    let nuclear = if committable {
        "nuclear,grid,1200,False,inf,600,10,0,2000,100,True"
    } else {
        "nuclear,grid,0,True,1200,600,10,0,2000,100,False"
    };
    let generators = format!("{nuclear}\ngas,grid,0,True,inf,0,80,50000,2030,50,False\n");
    one_bus(dir, periods, &day, &generators);
}

/// Refuelling on the core's columns: staggered outages in the low-load season need one unit of
/// backup (300 MW of gas, twice 133.8 M), simultaneous ones the whole plant (900 MW, twice
/// 229.32 M), and an optimised staggered season finds the low-load day (twice 133.8 M); the
/// same for a committable plant (the outage bounds the units online) and for modules that are a
/// decision (the outage comes off the available capacity).
#[test]
fn refuelling_on_network_periods_follows_the_hand_derived_case() {
    for committable in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        refuelling_periods(dir.path(), committable);
        for (schedule, optimise, objective, gas) in [
            ("staggered", false, 133.8e6, 300.0),
            ("simultaneous", false, 229.32e6, 900.0),
            ("staggered", true, 133.8e6, 300.0),
        ] {
            let plan = format!(
                "[units.nuclear]\nrefuelling = {{ cycle_months = 12, outage_days = 30, schedule = \"{schedule}\", optimise = {optimise} }}\n"
            );
            let result = solve_n1(dir.path(), &plan);
            let what = format!("committable {committable}, {schedule}, optimise {optimise}");
            assert_eq!(result.status, SolveStatus::Optimal, "{what}");
            assert!(
                relative_difference(result.objective, 2.0 * objective) < 1e-9,
                "{what}: {} vs {}",
                result.objective,
                2.0 * objective
            );
            for year in [2030, 2040] {
                assert!(
                    (capacity(&result, "gas", year) - gas).abs() < 1e-6,
                    "{what}: gas in {year}: {}",
                    capacity(&result, "gas", year)
                );
            }
        }
        // Without refuelling the nuclear plant covers the load alone.
        let free = solve_n1(dir.path(), "");
        assert!(capacity(&free, "gas", 2030).abs() < 1e-6);
    }
}

/// The planning builder's recorded answer for the network in `dir` with `plan`
/// ([`super::reference`]), its units read from the network's MILP attributes (`mip_rel_gap = 0`).
fn builder_plan_of(dir: &Path, plan: &str) -> super::reference::Recorded {
    super::reference::builder(dir, plan)
}

/// A plan of one period whose families are rows over the network's own columns goes to the
/// core's builder (`planning/network.rs::solve_network`, a network without periods as one
/// period): it carries the core's results, and gives the hand-derived objectives of the N-1
/// and refuelling cases in one period, equal to the planning builder's on the same network and
/// plan (which the plans of one period that set unit sizes or operating modes still take).
#[test]
fn plans_of_one_period_on_the_core_equal_the_hand_derived_cases_and_the_planning_builder() {
    let with_import = format!("{N1_AREA}interconnector_reserve_mw = 1100\n");
    let large_exempt = format!("{N1_AREA}[units.large]\ncontingency = false\n");
    let gas_contingency = format!("{N1_AREA}[units.gas]\ncontingency = true\n");
    let margin = "[[areas]]\nname = \"grid\"\nbuses = [\"grid\"]\nreserve_margin = 0.2\n\
                  [[capacity_limits]]\nname = \"few modules\"\ngenerators = [\"smr\"]\nmax_mw = 550\n";
    let n1 = |gas_committable: bool| {
        let dir = tempfile::tempdir().unwrap();
        n1_periods(dir.path(), &[], gas_committable);
        dir
    };
    let refuelling = |committable: bool| {
        let dir = tempfile::tempdir().unwrap();
        refuelling_network(dir.path(), &[], committable);
        dir
    };
    let staggered =
        "[units.nuclear]\nrefuelling = { cycle_months = 12, outage_days = 30, schedule = \"staggered\" }\n";
    let simultaneous =
        "[units.nuclear]\nrefuelling = { cycle_months = 12, outage_days = 30, schedule = \"simultaneous\" }\n";
    let cases: Vec<(tempfile::TempDir, &str, Option<f64>)> = vec![
        (n1(false), "", Some(950.4e6)),
        (n1(false), N1_AREA, Some(997.752e6)),
        (n1(false), &with_import, Some(950.4e6)),
        (n1(false), &large_exempt, Some(950.4e6)),
        (n1(true), N1_AREA, Some(997.752e6)),
        (n1(true), &gas_contingency, Some(998.844e6)),
        (n1(false), margin, None),
        (refuelling(true), staggered, Some(133.8e6)),
        (refuelling(true), simultaneous, Some(229.32e6)),
        (refuelling(false), staggered, Some(133.8e6)),
        (refuelling(false), simultaneous, Some(229.32e6)),
    ];
    for (dir, plan, by_hand) in &cases {
        let core = solve_n1(dir.path(), plan);
        assert_eq!(core.status, SolveStatus::Optimal, "{plan}");
        assert!(core.network_results.is_some(), "{plan}");
        assert!(core.capacities.iter().all(|c| c.period.is_none()), "{plan}");
        if let Some(objective) = by_hand {
            assert!(
                relative_difference(core.objective, *objective) < 1e-9,
                "{plan}: {} vs {objective} by hand",
                core.objective
            );
        }
        let builder = builder_plan_of(dir.path(), plan);
        assert!(
            relative_difference(core.objective, builder.objective) < 1e-9,
            "{plan}: core {} vs planning builder {}",
            core.objective,
            builder.objective
        );
    }
}
