//! Checks of the study file's scenarios, commitments, targets, resources, fleet overrides and
//! policy limits: unknown names, out-of-range values, and combinations that cannot hold
//! together (a target no candidate can meet, a commitment before its candidate may run, a CO2
//! cap switched on with no cap given, coal committed after its own phase-out).

use std::collections::BTreeSet;

use atomplan_core::Diagnostic;

use super::file::StudyFile;
use super::inputs::StudyCatalogue;
use super::system;

/// Technology groups a commitment, target or resource may name.
pub const TECHNOLOGIES: &[&str] = &[
    "nuclear", "gas", "coal", "hydro", "wind", "solar", "oil", "battery",
];

type At<'a> = dyn Fn(&str) -> atomplan_core::Location + 'a;

fn error(out: &mut Vec<Diagnostic>, at: &At, key: &str, message: String) {
    out.push(Diagnostic::error(at(key), message));
}

/// Whether a scenario name is safe as a stage name, a file name and a table key.
pub fn safe_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !name.starts_with('.')
}

/// Zone names the system will have.
fn zone_names(study: &StudyFile, catalogue: &StudyCatalogue) -> Vec<String> {
    if !study.zones.is_empty() {
        return study.zones.iter().map(|z| z.name.clone()).collect();
    }
    match catalogue.country(&study.country) {
        Some(country) if !country.zones.is_empty() => {
            country.zones.iter().map(|z| z.name.clone()).collect()
        }
        _ => vec!["national".to_owned()],
    }
}

pub fn check(study: &StudyFile, catalogue: &StudyCatalogue, at: &At, out: &mut Vec<Diagnostic>) {
    let zones = zone_names(study, catalogue);
    let base = study.horizon.base_year;
    let last = study.horizon.periods.last().copied().unwrap_or(base);
    let scenario_names: BTreeSet<&str> = study.scenarios.iter().map(|s| s.name.as_str()).collect();

    // Scenarios.
    let mut seen = BTreeSet::new();
    for (i, s) in study.scenarios.iter().enumerate() {
        let key = format!("scenarios[{i}]");
        if !safe_name(&s.name) {
            error(
                out,
                at,
                &format!("{key}.name"),
                format!(
                    "`{}` is not a safe name: use letters, digits, `-`, `_` and `.` (at most 64)",
                    s.name
                ),
            );
        }
        if !seen.insert(s.name.as_str()) {
            error(
                out,
                at,
                &format!("{key}.name"),
                format!("scenario name `{}` repeats", s.name),
            );
        }
        if let Some(d) = &s.demand {
            if !study.demand_scenarios.iter().any(|x| &x.name == d) {
                error(
                    out,
                    at,
                    &format!("{key}.demand"),
                    format!("unknown demand scenario `{d}`"),
                );
            }
        }
        if let Some(p) = &s.prices {
            if !study.price_scenarios.iter().any(|x| &x.name == p) {
                error(
                    out,
                    at,
                    &format!("{key}.prices"),
                    format!("unknown price scenario `{p}`"),
                );
            }
        }
        if s.co2_cap && study.policy.co2_cap_mt.is_empty() {
            error(
                out,
                at,
                &format!("{key}.co2_cap"),
                "switches the CO2 cap on but `[policy].co2_cap_mt` is empty".to_owned(),
            );
        }
        if let Some(y) = s.coal_phase_out_year {
            if y <= base || y > last + 50 {
                error(
                    out,
                    at,
                    &format!("{key}.coal_phase_out_year"),
                    format!("{y} must be after the base year {base}"),
                );
            }
        }
    }
    let check_scenario_list = |out: &mut Vec<Diagnostic>, key: &str, list: &[String]| {
        for name in list {
            if !scenario_names.contains(name.as_str()) {
                error(
                    out,
                    at,
                    key,
                    format!("unknown scenario `{name}` (not in [[scenarios]])"),
                );
            }
        }
    };

    // Commitments.
    for (i, c) in study.commitments.iter().enumerate() {
        let key = format!("commitments[{i}]");
        check_scenario_list(out, &format!("{key}.scenarios"), &c.scenarios);
        match (&c.candidate, &c.technology) {
            (Some(_), Some(_)) | (None, None) => {
                error(
                    out,
                    at,
                    &key,
                    "give exactly one of `candidate` or `technology`".to_owned(),
                );
                continue;
            }
            _ => {}
        }
        if let Some(zone) = &c.zone {
            if !zones.contains(zone) {
                error(
                    out,
                    at,
                    &format!("{key}.zone"),
                    format!("unknown zone `{zone}` (zones: {})", zones.join(", ")),
                );
            }
        }
        if c.units.is_none() && c.mw.is_none() {
            error(out, at, &key, "give `units` or `mw`".to_owned());
        }
        if c.units == Some(0) {
            error(
                out,
                at,
                &format!("{key}.units"),
                "must be at least 1".to_owned(),
            );
        }
        if let Some(mw) = c.mw {
            if !(mw.is_finite() && mw > 0.0) {
                error(
                    out,
                    at,
                    &format!("{key}.mw"),
                    format!("must be > 0, got {mw}"),
                );
            }
        }
        if c.online_year < base - 100 || c.online_year > last + 50 {
            error(
                out,
                at,
                &format!("{key}.online_year"),
                format!("{} is out of range", c.online_year),
            );
        }
        if let Some(r) = c.retire_year {
            if r <= c.online_year {
                error(
                    out,
                    at,
                    &format!("{key}.retire_year"),
                    format!("{r} is not after online_year {}", c.online_year),
                );
            }
        }
        if let Some(id) = &c.candidate {
            match study.candidates.iter().find(|x| &x.id == id) {
                None => error(
                    out,
                    at,
                    &format!("{key}.candidate"),
                    format!("unknown candidate `{id}`"),
                ),
                Some(candidate) => {
                    let earliest = system::earliest_year(study, candidate);
                    if c.online_year < earliest {
                        error(out, at, &format!("{key}.online_year"), format!("{} is before candidate `{id}`'s earliest_year {earliest}: the commitment and the candidate contradict each other", c.online_year));
                    }
                    if c.online_year > last {
                        error(out, at, &format!("{key}.online_year"), format!("{} is after the last period {last}: the build would never be planned", c.online_year));
                    }
                    if let Some(units) = c.units {
                        if units > candidate.max_units {
                            error(
                                out,
                                at,
                                &format!("{key}.units"),
                                format!(
                                    "{units} units exceed candidate `{id}`'s max_units {}",
                                    candidate.max_units
                                ),
                            );
                        }
                    }
                    if c.zone
                        .as_ref()
                        .is_some_and(|z| Some(z) != candidate.zone.as_ref())
                    {
                        error(out, at, &format!("{key}.zone"), format!("differs from candidate `{id}`'s zone; a candidate commitment is built where the candidate is"));
                    }
                }
            }
        }
        if let Some(t) = &c.technology {
            if !TECHNOLOGIES.contains(&t.as_str()) {
                error(
                    out,
                    at,
                    &format!("{key}.technology"),
                    format!(
                        "unknown technology `{t}` (one of {})",
                        TECHNOLOGIES.join(", ")
                    ),
                );
            } else if t == "nuclear" {
                match &c.design {
                    None => error(
                        out,
                        at,
                        &format!("{key}.design"),
                        "a nuclear commitment needs `design` (a catalogue design id)".to_owned(),
                    ),
                    Some(d) if catalogue.design(d).is_none() => error(
                        out,
                        at,
                        &format!("{key}.design"),
                        format!("unknown design `{d}`"),
                    ),
                    _ => {}
                }
            } else {
                if c.mw.is_none() {
                    error(
                        out,
                        at,
                        &format!("{key}.mw"),
                        format!("a `{t}` commitment needs `mw`"),
                    );
                }
                if c.design.is_some() {
                    error(
                        out,
                        at,
                        &format!("{key}.design"),
                        "only nuclear commitments take a design".to_owned(),
                    );
                }
            }
            if t == "coal" {
                for s in study
                    .scenarios
                    .iter()
                    .filter(|s| c.scenarios.is_empty() || c.scenarios.contains(&s.name))
                {
                    if let Some(y) = s.coal_phase_out_year {
                        if c.online_year >= y {
                            error(out, at, &format!("{key}.online_year"), format!("coal enters in {} but scenario `{}` phases coal out from {y}: contradictory policies", c.online_year, s.name));
                        }
                    }
                }
            }
        }
    }

    // Targets.
    for (i, t) in study.targets.iter().enumerate() {
        let key = format!("targets[{i}]");
        check_scenario_list(out, &format!("{key}.scenarios"), &t.scenarios);
        let is_candidate = study.candidates.iter().any(|c| c.id == t.technology);
        if !is_candidate
            && t.technology != "renewables"
            && !TECHNOLOGIES.contains(&t.technology.as_str())
        {
            error(
                out,
                at,
                &format!("{key}.technology"),
                format!(
                    "unknown technology `{}` (a group, `renewables` or a candidate id)",
                    t.technology
                ),
            );
            continue;
        }
        if !(t.min_mw.is_finite() && t.min_mw >= 0.0) {
            error(
                out,
                at,
                &format!("{key}.min_mw"),
                format!("must be >= 0, got {}", t.min_mw),
            );
            continue;
        }
        if t.year > last {
            error(
                out,
                at,
                &format!("{key}.year"),
                format!(
                    "{} is after the last period {last}: the target is never checked",
                    t.year
                ),
            );
        }
        // Nuclear targets: can the candidates and committed plants reach it at all?
        if t.technology == "nuclear" || is_candidate {
            let scenarios: Vec<String> = if t.scenarios.is_empty() {
                study.scenarios.iter().map(|s| s.name.clone()).collect()
            } else {
                t.scenarios.clone()
            };
            let check_year = study
                .horizon
                .periods
                .iter()
                .copied()
                .filter(|&y| y >= t.year)
                .max()
                .unwrap_or(t.year);
            let candidates_mw: f64 = study
                .candidates
                .iter()
                .filter(|c| !is_candidate || c.id == t.technology)
                .filter(|c| system::earliest_year(study, c) <= check_year)
                .filter_map(|c| {
                    catalogue
                        .design(&c.design)
                        .map(|d| f64::from(c.max_units) * d.net_mwe_per_unit)
                })
                .sum();
            for scenario in scenarios
                .iter()
                .map(String::as_str)
                .chain(scenarios.is_empty().then_some(""))
            {
                let committed_mw: f64 = if is_candidate {
                    0.0
                } else {
                    study
                        .commitments
                        .iter()
                        .filter(|c| c.technology.as_deref() == Some("nuclear"))
                        .filter(|c| {
                            c.scenarios.is_empty() || c.scenarios.iter().any(|s| s == scenario)
                        })
                        .filter(|c| c.online_year <= check_year)
                        .map(|c| {
                            c.mw.unwrap_or_else(|| {
                                f64::from(c.units.unwrap_or(1))
                                    * c.design
                                        .as_ref()
                                        .and_then(|d| catalogue.design(d))
                                        .map_or(0.0, |d| d.net_mwe_per_unit)
                            })
                        })
                        .sum()
                };
                if candidates_mw + committed_mw + 1e-6 < t.min_mw {
                    error(out, at, &format!("{key}.min_mw"), format!(
                        "{} MW of `{}` by {} cannot be met: the candidates allowed by then and the committed plants{} reach {:.0} MW (raise max_units or earliest_year, or lower the target)",
                        t.min_mw, t.technology, t.year,
                        if scenario.is_empty() { String::new() } else { format!(" of scenario `{scenario}`") },
                        candidates_mw + committed_mw
                    ));
                    break;
                }
            }
        }
        if t.technology == "coal" {
            for s in study
                .scenarios
                .iter()
                .filter(|s| t.scenarios.is_empty() || t.scenarios.contains(&s.name))
            {
                if let Some(y) = s.coal_phase_out_year {
                    if t.min_mw > 0.0 && t.year >= y {
                        error(out, at, &format!("{key}.min_mw"), format!("a coal target in {} contradicts scenario `{}`'s coal phase-out from {y}", t.year, s.name));
                    }
                }
            }
        }
    }

    // Resources.
    for (i, r) in study.resources.iter().enumerate() {
        let key = format!("resources[{i}]");
        if !TECHNOLOGIES.contains(&r.technology.as_str()) || r.technology == "nuclear" {
            error(
                out,
                at,
                &format!("{key}.technology"),
                format!(
                    "unknown technology `{}` (gas, coal, hydro, wind, solar, oil, battery)",
                    r.technology
                ),
            );
        }
        if let Some(zone) = &r.zone {
            if !zones.contains(zone) {
                error(
                    out,
                    at,
                    &format!("{key}.zone"),
                    format!("unknown zone `{zone}` (zones: {})", zones.join(", ")),
                );
            }
        }
        for (field, value) in [
            ("potential_mw", r.potential_mw),
            ("max_build_mw_per_year", r.max_build_mw_per_year),
            ("overnight_cost_usd_per_kw", r.overnight_cost_usd_per_kw),
        ] {
            if let Some(v) = value {
                if !(v.is_finite() && v >= 0.0) {
                    error(
                        out,
                        at,
                        &format!("{key}.{field}"),
                        format!("must be >= 0, got {v}"),
                    );
                }
            }
        }
    }

    // Fleet overrides.
    for (i, f) in study.fleet.iter().enumerate() {
        let key = format!("fleet[{i}]");
        if !TECHNOLOGIES.contains(&f.technology.as_str()) && f.technology != "other"
            || f.technology == "nuclear"
        {
            error(
                out,
                at,
                &format!("{key}.technology"),
                format!("unknown fleet group `{}`", f.technology),
            );
        }
        for (field, value, hi) in [
            ("capacity_mw", f.capacity_mw, 1e7),
            ("average_age_years", f.average_age_years, 150.0),
            ("heat_rate_mmbtu_per_mwh", f.heat_rate_mmbtu_per_mwh, 40.0),
            ("fixed_om_usd_per_kw_yr", f.fixed_om_usd_per_kw_yr, 1e4),
            ("availability", f.availability, 1.0),
            ("capacity_factor", f.capacity_factor, 1.0),
        ] {
            if let Some(v) = value {
                if !(v.is_finite() && v >= 0.0 && v <= hi) {
                    error(
                        out,
                        at,
                        &format!("{key}.{field}"),
                        format!("must be between 0 and {hi}, got {v}"),
                    );
                }
            }
        }
        if let Some(y) = f.retire_by_year {
            if y <= base {
                error(
                    out,
                    at,
                    &format!("{key}.retire_by_year"),
                    format!("{y} must be after the base year {base}"),
                );
            }
        }
    }

    // Policy and options.
    let policy = &study.policy;
    if !(policy.reserve_margin.is_finite() && (0.0..=1.0).contains(&policy.reserve_margin)) {
        error(
            out,
            at,
            "policy.reserve_margin",
            format!("must be between 0 and 1, got {}", policy.reserve_margin),
        );
    }
    if !(policy.lole_standard_h.is_finite() && policy.lole_standard_h > 0.0) {
        error(
            out,
            at,
            "policy.lole_standard_h",
            format!("must be > 0 h/yr, got {}", policy.lole_standard_h),
        );
    }
    for (year, value) in &policy.gas_supply_bcm {
        let key = format!("policy.gas_supply_bcm.{year}");
        if year.parse::<i32>().is_err() {
            error(out, at, &key, format!("`{year}` is not a year"));
        } else if !(value.is_finite() && *value >= 0.0) {
            error(out, at, &key, format!("must be >= 0 bcm, got {value}"));
        }
    }
    let tolerance = study.options.breakeven_tolerance;
    if !(tolerance.is_finite() && tolerance > 0.0 && tolerance <= 0.2) {
        error(
            out,
            at,
            "options.breakeven_tolerance",
            format!("must be in (0, 0.2], got {tolerance}"),
        );
    }
    for (i, p) in study.price_scenarios.iter().enumerate() {
        if let Some(share) = p.gas_import_share {
            if !(0.0..=1.0).contains(&share) {
                error(
                    out,
                    at,
                    &format!("price_scenarios[{i}].gas_import_share"),
                    format!("must be in [0, 1], got {share}"),
                );
            }
        }
        if let Some(price) = p.gas_import_usd_per_mmbtu {
            if !(price.is_finite() && price >= 0.0) {
                error(
                    out,
                    at,
                    &format!("price_scenarios[{i}].gas_import_usd_per_mmbtu"),
                    format!("must be >= 0, got {price}"),
                );
            }
        }
    }
}
