"""`atomplan.optimize`: a PyPSA 1.x network solved in memory by atomplan's model.

The network's static DataFrames and time series are handed to the Rust importer as typed
columns, after dropping what is at PyPSA's defaults exactly as ``n.export_to_csv_folder`` does.
What is left goes through the same reader as a CSV folder (``atomplan solve``): the same
defaults, checks and MILP attributes. A column the reader does not model is refused with the
component and attribute named, never dropped.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd

from . import _atomplan

# The components the reader models, in its order; and those it refuses when they have rows.
_SUPPORTED = (
    "buses",
    "carriers",
    "generators",
    "loads",
    "storage_units",
    "links",
    "lines",
    "global_constraints",
)
_REFUSED = ("stores", "transformers", "shunt_impedances", "processes")

#: Seconds spent in each stage of the last `optimize` call (conversion, atomplan's read,
#: solve, write-back); for the benchmark.
last_timings: dict[str, float] = {}


def _is_default(values: pd.Series, default: Any, dtype: Any) -> bool:
    """PyPSA's rule in ``_export_to_exporter``: a column at its default is not exported."""
    if pd.isnull(default) and pd.isnull(values).all():
        return True
    same_kind = values.dtype == dtype or (
        isinstance(default, str) and pd.api.types.is_string_dtype(values.dtype)
    )
    return bool(same_kind and (values == default).all())


def _column(values: pd.Series) -> Any:
    """A static column as a float64 or bool numpy array or a list of str."""
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return np.ascontiguousarray(values.to_numpy(dtype=bool))
    if pd.api.types.is_numeric_dtype(dtype):
        return np.ascontiguousarray(values.to_numpy(dtype=np.float64))
    return ["" if pd.isnull(v) else str(v) for v in values.tolist()]


def _static_table(c: Any, label: str) -> list[tuple[str, Any]]:
    static = c.static
    defaults = c.defaults
    default = defaults["default"].to_dict()
    dtypes = defaults["dtype"].to_dict()
    status = defaults["status"].astype(str).to_dict()
    columns: list[tuple[str, Any]] = [("name", static.index.astype(str).tolist())]
    for col in static.columns:
        if col in ("g_pu", "b_pu"):
            continue
        if col in default:
            if status[col].startswith("Output"):
                continue
            if _is_default(static[col], default[col], dtypes[col]):
                continue
        columns.append((col, _column(static[col])))
    return columns


def _series_tables(c: Any) -> list[tuple[str, str, list[str], np.ndarray]]:
    out = []
    defaults = c.defaults
    for attr, frame in c.dynamic.items():
        if frame.empty:
            continue
        if attr in defaults.index:
            if str(defaults.at[attr, "status"]).startswith("Output"):
                continue
            default = defaults.at[attr, "default"]
            if pd.isnull(default):
                keep = frame.columns[(~pd.isnull(frame)).any()]
            else:
                keep = frame.columns[(frame != default).any()]
        else:
            keep = frame.columns
        if len(keep) == 0:
            continue
        values = np.ascontiguousarray(frame[keep].to_numpy(dtype=np.float64).T)
        out.append((c.list_name, attr, [str(k) for k in keep], values))
    return out


def _check_network(n: Any) -> None:
    try:
        import pypsa
    except ImportError as error:  # pragma: no cover - pypsa is a requirement of optimize
        raise ImportError("atomplan.optimize needs PyPSA 1.x: pip install 'pypsa>=1,<2'") from error
    if not isinstance(n, pypsa.Network):
        raise TypeError(f"expected a pypsa.Network, got {type(n).__name__}")
    if getattr(n, "has_scenarios", False):
        raise ValueError("n.scenarios: stochastic networks (scenarios) are not supported by atomplan")
    for list_name in _SUPPORTED + _REFUSED:
        c = n.components[list_name]
        piecewise = getattr(c, "piecewise", {}) or {}
        for attr, frame in piecewise.items():
            if frame is not None and not frame.empty:
                raise ValueError(
                    f"n.{list_name}, attribute `{attr}`: piecewise-linear attributes are not "
                    "supported by atomplan"
                )


def frames(n: Any) -> tuple[str, list, list]:
    """The network's tables as handed to the importer: (name, statics, series).

    Statics are ``(list_name, [(column, values)])`` with only non-default columns (plus
    ``name``); series are ``(list_name, attribute, names, values[component, snapshot])``.
    """
    _check_network(n)
    statics: list[tuple[str, list[tuple[str, Any]]]] = []
    series: list[tuple[str, str, list[str], np.ndarray]] = []
    statics.append(("network", [("name", [str(n.name or "")])]))
    weights = n.snapshot_weightings
    if getattr(n, "has_periods", False):
        # Investment periods, a level of the snapshot index: solved as PyPSA's
        # `optimize(multi_investment_periods=True)`.
        index_columns = [
            ("period", n.snapshots.get_level_values("period").to_numpy(dtype=np.float64)),
            ("timestep", n.snapshots.get_level_values("timestep").astype(str).tolist()),
        ]
    else:
        index_columns = [("snapshot", n.snapshots.astype(str).tolist())]
    statics.append(
        (
            "snapshots",
            index_columns
            + [
                ("objective", weights["objective"].to_numpy(dtype=np.float64)),
                ("stores", weights["stores"].to_numpy(dtype=np.float64)),
                ("generators", weights["generators"].to_numpy(dtype=np.float64)),
            ],
        )
    )
    if getattr(n, "has_periods", False):
        periods = n.investment_period_weightings
        statics.append(
            (
                "investment_periods",
                [
                    ("period", periods.index.to_numpy(dtype=np.float64)),
                    ("objective", periods["objective"].to_numpy(dtype=np.float64)),
                    ("years", periods["years"].to_numpy(dtype=np.float64)),
                ],
            )
        )
    for list_name in _SUPPORTED:
        c = n.components[list_name]
        if c.static.empty:
            continue
        statics.append((list_name, _static_table(c, list_name)))
        series.extend(_series_tables(c))
    for list_name in _REFUSED:
        c = n.components[list_name]
        if not c.static.empty:
            statics.append((list_name, [("name", c.static.index.astype(str).tolist())]))
    return str(n.name or ""), statics, series


def _set_series(c: Any, attr: str, names: list[str], values: np.ndarray, snapshots: pd.Index) -> None:
    frame = pd.DataFrame(values, index=snapshots, columns=pd.Index(names, name=c.static.index.name))
    frame = frame.reindex(columns=c.static.index, fill_value=0.0)
    frame.columns.name = c.static.index.name
    c.dynamic[attr] = frame


def _set_static(c: Any, attr: str, names: list[str], values: np.ndarray) -> None:
    if len(names) == 0:
        return
    if attr not in c.static.columns:
        c.static[attr] = 0.0
    c.static.loc[names, attr] = np.where(values == 0.0, 0.0, values)


def _objective_constant(n: Any) -> float:
    """PyPSA's ``n.objective_constant``: capital cost of the existing part of extendable assets."""
    total = 0.0
    for list_name, attr in (
        ("generators", "p_nom"),
        ("storage_units", "p_nom"),
        ("links", "p_nom"),
        ("lines", "s_nom"),
    ):
        static = n.components[list_name].static
        if static.empty:
            continue
        ext = static[f"{attr}_extendable"].astype(bool) & static["active"].astype(bool)
        total += float((static.loc[ext, "capital_cost"] * static.loc[ext, attr]).sum())
    return total


def _write_back(n: Any, result: Mapping[str, Any]) -> None:
    sns = n.snapshots
    gens = n.components.generators
    r = result["generators"]
    _set_static(gens, "p_nom_opt", r["names"], r["p_nom_opt"])
    if not gens.static.empty:
        _set_series(gens, "p", r["names"], r["p"], sns)
        if r["status_names"]:
            _set_series(gens, "status", r["status_names"], r["status"], sns)
    units = n.components.storage_units
    r = result["storage_units"]
    _set_static(units, "p_nom_opt", r["names"], r["p_nom_opt"])
    if not units.static.empty:
        for attr in ("p_dispatch", "p_store", "p", "state_of_charge", "spill"):
            _set_series(units, attr, r["names"], r[attr], sns)
    links = n.components.links
    r = result["links"]
    _set_static(links, "p_nom_opt", r["names"], r["p_nom_opt"])
    if not links.static.empty:
        _set_series(links, "p", r["names"], r["p0"], sns)
        _set_series(links, "p0", r["names"], r["p0"], sns)
        _set_series(links, "p1", r["names"], r["p1"], sns)
        if r["status_names"]:
            _set_series(links, "status", r["status_names"], r["status"], sns)
    lines = n.components.lines
    r = result["lines"]
    _set_static(lines, "s_nom_opt", r["names"], r["s_nom_opt"])
    if not lines.static.empty:
        _set_series(lines, "p0", r["names"], r["p0"], sns)
        _set_series(lines, "p1", r["names"], r["p1"], sns)
    buses = n.components.buses
    r = result["buses"]
    if not buses.static.empty:
        _set_series(buses, "marginal_price", r["names"], r["marginal_price"], sns)
    constraints = n.components.global_constraints
    r = result["global_constraints"]
    if r["names"]:
        if "mu" not in constraints.static.columns:
            constraints.static["mu"] = 0.0
        constraints.static.loc[r["names"], "mu"] = r["mu"]
    constant = _objective_constant(n)
    n._objective_constant = constant
    n._objective = float(result["objective"]) - (constant if _include_constant() else 0.0)


def _include_constant() -> bool:
    """PyPSA's ``include_objective_constant`` as ``n.optimize()`` would resolve it (None is True
    in PyPSA 1.x, with a FutureWarning there; atomplan does not warn)."""
    try:
        import pypsa

        value = pypsa.options.params.optimize.include_objective_constant
    except (ImportError, AttributeError):
        value = None
    return True if value is None else bool(value)


def _planning_text(planning: Any) -> tuple[str, str]:
    """(TOML text, name for messages) of a planning file given as a path, TOML text or dict."""
    if isinstance(planning, Mapping):
        return _atomplan.json_to_toml(json.dumps(dict(planning))), "(planning dict)"
    if isinstance(planning, os.PathLike):
        path = Path(planning)
        return path.read_text(encoding="utf-8"), str(path)
    if isinstance(planning, str):
        if "\n" not in planning and "=" not in planning and "[" not in planning:
            path = Path(planning)
            if not path.is_file():
                raise ValueError(f"planning: no such file `{planning}` (nor is it TOML text)")
            return path.read_text(encoding="utf-8"), str(path)
        return planning, "(planning text)"
    raise TypeError(
        f"planning must be a path, TOML text or a dict, not {type(planning).__name__}"
    )


_PLAN_STATUS = {
    "optimal": ("ok", "optimal"),
    "infeasible": ("warning", "infeasible"),
    "unbounded": ("warning", "unbounded"),
    "infeasible_or_unbounded": ("warning", "infeasible_or_unbounded"),
    "time_limit": ("warning", "time_limit"),
    "iteration_limit": ("warning", "iteration_limit"),
    "error": ("warning", "unknown"),
}

#: The full planning result of the last ``optimize(n, planning=...)`` (the ``planning`` block of
#: ``atomplan solve --planning``, as a dict).
last_plan: dict[str, Any] | None = None


def _optimize_planning(n: Any, planning: Any, solver_options: Any, threads: int) -> tuple[str, str]:
    global last_plan
    if solver_options:
        raise ValueError(
            "solver_options: not available with planning= (set [solver] in the planning file)"
        )
    text, label = _planning_text(planning)
    _check_network(n)
    # The same in-memory tables as a plain optimize; the planning model takes PyPSA's MILP
    # attributes from them (as `atomplan solve FOLDER --planning` does from a folder).
    name, statics, series = frames(n)
    text_result, core = _atomplan.plan_frames(name, statics, series, text, label)
    result = json.loads(text_result)
    last_plan = result
    status, condition = _PLAN_STATUS.get(result["status"], ("warning", "unknown"))
    if result.get("has_solution") and core is not None:
        # A network with investment periods: the model was the core's with the planning
        # families added, and its results go back into the network as n.optimize() writes them.
        _write_back(n, core)
    elif result.get("has_solution"):
        first: dict[str, float] = {}
        for cap in result["capacities"]:
            first.setdefault(cap["generator"], cap["p_nom_opt_mw"])
        names = [k for k in first if k in n.generators.index]
        _set_static(n.components.generators, "p_nom_opt", names, np.array([first[k] for k in names]))
        store: dict[str, float] = {}
        for cap in result["storage"]:
            store.setdefault(cap["storage_unit"], cap["p_nom_opt_mw"])
        names = [k for k in store if k in n.storage_units.index]
        _set_static(
            n.components.storage_units, "p_nom_opt", names, np.array([store[k] for k in names])
        )
        n._objective = float(result["objective"])
    return status, condition


def optimize(
    n: Any,
    planning: str | os.PathLike[str] | Mapping[str, Any] | None = None,
    solver_options: Mapping[str, Any] | None = None,
    threads: int = 1,
) -> tuple[str, str]:
    """Solve a PyPSA 1.x network with atomplan and write the results back into it."""
    global last_timings
    if not isinstance(threads, int) or isinstance(threads, bool) or threads < 1:
        raise ValueError(f"threads must be an int ≥ 1, not {threads!r}")
    if planning is not None:
        return _optimize_planning(n, planning, solver_options, threads)
    options: list[tuple[str, str]] = []
    if solver_options is not None:
        if not isinstance(solver_options, Mapping):
            raise TypeError("solver_options must be a dict of HiGHS options")
        for key, value in solver_options.items():
            if isinstance(value, bool):
                value = "true" if value else "false"
            options.append((str(key), str(value)))
    started = time.perf_counter()
    name, statics, series = frames(n)
    converted = time.perf_counter()
    result = _atomplan.solve_frames(name, statics, series, threads, options)
    solved = time.perf_counter()
    status, condition = result["status"], result["condition"]
    if status == "ok":
        _write_back(n, result)
    done = time.perf_counter()
    last_timings = {
        "convert_s": converted - started + result["read_s"],
        "python_convert_s": converted - started,
        "rust_read_s": result["read_s"],
        "solve_s": result["solve_s"],
        "highs_s": result["highs_s"],
        "write_back_s": done - solved,
        "total_s": done - started,
    }
    return status, condition
