use super::*;

fn parse_error(text: &str) -> Error {
    parse_case(text).unwrap_err()
}

const TOPSIS: &str = r#"
method = "topsis"
alternatives = ["A1", "A2"]
matrix = [[4, "4"], [1, "10/2"]]
[[criteria]]
name = "c1"
weight = 1
direction = "max"
[[criteria]]
name = "c2"
weight = 1
direction = "min"
"#;

#[test]
fn fractions_and_weight_normalisation() {
    let case = parse_case(TOPSIS).unwrap();
    let McdaCaseKind::Matrix { problem, method } = &case.kind else {
        panic!("matrix case")
    };
    assert_eq!(problem.matrix[1], vec![1.0, 5.0]);
    assert_eq!(problem.weights, vec![0.5, 0.5]);
    assert_eq!(*method, Method::Topsis(Normalization::Vector));
    assert_eq!(case.warnings.len(), 1);
}

#[test]
fn unknown_method_and_normalisation() {
    assert_eq!(
        parse_error(&TOPSIS.replace("\"topsis\"", "\"electre\"")).key(),
        Some("method")
    );
    let text = TOPSIS.replace(
        "method = \"topsis\"",
        "method = \"wsm\"\nnormalization = \"z-score\"",
    );
    assert_eq!(parse_error(&text).key(), Some("normalization"));
}

#[test]
fn duplicate_names_are_refused() {
    let text = TOPSIS.replace("[\"A1\", \"A2\"]", "[\"A1\", \"A1\"]");
    assert_eq!(parse_error(&text).key(), Some("alternatives[1]"));
}

#[test]
fn missing_direction_is_refused() {
    let text = TOPSIS.replace("direction = \"min\"", "");
    assert_eq!(parse_error(&text).key(), Some("criteria[1].direction"));
}

#[test]
fn ahp_needs_a_matrix_for_every_leaf() {
    let text = r#"
method = "ahp"
alternatives = ["A", "B"]
[[criteria]]
name = "cost"
[[criteria]]
name = "risk"
[ahp]
criteria_pairwise = [[1, 2], ["1/2", 1]]
[ahp.alternatives_pairwise]
cost = [[1, 2], ["1/2", 1]]
"#;
    assert_eq!(
        parse_error(text).key(),
        Some("ahp.alternatives_pairwise.risk")
    );
}

#[test]
fn ahp_consistency_by_node() {
    let text = r#"
method = "ahp"
alternatives = ["A", "B"]
[[criteria]]
name = "cost"
[ahp]
criteria_pairwise = [[1]]
[ahp.alternatives_pairwise]
cost = [[1, 3], ["1/3", 1]]
"#;
    let report = run_case(&parse_case(text).unwrap()).unwrap();
    assert!((report.scores["A"] - 0.75).abs() < 1e-12);
    assert_eq!(report.consistency["cost"].cr, Some(0.0));
    assert_eq!(report.ranking, vec!["A".to_owned(), "B".to_owned()]);
}
