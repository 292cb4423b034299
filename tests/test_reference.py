"""The reference desk shows checked facts safely, with sources a learner can follow."""

from __future__ import annotations

from dataclasses import replace

import pytest

import kit
from kit.keys import Citation
from kit.reference import ReferenceDesk


def test_every_fact_has_a_status_and_cited_sources():
    desk = kit.reference_desk()
    assert len(desk.facts) >= 8
    for fact in desk.facts:
        assert fact.status in {"confirmed", "disputed", "unverifiable"}
        if fact.status != "unverifiable":
            assert fact.sources, fact.id
        for src in fact.sources:
            assert src.publisher and src.title and src.date and src.url.startswith("http")


def test_search_and_lookup():
    desk = kit.reference_desk()
    assert desk.search("trading partner")
    with pytest.raises(KeyError, match="no fact 'nope'"):
        desk["nope"]


def test_panel_escapes_everything_it_shows():
    desk = kit.reference_desk()
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
