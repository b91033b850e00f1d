use super::fixture;
use super::profiles;
use super::validate::{parse, validate};

fn check_error(edit: impl Fn(&str) -> String, expected_field: &str) {
    let text = edit(fixture::STUDY);
    let diagnostics = match parse("study.toml", &text) {
        Ok(study) => validate("study.toml", &study, &fixture::catalogue()),
        Err(diagnostics) => diagnostics,
    };
    let errors: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(
        errors
            .iter()
            .any(|d| d.location.field.as_deref() == Some(expected_field)),
        "expected an error on `{expected_field}`, got {errors:#?}"
    );
}

#[test]
fn fixture_study_is_valid() {
    let study = parse("study.toml", fixture::STUDY).unwrap();
    let diagnostics = validate("study.toml", &study, &fixture::catalogue());
    assert!(
        diagnostics.iter().all(|d| !d.is_error()),
        "{diagnostics:#?}"
    );
}

#[test]
fn unknown_design() {
    check_error(
        |s| s.replace("\"small-smr\"", "\"no-such\""),
        "candidates[0].design",
    );
}

#[test]
fn unknown_country() {
    check_error(
        |s| s.replace("country = \"XT\"", "country = \"ZZ\""),
        "country",
    );
}

#[test]
fn impossible_horizon() {
    check_error(
        |s| s.replace("periods = [2035, 2045]", "periods = [2045, 2035]"),
        "horizon.periods[1]",
    );
    check_error(
        |s| s.replace("periods = [2035, 2045]", "periods = [2020, 2045]"),
        "horizon.periods[0]",
    );
}

#[test]
fn unknown_key_names_the_key() {
    check_error(
        |s| s.replace("representative_days", "represenative_days"),
        "represenative_days",
    );
}

#[test]
fn template_parses_and_validates() {
    let text = super::template::new_study(&fixture::catalogue(), "xt").unwrap();
    let study = parse("new.toml", &text).unwrap();
    let diagnostics = validate("new.toml", &study, &fixture::catalogue());
    assert!(
        diagnostics.iter().all(|d| !d.is_error()),
        "{diagnostics:#?}\n{text}"
    );
}

#[test]
fn synthetic_profiles_hit_their_calibration() {
    let wind = profiles::wind(0.31, 7);
    let mean = wind.values.iter().sum::<f64>() / 8760.0;
    assert!((mean - 0.31).abs() < 1e-6);
    assert!(wind.origin.is_synthetic());
    let solar = profiles::solar(0.18, 41.0, 7);
    let mean = solar.values.iter().sum::<f64>() / 8760.0;
    assert!((mean - 0.18).abs() < 1e-6);
    assert!(solar.values.iter().all(|v| (0.0..=1.0).contains(v)));
    let load = profiles::load_per_unit(None, "", "summer", 1.45, 7);
    let mean = load.values.iter().sum::<f64>() / 8760.0;
    let max = load.values.iter().copied().fold(0.0, f64::max);
    assert!((mean - 1.0).abs() < 1e-9);
    assert!((max - 1.45).abs() < 1e-9);
    assert_eq!(profiles::wind(0.31, 7), profiles::wind(0.31, 7));
}

#[test]
fn schema_is_up_to_date() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../schema/study.schema.json"
    );
    let expected = super::file::json_schema();
    if std::env::var_os("ATOMPLAN_UPDATE_SCHEMA").is_some() {
        std::fs::create_dir_all(concat!(env!("CARGO_MANIFEST_DIR"), "/../../schema")).unwrap();
        std::fs::write(path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        actual == expected,
        "schema/study.schema.json is stale; run `ATOMPLAN_UPDATE_SCHEMA=1 cargo test -p atomplan schema_is_up_to_date`"
    );
}

/// The fixture study without the decision's searches (they re-plan the study many times).
fn quick_study() -> super::StudyFile {
    let text = fixture::STUDY.replace(
        "[options]\n",
        "[options]\nbreakeven = false\ntornado = false\n",
    );
    assert_ne!(text, fixture::STUDY);
    parse("study.toml", &text).unwrap()
}

#[test]
fn runner_reuses_every_stage_from_its_cache() {
    use super::runner::{MemoryCache, StudyRunner};
    let study = quick_study();
    let catalogue = fixture::catalogue();
    let dir = std::path::Path::new(".");
    let mut cache = MemoryCache::default();
    let first = StudyRunner::new(&study, &catalogue, dir, &mut cache)
        .run()
        .unwrap();
    let names = super::runner::stage_names(&study);
    assert_eq!(names.first().map(String::as_str), Some("economics"));
    assert_eq!(names.last().map(String::as_str), Some("decision"));
    assert_eq!(cache.computed, names);
    assert!(cache.reused.is_empty() && cache.failed.is_empty());
    assert_eq!(first.plans.len(), names.len() - 4);
    assert_eq!(first.plan_failures, vec![None; first.plans.len()]);
    assert_eq!(first.main_plan, 0);

    let second = StudyRunner::new(&study, &catalogue, dir, &mut cache)
        .run()
        .unwrap();
    assert_eq!(cache.computed, names, "nothing is computed again");
    assert_eq!(cache.reused, names);
    assert_eq!(second.economics, first.economics);
    assert_eq!(second.plans, first.plans);
    assert_eq!(second.main_system, first.main_system);
    assert_eq!(second.assessments, first.assessments);
    assert_eq!(second.mcda, first.mcda);
    assert_eq!(second.decision, first.decision);

    // Another seed changes every stage's inputs: all of them are computed again.
    let mut reseeded = study.clone();
    reseeded.options.seed += 1;
    let mut runner = StudyRunner::new(&reseeded, &catalogue, dir, &mut cache);
    runner.economics().unwrap();
    assert_eq!(cache.computed.len(), names.len() + 1);
    assert_eq!(cache.reused.len(), names.len());
}

#[test]
fn runner_stops_after_economics() {
    use super::runner::{MemoryCache, NoCache, StudyRunner};
    let study = quick_study();
    let catalogue = fixture::catalogue();
    let dir = std::path::Path::new(".");
    let mut cache = MemoryCache::default();
    let economics = StudyRunner::new(&study, &catalogue, dir, &mut cache)
        .economics()
        .unwrap();
    assert_eq!(cache.computed, ["economics"], "no plan is computed");
    assert_eq!(economics.value.rows.len(), 2);
    assert!(!economics.hash.is_empty());
    // A cache that keeps nothing is never asked to hash; the result is the same.
    let mut no_cache = NoCache;
    let unhashed = StudyRunner::new(&study, &catalogue, dir, &mut no_cache)
        .economics()
        .unwrap();
    assert!(unhashed.hash.is_empty());
    assert_eq!(unhashed.value, economics.value);
}

#[test]
fn screening_stage_reads_only_candidates() {
    let study = quick_study();
    let rows = super::runner::screening(&study.candidates, &fixture::catalogue()).unwrap();
    assert_eq!(
        rows.iter()
            .map(|r| r.candidate.as_str())
            .collect::<Vec<_>>(),
        study
            .candidates
            .iter()
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>()
    );
    assert!(rows.iter().all(|r| r.lcoe_usd_per_mwh > 0.0));
    assert!(matches!(
        super::runner::screening(&[], &fixture::catalogue()),
        Err(crate::Error::NoCandidates)
    ));
}
