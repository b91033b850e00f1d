//! `report.html`: one self-contained page answering the study's question first, then the
//! evidence (costs, plan, dispatch, grid fit, adequacy, emissions, security, ranking,
//! readiness), then sources and data-quality notes, with synthetic series labelled.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use atomplan::study::pipeline::Planning;
use atomplan::study::system::{AssetKind, StudySystem};
use atomplan::study::{StudyCatalogue, StudyFile};

use crate::charts::{self, BarSeries};
use crate::run::Results;
use crate::ReportError;

/// The written report and its chart files.
pub struct Written {
    pub path: PathBuf,
    pub charts: Vec<PathBuf>,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn num(value: f64, digits: usize) -> String {
    if value.is_finite() {
        format!("{value:.digits$}")
    } else {
        "–".to_owned()
    }
}

struct Page {
    html: String,
    charts: Vec<PathBuf>,
    dir: PathBuf,
}

impl Page {
    fn chart(&mut self, file: &str, svg: String) -> Result<(), ReportError> {
        let path = self.dir.join(file);
        std::fs::write(&path, &svg).map_err(|e| ReportError::io(&path, &e))?;
        let _ = write!(
            self.html,
            "<figure class=\"chart\" data-chart=\"{file}\">{svg}</figure>"
        );
        self.charts.push(path);
        Ok(())
    }
    fn push(&mut self, text: &str) {
        self.html.push_str(text);
    }
}

fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::from("<table><thead><tr>");
    for h in headers {
        let _ = write!(out, "<th>{}</th>", escape(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = write!(out, "<td>{}</td>", escape(cell));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

fn nuclear_build(plan: &Planning) -> Vec<(i32, String, f64, Option<f64>)> {
    plan.capacities
        .iter()
        .filter(|r| r.kind == AssetKind::Nuclear && r.capacity_mw > 0.5)
        .map(|r| {
            (
                r.year,
                r.asset.trim_start_matches("nuclear-").to_owned(),
                r.capacity_mw,
                r.units,
            )
        })
        .collect()
}

/// Writes `report.html` and the chart SVGs.
pub fn write_report(
    out_dir: &Path,
    charts_dir: &Path,
    study: &StudyFile,
    catalogue: &StudyCatalogue,
    results: &Results,
    system: &StudySystem,
) -> Result<Written, ReportError> {
    let mut page = Page {
        html: String::new(),
        charts: Vec::new(),
        dir: charts_dir.to_path_buf(),
    };
    let country = catalogue.country(&study.country);
    let country_name = country.map_or(study.country.clone(), |c| c.name.clone());
    let plan = &results.plans[results.main_plan];
    let economics = &results.economics;
    let a = &results.assessments;
    let m = &results.mcda;

    page.push(&format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{}</title><style>{}</style></head><body>",
        escape(&study.title),
        "body{font-family:sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}table{border-collapse:collapse;margin:.5em 0 1em}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;font-size:13px}th{background:#f3f3f3}figure.chart{margin:1em 0}.answer{background:#eef6ee;border-left:5px solid #2e7d32;padding:.6em 1em}.synthetic{background:#fff3cd;border-left:5px solid #d4a017;padding:.4em 1em}.failed{background:#fdecea;border-left:5px solid #c62828;padding:.4em 1em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}small{color:#666}"
    ));
    page.push(&format!(
        "<h1>{}</h1><p><small>{country_name} · base year {} · periods {} · atomplan {}</small></p>",
        escape(&study.title),
        study.horizon.base_year,
        study
            .horizon
            .periods
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        env!("CARGO_PKG_VERSION")
    ));

    // ---------------- failed stages first: a failure is never shown as a result
    for (failed, message) in results
        .plans
        .iter()
        .zip(&results.plan_failures)
        .filter_map(|(p, f)| f.as_ref().map(|m| (p, m)))
    {
        page.push(&format!(
            "<section class=\"failed\"><p><b>Scenario {} failed.</b> {}. This report leaves it out; the assessments use scenario {}.</p></section>",
            escape(&failed.scenario),
            escape(message),
            escape(&plan.scenario)
        ));
    }

    // ---------------- the answer
    let winner = m.ranking.first().cloned().unwrap_or_default();
    let cheapest = economics.rows.iter().min_by(|x, y| {
        x.lcoe_offer_usd_per_mwh
            .total_cmp(&y.lcoe_offer_usd_per_mwh)
    });
    let build = nuclear_build(plan);
    let first_build = build.iter().map(|b| b.0).min();
    let last_year = plan.periods.last().map_or(0, |p| p.year);
    let built_last: Vec<String> = build
        .iter()
        .filter(|b| b.0 == last_year)
        .map(|b| match b.3 {
            Some(units) => format!("{} × {} ({:.0} MW)", num(units, 0), b.1, b.2),
            None => format!("{} ({:.0} MW)", b.1, b.2),
        })
        .collect();
    page.push("<section class=\"answer\"><h2>Answer</h2>");
    if !study.question.is_empty() {
        page.push(&format!(
            "<p><b>Question.</b> {}</p>",
            escape(&study.question)
        ));
    }
    page.push("<ul>");
    page.push(&format!(
        "<li><b>Ranking ({}):</b> {} first; full order {}.</li>",
        escape(&m.method),
        escape(&winner),
        escape(&m.ranking.join(" > "))
    ));
    if let Some(c) = cheapest {
        page.push(&format!(
            "<li><b>Cheapest offer:</b> {} at {} USD/MWh (P5–P95 {}–{}), {}.</li>",
            escape(&c.candidate),
            num(c.lcoe_offer_usd_per_mwh, 0),
            num(c.mc_p5, 0),
            num(c.mc_p95, 0),
            escape(&c.financing)
        ));
    }
    page.push(&format!(
        "<li><b>Least-cost plan ({}):</b> {}{}.</li>",
        escape(&plan.scenario),
        if built_last.is_empty() {
            "no nuclear is built by the optimiser".to_owned()
        } else {
            format!("{} by {last_year}", built_last.join(", "))
        },
        first_build.map_or(String::new(), |y| format!(
            ", first nuclear in the {y} period"
        ))
    ));
    for g in &a.grid_fit {
        if g.candidate == winner {
            page.push(&format!(
                "<li><b>Grid fit of {}:</b> unit {:.0} MW is {}% of installed capacity ({}); {}.</li>",
                escape(&g.candidate),
                g.unit_mw,
                num(g.share_of_installed * 100.0, 1),
                escape(&g.rule_status),
                escape(&g.n1_verdict)
            ));
        }
    }
    if let (Some(first), Some(last)) = (a.emissions.first(), a.emissions.last()) {
        page.push(&format!(
            "<li><b>Emissions:</b> {} Mt in {} → {} Mt in {}{}.</li>",
            num(first.1, 1),
            first.0,
            num(last.1, 1),
            last.0,
            last.2.map_or(String::new(), |t| format!(
                " against a target of {} Mt ({})",
                num(t, 1),
                if last.1 <= t { "met" } else { "missed" }
            ))
        ));
    }
    page.push("</ul>");
    let synthetic: Vec<&(String, String)> = plan
        .profiles
        .iter()
        .filter(|(_, label)| label.starts_with("SYNTHETIC"))
        .collect();
    if !synthetic.is_empty() {
        page.push(&format!(
            "<p class=\"synthetic\">Synthetic hourly series used: {}. See data-quality notes.</p>",
            escape(
                &synthetic
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        ));
    }
    page.push(&format!(
        "<p><small>Planning method: {}. {}</small></p></section>",
        escape(&plan.method),
        escape(&plan.aggregation_note)
    ));

    // ---------------- LCOE
    page.push("<h2>Levelised cost by design and financing</h2>");
    let categories: Vec<String> = economics.rows.iter().map(|r| r.candidate.clone()).collect();
    page.chart(
        "lcoe.svg",
        charts::bars(
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
                num(r.overnight_usd_per_kw, 0),
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
        page.push(&format!("<p><small>{}</small></p>", escape(note)));
    }

    // ---------------- capacity and timeline
    page.push("<h2>Optimal capacity and build timeline</h2>");
    for (index, plan) in results.plans.iter().enumerate() {
        if let Some(Some(message)) = results.plan_failures.get(index) {
            page.push(&format!(
                "<p>Scenario <b>{}</b>: failed ({}); no plan.</p>",
                escape(&plan.scenario),
                escape(message)
            ));
            continue;
        }
        let years: Vec<i32> = plan.periods.iter().map(|p| p.year).collect();
        let mut technologies: Vec<String> = Vec::new();
        for row in plan
            .capacities
            .iter()
            .filter(|r| r.kind != AssetKind::Shedding)
        {
            if !technologies.contains(&row.technology) {
                technologies.push(row.technology.clone());
            }
        }
        let series: Vec<BarSeries> = technologies
            .iter()
            .map(|t| BarSeries {
                name: t.clone(),
                values: years
                    .iter()
                    .map(|y| {
                        plan.capacities
                            .iter()
                            .filter(|r| {
                                r.year == *y && &r.technology == t && r.kind != AssetKind::Shedding
                            })
                            .map(|r| r.capacity_mw / 1000.0)
                            .sum()
                    })
                    .collect(),
                whiskers: None,
            })
            .collect();
        page.chart(
            &format!("capacity-{index}.svg"),
            charts::bars(
                &format!("Capacity by period, scenario {}", plan.scenario),
                "GW",
                &years.iter().map(ToString::to_string).collect::<Vec<_>>(),
                &series,
                true,
            ),
        )?;
        let build_rows: Vec<Vec<String>> = nuclear_build(plan)
            .iter()
            .map(|(y, c, mw, units)| {
                vec![
                    y.to_string(),
                    c.clone(),
                    num(*mw, 0),
                    units.map_or_else(String::new, |u| num(u, 0)),
                ]
            })
            .collect();
        page.push(&format!("<p>Scenario <b>{}</b>: status {}, objective {} bn USD, MIP gap {} %, {} integer variables, solved in {} s.</p>",
            escape(&plan.scenario), escape(&plan.status), num(plan.objective_usd / 1e9, 2), num(plan.mip_gap * 100.0, 2), plan.integer_variables, num(plan.solve_s, 1)));
        if build_rows.is_empty() {
            page.push("<p>No nuclear capacity in this plan.</p>");
        } else {
            page.push(&table(
                &["period", "candidate", "MW online", "units"],
                &build_rows,
            ));
        }
    }

    // ---------------- dispatch
    page.push("<h2>Hourly dispatch: typical and stress weeks</h2>");
    for (index, week) in plan.dispatch.iter().enumerate() {
        let series: Vec<(String, Vec<f64>)> = week
            .by_technology
            .iter()
            .map(|(t, v)| (t.clone(), v.clone()))
            .collect();
        page.chart(
            &format!("dispatch-{index}.svg"),
            charts::stacked_area(
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
        page.push(&format!("<p><small>Core LP status: {}; planned capacities of the last period, fixed.</small></p>", escape(&week.status)));
    }

    // ---------------- grid fit and N-1
    page.push("<h2>Grid fit and N-1</h2>");
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
                num(g.max_unit_mw_within_limit, 0),
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
        "grid-fit.svg",
        charts::bars(
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

    // ---------------- adequacy
    page.push("<h2>Adequacy</h2>");
    page.chart(
        "adequacy.svg",
        charts::bars(
            &format!(
                "Loss-of-load expectation (standard {} h/yr)",
                num(a.lole_standard_h, 1)
            ),
            "h/yr",
            &a.adequacy.iter().map(|x| x.0.clone()).collect::<Vec<_>>(),
            &[BarSeries {
                name: "LOLE".to_owned(),
                values: a.adequacy.iter().map(|x| x.1).collect(),
                whiskers: None,
            }],
            false,
        ),
    )?;
    page.push(&table(
        &["case", "LOLE h/yr", "EUE MWh/yr"],
        &a.adequacy
            .iter()
            .map(|x| vec![x.0.clone(), num(x.1, 2), num(x.2, 0)])
            .collect::<Vec<_>>(),
    ));

    // ---------------- emissions
    page.push("<h2>Emissions against target</h2>");
    let years: Vec<f64> = a.emissions.iter().map(|e| f64::from(e.0)).collect();
    let mut series: Vec<(String, Vec<Option<f64>>)> = Vec::new();
    for (plan, _) in results
        .plans
        .iter()
        .zip(&results.plan_failures)
        .filter(|(_, failure)| failure.is_none())
    {
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
        "emissions.svg",
        charts::lines("Power-sector CO2 emissions", "Mt CO2/yr", &years, &series),
    )?;
    if !a.target_note.is_empty() {
        page.push(&format!(
            "<p><small>Target: {}</small></p>",
            escape(&a.target_note)
        ));
    }

    // ---------------- supply security
    page.push("<h2>Supply security before and after</h2>");
    page.chart(
        "security.svg",
        charts::bars(
            "Generation-mix concentration (HHI, lower is more diverse)",
            "HHI (0–10,000)",
            &a.security.iter().map(|s| s.0.clone()).collect::<Vec<_>>(),
            &[BarSeries {
                name: "HHI".to_owned(),
                values: a.security.iter().map(|s| s.1).collect(),
                whiskers: None,
            }],
            false,
        ),
    )?;
    let mut rows: Vec<Vec<String>> = a
        .security
        .iter()
        .map(|s| vec![s.0.clone(), num(s.1, 0), num(s.2, 3)])
        .collect();
    if let Some(hhi) = a.gas_import_hhi {
        rows.push(vec![
            "gas imports by supplier (catalogue)".to_owned(),
            num(hhi, 0),
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

    // ---------------- MCDA
    page.push("<h2>Partner ranking (MCDA) and its sensitivity</h2>");
    page.chart(
        "mcda.svg",
        charts::bars(
            &format!("MCDA scores ({})", m.method),
            "score",
            &m.candidates,
            &[BarSeries {
                name: "score".to_owned(),
                values: m.scores.clone(),
                whiskers: None,
            }],
            false,
        ),
    )?;
    let mut headers = vec!["candidate".to_owned()];
    headers.extend(
        m.criteria
            .iter()
            .zip(&m.weights)
            .map(|(c, w)| format!("{c} (w {:.2})", w)),
    );
    let rows: Vec<Vec<String>> = m
        .candidates
        .iter()
        .zip(&m.matrix)
        .map(|(c, row)| {
            let mut out = vec![c.clone()];
            out.extend(row.iter().map(|v| num(*v, 2)));
            out
        })
        .collect();
    page.push(&table(
        &headers.iter().map(String::as_str).collect::<Vec<_>>(),
        &rows,
    ));
    if !m.sensitivity.is_empty() {
        page.push(&table(
            &["criterion", "winner stays first for weights in"],
            &m.sensitivity
                .iter()
                .map(|(c, lo, hi)| vec![c.clone(), format!("[{}, {}]", num(*lo, 3), num(*hi, 3))])
                .collect::<Vec<_>>(),
        ));
    }

    // ---------------- readiness
    page.push("<h2>Programme readiness (IAEA Milestones)</h2>");
    page.push(&format!(
        "<p>Phase {} ({}). Phase-weighted completion {}.{}</p>",
        a.readiness_phase
            .map_or("unknown".to_owned(), |p| p.to_string()),
        escape(&a.readiness_basis),
        a.readiness_completion
            .map_or("unknown".to_owned(), |c| format!("{:.0} %", c * 100.0)),
        a.first_power_year_p10_p50_p90
            .map_or(String::new(), |(p10, p50, p90)| format!(
                " First power (readiness model): P10 {p10:.0}, P50 {p50:.0}, P90 {p90:.0}."
            ))
    ));
    if !a.open_issues.is_empty() {
        page.push(&format!(
            "<p><small>Open issues in the current phase: {}.</small></p>",
            escape(&a.open_issues.join(", "))
        ));
    }
    if !a.export_market.is_empty() {
        page.push(&format!(
            "<p><small>Export market (catalogue projects, share of units by vendor country): {}.</small></p>",
            escape(&a.export_market.iter().map(|(c, s)| format!("{c} {:.0} %", s * 100.0)).collect::<Vec<_>>().join(", "))
        ));
    }

    // ---------------- sources and data quality
    page.push("<h2>Sources and data-quality notes</h2><h3>Hourly profiles</h3><ul>");
    for (name, profile) in [
        ("load", &system.load_profile),
        ("wind", &system.wind_profile),
        ("solar", &system.solar_profile),
        ("hydro", &system.hydro_profile),
    ] {
        page.push(&format!(
            "<li><b>{name}</b>: {}</li>",
            escape(&profile.origin.label())
        ));
    }
    page.push("</ul><p><small>Synthetic methods: docs/methods/profiles.md.</small></p><h3>Catalogue and assumptions</h3><ul>");
    let country_code = study.country.to_ascii_uppercase();
    for note in catalogue.data_notes.iter().filter(|n| {
        !n.contains(": ") || n.starts_with(&format!("{country_code}:")) || n.starts_with("design")
    }) {
        page.push(&format!("<li>{}</li>", escape(note)));
    }
    for note in plan.notes.iter().chain(&a.notes) {
        page.push(&format!("<li>{}</li>", escape(note)));
    }
    page.push("</ul><h3>Sources</h3><ul>");
    for row in &economics.rows {
        if let Some(design) = catalogue.design(&row.design) {
            page.push(&format!(
                "<li>{}: {}</li>",
                escape(&design.name),
                escape(&design.sources.join(", "))
            ));
        }
    }
    for candidate in &study.candidates {
        if !candidate.financing.source.is_empty() {
            page.push(&format!(
                "<li>financing of {}: {}</li>",
                escape(&candidate.id),
                escape(&candidate.financing.source)
            ));
        }
    }
    for scenario in &study.demand_scenarios {
        if !scenario.source.is_empty() {
            page.push(&format!(
                "<li>demand {}: {}</li>",
                escape(&scenario.name),
                escape(&scenario.source)
            ));
        }
    }
    for scenario in &study.price_scenarios {
        if !scenario.source.is_empty() {
            page.push(&format!(
                "<li>prices {}: {}</li>",
                escape(&scenario.name),
                escape(&scenario.source)
            ));
        }
    }
    page.push(&format!(
        "<li>catalogue: {}</li></ul>",
        escape(&catalogue.version)
    ));
    page.push("<p><small>Results: results.sqlite (every table, inputs, provenance, stage log) and csv/.</small></p></body></html>\n");

    let path = out_dir.join("report.html");
    std::fs::write(&path, &page.html).map_err(|e| ReportError::io(&path, &e))?;
    Ok(Written {
        path,
        charts: page.charts,
    })
}
