"""The native module (Rust, PyO3). Use the functions of ``atomplan`` instead."""

from typing import Any

import numpy as np

def solve_frames(
    name: str,
    statics: list[tuple[str, list[tuple[str, Any]]]],
    series: list[tuple[str, str, list[str], np.ndarray]],
    threads: int = 1,
    options: list[tuple[str, str]] = ...,
) -> dict[str, Any]: ...
def plan_frames(
    name: str,
    statics: list[tuple[str, list[tuple[str, Any]]]],
    series: list[tuple[str, str, list[str], np.ndarray]],
    plan_text: str,
    plan_file: str,
) -> str: ...
def json_to_toml(json: str) -> str: ...
def version() -> str: ...
def catalogue_json(kind: str) -> str: ...
def study_run(path: str, out: str, force: bool = False) -> str: ...
def econ_lcoe(kind: str, value: str) -> str: ...
def econ_monte_carlo(
    kind: str, value: str, samples: int, seed: int, threads: int | None = None, bins: int = 20
) -> tuple[str, np.ndarray]: ...
