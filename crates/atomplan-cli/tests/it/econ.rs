//! `atomplan econ`: published cases through the CLI, real loan structures, bad input.

use std::path::PathBuf;

use serde_json::Value;

use crate::common;

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/econ")
        .join(name)
        .display()
        .to_string()
}

/// Runs `atomplan econ <args> --format json`, asserts success, returns the JSON.
fn json(args: &[&str]) -> Value {
    let mut full: Vec<&str> = vec!["econ"];
    full.extend_from_slice(args);
    full.extend_from_slice(&["--format", "json"]);
    let output = common::run(&full);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{full:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!stdout.contains("NaN"), "NaN in output");
    serde_json::from_str(&stdout).expect("valid JSON")
}

fn number(value: &Value, key: &str) -> f64 {
    value[key]
        .as_f64()
        .unwrap_or_else(|| panic!("`{key}` missing or not a number in {value}"))
}

/// Checks `lcoe_usd_per_mwh` (and any other listed keys) of a case file against expectations.
fn check(case: &str, expected: &[(&str, f64, f64)]) -> Value {
    let path = fixture(case);
    let value = json(&["lcoe", "--case", &path]);
    for (key, want, tolerance) in expected {
        let got = number(&value, key);
        assert!(
            (got - want).abs() <= *tolerance,
            "{case}: `{key}` = {got}, expected {want} ± {tolerance}"
        );
    }
    value
}

#[test]
fn e1_atb_2024_nuclear_large() {
    check(
        "e1_atb_2024_nuclear_large.toml",
        &[
            ("lcoe_usd_per_mwh", 96.91955170031575, 1e-6),
            ("wacc_nominal", 0.0733640468288208, 1e-12),
            ("wacc_real", 0.04718443593055688, 1e-12),
            ("crf", 0.0629786482470486, 1e-12),
            ("pvd", 0.8246524717364285, 1e-12),
            ("pff", 1.0607789574132014, 1e-12),
            ("fcr", 0.06680642482679695, 1e-12),
            ("capex_usd_per_kw", 7616.358969954001, 1e-8),
        ],
    );
}

#[test]
fn e2_lazard_v13_nuclear_low_within_3_percent() {
    let value = check(
        "e2_lazard_v13_nuclear_low.toml",
        &[
            ("lcoe_usd_per_mwh", 118.0, 0.03 * 118.0),
            ("equity_irr", 0.12, 1e-9),
        ],
    );
    for key in [
        "npv_project_usd",
        "npv_equity_usd",
        "project_irr",
        "min_dscr",
        "average_dscr",
        "payback_years",
    ] {
        assert!(value[key].is_number(), "`{key}` missing");
    }
    assert_eq!(value["cash_flow_table"].as_array().unwrap().len(), 41);
}

#[test]
fn pcge_case_runs() {
    let value = check("pcge_nuclear_7pct.toml", &[]);
    let lcoe = number(&value, "lcoe_usd_per_mwh");
    let parts: f64 = [
        "capital_usd_per_mwh",
        "fixed_om_usd_per_mwh",
        "variable_om_usd_per_mwh",
        "fuel_usd_per_mwh",
        "carbon_usd_per_mwh",
        "decommissioning_usd_per_mwh",
        "refurbishment_usd_per_mwh",
    ]
    .iter()
    .map(|key| number(&value, key))
    .sum();
    assert!((lcoe - parts).abs() < 1e-9);
    assert!(number(&value, "idc_usd_per_kw") > 0.0);
}

#[test]
fn export_loan_structures_are_expressible() {
    for case in [
        "el_dabaa_export_loan.toml",
        "rooppur_export_loan.toml",
        "paks2_state_loan.toml",
    ] {
        let value = check(case, &[("equity_irr", 0.07, 1e-9)]);
        let table = value["cash_flow_table"].as_array().unwrap();
        let principal: f64 = table.iter().map(|row| number(row, "principal_usd")).sum();
        let drawn = number(&value, "debt_drawn_usd");
        let capitalised: f64 = table
            .iter()
            .map(|row| number(row, "interest_capitalised_usd"))
            .sum();
        assert!(
            (principal - drawn - capitalised).abs() < 1.0,
            "{case}: debt not repaid"
        );
        assert!(value["min_dscr"].is_number());
    }
    // Rooppur: the 4 % cap binds on the 5.25 % floating rate (2 % per half-year).
    let value = check("rooppur_export_loan.toml", &[]);
    let table = value["cash_flow_table"].as_array().unwrap();
    let first = table
        .iter()
        .position(|row| number(row, "principal_usd") > 0.0)
        .unwrap();
    let interest = number(&table[first], "interest_paid_usd");
    let balance = number(&table[first - 1], "debt_balance_usd");
    assert!(
        (interest - balance * 0.02).abs() < 1.0,
        "{interest} vs {}",
        balance * 0.02
    );
}

#[test]
fn akkuyu_ppa_solves_the_required_market_price() {
    let value = check("akkuyu_boo_ppa.toml", &[("equity_irr", 0.12, 1e-9)]);
    assert_eq!(value["revenue_basis"], "contracts");
    let required = number(&value, "required_merchant_price_usd_per_mwh");
    assert!(required > 0.0 && required < 123.5);
}

#[test]
fn monte_carlo_is_seeded_and_thread_invariant() {
    let path = fixture("e1_atb_2024_nuclear_large.toml");
    let one = json(&[
        "mc",
        "--case",
        &path,
        "--samples",
        "5000",
        "--seed",
        "11",
        "--threads",
        "1",
    ]);
    let two = json(&[
        "mc",
        "--case",
        &path,
        "--samples",
        "5000",
        "--seed",
        "11",
        "--threads",
        "2",
    ]);
    assert_eq!(
        one["percentiles_usd_per_mwh"],
        two["percentiles_usd_per_mwh"]
    );
    assert_eq!(one["mean_usd_per_mwh"], two["mean_usd_per_mwh"]);
    assert_eq!(one["histogram"], two["histogram"]);
    let p10 = number(&one["percentiles_usd_per_mwh"], "p10");
    let p90 = number(&one["percentiles_usd_per_mwh"], "p90");
    assert!(p10 < p90);
    assert!((number(&one, "lcoe_usd_per_mwh") - 96.91955170031575).abs() < 1e-9);
}

#[test]
fn tornado_from_explicit_inputs_and_from_distributions() {
    let value = json(&[
        "tornado",
        "--case",
        &fixture("e2_lazard_v13_nuclear_low.toml"),
    ]);
    let bars = value["bars"].as_array().unwrap();
    assert_eq!(bars[0]["name"], "total_capital_cost_usd_per_kw");
    let value = json(&[
        "tornado",
        "--case",
        &fixture("e1_atb_2024_nuclear_large.toml"),
    ]);
    assert_eq!(value["bars"].as_array().unwrap().len(), 4);
}

/// Bad input: exit 2, the file and the key named on stderr, nothing on stdout.
fn check_bad(case: &str, subcommand: &str, expected_in_message: &[&str]) {
    let path = fixture(&format!("bad/{case}"));
    let output = common::run(&["econ", subcommand, "--case", &path, "--format", "json"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{case}: {stderr}");
    assert!(stderr.contains(case), "{case}: file not named in {stderr}");
    for needle in expected_in_message {
        assert!(
            stderr.contains(needle),
            "{case}: `{needle}` not in {stderr}"
        );
    }
    assert!(!stderr.contains("panicked"), "{case}: panic");
    assert!(output.stdout.is_empty());
}

#[test]
fn bad_inputs_exit_2_naming_file_and_key() {
    check_bad("missing_key.toml", "lcoe", &["tax_rate", "[atb]"]);
    check_bad("unknown_key.toml", "lcoe", &["wacc"]);
    check_bad(
        "capacity_factor_above_one.toml",
        "lcoe",
        &["capacity_factor"],
    );
    check_bad("zero_capacity_factor.toml", "lcoe", &["capacity_factor"]);
    check_bad("rate_minus_one.toml", "lcoe", &["interest_rate_nominal"]);
    check_bad("negative_life.toml", "lcoe", &["life_years"]);
    check_bad("bad_depreciation.toml", "lcoe", &["depreciation"]);
    check_bad(
        "wrong_table.toml",
        "lcoe",
        &["grid_connection_cost_usd_per_kw"],
    );
    check_bad("not_toml.toml", "lcoe", &[":2:"]);
    check_bad("capacity_factor_above_one.toml", "mc", &["capacity_factor"]);
    check_bad("negative_life.toml", "tornado", &["life_years"]);
}

#[test]
fn design_presets_run_on_the_builtin_catalogue() {
    for financing in ["utility", "state-export-loan", "boo-ppa", "rab"] {
        let value = json(&[
            "design",
            "vver-1200",
            "--country",
            "TR",
            "--financing",
            financing,
        ]);
        let lcoe = number(&value, "lcoe_usd_per_mwh");
        assert!(lcoe > 20.0 && lcoe < 400.0, "{financing}: {lcoe}");
        assert_eq!(value["price_year"], 2022);
        assert_eq!(value["financing"], financing);
    }
    let output = common::run(&[
        "econ",
        "design",
        "vver-1200",
        "--country",
        "TR",
        "--financing",
        "gift",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("gift"));
    let output = common::run(&["econ", "design", "no-such-design", "--country", "TR"]);
    assert_eq!(output.status.code(), Some(2));
}

/// Issue 14: `econ design` runs for every design with a published cost, on an overnight cost;
/// a figure of another scope is used only after its IDC and escalation are removed.
#[test]
fn issue_14_econ_runs_for_every_costed_design_on_overnight_costs() {
    let output = common::run(&["catalogue", "designs", "--format", "json"]);
    let designs: Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut n_costed = 0;
    for design in designs.as_array().unwrap() {
        if design["costs"].as_array().unwrap().is_empty() {
            continue;
        }
        n_costed += 1;
        let id = design["id"].as_str().unwrap();
        // As the issue checks it: no --country (the country is only a label for now).
        let value = json(&["design", id]);
        assert!(value["country"].is_null(), "{id}: {}", value["country"]);
        let source = &value["overnight_cost_source"];
        let scope = source["scope"].as_str().unwrap();
        let real_overnight =
            (scope == "overnight" || scope == "overnight-plus-owner") && source["terms"] == "real";
        assert!(
            real_overnight || source["derived"] == true,
            "{id}: {source}"
        );
        let lcoe = number(&value, "lcoe_usd_per_mwh");
        assert!(lcoe > 20.0 && lcoe < 400.0, "{id}: {lcoe}");
    }
    assert!(n_costed >= 15, "{n_costed}");
    // The AP1000 no longer takes Vogtle's all-in USD 35 bn (15,667 USD/kW) as overnight.
    let ap1000 = json(&["design", "ap1000", "--country", "TR"]);
    let overnight = number(&ap1000, "overnight_cost_usd_per_kw");
    assert!(overnight < 13_000.0, "{overnight}");
}

#[test]
fn offer_hand_checked_case() {
    // Figures derived by hand in docs/methods/economics.md ("Cost to the state").
    let value = json(&["offer", "--case", &fixture("offer_hand_checked.toml")]);
    let state = &value["cost_to_state"];
    let close = |got: f64, want: f64| {
        assert!(
            (got - want).abs() <= 1e-9 * want.abs().max(1.0),
            "{got} vs {want}"
        );
    };
    let years = state["years"].as_array().unwrap();
    assert_eq!(years.len(), 4);
    close(number(&years[2], "loan_service_usd"), 284_595.107_125_895_6);
    close(number(&years[3], "loan_service_usd"), 271_658.965_892_900_4);
    close(number(state, "pv_loan_service_usd"), 492_108.789_451_710_9);
    close(number(state, "peak_state_debt_usd"), 517_445.649_319_810_3);
    close(number(&years[2], "take_or_pay_exposure_usd"), 78_840.0);
    close(number(&years[3], "take_or_pay_exposure_usd"), 55_188.0);
    close(
        number(state, "pv_take_or_pay_exposure_usd"),
        119_020.384_884_027_9,
    );
    // The charge: equity's 500·1.02^0.5 at t = 0.5 and the two instalments, at 10 %, over
    // the PV of 1 real a year for 40 years after a 1-year build at ρ = 1.1/1.02 − 1.
    close(
        number(&value["capital_charge"], "charge_usd_per_kw_yr"),
        81.876_582_631_011_83,
    );
    // The PPA at a flat 80 USD/MWh in money of the day, deflated at 2 % from t = 2 and 3.
    let host = &value["ppa_host_cost"];
    close(number(host, "contracted_mwh_per_kw_yr"), 3.942);
    let (w2, w3) = (1.03_f64.powi(-2), 1.03_f64.powi(-3));
    let levelised = (80.0 / 1.02_f64.powi(2) * w2 + 80.0 / 1.02_f64.powi(3) * w3) / (w2 + w3);
    close(number(host, "levelised_price_real_usd_per_mwh"), levelised);
    // CSV: the cost to the state by year.
    let output = common::run(&[
        "econ",
        "offer",
        "--case",
        &fixture("offer_hand_checked.toml"),
        "--format",
        "csv",
    ]);
    assert!(output.status.success());
    let csv = String::from_utf8_lossy(&output.stdout);
    assert_eq!(csv.lines().count(), 5, "{csv}");
    assert!(csv
        .lines()
        .next()
        .unwrap()
        .contains("take_or_pay_exposure_usd"));
}

#[test]
fn el_dabaa_offer_on_the_common_basis() {
    let value = json(&["offer", "--case", &fixture("el_dabaa_offer.toml")]);
    let charge = &value["capital_charge"];
    // A 3 % nominal loan at 2.5 % inflation is cheaper than equity's 7 % real: the offer's
    // equivalent real WACC lies between the loan's real rate and equity's.
    let equivalent = number(charge, "equivalent_real_wacc");
    let loan_real = 1.03 / 1.025 - 1.0;
    assert!(equivalent > loan_real && equivalent < 0.07, "{equivalent}");
    close_rel(
        number(charge, "levelising_rate_real"),
        1.09675 / 1.025 - 1.0,
        1e-12,
    );
    // The WACC sensitivity brackets the offer's charge at 3 % and 10 %.
    let sensitivity = &value["wacc_sensitivity"];
    let offer_charge = number(charge, "charge_usd_per_kw_yr");
    assert!(number(&sensitivity["low"], "charge_usd_per_kw_yr") < offer_charge);
    assert!(number(&sensitivity["high"], "charge_usd_per_kw_yr") > offer_charge);
    assert!(
        number(&sensitivity["low"], "lcoe_usd_per_mwh")
            < number(&sensitivity["central"], "lcoe_usd_per_mwh")
    );
    // The loan: 85 % of the spend, repaid in 22 annual instalments from t = 14.
    let loan = value["loan_schedule"].as_array().unwrap();
    assert_eq!(loan.len(), 1 + 13 + 22);
    let sum = |rows: &[Value], key: &str| rows.iter().map(|row| number(row, key)).sum::<f64>();
    let drawn = sum(loan, "drawn_usd_per_kw");
    let capitalised = sum(loan, "interest_capitalised_usd_per_kw");
    close_rel(
        sum(loan, "principal_usd_per_kw"),
        drawn + capitalised,
        1e-12,
    );
    assert_eq!(number(&loan[13], "principal_usd_per_kw"), 0.0);
    assert!(number(&loan[14], "principal_usd_per_kw") > 0.0);
    // The state borrows all of it: its loan service is the whole loan's, for 4,800 MW.
    let state = &value["cost_to_state"];
    let service: f64 = loan
        .iter()
        .map(|row| number(row, "interest_paid_usd_per_kw") + number(row, "principal_usd_per_kw"))
        .sum();
    close_rel(number(state, "loan_service_usd"), service * 4.8e6, 1e-12);
    close_rel(
        number(state, "peak_state_debt_usd"),
        number(&loan[13], "balance_usd_per_kw") * 4.8e6,
        1e-12,
    );
    assert_eq!(number(state, "peak_guaranteed_debt_usd"), 0.0);
    assert_eq!(number(state, "take_or_pay_exposure_usd"), 0.0);
}

fn close_rel(got: f64, want: f64, tolerance: f64) {
    assert!(
        (got - want).abs() <= tolerance * want.abs().max(1.0),
        "{got} vs {want}"
    );
}

#[test]
fn bad_offers_exit_2_naming_file_and_key() {
    check_bad(
        "offer_missing_host_rate.toml",
        "offer",
        &["host_real_discount_rate"],
    );
    check_bad(
        "offer_bad_share.toml",
        "offer",
        &["[offer].debt_fraction", ":8:"],
    );
    check_bad("offer_unknown_key.toml", "offer", &["wacc", ":11:"]);
    check_bad("offer_bad_wacc.toml", "offer", &["[wacc].low"]);
    check_bad(
        "offer_fractional_construction.toml",
        "offer",
        &["[build].construction_years", ":4:"],
    );
}
