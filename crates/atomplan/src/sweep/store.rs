//! Durable sweep results: one SQLite file and one manifest per shard, and the merge.
//!
//! Layout of an output folder (shared by all shards of a sweep):
//!
//! - `shard-I-of-N.sqlite`: the results of shard `I/N`, one transaction per finished scenario,
//!   in WAL mode, so a process killed at any moment (SIGKILL included) leaves every finished
//!   scenario readable and the next run skips them.
//! - `shard-I-of-N.manifest.json`: what the shard is and how far it got; replaced atomically
//!   (write to a temporary file, then rename), so a reader sees the old or the new one whole.
//! - after `merge`: `results.sqlite` and `results.csv` (one row per scenario, sorted by id),
//!   `summary.json`, `summary.csv` and `charts/*.svg`.
//!
//! The shard file and the merged file share one schema, so every reader works on both:
//! `meta(key, value)`, `results(id, hash, seed, grid_index, sample_index, status, message,
//! params, labels, elapsed_s, attempt)` and `metrics(id, name, value)`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::spec::{Shard, Sweep};
use super::{ScenarioResult, Status};
use crate::Error;

/// Format tag of manifests and result files.
pub const FORMAT: &str = "atomplan-sweep/1";

/// One finished scenario as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultRow {
    pub id: u64,
    pub hash: String,
    pub seed: u64,
    pub grid_index: u64,
    pub sample_index: u64,
    /// Dimension path to the value this scenario used, as text (numbers in Rust's shortest
    /// round-trip form, strings as they are, tables as compact JSON).
    pub params: BTreeMap<String, String>,
    pub result: ScenarioResult,
    /// Wall time of the runner for this scenario, seconds (not in the CSV: not reproducible).
    pub elapsed_s: f64,
    /// Which run of this shard produced the row (1 for the first; resumed runs count up).
    pub attempt: u64,
}

/// What a shard is and how far it got; written atomically next to its result file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardManifest {
    pub format: String,
    pub study_file: String,
    pub definition_hash: String,
    pub shard: String,
    pub shard_index: u64,
    pub shard_count: u64,
    pub n_scenarios: u64,
    pub n_in_shard: u64,
    pub n_done: u64,
    pub complete: bool,
    /// Dimension paths in canonical order (the parameter columns of the results).
    pub paths: Vec<String>,
    pub threads: usize,
    pub attempt: u64,
    pub elapsed_s: f64,
    pub result_file: String,
    pub atomplan_version: String,
}

fn sqlite_error(path: &Path) -> impl Fn(rusqlite::Error) -> Error + '_ {
    move |error| Error::Sqlite {
        path: path.display().to_string(),
        error,
    }
}

fn io_error(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |error| Error::Io {
        path: path.to_path_buf(),
        error,
    }
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS results (
    id INTEGER PRIMARY KEY,
    hash TEXT NOT NULL,
    seed INTEGER NOT NULL,
    grid_index INTEGER NOT NULL,
    sample_index INTEGER NOT NULL,
    status TEXT NOT NULL,
    message TEXT NOT NULL,
    params TEXT NOT NULL,
    labels TEXT NOT NULL,
    elapsed_s REAL NOT NULL,
    attempt INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS metrics (
    id INTEGER NOT NULL,
    name TEXT NOT NULL,
    value REAL NOT NULL,
    PRIMARY KEY (id, name)
) WITHOUT ROWID;
";

fn to_i64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

fn to_u64(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, synced, renamed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let file_name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let tmp = path.with_file_name(format!(".{file_name}.tmp.{}", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(io_error(path))
}

fn insert_row(connection: &Connection, row: &ResultRow) -> rusqlite::Result<bool> {
    let params_json = serde_json::to_string(&row.params).unwrap_or_else(|_| "{}".to_owned());
    let labels_json = serde_json::to_string(&row.result.labels).unwrap_or_else(|_| "{}".to_owned());
    let inserted = connection.execute(
        "INSERT OR IGNORE INTO results
         (id, hash, seed, grid_index, sample_index, status, message, params, labels, elapsed_s, attempt)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            to_i64(row.id),
            row.hash,
            to_i64(row.seed),
            to_i64(row.grid_index),
            to_i64(row.sample_index),
            row.result.status.as_str(),
            row.result.message,
            params_json,
            labels_json,
            row.elapsed_s,
            to_i64(row.attempt),
        ],
    )?;
    if inserted == 1 {
        let mut statement = connection.prepare_cached(
            "INSERT OR REPLACE INTO metrics (id, name, value) VALUES (?1, ?2, ?3)",
        )?;
        for (name, value) in &row.result.metrics {
            statement.execute(params![to_i64(row.id), name, value])?;
        }
    }
    Ok(inserted == 1)
}

fn read_rows(connection: &Connection, path: &Path) -> Result<Vec<ResultRow>, Error> {
    let to_sqlite = sqlite_error(path);
    let mut metrics: BTreeMap<u64, BTreeMap<String, f64>> = BTreeMap::new();
    {
        let mut statement = connection
            .prepare("SELECT id, name, value FROM metrics")
            .map_err(&to_sqlite)?;
        let rows = statement
            .query_map([], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, f64>(2)?,
                ))
            })
            .map_err(&to_sqlite)?;
        for row in rows {
            let (id, name, value) = row.map_err(&to_sqlite)?;
            metrics.entry(to_u64(id)).or_default().insert(name, value);
        }
    }
    let mut statement = connection
        .prepare(
            "SELECT id, hash, seed, grid_index, sample_index, status, message, params, labels,
                    elapsed_s, attempt FROM results ORDER BY id",
        )
        .map_err(&to_sqlite)?;
    let rows = statement
        .query_map([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, i64>(2)?,
                row.get::<_, i64>(3)?,
                row.get::<_, i64>(4)?,
                row.get::<_, String>(5)?,
                row.get::<_, String>(6)?,
                row.get::<_, String>(7)?,
                row.get::<_, String>(8)?,
                row.get::<_, f64>(9)?,
                row.get::<_, i64>(10)?,
            ))
        })
        .map_err(&to_sqlite)?;
    let corrupt = |message: String| Error::Corrupt {
        path: path.display().to_string(),
        message,
    };
    let mut out = Vec::new();
    for row in rows {
        let (
            id,
            hash,
            seed,
            grid_index,
            sample_index,
            status,
            message,
            params_json,
            labels_json,
            elapsed_s,
            attempt,
        ) = row.map_err(&to_sqlite)?;
        let id = to_u64(id);
        let status = Status::parse(&status)
            .ok_or_else(|| corrupt(format!("scenario {id}: unknown status `{status}`")))?;
        let params: BTreeMap<String, String> = serde_json::from_str(&params_json)
            .map_err(|error| corrupt(format!("scenario {id}: params: {error}")))?;
        let labels: BTreeMap<String, String> = serde_json::from_str(&labels_json)
            .map_err(|error| corrupt(format!("scenario {id}: labels: {error}")))?;
        out.push(ResultRow {
            id,
            hash,
            seed: to_u64(seed),
            grid_index: to_u64(grid_index),
            sample_index: to_u64(sample_index),
            params,
            result: ScenarioResult {
                status,
                message,
                metrics: metrics.remove(&id).unwrap_or_default(),
                labels,
            },
            elapsed_s,
            attempt: to_u64(attempt),
        });
    }
    Ok(out)
}

fn open_connection(path: &Path) -> Result<Connection, Error> {
    let connection = Connection::open(path).map_err(sqlite_error(path))?;
    connection
        .busy_timeout(std::time::Duration::from_secs(30))
        .map_err(sqlite_error(path))?;
    // WAL + synchronous=NORMAL: a committed transaction survives the death of the process
    // (SIGKILL, OOM killer, Slurm time limit); only an OS crash may lose the last few.
    connection
        .execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
        .map_err(sqlite_error(path))?;
    connection
        .execute_batch(SCHEMA)
        .map_err(sqlite_error(path))?;
    Ok(connection)
}

fn meta(connection: &Connection, path: &Path, key: &str) -> Result<Option<String>, Error> {
    connection
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |row| {
            row.get(0)
        })
        .optional()
        .map_err(sqlite_error(path))
}

fn set_meta(connection: &Connection, path: &Path, key: &str, value: &str) -> Result<(), Error> {
    connection
        .execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
            [key, value],
        )
        .map(|_| ())
        .map_err(sqlite_error(path))
}

/// The result file of one shard, open for appending.
pub struct ShardStore {
    connection: Connection,
    path: PathBuf,
    manifest_path: PathBuf,
    /// This run's number (1 for the first run of the shard).
    pub attempt: u64,
    done: BTreeSet<u64>,
}

/// File name stem of shard `I/N`.
pub fn shard_stem(shard: Shard) -> String {
    format!("shard-{}-of-{}", shard.index, shard.count)
}

impl ShardStore {
    /// Opens (or creates) the result file of `shard` in `dir`.
    ///
    /// Refuses a file made from a different sweep definition ([`Error::Mismatch`]).
    pub fn open(dir: &Path, sweep: &Sweep, shard: Shard) -> Result<ShardStore, Error> {
        std::fs::create_dir_all(dir).map_err(io_error(dir))?;
        let stem = shard_stem(shard);
        let path = dir.join(format!("{stem}.sqlite"));
        let manifest_path = dir.join(format!("{stem}.manifest.json"));
        let connection = open_connection(&path)?;
        match meta(&connection, &path, "definition_hash")? {
            Some(found) if found != sweep.definition_hash => {
                return Err(Error::Mismatch {
                    path: path.display().to_string(),
                    found,
                    expected: sweep.definition_hash.clone(),
                })
            }
            Some(_) => {}
            None => {
                set_meta(&connection, &path, "format", FORMAT)?;
                set_meta(
                    &connection,
                    &path,
                    "definition_hash",
                    &sweep.definition_hash,
                )?;
                set_meta(&connection, &path, "shard", &shard.to_string())?;
                set_meta(&connection, &path, "n_scenarios", &sweep.len().to_string())?;
                let paths = serde_json::to_string(&sweep.paths()).unwrap_or_default();
                set_meta(&connection, &path, "paths", &paths)?;
            }
        }
        let attempt = meta(&connection, &path, "attempts")?
            .and_then(|text| text.parse::<u64>().ok())
            .unwrap_or(0)
            + 1;
        set_meta(&connection, &path, "attempts", &attempt.to_string())?;
        let mut done = BTreeSet::new();
        {
            let mut statement = connection
                .prepare("SELECT id FROM results")
                .map_err(sqlite_error(&path))?;
            let ids = statement
                .query_map([], |row| row.get::<_, i64>(0))
                .map_err(sqlite_error(&path))?;
            for id in ids {
                done.insert(to_u64(id.map_err(sqlite_error(&path))?));
            }
        }
        Ok(ShardStore {
            connection,
            path,
            manifest_path,
            attempt,
            done,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Ids already finished in earlier runs or this one.
    pub fn done(&self) -> &BTreeSet<u64> {
        &self.done
    }

    /// Records one finished scenario in its own transaction; a row already present is kept.
    pub fn insert(&mut self, row: &ResultRow) -> Result<(), Error> {
        let path = self.path.clone();
        let transaction = self.connection.transaction().map_err(sqlite_error(&path))?;
        insert_row(&transaction, row).map_err(sqlite_error(&path))?;
        transaction.commit().map_err(sqlite_error(&path))?;
        self.done.insert(row.id);
        Ok(())
    }

    /// All rows of this shard, sorted by id.
    pub fn rows(&self) -> Result<Vec<ResultRow>, Error> {
        read_rows(&self.connection, &self.path)
    }

    /// Replaces the manifest atomically.
    pub fn write_manifest(&self, manifest: &ShardManifest) -> Result<(), Error> {
        let text = serde_json::to_string_pretty(manifest).unwrap_or_default();
        write_atomic(&self.manifest_path, format!("{text}\n").as_bytes())
    }
}

/// What `merge` found.
#[derive(Debug, Clone, PartialEq)]
pub enum MergeOutcome {
    /// Every scenario is present; merged files written.
    Complete {
        n_scenarios: u64,
        /// Files written, relative to the folder.
        files: Vec<String>,
    },
    /// Some scenarios are missing; nothing written.
    Missing {
        n_scenarios: u64,
        n_missing: u64,
        /// The shard count the missing shards refer to.
        shard_count: u64,
        /// Shard indices with at least one missing scenario, ascending.
        missing_shards: Vec<u64>,
    },
}

/// `--array=` form of a list of shard indices: ranges collapsed (`0-3,5,7-8`).
pub fn array_spec(indices: &[u64]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut position = 0;
    while position < indices.len() {
        let start = indices[position];
        let mut end = start;
        while position + 1 < indices.len() && indices[position + 1] == end + 1 {
            position += 1;
            end = indices[position];
        }
        parts.push(if end > start + 1 {
            format!("{start}-{end}")
        } else if end == start + 1 {
            format!("{start},{end}")
        } else {
            start.to_string()
        });
        position += 1;
    }
    parts.join(",")
}

/// Reads every shard manifest in `dir`.
pub fn read_manifests(dir: &Path) -> Result<Vec<(PathBuf, ShardManifest)>, Error> {
    let entries = std::fs::read_dir(dir).map_err(io_error(dir))?;
    let mut manifests = Vec::new();
    for entry in entries {
        let entry = entry.map_err(io_error(dir))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("shard-") && name.ends_with(".manifest.json") {
            let path = entry.path();
            let text = atomplan_core::input::read_to_string(&path).map_err(io_error(&path))?;
            let manifest: ShardManifest =
                serde_json::from_str(&text).map_err(|error| Error::Corrupt {
                    path: path.display().to_string(),
                    message: error.to_string(),
                })?;
            manifests.push((path, manifest));
        }
    }
    manifests.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(manifests)
}

/// Reads all rows of all shards in `dir`, one per scenario id, with the manifests' common facts.
pub fn collect(dir: &Path) -> Result<Collected, Error> {
    let manifests = read_manifests(dir)?;
    let Some((first_path, first)) = manifests.first() else {
        return Err(Error::Corrupt {
            path: dir.display().to_string(),
            message: "no shard manifests (shard-I-of-N.manifest.json) here; run `atomplan study sweep` first".to_owned(),
        });
    };
    for (path, manifest) in &manifests {
        if manifest.definition_hash != first.definition_hash {
            return Err(Error::Mismatch {
                path: path.display().to_string(),
                found: manifest.definition_hash.clone(),
                expected: format!("{} (from {})", first.definition_hash, first_path.display()),
            });
        }
    }
    let mut rows: BTreeMap<u64, ResultRow> = BTreeMap::new();
    for (_, manifest) in &manifests {
        let path = dir.join(&manifest.result_file);
        if !path.exists() {
            continue;
        }
        let connection = open_connection(&path)?;
        for row in read_rows(&connection, &path)? {
            if let Some(existing) = rows.get(&row.id) {
                if existing.hash != row.hash {
                    return Err(Error::Corrupt {
                        path: path.display().to_string(),
                        message: format!(
                            "scenario {} has hash {} here and {} in another shard",
                            row.id, row.hash, existing.hash
                        ),
                    });
                }
                continue;
            }
            rows.insert(row.id, row);
        }
    }
    let shard_count = manifests
        .iter()
        .map(|(_, m)| m.shard_count)
        .max()
        .unwrap_or(1);
    Ok(Collected {
        study_file: first.study_file.clone(),
        definition_hash: first.definition_hash.clone(),
        n_scenarios: first.n_scenarios,
        paths: first.paths.clone(),
        shard_count,
        rows: rows.into_values().collect(),
    })
}

/// Everything found in an output folder.
#[derive(Debug, Clone)]
pub struct Collected {
    pub study_file: String,
    pub definition_hash: String,
    pub n_scenarios: u64,
    pub paths: Vec<String>,
    pub shard_count: u64,
    /// One row per scenario found, sorted by id.
    pub rows: Vec<ResultRow>,
}

/// Renders one CSV field (quoted when needed).
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// The merged results as CSV: one row per scenario sorted by id; columns `id, hash, seed,
/// grid_index, sample_index, status, message`, then the dimension paths, then every metric
/// name and every label name (sorted). Timing columns are left out so that the file is
/// byte-identical however the sweep was split.
pub fn results_csv(paths: &[String], rows: &[ResultRow]) -> String {
    let metric_names: BTreeSet<&String> = rows
        .iter()
        .flat_map(|row| row.result.metrics.keys())
        .collect();
    let label_names: BTreeSet<&String> = rows
        .iter()
        .flat_map(|row| row.result.labels.keys())
        .collect();
    let mut out = String::new();
    let mut header: Vec<String> = [
        "id",
        "hash",
        "seed",
        "grid_index",
        "sample_index",
        "status",
        "message",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    header.extend(paths.iter().cloned());
    header.extend(metric_names.iter().map(|s| (*s).clone()));
    header.extend(label_names.iter().map(|s| (*s).clone()));
    out.push_str(
        &header
            .iter()
            .map(|h| csv_field(h))
            .collect::<Vec<_>>()
            .join(","),
    );
    out.push('\n');
    for row in rows {
        let mut fields = vec![
            row.id.to_string(),
            row.hash.clone(),
            row.seed.to_string(),
            row.grid_index.to_string(),
            row.sample_index.to_string(),
            row.result.status.as_str().to_owned(),
            row.result.message.clone(),
        ];
        fields.extend(
            paths
                .iter()
                .map(|p| row.params.get(p).cloned().unwrap_or_default()),
        );
        fields.extend(metric_names.iter().map(|name| {
            row.result
                .metrics
                .get(*name)
                .map(|v| v.to_string())
                .unwrap_or_default()
        }));
        fields.extend(
            label_names
                .iter()
                .map(|name| row.result.labels.get(*name).cloned().unwrap_or_default()),
        );
        out.push_str(
            &fields
                .iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push('\n');
    }
    out
}

fn write_merged_sqlite(path: &Path, collected: &Collected) -> Result<(), Error> {
    let tmp = path.with_file_name(format!(".results.sqlite.tmp.{}", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    {
        let mut connection = Connection::open(&tmp).map_err(sqlite_error(&tmp))?;
        connection
            .execute_batch(SCHEMA)
            .map_err(sqlite_error(&tmp))?;
        let transaction = connection.transaction().map_err(sqlite_error(&tmp))?;
        for (key, value) in [
            ("format", FORMAT.to_owned()),
            ("definition_hash", collected.definition_hash.clone()),
            ("study_file", collected.study_file.clone()),
            ("n_scenarios", collected.n_scenarios.to_string()),
            (
                "paths",
                serde_json::to_string(&collected.paths).unwrap_or_default(),
            ),
            ("merged", "true".to_owned()),
        ] {
            set_meta(&transaction, &tmp, key, &value)?;
        }
        for row in &collected.rows {
            insert_row(&transaction, row).map_err(sqlite_error(&tmp))?;
        }
        transaction.commit().map_err(sqlite_error(&tmp))?;
    }
    std::fs::rename(&tmp, path).map_err(io_error(path))
}

/// Checks that every scenario of the sweep in `dir` is present and, if so, writes the merged
/// `results.sqlite`, `results.csv`, `summary.json`, `summary.csv` and `charts/*.svg`.
pub fn merge(dir: &Path) -> Result<MergeOutcome, Error> {
    let collected = collect(dir)?;
    let present: BTreeSet<u64> = collected.rows.iter().map(|row| row.id).collect();
    let missing: Vec<u64> = (0..collected.n_scenarios)
        .filter(|id| !present.contains(id))
        .collect();
    if !missing.is_empty() {
        let shard_count = collected.shard_count;
        let missing_shards: BTreeSet<u64> = missing.iter().map(|id| id % shard_count).collect();
        return Ok(MergeOutcome::Missing {
            n_scenarios: collected.n_scenarios,
            n_missing: missing.len() as u64,
            shard_count,
            missing_shards: missing_shards.into_iter().collect(),
        });
    }
    let mut files = Vec::new();
    write_merged_sqlite(&dir.join("results.sqlite"), &collected)?;
    files.push("results.sqlite".to_owned());
    write_atomic(
        &dir.join("results.csv"),
        results_csv(&collected.paths, &collected.rows).as_bytes(),
    )?;
    files.push("results.csv".to_owned());
    let summary = super::summary::summarize(&collected.rows);
    let json = serde_json::to_string_pretty(&summary).unwrap_or_default();
    write_atomic(&dir.join("summary.json"), format!("{json}\n").as_bytes())?;
    files.push("summary.json".to_owned());
    write_atomic(&dir.join("summary.csv"), summary.to_csv().as_bytes())?;
    files.push("summary.csv".to_owned());
    let charts_dir = dir.join("charts");
    std::fs::create_dir_all(&charts_dir).map_err(io_error(&charts_dir))?;
    for (name, svg) in super::summary::charts(&summary) {
        write_atomic(&charts_dir.join(&name), svg.as_bytes())?;
        files.push(format!("charts/{name}"));
    }
    Ok(MergeOutcome::Complete {
        n_scenarios: collected.n_scenarios,
        files,
    })
}
