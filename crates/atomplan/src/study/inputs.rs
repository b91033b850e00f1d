//! What a study needs from the catalogue, as plain data.
//!
//! The study pipeline reads the catalogue through this one narrow view, built in one place
//! (`from_catalogue.rs`), so that tests can hand it a small fixture country and a change in the
//! catalogue's types touches one file.
//! Every figure keeps the id of its source so the report can list sources and data-quality notes.

use serde::{Deserialize, Serialize};

/// A reactor design as the study uses it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DesignInfo {
    pub id: String,
    pub name: String,
    pub vendor: String,
    pub vendor_country: String,
    /// Net electrical output of one unit (module), MWe.
    pub net_mwe_per_unit: f64,
    pub capacity_factor: f64,
    pub design_life_years: f64,
    pub construction_months: f64,
    /// The catalogue records no construction time for the design, so `construction_months` is
    /// the study's assumption (48 months for a small reactor, 72 for a large one).
    #[serde(default)]
    pub construction_months_assumed: bool,
    /// Overnight cost, USD per kWe: low, central, high.
    pub overnight_cost_usd_per_kwe: [f64; 3],
    pub cost_price_year: i32,
    /// Fixed O&M in USD per kW-yr; `None` when the catalogue has no value.
    pub fixed_om_usd_per_kw_yr: Option<f64>,
    /// Minimum stable load as a share of rated power.
    pub min_stable_load: Option<f64>,
    /// Ramp rate, share of rated power per minute.
    pub ramp_per_min: Option<f64>,
    /// Operating or under-construction reference units worldwide.
    pub reference_units: u32,
    /// Who supplies the fuel (usually the vendor's country).
    pub fuel_supplier_country: String,
    pub sources: Vec<String>,
}

/// One technology group of the existing fleet in a country.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FleetEntry {
    /// Technology key: `coal`, `gas`, `hydro`, `wind`, `solar`, `oil`, `nuclear`, `other`.
    pub technology: String,
    pub capacity_mw: f64,
    /// Share of this capacity retiring per year after the base year (a linear retirement path).
    pub retirement_per_year: f64,
    pub source: String,
    /// Sourced average age of the group's capacity in the base year, if known (drives the
    /// documented age rule of `system.rs` when no plant-level dates exist).
    #[serde(default)]
    pub average_age_years: Option<f64>,
}

/// A nuclear project in a country (an agreement, an offer or a plant), from the catalogue.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProjectInfo {
    pub id: String,
    pub name: String,
    pub vendor: String,
    pub design: String,
    pub units: u32,
    /// `planned`, `site-preparation`, `licensing`, `under-construction`, `operating`, ...
    pub status: String,
    /// Year the first unit is currently expected to run.
    pub target_year: Option<i32>,
    pub sources: Vec<String>,
}

/// An announced nuclear capacity target of a country.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NuclearTarget {
    pub year: i32,
    pub mw: f64,
    pub source: String,
}

/// A candidate or existing zone of a country.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ZoneInfo {
    pub name: String,
    pub demand_share: f64,
}

/// An interconnection between zones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkInfo {
    pub from: String,
    pub to: String,
    pub capacity_mw: f64,
    pub source: String,
}

/// A country's power system as the study uses it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountryInfo {
    pub code: String,
    pub name: String,
    pub data_year: i32,
    pub annual_demand_twh: f64,
    pub peak_mw: f64,
    /// Sourced demand growth per year, if any.
    pub demand_growth_per_year: Option<f64>,
    pub zones: Vec<ZoneInfo>,
    pub links: Vec<LinkInfo>,
    pub fleet: Vec<FleetEntry>,
    /// Largest existing unit in MW, if known.
    pub largest_unit_mw: Option<f64>,
    /// Month (1..12) x hour (0..23) load shape per unit of the annual mean, if sourced.
    pub load_shape_month_hour: Option<Vec<[f64; 24]>>,
    /// Source of the load shape.
    pub load_shape_source: String,
    /// Peak season: `summer` or `winter`; used by the synthetic load shape.
    pub peak_season: String,
    /// Annual capacity factors for the calibration of synthetic series.
    pub wind_capacity_factor: Option<f64>,
    pub solar_capacity_factor: Option<f64>,
    pub hydro_capacity_factor: Option<f64>,
    /// Latitude of the main load centre, degrees (drives the synthetic solar day length).
    pub latitude_deg: f64,
    /// Share of gas imports by supplier country (sums to <= 1).
    pub gas_import_shares: Vec<(String, f64)>,
    /// Share of gas supply that is imported, in [0, 1].
    pub gas_import_dependence: Option<f64>,
    /// Net electricity imports in TWh/yr.
    pub electricity_imports_twh: f64,
    /// Power-sector CO2 intensity, g/kWh, with year.
    pub co2_intensity_g_per_kwh: Option<f64>,
    /// IAEA Milestones phase (1..3) and its basis.
    pub milestones_phase: Option<u8>,
    pub milestones_basis: String,
    /// The year the phase describes (the catalogue's `iaea_milestones.assessed_year`).
    #[serde(default)]
    pub milestones_assessed_year: Option<i32>,
    pub sources: Vec<String>,
    /// Nuclear projects in the country (agreements, offers, plants).
    #[serde(default)]
    pub projects: Vec<ProjectInfo>,
    /// Announced nuclear capacity targets.
    #[serde(default)]
    pub nuclear_targets: Vec<NuclearTarget>,
}

/// Cost and performance of a non-nuclear technology.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TechnologyInfo {
    pub technology: String,
    pub capex_usd_per_kw: f64,
    pub fixed_om_usd_per_kw_yr: f64,
    pub variable_om_usd_per_mwh: f64,
    /// Heat rate in MMBtu/MWh for fuel burners, 0 otherwise.
    pub heat_rate_mmbtu_per_mwh: f64,
    pub lifetime_years: f64,
    /// tCO2 per MWh of electricity.
    pub emission_t_per_mwh: f64,
    /// Whether the optimiser may build more of it.
    pub extendable: bool,
    pub source: String,
    /// Forced-outage rate (share of hours a unit is out unplanned), if the catalogue has it.
    #[serde(default)]
    pub forced_outage_rate: Option<f64>,
    /// Planned-maintenance outage rate (share of the year), if the catalogue has it.
    #[serde(default)]
    pub planned_outage_rate: Option<f64>,
    /// Cost of extending an old plant's life, USD per kW, and the years it buys.
    #[serde(default)]
    pub life_extension_usd_per_kw: Option<f64>,
    #[serde(default)]
    pub life_extension_years: Option<f64>,
    /// Storage only: round-trip efficiency and hours of storage at full power.
    #[serde(default)]
    pub round_trip_efficiency: Option<f64>,
    #[serde(default)]
    pub duration_h: Option<f64>,
    /// Every source id behind the technology's figures.
    #[serde(default)]
    pub sources: Vec<String>,
}

/// Everything a study reads from the catalogue.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StudyCatalogue {
    pub designs: Vec<DesignInfo>,
    pub countries: Vec<CountryInfo>,
    pub technologies: Vec<TechnologyInfo>,
    /// Vendor country -> share of nuclear units under construction abroad (export market).
    pub export_market_shares: Vec<(String, f64)>,
    /// Catalogue version or content hash, for provenance.
    pub version: String,
    /// Notes about figures the catalogue lacked and that the view filled with documented defaults.
    pub data_notes: Vec<String>,
    /// The catalogue's bibliography (`sources.toml`), so a report can cite by title, not by id.
    #[serde(default)]
    pub sources: Vec<SourceInfo>,
}

/// One entry of the catalogue's `sources.toml`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SourceInfo {
    pub id: String,
    pub title: String,
    pub publisher: String,
    pub year: Option<i32>,
    pub url: String,
}

impl StudyCatalogue {
    pub fn design(&self, id: &str) -> Option<&DesignInfo> {
        self.designs
            .iter()
            .find(|design| design.id.eq_ignore_ascii_case(id))
    }
    pub fn source(&self, id: &str) -> Option<&SourceInfo> {
        self.sources.iter().find(|source| source.id == id)
    }
    pub fn country(&self, code: &str) -> Option<&CountryInfo> {
        self.countries
            .iter()
            .find(|country| country.code.eq_ignore_ascii_case(code))
    }
    pub fn technology(&self, key: &str) -> Option<&TechnologyInfo> {
        self.technologies.iter().find(|tech| tech.technology == key)
    }
}
