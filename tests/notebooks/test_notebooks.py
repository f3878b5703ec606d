"""Every notebook in notebooks/ runs top to bottom without an error, and is committed without outputs (issue #7).

The kernel is ``python3``; jupyter_client starts a kernel whose command is ``python`` with the
interpreter running the tests, so the notebooks see this venv's ``cluster_planner``. Each
notebook checks its own solves with the independent checker (``check_plan``).
"""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
CELL_TIMEOUT = 300  # generous: a slow machine must not fail the test; the notebooks take seconds


def test_there_are_notebooks() -> None:
    assert {"01_term_plan.ipynb", "02_what_if.ipynb", "03_midterm_changes.ipynb"} <= {p.name for p in PATHS}


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for k, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name} cell {k} holds outputs"


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebook_runs_top_to_bottom(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=CELL_TIMEOUT,
        resources={"metadata": {"path": str(NOTEBOOKS)}},  # as Jupyter started in notebooks/
    )
    started = time.monotonic()
    client.execute()  # raises CellExecutionError naming the cell when one fails
    seconds = time.monotonic() - started
    kinds = {out.get("output_type") for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs}
    assert "error" not in kinds
    streams = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "DeprecationWarning" not in streams, f"{path.name} uses a deprecated call (issue #12 item 5)"
    images = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {})]
    if "plot." in "".join(c.source for c in nb.cells):
        assert images, f"{path.name} draws charts but none was shown"
    print(f"{path.name}: {seconds:.1f} s")
