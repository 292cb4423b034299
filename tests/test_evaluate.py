"""Tests for kit.evaluate's contradiction score: found against keyed, findings not in the key."""

from __future__ import annotations

from types import SimpleNamespace

import kit.compare
from kit._data import data_dir
from kit.articles import load_articles
from kit.compare import Contradiction, Evidence
from kit.evaluate import evaluate_contradictions, format_contradictions, main
from kit.keys import load_key

SEED = "carney-beijing-2026"


def test_seed_contradictions_are_scored() -> None:
    articles = load_articles(data_dir() / "articles" / SEED)
    score = evaluate_contradictions(articles, load_key(SEED, articles=articles))
    assert score.keyed == 5
    assert 3 <= score.found <= score.keyed  # weekday C/D, weekday D/E, ranking B/E
    assert score.false <= 1
    assert score.findings >= score.found
    line = format_contradictions(score, show_misses=True)
    assert f"found {score.found}/5" in line and "missed" in line


def test_command_line_prints_contradiction_figures(capsys) -> None:
    assert main([SEED]) == 0
    out = capsys.readouterr().out
    assert "contradictions" in out and "found " in out and "not in the key" in out


def test_command_line_pools_several_sets(capsys) -> None:
    sets = [SEED, "marrowgate-mill-vote"]
    assert main(sets) == 0
    out = capsys.readouterr().out
    assert out.count("== ") == 3 and "== pooled over the 2 sets above" in out
    pooled_part = out.split("== pooled", 1)[1]
    per_set = {}
    for name in sets:
        articles = load_articles(data_dir() / "articles" / name)
        score = evaluate_contradictions(articles, load_key(name, articles=articles))
        per_set[name] = score
    keyed = sum(s.keyed for s in per_set.values())
    found = sum(s.found for s in per_set.values())
    assert f"found {found}/{keyed}" in pooled_part


def test_command_line_one_set_has_no_pooled_table(capsys) -> None:
    assert main([SEED]) == 0
    assert "pooled" not in capsys.readouterr().out


class _Scene:
    """A small set written to ``folder``, with helpers that point at words in its articles."""

    def __init__(self, folder, texts: dict[str, str]) -> None:
        folder.mkdir()
        for name, text in texts.items():
            (folder / f"{name}.txt").write_text(text, encoding="utf-8")
        self.arts = load_articles(folder)
        self.name = folder.name

    def ev(self, aid: str, words: str, nth: int = 0) -> Evidence:
        """Where the ``nth`` (from 0) ``words`` stand in article ``aid``."""
        text, start = self.arts[aid].text, -1
        for _ in range(nth + 1):
            start = text.index(words, start + 1)
        return Evidence(aid, start, start + len(words))

    def key(self, a: tuple[str, str], b: tuple[str, str], fact: str) -> SimpleNamespace:
        """A key holding one contradiction between ``a`` and ``b`` (article id, words)."""

        def side(aid: str, words: str) -> tuple[str, int, int, str]:
            e = self.ev(aid, words)
            return (aid, e.start, e.end, words)

        pair = SimpleNamespace(a=side(*a), b=side(*b), fact=fact)
        return SimpleNamespace(set_name=self.name, contradictions=[pair])


def _score(scene: _Scene, key: SimpleNamespace, found: list[Contradiction], monkeypatch):
    monkeypatch.setattr(kit.compare, "find_contradictions", lambda _arts: found)
    score = evaluate_contradictions(scene.arts, key)
    return score.found, score.restated, score.false


def test_same_figure_again_in_one_article_restates_the_key(tmp_path, monkeypatch) -> None:
    scene = _Scene(
        tmp_path / "cost",
        {
            "a": "Cost\n\nThe plan will cost about $2.4 million, the city said.\n",
            "b": "A $4 MILLION STUNT\n\nThe council will drain roughly $4 million from the fund.\n",
            "c": "Budget\n\nStaff expect the $2.4 million figure to rise.\n",
        },
    )
    key = scene.key(("a", "about $2.4 million"), ("b", "roughly $4 million"), "cost")
    ev = scene.ev
    headline = Contradiction(ev("b", "$4 MILLION"), ev("c", "$2.4 million"), "cost", "amount", "r")
    other = Contradiction(ev("a", "the city"), ev("c", "Staff"), "x", "amount", "r")
    assert _score(scene, key, [headline, other], monkeypatch) == (0, 1, 1)


def test_the_same_number_in_other_words_restates_the_key(tmp_path, monkeypatch) -> None:
    scene = _Scene(
        tmp_path / "jobs",
        {
            "a": "Mill\n\nThe closure will cost 640 jobs.\n",
            "b": "Mill\n\nThe mill employs around 600 people.\n",
            "c": "Blog\n\nThe money will reach the 640 people losing their jobs.\n",
        },
    )
    key = scene.key(("a", "640 jobs"), ("b", "around 600 people"), "jobs")
    ev = scene.ev
    again = Contradiction(ev("b", "around 600 people"), ev("c", "640 people"), "j", "amount", "r")
    assert _score(scene, key, [again], monkeypatch) == (0, 1, 0)
