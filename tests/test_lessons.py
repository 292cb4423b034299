"""Are the lessons lessons? Same skeleton, short cells, clean commits, a working student copy."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

LESSONS = sorted((Path(__file__).parents[1] / "lessons").glob("*.ipynb"))
MARK = "# NBVAL_CHECK_OUTPUT"


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    return "".join(cell["source"])


def test_lessons_are_numbered_from_zero():
    numbers = [int(p.name[:2]) for p in LESSONS]
    assert numbers == list(range(len(LESSONS))) and len(LESSONS) >= 6


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_skeleton_questions_objectives_time_and_key_points(path):
    cells = _cells(path)
    first = _source(cells[0])
    assert first.startswith("# "), "a lesson starts with its title"
    for field in ("**Questions**", "**Objectives**", "**Time**"):
        assert field in first, f"{path.name}: the first cell lacks {field}"
    assert re.search(r"\d+ minutes", first)
    assert "## Key points" in _source(cells[-1]), f"{path.name}: the last cell is not Key points"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_first_code_cell_loads_the_kit_and_articles(path):
    code = [_source(c) for c in _cells(path) if c["cell_type"] == "code"]
    assert code[0].startswith("import kit")
    assert "kit.load_articles()" in code[0]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_cells_are_short_and_helpers_live_in_the_kit(path):
    for cell in _cells(path):
        if cell["cell_type"] == "code":
            src = _source(cell)
            assert len(src.splitlines()) <= 20, f"{path.name}: a code cell is too long:\n{src}"
            assert not re.search(r"^\s*(def|class) ", src, re.M), (
                f"{path.name}: define helpers in kit/, not in a lesson:\n{src}"
            )


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_committed_without_widget_state_or_unchecked_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert "widgets" not in nb["metadata"], f"{path.name}: widget state committed"
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        if MARK in _source(cell):
            assert cell["execution_count"] is not None and cell["outputs"], (
                f"{path.name}: a {MARK} cell has no stored output for nbval to compare"
            )
        else:
            assert not cell["outputs"] and cell["execution_count"] is None, (
                f"{path.name}: outputs stored for a cell nbval does not check"
            )
    assert path.stat().st_size < 60_000, f"{path.name}: too big to diff well"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_chart_cell_is_tagged(path):
    for cell in _cells(path):
        if (
            cell["cell_type"] == "code"
            and "kit.charts." in _source(cell)
            and "=" not in _source(cell)
        ):
            assert "chart" in cell.get("metadata", {}).get("tags", []), _source(cell)


def test_instructor_cells_exist_and_student_copy_removes_them(tmp_path):
    from click.testing import CliRunner

    from kit.__main__ import cli

    tagged = sum(
        "instructor" in c.get("metadata", {}).get("tags", []) for p in LESSONS for c in _cells(p)
    )
    assert tagged >= len(LESSONS) - 1
    result = CliRunner().invoke(cli, ["student-copy", str(LESSONS[0].parent), str(tmp_path)])
    assert result.exit_code == 0, result.output
    for path in LESSONS:
        copy = _cells(tmp_path / path.name)
        assert not any(
            {"instructor", "solution"} & set(c.get("metadata", {}).get("tags", [])) for c in copy
        )
        assert len(copy) < len(_cells(path)) or not any(
            c.get("metadata", {}).get("tags") for c in _cells(path)
        )


@pytest.mark.notebook
@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_lesson_runs_on_an_instructors_own_articles(path, tmp_path, monkeypatch):
    """A folder of three .txt files with no manifest, key or quizzes: does each lesson run?"""
    import nbformat
    from nbclient import NotebookClient

    own = Path(__file__).parent / "fixtures" / "sets" / "harbour-bridge"
    monkeypatch.setenv("KIT_ARTICLES", str(own))
    monkeypatch.setenv("KIT_ANNOTATIONS_DIR", str(tmp_path))
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert not errors, f"{path.name}: {errors[0]['ename']}: {errors[0]['evalue']}"
    text = "\n".join(
        str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", ""))
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
    )
    assert "carney" not in text.lower(), f"{path.name} shows the default set's articles"
