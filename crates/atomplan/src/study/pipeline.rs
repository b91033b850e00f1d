//! The stages of a study run, each a pure function from inputs (and earlier stages' results)
//! to a plain, serialisable result.
//!
//! `study::runner` runs them in order and hands a stage finished earlier from the same inputs
//! back from its cache (the report crate's cache is the run's database, so a resumed run skips
//! finished stages); so every stage here must be deterministic for a given study, catalogue
//! and seed.
//! Stages: `economics` (cash-flow LCOE per candidate under its offer, and Monte Carlo),
//! `planning/<demand>/<prices>` (multi-period capacity expansion with integer units, N-1 and
//! representative days, plus dispatch weeks on the core LP), `assessments`, `mcda`.

use serde::{Deserialize, Serialize};

use atomplan_econ as econ;
use atomplan_model::network::{
    Capacity, Generator as NetGenerator, Link as NetLink, Load as NetLoad, Series, Snapshots,
};
use atomplan_model::planning::{self, file as pfile};

use super::file::{
    canonical_metric, Candidate, Direction, FinancingStructure, McdaMethod, StudyFile,
};
use super::inputs::{DesignInfo, StudyCatalogue};
use super::system::{self, AssetKind, BuildSettings, StudySystem};
use crate::assess;
use crate::Error;

/// Hours in the profile year.
const HOURS: usize = super::profiles::HOURS;

// ---------------------------------------------------------------- economics

/// The Monte Carlo's construction delay, triangular (min, mode, max) in years. An assumption:
/// first-of-a-kind and first-in-country builds have run late far more often than early, so the
/// risk is one-sided and the deterministic LCOE (no delay) sits at the low end of the band.
pub const MC_DELAY_YEARS: [f64; 3] = [0.0, 1.0, 4.0];
/// The Monte Carlo's shift of the lifetime capacity factor, triangular (min, mode, max) in
/// fraction points added to the design's value. An assumption, one-sided for the same reason.
pub const MC_CAPACITY_FACTOR_SHIFT: [f64; 3] = [-0.10, 0.0, 0.02];

/// LCOE of one candidate under its vendor's offer and at the social discount rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EconomicsRow {
    pub candidate: String,
    pub design: String,
    pub vendor: String,
    pub vendor_country: String,
    pub financing: String,
    pub unit_mw: f64,
    pub construction_months: f64,
    pub overnight_usd_per_kw: f64,
    /// Levelised tariff that gives the offer's equity its target return, USD/MWh (nominal, flat).
    pub lcoe_offer_usd_per_mwh: f64,
    /// The same plant all-equity at the study's social discount rate, USD/MWh.
    pub lcoe_social_usd_per_mwh: f64,
    pub mc_mean: f64,
    pub mc_p5: f64,
    pub mc_p50: f64,
    pub mc_p95: f64,
    pub mc_samples: usize,
    /// Capital and fixed cost of the offer, USD per kW-yr (used by planning).
    pub capital_charge_usd_per_kw_yr: f64,
    pub interest_during_construction_musd: f64,
    pub min_dscr: Option<f64>,
    pub ppa_price_usd_per_mwh: Option<f64>,
}

/// A histogram of the Monte Carlo LCOE samples of one candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LcoeHistogram {
    pub candidate: String,
    pub edges: Vec<f64>,
    pub counts: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Economics {
    pub rows: Vec<EconomicsRow>,
    pub histograms: Vec<LcoeHistogram>,
    pub notes: Vec<String>,
}

fn financing_label(structure: FinancingStructure) -> &'static str {
    match structure {
        FinancingStructure::StateExportLoan => "state export loan",
        FinancingStructure::BuildOwnOperate => "build-own-operate + PPA",
        FinancingStructure::Corporate => "corporate finance",
        FinancingStructure::RegulatedAssetBase => "regulated asset base",
    }
}

fn cashflow_inputs(
    candidate: &Candidate,
    design: &DesignInfo,
    nuclear_fuel_usd_per_mwh: f64,
) -> econ::CashflowInputs {
    let overnight = candidate
        .overnight_cost_usd_per_kwe
        .unwrap_or(design.overnight_cost_usd_per_kwe[1]);
    let financing = &candidate.financing;
    // Fuel enters as a price per MMBtu times a heat rate of 1 MMBtu/MWh: a cost per MWh.
    let mut inputs = econ::CashflowInputs::with_defaults(
        design.net_mwe_per_unit,
        overnight,
        design.fixed_om_usd_per_kw_yr.unwrap_or(0.0),
        0.0,
        nuclear_fuel_usd_per_mwh,
        1.0,
        design.capacity_factor.clamp(0.05, 1.0),
        design.design_life_years.round().max(1.0),
    );
    inputs.debt_fraction = financing.debt_fraction;
    inputs.debt_rate = financing.debt_rate;
    inputs.debt_tenor_years = financing.debt_tenor_years;
    if financing.grace_years > 0.0 {
        let construction_years = (design.construction_months / 12.0).round();
        inputs.debt_terms.grace_years = Some(construction_years + financing.grace_years);
    }
    inputs.cost_of_equity = financing.cost_of_equity;
    inputs.construction_years = (design.construction_months / 12.0).round().max(1.0);
    inputs.spend_profile = econ::SpendProfile::SCurve;
    if financing.structure == FinancingStructure::RegulatedAssetBase {
        // Returns paid during construction: no interest capitalised on the equity share.
        inputs.construction_years = 0.0;
    }
    inputs
}

/// Whether the host pays a candidate through a PPA (build-own-operate with a price).
pub fn host_pays_ppa(candidate: &Candidate) -> bool {
    candidate.financing.structure == FinancingStructure::BuildOwnOperate
        && candidate.financing.ppa_price_usd_per_mwh.is_some()
}

/// The annual cost per kW-yr the planning model charges a candidate, on the same real basis as
/// every other build (atomplan-econ's `capital_charge`): the offer's nominal loan and equity
/// terms turned real with its inflation, levelised over the design life, plus fixed O&M; under
/// build-own-operate with a PPA, the host's levelised PPA payment (`ppa_host_cost`), the vendor
/// bearing fuel and O&M.
pub fn planning_charge(
    study: &StudyFile,
    candidate: &Candidate,
    design: &DesignInfo,
    overnight_usd_per_kw: f64,
) -> Result<f64, econ::EconError> {
    let financing = &candidate.financing;
    let construction_years = (design.construction_months / 12.0).round().max(1.0);
    if host_pays_ppa(candidate) {
        let host = econ::ppa_host_cost(&econ::PpaHostInputs {
            ppa: econ::Ppa {
                price_usd_per_mwh: financing.ppa_price_usd_per_mwh.unwrap_or(0.0),
                share_of_output: financing.ppa_share.unwrap_or(1.0),
                years: financing.ppa_years.unwrap_or(design.design_life_years),
                start_operating_year: 1.0,
                escalation: 0.0,
            },
            capacity_factor: design.capacity_factor,
            construction_years,
            real_discount_rate: study.options.discount_rate,
            inflation: financing.inflation,
        })?;
        return Ok(host.charge_usd_per_kw_yr);
    }
    let charge = econ::capital_charge(
        &econ::BuildCost {
            overnight_cost_usd_per_kw: overnight_usd_per_kw,
            construction_years,
            spend_profile: econ::SpendProfile::SCurve,
            life_years: design.design_life_years,
        },
        &econ::Financing::Offer(econ::FinancingOffer {
            debt_fraction: financing.debt_fraction,
            debt_rate: financing.debt_rate,
            debt_tenor_years: financing.debt_tenor_years.round(),
            grace_years: financing.grace_years.round(),
            repayment: econ::Repayment::default(),
            grace_interest: econ::GraceInterest::default(),
            cost_of_equity: financing.cost_of_equity,
            inflation: financing.inflation,
        }),
    )?;
    Ok(charge.charge_usd_per_kw_yr + design.fixed_om_usd_per_kw_yr.unwrap_or(0.0))
}

/// Economics of every candidate: deterministic cash flow, all-equity social LCOE and Monte Carlo.
pub fn economics(study: &StudyFile, catalogue: &StudyCatalogue) -> Result<Economics, Error> {
    let fuel = study
        .price_scenarios
        .first()
        .map_or(10.0, |p| p.nuclear_fuel_usd_per_mwh);
    let mut rows = Vec::new();
    let mut histograms = Vec::new();
    let notes = vec![
        "Monte Carlo: overnight cost triangular (catalogue low, central, high); construction delay triangular 0/1/4 years (assumption); capacity factor triangular (-0.10, 0, +0.02) around the design value (assumption)".to_owned(),
        "LCOE under an offer is the flat nominal tariff giving equity its target return (cash-flow model); the social LCOE is the same plant all-equity at the study's real discount rate".to_owned(),
        "Planning charges every build on one real basis: offers' nominal terms are turned real with their inflation (atomplan-econ capital_charge), other builds pay the real discount rate; under build-own-operate the host pays the PPA (take-or-pay on the expected output, levelised over the contract)".to_owned(),
    ];
    for (index, candidate) in study.candidates.iter().enumerate() {
        let design = catalogue
            .design(&candidate.design)
            .ok_or_else(|| Error::Unknown {
                kind: "design",
                id: candidate.design.clone(),
            })?;
        let inputs = cashflow_inputs(candidate, design, fuel);
        let offer = econ::cashflow(&inputs).map_err(|error| Error::Economics {
            candidate: candidate.id.clone(),
            error,
        })?;
        let mut social_inputs = inputs.clone();
        social_inputs.debt_fraction = 0.0;
        social_inputs.cost_of_equity = study.options.discount_rate;
        let social = econ::cashflow_lcoe(&social_inputs).map_err(|error| Error::Economics {
            candidate: candidate.id.clone(),
            error,
        })?;
        let overnight = inputs.total_capital_cost_usd_per_kw;
        let [low, central, high] = design.overnight_cost_usd_per_kwe;
        let ratio = |v: f64| if central > 0.0 { v / central } else { 1.0 };
        let uncertain = vec![
            econ::UncertainInput {
                name: "total_capital_cost_usd_per_kw".to_owned(),
                distribution: econ::Distribution::Triangular {
                    min: ratio(low).min(1.0),
                    mode: 1.0,
                    max: ratio(high).max(1.0 + 1e-9),
                },
                apply: econ::Apply::Scale,
            },
            econ::UncertainInput {
                name: "construction_delay_years".to_owned(),
                distribution: econ::Distribution::Triangular {
                    min: MC_DELAY_YEARS[0],
                    mode: MC_DELAY_YEARS[1],
                    max: MC_DELAY_YEARS[2],
                },
                apply: econ::Apply::Set,
            },
            econ::UncertainInput {
                name: "capacity_factor".to_owned(),
                distribution: econ::Distribution::Triangular {
                    min: MC_CAPACITY_FACTOR_SHIFT[0],
                    mode: MC_CAPACITY_FACTOR_SHIFT[1],
                    max: MC_CAPACITY_FACTOR_SHIFT[2],
                },
                apply: econ::Apply::Add,
            },
        ];
        let mc = econ::monte_carlo(
            &econ::Case::Cashflow(Box::new(inputs.clone())),
            &uncertain,
            econ::MonteCarloSettings {
                samples: study.options.monte_carlo_samples as usize,
                seed: study.options.seed.wrapping_add(index as u64 * 7919),
                histogram_bins: 20,
            },
        )
        .map_err(|error| Error::MonteCarlo {
            candidate: candidate.id.clone(),
            error,
        })?;
        let pct = |p: f64| {
            mc.percentiles
                .iter()
                .find(|(q, _)| (*q - p).abs() < 1e-9)
                .map_or(mc.mean, |(_, v)| *v)
        };
        let lcoe = offer.lcoe_usd_per_mwh;
        let charge = planning_charge(study, candidate, design, overnight).map_err(|error| {
            Error::Economics {
                candidate: candidate.id.clone(),
                error,
            }
        })?;
        rows.push(EconomicsRow {
            candidate: candidate.id.clone(),
            design: design.id.clone(),
            vendor: candidate
                .vendor
                .clone()
                .unwrap_or_else(|| design.vendor.clone()),
            vendor_country: design.vendor_country.clone(),
            financing: financing_label(candidate.financing.structure).to_owned(),
            unit_mw: design.net_mwe_per_unit,
            construction_months: design.construction_months,
            overnight_usd_per_kw: overnight,
            lcoe_offer_usd_per_mwh: lcoe,
            lcoe_social_usd_per_mwh: social,
            mc_mean: mc.mean,
            mc_p5: pct(5.0),
            mc_p50: pct(50.0),
            mc_p95: pct(95.0),
            mc_samples: mc.samples - mc.failed,
            capital_charge_usd_per_kw_yr: charge,
            interest_during_construction_musd: offer.interest_during_construction_usd / 1e6,
            min_dscr: offer.min_dscr,
            ppa_price_usd_per_mwh: candidate.financing.ppa_price_usd_per_mwh,
        });
        histograms.push(LcoeHistogram {
            candidate: candidate.id.clone(),
            edges: mc.histogram.edges.clone(),
            counts: mc.histogram.counts.clone(),
        });
    }
    Ok(Economics {
        rows,
        histograms,
        notes,
    })
}

// ---------------------------------------------------------------- planning

/// Capacity of one asset in one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CapacityRow {
    pub asset: String,
    pub technology: String,
    pub kind: AssetKind,
    /// The study's candidate id, for a nuclear candidate's row.
    #[serde(default)]
    pub candidate: Option<String>,
    pub year: i32,
    pub capacity_mw: f64,
    pub units: Option<f64>,
    pub built: f64,
    /// Energy produced (storage: discharged) in the period's year, TWh.
    pub energy_twh: f64,
}

/// Hourly dispatch by technology over one week.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DispatchWeek {
    pub label: String,
    pub year: i32,
    pub first_hour: usize,
    pub load_mw: Vec<f64>,
    /// (technology, MW per hour)
    pub by_technology: Vec<(String, Vec<f64>)>,
    pub status: String,
}

/// Per-period system totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodSummary {
    pub year: i32,
    pub demand_twh: f64,
    pub peak_mw: f64,
    pub emissions_mt: f64,
    /// Nuclear capacity in service (committed plants and candidates), MW.
    pub nuclear_mw: f64,
    pub largest_unit_mw: f64,
    pub unserved_twh: f64,
    /// Gas burnt for power, bcm.
    pub gas_bcm: f64,
    /// Imported share of that gas at the border price, USD.
    pub gas_import_bill_usd: f64,
    /// Load-weighted average marginal price, USD/MWh (the market effect).
    pub price_usd_per_mwh: f64,
    /// Loss-of-load expectation of the plan in this period, h/yr.
    pub lole_h: f64,
    /// Planning reserve margin the plan was held to, over the annual peak.
    pub reserve_margin: f64,
    pub co2_cap_mt: Option<f64>,
}

/// How the plan was made to meet the reliability standard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reliability {
    pub lole_standard_h: f64,
    /// Highest LOLE over the periods, h/yr.
    pub lole_h: f64,
    pub meets_standard: bool,
    /// Planning solves in the loop.
    pub iterations: usize,
    /// What was done, in a sentence for the report.
    pub method: String,
}

/// Marginal prices of one period (national load-weighted over zones), for the
/// price-duration curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodPrices {
    pub year: i32,
    /// (USD/MWh, hours per year it stands for) per modelled hour.
    pub hours: Vec<(f64, f64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Planning {
    pub scenario: String,
    #[serde(default)]
    pub description: String,
    pub demand_scenario: String,
    pub price_scenario: String,
    pub status: planning::Status,
    pub objective_usd: f64,
    pub mip_gap: f64,
    pub method: String,
    pub solve_s: f64,
    pub variables: usize,
    pub integer_variables: usize,
    pub capacities: Vec<CapacityRow>,
    pub periods: Vec<PeriodSummary>,
    pub dispatch: Vec<DispatchWeek>,
    pub aggregation_note: String,
    /// Profile labels (synthetic ones say so).
    pub profiles: Vec<(String, String)>,
    pub notes: Vec<String>,
    pub reliability: Reliability,
    pub prices: Vec<PeriodPrices>,
}

/// Builds the scenario's system (with the offers' capital charges from `economics`).
/// `scenario_idx` indexes [`super::scenario::resolve`].
pub fn scenario_system(
    study: &StudyFile,
    catalogue: &StudyCatalogue,
    economics: &Economics,
    scenario_idx: usize,
    study_dir: &std::path::Path,
) -> Result<StudySystem, Error> {
    let scenarios = super::scenario::resolve(study);
    let scenario = scenarios
        .get(scenario_idx)
        .ok_or(Error::NoScenario(scenario_idx))?;
    let settings = BuildSettings {
        nuclear_capital_charge_usd_per_kw_yr: economics
            .rows
            .iter()
            .map(|row| (row.candidate.clone(), row.capital_charge_usd_per_kw_yr))
            .collect(),
        study_dir: study_dir.to_path_buf(),
    };
    system::build_system(study, catalogue, scenario, &settings)
}

/// The planning problem of a system: generators and storage in asset order, and the file.
struct Problem {
    sys: planning::System,
    plan: pfile::PlanningFile,
    /// Asset index of each generator, then of each storage unit.
    generator_assets: Vec<usize>,
    storage_assets: Vec<usize>,
}

/// Most planning solves the reliability loop makes.
const MAX_RELIABILITY_ITERATIONS: usize = 6;
/// Reserve margin step of the reliability loop.
const RESERVE_STEP: f64 = 0.05;

fn problem(study: &StudyFile, system: &StudySystem, margins: &[f64]) -> Problem {
    let base_year = study.horizon.base_year;
    let demand = &study.demand_scenarios[study
        .demand_scenarios
        .iter()
        .position(|d| d.name == system.demand_scenario)
        .unwrap_or(0)];
    // Loads are the base-year shape at the base-year energy; load_scale grows them per period.
    let base_mean_mw = system.periods.first().map_or(0.0, |p| {
        p.annual_energy_twh * 1e6 / HOURS as f64 / system::growth(study, demand, p.year)
    });
    let mut sys = planning::System {
        buses: system.zones.clone(),
        loads: Vec::new(),
        generators: Vec::new(),
        storage_units: Vec::new(),
        links: Vec::new(),
        weights: vec![1.0; HOURS],
        store_weights: Vec::new(),
        generator_weights: Vec::new(),
        block_hours: HOURS,
        chronology: planning::system::Chronology::Sequential,
        kvl_cycles: Vec::new(),
        emission_limits: Vec::new(),
    };
    for (zone, share) in system.zone_demand_share.iter().enumerate() {
        sys.loads.push(planning::system::Load {
            name: format!("load-{}", system.zones[zone]),
            bus: zone,
            p_set: system
                .load_profile
                .values
                .iter()
                .map(|v| v * base_mean_mw * share)
                .collect(),
        });
    }
    for (index, (from, to, mw)) in system.links.iter().enumerate() {
        sys.links.push(planning::system::Link {
            name: format!("link-{index}"),
            bus0: *from,
            bus1: *to,
            p_nom: *mw,
            efficiency: 1.0,
            bidirectional: true,
            ..Default::default()
        });
    }
    let years: Vec<i32> = system.periods.iter().map(|p| p.year).collect();
    let last = system.periods.last();
    let mut plan = pfile::PlanningFile::default();
    plan.solver.time_limit = Some(study.options.solver_time_limit_s);
    plan.solver.relax_integers = !study.options.integer_units;
    plan.solver.mip_rel_gap = Some(1e-4);
    // Prices are computed for the kept plan only, after the reliability loop.
    plan.solver.prices = false;
    plan.aggregation = Some(pfile::AggregationWire {
        method: pfile::AggregationMethod::Kmedoids,
        period: pfile::AggregationPeriod::Day,
        representatives: study.options.representative_days as usize,
        seed: study.options.seed,
        storage: pfile::StorageLinking::Linked,
    });
    plan.investment = Some(pfile::InvestmentWire {
        decision_year: base_year,
        periods: years.clone(),
        discount_rate: study.options.discount_rate,
        end_year: last.map(|p| p.year + p.span_years as i32),
        load_scale: Some(
            years
                .iter()
                .map(|y| system::growth(study, demand, *y))
                .collect(),
        ),
        co2_cap_t: system
            .periods
            .iter()
            .any(|p| p.co2_cap_t.is_some())
            .then(|| {
                system
                    .periods
                    .iter()
                    .map(|p| p.co2_cap_t.unwrap_or(f64::INFINITY))
                    .collect()
            }),
    });
    plan.areas.push(pfile::AreaWire {
        name: "system".to_owned(),
        buses: system.zones.clone(),
        n1_reserve: study.options.n_minus_1,
        interconnector_reserve_mw: 0.0,
        reserve_margin: None,
        reserve_margin_by_period: Some(margins.to_vec()),
        peak_mw: Some(system.periods.iter().map(|p| p.peak_mw).collect()),
    });
    let mut generator_assets = Vec::new();
    let mut storage_assets = Vec::new();
    for (index, asset) in system.assets.iter().enumerate() {
        let extendable = asset.is_extendable();
        let costs: Vec<f64> = (0..years.len()).map(|y| asset.marginal_cost(y)).collect();
        if asset.is_storage() {
            let hours = asset.storage_hours.unwrap_or(4.0);
            let leg = asset.round_trip_efficiency.unwrap_or(0.85).sqrt();
            sys.storage_units.push(planning::StorageUnit {
                name: asset.name.clone(),
                bus: asset.zone,
                p_nom: if extendable { 0.0 } else { asset.capacity_mw },
                extendable,
                p_nom_min: 0.0,
                p_nom_max: if extendable { asset.max_new_mw } else { 0.0 },
                capital_cost: asset.annual_cost_usd_per_mw,
                marginal_cost: costs.first().copied().unwrap_or(0.0),
                marginal_cost_t: Vec::new(),
                max_hours: hours,
                p_max_pu: 1.0,
                p_min_pu: -1.0,
                p_max_pu_t: Vec::new(),
                p_min_pu_t: Vec::new(),
                efficiency_store: leg,
                efficiency_dispatch: leg,
                standing_loss: 0.0,
                cyclic_state_of_charge: true,
                state_of_charge_initial: 0.0,
                inflow: Vec::new(),
                module: 0.0,
                sign: 1.0,
            });
            plan.storage.insert(
                asset.name.clone(),
                pfile::StorageWire {
                    linking: None,
                    lifetime_years: asset.lifetime_years,
                    capacity_credit: Some(asset.capacity_credit),
                },
            );
            storage_assets.push(index);
            continue;
        }
        let p_max = asset
            .profile
            .as_ref()
            .and_then(|p| system.profile(p))
            .map(|p| p.values.clone());
        sys.generators.push(planning::system::Generator {
            name: asset.name.clone(),
            bus: asset.zone,
            p_nom: if extendable { 0.0 } else { asset.capacity_mw },
            extendable,
            p_nom_min: 0.0,
            p_nom_max: if extendable { asset.max_new_mw } else { 0.0 },
            capital_cost: asset.annual_cost_usd_per_mw,
            marginal_cost: costs.first().copied().unwrap_or(0.0),
            marginal_cost_t: Vec::new(),
            p_min_pu: Vec::new(),
            p_max_pu: p_max.unwrap_or_else(|| vec![asset.static_availability]),
            co2_t_per_mwh: asset.co2_t_per_mwh,
            ..Default::default()
        });
        generator_assets.push(index);
        let mut unit = pfile::UnitWire {
            capacity_credit: Some(asset.capacity_credit.clamp(0.0, 1.0)),
            marginal_cost_by_period: Some(costs),
            existing_fixed_om_usd_per_kw_year: asset.fixed_om_usd_per_mw_yr / 1000.0,
            retirable: asset.retirable,
            online_year: asset.online_year,
            retire_year: asset.retire_year,
            earliest_year: asset.earliest_year,
            lifetime_years: asset.lifetime_years,
            max_build_mw_per_year: asset.max_build_mw_per_year,
            contingency: Some(false),
            ..Default::default()
        };
        if let Some(size) = asset.unit_mw {
            unit.unit_size_mw = Some(size);
            unit.contingency = Some(true);
            if extendable {
                unit.max_units = asset.max_units;
            } else {
                unit.existing_units = (asset.capacity_mw / size).round() as u32;
            }
        }
        if matches!(asset.kind, AssetKind::Shedding | AssetKind::Import) {
            unit.capacity_credit = Some(0.0);
        }
        // Contingency (N-1) reserve is held by dispatchable plants only: not by load shedding,
        // not by imports (the interconnector reserve is the area's own term, zero here) and not
        // by wind and solar, whose output is weather (docs/methods/system.md).
        if matches!(asset.kind, AssetKind::Shedding | AssetKind::Import)
            || matches!(asset.technology.as_str(), "wind" | "solar")
        {
            unit.reserve_ramp = Some(0.0);
        }
        plan.units.insert(asset.name.clone(), unit);
    }
    for limit in &system.limits {
        plan.capacity_limits.push(pfile::CapacityLimitWire {
            name: limit.name.clone(),
            generators: limit
                .assets
                .iter()
                .filter(|name| sys.generators.iter().any(|g| &g.name == *name))
                .cloned()
                .collect(),
            from_year: Some(limit.from_year),
            min_mw: limit.min_mw,
            max_mw: limit.max_mw,
        });
    }
    if system.periods.iter().any(|p| p.gas_supply_bcm.is_some()) {
        plan.energy_limits.push(pfile::EnergyLimitWire {
            name: "gas-supply-bcm".to_owned(),
            use_per_mwh: system
                .assets
                .iter()
                .filter(|a| a.gas_bcm_per_mwh() > 0.0 && !a.is_storage())
                .map(|a| (a.name.clone(), a.gas_bcm_per_mwh()))
                .collect(),
            max_per_year: system
                .periods
                .iter()
                .map(|p| p.gas_supply_bcm.unwrap_or(f64::INFINITY))
                .collect(),
        });
    }
    Problem {
        sys,
        plan,
        generator_assets,
        storage_assets,
    }
}

/// Solves the planning problem at the given reserve margins; `Err` names the policy family
/// and year that make it infeasible.
fn solve(
    study: &StudyFile,
    system: &StudySystem,
    margins: &[f64],
) -> Result<(planning::PlanResult, Problem), Error> {
    let problem = problem(study, system, margins);
    let result = planning::plan(&problem.sys, &problem.plan)?;
    match result.status {
        planning::Status::Infeasible => {
            let findings = result.diagnosis.as_ref().map_or(&[][..], |d| &d.findings);
            let explanation = if findings.is_empty() {
                "no policy row explains it (check zones, links and fixed capacities)".to_owned()
            } else {
                // The diagnosis's own sentences (row name and amount), largest first.
                findings
                    .iter()
                    .take(3)
                    .map(|f| f.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            Err(Error::Infeasible {
                scenario: system.scenario.clone(),
                explanation,
            })
        }
        planning::Status::Optimal | planning::Status::TimeLimit if result.has_solution => {
            Ok((result, problem))
        }
        status => Err(Error::SolverFailed {
            scenario: system.scenario.clone(),
            status,
            solver_message: result.solver_message,
        }),
    }
}

/// Capacity rows of a solved plan, one per asset and period.
fn capacity_rows(
    system: &StudySystem,
    result: &planning::PlanResult,
    problem: &Problem,
) -> Vec<CapacityRow> {
    let mut rows = Vec::new();
    for capacity in &result.capacities {
        let Some(g) = problem
            .sys
            .generators
            .iter()
            .position(|g| g.name == capacity.generator)
        else {
            continue;
        };
        let asset = &system.assets[problem.generator_assets[g]];
        rows.push(CapacityRow {
            asset: asset.name.clone(),
            technology: asset.technology.clone(),
            kind: asset.kind,
            candidate: asset.candidate.clone(),
            year: capacity.period.unwrap_or(0),
            capacity_mw: capacity.p_nom_opt_mw,
            units: capacity.units,
            built: capacity.built,
            energy_twh: capacity.energy_mwh / 1e6,
        });
    }
    for storage in &result.storage {
        let Some(k) = problem
            .sys
            .storage_units
            .iter()
            .position(|s| s.name == storage.storage_unit)
        else {
            continue;
        };
        let asset = &system.assets[problem.storage_assets[k]];
        rows.push(CapacityRow {
            asset: asset.name.clone(),
            technology: asset.technology.clone(),
            kind: asset.kind,
            candidate: asset.candidate.clone(),
            year: storage.period.unwrap_or(0),
            capacity_mw: storage.p_nom_opt_mw,
            units: None,
            built: storage.built_mw,
            energy_twh: storage.dispatch_mwh / 1e6,
        });
    }
    rows
}

/// Whether a planned capacity row is nuclear.
pub fn is_nuclear(row: &CapacityRow) -> bool {
    row.technology == "nuclear"
}

/// Adequacy of a plan in one period: sequential Monte Carlo of thermal and nuclear units with
/// forced outages, variable sources netted from the hourly load, storage dispatched greedily,
/// imports at their cap. Planned maintenance is assumed to fall outside the peak season.
pub fn plan_adequacy(
    study: &StudyFile,
    system: &StudySystem,
    rows: &[CapacityRow],
    period: &system::PeriodSystem,
) -> Result<assess::adequacy::AdequacyReport, Error> {
    let mut load = system.load_mw(period);
    let mut units = Vec::new();
    let mut storage = Vec::new();
    for row in rows
        .iter()
        .filter(|r| r.year == period.year && r.capacity_mw > 1e-3)
    {
        let Some(asset) = system.asset(&row.asset) else {
            continue;
        };
        if asset.kind == AssetKind::Shedding {
            continue;
        }
        if asset.is_storage() {
            storage.push(assess::adequacy::AdequacyStorage {
                power_mw: row.capacity_mw,
                energy_mwh: row.capacity_mw * asset.storage_hours.unwrap_or(4.0),
                round_trip_efficiency: asset.round_trip_efficiency.unwrap_or(0.85),
            });
            continue;
        }
        if let Some(profile) = asset.profile.as_ref().and_then(|p| system.profile(p)) {
            for (l, a) in load.iter_mut().zip(&profile.values) {
                *l = (*l - a * row.capacity_mw).max(0.0);
            }
            continue;
        }
        let (block, count) = match asset.unit_mw {
            Some(size) => (size, (row.capacity_mw / size).round().max(1.0) as usize),
            None => {
                let block = 200.0_f64.min(row.capacity_mw);
                let count = (row.capacity_mw / block).round().max(1.0) as usize;
                (row.capacity_mw / count as f64, count)
            }
        };
        units.push(assess::adequacy::AdequacyUnit {
            name: row.asset.clone(),
            capacity_mw: block,
            mttf_h: None,
            mttr_h: 50.0,
            forced_outage_rate: Some(asset.forced_outage_rate.clamp(0.0, 0.99)),
            planned_outages: Vec::new(),
            count,
        });
    }
    assess::adequacy::adequacy_with_storage(
        &assess::adequacy::AdequacyInput {
            units,
            load_mw: load,
        },
        &storage,
        &assess::adequacy::AdequacySettings {
            n_samples: study.options.adequacy_samples.max(1) as usize,
            seed: study.options.seed,
        },
    )
    .map_err(|e| Error::Adequacy(Box::new(e)))
}

/// A plan that went through the reliability loop.
pub struct ReliablePlan {
    pub result: planning::PlanResult,
    problem: Problem,
    pub rows: Vec<CapacityRow>,
    /// LOLE per period, h/yr.
    pub lole: Vec<f64>,
    /// Reserve margin per period the plan was held to.
    pub margins: Vec<f64>,
    pub iterations: usize,
}

/// Solves the plan, checks each period's adequacy, and raises the reserve margin of the
/// periods that miss `lole_standard_h` by `RESERVE_STEP`, at most
/// `MAX_RELIABILITY_ITERATIONS` solves. With `prices`, the kept plan is priced after the loop
/// (`planning::prices`), not every solve. The break-even and tornado searches call the same
/// function, so a rerun of the study with a changed input gives the same answer.
pub fn reliable_plan(
    study: &StudyFile,
    system: &StudySystem,
    prices: bool,
) -> Result<ReliablePlan, Error> {
    let n = system.periods.len();
    let standard = study.policy.lole_standard_h;
    let mut margins = vec![system.reserve_margin; n];
    let mut iterations = 0;
    loop {
        iterations += 1;
        // Prices only for the plan that is kept: each iteration's plan is solved without them.
        let (mut result, problem) = solve(study, system, &margins)?;
        let rows = capacity_rows(system, &result, &problem);
        let mut lole = Vec::with_capacity(n);
        for period in &system.periods {
            lole.push(plan_adequacy(study, system, &rows, period)?.lole_h);
        }
        let failing: Vec<usize> = (0..n).filter(|&y| lole[y] > standard).collect();
        if failing.is_empty() || iterations >= MAX_RELIABILITY_ITERATIONS {
            if prices {
                result.prices = planning::prices(&problem.sys, &problem.plan, &result)?;
            }
            return Ok(ReliablePlan {
                result,
                problem,
                rows,
                lole,
                margins,
                iterations,
            });
        }
        for y in failing {
            margins[y] += RESERVE_STEP;
        }
    }
}

/// Plans one scenario: multi-period expansion with integer nuclear units, N-1, the reserve
/// margin and representative days; the reserve margin of every period that misses the LOLE
/// standard is raised and the plan solved again (at most `MAX_RELIABILITY_ITERATIONS` times);
/// then dispatch weeks on the core LP.
pub fn plan_scenario(
    study: &StudyFile,
    catalogue: &StudyCatalogue,
    system: &StudySystem,
) -> Result<Planning, Error> {
    let _ = catalogue;
    let n = system.periods.len();
    let standard = study.policy.lole_standard_h;
    let reliable = reliable_plan(study, system, true)?;
    let ReliablePlan {
        result,
        problem,
        rows,
        lole,
        margins,
        iterations,
    } = reliable;
    let worst = lole.iter().copied().fold(0.0, f64::max);
    let meets = worst <= standard;
    let raised: Vec<String> = system
        .periods
        .iter()
        .zip(&margins)
        .filter(|(_, m)| **m > system.reserve_margin + 1e-9)
        .map(|(p, m)| format!("{} to {:.0} %", p.year, m * 100.0))
        .collect();
    let method = if meets && raised.is_empty() {
        format!(
            "the {:.0} % planning reserve margin (firm capacity credited) gives LOLE {worst:.2} h/yr, within the {standard} h standard",
            system.reserve_margin * 100.0
        )
    } else if meets {
        format!(
            "the reserve margin was raised in steps of {:.0} points where the adequacy check failed ({}), after which LOLE is {worst:.2} h/yr, within the {standard} h standard ({iterations} solves)",
            RESERVE_STEP * 100.0,
            raised.join(", ")
        )
    } else {
        format!(
            "DOES NOT MEET THE STANDARD: LOLE {worst:.2} h/yr against {standard} h after {iterations} solves raising the reserve margin ({}); the plan falls short by {:.2} h/yr",
            raised.join(", "),
            worst - standard
        )
    };

    let mut periods_out = Vec::new();
    let mut prices_out = Vec::new();
    for (y, period) in system.periods.iter().enumerate() {
        let in_period: Vec<&CapacityRow> = rows.iter().filter(|r| r.year == period.year).collect();
        let emissions_t: f64 = in_period
            .iter()
            .map(|row| {
                system
                    .asset(&row.asset)
                    .map_or(0.0, |a| a.co2_t_per_mwh * row.energy_twh * 1e6)
            })
            .sum();
        let gas_bcm: f64 = in_period
            .iter()
            .map(|row| {
                system
                    .asset(&row.asset)
                    .map_or(0.0, |a| a.gas_bcm_per_mwh() * row.energy_twh * 1e6)
            })
            .sum();
        let nuclear_mw = in_period
            .iter()
            .filter(|r| is_nuclear(r))
            .map(|r| r.capacity_mw)
            .sum();
        let largest_unit = in_period
            .iter()
            .filter(|r| is_nuclear(r) && r.capacity_mw > 0.5)
            .filter_map(|r| system.asset(&r.asset).and_then(|a| a.unit_mw))
            .fold(0.0, f64::max);
        let unserved = in_period
            .iter()
            .filter(|r| r.kind == AssetKind::Shedding)
            .map(|r| r.energy_twh)
            .sum();
        // National load-weighted price from the zones' prices and demand shares.
        let zone_prices: Vec<&planning::BusPrices> = result
            .prices
            .iter()
            .filter(|p| p.period == Some(period.year))
            .collect();
        let price = zone_prices
            .iter()
            .map(|p| {
                let share = system
                    .zones
                    .iter()
                    .position(|z| *z == p.bus)
                    .map_or(0.0, |z| system.zone_demand_share[z]);
                p.average_usd_per_mwh * share
            })
            .sum::<f64>();
        if let Some(first) = zone_prices.first() {
            let hours = first
                .hourly_usd_per_mwh
                .iter()
                .enumerate()
                .map(|(t, _)| {
                    let value: f64 = zone_prices
                        .iter()
                        .map(|p| {
                            let share = system
                                .zones
                                .iter()
                                .position(|z| *z == p.bus)
                                .map_or(0.0, |z| system.zone_demand_share[z]);
                            p.hourly_usd_per_mwh[t] * share
                        })
                        .sum();
                    (value, result.hour_weights.get(t).copied().unwrap_or(1.0))
                })
                .collect();
            prices_out.push(PeriodPrices {
                year: period.year,
                hours,
            });
        }
        periods_out.push(PeriodSummary {
            year: period.year,
            demand_twh: period.annual_energy_twh,
            peak_mw: period.peak_mw,
            emissions_mt: emissions_t / 1e6,
            nuclear_mw,
            largest_unit_mw: largest_unit,
            unserved_twh: unserved,
            gas_bcm,
            gas_import_bill_usd: gas_bcm
                * system.gas_import_share
                * system.gas_import_usd_per_mmbtu
                * system::MMBTU_PER_BCM,
            price_usd_per_mwh: price,
            lole_h: lole[y],
            reserve_margin: margins[y],
            co2_cap_mt: period.co2_cap_t.map(|t| t / 1e6),
        });
    }
    let aggregation_note = result.aggregation.as_ref().map_or_else(String::new, |a| {
        format!(
            "{} representative days; rebuilt-year load error: NRMSE {:.3}, energy {:+.2} %, peak {:+.2} %",
            a.representatives,
            a.load_nrmse,
            a.load_energy_rel * 100.0,
            a.load_peak_rel * 100.0
        )
    });
    let dispatch = dispatch_weeks(study, system, &rows)?;
    let mut notes = vec![
        "Existing plants pay fixed O&M and may retire early to save it; they run at their own heat rate and availability (forced plus planned outages)".to_owned(),
        "The reserve margin counts thermal and nuclear capacity at 1 - forced-outage rate, wind, solar and hydro at their mean availability in the 100 highest-load hours, storage at min(1, hours/4)".to_owned(),
        "Hydro is run-of-river on a monthly inflow shape (no reservoir shifting)".to_owned(),
        "Refuelling outages and unit commitment are not modelled in the study's planning problem".to_owned(),
        "Prices are the duals of the planning LP with the integer build decisions fixed (representative days)".to_owned(),
    ];
    notes.extend(system.notes.iter().cloned());
    let _ = problem;
    Ok(Planning {
        scenario: system.scenario.clone(),
        description: system.description.clone(),
        demand_scenario: system.demand_scenario.clone(),
        price_scenario: system.price_scenario.clone(),
        status: result.status,
        objective_usd: result.objective,
        mip_gap: result.mip_gap,
        method: format!(
            "multi-period planning MILP (atomplan-model planning): {n} periods, integer nuclear units{}, N-1 reserve {}, reserve margin, representative days; lead time folded into earliest_year",
            if study.options.integer_units { "" } else { " (relaxed)" },
            if study.options.n_minus_1 { "on" } else { "off" }
        ),
        solve_s: result.solve_s,
        variables: result.variables,
        integer_variables: result.integer_variables,
        capacities: rows,
        periods: periods_out,
        dispatch,
        aggregation_note,
        profiles: system.synthetic_labels(),
        notes,
        reliability: Reliability {
            lole_standard_h: standard,
            lole_h: worst,
            meets_standard: meets,
            iterations,
            method,
        },
        prices: prices_out,
    })
}

/// Typical and stress weeks of the last period on the core LP with the planned capacities.
fn dispatch_weeks(
    study: &StudyFile,
    system: &StudySystem,
    capacities: &[CapacityRow],
) -> Result<Vec<DispatchWeek>, Error> {
    let period = system.periods.last().ok_or(Error::Missing("periods"))?;
    let period_index = system.periods.len() - 1;
    let load_mw = system.load_mw(period);
    let peak_hour = load_mw
        .iter()
        .enumerate()
        .fold(
            (0, f64::MIN),
            |best, (h, v)| if *v > best.1 { (h, *v) } else { best },
        )
        .0;
    let stress_start = peak_hour.saturating_sub(84).min(HOURS - 168);
    // Typical: the week whose mean load is closest to the annual mean.
    let mean = load_mw.iter().sum::<f64>() / HOURS as f64;
    let typical_start = (0..52)
        .map(|w| w * 168)
        .min_by(|a, b| {
            let ma = load_mw[*a..*a + 168].iter().sum::<f64>() / 168.0;
            let mb = load_mw[*b..*b + 168].iter().sum::<f64>() / 168.0;
            (ma - mean).abs().total_cmp(&(mb - mean).abs())
        })
        .unwrap_or(0);
    let mut weeks = Vec::new();
    for (label, start) in [
        ("typical week", typical_start),
        ("stress week (annual peak)", stress_start),
    ] {
        let mut network = atomplan_model::Network {
            name: format!("{} {label}", system.scenario),
            snapshots: Snapshots::hourly(168),
            ..Default::default()
        };
        for zone in &system.zones {
            network.add_bus(zone);
        }
        for (zone, share) in system.zone_demand_share.iter().enumerate() {
            network.loads.push(NetLoad {
                name: format!("load-{zone}"),
                bus: zone,
                p_set: Series::Varying(
                    load_mw[start..start + 168]
                        .iter()
                        .map(|v| v * share)
                        .collect(),
                ),
                sign: -1.0,
            });
        }
        for (index, (from, to, mw)) in system.links.iter().enumerate() {
            let mut link = NetLink::new(&format!("link-{index}"), *from, *to);
            link.capacity = Capacity::fixed(*mw);
            link.p_min_pu = Series::Static(-1.0);
            network.links.push(link);
        }
        let mut technologies = Vec::new();
        for asset in &system.assets {
            // Storage is left out of the dispatch weeks (its state of charge is linked over
            // the year in planning); the weeks show the generators.
            if asset.is_storage() {
                continue;
            }
            let capacity = capacities
                .iter()
                .find(|r| r.asset == asset.name && r.year == period.year)
                .map_or(0.0, |r| r.capacity_mw);
            let capacity = if asset.kind == AssetKind::Shedding {
                asset.capacity_mw
            } else {
                capacity
            };
            if capacity <= 1e-6 {
                continue;
            }
            let mut generator = NetGenerator::new(&asset.name, asset.zone, &asset.technology);
            generator.capacity = Capacity::fixed(capacity);
            generator.marginal_cost = Series::Static(asset.marginal_cost(period_index));
            generator.p_max_pu = match asset.profile.as_ref().and_then(|p| system.profile(p)) {
                Some(profile) => Series::Varying(profile.values[start..start + 168].to_vec()),
                None => Series::Static(asset.static_availability),
            };
            network.generators.push(generator);
            technologies.push(asset.technology.clone());
        }
        let outcome =
            atomplan_model::solve_network(&network, &atomplan_model::SolverSettings::default());
        let (status, by_technology) = match outcome {
            Ok((_, _, results)) => {
                let mut grouped: Vec<(String, Vec<f64>)> = Vec::new();
                for (generator, technology) in results.generators.iter().zip(&technologies) {
                    match grouped.iter_mut().find(|(t, _)| t == technology) {
                        Some((_, series)) => {
                            for (s, p) in series.iter_mut().zip(&generator.p) {
                                *s += p;
                            }
                        }
                        None => grouped.push((technology.clone(), generator.p.clone())),
                    }
                }
                (results.status.as_str().to_owned(), grouped)
            }
            Err(error) => (format!("not solved: {error}"), Vec::new()),
        };
        let _ = study;
        weeks.push(DispatchWeek {
            label: label.to_owned(),
            year: period.year,
            first_hour: start,
            load_mw: load_mw[start..start + 168].to_vec(),
            by_technology,
            status,
        });
    }
    Ok(weeks)
}

// ---------------------------------------------------------------- assessments

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridFitRow {
    pub candidate: String,
    pub unit_mw: f64,
    pub share_of_installed: f64,
    pub share_of_peak: f64,
    pub rule_status: String,
    pub max_unit_mw_within_limit: f64,
    pub n1_reserve_need_mw: f64,
    pub n1_verdict: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessments {
    pub scenario: String,
    pub grid_fit: Vec<GridFitRow>,
    /// (label, LOLE h/yr, EUE MWh/yr)
    pub adequacy: Vec<(String, f64, f64)>,
    pub lole_standard_h: f64,
    /// (label, HHI, Shannon) of the generation mix.
    pub security: Vec<(String, f64, f64)>,
    /// Nuclear fuel-vendor share of the planned nuclear capacity, by vendor country.
    pub fuel_vendor_shares: Vec<(String, f64)>,
    pub gas_import_hhi: Option<f64>,
    /// (year, emissions Mt, target Mt)
    pub emissions: Vec<(i32, f64, Option<f64>)>,
    pub target_note: String,
    pub readiness_phase: Option<u8>,
    pub readiness_basis: String,
    /// The year first power is counted from: the later of the study's base year and the year
    /// the phase was assessed (statuses cannot be dated before they were observed).
    #[serde(default)]
    pub readiness_from_year: Option<i32>,
    pub readiness_completion: Option<f64>,
    /// First power of the earliest candidate (licensing and construction included).
    pub first_power_year_p10_p50_p90: Option<(f64, f64, f64)>,
    /// First power of each candidate with its design's construction time, beside the year the
    /// study plans for it.
    #[serde(default)]
    pub first_power_by_candidate: Vec<assess::readiness::FirstPowerEstimate>,
    pub open_issues: Vec<String>,
    pub export_market: Vec<(String, f64)>,
    pub notes: Vec<String>,
}

/// Grid fit, adequacy, security, emissions, readiness and market for the first scenario's plan.
pub fn assessments(
    study: &StudyFile,
    catalogue: &StudyCatalogue,
    economics: &Economics,
    plan: &Planning,
    system: &StudySystem,
) -> Result<Assessments, Error> {
    let country = catalogue
        .country(&study.country)
        .ok_or_else(|| Error::Unknown {
            kind: "country",
            id: study.country.clone(),
        })?;
    let installed: f64 = country.fleet.iter().map(|f| f.capacity_mw).sum();
    let mut notes = Vec::new();
    let mut grid_fit = Vec::new();
    for row in &economics.rows {
        let input = assess::grid::GridFitInput {
            unit_mw: row.unit_mw,
            n_units: 1,
            units_lost_together: 1,
            peak_load_mw: country.peak_mw,
            min_load_mw: None,
            installed_capacity_mw: (installed > 0.0).then_some(installed),
            largest_existing_unit_mw: country
                .largest_unit_mw
                .unwrap_or(0.0)
                .min(row.unit_mw.max(0.0))
                .max(0.0),
            available_reserve_mw: None,
            unit_share_limit: None,
            unit_share_warning: None,
            frequency: None,
            ramp: None,
        };
        match assess::grid::grid_fit(&input) {
            Ok(report) => {
                let share_of = |basis: &str| {
                    report
                        .size
                        .iter()
                        .find(|s| s.basis == basis)
                        .map(|s| s.ratio)
                };
                let n1_need = row.unit_mw.max(country.largest_unit_mw.unwrap_or(0.0));
                grid_fit.push(GridFitRow {
                    candidate: row.candidate.clone(),
                    unit_mw: row.unit_mw,
                    share_of_installed: share_of("installed_capacity").unwrap_or(
                        if installed > 0.0 {
                            row.unit_mw / installed
                        } else {
                            0.0
                        },
                    ),
                    share_of_peak: share_of("peak_load")
                        .unwrap_or(row.unit_mw / country.peak_mw.max(1.0)),
                    rule_status: report.rule_status.to_owned(),
                    max_unit_mw_within_limit: report.max_unit_mw_within_limit,
                    n1_reserve_need_mw: n1_need,
                    n1_verdict: if row.unit_mw > country.largest_unit_mw.unwrap_or(0.0) {
                        format!(
                            "sets a new N-1 incident: reserve need rises from {:.0} to {:.0} MW",
                            country.largest_unit_mw.unwrap_or(0.0),
                            row.unit_mw
                        )
                    } else {
                        "within today's largest-unit incident".to_owned()
                    },
                });
            }
            Err(error) => notes.push(format!("grid fit of `{}`: {error}", row.candidate)),
        }
    }

    // Adequacy in the last period, with and without the new nuclear units of the plan.
    let period = system.periods.last().ok_or(Error::Missing("periods"))?;
    let mut adequacy = Vec::new();
    let without: Vec<CapacityRow> = plan
        .capacities
        .iter()
        .filter(|r| r.kind != AssetKind::Nuclear)
        .cloned()
        .collect();
    for (label, rows) in [
        (format!("{} without new nuclear", period.year), &without),
        (
            format!("{} with planned nuclear", period.year),
            &plan.capacities,
        ),
    ] {
        match plan_adequacy(study, system, rows, period) {
            Ok(report) => adequacy.push((label, report.lole_h, report.eue_mwh)),
            Err(error) => notes.push(error.to_string()),
        }
    }
    notes.push("Adequacy: thermal in blocks of at most 200 MW and nuclear by unit, each with its forced-outage rate (MTTR 50 h); wind, solar and hydro netted from the hourly load; storage dispatched greedily; planned maintenance assumed outside the peak season".to_owned());

    // Supply security: generation mix before (base year: first period without new nuclear) and after.
    let mix = |year: i32, with_nuclear: bool| -> (Vec<String>, Vec<f64>) {
        let mut names: Vec<String> = Vec::new();
        let mut values: Vec<f64> = Vec::new();
        for row in plan
            .capacities
            .iter()
            .filter(|r| r.year == year && r.kind != AssetKind::Shedding)
        {
            if !with_nuclear && row.kind == AssetKind::Nuclear {
                continue;
            }
            match names.iter().position(|n| *n == row.technology) {
                Some(i) => values[i] += row.energy_twh,
                None => {
                    names.push(row.technology.clone());
                    values.push(row.energy_twh);
                }
            }
        }
        (names, values)
    };
    let mut security = Vec::new();
    for (label, year, nuclear) in [
        (
            "first period, generation mix",
            plan.periods.first().map_or(0, |p| p.year),
            true,
        ),
        ("last period, generation mix", period.year, true),
    ] {
        let (names, values) = mix(year, nuclear);
        if values.iter().sum::<f64>() > 0.0 {
            if let Ok(report) = assess::security::diversity(&names, &values, None, "mix") {
                security.push((format!("{label} {year}"), report.hhi, report.shannon));
            }
        }
    }
    // Host dependence on each vendor country: every nuclear unit in service in the last
    // period, committed plants included.
    let mut fuel_vendor_shares: Vec<(String, f64)> = Vec::new();
    let nuclear_total: f64 = plan
        .capacities
        .iter()
        .filter(|r| r.year == period.year && is_nuclear(r))
        .map(|r| r.capacity_mw)
        .sum();
    for row in plan
        .capacities
        .iter()
        .filter(|r| r.year == period.year && is_nuclear(r) && r.capacity_mw > 0.5)
    {
        let vendor = economics
            .rows
            .iter()
            .find(|e| row.candidate.as_deref() == Some(e.candidate.as_str()))
            .map(|e| e.vendor_country.clone())
            .or_else(|| {
                system
                    .asset(&row.asset)
                    .and_then(|a| catalogue.design(&a.catalogue_key))
                    .map(|d| d.vendor_country.clone())
            })
            .unwrap_or_else(|| "unknown".to_owned());
        let share = row.capacity_mw / nuclear_total.max(1e-9);
        match fuel_vendor_shares.iter_mut().find(|(v, _)| *v == vendor) {
            Some(entry) => entry.1 += share,
            None => fuel_vendor_shares.push((vendor, share)),
        }
    }
    let gas_import_hhi = if country.gas_import_shares.is_empty() {
        None
    } else {
        let values: Vec<f64> = country.gas_import_shares.iter().map(|(_, s)| *s).collect();
        assess::security::hhi(&values).ok()
    };

    let emissions = plan
        .periods
        .iter()
        .map(|p| {
            let target = system::interpolate_by_year(&study.policy.co2_target_mt, p.year)
                .filter(|_| !study.policy.co2_target_mt.is_empty());
            (p.year, p.emissions_mt, target)
        })
        .collect();

    let mut first_power_by_candidate = Vec::new();
    // The phase describes the year it was assessed: first power is counted from then, or from
    // the base year if that is later.
    let readiness_from_year = country.milestones_phase.map(|_| {
        country
            .milestones_assessed_year
            .map_or(study.horizon.base_year, |year| {
                year.max(study.horizon.base_year)
            })
    });
    let (readiness_completion, open_issues) = match country.milestones_phase {
        Some(phase) => {
            let input = assess::readiness::ReadinessInput {
                country: country.name.clone(),
                status: assess::readiness::statuses_from_phase(phase),
                assessed_year: readiness_from_year.unwrap_or(study.horizon.base_year),
                time: assess::readiness::TimeSettings {
                    seed: study.options.seed,
                    n_samples: 2000,
                    ..Default::default()
                },
            };
            // Each candidate: licensing, then its design's construction time.
            for candidate in &study.candidates {
                let Some(design) = catalogue.design(&candidate.design) else {
                    continue;
                };
                let mut with_build = input.clone();
                with_build.time.construction_months = Some(design.construction_months);
                match assess::readiness::readiness(&with_build) {
                    Ok(report) => {
                        first_power_by_candidate.push(assess::readiness::FirstPowerEstimate {
                            construction_months_assumed: design.construction_months_assumed,
                            ..assess::readiness::FirstPowerEstimate::from_report(
                                &candidate.id,
                                &design.id,
                                &with_build.time,
                                &report,
                                Some(system::earliest_year(study, candidate)),
                            )
                        })
                    }
                    Err(error) => notes.push(format!("readiness of `{}`: {error}", candidate.id)),
                }
            }
            match assess::readiness::readiness(&input) {
                Ok(report) => (
                    Some(report.overall_completion),
                    report.open_issues.iter().map(|s| (*s).to_owned()).collect(),
                ),
                Err(error) => {
                    notes.push(format!("readiness: {error}"));
                    (None, Vec::new())
                }
            }
        }
        None => (None, Vec::new()),
    };
    let first_power = first_power_by_candidate
        .iter()
        .min_by(|a, b| a.first_power_p50.total_cmp(&b.first_power_p50))
        .map(|e| (e.first_power_p10, e.first_power_p50, e.first_power_p90));

    Ok(Assessments {
        scenario: plan.scenario.clone(),
        grid_fit,
        adequacy,
        lole_standard_h: study.policy.lole_standard_h,
        security,
        fuel_vendor_shares,
        gas_import_hhi,
        emissions,
        target_note: study.policy.target_note.clone(),
        readiness_phase: country.milestones_phase,
        readiness_basis: country.milestones_basis.clone(),
        readiness_from_year,
        readiness_completion,
        first_power_year_p10_p50_p90: first_power,
        first_power_by_candidate,
        open_issues,
        export_market: catalogue.export_market_shares.clone(),
        notes,
    })
}

// ---------------------------------------------------------------- MCDA

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct McdaResult {
    pub method: String,
    pub criteria: Vec<String>,
    pub weights: Vec<f64>,
    pub candidates: Vec<String>,
    pub matrix: Vec<Vec<f64>>,
    pub scores: Vec<f64>,
    /// Candidate ids, best first.
    pub ranking: Vec<String>,
    /// (criterion, weight interval over which the winner stays first)
    pub sensitivity: Vec<(String, f64, f64)>,
    /// Per criterion, the weights at which the winner changes and who takes over.
    #[serde(default)]
    pub winner_switches: Vec<assess::mcda::sensitivity::WinnerSwitch>,
}

/// Ranks the candidates on the study's criteria.
pub fn mcda(
    study: &StudyFile,
    catalogue: &StudyCatalogue,
    economics: &Economics,
    assessments: &Assessments,
) -> Result<McdaResult, Error> {
    let criteria = &study.mcda.criteria;
    let candidates: Vec<String> = study.candidates.iter().map(|c| c.id.clone()).collect();
    if criteria.is_empty() {
        let mut order: Vec<usize> = (0..economics.rows.len()).collect();
        order.sort_by(|a, b| {
            economics.rows[*a]
                .lcoe_offer_usd_per_mwh
                .total_cmp(&economics.rows[*b].lcoe_offer_usd_per_mwh)
        });
        return Ok(McdaResult {
            method: "lowest LCOE (no criteria given)".to_owned(),
            criteria: vec!["lcoe".to_owned()],
            weights: vec![1.0],
            candidates: candidates.clone(),
            matrix: economics
                .rows
                .iter()
                .map(|r| vec![r.lcoe_offer_usd_per_mwh])
                .collect(),
            scores: economics
                .rows
                .iter()
                .map(|r| -r.lcoe_offer_usd_per_mwh)
                .collect(),
            ranking: order.iter().map(|i| candidates[*i].clone()).collect(),
            sensitivity: Vec::new(),
            winner_switches: Vec::new(),
        });
    }
    let mut matrix = vec![Vec::with_capacity(criteria.len()); candidates.len()];
    for criterion in criteria {
        for (row, candidate) in study.candidates.iter().enumerate() {
            let econ_row = economics.rows.iter().find(|r| r.candidate == candidate.id);
            let design = catalogue.design(&candidate.design);
            let value = match criterion.metric.as_deref().map(canonical_metric) {
                Some("lcoe") => econ_row.map_or(0.0, |r| r.lcoe_offer_usd_per_mwh),
                Some("lcoe_p95") => econ_row.map_or(0.0, |r| r.mc_p95),
                Some("unit_size") => design.map_or(0.0, |d| d.net_mwe_per_unit),
                Some("construction_months") => design.map_or(0.0, |d| d.construction_months),
                Some("reference_units") => design.map_or(0.0, |d| f64::from(d.reference_units)),
                Some("fuel_vendor_share") => design.map_or(0.0, |d| {
                    catalogue
                        .export_market_shares
                        .iter()
                        .find(|(c, _)| *c == d.vendor_country)
                        .map_or(0.0, |(_, s)| *s)
                }),
                Some("n_minus_1_reserve") => assessments
                    .grid_fit
                    .iter()
                    .find(|g| g.candidate == candidate.id)
                    .map_or(0.0, |g| g.n1_reserve_need_mw),
                _ => criterion.scores.get(&candidate.id).copied().unwrap_or(0.0),
            };
            matrix[row].push(value);
        }
    }
    // Benefit criteria with all-zero columns break ratio normalisations: nudge them.
    for column in 0..criteria.len() {
        if matrix.iter().all(|row| row[column] == 0.0) {
            matrix.iter_mut().for_each(|row| row[column] = 1.0);
        }
    }
    let problem = assess::mcda::Problem {
        matrix: matrix.clone(),
        weights: criteria.iter().map(|c| c.weight).collect(),
        directions: criteria
            .iter()
            .map(|c| match c.direction {
                Direction::Max => assess::mcda::Direction::Max,
                Direction::Min => assess::mcda::Direction::Min,
            })
            .collect(),
    };
    let method = match study.mcda.method {
        McdaMethod::Wsm => {
            assess::mcda::Method::WeightedSum(assess::mcda::normalize::Normalization::LinearMax)
        }
        McdaMethod::Topsis => {
            assess::mcda::Method::Topsis(assess::mcda::normalize::Normalization::Vector)
        }
    };
    let scores = assess::mcda::score(&problem, &method).map_err(|e| Error::Mcda(Box::new(e)))?;
    let order = assess::rank_descending(&scores);
    let weight_sensitivity =
        assess::mcda::sensitivity::weight_sensitivity(&problem, &method).unwrap_or_default();
    let criteria_names: Vec<String> = criteria.iter().map(|c| c.name.clone()).collect();
    let winner_switches = assess::mcda::sensitivity::winner_switches(
        &weight_sensitivity,
        &criteria_names,
        &candidates,
    );
    let sensitivity = weight_sensitivity
        .iter()
        .map(|s| {
            (
                criteria[s.criterion_idx].name.clone(),
                s.winner_interval.0,
                s.winner_interval.1,
            )
        })
        .collect();
    let total: f64 = problem.weights.iter().sum();
    Ok(McdaResult {
        method: format!("{:?}", study.mcda.method).to_lowercase(),
        criteria: criteria.iter().map(|c| c.name.clone()).collect(),
        weights: problem
            .weights
            .iter()
            .map(|w| w / total.max(1e-12))
            .collect(),
        candidates: candidates.clone(),
        matrix,
        scores,
        ranking: order.iter().map(|i| candidates[*i].clone()).collect(),
        sensitivity,
        winner_switches,
    })
}
