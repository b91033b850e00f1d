#!/usr/bin/env python3
"""Run atomplan and the PyPSA peer on the same networks, one after the other, and write a table.

Usage (from the repository root, after `cargo build --release -p atomplan-cli`):

    python3 bench/pypsa_vs_atomplan.py                      # all fixture networks, writes docs/benchmarks.md
    python3 bench/pypsa_vs_atomplan.py --networks toy-1node-24 toy-2node-168 --no-write

The PyPSA side is the peer harness's own driver, `solve_pypsa.py` (PyPSA 1.4.0, linopy 0.10.1,
highspy 1.16.0, one thread, dual simplex), run from its folder with the Python of a virtual
environment (`--python`, default /work/venv-pypsa/bin/python; set it up with
`python3 -m venv DIR && DIR/bin/pip install pypsa==1.4.0 linopy==0.10.1 highspy==1.16.0 pandas==3.1.1 numpy==2.4.6`).
The harness folder defaults to ../shared/benchmarks next to the repository (`--peer-dir`).

atomplan is run twice per network: with the peer's HiGHS options (like for like: same solver,
so HiGHS's own time is the floor for both and the rest is what differs), and with the defaults
atomplan ships (`atomplan solve` with no option: HiGHS's HiPO interior-point solver with
crossover), which is what a user gets.

Peak RSS is each process's own (wait4), so the two sides are measured the same way.
Only the standard library is used.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "crates/atomplan-model/tests/fixtures"
DEFAULT_NETWORKS = ["toy-1node-24", "toy-2node-168", "kz-1node-8760"]
# The peer's fixed HiGHS options (shared/benchmarks/README.md), as atomplan --solver-option flags.
PEER_OPTIONS = ["solver=simplex", "simplex_strategy=1", "presolve=on", "random_seed=0"]


def run_measured(command: list[str], cwd: Path | None = None, timeout: float = 3600) -> tuple[int, str, str, float, float]:
    """Runs a command; returns (exit code, stdout, stderr, wall seconds, peak RSS MiB)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid != 0:
                break
            if time.perf_counter() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.02)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (process.returncode, out.read().decode(), err.read().decode(), wall, usage.ru_maxrss / 1024.0)


def run_atomplan(binary: Path, network: str, extra: list[str]) -> dict:
    command = [str(binary), "solve", str(FIXTURES / network), "--format", "json"]
    for option in extra:
        command += ["--solver-option", option]
    code, stdout, stderr, wall, rss = run_measured(command)
    if code != 0:
        raise SystemExit(f"atomplan failed on {network} (exit {code}): {stderr}")
    result = json.loads(stdout)
    result["peak_rss_mib"] = rss
    result["process_wall_s"] = wall
    return result


def run_pypsa(python: str, peer_dir: Path, network: str) -> dict:
    script = peer_dir / "solve_pypsa.py"
    code, stdout, stderr, wall, rss = run_measured([python, str(script), str(FIXTURES / network)], cwd=peer_dir)
    if code != 0:
        raise SystemExit(f"PyPSA failed on {network} (exit {code}): {stderr[-2000:]}")
    result = json.loads(stdout.strip().splitlines()[-1])
    result["process_peak_rss_mib"] = rss
    result["process_wall_s"] = wall
    return result


def fmt(value: float, digits: int = 2) -> str:
    return f"{value:,.{digits}f}"


def table(rows: list[dict]) -> str:
    header = ("| network | run | read s | build s | solve s | HiGHS s | write s | total s | outside HiGHS s "
              "| peak RSS MiB | objective | rel. diff vs PyPSA |\n"
              "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
    lines = []
    for row in rows:
        lines.append(
            f"| {row['network']} | {row['run']} | {fmt(row['read_s'], 3)} | {fmt(row['build_s'], 3)} | "
            f"{fmt(row['solve_s'], 3)} | {fmt(row['highs_s'], 3)} | {fmt(row['write_s'], 3)} | {fmt(row['total_s'], 3)} | "
            f"{fmt(row['total_s'] - row['highs_s'], 3)} | {fmt(row['peak_rss_mib'], 0)} | {fmt(row['objective'])} | "
            f"{row['diff']} |")
    return header + "\n".join(lines) + "\n"


def ratios(rows: list[dict]) -> str:
    by_network: dict[str, dict[str, dict]] = {}
    for row in rows:
        by_network.setdefault(row["network"], {})[row["run"]] = row
    out = ["| network | outside HiGHS: PyPSA / atomplan (same options) | outside HiGHS share of atomplan total "
           "| peak RSS: atomplan / PyPSA | end to end: PyPSA / atomplan (same options) "
           "| end to end: PyPSA / atomplan (shipped defaults) |",
           "|---|---:|---:|---:|---:|---:|"]
    for network, runs in by_network.items():
        peer, same, shipped = runs.get("PyPSA"), runs.get("atomplan, peer options"), runs.get("atomplan, shipped defaults")
        if not (peer and same):
            continue
        outside_peer = peer["total_s"] - peer["highs_s"]
        outside_same = max(same["total_s"] - same["highs_s"], 1e-6)
        cells = [
            f"{outside_peer / outside_same:,.0f}×",
            f"{100 * outside_same / same['total_s']:.1f} %",
            f"{same['peak_rss_mib'] / peer['peak_rss_mib']:.2f}",
            f"{peer['total_s'] / same['total_s']:.1f}×",
            f"{peer['total_s'] / shipped['total_s']:.1f}×" if shipped else "same as previous column",
        ]
        out.append(f"| {network} | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


START = "<!-- optimiser-table:start (written by bench/pypsa_vs_atomplan.py) -->"
END = "<!-- optimiser-table:end -->"


def write_section(path: Path, block: str) -> None:
    """Replaces the generated block inside the Optimiser section, keeping the prose around it."""
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    generated = f"{START}\n{block}{END}\n"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1].lstrip("\n")
        text = before + generated + ("\n" + after if after else "")
    elif "## Optimiser" in text:
        head, tail = text.split("## Optimiser", 1)
        first_line, _, remainder = tail.partition("\n")
        text = head + "## Optimiser" + first_line + "\n\n" + generated + remainder
    else:
        text = text.rstrip("\n") + "\n\n## Optimiser\n\n" + generated
    path.write_text(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--networks", nargs="+", default=DEFAULT_NETWORKS)
    parser.add_argument("--binary", default=str(REPO / "target/release/atomplan"))
    parser.add_argument("--python", default="/work/venv-pypsa/bin/python")
    parser.add_argument("--peer-dir", default=str(REPO.parent / "shared/benchmarks"))
    parser.add_argument("--doc", default=str(REPO / "docs/benchmarks.md"))
    parser.add_argument("--no-write", action="store_true", help="print the section instead of writing docs/benchmarks.md")
    parser.add_argument("--no-shipped", action="store_true",
                        help="skip the run with atomplan's shipped defaults (HiPO with crossover)")
    parser.add_argument("--skip-pypsa", action="store_true", help="reuse PyPSA's stored results (results/*.pypsa.json)")
    args = parser.parse_args()

    binary = Path(args.binary)
    if not binary.is_file():
        raise SystemExit(f"{binary} is missing: run `cargo build --release -p atomplan-cli` first")
    load_before = os.getloadavg()
    rows: list[dict] = []
    raw: dict = {}
    for network in args.networks:
        if args.skip_pypsa:
            peer = json.loads((FIXTURES / "pypsa-results" / f"{network}.pypsa.json").read_text())
        else:
            print(f"PyPSA on {network} …", file=sys.stderr, flush=True)
            peer = run_pypsa(args.python, Path(args.peer_dir), network)
        print(f"atomplan on {network} …", file=sys.stderr, flush=True)
        same = run_atomplan(binary, network, PEER_OPTIONS)
        shipped = None if args.no_shipped else run_atomplan(binary, network, [])
        raw[network] = {"pypsa": peer, "atomplan_peer_options": same, "atomplan_shipped": shipped,
                        "loadavg_after": os.getloadavg()}
        objective = peer["objective"]
        rows.append({"network": network, "run": "PyPSA", "read_s": peer["read_s"], "build_s": peer["build_s"],
                     "solve_s": peer["solve_s"], "highs_s": peer["highs_s"], "write_s": peer["post_s"],
                     "total_s": peer["total_s"], "peak_rss_mib": peer["peak_rss_mib"], "objective": objective,
                     "diff": "—"})
        runs = [("atomplan, peer options", same)] + ([("atomplan, shipped defaults", shipped)] if shipped else [])
        for label, result in runs:
            timings = result["timings"]
            diff = abs(result["objective"] - objective) / abs(objective)
            rows.append({"network": network, "run": label, "read_s": timings["read_s"], "build_s": timings["build_s"],
                         "solve_s": timings["solve_s"], "highs_s": timings["highs_s"], "write_s": timings["write_s"],
                         "total_s": timings["total_s"], "peak_rss_mib": result["peak_rss_mib"],
                         "objective": result["objective"], "diff": f"{diff:.1e}"})
    load_after = os.getloadavg()
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    section = (
        "`atomplan solve` against PyPSA 1.4.0 (linopy 0.10.1, highspy 1.16.0) on the reference networks in\n"
        "`crates/atomplan-model/tests/fixtures/`, measured by `python3 bench/pypsa_vs_atomplan.py`.\n"
        f"Run {stamp} on {os.cpu_count()} cores ({platform.machine()}), {'PyPSA side taken from the stored peer results' if args.skip_pypsa else 'both sides in the same run, one after the other'}.\n"
        f"Load average (1, 5, 15 min) before: {load_before[0]:.2f}, {load_before[1]:.2f}, {load_before[2]:.2f}; "
        f"after: {load_after[0]:.2f}, {load_after[1]:.2f}, {load_after[2]:.2f}"
        f"{' (other work shared the machine)' if max(load_before[0], load_after[0]) > 1.5 else ''}.\n\n"
        "Columns: `read` is CSV import, `build` model assembly, `solve` matrix hand-over plus HiGHS plus read-back\n"
        "(for PyPSA, linopy's LP-file write and read is inside it), `HiGHS` HiGHS's own run time, `write` the\n"
        "write-back (PyPSA: assigning solution and duals; atomplan: nothing unless `--out`), `total` their sum\n"
        "as each tool reports it, peak RSS of the whole process.\n"
        "\"peer options\" runs atomplan with the peer's HiGHS options (dual simplex, presolve on, one thread);\n"
        "\"shipped defaults\" runs `atomplan solve` with no option (HiPO interior point with crossover, one thread).\n\n"
        + table(rows) + "\nRatios:\n\n" + ratios(rows)
    )
    (REPO / "target").mkdir(exist_ok=True)
    (REPO / "target/pypsa_vs_atomplan.json").write_text(json.dumps(raw, indent=1))
    if args.no_write:
        print(section)
    else:
        write_section(Path(args.doc), section)
        print(f"wrote the Optimiser section of {args.doc}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
