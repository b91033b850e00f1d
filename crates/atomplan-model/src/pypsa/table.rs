//! One table of a PyPSA network: a CSV file of a folder (`generators.csv`, read into strings), or
//! a static DataFrame handed over in memory as typed columns ([`Column`]). Typed accessors apply
//! PyPSA's defaults and name the file and line (or the component) and column of any bad value.

use std::collections::BTreeSet;
use std::path::Path;

use atomplan_core::{Diagnostic, Location};

use crate::Error;

/// The cells of one in-memory column, e.g. a column of `pypsa.Network.generators`.
/// A NaN number or an empty string is an empty cell (PyPSA writes both as an empty CSV cell).
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    Text(Vec<String>),
    Number(Vec<f64>),
    Bool(Vec<bool>),
}

impl Column {
    pub fn len(&self) -> usize {
        match self {
            Column::Text(values) => values.len(),
            Column::Number(values) => values.len(),
            Column::Bool(values) => values.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[derive(Debug)]
enum Data {
    Csv(Vec<csv::StringRecord>),
    Memory(Vec<Column>),
}

/// One non-empty cell.
enum Cell<'a> {
    Text(&'a str),
    Number(f64),
    Bool(bool),
}

/// A static component table (`generators.csv`, or `n.generators` in memory).
#[derive(Debug)]
pub struct Table {
    /// The file name, or for an in-memory table its label (`n.generators`).
    pub file: String,
    pub headers: Vec<String>,
    data: Data,
    n_rows: usize,
    /// 1-based line number of each record (CSV only).
    lines: Vec<usize>,
    /// Columns read by the importer (the rest are reported as ignored).
    pub used: std::cell::RefCell<BTreeSet<String>>,
}

pub fn malformed(file: &str, line: Option<usize>, column: Option<&str>, message: String) -> Error {
    let mut location = Location::file(file);
    if let Some(line) = line {
        location = location.with_line(line);
    }
    if let Some(column) = column {
        location = location.with_field(column);
    }
    Error::Input(Box::new(Diagnostic::error(location, message)))
}

impl Table {
    pub fn read(folder: &Path, file: &str) -> Result<Table, Error> {
        let path = folder.join(file);
        let bytes = atomplan_core::input::read(&path).map_err(|error| {
            malformed(file, None, None, format!("cannot read the file: {error}"))
        })?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(bytes.as_slice());
        let headers: Vec<String> = reader
            .headers()
            .map_err(|error| malformed(file, Some(1), None, format!("bad header: {error}")))?
            .iter()
            .map(|header| header.trim().to_owned())
            .collect();
        let mut records = Vec::new();
        let mut lines = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|error| {
                let line = error.position().map(|position| position.line() as usize);
                malformed(file, line, None, format!("bad CSV record: {error}"))
            })?;
            lines.push(
                record
                    .position()
                    .map_or(0, |position| position.line() as usize),
            );
            records.push(record);
        }
        Ok(Table {
            file: file.to_owned(),
            headers,
            n_rows: records.len(),
            data: Data::Csv(records),
            lines,
            used: std::cell::RefCell::new(BTreeSet::new()),
        })
    }

    /// An in-memory table labelled `label` (used in messages) from named columns of equal length.
    pub fn from_columns(label: &str, columns: Vec<(String, Column)>) -> Result<Table, Error> {
        let n_rows = columns.first().map_or(0, |(_, column)| column.len());
        for (name, column) in &columns {
            if column.len() != n_rows {
                return Err(malformed(
                    label,
                    None,
                    Some(name),
                    format!(
                        "the column has {} values, but the table has {n_rows} rows",
                        column.len()
                    ),
                ));
            }
        }
        let (headers, data): (Vec<String>, Vec<Column>) = columns.into_iter().unzip();
        Ok(Table {
            file: label.to_owned(),
            headers,
            data: Data::Memory(data),
            n_rows,
            lines: Vec::new(),
            used: std::cell::RefCell::new(BTreeSet::new()),
        })
    }

    pub fn len(&self) -> usize {
        self.n_rows
    }

    pub fn column(&self, name: &str) -> Option<usize> {
        self.used.borrow_mut().insert(name.to_owned());
        self.headers.iter().position(|header| header == name)
    }

    pub fn has_column(&self, name: &str) -> bool {
        self.headers.iter().any(|header| header == name)
    }

    /// The raw text of a CSV cell (for series files); `None` for an in-memory table.
    pub fn text(&self, row: usize, column: usize) -> Option<&str> {
        match &self.data {
            Data::Csv(records) => records[row].get(column),
            Data::Memory(_) => None,
        }
    }

    fn cell(&self, row: usize, name: &str) -> Option<Cell<'_>> {
        let column = self.column(name)?;
        match &self.data {
            Data::Csv(records) => {
                let value = records[row].get(column)?.trim();
                (!value.is_empty()).then_some(Cell::Text(value))
            }
            Data::Memory(columns) => match &columns[column] {
                Column::Text(values) => {
                    let value = values[row].trim();
                    (!value.is_empty()).then_some(Cell::Text(value))
                }
                Column::Number(values) => {
                    (!values[row].is_nan()).then_some(Cell::Number(values[row]))
                }
                Column::Bool(values) => Some(Cell::Bool(values[row])),
            },
        }
    }

    /// The 1-based line of a CSV record; `None` in memory.
    pub fn line(&self, row: usize) -> Option<usize> {
        self.lines.get(row).copied()
    }

    /// Where `row` is, for messages: `file` and its line, or for an in-memory table its label
    /// and the component's name (`n.generators `gas``).
    fn place(&self, row: usize) -> (String, Option<usize>) {
        match &self.data {
            Data::Csv(_) => (self.file.clone(), self.line(row)),
            Data::Memory(columns) => {
                let name = self
                    .headers
                    .iter()
                    .position(|header| header == "name")
                    .and_then(|column| match &columns[column] {
                        Column::Text(values) => values.get(row).cloned(),
                        _ => None,
                    });
                match name {
                    Some(name) => (format!("{} `{name}`", self.file), None),
                    None => (format!("{} row {row}", self.file), None),
                }
            }
        }
    }

    /// An input error at `row`, `column`.
    pub fn error(&self, row: usize, column: &str, message: String) -> Error {
        let (file, line) = self.place(row);
        malformed(&file, line, Some(column), message)
    }

    /// A warning at `row`, `column`.
    pub fn warning(&self, row: usize, column: &str, message: &str) -> Diagnostic {
        let (file, line) = self.place(row);
        let mut location = Location::file(file).with_field(column);
        if let Some(line) = line {
            location = location.with_line(line);
        }
        Diagnostic::warning(location, message)
    }

    /// A required string (e.g. `bus`).
    pub fn required_str(&self, row: usize, name: &str) -> Result<String, Error> {
        if !self.has_column(name) {
            self.used.borrow_mut().insert(name.to_owned());
            return Err(malformed(
                &self.file,
                matches!(self.data, Data::Csv(_)).then_some(1),
                Some(name),
                format!("the required column `{name}` is missing"),
            ));
        }
        match self.cell(row, name) {
            Some(Cell::Text(text)) => Ok(text.to_owned()),
            Some(Cell::Number(value)) => Ok(format!("{value}")),
            Some(Cell::Bool(value)) => Ok(if value { "True" } else { "False" }.to_owned()),
            None => Err(self.error(row, name, format!("`{name}` is empty"))),
        }
    }

    pub fn str_or(&self, row: usize, name: &str, default: &str) -> String {
        match self.cell(row, name) {
            Some(Cell::Text(text)) => text.to_owned(),
            Some(Cell::Number(value)) => format!("{value}"),
            Some(Cell::Bool(value)) => if value { "True" } else { "False" }.to_owned(),
            None => default.to_owned(),
        }
    }

    /// A number; absent column or empty cell gives `default`. `inf`, `-inf` and `nan` are accepted
    /// (NaN becomes `default`, as PyPSA fills it).
    pub fn f64_or(&self, row: usize, name: &str, default: f64) -> Result<f64, Error> {
        match self.cell(row, name) {
            None => Ok(default),
            Some(Cell::Number(value)) => Ok(value),
            Some(Cell::Bool(value)) => Ok(if value { 1.0 } else { 0.0 }),
            Some(Cell::Text(text)) => {
                let value = parse_number(text)
                    .ok_or_else(|| self.error(row, name, format!("`{text}` is not a number")))?;
                Ok(if value.is_nan() { default } else { value })
            }
        }
    }

    /// A number that is NaN by default; returns `None` for NaN/empty.
    pub fn f64_opt(&self, row: usize, name: &str) -> Result<Option<f64>, Error> {
        let value = self.f64_or(row, name, f64::NAN)?;
        Ok(if value.is_nan() { None } else { Some(value) })
    }

    pub fn bool_or(&self, row: usize, name: &str, default: bool) -> Result<bool, Error> {
        match self.cell(row, name) {
            None => Ok(default),
            Some(Cell::Bool(value)) => Ok(value),
            Some(Cell::Number(1.0)) => Ok(true),
            Some(Cell::Number(0.0)) => Ok(false),
            Some(Cell::Number(value)) => {
                Err(self.error(row, name, format!("`{value}` is not True or False")))
            }
            Some(Cell::Text(text)) => match text.to_ascii_lowercase().as_str() {
                "true" | "1" | "1.0" => Ok(true),
                "false" | "0" | "0.0" => Ok(false),
                _ => Err(self.error(row, name, format!("`{text}` is not True or False"))),
            },
        }
    }

    /// Columns present in the file that the importer never looked at.
    pub fn unused_columns(&self) -> Vec<String> {
        let used = self.used.borrow();
        self.headers
            .iter()
            .filter(|header| !header.is_empty() && !used.contains(*header))
            .cloned()
            .collect()
    }
}

pub fn parse_number(text: &str) -> Option<f64> {
    match text.to_ascii_lowercase().as_str() {
        "inf" | "+inf" | "infinity" => Some(f64::INFINITY),
        "-inf" | "-infinity" => Some(f64::NEG_INFINITY),
        "nan" => Some(f64::NAN),
        other => other.parse::<f64>().ok(),
    }
}
