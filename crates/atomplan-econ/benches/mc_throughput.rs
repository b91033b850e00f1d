//! Monte Carlo LCOE throughput: the E1 ATB case with four uncertain inputs (PERT overnight
//! cost, triangular construction finance factor, normal capacity factor, uniform return on
//! equity), timed end to end (sampling, LCOE, summary).
//!
//! `bench/econ_mc_numpy.py` runs this and an equivalent vectorised numpy script in the same
//! run and reports the ratio. Arguments: `--samples N` (default 2,000,000), `--threads N`
//! (default: all cores), `--repeats N` (default 5; the best is reported).
//! Prints one JSON line, with the CPU time per sample of all threads (from `/proc/self/stat`,
//! Linux only; 0 elsewhere) summed over the repeats, which the load of other processes
//! disturbs less than the wall time.

#![allow(clippy::print_stdout)]

use std::time::Instant;

use atomplan_econ::{
    monte_carlo_on_threads, Apply, AtbInputs, Case, Depreciation, Distribution, MonteCarloSettings,
    UncertainInput,
};

fn e1() -> AtbInputs {
    AtbInputs {
        overnight_cost_usd_per_kw: 5750.0,
        grid_connection_cost_usd_per_kw: 100.0,
        construction_finance_factor: 1.3019417042656412,
        fixed_om_usd_per_kw_yr: 175.0,
        variable_om_usd_per_mwh: 2.8,
        fuel_price_usd_per_mmbtu: 0.97,
        heat_rate_mmbtu_per_mwh: 10.497,
        capacity_factor: 0.93,
        cost_recovery_period_years: 30.0,
        debt_fraction: 0.693892638427338,
        interest_rate_nominal: 0.08,
        rate_of_return_on_equity_nominal: 0.105,
        tax_rate: 0.2574,
        inflation: 0.025,
        itc: 0.0,
        depreciation: Depreciation::Macrs(5),
    }
}

fn input(name: &str, distribution: Distribution) -> UncertainInput {
    UncertainInput {
        name: name.to_owned(),
        distribution,
        apply: Apply::Set,
    }
}

fn arg(name: &str) -> Option<usize> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|candidate| candidate == name)
        .and_then(|idx| args.get(idx + 1))
        .and_then(|value| value.parse().ok())
}

/// CPU seconds (user + system) of this process, all threads; 0 where `/proc` is missing.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which is in parentheses): utime and stime are the 12th
    // and 13th, in clock ticks (100 per second on Linux).
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |idx: usize| {
        fields
            .get(idx)
            .and_then(|value| value.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let samples = arg("--samples").unwrap_or(2_000_000);
    let threads = arg("--threads");
    let repeats = arg("--repeats").unwrap_or(5).max(1);
    let case = Case::Atb(e1());
    let inputs = vec![
        input(
            "overnight_cost_usd_per_kw",
            Distribution::Pert {
                min: 5000.0,
                mode: 5750.0,
                max: 9000.0,
                lambda: 4.0,
            },
        ),
        input(
            "construction_finance_factor",
            Distribution::Triangular {
                min: 1.2,
                mode: 1.3019417042656412,
                max: 1.6,
            },
        ),
        input(
            "capacity_factor",
            Distribution::Normal {
                mean: 0.93,
                sd: 0.02,
            },
        ),
        input(
            "rate_of_return_on_equity_nominal",
            Distribution::Uniform {
                min: 0.08,
                max: 0.13,
            },
        ),
    ];
    let settings = MonteCarloSettings {
        samples,
        seed: 1,
        histogram_bins: 20,
    };
    let mut best = f64::INFINITY;
    let mut result = None;
    let cpu_started = cpu_seconds();
    for _ in 0..repeats {
        let started = Instant::now();
        let run =
            monte_carlo_on_threads(&case, &inputs, settings, threads).expect("the E1 case runs");
        best = best.min(started.elapsed().as_secs_f64());
        result = Some(run);
    }
    #[allow(clippy::cast_precision_loss)]
    let cpu_ns_per_sample = (cpu_seconds() - cpu_started) * 1e9 / (samples * repeats) as f64;
    let result = result.expect("at least one repeat");
    #[allow(clippy::cast_precision_loss)]
    let per_second = samples as f64 / best;
    println!(
        "{{\"engine\":\"atomplan-econ\",\"samples\":{samples},\"threads\":{},\"seconds\":{best:.6},\"samples_per_second\":{per_second:.1},\"mean\":{:.6},\"p10\":{:.6},\"p90\":{:.6},\"failed\":{},\"cpu_ns_per_sample\":{cpu_ns_per_sample:.1}}}",
        threads.map_or_else(|| rayon::current_num_threads().to_string(), |count| count.to_string()),
        result.mean,
        result.percentiles[2].1,
        result.percentiles[6].1,
        result.failed,
    );
}
