use super::*;
use crate::raster::svg_to_png;

#[test]
fn long_labels_wrap_to_the_slot() {
    assert_eq!(
        wrap_label("rosatom-vver1200 (social)", 12),
        ["rosatom-", "vver1200", "(social)"]
    );
    assert_eq!(wrap_label("coal", 12), ["coal"]);
    let lines = wrap_label("a very long label that cannot fit in three short lines", 8);
    assert_eq!(lines.len(), 3);
    assert!(lines[2].ends_with('…'));
}

#[test]
fn every_chart_kind_is_valid_svg_that_rasterises() {
    let categories = vec!["a".to_owned(), "b".to_owned()];
    let charts = [
        bars(
            "t",
            "u",
            &categories,
            &[BarSeries {
                name: "s".to_owned(),
                values: vec![1.0, f64::NAN],
                whiskers: Some(vec![(0.5, 1.5), (0.0, 0.0)]),
            }],
            false,
        ),
        tornado(
            "System cost",
            "bn USD",
            10.0,
            &[("gas price".to_owned(), 8.0, 13.0), ("WACC".to_owned(), 9.5, f64::NAN)],
        ),
        bars_with_reference("Break-even", "USD/kW", &categories, &[Some(4000.0), None], Some(("study value", 5500.0))),
        curves("Price duration", "share of hours, %", "USD/MWh", &[0.0, 50.0, 100.0], &[("s".to_owned(), vec![90.0, 50.0, 10.0])]),
        with_footer(&lines("l", "u", &[2030.0, 2040.0], &[("x".to_owned(), vec![Some(1.0), None])]), "atomplan · chart l"),
    ];
    for svg in &charts {
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert!(!svg.contains("NaN"), "{svg}");
        svg_to_png(svg).unwrap_or_else(|e| panic!("{e}: {svg}"));
    }
    // The tornado draws a bar per finite case; the reference line is dashed.
    assert_eq!(charts[1].matches("<rect").count() - 1 - 2, 3);
    assert!(charts[2].contains("stroke-dasharray") && charts[2].contains("none in range"));
    assert!(charts[4].contains(">atomplan · chart l</text></svg>"));
}

#[test]
fn tornado_bars_start_at_the_base() {
    let svg = tornado("t", "x", 10.0, &[("gas".to_owned(), 5.0, 20.0)]);
    // Both bars touch the base line: the low bar ends at it and the high bar starts at it.
    let base_x = svg
        .split("stroke-width=\"1.5\"")
        .next()
        .and_then(|s| s.rsplit("<line x1=\"").next())
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    assert!(svg.contains(&format!("<rect x=\"{base_x}\"")), "high bar starts at the base");
}
