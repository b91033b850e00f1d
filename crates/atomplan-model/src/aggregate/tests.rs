use super::*;

/// A year of 365 days built from three day shapes (flat low, evening peak, midday dip),
/// repeated in a fixed pattern: 3 representatives must reconstruct it exactly.
fn three_shapes() -> Vec<f64> {
    let shapes: [fn(usize) -> f64; 3] = [
        |_| 100.0,
        |h| if (17..21).contains(&h) { 300.0 } else { 150.0 },
        |h| if (10..15).contains(&h) { 50.0 } else { 200.0 },
    ];
    (0..365)
        .flat_map(|d| {
            let s = shapes[(d * 7 / 3) % 3];
            (0..24).map(s)
        })
        .collect()
}

fn check_exact(method: Method) {
    let year = three_shapes();
    let settings = Settings {
        period_hours: 24,
        representatives: 3,
        method,
    };
    let agg = aggregate(&[&year], &settings).unwrap();
    assert_eq!(agg.len(), 3);
    assert_eq!(agg.assignment.len(), 365);
    assert!((agg.weight_hours.iter().sum::<f64>() - 8760.0).abs() < 1e-9);
    let err = agg.error(&year);
    assert!(err.nrmse < 1e-12, "{err}");
    assert!(err.energy_rel.abs() < 1e-12, "{err}");
    // Reduced series times weights gives the annual energy.
    let reduced = agg.reduce(&year);
    let weights = agg.reduced_weights(&vec![1.0; year.len()]);
    let energy: f64 = reduced.iter().zip(&weights).map(|(v, w)| v * w).sum();
    assert!((energy - year.iter().sum::<f64>()).abs() < 1e-6);
    // Snapshots that stand for more than an hour keep their weight: 8,760 snapshots of weight
    // 3 reduce to weights that add up to 3 × 8,760, and the weighted energy is three times the
    // year's (the weights were counts of periods, whatever the snapshots' own, before).
    let tripled = agg.reduced_weights(&vec![3.0; year.len()]);
    assert!((tripled.iter().sum::<f64>() - 3.0 * 8760.0).abs() < 1e-9);
    let energy: f64 = reduced.iter().zip(&tripled).map(|(v, w)| v * w).sum();
    assert!((energy - 3.0 * year.iter().sum::<f64>()).abs() < 1e-6 * energy);
}

#[test]
fn kmedoids_recovers_three_shapes() {
    check_exact(Method::KMedoids { seed: 7 });
}

#[test]
fn ward_recovers_three_shapes() {
    check_exact(Method::Ward);
}

fn noisy_year(seed: u64) -> (Vec<f64>, Vec<f64>) {
    let mut rng = SplitMix64(seed);
    let mut load = Vec::with_capacity(8760);
    let mut wind = Vec::with_capacity(8760);
    for h in 0..8760 {
        let day = h / 24;
        let season = (2.0 * std::f64::consts::PI * day as f64 / 365.0).cos();
        let hour = (2.0 * std::f64::consts::PI * (h % 24) as f64 / 24.0).sin();
        load.push(1000.0 + 300.0 * season + 150.0 * hour + 30.0 * rng.next_f64());
        wind.push(0.2 + 0.15 * season + 0.3 * rng.next_f64());
    }
    (load, wind)
}

#[test]
fn same_seed_same_result_and_more_days_less_error() {
    let (load, wind) = noisy_year(1);
    let s = |k| Settings {
        period_hours: 24,
        representatives: k,
        method: Method::KMedoids { seed: 42 },
    };
    let a = aggregate(&[&load, &wind], &s(8)).unwrap();
    let b = aggregate(&[&load, &wind], &s(8)).unwrap();
    assert_eq!(a, b);
    let many = aggregate(&[&load, &wind], &s(40)).unwrap();
    assert!(many.error(&load).nrmse < a.error(&load).nrmse);
    assert!(
        many.error(&load).energy_rel.abs() < 0.02,
        "{}",
        many.error(&load)
    );
}

#[test]
fn ward_is_deterministic_and_weights_add_up() {
    let (load, wind) = noisy_year(3);
    let s = Settings {
        period_hours: 24,
        representatives: 10,
        method: Method::Ward,
    };
    let a = aggregate(&[&load, &wind], &s).unwrap();
    assert_eq!(a, aggregate(&[&load, &wind], &s).unwrap());
    assert_eq!(a.len(), 10);
    assert!((a.weight_hours.iter().sum::<f64>() - 8760.0).abs() < 1e-9);
    assert!(a.error(&load).nrmse < 0.1, "{}", a.error(&load));
}

#[test]
fn weeks_keep_the_partial_last_week() {
    let (load, _) = noisy_year(5);
    let s = Settings {
        period_hours: 168,
        representatives: 4,
        method: Method::KMedoids { seed: 1 },
    };
    let a = aggregate(&[&load], &s).unwrap();
    // 8760 h = 52 whole weeks + 24 h.
    assert_eq!(a.assignment.len(), 53);
    assert!((a.weight_hours.iter().sum::<f64>() - 8760.0).abs() < 1e-9);
    assert_eq!(a.expand(&load).len(), 8760);
}

#[test]
fn more_representatives_than_periods_is_clamped() {
    let series: Vec<f64> = (0..48).map(f64::from).collect();
    let s = Settings {
        period_hours: 24,
        representatives: 5,
        method: Method::KMedoids { seed: 0 },
    };
    let a = aggregate(&[&series], &s).unwrap();
    assert_eq!(a.representatives, vec![0, 1]);
    assert!(a.error(&series).nrmse < 1e-12);
}

#[test]
fn bad_inputs_are_errors_not_panics() {
    let s = Settings::default();
    assert_eq!(aggregate(&[], &s), Err(Error::NoProfiles));
    let a = [1.0; 48];
    let b = [1.0; 47];
    assert!(matches!(
        aggregate(&[&a, &b], &s),
        Err(Error::ProfileLength { index: 1, .. })
    ));
    let nan = [f64::NAN; 48];
    assert!(matches!(
        aggregate(&[&nan], &s),
        Err(Error::ProfileNotFinite { index: 0, hour: 0 })
    ));
    assert!(matches!(
        aggregate(&[&a[..10]], &s),
        Err(Error::ProfilesTooShort { .. })
    ));
    let zero = Settings {
        representatives: 0,
        ..s
    };
    assert!(matches!(
        aggregate(&[&a], &zero),
        Err(Error::AggregationZero { .. })
    ));
    // Constant series: no division by zero, no NaN.
    let flat = [5.0; 72];
    let agg = aggregate(&[&flat], &s).unwrap();
    let e = agg.error(&flat);
    assert!(e.nrmse.is_finite() && e.energy_rel == 0.0);
}

#[test]
fn weights_of_a_partial_last_week_fall_on_its_first_hours() {
    // 52 weeks and one day: the day counts only for the first 24 hours of its representative,
    // so the weighted reduced series sums to the rebuilt year exactly.
    let (load, wind) = noisy_year(3);
    let settings = Settings {
        period_hours: 168,
        representatives: 4,
        method: Method::KMedoids { seed: 1 },
    };
    let agg = aggregate(&[&load, &wind], &settings).unwrap();
    assert_eq!(agg.assignment.len(), 53);
    let weights = agg.reduced_weights(&vec![1.0; load.len()]);
    assert!((weights.iter().sum::<f64>() - 8760.0).abs() < 1e-9);
    let r = agg.assignment[52];
    assert_eq!(weights[r * 168 + 23] - weights[r * 168 + 24], 1.0);
    let reduced = agg.reduce(&load);
    let weighted: f64 = reduced.iter().zip(&weights).map(|(v, w)| v * w).sum();
    let rebuilt: f64 = agg.expand(&load).iter().sum();
    assert!((weighted - rebuilt).abs() < 1e-6 * rebuilt);
}
