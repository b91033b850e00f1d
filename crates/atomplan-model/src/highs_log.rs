//! What HiGHS said: its log is written to a private temporary file during a solve, so that a
//! failure can be reported in HiGHS's own words (out of memory, numerical trouble, a rejected
//! model) instead of a bare `Error`.
//!
//! The file lives only as long as the [`LogCapture`]; nothing is printed. When the user asked
//! for HiGHS's log on the console, nothing is captured.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

static NEXT: AtomicU64 = AtomicU64::new(0);

/// Log files of the solves running now in this process, oldest first (for [`latest_line`]).
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The last line HiGHS wrote in the newest solve still running in this process, trimmed and
/// with runs of spaces collapsed; `None` when no solve is running or it has written nothing.
/// A caller that shows progress (the CLI) polls this while a long solve runs.
#[must_use]
pub fn latest_line() -> Option<String> {
    let path = LIVE.lock().ok()?.last().cloned()?;
    let text = tail(&path)?;
    let line = text.lines().rev().map(str::trim).find(|l| !l.is_empty())?;
    Some(line.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The most bytes of the log read back (its end is what matters).
const TAIL_BYTES: u64 = 64 * 1024;

/// A HiGHS log file for one solve, removed when dropped.
pub struct LogCapture {
    path: PathBuf,
}

impl LogCapture {
    /// Points `model`'s log at a new temporary file; `None` when HiGHS refuses the options
    /// (the solve then runs quiet, as before).
    pub fn attach(model: &mut highs::Model) -> Option<LogCapture> {
        let path = std::env::temp_dir().join(format!(
            "atomplan-highs-{}-{}.log",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let text = path.to_str()?.to_owned();
        let ok = model.try_set_option("output_flag", true).is_ok()
            && model.try_set_option("log_to_console", false).is_ok()
            && model.try_set_option("log_file", text.as_str()).is_ok();
        let capture = LogCapture { path };
        if ok {
            if let Ok(mut live) = LIVE.lock() {
                live.push(capture.path.clone());
            }
            Some(capture)
        } else {
            let _ = model.try_set_option("output_flag", false);
            None
        }
    }

    /// HiGHS's own words about a failure, e.g. `out of memory (HiGHS: Exception std::bad_alloc
    /// in …)`; `None` when its log says nothing of use.
    pub fn explanation(&self) -> Option<String> {
        explain(&tail(&self.path)?)
    }
}

impl Drop for LogCapture {
    fn drop(&mut self) {
        if let Ok(mut live) = LIVE.lock() {
            live.retain(|p| *p != self.path);
        }
        let _ = std::fs::remove_file(&self.path);
    }
}

fn tail(path: &std::path::Path) -> Option<String> {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = std::fs::File::open(path).ok()?;
    let length = file.metadata().ok()?.len();
    file.seek(SeekFrom::Start(length.saturating_sub(TAIL_BYTES)))
        .ok()?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// Classifies a HiGHS log: the kind of failure, then HiGHS's error and warning lines.
pub fn explain(log: &str) -> Option<String> {
    let lower = log.to_ascii_lowercase();
    let kind = if lower.contains("bad_alloc")
        || lower.contains("out of memory")
        || lower.contains("memory allocation")
    {
        Some("out of memory")
    } else if lower.contains("numerical") || lower.contains("unstable") {
        Some("numerical trouble")
    } else if lower.contains("time limit reached") || lower.contains("reached time limit") {
        Some("time limit")
    } else if lower.contains("infinite cost") || lower.contains("infinite costs") {
        Some("costs too large (HiGHS treats |cost| >= 1e20 as infinite)")
    } else {
        None
    };
    let mut said: Vec<&str> = log
        .lines()
        .map(str::trim)
        .filter(|line| line.starts_with("ERROR") || line.starts_with("WARNING"))
        .collect();
    said.dedup();
    let said: Vec<String> = said
        .iter()
        .rev()
        .take(3)
        .rev()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    match (kind, said.is_empty()) {
        (None, true) => None,
        (Some(kind), true) => Some(kind.to_owned()),
        (None, false) => Some(format!("HiGHS said: {}", said.join(" | "))),
        (Some(kind), false) => Some(format!("{kind} (HiGHS said: {})", said.join(" | "))),
    }
}

#[cfg(test)]
mod tests {
    use super::explain;

    #[test]
    fn names_the_failure_in_highs_words() {
        let oom = "Running HiGHS\nERROR:   Exception std::bad_alloc in Highs::run\n";
        let text = explain(oom).unwrap();
        assert!(text.starts_with("out of memory"), "{text}");
        assert!(text.contains("std::bad_alloc"), "{text}");
        let numeric = "WARNING: Numerical trouble: primal infeasibilities after unscaling\n";
        assert!(explain(numeric).unwrap().starts_with("numerical trouble"));
        assert_eq!(explain("Running HiGHS 1.11\nModel status: Optimal\n"), None);
    }
}
