//! Progress during long solves: while a closure runs, a second thread says every
//! `HEARTBEAT_S` seconds how long it has run and the last line HiGHS wrote, on stderr (silent
//! with `-q`), and the machine's available memory for the memory check of `solve`.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::printer::Printer;

/// Seconds between two progress lines, unless `ATOMPLAN_PROGRESS_EVERY_S` says otherwise.
const HEARTBEAT_S: f64 = 30.0;

fn interval() -> Duration {
    let seconds = std::env::var("ATOMPLAN_PROGRESS_EVERY_S")
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.1 && *s <= 86_400.0)
        .unwrap_or(HEARTBEAT_S);
    Duration::from_secs_f64(seconds)
}

/// Runs `work`; while it runs, prints `{label}: N s so far; HiGHS: <last log line>` every
/// `HEARTBEAT_S` seconds (`ATOMPLAN_PROGRESS_EVERY_S`, 0.1 to 86,400).
pub fn with_heartbeat<T>(printer: &Printer, label: &str, work: impl FnOnce() -> T) -> T {
    let every = interval();
    let (stop, stopped) = mpsc::channel::<()>();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let started = Instant::now();
            while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(every) {
                let said = atomplan_model::highs_backend::latest_line()
                    .map_or_else(String::new, |line| format!("; HiGHS: {line}"));
                printer.info(&format!(
                    "{label}: {:.0} s so far{said}",
                    started.elapsed().as_secs_f64()
                ));
            }
        });
        let value = work();
        drop(stop);
        value
    })
}

/// `MemAvailable` of /proc/meminfo in bytes (`None` where there is no such file).
pub fn available_memory_bytes() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}
