use super::*;

fn ccgt() -> AlternativeInput {
    AlternativeInput {
        technology: "ccgt".to_owned(),
        capex_usd_per_kw: 1000.0,
        fixed_om_usd_per_kw_yr: 30.0,
        variable_om_usd_per_mwh: 2.0,
        fuel_usd_per_mmbtu: 8.0,
        heat_rate_mmbtu_per_mwh: 6.5,
        emission_t_per_mwh: 0.35,
        co2_usd_per_t: 40.0,
        capacity_factor: 0.6,
        life_years: 30.0,
        construction_years: 0.0,
    }
}

#[test]
fn matches_the_annuity_formula_without_construction() {
    // With no construction period, no tax and all equity, the levelised tariff is the annuity:
    // (capex · CRF + fixed O&M) / (8.76 · CF) + VOM + fuel + CO2.
    let rate: f64 = 0.06;
    let input = ccgt();
    let crf = rate / (1.0 - (1.0 + rate).powf(-30.0));
    let expected = (1000.0 * crf + 30.0) / (8.76 * 0.6) + 2.0 + 8.0 * 6.5 + 0.35 * 40.0;
    let result = alternative_lcoe(&input, rate).unwrap();
    assert!(
        (result.lcoe_usd_per_mwh - expected).abs() / expected < 1e-3,
        "{} vs {expected}",
        result.lcoe_usd_per_mwh
    );
    assert!((result.fuel_usd_per_mwh - 52.0).abs() < 1e-12);
    assert!((result.co2_usd_per_mwh - 14.0).abs() < 1e-12);
}

#[test]
fn gas_price_moves_gas_lcoe_by_the_heat_rate() {
    let low = alternative_lcoe(&ccgt(), 0.06).unwrap();
    let mut dear = ccgt();
    dear.fuel_usd_per_mmbtu += 1.0;
    let high = alternative_lcoe(&dear, 0.06).unwrap();
    assert!((high.lcoe_usd_per_mwh - low.lcoe_usd_per_mwh - 6.5).abs() < 0.01);
}

#[test]
fn bad_capacity_factor_names_the_field() {
    let mut input = ccgt();
    input.capacity_factor = 0.0;
    let error = alternative_lcoe(&input, 0.06).unwrap_err();
    assert_eq!(error.key(), Some("ccgt.capacity_factor"));
}
