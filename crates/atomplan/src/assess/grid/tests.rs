use super::*;

fn mongolia_like() -> GridFitInput {
    GridFitInput {
        unit_mw: 1_200.0,
        n_units: 1,
        units_lost_together: 1,
        peak_load_mw: 1_600.0,
        min_load_mw: Some(800.0),
        installed_capacity_mw: Some(2_000.0),
        largest_existing_unit_mw: 100.0,
        available_reserve_mw: Some(200.0),
        unit_share_limit: None,
        unit_share_warning: None,
        frequency: None,
        ramp: None,
    }
}

#[test]
fn large_unit_on_small_grid_exceeds_the_rule() {
    let report = grid_fit(&mongolia_like()).unwrap();
    assert_eq!(report.rule_status, "exceeds");
    assert!((report.size[0].ratio - 0.6).abs() < 1e-12);
    assert!((report.size[2].ratio - 1.5).abs() < 1e-12);
    assert!((report.max_unit_mw_within_limit - 200.0).abs() < 1e-9);
    assert_eq!(report.reserve.sufficient, Some(false));
    assert!((report.reserve.margin_mw.unwrap() + 1_000.0).abs() < 1e-9);
}

#[test]
fn rocof_and_steady_state_by_hand() {
    // 1,000 MW lost, H = 5 s on 20,000 MVA, 50 Hz: RoCoF = 1000·50/(2·5·20000) = 0.25 Hz/s.
    // 10,000 MW responsive at 5 % droop: 10000/(0.05·50) = 4,000 MW/Hz, D = 1,000 MW/Hz
    // → Δf = −1000/5000 = −0.2 Hz.
    let frequency = FrequencyInput {
        nominal_hz: 50.0,
        inertia_h_s: 5.0,
        system_base_mva: 20_000.0,
        responsive_capacity_mw: 10_000.0,
        droop_pu: 0.05,
        load_damping_mw_per_hz: 1_000.0,
        ufls_deviation_hz: Some(1.0),
        rocof_limit_hz_per_s: Some(0.5),
    };
    let check = frequency_check(&frequency, 1_000.0).unwrap();
    assert!((check.rocof_hz_per_s - 0.25).abs() < 1e-12);
    assert!((check.steady_state_deviation_hz + 0.2).abs() < 1e-12);
    assert_eq!(check.deviation_within_ufls, Some(true));
    assert_eq!(check.rocof_within_limit, Some(true));
}

#[test]
fn ramp_by_hand() {
    let ramp = RampInput {
        net_load_mw: vec![500.0, 700.0, 400.0, 450.0],
        design_ramp_pct_per_min: 0.25,
        min_stable_load_pct: 50.0,
    };
    // 1 × 1,000 MW at 0.25 %/min = 150 MW/h; steps +200, −300, +50.
    let check = ramp_check(&ramp, 1_000.0, 1).unwrap();
    assert!((check.plant_ramp_capability_mw_per_h - 150.0).abs() < 1e-9);
    assert!((check.share_of_steps_beyond_capability - 2.0 / 3.0).abs() < 1e-12);
    assert!((check.max_net_load_ramp_down_mw_per_h - 300.0).abs() < 1e-12);
    assert!((check.share_of_hours_below_min_output - 0.5).abs() < 1e-12);
}

#[test]
fn min_load_above_peak_is_rejected() {
    let mut input = mongolia_like();
    input.min_load_mw = Some(2_000.0);
    assert_eq!(grid_fit(&input).unwrap_err().key(), Some("min_load_mw"));
}

#[test]
fn without_installed_capacity_the_rule_uses_peak() {
    let mut input = mongolia_like();
    input.installed_capacity_mw = None;
    input.min_load_mw = None;
    let report = grid_fit(&input).unwrap();
    assert_eq!(report.rule_basis, "peak_load");
    assert_eq!(report.size.len(), 1);
    assert!((report.max_unit_mw_within_limit - 160.0).abs() < 1e-9);
}
