//! The study editor's form: the main fields of a study read from its TOML, and one field at a
//! time written back into the TOML with `toml_edit`, so comments, order and layout survive.
//!
//! The form checks nothing about the values beyond their type (a number where a number
//! belongs): the study is then checked by `/api/v1/studies/check`, as the TOML editor is, and
//! the errors are shown at the form's fields by their `field` path.

use serde::Serialize;
use serde_json::Value;
use toml_edit::{DocumentMut, Item, TableLike};

use crate::ApiError;

/// How a field is read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Kind {
    Text,
    Integer,
    Number,
    Boolean,
    /// A list of years, shown as `2035, 2045`.
    IntegerList,
}

/// One editable key: where it lives, how it is shown, and whether it may be absent.
struct Spec {
    key: &'static str,
    label: &'static str,
    kind: Kind,
    /// Absent means the documented default (docs/study-file.md); an empty input removes it.
    optional: bool,
    hint: &'static str,
}

const fn spec(
    key: &'static str,
    label: &'static str,
    kind: Kind,
    optional: bool,
    hint: &'static str,
) -> Spec {
    Spec {
        key,
        label,
        kind,
        optional,
        hint,
    }
}

/// Keys of the top level (`""`) and of the `[horizon]`, `[options]` and `[policy]` tables.
const TABLE_FIELDS: [(&str, &[Spec]); 4] = [
    (
        "",
        &[
            spec("title", "Title", Kind::Text, false, ""),
            spec("country", "Country code", Kind::Text, false, "e.g. MN, KZ"),
        ],
    ),
    (
        "horizon",
        &[
            spec(
                "base_year",
                "Base year",
                Kind::Integer,
                false,
                "1990 to 2100",
            ),
            spec(
                "periods",
                "Periods",
                Kind::IntegerList,
                false,
                "first year of each period, e.g. 2035, 2045",
            ),
        ],
    ),
    (
        "options",
        &[
            spec(
                "discount_rate",
                "Discount rate",
                Kind::Number,
                true,
                "real, e.g. 0.05 (default)",
            ),
            spec(
                "representative_days",
                "Representative days",
                Kind::Integer,
                true,
                "1 to 365 (default 8)",
            ),
            spec(
                "monte_carlo_samples",
                "Monte Carlo samples",
                Kind::Integer,
                true,
                "default 1000",
            ),
            spec(
                "adequacy_samples",
                "Adequacy samples",
                Kind::Integer,
                true,
                "default 200",
            ),
            spec("seed", "Seed", Kind::Integer, true, "default 42"),
        ],
    ),
    (
        "policy",
        &[
            spec(
                "lole_standard_h",
                "LOLE standard (h/yr)",
                Kind::Number,
                true,
                "> 0 (default 3)",
            ),
            spec(
                "reserve_margin",
                "Reserve margin",
                Kind::Number,
                true,
                "0 to 1 (default 0.15)",
            ),
        ],
    ),
];

/// Keys of each `[[candidates]]` and each `[[scenarios]]` entry.
const ARRAY_FIELDS: [(&str, &[Spec]); 2] = [
    (
        "candidates",
        &[
            spec("id", "Id", Kind::Text, false, ""),
            spec("design", "Design", Kind::Text, false, "catalogue design id"),
            spec("max_units", "Max units", Kind::Integer, true, "default 4"),
            spec(
                "earliest_year",
                "Earliest year",
                Kind::Integer,
                true,
                "default base year + 10",
            ),
            spec(
                "overnight_cost_usd_per_kwe",
                "Overnight cost (USD/kWe)",
                Kind::Number,
                true,
                "empty: the catalogue's central cost",
            ),
        ],
    ),
    (
        "scenarios",
        &[
            spec("name", "Name", Kind::Text, false, ""),
            spec(
                "co2_cap",
                "CO2 cap",
                Kind::Boolean,
                true,
                "apply [policy].co2_cap_mt",
            ),
            spec(
                "coal_phase_out_year",
                "Coal phase-out year",
                Kind::Integer,
                true,
                "empty: none",
            ),
        ],
    ),
];

/// A field as the form shows it.
#[derive(Debug, Serialize)]
pub(crate) struct FormField {
    /// The dotted path diagnostics use, e.g. `candidates[1].overnight_cost_usd_per_kwe`.
    pub field: String,
    /// `study`, `horizon`, `options`, `policy`, `candidates[1]`, `scenarios[0]`.
    pub group: String,
    pub label: &'static str,
    pub kind: Kind,
    pub optional: bool,
    pub hint: &'static str,
    /// The value in the TOML (a string, number, boolean or list), or `null` when absent.
    pub value: Value,
}

fn parse(text: &str) -> Result<DocumentMut, ApiError> {
    text.parse::<DocumentMut>().map_err(|error| {
        ApiError::bad_request(format!(
            "the study is not valid TOML, so the form cannot read it: {}",
            error.to_string().trim()
        ))
        .with_field("toml")
    })
}

fn value_json(item: Option<&Item>) -> Value {
    let Some(value) = item.and_then(Item::as_value) else {
        return Value::Null;
    };
    match value {
        toml_edit::Value::String(s) => Value::from(s.value().as_str()),
        toml_edit::Value::Integer(i) => Value::from(*i.value()),
        toml_edit::Value::Float(f) => {
            serde_json::Number::from_f64(*f.value()).map_or(Value::Null, Value::Number)
        }
        toml_edit::Value::Boolean(b) => Value::from(*b.value()),
        toml_edit::Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| match v {
                    toml_edit::Value::Integer(i) => Value::from(*i.value()),
                    other => Value::from(other.to_string().trim()),
                })
                .collect(),
        ),
        other => Value::from(other.to_string().trim()),
    }
}

/// The entries of an array of tables (`[[candidates]]`) or of an inline array of tables.
fn entries<'a>(doc: &'a DocumentMut, key: &str) -> Vec<Option<&'a dyn TableLike>> {
    match doc.get(key) {
        Some(Item::ArrayOfTables(array)) => {
            array.iter().map(|t| Some(t as &dyn TableLike)).collect()
        }
        Some(Item::Value(toml_edit::Value::Array(array))) => array
            .iter()
            .map(|v| v.as_inline_table().map(|t| t as &dyn TableLike))
            .collect(),
        _ => Vec::new(),
    }
}

/// The form of a study: its main fields with their values.
///
/// # Errors
/// 400 when the text is not TOML.
pub(crate) fn fields(text: &str) -> Result<Vec<FormField>, ApiError> {
    let doc = parse(text)?;
    let mut out = Vec::new();
    for (table, specs) in TABLE_FIELDS {
        let container: Option<&dyn TableLike> = if table.is_empty() {
            Some(doc.as_table())
        } else {
            doc.get(table).and_then(Item::as_table_like)
        };
        for spec in specs {
            out.push(FormField {
                field: if table.is_empty() {
                    spec.key.to_owned()
                } else {
                    format!("{table}.{}", spec.key)
                },
                group: if table.is_empty() { "study" } else { table }.to_owned(),
                label: spec.label,
                kind: spec.kind,
                optional: spec.optional,
                hint: spec.hint,
                value: value_json(container.and_then(|t| t.get(spec.key))),
            });
        }
    }
    for (array, specs) in ARRAY_FIELDS {
        for (idx, entry) in entries(&doc, array).into_iter().enumerate() {
            for spec in specs {
                out.push(FormField {
                    field: format!("{array}[{idx}].{}", spec.key),
                    group: format!("{array}[{idx}]"),
                    label: spec.label,
                    kind: spec.kind,
                    optional: spec.optional,
                    hint: spec.hint,
                    value: value_json(entry.and_then(|t| t.get(spec.key))),
                });
            }
        }
    }
    Ok(out)
}

/// Where a field path points: a table key, or a key of the `idx`-th entry of an array.
enum Target<'a> {
    Table(&'static str, &'a Spec),
    Entry(&'static str, usize, &'a Spec),
}

fn target(field: &str) -> Option<Target<'static>> {
    let (head, key) = match field.rsplit_once('.') {
        Some((head, key)) => (head, key),
        None => ("", field),
    };
    for (table, specs) in &TABLE_FIELDS {
        if *table == head {
            return specs
                .iter()
                .find(|s| s.key == key)
                .map(|s| Target::Table(table, s));
        }
    }
    let (array, idx) = head.strip_suffix(']')?.split_once('[')?;
    let idx: usize = idx.parse().ok()?;
    let (array, specs) = ARRAY_FIELDS.iter().find(|(name, _)| *name == array)?;
    specs
        .iter()
        .find(|s| s.key == key)
        .map(|s| Target::Entry(array, idx, s))
}

/// The TOML value of a form input, by the field's kind; `None` removes an optional key.
fn typed_value(
    field: &str,
    spec: &Spec,
    value: &Value,
) -> Result<Option<toml_edit::Value>, ApiError> {
    let bad = |what: &str| {
        ApiError::bad_request(format!("`{field}` must be {what}, got {value}")).with_field(field)
    };
    let text = match value {
        Value::String(s) => Some(s.trim()),
        _ => None,
    };
    if value.is_null() || text == Some("") {
        if spec.optional {
            return Ok(None);
        }
        return Err(ApiError::bad_request(format!("`{field}` is required")).with_field(field));
    }
    let typed = match spec.kind {
        Kind::Text => toml_edit::Value::from(text.ok_or_else(|| bad("text"))?),
        Kind::Integer => {
            let number = match value {
                Value::Number(n) => n.as_i64(),
                _ => text.and_then(|t| t.parse::<i64>().ok()),
            };
            toml_edit::Value::from(number.ok_or_else(|| bad("a whole number"))?)
        }
        Kind::Number => {
            let number = match value {
                Value::Number(n) => n.as_f64(),
                _ => text.and_then(|t| t.parse::<f64>().ok()),
            };
            let number = number
                .filter(|x| x.is_finite())
                .ok_or_else(|| bad("a number"))?;
            toml_edit::Value::from(number)
        }
        Kind::Boolean => {
            let flag = match value {
                Value::Bool(b) => Some(*b),
                _ => match text {
                    Some("true") => Some(true),
                    Some("false") => Some(false),
                    _ => None,
                },
            };
            toml_edit::Value::from(flag.ok_or_else(|| bad("true or false"))?)
        }
        Kind::IntegerList => {
            let numbers: Option<Vec<i64>> = match value {
                Value::Array(items) => items.iter().map(Value::as_i64).collect(),
                _ => text.and_then(|t| {
                    t.split(|c: char| c == ',' || c.is_whitespace())
                        .filter(|part| !part.is_empty())
                        .map(|part| part.parse::<i64>().ok())
                        .collect()
                }),
            };
            let numbers = numbers
                .filter(|n| !n.is_empty())
                .ok_or_else(|| bad("a list of years such as 2035, 2045"))?;
            toml_edit::Value::Array(numbers.into_iter().collect())
        }
    };
    Ok(Some(typed))
}

/// Sets (or removes) `key` in `table`, keeping the spacing and comment around an existing value.
fn put(table: &mut dyn TableLike, key: &str, value: Option<toml_edit::Value>) {
    let Some(mut value) = value else {
        table.remove(key);
        return;
    };
    match table.get_mut(key) {
        Some(Item::Value(old)) => {
            *value.decor_mut() = old.decor().clone();
            *old = value;
        }
        Some(item) => *item = Item::Value(value),
        None => {
            // A fresh value gets the usual ` = value` spacing.
            value.decor_mut().clear();
            table.insert(key, Item::Value(value));
        }
    }
}

/// The study text with one field of the form set to `value` (`null` or `""` removes an
/// optional field).
///
/// # Errors
/// 400 naming `toml` when the text is not TOML, `field` when the field is not on the form, and
/// the field itself when the value has the wrong type or the entry does not exist.
pub(crate) fn edit(text: &str, field: &str, value: &Value) -> Result<String, ApiError> {
    let mut doc = parse(text)?;
    let not_on_form = || {
        ApiError::bad_request(format!(
            "`{}` is not a field of the form; edit it in the TOML",
            field.escape_default()
        ))
        .with_field("field")
    };
    match target(field).ok_or_else(not_on_form)? {
        Target::Table(table, spec) => {
            let value = typed_value(field, spec, value)?;
            let container: &mut dyn TableLike = if table.is_empty() {
                doc.as_table_mut()
            } else {
                if doc.get(table).is_none() {
                    if value.is_none() {
                        return Ok(doc.to_string());
                    }
                    doc.insert(table, Item::Table(toml_edit::Table::new()));
                }
                doc.get_mut(table)
                    .and_then(Item::as_table_like_mut)
                    .ok_or_else(|| {
                        ApiError::bad_request(format!("`{table}` is not a table")).with_field(field)
                    })?
            };
            put(container, spec.key, value);
        }
        Target::Entry(array, idx, spec) => {
            let value = typed_value(field, spec, value)?;
            let missing = || {
                ApiError::bad_request(format!("the study has no `{array}[{idx}]`"))
                    .with_field(field)
            };
            let entry: &mut dyn TableLike = match doc.get_mut(array) {
                Some(Item::ArrayOfTables(tables)) => {
                    tables.get_mut(idx).map(|t| t as &mut dyn TableLike)
                }
                Some(Item::Value(toml_edit::Value::Array(items))) => items
                    .get_mut(idx)
                    .and_then(toml_edit::Value::as_inline_table_mut)
                    .map(|t| t as &mut dyn TableLike),
                _ => None,
            }
            .ok_or_else(missing)?;
            put(entry, spec.key, value);
        }
    }
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{edit, fields};

    const STUDY: &str = "# A comment that must survive.\ntitle = \"T\" # trailing\ncountry = \"MN\"\n\n[horizon]\nbase_year = 2023\nperiods = [2035, 2045]\n\n[[candidates]]\nid = \"a\"\ndesign = \"acp100\"\nmax_units = 2 # at most two\n\n[options]\nseed = 7\n";

    #[test]
    fn fields_read_the_values_and_absent_ones_are_null() {
        let form = fields(STUDY).unwrap();
        let get = |name: &str| form.iter().find(|f| f.field == name).unwrap().value.clone();
        assert_eq!(get("title"), json!("T"));
        assert_eq!(get("horizon.periods"), json!([2035, 2045]));
        assert_eq!(get("candidates[0].max_units"), json!(2));
        assert_eq!(get("candidates[0].overnight_cost_usd_per_kwe"), json!(null));
        assert_eq!(get("options.discount_rate"), json!(null));
        assert!(!form.iter().any(|f| f.field.starts_with("candidates[1]")));
    }

    #[test]
    fn an_edit_changes_one_value_and_keeps_comments() {
        let out = edit(STUDY, "candidates[0].max_units", &json!("3")).unwrap();
        assert_eq!(
            out,
            STUDY.replace("max_units = 2 # at most two", "max_units = 3 # at most two")
        );
        let out = edit(STUDY, "options.discount_rate", &json!("0.07")).unwrap();
        assert_eq!(
            out,
            STUDY.replace("seed = 7\n", "seed = 7\ndiscount_rate = 0.07\n")
        );
        let out = edit(STUDY, "horizon.periods", &json!("2040, 2050")).unwrap();
        assert!(out.contains("periods = [2040, 2050]\n"), "{out}");
        let out = edit(STUDY, "policy.lole_standard_h", &json!(2.5)).unwrap();
        assert!(out.ends_with("[policy]\nlole_standard_h = 2.5\n"), "{out}");
        let out = edit(STUDY, "options.seed", &json!("")).unwrap();
        assert!(!out.contains("seed"), "{out}");
        assert!(out.starts_with("# A comment that must survive.\ntitle = \"T\" # trailing\n"));
    }

    #[test]
    fn bad_edits_name_the_field() {
        let error = edit(STUDY, "options.discount_rate", &json!("abc")).unwrap_err();
        assert_eq!(error.status, 400);
        assert_eq!(error.field.as_deref(), Some("options.discount_rate"));
        assert!(error.message.contains("a number"), "{}", error.message);
        let error = edit(STUDY, "title", &json!("")).unwrap_err();
        assert_eq!(error.field.as_deref(), Some("title"));
        let error = edit(STUDY, "candidates[4].max_units", &json!(1)).unwrap_err();
        assert_eq!(error.field.as_deref(), Some("candidates[4].max_units"));
        let error = edit(STUDY, "profiles.load_csv", &json!("x.csv")).unwrap_err();
        assert_eq!(error.field.as_deref(), Some("field"));
        let error = edit("title = ", "title", &json!("x")).unwrap_err();
        assert_eq!(error.field.as_deref(), Some("toml"));
    }
}
