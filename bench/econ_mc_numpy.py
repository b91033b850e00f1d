#!/usr/bin/env python3
"""Monte Carlo LCOE throughput: atomplan-econ against an equivalent vectorised numpy script.

Both sample the E1 case (NREL ATB 2024 nuclear Large, fixed-charge-rate LCOE) with the same
four uncertain inputs: PERT overnight cost (5000, 5750, 9000; lambda 4), triangular
construction finance factor (1.2, 1.3019, 1.6), normal capacity factor (0.93, 0.02) and uniform
return on equity (0.08, 0.13). Each engine draws, evaluates the LCOE, drops invalid samples
(capacity factor outside (0, 1]) and computes the mean, P1..P99 and a 20-bin histogram.
numpy runs in one process with its own vectorised kernels; the Rust side is the
`mc_throughput` bench binary with the machine's default thread count, built by
`cargo bench`. The best of several repeats is reported for both, in the same run, with the
CPU time per sample over all repeats (less disturbed by other processes than the wall time)
and the load average before the run.

Usage: python3 bench/econ_mc_numpy.py [--samples N] [--repeats R] [--threads T]
"""

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np


def lcoe_atb(occ, cff, cf, rroe):
    gcc = 100.0
    fom = 175.0
    vom = 2.8
    fuel = 0.97 * 10.497
    crp = 30.0
    df = 0.693892638427338
    ir = 0.08
    tr = 0.2574
    infl = 0.025
    itc = 0.0
    macrs5 = np.array([0.20, 0.32, 0.192, 0.1152, 0.1152, 0.0576])
    wacc_nom = df * ir * (1.0 - tr) + (1.0 - df) * rroe
    wacc_real = (1.0 + wacc_nom) / (1.0 + infl) - 1.0
    crf = wacc_real / (1.0 - (1.0 + wacc_real) ** -crp)
    discount = 1.0 / ((1.0 + wacc_real) * (1.0 + infl))
    pvd = np.zeros_like(rroe)
    factor = np.ones_like(rroe)
    for fraction in macrs5:
        factor = factor * discount
        pvd = pvd + fraction * factor
    pff = (1.0 - tr * pvd * (1.0 - itc / 2.0) - itc) / (1.0 - tr)
    fcr = crf * pff
    capex = cff * (occ + gcc)
    return (fcr * capex + fom) * 1000.0 / (cf * 8760.0) + vom + fuel


def numpy_mc(samples, seed):
    rng = np.random.default_rng(seed)
    lo, mode, hi, lam = 5000.0, 5750.0, 9000.0, 4.0
    alpha = 1.0 + lam * (mode - lo) / (hi - lo)
    beta = 1.0 + lam * (hi - mode) / (hi - lo)
    occ = lo + (hi - lo) * rng.beta(alpha, beta, samples)
    cff = rng.triangular(1.2, 1.3019417042656412, 1.6, samples)
    cf = rng.normal(0.93, 0.02, samples)
    rroe = rng.uniform(0.08, 0.13, samples)
    valid = (cf > 0.0) & (cf <= 1.0)
    values = lcoe_atb(occ[valid], cff[valid], cf[valid], rroe[valid])
    mean = values.mean()
    percentiles = np.percentile(values, [1, 5, 10, 25, 50, 75, 90, 95, 99])
    counts, edges = np.histogram(values, bins=20)
    return mean, percentiles, samples - values.size


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=2_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    best = float("inf")
    cpu_started = time.process_time()
    for _ in range(args.repeats):
        started = time.perf_counter()
        mean, percentiles, failed = numpy_mc(args.samples, 1)
        best = min(best, time.perf_counter() - started)
    numpy_cpu_ns = (time.process_time() - cpu_started) * 1e9 / (args.samples * args.repeats)
    numpy_rate = args.samples / best
    numpy_row = {
        "engine": "numpy " + np.__version__,
        "samples": args.samples,
        "seconds": round(best, 6),
        "samples_per_second": round(numpy_rate, 1),
        "mean": round(float(mean), 6),
        "p10": round(float(percentiles[2]), 6),
        "p90": round(float(percentiles[6]), 6),
        "failed": int(failed),
        "cpu_ns_per_sample": round(numpy_cpu_ns, 1),
    }

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    command = [
        "cargo", "bench", "-q", "-p", "atomplan-econ", "--bench", "mc_throughput", "--",
        "--samples", str(args.samples), "--repeats", str(args.repeats),
    ]
    if args.threads is not None:
        command += ["--threads", str(args.threads)]
    output = subprocess.run(command, cwd=root, check=True, capture_output=True, text=True).stdout
    rust_row = json.loads([line for line in output.splitlines() if line.startswith("{")][-1])

    ratio = rust_row["samples_per_second"] / numpy_rate
    print(json.dumps(numpy_row))
    print(json.dumps(rust_row))
    print(json.dumps({
        "ratio_rust_over_numpy": round(ratio, 2),
        "cpu_time_ratio_numpy_over_rust": round(numpy_cpu_ns / rust_row["cpu_ns_per_sample"], 2),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg()[0],
    }))
    # Same distributions, different generators: the summaries agree statistically, not bit for bit.
    if abs(rust_row["mean"] - numpy_row["mean"]) > 0.01 * numpy_row["mean"]:
        print("warning: means differ by more than 1 %", file=sys.stderr)


if __name__ == "__main__":
    main()
