use super::*;

fn input() -> EmissionsInput {
    EmissionsInput {
        years: vec![2025, 2030, 2035],
        technologies: vec![
            TechnologySeries {
                technology: "coal".to_owned(),
                emission_factor_t_per_mwh: 1.0,
                generation_twh: vec![10.0, 8.0, 4.0],
            },
            TechnologySeries {
                technology: "nuclear".to_owned(),
                emission_factor_t_per_mwh: 0.0,
                generation_twh: vec![0.0, 2.0, 6.0],
            },
        ],
        targets: vec![EmissionTarget {
            year: 2030,
            cap_mt: None,
            reduction_pct: Some(25.0),
            base_mt: None,
            base_year: Some(2025),
            label: None,
        }],
        cumulative_budget_mt: Some(20.0),
    }
}

#[test]
fn trajectory_targets_and_budget() {
    let report = emissions(&input()).unwrap();
    assert_eq!(report.annual_mt, vec![10.0, 8.0, 4.0]);
    assert_eq!(report.cumulative_mt, vec![10.0, 18.0, 22.0]);
    assert_eq!(report.intensity_g_per_kwh, vec![1_000.0, 800.0, 400.0]);
    // Cap 7.5 Mt in 2030, emissions 8 Mt: missed by 0.5 Mt.
    assert!(!report.targets[0].met);
    assert!((report.targets[0].gap_mt - 0.5).abs() < 1e-12);
    assert_eq!(report.budget_exceeded_in, Some(2035));
}

#[test]
fn wrong_series_length_names_the_key() {
    let mut bad = input();
    bad.technologies[1].generation_twh.pop();
    assert_eq!(
        emissions(&bad).unwrap_err().key(),
        Some("technologies[1].generation_twh")
    );
}
