"""atomplan in Python.

- :func:`optimize` solves a PyPSA 1.x network in memory with atomplan's model (HiGHS) and
  writes the results back into it, as ``n.optimize()`` does.
- :mod:`atomplan.catalogue`: reactor designs, projects, countries and sources as DataFrames.
- :mod:`atomplan.econ`: LCOE and Monte Carlo on econ case files (as ``atomplan econ``).
- :mod:`atomplan.study`: run a study file (as ``atomplan study run``).
"""

from . import _atomplan
from . import catalogue, econ, study
from ._pypsa import optimize

__version__ = _atomplan.version()

__all__ = ["optimize", "catalogue", "econ", "study", "__version__"]
