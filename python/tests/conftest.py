"""Shared fixtures: the repository's PyPSA fixture networks, read by PyPSA 1.4 itself."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "crates" / "atomplan-model" / "tests" / "fixtures"

# PyPSA's solver settings of the fixtures' references (milp/make_fixtures.py): one thread, a
# zero MIP gap so both sides reach the same optimum of a MILP.
HIGHS_OPTIONS = {
    "threads": 1,
    "random_seed": 0,
    "mip_rel_gap": 0,
    "output_flag": False,
}


def pytest_configure(config: pytest.Config) -> None:
    import pypsa

    pypsa.options.api.legacy_string_dtype = True
    # n.objective without the constant of existing extendable capacity (PyPSA 2.0's default).
    pypsa.options.params.optimize.include_objective_constant = False
    logging.getLogger("pypsa").setLevel(logging.ERROR)
    logging.getLogger("linopy").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning)


def load(folder: Path):
    import pypsa

    return pypsa.Network(str(folder))


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


def write_reduced_study(folder: Path) -> Path:
    """The Kazakhstan flagship reduced as crates/atomplan-cli/tests/it/study.rs reduces it: one
    demand scenario's samples cut, four representative days, break-even searches and tornado
    off."""
    text = (ROOT / "studies" / "kazakhstan-first-npp.toml").read_text()
    for old, new in [
        ("monte_carlo_samples = 2000", "monte_carlo_samples = 100"),
        ("adequacy_samples = 100", "adequacy_samples = 20"),
        ("representative_days = 12", "representative_days = 4"),
        ("[options]\n", "[options]\nbreakeven = false\ntornado = false\n"),
    ]:
        assert old in text, old
        text = text.replace(old, new)
    path = folder / "study.toml"
    path.write_text(text)
    return path


@pytest.fixture(scope="session")
def reduced_study(tmp_path_factory):
    """(study file, output folder, StudyRun) of one run shared by the study and notebook tests."""
    import atomplan

    folder = tmp_path_factory.mktemp("study")
    study = write_reduced_study(folder)
    out = folder / "out"
    return study, out, atomplan.study.run(study, out)
