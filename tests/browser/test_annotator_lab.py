"""The annotator in a real JupyterLab: learners' work survives a reload and a kernel restart,
and a hostile article stays inert."""

from __future__ import annotations

import time

import pytest

from kit.annotations import read_annotations_file
from tests.browser import lab as labkit
from tests.browser.test_annotator_static import drag


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
        "kit.Annotator(kit.load_articles()['D'], store)",
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
