//! The sourced catalogue: reading and validating `data/`.
//!
//! Only this crate (and the study/import layers) deserialize files; everything downstream
//! receives validated domain types. Every number in the catalogue cites a source from
//! `sources.toml`; where no source gives a value the field is `None`, never a guess.
//!
//! # API
//!
//! ```no_run
//! use atomplan_catalogue::Catalogue;
//!
//! let catalogue = Catalogue::builtin().expect("the built-in catalogue is valid");
//! let vver = catalogue.design("vver-1200").expect("known design");
//! let cost = vver.overnight_cost.as_ref().expect("sourced cost");
//! let usd_2024 = catalogue
//!     .money()
//!     .to_usd(cost.per_kw.central_or_mid().unwrap_or(0.0), &cost.currency, cost.price_year, 2024);
//! let turkey = catalogue.country("TR").expect("known country");
//! let peak_mw = turkey.peak_demand().map(|o| o.value);
//! # let _ = (usd_2024, peak_mw);
//! ```
//!
//! - [`Catalogue::builtin`] (or the cached [`Catalogue::builtin_shared`]) and [`Catalogue::load_dir`] return `Err(Vec<Diagnostic>)` with
//!   every problem found (file, line, column, field, message, hint); they never panic.
//! - [`Catalogue::designs`], [`Catalogue::design`], [`Catalogue::projects`],
//!   [`Catalogue::project`], [`Catalogue::countries`], [`Catalogue::country`],
//!   [`Catalogue::technologies`], [`Catalogue::technology`], [`Catalogue::money`],
//!   [`Catalogue::sources`], [`Catalogue::source`] read it.
//! - [`fields::field_table`] is the schema; [`fields::fields_markdown`] renders
//!   docs/reference/data-fields.md from it.
//!
//! Architecture Invariant: the `data/` schema is an API boundary. Adding an optional field is
//! compatible; renaming or removing one is not.

mod convert;
pub mod cost;
pub mod date;
mod error;
pub mod fields;
pub mod ids;
pub mod json;
mod load;
pub mod model;
pub mod money;
mod validate;
mod wire;

#[cfg(test)]
mod tests;

use std::path::Path;

pub use atomplan_core::Diagnostic;
pub use date::PartialDate;
pub use error::Error;
pub use ids::{CountryCode, DesignId, ProjectId, SourceId};
pub use model::{
    Alternative, ClimateTarget, CostEstimate, CostScope, CostTerms, Country, Deployment,
    Derivation, Design, DesignStatus, Estimate, FieldSources, Financing, FinancingModel, FoakNoak,
    IaeaPhase, Interconnection, LoadShape, Loan, Milestone, MweBasis, Observation, OvernightCost,
    Plant, PlantStatus, Ppa, ProgrammeStatus, ProgrammeStep, Project, ProjectStatus,
    RawObservation, ReactorType, ScheduleBasis, Source, SourceKind, SpendShape, TechParameter,
    Technology, Zone, SMR_MAX_MWE,
};
pub use money::{Missing, Money, SourcedValue};

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_files.rs"));
}

/// The validated catalogue.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    designs: Vec<Design>,
    projects: Vec<Project>,
    countries: Vec<Country>,
    technologies: Vec<Technology>,
    money: Money,
    sources: Vec<Source>,
    warnings: Vec<Diagnostic>,
}

/// Normalises a user-typed id: lower case, `_` and spaces to `-`.
fn normalise_id(id: &str) -> String {
    id.trim().to_ascii_lowercase().replace(['_', ' '], "-")
}

impl Catalogue {
    /// The catalogue compiled into the binary from the workspace's `data/` directory.
    pub fn builtin() -> Result<Catalogue, Vec<Diagnostic>> {
        let files = builtin::BUILTIN_FILES
            .iter()
            .map(|(rel, bytes)| load::RawFile {
                rel_path: (*rel).to_owned(),
                display_path: format!("data/{rel}"),
                bytes: bytes.to_vec(),
            })
            .collect();
        load::load(files, "data")
    }

    /// The built-in catalogue, loaded once per process and shared.
    ///
    /// Use this in hot paths (sweeps, servers); the first call pays the parse.
    pub fn builtin_shared() -> Result<&'static Catalogue, &'static [Diagnostic]> {
        static SHARED: std::sync::OnceLock<Result<Catalogue, Vec<Diagnostic>>> =
            std::sync::OnceLock::new();
        match SHARED.get_or_init(Catalogue::builtin) {
            Ok(catalogue) => Ok(catalogue),
            Err(diagnostics) => Err(diagnostics),
        }
    }

    /// Loads and validates a catalogue from files held in memory: (path relative to a
    /// `data/`-like root, contents). Used by the fuzz targets; reports like [`Self::load_dir`].
    pub fn load_files(files: Vec<(String, Vec<u8>)>) -> Result<Catalogue, Vec<Diagnostic>> {
        let files = files
            .into_iter()
            .map(|(rel_path, bytes)| load::RawFile {
                display_path: rel_path.clone(),
                rel_path,
                bytes,
            })
            .collect();
        load::load(files, "memory")
    }

    /// Reads and validates a catalogue directory laid out like `data/`.
    ///
    /// Files that cannot be read, decoded or parsed are reported like any other problem.
    pub fn load_dir(dir: &Path) -> Result<Catalogue, Vec<Diagnostic>> {
        let root_display = dir.display().to_string();
        if !dir.is_dir() {
            return Err(vec![Diagnostic::error(
                atomplan_core::Location::file(&root_display),
                "catalogue directory does not exist or is not a directory",
            )
            .with_hint("pass a directory laid out like data/ to --data")]);
        }
        let mut files = Vec::new();
        let mut diagnostics = Vec::new();
        collect_files(dir, dir, &mut files, &mut diagnostics, 0);
        if !diagnostics.is_empty() {
            return Err(diagnostics);
        }
        load::load(files, root_display.trim_end_matches('/'))
    }

    /// Reactor designs, sorted by id.
    pub fn designs(&self) -> &[Design] {
        &self.designs
    }

    /// A design by id; `_`, spaces and case are forgiven (`VVER_1200` finds `vver-1200`).
    pub fn design(&self, id: &str) -> Option<&Design> {
        let id = normalise_id(id);
        self.designs.iter().find(|d| d.id.as_str() == id)
    }

    /// Projects, sorted by id.
    pub fn projects(&self) -> &[Project] {
        &self.projects
    }

    pub fn project(&self, id: &str) -> Option<&Project> {
        let id = normalise_id(id);
        self.projects.iter().find(|p| p.id.as_str() == id)
    }

    /// Projects that use a design (as main or other design).
    pub fn projects_with_design<'a>(
        &'a self,
        design: &'a DesignId,
    ) -> impl Iterator<Item = &'a Project> {
        self.projects
            .iter()
            .filter(move |p| &p.design == design || p.other_designs.contains(design))
    }

    /// Countries, sorted by code.
    pub fn countries(&self) -> &[Country] {
        &self.countries
    }

    /// A country by ISO alpha-2 code, in either case.
    pub fn country(&self, code: &str) -> Option<&Country> {
        let code = CountryCode::new(code).ok()?;
        self.countries.iter().find(|c| c.code == code)
    }

    /// Non-nuclear technologies and fuels, sorted by id.
    pub fn technologies(&self) -> &[Technology] {
        &self.technologies
    }

    pub fn technology(&self, id: &str) -> Option<&Technology> {
        self.technologies.iter().find(|t| t.id == id)
    }

    /// Deflators and exchange rates.
    pub fn money(&self) -> &Money {
        &self.money
    }

    /// Every source, in file order.
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id.as_str() == id)
    }

    /// Warnings found while loading a valid catalogue.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// Ids of designs close to `id`, best first, for "did you mean" hints.
    pub fn similar_design_ids(&self, id: &str) -> Vec<&str> {
        similar(
            &normalise_id(id),
            self.designs.iter().map(|d| d.id.as_str()),
        )
    }

    /// Codes of countries close to `code` (or whose name is close), best first.
    pub fn similar_country_codes(&self, code: &str) -> Vec<&str> {
        let wanted = code.trim().to_ascii_lowercase();
        let mut scored: Vec<(f64, &str)> = self
            .countries
            .iter()
            .map(|c| {
                let by_code = strsim::jaro_winkler(&wanted, &c.code.as_str().to_ascii_lowercase());
                let by_name = strsim::jaro_winkler(&wanted, &c.name.to_ascii_lowercase());
                (by_code.max(by_name), c.code.as_str())
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        scored.into_iter().take(3).map(|(_, c)| c).collect()
    }
}

fn similar<'a>(wanted: &str, ids: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = ids
        .map(|id| (strsim::jaro_winkler(wanted, id), id))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored
        .into_iter()
        .take(5)
        .filter(|(s, _)| *s > 0.6)
        .map(|(_, id)| id)
        .collect()
}

fn collect_files(
    root: &Path,
    dir: &Path,
    out: &mut Vec<load::RawFile>,
    diagnostics: &mut Vec<Diagnostic>,
    depth: usize,
) {
    if depth > 3 {
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            diagnostics.push(Diagnostic::error(
                atomplan_core::Location::file(dir.display().to_string()),
                format!("cannot read directory: {error}"),
            ));
            return;
        }
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect_files(root, &path, out, diagnostics, depth + 1);
            continue;
        }
        let Ok(rel) = path.strip_prefix(root) else {
            continue;
        };
        let rel_path = rel.to_string_lossy().replace('\\', "/");
        if !(rel_path.ends_with(".toml") || rel_path.ends_with(".csv")) {
            continue;
        }
        match atomplan_core::input::read(&path) {
            Ok(bytes) => out.push(load::RawFile {
                rel_path,
                display_path: path.display().to_string(),
                bytes,
            }),
            Err(error) => diagnostics.push(Diagnostic::error(
                atomplan_core::Location::file(path.display().to_string()),
                format!("cannot read file: {error}"),
            )),
        }
    }
}
