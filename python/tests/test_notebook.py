"""The notebook in examples/ runs from top to bottom (nbclient, a real Jupyter kernel)."""

from __future__ import annotations

import os

import nbformat
from nbclient import NotebookClient

from conftest import ROOT

NOTEBOOK = ROOT / "examples" / "atomplan-python.ipynb"


def test_notebook_executes(reduced_study, monkeypatch):
    study, out, _ = reduced_study
    # The kernel inherits the environment: point the study cell at the reduced study already
    # run by the session fixture, so its stages are reused.
    monkeypatch.setenv("ATOMPLAN_NOTEBOOK_STUDY", str(study))
    monkeypatch.setenv("ATOMPLAN_NOTEBOOK_OUT", str(out))
    monkeypatch.setenv("ATOMPLAN_ROOT", str(ROOT))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "ok optimal" in text
    assert "ranking:" in text
    assert os.environ["ATOMPLAN_NOTEBOOK_OUT"] == str(out)
