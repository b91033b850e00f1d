//! Tests of the capital charges, the PPA host cost, the WACC sensitivity, the cost-to-the-state
//! view and the inflation of the cash-flow model, against values derived by hand (the
//! arithmetic is in each test and in docs/methods/economics.md).

use crate::cashflow::{cashflow, cashflow_lcoe, CashflowInputs, GraceInterest, Ppa, Repayment};
use crate::charge::{
    capital_charge, offer_loan_schedule, ppa_host_cost, wacc_sensitivity, BuildCost, Financing,
    FinancingOffer, PpaHostInputs, SimpleLcoeInputs,
};
use crate::error::EconError;
use crate::finance::{
    annuity_factor, capital_recovery_factor, crf, nominal_from_real, price_index,
    real_from_nominal, to_nominal, to_real,
};
use crate::spend::{construction_finance_factor, idc_factor_uniform, SpendProfile};
use crate::state::{cost_to_state, StateViewInputs};

fn close(actual: f64, expected: f64, tolerance: f64) {
    let scale = expected.abs().max(1.0);
    assert!(
        (actual - expected).abs() <= tolerance * scale,
        "{actual} vs {expected} (tolerance {tolerance})"
    );
}

fn build(overnight: f64, construction_years: f64, life_years: f64) -> BuildCost {
    BuildCost {
        overnight_cost_usd_per_kw: overnight,
        construction_years,
        spend_profile: SpendProfile::Uniform,
        life_years,
    }
}

fn offer(
    debt_fraction: f64,
    debt_rate: f64,
    cost_of_equity: f64,
    inflation: f64,
) -> FinancingOffer {
    FinancingOffer {
        debt_fraction,
        debt_rate,
        debt_tenor_years: 1.0,
        grace_years: 0.0,
        repayment: Repayment::Annuity,
        grace_interest: GraceInterest::Capitalised,
        cost_of_equity,
        inflation,
    }
}

#[test]
fn fisher_relation_and_price_index() {
    // 7.1 % nominal at 2 % inflation: 1.071/1.02 = 1.05 exactly.
    close(real_from_nominal(0.071, 0.02), 0.05, 1e-15);
    close(nominal_from_real(0.05, 0.02), 0.071, 1e-15);
    // Round trip, and no inflation leaves the rate unchanged.
    close(
        real_from_nominal(nominal_from_real(0.03, 0.025), 0.025),
        0.03,
        1e-15,
    );
    close(real_from_nominal(0.08, 0.0), 0.08, 1e-15);
    // 100 of money of the day in 2 years at 2 % inflation = 100/1.0404 real.
    close(price_index(0.02, 2.0), 1.0404, 1e-15);
    close(to_real(104.04, 0.02, 2.0), 100.0, 1e-13);
    close(to_nominal(100.0, 0.02, 2.0), 104.04, 1e-13);
}

#[test]
fn capital_recovery_factor_edge_cases() {
    // The edge cases planning models relied on, now in one function.
    close(capital_recovery_factor(0.0, 20.0), 0.05, 1e-15);
    assert_eq!(capital_recovery_factor(0.07, 0.0), 1.0);
    assert_eq!(capital_recovery_factor(0.07, -3.0), 1.0);
    assert_eq!(capital_recovery_factor(0.07, f64::INFINITY), 0.07);
    assert_eq!(capital_recovery_factor(0.0, f64::INFINITY), 0.0);
    assert!(capital_recovery_factor(f64::NAN, 10.0).is_nan());
    // 10 % over 2 years: 0.1/(1 − 1/1.21) = 0.121/0.21.
    close(capital_recovery_factor(0.1, 2.0), 0.121 / 0.21, 1e-15);
    close(capital_recovery_factor(0.07, 30.0), crf(0.07, 30.0), 0.0);
    // A rate within 1e-12 of zero (planning's old threshold) is within 1e-10 of 1/n.
    close(capital_recovery_factor(1e-13, 40.0), 1.0 / 40.0, 1e-10);
    close(annuity_factor(0.1, 2.0), 0.21 / 0.121, 1e-14);
    assert_eq!(annuity_factor(0.1, 0.0), 0.0);
}

#[test]
fn idc_factor_uniform_is_planning_convention() {
    // 2 years at 10 %: half the cost at mid-year 1 (1.5 years to COD), half at mid-year 2.
    let expected = 0.5 * 1.1_f64.powf(1.5) + 0.5 * 1.1_f64.powf(0.5);
    close(idc_factor_uniform(0.1, 2.0), expected, 1e-15);
    // Fractional lead times round up to whole years.
    assert_eq!(idc_factor_uniform(0.1, 1.2), idc_factor_uniform(0.1, 2.0));
    assert_eq!(idc_factor_uniform(0.1, 0.0), 1.0);
    assert_eq!(idc_factor_uniform(0.1, -1.0), 1.0);
    assert_eq!(idc_factor_uniform(0.1, f64::NAN), 1.0);
    assert_eq!(idc_factor_uniform(0.0, 5.0), 1.0);
}

#[test]
fn plain_wacc_charge_by_hand() {
    // 1,000 USD/kW, 2 years uniform, 10 % real, 2-year life:
    // CFF = 0.5·1.1^1.5 + 0.5·1.1^0.5 = 1.101249290578659,
    // CRF = 0.121/0.21 = 0.576190476190476, charge = 634.5293531429415.
    let cost = build(1000.0, 2.0, 2.0);
    let charge = capital_charge(&cost, &Financing::RealWacc(0.1)).unwrap();
    close(charge.charge_usd_per_kw_yr, 634.529_353_142_941_5, 1e-13);
    close(
        charge.capital_at_cod_usd_per_kw,
        1_101.249_290_578_659,
        1e-13,
    );
    close(charge.idc_usd_per_kw, 101.249_290_578_659, 1e-11);
    assert_eq!(charge.levelising_rate_real, 0.1);
    assert_eq!(charge.equivalent_real_wacc, Some(0.1));
    // The same as overnight · idc_factor_uniform · capital_recovery_factor.
    close(
        charge.charge_usd_per_kw_yr,
        1000.0 * idc_factor_uniform(0.1, 2.0) * capital_recovery_factor(0.1, 2.0),
        1e-15,
    );
    // Built at once: overnight · CRF.
    let at_once = capital_charge(&build(1000.0, 0.0, 2.0), &Financing::RealWacc(0.1)).unwrap();
    close(at_once.charge_usd_per_kw_yr, 1000.0 * 0.121 / 0.21, 1e-14);
}

#[test]
fn offer_charge_by_hand() {
    // 1,000 USD/kW (price-year money), 1 construction year, 2-year life; 50 % loan at 5 %
    // nominal, one instalment a year after COD, interest capitalised; equity 10 % nominal;
    // inflation 2 %.
    // Spend at t = 0.5: 1000·1.02^0.5 = 1009.9504938; loan draws half, 504.9752469.
    // Interest to COD: 504.9752469·(1.05^0.5 − 1) = 12.4704024; balance 517.4456493.
    // Instalment at t = 2: 517.4456493·1.05 = 543.3179318.
    // PV at 10 %: 504.9752469/1.1^0.5 + 543.3179318/1.1^2 = 930.4980906.
    // Real cost of equity ρ = 1.10/1.02 − 1 = 7.843137 %;
    // PV of 1 real a year: (1.02/1.1)^2 + (1.02/1.1)^3 = 1.6571359880.
    // R = 930.4980906 / 1.6571359880 = 561.5097960 USD/kW-yr.
    let cost = build(1000.0, 1.0, 2.0);
    let terms = offer(0.5, 0.05, 0.10, 0.02);
    let schedule = offer_loan_schedule(&cost, &terms).unwrap();
    assert_eq!(schedule.len(), 3);
    close(schedule[1].drawn_usd_per_kw, 504.975_246_918_103_9, 1e-13);
    close(
        schedule[1].interest_capitalised_usd_per_kw,
        12.470_402_401_706_355,
        1e-12,
    );
    close(schedule[1].balance_usd_per_kw, 517.445_649_319_810_3, 1e-13);
    close(
        schedule[2].interest_paid_usd_per_kw,
        25.872_282_465_990_516,
        1e-12,
    );
    close(
        schedule[2].principal_usd_per_kw,
        517.445_649_319_810_3,
        1e-13,
    );
    close(schedule[2].balance_usd_per_kw, 0.0, 1e-12);
    let charge = capital_charge(&cost, &Financing::Offer(terms.clone())).unwrap();
    close(charge.charge_usd_per_kw_yr, 561.509_795_998_574_8, 1e-12);
    close(charge.levelising_rate_real, 1.1 / 1.02 - 1.0, 1e-15);
    // Equivalent real WACC: 1000·(1 + w)^0.5·CRF(w, 2) = R at w = 5.99507 %.
    close(
        charge.equivalent_real_wacc.unwrap(),
        0.059_950_698_731_190_34,
        1e-9,
    );
    // Cheaper debt lowers the charge; dearer debt raises it.
    let cheap = capital_charge(&cost, &Financing::Offer(offer(0.5, 0.02, 0.10, 0.02))).unwrap();
    let dear = capital_charge(&cost, &Financing::Offer(offer(0.5, 0.12, 0.10, 0.02))).unwrap();
    assert!(cheap.charge_usd_per_kw_yr < charge.charge_usd_per_kw_yr);
    assert!(dear.charge_usd_per_kw_yr > charge.charge_usd_per_kw_yr);
}

#[test]
fn offer_reduces_to_plain_wacc_when_debt_costs_what_equity_costs() {
    // A loan at the cost of equity is worth what it lends at that rate, whatever its tenor,
    // grace and repayment, so the offer's charge is the plain charge at the real cost of
    // equity. This ties the nominal offer to the real basis of every other build.
    for (construction_years, profile) in [
        (0.0, SpendProfile::Uniform),
        (5.0, SpendProfile::Uniform),
        (7.0, SpendProfile::SCurve),
        (3.0, SpendProfile::Explicit(vec![1.0, 3.0, 2.0])),
    ] {
        for (repayment, grace_interest, grace_years, tenor) in [
            (Repayment::Annuity, GraceInterest::Capitalised, 0.0, 20.0),
            (Repayment::StraightLine, GraceInterest::Paid, 3.0, 15.0),
            (Repayment::Annuity, GraceInterest::Paid, 10.0, 1.0),
        ] {
            let cost = BuildCost {
                overnight_cost_usd_per_kw: 6000.0,
                construction_years,
                spend_profile: profile.clone(),
                life_years: 60.0,
            };
            let mut terms = offer(0.8, 0.09, 0.09, 0.025);
            terms.repayment = repayment;
            terms.grace_interest = grace_interest;
            terms.grace_years = grace_years;
            terms.debt_tenor_years = tenor;
            let from_offer = capital_charge(&cost, &Financing::Offer(terms.clone())).unwrap();
            let real = real_from_nominal(0.09, 0.025);
            let plain = capital_charge(&cost, &Financing::RealWacc(real)).unwrap();
            close(
                from_offer.charge_usd_per_kw_yr,
                plain.charge_usd_per_kw_yr,
                1e-11,
            );
            close(
                from_offer.capital_at_cod_usd_per_kw,
                plain.capital_at_cod_usd_per_kw,
                1e-11,
            );
            close(from_offer.equivalent_real_wacc.unwrap(), real, 1e-9);
        }
    }
}

#[test]
fn offer_without_inflation_or_debt_is_the_nominal_rate() {
    // All equity at 8 % with no inflation: the plain charge at 8 %.
    let cost = build(5000.0, 6.0, 40.0);
    let charge = capital_charge(&cost, &Financing::Offer(offer(0.0, 0.0, 0.08, 0.0))).unwrap();
    let plain = capital_charge(&cost, &Financing::RealWacc(0.08)).unwrap();
    close(
        charge.charge_usd_per_kw_yr,
        plain.charge_usd_per_kw_yr,
        1e-12,
    );
    assert!(offer_loan_schedule(&cost, &offer(0.0, 0.0, 0.08, 0.0))
        .unwrap()
        .is_empty());
    // Inflation with nominal terms held fixed lowers the real charge: the same nominal
    // return is a lower real one.
    let inflated = capital_charge(&cost, &Financing::Offer(offer(0.0, 0.0, 0.08, 0.03))).unwrap();
    assert!(inflated.charge_usd_per_kw_yr < charge.charge_usd_per_kw_yr);
}

#[test]
fn loan_schedule_repays_what_was_drawn() {
    let cost = BuildCost {
        overnight_cost_usd_per_kw: 7000.0,
        construction_years: 6.0,
        spend_profile: SpendProfile::SCurve,
        life_years: 60.0,
    };
    for repayment in [Repayment::Annuity, Repayment::StraightLine] {
        for grace_interest in [GraceInterest::Capitalised, GraceInterest::Paid] {
            let mut terms = offer(0.85, 0.03, 0.1, 0.02);
            terms.debt_tenor_years = 22.0;
            terms.grace_years = 2.0;
            terms.repayment = repayment;
            terms.grace_interest = grace_interest;
            let rows = offer_loan_schedule(&cost, &terms).unwrap();
            assert_eq!(rows.len(), 1 + 6 + 2 + 22);
            let drawn: f64 = rows.iter().map(|row| row.drawn_usd_per_kw).sum();
            let capitalised: f64 = rows
                .iter()
                .map(|row| row.interest_capitalised_usd_per_kw)
                .sum();
            let principal: f64 = rows.iter().map(|row| row.principal_usd_per_kw).sum();
            close(principal, drawn + capitalised, 1e-12);
            close(rows.last().unwrap().balance_usd_per_kw, 0.0, 1e-9);
            // Nothing is repaid before the first instalment, at the end of year 6 + 2 + 1.
            assert!(rows[..9].iter().all(|row| row.principal_usd_per_kw == 0.0));
            assert!(rows[9].principal_usd_per_kw > 0.0);
            if repayment == Repayment::Annuity {
                let service: Vec<f64> = rows[9..]
                    .iter()
                    .map(|row| row.service_usd_per_kw())
                    .collect();
                for value in &service {
                    close(*value, service[0], 1e-12);
                }
            }
            // The loan's flows are worth what it lent, at its own rate.
            let pv = |value: f64, year: f64| value * 1.03_f64.powf(-year);
            // Draws sit at mid-year: t = year − 0.5.
            #[allow(clippy::cast_precision_loss)]
            let pv_draws: f64 = rows[1..=6]
                .iter()
                .map(|row| pv(row.drawn_usd_per_kw, row.year as f64 - 0.5))
                .sum();
            #[allow(clippy::cast_precision_loss)]
            let pv_service: f64 = rows
                .iter()
                .map(|row| pv(row.service_usd_per_kw(), row.year as f64))
                .sum();
            close(pv_service, pv_draws, 1e-12);
        }
    }
}

#[test]
fn charge_rejects_bad_inputs() {
    let cost = build(1000.0, 2.0, 30.0);
    let field = |result: Result<_, EconError>| result.unwrap_err().field().map(str::to_owned);
    assert_eq!(
        field(capital_charge(
            &build(1000.0, 2.5, 30.0),
            &Financing::RealWacc(0.05)
        )),
        Some("construction_years".to_owned())
    );
    assert_eq!(
        field(capital_charge(
            &build(1000.0, 2.0, 0.0),
            &Financing::RealWacc(0.05)
        )),
        Some("life_years".to_owned())
    );
    assert_eq!(
        field(capital_charge(
            &build(-1.0, 2.0, 30.0),
            &Financing::RealWacc(0.05)
        )),
        Some("overnight_cost_usd_per_kw".to_owned())
    );
    assert_eq!(
        field(capital_charge(&cost, &Financing::RealWacc(-1.0))),
        Some("wacc_real".to_owned())
    );
    let mut terms = offer(0.5, 0.05, 0.1, 0.02);
    terms.debt_tenor_years = 0.0;
    assert_eq!(
        field(capital_charge(&cost, &Financing::Offer(terms))),
        Some("debt_tenor_years".to_owned())
    );
    assert_eq!(
        field(capital_charge(
            &cost,
            &Financing::Offer(offer(1.5, 0.05, 0.1, 0.02))
        )),
        Some("debt_fraction".to_owned())
    );
    assert_eq!(
        field(capital_charge(
            &cost,
            &Financing::Offer(offer(0.5, 0.05, 0.1, f64::NAN))
        )),
        Some("inflation".to_owned())
    );
}

#[test]
fn ppa_host_cost_by_hand() {
    // USD 100/MWh in money of the first contract year, +2 %/yr, half the output of a plant at
    // 90 %, 2 years from the first operating year; 1 construction year; inflation 2 %; the
    // host discounts at 5 % real. Payments at t = 2 and 3: 100 and 102 in money of the day,
    // 100/1.02^2 = 96.1168781 and 102/1.02^3 = 96.1168781 real (escalation = inflation keeps
    // the real price flat). Contracted energy 0.5·0.9·8.76 = 3.942 MWh/kW-yr, so the charge is
    // 96.1168781·3.942 = 378.8927336 USD/kW-yr.
    let inputs = PpaHostInputs {
        ppa: Ppa {
            price_usd_per_mwh: 100.0,
            share_of_output: 0.5,
            years: 2.0,
            start_operating_year: 1.0,
            escalation: 0.02,
        },
        capacity_factor: 0.9,
        construction_years: 1.0,
        real_discount_rate: 0.05,
        inflation: 0.02,
    };
    let cost = ppa_host_cost(&inputs).unwrap();
    assert_eq!(cost.years.len(), 2);
    assert_eq!((cost.years[0].year, cost.years[1].year), (2, 3));
    close(cost.years[1].price_usd_per_mwh, 102.0, 1e-15);
    close(
        cost.years[0].price_real_usd_per_mwh,
        96.116_878_123_798_54,
        1e-14,
    );
    close(cost.years[1].payment_usd_per_kw, 102.0 * 3.942, 1e-14);
    close(cost.contracted_mwh_per_kw_yr, 3.942, 1e-15);
    close(
        cost.levelised_price_real_usd_per_mwh,
        96.116_878_123_798_54,
        1e-14,
    );
    close(cost.charge_usd_per_kw_yr, 378.892_733_564_013_95, 1e-13);
    // A flat nominal price falls in real terms: the second year is worth less.
    let mut flat = inputs.clone();
    flat.ppa.escalation = 0.0;
    let flat = ppa_host_cost(&flat).unwrap();
    close(
        flat.years[1].price_real_usd_per_mwh,
        100.0 / 1.02_f64.powi(3),
        1e-14,
    );
    // Levelised: weights 1.05^-2 and 1.05^-3.
    let (w2, w3) = (1.05_f64.powi(-2), 1.05_f64.powi(-3));
    let expected = (100.0 / 1.0404 * w2 + 100.0 / 1.061_208 * w3) / (w2 + w3);
    close(flat.levelised_price_real_usd_per_mwh, expected, 1e-14);
    // Bad input names the key.
    let mut bad = inputs;
    bad.ppa.share_of_output = 1.2;
    assert_eq!(
        ppa_host_cost(&bad).unwrap_err().field(),
        Some("share_of_output")
    );
}

#[test]
fn ppa_lifetime_charge_by_hand() {
    // The contract of `ppa_host_cost_by_hand` over a 4-year life, the other output costing
    // 200 USD/kW-yr of plant: years 1-2 cost 378.8927 + 0.5·200 = 478.8927, years 3-4 cost
    // 200; at 5 % from t = 2..5: (478.8927·(w2 + w3) + 200·(w4 + w5))/(w2 + w3 + w4 + w5).
    let inputs = PpaHostInputs {
        ppa: Ppa {
            price_usd_per_mwh: 100.0,
            share_of_output: 0.5,
            years: 2.0,
            start_operating_year: 1.0,
            escalation: 0.02,
        },
        capacity_factor: 0.9,
        construction_years: 1.0,
        real_discount_rate: 0.05,
        inflation: 0.02,
    };
    let weights: Vec<f64> = (2..=5).map(|t| 1.05_f64.powi(-t)).collect();
    let contract_years = 100.0 / 1.0404 * 3.942 + 100.0;
    let expected = (contract_years * (weights[0] + weights[1]) + 200.0 * (weights[2] + weights[3]))
        / weights.iter().sum::<f64>();
    let charge = crate::charge::ppa_lifetime_charge(&inputs, 4.0, 200.0).unwrap();
    close(charge, expected, 1e-14);
    close(charge, 346.244_584_425_362_8, 1e-12);
    // A contract for all the output over the whole life is the contract's own charge.
    let mut whole = inputs.clone();
    whole.ppa.share_of_output = 1.0;
    whole.ppa.years = 4.0;
    whole.ppa.escalation = 0.02;
    let own = ppa_host_cost(&whole).unwrap().charge_usd_per_kw_yr;
    close(
        crate::charge::ppa_lifetime_charge(&whole, 4.0, 999.0).unwrap(),
        own,
        1e-13,
    );
    assert_eq!(
        crate::charge::ppa_lifetime_charge(&inputs, 2.5, 200.0)
            .unwrap_err()
            .field(),
        Some("life_years")
    );
}

#[test]
fn wacc_sensitivity_by_hand() {
    // Built at once, 1,000 USD/kW, 2-year life, FOM 20 USD/kW-yr, CF 0.5 (4.38 MWh/kW-yr),
    // 3 USD/MWh: LCOE = (1000·CRF(w, 2) + 20)/4.38 + 3.
    let inputs = SimpleLcoeInputs {
        cost: build(1000.0, 0.0, 2.0),
        fixed_om_usd_per_kw_yr: 20.0,
        variable_cost_usd_per_mwh: 3.0,
        capacity_factor: 0.5,
    };
    let sensitivity = wacc_sensitivity(&inputs, 0.0, 0.1, 0.2).unwrap();
    // 0 %: 500 USD/kW-yr; 10 %: 576.190476; 20 %: 0.2·1.44/0.44 ·1000 = 654.545454.
    close(sensitivity.low.charge_usd_per_kw_yr, 500.0, 1e-15);
    close(
        sensitivity.central.charge_usd_per_kw_yr,
        121_000.0 / 210.0,
        1e-14,
    );
    close(
        sensitivity.high.charge_usd_per_kw_yr,
        288_000.0 / 440.0,
        1e-14,
    );
    close(sensitivity.low.lcoe_usd_per_mwh, 520.0 / 4.38 + 3.0, 1e-14);
    close(
        sensitivity.high.lcoe_usd_per_mwh,
        (288_000.0 / 440.0 + 20.0) / 4.38 + 3.0,
        1e-14,
    );
    assert!(sensitivity.low.lcoe_usd_per_mwh < sensitivity.central.lcoe_usd_per_mwh);
    assert!(sensitivity.central.lcoe_usd_per_mwh < sensitivity.high.lcoe_usd_per_mwh);
    assert!(wacc_sensitivity(&inputs, -1.5, 0.1, 0.2).is_err());
}

#[test]
fn wacc_point_matches_the_cash_flow_model() {
    // All equity, no tax, spent at once: the cash-flow tariff at 7 % is the plain LCOE.
    let inputs = SimpleLcoeInputs {
        cost: build(5000.0, 0.0, 30.0),
        fixed_om_usd_per_kw_yr: 100.0,
        variable_cost_usd_per_mwh: 7.0,
        capacity_factor: 0.9,
    };
    let mut cashflow_inputs =
        CashflowInputs::with_defaults(1000.0, 5000.0, 100.0, 2.0, 0.5, 10.0, 0.9, 30.0);
    cashflow_inputs.cost_of_equity = 0.07;
    let point = crate::charge::lcoe_at_wacc(&inputs, 0.07).unwrap();
    close(
        point.lcoe_usd_per_mwh,
        cashflow_lcoe(&cashflow_inputs).unwrap(),
        1e-9,
    );
}

#[test]
fn cash_flow_real_tariff_with_inflation() {
    // All equity at 9.18 % nominal with 4 % inflation (5 % real), no tax, spent at once, O&M
    // escalating with inflation. O&M is stated in money of the first operating year (t = 1),
    // so the real FOM of financial close is 100 and it enters as 104. Equity NPV = 0 gives
    // R·E = 5000·CRF(5 %, 30) + 100, and R = (5000·CRF + 100)/(8.76·0.9) per MWh (no fuel).
    let mut inputs = CashflowInputs::with_defaults(1000.0, 5000.0, 104.0, 0.0, 0.0, 0.0, 0.9, 30.0);
    inputs.cost_of_equity = nominal_from_real(0.05, 0.04);
    inputs.inflation = 0.04;
    inputs.om_escalation = 0.04;
    let result = cashflow(&inputs).unwrap();
    let expected = (5000.0 * crf(0.05, 30.0) + 100.0) / (8.76 * 0.9);
    close(result.lcoe_real_usd_per_mwh, expected, 1e-9);
    close(result.real_discount_rate, 0.05, 1e-12);
    close(result.rows[2].price_index, 1.04_f64.powi(2), 1e-15);
    // The flat nominal tariff is above the real one (it must cover later, inflated years).
    assert!(result.lcoe_usd_per_mwh > result.lcoe_real_usd_per_mwh);
    // Without inflation the real tariff is the flat one.
    let mut no_inflation = inputs.clone();
    no_inflation.inflation = 0.0;
    no_inflation.om_escalation = 0.0;
    let result = cashflow(&no_inflation).unwrap();
    assert_eq!(result.lcoe_real_usd_per_mwh, result.lcoe_usd_per_mwh);
    let mut bad = inputs;
    bad.inflation = -1.0;
    assert_eq!(cashflow(&bad).unwrap_err().field(), Some("inflation"));
}

fn state_inputs(state_borrowed_share: f64, guaranteed_share: f64) -> StateViewInputs {
    let mut terms = offer(0.5, 0.05, 0.1, 0.02);
    terms.debt_tenor_years = 2.0;
    terms.repayment = Repayment::StraightLine;
    StateViewInputs {
        cost: build(1000.0, 1.0, 40.0),
        capacity_mw: 1.0,
        capacity_factor: 0.9,
        offer: terms,
        state_borrowed_share,
        guaranteed_share,
        ppa: Some(Ppa {
            price_usd_per_mwh: 80.0,
            share_of_output: 0.5,
            years: 2.0,
            start_operating_year: 1.0,
            escalation: 0.0,
        }),
        market_value_usd_per_mwh: 60.0,
        market_value_escalation: 0.1,
        real_discount_rate: 0.03,
    }
}

#[test]
fn cost_to_state_by_hand() {
    // 1 MW at 1,000 USD/kW, 1 construction year, 50 % loan at 5 % (capitalised to COD),
    // 2 equal principal instalments, inflation 2 %.
    // Balance at COD per kW: 500·1.02^0.5·1.05^0.5 = 517.4456493.
    // t = 2: principal 258.7228247 + interest 25.8722825 = 284.5951071 per kW;
    // t = 3: principal 258.7228247 + interest 12.9361412 = 271.6589659 per kW.
    // The state borrows it all: service 284,595.11 and 271,658.97 USD.
    // PV at 3 % real (5.06 % nominal): 492,108.79 USD.
    // PPA: 0.5·1 MW·8760 h·0.9 = 3,942 MWh a year at 80 USD/MWh; market value 60 then 66:
    // exposure 3,942·20 = 78,840 and 3,942·14 = 55,188 USD; PV 119,020.38 USD.
    let view = cost_to_state(&state_inputs(1.0, 1.0)).unwrap();
    assert_eq!(view.years.len(), 4);
    close(
        view.years[2].loan_principal_usd,
        258_722.824_659_905_14,
        1e-12,
    );
    close(
        view.years[2].loan_interest_usd,
        25_872.282_465_990_516,
        1e-12,
    );
    close(view.years[2].loan_service_usd, 284_595.107_125_895_6, 1e-12);
    close(view.years[3].loan_service_usd, 271_658.965_892_900_4, 1e-12);
    close(view.years[1].state_debt_usd, 517_445.649_319_810_3, 1e-12);
    close(view.peak_state_debt_usd, 517_445.649_319_810_3, 1e-12);
    close(view.discount_rate_nominal, 0.0506, 1e-15);
    close(view.pv_loan_service_usd, 492_108.789_451_710_9, 1e-12);
    // Nothing guaranteed when the state borrows the whole loan.
    assert_eq!(view.peak_guaranteed_debt_usd, 0.0);
    close(view.years[2].ppa_volume_mwh, 3942.0, 1e-15);
    close(view.years[3].market_value_usd_per_mwh, 66.0, 1e-15);
    close(view.years[2].take_or_pay_exposure_usd, 78_840.0, 1e-12);
    close(view.years[3].take_or_pay_exposure_usd, 55_188.0, 1e-12);
    close(view.take_or_pay_exposure_usd, 134_028.0, 1e-12);
    close(
        view.pv_take_or_pay_exposure_usd,
        119_020.384_884_027_9,
        1e-12,
    );
    // A project-company loan, 80 % guaranteed: no budget flows, a contingent liability of
    // 0.8 · the balance.
    let guaranteed = cost_to_state(&state_inputs(0.0, 0.8)).unwrap();
    assert_eq!(guaranteed.loan_service_usd, 0.0);
    close(
        guaranteed.years[1].guaranteed_debt_usd,
        0.8 * 517_445.649_319_810_3,
        1e-12,
    );
    close(
        guaranteed.years[2].guaranteed_debt_usd,
        0.8 * 258_722.824_659_905_14,
        1e-12,
    );
    close(
        guaranteed.peak_guaranteed_debt_usd,
        0.8 * 517_445.649_319_810_3,
        1e-12,
    );
    // A market value above the PPA price leaves no exposure.
    let mut rich = state_inputs(1.0, 0.0);
    rich.market_value_usd_per_mwh = 90.0;
    assert_eq!(cost_to_state(&rich).unwrap().take_or_pay_exposure_usd, 0.0);
    // Bad input names the key.
    let mut bad = state_inputs(1.0, 0.0);
    bad.guaranteed_share = 2.0;
    assert_eq!(
        cost_to_state(&bad).unwrap_err().field(),
        Some("guaranteed_share")
    );
}

#[test]
fn construction_finance_factor_is_the_plain_charge_idc() {
    // The plain charge's IDC is the one of `construction_finance_factor` for any profile.
    let cost = BuildCost {
        overnight_cost_usd_per_kw: 4000.0,
        construction_years: 4.0,
        spend_profile: SpendProfile::SCurve,
        life_years: 25.0,
    };
    let fractions = SpendProfile::SCurve.fractions(4).unwrap();
    let charge = capital_charge(&cost, &Financing::RealWacc(0.06)).unwrap();
    close(
        charge.capital_at_cod_usd_per_kw,
        4000.0 * construction_finance_factor(&fractions, 0.06),
        1e-13,
    );
}
