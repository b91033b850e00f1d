//! `atomplan solve` on PyPSA networks with MILP attributes (`committable`, `p_nom_mod`, ramp
//! limits): solved by the core model, with `mip_gap` in the JSON and PyPSA's objective.

use std::path::PathBuf;

use crate::common::run;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../atomplan-model/tests/fixtures/milp")
        .join(name)
}

/// Runs `atomplan solve <fixture> args…`, checks the exit code and returns (stdout, stderr).
fn check(name: &str, args: &[&str], expected_code: i32) -> (String, String) {
    let folder = fixture(name);
    let mut full = vec!["solve", folder.to_str().unwrap()];
    full.extend_from_slice(args);
    let output = run(&full);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(
        output.status.code(),
        Some(expected_code),
        "stdout: {stdout}\nstderr: {stderr}"
    );
    (stdout, stderr)
}

fn pypsa_objective(name: &str) -> f64 {
    let text = std::fs::read_to_string(fixture(&format!("{name}.pypsa.json"))).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    value["objective"].as_f64().unwrap()
}

#[test]
fn milp_json_has_objective_and_mip_gap() {
    let (stdout, _) = check(
        "mixed",
        &["--format", "json", "--solver-option", "mip_rel_gap=0"],
        0,
    );
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(value["status"], "optimal");
    let objective = value["objective"].as_f64().unwrap();
    let want = pypsa_objective("mixed");
    assert!(
        (objective - want).abs() <= 1e-6 * want.abs(),
        "{objective} vs PyPSA {want}"
    );
    let gap = value["mip_gap"].as_f64().unwrap();
    assert!((0.0..=1e-9).contains(&gap), "{gap}");
    // The keys of the LP output are all there.
    for key in [
        "generators",
        "storage_units",
        "links",
        "lines",
        "co2_t",
        "timings",
        "size",
    ] {
        assert!(!value[key].is_null(), "{key}");
    }
    assert!(value["generators"]["smr"].as_f64().unwrap() % 60.0 < 1e-6);
}

#[test]
fn lp_json_reports_a_zero_mip_gap() {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../atomplan-model/tests/fixtures/toy-1node-24");
    let output = run(&["solve", folder.to_str().unwrap(), "--format", "json"]);
    assert!(output.status.success());
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["mip_gap"].as_f64(), Some(0.0));
}

#[test]
fn milp_text_output_reports_the_gap() {
    let (stdout, _) = check("uc-updown", &[], 0);
    assert!(stdout.contains("mip_gap:"), "{stdout}");
}

#[test]
fn infeasible_commitment_exits_1_naming_the_family() {
    let (_, stderr) = check("infeasible-uc", &[], 1);
    assert!(stderr.contains("infeasible"), "{stderr}");
    assert!(stderr.contains("Generator-com-up-time"), "{stderr}");
    assert!(
        stderr.contains("`coal`") && stderr.contains("min_up_time"),
        "{stderr}"
    );
}
