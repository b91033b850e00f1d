//! Wire structs to domain types, in one place. Inputs were already checked against the field
//! table, so failures here are unexpected; they still become diagnostics, never panics.

use std::collections::BTreeMap;

use atomplan_core::{Diagnostic, Location};

use crate::date::PartialDate;
use crate::ids::{CountryCode, DesignId, ProjectId, SourceId};
use crate::load::rows;
use crate::model::{
    Alternative, ClimateTarget, CostEstimate, CostScope, CostTerms, Country, Deployment,
    Derivation, Design, DesignStatus, Estimate, FieldSources, Financing, FinancingModel, FoakNoak,
    IaeaPhase, Interconnection, LoadShape, Loan, Milestone, MweBasis, Observation, Plant,
    PlantStatus, Ppa, ProgrammeStatus, ProgrammeStep, Project, ProjectStatus, RawObservation,
    ReactorType, ScheduleBasis, Source, SourceKind, SpendShape, Zone,
};
use crate::money::Money;
use crate::validate::{ParsedFile, Val};
use crate::wire::{
    AlternativeWire, CostWire, CountryWire, DesignWire, EstimateWire, FieldSourcesWire,
    ObservationWire, ProjectWire, SourcesWire,
};

/// Collects conversion failures for one file.
struct Ctx<'a> {
    file: &'a ParsedFile,
    diagnostics: &'a mut Vec<Diagnostic>,
    failed: bool,
}

impl Ctx<'_> {
    fn fail(&mut self, field: &str, message: String) {
        self.failed = true;
        self.diagnostics.push(Diagnostic::error(
            Location::file(&self.file.display_path).with_field(field),
            message,
        ));
    }
    fn source(&mut self, field: &str, id: String) -> SourceId {
        SourceId::new(id).unwrap_or_else(|e| {
            self.fail(field, e.to_string());
            SourceId::placeholder()
        })
    }
    fn sources(&mut self, field: &str, ids: Vec<String>) -> Vec<SourceId> {
        ids.into_iter().map(|id| self.source(field, id)).collect()
    }
    fn date(&mut self, field: &str, text: Option<String>) -> Option<PartialDate> {
        let text = text?;
        match PartialDate::parse(&text) {
            Ok(date) => Some(date),
            Err(e) => {
                self.fail(field, e.to_string());
                None
            }
        }
    }
    fn parsed<T>(
        &mut self,
        field: &str,
        text: &str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let value = parse(text);
        if value.is_none() {
            self.fail(field, format!("`{text}` is not allowed"));
        }
        value
    }
}

fn estimate(wire: Option<EstimateWire>) -> Option<Estimate> {
    match wire? {
        EstimateWire::Number(value) => Some(Estimate::exact(value)),
        EstimateWire::Range(range) => Some(Estimate {
            low: range.low,
            central: range.central,
            high: range.high,
        }),
    }
}

fn field_sources(ctx: &mut Ctx<'_>, wire: FieldSourcesWire) -> FieldSources {
    wire.into_iter()
        .map(|(field, ids)| {
            let ids = ctx.sources(&format!("field_sources.{field}"), ids);
            (field, ids)
        })
        .collect()
}

fn costs(ctx: &mut Ctx<'_>, wires: Vec<CostWire>) -> Vec<CostEstimate> {
    let mut out = Vec::new();
    for (idx, c) in wires.into_iter().enumerate() {
        let field = |name: &str| format!("costs[{idx}].{name}");
        let scope = ctx.parsed(&field("scope"), &c.scope, CostScope::parse);
        let terms = ctx.parsed(&field("terms"), &c.terms, CostTerms::parse);
        let foak_noak = c
            .foak_noak
            .as_deref()
            .and_then(|t| ctx.parsed(&field("foak_noak"), t, FoakNoak::parse));
        let project = match c.project {
            None => None,
            Some(p) => match ProjectId::new(p) {
                Ok(id) => Some(id),
                Err(e) => {
                    ctx.fail(&field("project"), e.to_string());
                    None
                }
            },
        };
        let derivation = match c.derivation {
            None => None,
            Some(d) => {
                let shape = ctx.parsed(
                    &field("derivation.spend_profile"),
                    &d.spend_profile,
                    SpendShape::parse,
                );
                let sources = ctx.sources(&field("derivation.sources"), d.sources);
                shape.map(|spend_profile| Derivation {
                    spend_start_year: d.spend_start_year,
                    spend_end_year: d.spend_end_year,
                    spend_profile,
                    idc_rate: d.idc_rate,
                    escalation_rate: d.escalation_rate,
                    note: d.note,
                    sources,
                })
            }
        };
        let sources = ctx.sources(&field("sources"), c.sources);
        if let (Some(scope), Some(terms)) = (scope, terms) {
            out.push(CostEstimate {
                scope,
                terms,
                per_kw: estimate(c.per_kw),
                total_bn: estimate(c.total_bn),
                currency: c.currency,
                price_year: c.price_year,
                estimate_year: c.estimate_year.unwrap_or(c.price_year),
                foak_noak,
                project,
                basis: c.basis,
                sources,
                default: c.default,
                verify: c.verify,
                derivation,
            });
        }
    }
    out
}

/// Target year every cost must convert to: the last year of the US deflator (2025 in the
/// built-in tables).
fn conversion_check_year(money: &Money) -> Option<i32> {
    money
        .deflators
        .keys()
        .filter(|(currency, _)| currency == "USD")
        .map(|(_, year)| *year)
        .max()
}

/// Every cost (and the derived overnight cost) must convert to USD; a conversion that cannot
/// be done is an error naming the record, the field and the missing rate.
fn check_conversions(
    ctx: &mut Ctx<'_>,
    record: &str,
    costs: &[CostEstimate],
    overnight: Option<&crate::model::OvernightCost>,
    money: &Money,
) {
    let mut wanted: Vec<(String, &str, i32)> = costs
        .iter()
        .enumerate()
        .map(|(idx, c)| (format!("costs[{idx}]"), c.currency.as_str(), c.price_year))
        .collect();
    if let Some(o) = overnight {
        wanted.push((
            format!("costs[{}] (derived overnight cost)", o.cost_index),
            o.currency.as_str(),
            o.price_year,
        ));
    }
    let Some(check_year) = conversion_check_year(money) else {
        if !wanted.is_empty() {
            ctx.failed = true;
            ctx.diagnostics.push(Diagnostic::error(
                Location::file(&ctx.file.display_path).with_field("costs"),
                format!("{record}: costs cannot be converted: money/deflators.csv has no USD rows"),
            ));
        }
        return;
    };
    for (field, currency, year) in wanted {
        if let Err(error) = money.to_usd_checked(1.0, currency, year, check_year) {
            ctx.failed = true;
            ctx.diagnostics.push(
                Diagnostic::error(
                    Location::file(&ctx.file.display_path).with_field(field.clone()),
                    format!("{record}: `{field}` cannot be converted to USD: {error}"),
                )
                .with_hint("add the missing row to money/exchange-rates.csv or money/deflators.csv with its source"),
            );
        }
    }
}

fn alternatives(ctx: &mut Ctx<'_>, wires: Vec<AlternativeWire>) -> Vec<Alternative> {
    wires
        .into_iter()
        .map(|a| Alternative {
            sources: ctx.sources("alternatives.sources", a.sources),
            field: a.field,
            value: a.value,
            note: a.note,
            verify: a.verify,
        })
        .collect()
}

pub(crate) fn sources(
    wire: SourcesWire,
    file: &ParsedFile,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Source> {
    let mut ctx = Ctx {
        file,
        diagnostics,
        failed: false,
    };
    let mut out = Vec::new();
    for s in wire.source {
        let kind = ctx.parsed("source.kind", &s.kind, SourceKind::parse);
        let id = ctx.source("source.id", s.id);
        if let Some(kind) = kind {
            out.push(Source {
                id,
                title: s.title,
                publisher: s.publisher,
                url: s.url,
                year: s.year,
                kind,
                accessed: s.accessed,
                note: s.note,
            });
        }
    }
    out
}

pub(crate) fn design(
    wire: DesignWire,
    file: &ParsedFile,
    money: &Money,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Design> {
    let mut ctx = Ctx {
        file,
        diagnostics,
        failed: false,
    };
    let id = DesignId::new(wire.id.clone())
        .map_err(|e| ctx.fail("id", e.to_string()))
        .ok();
    let reactor_type = ctx.parsed("reactor_type", &wire.reactor_type, ReactorType::parse);
    let deployment = ctx.parsed("deployment", &wire.deployment, Deployment::parse);
    let status = ctx.parsed("status", &wire.status, DesignStatus::parse);
    let mwe_basis = wire
        .mwe_basis
        .as_deref()
        .and_then(|t| ctx.parsed("mwe_basis", t, MweBasis::parse));
    let construction_months_basis = wire
        .construction_months_basis
        .as_deref()
        .and_then(|t| ctx.parsed("construction_months_basis", t, ScheduleBasis::parse));
    let costs = costs(&mut ctx, wire.costs);
    let overnight_cost = match crate::cost::overnight_cost(&costs, money) {
        Ok(cost) => cost,
        Err((idx, problem)) => {
            let mut diagnostic = Diagnostic::error(
                Location::file(&file.display_path).with_field(format!("costs[{idx}]")),
                format!(
                    "design `{}`: no overnight cost can be derived from `costs[{idx}]`: {problem}",
                    wire.id
                ),
            );
            diagnostic = diagnostic.with_hint("add a `[costs.derivation]` (spend window, IDC rate, escalation) or mark an overnight figure `default = true`");
            ctx.diagnostics.push(diagnostic);
            ctx.failed = true;
            None
        }
    };
    check_conversions(
        &mut ctx,
        &format!("design `{}`", wire.id),
        &costs,
        overnight_cost.as_ref(),
        money,
    );
    let status_date = ctx.date("status_date", wire.status_date);
    let sources = ctx.sources("sources", wire.sources);
    let field_sources = field_sources(&mut ctx, wire.field_sources);
    let alternatives = alternatives(&mut ctx, wire.alternatives);
    if ctx.failed {
        return None;
    }
    Some(Design {
        id: id?,
        name: wire.name,
        vendor: wire.vendor,
        vendor_country: wire.vendor_country,
        reactor_type: reactor_type?,
        deployment: deployment?,
        thermal_mwt: wire.thermal_mwt,
        gross_mwe_per_module: wire.gross_mwe_per_module,
        net_mwe_per_module: wire.net_mwe_per_module,
        mwe_basis,
        plant_net_mwe: wire.plant_net_mwe,
        plant_gross_mwe: wire.plant_gross_mwe,
        modules_per_plant: wire.modules_per_plant,
        design_life_years: wire.design_life_years,
        capacity_factor: wire.capacity_factor,
        refuelling_interval_months: estimate(wire.refuelling_interval_months),
        fuel: wire.fuel,
        fuel_enrichment_pct: estimate(wire.fuel_enrichment_pct),
        min_stable_load_fraction: wire.min_stable_load_fraction,
        ramp_pct_per_min: wire.ramp_pct_per_min,
        construction_months: wire.construction_months,
        construction_months_basis,
        outage_days: wire.outage_days,
        costs,
        overnight_cost,
        status: status?,
        status_date,
        reference_plants: wire.reference_plants,
        licensing_milestones: wire.licensing_milestones,
        data_quality: wire.data_quality,
        notes: wire.notes,
        verify: wire.verify,
        sources,
        field_sources,
        alternatives,
    })
}

pub(crate) fn project(
    wire: ProjectWire,
    file: &ParsedFile,
    money: &Money,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Project> {
    let mut ctx = Ctx {
        file,
        diagnostics,
        failed: false,
    };
    let id = ProjectId::new(wire.id.clone())
        .map_err(|e| ctx.fail("id", e.to_string()))
        .ok();
    let country = CountryCode::new(&wire.country)
        .map_err(|e| ctx.fail("country", e.to_string()))
        .ok();
    let design = DesignId::new(wire.design.clone())
        .map_err(|e| ctx.fail("design", e.to_string()))
        .ok();
    let mut other_designs = Vec::new();
    for other in wire.other_designs {
        match DesignId::new(other) {
            Ok(d) => other_designs.push(d),
            Err(e) => ctx.fail("other_designs", e.to_string()),
        }
    }
    let status = ctx.parsed("status", &wire.status, ProjectStatus::parse);
    let status_date = ctx.date("status_date", wire.status_date);
    let construction_start = ctx.date("construction_start", wire.construction_start);
    let grid_connection = ctx.date("grid_connection", wire.grid_connection);
    let commercial_operation = ctx.date("commercial_operation", wire.commercial_operation);
    let costs = costs(&mut ctx, wire.costs);
    check_conversions(
        &mut ctx,
        &format!("project `{}`", wire.id),
        &costs,
        None,
        money,
    );
    let financing = match wire.financing {
        None => None,
        Some(f) => {
            let model = ctx.parsed("financing.model", &f.model, FinancingModel::parse);
            let loan = match f.loan {
                None => None,
                Some(l) => Some(Loan {
                    first_repayment: ctx.date("financing.loan.first_repayment", l.first_repayment),
                    amount_bn: l.amount_bn,
                    currency: l.currency,
                    share_of_cost: l.share_of_cost,
                    rate: l.rate,
                    rate_max: l.rate_max,
                    rate_note: l.rate_note,
                    tenor_years: l.tenor_years,
                    grace_years: l.grace_years,
                }),
            };
            let ppa = f.ppa.map(|p| Ppa {
                price_per_mwh: p.price_per_mwh,
                currency: p.currency,
                share_of_output: p.share_of_output,
                years: p.years,
                note: p.note,
            });
            model.map(|model| Financing {
                model,
                note: f.note,
                verify: f.verify,
                loan,
                ppa,
            })
        }
    };
    let sources = ctx.sources("sources", wire.sources);
    let field_sources = field_sources(&mut ctx, wire.field_sources);
    let alternatives = alternatives(&mut ctx, wire.alternatives);
    if ctx.failed {
        return None;
    }
    Some(Project {
        id: id?,
        name: wire.name,
        country: country?,
        vendor: wire.vendor,
        design: design?,
        other_designs,
        units: wire.units,
        capacity_mwe: wire.capacity_mwe,
        capacity_basis: wire.capacity_basis,
        status: status?,
        status_date,
        construction_start,
        grid_connection,
        commercial_operation,
        original_target_year: wire.original_target_year,
        current_target_year: wire.current_target_year,
        notes: wire.notes,
        data_quality: wire.data_quality,
        sources,
        field_sources,
        costs,
        financing,
        alternatives,
    })
}

fn observations(ctx: &mut Ctx<'_>, table: &str, wires: Vec<ObservationWire>) -> Vec<Observation> {
    wires
        .into_iter()
        .map(|o| Observation {
            source: ctx.source(table, o.source),
            value: o.value,
            year: o.year,
            period: o.period,
            technology: o.technology,
            basis: o.basis,
            status: o.status,
            fuel: o.fuel,
            supplier: o.supplier,
            partner: o.partner,
            forecast: o.forecast,
            target: o.target,
            derived: o.derived,
            net: o.net,
            official: o.official,
            note: o.note,
        })
        .collect()
}

fn load_shape(
    ctx: &mut Ctx<'_>,
    file: &ParsedFile,
    wire: crate::wire::LoadShapeWire,
) -> Option<LoadShape> {
    let mut month_hour = vec![[f64::NAN; 24]; 12];
    for (_, cells) in rows(file) {
        let get = |name: &str| match cells.get(name).map(|e| &e.value) {
            Some(Val::Int(i)) => Some(*i as f64),
            Some(Val::Float(f)) => Some(*f),
            _ => None,
        };
        if let (Some(month), Some(hour), Some(value)) =
            (get("month"), get("hour"), get("load_over_annual_mean"))
        {
            let (month, hour) = (month as usize, hour as usize);
            if (1..=12).contains(&month) && hour < 24 {
                month_hour[month - 1][hour] = value;
            }
        }
    }
    if month_hour.iter().flatten().any(|v| v.is_nan()) {
        ctx.diagnostics.push(
            Diagnostic::error(
                Location::file(&file.display_path).with_field("load_over_annual_mean"),
                "load shape must have one row for every month (1-12) and hour (0-23)",
            )
            .with_hint("12 x 24 = 288 rows"),
        );
        ctx.failed = true;
        return None;
    }
    Some(LoadShape {
        source: ctx.source("load_shape.source", wire.source),
        file: wire.file,
        basis: wire.basis,
        month_hour,
    })
}

pub(crate) fn country(
    wire: CountryWire,
    file: &ParsedFile,
    load_files: &BTreeMap<&str, &ParsedFile>,
    observation_files: &[&ParsedFile],
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Country> {
    let mut ctx = Ctx {
        file,
        diagnostics,
        failed: false,
    };
    let code = CountryCode::new(&wire.code)
        .map_err(|e| ctx.fail("code", e.to_string()))
        .ok();
    let iaea_milestones = wire.iaea_milestones.map(|i| IaeaPhase {
        source: ctx.source("iaea_milestones.source", i.source),
        phase: i.phase,
        basis: i.basis,
        assessed_year: i.assessed_year,
    });
    let load_shape = match wire.load_shape {
        None => None,
        Some(shape) => match load_files.get(shape.file.as_str()) {
            Some(load_file) => load_shape(&mut ctx, load_file, shape),
            None => {
                ctx.fail(
                    "load_shape.file",
                    format!("`{}` does not exist", shape.file),
                );
                None
            }
        },
    };
    let zones = wire
        .zones
        .into_iter()
        .map(|z| Zone {
            source: ctx.source("zones.source", z.source),
            id: z.id,
            name: z.name,
            kind: z.kind,
            note: z.note,
        })
        .collect();
    let interconnections = wire
        .interconnections
        .into_iter()
        .map(|i| Interconnection {
            source: ctx.source("interconnections.source", i.source),
            from: i.from,
            to: i.to,
            capacity_mw: i.capacity_mw,
            voltage_kv: i.voltage_kv,
            direction: i.direction,
            status: i.status,
            note: i.note,
        })
        .collect();
    let mut milestones = Vec::new();
    for m in wire.milestones {
        let date = ctx.date("milestones.date", Some(m.date));
        let source = ctx.source("milestones.source", m.source);
        if let Some(date) = date {
            milestones.push(Milestone {
                date,
                description: m.description,
                source,
            });
        }
    }
    let climate_targets = wire
        .climate_targets
        .into_iter()
        .map(|t| ClimateTarget {
            source: ctx.source("climate_targets.source", t.source),
            kind: t.kind,
            target_year: t.target_year,
            reduction_pct: t.reduction_pct,
            share_pct: t.share_pct,
            note: t.note,
        })
        .collect();
    let mut plants = Vec::new();
    for (idx, p) in wire.plants.into_iter().enumerate() {
        let field = |name: &str| format!("plants[{idx}].{name}");
        let status = ctx.parsed(&field("status"), &p.status, PlantStatus::parse);
        let commissioned = ctx.date(&field("commissioned"), p.commissioned);
        let commissioned_last = ctx.date(&field("commissioned_last"), p.commissioned_last);
        let sources = ctx.sources(&field("sources"), p.sources);
        if let Some(status) = status {
            plants.push(Plant {
                name: p.name,
                technology: p.technology,
                capacity_mw: p.capacity_mw,
                units: p.units,
                commissioned,
                commissioned_last,
                owner: p.owner,
                zone: p.zone,
                status,
                retirement_year: p.retirement_year,
                data_year: p.data_year,
                note: p.note,
                sources,
            });
        }
    }
    let mut nuclear_programme = Vec::new();
    for (idx, p) in wire.nuclear_programme.into_iter().enumerate() {
        let field = |name: &str| format!("nuclear_programme[{idx}].{name}");
        let status = ctx.parsed(&field("status"), &p.status, ProgrammeStatus::parse);
        let announced = ctx.date(&field("announced"), p.announced);
        let mut designs = Vec::new();
        for d in p.designs {
            match DesignId::new(d) {
                Ok(id) => designs.push(id),
                Err(e) => ctx.fail(&field("designs"), e.to_string()),
            }
        }
        let project = match p.project {
            None => None,
            Some(id) => match ProjectId::new(id) {
                Ok(id) => Some(id),
                Err(e) => {
                    ctx.fail(&field("project"), e.to_string());
                    None
                }
            },
        };
        let sources = ctx.sources(&field("sources"), p.sources);
        if let Some(status) = status {
            nuclear_programme.push(ProgrammeStep {
                name: p.name,
                status,
                vendor: p.vendor,
                designs,
                project,
                units: p.units,
                capacity_mw: p.capacity_mw,
                announced,
                target_construction_start: p.target_construction_start,
                target_operation: p.target_operation,
                note: p.note,
                sources,
            });
        }
    }
    let mut raw = Vec::new();
    for obs_file in observation_files {
        for (_, cells) in rows(obs_file) {
            let text = |name: &str| {
                cells
                    .get(name)
                    .and_then(|e| e.value.as_str())
                    .unwrap_or("")
                    .to_owned()
            };
            if text("country") == wire.code {
                raw.push(RawObservation {
                    source: ctx.source("observations.source", text("source")),
                    metric: text("metric"),
                    value: text("value"),
                    unit: text("unit"),
                    period: text("period"),
                });
            }
        }
    }
    let country = Country {
        code: code?,
        name: wire.name,
        peak_season: wire.peak_season,
        iaea_milestones,
        load_shape,
        zones,
        interconnections,
        milestones,
        climate_targets,
        peak_demand_mw: observations(&mut ctx, "peak_demand_mw", wire.peak_demand_mw),
        annual_demand_twh: observations(&mut ctx, "annual_demand_twh", wire.annual_demand_twh),
        annual_generation_twh: observations(
            &mut ctx,
            "annual_generation_twh",
            wire.annual_generation_twh,
        ),
        demand_growth_pct_per_year: observations(
            &mut ctx,
            "demand_growth_pct_per_year",
            wire.demand_growth_pct_per_year,
        ),
        demand_forecast_twh: observations(
            &mut ctx,
            "demand_forecast_twh",
            wire.demand_forecast_twh,
        ),
        capacity_mw: observations(&mut ctx, "capacity_mw", wire.capacity_mw),
        generation_twh: observations(&mut ctx, "generation_twh", wire.generation_twh),
        generation_share: observations(&mut ctx, "generation_share", wire.generation_share),
        largest_unit_mw: observations(&mut ctx, "largest_unit_mw", wire.largest_unit_mw),
        fuel_import_share: observations(&mut ctx, "fuel_import_share", wire.fuel_import_share),
        electricity_imports_twh: observations(
            &mut ctx,
            "electricity_imports_twh",
            wire.electricity_imports_twh,
        ),
        electricity_import_share: observations(
            &mut ctx,
            "electricity_import_share",
            wire.electricity_import_share,
        ),
        co2_intensity_g_per_kwh: observations(
            &mut ctx,
            "co2_intensity_g_per_kwh",
            wire.co2_intensity_g_per_kwh,
        ),
        observations: raw,
        plants,
        nuclear_programme,
    };
    (!ctx.failed).then_some(country)
}
