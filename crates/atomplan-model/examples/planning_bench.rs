//! Runs the planning model on a PyPSA folder with a planning file and prints one JSON line;
//! used for the Kazakhstan-sized benchmark in bench/kz-3zone/ (see docs/benchmarks.md).
//!
//! Usage: `cargo run --release -p atomplan-model --example planning_bench -- FOLDER PLAN.toml [--lp FILE]`

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::Path;
use std::process::ExitCode;

use atomplan_model::planning;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: planning_bench FOLDER PLAN.toml [--lp FILE]");
        return ExitCode::from(2);
    }
    let folder = Path::new(&args[1]);
    let Ok(text) = std::fs::read_to_string(&args[2]) else {
        eprintln!("error: cannot read {}", args[2]);
        return ExitCode::from(2);
    };
    if let Some(i) = args.iter().position(|a| a == "--lp") {
        let Some(path) = args.get(i + 1) else {
            eprintln!("error: `--lp` needs a file");
            return ExitCode::from(2);
        };
        let (plan, diags) = planning::load(&text, &args[2]);
        let Some(plan) = plan.filter(|_| diags.iter().all(|d| !d.is_error())) else {
            for d in diags {
                eprintln!("{d}");
            }
            return ExitCode::from(2);
        };
        let network = match atomplan_model::pypsa::read_folder(folder) {
            Ok(i) => i.network,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        };
        let system = planning::system_from_network(&network);
        match planning::build_lp(&system, &plan) {
            Ok((lp, _, _)) => {
                let written = std::fs::File::create(path).and_then(|file| lp.write_lp(file));
                if let Err(e) = written {
                    eprintln!("error: {path}: {e}");
                    return ExitCode::from(2);
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    }
    match planning::solve_folder(folder, &text, &args[2]) {
        planning::FolderOutcome::Solved {
            result, warnings, ..
        } => {
            for w in warnings {
                eprintln!("{w}");
            }
            let mut summary = (*result).clone();
            summary
                .capacities
                .retain(|c| c.built > 0.0 || c.p_nom_opt_mw > 0.0);
            match serde_json::to_string(&summary) {
                Ok(s) => println!("{s}"),
                Err(e) => eprintln!("error: {e}"),
            }
            ExitCode::SUCCESS
        }
        planning::FolderOutcome::Invalid(d) => {
            for d in d {
                eprintln!("{d}");
            }
            ExitCode::from(2)
        }
    }
}
