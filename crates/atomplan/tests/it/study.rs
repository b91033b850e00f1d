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

    let system =
        pipeline::scenario_system(&study, &catalogue, &economics, 0, std::path::Path::new("."))
            .unwrap();
    assert!(system
        .synthetic_labels()
        .iter()
        .any(|(_, label)| label.starts_with("SYNTHETIC")));
    let plan = pipeline::plan_scenario(&study, &catalogue, &system).unwrap();
    assert_eq!(plan.status, atomplan_model::planning::Status::Optimal);
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
    // First power is counted from the later of the base year and the year the phase was
    // assessed: a phase assessed three years after the base year moves every draw by three.
    assert_eq!(
        assessments.readiness_from_year,
        Some(study.horizon.base_year)
    );
    let mut later = catalogue.clone();
    for country in &mut later.countries {
        country.milestones_assessed_year = Some(study.horizon.base_year + 3);
    }
    let moved = pipeline::assessments(&study, &later, &economics, &plan, &system).unwrap();
    assert_eq!(moved.readiness_from_year, Some(study.horizon.base_year + 3));
    assert!(!assessments.first_power_by_candidate.is_empty());
    for (before, after) in assessments
        .first_power_by_candidate
        .iter()
        .zip(&moved.first_power_by_candidate)
    {
        assert!(
            (after.first_power_p50 - before.first_power_p50 - 3.0).abs() < 1e-9,
            "{before:?} {after:?}"
        );
    }
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
        let system =
            pipeline::scenario_system(&study, &catalogue, &economics, 0, std::path::Path::new("."))
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
    assert_eq!(capped.status, atomplan_model::planning::Status::Optimal);
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

/// The fixture study with named scenarios, a programme and a CO2 path.
fn with_scenarios(extra: &str) -> String {
    let text = fixture::STUDY.replace(
        "[policy]\n",
        "[policy]\nco2_cap_mt = { \"2035\" = 4.0, \"2045\" = 3.0 }\n",
    );
    format!(
        "{text}\n[[scenarios]]\nname = \"least-cost\"\n\n[[scenarios]]\nname = \"government-plan\"\n\n[[scenarios]]\nname = \"co2-target\"\nco2_cap = true\n\n[[commitments]]\ncandidate = \"smr\"\nunits = 3\nonline_year = 2035\nscenarios = [\"government-plan\"]\nsource = \"test\"\n{extra}"
    )
}

fn plans_of(
    study: &atomplan::study::StudyFile,
    catalogue: &atomplan::study::StudyCatalogue,
) -> (
    Vec<atomplan::study::scenario::ResolvedScenario>,
    Vec<pipeline::Planning>,
) {
    let economics = pipeline::economics(study, catalogue).unwrap();
    let scenarios = atomplan::study::scenario::resolve(study);
    let plans = (0..scenarios.len())
        .map(|i| {
            let system = pipeline::scenario_system(
                study,
                catalogue,
                &economics,
                i,
                std::path::Path::new("."),
            )
            .unwrap();
            pipeline::plan_scenario(study, catalogue, &system).unwrap()
        })
        .collect();
    (scenarios, plans)
}

/// Every scenario meets the adequacy standard (or says it does not), the government plan holds
/// its committed units, and no scenario is cheaper than least-cost.
#[test]
fn named_scenarios_commitments_and_reliability() {
    let catalogue = fixture::catalogue();
    // The break-even searches are tested below; here only the scenarios and the tornado.
    let text = with_scenarios("").replace("[options]\n", "[options]\nbreakeven = false\n");
    let study = validate::parse("fixture.toml", &text).unwrap();
    let diagnostics = validate::validate("fixture.toml", &study, &catalogue);
    assert!(diagnostics.iter().all(|d| !d.is_error()), "{diagnostics:?}");
    let (scenarios, plans) = plans_of(&study, &catalogue);
    assert_eq!(
        scenarios
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>(),
        ["least-cost", "government-plan", "co2-target"]
    );
    for plan in &plans {
        let r = &plan.reliability;
        assert_eq!(r.meets_standard, r.lole_h <= r.lole_standard_h, "{r:?}");
        if !r.meets_standard {
            assert!(r.method.starts_with("DOES NOT MEET"), "{r:?}");
        }
        for p in &plan.periods {
            assert!(p.reserve_margin >= 0.15 - 1e-12);
        }
    }
    assert!(
        plans[0].reliability.meets_standard,
        "{:?}",
        plans[0].reliability
    );
    // Government plan: 3 x 80 MWe from 2035.
    for p in &plans[1].periods {
        assert!(p.nuclear_mw >= 240.0 - 1e-6, "{p:?}");
    }
    // Cap respected.
    for p in &plans[2].periods {
        let cap = p.co2_cap_mt.unwrap();
        assert!(p.emissions_mt <= cap * (1.0 + 1e-6), "{p:?}");
    }
    let decision = atomplan::study::decision::decide(
        &study,
        &catalogue,
        std::path::Path::new("."),
        &scenarios,
        &plans,
        &|_| {},
    )
    .unwrap();
    assert_eq!(decision.scenarios.len(), 3);
    assert_eq!(decision.scenarios[0].cost_vs_least_cost_usd, 0.0);
    for s in &decision.scenarios[1..] {
        // The MIP gap of 1e-4 on both solves bounds how far below zero a difference can fall.
        assert!(
            s.cost_vs_least_cost_usd >= -2e-4 * decision.scenarios[0].system_cost_usd,
            "{s:?}"
        );
    }
    assert_eq!(decision.candidates.len(), 2);
    assert!(decision
        .candidates
        .iter()
        .all(|c| c.breakeven.overnight_usd_per_kw.is_none()));
    assert_eq!(decision.tornado.len(), 5);
    // A dearer cost of capital makes every build dearer at the same discounting, so the
    // system cost rises with the WACC (it fell when the bar moved the discount rate too).
    let wacc = decision
        .tornado
        .iter()
        .find(|b| b.input.starts_with("WACC"))
        .unwrap();
    let (low, high) = (
        wacc.low_system_cost_usd.unwrap(),
        wacc.high_system_cost_usd.unwrap(),
    );
    assert!(high > low, "{wacc:?}");
    assert!(
        (wacc.low_value - 0.03).abs() < 1e-12 && (wacc.high_value - 0.07).abs() < 1e-12,
        "{wacc:?}"
    );
}

/// The overnight break-even is what a rerun finds: 3 % below it the least-cost plan builds the
/// candidate, 3 % above it does not.
#[test]
fn overnight_breakeven_agrees_with_reruns() {
    let catalogue = fixture::catalogue();
    let text = with_scenarios("").replace("[options]\n", "[options]\ntornado = false\n");
    let study = validate::parse("fixture.toml", &text).unwrap();
    let (scenarios, plans) = plans_of(&study, &catalogue);
    let said = std::sync::Mutex::new(Vec::<String>::new());
    let decision = atomplan::study::decision::decide(
        &study,
        &catalogue,
        std::path::Path::new("."),
        &scenarios,
        &plans,
        &|message| said.lock().unwrap().push(message.to_owned()),
    )
    .unwrap();
    // Every re-plan of the searches is reported as it ends, naming what it evaluated.
    let said = said.into_inner().unwrap();
    for candidate in &decision.candidates {
        let id = format!("`{}`", candidate.id);
        assert!(
            said.iter()
                .any(|m| m.starts_with("break-even overnight cost of") && m.contains(&id)),
            "no progress for {id}: {said:?}"
        );
    }
    assert!(
        said.iter()
            .all(|m| m.ends_with(" s)") || m.contains("failed after")),
        "{said:?}"
    );
    let mut checked = 0;
    for candidate in &decision.candidates {
        let Some(breakeven) = candidate.breakeven.overnight_usd_per_kw else {
            assert!(!candidate.breakeven_notes.is_empty(), "{candidate:?}");
            continue;
        };
        for (factor, expect) in [(0.97, true), (1.03, false)] {
            let mut changed = study.clone();
            for c in &mut changed.candidates {
                if c.id == candidate.id {
                    c.overnight_cost_usd_per_kwe = Some(breakeven * factor);
                }
            }
            let economics = pipeline::economics(&changed, &catalogue).unwrap();
            let system = pipeline::scenario_system(
                &changed,
                &catalogue,
                &economics,
                0,
                std::path::Path::new("."),
            )
            .unwrap();
            let least_cost = pipeline::plan_scenario(&changed, &catalogue, &system).unwrap();
            let built = least_cost
                .capacities
                .iter()
                .any(|r| r.asset == format!("nuclear-{}", candidate.id) && r.capacity_mw > 0.5);
            assert_eq!(built, expect, "{} at {factor} x {breakeven}", candidate.id);
        }
        checked += 1;
    }
    assert!(
        checked > 0,
        "no candidate has an overnight break-even: {decision:?}"
    );
}

/// Bad policies name the key; an impossible CO2 cap names the family and the year.
#[test]
fn bad_policies_are_refused_with_their_key() {
    let catalogue = fixture::catalogue();
    let cases = [
        (
            "\n[[commitments]]\ncandidate = \"nope\"\nunits = 1\nonline_year = 2035\n",
            "commitments[1].candidate",
        ),
        (
            "\n[[commitments]]\ntechnology = \"gas\"\nzone = \"atlantis\"\nmw = 100.0\nonline_year = 2030\n",
            "commitments[1].zone",
        ),
        (
            "\n[[targets]]\ntechnology = \"nuclear\"\nyear = 2045\nmin_mw = 99999.0\n",
            "targets[0].min_mw",
        ),
        (
            "\n[[scenarios]]\nname = \"least-cost\"\n",
            "scenarios[3].name",
        ),
        (
            "\n[[commitments]]\ncandidate = \"smr\"\nunits = 1\nonline_year = 2030\n",
            "commitments[1].online_year",
        ),
        (
            "\n[[scenarios]]\nname = \"a/b\"\n",
            "scenarios[3].name",
        ),
    ];
    for (extra, key) in cases {
        let text = with_scenarios(extra);
        let study = validate::parse("fixture.toml", &text).unwrap();
        let diagnostics = validate::validate("fixture.toml", &study, &catalogue);
        assert!(
            diagnostics
                .iter()
                .any(|d| d.is_error() && d.location.to_string().contains(key)),
            "{key}: {diagnostics:?}"
        );
    }
    // A CO2 cap switched on with no cap given contradicts the policy.
    let text = fixture::STUDY.to_owned() + "\n[[scenarios]]\nname = \"x\"\nco2_cap = true\n";
    let study = validate::parse("fixture.toml", &text).unwrap();
    let diagnostics = validate::validate("fixture.toml", &study, &catalogue);
    assert!(diagnostics
        .iter()
        .any(|d| d.is_error() && d.location.to_string().contains("scenarios[0].co2_cap")));

    // A reserve margin that no allowed build can reach: infeasible, named by family and year
    // (the CLI exits 1 on this message).
    let text = with_scenarios(
        "\n[[resources]]\ntechnology = \"gas\"\nallowed = false\n\n[[resources]]\ntechnology = \"wind\"\nallowed = false\n\n[[resources]]\ntechnology = \"solar\"\nallowed = false\n",
    )
    .replace("[policy]\n", "[policy]\nreserve_margin = 1.0\n");
    let study = validate::parse("fixture.toml", &text).unwrap();
    let diagnostics = validate::validate("fixture.toml", &study, &catalogue);
    assert!(diagnostics.iter().all(|d| !d.is_error()), "{diagnostics:?}");
    let economics = pipeline::economics(&study, &catalogue).unwrap();
    let system =
        pipeline::scenario_system(&study, &catalogue, &economics, 0, std::path::Path::new("."))
            .unwrap();
    let error = pipeline::plan_scenario(&study, &catalogue, &system).unwrap_err();
    assert!(error.is_infeasible(), "{error:?}");
    let message = error.to_string();
    assert!(message.starts_with("infeasible plan"), "{message}");
    assert!(
        message.contains("Area-reserve-margin[system,2035]"),
        "{message}"
    );
}
