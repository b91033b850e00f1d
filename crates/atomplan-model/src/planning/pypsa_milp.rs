//! PyPSA's own MILP attributes (`p_nom_mod`, `committable` with `p_min_pu`, `min_up_time`,
//! `min_down_time`, `start_up_cost`, `shut_down_cost`, `ramp_limit_up/down`) read from a PyPSA
//! folder and turned into planning-file units, so that such networks solve with PyPSA's answer.
//!
//! The core importer models the LP only and refuses these columns; this module hands it a copy
//! of the folder without them and carries them over as [`UnitWire`]s instead.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use atomplan_core::{Diagnostic, Location};

use super::file::UnitWire;

/// Columns of `generators.csv` this module takes over.
const MILP_COLUMNS: &[&str] = &[
    "p_nom_mod",
    "committable",
    "min_up_time",
    "min_down_time",
    "start_up_cost",
    "shut_down_cost",
    "up_time_before",
    "down_time_before",
    "ramp_limit_up",
    "ramp_limit_down",
    "ramp_limit_start_up",
    "ramp_limit_shut_down",
];

/// A stripped copy of the folder and the units read from it. The copy is removed on drop.
#[derive(Debug)]
pub struct Translated {
    pub folder: PathBuf,
    pub units: BTreeMap<String, UnitWire>,
}

impl Drop for Translated {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

fn num(v: &str) -> f64 {
    v.trim().parse::<f64>().unwrap_or(0.0)
}

fn truthy(v: &str) -> bool {
    matches!(v.trim(), "True" | "true" | "1" | "1.0")
}

/// `Ok(None)` when the folder uses no MILP attribute.
pub fn translate(folder: &Path) -> Result<Option<Translated>, Vec<Diagnostic>> {
    let path = folder.join("generators.csv");
    let file = path.display().to_string();
    let Ok(text) = atomplan_core::input::read_to_string(&path) else {
        return Ok(None);
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let Ok(headers) = reader.headers().cloned() else {
        return Ok(None);
    };
    let col = |name: &str| headers.iter().position(|h| h == name);
    if !MILP_COLUMNS.iter().any(|c| col(c).is_some()) {
        return Ok(None);
    }
    let err = |field: &str, line: usize, message: String| {
        Diagnostic::error(
            Location::file(&file).with_line(line).with_field(field),
            message,
        )
    };
    let mut errors = Vec::new();
    let mut units = BTreeMap::new();
    let mut records = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let line = i + 2;
        let Ok(rec) = rec else {
            errors.push(err("", line, "malformed row".into()));
            continue;
        };
        let get = |name: &str| col(name).and_then(|c| rec.get(c)).unwrap_or("");
        let name = get("name").to_string();
        let extendable = truthy(get("p_nom_extendable"));
        let p_nom = num(get("p_nom"));
        let p_nom_mod = num(get("p_nom_mod"));
        let committable = truthy(get("committable"));
        let mut unit = UnitWire::default();
        let mut used = false;
        if p_nom_mod > 0.0 && extendable {
            unit.unit_size_mw = Some(p_nom_mod);
            used = true;
        }
        let mut p_min_zeroed = false;
        if committable {
            if extendable {
                errors.push(err(
                    "committable",
                    line,
                    format!(
                        "generator `{name}`: committable and extendable together is not supported"
                    ),
                ));
            }
            unit.committable = true;
            unit.unit_size_mw = Some(p_nom);
            unit.existing_units = 1;
            unit.min_stable_load = num(get("p_min_pu")).clamp(0.0, 1.0);
            p_min_zeroed = true;
            unit.min_up_time = num(get("min_up_time")) as u32;
            unit.min_down_time = num(get("min_down_time")) as u32;
            let up_before = get("up_time_before");
            if !up_before.trim().is_empty() {
                unit.up_time_before = Some(num(up_before).max(0.0) as u32);
            }
            unit.down_time_before = num(get("down_time_before")).max(0.0) as u32;
            let su = num(get("start_up_cost"));
            let sd = num(get("shut_down_cost"));
            unit.start_up_cost = (su > 0.0).then_some(su);
            unit.shut_down_cost = (sd > 0.0).then_some(sd);
            unit.contingency = Some(false);
            used = true;
        }
        let (up, down) = (get("ramp_limit_up"), get("ramp_limit_down"));
        if !up.trim().is_empty() || !down.trim().is_empty() {
            let (u, d) = (
                up.trim().parse::<f64>().ok(),
                down.trim().parse::<f64>().ok(),
            );
            match (u, d) {
                (Some(u), Some(d)) if (u - d).abs() < 1e-12 => {
                    if u.is_finite() && u < 1.0 {
                        unit.ramp_rate = Some(u);
                        used = true;
                    }
                }
                (None, None) => {}
                (Some(u), None) | (None, Some(u)) if !u.is_finite() => {}
                _ => errors.push(err(
                    "ramp_limit_up",
                    line,
                    format!(
                        "generator `{name}`: different up and down ramp limits are not supported"
                    ),
                )),
            }
        }
        if used {
            units.insert(name.clone(), unit);
        }
        let mut kept: Vec<String> = Vec::new();
        for (c, h) in headers.iter().enumerate() {
            if MILP_COLUMNS.contains(&h) {
                continue;
            }
            let v = rec.get(c).unwrap_or("");
            kept.push(if h == "p_min_pu" && p_min_zeroed {
                "0.0".to_string()
            } else {
                v.to_string()
            });
        }
        records.push(kept);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // A committable unit's time-varying p_min_pu cannot be carried over.
    if folder.join("generators-p_min_pu.csv").exists() {
        if let Ok(ts) =
            atomplan_core::input::read_to_string(&folder.join("generators-p_min_pu.csv"))
        {
            let first = ts.lines().next().unwrap_or("");
            for g in first.split(',') {
                if units.get(g).is_some_and(|u| u.committable) {
                    errors.push(Diagnostic::error(
                        Location::file(folder.join("generators-p_min_pu.csv").display().to_string()).with_field(g),
                        format!("generator `{g}`: a time-varying `p_min_pu` on a committable unit is not supported"),
                    ));
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let tmp = std::env::temp_dir().join(format!(
        "atomplan-milp-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    let io = |e: std::io::Error| {
        vec![Diagnostic::error(
            Location::file(tmp.display().to_string()),
            e.to_string(),
        )]
    };
    std::fs::create_dir_all(&tmp).map_err(io)?;
    let translated = Translated {
        folder: tmp.clone(),
        units,
    };
    for entry in std::fs::read_dir(folder).map_err(io)? {
        let entry = entry.map_err(io)?;
        if entry.file_type().map_err(io)?.is_file() && entry.file_name() != "generators.csv" {
            std::fs::copy(entry.path(), tmp.join(entry.file_name())).map_err(io)?;
        }
    }
    let mut writer = csv::Writer::from_path(tmp.join("generators.csv"))
        .map_err(|e| vec![Diagnostic::error(Location::file(&file), e.to_string())])?;
    let header: Vec<&str> = headers
        .iter()
        .filter(|h| !MILP_COLUMNS.contains(h))
        .collect();
    let w = |e: csv::Error| vec![Diagnostic::error(Location::file(&file), e.to_string())];
    writer.write_record(&header).map_err(w)?;
    for r in &records {
        writer.write_record(r).map_err(w)?;
    }
    writer.flush().map_err(io)?;
    Ok(Some(translated))
}
