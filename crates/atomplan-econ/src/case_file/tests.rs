use std::path::Path;

use serde_json::Value;

use super::{lcoe_json, parse_case, parse_case_json};

const E1: &str =
    include_str!("../../../atomplan-cli/tests/fixtures/econ/e1_atb_2024_nuclear_large.toml");

fn e1_as_json() -> Value {
    let table: toml::Value = toml::from_str(E1).unwrap();
    serde_json::to_value(table).unwrap()
}

#[test]
fn a_case_as_json_gives_the_same_result_as_its_toml_file() {
    let from_toml = parse_case(Path::new("e1.toml"), E1).unwrap();
    let from_json = parse_case_json("e1.toml", &e1_as_json()).unwrap();
    let (a, _) = lcoe_json(&from_toml, Path::new("e1.toml")).unwrap();
    let (b, _) = lcoe_json(&from_json, Path::new("e1.toml")).unwrap();
    assert_eq!(a, b);
    assert_eq!(from_json.mc_inputs.len(), from_toml.mc_inputs.len());
    // NREL ATB 2024 nuclear Large, Moderate, R&D-only financials, CRP 30, 2030: the value the
    // CLI's ATB parity test checks (crates/atomplan-cli/tests/it/econ.rs), from ATB's workbook.
    let lcoe = a["lcoe_usd_per_mwh"].as_f64().unwrap();
    assert!((lcoe - 96.919_551_700_315_75).abs() < 1e-6, "{lcoe}");
}

#[test]
fn an_out_of_range_value_names_its_field_in_toml_and_in_json() {
    let bad = E1.replace("capacity_factor = 0.93", "capacity_factor = 1.7");
    let error = parse_case(Path::new("bad.toml"), &bad).err().unwrap();
    assert_eq!(error.field.as_deref(), Some("atb.capacity_factor"));
    assert!(error.message.starts_with("bad.toml:"), "{}", error.message);
    let mut json = e1_as_json();
    json["atb"]["capacity_factor"] = Value::from(1.7);
    let error = parse_case_json("request body", &json).err().unwrap();
    assert_eq!(error.field.as_deref(), Some("atb.capacity_factor"));
    assert!(
        error.message.starts_with("request body:"),
        "{}",
        error.message
    );
}

#[test]
fn an_unknown_key_in_json_is_refused() {
    let mut json = e1_as_json();
    json["atb"]["capacity_factr"] = Value::from(0.9);
    let error = parse_case_json("request body", &json).err().unwrap();
    assert!(
        error.message.contains("capacity_factr"),
        "{}",
        error.message
    );
    assert_eq!(error.field.as_deref(), Some("atb.capacity_factr"));
}

#[test]
fn json_of_the_wrong_shape_names_the_field() {
    let mut json = e1_as_json();
    json["atb"]["capacity_factor"] = Value::from("high");
    let error = parse_case_json("request body", &json).err().unwrap();
    assert_eq!(error.field.as_deref(), Some("atb.capacity_factor"));
    assert!(error.message.contains("expected f64"), "{}", error.message);

    let mut json = e1_as_json();
    json["atb"].as_object_mut().unwrap().remove("tax_rate");
    let error = parse_case_json("request body", &json).err().unwrap();
    assert_eq!(error.field.as_deref(), Some("atb.tax_rate"));

    let mut json = e1_as_json();
    json["mc"]["input"][1]["min"] = Value::from("low");
    let error = parse_case_json("request body", &json).err().unwrap();
    assert_eq!(error.field.as_deref(), Some("mc.input[1].min"));

    let mut json = e1_as_json();
    json.as_object_mut().unwrap().remove("method");
    let error = parse_case_json("request body", &json).err().unwrap();
    assert_eq!(error.field.as_deref(), Some("method"));
}
