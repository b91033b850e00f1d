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
fn crf_by_squaring_agrees_with_the_logarithm() {
    // Whole periods use repeated squaring; it must agree with exp(-n ln(1+r)) to ~1e-13.
    for rate in [
        -0.5, -0.01, -0.001, 0.001, 0.0123, 0.05, 0.07, 0.1034, 0.3, 1.0, 5.0,
    ] {
        for n in [1.0, 2.0, 7.0, 20.0, 30.0, 60.0, 100.0, 1000.0] {
            let reference: f64 = rate / -(-n * f64::ln_1p(rate)).exp_m1();
            let value = crf(rate, n);
            assert!(
                ((value - reference) / reference).abs() < 2e-13,
                "r {rate} n {n}: {value} {reference}"
            );
        }
    }
    // Fractional periods, small rates and huge powers.
    close(crf(0.05, 42.5), 0.05 / (1.0 - 1.05f64.powf(-42.5)), 1e-15);
    // 1/n + r(n+1)/(2n) + O(r^2).
    close(crf(1e-9, 30.0), 1.0 / 30.0 + 1e-9 * 31.0 / 60.0, 1e-15);
    close(crf(2.0, 1000.0), 2.0, 1e-15);
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

/// E2: Lazard LCOE v13.0 (2019), nuclear low case.
pub(crate) fn e2_inputs() -> CashflowInputs {
    let mut inputs =
        CashflowInputs::with_defaults(2200.0, 6900.0, 108.5, 3.5, 0.85, 10.45, 0.91, 40.0);
    inputs.debt_fraction = 0.6;
    inputs.debt_rate = 0.08;
    inputs.debt_tenor_years = 40.0;
    inputs.cost_of_equity = 0.12;
    inputs.tax_rate = 0.4;
    inputs.om_escalation = 0.0225;
    inputs.fuel_escalation = 0.0;
    inputs.depreciation = Depreciation::Macrs(20);
    inputs
}

#[test]
fn e2_lazard_v13_nuclear_low() {
    let result = cashflow(&e2_inputs()).unwrap();
    let published = 118.0;
    assert!(
        (result.lcoe_usd_per_mwh - published).abs() / published < 0.03,
        "E2: {} vs {published}",
        result.lcoe_usd_per_mwh
    );
    // Prototype of the same conventions in plain Python gave 118.897030546.
    close(result.lcoe_usd_per_mwh, 118.897_030_546, 1e-6);
    close(result.equity_irr.unwrap(), 0.12, 1e-9);
    close(result.npv_equity_usd, 0.0, 1e-3);
    close(
        cashflow_lcoe(&e2_inputs()).unwrap(),
        result.lcoe_usd_per_mwh,
        1e-12,
    );
    assert_eq!(result.revenue_basis, "tariff");
    assert!(result.min_dscr.unwrap() > 0.0);
    assert!(result.average_dscr.unwrap() >= result.min_dscr.unwrap());
    assert_eq!(result.rows.len(), 41);
    // Debt fully repaid over the life.
    let principal: f64 = result.rows.iter().map(|row| row.principal_usd).sum();
    close(principal, 0.6 * 6900.0 * 2200.0 * 1000.0, 1e-3);
}

#[test]
fn cashflow_no_debt_no_tax_equals_crf_lcoe() {
    // All-equity, no tax, no escalation: the tariff is the annualised-cost LCOE.
    let mut inputs =
        CashflowInputs::with_defaults(1000.0, 5000.0, 100.0, 2.0, 0.5, 10.0, 0.9, 30.0);
    inputs.cost_of_equity = 0.07;
    let tariff = cashflow_lcoe(&inputs).unwrap();
    let expected = (5000.0 * crf(0.07, 30.0) + 100.0) / (8.76 * 0.9) + 2.0 + 5.0;
    close(tariff, expected, 1e-9);
    // Semi-annual periods with the equivalent rate per half-year give nearly the same.
    inputs.periods_per_year = 2;
    let semi = cashflow_lcoe(&inputs).unwrap();
    assert!(
        (semi - expected).abs() / expected < 0.03,
        "{semi} vs {expected}"
    );
}

#[test]
fn el_dabaa_style_loan_schedule() {
    // 85 % export loan at 3 %, drawn over the build, capitalised interest, 22 years of
    // semi-annual equal-principal instalments starting 13.75 years after financial close.
    let mut inputs =
        CashflowInputs::with_defaults(4800.0, 6250.0, 120.0, 2.0, 0.7, 10.4, 0.9, 60.0);
    inputs.construction_years = 12.0;
    inputs.debt_fraction = 0.85;
    inputs.debt_rate = 0.03;
    inputs.debt_tenor_years = 22.0;
    inputs.debt_terms = DebtTerms {
        instalments_per_year: 2,
        grace_years: Some(13.5),
        repayment: Repayment::StraightLine,
        ..DebtTerms::default()
    };
    inputs.cost_of_equity = 0.08;
    let result = cashflow(&inputs).unwrap();
    let drawn = result.debt_drawn_usd;
    close(drawn, 0.85 * 6250.0 * 4800.0 * 1000.0, 1.0);
    let capitalised: f64 = result
        .rows
        .iter()
        .map(|row| row.interest_capitalised_usd)
        .sum();
    let principal: f64 = result.rows.iter().map(|row| row.principal_usd).sum();
    close(principal, drawn + capitalised, 1.0);
    // 44 instalments, the last 13.5 + 21.5 = 35 years after financial close.
    let last = result
        .rows
        .iter()
        .rposition(|row| row.principal_usd > 0.0)
        .unwrap();
    close(result.rows[last].year, 35.0, 1e-9);
    let count = result
        .rows
        .iter()
        .filter(|row| row.principal_usd > 0.0)
        .count();
    assert_eq!(count, 22, "annual model: two instalments per year row");
    assert!(result.interest_during_construction_usd > 0.0);
}

#[test]
fn paks_style_rate_steps_and_annuity() {
    let mut inputs =
        CashflowInputs::with_defaults(2400.0, 5200.0, 120.0, 2.0, 0.7, 10.4, 0.9, 60.0);
    inputs.periods_per_year = 2;
    inputs.construction_years = 8.0;
    inputs.debt_fraction = 0.8;
    inputs.debt_rate = 0.0395;
    inputs.debt_tenor_years = 21.0;
    inputs.debt_terms = DebtTerms {
        instalments_per_year: 2,
        grace_years: None,
        repayment: Repayment::Annuity,
        rate_steps: vec![
            RateStep {
                from_repayment_year: 0.0,
                rate: 0.045,
            },
            RateStep {
                from_repayment_year: 7.0,
                rate: 0.048,
            },
            RateStep {
                from_repayment_year: 14.0,
                rate: 0.0495,
            },
        ],
        grace_interest: GraceInterest::Paid,
        ..DebtTerms::default()
    };
    let result = cashflow(&inputs).unwrap();
    let principal: f64 = result.rows.iter().map(|row| row.principal_usd).sum();
    close(principal, result.debt_drawn_usd, 1.0);
    let first = result
        .rows
        .iter()
        .position(|row| row.principal_usd > 0.0)
        .unwrap();
    close(result.rows[first].year, 8.5, 1e-9);
    // Interest accrued up to the first instalment is at 3.95 %, then 4.5 % (per half-year).
    close(
        result.rows[first].interest_paid_usd,
        result.rows[first - 1].debt_balance_usd * 0.01975,
        1.0,
    );
    close(
        result.rows[first + 1].interest_paid_usd,
        result.rows[first].debt_balance_usd * 0.0225,
        1.0,
    );
    // Debt service is level within the first seven years of repayment.
    let service = |idx: usize| result.rows[idx].interest_paid_usd + result.rows[idx].principal_usd;
    close(
        service(first + 5),
        service(first + 1),
        1e-3 * service(first + 1),
    );
    assert!(service(first + 15) > service(first));
    // Paid interest during construction is equity's.
    assert!(result.rows[3].equity_cash_flow_usd < -result.rows[3].capex_usd * 0.2 + 1.0);
}

#[test]
fn rate_cap_applies() {
    let mut inputs =
        CashflowInputs::with_defaults(2400.0, 5000.0, 120.0, 2.0, 0.7, 10.4, 0.9, 60.0);
    inputs.debt_fraction = 0.9;
    inputs.debt_rate = 0.053;
    inputs.debt_tenor_years = 20.0;
    inputs.debt_terms = DebtTerms {
        instalments_per_year: 1,
        rate_cap: Some(0.04),
        ..DebtTerms::default()
    };
    let capped = cashflow(&inputs).unwrap();
    let first = capped
        .rows
        .iter()
        .position(|row| row.principal_usd > 0.0)
        .unwrap();
    close(
        capped.rows[first].interest_paid_usd,
        capped.debt_drawn_usd * 0.04,
        1.0,
    );
}

#[test]
fn akkuyu_style_ppa_and_merchant() {
    let mut inputs =
        CashflowInputs::with_defaults(2400.0, 5000.0, 120.0, 2.0, 0.7, 10.4, 0.9, 60.0);
    inputs.ppas = vec![Ppa {
        price_usd_per_mwh: 123.5,
        share_of_output: 0.7,
        years: 15.0,
        start_operating_year: 1.0,
        escalation: 0.0,
    }];
    inputs.merchant_price_usd_per_mwh = Some(60.0);
    let result = cashflow(&inputs).unwrap();
    assert_eq!(result.revenue_basis, "contracts");
    let year1 = &result.rows[1];
    close(
        year1.revenue_usd,
        year1.energy_mwh * (0.7 * 123.5 + 0.3 * 60.0),
        1e-3,
    );
    let year16 = &result.rows[16];
    close(year16.revenue_usd, year16.energy_mwh * 60.0, 1e-3);
    assert!(result.project_irr.is_some());
    assert!(result.payback_years.is_some());
}

#[test]
fn cashflow_rejects_bad_inputs() {
    let mut inputs = e2_inputs();
    inputs.capacity_factor = 0.0;
    assert_eq!(
        cashflow(&inputs).unwrap_err().field(),
        Some("capacity_factor")
    );
    let mut inputs = e2_inputs();
    inputs.life_years = -5.0;
    assert_eq!(cashflow(&inputs).unwrap_err().field(), Some("life_years"));
    let mut inputs = e2_inputs();
    inputs.debt_rate = -1.5;
    assert_eq!(cashflow(&inputs).unwrap_err().field(), Some("debt_rate"));
    // Found by the release fuzz run: a grace period of 4e9 years sized the loan schedule at
    // 64 GiB and aborted the process; it is now refused before anything is allocated.
    let mut inputs = e2_inputs();
    inputs.debt_terms.grace_years = Some(4.3e9);
    assert_eq!(
        cashflow(&inputs).unwrap_err().field(),
        Some("debt_grace_years")
    );
    let mut inputs = e2_inputs();
    inputs.debt_terms.grace_years = Some(1000.5);
    assert!(cashflow(&inputs).is_err());
}

fn pcge_base() -> PcgeInputs {
    PcgeInputs {
        overnight_cost_usd_per_kw: 4000.0,
        construction_years: 0.0,
        spend_profile: SpendProfile::Uniform,
        fixed_om_usd_per_kw_yr: 0.0,
        variable_om_usd_per_mwh: 0.0,
        fuel_cost_usd_per_mwh: 0.0,
        carbon_price_usd_per_tco2: 30.0,
        emissions_tco2_per_mwh: 0.0,
        capacity_factor: 0.85,
        life_years: 60.0,
        discount_rate: 0.07,
        decommissioning_fraction: 0.0,
        decommissioning_years: 0.0,
        refurbishments: Vec::new(),
        timing: Timing::EndOfYear,
    }
}

#[test]
fn pcge_reduces_to_crf_without_construction() {
    let result = pcge_lcoe(&pcge_base()).unwrap();
    close(
        result.lcoe_usd_per_mwh,
        4000.0 * crf(0.07, 60.0) / (8.76 * 0.85),
        1e-9,
    );
}

#[test]
fn pcge_construction_decommissioning_refurbishment() {
    let mut inputs = pcge_base();
    inputs.construction_years = 7.0;
    inputs.decommissioning_fraction = 0.15;
    inputs.decommissioning_years = 1.0;
    inputs.refurbishments = vec![Refurbishment {
        operating_year: 30.0,
        cost_usd_per_kw: 500.0,
    }];
    inputs.fixed_om_usd_per_kw_yr = 100.0;
    inputs.fuel_cost_usd_per_mwh = 9.33;
    let result = pcge_lcoe(&inputs).unwrap();
    // Spend at the end of each construction year: years −6..0 relative to commissioning.
    let at_cod: f64 = (0..7).map(|k| 4000.0 / 7.0 * 1.07f64.powi(6 - k)).sum();
    close(result.capital_at_commissioning_usd_per_kw, at_cod, 1e-9);
    let pv_generation = 8.76 * 0.85 / crf(0.07, 60.0);
    close(result.pv_generation_mwh_per_kw, pv_generation, 1e-9);
    close(
        result.decommissioning_usd_per_mwh,
        600.0 * 1.07f64.powi(-61) / pv_generation,
        1e-12,
    );
    close(
        result.refurbishment_usd_per_mwh,
        500.0 * 1.07f64.powi(-30) / pv_generation,
        1e-12,
    );
    close(result.fixed_om_usd_per_mwh, 100.0 / (8.76 * 0.85), 1e-9);
    let sum = result.capital_usd_per_mwh
        + result.fixed_om_usd_per_mwh
        + result.fuel_usd_per_mwh
        + result.decommissioning_usd_per_mwh
        + result.refurbishment_usd_per_mwh;
    close(result.lcoe_usd_per_mwh, sum, 1e-9);
    // Carbon only counts with emissions.
    inputs.emissions_tco2_per_mwh = 0.35;
    close(pcge_lcoe(&inputs).unwrap().carbon_usd_per_mwh, 10.5, 1e-12);
}

// Monte Carlo, tornado, learning.

fn normal(name: &str, mean: f64, sd: f64) -> UncertainInput {
    UncertainInput {
        name: name.to_owned(),
        distribution: Distribution::Normal { mean, sd },
        apply: Apply::Set,
    }
}

fn settings(samples: usize, seed: u64) -> MonteCarloSettings {
    MonteCarloSettings {
        samples,
        seed,
        histogram_bins: 20,
    }
}

#[test]
fn monte_carlo_zero_variance_equals_deterministic() {
    for case in [
        Case::Atb(e1_inputs()),
        Case::Cashflow(Box::new(e2_inputs())),
    ] {
        let base = case.lcoe().unwrap();
        let inputs = vec![
            normal(
                "capacity_factor",
                case.get(case.param_id("capacity_factor").unwrap()),
                0.0,
            ),
            UncertainInput {
                name: "fixed_om_usd_per_kw_yr".to_owned(),
                distribution: Distribution::Uniform { min: 1.0, max: 1.0 },
                apply: Apply::Scale,
            },
            UncertainInput {
                name: "variable_om_usd_per_mwh".to_owned(),
                distribution: Distribution::Triangular {
                    min: 0.0,
                    mode: 0.0,
                    max: 0.0,
                },
                apply: Apply::Add,
            },
        ];
        let result = monte_carlo(&case, &inputs, settings(300, 7)).unwrap();
        assert_eq!(result.failed, 0);
        assert!(
            result.values.iter().all(|value| *value == base),
            "{} {}",
            result.values[0],
            base
        );
        assert_eq!(result.deterministic, base);
    }
}

fn run_in_pool<T: Send>(threads: usize, job: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(job)
}

#[test]
fn monte_carlo_identical_for_any_thread_count() {
    let case = Case::Atb(e1_inputs());
    let inputs = vec![
        UncertainInput {
            name: "overnight_cost_usd_per_kw".to_owned(),
            distribution: Distribution::Pert {
                min: 5000.0,
                mode: 5750.0,
                max: 9000.0,
                lambda: 4.0,
            },
            apply: Apply::Set,
        },
        UncertainInput {
            name: "construction_finance_factor".to_owned(),
            distribution: Distribution::LogNormal {
                mu: 0.26,
                sigma: 0.05,
            },
            apply: Apply::Set,
        },
        normal("capacity_factor", 0.9, 0.03),
        UncertainInput {
            name: "fixed_om_usd_per_kw_yr".to_owned(),
            distribution: Distribution::Empirical {
                values: vec![150.0, 175.0, 200.0],
            },
            apply: Apply::Set,
        },
    ];
    let one = run_in_pool(1, || {
        monte_carlo(&case, &inputs, settings(10_000, 42)).unwrap()
    });
    let three = run_in_pool(3, || {
        monte_carlo(&case, &inputs, settings(10_000, 42)).unwrap()
    });
    assert_eq!(one, three);
    let other_seed = run_in_pool(2, || {
        monte_carlo(&case, &inputs, settings(10_000, 43)).unwrap()
    });
    assert_ne!(one.values, other_seed.values);
    // A prefix of samples is the same whatever the total.
    let short = monte_carlo(&case, &inputs, settings(100, 42)).unwrap();
    assert_eq!(short.values[..], one.values[..short.values.len()]);
    assert_eq!(one.histogram.counts.iter().sum::<usize>(), one.values.len());
    assert!(one.percentiles[0].1 <= one.percentiles[8].1);
}

#[test]
fn distributions_have_the_right_moments() {
    let mut rng = mc::SampleRng::new(1, 0);
    let mean_of = |distribution: &Distribution, rng: &mut mc::SampleRng| {
        (0..200_000).map(|_| distribution.sample(rng)).sum::<f64>() / 200_000.0
    };
    close(
        mean_of(&Distribution::Normal { mean: 3.0, sd: 2.0 }, &mut rng),
        3.0,
        0.02,
    );
    close(
        mean_of(
            &Distribution::LogNormal {
                mu: 0.0,
                sigma: 0.5,
            },
            &mut rng,
        ),
        (0.125f64).exp(),
        0.01,
    );
    close(
        mean_of(
            &Distribution::Triangular {
                min: 0.0,
                mode: 1.0,
                max: 5.0,
            },
            &mut rng,
        ),
        2.0,
        0.02,
    );
    // PERT mean (min + λ·mode + max)/(λ + 2).
    close(
        mean_of(
            &Distribution::Pert {
                min: 0.0,
                mode: 1.0,
                max: 5.0,
                lambda: 4.0,
            },
            &mut rng,
        ),
        1.5,
        0.02,
    );
    close(
        mean_of(&Distribution::Uniform { min: 2.0, max: 4.0 }, &mut rng),
        3.0,
        0.01,
    );
    close(mc::inverse_normal_cdf(0.975), 1.959_963_984_540_054, 1e-8);
    close(
        Distribution::Pert {
            min: 0.0,
            mode: 0.5,
            max: 1.0,
            lambda: 4.0,
        }
        .quantile(0.5),
        0.5,
        1e-9,
    );
    close(
        Distribution::Triangular {
            min: 0.0,
            mode: 0.0,
            max: 1.0,
        }
        .quantile(0.75),
        0.5,
        1e-12,
    );
}

#[test]
fn tornado_orders_by_swing() {
    let case = Case::Atb(e1_inputs());
    let inputs = vec![
        TornadoInput {
            name: "variable_om_usd_per_mwh".to_owned(),
            low: 2.0,
            high: 4.0,
        },
        TornadoInput {
            name: "overnight_cost_usd_per_kw".to_owned(),
            low: 5000.0,
            high: 8000.0,
        },
    ];
    let result = tornado(&case, &inputs).unwrap();
    assert_eq!(result.bars[0].name, "overnight_cost_usd_per_kw");
    close(result.bars[1].swing, 2.0, 1e-9);
    assert!(tornado(
        &case,
        &[TornadoInput {
            name: "nope".to_owned(),
            low: 0.0,
            high: 1.0
        }]
    )
    .is_err());
    let bad = tornado(
        &case,
        &[TornadoInput {
            name: "capacity_factor".to_owned(),
            low: 0.5,
            high: 1.5,
        }],
    );
    assert_eq!(bad.unwrap_err().field(), Some("capacity_factor"));
}

#[test]
fn learning_and_scale_sanity_values() {
    use learning::*;
    // Economics reference §10: LR 10 % → unit 2 = 0.90, unit 10 = 0.705; LR 5 % → 0.843; 15 % → 0.583.
    close(
        unit_cost(1.0, 0.10, 2, LearningForm::Unit).unwrap(),
        0.90,
        1e-12,
    );
    close(
        unit_cost(1.0, 0.10, 10, LearningForm::Unit).unwrap(),
        0.705,
        5e-4,
    );
    close(
        unit_cost(1.0, 0.05, 10, LearningForm::Unit).unwrap(),
        0.843,
        5e-4,
    );
    close(
        unit_cost(1.0, 0.15, 10, LearningForm::Unit).unwrap(),
        0.583,
        5e-4,
    );
    close(learning_exponent(0.10).unwrap(), 0.152, 5e-4);
    // Cumulative average: average of the first 2 units is 0.9.
    let second = unit_cost(1.0, 0.10, 2, LearningForm::CumulativeAverage).unwrap();
    close((1.0 + second) / 2.0, 0.9, 1e-12);
    // Scale: 300 MWe against 1,000 MWe with n = 0.6 → +62 % per kW.
    close(
        scaled_cost_per_kw(1.0, 1000.0, 300.0, 0.6).unwrap(),
        1.62,
        5e-3,
    );
    let schedule = LearningSchedule {
        foak_cost_usd_per_kw: 10_000.0,
        vendor_learning_rate: 0.05,
        country_learning_rate: 0.10,
        vendor_units_built: 0,
        country_units_built: 0,
        noak_floor_usd_per_kw: 7_000.0,
    };
    let costs = schedule.programme_costs(8).unwrap();
    close(costs[0], 10_000.0, 1e-9);
    close(costs[1], 10_000.0 * 0.95 * 0.90, 1e-9);
    assert!(costs.windows(2).all(|pair| pair[1] <= pair[0]));
    assert!(costs.iter().all(|cost| *cost >= 7_000.0));
    // Delay of 3 years and +30 % overrun on a 7-year uniform build at 7 %.
    let (before, after) =
        construction_with_delay(5000.0, 7, &SpendProfile::Uniform, 0.07, 3, 0.3).unwrap();
    close(before.construction_finance_factor, 1.2788, 5e-5);
    assert!(after.idc_usd_per_kw > before.idc_usd_per_kw * 1.3);
    close(after.overnight_cost_usd_per_kw, 6500.0, 1e-9);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn npv_at_irr_is_zero(
            outlay in 10.0f64..1e6,
            flows in proptest::collection::vec(0.0f64..1e5, 1..40),
        ) {
            let mut values = vec![-outlay];
            values.extend(flows.iter().copied());
            if let Ok(rate) = irr(&values) {
                let scale = values.iter().map(|value| value.abs()).sum::<f64>();
                prop_assert!(npv(rate, &values).abs() <= 1e-8 * scale, "npv {} at {}", npv(rate, &values), rate);
            } else {
                prop_assert!(flows.iter().all(|flow| *flow == 0.0));
            }
        }

        #[test]
        fn every_reported_root_is_a_root(values in proptest::collection::vec(-1e4f64..1e4, 2..30)) {
            let scale = values.iter().map(|value| value.abs()).sum::<f64>();
            for rate in irr_all(&values) {
                // Relative to the discounted magnitude at that rate.
                let magnitude: f64 = values.iter().enumerate().map(|(t, v)| v.abs() * (1.0 + rate).powi(-(t as i32))).sum();
                prop_assert!(npv(rate, &values).abs() <= 1e-7 * magnitude.max(scale * 1e-12), "rate {}", rate);
            }
        }

        #[test]
        fn atb_lcoe_rises_with_capex_and_wacc(
            overnight in 1000.0f64..15000.0,
            extra in 1.0f64..5000.0,
            equity_return in 0.0f64..0.2,
            bump in 0.001f64..0.05,
        ) {
            let mut inputs = e1_inputs();
            inputs.overnight_cost_usd_per_kw = overnight;
            inputs.rate_of_return_on_equity_nominal = equity_return;
            let base = atb_lcoe(&inputs).unwrap().lcoe_usd_per_mwh;
            let mut dearer = inputs.clone();
            dearer.overnight_cost_usd_per_kw += extra;
            prop_assert!(atb_lcoe(&dearer).unwrap().lcoe_usd_per_mwh > base);
            let mut costlier_money = inputs.clone();
            costlier_money.rate_of_return_on_equity_nominal += bump;
            prop_assert!(atb_lcoe(&costlier_money).unwrap().lcoe_usd_per_mwh > base);
        }

        #[test]
        fn pcge_and_cashflow_lcoe_rise_with_capex_and_rate(
            capex in 1000.0f64..12000.0,
            rate in 0.01f64..0.12,
            extra in 10.0f64..3000.0,
        ) {
            let mut pcge = pcge_base();
            pcge.construction_years = 6.0;
            pcge.overnight_cost_usd_per_kw = capex;
            pcge.discount_rate = rate;
            let base = pcge_lcoe(&pcge).unwrap().lcoe_usd_per_mwh;
            let mut dearer = pcge.clone();
            dearer.overnight_cost_usd_per_kw += extra;
            prop_assert!(pcge_lcoe(&dearer).unwrap().lcoe_usd_per_mwh > base);
            dearer.discount_rate += 0.01;
            prop_assert!(pcge_lcoe(&dearer).unwrap().lcoe_usd_per_mwh > pcge_lcoe(&pcge).unwrap().lcoe_usd_per_mwh);

            let mut cash = e2_inputs();
            cash.total_capital_cost_usd_per_kw = capex;
            cash.cost_of_equity = rate + 0.02;
            let base = cashflow_lcoe(&cash).unwrap();
            let mut dearer = cash.clone();
            dearer.total_capital_cost_usd_per_kw += extra;
            prop_assert!(cashflow_lcoe(&dearer).unwrap() > base);
            dearer.debt_rate += 0.01;
            dearer.cost_of_equity += 0.01;
            prop_assert!(cashflow_lcoe(&dearer).unwrap() > cashflow_lcoe(&cash).unwrap() );
        }

        #[test]
        fn monte_carlo_thread_invariant(seed in 0u64..1000, samples in 1usize..3000) {
            let case = Case::Pcge(pcge_base());
            let inputs = vec![
                UncertainInput { name: "overnight_cost_usd_per_kw".to_owned(), distribution: Distribution::Triangular { min: 3000.0, mode: 4000.0, max: 7000.0 }, apply: Apply::Set },
                normal("discount_rate", 0.07, 0.01),
            ];
            let one = run_in_pool(1, || monte_carlo(&case, &inputs, settings(samples, seed)).unwrap());
            let two = run_in_pool(2, || monte_carlo(&case, &inputs, settings(samples, seed)).unwrap());
            prop_assert_eq!(one, two);
        }
    }
}

#[test]
fn ppa_without_merchant_price_solves_the_required_price() {
    let mut inputs = e2_inputs();
    inputs.ppas = vec![Ppa {
        price_usd_per_mwh: 123.5,
        share_of_output: 0.35,
        years: 15.0,
        start_operating_year: 1.0,
        escalation: 0.0,
    }];
    let result = cashflow(&inputs).unwrap();
    let required = result.required_merchant_price_usd_per_mwh.unwrap();
    close(result.equity_irr.unwrap(), 0.12, 1e-9);
    // The PPA price is above the levelised tariff, so the rest needs less than the tariff.
    assert!(required < result.lcoe_usd_per_mwh, "{required}");
}

#[test]
fn percentiles_by_selection_match_sorting() {
    let case = Case::Pcge(pcge_base());
    let inputs = vec![normal("discount_rate", 0.07, 0.01)];
    let result = monte_carlo(&case, &inputs, settings(1001, 3)).unwrap();
    let mut sorted = result.values.clone();
    sorted.sort_by(f64::total_cmp);
    for (p, value) in &result.percentiles {
        close(*value, mc::percentile_sorted(&sorted, *p), 1e-12);
    }
    assert_eq!(result.min, sorted[0]);
    assert_eq!(result.max, sorted[1000]);
}

#[test]
fn percentiles_exact_with_ties() {
    let case = Case::Atb(e1_inputs());
    let inputs = vec![UncertainInput {
        name: "fixed_om_usd_per_kw_yr".to_owned(),
        distribution: Distribution::Empirical {
            values: vec![150.0, 175.0, 175.0, 200.0, 1e6],
        },
        apply: Apply::Set,
    }];
    for samples in [1, 2, 7, 5000] {
        let result = monte_carlo(&case, &inputs, settings(samples, 11)).unwrap();
        let mut sorted = result.values.clone();
        sorted.sort_by(f64::total_cmp);
        for (p, value) in &result.percentiles {
            assert_eq!(
                *value,
                mc::percentile_sorted(&sorted, *p),
                "P{p} of {samples}"
            );
        }
    }
}

/// The ATB fast path (checks of the drawn inputs only, fixed charge rate hoisted) gives the
/// same values, bit for bit, and the same failures as evaluating the whole case per sample.
#[test]
fn monte_carlo_atb_fast_path_matches_case_lcoe() {
    let case = Case::Atb(e1_inputs());
    for financing in [false, true] {
        let mut inputs = vec![
            normal("capacity_factor", 0.97, 0.05),
            UncertainInput {
                name: "overnight_cost_usd_per_kw".to_owned(),
                distribution: Distribution::Normal {
                    mean: 300.0,
                    sd: 200.0,
                },
                apply: Apply::Add,
            },
        ];
        inputs.push(UncertainInput {
            name: "construction_finance_factor".to_owned(),
            distribution: Distribution::Triangular {
                min: 0.9,
                mode: 1.0,
                max: 1.3,
            },
            apply: Apply::Scale,
        });
        inputs.push(UncertainInput {
            name: "fixed_om_usd_per_kw_yr".to_owned(),
            distribution: Distribution::Pert {
                min: 150.0,
                mode: 175.0,
                max: 260.0,
                lambda: 4.0,
            },
            apply: Apply::Set,
        });
        if financing {
            inputs.push(UncertainInput {
                name: "rate_of_return_on_equity_nominal".to_owned(),
                distribution: Distribution::Uniform {
                    min: 0.08,
                    max: 0.13,
                },
                apply: Apply::Set,
            });
            // Invalid at and above 1: failures of a financing input.
            inputs.push(UncertainInput {
                name: "tax_rate".to_owned(),
                distribution: Distribution::Uniform {
                    min: 0.2,
                    max: 1.02,
                },
                apply: Apply::Set,
            });
        }
        let samples = 3000usize;
        let result = monte_carlo(&case, &inputs, settings(samples, 5)).unwrap();
        // Replays the draws: block b draws input k for its samples in order from
        // SampleRng::for_block(seed, b, k).
        let mut drawn = vec![Vec::new(); inputs.len()];
        for block_start in (0..samples).step_by(mc::BLOCK) {
            let len = mc::BLOCK.min(samples - block_start);
            for (k, input) in inputs.iter().enumerate() {
                let mut rng =
                    mc::SampleRng::for_block(5, (block_start / mc::BLOCK) as u64, k as u64);
                for _ in 0..len {
                    drawn[k].push(input.distribution.sample(&mut rng));
                }
            }
        }
        let mut expected = Vec::new();
        #[allow(clippy::needless_range_loop)]
        for idx in 0..samples {
            let mut work_case = case.clone();
            for (k, input) in inputs.iter().enumerate() {
                let id = case.param_id(&input.name).unwrap();
                let value = match input.apply {
                    Apply::Set => drawn[k][idx],
                    Apply::Scale => case.get(id) * drawn[k][idx],
                    Apply::Add => case.get(id) + drawn[k][idx],
                };
                work_case.set(id, value);
            }
            if let Ok(value) = work_case.lcoe() {
                expected.push(value);
            }
        }
        assert!(result.failed > 100, "{}", result.failed);
        assert_eq!(result.failed, samples - expected.len());
        assert_eq!(result.values, expected);
        let generic = mc::monte_carlo_with(&case, &inputs, settings(samples, 5), false).unwrap();
        assert_eq!(result, generic);
    }
}

#[test]
fn ziggurat_normal_tails() {
    // P(|z| > 1.96) = 5 %, P(z > 3) = 0.135 %, P(z > 3.5) = 0.0233 % (tail beyond R = 3.44).
    let distribution = Distribution::Normal { mean: 0.0, sd: 1.0 };
    let n = 400_000u64;
    let (mut beyond_196, mut above_3, mut above_35) = (0u32, 0u32, 0u32);
    for idx in 0..n {
        let z = distribution.sample(&mut mc::SampleRng::new(9, idx));
        beyond_196 += u32::from(z.abs() > 1.96);
        above_3 += u32::from(z > 3.0);
        above_35 += u32::from(z > 3.5);
    }
    let share = |count: u32| f64::from(count) / 400_000.0;
    close(share(beyond_196), 0.05, 0.002);
    close(share(above_3), 0.00135, 0.0003);
    close(share(above_35), 0.000_233, 0.000_1);
}

#[test]
fn atb_fcr_lanes_is_bit_identical() {
    // The Monte Carlo fast path must give exactly the fixed charge rate of the full formula.
    let mut inputs = e1_inputs();
    let fractions = inputs.depreciation.fractions().into_owned();
    let mut rows = Vec::new();
    for roe in [0.0, 0.05, 0.08, 0.1034, 0.13, 0.25] {
        for debt in [0.0, 0.4, 0.693_892_638_427_338, 1.0] {
            for period in [20.0, 30.0, 42.5] {
                inputs.rate_of_return_on_equity_nominal = roe;
                inputs.debt_fraction = debt;
                inputs.cost_recovery_period_years = period;
                rows.push(inputs.values());
                let finance = crate::atb::atb_finance_unchecked(&inputs);
                rows.last_mut().unwrap()[0] = finance.crf * finance.pff;
            }
        }
    }
    // Column c of the tile is input c of every row; the expected FCR is parked in column 0.
    let columns: Vec<Vec<f64>> = (0..15)
        .map(|c| rows.iter().map(|row| row[c]).collect())
        .collect();
    let cols: [&[f64]; 15] = std::array::from_fn(|c| columns[c].as_slice());
    // Groups of 4 (period 42.5 in some lanes sends whole groups to the logarithm) and of 1.
    for (start, row) in rows.iter().enumerate() {
        let one = crate::atb::atb_fcr_lanes::<1>(&cols, start, &fractions)[0];
        assert_eq!(one.to_bits(), row[0].to_bits(), "{row:?}");
        if start % 4 == 0 && start + 4 <= rows.len() {
            let four = crate::atb::atb_fcr_lanes::<4>(&cols, start, &fractions);
            for (lane, fcr) in four.iter().enumerate() {
                assert_eq!(fcr.to_bits(), rows[start + lane][0].to_bits(), "{row:?}");
            }
        }
    }
}

#[test]
fn atb_validate_uses_one_rule_per_field() {
    // The field order of the rules is the order of the case's inputs.
    let case = Case::Atb(e1_inputs());
    for (idx, name) in case.param_names().iter().enumerate() {
        assert_eq!(AtbInputs::field_index(name), Some(idx), "{name}");
    }
    // Each rule rejects exactly what `validate` rejects for that field.
    for name in case.param_names() {
        let id = case.param_id(name).unwrap();
        for value in [
            -2.0,
            -1.0,
            -0.5,
            0.0,
            0.5,
            1.0,
            1.5,
            f64::NAN,
            f64::INFINITY,
        ] {
            let mut bad = case.clone();
            bad.set(id, value);
            let whole = bad.validate().is_ok();
            assert_eq!(
                AtbInputs::field_rule(name).unwrap().holds(value),
                whole,
                "{name} = {value}"
            );
        }
    }
}

#[test]
fn gamma_bound_test_implies_the_exact_test() {
    // The log-free acceptance of the Marsaglia–Tsang gamma draw may only accept what the exact
    // test accepts, so the draws are the same.
    let mut accepted_by_bounds = 0u32;
    for d in [0.667, 1.4167, 3.9167, 10.0, 100.0] {
        let c = 1.0 / f64::sqrt(9.0 * d);
        for xi in -400..=400 {
            let x = f64::from(xi) / 80.0;
            let v = 1.0 + c * x;
            if v <= 0.0 {
                continue;
            }
            let v = v * v * v;
            for ui in 1..200 {
                let u = f64::from(ui) / 200.0;
                let x2 = x * x;
                if mc::accept_without_logs(u, v, x2, d) {
                    accepted_by_bounds += 1;
                    assert!(
                        u.ln() < 0.5 * x2 + d * (1.0 - v + v.ln()),
                        "d {d} x {x} u {u}"
                    );
                }
            }
        }
    }
    assert!(accepted_by_bounds > 10_000, "{accepted_by_bounds}");
}
