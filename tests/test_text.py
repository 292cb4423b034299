"""Tests for kit._text: finding direct quotations (the file reader is tested with the loader)."""

from __future__ import annotations

from kit._text import inside, quotation_spans
from kit.framing import find_framing


def quoted(text: str) -> list[str]:
    return [text[s:e] for s, e in quotation_spans(text)]


def test_curly_and_straight_pairs_within_a_paragraph() -> None:
    text = 'She said “we are ready” and he said "so are we" on Monday.'
    assert quoted(text) == ["“we are ready”", '"so are we"']


def test_a_quotation_over_several_paragraphs_opens_each_and_closes_once() -> None:
    # The printer's convention: every paragraph of a long quotation opens with a mark, and
    # only the last one closes it.
    text = (
        "The mayor released this statement:\n\n"
        "“We cut the budget twice.\n\n"
        "“We will not cut it again.”\n\n"
        "The council meets on Friday."
    )
    assert quoted(text) == ["“We cut the budget twice.", "“We will not cut it again.”"]


def test_straight_marks_over_several_paragraphs() -> None:
    text = '"First we voted.\n\nThen we waited.\n\nNow we act."\n\nThe vote was close.'
    assert quoted(text) == ['"First we voted.\n\nThen we waited.\n\nNow we act."']


def test_a_curly_opening_may_close_with_a_straight_mark() -> None:
    text = '“It has been very hard to reach the villages," the official said.'
    assert quoted(text) == ['“It has been very hard to reach the villages,"']


def test_a_cut_text_that_ends_inside_a_quotation() -> None:
    text = "The senator said:\n\n“This bill is a mistake, and it will cost families dearly."
    assert quoted(text) == ["“This bill is a mistake, and it will cost families dearly."]


def test_a_stray_mark_inside_a_paragraph_quotes_nothing() -> None:
    text = "The 12“ pipe burst on Monday.\n\nCrews fixed it by noon."
    assert quoted(text) == []


def test_loaded_words_in_a_continued_quotation_belong_to_the_speaker() -> None:
    text = (
        "Representative Ann Doe released the following statement:\n\n"
        "“This is a disgraceful bill.\n\n"
        "“It is a reckless giveaway.”"
    )
    cues = {c.term: c.quoted for c in find_framing(text, kinds=["loaded"])}
    assert cues["disgraceful"] and cues["reckless"]
    spans = quotation_spans(text)
    assert inside(spans, text.index("reckless"), text.index("reckless") + 8)
