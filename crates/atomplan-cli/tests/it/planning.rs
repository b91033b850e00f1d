//! Issue 5: `atomplan solve <folder> --planning FILE.toml`.

use std::path::PathBuf;

use crate::common::run;

fn fixture(path: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../atomplan-model/tests/fixtures")
        .join(path)
        .display()
        .to_string()
}

#[test]
fn planning_json_reports_status_objective_and_gap() {
    let out = run(&[
        "solve",
        &fixture("planning/toy-1node-24-nostorage"),
        "--planning",
        &fixture("planning/n1.toml"),
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["status"], "Optimal");
    assert!(v["objective"].as_f64().unwrap() > 0.0);
    assert_eq!(v["mip_gap"].as_f64(), Some(0.0));
    assert!(v["integer_variables"].as_u64().unwrap() > 0);
    assert!(v["capacities"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["generator"] == "SMR"));
}

#[test]
fn bad_planning_file_exits_2_naming_file_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("bad.toml");
    std::fs::write(&plan, "[units.SMR]\nunit_size_mw = -5\n").unwrap();
    let out = run(&[
        "solve",
        &fixture("planning/toy-1node-24-nostorage"),
        "--planning",
        plan.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.toml") && err.contains("units.SMR.unit_size_mw"),
        "{err}"
    );
}

#[test]
fn pypsa_milp_network_solves_without_a_planning_file() {
    let out = run(&[
        "solve",
        &fixture("planning/pypsa-modular"),
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let reference: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("planning/pypsa/modular.pypsa.json")).unwrap(),
    )
    .unwrap();
    let (got, want) = (
        v["objective"].as_f64().unwrap(),
        reference["objective"].as_f64().unwrap(),
    );
    assert!((got - want).abs() < 1e-6 * want, "{got} vs PyPSA {want}");
}

/// `solve --planning` honours `--threads` and `--solver-option` (applied after the file's
/// `[solver]`), refuses an unknown HiGHS option before solving, and refuses the flags the
/// planning model cannot serve yet instead of dropping them.
#[test]
fn planning_honours_threads_and_solver_options_and_refuses_what_it_cannot_write() {
    let folder = fixture("planning/toy-1node-24-nostorage");
    let plan = fixture("planning/n1.toml");
    let solve = |extra: &[&str]| {
        let mut args = vec!["solve", &folder, "--planning", &plan, "--format", "json"];
        args.extend_from_slice(extra);
        run(&args)
    };
    let objective = |out: &std::process::Output| {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["objective"].as_f64().unwrap()
    };
    let base = objective(&solve(&[]));
    let other = objective(&solve(&[
        "--threads",
        "2",
        "--solver-option",
        "solver=simplex",
    ]));
    assert!(
        (base - other).abs() <= 1e-6 * base.abs(),
        "{base} vs {other}"
    );
    // The option reaches HiGHS: no time at all stops it at the time limit.
    let stopped = solve(&["--solver-option", "time_limit=0"]);
    let v: serde_json::Value = serde_json::from_slice(&stopped.stdout).unwrap();
    assert_eq!(v["status"], "TimeLimit", "{v}");
    let bad = solve(&["--solver-option", "no_such_option=1"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no_such_option"));
    let dir = tempfile::tempdir().unwrap();
    let lp = dir.path().join("plan.lp");
    let refused = solve(&["--write-lp", lp.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr)
        .contains("--write-lp is not available with --planning"));
    assert!(!lp.exists());
}
