//! A bounded load test on localhost: 200 catalogue requests from 20 concurrent clients, with no
//! error; the latency percentiles are written to `$CARGO_TARGET_TMPDIR/server-load.txt`
//! (figures in docs/benchmarks.md).

use std::time::{Duration, Instant};

use crate::common::server;

#[test]
fn two_hundred_requests_from_twenty_clients() {
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
    let pct = |p: f64| ms[((p / 100.0) * (ms.len() - 1) as f64).round() as usize];
    let summary = format!(
        "200 requests, 20 clients, {:.2} s wall: p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms\n",
        wall.as_secs_f64(),
        pct(50.0),
        pct(90.0),
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

use std::path::Path;
