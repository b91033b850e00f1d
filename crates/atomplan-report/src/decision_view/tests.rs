use std::collections::BTreeMap;

use super::*;

#[test]
fn price_duration_is_the_price_exceeded_in_each_share_of_hours() {
    // 100 h at 80, 300 h at 20, 600 h at 50 (weights are hours of the year).
    let curve = price_duration(&[(20.0, 300.0), (80.0, 100.0), (50.0, 600.0)]);
    assert_eq!(curve.len(), 101);
    assert_eq!(curve[0], 80.0);
    assert_eq!(curve[10], 80.0);
    assert_eq!(curve[11], 50.0);
    assert_eq!(curve[70], 50.0);
    assert_eq!(curve[71], 20.0);
    assert_eq!(curve[100], 20.0);
    assert!(curve.windows(2).all(|w| w[0] >= w[1]));
    assert!(price_duration(&[]).is_empty());
}

#[test]
fn last_value_takes_the_latest_year() {
    let map: BTreeMap<String, f64> = [
        ("2035".to_owned(), 1.0),
        ("2050".to_owned(), 3.0),
        ("2040".to_owned(), 2.0),
    ]
    .into_iter()
    .collect();
    assert_eq!(last_value(&map), Some((2050, 3.0)));
    assert_eq!(last_value(&BTreeMap::new()), None);
}

#[test]
fn a_tornado_bar_of_no_width_is_explained() {
    use atomplan::study::decision::TornadoLever;
    let bar = |lever: TornadoLever, input: &str, low: f64, high: f64| {
        atomplan::study::decision::TornadoBar {
            lever,
            input: input.to_owned(),
            unit: "x central".to_owned(),
            low_value: 0.8,
            high_value: 1.5,
            low_system_cost_usd: Some(low),
            high_system_cost_usd: Some(high),
            basis: String::new(),
        }
    };
    let base = 6.7e10;
    let bars = [
        bar(
            TornadoLever::NuclearOvernightCost,
            "nuclear overnight cost",
            base,
            base,
        ),
        bar(TornadoLever::GasPrice, "gas price", base * 0.9, base * 1.1),
        bar(TornadoLever::DemandGrowth, "demand growth", base, base),
    ];
    let notes = flat_bar_notes(&bars, base, &[], &[]);
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(
        notes[0].starts_with("nuclear overnight cost: no width: no candidate enters at 0.8"),
        "{}",
        notes[0]
    );
    assert!(
        notes[1].starts_with("demand growth: no width"),
        "{}",
        notes[1]
    );
    // Built, but paid through a PPA: the overnight cost is not the host's cost.
    let notes = flat_bar_notes(&bars, base, &["rosatom-vver1200"], &[]);
    assert!(
        notes[0].contains("builds rosatom-vver1200 under a build-own-operate PPA"),
        "{}",
        notes[0]
    );
    // The explanation follows the typed lever, not the label's words.
    let renamed = [bar(
        TornadoLever::NuclearOvernightCost,
        "overnight cost (x central)",
        base,
        base,
    )];
    let notes = flat_bar_notes(&renamed, base, &[], &[]);
    assert!(
        notes[0].contains("no candidate enters at 0.8"),
        "{}",
        notes[0]
    );
    let other = [bar(
        TornadoLever::Other,
        "nuclear overnight cost",
        base,
        base,
    )];
    let notes = flat_bar_notes(&other, base, &[], &[]);
    assert!(
        notes[0].ends_with("costs the same at both ends of the range."),
        "{}",
        notes[0]
    );
    // Built and owned, yet flat: no story is made up.
    let notes = flat_bar_notes(&bars, base, &[], &["khnp-apr1400"]);
    assert!(
        notes[0].ends_with("costs the same at both ends of the range."),
        "{}",
        notes[0]
    );
}

#[test]
fn same_capacity_compares_every_technology_and_year() {
    let plan = |vver: f64, wind: f64| {
        let mut m = BTreeMap::new();
        m.insert(
            "vver".to_owned(),
            BTreeMap::from([("2035".to_owned(), vver)]),
        );
        m.insert(
            "wind".to_owned(),
            BTreeMap::from([("2035".to_owned(), 100.0), ("2045".to_owned(), wind)]),
        );
        m
    };
    assert!(same_capacity(&plan(2218.0, 500.0), &plan(2218.0, 500.2)));
    assert!(!same_capacity(&plan(2218.0, 500.0), &plan(0.0, 500.0)));
    assert!(!same_capacity(&plan(2218.0, 500.0), &plan(2218.0, 520.0)));
    let mut more = plan(2218.0, 500.0);
    more.insert(
        "smr".to_owned(),
        BTreeMap::from([("2045".to_owned(), 300.0)]),
    );
    assert!(!same_capacity(&plan(2218.0, 500.0), &more));
    assert!(!same_capacity(&more, &plan(2218.0, 500.0)));
}
