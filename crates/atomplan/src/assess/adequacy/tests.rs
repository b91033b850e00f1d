use super::*;

fn unit(name: &str, capacity_mw: f64, forced_outage_rate: f64) -> AdequacyUnit {
    AdequacyUnit {
        name: name.to_owned(),
        capacity_mw,
        mttf_h: None,
        mttr_h: 50.0,
        forced_outage_rate: Some(forced_outage_rate),
        planned_outages: Vec::new(),
        count: 1,
    }
}

#[test]
fn lolp_matches_the_analytic_capacity_outage_table() {
    // Two 100 MW units with FOR 0.1 against a flat 150 MW load: loss whenever either unit is
    // down, P = 1 − 0.9² = 0.19. Over 2,000 hours LOLE ≈ 380 h.
    let input = AdequacyInput {
        units: vec![unit("a", 100.0, 0.1), unit("b", 100.0, 0.1)],
        load_mw: vec![150.0; 2_000],
    };
    let report = adequacy(
        &input,
        &AdequacySettings {
            n_samples: 400,
            seed: 1,
        },
    )
    .unwrap();
    assert!((report.lolp - 0.19).abs() < 0.01, "{report:?}");
    // EUE: 50 MW when one unit is down (0.18), 150 MW when both are (0.01): 10.5 MW average.
    assert!((report.eue_mwh / 2_000.0 - 10.5).abs() < 0.6, "{report:?}");
}

#[test]
fn identical_for_any_thread_count() {
    let input = AdequacyInput {
        units: vec![
            unit("a", 100.0, 0.05),
            unit("b", 80.0, 0.1),
            unit("c", 60.0, 0.08),
        ],
        load_mw: (0..1_000)
            .map(|hour| 150.0 + 40.0 * (f64::from(hour) / 24.0).sin())
            .collect(),
    };
    let settings = AdequacySettings {
        n_samples: 64,
        seed: 9,
    };
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| adequacy(&input, &settings).unwrap())
    };
    assert_eq!(run(1), run(4));
}

#[test]
fn planned_outage_removes_capacity() {
    let mut only = unit("a", 100.0, 0.0);
    only.planned_outages.push(PlannedOutage {
        start_hour: 10,
        duration_h: 5,
    });
    let input = AdequacyInput {
        units: vec![only],
        load_mw: vec![50.0; 100],
    };
    let report = adequacy(
        &input,
        &AdequacySettings {
            n_samples: 3,
            seed: 0,
        },
    )
    .unwrap();
    assert_eq!(report.lole_h, 5.0);
    assert_eq!(report.eue_mwh, 250.0);
    assert_eq!(report.lolf_per_period, 1.0);
}

#[test]
fn candidate_improves_adequacy_with_common_random_numbers() {
    let input = AdequacyInput {
        units: vec![unit("a", 100.0, 0.1), unit("b", 100.0, 0.1)],
        load_mw: vec![150.0; 1_000],
    };
    let comparison = adequacy_before_after(
        &input,
        &[unit("smr", 80.0, 0.05)],
        &AdequacySettings {
            n_samples: 50,
            seed: 3,
        },
    )
    .unwrap();
    assert!(comparison.after.lole_h < comparison.before.lole_h);
    assert!(comparison.lole_change_h < 0.0);
}

#[test]
fn missing_reliability_data_names_the_unit() {
    let mut bad = unit("a", 100.0, 0.1);
    bad.forced_outage_rate = None;
    let input = AdequacyInput {
        units: vec![bad],
        load_mw: vec![1.0],
    };
    assert_eq!(
        adequacy(&input, &AdequacySettings::default())
            .unwrap_err()
            .key(),
        Some("units[0]")
    );
}

#[test]
fn overlapping_outages_remove_a_unit_once() {
    let mut only = unit("a", 100.0, 0.0);
    only.planned_outages.push(PlannedOutage {
        start_hour: 10,
        duration_h: 5,
    });
    only.planned_outages.push(PlannedOutage {
        start_hour: 12,
        duration_h: 8,
    });
    let input = AdequacyInput {
        units: vec![only],
        load_mw: vec![50.0; 100],
    };
    let report = adequacy(
        &input,
        &AdequacySettings {
            n_samples: 2,
            seed: 0,
        },
    )
    .unwrap();
    assert_eq!(report.lole_h, 10.0);
    assert_eq!(report.eue_mwh, 500.0);
}

#[test]
fn a_national_year_runs_quickly() {
    // 40 units, 8,760 hours, 200 samples: well under a second in release, a few in debug.
    let units: Vec<AdequacyUnit> = (0..40)
        .map(|idx| unit(&format!("u{idx}"), 50.0, 0.08))
        .collect();
    let load: Vec<f64> = (0..8_760)
        .map(|hour| 1_500.0 + 200.0 * (f64::from(hour) / 24.0 * std::f64::consts::TAU).sin())
        .collect();
    let start = std::time::Instant::now();
    let report = adequacy(
        &AdequacyInput {
            units,
            load_mw: load,
        },
        &AdequacySettings {
            n_samples: 200,
            seed: 5,
        },
    )
    .unwrap();
    assert!(report.lole_h > 0.0);
    assert!(start.elapsed().as_secs() < 30, "{:?}", start.elapsed());
}
