//! The planning file resolved against one system, once, before the model is built.
//!
//! A [`PlanningFile`] names things: generators in `[units.<name>]` and in the policy limits,
//! storage units in `[storage.<name>]`, buses in `[[areas]]`, vendors in `units.<name>.vendor`.
//! [`Options::resolve`] turns every name into an index of the system, computes the investment
//! periods and their discounted weights, and applies the defaults that depend on more than one
//! section (a storage unit's linking falls back to `[aggregation].storage`), so that the
//! constraint families of `build/planning/` read options by index and never look a name up.
//! A name the system does not have is a [`Error::UnknownName`] naming the file's key.

use crate::build::planning::Period;
use crate::network::Network;
use crate::planning::file::{
    AreaWire, CapacityLimitWire, EnergyLimitWire, InvestmentWire, PlanningFile, StorageLinking,
    StorageWire, UnitWire, VendorWire,
};
use crate::planning::system::System;
use crate::Error;

/// The component names a planning file may refer to, in the component order of the model the
/// options are resolved for: a planning [`System`], or a core [`Network`] (the planning model on
/// a network with investment periods, `planning/multi_period.rs`).
#[derive(Debug, Clone, Default)]
pub struct Names<'a> {
    pub generators: Vec<&'a str>,
    pub storage_units: Vec<&'a str>,
    pub buses: Vec<&'a str>,
}

impl<'a> From<&'a System> for Names<'a> {
    fn from(sys: &'a System) -> Self {
        Names {
            generators: sys.generators.iter().map(|g| g.name.as_str()).collect(),
            storage_units: sys.storage_units.iter().map(|s| s.name.as_str()).collect(),
            buses: sys.buses.iter().map(String::as_str).collect(),
        }
    }
}

impl<'a> From<&'a Network> for Names<'a> {
    fn from(network: &'a Network) -> Self {
        Names {
            generators: network.generators.iter().map(|g| g.name.as_str()).collect(),
            storage_units: network
                .storage_units
                .iter()
                .map(|s| s.name.as_str())
                .collect(),
            buses: network.buses.iter().map(|b| b.name.as_str()).collect(),
        }
    }
}

/// One vendor's learning steps and the generators whose units count against them.
#[derive(Debug, Clone)]
pub struct Vendor<'p> {
    pub name: &'p str,
    pub wire: &'p VendorWire,
    /// Generators (indices) whose `units.<name>.vendor` names this vendor.
    pub generators: Vec<usize>,
}

/// A capacity limit with its members as generator indices.
#[derive(Debug, Clone)]
pub struct CapacityLimit<'p> {
    pub wire: &'p CapacityLimitWire,
    pub generators: Vec<usize>,
}

/// An energy limit with the resource use of each generator it counts, by generator index.
#[derive(Debug, Clone)]
pub struct EnergyLimit<'p> {
    pub wire: &'p EnergyLimitWire,
    pub use_per_mwh: Vec<(usize, f64)>,
}

/// The options of one plan on one system: every per-component section by component index.
#[derive(Debug, Clone)]
pub struct Options<'p> {
    /// The file itself, for its scalar sections (`[solver]`, `[investment]`, `[aggregation]`).
    pub file: &'p PlanningFile,
    /// The investment periods with their discounted weights and load scales; one period of
    /// weight 1 without `[investment]`.
    pub periods: Vec<Period>,
    /// Whether the plan has investment periods (`[investment]`).
    pub multi_period: bool,
    /// `[units.<name>]` of each generator (`None`: the generator's own attributes only).
    pub units: Vec<Option<&'p UnitWire>>,
    /// `[storage.<name>]` of each storage unit.
    pub storage: Vec<Option<&'p StorageWire>>,
    /// How each storage unit's state of charge links representative periods: its own
    /// `linking`, else `[aggregation].storage`, else linked.
    pub linking: Vec<StorageLinking>,
    /// Vendors with learning steps, in name order.
    pub vendors: Vec<Vendor<'p>>,
    /// The vendor (index into `vendors`) of each generator.
    pub vendor_of: Vec<Option<usize>>,
    /// `[[areas]]`, in the file's order.
    pub areas: &'p [AreaWire],
    /// The area (index into `areas`) of each bus.
    pub area_of_bus: Vec<Option<usize>>,
    pub capacity_limits: Vec<CapacityLimit<'p>>,
    pub energy_limits: Vec<EnergyLimit<'p>>,
}

fn unknown(key: String, name: &str, kind: NameKind) -> Error {
    Error::UnknownName {
        key,
        name: name.to_owned(),
        kind,
    }
}

/// What a planning-file name must be: a generator, a storage unit, a bus, or a vendor of the
/// file itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    Generator,
    Storage,
    Bus,
    Vendor,
}

impl std::fmt::Display for NameKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            NameKind::Generator => "generator",
            NameKind::Storage => "storage unit",
            NameKind::Bus => "bus",
            NameKind::Vendor => "vendor of the planning file",
        })
    }
}

/// Every name `file` uses, with the key that holds it and what it must be, in file order.
fn references(file: &PlanningFile) -> Vec<(String, &str, NameKind)> {
    let mut out = Vec::new();
    for (name, unit) in &file.units {
        out.push((format!("units.{name}"), name.as_str(), NameKind::Generator));
        if let Some(vendor) = &unit.vendor {
            out.push((
                format!("units.{name}.vendor"),
                vendor.as_str(),
                NameKind::Vendor,
            ));
        }
    }
    for name in file.storage.keys() {
        out.push((format!("storage.{name}"), name.as_str(), NameKind::Storage));
    }
    for (a, area) in file.areas.iter().enumerate() {
        for bus in &area.buses {
            out.push((format!("areas[{a}].buses"), bus.as_str(), NameKind::Bus));
        }
    }
    for (i, limit) in file.capacity_limits.iter().enumerate() {
        for name in &limit.generators {
            let key = format!("capacity_limits[{i}].generators");
            out.push((key, name.as_str(), NameKind::Generator));
        }
    }
    for (i, limit) in file.energy_limits.iter().enumerate() {
        for name in limit.use_per_mwh.keys() {
            let key = format!("energy_limits[{i}].use_per_mwh");
            out.push((key, name.as_str(), NameKind::Generator));
        }
    }
    out
}

/// Every name of `file` that `names` (or, for a vendor, the file) does not have, as
/// [`Error::UnknownName`] with the key that names it, in file order. [`Options::resolve`]
/// refuses the first; `solve --planning`'s file check lists them all.
pub fn unknown_names(names: &Names<'_>, file: &PlanningFile) -> Vec<Error> {
    references(file)
        .into_iter()
        .filter(|(_, name, kind)| match kind {
            NameKind::Generator => !names.generators.contains(name),
            NameKind::Storage => !names.storage_units.contains(name),
            NameKind::Bus => !names.buses.contains(name),
            NameKind::Vendor => !file.vendors.contains_key(*name),
        })
        .map(|(key, name, kind)| unknown(key, name, kind))
        .collect()
}

impl<'p> Options<'p> {
    /// Resolves `file` against `sys`; the first name the system does not have
    /// ([`unknown_names`]) is an error.
    pub fn resolve(sys: &System, file: &'p PlanningFile) -> Result<Self, Error> {
        Self::resolve_names(&Names::from(sys), file)
    }

    /// Resolves `file` against the components `sys` names, in their order.
    pub fn resolve_names(sys: &Names<'_>, file: &'p PlanningFile) -> Result<Self, Error> {
        if let Some(error) = unknown_names(sys, file).into_iter().next() {
            return Err(error);
        }
        let generator = |key: String, name: &str| -> Result<usize, Error> {
            sys.generators
                .iter()
                .position(|g| *g == name)
                .ok_or_else(|| unknown(key, name, NameKind::Generator))
        };
        let mut units = vec![None; sys.generators.len()];
        for (name, unit) in &file.units {
            units[generator(format!("units.{name}"), name)?] = Some(unit);
        }
        let mut storage = vec![None; sys.storage_units.len()];
        for (name, wire) in &file.storage {
            let s = sys
                .storage_units
                .iter()
                .position(|s| s == name)
                .ok_or_else(|| unknown(format!("storage.{name}"), name, NameKind::Storage))?;
            storage[s] = Some(wire);
        }
        let default_linking = file
            .aggregation
            .as_ref()
            .map(|a| a.storage)
            .unwrap_or_default();
        let linking = storage
            .iter()
            .map(|s| s.and_then(|s| s.linking).unwrap_or(default_linking))
            .collect();
        let mut area_of_bus = vec![None; sys.buses.len()];
        for (a, area) in file.areas.iter().enumerate() {
            for bus in &area.buses {
                let b = sys
                    .buses
                    .iter()
                    .position(|x| x == bus)
                    .ok_or_else(|| unknown(format!("areas[{a}].buses"), bus, NameKind::Bus))?;
                // A bus in two areas belongs to the first (the file check warns of it).
                area_of_bus[b].get_or_insert(a);
            }
        }
        let mut vendors: Vec<Vendor<'p>> = file
            .vendors
            .iter()
            .map(|(name, wire)| Vendor {
                name,
                wire,
                generators: Vec::new(),
            })
            .collect();
        let mut vendor_of = vec![None; units.len()];
        for (g, unit) in units.iter().enumerate() {
            let Some(name) = unit.and_then(|u| u.vendor.as_deref()) else {
                continue;
            };
            let v = vendors.iter().position(|v| v.name == name).ok_or_else(|| {
                unknown(
                    format!("units.{}.vendor", sys.generators[g]),
                    name,
                    NameKind::Vendor,
                )
            })?;
            vendors[v].generators.push(g);
            vendor_of[g] = Some(v);
        }
        let capacity_limits = file
            .capacity_limits
            .iter()
            .enumerate()
            .map(|(i, wire)| {
                let generators = wire
                    .generators
                    .iter()
                    .map(|name| generator(format!("capacity_limits[{i}].generators"), name))
                    .collect::<Result<_, _>>()?;
                Ok(CapacityLimit { wire, generators })
            })
            .collect::<Result<_, Error>>()?;
        let energy_limits = file
            .energy_limits
            .iter()
            .enumerate()
            .map(|(i, wire)| {
                let use_per_mwh = wire
                    .use_per_mwh
                    .iter()
                    .map(|(name, &v)| {
                        Ok((
                            generator(format!("energy_limits[{i}].use_per_mwh"), name)?,
                            v,
                        ))
                    })
                    .collect::<Result<_, Error>>()?;
                Ok(EnergyLimit { wire, use_per_mwh })
            })
            .collect::<Result<_, Error>>()?;
        Ok(Options {
            file,
            periods: periods(file),
            multi_period: file.investment.is_some(),
            units,
            storage,
            linking,
            vendors,
            vendor_of,
            areas: &file.areas,
            area_of_bus,
            capacity_limits,
            energy_limits,
        })
    }
}

/// The first year after the horizon: `end_year`, else the last period's start plus the mean
/// period length (5 years with one period).
pub(crate) fn end_year(inv: &InvestmentWire) -> i32 {
    let n = inv.periods.len();
    let mean_len = if n > 1 {
        (inv.periods[n - 1] - inv.periods[0]) / (n as i32 - 1)
    } else {
        5
    };
    inv.end_year.unwrap_or(inv.periods[n - 1] + mean_len)
}

/// The investment periods: each runs from its first year to the next period's (the last to
/// `end_year`, or one mean period length), weighted by the sum of its years' discount factors
/// from the decision year.
pub(crate) fn periods(plan: &PlanningFile) -> Vec<Period> {
    let Some(inv) = &plan.investment else {
        return vec![Period {
            year: None,
            weight: 1.0,
            load_scale: 1.0,
        }];
    };
    let n = inv.periods.len();
    let end = end_year(inv);
    (0..n)
        .map(|i| {
            let from = inv.periods[i];
            let to = if i + 1 < n { inv.periods[i + 1] } else { end };
            let weight = (from..to)
                .map(|y| (1.0 + inv.discount_rate).powi(-(y - inv.decision_year)))
                .sum();
            Period {
                year: Some(from),
                weight,
                load_scale: inv
                    .load_scale
                    .as_ref()
                    .and_then(|v| v.get(i))
                    .copied()
                    .unwrap_or(1.0),
            }
        })
        .collect()
}
