//! The `[sweep]` table of a study file: wire types, validation and the canonical expansion
//! into scenarios.
//!
//! ```toml
//! [sweep]
//! seed = 7                 # optional; default `options.seed`, else 42
//! samples = 100            # draws of the sampled dimensions per grid point; default 1
//!
//! [[sweep.grid]]
//! path = "options.discount_rate"
//! values = [0.03, 0.05, 0.08]
//!
//! [[sweep.grid]]
//! path = "candidates.bwrx-300.financing.debt_rate"   # array elements by `id` or by index
//! values = [0.03, 0.06]
//!
//! [[sweep.sample]]
//! path = "candidates.bwrx-300.overnight_cost_usd_per_kwe"
//! distribution = "triangular"
//! low = 6000.0
//! mode = 8000.0
//! high = 14000.0
//! ```
//!
//! Canonical order: grid points in row-major order over the `[[sweep.grid]]` entries as written
//! (the last entry varies fastest), and within each grid point the samples `0..samples`.
//! So `id = grid_index * samples + sample_index`.
//! Draw `k` of a sampled dimension depends only on (sweep seed, `k`, path): every grid point sees
//! the same draws (common random numbers), which makes regret between grid options meaningful.

use std::fmt;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Deserialize;

use super::{fnv1a, scenario_seed, splitmix64};
use crate::Error;

/// Most scenarios one sweep may expand to.
pub const MAX_SCENARIOS: u64 = 100_000_000;

#[derive(Debug, Deserialize)]
struct FileWire {
    sweep: Option<SweepWire>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SweepWire {
    seed: Option<u64>,
    samples: Option<u64>,
    #[serde(default)]
    grid: Vec<GridWire>,
    #[serde(default)]
    sample: Vec<SampleWire>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GridWire {
    path: String,
    values: Vec<toml::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SampleWire {
    path: String,
    distribution: String,
    low: Option<f64>,
    high: Option<f64>,
    mode: Option<f64>,
    mean: Option<f64>,
    sd: Option<f64>,
    median: Option<f64>,
    sigma: Option<f64>,
    values: Option<Vec<toml::Value>>,
}

/// A distribution of a sampled dimension.
#[derive(Debug, Clone, PartialEq)]
pub enum Distribution {
    /// `low + u (high - low)`.
    Uniform { low: f64, high: f64 },
    /// Normal by Box–Muller; unbounded, so keep `sd` small against the mean for costs.
    Normal { mean: f64, sd: f64 },
    /// `median · exp(sigma · z)`: `sigma` is the standard deviation of the logarithm.
    LogNormal { median: f64, sigma: f64 },
    /// Triangular on `[low, high]` peaking at `mode`, by the inverse CDF.
    Triangular { low: f64, mode: f64, high: f64 },
    /// One of `values`, each equally likely (any TOML values: strings, tables…).
    Choice { values: Vec<toml::Value> },
}

impl Distribution {
    fn draw(&self, rng: &mut ChaCha8Rng) -> toml::Value {
        let uniform_open = |rng: &mut ChaCha8Rng| -> f64 {
            // (0, 1]: safe for ln.
            1.0 - rng.gen::<f64>()
        };
        let standard_normal = |rng: &mut ChaCha8Rng| -> f64 {
            let u1 = uniform_open(rng);
            let u2: f64 = rng.gen();
            (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
        };
        match self {
            Distribution::Uniform { low, high } => {
                toml::Value::Float(low + rng.gen::<f64>() * (high - low))
            }
            Distribution::Normal { mean, sd } => {
                toml::Value::Float(mean + sd * standard_normal(rng))
            }
            Distribution::LogNormal { median, sigma } => {
                toml::Value::Float(median * (sigma * standard_normal(rng)).exp())
            }
            Distribution::Triangular { low, mode, high } => {
                let u: f64 = rng.gen();
                let split = (mode - low) / (high - low);
                let value = if u < split {
                    low + (u * (high - low) * (mode - low)).sqrt()
                } else {
                    high - ((1.0 - u) * (high - low) * (high - mode)).sqrt()
                };
                toml::Value::Float(value)
            }
            Distribution::Choice { values } => {
                let index = rng.gen_range(0..values.len());
                values[index].clone()
            }
        }
    }
}

/// One dimension of a sweep: a path into the study and its values or distribution.
#[derive(Debug, Clone, PartialEq)]
pub struct Dimension {
    /// Dotted path as written, e.g. `candidates.bwrx-300.financing.debt_rate`; also the column
    /// name in results.
    pub path: String,
    pub kind: DimensionKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DimensionKind {
    Grid(Vec<toml::Value>),
    Sampled(Distribution),
}

/// One value set on one path of the study for one scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    pub path: String,
    pub value: toml::Value,
}

/// One scenario: its place in the canonical expansion, seed, content hash and study.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Index in the canonical expansion; stable however the work is split.
    pub id: u64,
    pub grid_index: u64,
    pub sample_index: u64,
    /// Derived from (sweep seed, id) by [`scenario_seed`]; also written to `options.seed` of
    /// [`Scenario::study`] unless a dimension sets that path.
    pub seed: u64,
    /// FNV-1a of the scenario's whole study (with overrides and seed), 16 hex digits.
    pub hash: String,
    pub overrides: Vec<Override>,
    /// The study file with this scenario's overrides applied, `[sweep]` removed.
    pub study: toml::Value,
}

/// A `--shard I/N`: the scenarios whose id modulo `count` is `index`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    pub const ALL: Shard = Shard { index: 0, count: 1 };

    /// Parses `I/N` with `0 <= I < N`.
    pub fn parse(text: &str) -> Result<Shard, Error> {
        let bad = || Error::BadShard(text.to_owned());
        let (index, count) = text.split_once('/').ok_or_else(bad)?;
        let index: u64 = index.trim().parse().map_err(|_| bad())?;
        let count: u64 = count.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    pub fn contains(self, scenario_id: u64) -> bool {
        scenario_id % self.count == self.index
    }

    /// Ids of this shard among `0..n_scenarios`, ascending.
    pub fn ids(self, n_scenarios: u64) -> impl Iterator<Item = u64> {
        (self.index..n_scenarios).step_by(usize::try_from(self.count).unwrap_or(usize::MAX))
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// A validated sweep over one study file.
#[derive(Debug, Clone)]
pub struct Sweep {
    /// File name used in messages.
    pub file: String,
    /// The study without its `[sweep]` table.
    pub base: toml::Value,
    pub seed: u64,
    pub samples: u64,
    /// Grid dimensions first (in file order), then sampled ones (in file order).
    pub dimensions: Vec<Dimension>,
    /// FNV-1a of the whole file's content (study and sweep), 16 hex digits; results made from a
    /// different definition are refused.
    pub definition_hash: String,
    n_grid: u64,
}

fn invalid(file: &str, key: impl Into<String>, message: impl Into<String>) -> Error {
    Error::Definition {
        file: file.to_owned(),
        key: key.into(),
        message: message.into(),
    }
}

/// Hash of a TOML value through its JSON form (tables are sorted maps, so this is canonical).
fn value_hash(value: &toml::Value) -> String {
    let json = serde_json::to_string(value).unwrap_or_default();
    format!("{:016x}", fnv1a(json.as_bytes()))
}

fn kind_name(value: &toml::Value) -> &'static str {
    match value {
        toml::Value::String(_) => "a string",
        toml::Value::Integer(_) | toml::Value::Float(_) => "a number",
        toml::Value::Boolean(_) => "a boolean",
        toml::Value::Datetime(_) => "a date",
        toml::Value::Array(_) => "an array",
        toml::Value::Table(_) => "a table",
    }
}

/// Where a dotted path lands: the parent container and the last segment.
enum Slot<'a> {
    /// A table and a key (which may be absent: the override adds it).
    Table(&'a mut toml::Table, String),
    /// An existing array element.
    Element(&'a mut toml::Value),
}

/// Makes the error of a path problem (its message) with the file and key of the definition.
type Fail<'f> = &'f dyn Fn(String) -> Error;

/// Finds the element of `array` that a path segment names: a number is an index, anything else
/// matches the element table whose `id` (or `name`) equals it.
fn element_index(array: &[toml::Value], segment: &str, fail: Fail<'_>) -> Result<usize, Error> {
    if let Ok(index) = segment.parse::<usize>() {
        return if index < array.len() {
            Ok(index)
        } else {
            Err(fail(format!(
                "index {index} is past the end of an array of {}",
                array.len()
            )))
        };
    }
    let matches: Vec<usize> = array
        .iter()
        .enumerate()
        .filter(|(_, element)| {
            let named = |key: &str| element.get(key).and_then(toml::Value::as_str) == Some(segment);
            named("id") || named("name")
        })
        .map(|(index, _)| index)
        .collect();
    match matches.as_slice() {
        [index] => Ok(*index),
        [] => Err(fail(format!("no element with id or name `{segment}`"))),
        _ => Err(fail(format!(
            "several elements have id or name `{segment}`"
        ))),
    }
}

fn resolve<'a>(root: &'a mut toml::Value, path: &str, fail: Fail<'_>) -> Result<Slot<'a>, Error> {
    let segments: Vec<&str> = path.split('.').collect();
    if path.is_empty() || segments.iter().any(|segment| segment.is_empty()) {
        return Err(fail("empty path segment".to_owned()));
    }
    let mut current = root;
    for (position, segment) in segments.iter().enumerate() {
        let last = position + 1 == segments.len();
        current = match current {
            toml::Value::Table(table) => {
                if last {
                    return Ok(Slot::Table(table, (*segment).to_owned()));
                }
                match table.get_mut(*segment) {
                    Some(next) => next,
                    None => {
                        let so_far = segments[..=position].join(".");
                        return Err(fail(format!("`{so_far}` does not exist in the study")));
                    }
                }
            }
            toml::Value::Array(array) => {
                let within = segments[..position].join(".");
                let index = element_index(array, segment, &|message| {
                    fail(format!("`{within}`: {message}"))
                })?;
                if last {
                    return Ok(Slot::Element(&mut array[index]));
                }
                &mut array[index]
            }
            other => {
                return Err(fail(format!(
                    "`{}` is {}, not a table or array",
                    segments[..position].join("."),
                    kind_name(other)
                )))
            }
        };
    }
    Err(fail("empty path".to_owned()))
}

/// Checks that `value` may replace what is at `path`, without changing `root`.
fn check_override(
    root: &toml::Value,
    path: &str,
    value: &toml::Value,
    fail: Fail<'_>,
) -> Result<(), Error> {
    let mut scratch = root.clone();
    let existing = match resolve(&mut scratch, path, fail)? {
        Slot::Table(table, key) => table.get(&key).cloned(),
        Slot::Element(element) => Some(element.clone()),
    };
    if let Some(existing) = existing {
        let compatible = kind_name(&existing) == kind_name(value);
        if !compatible {
            return Err(fail(format!(
                "the study has {} here, the sweep gives {}",
                kind_name(&existing),
                kind_name(value)
            )));
        }
    }
    Ok(())
}

fn set(
    root: &mut toml::Value,
    path: &str,
    value: toml::Value,
    fail: Fail<'_>,
) -> Result<(), Error> {
    match resolve(root, path, fail)? {
        Slot::Table(table, key) => {
            table.insert(key, value);
        }
        Slot::Element(element) => *element = value,
    }
    Ok(())
}

fn finite(file: &str, key: &str, value: Option<f64>, name: &str) -> Result<f64, Error> {
    match value {
        Some(number) if number.is_finite() => Ok(number),
        Some(_) => Err(invalid(
            file,
            format!("{key}.{name}"),
            "must be a finite number",
        )),
        None => Err(invalid(
            file,
            format!("{key}.{name}"),
            "is required for this distribution",
        )),
    }
}

fn distribution(file: &str, key: &str, wire: &SampleWire) -> Result<Distribution, Error> {
    let given: Vec<&str> = [
        ("low", wire.low.is_some()),
        ("high", wire.high.is_some()),
        ("mode", wire.mode.is_some()),
        ("mean", wire.mean.is_some()),
        ("sd", wire.sd.is_some()),
        ("median", wire.median.is_some()),
        ("sigma", wire.sigma.is_some()),
        ("values", wire.values.is_some()),
    ]
    .into_iter()
    .filter(|(_, present)| *present)
    .map(|(name, _)| name)
    .collect();
    let allowed: &[&str] = match wire.distribution.as_str() {
        "uniform" => &["low", "high"],
        "normal" => &["mean", "sd"],
        "lognormal" => &["median", "sigma"],
        "triangular" => &["low", "mode", "high"],
        "choice" => &["values"],
        other => {
            return Err(invalid(
                file,
                format!("{key}.distribution"),
                format!("unknown distribution `{other}`; expected uniform, normal, lognormal, triangular or choice"),
            ))
        }
    };
    if let Some(extra) = given.iter().find(|name| !allowed.contains(name)) {
        return Err(invalid(
            file,
            format!("{key}.{extra}"),
            format!(
                "not a parameter of `{}` (it takes {})",
                wire.distribution,
                allowed.join(", ")
            ),
        ));
    }
    let distribution = match wire.distribution.as_str() {
        "uniform" => {
            let low = finite(file, key, wire.low, "low")?;
            let high = finite(file, key, wire.high, "high")?;
            if low >= high {
                return Err(invalid(
                    file,
                    format!("{key}.high"),
                    "must be greater than `low`",
                ));
            }
            Distribution::Uniform { low, high }
        }
        "normal" => {
            let mean = finite(file, key, wire.mean, "mean")?;
            let sd = finite(file, key, wire.sd, "sd")?;
            if sd <= 0.0 {
                return Err(invalid(file, format!("{key}.sd"), "must be positive"));
            }
            Distribution::Normal { mean, sd }
        }
        "lognormal" => {
            let median = finite(file, key, wire.median, "median")?;
            let sigma = finite(file, key, wire.sigma, "sigma")?;
            if median <= 0.0 {
                return Err(invalid(file, format!("{key}.median"), "must be positive"));
            }
            if sigma <= 0.0 {
                return Err(invalid(file, format!("{key}.sigma"), "must be positive"));
            }
            Distribution::LogNormal { median, sigma }
        }
        "triangular" => {
            let low = finite(file, key, wire.low, "low")?;
            let mode = finite(file, key, wire.mode, "mode")?;
            let high = finite(file, key, wire.high, "high")?;
            if low >= high {
                return Err(invalid(
                    file,
                    format!("{key}.high"),
                    "must be greater than `low`",
                ));
            }
            if !(low..=high).contains(&mode) {
                return Err(invalid(
                    file,
                    format!("{key}.mode"),
                    "must lie between `low` and `high`",
                ));
            }
            Distribution::Triangular { low, mode, high }
        }
        _ => {
            let values = wire.values.clone().unwrap_or_default();
            if values.is_empty() {
                return Err(invalid(
                    file,
                    format!("{key}.values"),
                    "needs at least one value",
                ));
            }
            Distribution::Choice { values }
        }
    };
    Ok(distribution)
}

impl Sweep {
    /// Reads the `[sweep]` table of a study file's text.
    ///
    /// `file` is only used in messages. Errors name the key (`sweep.grid[1].values`).
    pub fn from_toml_str(file: &str, text: &str) -> Result<Sweep, Error> {
        let parse_error = |error: toml::de::Error| Error::Parse {
            file: file.to_owned(),
            message: error.to_string().trim_end().to_owned(),
        };
        let whole: toml::Value = toml::from_str(text).map_err(parse_error)?;
        let wire: FileWire = toml::from_str(text).map_err(parse_error)?;
        let Some(wire) = wire.sweep else {
            return Err(invalid(file, "sweep", "the study has no `[sweep]` table"));
        };
        let definition_hash = value_hash(&whole);
        let mut base = whole;
        if let toml::Value::Table(table) = &mut base {
            table.remove("sweep");
        }
        let study_seed = base
            .get("options")
            .and_then(|options| options.get("seed"))
            .and_then(toml::Value::as_integer)
            .and_then(|seed| u64::try_from(seed).ok())
            .unwrap_or(42);
        let seed = wire.seed.unwrap_or(study_seed);
        if wire.samples == Some(0) {
            return Err(invalid(file, "sweep.samples", "must be at least 1"));
        }
        if wire.samples.is_some_and(|samples| samples > 1) && wire.sample.is_empty() {
            return Err(invalid(
                file,
                "sweep.samples",
                "more than one sample needs at least one `[[sweep.sample]]` dimension",
            ));
        }
        let samples = wire.samples.unwrap_or(1);
        if wire.grid.is_empty() && wire.sample.is_empty() {
            return Err(invalid(
                file,
                "sweep",
                "has no dimensions; add `[[sweep.grid]]` or `[[sweep.sample]]` entries",
            ));
        }
        let mut dimensions = Vec::new();
        let mut n_grid: u64 = 1;
        for (position, grid) in wire.grid.iter().enumerate() {
            let key = format!("sweep.grid[{position}]");
            if grid.values.is_empty() {
                return Err(invalid(
                    file,
                    format!("{key}.values"),
                    "needs at least one value",
                ));
            }
            for (value_position, value) in grid.values.iter().enumerate() {
                check_override(&base, &grid.path, value, &|message| {
                    invalid(
                        file,
                        format!("{key}.values[{value_position}]"),
                        format!("path `{}`: {message}", grid.path),
                    )
                })?;
            }
            n_grid = n_grid
                .checked_mul(grid.values.len() as u64)
                .filter(|n| *n <= MAX_SCENARIOS)
                .ok_or_else(|| {
                    invalid(
                        file,
                        format!("{key}.values"),
                        format!("the grid exceeds {MAX_SCENARIOS} scenarios"),
                    )
                })?;
            dimensions.push(Dimension {
                path: grid.path.clone(),
                kind: DimensionKind::Grid(grid.values.clone()),
            });
        }
        for (position, sample) in wire.sample.iter().enumerate() {
            let key = format!("sweep.sample[{position}]");
            let distribution = distribution(file, &key, sample)?;
            let probe = match &distribution {
                Distribution::Choice { values } => values.clone(),
                _ => vec![toml::Value::Float(0.0)],
            };
            for value in &probe {
                check_override(&base, &sample.path, value, &|message| {
                    invalid(
                        file,
                        format!("{key}.path"),
                        format!("`{}`: {message}", sample.path),
                    )
                })?;
            }
            dimensions.push(Dimension {
                path: sample.path.clone(),
                kind: DimensionKind::Sampled(distribution),
            });
        }
        for (position, dimension) in dimensions.iter().enumerate() {
            if dimensions[..position]
                .iter()
                .any(|other| other.path == dimension.path)
            {
                return Err(invalid(
                    file,
                    "sweep",
                    format!(
                        "path `{}` appears in more than one dimension",
                        dimension.path
                    ),
                ));
            }
        }
        n_grid
            .checked_mul(samples)
            .filter(|n| *n <= MAX_SCENARIOS)
            .ok_or_else(|| {
                invalid(
                    file,
                    "sweep.samples",
                    format!("the sweep exceeds {MAX_SCENARIOS} scenarios"),
                )
            })?;
        Ok(Sweep {
            file: file.to_owned(),
            base,
            seed,
            samples,
            dimensions,
            definition_hash,
            n_grid,
        })
    }

    /// Number of scenarios in the canonical expansion.
    pub fn len(&self) -> u64 {
        self.n_grid * self.samples
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The overrides of scenario `id` (no study copy; cheap).
    pub fn overrides(&self, id: u64) -> Vec<Override> {
        let sample_index = id % self.samples;
        let mut grid_rest = id / self.samples;
        let mut grid_values: Vec<Override> = Vec::new();
        for dimension in self.dimensions.iter().rev() {
            if let DimensionKind::Grid(values) = &dimension.kind {
                let n_values = values.len() as u64;
                let index = usize::try_from(grid_rest % n_values).unwrap_or(0);
                grid_rest /= n_values;
                grid_values.push(Override {
                    path: dimension.path.clone(),
                    value: values[index].clone(),
                });
            }
        }
        grid_values.reverse();
        let sample_stream =
            splitmix64(self.seed ^ 0x5357_4545_5053_414d) ^ splitmix64(sample_index);
        for dimension in &self.dimensions {
            if let DimensionKind::Sampled(distribution) = &dimension.kind {
                let seed = sample_stream ^ fnv1a(dimension.path.as_bytes());
                let mut rng = ChaCha8Rng::seed_from_u64(splitmix64(seed));
                grid_values.push(Override {
                    path: dimension.path.clone(),
                    value: distribution.draw(&mut rng),
                });
            }
        }
        grid_values
    }

    /// Scenario `id` with its study, seed and hash.
    pub fn scenario(&self, id: u64) -> Result<Scenario, Error> {
        if id >= self.len() {
            return Err(invalid(
                &self.file,
                "sweep",
                format!(
                    "scenario {id} does not exist (the sweep has {})",
                    self.len()
                ),
            ));
        }
        let overrides = self.overrides(id);
        let seed = scenario_seed(self.seed, id);
        let mut study = self.base.clone();
        if !overrides.iter().any(|o| o.path == "options.seed") {
            if let toml::Value::Table(table) = &mut study {
                let options = table
                    .entry("options")
                    .or_insert_with(|| toml::Value::Table(toml::Table::new()));
                if let toml::Value::Table(options) = options {
                    options.insert(
                        "seed".to_owned(),
                        toml::Value::Integer(i64::try_from(seed).unwrap_or(i64::MAX)),
                    );
                }
            }
        }
        for item in &overrides {
            set(&mut study, &item.path, item.value.clone(), &|message| {
                invalid(&self.file, format!("sweep path `{}`", item.path), message)
            })?;
        }
        Ok(Scenario {
            id,
            grid_index: id / self.samples,
            sample_index: id % self.samples,
            seed,
            hash: value_hash(&study),
            overrides,
            study,
        })
    }

    /// Dimension paths, the result columns that describe a scenario.
    pub fn paths(&self) -> Vec<String> {
        self.dimensions.iter().map(|d| d.path.clone()).collect()
    }
}
