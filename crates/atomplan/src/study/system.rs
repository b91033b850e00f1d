//! The power-system builder: catalogue country data and a study scenario become, per
//! investment period, the zones, links, loads and assets the optimiser plans.
//!
//! It is plain data (no solver types) so the assessments and the report can read the same
//! system the optimiser saw; `network.rs` turns one period into an optimiser network.
//! Decisions recorded here:
//! - demand grows geometrically from the base year at the scenario's rate, energy and peak alike;
//! - the existing fleet retires linearly at each technology's `retirement_per_year`;
//! - fleet capacity is split over zones by `fleet_share` (default: the demand share);
//! - imports are a generator at the first zone capped at the sourced average import level.

use serde::{Deserialize, Serialize};

use super::file::{Candidate, DemandScenario, PriceScenario, StudyFile};
use super::inputs::{CountryInfo, StudyCatalogue};
use super::profiles::{self, Profile, ProfileOrigin, HOURS};

/// MMBtu per MWh of heat, to turn fuel prices into costs per MWh of output via heat rates.
const TONNE_PER_MT: f64 = 1e6;

/// What an asset is, for the optimiser and the charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssetKind {
    /// Existing capacity, fixed.
    Existing,
    /// A nuclear candidate from the study file.
    Nuclear,
    /// A non-nuclear technology the optimiser may build.
    Expansion,
    /// Electricity imports.
    Import,
    /// Unserved energy at the value of lost load.
    Shedding,
}

/// One generator-like asset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Asset {
    pub name: String,
    pub zone: usize,
    pub technology: String,
    pub kind: AssetKind,
    /// Fixed capacity in MW (existing, imports, shedding) or already built in earlier periods.
    pub capacity_mw: f64,
    /// Most capacity the optimiser may add, MW (0 for fixed assets).
    pub max_new_mw: f64,
    /// Unit (module) size in MW for nuclear candidates.
    pub unit_mw: Option<f64>,
    /// Annualised investment plus fixed O&M, USD per MW-yr, for new capacity.
    pub annual_cost_usd_per_mw: f64,
    pub marginal_cost_usd_per_mwh: f64,
    pub co2_t_per_mwh: f64,
    /// Availability per unit of capacity, one value per profile-year hour; `None` = always 1
    /// (times `static_availability`).
    pub profile: Option<String>,
    pub static_availability: f64,
    /// Candidate id for nuclear assets.
    pub candidate: Option<String>,
}

/// One investment period of one scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodSystem {
    pub year: i32,
    /// Years this period stands for (to the next period, or 10 for the last).
    pub span_years: f64,
    pub annual_energy_twh: f64,
    pub peak_mw: f64,
    pub assets: Vec<Asset>,
    pub co2_cap_t: Option<f64>,
    pub co2_price_usd_per_t: f64,
}

/// A whole scenario: zones, links, profiles and periods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudySystem {
    pub scenario: String,
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
    pub periods: Vec<PeriodSystem>,
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

/// Capital recovery factor: the annuity paying back 1 over `years` at `rate`.
///
/// A zero rate gives `1 / years`; a non-positive life gives 1 (paid at once).
pub fn capital_recovery_factor(rate: f64, years: f64) -> f64 {
    if years <= 0.0 {
        return 1.0;
    }
    if rate.abs() < 1e-12 {
        return 1.0 / years;
    }
    rate / (1.0 - (1.0 + rate).powf(-years))
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

/// Builds the system of one demand x price scenario.
pub fn build_system(
    study: &StudyFile,
    catalogue: &StudyCatalogue,
    demand: &DemandScenario,
    prices: &PriceScenario,
    settings: &BuildSettings,
) -> Result<StudySystem, String> {
    let country = catalogue
        .country(&study.country)
        .ok_or_else(|| format!("unknown country `{}`", study.country))?;
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
        |csv: &Option<String>, fallback: &dyn Fn() -> Profile| -> Result<Profile, String> {
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
    let wind_cf = country.wind_capacity_factor.unwrap_or(0.30);
    let solar_cf = country.solar_capacity_factor.unwrap_or(0.18);
    let hydro_cf = country.hydro_capacity_factor.unwrap_or(0.35);
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
        let co2_price = interpolate_by_year(&prices.co2_usd_per_t, year).unwrap_or(0.0);
        let mut assets = Vec::new();
        add_existing_fleet(
            country,
            catalogue,
            prices,
            co2_price,
            years_from_base,
            &zone_fleet_share,
            &mut assets,
        );
        add_expansion(
            study,
            catalogue,
            prices,
            co2_price,
            zones.len(),
            &mut assets,
        );
        add_nuclear_candidates(
            study,
            catalogue,
            prices,
            settings,
            year,
            &zones,
            &mut assets,
        );
        add_imports_and_shedding(study, country, prices, zones.len(), &mut assets);
        periods.push(PeriodSystem {
            year,
            span_years,
            annual_energy_twh: base_energy_twh * growth,
            peak_mw: base_peak_mw * growth,
            assets,
            co2_cap_t: interpolate_by_year(&study.policy.co2_cap_mt, year)
                .filter(|_| !study.policy.co2_cap_mt.is_empty())
                .map(|mt| mt * TONNE_PER_MT),
            co2_price_usd_per_t: co2_price,
        });
    }
    Ok(StudySystem {
        scenario: format!("{}/{}", demand.name, prices.name),
        demand_scenario: demand.name.clone(),
        price_scenario: prices.name.clone(),
        zones,
        zone_demand_share,
        links,
        load_profile,
        wind_profile,
        solar_profile,
        hydro_profile,
        periods,
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

/// Fuel cost per MWh of output for a technology key.
fn fuel_cost(technology: &str, heat_rate: f64, prices: &PriceScenario) -> f64 {
    match technology {
        "gas" | "ccgt" | "ocgt" => heat_rate * prices.gas_usd_per_mmbtu,
        "coal" => heat_rate * prices.coal_usd_per_mmbtu,
        _ => 0.0,
    }
}

/// The catalogue technology used for the costs and heat rate of an existing-fleet group.
fn fleet_technology(technology: &str) -> &str {
    match technology {
        "gas" => "ccgt",
        "coal" => "coal",
        "wind" => "onshore_wind",
        "solar" => "utility_pv",
        other => other,
    }
}

fn add_existing_fleet(
    country: &CountryInfo,
    catalogue: &StudyCatalogue,
    prices: &PriceScenario,
    co2_price: f64,
    years_from_base: f64,
    zone_fleet_share: &[f64],
    assets: &mut Vec<Asset>,
) {
    for entry in &country.fleet {
        let remaining = (1.0 - entry.retirement_per_year * years_from_base).clamp(0.0, 1.0);
        let capacity = entry.capacity_mw * remaining;
        if capacity <= 0.0 {
            continue;
        }
        let tech = catalogue.technology(fleet_technology(&entry.technology));
        let heat_rate = tech.map_or(0.0, |t| t.heat_rate_mmbtu_per_mwh);
        let vom = tech.map_or(0.0, |t| t.variable_om_usd_per_mwh);
        let co2 = tech.map_or(0.0, |t| t.emission_t_per_mwh);
        let profile = match entry.technology.as_str() {
            "wind" | "solar" | "hydro" => Some(entry.technology.clone()),
            _ => None,
        };
        for (zone, share) in zone_fleet_share.iter().enumerate() {
            if *share <= 0.0 {
                continue;
            }
            assets.push(Asset {
                name: format!("existing-{}-z{zone}", entry.technology),
                zone,
                technology: entry.technology.clone(),
                kind: AssetKind::Existing,
                capacity_mw: capacity * share,
                max_new_mw: 0.0,
                unit_mw: None,
                annual_cost_usd_per_mw: 0.0,
                marginal_cost_usd_per_mwh: vom
                    + fuel_cost(&entry.technology, heat_rate, prices)
                    + co2 * co2_price,
                co2_t_per_mwh: co2,
                profile: profile.clone(),
                static_availability: 1.0,
                candidate: None,
            });
        }
    }
}

fn add_expansion(
    study: &StudyFile,
    catalogue: &StudyCatalogue,
    prices: &PriceScenario,
    co2_price: f64,
    n_zones: usize,
    assets: &mut Vec<Asset>,
) {
    for tech in catalogue.technologies.iter().filter(|t| t.extendable) {
        let technology = match tech.technology.as_str() {
            "ccgt" | "ocgt" => "gas",
            "onshore_wind" => "wind",
            "utility_pv" => "solar",
            "coal_new_pulverised" => "coal",
            other => other,
        };
        let profile = match technology {
            "wind" | "solar" => Some(technology.to_owned()),
            _ => None,
        };
        let crf = capital_recovery_factor(study.options.discount_rate, tech.lifetime_years);
        for zone in 0..n_zones {
            assets.push(Asset {
                name: format!("new-{}-z{zone}", tech.technology),
                zone,
                technology: technology.to_owned(),
                kind: AssetKind::Expansion,
                capacity_mw: 0.0,
                max_new_mw: f64::INFINITY,
                unit_mw: None,
                annual_cost_usd_per_mw: (tech.capex_usd_per_kw * crf + tech.fixed_om_usd_per_kw_yr)
                    * 1000.0,
                marginal_cost_usd_per_mwh: tech.variable_om_usd_per_mwh
                    + fuel_cost(&tech.technology, tech.heat_rate_mmbtu_per_mwh, prices)
                    + tech.emission_t_per_mwh * co2_price,
                co2_t_per_mwh: tech.emission_t_per_mwh,
                profile: profile.clone(),
                static_availability: 1.0,
                candidate: None,
            });
        }
    }
}

/// First year a candidate may run: the study's `earliest_year`, else base year + 10.
pub fn earliest_year(study: &StudyFile, candidate: &Candidate) -> i32 {
    candidate
        .earliest_year
        .unwrap_or(study.horizon.base_year + 10)
}

fn add_nuclear_candidates(
    study: &StudyFile,
    catalogue: &StudyCatalogue,
    prices: &PriceScenario,
    settings: &BuildSettings,
    year: i32,
    zones: &[String],
    assets: &mut Vec<Asset>,
) {
    for candidate in &study.candidates {
        let Some(design) = catalogue.design(&candidate.design) else {
            continue;
        };
        if year < earliest_year(study, candidate) {
            continue;
        }
        let zone = candidate
            .zone
            .as_ref()
            .and_then(|name| zones.iter().position(|z| z == name))
            .unwrap_or(0);
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
                    * capital_recovery_factor(study.options.discount_rate, design.design_life_years)
                    + design.fixed_om_usd_per_kw_yr.unwrap_or(0.0)
            });
        assets.push(Asset {
            name: format!("nuclear-{}", candidate.id),
            zone,
            technology: "nuclear".to_owned(),
            kind: AssetKind::Nuclear,
            capacity_mw: 0.0,
            max_new_mw: f64::from(candidate.max_units) * design.net_mwe_per_unit,
            unit_mw: Some(design.net_mwe_per_unit),
            annual_cost_usd_per_mw: charge * 1000.0,
            marginal_cost_usd_per_mwh: prices.nuclear_fuel_usd_per_mwh,
            co2_t_per_mwh: 0.0,
            profile: None,
            static_availability: design.capacity_factor.clamp(0.0, 1.0),
            candidate: Some(candidate.id.clone()),
        });
    }
}

fn add_imports_and_shedding(
    study: &StudyFile,
    country: &CountryInfo,
    prices: &PriceScenario,
    n_zones: usize,
    assets: &mut Vec<Asset>,
) {
    if country.electricity_imports_twh > 0.0 {
        if let Some(price) = prices.import_usd_per_mwh {
            assets.push(Asset {
                name: "imports".to_owned(),
                zone: 0,
                technology: "imports".to_owned(),
                kind: AssetKind::Import,
                capacity_mw: country.electricity_imports_twh * 1e6 / HOURS as f64,
                max_new_mw: 0.0,
                unit_mw: None,
                annual_cost_usd_per_mw: 0.0,
                marginal_cost_usd_per_mwh: price,
                co2_t_per_mwh: 0.0,
                profile: None,
                static_availability: 1.0,
                candidate: None,
            });
        }
    }
    for zone in 0..n_zones {
        assets.push(Asset {
            name: format!("unserved-z{zone}"),
            zone,
            technology: "unserved".to_owned(),
            kind: AssetKind::Shedding,
            capacity_mw: 1e6,
            max_new_mw: 0.0,
            unit_mw: None,
            annual_cost_usd_per_mw: 0.0,
            marginal_cost_usd_per_mwh: study.options.value_of_lost_load_usd_per_mwh,
            co2_t_per_mwh: 0.0,
            profile: None,
            static_availability: 1.0,
            candidate: None,
        });
    }
}
