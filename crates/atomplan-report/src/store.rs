//! The run database: one SQLite file per study run (`results.sqlite`).
//!
//! It holds the inputs (the study file's text and the catalogue view), provenance, a stage log,
//! each stage's full result as JSON (so a resumed run can rebuild the report without
//! recomputing), and one flat table per result for SQL users.
//! A stage's tables, its JSON and its log row are written in one transaction: a run killed at
//! any moment leaves either the whole stage or nothing of it.
//!
//! Each finished stage also records the hash of everything it read (`stage_inputs`); a stage is
//! reused only when that hash matches the current inputs. A stage that ran but failed (a solver
//! error) is recorded in `stage_failures`, never in `stage_log`, so the next run computes it
//! again.

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

/// The tables of the run's own bookkeeping (every other table holds result rows).
const BOOKKEEPING: &[&str] = &[
    "stage_log",
    "stage_runs",
    "stage_output",
    "stage_inputs",
    "stage_failures",
    "inputs",
    "provenance",
];

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
                 CREATE TABLE IF NOT EXISTS stage_inputs (stage TEXT PRIMARY KEY, hash TEXT NOT NULL);
                 CREATE TABLE IF NOT EXISTS stage_failures (
                    stage TEXT PRIMARY KEY, failed_at_unix REAL NOT NULL, message TEXT NOT NULL);
                 CREATE TABLE IF NOT EXISTS inputs (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                 CREATE TABLE IF NOT EXISTS provenance (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
            )
            .map_err(sql_error)?;
        Ok(Store { connection })
    }

    /// True when `path` is a run database atomplan wrote (it has atomplan's provenance); read
    /// without changing the file.
    pub fn is_run_database(path: &Path) -> bool {
        let Ok(connection) =
            Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        else {
            return false;
        };
        connection
            .query_row(
                "SELECT COUNT(*) FROM provenance WHERE key = 'atomplan_version'",
                [],
                |row| row.get::<_, i64>(0),
            )
            .is_ok_and(|count| count == 1)
    }

    /// A value of the `inputs` table stored by an earlier run, if any.
    pub fn input(&self, key: &str) -> Result<Option<String>, ReportError> {
        self.lookup("inputs", key)
    }

    /// A value of the `provenance` table stored by an earlier run, if any.
    pub fn provenance(&self, key: &str) -> Result<Option<String>, ReportError> {
        self.lookup("provenance", key)
    }

    fn lookup(&self, table: &str, key: &str) -> Result<Option<String>, ReportError> {
        let mut statement = self
            .connection
            .prepare(&format!("SELECT value FROM {table} WHERE key = ?1"))
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

    /// The stored JSON result of a stage that finished with the inputs hashed to `hash`.
    pub fn finished(&self, stage: &str, hash: &str) -> Result<Option<String>, ReportError> {
        let mut statement = self
            .connection
            .prepare(
                "SELECT o.json FROM stage_output o JOIN stage_log l ON l.stage = o.stage
                 JOIN stage_inputs i ON i.stage = o.stage WHERE o.stage = ?1 AND i.hash = ?2",
            )
            .map_err(sql_error)?;
        let mut rows = statement.query(params![stage, hash]).map_err(sql_error)?;
        match rows.next().map_err(sql_error)? {
            Some(row) => Ok(Some(row.get(0).map_err(sql_error)?)),
            None => Ok(None),
        }
    }

    /// Commits a finished stage: its tables (rows of this stage replace earlier ones in every
    /// result table), its JSON, the hash of its inputs and its log row, all in one transaction.
    pub fn commit_stage(
        &mut self,
        stage: &str,
        hash: &str,
        json: &str,
        tables: &[Table],
        seconds: f64,
    ) -> Result<(), ReportError> {
        let result_tables = self.result_tables()?;
        let transaction = self.connection.transaction().map_err(sql_error)?;
        for name in &result_tables {
            transaction
                .execute(
                    &format!("DELETE FROM {} WHERE stage = ?1", quote(name)),
                    params![stage],
                )
                .map_err(sql_error)?;
        }
        transaction
            .execute(
                "DELETE FROM stage_failures WHERE stage = ?1",
                params![stage],
            )
            .map_err(sql_error)?;
        transaction
            .execute(
                "INSERT OR REPLACE INTO stage_inputs (stage, hash) VALUES (?1, ?2)",
                params![stage, hash],
            )
            .map_err(sql_error)?;
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

    /// Records a stage that ran and failed: its earlier result, rows and log entry are removed
    /// (so nothing stale is reused) and the failure is kept with its message.
    pub fn fail_stage(&mut self, stage: &str, message: &str) -> Result<(), ReportError> {
        let result_tables = self.result_tables()?;
        let transaction = self.connection.transaction().map_err(sql_error)?;
        for name in result_tables.iter().map(String::as_str).chain([
            "stage_log",
            "stage_output",
            "stage_inputs",
        ]) {
            transaction
                .execute(
                    &format!("DELETE FROM {} WHERE stage = ?1", quote(name)),
                    params![stage],
                )
                .map_err(sql_error)?;
        }
        transaction
            .execute(
                "INSERT OR REPLACE INTO stage_failures (stage, failed_at_unix, message) VALUES (?1, ?2, ?3)",
                params![stage, unix_now(), message],
            )
            .map_err(sql_error)?;
        transaction.commit().map_err(sql_error)
    }

    /// Forgets every stage and every result row (used with `--force` on another study's folder).
    pub fn reset(&mut self) -> Result<(), ReportError> {
        let result_tables = self.result_tables()?;
        let transaction = self.connection.transaction().map_err(sql_error)?;
        for name in result_tables.iter().map(String::as_str).chain([
            "stage_log",
            "stage_output",
            "stage_inputs",
            "stage_failures",
            "stage_runs",
        ]) {
            transaction
                .execute_batch(&format!("DELETE FROM {};", quote(name)))
                .map_err(sql_error)?;
        }
        transaction.commit().map_err(sql_error)
    }

    /// Removes every trace of the stages not in `keep` (scenarios no longer in the study);
    /// returns the stages removed, sorted.
    pub fn prune(&mut self, keep: &[String]) -> Result<Vec<String>, ReportError> {
        let result_tables = self.result_tables()?;
        let bookkeeping = [
            "stage_log",
            "stage_output",
            "stage_inputs",
            "stage_failures",
        ];
        let mut stale = std::collections::BTreeSet::new();
        for name in result_tables.iter().map(String::as_str).chain(bookkeeping) {
            let mut statement = self
                .connection
                .prepare(&format!("SELECT DISTINCT stage FROM {}", quote(name)))
                .map_err(sql_error)?;
            let stages = statement
                .query_map([], |row| row.get::<_, Option<String>>(0))
                .map_err(sql_error)?;
            for stage in stages {
                if let Some(stage) = stage.map_err(sql_error)? {
                    if !keep.contains(&stage) {
                        stale.insert(stage);
                    }
                }
            }
        }
        if stale.is_empty() {
            return Ok(Vec::new());
        }
        let transaction = self.connection.transaction().map_err(sql_error)?;
        for stage in &stale {
            for name in result_tables.iter().map(String::as_str).chain(bookkeeping) {
                transaction
                    .execute(
                        &format!("DELETE FROM {} WHERE stage = ?1", quote(name)),
                        params![stage],
                    )
                    .map_err(sql_error)?;
            }
        }
        transaction.commit().map_err(sql_error)?;
        Ok(stale.into_iter().collect())
    }

    /// The flat result tables (every table with a `stage` column apart from the bookkeeping).
    fn result_tables(&self) -> Result<Vec<String>, ReportError> {
        let mut statement = self
            .connection
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .map_err(sql_error)?;
        let names: Vec<String> = statement
            .query_map([], |row| row.get(0))
            .map_err(sql_error)?
            .collect::<Result<_, _>>()
            .map_err(sql_error)?;
        let mut out = Vec::new();
        for name in names {
            if BOOKKEEPING.contains(&name.as_str()) || name.starts_with("sqlite_") {
                continue;
            }
            let mut info = self
                .connection
                .prepare(&format!("PRAGMA table_info({})", quote(&name)))
                .map_err(sql_error)?;
            let has_stage = info
                .query_map([], |row| row.get::<_, String>(1))
                .map_err(sql_error)?
                .filter_map(Result::ok)
                .any(|column| column == "stage");
            if has_stage {
                out.push(name);
            }
        }
        Ok(out)
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
