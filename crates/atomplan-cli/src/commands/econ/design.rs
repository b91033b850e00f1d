//! `atomplan econ design`: the LCOE of a catalogue design in a country under a financing
//! preset.
//!
//! It joins the catalogue (overnight cost in the design's currency and price year, size,
//! capacity factor, life, construction time) with ATB 2024's nuclear O&M and fuel, converts
//! the cost to USD of the ATB price year (2022) with the catalogue's exchange rates and
//! deflators, and runs one of four financing presets that mirror real structures.
//! Every preset's terms are cited where they come from; none is invented here.

use std::process::ExitCode;

use anyhow::{anyhow, Context};
use atomplan_catalogue::{Catalogue, Design, Technology};
use atomplan_econ::{
    atb, AtbInputs, Case, CashflowInputs, DebtTerms, Depreciation, PcgeInputs, Repayment,
    SpendProfile, Timing,
};
use serde_json::{json, Value};

use crate::printer::Printer;
use crate::{Format, GlobalArgs};

/// Price year all costs are converted to: ATB 2024's cost basis.
const PRICE_YEAR: i32 = 2022;
/// ATB 2024 nuclear fuel price, $/MMBtu (2022 USD); NREL ATB 2024 nuclear (validation case E1).
const NUCLEAR_FUEL_USD_PER_MMBTU: f64 = 0.97;

/// ATB 2024 "R&D only" financial assumptions for nuclear (validation case E1).
const ATB_DEBT_FRACTION: f64 = 0.693_892_638_427_338;
const ATB_INTEREST_NOMINAL: f64 = 0.08;
const ATB_RROE_NOMINAL: f64 = 0.105;
const ATB_TAX_RATE: f64 = 0.2574;
const ATB_INFLATION: f64 = 0.025;

#[derive(Debug, clap::Args)]
pub struct DesignArgs {
    /// Design id in the catalogue (e.g. `vver-1200`)
    pub design_id: String,
    /// Country code (ISO 3166-1 alpha-2), e.g. TR; a label only for now (the catalogue holds
    /// no country-specific cost of capital), so it may be left out
    #[arg(long)]
    pub country: Option<String>,
    /// Financing preset: utility (ATB corporate finance), state-export-loan (El Dabaa terms),
    /// boo-ppa (build-own-operate, Lazard capital structure), rab (regulated asset base)
    #[arg(long, default_value = "utility")]
    pub financing: String,
    /// Overnight-cost case from the catalogue estimate
    #[arg(long, default_value = "central", value_parser = ["low", "central", "high"])]
    pub cost_case: String,
    /// Real discount rate (allowed return) of the `rab` preset; default PCGE 2020's central 7 %
    #[arg(long, default_value_t = 0.07)]
    pub discount_rate: f64,
}

struct DesignFacts {
    overnight_usd_per_kw: f64,
    plant_mw: f64,
    capacity_factor: f64,
    life_years: f64,
    construction_years: f64,
    fixed_om: f64,
    variable_om: f64,
    heat_rate: f64,
    technology: String,
    assumptions: Vec<String>,
}

fn parameter(technology: &Technology, name: &str) -> anyhow::Result<f64> {
    technology
        .parameter(name)
        .map(|parameter| parameter.value)
        .ok_or_else(|| anyhow!("catalogue technology `{}` has no `{name}`", technology.id))
}

fn design_facts(
    catalogue: &Catalogue,
    design: &Design,
    cost_case: &str,
) -> anyhow::Result<DesignFacts> {
    let mut assumptions = Vec::new();
    let overnight = design.overnight_cost.as_ref().ok_or_else(|| {
        anyhow!(
            "design `{}` has no overnight cost in the catalogue",
            design.id.as_str()
        )
    })?;
    let estimate = &overnight.per_kw;
    let midpoint = match (estimate.low, estimate.high) {
        (Some(low), Some(high)) => Some(0.5 * (low + high)),
        _ => None,
    };
    if cost_case == "central" && estimate.central.is_none() && midpoint.is_some() {
        assumptions.push(
            "overnight cost: midpoint of the catalogue's low-high range (no central value)"
                .to_owned(),
        );
    }
    if overnight.verify {
        assumptions.push("overnight cost is flagged [verify] in the catalogue".to_owned());
    }
    if let Some(basis) = &overnight.basis {
        assumptions.push(format!("overnight cost basis: {basis}"));
    }
    if let Some(note) = &overnight.derivation_note {
        assumptions.push(format!("overnight cost {note}"));
    }
    let per_kw = match cost_case {
        "low" => estimate.low.or(estimate.central),
        "high" => estimate.high.or(estimate.central),
        _ => estimate
            .central
            .or(midpoint)
            .or(estimate.low)
            .or(estimate.high),
    }
    .ok_or_else(|| {
        anyhow!(
            "design `{}` has no {cost_case} overnight cost",
            design.id.as_str()
        )
    })?;
    let overnight_usd_per_kw = catalogue
        .money()
        .to_usd_checked(
            per_kw,
            &overnight.currency,
            overnight.price_year,
            PRICE_YEAR,
        )
        .map_err(|error| {
            anyhow!(
                "design `{}`, field `costs[{}]`: {error}",
                design.id.as_str(),
                overnight.cost_index
            )
        })?;
    let plant_mw = design
        .plant_mwe()
        .ok_or_else(|| anyhow!("design `{}` has no electric rating", design.id.as_str()))?;
    let technology_id = if design.is_smr() {
        "nuclear_smr"
    } else {
        "nuclear_large"
    };
    let technology = catalogue
        .technology(technology_id)
        .ok_or_else(|| anyhow!("catalogue has no technology `{technology_id}`"))?;
    let capacity_factor = design.capacity_factor.unwrap_or_else(|| {
        assumptions
            .push("capacity factor: ATB 2024 nuclear 0.93 (the design gives none)".to_owned());
        0.93
    });
    let life_years = design.design_life_years.unwrap_or_else(|| {
        assumptions
            .push("life: 60 years, PCGE's new-build default (the design gives none)".to_owned());
        60.0
    });
    let construction_years = match design.construction_months {
        Some(months) if months > 0.0 => (months / 12.0).ceil(),
        _ => {
            assumptions.push(
                "construction: 7 years, PCGE's nuclear default (the design gives none)".to_owned(),
            );
            7.0
        }
    };
    assumptions.push(format!(
        "O&M and heat rate: catalogue technology `{technology_id}` (ATB 2024); fuel price {NUCLEAR_FUEL_USD_PER_MMBTU} $/MMBtu (ATB 2024 nuclear)"
    ));
    Ok(DesignFacts {
        overnight_usd_per_kw,
        plant_mw,
        capacity_factor,
        life_years,
        construction_years,
        fixed_om: parameter(technology, "fixed_om")?,
        variable_om: parameter(technology, "variable_om")?,
        heat_rate: parameter(technology, "heat_rate")?,
        technology: technology_id.to_owned(),
        assumptions,
    })
}

fn preset_case(
    facts: &DesignFacts,
    financing: &str,
    discount_rate: f64,
) -> anyhow::Result<(Case, &'static str)> {
    let cashflow_base = || {
        let mut inputs = CashflowInputs::with_defaults(
            facts.plant_mw,
            facts.overnight_usd_per_kw,
            facts.fixed_om,
            facts.variable_om,
            NUCLEAR_FUEL_USD_PER_MMBTU,
            facts.heat_rate,
            facts.capacity_factor,
            facts.life_years,
        );
        inputs.construction_years = facts.construction_years;
        inputs.spend_profile = SpendProfile::SCurve;
        inputs
    };
    Ok(match financing {
        "utility" => {
            let fractions = SpendProfile::Uniform
                .fractions(facts.construction_years as usize)
                .map_err(|error| anyhow!("{error}"))?;
            let cff = atb::atb_construction_finance_factor(&fractions, ATB_INTEREST_NOMINAL, ATB_TAX_RATE);
            (
                Case::Atb(AtbInputs {
                    overnight_cost_usd_per_kw: facts.overnight_usd_per_kw,
                    grid_connection_cost_usd_per_kw: 0.0,
                    construction_finance_factor: cff,
                    fixed_om_usd_per_kw_yr: facts.fixed_om,
                    variable_om_usd_per_mwh: facts.variable_om,
                    fuel_price_usd_per_mmbtu: NUCLEAR_FUEL_USD_PER_MMBTU,
                    heat_rate_mmbtu_per_mwh: facts.heat_rate,
                    capacity_factor: facts.capacity_factor,
                    cost_recovery_period_years: 30.0,
                    debt_fraction: ATB_DEBT_FRACTION,
                    interest_rate_nominal: ATB_INTEREST_NOMINAL,
                    rate_of_return_on_equity_nominal: ATB_RROE_NOMINAL,
                    tax_rate: ATB_TAX_RATE,
                    inflation: ATB_INFLATION,
                    itc: 0.0,
                    depreciation: Depreciation::Macrs(5),
                }),
                "utility/corporate finance: NREL ATB 2024 R&D-only financing (debt 69.4 % at 8 %, equity 10.5 %, tax 25.74 %, inflation 2.5 %, 30-year recovery, MACRS 5); construction finance factor from a uniform spend over the design's construction time at 8 % after tax; no grid-connection cost",
            )
        }
        "state-export-loan" => {
            let mut inputs = cashflow_base();
            inputs.periods_per_year = 2;
            inputs.debt_fraction = 0.85;
            inputs.debt_rate = 0.03;
            inputs.debt_tenor_years = 22.0;
            inputs.debt_terms = DebtTerms {
                instalments_per_year: 2,
                grace_years: Some(facts.construction_years + 0.5),
                repayment: Repayment::StraightLine,
                ..DebtTerms::default()
            };
            inputs.cost_of_equity = 0.07;
            inputs.tax_rate = 0.0;
            (
                Case::Cashflow(Box::new(inputs)),
                "state export loan on El Dabaa's terms (85 % at 3 %, interest capitalised until the first of 44 semi-annual equal-principal instalments half a year after commissioning); the host's 15 % at PCGE's 7 %; state owner, no income tax; S-curve spend",
            )
        }
        "boo-ppa" => {
            let mut inputs = cashflow_base();
            inputs.debt_fraction = 0.6;
            inputs.debt_rate = 0.08;
            inputs.debt_tenor_years = 20.0;
            inputs.cost_of_equity = 0.12;
            inputs.tax_rate = 0.4;
            inputs.depreciation = Depreciation::Macrs(20);
            inputs.debt_terms.grace_interest = atomplan_econ::GraceInterest::Capitalised;
            (
                Case::Cashflow(Box::new(inputs)),
                "build-own-operate: Lazard v13 capital structure (60 % debt at 8 %, 20-year annuity from commissioning, 12 % equity, 40 % tax, MACRS 20); the levelised tariff is the flat PPA price that gives equity 12 %",
            )
        }
        "rab" => (
            Case::Pcge(PcgeInputs {
                overnight_cost_usd_per_kw: facts.overnight_usd_per_kw,
                construction_years: facts.construction_years,
                spend_profile: SpendProfile::SCurve,
                fixed_om_usd_per_kw_yr: facts.fixed_om,
                variable_om_usd_per_mwh: facts.variable_om,
                fuel_cost_usd_per_mwh: NUCLEAR_FUEL_USD_PER_MMBTU * facts.heat_rate,
                carbon_price_usd_per_tco2: 0.0,
                emissions_tco2_per_mwh: 0.0,
                capacity_factor: facts.capacity_factor,
                life_years: facts.life_years,
                discount_rate,
                decommissioning_fraction: 0.15,
                decommissioning_years: 10.0,
                refurbishments: Vec::new(),
                timing: Timing::MidYear,
            }),
            "regulated asset base: consumers pay the allowed real return on the asset base from the first spend, so the levelised cost to consumers is the discounted cost at the allowed rate (PCGE method; decommissioning 15 % of overnight over 10 years)",
        ),
        other => {
            return Err(anyhow!(
                "unknown financing preset `{other}`; expected utility, state-export-loan, boo-ppa or rab"
            ))
        }
    })
}

pub fn run(args: &DesignArgs, global: &GlobalArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    let catalogue = match &global.data {
        Some(dir) => Catalogue::load_dir(dir),
        None => Catalogue::builtin(),
    }
    .map_err(|diagnostics| {
        let first = diagnostics.first().map_or_else(
            || "unknown error".to_owned(),
            |diagnostic| diagnostic.message.clone(),
        );
        anyhow!("the catalogue does not load: {first}")
    })?;
    let design = catalogue
        .design(&args.design_id)
        .ok_or_else(|| anyhow!("no design `{}` in the catalogue", args.design_id))
        .context("hint: `atomplan catalogue` lists the designs")?;
    let country = match &args.country {
        Some(code) => Some(
            catalogue
                .country(code)
                .ok_or_else(|| anyhow!("no country `{code}` in the catalogue"))
                .context("hint: `atomplan catalogue countries` lists them")?,
        ),
        None => None,
    };
    if !(args.discount_rate > -1.0 && args.discount_rate.is_finite()) {
        return Err(anyhow!("`--discount-rate` must be greater than -1"));
    }
    let facts = design_facts(&catalogue, design, &args.cost_case)?;
    let (case, financing_note) = preset_case(&facts, &args.financing, args.discount_rate)?;
    case.validate()
        .map_err(|error| anyhow!("design `{}`: {error}", args.design_id))?;
    let mut result = match &case {
        Case::Atb(inputs) => serde_json::to_value(
            atomplan_econ::atb_lcoe(inputs).map_err(|error| anyhow!("{error}"))?,
        )?,
        Case::Pcge(inputs) => serde_json::to_value(
            atomplan_econ::pcge_lcoe(inputs).map_err(|error| anyhow!("{error}"))?,
        )?,
        Case::Cashflow(inputs) => {
            let mut value = serde_json::to_value(
                atomplan_econ::cashflow(inputs).map_err(|error| anyhow!("{error}"))?,
            )?;
            if let Value::Object(object) = &mut value {
                object.remove("rows");
            }
            value
        }
    };
    if let Value::Object(object) = &mut result {
        object.insert("design".to_owned(), json!(design.id.as_str()));
        object.insert("design_name".to_owned(), json!(design.name));
        object.insert(
            "country".to_owned(),
            json!(country.map(|c| c.code.as_str())),
        );
        object.insert("country_name".to_owned(), json!(country.map(|c| &c.name)));
        object.insert("financing".to_owned(), json!(args.financing));
        object.insert("financing_terms".to_owned(), json!(financing_note));
        object.insert("method".to_owned(), json!(case.method()));
        object.insert("currency".to_owned(), json!("USD"));
        object.insert("price_year".to_owned(), json!(PRICE_YEAR));
        object.insert(
            "overnight_cost_usd_per_kw".to_owned(),
            json!(facts.overnight_usd_per_kw),
        );
        if let Some(overnight) = &design.overnight_cost {
            object.insert(
                "overnight_cost_source".to_owned(),
                json!({
                    "scope": overnight.scope,
                    "terms": overnight.terms,
                    "derived": overnight.derived,
                    "derivation_factor": overnight.derivation_factor,
                    "derivation_note": overnight.derivation_note,
                    "currency": overnight.currency,
                    "price_year": overnight.price_year,
                    "cost_index": overnight.cost_index,
                }),
            );
        }
        object.insert("plant_mw".to_owned(), json!(facts.plant_mw));
        object.insert(
            "construction_years".to_owned(),
            json!(facts.construction_years),
        );
        object.insert("technology_costs".to_owned(), json!(facts.technology));
        object.insert("assumptions".to_owned(), json!(facts.assumptions));
        object.insert(
            "note".to_owned(),
            json!("the country selects no country-specific finance yet: the catalogue holds no cost of capital or tax rate per country"),
        );
    }
    match global.format {
        Format::Json => printer.json(&result),
        Format::Csv => printer.data(&crate::flat_csv::to_field_csv(&result)?),
        Format::Text => {
            let lcoe = result["lcoe_usd_per_mwh"].as_f64().unwrap_or(0.0);
            let place = country.map_or_else(String::new, |c| format!(" in {}", c.name));
            printer.data(&format!(
                "{}{place} under {}: LCOE {lcoe:.2} USD{PRICE_YEAR}/MWh ({})",
                design.name,
                args.financing,
                case.method()
            ));
            printer.info(&format!("terms: {financing_note}"));
            for assumption in &facts.assumptions {
                printer.info(&format!("assumption: {assumption}"));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
