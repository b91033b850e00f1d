//! Investment periods as a level of the snapshot axis (PyPSA's multi-investment optimisation):
//! objective, capacities and prices against PyPSA 1.4's `optimize(multi_investment_periods=True)`
//! with HiGHS, within 1e-6 relative; and the combinations the core refuses, named.
//!
//! The networks and PyPSA's results are written by `tests/fixtures/multi-period/make_fixtures.py`.

use crate::pypsa_reference::{assert_capacities_equal, relative_difference};
use std::path::{Path, PathBuf};

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
