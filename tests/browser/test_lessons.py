"""Does every lesson run top to bottom in a real JupyterLab, offline, with nothing broken?"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.browser import lab as labkit

LESSONS = sorted((labkit.REPO / "lessons").glob("*.ipynb"))


def _chart_cells(notebook: Path) -> int:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return sum("chart" in c.get("metadata", {}).get("tags", []) for c in cells)


def test_there_are_lessons():
    assert LESSONS, "no lessons found in lessons/"


@pytest.mark.parametrize("notebook", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_runs_in_jupyterlab(lab, lab_page, notebook):
    """Run All Cells as a learner would: no errors, no failed loads, charts drawn, no network."""
    rel = notebook.relative_to(labkit.REPO).as_posix()
    labkit.open_notebook(lab_page, lab, rel, lab_page.workspace)
    labkit.run_all(lab_page)
    seen = labkit.report(lab_page)

    assert seen.errors == [], f"{rel}: error outputs: {seen.errors}"
    assert seen.failed_loads == [], f"{rel}: the page shows {seen.failed_loads}"
    assert seen.blank_widgets == 0, f"{rel}: {seen.blank_widgets} widget(s) rendered blank"
    assert lab_page.watch.external == [], (
        f"{rel}: requests left the local JupyterLab (offline classroom would fail): "
        f"{sorted(set(lab_page.watch.external))[:5]}"
    )
    script_errors = [e for e in lab_page.watch.console_errors if "Failed to load" in e]
    assert script_errors == [], f"{rel}: scripts failed to load: {script_errors[:3]}"
    expected = _chart_cells(notebook)
    assert seen.charts_rendered >= expected, (
        f"{rel}: {expected} chart cell(s) but {seen.charts_rendered} chart(s) drawn"
    )
