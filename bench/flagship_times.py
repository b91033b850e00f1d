#!/usr/bin/env python3
"""Time every flagship study end to end, break-even searches and tornado included.

Usage (from the repository root, after `cargo build --release -p atomplan-cli`):

    python3 bench/flagship_times.py                 # all four flagships, one run each
    python3 bench/flagship_times.py --repeats 3 --studies studies/turkey-smr.toml

Each run goes into a fresh temporary folder (nothing reused), so the time is a cold run of
`atomplan study run`. The issue's target is 2 minutes per flagship on two cores; this script
reports the figure, it asserts nothing. Peak RSS is the child's own (wait4).
Only the standard library is used.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import tempfile
import time

FLAGSHIPS = [
    "studies/kazakhstan-first-npp.toml",
    "studies/turkey-smr.toml",
    "studies/uzbekistan-jizzakh.toml",
    "studies/mongolia-small-npp.toml",
]


def run_once(binary: str, study: str) -> tuple[float, float, dict]:
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [binary, "-q", "study", "run", study, "--out", out],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        stderr = proc.stderr.read().decode() if proc.stderr else ""
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{study} failed:\n{stderr}")
        with open(os.path.join(out, "decision.json"), encoding="utf-8") as handle:
            decision = json.load(handle)
        return wall, usage.ru_maxrss / 1024.0, decision


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default="target/release/atomplan")
    parser.add_argument("--studies", nargs="*", default=FLAGSHIPS)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    print(f"# {platform.node()} {os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print("| study | wall s (median) | runs | peak RSS MiB | scenarios | least-cost meets standard | candidates with an overnight break-even |")
    print("|---|---|---|---|---|---|---|")
    for study in args.studies:
        walls, rss, decision = [], 0.0, {}
        for _ in range(args.repeats):
            wall, peak, decision = run_once(args.binary, study)
            walls.append(wall)
            rss = max(rss, peak)
        least = next((s for s in decision["scenarios"] if s["name"] == "least-cost"), None)
        found = sum(1 for c in decision["candidates"] if c["breakeven"]["overnight_usd_per_kw"] is not None)
        print(
            f"| {study} | {statistics.median(walls):.1f} | {len(walls)} | {rss:.0f} | "
            f"{len(decision['scenarios'])} | {least['meets_standard'] if least else 'n/a'} | "
            f"{found} of {len(decision['candidates'])} |"
        )


if __name__ == "__main__":
    main()
