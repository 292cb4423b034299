"""Every lesson in a real JupyterLab on a course switched to a set made with `kit import`."""

from __future__ import annotations

import pytest

from tests.browser import lab as labkit
from tests.browser.test_lessons import LESSONS
from tests.imported_set import build_imported_course


@pytest.fixture(scope="module")
def imported_lab(tmp_path_factory, chromium):
    """A JupyterLab on a copy of the repository whose course.toml names the imported set."""
    server = labkit.start_lab(
        tmp_path_factory.mktemp("lab-imported"),
        prepare=lambda root: build_imported_course(root / "data"),
        # This test is about course.toml naming the set: KIT_ARTICLES, if set, would win.
        unset=("KIT_ARTICLES",),
    )
    yield server
    server.stop()


@pytest.mark.parametrize("notebook", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_runs_on_the_imported_set(imported_lab, chromium, notebook, request):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.watch = labkit.PageWatch(imported_lab.origin)
    page.watch.attach(page)
    try:
        rel = notebook.relative_to(labkit.REPO).as_posix()
        labkit.open_notebook(page, imported_lab, rel, "imp" + str(abs(hash(request.node.nodeid))))
        labkit.run_all(page)
        seen = labkit.report(page)
        assert seen.errors == [], f"{rel}: error outputs: {seen.errors}"
        assert seen.failed_loads == [], f"{rel}: the page shows {seen.failed_loads}"
        assert seen.blank_widgets == 0, f"{rel}: {seen.blank_widgets} widget(s) rendered blank"
        assert page.watch.external == [], f"{rel}: requests left the local JupyterLab"
        shown = " ".join(page.locator(".jp-OutputArea").all_inner_texts())
        assert "Carney" not in shown, f"{rel}: outputs show the default set's articles"
        assert "Key Bridge" in shown or "Dali" in shown, f"{rel}: none of the imported set shown"
    finally:
        page.close()
