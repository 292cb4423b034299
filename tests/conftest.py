"""Fixtures shared by the test modules."""

from __future__ import annotations

import pytest

import kit


@pytest.fixture(scope="session")
def articles() -> kit.ArticleSet:
    """The course's default article set (A to E)."""
    return kit.load_articles()
