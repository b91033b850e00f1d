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
        .replace("representative_days = 12", "representative_days = 4")
        // The break-even searches and the tornado re-plan the study tens of times: they are
        // tested on the fixture study (atomplan's tests/it/study.rs) and timed in bench/.
        .replace(
            "[options]\n",
            "[options]\nbreakeven = false\ntornado = false\n",
        );
    let path = dir.join("study.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// The reduced study (break-even searches and tornado off) with a solver time limit that a
/// dev-profile solve on a loaded machine stays within: for report and format tests.
fn reduced_study_without_searches(dir: &Path) -> PathBuf {
    let path = reduced_study(dir);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("breakeven = false") && text.contains("tornado = false"));
    std::fs::write(
        &path,
        text.replace("solver_time_limit_s = 300", "solver_time_limit_s = 600"),
    )
    .unwrap();
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

// Issue 13: `lcoe_p90` always computed the P95; it is renamed `lcoe_p95`, and old study files
// still run with a deprecation warning naming the key.
#[test]
fn lcoe_p90_is_read_as_lcoe_p95_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = reduced_study(dir.path());
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("metric = \"lcoe_p95\""));
    std::fs::write(
        &path,
        text.replace("metric = \"lcoe_p95\"", "metric = \"lcoe_p90\""),
    )
    .unwrap();
    let output = run(&["study", "check", path.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("warning"), "{stderr}");
    assert!(stderr.contains("mcda.criteria[1].metric"), "{stderr}");
    assert!(
        stderr.contains("deprecated") && stderr.contains("lcoe_p95"),
        "{stderr}"
    );
    std::fs::write(
        &path,
        std::fs::read_to_string(&path)
            .unwrap()
            .replace("metric = \"lcoe_p90\"", "metric = \"lcoe_p99\""),
    )
    .unwrap();
    let output = run(&["study", "check", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
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

/// Python with pyarrow: installed from PyPI with pip when missing.
fn python_with_pyarrow() -> &'static str {
    let has = || {
        Command::new("python3")
            .args(["-c", "import pyarrow.parquet"])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !has() {
        let status = Command::new("python3")
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "pyarrow",
            ])
            .status();
        assert!(
            status.is_ok_and(|s| s.success()) && has(),
            "pyarrow is needed to read the Parquet files back: python3 -m pip install pyarrow"
        );
    }
    "python3"
}

/// Reads every `csv/NAME.csv` and `parquet/NAME.parquet` with pyarrow and compares them cell by
/// cell (numbers numerically, empty CSV cells as nulls).
fn check_parquet_matches_csv(out: &Path) {
    let script = r#"
import csv, math, pathlib, sys
import pyarrow.parquet as pq
out = pathlib.Path(sys.argv[1])
tables = sorted((out / "csv").glob("*.csv"))
assert tables, "no CSV files"
for path in tables:
    parquet = out / "parquet" / (path.stem + ".parquet")
    assert parquet.exists(), f"{parquet} missing"
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    table = pq.read_table(parquet)
    assert table.column_names == header, (path.stem, table.column_names, header)
    assert table.num_rows == len(body), (path.stem, table.num_rows, len(body))
    columns = [table.column(i).to_pylist() for i in range(len(header))]
    for r, row in enumerate(body):
        for c, cell in enumerate(row):
            value = columns[c][r]
            if cell == "":
                assert value is None or value == "", (path.stem, r, header[c], value)
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                assert math.isclose(float(cell), float(value), rel_tol=1e-12, abs_tol=1e-12), (path.stem, r, header[c], cell, value)
            else:
                assert str(value) == cell, (path.stem, r, header[c], cell, value)
    print(path.stem, len(body))
"#;
    let output = Command::new(python_with_pyarrow())
        .args(["-c", script])
        .arg(out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "Parquet and CSV differ: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let checked = String::from_utf8_lossy(&output.stdout).lines().count();
    assert!(checked >= 10, "only {checked} tables checked");
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
    // The cheapest offer's LCOE comes with the risk band's median, and the band's risks are
    // listed among the assumptions.
    assert!(html.contains("if built on time; with cost, delay and availability risks P50"));
    assert!(html.contains("Monte Carlo of each offer"));
    assert!(!html.contains("NaN") && !html.contains("<script"));
    let db = out.join("results.sqlite");
    // economics, one planning stage per scenario of the Kazakhstan study (least-cost,
    // government-plan, co2-target), assessments, mcda and decision.
    let connection = rusqlite::Connection::open(&db).unwrap();
    let mut statement = connection
        .prepare("SELECT stage FROM stage_log ORDER BY stage")
        .unwrap();
    let stages: Vec<String> = statement
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        stages,
        [
            "assessments",
            "decision",
            "economics",
            "mcda",
            "planning/co2-target",
            "planning/government-plan",
            "planning/least-cost",
        ]
    );
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
    // economics, three planning scenarios, assessments, mcda, decision
    assert_eq!(sqlite_count(&db, "SELECT COUNT(*) FROM stage_runs"), 7);
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
        .env("ATOMPLAN_TEST_PAUSE_AFTER_STAGE", "planning/least-cost")
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
                        "SELECT COUNT(*) FROM stage_log WHERE stage = 'planning/least-cost'",
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
    assert_eq!(reused, ["economics", "planning/least-cost"]);
    // Every stage started exactly once across both runs: nothing finished was redone
    // (economics, three planning scenarios, assessments, mcda, decision).
    assert_eq!(sqlite_count(&db, "SELECT COUNT(*) FROM stage_runs"), 7);
    assert_eq!(
        sqlite_count(&db, "SELECT COUNT(DISTINCT stage) FROM stage_runs"),
        7
    );
    assert_eq!(sqlite_count(&db, "SELECT COUNT(*) FROM stage_log"), 7);
    assert!(out.join("report.html").exists());
}

/// A Debian tool, installed with apt-get when missing (as root, like CI).
fn debian_tool(binaries: &[&str], package: &str) -> PathBuf {
    let find = || {
        binaries
            .iter()
            .map(PathBuf::from)
            .find(|candidate| candidate.exists())
    };
    if let Some(found) = find() {
        return found;
    }
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    assert!(
        is_root,
        "{} is needed: install Debian's `{package}` package (apt-get install -y {package})",
        binaries[0]
    );
    let install = |args: &[&str]| {
        Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    };
    if !install(&["install", "-y", package]) {
        install(&["update"]);
        assert!(
            install(&["install", "-y", package]),
            "apt-get install -y {package} failed"
        );
    }
    find().unwrap_or_else(|| panic!("{package} installed but {} not found", binaries[0]))
}

/// Headless Chromium, installed from Debian's packages when missing (as root).
fn chromium() -> PathBuf {
    debian_tool(
        &["/usr/bin/chromium", "/usr/bin/chromium-browser"],
        "chromium",
    )
}

/// Runs headless Chromium on `url` with extra arguments; returns stdout after checking success.
fn run_chromium(profile: &Path, extra: &[&str], url: &str) -> String {
    let output = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--enable-logging=stderr",
            "--v=0",
            "--hide-scrollbars",
            &format!("--user-data-dir={}", profile.display()),
        ])
        .args(extra)
        .arg(url)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("Uncaught"), "script errors: {stderr}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The value of `data-NAME="…"` on the body of a dumped DOM.
fn dom_attribute(dom: &str, name: &str) -> f64 {
    let marker = format!("data-{name}=\"");
    let at = dom
        .find(&marker)
        .unwrap_or_else(|| panic!("no {marker} in the DOM: the measuring script did not run"));
    let rest = &dom[at + marker.len()..];
    rest[..rest.find('"').unwrap()].parse().unwrap()
}

/// Visible text of an HTML page: tags removed (attribute values are not shown to a reader).
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Every source id of the built-in catalogue (`data/sources.toml`).
fn catalogue_source_ids() -> Vec<String> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/sources.toml"),
    )
    .unwrap();
    text.lines()
        .filter_map(|line| line.trim().strip_prefix("id = \""))
        .filter_map(|rest| rest.strip_suffix('"'))
        .map(str::to_owned)
        .collect()
}

// Issue 13: the report is checked as a reader meets it, in headless Chromium: every chart drawn,
// the Answer box on the first screen at 1280 × 800, no horizontal scroll, a PDF without cut charts,
// and no source shown as a bare id.
#[test]
fn report_renders_prints_and_fits_in_headless_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let path = reduced_study_without_searches(dir.path());
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
    // Every CSV has a Parquet file with the same rows, readable by pyarrow.
    check_parquet_matches_csv(&out);
    let report = out.join("report.html");
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(!html.contains("<script"), "the report itself has no script");
    let profile = dir.path().join("chromium-profile");
    let dom = run_chromium(
        &profile,
        &["--dump-dom"],
        &format!("file://{}", report.display()),
    );

    // Every chart: an SVG drawn in the page and a PNG of the same name.
    let svgs: Vec<PathBuf> = std::fs::read_dir(out.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .collect();
    assert!(
        svgs.len() >= 10,
        "expected at least 10 charts, found {}",
        svgs.len()
    );
    let pngs = std::fs::read_dir(out.join("charts"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|e| e == "png")
        })
        .count();
    assert_eq!(pngs, svgs.len(), "one PNG per SVG");
    for chart in &svgs {
        let file = chart.file_name().unwrap().to_str().unwrap();
        let png = std::fs::read(chart.with_extension("png")).unwrap();
        assert!(
            png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 5_000,
            "{file}: PNG"
        );
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

    // Layout at 1280 × 800: a copy of the page with a measuring script (the report has none).
    let measured = dir.path().join("measured.html");
    let script = "<script>window.addEventListener('load',()=>{const a=document.getElementById('answer').getBoundingClientRect();const b=document.body;b.setAttribute('data-answer-top',Math.round(a.top));b.setAttribute('data-answer-bottom',Math.round(a.bottom));b.setAttribute('data-scroll-width',document.documentElement.scrollWidth);b.setAttribute('data-viewport-width',window.innerWidth);b.setAttribute('data-viewport-height',window.innerHeight);});</script>";
    std::fs::write(
        &measured,
        html.replace("</body>", &format!("{script}</body>")),
    )
    .unwrap();
    let dom = run_chromium(
        &profile,
        &[
            "--window-size=1280,800",
            "--virtual-time-budget=5000",
            "--dump-dom",
        ],
        &format!("file://{}", measured.display()),
    );
    let (width, height) = (
        dom_attribute(&dom, "viewport-width"),
        dom_attribute(&dom, "viewport-height"),
    );
    assert_eq!(width, 1280.0, "viewport");
    // Headless Chromium's window of 1280 × 800 leaves a viewport of about 1280 × 710 (its window
    // frame takes the rest), which is also what a browser on a 1280 × 800 screen shows.
    assert!(height >= 600.0, "viewport height {height}");
    assert!(dom_attribute(&dom, "answer-top") >= 0.0);
    assert!(
        dom_attribute(&dom, "answer-bottom") <= height,
        "the Answer box ends at {} px, below the first screen of {height} px",
        dom_attribute(&dom, "answer-bottom")
    );
    assert!(
        dom_attribute(&dom, "scroll-width") <= width,
        "horizontal scroll: page is {} px wide",
        dom_attribute(&dom, "scroll-width")
    );

    // Print to PDF; pdftoppm renders every page; no chart is cut across pages: the chart's title
    // and its footer (the last text drawn in it) are on the same page.
    let pdf = dir.path().join("report.pdf");
    run_chromium(
        &profile,
        &[
            &format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer",
        ],
        &format!("file://{}", report.display()),
    );
    assert!(std::fs::metadata(&pdf).unwrap().len() > 10_000);
    let pdftoppm = debian_tool(&["/usr/bin/pdftoppm"], "poppler-utils");
    let pages_dir = dir.path().join("pages");
    std::fs::create_dir_all(&pages_dir).unwrap();
    let status = Command::new(&pdftoppm)
        .args(["-r", "40", "-png"])
        .arg(&pdf)
        .arg(pages_dir.join("page"))
        .status()
        .unwrap();
    assert!(status.success());
    let n_pages = std::fs::read_dir(&pages_dir).unwrap().count();
    assert!(n_pages >= 3, "{n_pages} pages");
    let pdftotext = debian_tool(&["/usr/bin/pdftotext"], "poppler-utils");
    let page_text: Vec<String> = (1..=n_pages)
        .map(|page| {
            let output = Command::new(&pdftotext)
                .args(["-f", &page.to_string(), "-l", &page.to_string(), "-raw"])
                .arg(&pdf)
                .arg("-")
                .output()
                .unwrap();
            String::from_utf8_lossy(&output.stdout).replace('\n', " ")
        })
        .collect();
    for chart in &svgs {
        let name = chart.file_stem().unwrap().to_str().unwrap();
        let footer = format!("chart {name} ");
        let pages: Vec<usize> = page_text
            .iter()
            .enumerate()
            .filter(|(_, text)| text.contains(&footer))
            .map(|(idx, _)| idx)
            .collect();
        assert_eq!(pages.len(), 1, "chart {name}: footer on pages {pages:?}");
        let svg = std::fs::read_to_string(chart).unwrap();
        let title_start = svg.find("<title>").unwrap() + "<title>".len();
        let title = &svg[title_start..title_start + svg[title_start..].find("</title>").unwrap()];
        let first_words: String = title
            .split_whitespace()
            .take(2)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            page_text[pages[0]].contains(&first_words),
            "chart {name} is cut: its title `{first_words}` is not on the page of its footer"
        );
    }

    // No source is shown as a bare id.
    let text = visible_text(&html);
    for id in catalogue_source_ids() {
        assert!(
            !text.contains(&id),
            "source `{id}` is shown as a bare id in the report"
        );
    }
    assert!(html.contains("<ol class=\"sources\">"));
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
    // The full runs are slow in the dev profile: behind ATOMPLAN_SLOW_TESTS=1 (their times are
    // measured by bench/flagship_times.py, not asserted here).
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
            eprintln!("{name}: {:.1} s", start.elapsed().as_secs_f64());
            let decision: serde_json::Value = serde_json::from_str(
                &std::fs::read_to_string(dir.path().join("decision.json")).unwrap(),
            )
            .unwrap();
            check_decision(name, &decision);
        }
    }
}

/// The issue's checks on a flagship's `decision.json`.
fn check_decision(name: &str, decision: &serde_json::Value) {
    let scenarios = decision["scenarios"].as_array().unwrap();
    let names: Vec<&str> = scenarios
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    for wanted in ["least-cost", "government-plan", "co2-target"] {
        assert!(
            names.contains(&wanted),
            "{name}: no `{wanted}` in {names:?}"
        );
    }
    let least = scenarios
        .iter()
        .find(|s| s["name"] == "least-cost")
        .unwrap();
    assert_eq!(least["meets_standard"], true, "{name}: {least}");
    assert!(
        least["lole_h"].as_f64().unwrap() <= least["lole_standard_h"].as_f64().unwrap(),
        "{name}: {least}"
    );
    let base = least["system_cost_usd"].as_f64().unwrap();
    for s in scenarios {
        let delta = s["cost_vs_least_cost_usd"].as_f64().unwrap();
        // Both MILPs stop at a relative gap of 1e-4.
        assert!(
            delta >= -2e-4 * base,
            "{name}: {} is cheaper than least-cost: {delta}",
            s["name"]
        );
    }
    let nuclear = |scenario: &serde_json::Value, year: &str| -> f64 {
        scenario["nuclear_mw"][year].as_f64().unwrap_or(0.0)
    };
    if name == "turkey-smr.toml" {
        for s in scenarios {
            for (year, mw) in s["nuclear_mw"].as_object().unwrap() {
                if year.parse::<i32>().unwrap() >= 2030 {
                    assert!(
                        mw.as_f64().unwrap() >= 4400.0,
                        "{name}: {} {year}: {mw}",
                        s["name"]
                    );
                }
            }
        }
    }
    if name == "kazakhstan-first-npp.toml" {
        let plan = scenarios
            .iter()
            .find(|s| s["name"] == "government-plan")
            .unwrap();
        assert!(nuclear(plan, "2040") >= 2200.0, "{name}: {plan}");
    }
    assert!(decision["candidates"]
        .as_array()
        .is_some_and(|c| !c.is_empty()));
    assert_eq!(decision["tornado"].as_array().map(Vec::len), Some(5));
}

/// `study new` for every catalogue country: the file checks, and no candidate's unit is larger
/// than the documented share (10 %) of the country's peak load. With ATOMPLAN_SLOW_TESTS=1 each
/// file also runs to the end.
#[test]
fn new_study_for_every_country_fits_the_grid() {
    for country in ["KZ", "TR", "UZ", "MN", "KG", "RU"] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.toml");
        let output = run(&[
            "study",
            "new",
            "--country",
            country,
            "--output",
            path.to_str().unwrap(),
        ]);
        assert!(
            output.status.success(),
            "{country}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let text = std::fs::read_to_string(&path).unwrap();
        let limit: f64 = text
            .lines()
            .find_map(|l| {
                let rest = l.split("MW peak load (").nth(1)?;
                rest.split(" MW)").next()?.trim().parse().ok()
            })
            .unwrap_or_else(|| panic!("{country}: no grid-fit rule in\n{text}"));
        let mut candidates = 0;
        for line in text.lines().filter(|l| l.contains(" MWe per unit)")) {
            let before = line.split(" MWe per unit)").next().unwrap_or_default();
            let mwe: f64 = before
                .rsplit(' ')
                .next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{country}: cannot read {line}"));
            assert!(mwe <= limit + 1e-6, "{country}: {line} exceeds {limit} MW");
            candidates += 1;
        }
        assert!(candidates > 0, "{country}: no candidate in\n{text}");
        let output = run(&["study", "check", path.to_str().unwrap()]);
        assert!(
            output.status.success(),
            "{country}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        if std::env::var_os("ATOMPLAN_SLOW_TESTS").is_some() {
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
                "{country}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
}
