//! Builds the study's view of the catalogue ([`StudyCatalogue`]) from `atomplan-catalogue`.
//!
//! This is the only file that reads the catalogue's types.
//! Where the catalogue lacks a figure the study needs, the view derives it by a documented rule
//! and records a data-quality note (shown in the report); it never invents a number silently:
//! - existing capacity of a technology with a generation share but no sourced capacity is the
//!   remainder of the total capacity (or, without a total, of 1.15 x the peak, flagged as an
//!   assumption) split by generation share;
//! - wind, solar and hydro capacity factors are generation / (capacity x 8760) where both are
//!   sourced, else the catalogue technology's typical capacity factor (US ATB, flagged);
//! - the latitude used by the synthetic solar series is the capital city's (public gazetteer).

use atomplan_catalogue::{Catalogue, Country, Design};

use super::inputs::{
    CountryInfo, DesignInfo, FleetEntry, NuclearTarget, ProjectInfo, SourceInfo, StudyCatalogue,
    TechnologyInfo, ZoneInfo,
};

/// MMBtu in one MWh.
const MMBTU_PER_MWH: f64 = 3.412_141_633;

/// Price year every cost is converted to.
pub const PRICE_YEAR: i32 = 2024;

/// Capital-city latitude (degrees north) for the synthetic solar series.
fn latitude(code: &str) -> f64 {
    match code {
        "TR" => 39.93,
        "KZ" => 51.17,
        "MN" => 47.92,
        "UZ" => 41.31,
        "KG" => 42.87,
        "RU" => 55.76,
        _ => 45.0,
    }
}

/// The view of the whole catalogue.
pub fn study_catalogue(catalogue: &Catalogue) -> StudyCatalogue {
    let mut notes = Vec::new();
    let technologies = technologies(catalogue, &mut notes);
    let designs = catalogue
        .designs()
        .iter()
        .filter_map(|design| design_info(catalogue, design, &mut notes))
        .collect();
    let countries = catalogue
        .countries()
        .iter()
        .map(|country| {
            let mut info = country_info(country, &technologies, &mut notes);
            info.projects = catalogue
                .projects()
                .iter()
                .filter(|p| p.country.to_string().eq_ignore_ascii_case(&info.code))
                .map(|p| ProjectInfo {
                    id: p.id.to_string(),
                    name: p.name.clone(),
                    vendor: p.vendor.clone(),
                    design: p.design.to_string(),
                    units: p.units,
                    status: p.status.as_str().to_owned(),
                    target_year: p.current_target_year.or(p.original_target_year),
                    sources: p.sources.iter().map(ToString::to_string).collect(),
                })
                .collect();
            info.nuclear_targets = country
                .capacity_mw
                .iter()
                .filter(|o| o.target && o.technology.as_deref() == Some("nuclear"))
                .filter_map(|o| {
                    Some(NuclearTarget {
                        year: o.year?,
                        mw: o.value,
                        source: o.source.to_string(),
                    })
                })
                .collect();
            info
        })
        .collect();
    StudyCatalogue {
        designs,
        countries,
        technologies,
        export_market_shares: export_market(catalogue),
        version: format!(
            "atomplan-catalogue {} ({} designs, {} projects, {} countries)",
            env!("CARGO_PKG_VERSION"),
            catalogue.designs().len(),
            catalogue.projects().len(),
            catalogue.countries().len()
        ),
        data_notes: notes,
        sources: catalogue
            .sources()
            .iter()
            .map(|source| SourceInfo {
                id: source.id.to_string(),
                title: source.title.clone(),
                publisher: source.publisher.clone(),
                year: source.year,
                url: source.url.clone(),
            })
            .collect(),
    }
}

fn design_info(
    catalogue: &Catalogue,
    design: &Design,
    notes: &mut Vec<String>,
) -> Option<DesignInfo> {
    let mwe = design.mwe_per_module()?;
    let cost = design.overnight_cost.as_ref();
    let to_usd = |value: Option<f64>| -> Option<f64> {
        let cost = cost?;
        catalogue
            .money()
            .to_usd(value?, &cost.currency, cost.price_year, PRICE_YEAR)
    };
    let per_kw = cost.map(|c| c.per_kw);
    let central = per_kw.as_ref().and_then(|e| to_usd(e.central_or_mid()));
    let (central, cost_note) = match central {
        Some(value) => (value, None),
        None => {
            // Fall back to the ATB generic nuclear cost of the right size class.
            let generic = if design.is_smr() {
                "nuclear_smr"
            } else {
                "nuclear_large"
            };
            let value = catalogue
                .technology(generic)
                .and_then(|t| t.parameter("overnight_capital_cost"))
                .map(|p| p.value)?;
            (
                value,
                Some(format!(
                    "design `{}` has no sourced overnight cost; the generic `{generic}` cost ({value:.0} USD/kW) is used",
                    design.id
                )),
            )
        }
    };
    if let Some(note) = cost_note {
        notes.push(note);
    }
    let low = per_kw
        .as_ref()
        .and_then(|e| to_usd(e.low))
        .unwrap_or(central * 0.8);
    let high = per_kw
        .as_ref()
        .and_then(|e| to_usd(e.high))
        .unwrap_or(central * 1.5);
    let generic = if design.is_smr() {
        "nuclear_smr"
    } else {
        "nuclear_large"
    };
    let fixed_om = catalogue
        .technology(generic)
        .and_then(|t| t.parameter("fixed_om"))
        .map(|p| p.value);
    // Units in operation: catalogue projects whose status is `operating` (a cancelled or
    // planned project is no reference). The catalogue has no per-design count of every operating
    // unit in the world (IAEA PRIS), so this undercounts designs with few catalogue projects.
    let reference_units = catalogue
        .projects_with_design(&design.id)
        .filter(|project| project.status == atomplan_catalogue::ProjectStatus::Operating)
        .map(|project| project.units)
        .sum();
    Some(DesignInfo {
        id: design.id.to_string(),
        name: design.name.clone(),
        vendor: design.vendor.clone(),
        vendor_country: design.vendor_country.clone(),
        net_mwe_per_unit: mwe,
        capacity_factor: design.capacity_factor.unwrap_or(0.9),
        design_life_years: design.design_life_years.unwrap_or(60.0),
        construction_months: design.construction_months.unwrap_or(if design.is_smr() {
            48.0
        } else {
            72.0
        }),
        construction_months_assumed: design.construction_months.is_none(),
        overnight_cost_usd_per_kwe: [low.min(central), central, high.max(central)],
        cost_price_year: PRICE_YEAR,
        fixed_om_usd_per_kw_yr: fixed_om,
        min_stable_load: design.min_stable_load_fraction,
        ramp_per_min: design.ramp_pct_per_min.map(|pct| pct / 100.0),
        reference_units,
        fuel_supplier_country: design.vendor_country.clone(),
        sources: design.sources.iter().map(ToString::to_string).collect(),
    })
}

/// Catalogue technologies the study uses: (key, may the optimiser build more of it).
/// `<group>_existing` rows carry the existing fleet's own figures (fixed O&M, heat rate,
/// outage rates, lifetime, life-extension cost).
const STUDY_TECHNOLOGIES: &[(&str, bool)] = &[
    ("coal_new_pulverised", true),
    ("ccgt", true),
    ("ocgt", true),
    ("onshore_wind", true),
    ("utility_pv", true),
    ("hydro_new", true),
    ("battery_4h", true),
    ("pumped_hydro", true),
    ("coal_existing", false),
    ("gas_existing", false),
    ("hydro_existing", false),
    ("wind_existing", false),
    ("solar_existing", false),
    ("oil_existing", false),
];

fn technologies(catalogue: &Catalogue, notes: &mut Vec<String>) -> Vec<TechnologyInfo> {
    let fuel_factor = |fuel: &Option<String>| -> f64 {
        fuel.as_deref()
            .and_then(|fuel| catalogue.technology(fuel))
            .and_then(|t| t.parameter("co2_emission_factor"))
            .map_or(0.0, |p| p.value)
    };
    let mut out = Vec::new();
    for &(key, extendable) in STUDY_TECHNOLOGIES {
        let Some(tech) = catalogue.technology(key) else {
            notes.push(format!(
                "technology `{key}` is missing from the catalogue; it is left out"
            ));
            continue;
        };
        let value = |name: &str| tech.parameter(name).map(|p| p.value);
        // Money in USD of PRICE_YEAR, through the catalogue's one conversion path.
        let mut missing: Vec<String> = Vec::new();
        let mut money = |name: &str| -> Option<f64> {
            let parameter = tech.parameter(name)?;
            let year = parameter.price_year?;
            let currency = parameter
                .unit
                .split('/')
                .next()
                .unwrap_or("USD")
                .trim()
                .to_owned();
            let converted = catalogue
                .money()
                .to_usd(parameter.value, &currency, year, PRICE_YEAR);
            if converted.is_none() {
                missing.push(format!(
                    "technology `{key}`.{name}: no conversion of {currency} {year} to USD {PRICE_YEAR}; the figure is left out"
                ));
            }
            converted
        };
        let heat_rate = value("heat_rate").unwrap_or(0.0);
        let mut sources: Vec<String> = Vec::new();
        for parameter in &tech.parameters {
            for source in &parameter.sources {
                let id = source.to_string();
                if !sources.contains(&id) {
                    sources.push(id);
                }
            }
        }
        let source = tech
            .parameter("overnight_capital_cost")
            .or_else(|| tech.parameter("fixed_om"))
            .and_then(|p| p.sources.first())
            .map(ToString::to_string)
            .unwrap_or_default();
        let capex = money("overnight_capital_cost").unwrap_or(0.0);
        let fixed_om = money("fixed_om").unwrap_or(0.0);
        let variable_om = money("variable_om").unwrap_or(0.0);
        let life_extension = money("life_extension_cost");
        notes.extend(missing);
        out.push(TechnologyInfo {
            technology: key.to_owned(),
            capex_usd_per_kw: capex,
            fixed_om_usd_per_kw_yr: fixed_om,
            variable_om_usd_per_mwh: variable_om,
            heat_rate_mmbtu_per_mwh: heat_rate,
            lifetime_years: value("lifetime").unwrap_or(25.0),
            emission_t_per_mwh: fuel_factor(&tech.fuel) * heat_rate / MMBTU_PER_MWH,
            extendable,
            source,
            forced_outage_rate: value("forced_outage_rate"),
            planned_outage_rate: value("planned_outage_rate"),
            life_extension_usd_per_kw: life_extension,
            life_extension_years: value("life_extension_years"),
            round_trip_efficiency: value("round_trip_efficiency"),
            duration_h: value("duration"),
            sources,
        });
    }
    out
}

/// Maps a catalogue capacity/generation technology onto the study's fleet groups.
fn fleet_group(technology: &str) -> Option<&'static str> {
    Some(match technology {
        "coal" | "coal-domestic" | "coal-imported" | "lignite" | "thermal" => "coal",
        "gas" | "natural-gas" => "gas",
        "hydro" | "small-hydro" | "large-hydro" => "hydro",
        "wind" => "wind",
        "solar" => "solar",
        "oil" | "diesel" => "oil",
        "bioenergy" | "geothermal" | "biomass" => "other",
        "nuclear" => "nuclear",
        _ => return None,
    })
}

fn country_info(
    country: &Country,
    technologies: &[TechnologyInfo],
    notes: &mut Vec<String>,
) -> CountryInfo {
    let code = country.code.to_string();
    let demand = country.annual_demand();
    let annual_demand_twh = demand.map_or(0.0, |o| o.value);
    let data_year = demand.and_then(|o| o.year).unwrap_or(2024);
    let peak_mw = country
        .peak_demand()
        .map_or(annual_demand_twh * 1e6 / 8760.0 / 0.7, |o| o.value);
    if country.peak_demand().is_none() {
        notes.push(format!(
            "{code}: no sourced peak; peak taken as mean load / 0.7 (assumed load factor)"
        ));
    }
    let growth = country
        .demand_growth_pct_per_year
        .iter()
        .filter(|o| !o.target)
        .max_by_key(|o| o.year.unwrap_or(0))
        .map(|o| o.value / 100.0);

    // Existing fleet: sourced capacities by group (latest, installed).
    let mut fleet: Vec<FleetEntry> = Vec::new();
    let mut total_mw = None;
    for obs in country.capacity_by_technology() {
        let technology = obs.technology.as_deref().unwrap_or("");
        if technology == "total" {
            total_mw = Some(obs.value);
            continue;
        }
        let Some(group) = fleet_group(technology) else {
            continue;
        };
        if group == "nuclear" || obs.value <= 0.0 {
            continue;
        }
        match fleet.iter_mut().find(|f| f.technology == group) {
            Some(entry) => entry.capacity_mw += obs.value,
            None => fleet.push(FleetEntry {
                technology: group.to_owned(),
                capacity_mw: obs.value,
                retirement_per_year: 0.0,
                source: obs.source.to_string(),
                average_age_years: None,
            }),
        }
    }
    // Generation shares for groups without a sourced capacity.
    let mut shares: Vec<(String, f64)> = Vec::new();
    for obs in &country.generation_share {
        let Some(group) = obs.technology.as_deref().and_then(fleet_group) else {
            continue;
        };
        if group == "nuclear" || fleet.iter().any(|f| f.technology == group) {
            continue;
        }
        if !shares.iter().any(|(g, _)| g == group) {
            let latest = country
                .generation_share
                .iter()
                .filter(|o| o.technology.as_deref().and_then(fleet_group) == Some(group))
                .max_by_key(|o| o.year.unwrap_or(0))
                .map_or(obs.value, |o| o.value);
            shares.push((group.to_owned(), latest));
        }
    }
    let share_total: f64 = shares.iter().map(|(_, s)| s).sum();
    if share_total > 0.0 {
        let sourced: f64 = fleet.iter().map(|f| f.capacity_mw).sum();
        let (pool, basis) = match total_mw {
            Some(total) if total > sourced => {
                (total - sourced, "remainder of the sourced total capacity")
            }
            _ => {
                let firm_sourced: f64 = fleet
                    .iter()
                    .filter(|f| !matches!(f.technology.as_str(), "wind" | "solar"))
                    .map(|f| f.capacity_mw)
                    .sum();
                (
                    (1.15 * peak_mw - firm_sourced).max(0.0),
                    "ASSUMPTION: 1.15 x peak minus sourced firm capacity",
                )
            }
        };
        for (group, share) in &shares {
            let capacity = pool * share / share_total;
            notes.push(format!(
                "{code}: existing {group} capacity {capacity:.0} MW derived ({basis}, split by generation share)"
            ));
            fleet.push(FleetEntry {
                technology: group.clone(),
                capacity_mw: capacity,
                retirement_per_year: 0.0,
                source: format!("derived: {basis}"),
                average_age_years: None,
            });
        }
    }
    // Old coal retires over 40 years by default: documented assumption.
    for entry in &mut fleet {
        if entry.technology == "coal" {
            entry.retirement_per_year = 0.02;
        }
    }
    notes.push(format!(
        "{code}: existing coal retires linearly at 2 %/yr of base-year capacity (assumption; no sourced retirement schedule)"
    ));

    let capacity_factor = |group: &str, typical_tech: &str| -> Option<f64> {
        let generation_obs = country
            .generation_by_technology()
            .into_iter()
            .find(|o| o.technology.as_deref().and_then(fleet_group) == Some(group));
        // Capacity of the generation's own year where the catalogue has it (a fleet growing
        // fast, like Turkey's solar, otherwise pairs this year's capacity with last year's
        // output); else the fleet's latest capacity.
        let same_year: f64 = generation_obs
            .and_then(|g| g.year)
            .map(|year| {
                country
                    .capacity_mw
                    .iter()
                    .filter(|o| {
                        !o.target
                            && o.year == Some(year)
                            && o.technology.as_deref().and_then(fleet_group) == Some(group)
                    })
                    .map(|o| o.value)
                    .sum()
            })
            .unwrap_or(0.0);
        let capacity = if same_year > 0.0 {
            same_year
        } else {
            fleet
                .iter()
                .find(|f| f.technology == group)
                .map(|f| f.capacity_mw)?
        };
        let generation = generation_obs.map(|o| o.value);
        match generation {
            Some(twh) if capacity > 0.0 => Some((twh * 1e6 / (capacity * 8760.0)).clamp(0.05, 0.9)),
            _ => {
                let _ = typical_tech;
                None
            }
        }
    };
    let mut typical = |group: &str, tech: &str, fallback: f64| -> f64 {
        capacity_factor(group, tech).unwrap_or_else(|| {
            notes.push(format!(
                "{code}: {group} capacity factor not derivable from sourced data; {fallback} used (assumption)"
            ));
            fallback
        })
    };
    let _ = technologies;
    let wind_cf = typical("wind", "onshore_wind", 0.30);
    let solar_cf = typical("solar", "utility_pv", 0.17);
    let hydro_cf = typical("hydro", "hydro", 0.35);

    let gas_import_shares: Vec<(String, f64)> = country
        .fuel_import_share
        .iter()
        .filter(|o| o.fuel.as_deref() == Some("gas"))
        .filter_map(|o| Some((o.supplier.clone()?, o.value)))
        .collect();
    let imports = country
        .electricity_imports_twh
        .iter()
        .max_by_key(|o| o.year.unwrap_or(0))
        .map_or(0.0, |o| o.value.max(0.0));
    let load_shape = country.load_shape.as_ref();
    CountryInfo {
        code: code.clone(),
        name: country.name.clone(),
        data_year,
        annual_demand_twh,
        peak_mw,
        demand_growth_per_year: growth,
        zones: country
            .zones
            .iter()
            .filter(|z| z.kind == "main")
            .map(|z| ZoneInfo {
                name: z.id.clone(),
                demand_share: 1.0,
            })
            .collect(),
        links: Vec::new(),
        fleet,
        largest_unit_mw: country.largest_unit().map(|o| o.value),
        load_shape_month_hour: load_shape.map(|s| s.month_hour.clone()),
        load_shape_source: load_shape.map_or_else(String::new, |s| s.source.to_string()),
        peak_season: country
            .peak_season
            .clone()
            .unwrap_or_else(|| "winter".to_owned()),
        wind_capacity_factor: Some(wind_cf),
        solar_capacity_factor: Some(solar_cf),
        hydro_capacity_factor: Some(hydro_cf),
        latitude_deg: latitude(&code),
        gas_import_shares,
        gas_import_dependence: None,
        electricity_imports_twh: imports,
        co2_intensity_g_per_kwh: country.co2_intensity().map(|o| o.value),
        milestones_phase: country.iaea_milestones.as_ref().map(|m| m.phase),
        milestones_assessed_year: country.iaea_milestones.as_ref().map(|m| m.assessed_year),
        milestones_basis: country
            .iaea_milestones
            .as_ref()
            .map_or_else(String::new, |m| m.basis.clone()),
        // The sources of the demand and peak figures the study grows from.
        sources: demand
            .into_iter()
            .chain(country.peak_demand())
            .map(|o| o.source.to_string())
            .collect(),
        projects: Vec::new(),
        nuclear_targets: Vec::new(),
    }
}

fn export_market(catalogue: &Catalogue) -> Vec<(String, f64)> {
    let mut by_country: Vec<(String, f64)> = Vec::new();
    let mut total = 0.0;
    for project in catalogue.projects() {
        let Some(design) = catalogue.design(project.design.as_ref()) else {
            continue;
        };
        let units = f64::from(project.units);
        total += units;
        match by_country
            .iter_mut()
            .find(|(c, _)| *c == design.vendor_country)
        {
            Some(entry) => entry.1 += units,
            None => by_country.push((design.vendor_country.clone(), units)),
        }
    }
    if total > 0.0 {
        by_country.iter_mut().for_each(|(_, v)| *v /= total);
    }
    by_country
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A design whose catalogue record has no construction time gets the study's 48/72-month
    /// assumption, marked as one; a recorded time is taken as it is.
    #[test]
    fn a_construction_time_the_catalogue_lacks_is_marked_assumed() {
        let catalogue = Catalogue::builtin().unwrap();
        let view = study_catalogue(&catalogue);
        let ritm = view.design("ritm-200n").expect("RITM-200N in the view");
        assert!(catalogue
            .design("ritm-200n")
            .is_some_and(|d| d.construction_months.is_none()));
        assert!(ritm.construction_months_assumed);
        assert_eq!(ritm.construction_months, 48.0);
        let vver = view.design("vver-1200").expect("VVER-1200 in the view");
        assert!(!vver.construction_months_assumed);
        assert_eq!(vver.construction_months, 84.0);
    }
}
