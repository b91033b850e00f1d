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

/// Units under construction abroad per vendor country in the built-in catalogue on `date`.
fn catalogue_units_abroad_on(date: &str) -> (BTreeMap<String, f64>, MarketReport) {
    let catalogue = atomplan_catalogue::Catalogue::builtin_shared().expect("built-in catalogue");
    let as_of = atomplan_catalogue::PartialDate::parse(date).expect("valid date");
    let projects = crate::assess::catalogue::market_projects_on(catalogue, 2024, as_of);
    let report = export_market(&projects, &["under-construction".to_owned()]).unwrap();
    let units = report
        .total
        .vendors
        .iter()
        .map(|vendor| (vendor.vendor_country.clone(), vendor.units))
        .collect();
    (units, report)
}

/// The World Nuclear Industry Status Report 2023 (status 1 July 2023) counted 24 reactors under
/// construction by Russia, 19 of them abroad, and named EDF (2 units, United Kingdom) and KEPCO
/// (1 unit, UAE) as the only other companies building abroad (as reported by Le Figaro in March
/// 2024; see docs/methods/market.md). Tolerance: one unit per vendor, because the catalogue
/// dates a project by its first unit (El Dabaa 4 started in January 2024, Barakah 4 was connected
/// in 2024).
const WNISR_2023_RUSSIA_ABROAD: f64 = 19.0;
const WNISR_2023_KOREA_ABROAD: f64 = 1.0;
const WNISR_2023_FRANCE_ABROAD: f64 = 2.0;

#[test]
fn catalogue_reproduces_the_wnisr_2023_count_for_russia_and_korea() {
    let (units, report) = catalogue_units_abroad_on("2023-07-01");
    let get = |code: &str| units.get(code).copied().unwrap_or(0.0);
    assert!(
        (get("RU") - WNISR_2023_RUSSIA_ABROAD).abs() <= 1.0,
        "Russia: {} units abroad on 2023-07-01, WNISR 2023 counts 19 (unknown: {:?})",
        get("RU"),
        report.projects_with_unknown_status
    );
    assert!(
        (get("KR") - WNISR_2023_KOREA_ABROAD).abs() <= 1.0,
        "South Korea: {}",
        get("KR")
    );
    // Nobody else was building abroad: every other vendor within one unit of zero.
    for (code, count) in &units {
        if !["RU", "KR", "FR"].contains(&code.as_str()) {
            assert!(*count <= 1.0, "{code}: {count} units abroad on 2023-07-01");
        }
    }
    // Russia's share of the export units counted, against 19 of 22 published.
    let russia_share = get("RU") / report.total.total_units;
    assert!(russia_share > 0.75, "Russian share {russia_share}");
}

#[test]
#[ignore = "needs construction_start in projects/hinkley-point-c.toml (2018-12-11, PRIS), requested \
            from the catalogue branch; see /work/coord/coverage-requests.md"]
fn catalogue_reproduces_the_wnisr_2023_count_for_france() {
    let (units, _) = catalogue_units_abroad_on("2023-07-01");
    let france = units.get("FR").copied().unwrap_or(0.0);
    assert!(
        (france - WNISR_2023_FRANCE_ABROAD).abs() <= 1.0,
        "France: {france} units abroad on 2023-07-01, WNISR 2023 counts 2 (Hinkley Point C)"
    );
}

/// Cross-check for mid-2025: Le Monde (5 November 2025), on the WNISR2025 totals, gave Rosatom 20
/// construction sites outside Russia. Tolerance one unit, as above.
const WNISR_2025_RUSSIA_ABROAD: f64 = 20.0;

#[test]
#[ignore = "needs construction_start in projects/rooppur.toml (2017-11-30, PRIS), requested from the \
            catalogue branch; see /work/coord/coverage-requests.md"]
fn catalogue_reproduces_the_2025_count_for_russia() {
    let (units, _) = catalogue_units_abroad_on("2025-07-01");
    let russia = units.get("RU").copied().unwrap_or(0.0);
    assert!(
        (russia - WNISR_2025_RUSSIA_ABROAD).abs() <= 1.0,
        "Russia: {russia} units abroad on 2025-07-01, 20 published for mid-2025"
    );
}

#[test]
fn status_on_follows_construction_start_and_grid_connection() {
    let catalogue = atomplan_catalogue::Catalogue::builtin_shared().expect("built-in catalogue");
    let project = |id: &str| {
        catalogue
            .projects()
            .iter()
            .find(|p| p.id.as_str() == id)
            .unwrap_or_else(|| panic!("project {id}"))
    };
    let on = |id: &str, date: &str| {
        crate::assess::catalogue::status_on(
            project(id),
            atomplan_catalogue::PartialDate::parse(date).unwrap(),
        )
    };
    use crate::assess::catalogue::StateOn;
    use atomplan_catalogue::ProjectStatus as S;
    // Akkuyu: first concrete 2018-04-03.
    assert_eq!(on("akkuyu", "2018-04-02"), StateOn::NotStarted);
    assert_eq!(
        on("akkuyu", "2018-04-03"),
        StateOn::Known(S::UnderConstruction)
    );
    // Ostrovets: first grid connection 2020-11-03.
    assert_eq!(
        on("ostrovets", "2020-11-02"),
        StateOn::Known(S::UnderConstruction)
    );
    assert_eq!(on("ostrovets", "2020-11-03"), StateOn::Known(S::Operating));
    // A plan is known only from its status date on.
    assert_eq!(on("dukovany-ii", "2025-06-03"), StateOn::NotStarted);
    assert_eq!(on("dukovany-ii", "2025-06-04"), StateOn::Known(S::Planned));
    // Beloyarsk 4 has no construction start (18-year suspension) but a grid connection.
    assert_eq!(
        on("beloyarsk-4", "2016-01-01"),
        StateOn::Known(S::Operating)
    );
    assert_eq!(on("beloyarsk-4", "2015-01-01"), StateOn::Unknown);
}
