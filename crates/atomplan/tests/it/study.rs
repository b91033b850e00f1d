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

#[test]
fn binding_co2_cap_is_met() {
    let catalogue = fixture::catalogue();
    let run = |text: &str| {
        let study = validate::parse("fixture.toml", text).unwrap();
        let diagnostics = validate::validate("fixture.toml", &study, &catalogue);
        assert!(diagnostics.iter().all(|d| !d.is_error()), "{diagnostics:?}");
        assert!(
            diagnostics
                .iter()
                .all(|d| !d.message.contains("CO2 cap") && !d.message.contains("ignored")),
            "{diagnostics:?}"
        );
        let economics = pipeline::economics(&study, &catalogue).unwrap();
        let system = pipeline::scenario_system(
            &study,
            &catalogue,
            &economics,
            0,
            0,
            std::path::Path::new("."),
        )
        .unwrap();
        pipeline::plan_scenario(&study, &catalogue, &system).unwrap()
    };
    let free = run(fixture::STUDY);
    let last = free.periods.last().unwrap();
    assert!(last.emissions_mt > 0.0, "{last:?}");
    // Half of the uncapped emissions, in every period (a single point is held flat).
    let cap_mt = last.emissions_mt / 2.0;
    let capped_text = fixture::STUDY.replace(
        "[policy]\n",
        &format!(
            "[policy]\nco2_cap_mt = {{ \"{}\" = {cap_mt} }}\n",
            last.year
        ),
    );
    assert_ne!(capped_text, fixture::STUDY);
    let capped = run(&capped_text);
    assert_eq!(capped.status, "Optimal");
    for period in &capped.periods {
        assert!(
            period.emissions_mt <= cap_mt * (1.0 + 1e-6),
            "{} emits {} Mt over the {cap_mt} Mt cap",
            period.year,
            period.emissions_mt
        );
    }
    // The cap only removes plans; allow for the 1 % MIP gap of both solves.
    assert!(capped.objective_usd >= free.objective_usd * 0.98);
}
