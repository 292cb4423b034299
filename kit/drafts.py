"""Draft answer keys without writing offsets: from the kit's hints, or an instructor's highlights.

`draft_from_hints` turns the detectors' hits (`kit.hints.hints`, which runs
`find_attributions`, `find_figures` and `find_framing`) into key items marked ``draft =
true`` for the instructor to confirm. `from_annotations` turns an instructor's own highlights,
made in the annotator, into items; a highlight without a note gets a placeholder
explanation and stays a draft. `key_toml` writes either as a key file in the format of
``data/keys/README.md``: each item quotes its words (with ``occurrence`` when they repeat),
so the key stays readable and `kit.load_key` finds the offsets again.

A key drafted from the hints is a starting point, not an independent yardstick: measuring
the detectors against it (``kit evaluate``) flatters them until the instructor has
corrected it.

>>> import kit
>>> items, skipped = draft_from_hints(kit.load_articles("tests/fixtures/sets/harbour-bridge"))
>>> all(i.draft for i in items), skipped
(True, [])
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import Any

from kit.articles import ArticleSet
from kit.importing import toml_string
from kit.keys import KeyItem, _find_all, _valid_tags

__all__ = ["NO_NOTE", "draft_from_hints", "from_annotations", "key_toml"]

NO_NOTE = "Write here why a careful reader should notice these words."
_SOURCE_KINDS = {
    "named-source": "named",
    "organization-source": "organization",
    "anonymous-source": "anonymous",
}


def draft_from_hints(articles: ArticleSet) -> tuple[list[KeyItem], list[str]]:
    """One draft item per detector hint in every article, with the hint's reason.

    Returns ``(items, skipped)``; ``skipped`` is always empty here (kept for symmetry with
    `from_annotations`).
    """
    from kit.hints import hints

    items = []
    for article in articles:
        for h in hints(article):
            if article.is_boilerplate(h.start, h.end):
                continue  # page furniture is not what learners are asked to mark
            items.append(_item(article.id, article.text, h.start, h.end, h.tag, h.reason, True))
    return sorted(items), []


def from_annotations(
    annotations: Iterable[Any], articles: ArticleSet
) -> tuple[list[KeyItem], list[str]]:
    """Key items from highlights (`kit.read_annotations_file`), and why any were left out.

    A highlight keeps its note as the explanation and is confirmed; one with no note gets
    `NO_NOTE` and ``draft = true``. Highlights on another article set, on text that has since
    changed, or with a tag keys do not know are reported, not guessed at.
    """
    valid = set(_valid_tags())
    items, skipped, seen = [], [], set()
    for ann in annotations:
        where = f"highlight {ann.exact[:40]!r} ({ann.article_id})"
        if ann.article_id not in articles:
            skipped.append(f"{where}: no article {ann.article_id!r} in this set")
            continue
        text = articles[ann.article_id].text
        if (
            getattr(ann, "status", "anchored") != "anchored"
            or text[ann.start : ann.end] != ann.exact
        ):
            skipped.append(f"{where}: the article's words there have changed")
            continue
        if ann.tag not in valid:
            skipped.append(f"{where}: tag {ann.tag!r} is not a key tag")
            continue
        if (ann.article_id, ann.start, ann.end, ann.tag) in seen:
            continue
        seen.add((ann.article_id, ann.start, ann.end, ann.tag))
        note = " ".join(ann.note.split())
        items.append(
            _item(ann.article_id, text, ann.start, ann.end, ann.tag, note or NO_NOTE, not note)
        )
    return sorted(items), skipped


def _item(aid: str, text: str, start: int, end: int, tag: str, why: str, draft: bool) -> KeyItem:
    return KeyItem(
        article_id=aid,
        start=start,
        end=end,
        tag=tag,
        exact=text[start:end],
        explanation=why,
        kind=_SOURCE_KINDS.get(tag),
        draft=draft,
    )


def _occurrence(text: str, item: KeyItem) -> int:
    hits = _find_all(text, item.exact)
    return hits.index((item.start, item.end)) + 1


def key_toml(
    set_name: str,
    items: Iterable[KeyItem],
    articles: ArticleSet,
    *,
    method: str,
    annotators: str = "unknown",
) -> str:
    """The text of a key file for ``items``; `kit.load_key` reads it back to the same spans.

    >>> import kit
    >>> s = kit.load_articles("tests/fixtures/sets/harbour-bridge")
    >>> items, _ = draft_from_hints(s)
    >>> text = key_toml("harbour-bridge", items[:1], s, method="test")
    >>> "draft = true" in text
    True
    """
    today = _dt.date.today().isoformat()
    drafts = sum(i.draft for i in items) if isinstance(items, list) else None
    out = [
        f"# Answer key for the article set {toml_string(set_name)}, written by `kit key` on "
        f"{today}.",
        "# Items marked draft = true are unconfirmed: read each one, fix its tag, quote or",
        "# explanation, and delete its draft line when you agree (or delete the whole item).",
        "# Add what is missing. `kit validate` lists what is still a draft.",
        "# The format is described in data/keys/README.md.",
        "",
        "[key]",
        f"set = {toml_string(set_name)}",
        "schema_version = 1",
        f"method = {toml_string(method)}",
        f"annotators = {toml_string(annotators)}",
    ]
    if drafts is not None:
        out.append(f"# {drafts} of {len(items)} items are drafts.")
    for item in items:
        text = articles[item.article_id].text
        out += [
            "",
            "[[item]]",
            f"article = {toml_string(item.article_id)}",
            f"tag = {toml_string(item.tag)}",
            f"quote = {toml_string(item.exact)}",
        ]
        n = _occurrence(text, item)
        if n > 1:
            out.append(f"occurrence = {n}")
        if item.kind:
            out.append(f"kind = {toml_string(item.kind)}")
        out.append(f"explanation = {toml_string(item.explanation)}")
        if item.draft:
            out.append("draft = true")
    return "\n".join(out) + "\n"
