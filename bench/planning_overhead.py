#!/usr/bin/env python3
"""The cost of the planning model over the core on a network the core solves: `atomplan solve
FOLDER` against `atomplan solve FOLDER --planning EMPTY.toml`, alternately, in the same run.

Usage (from the repository root, after `cargo build --release --bin atomplan`):

    python3 bench/planning_overhead.py                       # kz-1node-8760, 3 pairs
    python3 bench/planning_overhead.py --folder DIR --repeats 5

Issue "One model" asks that with an empty planning file a year-long 8,760-hour network solves
in at most 1.5 times the plain solve's time. Both runs go through the same backend (HiPO with
crossover for an LP, one thread); the script reports wall times, HiGHS's own times, the ratio of
medians and the two objectives. It asserts nothing. Only the standard library is used.
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


def run(binary: str, args: list[str]) -> tuple[float, dict]:
    start = time.perf_counter()
    proc = subprocess.run(
        [binary, "-q", "solve", *args, "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"atomplan solve {' '.join(args)} failed:\n{proc.stderr}")
    return wall, json.loads(proc.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.path.join(
        os.environ.get("CARGO_TARGET_DIR", "target"), "release", "atomplan"))
    parser.add_argument("--folder", default="crates/atomplan-model/tests/fixtures/kz-1node-8760")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        empty = os.path.join(tmp, "empty.toml")
        with open(empty, "w", encoding="utf-8") as handle:
            handle.write("")
        plain, planned = [], []
        for _ in range(args.repeats):
            plain.append(run(args.binary, [args.folder]))
            planned.append(run(args.binary, [args.folder, "--planning", empty]))
    p_wall = [w for w, _ in plain]
    q_wall = [w for w, _ in planned]
    p_highs = [v["timings"]["highs_s"] for _, v in plain]
    q_highs = [v["timings"]["highs_s"] for _, v in planned]
    p_obj = plain[-1][1]["objective"]
    q_obj = planned[-1][1]["objective"]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    print(f"network: {args.folder} ({plain[-1][1]['size']['rows']} rows, "
          f"{plain[-1][1]['size']['cols']} columns core; {planned[-1][1]['size']['rows']} rows, "
          f"{planned[-1][1]['size']['cols']} columns planning)")
    print("plain solve wall s:    " + ", ".join(f"{w:.2f}" for w in p_wall)
          + "  (HiGHS " + ", ".join(f"{h:.2f}" for h in p_highs) + ")")
    print("planning (empty) wall: " + ", ".join(f"{w:.2f}" for w in q_wall)
          + "  (HiGHS " + ", ".join(f"{h:.2f}" for h in q_highs) + ")")
    ratio = statistics.median(q_wall) / statistics.median(p_wall)
    print(f"ratio of medians (planning / plain): {ratio:.2f} (issue target <= 1.5)")
    print(f"objectives: plain {p_obj!r}, planning {q_obj!r}, "
          f"relative difference {abs(p_obj - q_obj) / abs(p_obj):.2e}")


if __name__ == "__main__":
    main()
