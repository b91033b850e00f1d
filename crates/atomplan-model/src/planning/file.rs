//! The planning file (TOML): wire types, parsing and validation.
//!
//! A planning file sits next to a PyPSA folder and switches on the nuclear-aware extensions
//! (see docs/planning-file.md for every key).
//! Parsing goes through wire structs with `deny_unknown_fields`; [`validate`] then checks each
//! concern separately and reports every problem as a [`Diagnostic`] naming the file and the
//! dotted key, so that a user sees all mistakes at once.

use std::collections::BTreeMap;

use atomplan_core::{Diagnostic, Location};
use serde::Deserialize;

/// The whole file. Every section is optional: an empty file switches every extension off.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanningFile {
    #[serde(default)]
    pub solver: SolverWire,
    pub aggregation: Option<AggregationWire>,
    pub investment: Option<InvestmentWire>,
    #[serde(default)]
    pub areas: Vec<AreaWire>,
    /// Keyed by the PyPSA generator name.
    #[serde(default)]
    pub units: BTreeMap<String, UnitWire>,
    /// Keyed by the PyPSA storage unit name.
    #[serde(default)]
    pub storage: BTreeMap<String, StorageWire>,
    /// Keyed by vendor name, referenced by `units.<name>.vendor`.
    #[serde(default)]
    pub vendors: BTreeMap<String, VendorWire>,
    /// `[[capacity_limits]]`: least and most capacity of a group of generators from a year on
    /// (capacity targets, committed builds, phase-outs).
    #[serde(default)]
    pub capacity_limits: Vec<CapacityLimitWire>,
    /// `[[energy_limits]]`: most fuel (or any resource) a group of generators may use per year
    /// (fuel-supply limits such as the gas available for power).
    #[serde(default)]
    pub energy_limits: Vec<EnergyLimitWire>,
}

/// `[[capacity_limits]]`: `min_mw <= Σ capacity of generators <= max_mw` in every period from
/// `from_year` on (every period without an `[investment]` section).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapacityLimitWire {
    /// Name used in row names and messages, e.g. `nuclear-target`.
    pub name: String,
    /// Generator names in the group.
    pub generators: Vec<String>,
    /// First period year the limit applies to; default: every period.
    pub from_year: Option<i32>,
    /// Least total capacity, MW.
    pub min_mw: Option<f64>,
    /// Most total capacity, MW.
    pub max_mw: Option<f64>,
}

/// `[[energy_limits]]`: `Σ_g use_g · Σ_t w_t p_{g,t} <= max_per_year[period]` (annual, with the
/// hour weights that make a period's operation annual).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnergyLimitWire {
    /// Name used in row names and messages, e.g. `gas-supply`.
    pub name: String,
    /// Use of the resource per MWh of output, by generator name (e.g. bcm of gas per MWh).
    pub use_per_mwh: BTreeMap<String, f64>,
    /// Most use per year in each period (same length as `investment.periods`, or one value
    /// without investment periods); `inf` leaves a period unlimited.
    pub max_per_year: Vec<f64>,
}

/// `[solver]`: MILP controls, reported back in the result.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SolverWire {
    /// Relative MIP gap at which HiGHS stops. Absent means the core's (0: branch and bound to
    /// the optimum), so that a planning file that sets nothing gives the core's answer.
    pub mip_rel_gap: Option<f64>,
    /// Wall-clock limit in seconds; absent means none.
    pub time_limit: Option<f64>,
    /// Solve the linear relaxation: integer units and commitment become continuous.
    #[serde(default)]
    pub relax_integers: bool,
    /// HiGHS threads. Default 1 (reproducible).
    #[serde(default = "default_threads")]
    pub threads: u32,
    /// Compute marginal prices (for a MILP: one more LP solve with the integers fixed).
    /// Default true.
    #[serde(default = "default_prices")]
    pub prices: bool,
    /// HiGHS options set by the caller (`atomplan solve --solver-option`), not by the file;
    /// applied after the defaults.
    #[serde(skip)]
    pub highs_options: Vec<(String, String)>,
    /// Write the model in CPLEX LP format here before solving (`atomplan solve --write-lp`).
    #[serde(skip)]
    pub write_lp: Option<std::path::PathBuf>,
    /// HiGHS's log on stderr (`atomplan solve -vv`).
    #[serde(skip)]
    pub log_to_console: bool,
}

fn default_prices() -> bool {
    true
}

fn default_threads() -> u32 {
    1
}

impl Default for SolverWire {
    fn default() -> Self {
        SolverWire {
            mip_rel_gap: None,
            time_limit: None,
            relax_integers: false,
            threads: default_threads(),
            prices: true,
            highs_options: Vec::new(),
            write_lp: None,
            log_to_console: false,
        }
    }
}

/// How representative periods are chosen (`aggregation.method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AggregationMethod {
    /// k-medoids with a seed (default).
    #[default]
    Kmedoids,
    /// Ward's hierarchical clustering.
    Ward,
}

/// Length of a representative period (`aggregation.period`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AggregationPeriod {
    #[default]
    Day,
    Week,
}

impl AggregationPeriod {
    pub fn hours(self) -> usize {
        match self {
            AggregationPeriod::Day => 24,
            AggregationPeriod::Week => 168,
        }
    }
}

/// State of charge across representative periods (`aggregation.storage`,
/// `storage.<name>.linking`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StorageLinking {
    /// An inter-period state of charge per original period (Kotzur et al. 2018).
    #[default]
    Linked,
    /// Each representative period starts and ends at the same state of charge.
    Cyclic,
}

/// How a unit runs (`units.<name>.operation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    #[default]
    Flexible,
    /// Committable, with a minimum stable load and ramp limits.
    LoadFollowing,
    /// Runs at its available output.
    MustRun,
}

/// Refuelling outages of a design's units (`units.<name>.refuelling.schedule`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefuellingSchedule {
    /// At most one unit of the design off-line at a time.
    #[default]
    Staggered,
    /// All units off-line together.
    Simultaneous,
}

/// `[aggregation]`: representative periods.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AggregationWire {
    /// `kmedoids` (default) or `ward`.
    #[serde(default)]
    pub method: AggregationMethod,
    /// `day` (default) or `week`.
    #[serde(default)]
    pub period: AggregationPeriod,
    pub representatives: usize,
    #[serde(default)]
    pub seed: u64,
    /// State of charge across representative periods: `linked` (default: an inter-period state
    /// of charge per original period, Kotzur et al. 2018) or `cyclic` (each representative
    /// period starts and ends at the same state of charge).
    #[serde(default)]
    pub storage: StorageLinking,
}

/// `[storage.<name>]`: planning attributes of one PyPSA storage unit.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageWire {
    /// `linked` or `cyclic`; default `aggregation.storage`.
    pub linking: Option<StorageLinking>,
    /// Multi-period: a unit built in period p counts in every period starting before
    /// p + lifetime; default unlimited.
    pub lifetime_years: Option<f64>,
    /// Share of the power capacity counted in the planning reserve margin; default 0.
    pub capacity_credit: Option<f64>,
}

/// `[investment]`: multi-period planning.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvestmentWire {
    /// Year to which costs are discounted, and the year decisions are taken
    /// (a design's first commissioning is at least `decision_year + lead_time_years`).
    pub decision_year: i32,
    /// First year of each investment period, increasing.
    pub periods: Vec<i32>,
    /// Real discount rate per year, e.g. 0.05.
    pub discount_rate: f64,
    /// Last year covered by the final period (default: last period start + the mean period length, or +5).
    pub end_year: Option<i32>,
    /// Multiplier on every load in each period (same length as `periods`); default 1.
    pub load_scale: Option<Vec<f64>>,
    /// Most CO2 emitted in one year of each period, t (same length as `periods`); `inf` leaves a
    /// period uncapped; default: no cap.
    #[serde(default)]
    pub co2_cap_t: Option<Vec<f64>>,
}

/// `[[areas]]`: a synchronous area with its reserves.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreaWire {
    pub name: String,
    /// PyPSA bus names in the area.
    pub buses: Vec<String>,
    /// Require an upward contingency reserve of at least the largest unit online (N-1).
    #[serde(default)]
    pub n1_reserve: bool,
    /// Reserve the interconnectors may bring in, MW. Default 0.
    #[serde(default)]
    pub interconnector_reserve_mw: f64,
    /// Planning reserve margin over the area's peak load, e.g. 0.15; absent means none.
    pub reserve_margin: Option<f64>,
    /// Reserve margin per investment period (overrides `reserve_margin`; same length as
    /// `investment.periods`).
    pub reserve_margin_by_period: Option<Vec<f64>>,
    /// Peak load of the area per investment period, MW, for the reserve margin; default the
    /// highest modelled hour (which representative periods may miss).
    pub peak_mw: Option<Vec<f64>>,
}

/// `[units.<generator>]`: nuclear and integer-unit attributes of one PyPSA generator.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitWire {
    /// Unit (module) size; the generator is then built and committed in whole units.
    pub unit_size_mw: Option<f64>,
    /// Most units that may exist at once (new and existing).
    pub max_units: Option<u32>,
    /// Units already there at the start.
    #[serde(default)]
    pub existing_units: u32,
    /// Year the existing units retire (first year they are gone).
    pub retire_year: Option<i32>,
    /// Year the existing capacity enters service (committed or under-construction plants);
    /// periods before it do not have it. Default: there from the start.
    pub online_year: Option<i32>,
    /// Multi-period: fixed O&M of the existing capacity, USD per kW-yr, paid in every period
    /// in which it is kept.
    #[serde(default)]
    pub existing_fixed_om_usd_per_kw_year: f64,
    /// Multi-period: the existing capacity may be retired early (once retired, it stays
    /// retired), saving its fixed O&M; default false (kept until `retire_year`).
    #[serde(default)]
    pub retirable: bool,
    /// Multi-period: marginal cost per period (same length as `investment.periods`), replacing
    /// the generator's `marginal_cost` (e.g. a CO2 price that rises over the horizon).
    pub marginal_cost_by_period: Option<Vec<f64>>,
    /// Multi-period: most new capacity commissioned per year (a build-rate limit), MW; the
    /// limit of a period is this times the years since the previous period (or since
    /// `investment.decision_year` for the first).
    pub max_build_mw_per_year: Option<f64>,
    /// Unit commitment with integer committed units.
    #[serde(default)]
    pub committable: bool,
    /// Minimum stable load, per unit of the committed capacity.
    #[serde(default)]
    pub min_stable_load: f64,
    /// Ramp limit up and down, per unit of capacity per hour; absent means no limit.
    pub ramp_rate: Option<f64>,
    /// Ramp limit down when it differs from `ramp_rate` (PyPSA's `ramp_limit_down`).
    pub ramp_rate_down: Option<f64>,
    /// Committable units: the most a unit may produce in the hour it starts, per unit of its
    /// size (PyPSA's `ramp_limit_start_up`); default 1.
    pub ramp_rate_start_up: Option<f64>,
    /// Committable units: the most a unit may produce in the hour before it shuts down, per
    /// unit of its size (PyPSA's `ramp_limit_shut_down`); default 1.
    pub ramp_rate_shut_down: Option<f64>,
    pub start_up_cost: Option<f64>,
    /// USD per shut-down of one unit.
    pub shut_down_cost: Option<f64>,
    /// USD per hour that one unit is committed, whatever its output (PyPSA's `stand_by_cost`).
    pub stand_by_cost: Option<f64>,
    /// Hours a unit stays on once started (PyPSA's `min_up_time`); 0 or 1 means no limit.
    #[serde(default)]
    pub min_up_time: u32,
    /// Hours a unit stays off once shut down (PyPSA's `min_down_time`).
    #[serde(default)]
    pub min_down_time: u32,
    /// Hours the units have been up before the first snapshot (PyPSA's `up_time_before`,
    /// default 1); used only when the snapshots are the real year in one block.
    pub up_time_before: Option<u32>,
    /// Hours the units have been down before the first snapshot (PyPSA's `down_time_before`,
    /// default 0); a positive value overrides `up_time_before`.
    #[serde(default)]
    pub down_time_before: u32,
    /// `flexible` (default), `load_following` (committable, min stable load, ramp) or
    /// `must_run` (runs at its available output).
    pub operation: Option<Operation>,
    /// Whether the loss of one unit sets the N-1 reserve; default true when `unit_size_mw` is set.
    pub contingency: Option<bool>,
    /// Share of capacity counted in the planning reserve margin; default 1.
    pub capacity_credit: Option<f64>,
    /// Share of capacity per hour that can be offered as reserve (response limit); default `ramp_rate` or 1.
    pub reserve_ramp: Option<f64>,
    pub refuelling: Option<RefuellingWire>,
    /// Multi-period cost: overnight cost, USD per kWe.
    pub overnight_cost_usd_per_kw: Option<f64>,
    /// Fixed O&M, USD per kWe and year.
    #[serde(default)]
    pub fixed_om_usd_per_kw_year: f64,
    /// Economic lifetime of new units, years.
    pub lifetime_years: Option<f64>,
    /// Earliest year a first unit can start operating (licensing, country readiness).
    pub earliest_year: Option<i32>,
    /// Construction time, years: a unit commissioned in year y was decided in y - lead time.
    #[serde(default)]
    pub lead_time_years: f64,
    /// Interest rate during construction; default the investment discount rate.
    pub construction_interest_rate: Option<f64>,
    /// Most new units commissioned per investment period.
    pub max_units_per_period: Option<u32>,
    /// Vendor whose learning steps set the overnight cost (`[vendors.<name>]`).
    pub vendor: Option<String>,
}

impl UnitWire {
    /// Whether the unit sets only what annotates a unit the network already defines (its
    /// credit, whether it is a contingency, its reserve ramp, its refuelling), not the unit.
    pub fn annotates_only(&self) -> bool {
        UnitWire {
            capacity_credit: None,
            contingency: None,
            reserve_ramp: None,
            refuelling: None,
            ..self.clone()
        } == UnitWire::default()
    }
}

/// `refuelling = { ... }` of a unit.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefuellingWire {
    /// Months between refuellings of one unit, e.g. 18.
    pub cycle_months: f64,
    /// Days one unit is off-line per refuelling, e.g. 30.
    pub outage_days: f64,
    /// `staggered` (default: at most one unit of the design off-line at a time) or
    /// `simultaneous` (all units off-line together).
    #[serde(default)]
    pub schedule: RefuellingSchedule,
    /// Let the optimiser choose which representative periods hold the refuelling season;
    /// default false: the lowest-load periods.
    #[serde(default)]
    pub optimise: bool,
    /// Days per year during which an outage is under way; default `outage_days * 12 / cycle_months`
    /// for `simultaneous`, times `max_units` for `staggered`.
    pub season_days: Option<f64>,
}

/// `[vendors.<name>]`: FOAK to NOAK learning as piecewise cost steps.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VendorWire {
    /// Cost steps in the order units are built; every step but the last has `units`.
    pub learning: Vec<LearningStepWire>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LearningStepWire {
    /// Units in this step (absent on the last step: unlimited).
    pub units: Option<u32>,
    pub overnight_cost_usd_per_kw: f64,
}

/// Parse a planning file's text. A TOML error becomes one diagnostic with the line and column.
pub fn parse(text: &str, file: &str) -> Result<PlanningFile, Vec<Diagnostic>> {
    toml::from_str::<PlanningFile>(text).map_err(|e| {
        let mut loc = Location::file(file);
        if let Some(span) = e.span() {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
            loc = loc.with_line(line).with_column(column);
            if let Some(key) = dotted_key(text, line) {
                loc = loc.with_field(key);
            }
        }
        vec![Diagnostic::error(loc, e.message().trim().to_string())]
    })
}

/// The dotted key assigned on line `line` (1-based) of a TOML text: the table header above it
/// and the key before `=`, e.g. `aggregation.storage`; `None` when the line assigns nothing.
fn dotted_key(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let here = lines.get(line.checked_sub(1)?)?.trim();
    let (key, _) = here.split_once('=')?;
    let key = key.trim().trim_matches('"');
    if key.is_empty() || key.starts_with('[') {
        return None;
    }
    let table = lines[..line - 1].iter().rev().find_map(|l| {
        let l = l.trim();
        l.starts_with('[').then(|| {
            l.trim_start_matches('[')
                .trim_end_matches(']')
                .trim()
                .to_owned()
        })
    });
    Some(match table {
        Some(table) if !table.is_empty() => format!("{table}.{key}"),
        _ => key.to_owned(),
    })
}

/// Check every concern of a parsed file; returns all problems found (errors and warnings).
pub fn validate(plan: &PlanningFile, file: &str) -> Vec<Diagnostic> {
    let periods = plan.investment.as_ref().map_or(1, |i| i.periods.len());
    check(plan, file, periods, false)
}

/// [`validate`] for a network with investment periods, which sets the periods instead of
/// `[investment]` (the per-period lists `max_per_year`, `reserve_margin_by_period`, `peak_mw`
/// and `marginal_cost_by_period` must have `periods` values) and the unit sizes instead of
/// `unit_size_mw` (its `p_nom_mod` modules, or a committable generator's `p_nom`), so
/// `refuelling` does not ask for `unit_size_mw`.
pub fn validate_for_network_periods(
    plan: &PlanningFile,
    file: &str,
    periods: usize,
) -> Vec<Diagnostic> {
    check(plan, file, periods, true)
}

fn check(
    plan: &PlanningFile,
    file: &str,
    periods: usize,
    sizes_from_network: bool,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    check_solver(plan, file, &mut out);
    check_aggregation(plan, file, &mut out);
    check_investment(plan, file, &mut out);
    check_areas(plan, file, periods, &mut out);
    check_units(plan, file, periods, sizes_from_network, &mut out);
    check_storage(plan, file, &mut out);
    check_vendors(plan, file, &mut out);
    check_capacity_limits(plan, file, &mut out);
    check_energy_limits(plan, file, periods, &mut out);
    out
}

fn check_capacity_limits(plan: &PlanningFile, file: &str, out: &mut Vec<Diagnostic>) {
    for (i, l) in plan.capacity_limits.iter().enumerate() {
        let key = format!("capacity_limits[{i}]");
        if l.generators.is_empty() {
            err(
                out,
                file,
                &format!("{key}.generators"),
                "must list at least one generator".into(),
            );
        }
        if l.min_mw.is_none() && l.max_mw.is_none() {
            err(
                out,
                file,
                &key,
                format!("`{}` sets neither `min_mw` nor `max_mw`", l.name),
            );
        }
        for (field, v) in [("min_mw", l.min_mw), ("max_mw", l.max_mw)] {
            if let Some(v) = v {
                check_range(out, file, &format!("{key}.{field}"), v, 0.0, 1e9);
            }
        }
        if let (Some(lo), Some(hi)) = (l.min_mw, l.max_mw) {
            if lo > hi {
                err(
                    out,
                    file,
                    &format!("{key}.min_mw"),
                    format!("`{}`: min_mw {lo} is above max_mw {hi}", l.name),
                );
            }
        }
    }
}

fn check_energy_limits(plan: &PlanningFile, file: &str, periods: usize, out: &mut Vec<Diagnostic>) {
    for (i, l) in plan.energy_limits.iter().enumerate() {
        let key = format!("energy_limits[{i}]");
        if l.use_per_mwh.is_empty() {
            err(
                out,
                file,
                &format!("{key}.use_per_mwh"),
                "must list at least one generator".into(),
            );
        }
        for (g, &v) in &l.use_per_mwh {
            if !v.is_finite() || v < 0.0 {
                err(
                    out,
                    file,
                    &format!("{key}.use_per_mwh.{g}"),
                    format!("must be >= 0, got {v}"),
                );
            }
        }
        if l.max_per_year.len() != periods {
            err(
                out,
                file,
                &format!("{key}.max_per_year"),
                format!(
                    "has {} values but there are {periods} periods",
                    l.max_per_year.len()
                ),
            );
        }
        for (k, &v) in l.max_per_year.iter().enumerate() {
            if v.is_nan() || v < 0.0 {
                err(
                    out,
                    file,
                    &format!("{key}.max_per_year[{k}]"),
                    format!("must be >= 0 (or inf), got {v}"),
                );
            }
        }
    }
}

fn err(out: &mut Vec<Diagnostic>, file: &str, field: &str, message: String) {
    out.push(Diagnostic::error(
        Location::file(file).with_field(field),
        message,
    ));
}

fn check_range(out: &mut Vec<Diagnostic>, file: &str, field: &str, value: f64, lo: f64, hi: f64) {
    if !value.is_finite() || value < lo || value > hi {
        err(
            out,
            file,
            field,
            format!("must be between {lo} and {hi}, got {value}"),
        );
    }
}

fn check_positive(out: &mut Vec<Diagnostic>, file: &str, field: &str, value: f64) {
    if !value.is_finite() || value <= 0.0 {
        err(out, file, field, format!("must be positive, got {value}"));
    }
}

fn check_solver(plan: &PlanningFile, file: &str, out: &mut Vec<Diagnostic>) {
    if let Some(gap) = plan.solver.mip_rel_gap {
        check_range(out, file, "solver.mip_rel_gap", gap, 0.0, 1.0);
    }
    if let Some(t) = plan.solver.time_limit {
        check_positive(out, file, "solver.time_limit", t);
    }
    if plan.solver.threads == 0 {
        err(out, file, "solver.threads", "must be at least 1".into());
    }
}

fn check_aggregation(plan: &PlanningFile, file: &str, out: &mut Vec<Diagnostic>) {
    let Some(a) = &plan.aggregation else { return };
    if a.representatives == 0 {
        err(
            out,
            file,
            "aggregation.representatives",
            "must be at least 1".into(),
        );
    }
}

fn check_storage(plan: &PlanningFile, file: &str, out: &mut Vec<Diagnostic>) {
    for (name, s) in &plan.storage {
        if let Some(l) = s.lifetime_years {
            check_positive(out, file, &format!("storage.{name}.lifetime_years"), l);
        }
        if let Some(c) = s.capacity_credit {
            check_range(
                out,
                file,
                &format!("storage.{name}.capacity_credit"),
                c,
                0.0,
                1.0,
            );
        }
    }
}

fn check_investment(plan: &PlanningFile, file: &str, out: &mut Vec<Diagnostic>) {
    let Some(inv) = &plan.investment else { return };
    if inv.periods.is_empty() {
        err(
            out,
            file,
            "investment.periods",
            "must list at least one year".into(),
        );
    }
    if inv.periods.windows(2).any(|w| w[1] <= w[0]) {
        err(
            out,
            file,
            "investment.periods",
            "years must be strictly increasing".into(),
        );
    }
    if inv.periods.first().is_some_and(|&y| y < inv.decision_year) {
        err(
            out,
            file,
            "investment.periods",
            format!(
                "the first period starts before `decision_year` {}",
                inv.decision_year
            ),
        );
    }
    check_range(
        out,
        file,
        "investment.discount_rate",
        inv.discount_rate,
        -0.5,
        1.0,
    );
    if let Some(ls) = &inv.load_scale {
        if ls.len() != inv.periods.len() {
            err(
                out,
                file,
                "investment.load_scale",
                format!(
                    "has {} values but `periods` has {}",
                    ls.len(),
                    inv.periods.len()
                ),
            );
        }
        for (i, &v) in ls.iter().enumerate() {
            check_range(
                out,
                file,
                &format!("investment.load_scale[{i}]"),
                v,
                0.0,
                100.0,
            );
        }
    }
    if let Some(caps) = &inv.co2_cap_t {
        if caps.len() != inv.periods.len() {
            err(
                out,
                file,
                "investment.co2_cap_t",
                format!(
                    "has {} values but `periods` has {}",
                    caps.len(),
                    inv.periods.len()
                ),
            );
        }
        for (i, &v) in caps.iter().enumerate() {
            if v.is_nan() || v < 0.0 {
                err(
                    out,
                    file,
                    &format!("investment.co2_cap_t[{i}]"),
                    format!("must be >= 0 t (or inf for no cap), got {v}"),
                );
            }
        }
    }
    if let (Some(end), Some(&last)) = (inv.end_year, inv.periods.last()) {
        if end <= last {
            err(
                out,
                file,
                "investment.end_year",
                format!("must be after the last period {last}"),
            );
        }
    }
}

fn check_areas(plan: &PlanningFile, file: &str, periods: usize, out: &mut Vec<Diagnostic>) {
    let mut seen_bus: BTreeMap<&str, &str> = BTreeMap::new();
    for (i, a) in plan.areas.iter().enumerate() {
        let key = format!("areas[{i}]");
        if a.buses.is_empty() {
            err(
                out,
                file,
                &format!("{key}.buses"),
                "must list at least one bus".into(),
            );
        }
        for b in &a.buses {
            if let Some(other) = seen_bus.insert(b, &a.name) {
                err(
                    out,
                    file,
                    &format!("{key}.buses"),
                    format!("bus `{b}` is already in area `{other}`"),
                );
            }
        }
        if plan.areas[..i].iter().any(|o| o.name == a.name) {
            err(
                out,
                file,
                &format!("{key}.name"),
                format!("duplicate area `{}`", a.name),
            );
        }
        if !a.interconnector_reserve_mw.is_finite() || a.interconnector_reserve_mw < 0.0 {
            err(
                out,
                file,
                &format!("{key}.interconnector_reserve_mw"),
                format!("must be >= 0, got {}", a.interconnector_reserve_mw),
            );
        }
        if let Some(m) = a.reserve_margin {
            check_range(out, file, &format!("{key}.reserve_margin"), m, 0.0, 5.0);
        }
        for (field, values) in [
            ("reserve_margin_by_period", &a.reserve_margin_by_period),
            ("peak_mw", &a.peak_mw),
        ] {
            let Some(values) = values else { continue };
            if values.len() != periods {
                err(
                    out,
                    file,
                    &format!("{key}.{field}"),
                    format!(
                        "has {} values but there are {periods} periods",
                        values.len()
                    ),
                );
            }
            for (k, &v) in values.iter().enumerate() {
                let hi = if field == "peak_mw" { 1e9 } else { 5.0 };
                check_range(out, file, &format!("{key}.{field}[{k}]"), v, 0.0, hi);
            }
        }
    }
}

fn check_units(
    plan: &PlanningFile,
    file: &str,
    periods: usize,
    sizes_from_network: bool,
    out: &mut Vec<Diagnostic>,
) {
    for (name, u) in &plan.units {
        let key = |f: &str| format!("units.{name}.{f}");
        if let Some(s) = u.unit_size_mw {
            check_positive(out, file, &key("unit_size_mw"), s);
        } else {
            for (set, field) in [
                (u.max_units.is_some(), "max_units"),
                (u.existing_units > 0, "existing_units"),
                (u.max_units_per_period.is_some(), "max_units_per_period"),
            ] {
                if set {
                    err(out, file, &key(field), "needs `unit_size_mw`".into());
                }
            }
        }
        if let Some(m) = u.max_units {
            if m < u.existing_units {
                err(
                    out,
                    file,
                    &key("max_units"),
                    format!("is below `existing_units` {}", u.existing_units),
                );
            }
        }
        check_range(
            out,
            file,
            &key("min_stable_load"),
            u.min_stable_load,
            0.0,
            1.0,
        );
        if let Some(r) = u.ramp_rate {
            check_range(out, file, &key("ramp_rate"), r, 0.0, 1.0);
        }
        for (name, value) in [
            ("ramp_rate_down", u.ramp_rate_down),
            ("ramp_rate_start_up", u.ramp_rate_start_up),
            ("ramp_rate_shut_down", u.ramp_rate_shut_down),
        ] {
            if let Some(r) = value {
                check_range(out, file, &key(name), r, 0.0, 1.0);
            }
        }
        if let Some(r) = u.reserve_ramp {
            check_range(out, file, &key("reserve_ramp"), r, 0.0, 1.0);
        }
        if let Some(c) = u.capacity_credit {
            check_range(out, file, &key("capacity_credit"), c, 0.0, 1.0);
        }
        check_range(
            out,
            file,
            &key("existing_fixed_om_usd_per_kw_year"),
            u.existing_fixed_om_usd_per_kw_year,
            0.0,
            1e5,
        );
        if u.retirable && u.unit_size_mw.is_some() {
            err(
                out,
                file,
                &key("retirable"),
                "early retirement is modelled for generators without `unit_size_mw` only".into(),
            );
        }
        if let Some(costs) = &u.marginal_cost_by_period {
            if costs.len() != periods {
                err(
                    out,
                    file,
                    &key("marginal_cost_by_period"),
                    format!("has {} values but there are {periods} periods", costs.len()),
                );
            }
            for (k, &c) in costs.iter().enumerate() {
                if !c.is_finite() {
                    err(
                        out,
                        file,
                        &format!("{}[{k}]", key("marginal_cost_by_period")),
                        format!("must be finite, got {c}"),
                    );
                }
            }
        }
        if let Some(r) = u.max_build_mw_per_year {
            check_range(out, file, &key("max_build_mw_per_year"), r, 0.0, 1e9);
        }
        if let (Some(on), Some(off)) = (u.online_year, u.retire_year) {
            if off <= on {
                err(
                    out,
                    file,
                    &key("retire_year"),
                    format!("retire_year {off} is not after online_year {on}"),
                );
            }
        }
        if let Some(c) = u.shut_down_cost {
            check_range(out, file, &key("shut_down_cost"), c, 0.0, f64::MAX);
        }
        if (u.min_up_time > 1 || u.min_down_time > 1) && !u.committable {
            err(
                out,
                file,
                &key("min_up_time"),
                "`min_up_time` and `min_down_time` need `committable = true`".into(),
            );
        }
        if let Some(c) = u.start_up_cost {
            check_range(out, file, &key("start_up_cost"), c, 0.0, f64::MAX);
        }
        if let Some(c) = u.stand_by_cost {
            check_range(out, file, &key("stand_by_cost"), c, 0.0, f64::MAX);
        }
        if let Some(op) = u.operation {
            if op == Operation::LoadFollowing && !u.committable {
                out.push(
                    Diagnostic::warning(
                        Location::file(file).with_field(key("operation")),
                        "`load_following` without `committable = true` ignores the minimum stable load when the unit is off",
                    )
                    .with_hint("set `committable = true` to let units switch off"),
                );
            }
        }
        if u.committable && u.unit_size_mw.is_none() {
            err(
                out,
                file,
                &key("committable"),
                "needs `unit_size_mw` (the size of one committed unit)".into(),
            );
        }
        if let Some(r) = &u.refuelling {
            check_positive(out, file, &key("refuelling.cycle_months"), r.cycle_months);
            check_positive(out, file, &key("refuelling.outage_days"), r.outage_days);
            if r.outage_days.is_finite()
                && r.cycle_months.is_finite()
                && r.outage_days >= r.cycle_months * 30.44
            {
                err(
                    out,
                    file,
                    &key("refuelling.outage_days"),
                    "must be shorter than the cycle".into(),
                );
            }
            if let Some(d) = r.season_days {
                check_range(out, file, &key("refuelling.season_days"), d, 0.0, 366.0);
            }
            if u.unit_size_mw.is_none() && !sizes_from_network {
                err(out, file, &key("refuelling"), "needs `unit_size_mw`".into());
            }
        }
        if let Some(c) = u.overnight_cost_usd_per_kw {
            check_range(out, file, &key("overnight_cost_usd_per_kw"), c, 0.0, 1e6);
        }
        check_range(
            out,
            file,
            &key("fixed_om_usd_per_kw_year"),
            u.fixed_om_usd_per_kw_year,
            0.0,
            1e5,
        );
        if let Some(l) = u.lifetime_years {
            check_positive(out, file, &key("lifetime_years"), l);
        }
        check_range(
            out,
            file,
            &key("lead_time_years"),
            u.lead_time_years,
            0.0,
            50.0,
        );
        if let Some(r) = u.construction_interest_rate {
            check_range(out, file, &key("construction_interest_rate"), r, -0.5, 1.0);
        }
        if let Some(v) = &u.vendor {
            if !plan.vendors.contains_key(v) {
                err(
                    out,
                    file,
                    &key("vendor"),
                    format!("unknown vendor `{v}`, not in `[vendors]`"),
                );
            }
        }
        let multi = u.overnight_cost_usd_per_kw.is_some() || u.vendor.is_some();
        if multi && plan.investment.is_none() {
            out.push(Diagnostic::warning(
                Location::file(file).with_field(key("overnight_cost_usd_per_kw")),
                "ignored without an `[investment]` section: the network's `capital_cost` is used",
            ));
        }
    }
}

fn check_vendors(plan: &PlanningFile, file: &str, out: &mut Vec<Diagnostic>) {
    for (name, v) in &plan.vendors {
        let key = format!("vendors.{name}.learning");
        if v.learning.is_empty() {
            err(out, file, &key, "must list at least one step".into());
        }
        for (i, s) in v.learning.iter().enumerate() {
            let last = i + 1 == v.learning.len();
            match (s.units, last) {
                (None, false) => err(
                    out,
                    file,
                    &format!("{key}[{i}].units"),
                    "is required on every step but the last".into(),
                ),
                (Some(0), _) => err(
                    out,
                    file,
                    &format!("{key}[{i}].units"),
                    "must be at least 1".into(),
                ),
                _ => {}
            }
            check_range(
                out,
                file,
                &format!("{key}[{i}].overnight_cost_usd_per_kw"),
                s.overnight_cost_usd_per_kw,
                0.0,
                1e6,
            );
        }
    }
}
