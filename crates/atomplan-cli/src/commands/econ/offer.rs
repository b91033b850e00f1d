//! `atomplan econ offer`: a financing offer on the common real basis, its loan, a WACC
//! sensitivity, the host's cost under a build-own-operate PPA, and the offer's cost to the
//! state, from an offer file.
//!
//! The file has a `[build]` and an `[offer]` table and, optionally, `[wacc]`, `[ppa]` and
//! `[state]`; unknown keys are rejected, and every error names the file, line and key.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, Context};
use atomplan_econ::{
    capital_charge, cost_to_state, offer_loan_schedule, ppa_host_cost, wacc_sensitivity, BuildCost,
    EconError, Financing, FinancingOffer, Ppa, PpaHostInputs, SimpleLcoeInputs, StateViewInputs,
};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::format_number;
use crate::printer::Printer;
use crate::{Format, GlobalArgs};
use atomplan_econ::case_file::{
    finite_only, grace_interest, line_col, repayment, spend_profile, Source, SpendProfileWire,
};

#[derive(Debug, clap::Args)]
pub struct OfferArgs {
    /// Offer file (TOML) with `[build]` and `[offer]`, optionally `[wacc]`, `[ppa]`, `[state]`
    #[arg(long, value_name = "FILE")]
    pub case: PathBuf,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OfferFileWire {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    price_year: Option<i64>,
    #[serde(default)]
    currency: Option<String>,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    notes: Vec<String>,
    /// The host's real discount rate: levelises the PPA price, discounts the state's flows.
    #[serde(default)]
    host_real_discount_rate: Option<f64>,
    build: BuildWire,
    offer: OfferWire,
    #[serde(default)]
    wacc: Option<WaccWire>,
    #[serde(default)]
    ppa: Option<PpaWire>,
    #[serde(default)]
    state: Option<StateWire>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BuildWire {
    overnight_cost_usd_per_kw: f64,
    #[serde(default)]
    construction_years: f64,
    #[serde(default)]
    spend_profile: Option<SpendProfileWire>,
    life_years: f64,
    #[serde(default)]
    capacity_mw: Option<f64>,
    #[serde(default)]
    capacity_factor: Option<f64>,
    #[serde(default)]
    fixed_om_usd_per_kw_yr: f64,
    #[serde(default)]
    variable_cost_usd_per_mwh: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OfferWire {
    debt_fraction: f64,
    #[serde(default)]
    debt_rate: f64,
    #[serde(default)]
    debt_tenor_years: f64,
    #[serde(default)]
    grace_years: f64,
    #[serde(default)]
    repayment: Option<String>,
    #[serde(default)]
    grace_interest: Option<String>,
    cost_of_equity: f64,
    #[serde(default)]
    inflation: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WaccWire {
    low: f64,
    central: f64,
    high: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PpaWire {
    price_usd_per_mwh: f64,
    share_of_output: f64,
    years: f64,
    #[serde(default = "atomplan_econ::case_file::one")]
    start_operating_year: f64,
    #[serde(default)]
    escalation: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StateWire {
    #[serde(default)]
    state_borrowed_share: f64,
    #[serde(default)]
    guaranteed_share: f64,
    #[serde(default)]
    market_value_usd_per_mwh: f64,
    #[serde(default)]
    market_value_escalation: f64,
}

/// A validated offer file.
struct LoadedOffer {
    header: Map<String, Value>,
    build: BuildCost,
    offer: FinancingOffer,
    capacity_mw: Option<f64>,
    capacity_factor: Option<f64>,
    fixed_om_usd_per_kw_yr: f64,
    variable_cost_usd_per_mwh: f64,
    host_real_discount_rate: Option<f64>,
    wacc: Option<WaccWire>,
    ppa: Option<Ppa>,
    state: Option<StateWire>,
}

fn parse(path: &Path, text: &str) -> anyhow::Result<LoadedOffer> {
    let source = Source { path, text };
    let wire: OfferFileWire = toml::from_str(text).map_err(|error| {
        let message = error.message().trim().to_owned();
        match error.span() {
            Some(span) => {
                let (line, column) = line_col(text, span.start);
                anyhow!("{}:{line}:{column}: {message}", path.display())
            }
            None => anyhow!("{}: {message}", path.display()),
        }
    })?;
    let mut header = Map::new();
    header.insert("case_file".to_owned(), json!(path.display().to_string()));
    for (key, value) in [
        ("name", wire.name.map(Value::from)),
        ("description", wire.description.map(Value::from)),
        ("price_year", wire.price_year.map(Value::from)),
        ("currency", wire.currency.map(Value::from)),
    ] {
        if let Some(value) = value {
            header.insert(key.to_owned(), value);
        }
    }
    if !wire.sources.is_empty() {
        header.insert("sources".to_owned(), json!(wire.sources));
    }
    if !wire.notes.is_empty() {
        header.insert("notes".to_owned(), json!(wire.notes));
    }
    let build = BuildCost {
        overnight_cost_usd_per_kw: wire.build.overnight_cost_usd_per_kw,
        construction_years: wire.build.construction_years,
        spend_profile: spend_profile(&source, "build", wire.build.spend_profile)?,
        life_years: wire.build.life_years,
    };
    build
        .validate()
        .map_err(|error| source.econ_error("build", &error))?;
    let offer = FinancingOffer {
        debt_fraction: wire.offer.debt_fraction,
        debt_rate: wire.offer.debt_rate,
        debt_tenor_years: wire.offer.debt_tenor_years,
        grace_years: wire.offer.grace_years,
        repayment: repayment(
            &source,
            "offer",
            "repayment",
            wire.offer.repayment.as_deref(),
        )?,
        grace_interest: grace_interest(
            &source,
            "offer",
            "grace_interest",
            wire.offer.grace_interest.as_deref(),
        )?,
        cost_of_equity: wire.offer.cost_of_equity,
        inflation: wire.offer.inflation,
    };
    offer
        .validate()
        .map_err(|error| source.econ_error("offer", &error))?;
    let needs_host_rate = wire.ppa.is_some() || wire.state.is_some();
    if needs_host_rate && wire.host_real_discount_rate.is_none() {
        return Err(anyhow::Error::from(source.error(
            "",
            "host_real_discount_rate",
            "is missing: `[ppa]` and `[state]` need the host's real discount rate (a top-level key)",
        )));
    }
    let needs_capacity_factor = wire.ppa.is_some() || wire.state.is_some() || wire.wacc.is_some();
    if needs_capacity_factor && wire.build.capacity_factor.is_none() {
        return Err(anyhow::Error::from(source.error(
            "build",
            "capacity_factor",
            "is missing: `[wacc]`, `[ppa]` and `[state]` need the plant's capacity factor",
        )));
    }
    if wire.state.is_some() && wire.build.capacity_mw.is_none() {
        return Err(anyhow::Error::from(source.error(
            "build",
            "capacity_mw",
            "is missing: `[state]` needs the plant's net capacity",
        )));
    }
    let ppa = wire.ppa.map(|ppa| Ppa {
        price_usd_per_mwh: ppa.price_usd_per_mwh,
        share_of_output: ppa.share_of_output,
        years: ppa.years,
        start_operating_year: ppa.start_operating_year,
        escalation: ppa.escalation,
    });
    Ok(LoadedOffer {
        header,
        build,
        offer,
        capacity_mw: wire.build.capacity_mw,
        capacity_factor: wire.build.capacity_factor,
        fixed_om_usd_per_kw_yr: wire.build.fixed_om_usd_per_kw_yr,
        variable_cost_usd_per_mwh: wire.build.variable_cost_usd_per_mwh,
        host_real_discount_rate: wire.host_real_discount_rate,
        wacc: wire.wacc,
        ppa,
        state: wire.state,
    })
}

/// The offer file's results as JSON, and the by-year rows for CSV.
fn evaluate(path: &Path, text: &str) -> anyhow::Result<(Value, Value)> {
    let loaded = parse(path, text)?;
    let source = Source { path, text };
    let mut map = loaded.header.clone();
    let charge = capital_charge(&loaded.build, &Financing::Offer(loaded.offer.clone()))
        .map_err(|error| source.econ_error("offer", &error))?;
    map.insert("capital_charge".to_owned(), serde_json::to_value(charge)?);
    let loan = offer_loan_schedule(&loaded.build, &loaded.offer)
        .map_err(|error| source.econ_error("offer", &error))?;
    map.insert("loan_schedule".to_owned(), serde_json::to_value(&loan)?);
    let mut rows = serde_json::to_value(&loan)?;
    if let Some(wacc) = &loaded.wacc {
        let inputs = SimpleLcoeInputs {
            cost: loaded.build.clone(),
            fixed_om_usd_per_kw_yr: loaded.fixed_om_usd_per_kw_yr,
            variable_cost_usd_per_mwh: loaded.variable_cost_usd_per_mwh,
            capacity_factor: loaded.capacity_factor.unwrap_or(f64::NAN),
        };
        let sensitivity = wacc_sensitivity(&inputs, wacc.low, wacc.central, wacc.high)
            .map_err(|error| wacc_error(&source, wacc, &error))?;
        map.insert(
            "wacc_sensitivity".to_owned(),
            serde_json::to_value(sensitivity)?,
        );
    }
    let host_rate = loaded.host_real_discount_rate.unwrap_or(f64::NAN);
    let capacity_factor = loaded.capacity_factor.unwrap_or(f64::NAN);
    if let Some(ppa) = &loaded.ppa {
        let host = ppa_host_cost(&PpaHostInputs {
            ppa: ppa.clone(),
            capacity_factor,
            construction_years: loaded.build.construction_years,
            real_discount_rate: host_rate,
            inflation: loaded.offer.inflation,
        })
        .map_err(|error| host_error(&source, "ppa", &error))?;
        map.insert("ppa_host_cost".to_owned(), serde_json::to_value(&host)?);
    }
    if let Some(state) = &loaded.state {
        let view = cost_to_state(&StateViewInputs {
            cost: loaded.build.clone(),
            capacity_mw: loaded.capacity_mw.unwrap_or(f64::NAN),
            capacity_factor,
            offer: loaded.offer.clone(),
            state_borrowed_share: state.state_borrowed_share,
            guaranteed_share: state.guaranteed_share,
            ppa: loaded.ppa.clone(),
            market_value_usd_per_mwh: state.market_value_usd_per_mwh,
            market_value_escalation: state.market_value_escalation,
            real_discount_rate: host_rate,
        })
        .map_err(|error| host_error(&source, "state", &error))?;
        rows = serde_json::to_value(&view.years)?;
        map.insert("cost_to_state".to_owned(), serde_json::to_value(&view)?);
    }
    let inputs = json!({
        "build": loaded.build,
        "offer": loaded.offer,
        "capacity_mw": loaded.capacity_mw,
        "capacity_factor": loaded.capacity_factor,
        "host_real_discount_rate": loaded.host_real_discount_rate,
    });
    map.insert("inputs".to_owned(), inputs);
    Ok((finite_only(Value::Object(map)), rows))
}

/// Names the `[wacc]` key of a bad rate.
fn wacc_error(source: &Source, wacc: &WaccWire, error: &EconError) -> anyhow::Error {
    if error.field() == Some("wacc_real") {
        let key = [
            ("low", wacc.low),
            ("central", wacc.central),
            ("high", wacc.high),
        ]
        .into_iter()
        .find(|(_, rate)| !(rate.is_finite() && *rate > -1.0))
        .map_or("central", |(key, _)| key);
        return source.error("wacc", key, &format!("{error}")).into();
    }
    source.econ_error("build", error).into()
}

/// Points an error of the PPA or state view at its table (the host rate and the shared build
/// keys live elsewhere).
fn host_error(source: &Source, table: &str, error: &EconError) -> anyhow::Error {
    let located = match error.field() {
        Some("real_discount_rate") => {
            source.error("", "host_real_discount_rate", &format!("{error}"))
        }
        Some("capacity_factor" | "capacity_mw") => source.econ_error("build", error),
        Some(field) if field.starts_with("ppa.") => source.econ_error("ppa", error),
        _ => source.econ_error(table, error),
    };
    located.into()
}

fn print_text(printer: &Printer, value: &Value) {
    let mut lines = Vec::new();
    let number = |value: &Value| value.as_f64().map_or_else(|| "-".to_owned(), format_number);
    if let Some(name) = value["name"].as_str() {
        lines.push(name.to_owned());
    }
    let charge = &value["capital_charge"];
    lines.push(format!(
        "{:<44} {}",
        "capital charge (real USD/kW-yr)",
        number(&charge["charge_usd_per_kw_yr"])
    ));
    lines.push(format!(
        "{:<44} {}",
        "levelised at the real cost of equity",
        number(&charge["levelising_rate_real"])
    ));
    lines.push(format!(
        "{:<44} {}",
        "equivalent real WACC",
        number(&charge["equivalent_real_wacc"])
    ));
    lines.push(format!(
        "{:<44} {}",
        "overnight + financing at COD (USD/kW)",
        number(&charge["capital_at_cod_usd_per_kw"])
    ));
    if let Value::Object(sensitivity) = &value["wacc_sensitivity"] {
        for case in ["low", "central", "high"] {
            let point = &sensitivity[case];
            lines.push(format!(
                "{:<44} {} USD/kW-yr, LCOE {} USD/MWh",
                format!("real WACC {} ({case})", number(&point["wacc_real"])),
                number(&point["charge_usd_per_kw_yr"]),
                number(&point["lcoe_usd_per_mwh"])
            ));
        }
    }
    if let Value::Object(host) = &value["ppa_host_cost"] {
        lines.push(format!(
            "{:<44} {}",
            "PPA levelised real price (USD/MWh)",
            number(&host["levelised_price_real_usd_per_mwh"])
        ));
        lines.push(format!(
            "{:<44} {}",
            "host's PPA charge (real USD/kW-yr)",
            number(&host["charge_usd_per_kw_yr"])
        ));
    }
    if let Value::Object(state) = &value["cost_to_state"] {
        for (label, key) in [
            ("state loan service, total (USD)", "loan_service_usd"),
            ("state loan service, PV (USD)", "pv_loan_service_usd"),
            ("peak state debt (USD)", "peak_state_debt_usd"),
            ("peak guaranteed debt (USD)", "peak_guaranteed_debt_usd"),
            (
                "take-or-pay exposure, total (USD)",
                "take_or_pay_exposure_usd",
            ),
            (
                "take-or-pay exposure, PV (USD)",
                "pv_take_or_pay_exposure_usd",
            ),
        ] {
            lines.push(format!("{label:<44} {}", number(&state[key])));
        }
    }
    printer.data(&lines.join("\n"));
}

fn print_rows_csv(printer: &Printer, rows: &Value) -> anyhow::Result<()> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    if let Value::Array(items) = rows {
        let mut header_written = false;
        for item in items {
            if let Value::Object(row) = item {
                if !header_written {
                    writer.write_record(row.keys())?;
                    header_written = true;
                }
                writer.write_record(row.values().map(|value| match value {
                    Value::Number(number) => number.to_string(),
                    Value::Null => String::new(),
                    other => other.to_string(),
                }))?;
            }
        }
    }
    printer.data(&String::from_utf8(writer.into_inner()?)?);
    Ok(())
}

pub fn run(args: &OfferArgs, global: &GlobalArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(&args.case)
        .with_context(|| format!("cannot read offer file {}", args.case.display()))?;
    let (value, rows) = evaluate(&args.case, &text)?;
    match global.format {
        Format::Json => printer.json(&value),
        Format::Text => {
            print_text(printer, &value);
            printer.hint("`--format json` has every figure; `--format csv` prints the cost to the state (or the loan) by year");
        }
        Format::Csv => print_rows_csv(printer, &rows)?,
    }
    Ok(ExitCode::SUCCESS)
}
