use super::*;

fn check_hhi(shares: &[f64], expected: f64) {
    assert!((hhi(shares).unwrap() - expected).abs() < 1e-9, "{shares:?}");
}

#[test]
fn hhi_doj_example() {
    // US DOJ: shares 30/30/20/20 % give 2,600.
    check_hhi(&[30.0, 30.0, 20.0, 20.0], 2_600.0);
    check_hhi(&[0.3, 0.3, 0.2, 0.2], 2_600.0);
    check_hhi(&[1.0], 10_000.0);
    check_hhi(&[1.0, 1.0, 1.0, 1.0, 1.0], 2_000.0);
}

#[test]
fn shannon_of_equal_shares_is_ln_n() {
    assert!((shannon(&[1.0; 4]).unwrap() - 4.0_f64.ln()).abs() < 1e-12);
    assert_eq!(shannon(&[1.0, 0.0]).unwrap(), 0.0);
}

#[test]
fn stirling_with_unit_disparity_is_gini_simpson() {
    let shares = [0.5, 0.3, 0.2];
    let ones = vec![
        vec![0.0, 1.0, 1.0],
        vec![1.0, 0.0, 1.0],
        vec![1.0, 1.0, 0.0],
    ];
    let expected = 1.0 - (0.25 + 0.09 + 0.04);
    assert!((stirling(&shares, &ones, 1.0, 1.0).unwrap() - expected).abs() < 1e-12);
    // Halving every disparity halves Rao's quadratic entropy.
    let halves: Vec<Vec<f64>> = ones
        .iter()
        .map(|row| row.iter().map(|d| d / 2.0).collect())
        .collect();
    assert!((stirling(&shares, &halves, 1.0, 1.0).unwrap() - expected / 2.0).abs() < 1e-12);
}

#[test]
fn disparity_must_be_symmetric() {
    let bad = vec![vec![0.0, 1.0], vec![0.5, 0.0]];
    assert_eq!(
        stirling(&[0.5, 0.5], &bad, 1.0, 1.0).unwrap_err().key(),
        Some("disparity[0][1]")
    );
}

#[test]
fn import_dependence_signs() {
    assert!((import_dependence(60.0, 10.0, 100.0).unwrap() - 0.5).abs() < 1e-12);
    assert!(import_dependence(0.0, 10.0, 100.0).unwrap() < 0.0);
}

#[test]
fn risk_weighted_concentration_by_hand() {
    // 0.6² · 0.8 + 0.4² · 0 = 0.288 → 2,880.
    assert!(
        (risk_weighted_concentration(&[0.6, 0.4], &[0.8, 0.0]).unwrap() - 2_880.0).abs() < 1e-9
    );
}

#[test]
fn single_vendor_fabrication_is_the_weakest_link() {
    let supplier = |step: &str, name: &str, share: f64, domestic: bool| FuelSupplier {
        step: step.to_owned(),
        supplier: name.to_owned(),
        country: name.to_owned(),
        share,
        domestic,
        risk: 0.0,
    };
    let report = fuel_vendor_dependence(&[
        supplier("uranium", "home", 1.0, true),
        supplier("enrichment", "x", 0.5, false),
        supplier("enrichment", "y", 0.5, false),
        supplier("fabrication", "x", 1.0, false),
    ])
    .unwrap();
    assert_eq!(report.weakest_step, "fabrication");
    assert_eq!(report.max_foreign_single_supplier_share, 1.0);
    assert!(report.steps[2].single_vendor);
    assert_eq!(report.steps[0].domestic_share, 1.0);
    assert!((report.steps[1].hhi - 5_000.0).abs() < 1e-9);
}
