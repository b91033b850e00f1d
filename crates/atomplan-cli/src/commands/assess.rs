//! `atomplan assess`: the assessment methods of `atomplan::assess` on case files.
//!
//! Each subcommand reads one TOML case file, runs one pure method and prints its result.
//! Bad input (unknown keys, wrong shapes, non-reciprocal AHP matrices, …) exits 2 with the file
//! and the key in the message; warnings (e.g. weights normalised to sum 1) go to stderr.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use atomplan::assess::case::assessments as cases;
use atomplan::assess::case::mcda::{parse_case, run_case, McdaReport};
use atomplan::assess::catalogue as from_catalogue;
use atomplan::assess::{adequacy, emissions, grid, market, readiness, security};
use atomplan::Error;
use atomplan_catalogue::Catalogue;
use serde::Serialize;

use crate::printer::Printer;
use crate::text_table::{self, TextTable};
use crate::{Format, GlobalArgs};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Multi-criteria partner choice: weighted sum, TOPSIS, AHP, PROMETHEE II
    Mcda(CaseArgs),
    /// Unit size against the system, N-1 reserve, frequency after a trip, load following
    GridFit(GridFitArgs),
    /// LOLE, EUE and LOLP by sequential Monte Carlo, before and after candidate units
    Adequacy(CaseArgs),
    /// Diversity (HHI, Shannon, Stirling), import dependence, supplier and fuel-vendor concentration
    Security(SecurityArgs),
    /// CO2 trajectory and cumulative emissions against targets
    Emissions(CaseArgs),
    /// IAEA Milestones readiness and time to first power
    Readiness(ReadinessArgs),
    /// Vendor countries' shares of nuclear units under construction or planned abroad
    Market(MarketArgs),
}

#[derive(Debug, clap::Args)]
pub struct GridFitArgs {
    /// Case file (TOML); without it the country and design come from the catalogue
    #[arg(long, value_name = "FILE.toml")]
    pub case: Option<PathBuf>,
    /// Country code in the catalogue (e.g. MN)
    #[arg(long)]
    pub country: Option<String>,
    /// Design id in the catalogue (e.g. vver-1200)
    #[arg(long)]
    pub design: Option<String>,
    /// Net MW of one unit (overrides the design)
    #[arg(long)]
    pub unit_mw: Option<f64>,
    /// Number of new units
    #[arg(long)]
    pub units: Option<u32>,
    /// Units that can trip together
    #[arg(long)]
    pub units_lost_together: Option<u32>,
    /// System peak load, MW
    #[arg(long)]
    pub peak_mw: Option<f64>,
    /// System minimum load, MW
    #[arg(long)]
    pub min_load_mw: Option<f64>,
    /// Installed capacity, MW
    #[arg(long)]
    pub installed_mw: Option<f64>,
    /// Largest existing unit, MW
    #[arg(long)]
    pub largest_existing_mw: Option<f64>,
    /// Contingency reserve available, MW
    #[arg(long)]
    pub reserve_mw: Option<f64>,
}

#[derive(Debug, clap::Args)]
pub struct SecurityArgs {
    /// Case file (TOML); without it the mix comes from the catalogue
    #[arg(long, value_name = "FILE.toml")]
    pub case: Option<PathBuf>,
    /// Country code in the catalogue
    #[arg(long)]
    pub country: Option<String>,
    /// Candidate design whose output is added to the mix as `nuclear` (the "after" mix)
    #[arg(long)]
    pub design: Option<String>,
    /// Number of reference plants of the design
    #[arg(long, default_value_t = 1)]
    pub plants: u32,
    /// Capacity factor of the design (overrides the catalogue)
    #[arg(long)]
    pub capacity_factor: Option<f64>,
}

#[derive(Debug, clap::Args)]
pub struct ReadinessArgs {
    /// Case file (TOML); without it the phase comes from the catalogue
    #[arg(long, value_name = "FILE.toml")]
    pub case: Option<PathBuf>,
    /// Country code in the catalogue
    #[arg(long)]
    pub country: Option<String>,
    /// Design whose construction time turns first power into the earliest construction start
    #[arg(long)]
    pub design: Option<String>,
    /// Monte Carlo samples of the time to first power
    #[arg(long)]
    pub samples: Option<usize>,
    /// Seed
    #[arg(long)]
    pub seed: Option<u64>,
}

#[derive(Debug, clap::Args)]
pub struct MarketArgs {
    /// Case file (TOML) with `[[projects]]`; without it the catalogue's projects are used
    #[arg(long, value_name = "FILE.toml")]
    pub case: Option<PathBuf>,
    /// Project statuses counted (default: under-construction, planned, site-preparation, licensing)
    #[arg(long, value_delimiter = ',')]
    pub status: Vec<String>,
    /// Price year of the USD values
    #[arg(long, default_value_t = 2024)]
    pub price_year: i32,
    /// Count the catalogue's projects as they stood on this date (YYYY, YYYY-MM or YYYY-MM-DD),
    /// from their construction start and grid connection, instead of their current status
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct CaseArgs {
    /// The case file (TOML)
    #[arg(long, value_name = "FILE.toml")]
    pub case: PathBuf,
}

pub fn run(command: Command, global: &GlobalArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    match command {
        Command::Mcda(args) => run_mcda(&args, global, printer),
        Command::GridFit(args) => run_grid_fit(&args, global, printer),
        Command::Adequacy(args) => run_adequacy(&args, global, printer),
        Command::Security(args) => run_security(&args, global, printer),
        Command::Emissions(args) => run_emissions(&args, global, printer),
        Command::Readiness(args) => run_readiness(&args, global, printer),
        Command::Market(args) => run_market(&args, global, printer),
    }
}

fn read_case(path: &Path) -> anyhow::Result<String> {
    atomplan_core::input::read_to_string(path)
        .map_err(|error| anyhow::anyhow!("cannot read case file {}: {error}", path.display()))
}

/// Prints an assessment error naming the file and the key, and returns exit code 2.
fn bad_input(printer: &Printer, path: &Path, error: &Error) -> ExitCode {
    printer.error(&format!("{}: {error}", path.display()));
    ExitCode::from(2)
}

fn run_mcda(args: &CaseArgs, global: &GlobalArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    let text = read_case(&args.case)?;
    let report = match parse_case(&text).and_then(|case| run_case(&case)) {
        Ok(report) => report,
        Err(error) => return Ok(bad_input(printer, &args.case, &error)),
    };
    for warning in &report.warnings {
        printer.warning(&format!("{}: {warning}", args.case.display()));
    }
    match global.format {
        Format::Json => printer.json(&serde_json::to_value(&report)?),
        Format::Csv => printer.data(&mcda_csv(&report)),
        Format::Text => printer.data(&mcda_text(&report)),
    }
    Ok(ExitCode::SUCCESS)
}

fn mcda_csv(report: &McdaReport) -> String {
    let mut out = String::from("rank,alternative,score\n");
    for (rank, name) in report.ranking.iter().enumerate() {
        let score = report.scores.get(name).copied().unwrap_or(f64::NAN);
        out.push_str(&format!(
            "{},{},{}\n",
            rank + 1,
            csv_field(name),
            finite_or_empty(score)
        ));
    }
    out
}

fn mcda_text(report: &McdaReport) -> String {
    let mut out = format!("method: {}", report.method);
    if let Some(normalization) = &report.normalization {
        out.push_str(&format!(" ({normalization} normalisation)"));
    }
    out.push('\n');
    let width = report
        .ranking
        .iter()
        .map(String::len)
        .max()
        .unwrap_or(0)
        .max(11);
    out.push_str(&format!(
        "{:>4}  {:<width$}  {:>12}\n",
        "rank", "alternative", "score"
    ));
    for (rank, name) in report.ranking.iter().enumerate() {
        let score = report.scores.get(name).copied().unwrap_or(f64::NAN);
        out.push_str(&format!(
            "{:>4}  {name:<width$}  {:>12}\n",
            rank + 1,
            finite_or_empty(score)
        ));
    }
    if let Some(sensitivity) = &report.weight_sensitivity {
        let fragile_limit = atomplan::assess::mcda::sensitivity::FRAGILE_WEIGHT_CHANGE;
        let mut table = TextTable::new(&[
            "criterion",
            "weight",
            "winner first from",
            "to",
            "smallest change to flip",
            "",
        ]);
        for item in sensitivity {
            let fragile = item
                .smallest_change_to_flip_winner
                .is_some_and(|change| change <= fragile_limit);
            table.row(vec![
                item.criterion.clone(),
                format!("{:.3}", item.weight),
                format!("{:.3}", item.winner_holds[0]),
                format!("{:.3}", item.winner_holds[1]),
                item.smallest_change_to_flip_winner
                    .map_or_else(|| "never".to_owned(), |c| format!("{c:.3}")),
                if fragile { "fragile" } else { "" }.to_owned(),
            ]);
        }
        out.push_str(
            "\nweights at which the winner changes (one weight at a time, others in proportion)\n",
        );
        out.push_str(&table.render());
        if sensitivity.iter().any(|item| {
            item.smallest_change_to_flip_winner
                .is_some_and(|change| change <= fragile_limit)
        }) {
            out.push_str(&format!(
                "fragile winner: a change of at most {fragile_limit} in one weight puts another alternative first\n"
            ));
        }
    }
    if let (Some(lambda_max), Some(ci)) = (report.lambda_max, report.ci) {
        out.push_str(&format!(
            "criteria: lambda_max {lambda_max:.6}, CI {ci:.6}, CR {}\n",
            report
                .cr
                .map_or_else(|| "n/a".to_owned(), |cr| format!("{cr:.6}"))
        ));
    }
    out
}

fn finite_or_empty(value: f64) -> String {
    if value.is_finite() {
        format!("{value:.6}")
    } else {
        String::new()
    }
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// Loads the catalogue (`--data DIR` or the built-in one); diagnostics are printed on failure.
fn load_catalogue(global: &GlobalArgs, printer: &Printer) -> Option<Catalogue> {
    let loaded = match &global.data {
        Some(dir) => Catalogue::load_dir(dir),
        None => Catalogue::builtin(),
    };
    match loaded {
        Ok(catalogue) => Some(catalogue),
        Err(diagnostics) => {
            for diagnostic in &diagnostics {
                printer.error(&diagnostic.to_string());
            }
            None
        }
    }
}

/// Prints a serialisable report: JSON for `--format json` (the full structure), `field,value`
/// rows for `csv` (these reports are nested), and aligned tables for text.
fn print_report<T: Serialize>(
    report: &T,
    global: &GlobalArgs,
    printer: &Printer,
) -> anyhow::Result<()> {
    let value = serde_json::to_value(report)?;
    match global.format {
        Format::Json => printer.json(&value),
        Format::Csv => printer.data(&crate::flat_csv::to_field_csv(&value)?),
        Format::Text => printer.data(&text_table::report_text(&value)),
    }
    Ok(())
}

fn percent(share: f64) -> String {
    if share.is_finite() {
        format!("{:.1} %", share * 100.0)
    } else {
        "–".to_owned()
    }
}

/// The export market as a person reads it: one row per vendor country, then the year view.
fn market_text(report: &market::MarketReport) -> String {
    let mut out = format!(
        "Export market: {} export projects with status {}\n\n",
        report.export_projects,
        report.statuses.join(", ")
    );
    let mut vendors = TextTable::new(&[
        "vendor country",
        "projects",
        "units",
        "MWe",
        "value bn USD",
        "share of units",
        "share of MWe",
        "share of value",
    ]);
    let mut sorted: Vec<&market::VendorShare> = report.total.vendors.iter().collect();
    sorted.sort_by(|a, b| {
        b.share_of_units
            .total_cmp(&a.share_of_units)
            .then_with(|| a.vendor_country.cmp(&b.vendor_country))
    });
    for vendor in sorted {
        vendors.row(vec![
            vendor.vendor_country.clone(),
            text_table::number_text(vendor.projects),
            text_table::number_text(vendor.units),
            format!("{:.0}", vendor.mwe),
            format!("{:.1}", vendor.value_bn),
            percent(vendor.share_of_units),
            percent(vendor.share_of_mwe),
            percent(vendor.share_of_value),
        ]);
    }
    vendors.row(vec![
        "total".to_owned(),
        text_table::number_text(report.total.vendors.iter().map(|v| v.projects).sum()),
        text_table::number_text(report.total.total_units),
        format!("{:.0}", report.total.total_mwe),
        format!("{:.1}", report.total.total_value_bn),
        String::new(),
        String::new(),
        String::new(),
    ]);
    out.push_str(&vendors.render());
    out.push_str(&format!(
        "\nVendor concentration (HHI of units, 0-10,000): {:.0}\n",
        report.total.hhi_units
    ));
    if !report.by_year.is_empty() {
        let mut years = TextTable::new(&["year", "units", "MWe", "HHI of units", "largest vendor"]);
        for (year, slice) in &report.by_year {
            let largest = slice
                .vendors
                .iter()
                .max_by(|a, b| a.share_of_units.total_cmp(&b.share_of_units))
                .map_or_else(String::new, |v| {
                    format!("{} ({})", v.vendor_country, percent(v.share_of_units))
                });
            years.row(vec![
                year.to_string(),
                text_table::number_text(slice.total_units),
                format!("{:.0}", slice.total_mwe),
                format!("{:.0}", slice.hhi_units),
                largest,
            ]);
        }
        out.push_str("\nBy year the project counts in\n");
        out.push_str(&years.render());
    }
    out.push_str(&format!(
        "\nLeft out: {} domestic projects; shares by MWe omit {} projects without a capacity, by value {} without a value; {} projects have no year\n",
        report.domestic_projects_excluded,
        report.projects_without_mwe,
        report.projects_without_value,
        report.projects_without_year
    ));
    out
}

fn missing(printer: &Printer, what: &str, flag: &str) -> ExitCode {
    printer.error(&format!("{what} is not in the catalogue"));
    printer.hint(&format!("pass {flag} or use --case FILE.toml"));
    ExitCode::from(2)
}

fn run_grid_fit(
    args: &GridFitArgs,
    global: &GlobalArgs,
    printer: &Printer,
) -> anyhow::Result<ExitCode> {
    let mut input = if let Some(path) = &args.case {
        match cases::parse_grid_fit(&read_case(path)?) {
            Ok(input) => input,
            Err(error) => return Ok(bad_input(printer, path, &error)),
        }
    } else {
        let Some(catalogue) = load_catalogue(global, printer) else {
            return Ok(ExitCode::from(2));
        };
        let Some(code) = &args.country else {
            printer.error("`atomplan assess grid-fit` needs --case FILE.toml or --country CODE");
            return Ok(ExitCode::from(2));
        };
        let Some(country) = catalogue.country(code) else {
            printer.error(&format!("unknown country `{code}` in the catalogue"));
            return Ok(ExitCode::from(2));
        };
        let design = match &args.design {
            Some(id) => match catalogue.design(id) {
                Some(design) => Some(design),
                None => {
                    printer.error(&format!("unknown design `{id}` in the catalogue"));
                    return Ok(ExitCode::from(2));
                }
            },
            None => None,
        };
        let defaults = from_catalogue::grid_defaults(country, design);
        for note in &defaults.notes {
            printer.info(&format!("catalogue: {note}"));
        }
        let Some(unit_mw) = args.unit_mw.or(defaults.unit_mw) else {
            return Ok(missing(
                printer,
                "the unit size",
                "--design ID or --unit-mw MW",
            ));
        };
        let Some(peak_load_mw) = args.peak_mw.or(defaults.peak_load_mw) else {
            return Ok(missing(
                printer,
                &format!("the peak load of {code}"),
                "--peak-mw MW",
            ));
        };
        let min_load_mw = args.min_load_mw.or(defaults.min_load_mw);
        if min_load_mw.is_none() {
            printer.warning(&format!(
                "the minimum load of {code} is not in the catalogue: that ratio is skipped"
            ));
            printer.hint("pass --min-load-mw MW");
        }
        let installed_capacity_mw = args.installed_mw.or(defaults.installed_capacity_mw);
        if installed_capacity_mw.is_none() {
            printer.warning(&format!(
                "the installed capacity of {code} is not in the catalogue: the unit-size rule is applied to the peak load"
            ));
            printer.hint("pass --installed-mw MW");
        }
        grid::GridFitInput {
            unit_mw,
            n_units: args.units.or(defaults.n_units).unwrap_or(1),
            units_lost_together: 1,
            peak_load_mw,
            min_load_mw,
            installed_capacity_mw,
            largest_existing_unit_mw: args
                .largest_existing_mw
                .or(defaults.largest_existing_unit_mw)
                .unwrap_or(0.0),
            available_reserve_mw: None,
            unit_share_limit: None,
            unit_share_warning: None,
            frequency: None,
            ramp: defaults.ramp,
        }
    };
    // Flags override the case file too.
    if args.case.is_some() {
        if let Some(value) = args.unit_mw {
            input.unit_mw = value;
        }
        if let Some(value) = args.units {
            input.n_units = value;
        }
        if let Some(value) = args.peak_mw {
            input.peak_load_mw = value;
        }
        if let Some(value) = args.min_load_mw {
            input.min_load_mw = Some(value);
        }
        if let Some(value) = args.installed_mw {
            input.installed_capacity_mw = Some(value);
        }
        if let Some(value) = args.largest_existing_mw {
            input.largest_existing_unit_mw = value;
        }
    }
    if let Some(value) = args.units_lost_together {
        input.units_lost_together = value;
    }
    if let Some(value) = args.reserve_mw {
        input.available_reserve_mw = Some(value);
    }
    let label = args
        .case
        .clone()
        .unwrap_or_else(|| PathBuf::from("command line"));
    match grid::grid_fit(&input) {
        Ok(report) => {
            print_report(&report, global, printer)?;
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => Ok(bad_input(printer, &label, &error)),
    }
}

fn run_adequacy(
    args: &CaseArgs,
    global: &GlobalArgs,
    printer: &Printer,
) -> anyhow::Result<ExitCode> {
    let text = read_case(&args.case)?;
    let base_dir = args
        .case
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let read_file = |relative: &str| atomplan_core::input::read_to_string(&base_dir.join(relative));
    let case = match cases::parse_adequacy(&text, &read_file) {
        Ok(case) => case,
        Err(error) => return Ok(bad_input(printer, &args.case, &error)),
    };
    let result = if case.candidates.is_empty() {
        adequacy::adequacy(&case.input, &case.settings)
            .map(|report| serde_json::json!({ "before": report }))
    } else {
        adequacy::adequacy_before_after(&case.input, &case.candidates, &case.settings)
            .map(|comparison| serde_json::to_value(comparison).unwrap_or_default())
    };
    match result {
        Ok(mut value) => {
            value["samples"] = case.settings.n_samples.into();
            value["seed"] = case.settings.seed.into();
            print_report(&value, global, printer)?;
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => Ok(bad_input(printer, &args.case, &error)),
    }
}

fn run_security(
    args: &SecurityArgs,
    global: &GlobalArgs,
    printer: &Printer,
) -> anyhow::Result<ExitCode> {
    let (input, label) = if let Some(path) = &args.case {
        match cases::parse_security(&read_case(path)?) {
            Ok(input) => (input, path.clone()),
            Err(error) => return Ok(bad_input(printer, path, &error)),
        }
    } else {
        let Some(catalogue) = load_catalogue(global, printer) else {
            return Ok(ExitCode::from(2));
        };
        let Some(code) = &args.country else {
            printer.error("`atomplan assess security` needs --case FILE.toml or --country CODE");
            return Ok(ExitCode::from(2));
        };
        let Some(country) = catalogue.country(code) else {
            printer.error(&format!("unknown country `{code}` in the catalogue"));
            return Ok(ExitCode::from(2));
        };
        let Some((options, values, basis)) = from_catalogue::generation_mix_twh(country) else {
            return Ok(missing(
                printer,
                &format!("the generation mix of {code}"),
                "a case file with [mix]",
            ));
        };
        printer.info(&format!("catalogue: mix = {basis}"));
        let mut input = security::SecurityInput {
            options,
            mix_before: values,
            basis: Some(basis),
            ..security::SecurityInput::default()
        };
        if let Some(id) = &args.design {
            let Some(design) = catalogue.design(id) else {
                printer.error(&format!("unknown design `{id}` in the catalogue"));
                return Ok(ExitCode::from(2));
            };
            let Some(added) =
                from_catalogue::plant_output_twh(design, args.plants, args.capacity_factor)
            else {
                return Ok(missing(
                    printer,
                    &format!("the rating or capacity factor of `{id}`"),
                    "--capacity-factor CF",
                ));
            };
            printer.info(&format!(
                "catalogue: after = before + {added:.2} TWh of nuclear from {} × `{id}`",
                args.plants
            ));
            let (options, after) =
                security::mix_with_addition(&input.options, &input.mix_before, "nuclear", added);
            if options.len() > input.options.len() {
                input.mix_before.push(0.0);
            }
            input.options = options;
            input.mix_after = Some(after);
        }
        (input, PathBuf::from(format!("catalogue country {code}")))
    };
    match security::security(&input) {
        Ok(report) => {
            print_report(&report, global, printer)?;
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => Ok(bad_input(printer, &label, &error)),
    }
}

fn run_emissions(
    args: &CaseArgs,
    global: &GlobalArgs,
    printer: &Printer,
) -> anyhow::Result<ExitCode> {
    let text = read_case(&args.case)?;
    match cases::parse_emissions(&text).and_then(|input| emissions::emissions(&input)) {
        Ok(report) => {
            print_report(&report, global, printer)?;
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => Ok(bad_input(printer, &args.case, &error)),
    }
}

fn run_readiness(
    args: &ReadinessArgs,
    global: &GlobalArgs,
    printer: &Printer,
) -> anyhow::Result<ExitCode> {
    let needs_catalogue = args.case.is_none() || args.design.is_some();
    let catalogue = if needs_catalogue {
        match load_catalogue(global, printer) {
            Some(catalogue) => Some(catalogue),
            None => return Ok(ExitCode::from(2)),
        }
    } else {
        None
    };
    let (mut input, label) = if let Some(path) = &args.case {
        match cases::parse_readiness(&read_case(path)?) {
            Ok((input, warnings)) => {
                for warning in warnings {
                    printer.warning(&format!("{}: {warning}", path.display()));
                }
                (input, path.clone())
            }
            Err(error) => return Ok(bad_input(printer, path, &error)),
        }
    } else {
        let Some(code) = &args.country else {
            printer.error("`atomplan assess readiness` needs --case FILE.toml or --country CODE");
            return Ok(ExitCode::from(2));
        };
        let Some(country) = catalogue
            .as_ref()
            .and_then(|catalogue| catalogue.country(code))
        else {
            printer.error(&format!("unknown country `{code}` in the catalogue"));
            return Ok(ExitCode::from(2));
        };
        let Some(phase) = &country.iaea_milestones else {
            return Ok(missing(
                printer,
                &format!("the Milestones phase of {code}"),
                "a case file with [issues]",
            ));
        };
        printer.info(&format!(
            "catalogue: phase {} ({}; {}, {}); per-issue statuses implied by the phase",
            phase.phase,
            phase.basis,
            phase.source.as_str(),
            phase.assessed_year
        ));
        let input = readiness::ReadinessInput {
            country: code.clone(),
            status: readiness::statuses_from_phase(phase.phase),
            assessed_year: phase.assessed_year,
            time: readiness::TimeSettings::default(),
        };
        (input, PathBuf::from(format!("catalogue country {code}")))
    };
    if let Some(id) = &args.design {
        match catalogue
            .as_ref()
            .and_then(|catalogue| catalogue.design(id))
        {
            Some(design) => {
                if design.construction_months.is_some() {
                    input.time.construction_months = design.construction_months;
                }
            }
            None => {
                printer.error(&format!("unknown design `{id}` in the catalogue"));
                return Ok(ExitCode::from(2));
            }
        }
    }
    if let Some(samples) = args.samples {
        input.time.n_samples = samples;
    }
    if let Some(seed) = args.seed {
        input.time.seed = seed;
    }
    match readiness::readiness(&input) {
        Ok(report) => {
            print_report(&report, global, printer)?;
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => Ok(bad_input(printer, &label, &error)),
    }
}

fn run_market(
    args: &MarketArgs,
    global: &GlobalArgs,
    printer: &Printer,
) -> anyhow::Result<ExitCode> {
    let (projects, mut statuses, label) = if let Some(path) = &args.case {
        match cases::parse_market(&read_case(path)?) {
            Ok((projects, statuses)) => (projects, statuses, path.clone()),
            Err(error) => return Ok(bad_input(printer, path, &error)),
        }
    } else {
        let Some(catalogue) = load_catalogue(global, printer) else {
            return Ok(ExitCode::from(2));
        };
        let projects = match &args.as_of {
            None => from_catalogue::market_projects(&catalogue, args.price_year),
            Some(text) => match atomplan_catalogue::PartialDate::parse(text) {
                Ok(as_of) => from_catalogue::market_projects_on(&catalogue, args.price_year, as_of),
                Err(error) => {
                    printer.error(&format!("--as-of: {error}"));
                    return Ok(ExitCode::from(2));
                }
            },
        };
        (
            projects,
            cases::default_market_statuses(),
            PathBuf::from("catalogue projects"),
        )
    };
    if args.as_of.is_some() && args.case.is_some() {
        printer.error(
            "--as-of applies to the catalogue's projects and cannot be combined with --case",
        );
        return Ok(ExitCode::from(2));
    }
    if !args.status.is_empty() {
        statuses.clone_from(&args.status);
    }
    match market::export_market(&projects, &statuses) {
        Ok(report) => {
            if args.case.is_none() {
                printer.info(&format!(
                    "catalogue: {} export projects{}; values in USD of {} where the catalogue converts them",
                    report.export_projects,
                    args.as_of
                        .as_ref()
                        .map(|date| format!(" as of {date}"))
                        .unwrap_or_default(),
                    args.price_year
                ));
            }
            if global.format == Format::Text {
                printer.data(&market_text(&report));
            } else {
                print_report(&report, global, printer)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => Ok(bad_input(printer, &label, &error)),
    }
}
