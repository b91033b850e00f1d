use super::to_field_csv;

fn check(json: &str, expected: &str) {
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(to_field_csv(&value).unwrap(), expected);
}

#[test]
fn nested_objects_and_arrays_become_dotted_paths() {
    check(
        r#"{"status":"optimal","generators":{"A-CCGT":1097.5},"flows":[1,2],"note":null}"#,
        // serde_json maps are ordered by key.
        "field,value\nflows[0],1\nflows[1],2\ngenerators.A-CCGT,1097.5\nnote,\nstatus,optimal\n",
    );
}

#[test]
fn commas_and_quotes_are_escaped() {
    check(
        r#"{"name":"Jizzakh, \"RITM\""}"#,
        "field,value\nname,\"Jizzakh, \"\"RITM\"\"\"\n",
    );
}
