//! A tiny, made-up catalogue view for tests: one country with one zone and two designs.
//!
//! Its numbers are test data, not facts; nothing outside tests uses them.

use super::inputs::{
    CountryInfo, DesignInfo, FleetEntry, StudyCatalogue, TechnologyInfo, ZoneInfo,
};

fn design(id: &str, mwe: f64, cost: f64, months: f64) -> DesignInfo {
    DesignInfo {
        id: id.to_owned(),
        name: id.to_owned(),
        vendor: format!("{id}-vendor"),
        vendor_country: "Testvendoria".to_owned(),
        net_mwe_per_unit: mwe,
        capacity_factor: 0.9,
        design_life_years: 60.0,
        construction_months: months,
        construction_months_assumed: false,
        overnight_cost_usd_per_kwe: [cost * 0.8, cost, cost * 1.5],
        cost_price_year: 2023,
        fixed_om_usd_per_kw_yr: Some(120.0),
        min_stable_load: Some(0.5),
        ramp_per_min: Some(0.02),
        reference_units: 2,
        fuel_supplier_country: "Testvendoria".to_owned(),
        sources: vec!["test fixture".to_owned()],
    }
}

fn technology(
    key: &str,
    capex: f64,
    fom: f64,
    vom: f64,
    heat_rate: f64,
    co2: f64,
) -> TechnologyInfo {
    TechnologyInfo {
        technology: key.to_owned(),
        capex_usd_per_kw: capex,
        fixed_om_usd_per_kw_yr: fom,
        variable_om_usd_per_mwh: vom,
        heat_rate_mmbtu_per_mwh: heat_rate,
        lifetime_years: 30.0,
        emission_t_per_mwh: co2,
        extendable: key != "coal",
        source: "test fixture".to_owned(),
        ..TechnologyInfo::default()
    }
}

/// The fixture: country `XT` (Testland) and designs `small-smr` (80 MWe) and `big-pwr` (1,000 MWe).
pub fn catalogue() -> StudyCatalogue {
    let fleet = |technology: &str, capacity_mw: f64, retirement_per_year: f64| FleetEntry {
        technology: technology.to_owned(),
        capacity_mw,
        retirement_per_year,
        source: "test fixture".to_owned(),
        average_age_years: None,
    };
    StudyCatalogue {
        designs: vec![
            design("small-smr", 80.0, 7000.0, 48.0),
            design("big-pwr", 1000.0, 5500.0, 84.0),
        ],
        countries: vec![CountryInfo {
            code: "XT".to_owned(),
            name: "Testland".to_owned(),
            data_year: 2024,
            annual_demand_twh: 10.0,
            peak_mw: 1800.0,
            demand_growth_per_year: Some(0.03),
            zones: vec![ZoneInfo {
                name: "central".to_owned(),
                demand_share: 1.0,
            }],
            links: Vec::new(),
            fleet: vec![
                fleet("coal", 1500.0, 0.03),
                fleet("gas", 400.0, 0.0),
                fleet("hydro", 300.0, 0.0),
                fleet("wind", 100.0, 0.0),
                fleet("solar", 100.0, 0.0),
            ],
            largest_unit_mw: Some(200.0),
            load_shape_month_hour: None,
            load_shape_source: String::new(),
            peak_season: "winter".to_owned(),
            wind_capacity_factor: Some(0.3),
            solar_capacity_factor: Some(0.17),
            hydro_capacity_factor: Some(0.4),
            latitude_deg: 48.0,
            gas_import_shares: vec![("Neighbouria".to_owned(), 0.9)],
            gas_import_dependence: Some(0.9),
            electricity_imports_twh: 0.5,
            co2_intensity_g_per_kwh: Some(800.0),
            milestones_phase: Some(1),
            milestones_basis: "test fixture".to_owned(),
            milestones_assessed_year: None,
            sources: vec!["test fixture".to_owned()],
            projects: Vec::new(),
            nuclear_targets: Vec::new(),
        }],
        technologies: vec![
            technology("coal", 3000.0, 80.0, 9.0, 9.5, 0.95),
            technology("ccgt", 1100.0, 30.0, 2.0, 6.3, 0.37),
            technology("onshore_wind", 1300.0, 30.0, 0.0, 0.0, 0.0),
            technology("utility_pv", 1000.0, 18.0, 0.0, 0.0, 0.0),
        ],
        export_market_shares: vec![("Testvendoria".to_owned(), 0.6)],
        version: "fixture".to_owned(),
        data_notes: vec!["fixture catalogue: made-up test numbers".to_owned()],
        sources: Vec::new(),
    }
}

/// A small valid study on the fixture catalogue.
pub const STUDY: &str = r#"
title = "Testland first plant"
question = "Small modules or one large unit for Testland?"
country = "XT"

[horizon]
base_year = 2024
periods = [2035, 2045]

[[candidates]]
id = "smr"
design = "small-smr"
max_units = 8
earliest_year = 2035
[candidates.financing]
structure = "state-export-loan"
debt_fraction = 0.8
debt_rate = 0.04
cost_of_equity = 0.1

[[candidates]]
id = "large"
design = "big-pwr"
max_units = 1
earliest_year = 2035
[candidates.financing]
structure = "build-own-operate"
debt_fraction = 0.5
debt_rate = 0.06
cost_of_equity = 0.12
ppa_price_usd_per_mwh = 110.0
ppa_share = 0.7
ppa_years = 15

[[demand_scenarios]]
name = "central"
growth_per_year = 0.03

[[price_scenarios]]
name = "central"
gas_usd_per_mmbtu = 8.0
coal_usd_per_mmbtu = 3.0
co2_usd_per_t = { "2035" = 10.0, "2045" = 40.0 }
import_usd_per_mwh = 70.0

[policy]
co2_target_mt = { "2045" = 5.0 }

[options]
representative_days = 4
monte_carlo_samples = 200
adequacy_samples = 20

[[mcda.criteria]]
name = "cost"
weight = 0.6
direction = "min"
metric = "lcoe"

[[mcda.criteria]]
name = "grid fit"
weight = 0.4
direction = "min"
metric = "unit_size"
"#;
