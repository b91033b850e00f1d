//! `atomplan assess`: published worked examples and bad input through the binary.

use serde_json::Value;

use crate::common;

const TOLERANCE: f64 = 1e-6;

fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/assess/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// Runs `atomplan assess <sub> --case <fixture> --format json`; returns (exit code, JSON, stderr).
fn run_case(subcommand: &str, name: &str) -> (i32, Value, String) {
    let path = fixture(name);
    let output = common::run(&["assess", subcommand, "--case", &path, "--format", "json"]);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (output.status.code().unwrap_or(-1), json, stderr)
}

/// Checks an MCDA case: exit 0, scores by name within `TOLERANCE`, and the ranking.
fn check(name: &str, expected_scores: &[(&str, f64)], expected_ranking: &[&str]) -> Value {
    let (code, json, stderr) = run_case("mcda", name);
    assert_eq!(code, 0, "{name}: {stderr}");
    for (alternative, expected) in expected_scores {
        let actual = json["scores"][alternative].as_f64().unwrap_or(f64::NAN);
        assert!(
            (actual - expected).abs() <= TOLERANCE,
            "{name}: {alternative} = {actual}, expected {expected}"
        );
    }
    let ranking: Vec<&str> = json["ranking"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(ranking, expected_ranking, "{name}");
    json
}

/// Checks that a bad case exits 2 and that stderr names the file and every `needles`.
fn check_bad(name: &str, needles: &[&str]) {
    let (code, _, stderr) = run_case("mcda", name);
    assert_eq!(code, 2, "{name}: {stderr}");
    assert!(
        stderr.contains(name),
        "{name}: stderr does not name the file: {stderr}"
    );
    for needle in needles {
        assert!(
            stderr.contains(needle),
            "{name}: stderr does not contain `{needle}`: {stderr}"
        );
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn e4_topsis_vector() {
    check(
        "e4_topsis_vector.toml",
        &[
            ("A1", 0.629_023),
            ("A2", 0.0),
            ("A3", 0.773_889),
            ("A4", 1.0),
        ],
        &["A4", "A3", "A1", "A2"],
    );
}

#[test]
fn e4_topsis_min_max() {
    check(
        "e4_topsis_min_max.toml",
        &[
            ("A1", 0.612_574),
            ("A2", 0.0),
            ("A3", 0.782_871),
            ("A4", 1.0),
        ],
        &["A4", "A3", "A1", "A2"],
    );
}

#[test]
fn e3_ahp_drinks() {
    let json = check(
        "e3_ahp_drinks.toml",
        &[
            ("Coffee", 0.177_457),
            ("Wine", 0.019_149),
            ("Tea", 0.041_831),
            ("Beer", 0.116_417),
            ("Soda", 0.189_572),
            ("Milk", 0.128_781),
            ("Water", 0.326_793),
        ],
        &["Water", "Soda", "Coffee", "Milk", "Beer", "Tea", "Wine"],
    );
    let node = &json["nodes"][1];
    assert_eq!(node["node"], "consumption");
    assert!((node["lambda_max"].as_f64().unwrap() - 7.176_629).abs() < TOLERANCE);
    assert!((node["ci"].as_f64().unwrap() - 0.029_438).abs() < TOLERANCE);
    assert!((node["cr"].as_f64().unwrap() - 0.022_302).abs() < TOLERANCE);
    assert_eq!(json["criteria_weights"]["consumption"], 1.0);
}

#[test]
fn ahp_two_level_hierarchy() {
    let json = check(
        "ahp_two_level.toml",
        &[("A", 0.3125), ("B", 0.6875)],
        &["B", "A"],
    );
    assert!((json["criteria_weights"]["cost"].as_f64().unwrap() - 0.75).abs() < TOLERANCE);
    assert!((json["criteria_weights"]["fuel"].as_f64().unwrap() - 0.125).abs() < TOLERANCE);
    assert!((json["lambda_max"].as_f64().unwrap() - 2.0).abs() < TOLERANCE);
    assert_eq!(json["cr"], 0.0);
}

#[test]
fn promethee2_usual_and_linear() {
    let json = check(
        "promethee_usual.toml",
        &[
            ("A1", 1.0 / 6.0),
            ("A2", -8.0 / 9.0),
            ("A3", 1.0 / 9.0),
            ("A4", 11.0 / 18.0),
        ],
        &["A4", "A1", "A3", "A2"],
    );
    assert!((json["positive_flows"]["A4"].as_f64().unwrap() - 11.0 / 18.0).abs() < TOLERANCE);
}

#[test]
fn weights_not_summing_to_one_are_normalised_with_a_warning() {
    let (code, json, stderr) = run_case("mcda", "weights_not_normalised.toml");
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("warning") && stderr.contains("normalised"),
        "{stderr}"
    );
    assert!((json["scores"]["A1"].as_f64().unwrap() - 0.629_023).abs() < TOLERANCE);
    assert_eq!(json["criteria_weights"]["c1"], 0.5);
}

#[test]
fn weight_analysis() {
    let json = check(
        "wsm_analysis.toml",
        &[("A", 0.85), ("B", 0.65)],
        &["A", "B"],
    );
    let sensitivity = &json["weight_sensitivity"][0];
    assert!((sensitivity["winner_holds"][0].as_f64().unwrap() - 0.5).abs() < 1e-8);
    assert_eq!(json["monte_carlo"]["samples"], 1000);
    let first = json["monte_carlo"]["rank_acceptability"]["A"][0]
        .as_f64()
        .unwrap();
    assert!((0.4..0.6).contains(&first), "{first}");
}

#[test]
fn bad_shape() {
    check_bad("bad_shape.toml", &["matrix[1]"]);
}

#[test]
fn bad_preference_function() {
    check_bad(
        "bad_preference.toml",
        &["criteria[0].preference", "sigmoid"],
    );
}

#[test]
fn bad_non_reciprocal() {
    check_bad(
        "bad_reciprocal.toml",
        &["ahp.criteria_pairwise", "reciprocal"],
    );
}

#[test]
fn bad_unknown_key() {
    check_bad("bad_unknown_key.toml", &["colour"]);
}

#[test]
fn missing_case_file() {
    let output = common::run(&[
        "assess",
        "mcda",
        "--case",
        "does/not/exist.toml",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("does/not/exist.toml"));
}

/// Runs a non-MCDA subcommand on a fixture; returns the JSON (exit 0 required).
fn run_ok(subcommand: &str, name: &str) -> Value {
    let (code, json, stderr) = run_case(subcommand, name);
    assert_eq!(code, 0, "{subcommand} {name}: {stderr}");
    json
}

fn close(value: &Value, expected: f64, tolerance: f64) -> bool {
    value
        .as_f64()
        .is_some_and(|actual| (actual - expected).abs() <= tolerance)
}

#[test]
fn grid_fit_case() {
    let json = run_ok("grid-fit", "grid_fit_small.toml");
    assert_eq!(json["rule_status"], "exceeds");
    assert!(close(&json["size"][0]["ratio"], 0.557, 1e-12));
    assert_eq!(json["reserve"]["sufficient"], false);
    assert!(close(
        &json["frequency"]["rocof_hz_per_s"],
        1114.0 * 50.0 / (2.0 * 5.0 * 20_000.0),
        1e-12
    ));
    assert!(close(
        &json["ramp"]["plant_ramp_capability_mw_per_h"],
        1114.0 * 0.25 / 100.0 * 60.0,
        1e-9
    ));
}

#[test]
fn adequacy_case_before_after() {
    let json = run_ok("adequacy", "adequacy_two_units.toml");
    assert!(close(&json["before"]["lolp"], 0.19, 0.015), "{json}");
    assert!(json["after"]["lole_h"].as_f64().unwrap() < json["before"]["lole_h"].as_f64().unwrap());
    // Same seed, same answer.
    assert_eq!(json, run_ok("adequacy", "adequacy_two_units.toml"));
}

#[test]
fn security_case() {
    let json = run_ok("security", "security_mix.toml");
    assert!(close(&json["mix_before"]["hhi"], 2_600.0, 1e-9));
    assert!(close(&json["mix_before"]["stirling"], 1.0 - 0.26, 1e-12));
    assert!(close(&json["hhi_change"], 2_500.0 - 2_600.0, 1e-9));
    assert!(close(&json["import_dependence"], 0.5, 1e-12));
    assert!(close(
        &json["suppliers"]["risk_weighted_before"],
        0.8 * 3_600.0,
        1e-9
    ));
    assert_eq!(json["fuel"]["steps"][0]["single_vendor"], true);
    assert!(close(&json["fuel"]["steps"][0]["hhi"], 10_000.0, 1e-9));
}

#[test]
fn security_bad_disparity() {
    let (code, _, stderr) = run_case("security", "bad_security_disparity.toml");
    assert_eq!(code, 2);
    assert!(
        stderr.contains("bad_security_disparity.toml") && stderr.contains("disparity[0][1]"),
        "{stderr}"
    );
}

#[test]
fn emissions_case() {
    let json = run_ok("emissions", "emissions_simple.toml");
    assert_eq!(json["cumulative_mt"], serde_json::json!([10.0, 18.0, 22.0]));
    assert_eq!(json["targets"][0]["met"], false);
    assert_eq!(json["budget_exceeded_in"], 2035);
}

#[test]
fn readiness_case() {
    let json = run_ok("readiness", "readiness_phase2.toml");
    assert_eq!(json["current_phase"], 2);
    assert!(close(&json["overall_completion"], 0.5, 1e-12));
    let p50 = json["years_to_first_power"]["p50"].as_f64().unwrap();
    assert!((5.0..=7.5).contains(&p50), "{p50}");
}

#[test]
fn readiness_unknown_issue() {
    let (code, _, stderr) = run_case("readiness", "bad_readiness_issue.toml");
    assert_eq!(code, 2);
    assert!(stderr.contains("issues.weather"), "{stderr}");
}

#[test]
fn market_case() {
    let json = run_ok("market", "market_small.toml");
    assert_eq!(json["export_projects"], 2);
    assert_eq!(json["total"]["vendors"][0]["vendor_country"], "RU");
    assert!(close(
        &json["total"]["vendors"][0]["share_of_units"],
        4.0 / 6.0,
        1e-12
    ));
}

#[test]
fn catalogue_grid_fit_and_market_run() {
    for args in [
        &[
            "assess",
            "grid-fit",
            "--country",
            "TR",
            "--design",
            "vver-1200",
            "--format",
            "json",
        ][..],
        &["assess", "market", "--format", "json"][..],
        &["assess", "readiness", "--country", "KZ", "--format", "json"][..],
    ] {
        let output = common::run(args);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let json: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert!(json.is_object());
    }
}

// Issue 13: `--format text` is aligned tables a person reads, not dotted `field: value` lines.
#[test]
fn market_text_is_a_table_with_one_row_per_vendor_country() {
    let json: Value =
        serde_json::from_slice(&common::run(&["assess", "market", "--format", "json"]).stdout)
            .unwrap();
    let output = common::run(&["assess", "market"]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    let header = text
        .lines()
        .position(|l| l.starts_with("vendor country"))
        .unwrap_or_else(|| panic!("no vendor table in:\n{text}"));
    assert!(text.lines().nth(header).unwrap().contains("share of units"));
    assert!(text.lines().nth(header + 1).unwrap().starts_with("---"));
    let vendors = json["total"]["vendors"].as_array().unwrap();
    assert!(vendors.len() >= 3, "{vendors:?}");
    for vendor in vendors {
        let code = vendor["vendor_country"].as_str().unwrap();
        let rows: Vec<&str> = text
            .lines()
            .filter(|l| l.split_whitespace().next() == Some(code))
            .collect();
        assert_eq!(rows.len(), 1, "{code}: {rows:?}\n{text}");
        let units = vendor["units"].as_f64().unwrap();
        assert!(
            rows[0].split_whitespace().any(|cell| cell.parse::<f64>().ok() == Some(units)),
            "{code}: units {units} not in `{}`",
            rows[0]
        );
    }
    assert!(!text.contains("vendors[0]"), "{text}");
}

#[test]
fn assess_text_has_no_dotted_field_lines() {
    for args in [
        &["assess", "grid-fit", "--country", "TR", "--design", "vver-1200"][..],
        &["assess", "readiness", "--country", "KZ", "--design", "vver-1200"][..],
    ] {
        let output = common::run(args);
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        let text = String::from_utf8_lossy(&output.stdout);
        for line in text.lines() {
            let dotted = line
                .split_once(": ")
                .is_some_and(|(key, _)| !key.contains(' ') && (key.contains('.') || key.contains('[')));
            assert!(!dotted, "{args:?}: dotted line `{line}`");
        }
        assert!(text.lines().any(|l| l.starts_with("-----")), "{args:?}: no table\n{text}");
    }
}
