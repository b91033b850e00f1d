//! The loading pipeline: raw files -> parsed entries -> checks -> wire structs -> domain types.
//!
//! Every file is read and checked even when an earlier one failed, so that one run reports
//! every problem; the catalogue is only built when no error was found.

use std::collections::{BTreeMap, BTreeSet};

use atomplan_core::{Diagnostic, Location};

use crate::convert;
use crate::fields::FileKind;
use crate::model::Technology;
use crate::money::{Money, SourcedValue};
use crate::validate::{self, check_file, decode, ParsedFile, Val};
use crate::Catalogue;

/// A file as read from disk or from the built-in data.
pub(crate) struct RawFile {
    /// Path relative to the catalogue directory, `/`-separated.
    pub rel_path: String,
    /// Path shown in diagnostics.
    pub display_path: String,
    pub bytes: Vec<u8>,
}

/// Which kind of catalogue file a relative path is, if any.
pub(crate) fn classify(rel_path: &str) -> Option<FileKind> {
    let (dir, name) = rel_path.rsplit_once('/').unwrap_or(("", rel_path));
    match (dir, name) {
        ("", "sources.toml") => Some(FileKind::Sources),
        ("", "technologies.csv") => Some(FileKind::Technologies),
        ("", "technology-fuels.csv") => Some(FileKind::TechnologyFuels),
        ("money", "deflators.csv") => Some(FileKind::Deflators),
        ("money", "exchange-rates.csv") => Some(FileKind::ExchangeRates),
        ("countries", "observations.csv") => Some(FileKind::Observations),
        ("designs", n) if n.ends_with(".toml") => Some(FileKind::Design),
        ("projects", n) if n.ends_with(".toml") => Some(FileKind::Project),
        ("countries", n) if n.ends_with(".toml") => Some(FileKind::Country),
        ("load", n) if n.ends_with(".csv") => Some(FileKind::LoadShape),
        _ => None,
    }
}

const REQUIRED_FILES: [&str; 4] = [
    "sources.toml",
    "technologies.csv",
    "money/deflators.csv",
    "money/exchange-rates.csv",
];

fn strings_at<'a>(
    files: &'a [ParsedFile],
    kind: FileKind,
    path: &'a str,
) -> impl Iterator<Item = (&'a ParsedFile, &'a validate::Entry, &'a str)> + 'a {
    files
        .iter()
        .filter(move |f| f.kind == kind)
        .flat_map(move |f| {
            f.entries
                .iter()
                .filter(move |e| e.path == path)
                .filter_map(move |e| e.value.as_str().map(|s| (f, e, s)))
        })
}

/// Duplicate ids across the files of one kind (or within sources.toml).
fn check_duplicate_ids(files: &[ParsedFile]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (kind, path) in [
        (FileKind::Design, "id"),
        (FileKind::Project, "id"),
        (FileKind::Country, "code"),
        (FileKind::Sources, "source[].id"),
    ] {
        let mut seen: BTreeMap<&str, &ParsedFile> = BTreeMap::new();
        for (file, entry, id) in strings_at(files, kind, path) {
            if let Some(first) = seen.get(id) {
                out.push(
                    Diagnostic::error(file.location(entry), format!("duplicate id `{id}`"))
                        .with_hint(format!("already defined in {}", first.display_path)),
                );
            } else {
                seen.insert(id, file);
            }
        }
    }
    out
}

/// Duplicate (currency, year) rows in the money tables.
fn check_duplicate_money_rows(files: &[ParsedFile]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for file in files
        .iter()
        .filter(|f| matches!(f.kind, FileKind::Deflators | FileKind::ExchangeRates))
    {
        let mut seen = BTreeSet::new();
        for (row, cells) in rows(file) {
            let (Some(currency_entry), Some(entry)) = (cells.get("currency"), cells.get("year"))
            else {
                continue;
            };
            let (Val::Str(currency), Val::Int(year)) = (&currency_entry.value, &entry.value) else {
                continue;
            };
            if !seen.insert((currency.clone(), *year)) {
                out.push(Diagnostic::error(
                    file.location(entry),
                    format!("duplicate row for {currency} {year} (row {})", row + 1),
                ));
            }
        }
    }
    out
}

/// Country load shapes must point at a load file; observations must name a known country.
fn check_country_links(files: &[ParsedFile]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let load_files: BTreeSet<&str> = files
        .iter()
        .filter(|f| f.kind == FileKind::LoadShape)
        .map(|f| f.rel_path.as_str())
        .collect();
    for (file, entry, path) in strings_at(files, FileKind::Country, "load_shape.file") {
        if !load_files.contains(path) {
            out.push(
                Diagnostic::error(
                    file.location(entry),
                    format!("`load_shape.file` = `{path}` does not exist"),
                )
                .with_hint("load shapes live in load/<name>.csv"),
            );
        }
    }
    let countries: BTreeSet<&str> = strings_at(files, FileKind::Country, "code")
        .map(|(_, _, c)| c)
        .collect();
    for (file, entry, code) in strings_at(files, FileKind::Observations, "country") {
        if !countries.contains(code) {
            out.push(
                Diagnostic::error(
                    file.location(entry),
                    format!("`country` = `{code}` has no countries/{code}.toml"),
                )
                .with_hint(format!(
                    "known countries: {}",
                    countries.iter().copied().collect::<Vec<_>>().join(", ")
                )),
            );
        }
    }
    out
}

/// CSV cells grouped by data row.
pub(crate) fn rows(file: &ParsedFile) -> BTreeMap<usize, BTreeMap<&str, &validate::Entry>> {
    let mut out: BTreeMap<usize, BTreeMap<&str, &validate::Entry>> = BTreeMap::new();
    for entry in &file.entries {
        if let Some(row) = entry.row {
            let cells = out.entry(row).or_default();
            if !entry.element {
                cells.insert(entry.path.as_str(), entry);
            }
        }
    }
    out
}

/// Loads, checks and converts a set of raw files.
pub(crate) fn load(
    raw_files: Vec<RawFile>,
    root_display: &str,
) -> Result<Catalogue, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let mut files = Vec::new();
    let present: BTreeSet<String> = raw_files.iter().map(|f| f.rel_path.clone()).collect();
    for required in REQUIRED_FILES {
        if !present.contains(required) {
            diagnostics.push(
                Diagnostic::error(Location::file(format!("{root_display}/{required}")), format!("missing catalogue file `{required}`"))
                    .with_hint("a catalogue directory holds sources.toml, designs/, projects/, countries/, technologies.csv and money/"),
            );
        }
    }
    if !raw_files
        .iter()
        .any(|f| classify(&f.rel_path) == Some(FileKind::Design))
    {
        diagnostics.push(Diagnostic::error(
            Location::file(format!("{root_display}/designs")),
            "no reactor designs found (designs/*.toml)",
        ));
    }
    for raw in raw_files {
        let Some(kind) = classify(&raw.rel_path) else {
            if raw.rel_path.ends_with(".toml") || raw.rel_path.ends_with(".csv") {
                diagnostics.push(
                    Diagnostic::warning(
                        Location::file(&raw.display_path),
                        "file is not part of the catalogue layout and was ignored",
                    )
                    .with_hint("see docs/reference/data-fields.md for where files go"),
                );
            }
            continue;
        };
        let text = match decode(&raw.display_path, &raw.bytes) {
            Ok(text) => text,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                continue;
            }
        };
        let parsed = if kind.is_csv() {
            validate::parse_csv(
                &raw.display_path,
                &raw.rel_path,
                kind,
                text,
                &mut diagnostics,
            )
        } else {
            validate::parse_toml(
                &raw.display_path,
                &raw.rel_path,
                kind,
                text,
                &mut diagnostics,
            )
        };
        files.push(parsed);
    }
    let sources: BTreeSet<String> = strings_at(&files, FileKind::Sources, "source[].id")
        .map(|(_, _, s)| s.to_owned())
        .collect();
    let designs: BTreeSet<String> = strings_at(&files, FileKind::Design, "id")
        .map(|(_, _, s)| s.to_owned())
        .collect();
    let mut currencies: BTreeSet<String> = strings_at(&files, FileKind::ExchangeRates, "currency")
        .map(|(_, _, s)| s.to_owned())
        .collect();
    if !currencies.is_empty() {
        currencies.insert("USD".to_owned());
    }
    for file in files.iter().filter(|f| f.parsed) {
        diagnostics.extend(check_file(file, &sources, &designs, &currencies));
    }
    diagnostics.extend(check_duplicate_ids(&files));
    diagnostics.extend(check_duplicate_money_rows(&files));
    diagnostics.extend(check_country_links(&files));
    if atomplan_core::diagnostic::has_errors(&diagnostics) {
        return Err(sorted(diagnostics));
    }
    match build(&files) {
        Ok(mut catalogue) => {
            catalogue.warnings = sorted(diagnostics);
            Ok(catalogue)
        }
        Err(more) => {
            diagnostics.extend(more);
            Err(sorted(diagnostics))
        }
    }
}

fn sorted(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics.sort_by(|a, b| {
        (&a.location.file, a.location.line, a.location.column).cmp(&(
            &b.location.file,
            b.location.line,
            b.location.column,
        ))
    });
    diagnostics
}

fn wire<T: serde::de::DeserializeOwned>(
    file: &ParsedFile,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<T> {
    match toml::from_str::<T>(&file.text) {
        Ok(value) => Some(value),
        Err(error) => {
            let mut location = Location::file(&file.display_path);
            if let Some(span) = error.span() {
                let line = file
                    .text
                    .get(..span.start)
                    .map_or(1, |s| s.matches('\n').count() + 1);
                location = location.with_line(line);
            }
            diagnostics.push(Diagnostic::error(
                location,
                format!("cannot read: {}", error.message()),
            ));
            None
        }
    }
}

fn build(files: &[ParsedFile]) -> Result<Catalogue, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let mut catalogue = Catalogue::default();
    for file in files.iter().filter(|f| f.kind == FileKind::Sources) {
        if let Some(wire) = wire::<crate::wire::SourcesWire>(file, &mut diagnostics) {
            catalogue
                .sources
                .extend(convert::sources(wire, file, &mut diagnostics));
        }
    }
    catalogue.money = money(files);
    for file in files.iter().filter(|f| f.kind == FileKind::Design) {
        if let Some(wire) = wire(file, &mut diagnostics) {
            if let Some(design) = convert::design(wire, file, &catalogue.money, &mut diagnostics) {
                catalogue.designs.push(design);
            }
        }
    }
    for file in files.iter().filter(|f| f.kind == FileKind::Project) {
        if let Some(wire) = wire(file, &mut diagnostics) {
            if let Some(project) = convert::project(wire, file, &catalogue.money, &mut diagnostics)
            {
                catalogue.projects.push(project);
            }
        }
    }
    let load_files: BTreeMap<&str, &ParsedFile> = files
        .iter()
        .filter(|f| f.kind == FileKind::LoadShape)
        .map(|f| (f.rel_path.as_str(), f))
        .collect();
    let observations: Vec<&ParsedFile> = files
        .iter()
        .filter(|f| f.kind == FileKind::Observations)
        .collect();
    for file in files.iter().filter(|f| f.kind == FileKind::Country) {
        if let Some(wire) = wire(file, &mut diagnostics) {
            if let Some(country) =
                convert::country(wire, file, &load_files, &observations, &mut diagnostics)
            {
                catalogue.countries.push(country);
            }
        }
    }
    catalogue.technologies = technologies(files);
    catalogue.designs.sort_by(|a, b| a.id.cmp(&b.id));
    catalogue.projects.sort_by(|a, b| a.id.cmp(&b.id));
    catalogue.countries.sort_by_key(|c| c.code);
    if atomplan_core::diagnostic::has_errors(&diagnostics) {
        Err(diagnostics)
    } else {
        Ok(catalogue)
    }
}

fn cell_str(cells: &BTreeMap<&str, &validate::Entry>, name: &str) -> Option<String> {
    cells
        .get(name)
        .and_then(|e| e.value.as_str())
        .map(str::to_owned)
}

fn cell_f64(cells: &BTreeMap<&str, &validate::Entry>, name: &str) -> Option<f64> {
    cells.get(name).and_then(|e| e.value.as_f64())
}

fn cell_i32(cells: &BTreeMap<&str, &validate::Entry>, name: &str) -> Option<i32> {
    match cells.get(name).map(|e| &e.value) {
        Some(Val::Int(i)) => i32::try_from(*i).ok(),
        _ => None,
    }
}

fn cell_bool(cells: &BTreeMap<&str, &validate::Entry>, name: &str) -> bool {
    matches!(cells.get(name).map(|e| &e.value), Some(Val::Bool(true)))
}

fn cell_list(cells: &BTreeMap<&str, &validate::Entry>, name: &str) -> Vec<String> {
    match cells.get(name).map(|e| &e.value) {
        Some(Val::List(items)) => items
            .iter()
            .filter_map(Val::as_str)
            .map(str::to_owned)
            .collect(),
        Some(Val::Str(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

fn technologies(files: &[ParsedFile]) -> Vec<Technology> {
    let mut by_id: BTreeMap<String, Technology> = BTreeMap::new();
    for file in files.iter().filter(|f| f.kind == FileKind::Technologies) {
        for (_, cells) in rows(file) {
            let (Some(id), Some(name), Some(value)) = (
                cell_str(&cells, "technology"),
                cell_str(&cells, "parameter"),
                cell_f64(&cells, "value"),
            ) else {
                continue;
            };
            let technology = by_id.entry(id.clone()).or_insert_with(|| Technology {
                id,
                fuel: None,
                parameters: Vec::new(),
            });
            technology.parameters.push(crate::model::TechParameter {
                name,
                value,
                unit: cell_str(&cells, "unit").unwrap_or_default(),
                price_year: cell_i32(&cells, "price_year"),
                scenario: cell_str(&cells, "scenario"),
                sources: cell_list(&cells, "sources")
                    .into_iter()
                    .filter_map(|s| crate::ids::SourceId::new(s).ok())
                    .collect(),
                default: cell_bool(&cells, "default"),
                note: cell_str(&cells, "note"),
            });
        }
    }
    for file in files.iter().filter(|f| f.kind == FileKind::TechnologyFuels) {
        for (_, cells) in rows(file) {
            if let (Some(id), Some(fuel)) =
                (cell_str(&cells, "technology"), cell_str(&cells, "fuel"))
            {
                if let Some(technology) = by_id.get_mut(&id) {
                    technology.fuel = Some(fuel);
                }
            }
        }
    }
    for technology in by_id.values_mut() {
        // Default first among alternatives of the same parameter.
        technology.parameters.sort_by_key(|p| !p.default);
    }
    by_id.into_values().collect()
}

fn money(files: &[ParsedFile]) -> Money {
    let mut money = Money::default();
    for file in files
        .iter()
        .filter(|f| matches!(f.kind, FileKind::Deflators | FileKind::ExchangeRates))
    {
        let column = if file.kind == FileKind::Deflators {
            "index"
        } else {
            "per_usd"
        };
        for (_, cells) in rows(file) {
            let (Some(currency), Some(year), Some(value), Some(source)) = (
                cell_str(&cells, "currency"),
                cell_i32(&cells, "year"),
                cell_f64(&cells, column),
                cell_str(&cells, "source"),
            ) else {
                continue;
            };
            let Ok(source) = crate::ids::SourceId::new(source) else {
                continue;
            };
            let sourced = SourcedValue {
                value,
                source,
                verify: cell_bool(&cells, "verify"),
            };
            if file.kind == FileKind::Deflators {
                money.deflators.insert((currency, year), sourced);
            } else {
                money.per_usd.insert((currency, year), sourced);
            }
        }
    }
    money
}
