//! `atomplan solve`: JSON keys, exit codes, results folder, LP file, diagnoses.

use std::path::{Path, PathBuf};

use crate::common::run;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../atomplan-model/tests/fixtures")
        .join(name)
}

fn copy_of(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(fixture(name)).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    dir
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Runs `atomplan solve` with `args` and checks the exit code; returns (stdout, stderr).
fn check(args: &[&str], expected_code: i32) -> (String, String) {
    let mut full = vec!["solve"];
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

#[test]
fn json_output_has_the_documented_keys() {
    let folder = fixture("toy-1node-24");
    let (stdout, _) = check(&[path(&folder), "--format", "json"], 0);
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(value["status"], "optimal");
    let objective = value["objective"].as_f64().unwrap();
    assert!((objective - 902_699.51).abs() < 0.01, "{objective}");
    for key in ["generators", "storage_units", "links", "lines"] {
        assert!(value[key].is_object(), "{key}");
    }
    assert!(value["generators"]["CCGT"].is_number());
    assert!(value["co2_t"].is_number());
    for key in ["read_s", "build_s", "solve_s", "write_s", "total_s"] {
        assert!(value["timings"][key].is_number(), "{key}");
    }
    for key in ["rows", "cols", "nnz"] {
        assert!(value["size"][key].as_u64().unwrap() > 0, "{key}");
    }
}

#[test]
fn threads_and_solver_options_are_accepted() {
    let folder = fixture("toy-1node-24");
    let (one, _) = check(&[path(&folder), "--format", "json", "--threads", "1"], 0);
    let (two, _) = check(
        &[
            path(&folder),
            "--format",
            "json",
            "--threads",
            "2",
            "--solver-option",
            "primal_feasibility_tolerance=1e-7",
        ],
        0,
    );
    let one: serde_json::Value = serde_json::from_str(&one).unwrap();
    let two: serde_json::Value = serde_json::from_str(&two).unwrap();
    assert_eq!(one["objective"], two["objective"]);
    assert_eq!(one["generators"], two["generators"]);
}

#[test]
fn an_unknown_solver_option_is_an_input_error() {
    let folder = fixture("toy-1node-24");
    let (_, stderr) = check(&[path(&folder), "--solver-option", "no_such_option=1"], 2);
    assert!(stderr.contains("no_such_option"), "{stderr}");
}

#[test]
fn results_folder_has_pypsa_layout() {
    let folder = fixture("toy-2node-168");
    let out = tempfile::tempdir().unwrap();
    check(&[path(&folder), "--out", path(out.path())], 0);
    let generators = std::fs::read_to_string(out.path().join("generators.csv")).unwrap();
    assert!(generators.lines().next().unwrap().ends_with("p_nom_opt"));
    let series = std::fs::read_to_string(out.path().join("generators-p.csv")).unwrap();
    assert_eq!(series.lines().count(), 169);
    for file in [
        "links-p0.csv",
        "lines-p0.csv",
        "storage_units-state_of_charge.csv",
        "buses-marginal_price.csv",
        "snapshots.csv",
    ] {
        assert!(out.path().join(file).is_file(), "{file}");
    }
}

#[test]
fn write_lp_uses_structured_names() {
    let folder = fixture("toy-1node-24");
    let out = tempfile::tempdir().unwrap();
    let lp = out.path().join("model.lp");
    check(&[path(&folder), "--write-lp", path(&lp)], 0);
    let text = std::fs::read_to_string(lp).unwrap();
    // `Generator-p[CCGT,0]` made readable by HiGHS's LP reader.
    assert!(text.contains("Generator_p(CCGT,0)"));
    assert!(text.contains("Bus_balance(bus,0)"));
    assert!(text.contains("GlobalConstraint(CO2Limit)"));
}

#[test]
fn infeasible_model_exits_1_with_bus_and_snapshot() {
    let dir = copy_of("toy-1node-24");
    // Only the existing coal plant may run: 400 MW against a ~950 MW load.
    std::fs::write(
        dir.path().join("generators.csv"),
        "name,bus,p_nom,carrier,marginal_cost\ncoal-existing,bus,400.0,coal,22.4\n",
    )
    .unwrap();
    std::fs::remove_file(dir.path().join("generators-p_max_pu.csv")).unwrap();
    std::fs::remove_file(dir.path().join("storage_units.csv")).unwrap();
    let (stdout, stderr) = check(&[path(dir.path()), "--format", "json"], 1);
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(value["status"], "infeasible");
    assert_eq!(value["diagnosis"][0]["family"], "Bus-balance");
    assert_eq!(value["diagnosis"][0]["bus"], "bus");
    assert!(stderr.contains("Bus-balance"), "{stderr}");
    assert!(stderr.contains("2030-01-15"), "{stderr}");
}

#[test]
fn impossible_co2_cap_exits_1_naming_the_constraint() {
    let dir = copy_of("toy-1node-24");
    std::fs::write(
        dir.path().join("global_constraints.csv"),
        "name,sense,constant\nCO2Limit,<=,-1.0\n",
    )
    .unwrap();
    let (_, stderr) = check(&[path(dir.path())], 1);
    assert!(
        stderr.contains("GlobalConstraint") && stderr.contains("CO2Limit"),
        "{stderr}"
    );
}

#[test]
fn malformed_folder_exits_2_naming_file_and_column() {
    let dir = copy_of("toy-1node-24");
    std::fs::write(dir.path().join("loads.csv"), "name,bus\nload,nowhere\n").unwrap();
    let (_, stderr) = check(&[path(dir.path())], 2);
    assert!(
        stderr.contains("loads.csv") && stderr.contains("bus"),
        "{stderr}"
    );
}

#[test]
fn missing_folder_exits_2() {
    check(&["/nonexistent/atomplan/folder"], 2);
}

/// `--format csv` gives `field,value` rows of the same result, not text or JSON.
#[test]
fn csv_output_is_field_value_rows() {
    let folder = fixture("toy-1node-24");
    let (stdout, _) = check(&[path(&folder), "--format", "csv"], 0);
    let mut lines = stdout.lines();
    assert_eq!(lines.next(), Some("field,value"));
    let objective: f64 = stdout
        .lines()
        .find_map(|line| line.strip_prefix("objective,"))
        .expect("an objective row")
        .parse()
        .unwrap();
    assert!((objective - 902_699.51).abs() < 0.01, "{objective}");
    assert!(stdout
        .lines()
        .any(|line| line.starts_with("generators.CCGT,")));
}

/// Issue 16: a year-long solve used to run in silence. With progress every second, the
/// 8,760-hour network (HiPO takes several seconds on it) reports its elapsed time and HiGHS's
/// latest log line on stderr while it runs, and `-q` silences it.
#[test]
fn long_solves_report_progress_on_stderr() {
    let folder = fixture("kz-1node-8760");
    let output = crate::common::atomplan()
        .args(["solve", path(&folder)])
        .env("ATOMPLAN_PROGRESS_EVERY_S", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let beats: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("solving: ") && l.contains(" s so far"))
        .collect();
    assert!(!beats.is_empty(), "no progress line: {stderr}");
    assert!(beats.iter().any(|l| l.contains("; HiGHS: ")), "{stderr}");
    let quiet = crate::common::atomplan()
        .args(["-q", "solve", path(&folder)])
        .env("ATOMPLAN_PROGRESS_EVERY_S", "1")
        .output()
        .unwrap();
    assert_eq!(quiet.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&quiet.stderr).contains("so far"));
}

/// `-v` makes the libraries' `tracing` events visible (the solver's status, size and time);
/// without it, and with `-q`, stderr has none of them.
#[test]
fn verbose_shows_the_solver_events_and_quiet_hides_them() {
    let folder = fixture("toy-2node-168");
    let solve = |flags: &[&str]| {
        let output = crate::common::atomplan()
            .args(flags)
            .args(["solve", path(&folder)])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0));
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let verbose = solve(&["-v"]);
    let event = verbose
        .lines()
        .find(|l| l.contains("HiGHS solve ended"))
        .unwrap_or_else(|| panic!("no solver event with -v: {verbose}"));
    assert!(
        event.contains("status=Optimal") && event.contains("rows="),
        "{event}"
    );
    assert!(!solve(&[]).contains("HiGHS solve ended"));
    assert!(!solve(&["-q", "-v"]).contains("HiGHS solve ended"));
}
