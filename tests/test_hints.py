"""Detector hints: detector hits mapped to learner tags through the taxonomy's hint_kinds."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

import kit
from kit.hints import Hint, hints, load_tags

HINT_KINDS = {kind: t.id for t in kit.load_taxonomy() for kind in t.hint_kinds}


# ----------------------------------------------------------------------------- the mapping


@dataclass(frozen=True)
class _Att:
    start: int
    end: int
    kind: str
    reason: str


@dataclass(frozen=True)
class _Fig:
    start: int
    end: int
    kind: str
    attributed: bool
    reason: str
    source: str | None = None


@dataclass(frozen=True)
class _Cue:
    start: int
    end: int
    kind: str
    quoted: bool
    reason: str


@pytest.fixture
def fake_detectors(monkeypatch):
    """Stand-in detectors with one hit of each sort, to test the mapping on its own."""
    hits = {
        "att": [
            _Att(0, 5, "named", "named"),
            _Att(10, 20, "anonymous", "no name"),
            _Att(30, 35, "organization", "collective"),
        ],
        "fig": [
            _Fig(40, 44, "money", False, "no source", source="estimates"),
            _Fig(50, 54, "percent", True, "sourced"),
        ],
        "cue": [
            _Cue(60, 67, "loaded", False, "judges"),
            _Cue(70, 75, "loaded", True, "quoted"),
            _Cue(80, 85, "hedge", False, "softens"),
            _Cue(90, 96, "label", False, "side"),
        ],
    }
    monkeypatch.setattr("kit.sources.find_attributions", lambda a: hits["att"])
    monkeypatch.setattr("kit.figures.find_figures", lambda a: hits["fig"])
    monkeypatch.setattr("kit.framing.find_framing", lambda a: hits["cue"])
    return hits


def test_each_detector_kind_maps_to_its_tag(articles, fake_detectors):
    got = [(h.start, h.tag, h.kind) for h in hints(articles["A"])]
    assert got == [
        (0, "named-source", "attribution:named"),
        (10, "anonymous-source", "attribution:anonymous"),
        (30, "organization-source", "attribution:organization"),
        (40, "unsourced-figure", "figure:unattributed"),  # "according to estimates" is unsourced
        (60, "loaded-language", "framing:loaded"),
        (80, "hedge", "framing:hedge"),
        (90, "framing-label", "framing:label"),
    ]  # the sourced figure and the quoted loaded word give no hint


def test_reasons_come_from_the_detectors(articles, fake_detectors):
    assert [h.reason for h in hints(articles["A"])][:2] == ["named", "no name"]


def test_tags_filter_keeps_only_those_tags(articles, fake_detectors):
    found = hints(articles["A"], tags=["hedge", "anonymous-source"])
    assert [h.tag for h in found] == ["anonymous-source", "hedge"]


def test_duplicate_hits_give_one_hint(articles, monkeypatch, fake_detectors):
    double = [_Att(0, 5, "named", "a"), _Att(0, 5, "named", "b")]
    monkeypatch.setattr("kit.sources.find_attributions", lambda a: double)
    assert [h.start for h in hints(articles["A"]) if h.tag == "named-source"] == [0]


def test_hint_is_small_and_frozen():
    h = Hint(1, 2, "hedge", "framing:hedge", "why")
    with pytest.raises(AttributeError):
        h.start = 5  # type: ignore[misc]
    assert not hasattr(h, "__dict__")


def test_tags_come_from_the_taxonomy():
    tags = load_tags()
    assert [t.id for t in tags] == [t.id for t in kit.load_taxonomy()]
    assert all(t.label and t.colour.startswith("#") for t in tags)


# ----------------------------------------------------------------------------- real detectors


@pytest.mark.parametrize("article_id", ["A", "B", "C", "D", "E"])
def test_hints_on_the_seed_articles_are_well_formed(articles, article_id):
    a = articles[article_id]
    found = hints(a)
    assert found, f"no hints at all on article {article_id}"
    assert found == sorted(found, key=lambda h: (h.start, h.end, h.tag))
    assert len({(h.start, h.end, h.tag) for h in found}) == len(found)
    for h in found:
        assert 0 <= h.start < h.end <= len(a.text)
        assert a.text[h.start : h.end].strip()
        assert HINT_KINDS[h.kind] == h.tag
        assert h.reason.strip()
        assert not a.is_boilerplate(h.start, h.end)


def test_seed_hints_cover_every_detector(articles):
    kinds = {h.kind.split(":")[0] for a in articles for h in hints(a)}
    assert kinds == {"attribution", "figure", "framing"}


def test_quoted_framing_cues_are_not_hints(articles):
    from kit.framing import find_framing

    for a in articles:
        quoted = {(c.start, c.end) for c in find_framing(a) if c.quoted}
        framing = {(h.start, h.end) for h in hints(a) if h.kind.startswith("framing:")}
        assert not quoted & framing


def test_attributed_figures_are_not_hints(articles):
    from kit.figures import find_figures

    for a in articles:
        sourced = {(f.start, f.end) for f in find_figures(a) if f.attributed}
        figures = {(h.start, h.end) for h in hints(a) if h.kind == "figure:unattributed"}
        assert not sourced & figures


def test_hints_work_on_a_folder_without_manifest():
    from pathlib import Path

    unicode_set = kit.load_articles(Path(__file__).parent / "fixtures" / "articles-unicode")
    for a in unicode_set:
        for h in hints(a):
            assert a.text[h.start : h.end].strip()
