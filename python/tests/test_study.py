"""atomplan.study.run on the Kazakhstan flagship reduced as the CLI's tests reduce it."""

from __future__ import annotations

import pandas as pd
import pytest

import atomplan


def test_reduced_flagship_runs_and_returns_tables(reduced_study):
    study, out, run = reduced_study
    assert run.summary["stages_failed"] == []
    assert (out / "report.html").is_file()
    assert run.report == out / "report.html"
    # The decision: every scenario side by side, with the candidates ranked.
    assert set(run.decision) >= {"scenarios", "candidates"}
    assert len(run.summary["ranking"]) == 4
    # Every result table as a DataFrame, with the rows of its CSV file.
    assert {"capacity", "dispatch", "lcoe", "decision_scenarios", "emissions"} <= set(run.tables)
    for name, frame in run.tables.items():
        assert isinstance(frame, pd.DataFrame)
        assert len(frame) == len(pd.read_csv(out / "csv" / f"{name}.csv")), name
    lcoe = run.tables["lcoe"]
    assert len(lcoe) == 4
    assert any(pd.api.types.is_float_dtype(dtype) for dtype in lcoe.dtypes)


def test_a_second_run_reuses_every_stage(reduced_study):
    study, out, first = reduced_study
    again = atomplan.study.run(study, out)
    assert again.summary["stages_computed"] == []
    assert again.decision == first.decision


def test_invalid_study_names_the_key(tmp_path, reduced_study):
    study, _, _ = reduced_study
    bad = tmp_path / "bad.toml"
    bad.write_text(study.read_text().replace("[options]\n", "[options]\nno_such_option = 1\n"))
    with pytest.raises(ValueError, match=r"bad\.toml:\d+.*no_such_option"):
        atomplan.study.run(bad, tmp_path / "out")
    assert not (tmp_path / "out").exists()
