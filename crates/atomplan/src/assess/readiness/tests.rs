use super::*;

fn input(status: Vec<[IssueStatus; 3]>) -> ReadinessInput {
    ReadinessInput {
        country: "XX".to_owned(),
        status,
        assessed_year: 2025,
        time: TimeSettings {
            n_samples: 2_000,
            ..TimeSettings::default()
        },
    }
}

#[test]
fn nothing_started_takes_the_whole_iaea_band() {
    let report = readiness(&input(vec![[IssueStatus::NotStarted; 3]; 19])).unwrap();
    assert_eq!(report.current_phase, 1);
    assert_eq!(report.overall_completion, 0.0);
    assert!(report.years_to_first_power.min >= 10.0 && report.years_to_first_power.max <= 15.0);
    assert!((report.years_to_first_power.mean - 12.5).abs() < 0.2);
    assert_eq!(report.open_issues.len(), 19);
}

#[test]
fn phase_two_from_catalogue_phase() {
    let report = readiness(&input(statuses_from_phase(2))).unwrap();
    assert_eq!(report.current_phase, 2);
    assert!(report.phases[0].milestone_reached);
    assert!((report.phases[1].completion - 0.5).abs() < 1e-12);
    // Remaining: 1/3 · 0.5 + 1/3 · 1 = 0.5 of 10–15 years.
    assert!((report.overall_completion - 0.5).abs() < 1e-12);
    assert!(report.years_to_first_power.min >= 5.0 && report.years_to_first_power.max <= 7.5);
}

#[test]
fn thread_count_does_not_matter() {
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| readiness(&input(statuses_from_phase(1))).unwrap())
    };
    assert_eq!(run(1), run(3));
}

#[test]
fn wrong_issue_count_is_rejected() {
    assert_eq!(
        readiness(&input(vec![[IssueStatus::Met; 3]; 18]))
            .unwrap_err()
            .key(),
        Some("issues")
    );
}

#[test]
fn a_new_project_in_a_phase_three_country_needs_its_own_licence_and_build() {
    // A country with its first plant under construction (phase 3, half done) and a new project
    // of an 84-month design: no preparation left, then licensing 2–5 years and 7 years of
    // construction, in full. The old model scaled both by phase 3's completion and clamped the
    // result at the construction time, so every sample gave exactly 7 years (a P10–P90 band of
    // zero width, Turkey's "2028–2028").
    let mut case = input(statuses_from_phase(3));
    case.time.construction_months = Some(84.0);
    let report = readiness(&case).unwrap();
    let years = &report.years_to_first_power;
    assert!(
        years.min >= 9.0 - 1e-9 && years.max <= 12.0 + 1e-9,
        "{years:?}"
    );
    assert!(years.p90 - years.p10 > 2.0, "{years:?}");
    let starts = report.earliest_construction_start_year.unwrap();
    assert!(
        starts.min >= 2027.0 - 1e-9 && starts.max <= 2030.0 + 1e-9,
        "{starts:?}"
    );
}

#[test]
fn licensing_and_construction_come_after_the_preparatory_phases() {
    // Phase 2 half done: preparation left = 1/3 · 0.5 of 10–15 years = 1.67–2.5 years; then
    // licensing 2–5 years and 70 months of construction: 9.5–13.3 years in all.
    let mut case = input(statuses_from_phase(2));
    let without = readiness(&case).unwrap();
    case.time.construction_months = Some(70.0);
    let report = readiness(&case).unwrap();
    let low = 10.0 / 6.0 + 2.0 + 70.0 / 12.0;
    let high = 15.0 / 6.0 + 5.0 + 70.0 / 12.0;
    assert!(report.years_to_first_power.min >= low - 1e-9, "{report:?}");
    assert!(report.years_to_first_power.max <= high + 1e-9, "{report:?}");
    assert!(report.first_power_year.p50 > without.first_power_year.p50 + 3.0);
    // The issue-13 case: a phase-2 country assessed in 2025 cannot have first power by 2030.
    assert!(report.first_power_year.p10 > 2034.0);
    let estimate =
        FirstPowerEstimate::from_report("kz-vver", "vver-1200", &case.time, &report, Some(2035));
    assert_eq!(estimate.licensing_years, (2.0, 5.0));
    assert!(
        (estimate.years_after_plan().unwrap() - (report.first_power_year.p50 - 2035.0)).abs()
            < 1e-12
    );
}

#[test]
fn an_impossible_licensing_band_is_rejected() {
    let mut case = input(statuses_from_phase(2));
    case.time.licensing_years_low = 5.0;
    case.time.licensing_years_high = 2.0;
    assert_eq!(
        readiness(&case).unwrap_err().key(),
        Some("time.licensing_years")
    );
}
