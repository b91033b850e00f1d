import os
from typing import Any, Mapping

def lcoe(case: str | os.PathLike[str] | Mapping[str, Any]) -> dict[str, Any]:
    """The LCOE of a case, as ``atomplan econ lcoe --format json`` prints it."""

def monte_carlo(
    case: str | os.PathLike[str] | Mapping[str, Any],
    samples: int = 10_000,
    seed: int = 0,
    threads: int | None = None,
    bins: int = 20,
) -> dict[str, Any]:
    """Monte Carlo as ``atomplan econ mc``; ``values`` is a float64 numpy array."""
