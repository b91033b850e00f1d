//! `--format csv` for nested results: one `field,value` row per leaf of the JSON form, the
//! field being its dotted path (`generators.A-CCGT`, `timings.read_s`, `flows[3]`).
//!
//! Listings with one record per row write their own CSV; this is for reports whose shape is a
//! tree (solve results, assessments), so that asking for CSV never silently yields JSON or text.

use serde_json::Value;

/// The CSV text of `value`, header `field,value`.
pub fn to_field_csv(value: &Value) -> anyhow::Result<String> {
    let mut rows = Vec::new();
    collect("", value, &mut rows);
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(["field", "value"])?;
    for (field, text) in rows {
        writer.write_record([field, text])?;
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}

fn collect(prefix: &str, value: &Value, rows: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                collect(&path, child, rows);
            }
        }
        Value::Array(items) => {
            for (item_idx, item) in items.iter().enumerate() {
                collect(&format!("{prefix}[{item_idx}]"), item, rows);
            }
        }
        Value::Null => rows.push((prefix.to_owned(), String::new())),
        Value::String(text) => rows.push((prefix.to_owned(), text.clone())),
        Value::Bool(flag) => rows.push((prefix.to_owned(), flag.to_string())),
        Value::Number(number) => rows.push((prefix.to_owned(), number.to_string())),
    }
}

#[cfg(test)]
mod tests;
