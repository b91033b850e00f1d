//! The study pipeline on the small fixture catalogue (one made-up country, two designs):
//! every stage runs and gives consistent, finite results.

use atomplan::study::{fixture, pipeline, validate};

#[test]
fn fixture_study_runs_every_stage() {
    let catalogue = fixture::catalogue();
    let study = validate::parse("fixture.toml", fixture::STUDY).unwrap();
    assert!(validate::validate("fixture.toml", &study, &catalogue)
        .iter()
        .all(|d| !d.is_error()));

    let economics = pipeline::economics(&study, &catalogue).unwrap();
    assert_eq!(economics.rows.len(), 2);
    for row in &economics.rows {
        assert!(row.lcoe_offer_usd_per_mwh.is_finite() && row.lcoe_offer_usd_per_mwh > 0.0);
        assert!(
            row.mc_p5 <= row.mc_p50 && row.mc_p50 <= row.mc_p95,
            "{row:?}"
        );
        assert!(row.capital_charge_usd_per_kw_yr > 0.0);
    }

    let system = pipeline::scenario_system(
        &study,
        &catalogue,
        &economics,
        0,
        0,
        std::path::Path::new("."),
    )
    .unwrap();
    assert!(system
        .synthetic_labels()
        .iter()
        .any(|(_, label)| label.starts_with("SYNTHETIC")));
    let plan = pipeline::plan_scenario(&study, &catalogue, &system).unwrap();
    assert_eq!(plan.status, "Optimal");
    assert_eq!(plan.periods.len(), 2);
    // Integer units: nuclear capacity is a whole number of units.
    for row in plan.capacities.iter().filter(|r| r.technology == "nuclear") {
        if let Some(units) = row.units {
            assert!((units - units.round()).abs() < 1e-6, "{row:?}");
        }
    }
    assert_eq!(plan.dispatch.len(), 2);
    for week in &plan.dispatch {
        assert_eq!(week.load_mw.len(), 168);
        let supplied: f64 = (0..168)
            .map(|t| week.by_technology.iter().map(|(_, v)| v[t]).sum::<f64>())
            .sum();
        let demanded: f64 = week.load_mw.iter().sum();
        assert!(
            (supplied - demanded).abs() < 1e-3 * demanded,
            "{supplied} vs {demanded}"
        );
    }

    let assessments =
        pipeline::assessments(&study, &catalogue, &economics, &plan, &system).unwrap();
    assert_eq!(assessments.grid_fit.len(), 2);
    assert_eq!(assessments.adequacy.len(), 2);
    let mcda = pipeline::mcda(&study, &catalogue, &economics, &assessments).unwrap();
    assert_eq!(mcda.ranking.len(), 2);
    assert!(mcda.scores.iter().all(|s| s.is_finite()));
}
