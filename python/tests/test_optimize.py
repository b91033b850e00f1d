"""atomplan.optimize on PyPSA networks in memory, against PyPSA 1.4's own n.optimize()."""

from __future__ import annotations

import math
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

import atomplan
from conftest import FIXTURES, HIGHS_OPTIONS, load

# Objective and capacities: both solves reach an optimum of the same LP/MILP; 1e-6 relative
# (the bar), with 1e-6 MW absolute for capacities at zero.
REL = 1e-6
ABS_MW = 1e-6

LP = ["toy-1node-24", "toy-2node-168"]
# The meshed network's optimum is degenerate: the objective is unique, the capacities are not
# (the Rust parity test checks its objective only, for the same reason).
LP_OBJECTIVE_ONLY = ["mesh-5node-168"]
MILP = [
    "milp/mixed",
    "milp/modular",
    "milp/random-101",
    "milp/toy-1node-24-uc",
    "milp/uc-extendable",
    "milp/uc-link",
    "milp/uc-ramp",
    "milp/uc-updown",
]


def pypsa_reference(folder):
    n = load(folder)
    # A network with investment periods is PyPSA's multi-investment problem, as atomplan reads it.
    status, condition = n.optimize(
        solver_name="highs",
        multi_investment_periods=bool(n.has_periods),
        solver_options=HIGHS_OPTIONS,
    )
    assert (status, condition) == ("ok", "optimal")
    return n


def assert_capacities(ours, theirs, list_name, attr):
    a = getattr(ours, list_name)[attr]
    b = getattr(theirs, list_name)[attr].reindex(a.index)
    for name in a.index:
        assert math.isclose(a[name], b[name], rel_tol=REL, abs_tol=ABS_MW), (
            f"{list_name}.{attr}[{name}]: atomplan {a[name]} vs PyPSA {b[name]}"
        )


# Investment periods as a level of the snapshot index: PyPSA solves them with
# `optimize(multi_investment_periods=True)`; atomplan reads the level and does the same.
MULTI_PERIOD = [
    "multi-period/three-decades",
    "multi-period/per-period-storage",
    "multi-period/co2-caps",
    "multi-period/modular-periods",
    "multi-period/ramp-periods",
    "multi-period/commitment-periods",
]


@pytest.mark.parametrize("case", LP + MILP + MULTI_PERIOD)
def test_objective_and_capacities_match_pypsa(case):
    folder = FIXTURES / case
    reference = pypsa_reference(folder)
    n = load(folder)
    assert atomplan.optimize(n) == ("ok", "optimal")
    assert math.isclose(n.objective, reference.objective, rel_tol=REL), (
        f"{case}: objective atomplan {n.objective} vs PyPSA {reference.objective}"
    )
    assert_capacities(n, reference, "generators", "p_nom_opt")
    assert_capacities(n, reference, "storage_units", "p_nom_opt")
    assert_capacities(n, reference, "links", "p_nom_opt")
    assert_capacities(n, reference, "lines", "s_nom_opt")
    # Dispatch is written back on the network's own index ((period, timestep) with periods).
    assert n.generators_t.p.index.equals(reference.generators_t.p.index)


@pytest.mark.parametrize("case", LP_OBJECTIVE_ONLY)
def test_objective_matches_pypsa_on_a_degenerate_lp(case):
    folder = FIXTURES / case
    reference = pypsa_reference(folder)
    n = load(folder)
    assert atomplan.optimize(n) == ("ok", "optimal")
    assert math.isclose(n.objective, reference.objective, rel_tol=REL), (
        f"{case}: objective atomplan {n.objective} vs PyPSA {reference.objective}"
    )
    # Capacities are an optimum's: each line within its bounds, total cost the same.
    assert (n.lines.s_nom_opt >= n.lines.s_nom_min - 1e-6).all()


def test_results_are_written_back_like_pypsa():
    """Dispatch, state of charge, flows, prices and the CO2 cap's mu on an LP with a unique
    optimum (toy-1node-24): the same frames as n.optimize() writes, same shapes and values."""
    folder = FIXTURES / "toy-1node-24"
    reference = pypsa_reference(folder)
    n = load(folder)
    atomplan.optimize(n)
    for frame, ref in [
        (n.generators_t.p, reference.generators_t.p),
        (n.storage_units_t.p, reference.storage_units_t.p),
        (n.storage_units_t.state_of_charge, reference.storage_units_t.state_of_charge),
        (n.buses_t.marginal_price, reference.buses_t.marginal_price),
    ]:
        assert frame.shape == ref.shape
        assert list(frame.index) == list(ref.index)
        assert list(frame.columns) == list(ref.columns[: len(frame.columns)]) or set(
            frame.columns
        ) == set(ref.columns)
        assert frame.dtypes.eq(np.float64).all()
        # Energy totals within 1e-6 relative; hourly values may differ on a degenerate optimum.
        assert np.isclose(frame.to_numpy().sum(), ref[frame.columns].to_numpy().sum(), rtol=1e-6, atol=1e-6)
    gc = n.global_constraints
    if not gc.empty:
        assert np.allclose(gc["mu"], reference.global_constraints["mu"].reindex(gc.index), rtol=1e-6, atol=1e-6)


def test_links_and_lines_flows_are_written_back():
    n = load(FIXTURES / "milp" / "mixed")
    atomplan.optimize(n)
    assert n.links_t.p0.shape == (len(n.snapshots), len(n.links))
    assert np.allclose(n.links_t.p1, -n.links_t.p0 * n.links.efficiency)
    assert n.lines_t.p0.shape == (len(n.snapshots), len(n.lines))
    assert np.allclose(n.lines_t.p1, -n.lines_t.p0)


def test_round_trip_through_export(tmp_path):
    """Solve, export with PyPSA, import, solve again: the same objective to the last digits."""
    n = load(FIXTURES / "toy-2node-168")
    atomplan.optimize(n)
    first = n.objective
    n.export_to_csv_folder(str(tmp_path / "exported"))
    again = load(tmp_path / "exported")
    assert atomplan.optimize(again) == ("ok", "optimal")
    assert math.isclose(again.objective, first, rel_tol=1e-12)
    pd.testing.assert_series_equal(again.generators.p_nom_opt, n.generators.p_nom_opt, rtol=1e-9)


def test_built_in_python_not_from_a_folder():
    """A network made with n.add (PyPSA's defaults for every attribute not given)."""
    import pypsa

    def build():
        n = pypsa.Network()
        n.set_snapshots(pd.date_range("2030-01-01", periods=6, freq="h"))
        n.add("Bus", "b")
        n.add("Carrier", "gas", co2_emissions=0.4)
        n.add("Load", "d", bus="b", p_set=[50, 60, 80, 90, 70, 55])
        n.add("Generator", "solar", bus="b", p_nom_extendable=True, capital_cost=30,
              p_max_pu=[0, 0.3, 0.8, 0.9, 0.4, 0.0])
        n.add("Generator", "gas", bus="b", carrier="gas", p_nom_extendable=True, capital_cost=10,
              marginal_cost=60)
        n.add("StorageUnit", "battery", bus="b", p_nom_extendable=True, capital_cost=5,
              max_hours=3, cyclic_state_of_charge=True, efficiency_store=0.95,
              efficiency_dispatch=0.95)
        return n

    reference = build()
    reference.optimize(solver_name="highs", solver_options=HIGHS_OPTIONS)
    n = build()
    assert atomplan.optimize(n) == ("ok", "optimal")
    assert math.isclose(n.objective, reference.objective, rel_tol=REL)
    assert_capacities(n, reference, "generators", "p_nom_opt")
    assert_capacities(n, reference, "storage_units", "p_nom_opt")


def test_objective_constant_follows_pypsa_option():
    """With include_objective_constant=True, n.objective leaves out the capital cost of the
    existing part of extendable assets, as PyPSA's does."""
    import pypsa

    folder = FIXTURES / "toy-2node-168"
    pypsa.options.params.optimize.include_objective_constant = True
    try:
        reference = pypsa_reference(folder)
        n = load(folder)
        atomplan.optimize(n)
    finally:
        pypsa.options.params.optimize.include_objective_constant = False
    assert math.isclose(n.objective, reference.objective, rel_tol=REL)


def test_infeasible_returns_pypsa_status_and_writes_nothing():
    n = load(FIXTURES / "milp" / "infeasible-uc")
    status, condition = atomplan.optimize(n)
    assert status == "warning"
    assert condition in ("infeasible", "infeasible_or_unbounded")
    assert n.generators_t.p.empty


def test_deterministic():
    """Two solves of the same network give bit-identical results."""
    results = []
    for _ in range(2):
        n = load(FIXTURES / "mesh-5node-168")
        atomplan.optimize(n)
        results.append((n.objective, n.generators.p_nom_opt.to_numpy().copy(),
                        n.generators_t.p.to_numpy().copy()))
    assert results[0][0] == results[1][0]
    assert np.array_equal(results[0][1], results[1][1])
    assert np.array_equal(results[0][2], results[1][2])


def test_solver_options():
    n = load(FIXTURES / "toy-1node-24")
    assert atomplan.optimize(n, solver_options={"solver": "simplex"}) == ("ok", "optimal")
    reference = pypsa_reference(FIXTURES / "toy-1node-24")
    assert math.isclose(n.objective, reference.objective, rel_tol=REL)


def test_threads_in_a_fresh_process_and_a_clear_error_after():
    """HiGHS sizes one thread pool per process at its first solve: threads=2 works in a fresh
    process with the same objective, and a later solve asking for another count is refused
    with a RuntimeError that says why (never a crash inside HiGHS)."""
    folder = str(FIXTURES / "toy-2node-168")
    code = textwrap.dedent(
        f"""
        import warnings
        warnings.filterwarnings("ignore")
        import pypsa, atomplan
        pypsa.options.params.optimize.include_objective_constant = False
        n = pypsa.Network({folder!r})
        print(atomplan.optimize(n, threads=2), repr(n.objective))
        try:
            atomplan.optimize(pypsa.Network({folder!r}), threads=1)
        except RuntimeError as error:
            print("refused:", error)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    lines = out.stdout.strip().splitlines()
    assert lines[0].startswith("('ok', 'optimal')")
    objective = float(lines[0].split()[-1])
    n = load(FIXTURES / "toy-2node-168")
    atomplan.optimize(n)
    assert math.isclose(objective, n.objective, rel_tol=1e-9)
    assert lines[1].startswith("refused:") and "thread" in lines[1]


def test_milp_built_in_python_with_links_lines_storage_and_a_co2_cap():
    """A MILP made with n.add, not from a folder: committable coal with minimum up time and
    start-up cost, modular extendable SMRs, a link, two lines, a battery and a CO2 cap."""
    import pypsa

    def build():
        n = pypsa.Network()
        n.set_snapshots(pd.date_range("2030-01-01", periods=24, freq="h"))
        n.add("Bus", ["north", "south"])
        n.add("Carrier", "coal", co2_emissions=0.9)
        n.add("Carrier", "gas", co2_emissions=0.4)
        load = 300 + 120 * np.sin(np.linspace(0, 2 * np.pi, 24))
        n.add("Load", "demand-n", bus="north", p_set=load)
        n.add("Load", "demand-s", bus="south", p_set=0.6 * load)
        n.add("Generator", "coal", bus="north", carrier="coal", p_nom=250, committable=True,
              p_min_pu=0.4, min_up_time=4, start_up_cost=5000, marginal_cost=25)
        n.add("Generator", "ccgt", bus="south", carrier="gas", p_nom_extendable=True,
              capital_cost=40, marginal_cost=55)
        n.add("Generator", "smr", bus="north", p_nom_extendable=True, p_nom_mod=50,
              p_nom_max=200, capital_cost=120, marginal_cost=8)
        n.add("Generator", "wind", bus="south", p_nom_extendable=True, capital_cost=30,
              p_max_pu=0.5 + 0.4 * np.cos(np.linspace(0, 4 * np.pi, 24)))
        n.add("StorageUnit", "battery", bus="south", p_nom_extendable=True, capital_cost=15,
              max_hours=4, cyclic_state_of_charge=True)
        n.add("Line", "n-s", bus0="north", bus1="south", x=0.1, r=0.01, s_nom=150)
        n.add("Line", "n-s-2", bus0="north", bus1="south", x=0.2, r=0.02, s_nom=80)
        n.add("Link", "hvdc", bus0="north", bus1="south", p_nom_extendable=True,
              capital_cost=20, efficiency=0.97, p_min_pu=-1)
        n.add("GlobalConstraint", "co2", sense="<=", constant=60_000,
              carrier_attribute="co2_emissions")
        return n

    reference = build()
    assert reference.optimize(solver_name="highs", solver_options=HIGHS_OPTIONS) == ("ok", "optimal")
    n = build()
    assert atomplan.optimize(n) == ("ok", "optimal")
    assert math.isclose(n.objective, reference.objective, rel_tol=REL), (n.objective, reference.objective)
    assert_capacities(n, reference, "generators", "p_nom_opt")
    assert n.generators.p_nom_opt["smr"] % 50 == pytest.approx(0.0, abs=1e-6)
    assert set(n.generators_t.status.columns) >= {"coal"}
    assert np.allclose(n.generators_t.status["coal"] % 1.0, 0.0)
