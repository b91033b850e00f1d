//! The assumptions panel: prices, demand, discount rate, the cost of every technology, the
//! nuclear designs and offers, the existing fleet and the policy standards, each line marked
//! sourced, derived or assumption and pointing at its source.

use atomplan::study::system::interpolate_by_year;
use atomplan::study::{StudyCatalogue, StudyFile};

use crate::html::{escape, grouped, num, table_html, Page};
use crate::sources::Citations;
use crate::ReportError;
use atomplan::study::runner::StudyResults;

/// How a figure is backed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    Sourced,
    Derived,
    Assumption,
}

impl Basis {
    pub fn label(self) -> &'static str {
        match self {
            Basis::Sourced => "sourced",
            Basis::Derived => "derived",
            Basis::Assumption => "assumption",
        }
    }

    /// The basis a source text claims: `assumption…` or `ASSUMPTION` anywhere, `derived…`;
    /// an empty text is an assumption (nothing backs it); anything else names a source.
    pub fn of_source_text(text: &str) -> Basis {
        let lower = text.trim().to_ascii_lowercase();
        if lower.is_empty()
            || lower.starts_with("assum")
            || lower.starts_with("illustrative")
            || text.contains("ASSUMPTION")
        {
            Basis::Assumption
        } else if lower.starts_with("derived") || lower.starts_with("default") {
            Basis::Derived
        } else {
            Basis::Sourced
        }
    }

    fn html(self) -> String {
        format!("<span class=\"kind kind-{0}\">{0}</span>", self.label())
    }
}

struct Line {
    group: &'static str,
    item: String,
    value: String,
    basis: Basis,
    source_html: String,
}

pub fn write_assumptions(
    page: &mut Page,
    citations: &mut Citations,
    study: &StudyFile,
    catalogue: &StudyCatalogue,
    results: &StudyResults,
) -> Result<(), ReportError> {
    let mut lines: Vec<Line> = Vec::new();
    let mut line =
        |group: &'static str, item: String, value: String, basis: Basis, source: String| {
            lines.push(Line {
                group,
                item,
                value,
                basis,
                source_html: source,
            });
        };
    let country = catalogue.country(&study.country);

    // Demand.
    if let Some(c) = country {
        let cited = citations.cite_ids(&c.sources);
        line(
            "demand",
            format!("{} demand, {}", c.name, c.data_year),
            format!(
                "{} TWh/yr, peak {} MW",
                num(c.annual_demand_twh, 1),
                grouped(c.peak_mw)
            ),
            if c.sources.is_empty() {
                Basis::Assumption
            } else {
                Basis::Sourced
            },
            cited,
        );
    }
    for scenario in &study.demand_scenarios {
        line(
            "demand",
            format!("growth, scenario {}", scenario.name),
            format!("{} %/yr", num(scenario.growth_per_year * 100.0, 2)),
            Basis::of_source_text(&scenario.source),
            citations.cite_text(&scenario.source),
        );
    }
    // Prices.
    for scenario in &study.price_scenarios {
        let basis = Basis::of_source_text(&scenario.source);
        let source = citations.cite_text(&scenario.source);
        let co2: Vec<String> = study
            .horizon
            .periods
            .iter()
            .filter_map(|year| {
                interpolate_by_year(&scenario.co2_usd_per_t, *year)
                    .map(|v| format!("{year}: {}", num(v, 0)))
            })
            .collect();
        line(
            "prices",
            format!("scenario {}", scenario.name),
            format!(
                "gas {} USD/MMBtu, coal {} USD/MMBtu, nuclear fuel {} USD/MWh{}; CO2 USD/t {}",
                num(scenario.gas_usd_per_mmbtu, 2),
                num(scenario.coal_usd_per_mmbtu, 2),
                num(scenario.nuclear_fuel_usd_per_mwh, 1),
                scenario
                    .import_usd_per_mwh
                    .map_or(String::new(), |p| format!(
                        ", imports {} USD/MWh",
                        num(p, 0)
                    )),
                if co2.is_empty() {
                    "none".to_owned()
                } else {
                    co2.join(", ")
                }
            ),
            basis,
            source,
        );
    }
    // Finance.
    line(
        "finance",
        "social discount rate (real)".to_owned(),
        format!("{} %", num(study.options.discount_rate * 100.0, 1)),
        Basis::Assumption,
        "study file".to_owned(),
    );
    for candidate in &study.candidates {
        let f = &candidate.financing;
        line(
            "finance",
            format!("offer of {}", candidate.id),
            format!(
                "{} % debt at {} % over {} years (grace {}), equity {} %{}",
                num(f.debt_fraction * 100.0, 0),
                num(f.debt_rate * 100.0, 2),
                num(f.debt_tenor_years, 0),
                num(f.grace_years, 0),
                num(f.cost_of_equity * 100.0, 1),
                f.ppa_price_usd_per_mwh
                    .map_or(String::new(), |p| format!(", PPA {} USD/MWh", num(p, 1)))
            ),
            Basis::of_source_text(&f.source),
            citations.cite_text(&f.source),
        );
    }
    // Nuclear designs.
    for row in &results.economics.rows {
        if let Some(design) = catalogue.design(&row.design) {
            let [low, central, high] = design.overnight_cost_usd_per_kwe;
            line(
                "technology costs",
                format!("{} ({})", design.name, row.candidate),
                format!(
                    "overnight {} USD/kW (range {}–{}), {} months to build{}, capacity factor {} %, {} operating reference units",
                    grouped(row.overnight_usd_per_kw),
                    grouped(low),
                    grouped(high.max(central)),
                    num(design.construction_months, 0),
                    if design.construction_months_assumed {
                        " (ASSUMPTION: the catalogue records no construction time; 48 months for a small reactor, 72 for a large one)"
                    } else {
                        ""
                    },
                    num(design.capacity_factor * 100.0, 0),
                    design.reference_units
                ),
                if design.sources.is_empty() { Basis::Assumption } else { Basis::Sourced },
                citations.cite_ids(&design.sources),
            );
        }
    }
    // Other technologies.
    for technology in &catalogue.technologies {
        line(
            "technology costs",
            technology.technology.clone(),
            format!(
                "{} USD/kW, fixed O&M {} USD/kW-yr, variable O&M {} USD/MWh{}, life {} years{}",
                grouped(technology.capex_usd_per_kw),
                num(technology.fixed_om_usd_per_kw_yr, 1),
                num(technology.variable_om_usd_per_mwh, 1),
                if technology.heat_rate_mmbtu_per_mwh > 0.0 {
                    format!(
                        ", heat rate {} MMBtu/MWh",
                        num(technology.heat_rate_mmbtu_per_mwh, 2)
                    )
                } else {
                    String::new()
                },
                num(technology.lifetime_years, 0),
                if technology.emission_t_per_mwh > 0.0 {
                    format!(", {} tCO2/MWh", num(technology.emission_t_per_mwh, 2))
                } else {
                    String::new()
                }
            ),
            Basis::of_source_text(&technology.source),
            citations.cite_text(&technology.source),
        );
    }
    // Existing fleet.
    if let Some(c) = country {
        for entry in &c.fleet {
            line(
                "existing fleet",
                entry.technology.clone(),
                format!(
                    "{} MW{}",
                    grouped(entry.capacity_mw),
                    if entry.retirement_per_year > 0.0 {
                        format!(
                            ", retiring {} %/yr",
                            num(entry.retirement_per_year * 100.0, 1)
                        )
                    } else {
                        String::new()
                    }
                ),
                Basis::of_source_text(&entry.source),
                citations.cite_text(&entry.source),
            );
        }
    }
    // The study's own fleet assumptions, commitments, targets and resource limits.
    let scope = |scenarios: &[String]| {
        if scenarios.is_empty() {
            "every scenario".to_owned()
        } else {
            scenarios.join(", ")
        }
    };
    for entry in &study.fleet {
        let mut parts = Vec::new();
        let mut push = |label: &str, value: Option<String>| {
            if let Some(value) = value {
                parts.push(format!("{label} {value}"));
            }
        };
        push(
            "capacity",
            entry.capacity_mw.map(|v| format!("{} MW", grouped(v))),
        );
        push(
            "average age",
            entry.average_age_years.map(|v| format!("{} yr", num(v, 0))),
        );
        push(
            "all retired by",
            entry.retire_by_year.map(|y| y.to_string()),
        );
        push(
            "heat rate",
            entry
                .heat_rate_mmbtu_per_mwh
                .map(|v| format!("{} MMBtu/MWh", num(v, 2))),
        );
        push(
            "fixed O&M",
            entry
                .fixed_om_usd_per_kw_yr
                .map(|v| format!("{} $/kW-yr", num(v, 1))),
        );
        push(
            "availability",
            entry
                .availability
                .map(|v| format!("{} %", num(v * 100.0, 0))),
        );
        push(
            "capacity factor",
            entry
                .capacity_factor
                .map(|v| format!("{} %", num(v * 100.0, 1))),
        );
        push(
            "life extension",
            entry
                .life_extension
                .map(|v| if v { "allowed" } else { "not allowed" }.to_owned()),
        );
        line(
            "existing fleet (study)",
            entry.technology.clone(),
            parts.join(", "),
            Basis::of_source_text(&entry.source),
            citations.cite_text(&entry.source),
        );
    }
    if study.commitments.is_empty() {
        line(
            "committed fleet",
            "plants under construction or committed".to_owned(),
            "none entered in this study".to_owned(),
            Basis::Assumption,
            String::new(),
        );
    }
    for commitment in &study.commitments {
        let what = commitment
            .name
            .clone()
            .or_else(|| commitment.candidate.clone())
            .or_else(|| commitment.technology.clone())
            .unwrap_or_default();
        let size = match (commitment.units, commitment.mw) {
            (Some(units), _) => format!("{units} unit(s)"),
            (None, Some(mw)) => format!("{} MW", grouped(mw)),
            (None, None) => String::new(),
        };
        // A candidate commitment is a floor on the candidate's capacity in service (cumulative
        // over its commitments), not an extra plant.
        let size = match &commitment.candidate {
            Some(candidate) => format!("at least {size} of candidate {candidate} in service"),
            None => size,
        };
        line(
            "committed fleet",
            what,
            format!(
                "{size}{}, online {}{}; {}",
                commitment
                    .zone
                    .as_ref()
                    .map(|z| format!(" in {z}"))
                    .unwrap_or_default(),
                commitment.online_year,
                commitment
                    .retire_year
                    .map(|y| format!(", retires {y}"))
                    .unwrap_or_default(),
                scope(&commitment.scenarios)
            ),
            Basis::of_source_text(&commitment.source),
            citations.cite_text(&commitment.source),
        );
    }
    for target in &study.targets {
        line(
            "policy",
            format!("capacity target: {}", target.technology),
            format!(
                "at least {} MW from {}; {}",
                grouped(target.min_mw),
                target.year,
                scope(&target.scenarios)
            ),
            Basis::of_source_text(&target.source),
            citations.cite_text(&target.source),
        );
    }
    for resource in &study.resources {
        let mut parts = Vec::new();
        if !resource.allowed {
            parts.push("no new capacity".to_owned());
        }
        if let Some(v) = resource.potential_mw {
            parts.push(format!("potential {} MW", grouped(v)));
        }
        if let Some(v) = resource.max_build_mw_per_year {
            parts.push(format!("at most {} MW/yr", grouped(v)));
        }
        if let Some(y) = resource.earliest_year {
            parts.push(format!("from {y}"));
        }
        if let Some(v) = resource.overnight_cost_usd_per_kw {
            parts.push(format!("overnight {} $/kW", grouped(v)));
        }
        line(
            "new-build limits",
            format!(
                "{}{}",
                resource.technology,
                resource
                    .zone
                    .as_ref()
                    .map(|z| format!(" ({z})"))
                    .unwrap_or_default()
            ),
            parts.join(", "),
            Basis::of_source_text(&resource.source),
            citations.cite_text(&resource.source),
        );
    }
    line(
        "policy",
        "planning reserve margin (starting value)".to_owned(),
        format!(
            "{} % over peak",
            num(study.policy.reserve_margin * 100.0, 0)
        ),
        Basis::of_source_text(&study.policy.reserve_margin_source),
        citations.cite_text(&study.policy.reserve_margin_source),
    );
    if !study.policy.gas_supply_bcm.is_empty() {
        line(
            "policy",
            "gas available for power".to_owned(),
            study
                .policy
                .gas_supply_bcm
                .iter()
                .map(|(y, v)| format!("{y}: {} bcm", num(*v, 1)))
                .collect::<Vec<_>>()
                .join(", "),
            Basis::of_source_text(&study.policy.gas_supply_source),
            citations.cite_text(&study.policy.gas_supply_source),
        );
    }
    // The Monte Carlo's risks, the same constants the pipeline samples.
    let [d_min, d_mode, d_max] = atomplan::study::pipeline::MC_DELAY_YEARS;
    let [c_min, c_mode, c_max] = atomplan::study::pipeline::MC_CAPACITY_FACTOR_SHIFT;
    line(
        "risk",
        "Monte Carlo of each offer's LCOE".to_owned(),
        format!(
            "overnight cost triangular (the design's low, central, high); construction delay triangular {}/{}/{} years; capacity factor shifted by triangular {}/{}/{} points; {} samples",
            num(d_min, 0),
            num(d_mode, 0),
            num(d_max, 0),
            num(c_min * 100.0, 0),
            num(c_mode * 100.0, 0),
            num(c_max * 100.0, 0),
            study.options.monte_carlo_samples
        ),
        Basis::Assumption,
        "study method (atomplan::study::pipeline)".to_owned(),
    );
    // Policy.
    line(
        "policy",
        "adequacy standard".to_owned(),
        format!("LOLE ≤ {} h/yr", num(study.policy.lole_standard_h, 1)),
        Basis::Assumption,
        "study file".to_owned(),
    );
    if !study.policy.target_note.is_empty() {
        line(
            "policy",
            "CO2 target".to_owned(),
            study
                .policy
                .co2_target_mt
                .iter()
                .map(|(y, v)| format!("{y}: {} Mt", num(*v, 1)))
                .collect::<Vec<_>>()
                .join(", "),
            Basis::of_source_text(&study.policy.target_note),
            citations.cite_text(&study.policy.target_note),
        );
    }

    page.push("<h2 id=\"assumptions\">Assumptions</h2>");
    let counts = [Basis::Sourced, Basis::Derived, Basis::Assumption]
        .map(|basis| (basis, lines.iter().filter(|l| l.basis == basis).count()));
    page.push(&format!(
        "<p class=\"note\">{} lines: {}. Sourced lines cite the numbered sources at the end; derived lines say from what; assumptions are the study's own choices.</p>",
        lines.len(),
        counts
            .iter()
            .map(|(b, n)| format!("{n} {}", b.label()))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|l| {
            vec![
                escape(l.group),
                escape(&l.item),
                escape(&l.value),
                l.basis.html(),
                l.source_html.clone(),
            ]
        })
        .collect();
    page.push(&table_html(
        &["group", "item", "value", "basis", "source"],
        &rows,
    ));
    Ok(())
}

#[cfg(test)]
mod tests;
