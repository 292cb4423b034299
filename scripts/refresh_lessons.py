"""Re-run the lessons and keep only the outputs that nbval checks.

    python scripts/refresh_lessons.py lessons/*.ipynb

Cells whose source contains ``# NBVAL_CHECK_OUTPUT`` keep their outputs and execution count,
so nbval compares them on every test run. Every other cell is cleared, and the widget state
(which for an offline altair chart holds about 900 KB of JavaScript) is dropped, so the
committed notebooks stay small and diff well.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

MARK = "# NBVAL_CHECK_OUTPUT"


def refresh(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if MARK not in cell.source:
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)
    print(f"refreshed {path}")


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        refresh(Path(arg))
