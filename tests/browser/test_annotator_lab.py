"""The annotator in a real JupyterLab: learners' work survives a reload and a kernel restart,
a hostile article stays inert, and the whole loop works from the keyboard alone."""

from __future__ import annotations

import time

import pytest

from kit.annotations import read_annotations_file
from tests.browser import lab as labkit
from tests.browser.test_annotator_static import drag

# The seed set by its folder (the served copy of the repository is the kernel's working folder),
# whatever set the course is switched to.
SEED_PATH = labkit.SEED_PATH


def _wait_for_widget(page) -> None:
    try:
        page.wait_for_selector(".kit-annotator .kit-seg", timeout=60_000)
    except Exception:
        outputs = page.locator(".jp-OutputArea-output").all_inner_texts()
        pytest.fail(f"the annotator did not render; outputs: {outputs}")


def _saved(lab, stem: str, want: int, timeout: float = 30) -> list:
    deadline, saved = time.time() + timeout, []
    while time.time() < deadline and len(saved) < want:
        files = list(lab.annotations_dir.glob(f"{stem}.json"))
        saved = read_annotations_file(files[0]) if files else []
        time.sleep(0.3)
    return saved


def _select(page, phrase: str) -> None:
    """Scroll the phrase into view, then drag over it with the mouse."""
    page.evaluate(
        """(phrase) => { for (const p of document.querySelectorAll('.kit-ptext'))
                          if (p.textContent.includes(phrase)) {
                            p.scrollIntoView({block: 'center'}); return; } }""",
        phrase,
    )
    time.sleep(0.3)
    drag(page, phrase)


def _marked_texts(page) -> set[str]:
    return set(page.locator("mark.kit-seg").all_inner_texts())


def test_highlight_survives_page_reload_and_kernel_restart(lab, lab_page):
    """Select, tag, see it on screen and in the file; reload; restart the kernel: still there."""
    page = lab_page
    name = labkit.write_notebook(
        lab,
        "reload_check.ipynb",
        "import kit\n"
        "store = kit.open_store('Reload Tester')\n"
        f"kit.Annotator(kit.load_articles('{SEED_PATH}')['D'], store)",
    )
    labkit.open_notebook(page, lab, name, page.workspace)
    labkit.run_all(page)
    _wait_for_widget(page)

    _select(page, "Official Chinese data")
    page.locator(".kit-tag[data-tag='anonymous-source']").click()
    page.wait_for_selector("mark.kit-seg", timeout=30_000)
    assert "Official Chinese data" in "".join(_marked_texts(page))
    saved = _saved(lab, "reload-tester", 1)
    assert [(a.exact, a.tag) for a in saved] == [("Official Chinese data", "anonymous-source")]

    # A reload of the browser tab: the widget redraws from the kernel and the file.
    page.reload()
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook", timeout=60_000)
    labkit.wait_kernel_idle(page)
    labkit.run_all(page)
    _wait_for_widget(page)
    page.wait_for_selector("mark.kit-seg", timeout=30_000)
    assert "Official Chinese data" in "".join(_marked_texts(page))

    # A kernel restart: everything in memory is gone; the learner's file brings it back.
    labkit.menu(page, "Kernel", "Restart Kernel and Run All Cells")
    labkit.dismiss_dialogs(page)
    time.sleep(3)
    labkit.wait_kernel_idle(page)
    _wait_for_widget(page)
    page.wait_for_selector("mark.kit-seg", timeout=30_000)
    assert "Official Chinese data" in "".join(_marked_texts(page))
    assert len(_saved(lab, "reload-tester", 1)) == 1  # nothing duplicated or lost


def test_hostile_article_stays_inert_in_jupyterlab(lab, lab_page):
    """<script>, onerror, onload, srcdoc and ontoggle in an article are shown as text."""
    page = lab_page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    name = labkit.write_notebook(
        lab,
        "hostile_check.ipynb",
        "import kit\n"
        "hostile = kit.load_articles('tests/fixtures/articles-hostile')\n"
        "kit.Annotator(hostile[0], kit.open_store('Hostile Tester'), hints=True)",
    )
    labkit.open_notebook(page, lab, name, page.workspace)
    labkit.run_all(page)
    _wait_for_widget(page)
    time.sleep(1)

    widget = page.locator(".kit-annotator")
    assert page.evaluate("window.__kitPwned") is None
    assert dialogs == []
    for tag in ("script", "img", "svg", "iframe", "details", "a"):
        assert widget.locator(f".kit-text {tag}").count() == 0, f"a <{tag}> element was created"
    text = widget.locator(".kit-text").inner_text()
    assert "<script>window.__kitPwned" in text
    assert "<img src=x onerror=" in text and "<details open ontoggle=" in text
    assert page.watch.external == []


# ----------------------------------------------------------------------------- keyboard alone

_STATE = """() => {
  const nb = window.jupyterapp.shell.currentWidget.content;
  const a = document.activeElement;
  return {inside: Boolean(a && a.closest('.kit-annotator')), cell: nb.activeCellIndex,
          mode: nb.mode, cls: a ? a.className : '', tag: a && a.dataset ? a.dataset.tag : null};
}"""


def _write_cells(lab, name: str, *cells: str) -> str:
    import json

    nb = {
        "cells": [
            {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
             "source": src}
            for src in cells
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }  # fmt: skip
    (lab.root / name).write_text(json.dumps(nb), encoding="utf-8")
    return name


def test_keyboard_alone_highlights_saves_removes_and_gets_feedback(lab, lab_page):
    """Tab into the widget, then keys only: tag words, note and save a card, delete a highlight,
    toggle the help, and run the feedback cell. After every key, focus is still in the widget
    and JupyterLab has not moved to another cell (arrow keys must not reach command mode)."""
    page = lab_page
    name = _write_cells(
        lab,
        "keyboard_check.ipynb",
        "import kit\n"
        f"arts = kit.load_articles('{SEED_PATH}')\n"
        "store = kit.open_store('Keyboard Tester')\n"
        "kit.Annotator(arts['A'], store, tags=['anonymous-source', 'hedge'])",
        "kit.feedback(store, kit.load_key('carney-beijing-2026', articles=arts), "
        "article='A', tags=['anonymous-source'])",
    )
    labkit.open_notebook(page, lab, name, page.workspace)
    labkit.run_all(page)
    _wait_for_widget(page)
    page.locator(".jp-Cell").first.click(position={"x": 5, "y": 5})  # the learner's cell
    start = page.evaluate(_STATE)["cell"]

    def press(*keys: str) -> dict:
        for key in keys:
            page.keyboard.press(key)
            time.sleep(0.15)
            state = page.evaluate(_STATE)
            assert state["inside"], f"after {key!r} focus left the widget: {state}"
            assert state["cell"] == start, f"after {key!r} the notebook moved: {state}"
        return state

    # Tab from the cell into the article text.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('kit-text')"):
            break
    else:
        pytest.fail("the article text cannot be reached with the Tab key in JupyterLab")

    # 1. Select "Canadian officials" with the arrow keys and tag it from the toolbar.
    press("Home")
    for _ in range(12):
        if page.locator(".kit-caret").first.inner_text() == "Canadian":
            break
        press("ArrowDown")
    assert page.locator(".kit-caret").first.inner_text() == "Canadian"
    press("Shift+ArrowRight", "Enter")
    assert press("ArrowRight")["tag"] == "hedge"  # arrows move between tag buttons...
    assert press("ArrowLeft")["tag"] == "anonymous-source"  # ...and never to the next cell
    press("Enter")
    saved = _saved(lab, "keyboard-tester", 1)
    assert [(a.exact, a.tag) for a in saved] == [("Canadian officials", "anonymous-source")]
    assert "kit-text" in page.evaluate(_STATE)["cls"]  # back in the text

    # 2. A second highlight with a number key: 2 = Hedge, on the word under the caret.
    press("ArrowRight", "2")
    assert len(_saved(lab, "keyboard-tester", 2)) == 2

    # 3. Open the first highlight, type a note, save the card: the caret moves on after it.
    press("[", "[")
    assert page.locator(".kit-caret").first.inner_text() == "Canadian"
    press("Enter")
    assert page.locator(".kit-panel").is_visible()
    press("Tab")
    page.keyboard.type("who exactly?")
    press("Tab", "Enter")  # Save
    deadline = time.time() + 30
    while time.time() < deadline:
        notes = [a.note for a in _saved(lab, "keyboard-tester", 2)]
        if "who exactly?" in notes:
            break
        time.sleep(0.3)
    assert "who exactly?" in notes
    assert page.locator(".kit-panel").count() == 0
    assert page.locator(".kit-caret").first.inner_text() != "Canadian"  # the caret moved on

    # 4. Open the hedge highlight and delete it.
    press("]")
    press("Enter")
    press("Tab", "Tab", "Tab", "Enter")  # tag, note, Save, Delete
    deadline = time.time() + 30
    while time.time() < deadline and len(_saved(lab, "keyboard-tester", 9, timeout=0.5)) != 1:
        time.sleep(0.3)
    assert [a.tag for a in _saved(lab, "keyboard-tester", 1)] == ["anonymous-source"]

    # 5. The keyboard help, reached with Shift+Tab, opened with Enter, arrows going nowhere.
    for _ in range(30):
        page.keyboard.press("Shift+Tab")
        if "kit-help-toggle" in page.evaluate(_STATE)["cls"]:
            break
    else:
        pytest.fail("the keyboard help cannot be reached with Shift+Tab")
    press("ArrowDown", "ArrowUp", "ArrowRight", "Enter")
    assert page.locator(".kit-keys").is_visible()
    cells = page.evaluate(
        """() => [...document.querySelectorAll('.kit-keys tbody tr')].map(tr =>
             [...tr.children].map(c => Math.round(c.getBoundingClientRect().left)))"""
    )
    assert len(cells) >= 6 and all(len(row) == 2 for row in cells)
    assert len({row[0] for row in cells}) == 1 and len({row[1] for row in cells}) == 1, cells

    # 6. Feedback: Shift+Enter runs the widget's cell (a notebook key the widget lets through),
    # then the feedback cell.
    page.keyboard.press("Shift+Enter")
    labkit.wait_kernel_idle(page)
    time.sleep(1)
    page.keyboard.press("Shift+Enter")
    labkit.wait_kernel_idle(page)
    out = page.locator(".jp-Cell").nth(1).locator(".jp-OutputArea-output")
    out.first.wait_for(timeout=30_000)
    text = out.first.inner_text()
    assert "Canadian officials" in text or "Anonymous source" in text, text
    assert page.watch.external == []


def test_a_second_notebook_on_the_same_learner_shows_new_highlights(lab, lab_page, chromium):
    """Two notebooks (two kernels) on one learner: a highlight saved in the first appears in
    the second within seconds, with nothing saved or re-run there."""
    source = (
        "import kit\n"
        f"arts = kit.load_articles('{SEED_PATH}')\n"
        "kit.Annotator(arts['A'], kit.open_store('Two Notebooks'))"
    )
    first = _write_cells(lab, "two_first.ipynb", source)
    second = _write_cells(lab, "two_second.ipynb", source)
    other = chromium.new_page(viewport={"width": 1280, "height": 900})
    try:
        for page, name, space in ((lab_page, first, "a"), (other, second, "b")):
            labkit.open_notebook(page, lab, name, lab_page.workspace + space)
            labkit.run_all(page)
            _wait_for_widget(page)
        assert other.locator("mark.kit-seg").count() == 0

        _select(lab_page, "Canadian officials")
        lab_page.locator(".kit-tag[data-tag='anonymous-source']").click()
        assert [a.exact for a in _saved(lab, "two-notebooks", 1)] == ["Canadian officials"]

        other.bring_to_front()
        other.wait_for_selector("mark.kit-seg", timeout=20_000)
        assert "Canadian officials" in "".join(_marked_texts(other))
    finally:
        other.close()
