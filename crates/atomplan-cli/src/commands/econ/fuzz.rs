//! The fuzz target of econ case files (parsed here, in the CLI): the engine of
//! `atomplan-fuzz` over the case files of the CLI's test fixtures. A short pass runs with the
//! tests; `ATOMPLAN_FUZZ_EXECUTIONS=1000000 cargo test --release -p atomplan-cli
//! econ_case_fuzz -- --ignored` is the long run recorded in docs/benchmarks.md.

use std::path::Path;

fn corpus() -> Vec<atomplan_fuzz::Seed> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/econ");
    let mut seeds = Vec::new();
    for dir in [root.clone(), root.join("bad")] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        {
            if let Ok(bytes) = std::fs::read(&path) {
                seeds.push(atomplan_fuzz::Seed {
                    name: path.display().to_string(),
                    bytes,
                });
            }
        }
    }
    seeds
}

fn fuzz(executions: u64) {
    let seeds = corpus();
    assert!(!seeds.is_empty(), "no econ case files to seed from");
    let outcome = atomplan_fuzz::fuzz("econ", &seeds, executions, 11, &|seed, input| {
        if let Ok(text) = std::str::from_utf8(input) {
            if let Ok(loaded) = super::parse_case(Path::new(&seed.name), text) {
                let _ = loaded.case.lcoe();
            }
        }
    });
    assert!(
        outcome.panics.is_empty(),
        "econ case parser panicked: {:?}",
        outcome
            .panics
            .iter()
            .map(|(n, _, input, message)| (n, String::from_utf8_lossy(input), message))
            .collect::<Vec<_>>()
    );
    #[allow(clippy::print_stderr)]
    if executions > 10_000 {
        eprintln!(
            "econ: {} executions from {} seed files in {:.1} s, 0 panics",
            outcome.executions,
            seeds.len(),
            outcome.seconds
        );
    }
}

#[test]
fn econ_case_short_fuzz_pass() {
    fuzz(400);
}

#[test]
#[ignore = "long run: ATOMPLAN_FUZZ_EXECUTIONS (default 1,000,000)"]
fn econ_case_fuzz() {
    let executions = std::env::var("ATOMPLAN_FUZZ_EXECUTIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    fuzz(executions);
}
