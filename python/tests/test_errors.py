"""Bad or unsupported input raises a Python exception naming the component and attribute."""

from __future__ import annotations

import pytest

import atomplan
from conftest import FIXTURES, load


def network():
    return load(FIXTURES / "toy-1node-24")


def test_unsupported_static_attribute_is_refused():
    n = network()
    n.generators.loc[n.generators.index[0], "e_sum_max"] = 1000.0
    with pytest.raises(ValueError, match=r"n\.generators.*e_sum_max"):
        atomplan.optimize(n)


def test_quadratic_cost_is_refused_with_the_generator_named():
    n = network()
    name = n.generators.index[0]
    n.generators.loc[name, "marginal_cost_quadratic"] = 0.01
    with pytest.raises(ValueError, match=rf"n\.generators `{name}`.*marginal_cost_quadratic"):
        atomplan.optimize(n)


def test_unsupported_time_series_is_refused():
    n = network()
    name = n.generators.index[0]
    n.generators_t.efficiency[name] = 0.5
    with pytest.raises(ValueError, match=r"n\.generators_t\.efficiency"):
        atomplan.optimize(n)


def test_store_component_is_refused():
    n = network()
    n.add("Store", "h2", bus=n.buses.index[0], e_nom=10)
    with pytest.raises(ValueError, match=r"Store"):
        atomplan.optimize(n)


def test_bad_value_names_component_and_attribute():
    n = network()
    name = n.generators.index[0]
    n.generators.loc[name, "efficiency"] = -1.0
    with pytest.raises(ValueError, match=rf"n\.generators `{name}`.*efficiency"):
        atomplan.optimize(n)


def test_unknown_bus_is_refused():
    n = network()
    name = n.loads.index[0]
    n.loads.loc[name, "bus"] = "nowhere"
    with pytest.raises(ValueError, match=r"bus `nowhere`"):
        atomplan.optimize(n)


def test_not_a_network():
    with pytest.raises(TypeError, match="pypsa.Network"):
        atomplan.optimize({"generators": []})


def test_bad_arguments():
    n = network()
    with pytest.raises(ValueError, match="threads"):
        atomplan.optimize(n, threads=0)
    with pytest.raises(ValueError, match="no_such_option"):
        atomplan.optimize(n, solver_options={"no_such_option": 1})
    with pytest.raises(TypeError, match="planning"):
        atomplan.optimize(n, planning=42)
