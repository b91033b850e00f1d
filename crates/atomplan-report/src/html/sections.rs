//! The evidence sections of the report, after the Answer box and the assumptions.

use atomplan::study::system::{AssetKind, StudySystem};
use atomplan::study::{StudyCatalogue, StudyFile};

use super::{
    escape, grouped, mix_by_technology, nuclear_build, num, stacked_series, table, table_html, Page,
};
use crate::charts::{self, BarSeries};
use crate::sources::Citations;
use crate::{alternatives, ReportError};
use atomplan::study::runner::StudyResults;

/// A bar chart with one series.
pub fn bar_chart(title: &str, unit: &str, categories: &[String], values: Vec<f64>) -> String {
    charts::bars(
        title,
        unit,
        categories,
        &[BarSeries {
            name: unit.to_owned(),
            values,
            whiskers: None,
        }],
        false,
    )
}

pub fn write_costs(
    page: &mut Page,
    study: &StudyFile,
    catalogue: &StudyCatalogue,
    results: &StudyResults,
    citations: &mut Citations,
) -> Result<(), ReportError> {
    let economics = &results.economics;
    page.push("<h2 id=\"costs\">Levelised cost: nuclear offers and the alternatives</h2>");
    let categories: Vec<String> = economics.rows.iter().map(|r| r.candidate.clone()).collect();
    page.chart(
        "lcoe",
        &charts::bars(
            "LCOE by candidate: vendor offer (P5–P95) vs social discount rate",
            "USD/MWh",
            &categories,
            &[
                BarSeries {
                    name: "vendor offer".to_owned(),
                    values: economics
                        .rows
                        .iter()
                        .map(|r| r.lcoe_offer_usd_per_mwh)
                        .collect(),
                    whiskers: Some(economics.rows.iter().map(|r| (r.mc_p5, r.mc_p95)).collect()),
                },
                BarSeries {
                    name: format!("all-equity at {:.1} %", study.options.discount_rate * 100.0),
                    values: economics
                        .rows
                        .iter()
                        .map(|r| r.lcoe_social_usd_per_mwh)
                        .collect(),
                    whiskers: None,
                },
            ],
            false,
        ),
    )?;
    let rows: Vec<Vec<String>> = economics
        .rows
        .iter()
        .map(|r| {
            vec![
                r.candidate.clone(),
                r.design.clone(),
                r.vendor.clone(),
                r.financing.clone(),
                num(r.unit_mw, 0),
                grouped(r.overnight_usd_per_kw),
                num(r.lcoe_offer_usd_per_mwh, 1),
                format!("{}–{}", num(r.mc_p5, 0), num(r.mc_p95, 0)),
                num(r.lcoe_social_usd_per_mwh, 1),
                r.ppa_price_usd_per_mwh
                    .map_or_else(String::new, |p| num(p, 1)),
                r.min_dscr.map_or_else(String::new, |d| num(d, 2)),
            ]
        })
        .collect();
    page.push(&table(
        &[
            "candidate",
            "design",
            "vendor",
            "financing",
            "unit MW",
            "overnight USD/kW",
            "LCOE offer",
            "P5–P95",
            "LCOE social",
            "PPA USD/MWh",
            "min DSCR",
        ],
        &rows,
    ));
    for note in &economics.notes {
        page.push(&format!(
            "<p class=\"note\">{}</p>",
            citations.cite_text(note)
        ));
    }

    // The alternatives on the same basis as the social LCOE.
    let alternatives = alternatives::alternatives(study, catalogue, results);
    if !alternatives.rows.is_empty() {
        page.push(&format!(
            "<h3>Alternatives on the same basis</h3><p>The social LCOE of each nuclear candidate beside the alternatives, all equity at the study's {} % discount rate, fuel and CO2 at the prices of scenario <b>{}</b> in {} (the econ crate's cash-flow model for all).</p>",
            num(study.options.discount_rate * 100.0, 1),
            escape(&alternatives.price_scenario),
            alternatives.year
        ));
        let mut names: Vec<String> = economics
            .rows
            .iter()
            .map(|r| format!("{} (social)", r.candidate))
            .collect();
        let mut capital: Vec<f64> = economics
            .rows
            .iter()
            .map(|r| r.lcoe_social_usd_per_mwh)
            .collect();
        let mut fuel: Vec<f64> = vec![0.0; names.len()];
        let mut co2: Vec<f64> = vec![0.0; names.len()];
        for alternative in &alternatives.rows {
            names.push(alternative.label.clone());
            capital.push(alternative.lcoe.capital_and_om_usd_per_mwh);
            fuel.push(alternative.lcoe.fuel_usd_per_mwh);
            co2.push(alternative.lcoe.co2_usd_per_mwh);
        }
        page.chart(
            "lcoe-alternatives",
            &charts::bars(
                "LCOE of nuclear (social) and the alternatives, same discount rate",
                "USD/MWh",
                &names,
                &[
                    BarSeries {
                        name: "capital and O&M".to_owned(),
                        values: capital,
                        whiskers: None,
                    },
                    BarSeries {
                        name: "fuel".to_owned(),
                        values: fuel,
                        whiskers: None,
                    },
                    BarSeries {
                        name: "CO2".to_owned(),
                        values: co2,
                        whiskers: None,
                    },
                ],
                true,
            ),
        )?;
        let rows: Vec<Vec<String>> = alternatives
            .rows
            .iter()
            .map(|a| {
                vec![
                    escape(&a.label),
                    num(a.lcoe.lcoe_usd_per_mwh, 1),
                    num(a.lcoe.capital_and_om_usd_per_mwh, 1),
                    num(a.lcoe.fuel_usd_per_mwh, 1),
                    num(a.lcoe.co2_usd_per_mwh, 1),
                    format!(
                        "{} % ({})",
                        num(a.lcoe.capacity_factor * 100.0, 0),
                        escape(&a.capacity_factor_basis)
                    ),
                    citations.cite_text(&a.source),
                ]
            })
            .collect();
        page.push(&table_html(
            &[
                "alternative",
                "LCOE USD/MWh",
                "capital and O&M",
                "fuel",
                "CO2",
                "capacity factor",
                "cost source",
            ],
            &rows,
        ));
        for note in &alternatives.notes {
            page.push(&format!(
                "<p class=\"note\">{}</p>",
                citations.cite_text(note)
            ));
        }
    }
    Ok(())
}

pub fn write_plans(page: &mut Page, results: &StudyResults) -> Result<(), ReportError> {
    page.push("<h2 id=\"plans\">What each plan builds: capacity and build timeline</h2>");
    // The scenarios side by side in the last period: capacity and generation mix.
    if results.plans.len() > 1 {
        let last =
            |plan: &atomplan::study::pipeline::Planning| plan.periods.last().map_or(0, |p| p.year);
        let names: Vec<String> = results.plans.iter().map(|p| p.scenario.clone()).collect();
        let capacity: Vec<Vec<(String, f64)>> = results
            .plans
            .iter()
            .map(|p| mix_by_technology(p, last(p), false))
            .collect();
        let energy: Vec<Vec<(String, f64)>> = results
            .plans
            .iter()
            .map(|p| mix_by_technology(p, last(p), true))
            .collect();
        page.chart(
            "capacity-by-scenario",
            &charts::bars(
                "Capacity mix in the last period, scenarios side by side",
                "GW",
                &names,
                &stacked_series(&capacity),
                true,
            ),
        )?;
        page.chart(
            "generation-by-scenario",
            &charts::bars(
                "Generation mix in the last period, scenarios side by side",
                "TWh/yr",
                &names,
                &stacked_series(&energy),
                true,
            ),
        )?;
    }
    for (index, plan) in results.plans.iter().enumerate() {
        let years: Vec<i32> = plan.periods.iter().map(|p| p.year).collect();
        let columns: Vec<Vec<(String, f64)>> = years
            .iter()
            .map(|y| mix_by_technology(plan, *y, false))
            .collect();
        page.chart(
            &format!("capacity-{index}"),
            &charts::bars(
                &format!("Capacity by period, scenario {}", plan.scenario),
                "GW",
                &years.iter().map(ToString::to_string).collect::<Vec<_>>(),
                &stacked_series(&columns),
                true,
            ),
        )?;
        let build_rows: Vec<Vec<String>> = nuclear_build(plan)
            .iter()
            .map(|(y, c, mw, units)| {
                vec![
                    y.to_string(),
                    c.clone(),
                    grouped(*mw),
                    units.map_or_else(String::new, |u| num(u, 0)),
                ]
            })
            .collect();
        page.push(&format!("<p>Scenario <b>{}</b>: status {}, objective {} bn USD, MIP gap {} %, {} integer variables, solved in {} s.</p>",
            escape(&plan.scenario), plan.status.as_str(), num(plan.objective_usd / 1e9, 2), num(plan.mip_gap * 100.0, 2), plan.integer_variables, num(plan.solve_s, 1)));
        if build_rows.is_empty() {
            page.push("<p>No nuclear capacity in this plan.</p>");
        } else {
            page.push(&table(
                &["period", "candidate", "MW online", "units"],
                &build_rows,
            ));
        }
        // What else the plan builds, by period.
        let mut other_rows = Vec::new();
        for year in &years {
            let built: Vec<String> = plan
                .capacities
                .iter()
                .filter(|r| r.year == *year && r.kind == AssetKind::Expansion && r.built > 0.5)
                .map(|r| format!("{} {} MW", r.technology, grouped(r.built)))
                .collect();
            if !built.is_empty() {
                other_rows.push(vec![year.to_string(), built.join(", ")]);
            }
        }
        if !other_rows.is_empty() {
            page.push(&table(
                &["period", "other new capacity built in the period"],
                &other_rows,
            ));
        }
    }
    Ok(())
}

pub fn write_dispatch(page: &mut Page, results: &StudyResults) -> Result<(), ReportError> {
    let Some(plan) = results.plans.first() else {
        return Ok(());
    };
    page.push("<h2 id=\"dispatch\">Hourly dispatch: typical and stress weeks</h2>");
    for (index, week) in plan.dispatch.iter().enumerate() {
        let series: Vec<(String, Vec<f64>)> = week
            .by_technology
            .iter()
            .map(|(t, v)| (t.clone(), v.clone()))
            .collect();
        page.chart(
            &format!("dispatch-{index}"),
            &charts::stacked_area(
                &format!(
                    "Dispatch, {} {} (hours {}–{})",
                    week.label,
                    week.year,
                    week.first_hour,
                    week.first_hour + 167
                ),
                "MW",
                &series,
                Some(("load", &week.load_mw)),
            ),
        )?;
        page.push(&format!(
            "<p class=\"note\">Core LP status: {}; the last period's planned capacities, fixed, dispatched hour by hour over the profile year.</p>",
            escape(&week.status)
        ));
        if let Some(comment) = unserved_comment(week) {
            page.push(&format!("<p class=\"alert\">{}</p>", escape(&comment)));
        }
    }
    Ok(())
}

/// A plain comment on unserved energy in a dispatch week, if there is any.
pub fn unserved_comment(week: &atomplan::study::pipeline::DispatchWeek) -> Option<String> {
    let unserved: Vec<f64> = week
        .by_technology
        .iter()
        .filter(|(t, _)| t == "unserved" || t.contains("shed"))
        .flat_map(|(_, v)| v.iter().copied())
        .collect();
    let total_mwh: f64 = unserved.iter().filter(|v| **v > 0.0).sum();
    if total_mwh < 1.0 {
        return None;
    }
    let hours = week
        .by_technology
        .iter()
        .filter(|(t, _)| t == "unserved" || t.contains("shed"))
        .map(|(_, v)| v.iter().filter(|x| **x > 0.5).count())
        .max()
        .unwrap_or(0);
    let peak = unserved.iter().copied().fold(0.0, f64::max);
    Some(format!(
        "Unserved energy in this week: {} MWh over {hours} hours, up to {} MW. The capacities planned on representative days do not cover every hour of the real year: in these hours load exceeds what the fleet can supply, and the shortfall is priced at the value of lost load. It is a sign that the plan's reserve or firm capacity is short in {}, to be read with the adequacy check below.",
        grouped(total_mwh),
        grouped(peak),
        week.year
    ))
}

pub fn write_grid_and_adequacy(page: &mut Page, results: &StudyResults) -> Result<(), ReportError> {
    let a = &results.assessments;
    page.push("<h2 id=\"grid\">Grid fit and N-1</h2>");
    let rows: Vec<Vec<String>> = a
        .grid_fit
        .iter()
        .map(|g| {
            vec![
                g.candidate.clone(),
                num(g.unit_mw, 0),
                format!("{} %", num(g.share_of_installed * 100.0, 1)),
                format!("{} %", num(g.share_of_peak * 100.0, 1)),
                g.rule_status.clone(),
                grouped(g.max_unit_mw_within_limit),
                g.n1_verdict.clone(),
            ]
        })
        .collect();
    page.push(&table(
        &[
            "candidate",
            "unit MW",
            "share of installed",
            "share of peak",
            "IAEA size rule",
            "largest unit within limit, MW",
            "N-1 verdict",
        ],
        &rows,
    ));
    page.chart(
        "grid-fit",
        &charts::bars(
            "Unit size against the largest unit within the size rule",
            "MW",
            &a.grid_fit
                .iter()
                .map(|g| g.candidate.clone())
                .collect::<Vec<_>>(),
            &[
                BarSeries {
                    name: "unit size".to_owned(),
                    values: a.grid_fit.iter().map(|g| g.unit_mw).collect(),
                    whiskers: None,
                },
                BarSeries {
                    name: "limit".to_owned(),
                    values: a
                        .grid_fit
                        .iter()
                        .map(|g| g.max_unit_mw_within_limit)
                        .collect(),
                    whiskers: None,
                },
            ],
            false,
        ),
    )?;

    page.push("<h2 id=\"adequacy\">Adequacy</h2>");
    page.chart(
        "adequacy",
        &bar_chart(
            &format!(
                "Loss-of-load expectation (standard {} h/yr)",
                num(a.lole_standard_h, 1)
            ),
            "h/yr",
            &a.adequacy.iter().map(|x| x.0.clone()).collect::<Vec<_>>(),
            a.adequacy.iter().map(|x| x.1).collect(),
        ),
    )?;
    page.push(&table(
        &["case", "LOLE h/yr", "EUE MWh/yr", "meets the standard"],
        &a.adequacy
            .iter()
            .map(|x| {
                vec![
                    x.0.clone(),
                    num(x.1, 2),
                    grouped(x.2),
                    if x.1 <= a.lole_standard_h {
                        "yes"
                    } else {
                        "no"
                    }
                    .to_owned(),
                ]
            })
            .collect::<Vec<_>>(),
    ));
    for (label, lole, _) in &a.adequacy {
        if *lole > a.lole_standard_h {
            page.push(&format!(
                "<p class=\"alert\">{}: LOLE {} h/yr is {} times the standard of {} h/yr. The plan as solved does not keep the lights on to the study's own standard; firm capacity or a reserve margin is missing.</p>",
                escape(label),
                num(*lole, 1),
                num(*lole / a.lole_standard_h.max(1e-9), 1),
                num(a.lole_standard_h, 1)
            ));
        }
    }
    Ok(())
}

pub fn write_emissions_and_security(
    page: &mut Page,
    study: &StudyFile,
    catalogue: &StudyCatalogue,
    results: &StudyResults,
    citations: &mut Citations,
) -> Result<(), ReportError> {
    let a = &results.assessments;
    page.push("<h2 id=\"emissions\">Emissions against target</h2>");
    let years: Vec<f64> = a.emissions.iter().map(|e| f64::from(e.0)).collect();
    let mut series: Vec<(String, Vec<Option<f64>>)> = Vec::new();
    for plan in &results.plans {
        series.push((
            format!("plan {}", plan.scenario),
            plan.periods.iter().map(|p| Some(p.emissions_mt)).collect(),
        ));
    }
    series.push((
        "target".to_owned(),
        a.emissions.iter().map(|e| e.2).collect(),
    ));
    page.chart(
        "emissions",
        &charts::lines("Power-sector CO2 emissions", "Mt CO2/yr", &years, &series),
    )?;
    if !a.target_note.is_empty() {
        page.push(&format!(
            "<p class=\"note\">Target: {}</p>",
            citations.cite_text(&a.target_note)
        ));
    }

    page.push("<h2 id=\"security\">Supply security</h2>");
    let scenarios = crate::security_view::by_scenario(study, catalogue, &results.plans);
    if !scenarios.is_empty() {
        page.push("<h3>With and without nuclear: the scenarios' plans side by side</h3>");
        let names: Vec<String> = scenarios
            .iter()
            .map(|s| format!("{} ({} GW nuclear)", s.scenario, num(s.nuclear_gw, 1)))
            .collect();
        page.chart(
            "security-by-scenario",
            &charts::bars(
                "Dependence by scenario, last period: shares of generation",
                "% of generation",
                &names,
                &[
                    BarSeries {
                        name: "gas".to_owned(),
                        values: scenarios.iter().map(|s| s.gas_share * 100.0).collect(),
                        whiskers: None,
                    },
                    BarSeries {
                        name: "on imported gas".to_owned(),
                        values: scenarios
                            .iter()
                            .map(|s| s.imported_gas_share.unwrap_or(f64::NAN) * 100.0)
                            .collect(),
                        whiskers: None,
                    },
                    BarSeries {
                        name: "imports".to_owned(),
                        values: scenarios.iter().map(|s| s.import_share * 100.0).collect(),
                        whiskers: None,
                    },
                ],
                false,
            ),
        )?;
        let rows: Vec<Vec<String>> = scenarios
            .iter()
            .map(|s| {
                vec![
                    s.scenario.clone(),
                    s.year.to_string(),
                    num(s.nuclear_gw, 2),
                    grouped(s.hhi),
                    num(s.shannon, 3),
                    format!("{} %", num(s.gas_share * 100.0, 1)),
                    s.imported_gas_share
                        .map_or("not in the catalogue".to_owned(), |v| {
                            format!("{} %", num(v * 100.0, 1))
                        }),
                    format!("{} %", num(s.import_share * 100.0, 1)),
                    if s.nuclear_by_vendor_country.is_empty() {
                        "none".to_owned()
                    } else {
                        s.nuclear_by_vendor_country
                            .iter()
                            .map(|(v, mw)| format!("{v} {} MW", grouped(*mw)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    },
                ]
            })
            .collect();
        page.push(&table(
            &[
                "scenario",
                "year",
                "nuclear GW",
                "HHI of generation",
                "Shannon",
                "gas share",
                "on imported gas",
                "electricity imports",
                "new nuclear by vendor country",
            ],
            &rows,
        ));
        page.push("<p class=\"note\">HHI 0–10,000 (lower is more diverse), Shannon in nats (higher is more diverse), of the last period's generation by technology. Imported gas share = gas share × the catalogue's gas import dependence of the country. Vendor dependence counts the nuclear capacity each plan builds; units already operating or committed and domestic fuel fabrication are not yet in the study's fleet data, so they are not counted here.</p>");
        page.push("<h3>First and last period of the first scenario</h3>");
    }
    page.chart(
        "security",
        &bar_chart(
            "Generation-mix concentration (HHI, lower is more diverse)",
            "HHI (0–10,000)",
            &a.security.iter().map(|s| s.0.clone()).collect::<Vec<_>>(),
            a.security.iter().map(|s| s.1).collect(),
        ),
    )?;
    let mut rows: Vec<Vec<String>> = a
        .security
        .iter()
        .map(|s| vec![s.0.clone(), grouped(s.1), num(s.2, 3)])
        .collect();
    if let Some(hhi) = a.gas_import_hhi {
        rows.push(vec![
            "gas imports by supplier (catalogue)".to_owned(),
            grouped(hhi),
            String::new(),
        ]);
    }
    page.push(&table(&["case", "HHI", "Shannon"], &rows));
    if !a.fuel_vendor_shares.is_empty() {
        page.push(&format!(
            "<p>Nuclear fuel supply of the planned fleet by vendor country: {}.</p>",
            escape(
                &a.fuel_vendor_shares
                    .iter()
                    .map(|(c, s)| format!("{c} {:.0} %", s * 100.0))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        ));
    }
    Ok(())
}

pub fn write_mcda(page: &mut Page, results: &StudyResults) -> Result<(), ReportError> {
    let m = &results.mcda;
    page.push("<h2 id=\"mcda\">Partner ranking (MCDA) and the weights that would change it</h2>");
    page.chart(
        "mcda",
        &bar_chart(
            &format!("MCDA scores ({})", m.method),
            "score",
            &m.candidates,
            m.scores.clone(),
        ),
    )?;
    let mut headers = vec![
        "rank".to_owned(),
        "candidate".to_owned(),
        "score".to_owned(),
    ];
    headers.extend(
        m.criteria
            .iter()
            .zip(&m.weights)
            .map(|(c, w)| format!("{c} (w {w:.2})")),
    );
    let rows: Vec<Vec<String>> = m
        .ranking
        .iter()
        .enumerate()
        .filter_map(|(rank, candidate)| {
            let idx = m.candidates.iter().position(|c| c == candidate)?;
            let mut out = vec![
                (rank + 1).to_string(),
                candidate.clone(),
                num(m.scores.get(idx).copied().unwrap_or(f64::NAN), 3),
            ];
            out.extend(m.matrix.get(idx).into_iter().flatten().map(|v| {
                if v.abs() >= 100.0 {
                    grouped(*v)
                } else {
                    num(*v, 2)
                }
            }));
            Some(out)
        })
        .collect();
    page.push(&table(
        &headers.iter().map(String::as_str).collect::<Vec<_>>(),
        &rows,
    ));
    if !m.winner_switches.is_empty() {
        let winner = m.ranking.first().cloned().unwrap_or_default();
        let fragile: Vec<&atomplan::assess::mcda::sensitivity::WinnerSwitch> = m
            .winner_switches
            .iter()
            .filter(|s| s.is_fragile())
            .collect();
        if fragile.is_empty() {
            page.push(&format!(
                "<p><b>{}</b> stays first unless a weight moves by more than {} (weights sum to 1).</p>",
                escape(&winner),
                num(atomplan::assess::mcda::sensitivity::FRAGILE_WEIGHT_CHANGE, 2)
            ));
        } else {
            page.push(&format!(
                "<p class=\"alert\"><span class=\"fragile\">Fragile winner.</span> {} is first only within a narrow band of weights: {}.</p>",
                escape(&winner),
                escape(&fragile.iter().map(|s| switch_sentence(s)).collect::<Vec<_>>().join("; "))
            ));
        }
        let rows: Vec<Vec<String>> = m
            .winner_switches
            .iter()
            .map(|s| {
                vec![
                    s.criterion.clone(),
                    num(s.weight, 3),
                    match (&s.lower, &s.lower_winner) {
                        (Some(w), Some(who)) => format!("below {}: {who}", num(*w, 3)),
                        _ => "holds down to 0".to_owned(),
                    },
                    match (&s.upper, &s.upper_winner) {
                        (Some(w), Some(who)) => format!("above {}: {who}", num(*w, 3)),
                        _ => "holds up to 1".to_owned(),
                    },
                    s.nearest_change().map_or("never".to_owned(), |c| num(c, 3)),
                    if s.is_fragile() { "fragile" } else { "" }.to_owned(),
                ]
            })
            .collect();
        page.push(&table(
            &[
                "criterion",
                "weight set",
                "winner changes (lower)",
                "winner changes (upper)",
                "smallest change that flips the winner",
                "",
            ],
            &rows,
        ));
        page.push(&format!("<p class=\"note\">One weight at a time moves; the others keep their ratios. A winner is flagged fragile when a change of at most {} in one weight puts another candidate first (a reporting threshold, not a published one).</p>", num(atomplan::assess::mcda::sensitivity::FRAGILE_WEIGHT_CHANGE, 2)));
    }
    page.push("<p class=\"note\">Metrics: <code>lcoe</code> is the offer LCOE; <code>lcoe_p95</code> its Monte Carlo P95 (named <code>lcoe_p90</code> before; the old name is read with a warning); <code>reference_units</code> counts units of catalogue projects in operation, not cancelled or planned ones; <code>fuel_vendor_share</code> is the vendor country's share of reactors being built abroad.</p>");
    Ok(())
}

/// "references: 0.186 (set 0.15) puts X first".
pub fn switch_sentence(switch: &atomplan::assess::mcda::sensitivity::WinnerSwitch) -> String {
    let mut parts = Vec::new();
    if let (Some(w), Some(who)) = (switch.lower, &switch.lower_winner) {
        parts.push(format!("below {} {who} leads", num(w, 3)));
    }
    if let (Some(w), Some(who)) = (switch.upper, &switch.upper_winner) {
        parts.push(format!("above {} {who} leads", num(w, 3)));
    }
    format!(
        "weight on {} set at {}; {}",
        switch.criterion,
        num(switch.weight, 3),
        parts.join(", ")
    )
}

pub fn write_readiness(page: &mut Page, results: &StudyResults) {
    let a = &results.assessments;
    page.push("<h2 id=\"readiness\">Programme readiness (IAEA Milestones) and first power</h2>");
    page.push(&format!(
        "<p>Phase {} ({}). Phase-weighted completion {}.</p>",
        a.readiness_phase
            .map_or("unknown".to_owned(), |p| p.to_string()),
        escape(&a.readiness_basis),
        a.readiness_completion
            .map_or("unknown".to_owned(), |c| format!("{:.0} %", c * 100.0)),
    ));
    if !a.first_power_by_candidate.is_empty() {
        let rows: Vec<Vec<String>> = a
            .first_power_by_candidate
            .iter()
            .map(|e| {
                vec![
                    e.candidate.clone(),
                    if e.construction_months_assumed {
                        format!("{} (assumed: none recorded)", num(e.construction_months, 0))
                    } else {
                        num(e.construction_months, 0)
                    },
                    format!(
                        "{}–{}",
                        num(e.licensing_years.0, 0),
                        num(e.licensing_years.1, 0)
                    ),
                    num(e.construction_start_p50, 0),
                    format!(
                        "{} / {} / {}",
                        num(e.first_power_p10, 0),
                        num(e.first_power_p50, 0),
                        num(e.first_power_p90, 0)
                    ),
                    e.planned_year.map_or_else(String::new, |y| y.to_string()),
                    e.years_after_plan().map_or_else(String::new, |d| {
                        if d > 0.5 {
                            format!("{} years late", num(d, 1))
                        } else if d < -0.5 {
                            format!("{} years early", num(-d, 1))
                        } else {
                            "on plan".to_owned()
                        }
                    }),
                ]
            })
            .collect();
        page.push(&table(
            &[
                "candidate",
                "construction months",
                "licensing years (assumed)",
                "first concrete P50",
                "first power P10 / P50 / P90",
                "year the study plans",
                "P50 against the plan",
            ],
            &rows,
        ));
        if let Some(year) = a.readiness_from_year {
            page.push(&format!(
                "<p class=\"note\">Counted from {year}: the later of the study's base year and the year the phase was assessed.</p>"
            ));
        }
        page.push("<p class=\"note\">First power = the preparatory Milestones work still to do (IAEA: 10–15 years for a whole programme, spread over phases 1–2) + contracting and licensing to first concrete (2–5 years, an assumption) + the design's construction time (catalogue; where the catalogue records none, 48 months for a small reactor and 72 for a large one, an assumption marked in the table). docs/methods/readiness.md.</p>");
    }
    if !a.open_issues.is_empty() {
        page.push(&format!(
            "<p class=\"note\">Open issues in the current phase: {}.</p>",
            escape(&a.open_issues.join(", "))
        ));
    }
    if !a.export_market.is_empty() {
        page.push(&format!(
            "<p class=\"note\">Export market (catalogue projects, share of units by vendor country): {}.</p>",
            escape(&a.export_market.iter().map(|(c, s)| format!("{c} {:.0} %", s * 100.0)).collect::<Vec<_>>().join(", "))
        ));
    }
}

/// Whether a catalogue data note concerns this study: its country, a design it uses, or a
/// technology it models; notes without a subject are kept.
pub fn note_concerns_study(
    note: &str,
    country: &str,
    designs: &[String],
    technologies: &[String],
) -> bool {
    let subject = note.split(':').next().unwrap_or("");
    if subject.len() == 2 && subject.chars().all(|c| c.is_ascii_uppercase()) {
        return subject.eq_ignore_ascii_case(country);
    }
    let quoted: Vec<&str> = note.split('`').skip(1).step_by(2).collect();
    if note.starts_with("design") || note.starts_with("technology") || !quoted.is_empty() {
        return quoted.iter().any(|q| {
            designs
                .iter()
                .chain(technologies)
                .any(|d| d.eq_ignore_ascii_case(q))
        });
    }
    true
}

pub fn write_sources_and_notes(
    page: &mut Page,
    citations: &mut Citations,
    study: &StudyFile,
    catalogue: &StudyCatalogue,
    results: &StudyResults,
    system: &StudySystem,
) {
    page.push(
        "<h2 id=\"notes\">Data-quality notes</h2><h3>Hourly profiles</h3><ul class=\"notes\">",
    );
    for (name, profile) in [
        ("load", &system.load_profile),
        ("wind", &system.wind_profile),
        ("solar", &system.solar_profile),
        ("hydro", &system.hydro_profile),
    ] {
        page.push(&format!(
            "<li><b>{name}</b>: {}</li>",
            citations.cite_text(&profile.origin.label())
        ));
    }
    page.push("</ul><p class=\"note\">Synthetic methods: docs/methods/profiles.md.</p><h3>Catalogue and model notes for this study</h3><ul class=\"notes\">");
    let designs: Vec<String> = study.candidates.iter().map(|c| c.design.clone()).collect();
    let technologies: Vec<String> = catalogue
        .technologies
        .iter()
        .map(|t| t.technology.clone())
        .collect();
    let relevant: Vec<&String> = catalogue
        .data_notes
        .iter()
        .filter(|n| note_concerns_study(n, &study.country, &designs, &technologies))
        .collect();
    for note in &relevant {
        page.push(&format!("<li>{}</li>", citations.cite_text(note)));
    }
    let mut seen: Vec<&String> = Vec::new();
    for note in results
        .plans
        .iter()
        .flat_map(|p| &p.notes)
        .chain(&results.assessments.notes)
    {
        if !seen.contains(&note) {
            seen.push(note);
            page.push(&format!("<li>{}</li>", citations.cite_text(note)));
        }
    }
    page.push("</ul>");
    let left_out = catalogue.data_notes.len() - relevant.len();
    if left_out > 0 {
        page.push(&format!("<p class=\"note\">{left_out} catalogue notes about other countries, designs and technologies are left out (see <code>atomplan catalogue check</code>).</p>"));
    }
    // Sources of the designs, financing and scenarios: cited here if not already.
    for row in &results.economics.rows {
        if let Some(design) = catalogue.design(&row.design) {
            citations.cite_ids(&design.sources);
        }
    }
    for candidate in &study.candidates {
        citations.cite_text(&candidate.financing.source);
    }
    page.push(&format!(
        "<h2 id=\"sources\">Sources</h2><p class=\"note\">{} sources, numbered in the order the report cites them. Catalogue: {}.</p>",
        citations.len(),
        escape(&catalogue.version)
    ));
    page.push(&citations.list_html());
}
