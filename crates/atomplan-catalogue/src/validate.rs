//! Reading files into field entries, and the consistency checks, one function per concern.
//!
//! A file is first decoded (UTF-8) and parsed (TOML with spans, or CSV with line numbers)
//! into a flat list of [`Entry`]s, each knowing its field path, line and column and the row
//! of the field table that describes it. The `check_*` functions then look at those entries
//! and return diagnostics; none of them stops at the first problem.

use std::collections::{BTreeMap, BTreeSet};

use atomplan_core::{Diagnostic, Location};

use crate::date::PartialDate;
use crate::fields::{fields_of, lookup, FieldSpec, FileKind, Kind, Range};

/// A parsed scalar or container.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    List(Vec<Val>),
    Table,
    /// A TOML value of a kind the catalogue never uses (a native datetime, nested arrays).
    Other(&'static str),
}

impl Val {
    fn type_name(&self) -> &'static str {
        match self {
            Val::Str(_) => "string",
            Val::Int(_) => "integer",
            Val::Float(_) => "number",
            Val::Bool(_) => "boolean",
            Val::List(_) => "array",
            Val::Table => "table",
            Val::Other(name) => name,
        }
    }
    pub(crate) fn as_f64(&self) -> Option<f64> {
        match self {
            Val::Int(i) => Some(*i as f64),
            Val::Float(f) => Some(*f),
            _ => None,
        }
    }
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Val::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// One field occurrence in a file.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// Normalised path, `alternatives[].value`.
    pub path: String,
    /// Path with indices, `alternatives[1].value`; for CSV the column name.
    pub display: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub value: Val,
    /// Expected kind and range, from the field table (or from the parent for estimates).
    pub kind: Option<Kind>,
    pub range: Option<Range>,
    pub spec: Option<&'static FieldSpec>,
    /// An element of an array of tables: described by its array's spec, not by its own.
    pub element: bool,
    /// CSV row index (0-based, data rows), `None` for TOML.
    pub row: Option<usize>,
}

/// A decoded and parsed file.
#[derive(Debug, Clone)]
pub(crate) struct ParsedFile {
    /// Path as shown to the user.
    pub display_path: String,
    /// Path relative to the catalogue directory.
    pub rel_path: String,
    pub kind: FileKind,
    pub text: String,
    pub entries: Vec<Entry>,
    /// False when the file could not be decoded or parsed at all.
    pub parsed: bool,
}

impl ParsedFile {
    pub(crate) fn location(&self, entry: &Entry) -> Location {
        let mut location = Location::file(&self.display_path).with_field(&entry.display);
        if let Some(line) = entry.line {
            location = location.with_line(line);
            if let Some(column) = entry.column {
                location = location.with_column(column);
            }
        }
        location
    }
    pub(crate) fn get(&self, display: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.display == display)
    }
    pub(crate) fn stem(&self) -> &str {
        let name = self.rel_path.rsplit('/').next().unwrap_or(&self.rel_path);
        name.rsplit_once('.').map_or(name, |(stem, _)| stem)
    }
}

/// Byte offsets of line starts, to turn spans into line and column (both 1-based).
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }
    fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let line_idx = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.starts.get(line_idx).copied().unwrap_or(0);
        let end = offset.min(text.len());
        let column = text.get(start..end).map_or(1, |s| s.chars().count() + 1);
        (line_idx + 1, column)
    }
}

/// The key written at the start of a line (`key = ...`), to name the field of a syntax error.
fn key_on_line(text: &str, line: usize) -> Option<String> {
    let content = text.lines().nth(line.checked_sub(1)?)?;
    let (key, _) = content.split_once('=')?;
    let key = key.trim().trim_matches('"');
    (!key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'))
    .then(|| key.to_owned())
}

/// Decodes bytes as UTF-8 or reports where the first invalid byte is.
// A decoding failure is rare and reported once per file; boxing it would only add noise.
#[allow(clippy::result_large_err)]
pub(crate) fn decode(display_path: &str, bytes: &[u8]) -> Result<String, Diagnostic> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.trim_start_matches('\u{feff}').to_owned()),
        Err(error) => {
            let valid = &bytes[..error.valid_up_to()];
            let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
            let line_start = valid.iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1);
            let column = String::from_utf8_lossy(&valid[line_start..])
                .chars()
                .count()
                + 1;
            let lossy = String::from_utf8_lossy(bytes);
            let mut location = Location::file(display_path)
                .with_line(line)
                .with_column(column);
            if let Some(key) = key_on_line(&lossy, line) {
                location = location.with_field(key);
            }
            Err(Diagnostic::error(
                location,
                format!(
                    "file is not valid UTF-8 (invalid byte at offset {})",
                    error.valid_up_to()
                ),
            )
            .with_hint("save the file as UTF-8"))
        }
    }
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}.{key}")
    }
}

struct TomlWalker<'a> {
    file: FileKind,
    text: &'a str,
    index: LineIndex,
    out: Vec<Entry>,
}

impl TomlWalker<'_> {
    fn pos(&self, span: Option<std::ops::Range<usize>>) -> (Option<usize>, Option<usize>) {
        match span {
            Some(span) => {
                let (line, column) = self.index.position(self.text, span.start);
                (Some(line), Some(column))
            }
            None => (None, None),
        }
    }

    fn push(
        &mut self,
        path: String,
        display: String,
        span: Option<std::ops::Range<usize>>,
        value: Val,
        element: bool,
    ) -> usize {
        let spec = if element {
            None
        } else {
            lookup(self.file, &path)
        };
        let (line, column) = self.pos(span);
        self.out.push(Entry {
            kind: spec.map(|s| s.kind),
            range: spec.and_then(|s| s.range),
            spec,
            path,
            display,
            line,
            column,
            value,
            element,
            row: None,
        });
        self.out.len() - 1
    }

    fn table(&mut self, table: &toml_edit::Table, norm: &str, disp: &str) {
        for (key, item) in table.iter() {
            let key_span = table.key(key).and_then(toml_edit::Key::span);
            let path = join(norm, key);
            let display = join(disp, key);
            match item {
                toml_edit::Item::None => {}
                toml_edit::Item::Value(value) => self.value(value, path, display, key_span),
                toml_edit::Item::Table(inner) => {
                    self.push(
                        path.clone(),
                        display.clone(),
                        key_span.or_else(|| inner.span()),
                        Val::Table,
                        false,
                    );
                    self.table(inner, &path, &display);
                }
                toml_edit::Item::ArrayOfTables(array) => {
                    self.push(
                        path.clone(),
                        display.clone(),
                        key_span.or_else(|| array.span()),
                        Val::List(Vec::new()),
                        false,
                    );
                    for (i, inner) in array.iter().enumerate() {
                        let element_path = format!("{path}[]");
                        let element_display = format!("{display}[{i}]");
                        self.push(
                            element_path.clone(),
                            element_display.clone(),
                            inner.span(),
                            Val::Table,
                            true,
                        );
                        self.table(inner, &element_path, &element_display);
                    }
                }
            }
        }
    }

    fn scalar(value: &toml_edit::Value) -> Val {
        match value {
            toml_edit::Value::String(s) => Val::Str(s.value().clone()),
            toml_edit::Value::Integer(i) => Val::Int(*i.value()),
            toml_edit::Value::Float(f) => Val::Float(*f.value()),
            toml_edit::Value::Boolean(b) => Val::Bool(*b.value()),
            toml_edit::Value::Datetime(_) => Val::Other("datetime"),
            toml_edit::Value::Array(array) => Val::List(array.iter().map(Self::scalar).collect()),
            toml_edit::Value::InlineTable(_) => Val::Table,
        }
    }

    fn value(
        &mut self,
        value: &toml_edit::Value,
        path: String,
        display: String,
        key_span: Option<std::ops::Range<usize>>,
    ) {
        let span = key_span.or_else(|| value.span());
        let index = self.push(
            path.clone(),
            display.clone(),
            span,
            Self::scalar(value),
            false,
        );
        if let toml_edit::Value::InlineTable(inline) = value {
            let parent_kind = self.out[index].kind;
            let parent_range = self.out[index].range;
            for (key, inner) in inline.iter() {
                let inner_span = inline.key(key).and_then(toml_edit::Key::span);
                let child_path = join(&path, key);
                let child_display = join(&display, key);
                if parent_kind == Some(Kind::Estimate) {
                    let known = matches!(key, "low" | "central" | "high");
                    let (line, column) = self.pos(inner_span.or_else(|| inner.span()));
                    self.out.push(Entry {
                        path: child_path,
                        display: child_display,
                        line,
                        column,
                        value: Self::scalar(inner),
                        kind: known.then_some(Kind::Float),
                        range: parent_range,
                        spec: if known { self.out[index].spec } else { None },
                        element: false,
                        row: None,
                    });
                } else {
                    self.value(inner, child_path, child_display, inner_span);
                }
            }
        }
    }
}

/// Parses a TOML file into entries; a syntax error becomes one diagnostic.
pub(crate) fn parse_toml(
    display_path: &str,
    rel_path: &str,
    kind: FileKind,
    text: String,
    diagnostics: &mut Vec<Diagnostic>,
) -> ParsedFile {
    let mut file = ParsedFile {
        display_path: display_path.to_owned(),
        rel_path: rel_path.to_owned(),
        kind,
        text: String::new(),
        entries: Vec::new(),
        parsed: false,
    };
    match toml_edit::ImDocument::parse(text.as_str()) {
        Ok(document) => {
            let mut walker = TomlWalker {
                file: kind,
                text: &text,
                index: LineIndex::new(&text),
                out: Vec::new(),
            };
            walker.table(document.as_table(), "", "");
            file.entries = walker.out;
            file.parsed = true;
        }
        Err(error) => {
            let mut location = Location::file(display_path);
            if let Some(span) = error.span() {
                let (line, column) = LineIndex::new(&text).position(&text, span.start);
                location = location.with_line(line).with_column(column);
                if let Some(key) = key_on_line(&text, line)
                    .or_else(|| line.checked_sub(1).and_then(|l| key_on_line(&text, l)))
                {
                    location = location.with_field(key);
                }
            }
            let message = error
                .message()
                .lines()
                .next()
                .unwrap_or("invalid TOML")
                .trim()
                .to_owned();
            diagnostics.push(
                Diagnostic::error(location, format!("invalid TOML: {message}"))
                    .with_hint("check quotes, brackets and `key = value` syntax near this position (the file may be truncated)"),
            );
        }
    }
    file.text = text;
    file
}

fn convert_cell(kind: Kind, cell: &str) -> Val {
    match kind {
        Kind::Int => cell
            .parse::<i64>()
            .map_or_else(|_| Val::Str(cell.to_owned()), Val::Int),
        Kind::Float => cell
            .parse::<f64>()
            .map_or_else(|_| Val::Str(cell.to_owned()), Val::Float),
        Kind::Bool => match cell {
            "true" => Val::Bool(true),
            "false" => Val::Bool(false),
            _ => Val::Str(cell.to_owned()),
        },
        Kind::SourceRefs | Kind::DesignRefs | Kind::StrList => Val::List(
            cell.split_whitespace()
                .map(|s| Val::Str(s.to_owned()))
                .collect(),
        ),
        _ => Val::Str(cell.to_owned()),
    }
}

/// Parses a CSV file with a header row into entries (one per non-empty cell).
pub(crate) fn parse_csv(
    display_path: &str,
    rel_path: &str,
    kind: FileKind,
    text: String,
    diagnostics: &mut Vec<Diagnostic>,
) -> ParsedFile {
    let mut file = ParsedFile {
        display_path: display_path.to_owned(),
        rel_path: rel_path.to_owned(),
        kind,
        text: String::new(),
        entries: Vec::new(),
        parsed: false,
    };
    let expected: Vec<&'static str> = fields_of(kind).map(|s| s.path).collect();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_owned()).collect(),
        Err(error) => {
            diagnostics.push(Diagnostic::error(
                Location::file(display_path)
                    .with_line(1)
                    .with_field(expected.first().copied().unwrap_or("")),
                format!("cannot read the CSV header: {error}"),
            ));
            file.text = text;
            return file;
        }
    };
    if header.iter().all(String::is_empty) {
        diagnostics.push(
            Diagnostic::error(
                Location::file(display_path)
                    .with_line(1)
                    .with_field(expected.first().copied().unwrap_or("")),
                "file is empty: the CSV header is missing",
            )
            .with_hint(format!("the first line must be `{}`", expected.join(","))),
        );
        file.text = text;
        return file;
    }
    for (column_idx, name) in header.iter().enumerate() {
        if lookup(kind, name).is_none() {
            diagnostics.push(
                Diagnostic::error(
                    Location::file(display_path)
                        .with_line(1)
                        .with_column(column_idx + 1)
                        .with_field(name),
                    format!("unknown column `{name}`"),
                )
                .with_hint(suggest(name, &expected)),
            );
        }
    }
    for spec in fields_of(kind) {
        if spec.required && !header.iter().any(|h| h == spec.path) {
            diagnostics.push(Diagnostic::error(
                Location::file(display_path)
                    .with_line(1)
                    .with_field(spec.path),
                format!("missing required column `{}`", spec.path),
            ));
        }
    }
    for (row_idx, record) in reader.records().enumerate() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map(|p| p.line() as usize);
                let mut location = Location::file(display_path)
                    .with_field(header.first().cloned().unwrap_or_default());
                if let Some(line) = line {
                    location = location.with_line(line);
                }
                diagnostics.push(Diagnostic::error(
                    location,
                    format!("cannot read CSV row: {error}"),
                ));
                continue;
            }
        };
        let line = record.position().map(|p| p.line() as usize);
        if record.len() != header.len() {
            let missing = header
                .get(record.len())
                .cloned()
                .unwrap_or_else(|| "(extra field)".to_owned());
            let mut location = Location::file(display_path).with_field(missing);
            if let Some(line) = line {
                location = location.with_line(line);
            }
            diagnostics.push(
                Diagnostic::error(
                    location,
                    format!(
                        "row has {} fields but the header has {}",
                        record.len(),
                        header.len()
                    ),
                )
                .with_hint("quote values that contain commas; the file may be truncated"),
            );
            continue;
        }
        for (column_idx, (name, cell)) in header.iter().zip(record.iter()).enumerate() {
            let cell = cell.trim();
            let Some(spec) = lookup(kind, name) else {
                continue;
            };
            if cell.is_empty() {
                continue;
            }
            file.entries.push(Entry {
                path: name.clone(),
                display: name.clone(),
                line,
                column: Some(column_idx + 1),
                value: convert_cell(spec.kind, cell),
                kind: Some(spec.kind),
                range: spec.range,
                spec: Some(spec),
                element: false,
                row: Some(row_idx),
            });
        }
        // Mark the row itself so required-cell checks know it exists.
        file.entries.push(Entry {
            path: String::new(),
            display: String::new(),
            line,
            column: None,
            value: Val::Table,
            kind: None,
            range: None,
            spec: None,
            element: true,
            row: Some(row_idx),
        });
    }
    file.parsed = true;
    file.text = text;
    file
}

/// `hint` naming the closest known names.
pub(crate) fn suggest(name: &str, known: &[&str]) -> String {
    let mut scored: Vec<(f64, &str)> = known
        .iter()
        .map(|k| (strsim::jaro_winkler(name, k), *k))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let close: Vec<String> = scored
        .iter()
        .take(3)
        .filter(|(score, _)| *score > 0.7)
        .map(|(_, k)| format!("`{k}`"))
        .collect();
    if close.is_empty() {
        format!(
            "expected one of: {}",
            known
                .iter()
                .take(12)
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else {
        format!("did you mean {}?", close.join(" or "))
    }
}

// ---------------------------------------------------------------------------------------------
// Checks, one per concern.
// ---------------------------------------------------------------------------------------------

/// Fields that the field table does not know.
pub(crate) fn check_unknown_fields(file: &ParsedFile) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for entry in &file.entries {
        if entry.element || entry.kind.is_some() || entry.row.is_some() {
            continue;
        }
        let parent = entry.path.rsplit_once('.').map_or("", |(p, _)| p);
        let siblings: Vec<&str> = fields_of(file.kind)
            .filter(|s| s.path.rsplit_once('.').map_or("", |(p, _)| p) == parent)
            .map(|s| s.path.rsplit_once('.').map_or(s.path, |(_, k)| k))
            .collect();
        if let Some(parent_entry) = file.get(entry.display.rsplit_once('.').map_or("", |(p, _)| p))
        {
            if parent_entry.kind.is_none() && !parent_entry.element {
                // The parent is itself unknown and already reported.
                continue;
            }
        }
        let siblings = if siblings.is_empty()
            && !parent.ends_with(']')
            && file.get(parent).and_then(|p| p.kind) == Some(Kind::Estimate)
        {
            vec!["low", "central", "high"]
        } else {
            siblings
        };
        let name = entry
            .path
            .rsplit_once('.')
            .map_or(entry.path.as_str(), |(_, k)| k);
        out.push(
            Diagnostic::error(
                file.location(entry),
                format!("unknown field `{}`", entry.display),
            )
            .with_hint(suggest(name, &siblings)),
        );
    }
    out
}

fn type_matches(kind: Kind, value: &Val) -> bool {
    let all_str = |items: &[Val]| items.iter().all(|v| matches!(v, Val::Str(_)));
    match (kind, value) {
        (
            Kind::Str
            | Kind::Text
            | Kind::Date
            | Kind::Enum(_)
            | Kind::SourceRef
            | Kind::DesignRef
            | Kind::FieldRef,
            Val::Str(_),
        )
        | (Kind::Int, Val::Int(_))
        | (Kind::Float, Val::Int(_) | Val::Float(_))
        | (Kind::Bool, Val::Bool(_))
        | (Kind::Estimate, Val::Int(_) | Val::Float(_) | Val::Table)
        | (Kind::Table, Val::Table)
        | (Kind::TableArray, Val::List(_)) => true,
        (Kind::StrList | Kind::SourceRefs | Kind::DesignRefs, Val::List(items)) => all_str(items),
        _ => false,
    }
}

/// Values whose type is not the one the field table says.
pub(crate) fn check_types(file: &ParsedFile) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for entry in &file.entries {
        let Some(kind) = entry.kind else { continue };
        if type_matches(kind, &entry.value) {
            continue;
        }
        let got = match &entry.value {
            Val::Str(s) if file.kind.is_csv() => format!("`{s}`"),
            other => other.type_name().to_owned(),
        };
        let mut diagnostic = Diagnostic::error(
            file.location(entry),
            format!(
                "expected {} for `{}`, got {got}",
                kind.name(),
                entry.display
            ),
        );
        if matches!(entry.value, Val::Other("datetime")) {
            diagnostic = diagnostic.with_hint("write dates as quoted strings, e.g. \"2020-05-22\"");
        } else if let Kind::Enum(values) = kind {
            diagnostic = diagnostic.with_hint(format!("one of {}", values.join(", ")));
        }
        out.push(diagnostic);
    }
    out
}

/// Numbers outside their allowed range (this also catches NaN and infinities).
pub(crate) fn check_ranges(file: &ParsedFile) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for entry in &file.entries {
        let (Some(range), Some(value)) = (entry.range, entry.value.as_f64()) else {
            continue;
        };
        if range.contains(value) {
            continue;
        }
        let unit = entry.spec.map_or("", |s| s.unit);
        out.push(
            Diagnostic::error(
                file.location(entry),
                format!(
                    "`{}` = {value} is out of range {range} {unit}",
                    entry.display
                )
                .trim_end()
                .to_owned(),
            )
            .with_hint(
                entry
                    .spec
                    .map_or_else(String::new, |s| format!("{}: {}", s.path, s.description)),
            ),
        );
    }
    out
}

/// Enum values not in their list.
pub(crate) fn check_enums(file: &ParsedFile) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for entry in &file.entries {
        let (Some(Kind::Enum(values)), Some(value)) = (entry.kind, entry.value.as_str()) else {
            continue;
        };
        if !values.contains(&value) {
            out.push(
                Diagnostic::error(
                    file.location(entry),
                    format!("`{}` = `{value}` is not allowed", entry.display),
                )
                .with_hint(format!("use one of {}", values.join(", "))),
            );
        }
    }
    out
}

/// Required fields that are missing, in every record and sub-table that exists.
pub(crate) fn check_required(file: &ParsedFile) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if file.kind.is_csv() {
        // Rows: every required column must have a value.
        let rows: BTreeSet<usize> = file.entries.iter().filter_map(|e| e.row).collect();
        for row in rows {
            let marker = file
                .entries
                .iter()
                .find(|e| e.row == Some(row) && e.element);
            for spec in fields_of(file.kind).filter(|s| s.required) {
                if !file
                    .entries
                    .iter()
                    .any(|e| e.row == Some(row) && e.path == spec.path)
                {
                    let mut location = Location::file(&file.display_path).with_field(spec.path);
                    if let Some(line) = marker.and_then(|m| m.line) {
                        location = location.with_line(line);
                    }
                    out.push(Diagnostic::error(
                        location,
                        format!("missing value for required column `{}`", spec.path),
                    ));
                }
            }
        }
        return out;
    }
    for spec in fields_of(file.kind).filter(|s| s.required) {
        match spec.path.rsplit_once('.') {
            None => {
                if file.get(spec.path).is_none() {
                    out.push(
                        Diagnostic::error(
                            Location::file(&file.display_path).with_field(spec.path),
                            format!("missing required field `{}`", spec.path),
                        )
                        .with_hint(format!("{}: {}", spec.path, spec.description)),
                    );
                }
            }
            Some((parent, key)) => {
                for parent_entry in file
                    .entries
                    .iter()
                    .filter(|e| e.path == parent && matches!(e.value, Val::Table))
                {
                    let wanted = format!("{}.{key}", parent_entry.display);
                    if file.get(&wanted).is_none() {
                        let mut location = Location::file(&file.display_path).with_field(&wanted);
                        if let Some(line) = parent_entry.line {
                            location = location.with_line(line);
                        }
                        out.push(
                            Diagnostic::error(
                                location,
                                format!("missing required field `{wanted}`"),
                            )
                            .with_hint(format!("{}: {}", spec.path, spec.description)),
                        );
                    }
                }
            }
        }
    }
    out
}

/// Dates that do not parse or do not exist.
pub(crate) fn check_dates(file: &ParsedFile) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for entry in &file.entries {
        let (Some(Kind::Date), Some(text)) = (entry.kind, entry.value.as_str()) else {
            continue;
        };
        if let Err(error) = PartialDate::parse(text) {
            out.push(
                Diagnostic::error(
                    file.location(entry),
                    format!("`{}`: {error}", entry.display),
                )
                .with_hint("dates are YYYY, YYYY-MM or YYYY-MM-DD"),
            );
        }
    }
    out
}

/// Low, central and high values of one record, with their entries.
type Slots<'a> = [Option<(f64, &'a Entry)>; 3];

/// `low <= central <= high` wherever a record gives more than one of them.
pub(crate) fn check_low_central_high(file: &ParsedFile) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut groups: BTreeMap<(String, Option<usize>), Slots<'_>> = BTreeMap::new();
    for entry in &file.entries {
        let Some(value) = entry.value.as_f64() else {
            continue;
        };
        let (parent, key) = entry
            .display
            .rsplit_once('.')
            .unwrap_or(("", entry.display.as_str()));
        let slot = match key {
            "low" | "low_bn" => 0,
            "central" | "central_bn" => 1,
            "high" | "high_bn" => 2,
            _ => continue,
        };
        groups.entry((parent.to_owned(), entry.row)).or_default()[slot] = Some((value, entry));
    }
    for ((parent, _), [low, central, high]) in groups {
        let pairs = [
            (low, central, "low", "central"),
            (central, high, "central", "high"),
            (low, high, "low", "high"),
        ];
        for (a, b, a_name, b_name) in pairs {
            if let (Some((a_value, _)), Some((b_value, b_entry))) = (a, b) {
                if a_value > b_value {
                    out.push(
                        Diagnostic::error(
                            file.location(b_entry),
                            format!("`{parent}`: {a_name} ({a_value}) is greater than {b_name} ({b_value})"),
                        )
                        .with_hint("estimates must satisfy low <= central <= high"),
                    );
                    break;
                }
            }
        }
    }
    out
}

/// The record's id (or code) must equal the file name.
pub(crate) fn check_id_matches_file(file: &ParsedFile) -> Vec<Diagnostic> {
    let key = match file.kind {
        FileKind::Design | FileKind::Project => "id",
        FileKind::Country => "code",
        _ => return Vec::new(),
    };
    let Some(entry) = file.get(key) else {
        return Vec::new();
    };
    let Some(value) = entry.value.as_str() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let valid = match file.kind {
        FileKind::Country => {
            crate::ids::CountryCode::new(value).is_ok()
                && value.bytes().all(|b| b.is_ascii_uppercase())
        }
        _ => crate::ids::DesignId::new(value).is_ok(),
    };
    if !valid {
        let expected = if file.kind == FileKind::Country {
            "two upper-case letters"
        } else {
            "lower-case letters, digits and `-`"
        };
        out.push(
            Diagnostic::error(
                file.location(entry),
                format!("`{key}` = `{value}` is not a valid id"),
            )
            .with_hint(format!("use {expected}")),
        );
    } else if value != file.stem() {
        out.push(
            Diagnostic::error(
                file.location(entry),
                format!(
                    "`{key}` = `{value}` does not match the file name `{}`",
                    file.stem()
                ),
            )
            .with_hint(format!(
                "rename the file to `{value}.toml` or change `{key}`"
            )),
        );
    }
    out
}

/// ISO country codes in projects.
pub(crate) fn check_country_codes(file: &ParsedFile) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if !matches!(file.kind, FileKind::Project | FileKind::Observations) {
        return out;
    }
    for entry in file.entries.iter().filter(|e| e.path == "country") {
        if let Some(value) = entry.value.as_str() {
            if value.len() != 2 || !value.bytes().all(|b| b.is_ascii_uppercase()) {
                out.push(
                    Diagnostic::error(
                        file.location(entry),
                        format!("`country` = `{value}` is not an ISO 3166 alpha-2 code"),
                    )
                    .with_hint("use two upper-case letters, e.g. TR, KZ, US"),
                );
            }
        }
    }
    out
}

/// Currency codes: three upper-case letters; a warning when no exchange rate exists.
pub(crate) fn check_currencies(file: &ParsedFile, known: &BTreeSet<String>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for entry in file.entries.iter().filter(|e| e.path.ends_with("currency")) {
        let Some(value) = entry.value.as_str() else {
            continue;
        };
        if value.len() != 3 || !value.bytes().all(|b| b.is_ascii_uppercase()) {
            out.push(
                Diagnostic::error(
                    file.location(entry),
                    format!(
                        "`{}` = `{value}` is not an ISO 4217 currency code",
                        entry.display
                    ),
                )
                .with_hint("use three upper-case letters, e.g. USD, EUR, RUB"),
            );
        } else if !known.is_empty()
            && !known.contains(value)
            && matches!(file.kind, FileKind::Design | FileKind::Project)
        {
            out.push(
                Diagnostic::warning(
                    file.location(entry),
                    format!(
                        "no exchange rate for `{value}`: amounts in it cannot be converted to USD"
                    ),
                )
                .with_hint("add rates to money/exchange-rates.csv"),
            );
        }
    }
    out
}

/// Every source id cited must exist in sources.toml.
pub(crate) fn check_source_refs(file: &ParsedFile, sources: &BTreeSet<String>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let known: Vec<&str> = sources.iter().map(String::as_str).collect();
    for entry in &file.entries {
        let ids: Vec<&str> = match (entry.kind, &entry.value) {
            (Some(Kind::SourceRef), Val::Str(s)) => vec![s.as_str()],
            (Some(Kind::SourceRefs), Val::List(items)) => {
                items.iter().filter_map(Val::as_str).collect()
            }
            _ => continue,
        };
        if entry.kind == Some(Kind::SourceRefs) && ids.is_empty() {
            out.push(
                Diagnostic::error(
                    file.location(entry),
                    format!("`{}` is empty", entry.display),
                )
                .with_hint("cite at least one id from sources.toml"),
            );
        }
        for id in ids {
            if !sources.contains(id) {
                out.push(
                    Diagnostic::error(
                        file.location(entry),
                        format!("`{}` cites unknown source `{id}`", entry.display),
                    )
                    .with_hint(format!("add it to sources.toml; {}", suggest(id, &known))),
                );
            }
        }
    }
    out
}

/// Designs and projects: every numeric field and date names the sources of its own value in
/// `[field_sources]`, and every key there names a field the file has.
pub(crate) fn check_field_sources(file: &ParsedFile) -> Vec<Diagnostic> {
    if !matches!(file.kind, FileKind::Design | FileKind::Project) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let sourced: BTreeSet<&str> = file
        .entries
        .iter()
        .filter_map(|e| e.path.strip_prefix("field_sources."))
        .collect();
    let mut present: BTreeSet<&str> = BTreeSet::new();
    for entry in &file.entries {
        let Some(spec) = entry.spec else { continue };
        if spec.path != entry.path
            || entry.path.contains("[]")
            || entry.path.starts_with("field_sources")
            || !(spec.kind.is_numeric() || spec.kind == Kind::Date)
        {
            continue;
        }
        present.insert(entry.path.as_str());
        if !sourced.contains(entry.path.as_str()) {
            out.push(
                Diagnostic::error(
                    file.location(entry),
                    format!("`{}` has no source of its own", entry.display),
                )
                .with_hint(format!(
                    "add `{} = [\"<source id>\"]` under `[field_sources]`",
                    quote_key(&entry.path)
                )),
            );
        }
    }
    for entry in file
        .entries
        .iter()
        .filter(|e| e.path.starts_with("field_sources.") && e.kind.is_some())
    {
        let field = &entry.path["field_sources.".len()..];
        if !present.contains(field) {
            let known: Vec<&str> = present.iter().copied().collect();
            out.push(
                Diagnostic::error(
                    file.location(entry),
                    format!("`field_sources` names `{field}`, which this file does not set"),
                )
                .with_hint(suggest(field, &known)),
            );
        }
    }
    out
}

fn quote_key(path: &str) -> String {
    if path.contains('.') {
        format!("\"{path}\"")
    } else {
        path.to_owned()
    }
}

/// Costs: designs give `per_kw`, projects `total_bn`; at most one `default`.
pub(crate) fn check_costs(file: &ParsedFile) -> Vec<Diagnostic> {
    if !matches!(file.kind, FileKind::Design | FileKind::Project) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let wrong = if file.kind == FileKind::Design {
        (
            "costs[].total_bn",
            "designs give `per_kw` (per kW of net capacity), not `total_bn`",
        )
    } else {
        (
            "costs[].per_kw",
            "projects give `total_bn` (whole project, billions), not `per_kw`",
        )
    };
    for entry in file.entries.iter().filter(|e| e.path == wrong.0) {
        out.push(Diagnostic::error(
            file.location(entry),
            format!("unknown field `{}`: {}", entry.display, wrong.1),
        ));
    }
    let defaults: Vec<&Entry> = file
        .entries
        .iter()
        .filter(|e| e.path == "costs[].default" && e.value == Val::Bool(true))
        .collect();
    if defaults.len() > 1 {
        for entry in &defaults[1..] {
            out.push(
                Diagnostic::error(
                    file.location(entry),
                    "more than one cost has `default = true`",
                )
                .with_hint("mark only the figure the economics engine should use"),
            );
        }
    }
    out
}

/// Hosts of wiki mirrors, blogs and aggregators: leads, not sources; a source there must be
/// marked `kind = "secondary"`.
const SECONDARY_HOSTS: &[&str] = &[
    "piglix",
    "blogspot.",
    "wordpress.",
    "lowcarbonpower",
    "wikipedia.org",
    "wikiwand",
    "wikimili",
    "dbpedia",
    "knoema",
    "ruxpert",
    "medium.com",
    "substack.com",
    "reddit.com",
];

/// Sources on wiki mirrors, blogs and aggregators must be marked secondary.
pub(crate) fn check_source_kinds(file: &ParsedFile) -> Vec<Diagnostic> {
    if file.kind != FileKind::Sources {
        return Vec::new();
    }
    let mut out = Vec::new();
    let element_count = file
        .entries
        .iter()
        .filter(|e| e.path == "source[]" && e.element)
        .count();
    for idx in 0..element_count {
        let url = file
            .get(&format!("source[{idx}].url"))
            .and_then(|e| e.value.as_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        if file.get(&format!("source[{idx}].year")).is_none() {
            if let Some(id) = file.get(&format!("source[{idx}].id")) {
                out.push(
                    Diagnostic::warning(
                        file.location(id),
                        format!(
                            "source `{}` has no publication year",
                            id.value.as_str().unwrap_or("?")
                        ),
                    )
                    .with_hint("add `year = YYYY` from the document"),
                );
            }
        }
        let Some(kind) = file.get(&format!("source[{idx}].kind")) else {
            continue;
        };
        if kind.value.as_str() == Some("primary")
            && SECONDARY_HOSTS.iter().any(|host| url.contains(host))
        {
            out.push(
                Diagnostic::error(
                    file.location(kind),
                    format!("source at `{url}` is a wiki mirror, blog or aggregator but is marked primary"),
                )
                .with_hint("find the primary source, or mark this one `kind = \"secondary\"`"),
            );
        }
    }
    out
}

/// Design references in projects must exist.
pub(crate) fn check_design_refs(file: &ParsedFile, designs: &BTreeSet<String>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let known: Vec<&str> = designs.iter().map(String::as_str).collect();
    for entry in &file.entries {
        let ids: Vec<&str> = match (entry.kind, &entry.value) {
            (Some(Kind::DesignRef), Val::Str(s)) => vec![s.as_str()],
            (Some(Kind::DesignRefs), Val::List(items)) => {
                items.iter().filter_map(Val::as_str).collect()
            }
            _ => continue,
        };
        for id in ids {
            if !designs.contains(id) {
                out.push(
                    Diagnostic::error(
                        file.location(entry),
                        format!("`{}` refers to unknown design `{id}`", entry.display),
                    )
                    .with_hint(suggest(id, &known)),
                );
            }
        }
    }
    out
}

/// `alternatives[].field` and `verify` must name numeric fields of the same file.
pub(crate) fn check_field_refs(file: &ParsedFile) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let numeric: Vec<&str> = fields_of(file.kind)
        .filter(|s| s.kind.is_numeric() && !s.path.contains("[]"))
        .map(|s| s.path)
        .collect();
    for entry in &file.entries {
        let names: Vec<&str> = match (entry.kind, &entry.value, entry.path.as_str()) {
            (Some(Kind::FieldRef), Val::Str(s), _) => vec![s.as_str()],
            (Some(Kind::StrList), Val::List(items), "verify") => {
                items.iter().filter_map(Val::as_str).collect()
            }
            _ => continue,
        };
        for name in names {
            if !numeric.contains(&name) {
                out.push(
                    Diagnostic::error(
                        file.location(entry),
                        format!(
                            "`{}` names `{name}`, which is not a numeric field",
                            entry.display
                        ),
                    )
                    .with_hint(suggest(name, &numeric)),
                );
            }
        }
    }
    out
}

/// Runs every per-file check.
pub(crate) fn check_file(
    file: &ParsedFile,
    sources: &BTreeSet<String>,
    designs: &BTreeSet<String>,
    currencies: &BTreeSet<String>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    out.extend(check_unknown_fields(file));
    out.extend(check_types(file));
    out.extend(check_enums(file));
    out.extend(check_ranges(file));
    out.extend(check_required(file));
    out.extend(check_dates(file));
    out.extend(check_low_central_high(file));
    out.extend(check_id_matches_file(file));
    out.extend(check_country_codes(file));
    out.extend(check_currencies(file, currencies));
    out.extend(check_source_refs(file, sources));
    out.extend(check_field_sources(file));
    out.extend(check_costs(file));
    out.extend(check_source_kinds(file));
    out.extend(check_design_refs(file, designs));
    out.extend(check_field_refs(file));
    out
}
