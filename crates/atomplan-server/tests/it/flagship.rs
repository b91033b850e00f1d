//! The Mongolia flagship made quick for tests, shared by the server's tests and the CLI's
//! `serve` tests (`crates/atomplan-cli/tests/it/serve.rs` includes this file by path).

/// The Mongolia flagship made quick for tests: fewer samples and days, no break-even searches
/// or tornado (they re-plan the study tens of times).
pub fn quick_study() -> String {
    let text = include_str!("../../../../studies/mongolia-small-npp.toml");
    let quick = text
        .replace("monte_carlo_samples = 2000", "monte_carlo_samples = 100")
        .replace("adequacy_samples = 100", "adequacy_samples = 20")
        .replace("representative_days = 12", "representative_days = 4")
        .replace(
            "[options]\n",
            "[options]\nbreakeven = false\ntornado = false\n",
        );
    assert_ne!(
        quick, text,
        "the flagship's options changed; update quick_study"
    );
    quick
}

/// A study that runs in seconds, for the load test: the Mongolia flagship with one period,
/// one representative day, a few samples and no CO2-cap scenario (its capped MILP is the slow
/// one).
pub fn tiny_study() -> String {
    let mut text = quick_study();
    for (from, to) in [
        ("monte_carlo_samples = 100", "monte_carlo_samples = 20"),
        ("adequacy_samples = 20", "adequacy_samples = 5"),
        ("representative_days = 4", "representative_days = 1"),
        ("periods = [2035, 2045]", "periods = [2035]"),
        ("earliest_year = 2036", "earliest_year = 2035"),
        (
            "co2_usd_per_t = { \"2035\" = 0.0, \"2045\" = 20.0 }",
            "co2_usd_per_t = { \"2035\" = 10.0 }",
        ),
        ("co2_target_mt = { \"2045\" = 8.0 }", "co2_target_mt = { \"2035\" = 8.0 }"),
        ("co2_cap_mt = { \"2045\" = 8.0 }", "co2_cap_mt = { \"2035\" = 8.0 }"),
        (
            "[[scenarios]]\nname = \"co2-target\"\nco2_cap = true\ndescription = \"The illustrative power-sector CO2 path of [policy].co2_cap_mt as a hard cap\"\n",
            "",
        ),
    ] {
        assert!(text.contains(from), "the flagship changed; update tiny_study: {from}");
        text = text.replace(from, to);
    }
    text
}
