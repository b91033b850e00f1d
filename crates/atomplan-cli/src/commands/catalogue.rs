//! `atomplan catalogue`: browse and check the sourced catalogue.
//!
//! Every listing honours `--format text|json|csv`; JSON listings carry each record's full
//! sources. `check` prints every problem at once and exits 2 when there is any error.

use std::process::ExitCode;

use anyhow::Context as _;
use atomplan_catalogue::json::{cost_sources, country_json, design_json, project_json};
use atomplan_catalogue::{
    Catalogue, CostEstimate, Country, Design, Diagnostic, Observation, Project, ReactorType,
    SourceId,
};
use serde_json::{json, Value};

use crate::printer::Printer;
use crate::{Format, GlobalArgs};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// List reactor designs (filters combine)
    Designs(DesignFilters),
    /// Show one reactor design or project with every field and the sources of each value
    Show {
        /// Design or project id, e.g. vver-1200 or akkuyu (`_` and case are forgiven)
        design: String,
    },
    /// List real nuclear projects
    Projects(ProjectFilters),
    /// List the countries with their headline figures
    Countries,
    /// Show one country's power system and nuclear programme
    Country {
        /// ISO 3166 alpha-2 code, e.g. TR, KZ, MN
        code: String,
    },
    /// Validate the catalogue: exit 0 when valid, 2 with every problem otherwise
    Check,
}

#[derive(Debug, Clone, Default, clap::Args)]
pub struct DesignFilters {
    /// Vendor name contains this text (case-insensitive)
    #[arg(long)]
    pub vendor: Option<String>,
    /// Vendor country contains this text (case-insensitive), e.g. Russia, USA
    #[arg(long)]
    pub country: Option<String>,
    /// Reactor type: PWR, BWR, HWR, LFR, SFR, HTGR, MSR, microreactor
    #[arg(long = "type", value_name = "TYPE")]
    pub reactor_type: Option<String>,
    /// Only small modular reactors (at most 300 MWe per module)
    #[arg(long, conflicts_with = "large")]
    pub smr: bool,
    /// Only large reactors (more than 300 MWe per module)
    #[arg(long)]
    pub large: bool,
    /// At most this many net MWe per module
    #[arg(long, value_name = "MWE")]
    pub max_mwe: Option<f64>,
    /// At least this many net MWe per module
    #[arg(long, value_name = "MWE")]
    pub min_mwe: Option<f64>,
    /// Status: concept, basic-design, detailed-design, licensing, under-construction, operating
    #[arg(long)]
    pub status: Option<String>,
}

#[derive(Debug, Clone, Default, clap::Args)]
pub struct ProjectFilters {
    /// Host country code, e.g. TR
    #[arg(long)]
    pub country: Option<String>,
    /// Design id
    #[arg(long)]
    pub design: Option<String>,
}

pub fn run(command: Command, global: &GlobalArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    let loaded = match &global.data {
        Some(dir) => Catalogue::load_dir(dir),
        None => Catalogue::builtin(),
    };
    let catalogue = match loaded {
        Ok(catalogue) => catalogue,
        Err(diagnostics) => {
            if matches!(command, Command::Check) && global.format == Format::Json {
                printer.json(&json!({ "valid": false, "diagnostics": diagnostics }));
            }
            print_diagnostics(printer, &diagnostics);
            let n_errors = diagnostics.iter().filter(|d| d.is_error()).count();
            printer.error(&format!("the catalogue has {n_errors} error(s)"));
            return Ok(ExitCode::from(2));
        }
    };
    match command {
        Command::Designs(filters) => list_designs(&catalogue, &filters, global.format, printer),
        Command::Show { design } => show_record(&catalogue, &design, global.format, printer),
        Command::Projects(filters) => list_projects(&catalogue, &filters, global.format, printer),
        Command::Countries => list_countries(&catalogue, global.format, printer),
        Command::Country { code } => show_country(&catalogue, &code, global.format, printer),
        Command::Check => check(&catalogue, global.format, printer),
    }
}

fn print_diagnostics(printer: &Printer, diagnostics: &[Diagnostic]) {
    for diagnostic in diagnostics {
        let text = format!("{}: {}", diagnostic.location, diagnostic.message);
        if diagnostic.is_error() {
            printer.error(&text);
        } else {
            printer.warning(&text);
        }
        if let Some(hint) = &diagnostic.hint {
            printer.hint(hint);
        }
    }
}

fn check(catalogue: &Catalogue, format: Format, printer: &Printer) -> anyhow::Result<ExitCode> {
    print_diagnostics(printer, catalogue.warnings());
    let summary = format!(
        "catalogue is valid: {} designs, {} projects, {} countries, {} technologies, {} sources",
        catalogue.designs().len(),
        catalogue.projects().len(),
        catalogue.countries().len(),
        catalogue.technologies().len(),
        catalogue.sources().len()
    );
    if format == Format::Json {
        printer.json(&json!({ "valid": true, "diagnostics": catalogue.warnings() }));
        printer.info(&summary);
    } else {
        printer.data(&summary);
    }
    Ok(ExitCode::SUCCESS)
}

/// A number for humans: integers without decimals, others with up to three; `-` when absent.
fn num(value: Option<f64>) -> String {
    match value {
        Some(v) if v.is_finite() => {
            if (v - v.round()).abs() < 1e-9 {
                format!("{v:.0}")
            } else {
                let text = format!("{v:.3}");
                text.trim_end_matches('0').trim_end_matches('.').to_owned()
            }
        }
        _ => "-".to_owned(),
    }
}

/// Like [`num`] but empty when absent, for CSV.
fn csv_num(value: Option<f64>) -> String {
    match value {
        Some(v) if v.is_finite() => num(Some(v)),
        _ => String::new(),
    }
}

/// Aligned text columns.
fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                out.push_str(cell);
            } else {
                out.push_str(cell);
                out.push_str(&" ".repeat(widths[i] - cell.chars().count() + 2));
            }
        }
        out.trim_end().to_owned()
    };
    let mut out = line(header.to_vec());
    out.push('\n');
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
        out.push('\n');
    }
    out
}

fn to_csv(header: &[&str], rows: &[Vec<String>]) -> anyhow::Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header)?;
    for row in rows {
        writer.write_record(row)?;
    }
    let bytes = writer.into_inner().context("cannot finish CSV output")?;
    Ok(String::from_utf8(bytes)?)
}

fn design_matches(design: &Design, filters: &DesignFilters) -> anyhow::Result<bool> {
    let contains = |haystack: &str, needle: &Option<String>| {
        needle
            .as_ref()
            .is_none_or(|n| haystack.to_lowercase().contains(&n.to_lowercase()))
    };
    if let Some(wanted) = &filters.reactor_type {
        let parsed = ReactorType::parse(wanted)
            .or_else(|| ReactorType::parse(&wanted.to_uppercase()))
            .or_else(|| ReactorType::parse(&wanted.to_lowercase()))
            .with_context(|| format!("unknown reactor type `{wanted}` for `--type`; use PWR, BWR, HWR, LFR, SFR, HTGR, MSR or microreactor"))?;
        if design.reactor_type != parsed {
            return Ok(false);
        }
    }
    let mwe = design.mwe_per_module();
    Ok(contains(&design.vendor, &filters.vendor)
        && contains(&design.vendor_country, &filters.country)
        && (!filters.smr || design.is_smr())
        && (!filters.large || !design.is_smr())
        && filters
            .max_mwe
            .is_none_or(|max| mwe.is_some_and(|m| m <= max))
        && filters
            .min_mwe
            .is_none_or(|min| mwe.is_some_and(|m| m >= min))
        && filters
            .status
            .as_ref()
            .is_none_or(|s| design.status.as_str() == s.as_str()))
}

fn list_designs(
    catalogue: &Catalogue,
    filters: &DesignFilters,
    format: Format,
    printer: &Printer,
) -> anyhow::Result<ExitCode> {
    let mut designs = Vec::new();
    for design in catalogue.designs() {
        if design_matches(design, filters)? {
            designs.push(design);
        }
    }
    match format {
        Format::Json => printer.json(&Value::Array(
            designs.iter().map(|d| design_json(catalogue, d)).collect(),
        )),
        Format::Text | Format::Csv => {
            let header = [
                "id",
                "name",
                "vendor_country",
                "type",
                "mwe_per_module",
                "modules",
                "status",
                "overnight_cost_per_kw",
                "sources",
            ];
            let rows: Vec<Vec<String>> = designs
                .iter()
                .map(|d| {
                    let cost = d.overnight_cost.as_ref().map(|c| {
                        let e = c.per_kw;
                        let range = if e.low == e.high {
                            num(e.low)
                        } else {
                            format!("{}-{}", num(e.low), num(e.high))
                        };
                        format!("{range} {} {}", c.currency, c.price_year)
                    });
                    let sep = if format == Format::Csv { " " } else { "," };
                    let sources = if format == Format::Csv {
                        d.sources
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(sep)
                    } else {
                        d.sources.len().to_string()
                    };
                    let f = if format == Format::Csv { csv_num } else { num };
                    vec![
                        d.id.to_string(),
                        d.name.split(" (").next().unwrap_or(&d.name).to_owned(),
                        d.vendor_country.clone(),
                        d.reactor_type.to_string(),
                        f(d.mwe_per_module()),
                        d.modules_per_plant
                            .map(|m| m.to_string())
                            .unwrap_or_default(),
                        d.status.to_string(),
                        cost.unwrap_or_default(),
                        sources,
                    ]
                })
                .collect();
            if format == Format::Csv {
                printer.data(&to_csv(&header, &rows)?);
            } else {
                printer.data(&table(&header, &rows));
                printer.info(&format!("{} design(s)", designs.len()));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Similarity of two ids in [0, 1] (shared-prefix weighted, like the catalogue's own hints).
fn strsim_score(a: &str, b: &str) -> f64 {
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    #[allow(clippy::cast_precision_loss)]
    let score = common as f64 / a.chars().count().max(b.chars().count()).max(1) as f64;
    score
}

fn not_found(printer: &Printer, what: &str, id: &str, close: &[&str]) -> ExitCode {
    printer.error(&format!("no {what} `{id}` in the catalogue"));
    if close.is_empty() {
        let list = if what == "design or project" {
            "`atomplan catalogue designs` and `atomplan catalogue projects`".to_owned()
        } else {
            format!("`atomplan catalogue {what}s`")
        };
        printer.hint(&format!("list them with {list}"));
    } else {
        printer.hint(&format!(
            "did you mean {}?",
            close
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    ExitCode::from(2)
}

fn show_record(
    catalogue: &Catalogue,
    id: &str,
    format: Format,
    printer: &Printer,
) -> anyhow::Result<ExitCode> {
    if catalogue.design(id).is_none() {
        if let Some(project) = catalogue.project(id) {
            return show_project(catalogue, project, format, printer);
        }
    }
    show_design(catalogue, id, format, printer)
}

fn show_project(
    catalogue: &Catalogue,
    project: &Project,
    format: Format,
    printer: &Printer,
) -> anyhow::Result<ExitCode> {
    let value = project_json(catalogue, project);
    match format {
        Format::Json => printer.json(&value),
        Format::Csv => {
            printer.data(&to_csv(&["field", "value"], &field_rows(&value))?);
        }
        Format::Text => printer.data(&project_text(catalogue, project)),
    }
    Ok(ExitCode::SUCCESS)
}

fn cost_text(cost: &CostEstimate) -> String {
    let amount = cost
        .amount()
        .map_or_else(|| "-".to_owned(), |e| estimate_text(Some(e)));
    let unit = if cost.per_kw.is_some() { "/kW" } else { " bn" };
    format!(
        "{amount}{unit} {} {} ({} {}, estimated {}){}{}",
        cost.currency,
        cost.price_year,
        cost.terms,
        cost.scope,
        cost.estimate_year,
        if cost.default { " [default]" } else { "" },
        cost.basis
            .as_ref()
            .map(|b| format!(": {b}"))
            .unwrap_or_default()
    )
}

fn sources_text(catalogue: &Catalogue, ids: &[SourceId]) -> String {
    let mut text = String::from("sources:\n");
    for id in ids {
        match catalogue.source(id.as_str()) {
            Some(s) => text.push_str(&format!(
                "  [{}] {}, {}{}, {} <{}>\n",
                s.id,
                s.title,
                s.publisher,
                s.year.map(|y| format!(", {y}")).unwrap_or_default(),
                s.kind,
                s.url
            )),
            None => text.push_str(&format!("  [{id}]\n")),
        }
    }
    text
}

fn project_text(catalogue: &Catalogue, p: &Project) -> String {
    let mut out = String::new();
    let mut kv = |key: &str, value: String| {
        if value != "-" && !value.is_empty() {
            out.push_str(&format!("{key:<28} {value}\n"));
        }
    };
    kv("id", p.id.to_string());
    kv("name", p.name.clone());
    kv("country", p.country.to_string());
    kv("vendor", p.vendor.clone());
    kv("design", p.design.to_string());
    kv("units", p.units.to_string());
    kv("capacity, MWe", num(p.capacity_mwe));
    kv("status", p.status.to_string());
    kv(
        "construction start",
        p.construction_start
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    kv(
        "grid connection",
        p.grid_connection.map(|d| d.to_string()).unwrap_or_default(),
    );
    kv(
        "commercial operation",
        p.commercial_operation
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    for cost in &p.costs {
        kv("cost", cost_text(cost));
    }
    if let Ok(Some(overrun)) = atomplan_catalogue::cost::overrun(&p.costs, catalogue.money(), 2024)
    {
        kv(
            "cost overrun",
            format!(
                "x{:.2} in real USD 2024 ({} {} to {})",
                overrun.ratio,
                overrun.scope,
                overrun.first_estimate_year,
                overrun.last_estimate_year
            ),
        );
    }
    if let Some(f) = &p.financing {
        kv("financing", f.model.to_string());
    }
    kv("notes", p.notes.clone().unwrap_or_default());
    let mut ids: Vec<SourceId> = p.sources.clone();
    for list in p.field_sources.values() {
        for id in list {
            if !ids.contains(id) {
                ids.push(id.clone());
            }
        }
    }
    out.push_str(&sources_text(catalogue, &ids));
    out
}

fn show_design(
    catalogue: &Catalogue,
    id: &str,
    format: Format,
    printer: &Printer,
) -> anyhow::Result<ExitCode> {
    let Some(design) = catalogue.design(id) else {
        let mut close = catalogue.similar_design_ids(id);
        let wanted = id.trim().to_ascii_lowercase();
        let mut projects: Vec<(f64, &str)> = catalogue
            .projects()
            .iter()
            .map(|p| (strsim_score(&wanted, p.id.as_str()), p.id.as_str()))
            .filter(|(score, _)| *score > 0.8)
            .collect();
        projects.sort_by(|a, b| b.0.total_cmp(&a.0));
        close.extend(projects.into_iter().take(3).map(|(_, id)| id));
        return Ok(not_found(printer, "design or project", id, &close));
    };
    match format {
        Format::Json => printer.json(&design_json(catalogue, design)),
        Format::Csv => {
            let value = design_json(catalogue, design);
            printer.data(&to_csv(&["field", "value"], &field_rows(&value))?);
        }
        Format::Text => printer.data(&design_text(catalogue, design)),
    }
    Ok(ExitCode::SUCCESS)
}

/// Flattens JSON into (dotted field, value) rows for CSV output.
/// `field,value` rows of a record: every non-null leaf with its dotted path.
fn field_rows(value: &Value) -> Vec<Vec<String>> {
    atomplan_catalogue::json::flatten(value)
        .into_iter()
        .filter_map(|(field, text)| Some(vec![field, text?]))
        .collect()
}

fn estimate_text(e: Option<atomplan_catalogue::Estimate>) -> String {
    match e {
        None => "-".to_owned(),
        Some(e) => match (e.low, e.central, e.high) {
            (_, Some(c), _) if e.low == e.high => num(Some(c)),
            (None, None, Some(h)) => format!("< {}", num(Some(h))),
            (l, c, h) => {
                let mut text = format!("{}-{}", num(l), num(h));
                if c.is_some() {
                    text.push_str(&format!(" (central {})", num(c)));
                }
                text
            }
        },
    }
}

fn design_text(catalogue: &Catalogue, d: &Design) -> String {
    let mut out = String::new();
    let mut kv = |key: &str, value: String| {
        if value != "-" && !value.is_empty() {
            out.push_str(&format!("{key:<28} {value}\n"));
        }
    };
    kv("id", d.id.to_string());
    kv("name", d.name.clone());
    kv("vendor", d.vendor.clone());
    kv("vendor country", d.vendor_country.clone());
    kv("reactor type", d.reactor_type.to_string());
    kv("deployment", d.deployment.to_string());
    kv(
        "SMR",
        if d.is_smr() {
            "yes".into()
        } else {
            "no".into()
        },
    );
    kv("thermal MWt", num(d.thermal_mwt));
    kv("net MWe per module", num(d.net_mwe_per_module));
    kv("gross MWe per module", num(d.gross_mwe_per_module));
    kv(
        "MWe basis",
        d.mwe_basis.map(|b| b.to_string()).unwrap_or_default(),
    );
    kv(
        "modules per plant",
        d.modules_per_plant
            .map(|m| m.to_string())
            .unwrap_or_default(),
    );
    kv("design life, years", num(d.design_life_years));
    kv("capacity factor", num(d.capacity_factor));
    kv(
        "refuelling interval, months",
        estimate_text(d.refuelling_interval_months),
    );
    kv("fuel", d.fuel.clone().unwrap_or_default());
    kv("enrichment, %", estimate_text(d.fuel_enrichment_pct));
    kv("min stable load, fraction", num(d.min_stable_load_fraction));
    kv("ramp, %/min", num(d.ramp_pct_per_min));
    kv(
        "construction, months",
        match d.construction_months {
            Some(m) => format!(
                "{} ({})",
                num(Some(m)),
                d.construction_months_basis
                    .map(|b| b.to_string())
                    .unwrap_or_default()
            ),
            None => "-".into(),
        },
    );
    if let Some(c) = &d.overnight_cost {
        let kind = c
            .foak_noak
            .map(|k| format!(", {}", k.as_str().to_uppercase()))
            .unwrap_or_default();
        kv(
            "overnight cost per kW",
            format!(
                "{} {} {}{kind}{}",
                estimate_text(Some(c.per_kw)),
                c.currency,
                c.price_year,
                if c.derived { " (derived)" } else { "" }
            ),
        );
        if let Some(central) = c.per_kw.central_or_mid() {
            match catalogue
                .money()
                .to_usd_checked(central, &c.currency, c.price_year, 2024)
            {
                Ok(usd) => kv("  in USD 2024 (central/mid)", num(Some(usd.round()))),
                Err(error) => kv("  in USD 2024", format!("cannot convert: {error}")),
            }
        }
        kv(
            "  derivation",
            c.derivation_note.clone().unwrap_or_default(),
        );
    }
    for cost in &d.costs {
        kv("published cost", cost_text(cost));
    }
    kv(
        "status",
        format!(
            "{}{}",
            d.status,
            d.status_date.map(|s| format!(" ({s})")).unwrap_or_default()
        ),
    );
    for plant in &d.reference_plants {
        kv("reference plant", plant.clone());
    }
    for milestone in &d.licensing_milestones {
        kv("licensing", milestone.clone());
    }
    kv("notes", d.notes.clone().unwrap_or_default());
    if !d.verify.is_empty() {
        kv("to verify", d.verify.join(", "));
    }
    for alt in &d.alternatives {
        kv(
            "alternative",
            format!("{} = {} ({})", alt.field, num(Some(alt.value)), alt.note),
        );
    }
    let mut text = out;
    let mut ids: Vec<SourceId> = d.sources.clone();
    for list in d.field_sources.values() {
        for id in list {
            if !ids.contains(id) {
                ids.push(id.clone());
            }
        }
    }
    for cost in &d.costs {
        for id in cost_sources(cost) {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    text.push_str(&sources_text(catalogue, &ids));
    text
}

fn list_projects(
    catalogue: &Catalogue,
    filters: &ProjectFilters,
    format: Format,
    printer: &Printer,
) -> anyhow::Result<ExitCode> {
    let projects: Vec<&Project> = catalogue
        .projects()
        .iter()
        .filter(|p| {
            filters
                .country
                .as_ref()
                .is_none_or(|c| p.country.as_str().eq_ignore_ascii_case(c))
        })
        .filter(|p| {
            filters.design.as_ref().is_none_or(|d| {
                catalogue
                    .design(d)
                    .is_some_and(|d| p.design == d.id || p.other_designs.contains(&d.id))
            })
        })
        .collect();
    match format {
        Format::Json => printer.json(&Value::Array(
            projects
                .iter()
                .map(|p| project_json(catalogue, p))
                .collect(),
        )),
        Format::Text | Format::Csv => {
            let header = [
                "id",
                "country",
                "design",
                "units",
                "mwe",
                "status",
                "cost",
                "financing",
                "slip_years",
            ];
            let f = if format == Format::Csv { csv_num } else { num };
            let rows: Vec<Vec<String>> = projects
                .iter()
                .map(|p| {
                    let cost = p
                        .cost()
                        .and_then(|c| {
                            let e = c.total_bn?;
                            let amount = match e.central {
                                Some(central) => num(Some(central)),
                                None => format!("{}-{}", num(e.low), num(e.high)),
                            };
                            Some(format!(
                                "{amount} bn {} {} {}",
                                c.currency, c.price_year, c.scope
                            ))
                        })
                        .unwrap_or_default();
                    vec![
                        p.id.to_string(),
                        p.country.to_string(),
                        p.design.to_string(),
                        p.units.to_string(),
                        f(p.capacity_mwe),
                        p.status.to_string(),
                        cost,
                        p.financing
                            .as_ref()
                            .map(|f| f.model.to_string())
                            .unwrap_or_default(),
                        p.schedule_slip_years()
                            .map(|s| s.to_string())
                            .unwrap_or_default(),
                    ]
                })
                .collect();
            if format == Format::Csv {
                printer.data(&to_csv(&header, &rows)?);
            } else {
                printer.data(&table(&header, &rows));
                printer.info(&format!("{} project(s)", projects.len()));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn obs_text(obs: Option<&Observation>) -> String {
    match obs {
        Some(o) => format!(
            "{}{}",
            num(Some(o.value)),
            o.year.map(|y| format!(" ({y})")).unwrap_or_default()
        ),
        None => "-".to_owned(),
    }
}

fn list_countries(
    catalogue: &Catalogue,
    format: Format,
    printer: &Printer,
) -> anyhow::Result<ExitCode> {
    match format {
        Format::Json => printer.json(&Value::Array(
            catalogue
                .countries()
                .iter()
                .map(|c| country_json(catalogue, c))
                .collect(),
        )),
        Format::Text | Format::Csv => {
            let header = [
                "code",
                "name",
                "peak_mw",
                "demand_twh",
                "largest_unit_mw",
                "co2_g_per_kwh",
                "iaea_phase",
                "zones",
            ];
            let rows: Vec<Vec<String>> = catalogue
                .countries()
                .iter()
                .map(|c| {
                    let text = |o: Option<&Observation>| {
                        if format == Format::Csv {
                            csv_num(o.map(|o| o.value))
                        } else {
                            obs_text(o)
                        }
                    };
                    vec![
                        c.code.to_string(),
                        c.name.clone(),
                        text(c.peak_demand()),
                        text(c.annual_demand()),
                        text(c.largest_unit()),
                        text(c.co2_intensity()),
                        c.iaea_milestones
                            .as_ref()
                            .map(|p| p.phase.to_string())
                            .unwrap_or_default(),
                        c.zones.len().to_string(),
                    ]
                })
                .collect();
            if format == Format::Csv {
                printer.data(&to_csv(&header, &rows)?);
            } else {
                printer.data(&table(&header, &rows));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn show_country(
    catalogue: &Catalogue,
    code: &str,
    format: Format,
    printer: &Printer,
) -> anyhow::Result<ExitCode> {
    let Some(country) = catalogue.country(code) else {
        return Ok(not_found(
            printer,
            "country",
            code,
            &catalogue.similar_country_codes(code),
        ));
    };
    match format {
        Format::Json => printer.json(&country_json(catalogue, country)),
        Format::Csv => {
            let value = country_json(catalogue, country);
            printer.data(&to_csv(&["field", "value"], &field_rows(&value))?);
        }
        Format::Text => printer.data(&country_text(catalogue, country)),
    }
    Ok(ExitCode::SUCCESS)
}

fn country_text(catalogue: &Catalogue, c: &Country) -> String {
    let mut out = format!("{} ({})\n", c.name, c.code);
    let mut kv = |key: &str, value: String| {
        if value != "-" && !value.is_empty() {
            out.push_str(&format!("{key:<26} {value}\n"));
        }
    };
    kv("peak demand, MW", obs_text(c.peak_demand()));
    kv("peak season", c.peak_season.clone().unwrap_or_default());
    kv("annual demand, TWh", obs_text(c.annual_demand()));
    kv("largest unit, MW", obs_text(c.largest_unit()));
    kv("CO2 intensity, g/kWh", obs_text(c.co2_intensity()));
    if let Some(p) = &c.iaea_milestones {
        kv(
            "IAEA Milestones phase",
            format!("{} ({}; assessed {})", p.phase, p.basis, p.assessed_year),
        );
    }
    if let Some(shape) = &c.load_shape {
        kv("load shape", format!("{} (month x hour)", shape.file));
    }
    for o in c.capacity_by_technology() {
        kv(
            &format!("capacity {}, MW", o.technology.as_deref().unwrap_or("?")),
            obs_text(Some(o)),
        );
    }
    for o in c.generation_by_technology() {
        kv(
            &format!("generation {}, TWh", o.technology.as_deref().unwrap_or("?")),
            obs_text(Some(o)),
        );
    }
    for o in &c.fuel_import_share {
        kv(
            &format!(
                "{} imports from {}",
                o.fuel.as_deref().unwrap_or("?"),
                o.supplier.as_deref().unwrap_or("?")
            ),
            format!(
                "{} %{}",
                num(Some(o.value * 100.0)),
                o.year.map(|y| format!(" ({y})")).unwrap_or_default()
            ),
        );
    }
    for o in &c.electricity_imports_twh {
        kv("electricity imports, TWh", obs_text(Some(o)));
    }
    for t in &c.climate_targets {
        let detail = t
            .reduction_pct
            .map(|r| format!(" -{} %", num(Some(r))))
            .or(t.share_pct.map(|s| format!(" {} %", num(Some(s)))))
            .unwrap_or_default();
        kv(
            "climate target",
            format!("{} {}{detail}", t.kind, t.target_year),
        );
    }
    for z in &c.zones {
        kv("zone", format!("{} ({}, {})", z.name, z.id, z.kind));
    }
    for i in &c.interconnections {
        let capacity = i
            .capacity_mw
            .map(|m| format!(", {} MW", num(Some(m))))
            .unwrap_or_default();
        let voltage = i
            .voltage_kv
            .map(|v| format!(", {} kV", num(Some(v))))
            .unwrap_or_default();
        kv(
            "interconnection",
            format!("{} -> {}{capacity}{voltage}", i.from, i.to),
        );
    }
    for m in &c.milestones {
        kv("milestone", format!("{} {}", m.date, m.description));
    }
    let projects: Vec<&str> = catalogue
        .projects()
        .iter()
        .filter(|p| p.country == c.code)
        .map(|p| p.id.as_str())
        .collect();
    if !projects.is_empty() {
        kv("projects", projects.join(", "));
    }
    out
}
