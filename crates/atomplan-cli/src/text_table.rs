//! `--format text` for nested reports: aligned tables a person can read.
//!
//! A report's scalar fields become one two-column table (field, value); a list of records or a
//! map of records becomes a table with one row per record and one column per scalar field; a
//! nested object becomes its own titled section. Long numeric series are summarised
//! (count, min, max). `--format json` keeps the full structure; this view is for reading.

use serde_json::Value;

/// An aligned text table: text columns left-aligned, numeric columns right-aligned, a rule
/// under the header.
#[derive(Debug, Default, Clone)]
pub struct TextTable {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

fn is_numeric(cell: &str) -> bool {
    let trimmed = cell.trim_end_matches(['%', ' ']);
    !trimmed.is_empty() && trimmed.replace([',', '_'], "").parse::<f64>().is_ok()
}

impl TextTable {
    pub fn new(headers: &[&str]) -> Self {
        TextTable {
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The table as text, each line ending with a newline; no trailing spaces.
    pub fn render(&self) -> String {
        let n_columns = self
            .rows
            .iter()
            .map(Vec::len)
            .chain(std::iter::once(self.headers.len()))
            .max()
            .unwrap_or(0);
        let cell = |row: &Vec<String>, idx: usize| row.get(idx).cloned().unwrap_or_default();
        let widths: Vec<usize> = (0..n_columns)
            .map(|idx| {
                self.rows
                    .iter()
                    .map(|row| cell(row, idx).chars().count())
                    .chain(std::iter::once(cell(&self.headers, idx).chars().count()))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let numeric: Vec<bool> = (0..n_columns)
            .map(|idx| {
                let mut cells = self
                    .rows
                    .iter()
                    .map(|row| cell(row, idx))
                    .filter(|c| !c.is_empty() && c != "–");
                let mut any = false;
                let all = cells.all(|c| {
                    any = true;
                    is_numeric(&c)
                });
                any && all
            })
            .collect();
        let line = |cells: &Vec<String>, header: bool| {
            let mut text = String::new();
            for (idx, width) in widths.iter().enumerate() {
                let value = cell(cells, idx);
                let pad = width.saturating_sub(value.chars().count());
                if idx > 0 {
                    text.push_str("  ");
                }
                if numeric[idx] && !header {
                    text.push_str(&" ".repeat(pad));
                    text.push_str(&value);
                } else if numeric[idx] {
                    text.push_str(&" ".repeat(pad));
                    text.push_str(&value);
                } else {
                    text.push_str(&value);
                    text.push_str(&" ".repeat(pad));
                }
            }
            let mut text = text.trim_end().to_owned();
            text.push('\n');
            text
        };
        let mut out = String::new();
        if !self.headers.is_empty() {
            out.push_str(&line(&self.headers, true));
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            out.push_str(&line(&rule, true));
        }
        for row in &self.rows {
            out.push_str(&line(row, false));
        }
        out
    }
}

/// A number for reading: integers as integers, others to a precision that suits their size.
pub fn number_text(value: f64) -> String {
    if !value.is_finite() {
        return "–".to_owned();
    }
    let magnitude = value.abs();
    let text = if value.fract() == 0.0 && magnitude < 1e15 {
        format!("{value:.0}")
    } else if magnitude >= 1000.0 {
        format!("{value:.0}")
    } else if magnitude >= 10.0 {
        format!("{value:.2}")
    } else if magnitude >= 0.01 {
        format!("{value:.4}")
    } else {
        format!("{value:.3e}")
    };
    if text == "-0" {
        "0".to_owned()
    } else {
        text
    }
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::Null => "–".to_owned(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.to_owned(),
        Value::Number(number) => match (number.as_i64(), number.as_f64()) {
            (Some(int), _) => int.to_string(),
            (None, Some(float)) => number_text(float),
            _ => number.to_string(),
        },
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn is_scalar(value: &Value) -> bool {
    !value.is_object() && !value.is_array()
}

/// A scalar, or a list of scalars shown in one cell (long numeric series summarised).
fn cell_text(value: &Value) -> Option<String> {
    match value {
        v if is_scalar(v) => Some(scalar_text(v)),
        Value::Array(items) if items.iter().all(is_scalar) => {
            if items.len() > 12 && items.iter().all(Value::is_number) {
                let numbers: Vec<f64> = items.iter().filter_map(Value::as_f64).collect();
                let min = numbers.iter().copied().fold(f64::INFINITY, f64::min);
                let max = numbers.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                Some(format!(
                    "{} values, {} to {}",
                    items.len(),
                    number_text(min),
                    number_text(max)
                ))
            } else {
                Some(items.iter().map(scalar_text).collect::<Vec<_>>().join(", "))
            }
        }
        _ => None,
    }
}

/// Records (objects) whose scalar fields make the columns of one table.
fn records_table(key_header: Option<&str>, records: &[(String, &Value)]) -> TextTable {
    let mut columns: Vec<String> = Vec::new();
    for (_, record) in records {
        if let Value::Object(map) = record {
            for (key, value) in map {
                if cell_text(value).is_some() && !columns.contains(key) {
                    columns.push(key.clone());
                }
            }
        }
    }
    let mut headers: Vec<&str> = Vec::new();
    if let Some(key) = key_header {
        headers.push(key);
    }
    headers.extend(columns.iter().map(String::as_str));
    let mut table = TextTable::new(&headers);
    for (key, record) in records {
        let mut row = Vec::new();
        if key_header.is_some() {
            row.push(key.clone());
        }
        for column in &columns {
            row.push(record.get(column).and_then(cell_text).unwrap_or_default());
        }
        table.row(row);
    }
    table
}

fn all_objects<'a>(items: impl Iterator<Item = &'a Value>) -> bool {
    let mut any = false;
    let all = items.into_iter().all(|v| {
        any = true;
        v.is_object()
    });
    any && all
}

fn section(out: &mut String, title: &str) {
    if !out.is_empty() {
        out.push('\n');
    }
    if !title.is_empty() {
        out.push_str(title);
        out.push('\n');
    }
}

fn render_into(title: &str, value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut fields = TextTable::new(&["field", "value"]);
            for (key, child) in map {
                if let Some(text) = cell_text(child) {
                    if !child.is_null() {
                        fields.row(vec![key.clone(), text]);
                    }
                }
            }
            if !fields.rows.is_empty() {
                section(out, title);
                out.push_str(&fields.render());
            }
            for (key, child) in map {
                if cell_text(child).is_some() {
                    continue;
                }
                let child_title = if title.is_empty() {
                    key.clone()
                } else {
                    format!("{title} / {key}")
                };
                render_into(&child_title, child, out);
            }
        }
        Value::Array(items) if all_objects(items.iter()) => {
            let records: Vec<(String, &Value)> =
                items.iter().map(|item| (String::new(), item)).collect();
            section(out, title);
            out.push_str(&records_table(None, &records).render());
            render_nested(title, &records, out);
        }
        Value::Array(items) => {
            for (idx, item) in items.iter().enumerate() {
                render_into(&format!("{title} {}", idx + 1), item, out);
            }
        }
        scalar => {
            section(out, title);
            out.push_str(&scalar_text(scalar));
            out.push('\n');
        }
    }
}

/// The non-scalar fields of each record, as sections titled by the record.
fn render_nested(title: &str, records: &[(String, &Value)], out: &mut String) {
    for (idx, (key, record)) in records.iter().enumerate() {
        let Value::Object(map) = record else { continue };
        let label = if key.is_empty() {
            map.values()
                .find_map(|v| v.as_str().map(str::to_owned))
                .unwrap_or_else(|| (idx + 1).to_string())
        } else {
            key.clone()
        };
        for (field, child) in map {
            if cell_text(child).is_none() {
                render_into(&format!("{title} / {label} / {field}"), child, out);
            }
        }
    }
}

/// A map of records (e.g. year → slice) is a table keyed by the map's key; other objects
/// render field by field.
fn render_map_of_records(title: &str, key_header: &str, value: &Value, out: &mut String) -> bool {
    let Value::Object(map) = value else {
        return false;
    };
    if !all_objects(map.values()) {
        return false;
    }
    let records: Vec<(String, &Value)> = map.iter().map(|(k, v)| (k.clone(), v)).collect();
    section(out, title);
    out.push_str(&records_table(Some(key_header), &records).render());
    true
}

/// Renders any report as aligned tables (see the module docs).
pub fn report_text(value: &Value) -> String {
    let mut out = String::new();
    if let Value::Object(map) = value {
        // Maps whose values are all records read best as one table keyed by the map key.
        let mut rest = serde_json::Map::new();
        let mut maps = Vec::new();
        for (key, child) in map {
            match child {
                Value::Object(inner)
                    if inner.len() > 1
                        && all_objects(inner.values())
                        && inner.values().all(|v| v.as_object().is_some_and(|o| o.len() > 1)) =>
                {
                    maps.push((key.clone(), child));
                }
                _ => {
                    rest.insert(key.clone(), child.clone());
                }
            }
        }
        render_into("", &Value::Object(rest), &mut out);
        for (key, child) in maps {
            render_map_of_records(&key, "key", child, &mut out);
        }
    } else {
        render_into("", value, &mut out);
    }
    out
}

#[cfg(test)]
mod tests;

/// `study run` in text: where the outputs are, then the ranking, as aligned tables.
pub fn run_summary_text(summary: &atomplan_report::RunSummary) -> String {
    let dir_of = |paths: &[std::path::PathBuf]| {
        paths
            .first()
            .and_then(|p| p.parent())
            .map_or_else(String::new, |p| p.display().to_string())
    };
    let count_ext = |ext: &str| {
        summary
            .charts
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == ext))
            .count()
    };
    let mut outputs = TextTable::new(&["output", "where"]);
    outputs.row(vec![
        "report".to_owned(),
        summary.report.display().to_string(),
    ]);
    outputs.row(vec![
        "database".to_owned(),
        summary.database.display().to_string(),
    ]);
    outputs.row(vec![
        format!("{} CSV tables", summary.csv.len()),
        dir_of(&summary.csv),
    ]);
    outputs.row(vec![
        format!("{} Parquet tables", summary.parquet.len()),
        dir_of(&summary.parquet),
    ]);
    outputs.row(vec![
        format!("{} charts (SVG) + {} PNG", count_ext("svg"), count_ext("png")),
        dir_of(&summary.charts),
    ]);
    let mut out = outputs.render();
    let mut ranking = TextTable::new(&["rank", "candidate (MCDA)"]);
    for (idx, candidate) in summary.ranking.iter().enumerate() {
        ranking.row(vec![(idx + 1).to_string(), candidate.clone()]);
    }
    out.push('\n');
    out.push_str(&ranking.render());
    out.push_str(&format!(
        "\nstages computed {}, reused {}; total {:.1} s\n",
        summary.stages_computed.len(),
        summary.stages_reused.len(),
        summary.total_s
    ));
    out
}
