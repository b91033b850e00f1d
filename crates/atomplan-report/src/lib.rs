//! The HTML report, its charts, and the CSV/Parquet/SQLite writers.
