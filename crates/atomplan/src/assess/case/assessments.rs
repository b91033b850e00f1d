//! Case files of grid fit, adequacy, supply security, emissions, readiness and the export market.
//!
//! Each parses TOML text into the method's input (unknown keys rejected); files a case refers to
//! (an hourly load CSV) are read by the caller through a closure, so this module does no IO.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::parse_toml;
use crate::assess::adequacy::{AdequacyInput, AdequacySettings, AdequacyUnit};
use crate::assess::emissions::EmissionsInput;
use crate::assess::grid::GridFitInput;
use crate::assess::market::MarketProject;
use crate::assess::readiness::{IssueStatus, ReadinessInput, TimeSettings, ISSUES};
use crate::assess::security::{FuelSupplier, Imports, SecurityInput};
use crate::Error;

/// Parses a grid-fit case: the fields of [`GridFitInput`] at top level.
///
/// # Errors
/// Unknown keys or wrong types, named with their line.
pub fn parse_grid_fit(text: &str) -> Result<GridFitInput, Error> {
    parse_toml(text)
}

/// Parses an emissions case: the fields of [`EmissionsInput`] at top level.
///
/// # Errors
/// Unknown keys or wrong types, named with their line.
pub fn parse_emissions(text: &str) -> Result<EmissionsInput, Error> {
    parse_toml(text)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AdequacyWire {
    units: Vec<AdequacyUnit>,
    #[serde(default)]
    candidates: Vec<AdequacyUnit>,
    load_mw: Option<Vec<f64>>,
    /// CSV file (relative to the case file) with one load value per line; a header line is skipped.
    load_csv: Option<String>,
    /// Multiplies the load (e.g. to scale a normalised profile to MW).
    load_scale: Option<f64>,
    samples: Option<usize>,
    seed: Option<u64>,
}

/// An adequacy case: the system, candidate units and Monte Carlo settings.
#[derive(Debug, Clone, PartialEq)]
pub struct AdequacyCase {
    pub input: AdequacyInput,
    pub candidates: Vec<AdequacyUnit>,
    pub settings: AdequacySettings,
}

/// Parses an adequacy case. `read_file(path)` returns the text of `load_csv`.
///
/// # Errors
/// Unknown keys, neither or both of `load_mw` and `load_csv`, unreadable or non-numeric CSV.
pub fn parse_adequacy(
    text: &str,
    read_file: &dyn Fn(&str) -> std::io::Result<String>,
) -> Result<AdequacyCase, Error> {
    let wire: AdequacyWire = parse_toml(text)?;
    let mut load = match (wire.load_mw, &wire.load_csv) {
        (Some(load), None) => load,
        (None, Some(path)) => {
            let csv = read_file(path).map_err(|error| {
                Error::value("load_csv", format!("cannot read `{path}`: {error}"))
            })?;
            let mut values = Vec::new();
            for (line_idx, line) in csv.lines().enumerate() {
                let field = line.split(',').next_back().unwrap_or("").trim();
                if field.is_empty() {
                    continue;
                }
                match field.parse::<f64>() {
                    Ok(value) => values.push(value),
                    Err(_) if line_idx == 0 => {}
                    Err(_) => {
                        return Err(Error::value(
                            "load_csv",
                            format!("`{path}` line {}: `{field}` is not a number", line_idx + 1),
                        ))
                    }
                }
            }
            values
        }
        (Some(_), Some(_)) => {
            return Err(Error::value(
                "load_csv",
                "give `load_mw` or `load_csv`, not both",
            ))
        }
        (None, None) => {
            return Err(Error::value(
                "load_mw",
                "missing: give `load_mw` (MW per hour) or `load_csv`",
            ))
        }
    };
    if let Some(scale) = wire.load_scale {
        if !(scale.is_finite() && scale > 0.0) {
            return Err(Error::value("load_scale", "must be a finite number > 0"));
        }
        load.iter_mut().for_each(|value| *value *= scale);
    }
    let defaults = AdequacySettings::default();
    Ok(AdequacyCase {
        input: AdequacyInput {
            units: wire.units,
            load_mw: load,
        },
        candidates: wire.candidates,
        settings: AdequacySettings {
            n_samples: wire.samples.unwrap_or(defaults.n_samples),
            seed: wire.seed.unwrap_or(defaults.seed),
        },
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SecurityWire {
    mix: Option<MixWire>,
    imports: Option<Imports>,
    #[serde(default)]
    suppliers: Vec<SupplierWire>,
    #[serde(default)]
    fuel_suppliers: Vec<FuelSupplier>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MixWire {
    options: Vec<String>,
    before: Vec<f64>,
    after: Option<Vec<f64>>,
    disparity: Option<Vec<Vec<f64>>>,
    basis: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SupplierWire {
    name: String,
    share: f64,
    #[serde(default)]
    risk: f64,
    share_after: Option<f64>,
}

/// A supply-security case is a [`SecurityInput`].
pub type SecurityCase = SecurityInput;

/// Parses a supply-security case.
///
/// # Errors
/// Unknown keys, mix vectors of different lengths, `share_after` given for only some suppliers.
pub fn parse_security(text: &str) -> Result<SecurityCase, Error> {
    let wire: SecurityWire = parse_toml(text)?;
    let mut case = SecurityCase::default();
    if let Some(mix) = wire.mix {
        let n = mix.options.len();
        if mix.before.len() != n {
            return Err(Error::shape(
                "mix.before",
                format!("{n} values (one per option)"),
                mix.before.len(),
            ));
        }
        if let Some(after) = &mix.after {
            if after.len() != n {
                return Err(Error::shape(
                    "mix.after",
                    format!("{n} values (one per option)"),
                    after.len(),
                ));
            }
        }
        case.options = mix.options;
        case.mix_before = mix.before;
        case.mix_after = mix.after;
        case.disparity = mix.disparity;
        case.basis = mix.basis;
    }
    case.imports = wire.imports;
    let n_after = wire
        .suppliers
        .iter()
        .filter(|s| s.share_after.is_some())
        .count();
    if n_after != 0 && n_after != wire.suppliers.len() {
        return Err(Error::value(
            "suppliers.share_after",
            "give `share_after` for every supplier or for none",
        ));
    }
    case.supplier_names = wire.suppliers.iter().map(|s| s.name.clone()).collect();
    case.supplier_shares = wire.suppliers.iter().map(|s| s.share).collect();
    case.supplier_risks = wire.suppliers.iter().map(|s| s.risk).collect();
    if n_after > 0 {
        case.supplier_shares_after = Some(
            wire.suppliers
                .iter()
                .map(|s| s.share_after.unwrap_or(0.0))
                .collect(),
        );
    }
    case.fuel_suppliers = wire.fuel_suppliers;
    Ok(case)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReadinessWire {
    country: String,
    assessed_year: i32,
    phase: Option<u8>,
    issues: Option<BTreeMap<String, [IssueStatus; 3]>>,
    time: Option<TimeWire>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TimeWire {
    programme_years: Option<[f64; 2]>,
    phase_shares: Option<[f64; 3]>,
    construction_months: Option<f64>,
    licensing_years: Option<[f64; 2]>,
    samples: Option<usize>,
    seed: Option<u64>,
}

/// Canonical form of an issue name: lower case, `_`/`-` as spaces.
#[must_use]
pub fn issue_key(name: &str) -> String {
    name.trim().to_ascii_lowercase().replace(['_', '-'], " ")
}

/// Parses a readiness case: `[issues]` (issue → three statuses) or a coarse `phase`.
///
/// # Errors
/// Unknown or missing issues, a phase outside 1–3, neither `issues` nor `phase`.
pub fn parse_readiness(text: &str) -> Result<(ReadinessInput, Vec<String>), Error> {
    let wire: ReadinessWire = parse_toml(text)?;
    let mut warnings = Vec::new();
    let status = match (&wire.issues, wire.phase) {
        (Some(issues), phase) => {
            if phase.is_some() {
                warnings.push("both `phase` and `[issues]` given: the issues are used".to_owned());
            }
            for name in issues.keys() {
                if !ISSUES.contains(&issue_key(name).as_str()) {
                    return Err(Error::value(
                        format!("issues.{name}"),
                        format!("not one of the 19 IAEA issues: {}", ISSUES.join(", ")),
                    ));
                }
            }
            ISSUES
                .iter()
                .map(|issue| {
                    issues
                        .iter()
                        .find(|(name, _)| issue_key(name) == *issue)
                        .map(|(_, status)| *status)
                        .ok_or_else(|| {
                            Error::value(
                                format!("issues.{}", issue.replace(' ', "_")),
                                "missing: give the status in each of the 3 phases",
                            )
                        })
                })
                .collect::<Result<Vec<_>, _>>()?
        }
        (None, Some(phase)) if (1..=3).contains(&phase) => {
            crate::assess::readiness::statuses_from_phase(phase)
        }
        (None, Some(phase)) => {
            return Err(Error::value(
                "phase",
                format!("must be 1, 2 or 3, found {phase}"),
            ))
        }
        (None, None) => return Err(Error::value("issues", "give `[issues]` or `phase`")),
    };
    let mut time = TimeSettings::default();
    if let Some(wire_time) = wire.time {
        if let Some([low, high]) = wire_time.programme_years {
            time.programme_years_low = low;
            time.programme_years_high = high;
        }
        if let Some(shares) = wire_time.phase_shares {
            time.phase_shares = shares;
        }
        time.construction_months = wire_time.construction_months;
        if let Some([low, high]) = wire_time.licensing_years {
            time.licensing_years_low = low;
            time.licensing_years_high = high;
        }
        time.n_samples = wire_time.samples.unwrap_or(time.n_samples);
        time.seed = wire_time.seed.unwrap_or(time.seed);
    }
    Ok((
        ReadinessInput {
            country: wire.country,
            status,
            assessed_year: wire.assessed_year,
            time,
        },
        warnings,
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MarketWire {
    statuses: Option<Vec<String>>,
    projects: Vec<MarketProject>,
}

/// Statuses counted by default: under construction or planned.
#[must_use]
pub fn default_market_statuses() -> Vec<String> {
    [
        "under-construction",
        "planned",
        "site-preparation",
        "licensing",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect()
}

/// Parses a market case: `statuses` (optional) and `[[projects]]`.
///
/// # Errors
/// Unknown keys or wrong types.
pub fn parse_market(text: &str) -> Result<(Vec<MarketProject>, Vec<String>), Error> {
    let wire: MarketWire = parse_toml(text)?;
    Ok((
        wire.projects,
        wire.statuses.unwrap_or_else(default_market_statuses),
    ))
}
