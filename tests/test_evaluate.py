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


def test_same_figure_again_in_one_article_restates_the_key(tmp_path, monkeypatch) -> None:
    from types import SimpleNamespace

    import kit.compare
    from kit.compare import Contradiction, Evidence

    folder = tmp_path / "cost"
    folder.mkdir()
    texts = {
        "a": "Cost\n\nThe plan will cost about $2.4 million, the city said.\n",
        "b": "A $4 MILLION STUNT\n\nThe council will drain roughly $4 million from the fund.\n",
        "c": "Budget\n\nStaff expect the $2.4 million figure to rise.\n",
    }
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    arts = load_articles(folder)

    def ev(aid: str, words: str, nth: int = 0) -> Evidence:
        text = arts[aid].text
        start = text.index(words) if nth == 0 else text.index(words, text.index(words) + 1)
        return Evidence(aid, start, start + len(words))

    def side(aid: str, words: str) -> tuple[str, int, int, str]:
        e = ev(aid, words)
        return (aid, e.start, e.end, words)

    key = SimpleNamespace(
        set_name="cost",
        contradictions=[
            SimpleNamespace(
                a=side("a", "about $2.4 million"), b=side("b", "roughly $4 million"), fact="cost"
            )
        ],
    )
    headline = Contradiction(ev("b", "$4 MILLION"), ev("c", "$2.4 million"), "cost", "amount", "r")
    other = Contradiction(ev("a", "the city"), ev("c", "Staff"), "x", "amount", "r")
    monkeypatch.setattr(kit.compare, "find_contradictions", lambda _arts: [headline, other])
    score = evaluate_contradictions(arts, key)
    assert (score.found, score.restated, score.false) == (0, 1, 1)


def test_the_same_number_in_other_words_restates_the_key(tmp_path, monkeypatch) -> None:
    from types import SimpleNamespace

    import kit.compare
    from kit.compare import Contradiction, Evidence

    folder = tmp_path / "jobs"
    folder.mkdir()
    texts = {
        "a": "Mill\n\nThe closure will cost 640 jobs.\n",
        "b": "Mill\n\nThe mill employs around 600 people.\n",
        "c": "Blog\n\nThe money will reach the 640 people losing their jobs.\n",
    }
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    arts = load_articles(folder)

    def ev(aid: str, words: str) -> Evidence:
        start = arts[aid].text.index(words)
        return Evidence(aid, start, start + len(words))

    def side(aid: str, words: str) -> tuple[str, int, int, str]:
        e = ev(aid, words)
        return (aid, e.start, e.end, words)

    key = SimpleNamespace(
        set_name="jobs",
        contradictions=[
            SimpleNamespace(a=side("a", "640 jobs"), b=side("b", "around 600 people"), fact="jobs")
        ],
    )
    again = Contradiction(ev("b", "around 600 people"), ev("c", "640 people"), "j", "amount", "r")
    monkeypatch.setattr(kit.compare, "find_contradictions", lambda _arts: [again])
    score = evaluate_contradictions(arts, key)
    assert (score.found, score.restated, score.false) == (0, 1, 0)
