//! Unit tests of the sweep engine: expansion, validation, seeds, sharding, resume, merge,
//! summary.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::spec::{Shard, Sweep};
use super::store::{array_spec, merge, results_csv, MergeOutcome, ShardStore};
use super::*;
use crate::study::fixture;

const SWEEP: &str = r#"
[sweep]
seed = 11
samples = 5

[[sweep.grid]]
path = "options.discount_rate"
values = [0.03, 0.07]

[[sweep.grid]]
path = "candidates.large.financing.debt_rate"
values = [0.04, 0.06, 0.09]

[[sweep.sample]]
path = "candidates.smr.overnight_cost_usd_per_kwe"
distribution = "triangular"
low = 6000.0
mode = 8000.0
high = 14000.0

[[sweep.sample]]
path = "candidates.1.overnight_cost_usd_per_kwe"
distribution = "lognormal"
median = 6000.0
sigma = 0.3
"#;

fn sweep() -> Sweep {
    Sweep::from_toml_str("study.toml", &format!("{}{SWEEP}", fixture::STUDY)).expect("valid sweep")
}

fn screening_runner(scenario: &Scenario) -> Result<ScenarioResult, crate::Error> {
    screening::run(scenario, &fixture::catalogue())
}

#[test]
fn expansion_is_canonical() {
    let sweep = sweep();
    assert_eq!(sweep.len(), 2 * 3 * 5);
    // id = grid_index * samples + sample_index; the last grid entry varies fastest.
    let scenario = sweep.scenario(7).unwrap();
    assert_eq!((scenario.grid_index, scenario.sample_index), (1, 2));
    assert_eq!(scenario.overrides[0].value, toml::Value::Float(0.03));
    assert_eq!(scenario.overrides[1].value, toml::Value::Float(0.06));
    let scenario = sweep.scenario(29).unwrap();
    assert_eq!(scenario.overrides[0].value, toml::Value::Float(0.07));
    assert_eq!(scenario.overrides[1].value, toml::Value::Float(0.09));
    // Overrides land where the paths say; `options.seed` carries the scenario's seed.
    let study = &scenario.study;
    assert_eq!(study["options"]["discount_rate"].as_float(), Some(0.07));
    assert_eq!(
        study["candidates"][1]["financing"]["debt_rate"].as_float(),
        Some(0.09)
    );
    assert!(study["candidates"][0]["overnight_cost_usd_per_kwe"]
        .as_float()
        .is_some());
    assert_eq!(
        study["options"]["seed"].as_integer(),
        i64::try_from(scenario.seed).ok()
    );
    assert!(study.get("sweep").is_none());
    // Stable: the same id twice gives the same scenario.
    assert_eq!(sweep.scenario(29).unwrap(), scenario);
    assert_eq!(scenario.hash.len(), 16);
}

#[test]
fn samples_are_common_across_grid_points_and_in_bounds() {
    let sweep = sweep();
    for sample in 0..5 {
        let first = sweep.overrides(sample);
        for grid in 1..6 {
            let other = sweep.overrides(grid * 5 + sample);
            assert_eq!(
                first[2..],
                other[2..],
                "sample {sample} differs at grid point {grid}"
            );
        }
        let cost = first[2].value.as_float().unwrap();
        assert!((6000.0..=14000.0).contains(&cost), "{cost}");
    }
    assert_ne!(sweep.overrides(0)[2], sweep.overrides(1)[2]);
}

#[test]
fn seeds_depend_only_on_sweep_seed_and_id() {
    assert_eq!(scenario_seed(11, 3), scenario_seed(11, 3));
    assert_ne!(scenario_seed(11, 3), scenario_seed(11, 4));
    assert_ne!(scenario_seed(11, 3), scenario_seed(12, 3));
    assert!(scenario_seed(u64::MAX, u64::MAX) < 1 << 63);
}

/// Checks that a `[sweep]` table is refused with an error naming `key`.
fn check_invalid(sweep_toml: &str, key: &str, words: &str) {
    let text = format!("{}\n{sweep_toml}", fixture::STUDY);
    let error = Sweep::from_toml_str("study.toml", &text).expect_err("invalid sweep");
    let message = error.to_string();
    assert!(message.starts_with("study.toml"), "{message}");
    assert!(
        message.contains(&format!("`{key}`")),
        "{message} lacks `{key}`"
    );
    assert!(message.contains(words), "{message} lacks {words}");
}

#[test]
fn invalid_no_table() {
    check_invalid("", "sweep", "no `[sweep]` table");
}

#[test]
fn invalid_no_dimensions() {
    check_invalid("[sweep]\nseed = 1", "sweep", "no dimensions");
}

#[test]
fn invalid_unknown_key() {
    let text = format!("{}\n[sweep]\nsead = 1\n", fixture::STUDY);
    let message = Sweep::from_toml_str("study.toml", &text)
        .unwrap_err()
        .to_string();
    assert!(message.contains("unknown field `sead`"), "{message}");
    assert!(message.contains("line"), "{message}");
}

#[test]
fn invalid_missing_path_parent() {
    check_invalid(
        "[[sweep.grid]]\npath = \"optoins.discount_rate\"\nvalues = [0.1]",
        "sweep.grid[0].values[0]",
        "`optoins` does not exist",
    );
}

#[test]
fn invalid_unknown_element_id() {
    check_invalid(
        "[[sweep.grid]]\npath = \"candidates.nope.max_units\"\nvalues = [1]",
        "sweep.grid[0].values[0]",
        "no element with id or name `nope`",
    );
}

#[test]
fn invalid_type_change() {
    check_invalid(
        "[[sweep.grid]]\npath = \"options.representative_days\"\nvalues = [\"high\"]",
        "sweep.grid[0].values[0]",
        "the study has a number here, the sweep gives a string",
    );
}

#[test]
fn invalid_distribution_parameter() {
    check_invalid(
        "[sweep]\nsamples = 2\n[[sweep.sample]]\npath = \"options.discount_rate\"\ndistribution = \"uniform\"\nlow = 0.1\nhigh = 0.2\nmode = 0.15",
        "sweep.sample[0].mode",
        "not a parameter of `uniform`",
    );
}

#[test]
fn invalid_distribution_bounds() {
    check_invalid(
        "[sweep]\nsamples = 2\n[[sweep.sample]]\npath = \"options.discount_rate\"\ndistribution = \"triangular\"\nlow = 0.3\nmode = 0.25\nhigh = 0.2",
        "sweep.sample[0].high",
        "greater than `low`",
    );
}

#[test]
fn invalid_samples_without_sampled_dimension() {
    check_invalid(
        "[sweep]\nsamples = 3\n[[sweep.grid]]\npath = \"options.discount_rate\"\nvalues = [0.1]",
        "sweep.samples",
        "at least one `[[sweep.sample]]`",
    );
}

#[test]
fn invalid_duplicate_path() {
    check_invalid(
        "[[sweep.grid]]\npath = \"options.discount_rate\"\nvalues = [0.1]\n[[sweep.grid]]\npath = \"options.discount_rate\"\nvalues = [0.2]",
        "sweep",
        "more than one dimension",
    );
}

#[test]
fn shard_parse_and_ids() {
    assert_eq!(Shard::parse("3/8").unwrap(), Shard { index: 3, count: 8 });
    for bad in ["8/8", "1", "a/2", "1/0", "-1/3"] {
        assert!(Shard::parse(bad).is_err(), "{bad}");
    }
    let ids: Vec<u64> = Shard { index: 1, count: 3 }.ids(8).collect();
    assert_eq!(ids, vec![1, 4, 7]);
}

#[test]
fn array_spec_collapses_ranges() {
    assert_eq!(array_spec(&[2, 5]), "2,5");
    assert_eq!(array_spec(&[0, 1, 2, 3, 5, 7, 8]), "0-3,5,7,8");
    assert_eq!(array_spec(&[4]), "4");
}

fn run_into(dir: &std::path::Path, sweep: &Sweep, shard: Shard, threads: usize) -> RunReport {
    let mut store = ShardStore::open(dir, sweep, shard).unwrap();
    run_shard(
        sweep,
        &mut store,
        &RunOptions { shard, threads },
        &screening_runner,
        |_| {},
    )
    .unwrap()
}

fn merged_csv(dir: &std::path::Path) -> String {
    match merge(dir).unwrap() {
        MergeOutcome::Complete { .. } => std::fs::read_to_string(dir.join("results.csv")).unwrap(),
        other => panic!("merge incomplete: {other:?}"),
    }
}

#[test]
fn sharded_and_threaded_runs_merge_identically() {
    let sweep = sweep();
    let whole = tempfile::tempdir().unwrap();
    let report = run_into(whole.path(), &sweep, Shard::ALL, 1);
    assert_eq!((report.n_run, report.n_ok), (30, 30));
    let expected = merged_csv(whole.path());
    assert_eq!(expected.lines().count(), 31);
    assert!(expected
        .lines()
        .next()
        .unwrap()
        .contains("lcoe_usd_per_mwh.smr"));

    let sharded = tempfile::tempdir().unwrap();
    for index in 0..4 {
        run_into(sharded.path(), &sweep, Shard { index, count: 4 }, 3);
    }
    assert_eq!(merged_csv(sharded.path()), expected);

    let threaded = tempfile::tempdir().unwrap();
    run_into(threaded.path(), &sweep, Shard::ALL, 4);
    assert_eq!(merged_csv(threaded.path()), expected);
}

#[test]
fn missing_shards_are_reported() {
    let sweep = sweep();
    let dir = tempfile::tempdir().unwrap();
    for index in [0, 1, 3, 4] {
        run_into(dir.path(), &sweep, Shard { index, count: 6 }, 2);
    }
    match merge(dir.path()).unwrap() {
        MergeOutcome::Missing {
            n_missing,
            shard_count,
            missing_shards,
            ..
        } => {
            assert_eq!((n_missing, shard_count), (10, 6));
            assert_eq!(missing_shards, vec![2, 5]);
        }
        other => panic!("{other:?}"),
    }
    assert!(!dir.path().join("results.csv").exists());
}

#[test]
fn resume_runs_only_unfinished_scenarios() {
    let sweep = sweep();
    let dir = tempfile::tempdir().unwrap();
    run_into(dir.path(), &sweep, Shard::ALL, 2);
    let expected = merged_csv(dir.path());
    // Simulate a run killed after 12 commits: drop the other rows.
    let path = dir.path().join("shard-0-of-1.sqlite");
    {
        let connection = rusqlite::Connection::open(&path).unwrap();
        connection
            .execute("DELETE FROM results WHERE id >= 12", [])
            .unwrap();
        connection
            .execute("DELETE FROM metrics WHERE id >= 12", [])
            .unwrap();
    }
    std::fs::remove_file(dir.path().join("results.csv")).unwrap();
    let calls = AtomicUsize::new(0);
    let counting = |scenario: &Scenario| {
        calls.fetch_add(1, Ordering::Relaxed);
        screening_runner(scenario)
    };
    let mut store = ShardStore::open(dir.path(), &sweep, Shard::ALL).unwrap();
    assert_eq!(store.attempt, 2);
    let options = RunOptions {
        shard: Shard::ALL,
        threads: 3,
    };
    let report = run_shard(&sweep, &mut store, &options, &counting, |_| {}).unwrap();
    assert_eq!((report.n_skipped, report.n_run), (12, 18));
    assert_eq!(calls.load(Ordering::Relaxed), 18);
    let rows = store.rows().unwrap();
    assert!(rows
        .iter()
        .all(|row| row.attempt == if row.id < 12 { 1 } else { 2 }));
    drop(store);
    assert_eq!(merged_csv(dir.path()), expected);
}

#[test]
fn a_different_sweep_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    run_into(dir.path(), &sweep(), Shard::ALL, 1);
    let changed = Sweep::from_toml_str(
        "study.toml",
        &format!(
            "{}{}",
            fixture::STUDY,
            SWEEP.replace("seed = 11", "seed = 12")
        ),
    )
    .unwrap();
    let error = ShardStore::open(dir.path(), &changed, Shard::ALL)
        .err()
        .expect("mismatch");
    assert!(error.to_string().contains("different sweep"), "{error}");
}

#[test]
fn failures_and_panics_are_recorded_not_fatal() {
    let sweep = sweep();
    let dir = tempfile::tempdir().unwrap();
    let mut store = ShardStore::open(dir.path(), &sweep, Shard::ALL).unwrap();
    let runner = |scenario: &Scenario| -> Result<ScenarioResult, crate::Error> {
        match scenario.id % 3 {
            0 => Err(crate::Error::Missing("feasible plan")),
            1 => panic!("runner bug"),
            _ => Ok(ScenarioResult::ok()),
        }
    };
    let report = run_shard(
        &sweep,
        &mut store,
        &RunOptions {
            shard: Shard::ALL,
            threads: 2,
        },
        &runner,
        |_| {},
    )
    .unwrap();
    assert_eq!((report.n_ok, report.n_failed), (10, 20));
    let rows = store.rows().unwrap();
    assert!(rows[1].result.message.contains("panicked"));
}

#[test]
fn screening_lcoe_matches_hand_calculation() {
    let sweep = Sweep::from_toml_str(
        "study.toml",
        &format!(
            "{}\n[[sweep.grid]]\npath = \"options.discount_rate\"\nvalues = [0.05]\n",
            fixture::STUDY
        ),
    )
    .unwrap();
    let result = screening_runner(&sweep.scenario(0).unwrap()).unwrap();
    // smr: WACC 0.8*0.04 + 0.2*0.10 = 0.052; 48 months; 7000 USD/kWe; 60 years; CF 0.9; FOM 120.
    let wacc: f64 = 0.052;
    // IDC: a quarter of the spend at each of the four mid-years, compounded to commissioning.
    let idc = [3.5, 2.5, 1.5, 0.5]
        .iter()
        .map(|years_to_cod| (1.0 + wacc).powf(*years_to_cod))
        .sum::<f64>()
        / 4.0;
    let crf = wacc / (1.0 - (1.0 + wacc).powf(-60.0));
    let expected = (7000.0 * idc * crf + 120.0) / (8.76 * 0.9);
    let lcoe = result.metrics["lcoe_usd_per_mwh.smr"];
    assert!((lcoe - expected).abs() < 1e-9, "{lcoe} vs {expected}");
    assert!(result.labels.contains_key("chosen_design"));
}

fn row(id: u64, metrics: &[(&str, f64)], chosen: &str) -> store::ResultRow {
    let mut result = ScenarioResult::ok();
    for (name, value) in metrics {
        result.metric(*name, *value);
    }
    result.label("chosen_design", chosen);
    store::ResultRow {
        id,
        hash: String::new(),
        seed: 0,
        grid_index: id,
        sample_index: 0,
        params: Default::default(),
        result,
        elapsed_s: 0.0,
        attempt: 1,
    }
}

#[test]
fn summary_regret_by_hand() {
    // Scenario 0: a=50, b=60; scenario 1: a=90, b=70; scenario 2: a=55, b=65.
    let rows = vec![
        row(
            0,
            &[
                ("lcoe_usd_per_mwh.a", 50.0),
                ("lcoe_usd_per_mwh.b", 60.0),
                ("system_cost_usd", 1.0),
            ],
            "a",
        ),
        row(
            1,
            &[
                ("lcoe_usd_per_mwh.a", 90.0),
                ("lcoe_usd_per_mwh.b", 70.0),
                ("system_cost_usd", 2.0),
            ],
            "b",
        ),
        row(
            2,
            &[
                ("lcoe_usd_per_mwh.a", 55.0),
                ("lcoe_usd_per_mwh.b", 65.0),
                ("system_cost_usd", 3.0),
            ],
            "a",
        ),
    ];
    let summary = summarize(&rows);
    let a = summary.regret.iter().find(|r| r.option == "a").unwrap();
    let b = summary.regret.iter().find(|r| r.option == "b").unwrap();
    assert_eq!((a.max_regret, b.max_regret), (20.0, 10.0));
    assert!((a.mean_regret - 20.0 / 3.0).abs() < 1e-12);
    assert!((b.mean_regret - 20.0 / 3.0).abs() < 1e-12);
    assert!((a.share_best - 2.0 / 3.0).abs() < 1e-12);
    assert_eq!(summary.robust_choice["lcoe_usd_per_mwh"], "b");
    let cost = summary
        .metrics
        .iter()
        .find(|m| m.name == "system_cost_usd")
        .unwrap();
    assert_eq!(
        (cost.min, cost.p50, cost.max, cost.mean),
        (1.0, 2.0, 3.0, 2.0)
    );
    let chosen_a = summary.choices.iter().find(|c| c.value == "a").unwrap();
    assert_eq!(chosen_a.count, 2);
    let charts = summary::charts(&summary);
    let names: Vec<&str> = charts.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "lcoe_usd_per_mwh-boxplot.svg",
            "chosen_design-choices.svg",
            "lcoe_usd_per_mwh-regret.svg",
            "system_cost_usd-histogram.svg"
        ]
    );
    assert!(charts
        .iter()
        .all(|(_, svg)| svg.starts_with("<svg") && !svg.contains("NaN")));
    assert!(summary
        .to_csv()
        .contains("regret,lcoe_usd_per_mwh,b,max_regret,10\n"));
}

#[test]
fn results_csv_quotes_and_orders_columns() {
    let mut first = row(0, &[("x", 1.5)], "a,b");
    first.params.insert("p".to_owned(), "q".to_owned());
    let csv = results_csv(&["p".to_owned()], &[first]);
    assert_eq!(
        csv,
        "id,hash,seed,grid_index,sample_index,status,message,p,x,chosen_design\n0,,0,0,0,ok,,q,1.5,\"a,b\"\n"
    );
}
