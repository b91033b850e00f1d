//! Validated domain types: what the rest of atomplan reads from the catalogue.
//!
//! Every optional number is `None` when no source gives it; nothing is filled in.
//! Units are in the field names (`net_mwe_per_module`, `price_year`), see
//! docs/reference/data-fields.md.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::date::PartialDate;
use crate::ids::{CountryCode, DesignId, ProjectId, SourceId};

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Parses the data-file spelling.
            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
            /// The data-file spelling.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum!(
    /// Reactor technology.
    ReactorType { Pwr => "PWR", Bwr => "BWR", Hwr => "HWR", Lfr => "LFR", Sfr => "SFR", Htgr => "HTGR", Msr => "MSR", Microreactor => "microreactor" }
);
string_enum!(
    /// Where the reactor sits.
    Deployment { Land => "land", Floating => "floating", Marine => "marine" }
);
string_enum!(
    /// Licensing and deployment status of a design, in order of maturity.
    DesignStatus { Concept => "concept", BasicDesign => "basic-design", DetailedDesign => "detailed-design", Licensing => "licensing", UnderConstruction => "under-construction", Operating => "operating" }
);
string_enum!(
    /// Status of a project.
    ProjectStatus { Planned => "planned", SitePreparation => "site-preparation", Licensing => "licensing", UnderConstruction => "under-construction", Operating => "operating", Suspended => "suspended", Cancelled => "cancelled" }
);
string_enum!(
    /// Financing model of a project.
    FinancingModel { Boo => "boo", StateExportLoan => "state-export-loan", RegulatedUtility => "regulated-utility", Cfd => "cfd", UtilityBalanceSheet => "utility-balance-sheet", UtilityConsortium => "utility-consortium", StateOwned => "state-owned", GovernmentCostShare => "government-cost-share", Private => "private", ProjectFinance => "project-finance", Mixed => "mixed" }
);
string_enum!(
    /// First-of-a-kind or nth-of-a-kind cost.
    FoakNoak { Foak => "foak", Noak => "noak" }
);
string_enum!(
    /// Basis of a published MWe rating.
    MweBasis { Net => "net", Gross => "gross", Unstated => "unstated" }
);
string_enum!(
    /// Whether a duration is an outturn or a target.
    ScheduleBasis { Actual => "actual", Target => "target" }
);
string_enum!(
    /// What a cost figure covers.
    CostScope { Overnight => "overnight", OvernightPlusOwner => "overnight-plus-owner", TotalWithFinancing => "total-with-financing", ContractPrice => "contract-price" }
);
string_enum!(
    /// Whether a money figure is at one price level (real) or in money of the years spent (nominal).
    CostTerms { Real => "real", Nominal => "nominal" }
);
string_enum!(
    /// How construction spending is spread over the spend window.
    SpendShape { Uniform => "uniform", SCurve => "s-curve" }
);
string_enum!(
    /// Whether a source is the originator of its figures or relays them.
    SourceKind { Primary => "primary", Secondary => "secondary" }
);
string_enum!(
    /// Status of an existing power plant.
    PlantStatus { Operating => "operating", UnderConstruction => "under-construction", Mothballed => "mothballed", Retired => "retired" }
);
string_enum!(
    /// How far a step of a country's nuclear programme has gone.
    ProgrammeStatus { Announced => "announced", Agreement => "agreement", VendorSelected => "vendor-selected", Contracted => "contracted", SitePreparation => "site-preparation", UnderConstruction => "under-construction", Operating => "operating" }
);

/// Field path -> the sources of that field's own value.
pub type FieldSources = BTreeMap<String, Vec<SourceId>>;

/// A value published as a number or as a range; at least one of the three is set and
/// `low <= central <= high` holds for those that are.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    pub low: Option<f64>,
    pub central: Option<f64>,
    pub high: Option<f64>,
}

impl Estimate {
    pub fn exact(value: f64) -> Self {
        Estimate {
            low: Some(value),
            central: Some(value),
            high: Some(value),
        }
    }

    /// The central value, else the midpoint of low and high, else whichever bound is given.
    /// An upper bound alone (`{ high = 20 }`, "below 20") returns that bound.
    pub fn central_or_mid(&self) -> Option<f64> {
        match (self.low, self.central, self.high) {
            (_, Some(central), _) => Some(central),
            (Some(low), None, Some(high)) => Some(0.5 * (low + high)),
            (Some(only), None, None) | (None, None, Some(only)) => Some(only),
            (None, None, None) => None,
        }
    }
}

/// A conflicting published value kept beside the default.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alternative {
    /// Dotted field path, e.g. `net_mwe_per_module` or `financing.loan.tenor_years`.
    pub field: String,
    pub value: f64,
    pub sources: Vec<SourceId>,
    /// Why the default was preferred.
    pub note: String,
    pub verify: bool,
}

/// How a non-overnight figure is turned into an overnight cost: the spend window and the
/// interest during construction (IDC) and escalation to remove.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Derivation {
    pub spend_start_year: i32,
    pub spend_end_year: i32,
    pub spend_profile: SpendShape,
    /// Interest during construction removed, fraction per year (0: the figure has no financing).
    pub idc_rate: f64,
    /// Constant nominal escalation removed, fraction per year; `None`: the currency's GDP
    /// deflator, year by year.
    pub escalation_rate: Option<f64>,
    pub note: String,
    pub sources: Vec<SourceId>,
}

/// One published cost figure with its scope, terms, year and sources.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostEstimate {
    pub scope: CostScope,
    pub terms: CostTerms,
    /// Per kW of net capacity (designs), in `currency`.
    pub per_kw: Option<Estimate>,
    /// Whole project, billions of `currency` (projects).
    pub total_bn: Option<Estimate>,
    /// ISO 4217 code.
    pub currency: String,
    /// Real figures: the price year; nominal figures: the year the figure was stated.
    pub price_year: i32,
    /// Year the estimate was made or published (defaults to `price_year`).
    pub estimate_year: i32,
    pub foak_noak: Option<FoakNoak>,
    /// The project the figure comes from (designs).
    pub project: Option<ProjectId>,
    pub basis: Option<String>,
    pub sources: Vec<SourceId>,
    /// The entry the economics engine uses.
    pub default: bool,
    pub verify: bool,
    pub derivation: Option<Derivation>,
}

impl CostEstimate {
    /// The amount: per kW for designs, billions for projects.
    pub fn amount(&self) -> Option<Estimate> {
        self.per_kw.or(self.total_bn)
    }

    /// True when the figure is an overnight cost as it stands (no IDC, no escalation).
    pub fn is_overnight(&self) -> bool {
        matches!(
            self.scope,
            CostScope::Overnight | CostScope::OvernightPlusOwner
        ) && self.terms == CostTerms::Real
    }
}

/// The overnight cost per kW the economics engine uses: a published overnight figure, or one
/// derived from another scope by removing IDC and escalation (`derived = true`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OvernightCost {
    /// Per kW, in `currency` of `price_year`.
    pub per_kw: Estimate,
    /// ISO 4217 code.
    pub currency: String,
    pub price_year: i32,
    pub foak_noak: Option<FoakNoak>,
    pub basis: Option<String>,
    pub verify: bool,
    /// Scope of the published figure it comes from.
    pub scope: CostScope,
    pub terms: CostTerms,
    /// True when IDC and/or escalation were removed from the published figure.
    pub derived: bool,
    /// Published figure divided by this gives the overnight cost (1 when not derived).
    pub derivation_factor: f64,
    /// How it was derived, in words.
    pub derivation_note: Option<String>,
    /// Index into the record's `costs`.
    pub cost_index: usize,
    pub sources: Vec<SourceId>,
}

/// A reactor design.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Design {
    pub id: DesignId,
    pub name: String,
    pub vendor: String,
    /// Vendor's home country; several are separated by `/` (see [`Design::vendor_countries`]).
    pub vendor_country: String,
    pub reactor_type: ReactorType,
    pub deployment: Deployment,
    pub thermal_mwt: Option<f64>,
    pub gross_mwe_per_module: Option<f64>,
    pub net_mwe_per_module: Option<f64>,
    pub mwe_basis: Option<MweBasis>,
    /// Plant net output, only where no per-module net rating is published.
    pub plant_net_mwe: Option<f64>,
    /// Plant gross output, only where no per-module gross rating is published.
    pub plant_gross_mwe: Option<f64>,
    pub modules_per_plant: Option<u32>,
    pub design_life_years: Option<f64>,
    /// Fraction in (0, 1].
    pub capacity_factor: Option<f64>,
    pub refuelling_interval_months: Option<Estimate>,
    pub fuel: Option<String>,
    pub fuel_enrichment_pct: Option<Estimate>,
    /// Fraction of rated power in [0, 1].
    pub min_stable_load_fraction: Option<f64>,
    pub ramp_pct_per_min: Option<f64>,
    pub construction_months: Option<f64>,
    pub construction_months_basis: Option<ScheduleBasis>,
    /// Days per refuelling outage.
    pub outage_days: Option<f64>,
    /// Every published cost figure (alternatives and cost history included).
    pub costs: Vec<CostEstimate>,
    /// The overnight cost the economics engine uses, from the default entry of `costs`.
    pub overnight_cost: Option<OvernightCost>,
    pub status: DesignStatus,
    pub status_date: Option<PartialDate>,
    pub reference_plants: Vec<String>,
    pub licensing_milestones: Vec<String>,
    pub data_quality: Option<String>,
    pub notes: Option<String>,
    /// Fields flagged for re-checking.
    pub verify: Vec<String>,
    /// General references for the record.
    pub sources: Vec<SourceId>,
    /// Field path -> sources of that value.
    pub field_sources: FieldSources,
    pub alternatives: Vec<Alternative>,
}

/// Net MWe per module at or below which a design counts as small (IAEA: up to 300 MWe).
pub const SMR_MAX_MWE: f64 = 300.0;

impl Design {
    /// Net rating per module, falling back to the gross rating, then to a published plant
    /// total divided by the modules (one module when unknown).
    pub fn mwe_per_module(&self) -> Option<f64> {
        let modules = f64::from(self.modules_per_plant.unwrap_or(1).max(1));
        self.net_mwe_per_module
            .or(self.gross_mwe_per_module)
            .or(self.plant_net_mwe.map(|p| p / modules))
            .or(self.plant_gross_mwe.map(|p| p / modules))
    }

    /// Rating of the reference plant: a published plant total, else per-module rating times
    /// modules (one module when unknown).
    pub fn plant_mwe(&self) -> Option<f64> {
        let from_modules = self
            .net_mwe_per_module
            .or(self.gross_mwe_per_module)
            .map(|mwe| mwe * f64::from(self.modules_per_plant.unwrap_or(1)));
        from_modules.or(self.plant_net_mwe).or(self.plant_gross_mwe)
    }

    /// Small modular reactor (or microreactor): at most [`SMR_MAX_MWE`] per module.
    /// Without any electric rating, a thermal rating of at most 1,000 MWt per module counts as
    /// small (about 300 MWe at a third efficiency); with neither, only microreactors do.
    pub fn is_smr(&self) -> bool {
        match (self.mwe_per_module(), self.thermal_mwt) {
            (Some(mwe), _) => mwe <= SMR_MAX_MWE,
            (None, Some(mwt)) => mwt <= 1000.0,
            (None, None) => self.reactor_type == ReactorType::Microreactor,
        }
    }

    /// Vendor countries split on `/`.
    pub fn vendor_countries(&self) -> impl Iterator<Item = &str> {
        self.vendor_country.split('/').map(str::trim)
    }

    /// Alternatives recorded for one field.
    pub fn alternatives_for<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a Alternative> {
        self.alternatives.iter().filter(move |a| a.field == field)
    }
}

/// Loan terms.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Loan {
    pub amount_bn: Option<f64>,
    pub currency: Option<String>,
    /// Fraction of the contract or cost covered.
    pub share_of_cost: Option<f64>,
    /// Fixed annual rate as a fraction.
    pub rate: Option<f64>,
    /// Cap on a floating rate, fraction.
    pub rate_max: Option<f64>,
    pub rate_note: Option<String>,
    pub tenor_years: Option<f64>,
    pub grace_years: Option<f64>,
    pub first_repayment: Option<PartialDate>,
}

/// Power-purchase agreement or contract for difference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ppa {
    pub price_per_mwh: Option<f64>,
    pub currency: Option<String>,
    /// Fraction of plant output bought at the contract price.
    pub share_of_output: Option<f64>,
    pub years: Option<f64>,
    pub note: Option<String>,
}

/// Financing structure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Financing {
    pub model: FinancingModel,
    pub note: Option<String>,
    pub verify: bool,
    pub loan: Option<Loan>,
    pub ppa: Option<Ppa>,
}

/// A real nuclear project.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Project {
    pub id: ProjectId,
    pub name: String,
    pub country: CountryCode,
    pub vendor: String,
    pub design: DesignId,
    pub other_designs: Vec<DesignId>,
    pub units: u32,
    pub capacity_mwe: Option<f64>,
    pub capacity_basis: Option<String>,
    pub status: ProjectStatus,
    pub status_date: Option<PartialDate>,
    pub construction_start: Option<PartialDate>,
    pub grid_connection: Option<PartialDate>,
    pub commercial_operation: Option<PartialDate>,
    pub original_target_year: Option<i32>,
    pub current_target_year: Option<i32>,
    pub notes: Option<String>,
    pub data_quality: Option<String>,
    pub sources: Vec<SourceId>,
    /// Field path -> sources of that value.
    pub field_sources: FieldSources,
    /// Every published cost figure: alternatives and the history of estimates.
    pub costs: Vec<CostEstimate>,
    pub financing: Option<Financing>,
    pub alternatives: Vec<Alternative>,
}

impl Project {
    /// The headline cost: the `default = true` entry, else the latest estimate.
    pub fn cost(&self) -> Option<&CostEstimate> {
        self.costs
            .iter()
            .find(|c| c.default)
            .or_else(|| self.costs.iter().max_by_key(|c| c.estimate_year))
    }

    /// Years between the originally planned operation and the actual (commercial operation,
    /// else grid connection) or currently targeted operation of the first unit.
    pub fn schedule_slip_years(&self) -> Option<i32> {
        let original = self.original_target_year?;
        let actual = self
            .commercial_operation
            .or(self.grid_connection)
            .map(|d| d.year)
            .or(self.current_target_year)?;
        Some(actual - original)
    }
}

/// One sourced country figure; qualifiers that do not apply are `None`/`false`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Observation {
    pub value: f64,
    pub year: Option<i32>,
    pub period: Option<String>,
    pub technology: Option<String>,
    pub basis: Option<String>,
    pub status: Option<String>,
    pub fuel: Option<String>,
    pub supplier: Option<String>,
    pub partner: Option<String>,
    pub forecast: bool,
    pub target: bool,
    pub derived: bool,
    pub net: bool,
    pub official: Option<bool>,
    pub note: Option<String>,
    pub source: SourceId,
}

/// IAEA Milestones Approach phase (our assessment) and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IaeaPhase {
    pub phase: u8,
    pub basis: String,
    pub assessed_year: i32,
    pub source: SourceId,
}

/// A month-by-hour load shape, `values[month - 1][hour]`, normalised to the annual mean.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LoadShape {
    pub file: String,
    pub basis: Option<String>,
    pub source: SourceId,
    pub month_hour: Vec<[f64; 24]>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Zone {
    pub id: String,
    pub name: String,
    /// `main` or `isolated`.
    pub kind: String,
    pub note: Option<String>,
    pub source: SourceId,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Interconnection {
    pub from: String,
    pub to: String,
    pub capacity_mw: Option<f64>,
    pub voltage_kv: Option<f64>,
    pub direction: Option<String>,
    pub status: Option<String>,
    pub note: Option<String>,
    pub source: SourceId,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Milestone {
    pub date: PartialDate,
    pub description: String,
    pub source: SourceId,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClimateTarget {
    /// `net-zero`, `ndc` or `renewables-share`.
    pub kind: String,
    pub target_year: i32,
    pub reduction_pct: Option<f64>,
    pub share_pct: Option<f64>,
    pub note: Option<String>,
    pub source: SourceId,
}

/// A raw reference observation kept for completeness (text and numbers as published).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RawObservation {
    pub metric: String,
    pub value: String,
    pub unit: String,
    pub period: String,
    pub source: SourceId,
}

/// A country's power system and nuclear programme.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Country {
    pub code: CountryCode,
    pub name: String,
    pub peak_season: Option<String>,
    pub iaea_milestones: Option<IaeaPhase>,
    pub load_shape: Option<LoadShape>,
    pub zones: Vec<Zone>,
    pub interconnections: Vec<Interconnection>,
    pub milestones: Vec<Milestone>,
    pub climate_targets: Vec<ClimateTarget>,
    pub peak_demand_mw: Vec<Observation>,
    pub annual_demand_twh: Vec<Observation>,
    pub annual_generation_twh: Vec<Observation>,
    pub demand_growth_pct_per_year: Vec<Observation>,
    pub demand_forecast_twh: Vec<Observation>,
    pub capacity_mw: Vec<Observation>,
    pub generation_twh: Vec<Observation>,
    pub generation_share: Vec<Observation>,
    pub largest_unit_mw: Vec<Observation>,
    pub fuel_import_share: Vec<Observation>,
    pub electricity_imports_twh: Vec<Observation>,
    pub electricity_import_share: Vec<Observation>,
    pub co2_intensity_g_per_kwh: Vec<Observation>,
    /// Every reference row for this country, including text-only ones.
    pub observations: Vec<RawObservation>,
    /// Plant-level existing fleet.
    pub plants: Vec<Plant>,
    /// Announced steps of the nuclear programme.
    pub nuclear_programme: Vec<ProgrammeStep>,
}

/// One existing (or under-construction) power plant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plant {
    pub name: String,
    /// coal, lignite, gas, oil, hydro, nuclear, wind, solar, bioenergy, geothermal, other.
    pub technology: String,
    pub capacity_mw: f64,
    pub units: Option<u32>,
    /// First unit's commissioning.
    pub commissioned: Option<PartialDate>,
    /// Last unit's commissioning.
    pub commissioned_last: Option<PartialDate>,
    pub owner: Option<String>,
    pub zone: Option<String>,
    pub status: PlantStatus,
    pub retirement_year: Option<i32>,
    /// Year the capacity describes.
    pub data_year: Option<i32>,
    pub note: Option<String>,
    pub sources: Vec<SourceId>,
}

/// One announced step of a country's nuclear programme.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgrammeStep {
    pub name: String,
    pub status: ProgrammeStatus,
    pub vendor: Option<String>,
    pub designs: Vec<DesignId>,
    pub project: Option<ProjectId>,
    pub units: Option<u32>,
    pub capacity_mw: Option<f64>,
    pub announced: Option<PartialDate>,
    pub target_construction_start: Option<i32>,
    pub target_operation: Option<i32>,
    pub note: Option<String>,
    pub sources: Vec<SourceId>,
}

/// The latest observation (by year, ties: first listed) that matches `keep`.
fn latest(values: &[Observation], keep: impl Fn(&Observation) -> bool) -> Option<&Observation> {
    let mut best: Option<&Observation> = None;
    for obs in values.iter().filter(|o| keep(o)) {
        if best.is_none_or(|b| obs.year.unwrap_or(i32::MIN) > b.year.unwrap_or(i32::MIN)) {
            best = Some(obs);
        }
    }
    best
}

impl Country {
    /// Latest measured (not forecast) peak demand.
    pub fn peak_demand(&self) -> Option<&Observation> {
        latest(&self.peak_demand_mw, |o| !o.forecast)
            .or_else(|| latest(&self.peak_demand_mw, |_| true))
    }

    /// Latest measured annual demand (consumption), else generation, else the latest expectation.
    pub fn annual_demand(&self) -> Option<&Observation> {
        latest(&self.annual_demand_twh, |o| !o.forecast)
            .or_else(|| latest(&self.annual_generation_twh, |o| !o.forecast))
            .or_else(|| latest(&self.annual_demand_twh, |_| true))
    }

    /// Latest installed (not target) capacity per technology, `total` included.
    pub fn capacity_by_technology(&self) -> Vec<&Observation> {
        let mut technologies: Vec<&str> = Vec::new();
        for obs in self.capacity_mw.iter().filter(|o| !o.target) {
            if let Some(t) = obs.technology.as_deref() {
                if !technologies.contains(&t) {
                    technologies.push(t);
                }
            }
        }
        technologies
            .into_iter()
            .filter_map(|t| {
                latest(&self.capacity_mw, |o| {
                    !o.target && o.technology.as_deref() == Some(t)
                })
            })
            .collect()
    }

    /// Latest generation per technology.
    pub fn generation_by_technology(&self) -> Vec<&Observation> {
        let mut technologies: Vec<&str> = Vec::new();
        for obs in &self.generation_twh {
            if let Some(t) = obs.technology.as_deref() {
                if !technologies.contains(&t) {
                    technologies.push(t);
                }
            }
        }
        technologies
            .into_iter()
            .filter_map(|t| latest(&self.generation_twh, |o| o.technology.as_deref() == Some(t)))
            .collect()
    }

    /// Largest unit: existing if any is recorded, else planned.
    pub fn largest_unit(&self) -> Option<&Observation> {
        latest(&self.largest_unit_mw, |o| {
            o.status.as_deref() != Some("planned")
        })
        .or_else(|| latest(&self.largest_unit_mw, |_| true))
    }

    /// Latest CO2 intensity, official figures first.
    pub fn co2_intensity(&self) -> Option<&Observation> {
        latest(&self.co2_intensity_g_per_kwh, |o| o.official != Some(false))
            .or_else(|| latest(&self.co2_intensity_g_per_kwh, |_| true))
    }

    pub fn zone(&self, id: &str) -> Option<&Zone> {
        self.zones.iter().find(|z| z.id == id)
    }
}

/// One parameter of a non-nuclear technology (or fuel).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TechParameter {
    pub name: String,
    pub value: f64,
    pub unit: String,
    pub price_year: Option<i32>,
    pub scenario: Option<String>,
    pub sources: Vec<SourceId>,
    /// True for the value used when several are given.
    pub default: bool,
    pub note: Option<String>,
}

/// A non-nuclear technology or fuel from technologies.csv.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Technology {
    pub id: String,
    /// Fuel id from technology-fuels.csv.
    pub fuel: Option<String>,
    pub parameters: Vec<TechParameter>,
}

impl Technology {
    /// The default value of a parameter (the only one when there is a single value).
    pub fn parameter(&self, name: &str) -> Option<&TechParameter> {
        self.parameters
            .iter()
            .find(|p| p.name == name && p.default)
            .or_else(|| self.parameters.iter().find(|p| p.name == name))
    }

    /// All published values of a parameter, default first.
    pub fn alternatives<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a TechParameter> {
        self.parameters.iter().filter(move |p| p.name == name)
    }
}

/// A source from sources.toml.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    pub id: SourceId,
    pub title: String,
    pub publisher: String,
    pub url: String,
    /// Publication year (`None` only for legacy entries still to be completed; `check` warns).
    pub year: Option<i32>,
    pub kind: SourceKind,
    pub accessed: Option<String>,
    pub note: Option<String>,
}
