"""Test-wide settings: fixtures shared by every test module, and the browser-skip guard."""

from __future__ import annotations

import os

import pytest

import kit

REQUIRE_BROWSER = os.environ.get("KIT_REQUIRE_BROWSER") == "1"
_skipped_browser: list[str] = []


@pytest.fixture(scope="session")
def articles() -> kit.ArticleSet:
    """The course's default article set (A to E)."""
    return kit.load_articles()


@pytest.fixture(autouse=True)
def _kit_in_doctests(doctest_namespace):
    doctest_namespace["kit"] = kit


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
