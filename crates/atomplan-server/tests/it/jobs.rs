//! Study jobs end to end: queued, run with progress events, report and decision, the queue
//! bound, and jobs left `running` by a killed server resumed on start.

use std::time::Duration;

use crate::common::{quick_study, server_in, server_with, tiny_study, wait_for_job};

/// How long a quick study may take on a loaded two-core machine in the dev profile.
const JOB_LIMIT: Duration = Duration::from_secs(900);

#[test]
fn a_job_runs_to_done_with_events_report_and_the_decision_of_study_run() {
    let _one_at_a_time = crate::common::one_study_test_at_a_time();
    let server = server_with(|c| c.max_running = 1);
    let text = quick_study();
    let reply = server.post("/api/v1/jobs", &text);
    assert_eq!(reply.status, 202, "{}", reply.text());
    let id = reply.json()["id"].as_str().unwrap().to_owned();
    assert!(atomplan_server::jobs::is_job_id(&id), "{id}");
    assert_eq!(
        reply.header("location"),
        Some(format!("/api/v1/jobs/{id}").as_str())
    );

    let job = server.get(&format!("/api/v1/jobs/{id}")).json();
    assert!(
        ["queued", "running"].contains(&job["status"].as_str().unwrap()),
        "{job}"
    );
    let early = server.get(&format!("/api/v1/jobs/{id}/decision"));
    if early.status != 200 {
        assert_eq!(early.status, 409);
        assert_eq!(early.error_code(), "not_ready");
    }

    // The event stream ends when the job ends; read it whole.
    let events = server.get(&format!("/api/v1/jobs/{id}/events"));
    assert_eq!(events.status, 200);
    assert!(events
        .header("content-type")
        .unwrap()
        .starts_with("text/event-stream"));
    let stream = events.text();
    assert!(stream.starts_with("event: status\n"), "{stream}");
    assert!(stream.contains("event: progress\ndata: {"), "{stream}");
    for stage in ["economics", "planning/least-cost", "decision"] {
        assert!(
            stream.contains(&format!("\"stage\":\"{stage}\"")),
            "no {stage} in {stream}"
        );
    }
    let end = stream.rsplit("event: end\ndata: ").next().unwrap();
    let end: serde_json::Value = serde_json::from_str(end.lines().next().unwrap()).unwrap();
    assert_eq!(end["status"], "done", "{end}");

    let job = wait_for_job(&server, &id, JOB_LIMIT);
    assert_eq!(job["status"], "done", "{job}");
    assert_eq!(job["progress"], 1.0);

    let report = server.get(&format!("/api/v1/jobs/{id}/report"));
    assert_eq!(report.status, 200);
    assert!(report.text().contains("<html"));
    assert!(report
        .header("content-security-policy")
        .unwrap()
        .contains("sandbox"));

    // `study run` on the same file: the same runner with the same text gives the same decision.
    let decision = server.get(&format!("/api/v1/jobs/{id}/decision"));
    assert_eq!(decision.status, 200);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("study.toml");
    std::fs::write(&path, &text).unwrap();
    let catalogue = atomplan_catalogue::Catalogue::builtin().unwrap();
    let view = atomplan::study::from_catalogue::study_catalogue(&catalogue);
    let study = atomplan::study::validate::parse("study.toml", &text).unwrap();
    atomplan_report::run_study(
        &path,
        &text,
        &study,
        &view,
        &dir.path().join("out"),
        &atomplan_report::RunOptions::default(),
        &|_| {},
    )
    .unwrap();
    let expected = std::fs::read(dir.path().join("out/decision.json")).unwrap();
    assert!(
        decision.body == expected,
        "the job's decision.json differs from study run's"
    );

    let list = server.get("/api/v1/jobs").json();
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|j| j["id"] == id.as_str()));
    let page = server.get("/jobs").text();
    assert!(page.contains(&format!("/jobs/{id}")));
    assert_eq!(server.get(&format!("/jobs/{id}")).status, 200);
}

#[test]
fn the_queue_bound_is_kept_with_429() {
    let _one_at_a_time = crate::common::one_study_test_at_a_time();
    let server = server_with(|c| {
        c.max_running = 1;
        c.max_queued = 2;
    });
    // The bound is on jobs waiting to run: the one the worker took no longer counts.
    let text = tiny_study();
    let mut accepted = Vec::new();
    let mut refused = 0;
    for _ in 0..6 {
        let reply = server.post("/api/v1/jobs", &text);
        match reply.status {
            202 => accepted.push(reply.json()["id"].as_str().unwrap().to_owned()),
            429 => {
                assert_eq!(reply.error_code(), "too_many_jobs");
                refused += 1;
            }
            other => panic!("unexpected {other}: {}", reply.text()),
        }
    }
    // One may have left the queue for the worker; never more than two wait.
    assert!((2..=3).contains(&accepted.len()), "{accepted:?}");
    assert_eq!(accepted.len() + refused, 6);
    let list = server.get("/api/v1/jobs").json();
    let count = |status: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .filter(|j| j["status"] == status)
            .count()
    };
    assert!(count("queued") <= 2 && count("running") <= 1, "{list}");
    // The accepted studies run to the end here, not behind the next test.
    for id in &accepted {
        let job = wait_for_job(&server, id, JOB_LIMIT);
        assert_eq!(job["status"], "done", "{job}");
    }
}

#[test]
fn jobs_left_running_by_a_killed_server_are_resumed_on_start() {
    let _one_at_a_time = crate::common::one_study_test_at_a_time();
    // A killed server leaves its row `running`; the next start queues it again first.
    let dir = tempfile::tempdir().unwrap();
    let jobs_dir = dir.path().join("jobs");
    let id = "0123456789abcdef0123456789abcdef";
    std::fs::create_dir_all(jobs_dir.join(id)).unwrap();
    std::fs::write(jobs_dir.join(id).join("study.toml"), quick_study()).unwrap();
    {
        // Create the table as the server does, then mark the job as a killed run leaves it.
        let first = server_in(&jobs_dir, |c| c.max_running = 1);
        assert_eq!(first.get("/api/v1/jobs").json(), serde_json::json!([]));
    }
    let db = rusqlite_path(&jobs_dir);
    let connection = rusqlite::Connection::open(db).unwrap();
    connection
        .execute(
            "INSERT INTO jobs (id, title, country, status, progress, created_unix_s, updated_unix_s)
             VALUES (?1, 'killed', 'MN', 'running', 0.3, 0, 0)",
            [id],
        )
        .unwrap();
    drop(connection);
    let second = server_in(&jobs_dir, |c| c.max_running = 1);
    let job = wait_for_job(&second, id, JOB_LIMIT);
    assert_eq!(job["status"], "done", "{job}");
    assert_eq!(
        second.get(&format!("/api/v1/jobs/{id}/decision")).status,
        200
    );
}

fn rusqlite_path(jobs_dir: &std::path::Path) -> std::path::PathBuf {
    jobs_dir.join("jobs.sqlite")
}

// Two different runs side by side: the numbers of `/api/v1/compare` are those of each job's
// decision.json, for the scenarios asked for.
#[test]
fn two_runs_are_compared_side_by_side() {
    let _one_at_a_time = crate::common::one_study_test_at_a_time();
    let server = server_with(|c| c.max_running = 2);
    let text = tiny_study();
    // Run B is run A with a higher discount rate, written by the editor's form endpoint.
    let edit = server.request(
        "POST",
        "/api/v1/studies/form/edit",
        &[("Content-Type", "application/json")],
        serde_json::json!({ "toml": text, "field": "options.discount_rate", "value": "0.09" })
            .to_string()
            .as_bytes(),
    );
    assert_eq!(edit.status, 200, "{}", edit.text());
    let text_b = edit.json()["toml"].as_str().unwrap().to_owned();
    assert_ne!(text_b, text);
    let submit = |text: &str| {
        let reply = server.post("/api/v1/jobs", text);
        assert_eq!(reply.status, 202, "{}", reply.text());
        reply.json()["id"].as_str().unwrap().to_owned()
    };
    let a = submit(&text);
    let b = submit(&text_b);
    let early = server.get(&format!("/api/v1/compare?a={a}&b={b}"));
    if early.status != 200 {
        assert_eq!(early.status, 409, "{}", early.text());
        assert_eq!(early.error_code(), "not_ready");
    }
    for id in [&a, &b] {
        let job = wait_for_job(&server, id, JOB_LIMIT);
        assert_eq!(job["status"], "done", "{job}");
    }
    let decision = |id: &str| server.get(&format!("/api/v1/jobs/{id}/decision")).json();
    let (decision_a, decision_b) = (decision(&a), decision(&b));
    let reply = server.get(&format!(
        "/api/v1/compare?a={a}&b={b}&scenario_a=least-cost&scenario_b=government-plan"
    ));
    assert_eq!(reply.status, 200, "{}", reply.text());
    let comparison = reply.json();
    assert_eq!(comparison["a"]["job"], a.as_str());
    assert_eq!(comparison["b"]["scenario"], "government-plan");
    assert_eq!(
        comparison["a"]["scenarios"],
        serde_json::json!(["least-cost", "government-plan"])
    );
    let scenario = |decision: &serde_json::Value, name: &str| {
        decision["scenarios"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .unwrap()
            .clone()
    };
    let row = |quantity: &str| {
        comparison["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["quantity"] == quantity)
            .unwrap_or_else(|| panic!("no row {quantity}"))
            .clone()
    };
    let cost = row("system_cost_usd");
    let cost_a = scenario(&decision_a, "least-cost")["system_cost_usd"]
        .as_f64()
        .unwrap();
    let cost_b = scenario(&decision_b, "government-plan")["system_cost_usd"]
        .as_f64()
        .unwrap();
    assert_eq!(cost["a"].as_f64(), Some(cost_a));
    assert_eq!(cost["b"].as_f64(), Some(cost_b));
    assert_eq!(cost["difference"].as_f64(), Some(cost_b - cost_a));
    // A higher discount rate gives a different system cost for the same plan question.
    assert_ne!(
        cost_a,
        scenario(&decision_b, "least-cost")["system_cost_usd"]
            .as_f64()
            .unwrap()
    );
    // Nested numbers have dotted paths.
    assert!(comparison["rows"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["quantity"].as_str().unwrap().starts_with("nuclear_mw.")));

    let reply = server.get(&format!("/api/v1/compare?a={a}&b={b}&scenario_b=no-such"));
    assert_eq!(reply.status, 404);
    assert_eq!(reply.error_code(), "not_found");
    assert_eq!(reply.json()["error"]["field"], "scenario_b");
    assert!(reply.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("least-cost"));
    let page = server.get(&format!("/compare?a={a}&b={b}"));
    assert_eq!(page.status, 200);
    assert!(page
        .text()
        .contains(&format!("<option value=\"{a}\" selected>")));
}
