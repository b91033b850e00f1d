//! `atomplan econ`: levelised cost, cash flows, Monte Carlo and tornado from a case file.
//!
//! The economics crate does no IO, so this module owns the case-file format: TOML wire
//! structs that reject unknown keys, converted in one place into `atomplan_econ` inputs.
//! Every error names the file, the line where possible, and the key.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, Context};
use atomplan_econ::cashflow::{CashflowResult, CashflowRow};
use atomplan_econ::{
    Apply, AtbInputs, Case, CashflowInputs, DebtTerms, DebtTranche, Depreciation, Distribution,
    EconError, GraceInterest, MonteCarloSettings, PcgeInputs, Ppa, RateStep, Refurbishment,
    Repayment, SpendProfile, TaxLosses, Timing, TornadoInput, UncertainInput,
};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::printer::Printer;
use crate::{Format, GlobalArgs};

mod design;
#[cfg(test)]
mod fuzz;
mod offer;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Levelised cost of a case file (method "atb", "pcge" or "cashflow")
    Lcoe(LcoeArgs),
    /// Monte Carlo over the `[[mc.input]]` distributions of a case file
    Mc(McArgs),
    /// One-at-a-time (tornado) sensitivity of a case file
    Tornado(TornadoArgs),
    /// LCOE of a catalogue design in a country under a financing preset
    Design(design::DesignArgs),
    /// A financing offer on the common real basis: capital charge, loan, WACC sensitivity,
    /// host cost under a PPA, cost to the state
    Offer(offer::OfferArgs),
}

#[derive(Debug, clap::Args)]
pub struct LcoeArgs {
    /// Case file (TOML)
    #[arg(long, value_name = "FILE")]
    pub case: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct McArgs {
    /// Case file (TOML) with `[[mc.input]]` entries
    #[arg(long, value_name = "FILE")]
    pub case: PathBuf,
    /// Number of samples (at most 100,000,000: every sample's LCOE is kept in memory)
    #[arg(long, default_value_t = 10_000,
          value_parser = clap::value_parser!(u64).range(1..=atomplan_econ::mc::MAX_SAMPLES as u64))]
    pub samples: u64,
    /// Seed; the same seed gives the same result for any thread count
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Worker threads (default: all cores)
    #[arg(long)]
    pub threads: Option<usize>,
    /// Histogram bins (at most 100,000)
    #[arg(long, default_value_t = 20,
          value_parser = clap::value_parser!(u64).range(1..=atomplan_econ::mc::MAX_HISTOGRAM_BINS as u64))]
    pub bins: u64,
    /// Include every sample value in the JSON output
    #[arg(long)]
    pub values: bool,
}

#[derive(Debug, clap::Args)]
pub struct TornadoArgs {
    /// Case file (TOML) with `[[tornado.input]]` (key, low, high) or `[[mc.input]]` entries
    #[arg(long, value_name = "FILE")]
    pub case: PathBuf,
    /// Quantile for low/high values taken from `[[mc.input]]` distributions (0.1 = P10/P90)
    #[arg(long, default_value_t = 0.1)]
    pub quantile: f64,
}

pub fn run(command: Command, global: &GlobalArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    match command {
        Command::Lcoe(args) => run_lcoe(&args, global, printer),
        Command::Mc(args) => run_mc(&args, global, printer),
        Command::Tornado(args) => run_tornado(&args, global, printer),
        Command::Design(args) => design::run(&args, global, printer),
        Command::Offer(args) => offer::run(&args, global, printer),
    }
}

// ---------------------------------------------------------------------------------------------
// Case-file wire format.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFileWire {
    method: MethodWire,
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
    #[serde(default)]
    atb: Option<AtbWire>,
    #[serde(default)]
    pcge: Option<PcgeWire>,
    #[serde(default)]
    cashflow: Option<CashflowWire>,
    #[serde(default)]
    mc: Option<McWire>,
    #[serde(default)]
    tornado: Option<TornadoWire>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum MethodWire {
    Atb,
    Pcge,
    Cashflow,
}

/// `[atb]`: exactly the ATB inputs.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AtbWire {
    overnight_cost_usd_per_kw: f64,
    grid_connection_cost_usd_per_kw: f64,
    construction_finance_factor: f64,
    fixed_om_usd_per_kw_yr: f64,
    variable_om_usd_per_mwh: f64,
    fuel_price_usd_per_mmbtu: f64,
    heat_rate_mmbtu_per_mwh: f64,
    capacity_factor: f64,
    cost_recovery_period_years: f64,
    debt_fraction: f64,
    interest_rate_nominal: f64,
    rate_of_return_on_equity_nominal: f64,
    tax_rate: f64,
    inflation: f64,
    itc: f64,
    depreciation: String,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum SpendProfileWire {
    Named(String),
    Explicit(Vec<f64>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RefurbishmentWire {
    operating_year: f64,
    cost_usd_per_kw: f64,
}

/// `[pcge]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PcgeWire {
    overnight_cost_usd_per_kw: f64,
    construction_years: f64,
    #[serde(default)]
    spend_profile: Option<SpendProfileWire>,
    fixed_om_usd_per_kw_yr: f64,
    variable_om_usd_per_mwh: f64,
    fuel_cost_usd_per_mwh: f64,
    #[serde(default)]
    carbon_price_usd_per_tco2: f64,
    #[serde(default)]
    emissions_tco2_per_mwh: f64,
    capacity_factor: f64,
    life_years: f64,
    discount_rate: f64,
    #[serde(default)]
    decommissioning_fraction: f64,
    #[serde(default = "one")]
    decommissioning_years: f64,
    #[serde(default)]
    refurbishment: Vec<RefurbishmentWire>,
    #[serde(default)]
    timing: Option<String>,
}

fn one() -> f64 {
    1.0
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RateStepWire {
    from_repayment_year: f64,
    rate: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TrancheWire {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    share: Option<f64>,
    #[serde(default)]
    amount_usd: Option<f64>,
    rate: f64,
    tenor_years: f64,
    #[serde(default)]
    instalments_per_year: Option<u32>,
    #[serde(default)]
    grace_years: Option<f64>,
    #[serde(default)]
    repayment: Option<String>,
    #[serde(default)]
    rate_steps: Vec<RateStepWire>,
    #[serde(default)]
    rate_cap: Option<f64>,
    #[serde(default)]
    rate_floor: Option<f64>,
    #[serde(default)]
    grace_interest: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PpaWire {
    price_usd_per_mwh: f64,
    share_of_output: f64,
    years: f64,
    #[serde(default = "one")]
    start_operating_year: f64,
    #[serde(default)]
    escalation: f64,
}

/// `[cashflow]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CashflowWire {
    capacity_mw: f64,
    total_capital_cost_usd_per_kw: f64,
    fixed_om_usd_per_kw_yr: f64,
    variable_om_usd_per_mwh: f64,
    fuel_price_usd_per_mmbtu: f64,
    heat_rate_mmbtu_per_mwh: f64,
    capacity_factor: f64,
    life_years: f64,
    debt_fraction: f64,
    debt_rate: f64,
    debt_tenor_years: f64,
    cost_of_equity: f64,
    tax_rate: f64,
    om_escalation: f64,
    fuel_escalation: f64,
    depreciation: String,
    // Optional: the main tranche's terms.
    #[serde(default)]
    debt_instalments_per_year: Option<u32>,
    #[serde(default)]
    debt_grace_years: Option<f64>,
    #[serde(default)]
    debt_repayment: Option<String>,
    #[serde(default)]
    debt_rate_steps: Vec<RateStepWire>,
    #[serde(default)]
    debt_rate_cap: Option<f64>,
    #[serde(default)]
    debt_rate_floor: Option<f64>,
    #[serde(default)]
    debt_grace_interest: Option<String>,
    // Optional: everything else.
    #[serde(default)]
    periods_per_year: Option<u32>,
    #[serde(default)]
    construction_years: f64,
    #[serde(default)]
    spend_profile: Option<SpendProfileWire>,
    #[serde(default)]
    capex_escalation: f64,
    #[serde(default)]
    construction_delay_years: f64,
    #[serde(default)]
    cost_overrun: f64,
    #[serde(default)]
    decommissioning_cost_usd_per_kw: f64,
    #[serde(default)]
    decommissioning_fund_rate: Option<f64>,
    #[serde(default)]
    tariff_escalation: f64,
    #[serde(default)]
    merchant_price_usd_per_mwh: Option<f64>,
    #[serde(default)]
    merchant_escalation: f64,
    #[serde(default)]
    discount_rate: Option<f64>,
    #[serde(default)]
    inflation: f64,
    #[serde(default)]
    tax_losses: Option<String>,
    #[serde(default)]
    tranche: Vec<TrancheWire>,
    #[serde(default)]
    ppa: Vec<PpaWire>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct McWire {
    #[serde(default)]
    input: Vec<UncertainWire>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UncertainWire {
    key: String,
    distribution: String,
    #[serde(default)]
    apply: Option<String>,
    #[serde(default)]
    mean: Option<f64>,
    #[serde(default)]
    sd: Option<f64>,
    #[serde(default)]
    mu: Option<f64>,
    #[serde(default)]
    sigma: Option<f64>,
    #[serde(default)]
    min: Option<f64>,
    #[serde(default)]
    mode: Option<f64>,
    #[serde(default)]
    max: Option<f64>,
    #[serde(default)]
    lambda: Option<f64>,
    #[serde(default)]
    values: Option<Vec<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TornadoWire {
    #[serde(default)]
    input: Vec<TornadoInputWire>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TornadoInputWire {
    key: String,
    low: f64,
    high: f64,
}

// ---------------------------------------------------------------------------------------------
// Loading and conversion.

/// A validated case file.
pub(crate) struct LoadedCase {
    pub case: Case,
    pub name: Option<String>,
    pub description: Option<String>,
    pub price_year: Option<i64>,
    pub currency: Option<String>,
    pub sources: Vec<String>,
    pub notes: Vec<String>,
    pub mc_inputs: Vec<UncertainInput>,
    pub tornado_inputs: Vec<TornadoInput>,
}

/// The file and its text, for messages that point at a key.
struct Source<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Source<'_> {
    /// Line (from 1) where `key` is assigned, searching from the `[table]` header if given.
    fn line_of(&self, table: &str, key: &str) -> Option<usize> {
        let header = format!("[{table}]");
        let mut in_table = table.is_empty();
        let mut first_match = None;
        for (line_idx, line) in self.text.lines().enumerate() {
            let trimmed = line.trim_start();
            if trimmed.starts_with('[') {
                in_table = trimmed.starts_with(&header) || table.is_empty();
            }
            let assigns = trimmed
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='));
            if assigns {
                if in_table {
                    return Some(line_idx + 1);
                }
                first_match.get_or_insert(line_idx + 1);
            }
        }
        first_match
    }

    fn error(&self, table: &str, key: &str, message: &str) -> anyhow::Error {
        let file = self.path.display();
        let qualified = if table.is_empty() {
            format!("`{key}`")
        } else {
            format!("`[{table}].{key}`")
        };
        match self.line_of(table, key) {
            Some(line) => anyhow!("{file}:{line}: {qualified} {message}"),
            None => anyhow!("{file}: {qualified} {message}"),
        }
    }

    fn econ_error(&self, table: &str, error: &EconError) -> anyhow::Error {
        match error {
            EconError::InvalidInput {
                field,
                value,
                reason,
            } => {
                let key = field.rsplit('.').next().unwrap_or(field);
                let shown = if value.is_finite() {
                    format!("{value}")
                } else {
                    "not a finite number".to_owned()
                };
                self.error(table, key, &format!("is {shown}: {reason}"))
            }
            EconError::Invalid { field, reason } => {
                let key = field.rsplit('.').next().unwrap_or(field);
                self.error(table, key, reason)
            }
            other => anyhow!("{}: {other}", self.path.display()),
        }
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rfind('\n')
        .map_or(before.len(), |idx| before.len() - idx - 1)
        + 1;
    (line, column)
}

pub(crate) fn load_case(path: &Path) -> anyhow::Result<LoadedCase> {
    let text = atomplan_core::input::read_to_string(path)
        .with_context(|| format!("cannot read case file {}", path.display()))?;
    parse_case(path, &text)
}

/// Parses and checks a case file's text (`path` names it in messages).
pub(crate) fn parse_case(path: &Path, text: &str) -> anyhow::Result<LoadedCase> {
    let text = text.to_owned();
    let source = Source { path, text: &text };
    let wire: CaseFileWire = toml::from_str(&text).map_err(|error| {
        let message = error.message().trim().to_owned();
        match error.span() {
            Some(span) => {
                let (line, column) = line_col(&text, span.start);
                // Serde reports a missing key at its table header: name the table.
                let header = text.lines().nth(line - 1).unwrap_or("").trim();
                if message.starts_with("missing field") && header.starts_with('[') {
                    anyhow!(
                        "{}:{line}:{column}: {message} in `{header}`",
                        path.display()
                    )
                } else {
                    anyhow!("{}:{line}:{column}: {message}", path.display())
                }
            }
            None => anyhow!("{}: {message}", path.display()),
        }
    })?;
    let present = [
        ("atb", wire.atb.is_some()),
        ("pcge", wire.pcge.is_some()),
        ("cashflow", wire.cashflow.is_some()),
    ];
    let (case, table) = match wire.method {
        MethodWire::Atb => {
            let atb = wire.atb.ok_or_else(|| {
                anyhow!(
                    "{}: `method = \"atb\"` needs an `[atb]` table",
                    path.display()
                )
            })?;
            (Case::Atb(atb_inputs(&source, atb)?), "atb")
        }
        MethodWire::Pcge => {
            let pcge = wire.pcge.ok_or_else(|| {
                anyhow!(
                    "{}: `method = \"pcge\"` needs a `[pcge]` table",
                    path.display()
                )
            })?;
            (Case::Pcge(pcge_inputs(&source, pcge)?), "pcge")
        }
        MethodWire::Cashflow => {
            let cashflow = wire.cashflow.ok_or_else(|| {
                anyhow!(
                    "{}: `method = \"cashflow\"` needs a `[cashflow]` table",
                    path.display()
                )
            })?;
            (
                Case::Cashflow(Box::new(cashflow_inputs(&source, cashflow)?)),
                "cashflow",
            )
        }
    };
    for (other, is_present) in present {
        if is_present && other != table {
            return Err(anyhow!(
                "{}: table `[{other}]` does not match `method = \"{table}\"`",
                path.display()
            ));
        }
    }
    case.validate()
        .map_err(|error| source.econ_error(table, &error))?;
    let mc_inputs = match &wire.mc {
        Some(mc) => mc
            .input
            .iter()
            .map(|input| uncertain_input(&source, input))
            .collect::<anyhow::Result<Vec<_>>>()?,
        None => Vec::new(),
    };
    for input in &mc_inputs {
        case.param_id(&input.name)
            .map_err(|error| source.error("mc.input", "key", &format!("{error}")))?;
    }
    let tornado_inputs = match &wire.tornado {
        Some(tornado) => tornado
            .input
            .iter()
            .map(|input| {
                case.param_id(&input.key)
                    .map_err(|error| source.error("tornado.input", "key", &format!("{error}")))?;
                if !input.low.is_finite() || !input.high.is_finite() {
                    return Err(source.error("tornado.input", "low", "must be finite"));
                }
                Ok(TornadoInput {
                    name: input.key.clone(),
                    low: input.low,
                    high: input.high,
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?,
        None => Vec::new(),
    };
    Ok(LoadedCase {
        case,
        name: wire.name,
        description: wire.description,
        price_year: wire.price_year,
        currency: wire.currency,
        sources: wire.sources,
        notes: wire.notes,
        mc_inputs,
        tornado_inputs,
    })
}

fn depreciation(source: &Source, table: &str, text: &str) -> anyhow::Result<Depreciation> {
    text.parse::<Depreciation>()
        .map_err(|error| source.econ_error(table, &error))
}

fn atb_inputs(source: &Source, wire: AtbWire) -> anyhow::Result<AtbInputs> {
    Ok(AtbInputs {
        overnight_cost_usd_per_kw: wire.overnight_cost_usd_per_kw,
        grid_connection_cost_usd_per_kw: wire.grid_connection_cost_usd_per_kw,
        construction_finance_factor: wire.construction_finance_factor,
        fixed_om_usd_per_kw_yr: wire.fixed_om_usd_per_kw_yr,
        variable_om_usd_per_mwh: wire.variable_om_usd_per_mwh,
        fuel_price_usd_per_mmbtu: wire.fuel_price_usd_per_mmbtu,
        heat_rate_mmbtu_per_mwh: wire.heat_rate_mmbtu_per_mwh,
        capacity_factor: wire.capacity_factor,
        cost_recovery_period_years: wire.cost_recovery_period_years,
        debt_fraction: wire.debt_fraction,
        interest_rate_nominal: wire.interest_rate_nominal,
        rate_of_return_on_equity_nominal: wire.rate_of_return_on_equity_nominal,
        tax_rate: wire.tax_rate,
        inflation: wire.inflation,
        itc: wire.itc,
        depreciation: depreciation(source, "atb", &wire.depreciation)?,
    })
}

fn spend_profile(
    source: &Source,
    table: &str,
    wire: Option<SpendProfileWire>,
) -> anyhow::Result<SpendProfile> {
    match wire {
        None => Ok(SpendProfile::Uniform),
        Some(SpendProfileWire::Explicit(shares)) => Ok(SpendProfile::Explicit(shares)),
        Some(SpendProfileWire::Named(name)) => match name.as_str() {
            "uniform" => Ok(SpendProfile::Uniform),
            "s-curve" => Ok(SpendProfile::SCurve),
            other => Err(source.error(
                table,
                "spend_profile",
                &format!("is `{other}`; expected \"uniform\", \"s-curve\" or a list of shares"),
            )),
        },
    }
}

fn pcge_inputs(source: &Source, wire: PcgeWire) -> anyhow::Result<PcgeInputs> {
    let timing = match wire.timing.as_deref() {
        None | Some("end-of-year") => Timing::EndOfYear,
        Some("mid-year") => Timing::MidYear,
        Some(other) => {
            return Err(source.error(
                "pcge",
                "timing",
                &format!("is `{other}`; expected \"end-of-year\" or \"mid-year\""),
            ))
        }
    };
    Ok(PcgeInputs {
        overnight_cost_usd_per_kw: wire.overnight_cost_usd_per_kw,
        construction_years: wire.construction_years,
        spend_profile: spend_profile(source, "pcge", wire.spend_profile)?,
        fixed_om_usd_per_kw_yr: wire.fixed_om_usd_per_kw_yr,
        variable_om_usd_per_mwh: wire.variable_om_usd_per_mwh,
        fuel_cost_usd_per_mwh: wire.fuel_cost_usd_per_mwh,
        carbon_price_usd_per_tco2: wire.carbon_price_usd_per_tco2,
        emissions_tco2_per_mwh: wire.emissions_tco2_per_mwh,
        capacity_factor: wire.capacity_factor,
        life_years: wire.life_years,
        discount_rate: wire.discount_rate,
        decommissioning_fraction: wire.decommissioning_fraction,
        decommissioning_years: wire.decommissioning_years,
        refurbishments: wire
            .refurbishment
            .into_iter()
            .map(|refurbishment| Refurbishment {
                operating_year: refurbishment.operating_year,
                cost_usd_per_kw: refurbishment.cost_usd_per_kw,
            })
            .collect(),
        timing,
    })
}

fn repayment(
    source: &Source,
    table: &str,
    key: &str,
    text: Option<&str>,
) -> anyhow::Result<Repayment> {
    match text {
        None | Some("annuity") => Ok(Repayment::Annuity),
        Some("straight-line") => Ok(Repayment::StraightLine),
        Some(other) => Err(source.error(
            table,
            key,
            &format!("is `{other}`; expected \"annuity\" or \"straight-line\""),
        )),
    }
}

fn grace_interest(
    source: &Source,
    table: &str,
    key: &str,
    text: Option<&str>,
) -> anyhow::Result<GraceInterest> {
    match text {
        None | Some("capitalised") => Ok(GraceInterest::Capitalised),
        Some("paid") => Ok(GraceInterest::Paid),
        Some(other) => Err(source.error(
            table,
            key,
            &format!("is `{other}`; expected \"capitalised\" or \"paid\""),
        )),
    }
}

fn rate_steps(steps: &[RateStepWire]) -> Vec<RateStep> {
    steps
        .iter()
        .map(|step| RateStep {
            from_repayment_year: step.from_repayment_year,
            rate: step.rate,
        })
        .collect()
}

fn cashflow_inputs(source: &Source, wire: CashflowWire) -> anyhow::Result<CashflowInputs> {
    let table = "cashflow";
    let tax_losses = match wire.tax_losses.as_deref() {
        None | Some("benefit") => TaxLosses::Benefit,
        Some("carry-forward") => TaxLosses::CarryForward,
        Some(other) => {
            return Err(source.error(
                table,
                "tax_losses",
                &format!("is `{other}`; expected \"benefit\" or \"carry-forward\""),
            ))
        }
    };
    let total_capital_usd = wire.total_capital_cost_usd_per_kw * wire.capacity_mw * 1000.0;
    let mut extra_tranches = Vec::with_capacity(wire.tranche.len());
    for (tranche_idx, tranche) in wire.tranche.iter().enumerate() {
        let tranche_table = "cashflow.tranche";
        let share = match (tranche.share, tranche.amount_usd) {
            (Some(share), None) => share,
            (None, Some(amount)) => {
                if total_capital_usd.is_nan() || total_capital_usd <= 0.0 || !amount.is_finite() {
                    return Err(source.error(
                        tranche_table,
                        "amount_usd",
                        "needs a positive total capital cost to become a share",
                    ));
                }
                amount / total_capital_usd
            }
            _ => {
                return Err(anyhow!(
                    "{}: tranche {} needs exactly one of `share` and `amount_usd`",
                    source.path.display(),
                    tranche_idx + 1
                ))
            }
        };
        extra_tranches.push(DebtTranche {
            name: tranche
                .name
                .clone()
                .unwrap_or_else(|| format!("tranche-{}", tranche_idx + 1)),
            share,
            rate: tranche.rate,
            tenor_years: tranche.tenor_years,
            terms: DebtTerms {
                instalments_per_year: tranche.instalments_per_year.unwrap_or(1),
                grace_years: tranche.grace_years,
                repayment: repayment(
                    source,
                    tranche_table,
                    "repayment",
                    tranche.repayment.as_deref(),
                )?,
                rate_steps: rate_steps(&tranche.rate_steps),
                rate_cap: tranche.rate_cap,
                rate_floor: tranche.rate_floor,
                grace_interest: grace_interest(
                    source,
                    tranche_table,
                    "grace_interest",
                    tranche.grace_interest.as_deref(),
                )?,
            },
        });
    }
    Ok(CashflowInputs {
        capacity_mw: wire.capacity_mw,
        total_capital_cost_usd_per_kw: wire.total_capital_cost_usd_per_kw,
        fixed_om_usd_per_kw_yr: wire.fixed_om_usd_per_kw_yr,
        variable_om_usd_per_mwh: wire.variable_om_usd_per_mwh,
        fuel_price_usd_per_mmbtu: wire.fuel_price_usd_per_mmbtu,
        heat_rate_mmbtu_per_mwh: wire.heat_rate_mmbtu_per_mwh,
        capacity_factor: wire.capacity_factor,
        life_years: wire.life_years,
        debt_fraction: wire.debt_fraction,
        debt_rate: wire.debt_rate,
        debt_tenor_years: wire.debt_tenor_years,
        debt_terms: DebtTerms {
            instalments_per_year: wire.debt_instalments_per_year.unwrap_or(1),
            grace_years: wire.debt_grace_years,
            repayment: repayment(
                source,
                table,
                "debt_repayment",
                wire.debt_repayment.as_deref(),
            )?,
            rate_steps: rate_steps(&wire.debt_rate_steps),
            rate_cap: wire.debt_rate_cap,
            rate_floor: wire.debt_rate_floor,
            grace_interest: grace_interest(
                source,
                table,
                "debt_grace_interest",
                wire.debt_grace_interest.as_deref(),
            )?,
        },
        extra_tranches,
        cost_of_equity: wire.cost_of_equity,
        tax_rate: wire.tax_rate,
        tax_losses,
        om_escalation: wire.om_escalation,
        fuel_escalation: wire.fuel_escalation,
        depreciation: depreciation(source, table, &wire.depreciation)?,
        periods_per_year: wire.periods_per_year.unwrap_or(1),
        construction_years: wire.construction_years,
        spend_profile: spend_profile(source, table, wire.spend_profile)?,
        capex_escalation: wire.capex_escalation,
        construction_delay_years: wire.construction_delay_years,
        cost_overrun: wire.cost_overrun,
        decommissioning_cost_usd_per_kw: wire.decommissioning_cost_usd_per_kw,
        decommissioning_fund_rate: wire.decommissioning_fund_rate,
        tariff_escalation: wire.tariff_escalation,
        ppas: wire
            .ppa
            .iter()
            .map(|ppa| Ppa {
                price_usd_per_mwh: ppa.price_usd_per_mwh,
                share_of_output: ppa.share_of_output,
                years: ppa.years,
                start_operating_year: ppa.start_operating_year,
                escalation: ppa.escalation,
            })
            .collect(),
        merchant_price_usd_per_mwh: wire.merchant_price_usd_per_mwh,
        merchant_escalation: wire.merchant_escalation,
        discount_rate: wire.discount_rate,
        inflation: wire.inflation,
    })
}

fn uncertain_input(source: &Source, wire: &UncertainWire) -> anyhow::Result<UncertainInput> {
    let table = "mc.input";
    let need = |value: Option<f64>, parameter: &str| -> anyhow::Result<f64> {
        value.ok_or_else(|| {
            source.error(
                table,
                "distribution",
                &format!(
                    "`{}` of `{}` needs `{parameter}`",
                    wire.distribution, wire.key
                ),
            )
        })
    };
    let distribution = match wire.distribution.as_str() {
        "normal" => Distribution::Normal {
            mean: need(wire.mean, "mean")?,
            sd: need(wire.sd, "sd")?,
        },
        "lognormal" => Distribution::LogNormal {
            mu: need(wire.mu, "mu")?,
            sigma: need(wire.sigma, "sigma")?,
        },
        "triangular" => Distribution::Triangular {
            min: need(wire.min, "min")?,
            mode: need(wire.mode, "mode")?,
            max: need(wire.max, "max")?,
        },
        "pert" => Distribution::Pert {
            min: need(wire.min, "min")?,
            mode: need(wire.mode, "mode")?,
            max: need(wire.max, "max")?,
            lambda: wire.lambda.unwrap_or(4.0),
        },
        "uniform" => Distribution::Uniform {
            min: need(wire.min, "min")?,
            max: need(wire.max, "max")?,
        },
        "empirical" => Distribution::Empirical {
            values: wire.values.clone().ok_or_else(|| {
                source.error(
                    table,
                    "distribution",
                    &format!("`empirical` of `{}` needs `values`", wire.key),
                )
            })?,
        },
        other => {
            return Err(source.error(
                table,
                "distribution",
                &format!(
                "is `{other}`; expected normal, lognormal, triangular, pert, uniform or empirical"
            ),
            ))
        }
    };
    distribution.validate(&wire.key).map_err(|error| {
        source.error(
            table,
            "distribution",
            &format!("of `{}`: {error}", wire.key),
        )
    })?;
    let apply = match wire.apply.as_deref() {
        None | Some("set") => Apply::Set,
        Some("scale") => Apply::Scale,
        Some("add") => Apply::Add,
        Some(other) => {
            return Err(source.error(
                table,
                "apply",
                &format!("is `{other}`; expected \"set\", \"scale\" or \"add\""),
            ))
        }
    };
    Ok(UncertainInput {
        name: wire.key.clone(),
        distribution,
        apply,
    })
}

// ---------------------------------------------------------------------------------------------
// Output.

/// Replaces non-finite numbers (which JSON cannot hold) by null, recursively.
fn finite_only(value: Value) -> Value {
    match value {
        Value::Array(items) => Value::Array(items.into_iter().map(finite_only).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, value)| (key, finite_only(value)))
                .collect(),
        ),
        Value::Number(number) if number.as_f64().is_some_and(|value| !value.is_finite()) => {
            Value::Null
        }
        other => other,
    }
}

fn header(loaded: &LoadedCase, path: &Path) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("case_file".to_owned(), json!(path.display().to_string()));
    map.insert("method".to_owned(), json!(loaded.case.method()));
    if let Some(name) = &loaded.name {
        map.insert("name".to_owned(), json!(name));
    }
    if let Some(description) = &loaded.description {
        map.insert("description".to_owned(), json!(description));
    }
    if let Some(price_year) = loaded.price_year {
        map.insert("price_year".to_owned(), json!(price_year));
    }
    if let Some(currency) = &loaded.currency {
        map.insert("currency".to_owned(), json!(currency));
    }
    if !loaded.sources.is_empty() {
        map.insert("sources".to_owned(), json!(loaded.sources));
    }
    if !loaded.notes.is_empty() {
        map.insert("notes".to_owned(), json!(loaded.notes));
    }
    map
}

pub(crate) fn lcoe_json(
    loaded: &LoadedCase,
    path: &Path,
) -> anyhow::Result<(Value, Option<Vec<CashflowRow>>)> {
    let source_error = |error: EconError| anyhow!("{}: {error}", path.display());
    let mut map = header(loaded, path);
    let mut rows = None;
    let result = match &loaded.case {
        Case::Atb(inputs) => {
            serde_json::to_value(atomplan_econ::atb_lcoe(inputs).map_err(source_error)?)?
        }
        Case::Pcge(inputs) => {
            serde_json::to_value(atomplan_econ::pcge_lcoe(inputs).map_err(source_error)?)?
        }
        Case::Cashflow(inputs) => {
            let result: CashflowResult = atomplan_econ::cashflow(inputs).map_err(source_error)?;
            rows = Some(result.rows.clone());
            let mut value = serde_json::to_value(&result)?;
            if let Value::Object(object) = &mut value {
                if let Some(table) = object.remove("rows") {
                    object.insert("cash_flow_table".to_owned(), table);
                }
            }
            value
        }
    };
    if let Value::Object(object) = result {
        map.extend(object);
    }
    map.insert("inputs".to_owned(), case_inputs_json(&loaded.case)?);
    Ok((finite_only(Value::Object(map)), rows))
}

fn case_inputs_json(case: &Case) -> anyhow::Result<Value> {
    Ok(match case {
        Case::Atb(inputs) => serde_json::to_value(inputs)?,
        Case::Pcge(inputs) => serde_json::to_value(inputs)?,
        Case::Cashflow(inputs) => serde_json::to_value(inputs.as_ref())?,
    })
}

fn format_number(value: f64) -> String {
    if value.is_finite() {
        if value.abs() >= 1e6 {
            format!("{value:.0}")
        } else {
            format!("{value:.6}")
        }
    } else {
        "-".to_owned()
    }
}

fn print_scalars_text(printer: &Printer, value: &Value) {
    if let Value::Object(map) = value {
        let mut lines = Vec::new();
        for (key, item) in map {
            let shown = match item {
                Value::Number(number) => number.as_f64().map_or_else(String::new, format_number),
                Value::String(text) => text.clone(),
                Value::Null => "-".to_owned(),
                Value::Bool(flag) => flag.to_string(),
                _ => continue,
            };
            lines.push(format!("{key:<40} {shown}"));
        }
        printer.data(&lines.join("\n"));
    }
}

fn print_scalars_csv(printer: &Printer, value: &Value) -> anyhow::Result<()> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(["key", "value"])?;
    if let Value::Object(map) = value {
        for (key, item) in map {
            let shown = match item {
                Value::Number(number) => number.to_string(),
                Value::String(text) => text.clone(),
                Value::Null => String::new(),
                Value::Bool(flag) => flag.to_string(),
                _ => continue,
            };
            writer.write_record([key.as_str(), shown.as_str()])?;
        }
    }
    printer.data(&String::from_utf8(writer.into_inner()?)?);
    Ok(())
}

fn print_rows_csv(printer: &Printer, rows: &[CashflowRow]) -> anyhow::Result<()> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer.serialize(row)?;
    }
    printer.data(&String::from_utf8(writer.into_inner()?)?);
    Ok(())
}

fn run_lcoe(args: &LcoeArgs, global: &GlobalArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    let loaded = load_case(&args.case)?;
    let (value, rows) = lcoe_json(&loaded, &args.case)?;
    match global.format {
        Format::Json => printer.json(&value),
        Format::Text => {
            print_scalars_text(printer, &value);
            if rows.is_some() {
                printer.hint("`--format csv` prints the cash-flow table; `--format json` has it as `cash_flow_table`");
            }
        }
        Format::Csv => match rows {
            Some(rows) => print_rows_csv(printer, &rows)?,
            None => print_scalars_csv(printer, &value)?,
        },
    }
    Ok(ExitCode::SUCCESS)
}

fn run_mc(args: &McArgs, global: &GlobalArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    let loaded = load_case(&args.case)?;
    if loaded.mc_inputs.is_empty() {
        return Err(anyhow!(
            "{}: no `[[mc.input]]` entries; add at least one uncertain input",
            args.case.display()
        ));
    }
    if args.samples == 0 {
        return Err(anyhow!("`--samples` must be at least 1"));
    }
    if args.threads == Some(0) {
        return Err(anyhow!("`--threads` must be at least 1"));
    }
    if args.threads.is_some_and(|n| n > crate::MAX_THREADS) {
        return Err(anyhow!(
            "`--threads` must be at most {}",
            crate::MAX_THREADS
        ));
    }
    let settings = MonteCarloSettings {
        samples: usize::try_from(args.samples)?,
        seed: args.seed,
        histogram_bins: usize::try_from(args.bins)?.max(1),
    };
    let started = std::time::Instant::now();
    let result = atomplan_econ::monte_carlo_on_threads(
        &loaded.case,
        &loaded.mc_inputs,
        settings,
        args.threads,
    )
    .map_err(|error| anyhow!("{}: {error}", args.case.display()))?;
    printer.debug(&format!(
        "{} samples in {:.3} s",
        args.samples,
        started.elapsed().as_secs_f64()
    ));
    if result.failed > 0 {
        printer.warning(&format!(
            "{} of {} samples drew invalid inputs and were left out",
            result.failed, result.samples
        ));
    }
    let mut map = header(&loaded, &args.case);
    map.insert("samples".to_owned(), json!(result.samples));
    map.insert("seed".to_owned(), json!(result.seed));
    map.insert("failed".to_owned(), json!(result.failed));
    map.insert(
        "uncertain_inputs".to_owned(),
        serde_json::to_value(&loaded.mc_inputs)?,
    );
    map.insert("lcoe_usd_per_mwh".to_owned(), json!(result.deterministic));
    map.insert("mean_usd_per_mwh".to_owned(), json!(result.mean));
    map.insert("sd_usd_per_mwh".to_owned(), json!(result.sd));
    map.insert("min_usd_per_mwh".to_owned(), json!(result.min));
    map.insert("max_usd_per_mwh".to_owned(), json!(result.max));
    let mut percentiles = Map::new();
    for (percentile, value) in &result.percentiles {
        percentiles.insert(format!("p{percentile}"), json!(value));
    }
    map.insert(
        "percentiles_usd_per_mwh".to_owned(),
        Value::Object(percentiles),
    );
    map.insert(
        "histogram".to_owned(),
        serde_json::to_value(&result.histogram)?,
    );
    if args.values {
        map.insert("values".to_owned(), json!(result.values));
    }
    let value = finite_only(Value::Object(map));
    match global.format {
        Format::Json => printer.json(&value),
        Format::Csv => {
            let mut flat = value.clone();
            if let Value::Object(object) = &mut flat {
                if let Some(Value::Object(percentiles)) = object.remove("percentiles_usd_per_mwh") {
                    for (key, item) in percentiles {
                        object.insert(format!("{key}_usd_per_mwh"), item);
                    }
                }
            }
            print_scalars_csv(printer, &flat)?;
        }
        Format::Text => {
            let mut lines = vec![
                format!(
                    "LCOE Monte Carlo, {} samples, seed {}",
                    result.samples, result.seed
                ),
                format!(
                    "{:<24} {}",
                    "deterministic",
                    format_number(result.deterministic)
                ),
                format!("{:<24} {}", "mean", format_number(result.mean)),
                format!("{:<24} {}", "sd", format_number(result.sd)),
            ];
            for (percentile, item) in &result.percentiles {
                lines.push(format!(
                    "{:<24} {}",
                    format!("P{percentile}"),
                    format_number(*item)
                ));
            }
            printer.data(&lines.join("\n"));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn run_tornado(
    args: &TornadoArgs,
    global: &GlobalArgs,
    printer: &Printer,
) -> anyhow::Result<ExitCode> {
    let loaded = load_case(&args.case)?;
    if !(args.quantile > 0.0 && args.quantile < 0.5) {
        return Err(anyhow!(
            "`--quantile` must be in (0, 0.5), got {}",
            args.quantile
        ));
    }
    let inputs = if loaded.tornado_inputs.is_empty() {
        atomplan_econ::mc::tornado_inputs_from_distributions(
            &loaded.case,
            &loaded.mc_inputs,
            args.quantile,
        )
        .map_err(|error| anyhow!("{}: {error}", args.case.display()))?
    } else {
        loaded.tornado_inputs.clone()
    };
    if inputs.is_empty() {
        return Err(anyhow!(
            "{}: no `[[tornado.input]]` (key, low, high) or `[[mc.input]]` entries",
            args.case.display()
        ));
    }
    let result = atomplan_econ::tornado(&loaded.case, &inputs).map_err(|error| {
        let source_text = atomplan_core::input::read_to_string(&args.case).unwrap_or_default();
        let source = Source {
            path: &args.case,
            text: &source_text,
        };
        match &error {
            EconError::InvalidInput { field, .. } => source.error(
                "tornado.input",
                "key",
                &format!("`{field}` at its low or high value: {error}"),
            ),
            _ => anyhow!("{}: {error}", args.case.display()),
        }
    })?;
    let mut map = header(&loaded, &args.case);
    map.insert(
        "lcoe_usd_per_mwh".to_owned(),
        json!(result.base_lcoe_usd_per_mwh),
    );
    map.insert("bars".to_owned(), serde_json::to_value(&result.bars)?);
    let value = finite_only(Value::Object(map));
    match global.format {
        Format::Json => printer.json(&value),
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(Vec::new());
            for bar in &result.bars {
                writer.serialize(bar)?;
            }
            printer.data(&String::from_utf8(writer.into_inner()?)?);
        }
        Format::Text => {
            let mut lines = vec![format!(
                "base LCOE {} $/MWh",
                format_number(result.base_lcoe_usd_per_mwh)
            )];
            lines.push(format!(
                "{:<36} {:>14} {:>14} {:>12} {:>12} {:>10}",
                "input", "low", "high", "LCOE low", "LCOE high", "swing"
            ));
            for bar in &result.bars {
                lines.push(format!(
                    "{:<36} {:>14.4} {:>14.4} {:>12.3} {:>12.3} {:>10.3}",
                    bar.name, bar.low, bar.high, bar.lcoe_at_low, bar.lcoe_at_high, bar.swing
                ));
            }
            printer.data(&lines.join("\n"));
        }
    }
    Ok(ExitCode::SUCCESS)
}
