//! Inputs of the assessments taken from the catalogue: a country's system for grid fit and supply
//! security, its Milestones phase for readiness, and the projects for the export market.
//!
//! Each function returns what the catalogue has, with notes on how it was derived; the caller
//! fills the gaps (command-line flags, study file) and reports what is still missing.

use atomplan_catalogue::{Catalogue, Country, Design, PartialDate, Project, ProjectStatus};

use crate::assess::grid::RampInput;
use crate::assess::market::MarketProject;

/// Fallback ramp when the design has none: the low end of the European Utility Requirements'
/// 3–5 % of rated power per minute for daily load following (as summarised by the WNA).
pub const EUR_RAMP_PCT_PER_MIN: f64 = 3.0;
/// Fallback minimum load: the EUR daily load-following floor, 50 % of rated power.
pub const EUR_MIN_LOAD_FRACTION: f64 = 0.5;

/// Days in each month of a non-leap year.
const DAYS_IN_MONTH: [usize; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/// ISO 3166 codes of the vendor countries named in the designs' `vendor_country`.
const VENDOR_COUNTRY_CODES: [(&str, &str); 16] = [
    ("argentina", "AR"),
    ("canada", "CA"),
    ("china", "CN"),
    ("denmark", "DK"),
    ("finland", "FI"),
    ("france", "FR"),
    ("india", "IN"),
    ("italy", "IT"),
    ("japan", "JP"),
    ("netherlands", "NL"),
    ("russia", "RU"),
    ("south korea", "KR"),
    ("sweden", "SE"),
    ("uk", "GB"),
    ("united kingdom", "GB"),
    ("usa", "US"),
];

/// The ISO code of a vendor-country name (`"USA"` → `"US"`), or the name itself if unknown.
#[must_use]
pub fn vendor_country_code(name: &str) -> String {
    let lower = name.trim().to_ascii_lowercase();
    VENDOR_COUNTRY_CODES
        .iter()
        .find(|(known, _)| *known == lower)
        .map_or_else(|| name.trim().to_owned(), |(_, code)| (*code).to_owned())
}

/// Grid-fit values the catalogue gives for a country and a design.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GridDefaults {
    pub unit_mw: Option<f64>,
    pub n_units: Option<u32>,
    pub peak_load_mw: Option<f64>,
    pub min_load_mw: Option<f64>,
    pub installed_capacity_mw: Option<f64>,
    pub largest_existing_unit_mw: Option<f64>,
    pub ramp: Option<RampInput>,
    /// How each value was obtained, with its source id.
    pub notes: Vec<String>,
}

/// An hourly load for a year (8,760 h) from the country's month-by-hour shape (normalised to the
/// annual mean) and its annual demand: `load = shape[month][hour] · demand / 8,760`.
/// Synthetic: every day of a month has the same profile.
#[must_use]
pub fn hourly_load_mw(country: &Country) -> Option<(Vec<f64>, String)> {
    let shape = country.load_shape.as_ref()?;
    let demand = country.annual_demand()?;
    if shape.month_hour.len() != 12 {
        return None;
    }
    let mean_mw = demand.value * 1e6 / 8_760.0;
    let mut load = Vec::with_capacity(8_760);
    for (month_idx, days) in DAYS_IN_MONTH.iter().enumerate() {
        for _ in 0..*days {
            load.extend(
                shape.month_hour[month_idx]
                    .iter()
                    .map(|factor| factor * mean_mw),
            );
        }
    }
    let note = format!(
        "synthetic hourly load: month-by-hour shape ({}) × annual demand {} TWh ({}{})",
        shape.source.as_str(),
        demand.value,
        demand.source.as_str(),
        demand
            .year
            .map(|year| format!(", {year}"))
            .unwrap_or_default()
    );
    Some((load, note))
}

/// What the catalogue says about a country (and a candidate design) for grid fit.
#[must_use]
pub fn grid_defaults(country: &Country, design: Option<&Design>) -> GridDefaults {
    let mut defaults = GridDefaults::default();
    if let Some(design) = design {
        defaults.unit_mw = design.mwe_per_module();
        defaults.n_units = design.modules_per_plant;
        if let Some(unit_mw) = defaults.unit_mw {
            defaults.notes.push(format!(
                "unit_mw {unit_mw} from design `{}`",
                design.id.as_str()
            ));
        }
    }
    if let Some(peak) = country.peak_demand() {
        defaults.peak_load_mw = Some(peak.value);
        defaults.notes.push(format!(
            "peak_load_mw {} from {}{}",
            peak.value,
            peak.source.as_str(),
            peak.year
                .map(|year| format!(" ({year})"))
                .unwrap_or_default()
        ));
    }
    let capacity = country.capacity_by_technology();
    if let Some(total) = capacity
        .iter()
        .find(|obs| obs.technology.as_deref() == Some("total"))
    {
        defaults.installed_capacity_mw = Some(total.value);
        defaults.notes.push(format!(
            "installed_capacity_mw {} from {}{}",
            total.value,
            total.source.as_str(),
            total
                .year
                .map(|year| format!(" ({year})"))
                .unwrap_or_default()
        ));
    }
    if let Some(largest) = country.largest_unit() {
        defaults.largest_existing_unit_mw = Some(largest.value);
        defaults.notes.push(format!(
            "largest_existing_unit_mw {} from {}",
            largest.value,
            largest.source.as_str()
        ));
    }
    if let Some((load, note)) = hourly_load_mw(country) {
        let min = load.iter().copied().fold(f64::INFINITY, f64::min);
        defaults.min_load_mw = Some(min);
        defaults
            .notes
            .push(format!("min_load_mw {min:.0} derived from the {note}"));
        if let Some(design) = design {
            let (ramp, ramp_note) = match design.ramp_pct_per_min {
                Some(ramp) => (ramp, format!("design `{}`", design.id.as_str())),
                None => (
                    EUR_RAMP_PCT_PER_MIN,
                    "the EUR requirement (design value not in the catalogue)".to_owned(),
                ),
            };
            let (min_fraction, min_note) = match design.min_stable_load_fraction {
                Some(fraction) => (fraction, format!("design `{}`", design.id.as_str())),
                None => (
                    EUR_MIN_LOAD_FRACTION,
                    "the EUR requirement (design value not in the catalogue)".to_owned(),
                ),
            };
            defaults.ramp = Some(RampInput {
                net_load_mw: load,
                design_ramp_pct_per_min: ramp,
                min_stable_load_pct: 100.0 * min_fraction,
            });
            defaults.notes.push(format!(
                "load following: ramp {ramp} %/min from {ramp_note}; minimum load {:.0} % from {min_note}; net load = load (no renewables subtracted)",
                100.0 * min_fraction
            ));
        }
    }
    defaults
}

/// The country's latest generation mix from the catalogue, in TWh, with a note on its basis.
///
/// Uses generation by technology when recorded; otherwise the latest year's generation shares
/// (one basis) times the latest annual demand.
#[must_use]
pub fn generation_mix_twh(country: &Country) -> Option<(Vec<String>, Vec<f64>, String)> {
    let by_technology = country.generation_by_technology();
    let usable: Vec<_> = by_technology
        .iter()
        .filter(|obs| obs.technology.as_deref() != Some("total"))
        .collect();
    if !usable.is_empty() {
        let options = usable
            .iter()
            .filter_map(|obs| obs.technology.clone())
            .collect();
        let values = usable.iter().map(|obs| obs.value).collect();
        let years: Vec<String> = usable
            .iter()
            .filter_map(|obs| obs.year)
            .map(|y| y.to_string())
            .collect();
        return Some((
            options,
            values,
            format!("generation by technology, TWh (years {})", years.join(", ")),
        ));
    }
    let latest_year = country
        .generation_share
        .iter()
        .filter_map(|obs| obs.year)
        .max()?;
    let shares: Vec<_> = country
        .generation_share
        .iter()
        .filter(|obs| obs.year == Some(latest_year))
        .collect();
    let basis = shares.first()?.basis.clone();
    let shares: Vec<_> = shares
        .into_iter()
        .filter(|obs| obs.basis == basis)
        .collect();
    let total = country.annual_demand()?;
    let options = shares
        .iter()
        .filter_map(|obs| obs.technology.clone())
        .collect();
    let values = shares.iter().map(|obs| obs.value * total.value).collect();
    Some((
        options,
        values,
        format!(
            "shares of {} in {latest_year} ({}) × annual demand {} TWh ({})",
            basis.as_deref().unwrap_or("generation"),
            shares
                .first()
                .map(|obs| obs.source.as_str())
                .unwrap_or_default(),
            total.value,
            total.source.as_str()
        ),
    ))
}

/// Annual output of `n_plants` reference plants of a design, TWh: `MWe · CF · 8.76 / 1000`,
/// with the design's capacity factor unless `capacity_factor` is given.
#[must_use]
pub fn plant_output_twh(
    design: &Design,
    n_plants: u32,
    capacity_factor: Option<f64>,
) -> Option<f64> {
    let capacity_factor = capacity_factor.or(design.capacity_factor)?;
    Some(design.plant_mwe()? * capacity_factor * 8.76 / 1_000.0 * f64::from(n_plants))
}

/// The catalogue's projects for the export market; values converted to USD of `price_year`
/// where the catalogue has the exchange rate and deflators (otherwise left out of value shares).
#[must_use]
pub fn market_projects(catalogue: &Catalogue, price_year: i32) -> Vec<MarketProject> {
    catalogue
        .projects()
        .iter()
        .map(|project| {
            let vendor_countries = catalogue
                .design(project.design.as_str())
                .map(|design| design.vendor_countries().map(vendor_country_code).collect())
                .unwrap_or_default();
            let value_bn = project.cost().and_then(|cost| {
                let central = cost.total_bn?.central_or_mid()?;
                catalogue
                    .money()
                    .to_usd(central, &cost.currency, cost.price_year, price_year)
            });
            let year = match project.status {
                ProjectStatus::UnderConstruction | ProjectStatus::Operating => project
                    .construction_start
                    .map(|date| date.year)
                    .or(project.status_date.map(|date| date.year)),
                _ => project
                    .status_date
                    .map(|date| date.year)
                    .or(project.current_target_year),
            };
            MarketProject {
                name: project.name.clone(),
                host_country: project.country.as_str().to_owned(),
                vendor_countries,
                status: project.status.as_str().to_owned(),
                units: project.units,
                capacity_mwe: project.capacity_mwe,
                value_bn,
                year,
            }
        })
        .collect()
}

/// Status written for a project whose state on the requested date the catalogue cannot tell.
pub const UNKNOWN_STATUS: &str = "unknown";
/// Status written for a project that had not started construction on the requested date and
/// whose pre-construction status on that date is not recorded.
pub const NOT_STARTED_STATUS: &str = "not-started";

/// A project's state on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateOn {
    /// The status it had.
    Known(ProjectStatus),
    /// Construction had not started; which pre-construction status it had is not recorded.
    NotStarted,
    /// The catalogue cannot tell (a data gap, e.g. an under-construction record without a
    /// construction start).
    Unknown,
}

impl StateOn {
    /// The status text the market view uses.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            StateOn::Known(status) => status.as_str(),
            StateOn::NotStarted => NOT_STARTED_STATUS,
            StateOn::Unknown => UNKNOWN_STATUS,
        }
    }
}

/// Sort key of a partial date: a missing month or day counts as the first, so an event dated
/// `2024-03` has happened by any day of March 2024.
fn date_key(date: PartialDate) -> (i32, u8, u8) {
    (date.year, date.month.unwrap_or(1), date.day.unwrap_or(1))
}

/// What a project was on `as_of`, from its dates (those of its first unit: the catalogue has no
/// per-unit dates yet) and its recorded status, in this order:
///
/// 1. grid connection or commercial operation on or before `as_of`: operating;
/// 2. construction start on or before `as_of`: suspended or cancelled if so recorded by then,
///    otherwise under construction;
/// 3. construction start after `as_of`, or none with a pre-construction status (planned, site
///    preparation, licensing, suspended, cancelled): that status if recorded on or before
///    `as_of`, otherwise [`StateOn::NotStarted`];
/// 4. no construction start but recorded as operating on or before `as_of`: operating;
/// 5. anything else (under construction or operating without the dates to place it):
///    [`StateOn::Unknown`].
#[must_use]
pub fn status_on(project: &Project, as_of: PartialDate) -> StateOn {
    let by = |date: Option<PartialDate>| date.is_some_and(|date| date_key(date) <= date_key(as_of));
    let recorded_by = by(project.status_date);
    let pre_construction = matches!(
        project.status,
        ProjectStatus::Planned
            | ProjectStatus::SitePreparation
            | ProjectStatus::Licensing
            | ProjectStatus::Suspended
            | ProjectStatus::Cancelled
    );
    if by(project.grid_connection) || by(project.commercial_operation) {
        return StateOn::Known(ProjectStatus::Operating);
    }
    if by(project.construction_start) {
        if matches!(
            project.status,
            ProjectStatus::Suspended | ProjectStatus::Cancelled
        ) && recorded_by
        {
            return StateOn::Known(project.status);
        }
        return StateOn::Known(ProjectStatus::UnderConstruction);
    }
    if project.construction_start.is_some() || pre_construction {
        if pre_construction && recorded_by {
            return StateOn::Known(project.status);
        }
        return StateOn::NotStarted;
    }
    if project.status == ProjectStatus::Operating && recorded_by {
        return StateOn::Known(ProjectStatus::Operating);
    }
    StateOn::Unknown
}

/// The catalogue's projects for the export market as they stood on `as_of` (see [`status_on`]);
/// a project whose state on that date is unknown gets the status [`UNKNOWN_STATUS`] and one
/// not yet started [`NOT_STARTED_STATUS`]; no status filter selects either, and the market
/// report lists the unknown ones. Values and years are those of [`market_projects`].
#[must_use]
pub fn market_projects_on(
    catalogue: &Catalogue,
    price_year: i32,
    as_of: PartialDate,
) -> Vec<MarketProject> {
    // `market_projects` maps `catalogue.projects()` in order, one entry per project.
    market_projects(catalogue, price_year)
        .into_iter()
        .zip(catalogue.projects())
        .map(|(mut market, project)| {
            market.status = status_on(project, as_of).as_str().to_owned();
            market
        })
        .collect()
}
