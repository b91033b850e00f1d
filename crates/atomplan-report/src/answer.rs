//! The Answer box: the decision in one screen. For every scenario what the plan builds and at what
//! cost, emissions against the target and adequacy against the standard; which candidate wins on
//! cost, on MCDA and in the plan, and in plain sentences why they differ; when first power can
//! come. It sits at the top of the page and fits a 1280 × 800 window.

use atomplan::study::file::Direction;
use atomplan::study::pipeline::Planning;
use atomplan::study::system::AssetKind;
use atomplan::study::StudyFile;

use crate::html::{escape, grouped, nuclear_build, num, table_html, Page};
use atomplan::study::runner::StudyResults;

/// The candidate a plan builds most of by its last period, with MW; `None` if no nuclear.
pub fn plan_nuclear_choice(plan: &Planning) -> Option<(String, f64)> {
    let last = plan.periods.last()?.year;
    nuclear_build(plan)
        .into_iter()
        .filter(|b| b.0 == last)
        .max_by(|a, b| a.2.total_cmp(&b.2))
        .map(|b| (b.1, b.2))
}

/// For each plan whose nuclear unit is larger than the IAEA rule of thumb allows, the first year
/// it is, as "scenario: N MW unit in YEAR, S % of the M MW installed".
pub fn oversized_units(results: &StudyResults) -> Vec<String> {
    let limit = atomplan::assess::grid::DEFAULT_UNIT_SHARE_LIMIT;
    let mut out = Vec::new();
    for plan in &results.plans {
        for period in &plan.periods {
            let year_rows = || {
                plan.capacities.iter().filter(move |r| {
                    r.year == period.year
                        && !matches!(r.kind, AssetKind::Shedding | AssetKind::Import)
                })
            };
            let installed: f64 = year_rows().map(|r| r.capacity_mw).sum();
            let unit = year_rows()
                .filter(|r| r.kind == AssetKind::Nuclear)
                .filter_map(|r| r.units.filter(|u| *u > 0.5).map(|u| r.capacity_mw / u))
                .fold(0.0_f64, f64::max);
            if installed > 0.0 && unit / installed > limit {
                out.push(format!(
                    "{}: a {} MW unit in {}, {} % of the {} MW installed",
                    plan.scenario,
                    grouped(unit),
                    period.year,
                    num(unit / installed * 100.0, 0),
                    grouped(installed)
                ));
                break;
            }
        }
    }
    out
}

/// The largest non-nuclear additions of a plan over the horizon, as "technology N GW".
pub fn main_other_builds(plan: &Planning, n: usize) -> Vec<String> {
    let mut built: Vec<(String, f64)> = Vec::new();
    for row in plan
        .capacities
        .iter()
        .filter(|r| r.kind == AssetKind::Expansion && r.built > 0.5)
    {
        match built.iter_mut().find(|(t, _)| *t == row.technology) {
            Some(entry) => entry.1 += row.built,
            None => built.push((row.technology.clone(), row.built)),
        }
    }
    built.sort_by(|a, b| b.1.total_cmp(&a.1));
    built
        .iter()
        .take(n)
        .map(|(t, mw)| format!("{t} {} GW", num(mw / 1000.0, 1)))
        .collect()
}

/// Why the MCDA winner is not the cheapest offer: the criteria on which each leads, by weight.
pub fn mcda_versus_cost(
    study: &StudyFile,
    results: &StudyResults,
    mcda_winner: &str,
    cheapest: &str,
) -> String {
    let m = &results.mcda;
    let (Some(w_idx), Some(c_idx)) = (
        m.candidates.iter().position(|c| c == mcda_winner),
        m.candidates.iter().position(|c| c == cheapest),
    ) else {
        return String::new();
    };
    let mut winner_leads = Vec::new();
    let mut cheapest_leads = Vec::new();
    for (criterion_idx, name) in m.criteria.iter().enumerate() {
        let direction = study
            .mcda
            .criteria
            .get(criterion_idx)
            .map_or(Direction::Max, |c| c.direction);
        let (Some(a), Some(b)) = (
            m.matrix.get(w_idx).and_then(|r| r.get(criterion_idx)),
            m.matrix.get(c_idx).and_then(|r| r.get(criterion_idx)),
        ) else {
            continue;
        };
        let better = match direction {
            Direction::Max => a > b,
            Direction::Min => a < b,
        };
        let worse = match direction {
            Direction::Max => a < b,
            Direction::Min => a > b,
        };
        let weight = m.weights.get(criterion_idx).copied().unwrap_or(0.0);
        let label = format!("{name} (weight {})", num(weight, 2));
        if better {
            winner_leads.push((weight, label));
        } else if worse {
            cheapest_leads.push((weight, label));
        }
    }
    winner_leads.sort_by(|a, b| b.0.total_cmp(&a.0));
    cheapest_leads.sort_by(|a, b| b.0.total_cmp(&a.0));
    let list = |items: &[(f64, String)]| {
        items
            .iter()
            .map(|(_, l)| l.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "MCDA puts {mcda_winner} ahead of the cheapest offer {cheapest} because it does better on {}, which outweighs {cheapest}'s lead on {}.",
        if winner_leads.is_empty() { "no criterion".to_owned() } else { list(&winner_leads) },
        if cheapest_leads.is_empty() { "nothing".to_owned() } else { list(&cheapest_leads) },
    )
}

pub fn write_answer(page: &mut Page, study: &StudyFile, results: &StudyResults) {
    let a = &results.assessments;
    let m = &results.mcda;
    page.push("<section class=\"answer\" id=\"answer\"><h2>Answer</h2>");
    if !study.question.is_empty() {
        page.push(&format!(
            "<p><b>Question.</b> {}</p>",
            escape(&study.question)
        ));
    }
    // Adequacy first: a plan that fails the standard is not an answer.
    let failing_scenarios: Vec<String> = results
        .decision
        .scenarios
        .iter()
        .filter(|s| !s.meets_standard)
        .map(|s| {
            format!(
                "{} LOLE {} h/yr, {} h over the standard",
                s.name,
                num(s.lole_h, 2),
                num(s.lole_h - s.lole_standard_h, 2)
            )
        })
        .collect();
    if !failing_scenarios.is_empty() {
        page.push(&format!(
            "<p class=\"alert\"><b>Not every plan meets the adequacy standard</b> of {} h/yr: {}.</p>",
            num(study.policy.lole_standard_h, 1),
            escape(&failing_scenarios.join("; "))
        ));
    }
    let failing: Vec<&(String, f64, f64)> = a
        .adequacy
        .iter()
        .filter(|x| x.1 > a.lole_standard_h)
        .collect();
    if failing_scenarios.is_empty() && results.decision.scenarios.is_empty() && !failing.is_empty()
    {
        page.push(&format!(
            "<p class=\"alert\"><b>The plan misses the adequacy standard</b> of {} h/yr: {}. Read the costs below as those of a system that does not keep the lights on to the study's own standard.</p>",
            num(a.lole_standard_h, 1),
            escape(&failing.iter().map(|x| format!("{} LOLE {} h/yr", x.0, num(x.1, 1))).collect::<Vec<_>>().join("; "))
        ));
    }
    let reference_cost = results.plans.first().map_or(f64::NAN, |p| p.objective_usd);
    let rows: Vec<Vec<String>> = results
        .plans
        .iter()
        .map(|plan| {
            let last = plan.periods.last();
            let nuclear = match plan_nuclear_choice(plan) {
                Some((candidate, mw)) => format!("{} MW {}", grouped(mw), escape(&candidate)),
                None => "none".to_owned(),
            };
            let emissions = last.map_or_else(String::new, |p| {
                let target = a.emissions.iter().find(|e| e.0 == p.year).and_then(|e| e.2);
                match target {
                    Some(t) => format!(
                        "{} (target {}, {})",
                        num(p.emissions_mt, 1),
                        num(t, 1),
                        if p.emissions_mt <= t { "met" } else { "missed" }
                    ),
                    None => num(p.emissions_mt, 1),
                }
            });
            vec![
                format!("<b>{}</b>", escape(&plan.scenario)),
                nuclear,
                escape(&main_other_builds(plan, 3).join(", ")),
                num(plan.objective_usd / 1e9, 1),
                if (plan.objective_usd - reference_cost).abs() < 1.0 {
                    "–".to_owned()
                } else {
                    format!("{:+.1}", (plan.objective_usd - reference_cost) / 1e9)
                },
                emissions,
            ]
        })
        .collect();
    let last_year = results
        .plans
        .first()
        .and_then(|p| p.periods.last())
        .map_or(0, |p| p.year);
    if results.decision.scenarios.is_empty() {
        page.push(&table_html(
            &[
                "scenario",
                &format!("nuclear online {last_year}"),
                "main other builds",
                "system cost, bn USD",
                "vs first scenario",
                &format!("CO2 {last_year}, Mt"),
            ],
            &rows,
        ));
    } else {
        page.push(&table_html(
            &[
                "scenario",
                "nuclear",
                "main other builds",
                "system cost, bn USD",
                "vs least-cost, bn USD",
                "CO2 last period, Mt",
                "LOLE vs standard, h/yr",
            ],
            &crate::decision_view::scenario_rows(study, results),
        ));
    }

    // Who wins where, and why they differ.
    let cheapest = results.economics.rows.iter().min_by(|x, y| {
        x.lcoe_offer_usd_per_mwh
            .total_cmp(&y.lcoe_offer_usd_per_mwh)
    });
    let mcda_winner = m.ranking.first().cloned().unwrap_or_default();
    let plan_for_answer = results
        .plans
        .iter()
        .find(|p| p.scenario == atomplan::study::scenario::LEAST_COST)
        .or_else(|| results.plans.first());
    let in_plan = plan_for_answer.and_then(plan_nuclear_choice);
    page.push("<ul>");
    if let Some(c) = cheapest {
        page.push(&format!(
            "<li><b>On cost:</b> {} at {} USD/MWh under its offer ({}) if built on time; with cost, delay and availability risks P50 {}, P5–P95 {}–{}{}.</li>",
            escape(&c.candidate),
            num(c.lcoe_offer_usd_per_mwh, 0),
            escape(&c.financing),
            num(c.mc_p50, 0),
            num(c.mc_p5, 0),
            num(c.mc_p95, 0),
            if c.lcoe_offer_usd_per_mwh < c.mc_p5 {
                " (the risks only raise the cost)"
            } else {
                ""
            }
        ));
    }
    let fragile: Vec<String> = m
        .winner_switches
        .iter()
        .filter(|s| s.is_fragile())
        .map(crate::html::sections::switch_sentence)
        .collect();
    page.push(&format!(
        "<li><b>On MCDA ({}):</b> {}{}.</li>",
        escape(&m.method),
        escape(&mcda_winner),
        if fragile.is_empty() {
            String::new()
        } else {
            format!(
                " — <span class=\"fragile\">fragile</span>: {}",
                escape(&fragile.join("; "))
            )
        }
    ));
    let plan_name = plan_for_answer.map_or(String::new(), |p| p.scenario.clone());
    page.push(&format!(
        "<li><b>In the plan ({}):</b> {}.</li>",
        escape(&plan_name),
        match &in_plan {
            Some((candidate, mw)) =>
                format!("{} ({} MW by {last_year})", escape(candidate), grouped(*mw)),
            None => "no nuclear is built".to_owned(),
        }
    ));
    let oversized = oversized_units(results);
    if !oversized.is_empty() {
        page.push(&format!(
            "<li><b>On grid fit:</b> {}; the IAEA rule of thumb keeps a unit within {} % of installed capacity. The plans carry the N-1 reserve for the unit, but such a unit also needs a grid-stability study (frequency response, interconnection).</li>",
            escape(&oversized.join("; ")),
            num(atomplan::assess::grid::DEFAULT_UNIT_SHARE_LIMIT * 100.0, 0)
        ));
    }
    let mut why = Vec::new();
    if let Some(c) = cheapest {
        if !mcda_winner.is_empty() && mcda_winner != c.candidate {
            why.push(mcda_versus_cost(study, results, &mcda_winner, &c.candidate));
        }
        match &in_plan {
            None => {
                let others = plan_for_answer
                    .map(|p| main_other_builds(p, 3))
                    .unwrap_or_default();
                why.push(format!(
                    "The optimiser builds no nuclear because, at the offers' costs, it meets demand more cheaply with {}; the LCOE and the MCDA rank the offers against each other, not against the system's alternatives.",
                    if others.is_empty() { "the existing fleet".to_owned() } else { others.join(", ") }
                ));
            }
            Some((candidate, _)) if *candidate != c.candidate => why.push(format!(
                "The plan builds {candidate}, not the cheapest offer {}: the optimiser values unit size against the system, the year each can run and its capital charge in the system, not the levelised cost alone.",
                c.candidate
            )),
            Some(_) => {}
        }
    }
    if !why.is_empty() {
        page.push(&format!(
            "<li><b>Why they differ:</b> {}</li>",
            escape(&why.join(" "))
        ));
    }
    for s in results
        .decision
        .scenarios
        .iter()
        .filter(|s| s.name != atomplan::study::scenario::LEAST_COST)
    {
        let least = crate::decision_view::least_cost(&results.decision).map(|l| l.system_cost_usd);
        page.push(&format!(
            "<li><b>{}:</b> costs {} bn USD {} than least-cost{}{}.</li>",
            escape(&s.name),
            num(s.cost_vs_least_cost_usd.abs() / 1e9, 2),
            if s.cost_vs_least_cost_usd >= 0.0 {
                "more"
            } else {
                "less"
            },
            least
                .filter(|l| l.abs() > 1.0)
                .map_or(String::new(), |l| format!(
                    " ({:+.1} %)",
                    s.cost_vs_least_cost_usd / l * 100.0
                )),
            crate::decision_view::last_value(&s.nuclear_mw)
                .filter(|(_, mw)| *mw > 0.5)
                .map_or(String::new(), |(year, mw)| format!(
                    " with {} MW of nuclear by {year}",
                    grouped(mw)
                ))
        ));
    }
    if let Some(sentence) = crate::decision_view::breakeven_sentence(study, results) {
        page.push(&format!(
            "<li><b>Break-even:</b> {}</li>",
            escape(&sentence)
        ));
    }
    if let Some(first) = a
        .first_power_by_candidate
        .iter()
        .min_by(|x, y| x.first_power_p50.total_cmp(&y.first_power_p50))
    {
        page.push(&format!(
            // The candidate with the earliest median; "at the earliest" would misread a median.
            "<li><b>First power:</b> {} (median of the earliest candidate, {}; P10–P90 {}–{}), licensing and construction included{}.</li>",
            num(first.first_power_p50, 0),
            escape(&first.candidate),
            num(first.first_power_p10, 0),
            num(first.first_power_p90, 0),
            first.planned_year.map_or(String::new(), |y| format!("; the study plans {y}"))
        ));
    }
    page.push("</ul>");
    let synthetic: Vec<&str> = results
        .plans
        .first()
        .map(|p| {
            p.profiles
                .iter()
                .filter(|(_, label)| label.starts_with("SYNTHETIC"))
                .map(|(n, _)| n.as_str())
                .collect()
        })
        .unwrap_or_default();
    if !synthetic.is_empty() {
        page.push(&format!(
            "<p class=\"note\">SYNTHETIC hourly series: {} (see data-quality notes). {}</p>",
            escape(&synthetic.join(", ")),
            escape(
                &results
                    .plans
                    .first()
                    .map_or(String::new(), |p| p.aggregation_note.clone())
            )
        ));
    }
    page.push("</section>");
}
