//! Supply security of each scenario's plan, side by side: a plan with nuclear against one
//! without, rather than the first period against the last.
//!
//! Per scenario, in its last period: HHI and Shannon of the generation mix, the shares of gas
//! and of imported electricity in generation, the share of generation that rests on imported gas
//! (gas share × the country's gas import dependence), and nuclear capacity by vendor country.

use atomplan::assess::security::diversity;
use atomplan::study::pipeline::Planning;
use atomplan::study::system::AssetKind;
use atomplan::study::{StudyCatalogue, StudyFile};

use crate::html::mix_by_technology;

/// One scenario's indices.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioSecurity {
    pub scenario: String,
    pub year: i32,
    pub nuclear_gw: f64,
    pub hhi: f64,
    pub shannon: f64,
    pub gas_share: f64,
    pub import_share: f64,
    /// Gas share × the country's gas import dependence, when the catalogue has it.
    pub imported_gas_share: Option<f64>,
    /// Nuclear capacity by the vendor country of its design, MW.
    pub nuclear_by_vendor_country: Vec<(String, f64)>,
}

/// The indices of every plan.
pub fn by_scenario(
    study: &StudyFile,
    catalogue: &StudyCatalogue,
    plans: &[Planning],
) -> Vec<ScenarioSecurity> {
    let gas_import_dependence = catalogue
        .country(&study.country)
        .and_then(|c| c.gas_import_dependence);
    plans
        .iter()
        .filter_map(|plan| {
            let year = plan.periods.last()?.year;
            let mix = mix_by_technology(plan, year, true);
            let total: f64 = mix.iter().map(|(_, v)| v.max(0.0)).sum();
            if total <= 0.0 {
                return None;
            }
            let names: Vec<String> = mix.iter().map(|(t, _)| t.clone()).collect();
            let values: Vec<f64> = mix.iter().map(|(_, v)| v.max(0.0)).collect();
            let report = diversity(&names, &values, None, "mix").ok()?;
            let share = |pred: &dyn Fn(&str) -> bool| {
                mix.iter()
                    .filter(|(t, _)| pred(t))
                    .map(|(_, v)| v.max(0.0))
                    .sum::<f64>()
                    / total
            };
            let gas_share = share(&|t| t == "gas" || t.contains("ccgt") || t.contains("ocgt"));
            let import_energy: f64 = plan
                .capacities
                .iter()
                .filter(|r| r.year == year && r.kind == AssetKind::Import)
                .map(|r| r.energy_twh.max(0.0))
                .sum();
            let mut by_vendor: Vec<(String, f64)> = Vec::new();
            for row in plan
                .capacities
                .iter()
                .filter(|r| r.year == year && r.kind == AssetKind::Nuclear && r.capacity_mw > 0.5)
            {
                let candidate = row.candidate.as_deref().unwrap_or(&row.asset);
                let vendor_country = study
                    .candidates
                    .iter()
                    .find(|c| c.id == candidate)
                    .and_then(|c| catalogue.design(&c.design))
                    .map_or_else(|| "unknown".to_owned(), |d| d.vendor_country.clone());
                match by_vendor.iter_mut().find(|(v, _)| *v == vendor_country) {
                    Some(entry) => entry.1 += row.capacity_mw,
                    None => by_vendor.push((vendor_country, row.capacity_mw)),
                }
            }
            let nuclear_gw = plan
                .capacities
                .iter()
                .filter(|r| r.year == year && r.kind == AssetKind::Nuclear)
                .map(|r| r.capacity_mw)
                .sum::<f64>()
                / 1000.0;
            Some(ScenarioSecurity {
                scenario: plan.scenario.clone(),
                year,
                nuclear_gw,
                hhi: report.hhi,
                shannon: report.shannon,
                gas_share,
                import_share: import_energy / total,
                imported_gas_share: gas_import_dependence.map(|d| d * gas_share),
                nuclear_by_vendor_country: by_vendor,
            })
        })
        .collect()
}
