//! The export market for nuclear plants: vendor countries' shares of units under construction or
//! planned abroad, by units, MWe and value, in total and by year.
//!
//! A project counts as an export when its host country is not among the design's vendor
//! countries. A design with several vendor countries (`US/JP`) splits the project's credit
//! equally between them. See `docs/methods/market.md`.

use std::collections::BTreeMap;

use crate::Error;

#[cfg(test)]
mod tests;

/// One project as the market view needs it.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct MarketProject {
    pub name: String,
    /// Host country code.
    pub host_country: String,
    /// Vendor country codes or names (several = shared credit).
    pub vendor_countries: Vec<String>,
    /// `under-construction`, `planned`, `operating`, … (free text, compared as given).
    pub status: String,
    pub units: u32,
    pub capacity_mwe: Option<f64>,
    /// Contract value in a common currency (e.g. USD bn of one price year), if known.
    pub value_bn: Option<f64>,
    /// Year the project counts in (construction start, or contract/status year when planned).
    pub year: Option<i32>,
}

/// One vendor country's totals and shares.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct VendorShare {
    pub vendor_country: String,
    pub projects: f64,
    pub units: f64,
    pub mwe: f64,
    pub value_bn: f64,
    pub share_of_units: f64,
    pub share_of_mwe: f64,
    /// Share of the value of projects whose value is known.
    pub share_of_value: f64,
}

/// Market shares in one year (or in total).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MarketSlice {
    pub vendors: Vec<VendorShare>,
    pub total_units: f64,
    pub total_mwe: f64,
    pub total_value_bn: f64,
    /// HHI of vendor countries by units (0–10,000).
    pub hhi_units: f64,
}

/// Result of the export-market view.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MarketReport {
    pub statuses: Vec<String>,
    pub total: MarketSlice,
    /// Year → shares of projects counted in that year.
    pub by_year: BTreeMap<i32, MarketSlice>,
    /// Export projects counted, and domestic projects left out.
    pub export_projects: usize,
    pub domestic_projects_excluded: usize,
    /// Export projects with no capacity or no value (left out of those shares).
    pub projects_without_mwe: usize,
    pub projects_without_value: usize,
    pub projects_without_year: usize,
    /// Projects whose status on the requested date is unknown (status `unknown`), by name; they
    /// are in no share.
    pub projects_with_unknown_status: Vec<String>,
}

fn slice(projects: &[&MarketProject]) -> MarketSlice {
    let mut vendors: BTreeMap<String, VendorShare> = BTreeMap::new();
    for project in projects {
        #[allow(clippy::cast_precision_loss)]
        let credit = 1.0 / project.vendor_countries.len().max(1) as f64;
        for vendor in &project.vendor_countries {
            let entry = vendors
                .entry(vendor.clone())
                .or_insert_with(|| VendorShare {
                    vendor_country: vendor.clone(),
                    projects: 0.0,
                    units: 0.0,
                    mwe: 0.0,
                    value_bn: 0.0,
                    share_of_units: 0.0,
                    share_of_mwe: 0.0,
                    share_of_value: 0.0,
                });
            entry.projects += credit;
            entry.units += credit * f64::from(project.units);
            entry.mwe += credit * project.capacity_mwe.unwrap_or(0.0);
            entry.value_bn += credit * project.value_bn.unwrap_or(0.0);
        }
    }
    let total_units: f64 = vendors.values().map(|v| v.units).sum();
    let total_mwe: f64 = vendors.values().map(|v| v.mwe).sum();
    let total_value: f64 = vendors.values().map(|v| v.value_bn).sum();
    let share = |part: f64, total: f64| if total > 0.0 { part / total } else { 0.0 };
    let mut vendors: Vec<VendorShare> = vendors
        .into_values()
        .map(|mut vendor| {
            vendor.share_of_units = share(vendor.units, total_units);
            vendor.share_of_mwe = share(vendor.mwe, total_mwe);
            vendor.share_of_value = share(vendor.value_bn, total_value);
            vendor
        })
        .collect();
    vendors.sort_by(|a, b| {
        b.units
            .total_cmp(&a.units)
            .then_with(|| a.vendor_country.cmp(&b.vendor_country))
    });
    MarketSlice {
        hhi_units: vendors
            .iter()
            .map(|v| (100.0 * v.share_of_units).powi(2))
            .sum(),
        vendors,
        total_units,
        total_mwe,
        total_value_bn: total_value,
    }
}

/// Vendor countries' shares of export projects with one of `statuses`.
///
/// # Errors
/// A project without vendor countries, or with negative capacity or value.
pub fn export_market(
    projects: &[MarketProject],
    statuses: &[String],
) -> Result<MarketReport, Error> {
    let mut exports = Vec::new();
    let mut domestic = 0;
    let mut unknown = Vec::new();
    for (project_idx, project) in projects.iter().enumerate() {
        let key = format!("projects[{project_idx}]");
        if project.vendor_countries.is_empty() {
            return Err(Error::value(
                format!("{key}.vendor_countries"),
                format!("project `{}` has no vendor country", project.name),
            ));
        }
        for (value, field) in [
            (project.capacity_mwe, "capacity_mwe"),
            (project.value_bn, "value_bn"),
        ] {
            if value.is_some_and(|value| !value.is_finite() || value < 0.0) {
                return Err(Error::value(
                    format!("{key}.{field}"),
                    "must be a finite number >= 0",
                ));
            }
        }
        if project.status == crate::assess::catalogue::UNKNOWN_STATUS {
            unknown.push(project.name.clone());
        }
        if !statuses.iter().any(|status| status == &project.status) {
            continue;
        }
        if project
            .vendor_countries
            .iter()
            .any(|vendor| vendor.eq_ignore_ascii_case(&project.host_country))
        {
            domestic += 1;
            continue;
        }
        exports.push(project);
    }
    let mut years: BTreeMap<i32, Vec<&MarketProject>> = BTreeMap::new();
    for project in &exports {
        if let Some(year) = project.year {
            years.entry(year).or_default().push(project);
        }
    }
    Ok(MarketReport {
        statuses: statuses.to_vec(),
        total: slice(&exports),
        by_year: years
            .into_iter()
            .map(|(year, projects)| (year, slice(&projects)))
            .collect(),
        export_projects: exports.len(),
        domestic_projects_excluded: domestic,
        projects_without_mwe: exports.iter().filter(|p| p.capacity_mwe.is_none()).count(),
        projects_without_value: exports.iter().filter(|p| p.value_bn.is_none()).count(),
        projects_without_year: exports.iter().filter(|p| p.year.is_none()).count(),
        projects_with_unknown_status: unknown,
    })
}
