"""The reference desk shows checked facts safely, with sources a learner can follow."""

from __future__ import annotations

from dataclasses import replace

import pytest

import kit
from kit.keys import Citation
from kit.reference import ReferenceDesk


def test_every_fact_has_a_status_and_cited_sources():
    desk = kit.reference_desk("carney-beijing-2026")
    assert len(desk.facts) >= 8
    for fact in desk.facts:
        assert fact.status in {"confirmed", "disputed", "unverifiable"}
        if fact.status != "unverifiable":
            assert fact.sources, fact.id
        for src in fact.sources:
            assert src.publisher and src.title and src.date and src.url.startswith("http")


def test_search_and_lookup():
    desk = kit.reference_desk("carney-beijing-2026")
    assert desk.search("trading partner")
    with pytest.raises(KeyError, match="no fact 'nope'"):
        desk["nope"]


def test_panel_escapes_everything_it_shows():
    desk = kit.reference_desk("carney-beijing-2026")
    fact = desk.facts[0]
    evil = replace(
        fact,
        topic="<script>alert(1)</script>",
        sources=(
            Citation("<b>P</b>", "<img src=x onerror=alert(1)>", "2026", "javascript:alert(1)"),
        ),
    )
    html = ReferenceDesk("x", (evil,))._repr_html_()
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html  # only http(s) links become links


# --------------------------------------------------------------------------- the seed set's desk

SEED = "carney-beijing-2026"
# Pages nobody could find in any public record, or hosts that are not a publisher's public
# site (a development server): a desk must not send a learner there.
_BANNED_HOSTS = ("finnewsnetwork.com.au", "albawaba.com", "dev-v4.", "semafor.com/article/10/27")


@pytest.fixture(scope="module")
def seed_desk() -> ReferenceDesk:
    return kit.reference_desk(SEED)


def test_every_source_says_publisher_title_date_and_url(seed_desk):
    for fact in seed_desk.facts:
        for src in fact.sources:
            where = f"{fact.id}: {src.url}"
            assert src.publisher.strip() and src.title.strip(), where
            assert "no title" not in src.title and "page address" not in src.title, where
            assert src.date != "n.d.", f"{where}: write 'unknown' when the page shows no date"
            assert src.url.startswith(("https://", "http://")), where


def test_no_source_is_on_a_banned_host(seed_desk):
    urls = [s.url for f in seed_desk.facts for s in f.sources]
    assert not [u for u in urls if any(host in u for host in _BANNED_HOSTS)]


def test_carney_flew_out_of_vancouver_not_ottawa(seed_desk):
    finding = seed_desk["visit-dates"].finding
    assert "Vancouver" in finding and "Ottawa" not in finding
    for fact in seed_desk.facts:
        assert "left Ottawa" not in fact.finding, fact.id


def test_china_is_not_second_for_exports(seed_desk):
    # The Daily, January 8, 2026, table 1 (October 2025): the UK is ahead of China for exports.
    rank = seed_desk["trade-partner-rank"].finding
    assert "for both exports and imports" not in rank and "United Kingdom" in rank
    exports = seed_desk["us-export-destination"]
    assert "China third" in exports.finding
    assert not [s for s in exports.sources if "China was second" in s.note]


def test_the_ap_headline_is_not_a_web_address(seed_desk):
    finding = seed_desk["article-c-origin"].finding
    assert "'China urging Canada" not in finding
    assert "as Carney visits Beijing" in finding


def test_the_panel_shows_a_byline_when_the_page_names_one(seed_desk):
    html = seed_desk._repr_html_()
    bylined = [s for f in seed_desk.facts for s in f.sources if s.byline]
    assert bylined and all(s.byline in html for s in bylined)
