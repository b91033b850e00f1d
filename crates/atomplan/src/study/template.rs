//! The commented starting file written by `atomplan study new --country <code>`.
//!
//! It is filled from the catalogue so that it parses, validates and runs as written, and every
//! choice the generator makes is written beside it as a comment:
//! - candidates fit the grid: a unit no larger than `assess::grid::DEFAULT_UNIT_SHARE_LIMIT`
//!   (10 %) of the country's peak load, the IAEA rule of thumb (NG-T-3.8, 2012) applied to the
//!   peak because installed capacity is not always known;
//! - the designs of the country's own projects (agreements, offers, plants) come first, then
//!   the fitting designs with the most reference units, one per vendor country, up to four;
//! - plants under construction become `[[commitments]]` in every scenario;
//! - the announced nuclear target becomes the `government-plan` scenario.

use std::fmt::Write;

use crate::assess::grid::DEFAULT_UNIT_SHARE_LIMIT;

use super::inputs::{DesignInfo, StudyCatalogue};

/// Most candidates the generator proposes.
const MAX_CANDIDATES: usize = 4;

/// The largest unit, MW, that fits a grid with this peak load.
pub fn largest_fitting_unit_mw(peak_mw: f64) -> f64 {
    DEFAULT_UNIT_SHARE_LIMIT * peak_mw
}

/// A commented study file for `country`, or `None` if the catalogue does not know it.
pub fn new_study(catalogue: &StudyCatalogue, country_code: &str) -> Option<String> {
    let country = catalogue.country(country_code)?;
    let base_year = country.data_year;
    let first = ((base_year + 10) / 5) * 5 + 5;
    let periods = [first, first + 10, first + 20];
    let limit_mw = largest_fitting_unit_mw(country.peak_mw);
    let fits = |d: &DesignInfo| d.net_mwe_per_unit > 0.0 && d.net_mwe_per_unit <= limit_mw;

    // Candidates: the country's own projects first, then by reference units.
    let mut picks: Vec<(&DesignInfo, String)> = Vec::new();
    for project in &country.projects {
        if matches!(
            project.status.as_str(),
            "cancelled" | "operating" | "under-construction"
        ) {
            continue;
        }
        let Some(design) = catalogue.design(&project.design) else {
            continue;
        };
        if !fits(design) || picks.iter().any(|(d, _)| d.id == design.id) {
            continue;
        }
        picks.push((
            design,
            format!(
                "the country's own project `{}` ({}, {})",
                project.id, project.vendor, project.status
            ),
        ));
    }
    let mut others: Vec<&DesignInfo> = catalogue.designs.iter().filter(|d| fits(d)).collect();
    others.sort_by(|a, b| {
        b.reference_units
            .cmp(&a.reference_units)
            .then(a.id.cmp(&b.id))
    });
    for design in others {
        if picks.len() >= MAX_CANDIDATES {
            break;
        }
        if picks
            .iter()
            .any(|(d, _)| d.id == design.id || d.vendor_country == design.vendor_country)
        {
            continue;
        }
        picks.push((
            design,
            format!(
                "fits the grid and has {} reference units (most among designs from {})",
                design.reference_units, design.vendor_country
            ),
        ));
    }
    picks.truncate(MAX_CANDIDATES);

    // The announced programme: the latest nuclear target, reachable by the first pick.
    let target = country
        .nuclear_targets
        .iter()
        .filter(|t| t.year >= first)
        .min_by_key(|t| t.year)
        .or_else(|| country.nuclear_targets.iter().max_by_key(|t| t.year));
    let committed: Vec<_> = country
        .projects
        .iter()
        .filter(|p| p.status == "under-construction")
        .filter(|p| catalogue.design(&p.design).is_some())
        .collect();
    let committed_mw: f64 = committed
        .iter()
        .filter_map(|p| {
            catalogue
                .design(&p.design)
                .map(|d| f64::from(p.units) * d.net_mwe_per_unit)
        })
        .sum();

    let mut text = String::new();
    let w = &mut text;
    let _ = writeln!(
        w,
        "# atomplan study file (docs/study-file.md describes every key)."
    );
    let _ = writeln!(
        w,
        "# Written by `atomplan study new --country {}` from the catalogue.",
        country.code
    );
    let _ = writeln!(
        w,
        "# Run it with: atomplan study run <this file> --out out/<name>"
    );
    let _ = writeln!(w);
    let _ = writeln!(w, "title = \"{} nuclear study\"", country.name);
    let _ = writeln!(w, "# The question the report answers first.");
    let _ = writeln!(
        w,
        "question = \"Which design, size and timing of nuclear power for {}?\"",
        country.name
    );
    let _ = writeln!(w, "country = \"{}\"", country.code);
    let _ = writeln!(w);
    let _ = writeln!(w, "[horizon]");
    let _ = writeln!(
        w,
        "# Year of the catalogue's demand data ({}).",
        country.data_year
    );
    let _ = writeln!(w, "base_year = {base_year}");
    let _ = writeln!(
        w,
        "# Investment periods: about ten years after the base year, then every ten years."
    );
    let _ = writeln!(
        w,
        "periods = [{}, {}, {}]",
        periods[0], periods[1], periods[2]
    );
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "# Zones default to the catalogue's main zones; uncomment to set your own."
    );
    for zone in &country.zones {
        let _ = writeln!(w, "# [[zones]]");
        let _ = writeln!(w, "# name = \"{}\"", zone.name);
        let _ = writeln!(w, "# demand_share = {}", zone.demand_share);
    }
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "# Candidates: units no larger than {:.0} % of the {:.0} MW peak load ({:.0} MW), the IAEA",
        DEFAULT_UNIT_SHARE_LIMIT * 100.0,
        country.peak_mw,
        limit_mw
    );
    let _ = writeln!(
        w,
        "# rule of thumb on the system's size (NG-T-3.8, 2012). The country's own projects come"
    );
    let _ = writeln!(
        w,
        "# first, then the fitting designs with the most reference units, one per vendor country."
    );
    if picks.is_empty() {
        let _ = writeln!(
            w,
            "# No catalogue design fits this grid: add a candidate by hand."
        );
    }
    let target_units = |design: &DesignInfo| -> u32 {
        let need = target.map_or(0.0, |t| (t.mw - committed_mw).max(0.0));
        ((need / design.net_mwe_per_unit).ceil() as u32).max(4)
    };
    for (index, (design, why)) in picks.iter().enumerate() {
        let _ = writeln!(w);
        let _ = writeln!(
            w,
            "# {} ({}, {:.0} MWe per unit): {why}.",
            design.name, design.vendor, design.net_mwe_per_unit
        );
        let _ = writeln!(w, "[[candidates]]");
        let _ = writeln!(w, "id = \"{}\"", design.id);
        let _ = writeln!(w, "design = \"{}\"", design.id);
        let units = if index == 0 { target_units(design) } else { 4 };
        let _ = writeln!(
            w,
            "# Most units that may be built{}.",
            if index == 0 && target.is_some() {
                " (enough to meet the announced target)"
            } else {
                ""
            }
        );
        let _ = writeln!(w, "max_units = {units}");
        let _ = writeln!(w, "# First year the first unit may run: the first period.");
        let _ = writeln!(w, "earliest_year = {first}");
        let _ = writeln!(w, "[candidates.financing]");
        let _ = writeln!(
            w,
            "# state-export-loan | build-own-operate | corporate | regulated-asset-base"
        );
        let _ = writeln!(w, "structure = \"state-export-loan\"");
        let _ = writeln!(w, "debt_fraction = 0.8  # share of capital cost borrowed");
        let _ = writeln!(w, "debt_rate = 0.04  # nominal interest rate");
        let _ = writeln!(w, "debt_tenor_years = 20");
        let _ = writeln!(w, "cost_of_equity = 0.10  # nominal");
        let _ = writeln!(
            w,
            "source = \"assumption: placeholder terms; replace with the vendor's offer\""
        );
    }
    let _ = writeln!(w);
    let _ = writeln!(w, "[[demand_scenarios]]");
    let _ = writeln!(w, "name = \"central\"");
    match country.demand_growth_per_year {
        Some(g) => {
            let _ = writeln!(w, "# The catalogue's sourced growth rate.");
            let _ = writeln!(w, "growth_per_year = {g}");
            let _ = writeln!(w, "source = \"catalogue: {} demand growth\"", country.code);
        }
        None => {
            let _ = writeln!(
                w,
                "# The catalogue has no growth rate for {}: 3 %/yr is a placeholder.",
                country.code
            );
            let _ = writeln!(w, "growth_per_year = 0.03");
            let _ = writeln!(
                w,
                "source = \"assumption: replace with a sourced growth rate\""
            );
        }
    }
    let _ = writeln!(w);
    let _ = writeln!(w, "[[price_scenarios]]");
    let _ = writeln!(w, "name = \"central\"");
    let _ = writeln!(w, "gas_usd_per_mmbtu = 8.0");
    let _ = writeln!(w, "coal_usd_per_mmbtu = 3.0");
    let _ = writeln!(w, "nuclear_fuel_usd_per_mwh = 10.0");
    let _ = writeln!(w, "# CO2 price by year, USD/t, interpolated between years.");
    let _ = writeln!(
        w,
        "co2_usd_per_t = {{ \"{first}\" = 0.0, \"{}\" = 30.0 }}",
        first + 20
    );
    let _ = writeln!(
        w,
        "source = \"assumption: placeholder prices; replace with sourced ones\""
    );
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "# Scenarios: the least-cost plan, and the announced programme beside it."
    );
    let _ = writeln!(w, "[[scenarios]]");
    let _ = writeln!(w, "name = \"least-cost\"");
    let _ = writeln!(
        w,
        "description = \"Least-cost fleet; nuclear is built only if it pays its way\""
    );
    if target.is_some() && !picks.is_empty() {
        let _ = writeln!(w);
        let _ = writeln!(w, "[[scenarios]]");
        let _ = writeln!(w, "name = \"government-plan\"");
        let _ = writeln!(
            w,
            "description = \"The announced nuclear target (catalogue)\""
        );
    }
    let _ = writeln!(
        w,
        "# Add a co2-target scenario once [policy].co2_cap_mt holds a sourced path:"
    );
    let _ = writeln!(w, "# [[scenarios]]");
    let _ = writeln!(w, "# name = \"co2-target\"");
    let _ = writeln!(w, "# co2_cap = true");
    let _ = writeln!(w);
    let _ = writeln!(w, "# The existing fleet comes from the catalogue:");
    for entry in &country.fleet {
        let _ = writeln!(
            w,
            "#   {}: {:.0} MW ({})",
            entry.technology, entry.capacity_mw, entry.source
        );
    }
    let _ = writeln!(
        w,
        "# Add [[fleet]] entries to give ages, heat rates or retirement years you can source."
    );
    for project in &committed {
        let _ = writeln!(w);
        let _ = writeln!(
            w,
            "# Under construction: {} ({}), in every scenario.",
            project.name, project.vendor
        );
        let _ = writeln!(w, "[[commitments]]");
        let _ = writeln!(w, "name = \"{}\"", project.id);
        let _ = writeln!(w, "technology = \"nuclear\"");
        let _ = writeln!(w, "design = \"{}\"", project.design);
        let _ = writeln!(w, "units = {}", project.units);
        let year = project.target_year.unwrap_or(base_year + 5).max(base_year);
        let _ = writeln!(
            w,
            "# The catalogue's expected year of the first unit; all units are entered then."
        );
        let _ = writeln!(w, "online_year = {year}");
        let _ = writeln!(
            w,
            "source = \"catalogue project {} ({})\"",
            project.id,
            project.sources.join(" ")
        );
    }
    if let (Some(target), Some((design, _))) = (target, picks.first()) {
        let year = target.year.max(first);
        let _ = writeln!(w);
        let _ = writeln!(
            w,
            "# The announced programme: {:.0} MW of nuclear by {} (catalogue, {}).",
            target.mw, target.year, target.source
        );
        if target.year < first {
            let _ = writeln!(
                w,
                "# It falls before the first period and is applied from {first}."
            );
        }
        let reachable = f64::from(target_units(design)) * design.net_mwe_per_unit + committed_mw;
        let _ = writeln!(w, "[[targets]]");
        let _ = writeln!(w, "technology = \"nuclear\"");
        let _ = writeln!(w, "year = {year}");
        let _ = writeln!(w, "min_mw = {:.1}", target.mw.min(reachable));
        let _ = writeln!(w, "scenarios = [\"government-plan\"]");
        let _ = writeln!(w, "source = \"catalogue: {}\"", target.source);
    }
    let _ = writeln!(w);
    let _ = writeln!(w, "[policy]");
    let _ = writeln!(
        w,
        "# Hard power-sector CO2 cap, Mt/yr by year (used by a scenario with co2_cap = true)."
    );
    let _ = writeln!(w, "# co2_cap_mt = {{ \"{}\" = 50.0 }}", first + 20);
    let _ = writeln!(
        w,
        "lole_standard_h = 3.0  # loss-of-load expectation standard, h/yr"
    );
    let _ = writeln!(
        w,
        "# Starting reserve margin; raised per period until the plan meets the standard."
    );
    let _ = writeln!(w, "reserve_margin = 0.15");
    let _ = writeln!(
        w,
        "reserve_margin_source = \"assumption: starting point of the reliability loop\""
    );
    let _ = writeln!(w);
    let _ = writeln!(w, "[options]");
    let _ = writeln!(
        w,
        "representative_days = 8  # per period; more is slower and closer"
    );
    let _ = writeln!(w, "monte_carlo_samples = 1000  # LCOE uncertainty");
    let _ = writeln!(w, "adequacy_samples = 50  # Monte Carlo years for adequacy");
    let _ = writeln!(w, "seed = 42");
    let _ = writeln!(w, "discount_rate = 0.05  # real, system planning");
    let _ = writeln!(w);
    let _ = writeln!(w, "[mcda]");
    let _ = writeln!(w, "method = \"topsis\"  # or \"wsm\"");
    for (name, weight, direction, metric) in [
        ("cost", 0.4, "min", "lcoe"),
        ("cost risk", 0.2, "min", "lcoe_p95"),
        ("grid fit", 0.2, "min", "unit_size"),
        ("maturity", 0.2, "max", "reference_units"),
    ] {
        let _ = writeln!(w, "[[mcda.criteria]]");
        let _ = writeln!(w, "name = \"{name}\"");
        let _ = writeln!(w, "weight = {weight}");
        let _ = writeln!(w, "direction = \"{direction}\"");
        let _ = writeln!(w, "metric = \"{metric}\"");
    }
    Some(text)
}
