"""Tests for kit.evaluate's contradiction score: found against keyed, findings not in the key."""

from __future__ import annotations

from kit._data import data_dir
from kit.articles import load_articles
from kit.evaluate import evaluate_contradictions, format_contradictions, main
from kit.keys import load_key

SEED = "carney-beijing-2026"


def test_seed_contradictions_are_scored() -> None:
    articles = load_articles(data_dir() / "articles" / SEED)
    score = evaluate_contradictions(articles, load_key(SEED, articles=articles))
    assert score.keyed == 7
    assert 3 <= score.found <= score.keyed  # weekday C/D, weekday D/E, ranking B/E
    assert score.false <= 1
    assert score.findings >= score.found
    line = format_contradictions(score, show_misses=True)
    assert f"found {score.found}/7" in line and "missed" in line


def test_command_line_prints_contradiction_figures(capsys) -> None:
    assert main([SEED]) == 0
    out = capsys.readouterr().out
    assert "contradictions" in out and "found " in out and "not in the key" in out
