//! `--format csv` for nested results: one `field,value` row per leaf of the JSON form, the
//! field being its dotted path (`generators.A-CCGT`, `timings.read_s`, `flows[3]`).
//!
//! Listings with one record per row write their own CSV; this is for reports whose shape is a
//! tree (solve results, assessments), so that asking for CSV never silently yields JSON or text.

use serde_json::Value;

/// The CSV text of `value`, header `field,value`.
pub fn to_field_csv(value: &Value) -> anyhow::Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(["field", "value"])?;
    for (field, text) in atomplan_catalogue::json::flatten(value) {
        writer.write_record([field, text.unwrap_or_default()])?;
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}

#[cfg(test)]
mod tests;
