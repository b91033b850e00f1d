//! The JSON view of catalogue records: each record with the full details of its sources, the
//! derived values readers ask for (SMR flag, plant size, schedule slip, cost overrun) and the
//! sources of every field, including derived ones.
//!
//! One view shared by `atomplan catalogue … --format json` and the server's
//! `/api/v1/designs`, `/projects` and `/countries`, so both answer with the same JSON.

use serde_json::{json, Value};

use crate::{Catalogue, CostEstimate, Country, Design, Project, SourceId};

/// Full details (title, year, link, …) of each source id, in order; an unknown id as `{"id"}`.
pub fn sources_json(catalogue: &Catalogue, ids: &[SourceId]) -> Value {
    Value::Array(
        ids.iter()
            .map(|id| match catalogue.source(id.as_str()) {
                Some(source) => serde_json::to_value(source).unwrap_or(Value::Null),
                None => json!({ "id": id }),
            })
            .collect(),
    )
}

/// Adds the sources of the record's costs and alternatives, and of derived outputs, to the
/// JSON `field_sources`, and lists every cited source in `source_details`.
fn complete_field_sources(
    catalogue: &Catalogue,
    map: &mut serde_json::Map<String, Value>,
    extra: Vec<(String, Vec<SourceId>)>,
    general: &[SourceId],
) {
    let mut field_sources: std::collections::BTreeMap<String, Vec<SourceId>> = map
        .get("field_sources")
        .and_then(|v| {
            serde_json::from_value::<std::collections::BTreeMap<String, Vec<String>>>(v.clone())
                .ok()
        })
        .unwrap_or_default()
        .into_iter()
        .map(|(k, ids)| {
            (
                k,
                ids.into_iter()
                    .filter_map(|id| SourceId::new(id).ok())
                    .collect(),
            )
        })
        .collect();
    for (field, ids) in extra {
        if !ids.is_empty() {
            field_sources.entry(field).or_insert(ids);
        }
    }
    let mut cited: Vec<SourceId> = general.to_vec();
    for ids in field_sources.values() {
        for id in ids {
            if !cited.contains(id) {
                cited.push(id.clone());
            }
        }
    }
    map.insert("field_sources".to_owned(), json!(field_sources));
    map.insert("source_details".to_owned(), sources_json(catalogue, &cited));
}

fn union(lists: &[Option<&Vec<SourceId>>]) -> Vec<SourceId> {
    let mut out: Vec<SourceId> = Vec::new();
    for id in lists.iter().flatten().flat_map(|l| l.iter()) {
        if !out.contains(id) {
            out.push(id.clone());
        }
    }
    out
}

/// The sources of a cost estimate and of its derivation.
pub fn cost_sources(cost: &CostEstimate) -> Vec<SourceId> {
    let mut ids = cost.sources.clone();
    if let Some(derivation) = &cost.derivation {
        for id in &derivation.sources {
            if !ids.contains(id) {
                ids.push(id.clone());
            }
        }
    }
    ids
}

/// A design with its sources, `is_smr`, `plant_mwe` and the sources of every field.
pub fn design_json(catalogue: &Catalogue, design: &Design) -> Value {
    let mut value = serde_json::to_value(design).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.insert(
            "sources".to_owned(),
            sources_json(catalogue, &design.sources),
        );
        map.insert("is_smr".to_owned(), Value::Bool(design.is_smr()));
        map.insert("plant_mwe".to_owned(), json!(design.plant_mwe()));
        let fs = &design.field_sources;
        let mut extra = vec![(
            "plant_mwe".to_owned(),
            union(&[
                fs.get("net_mwe_per_module"),
                fs.get("gross_mwe_per_module"),
                fs.get("plant_net_mwe"),
                fs.get("plant_gross_mwe"),
                fs.get("modules_per_plant"),
            ]),
        )];
        if let Some(overnight) = &design.overnight_cost {
            extra.push(("overnight_cost".to_owned(), overnight.sources.clone()));
        }
        for (idx, cost) in design.costs.iter().enumerate() {
            extra.push((format!("costs[{idx}]"), cost_sources(cost)));
        }
        for (idx, alternative) in design.alternatives.iter().enumerate() {
            extra.push((format!("alternatives[{idx}]"), alternative.sources.clone()));
        }
        complete_field_sources(catalogue, map, extra, &design.sources);
    }
    value
}

/// A project with its sources, schedule slip, cost overrun (USD 2024) and the sources of every field.
pub fn project_json(catalogue: &Catalogue, project: &Project) -> Value {
    let mut value = serde_json::to_value(project).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.insert(
            "sources".to_owned(),
            sources_json(catalogue, &project.sources),
        );
        map.insert(
            "schedule_slip_years".to_owned(),
            json!(project.schedule_slip_years()),
        );
        let overrun = crate::cost::overrun(&project.costs, catalogue.money(), 2024)
            .ok()
            .flatten();
        map.insert("cost_overrun".to_owned(), json!(overrun));
        let fs = &project.field_sources;
        let mut extra = vec![(
            "schedule_slip_years".to_owned(),
            union(&[
                fs.get("original_target_year"),
                fs.get("commercial_operation"),
                fs.get("grid_connection"),
                fs.get("current_target_year"),
            ]),
        )];
        for (idx, cost) in project.costs.iter().enumerate() {
            extra.push((format!("costs[{idx}]"), cost_sources(cost)));
        }
        if overrun.is_some() {
            extra.push((
                "cost_overrun".to_owned(),
                project
                    .costs
                    .iter()
                    .flat_map(cost_sources)
                    .fold(Vec::new(), |mut acc, id| {
                        if !acc.contains(&id) {
                            acc.push(id);
                        }
                        acc
                    }),
            ));
        }
        for (idx, alternative) in project.alternatives.iter().enumerate() {
            extra.push((format!("alternatives[{idx}]"), alternative.sources.clone()));
        }
        complete_field_sources(catalogue, map, extra, &project.sources);
    }
    value
}

fn country_summary(country: &Country) -> Value {
    let peak = country.peak_demand();
    let demand = country.annual_demand();
    let largest = country.largest_unit();
    let co2 = country.co2_intensity();
    json!({
        "code": country.code,
        "name": country.name,
        "peak_demand_mw": peak.map(|o| o.value),
        "peak_demand_year": peak.and_then(|o| o.year),
        "annual_demand_twh": demand.map(|o| o.value),
        "annual_demand_year": demand.and_then(|o| o.year),
        "largest_unit_mw": largest.map(|o| o.value),
        "co2_intensity_g_per_kwh": co2.map(|o| o.value),
        "iaea_milestones_phase": country.iaea_milestones.as_ref().map(|p| p.phase),
        "zones": country.zones.len(),
    })
}

/// A country with its headline `summary` and the details of every source it cites.
pub fn country_json(catalogue: &Catalogue, country: &Country) -> Value {
    let mut value = serde_json::to_value(country).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        let mut ids: Vec<SourceId> = Vec::new();
        let mut add = |id: &SourceId| {
            if !ids.contains(id) {
                ids.push(id.clone());
            }
        };
        for obs in country.observations.iter().map(|o| &o.source) {
            add(obs);
        }
        for list in [
            &country.peak_demand_mw,
            &country.annual_demand_twh,
            &country.capacity_mw,
            &country.generation_twh,
            &country.largest_unit_mw,
            &country.fuel_import_share,
            &country.co2_intensity_g_per_kwh,
        ] {
            for obs in list {
                add(&obs.source);
            }
        }
        for m in &country.milestones {
            add(&m.source);
        }
        for plant in &country.plants {
            for id in &plant.sources {
                add(id);
            }
        }
        for step in &country.nuclear_programme {
            for id in &step.sources {
                add(id);
            }
        }
        map.insert("summary".to_owned(), country_summary(country));
        map.insert("source_details".to_owned(), sources_json(catalogue, &ids));
    }
    value
}

/// Every leaf of a JSON value with its dotted path (`costs[0].total_bn.low`), in order: the one
/// flattener behind `--format csv` of nested records and results, and the record pages of the
/// web app. Strings are given bare, numbers and booleans as JSON writes them, and `null` as
/// `None`; empty objects and arrays have no leaf and give no row.
pub fn flatten(value: &Value) -> Vec<(String, Option<String>)> {
    let mut rows = Vec::new();
    flatten_into("", value, &mut rows);
    rows
}

fn flatten_into(prefix: &str, value: &Value, rows: &mut Vec<(String, Option<String>)>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                flatten_into(&path, item, rows);
            }
        }
        Value::Array(items) => {
            for (idx, item) in items.iter().enumerate() {
                flatten_into(&format!("{prefix}[{idx}]"), item, rows);
            }
        }
        Value::Null => rows.push((prefix.to_owned(), None)),
        Value::String(text) => rows.push((prefix.to_owned(), Some(text.clone()))),
        other => rows.push((prefix.to_owned(), Some(other.to_string()))),
    }
}

#[cfg(test)]
mod flatten_tests {
    use super::flatten;

    #[test]
    fn leaves_get_dotted_paths_and_nulls_are_kept_as_none() {
        let value = serde_json::json!({
            "name": "a, \"b\"", "n": 1.5, "ok": true, "none": null,
            "costs": [{ "low": 1 }, { "low": 2 }], "empty": {}, "list": []
        });
        let rows = flatten(&value);
        let expected: Vec<(String, Option<String>)> = vec![
            ("costs[0].low".into(), Some("1".into())),
            ("costs[1].low".into(), Some("2".into())),
            ("n".into(), Some("1.5".into())),
            ("name".into(), Some("a, \"b\"".into())),
            ("none".into(), None),
            ("ok".into(), Some("true".into())),
        ];
        assert_eq!(rows, expected);
    }
}
