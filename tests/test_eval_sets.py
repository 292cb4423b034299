"""The evaluation sets: articles the detectors were not tuned on, with hand-made answer keys.

These tests guard the sets themselves (they load, every key item points at real text, tags
are valid, the keys are rich enough to score against), not the detectors.
"""

from __future__ import annotations

import importlib.util
from collections import Counter

import pytest
import tomllib

from kit._data import data_dir
from kit._text import inside, quotation_spans
from kit.articles import load_articles

# What each set must offer to be worth scoring against. The real set is short, neutral
# Wikinews text on related events (so no contradictions and few loaded words); the invented
# set is written to carry every kind of evidence, in four house styles.
EVAL_SETS = {
    "wikinews-earthquakes": {
        "real": True,
        "words": (100, 600),
        "items": 50,
        "contradictions": 0,
        "tags": {
            "named-source": 3,
            "organization-source": 6,
            "anonymous-source": 2,
            "unsourced-figure": 20,
            "sourced-figure": 15,
            "hedge": 1,
            "loaded-language": 1,
        },
        "every_article": {"unsourced-figure"},
    },
    "marrowgate-mill-vote": {
        "real": False,
        "words": (300, 600),
        "items": 120,
        "contradictions": 5,
        "tags": {
            "named-source": 10,
            "organization-source": 6,
            "anonymous-source": 10,
            "unsourced-figure": 30,
            "sourced-figure": 12,
            "loaded-language": 10,
            "hedge": 6,
            "framing-label": 4,
            "opinion-as-fact": 2,
        },
        "every_article": {"unsourced-figure", "sourced-figure", "loaded-language"},
    },
}
SOURCE_KINDS = {
    "named-source": "named",
    "organization-source": "organization",
    "anonymous-source": "anonymous",
}
# Tags whose words may sit inside a direct quotation (they then carry quoted = true).
QUOTABLE = {"loaded-language", "hedge", "framing-label"}


def _key(name: str) -> dict:
    with open(data_dir() / "keys" / f"{name}.toml", "rb") as f:
        return tomllib.load(f)


def _taxonomy_tags() -> set[str]:
    with open(data_dir() / "taxonomy.toml", "rb") as f:
        return {t["id"] for t in tomllib.load(f)["tag"]}


def _locate(text: str, quote: str, occurrence: int) -> int:
    """Start of the nth occurrence of ``quote`` in ``text``, or -1."""
    at = -1
    for _ in range(occurrence):
        at = text.find(quote, at + 1)
        if at < 0:
            return -1
    return at


@pytest.fixture(scope="module", params=sorted(EVAL_SETS))
def eval_set(request):
    name = request.param
    return name, load_articles(data_dir() / "articles" / name), _key(name)


def _manifest(name: str) -> dict:
    with open(data_dir() / "articles" / name / "manifest.toml", "rb") as f:
        return tomllib.load(f)


def test_set_loads_with_manifest(eval_set):
    name, articles, _ = eval_set
    least, most = EVAL_SETS[name]["words"]
    assert 3 <= len(articles) <= 4
    assert articles.title and articles.title != name  # the manifest's title, not the folder's
    assert len(articles.sides) >= 2
    for article in articles:
        assert least <= article.word_count <= most, (article.id, article.word_count)
        assert article.boilerplate, f"{name}/{article.id}: page furniture should be marked"
        if article.headline != "unknown":
            assert article.headline_span is not None


def test_real_text_is_credited_with_its_licence(eval_set):
    name, _, _ = eval_set
    if not EVAL_SETS[name]["real"]:
        pytest.skip("invented set: nothing to credit")
    manifest = _manifest(name)
    assert "CC BY 2.5" in " ".join(manifest["set"]["notes"])
    for entry in manifest["article"]:
        credit = " ".join(entry["notes"])
        assert "Wikinews" in credit and "CC BY 2.5" in credit, entry["file"]
        assert "wikinews.org" in credit or "wikiactu" in credit, entry["file"]


def test_sets_exercise_awkward_characters(eval_set):
    name, articles, _ = eval_set
    if EVAL_SETS[name]["real"]:
        pytest.skip("real text is kept exactly as found")
    text = "".join(a.text for a in articles)
    assert "\u00a0" in text, f"{name}: no non-breaking space to trip a detector"
    assert "“" in text and "’" in text, f"{name}: no curly quotes"


def test_key_header(eval_set):
    name, _, key = eval_set
    assert key["key"]["set"] == name
    assert key["key"]["schema_version"] == 1
    assert key["key"]["method"].strip() and key["key"]["annotators"].strip()


def test_every_key_item_points_at_its_text(eval_set):
    name, articles, key = eval_set
    valid = _taxonomy_tags() | {"sourced-figure"}
    for number, item in enumerate(key["item"], start=1):
        where = f"{name} item {number} ({item.get('quote')!r})"
        assert item["article"] in articles, where
        assert item["tag"] in valid, where
        assert item["explanation"].strip(), where
        text = articles[item["article"]].text
        start = _locate(text, item["quote"], item.get("occurrence", 1))
        assert start >= 0, f"{where}: quote not found in article {item['article']}"
        end = start + len(item["quote"])
        assert not articles[item["article"]].is_boilerplate(start, end), f"{where}: in furniture"
        if item["tag"] in SOURCE_KINDS:
            assert item.get("kind") == SOURCE_KINDS[item["tag"]], where
        else:
            assert "kind" not in item, where
        in_quote = inside(quotation_spans(text), start, end)
        if item["tag"] in QUOTABLE:
            assert item.get("quoted", False) == in_quote, f"{where}: quoted flag is wrong"
        else:
            assert "quoted" not in item, where


def test_occurrence_is_needed_only_for_repeated_quotes(eval_set):
    # An occurrence number on a quote that appears once is a sign of a stale key.
    _, articles, key = eval_set
    for item in key["item"]:
        if item.get("occurrence", 1) > 1:
            assert articles[item["article"]].text.count(item["quote"]) >= item["occurrence"]


def test_no_duplicate_items(eval_set):
    _, _, key = eval_set
    seen = Counter(
        (i["article"], i["tag"], i["quote"], i.get("occurrence", 1)) for i in key["item"]
    )
    assert [k for k, n in seen.items() if n > 1] == []


def test_counts_are_worth_scoring_against(eval_set):
    name, articles, key = eval_set
    wanted = EVAL_SETS[name]
    items = key["item"]
    assert len(items) >= wanted["items"], name
    per_tag = Counter(i["tag"] for i in items)
    for tag, least in wanted["tags"].items():
        assert per_tag[tag] >= least, (name, tag, per_tag[tag])
    for article in articles:
        tags = {i["tag"] for i in items if i["article"] == article.id}
        assert wanted["every_article"] <= tags, (name, article.id)
        assert tags & set(SOURCE_KINDS), (name, article.id)
    if not wanted["real"]:
        assert any(i.get("quoted") for i in items), "some loaded words should sit inside quotes"
        assert any(not i.get("quoted") and i["tag"] == "loaded-language" for i in items)


def test_contradictions_point_at_two_articles(eval_set):
    name, articles, key = eval_set
    contradictions = key.get("contradiction", [])
    if EVAL_SETS[name]["contradictions"] == 0:
        assert contradictions == [], f"{name}: related events cannot contradict each other"
    assert len(contradictions) >= EVAL_SETS[name]["contradictions"], name
    for c in contradictions:
        a, b = c["a"], c["b"]
        assert a["article"] != b["article"], c["fact"]
        for side in (a, b):
            assert side["quote"] in articles[side["article"]].text, (c["fact"], side)
        assert c["explanation"].strip()


@pytest.mark.skipif(importlib.util.find_spec("kit.keys") is None, reason="kit.keys not present")
def test_keys_load_through_the_kit(eval_set):
    from kit.keys import load_key

    name, articles, key = eval_set
    loaded = load_key(data_dir() / "keys" / f"{name}.toml", articles=articles)
    assert len(loaded.items) == len(key["item"])
    for item in loaded.items:
        assert articles[item.article_id].text[item.start : item.end] == item.exact
