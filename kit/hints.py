"""Detector hints for the annotator: what the kit's detectors found, as taggable suggestions.

A hint is one detector hit mapped to a learner tag through the taxonomy's ``hint_kinds``
("attribution:anonymous" -> anonymous-source, "figure:unattributed" -> unsourced-figure,
"framing:loaded" -> loaded-language, ...). Hints point at evidence and say why; the learner
decides whether to tag it.

>>> import kit
>>> from kit.hints import hints
>>> found = hints(kit.load_articles()["A"])
>>> all(h.end > h.start and h.reason for h in found)
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from kit._data import data_dir
from kit.articles import Article

__all__ = ["Hint", "TagInfo", "hints", "load_tags"]


@dataclass(frozen=True, slots=True)
class Hint:
    """One detector hit offered as a hint: ``article.text[start:end]`` is the evidence."""

    start: int
    end: int
    tag: str  # the learner tag it suggests, e.g. "anonymous-source"
    kind: str  # the detector kind, e.g. "attribution:anonymous"
    reason: str  # why, in words a 15-year-old understands


@dataclass(frozen=True, slots=True)
class TagInfo:
    """One learner tag of the taxonomy: what the widgets show and how hints map to it."""

    id: str
    label: str
    definition: str
    colour: str
    hint_kinds: tuple[str, ...] = ()


def load_tags() -> list[TagInfo]:
    """The learner tags of ``data/taxonomy.toml`` (through `kit.keys.load_taxonomy`), in order.

    >>> [t.id for t in load_tags()][:2]
    ['named-source', 'organization-source']
    """
    path = data_dir() / "taxonomy.toml"
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = -1  # load_taxonomy reports the missing file
    return list(_tags_cached(path, stamp))


@cache
def _tags_cached(path: Path, stamp: int) -> tuple[TagInfo, ...]:
    # Validating the taxonomy costs more than finding the hints, so do it once per file
    # version (an instructor who edits the file sees the change on the next call).
    from kit.keys import load_taxonomy

    return tuple(
        TagInfo(
            id=t.id,
            label=t.label,
            definition=t.definition,
            colour=t.colour,
            hint_kinds=tuple(t.hint_kinds),
        )
        for t in load_taxonomy()
    )


def hints(article: Article, *, tags: Iterable[str] | None = None) -> list[Hint]:
    """Detector hits on ``article`` that suggest a learner tag, sorted by position.

    Attributions give source hints, figures no one is credited for give "unsourced figure"
    hints, and framing cues in the writer's own voice (not inside a quotation) give loaded
    language, hedge and framing-label hints. ``tags`` keeps only hints for those tags.

    >>> import kit
    >>> a = kit.load_articles()["A"]
    >>> sorted({h.tag for h in hints(a, tags=["anonymous-source"])})
    ['anonymous-source']
    """
    kind_to_tag: dict[str, str] = {}
    for tag in load_tags():
        for kind in tag.hint_kinds:
            kind_to_tag.setdefault(kind, tag.id)
    wanted = None if tags is None else set(tags)

    found: list[Hint] = []

    def offer(start: int, end: int, kind: str, reason: str) -> None:
        tag = kind_to_tag.get(kind)
        if tag is None or (wanted is not None and tag not in wanted) or end <= start:
            return
        found.append(Hint(start, end, tag, kind, reason))

    # Detectors are imported here so that a lesson using only the reader never loads them.
    from kit.figures import find_figures
    from kit.framing import find_framing
    from kit.sources import find_attributions

    for a in find_attributions(article):
        offer(a.start, a.end, f"attribution:{a.kind}", a.reason)
    for f in find_figures(article):
        if not _figure_is_sourced(f):
            offer(f.start, f.end, "figure:unattributed", f.reason)
    for cue in find_framing(article):
        if not getattr(cue, "quoted", False):
            offer(cue.start, cue.end, f"framing:{cue.kind}", cue.reason)

    found.sort(key=lambda h: (h.start, h.end, h.tag))
    # Two detectors can flag the same words for the same tag; one hint is enough.
    unique: list[Hint] = []
    seen: set[tuple[int, int, str]] = set()
    for h in found:
        if (h.start, h.end, h.tag) not in seen:
            seen.add((h.start, h.end, h.tag))
            unique.append(h)
    return unique


def _figure_is_sourced(figure: Any) -> bool:
    # Only a named person or organization makes a figure sourced; "according to estimates"
    # leaves it unsourced (figure.source is set, figure.attributed is not).
    return bool(figure.attributed)
