//! `atomplan catalogue` end to end: listings, formats, lookups and malformed catalogues.
//!
//! Malformed catalogues are a copy of the real `data/` with one corruption, checked with
//! `atomplan --data DIR catalogue check`: exit 2, and stderr names the file and the field.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::run;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn copy_data() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&data_dir(), dir.path());
    dir
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json(args: &[&str]) -> serde_json::Value {
    let output = run(args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    serde_json::from_slice(&output.stdout).unwrap()
}

// ----- listings -----

#[test]
fn designs_json_has_at_least_40_with_sources() {
    let designs = json(&["catalogue", "designs", "--format", "json"]);
    let designs = designs.as_array().unwrap();
    assert!(designs.len() >= 40, "{}", designs.len());
    for design in designs {
        let sources = design["sources"].as_array().unwrap();
        assert!(!sources.is_empty(), "{} has no sources", design["id"]);
        assert!(sources[0]["url"].as_str().unwrap().starts_with("http"));
    }
}

#[test]
fn projects_json_has_at_least_35_with_financing_terms() {
    let projects = json(&["catalogue", "projects", "--format", "json"]);
    let projects = projects.as_array().unwrap();
    assert!(projects.len() >= 35, "{}", projects.len());
    let rooppur = projects.iter().find(|p| p["id"] == "rooppur").unwrap();
    assert_eq!(rooppur["financing"]["loan"]["amount_bn"], 11.38);
    // 10 years' grace plus 20 of repayment (TASS, January 2017).
    assert_eq!(rooppur["financing"]["loan"]["tenor_years"], 30.0);
    let akkuyu = projects.iter().find(|p| p["id"] == "akkuyu").unwrap();
    assert_eq!(akkuyu["financing"]["ppa"]["price_per_mwh"], 123.5);
    assert_eq!(akkuyu["financing"]["ppa"]["years"], 15.0);
}

#[test]
fn countries_json_has_the_six_countries() {
    let countries = json(&["catalogue", "countries", "--format", "json"]);
    let codes: Vec<&str> = countries
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["KG", "KZ", "MN", "RU", "TR", "UZ"]);
    let russia = countries
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "RU")
        .unwrap();
    let isolated = russia["zones"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|z| z["kind"] == "isolated")
        .count();
    assert!(isolated >= 3);
}

#[test]
fn design_filters() {
    let smr = json(&["catalogue", "designs", "--smr", "--format", "json"]);
    for design in smr.as_array().unwrap() {
        assert_eq!(design["is_smr"], true, "{}", design["id"]);
    }
    let russian = json(&[
        "catalogue",
        "designs",
        "--country",
        "russia",
        "--max-mwe",
        "100",
        "--format",
        "json",
    ]);
    let ids: Vec<&str> = russian
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["klt-40s", "ritm-200m-fpu", "ritm-200n", "shelf-m"]);
    let output = run(&["catalogue", "designs", "--type", "NOPE"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--type"));
}

#[test]
fn htgr_designs_as_csv() {
    let output = run(&["catalogue", "designs", "--type", "HTGR", "--format", "csv"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "id,name,vendor_country,type,mwe_per_module,modules,status,overnight_cost_per_kw,sources"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("htr-pm,HTR-PM,China,HTGR,105,2,operating,,")),
        "{text}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("xe-100,Xe-100,USA,HTGR,80,4,licensing,,")),
        "{text}"
    );
    assert!(lines[1..].iter().all(|l| l.contains(",HTGR,")), "{text}");
}

#[test]
fn show_design_text_and_json() {
    let output = run(&["catalogue", "show", "RITM_200N"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(text.contains("net MWe per module           55"), "{text}");
    assert!(text.contains("sources:"));
    let design = json(&["catalogue", "show", "bwrx-300", "--format", "json"]);
    assert_eq!(design["overnight_cost"]["currency"], "CAD");
    // Issue 14: OPG's budget is in 2024 dollars, and includes financing, so the engine's
    // overnight cost is derived from it.
    assert_eq!(design["overnight_cost"]["price_year"], 2024);
    assert_eq!(design["overnight_cost"]["derived"], true);
    assert_eq!(design["costs"][0]["scope"], "total-with-financing");
}

/// Issue 14: `show` takes designs and projects; every non-null top-level number has its own
/// `field_sources` entry, and every listed source exists with title, url and kind.
#[test]
fn issue_14_show_gives_field_sources_for_designs_and_projects() {
    let designs = json(&["catalogue", "designs", "--format", "json"]);
    let projects = json(&["catalogue", "projects", "--format", "json"]);
    let ids: Vec<String> = designs
        .as_array()
        .unwrap()
        .iter()
        .chain(projects.as_array().unwrap())
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(ids.len() >= 70, "{} records", ids.len());
    for id in ids {
        let record = json(&["catalogue", "show", &id, "--format", "json"]);
        let field_sources = record["field_sources"].as_object().unwrap();
        for (key, value) in record.as_object().unwrap() {
            if value.is_number() {
                assert!(
                    field_sources
                        .get(key)
                        .is_some_and(|ids| !ids.as_array().unwrap().is_empty()),
                    "{id}: `{key}` has no field_sources entry"
                );
            }
        }
        for source in record["source_details"].as_array().unwrap() {
            assert!(
                source["title"].is_string() && source["url"].is_string(),
                "{id}: {source}"
            );
            assert!(source.get("title_from_url").is_none(), "{id}: {source}");
            assert!(source["kind"] == "primary" || source["kind"] == "secondary");
        }
    }
    let vogtle = json(&["catalogue", "show", "vogtle-3-4", "--format", "json"]);
    assert_eq!(vogtle["construction_start"], "2013-03-12");
    assert_eq!(
        vogtle["field_sources"]["construction_start"][0],
        "augustachronicle-vogtle-basemat-2013"
    );
    assert_eq!(vogtle["cost_overrun"]["first_estimate_year"], 2009);
}

/// Issue 14: a cost in a currency without a rate makes `check` fail, naming the record, the
/// field and the missing rate.
#[test]
fn issue_14_check_fails_on_an_unconvertible_cost() {
    let dir = copy_data();
    let path = dir.path().join("designs/ap300.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("currency = \"USD\"", "currency = \"XAF\""),
    )
    .unwrap();
    let output = run(&["--data", dir.path().to_str().unwrap(), "catalogue", "check"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("ap300")
            && err.contains("costs[0]")
            && err.contains("no XAF/USD exchange rate"),
        "{err}"
    );
}

#[test]
fn unknown_design_exits_2_with_close_ids() {
    let output = run(&["catalogue", "show", "vver-1300"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("no design or project `vver-1300`"), "{err}");
    assert!(
        err.contains("hint: did you mean") && err.contains("`vver-1200`"),
        "{err}"
    );
}

#[test]
fn unknown_country_exits_2_with_close_codes() {
    let output = run(&["catalogue", "country", "Mongolai"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("hint: did you mean") && err.contains("`MN`"),
        "{err}"
    );
}

#[test]
fn country_text() {
    let output = run(&["catalogue", "country", "mn"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(
        text.starts_with("Mongolia (MN)\npeak demand, MW            1493 (2023)\n"),
        "{text}"
    );
    assert!(text.contains("IAEA Milestones phase      1"));
}

#[test]
fn builtin_and_copied_catalogue_check_ok() {
    let output = run(&["catalogue", "check"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // Issue 14: at least 75 designs and 70 projects.
    let text = stdout(&output);
    let count = |what: &str| -> usize {
        text.lines()
            .next()
            .unwrap_or_default()
            .split([',', ':'])
            .find_map(|part| {
                part.trim()
                    .strip_suffix(what)
                    .and_then(|n| n.trim().parse().ok())
            })
            .unwrap_or(0)
    };
    assert!(text.starts_with("catalogue is valid: "), "{text}");
    assert!(count(" designs") >= 75, "{text}");
    assert!(count(" projects") >= 70, "{text}");
    let dir = copy_data();
    let output = run(&["--data", dir.path().to_str().unwrap(), "catalogue", "check"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn missing_data_dir_exits_2() {
    let output = run(&[
        "--data",
        "/nonexistent/atomplan-data",
        "catalogue",
        "designs",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("/nonexistent/atomplan-data"));
}

// ----- malformed catalogues: one corruption each -----

enum Edit {
    Replace(&'static str, &'static str),
    RemoveLine(&'static str),
    Bytes(fn(&[u8]) -> Vec<u8>),
}

/// Copies the catalogue, applies `edit` to `file`, runs `check` and asserts exit 2 with an
/// error naming the file and the field.
fn check(file: &str, edit: Edit, field: &str) {
    let dir = copy_data();
    let path = dir.path().join(file);
    let original = std::fs::read(&path).unwrap();
    let text = String::from_utf8_lossy(&original).into_owned();
    let corrupted: Vec<u8> = match edit {
        Edit::Replace(from, to) => {
            assert!(text.contains(from), "{file} has no `{from}`");
            text.replacen(from, to, 1).into_bytes()
        }
        Edit::RemoveLine(prefix) => {
            assert!(
                text.lines().any(|l| l.starts_with(prefix)),
                "{file} has no line `{prefix}`"
            );
            text.lines()
                .filter(|l| !l.starts_with(prefix))
                .map(|l| format!("{l}\n"))
                .collect::<String>()
                .into_bytes()
        }
        Edit::Bytes(f) => f(&original),
    };
    std::fs::write(&path, corrupted).unwrap();
    let output = run(&["--data", dir.path().to_str().unwrap(), "catalogue", "check"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{file}: {err}");
    let named = err.lines().any(|line| {
        line.starts_with("error: ")
            && line.contains(file)
            && line.contains("field `")
            && line.contains(field)
    });
    assert!(named, "no error naming {file} and field {field}:\n{err}");
}

#[test]
fn malformed_wrong_type() {
    check(
        "designs/vver-1200.toml",
        Edit::Replace(
            "gross_mwe_per_module = 1200",
            "gross_mwe_per_module = \"1200\"",
        ),
        "gross_mwe_per_module",
    );
}

#[test]
fn malformed_negative_value() {
    check(
        "designs/vver-1200.toml",
        Edit::Replace("net_mwe_per_module = 1109", "net_mwe_per_module = -1109"),
        "net_mwe_per_module",
    );
}

#[test]
fn malformed_capacity_factor_out_of_range() {
    check(
        "designs/hpr1000.toml",
        Edit::Replace("capacity_factor = 0.9\n", "capacity_factor = 1.3\n"),
        "capacity_factor",
    );
}

#[test]
fn malformed_unknown_field() {
    check(
        "designs/ritm-200n.toml",
        Edit::Replace("deployment = ", "colour = \"red\"\ndeployment = "),
        "colour",
    );
}

#[test]
fn malformed_broken_design_reference() {
    check(
        "projects/akkuyu.toml",
        Edit::Replace("design = \"vver-1200\"", "design = \"vver-1201\""),
        "design",
    );
}

#[test]
fn malformed_missing_source_list() {
    // Issue 14: each number names its own sources in `[field_sources]`; without its entry the
    // number is unsourced (the record-level `sources` list no longer covers it).
    check(
        "designs/bwrx-300.toml",
        Edit::RemoveLine("net_mwe_per_module = ["),
        "net_mwe_per_module",
    );
}

#[test]
fn malformed_unknown_source_id() {
    check(
        "designs/ritm-200n.toml",
        Edit::Replace("sources = [\"", "sources = [\"no-such-source\", \""),
        "sources",
    );
}

#[test]
fn malformed_truncated_toml() {
    check(
        "designs/epr.toml",
        Edit::Bytes(|bytes| {
            let text = String::from_utf8_lossy(bytes);
            let at = text.find("reactor_type = \"P").unwrap() + "reactor_type = \"P".len();
            bytes[..at].to_vec()
        }),
        "reactor_type",
    );
}

#[test]
fn malformed_empty_file() {
    check("projects/barakah.toml", Edit::Bytes(|_| Vec::new()), "id");
}

#[test]
fn malformed_non_utf8() {
    check(
        "designs/htr-pm.toml",
        Edit::Bytes(|bytes| {
            let text = String::from_utf8_lossy(bytes);
            let at = text.find("vendor = \"").unwrap() + "vendor = \"".len();
            let mut out = bytes.to_vec();
            out[at] = 0xff;
            out
        }),
        "vendor",
    );
}

#[test]
fn malformed_impossible_date() {
    check(
        "designs/klt-40s.toml",
        Edit::Replace(
            "status_date = \"2020-05-22\"",
            "status_date = \"2020-02-30\"",
        ),
        "status_date",
    );
}

#[test]
fn malformed_unquoted_date() {
    check(
        "designs/klt-40s.toml",
        Edit::Replace("status_date = \"2020-05-22\"", "status_date = 2020-05-22"),
        "status_date",
    );
}

#[test]
fn malformed_low_above_high() {
    check(
        "designs/bwrx-300.toml",
        Edit::Replace("low = 17417", "low = 97417"),
        "costs[0].per_kw.high",
    );
}

#[test]
fn malformed_bad_enum() {
    check(
        "designs/nuward.toml",
        Edit::Replace("reactor_type = \"PWR\"", "reactor_type = \"PWRR\""),
        "reactor_type",
    );
}

#[test]
fn malformed_missing_required_field() {
    check(
        "designs/smart.toml",
        Edit::RemoveLine("status = "),
        "status",
    );
}

#[test]
fn malformed_id_does_not_match_file() {
    check(
        "countries/MN.toml",
        Edit::Replace("code = \"MN\"", "code = \"MX\""),
        "code",
    );
}

#[test]
fn malformed_country_negative_peak() {
    check(
        "countries/TR.toml",
        Edit::Replace("value = 59300.0", "value = -59300.0"),
        "peak_demand_mw[0].value",
    );
}

#[test]
fn malformed_source_without_url() {
    check(
        "sources.toml",
        Edit::RemoveLine("url = \"https://fred.stlouisfed.org"),
        "].url`",
    );
}

#[test]
fn malformed_csv_wrong_type() {
    check(
        "money/exchange-rates.csv",
        Edit::Replace("EUR,2023,0.92484", "EUR,2023,zero point nine"),
        "per_usd",
    );
}

#[test]
fn malformed_csv_negative_index() {
    check(
        "money/deflators.csv",
        Edit::Replace("USD,2020,105.377", "USD,2020,-105.377"),
        "index",
    );
}

#[test]
fn malformed_csv_unknown_column() {
    check(
        "technologies.csv",
        Edit::Replace(",default,note", ",default,comment"),
        "comment",
    );
}

#[test]
fn malformed_csv_short_row() {
    check(
        "money/deflators.csv",
        Edit::Replace("USD,2021,110.186,2017,", "USD,2021"),
        "index",
    );
}

#[test]
fn malformed_load_shape_truncated() {
    check(
        "load/TR-month-hour.csv",
        Edit::Bytes(|bytes| {
            let text = String::from_utf8_lossy(bytes);
            text.lines()
                .take(100)
                .map(|l| format!("{l}\n"))
                .collect::<String>()
                .into_bytes()
        }),
        "load_over_annual_mean",
    );
}

#[test]
fn malformed_financing_share_above_one() {
    check(
        "projects/rooppur.toml",
        Edit::Replace("share_of_cost = 0.9", "share_of_cost = 9"),
        "financing.loan.share_of_cost",
    );
}

#[test]
fn every_problem_reported_at_once() {
    let dir = copy_data();
    let design = dir.path().join("designs/ap300.toml");
    let text = std::fs::read_to_string(&design).unwrap();
    std::fs::write(
        &design,
        text.replace("thermal_mwt = 900", "thermal_mwt = -900")
            .replace("design_life_years = 80", "design_life_years = \"eighty\""),
    )
    .unwrap();
    std::fs::write(dir.path().join("money/deflators.csv"), "").unwrap();
    let output = run(&["--data", dir.path().to_str().unwrap(), "catalogue", "check"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    for expected in [
        "field `thermal_mwt`",
        "field `design_life_years`",
        "deflators.csv",
    ] {
        assert!(err.contains(expected), "missing {expected}:\n{err}");
    }
}

// ----- random corruption: exit 0 or 2, never a panic -----

/// A small deterministic generator (xorshift64*), so the test needs no extra dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn all_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            all_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn random_corruptions_never_panic() {
    let mut rng = Rng(0x5eed_a70b_1a2b_c3d4);
    let n_cases: usize = std::env::var("ATOMPLAN_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let dir = copy_data();
    let mut files = Vec::new();
    all_files(dir.path(), &mut files);
    files.sort();
    let mut n_invalid = 0;
    for case in 0..n_cases {
        let path = &files[rng.below(files.len())];
        let original = std::fs::read(path).unwrap();
        let mut bytes = original.clone();
        match rng.below(4) {
            0 => {
                for _ in 0..=rng.below(8) {
                    let at = rng.below(bytes.len());
                    if let Some(b) = bytes.get_mut(at) {
                        *b = (rng.next() & 0xff) as u8;
                    }
                }
            }
            1 => bytes.truncate(rng.below(bytes.len())),
            2 => {
                let at = rng.below(bytes.len());
                let len = rng.below(40).min(bytes.len() - at.min(bytes.len()));
                bytes.drain(at..at + len);
            }
            _ => {
                let at = rng.below(bytes.len());
                let junks: [&[u8]; 6] =
                    [b"\"[[", b"= =", b"\xc3\x28\x00", b"\n[x", b",,,", b"-1e9"];
                let junk = junks[rng.below(6)];
                bytes.splice(at..at, junk.iter().copied());
            }
        }
        std::fs::write(path, &bytes).unwrap();
        let output = run(&["--data", dir.path().to_str().unwrap(), "catalogue", "check"]);
        let err = stderr(&output);
        let code = output.status.code();
        assert!(
            matches!(code, Some(0 | 2)),
            "case {case} ({}): exit {code:?}\n{err}",
            path.display()
        );
        assert!(!err.contains("panicked"), "case {case}: {err}");
        if code == Some(2) {
            n_invalid += 1;
            let rel = path
                .strip_prefix(dir.path())
                .unwrap()
                .to_string_lossy()
                .into_owned();
            assert!(
                err.contains(&rel),
                "case {case}: the error does not name {rel}:\n{err}"
            );
        }
        std::fs::write(path, &original).unwrap();
    }
    assert!(
        n_invalid > n_cases / 2,
        "only {n_invalid} of {n_cases} corruptions were detected"
    );
}
