//! Reading a study file and checking it against the catalogue.
//!
//! Parsing errors come from TOML with the line and the key; the checks here add what only the
//! catalogue knows (unknown design, unknown country) and what only the whole file shows
//! (an impossible horizon, zone shares that do not sum to one).
//! All problems are reported at once as [`Diagnostic`]s, one check per concern.

use std::collections::BTreeSet;

use atomplan_core::{Diagnostic, Location};

use super::file::{StudyFile, CRITERION_METRICS, DEPRECATED_CRITERION_METRICS};
use super::inputs::StudyCatalogue;

/// Parses the text of a study file; `file` names it in diagnostics.
pub fn parse(file: &str, text: &str) -> Result<StudyFile, Vec<Diagnostic>> {
    toml::from_str::<StudyFile>(text).map_err(|error| {
        let mut location = Location::file(file);
        if let Some(span) = error.span() {
            let (line, column) = line_column(text, span.start);
            location = location.with_line(line).with_column(column);
        }
        let message = error.message().trim().to_owned();
        if let Some(key) = quoted_key(&message) {
            location = location.with_field(key);
        }
        vec![Diagnostic::error(location, message)]
    })
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map_or(0, |rest| rest.chars().count())
        + 1;
    (line, column)
}

/// The first back-quoted word of a TOML error ("unknown field `foo`", "missing field `bar`").
fn quoted_key(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let end = message[start..].find('`')? + start;
    Some(message[start..end].to_owned())
}

/// Checks a parsed study against the catalogue. Errors stop the run; warnings do not.
pub fn validate(file: &str, study: &StudyFile, catalogue: &StudyCatalogue) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let at = |field: &str| Location::file(file).with_field(field);
    check_country(study, catalogue, &at, &mut diagnostics);
    check_horizon(study, &at, &mut diagnostics);
    check_zones(study, &at, &mut diagnostics);
    check_candidates(study, catalogue, &at, &mut diagnostics);
    check_scenarios(study, &at, &mut diagnostics);
    check_base_demand(study, catalogue, &at, &mut diagnostics);
    check_options(study, &at, &mut diagnostics);
    check_mcda(study, &at, &mut diagnostics);
    super::validate_policy::check(study, catalogue, &at, &mut diagnostics);
    diagnostics.extend(super::guard::check(file, study));
    diagnostics
}

type At<'a> = dyn Fn(&str) -> Location + 'a;

fn check_country(
    study: &StudyFile,
    catalogue: &StudyCatalogue,
    at: &At,
    out: &mut Vec<Diagnostic>,
) {
    if catalogue.country(&study.country).is_none() {
        let known: Vec<&str> = catalogue
            .countries
            .iter()
            .map(|c| c.code.as_str())
            .collect();
        out.push(
            Diagnostic::error(
                at("country"),
                format!("unknown country `{}`", study.country),
            )
            .with_hint(format!("countries in the catalogue: {}", known.join(", "))),
        );
    }
}

fn check_horizon(study: &StudyFile, at: &At, out: &mut Vec<Diagnostic>) {
    let horizon = &study.horizon;
    if !(1990..=2100).contains(&horizon.base_year) {
        out.push(Diagnostic::error(
            at("horizon.base_year"),
            format!("base year {} is outside 1990..=2100", horizon.base_year),
        ));
    }
    if horizon.periods.is_empty() {
        out.push(Diagnostic::error(
            at("horizon.periods"),
            "at least one investment period is needed",
        ));
        return;
    }
    for (index, pair) in horizon.periods.windows(2).enumerate() {
        if pair[1] <= pair[0] {
            out.push(Diagnostic::error(
                at(&format!("horizon.periods[{}]", index + 1)),
                format!(
                    "periods must be strictly increasing, {} follows {}",
                    pair[1], pair[0]
                ),
            ));
        }
    }
    if let Some(&first) = horizon.periods.first() {
        if first <= horizon.base_year {
            out.push(
                Diagnostic::error(
                    at("horizon.periods[0]"),
                    format!(
                        "first period {first} is not after the base year {}",
                        horizon.base_year
                    ),
                )
                .with_hint("a plant cannot be planned in the year the data describe"),
            );
        }
    }
    if let Some(&last) = horizon.periods.last() {
        if last > 2100 {
            out.push(Diagnostic::error(
                at("horizon.periods"),
                format!("period {last} is beyond 2100"),
            ));
        }
    }
    if horizon.periods.len() > 12 {
        out.push(Diagnostic::warning(
            at("horizon.periods"),
            format!(
                "{} periods make a large planning problem",
                horizon.periods.len()
            ),
        ));
    }
}

fn check_zones(study: &StudyFile, at: &At, out: &mut Vec<Diagnostic>) {
    let mut names = BTreeSet::new();
    for (index, zone) in study.zones.iter().enumerate() {
        if !names.insert(zone.name.as_str()) {
            out.push(Diagnostic::error(
                at(&format!("zones[{index}].name")),
                format!("zone `{}` appears twice", zone.name),
            ));
        }
        if !(zone.demand_share > 0.0 && zone.demand_share <= 1.0) {
            out.push(Diagnostic::error(
                at(&format!("zones[{index}].demand_share")),
                format!("demand share must be in (0, 1], got {}", zone.demand_share),
            ));
        }
        if let Some(share) = zone.fleet_share {
            if !(0.0..=1.0).contains(&share) {
                out.push(Diagnostic::error(
                    at(&format!("zones[{index}].fleet_share")),
                    format!("fleet share must be in [0, 1], got {share}"),
                ));
            }
        }
    }
    if !study.zones.is_empty() {
        let total: f64 = study.zones.iter().map(|zone| zone.demand_share).sum();
        if (total - 1.0).abs() > 1e-6 {
            out.push(Diagnostic::error(
                at("zones"),
                format!("demand shares sum to {total:.4}, not 1"),
            ));
        }
    }
    for (index, link) in study.links.iter().enumerate() {
        for (key, name) in [("from", &link.from), ("to", &link.to)] {
            if !names.contains(name.as_str()) {
                out.push(Diagnostic::error(
                    at(&format!("links[{index}].{key}")),
                    format!("unknown zone `{name}`"),
                ));
            }
        }
        if !(link.capacity_mw.is_finite() && link.capacity_mw >= 0.0) {
            out.push(Diagnostic::error(
                at(&format!("links[{index}].capacity_mw")),
                format!("capacity must be >= 0 MW, got {}", link.capacity_mw),
            ));
        }
    }
}

fn check_candidates(
    study: &StudyFile,
    catalogue: &StudyCatalogue,
    at: &At,
    out: &mut Vec<Diagnostic>,
) {
    if study.candidates.is_empty() {
        out.push(Diagnostic::error(
            at("candidates"),
            "at least one candidate design is needed",
        ));
    }
    let zone_names: BTreeSet<&str> = study.zones.iter().map(|zone| zone.name.as_str()).collect();
    let mut ids = BTreeSet::new();
    let last_period = study.horizon.periods.last().copied().unwrap_or(i32::MAX);
    for (index, candidate) in study.candidates.iter().enumerate() {
        let key = |field: &str| at(&format!("candidates[{index}].{field}"));
        if !ids.insert(candidate.id.as_str()) {
            out.push(Diagnostic::error(
                key("id"),
                format!("candidate `{}` appears twice", candidate.id),
            ));
        }
        if catalogue.design(&candidate.design).is_none() {
            out.push(
                Diagnostic::error(
                    key("design"),
                    format!("unknown design `{}`", candidate.design),
                )
                .with_hint("`atomplan catalogue designs` lists the design ids"),
            );
        }
        if let Some(zone) = &candidate.zone {
            if !study.zones.is_empty() && !zone_names.contains(zone.as_str()) {
                out.push(Diagnostic::error(
                    key("zone"),
                    format!("unknown zone `{zone}`"),
                ));
            }
        }
        if candidate.max_units == 0 {
            out.push(Diagnostic::error(
                key("max_units"),
                "max_units must be at least 1",
            ));
        }
        if let Some(year) = candidate.earliest_year {
            if year > last_period {
                out.push(Diagnostic::error(
                    key("earliest_year"),
                    format!("earliest year {year} is after the last period {last_period}"),
                ));
            }
            if year <= study.horizon.base_year {
                out.push(Diagnostic::error(
                    key("earliest_year"),
                    format!(
                        "earliest year {year} is not after the base year {}",
                        study.horizon.base_year
                    ),
                ));
            }
        }
        if let Some(cost) = candidate.overnight_cost_usd_per_kwe {
            if !(cost.is_finite() && cost > 0.0) {
                out.push(Diagnostic::error(
                    key("overnight_cost_usd_per_kwe"),
                    format!("overnight cost must be > 0, got {cost}"),
                ));
            }
        }
        let financing = &candidate.financing;
        let fin = |field: &str| key(&format!("financing.{field}"));
        if !(0.0..=1.0).contains(&financing.debt_fraction) {
            out.push(Diagnostic::error(
                fin("debt_fraction"),
                format!("must be in [0, 1], got {}", financing.debt_fraction),
            ));
        }
        for (name, value) in [
            ("debt_rate", financing.debt_rate),
            ("cost_of_equity", financing.cost_of_equity),
        ] {
            if !(value.is_finite() && value > -1.0 && value < 1.0) {
                out.push(Diagnostic::error(
                    fin(name),
                    format!("rate must be in (-1, 1), got {value}"),
                ));
            }
        }
        if !(financing.debt_tenor_years.is_finite() && financing.debt_tenor_years > 0.0) {
            out.push(Diagnostic::error(
                fin("debt_tenor_years"),
                format!("must be > 0, got {}", financing.debt_tenor_years),
            ));
        }
        if let Some(share) = financing.ppa_share {
            if !(0.0..=1.0).contains(&share) {
                out.push(Diagnostic::error(
                    fin("ppa_share"),
                    format!("must be in [0, 1], got {share}"),
                ));
            }
        }
    }
}

fn check_scenarios(study: &StudyFile, at: &At, out: &mut Vec<Diagnostic>) {
    if study.demand_scenarios.is_empty() {
        out.push(Diagnostic::error(
            at("demand_scenarios"),
            "at least one demand scenario is needed",
        ));
    }
    if study.price_scenarios.is_empty() {
        out.push(Diagnostic::error(
            at("price_scenarios"),
            "at least one price scenario is needed",
        ));
    }
    for (index, scenario) in study.demand_scenarios.iter().enumerate() {
        if !(scenario.growth_per_year.is_finite()
            && scenario.growth_per_year > -0.5
            && scenario.growth_per_year < 0.5)
        {
            out.push(Diagnostic::error(
                at(&format!("demand_scenarios[{index}].growth_per_year")),
                format!(
                    "growth must be in (-0.5, 0.5), got {}",
                    scenario.growth_per_year
                ),
            ));
        }
        for (name, value) in [
            ("base_energy_twh", scenario.base_energy_twh),
            ("base_peak_mw", scenario.base_peak_mw),
        ] {
            if let Some(value) = value {
                if !(value.is_finite() && value > 0.0) {
                    out.push(Diagnostic::error(
                        at(&format!("demand_scenarios[{index}].{name}")),
                        format!("must be > 0, got {value}"),
                    ));
                }
            }
        }
    }
    for (index, scenario) in study.price_scenarios.iter().enumerate() {
        for (name, value) in [
            ("gas_usd_per_mmbtu", scenario.gas_usd_per_mmbtu),
            ("coal_usd_per_mmbtu", scenario.coal_usd_per_mmbtu),
            (
                "nuclear_fuel_usd_per_mwh",
                scenario.nuclear_fuel_usd_per_mwh,
            ),
        ] {
            if !(value.is_finite() && value >= 0.0) {
                out.push(Diagnostic::error(
                    at(&format!("price_scenarios[{index}].{name}")),
                    format!("price must be >= 0, got {value}"),
                ));
            }
        }
        for (year, value) in &scenario.co2_usd_per_t {
            let key = at(&format!("price_scenarios[{index}].co2_usd_per_t.{year}"));
            if year.parse::<i32>().is_err() {
                out.push(Diagnostic::error(key, format!("`{year}` is not a year")));
            } else if !(value.is_finite() && *value >= 0.0) {
                out.push(Diagnostic::error(
                    key,
                    format!("price must be >= 0, got {value}"),
                ));
            }
        }
    }
    for (name, table) in [
        ("policy.co2_cap_mt", &study.policy.co2_cap_mt),
        ("policy.co2_target_mt", &study.policy.co2_target_mt),
    ] {
        for (year, value) in table {
            let key = at(&format!("{name}.{year}"));
            if year.parse::<i32>().is_err() {
                out.push(Diagnostic::error(key, format!("`{year}` is not a year")));
            } else if !(value.is_finite() && *value >= 0.0) {
                out.push(Diagnostic::error(
                    key,
                    format!("must be >= 0 Mt, got {value}"),
                ));
            }
        }
    }
}

fn check_base_demand(
    study: &StudyFile,
    catalogue: &StudyCatalogue,
    at: &At,
    out: &mut Vec<Diagnostic>,
) {
    let Some(country) = catalogue.country(&study.country) else {
        return;
    };
    for (index, scenario) in study.demand_scenarios.iter().enumerate() {
        if scenario.base_energy_twh.is_none() && country.annual_demand_twh <= 0.0 {
            out.push(
                Diagnostic::error(
                    at(&format!("demand_scenarios[{index}].base_energy_twh")),
                    format!("the catalogue has no annual demand for `{}`", country.code),
                )
                .with_hint("give a sourced `base_energy_twh`"),
            );
        }
        if scenario.base_peak_mw.is_none() && country.peak_mw <= 0.0 {
            out.push(Diagnostic::error(
                at(&format!("demand_scenarios[{index}].base_peak_mw")),
                format!("the catalogue has no peak demand for `{}`", country.code),
            ));
        }
    }
}

fn check_options(study: &StudyFile, at: &At, out: &mut Vec<Diagnostic>) {
    let options = &study.options;
    if !(1..=365).contains(&options.representative_days) {
        out.push(Diagnostic::error(
            at("options.representative_days"),
            format!("must be in 1..=365, got {}", options.representative_days),
        ));
    }
    if !(1..=1_000_000).contains(&options.monte_carlo_samples) {
        out.push(Diagnostic::error(
            at("options.monte_carlo_samples"),
            format!(
                "must be in 1..=1000000, got {}",
                options.monte_carlo_samples
            ),
        ));
    }
    if !(1..=100_000).contains(&options.adequacy_samples) {
        out.push(Diagnostic::error(
            at("options.adequacy_samples"),
            format!("must be in 1..=100000, got {}", options.adequacy_samples),
        ));
    }
    if !(options.discount_rate.is_finite()
        && options.discount_rate > -1.0
        && options.discount_rate < 1.0)
    {
        out.push(Diagnostic::error(
            at("options.discount_rate"),
            format!("must be in (-1, 1), got {}", options.discount_rate),
        ));
    }
    if let Some(wacc) = options.wacc {
        if !(wacc.is_finite() && wacc > -1.0 && wacc < 1.0) {
            out.push(Diagnostic::error(
                at("options.wacc"),
                format!("must be in (-1, 1), got {wacc}"),
            ));
        }
    }
    if !(options.value_of_lost_load_usd_per_mwh.is_finite()
        && options.value_of_lost_load_usd_per_mwh > 0.0)
    {
        out.push(Diagnostic::error(
            at("options.value_of_lost_load_usd_per_mwh"),
            "must be > 0",
        ));
    }
    if !(options.solver_time_limit_s.is_finite() && options.solver_time_limit_s > 0.0) {
        out.push(Diagnostic::error(
            at("options.solver_time_limit_s"),
            "must be > 0",
        ));
    }
}

fn check_mcda(study: &StudyFile, at: &At, out: &mut Vec<Diagnostic>) {
    let candidate_ids: BTreeSet<&str> = study.candidates.iter().map(|c| c.id.as_str()).collect();
    let mut total = 0.0;
    for (index, criterion) in study.mcda.criteria.iter().enumerate() {
        let key = |field: &str| at(&format!("mcda.criteria[{index}].{field}"));
        if !(criterion.weight.is_finite() && criterion.weight >= 0.0) {
            out.push(Diagnostic::error(
                key("weight"),
                format!("weight must be >= 0, got {}", criterion.weight),
            ));
        } else {
            total += criterion.weight;
        }
        match &criterion.metric {
            Some(metric) => {
                if let Some((_, new)) = DEPRECATED_CRITERION_METRICS
                    .iter()
                    .find(|(old, _)| *old == metric.as_str())
                {
                    out.push(
                        Diagnostic::warning(
                            key("metric"),
                            format!(
                                "`{metric}` is deprecated: it always computed the P95 of the offer LCOE, and is read as `{new}`"
                            ),
                        )
                        .with_hint(format!("write `metric = \"{new}\"`")),
                    );
                } else if !CRITERION_METRICS.contains(&metric.as_str()) {
                    out.push(
                        Diagnostic::error(key("metric"), format!("unknown metric `{metric}`"))
                            .with_hint(format!("metrics: {}", CRITERION_METRICS.join(", "))),
                    );
                }
            }
            None => {
                for id in &candidate_ids {
                    if !criterion.scores.contains_key(*id) {
                        out.push(Diagnostic::error(
                            key("scores"),
                            format!("no score for candidate `{id}` (and no `metric`)"),
                        ));
                    }
                }
            }
        }
        for (id, value) in &criterion.scores {
            if !candidate_ids.contains(id.as_str()) {
                out.push(Diagnostic::error(
                    key(&format!("scores.{id}")),
                    format!("unknown candidate `{id}`"),
                ));
            } else if !value.is_finite() {
                out.push(Diagnostic::error(
                    key(&format!("scores.{id}")),
                    "score must be a finite number",
                ));
            }
        }
    }
    if !study.mcda.criteria.is_empty() {
        if total <= 0.0 {
            out.push(Diagnostic::error(at("mcda.criteria"), "weights sum to 0"));
        } else if (total - 1.0).abs() > 1e-6 {
            out.push(Diagnostic::warning(
                at("mcda.criteria"),
                format!("weights sum to {total:.4}; they are normalised to 1"),
            ));
        }
    }
}
