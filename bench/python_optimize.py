#!/usr/bin/env python3
"""Time `atomplan.optimize(n)` against `n.optimize(solver_name="highs")` on the same network.

Usage (from the repository root, in a venv with `pypsa==1.4.0` and `pip install ./python`):

    python bench/python_optimize.py                           # kz-1node-8760
    python bench/python_optimize.py --networks toy-2node-168 kz-1node-8760

Each side runs in its own child process (so peak RSS is that side's alone, read with wait4),
one after the other in the same run; both read the network from the fixture folder with
`pypsa.Network(folder)` first, which is not timed. PyPSA runs with its default options
(`n.optimize(solver_name="highs")`, HiGHS's defaults); atomplan with the defaults it ships
(HiPO with crossover, one thread). The atomplan side reports its stages from
`atomplan._pypsa.last_timings`: converting the DataFrames and atomplan's read of them, the
solve (model build, HiGHS, read-back) and the write-back into the network.
Prints one JSON object per network and side, then a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "crates/atomplan-model/tests/fixtures"

CHILD = r"""
import json, logging, sys, time, warnings
warnings.filterwarnings("ignore")
import pypsa
pypsa.options.api.legacy_string_dtype = True
pypsa.options.params.optimize.include_objective_constant = False
logging.getLogger("pypsa").setLevel(logging.ERROR)
logging.getLogger("linopy").setLevel(logging.ERROR)
side, folder = sys.argv[1], sys.argv[2]
n = pypsa.Network(folder)
started = time.perf_counter()
if side == "pypsa":
    # A network with investment periods is solved as PyPSA's multi-investment problem, which is
    # what atomplan solves for it.
    status = n.optimize(solver_name="highs", multi_investment_periods=bool(n.has_periods))
    timings = {}
else:
    import atomplan
    from atomplan import _pypsa
    status = atomplan.optimize(n)
    timings = dict(_pypsa.last_timings)
total = time.perf_counter() - started
print(json.dumps({"status": list(status), "objective": float(n.objective), "total_s": total,
                  "timings": timings}))
"""


def peak_rss_mib(side: str, folder: Path) -> tuple[dict, float]:
    """Runs a side and returns its result and the child's peak RSS (MiB)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", CHILD, side, str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out = process.stdout.read()
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{side} on {folder.name} failed:\n{err}")
    result = json.loads(out.strip().splitlines()[-1])
    result["process_wall_s"] = wall
    return result, usage.ru_maxrss / 1024.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--networks", nargs="+", default=["kz-1node-8760"])
    parser.add_argument(
        "--multi-period-hours",
        type=int,
        default=0,
        help="also time the multi-period fixture `three-decades` built with this many hours "
        "per period (tests/fixtures/multi-period/make_fixtures.py), in a temporary folder",
    )
    args = parser.parse_args()
    import atomplan
    import pypsa

    load_before = os.getloadavg()
    rows = []
    folders = [(name, FIXTURES / name) for name in args.networks]
    if args.multi_period_hours > 0:
        import tempfile

        sys.path.insert(0, str(FIXTURES / "multi-period"))
        import make_fixtures

        hours = args.multi_period_hours
        folder = Path(tempfile.mkdtemp()) / f"three-decades-{hours}h"
        make_fixtures.three_decades(hours).export_to_csv_folder(str(folder))
        folders.append((folder.name, folder))
    for name, folder in folders:
        theirs, theirs_rss = peak_rss_mib("pypsa", folder)
        ours, ours_rss = peak_rss_mib("atomplan", folder)
        for side, result, rss in (("PyPSA", theirs, theirs_rss), ("atomplan", ours, ours_rss)):
            print(json.dumps({"network": name, "side": side, "peak_rss_mib": rss, **result}))
        t = ours["timings"]
        rows.append(
            {
                "network": name,
                "pypsa_s": theirs["total_s"],
                "atomplan_s": ours["total_s"],
                "ratio": theirs["total_s"] / ours["total_s"],
                "convert_s": t["convert_s"],
                "convert_share": t["convert_s"] / ours["total_s"],
                "write_back_s": t["write_back_s"],
                "highs_s": t["highs_s"],
                "pypsa_rss": theirs_rss,
                "atomplan_rss": ours_rss,
                "rel_diff": abs(ours["objective"] - theirs["objective"]) / abs(theirs["objective"]),
            }
        )
    load_after = os.getloadavg()
    print()
    print(
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {os.cpu_count()} cores "
        f"({platform.machine()}), PyPSA {pypsa.__version__}, atomplan {atomplan.__version__}; "
        f"load average before {', '.join(f'{x:.2f}' for x in load_before)}, "
        f"after {', '.join(f'{x:.2f}' for x in load_after)}."
    )
    print()
    print(
        "| network | n.optimize() s | atomplan.optimize(n) s | end to end | conversion s (share) "
        "| write-back s | HiGHS s (atomplan) | peak RSS PyPSA MiB | peak RSS atomplan MiB | objective rel. diff |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['network']} | {r['pypsa_s']:.2f} | {r['atomplan_s']:.2f} | {r['ratio']:.1f}× "
            f"| {r['convert_s']:.3f} ({100 * r['convert_share']:.2f} %) | {r['write_back_s']:.3f} "
            f"| {r['highs_s']:.2f} | {r['pypsa_rss']:.0f} | {r['atomplan_rss']:.0f} | {r['rel_diff']:.1e} |"
        )


if __name__ == "__main__":
    main()
