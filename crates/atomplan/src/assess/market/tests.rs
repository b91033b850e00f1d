use super::*;

fn project(
    name: &str,
    host: &str,
    vendors: &[&str],
    status: &str,
    units: u32,
    mwe: f64,
    year: i32,
) -> MarketProject {
    MarketProject {
        name: name.to_owned(),
        host_country: host.to_owned(),
        vendor_countries: vendors.iter().map(|v| (*v).to_owned()).collect(),
        status: status.to_owned(),
        units,
        capacity_mwe: Some(mwe),
        value_bn: None,
        year: Some(year),
    }
}

#[test]
fn shares_exclude_domestic_and_other_statuses() {
    let projects = vec![
        project("a", "TR", &["RU"], "under-construction", 4, 4_800.0, 2018),
        project("b", "BD", &["RU"], "under-construction", 2, 2_400.0, 2017),
        project("c", "GB", &["FR"], "under-construction", 2, 3_260.0, 2018),
        project("d", "FR", &["FR"], "under-construction", 1, 1_600.0, 2007),
        project("e", "PL", &["US", "JP"], "planned", 2, 2_000.0, 2026),
        project("f", "US", &["US"], "operating", 2, 2_200.0, 2013),
    ];
    let statuses = vec!["under-construction".to_owned(), "planned".to_owned()];
    let report = export_market(&projects, &statuses).unwrap();
    assert_eq!(report.export_projects, 4);
    assert_eq!(report.domestic_projects_excluded, 1);
    let russia = &report.total.vendors[0];
    assert_eq!(russia.vendor_country, "RU");
    assert!((russia.share_of_units - 0.6).abs() < 1e-12);
    let japan = report
        .total
        .vendors
        .iter()
        .find(|v| v.vendor_country == "JP")
        .unwrap();
    assert!((japan.units - 1.0).abs() < 1e-12);
    assert_eq!(report.by_year[&2018].vendors.len(), 2);
    // Units: RU 6, FR 2, US 1, JP 1 of 10 → HHI 3600 + 400 + 100 + 100.
    assert!((report.total.hhi_units - 4_200.0).abs() < 1e-9);
}
