"""optimize(n, planning=...): the planning model, with the file given as a path, text or dict."""

from __future__ import annotations

import json
import math
import tomllib

import pytest

import atomplan
from atomplan import _pypsa
from conftest import FIXTURES, HIGHS_OPTIONS, load

PLANNING = FIXTURES / "planning"
N1 = PLANNING / "n1.toml"


def test_empty_plan_equals_the_core_model():
    """With every extension off the planning model reproduces the core's (and PyPSA's) answer."""
    folder = PLANNING / "toy-1node-24-nostorage"
    core = load(folder)
    atomplan.optimize(core)
    n = load(folder)
    assert atomplan.optimize(n, planning={}) == ("ok", "optimal")
    assert math.isclose(n.objective, core.objective, rel_tol=1e-6)
    for name in core.generators.index:
        assert math.isclose(n.generators.p_nom_opt[name], core.generators.p_nom_opt[name],
                            rel_tol=1e-6, abs_tol=1e-6), name
    # One period on the network's own snapshots: dispatch and prices are written back too.
    assert n.generators_t.p.shape == core.generators_t.p.shape
    demand = n.loads_t.p_set.sum(axis=1)
    assert (n.generators_t.p.sum(axis=1) - demand).abs().max() < 1e-4 * demand.abs().max()
    assert n.buses_t.marginal_price.shape == core.buses_t.marginal_price.shape


@pytest.mark.parametrize("case", ["three-decades", "modular-periods"])
def test_empty_plan_on_a_multi_period_network_matches_pypsa(case):
    """A network with investment periods goes through the core's model with the planning
    families added: with an empty planning file the objective and every p_nom_opt are those of
    PyPSA 1.4's optimize(multi_investment_periods=True) (multi-period/<case>.pypsa.json)."""
    folder = FIXTURES / "multi-period" / case
    reference = json.loads((FIXTURES / "multi-period" / f"{case}.pypsa.json").read_text())
    n = load(folder)
    assert atomplan.optimize(n, planning={}) == ("ok", "optimal")
    assert math.isclose(n.objective, reference["objective"], rel_tol=1e-6)
    for name, want in reference["generators_p_nom_opt"].items():
        assert math.isclose(n.generators.p_nom_opt[name], want, rel_tol=1e-6, abs_tol=1e-6), name
    assert {c["period"] for c in _pypsa.last_plan["capacities"]} == set(n.investment_periods)
    # Dispatch and prices are written back on the network's own index, as by n.optimize().
    assert n.generators_t.p.shape == (len(n.snapshots), len(n.generators))
    assert n.generators_t.p.index.equals(n.snapshots)
    assert n.buses_t.marginal_price.shape[0] == len(n.snapshots)
    with pytest.raises(ValueError, match=r"units\.nuclear.*investment periods"):
        atomplan.optimize(load(folder), planning={"units": {"nuclear": {"unit_size_mw": 120}}})


def test_pypsa_p_nom_mod_through_the_planning_model_matches_pypsa():
    """PyPSA's own modular network (pypsa-modular) solved through planning= gives PyPSA 1.4's
    objective and capacities (tests/fixtures/planning/pypsa/modular.pypsa.json)."""
    folder = PLANNING / "pypsa-modular"
    reference = load(folder)
    reference.optimize(solver_name="highs", solver_options=HIGHS_OPTIONS)
    n = load(folder)
    assert atomplan.optimize(n, planning="[solver]\nmip_rel_gap = 0.0\n") == ("ok", "optimal")
    assert math.isclose(n.objective, reference.objective, rel_tol=1e-6)
    for name in reference.generators.index:
        assert math.isclose(n.generators.p_nom_opt[name], reference.generators.p_nom_opt[name],
                            rel_tol=1e-6, abs_tol=1e-6), name


@pytest.fixture(scope="module")
def n1_objective():
    n = load(PLANNING / "toy-1node-24-nostorage")
    assert atomplan.optimize(n, planning=N1) == ("ok", "optimal")
    return n.objective


@pytest.mark.parametrize("form", ["path", "str_path", "text", "dict"])
def test_planning_file_forms_give_the_same_plan(form, n1_objective):
    planning = {
        "path": N1,
        "str_path": str(N1),
        "text": N1.read_text(),
        "dict": tomllib.loads(N1.read_text()),
    }[form]
    n = load(PLANNING / "toy-1node-24-nostorage")
    assert atomplan.optimize(n, planning=planning) == ("ok", "optimal")
    plan = _pypsa.last_plan
    assert plan["status"] == "optimal"
    units = {c["generator"]: c["units"] for c in plan["capacities"] if c["units"] is not None}
    # Whole units only.
    for name, count in units.items():
        assert abs(count - round(count)) < 1e-6, name
    assert n.generators.p_nom_opt["nuclear"] in (0.0, 300.0)
    assert n.objective == pytest.approx(n1_objective, rel=1e-9)


def test_bad_planning_file_names_the_key():
    n = load(PLANNING / "toy-1node-24-nostorage")
    with pytest.raises(ValueError, match="no_such_unit"):
        atomplan.optimize(n, planning={"units": {"no_such_unit": {"unit_size_mw": 10}}})
    with pytest.raises(ValueError, match="no such file"):
        atomplan.optimize(n, planning="missing-plan.toml")
