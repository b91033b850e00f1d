//! The power-system builder: catalogue country data, the study file and one resolved scenario
//! become the zones, links, profiles, assets and policy limits the planning model optimises.
//!
//! It is plain data (no solver types) so the assessments and the report can read the same
//! system the optimiser saw. Decisions recorded here (written up in docs/methods/system.md):
//! - demand grows geometrically from the base year at the scenario's rate, energy and peak alike;
//! - every cost is in USD of the catalogue's price year (`from_catalogue::PRICE_YEAR`);
//! - existing plants pay their fixed O&M, run at their own heat rate and availability
//!   (`<group>_existing` rows of `data/technologies.csv`, or the study's `[[fleet]]`), and retire
//!   by a sourced date (`retire_by_year`) or by the age rule: ages spread evenly over
//!   [0, 2 x average age], a plant retires at the technology's lifetime, and plants already
//!   past it retire within `OVERDUE_YEARS`; thermal groups may be retired early to save fixed
//!   O&M and may buy a life extension where the catalogue has its cost;
//! - committed plants enter in their online years; candidate commitments force builds;
//! - fleet capacity is split over zones by `fleet_share` (default: the demand share);
//! - imports are a generator at the first zone capped at the sourced average import level;
//! - capacity credits for the reserve margin: thermal and nuclear `1 - forced outage rate`,
//!   wind, solar and hydro their mean availability in the 100 highest-load hours of the profile
//!   year, storage `min(1, hours / 4)`.

use atomplan_econ::capital_recovery_factor;
use serde::{Deserialize, Serialize};

use super::file::{Candidate, DemandScenario, PriceScenario, StudyFile};
use super::inputs::{CountryInfo, StudyCatalogue, TechnologyInfo};
use super::profiles::{self, Profile, ProfileOrigin, HOURS};
use super::scenario::ResolvedScenario;
use crate::Error;

const TONNE_PER_MT: f64 = 1e6;
/// MMBtu of natural gas in one bcm: 1 bcm = 0.86 Mtoe = 36 PJ (Energy Institute, Statistical
/// Review of World Energy 2024, approximate conversion factors), 1 MMBtu = 1.055056 GJ.
pub const MMBTU_PER_BCM: f64 = 36.0e6 / 1.055_056;
/// Years within which plants already past their lifetime in the base year retire (assumption:
/// one refurbishment-or-close decision cycle).
pub const OVERDUE_YEARS: i32 = 5;
/// Age tranches of the age rule.
const AGE_TRANCHES: usize = 5;
/// Hours whose mean availability is a variable source's capacity credit.
const CREDIT_HOURS: usize = 100;
/// Forced-outage rate assumed for nuclear units (availability in dispatch is the design's
/// capacity factor, which also covers refuelling).
pub const NUCLEAR_FORCED_OUTAGE_RATE: f64 = 0.05;

/// What an asset is, for the optimiser and the charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssetKind {
    /// Existing capacity (retires by age or date; thermal may retire early).
    Existing,
    /// A committed or under-construction plant entering in its online year.
    Committed,
    /// A nuclear candidate from the study file.
    Nuclear,
    /// A non-nuclear technology the optimiser may build.
    Expansion,
    /// Extra years of life for retiring existing capacity, at a cost.
    LifeExtension,
    /// Electricity imports.
    Import,
    /// Unserved energy at the value of lost load.
    Shedding,
}

/// One generator-like or storage asset over the whole horizon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Asset {
    pub name: String,
    pub zone: usize,
    /// `coal`, `gas`, `hydro`, `wind`, `solar`, `oil`, `other`, `nuclear`, `battery`,
    /// `pumped_hydro`, `imports`, `unserved`.
    pub technology: String,
    /// Catalogue technology key the figures come from (e.g. `ccgt`, `coal_existing`).
    pub catalogue_key: String,
    pub kind: AssetKind,
    /// Fixed capacity in MW (existing, committed, imports, shedding).
    pub capacity_mw: f64,
    /// Most new capacity the optimiser may add over the horizon, MW (0 for fixed assets).
    pub max_new_mw: f64,
    /// Most new capacity per year, MW.
    pub max_build_mw_per_year: Option<f64>,
    /// Unit (module) size in MW for nuclear.
    pub unit_mw: Option<f64>,
    pub max_units: Option<u32>,
    /// New capacity: annualised investment plus fixed O&M, USD per MW-yr.
    pub annual_cost_usd_per_mw: f64,
    /// Fixed capacity: fixed O&M, USD per MW-yr.
    pub fixed_om_usd_per_mw_yr: f64,
    /// Fixed capacity that may be retired early to save its fixed O&M.
    pub retirable: bool,
    /// Marginal cost per period, USD/MWh (fuel, variable O&M and the period's CO2 price).
    pub marginal_cost_usd_per_mwh: Vec<f64>,
    pub co2_t_per_mwh: f64,
    pub heat_rate_mmbtu_per_mwh: f64,
    /// Availability profile name (`wind`, `solar`, `hydro`) or `None` for a flat availability.
    pub profile: Option<String>,
    pub static_availability: f64,
    pub forced_outage_rate: f64,
    /// Share of capacity counted in the planning reserve margin.
    pub capacity_credit: f64,
    pub online_year: Option<i32>,
    pub retire_year: Option<i32>,
    pub earliest_year: Option<i32>,
    pub lifetime_years: Option<f64>,
    /// Candidate id for nuclear candidates.
    pub candidate: Option<String>,
    /// Storage: hours at full power and round-trip efficiency.
    pub storage_hours: Option<f64>,
    pub round_trip_efficiency: Option<f64>,
    /// Where the asset's figures come from.
    pub source: String,
}

impl Asset {
    fn new(name: String, zone: usize, technology: &str, kind: AssetKind) -> Asset {
        Asset {
            name,
            zone,
            technology: technology.to_owned(),
            catalogue_key: String::new(),
            kind,
            capacity_mw: 0.0,
            max_new_mw: 0.0,
            max_build_mw_per_year: None,
            unit_mw: None,
            max_units: None,
            annual_cost_usd_per_mw: 0.0,
            fixed_om_usd_per_mw_yr: 0.0,
            retirable: false,
            marginal_cost_usd_per_mwh: Vec::new(),
            co2_t_per_mwh: 0.0,
            heat_rate_mmbtu_per_mwh: 0.0,
            profile: None,
            static_availability: 1.0,
            forced_outage_rate: 0.0,
            capacity_credit: 0.0,
            online_year: None,
            retire_year: None,
            earliest_year: None,
            lifetime_years: None,
            candidate: None,
            storage_hours: None,
            round_trip_efficiency: None,
            source: String::new(),
        }
    }
    pub fn is_storage(&self) -> bool {
        self.storage_hours.is_some()
    }
    pub fn is_extendable(&self) -> bool {
        matches!(
            self.kind,
            AssetKind::Nuclear | AssetKind::Expansion | AssetKind::LifeExtension
        )
    }
    /// Whether fixed capacity is in service in `year`.
    pub fn in_service(&self, year: i32) -> bool {
        self.online_year.is_none_or(|y| year >= y) && self.retire_year.is_none_or(|y| year < y)
    }
    /// Marginal cost in period `index` (the last value beyond the list).
    pub fn marginal_cost(&self, index: usize) -> f64 {
        self.marginal_cost_usd_per_mwh
            .get(index)
            .or(self.marginal_cost_usd_per_mwh.last())
            .copied()
            .unwrap_or(0.0)
    }
    /// Gas burnt per MWh of output, bcm.
    pub fn gas_bcm_per_mwh(&self) -> f64 {
        if self.technology == "gas" {
            self.heat_rate_mmbtu_per_mwh / MMBTU_PER_BCM
        } else {
            0.0
        }
    }
}

/// One investment period of one scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodSystem {
    pub year: i32,
    /// Years this period stands for (to the next period, or 10 for the last).
    pub span_years: f64,
    pub annual_energy_twh: f64,
    pub peak_mw: f64,
    pub co2_cap_t: Option<f64>,
    pub co2_price_usd_per_t: f64,
    /// Gas available for power, bcm/yr.
    pub gas_supply_bcm: Option<f64>,
}

/// `min_mw <= capacity of assets <= max_mw` from a year on (targets, forced builds, phase-outs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CapacityLimit {
    pub name: String,
    pub assets: Vec<String>,
    pub from_year: i32,
    pub min_mw: Option<f64>,
    pub max_mw: Option<f64>,
    /// The study key it comes from, for messages (e.g. `targets[0]`).
    pub key: String,
    pub source: String,
}

/// A whole scenario: zones, links, profiles, assets, limits and periods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudySystem {
    pub scenario: String,
    pub description: String,
    pub demand_scenario: String,
    pub price_scenario: String,
    pub zones: Vec<String>,
    pub zone_demand_share: Vec<f64>,
    /// (from zone, to zone, MW)
    pub links: Vec<(usize, usize, f64)>,
    /// National load per unit of the annual mean, 8760 values.
    pub load_profile: Profile,
    pub wind_profile: Profile,
    pub solar_profile: Profile,
    pub hydro_profile: Profile,
    pub assets: Vec<Asset>,
    pub limits: Vec<CapacityLimit>,
    pub periods: Vec<PeriodSystem>,
    /// Planning reserve margin the plan starts from.
    pub reserve_margin: f64,
    pub gas_price_usd_per_mmbtu: f64,
    pub gas_import_usd_per_mmbtu: f64,
    pub gas_import_share: f64,
    /// Assumptions the builder made where data was missing, for the report.
    pub notes: Vec<String>,
}

impl StudySystem {
    /// The availability profile of an asset (hourly, profile year).
    pub fn profile(&self, name: &str) -> Option<&Profile> {
        match name {
            "wind" => Some(&self.wind_profile),
            "solar" => Some(&self.solar_profile),
            "hydro" => Some(&self.hydro_profile),
            _ => None,
        }
    }

    pub fn asset(&self, name: &str) -> Option<&Asset> {
        self.assets.iter().find(|a| a.name == name)
    }

    /// Labels of every synthetic series, for metadata and data-quality notes.
    pub fn synthetic_labels(&self) -> Vec<(String, String)> {
        [
            ("load", &self.load_profile),
            ("wind", &self.wind_profile),
            ("solar", &self.solar_profile),
            ("hydro", &self.hydro_profile),
        ]
        .into_iter()
        .map(|(name, profile)| (name.to_owned(), profile.origin.label()))
        .collect()
    }

    /// National hourly load in MW for a period.
    pub fn load_mw(&self, period: &PeriodSystem) -> Vec<f64> {
        let mean_mw = period.annual_energy_twh * 1e6 / HOURS as f64;
        self.load_profile
            .values
            .iter()
            .map(|v| v * mean_mw)
            .collect()
    }
}

/// Value of a year-keyed table at `year`: linear between keys, held flat beyond the ends.
pub fn interpolate_by_year(
    table: &std::collections::BTreeMap<String, f64>,
    year: i32,
) -> Option<f64> {
    let mut points: Vec<(i32, f64)> = table
        .iter()
        .filter_map(|(key, value)| key.parse::<i32>().ok().map(|y| (y, *value)))
        .collect();
    points.sort_by_key(|(y, _)| *y);
    let first = points.first()?;
    if year <= first.0 {
        return Some(first.1);
    }
    for pair in points.windows(2) {
        let (y0, v0) = pair[0];
        let (y1, v1) = pair[1];
        if year <= y1 {
            let t = f64::from(year - y0) / f64::from(y1 - y0);
            return Some(v0 + t * (v1 - v0));
        }
    }
    points.last().map(|(_, v)| *v)
}

/// Inputs the builder takes besides the study and the catalogue.
#[derive(Debug, Clone)]
pub struct BuildSettings {
    /// Capital charge of each nuclear candidate, USD per kW-yr, from the economics stage
    /// (financing offer included); `None` uses the social discount rate on the overnight cost.
    pub nuclear_capital_charge_usd_per_kw_yr: Vec<(String, f64)>,
    /// Directory the study file is in (user CSV paths are relative to it).
    pub study_dir: std::path::PathBuf,
}

/// Builds the system of one resolved scenario.
pub fn build_system(
    study: &StudyFile,
    catalogue: &StudyCatalogue,
    scenario: &ResolvedScenario,
    settings: &BuildSettings,
) -> Result<StudySystem, Error> {
    let demand = study
        .demand_scenarios
        .get(scenario.demand_idx)
        .ok_or(Error::Missing("demand scenario"))?;
    let prices = study
        .price_scenarios
        .get(scenario.price_idx)
        .ok_or(Error::Missing("price scenario"))?;
    let country = catalogue
        .country(&study.country)
        .ok_or_else(|| Error::Unknown {
            kind: "country",
            id: study.country.clone(),
        })?;
    let seed = study.options.seed;
    let base_energy_twh = demand.base_energy_twh.unwrap_or(country.annual_demand_twh);
    let base_peak_mw = demand.base_peak_mw.unwrap_or(country.peak_mw);
    let mean_mw = base_energy_twh * 1e6 / HOURS as f64;
    let peak_over_mean = if mean_mw > 0.0 {
        base_peak_mw / mean_mw
    } else {
        1.5
    };

    let load_profile = match &study.profiles.load_csv {
        Some(path) => {
            let full = settings.study_dir.join(path);
            let mut values = profiles::read_hourly_csv(&full)?;
            if study.profiles.load_is_mw {
                let mean = values.iter().sum::<f64>() / HOURS as f64;
                if mean > 0.0 {
                    values.iter_mut().for_each(|v| *v /= mean);
                }
            }
            Profile {
                values,
                origin: ProfileOrigin::UserCsv { path: path.clone() },
            }
        }
        None => profiles::load_per_unit(
            country.load_shape_month_hour.as_deref(),
            &country.load_shape_source,
            &country.peak_season,
            peak_over_mean,
            seed,
        ),
    };
    let availability =
        |csv: &Option<String>, fallback: &dyn Fn() -> Profile| -> Result<Profile, Error> {
            match csv {
                Some(path) => Ok(Profile {
                    values: profiles::read_hourly_csv(&settings.study_dir.join(path))?
                        .into_iter()
                        .map(|v| v.min(1.0))
                        .collect(),
                    origin: ProfileOrigin::UserCsv { path: path.clone() },
                }),
                None => Ok(fallback()),
            }
        };
    let override_cf = |technology: &str| {
        study
            .fleet
            .iter()
            .find(|f| f.technology == technology)
            .and_then(|f| f.capacity_factor)
    };
    let wind_cf = override_cf("wind")
        .or(country.wind_capacity_factor)
        .unwrap_or(0.30);
    let solar_cf = override_cf("solar")
        .or(country.solar_capacity_factor)
        .unwrap_or(0.18);
    let hydro_cf = override_cf("hydro")
        .or(country.hydro_capacity_factor)
        .unwrap_or(0.35);
    let wind_profile = availability(&study.profiles.wind_csv, &|| profiles::wind(wind_cf, seed))?;
    let solar_profile = availability(&study.profiles.solar_csv, &|| {
        profiles::solar(solar_cf, country.latitude_deg, seed)
    })?;
    let hydro_profile = availability(&study.profiles.hydro_csv, &|| profiles::hydro(hydro_cf))?;

    let (zones, zone_demand_share, zone_fleet_share) = zones_of(study, country);
    let links = links_of(study, country, &zones);

    let mut periods = Vec::new();
    for (period_idx, &year) in study.horizon.periods.iter().enumerate() {
        let span_years = study
            .horizon
            .periods
            .get(period_idx + 1)
            .map_or(10.0, |next| f64::from(next - year));
        let years_from_base = f64::from(year - study.horizon.base_year);
        let growth = (1.0 + demand.growth_per_year).powf(years_from_base);
        periods.push(PeriodSystem {
            year,
            span_years,
            annual_energy_twh: base_energy_twh * growth,
            peak_mw: base_peak_mw * growth,
            co2_cap_t: interpolate_by_year(&study.policy.co2_cap_mt, year)
                .filter(|_| scenario.co2_cap && !study.policy.co2_cap_mt.is_empty())
                .map(|mt| mt * TONNE_PER_MT),
            co2_price_usd_per_t: interpolate_by_year(&prices.co2_usd_per_t, year).unwrap_or(0.0),
            gas_supply_bcm: interpolate_by_year(&study.policy.gas_supply_bcm, year),
        });
    }

    let mut builder = Builder {
        study,
        catalogue,
        country,
        prices,
        periods: &periods,
        scenario,
        zones: &zones,
        zone_demand_share: &zone_demand_share,
        load: &load_profile.values,
        profiles: [&wind_profile, &solar_profile, &hydro_profile],
        assets: Vec::new(),
        limits: Vec::new(),
        notes: Vec::new(),
    };
    builder.existing_fleet(&zone_fleet_share);
    builder.commitments()?;
    builder.expansion();
    builder.nuclear_candidates(settings);
    builder.imports_and_shedding();
    builder.targets()?;
    builder.coal_phase_out();
    let Builder {
        assets,
        limits,
        notes,
        ..
    } = builder;

    let gas_import_share = prices
        .gas_import_share
        .or(country.gas_import_dependence)
        .unwrap_or(0.0);
    Ok(StudySystem {
        scenario: scenario.name.clone(),
        description: scenario.description.clone(),
        demand_scenario: demand.name.clone(),
        price_scenario: prices.name.clone(),
        zones,
        zone_demand_share,
        links,
        load_profile,
        wind_profile,
        solar_profile,
        hydro_profile,
        assets,
        limits,
        periods,
        reserve_margin: study.policy.reserve_margin,
        gas_price_usd_per_mmbtu: prices.gas_usd_per_mmbtu,
        gas_import_usd_per_mmbtu: prices
            .gas_import_usd_per_mmbtu
            .unwrap_or(prices.gas_usd_per_mmbtu),
        gas_import_share,
        notes,
    })
}

fn zones_of(study: &StudyFile, country: &CountryInfo) -> (Vec<String>, Vec<f64>, Vec<f64>) {
    if !study.zones.is_empty() {
        return (
            study.zones.iter().map(|z| z.name.clone()).collect(),
            study.zones.iter().map(|z| z.demand_share).collect(),
            study
                .zones
                .iter()
                .map(|z| z.fleet_share.unwrap_or(z.demand_share))
                .collect(),
        );
    }
    if country.zones.is_empty() {
        return (vec!["national".to_owned()], vec![1.0], vec![1.0]);
    }
    let total: f64 = country
        .zones
        .iter()
        .map(|z| z.demand_share)
        .sum::<f64>()
        .max(1e-9);
    let shares: Vec<f64> = country
        .zones
        .iter()
        .map(|z| z.demand_share / total)
        .collect();
    (
        country.zones.iter().map(|z| z.name.clone()).collect(),
        shares.clone(),
        shares,
    )
}

fn links_of(
    study: &StudyFile,
    country: &CountryInfo,
    zones: &[String],
) -> Vec<(usize, usize, f64)> {
    let index = |name: &str| zones.iter().position(|z| z == name);
    let pairs: Vec<(String, String, f64)> = if study.links.is_empty() {
        country
            .links
            .iter()
            .map(|l| (l.from.clone(), l.to.clone(), l.capacity_mw))
            .collect()
    } else {
        study
            .links
            .iter()
            .map(|l| (l.from.clone(), l.to.clone(), l.capacity_mw))
            .collect()
    };
    pairs
        .into_iter()
        .filter_map(|(from, to, mw)| Some((index(&from)?, index(&to)?, mw)))
        .collect()
}

/// Fuel cost per MWh of output for a study technology group.
fn fuel_cost(technology: &str, heat_rate: f64, prices: &PriceScenario) -> f64 {
    match technology {
        "gas" => heat_rate * prices.gas_usd_per_mmbtu,
        "coal" => heat_rate * prices.coal_usd_per_mmbtu,
        "nuclear" => prices.nuclear_fuel_usd_per_mwh,
        _ => 0.0,
    }
}

/// The catalogue technology of a study group's new builds.
pub fn new_build_key(technology: &str) -> &str {
    match technology {
        "gas" => "ccgt",
        "coal" => "coal_new_pulverised",
        "wind" => "onshore_wind",
        "solar" => "utility_pv",
        "hydro" => "hydro_new",
        "battery" => "battery_4h",
        other => other,
    }
}

/// The study group of a catalogue new-build technology.
fn group_of(key: &str) -> &str {
    match key {
        "ccgt" | "ocgt" => "gas",
        "coal_new_pulverised" => "coal",
        "onshore_wind" => "wind",
        "utility_pv" => "solar",
        "hydro_new" => "hydro",
        "battery_4h" => "battery",
        other => other,
    }
}

/// Mean of `profile` over the `CREDIT_HOURS` highest-load hours.
fn peak_credit(load: &[f64], profile: &[f64]) -> f64 {
    let mut hours: Vec<usize> = (0..load.len().min(profile.len())).collect();
    hours.sort_by(|&a, &b| load[b].total_cmp(&load[a]).then(a.cmp(&b)));
    let top = &hours[..CREDIT_HOURS.min(hours.len())];
    if top.is_empty() {
        return 0.0;
    }
    top.iter().map(|&h| profile[h]).sum::<f64>() / top.len() as f64
}

struct Builder<'a> {
    study: &'a StudyFile,
    catalogue: &'a StudyCatalogue,
    country: &'a CountryInfo,
    prices: &'a PriceScenario,
    periods: &'a [PeriodSystem],
    scenario: &'a ResolvedScenario,
    zones: &'a [String],
    zone_demand_share: &'a [f64],
    load: &'a [f64],
    profiles: [&'a Profile; 3],
    assets: Vec<Asset>,
    limits: Vec<CapacityLimit>,
    notes: Vec<String>,
}

impl Builder<'_> {
    fn marginal_costs(&self, technology: &str, vom: f64, heat_rate: f64, co2: f64) -> Vec<f64> {
        self.periods
            .iter()
            .map(|p| {
                vom + fuel_cost(technology, heat_rate, self.prices) + co2 * p.co2_price_usd_per_t
            })
            .collect()
    }

    fn profile_of(&self, technology: &str) -> Option<&Profile> {
        match technology {
            "wind" => Some(self.profiles[0]),
            "solar" => Some(self.profiles[1]),
            "hydro" => Some(self.profiles[2]),
            _ => None,
        }
    }

    /// Capacity credit of a technology group with the given forced-outage rate.
    fn credit(&self, technology: &str, forced_outage_rate: f64) -> f64 {
        match self.profile_of(technology) {
            Some(profile) => peak_credit(self.load, &profile.values),
            None => (1.0 - forced_outage_rate).clamp(0.0, 1.0),
        }
    }

    fn zone_index(&self, name: Option<&str>) -> usize {
        name.and_then(|n| self.zones.iter().position(|z| z == n))
            .unwrap_or(0)
    }

    fn base_year(&self) -> i32 {
        self.study.horizon.base_year
    }

    /// The existing fleet: one asset per group, zone and age tranche, plus life extensions.
    fn existing_fleet(&mut self, zone_fleet_share: &[f64]) {
        let base = self.base_year();
        let mut groups: Vec<super::inputs::FleetEntry> = self.country.fleet.clone();
        for over in &self.study.fleet {
            match groups.iter_mut().find(|g| g.technology == over.technology) {
                Some(group) => {
                    if let Some(mw) = over.capacity_mw {
                        group.capacity_mw = mw;
                        group.source.clone_from(&over.source);
                    }
                }
                None => {
                    if let Some(mw) = over.capacity_mw {
                        groups.push(super::inputs::FleetEntry {
                            technology: over.technology.clone(),
                            capacity_mw: mw,
                            retirement_per_year: 0.0,
                            source: over.source.clone(),
                            average_age_years: over.average_age_years,
                        });
                    }
                }
            }
        }
        for group in groups {
            if group.capacity_mw <= 0.0 || group.technology == "nuclear" {
                continue;
            }
            let over = self
                .study
                .fleet
                .iter()
                .find(|o| o.technology == group.technology);
            let existing_key = format!("{}_existing", group.technology);
            let new_key = new_build_key(&group.technology).to_owned();
            let tech: Option<TechnologyInfo> = self
                .catalogue
                .technology(&existing_key)
                .or_else(|| self.catalogue.technology(&new_key))
                .cloned();
            if self.catalogue.technology(&existing_key).is_none() {
                self.notes.push(format!(
                    "existing {}: no `{existing_key}` figures in the catalogue; new-build `{new_key}` figures used (assumption)",
                    group.technology
                ));
            }
            let tech = tech.unwrap_or_default();
            let heat_rate = over
                .and_then(|o| o.heat_rate_mmbtu_per_mwh)
                .unwrap_or(tech.heat_rate_mmbtu_per_mwh);
            let fom = over
                .and_then(|o| o.fixed_om_usd_per_kw_yr)
                .unwrap_or(tech.fixed_om_usd_per_kw_yr);
            let forced = tech.forced_outage_rate.unwrap_or(0.0);
            let planned = tech.planned_outage_rate.unwrap_or(0.0);
            let variable = matches!(group.technology.as_str(), "wind" | "solar" | "hydro");
            let availability = over.and_then(|o| o.availability).unwrap_or(if variable {
                1.0
            } else {
                1.0 - forced - planned
            });
            if !variable
                && tech.forced_outage_rate.is_none()
                && over.and_then(|o| o.availability).is_none()
            {
                self.notes.push(format!(
                    "existing {}: no outage rates in the catalogue; available all year (optimistic)",
                    group.technology
                ));
            }
            let co2 = if heat_rate > 0.0 && tech.heat_rate_mmbtu_per_mwh > 0.0 {
                tech.emission_t_per_mwh * heat_rate / tech.heat_rate_mmbtu_per_mwh
            } else {
                tech.emission_t_per_mwh
            };
            let marginal = self.marginal_costs(
                &group.technology,
                tech.variable_om_usd_per_mwh,
                heat_rate,
                co2,
            );
            let lifetime = tech.lifetime_years.max(1.0);
            // Retirement tranches: (share of capacity, retire year or None).
            let tranches: Vec<(f64, Option<i32>, String)> = match over
                .and_then(|o| o.retire_by_year)
            {
                Some(end) => (0..AGE_TRANCHES)
                    .map(|k| {
                        let years = f64::from(end - base) * (k as f64 + 1.0) / AGE_TRANCHES as f64;
                        (
                            1.0 / AGE_TRANCHES as f64,
                            Some(base + years.round().max(1.0) as i32),
                            format!(
                                "retires evenly to {end} (study: {})",
                                over.map_or("", |o| o.source.as_str())
                            ),
                        )
                    })
                    .collect(),
                None => {
                    let age = over
                        .and_then(|o| o.average_age_years)
                        .or(group.average_age_years);
                    match age {
                            Some(age) => (0..AGE_TRANCHES)
                                .map(|k| {
                                    let tranche_age = 2.0 * age * (k as f64 + 0.5) / AGE_TRANCHES as f64;
                                    let left = (lifetime - tranche_age).round() as i32;
                                    (
                                        1.0 / AGE_TRANCHES as f64,
                                        Some(base + left.max(OVERDUE_YEARS)),
                                        format!("age rule: average age {age:.0} yr, lifetime {lifetime:.0} yr"),
                                    )
                                })
                                .collect(),
                            None => {
                                if group.retirement_per_year > 0.0 {
                                    let end = base + (1.0 / group.retirement_per_year).round() as i32;
                                    self.notes.push(format!(
                                        "existing {}: no age or retirement dates; retires linearly to {end} (catalogue default rule, assumption)",
                                        group.technology
                                    ));
                                    (0..AGE_TRANCHES)
                                        .map(|k| {
                                            let years = f64::from(end - base) * (k as f64 + 1.0)
                                                / AGE_TRANCHES as f64;
                                            (1.0 / AGE_TRANCHES as f64, Some(base + years.round() as i32), "linear retirement (assumption)".to_owned())
                                        })
                                        .collect()
                                } else {
                                    self.notes.push(format!(
                                        "existing {}: no age or retirement dates; assumed half-way through a {lifetime:.0}-year life (assumption)",
                                        group.technology
                                    ));
                                    let age = lifetime / 2.0;
                                    (0..AGE_TRANCHES)
                                        .map(|k| {
                                            let tranche_age = 2.0 * age * (k as f64 + 0.5) / AGE_TRANCHES as f64;
                                            let left = (lifetime - tranche_age).round() as i32;
                                            (1.0 / AGE_TRANCHES as f64, Some(base + left.max(OVERDUE_YEARS)), "age rule with an assumed age".to_owned())
                                        })
                                        .collect()
                                }
                            }
                        }
                }
            };
            // Tranches alive in the same planning periods behave identically in the plan (an
            // existing unit counts in a period when the period's year is before its retirement,
            // and its life extension may be built from the first period at or after it): merge
            // them, keeping the earliest retirement year, so the model has fewer columns.
            let tranches = merge_tranches(tranches, &self.study.horizon.periods);
            let extension = if over.and_then(|o| o.life_extension).unwrap_or(true) && !variable {
                tech.life_extension_usd_per_kw
                    .zip(tech.life_extension_years)
            } else {
                None
            };
            let credit = self.credit(&group.technology, forced);
            for (zone, share) in zone_fleet_share.iter().enumerate() {
                if *share <= 0.0 {
                    continue;
                }
                for (k, (tranche_share, retire, rule)) in tranches.iter().enumerate() {
                    let capacity = group.capacity_mw * share * tranche_share;
                    let mut asset = Asset::new(
                        format!("existing-{}-z{zone}-t{k}", group.technology),
                        zone,
                        &group.technology,
                        AssetKind::Existing,
                    );
                    asset.catalogue_key = tech.technology.clone();
                    asset.capacity_mw = capacity;
                    asset.fixed_om_usd_per_mw_yr = fom * 1000.0;
                    asset.retirable = !variable;
                    asset.marginal_cost_usd_per_mwh = marginal.clone();
                    asset.co2_t_per_mwh = co2;
                    asset.heat_rate_mmbtu_per_mwh = heat_rate;
                    asset.profile = variable.then(|| group.technology.clone());
                    asset.static_availability = availability.clamp(0.0, 1.0);
                    asset.forced_outage_rate = forced;
                    asset.capacity_credit = credit;
                    asset.retire_year = *retire;
                    asset.source = format!("{}; {rule}", group.source);
                    if let (Some((cost, years)), Some(retire)) = (extension, retire) {
                        let mut ext = asset.clone();
                        ext.name = format!("life-extension-{}-z{zone}-t{k}", group.technology);
                        ext.kind = AssetKind::LifeExtension;
                        ext.capacity_mw = 0.0;
                        ext.max_new_mw = capacity;
                        ext.retirable = false;
                        ext.fixed_om_usd_per_mw_yr = 0.0;
                        ext.annual_cost_usd_per_mw = (cost
                            * capital_recovery_factor(self.study.options.build_wacc(), years)
                            + fom)
                            * 1000.0;
                        ext.earliest_year = Some(*retire);
                        ext.retire_year = None;
                        ext.lifetime_years = Some(years);
                        ext.source = format!("life extension: {}", tech.sources.join(" "));
                        self.assets.push(asset);
                        self.assets.push(ext);
                    } else {
                        self.assets.push(asset);
                    }
                }
            }
        }
    }

    /// Committed plants (fixed assets from their online year) and forced candidate builds.
    fn commitments(&mut self) -> Result<(), Error> {
        for &index in &self.scenario.commitments {
            let commitment = &self.study.commitments[index];
            let key = format!("commitments[{index}]");
            if let Some(candidate_id) = &commitment.candidate {
                let candidate = self
                    .study
                    .candidates
                    .iter()
                    .find(|c| &c.id == candidate_id)
                    .ok_or_else(|| {
                        Error::invalid(
                            format!("{key}.candidate"),
                            format!("unknown candidate `{candidate_id}`"),
                        )
                    })?;
                let design = self.catalogue.design(&candidate.design).ok_or_else(|| {
                    Error::invalid(
                        format!("{key}.candidate"),
                        format!("design `{}` not in the catalogue", candidate.design),
                    )
                })?;
                let mw = commitment.mw.unwrap_or_else(|| {
                    f64::from(commitment.units.unwrap_or(1)) * design.net_mwe_per_unit
                });
                self.limits.push(CapacityLimit {
                    name: commitment.name.clone().unwrap_or_else(|| {
                        format!("commit-{candidate_id}-{}", commitment.online_year)
                    }),
                    assets: vec![format!("nuclear-{candidate_id}")],
                    from_year: commitment.online_year,
                    min_mw: Some(mw - 1e-6),
                    max_mw: None,
                    key,
                    source: commitment.source.clone(),
                });
                continue;
            }
            let technology = commitment.technology.clone().unwrap_or_default();
            let zone = self.zone_index(commitment.zone.as_deref());
            let name = commitment.name.clone().unwrap_or_else(|| {
                format!("committed-{technology}-{}-{index}", commitment.online_year)
            });
            let mut asset = Asset::new(name, zone, &technology, AssetKind::Committed);
            asset.online_year = Some(commitment.online_year);
            asset.source.clone_from(&commitment.source);
            if technology == "nuclear" {
                let design = commitment
                    .design
                    .as_ref()
                    .and_then(|d| self.catalogue.design(d))
                    .ok_or_else(|| {
                        Error::invalid(
                            format!("{key}.design"),
                            "a nuclear commitment needs a catalogue design",
                        )
                    })?;
                let mw = commitment.mw.unwrap_or_else(|| {
                    f64::from(commitment.units.unwrap_or(1)) * design.net_mwe_per_unit
                });
                asset.catalogue_key = design.id.clone();
                asset.capacity_mw = mw;
                asset.unit_mw = Some(design.net_mwe_per_unit);
                asset.fixed_om_usd_per_mw_yr =
                    design.fixed_om_usd_per_kw_yr.unwrap_or(0.0) * 1000.0;
                asset.marginal_cost_usd_per_mwh = self.marginal_costs("nuclear", 0.0, 0.0, 0.0);
                asset.static_availability = design.capacity_factor.clamp(0.0, 1.0);
                asset.forced_outage_rate = NUCLEAR_FORCED_OUTAGE_RATE;
                asset.capacity_credit = 1.0 - NUCLEAR_FORCED_OUTAGE_RATE;
                asset.retire_year =
                    Some(commitment.retire_year.unwrap_or(
                        commitment.online_year + design.design_life_years.round() as i32,
                    ));
                self.assets.push(asset);
                continue;
            }
            let tech_key = new_build_key(&technology).to_owned();
            let tech = self
                .catalogue
                .technology(&tech_key)
                .cloned()
                .ok_or_else(|| {
                    Error::invalid(
                        format!("{key}.technology"),
                        format!("no catalogue technology `{tech_key}` for `{technology}`"),
                    )
                })?;
            let mw = commitment.mw.ok_or_else(|| {
                Error::invalid(
                    format!("{key}.mw"),
                    format!("a `{technology}` commitment needs `mw`"),
                )
            })?;
            asset.catalogue_key = tech_key;
            asset.capacity_mw = mw;
            asset.fixed_om_usd_per_mw_yr = tech.fixed_om_usd_per_kw_yr * 1000.0;
            asset.marginal_cost_usd_per_mwh = self.marginal_costs(
                &technology,
                tech.variable_om_usd_per_mwh,
                tech.heat_rate_mmbtu_per_mwh,
                tech.emission_t_per_mwh,
            );
            asset.co2_t_per_mwh = tech.emission_t_per_mwh;
            asset.heat_rate_mmbtu_per_mwh = tech.heat_rate_mmbtu_per_mwh;
            asset.profile = self.profile_of(&technology).map(|_| technology.clone());
            let forced = tech.forced_outage_rate.unwrap_or(0.0);
            let planned = tech.planned_outage_rate.unwrap_or(0.0);
            if asset.profile.is_none() {
                asset.static_availability = (1.0 - forced - planned).clamp(0.0, 1.0);
            }
            asset.forced_outage_rate = forced;
            asset.capacity_credit = self.credit(&technology, forced);
            asset.storage_hours = tech.duration_h;
            asset.round_trip_efficiency = tech.round_trip_efficiency;
            if asset.storage_hours.is_some() {
                asset.capacity_credit = (asset.storage_hours.unwrap_or(0.0) / 4.0).min(1.0);
            }
            asset.retire_year = Some(
                commitment
                    .retire_year
                    .unwrap_or(commitment.online_year + tech.lifetime_years.round() as i32),
            );
            self.assets.push(asset);
        }
        Ok(())
    }

    /// New non-nuclear builds: every technology the catalogue has, limited by `[[resources]]`.
    fn expansion(&mut self) {
        let n_zones = self.zones.len();
        let techs: Vec<TechnologyInfo> = self
            .catalogue
            .technologies
            .iter()
            .filter(|t| t.extendable)
            .cloned()
            .collect();
        for tech in techs {
            let technology = group_of(&tech.technology).to_owned();
            let resources: Vec<&super::file::Resource> = self
                .study
                .resources
                .iter()
                .filter(|r| r.technology == technology || r.technology == tech.technology)
                .collect();
            // Default-off technologies: new coal and pumped hydro need a `[[resources]]` entry.
            let default_allowed = !matches!(technology.as_str(), "coal" | "pumped_hydro" | "hydro");
            if resources.is_empty() && !default_allowed {
                continue;
            }
            if resources.is_empty() && matches!(technology.as_str(), "wind" | "solar") {
                self.notes.push(format!(
                    "new {technology}: no potential or build-rate limit in the study (unlimited)"
                ));
            }
            let forced = tech.forced_outage_rate.unwrap_or(0.0);
            let planned = tech.planned_outage_rate.unwrap_or(0.0);
            for zone in 0..n_zones {
                let zone_name = &self.zones[zone];
                let zone_resource = resources
                    .iter()
                    .find(|r| r.zone.as_deref() == Some(zone_name.as_str()));
                let all_zones = resources.iter().find(|r| r.zone.is_none());
                let share = self.zone_demand_share.get(zone).copied().unwrap_or(1.0);
                let (allowed, potential, rate, earliest, overnight, source) =
                    match (zone_resource, all_zones) {
                        (Some(r), _) => (
                            r.allowed,
                            r.potential_mw,
                            r.max_build_mw_per_year,
                            r.earliest_year,
                            r.overnight_cost_usd_per_kw,
                            r.source.clone(),
                        ),
                        (None, Some(r)) => (
                            r.allowed,
                            r.potential_mw.map(|p| p * share),
                            r.max_build_mw_per_year.map(|p| p * share),
                            r.earliest_year,
                            r.overnight_cost_usd_per_kw,
                            r.source.clone(),
                        ),
                        (None, None) => {
                            if !default_allowed || (!resources.is_empty()) {
                                continue;
                            }
                            (true, None, None, None, None, String::new())
                        }
                    };
                if !allowed || potential == Some(0.0) {
                    continue;
                }
                let capex = overnight.unwrap_or(tech.capex_usd_per_kw);
                let crf =
                    capital_recovery_factor(self.study.options.build_wacc(), tech.lifetime_years);
                let mut asset = Asset::new(
                    format!("new-{}-z{zone}", tech.technology),
                    zone,
                    &technology,
                    AssetKind::Expansion,
                );
                asset.catalogue_key = tech.technology.clone();
                asset.max_new_mw = potential.unwrap_or(f64::INFINITY);
                asset.max_build_mw_per_year = rate;
                asset.earliest_year = earliest;
                asset.annual_cost_usd_per_mw = (capex * crf + tech.fixed_om_usd_per_kw_yr) * 1000.0;
                asset.marginal_cost_usd_per_mwh = self.marginal_costs(
                    &technology,
                    tech.variable_om_usd_per_mwh,
                    tech.heat_rate_mmbtu_per_mwh,
                    tech.emission_t_per_mwh,
                );
                asset.co2_t_per_mwh = tech.emission_t_per_mwh;
                asset.heat_rate_mmbtu_per_mwh = tech.heat_rate_mmbtu_per_mwh;
                asset.profile = self.profile_of(&technology).map(|_| technology.clone());
                if asset.profile.is_none() {
                    asset.static_availability = (1.0 - forced - planned).clamp(0.0, 1.0);
                }
                asset.forced_outage_rate = forced;
                asset.capacity_credit = self.credit(&technology, forced);
                asset.lifetime_years = Some(tech.lifetime_years);
                asset.storage_hours = tech.duration_h;
                asset.round_trip_efficiency = tech.round_trip_efficiency;
                if let Some(hours) = tech.duration_h {
                    asset.capacity_credit = (hours / 4.0).min(1.0);
                }
                asset.source = if source.is_empty() {
                    tech.sources.join(" ")
                } else {
                    format!("{} (limits: {source})", tech.sources.join(" "))
                };
                self.assets.push(asset);
            }
        }
    }

    fn nuclear_candidates(&mut self, settings: &BuildSettings) {
        for candidate in &self.study.candidates {
            let Some(design) = self.catalogue.design(&candidate.design) else {
                continue;
            };
            let zone = self.zone_index(candidate.zone.as_deref());
            let overnight = candidate
                .overnight_cost_usd_per_kwe
                .unwrap_or(design.overnight_cost_usd_per_kwe[1]);
            let charge = settings
                .nuclear_capital_charge_usd_per_kw_yr
                .iter()
                .find(|(id, _)| *id == candidate.id)
                .map(|(_, charge)| *charge)
                .unwrap_or_else(|| {
                    overnight
                        * capital_recovery_factor(
                            self.study.options.build_wacc(),
                            design.design_life_years,
                        )
                        + design.fixed_om_usd_per_kw_yr.unwrap_or(0.0)
                });
            let mut asset = Asset::new(
                format!("nuclear-{}", candidate.id),
                zone,
                "nuclear",
                AssetKind::Nuclear,
            );
            asset.catalogue_key = design.id.clone();
            asset.max_new_mw = f64::from(candidate.max_units) * design.net_mwe_per_unit;
            asset.unit_mw = Some(design.net_mwe_per_unit);
            asset.max_units = Some(candidate.max_units);
            asset.annual_cost_usd_per_mw = charge * 1000.0;
            // Under a PPA the vendor pays the fuel: the host's cost is the contract.
            asset.marginal_cost_usd_per_mwh = if super::pipeline::host_pays_ppa(candidate) {
                vec![0.0; self.periods.len()]
            } else {
                self.marginal_costs("nuclear", 0.0, 0.0, 0.0)
            };
            asset.static_availability = design.capacity_factor.clamp(0.0, 1.0);
            asset.forced_outage_rate = NUCLEAR_FORCED_OUTAGE_RATE;
            asset.capacity_credit = 1.0 - NUCLEAR_FORCED_OUTAGE_RATE;
            asset.earliest_year = Some(earliest_year(self.study, candidate));
            asset.lifetime_years = Some(design.design_life_years);
            asset.candidate = Some(candidate.id.clone());
            asset.source = design.sources.join(" ");
            self.assets.push(asset);
        }
    }

    fn imports_and_shedding(&mut self) {
        if self.country.electricity_imports_twh > 0.0 {
            if let Some(price) = self.prices.import_usd_per_mwh {
                let mut asset = Asset::new("imports".to_owned(), 0, "imports", AssetKind::Import);
                asset.capacity_mw = self.country.electricity_imports_twh * 1e6 / HOURS as f64;
                asset.marginal_cost_usd_per_mwh = vec![price; self.periods.len()];
                asset.source = "catalogue: sourced average net imports".to_owned();
                self.assets.push(asset);
            }
        }
        for zone in 0..self.zones.len() {
            let mut asset = Asset::new(
                format!("unserved-z{zone}"),
                zone,
                "unserved",
                AssetKind::Shedding,
            );
            asset.capacity_mw = 1e6;
            asset.marginal_cost_usd_per_mwh =
                vec![self.study.options.value_of_lost_load_usd_per_mwh; self.periods.len()];
            self.assets.push(asset);
        }
    }

    /// Capacity targets as limits over the matching assets.
    fn targets(&mut self) -> Result<(), Error> {
        for &index in &self.scenario.targets {
            let target = &self.study.targets[index];
            let members: Vec<String> = self
                .assets
                .iter()
                .filter(|a| target_matches(&target.technology, a))
                .map(|a| a.name.clone())
                .collect();
            if members.is_empty() {
                return Err(Error::invalid(
                    format!("targets[{index}].technology"),
                    format!(
                        "no asset of `{}` can count toward the target",
                        target.technology
                    ),
                ));
            }
            self.limits.push(CapacityLimit {
                name: format!("target-{}-{}", target.technology, target.year),
                assets: members,
                from_year: target.year,
                min_mw: Some(target.min_mw),
                max_mw: None,
                key: format!("targets[{index}]"),
                source: target.source.clone(),
            });
        }
        Ok(())
    }

    /// Coal phase-out: existing coal retires by the year, extensions end there, and no new coal
    /// is in service from it on.
    fn coal_phase_out(&mut self) {
        let Some(year) = self.scenario.coal_phase_out_year else {
            return;
        };
        let mut coal = Vec::new();
        for asset in self.assets.iter_mut().filter(|a| a.technology == "coal") {
            match asset.kind {
                AssetKind::Existing | AssetKind::Committed => {
                    asset.retire_year = Some(asset.retire_year.map_or(year, |r| r.min(year)));
                }
                _ => coal.push(asset.name.clone()),
            }
        }
        if !coal.is_empty() {
            self.limits.push(CapacityLimit {
                name: format!("coal-phase-out-{year}"),
                assets: coal,
                from_year: year,
                min_mw: None,
                max_mw: Some(0.0),
                key: "scenarios.coal_phase_out_year".to_owned(),
                source: String::new(),
            });
        }
    }
}

/// Whether an asset counts toward a target on `technology` (a group, `renewables`, or a
/// candidate id).
pub fn target_matches(technology: &str, asset: &Asset) -> bool {
    if matches!(asset.kind, AssetKind::Shedding | AssetKind::Import) {
        return false;
    }
    match technology {
        "renewables" => matches!(asset.technology.as_str(), "wind" | "solar" | "hydro"),
        t => asset.technology == t || asset.candidate.as_deref() == Some(t),
    }
}

/// First year a candidate may run: the study's `earliest_year`, else base year + 10.
pub fn earliest_year(study: &StudyFile, candidate: &Candidate) -> i32 {
    candidate
        .earliest_year
        .unwrap_or(study.horizon.base_year + 10)
}

/// Demand growth factor of a scenario from the base year to `year`.
pub fn growth(study: &StudyFile, demand: &DemandScenario, year: i32) -> f64 {
    (1.0 + demand.growth_per_year).powf(f64::from(year - study.horizon.base_year))
}

/// A retirement tranche: share of the group's capacity, retirement year (none: beyond the
/// horizon) and the rule that set it.
type Tranche = (f64, Option<i32>, String);

/// Merges retirement tranches that are alive in the same planning periods (`period < retire`):
/// shares add up, the earliest retirement year and the first tranche's rule are kept. The
/// order of first appearance is kept, so asset names stay stable.
fn merge_tranches(tranches: Vec<Tranche>, periods: &[i32]) -> Vec<Tranche> {
    let alive = |retire: Option<i32>| -> usize {
        periods
            .iter()
            .filter(|&&year| retire.is_none_or(|r| year < r))
            .count()
    };
    let mut merged: Vec<(usize, Tranche)> = Vec::new();
    for (share, retire, rule) in tranches {
        let key = alive(retire);
        match merged.iter_mut().find(|(k, _)| *k == key) {
            Some((_, (total, first_retire, _))) => {
                *total += share;
                *first_retire = match (*first_retire, retire) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
            None => merged.push((key, (share, retire, rule))),
        }
    }
    merged.into_iter().map(|(_, t)| t).collect()
}

#[cfg(test)]
mod merge_tests {
    use super::merge_tranches;

    #[test]
    fn tranches_alive_in_the_same_periods_are_merged() {
        let rule = |k: i32| format!("rule {k}");
        let tranches = vec![
            (0.2, Some(2026), rule(0)), // retired before 2030: alive nowhere
            (0.2, Some(2029), rule(1)), // same
            (0.2, Some(2033), rule(2)), // alive in 2030 only
            (0.2, Some(2041), rule(3)), // alive in 2030 and 2040
            (0.2, None, rule(4)),       // alive throughout
        ];
        let merged = merge_tranches(tranches, &[2030, 2040, 2050]);
        assert_eq!(merged.len(), 4);
        assert!((merged[0].0 - 0.4).abs() < 1e-12);
        assert_eq!(merged[0].1, Some(2026));
        assert_eq!(merged[0].2, "rule 0");
        assert_eq!(merged[1].1, Some(2033));
        assert_eq!(merged[3].1, None);
        let total: f64 = merged.iter().map(|t| t.0).sum();
        assert!((total - 1.0).abs() < 1e-12);
        // A retirement in the period's own year: not alive in it (`year < retire`).
        let merged = merge_tranches(
            vec![(0.5, Some(2030), rule(0)), (0.5, Some(2020), rule(1))],
            &[2030],
        );
        assert_eq!(merged.len(), 1);
    }
}
