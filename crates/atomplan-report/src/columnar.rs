//! Result tables as files: `csv/NAME.csv` and, with the same rows, `parquet/NAME.parquet`.
//!
//! Parquet is written with the `parquet` crate's column writers (no Arrow layer: our tables are
//! small and flat). Each column's physical type is inferred from its cells: all integers give
//! `INT64`, integers and reals give `DOUBLE`, anything else gives a UTF-8 `BYTE_ARRAY` holding
//! the same text as the CSV cell. Every column is `OPTIONAL`; a `Null` cell is a null, exactly as
//! an empty CSV cell. Pages are Snappy-compressed.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use parquet::basic::{Compression, LogicalType, Repetition, Type as PhysicalType};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

use crate::store::{Table, Value};
use crate::ReportError;

/// The Parquet type chosen for one column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    Int,
    Real,
    Text,
}

/// Infers a column's kind from its non-null cells (all null: text).
pub fn column_kind(table: &Table, column_idx: usize) -> ColumnKind {
    let mut kind: Option<ColumnKind> = None;
    for row in &table.rows {
        let cell_kind = match row.get(column_idx) {
            None | Some(Value::Null) => continue,
            Some(Value::Int(_)) => ColumnKind::Int,
            Some(Value::Real(_)) => ColumnKind::Real,
            Some(Value::Text(_)) => ColumnKind::Text,
        };
        kind = Some(match (kind, cell_kind) {
            (None, k) => k,
            (Some(ColumnKind::Text), _) | (_, ColumnKind::Text) => ColumnKind::Text,
            (Some(ColumnKind::Real), _) | (_, ColumnKind::Real) => ColumnKind::Real,
            (Some(ColumnKind::Int), ColumnKind::Int) => ColumnKind::Int,
        });
    }
    kind.unwrap_or(ColumnKind::Text)
}

fn parquet_error(path: &Path, error: &parquet::errors::ParquetError) -> ReportError {
    ReportError::Io {
        path: path.display().to_string(),
        message: format!("parquet: {error}"),
    }
}

/// Writes `table` as a Parquet file at `path`.
pub fn write_parquet(path: &Path, table: &Table) -> Result<(), ReportError> {
    let kinds: Vec<ColumnKind> = (0..table.columns.len())
        .map(|column_idx| column_kind(table, column_idx))
        .collect();
    let fields = table
        .columns
        .iter()
        .zip(&kinds)
        .map(|(name, kind)| {
            let builder = match kind {
                ColumnKind::Int => Type::primitive_type_builder(name, PhysicalType::INT64),
                ColumnKind::Real => Type::primitive_type_builder(name, PhysicalType::DOUBLE),
                ColumnKind::Text => Type::primitive_type_builder(name, PhysicalType::BYTE_ARRAY)
                    .with_logical_type(Some(LogicalType::String)),
            };
            builder
                .with_repetition(Repetition::OPTIONAL)
                .build()
                .map(Arc::new)
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| parquet_error(path, &e))?;
    let schema = Type::group_type_builder("schema")
        .with_fields(fields)
        .build()
        .map_err(|e| parquet_error(path, &e))?;
    let properties = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_created_by(format!("atomplan {}", env!("CARGO_PKG_VERSION")))
        .build();
    let file = std::fs::File::create(path).map_err(|e| ReportError::io(path, &e))?;
    let mut writer = SerializedFileWriter::new(file, Arc::new(schema), Arc::new(properties))
        .map_err(|e| parquet_error(path, &e))?;
    let mut row_group = writer
        .next_row_group()
        .map_err(|e| parquet_error(path, &e))?;
    let mut column_idx = 0;
    while let Some(mut column) = row_group
        .next_column()
        .map_err(|e| parquet_error(path, &e))?
    {
        let cells = table.rows.iter().map(|row| row.get(column_idx));
        let definition: Vec<i16> = cells
            .clone()
            .map(|cell| i16::from(!matches!(cell, None | Some(Value::Null))))
            .collect();
        let written = match kinds[column_idx] {
            ColumnKind::Int => {
                let values: Vec<i64> = cells
                    .filter_map(|cell| match cell {
                        Some(Value::Int(v)) => Some(*v),
                        _ => None,
                    })
                    .collect();
                column
                    .typed::<Int64Type>()
                    .write_batch(&values, Some(&definition), None)
            }
            ColumnKind::Real => {
                let values: Vec<f64> = cells
                    .filter_map(|cell| match cell {
                        Some(Value::Real(v)) => Some(*v),
                        #[allow(clippy::cast_precision_loss)]
                        Some(Value::Int(v)) => Some(*v as f64),
                        _ => None,
                    })
                    .collect();
                column
                    .typed::<DoubleType>()
                    .write_batch(&values, Some(&definition), None)
            }
            ColumnKind::Text => {
                let values: Vec<ByteArray> = cells
                    .filter_map(|cell| match cell {
                        None | Some(Value::Null) => None,
                        Some(value) => Some(ByteArray::from(value.to_csv().as_str())),
                    })
                    .collect();
                column
                    .typed::<ByteArrayType>()
                    .write_batch(&values, Some(&definition), None)
            }
        };
        written.map_err(|e| parquet_error(path, &e))?;
        column.close().map_err(|e| parquet_error(path, &e))?;
        column_idx += 1;
    }
    row_group.close().map_err(|e| parquet_error(path, &e))?;
    writer.close().map_err(|e| parquet_error(path, &e))?;
    Ok(())
}

/// The CSV text of a table (header, then one record per row; `Null` is an empty cell).
pub fn table_csv(table: &Table) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(&table.columns);
    for row in &table.rows {
        let _ = writer.write_record(row.iter().map(Value::to_csv));
    }
    writer
        .into_inner()
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default()
}

/// Writes every table as `csv_dir/NAME.csv` and `parquet_dir/NAME.parquet` (directories are
/// created); returns the CSV paths and the Parquet paths.
pub fn write_tables(
    csv_dir: &Path,
    parquet_dir: &Path,
    tables: &[Table],
) -> Result<(Vec<PathBuf>, Vec<PathBuf>), ReportError> {
    std::fs::create_dir_all(csv_dir).map_err(|e| ReportError::io(csv_dir, &e))?;
    std::fs::create_dir_all(parquet_dir).map_err(|e| ReportError::io(parquet_dir, &e))?;
    let mut csv_paths = Vec::new();
    let mut parquet_paths = Vec::new();
    for table in tables {
        let csv_path = csv_dir.join(format!("{}.csv", table.name));
        std::fs::write(&csv_path, table_csv(table)).map_err(|e| ReportError::io(&csv_path, &e))?;
        let parquet_path = parquet_dir.join(format!("{}.parquet", table.name));
        write_parquet(&parquet_path, table)?;
        csv_paths.push(csv_path);
        parquet_paths.push(parquet_path);
    }
    Ok((csv_paths, parquet_paths))
}

#[cfg(test)]
mod tests;
