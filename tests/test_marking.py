"""Feedback against the answer key: matching, messages, escaping, the chart."""

from __future__ import annotations

import pytest

import kit
from kit.annotations import Annotation
from kit.keys import KeyItem
from kit.marking import Extra, Feedback, Found, Missed, feedback, match_annotations
from tests.factories import find_quote as _find
from tests.factories import key_item as item


class _Key:
    """An answer key made by hand: just the items, like kit.keys.AnswerKey."""

    def __init__(self, items: list[KeyItem]) -> None:
        self.items = tuple(items)


_counter = iter(range(1_000_000))


def ann(article, quote, tag, note="", *, occurrence=1, clip=(0, 0)) -> Annotation:
    at = _find(article.text, quote, occurrence) + clip[0]
    end = at - clip[0] + len(quote) - clip[1]
    return Annotation(
        id=f"urn:uuid:test-{next(_counter)}",
        article_id=article.id,
        start=at,
        end=end,
        exact=article.text[at:end],
        prefix=article.text[max(0, at - 32) : at],
        suffix=article.text[end : end + 32],
        tag=tag,
        note=note,
        created="2026-01-20T10:00:00Z",
        modified="2026-01-20T10:00:00Z",
    )


@pytest.fixture(scope="module")
def A(articles):
    return articles["A"]


@pytest.fixture(scope="module")
def key(A):
    return _Key(
        [
            item(A, "official statements", "anonymous-source", "An unnamed document."),
            item(A, "Chinese leaders", "anonymous-source", "Which leaders? None is named."),
            item(A, "Analysts say", "anonymous-source", "Who are these analysts?"),
            item(A, "one international relations expert", "anonymous-source", "No name."),
            item(A, "Observers", "anonymous-source", "A vague group."),
            item(A, "Canadian officials", "anonymous-source", "Unnamed officials."),
            item(A, "increasingly assertive", "loaded-language", "Judges China's conduct."),
            item(
                A,
                "particularly important",
                "loaded-language",
                "The expert's emphasis.",
                quoted=True,
            ),
            item(A, "two largest economies", "sourced-figure", "A ranking anyone can check."),
        ]
    )


def _exacts(rows) -> list[str]:
    return [r.item.exact if hasattr(r, "item") else r.annotation.exact for r in rows]


# --------------------------------------------------------------------------- matching


def test_found_missed_extra_on_hand_made_annotations(A, key):
    anns = [
        ann(A, "Analysts", "anonymous-source"),  # part of "Analysts say"
        ann(A, "expert", "anonymous-source"),  # one word of a longer key span
        ann(A, "official statements", "anonymous-source"),
        ann(A, "increasingly assertive", "loaded-language"),
        ann(A, "delicate balance", "loaded-language"),  # not in the key
    ]
    fb = feedback(anns, key, article=A)
    assert isinstance(fb, Feedback)
    assert _exacts(fb.found["anonymous-source"]) == [
        "official statements",
        "Analysts say",
        "one international relations expert",
    ]
    assert _exacts(fb.missed["anonymous-source"]) == [
        "Chinese leaders",
        "Canadian officials",
        "Observers",
    ]
    assert [m.explanation for m in fb.missed["anonymous-source"]] == [
        "Which leaders? None is named.",
        "Unnamed officials.",
        "A vague group.",
    ]
    assert _exacts(fb.found["loaded-language"]) == ["increasingly assertive"]
    assert _exacts(fb.extra["loaded-language"]) == ["delicate balance"]
    assert "anonymous-source" not in fb.extra
    assert all(isinstance(f, Found) for f in fb.found["anonymous-source"])
    assert all(isinstance(m, Missed) for m in fb.missed["anonymous-source"])
    assert all(isinstance(x, Extra) for x in fb.extra["loaded-language"])

    row = {r["tag"]: r for r in fb.summary()}["anonymous-source"]
    assert (row["found"], row["in_key"], row["missed"], row["extra"]) == (3, 6, 3, 0)
    assert row["message"].startswith("You found 3 of 6 anonymous sources; here are the three")


def test_missed_are_in_text_order(A, key):
    fb = feedback([], key, article=A)
    starts = [m.item.start for m in fb.missed["anonymous-source"]]
    assert starts == sorted(starts)
    assert fb.message("anonymous-source").startswith("The key lists 6 anonymous sources; none")


def test_clipped_selection_still_matches(A, key):
    fb = feedback([ann(A, "Observers", "anonymous-source", clip=(1, 2))], key, article=A)
    assert fb.found["anonymous-source"][0].annotations[0].exact == "bserve"
    assert _exacts(fb.found["anonymous-source"]) == ["Observers"]


def test_shared_space_or_punctuation_is_not_a_match(A):
    # "say" ends right where a highlight starting at the following space would begin.
    at = A.text.index("Analysts say") + len("Analysts say")
    k = _Key([item(A, "Analysts say", "anonymous-source")])
    touching = Annotation(
        "urn:uuid:t",
        "A",
        at,
        at + 1 + len("China"),
        A.text[at : at + 6],
        "",
        "",
        "anonymous-source",
        "",
        "2026-01-20T10:00:00Z",
        "2026-01-20T10:00:00Z",
    )
    assert A.text[at : at + 6] == " China"
    fb = feedback([touching], k, article=A)
    assert "anonymous-source" not in fb.found
    assert len(fb.extra["anonymous-source"]) == 1


def test_wrong_tag_is_missed_with_a_note_and_the_extra_is_worth_discussing(A, key):
    fb = feedback([ann(A, "Canadian officials", "named-source")], key, article=A)
    missed = {m.item.exact: m for m in fb.missed["anonymous-source"]}
    assert missed["Canadian officials"].note == (
        "You highlighted these words, but as Named source."
    )
    (x,) = fb.extra["named-source"]
    # Named and anonymous are both kinds of source: a close call, worth discussing.
    assert x.defensible and x.key_item.exact == "Canadian officials"
    assert x.explanation.startswith("A close call")
    assert "Anonymous source" in x.explanation and "Unnamed officials." in x.explanation


def test_wrong_tag_from_another_family_is_not_a_close_call(A, key):
    fb = feedback([ann(A, "Canadian officials", "hedge")], key, article=A)
    (x,) = fb.extra["hedge"]
    assert not x.defensible and x.key_item.tag == "anonymous-source"
    assert x.explanation.startswith("The key lists these words as Anonymous source, not Hedge")


def test_one_highlight_finds_one_item(A):
    # One long highlight over two sources: one is found, the other is missed with a tip.
    sentence = "Chinese leaders urged Ottawa"
    k = _Key(
        [
            item(A, "Chinese leaders", "anonymous-source"),
            item(A, "Ottawa", "organization-source", occurrence=1),
            item(A, "official statements", "anonymous-source"),
        ]
    )
    long_ann = ann(A, "official statements, " + sentence, "anonymous-source")
    fb = feedback([long_ann], k, article=A)
    assert len(fb.found["anonymous-source"]) == 1
    (m,) = fb.missed["anonymous-source"]
    assert "highlight each one on its own" in m.note


def test_second_highlight_of_a_found_item_is_not_extra(A, key):
    fb = feedback(
        [ann(A, "Observers", "anonymous-source"), ann(A, "Observers note", "anonymous-source")],
        key,
        article=A,
    )
    (f,) = fb.found["anonymous-source"]
    assert len(f.annotations) == 2
    assert "anonymous-source" not in fb.extra


def test_quoted_loaded_language_is_a_bonus_never_a_miss(A, key):
    fb = feedback([], key, article=A)
    assert "particularly important" not in _exacts(fb.missed.get("loaded-language", []))
    fb = feedback([ann(A, "particularly important", "loaded-language")], key, article=A)
    (f,) = fb.found["loaded-language"]
    assert f.bonus and "speaker" in f.note
    row = {r["tag"]: r for r in fb.summary()}["loaded-language"]
    assert (row["found"], row["bonus"], row["in_key"]) == (0, 1, 1)
    assert "inside a quotation" in row["message"]


def test_sourced_figure_is_key_only(A, key):
    fb = feedback([], key, article=A)
    assert "sourced-figure" not in fb.missed
    assert "sourced-figure" not in fb.tags
    fb = feedback([ann(A, "two largest economies", "unsourced-figure")], key, article=A)
    (x,) = fb.extra["unsourced-figure"]
    assert not x.defensible and x.key_item.tag == "sourced-figure"
    assert "counts this figure as sourced" in x.explanation
    assert "Right words, different tag" in fb.to_html()


def test_extra_with_a_note_is_worth_discussing_and_plain_extra_is_not(A, key):
    fb = feedback(
        [
            ann(A, "delicate balance", "loaded-language", note="sounds dramatic"),
            ann(A, "trade rules", "loaded-language"),
        ],
        key,
        article=A,
    )
    by = {x.annotation.exact: x for x in fb.extra["loaded-language"]}
    assert by["delicate balance"].defensible
    assert not by["trade rules"].defensible
    assert "Check the definition" in by["trade rules"].explanation


def test_tags_limit_the_feedback(A, key):
    fb = feedback(
        [ann(A, "Analysts", "anonymous-source"), ann(A, "delicate", "loaded-language")],
        key,
        article=A,
        tags=["anonymous-source"],
    )
    assert fb.tags == ["anonymous-source"]
    assert "loaded-language" not in fb.extra and "loaded-language" not in fb.missed


def test_without_article_covers_only_articles_marked(articles, A, key):
    B = articles["B"]
    k = _Key([*key.items, item(B, "Carney", "named-source")])
    fb = feedback([ann(A, "Analysts", "anonymous-source")], k)
    assert fb.articles == ("A",)
    assert "named-source" not in fb.missed
    fb = feedback([], k)
    assert fb.articles == ("A", "B")
    assert "[B]" in fb.to_html()


def test_match_annotations_prefers_the_biggest_overlap(A):
    items = [item(A, "Canadian officials", "anonymous-source", occurrence=1)]
    a1 = ann(A, "Canadian", "anonymous-source")
    a2 = ann(A, "Canadian officials responded", "anonymous-source")
    credited, unmatched = match_annotations([a1, a2], items)
    assert credited[0] == [a2, a1]
    assert unmatched == []


def test_kit_feedback_stays_the_function_after_importing_its_module(A, key):
    import kit.marking

    assert callable(kit.feedback)
    assert isinstance(kit.feedback([], key, article=A), Feedback)


# --------------------------------------------------------------------------- display


def test_note_and_article_text_are_escaped(A, key):
    evil = '<script>alert("x")</script>'
    fb = feedback([ann(A, "delicate balance", "loaded-language", note=evil)], key, article=A)
    page = fb.to_html()
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    bundle = fb._repr_mimebundle_()
    assert bundle["text/html"] == page
    assert "<script>" not in bundle["text/html"]


def test_markup_in_the_article_text_is_shown_literally(tmp_path):
    folder = tmp_path / "set"
    folder.mkdir()
    (folder / "x.txt").write_text(
        "Headline <b>bold</b>\n\nAnalysts say the <img src=x onerror=alert(1)> tag matters.\n",
        encoding="utf-8",
    )
    arts = kit.load_articles(folder)
    x = arts["x"]
    k = _Key([item(x, "Analysts say the <img src=x onerror=alert(1)>", "anonymous-source")])
    page = feedback([], k, article=x).to_html()
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_overview(A, key):
    fb = feedback([], key, article=A)
    assert fb.overview() == (
        "Article A: you have not marked anything the key lists yet. Mark the passages in the "
        "article above, then run this cell again. Stuck? The key lists 7 passages: open a "
        "section below to see them, and why they count."
    )
    fb = feedback(
        [
            ann(A, "Analysts", "anonymous-source"),
            ann(A, "particularly important", "loaded-language"),
            ann(A, "trade rules", "hedge"),
            ann(A, "delicate balance", "loaded-language", note="dramatic"),
        ],
        key,
        article=A,
    )
    assert fb.overview() == (
        "Article A: you found 1 of the 7 passages the answer key lists (and 1 more inside "
        "quotations). 2 of your highlights are not in the key; 1 of them is worth a discussion."
    )


def test_answers_stay_folded_until_the_learner_has_tried(A, key):
    """Run All before annotating must not lay the answers open."""
    before = feedback([], key, article=A)
    assert not before.attempted
    assert "<details open" not in before.to_html() and "<details" in before.to_html()
    assert before.panel().children[1].selected_index is None
    after = feedback([ann(A, "Analysts", "anonymous-source")], key, article=A)
    assert after.attempted and "<details open" in after.to_html()


def test_messages_encourage(A, key):
    everything = [
        ann(A, q, "anonymous-source")
        for q in (
            "official statements",
            "Chinese leaders",
            "Analysts",
            "expert",
            "Observers",
            "Canadian officials",
        )
    ]
    fb = feedback(everything, key, article=A)
    assert fb.message("anonymous-source") == "You found all 6 anonymous sources. Well spotted!"
    fb = feedback(everything[:5], key, article=A)
    assert fb.message("anonymous-source") == (
        "You found 5 of 6 anonymous sources; here is the one you missed and why it counts."
    )
    fb = feedback([ann(A, "assertive", "loaded-language")], key, article=A)
    assert fb.message("loaded-language") == (
        "You found the only example of loaded language the key lists. Well spotted!"
    )
    fb = feedback([ann(A, "weighs", "hedge")], key, article=A)
    assert fb.message("hedge") == (
        "The key lists no hedges here. You marked 1 more passage the key does not list."
    )


def test_chart_structure(A, key):
    fb = feedback(
        [ann(A, "Analysts", "anonymous-source"), ann(A, "delicate", "loaded-language")],
        key,
        article=A,
    )
    spec = fb.chart().to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["y"]["field"] == "tag"
    assert spec["encoding"]["color"]["field"] == "outcome"
    values = spec["data"]["values"]
    counts = {(v["tag"], v["outcome"]): v["count"] for v in values}
    assert counts[("Anonymous source", "found")] == 1
    assert counts[("Anonymous source", "missed")] == 5
    assert counts[("Loaded language", "marked, not in the key")] == 1


def test_chart_does_not_switch_the_renderer(A, key):
    import altair as alt

    before = alt.renderers.active
    feedback([], key, article=A).chart()
    assert alt.renderers.active == before


def test_panel_is_a_widget_with_one_section_per_tag(A, key):
    import ipywidgets

    evil = "<img src=x onerror=alert(1)>"
    fb = feedback(
        [ann(A, "Analysts", "anonymous-source"), ann(A, "weighs", "hedge", note=evil)],
        key,
        article=A,
    )
    panel = fb.panel()
    assert isinstance(panel, ipywidgets.VBox)
    header, folds = panel.children
    assert isinstance(folds, ipywidgets.Accordion)
    assert folds.titles == (
        "Anonymous source: 1 of 6 found",
        "Loaded language: 0 of 1 found",
        "Hedge: 1 not in the key",
    )
    assert folds.selected_index == 0  # the first section with something missed is open
    values = [header.value] + [w.value for w in folds.children]
    assert not any(evil in v for v in values)
    assert any("&lt;img src=x onerror=alert(1)&gt;" in v for v in values)


def test_a_bad_colour_never_reaches_a_style_attribute():
    from kit.marking import _safe_colour

    assert _safe_colour("#CC79A7") == "#CC79A7"
    assert _safe_colour('red;background:url("x")') == "#7F7F7F"


# --------------------------------------------------------------------------- detector hints


def test_extra_flagged_by_a_detector_is_worth_discussing(A, key, monkeypatch):
    import kit.hints

    at = A.text.index("delicate balance")
    hint = kit.hints.Hint(at, at + 8, "loaded-language", "framing:loaded", "'delicate' judges.")
    monkeypatch.setattr(kit.hints, "hints", lambda article: [hint] if article.id == "A" else [])
    fb = feedback([ann(A, "delicate balance", "loaded-language")], key, article=A)
    (x,) = fb.extra["loaded-language"]
    assert x.defensible and x.key_item is None
    assert x.explanation.endswith("the kit's detectors flagged it too: 'delicate' judges.")
    # A hint for another tag does not vouch for this one.
    fb = feedback([ann(A, "delicate balance", "hedge")], key, article=A)
    assert not fb.extra["hedge"][0].defensible


def test_a_failing_detector_costs_the_hints_not_the_feedback(A, key, monkeypatch):
    import kit.hints

    def broken(article):
        raise RuntimeError("detector bug")

    monkeypatch.setattr(kit.hints, "hints", broken)
    with pytest.warns(RuntimeWarning, match="detector hints unavailable"):
        fb = feedback([ann(A, "Analysts", "anonymous-source")], key, article=A)
    assert len(fb.found["anonymous-source"]) == 1


def test_real_key_on_the_seed_set(articles):
    key = kit.load_key(articles=articles)
    A = articles["A"]
    first = next(i for i in key.for_article("A") if i.tag == "anonymous-source" and not i.quoted)
    learner = [
        Annotation(
            "urn:uuid:real-1",
            "A",
            first.start,
            first.end,
            first.exact,
            "",
            "",
            "anonymous-source",
            "",
            "2026-01-20T10:00:00Z",
            "2026-01-20T10:00:00Z",
        )
    ]
    fb = feedback(learner, key, articles=articles)
    assert fb.articles == ("A",)
    (found,) = fb.found["anonymous-source"]
    assert found.item == first and found.explanation == first.explanation
    required = [i for i in key.for_article("A") if i.tag == "anonymous-source" and not i.quoted]
    assert len(fb.missed["anonymous-source"]) == len(required) - 1
    assert "sourced-figure" not in fb.tags
    assert A.text[first.start : first.end] in fb.to_html()


def test_highlights_that_no_longer_match_the_text_are_set_aside(A, key):
    from dataclasses import replace

    good = ann(A, "Analysts", "anonymous-source")
    orphan = replace(ann(A, "Observers", "anonymous-source"), status="orphaned")
    stale = replace(ann(A, "Canadian officials", "anonymous-source"), exact="Chinese officials")
    fb = feedback([good, orphan, stale], key, article=A)
    assert fb.lost == [orphan, stale]
    assert _exacts(fb.found["anonymous-source"]) == ["Analysts say"]
    assert "2 highlights no longer match the article's words" in fb.overview()
    assert "Highlight them again" in fb.to_html()


def test_pairing_finds_as_many_items_as_the_highlights_allow(A):
    # The long highlight overlaps "official statements" most, but it is the only one that
    # can find "Chinese leaders": the pairing must give it that item, not the bigger overlap.
    k = _Key(
        [
            item(A, "official statements", "anonymous-source"),
            item(A, "Chinese leaders", "anonymous-source"),
        ]
    )
    both = ann(A, "official statements, Chinese leaders", "anonymous-source")
    one = ann(A, "official statements", "anonymous-source")
    credited, unmatched = match_annotations([both, one], list(k.items))
    assert credited == {0: [one], 1: [both]} and unmatched == []
    fb = feedback([both, one], k, article=A)
    assert "anonymous-source" not in fb.missed


def test_a_store_can_be_passed_directly(tmp_path, A, key):
    store = kit.open_store("Ana", folder=tmp_path)
    at = A.text.index("Observers")
    store.add(A, at, at + len("Observers"), "anonymous-source", "vague")
    fb = feedback(store, key, article=A)
    (f,) = fb.found["anonymous-source"]
    assert f.item.exact == "Observers" and f.annotations[0].note == "vague"


# --------------------------------------------------------------------------- no answer key


def test_without_a_key_the_hints_stand_in(A, monkeypatch):
    import kit.hints

    def fake_hints(article):
        at = article.text.index("Analysts say")
        at2 = article.text.index("Observers")
        return [
            kit.hints.Hint(at, at + 8, "anonymous-source", "attribution:anonymous", "No name."),
            kit.hints.Hint(at2, at2 + 9, "anonymous-source", "attribution:anonymous", "Vague."),
        ]

    monkeypatch.setattr(kit.hints, "hints", fake_hints)
    fb = feedback(
        [ann(A, "Analysts", "anonymous-source"), ann(A, "weighs", "hedge")], None, article=A
    )
    assert fb.against == "hints"
    assert _exacts(fb.found["anonymous-source"]) == ["Analysts"]
    assert _exacts(fb.missed["anonymous-source"]) == ["Observers"]
    assert fb.missed["anonymous-source"][0].explanation == "The kit's detectors suggest it: Vague."
    assert fb.overview().startswith("There is no answer key for this article")
    assert fb.message("anonymous-source") == (
        "You found 1 of 2 anonymous sources; here is the one you missed and why it counts."
    )
    assert fb.message("hedge") == (
        "The kit's hints point to no hedges here. You marked 1 more passage the kit's hints "
        "do not point to."
    )
    assert "key" not in fb.chart().to_dict()["encoding"]["color"]["scale"]["domain"][2]


def test_without_a_key_an_article_is_needed(A):
    with pytest.raises(ValueError, match="pass the article itself"):
        feedback([ann(A, "Analysts", "anonymous-source")], None, article="A")


def test_both_not_all_two(A):
    k = _Key(
        [item(A, "Analysts say", "anonymous-source"), item(A, "Observers", "anonymous-source")]
    )
    fb = feedback(
        [ann(A, "Analysts", "anonymous-source"), ann(A, "Observers", "anonymous-source")],
        k,
        article=A,
    )
    assert fb.message("anonymous-source") == "You found both anonymous sources. Well spotted!"


def test_a_right_highlight_inside_a_missed_item_is_not_called_a_wrong_tag(A):
    # "official statements" is an anonymous source inside a checkable claim: finding the
    # source is right, and must not be reported as "highlighted, but as Anonymous source".
    claim = "According to official statements, Chinese leaders urged Ottawa"
    k = _Key(
        [
            item(A, "official statements", "anonymous-source"),
            item(A, claim, "checkable-claim"),
        ]
    )
    fb = feedback([ann(A, "official statements", "anonymous-source")], k, article=A)
    (m,) = fb.missed["checkable-claim"]
    assert m.note == ""


def test_overview_says_one_highlight_is(A, key):
    fb = feedback([ann(A, "trade rules", "hedge")], key, article=A)
    assert "1 of your highlights is not in the key" in fb.overview()
    assert "highlights are" not in fb.overview()
