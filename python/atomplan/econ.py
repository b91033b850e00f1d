"""Economics: LCOE and Monte Carlo on econ case files, the same numbers as the CLI.

A case is what ``atomplan econ lcoe --case FILE`` takes (docs/methods/economics.md): a path to
the TOML file, the TOML text itself, or a dict with the file's structure. Cases are parsed by
``atomplan_econ::case_file``, the CLI's own parser, so errors name the same fields.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from . import _atomplan


def _case(case: Any) -> tuple[str, str]:
    if isinstance(case, Mapping):
        return "json", json.dumps(dict(case))
    if isinstance(case, os.PathLike):
        return "path", os.fspath(case)
    if isinstance(case, str):
        if "\n" in case or "=" in case:
            return "toml", case
        if not Path(case).is_file():
            raise ValueError(f"case: no such file `{case}` (nor is it TOML text)")
        return "path", case
    raise TypeError(f"case must be a path, TOML text or a dict, not {type(case).__name__}")


def lcoe(case: Any) -> dict[str, Any]:
    """The LCOE of a case, as ``atomplan econ lcoe --format json`` prints it (a dict).

    The keys depend on the method: ``lcoe_usd_per_mwh`` always, with the method's components
    (for ATB: ``crf``, ``fcr``, ``capital_usd_per_mwh``, …), ``inputs`` and the case's header
    (``method``, ``name``, ``price_year``, ``sources``); a cash-flow case has its
    ``cash_flow_table``.
    """
    kind, value = _case(case)
    return json.loads(_atomplan.econ_lcoe(kind, value))


def monte_carlo(
    case: Any,
    samples: int = 10_000,
    seed: int = 0,
    threads: int | None = None,
    bins: int = 20,
) -> dict[str, Any]:
    """Monte Carlo over the case's ``[[mc.input]]`` entries, as ``atomplan econ mc``.

    Returns the CLI's JSON keys (``lcoe_usd_per_mwh`` deterministic, ``mean_usd_per_mwh``,
    ``sd_usd_per_mwh``, ``percentiles_usd_per_mwh``, ``histogram``, ``failed``, …) with
    ``values``: the valid samples' LCOE in sample order, a float64 numpy array. Results depend
    only on ``seed``, not on ``threads``.
    """
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
        raise ValueError(f"samples must be an int ≥ 1, not {samples!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be an int ≥ 0, not {seed!r}")
    kind, value = _case(case)
    summary, values = _atomplan.econ_monte_carlo(kind, value, samples, seed, threads, bins)
    result = json.loads(summary)
    result["values"] = np.asarray(values)
    return result
