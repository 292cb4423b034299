"""Do the lessons' tables read as a person would write them, on any article set?"""

from __future__ import annotations

import re

import pandas as pd

import kit
from kit.tables import clean_cut, contradictions_list, notes_table, tidy_table, title_line
from tests.test_course import FIXTURES


def test_numbers_and_booleans_show_as_people_write_them():
    page = tidy_table(pd.DataFrame({"value": [142e9, 4.25, None], "ok": [True, False, True]}))
    html = page.to_html()
    assert "142,000,000,000" in html and "142000000000" not in html and "4.25" in html
    assert ">2025<" in tidy_table(pd.DataFrame({"year": [2025.0]})).to_html()
    assert "Yes" in html and "No" in html and "True" not in html and "—" in html


def test_dates_show_as_people_write_them_not_as_iso_codes():
    page = tidy_table(pd.DataFrame({"value": ["2026-01-14", "--03-03", "--01", "Monday"]}))
    html = page.to_html()
    for shown in ("14 January 2026", "3 March", "January", "Monday"):
        assert f">{shown}<" in html, shown
    assert "--03" not in html and "2026-01-14" not in html


def test_an_indexed_frame_keeps_its_index_as_a_column():
    frame = pd.DataFrame({"a": [1]}, index=pd.Index(["day"], name="fact"))
    assert "fact" in tidy_table(frame).to_html() and "day" in tidy_table(frame).to_html()


def test_clean_cut_stops_at_a_word_and_says_so():
    text = "The government-run newspaper said the heavy price was paid for following others"
    cut = clean_cut(text, 40)
    assert cut.endswith("…") and len(cut) <= 41
    assert text.startswith(cut[:-1]) and text[len(cut) - 1] == " "
    assert clean_cut("short one", 40) == "short one"


def test_an_article_without_a_headline_is_named_by_its_first_words(articles):
    line = title_line(articles["C"])
    assert "unknown" not in line and line.startswith("Article C (no headline, it begins “")
    assert title_line(articles["A"]) == f"Article A: {articles['A'].headline}"


def test_editors_notes_cite_paragraphs_not_lines(articles):
    notes = notes_table(articles).data["note"].tolist()
    assert notes and not any(re.search(r"\bline \d", n, re.I) for n in notes)
    assert any("paragraph" in n.lower() for n in notes)


def test_a_set_without_notes_gets_no_empty_headings():
    own = kit.load_articles(FIXTURES / "harbour-bridge")
    rows = notes_table(own).data
    assert len(rows) == 1 and "no editor's notes" in rows["note"][0]


def test_contradictions_are_listed_escaped_on_any_set(articles):
    own = kit.load_articles(FIXTURES / "harbour-bridge")
    clashes = kit.find_contradictions(own)
    page = contradictions_list(own)._repr_html_()
    assert page.count("<li>") == len(clashes) > 0
    assert "white-space:normal" in page and "<pre" not in page
    for c in clashes:
        assert c.a.article_id in page and "paragraph" in page
    assert "no two articles" in contradictions_list([])._repr_html_()
