//! The commented starting file written by `atomplan study new --country <code>`.
//!
//! It is filled from the catalogue (the country's zones, two designs) so that it parses and
//! validates as written; every key carries a comment saying what it means and its unit.

use std::fmt::Write;

use super::inputs::StudyCatalogue;

/// A commented study file for `country`, or `None` if the catalogue does not know it.
pub fn new_study(catalogue: &StudyCatalogue, country_code: &str) -> Option<String> {
    let country = catalogue.country(country_code)?;
    let base_year = country.data_year;
    let first = ((base_year + 10) / 5) * 5 + 5;
    let mut text = String::new();
    let _ = writeln!(
        text,
        "# atomplan study file (docs/study-file.md describes every key)."
    );
    let _ = writeln!(
        text,
        "# Run it with: atomplan study run <this file> --out out/<name>"
    );
    let _ = writeln!(text);
    let _ = writeln!(text, "title = \"{} nuclear study\"", country.name);
    let _ = writeln!(text, "# The question the report answers first.");
    let _ = writeln!(
        text,
        "question = \"Which design, size and timing of nuclear power for {}?\"",
        country.name
    );
    let _ = writeln!(
        text,
        "# Catalogue country code (`atomplan catalogue countries`)."
    );
    let _ = writeln!(text, "country = \"{}\"", country.code);
    let _ = writeln!(text);
    let _ = writeln!(text, "[horizon]");
    let _ = writeln!(text, "# Year of the catalogue data the study grows from.");
    let _ = writeln!(text, "base_year = {base_year}");
    let _ = writeln!(
        text,
        "# First year of each investment period, strictly increasing."
    );
    let _ = writeln!(text, "periods = [{first}, {}, {}]", first + 10, first + 20);
    let _ = writeln!(text);
    let _ = writeln!(
        text,
        "# Zones default to the catalogue's; uncomment to set your own."
    );
    for zone in &country.zones {
        let _ = writeln!(text, "# [[zones]]");
        let _ = writeln!(text, "# name = \"{}\"", zone.name);
        let _ = writeln!(text, "# demand_share = {}", zone.demand_share);
    }
    let _ = writeln!(text);
    let mut designs: Vec<_> = catalogue.designs.iter().collect();
    designs.sort_by(|a, b| a.net_mwe_per_unit.total_cmp(&b.net_mwe_per_unit));
    let picks: Vec<_> = match (designs.first(), designs.last()) {
        (Some(small), Some(large)) if small.id != large.id => vec![*small, *large],
        (Some(only), _) => vec![*only],
        _ => Vec::new(),
    };
    for design in picks {
        let _ = writeln!(
            text,
            "# A candidate: a catalogue design and its vendor's financing offer."
        );
        let _ = writeln!(text, "[[candidates]]");
        let _ = writeln!(text, "id = \"{}\"", design.id);
        let _ = writeln!(text, "design = \"{}\"", design.id);
        let _ = writeln!(text, "# Most reactor units (modules) that may be built.");
        let _ = writeln!(text, "max_units = 4");
        let _ = writeln!(text, "# First year the first unit may run.");
        let _ = writeln!(text, "earliest_year = {first}");
        let _ = writeln!(text, "[candidates.financing]");
        let _ = writeln!(
            text,
            "# state-export-loan | build-own-operate | corporate | regulated-asset-base"
        );
        let _ = writeln!(text, "structure = \"state-export-loan\"");
        let _ = writeln!(
            text,
            "debt_fraction = 0.8  # share of capital cost borrowed"
        );
        let _ = writeln!(text, "debt_rate = 0.04  # nominal interest rate");
        let _ = writeln!(text, "debt_tenor_years = 20");
        let _ = writeln!(text, "cost_of_equity = 0.10  # nominal");
        let _ = writeln!(
            text,
            "source = \"assumption: replace with the offer's terms\""
        );
        let _ = writeln!(text);
    }
    let growth = country.demand_growth_per_year.unwrap_or(0.03);
    let _ = writeln!(text, "[[demand_scenarios]]");
    let _ = writeln!(text, "name = \"central\"");
    let _ = writeln!(
        text,
        "growth_per_year = {growth}  # energy and peak, per year"
    );
    let _ = writeln!(text);
    let _ = writeln!(text, "[[price_scenarios]]");
    let _ = writeln!(text, "name = \"central\"");
    let _ = writeln!(text, "gas_usd_per_mmbtu = 8.0");
    let _ = writeln!(text, "coal_usd_per_mmbtu = 3.0");
    let _ = writeln!(text, "nuclear_fuel_usd_per_mwh = 10.0");
    let _ = writeln!(
        text,
        "# CO2 price by year, USD/t, interpolated between years."
    );
    let _ = writeln!(
        text,
        "co2_usd_per_t = {{ \"{first}\" = 0.0, \"{}\" = 30.0 }}",
        first + 20
    );
    let _ = writeln!(text, "source = \"assumption: replace with sourced prices\"");
    let _ = writeln!(text);
    let _ = writeln!(text, "[policy]");
    let _ = writeln!(
        text,
        "# Hard power-sector CO2 cap, Mt/yr by year (optional)."
    );
    let _ = writeln!(text, "# co2_cap_mt = {{ \"{}\" = 50.0 }}", first + 20);
    let _ = writeln!(text, "# Target reported against, Mt/yr by year (optional).");
    let _ = writeln!(text, "# co2_target_mt = {{ \"{}\" = 40.0 }}", first + 20);
    let _ = writeln!(
        text,
        "lole_standard_h = 3.0  # loss-of-load expectation standard, h/yr"
    );
    let _ = writeln!(text);
    let _ = writeln!(text, "[options]");
    let _ = writeln!(
        text,
        "representative_days = 8  # per period; more is slower and closer"
    );
    let _ = writeln!(text, "monte_carlo_samples = 1000  # LCOE uncertainty");
    let _ = writeln!(
        text,
        "adequacy_samples = 200  # Monte Carlo years for adequacy"
    );
    let _ = writeln!(text, "seed = 42");
    let _ = writeln!(text, "discount_rate = 0.05  # real, system planning");
    let _ = writeln!(text);
    let _ = writeln!(text, "[mcda]");
    let _ = writeln!(text, "method = \"topsis\"  # or \"wsm\"");
    for (name, weight, direction, metric) in [
        ("cost", 0.4, "min", "lcoe"),
        ("cost risk", 0.2, "min", "lcoe_p95"),
        ("grid fit", 0.2, "min", "unit_size"),
        ("maturity", 0.2, "max", "reference_units"),
    ] {
        let _ = writeln!(text, "[[mcda.criteria]]");
        let _ = writeln!(text, "name = \"{name}\"");
        let _ = writeln!(text, "weight = {weight}");
        let _ = writeln!(text, "direction = \"{direction}\"");
        let _ = writeln!(text, "metric = \"{metric}\"");
    }
    Some(text)
}
