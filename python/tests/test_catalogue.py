"""The catalogue as DataFrames: one row per record, the JSON view's fields as columns."""

from __future__ import annotations

import pandas as pd
import pytest

import atomplan
from conftest import ROOT

DATA = ROOT / "data"


@pytest.mark.parametrize(
    "table, folder, index",
    [("designs", "designs", "id"), ("projects", "projects", "id"), ("countries", "countries", "code")],
)
def test_one_row_per_record_file(table, folder, index):
    frame = getattr(atomplan.catalogue, table)()
    files = sorted(p.stem for p in (DATA / folder).glob("*.toml"))
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) == len(files), f"{table}: {len(frame)} rows for {len(files)} files in data/{folder}"
    assert frame.index.is_unique
    assert frame.index.name == index
    assert sorted(frame[index]) == sorted(frame.index)


def test_design_columns_and_dtypes():
    designs = atomplan.catalogue.designs()
    for column in ("net_mwe_per_module", "thermal_mwt", "capacity_factor", "plant_mwe"):
        assert designs[column].dtype == "float64", column
    assert designs["is_smr"].dtype == bool
    assert pd.api.types.is_string_dtype(designs["name"])
    # field_sources and source_details are nested: dicts and lists in object columns.
    assert isinstance(designs["field_sources"].iloc[0], dict)
    assert isinstance(designs["source_details"].iloc[0], list)
    # The SMR flag agrees with the JSON view's threshold (≤ 300 MWe per module).
    smr = designs[designs["is_smr"]]
    assert (smr["net_mwe_per_module"].dropna() <= 300.0).all()
    assert designs.loc["vver-1200", "net_mwe_per_module"] == pytest.approx(1109.0, abs=50.0)


def test_sources_cover_every_cited_id():
    sources = atomplan.catalogue.sources()
    assert {"id", "title", "publisher", "url", "year", "kind"} <= set(sources.columns)
    assert sources.index.is_unique
    cited = {s["id"] for ids in atomplan.catalogue.designs()["sources"] for s in ids}
    assert cited <= set(sources.index)
