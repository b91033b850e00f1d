//! The decision numbers of `decision.json` in the report: the scenarios side by side in the
//! Answer box, and a section of charts — break-evens, the tornado of system cost, gas burn and
//! import bill, average price and the price-duration curve by scenario.

use std::collections::BTreeMap;

use atomplan::study::decision::{Decision, ScenarioDecision, TornadoBar, TornadoLever};
use atomplan::study::pipeline::Planning;
use atomplan::study::scenario::LEAST_COST;
use atomplan::study::system::interpolate_by_year;
use atomplan::study::StudyFile;

use crate::charts;
use crate::html::{escape, grouped, num, table, Page};
use crate::ReportError;
use atomplan::study::runner::StudyResults;

/// The value of a year-keyed map at its last year.
pub fn last_value(map: &std::collections::BTreeMap<String, f64>) -> Option<(i32, f64)> {
    map.iter()
        .filter_map(|(year, value)| year.parse::<i32>().ok().map(|y| (y, *value)))
        .max_by_key(|(y, _)| *y)
}

/// The scenario called `least-cost`, if any.
pub fn least_cost(decision: &Decision) -> Option<&ScenarioDecision> {
    decision.scenarios.iter().find(|s| s.name == LEAST_COST)
}

/// The sentence on break-evens: the easiest way for nuclear to enter the least-cost plan.
pub fn breakeven_sentence(study: &StudyFile, results: &StudyResults) -> Option<String> {
    let decision = &results.decision;
    if decision.candidates.is_empty() {
        return None;
    }
    let mut parts = Vec::new();
    for candidate in &decision.candidates {
        if candidate.built_in_least_cost {
            parts.push(format!("{} is already built", candidate.id));
            continue;
        }
        let offer = results
            .economics
            .rows
            .iter()
            .find(|r| r.candidate == candidate.id)
            .map(|r| r.overnight_usd_per_kw);
        let b = &candidate.breakeven;
        let mut terms = Vec::new();
        if let Some(v) = b.overnight_usd_per_kw {
            terms.push(format!(
                "overnight ≤ {} USD/kW{}",
                grouped(v),
                offer.map_or(String::new(), |o| format!(" (offer {})", grouped(o)))
            ));
        }
        if let Some(v) = b.co2_usd_per_t {
            terms.push(format!("CO2 ≥ {} USD/t", num(v, 0)));
        }
        if let Some(v) = b.gas_usd_per_mmbtu {
            terms.push(format!("gas ≥ {} USD/MMBtu", num(v, 1)));
        }
        if terms.is_empty() {
            let why = candidate
                .breakeven_notes
                .first()
                .cloned()
                .unwrap_or_else(|| "no value in the searched ranges".to_owned());
            parts.push(format!("{}: {why}", candidate.id));
        } else {
            parts.push(format!("{}: {}", candidate.id, terms.join(", ")));
        }
    }
    let gas_now = study.price_scenarios.first().map(|p| p.gas_usd_per_mmbtu);
    Some(format!(
        "Nuclear enters the least-cost plan at (one input at a time) — {}{}.",
        parts.join("; "),
        gas_now.map_or(String::new(), |g| format!(
            "; the study assumes gas at {} USD/MMBtu",
            num(g, 1)
        ))
    ))
}

/// Rows of the Answer box's scenario table (HTML cells).
pub fn scenario_rows(study: &StudyFile, results: &StudyResults) -> Vec<Vec<String>> {
    let least = least_cost(&results.decision).map(|s| s.system_cost_usd);
    results
        .decision
        .scenarios
        .iter()
        .map(|s| {
            let plan = results.plans.iter().find(|p| p.scenario == s.name);
            let nuclear = last_value(&s.nuclear_mw).map_or("–".to_owned(), |(year, mw)| {
                if mw < 0.5 {
                    format!("none by {year}")
                } else {
                    format!("{} MW by {year}", grouped(mw))
                }
            });
            let others = plan
                .map(|p| crate::answer::main_other_builds(p, 3).join(", "))
                .unwrap_or_default();
            let vs = if s.name == LEAST_COST {
                "–".to_owned()
            } else {
                let pct = least.filter(|l| l.abs() > 1.0).map_or(String::new(), |l| {
                    format!(" ({:+.1} %)", s.cost_vs_least_cost_usd / l * 100.0)
                });
                // A scenario whose plan is least-cost's: its targets and commitments do not
                // bind, which is an answer, not a failure to apply them.
                let same = least_cost(&results.decision)
                    .is_some_and(|l| same_capacity(&s.capacity_mw, &l.capacity_mw));
                let note = if same {
                    "; the same plan as least-cost: its targets and commitments do not bind"
                } else {
                    ""
                };
                format!("{:+.2}{pct}{note}", s.cost_vs_least_cost_usd / 1e9)
            };
            let co2 = last_value(&s.co2_mt).map_or("–".to_owned(), |(year, mt)| {
                match interpolate_by_year(&study.policy.co2_target_mt, year)
                    .filter(|_| !study.policy.co2_target_mt.is_empty())
                {
                    Some(t) => format!(
                        "{} vs target {} ({})",
                        num(mt, 1),
                        num(t, 1),
                        if mt <= t + 1e-6 { "met" } else { "missed" }
                    ),
                    None => num(mt, 1),
                }
            });
            let lole = format!(
                "{} vs {} ({})",
                num(s.lole_h, 2),
                num(s.lole_standard_h, 1),
                if s.meets_standard { "meets" } else { "misses" }
            );
            vec![
                format!("<b>{}</b>", escape(&s.name)),
                escape(&nuclear),
                escape(&others),
                num(s.system_cost_usd / 1e9, 2),
                escape(&vs),
                escape(&co2),
                if s.meets_standard {
                    escape(&lole)
                } else {
                    format!("<span class=\"fragile\">{}</span>", escape(&lole))
                },
            ]
        })
        .collect()
}

/// Whether two scenarios built the same capacity (technology or candidate → year → MW) to
/// within 0.5 MW everywhere.
pub fn same_capacity(
    a: &BTreeMap<String, BTreeMap<String, f64>>,
    b: &BTreeMap<String, BTreeMap<String, f64>>,
) -> bool {
    let keys = a.keys().chain(b.keys());
    keys.into_iter().all(|k| {
        let (x, y) = (a.get(k), b.get(k));
        let years = x.into_iter().chain(y).flat_map(|m| m.keys());
        years.into_iter().all(|year| {
            let at = |m: Option<&BTreeMap<String, f64>>| m.and_then(|m| m.get(year)).copied();
            (at(x).unwrap_or(0.0) - at(y).unwrap_or(0.0)).abs() < 0.5
        })
    })
}

/// Price-duration curve of a period: the price exceeded in each share of the year's hours,
/// at 0, 1, …, 100 %.
pub fn price_duration(hours: &[(f64, f64)]) -> Vec<f64> {
    let mut sorted: Vec<(f64, f64)> = hours
        .iter()
        .copied()
        .filter(|(p, w)| p.is_finite() && *w > 0.0)
        .collect();
    sorted.sort_by(|a, b| b.0.total_cmp(&a.0));
    let total: f64 = sorted.iter().map(|(_, w)| w).sum();
    if total <= 0.0 {
        return Vec::new();
    }
    (0..=100)
        .map(|pct| {
            let target = f64::from(pct) / 100.0 * total;
            let mut cumulative = 0.0;
            for (price, weight) in &sorted {
                cumulative += weight;
                if cumulative >= target - 1e-9 {
                    return *price;
                }
            }
            sorted.last().map_or(0.0, |(p, _)| *p)
        })
        .collect()
}

fn year_series(
    map: &std::collections::BTreeMap<String, f64>,
    years: &[i32],
    scale: f64,
) -> Vec<Option<f64>> {
    years
        .iter()
        .map(|y| map.get(&y.to_string()).map(|v| v * scale))
        .collect()
}

/// The decision section: scenarios, break-evens, tornado, gas, prices.
pub fn write_decision_section(
    page: &mut Page,
    study: &StudyFile,
    results: &StudyResults,
    citations: &mut crate::sources::Citations,
) -> Result<(), ReportError> {
    let decision = &results.decision;
    if decision.scenarios.is_empty() {
        return Ok(());
    }
    page.push("<h2 id=\"decision\">The decision in numbers</h2>");
    // Scenarios.
    let rows: Vec<Vec<String>> = decision
        .scenarios
        .iter()
        .map(|s| {
            vec![
                s.name.clone(),
                num(s.system_cost_usd / 1e9, 2),
                num(s.cost_vs_least_cost_usd / 1e9, 2),
                num(s.lole_h, 2),
                if s.meets_standard { "yes" } else { "no" }.to_owned(),
                s.reliability_note.clone(),
            ]
        })
        .collect();
    page.push(&table(
        &[
            "scenario",
            "system cost, bn USD (NPV)",
            "vs least-cost, bn USD",
            "LOLE h/yr",
            "meets the standard",
            "how the standard was met",
        ],
        &rows,
    ));
    for s in &decision.scenarios {
        if !s.description.is_empty() {
            page.push(&format!(
                "<p class=\"note\"><b>{}</b>: {}</p>",
                escape(&s.name),
                citations.cite_text(&s.description)
            ));
        }
    }

    // Break-evens (unless the run switched the searches off).
    let searched = decision.candidates.iter().any(|c| {
        !c.breakeven_notes
            .iter()
            .any(|note| note.contains("switched off"))
    });
    if !decision.candidates.is_empty() && !searched {
        page.push("<p class=\"note\">Break-even searches were switched off in this run (<code>options.breakeven = false</code>).</p>");
    }
    if searched {
        page.push("<h3>Break-evens: what it takes for nuclear to enter the least-cost plan</h3>");
        let ids: Vec<String> = decision.candidates.iter().map(|c| c.id.clone()).collect();
        let offers: Vec<Option<f64>> = ids
            .iter()
            .map(|id| {
                results
                    .economics
                    .rows
                    .iter()
                    .find(|r| &r.candidate == id)
                    .map(|r| r.overnight_usd_per_kw)
            })
            .collect();
        let mean_offer = {
            let known: Vec<f64> = offers.iter().flatten().copied().collect();
            #[allow(clippy::cast_precision_loss)]
            let mean = known.iter().sum::<f64>() / known.len().max(1) as f64;
            (!known.is_empty()).then_some(mean)
        };
        page.chart(
            "breakeven-overnight",
            &charts::bars_with_reference(
                "Break-even overnight cost: the candidate is built at or below it",
                "USD/kW",
                &ids,
                &decision
                    .candidates
                    .iter()
                    .map(|c| c.breakeven.overnight_usd_per_kw)
                    .collect::<Vec<_>>(),
                mean_offer.map(|m| ("mean offer overnight cost", m)),
            ),
        )?;
        let co2_now = study.price_scenarios.first().and_then(|p| {
            study
                .horizon
                .periods
                .last()
                .and_then(|y| interpolate_by_year(&p.co2_usd_per_t, *y))
        });
        page.chart(
            "breakeven-co2",
            &charts::bars_with_reference(
                "Break-even CO2 price: the candidate is built at or above it",
                "USD/t CO2",
                &ids,
                &decision
                    .candidates
                    .iter()
                    .map(|c| c.breakeven.co2_usd_per_t)
                    .collect::<Vec<_>>(),
                co2_now.map(|v| ("study CO2 price, last period", v)),
            ),
        )?;
        page.chart(
            "breakeven-gas",
            &charts::bars_with_reference(
                "Break-even gas price: the candidate is built at or above it",
                "USD/MMBtu",
                &ids,
                &decision
                    .candidates
                    .iter()
                    .map(|c| c.breakeven.gas_usd_per_mmbtu)
                    .collect::<Vec<_>>(),
                study
                    .price_scenarios
                    .first()
                    .map(|p| ("study gas price", p.gas_usd_per_mmbtu)),
            ),
        )?;
        let rows: Vec<Vec<String>> = decision
            .candidates
            .iter()
            .zip(&offers)
            .map(|(c, offer)| {
                let opt = |v: Option<f64>, digits: usize| {
                    v.map_or("none in range".to_owned(), |x| {
                        if digits == 0 {
                            grouped(x)
                        } else {
                            num(x, digits)
                        }
                    })
                };
                vec![
                    c.id.clone(),
                    if c.built_in_least_cost { "yes" } else { "no" }.to_owned(),
                    offer.map_or(String::new(), grouped),
                    opt(c.breakeven.overnight_usd_per_kw, 0),
                    opt(c.breakeven.co2_usd_per_t, 1),
                    opt(c.breakeven.gas_usd_per_mmbtu, 2),
                    c.breakeven_notes.join(" "),
                ]
            })
            .collect();
        page.push(&table(
            &[
                "candidate",
                "built in least-cost",
                "study overnight USD/kW",
                "break-even overnight USD/kW",
                "break-even CO2 USD/t",
                "break-even gas USD/MMBtu",
                "notes",
            ],
            &rows,
        ));
        page.push("<p class=\"note\">Each break-even moves one input with everything else as in the study, re-plans the least-cost scenario (weather seed fixed) and bisects to the study's tolerance: docs/methods/decision.md.</p>");
    }

    // Tornado.
    if let (Some(base), false) = (decision.tornado_base_usd, decision.tornado.is_empty()) {
        let mut bars: Vec<(String, f64, f64, String)> = decision
            .tornado
            .iter()
            .map(|t| {
                (
                    format!(
                        "{} ({}–{} {})",
                        t.input,
                        num(t.low_value, 2),
                        num(t.high_value, 2),
                        t.unit
                    ),
                    t.low_system_cost_usd.map_or(f64::NAN, |v| v / 1e9),
                    t.high_system_cost_usd.map_or(f64::NAN, |v| v / 1e9),
                    t.basis.clone(),
                )
            })
            .collect();
        let width = |b: &(String, f64, f64, String)| {
            let span = |v: f64| {
                if v.is_finite() {
                    (v - base / 1e9).abs()
                } else {
                    0.0
                }
            };
            span(b.1).max(span(b.2))
        };
        bars.sort_by(|a, b| width(b).total_cmp(&width(a)));
        page.push("<h3>What moves the least-cost system cost</h3>");
        page.chart(
            "tornado",
            &charts::tornado(
                "System cost of least-cost: one input at its low and high value",
                "bn USD (NPV)",
                base / 1e9,
                &bars
                    .iter()
                    .map(|(l, lo, hi, _)| (short_input(l), *lo, *hi))
                    .collect::<Vec<_>>(),
            ),
        )?;
        page.push(&table(
            &[
                "input (low–high)",
                "low case, bn USD",
                "high case, bn USD",
                "basis of the range",
            ],
            &bars
                .iter()
                .map(|(l, lo, hi, basis)| vec![l.clone(), num(*lo, 2), num(*hi, 2), basis.clone()])
                .collect::<Vec<_>>(),
        ));
        // Candidates least-cost builds, split by whether the host pays a PPA (whose price, not
        // the overnight cost, is then the host's cost).
        let (mut ppa, mut owned) = (Vec::new(), Vec::new());
        for c in decision.candidates.iter().filter(|c| c.built_in_least_cost) {
            let under_ppa = study
                .candidates
                .iter()
                .find(|s| s.id == c.id)
                .is_some_and(atomplan::study::pipeline::host_pays_ppa);
            if under_ppa {
                ppa.push(c.id.as_str());
            } else {
                owned.push(c.id.as_str());
            }
        }
        for note in flat_bar_notes(&decision.tornado, base, &ppa, &owned) {
            page.push(&format!("<p class=\"note\">{}</p>", escape(&note)));
        }
    }

    // Gas burn, import bill and prices by scenario.
    let years: Vec<i32> = study.horizon.periods.clone();
    let x: Vec<f64> = years.iter().map(|y| f64::from(*y)).collect();
    page.push("<h3>Gas burn and import bill by scenario</h3>");
    page.chart(
        "gas-burn",
        &charts::lines(
            "Gas burnt for power by scenario",
            "bcm/yr",
            &x,
            &decision
                .scenarios
                .iter()
                .map(|s| (s.name.clone(), year_series(&s.gas_bcm, &years, 1.0)))
                .collect::<Vec<_>>(),
        ),
    )?;
    page.chart(
        "gas-import-bill",
        &charts::lines(
            "Gas import bill by scenario",
            "bn USD/yr",
            &x,
            &decision
                .scenarios
                .iter()
                .map(|s| {
                    (
                        s.name.clone(),
                        year_series(&s.gas_import_bill_usd, &years, 1e-9),
                    )
                })
                .collect::<Vec<_>>(),
        ),
    )?;
    page.push("<h3>Market effects: wholesale prices by scenario</h3>");
    page.chart(
        "average-price",
        &charts::lines(
            "Load-weighted average marginal price by scenario",
            "USD/MWh",
            &x,
            &decision
                .scenarios
                .iter()
                .map(|s| {
                    (
                        s.name.clone(),
                        year_series(&s.price_usd_per_mwh, &years, 1.0),
                    )
                })
                .collect::<Vec<_>>(),
        ),
    )?;
    let curves: Vec<(String, Vec<f64>)> = results
        .plans
        .iter()
        .filter_map(|plan: &Planning| {
            let last = plan.prices.last()?;
            let curve = price_duration(&last.hours);
            (!curve.is_empty()).then(|| (format!("{} {}", plan.scenario, last.year), curve))
        })
        .collect();
    if !curves.is_empty() {
        let shares: Vec<f64> = (0..=100).map(f64::from).collect();
        page.chart(
            "price-duration",
            &charts::curves(
                "Price-duration curve in the last period, by scenario",
                "share of the year's hours at or above the price, %",
                "USD/MWh",
                &shares,
                &curves,
            ),
        )?;
        page.push("<p class=\"note\">Marginal prices of the planning model's representative hours, each weighted by the hours of the year it stands for; with nuclear and without, as the scenarios build it.</p>");
    }
    for note in &decision.notes {
        page.push(&format!(
            "<p class=\"note\">{}</p>",
            citations.cite_text(note)
        ));
    }
    Ok(())
}

/// The first words of a tornado label, for the chart's narrow label column.
/// A sentence for each tornado bar of no width (the same cost at both ends as at `base`):
/// such a bar is an answer too, and without a word a reader takes it for a failure.
/// `built_under_ppa` and `built_owned` are the candidates least-cost builds, with and without a
/// build-own-operate PPA.
pub fn flat_bar_notes(
    tornado: &[TornadoBar],
    base: f64,
    built_under_ppa: &[&str],
    built_owned: &[&str],
) -> Vec<String> {
    let same = |v: Option<f64>| v.is_some_and(|v| (v - base).abs() <= 1e-9 * base.abs());
    tornado
        .iter()
        .filter(|t| same(t.low_system_cost_usd) && same(t.high_system_cost_usd))
        .map(|t| {
            let range = format!("{} x or at {} x", num(t.low_value, 2), num(t.high_value, 2));
            let overnight = t.lever == TornadoLever::NuclearOvernightCost;
            let why = match (overnight, built_owned.is_empty()) {
                (true, true) if built_under_ppa.is_empty() => format!(
                    "no candidate enters at {range} its central overnight cost, so the least-cost plan and its cost stay the same; the overnight break-evens are the costs at which each would enter"
                ),
                (true, true) => format!(
                    "least-cost builds {} under a build-own-operate PPA, whose price, not the overnight cost, is what the host pays; no other candidate enters at {range} its central overnight cost",
                    built_under_ppa.join(", ")
                ),
                _ => "the least-cost plan costs the same at both ends of the range".to_owned(),
            };
            format!("{}: no width: {why}.", t.input)
        })
        .collect()
}

fn short_input(label: &str) -> String {
    let name = label.split(" (").next().unwrap_or(label);
    if name.chars().count() > 24 {
        name.chars().take(23).collect::<String>() + "…"
    } else {
        name.to_owned()
    }
}

#[cfg(test)]
mod tests;
