//! The planning model of a study's scenarios on the planning builder (`planning::builder_plan`) and on
//! the core's snapshot axis (`planning::plan_on_core`), in the same run: wall time of each
//! solve, the ratio of medians, and the objectives' relative difference.
//!
//! `cargo bench -p atomplan --bench planning_builders -- [STUDY.toml] [REPEATS]`
//! (default `studies/uzbekistan-jizzakh.toml`, 3 repeats). Each scenario is planned at the
//! study's own reserve margin (the first solve of the reliability loop).
//!
//! `cargo bench -p atomplan --bench planning_builders -- FOLDER PLAN.toml [REPEATS]` times a
//! PyPSA folder's plan instead (e.g. `bench/kz-3zone/network bench/kz-3zone/plan-milp.toml`),
//! its planning system as `planning::solve_folder` makes it.

#![allow(clippy::print_stdout)]

use std::path::{Path, PathBuf};
use std::time::Instant;

use atomplan::study::{from_catalogue, pipeline, scenario, validate};
use atomplan_model::planning;

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    // `cargo bench` runs in the crate's folder: a relative path is the repository's.
    let path = root.join(
        args.first()
            .map_or("studies/uzbekistan-jizzakh.toml", String::as_str),
    );
    if path.is_dir() {
        let plan = root.join(args.get(1).expect("a planning file after the folder"));
        let repeats: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(3);
        let network = atomplan_model::pypsa::read_folder(&path)
            .expect("a PyPSA folder")
            .network;
        let system = planning::system_from_network(&network);
        let text = std::fs::read_to_string(&plan).expect("the planning file");
        let (file, diagnostics) = planning::load(&text, &plan.display().to_string());
        let file = file.unwrap_or_else(|| panic!("{diagnostics:?}"));
        println!(
            "folder {} with {} ({repeats} repeats)\n{HEADER}",
            path.display(),
            plan.display()
        );
        compare("plan", &system, &file, repeats);
        return;
    }
    let repeats: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(3);
    let text = std::fs::read_to_string(&path).expect("the study file");
    let study = validate::parse(&path.display().to_string(), &text).expect("a valid study");
    let catalogue = atomplan_catalogue::Catalogue::builtin().expect("the built-in catalogue");
    let catalogue = from_catalogue::study_catalogue(&catalogue);
    let economics = pipeline::economics(&study, &catalogue).expect("the economics stage");
    let dir = path.parent().unwrap_or(Path::new("."));
    println!("study {} ({repeats} repeats)\n{HEADER}", path.display());
    for (index, scenario) in scenario::resolve(&study).iter().enumerate() {
        let system = pipeline::scenario_system(&study, &catalogue, &economics, index, dir)
            .expect("the scenario's system");
        let margins = vec![system.reserve_margin; system.periods.len()];
        let (sys, plan) = pipeline::planning_problem(&study, &system, &margins);
        compare(&scenario.name, &sys, &plan, repeats);
    }
}

const HEADER: &str = "scenario | builder s (median) | core s (median) | ratio | objectives rel diff | columns builder / core | rows | build s | HiGHS s";

/// Plans `system` on both builders `repeats` times and prints one row.
fn compare(name: &str, sys: &planning::System, plan: &planning::PlanningFile, repeats: usize) {
    let mut times = [Vec::new(), Vec::new()];
    let mut last = [None, None];
    for _ in 0..repeats {
        for (k, times) in times.iter_mut().enumerate() {
            let started = Instant::now();
            let result = if k == 0 {
                planning::builder_plan(sys, plan)
            } else {
                planning::plan_on_core(sys, plan)
            }
            .expect("a plan");
            times.push(started.elapsed().as_secs_f64());
            last[k] = Some(result);
        }
    }
    let [builder, core] = last.map(|r| r.expect("at least one repeat"));
    let [mut tb, mut tc] = times;
    let (tb, tc) = (median(&mut tb), median(&mut tc));
    println!(
        "{name} | {tb:.2} | {tc:.2} | {:.2} | {:.1e} | {} / {} | {} / {} | {:.2} / {:.2} | {:.2} / {:.2}",
        tc / tb,
        (core.objective - builder.objective).abs() / builder.objective.abs(),
        builder.variables,
        core.variables,
        builder.constraints,
        core.constraints,
        builder.build_s,
        core.build_s,
        builder.highs_s,
        core.highs_s,
    );
}
