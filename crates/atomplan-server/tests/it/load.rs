//! A bounded load test on localhost: 200 catalogue requests from 20 concurrent clients, with no
//! error, and 10 studies queued at once against a queue of 3 and 2 workers, with no answer but
//! 202 and the expected 429 and the bounds kept throughout. The latency percentiles are written
//! to `$CARGO_TARGET_TMPDIR/server-load.txt` and `server-load-jobs.txt` (figures in
//! docs/benchmarks.md).

use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::common::{server, server_with, tiny_study};

/// The value at percentile `p` of sorted `values` (nearest rank).
fn percentile(values: &[f64], p: f64) -> f64 {
    values[((p / 100.0) * (values.len() - 1) as f64).round() as usize]
}

#[test]
fn two_hundred_requests_from_twenty_clients() {
    let _one_at_a_time = crate::common::one_study_test_at_a_time();
    let server = server();
    let paths = [
        "/api/v1/designs",
        "/api/v1/designs/vver-1200",
        "/api/v1/countries/MN",
        "/api/v1/projects",
        "/catalogue",
    ];
    let started = Instant::now();
    let latencies: Vec<Duration> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..20)
            .map(|client_idx| {
                let server = &server;
                scope.spawn(move || {
                    (0..10)
                        .map(|request_idx| {
                            let path = paths[(client_idx + request_idx) % paths.len()];
                            let t = Instant::now();
                            let reply = server.get(path);
                            assert_eq!(reply.status, 200, "{path}");
                            assert!(!reply.body.is_empty());
                            t.elapsed()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let wall = started.elapsed();
    assert_eq!(latencies.len(), 200);
    let mut ms: Vec<f64> = latencies.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
    ms.sort_by(f64::total_cmp);
    let pct = |p: f64| percentile(&ms, p);
    let summary = format!(
        "200 requests, 20 clients, {:.2} s wall: p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms\n",
        wall.as_secs_f64(),
        pct(50.0),
        pct(95.0),
        pct(99.0),
        ms[ms.len() - 1]
    );
    std::fs::write(
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("server-load.txt"),
        summary,
    )
    .unwrap();
    // A generous bound that still catches a server that serialises or stalls requests.
    assert!(pct(99.0) < 10_000.0, "p99 {:.0} ms", pct(99.0));
}

/// The most jobs seen running and queued at once, and every status seen.
#[derive(Default)]
struct Seen {
    running: usize,
    queued: usize,
    statuses: HashSet<String>,
    polls: usize,
}

#[test]
fn ten_studies_queued_at_once_keep_the_queue_and_worker_bounds() {
    let _one_at_a_time = crate::common::one_study_test_at_a_time();
    const STUDIES: usize = 10;
    const MAX_RUNNING: usize = 2;
    const MAX_QUEUED: usize = 3;
    let server = server_with(|c| {
        c.max_running = MAX_RUNNING;
        c.max_queued = MAX_QUEUED;
    });
    let text = tiny_study();
    let seen = Mutex::new(Seen::default());
    let stop = AtomicBool::new(false);
    let started = Instant::now();
    // Each client posts its study until it is accepted: 202, or 429 while the queue is full.
    let (ids, submit_ms, refused) = std::thread::scope(|scope| {
        let monitor = scope.spawn(|| {
            while !stop.load(Ordering::SeqCst) {
                let reply = server.get("/api/v1/jobs");
                assert_eq!(reply.status, 200, "{}", reply.text());
                let list = reply.json();
                let jobs = list.as_array().unwrap();
                let count = |status: &str| jobs.iter().filter(|j| j["status"] == status).count();
                let mut seen = seen.lock().unwrap();
                seen.running = seen.running.max(count("running"));
                seen.queued = seen.queued.max(count("queued"));
                seen.statuses.extend(
                    jobs.iter()
                        .map(|j| j["status"].as_str().unwrap_or("?").to_owned()),
                );
                seen.polls += 1;
                drop(seen);
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        let clients: Vec<_> = (0..STUDIES)
            .map(|_| {
                let (server, text) = (&server, &text);
                scope.spawn(move || {
                    let mut latencies = Vec::new();
                    let mut refused = 0;
                    let limit = Instant::now() + Duration::from_secs(1800);
                    loop {
                        let t = Instant::now();
                        let reply = server.post("/api/v1/jobs", text);
                        latencies.push(t.elapsed().as_secs_f64() * 1000.0);
                        match reply.status {
                            202 => {
                                let id = reply.json()["id"].as_str().unwrap().to_owned();
                                return (id, latencies, refused);
                            }
                            429 => {
                                assert_eq!(reply.error_code(), "too_many_jobs");
                                refused += 1;
                            }
                            other => panic!("unexpected {other}: {}", reply.text()),
                        }
                        assert!(Instant::now() < limit, "never accepted");
                        std::thread::sleep(Duration::from_millis(250));
                    }
                })
            })
            .collect();
        let mut ids = Vec::new();
        let mut submit_ms = Vec::new();
        let mut refused = 0;
        for client in clients {
            let (id, latencies, client_refused) = client.join().unwrap();
            ids.push(id);
            submit_ms.extend(latencies);
            refused += client_refused;
        }
        for id in &ids {
            let job = crate::common::wait_for_job(&server, id, Duration::from_secs(1800));
            assert_eq!(job["status"], "done", "{job}");
        }
        stop.store(true, Ordering::SeqCst);
        monitor.join().unwrap();
        (ids, submit_ms, refused)
    });
    let wall = started.elapsed();
    let seen = seen.into_inner().unwrap();
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), STUDIES);
    // Ten studies at once cannot all fit in 2 running + 3 waiting.
    assert!(
        refused > 0,
        "no 429 although {STUDIES} studies were posted at once"
    );
    assert!(
        seen.polls > 10,
        "the monitor polled only {} times",
        seen.polls
    );
    assert!(
        seen.running <= MAX_RUNNING && seen.running > 0,
        "{} running at once",
        seen.running
    );
    assert!(seen.queued <= MAX_QUEUED, "{} queued at once", seen.queued);
    let expected: HashSet<String> = ["queued", "running", "done"].map(String::from).into();
    assert!(
        seen.statuses.is_subset(&expected),
        "statuses {:?}",
        seen.statuses
    );
    for id in &ids {
        let decision = server.get(&format!("/api/v1/jobs/{id}/decision"));
        assert_eq!(decision.status, 200);
    }
    let mut ms = submit_ms;
    ms.sort_by(f64::total_cmp);
    let summary = format!(
        "{STUDIES} studies, {MAX_RUNNING} workers, queue {MAX_QUEUED}: all done in {:.1} s wall; \
         {} posts ({refused} answered 429): p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms; \
         at most {} running and {} queued seen in {} polls\n",
        wall.as_secs_f64(),
        ms.len(),
        percentile(&ms, 50.0),
        percentile(&ms, 95.0),
        percentile(&ms, 99.0),
        ms[ms.len() - 1],
        seen.running,
        seen.queued,
        seen.polls,
    );
    std::fs::write(
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("server-load-jobs.txt"),
        summary,
    )
    .unwrap();
}
