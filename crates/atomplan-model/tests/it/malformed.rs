//! Malformed folders fail with the file and column named; unsupported data is refused or warned.

use std::path::{Path, PathBuf};

use atomplan_model::pypsa::read_folder;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A copy of `toy-1node-24` with `file` replaced by `content`.
fn folder_with(file: &str, content: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(fixture("toy-1node-24")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    std::fs::write(dir.path().join(file), content).unwrap();
    dir
}

/// Reading fails and the message names `file` and `column`.
fn check_error(file: &str, content: &str, expected: &[&str]) {
    let dir = folder_with(file, content);
    let error = read_folder(dir.path()).unwrap_err().to_string();
    for part in expected {
        assert!(error.contains(part), "`{error}` should contain `{part}`");
    }
}

fn warnings_of(dir: &Path) -> Vec<String> {
    read_folder(dir)
        .unwrap()
        .warnings
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn a_bad_number_names_file_line_and_column() {
    check_error(
        "generators.csv",
        "name,bus,p_nom\ncoal,bus,lots\n",
        &["generators.csv:2", "p_nom", "lots"],
    );
}

#[test]
fn an_unknown_bus_is_named() {
    check_error(
        "loads.csv",
        "name,bus\nload,nowhere\n",
        &["loads.csv", "bus", "nowhere"],
    );
}

#[test]
fn a_missing_required_column_is_named() {
    check_error("loads.csv", "name\nload\n", &["loads.csv", "bus"]);
}

#[test]
fn a_short_time_series_is_refused() {
    check_error(
        "loads-p_set.csv",
        ",load\n0,1.0\n",
        &["loads-p_set.csv", "snapshots"],
    );
}

#[test]
fn a_series_for_an_unknown_component_is_refused() {
    let mut content = String::from(",ghost\n");
    for t in 0..24 {
        content.push_str(&format!("{t},1.0\n"));
    }
    check_error("loads-p_set.csv", &content, &["loads-p_set.csv", "ghost"]);
}

#[test]
fn a_bad_boolean_is_named() {
    check_error(
        "storage_units.csv",
        "name,bus,cyclic_state_of_charge\nbattery,bus,maybe\n",
        &["storage_units.csv", "cyclic_state_of_charge", "maybe"],
    );
}

#[test]
fn unsupported_components_are_refused_by_name() {
    check_error("stores.csv", "name,bus\nh2,bus\n", &["stores.csv", "Store"]);
    check_error(
        "generators.csv",
        "name,bus,marginal_cost_quadratic\ncoal,bus,0.1\n",
        &[
            "generators.csv",
            "marginal_cost_quadratic",
            "quadratic costs",
        ],
    );
    check_error(
        "global_constraints.csv",
        "name,type,constant\nlimit,transmission_volume_expansion_limit,1\n",
        &["global_constraints.csv", "type"],
    );
}

#[test]
fn ignored_attributes_are_warned_about() {
    let dir = folder_with(
        "generators.csv",
        "name,bus,p_nom,e_sum_max\ncoal,bus,2000,0.5\n",
    );
    std::fs::remove_file(dir.path().join("generators-p_max_pu.csv")).unwrap();
    let warnings = warnings_of(dir.path());
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("generators.csv") && w.contains("e_sum_max")),
        "{warnings:?}"
    );
}

#[test]
fn reference_networks_read_without_warnings() {
    for name in ["toy-1node-24", "toy-2node-168", "kz-1node-8760"] {
        let warnings = warnings_of(&fixture(name));
        assert!(warnings.is_empty(), "{name}: {warnings:?}");
    }
}

#[test]
fn global_constraint_defaults_follow_pypsa() {
    let dir = folder_with("global_constraints.csv", "name,constant\nCO2Limit,5230.0\n");
    let network = read_folder(dir.path()).unwrap().network;
    // Absent `sense` is PyPSA's default `==`.
    assert_eq!(
        network.global_constraints[0].sense,
        atomplan_model::network::ConstraintSense::Equal
    );
}

/// Issue 16: a network too large for the machine ran for minutes and died inside HiGHS with a
/// bare `Error`. With a memory limit below the estimate, the solve is refused before HiGHS
/// starts, naming the estimate, the non-zeros and the memory available; without a limit (and
/// with a generous one) the same folder solves.
#[test]
fn a_solve_estimated_above_the_memory_limit_is_refused_before_highs_starts() {
    use atomplan_model::{solve_folder, Error, RunOptions, SolveStatus};
    let folder = fixture("toy-2node-168");
    let refused = solve_folder(
        &folder,
        &RunOptions {
            memory_limit_bytes: Some(1024),
            ..RunOptions::default()
        },
    )
    .unwrap_err();
    let text = refused.to_string();
    assert!(matches!(refused, Error::Memory { .. }), "{text}");
    for part in ["GiB", "non-zeros", "available"] {
        assert!(text.contains(part), "`{text}` should contain `{part}`");
    }
    let solved = solve_folder(
        &folder,
        &RunOptions {
            memory_limit_bytes: Some(64 * 1024 * 1024 * 1024),
            ..RunOptions::default()
        },
    )
    .unwrap();
    assert_eq!(solved.results.status, SolveStatus::Optimal);
}
