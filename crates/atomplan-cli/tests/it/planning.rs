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

/// The JSON a successful command printed.
fn json(out: &std::process::Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
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
    assert_eq!(v["status"], "optimal");
    assert!(v["objective"].as_f64().unwrap() > 0.0);
    assert_eq!(v["mip_gap"].as_f64(), Some(0.0));
    assert!(v["planning"]["integer_variables"].as_u64().unwrap() > 0);
    assert!(v["planning"]["capacities"]
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
/// `[solver]`) and refuses an unknown HiGHS option before solving.
#[test]
fn planning_honours_threads_and_solver_options() {
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
    assert_eq!(v["status"], "time_limit", "{v}");
    let bad = solve(&["--solver-option", "no_such_option=1"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no_such_option"));
}

/// One solve command: with `--planning` the JSON has every top-level key of a plain solve of
/// the same folder (and the planning blocks under `planning`), `--write-lp` writes the planning
/// model with structured names, `--out` writes PyPSA's layout, and an LP goes to HiPO by
/// default like the core while `--solver-option solver=simplex` switches to simplex.
#[test]
fn planning_json_keys_write_lp_out_and_solver_choice_match_a_plain_solve() {
    let folder = fixture("planning/toy-1node-24-nostorage");
    let plain = json(&run(&["solve", &folder, "--format", "json"]));
    let dir = tempfile::tempdir().unwrap();
    let lp = dir.path().join("plan.lp");
    let out_dir = dir.path().join("out");
    let planned = json(&run(&[
        "solve",
        &folder,
        "--planning",
        &fixture("planning/n1.toml"),
        "--format",
        "json",
        "--write-lp",
        lp.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]));
    let keys =
        |v: &serde_json::Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    for key in keys(&plain) {
        assert!(
            planned.get(&key).is_some(),
            "`{key}` missing from {planned}"
        );
    }
    for key in keys(&plain["timings"]).iter().chain(&keys(&plain["size"])) {
        assert!(
            planned["timings"].get(key).is_some() || planned["size"].get(key).is_some(),
            "`{key}` missing"
        );
    }
    assert!(planned["planning"]["capacities"].is_array());
    assert_eq!(
        planned["size"]["cols"], planned["planning"]["variables"],
        "{planned}"
    );
    let text = std::fs::read_to_string(&lp).unwrap();
    // The plan of one period with the file's units is the core's model (`one_period.rs`): the
    // SMR's units are the core's module count.
    assert!(
        text.contains("Generator_n_mod(SMR)"),
        "{}",
        &text[..text.len().min(400)]
    );
    assert!(text.contains("Area_contingency("));
    assert!(text.contains("general"), "integer units are declared");
    let generators = std::fs::read_to_string(out_dir.join("generators.csv")).unwrap();
    assert!(generators.lines().next().unwrap().contains("p_nom_opt"));
    let smr = planned["generators"]["SMR"].as_f64().unwrap();
    let row = generators
        .lines()
        .find(|l| l.starts_with("SMR,"))
        .unwrap()
        .to_owned();
    assert!(
        row.ends_with(&format!(",{smr}")) || row.contains(&format!(",{smr},")),
        "{row} vs {smr}"
    );
    assert!(out_dir.join("generators-p.csv").is_file());
    assert!(out_dir.join("planning-capacities.csv").is_file());

    // An empty planning file is an LP: HiPO by default, simplex when asked, same optimum.
    let empty = dir.path().join("empty.toml");
    std::fs::write(&empty, "").unwrap();
    let ipm = json(&run(&[
        "solve",
        &folder,
        "--planning",
        empty.to_str().unwrap(),
        "--format",
        "json",
    ]));
    let simplex = json(&run(&[
        "solve",
        &folder,
        "--planning",
        empty.to_str().unwrap(),
        "--format",
        "json",
        "--solver-option",
        "solver=simplex",
    ]));
    assert!(
        ipm["planning"]["ipm_iterations"].as_i64().unwrap() > 0,
        "{ipm}"
    );
    assert_eq!(
        simplex["planning"]["ipm_iterations"].as_i64(),
        Some(0),
        "{simplex}"
    );
    assert!(simplex["planning"]["simplex_iterations"].as_i64().unwrap() > 0);
    let (a, b, core) = (
        ipm["objective"].as_f64().unwrap(),
        simplex["objective"].as_f64().unwrap(),
        plain["objective"].as_f64().unwrap(),
    );
    assert!(
        (a - core).abs() <= 1e-6 * core && (b - core).abs() <= 1e-6 * core,
        "{a} {b} {core}"
    );
}

/// An infeasible plan exits 1 and explains itself with the core's diagnosis shape: the policy
/// row that had to be relaxed, its family and key, and by how much (here 1,000 MW of nuclear
/// asked for against the 300 + 200 MW the network allows: 500 MW short).
#[test]
fn infeasible_plan_names_the_row_family_and_shortfall() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("target.toml");
    std::fs::write(
        &plan,
        "[[capacity_limits]]\nname = \"nuclear-target\"\ngenerators = [\"nuclear\", \"SMR\"]\nmin_mw = 1000\n",
    )
    .unwrap();
    let out = run(&[
        "solve",
        &fixture("planning/toy-1node-24-nostorage"),
        "--planning",
        plan.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["status"], "infeasible");
    let finding = &v["diagnosis"][0];
    assert_eq!(finding["family"], "Capacity-limit", "{v}");
    assert!(
        finding["component"]
            .as_str()
            .unwrap()
            .starts_with("nuclear-target"),
        "{finding}"
    );
    assert!(
        (finding["amount"].as_f64().unwrap() - 500.0).abs() < 1e-6,
        "{finding}"
    );
    assert_eq!(v["planning"]["diagnosis"]["findings"][0], *finding);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Capacity-limit[nuclear-target"), "{err}");
}

/// `solve --planning` on a network with investment periods: with an empty planning file the
/// JSON's top-level values are the plain solve's (the same model), the per-period capacities
/// are under `planning`, `--out` writes PyPSA's multi-period layout and `--write-lp` the LP; a
/// key the planning model builds on its own periods only is refused by name with exit 2.
#[test]
fn planning_on_a_multi_period_network_equals_the_plain_solve() {
    let folder = fixture("multi-period/three-decades");
    let plain = json(&run(&["solve", &folder, "--format", "json"]));
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.toml");
    std::fs::write(&empty, "").unwrap();
    let out_dir = dir.path().join("out");
    let lp = dir.path().join("plan.lp");
    let planned = json(&run(&[
        "solve",
        &folder,
        "--planning",
        empty.to_str().unwrap(),
        "--format",
        "json",
        "--out",
        out_dir.to_str().unwrap(),
        "--write-lp",
        lp.to_str().unwrap(),
    ]));
    let (ours, core) = (
        planned["objective"].as_f64().unwrap(),
        plain["objective"].as_f64().unwrap(),
    );
    assert!((ours - core).abs() <= 1e-6 * core, "{ours} vs {core}");
    for key in ["generators", "storage_units", "links", "lines"] {
        let (a, b) = (&planned[key], &plain[key]);
        for (name, value) in b.as_object().unwrap() {
            let (x, y) = (a[name].as_f64().unwrap(), value.as_f64().unwrap());
            assert!(
                (x - y).abs() <= 1e-6 * y.abs().max(1.0),
                "{key}.{name}: {x} vs {y}"
            );
        }
    }
    assert_eq!(
        planned["planning"]["capacities"].as_array().unwrap().len(),
        15,
        "5 generators in 3 periods"
    );
    // PyPSA's layout of a multi-period network: series on the flat snapshot index (72 rows),
    // the period level in `snapshots.csv`.
    let dispatch = std::fs::read_to_string(out_dir.join("generators-p.csv")).unwrap();
    assert_eq!(dispatch.lines().count(), 1 + 72);
    let snapshots = std::fs::read_to_string(out_dir.join("snapshots.csv")).unwrap();
    assert!(snapshots.lines().next().unwrap().contains("period"));
    let generators = std::fs::read_to_string(out_dir.join("generators.csv")).unwrap();
    assert!(generators.lines().next().unwrap().contains("p_nom_opt"));
    assert!(std::fs::read_to_string(&lp)
        .unwrap()
        .contains("Generator_p_nom(gas)"));

    let units = dir.path().join("units.toml");
    std::fs::write(&units, "[units.nuclear]\nunit_size_mw = 120\n").unwrap();
    let refused = run(&["solve", &folder, "--planning", units.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("units.nuclear") && stderr.contains("investment periods"),
        "{stderr}"
    );
}
