//! Unit tests of the catalogue: the built-in data, the checks, the field table and money.

use std::path::Path;

use super::*;

fn builtin() -> Catalogue {
    match Catalogue::builtin() {
        Ok(catalogue) => catalogue,
        Err(diagnostics) => {
            let text: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
            panic!("built-in catalogue is invalid:\n{}", text.join("\n"));
        }
    }
}

#[test]
fn builtin_catalogue_is_valid_and_complete() {
    let catalogue = builtin();
    assert!(
        catalogue.designs().len() >= 40,
        "{} designs",
        catalogue.designs().len()
    );
    assert!(
        catalogue.projects().len() >= 35,
        "{} projects",
        catalogue.projects().len()
    );
    for code in ["TR", "MN", "KZ", "UZ", "KG", "RU"] {
        assert!(catalogue.country(code).is_some(), "missing {code}");
    }
    for id in [
        "ritm-200n",
        "klt-40s",
        "brest-od-300",
        "vver-1200",
        "vver-toi",
        "bwrx-300",
        "nuscale-us460",
        "rolls-royce-smr",
        "ap300",
        "ap1000",
        "acp100",
        "htr-pm",
        "hpr1000",
        "i-smr",
        "apr1400",
        "epr",
        "epr2",
        "nuward",
        "carem-25",
        "natrium",
        "xe-100",
    ] {
        assert!(catalogue.design(id).is_some(), "missing design {id}");
    }
    let warnings: Vec<String> = catalogue
        .warnings()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        catalogue.warnings().iter().all(|w| !w.is_error()),
        "{warnings:?}"
    );
}

#[test]
fn every_record_cites_known_sources() {
    let catalogue = builtin();
    for design in catalogue.designs() {
        for id in &design.sources {
            assert!(
                catalogue.source(id.as_str()).is_some(),
                "{}: {id}",
                design.id
            );
        }
    }
}

#[test]
fn design_lookup_forgives_case_and_underscores() {
    let catalogue = builtin();
    assert_eq!(
        catalogue.design("VVER_1200").map(|d| d.id.as_str()),
        Some("vver-1200")
    );
    assert!(catalogue.design("no-such-design").is_none());
    assert!(catalogue
        .similar_design_ids("vver-1300")
        .contains(&"vver-1200"));
    assert_eq!(
        catalogue.country("tr").map(|c| c.name.as_str()),
        Some("Turkey")
    );
}

#[test]
fn downstream_fields_are_there() {
    let catalogue = builtin();
    let ritm = catalogue.design("ritm-200n").unwrap();
    assert_eq!(ritm.net_mwe_per_module, Some(55.0));
    assert!(ritm.is_smr());
    assert_eq!(ritm.reactor_type, ReactorType::Pwr);
    let vver = catalogue.design("vver-1200").unwrap();
    assert!(!vver.is_smr());
    let cost = vver.overnight_cost.as_ref().unwrap();
    assert_eq!(
        (cost.per_kw.low, cost.per_kw.high),
        (Some(4167.0), Some(6250.0))
    );
    assert_eq!(vver.alternatives_for("net_mwe_per_module").count(), 1);
    let akkuyu = catalogue.project("akkuyu").unwrap();
    let ppa = akkuyu
        .financing
        .as_ref()
        .and_then(|f| f.ppa.as_ref())
        .unwrap();
    assert_eq!((ppa.price_per_mwh, ppa.years), (Some(123.5), Some(15.0)));
    assert_eq!(akkuyu.schedule_slip_years(), Some(3));
    let rooppur = catalogue.project("rooppur").unwrap();
    let loan = rooppur
        .financing
        .as_ref()
        .and_then(|f| f.loan.as_ref())
        .unwrap();
    assert_eq!(
        (loan.amount_bn, loan.tenor_years, loan.grace_years),
        (Some(11.38), Some(28.0), Some(10.0))
    );
    let mongolia = catalogue.country("MN").unwrap();
    assert_eq!(mongolia.peak_demand().map(|o| o.value), Some(1493.0));
    assert_eq!(mongolia.iaea_milestones.as_ref().map(|p| p.phase), Some(1));
    let turkey = catalogue.country("TR").unwrap();
    let shape = turkey.load_shape.as_ref().unwrap();
    assert_eq!(shape.month_hour.len(), 12);
    let mean: f64 = shape.month_hour.iter().flatten().sum::<f64>() / 288.0;
    assert!(
        (mean - 1.0).abs() < 0.02,
        "mean of the normalised shape is {mean}"
    );
    let russia = catalogue.country("RU").unwrap();
    assert!(russia
        .zones
        .iter()
        .any(|z| z.kind == "isolated" && z.id == "chaun-bilibino"));
    let ccgt = catalogue.technology("ccgt").unwrap();
    assert_eq!(
        ccgt.parameter("overnight_capital_cost").map(|p| p.value),
        Some(1159.3)
    );
    assert_eq!(ccgt.fuel.as_deref(), Some("fuel_natural_gas"));
}

#[test]
fn to_usd_uses_rate_of_the_year_then_us_deflator() {
    let catalogue = builtin();
    let money = catalogue.money();
    // USD to USD of the same year is the identity.
    assert_eq!(money.to_usd(100.0, "USD", 2020, 2020), Some(100.0));
    // 100 USD of 2017 in 2024 dollars: 100 * 125.428 / 100.
    let inflated = money.to_usd(100.0, "USD", 2017, 2024).unwrap();
    assert!((inflated - 125.428).abs() < 1e-9, "{inflated}");
    // 1000 EUR of 2023 at 0.9245 EUR/USD, same year.
    let converted = money.to_usd(1000.0, "EUR", 2023, 2023).unwrap();
    assert!((converted - 1000.0 / 0.9245).abs() < 1e-9, "{converted}");
    assert_eq!(money.to_usd(1.0, "XYZ", 2020, 2024), None);
    assert_eq!(money.to_usd(f64::NAN, "USD", 2020, 2024), None);
    assert_eq!(money.to_usd(1.0, "USD", 1900, 2024), None);
}

#[test]
fn data_fields_doc_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/reference/data-fields.md");
    let expected = fields::fields_markdown();
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &expected).unwrap();
        return;
    }
    assert!(actual == expected, "docs/reference/data-fields.md is out of date; run `UPDATE_DOCS=1 cargo test -p atomplan-catalogue data_fields_doc`");
}

#[test]
fn field_table_paths_are_unique() {
    let mut seen = std::collections::BTreeSet::new();
    for spec in fields::field_table() {
        assert!(
            seen.insert((spec.file, spec.path)),
            "duplicate {:?} {}",
            spec.file,
            spec.path
        );
    }
}

// ----- data-driven checks on a small synthetic catalogue -----

const SOURCES: &str =
    "[[source]]\nid = \"s1\"\ntitle = \"T\"\npublisher = \"P\"\nurl = \"https://example.org\"\n";
const DESIGN: &str = "id = \"d1\"\nname = \"D1\"\nvendor = \"V\"\nvendor_country = \"X\"\nreactor_type = \"PWR\"\ndeployment = \"land\"\nnet_mwe_per_module = 100\ncapacity_factor = 0.9\nstatus = \"concept\"\nsources = [\"s1\"]\n";
const TECH: &str = "technology,parameter,value,unit,price_year,scenario,sources,default,note\nccgt,lifetime,25,years,,,s1,true,\n";
const DEFL: &str = "currency,year,index,base_year,source\nUSD,2020,100,2020,s1\n";
const FX: &str = "currency,year,per_usd,source,verify\nEUR,2020,0.9,s1,\n";

fn write_catalogue(dir: &Path, overrides: &[(&str, &[u8])]) {
    let mut files: Vec<(&str, &[u8])> = vec![
        ("sources.toml", SOURCES.as_bytes()),
        ("designs/d1.toml", DESIGN.as_bytes()),
        ("technologies.csv", TECH.as_bytes()),
        ("money/deflators.csv", DEFL.as_bytes()),
        ("money/exchange-rates.csv", FX.as_bytes()),
    ];
    for (path, bytes) in overrides {
        files.retain(|(p, _)| p != path);
        files.push((path, bytes));
    }
    for (path, bytes) in files {
        let full = dir.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, bytes).unwrap();
    }
}

/// Loads the synthetic catalogue with one file replaced and checks the first error.
fn check(path: &str, contents: &[u8], expected_field: &str, expected_message: &str) {
    let dir = tempfile::tempdir().unwrap();
    write_catalogue(dir.path(), &[(path, contents)]);
    let diagnostics = match Catalogue::load_dir(dir.path()) {
        Ok(_) => panic!("expected errors for {path}"),
        Err(diagnostics) => diagnostics,
    };
    let found = diagnostics.iter().any(|d| {
        d.is_error()
            && d.location
                .file
                .as_deref()
                .is_some_and(|f| f.ends_with(path))
            && d.location
                .field
                .as_deref()
                .is_some_and(|f| f.contains(expected_field))
            && d.message.contains(expected_message)
    });
    let text: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    assert!(
        found,
        "no error on `{expected_field}` containing {expected_message:?} in:\n{}",
        text.join("\n")
    );
}

#[test]
fn synthetic_catalogue_loads() {
    let dir = tempfile::tempdir().unwrap();
    write_catalogue(dir.path(), &[]);
    let catalogue = Catalogue::load_dir(dir.path()).unwrap();
    assert_eq!(catalogue.designs().len(), 1);
}

#[test]
fn capacity_factor_above_one() {
    check(
        "designs/d1.toml",
        DESIGN.replace("0.9", "1.2").as_bytes(),
        "capacity_factor",
        "out of range",
    );
}

#[test]
fn capacity_factor_zero() {
    check(
        "designs/d1.toml",
        DESIGN.replace("0.9", "0.0").as_bytes(),
        "capacity_factor",
        "out of range",
    );
}

#[test]
fn negative_mwe() {
    check(
        "designs/d1.toml",
        DESIGN.replace("= 100", "= -5").as_bytes(),
        "net_mwe_per_module",
        "out of range",
    );
}

#[test]
fn unknown_field_with_hint() {
    let dir = tempfile::tempdir().unwrap();
    write_catalogue(
        dir.path(),
        &[(
            "designs/d1.toml",
            format!("{DESIGN}net_mwe_per_modul = 3\n").as_bytes(),
        )],
    );
    let diagnostics = Catalogue::load_dir(dir.path()).unwrap_err();
    let unknown = diagnostics
        .iter()
        .find(|d| d.message.contains("unknown field"))
        .unwrap();
    assert_eq!(unknown.location.line, Some(11));
    assert_eq!(unknown.location.column, Some(1));
    assert!(unknown
        .hint
        .as_deref()
        .unwrap()
        .contains("net_mwe_per_module"));
}

#[test]
fn wrong_type() {
    check(
        "designs/d1.toml",
        DESIGN.replace("= 100", "= \"hundred\"").as_bytes(),
        "net_mwe_per_module",
        "expected number",
    );
}

#[test]
fn bad_enum() {
    check(
        "designs/d1.toml",
        DESIGN.replace("\"PWR\"", "\"PWRX\"").as_bytes(),
        "reactor_type",
        "not allowed",
    );
}

#[test]
fn missing_source() {
    check(
        "designs/d1.toml",
        DESIGN.replace("sources = [\"s1\"]\n", "").as_bytes(),
        "net_mwe_per_module",
        "no source",
    );
}

#[test]
fn unknown_source() {
    check(
        "designs/d1.toml",
        DESIGN.replace("[\"s1\"]", "[\"s2\"]").as_bytes(),
        "sources",
        "unknown source",
    );
}

#[test]
fn bad_date() {
    check(
        "designs/d1.toml",
        format!("{DESIGN}status_date = \"2021-02-30\"\n").as_bytes(),
        "status_date",
        "not a valid calendar date",
    );
}

#[test]
fn low_above_high() {
    let text = format!("{DESIGN}\n[overnight_cost]\nlow = 9000\nhigh = 5000\ncurrency = \"USD\"\nprice_year = 2020\n");
    check(
        "designs/d1.toml",
        text.as_bytes(),
        "overnight_cost.high",
        "greater than",
    );
}

#[test]
fn missing_required_in_table() {
    let text = format!("{DESIGN}\n[overnight_cost]\nlow = 9000\ncurrency = \"USD\"\n");
    check(
        "designs/d1.toml",
        text.as_bytes(),
        "overnight_cost.price_year",
        "missing required field",
    );
}

#[test]
fn id_must_match_file_name() {
    check(
        "designs/d1.toml",
        DESIGN.replace("\"d1\"", "\"d2\"").as_bytes(),
        "id",
        "does not match the file name",
    );
}

#[test]
fn truncated_toml() {
    let truncated = &DESIGN.as_bytes()[..DESIGN.find("\"PWR\"").unwrap() + 3];
    check("designs/d1.toml", truncated, "reactor_type", "invalid TOML");
}

#[test]
fn empty_toml() {
    check("designs/d1.toml", b"", "id", "missing required field");
}

#[test]
fn non_utf8() {
    let mut bytes = DESIGN.as_bytes().to_vec();
    let at = DESIGN.find("\"V\"").unwrap() + 1;
    bytes[at] = 0xff;
    check("designs/d1.toml", &bytes, "vendor", "not valid UTF-8");
}

#[test]
fn csv_bad_number_names_column_and_line() {
    let dir = tempfile::tempdir().unwrap();
    write_catalogue(
        dir.path(),
        &[(
            "money/exchange-rates.csv",
            FX.replace("0.9", "abc").as_bytes(),
        )],
    );
    let diagnostics = Catalogue::load_dir(dir.path()).unwrap_err();
    let d = diagnostics
        .iter()
        .find(|d| d.location.field.as_deref() == Some("per_usd"))
        .unwrap();
    assert_eq!((d.location.line, d.location.column), (Some(2), Some(3)));
}

#[test]
fn csv_unknown_column() {
    check(
        "technologies.csv",
        TECH.replace("note", "notes").as_bytes(),
        "notes",
        "unknown column",
    );
}

#[test]
fn csv_empty() {
    check("money/deflators.csv", b"", "currency", "empty");
}

#[test]
fn project_with_unknown_design() {
    let project = "id = \"p1\"\nname = \"P\"\ncountry = \"TR\"\nvendor = \"V\"\ndesign = \"d9\"\nunits = 1\nstatus = \"planned\"\n";
    check(
        "projects/p1.toml",
        project.as_bytes(),
        "design",
        "unknown design",
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let bad_design = DESIGN.replace("0.9", "1.5").replace("\"PWR\"", "\"XYZ\"");
    write_catalogue(
        dir.path(),
        &[
            ("designs/d1.toml", bad_design.as_bytes()),
            ("money/deflators.csv", b""),
        ],
    );
    let diagnostics = Catalogue::load_dir(dir.path()).unwrap_err();
    assert!(diagnostics.len() >= 3, "{diagnostics:?}");
}

#[test]
fn partial_dates() {
    assert_eq!(PartialDate::parse("2020").unwrap().to_string(), "2020");
    assert_eq!(
        PartialDate::parse("2024-02-29").unwrap().to_string(),
        "2024-02-29"
    );
    assert!(PartialDate::parse("2023-02-29").is_err());
    assert!(PartialDate::parse("2023-13").is_err());
    assert!(PartialDate::parse("23-01").is_err());
    assert!(PartialDate::parse("1800").is_err());
    assert!(PartialDate::parse("").is_err());
}

#[test]
fn estimate_central_or_mid() {
    let range = Estimate {
        low: Some(2.0),
        central: None,
        high: Some(4.0),
    };
    assert_eq!(range.central_or_mid(), Some(3.0));
    let bound = Estimate {
        low: None,
        central: None,
        high: Some(20.0),
    };
    assert_eq!(bound.central_or_mid(), Some(20.0));
}

#[test]
fn ids_are_validated() {
    assert!(DesignId::new("vver-1200").is_ok());
    assert!(DesignId::new("VVER 1200").is_err());
    assert!(CountryCode::new("TUR").is_err());
    assert_eq!(CountryCode::new("tr").unwrap().as_str(), "TR");
}
