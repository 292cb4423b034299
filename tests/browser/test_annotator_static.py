"""The annotator's page in a real Chromium, without Jupyter: fast checks of what learners do.

A static page (tests/browser/static/) loads ``kit/widgets/annotator.js`` as an ES module from a
local server on 127.0.0.1 and gives it a small fake widget model. What the page sends is
relayed to a real Python `Annotator` with a real store, and the answer is pushed back, so the
whole protocol (including UTF-16 offsets) is exercised.
"""

from __future__ import annotations

import functools
import http.server
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import kit
from kit.hints import Hint
from kit.widgets.reader import Reader

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
TRAITS = (
    "mode",
    "_doc",
    "_tags",
    "_highlights",
    "_hints",
    "show_hints",
    "_key",
    "_key_available",
    "show_key",
    "_choices",
    "selected",
    "status",
)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:  # keep test output clean
        pass


@pytest.fixture(scope="module")
def origin():
    """A static file server on 127.0.0.1 for the repository (harness page and the module)."""
    handler = functools.partial(_Quiet, directory=str(REPO))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(chromium, origin):
    """A harness page; fails the test on any page error, dialog or off-site request."""
    context = chromium.new_context(viewport={"width": 1100, "height": 900})
    pg = context.new_page()
    pg.errors = []
    pg.dialogs = []
    pg.requests = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("console", lambda m: m.type == "error" and pg.errors.append(m.text))
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.goto(f"{origin}/tests/browser/static/annotator.html")
    pg.wait_for_function("window.kitHarnessReady === true")
    yield pg
    context.close()


class Bridge:
    """Plays the kernel: relays page messages to a Python widget and pushes its state back."""

    def __init__(self, page, widget) -> None:
        self.page = page
        self.widget = widget
        self.results: list[dict[str, Any]] = []
        widget.send = self.results.append  # what Python would send to the page

    def state(self) -> dict[str, Any]:
        return {name: getattr(self.widget, name) for name in TRAITS}

    def mount(self) -> Bridge:
        self.page.evaluate("s => kitHarness.mount(s)", self.state())
        return self

    def pump(self) -> list[dict[str, Any]]:
        out = self.page.evaluate("() => kitHarness.drain()")
        for name, value in out["changes"].items():
            setattr(self.widget, name, value)
        for message in out["messages"]:
            self.widget._on_browser_message(self.widget, message, [])
        results, self.results[:] = list(self.results), []
        self.page.evaluate("([s, m]) => kitHarness.push(s, m)", [self.state(), results])
        # The page also asks now and then to re-read the file ("refresh"); those are relayed
        # above but not returned, so a test sees what the learner's actions sent.
        return [m for m in out["messages"] if m.get("type") != "refresh"]


def drag(page, phrase: str, *, nth: int = 0, start_in: int = 0, end_in: int = 0) -> None:
    """Select ``phrase`` with the mouse, from ``start_in`` characters in to ``end_in`` before
    its end (so a sloppy drag can start or end inside a word). The phrase may run across
    highlights, as long as it is in one paragraph."""
    box = page.evaluate(
        """([phrase, nth, a, b]) => {
          let seen = 0;
          for (const para of document.querySelectorAll('.kit-ptext')) {
            const nodes = [...para.querySelectorAll('.kit-seg')]
              .map(s => s.firstChild).filter(Boolean);
            const whole = nodes.map(n => n.data).join('');
            const locate = (i) => {
              for (const n of nodes) { if (i < n.data.length) return [n, i]; i -= n.data.length; }
              return null;
            };
            let at = -1;
            while ((at = whole.indexOf(phrase, at + 1)) >= 0) {
              if (seen++ < nth) continue;
              const r = document.createRange();
              const [n0, i0] = locate(at + a);
              r.setStart(n0, i0); r.setEnd(n0, i0 + 1);
              const first = r.getClientRects()[0];
              const [n1, i1] = locate(at + phrase.length - b - 1);
              r.setStart(n1, i1); r.setEnd(n1, i1 + 1);
              const rects = r.getClientRects();
              const last = rects[rects.length - 1];
              return {x0: first.left + 1, y0: first.top + first.height / 2,
                      x1: last.right - 1, y1: last.top + last.height / 2};
            }
          }
          return null;
        }""",
        [phrase, nth, start_in, end_in],
    )
    assert box, f"{phrase!r} is not on the page"
    page.mouse.move(box["x0"], box["y0"])
    page.mouse.down()
    page.mouse.move((box["x0"] + box["x1"]) / 2, (box["y0"] + box["y1"]) / 2, steps=3)
    page.mouse.move(box["x1"], box["y1"], steps=3)
    page.mouse.up()


def shown_text(page) -> str:
    """The article text as the page shows it: every text segment, paragraphs joined by \\n."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.kit-ptext')]
             .map(p => [...p.querySelectorAll('.kit-seg')].map(s => s.textContent).join(''))
             .join('\\n')"""
    )


def marks_text(page) -> list[str]:
    """Text of each highlight on the page (joined across its segments), in page order."""
    return page.evaluate(
        """() => {
          const out = new Map();
          for (const m of document.querySelectorAll('mark.kit-seg')) {
            for (const key of m.dataset.marks.split(' ')) {
              out.set(key, (out.get(key) || '') + m.textContent);
            }
          }
          return [...out.values()];
        }"""
    )


def tab_to_text(page) -> None:
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('kit-text')"):
            return
    raise AssertionError("the article text cannot be reached with the Tab key")


def no_trouble(page) -> None:
    assert page.errors == []
    assert page.dialogs == []


@pytest.fixture
def store(tmp_path):
    return kit.open_store("Tester", folder=tmp_path)


@pytest.fixture
def seed(articles):
    return articles["A"]


@pytest.fixture
def unicode_set():
    return kit.load_articles(FIXTURES / "articles-unicode")


# ----------------------------------------------------------------------------- mouse


def test_mouse_selection_then_tag_button_saves_a_highlight(page, seed, store):
    w = kit.Annotator(seed, store)
    b = Bridge(page, w).mount()
    drag(page, "Canadian officials")
    assert "Canadian officials" in page.locator(".kit-status").inner_text()
    page.locator(".kit-tag[data-tag='anonymous-source']").click()
    sent = b.pump()
    assert sent[0]["type"] == "add" and sent[0]["tag"] == "anonymous-source"
    [ann] = store.annotations("A")
    assert (ann.exact, ann.tag) == ("Canadian officials", "anonymous-source")
    assert ann.start == seed.text.index("Canadian officials")
    assert marks_text(page) == ["Canadian officials"]
    assert page.locator(".kit-chip-hl").inner_text() == "Anonymous source"
    assert "Tagged" in page.locator(".kit-status").inner_text()
    assert page.locator(".kit-tag[data-tag='anonymous-source'] .kit-count").inner_text() == "1"
    no_trouble(page)


def test_sloppy_drag_inside_words_snaps_to_whole_words(page, seed, store):
    b = Bridge(page, kit.Annotator(seed, store)).mount()
    drag(page, "Canadian officials", start_in=3, end_in=4)  # "adian offic"
    page.locator(".kit-tag[data-tag='anonymous-source']").click()
    b.pump()
    assert [a.exact for a in store.annotations("A")] == ["Canadian officials"]


def test_a_selection_may_run_across_paragraphs(page, seed, store):
    b = Bridge(page, kit.Annotator(seed, store)).mount()
    ends = page.evaluate(
        """() => {
          const find = (phrase) => {
            for (const s of document.querySelectorAll('.kit-seg')) {
              const at = s.firstChild ? s.firstChild.data.indexOf(phrase) : -1;
              if (at >= 0) {
                const r = document.createRange();
                r.setStart(s.firstChild, at); r.setEnd(s.firstChild, at + phrase.length);
                const rects = r.getClientRects();
                return [rects[0], rects[rects.length - 1]];
              }
            }
          };
          const [a] = find('bloc-based politics.');
          const [, z] = find('Canadian officials');
          return [a.left + 1, a.top + a.height / 2, z.right - 1, z.top + z.height / 2];
        }"""
    )
    page.mouse.move(ends[0], ends[1])
    page.mouse.down()
    page.mouse.move(ends[2], ends[3], steps=6)
    page.mouse.up()
    page.locator(".kit-tag[data-tag='checkable-claim']").click()
    b.pump()
    [ann] = store.annotations("A")
    assert ann.exact.startswith("bloc-based politics.") and ann.exact.endswith("Canadian officials")
    assert "\n" in ann.exact
    assert marks_text(page) == [
        "bloc-based politics.Canadian officials"
    ]  # one mark, two paragraphs
    assert page.locator(".kit-chip-hl").count() == 1


def test_a_note_typed_before_tagging_is_saved(page, seed, store):
    b = Bridge(page, kit.Annotator(seed, store)).mount()
    drag(page, "official statements")
    page.locator(".kit-note").fill("Which statements?")
    page.locator(".kit-tag[data-tag='anonymous-source']").click()
    b.pump()
    [ann] = store.annotations("A")
    assert ann.note == "Which statements?"
    assert page.locator(".kit-note").input_value() == ""


def test_a_half_typed_note_survives_a_change_from_python(page, seed, store):
    w = kit.Annotator(seed, store)
    b = Bridge(page, w).mount()
    page.locator(".kit-note").fill("half a tho")
    w.add(*(lambda s: (s, s + 9))(seed.text.index("this week")), "unsourced-figure")
    b.pump()
    assert page.locator(".kit-tag[data-tag='unsourced-figure'] .kit-count").inner_text() == "1"
    assert page.locator(".kit-note").input_value() == "half a tho"
    assert page.evaluate("document.activeElement.classList.contains('kit-note')")


def test_tag_without_selection_explains_what_to_do(page, seed, store):
    b = Bridge(page, kit.Annotator(seed, store)).mount()
    page.locator(".kit-tag").first.click()
    assert b.pump() == []
    assert "select some words" in page.locator(".kit-status").inner_text()


def test_click_highlight_edits_tag_and_note_then_deletes(page, seed, store):
    w = kit.Annotator(seed, store)
    start = seed.text.index("Chinese leaders")
    w.add(start, start + len("Chinese leaders"), "named-source")
    b = Bridge(page, w).mount()
    page.locator("mark.kit-seg").first.click()
    panel = page.locator(".kit-panel")
    assert panel.is_visible()
    assert panel.locator(".kit-exact").inner_text() == "Chinese leaders"
    panel.locator("select.kit-edit-tag").select_option("anonymous-source")
    panel.locator("textarea.kit-edit-note").fill("no names given")
    panel.locator(".kit-save").click()
    b.pump()
    [ann] = store.annotations("A")
    assert (ann.tag, ann.note) == ("anonymous-source", "no names given")
    assert page.locator(".kit-chip-hl").inner_text() == "Anonymous source"
    page.locator("mark.kit-seg").first.click()
    page.locator(".kit-panel .kit-delete").click()
    b.pump()
    assert store.annotations("A") == []
    assert page.locator("mark.kit-seg").count() == 0
    assert page.locator(".kit-panel").count() == 0
    no_trouble(page)


def test_overlapping_highlights_show_stacked_bars_and_both_labels(page, seed, store):
    w = kit.Annotator(seed, store)
    outer = "Chinese leaders urged Ottawa"
    s = seed.text.index(outer)
    w.add(s, s + len(outer), "checkable-claim")
    w.add(s, s + len("Chinese leaders"), "anonymous-source")
    Bridge(page, w).mount()
    assert sorted(marks_text(page)) == sorted([outer, "Chinese leaders"])
    overlap = page.locator("mark.kit-overlap")
    assert overlap.count() == 1 and overlap.inner_text() == "Chinese leaders"
    # The inner highlight underlines in its colour and style; the outer one adds a bar below.
    style = overlap.evaluate(
        "e => { const c = getComputedStyle(e); return [c.textDecorationLine, "
        "c.textDecorationStyle, c.textDecorationColor, c.boxShadow]; }"
    )
    inner, around = (
        next(t for t in w._tags if t["id"] == i) for i in ("anonymous-source", "checkable-claim")
    )
    assert style[:3] == ["underline", inner["underline"], _rgb(inner["colour"])]
    assert style[3].count("rgb(") == 1 and _rgb(around["colour"]) in style[3]
    chips = page.locator(".kit-chip-hl").all_inner_texts()
    assert sorted(chips) == ["Anonymous source", "Checkable claim"]
    page.locator("mark.kit-overlap").click()
    assert page.locator(".kit-panel .kit-card").count() == 2
    page.locator(".kit-panel .kit-close").click()
    page.locator(".kit-chip-hl", has_text="Checkable claim").click()  # a label opens its highlight
    assert page.locator(".kit-panel .kit-exact").first.inner_text() == "Chinese leaders"
    assert page.locator(".kit-panel .kit-card").count() == 2  # both start there


# ----------------------------------------------------------------------------- keyboard


def test_keyboard_only_annotation(page, seed, store):
    b = Bridge(page, kit.Annotator(seed, store)).mount()
    tab_to_text(page)
    for _ in range(12):  # down paragraph by paragraph to the one that starts "Canadian officials"
        if page.locator(".kit-caret").first.inner_text() == "Canadian":
            break
        page.keyboard.press("ArrowDown")
    assert page.locator(".kit-caret").first.inner_text() == "Canadian"
    page.keyboard.press("Shift+ArrowRight")
    assert "Canadian officials" in page.locator(".kit-status").inner_text()
    page.keyboard.press("3")  # the third tag: Anonymous source
    b.pump()
    assert [(a.exact, a.tag) for a in store.annotations("A")] == [
        ("Canadian officials", "anonymous-source")
    ]
    assert page.evaluate("document.activeElement.classList.contains('kit-text')")


def test_keyboard_enter_goes_to_toolbar_and_enter_on_highlight_opens_it(page, seed, store):
    b = Bridge(page, kit.Annotator(seed, store, tags=["hedge", "loaded-language"])).mount()
    tab_to_text(page)
    page.keyboard.press("End")
    page.keyboard.press("Shift+ArrowLeft")
    assert "“High-Level Visit”" in page.locator(".kit-status").inner_text()  # headline's end
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.dataset.tag") == "hedge"
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.dataset.tag") == "loaded-language"
    page.keyboard.press("Enter")
    b.pump()
    [ann] = store.annotations("A")
    assert (ann.tag, ann.exact) == ("loaded-language", "High-Level Visit")
    # Back in the text, ] jumps to the highlight and Enter opens it; Escape closes.
    page.locator(".kit-text").focus()
    page.keyboard.press("Home")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("]")
    page.keyboard.press("Enter")
    assert page.locator(".kit-panel").is_visible()
    page.keyboard.press("Escape")
    assert page.locator(".kit-panel").count() == 0
    assert page.evaluate("document.activeElement.classList.contains('kit-text')")


def test_keyboard_help_is_discoverable(page, seed, store):
    Bridge(page, kit.Annotator(seed, store)).mount()
    assert "keyboard" in page.locator(".kit-help").inner_text().lower()
    page.get_by_role("button", name="Keyboard help").click()
    assert "move word by word" in page.locator(".kit-keys").inner_text()
    label = page.locator(".kit-text").get_attribute("aria-label")
    assert "Arrow keys" in label


def test_restricted_tags_offer_only_those_with_numbers(page, seed, store):
    Bridge(page, kit.Annotator(seed, store, tags=["anonymous-source", "named-source"])).mount()
    buttons = page.locator(".kit-tag")
    assert buttons.all_inner_texts()[0].split() == ["1", "Anonymous", "source", "0"]
    assert [buttons.nth(i).get_attribute("data-tag") for i in range(buttons.count())] == [
        "anonymous-source",
        "named-source",
    ]
    assert page.locator(".kit-legend-list li").count() == 2


# ----------------------------------------------------------------------------- offsets


def test_utf16_offsets_across_an_emoji_both_ways(page, unicode_set, store):
    art = unicode_set["festival"]
    w = kit.Annotator(art, store)
    # Python -> page: a highlight after two emoji lands on the right words.
    s = art.text.index("Amélie Tremblay")
    w.add(s, s + len("Amélie Tremblay"), "named-source")
    b = Bridge(page, w).mount()
    assert marks_text(page) == ["Amélie Tremblay"]
    # page -> Python: a mouse selection after the emoji is stored at code-point offsets.
    drag(page, "Visitors travelled")
    page.locator(".kit-tag[data-tag='checkable-claim']").click()
    sent = b.pump()
    assert sent[0]["start"] == s_u16(art.text, "Visitors travelled")
    got = {a.exact: a.start for a in store.annotations(art.id)}
    assert got["Visitors travelled"] == art.text.index("Visitors travelled")
    # The emoji itself can be highlighted and is never split in half.
    drag(page, "😀 Visitors")
    page.locator(".kit-tag[data-tag='checkable-claim']").click()
    b.pump()
    assert "😀 Visitors" in {a.exact for a in store.annotations(art.id)}
    assert sorted(marks_text(page)) == sorted(
        ["Amélie Tremblay", "Visitors travelled", "😀 Visitors"]
    )


def test_non_breaking_space_is_kept_inside_a_highlight(page, unicode_set, store):
    art = unicode_set["festival"]
    b = Bridge(page, kit.Annotator(art, store)).mount()
    drag(page, "$2.5\u00a0million")
    page.locator(".kit-tag[data-tag='unsourced-figure']").click()
    b.pump()
    [ann] = store.annotations(art.id)
    assert ann.exact == "$2.5\u00a0million"
    assert art.text[ann.start : ann.end] == ann.exact


def _rgb(hex_colour: str) -> str:
    """A #RRGGBB colour as getComputedStyle writes it."""
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def s_u16(text: str, phrase: str) -> int:
    return len(text[: text.index(phrase)].encode("utf-16-le")) // 2


# ----------------------------------------------------------------------------- security


HOSTILE_NOTE = "<img src=x onerror=\"window.__kitPwned='note'\"><script>alert(1)</script>"


def test_hostile_article_note_and_label_stay_inert_and_literal(page, store):
    art = kit.load_articles(FIXTURES / "articles-hostile")["hostile"]
    w = kit.Annotator(art, store)
    s = art.text.index("<img")
    w.add(s, art.text.index(">", s) + 1, "checkable-claim", note=HOSTILE_NOTE)
    b = Bridge(page, w).mount()
    # A tag label and a hint reason are data too.
    tags = [dict(t) for t in w._tags]
    tags[0]["label"] = "<svg onload=\"window.__kitPwned='label'\">"
    hint = {"start": 0, "end": 8, "tag": tags[0]["id"], "kind": "x", "reason": HOSTILE_NOTE}
    page.evaluate(
        "([t, h]) => kitHarness.push({_tags: t, _hints: [h], show_hints: true})", [tags, [hint][0]]
    )
    page.locator("mark.kit-seg").first.click()  # open the panel: the note is shown
    assert page.locator(".kit-panel textarea").input_value() == HOSTILE_NOTE
    page.wait_for_timeout(300)  # give any injected handler time to fire
    assert page.evaluate("window.__kitPwned") is None
    created = page.evaluate(
        "() => document.querySelectorAll('#widget script, #widget img, #widget svg, "
        "#widget iframe, #widget details, #widget a, #widget b, #widget circle').length"
    )
    assert created == 0
    shown = shown_text(page)
    assert shown == "\n".join(art.span_text(p) for p in art.paragraphs)
    for literal in (
        "<script>window.__kitPwned",
        "<img src=x onerror=",
        "<svg onload=",
        '<iframe srcdoc="<script>',
        "<details open ontoggle=",
        "&lt;not an entity&gt;",
        "${injection}",
    ):
        assert literal in shown
    assert '<svg onload="window.__kitPwned' in page.locator(".kit-toolbar").inner_text()
    assert not [u for u in page.requests if not u.startswith(page.url.split("/tests/")[0])]
    assert not [u for u in page.requests if u.endswith("/x")]
    b.pump()
    no_trouble(page)


def test_forged_message_with_bad_offsets_is_refused_and_reported(page, seed, store):
    w = kit.Annotator(seed, store, tags=["hedge"])
    b = Bridge(page, w).mount()
    forge = "m => kitHarness.model.send(m)"
    page.evaluate(forge, {"type": "add", "start": 5, "end": 999999, "tag": "hedge", "request": 7})
    page.evaluate(forge, {"type": "add", "start": 5, "end": 9, "tag": "named-source", "request": 8})
    b.pump()
    assert store.annotations("A") == []
    # The page shows the refusal of the last request.
    assert "Not saved" in page.locator(".kit-status").inner_text()


# ----------------------------------------------------------------------------- hints and key


def test_show_hints_overlays_reasons_and_a_hint_can_be_accepted(page, seed, store, monkeypatch):
    phrase = "official statements"
    s = seed.text.index(phrase)
    fake = [
        Hint(
            s,
            s + len(phrase),
            "anonymous-source",
            "attribution:anonymous",
            "No one is named: whose statements?",
        )
    ]
    monkeypatch.setattr("kit.hints.hints", lambda article, tags=None: fake)
    b = Bridge(page, kit.Annotator(seed, store)).mount()
    assert page.locator(".kit-hinted").count() == 0
    page.get_by_role("button", name="Show hints").click()
    b.pump()
    assert page.get_by_role("button", name="Show hints").get_attribute("aria-pressed") == "true"
    hinted = page.locator(".kit-hinted")
    assert hinted.inner_text() == phrase
    chip = page.locator(".kit-chip-hint")
    assert (chip.inner_text(), chip.get_attribute("title")) == (
        "Anonymous?",
        "Hint: Anonymous source",
    )
    hinted.click()
    assert "whose statements?" in page.locator(".kit-panel .kit-reason").inner_text()
    page.locator(".kit-panel .kit-accept").click()
    b.pump()
    assert [(a.exact, a.tag) for a in store.annotations("A")] == [(phrase, "anonymous-source")]


@dataclass(frozen=True)
class _KeyItem:  # the answer-key entry contract (kit.keys.KeyItem)
    article_id: str
    tag: str
    start: int
    end: int
    exact: str
    explanation: str


def test_answer_key_mode_is_read_only_and_explains(page, seed, store):
    phrase = "According to official statements"
    s = seed.text.index(phrase)
    key = [
        _KeyItem("A", "anonymous-source", s, s + len(phrase), phrase, "Which statements?"),
        _KeyItem("B", "hedge", 0, 3, "x", "other article"),
    ]
    b = Bridge(page, kit.Annotator(seed, store, key=key)).mount()
    page.get_by_role("button", name="Answer key").click()
    b.pump()
    assert "Answer key" in page.locator(".kit-banner").inner_text()
    assert marks_text(page) == [phrase]
    assert page.locator(".kit-tag").first.is_disabled()
    page.locator("mark.kit-key").first.click()
    assert page.locator(".kit-panel .kit-reason").inner_text() == "Which statements?"
    assert page.locator(".kit-panel select").count() == 0  # nothing to edit


# ----------------------------------------------------------------------------- reader


def test_reader_picker_switches_article_with_numbers_and_furniture(page, articles):
    r = Reader(articles)
    b = Bridge(page, r).mount()
    assert page.locator(".kit-toolbar").is_hidden()
    assert page.locator(".kit-tag").count() == 0
    assert "".join(page.locator(".kit-headline-seg").all_inner_texts()) == articles["A"].headline
    page.locator(".kit-picker select").select_option("C")
    b.pump()
    c = articles["C"]
    assert r.selected == "C"
    assert "headline unknown" in page.locator(".kit-header").inner_text()
    numbers = page.locator(".kit-pnum").all_inner_texts()
    assert numbers == [str(i) for i in range(1, len(c.paragraphs) + 1)]
    assert page.locator(".kit-furniture").count() >= 1
    labels = page.locator(".kit-furniture-label").all_inner_texts()
    assert [f"Page furniture: {s.label}".lower() for s in c.boilerplate] == [
        x.lower() for x in labels
    ]
    assert shown_text(page) == "\n".join(c.span_text(p) for p in c.paragraphs)
    page.locator(".kit-picker select").select_option("D")
    b.pump()
    assert "".join(page.locator(".kit-headline-seg").all_inner_texts()) == articles["D"].headline
    # Selecting text in the reader never offers to save anything, and stays copyable.
    d = articles["D"]
    first_words = d.text[d.body_paragraphs[1].start : d.body_paragraphs[1].start + 12]
    drag(page, first_words)
    assert page.evaluate("String(window.getSelection())") == first_words
    assert b.pump() == []
    no_trouble(page)


def test_unmount_removes_every_model_listener(page, seed, store):
    Bridge(page, kit.Annotator(seed, store)).mount()
    assert page.evaluate("() => kitHarness.model.handlerCount()") > 0
    assert page.evaluate("() => kitHarness.unmount()") == 0
    assert page.locator("#widget").inner_html() == ""


# ----------------------------------------------------------------------------- real JupyterLab


@pytest.mark.slow
def test_annotator_in_jupyterlab_saves_mouse_and_keyboard_highlights(lab, lab_page):
    """The same module in a real JupyterLab 4 with a kernel: highlights reach the learner's file,
    and keys typed in the widget never trigger notebook shortcuts."""
    import time

    from kit.annotations import read_annotations_file
    from tests.browser import lab as labkit

    source = (
        "import kit\n"
        f"arts = kit.load_articles('{labkit.SEED_PATH}')\n"  # the seed set, whatever the course's
        "w = kit.Annotator(arts['A'], kit.open_store('Widget Tester'), hints=True)\n"
        "w"
    )
    labkit.write_notebook(lab, "widget_check.ipynb", source)
    page = lab_page
    labkit.open_notebook(page, lab, "widget_check.ipynb", page.workspace)
    labkit.run_all(page)
    try:
        if not page.locator(".jp-OutputArea-output").count():
            labkit.run_all(page)  # the Run menu can be clicked before the kernel is connected
        page.wait_for_selector(".kit-annotator .kit-seg", timeout=60_000)
    except Exception:
        outputs = page.locator(".jp-OutputArea-output").all_inner_texts()
        pytest.fail(f"the annotator did not render; outputs: {outputs}; log: {page.watch}")
    page.evaluate(
        """() => { for (const s of document.querySelectorAll('.kit-seg'))
                     if (s.textContent.includes('Canadian officials')) {
                       s.scrollIntoView({block: 'center'}); return; } }"""
    )
    drag(page, "Canadian officials")
    page.locator(".kit-tag[data-tag='anonymous-source']").click()
    page.wait_for_selector("mark.kit-seg", timeout=30_000)
    # Keyboard: digits and arrows belong to the widget, not to the notebook.
    page.locator(".kit-text").focus()
    page.keyboard.press("Home")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Shift+ArrowRight")
    chosen = page.locator(".kit-status").inner_text()
    page.keyboard.press("7")  # Hedge
    deadline = time.time() + 30
    saved: list = []
    while time.time() < deadline and len(saved) < 2:
        files = list(lab.annotations_dir.glob("widget-tester*.json"))
        saved = read_annotations_file(files[0]) if files else []
        time.sleep(0.5)
    assert sorted(a.tag for a in saved) == ["anonymous-source", "hedge"], chosen
    assert "Canadian officials" in {a.exact for a in saved}
    cell_type = page.evaluate(
        "() => window.jupyterapp.shell.currentWidget.content.model.cells.get(0).type"
    )
    assert cell_type == "code"  # "7" did not turn the cell into a heading
    assert page.watch.external == []


# ----------------------------------------------------------------------------- layout, a11y


def _add(widget, phrase: str, tag: str, nth: int = 0):
    at = -1
    for _ in range(nth + 1):
        at = widget.article.text.index(phrase, at + 1)
    return widget.add(at, at + len(phrase), tag)


def test_a_label_never_leaves_its_word_or_the_punctuation_after_it(page, seed, store):
    """At every text width, the label after "this week" shares a line with "week" and the
    full stop that follows, and a hint label with its word and comma."""
    w = kit.Annotator(seed, store)
    phrase = "this week"
    assert seed.text[seed.text.index(phrase) + len(phrase)] == "."  # the case in question
    _add(w, phrase, "unsourced-figure")
    Bridge(page, w).mount()
    broken = page.evaluate(
        """() => {
          const text = document.querySelector('.kit-text');
          const chip = document.querySelector('.kit-chip-hl');
          const mark = chip.previousElementSibling, next = chip.nextElementSibling;
          const top = (node, i) => { const r = document.createRange();
            r.setStart(node, i); r.setEnd(node, i + 1); return r.getClientRects()[0].top; };
          const lines = (e) => [...e.getClientRects()].map(r => r.top);
          const bad = [];
          for (let width = 260; width <= 720; width += 3) {
            text.style.width = width + 'px';
            const word = top(mark.firstChild, mark.firstChild.data.length - 1);
            const stop = top(next.firstChild, 0);
            const label = lines(chip);
            if (label.length !== 1 || Math.abs(label[0] - stop) > 12 || Math.abs(word - stop) > 2)
              bad.push(width);
          }
          return bad;
        }"""
    )
    assert broken == []
    assert page.locator(".kit-chip-hl").evaluate("e => e.nextElementSibling.textContent")[0] == "."


def test_a_hint_label_does_not_split_an_answer_key_mark(page, seed, store, monkeypatch):
    phrase = "Chinese leaders urged Ottawa"
    s = seed.text.index(phrase)
    inner = s + len("Chinese leaders")
    hint = Hint(s, inner, "anonymous-source", "attribution:anonymous", "No one is named.")
    monkeypatch.setattr("kit.hints.hints", lambda article, tags=None: [hint])
    key = [_KeyItem("A", "checkable-claim", s, s + len(phrase), phrase, "Check it.")]
    b = Bridge(page, kit.Annotator(seed, store, key=key, hints=True)).mount()
    page.get_by_role("button", name="Answer key").click()
    b.pump()
    assert page.locator(".kit-hinted").count() >= 1 and page.locator(".kit-chip-hint").count() == 1
    # In the paragraph's order of children, nothing but the key's own segments sits between
    # the first and the last segment of the key mark; the hint's label comes after it.
    order = page.evaluate(
        """() => [...document.querySelector('mark.kit-key').parentElement.children]
              .map(e => e.matches('mark.kit-key') ? 'key' : e.matches('.kit-chip-hint') ? 'hint'
                      : e.matches('.kit-chip') ? 'label' : 'text')"""
    )
    first, last = order.index("key"), len(order) - 1 - order[::-1].index("key")
    assert set(order[first : last + 1]) == {"key"}, order
    assert order.index("hint") == last + 2 and order[last + 1] == "label", order


def test_after_saving_a_card_the_caret_is_after_that_highlight(page, seed, store):
    w = kit.Annotator(seed, store)
    _add(w, "Chinese leaders", "named-source")
    b = Bridge(page, w).mount()
    page.locator("mark.kit-seg").first.click()
    page.locator(".kit-panel textarea.kit-edit-note").fill("who?")
    page.locator(".kit-panel .kit-save").click()
    b.pump()
    assert store.annotations("A")[0].note == "who?"
    assert page.locator(".kit-panel").count() == 0
    assert page.evaluate("document.activeElement.classList.contains('kit-text')")
    assert page.locator(".kit-caret").inner_text() == "urged"  # the word after the highlight
    # ... and the keyboard goes on from there.
    page.keyboard.press("ArrowRight")
    assert page.locator(".kit-caret").inner_text() == "Ottawa"


# What JupyterLab's own style sheet does to description lists in an output (it floats <dt>
# and <dd> at 20% and 80%): the keyboard help must stay in two aligned columns all the same.
JUPYTERLAB_OUTPUT_CSS = """
.jp-OutputArea-output dl, .jp-OutputArea-output dt, .jp-OutputArea-output dd { display: block; }
.jp-OutputArea-output dl { width: 100%; overflow: hidden; padding: 0; margin: 0; }
.jp-OutputArea-output dt { font-weight: bold; float: left; width: 20%; padding: 0; margin: 0; }
.jp-OutputArea-output dd { float: left; width: 80%; padding: 0; margin: 0; }
.jp-OutputArea-output table { border: 1px solid red; }
.jp-OutputArea-output td, .jp-OutputArea-output th { text-align: right; padding: 9px; }
"""


def test_keyboard_help_is_a_two_column_table_even_in_jupyterlab(page, seed, store):
    page.add_style_tag(content=JUPYTERLAB_OUTPUT_CSS)
    page.evaluate("document.getElementById('widget').classList.add('jp-OutputArea-output')")
    Bridge(page, kit.Annotator(seed, store)).mount()
    page.get_by_role("button", name="Keyboard help").click()
    rows = page.evaluate(
        """() => [...document.querySelectorAll('.kit-keys tbody tr')].map(tr => {
             const [k, d] = tr.children;
             const a = k.getBoundingClientRect(), b = d.getBoundingClientRect();
             return [k.textContent, d.textContent, a.top, b.top, a.left, b.left, a.right];
           })"""
    )
    assert len(rows) >= 6 and rows[0][:2] == ["← →", "move word by word"]
    assert all(abs(r[2] - r[3]) < 1 for r in rows)  # key and description on one row
    assert len({round(r[4]) for r in rows}) == 1  # keys in one column ...
    assert len({round(r[5]) for r in rows}) == 1  # ... descriptions in another, after them
    assert all(r[5] >= r[6] - 1 for r in rows)
    assert page.locator(".kit-keys th[scope='row']").count() == len(rows)


def test_a_hint_says_the_tags_plain_label_not_the_detector_kind(page, seed, store, monkeypatch):
    s = seed.text.index("Beijing")
    fake = [Hint(s, s + 7, "organization-source", "attribution:organization", "An institution.")]
    monkeypatch.setattr("kit.hints.hints", lambda article, tags=None: fake)
    Bridge(page, kit.Annotator(seed, store, hints=True)).mount()
    page.locator(".kit-hinted").first.click()
    card = page.locator(".kit-panel .kit-card-hint").inner_text()
    assert "Organization source?" in card
    assert "attribution" not in card, card


def test_each_tag_is_underlined_in_its_taxonomy_colour_and_a_style_of_its_own(page, seed, store):
    w = kit.Annotator(seed, store)
    phrases = ["China", "Beijing", "Canadian officials", "this week", "Chinese leaders"]
    tags = [t["id"] for t in w._tags][: len(phrases)]
    for phrase, tag in zip(phrases, tags, strict=True):
        _add(w, phrase, tag, nth=1 if phrase == "China" else 0)
    Bridge(page, w).mount()
    drawn = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('mark.kit-hl')].map(m => {
             const c = getComputedStyle(m);
             const key = m.dataset.marks;
             return [m.textContent, [c.textDecorationLine, c.textDecorationStyle,
                                     c.textDecorationColor, c.textDecorationThickness]];
           }))"""
    )
    colours = {t.id: t.colour for t in kit.load_taxonomy()}
    styles = {t["id"]: t["underline"] for t in w._tags}
    for phrase, tag in zip(phrases, tags, strict=True):
        line, style, colour, thickness = drawn[phrase]
        assert (line, style, colour) == ("underline", styles[tag], _rgb(colours[tag])), phrase
        assert float(thickness.removesuffix("px")) >= 2
    # Tags whose colours are close (named and organization source) differ in line style, and
    # the legend and the tag buttons show each tag's line.
    assert styles["named-source"] != styles["organization-source"]
    sample = page.locator(".kit-legend-list li[data-tag='organization-source'] .kit-sample")
    assert (
        sample.evaluate("e => getComputedStyle(e).textDecorationStyle")
        == styles["organization-source"]
    )
    label = page.locator(".kit-tag[data-tag='organization-source'] .kit-tag-label")
    assert label.evaluate("e => getComputedStyle(e).textDecorationColor") == _rgb(
        colours["organization-source"]
    )


def test_a_highlight_saved_by_another_notebook_appears_on_focus(page, seed, tmp_path):
    """Two notebooks, two kernels, one learner: each has its own store on the same file."""
    mine = kit.Annotator(seed, kit.open_store("Ana", folder=tmp_path))
    b = Bridge(page, mine).mount()
    other = kit.Annotator(seed, kit.open_store("Ana", folder=tmp_path))
    _add(other, "Canadian officials", "anonymous-source")
    b.pump()
    assert marks_text(page) == []  # nothing asked yet
    page.locator(".kit-text").focus()
    sent = page.evaluate("() => kitHarness.model.sent.map(m => m.type)")
    assert sent == ["refresh"]
    b.pump()
    assert marks_text(page) == ["Canadian officials"]
    page.locator(".kit-tag").first.focus()  # within a second: no second request
    assert page.evaluate("() => kitHarness.model.sent.length") == 0


def test_the_page_asks_to_refresh_every_few_seconds_while_on_screen(page, seed, store):
    Bridge(page, kit.Annotator(seed, store)).mount()
    page.wait_for_timeout(5600)
    sent = page.evaluate("() => kitHarness.model.sent.map(m => m.type)")
    assert sent == ["refresh"]  # once in 5 s, not a busy poll


def test_keys_used_in_the_widget_do_not_reach_the_notebook(page, seed, store):
    """JupyterLab listens for command-mode keys on the notebook node, above the widget."""
    Bridge(page, kit.Annotator(seed, store, tags=["hedge", "loaded-language"])).mount()
    page.evaluate(
        """() => { window.leaked = [];
                   document.body.addEventListener('keydown', e => window.leaked.push(e.key)); }"""
    )
    page.locator(".kit-tag").first.focus()
    for key in ("ArrowDown", "ArrowRight", "ArrowUp", "ArrowLeft", "End", "Home", "a", "1"):
        page.keyboard.press(key)
        assert page.evaluate("document.activeElement.classList.contains('kit-tag')"), key
    page.locator(".kit-help-toggle").focus()
    for key in ("ArrowDown", "ArrowUp", "j", "k", "m"):
        page.keyboard.press(key)
    page.locator(".kit-text").focus()
    for key in ("ArrowDown", "ArrowRight", "Shift+ArrowRight", "Escape", "x", "?"):
        page.keyboard.press(key)
    assert page.evaluate("window.leaked") == []
    page.keyboard.press("Control+s")  # the notebook's own shortcuts still work
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Tab")
    leaked = [k for k in page.evaluate("window.leaked") if k not in ("Control", "Shift")]
    assert leaked == ["s", "Enter", "Tab"]
