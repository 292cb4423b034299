"""Are the lessons lessons? Same skeleton, short cells, clean commits, a working student copy."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.factories import run_lesson

LESSONS = sorted((Path(__file__).parents[1] / "lessons").glob("*.ipynb"))
SEED_CHECK = "check-output-seed"  # cell tag: its stored output is what the seed set prints


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
        assert "NBVAL" not in _source(cell), f"{path.name}: a test marker shows to learners"
        if SEED_CHECK in cell.get("metadata", {}).get("tags", []):
            assert cell["execution_count"] is not None and cell["outputs"], (
                f"{path.name}: a {SEED_CHECK} cell has no stored output to compare"
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
    own = Path(__file__).parent / "fixtures" / "sets" / "harbour-bridge"
    monkeypatch.setenv("KIT_ARTICLES", str(own))
    monkeypatch.setenv("KIT_ANNOTATIONS_DIR", str(tmp_path))
    text = run_lesson(path)
    assert "carney" not in text.lower(), f"{path.name} shows the default set's articles"


def _seed_checked_cells():
    for path in LESSONS:
        cells = [c for c in _cells(path) if c["cell_type"] == "code"]
        for cell in cells:
            if SEED_CHECK in cell.get("metadata", {}).get("tags", []):
                yield pytest.param(path, _source(cells[0]), cell, id=f"{path.stem}-{cell['id']}")


@pytest.mark.parametrize(("path", "setup", "cell"), list(_seed_checked_cells()))
def test_checked_cells_print_their_stored_output_on_the_seed_set(
    path, setup, cell, monkeypatch, tmp_path
):
    """The stored output of a tagged cell is what the seed set prints, whatever the course set.

    nbval would compare it with the course's set; this compares it with the seed set, by name.
    """
    import contextlib
    import io

    from tests.conftest import seed_path

    monkeypatch.setenv("KIT_ARTICLES", str(seed_path()))
    monkeypatch.setenv("KIT_ANNOTATIONS_DIR", str(tmp_path))
    namespace: dict = {}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(setup, namespace)
        exec(_source(cell), namespace)
    stored = "".join(
        "".join(o.get("text", "")) for o in cell["outputs"] if o.get("name") == "stdout"
    )
    assert out.getvalue() == stored, f"{path.name}: the seed set now prints something else"


def test_no_loop_rebinds_the_exercise_article():
    """A `for article in ...` loop would leave the next cells on another article."""
    for path in LESSONS:
        for cell in _cells(path):
            if cell["cell_type"] == "code":
                assert not re.search(r"^\s*for article in", _source(cell), re.M), (
                    f"{path.name}: a loop rebinds `article`:\n{_source(cell)}"
                )


SEED_ONLY = re.compile(r"\bfive (articles|reports|headlines)\b|articles\[\"[A-E]\"\]", re.I)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_prose_does_not_assume_the_seed_set(path):
    for cell in _cells(path):
        text = _source(cell)
        if "instructor" in cell.get("metadata", {}).get("tags", []):
            continue
        found = SEED_ONLY.search(text)
        assert not found or "course's own" in text, f"{path.name}: {found.group(0)!r} in {text}"


@pytest.mark.notebook
def test_a_broken_article_set_shows_the_kits_message_not_a_traceback(tmp_path, monkeypatch):
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    broken = tmp_path / "broken"
    broken.mkdir()
    monkeypatch.setenv("KIT_ARTICLES", str(broken))
    monkeypatch.setenv("KIT_ANNOTATIONS_DIR", str(tmp_path))
    nb = nbformat.read(LESSONS[1], as_version=4)
    with pytest.raises(CellExecutionError):  # the cell fails, so "Run All" stops there
        NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    first = next(c for c in nb.cells if c.cell_type == "code")
    shown = "".join(str(o.get("data", {}).get("text/html", "")) for o in first.outputs)
    assert "empty folder" in shown and str(broken) in shown
    assert not any(o.output_type == "error" for o in first.outputs)


@pytest.mark.parametrize("stem", ["01", "02", "03", "04"])
def test_each_skill_lesson_takes_on_a_misconception_head_on(stem):
    """Anonymous is not false, precise is not checked, loaded is not wrong, not "all media lie"."""
    (path,) = [p for p in LESSONS if p.stem.startswith(stem)]
    cells = _cells(path)
    heads = [
        i
        for i, c in enumerate(cells)
        if _source(c).lstrip().startswith(("## A common mistake", "## Two common mistakes"))
    ]
    points = [i for i, c in enumerate(cells) if _source(c).lstrip().startswith("## Key points")]
    assert heads and points and heads[-1] < points[-1], f"{path.name}: no misconception cell"


SKILL_LESSONS = [p for p in LESSONS if p.name[:2] != "00"]


@pytest.mark.parametrize("path", SKILL_LESSONS, ids=lambda p: p.stem)
def test_each_skill_lesson_opens_with_its_pre_check_and_ends_with_its_post_check(path):
    code = [_source(c) for c in _cells(path) if c["cell_type"] == "code"]
    number = path.name[:2]
    pre, post = f'kit.pre_check("{number}")', f'kit.post_check("{number}")'
    assert code[1] == pre, f"{path.name}: the cell after the setup should be {pre}"
    assert code[-1] == post, f"{path.name}: the last code cell should be {post}"


def test_lesson_three_practises_lateral_reading_on_the_courses_articles():
    (path,) = [p for p in LESSONS if p.name.startswith("03")]
    cells = _cells(path)
    at = [i for i, c in enumerate(cells) if _source(c) == "kit.lateral_reading(articles)"]
    assert len(at) == 1, f"{path.name}: one cell should run kit.lateral_reading(articles)"
    teaching = _source(cells[at[0] - 1])
    for move in ("Stop", "Investigate the source", "Find better coverage", "Trace"):
        assert move in teaching, f"{path.name}: the cell before the task should name {move!r}"


def test_the_instructor_guide_gives_each_lesson_the_time_its_notebook_gives():
    guide = (LESSONS[0].parent / "INSTRUCTOR.md").read_text(encoding="utf-8")
    for path in LESSONS:
        minutes = re.search(r"\*\*Time\*\* \| (\d+) minutes", _source(_cells(path)[0]))
        assert minutes, f"{path.name}: the first cell gives no time in minutes"
        row = re.search(rf"^\| {int(path.name[:2])}\. [^|]+\| (\d+) min \|", guide, re.M)
        assert row, f"INSTRUCTOR.md: no lesson-plan row for lesson {int(path.name[:2])}"
        assert row.group(1) == minutes.group(1), f"{path.name}: the guide says {row.group(1)}"
