//! The run database: one SQLite file per study run (`results.sqlite`).
//!
//! It holds the inputs (the study file's text and the catalogue view), provenance, a stage log,
//! each stage's full result as JSON (so a resumed run can rebuild the report without
//! recomputing), and one flat table per result for SQL users.
//! A stage's tables, its JSON and its log row are written in one transaction: a run killed at
//! any moment leaves either the whole stage or nothing of it.

use std::path::Path;

use rusqlite::{params, Connection};

use crate::ReportError;

/// A flat result table: column names and rows of values.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub name: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Real(f64),
    Int(i64),
    Null,
}

impl From<&str> for Value {
    fn from(value: &str) -> Self {
        Value::Text(value.to_owned())
    }
}
impl From<String> for Value {
    fn from(value: String) -> Self {
        Value::Text(value)
    }
}
impl From<f64> for Value {
    fn from(value: f64) -> Self {
        if value.is_finite() {
            Value::Real(value)
        } else {
            Value::Null
        }
    }
}
impl From<i32> for Value {
    fn from(value: i32) -> Self {
        Value::Int(i64::from(value))
    }
}
impl From<usize> for Value {
    fn from(value: usize) -> Self {
        Value::Int(i64::try_from(value).unwrap_or(i64::MAX))
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(value: Option<T>) -> Self {
        value.map_or(Value::Null, Into::into)
    }
}

impl Value {
    pub fn to_csv(&self) -> String {
        match self {
            Value::Text(text) => text.clone(),
            Value::Real(value) => format!("{value}"),
            Value::Int(value) => value.to_string(),
            Value::Null => String::new(),
        }
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, Value as Sql};
        Ok(ToSqlOutput::Owned(match self {
            Value::Text(text) => Sql::Text(text.clone()),
            Value::Real(value) => Sql::Real(*value),
            Value::Int(value) => Sql::Integer(*value),
            Value::Null => Sql::Null,
        }))
    }
}

/// The open run database.
pub struct Store {
    connection: Connection,
}

fn sql_error(error: rusqlite::Error) -> ReportError {
    ReportError::Database(error.to_string())
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl Store {
    /// Opens (or creates) the database at `path`.
    pub fn open(path: &Path) -> Result<Store, ReportError> {
        let connection = Connection::open(path).map_err(sql_error)?;
        connection
            .execute_batch(
                "PRAGMA journal_mode=WAL;
                 PRAGMA synchronous=FULL;
                 CREATE TABLE IF NOT EXISTS stage_log (
                    stage TEXT PRIMARY KEY, finished_at_unix REAL NOT NULL, seconds REAL NOT NULL);
                 CREATE TABLE IF NOT EXISTS stage_runs (
                    stage TEXT NOT NULL, started_at_unix REAL NOT NULL);
                 CREATE TABLE IF NOT EXISTS stage_output (stage TEXT PRIMARY KEY, json TEXT NOT NULL);
                 CREATE TABLE IF NOT EXISTS inputs (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                 CREATE TABLE IF NOT EXISTS provenance (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
            )
            .map_err(sql_error)?;
        Ok(Store { connection })
    }

    /// The study's fingerprint stored by an earlier run, if any.
    pub fn input(&self, key: &str) -> Result<Option<String>, ReportError> {
        let mut statement = self
            .connection
            .prepare("SELECT value FROM inputs WHERE key = ?1")
            .map_err(sql_error)?;
        let mut rows = statement.query(params![key]).map_err(sql_error)?;
        match rows.next().map_err(sql_error)? {
            Some(row) => Ok(Some(row.get(0).map_err(sql_error)?)),
            None => Ok(None),
        }
    }

    /// Writes inputs and provenance (replacing earlier values) in one transaction.
    pub fn write_inputs(
        &mut self,
        inputs: &[(&str, String)],
        provenance: &[(&str, String)],
    ) -> Result<(), ReportError> {
        let transaction = self.connection.transaction().map_err(sql_error)?;
        for (key, value) in inputs {
            transaction
                .execute(
                    "INSERT OR REPLACE INTO inputs (key, value) VALUES (?1, ?2)",
                    params![key, value],
                )
                .map_err(sql_error)?;
        }
        for (key, value) in provenance {
            transaction
                .execute(
                    "INSERT OR REPLACE INTO provenance (key, value) VALUES (?1, ?2)",
                    params![key, value],
                )
                .map_err(sql_error)?;
        }
        transaction.commit().map_err(sql_error)
    }

    /// Records that a stage started computing (kept across resumes: it shows what was redone).
    pub fn log_start(&self, stage: &str) -> Result<(), ReportError> {
        self.connection
            .execute(
                "INSERT INTO stage_runs (stage, started_at_unix) VALUES (?1, ?2)",
                params![stage, unix_now()],
            )
            .map_err(sql_error)?;
        Ok(())
    }

    /// The stored JSON result of a finished stage.
    pub fn finished(&self, stage: &str) -> Result<Option<String>, ReportError> {
        let mut statement = self
            .connection
            .prepare(
                "SELECT o.json FROM stage_output o JOIN stage_log l ON l.stage = o.stage WHERE o.stage = ?1",
            )
            .map_err(sql_error)?;
        let mut rows = statement.query(params![stage]).map_err(sql_error)?;
        match rows.next().map_err(sql_error)? {
            Some(row) => Ok(Some(row.get(0).map_err(sql_error)?)),
            None => Ok(None),
        }
    }

    /// Commits a finished stage: its tables (rows of this stage replace earlier ones), its JSON
    /// and its log row, all in one transaction.
    pub fn commit_stage(
        &mut self,
        stage: &str,
        json: &str,
        tables: &[Table],
        seconds: f64,
    ) -> Result<(), ReportError> {
        let transaction = self.connection.transaction().map_err(sql_error)?;
        for table in tables {
            let mut columns = vec!["stage TEXT".to_owned()];
            columns.extend(table.columns.iter().map(|c| quote(c)));
            transaction
                .execute_batch(&format!(
                    "CREATE TABLE IF NOT EXISTS {} ({});",
                    quote(&table.name),
                    columns.join(", ")
                ))
                .map_err(sql_error)?;
            transaction
                .execute(
                    &format!("DELETE FROM {} WHERE stage = ?1", quote(&table.name)),
                    params![stage],
                )
                .map_err(sql_error)?;
            let placeholders: Vec<String> = (1..=table.columns.len() + 1)
                .map(|i| format!("?{i}"))
                .collect();
            let sql = format!(
                "INSERT INTO {} (stage, {}) VALUES ({})",
                quote(&table.name),
                table
                    .columns
                    .iter()
                    .map(|c| quote(c))
                    .collect::<Vec<_>>()
                    .join(", "),
                placeholders.join(", ")
            );
            let mut statement = transaction.prepare(&sql).map_err(sql_error)?;
            for row in &table.rows {
                let mut values: Vec<&dyn rusqlite::ToSql> = vec![&stage];
                values.extend(row.iter().map(|v| v as &dyn rusqlite::ToSql));
                statement.execute(values.as_slice()).map_err(sql_error)?;
            }
        }
        transaction
            .execute(
                "INSERT OR REPLACE INTO stage_output (stage, json) VALUES (?1, ?2)",
                params![stage, json],
            )
            .map_err(sql_error)?;
        transaction
            .execute(
                "INSERT OR REPLACE INTO stage_log (stage, finished_at_unix, seconds) VALUES (?1, ?2, ?3)",
                params![stage, unix_now(), seconds],
            )
            .map_err(sql_error)?;
        transaction.commit().map_err(sql_error)
    }

    /// Forgets every stage (used when the study file changed since the last run).
    pub fn reset(&mut self) -> Result<(), ReportError> {
        self.connection
            .execute_batch("DELETE FROM stage_log; DELETE FROM stage_output;")
            .map_err(sql_error)
    }

    /// Every row of a table as CSV text (header first), without the `stage` column.
    pub fn table_csv(&self, table: &Table) -> String {
        let mut out = String::new();
        let mut writer = csv::Writer::from_writer(Vec::new());
        let _ = writer.write_record(&table.columns);
        for row in &table.rows {
            let _ = writer.write_record(row.iter().map(Value::to_csv));
        }
        if let Ok(bytes) = writer.into_inner() {
            out = String::from_utf8(bytes).unwrap_or_default();
        }
        out
    }
}

fn unix_now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}
