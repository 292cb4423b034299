"""Session-wide test settings for unit tests, doctests in kit/, and nbval over lessons/."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

import kit

REQUIRE_BROWSER = os.environ.get("KIT_REQUIRE_BROWSER") == "1"
_skipped_browser: list[str] = []
_scratch: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    # Learners' files written by doctests and by lesson kernels (which inherit this
    # environment) go to a scratch folder, never into the real lessons/my-annotations/.
    if "KIT_ANNOTATIONS_DIR" not in os.environ:
        folder = tempfile.mkdtemp(prefix="kit-annotations-")
        _scratch.append(folder)
        os.environ["KIT_ANNOTATIONS_DIR"] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    for folder in _scratch:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def _kit_in_doctests(request, doctest_namespace, monkeypatch):
    doctest_namespace["kit"] = kit
    # The docstring examples show the course's own seed articles ("A" to "E"). Pin them to that
    # set so the examples still hold when KIT_ARTICLES points the lessons at another set.
    if isinstance(request.node, pytest.DoctestItem):
        monkeypatch.setenv("KIT_ARTICLES", "carney-beijing-2026")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and "browser" in report.keywords:
        _skipped_browser.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # CI installs Chromium and sets KIT_REQUIRE_BROWSER=1: there a skipped browser test means
    # the browser tests did not run, which must fail the build rather than pass quietly.
    if REQUIRE_BROWSER and _skipped_browser:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(
                f"KIT_REQUIRE_BROWSER=1 but {len(_skipped_browser)} browser test(s) were skipped:",
                red=True,
            )
            for nodeid in _skipped_browser[:10]:
                reporter.write_line(f"  {nodeid}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
