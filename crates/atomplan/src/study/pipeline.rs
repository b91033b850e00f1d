//! The stages of a study run, each a pure function from inputs (and earlier stages' results)
//! to a plain, serialisable result.
//!
//! The report crate runs them in order, commits each result to the run's database in one
//! transaction, and skips finished stages when a run is resumed; so every stage here must be
//! deterministic for a given study, catalogue and seed.
//! Stages: `economics` (cash-flow LCOE per candidate under its offer, and Monte Carlo),
//! `planning/<demand>/<prices>` (multi-period capacity expansion with integer units, N-1 and
//! representative days, plus dispatch weeks on the core LP), `assessments`, `mcda`.

use serde::{Deserialize, Serialize};

use atomplan_econ as econ;
use atomplan_model::network::{
    Capacity, Generator as NetGenerator, Link as NetLink, Load as NetLoad, Series, Snapshots,
};
use atomplan_model::planning::{self, file as pfile};

use super::file::{Candidate, Direction, FinancingStructure, McdaMethod, StudyFile};
use super::inputs::{DesignInfo, StudyCatalogue};
use super::system::{self, AssetKind, BuildSettings, StudySystem};
use crate::assess;

/// Hours in the profile year.
const HOURS: usize = super::profiles::HOURS;

// ---------------------------------------------------------------- economics

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

/// Economics of every candidate: deterministic cash flow, all-equity social LCOE and Monte Carlo.
pub fn economics(study: &StudyFile, catalogue: &StudyCatalogue) -> Result<Economics, String> {
    let fuel = study
        .price_scenarios
        .first()
        .map_or(10.0, |p| p.nuclear_fuel_usd_per_mwh);
    let mut rows = Vec::new();
    let mut histograms = Vec::new();
    let notes = vec![
        "Monte Carlo: overnight cost triangular (catalogue low, central, high); construction delay triangular 0/1/4 years (assumption); capacity factor triangular (-0.10, 0, +0.02) around the design value (assumption)".to_owned(),
        "LCOE under an offer is the flat nominal tariff giving equity its target return (cash-flow model); the social LCOE is the same plant all-equity at the study's real discount rate".to_owned(),
    ];
    for (index, candidate) in study.candidates.iter().enumerate() {
        let design = catalogue
            .design(&candidate.design)
            .ok_or_else(|| format!("unknown design `{}`", candidate.design))?;
        let inputs = cashflow_inputs(candidate, design, fuel);
        let offer = econ::cashflow(&inputs)
            .map_err(|error| format!("candidate `{}`: {error}", candidate.id))?;
        let mut social_inputs = inputs.clone();
        social_inputs.debt_fraction = 0.0;
        social_inputs.cost_of_equity = study.options.discount_rate;
        let social = econ::cashflow_lcoe(&social_inputs)
            .map_err(|error| format!("candidate `{}`: {error}", candidate.id))?;
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
                    min: 0.0,
                    mode: 1.0,
                    max: 4.0,
                },
                apply: econ::Apply::Set,
            },
            econ::UncertainInput {
                name: "capacity_factor".to_owned(),
                distribution: econ::Distribution::Triangular {
                    min: -0.10,
                    mode: 0.0,
                    max: 0.02,
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
        .map_err(|error| format!("candidate `{}` Monte Carlo: {error}", candidate.id))?;
        let pct = |p: f64| {
            mc.percentiles
                .iter()
                .find(|(q, _)| (*q - p).abs() < 1e-9)
                .map_or(mc.mean, |(_, v)| *v)
        };
        let lcoe = offer.lcoe_usd_per_mwh;
        let variable = fuel;
        let charge = ((lcoe - variable) * design.capacity_factor * 8.76).max(0.0);
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
    pub year: i32,
    pub capacity_mw: f64,
    pub units: Option<f64>,
    pub built: f64,
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
    pub nuclear_mw: f64,
    pub largest_unit_mw: f64,
    pub unserved_twh: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Planning {
    pub scenario: String,
    pub demand_scenario: String,
    pub price_scenario: String,
    pub status: String,
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
}

/// Builds the scenario's system (with the offers' capital charges from `economics`).
pub fn scenario_system(
    study: &StudyFile,
    catalogue: &StudyCatalogue,
    economics: &Economics,
    demand_idx: usize,
    price_idx: usize,
    study_dir: &std::path::Path,
) -> Result<StudySystem, String> {
    let settings = BuildSettings {
        nuclear_capital_charge_usd_per_kw_yr: economics
            .rows
            .iter()
            .map(|row| (row.candidate.clone(), row.capital_charge_usd_per_kw_yr))
            .collect(),
        study_dir: study_dir.to_path_buf(),
    };
    system::build_system(
        study,
        catalogue,
        &study.demand_scenarios[demand_idx],
        &study.price_scenarios[price_idx],
        &settings,
    )
}

/// Plans one scenario: multi-period expansion with integer nuclear units, N-1 and
/// representative days on the planning MILP, then dispatch weeks on the core LP.
pub fn plan_scenario(
    study: &StudyFile,
    catalogue: &StudyCatalogue,
    system: &StudySystem,
) -> Result<Planning, String> {
    let base_year = study.horizon.base_year;
    let first = system.periods.first().ok_or("no periods")?;
    // Assets are the same in every period apart from candidates not yet allowed; use the
    // last period's list (every candidate present) and let earliest_year gate the builds.
    let last = system.periods.last().ok_or("no periods")?;
    let base_load_mw: Vec<f64> = {
        let mean_mw = first.annual_energy_twh * 1e6
            / HOURS as f64
            / (1.0
                + study
                    .demand_scenarios
                    .iter()
                    .find(|d| d.name == system.demand_scenario)
                    .map_or(0.0, |d| d.growth_per_year))
            .powf(f64::from(first.year - base_year));
        system
            .load_profile
            .values
            .iter()
            .map(|v| v * mean_mw)
            .collect()
    };
    let growth = |year: i32| -> f64 {
        let scenario = study
            .demand_scenarios
            .iter()
            .find(|d| d.name == system.demand_scenario);
        (1.0 + scenario.map_or(0.0, |d| d.growth_per_year)).powf(f64::from(year - base_year))
    };

    let mut sys = planning::System {
        buses: system.zones.clone(),
        loads: Vec::new(),
        generators: Vec::new(),
        storage_units: Vec::new(),
        links: Vec::new(),
        weights: vec![1.0; HOURS],
        store_weights: Vec::new(),
        block_hours: HOURS,
        chronology: planning::system::Chronology::Sequential,
    };
    for (zone, share) in system.zone_demand_share.iter().enumerate() {
        sys.loads.push(planning::system::Load {
            name: format!("load-{}", system.zones[zone]),
            bus: zone,
            p_set: base_load_mw.iter().map(|v| v * share).collect(),
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
        });
    }
    let mut plan = pfile::PlanningFile::default();
    plan.solver.time_limit = Some(study.options.solver_time_limit_s);
    plan.solver.relax_integers = !study.options.integer_units;
    plan.solver.mip_rel_gap = 0.01;
    plan.aggregation = Some(pfile::AggregationWire {
        method: "kmedoids".to_owned(),
        period: "day".to_owned(),
        representatives: study.options.representative_days as usize,
        seed: study.options.seed,
        storage: "linked".to_owned(),
    });
    let periods: Vec<i32> = system.periods.iter().map(|p| p.year).collect();
    plan.investment = Some(pfile::InvestmentWire {
        decision_year: base_year,
        periods: periods.clone(),
        discount_rate: study.options.discount_rate,
        end_year: Some(last.year + last.span_years as i32),
        load_scale: Some(periods.iter().map(|y| growth(*y)).collect()),
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
    });

    // Existing assets: from the first period's list, with retirement tranches.
    let retire_steps = 5;
    let fleet_of = |name: &str| -> Option<f64> {
        let country = catalogue.country(&study.country)?;
        let technology = name.trim_start_matches("existing-").split("-z").next()?;
        country
            .fleet
            .iter()
            .find(|f| f.technology == technology)
            .map(|f| f.retirement_per_year)
    };
    let mut asset_of_generator: Vec<(String, AssetKind, String)> = Vec::new();
    let base_assets = {
        // Capacity at the base year (before retirement) from the catalogue.
        let country = catalogue.country(&study.country).ok_or("unknown country")?;
        let _ = country;
        &last.assets
    };
    let first_assets = &first.assets;
    for asset in first_assets
        .iter()
        .filter(|a| a.kind == AssetKind::Existing)
    {
        let retirement = fleet_of(&asset.name).unwrap_or(0.0);
        let years_first = f64::from(first.year - base_year);
        let base_capacity = if retirement > 0.0 {
            asset.capacity_mw / (1.0 - retirement * years_first).max(1e-6)
        } else {
            asset.capacity_mw
        };
        let p_max = asset
            .profile
            .as_ref()
            .and_then(|p| system.profile(p))
            .map(|p| p.values.clone());
        let tranches = if retirement > 0.0 { retire_steps } else { 1 };
        for tranche in 0..tranches {
            let name = format!("{}-t{tranche}", asset.name);
            let capacity = base_capacity / tranches as f64;
            let retire_year = if retirement > 0.0 {
                Some(
                    base_year
                        + (((tranche + 1) as f64 / tranches as f64) / retirement).round() as i32,
                )
            } else {
                None
            };
            if let Some(year) = retire_year {
                if year <= first.year {
                    continue;
                }
                plan.units.insert(
                    name.clone(),
                    pfile::UnitWire {
                        retire_year: Some(year),
                        ..Default::default()
                    },
                );
            }
            sys.generators.push(planning::system::Generator {
                name: name.clone(),
                bus: asset.zone,
                p_nom: capacity,
                extendable: false,
                p_nom_min: 0.0,
                p_nom_max: 0.0,
                capital_cost: 0.0,
                marginal_cost: asset.marginal_cost_usd_per_mwh,
                p_min_pu: 0.0,
                p_max_pu: p_max
                    .clone()
                    .unwrap_or_else(|| vec![asset.static_availability]),
                co2_t_per_mwh: asset.co2_t_per_mwh,
            });
            asset_of_generator.push((asset.name.clone(), asset.kind, asset.technology.clone()));
        }
    }
    for asset in base_assets.iter().filter(|a| a.kind != AssetKind::Existing) {
        let p_max = asset
            .profile
            .as_ref()
            .and_then(|p| system.profile(p))
            .map(|p| p.values.clone());
        let extendable = matches!(asset.kind, AssetKind::Nuclear | AssetKind::Expansion);
        sys.generators.push(planning::system::Generator {
            name: asset.name.clone(),
            bus: asset.zone,
            p_nom: if extendable { 0.0 } else { asset.capacity_mw },
            extendable,
            p_nom_min: 0.0,
            p_nom_max: if extendable { asset.max_new_mw } else { 0.0 },
            capital_cost: asset.annual_cost_usd_per_mw,
            marginal_cost: asset.marginal_cost_usd_per_mwh,
            p_min_pu: 0.0,
            p_max_pu: p_max.unwrap_or_else(|| vec![asset.static_availability]),
            co2_t_per_mwh: asset.co2_t_per_mwh,
        });
        asset_of_generator.push((asset.name.clone(), asset.kind, asset.technology.clone()));
        if asset.kind == AssetKind::Nuclear {
            let candidate = study
                .candidates
                .iter()
                .find(|c| Some(&c.id) == asset.candidate.as_ref());
            let design = candidate.and_then(|c| catalogue.design(&c.design));
            plan.units.insert(
                asset.name.clone(),
                pfile::UnitWire {
                    unit_size_mw: asset.unit_mw,
                    max_units: candidate.map(|c| c.max_units),
                    earliest_year: candidate.map(|c| system::earliest_year(study, c)),
                    lead_time_years: 0.0,
                    lifetime_years: design.map(|d| d.design_life_years),
                    contingency: Some(true),
                    ..Default::default()
                },
            );
        }
    }

    let result = planning::plan(&sys, &plan).map_err(|error| error.to_string())?;
    let capped_years: Vec<String> = system
        .periods
        .iter()
        .filter_map(|p| {
            p.co2_cap_t
                .map(|cap| format!("{} ({} Mt)", p.year, cap / 1e6))
        })
        .collect();
    if !capped_years.is_empty() && result.status == planning::Status::Infeasible {
        return Err(format!(
            "policy.co2_cap_mt: no plan meets the CO2 cap in scenario `{}` (solver status {:?}); capped years: {}; raise the cap or allow more low-carbon capacity",
            system.scenario,
            result.status,
            capped_years.join(", ")
        ));
    }
    // A time limit without an integer solution leaves no plan: say so in the status.
    let status = match result.status {
        planning::Status::TimeLimit if !result.has_solution => "TimeLimitNoSolution".to_owned(),
        status => format!("{status:?}"),
    };
    let solver_note =
        (!result.solver_message.is_empty()).then(|| format!("solver: {}", result.solver_message));
    let mut capacities = Vec::new();
    for capacity in &result.capacities {
        let Some(index) = sys
            .generators
            .iter()
            .position(|g| g.name == capacity.generator)
        else {
            continue;
        };
        let (asset, kind, technology) = &asset_of_generator[index];
        let year = capacity.period.unwrap_or(first.year);
        match capacities
            .iter_mut()
            .find(|row: &&mut CapacityRow| row.asset == *asset && row.year == year)
        {
            Some(row) => {
                row.capacity_mw += capacity.p_nom_opt_mw;
                row.energy_twh += capacity.energy_mwh / 1e6;
                row.built += capacity.built;
            }
            None => capacities.push(CapacityRow {
                asset: asset.clone(),
                technology: technology.clone(),
                kind: *kind,
                year,
                capacity_mw: capacity.p_nom_opt_mw,
                units: capacity.units,
                built: capacity.built,
                energy_twh: capacity.energy_mwh / 1e6,
            }),
        }
    }
    let mut periods_out = Vec::new();
    for period in &system.periods {
        let rows: Vec<&CapacityRow> = capacities
            .iter()
            .filter(|r| r.year == period.year)
            .collect();
        let emissions_t: f64 = rows
            .iter()
            .map(|row| {
                let factor = period
                    .assets
                    .iter()
                    .find(|a| a.name == row.asset)
                    .map_or(0.0, |a| a.co2_t_per_mwh);
                row.energy_twh * 1e6 * factor
            })
            .sum();
        let nuclear_mw = rows
            .iter()
            .filter(|r| r.kind == AssetKind::Nuclear)
            .map(|r| r.capacity_mw)
            .sum();
        let largest_unit = rows
            .iter()
            .filter(|r| r.kind == AssetKind::Nuclear && r.capacity_mw > 0.5)
            .filter_map(|r| {
                period
                    .assets
                    .iter()
                    .find(|a| a.name == r.asset)
                    .and_then(|a| a.unit_mw)
            })
            .fold(0.0, f64::max);
        let unserved = rows
            .iter()
            .filter(|r| r.kind == AssetKind::Shedding)
            .map(|r| r.energy_twh)
            .sum();
        periods_out.push(PeriodSummary {
            year: period.year,
            demand_twh: period.annual_energy_twh,
            peak_mw: period.peak_mw,
            emissions_mt: emissions_t / 1e6,
            nuclear_mw,
            largest_unit_mw: largest_unit,
            unserved_twh: unserved,
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
    let dispatch = dispatch_weeks(study, system, &capacities)?;
    Ok(Planning {
        scenario: system.scenario.clone(),
        demand_scenario: system.demand_scenario.clone(),
        price_scenario: system.price_scenario.clone(),
        status,
        objective_usd: result.objective,
        mip_gap: result.mip_gap,
        method: format!(
            "multi-period planning MILP (atomplan-model planning): {} periods, integer nuclear units{}, N-1 reserve {}, representative days; lead time folded into earliest_year",
            periods.len(),
            if study.options.integer_units { "" } else { " (relaxed)" },
            if study.options.n_minus_1 { "on" } else { "off" }
        ),
        solve_s: result.solve_s,
        variables: result.variables,
        integer_variables: result.integer_variables,
        capacities,
        periods: periods_out,
        dispatch,
        aggregation_note,
        profiles: system.synthetic_labels(),
        notes: vec![
            "Existing units are not unit-sized, so the N-1 reserve is set by the largest nuclear unit built".to_owned(),
            "Hydro is run-of-river on a monthly inflow shape (no reservoir shifting)".to_owned(),
            "Nuclear candidates are costed at their offer's capital and fixed charge (from the flat nominal cash-flow tariff), other new build at the real discount rate: nuclear is costed conservatively against them".to_owned(),
            "Refuelling outages and unit commitment are not modelled in the study's planning problem".to_owned(),
        ].into_iter().chain(solver_note).collect(),
    })
}

/// Typical and stress weeks of the last period on the core LP with the planned capacities.
fn dispatch_weeks(
    study: &StudyFile,
    system: &StudySystem,
    capacities: &[CapacityRow],
) -> Result<Vec<DispatchWeek>, String> {
    let period = system.periods.last().ok_or("no periods")?;
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
        for asset in &period.assets {
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
            generator.marginal_cost = Series::Static(asset.marginal_cost_usd_per_mwh);
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
    pub readiness_completion: Option<f64>,
    pub first_power_year_p10_p50_p90: Option<(f64, f64, f64)>,
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
) -> Result<Assessments, String> {
    let country = catalogue.country(&study.country).ok_or("unknown country")?;
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
                        .find(|s| format!("{s:?}").to_lowercase().contains(basis))
                        .and_then(|s| serde_json::to_value(s).ok())
                        .and_then(|v| v.get("ratio").and_then(serde_json::Value::as_f64))
                };
                let n1_need = row.unit_mw.max(country.largest_unit_mw.unwrap_or(0.0));
                grid_fit.push(GridFitRow {
                    candidate: row.candidate.clone(),
                    unit_mw: row.unit_mw,
                    share_of_installed: share_of("installed").unwrap_or(if installed > 0.0 {
                        row.unit_mw / installed
                    } else {
                        0.0
                    }),
                    share_of_peak: share_of("peak")
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

    // Adequacy before and after, in the last period, with planned capacities.
    let period = system.periods.last().ok_or("no periods")?;
    let load_mw = system.load_mw(period);
    let unit =
        |name: &str, capacity: f64, forced: f64, count: usize| assess::adequacy::AdequacyUnit {
            name: name.to_owned(),
            capacity_mw: capacity,
            mttf_h: None,
            mttr_h: 50.0,
            forced_outage_rate: Some(forced),
            planned_outages: Vec::new(),
            count,
        };
    let mut before_units = Vec::new();
    let mut nuclear_units = Vec::new();
    for row in plan
        .capacities
        .iter()
        .filter(|r| r.year == period.year && r.capacity_mw > 1.0)
    {
        let asset = period.assets.iter().find(|a| a.name == row.asset);
        match row.kind {
            AssetKind::Shedding => {}
            AssetKind::Nuclear => {
                let unit_mw = asset.and_then(|a| a.unit_mw).unwrap_or(row.capacity_mw);
                let count = (row.capacity_mw / unit_mw).round().max(1.0) as usize;
                nuclear_units.push(unit(&row.asset, unit_mw, 0.05, count));
            }
            _ => {
                // Variable renewables at their mean availability; thermal in 200 MW blocks.
                let derate = match row.technology.as_str() {
                    "wind" | "solar" | "hydro" => asset
                        .and_then(|a| a.profile.as_ref())
                        .and_then(|p| system.profile(p))
                        .map_or(1.0, |p| p.values.iter().sum::<f64>() / HOURS as f64),
                    _ => 1.0,
                };
                let capacity = row.capacity_mw * derate;
                let block = 200.0_f64.min(capacity);
                let count = (capacity / block).floor().max(1.0) as usize;
                before_units.push(unit(&row.asset, block, 0.07, count));
            }
        }
    }
    let settings = assess::adequacy::AdequacySettings {
        n_samples: study.options.adequacy_samples as usize,
        seed: study.options.seed,
    };
    let mut adequacy = Vec::new();
    match assess::adequacy::adequacy_before_after(
        &assess::adequacy::AdequacyInput {
            units: before_units,
            load_mw: load_mw.clone(),
        },
        &nuclear_units,
        &settings,
    ) {
        Ok(comparison) => {
            adequacy.push((
                format!("{} without new nuclear", period.year),
                comparison.before.lole_h,
                comparison.before.eue_mwh,
            ));
            adequacy.push((
                format!("{} with planned nuclear", period.year),
                comparison.after.lole_h,
                comparison.after.eue_mwh,
            ));
        }
        Err(error) => notes.push(format!("adequacy: {error}")),
    }
    notes.push("Adequacy: thermal in 200 MW blocks with a 7 % forced-outage rate, nuclear units at 5 %, MTTR 50 h, renewables at their mean availability (assumptions)".to_owned());

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
    let mut fuel_vendor_shares: Vec<(String, f64)> = Vec::new();
    let nuclear_total: f64 = plan
        .capacities
        .iter()
        .filter(|r| r.year == period.year && r.kind == AssetKind::Nuclear)
        .map(|r| r.capacity_mw)
        .sum();
    for row in plan
        .capacities
        .iter()
        .filter(|r| r.year == period.year && r.kind == AssetKind::Nuclear && r.capacity_mw > 0.5)
    {
        let vendor = economics
            .rows
            .iter()
            .find(|e| format!("nuclear-{}", e.candidate) == row.asset)
            .map_or_else(|| "unknown".to_owned(), |e| e.vendor_country.clone());
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

    let (readiness_completion, first_power, open_issues) = match country.milestones_phase {
        Some(phase) => {
            let input = assess::readiness::ReadinessInput {
                country: country.name.clone(),
                status: assess::readiness::statuses_from_phase(phase),
                assessed_year: study.horizon.base_year,
                time: assess::readiness::TimeSettings {
                    seed: study.options.seed,
                    n_samples: 2000,
                    ..Default::default()
                },
            };
            match assess::readiness::readiness(&input) {
                Ok(report) => (
                    Some(report.overall_completion),
                    Some((
                        report.first_power_year.p10,
                        report.first_power_year.p50,
                        report.first_power_year.p90,
                    )),
                    report.open_issues.iter().map(|s| (*s).to_owned()).collect(),
                ),
                Err(error) => {
                    notes.push(format!("readiness: {error}"));
                    (None, None, Vec::new())
                }
            }
        }
        None => (None, None, Vec::new()),
    };

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
        readiness_completion,
        first_power_year_p10_p50_p90: first_power,
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
}

/// Ranks the candidates on the study's criteria.
pub fn mcda(
    study: &StudyFile,
    catalogue: &StudyCatalogue,
    economics: &Economics,
    assessments: &Assessments,
) -> Result<McdaResult, String> {
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
        });
    }
    let mut matrix = vec![Vec::with_capacity(criteria.len()); candidates.len()];
    for criterion in criteria {
        for (row, candidate) in study.candidates.iter().enumerate() {
            let econ_row = economics.rows.iter().find(|r| r.candidate == candidate.id);
            let design = catalogue.design(&candidate.design);
            let value = match criterion.metric.as_deref() {
                Some("lcoe") => econ_row.map_or(0.0, |r| r.lcoe_offer_usd_per_mwh),
                Some("lcoe_p90") => econ_row.map_or(0.0, |r| r.mc_p95),
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
    let scores =
        assess::mcda::score(&problem, &method).map_err(|error| format!("MCDA: {error}"))?;
    let order = assess::rank_descending(&scores);
    let sensitivity = assess::mcda::sensitivity::weight_sensitivity(&problem, &method)
        .map(|all| {
            all.iter()
                .map(|s| {
                    (
                        criteria[s.criterion_idx].name.clone(),
                        s.winner_interval.0,
                        s.winner_interval.1,
                    )
                })
                .collect()
        })
        .unwrap_or_default();
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
    })
}
