"""Economics: the published NREL ATB 2024 LCOE, and Monte Carlo equal to the CLI's."""

from __future__ import annotations

import json
import os
import subprocess
import tomllib
from pathlib import Path

import numpy as np
import pytest

import atomplan
from conftest import ROOT

ECON = ROOT / "crates" / "atomplan-cli" / "tests" / "fixtures" / "econ"
ATB = ECON / "e1_atb_2024_nuclear_large.toml"
# NREL ATB 2024, nuclear Large, Moderate, R&D-only financials, CRP 30, 2030 (the CLI's test
# reference, crates/atomplan-cli/tests/it/econ.rs).
ATB_2024_LCOE = 96.91955170031575


def atomplan_binary() -> Path | None:
    """The CLI built by `cargo test` or `cargo build --release` (ATOMPLAN_BIN overrides)."""
    if os.environ.get("ATOMPLAN_BIN"):
        return Path(os.environ["ATOMPLAN_BIN"])
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    for profile in ("debug", "release"):
        if (target / profile / "atomplan").is_file():
            return target / profile / "atomplan"
    return None


@pytest.mark.parametrize("form", ["path", "str_path", "toml_text", "dict"])
def test_atb_2024_lcoe_matches_the_published_value(form):
    case = {
        "path": ATB,
        "str_path": str(ATB),
        "toml_text": ATB.read_text(),
        "dict": tomllib.loads(ATB.read_text()),
    }[form]
    result = atomplan.econ.lcoe(case)
    assert abs(result["lcoe_usd_per_mwh"] - ATB_2024_LCOE) <= 1e-6
    assert result["method"] == "atb"
    assert abs(result["crf"] - 0.0629786482470486) <= 1e-12


def test_monte_carlo_samples_are_a_numpy_array_and_seeded():
    one = atomplan.econ.monte_carlo(ATB, samples=2000, seed=11)
    two = atomplan.econ.monte_carlo(ATB, samples=2000, seed=11, threads=2)
    other = atomplan.econ.monte_carlo(ATB, samples=2000, seed=12)
    values = one["values"]
    assert isinstance(values, np.ndarray) and values.dtype == np.float64
    assert values.shape == (2000 - one["failed"],)
    assert np.array_equal(values, two["values"])
    assert not np.array_equal(values, other["values"])
    assert abs(one["lcoe_usd_per_mwh"] - ATB_2024_LCOE) <= 1e-9
    # The summary is the samples': mean and numpy's (linear) percentiles.
    assert one["mean_usd_per_mwh"] == pytest.approx(values.mean(), rel=1e-12)
    assert one["percentiles_usd_per_mwh"]["p50"] == pytest.approx(np.percentile(values, 50), rel=1e-12)


def test_monte_carlo_equals_the_cli():
    binary = atomplan_binary()
    if binary is None:
        pytest.skip("no atomplan binary (cargo build --release -p atomplan-cli, or ATOMPLAN_BIN)")
    out = subprocess.run(
        [str(binary), "econ", "mc", "--case", str(ATB), "--samples", "3000", "--seed", "5",
         "--values", "--format", "json"],
        capture_output=True, text=True, check=True,
    )
    cli = json.loads(out.stdout)
    ours = atomplan.econ.monte_carlo(ATB, samples=3000, seed=5)
    assert np.array_equal(ours["values"], np.asarray(cli["values"]))
    for key in ("lcoe_usd_per_mwh", "mean_usd_per_mwh", "sd_usd_per_mwh", "percentiles_usd_per_mwh",
                "histogram", "failed"):
        assert ours[key] == cli[key], key
    lcoe = subprocess.run(
        [str(binary), "econ", "lcoe", "--case", str(ATB), "--format", "json"],
        capture_output=True, text=True, check=True,
    )
    cli_lcoe = json.loads(lcoe.stdout)
    ours_lcoe = atomplan.econ.lcoe(ATB)
    assert {k: v for k, v in ours_lcoe.items() if k != "case_file"} == {
        k: v for k, v in cli_lcoe.items() if k != "case_file"
    }


def test_bad_case_names_the_field():
    case = tomllib.loads(ATB.read_text())
    case["atb"]["capacity_factor"] = 1.7
    with pytest.raises(ValueError, match="capacity_factor"):
        atomplan.econ.lcoe(case)
    case = tomllib.loads(ATB.read_text())
    case["atb"]["no_such_key"] = 1.0
    with pytest.raises(ValueError, match="no_such_key"):
        atomplan.econ.lcoe(case)
    with pytest.raises(ValueError, match="no such file"):
        atomplan.econ.lcoe("missing.toml")
    with pytest.raises(TypeError):
        atomplan.econ.lcoe(42)
    with pytest.raises(ValueError, match="samples"):
        atomplan.econ.monte_carlo(ATB, samples=0)
