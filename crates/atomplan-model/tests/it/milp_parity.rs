//! PyPSA's own MILP attributes (`committable`, up/down times, start-up, shut-down and stand-by
//! costs, ramp limits, `p_nom_mod`) solved by the core model: objective within 1e-6 relative and
//! capacities within 1e-6 of PyPSA 1.4 with HiGHS at `mip_rel_gap=0`.
//!
//! The networks and PyPSA's results are written by `tests/fixtures/milp/make_fixtures.py`.

use crate::pypsa_reference::{assert_capacities_equal, relative_difference};
use std::path::PathBuf;

use atomplan_model::{solve_folder, RunOptions, SolveStatus, SolverSettings};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/milp")
        .join(name)
}

fn options() -> RunOptions {
    RunOptions {
        solver: SolverSettings {
            options: vec![("mip_rel_gap".to_owned(), "0".to_owned())],
            ..SolverSettings::default()
        },
        ..RunOptions::default()
    }
}

fn check(network: &str) {
    let text = std::fs::read_to_string(fixture(&format!("{network}.pypsa.json"))).unwrap();
    let reference: serde_json::Value = serde_json::from_str(&text).unwrap();
    let outcome = solve_folder(&fixture(network), &options()).unwrap();
    assert_eq!(outcome.results.status, SolveStatus::Optimal, "{network}");
    assert!(
        outcome.results.is_mip,
        "{network}: expected integer columns"
    );
    assert!(
        outcome.results.mip_gap <= 1e-9,
        "{network}: gap {}",
        outcome.results.mip_gap
    );
    let objective = reference["objective"].as_f64().unwrap();
    assert!(
        relative_difference(outcome.results.objective, objective) < 1e-6,
        "{network}: objective {} vs PyPSA {objective}",
        outcome.results.objective
    );
    assert_capacities_equal(network, &outcome, &reference);
}

#[test]
fn min_up_and_down_times_with_initial_status() {
    check("uc-updown");
}

#[test]
fn ramp_limits_committable_and_not() {
    check("uc-ramp");
}

#[test]
fn modular_generator_storage_and_link() {
    check("modular");
}

#[test]
fn committable_extendable_and_committable_modular() {
    check("uc-extendable");
}

#[test]
fn committable_link() {
    check("uc-link");
}

#[test]
fn commitment_with_storage_lines_link_and_co2_cap() {
    check("mixed");
}

#[test]
fn infeasible_commitment_is_diagnosed_not_a_panic() {
    let outcome = solve_folder(&fixture("infeasible-uc"), &options()).unwrap();
    assert_ne!(outcome.results.status, SolveStatus::Optimal);
    let diagnosis = outcome.diagnosis.expect("a diagnosis");
    let lines = diagnosis.lines().join("\n");
    assert!(
        diagnosis
            .findings
            .iter()
            .any(|finding| finding.family == "Generator-com-up-time"
                && finding.component.as_deref() == Some("coal")),
        "{lines}"
    );
}

#[test]
fn random_two_bus_networks_with_weightings() {
    for name in ["random-101", "random-107", "random-116"] {
        check(name);
    }
}

#[test]
fn reference_toy_network_with_committable_coal_and_modular_nuclear() {
    check("toy-1node-24-uc");
}

#[test]
fn reference_toy_network_with_committable_extendable_gas() {
    check("toy-1node-24-bigm");
}
