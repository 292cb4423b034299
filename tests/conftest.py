"""Fixtures shared by the test modules.

Tests that need the seed articles load them by name, never through the course setting, so the
suite passes whichever set ``data/course.toml`` or ``KIT_ARTICLES`` names for the lessons.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import kit
from kit._data import data_dir

SEED_SET = "carney-beijing-2026"


def seed_path() -> Path:
    """The folder of the seed articles, whatever set the course is switched to."""
    return data_dir() / "articles" / SEED_SET


def seed_articles() -> kit.ArticleSet:
    """The seed set (A to E), loaded by name."""
    return kit.load_articles(seed_path())


def seed_key() -> kit.AnswerKey:
    """The seed set's answer key, loaded by name."""
    return kit.load_key(SEED_SET, articles=seed_articles())


@pytest.fixture(scope="session")
def articles() -> kit.ArticleSet:
    """The seed article set (A to E), loaded by name."""
    return seed_articles()


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder anyone can enter (pytest's own tmp_path is private to its user)."""
    with tempfile.TemporaryDirectory() as name:
        os.chmod(name, 0o755)
        yield Path(name)
