//! Comparing an atomplan outcome with a PyPSA result file (`<name>.pypsa.json`, written by the
//! fixture scripts): shared by the MILP and multi-period parity tests.

use atomplan_model::Outcome;

pub fn relative_difference(a: f64, b: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs()).max(1.0)
}

/// Every optimal capacity (`generators_p_nom_opt`, `storage_units_p_nom_opt`,
/// `links_p_nom_opt`, `lines_s_nom_opt`) equals PyPSA's within 1e-6 relative, with the same
/// components on both sides.
pub fn assert_capacities_equal(label: &str, outcome: &Outcome, reference: &serde_json::Value) {
    let network = &outcome.network;
    let results = &outcome.results;
    let families: [(&str, Vec<(&String, f64)>); 4] = [
        (
            "generators_p_nom_opt",
            network
                .generators
                .iter()
                .map(|c| &c.name)
                .zip(results.generators.iter().map(|r| r.p_nom_opt))
                .collect(),
        ),
        (
            "storage_units_p_nom_opt",
            network
                .storage_units
                .iter()
                .map(|c| &c.name)
                .zip(results.storage_units.iter().map(|r| r.p_nom_opt))
                .collect(),
        ),
        (
            "links_p_nom_opt",
            network
                .links
                .iter()
                .map(|c| &c.name)
                .zip(results.links.iter().map(|r| r.p_nom_opt))
                .collect(),
        ),
        (
            "lines_s_nom_opt",
            network
                .lines
                .iter()
                .map(|c| &c.name)
                .zip(results.lines.iter().map(|r| r.s_nom_opt))
                .collect(),
        ),
    ];
    for (family, ours) in families {
        let theirs = reference[family].as_object().unwrap();
        assert_eq!(theirs.len(), ours.len(), "{label}: {family}");
        for (name, value) in ours {
            let want = theirs[name.as_str()].as_f64().unwrap();
            assert!(
                relative_difference(value, want) < 1e-6,
                "{label}: {family} {name} {value} vs PyPSA {want}"
            );
        }
    }
}
