//! The web app in real headless Chromium, driven over WebDriver by Debian's `chromedriver`
//! (both installed with apt-get when missing, as root, like the report test): the catalogue
//! filtered to SMRs, a design with its sources, the Mongolia flagship in the editor with an
//! error shown at its line, the form editor (a change written into the TOML, an out-of-range
//! value shown at its field), fixed and run, progress to done, the report, the comparison of
//! two scenarios and of two runs.
//! No page may log a console error. Screenshots go to
//! `$CARGO_TARGET_TMPDIR/server-browser/` as test artefacts.

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::common::{raw_request, server_with};

/// A Debian tool, installed with apt-get when missing (as root, like CI).
fn debian_tool(binary: &str, package: &str) -> PathBuf {
    let path = PathBuf::from(binary);
    if path.exists() {
        return path;
    }
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    assert!(is_root, "{binary} is needed: apt-get install -y {package}");
    let install = |args: &[&str]| {
        Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .is_ok_and(|s| s.success())
    };
    if !install(&["install", "-y", package]) {
        install(&["update"]);
        assert!(
            install(&["install", "-y", package]),
            "apt-get install -y {package} failed"
        );
    }
    assert!(path.exists(), "{package} installed but {binary} not found");
    path
}

/// chromedriver on a free port, killed when dropped.
struct Driver {
    child: Child,
    addr: SocketAddr,
    session: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = raw_request(
            self.addr,
            "DELETE",
            &format!("/session/{}", self.session),
            &[],
            b"",
        );
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    fn start(profile: &Path) -> Driver {
        let chromium = debian_tool("/usr/bin/chromium", "chromium");
        let chromedriver = debian_tool("/usr/bin/chromedriver", "chromium-driver");
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let started = Instant::now();
        while std::net::TcpStream::connect(addr).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let mut driver = Driver {
            child,
            addr,
            session: String::new(),
        };
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:loggingPrefs": { "browser": "ALL" },
            "goog:chromeOptions": {
                "binary": chromium.display().to_string(),
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1280,900", format!("--user-data-dir={}", profile.display())]
            }
        } } });
        let value = driver.call("POST", "/session", &capabilities);
        driver.session = value["sessionId"].as_str().unwrap().to_owned();
        driver
    }

    fn call(&self, method: &str, path: &str, body: &Value) -> Value {
        let body = if method == "GET" {
            String::new()
        } else {
            body.to_string()
        };
        let headers = [("Content-Type".to_owned(), "application/json".to_owned())];
        let reply = raw_request(self.addr, method, path, &headers, body.as_bytes());
        let value: Value = serde_json::from_slice(&reply.body).unwrap();
        assert_eq!(reply.status, 200, "{method} {path}: {value}");
        value["value"].clone()
    }

    fn session_call(&self, method: &str, path: &str, body: &Value) -> Value {
        self.call(method, &format!("/session/{}{path}", self.session), body)
    }

    fn open(&self, url: &str) {
        self.session_call("POST", "/url", &json!({ "url": url }));
    }

    fn script(&self, script: &str) -> Value {
        self.session_call(
            "POST",
            "/execute/sync",
            &json!({ "script": script, "args": [] }),
        )
    }

    fn click(&self, css: &str) {
        let element = self.session_call(
            "POST",
            "/element",
            &json!({ "using": "css selector", "value": css }),
        );
        let id = element
            .as_object()
            .unwrap()
            .values()
            .next()
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned();
        self.session_call("POST", &format!("/element/{id}/click"), &json!({}));
    }

    /// Polls `script` (which returns a boolean) until true.
    fn wait_for(&self, what: &str, script: &str, limit: Duration) {
        let started = Instant::now();
        while self.script(script) != Value::Bool(true) {
            assert!(started.elapsed() < limit, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Console messages at level SEVERE since the last call.
    fn console_errors(&self) -> Vec<String> {
        self.session_call("POST", "/se/log", &json!({ "type": "browser" }))
            .as_array()
            .unwrap()
            .iter()
            .filter(|entry| entry["level"] == "SEVERE")
            .map(|entry| entry["message"].as_str().unwrap_or("").to_owned())
            .collect()
    }

    fn screenshot(&self, dir: &Path, name: &str) {
        let base64 = self.session_call("GET", "/screenshot", &Value::Null);
        let png = decode_base64(base64.as_str().unwrap());
        assert!(png.starts_with(b"\x89PNG"), "{name}: not a PNG");
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }
}

fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        })
    };
    let digits: Vec<u32> = text.bytes().filter_map(value).collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let mut n = 0_u32;
        for (idx, d) in chunk.iter().enumerate() {
            n |= d << (18 - 6 * idx);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}

fn artefacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("server-browser");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_app_in_headless_chromium() {
    let _one_at_a_time = crate::common::one_study_test_at_a_time();
    let server = server_with(|c| c.max_running = 2);
    // Run B of the two-run comparison, posted through the API now so it runs meanwhile.
    let reply = server.post("/api/v1/jobs", &crate::common::tiny_study());
    assert_eq!(reply.status, 202, "{}", reply.text());
    let run_b = reply.json()["id"].as_str().unwrap().to_owned();
    let profile = tempfile::tempdir().unwrap();
    let shots = artefacts();
    let driver = Driver::start(profile.path());

    // Home and catalogue load without console errors.
    driver.open(&server.url("/"));
    assert!(driver
        .script("return document.title")
        .as_str()
        .unwrap()
        .contains("atomplan"));
    assert_eq!(driver.console_errors(), Vec::<String>::new(), "/");
    driver.screenshot(&shots, "01-home");

    driver.open(&server.url("/catalogue"));
    driver.wait_for(
        "the filter script",
        "return document.getElementById('shown').textContent.length > 0",
        Duration::from_secs(10),
    );
    let count_visible = "return Array.from(document.querySelectorAll('#designs tbody tr')).filter(r => !r.hidden).length";
    let all = driver.script(count_visible).as_u64().unwrap();
    driver.click("#smr-only");
    let smrs = driver.script(count_visible).as_u64().unwrap();
    let catalogue = atomplan_catalogue::Catalogue::builtin().unwrap();
    assert_eq!(all as usize, catalogue.designs().len());
    assert_eq!(
        smrs as usize,
        catalogue.designs().iter().filter(|d| d.is_smr()).count()
    );
    assert!(smrs > 0 && smrs < all);
    let only_smrs = driver.script("return Array.from(document.querySelectorAll('#designs tbody tr')).filter(r => !r.hidden).every(r => r.dataset.smr === 'true')");
    assert_eq!(only_smrs, Value::Bool(true));
    // Sorting by size puts the smallest module first.
    driver.click("#designs th[data-key=mwe]");
    let first_mwe = driver.script("const r = Array.from(document.querySelectorAll('#designs tbody tr')).filter(r => !r.hidden); return r.map(x => parseFloat(x.cells[4].dataset.value)).filter(v => v >= 0)");
    let sizes: Vec<f64> = first_mwe
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert!(sizes.windows(2).all(|w| w[0] <= w[1]), "{sizes:?}");
    assert_eq!(driver.console_errors(), Vec::<String>::new(), "/catalogue");
    driver.screenshot(&shots, "02-catalogue-smrs");

    // A design's page: values with numbered sources, each source with title, year and link.
    driver.click("#designs tbody tr:not([hidden]) td a");
    driver.wait_for(
        "the design page",
        "return document.body.dataset.page === 'record'",
        Duration::from_secs(10),
    );
    let link = driver
        .script("const a = document.querySelector('a.source-link'); return a ? a.href : null");
    assert!(
        link.as_str().is_some_and(|l| l.starts_with("http")),
        "no source link: {link}"
    );
    // Following a numbered reference reaches its source in the list (no network is used).
    driver.click("a.ref");
    let target = driver.script("return location.hash");
    assert!(target.as_str().unwrap().starts_with("#source-"), "{target}");
    assert_eq!(driver.console_errors(), Vec::<String>::new(), "design page");
    driver.screenshot(&shots, "03-design");

    // The editor: the Mongolia flagship is valid; an error is shown at its field and line.
    driver.open(&server.url("/editor?from=mongolia-small-npp"));
    driver.wait_for(
        "the first check",
        "return document.getElementById('status').textContent.startsWith('Valid')",
        Duration::from_secs(30),
    );
    driver.script("const a = document.getElementById('study'); a.value = a.value.replace('design = \"acp100\"', 'design = \"acp-999\"'); a.dispatchEvent(new Event('input')); return true");
    driver.wait_for(
        "the error at candidates[1].design",
        "return !!document.querySelector('.diagnostic.error[data-field=\"candidates[1].design\"] .line')",
        Duration::from_secs(30),
    );
    let line =
        driver.script("return document.querySelector('.diagnostic.error .line').textContent");
    let text = include_str!("../../../../studies/mongolia-small-npp.toml");
    let expected_line = text
        .lines()
        .position(|l| l.contains("design = \"acp100\""))
        .unwrap()
        + 1;
    assert_eq!(line.as_str().unwrap(), format!("line {expected_line}"));
    let gutter = driver.script("return document.getElementById('gutter').textContent");
    assert!(gutter
        .as_str()
        .unwrap()
        .contains(&format!("● {expected_line}")));
    assert_eq!(
        driver.script("return document.getElementById('run').disabled"),
        Value::Bool(true)
    );
    driver.screenshot(&shots, "04-editor-error");

    // The form: it shows the study's fields; a change is written into the TOML with its
    // comments, and an out-of-range value is shown at its field by the same check.
    driver.wait_for(
        "the form",
        "return !!document.querySelector('#study-form input[data-field=\"options.discount_rate\"]')",
        Duration::from_secs(30),
    );
    assert_eq!(
        driver.script("return document.querySelector('#study-form input[data-field=\"candidates[1].design\"]').value"),
        "acp-999",
        "the form follows the TOML"
    );
    let set_field = |field: &str, value: &str| {
        driver.script(&format!(
            "const i = document.querySelector('#study-form input[data-field=\"{field}\"]'); i.value = {}; i.dispatchEvent(new Event('change')); return true",
            Value::String(value.to_owned())
        ));
    };
    set_field("candidates[1].design", "acp100");
    set_field("candidates[0].max_units", "5");
    driver.wait_for(
        "the form's change in the TOML",
        "const t = document.getElementById('study').value; return t.includes('max_units = 5\\n') && t.includes('design = \"acp100\"') && document.getElementById('status').textContent.startsWith('Valid')",
        Duration::from_secs(30),
    );
    let toml = driver.script("return document.getElementById('study').value");
    let toml = toml.as_str().unwrap();
    assert!(
        toml.starts_with("# Mongolia: a small grid where unit size and reserves decide."),
        "comments kept"
    );
    assert_eq!(
        toml.lines().count(),
        text.lines().count(),
        "one line changed, none added"
    );
    set_field("options.discount_rate", "1.5");
    driver.wait_for(
        "the error at options.discount_rate in the form",
        "const i = document.querySelector('#study-form input[data-field=\"options.discount_rate\"]'); return i.classList.contains('invalid') && i.parentElement.querySelector('.field-error').textContent.length > 0",
        Duration::from_secs(30),
    );
    let message = driver.script("return document.querySelector('#study-form input[data-field=\"options.discount_rate\"]').parentElement.querySelector('.field-error').textContent");
    assert!(message.as_str().unwrap().contains("1.5"), "{message}");
    assert!(driver
        .script("return document.getElementById('study').value")
        .as_str()
        .unwrap()
        .contains("discount_rate = 1.5\n"));
    assert_eq!(
        driver.script("return document.getElementById('run').disabled"),
        Value::Bool(true)
    );
    // A value of the wrong type is refused at its field, and the TOML keeps the last value.
    set_field("horizon.base_year", "twenty");
    driver.wait_for(
        "the type error at horizon.base_year",
        "const i = document.querySelector('#study-form input[data-field=\"horizon.base_year\"]'); return i.parentElement.querySelector('.field-error').textContent.includes('whole number')",
        Duration::from_secs(30),
    );
    // The refused edit is a 400 answer, which Chromium logs; nothing else may be logged.
    let logged = driver.console_errors();
    assert!(
        logged
            .iter()
            .all(|m| m.contains("/api/v1/studies/form/edit") && m.contains("400")),
        "{logged:?}"
    );
    driver.screenshot(&shots, "05-editor-form-error");
    set_field("options.discount_rate", "0.06");
    set_field("horizon.base_year", "2023");
    driver.wait_for(
        "the form's fix",
        "return document.getElementById('status').textContent.startsWith('Valid') && !document.querySelector('#study-form input.invalid')",
        Duration::from_secs(30),
    );

    // Fixed (and made quick for the test), it is valid and runs.
    let quick = crate::common::quick_study();
    driver.script(&format!(
        "const a = document.getElementById('study'); a.value = {}; a.dispatchEvent(new Event('input')); return true",
        Value::String(quick)
    ));
    driver.wait_for("the fixed study to be valid", "return document.getElementById('status').textContent.startsWith('Valid') && !document.getElementById('run').disabled", Duration::from_secs(30));
    assert_eq!(driver.console_errors(), Vec::<String>::new(), "editor");
    driver.click("#run");
    driver.wait_for(
        "the job page",
        "return document.body.dataset.page === 'job'",
        Duration::from_secs(30),
    );
    driver.wait_for("progress events", "return document.querySelectorAll('#events li').length > 0 || document.getElementById('job-status').textContent === 'done'", Duration::from_secs(300));
    driver.screenshot(&shots, "06-job-progress");
    driver.wait_for(
        "the job to finish",
        "return ['done', 'failed'].includes(document.getElementById('job-status').textContent)",
        Duration::from_secs(900),
    );
    assert_eq!(
        driver.script("return document.getElementById('job-status').textContent"),
        "done"
    );
    let progress = driver.script("return document.getElementById('progress').value");
    assert_eq!(progress.as_f64(), Some(1.0));

    // The report is embedded, and two scenarios are compared side by side.
    driver.wait_for(
        "the comparison",
        "return document.querySelectorAll('#comparison tbody tr').length > 0",
        Duration::from_secs(30),
    );
    let report = driver.script("return document.getElementById('report').getAttribute('src')");
    assert!(report.as_str().unwrap().ends_with("/report"));
    let names = driver.script("return [document.getElementById('name-a').textContent, document.getElementById('name-b').textContent]");
    assert_ne!(names[0], names[1], "two different scenarios: {names}");
    driver.screenshot(&shots, "07-job-done-report-comparison");
    let run_a = driver
        .script("return location.pathname.split('/').pop()")
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(driver.console_errors(), Vec::<String>::new(), "job page");

    // Two different runs side by side: the browser's run and the one posted through the API.
    let job_b = crate::common::wait_for_job(&server, &run_b, Duration::from_secs(900));
    assert_eq!(job_b["status"], "done", "{job_b}");
    driver.click("#compare-runs");
    driver.wait_for(
        "the compare page",
        "return document.body.dataset.page === 'compare'",
        Duration::from_secs(10),
    );
    assert_eq!(
        driver.script("return document.getElementById('job-a').value"),
        run_a.as_str()
    );
    driver.script(&format!(
        "const b = document.getElementById('job-b'); b.value = '{run_b}'; b.dispatchEvent(new Event('change')); return true"
    ));
    let cost_row =
        "document.querySelector('#comparison tbody tr[data-quantity=\"system_cost_usd\"]')";
    driver.wait_for(
        "the two-run comparison",
        &format!("return !!{cost_row}"),
        Duration::from_secs(30),
    );
    let decision = |id: &str| server.get(&format!("/api/v1/jobs/{id}/decision")).json();
    let first_cost = |decision: &Value| {
        decision["scenarios"][0]["system_cost_usd"]
            .as_f64()
            .unwrap()
    };
    let shown = |side: &str| {
        driver
            .script(&format!("return Number({cost_row}.dataset.{side})"))
            .as_f64()
            .unwrap()
    };
    assert_eq!(shown("a"), first_cost(&decision(&run_a)));
    assert_eq!(shown("b"), first_cost(&decision(&run_b)));
    // Another scenario of run B: the numbers follow it.
    driver.script("const s = document.getElementById('scenario-b'); s.value = 'government-plan'; s.dispatchEvent(new Event('change')); return true");
    driver.wait_for(
        "scenario B",
        "return document.getElementById('name-b').textContent.endsWith('government-plan')",
        Duration::from_secs(30),
    );
    let government_plan = decision(&run_b)["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "government-plan")
        .unwrap()["system_cost_usd"]
        .as_f64()
        .unwrap();
    driver.wait_for(
        "scenario B's numbers",
        &format!("return Number({cost_row}.dataset.b) === {government_plan}"),
        Duration::from_secs(30),
    );
    let url = driver.script("return location.search");
    assert!(
        url.as_str().unwrap().contains("scenario_b=government-plan"),
        "{url}"
    );
    assert_eq!(
        driver.console_errors(),
        Vec::<String>::new(),
        "compare page"
    );
    driver.screenshot(&shots, "08-compare-runs");

    driver.open(&server.url("/jobs"));
    assert_eq!(
        driver.script("return document.querySelectorAll('#jobs tbody tr').length"),
        2
    );
    assert_eq!(driver.console_errors(), Vec::<String>::new(), "job pages");
    driver.screenshot(&shots, "09-jobs");
}
