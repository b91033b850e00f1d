//! The econ case-file format: TOML (or the same structure as JSON) converted into [`Case`]s.
//!
//! The wire structs reject unknown keys and are converted in one place into the crate's inputs.
//! Every error names the file (or the label given for a request body), the line where the text
//! shows it, and the key. This module parses text and values only; reading files is the
//! caller's business, so the crate still does no IO.

use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::cashflow::{CashflowResult, CashflowRow};
use crate::{
    Apply, AtbInputs, Case, CashflowInputs, DebtTerms, DebtTranche, Depreciation, Distribution,
    EconError, GraceInterest, PcgeInputs, Ppa, RateStep, Refurbishment, Repayment, SpendProfile,
    TaxLosses, Timing, TornadoInput, UncertainInput,
};

/// A case file that cannot be used: the message names the file, the line where known and the
/// key; `field` is the key's dotted path (`atb.capacity_factor`) when one key is at fault.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseFileError {
    pub message: String,
    pub field: Option<String>,
}

impl CaseFileError {
    fn new(message: String) -> Self {
        Self {
            message,
            field: None,
        }
    }
}

impl fmt::Display for CaseFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CaseFileError {}

impl From<serde_json::Error> for CaseFileError {
    fn from(error: serde_json::Error) -> Self {
        Self::new(format!("cannot write the result as JSON: {error}"))
    }
}

#[cfg(test)]
mod tests;

macro_rules! err {
    ($($arg:tt)*) => { CaseFileError::new(format!($($arg)*)) };
}

/// Parses and checks a case given as a JSON value with the case file's structure (the HTTP API
/// and the Python package); `label` names it in messages.
pub fn parse_case_json(label: &str, value: &Value) -> Result<LoadedCase, CaseFileError> {
    let wire: CaseFileWire = serde_path_to_error::deserialize(value.clone()).map_err(|error| {
        // The path of the key at fault (`atb.capacity_factr`, `mc.input[0].min`); a missing
        // key is reported at its table, so its name is added.
        let inner = error.inner().to_string();
        let mut path = error.path().to_string();
        if let Some(missing) = inner
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next())
        {
            path = if path == "." {
                missing.to_owned()
            } else {
                format!("{path}.{missing}")
            };
        }
        if path == "." {
            err!("{label}: {inner}")
        } else {
            CaseFileError {
                message: format!("{label}: field `{path}`: {inner}"),
                field: Some(path),
            }
        }
    })?;
    loaded_case(
        &Source {
            path: Path::new(label),
            text: "",
        },
        wire,
    )
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
pub enum SpendProfileWire {
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

pub fn one() -> f64 {
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
pub struct LoadedCase {
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
pub struct Source<'a> {
    pub path: &'a Path,
    pub text: &'a str,
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

    pub fn error(&self, table: &str, key: &str, message: &str) -> CaseFileError {
        let file = self.path.display();
        let qualified = if table.is_empty() {
            format!("`{key}`")
        } else {
            format!("`[{table}].{key}`")
        };
        let mut error = match self.line_of(table, key) {
            Some(line) => err!("{file}:{line}: {qualified} {message}"),
            None => err!("{file}: {qualified} {message}"),
        };
        error.field = Some(if table.is_empty() {
            key.to_owned()
        } else {
            format!("{table}.{key}")
        });
        error
    }

    pub fn econ_error(&self, table: &str, error: &EconError) -> CaseFileError {
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
            other => err!("{}: {other}", self.path.display()),
        }
    }
}

pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rfind('\n')
        .map_or(before.len(), |idx| before.len() - idx - 1)
        + 1;
    (line, column)
}

/// Parses and checks a case file's text (`path` names it in messages).
pub fn parse_case(path: &Path, text: &str) -> Result<LoadedCase, CaseFileError> {
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
                    err!(
                        "{}:{line}:{column}: {message} in `{header}`",
                        path.display()
                    )
                } else {
                    err!("{}:{line}:{column}: {message}", path.display())
                }
            }
            None => err!("{}: {message}", path.display()),
        }
    })?;
    loaded_case(&source, wire)
}

/// Checks a parsed case file and converts it into inputs.
fn loaded_case(source: &Source, wire: CaseFileWire) -> Result<LoadedCase, CaseFileError> {
    let path = source.path;
    let present = [
        ("atb", wire.atb.is_some()),
        ("pcge", wire.pcge.is_some()),
        ("cashflow", wire.cashflow.is_some()),
    ];
    let (case, table) = match wire.method {
        MethodWire::Atb => {
            let atb = wire.atb.ok_or_else(|| {
                err!(
                    "{}: `method = \"atb\"` needs an `[atb]` table",
                    path.display()
                )
            })?;
            (Case::Atb(atb_inputs(source, atb)?), "atb")
        }
        MethodWire::Pcge => {
            let pcge = wire.pcge.ok_or_else(|| {
                err!(
                    "{}: `method = \"pcge\"` needs a `[pcge]` table",
                    path.display()
                )
            })?;
            (Case::Pcge(pcge_inputs(source, pcge)?), "pcge")
        }
        MethodWire::Cashflow => {
            let cashflow = wire.cashflow.ok_or_else(|| {
                err!(
                    "{}: `method = \"cashflow\"` needs a `[cashflow]` table",
                    path.display()
                )
            })?;
            (
                Case::Cashflow(Box::new(cashflow_inputs(source, cashflow)?)),
                "cashflow",
            )
        }
    };
    for (other, is_present) in present {
        if is_present && other != table {
            return Err(err!(
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
            .map(|input| uncertain_input(source, input))
            .collect::<Result<Vec<_>, CaseFileError>>()?,
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
            .collect::<Result<Vec<_>, CaseFileError>>()?,
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

fn depreciation(source: &Source, table: &str, text: &str) -> Result<Depreciation, CaseFileError> {
    text.parse::<Depreciation>()
        .map_err(|error| source.econ_error(table, &error))
}

fn atb_inputs(source: &Source, wire: AtbWire) -> Result<AtbInputs, CaseFileError> {
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

pub fn spend_profile(
    source: &Source,
    table: &str,
    wire: Option<SpendProfileWire>,
) -> Result<SpendProfile, CaseFileError> {
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

fn pcge_inputs(source: &Source, wire: PcgeWire) -> Result<PcgeInputs, CaseFileError> {
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

pub fn repayment(
    source: &Source,
    table: &str,
    key: &str,
    text: Option<&str>,
) -> Result<Repayment, CaseFileError> {
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

pub fn grace_interest(
    source: &Source,
    table: &str,
    key: &str,
    text: Option<&str>,
) -> Result<GraceInterest, CaseFileError> {
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

fn cashflow_inputs(source: &Source, wire: CashflowWire) -> Result<CashflowInputs, CaseFileError> {
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
                return Err(err!(
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

fn uncertain_input(source: &Source, wire: &UncertainWire) -> Result<UncertainInput, CaseFileError> {
    let table = "mc.input";
    let need = |value: Option<f64>, parameter: &str| -> Result<f64, CaseFileError> {
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
pub fn finite_only(value: Value) -> Value {
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

/// The case's identity and provenance, the first keys of every JSON result.
pub fn header(loaded: &LoadedCase, path: &Path) -> Map<String, Value> {
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

pub fn lcoe_json(
    loaded: &LoadedCase,
    path: &Path,
) -> Result<(Value, Option<Vec<CashflowRow>>), CaseFileError> {
    let source_error = |error: EconError| err!("{}: {error}", path.display());
    let mut map = header(loaded, path);
    let mut rows = None;
    let result = match &loaded.case {
        Case::Atb(inputs) => serde_json::to_value(crate::atb_lcoe(inputs).map_err(source_error)?)?,
        Case::Pcge(inputs) => {
            serde_json::to_value(crate::pcge_lcoe(inputs).map_err(source_error)?)?
        }
        Case::Cashflow(inputs) => {
            let result: CashflowResult = crate::cashflow(inputs).map_err(source_error)?;
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

fn case_inputs_json(case: &Case) -> Result<Value, CaseFileError> {
    Ok(match case {
        Case::Atb(inputs) => serde_json::to_value(inputs)?,
        Case::Pcge(inputs) => serde_json::to_value(inputs)?,
        Case::Cashflow(inputs) => serde_json::to_value(inputs.as_ref())?,
    })
}
