//! Reads a folder written by `pypsa.Network.export_to_csv_folder` (PyPSA 1.x).
//!
//! PyPSA writes only non-default data: a static column is absent when every row has the default,
//! a time-series column only when some value differs. Every default applied here is PyPSA 1.4's
//! (its component attribute tables), written beside the read.
//! Because only non-default columns are written, any column we do not use is a real setting we
//! would drop: it is reported as a warning, or refused when ignoring it would change the problem's
//! meaning (annuitised overnight costs, quadratic costs, multi-period).
//! PyPSA's MILP attributes (`committable` with its up/down times, start-up, shut-down and
//! stand-by costs; ramp limits; `p_nom_mod`) are read into [`Operation`] and [`Capacity::module`].

use std::collections::{HashMap, HashSet};
use std::path::Path;

use atomplan_core::{Diagnostic, Location};

use crate::network::{
    Bus, Capacity, Carrier, ConstraintSense, Generator, GlobalConstraint, InvestmentPeriod, Line,
    Link, Load, Network, Operation, Series, Snapshots, StorageUnit,
};
use crate::pypsa::table::{malformed, parse_number, Column, Table};
use crate::Error;

/// A network read from a folder, with the warnings found on the way.
#[derive(Debug, Clone)]
pub struct Imported {
    pub network: Network,
    pub warnings: Vec<Diagnostic>,
}

/// Static files we read, in the order we read them.
const SUPPORTED_FILES: &[&str] = &[
    "network.csv",
    "snapshots.csv",
    "buses.csv",
    "carriers.csv",
    "generators.csv",
    "loads.csv",
    "storage_units.csv",
    "links.csv",
    "lines.csv",
    "global_constraints.csv",
    "investment_periods.csv",
];

/// Components atomplan does not model; a folder with rows for any of them is refused.
const UNSUPPORTED_COMPONENTS: &[(&str, &str)] = &[
    ("stores.csv", "Store"),
    ("transformers.csv", "Transformer"),
    ("shunt_impedances.csv", "ShuntImpedance"),
    ("processes.csv", "Process"),
    ("scenarios.csv", "Scenario"),
];

/// Files and columns that carry no optimisation meaning (geometry, labels, power-flow set points).
const HARMLESS_FILES: &[&str] = &[
    "meta.json",
    "crs.json",
    "sub_networks.csv",
    "shapes.csv",
    "line_types.csv",
    "transformer_types.csv",
];
const HARMLESS_COLUMNS: &[&str] = &[
    "x",
    "y",
    "type",
    "unit",
    "location",
    "country",
    "control",
    "sub_network",
    "v_mag_pu_set",
    "v_mag_pu_min",
    "v_mag_pu_max",
    "generator",
    "q_set",
    "weight",
    "color",
    "nice_name",
    "length",
    "terrain_factor",
    "p_nom_opt",
    "s_nom_opt",
    "mu",
    "g",
    "b",
    "num_parallel",
    "v_ang_min",
    "v_ang_max",
    "max_growth",
    "max_relative_growth",
    "x_pu",
    "r_pu",
    "g_pu",
    "b_pu",
    "x_pu_eff",
    "r_pu_eff",
    "srid",
    "pypsa_version",
    "name",
    "carrier",
    "p_nom",
    "s_nom",
];
/// Time-series attributes that are outputs of a previous solve (ignored silently).
const OUTPUT_SERIES: &[&str] = &[
    "p",
    "q",
    "p0",
    "p1",
    "q0",
    "q1",
    "p_dispatch",
    "p_store",
    "state_of_charge",
    "spill",
    "marginal_price",
    "v_ang",
    "v_mag_pu",
    "mu_upper",
    "mu_lower",
    "mu_energy_balance",
    "status",
    "start_up",
    "shut_down",
    "mu_state_of_charge_set",
    "mu_p_set",
    "e",
];

/// Each component's values of one time series, by component name.
type SeriesColumns = HashMap<String, Vec<f64>>;

/// Where the tables of a network come from: a CSV folder, or DataFrames handed over in memory.
/// Tables are named by their CSV file (`generators.csv`, `generators-p_max_pu.csv`) either way.
trait Source {
    /// The files (or in-memory tables under their file names) that exist.
    fn files(&self) -> &HashSet<String>;
    /// A static table.
    fn table(&self, file: &str) -> Result<Table, Error>;
    /// A time series: the header of its index column (CSV only) and each component's values,
    /// checked to have one finite value per snapshot.
    fn series(
        &self,
        file: &str,
        n_snapshots: usize,
    ) -> Result<(Option<String>, SeriesColumns), Error>;
    /// How to name `file` in a message.
    fn label(&self, file: &str) -> String;
}

struct FolderSource<'a> {
    folder: &'a Path,
    files: HashSet<String>,
}

impl Source for FolderSource<'_> {
    fn files(&self) -> &HashSet<String> {
        &self.files
    }

    fn table(&self, file: &str) -> Result<Table, Error> {
        Table::read(self.folder, file)
    }

    fn series(
        &self,
        file: &str,
        n_snapshots: usize,
    ) -> Result<(Option<String>, SeriesColumns), Error> {
        let table = Table::read(self.folder, file)?;
        if table.len() != n_snapshots {
            return Err(malformed(
                file,
                None,
                None,
                format!(
                    "{} rows, but snapshots.csv has {n_snapshots} snapshots",
                    table.len(),
                ),
            ));
        }
        let mut columns = HashMap::new();
        for (column_idx, header) in table.headers.iter().enumerate().skip(1) {
            let mut values = Vec::with_capacity(table.len());
            for row in 0..table.len() {
                let text = table.text(row, column_idx).unwrap_or("").trim();
                let value = parse_number(text)
                    .filter(|value| value.is_finite())
                    .ok_or_else(|| {
                        malformed(
                            file,
                            table.line(row),
                            Some(header),
                            format!("`{text}` is not a finite number"),
                        )
                    })?;
                values.push(value);
            }
            columns.insert(header.clone(), values);
        }
        Ok((table.headers.first().cloned(), columns))
    }

    fn label(&self, file: &str) -> String {
        file.to_owned()
    }
}

/// One time series in memory: list name (`generators`), attribute (`p_max_pu`) and each
/// component's values, one per snapshot.
pub type FrameSeries = (String, String, Vec<(String, Vec<f64>)>);

/// A PyPSA network's tables in memory, as a `pypsa.Network` holds them: the static DataFrames
/// (`n.generators`, with `name` as a column) and the time series (`n.generators_t.p_max_pu`).
/// They go through the same reader as a CSV folder, so the same defaults and checks apply.
#[derive(Debug, Clone, Default)]
pub struct Frames {
    /// The network's name.
    pub name: String,
    /// Static tables by PyPSA list name (`network`, `snapshots`, `buses`, `generators`, …); each
    /// is its columns with their cells. `snapshots` has `snapshot`, `objective`, `stores` and
    /// `generators`.
    pub statics: Vec<(String, Vec<(String, Column)>)>,
    /// Time series by list name and attribute: each component's values, one per snapshot.
    pub series: Vec<FrameSeries>,
}

struct MemorySource {
    files: HashSet<String>,
    statics: HashMap<String, Vec<(String, Column)>>,
    series: HashMap<String, Vec<(String, Vec<f64>)>>,
}

impl Source for MemorySource {
    fn files(&self) -> &HashSet<String> {
        &self.files
    }

    fn table(&self, file: &str) -> Result<Table, Error> {
        let columns = self.statics.get(file).cloned().unwrap_or_default();
        Table::from_columns(&self.label(file), columns)
    }

    fn series(
        &self,
        file: &str,
        n_snapshots: usize,
    ) -> Result<(Option<String>, SeriesColumns), Error> {
        let label = self.label(file);
        let mut columns = HashMap::new();
        for (name, values) in self.series.get(file).into_iter().flatten() {
            if values.len() != n_snapshots {
                return Err(malformed(
                    &label,
                    None,
                    Some(name),
                    format!(
                        "{} values, but the network has {n_snapshots} snapshots",
                        values.len()
                    ),
                ));
            }
            if let Some(t) = values.iter().position(|value| !value.is_finite()) {
                return Err(malformed(
                    &label,
                    None,
                    Some(name),
                    format!("`{}` at snapshot {t} is not a finite number", values[t]),
                ));
            }
            columns.insert(name.clone(), values.clone());
        }
        Ok((None, columns))
    }

    fn label(&self, file: &str) -> String {
        let stem = file.strip_suffix(".csv").unwrap_or(file);
        match stem.split_once('-') {
            Some((component, attribute)) => format!("n.{component}_t.{attribute}"),
            None => format!("n.{stem}"),
        }
    }
}

/// Reads a PyPSA CSV folder.
pub fn read_folder(folder: &Path) -> Result<Imported, Error> {
    if !folder.is_dir() {
        return Err(malformed(
            &folder.display().to_string(),
            None,
            None,
            "not a folder".to_owned(),
        ));
    }
    let source = FolderSource {
        folder,
        files: list_files(folder)?,
    };
    let name = folder
        .file_name()
        .map_or_else(String::new, |name| name.to_string_lossy().into_owned());
    read_source(&source, name)
}

/// Reads a network handed over in memory (see [`Frames`]) through the same importer as a
/// folder. A warning here is a setting that would be dropped: callers that hold every column,
/// defaults included, should first drop the columns at PyPSA's defaults (as
/// `export_to_csv_folder` does) and treat any warning left as an error.
pub fn read_frames(frames: Frames) -> Result<Imported, Error> {
    let mut files = HashSet::new();
    let mut statics = HashMap::new();
    for (list_name, columns) in frames.statics {
        let file = format!("{list_name}.csv");
        files.insert(file.clone());
        statics.insert(file, columns);
    }
    let mut series: HashMap<String, Vec<(String, Vec<f64>)>> = HashMap::new();
    for (list_name, attribute, columns) in frames.series {
        if columns.is_empty() {
            continue;
        }
        let file = format!("{list_name}-{attribute}.csv");
        files.insert(file.clone());
        series.entry(file).or_default().extend(columns);
    }
    let source = MemorySource {
        files,
        statics,
        series,
    };
    read_source(&source, frames.name)
}

fn read_source(source: &dyn Source, name: String) -> Result<Imported, Error> {
    let mut warnings = Vec::new();
    let files = source.files();
    for (file, component) in UNSUPPORTED_COMPONENTS {
        if files.contains(*file) {
            let table = source.table(file)?;
            if table.len() > 0 {
                return Err(malformed(
                    &source.label(file),
                    None,
                    None,
                    format!(
                        "the `{component}` component is not supported by atomplan ({} rows)",
                        table.len()
                    ),
                ));
            }
        }
    }
    let mut network = Network {
        name,
        ..Network::default()
    };
    let mut multi_invest_flag = false;
    if files.contains("network.csv") {
        let table = source.table("network.csv")?;
        if table.len() > 0 {
            network.name = table.str_or(0, "name", &network.name);
            multi_invest_flag = !matches!(
                table.str_or(0, "_multi_invest", "0").as_str(),
                "0" | "False" | "false" | "0.0"
            );
        }
    }
    network.snapshots = read_snapshots(source)?;
    // A snapshot index with a `period` level makes the network multi-period: PyPSA solves it so
    // with `optimize(multi_investment_periods=True)`, the only reading under which its
    // `build_year` and `lifetime` mean anything.
    network.investment_periods = read_investment_periods(source, &network.snapshots)?;
    if multi_invest_flag && !network.is_multi_period() {
        return Err(malformed(
            "network.csv",
            Some(2),
            Some("_multi_invest"),
            "the network was solved with investment periods, but snapshots.csv has no `period` column".to_owned(),
        ));
    }
    let n_t = network.snapshots.len();

    let buses = read_optional(source, "buses.csv")?;
    if let Some(table) = &buses {
        for row in 0..table.len() {
            network.buses.push(Bus {
                name: table.required_str(row, "name")?,
                v_nom: table.f64_or(row, "v_nom", 1.0)?,
                carrier: table.str_or(row, "carrier", "AC"),
            });
        }
        warn_unused(table, &mut warnings);
    }
    let bus_index: HashMap<String, usize> = network
        .buses
        .iter()
        .enumerate()
        .map(|(idx, bus)| (bus.name.clone(), idx))
        .collect();
    let find_bus = |table: &Table, row: usize, column: &str| -> Result<usize, Error> {
        let name = table.required_str(row, column)?;
        bus_index
            .get(&name)
            .copied()
            .ok_or_else(|| table.error(row, column, format!("bus `{name}` is not in buses.csv")))
    };

    if let Some(table) = read_optional(source, "carriers.csv")? {
        for row in 0..table.len() {
            network.carriers.push(Carrier {
                name: table.required_str(row, "name")?,
                co2_emissions: table.f64_or(row, "co2_emissions", 0.0)?,
            });
        }
        warn_unused(&table, &mut warnings);
    }

    // Generators.
    if let Some(table) = read_optional(source, "generators.csv")? {
        let active = active_rows(&table)?;
        let mut series = SeriesFiles::new(source, "generators", n_t);
        for &row in &active {
            refuse_nonzero(&table, row, "marginal_cost_quadratic", "quadratic costs")?;
            refuse_overnight_cost(&table, row)?;
            let name = table.required_str(row, "name")?;
            let operation = read_operation(&table, row, &name, &mut series)?;
            let generator = Generator {
                operation,
                bus: find_bus(&table, row, "bus")?,
                carrier: table.str_or(row, "carrier", ""),
                capacity: read_capacity(&table, row, "p")?,
                p_min_pu: series.get(&table, row, &name, "p_min_pu", 0.0)?,
                p_max_pu: series.get(&table, row, &name, "p_max_pu", 1.0)?,
                marginal_cost: series.get(&table, row, &name, "marginal_cost", 0.0)?,
                // PyPSA divides a carrier's emissions by it: 0 or below is no generator.
                efficiency: positive(&table, row, "efficiency", 1.0)?,
                sign: table.f64_or(row, "sign", 1.0)?,
                name,
            };
            check_module_count(&table, row, &generator.capacity, &generator.operation)?;
            network.generators.push(generator);
        }
        warn_unused(&table, &mut warnings);
        series.finish(&table, &active, &mut warnings)?;
    }

    // Loads.
    if let Some(table) = read_optional(source, "loads.csv")? {
        let active = active_rows(&table)?;
        let mut series = SeriesFiles::new(source, "loads", n_t);
        for &row in &active {
            let name = table.required_str(row, "name")?;
            network.loads.push(Load {
                bus: find_bus(&table, row, "bus")?,
                p_set: series.get(&table, row, &name, "p_set", 0.0)?,
                sign: table.f64_or(row, "sign", -1.0)?,
                name,
            });
        }
        warn_unused(&table, &mut warnings);
        series.finish(&table, &active, &mut warnings)?;
    }

    // Storage units.
    if let Some(table) = read_optional(source, "storage_units.csv")? {
        let active = active_rows(&table)?;
        let mut series = SeriesFiles::new(source, "storage_units", n_t);
        for &row in &active {
            refuse_nonzero(&table, row, "marginal_cost_quadratic", "quadratic costs")?;
            refuse_overnight_cost(&table, row)?;
            let name = table.required_str(row, "name")?;
            let unit = StorageUnit {
                bus: find_bus(&table, row, "bus")?,
                carrier: table.str_or(row, "carrier", ""),
                capacity: read_capacity(&table, row, "p")?,
                p_min_pu: series.get(&table, row, &name, "p_min_pu", -1.0)?,
                p_max_pu: series.get(&table, row, &name, "p_max_pu", 1.0)?,
                marginal_cost: series.get(&table, row, &name, "marginal_cost", 0.0)?,
                max_hours: table.f64_or(row, "max_hours", 1.0)?,
                efficiency_store: positive(&table, row, "efficiency_store", 1.0)?,
                efficiency_dispatch: positive(&table, row, "efficiency_dispatch", 1.0)?,
                standing_loss: table.f64_or(row, "standing_loss", 0.0)?,
                cyclic_state_of_charge: table.bool_or(row, "cyclic_state_of_charge", false)?,
                state_of_charge_initial: table.f64_or(row, "state_of_charge_initial", 0.0)?,
                cyclic_state_of_charge_per_period: table.bool_or(
                    row,
                    "cyclic_state_of_charge_per_period",
                    false,
                )?,
                state_of_charge_initial_per_period: table.bool_or(
                    row,
                    "state_of_charge_initial_per_period",
                    false,
                )?,
                inflow: series.get(&table, row, &name, "inflow", 0.0)?,
                sign: table.f64_or(row, "sign", 1.0)?,
                name,
            };
            network.storage_units.push(unit);
        }
        warn_unused(&table, &mut warnings);
        series.finish(&table, &active, &mut warnings)?;
    }

    // Links.
    if let Some(table) = read_optional(source, "links.csv")? {
        let active = active_rows(&table)?;
        let mut series = SeriesFiles::new(source, "links", n_t);
        for header in &table.headers {
            let is_extra_bus = header.strip_prefix("bus").is_some_and(|rest| {
                !rest.is_empty()
                    && rest != "0"
                    && rest != "1"
                    && rest.chars().all(|c| c.is_ascii_digit())
            });
            if is_extra_bus {
                let column = header.clone();
                for &row in &active {
                    if !table.str_or(row, &column, "").is_empty() {
                        return Err(table.error(
                            row,
                            &column,
                            "links with more than two buses are not supported".to_owned(),
                        ));
                    }
                }
            }
        }
        for &row in &active {
            refuse_nonzero(&table, row, "marginal_cost_quadratic", "quadratic costs")?;
            refuse_overnight_cost(&table, row)?;
            let name = table.required_str(row, "name")?;
            let operation = read_operation(&table, row, &name, &mut series)?;
            let link = Link {
                operation,
                bus0: find_bus(&table, row, "bus0")?,
                bus1: find_bus(&table, row, "bus1")?,
                carrier: table.str_or(row, "carrier", ""),
                capacity: read_capacity(&table, row, "p")?,
                efficiency: table.f64_or(row, "efficiency", 1.0)?,
                p_min_pu: series.get(&table, row, &name, "p_min_pu", 0.0)?,
                p_max_pu: series.get(&table, row, &name, "p_max_pu", 1.0)?,
                marginal_cost: series.get(&table, row, &name, "marginal_cost", 0.0)?,
                name,
            };
            check_module_count(&table, row, &link.capacity, &link.operation)?;
            network.links.push(link);
        }
        warn_unused(&table, &mut warnings);
        series.finish(&table, &active, &mut warnings)?;
    }

    // Lines.
    if let Some(table) = read_optional(source, "lines.csv")? {
        let active = active_rows(&table)?;
        let mut series = SeriesFiles::new(source, "lines", n_t);
        for &row in &active {
            refuse_overnight_cost(&table, row)?;
            if !table.str_or(row, "type", "").is_empty() {
                warnings.push(table.warning(
                    row,
                    "type",
                    "standard line types are not supported; `x` and `r` are used as given",
                ));
            }
            let name = table.required_str(row, "name")?;
            let line = Line {
                bus0: find_bus(&table, row, "bus0")?,
                bus1: find_bus(&table, row, "bus1")?,
                x: table.f64_or(row, "x", 0.0)?,
                r: table.f64_or(row, "r", 0.0)?,
                capacity: read_capacity(&table, row, "s")?,
                s_max_pu: series.get(&table, row, &name, "s_max_pu", 1.0)?,
                name,
            };
            network.lines.push(line);
        }
        warn_unused(&table, &mut warnings);
        series.finish(&table, &active, &mut warnings)?;
    }

    // Global constraints.
    if let Some(table) = read_optional(source, "global_constraints.csv")? {
        for row in 0..table.len() {
            let name = table.required_str(row, "name")?;
            let kind = table.str_or(row, "type", "primary_energy");
            if kind != "primary_energy" {
                return Err(table.error(
                    row,
                    "type",
                    format!(
                        "global constraint type `{kind}` is not supported (only `primary_energy`)"
                    ),
                ));
            }
            let investment_period = match table.f64_opt(row, "investment_period")? {
                None => None,
                Some(period) => {
                    let known = network
                        .investment_periods
                        .iter()
                        .find(|p| f64::from(p.period) == period);
                    match known {
                        Some(p) => Some(p.period),
                        None if network.is_multi_period() => {
                            return Err(table.error(
                                row,
                                "investment_period",
                                format!("{period} is not an investment period of the network"),
                            ))
                        }
                        None => {
                            return Err(table.error(
                                row,
                                "investment_period",
                                "the network has no investment periods (no `period` column in snapshots.csv)".to_owned(),
                            ))
                        }
                    }
                }
            };
            let carrier_attribute = table.str_or(row, "carrier_attribute", "co2_emissions");
            if carrier_attribute != "co2_emissions" {
                return Err(table.error(row, "carrier_attribute", format!("carrier attribute `{carrier_attribute}` is not supported (only `co2_emissions`)")));
            }
            let sense_text = table.str_or(row, "sense", "==");
            let sense = match sense_text.as_str() {
                "<=" => ConstraintSense::LessEqual,
                ">=" => ConstraintSense::GreaterEqual,
                "==" | "=" => ConstraintSense::Equal,
                other => {
                    return Err(table.error(
                        row,
                        "sense",
                        format!("`{other}` is not a sense (`<=`, `>=` or `==`)"),
                    ))
                }
            };
            let constant = table.f64_or(row, "constant", 0.0)?;
            if !constant.is_finite() {
                return Err(table.error(row, "constant", "the constant must be finite".to_owned()));
            }
            let _ = table.column("bus");
            network.global_constraints.push(GlobalConstraint {
                name,
                carrier_attribute,
                sense,
                constant,
                investment_period,
            });
        }
        warn_unused(&table, &mut warnings);
    }

    // Files we do not know at all.
    for file in files {
        let known = SUPPORTED_FILES.contains(&file.as_str())
            || HARMLESS_FILES.contains(&file.as_str())
            || UNSUPPORTED_COMPONENTS.iter().any(|(name, _)| name == file)
            || is_series_file(file);
        if !known {
            warnings.push(Diagnostic::warning(
                Location::file(source.label(file)),
                "file not recognised; ignored",
            ));
        }
    }
    check_names_unique(&network)?;
    Ok(Imported { network, warnings })
}

fn is_series_file(file: &str) -> bool {
    let Some(stem) = file.strip_suffix(".csv") else {
        return false;
    };
    let Some((component, _attribute)) = stem.split_once('-') else {
        return false;
    };
    SUPPORTED_FILES.contains(&format!("{component}.csv").as_str())
}

fn list_files(folder: &Path) -> Result<HashSet<String>, Error> {
    let entries = std::fs::read_dir(folder).map_err(|error| {
        malformed(
            &folder.display().to_string(),
            None,
            None,
            format!("cannot list the folder: {error}"),
        )
    })?;
    Ok(entries
        .filter_map(Result::ok)
        .filter(|entry| entry.path().is_file())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect())
}

fn read_optional(source: &dyn Source, file: &str) -> Result<Option<Table>, Error> {
    if source.files().contains(file) {
        source.table(file).map(Some)
    } else {
        Ok(None)
    }
}

fn read_snapshots(source: &dyn Source) -> Result<Snapshots, Error> {
    let Some(table) = read_optional(source, "snapshots.csv")? else {
        // PyPSA's default: one snapshot "now" with weight 1.
        return Ok(Snapshots {
            names: vec!["now".to_owned()],
            objective: vec![1.0],
            stores: vec![1.0],
            generators: vec![1.0],
            periods: Vec::new(),
        });
    };
    let name_column = if table.has_column("snapshot") {
        "snapshot".to_owned()
    } else if table.has_column("name") {
        "name".to_owned()
    } else {
        table.headers.first().cloned().unwrap_or_default()
    };
    let mut snapshots = Snapshots::default();
    // A multi-period network: PyPSA writes the snapshot index's two levels as `period` and
    // `timestep` (`n.set_snapshots(MultiIndex)`, `n.investment_periods`).
    let has_periods = table.has_column("period");
    for row in 0..table.len() {
        if has_periods {
            let period = table.f64_or(row, "period", f64::NAN)?;
            if !(period.is_finite() && period.fract() == 0.0 && period.abs() < 1e6) {
                return Err(table.error(
                    row,
                    "period",
                    format!("the investment period must be a whole year, not `{period}`"),
                ));
            }
            #[allow(clippy::cast_possible_truncation)]
            let period = period as i32;
            if snapshots.periods.last().is_some_and(|&last| period < last) {
                return Err(table.error(
                    row,
                    "period",
                    format!(
                        "snapshots must be ordered by investment period, but {period} follows {}",
                        snapshots.periods[snapshots.periods.len() - 1]
                    ),
                ));
            }
            snapshots.periods.push(period);
            let timestep = table.str_or(row, "timestep", &row.to_string());
            snapshots.names.push(format!("{period} {timestep}"));
        } else {
            snapshots
                .names
                .push(table.str_or(row, &name_column, &row.to_string()));
        }
        for (column, target) in [
            ("objective", &mut snapshots.objective),
            ("stores", &mut snapshots.stores),
            ("generators", &mut snapshots.generators),
        ] {
            let value = table.f64_or(row, column, 1.0)?;
            if !value.is_finite() || value < 0.0 {
                return Err(table.error(
                    row,
                    column,
                    format!("weighting `{value}` must be a finite number ≥ 0"),
                ));
            }
            target.push(value);
        }
    }
    if snapshots.is_empty() {
        return Err(malformed(
            "snapshots.csv",
            None,
            None,
            "no snapshots".to_owned(),
        ));
    }
    Ok(snapshots)
}

/// `investment_periods.csv` (PyPSA's `investment_period_weightings`: `period`, `objective`,
/// `years`), checked against the periods of the snapshots. Without the file, the periods are
/// those of the snapshots with both weightings 1, PyPSA's default.
fn read_investment_periods(
    source: &dyn Source,
    snapshots: &Snapshots,
) -> Result<Vec<InvestmentPeriod>, Error> {
    let mut labels: Vec<i32> = snapshots.periods.clone();
    labels.dedup();
    let table = read_optional(source, "investment_periods.csv")?.filter(|t| t.len() > 0);
    let Some(table) = table else {
        return Ok(labels
            .into_iter()
            .map(|period| InvestmentPeriod {
                period,
                objective: 1.0,
                years: 1.0,
            })
            .collect());
    };
    if labels.is_empty() {
        return Err(table.error(
            0,
            "period",
            "investment periods are given, but snapshots.csv has no `period` column".to_owned(),
        ));
    }
    let label_column = if table.has_column("period") {
        "period".to_owned()
    } else {
        table.headers.first().cloned().unwrap_or_default()
    };
    let mut periods = Vec::with_capacity(table.len());
    for row in 0..table.len() {
        let label = table.f64_or(row, &label_column, f64::NAN)?;
        if !(label.is_finite() && label.fract() == 0.0 && label.abs() < 1e6) {
            return Err(table.error(
                row,
                &label_column,
                format!("the investment period must be a whole year, not `{label}`"),
            ));
        }
        #[allow(clippy::cast_possible_truncation)]
        let period = label as i32;
        let weight = |column: &str| -> Result<f64, Error> {
            let value = table.f64_or(row, column, 1.0)?;
            if value.is_finite() && value >= 0.0 {
                Ok(value)
            } else {
                Err(table.error(
                    row,
                    column,
                    format!("weighting `{value}` must be a finite number ≥ 0"),
                ))
            }
        };
        let objective = weight("objective")?;
        let years = weight("years")?;
        periods.push(InvestmentPeriod {
            period,
            objective,
            years,
        });
    }
    let listed: Vec<i32> = periods.iter().map(|p| p.period).collect();
    if listed != labels {
        return Err(table.error(
            0,
            &label_column,
            format!(
                "the investment periods {listed:?} differ from the periods of snapshots.csv {labels:?} (both must list the same years, in order)"
            ),
        ));
    }
    Ok(periods)
}

fn active_rows(table: &Table) -> Result<Vec<usize>, Error> {
    let mut rows = Vec::with_capacity(table.len());
    for row in 0..table.len() {
        if table.bool_or(row, "active", true)? {
            rows.push(row);
        }
    }
    Ok(rows)
}

/// `p_nom`/`s_nom` with extendability, limits and capital cost (`prefix` is `p` or `s`).
fn read_capacity(table: &Table, row: usize, prefix: &str) -> Result<Capacity, Error> {
    let nominal = table.f64_or(row, &format!("{prefix}_nom"), 0.0)?;
    let extendable = table.bool_or(row, &format!("{prefix}_nom_extendable"), false)?;
    let min = table.f64_or(row, &format!("{prefix}_nom_min"), 0.0)?;
    let max = table.f64_or(row, &format!("{prefix}_nom_max"), f64::INFINITY)?;
    let capital_cost = table.f64_or(row, "capital_cost", 0.0)?;
    // PyPSA 1.x adds `fom_cost` to annuitised overnight costs; refused rather than guessed.
    refuse_nonzero(
        table,
        row,
        "fom_cost",
        "fixed O&M costs given apart from `capital_cost`",
    )?;
    let _ = table.column(&format!("{prefix}_nom_set"));
    if let Some(set) = table.f64_opt(row, &format!("{prefix}_nom_set"))? {
        return Err(table.error(row, &format!("{prefix}_nom_set"), format!("`{prefix}_nom_set` ({set}) is not supported; use `{prefix}_nom_min` and `{prefix}_nom_max`")));
    }
    for (column, value) in [
        (format!("{prefix}_nom"), nominal),
        ("capital_cost".to_owned(), capital_cost),
    ] {
        if !value.is_finite() {
            return Err(table.error(row, &column, format!("`{column}` must be finite")));
        }
    }
    if extendable && min > max {
        return Err(table.error(
            row,
            &format!("{prefix}_nom_min"),
            format!("`{prefix}_nom_min` ({min}) exceeds `{prefix}_nom_max` ({max})"),
        ));
    }
    let module = table.f64_or(row, &format!("{prefix}_nom_mod"), 0.0)?;
    if !module.is_finite() || module < 0.0 {
        return Err(table.error(
            row,
            &format!("{prefix}_nom_mod"),
            format!("`{prefix}_nom_mod` must be a finite number ≥ 0, not {module}"),
        ));
    }
    let build_year = table.f64_or(row, "build_year", 0.0)?;
    let lifetime = table.f64_or(row, "lifetime", f64::INFINITY)?;
    if !build_year.is_finite() {
        return Err(table.error(
            row,
            "build_year",
            format!("`build_year` must be a finite year, not {build_year}"),
        ));
    }
    if lifetime.is_nan() || lifetime <= 0.0 {
        return Err(table.error(
            row,
            "lifetime",
            format!("`lifetime` must be a number of years > 0 (or inf), not {lifetime}"),
        ));
    }
    Ok(Capacity {
        nominal,
        extendable,
        min,
        max,
        capital_cost,
        module,
        build_year,
        lifetime,
    })
}

/// PyPSA refuses a committable modular asset of fixed capacity whose `p_nom` is not a whole
/// number of modules (`define_committability_variables_constraints_with_fixed_upper_limit`).
fn check_module_count(
    table: &Table,
    row: usize,
    capacity: &Capacity,
    operation: &Operation,
) -> Result<(), Error> {
    if operation.committable && capacity.is_modular() && !capacity.extendable {
        let count = capacity.nominal / capacity.module;
        if (count - count.round()).abs() > 1e-6 {
            return Err(table.error(row, "p_nom_mod", format!(
                    "a committable asset of fixed capacity must have `p_nom` ({}) a multiple of `p_nom_mod` ({})",
                    capacity.nominal, capacity.module
                )));
        }
    }
    Ok(())
}

/// A whole number of snapshots ≥ 0 (`min_up_time`, `up_time_before`, …).
fn snapshots_count(
    table: &Table,
    row: usize,
    column: &str,
    default: usize,
) -> Result<usize, Error> {
    let value = table.f64_or(row, column, default as f64)?;
    if !value.is_finite() || value < 0.0 || value.fract() != 0.0 || value > u32::MAX as f64 {
        return Err(table.error(
            row,
            column,
            format!("`{column}` must be a whole number of snapshots ≥ 0, not {value}"),
        ));
    }
    Ok(value as usize)
}

/// Unit commitment and ramp limits of a generator or link, with PyPSA 1.4's defaults
/// (`committable` False, up/down times 0, `up_time_before` 1, costs 0, ramp limits NaN).
fn read_operation(
    table: &Table,
    row: usize,
    name: &str,
    series: &mut SeriesFiles<'_>,
) -> Result<Operation, Error> {
    let committable = table.bool_or(row, "committable", false)?;
    let mut operation = Operation {
        committable,
        min_up_time: snapshots_count(table, row, "min_up_time", 0)?,
        min_down_time: snapshots_count(table, row, "min_down_time", 0)?,
        up_time_before: snapshots_count(table, row, "up_time_before", 1)?,
        down_time_before: snapshots_count(table, row, "down_time_before", 0)?,
        start_up_cost: series.get(table, row, name, "start_up_cost", 0.0)?,
        shut_down_cost: series.get(table, row, name, "shut_down_cost", 0.0)?,
        stand_by_cost: series.get(table, row, name, "stand_by_cost", 0.0)?,
        ramp_limit_up: series.get_optional(table, row, name, "ramp_limit_up")?,
        ramp_limit_down: series.get_optional(table, row, name, "ramp_limit_down")?,
        ramp_limit_start_up: table.f64_opt(row, "ramp_limit_start_up")?,
        ramp_limit_shut_down: table.f64_opt(row, "ramp_limit_shut_down")?,
        p_init: table.f64_opt(row, "p_init")?,
    };
    for (column, value) in [
        ("ramp_limit_start_up", operation.ramp_limit_start_up),
        ("ramp_limit_shut_down", operation.ramp_limit_shut_down),
        ("p_init", operation.p_init),
    ] {
        if value.is_some_and(|v| !v.is_finite()) {
            return Err(table.error(row, column, format!("`{column}` must be finite")));
        }
    }
    if !committable {
        // PyPSA ignores these without `committable`; keep the model identical.
        operation.start_up_cost = Series::Static(0.0);
        operation.shut_down_cost = Series::Static(0.0);
        operation.stand_by_cost = Series::Static(0.0);
    }
    Ok(operation)
}

fn positive(table: &Table, row: usize, column: &str, default: f64) -> Result<f64, Error> {
    let value = table.f64_or(row, column, default)?;
    if value > 0.0 && value.is_finite() {
        Ok(value)
    } else {
        Err(table.error(
            row,
            column,
            format!("`{column}` must be a positive finite number, not {value}"),
        ))
    }
}

fn refuse_nonzero(table: &Table, row: usize, column: &str, what: &str) -> Result<(), Error> {
    let value = table.f64_or(row, column, 0.0)?;
    if value != 0.0 {
        return Err(table.error(
            row,
            column,
            format!("{what} (`{column}` = {value}) are not supported"),
        ));
    }
    Ok(())
}

fn refuse_overnight_cost(table: &Table, row: usize) -> Result<(), Error> {
    let _ = table.column("discount_rate");
    if let Some(value) = table.f64_opt(row, "overnight_cost")? {
        return Err(table.error(
            row,
            "overnight_cost",
            format!(
                "`overnight_cost` ({value}) is not supported; give an annualised `capital_cost`"
            ),
        ));
    }
    Ok(())
}

fn warn_unused(table: &Table, warnings: &mut Vec<Diagnostic>) {
    for column in table.unused_columns() {
        if HARMLESS_COLUMNS.contains(&column.as_str()) || column == "active" {
            continue;
        }
        warnings.push(Diagnostic::warning(
            Location::file(&table.file).with_field(&column),
            "attribute not supported by atomplan; ignored",
        ));
    }
}

/// The time-series files of one component (`generators-p_max_pu.csv`, …), read on first use.
struct SeriesFiles<'a> {
    source: &'a dyn Source,
    component: &'static str,
    n_snapshots: usize,
    /// attribute → (file name, column name → values).
    loaded: HashMap<String, (String, HashMap<String, Vec<f64>>)>,
    /// (file name, header of its first column): the snapshot index PyPSA writes first.
    index_headers: Vec<(String, String)>,
}

impl<'a> SeriesFiles<'a> {
    fn new(source: &'a dyn Source, component: &'static str, n_snapshots: usize) -> Self {
        SeriesFiles {
            source,
            component,
            n_snapshots,
            loaded: HashMap::new(),
            index_headers: Vec::new(),
        }
    }

    fn load(&mut self, attribute: &str) -> Result<(), Error> {
        if self.loaded.contains_key(attribute) {
            return Ok(());
        }
        let file = format!("{}-{attribute}.csv", self.component);
        let mut columns = HashMap::new();
        if self.source.files().contains(&file) {
            let (index_header, read) = self.source.series(&file, self.n_snapshots)?;
            if let Some(first) = index_header {
                self.index_headers.push((file.clone(), first));
            }
            columns = read;
        }
        self.loaded.insert(attribute.to_owned(), (file, columns));
        Ok(())
    }

    /// The series of `attribute` for component `name`: its column in the series file if any, else
    /// the static column, else `default`.
    fn get(
        &mut self,
        table: &Table,
        row: usize,
        name: &str,
        attribute: &str,
        default: f64,
    ) -> Result<Series, Error> {
        self.load(attribute)?;
        let static_value = table.f64_or(row, attribute, default)?;
        if let Some((_, columns)) = self.loaded.get(attribute) {
            if let Some(values) = columns.get(name) {
                return Ok(Series::Varying(values.clone()));
            }
        }
        if !static_value.is_finite() {
            return Err(table.error(row, attribute, format!("`{attribute}` must be finite")));
        }
        Ok(Series::Static(static_value))
    }

    /// Like [`Self::get`] for attributes whose default is NaN (no limit): `None` when neither the
    /// series file nor the static column gives a value.
    fn get_optional(
        &mut self,
        table: &Table,
        row: usize,
        name: &str,
        attribute: &str,
    ) -> Result<Option<Series>, Error> {
        self.load(attribute)?;
        let static_value = table.f64_opt(row, attribute)?;
        if let Some((_, columns)) = self.loaded.get(attribute) {
            if let Some(values) = columns.get(name) {
                return Ok(Some(Series::Varying(values.clone())));
            }
        }
        match static_value {
            Some(value) if !value.is_finite() => {
                Err(table.error(row, attribute, format!("`{attribute}` must be finite")))
            }
            other => Ok(other.map(Series::Static)),
        }
    }

    /// Checks that every series column names an existing component, and warns on series files
    /// of attributes that were not read.
    fn finish(
        &self,
        table: &Table,
        active: &[usize],
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<(), Error> {
        let all_names: HashSet<String> = (0..table.len())
            .map(|row| table.str_or(row, "name", ""))
            .collect();
        let _ = active;
        // A series file whose first column is a component has lost its snapshot index: reading
        // it would drop that component's series without a word.
        for (file, first) in &self.index_headers {
            if all_names.contains(first) {
                return Err(malformed(
                    file,
                    Some(1),
                    Some(first),
                    format!(
                        "the first column is component `{first}`, but a series file starts with the snapshot index column (as PyPSA writes it: `snapshot` or an empty header); add the index column"
                    ),
                ));
            }
        }
        for (file, columns) in self.loaded.values() {
            for column in columns.keys() {
                if !all_names.contains(column) {
                    return Err(malformed(
                        &self.source.label(file),
                        table.line(0).map(|_| 1),
                        Some(column),
                        format!("no component named `{column}` in {}", table.file),
                    ));
                }
            }
        }
        let prefix = format!("{}-", self.component);
        let mut unread: Vec<&String> = self
            .source
            .files()
            .iter()
            .filter(|file| file.starts_with(&prefix) && file.ends_with(".csv"))
            .collect();
        unread.sort();
        for file in unread {
            let attribute = &file[prefix.len()..file.len() - 4];
            if self.loaded.contains_key(attribute) || OUTPUT_SERIES.contains(&attribute) {
                continue;
            }
            warnings.push(Diagnostic::warning(
                Location::file(self.source.label(file)),
                format!("time series of `{attribute}` not supported by atomplan; ignored"),
            ));
        }
        Ok(())
    }
}

fn check_names_unique(network: &Network) -> Result<(), Error> {
    fn check<'a>(file: &str, names: impl Iterator<Item = &'a String>) -> Result<(), Error> {
        let mut seen = HashSet::new();
        for name in names {
            if !seen.insert(name) {
                return Err(malformed(
                    file,
                    None,
                    Some("name"),
                    format!("the name `{name}` appears twice"),
                ));
            }
        }
        Ok(())
    }
    check("buses.csv", network.buses.iter().map(|c| &c.name))?;
    check("generators.csv", network.generators.iter().map(|c| &c.name))?;
    check("loads.csv", network.loads.iter().map(|c| &c.name))?;
    check(
        "storage_units.csv",
        network.storage_units.iter().map(|c| &c.name),
    )?;
    check("links.csv", network.links.iter().map(|c| &c.name))?;
    check("lines.csv", network.lines.iter().map(|c| &c.name))?;
    check(
        "global_constraints.csv",
        network.global_constraints.iter().map(|c| &c.name),
    )
}
