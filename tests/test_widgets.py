"""The annotator and reader without a browser: Python API, store mirror, protocol, offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kit
from kit.hints import Hint
from kit.widgets import Annotator, Reader
from kit.widgets._offsets import OffsetMap, utf16_len

FIXTURES = Path(__file__).parent / "fixtures"
WIDGETS = Path(kit.__file__).parent / "widgets"
EMOJI = "\U0001f600"
NBSP = "\u00a0"


def u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@pytest.fixture
def store(tmp_path):
    return kit.open_store("Tester", folder=tmp_path)


@pytest.fixture
def unicode_set():
    return kit.load_articles(FIXTURES / "articles-unicode")


@pytest.fixture
def hostile():
    return kit.load_articles(FIXTURES / "articles-hostile")["hostile"]


class Page:
    """What a page would send, and what Python answers (custom messages)."""

    def __init__(self, widget: Annotator) -> None:
        self.widget = widget
        self.answers: list[dict] = []
        widget.send = self.answers.append
        self.request = 0

    def send(self, **message) -> dict:
        self.request += 1
        self.widget._on_browser_message(self.widget, {**message, "request": self.request}, [])
        answer = self.answers[-1]
        assert answer["request"] == self.request
        return answer


def span(article, phrase: str, nth: int = 0) -> tuple[int, int]:
    at = -1
    for _ in range(nth + 1):
        at = article.text.index(phrase, at + 1)
    return at, at + len(phrase)


# ----------------------------------------------------------------------------- offsets


def test_offsets_with_an_emoji_and_a_non_breaking_space():
    text = f"a{EMOJI}b{NBSP}c"
    m = OffsetMap(text)
    assert [m.to_utf16(i) for i in range(len(text) + 1)] == [0, 1, 3, 4, 5, 6]
    assert [m.to_codepoint(u) for u in (0, 1, 3, 4, 5, 6)] == [0, 1, 2, 3, 4, 5]
    assert m.length_utf16 == utf16_len(text) == u16(text) == 6
    with pytest.raises(ValueError, match="splits a surrogate pair"):
        m.to_codepoint(2)
    assert m.to_codepoint(2, snap="down") == 1 and m.to_codepoint(2, snap="up") == 2
    assert m.span_to_codepoints(2, 2) == (1, 2)  # a span never cuts an emoji in half
    with pytest.raises(ValueError, match="outside"):
        m.to_utf16(len(text) + 1)
    with pytest.raises(ValueError, match="outside"):
        m.to_codepoint(-1)


def test_offsets_of_text_without_astral_characters_are_unchanged():
    text = f"caf\u00e9{NBSP}“quoted” — 中文"
    m = OffsetMap(text)
    assert all(m.to_utf16(i) == i == m.to_codepoint(i) for i in range(len(text) + 1))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_offsets_round_trip_on_any_text(text):
    m = OffsetMap(text)
    assert m.length_utf16 == u16(text)
    for i in range(len(text) + 1):
        unit = m.to_utf16(i)
        assert unit == u16(text[:i])  # what JavaScript's String.length would say
        assert m.to_codepoint(unit) == i


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["a", " ", NBSP, EMOJI, "\U0001f469\u200d\U0001f467", "é"]), max_size=30
    ),
    st.data(),
)
def test_any_utf16_span_maps_to_whole_characters(parts, data):
    text = "".join(parts)
    m = OffsetMap(text)
    a = data.draw(st.integers(0, m.length_utf16))
    b = data.draw(st.integers(a, m.length_utf16))
    start, end = m.span_to_codepoints(a, b)
    assert 0 <= start <= end <= len(text)
    # The code-point span covers at least the units asked for, and never half a character.
    assert m.to_utf16(start) <= a and m.to_utf16(end) >= b
    assert text[start:end].encode("utf-16-le").decode("utf-16-le") == text[start:end]


# ----------------------------------------------------------------------------- annotator: API


def test_add_update_remove_mirror_the_store(articles, store):
    a = articles["A"]
    w = Annotator(a, store)
    s, e = span(a, "Canadian officials")
    ann = w.add(s, e, "anonymous-source", note="who exactly?")
    assert (ann.exact, ann.tag, ann.note) == (
        "Canadian officials",
        "anonymous-source",
        "who exactly?",
    )
    assert w.annotations == store.annotations("A") == [ann]
    assert w._highlights == [
        {
            "id": ann.id,
            "start": s,
            "end": e,
            "tag": "anonymous-source",
            "note": "who exactly?",
            "exact": "Canadian officials",
        }
    ]
    assert w.counts() == {"anonymous-source": 1}
    new = w.update(ann.id, tag="hedge", note="")
    assert (new.tag, new.note) == ("hedge", "")
    assert [x.tag for x in store.annotations("A")] == ["hedge"]
    w.remove(ann.id)
    assert w.annotations == store.annotations("A") == [] and w._highlights == []


def test_annotations_are_saved_for_the_next_session(articles, tmp_path):
    a = articles["B"]
    w = Annotator(a, kit.open_store("Ana", folder=tmp_path))
    w.add(*span(a, "Beijing"), "organization-source")
    again = Annotator(a, kit.open_store("Ana", folder=tmp_path))
    assert [x.exact for x in again.annotations] == ["Beijing"]
    assert len(again._highlights) == 1


def test_two_widgets_on_one_store_stay_in_step(articles, store):
    a = articles["A"]
    first, second = Annotator(a, store), Annotator(a, store)
    ann = first.add(*span(a, "this week"), "unsourced-figure")
    assert [x.id for x in second.annotations] == [ann.id]
    assert second._highlights == first._highlights


def test_only_this_articles_highlights_are_shown(articles, store):
    store.add(articles["B"], 0, 5, "hedge")
    w = Annotator(articles["A"], store)
    assert w.annotations == [] and w._highlights == []


def test_restricted_tags_are_the_only_ones_offered(articles, store):
    a = articles["A"]
    w = Annotator(a, store, tags=["anonymous-source", "named-source"])
    enabled = [t["id"] for t in w._tags if t["enabled"]]
    assert enabled == ["anonymous-source", "named-source"]  # the lesson's order
    # Every tag stays known to the page, so older highlights keep their colour and label.
    assert {t["id"] for t in w._tags} == {t.id for t in kit.load_taxonomy()}
    with pytest.raises(ValueError, match="not offered here"):
        w.add(*span(a, "Canadian officials"), "hedge")
    assert store.annotations("A") == []
    ann = w.add(*span(a, "Canadian officials"), "anonymous-source")
    with pytest.raises(ValueError, match="not offered here"):
        w.update(ann.id, tag="loaded-language")


def test_unknown_tag_names_are_refused_with_a_suggestion(articles, store):
    with pytest.raises(ValueError, match="did you mean 'anonymous-source'"):
        Annotator(articles["A"], store, tags=["anonymus-source"])
    with pytest.raises(ValueError, match="nothing to tag"):
        Annotator(articles["A"], store, tags=[])


def test_wrong_arguments_say_what_is_needed(articles, store):
    with pytest.raises(TypeError, match="one article"):
        Annotator(articles, store)
    with pytest.raises(TypeError, match="open_store"):
        Annotator(articles["A"], object())


def test_removing_anothers_highlight_is_refused(articles, store):
    other = store.add(articles["B"], 0, 5, "hedge")
    w = Annotator(articles["A"], store)
    with pytest.raises(KeyError, match="no highlight"):
        w.remove(other.id)
    assert len(store.annotations("B")) == 1


def test_colours_are_plain_hex_and_every_tag_has_a_label(articles, store):
    w = Annotator(articles["A"], store)
    for t in w._tags:
        assert re.fullmatch(r"#[0-9A-Fa-f]{6}", t["colour"]) and t["label"].strip()


# ----------------------------------------------------------------------------- protocol


def test_page_add_update_remove_round_trip(articles, store):
    a = articles["A"]
    w = Annotator(a, store)
    page = Page(w)
    s, e = span(a, "official statements")
    answer = page.send(type="add", start=s, end=e, tag="anonymous-source", note="which?")
    assert answer["ok"] and "official statements" in answer["message"]
    [ann] = store.annotations("A")
    assert (ann.exact, ann.note) == ("official statements", "which?")
    answer = page.send(type="update", id=ann.id, tag="hedge", note="changed")
    assert answer["ok"] and store.get(ann.id).tag == "hedge"
    assert page.send(type="remove", id=ann.id)["ok"]
    assert store.annotations("A") == [] and w._highlights == []


@pytest.mark.parametrize(
    "message, problem",
    [
        ({"type": "add", "start": 5, "end": 10**9, "tag": "hedge"}, "outside"),
        ({"type": "add", "start": "5", "end": 9, "tag": "hedge"}, "whole numbers"),
        ({"type": "add", "start": 9, "end": 9, "tag": "hedge"}, "at least one character"),
        ({"type": "add", "start": 5, "end": 9, "tag": "no-such-tag"}, "not offered"),
        ({"type": "add", "start": 5, "end": 9, "tag": ["hedge"]}, "tag must be text"),
        ({"type": "update", "id": "urn:uuid:nope", "tag": "hedge"}, "no highlight"),
        ({"type": "remove", "id": 42}, "id must be text"),
    ],
)
def test_bad_requests_are_refused_and_reported(articles, store, message, problem):
    page = Page(Annotator(articles["A"], store))
    answer = page.send(**message)
    assert answer["ok"] is False and problem in answer["error"]
    assert store.annotations("A") == []


def test_unknown_messages_are_ignored(articles, store):
    w = Annotator(articles["A"], store)
    page = Page(w)
    w._on_browser_message(w, {"type": "drop-tables"}, [])
    w._on_browser_message(w, "not a dict", [])
    assert page.answers == []


def test_utf16_offsets_from_the_page_become_code_points(unicode_set, store):
    art = unicode_set["festival"]
    assert EMOJI in art.text and NBSP in art.text
    w = Annotator(art, store)
    phrase = "Visitors travelled"  # after two emoji
    s = art.text.index(phrase)
    page = Page(w)
    assert page.send(
        type="add",
        start=u16(art.text[:s]),
        end=u16(art.text[:s]) + len(phrase),
        tag="checkable-claim",
    )["ok"]
    [ann] = store.annotations(art.id)
    assert (ann.start, ann.exact) == (s, phrase)
    # ... and go back to the page in UTF-16.
    assert w._highlights[0]["start"] == u16(art.text[:s])


def test_an_emoji_and_a_non_breaking_space_can_be_highlighted(unicode_set, store):
    art = unicode_set["festival"]
    w = Annotator(art, store)
    s = art.text.index(EMOJI)
    w.add(s, s + 1, "loaded-language")
    s2, e2 = span(art, f"$2.5{NBSP}million")
    w.add(s2, e2, "unsourced-figure")
    exact = {a.exact for a in w.annotations}
    assert exact == {EMOJI, f"$2.5{NBSP}million"}
    emoji_hl = next(h for h in w._highlights if h["exact"] == EMOJI)
    assert emoji_hl["end"] - emoji_hl["start"] == 2  # two UTF-16 units on the page


def test_a_split_emoji_from_the_page_widens_to_the_whole_emoji(unicode_set, store):
    art = unicode_set["festival"]
    w = Annotator(art, store)
    s = u16(art.text[: art.text.index(EMOJI)])
    assert Page(w).send(type="add", start=s + 1, end=s + 2, tag="hedge")["ok"]
    assert [a.exact for a in store.annotations(art.id)] == [EMOJI]


def test_document_offsets_are_utf16(unicode_set):
    art = unicode_set["ferry"]
    w_doc = Reader(unicode_set, selected="ferry")._doc
    m = OffsetMap(art.text)
    assert [(p["start"], p["end"]) for p in w_doc["paragraphs"]] == [
        m.span_to_utf16(p.start, p.end) for p in art.paragraphs
    ]
    assert [p["number"] for p in w_doc["paragraphs"]] == [
        art.paragraph_number(p.start) for p in art.paragraphs
    ]
    assert [b["label"] for b in w_doc["boilerplate"]] == [b.label for b in art.boilerplate]
    assert w_doc["headline_span"] == dict(
        zip(
            ("start", "end"),
            m.span_to_utf16(art.headline_span.start, art.headline_span.end),
            strict=True,
        )
    )


# ----------------------------------------------------------------------------- hostile text


HOSTILE_NOTE = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


def test_hostile_text_passes_through_unchanged_as_data(hostile, store):
    w = Annotator(hostile, store)
    assert w._doc["text"] == hostile.text
    assert w._doc["headline"] == hostile.headline and "<script>" in hostile.headline
    s = hostile.text.index("<svg")
    ann = w.add(s, hostile.text.index("</svg>") + 6, "loaded-language", note=HOSTILE_NOTE)
    assert ann.note == HOSTILE_NOTE
    assert w._highlights[0]["note"] == HOSTILE_NOTE
    assert w._highlights[0]["exact"].startswith("<svg onload=")
    assert store.annotations(hostile.id)[0].note == HOSTILE_NOTE


def test_the_page_module_never_writes_html():
    js = (WIDGETS / "annotator.js").read_text(encoding="utf-8")
    code = "\n".join(line for line in js.splitlines() if not line.lstrip().startswith("//"))
    for sink in (
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
        "createContextualFragment",
        "srcdoc",
        "setHTML",
    ):
        assert sink not in code, sink
    assert "http://" not in code and "https://" not in code  # no CDN, nothing fetched


def test_module_and_styles_ship_as_package_files():
    # anywidget reads the files next to the module (package data), not a URL or a build output.
    assert str(Annotator._esm) == (WIDGETS / "annotator.js").read_text(encoding="utf-8")
    assert str(Annotator._css) == (WIDGETS / "annotator.css").read_text(encoding="utf-8")
    assert "export default { render }" in str(Annotator._esm)
    css = (WIDGETS / "annotator.css").read_text(encoding="utf-8")
    assert "--jp-layout-color0" in css and "font-size: 17px" in css and "line-height: 1.6" in css
    assert "@import" not in css and "url(" not in css


# ----------------------------------------------------------------------------- hints, key


def test_hints_toggle_fills_hints_for_offered_tags_only(articles, store, monkeypatch):
    a = articles["A"]
    s, e = span(a, "official statements")
    calls = []

    def fake(article, *, tags=None):
        calls.append(tags)
        return [Hint(s, e, "anonymous-source", "attribution:anonymous", "No one is named.")]

    monkeypatch.setattr("kit.hints.hints", fake)
    w = Annotator(a, store, tags=["anonymous-source"])
    assert w._hints == []  # nothing computed until asked for
    w.show_hints = True
    assert calls == [("anonymous-source",)]
    assert w._hints == [
        {
            "start": s,
            "end": e,
            "tag": "anonymous-source",
            "kind": "attribution:anonymous",
            "reason": "No one is named.",
        }
    ]
    assert Annotator(a, store, hints=True)._hints  # hints=True starts with them shown


def test_a_failing_detector_switches_hints_off_with_a_message(articles, store, monkeypatch):
    def broken(article, *, tags=None):
        raise RuntimeError("detector exploded")

    monkeypatch.setattr("kit.hints.hints", broken)
    w = Annotator(articles["A"], store)
    w.show_hints = True
    assert w.show_hints is False and "detector exploded" in w.status


@dataclass(frozen=True)
class _Item:
    article_id: str
    tag: str
    start: int
    end: int
    exact: str
    explanation: str


def test_answer_key_view_shows_this_articles_items(articles, store):
    a = articles["A"]
    s, e = span(a, "official statements")
    key = [
        _Item("A", "anonymous-source", s, e, "official statements", "No names."),
        _Item("B", "hedge", 0, 4, "Chin", "other"),
    ]
    w = Annotator(a, store, key=key)
    assert w._key_available and w._key == []
    w.show_key = True
    assert w._key == [
        {
            "start": s,
            "end": e,
            "tag": "anonymous-source",
            "exact": "official statements",
            "explanation": "No names.",
        }
    ]
    assert Annotator(a, store)._key_available is False


def test_the_course_answer_key_loads_for_a_seed_article(articles, store):
    w = Annotator(articles["C"], store, key=True)
    w.show_key = True
    assert w._key, w.status
    for item in w._key:
        assert articles["C"].text[item["start"] : item["end"]] == item["exact"]
        assert item["explanation"]


# ----------------------------------------------------------------------------- reader


def test_reader_picks_articles(articles):
    r = Reader(articles)
    assert [c["id"] for c in r._choices] == list(articles.ids)
    assert r._doc["id"] == "A" and r.mode == "read"
    r.selected = "E"
    assert r._doc["id"] == "E" and r.article is articles["E"]
    with pytest.raises(Exception, match="no article 'Z'"):
        r.selected = "Z"
    assert r.selected == "E"
    assert Reader(articles["B"])._doc["id"] == "B"
    with pytest.raises(KeyError):
        Reader(articles, selected="nope")


def test_reader_works_on_a_folder_without_manifest(unicode_set):
    r = Reader(unicode_set)
    assert {c["id"] for c in r._choices} == {"ferry", "festival"}
    assert r._doc["outlet"] == "unknown"


def test_import_kit_does_not_load_the_widget_stack():
    import subprocess
    import sys

    code = "import sys, kit; print('anywidget' in sys.modules, 'ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
