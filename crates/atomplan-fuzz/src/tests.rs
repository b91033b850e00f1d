//! A short fuzz pass of every target, run with the normal tests (the million-execution runs
//! are recorded in docs/benchmarks.md).

use crate::targets::{corpus, run, TARGETS};

/// Executions per target in the normal test run.
const SHORT_PASS: u64 = 400;

#[test]
fn every_target_has_a_corpus_from_the_repository() {
    for target in TARGETS {
        assert!(!corpus(target).is_empty(), "{target} has no seed files");
    }
}

#[test]
fn short_fuzz_pass_finds_no_panic() {
    for target in TARGETS {
        let seeds = corpus(target);
        let outcome = crate::fuzz(target, &seeds, SHORT_PASS, 7, &|seed, input| {
            run(target, seed, input);
        });
        assert_eq!(outcome.executions, SHORT_PASS);
        assert!(
            outcome.panics.is_empty(),
            "{target}: {:?}",
            outcome
                .panics
                .iter()
                .map(|(n, name, input, message)| (n, name, String::from_utf8_lossy(input), message))
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn mutation_is_reproducible_and_changes_the_input() {
    let mut a = b"seed = 42\nrate = 0.06\n".to_vec();
    let mut b = a.clone();
    crate::mutate(&mut crate::Rng::new(9), &mut a, b"other", 1024);
    crate::mutate(&mut crate::Rng::new(9), &mut b, b"other", 1024);
    assert_eq!(a, b);
    let changed = (0..50).any(|s| {
        let mut c = b"seed = 42\nrate = 0.06\n".to_vec();
        crate::mutate(&mut crate::Rng::new(s), &mut c, b"other", 1024);
        c != b"seed = 42\nrate = 0.06\n"
    });
    assert!(changed);
}

/// The long run recorded in docs/benchmarks.md: `ATOMPLAN_FUZZ_EXECUTIONS` per target (default
/// 1,000,000) over `ATOMPLAN_FUZZ_TARGETS` (comma-separated, default all).
#[test]
#[ignore = "long run; see docs/benchmarks.md, Fuzzing"]
fn long_fuzz_run() {
    let executions = std::env::var("ATOMPLAN_FUZZ_EXECUTIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let wanted = std::env::var("ATOMPLAN_FUZZ_TARGETS").unwrap_or_default();
    for target in TARGETS
        .iter()
        .filter(|t| wanted.is_empty() || wanted.split(',').any(|w| w == **t))
    {
        let seeds = corpus(target);
        let outcome = crate::fuzz(target, &seeds, executions, 1, &|seed, input| {
            run(target, seed, input);
        });
        #[allow(clippy::print_stderr)]
        {
            eprintln!(
                "{target}: {} executions from {} seed files in {:.1} s, {} panics",
                outcome.executions,
                seeds.len(),
                outcome.seconds,
                outcome.panics.len()
            );
        }
        assert!(
            outcome.panics.is_empty(),
            "{target}: {:?}",
            outcome
                .panics
                .iter()
                .map(|(n, name, input, message)| (n, name, String::from_utf8_lossy(input), message))
                .collect::<Vec<_>>()
        );
    }
}
