import os
from typing import Any, Mapping

__version__: str

def optimize(
    n: Any,
    planning: str | os.PathLike[str] | Mapping[str, Any] | None = None,
    solver_options: Mapping[str, Any] | None = None,
    threads: int = 1,
) -> tuple[str, str]:
    """Solve a ``pypsa.Network`` with atomplan and write the results back into it.

    Returns PyPSA's ``(status, condition)``, e.g. ``("ok", "optimal")``.
    """

from . import catalogue as catalogue
from . import study as study
from . import econ as econ
