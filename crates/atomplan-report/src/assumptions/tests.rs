use super::*;

#[test]
fn basis_follows_what_the_source_text_claims() {
    for (text, basis) in [
        ("assumption: Chinese policy-bank export credit; terms not public", Basis::Assumption),
        ("ASSUMPTION: 1.15 x peak minus sourced firm capacity", Basis::Assumption),
        ("derived: 141.2 TWh in 2030 from 117.9 TWh in 2024 is about 3 %/yr", Basis::Derived),
        ("", Basis::Assumption),
        ("kegoc-emergency-operation-north-south-transit-line", Basis::Sourced),
    ] {
        assert_eq!(Basis::of_source_text(text), basis, "{text}");
    }
}
