//! The study's inputs for the LCOE of the non-nuclear alternatives (`atomplan::assess::alternatives`):
//! the catalogue's technology costs, the first price scenario's fuel and CO2 prices in the first
//! period, the study's discount rate, and a capacity factor per technology whose basis is stated.

use atomplan::assess::alternatives::{alternative_lcoe, AlternativeInput, AlternativeLcoe};
use atomplan::study::system::interpolate_by_year;
use atomplan::study::{StudyCatalogue, StudyFile};

use atomplan::study::runner::StudyResults;

/// One alternative's LCOE with its labels.
pub struct AlternativeRow {
    pub label: String,
    pub lcoe: AlternativeLcoe,
    pub capacity_factor_basis: String,
    /// The catalogue source of its cost (an id; the report cites it).
    pub source: String,
}

/// The alternatives' LCOEs and what they rest on.
pub struct Alternatives {
    pub price_scenario: String,
    pub year: i32,
    pub rows: Vec<AlternativeRow>,
    pub notes: Vec<String>,
}

/// Computes the LCOE of each catalogue alternative the study's system uses.
pub fn alternatives(
    study: &StudyFile,
    catalogue: &StudyCatalogue,
    results: &StudyResults,
) -> Alternatives {
    let year = study
        .horizon
        .periods
        .first()
        .copied()
        .unwrap_or(study.horizon.base_year);
    let mut out = Alternatives {
        price_scenario: String::new(),
        year,
        rows: Vec::new(),
        notes: Vec::new(),
    };
    let Some(prices) = study.price_scenarios.first() else {
        return out;
    };
    out.price_scenario.clone_from(&prices.name);
    let co2 = interpolate_by_year(&prices.co2_usd_per_t, year).unwrap_or(0.0);
    let country = catalogue.country(&study.country);
    // Thermal plants are compared at the nuclear candidates' mean capacity factor: the same
    // baseload duty, so the comparison is of costs, not of how much each runs.
    let nuclear_cf: Vec<f64> = results
        .economics
        .rows
        .iter()
        .filter_map(|r| catalogue.design(&r.design).map(|d| d.capacity_factor))
        .collect();
    #[allow(clippy::cast_precision_loss)]
    let baseload_cf = if nuclear_cf.is_empty() {
        0.9
    } else {
        nuclear_cf.iter().sum::<f64>() / nuclear_cf.len() as f64
    };
    for technology in &catalogue.technologies {
        let (label, fuel, capacity_factor, basis) = match technology.technology.as_str() {
            "coal_new_pulverised" => (
                "new coal",
                prices.coal_usd_per_mmbtu,
                Some(baseload_cf),
                "baseload, as the nuclear candidates".to_owned(),
            ),
            "ccgt" => (
                "gas CCGT",
                prices.gas_usd_per_mmbtu,
                Some(baseload_cf),
                "baseload, as the nuclear candidates".to_owned(),
            ),
            "onshore_wind" => (
                "onshore wind (no firming)",
                0.0,
                country.and_then(|c| c.wind_capacity_factor),
                "the country's wind capacity factor".to_owned(),
            ),
            "utility_pv" => (
                "utility solar PV (no firming)",
                0.0,
                country.and_then(|c| c.solar_capacity_factor),
                "the country's solar capacity factor".to_owned(),
            ),
            _ => continue,
        };
        let Some(capacity_factor) = capacity_factor else {
            out.notes.push(format!(
                "{label}: the catalogue has no capacity factor for {}, so its LCOE is not shown",
                study.country
            ));
            continue;
        };
        let input = AlternativeInput {
            technology: technology.technology.clone(),
            capex_usd_per_kw: technology.capex_usd_per_kw,
            fixed_om_usd_per_kw_yr: technology.fixed_om_usd_per_kw_yr,
            variable_om_usd_per_mwh: technology.variable_om_usd_per_mwh,
            fuel_usd_per_mmbtu: fuel,
            heat_rate_mmbtu_per_mwh: technology.heat_rate_mmbtu_per_mwh,
            emission_t_per_mwh: technology.emission_t_per_mwh,
            co2_usd_per_t: co2,
            capacity_factor,
            life_years: technology.lifetime_years,
            construction_years: 0.0,
        };
        match alternative_lcoe(&input, study.options.discount_rate) {
            Ok(lcoe) => out.rows.push(AlternativeRow {
                label: label.to_owned(),
                lcoe,
                capacity_factor_basis: basis,
                source: technology.source.clone(),
            }),
            Err(error) => out.notes.push(format!("{label}: {error}")),
        }
    }
    if !out.rows.is_empty() {
        out.notes.push(format!(
            "Fuel at {} USD/MMBtu (gas) and {} USD/MMBtu (coal), CO2 at {} USD/t ({} scenario, {year}). The alternatives are costed without a construction period (the catalogue gives them none; this favours them against nuclear, whose construction years carry a return on capital) and wind and solar without the storage or backup that firming them would need; the planning model, not this table, values firm capacity.",
            crate::html::num(prices.gas_usd_per_mmbtu, 2),
            crate::html::num(prices.coal_usd_per_mmbtu, 2),
            crate::html::num(co2, 0),
            prices.name
        ));
    }
    out
}
