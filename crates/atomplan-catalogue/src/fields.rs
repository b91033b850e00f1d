//! The field table: one row per data field, the single description of the `data/` schema.
//!
//! Validation walks each file against this table (unknown fields, types, units, ranges,
//! required fields, references), and `docs/reference/data-fields.md` is generated from it,
//! so the documentation and the checks cannot drift apart.

use std::fmt::Write as _;
use std::sync::OnceLock;

/// Which kind of catalogue file a field belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    /// `data/designs/<id>.toml`
    Design,
    /// `data/projects/<id>.toml`
    Project,
    /// `data/countries/<CODE>.toml`
    Country,
    /// `data/sources.toml`
    Sources,
    /// `data/technologies.csv`
    Technologies,
    /// `data/technology-fuels.csv`
    TechnologyFuels,
    /// `data/money/deflators.csv`
    Deflators,
    /// `data/money/exchange-rates.csv`
    ExchangeRates,
    /// `data/countries/observations.csv`
    Observations,
    /// `data/load/*.csv`
    LoadShape,
}

impl FileKind {
    pub const ALL: [FileKind; 10] = [
        FileKind::Design,
        FileKind::Project,
        FileKind::Country,
        FileKind::Sources,
        FileKind::Technologies,
        FileKind::TechnologyFuels,
        FileKind::Deflators,
        FileKind::ExchangeRates,
        FileKind::Observations,
        FileKind::LoadShape,
    ];

    /// Where files of this kind live, relative to the catalogue directory.
    pub fn location(self) -> &'static str {
        match self {
            FileKind::Design => "designs/<id>.toml",
            FileKind::Project => "projects/<id>.toml",
            FileKind::Country => "countries/<CODE>.toml",
            FileKind::Sources => "sources.toml",
            FileKind::Technologies => "technologies.csv",
            FileKind::TechnologyFuels => "technology-fuels.csv",
            FileKind::Deflators => "money/deflators.csv",
            FileKind::ExchangeRates => "money/exchange-rates.csv",
            FileKind::Observations => "countries/observations.csv",
            FileKind::LoadShape => "load/<name>.csv",
        }
    }

    pub fn is_csv(self) -> bool {
        matches!(
            self,
            FileKind::Technologies
                | FileKind::TechnologyFuels
                | FileKind::Deflators
                | FileKind::ExchangeRates
                | FileKind::Observations
                | FileKind::LoadShape
        )
    }
}

/// The type of a field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A short string.
    Str,
    /// Free text.
    Text,
    /// An integer.
    Int,
    /// A number (integers are accepted).
    Float,
    /// `true` or `false`.
    Bool,
    /// A date `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    Date,
    /// One of a fixed list of strings.
    Enum(&'static [&'static str]),
    /// A list of strings.
    StrList,
    /// A number, or an inline table `{ low, central, high }` with at least one of them.
    Estimate,
    /// A table of further fields.
    Table,
    /// An array of tables (`[[name]]`).
    TableArray,
    /// The id of an entry of `sources.toml`.
    SourceRef,
    /// A list of source ids (space-separated in CSV files).
    SourceRefs,
    /// The id of a reactor design.
    DesignRef,
    /// A list of reactor design ids.
    DesignRefs,
    /// The name of another numeric field of the same file.
    FieldRef,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Str => "string",
            Kind::Text => "text",
            Kind::Int => "integer",
            Kind::Float => "number",
            Kind::Bool => "boolean",
            Kind::Date => "date",
            Kind::Enum(_) => "one of",
            Kind::StrList => "list of strings",
            Kind::Estimate => "number or {low, central, high}",
            Kind::Table => "table",
            Kind::TableArray => "array of tables",
            Kind::SourceRef => "source id",
            Kind::SourceRefs => "list of source ids",
            Kind::DesignRef => "design id",
            Kind::DesignRefs => "list of design ids",
            Kind::FieldRef => "field name",
        }
    }

    /// True for kinds that carry a number and therefore need a source.
    pub fn is_numeric(self) -> bool {
        matches!(self, Kind::Int | Kind::Float | Kind::Estimate)
    }
}

/// An allowed numeric interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    pub min: f64,
    pub min_inclusive: bool,
    pub max: f64,
    pub max_inclusive: bool,
}

impl Range {
    pub const fn closed(min: f64, max: f64) -> Range {
        Range {
            min,
            min_inclusive: true,
            max,
            max_inclusive: true,
        }
    }
    pub const fn open_closed(min: f64, max: f64) -> Range {
        Range {
            min,
            min_inclusive: false,
            max,
            max_inclusive: true,
        }
    }
    pub fn contains(&self, value: f64) -> bool {
        let above = if self.min_inclusive {
            value >= self.min
        } else {
            value > self.min
        };
        let below = if self.max_inclusive {
            value <= self.max
        } else {
            value < self.max
        };
        value.is_finite() && above && below
    }
}

impl std::fmt::Display for Range {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let open = if self.min_inclusive { '[' } else { '(' };
        let close = if self.max_inclusive { ']' } else { ')' };
        write!(f, "{open}{}, {}{close}", self.min, self.max)
    }
}

/// Plausible years for data and targets.
pub const YEAR: Range = Range::closed(1950.0, 2100.0);
const POSITIVE: Range = Range::open_closed(0.0, 1e9);
const NON_NEGATIVE: Range = Range::closed(0.0, 1e9);
const FRACTION_POSITIVE: Range = Range::open_closed(0.0, 1.0);
const FRACTION: Range = Range::closed(0.0, 1.0);
const PERCENT: Range = Range::open_closed(0.0, 100.0);

/// One row of the field table.
#[derive(Debug, Clone)]
pub struct FieldSpec {
    pub file: FileKind,
    /// Dotted path; `[]` marks the elements of an array of tables, e.g. `alternatives[].value`.
    pub path: &'static str,
    pub kind: Kind,
    pub unit: &'static str,
    pub range: Option<Range>,
    pub required: bool,
    pub description: &'static str,
}

struct Builder {
    file: FileKind,
    rows: Vec<FieldSpec>,
}

impl Builder {
    fn add(
        &mut self,
        path: &'static str,
        kind: Kind,
        unit: &'static str,
        range: Option<Range>,
        required: bool,
        description: &'static str,
    ) {
        self.rows.push(FieldSpec {
            file: self.file,
            path,
            kind,
            unit,
            range,
            required,
            description,
        });
    }
    fn req(&mut self, path: &'static str, kind: Kind, description: &'static str) {
        self.add(path, kind, "", None, true, description);
    }
    fn opt(&mut self, path: &'static str, kind: Kind, description: &'static str) {
        self.add(path, kind, "", None, false, description);
    }
    fn num(
        &mut self,
        path: &'static str,
        unit: &'static str,
        range: Range,
        description: &'static str,
    ) {
        self.add(path, Kind::Float, unit, Some(range), false, description);
    }
}

pub const REACTOR_TYPES: &[&str] = &[
    "PWR",
    "BWR",
    "HWR",
    "LFR",
    "SFR",
    "HTGR",
    "MSR",
    "microreactor",
];
pub const DEPLOYMENTS: &[&str] = &["land", "floating", "marine"];
pub const DESIGN_STATUSES: &[&str] = &[
    "concept",
    "basic-design",
    "detailed-design",
    "licensing",
    "under-construction",
    "operating",
];
pub const PROJECT_STATUSES: &[&str] = &[
    "planned",
    "site-preparation",
    "licensing",
    "under-construction",
    "operating",
    "suspended",
    "cancelled",
];
pub const FINANCING_MODELS: &[&str] = &[
    "boo",
    "state-export-loan",
    "regulated-utility",
    "cfd",
    "utility-balance-sheet",
    "utility-consortium",
    "state-owned",
    "government-cost-share",
    "private",
    "project-finance",
    "mixed",
];

/// The names of the country observation arrays, with the unit and range of their `value`.
pub const OBSERVATION_TABLES: &[(&str, &str, Range, &str)] = &[
    (
        "peak_demand_mw",
        "MW",
        Range::open_closed(0.0, 1e6),
        "Peak demand",
    ),
    (
        "annual_demand_twh",
        "TWh",
        Range::open_closed(0.0, 1e5),
        "Annual electricity demand",
    ),
    (
        "annual_generation_twh",
        "TWh",
        Range::open_closed(0.0, 1e5),
        "Annual electricity generation",
    ),
    (
        "demand_growth_pct_per_year",
        "%/yr",
        Range::closed(-50.0, 100.0),
        "Demand growth, historic or forecast",
    ),
    (
        "demand_forecast_twh",
        "TWh",
        Range::open_closed(0.0, 1e5),
        "Official demand or generation forecast for `year`",
    ),
    (
        "capacity_mw",
        "MW",
        Range::closed(0.0, 1e7),
        "Installed capacity by `technology` (or target when `target = true`)",
    ),
    (
        "generation_twh",
        "TWh",
        Range::closed(0.0, 1e5),
        "Generation by `technology`",
    ),
    (
        "generation_share",
        "fraction",
        FRACTION,
        "Share of generation or consumption (`basis`) by `technology`",
    ),
    (
        "largest_unit_mw",
        "MW",
        Range::open_closed(0.0, 1e5),
        "Largest single generating unit, `status` existing or planned",
    ),
    (
        "fuel_import_share",
        "fraction",
        FRACTION,
        "Share of a `fuel`'s imports from a `supplier`",
    ),
    (
        "electricity_imports_twh",
        "TWh",
        Range::closed(-1e4, 1e4),
        "Electricity imports (negative: net exports when `net = true`)",
    ),
    (
        "electricity_import_share",
        "fraction",
        FRACTION,
        "Electricity imports as a share of consumption",
    ),
    (
        "co2_intensity_g_per_kwh",
        "gCO2/kWh",
        Range::closed(0.0, 2000.0),
        "CO2 intensity of electricity (`official = false` when indicative)",
    ),
];

fn design_fields(b: &mut Builder) {
    b.req(
        "id",
        Kind::Str,
        "Design id, lower-case kebab-case, equal to the file name",
    );
    b.req("name", Kind::Str, "Design name as published");
    b.req(
        "vendor",
        Kind::Str,
        "Vendor or designer (partners in brackets)",
    );
    b.req(
        "vendor_country",
        Kind::Str,
        "Vendor's home country (several separated by `/`)",
    );
    b.req(
        "reactor_type",
        Kind::Enum(REACTOR_TYPES),
        "Reactor technology",
    );
    b.req(
        "deployment",
        Kind::Enum(DEPLOYMENTS),
        "Land-based, floating or marine",
    );
    b.num(
        "thermal_mwt",
        "MWt",
        Range::open_closed(0.0, 6000.0),
        "Thermal power per module",
    );
    b.num(
        "gross_mwe_per_module",
        "MWe",
        Range::open_closed(0.0, 2000.0),
        "Gross electric output per module",
    );
    b.num(
        "net_mwe_per_module",
        "MWe",
        Range::open_closed(0.0, 2000.0),
        "Net electric output per module (or unstated basis, see `mwe_basis`)",
    );
    b.opt(
        "mwe_basis",
        Kind::Enum(&["net", "gross", "unstated"]),
        "Whether the published rating is net, gross or unstated",
    );
    b.num(
        "plant_net_mwe",
        "MWe",
        Range::open_closed(0.0, 10_000.0),
        "Plant net output, given only when no per-module net rating is published",
    );
    b.num(
        "plant_gross_mwe",
        "MWe",
        Range::open_closed(0.0, 10_000.0),
        "Plant gross output, given only when no per-module gross rating is published",
    );
    b.add(
        "modules_per_plant",
        Kind::Int,
        "modules",
        Some(Range::closed(1.0, 24.0)),
        false,
        "Modules (reactors) in the reference plant",
    );
    b.num(
        "design_life_years",
        "years",
        Range::open_closed(0.0, 120.0),
        "Design operating life",
    );
    b.num(
        "capacity_factor",
        "fraction",
        FRACTION_POSITIVE,
        "Design or expected capacity factor",
    );
    b.add(
        "refuelling_interval_months",
        Kind::Estimate,
        "months",
        Some(Range::open_closed(0.0, 600.0)),
        false,
        "Months between refuellings or core replacements",
    );
    b.opt("fuel", Kind::Text, "Fuel form");
    b.add(
        "fuel_enrichment_pct",
        Kind::Estimate,
        "% U-235",
        Some(PERCENT),
        false,
        "Enrichment; `{ high = 20 }` means below 20 % (HALEU, exact value unpublished)",
    );
    b.num(
        "min_stable_load_fraction",
        "fraction",
        FRACTION,
        "Minimum stable load as a fraction of rated power",
    );
    b.num(
        "ramp_pct_per_min",
        "%/min",
        PERCENT,
        "Ramp rate in % of rated power per minute",
    );
    b.num(
        "construction_months",
        "months",
        Range::open_closed(0.0, 360.0),
        "First nuclear concrete (or licence) to grid or commercial operation",
    );
    b.opt(
        "construction_months_basis",
        Kind::Enum(&["actual", "target"]),
        "Whether `construction_months` is an outturn or a target",
    );
    b.num(
        "outage_days",
        "days",
        Range::open_closed(0.0, 365.0),
        "Length of a refuelling outage",
    );
    b.req(
        "status",
        Kind::Enum(DESIGN_STATUSES),
        "Most advanced licensing or deployment status",
    );
    b.opt(
        "status_date",
        Kind::Date,
        "Date of the milestone behind `status`",
    );
    b.opt(
        "reference_plants",
        Kind::StrList,
        "Named plants (country, year or target)",
    );
    b.opt(
        "licensing_milestones",
        Kind::StrList,
        "Regulator, step, date",
    );
    b.opt(
        "data_quality",
        Kind::Str,
        "P primary, T trade press, S secondary (combinations allowed)",
    );
    b.opt("notes", Kind::Text, "Caveats, in our own words");
    b.opt(
        "verify",
        Kind::StrList,
        "Fields whose values could not be verified and need re-checking",
    );
    b.opt(
        "sources",
        Kind::SourceRefs,
        "General references for the record; each value names its own in `field_sources`",
    );
    field_sources(b);
    costs(b, true);
    alternatives(b);
}

/// `[field_sources]`: one entry per sourced field (the key is any field path of the file).
fn field_sources(b: &mut Builder) {
    b.opt(
        "field_sources",
        Kind::Table,
        "Sources of each value: field path -> list of source ids; every numeric field and date needs one",
    );
    b.add(
        FIELD_SOURCES_ENTRY,
        Kind::SourceRefs,
        "",
        None,
        false,
        "Sources of the value of `<field>` (quote dotted paths: `\"financing.loan.rate\" = [...]`)",
    );
}

/// The field-table row that describes every `field_sources.<field>` key.
pub const FIELD_SOURCES_ENTRY: &str = "field_sources.<field>";

pub const COST_SCOPES: &[&str] = &[
    "overnight",
    "overnight-plus-owner",
    "total-with-financing",
    "contract-price",
];

/// `[[costs]]`: every published cost figure with scope, terms, year and sources.
fn costs(b: &mut Builder, design: bool) {
    b.opt(
        "costs",
        Kind::TableArray,
        "Published cost figures (alternatives and the history of estimates); see docs/data.md, \"One cost basis\"",
    );
    b.req(
        "costs[].scope",
        Kind::Enum(COST_SCOPES),
        "What the figure covers: overnight (no IDC, no escalation), overnight-plus-owner, total-with-financing (IDC and escalation included) or contract-price",
    );
    b.req(
        "costs[].terms",
        Kind::Enum(&["real", "nominal"]),
        "Real (one price level, `price_year`) or nominal (money of the years spent)",
    );
    if design {
        b.add(
            "costs[].per_kw",
            Kind::Estimate,
            "currency/kW",
            Some(POSITIVE),
            true,
            "Per kW of net capacity",
        );
        b.opt(
            "costs[].foak_noak",
            Kind::Enum(&["foak", "noak"]),
            "First-of-a-kind or nth-of-a-kind",
        );
        b.opt(
            "costs[].project",
            Kind::Str,
            "Project (id in projects/) the figure comes from",
        );
    } else {
        b.add(
            "costs[].total_bn",
            Kind::Estimate,
            "bn currency",
            Some(POSITIVE),
            true,
            "Whole project, billions",
        );
    }
    b.req("costs[].currency", Kind::Str, "ISO 4217 currency code");
    b.add(
        "costs[].price_year",
        Kind::Int,
        "year",
        Some(YEAR),
        true,
        "Real: price year; nominal: year the figure was stated",
    );
    b.add(
        "costs[].estimate_year",
        Kind::Int,
        "year",
        Some(YEAR),
        false,
        "Year the estimate was made or published (default `price_year`); orders the cost history",
    );
    b.opt(
        "costs[].basis",
        Kind::Text,
        "What the figure is and how it was computed, in our own words",
    );
    b.req("costs[].sources", Kind::SourceRefs, "Sources of the figure");
    b.opt(
        "costs[].default",
        Kind::Bool,
        "The entry the economics engine uses (at most one)",
    );
    b.opt(
        "costs[].verify",
        Kind::Bool,
        "True when the figure or its year needs re-checking",
    );
    b.opt(
        "costs[].derivation",
        Kind::Table,
        "How to remove IDC and escalation to obtain an overnight cost (needed when the default entry is not overnight in real terms)",
    );
    b.add(
        "costs[].derivation.spend_start_year",
        Kind::Int,
        "year",
        Some(YEAR),
        true,
        "First year of construction spending",
    );
    b.add(
        "costs[].derivation.spend_end_year",
        Kind::Int,
        "year",
        Some(YEAR),
        true,
        "Last year of construction spending (price year of the derived overnight cost for nominal figures)",
    );
    b.req(
        "costs[].derivation.spend_profile",
        Kind::Enum(&["uniform", "s-curve"]),
        "Spread of spending over the window",
    );
    b.add(
        "costs[].derivation.idc_rate",
        Kind::Float,
        "fraction/yr",
        Some(Range::closed(0.0, 0.5)),
        true,
        "Interest during construction to remove; 0 when the figure has no financing",
    );
    b.add(
        "costs[].derivation.escalation_rate",
        Kind::Float,
        "fraction/yr",
        Some(Range::closed(-0.5, 1.0)),
        false,
        "Constant nominal escalation to remove; absent: the currency's GDP deflator year by year",
    );
    b.req(
        "costs[].derivation.note",
        Kind::Text,
        "Why these years and rates",
    );
    b.req(
        "costs[].derivation.sources",
        Kind::SourceRefs,
        "Sources of the years and rates",
    );
}

fn alternatives(b: &mut Builder) {
    b.opt(
        "alternatives",
        Kind::TableArray,
        "Conflicting published values; the record's own field holds the default",
    );
    b.req(
        "alternatives[].field",
        Kind::FieldRef,
        "Field the alternative applies to",
    );
    b.add(
        "alternatives[].value",
        Kind::Float,
        "as field",
        None,
        true,
        "Alternative value",
    );
    b.req(
        "alternatives[].sources",
        Kind::SourceRefs,
        "Sources of the alternative",
    );
    b.req(
        "alternatives[].note",
        Kind::Text,
        "Why the default was preferred",
    );
    b.opt(
        "alternatives[].verify",
        Kind::Bool,
        "True when the source of the alternative is not pinned down",
    );
}

fn project_fields(b: &mut Builder) {
    b.req(
        "id",
        Kind::Str,
        "Project id, lower-case kebab-case, equal to the file name",
    );
    b.req("name", Kind::Str, "Project name");
    b.req(
        "country",
        Kind::Str,
        "ISO 3166 alpha-2 code of the host country",
    );
    b.req("vendor", Kind::Str, "Vendor, owner and main partners");
    b.req("design", Kind::DesignRef, "Main reactor design");
    b.opt(
        "other_designs",
        Kind::DesignRefs,
        "Further designs at the same project",
    );
    b.add(
        "units",
        Kind::Int,
        "units",
        Some(Range::closed(1.0, 100.0)),
        true,
        "Number of units (reactors or floating units)",
    );
    b.num(
        "capacity_mwe",
        "MWe",
        Range::open_closed(0.0, 50_000.0),
        "Total capacity",
    );
    b.opt(
        "capacity_basis",
        Kind::Enum(&["gross", "net", "as-reported"]),
        "Basis of `capacity_mwe`",
    );
    b.req("status", Kind::Enum(PROJECT_STATUSES), "Project status");
    b.opt("status_date", Kind::Date, "Date of the status");
    b.opt(
        "construction_start",
        Kind::Date,
        "First nuclear concrete of the first unit",
    );
    b.opt(
        "grid_connection",
        Kind::Date,
        "Grid connection of the first unit",
    );
    b.opt(
        "commercial_operation",
        Kind::Date,
        "Commercial operation of the first unit",
    );
    b.add(
        "original_target_year",
        Kind::Int,
        "year",
        Some(YEAR),
        false,
        "First unit's operation year as originally planned",
    );
    b.add(
        "current_target_year",
        Kind::Int,
        "year",
        Some(YEAR),
        false,
        "First unit's operation year as now targeted",
    );
    b.opt("notes", Kind::Text, "Caveats, in our own words");
    b.opt(
        "data_quality",
        Kind::Str,
        "P primary, T trade press, S secondary",
    );
    b.opt(
        "sources",
        Kind::SourceRefs,
        "General references for the record; each value names its own in `field_sources`",
    );
    field_sources(b);
    costs(b, false);
    b.opt("financing", Kind::Table, "Financing structure");
    b.req(
        "financing.model",
        Kind::Enum(FINANCING_MODELS),
        "Financing model",
    );
    b.opt("financing.note", Kind::Text, "Terms in words");
    b.opt(
        "financing.verify",
        Kind::Bool,
        "True when the terms need re-checking",
    );
    b.opt(
        "financing.loan",
        Kind::Table,
        "Loan terms (state export credit or debt package)",
    );
    b.num(
        "financing.loan.amount_bn",
        "bn currency",
        POSITIVE,
        "Loan amount, billions",
    );
    b.opt("financing.loan.currency", Kind::Str, "Loan currency");
    b.num(
        "financing.loan.share_of_cost",
        "fraction",
        FRACTION_POSITIVE,
        "Share of the contract or cost the loan covers",
    );
    b.num(
        "financing.loan.rate",
        "fraction/yr",
        Range::closed(0.0, 0.5),
        "Fixed interest rate",
    );
    b.num(
        "financing.loan.rate_max",
        "fraction/yr",
        Range::closed(0.0, 0.5),
        "Cap on a floating rate",
    );
    b.opt(
        "financing.loan.rate_note",
        Kind::Text,
        "Floating-rate formula or other terms",
    );
    b.num(
        "financing.loan.tenor_years",
        "years",
        Range::open_closed(0.0, 100.0),
        "Repayment period including grace",
    );
    b.num(
        "financing.loan.grace_years",
        "years",
        Range::closed(0.0, 50.0),
        "Grace period before repayment",
    );
    b.opt(
        "financing.loan.first_repayment",
        Kind::Date,
        "Date of the first repayment",
    );
    b.opt(
        "financing.ppa",
        Kind::Table,
        "Power-purchase agreement or contract for difference",
    );
    b.num(
        "financing.ppa.price_per_mwh",
        "currency/MWh",
        POSITIVE,
        "Contract price",
    );
    b.opt("financing.ppa.currency", Kind::Str, "Contract currency");
    b.num(
        "financing.ppa.share_of_output",
        "fraction",
        FRACTION_POSITIVE,
        "Share of plant output bought at the contract price",
    );
    b.num(
        "financing.ppa.years",
        "years",
        Range::open_closed(0.0, 100.0),
        "Contract length",
    );
    b.opt("financing.ppa.note", Kind::Text, "Terms in words");
    alternatives(b);
}

fn country_fields(b: &mut Builder) {
    b.req(
        "code",
        Kind::Str,
        "ISO 3166 alpha-2 code, equal to the file name",
    );
    b.req("name", Kind::Str, "Country name");
    b.opt(
        "peak_season",
        Kind::Enum(&["summer", "winter"]),
        "Season of the annual peak",
    );
    b.opt(
        "iaea_milestones",
        Kind::Table,
        "Phase on the IAEA Milestones Approach (our assessment)",
    );
    b.add(
        "iaea_milestones.phase",
        Kind::Int,
        "phase",
        Some(Range::closed(1.0, 3.0)),
        true,
        "Phase 1, 2 or 3",
    );
    b.req("iaea_milestones.basis", Kind::Text, "Why this phase");
    b.add(
        "iaea_milestones.assessed_year",
        Kind::Int,
        "year",
        Some(YEAR),
        true,
        "Year of the assessment",
    );
    b.req("iaea_milestones.source", Kind::SourceRef, "Source");
    b.opt("load_shape", Kind::Table, "Hourly or seasonal load shape");
    b.req(
        "load_shape.file",
        Kind::Str,
        "CSV file relative to the catalogue directory",
    );
    b.opt("load_shape.basis", Kind::Text, "How the shape was derived");
    b.req("load_shape.source", Kind::SourceRef, "Source");
    b.opt("zones", Kind::TableArray, "Zones and isolated systems");
    b.req("zones[].id", Kind::Str, "Zone id");
    b.req("zones[].name", Kind::Str, "Zone name");
    b.req(
        "zones[].kind",
        Kind::Enum(&["main", "isolated"]),
        "Main grid or isolated system",
    );
    b.opt("zones[].note", Kind::Text, "Note");
    b.req("zones[].source", Kind::SourceRef, "Source");
    b.opt(
        "interconnections",
        Kind::TableArray,
        "Links between zones or to neighbours",
    );
    b.req("interconnections[].from", Kind::Str, "Zone id or neighbour");
    b.req("interconnections[].to", Kind::Str, "Zone id or neighbour");
    b.num(
        "interconnections[].capacity_mw",
        "MW",
        POSITIVE,
        "Transfer capacity",
    );
    b.num(
        "interconnections[].voltage_kv",
        "kV",
        Range::open_closed(0.0, 1500.0),
        "Voltage",
    );
    b.opt(
        "interconnections[].direction",
        Kind::Enum(&["import", "export"]),
        "Direction the capacity applies to",
    );
    b.opt(
        "interconnections[].status",
        Kind::Enum(&["existing", "planned"]),
        "Existing (default) or planned",
    );
    b.opt("interconnections[].note", Kind::Text, "Note");
    b.req("interconnections[].source", Kind::SourceRef, "Source");
    b.opt(
        "milestones",
        Kind::TableArray,
        "Nuclear-programme milestones",
    );
    b.req("milestones[].date", Kind::Date, "Date");
    b.req("milestones[].description", Kind::Text, "What happened");
    b.req("milestones[].source", Kind::SourceRef, "Source");
    b.opt(
        "climate_targets",
        Kind::TableArray,
        "Climate and renewables targets",
    );
    b.req(
        "climate_targets[].kind",
        Kind::Enum(&["net-zero", "ndc", "renewables-share"]),
        "Kind of target",
    );
    b.add(
        "climate_targets[].target_year",
        Kind::Int,
        "year",
        Some(YEAR),
        true,
        "Target year",
    );
    b.num(
        "climate_targets[].reduction_pct",
        "%",
        PERCENT,
        "Emission reduction (against the NDC's baseline)",
    );
    b.num("climate_targets[].share_pct", "%", PERCENT, "Target share");
    b.opt("climate_targets[].note", Kind::Text, "Note");
    b.req("climate_targets[].source", Kind::SourceRef, "Source");
    b.opt(
        "plants",
        Kind::TableArray,
        "Plant-level existing fleet (operating, under construction, mothballed, retired)",
    );
    b.req("plants[].name", Kind::Str, "Plant name");
    b.req(
        "plants[].technology",
        Kind::Enum(PLANT_TECHNOLOGIES),
        "Technology",
    );
    b.add(
        "plants[].capacity_mw",
        Kind::Float,
        "MW",
        Some(Range::open_closed(0.0, 50_000.0)),
        true,
        "Installed capacity as published",
    );
    b.add(
        "plants[].units",
        Kind::Int,
        "units",
        Some(Range::closed(1.0, 1000.0)),
        false,
        "Number of units",
    );
    b.opt(
        "plants[].commissioned",
        Kind::Date,
        "Commissioning of the first unit",
    );
    b.opt(
        "plants[].commissioned_last",
        Kind::Date,
        "Commissioning of the last unit",
    );
    b.opt("plants[].owner", Kind::Str, "Owner or operator");
    b.opt("plants[].zone", Kind::Str, "Zone id of this country");
    b.req(
        "plants[].status",
        Kind::Enum(&["operating", "under-construction", "mothballed", "retired"]),
        "Status",
    );
    b.add(
        "plants[].retirement_year",
        Kind::Int,
        "year",
        Some(YEAR),
        false,
        "Announced retirement year",
    );
    b.add(
        "plants[].data_year",
        Kind::Int,
        "year",
        Some(YEAR),
        false,
        "Year the capacity describes",
    );
    b.opt("plants[].note", Kind::Text, "Note");
    b.req(
        "plants[].sources",
        Kind::SourceRefs,
        "Sources of every value of the entry",
    );
    b.opt(
        "nuclear_programme",
        Kind::TableArray,
        "Announced steps of the nuclear programme, one per plant or project",
    );
    b.req(
        "nuclear_programme[].name",
        Kind::Str,
        "Plant or project name",
    );
    b.req(
        "nuclear_programme[].status",
        Kind::Enum(&[
            "announced",
            "agreement",
            "vendor-selected",
            "contracted",
            "site-preparation",
            "under-construction",
            "operating",
        ]),
        "How far it has gone",
    );
    b.opt("nuclear_programme[].vendor", Kind::Str, "Vendor or partner");
    b.opt(
        "nuclear_programme[].designs",
        Kind::DesignRefs,
        "Reactor designs (ids in designs/)",
    );
    b.opt(
        "nuclear_programme[].project",
        Kind::Str,
        "Project id in projects/",
    );
    b.add(
        "nuclear_programme[].units",
        Kind::Int,
        "units",
        Some(Range::closed(1.0, 100.0)),
        false,
        "Units",
    );
    b.num(
        "nuclear_programme[].capacity_mw",
        "MW",
        Range::open_closed(0.0, 50_000.0),
        "Total capacity",
    );
    b.opt(
        "nuclear_programme[].announced",
        Kind::Date,
        "Date of the decision or announcement",
    );
    b.add(
        "nuclear_programme[].target_construction_start",
        Kind::Int,
        "year",
        Some(YEAR),
        false,
        "Targeted start of construction",
    );
    b.add(
        "nuclear_programme[].target_operation",
        Kind::Int,
        "year",
        Some(YEAR),
        false,
        "Targeted operation of the first unit",
    );
    b.opt("nuclear_programme[].note", Kind::Text, "Note");
    b.req(
        "nuclear_programme[].sources",
        Kind::SourceRefs,
        "Sources of every value of the entry",
    );
}

pub const PLANT_TECHNOLOGIES: &[&str] = &[
    "coal",
    "lignite",
    "gas",
    "oil",
    "hydro",
    "nuclear",
    "wind",
    "solar",
    "bioenergy",
    "geothermal",
    "other",
];

/// The qualifiers every country observation may carry.
fn observation_fields(
    b: &mut Builder,
    table: &'static str,
    unit: &'static str,
    range: Range,
    description: &'static str,
) {
    let leak = |suffix: &str| -> &'static str {
        Box::leak(format!("{table}[].{suffix}").into_boxed_str())
    };
    b.add(table, Kind::TableArray, "", None, false, description);
    b.add(
        leak("value"),
        Kind::Float,
        unit,
        Some(range),
        true,
        description,
    );
    b.add(
        leak("year"),
        Kind::Int,
        "year",
        Some(YEAR),
        false,
        "Year the value describes",
    );
    b.opt(
        leak("period"),
        Kind::Str,
        "Longer period or date label, e.g. `2024/25`",
    );
    b.opt(
        leak("technology"),
        Kind::Str,
        "Technology (capacity, generation, shares)",
    );
    b.opt(
        leak("basis"),
        Kind::Str,
        "Basis: consumption, generation, supplied-to-consumers",
    );
    b.opt(
        leak("status"),
        Kind::Enum(&["existing", "planned"]),
        "Existing or planned (largest unit)",
    );
    b.opt(leak("fuel"), Kind::Str, "Fuel (import shares)");
    b.opt(
        leak("supplier"),
        Kind::Str,
        "Supplier country or route (import shares)",
    );
    b.opt(leak("partner"), Kind::Str, "Trading partner");
    b.opt(
        leak("forecast"),
        Kind::Bool,
        "True for forecasts and expectations",
    );
    b.opt(leak("target"), Kind::Bool, "True for policy targets");
    b.opt(
        leak("derived"),
        Kind::Bool,
        "True when derived by arithmetic from sourced numbers",
    );
    b.opt(leak("net"), Kind::Bool, "True for net flows");
    b.opt(
        leak("official"),
        Kind::Bool,
        "False for indicative, unofficial estimates",
    );
    b.opt(leak("note"), Kind::Text, "Note");
    b.req(leak("source"), Kind::SourceRef, "Source");
}

fn sources_fields(b: &mut Builder) {
    b.req("source", Kind::TableArray, "One entry per source");
    b.req("source[].id", Kind::Str, "Stable id cited by data fields");
    b.req(
        "source[].title",
        Kind::Text,
        "The document's own title (a headline for news items)",
    );
    b.req("source[].publisher", Kind::Str, "Publisher or organisation");
    b.req("source[].url", Kind::Str, "Address (http or https)");
    b.add(
        "source[].year",
        Kind::Int,
        "year",
        Some(YEAR),
        false,
        "Publication year (release year for databases); `check` warns when it is missing",
    );
    b.req(
        "source[].kind",
        Kind::Enum(&["primary", "secondary"]),
        "primary: originator (IAEA, NEA, regulator, vendor, utility, government, audited report, statistical office); secondary: trade press, news, aggregators",
    );
    b.opt("source[].accessed", Kind::Str, "When it was consulted");
    b.opt("source[].note", Kind::Text, "Note");
}

fn csv_fields(b: &mut Builder) {
    match b.file {
        FileKind::Technologies => {
            b.req("technology", Kind::Str, "Technology or fuel id");
            b.req("parameter", Kind::Str, "Parameter name, e.g. overnight_capital_cost, fixed_om, efficiency, lifetime, co2_emission_factor");
            b.add(
                "value",
                Kind::Float,
                "see unit",
                Some(Range::closed(0.0, 1e9)),
                true,
                "Value",
            );
            b.req("unit", Kind::Str, "Unit of `value`");
            b.add(
                "price_year",
                Kind::Int,
                "year",
                Some(YEAR),
                false,
                "Price year of money values",
            );
            b.opt(
                "scenario",
                Kind::Text,
                "Dataset, case and year the value belongs to",
            );
            b.req(
                "sources",
                Kind::SourceRefs,
                "Source ids, separated by spaces",
            );
            b.req(
                "default",
                Kind::Bool,
                "True for the value used when several are given",
            );
            b.opt("note", Kind::Text, "Why the default was chosen");
        }
        FileKind::TechnologyFuels => {
            b.req("technology", Kind::Str, "Technology id");
            b.req(
                "fuel",
                Kind::Str,
                "Fuel id (a `technology` of technologies.csv carrying co2_emission_factor)",
            );
        }
        FileKind::Deflators => {
            b.req("currency", Kind::Str, "Currency whose price index this is");
            b.add("year", Kind::Int, "year", Some(YEAR), true, "Year");
            b.add(
                "index",
                Kind::Float,
                "index",
                Some(POSITIVE),
                true,
                "Price index, `base_year` = 100",
            );
            b.add(
                "base_year",
                Kind::Int,
                "year",
                Some(YEAR),
                true,
                "Base year of the index",
            );
            b.req("source", Kind::SourceRef, "Source");
        }
        FileKind::ExchangeRates => {
            b.req("currency", Kind::Str, "Currency");
            b.add(
                "year",
                Kind::Int,
                "year",
                Some(YEAR),
                true,
                "Year (annual average)",
            );
            b.add(
                "per_usd",
                Kind::Float,
                "currency/USD",
                Some(POSITIVE),
                true,
                "Units of currency per US dollar",
            );
            b.req("source", Kind::SourceRef, "Source");
            b.opt(
                "verify",
                Kind::Bool,
                "True when the rate comes from a secondary copy and needs re-checking",
            );
        }
        FileKind::Observations => {
            b.req("country", Kind::Str, "ISO 3166 alpha-2 code");
            b.req("metric", Kind::Str, "Metric name as in the reference");
            b.req(
                "value",
                Kind::Text,
                "Value as published (number, range or text)",
            );
            b.opt("unit", Kind::Text, "Unit and qualifiers");
            b.opt("period", Kind::Str, "Year or period");
            b.req("source", Kind::SourceRef, "Source");
        }
        FileKind::LoadShape => {
            b.add(
                "month",
                Kind::Int,
                "month",
                Some(Range::closed(1.0, 12.0)),
                true,
                "Month 1-12",
            );
            b.add(
                "hour",
                Kind::Int,
                "hour",
                Some(Range::closed(0.0, 23.0)),
                true,
                "Hour of day, local time, hour-beginning",
            );
            b.add(
                "load_over_annual_mean",
                Kind::Float,
                "ratio",
                Some(Range::open_closed(0.0, 5.0)),
                true,
                "Mean load of this month and hour over the annual mean",
            );
            b.req("source", Kind::SourceRef, "Source");
        }
        _ => {}
    }
}

/// The whole field table.
pub fn field_table() -> &'static [FieldSpec] {
    static TABLE: OnceLock<Vec<FieldSpec>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut rows = Vec::new();
        for file in FileKind::ALL {
            let mut b = Builder {
                file,
                rows: Vec::new(),
            };
            match file {
                FileKind::Design => design_fields(&mut b),
                FileKind::Project => project_fields(&mut b),
                FileKind::Country => {
                    country_fields(&mut b);
                    for (table, unit, range, description) in OBSERVATION_TABLES {
                        observation_fields(&mut b, table, unit, *range, description);
                    }
                }
                FileKind::Sources => sources_fields(&mut b),
                _ => csv_fields(&mut b),
            }
            rows.extend(b.rows);
        }
        let _ = NON_NEGATIVE;
        rows
    })
}

/// The fields of one kind of file.
pub fn fields_of(file: FileKind) -> impl Iterator<Item = &'static FieldSpec> {
    field_table().iter().filter(move |spec| spec.file == file)
}

/// Looks a field up by file kind and normalised path (`a[].b`).
pub fn lookup(file: FileKind, path: &str) -> Option<&'static FieldSpec> {
    fields_of(file).find(|spec| spec.path == path).or_else(|| {
        path.strip_prefix("field_sources.")
            .filter(|field| !field.is_empty())
            .and_then(|_| fields_of(file).find(|spec| spec.path == FIELD_SOURCES_ENTRY))
    })
}

/// `docs/reference/data-fields.md`, generated from the field table.
pub fn fields_markdown() -> String {
    let mut out = String::from(
        "# Data fields\n\n\
         <!-- Generated from crates/atomplan-catalogue/src/fields.rs; do not edit by hand. -->\n\n\
         This is the schema of the catalogue in `data/`.\n\
         `atomplan catalogue check` validates every file against it.\n\
         Every numeric value must cite a source: through `field_sources` (designs, projects; `[[costs]]` carry their own `sources`), its own `source` or `sources` field (country observations, plants, programme steps, money tables) or its `sources` column (technologies).\n\
         Fields not listed here are rejected.\n",
    );
    for file in FileKind::ALL {
        let _ = write!(out, "\n## `{}`\n\n", file.location());
        out.push_str(
            "| field | type | unit | range | required | description |\n|---|---|---|---|---|---|\n",
        );
        for spec in fields_of(file) {
            let kind = match spec.kind {
                Kind::Enum(values) => format!(
                    "one of {}",
                    values
                        .iter()
                        .map(|v| format!("`{v}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                other => other.name().to_owned(),
            };
            let range = spec.range.map(|r| r.to_string()).unwrap_or_default();
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | {} | {} |",
                spec.path,
                kind,
                spec.unit,
                range,
                if spec.required { "yes" } else { "" },
                spec.description.replace('|', "\\|")
            );
        }
    }
    out
}
