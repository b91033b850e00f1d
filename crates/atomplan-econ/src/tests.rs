//! Unit tests against published values: numpy-financial 1.0 docstrings, NREL ATB 2024 (E1),
//! Lazard v13 (E2), and hand-derived sanity values from the economics reference.

use crate::finance::{self, When};
use crate::*;

fn close(actual: f64, expected: f64, tolerance: f64) {
    assert!(
        (actual - expected).abs() <= tolerance,
        "expected {expected}, got {actual} (tolerance {tolerance})"
    );
}

// numpy-financial 1.0 documented values (docstrings of npv, irr, pmt, fv, pv, nper, ipmt,
// ppmt), re-run with numpy-financial 1.0.0 for full precision.

#[test]
fn npv_numpy_docstring() {
    close(
        npv(0.08, &[-40000., 5000., 8000., 12000., 30000.]),
        3065.2226681795255,
        1e-9,
    );
    close(
        npv(0.281, &[-100., 39., 59., 55., 20.]),
        -0.00847859163845488,
        1e-12,
    );
    close(
        npv_with(
            0.08,
            &[-40000., 5000., 8000., 12000., 30000.],
            FirstPeriod::Discounted,
        ),
        3065.2226681795255 / 1.08,
        1e-9,
    );
}

fn check_irr(values: &[f64], expected: f64) {
    close(irr(values).unwrap(), expected, 1e-12);
}

#[test]
fn irr_numpy_docstring() {
    check_irr(&[-100., 39., 59., 55., 20.], 0.28094842115996066);
    check_irr(&[-100., 0., 0., 74.], -0.0954958303489728);
    check_irr(&[-100., 100., 0., -7.], -0.08329966618493256);
    check_irr(&[-100., 100., 0., 7.], 0.06205848562992955);
    check_irr(&[-5., 10.5, 1., -8., 1.], 0.08859833852775534);
}

#[test]
fn irr_edge_cases() {
    assert_eq!(irr(&[100., 20., 30.]), Err(EconError::NoIrr));
    assert_eq!(irr(&[]), Err(EconError::NoIrr));
    assert_eq!(irr(&[0., 0.]), Err(EconError::NoIrr));
    check_irr(&[0., -100., 110., 0.], 0.1);
    // Two roots, 10 % and 20 %: closest to 0 is returned, all are listed.
    let roots = irr_all(&[-100., 230., -132.]);
    assert_eq!(roots.len(), 2);
    close(roots[0], 0.1, 1e-12);
    close(roots[1], 0.2, 1e-12);
    check_irr(&[-100., 230., -132.], 0.1);
    assert!(irr(&[f64::NAN, 1.0]).is_err());
}

#[test]
fn pmt_fv_pv_nper_numpy_docstring() {
    close(
        finance::pmt(0.075 / 12., 180., 200000., 0., When::End),
        -1854.0247200054619,
        1e-9,
    );
    close(
        finance::fv(0.05 / 12., 120., -100., -100., When::End),
        15692.928894335748,
        1e-8,
    );
    close(
        finance::pv(0.05 / 12., 120., -100., 15692.93, When::End),
        -100.00067131625819,
        1e-9,
    );
    close(
        finance::nper(0.07 / 12., -150., 8000., 0., When::End).unwrap(),
        64.07334877066185,
        1e-9,
    );
    // `when = begin` and r = 0, checked against numpy-financial 1.0.0.
    close(
        finance::pmt(0.1, 10., 1000., 0., When::Begin),
        -147.9503589841014,
        1e-9,
    );
    close(
        finance::fv(0.1, 10., -100., 0., When::Begin),
        1753.1167061100025,
        1e-9,
    );
    close(
        finance::pv(0.1, 10., -100., 0., When::Begin),
        675.9023816275154,
        1e-9,
    );
    close(finance::pmt(0., 10., 1000., 0., When::End), -100.0, 1e-12);
}

#[test]
fn ipmt_ppmt_numpy_docstring() {
    // The docstring's 2500 loan at 8.24 % a year, paid monthly over a year.
    let rate = 0.0824 / 12.;
    let interest = [-17.166666666666668, -15.789337457350777];
    let principal = [-200.58192368678277, -201.95925289609866];
    for per in 1..=2 {
        close(
            ipmt(rate, f64::from(per), 12., 2500., 0., When::End).unwrap(),
            interest[per as usize - 1],
            1e-9,
        );
        close(
            ppmt(rate, f64::from(per), 12., 2500., 0., When::End).unwrap(),
            principal[per as usize - 1],
            1e-9,
        );
    }
    close(
        ipmt(rate, 12., 12., 2500., 0., When::End).unwrap(),
        -1.4850099189833357,
        1e-9,
    );
    close(
        ppmt(rate, 12., 12., 2500., 0., When::End).unwrap(),
        -216.2635804344661,
        1e-9,
    );
    assert_eq!(ipmt(0.1, 1., 10., 1000., 0., When::Begin).unwrap(), 0.0);
    close(
        ipmt(0.1, 2., 10., 1000., 0., When::Begin).unwrap(),
        -85.20496410158985,
        1e-9,
    );
    close(
        ppmt(0.1, 3., 10., 1000., 0., When::Begin).unwrap(),
        -69.0199343707627,
        1e-9,
    );
    assert!(ipmt(0.1, 0., 10., 1000., 0., When::End).is_err());
    assert!(ipmt(0.1, 11., 10., 1000., 0., When::End).is_err());
}

#[test]
fn mirr_matches_numpy() {
    let values = [
        -4500., -800., 800., 800., 600., 600., 800., 800., 700., 3000.,
    ];
    close(
        mirr(&values, 0.08, 0.055).unwrap(),
        0.06659717503155349,
        1e-12,
    );
}

#[test]
fn crf_sanity_values() {
    // Economics reference §2, computed values.
    close(crf(0.07, 60.), 0.071229, 5e-7);
    close(crf(0.07, 30.), 0.080586, 5e-7);
    close(crf(0.03, 60.), 0.036133, 5e-7);
    close(crf(0.10, 60.), 0.100330, 5e-7);
    close(crf(0.05, 40.), 0.058278, 5e-7);
    close(crf(0.0, 40.), 0.025, 1e-15);
    close(
        crf(0.07, 30.),
        -finance::pmt(0.07, 30., 1., 0., When::End),
        1e-15,
    );
}

#[test]
fn macrs_tables_sum_to_one() {
    for class in [3, 5, 7, 10, 15, 20] {
        let total: f64 = Depreciation::Macrs(class).fractions().iter().sum();
        close(total, 1.0, 2e-4);
    }
    assert_eq!(
        "macrs-20".parse::<Depreciation>().unwrap(),
        Depreciation::Macrs(20)
    );
    assert_eq!(
        "straight-line-20".parse::<Depreciation>().unwrap(),
        Depreciation::StraightLine(20)
    );
    assert_eq!(
        "sl-10".parse::<Depreciation>().unwrap(),
        Depreciation::StraightLine(10)
    );
    assert!("macrs-6".parse::<Depreciation>().is_err());
    assert_eq!(Depreciation::StraightLine(4).fraction_in_year(4), 0.25);
    assert_eq!(Depreciation::StraightLine(4).fraction_in_year(5), 0.0);
}

/// E1: NREL ATB 2024, nuclear Large, Moderate, R&D-only financials, CRP 30, 2030.
pub(crate) fn e1_inputs() -> AtbInputs {
    AtbInputs {
        overnight_cost_usd_per_kw: 5750.0,
        grid_connection_cost_usd_per_kw: 100.0,
        construction_finance_factor: 1.3019417042656412,
        fixed_om_usd_per_kw_yr: 175.0,
        variable_om_usd_per_mwh: 2.8,
        fuel_price_usd_per_mmbtu: 0.97,
        heat_rate_mmbtu_per_mwh: 10.497,
        capacity_factor: 0.93,
        cost_recovery_period_years: 30.0,
        debt_fraction: 0.693892638427338,
        interest_rate_nominal: 0.08,
        rate_of_return_on_equity_nominal: 0.105,
        tax_rate: 0.2574,
        inflation: 0.025,
        itc: 0.0,
        depreciation: Depreciation::Macrs(5),
    }
}

#[test]
fn e1_atb_2024_nuclear() {
    let result = atb_lcoe(&e1_inputs()).unwrap();
    close(result.wacc_nominal, 0.0733640468288208, 1e-14);
    close(result.wacc_real, 0.04718443593055688, 1e-14);
    close(result.crf, 0.0629786482470486, 1e-14);
    close(result.pvd, 0.8246524717364285, 1e-13);
    close(result.pff, 1.0607789574132014, 1e-13);
    close(result.fcr, 0.06680642482679695, 1e-14);
    close(result.capex_usd_per_kw, 7616.358969954001, 1e-9);
    close(result.lcoe_usd_per_mwh, 96.91955170031575, 1e-6);
}

#[test]
fn atb_itc_lowers_lcoe_and_matches_formula() {
    let mut inputs = e1_inputs();
    inputs.itc = 0.3;
    let result = atb_lcoe(&inputs).unwrap();
    let expected_pff = (1.0 - 0.2574 * result.pvd * (1.0 - 0.15) - 0.3) / (1.0 - 0.2574);
    close(result.pff, expected_pff, 1e-14);
    assert!(result.lcoe_usd_per_mwh < 96.9);
}

#[test]
fn atb_rejects_bad_inputs() {
    let mut inputs = e1_inputs();
    inputs.capacity_factor = 1.2;
    assert_eq!(
        atb_lcoe(&inputs).unwrap_err().field(),
        Some("capacity_factor")
    );
    let mut inputs = e1_inputs();
    inputs.interest_rate_nominal = -1.0;
    assert_eq!(
        atb_lcoe(&inputs).unwrap_err().field(),
        Some("interest_rate_nominal")
    );
    let mut inputs = e1_inputs();
    inputs.cost_recovery_period_years = -3.0;
    assert_eq!(
        atb_lcoe(&inputs).unwrap_err().field(),
        Some("cost_recovery_period_years")
    );
}

#[test]
fn construction_finance_factor_sanity_values() {
    // Economics reference §11.
    let uniform7 = SpendProfile::Uniform.fractions(7).unwrap();
    close(
        spend::construction_finance_factor(&uniform7, 0.07),
        1.2788,
        5e-5,
    );
    close(
        spend::construction_finance_factor(&uniform7, 0.10),
        1.4215,
        5e-5,
    );
    close(
        spend::construction_finance_factor(&uniform7, 0.03),
        1.1109,
        5e-5,
    );
    let uniform5 = SpendProfile::Uniform.fractions(5).unwrap();
    close(
        spend::construction_finance_factor(&uniform5, 0.07),
        1.1897,
        5e-5,
    );
    close(
        spend::construction_finance_factor_continuous(0.07, 7.0),
        1.2791,
        5e-5,
    );
    // ATB form: uniform 6-year spend at 6.5 % with a 25.74 % shield gives about 1.16.
    let uniform6 = SpendProfile::Uniform.fractions(6).unwrap();
    close(
        atb::atb_construction_finance_factor(&uniform6, 0.065, 0.2574),
        1.16,
        5e-3,
    );
    let s_curve: f64 = SpendProfile::SCurve.fractions(7).unwrap().iter().sum();
    close(s_curve, 1.0, 1e-12);
    assert!(SpendProfile::Explicit(vec![1.0, 2.0]).fractions(3).is_err());
}
