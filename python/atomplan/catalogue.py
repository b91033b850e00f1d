"""The built-in catalogue as pandas DataFrames, one row per record.

The records are the JSON view of ``atomplan catalogue … --format json`` (the
``atomplan_catalogue::json`` builders, shared with the web app's API): scalar fields become
columns, nested fields (costs, financing, sources, ``field_sources``) stay as Python objects in
their column.
"""

from __future__ import annotations

import json

import pandas as pd

from . import _atomplan

_INDEX = {"designs": "id", "projects": "id", "countries": "code", "sources": "id"}


def _frame(kind: str) -> pd.DataFrame:
    records = json.loads(_atomplan.catalogue_json(kind))
    frame = pd.DataFrame.from_records(records)
    index = _INDEX[kind]
    if index in frame.columns:
        frame = frame.set_index(index, drop=False)
        frame.index.name = index
    return frame


def designs() -> pd.DataFrame:
    """Reactor designs, one row per design (index: design id)."""
    return _frame("designs")


def projects() -> pd.DataFrame:
    """Real nuclear projects with their financing, one row per project (index: project id)."""
    return _frame("projects")


def countries() -> pd.DataFrame:
    """Country power systems, one row per country (index: ISO code)."""
    return _frame("countries")


def sources() -> pd.DataFrame:
    """Every source the catalogue cites, one row per source (index: source id)."""
    return _frame("sources")
