use serde_json::json;

use super::*;

#[test]
fn columns_are_aligned_numbers_right_text_left() {
    let mut table = TextTable::new(&["country", "units"]);
    table.row(vec!["RU".to_owned(), "20".to_owned()]);
    table.row(vec!["China".to_owned(), "4".to_owned()]);
    let text = table.render();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            "country  units",
            "-------  -----",
            "RU          20",
            "China        4"
        ]
    );
}

#[test]
fn a_report_reads_as_tables_not_dotted_paths() {
    let report = json!({
        "unit_mw": 1200.0,
        "n_units": 2,
        "verdict": "fits",
        "ratios": [{"name": "peak", "value": 0.25}, {"name": "min load", "value": 0.5}],
        "before": {"lole_h": 3.25, "eue_mwh": 10.0},
        "hourly": (0..100).map(f64::from).collect::<Vec<_>>(),
    });
    let text = report_text(&report);
    assert!(!text.contains(": "), "{text}");
    assert!(!text.contains("ratios[0]"), "{text}");
    assert!(text.contains("unit_mw   1200"), "{text}");
    assert!(text.contains("100 values, 0 to 99"), "{text}");
    // The list of records is one table with a row per record.
    let header = text.lines().position(|l| l.starts_with("name")).unwrap();
    assert!(text.lines().nth(header + 2).unwrap().starts_with("peak"));
    assert!(text.lines().nth(header + 3).unwrap().starts_with("min load"));
    assert!(text.contains("before\n"), "{text}");
    assert!(text.contains("lole_h   3.2500"), "{text}");
}

#[test]
fn a_map_of_records_is_one_table_keyed_by_the_map_key() {
    let report = json!({
        "by_year": {"2030": {"units": 2, "mwe": 2400}, "2031": {"units": 1, "mwe": 1200}},
    });
    let text = report_text(&report);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "by_year");
    assert_eq!(lines[1], "key   units   mwe");
    assert_eq!(lines[3], "2030      2  2400");
    assert_eq!(lines[4], "2031      1  1200");
}

#[test]
fn numbers_read_at_a_precision_that_suits_them() {
    assert_eq!(number_text(1234.567), "1235");
    assert_eq!(number_text(12.345_67), "12.35");
    assert_eq!(number_text(0.123_456), "0.1235");
    assert_eq!(number_text(3.0), "3");
    assert_eq!(number_text(-0.0), "0");
    assert_eq!(number_text(f64::NAN), "–");
}
