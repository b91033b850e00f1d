"""Write the Kazakhstan-sized three-zone benchmark network (PyPSA CSV folder) for the planning model.

Synthetic and derived: the hourly load, wind, solar and hydro profiles and the technology costs are
those of the `kz-1node-8760` reference network (shared/benchmarks/networks, itself seeded stand-ins
calibrated to annual figures; see that folder's README). The zone split, the interconnector ratings and
the CO2 price folded into marginal costs below are benchmark assumptions, not data about Kazakhstan.
Standard library only. Usage: python3 make_network.py SRC_FOLDER OUT_FOLDER
"""
import csv
import os
import sys

src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)

# Benchmark assumptions (not data): share of load and of existing plant per zone.
ZONES = {"north": 0.45, "south": 0.40, "west": 0.15}
COAL_SHARE = {"north": 0.75, "south": 0.20, "west": 0.05}
HYDRO_SHARE = {"north": 0.30, "south": 0.70, "west": 0.0}
LINKS = [("north-south", "north", "south", 2000.0), ("north-west", "north", "west", 500.0)]
CO2_PRICE = 100.0  # USD/t folded into marginal costs, a scenario assumption
CO2 = {"coal": 0.34, "gas": 0.2}  # t/MWh primary, as in kz-1node-8760 carriers.csv


def read(name):
    with open(os.path.join(src, name), newline="") as f:
        return list(csv.reader(f))


gens = read("generators.csv")
head, rows = gens[0], gens[1:]
g = [dict(zip(head, r)) for r in rows]
pmax = read("generators-p_max_pu.csv")
load = read("loads-p_set.csv")
snap = read("snapshots.csv")
n = len(snap) - 1

with open(os.path.join(out, "buses.csv"), "w") as f:
    f.write("name\n" + "".join(z + "\n" for z in ZONES))
with open(os.path.join(out, "snapshots.csv"), "w") as f:
    f.write("\n".join(",".join(r) for r in snap) + "\n")
with open(os.path.join(out, "network.csv"), "w") as f:
    f.write("name,_multi_invest,pypsa_version,srid\nkz-3zone,0,1.4.0,4326\n")
with open(os.path.join(out, "loads.csv"), "w") as f:
    f.write("name,bus\n" + "".join(f"{z}-load,{z}\n" for z in ZONES))
with open(os.path.join(out, "loads-p_set.csv"), "w") as f:
    f.write("," + ",".join(f"{z}-load" for z in ZONES) + "\n")
    for r in load[1:]:
        v = float(r[1])
        f.write(r[0] + "," + ",".join(f"{v * s:.1f}" for s in ZONES.values()) + "\n")
with open(os.path.join(out, "links.csv"), "w") as f:
    f.write("name,bus0,bus1,p_nom,p_min_pu,efficiency\n")
    for name, a, b, cap in LINKS:
        f.write(f"{name},{a},{b},{cap},-1.0,1.0\n")

cols = ["name", "bus", "p_nom", "p_nom_extendable", "p_nom_min", "p_nom_max", "carrier", "marginal_cost", "capital_cost", "efficiency"]
varying = pmax[0][1:]
series_cols = []
out_rows = []
for z in ZONES:
    for d in g:
        name = d["name"]
        if name == "hydro-existing" and HYDRO_SHARE[z] == 0:
            continue
        share = COAL_SHARE[z] if name == "coal-existing" else HYDRO_SHARE[z] if name == "hydro-existing" else ZONES[z]
        mc = float(d["marginal_cost"]) + CO2_PRICE * CO2.get(d["carrier"], 0.0) / float(d["efficiency"])
        p_nom = float(d["p_nom"]) * share
        pmin = float(d["p_nom_min"]) * share
        pmaxcap = d["p_nom_max"]
        if name in ("nuclear", "SMR"):
            pmaxcap = "inf"  # limited by units in the planning file
        elif pmaxcap != "inf":
            pmaxcap = str(float(pmaxcap) * share)
        out_rows.append([f"{z}-{name}", z, str(p_nom), d["p_nom_extendable"], str(pmin), pmaxcap, d["carrier"], f"{mc:.4f}", d["capital_cost"], d["efficiency"]])
        if name in varying:
            series_cols.append((f"{z}-{name}", varying.index(name) + 1))
with open(os.path.join(out, "generators.csv"), "w") as f:
    f.write(",".join(cols) + "\n" + "".join(",".join(r) + "\n" for r in out_rows))
with open(os.path.join(out, "generators-p_max_pu.csv"), "w") as f:
    f.write("," + ",".join(c for c, _ in series_cols) + "\n")
    for r in pmax[1:]:
        f.write(r[0] + "," + ",".join(r[i] for _, i in series_cols) + "\n")
