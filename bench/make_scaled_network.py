#!/usr/bin/env python3
"""Write a larger PyPSA CSV folder from `kz-1node-8760`: N copies of its bus in a meshed ring.

Usage:
    python3 bench/make_scaled_network.py --buses 16 --hours 8760 --out target/scaled/16x8760

Each bus gets the template's generators, storage and load (load and capacities divided by N, so
the system stays the size of the template), and bus k is joined to k+1 (a ring, so Kirchhoff's
voltage law has a cycle) and to k+2 (chords, more cycles) by extendable AC lines.
The CO2 cap is scaled by hours/8760. The template's profiles are reused for every bus, shifted by
k·7 hours so that buses differ. Only the standard library is used; this is a size test, not a
country.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEMPLATE = REPO / "crates/atomplan-model/tests/fixtures/kz-1node-8760"


def read(name: str) -> tuple[list[str], list[list[str]]]:
    with open(TEMPLATE / name, newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def write(out: Path, name: str, header: list[str], rows: list[list[str]]) -> None:
    with open(out / name, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--buses", type=int, required=True)
    parser.add_argument("--hours", type=int, default=8760)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    n, hours = args.buses, args.hours
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    header, rows = read("snapshots.csv")
    write(out, "snapshots.csv", header, rows[:hours])
    for name in ("carriers.csv", "network.csv"):
        header, rows = read(name)
        write(out, name, header, rows)
    (out / "meta.json").write_text(json.dumps({}))
    buses = [f"bus{k}" for k in range(n)]
    write(out, "buses.csv", ["name", "v_nom"], [[bus, "220.0"] for bus in buses])

    header, rows = read("generators.csv")
    scale_columns = [header.index(c) for c in ("p_nom", "p_nom_min", "p_nom_max") if c in header]
    generators = []
    for k, bus in enumerate(buses):
        for row in rows:
            new = list(row)
            new[0] = f"{bus}-{row[0]}"
            new[header.index("bus")] = bus
            for column in scale_columns:
                if new[column] not in ("inf", ""):
                    new[column] = repr(float(new[column]) / n)
            generators.append(new)
    write(out, "generators.csv", header, generators)

    header, rows = read("storage_units.csv")
    units = []
    for bus in buses:
        for row in rows:
            new = list(row)
            new[0] = f"{bus}-{row[0]}"
            new[header.index("bus")] = bus
            units.append(new)
    write(out, "storage_units.csv", header, units)

    header, rows = read("loads.csv")
    write(out, "loads.csv", ["name", "bus"], [[f"{bus}-{row[0]}", bus] for bus in buses for row in rows])
    for name, divide in (("loads-p_set.csv", True), ("generators-p_max_pu.csv", False)):
        header, rows = read(name)
        new_header = [""]
        for bus in buses:
            new_header += [f"{bus}-{column}" for column in header[1:]]
        new_rows = []
        for t in range(hours):
            row = [str(t)]
            for k in range(n):
                source = rows[(t + 7 * k) % len(rows)]
                for value in source[1:]:
                    row.append(repr(float(value) / n) if divide else value)
            new_rows.append(row)
        write(out, name, new_header, new_rows)

    lines = []
    for k in range(n if n > 2 else n - 1):
        lines.append([f"line{k}-ring", buses[k], buses[(k + 1) % n], "10.0", "True", "3000.0"])
    if n > 4:
        for k in range(0, n, 2):
            lines.append([f"line{k}-chord", buses[k], buses[(k + 2) % n], "20.0", "True", "3000.0"])
    if lines:
        write(out, "lines.csv", ["name", "bus0", "bus1", "x", "s_nom_extendable", "capital_cost"], lines)

    header, rows = read("global_constraints.csv")
    constant = header.index("constant")
    for row in rows:
        row[constant] = repr(float(row[constant]) * hours / 8760)
    write(out, "global_constraints.csv", header, rows)


if __name__ == "__main__":
    main()
