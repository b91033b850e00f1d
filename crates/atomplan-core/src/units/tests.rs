use super::*;

#[test]
fn rate_at_or_below_minus_one_is_refused() {
    assert!(Rate::new(-1.0).is_err());
    assert!(Rate::new(-0.5).is_ok());
    assert!(Rate::new(f64::NAN).is_err());
}

#[test]
fn negative_power_is_refused() {
    assert!(Mw::new(-1.0).is_err());
    assert_eq!(Mw::new(300.0).unwrap().get(), 300.0);
}
