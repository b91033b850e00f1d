"""Studies: ``atomplan study run`` as a function returning the decision and every result table.

The run goes through the library's ``run_study`` (the same stages, SQLite store, resume and
outputs as the CLI); the result tables are read back from the CSV files it writes.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from . import _atomplan


@dataclass
class StudyRun:
    """What a study run produced."""

    #: The output folder.
    out: Path
    #: ``decision.json``: scenarios side by side, break-evens, tornado (empty when absent).
    decision: dict[str, Any]
    #: Every result table (``csv/NAME.csv``) as a DataFrame, by name.
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: The run summary (stages computed, reused and failed, files written, ranking, total_s).
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def report(self) -> Path:
        """The offline HTML report."""
        return Path(self.summary.get("report", self.out / "report.html"))


def run(path: str | os.PathLike[str], out: str | os.PathLike[str], force: bool = False) -> StudyRun:
    """Run the study file at ``path`` into the folder ``out`` (as ``atomplan study run``).

    Finished stages of an earlier run with the same inputs are reused. Raises ``ValueError``
    with every diagnostic when the study is invalid, ``RuntimeError`` when a stage cannot run.
    """
    out = Path(out)
    summary = json.loads(_atomplan.study_run(os.fspath(path), os.fspath(out), force))
    decision_path = out / "decision.json"
    decision = json.loads(decision_path.read_text(encoding="utf-8")) if decision_path.is_file() else {}
    tables = {}
    for csv in sorted((out / "csv").glob("*.csv")):
        tables[csv.stem] = pd.read_csv(csv)
    return StudyRun(out=out, decision=decision, tables=tables, summary=summary)
