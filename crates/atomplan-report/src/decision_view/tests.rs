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
    let map: BTreeMap<String, f64> =
        [("2035".to_owned(), 1.0), ("2050".to_owned(), 3.0), ("2040".to_owned(), 2.0)]
            .into_iter()
            .collect();
    assert_eq!(last_value(&map), Some((2050, 3.0)));
    assert_eq!(last_value(&BTreeMap::new()), None);
}
