//! The study file: the TOML an analyst writes, as wire structs.
//!
//! Every table denies unknown keys, so a typo (`represenative_days`) is an error that names the
//! key instead of a silently ignored setting.
//! The same structs generate `schema/study.schema.json` (see [`json_schema`]) and are documented
//! field by field in `docs/study-file.md`; keep the three in step.
//! Checks that need the catalogue (does this design exist?) live in `validate.rs`.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A whole study: one country, candidate designs with their financing offers, scenarios,
/// policy, options and the criteria used to rank the candidates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StudyFile {
    /// Short title shown at the top of the report.
    pub title: String,
    /// The decision question the report answers first.
    #[serde(default)]
    pub question: String,
    /// Catalogue country code (ISO 3166-1 alpha-2, e.g. `KZ`).
    pub country: String,
    /// Horizon and investment periods.
    pub horizon: Horizon,
    /// Zones of the power system; empty means the catalogue's zones for the country.
    #[serde(default)]
    pub zones: Vec<Zone>,
    /// Transfer limits between zones; empty means the catalogue's interconnections.
    #[serde(default)]
    pub links: Vec<ZoneLink>,
    /// Candidate nuclear designs, each with its vendor's financing offer.
    pub candidates: Vec<Candidate>,
    /// Demand scenarios; at least one.
    pub demand_scenarios: Vec<DemandScenario>,
    /// Fuel and CO2 price scenarios; at least one.
    pub price_scenarios: Vec<PriceScenario>,
    /// Named scenarios, each combining a demand and a price scenario with policies; empty
    /// means one scenario per demand x price pair, without policies.
    #[serde(default)]
    pub scenarios: Vec<Scenario>,
    /// Fixed builds: committed and under-construction plants, or a programme's units.
    #[serde(default)]
    pub commitments: Vec<Commitment>,
    /// Least capacity of a technology from a year on (e.g. an announced nuclear programme).
    #[serde(default)]
    pub targets: Vec<CapacityTarget>,
    /// Potentials and build-rate limits of new wind, solar, hydro, storage and thermal plants.
    #[serde(default)]
    pub resources: Vec<Resource>,
    /// Overrides and assumptions for the existing fleet, by technology group.
    #[serde(default)]
    pub fleet: Vec<FleetOverride>,
    /// Policy: CO2 cap and targets.
    #[serde(default)]
    pub policy: Policy,
    /// Run options: representative days, Monte Carlo samples, seeds, discounting.
    #[serde(default)]
    pub options: Options,
    /// User-supplied hourly profiles that override the built-in ones.
    #[serde(default)]
    pub profiles: ProfileOverrides,
    /// Multi-criteria ranking of the candidates.
    #[serde(default)]
    pub mcda: Mcda,
    /// Scenario sweep over this study, read by `atomplan study sweep` (see docs/sweeps.md).
    /// `study run` runs the study as written and ignores it; the sweep engine validates it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<serde_json::Value>")]
    pub sweep: Option<toml::Value>,
}

/// A named scenario: which demand and prices, and which policies are switched on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Unique name, e.g. `least-cost`, `government-plan`, `co2-target` (letters, digits, `-`, `_`).
    pub name: String,
    /// Demand scenario name; default the first.
    #[serde(default)]
    pub demand: Option<String>,
    /// Price scenario name; default the first.
    #[serde(default)]
    pub prices: Option<String>,
    /// Apply `[policy].co2_cap_mt` as a hard cap.
    #[serde(default)]
    pub co2_cap: bool,
    /// Year from which no coal plant runs (existing retire by then, no new coal lives past it).
    #[serde(default)]
    pub coal_phase_out_year: Option<i32>,
    /// What the scenario stands for, shown in the report.
    #[serde(default)]
    pub description: String,
}

/// A fixed build. Give `candidate` (a nuclear candidate of this study, forced to be built) or
/// `technology` (a plant added to the fleet: `nuclear`, `gas`, `coal`, `hydro`, `wind`,
/// `solar`, `oil`, `battery`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Commitment {
    /// Label in tables, e.g. `akkuyu-1`; default derived from the candidate or technology.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub candidate: Option<String>,
    #[serde(default)]
    pub technology: Option<String>,
    /// Catalogue design of a `technology = "nuclear"` plant (sets the unit size and availability).
    #[serde(default)]
    pub design: Option<String>,
    /// Zone; default the candidate's zone or the first zone.
    #[serde(default)]
    pub zone: Option<String>,
    /// Units (of the candidate's or design's unit size). Give `units` or `mw`.
    #[serde(default)]
    pub units: Option<u32>,
    /// Capacity in MW (net).
    #[serde(default)]
    pub mw: Option<f64>,
    /// First year in service.
    pub online_year: i32,
    /// First year out of service; default online year + the technology's lifetime.
    #[serde(default)]
    pub retire_year: Option<i32>,
    /// Scenarios it applies to; empty means every scenario.
    #[serde(default)]
    pub scenarios: Vec<String>,
    /// Where it comes from (URL or document, year), or "assumption: ...".
    #[serde(default)]
    pub source: String,
}

/// A capacity target: at least `min_mw` of `technology` in service from `year` on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CapacityTarget {
    /// `nuclear`, `wind`, `solar`, `hydro`, `gas`, `coal`, `renewables` (wind + solar + hydro),
    /// or a candidate id.
    pub technology: String,
    pub year: i32,
    pub min_mw: f64,
    /// Scenarios it applies to; empty means every scenario.
    #[serde(default)]
    pub scenarios: Vec<String>,
    #[serde(default)]
    pub source: String,
}

/// Potential and build rate of one new-build technology, in one zone or the whole country.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    /// `wind`, `solar`, `hydro`, `gas`, `coal`, `battery`, `pumped_hydro`.
    pub technology: String,
    /// Zone; absent means the limit applies to each zone (potential split by demand share).
    #[serde(default)]
    pub zone: Option<String>,
    /// Whether new capacity may be built at all (default true).
    #[serde(default = "default_true")]
    pub allowed: bool,
    /// Most new capacity over the horizon, MW.
    #[serde(default)]
    pub potential_mw: Option<f64>,
    /// Most new capacity commissioned per year, MW.
    #[serde(default)]
    pub max_build_mw_per_year: Option<f64>,
    /// First year new capacity may be in service.
    #[serde(default)]
    pub earliest_year: Option<i32>,
    /// Overnight cost override, USD per kW (study price year).
    #[serde(default)]
    pub overnight_cost_usd_per_kw: Option<f64>,
    #[serde(default)]
    pub source: String,
}

/// Assumptions about one technology group of the existing fleet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FleetOverride {
    /// `coal`, `gas`, `hydro`, `wind`, `solar`, `oil`, `other`.
    pub technology: String,
    /// Existing capacity in MW (replaces the catalogue's figure).
    #[serde(default)]
    pub capacity_mw: Option<f64>,
    /// Average age of the group's capacity in the base year (drives the age rule).
    #[serde(default)]
    pub average_age_years: Option<f64>,
    /// Year by which all of the group's capacity has retired (a sourced schedule's end).
    #[serde(default)]
    pub retire_by_year: Option<i32>,
    /// Heat rate of the existing plants, MMBtu/MWh.
    #[serde(default)]
    pub heat_rate_mmbtu_per_mwh: Option<f64>,
    /// Fixed O&M of the existing plants, USD per kW-yr.
    #[serde(default)]
    pub fixed_om_usd_per_kw_yr: Option<f64>,
    /// Share of the year available (1 - forced - planned outage rates).
    #[serde(default)]
    pub availability: Option<f64>,
    /// Wind, solar, hydro: annual capacity factor the hourly profile is calibrated to
    /// (replaces the catalogue's generation / capacity).
    #[serde(default)]
    pub capacity_factor: Option<f64>,
    /// Allow retiring capacity to run on for the technology's life-extension years at its
    /// life-extension cost (default true when the catalogue has a cost).
    #[serde(default)]
    pub life_extension: Option<bool>,
    #[serde(default)]
    pub source: String,
}

/// When the study starts and which years are planned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Horizon {
    /// Year of the catalogue's demand and fleet data the study grows from.
    pub base_year: i32,
    /// Investment periods (first year of each), strictly increasing, all after `base_year`.
    pub periods: Vec<i32>,
}

/// One zone (bus) of the power system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Zone {
    /// Zone name, unique within the study.
    pub name: String,
    /// Share of national demand in this zone, in (0, 1]; shares sum to 1.
    pub demand_share: f64,
    /// Share of the existing fleet located in this zone, in [0, 1]; defaults to `demand_share`.
    #[serde(default)]
    pub fleet_share: Option<f64>,
}

/// A transfer limit between two zones (a transport link, both directions).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ZoneLink {
    pub from: String,
    pub to: String,
    /// Transfer capacity in MW, each direction.
    pub capacity_mw: f64,
    /// Where the figure comes from.
    #[serde(default)]
    pub source: String,
}

/// A candidate design with its vendor's offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Candidate {
    /// Name used in tables and charts, unique (e.g. `rosatom-vver1200`).
    pub id: String,
    /// Catalogue design id (e.g. `vver-1200`).
    pub design: String,
    /// Vendor offering it; defaults to the catalogue's vendor of the design.
    #[serde(default)]
    pub vendor: Option<String>,
    /// Zone where it may be built; defaults to the first zone.
    #[serde(default)]
    pub zone: Option<String>,
    /// Most units (reactor modules) that may be built over the horizon.
    #[serde(default = "default_max_units")]
    pub max_units: u32,
    /// First year the first unit may run; defaults to the first period after base year + 10.
    #[serde(default)]
    pub earliest_year: Option<i32>,
    /// Overnight cost override in USD per kWe (the catalogue's central value otherwise).
    #[serde(default)]
    pub overnight_cost_usd_per_kwe: Option<f64>,
    /// The financing offer.
    pub financing: Financing,
}

fn default_max_units() -> u32 {
    4
}

/// Financing structure of an offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FinancingStructure {
    /// A state export loan covering most of the cost, the host state funds the rest.
    StateExportLoan,
    /// The vendor builds, owns and operates, paid through a power-purchase agreement.
    BuildOwnOperate,
    /// Corporate or utility balance-sheet finance.
    Corporate,
    /// Regulated asset base: returns paid during construction.
    RegulatedAssetBase,
}

/// A vendor's financing offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Financing {
    pub structure: FinancingStructure,
    /// Share of capital cost borrowed, in [0, 1].
    pub debt_fraction: f64,
    /// Nominal interest rate on the debt (0.04 = 4 %).
    pub debt_rate: f64,
    /// Years to repay the debt after grace.
    #[serde(default = "default_tenor")]
    pub debt_tenor_years: f64,
    /// Years after commissioning before repayment starts.
    #[serde(default)]
    pub grace_years: f64,
    /// Nominal return required on equity.
    pub cost_of_equity: f64,
    /// PPA price in USD/MWh, for build-own-operate offers.
    #[serde(default)]
    pub ppa_price_usd_per_mwh: Option<f64>,
    /// Share of output sold under the PPA, in [0, 1].
    #[serde(default)]
    pub ppa_share: Option<f64>,
    /// PPA length in years.
    #[serde(default)]
    pub ppa_years: Option<f64>,
    /// General inflation of the currency the terms are in (0.02 = 2 %/yr): what turns the
    /// nominal rates into real ones. Default 0.02, the US Federal Reserve's target for
    /// USD-denominated terms (an assumption where the offer states no index).
    #[serde(default = "default_inflation")]
    pub inflation: f64,
    /// Where the terms come from (URL or document, year); "assumption" when they are not published.
    #[serde(default)]
    pub source: String,
}

fn default_tenor() -> f64 {
    20.0
}

fn default_inflation() -> f64 {
    0.02
}

/// How demand grows from the base year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DemandScenario {
    pub name: String,
    /// Annual growth of energy and peak (0.03 = 3 %/yr).
    pub growth_per_year: f64,
    /// Base-year annual energy override in TWh (catalogue value otherwise).
    #[serde(default)]
    pub base_energy_twh: Option<f64>,
    /// Base-year peak override in MW (catalogue value otherwise).
    #[serde(default)]
    pub base_peak_mw: Option<f64>,
    /// Where the growth figure comes from.
    #[serde(default)]
    pub source: String,
}

/// Fuel and CO2 prices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceScenario {
    pub name: String,
    /// Gas price in USD/MMBtu.
    pub gas_usd_per_mmbtu: f64,
    /// Coal price in USD/MMBtu.
    pub coal_usd_per_mmbtu: f64,
    /// Nuclear fuel cycle cost in USD/MWh (front and back end).
    #[serde(default = "default_nuclear_fuel")]
    pub nuclear_fuel_usd_per_mwh: f64,
    /// CO2 price in USD/t, per period year; years in between are interpolated, missing ends held.
    #[serde(default)]
    pub co2_usd_per_t: BTreeMap<String, f64>,
    /// Price of imported electricity in USD/MWh, if the country imports.
    #[serde(default)]
    pub import_usd_per_mwh: Option<f64>,
    /// Price of imported gas at the border in USD/MMBtu, for the import bill (default the gas price).
    #[serde(default)]
    pub gas_import_usd_per_mmbtu: Option<f64>,
    /// Share of the gas burnt for power that is imported, in [0, 1] (default the catalogue's
    /// import dependence, else 0).
    #[serde(default)]
    pub gas_import_share: Option<f64>,
    #[serde(default)]
    pub source: String,
}

fn default_nuclear_fuel() -> f64 {
    10.0
}

/// Policy constraints and targets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Power-sector CO2 cap in Mt/yr by period year (a hard constraint in planning).
    #[serde(default)]
    pub co2_cap_mt: BTreeMap<String, f64>,
    /// Power-sector CO2 target in Mt/yr by year (reported against, not enforced).
    #[serde(default)]
    pub co2_target_mt: BTreeMap<String, f64>,
    /// Text of the national target the numbers stand for, with its source.
    #[serde(default)]
    pub target_note: String,
    /// Loss-of-load expectation standard in hours per year.
    #[serde(default = "default_lole")]
    pub lole_standard_h: f64,
    /// Planning reserve margin over the annual peak the plan starts from (capacity credited
    /// at its firm share); raised per period until the plan meets `lole_standard_h`.
    #[serde(default = "default_reserve_margin")]
    pub reserve_margin: f64,
    /// Where the reserve margin comes from.
    #[serde(default)]
    pub reserve_margin_source: String,
    /// Gas available for power per year, bcm, by year (interpolated); a hard limit.
    #[serde(default)]
    pub gas_supply_bcm: BTreeMap<String, f64>,
    #[serde(default)]
    pub gas_supply_source: String,
}

fn default_reserve_margin() -> f64 {
    0.15
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            co2_cap_mt: BTreeMap::new(),
            co2_target_mt: BTreeMap::new(),
            target_note: String::new(),
            lole_standard_h: default_lole(),
            reserve_margin: default_reserve_margin(),
            reserve_margin_source: String::new(),
            gas_supply_bcm: BTreeMap::new(),
            gas_supply_source: String::new(),
        }
    }
}

fn default_lole() -> f64 {
    3.0
}

/// Run options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// Representative days per period (chosen from the 365 days of the profile year).
    #[serde(default = "default_rep_days")]
    pub representative_days: u32,
    /// Monte Carlo samples for LCOE uncertainty.
    #[serde(default = "default_mc_samples")]
    pub monte_carlo_samples: u32,
    /// Adequacy Monte Carlo years.
    #[serde(default = "default_adequacy_years")]
    pub adequacy_samples: u32,
    /// Master seed; every stochastic step derives its own seed from it.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Real social discount rate for system planning: it discounts the periods of the
    /// planning objective (the system cost is a present value at this rate) and prices the
    /// social LCOE.
    #[serde(default = "default_discount")]
    pub discount_rate: f64,
    /// Real cost of capital (WACC) of the builds without a financing offer (wind, solar,
    /// storage, thermal, life extensions, and candidates planned without an offer): their
    /// capital recovery factor uses it. Empty: the discount rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wacc: Option<f64>,
    /// Value of lost load in USD/MWh (cost of unserved energy in planning).
    #[serde(default = "default_voll")]
    pub value_of_lost_load_usd_per_mwh: f64,
    /// Reserve for the loss of the largest unit (N-1) in planning.
    #[serde(default = "default_true")]
    pub n_minus_1: bool,
    /// Solve build decisions in whole units (MILP) instead of a relaxation.
    #[serde(default = "default_true")]
    pub integer_units: bool,
    /// Solver time limit per planning problem in seconds (default 300, as the flagships use:
    /// a 60 s limit left a generated Kazakhstan study without a plan on a loaded machine). A
    /// limit reached with a plan in hand keeps that plan and reports its gap; reached without
    /// one, the scenario fails with the solver's status.
    #[serde(default = "default_time_limit")]
    pub solver_time_limit_s: f64,
    /// Search break-even overnight cost, CO2 price and gas price of every candidate.
    #[serde(default = "default_true")]
    pub breakeven: bool,
    /// Relative tolerance of the break-even bisection (0.01 = 1 %).
    #[serde(default = "default_breakeven_tolerance")]
    pub breakeven_tolerance: f64,
    /// Compute the tornado of least-cost system cost.
    #[serde(default = "default_true")]
    pub tornado: bool,
}

fn default_breakeven_tolerance() -> f64 {
    0.01
}

fn default_rep_days() -> u32 {
    8
}
fn default_mc_samples() -> u32 {
    1000
}
fn default_adequacy_years() -> u32 {
    200
}
fn default_seed() -> u64 {
    42
}
fn default_discount() -> f64 {
    0.05
}
fn default_voll() -> f64 {
    5000.0
}
fn default_true() -> bool {
    true
}
fn default_time_limit() -> f64 {
    300.0
}

impl Options {
    /// The real cost of capital of builds without a financing offer: `wacc`, or the discount
    /// rate when it is empty.
    #[must_use]
    pub fn build_wacc(&self) -> f64 {
        self.wacc.unwrap_or(self.discount_rate)
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            representative_days: default_rep_days(),
            monte_carlo_samples: default_mc_samples(),
            adequacy_samples: default_adequacy_years(),
            seed: default_seed(),
            discount_rate: default_discount(),
            wacc: None,
            value_of_lost_load_usd_per_mwh: default_voll(),
            n_minus_1: true,
            integer_units: true,
            solver_time_limit_s: default_time_limit(),
            breakeven: true,
            breakeven_tolerance: default_breakeven_tolerance(),
            tornado: true,
        }
    }
}

/// Hourly CSV files (8760 rows, one column per zone or a single `value` column) that replace
/// the built-in profiles. Paths are relative to the study file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileOverrides {
    /// Load, per unit of the annual mean (or MW, see `load_is_mw`).
    #[serde(default)]
    pub load_csv: Option<String>,
    /// Treat `load_csv` values as MW instead of per-unit of the mean.
    #[serde(default)]
    pub load_is_mw: bool,
    /// Wind availability per unit of capacity.
    #[serde(default)]
    pub wind_csv: Option<String>,
    /// Solar availability per unit of capacity.
    #[serde(default)]
    pub solar_csv: Option<String>,
    /// Hydro availability per unit of capacity.
    #[serde(default)]
    pub hydro_csv: Option<String>,
}

/// MCDA method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum McdaMethod {
    Wsm,
    Topsis,
}

/// Multi-criteria ranking settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Mcda {
    #[serde(default = "default_mcda_method")]
    pub method: McdaMethod,
    /// Criteria with weights; weights are normalised to sum to 1 (with a warning if they do not).
    #[serde(default)]
    pub criteria: Vec<Criterion>,
}

fn default_mcda_method() -> McdaMethod {
    McdaMethod::Topsis
}

impl Default for Mcda {
    fn default() -> Self {
        Mcda {
            method: McdaMethod::Topsis,
            criteria: Vec::new(),
        }
    }
}

/// Whether more or less of a criterion is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Max,
    Min,
}

/// One criterion: computed by the study (`metric`) or scored by the analyst (`scores`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub name: String,
    pub weight: f64,
    pub direction: Direction,
    /// A computed metric: `lcoe`, `lcoe_p95`, `unit_size`, `construction_months`,
    /// `reference_units`, `fuel_vendor_share`, `n_minus_1_reserve`; or absent with `scores`.
    /// `lcoe_p90` is a deprecated name of `lcoe_p95` (it always computed the P95).
    #[serde(default)]
    pub metric: Option<String>,
    /// Analyst scores per candidate id, when `metric` is absent.
    #[serde(default)]
    pub scores: BTreeMap<String, f64>,
    /// Basis of the scores.
    #[serde(default)]
    pub source: String,
}

/// Metrics a criterion may name.
pub const CRITERION_METRICS: &[&str] = &[
    "lcoe",
    "lcoe_p95",
    "unit_size",
    "construction_months",
    "reference_units",
    "fuel_vendor_share",
    "n_minus_1_reserve",
];

/// Old metric names still read, with the name that replaces them: a study file that uses one
/// gets a warning, and the metric is computed under its new name.
pub const DEPRECATED_CRITERION_METRICS: &[(&str, &str)] = &[("lcoe_p90", "lcoe_p95")];

/// The metric a criterion computes: its own name, or the new name of a deprecated one.
pub fn canonical_metric(metric: &str) -> &str {
    DEPRECATED_CRITERION_METRICS
        .iter()
        .find(|(old, _)| *old == metric)
        .map_or(metric, |(_, new)| new)
}

/// The JSON schema of the study file, as committed in `schema/study.schema.json`.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(StudyFile);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
