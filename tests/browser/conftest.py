"""Fixtures for the real-browser tests: one JupyterLab and one Chromium per test session."""

from __future__ import annotations

import pytest

from tests.browser import lab as labkit


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    """A headless Debian Chromium driven by Playwright (skips, with the reason, when absent)."""
    path = labkit.chromium_path()
    if path is None:
        pytest.skip("Chromium not found: install Debian's chromium or set KIT_CHROMIUM")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=labkit.CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def lab(tmp_path_factory, chromium):
    """A JupyterLab on 127.0.0.1 with a token, serving a copy of the repository."""
    server = labkit.start_lab(tmp_path_factory.mktemp("lab"))
    yield server
    server.stop()


@pytest.fixture
def lab_page(chromium, lab, request):
    """A fresh page in its own JupyterLab workspace, watching console errors and requests."""
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    watch = labkit.PageWatch(lab.origin)
    watch.attach(page)
    page.watch = watch
    page.workspace = "t" + str(abs(hash(request.node.nodeid)))
    yield page
    page.close()
