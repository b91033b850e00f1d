//! Wire structs: the exact shape of the TOML files, with `deny_unknown_fields`.
//!
//! They are deserialized only after the field-table walk in `validate` found no error, and are
//! converted to domain types in one place (`convert`). Nothing outside this crate sees them.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum EstimateWire {
    Number(f64),
    Range(RangeWire),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RangeWire {
    pub low: Option<f64>,
    pub central: Option<f64>,
    pub high: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlternativeWire {
    pub field: String,
    pub value: f64,
    pub sources: Vec<String>,
    pub note: String,
    #[serde(default)]
    pub verify: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DerivationWire {
    pub spend_start_year: i32,
    pub spend_end_year: i32,
    pub spend_profile: String,
    pub idc_rate: f64,
    pub escalation_rate: Option<f64>,
    pub note: String,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostWire {
    pub scope: String,
    pub terms: String,
    pub per_kw: Option<EstimateWire>,
    pub total_bn: Option<EstimateWire>,
    pub currency: String,
    pub price_year: i32,
    pub estimate_year: Option<i32>,
    pub foak_noak: Option<String>,
    pub project: Option<String>,
    pub basis: Option<String>,
    pub sources: Vec<String>,
    #[serde(default)]
    pub default: bool,
    #[serde(default)]
    pub verify: bool,
    pub derivation: Option<DerivationWire>,
}

/// `[field_sources]`: field path -> source ids.
pub type FieldSourcesWire = std::collections::BTreeMap<String, Vec<String>>;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DesignWire {
    pub id: String,
    pub name: String,
    pub vendor: String,
    pub vendor_country: String,
    pub reactor_type: String,
    pub deployment: String,
    pub thermal_mwt: Option<f64>,
    pub gross_mwe_per_module: Option<f64>,
    pub net_mwe_per_module: Option<f64>,
    pub mwe_basis: Option<String>,
    pub plant_net_mwe: Option<f64>,
    pub plant_gross_mwe: Option<f64>,
    pub modules_per_plant: Option<u32>,
    pub design_life_years: Option<f64>,
    pub capacity_factor: Option<f64>,
    pub refuelling_interval_months: Option<EstimateWire>,
    pub fuel: Option<String>,
    pub fuel_enrichment_pct: Option<EstimateWire>,
    pub min_stable_load_fraction: Option<f64>,
    pub ramp_pct_per_min: Option<f64>,
    pub construction_months: Option<f64>,
    pub construction_months_basis: Option<String>,
    pub outage_days: Option<f64>,
    pub status: String,
    pub status_date: Option<String>,
    #[serde(default)]
    pub reference_plants: Vec<String>,
    #[serde(default)]
    pub licensing_milestones: Vec<String>,
    pub data_quality: Option<String>,
    pub notes: Option<String>,
    #[serde(default)]
    pub verify: Vec<String>,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub field_sources: FieldSourcesWire,
    #[serde(default)]
    pub costs: Vec<CostWire>,
    #[serde(default)]
    pub alternatives: Vec<AlternativeWire>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoanWire {
    pub amount_bn: Option<f64>,
    pub currency: Option<String>,
    pub share_of_cost: Option<f64>,
    pub rate: Option<f64>,
    pub rate_max: Option<f64>,
    pub rate_note: Option<String>,
    pub tenor_years: Option<f64>,
    pub grace_years: Option<f64>,
    pub first_repayment: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PpaWire {
    pub price_per_mwh: Option<f64>,
    pub currency: Option<String>,
    pub share_of_output: Option<f64>,
    pub years: Option<f64>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FinancingWire {
    pub model: String,
    pub note: Option<String>,
    #[serde(default)]
    pub verify: bool,
    pub loan: Option<LoanWire>,
    pub ppa: Option<PpaWire>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectWire {
    pub id: String,
    pub name: String,
    pub country: String,
    pub vendor: String,
    pub design: String,
    #[serde(default)]
    pub other_designs: Vec<String>,
    pub units: u32,
    pub capacity_mwe: Option<f64>,
    pub capacity_basis: Option<String>,
    pub status: String,
    pub status_date: Option<String>,
    pub construction_start: Option<String>,
    pub grid_connection: Option<String>,
    pub commercial_operation: Option<String>,
    pub original_target_year: Option<i32>,
    pub current_target_year: Option<i32>,
    pub notes: Option<String>,
    pub data_quality: Option<String>,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub field_sources: FieldSourcesWire,
    #[serde(default)]
    pub costs: Vec<CostWire>,
    pub financing: Option<FinancingWire>,
    #[serde(default)]
    pub alternatives: Vec<AlternativeWire>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IaeaWire {
    pub phase: u8,
    pub basis: String,
    pub assessed_year: i32,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoadShapeWire {
    pub file: String,
    pub basis: Option<String>,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZoneWire {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub note: Option<String>,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InterconnectionWire {
    pub from: String,
    pub to: String,
    pub capacity_mw: Option<f64>,
    pub voltage_kv: Option<f64>,
    pub direction: Option<String>,
    pub status: Option<String>,
    pub note: Option<String>,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MilestoneWire {
    pub date: String,
    pub description: String,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClimateTargetWire {
    pub kind: String,
    pub target_year: i32,
    pub reduction_pct: Option<f64>,
    pub share_pct: Option<f64>,
    pub note: Option<String>,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObservationWire {
    pub value: f64,
    pub year: Option<i32>,
    pub period: Option<String>,
    pub technology: Option<String>,
    pub basis: Option<String>,
    pub status: Option<String>,
    pub fuel: Option<String>,
    pub supplier: Option<String>,
    pub partner: Option<String>,
    #[serde(default)]
    pub forecast: bool,
    #[serde(default)]
    pub target: bool,
    #[serde(default)]
    pub derived: bool,
    #[serde(default)]
    pub net: bool,
    pub official: Option<bool>,
    pub note: Option<String>,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountryWire {
    pub code: String,
    pub name: String,
    pub peak_season: Option<String>,
    pub iaea_milestones: Option<IaeaWire>,
    pub load_shape: Option<LoadShapeWire>,
    #[serde(default)]
    pub zones: Vec<ZoneWire>,
    #[serde(default)]
    pub interconnections: Vec<InterconnectionWire>,
    #[serde(default)]
    pub milestones: Vec<MilestoneWire>,
    #[serde(default)]
    pub climate_targets: Vec<ClimateTargetWire>,
    #[serde(default)]
    pub peak_demand_mw: Vec<ObservationWire>,
    #[serde(default)]
    pub annual_demand_twh: Vec<ObservationWire>,
    #[serde(default)]
    pub annual_generation_twh: Vec<ObservationWire>,
    #[serde(default)]
    pub demand_growth_pct_per_year: Vec<ObservationWire>,
    #[serde(default)]
    pub demand_forecast_twh: Vec<ObservationWire>,
    #[serde(default)]
    pub capacity_mw: Vec<ObservationWire>,
    #[serde(default)]
    pub generation_twh: Vec<ObservationWire>,
    #[serde(default)]
    pub generation_share: Vec<ObservationWire>,
    #[serde(default)]
    pub largest_unit_mw: Vec<ObservationWire>,
    #[serde(default)]
    pub fuel_import_share: Vec<ObservationWire>,
    #[serde(default)]
    pub electricity_imports_twh: Vec<ObservationWire>,
    #[serde(default)]
    pub electricity_import_share: Vec<ObservationWire>,
    #[serde(default)]
    pub co2_intensity_g_per_kwh: Vec<ObservationWire>,
    #[serde(default)]
    pub plants: Vec<PlantWire>,
    #[serde(default)]
    pub nuclear_programme: Vec<ProgrammeWire>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlantWire {
    pub name: String,
    pub technology: String,
    pub capacity_mw: f64,
    pub units: Option<u32>,
    pub commissioned: Option<String>,
    pub commissioned_last: Option<String>,
    pub owner: Option<String>,
    pub zone: Option<String>,
    pub status: String,
    pub retirement_year: Option<i32>,
    pub data_year: Option<i32>,
    pub note: Option<String>,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeWire {
    pub name: String,
    pub status: String,
    pub vendor: Option<String>,
    #[serde(default)]
    pub designs: Vec<String>,
    pub project: Option<String>,
    pub units: Option<u32>,
    pub capacity_mw: Option<f64>,
    pub announced: Option<String>,
    pub target_construction_start: Option<i32>,
    pub target_operation: Option<i32>,
    pub note: Option<String>,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceWire {
    pub id: String,
    pub title: String,
    pub publisher: String,
    pub url: String,
    pub year: Option<i32>,
    pub kind: String,
    pub accessed: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourcesWire {
    pub source: Vec<SourceWire>,
}
