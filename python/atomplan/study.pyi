import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

@dataclass
class StudyRun:
    out: Path
    decision: dict[str, Any]
    tables: dict[str, pd.DataFrame]
    summary: dict[str, Any]
    @property
    def report(self) -> Path: ...

def run(path: str | os.PathLike[str], out: str | os.PathLike[str], force: bool = False) -> StudyRun:
    """Run the study file at ``path`` into ``out`` (as ``atomplan study run``)."""
