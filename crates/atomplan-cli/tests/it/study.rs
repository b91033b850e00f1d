//! `atomplan study`: bad files exit 2 naming the key, a reduced study runs end to end, a run
//! killed with SIGKILL resumes without redoing finished stages, and the report renders in
//! headless Chromium with every chart drawn.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{atomplan, run};

pub(crate) fn flagship(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../studies")
        .join(name)
}

/// The Kazakhstan flagship, reduced for CI: one demand scenario, fewer samples and days.
pub(crate) fn reduced_study(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(flagship("kazakhstan-first-npp.toml")).unwrap();
    let text = text
        .replace("monte_carlo_samples = 2000", "monte_carlo_samples = 100")
        .replace("adequacy_samples = 100", "adequacy_samples = 20")
        .replace("representative_days = 12", "representative_days = 4");
    let path = dir.join("study.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// Runs `study check` on the reduced study edited by `edit`; expects exit 2 and `key` named.
fn check_bad(edit: impl Fn(String) -> String, key: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = reduced_study(dir.path());
    let text = edit(std::fs::read_to_string(&path).unwrap());
    std::fs::write(&path, text).unwrap();
    for command in ["check", "run"] {
        let out_dir = dir.path().join("out");
        let mut args = vec!["study", command, path.to_str().unwrap()];
        if command == "run" {
            args.extend(["--out", out_dir.to_str().unwrap()]);
        }
        let output = run(&args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{command}: {stderr}");
        assert!(
            stderr.contains(key),
            "{command}: expected `{key}` in: {stderr}"
        );
        assert!(
            stderr.contains("study.toml"),
            "{command}: file not named in: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn unknown_design_exits_2_naming_the_key() {
    check_bad(
        |t| t.replacen("design = \"vver-1200\"", "design = \"vver-9999\"", 1),
        "candidates[0].design",
    );
}

#[test]
fn unknown_country_exits_2_naming_the_key() {
    check_bad(
        |t| t.replace("country = \"KZ\"", "country = \"XX\""),
        "`country`",
    );
}

#[test]
fn impossible_horizon_exits_2_naming_the_key() {
    check_bad(
        |t| {
            t.replace(
                "periods = [2035, 2040, 2050]",
                "periods = [2040, 2035, 2050]",
            )
        },
        "horizon.periods[1]",
    );
    check_bad(
        |t| t.replace("periods = [2035, 2040, 2050]", "periods = [2020, 2040]"),
        "horizon.periods[0]",
    );
}

#[test]
fn unknown_key_exits_2_naming_it() {
    check_bad(|t| t.replace("seed = 42", "seeed = 42"), "seeed");
}

#[test]
fn new_writes_a_valid_commented_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.toml");
    let output = run(&[
        "study",
        "new",
        "--country",
        "MN",
        "--output",
        path.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("# "));
    let output = run(&["study", "check", path.to_str().unwrap()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = run(&["study", "new", "--country", "ZZ"]);
    assert_eq!(output.status.code(), Some(2));
}

pub(crate) fn sqlite_count(db: &Path, sql: &str) -> i64 {
    let connection = rusqlite::Connection::open(db).unwrap();
    connection.query_row(sql, [], |row| row.get(0)).unwrap()
}

#[test]
fn reduced_study_runs_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let path = reduced_study(dir.path());
    let out = dir.path().join("out");
    let output = run(&[
        "study",
        "run",
        path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(summary["ranking"].as_array().unwrap().len(), 4);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    for section in [
        "Answer",
        "Levelised cost",
        "build timeline",
        "dispatch",
        "N-1",
        "Adequacy",
        "Emissions",
        "Supply security",
        "MCDA",
        "readiness",
        "data-quality",
    ] {
        assert!(html.contains(section), "report lacks `{section}`");
    }
    assert!(
        html.contains("SYNTHETIC"),
        "synthetic series must be labelled"
    );
    assert!(!html.contains("NaN") && !html.contains("<script"));
    let db = out.join("results.sqlite");
    assert_eq!(sqlite_count(&db, "SELECT COUNT(*) FROM stage_log"), 5);
    assert!(sqlite_count(&db, "SELECT COUNT(*) FROM lcoe") == 4);
    assert!(sqlite_count(&db, "SELECT COUNT(*) FROM inputs WHERE key = 'study_toml'") == 1);
    assert!(out.join("csv/lcoe.csv").exists() && out.join("charts/lcoe.svg").exists());
    let profiles = std::fs::read_to_string(out.join("csv/profiles.csv")).unwrap();
    assert!(profiles.contains("SYNTHETIC"));

    // A second run reuses every stage.
    let output = run(&[
        "study",
        "run",
        path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(summary["stages_computed"].as_array().unwrap().len(), 0);
    assert_eq!(sqlite_count(&db, "SELECT COUNT(*) FROM stage_runs"), 5);
}

#[test]
fn sigkill_mid_run_resumes_without_redoing_finished_stages() {
    let dir = tempfile::tempdir().unwrap();
    let path = reduced_study(dir.path());
    let out = dir.path().join("out");
    let db = out.join("results.sqlite");
    let mut child = atomplan()
        .args([
            "study",
            "run",
            path.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .env(
            "ATOMPLAN_TEST_PAUSE_AFTER_STAGE",
            "planning/central/central",
        )
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the second stage is committed (the hook then sleeps), then kill -9.
    let start = Instant::now();
    loop {
        if db.exists()
            && rusqlite::Connection::open(&db)
                .and_then(|c| {
                    c.query_row(
                        "SELECT COUNT(*) FROM stage_log WHERE stage = 'planning/central/central'",
                        [],
                        |r| r.get::<_, i64>(0),
                    )
                })
                .unwrap_or(0)
                == 1
        {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the run never reached planning"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let status = Command::new("kill")
        .args(["-9", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let _ = child.wait();
    assert_eq!(sqlite_count(&db, "SELECT COUNT(*) FROM stage_log"), 2);
    assert!(!out.join("report.html").exists());

    let output = run(&[
        "study",
        "run",
        path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let reused: Vec<&str> = summary["stages_reused"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert_eq!(reused, ["economics", "planning/central/central"]);
    // Every stage started exactly once across both runs: nothing finished was redone.
    assert_eq!(sqlite_count(&db, "SELECT COUNT(*) FROM stage_runs"), 5);
    assert_eq!(
        sqlite_count(&db, "SELECT COUNT(DISTINCT stage) FROM stage_runs"),
        5
    );
    assert_eq!(sqlite_count(&db, "SELECT COUNT(*) FROM stage_log"), 5);
    assert!(out.join("report.html").exists());
}

/// Headless Chromium, installed from Debian's packages when missing (as root).
fn chromium() -> PathBuf {
    for candidate in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] {
        if Path::new(candidate).exists() {
            return PathBuf::from(candidate);
        }
    }
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    assert!(is_root, "headless Chromium is needed: install Debian's `chromium` package (apt-get install -y chromium)");
    let install = |args: &[&str]| {
        Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    };
    if !install(&["install", "-y", "chromium"]) {
        install(&["update"]);
        assert!(
            install(&["install", "-y", "chromium"]),
            "apt-get install -y chromium failed"
        );
    }
    PathBuf::from("/usr/bin/chromium")
}

#[test]
fn report_renders_in_headless_chromium_with_every_chart() {
    let dir = tempfile::tempdir().unwrap();
    let path = reduced_study(dir.path());
    let out = dir.path().join("out");
    let output = run(&[
        "study",
        "run",
        path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = out.join("report.html");
    let profile = dir.path().join("chromium-profile");
    let output = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--enable-logging=stderr",
            "--v=0",
            &format!("--user-data-dir={}", profile.display()),
            "--dump-dom",
            &format!("file://{}", report.display()),
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let dom = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("CONSOLE"), "console messages: {stderr}");
    assert!(!stderr.contains("Uncaught"), "script errors: {stderr}");
    let charts: Vec<PathBuf> = std::fs::read_dir(out.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(
        charts.len() >= 8,
        "expected at least 8 charts, found {}",
        charts.len()
    );
    for chart in &charts {
        let file = chart.file_name().unwrap().to_str().unwrap();
        let marker = format!("data-chart=\"{file}\"");
        let at = dom
            .find(&marker)
            .unwrap_or_else(|| panic!("chart {file} missing from the rendered DOM"));
        let figure = &dom[at..];
        let svg_start = figure.find("<svg").expect("an <svg> in each figure");
        let svg_end = figure.find("</svg>").expect("a closed <svg>");
        let svg = &figure[svg_start..svg_end];
        assert!(
            svg.contains("<rect")
                && (svg.matches("<rect").count() > 2
                    || svg.contains("<polygon")
                    || svg.contains("<polyline")),
            "chart {file} is empty"
        );
    }
}

#[test]
#[allow(clippy::print_stderr)]
fn flagship_studies_are_valid() {
    for name in [
        "turkey-smr.toml",
        "mongolia-small-npp.toml",
        "kazakhstan-first-npp.toml",
        "uzbekistan-jizzakh.toml",
    ] {
        let path = flagship(name);
        let output = run(&["study", "check", path.to_str().unwrap()]);
        assert!(
            output.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    // The full runs are slow in the dev profile: behind ATOMPLAN_SLOW_TESTS=1.
    if std::env::var_os("ATOMPLAN_SLOW_TESTS").is_some() {
        for name in [
            "turkey-smr.toml",
            "mongolia-small-npp.toml",
            "kazakhstan-first-npp.toml",
            "uzbekistan-jizzakh.toml",
        ] {
            let dir = tempfile::tempdir().unwrap();
            let start = Instant::now();
            let output = run(&[
                "study",
                "run",
                flagship(name).to_str().unwrap(),
                "--out",
                dir.path().to_str().unwrap(),
                "-q",
            ]);
            assert!(
                output.status.success(),
                "{name}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            assert!(
                start.elapsed() < Duration::from_secs(300),
                "{name} took {:?}",
                start.elapsed()
            );
            eprintln!("{name}: {:.1} s", start.elapsed().as_secs_f64());
        }
    }
}
