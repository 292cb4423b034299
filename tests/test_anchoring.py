"""Tests for kit.anchoring: finding a highlight again after the article changed."""

from __future__ import annotations

import importlib.util
import itertools
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.anchoring import CONTEXT_CHARS, locate, quote_selector

BENCH = Path(__file__).resolve().parent.parent / "bench" / "bench_reanchor.py"


def stored(text: str, start: int, end: int) -> dict:
    exact, prefix, suffix = quote_selector(text, start, end)
    return {"exact": exact, "prefix": prefix, "suffix": suffix, "start": start}


def span_of(text: str, words: str) -> tuple[int, int]:
    i = text.index(words)
    return i, i + len(words)


def test_quote_selector_keeps_32_characters_of_context(articles):
    text = articles["C"].text
    exact, prefix, suffix = quote_selector(text, 200, 230)
    assert (exact, prefix, suffix) == (text[200:230], text[168:200], text[230:262])
    assert CONTEXT_CHARS == 32
    assert quote_selector(text, 0, 4)[1] == ""
    assert quote_selector(text, len(text) - 4, len(text))[2] == ""


def test_an_untouched_article_anchors_by_position(articles):
    text = articles["A"].text
    m = locate(text, **stored(text, 300, 340))
    assert (m.start, m.end, m.method, m.score) == (300, 340, "position", 100.0)


def test_does_a_quote_moved_by_an_insertion_still_anchor(articles):
    """Does a quote moved by 40 characters still anchor, verbatim?"""
    text = articles["B"].text
    sel = stored(text, 500, 540)
    new = text[:100] + "x" * 40 + text[100:]
    m = locate(new, **sel)
    assert (m.start, m.end, m.method) == (540, 580, "exact")
    assert new[m.start : m.end] == sel["exact"]


def test_an_insertion_right_before_the_quote_destroys_the_prefix_but_not_the_anchor(articles):
    text = articles["D"].text
    sel = stored(text, 800, 830)
    new = text[:800] + "A whole new sentence appears here. " + text[800:]
    m = locate(new, **sel)
    assert new[m.start : m.end] == sel["exact"] and m.start == 835


def test_step_by_step_damage_degrades_the_match_then_orphans(articles):
    """Each changed word lowers the score; past the minimum the annotation is orphaned."""
    art = articles["C"]
    text = art.text
    longest = max(art.body_sentences, key=len)  # a long quote: several steps before orphaning
    start, end = longest.start, longest.end
    sel = stored(text, start, end)
    words = list(re.finditer(r"\w{4,}", text[start:end]))
    scores = []
    damaged = text
    for k in range(len(words) + 1):
        m = locate(damaged, **sel)
        if m is None:
            break
        # wherever it anchors, it is on the (damaged) quoted passage, never elsewhere
        assert abs(m.start - start) <= 3 and abs(m.end - (end + k)) <= 3
        scores.append(m.score)
        if k == len(words):
            break
        w = words[k]
        # replace the k-th word by X's one character longer: same place, different word
        a, b = start + w.start() + k, start + w.end() + k
        damaged = damaged[:a] + "X" * (b - a + 1) + damaged[b:]
    assert scores[0] == 100.0
    assert len(scores) >= 3, "one or two changed words should still anchor (fuzzily)"
    assert all(x > y for x, y in itertools.pairwise(scores)), scores
    assert m is None, "a quote with every word replaced must be orphaned"


def test_a_deleted_quote_is_orphaned(articles):
    text = articles["A"].text
    start, end = span_of(text, "Canada")
    start = text.index("Canada", end)  # a later "Canada": others remain in the text
    sel = stored(text, start, start + 6)
    assert locate(text[:start] + text[start + 6 :], **sel) is None


def test_a_deleted_sentence_is_orphaned_even_if_its_words_occur_elsewhere(articles):
    art = articles["E"]
    sentence = art.body_sentences[2]
    text = art.text
    start = sentence.start
    end = start + len(text[start : sentence.end].split(" ")[0])
    sel = stored(text, start, end)
    new = text[: sentence.start] + text[sentence.end :]
    m = locate(new, **sel)
    assert m is None or (new[m.start : m.end], quote_selector(new, m.start, m.end)) == (
        sel["exact"],
        (sel["exact"], sel["prefix"], sel["suffix"]),
    )


def test_a_word_is_not_found_inside_another_word():
    text = "We met a man. Canada is big."
    sel = stored(text, 7, 8)  # the word "a"
    new = "We met  man. Canada is big."
    assert locate(new, **sel) is None


def test_a_duplicated_passage_anchors_to_the_copy_nearest_the_old_place():
    para = "The minister said the talks were useful and would continue next week. "
    text = "Intro line here. " + para + "Middle text that is long enough to matter. " + para
    start = text.rindex("talks were useful")
    sel = stored(text, start, start + len("talks were useful"))
    new = "New first line. " + text
    m = locate(new, **sel)
    assert m.start == start + len("New first line. ")


def test_two_equally_plausible_copies_are_not_guessed_between():
    """An inserted sentence that begins with the quoted word: orphan rather than guess."""
    text = "The first trip by a Canadian leader to China in nearly a decade began today."
    start = text.index("Canadian")
    sel = stored(text, start, start + len("Canadian"))
    new = text[:start] + "Canadian officials have said they expect progress soon. " + text[start:]
    assert locate(new, **sel) is None


def test_a_changed_word_inside_a_long_quote_moves_with_it(articles):
    text = articles["B"].text
    start, end = 900, 960
    while not text[start - 1].isspace():
        start += 1
    while text[end].isalnum():
        end += 1
    sel = stored(text, start, end)
    w = re.search(r"\w{5,}", text[start + 10 : end - 5])
    a, b = start + 10 + w.start(), start + 10 + w.end()
    new = text[:a] + "replaced" + text[b:]
    m = locate(new, **sel)
    assert m.method == "fuzzy"
    assert (m.start, m.end) == (start, end + len("replaced") - (b - a))


def test_empty_quote_is_never_anchored():
    assert locate("anything", exact="", prefix="", suffix="", start=0) is None


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(min_size=1, max_size=300),
    data=st.data(),
)
def test_unchanged_text_always_anchors_exactly_where_it_was(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    m = locate(text, **stored(text, start, end))
    assert (m.start, m.end, m.method) == (start, end, "position")


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(alphabet="ab c.", min_size=5, max_size=200),
    data=st.data(),
)
def test_whatever_is_found_is_the_quote_or_close_to_it(text, data):
    """On tiny-alphabet text full of repeats, a match may be refused but never be far off."""
    start = data.draw(st.integers(0, len(text) - 2))
    end = data.draw(st.integers(start + 1, min(len(text), start + 20)))
    sel = stored(text, start, end)
    cut = data.draw(st.integers(0, len(text)))
    insert = data.draw(st.text(alphabet="ab c.", max_size=10))
    new = text[:cut] + insert + text[cut:]
    m = locate(new, **sel)
    if m is not None and m.method != "fuzzy":
        assert new[m.start : m.end] == sel["exact"]


def _bench():
    spec = importlib.util.spec_from_file_location("bench_reanchor", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_edits_never_land_on_wrong_words():
    results = _bench().run(trials=25, seed=11)
    assert sum(c["wrong"] for c in results.values()) == 0
    # unedited-quote edits always re-anchor; deletions always orphan
    for kind in ("insert-before", "insert-adjacent", "change-context"):
        assert results[kind]["correct"] == 25, kind
    for kind in ("delete-quote", "delete-sentence"):
        assert results[kind]["correct"] == 25, kind
    assert results["change-word"]["correct"] >= 15


@pytest.mark.slow
def test_benchmark_at_full_size_never_lands_on_wrong_words():
    results = _bench().run(trials=200, seed=3)
    assert sum(c["wrong"] for c in results.values()) == 0
