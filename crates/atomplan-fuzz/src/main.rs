//! `atomplan-fuzz TARGET EXECUTIONS [SEED]`: fuzzes one target (or `all`) and prints one line
//! per target; exits 1 when any input made a parser panic (the inputs are written to
//! `fuzz-failures/`).

use std::process::ExitCode;

#[allow(clippy::print_stdout, clippy::print_stderr)]
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(target), Some(executions)) = (args.first(), args.get(1)) else {
        eprintln!(
            "usage: atomplan-fuzz TARGET|all EXECUTIONS [SEED]; targets: {}",
            atomplan_fuzz::targets::TARGETS.join(", ")
        );
        return ExitCode::from(2);
    };
    let Ok(executions) = executions.parse::<u64>() else {
        eprintln!("EXECUTIONS must be a whole number");
        return ExitCode::from(2);
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let targets: Vec<&str> = if target == "all" {
        atomplan_fuzz::targets::TARGETS.to_vec()
    } else if atomplan_fuzz::targets::TARGETS.contains(&target.as_str()) {
        vec![target.as_str()]
    } else {
        eprintln!(
            "unknown target `{target}`; targets: {}",
            atomplan_fuzz::targets::TARGETS.join(", ")
        );
        return ExitCode::from(2);
    };
    let mut failed = false;
    for target in targets {
        let corpus = atomplan_fuzz::targets::corpus(target);
        let outcome = atomplan_fuzz::fuzz(target, &corpus, executions, seed, &|seed, input| {
            atomplan_fuzz::targets::run(target, seed, input);
        });
        println!(
            "{target}: {} executions from {} seed files in {:.1} s ({:.0}/s), {} panics",
            outcome.executions,
            corpus.len(),
            outcome.seconds,
            outcome.executions as f64 / outcome.seconds.max(1e-9),
            outcome.panics.len()
        );
        for (execution, name, input, message) in &outcome.panics {
            failed = true;
            let dir = std::path::Path::new("fuzz-failures");
            let _ = std::fs::create_dir_all(dir);
            let path = dir.join(format!("{target}-{execution}"));
            let _ = std::fs::write(&path, input);
            println!(
                "  panic at execution {execution} (from {name}): {message}; input in {}",
                path.display()
            );
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
