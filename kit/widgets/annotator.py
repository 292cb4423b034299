"""The highlight-to-annotate widget: select words, pick a tag, add a note; saved at once.

The browser side is ``annotator.js`` (an anywidget ES module shipped with the package, no
build step, nothing fetched from the network). It never writes anything itself: it asks
Python to add, change or remove a highlight, Python writes the learner's store and pushes
the refreshed list back. The same methods work from Python, so notebooks and tests can
annotate without a browser.

Offsets: Python speaks code points, the browser UTF-16 units; `OffsetMap` converts at the
border (`_to_browser` / `_from_browser`), nowhere else.

Protocol (custom widget messages; every offset in UTF-16 units of ``_doc["text"]``):

page -> Python
    ``{"type": "add", "start", "end", "tag", "note", "request"}``,
    ``{"type": "update", "id", "tag"?, "note"?, "request"}``,
    ``{"type": "remove", "id", "request"}``,
    ``{"type": "refresh"}`` (the page got focus, or a few seconds passed while it is on screen:
    re-read the learner's file, so highlights saved by another notebook appear; no answer)
Python -> page
    ``{"type": "result", "request", "ok": true, "message"}`` or
    ``{"type": "result", "request", "ok": false, "error"}``; the refreshed list of highlights
    arrives as the synced trait ``_highlights`` (id, start, end, tag, note, exact).

Synced traits: ``mode`` ("annotate" or "read"), ``_doc`` (text, headline, outlet, paragraphs
with numbers, page furniture), ``_tags`` (taxonomy: label, colour, underline, ``enabled``
for the lesson's tags),
``_highlights``, ``show_hints`` / ``_hints``, ``show_key`` / ``_key`` / ``_key_available``,
``_choices`` / ``selected`` (the reader's picker) and ``status`` (a message for the learner).
"""

from __future__ import annotations

import difflib
import logging
import re
import weakref
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from kit.articles import Article
from kit.hints import Hint, TagInfo, load_tags
from kit.widgets._offsets import OffsetMap

__all__ = ["Annotator"]

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_GREY = "#7F7F7F"
# How a highlight of each tag is underlined, so tags differ by more than colour (WCAG 1.4.1).
# A tag's ``underline`` in data/taxonomy.toml wins; these are for a taxonomy without one.
# Tags whose colours are close, or merge for colour-blind readers (named vs organization
# source, named source vs loaded language, unsourced figure vs checkable claim), differ here.
# Dotted is left for the detector hints.
UNDERLINE_STYLES = ("solid", "dashed", "dotted", "double", "wavy")
_UNDERLINE = {
    "named-source": "solid",
    "organization-source": "dashed",
    "anonymous-source": "wavy",
    "unsourced-figure": "double",
    "checkable-claim": "solid",
    "loaded-language": "double",
    "hedge": "dashed",
    "framing-label": "wavy",
    "opinion-as-fact": "solid",
}


def underline_styles(tags: Sequence[Any] | None = None) -> dict[str, str]:
    """The underline style of each tag: the taxonomy's ``underline`` if set, else the kit's.

    >>> underline_styles()["organization-source"] in UNDERLINE_STYLES
    True
    """
    if tags is None:
        from kit.keys import load_taxonomy

        tags = load_taxonomy()
    out = {}
    for t in tags:
        style = getattr(t, "underline", None)
        out[t.id] = style if style in UNDERLINE_STYLES else _UNDERLINE.get(t.id, "solid")
    return out


def _tag_payload(
    tags: Sequence[TagInfo], enabled: Sequence[str], underline: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    underline = underline or {}
    on = {tag: i for i, tag in enumerate(enabled)}
    # The lesson's tags first, in the lesson's order (their number keys are 1, 2, ...).
    ordered = sorted(tags, key=lambda t: on.get(t.id, len(on)))
    return [
        {
            "id": t.id,
            "label": t.label,
            "definition": t.definition,
            # Only a plain hex colour reaches the page: a taxonomy is data, not style sheet.
            "colour": t.colour if _COLOUR.fullmatch(t.colour) else _GREY,
            "underline": underline.get(t.id, "solid"),
            "enabled": t.id in on,
        }
        for t in ordered
    ]


def _article_payload(article: Article, offsets: OffsetMap) -> dict[str, Any]:
    """What the page needs to show an article, with UTF-16 offsets."""
    u = offsets.to_utf16
    head = article.headline_span
    return {
        "id": article.id,
        "text": article.text,
        "headline": article.headline,
        "outlet": article.outlet,
        "byline": article.byline,
        "published": article.published,
        "headline_span": None if head is None else {"start": u(head.start), "end": u(head.end)},
        "paragraphs": [
            {"start": u(p.start), "end": u(p.end), "number": n}
            for n, p in enumerate(article.paragraphs, start=1)
        ],
        "boilerplate": [
            {"start": u(b.start), "end": u(b.end), "label": b.label} for b in article.boilerplate
        ],
    }


class _ArticleView(anywidget.AnyWidget):
    """What the annotator and the reader share: the ES module, the styles and the traits."""

    _esm = HERE / "annotator.js"
    _css = HERE / "annotator.css"

    mode = traitlets.Unicode("annotate").tag(sync=True)
    _doc = traitlets.Dict().tag(sync=True)
    _tags = traitlets.List().tag(sync=True)
    _highlights = traitlets.List().tag(sync=True)
    _hints = traitlets.List().tag(sync=True)
    show_hints = traitlets.Bool(False).tag(sync=True)
    _key = traitlets.List().tag(sync=True)
    _key_available = traitlets.Bool(False).tag(sync=True)
    show_key = traitlets.Bool(False).tag(sync=True)
    _choices = traitlets.List().tag(sync=True)
    selected = traitlets.Unicode("").tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)


class Annotator(_ArticleView):
    """Highlight passages of one article with the course's tags, saved to a learner's store.

    ``tags`` restricts the toolbar to some tags (a lesson on sources offers only the source
    tags); ``hints=True`` starts with the detector hints shown; ``key`` (an answer key, or
    True for the course's key) adds a read-only "Answer key" view.

    >>> import tempfile, kit
    >>> a = kit.load_articles()["A"]
    >>> with tempfile.TemporaryDirectory() as d:
    ...     w = kit.Annotator(a, kit.open_store("Ana", folder=d), tags=["anonymous-source"])
    ...     start = a.text.index("Canadian officials")
    ...     ann = w.add(start, start + len("Canadian officials"), "anonymous-source")
    ...     [(x.exact, x.tag) for x in w.annotations]
    [('Canadian officials', 'anonymous-source')]
    """

    def __init__(
        self,
        article: Article,
        store: Any,
        tags: Iterable[str] | None = None,
        hints: bool = False,
        *,
        key: Any = None,
    ) -> None:
        if not isinstance(article, Article):
            raise TypeError(
                f"Annotator needs one article (e.g. articles['A']), not {type(article).__name__}"
            )
        if isinstance(store, (str, Path)):
            from kit.annotations import open_store

            store = open_store(folder=store)
        for name in ("add", "update", "remove", "annotations"):
            if not callable(getattr(store, name, None)):
                raise TypeError(
                    f"Annotator needs an annotation store from kit.open_store(...), "
                    f"not {type(store).__name__}"
                )
        self.article = article
        self.store = store
        self._offsets = OffsetMap(article.text)
        self._taxonomy = load_tags()
        self.allowed_tags = self._check_tags(tags)
        self._annotations: list[Any] = []
        self._hint_cache: list[Hint] | None = None
        self._key_source = key
        super().__init__(
            mode="annotate",
            _doc=_article_payload(article, self._offsets),
            _tags=_tag_payload(self._taxonomy, self.allowed_tags, underline_styles()),
            _key_available=key is not None and key is not False,
        )
        self.on_msg(self._on_browser_message)
        self.observe(self._on_show_hints, names="show_hints")
        self.observe(self._on_show_key, names="show_key")
        subscribe = getattr(store, "subscribe", None)
        # Another widget (or notebook) on the same store changed it: show that here too. A weak
        # reference, so a store outliving its widgets does not keep them all alive.
        me = weakref.ref(self)

        def on_change(_event: Any) -> None:
            widget = me()
            if widget is not None:
                widget.refresh()

        self._unsubscribe = subscribe(on_change) if callable(subscribe) else None
        self.refresh()
        if hints:
            self.show_hints = True

    # ------------------------------------------------------------------ Python API

    @property
    def annotations(self) -> list[Any]:
        """The learner's annotations on this article, as saved in the store right now."""
        self.refresh()
        return list(self._annotations)

    @property
    def hints(self) -> list[Hint]:
        """Detector hints for this article, limited to the tags this annotator offers."""
        if self._hint_cache is None:
            from kit.hints import hints as find_hints

            self._hint_cache = find_hints(self.article, tags=self.allowed_tags)
        return list(self._hint_cache)

    def counts(self) -> dict[str, int]:
        """How many highlights this article has per tag, e.g. ``{"hedge": 2}``."""
        return dict(Counter(a.tag for a in self.annotations))

    def add(self, start: int, end: int, tag: str, note: str = "") -> Any:
        """Highlight ``article.text[start:end]`` (code points) with ``tag``; saved at once."""
        if tag not in self.allowed_tags:
            raise ValueError(self._tag_problem(tag))
        try:
            annotation = self.store.add(self.article, start, end, tag, note=note)
        finally:
            self.refresh()
        return annotation

    def update(self, annotation_id: str, *, tag: str | None = None, note: str | None = None) -> Any:
        """Change a highlight's tag and/or note; saved at once."""
        if tag is not None and tag not in self.allowed_tags:
            raise ValueError(self._tag_problem(tag))
        self._own(annotation_id)
        try:
            annotation = self.store.update(annotation_id, tag=tag, note=note)
        finally:
            self.refresh()
        return annotation

    def remove(self, annotation_id: str) -> None:
        """Delete a highlight; saved at once."""
        self._own(annotation_id)
        try:
            self.store.remove(annotation_id)
        finally:
            self.refresh()

    def refresh(self) -> None:
        """Re-read the store and show its current highlights for this article."""
        found = list(self.store.annotations(self.article.id))
        placed = [a for a in found if getattr(a, "status", "anchored") == "anchored"]
        lost = len(found) - len(placed)
        self._annotations = found
        self._highlights = [self._to_browser(a) for a in placed if self._fits(a)]
        if lost:
            self.status = (
                f"{lost} of your highlights could not be found in this text any more "
                "(the article changed); they are kept in your file but not shown."
            )

    # ------------------------------------------------------------------ browser side

    def _refresh_quietly(self) -> None:
        """The page asked for the file's news: a problem goes to the status line, not a log."""
        try:
            self.refresh()
        except Exception as exc:
            if not _expected(exc):
                log.exception("annotator: refresh failed")
            self.status = f"Could not re-read your highlights: {exc}"

    def _on_browser_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict):
            return
        kind = content.get("type")
        request = content.get("request")
        if kind == "refresh":
            self._refresh_quietly()
            return
        if kind not in {"add", "update", "remove"}:
            return
        try:
            message = self._apply(kind, content)
        except Exception as exc:
            # Whatever went wrong, the learner must see that the highlight was NOT saved.
            if not _expected(exc):
                log.exception("annotator: %s request failed", kind)
            self.send({"type": "result", "request": request, "ok": False, "error": str(exc)})
            return
        self.send({"type": "result", "request": request, "ok": True, "message": message})

    def _apply(self, kind: str, content: dict[str, Any]) -> str:
        if kind == "add":
            start, end = self._from_browser(content.get("start"), content.get("end"))
            tag = _text_field(content, "tag")
            a = self.add(start, end, tag, note=_text_field(content, "note", default=""))
            return f"Tagged “{_short(a.exact)}” as {self._label(tag)}."
        annotation_id = _text_field(content, "id")
        if kind == "update":
            tag = content.get("tag")
            note = content.get("note")
            if tag is not None and not isinstance(tag, str):
                raise ValueError("the tag must be text")
            if note is not None and not isinstance(note, str):
                raise ValueError("the note must be text")
            a = self.update(annotation_id, tag=tag, note=note)
            return f"Saved “{_short(a.exact)}” as {self._label(a.tag)}."
        self.remove(annotation_id)
        return "Deleted."

    def _to_browser(self, a: Any) -> dict[str, Any]:
        start, end = self._offsets.span_to_utf16(a.start, a.end)
        return {
            "id": a.id,
            "start": start,
            "end": end,
            "tag": a.tag,
            "note": a.note,
            "exact": a.exact,
        }

    def _from_browser(self, start: Any, end: Any) -> tuple[int, int]:
        for value in (start, end):
            if not isinstance(value, int) or isinstance(value, bool):
                raise ValueError(f"offsets must be whole numbers, not {value!r}")
        return self._offsets.span_to_codepoints(start, end)

    def _fits(self, a: Any) -> bool:
        return 0 <= a.start < a.end <= len(self.article.text)

    def _on_show_hints(self, change: dict[str, Any]) -> None:
        if not change["new"] or self._hints:
            return
        try:
            found = self.hints
        except Exception as exc:
            # A detector failing must not break the learner's page: say so and switch off.
            log.exception("annotator: hints failed on article %s", self.article.id)
            self.status = f"Hints are not available: {exc}"
            self.show_hints = False
            return
        self._hints = [
            {
                "start": self._offsets.to_utf16(h.start),
                "end": self._offsets.to_utf16(h.end),
                "tag": h.tag,
                "kind": h.kind,
                "reason": h.reason,
            }
            for h in found
        ]
        if not found:
            self.status = "The detectors found nothing to hint at in this article."

    def _on_show_key(self, change: dict[str, Any]) -> None:
        if not change["new"] or self._key:
            return
        try:
            items = self.key_items()
        except (ImportError, LookupError, ValueError, OSError) as exc:
            self.status = f"The answer key cannot be shown: {exc}"
            self.show_key = False
            return
        self._key = [
            {
                "start": self._offsets.to_utf16(k.start),
                "end": self._offsets.to_utf16(k.end),
                "tag": k.tag,
                "exact": getattr(k, "exact", self.article.text[k.start : k.end]),
                "explanation": getattr(k, "explanation", "") or "",
            }
            for k in items
            if 0 <= k.start < k.end <= len(self.article.text)
        ]
        if not self._key:
            self.status = "The answer key has no entries for this article."

    def key_items(self) -> list[Any]:
        """The answer-key entries for this article (empty without a key)."""
        key = self._key_source
        if key is None or key is False:
            return []
        if key is True:
            from kit.keys import load_key

            key = self._key_source = load_key()
        items = getattr(key, "items", key)
        if callable(items):  # a mapping's .items(), or a method returning the entries
            items = items()
        found = [k for k in items if getattr(k, "article_id", None) == self.article.id]
        return sorted(found, key=lambda k: (k.start, k.end))

    # ------------------------------------------------------------------ checks

    def _check_tags(self, tags: Iterable[str] | None) -> tuple[str, ...]:
        known = [t.id for t in self._taxonomy]
        if tags is None:
            return tuple(known)
        if isinstance(tags, str):
            tags = [tags]
        chosen = tuple(dict.fromkeys(tags))
        for tag in chosen:
            if tag not in known:
                raise ValueError(self._tag_problem(tag, known))
        if not chosen:
            raise ValueError("tags=[] leaves nothing to tag with; leave it out to offer all tags")
        return chosen

    def _tag_problem(self, tag: Any, known: Sequence[str] | None = None) -> str:
        known = list(known if known is not None else self.allowed_tags)
        near = difflib.get_close_matches(str(tag), known, n=1)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        return f"tag {tag!r} is not offered here (tags: {', '.join(known)}){hint}"

    def _own(self, annotation_id: str) -> None:
        if not any(a.id == annotation_id for a in self._annotations):
            raise KeyError(f"no highlight {annotation_id!r} on article {self.article.id!r}")

    def _label(self, tag: str) -> str:
        return next((t.label for t in self._taxonomy if t.id == tag), tag)

    def close(self) -> None:
        """Close the widget and stop following the store."""
        unsubscribe = getattr(self, "_unsubscribe", None)
        if unsubscribe is not None:
            unsubscribe()
            self._unsubscribe = None
        super().close()


def _text_field(content: dict[str, Any], name: str, *, default: str | None = None) -> str:
    value = content.get(name, default)
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text")
    return value


def _short(text: str, limit: int = 50) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _expected(exc: Exception) -> bool:
    """Mistakes a learner can make (bad tag, unknown id, unreadable file), not kit bugs."""
    return isinstance(exc, (ValueError, KeyError, OSError))
