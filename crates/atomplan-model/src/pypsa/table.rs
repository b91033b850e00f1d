//! One CSV file of a PyPSA folder, read into strings with typed accessors that apply PyPSA's
//! defaults and name the file, line and column of any bad value.

use std::collections::BTreeSet;
use std::path::Path;

use atomplan_core::{Diagnostic, Location};

use crate::Error;

/// A static component table (`generators.csv`) or a time series (`generators-p_max_pu.csv`).
#[derive(Debug)]
pub struct Table {
    pub file: String,
    pub headers: Vec<String>,
    pub records: Vec<csv::StringRecord>,
    /// 1-based line number of each record.
    pub lines: Vec<usize>,
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
            records,
            lines,
            used: std::cell::RefCell::new(BTreeSet::new()),
        })
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn column(&self, name: &str) -> Option<usize> {
        self.used.borrow_mut().insert(name.to_owned());
        self.headers.iter().position(|header| header == name)
    }

    pub fn has_column(&self, name: &str) -> bool {
        self.headers.iter().any(|header| header == name)
    }

    fn cell(&self, row: usize, name: &str) -> Option<&str> {
        let column = self.column(name)?;
        let value = self.records[row].get(column)?.trim();
        if value.is_empty() {
            None
        } else {
            Some(value)
        }
    }

    fn error(&self, row: usize, column: &str, message: String) -> Error {
        malformed(&self.file, Some(self.lines[row]), Some(column), message)
    }

    /// A required string (e.g. `bus`).
    pub fn required_str(&self, row: usize, name: &str) -> Result<String, Error> {
        if !self.has_column(name) {
            self.used.borrow_mut().insert(name.to_owned());
            return Err(malformed(
                &self.file,
                Some(1),
                Some(name),
                format!("the required column `{name}` is missing"),
            ));
        }
        self.cell(row, name)
            .map(str::to_owned)
            .ok_or_else(|| self.error(row, name, format!("`{name}` is empty")))
    }

    pub fn str_or(&self, row: usize, name: &str, default: &str) -> String {
        self.cell(row, name).unwrap_or(default).to_owned()
    }

    /// A number; absent column or empty cell gives `default`. `inf`, `-inf` and `nan` are accepted
    /// (NaN becomes `default`, as PyPSA fills it).
    pub fn f64_or(&self, row: usize, name: &str, default: f64) -> Result<f64, Error> {
        match self.cell(row, name) {
            None => Ok(default),
            Some(text) => {
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
            Some(text) => match text.to_ascii_lowercase().as_str() {
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
