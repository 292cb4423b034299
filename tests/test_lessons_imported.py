"""Every lesson runs on a set made only with `kit new-set`, `kit import` and `kit key`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import kit
from tests.factories import run_lesson
from tests.imported_set import NAME, REAL, REPO, build_imported_course

LESSONS = sorted((REPO / "lessons").glob("*.ipynb"))


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("course") / "data"
    shutil.copytree(REPO / "data", data, ignore=shutil.ignore_patterns("demo-class"))
    build_imported_course(data)
    return data


def test_the_imported_set_keeps_the_texts_and_says_what_is_unknown(course, monkeypatch):
    monkeypatch.setenv("KIT_DATA_DIR", str(course))
    monkeypatch.delenv("KIT_ARTICLES", raising=False)
    articles = kit.load_articles()
    assert articles.path.name == NAME and len(articles) == 4
    originals = {p.read_text(encoding="utf-8").strip() for p in sorted(REAL.glob("*.txt"))}
    for a in articles:
        assert a.text.strip() in originals  # pasted text kept verbatim
        assert a.outlet and a.byline and a.published  # given, or "unknown"
    key = kit.load_key(articles=articles)
    assert key.items and not any(item.draft for item in key.items)


@pytest.mark.notebook
@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_lesson_runs_on_the_imported_set(path, course, tmp_path, monkeypatch):
    monkeypatch.setenv("KIT_DATA_DIR", str(course))
    monkeypatch.delenv("KIT_ARTICLES", raising=False)
    monkeypatch.setenv("KIT_ANNOTATIONS_DIR", str(tmp_path))
    text = run_lesson(path)
    assert "carney" not in text.lower(), f"{path.name} shows the default set's articles"
    assert "Key Bridge" in text or "Dali" in text, f"{path.name} shows none of the imported set"
