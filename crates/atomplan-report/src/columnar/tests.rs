use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;

use super::*;

fn sample() -> Table {
    Table {
        name: "sample".to_owned(),
        columns: vec![
            "name".to_owned(),
            "year".to_owned(),
            "mw".to_owned(),
            "mixed".to_owned(),
            "empty".to_owned(),
        ],
        rows: vec![
            vec![
                "coal, old".into(),
                2035.into(),
                Value::Real(1500.5),
                Value::Int(3),
                Value::Null,
            ],
            vec![
                "wind \"new\"".into(),
                Value::Null,
                Value::Int(40),
                "text".into(),
                Value::Null,
            ],
            vec![Value::Null, 2040.into(), Value::Null, Value::Real(0.5), Value::Null],
        ],
    }
}

/// Reads a Parquet file back as rows of CSV-like text (null: empty), with the physical kinds.
fn read_back(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let reader = SerializedFileReader::new(std::fs::File::open(path).unwrap()).unwrap();
    let schema = reader.metadata().file_metadata().schema_descr();
    let columns = schema.columns().iter().map(|c| c.name().to_owned()).collect();
    let rows = reader
        .get_row_iter(None)
        .unwrap()
        .map(|row| {
            row.unwrap()
                .get_column_iter()
                .map(|(_, field)| match field {
                    Field::Null => String::new(),
                    Field::Long(v) => v.to_string(),
                    Field::Double(v) => format!("{v}"),
                    Field::Str(v) => v.clone(),
                    other => panic!("unexpected field {other:?}"),
                })
                .collect()
        })
        .collect();
    (columns, rows)
}

#[test]
fn kinds_are_inferred_from_the_cells() {
    let table = sample();
    let kinds: Vec<ColumnKind> = (0..5).map(|i| column_kind(&table, i)).collect();
    assert_eq!(
        kinds,
        [
            ColumnKind::Text,
            ColumnKind::Int,
            ColumnKind::Real,
            ColumnKind::Text,
            ColumnKind::Text
        ]
    );
}

#[test]
fn parquet_has_the_same_rows_as_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let table = sample();
    let (csv_paths, parquet_paths) =
        write_tables(&dir.path().join("csv"), &dir.path().join("parquet"), &[table]).unwrap();
    let mut csv = csv::Reader::from_path(&csv_paths[0]).unwrap();
    let csv_columns: Vec<String> = csv.headers().unwrap().iter().map(str::to_owned).collect();
    let csv_rows: Vec<Vec<String>> = csv
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    let (columns, rows) = read_back(&parquet_paths[0]);
    assert_eq!(columns, csv_columns);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows, csv_rows);
}

#[test]
fn an_empty_table_still_writes_a_readable_file() {
    let dir = tempfile::tempdir().unwrap();
    let table = Table {
        name: "none".to_owned(),
        columns: vec!["a".to_owned(), "b".to_owned()],
        rows: Vec::new(),
    };
    let path = dir.path().join("none.parquet");
    write_parquet(&path, &table).unwrap();
    let (columns, rows) = read_back(&path);
    assert_eq!(columns, ["a", "b"]);
    assert!(rows.is_empty());
}
