"""The consultant notebooks in notebooks/ run from top to bottom without an error.

They are stored without outputs and executed here with nbclient, from the repository root (the notebooks
use paths relative to it), so they cannot rot as the library changes.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
CELL_TIMEOUT = 600  # seconds; the notebooks take well under a minute, but a cold machine trains the mapper


def test_the_three_consultant_notebooks_are_there():
    assert [path.name for path in NOTEBOOKS] == [
        "01_explore_an_org.ipynb", "02_custom_role_model.ipynb", "03_reorg_what_if.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_is_stored_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(not cell.outputs and cell.execution_count is None for cell in code)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_uses_only_the_public_api(path):
    notebook = nbformat.read(path, as_version=4)
    source = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    private = re.findall(r"\banalyzer(?:\.\w+)*\._\w+|\bimport\s+_\w+|\bfrom\s+analyzer\S*\s+import\s+.*\b_\w+", source)
    assert not private, f"{path.name} uses private names: {private}"
    assert "../shared" not in source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_runs_without_error(path):
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=CELL_TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(REPO)}})
    client.execute()  # raises CellExecutionError, with the failing cell and traceback, on any error
    errors = [output for cell in notebook.cells for output in cell.get("outputs", ())
              if output.get("output_type") == "error"]
    assert not errors
