"""The pre- and post-checks in a real JupyterLab: a learner picks answers, presses "Score my
answers", sees the score and the gain, and the scores are in their progress file."""

from __future__ import annotations

import json
import time

from kit.prepost import load_checks
from tests.browser import lab as labkit

LEARNER = "Check Clicker"
LESSON = "01"


def _expected(phase: str, pick: int) -> tuple[int, int]:
    """(right, total) when the learner picks option ``pick`` for every item of ``phase``."""
    items = load_checks(LESSON).items(phase)
    return sum(i.options[pick] == i.answer for i in items), len(items)


def _panel(page, index: int):
    panels = page.locator(".jp-OutputArea-output:has(.widget-radio-box)")
    panels.nth(index).wait_for(timeout=60_000)
    return panels.nth(index)


def _answer_all(panel, pick: int) -> None:
    for group in panel.locator(".widget-radio-box").all():
        labels = group.locator("label")
        labels.nth(pick if pick >= 0 else labels.count() + pick).click()


def _progress(lab, timeout: float = 30) -> dict:
    path = lab.annotations_dir / "check-clicker.progress.json"
    deadline = time.time() + timeout
    while time.time() < deadline:
        if path.exists():
            data = json.loads(path.read_text(encoding="utf-8"))
            checks = data["sections"].get("checks", {})
            if f"{LESSON}-post" in checks:
                return checks
        time.sleep(0.3)
    raise AssertionError(f"{path}: no post-check score saved; has {path.exists()}")


def test_score_button_scores_saves_and_shows_the_gain(lab, lab_page):
    page = lab_page
    name = labkit.write_notebook(
        lab,
        "checks_click.ipynb",
        "import kit\n"
        f"progress = kit.open_progress({LEARNER!r})\n"
        "from IPython.display import display\n"
        f"display(kit.pre_check({LESSON!r}, progress=progress))\n"
        f"display(kit.post_check({LESSON!r}, progress=progress))",
    )
    labkit.open_notebook(page, lab, name, page.workspace)
    labkit.run_all(page)

    pre = _panel(page, 0)
    # Pressing the button with questions open says which ones, and scores nothing.
    pre.get_by_role("button", name="Score my answers").click()
    pre.locator("text=Answer every question first").wait_for(timeout=30_000)

    _answer_all(pre, 0)
    pre.get_by_role("button", name="Score my answers").click()
    right, total = _expected("pre", 0)
    pre.locator(f"text={right} of {total}").first.wait_for(timeout=30_000)

    post = _panel(page, 1)
    _answer_all(post, -1)
    post.get_by_role("button", name="Score my answers").click()
    now, post_total = _expected("post", -1)
    gain = f"Before the lesson: {right} of {total}. Now: {now} of {post_total}."
    post.locator(f"text={gain}").first.wait_for(timeout=30_000)

    checks = _progress(lab)
    assert {k: v["score"] for k, v in checks.items() if k.startswith(LESSON)} == {
        f"{LESSON}-pre": right,
        f"{LESSON}-post": now,
    }
    assert page.watch.external == [], page.watch.external
