"""Everything under data/ loads: every article set, answer key, reference desk and quiz file."""

from __future__ import annotations

import pytest

import kit
from kit._data import data_dir
from kit.checks import quiz, quiz_file
from kit.keys import load_key, load_reference

SETS = sorted(p.name for p in (data_dir() / "articles").iterdir() if p.is_dir())
KEYS = sorted(p.stem for p in (data_dir() / "keys").glob("*.toml"))
QUIZZES = sorted(p.stem for p in (data_dir() / "quizzes").glob("*.toml"))


def test_the_seed_set_and_at_least_four_others_ship():
    assert "carney-beijing-2026" in SETS and len(SETS) >= 5


@pytest.mark.parametrize("name", SETS)
def test_article_set_loads_with_a_manifest_that_says_what_is_unknown(name):
    articles = kit.load_articles(data_dir() / "articles" / name)
    assert len(articles) >= 3
    assert (articles.path / "manifest.toml").is_file(), "shipped sets document their sources"
    assert articles.sides, f"{name}: [set.sides] is needed for voice share"


@pytest.mark.parametrize("name", KEYS)
def test_every_key_belongs_to_a_set_and_points_at_its_text(name):
    assert name in SETS, f"data/keys/{name}.toml has no article set"
    articles = kit.load_articles(data_dir() / "articles" / name)
    key = load_key(name, articles=articles)
    assert len(key.items) >= 5 * len(articles), "a shipped key marks every article in full"
    for item in key.items:
        assert articles[item.article_id].text[item.start : item.end] == item.exact


@pytest.mark.parametrize("name", KEYS)
def test_reference_desk_when_present_backs_every_reference(name):
    facts = (
        {f.id for f in load_reference(name)}
        if (data_dir() / "reference" / f"{name}.toml").is_file()
        else set()
    )
    articles = kit.load_articles(data_dir() / "articles" / name)
    for item in load_key(name, articles=articles).items:
        assert set(item.references) <= facts, (name, item.exact, item.references)


@pytest.mark.parametrize("name", QUIZZES)
def test_quiz_files_are_well_formed(name):
    data = quiz_file(name)
    articles = kit.load_articles(data_dir() / "articles" / name)
    for topic, article_id in data.get("exercises", {}).items():
        assert article_id in articles, (
            f"{name}: exercise {topic} names missing article {article_id}"
        )
    ids = [q["id"] for q in data.get("quiz", [])]
    assert len(ids) == len(set(ids)), f"{name}: duplicate quiz ids"
    for quiz_id in ids:
        check = quiz(quiz_id, set_name=name)
        assert check.check(check.answer).correct


def test_lessons_only_ask_for_quizzes_that_exist():
    import json
    import re
    from pathlib import Path

    wanted = set()
    for path in (Path(__file__).parents[1] / "lessons").glob("*.ipynb"):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            wanted |= set(re.findall(r'kit\.quiz\("([^"]+)"\)', "".join(cell["source"])))
    have = {q["id"] for q in quiz_file("carney-beijing-2026").get("quiz", [])}
    assert wanted and wanted <= have, wanted - have
