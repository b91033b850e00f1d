//! `atomplan serve` as a user starts it: the URL printed, the catalogue served, a generated
//! token on a non-loopback address, and a server killed with SIGKILL mid-job that finishes the
//! job after a restart with the same decision.json as `study run`.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::common::atomplan;

/// A running `atomplan serve`, killed with SIGKILL when dropped.
struct Served {
    child: Child,
    addr: SocketAddr,
    lines: Vec<String>,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `atomplan serve --port 0 ARGS` and reads what it prints up to the URL (and token).
fn serve(jobs: &Path, args: &[&str], env: &[(&str, &str)]) -> Served {
    let mut command = atomplan();
    command
        .args(["serve", "--port", "0", "--jobs", jobs.to_str().unwrap()])
        .args(args)
        .env_remove("ATOMPLAN_SERVE_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut reader = BufReader::new(stdout);
    let mut lines = Vec::new();
    let mut line = String::new();
    let expect_token = args.contains(&"0.0.0.0");
    loop {
        line.clear();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "serve ended early: {lines:?}"
        );
        lines.push(line.trim().to_owned());
        let done = if expect_token {
            line.starts_with("token: ")
        } else {
            line.starts_with("atomplan serve: ")
        };
        if done {
            break;
        }
    }
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = reader.read_to_end(&mut sink);
    });
    let url = lines
        .iter()
        .find_map(|l| l.strip_prefix("atomplan serve: http://"))
        .unwrap()
        .trim_end_matches('/')
        .to_owned();
    let port: u16 = url.rsplit(':').next().unwrap().parse().unwrap();
    Served {
        child,
        addr: SocketAddr::from(([127, 0, 0, 1], port)),
        lines,
    }
}

/// Status and body of one request.
fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{auth}Content-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let status = raw.split(' ').nth(1).unwrap().parse().unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_owned()
    };
    (status, body)
}

fn dechunk(mut data: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = data.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 || rest.len() < size {
            break;
        }
        out.push_str(&rest[..size]);
        data = rest[size..].trim_start_matches("\r\n");
    }
    out
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn serve_prints_its_url_and_answers_with_the_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    let served = serve(&dir.path().join("jobs"), &[], &[]);
    assert!(
        served.lines[0].starts_with("atomplan serve: http://127.0.0.1:"),
        "{:?}",
        served.lines
    );
    let (status, body) = request(served.addr, "GET", "/api/v1/designs", None, "");
    assert_eq!(status, 200);
    let cli = atomplan()
        .args(["catalogue", "designs", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        json(&body),
        json(&String::from_utf8_lossy(&cli.stdout)),
        "the API's designs are the CLI's"
    );
    let (status, _) = request(served.addr, "GET", "/", None, "");
    assert_eq!(status, 200);
}

// Issue 17: `POST /api/v1/econ/lcoe` answers, for a case as JSON, the JSON that
// `atomplan econ lcoe --format json` prints for the same case file (less `case_file`: there is
// no file); a bad case is 422 naming the field.
#[test]
fn econ_lcoe_over_http_is_econ_lcoe_of_the_cli() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/econ/e1_atb_2024_nuclear_large.toml");
    let text = std::fs::read_to_string(&fixture).unwrap();
    let case = serde_json::to_value(toml::from_str::<toml::Value>(&text).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let served = serve(&dir.path().join("jobs"), &[], &[]);
    let (status, body) = request(
        served.addr,
        "POST",
        "/api/v1/econ/lcoe",
        None,
        &case.to_string(),
    );
    assert_eq!(status, 200, "{body}");
    let cli = atomplan()
        .args([
            "econ",
            "lcoe",
            "--case",
            fixture.to_str().unwrap(),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(cli.status.success());
    let mut expected = json(&String::from_utf8_lossy(&cli.stdout));
    assert!(expected["case_file"].is_string());
    expected.as_object_mut().unwrap().remove("case_file");
    assert_eq!(json(&body), expected, "the API's LCOE JSON is the CLI's");

    let mut bad = case.clone();
    bad["atb"]["capacity_factor"] = serde_json::Value::from(1.7);
    let (status, body) = request(
        served.addr,
        "POST",
        "/api/v1/econ/lcoe",
        None,
        &bad.to_string(),
    );
    assert_eq!(status, 422, "{body}");
    let error = &json(&body)["error"];
    assert_eq!(error["code"], "invalid_case");
    assert_eq!(error["field"], "atb.capacity_factor");
}

#[test]
fn serve_on_any_address_prints_a_token_and_requires_it() {
    let dir = tempfile::tempdir().unwrap();
    let served = serve(&dir.path().join("jobs"), &["--bind", "0.0.0.0"], &[]);
    let token = served
        .lines
        .iter()
        .find_map(|l| l.strip_prefix("token: "))
        .expect("a printed token")
        .to_owned();
    let (status, body) = request(served.addr, "GET", "/api/v1/designs", None, "");
    assert_eq!(status, 401);
    assert_eq!(json(&body)["error"]["code"], "unauthorized");
    let (status, _) = request(served.addr, "GET", "/api/v1/designs", Some(&token), "");
    assert_eq!(status, 200);
}

/// The quick Mongolia flagship of the server's tests.
#[path = "../../../atomplan-server/tests/it/flagship.rs"]
#[allow(dead_code)]
mod flagship;
use flagship::quick_study;

fn job(addr: SocketAddr, id: &str) -> serde_json::Value {
    let (status, body) = request(addr, "GET", &format!("/api/v1/jobs/{id}"), None, "");
    assert_eq!(status, 200, "{body}");
    json(&body)
}

// Issue 17: a server killed with SIGKILL mid-job finishes that job after a restart, reusing the
// stages it had committed, and its decision.json is `study run`'s for the same file.
#[test]
fn sigkill_mid_job_then_restart_finishes_it_with_the_decision_of_study_run() {
    let dir = tempfile::tempdir().unwrap();
    let jobs = dir.path().join("jobs");
    let text = quick_study();
    let id = {
        let served = serve(
            &jobs,
            &["--max-running", "1"],
            &[("ATOMPLAN_TEST_PAUSE_AFTER_STAGE", "planning/least-cost")],
        );
        let (status, body) = request(served.addr, "POST", "/api/v1/jobs", None, &text);
        assert_eq!(status, 202, "{body}");
        let id = json(&body)["id"].as_str().unwrap().to_owned();
        let started = Instant::now();
        loop {
            let info = job(served.addr, &id);
            if info["stage"] == "planning/least-cost" && info["progress"].as_f64().unwrap() > 0.2 {
                break;
            }
            assert_ne!(info["status"], "failed", "{info}");
            assert!(
                started.elapsed() < Duration::from_secs(900),
                "never reached the pause: {info}"
            );
            std::thread::sleep(Duration::from_millis(250));
        }
        assert_eq!(job(served.addr, &id)["status"], "running");
        id
        // `served` is dropped here: SIGKILL.
    };
    let served = serve(&jobs, &["--max-running", "1"], &[]);
    let (status, events) = request(
        served.addr,
        "GET",
        &format!("/api/v1/jobs/{id}/events"),
        None,
        "",
    );
    assert_eq!(status, 200);
    assert!(
        events.contains("\"event\":\"reused\""),
        "the committed stages are reused: {events}"
    );
    let info = job(served.addr, &id);
    assert_eq!(info["status"], "done", "{info}");
    let (status, decision) = request(
        served.addr,
        "GET",
        &format!("/api/v1/jobs/{id}/decision"),
        None,
        "",
    );
    assert_eq!(status, 200);

    let study = dir.path().join("study.toml");
    std::fs::write(&study, &text).unwrap();
    let out = dir.path().join("out");
    let run = atomplan()
        .args([
            "study",
            "run",
            study.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "-q",
        ])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let expected = std::fs::read_to_string(out.join("decision.json")).unwrap();
    assert!(
        decision == expected,
        "the job's decision.json differs from study run's"
    );
}
