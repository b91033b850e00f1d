//! Flat tables of each stage's results, for SQLite and CSV.

use atomplan::study::pipeline::{Assessments, Economics, McdaResult, Planning};
use atomplan::study::system::StudySystem;

use crate::store::{Table, Value};

fn table(name: &str, columns: &[&str]) -> Table {
    Table {
        name: name.to_owned(),
        columns: columns.iter().map(|c| (*c).to_owned()).collect(),
        rows: Vec::new(),
    }
}

pub fn economics(economics: &Economics) -> Vec<Table> {
    let mut lcoe = table(
        "lcoe",
        &[
            "candidate",
            "design",
            "vendor",
            "vendor_country",
            "financing",
            "unit_mw",
            "overnight_usd_per_kw",
            "lcoe_offer_usd_per_mwh",
            "lcoe_social_usd_per_mwh",
            "mc_mean",
            "mc_p5",
            "mc_p50",
            "mc_p95",
            "mc_samples",
            "capital_charge_usd_per_kw_yr",
            "idc_musd",
            "min_dscr",
            "ppa_price_usd_per_mwh",
        ],
    );
    for row in &economics.rows {
        lcoe.rows.push(vec![
            row.candidate.clone().into(),
            row.design.clone().into(),
            row.vendor.clone().into(),
            row.vendor_country.clone().into(),
            row.financing.clone().into(),
            row.unit_mw.into(),
            row.overnight_usd_per_kw.into(),
            row.lcoe_offer_usd_per_mwh.into(),
            row.lcoe_social_usd_per_mwh.into(),
            row.mc_mean.into(),
            row.mc_p5.into(),
            row.mc_p50.into(),
            row.mc_p95.into(),
            row.mc_samples.into(),
            row.capital_charge_usd_per_kw_yr.into(),
            row.interest_during_construction_musd.into(),
            row.min_dscr.into(),
            row.ppa_price_usd_per_mwh.into(),
        ]);
    }
    let mut histogram = table(
        "lcoe_histogram",
        &["candidate", "bin_low", "bin_high", "count"],
    );
    for h in &economics.histograms {
        for (k, count) in h.counts.iter().enumerate() {
            histogram.rows.push(vec![
                h.candidate.clone().into(),
                h.edges.get(k).copied().into(),
                h.edges.get(k + 1).copied().into(),
                (*count).into(),
            ]);
        }
    }
    vec![lcoe, histogram]
}

pub fn planning(plan: &Planning) -> Vec<Table> {
    let mut capacity = table(
        "capacity",
        &[
            "asset",
            "technology",
            "kind",
            "year",
            "capacity_mw",
            "units",
            "built",
            "energy_twh",
        ],
    );
    for row in &plan.capacities {
        capacity.rows.push(vec![
            row.asset.clone().into(),
            row.technology.clone().into(),
            format!("{:?}", row.kind).to_lowercase().into(),
            row.year.into(),
            row.capacity_mw.into(),
            row.units.into(),
            row.built.into(),
            row.energy_twh.into(),
        ]);
    }
    let mut periods = table(
        "periods",
        &[
            "year",
            "demand_twh",
            "peak_mw",
            "emissions_mt",
            "nuclear_mw",
            "largest_unit_mw",
            "unserved_twh",
            "status",
            "objective_usd",
        ],
    );
    for p in &plan.periods {
        periods.rows.push(vec![
            p.year.into(),
            p.demand_twh.into(),
            p.peak_mw.into(),
            p.emissions_mt.into(),
            p.nuclear_mw.into(),
            p.largest_unit_mw.into(),
            p.unserved_twh.into(),
            plan.status.as_str().into(),
            plan.objective_usd.into(),
        ]);
    }
    let mut dispatch = table("dispatch", &["week", "year", "hour", "technology", "mw"]);
    for week in &plan.dispatch {
        for (hour, load) in week.load_mw.iter().enumerate() {
            dispatch.rows.push(vec![
                week.label.clone().into(),
                week.year.into(),
                (week.first_hour + hour).into(),
                "load".into(),
                (*load).into(),
            ]);
        }
        for (technology, series) in &week.by_technology {
            for (hour, mw) in series.iter().enumerate() {
                dispatch.rows.push(vec![
                    week.label.clone().into(),
                    week.year.into(),
                    (week.first_hour + hour).into(),
                    technology.clone().into(),
                    (*mw).into(),
                ]);
            }
        }
    }
    vec![capacity, periods, dispatch]
}

pub fn assessments(a: &Assessments) -> Vec<Table> {
    let mut grid = table(
        "grid_fit",
        &[
            "candidate",
            "unit_mw",
            "share_of_installed",
            "share_of_peak",
            "rule_status",
            "max_unit_mw_within_limit",
            "n1_reserve_need_mw",
            "n1_verdict",
        ],
    );
    for g in &a.grid_fit {
        grid.rows.push(vec![
            g.candidate.clone().into(),
            g.unit_mw.into(),
            g.share_of_installed.into(),
            g.share_of_peak.into(),
            g.rule_status.clone().into(),
            g.max_unit_mw_within_limit.into(),
            g.n1_reserve_need_mw.into(),
            g.n1_verdict.clone().into(),
        ]);
    }
    let mut adequacy = table(
        "adequacy",
        &["case", "lole_h", "eue_mwh", "lole_standard_h"],
    );
    for (label, lole, eue) in &a.adequacy {
        adequacy.rows.push(vec![
            label.clone().into(),
            (*lole).into(),
            (*eue).into(),
            a.lole_standard_h.into(),
        ]);
    }
    let mut security = table("security", &["case", "hhi", "shannon"]);
    for (label, hhi, shannon) in &a.security {
        security
            .rows
            .push(vec![label.clone().into(), (*hhi).into(), (*shannon).into()]);
    }
    let mut emissions = table("emissions", &["year", "emissions_mt", "target_mt"]);
    for (year, mt, target) in &a.emissions {
        emissions
            .rows
            .push(vec![(*year).into(), (*mt).into(), (*target).into()]);
    }
    let mut readiness = table(
        "readiness",
        &[
            "phase",
            "completion",
            "first_power_p10",
            "first_power_p50",
            "first_power_p90",
            "basis",
        ],
    );
    readiness.rows.push(vec![
        a.readiness_phase.map(i32::from).into(),
        a.readiness_completion.into(),
        a.first_power_year_p10_p50_p90.map(|t| t.0).into(),
        a.first_power_year_p10_p50_p90.map(|t| t.1).into(),
        a.first_power_year_p10_p50_p90.map(|t| t.2).into(),
        a.readiness_basis.clone().into(),
    ]);
    let mut first_power = table(
        "first_power",
        &[
            "candidate",
            "design",
            "construction_months",
            "licensing_years_low",
            "licensing_years_high",
            "construction_start_p50",
            "first_power_p10",
            "first_power_p50",
            "first_power_p90",
            "planned_year",
        ],
    );
    for e in &a.first_power_by_candidate {
        first_power.rows.push(vec![
            e.candidate.clone().into(),
            e.design.clone().into(),
            e.construction_months.into(),
            e.licensing_years.0.into(),
            e.licensing_years.1.into(),
            e.construction_start_p50.into(),
            e.first_power_p10.into(),
            e.first_power_p50.into(),
            e.first_power_p90.into(),
            e.planned_year.into(),
        ]);
    }
    vec![grid, adequacy, security, emissions, readiness, first_power]
}

pub fn mcda(m: &McdaResult) -> Vec<Table> {
    let mut scores = table("mcda", &["rank", "candidate", "score"]);
    for (rank, candidate) in m.ranking.iter().enumerate() {
        let index = m
            .candidates
            .iter()
            .position(|c| c == candidate)
            .unwrap_or(0);
        scores.rows.push(vec![
            (rank + 1).into(),
            candidate.clone().into(),
            m.scores.get(index).copied().into(),
        ]);
    }
    let mut sensitivity = table(
        "mcda_sensitivity",
        &[
            "criterion",
            "weight",
            "winner_holds_from",
            "winner_holds_to",
        ],
    );
    for (index, (criterion, from, to)) in m.sensitivity.iter().enumerate() {
        sensitivity.rows.push(vec![
            criterion.clone().into(),
            m.weights.get(index).copied().into(),
            (*from).into(),
            (*to).into(),
        ]);
    }
    let mut switches = table(
        "mcda_winner_switches",
        &[
            "criterion",
            "weight",
            "lower_weight",
            "winner_below",
            "upper_weight",
            "winner_above",
            "smallest_change",
            "fragile",
        ],
    );
    for s in &m.winner_switches {
        switches.rows.push(vec![
            s.criterion.clone().into(),
            s.weight.into(),
            s.lower.into(),
            s.lower_winner.clone().into(),
            s.upper.into(),
            s.upper_winner.clone().into(),
            s.nearest_change().into(),
            Value::Int(i64::from(s.is_fragile())),
        ]);
    }
    vec![scores, sensitivity, switches]
}

pub fn profiles(system: &StudySystem) -> Table {
    let mut t = table("profiles", &["series", "origin", "synthetic"]);
    for (name, profile) in [
        ("load", &system.load_profile),
        ("wind", &system.wind_profile),
        ("solar", &system.solar_profile),
        ("hydro", &system.hydro_profile),
    ] {
        t.rows.push(vec![
            name.into(),
            profile.origin.label().into(),
            Value::Int(i64::from(profile.origin.is_synthetic())),
        ]);
    }
    t
}

/// The decision numbers as tables: one row per scenario and year, one per candidate, one per
/// tornado input.
pub fn decision(d: &atomplan::study::decision::Decision) -> Vec<Table> {
    let mut scenarios = table(
        "decision_scenarios",
        &[
            "scenario",
            "year",
            "system_cost_usd",
            "cost_vs_least_cost_usd",
            "co2_mt",
            "gas_bcm",
            "gas_import_bill_usd",
            "price_usd_per_mwh",
            "nuclear_mw",
            "lole_h",
            "lole_standard_h",
            "meets_standard",
        ],
    );
    for s in &d.scenarios {
        for (year, co2) in &s.co2_mt {
            let get = |m: &std::collections::BTreeMap<String, f64>| m.get(year).copied();
            scenarios.rows.push(vec![
                s.name.clone().into(),
                year.clone().into(),
                s.system_cost_usd.into(),
                s.cost_vs_least_cost_usd.into(),
                (*co2).into(),
                get(&s.gas_bcm).into(),
                get(&s.gas_import_bill_usd).into(),
                get(&s.price_usd_per_mwh).into(),
                get(&s.nuclear_mw).into(),
                s.lole_h.into(),
                s.lole_standard_h.into(),
                s.meets_standard.to_string().into(),
            ]);
        }
    }
    let mut candidates = table(
        "decision_breakeven",
        &[
            "candidate",
            "built_in_least_cost",
            "breakeven_overnight_usd_per_kw",
            "breakeven_co2_usd_per_t",
            "breakeven_gas_usd_per_mmbtu",
            "notes",
        ],
    );
    for c in &d.candidates {
        candidates.rows.push(vec![
            c.id.clone().into(),
            c.built_in_least_cost.to_string().into(),
            c.breakeven.overnight_usd_per_kw.into(),
            c.breakeven.co2_usd_per_t.into(),
            c.breakeven.gas_usd_per_mmbtu.into(),
            c.breakeven_notes.join("; ").into(),
        ]);
    }
    let mut tornado = table(
        "decision_tornado",
        &[
            "input",
            "unit",
            "low_value",
            "high_value",
            "low_system_cost_usd",
            "high_system_cost_usd",
            "basis",
        ],
    );
    for t in &d.tornado {
        tornado.rows.push(vec![
            t.input.clone().into(),
            t.unit.clone().into(),
            t.low_value.into(),
            t.high_value.into(),
            t.low_system_cost_usd.into(),
            t.high_system_cost_usd.into(),
            t.basis.clone().into(),
        ]);
    }
    vec![scenarios, candidates, tornado]
}
